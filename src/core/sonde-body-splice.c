/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-body-splice"

#include "config.h"

#include "sonde-body-splice.h"

/* libsoup 3.2 sends a request body with g_output_stream_splice_async () into the stream it
 * writes the body with (SoupBodyOutputStream, private to libsoup). That class keeps GLib's
 * generic splice, which moves 8 KiB per read and per write, each finished in its own
 * main-loop turn: a 1 GiB upload took 131,072 writes and 262,144 polls, three to four times
 * curl's CPU. Here that one class gets a splice that does the same work in blocks of
 * SPLICE_BLOCK bytes, when its class is initialized and only if it still has GLib's splice.
 * Everything else (the encoding, Content-Length, "wrote-body-data" progress, restarts) stays
 * libsoup's. docs/architecture.md, "Uploads", says why and how it is measured. */

#define SPLICE_BLOCK (256 * 1024)
#define SOUP_BODY_STREAM_TYPE_NAME "SoupBodyOutputStream"

static void (*generic_splice_async) (GOutputStream            *stream,
                                     GInputStream             *source,
                                     GOutputStreamSpliceFlags  flags,
                                     int                       io_priority,
                                     GCancellable             *cancellable,
                                     GAsyncReadyCallback       callback,
                                     gpointer                  user_data);
static GOutputStreamClass *output_stream_class;
static gboolean installed_on_soup;

typedef struct
{
  GInputStream *source;
  GOutputStreamSpliceFlags flags;
  guint8 *buffer;
  gsize n_read;
  gsize n_written;
  gssize copied;
  GError *error;
} Splice;

static void
splice_free (Splice *splice)
{
  g_clear_object (&splice->source);
  g_free (splice->buffer);
  g_clear_error (&splice->error);
  g_free (splice);
}

static void
splice_return (GTask *task)
{
  Splice *splice = g_task_get_task_data (task);

  if (splice->error != NULL)
    g_task_return_error (task, g_steal_pointer (&splice->error));
  else
    g_task_return_int (task, splice->copied);
  g_object_unref (task);
}

static void
splice_source_closed_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  splice_return (user_data);
}

/* As GLib's splice: the source is closed when asked, whether the copy worked or not, and the
 * first error is the one reported. */
static void
splice_done (GTask *task)
{
  Splice *splice = g_task_get_task_data (task);

  if (splice->flags & G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE)
    g_input_stream_close_async (splice->source, g_task_get_priority (task), NULL,
                                splice_source_closed_cb, task);
  else
    splice_return (task);
}

static void splice_read (GTask *task);

static void splice_write (GTask *task);

static void
splice_wrote_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Splice *splice = g_task_get_task_data (task);
  gssize n;

  /* The splice holds the stream's pending flag: write through the class, as GLib does. */
  n = G_OUTPUT_STREAM_GET_CLASS (object)->write_finish (G_OUTPUT_STREAM (object), result, &splice->error);
  if (n < 0)
    {
      splice_done (task);
      return;
    }

  splice->n_written += n;
  splice->copied = MIN ((guint64) splice->copied + n, G_MAXSSIZE);
  if (splice->n_written < splice->n_read)
    splice_write (task);
  else
    splice_read (task);
}

static void
splice_write (GTask *task)
{
  Splice *splice = g_task_get_task_data (task);
  GOutputStream *stream = g_task_get_source_object (task);

  G_OUTPUT_STREAM_GET_CLASS (stream)->write_async (stream,
                                                   splice->buffer + splice->n_written,
                                                   splice->n_read - splice->n_written,
                                                   g_task_get_priority (task),
                                                   g_task_get_cancellable (task),
                                                   splice_wrote_cb, task);
}

static void
splice_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Splice *splice = g_task_get_task_data (task);
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &splice->error);
  if (n <= 0)
    {
      splice_done (task);
      return;
    }

  splice->n_read = n;
  splice->n_written = 0;
  splice_write (task);
}

static void
splice_read (GTask *task)
{
  Splice *splice = g_task_get_task_data (task);

  g_input_stream_read_async (splice->source, splice->buffer, SPLICE_BLOCK,
                             g_task_get_priority (task), g_task_get_cancellable (task),
                             splice_read_cb, task);
}

static void
block_splice_async (GOutputStream            *stream,
                    GInputStream             *source,
                    GOutputStreamSpliceFlags  flags,
                    int                       io_priority,
                    GCancellable             *cancellable,
                    GAsyncReadyCallback       callback,
                    gpointer                  user_data)
{
  GTask *task;
  Splice *splice;

  /* Closing the target needs GLib's internal close, which the splice's pending flag calls
   * for; libsoup never asks for it. */
  if (flags & G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET)
    {
      generic_splice_async (stream, source, flags, io_priority, cancellable, callback, user_data);
      return;
    }

  task = g_task_new (stream, cancellable, callback, user_data);
  g_task_set_source_tag (task, block_splice_async);
  g_task_set_priority (task, io_priority);
  splice = g_new0 (Splice, 1);
  splice->source = g_object_ref (source);
  splice->flags = flags;
  splice->buffer = g_malloc (SPLICE_BLOCK);
  g_task_set_task_data (task, splice, (GDestroyNotify) splice_free);
  splice_read (task);
}

static gssize
block_splice_finish (GOutputStream  *stream,
                     GAsyncResult   *result,
                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
give_block_splice (GType type)
{
  GOutputStreamClass *klass = g_type_class_ref (type);

  /* Only a class that kept GLib's own splice: one libsoup wrote itself stays. */
  if (klass->splice_async == output_stream_class->splice_async &&
      klass->splice_finish == output_stream_class->splice_finish)
    {
      generic_splice_async = output_stream_class->splice_async;
      klass->splice_async = block_splice_async;
      klass->splice_finish = block_splice_finish;
    }
  g_atomic_int_set (&installed_on_soup, klass->splice_async == block_splice_async);
  g_type_class_unref (klass);
}

/* Called by GType after any class has set up an interface. SoupBodyOutputStream is pollable,
 * so this runs while its class is initialized, before its first instance exists; its class
 * is reachable then only through a nested g_type_class_ref (), which GType allows. */
static void
interface_initialized (gpointer  data,
                       gpointer  interface)
{
  GTypeInterface *iface = interface;
  GType type = iface->g_instance_type;

  if (iface->g_type == G_TYPE_POLLABLE_OUTPUT_STREAM &&
      g_strcmp0 (g_type_name (type), SOUP_BODY_STREAM_TYPE_NAME) == 0 &&
      g_type_is_a (type, G_TYPE_OUTPUT_STREAM))
    give_block_splice (type);
}

/**
 * sonde_body_splice_install:
 *
 * Makes libsoup send request bodies in blocks of 256 KiB rather than 8 KiB. Call it before
 * the first request is sent; calling it again does nothing.
 */
void
sonde_body_splice_install (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      GType type = g_type_from_name (SOUP_BODY_STREAM_TYPE_NAME);

      output_stream_class = g_type_class_ref (G_TYPE_OUTPUT_STREAM);
      /* Too late to hook the class's set-up: it exists already. */
      if (type != 0)
        give_block_splice (type);
      else
        {
          g_type_ensure (G_TYPE_POLLABLE_OUTPUT_STREAM);
          g_type_add_interface_check (NULL, interface_initialized);
        }
      g_once_init_leave (&once, 1);
    }
}

/**
 * sonde_body_splice_is_installed:
 *
 * Returns: whether libsoup's request body stream has the block splice (it is known only once
 *   a first request has been sent)
 */
gboolean
sonde_body_splice_is_installed (void)
{
  return g_atomic_int_get (&installed_on_soup);
}

/**
 * sonde_body_splice_block_size:
 *
 * Returns: the most a block splice moves in one read and one write
 */
gsize
sonde_body_splice_block_size (void)
{
  return SPLICE_BLOCK;
}
