/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sonde-environment.h"
#include "sonde-request.h"
#include "sonde-secret-store.h"

G_BEGIN_DECLS

/* A collection folder (docs/collection-format.md), marked by sonde-collection.json.
 *
 * The tree: a root SondeCollectionNode (the collection itself, a folder) whose "children"
 * are a GListModel of nodes, folders and requests, ordered by "order" (unset orders last),
 * then by name. A GtkTreeListModel binds to it with a create function returning
 * sonde_collection_node_get_children () (NULL for requests).
 *
 * Which folders are listed: every sub-folder holding a folder.json or, at any depth, a
 * *.request.json; hidden entries and the root's environments/ are not. A folder with
 * other files only (upload files, say) is data, not part of the tree.
 *
 * A file that does not parse is listed with its "error" and never written by Sonde. Every
 * operation writes only the files it must, atomically (temp + fsync + rename); a failed one
 * leaves the old files intact and says why. The in-memory tree follows at once, and
 * sonde_collection_watch () follows external changes too (another editor, git pull, a
 * checkout). */

typedef enum
{
  SONDE_COLLECTION_NODE_FOLDER,
  SONDE_COLLECTION_NODE_REQUEST,
} SondeCollectionNodeKind;

#define SONDE_TYPE_COLLECTION_NODE_KIND (sonde_collection_node_kind_get_type ())
GType sonde_collection_node_kind_get_type (void);

/* Properties: "kind", "name" (a request's "name", else its file name; a folder's
 * folder.json "name", else its directory name; the root's collection name), "order"
 * (gint64, 0 = unset), "file" (a request's .request.json, a folder's directory), "error"
 * (GError boxed: why the file does not parse, or NULL), "request" (request nodes: the
 * request as it is on disk, NULL when it does not parse; replaced, never edited, when the
 * file changes: edit a sonde_request_copy () and save it with sonde_collection_save_request ()).
 *
 * Folders (and the root) also carry the settings inherited by the requests below them:
 * "headers", "variables" (GListStore<SondeKeyValue>), "auth", "options"; edit them in
 * place and write them with sonde_collection_save_folder (). */
#define SONDE_TYPE_COLLECTION_NODE (sonde_collection_node_get_type ())
G_DECLARE_FINAL_TYPE (SondeCollectionNode, sonde_collection_node, SONDE, COLLECTION_NODE, GObject)

SondeCollectionNodeKind sonde_collection_node_get_kind      (SondeCollectionNode *self);
const char             *sonde_collection_node_get_name      (SondeCollectionNode *self);
gint64                  sonde_collection_node_get_order     (SondeCollectionNode *self);
GFile                  *sonde_collection_node_get_file      (SondeCollectionNode *self);
/* (transfer none) (nullable): NULL for the root */
SondeCollectionNode    *sonde_collection_node_get_parent    (SondeCollectionNode *self);
const GError           *sonde_collection_node_get_error     (SondeCollectionNode *self);
SondeRequest           *sonde_collection_node_get_request   (SondeCollectionNode *self);
/* Folders: the children; requests: NULL */
GListModel             *sonde_collection_node_get_children  (SondeCollectionNode *self);
GListStore             *sonde_collection_node_get_headers   (SondeCollectionNode *self);
GListStore             *sonde_collection_node_get_variables (SondeCollectionNode *self);
SondeAuth              *sonde_collection_node_get_auth      (SondeCollectionNode *self);
SondeRequestOptions    *sonde_collection_node_get_options   (SondeCollectionNode *self);
/* Unknown keys of folder.json / sonde-collection.json, written back unchanged. */
JsonObject             *sonde_collection_node_get_extra     (SondeCollectionNode *self);
/* The names from the collection down to NODE, for people: "Users / Create user" ("" for the
 * root) */
char                   *sonde_collection_node_dup_display_path (SondeCollectionNode *self);
/* The path inside the collection, "/"-separated ("" for the root): "users/list.request.json" */
char                   *sonde_collection_node_dup_path      (SondeCollectionNode *self);

/* Signal "request-changed-on-disk" (SondeCollectionNode *node, gboolean deleted): a
 * request's file (or its sidecar) changed or disappeared through something other than this
 * object. "request" and "error" already hold the new state; the UI decides what to do with
 * an open copy. */
#define SONDE_TYPE_COLLECTION (sonde_collection_get_type ())
G_DECLARE_FINAL_TYPE (SondeCollection, sonde_collection, SONDE, COLLECTION, GObject)

#define SONDE_COLLECTION_FILE "sonde-collection.json"

/* Loading. DIR must hold sonde-collection.json (else G_IO_ERROR_NOT_FOUND); files that do not
 * parse, the collection file included, are errors on their nodes, not load errors. */
SondeCollection     *sonde_collection_load              (GFile                *dir,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
void                 sonde_collection_load_async        (GFile                *dir,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
SondeCollection     *sonde_collection_load_finish       (GAsyncResult         *result,
                                                         GError              **error);
/* Creates DIR (if needed) and its sonde-collection.json; fails if one is there already. */
SondeCollection     *sonde_collection_create            (GFile                *dir,
                                                         const char           *name,
                                                         GError              **error);
/* The collection folder holding FILE (a folder or file inside it), or NULL. */
GFile               *sonde_collection_find_dir          (GFile                *file);

GFile               *sonde_collection_get_dir           (SondeCollection      *self);
/* The absolute path, the key of secrets and local state. */
const char          *sonde_collection_get_path          (SondeCollection      *self);
const char          *sonde_collection_get_name          (SondeCollection      *self);
SondeCollectionNode *sonde_collection_get_root          (SondeCollection      *self);
/* GListModel<SondeEnvironment>, sorted by file name. Environments that do not parse are
 * listed with their "error". */
GListModel          *sonde_collection_get_environments  (SondeCollection      *self);
/* By "name" or file name without ".json". */
SondeEnvironment    *sonde_collection_find_environment  (SondeCollection      *self,
                                                         const char           *name);
/* The node of FILE (a request file or folder directory), or NULL. */
SondeCollectionNode *sonde_collection_find_node         (SondeCollection      *self,
                                                         GFile                *file);
/* The requests under NODE (itself, for a request), depth-first in order. */
GPtrArray           *sonde_collection_list_requests     (SondeCollection      *self,
                                                         SondeCollectionNode  *node);

/* Reads the folder again now and brings the tree up to date, on the calling thread. The
 * operations below change the tree in place, then read the folder again: this way when the
 * collection is not watched (sonde-cli), in a thread when it is (the window). */
gboolean             sonde_collection_reload            (SondeCollection      *self,
                                                         GError              **error);
/* Reads the folder again in a thread and merges what changed ("reloaded" says when): what
 * Reload does where no file-monitor events come (a folder opened through the document
 * portal, a network file system). */
void                 sonde_collection_refresh           (SondeCollection      *self);
/* Starts following changes on disk (GFileMonitor on every folder), on the thread-default
 * main context: a burst of changes is read in a thread once it stops, then merged into the
 * tree, and "reloaded" is emitted. The first such reload starts now. */
void                 sonde_collection_watch             (SondeCollection      *self);

/* Writing. Folder arguments are folder nodes (the root included). */
SondeCollectionNode *sonde_collection_create_request    (SondeCollection      *self,
                                                         SondeCollectionNode  *folder,
                                                         const char           *name,
                                                         GError              **error);
/* "Save as": copies REQUEST (a lone request, or one from another collection) into FOLDER,
 * under NAME (NULL: the request's name). Relative body and part files are made relative to
 * the collection when they are inside it, absolute otherwise. */
SondeCollectionNode *sonde_collection_add_request       (SondeCollection      *self,
                                                         SondeCollectionNode  *folder,
                                                         SondeRequest         *request,
                                                         const char           *name,
                                                         GError              **error);
/* Writes REQUEST (an edited copy of the node's request) to the node's file. Refused
 * (SONDE_REQUEST_ERROR_PARSE) when the file on disk does not parse. */
gboolean             sonde_collection_save_request      (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         SondeRequest         *request,
                                                         GError              **error);
void                 sonde_collection_save_request_async  (SondeCollection     *self,
                                                           SondeCollectionNode *node,
                                                           SondeRequest        *request,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean             sonde_collection_save_request_finish (SondeCollection     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* What the window does: the file is written (with its fsync) and read back in a worker
 * thread, the tree changes in _finish (), which must be called (until then the collection
 * does not merge what its reloads find). */
void                 sonde_collection_create_request_async  (SondeCollection     *self,
                                                             SondeCollectionNode *folder,
                                                             const char          *name,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
SondeCollectionNode *sonde_collection_create_request_finish (SondeCollection     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 sonde_collection_create_folder_async   (SondeCollection     *self,
                                                             SondeCollectionNode *parent,
                                                             const char          *name,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
SondeCollectionNode *sonde_collection_create_folder_finish  (SondeCollection     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void                 sonde_collection_rename_async          (SondeCollection     *self,
                                                             SondeCollectionNode *node,
                                                             const char          *name,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             sonde_collection_rename_finish         (SondeCollection     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
/* Writes the folder's settings: folder.json, or sonde-collection.json for the root. */
gboolean             sonde_collection_save_folder       (SondeCollection      *self,
                                                         SondeCollectionNode  *folder,
                                                         GError              **error);
SondeCollectionNode *sonde_collection_create_folder     (SondeCollection      *self,
                                                         SondeCollectionNode  *parent,
                                                         const char           *name,
                                                         GError              **error);
/* A request: its "name" in its file. A folder: renames the directory (and folder.json's
 * "name" when it has one). */
gboolean             sonde_collection_rename            (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         const char           *name,
                                                         GError              **error);
/* Moves NODE to POSITION among FOLDER's children (counted without NODE; -1: last): to
 * another folder, its file (and sidecar) or directory moves there; within one folder it is
 * a reorder. The new "order" is between its neighbours', so only the moved file is written,
 * unless no gap is left: then the folder's children are renumbered 1000, 2000, …. */
gboolean             sonde_collection_move              (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         SondeCollectionNode  *folder,
                                                         int                   position,
                                                         GError              **error);
/* What the window does: the files are moved and written in a worker thread, the tree
 * changes when it is done. */
void                 sonde_collection_move_async        (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         SondeCollectionNode  *folder,
                                                         int                   position,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean             sonde_collection_move_finish       (SondeCollection      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
/* A copy right after NODE, named "NAME copy". */
SondeCollectionNode *sonde_collection_duplicate         (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         GError              **error);
/* Deletes the request file and its sidecar, or the folder with everything in it. */
gboolean             sonde_collection_delete            (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         GError              **error);
/* Moves the request file or the folder to the trash (g_file_trash ()). */
gboolean             sonde_collection_trash             (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         GError              **error);
/* What the window does: the files are copied, deleted or trashed in a worker thread (a big
 * folder takes a while), the tree changes when it is done. */
void                 sonde_collection_duplicate_async   (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
SondeCollectionNode *sonde_collection_duplicate_finish  (SondeCollection      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
/* TO_TRASH: sonde_collection_trash (), otherwise sonde_collection_delete (). */
void                 sonde_collection_remove_async      (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         gboolean              to_trash,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean             sonde_collection_remove_finish     (SondeCollection      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

/* Environments */
SondeEnvironment    *sonde_collection_create_environment (SondeCollection     *self,
                                                          const char          *name,
                                                          GError             **error);
/* Writes the environment's file (only when its bytes change), then reads the collection
 * again. The sync one is for the CLI and tests; the window uses the async one, which writes
 * in a worker thread. Overlapping saves of one environment keep the last one made. */
gboolean             sonde_collection_save_environment  (SondeCollection      *self,
                                                         SondeEnvironment     *environment,
                                                         GError              **error);
void                 sonde_collection_save_environment_async  (SondeCollection     *self,
                                                               SondeEnvironment    *environment,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             sonde_collection_save_environment_finish (SondeCollection     *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
gboolean             sonde_collection_delete_environment (SondeCollection     *self,
                                                          SondeEnvironment    *environment,
                                                          GError             **error);

/* Sending */

/* A copy of REQUEST (NULL: the node's request) with what it inherits: headers of the
 * collection, then of each folder down to it, then its own, a name set lower replacing
 * every row of that name above (case-insensitively; a disabled row there removes the
 * inherited ones); auth from the nearest level that has one (the request's own first);
 * options merged key by key, the nearest setting winning ("proxy" and "clientCertificate"
 * as wholes). "base-dir" is the collection folder. NULL when NODE does not parse. */
SondeRequest        *sonde_collection_get_effective_request (SondeCollection     *self,
                                                             SondeCollectionNode *node,
                                                             SondeRequest        *request,
                                                             GError             **error);
/* The variables for a request at NODE (NULL: collection level), lowest to highest
 * precedence: collection, ENVIRONMENT, each folder down to NODE, the request's own
 * ("variables" in its file, or REQUEST's), then OVERRIDES (e.g. --var). Secret values come
 * from SECRETS (may be NULL). */
GHashTable          *sonde_collection_build_variables   (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         SondeRequest         *request,
                                                         SondeEnvironment     *environment,
                                                         SondeSecretStore     *secrets,
                                                         GHashTable           *overrides,
                                                         GError              **error);
/* The same for showing in an editor, without reading any secret: a secret row's name goes
 * into *SECRET_NAMES (a new set) with "" as its value in the table, unless a plain row of
 * that name above it wins. */
GHashTable          *sonde_collection_build_variables_preview (SondeCollection     *self,
                                                               SondeCollectionNode *node,
                                                               SondeRequest        *request,
                                                               SondeEnvironment    *environment,
                                                               GHashTable         **secret_names,
                                                               GError             **error);
/* Both of the above, then sonde_request_expand (): what goes to sonde_client_send_async (). */
SondeRequest        *sonde_collection_prepare_request   (SondeCollection      *self,
                                                         SondeCollectionNode  *node,
                                                         SondeRequest         *request,
                                                         SondeEnvironment     *environment,
                                                         SondeSecretStore     *secrets,
                                                         GHashTable           *overrides,
                                                         GError              **error);

/* The same in a worker thread (secret lookups may wait on the keyring): NODE's settings
 * and REQUEST are copied at once, so they may change while it runs. */
void                 sonde_collection_prepare_request_async  (SondeCollection     *self,
                                                              SondeCollectionNode *node,
                                                              SondeRequest        *request,
                                                              SondeEnvironment    *environment,
                                                              SondeSecretStore    *secrets,
                                                              GHashTable          *overrides,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
SondeRequest        *sonde_collection_prepare_request_finish (SondeCollection     *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* The same, and the variables the request was expanded with (secrets included: for
 * checks' values, never to show), when VARIABLES is not NULL. */
SondeRequest        *sonde_collection_prepare_request_finish_full (SondeCollection  *self,
                                                                   GAsyncResult     *result,
                                                                   GHashTable      **variables,
                                                                   GError          **error);

/* Local state of a collection (never in its folder): $XDG_STATE_HOME/sonde/collections.ini,
 * keyed by the collection's path. NULL: none chosen. */
char                *sonde_collection_state_get_string             (GFile       *dir,
                                                                    const char  *key);
gboolean             sonde_collection_state_set_string             (GFile       *dir,
                                                                    const char  *key,
                                                                    const char  *value,
                                                                    GError     **error);
char                *sonde_collection_state_get_active_environment (GFile       *dir);
gboolean             sonde_collection_state_set_active_environment (GFile       *dir,
                                                                    const char  *name,
                                                                    GError     **error);

G_END_DECLS
