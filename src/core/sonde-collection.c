/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-collection"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>

#include "sonde-collection-private.h"
#include "sonde-environment-private.h"
#include "sonde-error.h"
#include "sonde-request-io.h"

/* Loading and following changes on disk. Inheritance and variables are in
 * sonde-collection-inherit.c, the operations that write in sonde-collection-ops.c, nodes
 * and their files in sonde-collection-node.c. */

/* Events come in bursts (a checkout writes many files): read the folder once they stop. */
#define RELOAD_DELAY_MS 100

struct _SondeCollection
{
  GObject              parent_instance;

  GFile               *dir;
  char                *path;
  SondeCollectionNode *root;
  GListStore          *environments;
  GHashTable          *environment_states; /* path -> SondeDiskState */

  GHashTable          *monitors;           /* path -> GFileMonitor */
  gboolean             watching;
  guint                reload_source;
  guint                generation;   /* of the tree: one more at each reload made here */
  gboolean             reloading;    /* in a thread */
  gboolean             reload_again;
  gboolean             disposed;
  /* Files of the tree being written, copied or removed in threads: a reload that ends
   * meanwhile may have read half of Sonde's own change, so it is not merged; the write's end
   * reads again. */
  guint                tree_writes;
  /* Environment files being written in threads: until their states are remembered, what
   * a reload finds there is Sonde's own write, not news, so environments are not merged. */
  guint                environment_writes;
};

G_DEFINE_FINAL_TYPE (SondeCollection, sonde_collection, G_TYPE_OBJECT)

enum {
  REQUEST_CHANGED_ON_DISK,
  RELOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------
 * Scanning the folder
 * ------------------------------------------------------------------------------------------ */

typedef struct
{
  GFile      *root_dir;
  GHashTable *existing; /* path -> SondeCollectionNode, main thread only; NULL on first load */
  GPtrArray  *dirs;     /* every folder visited, to watch */
} Scan;

static SondeCollectionNode *
scan_request (Scan  *scan,
              GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  SondeCollectionNode *existing = scan->existing ? g_hash_table_lookup (scan->existing, path) : NULL;
  SondeCollectionNode *node = sonde_collection_node_new_request (file);

  /* An unchanged file is not parsed again: its node keeps the request it has. */
  if (existing != NULL && existing->kind == SONDE_COLLECTION_NODE_REQUEST && existing->disk != NULL)
    {
      g_autoptr(SondeDiskState) state = sonde_disk_state_read (file, existing->disk->sidecar);

      if (sonde_disk_state_equal (state, existing->disk))
        {
          sonde_collection_node_take_state (node, existing);
          return node;
        }
    }

  sonde_collection_node_load_request (node, scan->root_dir);
  return node;
}

/* A folder's request files are read and parsed by several threads when there are many:
 * each is its own node, nothing else is shared (a reload's table of existing nodes is only
 * read, and each existing node is taken by the one thread that loads its path). */
#define PARALLEL_LOAD_MIN 32
#define PARALLEL_LOAD_MAX_THREADS 4

typedef struct
{
  Scan      *scan;
  GFile     *dir;
  GPtrArray *names;  /* of the request files in DIR */
  gpointer  *nodes;  /* one for each file, in the names' order */
  gint       next;
} LoadBatch;

static gpointer
load_batch_work (gpointer data)
{
  LoadBatch *batch = data;
  guint i;

  while ((i = (guint) g_atomic_int_add (&batch->next, 1)) < batch->names->len)
    {
      g_autoptr(GFile) file = g_file_get_child (batch->dir, batch->names->pdata[i]);

      batch->nodes[i] = scan_request (batch->scan, file);
    }
  return NULL;
}

/* The nodes of the request files NAMES in DIR, appended to NODES in the same order. */
static void
load_requests (Scan      *scan,
               GFile     *dir,
               GPtrArray *names,
               GPtrArray *nodes)
{
  guint base = nodes->len;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  guint n_threads = 1;
  LoadBatch batch;

  g_ptr_array_set_size (nodes, base + names->len);
  batch = (LoadBatch) { scan, dir, names, nodes->pdata + base, 0 };

  if (names->len >= PARALLEL_LOAD_MIN)
    n_threads = CLAMP (g_get_num_processors (), 1, PARALLEL_LOAD_MAX_THREADS);
  /* Every type the threads make is registered here first: GLib can deadlock when one
   * thread registers a type with an interface while another initialises a class. */
  if (n_threads > 1)
    {
      g_type_ensure (SONDE_TYPE_COLLECTION_NODE);
      g_type_ensure (SONDE_TYPE_REQUEST);
      g_type_ensure (SONDE_TYPE_KEY_VALUE);
      g_type_ensure (SONDE_TYPE_BODY);
      g_type_ensure (SONDE_TYPE_BODY_PART);
      g_type_ensure (SONDE_TYPE_AUTH);
      g_type_ensure (SONDE_TYPE_REQUEST_OPTIONS);
      g_type_ensure (G_TYPE_LIST_STORE);
      g_type_ensure (JSON_TYPE_PARSER);
    }
  for (guint i = 1; i < n_threads; i++)
    {
      GThread *thread = g_thread_try_new ("sonde-load", load_batch_work, &batch, NULL);

      if (thread != NULL)
        g_ptr_array_add (threads, thread);
    }
  load_batch_work (&batch);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
}

static SondeCollectionNode *
scan_folder (Scan     *scan,
             GFile    *dir,
             gboolean  is_root)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) request_names = g_ptr_array_new_with_free_func (g_free);
  SondeCollectionNode *folder = sonde_collection_node_new_folder (dir, is_root);
  const char *path;
  DIR *listing;
  struct dirent *entry;

  sonde_collection_node_load_settings (folder);
  g_ptr_array_add (scan->dirs, g_file_get_path (dir));
  path = g_ptr_array_index (scan->dirs, scan->dirs->len - 1);
  /* What a Sonde killed mid-save left here (.NAME.sonde-PID-XXXXXX.tmp) goes. */
  sonde_temp_files_clean (path, NULL);

  /* The folder is listed with readdir (): GIO's enumerator made a GFileInfo and a GFile
   * for every entry, a tenth of the load of a folder of small requests. Symbolic links are
   * neither folders nor requests, as before. */
  listing = path != NULL ? opendir (path) : NULL;
  while (listing != NULL && (entry = readdir (listing)) != NULL)
    {
      const char *name = entry->d_name;
      unsigned char type = entry->d_type;

      if (name[0] == '.')
        continue;
      if (type == DT_UNKNOWN)
        {
          struct stat st;

          if (fstatat (dirfd (listing), name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
          type = S_ISDIR (st.st_mode) ? DT_DIR : S_ISREG (st.st_mode) ? DT_REG : DT_LNK;
        }

      if (type == DT_DIR)
        {
          g_autoptr(GFile) child_dir = NULL;
          SondeCollectionNode *child;

          if (is_root && g_str_equal (name, SONDE_ENVIRONMENTS_DIR))
            continue;

          child_dir = g_file_get_child (dir, name);
          child = scan_folder (scan, child_dir, FALSE);
          /* Folders of upload files and the like are data, not part of the tree. */
          if (child->has_settings_file || g_list_model_get_n_items (G_LIST_MODEL (child->children)) > 0)
            g_ptr_array_add (children, child);
          else
            g_object_unref (child);
        }
      else if (type == DT_REG && g_str_has_suffix (name, SONDE_REQUEST_SUFFIX))
        g_ptr_array_add (request_names, g_strdup (name));
    }
  if (listing != NULL)
    closedir (listing);
  load_requests (scan, dir, request_names, children);

  g_ptr_array_sort_with_data (children, (GCompareDataFunc)sonde_collection_node_compare_indirect, NULL);
  for (guint i = 0; i < children->len; i++)
    ((SondeCollectionNode *)children->pdata[i])->parent = folder;
  g_list_store_splice (folder->children, 0, 0, children->pdata, children->len);

  return folder;
}

typedef struct
{
  SondeEnvironment *environment;
  SondeDiskState   *state;
  char             *path;
} ScannedEnvironment;

static void
scanned_environment_free (gpointer data)
{
  ScannedEnvironment *scanned = data;

  g_clear_object (&scanned->environment);
  g_clear_pointer (&scanned->state, sonde_disk_state_unref);
  g_free (scanned->path);
  g_free (scanned);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* The environments folder, JSON files by file name, each loaded unless its state is the one in
 * OLD_STATES (path -> SondeDiskState, may be NULL; a table no other thread touches). One that
 * does not parse is listed with its error. */
static GPtrArray *
scan_environments (GFile      *root_dir,
                   GHashTable *old_states)
{
  g_autoptr(GFile) dir = g_file_get_child (root_dir, SONDE_ENVIRONMENTS_DIR);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *result = g_ptr_array_new_with_free_func (scanned_environment_free);

  enumerator = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (enumerator != NULL)
    {
      GFileInfo *info = NULL;
      const char *name;

      if (!g_file_enumerator_iterate (enumerator, &info, NULL, NULL, NULL) || info == NULL)
        break;
      name = g_file_info_get_name (info);
      if (name[0] != '.' && g_str_has_suffix (name, ".json") &&
          g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      ScannedEnvironment *scanned = g_new0 (ScannedEnvironment, 1);
      g_autoptr(GFile) file = g_file_get_child (dir, names->pdata[i]);

      SondeDiskState *old_state;

      scanned->path = g_file_get_path (file);
      scanned->state = sonde_disk_state_read (file, NULL);
      old_state = old_states != NULL ? g_hash_table_lookup (old_states, scanned->path) : NULL;
      if ((old_state == NULL || !sonde_disk_state_equal (old_state, scanned->state)) && scanned->state->bytes != NULL)
        {
          g_autoptr(GError) error = NULL;

          scanned->environment = sonde_environment_load (file, NULL, &error);
          /* Listed with its error, never written. */
          if (scanned->environment == NULL)
            scanned->environment = sonde_environment_new_broken (file, error);
        }
      g_ptr_array_add (result, scanned);
    }

  return result;
}

/* ------------------------------------------------------------------------------------------
 * Bringing the tree up to date
 * ------------------------------------------------------------------------------------------ */

static void
index_nodes (GHashTable          *table,
             SondeCollectionNode *node)
{
  g_hash_table_insert (table, g_file_get_path (node->file), node);

  if (node->children == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);

      index_nodes (table, child);
    }
}

static void
node_removed (SondeCollection     *self,
              SondeCollectionNode *node)
{
  node->parent = NULL;

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_signal_emit (self, signals[REQUEST_CHANGED_ON_DISK], 0, node, TRUE);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);

      node_removed (self, child);
    }
}

static void
merge_folder (SondeCollection     *self,
              SondeCollectionNode *current,
              SondeCollectionNode *scanned)
{
  GListModel *children = G_LIST_MODEL (current->children);
  guint n_current = g_list_model_get_n_items (children);
  guint n_scanned = g_list_model_get_n_items (G_LIST_MODEL (scanned->children));
  g_autoptr(GHashTable) by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean same = n_current == n_scanned;

  if (!sonde_disk_state_equal (current->disk, scanned->disk) ||
      (current->error == NULL) != (scanned->error == NULL))
    sonde_collection_node_take_state (current, scanned);

  for (guint i = 0; i < n_current; i++)
    {
      SondeCollectionNode *child = g_list_model_get_item (children, i);

      g_hash_table_insert (by_path, g_file_get_path (child->file), child);
    }

  for (guint i = 0; i < n_scanned; i++)
    {
      g_autoptr(SondeCollectionNode) fresh = g_list_model_get_item (G_LIST_MODEL (scanned->children), i);
      g_autofree char *path = g_file_get_path (fresh->file);
      SondeCollectionNode *child = g_hash_table_lookup (by_path, path);

      if (child != NULL && child->kind == fresh->kind)
        {
          gpointer key = NULL;

          /* The table's reference to the child becomes the merged list's. */
          g_hash_table_steal_extended (by_path, path, &key, NULL);
          g_free (key);
          if (child->kind == SONDE_COLLECTION_NODE_FOLDER)
            merge_folder (self, child, fresh);
          else if (!sonde_disk_state_equal (child->disk, fresh->disk))
            {
              sonde_collection_node_take_state (child, fresh);
              g_signal_emit (self, signals[REQUEST_CHANGED_ON_DISK], 0, child, FALSE);
            }
        }
      else
        {
          child = g_object_ref (fresh);
          child->parent = current;
        }

      if (same)
        {
          g_autoptr(SondeCollectionNode) old = g_list_model_get_item (children, i);

          same = old == child;
        }
      g_ptr_array_add (merged, child);
    }

  /* What is left was deleted, renamed or moved away by someone else. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, by_path);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      node_removed (self, value);
  }

  if (!same)
    g_list_store_splice (current->children, 0, n_current, merged->pdata, merged->len);
}

static void
merge_environments (SondeCollection *self,
                    GPtrArray       *scanned)
{
  GListModel *environments = G_LIST_MODEL (self->environments);
  guint n_current = g_list_model_get_n_items (environments);
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify)sonde_disk_state_unref);
  gboolean same;

  for (guint i = 0; i < scanned->len; i++)
    {
      ScannedEnvironment *entry = scanned->pdata[i];
      SondeDiskState *old_state = g_hash_table_lookup (self->environment_states, entry->path);
      SondeEnvironment *environment = NULL;

      if (old_state != NULL && sonde_disk_state_equal (old_state, entry->state))
        {
          for (guint j = 0; j < n_current && environment == NULL; j++)
            {
              g_autoptr(SondeEnvironment) candidate = g_list_model_get_item (environments, j);
              g_autofree char *path = g_file_get_path (sonde_environment_get_file (candidate));

              if (g_strcmp0 (path, entry->path) == 0)
                environment = g_object_ref (candidate);
            }
        }

      if (environment == NULL && entry->environment != NULL)
        environment = g_object_ref (entry->environment);

      if (environment != NULL)
        {
          g_ptr_array_add (merged, environment);
          g_hash_table_insert (states, g_strdup (entry->path), sonde_disk_state_ref (entry->state));
        }
    }

  same = merged->len == n_current;
  for (guint i = 0; same && i < n_current; i++)
    {
      g_autoptr(SondeEnvironment) old = g_list_model_get_item (environments, i);

      same = old == merged->pdata[i];
    }
  if (!same)
    g_list_store_splice (self->environments, 0, n_current, merged->pdata, merged->len);

  g_clear_pointer (&self->environment_states, g_hash_table_unref);
  self->environment_states = g_steal_pointer (&states);
}

void
sonde_collection_remember_environment (SondeCollection *self,
                                       GFile           *file,
                                       SondeDiskState  *state)
{
  g_hash_table_insert (self->environment_states, g_file_get_path (file),
                       sonde_disk_state_ref (state));
}

static void monitor_changed_cb (GFileMonitor      *monitor,
                                GFile             *file,
                                GFile             *other_file,
                                GFileMonitorEvent  event,
                                gpointer           user_data);

static void
update_monitors (SondeCollection *self,
                 GPtrArray       *dirs)
{
  g_autoptr(GHashTable) monitors = NULL;

  if (!self->watching)
    return;

  monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < dirs->len; i++)
    {
      const char *path = dirs->pdata[i];
      GFileMonitor *monitor = NULL;
      gpointer key;

      if (g_hash_table_steal_extended (self->monitors, path, &key, (gpointer *)&monitor))
        g_free (key);
      else
        {
          g_autoptr(GFile) dir = g_file_new_for_path (path);

          monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
          if (monitor == NULL)
            continue;
          g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self, 0);
        }
      g_hash_table_insert (monitors, g_strdup (path), monitor);
    }

  /* Folders that are gone */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->monitors);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_file_monitor_cancel (value);
  }

  g_clear_pointer (&self->monitors, g_hash_table_unref);
  self->monitors = g_steal_pointer (&monitors);
}

static GPtrArray *
watched_dirs (SondeCollection *self,
              GPtrArray       *dirs)
{
  g_ptr_array_add (dirs, g_build_filename (self->path, SONDE_ENVIRONMENTS_DIR, NULL));
  return dirs;
}

gboolean
sonde_collection_reload (SondeCollection  *self,
                         GError          **error)
{
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SondeCollectionNode) scanned = NULL;
  g_autoptr(GPtrArray) environments = NULL;
  Scan scan = { self->dir, existing, dirs };

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);

  /* A reload running in a thread now brings older news: it is done again when it ends. */
  self->generation++;
  index_nodes (existing, self->root);
  scanned = scan_folder (&scan, self->dir, TRUE);
  merge_folder (self, self->root, scanned);

  environments = scan_environments (self->dir, self->environment_states);
  if (self->environment_writes == 0)
    merge_environments (self, environments);

  update_monitors (self, watched_dirs (self, dirs));
  return TRUE;
}

/* Reading the folder in a thread (what the monitor does, and the first reload of watch ()):
 * the thread sees copies of the request nodes and of the environments' states, never the
 * live tree; the main thread merges what it found. */
typedef struct
{
  GFile               *dir;
  GHashTable          *existing;           /* path -> a copy of a request node */
  GHashTable          *environment_states; /* path -> SondeDiskState */
  guint                generation;
  SondeCollectionNode *scanned;
  GPtrArray           *environments;
  GPtrArray           *dirs;
} Reload;

static void
reload_free (Reload *reload)
{
  g_clear_object (&reload->dir);
  g_clear_pointer (&reload->existing, g_hash_table_unref);
  g_clear_pointer (&reload->environment_states, g_hash_table_unref);
  g_clear_object (&reload->scanned);
  g_clear_pointer (&reload->environments, g_ptr_array_unref);
  g_clear_pointer (&reload->dirs, g_ptr_array_unref);
  g_free (reload);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reload, reload_free)

static void
snapshot_nodes (GHashTable          *table,
                SondeCollectionNode *node)
{
  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      SondeCollectionNode *copy;

      if (node->disk == NULL)
        return;
      copy = sonde_collection_node_new_request (node->file);
      sonde_collection_node_take_state (copy, node);
      g_hash_table_insert (table, g_file_get_path (node->file), copy);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);

      snapshot_nodes (table, child);
    }
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Reload *reload = task_data;
  Scan scan = { reload->dir, reload->existing, NULL };

  reload->dirs = g_ptr_array_new_with_free_func (g_free);
  scan.dirs = reload->dirs;
  reload->scanned = scan_folder (&scan, reload->dir, TRUE);
  reload->environments = scan_environments (reload->dir, reload->environment_states);
  g_task_return_boolean (task, TRUE);
}

static void start_reload (SondeCollection *self);

static void
reload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SondeCollection *self = SONDE_COLLECTION (object);
  Reload *reload = g_task_get_task_data (G_TASK (result));

  self->reloading = FALSE;
  if (self->disposed || self->tree_writes > 0)
    return;
  /* Older than a reload made meanwhile: read again */
  if (reload->generation != self->generation)
    self->reload_again = TRUE;
  else
    {
      merge_folder (self, self->root, reload->scanned);
      if (self->environment_writes == 0)
        merge_environments (self, reload->environments);
      update_monitors (self, watched_dirs (self, reload->dirs));
      g_signal_emit (self, signals[RELOADED], 0);
    }
  if (self->reload_again)
    start_reload (self);
}

static void
start_reload (SondeCollection *self)
{
  g_autoptr(GTask) task = NULL;
  Reload *reload;

  if (self->reloading)
    {
      self->reload_again = TRUE;
      return;
    }
  self->reload_again = FALSE;
  self->reloading = TRUE;

  reload = g_new0 (Reload, 1);
  reload->dir = g_object_ref (self->dir);
  reload->generation = self->generation;
  reload->existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  snapshot_nodes (reload->existing, self->root);
  reload->environment_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) sonde_disk_state_unref);
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, self->environment_states);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_insert (reload->environment_states, g_strdup (key), sonde_disk_state_ref (value));
  }

  task = g_task_new (self, NULL, reload_done_cb, NULL);
  g_task_set_source_tag (task, start_reload);
  g_task_set_task_data (task, reload, (GDestroyNotify) reload_free);
  g_task_run_in_thread (task, reload_thread);
}

void
sonde_collection_refresh (SondeCollection *self)
{
  g_return_if_fail (SONDE_IS_COLLECTION (self));

  start_reload (self);
}

/* ------------------------------------------------------------------------------------------
 * After Sonde's own writes: the operations change the tree in place, then read the folder
 * again to catch what they do not model (docs/architecture.md, "The window")
 * ------------------------------------------------------------------------------------------ */

/* Puts every folder's children back in the order a scan gives them. */
static void
resort_folder (SondeCollectionNode *folder)
{
  GListModel *children = G_LIST_MODEL (folder->children);
  guint n_children = g_list_model_get_n_items (children);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_full (n_children, g_object_unref);
  gboolean same = TRUE;

  for (guint i = 0; i < n_children; i++)
    g_ptr_array_add (sorted, g_list_model_get_item (children, i));
  g_ptr_array_sort_with_data (sorted, (GCompareDataFunc)sonde_collection_node_compare_indirect, NULL);

  for (guint i = 0; i < n_children; i++)
    {
      SondeCollectionNode *child = sorted->pdata[i];
      g_autoptr(SondeCollectionNode) old = g_list_model_get_item (children, i);

      same = same && old == child;
      if (child->kind == SONDE_COLLECTION_NODE_FOLDER)
        resort_folder (child);
    }
  if (!same)
    g_list_store_splice (folder->children, 0, n_children, sorted->pdata, n_children);
}

gboolean
sonde_collection_settle (SondeCollection  *self,
                         GError          **error)
{
  resort_folder (self->root);

  /* The CLI and tests: no main loop to merge a thread's findings, and nobody waiting. */
  if (!self->watching)
    return sonde_collection_reload (self, error);

  /* A reload already in its thread read the folder before this change: it is done again. */
  self->generation++;
  start_reload (self);
  return TRUE;
}

SondeCollectionNode *
sonde_collection_scan_tree (GFile *root_dir,
                            GFile *dir)
{
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  Scan scan = { root_dir, NULL, dirs };

  return scan_folder (&scan, dir, FALSE);
}

void
sonde_collection_insert_node (SondeCollectionNode *folder,
                              SondeCollectionNode *node)
{
  GListModel *children = G_LIST_MODEL (folder->children);
  guint n_children = g_list_model_get_n_items (children);
  guint position;

  for (position = 0; position < n_children; position++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (children, position);

      if (sonde_collection_node_compare (node, child, NULL) < 0)
        break;
    }
  node->parent = folder;
  g_list_store_insert (folder->children, position, node);
}

void
sonde_collection_take_written (SondeCollection     *self,
                               SondeCollectionNode *node,
                               SondeCollectionNode *fresh)
{
  SondeCollectionNode *current = sonde_collection_find_node (self, node->file);

  sonde_collection_node_take_state (node, fresh);
  if (current != NULL && current != node)
    sonde_collection_node_take_state (current, fresh);
  else if (current == NULL && node->parent == NULL && !node->is_root)
    {
      /* Deleted meanwhile and written again: back in the tree, where its folder is. */
      g_autoptr(GFile) dir = g_file_get_parent (node->file);
      SondeCollectionNode *folder = sonde_collection_find_node (self, dir);

      if (folder != NULL && folder->kind == SONDE_COLLECTION_NODE_FOLDER)
        sonde_collection_insert_node (folder, node);
    }
}

void
sonde_collection_begin_write (SondeCollection *self)
{
  self->tree_writes++;
}

void
sonde_collection_end_write (SondeCollection *self)
{
  g_assert (self->tree_writes > 0);

  self->tree_writes--;
}

void
sonde_collection_reload_environments (SondeCollection *self)
{
  g_autoptr(GPtrArray) environments = scan_environments (self->dir, self->environment_states);

  if (self->environment_writes == 0)
    merge_environments (self, environments);
}

void
sonde_collection_begin_environment_write (SondeCollection *self)
{
  self->environment_writes++;
}

void
sonde_collection_end_environment_write (SondeCollection *self)
{
  g_assert (self->environment_writes > 0);

  self->environment_writes--;
  if (self->disposed)
    return;
  /* A reload already in its thread compared with states older than the one just
   * remembered: it is done again. */
  self->generation++;
  start_reload (self);
}

static gboolean
reload_cb (gpointer user_data)
{
  SondeCollection *self = user_data;

  self->reload_source = 0;
  start_reload (self);
  return G_SOURCE_REMOVE;
}

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  SondeCollection *self = user_data;

  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED)
    return;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_cb, self);
}

/* The folders of the tree as it is: watched at once, before the first reload lists the
 * others (data folders that may hold a request one day). */
static void
tree_dirs (GPtrArray           *dirs,
           SondeCollectionNode *node)
{
  if (node->kind != SONDE_COLLECTION_NODE_FOLDER)
    return;
  g_ptr_array_add (dirs, g_file_get_path (node->file));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);

      tree_dirs (dirs, child);
    }
}

void
sonde_collection_watch (SondeCollection *self)
{
  g_return_if_fail (SONDE_IS_COLLECTION (self));

  if (self->watching)
    return;

  /* The reload lists every folder, data folders too: a request may appear in one. */
  self->watching = TRUE;
  {
    g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);

    tree_dirs (dirs, self->root);
    update_monitors (self, watched_dirs (self, dirs));
  }
  start_reload (self);
}

/* ------------------------------------------------------------------------------------------
 * Object
 * ------------------------------------------------------------------------------------------ */

static void
sonde_collection_dispose (GObject *object)
{
  SondeCollection *self = (SondeCollection *)object;

  self->disposed = TRUE;
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->monitors != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->monitors);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_file_monitor_cancel (value);
      g_hash_table_remove_all (self->monitors);
    }

  G_OBJECT_CLASS (sonde_collection_parent_class)->dispose (object);
}

static void
sonde_collection_finalize (GObject *object)
{
  SondeCollection *self = (SondeCollection *)object;

  g_clear_object (&self->dir);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->root);
  g_clear_object (&self->environments);
  g_clear_pointer (&self->environment_states, g_hash_table_unref);
  g_clear_pointer (&self->monitors, g_hash_table_unref);

  G_OBJECT_CLASS (sonde_collection_parent_class)->finalize (object);
}

static void
sonde_collection_class_init (SondeCollectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_collection_dispose;
  object_class->finalize = sonde_collection_finalize;

  signals[REQUEST_CHANGED_ON_DISK] =
    g_signal_new ("request-changed-on-disk", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SONDE_TYPE_COLLECTION_NODE, G_TYPE_BOOLEAN);
  /* A reload in a thread (after changes on disk, or the first of watch ()) was merged. */
  signals[RELOADED] =
    g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sonde_collection_init (SondeCollection *self)
{
  self->environments = g_list_store_new (SONDE_TYPE_ENVIRONMENT);
  self->environment_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    (GDestroyNotify)sonde_disk_state_unref);
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

SondeCollection *
sonde_collection_load (GFile         *dir,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(SondeCollection) self = NULL;
  g_autoptr(GFile) marker = NULL;
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) environments = NULL;
  Scan scan = { NULL, NULL, dirs };

  g_return_val_if_fail (G_IS_FILE (dir), NULL);

  marker = g_file_get_child (dir, SONDE_COLLECTION_FILE);
  if (g_file_query_file_type (marker, G_FILE_QUERY_INFO_NONE, cancellable) != G_FILE_TYPE_REGULAR)
    {
      g_autofree char *name = g_file_get_parse_name (dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” is not a Sonde collection: it has no %s"), name, SONDE_COLLECTION_FILE);
      return NULL;
    }

  self = g_object_new (SONDE_TYPE_COLLECTION, NULL);
  self->path = g_file_get_path (dir);
  if (self->path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Collections must be local folders"));
      return NULL;
    }
  /* The path is the identity (secrets, local state): make it canonical. */
  {
    g_autofree char *canonical = g_canonicalize_filename (self->path, NULL);

    g_free (self->path);
    self->path = g_steal_pointer (&canonical);
    self->dir = g_file_new_for_path (self->path);
  }

  scan.root_dir = self->dir;
  self->root = scan_folder (&scan, self->dir, TRUE);
  environments = scan_environments (self->dir, NULL);
  merge_environments (self, environments);

  return g_steal_pointer (&self);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  SondeCollection *self = sonde_collection_load (task_data, cancellable, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
sonde_collection_load_async (GFile               *dir,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (dir));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_load_async);
  g_task_set_task_data (task, g_object_ref (dir), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

SondeCollection *
sonde_collection_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

SondeCollection *
sonde_collection_create (GFile       *dir,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GFile) marker = NULL;
  g_autoptr(SondeCollectionNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;

  g_return_val_if_fail (G_IS_FILE (dir), NULL);

  if (!g_file_make_directory_with_parents (dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  marker = g_file_get_child (dir, SONDE_COLLECTION_FILE);
  if (g_file_query_exists (marker, NULL))
    {
      g_autofree char *path = g_file_get_parse_name (dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” is a collection already"), path);
      return NULL;
    }

  root = sonde_collection_node_new_folder (dir, TRUE);
  if (name != NULL && name[0] != '\0')
    sonde_collection_node_set_name (root, name);
  data = sonde_collection_node_settings_to_data (root);
  if (!sonde_file_write_atomic (marker, data, strlen (data), 0644, error))
    return NULL;

  return sonde_collection_load (dir, NULL, error);
}

GFile *
sonde_collection_find_dir (GFile *file)
{
  g_autoptr(GFile) dir = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  dir = g_object_ref (file);
  while (dir != NULL)
    {
      g_autoptr(GFile) marker = g_file_get_child (dir, SONDE_COLLECTION_FILE);

      if (g_file_query_file_type (marker, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR)
        return g_steal_pointer (&dir);

      {
        GFile *parent = g_file_get_parent (dir);

        g_object_unref (dir);
        dir = parent;
      }
    }

  return NULL;
}

GFile *
sonde_collection_get_dir (SondeCollection *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  return self->dir;
}

const char *
sonde_collection_get_path (SondeCollection *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  return self->path;
}

const char *
sonde_collection_get_name (SondeCollection *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  return self->root->name;
}

SondeCollectionNode *
sonde_collection_get_root (SondeCollection *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  return self->root;
}

GListModel *
sonde_collection_get_environments (SondeCollection *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  return G_LIST_MODEL (self->environments);
}

SondeEnvironment *
sonde_collection_find_environment (SondeCollection *self,
                                   const char      *name)
{
  GListModel *environments;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  environments = G_LIST_MODEL (self->environments);
  for (guint i = 0; i < g_list_model_get_n_items (environments); i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (environments, i);
      g_autofree char *basename = g_file_get_basename (sonde_environment_get_file (environment));

      if (g_str_has_suffix (basename, ".json"))
        basename[strlen (basename) - strlen (".json")] = '\0';
      if (g_str_equal (sonde_environment_get_name (environment), name) || g_str_equal (basename, name))
        return environment; /* the store keeps it alive */
    }

  return NULL;
}

static SondeCollectionNode *
find_node (SondeCollectionNode *node,
           GFile               *file)
{
  if (g_file_equal (node->file, file))
    return node;

  if (node->children == NULL || !g_file_has_prefix (file, node->file))
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);
      SondeCollectionNode *found = find_node (child, file);

      if (found != NULL)
        return found;
    }

  return NULL;
}

SondeCollectionNode *
sonde_collection_find_node (SondeCollection *self,
                            GFile           *file)
{
  g_autofree char *path = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(GFile) canonical_file = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    return NULL;
  canonical = g_canonicalize_filename (path, NULL);
  canonical_file = g_file_new_for_path (canonical);

  return find_node (self->root, canonical_file);
}

static void
list_requests (SondeCollectionNode *node,
               GPtrArray           *requests)
{
  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_ptr_array_add (requests, g_object_ref (node));
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);

      list_requests (child, requests);
    }
}

/**
 * sonde_collection_list_requests:
 *
 * Returns: (transfer full) (element-type SondeCollectionNode): request nodes
 */
GPtrArray *
sonde_collection_list_requests (SondeCollection     *self,
                                SondeCollectionNode *node)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), requests);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), requests);

  list_requests (node, requests);
  return requests;
}

/* ------------------------------------------------------------------------------------------
 * Local state
 * ------------------------------------------------------------------------------------------ */

static GFile *
state_file (void)
{
  return g_file_new_build_filename (g_get_user_state_dir (), "sonde", "collections.ini", NULL);
}

static char *
state_group (GFile *dir)
{
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *canonical = g_canonicalize_filename (path ? path : "", NULL);

  /* Key file groups cannot hold "[" or "]". */
  return g_uri_escape_string (canonical, "/ ", TRUE);
}

static GKeyFile *
load_state (void)
{
  g_autoptr(GFile) file = state_file ();
  g_autofree char *path = g_file_get_path (file);
  GKeyFile *key_file = g_key_file_new ();

  g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  return key_file;
}

/**
 * sonde_collection_state_get_string:
 * @key: a key file key ("active-environment", "selected-request", …)
 *
 * Returns: (transfer full) (nullable): the value kept for the collection in @dir
 */
char *
sonde_collection_state_get_string (GFile      *dir,
                                   const char *key)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *group = NULL;

  g_return_val_if_fail (G_IS_FILE (dir), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  key_file = load_state ();
  group = state_group (dir);
  return g_key_file_get_string (key_file, group, key, NULL);
}

/* VALUE NULL removes the key. Written atomically, 0600. */
gboolean
sonde_collection_state_set_string (GFile       *dir,
                                   const char  *key,
                                   const char  *value,
                                   GError     **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GFile) file = state_file ();
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *parent_path = g_file_get_path (parent);
  g_autofree char *group = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (dir), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  key_file = load_state ();
  group = state_group (dir);
  if (value != NULL)
    g_key_file_set_string (key_file, group, key, value);
  else
    g_key_file_remove_key (key_file, group, key, NULL);

  if (g_mkdir_with_parents (parent_path, 0700) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create “%s”: %s"), parent_path, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (key_file, &length, NULL);
  return sonde_file_write_atomic (file, data, length, 0600, error);
}

char *
sonde_collection_state_get_active_environment (GFile *dir)
{
  return sonde_collection_state_get_string (dir, "active-environment");
}

gboolean
sonde_collection_state_set_active_environment (GFile       *dir,
                                               const char  *name,
                                               GError     **error)
{
  return sonde_collection_state_set_string (dir, "active-environment", name, error);
}
