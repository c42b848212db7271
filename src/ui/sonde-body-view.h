/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sonde-body-store.h"

G_BEGIN_DECLS

/* The body of a response: pretty (formatted, highlighted), raw, image preview or a hex
 * summary for binary data, with search and a JSONPath filter. Large bodies are formatted off
 * the main thread and inserted in small steps (docs/architecture.md). Modes: "pretty", "raw",
 * "preview". Property "loading" is TRUE while text is being formatted or inserted. */
#define SONDE_TYPE_BODY_VIEW (sonde_body_view_get_type ())
G_DECLARE_FINAL_TYPE (SondeBodyView, sonde_body_view, SONDE, BODY_VIEW, GtkWidget)

/* Bodies larger than this are shown without syntax highlighting. */
#define SONDE_BODY_VIEW_HIGHLIGHT_LIMIT (2 * 1024 * 1024)
/* At most this much text goes into the text view at first: GtkTextView lays out every line
 * it holds, about a second of CPU per MB, even lines nobody scrolls to. Show More loads up to
 * SONDE_BODY_VIEW_DISPLAY_LIMIT; the rest is only saved to a file. */
#define SONDE_BODY_VIEW_FIRST_SLICE     (1024 * 1024)
#define SONDE_BODY_VIEW_DISPLAY_LIMIT   (16 * 1024 * 1024)
/* JSONPath filters parse the whole body: only up to this size. */
#define SONDE_BODY_VIEW_FILTER_LIMIT    (20 * 1024 * 1024)

GtkWidget     *sonde_body_view_new              (void);
/* Shows BODY (NULL: nothing) with the media type CONTENT_TYPE (may be NULL: sniffed). */
void           sonde_body_view_set_body         (SondeBodyView  *self,
                                                 SondeBodyStore *body,
                                                 const char     *content_type);
/* Shows that the body was written to OUTPUT instead of being kept. */
void           sonde_body_view_set_output       (SondeBodyView  *self,
                                                 GFile          *output);
const char    *sonde_body_view_get_mode         (SondeBodyView  *self);
void           sonde_body_view_set_mode         (SondeBodyView  *self,
                                                 const char     *mode);
gboolean       sonde_body_view_get_loading      (SondeBodyView  *self);
/* What is shown: "text", "preview", "binary", "file" or "empty". */
const char    *sonde_body_view_get_page         (SondeBodyView  *self);
GtkTextBuffer *sonde_body_view_get_buffer       (SondeBodyView  *self);
/* The note under the toolbar (invalid JSON, truncation, wrapping), or "". */
const char    *sonde_body_view_get_note         (SondeBodyView  *self);
GdkPaintable  *sonde_body_view_get_preview      (SondeBodyView  *self);
void           sonde_body_view_set_filter       (SondeBodyView  *self,
                                                 const char     *jsonpath);
/* The message under the filter entry (match count or error), or "". */
const char    *sonde_body_view_get_filter_message (SondeBodyView *self);
void           sonde_body_view_start_search     (SondeBodyView  *self);
void           sonde_body_view_set_search_text  (SondeBodyView  *self,
                                                 const char     *text);
void           sonde_body_view_search_next      (SondeBodyView  *self);
/* Puts the body (or the filter result) on the clipboard; FALSE when it cannot be copied. */
gboolean       sonde_body_view_copy             (SondeBodyView  *self);
gboolean       sonde_body_view_can_copy         (SondeBodyView  *self);

/* Compact (a narrow window): the JSONPath filter on a row of its own */
void           sonde_body_view_set_compact       (SondeBodyView *self,
                                                  gboolean       compact);

G_END_DECLS
