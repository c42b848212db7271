/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-collection.h"

G_BEGIN_DECLS

#define SONDE_FOLDER_FILE "folder.json"
#define SONDE_REQUEST_SUFFIX ".request.json"
#define SONDE_ENVIRONMENTS_DIR "environments"
#define SONDE_ORDER_STEP 1000

/* What a file held when Sonde last read or wrote it: a change on disk is a difference from
 * this, so Sonde's own writes are never mistaken for someone else's. */
typedef struct
{
  GBytes *bytes;
  char   *sidecar;       /* a request's body file, relative to its folder, or NULL */
  GBytes *sidecar_bytes;
} SondeDiskState;

SondeDiskState *sonde_disk_state_read   (GFile          *file,
                                         const char     *sidecar);
SondeDiskState *sonde_disk_state_ref    (SondeDiskState *state);
void            sonde_disk_state_unref  (SondeDiskState *state);
gboolean        sonde_disk_state_equal  (SondeDiskState *a,
                                         SondeDiskState *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeDiskState, sonde_disk_state_unref)

struct _SondeCollectionNode
{
  GObject                  parent_instance;

  SondeCollectionNodeKind  kind;
  char                    *name;
  /* g_utf8_collate_key () of collated_name, the name it was last made for (sorting a folder
   * collated each pair again) */
  char                    *collated_name;
  char                    *collate_key;
  gint64                   order;
  GFile                   *file;
  SondeCollectionNode     *parent;     /* borrowed: the parent owns its children */
  GError                  *error;
  SondeDiskState          *disk;       /* request file, or folder.json / collection file */

  /* Requests */
  SondeRequest            *request;

  /* Folders */
  gboolean                 is_root;
  gboolean                 has_settings_file;
  gboolean                 name_in_file; /* folder.json has a "name" */
  gint64                   format;       /* root */
  GListStore              *children;
  GListStore              *headers;
  GListStore              *variables;
  SondeAuth               *auth;
  SondeRequestOptions     *options;
  JsonObject              *extra;
};

SondeCollectionNode *sonde_collection_node_new_folder     (GFile               *dir,
                                                           gboolean             is_root);
SondeCollectionNode *sonde_collection_node_new_request    (GFile               *file);
GFile               *sonde_collection_node_settings_file  (SondeCollectionNode *self);
/* Reads the node's file as it is now (DATA, or the file when NULL), keeping the error on
 * the node. Request nodes: ROOT is the collection folder (base-dir). */
void                 sonde_collection_node_load_request   (SondeCollectionNode *self,
                                                           GFile               *root);
void                 sonde_collection_node_load_settings  (SondeCollectionNode *self);
char                *sonde_collection_node_settings_to_data (SondeCollectionNode *self);
/* Takes the state of OTHER (a fresh read of the same file): name, order, error, request,
 * settings. Notifies what changed. */
void                 sonde_collection_node_take_state     (SondeCollectionNode *self,
                                                           SondeCollectionNode *other);
void                 sonde_collection_node_set_order      (SondeCollectionNode *self,
                                                           gint64               order);
void                 sonde_collection_node_set_name       (SondeCollectionNode *self,
                                                           const char          *name);
void                 sonde_collection_node_set_file       (SondeCollectionNode *self,
                                                           GFile               *file);
void                 sonde_collection_node_set_request    (SondeCollectionNode *self,
                                                           SondeRequest        *request);
int                  sonde_collection_node_compare        (gconstpointer        a,
                                                           gconstpointer        b,
                                                           gpointer             user_data);
int                  sonde_collection_node_compare_indirect (gconstpointer  a,
                                                             gconstpointer  b,
                                                             gpointer       user_data);
/* A deep copy whose rows and parts are not watched, not changed once sent: see
 * sonde-request.c. */
SondeRequest        *sonde_request_copy_snapshot          (SondeRequest        *self);
gboolean             sonde_request_is_snapshot            (SondeRequest        *self);
/* sonde_request_expand () without the copy, for a snapshot nobody else holds. */
gboolean             sonde_request_expand_in_place        (SondeRequest        *copy,
                                                           GHashTable          *variables,
                                                           GError             **error);
/* Copies every read-write property (and the extra keys) of an auth or options object. */
void                 sonde_copy_properties                (GObject             *source,
                                                           GObject             *target);
/* The "headers", "auth" and "options" members a request would write for these. */
JsonObject          *sonde_settings_to_json               (GListStore          *headers,
                                                           SondeAuth           *auth,
                                                           SondeRequestOptions *options);

/* sonde-collection-inherit.c: TARGET gets the options of LEVELS (SondeRequestOptions*, lowest
 * first) merged key by key, the last level that sets a key winning. */
gboolean             sonde_request_options_merge_levels   (SondeRequestOptions *target,
                                                           GPtrArray           *levels,
                                                           GError             **error);
/* sonde-collection.c: Sonde wrote an environment's FILE, which now holds STATE; a reload
 * keeps the object. */
void                 sonde_collection_remember_environment (SondeCollection    *self,
                                                            GFile              *file,
                                                            SondeDiskState     *state);
/* sonde-collection.c: around an environment file written in a thread, main thread only.
 * Meanwhile reloads leave the environments as they are; the end (after remembering the
 * state written) reads the folder again in a thread ("reloaded"). */
void                 sonde_collection_begin_environment_write (SondeCollection *self);
void                 sonde_collection_end_environment_write   (SondeCollection *self);

/* sonde-collection-ops.c: an operation's write, planned on the main thread, run on any thread
 * (run ()), applied on the main thread. Each job struct starts with this. */
typedef struct _SondeCollectionJob SondeCollectionJob;
struct _SondeCollectionJob
{
  gboolean (*run) (SondeCollectionJob *job, GError **error);
};
/* JOB's run () in a worker thread; JOB becomes TASK's data, freed with JOB_FREE. */
void                 sonde_collection_start_job           (SondeCollection     *self,
                                                           GTask               *task,
                                                           gpointer             job,
                                                           GDestroyNotify       job_free);
/* The job, when its run () succeeded; NULL with ERROR when it failed (what a reload found
 * meanwhile is then read again) or when TASK was refused before a job began. */
gpointer             sonde_collection_end_job             (SondeCollection     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* sonde-collection-ops.c: a request file to write, serialised on the thread that owns the
 * request (new), written on any thread (run: the sidecar first, each only if its bytes change). */
typedef struct _SondeRequestWrite SondeRequestWrite;
SondeRequestWrite   *sonde_request_write_new              (SondeRequest        *request,
                                                           GFile               *file);
gboolean             sonde_request_write_run              (SondeRequestWrite   *write,
                                                           GError             **error);
void                 sonde_request_write_free             (gpointer             write);

/* sonde-collection-ops.c: names, and writes of only what changes */
gint64               sonde_collection_next_order          (SondeCollectionNode *folder);
char                *sonde_collection_request_stem        (const char          *name);
char                *sonde_collection_folder_dir_name     (const char          *name);
GFile               *sonde_collection_unique_child        (GFile               *dir,
                                                           const char          *stem,
                                                           const char          *suffix);
/* unique_child () kept for a write in a worker thread until released (any thread). */
GFile               *sonde_collection_reserve_child       (GFile               *dir,
                                                           const char          *stem,
                                                           const char          *suffix);
void                 sonde_collection_release_child       (GFile               *file);
char                *sonde_collection_file_stem           (GFile               *file,
                                                           const char          *suffix);
gboolean             sonde_collection_write_request       (SondeRequest        *request,
                                                           GFile               *file,
                                                           GError             **error);
gboolean             sonde_collection_write_settings      (SondeCollectionNode *folder,
                                                           GError             **error);
/* Any thread: writes DATA to FILE (atomically) unless FILE holds it already. */
gboolean             sonde_collection_write_if_changed    (GFile               *file,
                                                           const char          *data,
                                                           GError             **error);
/* FOLDER's directory moved from OLD_DIR to NEW_DIR: its nodes name the files there. */
void                 sonde_collection_rebase_files        (SondeCollectionNode *folder,
                                                           GFile               *old_dir,
                                                           GFile               *new_dir);
gboolean             sonde_collection_refuse_broken       (SondeCollectionNode *node,
                                                           GError             **error);

/* sonde-collection.c: after Sonde's own writes, main thread only. The operations change the
 * tree in place; settle () puts children back in order and reads the folder again to catch
 * the rest: in a thread ("reloaded") when the collection is watched (the window), at once
 * otherwise (the CLI and tests). */
gboolean             sonde_collection_settle              (SondeCollection     *self,
                                                           GError             **error);
/* NODE's file was written and read back as FRESH: NODE (and another node of the same file)
 * take its state; NODE, deleted from the tree meanwhile, goes back where its folder is. */
void                 sonde_collection_take_written        (SondeCollection     *self,
                                                           SondeCollectionNode *node,
                                                           SondeCollectionNode *fresh);
/* Any thread: the tree of DIR (a folder Sonde wrote, such as a copy) as a scan reads it. */
SondeCollectionNode *sonde_collection_scan_tree           (GFile               *root_dir,
                                                           GFile               *dir);
/* NODE (not in the tree) goes into FOLDER where a scan puts it. */
void                 sonde_collection_insert_node         (SondeCollectionNode *folder,
                                                           SondeCollectionNode *node);
/* Around files of the tree written, copied or removed in a thread: reloads ending meanwhile
 * are not merged. */
void                 sonde_collection_begin_write         (SondeCollection     *self);
void                 sonde_collection_end_write           (SondeCollection     *self);
/* Reads the environments folder again now (a few small files, not the tree). */
void                 sonde_collection_reload_environments (SondeCollection     *self);

SondeRequest *sonde_collection_try_prepare_request (SondeCollection      *self,
                                                   SondeCollectionNode  *node,
                                                   SondeEnvironment     *environment,
                                                   SondeSecretStore     *secrets,
                                                   GHashTable           *overrides,
                                                   GHashTable          **variables_out,
                                                   GError              **error);

G_END_DECLS
