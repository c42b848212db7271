/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-request-io"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sonde-request-io.h"
#include "sonde-collection.h"
#include "sonde-file-access.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-request-json.h"

/* The format is in sonde-request-json.c, the layout in sonde-json-file.c; this file reads
 * and writes the files. */

/**
 * sonde_request_to_data:
 * @file_basename: (nullable): the request file's name, to name a new sidecar; without it,
 *   long text stays inline
 * @sidecar_text: (out) (optional) (nullable): the sidecar's contents, or %NULL when the body
 *   text is inline
 *
 * Returns: (transfer full): the request file, UTF-8 JSON ending with a newline.
 */
char *
sonde_request_to_data (SondeRequest  *self,
                       const char    *file_basename,
                       char         **sidecar_text)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  object = sonde_request_to_json (self, file_basename, sidecar_text);
  return sonde_json_file_to_data (object);
}

/* ERROR gets LOCAL_ERROR, naming the file (DISPLAY_NAME) when there is one: only then, as a
 * folder of many files loads them all. */
static void
propagate_named (GError     **error,
                 GError      *local_error,
                 const char  *display_name)
{
  if (display_name != NULL)
    g_propagate_prefixed_error (error, local_error, "%s: ", display_name);
  else
    g_propagate_error (error, local_error);
}

static SondeRequest *
request_from_data (const char  *data,
                   gssize       length,
                   GFile       *dir,
                   const char  *display_name,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *local_error = NULL;
  SondeRequest *request;
  JsonNode *root;

  if (length < 0)
    length = strlen (data);
  if (!sonde_json_parse_document (parser, data, length, &local_error))
    {
      propagate_named (error, local_error, display_name);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      propagate_named (error, g_error_new_literal (SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                                                   _("the file is empty")), display_name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      propagate_named (error, g_error_new_literal (SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                                                   _("a request file must hold a JSON object")), display_name);
      return NULL;
    }

  request = sonde_request_from_json (json_node_get_object (root), dir, &local_error);
  if (request == NULL)
    propagate_named (error, local_error, display_name);
  return request;
}

SondeRequest *
sonde_request_load_from_data (const char  *data,
                              gssize       length,
                              GFile       *dir,
                              GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (dir == NULL || G_IS_FILE (dir), NULL);

  return request_from_data (data ? data : "", length, dir, NULL, error);
}

SondeRequest *
sonde_request_load (GFile         *file,
                    GFile         *base_dir,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFile) dir = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display_name = NULL;
  g_autoptr(GError) load_error = NULL;
  gsize length;
  SondeRequest *request;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (base_dir == NULL || G_IS_FILE (base_dir), NULL);

  if (!sonde_file_load_bounded (file, SONDE_MAX_FILE_SIZE, &contents, &length, cancellable, &load_error))
    {
      /* Read whole, parsed and copied, a big file costs many times its size in memory. */
      if (g_error_matches (load_error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_TOO_LARGE))
        g_prefix_error (&load_error, _("Request files are limited to 16 MB; send a large body from a file (a “file” body) instead. "));
      g_propagate_error (error, g_steal_pointer (&load_error));
      return NULL;
    }

  dir = g_file_get_parent (file);
  display_name = g_file_get_basename (file);
  request = request_from_data (contents, length, dir, display_name, error);
  if (request == NULL)
    return NULL;

  /* A request file in a collection folder, opened alone or not, reads its sidecar body
   * only from inside the collection (docs/security.md). */
  {
    g_autoptr(GFile) around = sonde_collection_find_dir (file);

    if (around != NULL && !sonde_file_access_check_sidecar (request, dir, around, error))
      {
        g_object_unref (request);
        return NULL;
      }
  }

  sonde_request_set_file (request, file);
  sonde_request_set_base_dir (request, base_dir ? base_dir : dir);

  return request;
}

/* ------------------------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------------------------ */

/* Temp files: ".NAME.sonde-PID-XXXXXX.tmp" beside NAME. The PID says whether the writer is
 * gone (killed mid-write), so that what it left can be removed later; nothing else is ever
 * removed. */
#define TEMP_INFIX ".sonde-"
#define TEMP_SUFFIX ".tmp"
#define STALE_AGE (24 * 60 * 60)

int
sonde_temp_file_open_beside (const char  *target_path,
                             int          mode,
                             char       **temp_path)
{
  g_autofree char *dir = g_path_get_dirname (target_path);
  g_autofree char *basename = g_path_get_basename (target_path);
  char *path;
  int fd;

  sonde_temp_files_clean (dir, basename);
  path = g_strdup_printf ("%s/.%s" TEMP_INFIX "%d-XXXXXX" TEMP_SUFFIX, dir, basename, (int) getpid ());
  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, mode);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_free (path);
      errno = saved_errno;
      return -1;
    }
  *temp_path = path;
  return fd;
}

/* The PID in NAME when it is one of Sonde's temp files (of TARGET when not NULL), else 0. */
static pid_t
temp_file_pid (const char *name,
               const char *target)
{
  const char *infix;
  char *end;
  gint64 pid;

  if (name[0] != '.' || !g_str_has_suffix (name, TEMP_SUFFIX))
    return 0;
  infix = g_strrstr (name, TEMP_INFIX);
  if (infix == NULL || infix == name + 1)
    return 0;
  if (target != NULL && (strlen (target) != (gsize) (infix - name - 1) || strncmp (name + 1, target, infix - name - 1) != 0))
    return 0;
  pid = g_ascii_strtoll (infix + strlen (TEMP_INFIX), &end, 10);
  if (pid <= 0 || *end != '-' || strlen (end) != strlen ("-XXXXXX" TEMP_SUFFIX))
    return 0;
  return (pid_t) pid;
}

static gboolean
process_is_alive (pid_t pid)
{
  return kill (pid, 0) == 0 || errno == EPERM;
}

void
sonde_temp_files_clean (const char *dir,
                        const char *target)
{
  g_autoptr(GDir) listing = dir != NULL ? g_dir_open (dir, 0, NULL) : NULL;
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (dir == NULL || listing == NULL)
    return;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      pid_t pid = temp_file_pid (name, target);
      g_autofree char *path = NULL;
      struct stat info;

      if (pid == 0)
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_lstat (path, &info) != 0 || !S_ISREG (info.st_mode))
        continue;
      /* A live writer's file stays, unless it is a day old (its PID was reused). */
      if (pid != getpid () && process_is_alive (pid) && now - info.st_mtime < STALE_AGE)
        continue;
      if (pid == getpid () && now - info.st_mtime < STALE_AGE)
        continue;
      g_unlink (path);
    }
}

static gboolean
set_load_error (GError     **error,
                GFile       *file,
                const char  *reason)
{
  g_autofree char *name = g_file_get_parse_name (file);

  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
               _("Could not read “%s”: %s"), name, reason);
  return FALSE;
}

static gboolean
set_too_large_error (GError **error,
                     GFile   *file,
                     gsize    max_size)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *limit = g_format_size (max_size);

  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_TOO_LARGE,
               _("“%s” is larger than %s, more than such a file may hold"), name, limit);
  return FALSE;
}

/**
 * sonde_file_load_bounded:
 * @max_size: the most bytes the file may hold
 *
 * Reads a whole file that a collection, a request or a setting names, which may point
 * anywhere: only a regular file is read (a device such as /dev/zero would grow the process
 * until it is killed, a FIFO would block for ever), and only when it holds at most
 * @max_size bytes, checked on the opened file before anything is read and again while
 * reading (it may grow meanwhile). See docs/security.md. @contents is NUL-terminated.
 *
 * Returns: %FALSE with %SONDE_REQUEST_ERROR_FILE_UNREADABLE naming the file and why, or
 *   the GIO error (e.g. %G_IO_ERROR_NOT_FOUND) when the file cannot be opened.
 */
gboolean
sonde_file_load_bounded (GFile         *file,
                         gsize          max_size,
                         char         **contents,
                         gsize         *length,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *data = NULL;
  struct stat info;
  gsize filled = 0;
  int fd;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  if (path == NULL)
    {
      /* Not a local file: GIO's own checks, then the same limits. */
      g_autoptr(GFileInfo) file_info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                          G_FILE_QUERY_INFO_NONE, cancellable, error);

      if (file_info == NULL)
        return FALSE;
      if (g_file_info_get_file_type (file_info) != G_FILE_TYPE_REGULAR)
        return set_load_error (error, file, _("it is not a regular file"));
      if ((guint64) g_file_info_get_size (file_info) > max_size)
        return set_too_large_error (error, file, max_size);
      return g_file_load_contents (file, cancellable, contents, length, NULL, error);
    }

  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      /* A socket cannot be opened at all: say what it is rather than "no such device". */
      if (g_stat (path, &info) == 0 && !S_ISREG (info.st_mode))
        return set_load_error (error, file, _("it is not a regular file"));

      {
        g_autofree char *name = g_file_get_parse_name (file);

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Could not read “%s”: %s"), name, g_strerror (saved_errno));
      }
      return FALSE;
    }
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      close (fd);
      return set_load_error (error, file, _("it is not a regular file"));
    }
  if ((guint64) info.st_size > max_size)
    {
      close (fd);
      return set_too_large_error (error, file, max_size);
    }

  data = g_malloc ((gsize) info.st_size + 1);
  for (;;)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return FALSE;
        }
      if (filled == (gsize) info.st_size)
        {
          /* Grown since fstat ()? One more byte says. */
          char extra;

          n = read (fd, &extra, 1);
          if (n > 0)
            {
              g_autofree char *name = g_file_get_parse_name (file);

              close (fd);
              g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                           _("“%s” changed while it was being read"), name);
              return FALSE;
            }
        }
      else
        n = read (fd, data + filled, info.st_size - filled);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          return set_load_error (error, file, g_strerror (saved_errno));
        }
      if (n == 0)
        break;
      if (filled < (gsize) info.st_size)
        filled += n;
    }
  close (fd);

  data[filled] = '\0';
  *contents = g_steal_pointer (&data);
  if (length != NULL)
    *length = filled;
  return TRUE;
}

static gboolean
save_failed (GError     **error,
             GFile       *file,
             int          saved_errno)
{
  g_autofree char *name = g_file_get_parse_name (file);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not save “%s”: %s"), name, g_strerror (saved_errno));
  return FALSE;
}

/* Writes CONTENTS to a new temp file beside FILE, synced to disk: *TEMP_PATH, for
 * commit_temp (). Only local files. */
static gboolean
write_temp (GFile       *file,
            const char  *path,
            const char  *contents,
            gsize        length,
            int          mode,
            char       **temp_path,
            GError     **error)
{
  gsize written = 0;
  int fd;

  fd = sonde_temp_file_open_beside (path, mode, temp_path);
  if (fd < 0)
    return save_failed (error, file, errno);

  if (fchmod (fd, mode) < 0)
    goto failed;

  while (written < length)
    {
      gssize n = write (fd, contents + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed;
      written += n;
    }

  if (fsync (fd) < 0)
    goto failed;

  if (close (fd) < 0)
    {
      fd = -1;
      goto failed;
    }
  return TRUE;

failed:
  {
    int saved_errno = errno;

    if (fd >= 0)
      close (fd);
    g_unlink (*temp_path);
    g_clear_pointer (temp_path, g_free);
    return save_failed (error, file, saved_errno);
  }
}

static gboolean
commit_temp (GFile       *file,
             const char  *path,
             const char  *temp_path,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int dir_fd;

  if (g_rename (temp_path, path) < 0)
    {
      int saved_errno = errno;

      g_unlink (temp_path);
      return save_failed (error, file, saved_errno);
    }

  /* Make the rename itself durable. Failure here changes nothing the user can act on. */
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }
  return TRUE;
}

/**
 * sonde_file_write_atomic:
 *
 * Writes @contents to @file through a temp file beside it, synced, then renamed over it.
 * On failure the old file is intact and the temp file is removed.
 */
gboolean
sonde_file_write_atomic (GFile       *file,
                         const char  *contents,
                         gsize        length,
                         int          mode,
                         GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *temp_path = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      /* Not a local file: GIO's replace is the best there is. */
      return g_file_replace_contents (file, contents, length, NULL, FALSE,
                                      G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
    }

  return write_temp (file, path, contents, length, mode, &temp_path, error) &&
         commit_temp (file, path, temp_path, error);
}

/**
 * sonde_file_write_atomic_pair:
 *
 * Writes two files that go together (a request file and its sidecar body): both are
 * written out and synced under temp names before either replaces its file, FIRST then
 * SECOND, back to back. A failure while writing leaves both old files; a crash can only
 * fall between the two renames, leaving the new FIRST with the old SECOND, so FIRST is
 * the one the other names (the sidecar): a request never names a body that is missing or
 * half-written. Either may be NULL to write one file.
 */
gboolean
sonde_file_write_atomic_pair (GFile       *first,
                              const char  *first_contents,
                              GFile       *second,
                              const char  *second_contents,
                              int          mode,
                              GError     **error)
{
  g_autofree char *first_path = first != NULL ? g_file_get_path (first) : NULL;
  g_autofree char *second_path = second != NULL ? g_file_get_path (second) : NULL;
  g_autofree char *first_temp = NULL;
  g_autofree char *second_temp = NULL;

  if (first == NULL || second == NULL || first_path == NULL || second_path == NULL)
    return (first == NULL || sonde_file_write_atomic (first, first_contents, strlen (first_contents), mode, error)) &&
           (second == NULL || sonde_file_write_atomic (second, second_contents, strlen (second_contents), mode, error));

  if (!write_temp (first, first_path, first_contents, strlen (first_contents), mode, &first_temp, error))
    return FALSE;
  if (!write_temp (second, second_path, second_contents, strlen (second_contents), mode, &second_temp, error))
    {
      g_unlink (first_temp);
      return FALSE;
    }
  if (!commit_temp (first, first_path, first_temp, error))
    {
      g_unlink (second_temp);
      return FALSE;
    }
  return commit_temp (second, second_path, second_temp, error);
}

typedef struct
{
  GFile *file;
  GFile *sidecar;      /* NULL when the body text is inline */
  char *data;
  char *sidecar_text;
  int mode;
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_clear_object (&job->file);
  g_clear_object (&job->sidecar);
  g_free (job->data);
  g_free (job->sidecar_text);
  g_free (job);
}

/* Serialises on the calling thread: the request is only touched there. */
static SaveJob *
save_job_new (SondeRequest *self,
              GFile        *file)
{
  SaveJob *job = g_new0 (SaveJob, 1);
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *path = g_file_get_path (file);
  struct stat st;

  job->file = g_object_ref (file);
  job->data = sonde_request_to_data (self, basename, &job->sidecar_text);
  job->mode = 0644;

  /* Keep the permissions of a file that exists. */
  if (path != NULL && g_stat (path, &st) == 0)
    job->mode = st.st_mode & 0777;

  if (job->sidecar_text != NULL)
    {
      g_autoptr(GFile) dir = g_file_get_parent (file);
      const char *name = sonde_body_get_text_file (sonde_request_read_body (self));

      job->sidecar = g_path_is_absolute (name) ? g_file_new_for_path (name)
                                               : g_file_resolve_relative_path (dir, name);
    }

  return job;
}

static gboolean
save_job_run (SaveJob  *job,
              GError  **error)
{
  /* Both written out before either replaces its file, the sidecar first: a request file
   * never names a body file that is missing or half-written. */
  return sonde_file_write_atomic_pair (job->sidecar, job->sidecar_text, job->file, job->data,
                                       job->mode, error);
}

static void
save_job_done (SondeRequest *self,
               GFile        *file)
{
  if (sonde_request_get_base_dir (self) == NULL)
    {
      g_autoptr(GFile) dir = g_file_get_parent (file);

      sonde_request_set_base_dir (self, dir);
    }
  sonde_request_set_file (self, file);
}

gboolean
sonde_request_save (SondeRequest  *self,
                    GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  SaveJob *job;
  gboolean ret;

  g_return_val_if_fail (SONDE_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  job = save_job_new (self, file);
  ret = save_job_run (job, error);
  if (ret)
    save_job_done (self, file);
  save_job_free (job);

  return ret;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (save_job_run (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sonde_request_save_async (SondeRequest        *self,
                          GFile               *file,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SONDE_IS_REQUEST (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_request_save_async);
  g_task_set_task_data (task, save_job_new (self, file), save_job_free);
  g_task_run_in_thread (task, save_thread);
}

/**
 * sonde_request_save_finish:
 *
 * Sets "file" (and "base-dir" when unset) on success.
 */
gboolean
sonde_request_save_finish (SondeRequest  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  SaveJob *job;

  g_return_val_if_fail (SONDE_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  save_job_done (self, job->file);
  return TRUE;
}

typedef struct
{
  GFile *file;
  GFile *base_dir;
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_clear_object (&job->file);
  g_clear_object (&job->base_dir);
  g_free (job);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  GError *error = NULL;
  SondeRequest *request;

  request = sonde_request_load (job->file, job->base_dir, cancellable, &error);
  if (request == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, request, g_object_unref);
}

void
sonde_request_load_async (GFile               *file,
                          GFile               *base_dir,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadJob *job;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (base_dir == NULL || G_IS_FILE (base_dir));

  job = g_new0 (LoadJob, 1);
  job->file = g_object_ref (file);
  job->base_dir = base_dir ? g_object_ref (base_dir) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_request_load_async);
  g_task_set_task_data (task, job, load_job_free);
  g_task_run_in_thread (task, load_thread);
}

SondeRequest *
sonde_request_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
