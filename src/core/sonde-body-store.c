/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-body-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sonde-body-store.h"
#include "sonde-request-io.h"

#define COPY_CHUNK_SIZE (256 * 1024)

struct _SondeBodyStore
{
  GObject     parent_instance;

  /* The mutex guards what follows: streams opened on the store read from worker threads
   * while the client appends on the main thread. */
  GMutex      mutex;
  gsize       threshold;
  guint64     size;
  GByteArray *memory;   /* NULL once spilled */
  int         fd;       /* the spilled temp file (already unlinked), or -1 */
};

G_DEFINE_FINAL_TYPE (SondeBodyStore, sonde_body_store, G_TYPE_OBJECT)

/* A stream over the store with its own position; reads what has been appended so far. */
#define SONDE_TYPE_BODY_STORE_STREAM (sonde_body_store_stream_get_type ())
G_DECLARE_FINAL_TYPE (SondeBodyStoreStream, sonde_body_store_stream, SONDE, BODY_STORE_STREAM, GInputStream)

struct _SondeBodyStoreStream
{
  GInputStream    parent_instance;
  SondeBodyStore *store;
  guint64         offset;
};

G_DEFINE_FINAL_TYPE (SondeBodyStoreStream, sonde_body_store_stream, G_TYPE_INPUT_STREAM)

static gboolean
write_all_fd (int            fd,
              const guint8  *data,
              gsize          length,
              GError       **error)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not write the response body to a temporary file: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }
      data += written;
      length -= written;
    }

  return TRUE;
}

/* Copies up to LENGTH bytes at OFFSET into BUFFER; returns the count or -1. Call locked. */
static gssize
read_locked (SondeBodyStore  *self,
             guint64          offset,
             guint8          *buffer,
             gsize            length,
             GError         **error)
{
  if (offset >= self->size)
    return 0;
  length = MIN (length, self->size - offset);

  if (self->memory != NULL)
    {
      memcpy (buffer, self->memory->data + offset, length);
      return length;
    }

  for (;;)
    {
      gssize count = pread (self->fd, buffer, length, offset);

      if (count >= 0)
        return count;
      if (errno != EINTR)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not read the response body from its temporary file: %s"),
                       g_strerror (saved_errno));
          return -1;
        }
    }
}

static gboolean
spill_locked (SondeBodyStore  *self,
              GError         **error)
{
  g_autofree char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("sonde-body-XXXXXX", &path, error);
  if (fd < 0)
    return FALSE;

  /* Nobody else needs the name: the file goes away with the fd, even after a crash. */
  g_unlink (path);

  if (!write_all_fd (fd, self->memory->data, self->memory->len, error))
    {
      close (fd);
      return FALSE;
    }

  self->fd = fd;
  g_clear_pointer (&self->memory, g_byte_array_unref);
  return TRUE;
}

static gssize
sonde_body_store_stream_read (GInputStream  *stream,
                              void          *buffer,
                              gsize          count,
                              GCancellable  *cancellable,
                              GError       **error)
{
  SondeBodyStoreStream *self = SONDE_BODY_STORE_STREAM (stream);
  gssize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  g_mutex_lock (&self->store->mutex);
  n = read_locked (self->store, self->offset, buffer, count, error);
  g_mutex_unlock (&self->store->mutex);

  if (n > 0)
    self->offset += n;
  return n;
}

static gboolean
sonde_body_store_stream_close (GInputStream  *stream,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return TRUE;
}

static void
sonde_body_store_stream_finalize (GObject *object)
{
  SondeBodyStoreStream *self = SONDE_BODY_STORE_STREAM (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (sonde_body_store_stream_parent_class)->finalize (object);
}

static void
sonde_body_store_stream_class_init (SondeBodyStoreStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = sonde_body_store_stream_finalize;
  stream_class->read_fn = sonde_body_store_stream_read;
  stream_class->close_fn = sonde_body_store_stream_close;
}

static void
sonde_body_store_stream_init (SondeBodyStoreStream *self)
{
}

static void
sonde_body_store_finalize (GObject *object)
{
  SondeBodyStore *self = SONDE_BODY_STORE (object);

  g_clear_pointer (&self->memory, g_byte_array_unref);
  if (self->fd >= 0)
    close (self->fd);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (sonde_body_store_parent_class)->finalize (object);
}

static void
sonde_body_store_class_init (SondeBodyStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sonde_body_store_finalize;
}

static void
sonde_body_store_init (SondeBodyStore *self)
{
  g_mutex_init (&self->mutex);
  self->memory = g_byte_array_new ();
  self->fd = -1;
}

/**
 * sonde_body_store_new:
 * @memory_threshold: bytes kept in memory before the body moves to a temp file
 *
 * Returns: (transfer full): an empty store
 */
SondeBodyStore *
sonde_body_store_new (gsize memory_threshold)
{
  SondeBodyStore *self = g_object_new (SONDE_TYPE_BODY_STORE, NULL);

  self->threshold = memory_threshold;
  return self;
}

gboolean
sonde_body_store_append (SondeBodyStore  *self,
                         const guint8    *data,
                         gsize            length,
                         GError         **error)
{
  gboolean ret = TRUE;

  g_return_val_if_fail (SONDE_IS_BODY_STORE (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length == 0)
    return TRUE;

  g_mutex_lock (&self->mutex);

  if (self->memory != NULL && self->size + length > self->threshold)
    ret = spill_locked (self, error);

  if (ret)
    {
      if (self->memory != NULL)
        g_byte_array_append (self->memory, data, length);
      else
        ret = write_all_fd (self->fd, data, length, error);
    }

  if (ret)
    self->size += length;

  g_mutex_unlock (&self->mutex);

  return ret;
}

guint64
sonde_body_store_get_size (SondeBodyStore *self)
{
  guint64 size;

  g_return_val_if_fail (SONDE_IS_BODY_STORE (self), 0);

  g_mutex_lock (&self->mutex);
  size = self->size;
  g_mutex_unlock (&self->mutex);

  return size;
}

gboolean
sonde_body_store_is_in_memory (SondeBodyStore *self)
{
  gboolean in_memory;

  g_return_val_if_fail (SONDE_IS_BODY_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);
  in_memory = self->memory != NULL;
  g_mutex_unlock (&self->mutex);

  return in_memory;
}

/**
 * sonde_body_store_read:
 *
 * Returns: (transfer full): up to @length bytes from @offset (empty past the end), or
 *   %NULL with @error set when the temp file cannot be read
 */
GBytes *
sonde_body_store_read (SondeBodyStore  *self,
                       guint64          offset,
                       gsize            length,
                       GError         **error)
{
  guint8 *buffer;
  gssize count;

  g_return_val_if_fail (SONDE_IS_BODY_STORE (self), NULL);

  g_mutex_lock (&self->mutex);

  if (offset >= self->size)
    {
      g_mutex_unlock (&self->mutex);
      return g_bytes_new (NULL, 0);
    }

  length = MIN (length, self->size - offset);
  buffer = g_malloc (length);

  /* pread may return short counts on odd filesystems: loop until done or at the end. */
  count = 0;
  while ((gsize) count < length)
    {
      gssize n = read_locked (self, offset + count, buffer + count, length - count, error);

      if (n < 0)
        {
          g_mutex_unlock (&self->mutex);
          g_free (buffer);
          return NULL;
        }
      if (n == 0)
        break;
      count += n;
    }

  g_mutex_unlock (&self->mutex);

  return g_bytes_new_take (buffer, count);
}

/**
 * sonde_body_store_get_bytes:
 *
 * Returns: (transfer full) (nullable): a copy of the body when it is in memory
 */
GBytes *
sonde_body_store_get_bytes (SondeBodyStore *self)
{
  GBytes *bytes = NULL;

  g_return_val_if_fail (SONDE_IS_BODY_STORE (self), NULL);

  g_mutex_lock (&self->mutex);
  if (self->memory != NULL)
    bytes = g_bytes_new (self->memory->data, self->memory->len);
  g_mutex_unlock (&self->mutex);

  return bytes;
}

/**
 * sonde_body_store_open_stream:
 *
 * Returns: (transfer full): a stream from the first byte; it keeps the store alive
 */
GInputStream *
sonde_body_store_open_stream (SondeBodyStore  *self,
                              GError         **error)
{
  SondeBodyStoreStream *stream;

  g_return_val_if_fail (SONDE_IS_BODY_STORE (self), NULL);

  stream = g_object_new (SONDE_TYPE_BODY_STORE_STREAM, NULL);
  stream->store = g_object_ref (self);

  return G_INPUT_STREAM (stream);
}

static gboolean
save_to_fd (SondeBodyStore  *self,
            int              fd,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autofree guint8 *buffer = g_malloc (COPY_CHUNK_SIZE);
  guint64 offset = 0;

  for (;;)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      g_mutex_lock (&self->mutex);
      n = read_locked (self, offset, buffer, COPY_CHUNK_SIZE, error);
      g_mutex_unlock (&self->mutex);

      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      if (!write_all_fd (fd, buffer, n, error))
        return FALSE;
      offset += n;
    }
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SondeBodyStore *self = source_object;
  GFile *file = task_data;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *tmp_path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved;
  int fd;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only local files can be written"));
      return;
    }

  /* A temp file beside the target, renamed over it at the end: a failed save never
   * leaves a half-written file where the old one was. */
  fd = sonde_temp_file_open_beside (path, 0644, &tmp_path);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return;
    }

  saved = save_to_fd (self, fd, cancellable, &error);
  if (!g_close (fd, saved ? &error : NULL))
    saved = FALSE;
  if (saved && g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
      saved = FALSE;
    }

  if (!saved)
    {
      g_unlink (tmp_path);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not write %s: "), path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
sonde_body_store_save_async (SondeBodyStore      *self,
                             GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SONDE_IS_BODY_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_body_store_save_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_thread);
}

gboolean
sonde_body_store_save_finish (SondeBodyStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
