/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-application.h"
#include "sonde-history.h"
#include "sonde-request-page.h"
#include "sonde-sidebar.h"

G_BEGIN_DECLS

/* The main window: requests in tabs, each a SondeRequestPage; an empty state when no tab is
 * open. Actions: win.new-tab, win.close-tab, win.send-request, win.cancel-request,
 * win.focus-url, win.save, win.save-as, win.open, win.search-response; with a collection
 * (sonde-window-collection.c): win.open-collection, win.new-collection, win.close-collection,
 * win.save-to-collection, win.edit-environments, win.toggle-sidebar (F9, property
 * "sidebar-visible"). */
#define SONDE_TYPE_WINDOW (sonde_window_get_type ())
G_DECLARE_FINAL_TYPE (SondeWindow, sonde_window, SONDE, WINDOW, AdwApplicationWindow)

SondeWindow      *sonde_window_new              (SondeApplication *app);
/* Opens FILE (a *.request.json) in a new tab, or shows its tab when it is open already
 * (in this window or another). */
void              sonde_window_open_file        (SondeWindow      *self,
                                                 GFile            *file);
/* Adds a tab for REQUEST (NULL: a new empty request) and shows it. */
SondeRequestPage *sonde_window_add_request      (SondeWindow      *self,
                                                 SondeRequest     *request);
AdwTabView       *sonde_window_get_tab_view     (SondeWindow      *self);
SondeRequestPage *sonde_window_get_current_page (SondeWindow      *self);
/* Opens the collection in DIR (asynchronously) in the sidebar. */
void              sonde_window_open_collection  (SondeWindow      *self,
                                                 GFile            *dir);
SondeCollection  *sonde_window_get_collection   (SondeWindow      *self);
SondeSidebar     *sonde_window_get_sidebar      (SondeWindow      *self);
/* Opens the request NODE of the collection in a tab (or shows its tab). */
SondeRequestPage *sonde_window_open_node        (SondeWindow         *self,
                                                 SondeCollectionNode *node);
/* The active environment of the collection, by name (NULL: none). */
void              sonde_window_set_environment  (SondeWindow      *self,
                                                 const char       *name);
SondeEnvironment *sonde_window_get_environment  (SondeWindow      *self);
/* The history of sent requests the window adds to (shown in the sidebar's second page). */
SondeHistory     *sonde_window_get_history      (SondeWindow      *self);
/* Imports FILE (curl commands, a Postman collection, a HAR file…): its report is shown, then a
 * new collection folder is created in PARENT (NULL: a folder chooser asks) and opened. */
void              sonde_window_import_file      (SondeWindow      *self,
                                                 GFile            *file,
                                                 GFile            *parent);
/* What a file given to the app or dropped on the window becomes: a collection folder opens in
 * the sidebar, a *.request.json file in a tab, any other file (Postman, HAR, curl…) is
 * imported. A missing file goes to sonde_window_open_file (), which says so. */
void              sonde_window_open_or_import   (SondeWindow      *self,
                                                 GFile            *file);
/* Writes the open collection to FILE as a Postman v2.1 file, its environments beside it
 * (NAME.postman_environment.json), secrets left out. */
void              sonde_window_export_collection (SondeWindow     *self,
                                                  GFile           *file);
/* The last message shown in a toast, or NULL (for tests). */
const char       *sonde_window_get_last_message (SondeWindow      *self);

G_END_DECLS
