/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <json-glib/json-glib.h>

#include "sonde-request.h"

G_BEGIN_DECLS

/* Small helpers shared by the request editor and its pages. */

/* Binds a nullable string property to an editable's "text" both ways: NULL shows as "",
 * and an emptied field stores NULL (so that defaults stay omitted from saved files). */
GBinding *sonde_bind_string_property  (gpointer     source,
                                       const char  *property,
                                       GtkEditable *editable);
/* Binds an enum property to a "selected" (guint) property, both ways. */
GBinding *sonde_bind_enum_property    (gpointer     source,
                                       const char  *property,
                                       gpointer     target,
                                       const char  *target_property);

/* TEXT with its first VALUE replaced by "{{NAME}}", or NULL when TEXT does not hold VALUE. */
char     *sonde_replace_literal       (const char  *text,
                                       const char  *value,
                                       const char  *name);

/* The page of a list editor (Checks, Captures, Messages): a vertically scrolled window, made
 * PARENT's only child and returned in SCROLLED (to unparent on dispose), holding a box with
 * 12 px margins and spacing, which is returned to be filled. */
GtkWidget *sonde_list_page_new        (GtkWidget  *parent,
                                       GtkWidget **scrolled);

/* What a list editor keeps of a request whose file has a list of objects under a kept key
 * (checks, captures, WebSocket messages): copies of the objects, edited in place and written
 * back with sonde_kept_rows_store (); REBUILD (OWNER) shows them again when someone else
 * replaced the kept keys (a reload), not after the editor's own writes. Embedded in the
 * editor: init in its init, clear in its dispose. */
typedef void (*SondeKeptRowsRebuild) (gpointer owner);

typedef struct
{
  SondeRequest         *request;  /* owned */
  GPtrArray            *rows;     /* JsonObject* */
  JsonObject           *shown;    /* borrowed, never dereferenced: the kept keys last shown */
  gboolean              updating;
  SondeKeptRowsRebuild  rebuild;
  gpointer              owner;
} SondeKeptRows;

void       sonde_kept_rows_init        (SondeKeptRows        *self,
                                        SondeKeptRowsRebuild  rebuild,
                                        gpointer              owner);
void       sonde_kept_rows_clear       (SondeKeptRows        *self);
/* Follows REQUEST (or none), and rebuilds. */
void       sonde_kept_rows_set_request (SondeKeptRows        *self,
                                        SondeRequest         *request);
/* Empties the rows, then takes copies of the objects under KEY of the request's kept keys
 * (an absent key or one of another type reads as none). */
void       sonde_kept_rows_read        (SondeKeptRows        *self,
                                        const char           *key);
/* Makes EXTRA (NULL when it has no key) the request's kept keys, without a rebuild. */
void       sonde_kept_rows_store       (SondeKeptRows        *self,
                                        JsonObject           *extra);

/* Gives BUTTON the menu MENU when it first opens (by a click, or F10 for the primary one):
 * a popover menu is a tree of widgets, which start-up need not build. */
void      sonde_menu_button_set_menu_later (GtkMenuButton *button,
                                            GMenuModel    *menu);

/* Marks WIDGET as invalid with PROBLEM as its tooltip, or clears the mark when NULL. */
void      sonde_widget_set_problem    (GtkWidget   *widget,
                                       const char  *problem);

/* The path to store for FILE in REQUEST: relative to its base folder when inside it. */
char     *sonde_request_path_for_file (SondeRequest *request,
                                       GFile        *file);

typedef void (*SondeFileChosenFunc) (GFile    *file,
                                     gpointer  user_data);
/* Shows a GtkFileChooserNative to open one file; CALLBACK runs only when a file is chosen.
 * USER_DATA is kept alive (g_object_ref) until then. */
/* Shows CHOOSER (modal; it is freed after its response); CALLBACK runs only when a file or
 * folder is chosen, USER_DATA (a GObject or NULL) kept alive until then. */
void      sonde_run_file_chooser      (GtkFileChooserNative *chooser,
                                       SondeFileChosenFunc   callback,
                                       gpointer              user_data);
void      sonde_choose_file           (GtkWidget           *parent,
                                       const char          *title,
                                       SondeFileChosenFunc  callback,
                                       gpointer             user_data);

/* Sets LABEL to "12.3 kB · image/png" for PATH (resolved in REQUEST) off the main thread,
 * or to the reason it cannot be read. */
void      sonde_describe_file_async   (SondeRequest *request,
                                       const char   *path,
                                       GtkLabel     *label);

/* Gives BUFFER the Adwaita source style of the light or dark style, and follows changes. */
void      sonde_source_buffer_follow_style (GtkSourceBuffer *buffer);

/* After gtk_source_init (), before any language is looked up: adds the languages Sonde
 * carries (GraphQL) to GtkSourceView's own. */
void      sonde_source_init_languages      (void);
/* VIEW (a body view) takes the font and line wrapping of Preferences ("body-font",
 * "wrap-lines"), and follows their changes. */
void      sonde_text_view_follow_preferences (GtkTextView *view);
/* The CSS that gives body views the font of FONT (a Pango description; "" for the system's
 * monospace font). */
char     *sonde_body_font_css               (const char  *font);

G_END_DECLS
