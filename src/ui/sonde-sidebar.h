/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-collection.h"

G_BEGIN_DECLS

/* The window's left pane: the open collection as a tree (folders and requests, a search
 * entry filtering requests by name), an empty state when no collection is open, and an
 * optional second page (the history) behind a "Collection" / "History" switcher.
 *
 * Property "collection" (SondeCollection, nullable).
 *
 * Signal "node-activated" (SondeCollectionNode *node): a request row was activated.
 * What failed is said through the window's "win.show-message" (s) action, as a toast.
 *
 * Actions (the node is the target, as its collection-relative path, "" for the root):
 *   "sidebar.new-request", "sidebar.new-folder" (in the folder, or beside the request),
 *   "sidebar.rename", "sidebar.duplicate", "sidebar.delete" (ask first; to the trash where
 *   there is one), "sidebar.open". Rows are dragged onto folders (move into) or requests
 *   (move before). */
#define SONDE_TYPE_SIDEBAR (sonde_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (SondeSidebar, sonde_sidebar, SONDE, SIDEBAR, GtkWidget)

GtkWidget           *sonde_sidebar_new              (void);
SondeCollection     *sonde_sidebar_get_collection   (SondeSidebar        *self);
void                 sonde_sidebar_set_collection   (SondeSidebar        *self,
                                                     SondeCollection     *collection);
/* The rows shown (GtkTreeListRow items over SondeCollectionNode), for tests. */
GListModel          *sonde_sidebar_get_model        (SondeSidebar        *self);
void                 sonde_sidebar_set_search       (SondeSidebar        *self,
                                                     const char          *text);
/* The node at PATH ("" for the root, "users/list-users.request.json"), or NULL. */
SondeCollectionNode *sonde_sidebar_find_node        (SondeSidebar        *self,
                                                     const char          *path);
/* What dropping DRAGGED on ONTO's row does: into a folder (last), or before a request in its
 * folder, written in a worker thread. FALSE when the drop is refused; a move that fails
 * later shows why through "win.show-message". */
gboolean             sonde_sidebar_drop_node        (SondeSidebar        *self,
                                                     SondeCollectionNode *dragged,
                                                     SondeCollectionNode *onto);
/* Adds the history page and the switcher. */
void                 sonde_sidebar_set_history_view (SondeSidebar        *self,
                                                     GtkWidget           *history_view);
void                 sonde_sidebar_show_page        (SondeSidebar        *self,
                                                     const char          *name);

G_END_DECLS
