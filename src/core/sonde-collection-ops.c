/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-collection"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-collection-private.h"
#include "sonde-error.h"
#include "sonde-request-io.h"

/* The operations that write a collection (moves, duplicates and deletes are in
 * sonde-collection-move.c). Each writes only the files whose bytes change
 * (sonde_collection_write_if_changed ()), updates the nodes it touched, and then reloads,
 * which finds every file as the nodes remember it: no "changed on disk" for Sonde's own
 * writes. */

/* ------------------------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------------------------ */

/* "Create user (v2)" -> "create-user-v2": lowercase letters and digits, "-" between words. */
char *
sonde_collection_request_stem (const char *name)
{
  GString *stem = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = name; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (dash && stem->len > 0)
            g_string_append_c (stem, '-');
          g_string_append_unichar (stem, g_unichar_tolower (c));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }

  if (stem->len == 0)
    g_string_append (stem, "request");
  return g_string_free (stem, FALSE);
}

/* A folder's directory is called as the folder, minus what a file name cannot hold. */
char *
sonde_collection_folder_dir_name (const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  char *dir_name;

  g_strdelimit (trimmed, "/\\", '-');
  dir_name = trimmed;
  while (*dir_name == '.')
    dir_name++;
  return g_strdup (*dir_name != '\0' ? dir_name : "folder");
}

/* Names taken by writes still in a worker thread (a duplicate made twice in a row must not
 * pick the same name twice). Process-wide; the last reference to a write may go on any thread. */
static GMutex reserved_mutex;
static GHashTable *reserved_paths;

static gboolean
is_reserved (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&reserved_mutex);

  return reserved_paths != NULL && path != NULL && g_hash_table_contains (reserved_paths, path);
}

/* DIR/STEMSUFFIX, or DIR/STEM-2SUFFIX, … whichever does not exist and is not reserved. */
GFile *
sonde_collection_unique_child (GFile      *dir,
              const char *stem,
              const char *suffix)
{
  for (guint i = 1;; i++)
    {
      g_autofree char *name = i == 1 ? g_strconcat (stem, suffix, NULL)
                                     : g_strdup_printf ("%s-%u%s", stem, i, suffix);
      GFile *file = g_file_get_child (dir, name);

      if (!g_file_query_exists (file, NULL) && !is_reserved (file))
        return file;
      g_object_unref (file);
    }
}

GFile *
sonde_collection_reserve_child (GFile      *dir,
                                const char *stem,
                                const char *suffix)
{
  GFile *file = sonde_collection_unique_child (dir, stem, suffix);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&reserved_mutex);

  if (reserved_paths == NULL)
    reserved_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (reserved_paths, g_file_get_path (file));
  return file;
}

void
sonde_collection_release_child (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&reserved_mutex);

  if (reserved_paths != NULL && path != NULL)
    g_hash_table_remove (reserved_paths, path);
}

char *
sonde_collection_file_stem (GFile      *file,
           const char *suffix)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (g_str_has_suffix (basename, suffix))
    basename[strlen (basename) - strlen (suffix)] = '\0';
  return g_steal_pointer (&basename);
}

/* ------------------------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------------------------ */

static gboolean
file_has_contents (GFile      *file,
                   const char *data)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, NULL))
    return FALSE;
  return length == strlen (data) && memcmp (contents, data, length) == 0;
}

gboolean
sonde_collection_write_if_changed (GFile       *file,
                                   const char  *data,
                                   GError     **error)
{
  if (file_has_contents (file, data))
    return TRUE;
  return sonde_file_write_atomic (file, data, strlen (data), 0644, error);
}

struct _SondeRequestWrite
{
  GFile *file;
  char  *data;
  GFile *sidecar;      /* NULL when the body text is inline */
  char  *sidecar_text;
};

void
sonde_request_write_free (gpointer data)
{
  SondeRequestWrite *write = data;

  g_clear_object (&write->file);
  g_free (write->data);
  g_clear_object (&write->sidecar);
  g_free (write->sidecar_text);
  g_free (write);
}

SondeRequestWrite *
sonde_request_write_new (SondeRequest *request,
                         GFile        *file)
{
  SondeRequestWrite *write = g_new0 (SondeRequestWrite, 1);
  g_autofree char *basename = g_file_get_basename (file);

  write->file = g_object_ref (file);
  write->data = sonde_request_to_data (request, basename, &write->sidecar_text);
  if (write->sidecar_text != NULL)
    {
      g_autoptr(GFile) dir = g_file_get_parent (file);
      const char *name = sonde_body_get_text_file (sonde_request_read_body (request));

      write->sidecar = g_path_is_absolute (name) ? g_file_new_for_path (name)
                                                 : g_file_resolve_relative_path (dir, name);
    }

  return write;
}

/* The sidecar first, so that the file never names a missing one; each only when its bytes
 * change. */
gboolean
sonde_request_write_run (SondeRequestWrite  *write,
                         GError            **error)
{
  gboolean sidecar_changed = write->sidecar != NULL && !file_has_contents (write->sidecar, write->sidecar_text);
  gboolean file_changed = !file_has_contents (write->file, write->data);

  return sonde_file_write_atomic_pair (sidecar_changed ? write->sidecar : NULL, write->sidecar_text,
                                       file_changed ? write->file : NULL, write->data, 0644, error);
}

gboolean
sonde_collection_write_request (SondeRequest  *request,
               GFile         *file,
               GError       **error)
{
  SondeRequestWrite *write = sonde_request_write_new (request, file);
  gboolean ret = sonde_request_write_run (write, error);

  sonde_request_write_free (write);
  return ret;
}

gboolean
sonde_collection_write_settings (SondeCollectionNode  *folder,
                GError              **error)
{
  g_autoptr(GFile) file = sonde_collection_node_settings_file (folder);
  g_autofree char *data = sonde_collection_node_settings_to_data (folder);

  if (!sonde_collection_write_if_changed (file, data, error))
    return FALSE;

  g_clear_pointer (&folder->disk, sonde_disk_state_unref);
  folder->disk = sonde_disk_state_read (file, NULL);
  folder->has_settings_file = TRUE;
  return TRUE;
}

gboolean
sonde_collection_refuse_broken (SondeCollectionNode  *node,
               GError              **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;

  if (node->error == NULL)
    return TRUE;

  file = node->kind == SONDE_COLLECTION_NODE_REQUEST ? g_object_ref (node->file)
                                                      : sonde_collection_node_settings_file (node);
  name = g_file_get_parse_name (file);
  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
               _("“%s” does not parse, so Sonde does not write it: fix it by hand first (%s)"),
               name, node->error->message);
  return FALSE;
}

static gboolean
is_folder (SondeCollectionNode *node)
{
  return SONDE_IS_COLLECTION_NODE (node) && node->kind == SONDE_COLLECTION_NODE_FOLDER;
}

gint64
sonde_collection_next_order (SondeCollectionNode *folder)
{
  gint64 max = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (folder->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (folder->children), i);

      max = MAX (max, child->order);
    }

  return (max / SONDE_ORDER_STEP + 1) * SONDE_ORDER_STEP;
}

/* Each operation below is planned on the main thread (names, orders, the bytes of each file),
 * written on any thread, which reads back what it wrote, then applied to the tree on the main
 * thread. The sync call runs the three in a row (sonde-cli, tests); the _async () one (the
 * window) writes in a worker thread, and reloads ending meanwhile are not merged. */

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SondeCollectionJob *job = task_data;
  GError *error = NULL;

  if (job->run (job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sonde_collection_start_job (SondeCollection *self,
                            GTask           *task,
                            gpointer         job,
                            GDestroyNotify   job_free)
{
  g_task_set_task_data (task, job, job_free);
  sonde_collection_begin_write (self);
  g_task_run_in_thread (task, job_thread);
}

gpointer
sonde_collection_end_job (SondeCollection  *self,
                          GAsyncResult     *result,
                          GError          **error)
{
  gpointer job = g_task_get_task_data (G_TASK (result));

  /* A job refused before its thread never began a write. */
  if (job != NULL)
    sonde_collection_end_write (self);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      /* What a reload found meanwhile was not merged. */
      if (job != NULL)
        sonde_collection_settle (self, NULL);
      return NULL;
    }
  return job;
}

/* NODE, new in the tree, settled; an error when the reload did not find its file. */
static SondeCollectionNode *
settle_new (SondeCollection      *self,
            SondeCollectionNode  *node,
            GError              **error)
{
  if (!sonde_collection_settle (self, error))
    return NULL;
  if (node->parent == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (node->file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("“%s” disappeared after it was written"), name);
      return NULL;
    }
  return node;
}

/* ------------------------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------------------------ */

/* A request file written (saves, new requests, renames): a new one goes into FOLDER, an
 * existing NODE takes the state read back. */
typedef struct
{
  SondeCollectionJob   job;
  SondeRequestWrite   *write;
  GFile               *file;
  GFile               *root_dir;
  SondeCollectionNode *folder;   /* a new request goes there */
  SondeCollectionNode *node;     /* an existing request takes the new state */
  SondeRequest        *request;  /* a save's own copy, which gets the file */
  SondeCollectionNode *fresh;
  gboolean             reserved; /* FILE's name, taken for a new request */
} RequestJob;

static void
request_job_free (gpointer data)
{
  RequestJob *job = data;

  sonde_request_write_free (job->write);
  if (job->reserved)
    sonde_collection_release_child (job->file);
  g_clear_object (&job->file);
  g_clear_object (&job->root_dir);
  g_clear_object (&job->folder);
  g_clear_object (&job->node);
  g_clear_object (&job->request);
  g_clear_object (&job->fresh);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RequestJob, request_job_free)

static gboolean run_request_job (SondeCollectionJob  *data,
                                 GError             **error);

/* REQUEST serialised now, to be written to FILE. */
static RequestJob *
plan_request_write (SondeCollection *self,
                    SondeRequest    *request,
                    GFile           *file)
{
  RequestJob *job = g_new0 (RequestJob, 1);

  job->job.run = run_request_job;
  job->write = sonde_request_write_new (request, file);
  job->file = g_object_ref (file);
  job->root_dir = g_object_ref (sonde_collection_get_dir (self));
  return job;
}

/* A new request in FOLDER, last, in a file named after it. */
static RequestJob *
plan_new_request (SondeCollection     *self,
                  SondeCollectionNode *folder,
                  SondeRequest        *request)
{
  g_autofree char *stem = sonde_collection_request_stem (sonde_request_get_name (request));
  g_autoptr(GFile) file = sonde_collection_reserve_child (folder->file, stem, SONDE_REQUEST_SUFFIX);
  RequestJob *job;

  sonde_request_set_order (request, sonde_collection_next_order (folder));
  sonde_request_set_base_dir (request, sonde_collection_get_dir (self));
  job = plan_request_write (self, request, file);
  job->reserved = TRUE;
  job->folder = g_object_ref (folder);
  return job;
}

/* NODE's file written with COPY, unless the file on disk does not parse. */
static RequestJob *
plan_rewrite (SondeCollection      *self,
              SondeCollectionNode  *node,
              SondeRequest         *copy,
              GError              **error)
{
  RequestJob *job;

  if (!sonde_collection_refuse_broken (node, error))
    return NULL;
  job = plan_request_write (self, copy, node->file);
  job->node = g_object_ref (node);
  return job;
}

/* Any thread. */
static gboolean
run_request_job (SondeCollectionJob  *data,
                 GError             **error)
{
  RequestJob *job = (RequestJob *) data;

  if (!sonde_request_write_run (job->write, error))
    return FALSE;
  job->fresh = sonde_collection_node_new_request (job->file);
  sonde_collection_node_load_request (job->fresh, job->root_dir);
  return TRUE;
}

/* The node written: the new one in its folder, or the existing one brought up to date. */
static SondeCollectionNode *
apply_request_job (SondeCollection  *self,
                   RequestJob       *job,
                   GError          **error)
{
  if (job->folder != NULL)
    {
      sonde_collection_insert_node (job->folder, job->fresh);
      return settle_new (self, job->fresh, error);
    }

  if (job->request != NULL)
    sonde_request_set_file (job->request, job->file);
  sonde_collection_take_written (self, job->node, job->fresh);
  if (!sonde_collection_settle (self, error))
    return NULL;
  return job->node;
}

static SondeCollectionNode *
run_request_job_now (SondeCollection  *self,
                     RequestJob       *job,
                     GError          **error)
{
  if (job == NULL || !run_request_job (&job->job, error))
    return NULL;
  return apply_request_job (self, job, error);
}

static SondeCollectionNode *
finish_request_job (SondeCollection  *self,
                    GAsyncResult     *result,
                    GError          **error)
{
  RequestJob *job = sonde_collection_end_job (self, result, error);

  return job != NULL ? apply_request_job (self, job, error) : NULL;
}

SondeCollectionNode *
sonde_collection_create_request (SondeCollection      *self,
                                 SondeCollectionNode  *folder,
                                 const char           *name,
                                 GError              **error)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(RequestJob) job = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (is_folder (folder), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  sonde_request_set_name (request, name);
  job = plan_new_request (self, folder, request);
  return run_request_job_now (self, job, error);
}

/* PATH, relative to REQUEST's file, made relative to the collection. */
static char *
rebase_path (SondeCollection *self,
             SondeRequest    *request,
             const char      *path)
{
  g_autoptr(GFile) file = NULL;
  char *relative;

  /* {{variables}} and absolute paths stay as they are. */
  if (path == NULL || g_path_is_absolute (path) || strstr (path, "{{") != NULL)
    return g_strdup (path);

  file = sonde_request_resolve_path (request, path);
  relative = g_file_get_relative_path (sonde_collection_get_dir (self), file);
  return relative != NULL ? relative : g_file_get_path (file);
}

SondeCollectionNode *
sonde_collection_add_request (SondeCollection      *self,
                              SondeCollectionNode  *folder,
                              SondeRequest         *request,
                              const char           *name,
                              GError              **error)
{
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(RequestJob) job = NULL;
  SondeBody *body;
  GListModel *parts;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (is_folder (folder), NULL);
  g_return_val_if_fail (SONDE_IS_REQUEST (request), NULL);

  copy = sonde_request_copy (request);
  if (name != NULL)
    sonde_request_set_name (copy, name);
  if (sonde_request_get_name (copy)[0] == '\0')
    sonde_request_set_name (copy, _("New request"));

  /* The body text gets a sidecar of its own, next to its new file. */
  body = sonde_request_get_body (copy);
  sonde_body_set_text_file (body, NULL);
  {
    g_autofree char *file = rebase_path (self, request, sonde_body_get_file (body));

    sonde_body_set_file (body, file);
  }
  parts = G_LIST_MODEL (sonde_body_get_parts (body));
  for (guint i = 0; i < g_list_model_get_n_items (parts); i++)
    {
      g_autoptr(SondeBodyPart) part = g_list_model_get_item (parts, i);
      g_autofree char *file = rebase_path (self, request, sonde_body_part_get_file (part));

      if (file != NULL)
        sonde_body_part_set_file (part, file);
    }

  job = plan_new_request (self, folder, copy);
  return run_request_job_now (self, job, error);
}

gboolean
sonde_collection_save_request (SondeCollection      *self,
                               SondeCollectionNode  *node,
                               SondeRequest         *request,
                               GError              **error)
{
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(RequestJob) job = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), FALSE);
  g_return_val_if_fail (node->kind == SONDE_COLLECTION_NODE_REQUEST, FALSE);
  g_return_val_if_fail (SONDE_IS_REQUEST (request), FALSE);

  copy = sonde_request_copy (request);
  job = plan_rewrite (self, node, copy, error);
  if (job != NULL)
    job->request = g_object_ref (request);
  return run_request_job_now (self, job, error) != NULL;
}

/**
 * sonde_collection_save_request_async:
 *
 * Same as sonde_collection_save_request(), writing in a worker thread. The node is brought up
 * to date in sonde_collection_save_request_finish().
 */
void
sonde_collection_save_request_async (SondeCollection      *self,
                                     SondeCollectionNode  *node,
                                     SondeRequest         *request,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SondeRequest) copy = NULL;
  RequestJob *job;
  GError *error = NULL;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (SONDE_IS_COLLECTION_NODE (node));
  g_return_if_fail (node->kind == SONDE_COLLECTION_NODE_REQUEST);
  g_return_if_fail (SONDE_IS_REQUEST (request));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_save_request_async);

  copy = sonde_request_copy (request);
  job = plan_rewrite (self, node, copy, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->request = g_object_ref (request);
  sonde_collection_start_job (self, task, job, request_job_free);
}

gboolean
sonde_collection_save_request_finish (SondeCollection  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return finish_request_job (self, result, error) != NULL;
}

void
sonde_collection_create_request_async (SondeCollection      *self,
                                       SondeCollectionNode  *folder,
                                       const char           *name,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SondeRequest) request = sonde_request_new ();

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (is_folder (folder));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_create_request_async);

  sonde_request_set_name (request, name);
  sonde_collection_start_job (self, task, plan_new_request (self, folder, request), request_job_free);
}

SondeCollectionNode *
sonde_collection_create_request_finish (SondeCollection  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return finish_request_job (self, result, error);
}

/* ------------------------------------------------------------------------------------------
 * Folders
 * ------------------------------------------------------------------------------------------ */

/* A folder renamed: its directory moved (the root's never is), then its settings file
 * written when the directory cannot hold the name. */
typedef struct
{
  SondeCollectionJob   job;
  SondeCollectionNode *folder;
  char                *name;
  GFile               *old_dir;
  GFile               *new_dir;       /* NULL: the directory keeps its name */
  GFile               *settings_file; /* NULL: nothing to write */
  char                *settings;
  SondeDiskState      *disk;          /* the settings file read back */
} FolderRename;

static void
folder_rename_free (gpointer data)
{
  FolderRename *job = data;

  g_clear_object (&job->folder);
  g_free (job->name);
  g_clear_object (&job->old_dir);
  g_clear_object (&job->new_dir);
  g_clear_object (&job->settings_file);
  g_free (job->settings);
  g_clear_pointer (&job->disk, sonde_disk_state_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FolderRename, folder_rename_free)

static gboolean run_folder_rename (SondeCollectionJob  *data,
                                   GError             **error);

static FolderRename *
plan_folder_rename (SondeCollection      *self,
                    SondeCollectionNode  *folder,
                    const char           *name,
                    GError              **error)
{
  g_autofree char *dir_name = sonde_collection_folder_dir_name (name);
  g_autoptr(GFile) parent_dir = folder->is_root ? NULL : g_file_get_parent (folder->file);
  g_autoptr(GFile) new_dir = parent_dir != NULL ? g_file_get_child (parent_dir, dir_name) : g_object_ref (folder->file);
  gboolean name_needed = folder->is_root || !g_str_equal (dir_name, name) || folder->name_in_file;
  FolderRename *job;

  if (name_needed && !sonde_collection_refuse_broken (folder, error))
    return NULL;
  if (!g_file_equal (new_dir, folder->file) && g_file_query_exists (new_dir, NULL))
    {
      g_autofree char *shown = g_file_get_parse_name (new_dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("“%s” exists already"), shown);
      return NULL;
    }

  job = g_new0 (FolderRename, 1);
  job->job.run = run_folder_rename;
  job->folder = g_object_ref (folder);
  job->name = g_strdup (name);
  job->old_dir = g_object_ref (folder->file);
  if (!g_file_equal (new_dir, folder->file))
    job->new_dir = g_object_ref (new_dir);
  if (name_needed)
    {
      /* What the settings file holds once the folder has its new name and place. */
      g_autoptr(SondeCollectionNode) renamed = sonde_collection_node_new_folder (new_dir, folder->is_root);

      sonde_collection_node_take_state (renamed, folder);
      sonde_collection_node_set_name (renamed, name);
      job->settings_file = sonde_collection_node_settings_file (renamed);
      job->settings = sonde_collection_node_settings_to_data (renamed);
    }
  return job;
}

/* Any thread. */
static gboolean
run_folder_rename (SondeCollectionJob  *data,
                   GError             **error)
{
  FolderRename *job = (FolderRename *) data;

  if (job->new_dir != NULL &&
      !g_file_move (job->old_dir, job->new_dir, G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                    NULL, NULL, NULL, error))
    return FALSE;
  if (job->settings_file != NULL)
    {
      if (!sonde_collection_write_if_changed (job->settings_file, job->settings, error))
        {
          /* Back where it was: the tree still names the old directory. */
          if (job->new_dir != NULL)
            g_file_move (job->new_dir, job->old_dir, G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                         NULL, NULL, NULL, NULL);
          return FALSE;
        }
      job->disk = sonde_disk_state_read (job->settings_file, NULL);
    }
  return TRUE;
}

static gboolean
apply_folder_rename (SondeCollection  *self,
                     FolderRename     *job,
                     GError          **error)
{
  if (job->new_dir != NULL)
    sonde_collection_rebase_files (job->folder, job->old_dir, job->new_dir);
  sonde_collection_node_set_name (job->folder, job->name);
  if (job->settings_file != NULL)
    {
      g_clear_pointer (&job->folder->disk, sonde_disk_state_unref);
      job->folder->disk = g_steal_pointer (&job->disk);
      job->folder->has_settings_file = TRUE;
    }
  return sonde_collection_settle (self, error);
}

gboolean
sonde_collection_rename (SondeCollection      *self,
                         SondeCollectionNode  *node,
                         const char           *name,
                         GError              **error)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), FALSE);
  g_return_val_if_fail (name != NULL && name[0] != '\0', FALSE);

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_autoptr(SondeRequest) copy = NULL;
      g_autoptr(RequestJob) job = NULL;

      if (!sonde_collection_refuse_broken (node, error))
        return FALSE;
      copy = sonde_request_copy (node->request);
      sonde_request_set_name (copy, name);
      job = plan_rewrite (self, node, copy, error);
      return run_request_job_now (self, job, error) != NULL;
    }
  else
    {
      g_autoptr(FolderRename) job = plan_folder_rename (self, node, name, error);

      return job != NULL && run_folder_rename (&job->job, error) && apply_folder_rename (self, job, error);
    }
}

void
sonde_collection_rename_async (SondeCollection      *self,
                               SondeCollectionNode  *node,
                               const char           *name,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (SONDE_IS_COLLECTION_NODE (node));
  g_return_if_fail (name != NULL && name[0] != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_rename_async);

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_autoptr(SondeRequest) copy = NULL;
      RequestJob *job;

      if (!sonde_collection_refuse_broken (node, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      copy = sonde_request_copy (node->request);
      sonde_request_set_name (copy, name);
      job = plan_rewrite (self, node, copy, &error);
      if (job == NULL)
        g_task_return_error (task, error);
      else
        sonde_collection_start_job (self, task, job, request_job_free);
    }
  else
    {
      FolderRename *job = plan_folder_rename (self, node, name, &error);

      if (job == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      /* What sonde_collection_rename_finish () tells a folder's rename by */
      g_task_set_source_tag (task, plan_folder_rename);
      sonde_collection_start_job (self, task, job, folder_rename_free);
    }
}

gboolean
sonde_collection_rename_finish (SondeCollection  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  gpointer job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (g_task_get_source_tag (G_TASK (result)) != plan_folder_rename)
    return finish_request_job (self, result, error) != NULL;
  job = sonde_collection_end_job (self, result, error);
  return job != NULL && apply_folder_rename (self, job, error);
}

gboolean
sonde_collection_save_folder (SondeCollection      *self,
                              SondeCollectionNode  *folder,
                              GError              **error)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (is_folder (folder), FALSE);

  if (!sonde_collection_refuse_broken (folder, error) || !sonde_collection_write_settings (folder, error))
    return FALSE;
  return sonde_collection_settle (self, error);
}

/* A new folder: its directory, its folder.json (the order, and the name when the directory
 * cannot hold it), read back. */
typedef struct
{
  SondeCollectionJob   job;
  SondeCollectionNode *parent;
  GFile               *dir;
  GFile               *settings_file;
  char                *settings;
  GFile               *root_dir;
  SondeCollectionNode *fresh;
} FolderJob;

static void
folder_job_free (gpointer data)
{
  FolderJob *job = data;

  sonde_collection_release_child (job->dir);
  g_clear_object (&job->parent);
  g_clear_object (&job->dir);
  g_clear_object (&job->settings_file);
  g_free (job->settings);
  g_clear_object (&job->root_dir);
  g_clear_object (&job->fresh);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FolderJob, folder_job_free)

static gboolean run_new_folder (SondeCollectionJob  *data,
                                GError             **error);

static FolderJob *
plan_new_folder (SondeCollection     *self,
                 SondeCollectionNode *parent,
                 const char          *name)
{
  FolderJob *job = g_new0 (FolderJob, 1);
  g_autofree char *dir_name = sonde_collection_folder_dir_name (name);
  g_autoptr(SondeCollectionNode) folder = NULL;

  job->job.run = run_new_folder;
  job->parent = g_object_ref (parent);
  job->dir = sonde_collection_reserve_child (parent->file, dir_name, "");
  job->root_dir = g_object_ref (sonde_collection_get_dir (self));
  folder = sonde_collection_node_new_folder (job->dir, FALSE);
  folder->order = sonde_collection_next_order (parent);
  sonde_collection_node_set_name (folder, name);
  job->settings_file = sonde_collection_node_settings_file (folder);
  job->settings = sonde_collection_node_settings_to_data (folder);
  return job;
}

/* Any thread. */
static gboolean
run_new_folder (SondeCollectionJob  *data,
                GError             **error)
{
  FolderJob *job = (FolderJob *) data;

  if (!g_file_make_directory (job->dir, NULL, error))
    return FALSE;
  if (!sonde_collection_write_if_changed (job->settings_file, job->settings, error))
    {
      g_file_delete (job->dir, NULL, NULL);
      return FALSE;
    }
  job->fresh = sonde_collection_scan_tree (job->root_dir, job->dir);
  return TRUE;
}

static SondeCollectionNode *
apply_new_folder (SondeCollection  *self,
                  FolderJob        *job,
                  GError          **error)
{
  sonde_collection_insert_node (job->parent, job->fresh);
  return settle_new (self, job->fresh, error);
}

SondeCollectionNode *
sonde_collection_create_folder (SondeCollection      *self,
                                SondeCollectionNode  *parent,
                                const char           *name,
                                GError              **error)
{
  g_autoptr(FolderJob) job = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (is_folder (parent), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  job = plan_new_folder (self, parent, name);
  if (!run_new_folder (&job->job, error))
    return NULL;
  return apply_new_folder (self, job, error);
}

void
sonde_collection_create_folder_async (SondeCollection      *self,
                                      SondeCollectionNode  *parent,
                                      const char           *name,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (is_folder (parent));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_create_folder_async);
  sonde_collection_start_job (self, task, plan_new_folder (self, parent, name), folder_job_free);
}

SondeCollectionNode *
sonde_collection_create_folder_finish (SondeCollection  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  FolderJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  job = sonde_collection_end_job (self, result, error);
  return job != NULL ? apply_new_folder (self, job, error) : NULL;
}

void
sonde_collection_rebase_files (SondeCollectionNode *node,
                               GFile               *old_dir,
                               GFile               *new_dir)
{
  g_autofree char *relative = g_file_get_relative_path (old_dir, node->file);
  g_autoptr(GFile) file = relative ? g_file_resolve_relative_path (new_dir, relative)
                                   : g_object_ref (new_dir);

  sonde_collection_node_set_file (node, file);
  if (node->children == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);

      sonde_collection_rebase_files (child, old_dir, new_dir);
    }
}

/* ------------------------------------------------------------------------------------------
 * Environments
 * ------------------------------------------------------------------------------------------ */

SondeEnvironment *
sonde_collection_create_environment (SondeCollection  *self,
                                     const char       *name,
                                     GError          **error)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SondeEnvironment) environment = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stem = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  dir = g_file_get_child (sonde_collection_get_dir (self), SONDE_ENVIRONMENTS_DIR);
  if (!g_file_make_directory (dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  stem = sonde_collection_request_stem (name);
  file = sonde_collection_unique_child (dir, stem, ".json");
  environment = sonde_environment_new (name);
  if (!sonde_environment_save (environment, file, error))
    return NULL;

  sonde_collection_reload_environments (self);
  sonde_collection_settle (self, NULL);
  return sonde_collection_find_environment (self, name);
}

/* Environment files are written in worker threads (sonde_collection_save_environment_async ())
 * as well as on the main thread. Each write takes a serial when its data is serialised and
 * goes to disk only if no later one got there first: the last save wins whatever order the
 * threads run in, and an environment deleted meanwhile stays deleted. Process-wide, keyed by
 * path, so two collection objects of one folder agree too. */
static GMutex environment_write_mutex;
static GHashTable *environment_written; /* path -> serial of its last write; under the mutex */
static gint environment_serial;

static guint
environment_next_serial (void)
{
  return (guint) g_atomic_int_add (&environment_serial, 1) + 1;
}

/* Any thread. DATA NULL deletes FILE. *STATE (STATE may be NULL) is what FILE holds after
 * the write, or NULL when a later write won and this one was dropped. */
static gboolean
write_environment_file (GFile           *file,
                        const char      *data,
                        guint            serial,
                        SondeDiskState **state,
                        GError         **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&environment_write_mutex);
  g_autofree char *path = g_file_get_path (file);

  if (state != NULL)
    *state = NULL;
  if (environment_written == NULL)
    environment_written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (serial < GPOINTER_TO_UINT (g_hash_table_lookup (environment_written, path)))
    return TRUE;

  if (data != NULL ? !sonde_collection_write_if_changed (file, data, error) : !g_file_delete (file, NULL, error))
    return FALSE;
  g_hash_table_insert (environment_written, g_steal_pointer (&path), GUINT_TO_POINTER (serial));
  if (state != NULL)
    *state = sonde_disk_state_read (file, NULL);
  return TRUE;
}

/* Whether the write of SERIAL is the last one FILE got: only its state is worth remembering. */
static gboolean
environment_written_last (GFile *file,
                          guint  serial)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&environment_write_mutex);
  g_autofree char *path = g_file_get_path (file);

  return environment_written != NULL &&
         GPOINTER_TO_UINT (g_hash_table_lookup (environment_written, path)) == serial;
}

gboolean
sonde_collection_save_environment (SondeCollection   *self,
                                   SondeEnvironment  *environment,
                                   GError           **error)
{
  g_autoptr(SondeDiskState) state = NULL;
  g_autofree char *data = NULL;
  GFile *file;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (environment), FALSE);

  file = sonde_environment_get_file (environment);
  g_return_val_if_fail (file != NULL, FALSE);

  /* A file that does not parse is never written: sonde_environment_save () says why. */
  if (sonde_environment_get_error (environment) != NULL)
    return sonde_environment_save (environment, file, error);

  data = sonde_environment_to_data (environment);
  if (!write_environment_file (file, data, environment_next_serial (), &state, error))
    return FALSE;
  /* The newest serial, written now: nothing later can have won. */
  sonde_collection_remember_environment (self, file, state);

  return sonde_collection_settle (self, error);
}

typedef struct
{
  GFile          *file;
  char           *data;
  guint           serial;
  SondeDiskState *state; /* set by the thread */
} EnvironmentWrite;

static void
environment_write_free (gpointer data)
{
  EnvironmentWrite *write = data;

  g_clear_object (&write->file);
  g_free (write->data);
  g_clear_pointer (&write->state, sonde_disk_state_unref);
  g_free (write);
}

static void
save_environment_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  EnvironmentWrite *write = task_data;
  GError *error = NULL;

  if (write_environment_file (write->file, write->data, write->serial, &write->state, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Main thread, whether or not the caller calls _finish (): the state written is
 * remembered before any reload may look at the environments again. */
static void
environment_written_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  SondeCollection *self = SONDE_COLLECTION (object);
  g_autoptr(GTask) task = user_data;
  EnvironmentWrite *write = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error) &&
      write->state != NULL && environment_written_last (write->file, write->serial))
    sonde_collection_remember_environment (self, write->file, write->state);
  sonde_collection_end_environment_write (self);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sonde_collection_save_environment_async:
 *
 * Same as sonde_collection_save_environment(): the environment is serialised now, written
 * in a worker thread, and the collection is then read again in a thread ("reloaded"), so
 * the main loop never waits on the disk. When saves of one environment overlap, the last
 * one made is what the file keeps.
 */
void
sonde_collection_save_environment_async (SondeCollection     *self,
                                         SondeEnvironment    *environment,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) write_task = NULL;
  GError *error = NULL;
  EnvironmentWrite *write;
  GFile *file;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (SONDE_IS_ENVIRONMENT (environment));

  file = sonde_environment_get_file (environment);
  g_return_if_fail (file != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_save_environment_async);

  /* A file that does not parse is never written: sonde_environment_save () says why. */
  if (sonde_environment_get_error (environment) != NULL)
    {
      sonde_environment_save (environment, file, &error);
      g_task_return_error (task, error);
      return;
    }

  write = g_new0 (EnvironmentWrite, 1);
  write->file = g_object_ref (file);
  write->data = sonde_environment_to_data (environment);
  write->serial = environment_next_serial ();

  /* Not cancellable: a write that started is finished and remembered. */
  sonde_collection_begin_environment_write (self);
  write_task = g_task_new (self, NULL, environment_written_cb, g_steal_pointer (&task));
  g_task_set_source_tag (write_task, save_environment_thread);
  g_task_set_task_data (write_task, write, environment_write_free);
  g_task_run_in_thread (write_task, save_environment_thread);
}

gboolean
sonde_collection_save_environment_finish (SondeCollection  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sonde_collection_delete_environment (SondeCollection   *self,
                                     SondeEnvironment  *environment,
                                     GError           **error)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (environment), FALSE);

  /* Through the serials: a save still in a thread does not bring the file back. */
  if (!write_environment_file (sonde_environment_get_file (environment), NULL,
                               environment_next_serial (), NULL, error))
    return FALSE;

  sonde_collection_reload_environments (self);
  return sonde_collection_settle (self, error);
}
