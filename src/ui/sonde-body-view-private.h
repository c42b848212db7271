/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtksourceview/gtksource.h>
#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sonde-body-view.h"

G_BEGIN_DECLS

#define SNIFF_SIZE       4096
#define COPY_LIMIT       (64 * 1024 * 1024)
#define FILTER_DELAY_MS  300

typedef enum
{
  BODY_KIND_NONE,
  BODY_KIND_EMPTY,
  BODY_KIND_OUTPUT,
  BODY_KIND_JSON,
  BODY_KIND_XML,
  BODY_KIND_HTML,
  BODY_KIND_TEXT,
  BODY_KIND_IMAGE,
  BODY_KIND_BINARY,
} BodyKind;

struct _SondeBodyView
{
  GtkWidget                parent_instance;

  /* Template widgets */
  GtkWidget               *toolbar;
  GtkWidget               *mode_box;
  GtkWidget               *pretty_button;
  GtkWidget               *raw_button;
  GtkWidget               *preview_button;
  GtkWidget               *search_button;
  GtkLabel                *summary_label;
  GtkSpinner              *loading_spinner;
  GtkWidget               *filter_box;
  GtkEntry                *filter_entry;
  GtkLabel                *filter_message_label;
  GtkSearchBar            *search_bar;
  GtkSearchEntry          *search_entry;
  GtkLabel                *search_count_label;
  GtkWidget               *note_box;
  GtkLabel                *note_label;
  GtkWidget               *note_save_button;
  GtkWidget               *note_more_button;
  GtkStack                *stack;
  GtkSourceView           *source_view;
  GtkPicture              *picture;
  GtkLabel                *binary_label;
  GtkTextView             *hex_view;
  AdwStatusPage           *file_page;

  gsize                    display_limit;  /* SONDE_BODY_VIEW_FIRST_SLICE until Show More */

  /* Owned */
  SondeBodyStore          *body;
  char                    *content_type;
  GFile                   *output;
  BodyKind                 kind;
  char                    *mode;
  gboolean                 loading;
  gboolean                 json_invalid;   /* pretty mode fell back to raw text */
  GString                 *note;
  GCancellable            *load_cancellable;
  GdkTexture              *texture;
  GtkSourceSearchSettings *search_settings;
  GtkSourceSearchContext  *search_context;
  GCancellable            *search_cancellable;
  JsonNode                *json_root;      /* cached parse for the filter */
  char                    *filter_result;  /* the filtered JSON shown instead of the body */
  GCancellable            *filter_cancellable;
  guint                    filter_timeout_id;
};

/* sonde-body-view.c */
gboolean _sonde_body_kind_is_text             (BodyKind       kind);
void     _sonde_body_view_reload              (SondeBodyView *self);
void     _sonde_body_view_add_note            (SondeBodyView *self,
                                               const char    *sentence);
void     _sonde_body_view_update_search_count (SondeBodyView *self);

/* sonde-body-view-tools.c: search, JSONPath filter, copy */
void     _sonde_body_view_class_init_tools    (GtkWidgetClass *widget_class);
void     _sonde_body_view_apply_filter        (SondeBodyView *self);
void     _sonde_body_view_show_filter_message (SondeBodyView *self,
                                               const char    *message,
                                               gboolean       is_error);

G_END_DECLS
