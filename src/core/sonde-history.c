/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-history"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sonde-history.h"
#include "sonde-history-private.h"
#include "sonde-request-io.h"

/* Far above what an entry takes with its values cut (escaping included). */
#define MAX_ENTRY_FILE_SIZE (8 * 1024 * 1024)

/* ------------------------------------------------------------------------------------------
 * SondeHistory
 * ------------------------------------------------------------------------------------------ */

typedef enum
{
  JOB_WRITE,
  JOB_DELETE,
  JOB_CLEAR,
} JobKind;

/* One write to the folder. A single worker runs them in order, so that a delete never
 * overtakes the write of the same file. */
typedef struct
{
  JobKind       kind;
  SondeHistory *history;     /* borrowed: finalize waits for the worker */
  GWeakRef      history_ref; /* to report a failure on the main thread */
  GFile        *file;        /* the entry file, or the folder for JOB_CLEAR */
  char         *data;
  gsize         length;
  GError       *error;
} Job;

struct _SondeHistory
{
  GObject       parent_instance;

  GFile        *dir;
  GPtrArray    *entries;        /* SondeHistoryEntry, newest first */
  guint         max_entries;
  gsize         total_size;

  /* Loading */
  gboolean      loaded;
  gboolean      loading;
  guint         generation;     /* bumped by clear: a load that saw older files drops them */
  GHashTable   *removed_ids;    /* removed while a load runs */
  GStrv         load_problems;

  /* Writing */
  GThreadPool  *writer;
  GMutex        mutex;
  GCond         idle_cond;
  guint         pending_jobs;
  GMainContext *context;
  GError       *save_error;
};

static GType
sonde_history_get_item_type (GListModel *model)
{
  return SONDE_TYPE_HISTORY_ENTRY;
}

static guint
sonde_history_get_n_items (GListModel *model)
{
  return SONDE_HISTORY (model)->entries->len;
}

static gpointer
sonde_history_get_item (GListModel *model,
                        guint       position)
{
  SondeHistory *self = SONDE_HISTORY (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sonde_history_get_item_type;
  iface->get_n_items = sonde_history_get_n_items;
  iface->get_item = sonde_history_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SondeHistory, sonde_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_DIR,
  PROP_LOADED,
  PROP_MAX_ENTRIES,
  PROP_SAVE_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
job_free (Job *job)
{
  g_weak_ref_clear (&job->history_ref);
  g_clear_object (&job->file);
  g_free (job->data);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
report_save_failure_cb (gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(SondeHistory) self = g_weak_ref_get (&job->history_ref);

  if (self != NULL)
    {
      g_clear_error (&self->save_error);
      self->save_error = g_steal_pointer (&job->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_ERROR]);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
delete_file (GFile   *file,
             GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_delete (file, NULL, &local_error) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return TRUE;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
is_entry_file_name (const char *name)
{
  return name[0] != '.' && g_str_has_suffix (name, ".json");
}

static gboolean
delete_all_entries (GFile   *dir,
                    GError **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) local_error = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error);
  if (children == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  while (g_file_enumerator_iterate (children, &info, &child, NULL, error))
    {
      if (info == NULL)
        return TRUE;
      if (is_entry_file_name (g_file_info_get_name (info)) && !delete_file (child, error))
        return FALSE;
    }

  return FALSE;
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  SondeHistory *history = job->history;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case JOB_WRITE:
      {
        g_autoptr(GFile) dir = g_file_get_parent (job->file);

        if (g_mkdir_with_parents (g_file_peek_path (dir), 0700) < 0)
          {
            int saved_errno = errno;

            g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                         _("Could not create the history folder %s: %s"),
                         g_file_peek_path (dir), g_strerror (saved_errno));
          }
        else
          ok = sonde_file_write_atomic (job->file, job->data, job->length, 0600, &error);
      }
      break;

    case JOB_DELETE:
      ok = delete_file (job->file, &error);
      break;

    case JOB_CLEAR:
      ok = delete_all_entries (job->file, &error);
      break;

    default:
      g_assert_not_reached ();
    }

  /* The job goes to the main thread, which owns the history's state, with its error. */
  if (!ok)
    {
      job->error = g_steal_pointer (&error);
      g_main_context_invoke_full (history->context, G_PRIORITY_DEFAULT,
                                  report_save_failure_cb, job, (GDestroyNotify) job_free);
    }
  else
    job_free (job);

  g_mutex_lock (&history->mutex);
  history->pending_jobs--;
  g_cond_broadcast (&history->idle_cond);
  g_mutex_unlock (&history->mutex);
}

static void
queue_job (SondeHistory *self,
           JobKind       kind,
           GFile        *file,
           char         *data,
           gsize         length)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->history = self;
  g_weak_ref_init (&job->history_ref, self);
  job->file = g_object_ref (file);
  job->data = data;
  job->length = length;

  g_mutex_lock (&self->mutex);
  self->pending_jobs++;
  g_mutex_unlock (&self->mutex);

  g_thread_pool_push (self->writer, job, NULL);
}

static GFile *
entry_file (SondeHistory      *self,
            SondeHistoryEntry *entry)
{
  g_autofree char *name = g_strconcat (sonde_history_entry_get_id (entry), ".json", NULL);

  return g_file_get_child (self->dir, name);
}

/* Drops entry POSITION from the array and its file from the folder (no items-changed). */
static void
forget_entry (SondeHistory *self,
              guint         position)
{
  SondeHistoryEntry *entry = g_ptr_array_index (self->entries, position);
  g_autoptr(GFile) file = entry_file (self, entry);

  if (self->loading)
    g_hash_table_add (self->removed_ids, g_strdup (sonde_history_entry_get_id (entry)));

  queue_job (self, JOB_DELETE, file, NULL, 0);
  self->total_size -= sonde_history_entry_get_file_size (entry);
  g_ptr_array_remove_index (self->entries, position);
}

/* Removes the oldest entries beyond the bounds (keeping at least the newest one).
 * Returns how many went from the end of the list. */
static guint
enforce_bounds (SondeHistory *self)
{
  guint removed = 0;

  while (self->entries->len > 0 &&
         (self->entries->len > self->max_entries ||
          (self->total_size > SONDE_HISTORY_MAX_BYTES && self->entries->len > 1)))
    {
      forget_entry (self, self->entries->len - 1);
      removed++;
    }

  return removed;
}

static void
sonde_history_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SondeHistory *self = SONDE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_DIR:
      g_value_set_object (value, self->dir);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_MAX_ENTRIES:
      g_value_set_uint (value, self->max_entries);
      break;
    case PROP_SAVE_ERROR:
      g_value_set_boxed (value, self->save_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_history_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SondeHistory *self = SONDE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_DIR:
      self->dir = g_value_dup_object (value);
      break;
    case PROP_MAX_ENTRIES:
      sonde_history_set_max_entries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_history_constructed (GObject *object)
{
  SondeHistory *self = SONDE_HISTORY (object);

  G_OBJECT_CLASS (sonde_history_parent_class)->constructed (object);

  if (self->dir == NULL)
    self->dir = sonde_history_get_default_dir ();
}

static void
sonde_history_finalize (GObject *object)
{
  SondeHistory *self = SONDE_HISTORY (object);

  /* Every queued write finishes: nothing sent is lost on quit. */
  g_thread_pool_free (self->writer, FALSE, TRUE);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->removed_ids, g_hash_table_unref);
  g_clear_pointer (&self->load_problems, g_strfreev);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->save_error);
  g_clear_object (&self->dir);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->idle_cond);

  G_OBJECT_CLASS (sonde_history_parent_class)->finalize (object);
}

static void
sonde_history_class_init (SondeHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sonde_history_get_property;
  object_class->set_property = sonde_history_set_property;
  object_class->constructed = sonde_history_constructed;
  object_class->finalize = sonde_history_finalize;

  properties[PROP_DIR] =
    g_param_spec_object ("dir", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_ENTRIES] =
    g_param_spec_uint ("max-entries", NULL, NULL, 1, G_MAXUINT, SONDE_HISTORY_MAX_ENTRIES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAVE_ERROR] =
    g_param_spec_boxed ("save-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_history_init (SondeHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_entries = SONDE_HISTORY_MAX_ENTRIES;
  self->removed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->mutex);
  g_cond_init (&self->idle_cond);
  self->writer = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);
}

/**
 * sonde_history_new:
 * @dir: the folder of the entry files
 *
 * Returns: (transfer full): an empty history; load it with sonde_history_load_async()
 */
SondeHistory *
sonde_history_new (GFile *dir)
{
  g_return_val_if_fail (G_IS_FILE (dir), NULL);

  return g_object_new (SONDE_TYPE_HISTORY, "dir", dir, NULL);
}

SondeHistory *
sonde_history_new_default (void)
{
  return g_object_new (SONDE_TYPE_HISTORY, NULL);
}

/**
 * sonde_history_get_default:
 *
 * Returns: (transfer none): the process-wide history, loading from the default folder
 */
SondeHistory *
sonde_history_get_default (void)
{
  static SondeHistory *default_history;

  if (default_history == NULL)
    {
      default_history = sonde_history_new_default ();
      sonde_history_load_async (default_history, NULL, NULL, NULL);
    }

  return default_history;
}

/**
 * sonde_history_get_default_dir:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/sonde/history
 */
GFile *
sonde_history_get_default_dir (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "sonde", "history", NULL);
}

GFile *
sonde_history_get_dir (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), NULL);
  return self->dir;
}

gboolean
sonde_history_get_loaded (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), FALSE);
  return self->loaded;
}

const char * const *
sonde_history_get_load_problems (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), NULL);
  return (const char * const *) self->load_problems;
}

const GError *
sonde_history_get_save_error (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), NULL);
  return self->save_error;
}

guint
sonde_history_get_max_entries (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), 0);
  return self->max_entries;
}

void
sonde_history_set_max_entries (SondeHistory *self,
                               guint         max_entries)
{
  guint old_len;
  guint removed;

  g_return_if_fail (SONDE_IS_HISTORY (self));
  g_return_if_fail (max_entries > 0);

  if (self->max_entries == max_entries)
    return;

  self->max_entries = max_entries;
  old_len = self->entries->len;
  if ((removed = enforce_bounds (self)) > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), old_len - removed, removed, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ENTRIES]);
}

/**
 * sonde_history_flush:
 *
 * Waits until every queued write and delete reached the folder (for tests and quitting).
 */
void
sonde_history_flush (SondeHistory *self)
{
  g_return_if_fail (SONDE_IS_HISTORY (self));

  g_mutex_lock (&self->mutex);
  while (self->pending_jobs > 0)
    g_cond_wait (&self->idle_cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}

void
sonde_history_add (SondeHistory  *self,
                   SondeRequest  *request,
                   SondeResponse *response,
                   const GError  *error)
{
  g_autoptr(SondeHistoryEntry) entry = NULL;
  g_autoptr(GFile) file = NULL;
  char *data;
  guint old_len;
  guint removed;

  g_return_if_fail (SONDE_IS_HISTORY (self));
  g_return_if_fail (SONDE_IS_REQUEST (request));
  g_return_if_fail (response == NULL || SONDE_IS_RESPONSE (response));

  entry = sonde_history_entry_new (request, response, error, &data);
  file = entry_file (self, entry);
  queue_job (self, JOB_WRITE, file, data, sonde_history_entry_get_file_size (entry));

  g_ptr_array_insert (self->entries, 0, g_object_ref (entry));
  self->total_size += sonde_history_entry_get_file_size (entry);
  old_len = self->entries->len;
  removed = enforce_bounds (self);

  /* The new row at the top, then the oldest gone from the end. */
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), old_len - removed, removed, 0);
}

void
sonde_history_remove (SondeHistory      *self,
                      SondeHistoryEntry *entry)
{
  guint position;

  g_return_if_fail (SONDE_IS_HISTORY (self));
  g_return_if_fail (SONDE_IS_HISTORY_ENTRY (entry));

  if (!g_ptr_array_find (self->entries, entry, &position))
    return;

  forget_entry (self, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
sonde_history_clear (SondeHistory *self)
{
  guint n;

  g_return_if_fail (SONDE_IS_HISTORY (self));

  n = self->entries->len;
  self->generation++;
  self->total_size = 0;
  g_ptr_array_set_size (self->entries, 0);
  queue_job (self, JOB_CLEAR, self->dir, NULL, 0);

  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

/* ------------------------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------------------------ */

typedef struct
{
  GFile     *dir;
  guint      generation;
  GPtrArray *entries;  /* SondeHistoryEntry */
  GPtrArray *problems; /* char*, NULL-terminated when done */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->dir);
  g_clear_pointer (&data->entries, g_ptr_array_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

/* A file that does not parse is renamed, never deleted: the user may want to look. */
static void
set_aside (LoadData     *data,
           GFile        *file,
           const GError *error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);

  if (g_rename (path, aside) < 0)
    {
      int saved_errno = errno;

      g_ptr_array_add (data->problems,
                       g_strdup_printf (_("The history entry %s could not be read and could not be set aside: %s (%s)"),
                                        path, error->message, g_strerror (saved_errno)));
      return;
    }

  g_ptr_array_add (data->problems,
                   g_strdup_printf (_("The history entry %s could not be read and was renamed %s: %s"),
                                    path, aside, error->message));
}

static void
load_entry_file (LoadData     *data,
                 GFile        *file,
                 GFileInfo    *info,
                 GCancellable *cancellable)
{
  const char *name = g_file_info_get_name (info);
  g_autofree char *contents = NULL;
  g_autofree char *id = g_strndup (name, strlen (name) - strlen (".json"));
  g_autoptr(GError) error = NULL;
  SondeHistoryEntry *entry;
  gsize length = 0;
  gboolean skip = FALSE;

  /* Sonde never writes files this large: not read into memory. */
  if (g_file_info_get_size (info) > MAX_ENTRY_FILE_SIZE)
    {
      g_autofree char *limit = g_format_size (MAX_ENTRY_FILE_SIZE);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The file is larger than %s, more than a history entry ever takes."), limit);
      set_aside (data, file, error);
      return;
    }

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      /* Deleted in the meantime (a clear or a bound): not a problem. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_aside (data, file, error);
      return;
    }

  if (!(entry = sonde_history_entry_new_from_data (id, contents, length, &skip, &error)))
    {
      if (!skip)
        set_aside (data, file, error);
      return;
    }

  g_ptr_array_add (data->entries, entry);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  GFile *child;

  {
    g_autofree char *path = g_file_get_path (data->dir);

    if (path != NULL)
      sonde_temp_files_clean (path, NULL);
  }
  children = g_file_enumerate_children (data->dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &error);
  if (children == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  while (g_file_enumerator_iterate (children, &info, &child, cancellable, &error) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && is_entry_file_name (name))
        load_entry_file (data, child, info, cancellable);
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
has_entry_with_id (SondeHistory *self,
                   const char   *id)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (g_str_equal (sonde_history_entry_get_id (g_ptr_array_index (self->entries, i)), id))
      return TRUE;
  return FALSE;
}

/* On the main thread: the loaded entries join the ones added meanwhile. */
static void
merge_loaded (SondeHistory *self,
              LoadData     *data)
{
  guint old_len = self->entries->len;

  if (data->generation == self->generation)
    for (guint i = 0; i < data->entries->len; i++)
      {
        SondeHistoryEntry *entry = g_ptr_array_index (data->entries, i);

        const char *id = sonde_history_entry_get_id (entry);

        if (g_hash_table_contains (self->removed_ids, id) || has_entry_with_id (self, id))
          continue;

        g_ptr_array_add (self->entries, g_object_ref (entry));
        self->total_size += sonde_history_entry_get_file_size (entry);
      }

  g_ptr_array_sort_with_data (self->entries, sonde_history_entry_compare, NULL);
  enforce_bounds (self);

  g_clear_pointer (&self->load_problems, g_strfreev);
  if (data->problems->len > 0)
    {
      g_ptr_array_add (data->problems, NULL);
      self->load_problems = (GStrv) g_ptr_array_free (g_steal_pointer (&data->problems), FALSE);
    }

  if (old_len > 0 || self->entries->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->entries->len);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SondeHistory *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (G_TASK (result));

  self->loading = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_hash_table_remove_all (self->removed_ids);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  merge_loaded (self, data);
  g_hash_table_remove_all (self->removed_ids);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  g_task_return_boolean (task, TRUE);
}

void
sonde_history_load_async (SondeHistory        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread_task = NULL;
  LoadData *data;

  g_return_if_fail (SONDE_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_history_load_async);

  data = g_new0 (LoadData, 1);
  data->dir = g_object_ref (self->dir);
  data->generation = self->generation;
  data->entries = g_ptr_array_new_with_free_func (g_object_unref);
  data->problems = g_ptr_array_new_with_free_func (g_free);

  self->loading = TRUE;
  /* No source object: the worker thread may drop its reference to the task after the
   * callback ran, and that must not keep the history alive. */
  thread_task = g_task_new (NULL, cancellable, load_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, sonde_history_load_async);
  g_task_set_task_data (thread_task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (thread_task, load_thread);
}

gboolean
sonde_history_load_finish (SondeHistory  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
