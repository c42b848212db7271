/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-text-loader"

#include "config.h"

#include <string.h>

#include "sonde-json-formatter.h"
#include "sonde-step-source.h"
#include "sonde-text-loader.h"

#define READ_SIZE          (64 * 1024)
#define CHUNK_SIZE         (32 * 1024)
/* The worker waits when this much text is queued and not yet in the buffer. */
#define MAX_QUEUED         (4 * 1024 * 1024)
/* What one idle dispatch may insert: keeps each main-loop iteration short. */
#define INSERT_BUDGET      (256 * 1024)
#define INSERT_BUDGET_USEC (8 * 1000)

typedef struct
{
  /* Set before the worker starts, then read-only */
  GInputStream        *input;
  SondeTextLoaderMode  mode;
  guint64              output_limit;
  GCancellable        *cancellable;
  GMainContext        *context;

  /* Shared, under the mutex */
  GMutex               mutex;
  GCond                cond;
  GQueue               queue;   /* GBytes of valid UTF-8 */
  gsize                queued;
  gboolean             drain_scheduled;

  /* Worker thread only, until the worker is done */
  GString             *out;
  gsize                line_length;
  char                 carry[4];
  gsize                carry_length;
  gboolean             stop;
  SondeTextLoadInfo    info;

  /* Main thread only */
  GtkTextBuffer       *buffer;
  gboolean             worker_done;
  GError              *worker_error;
} LoadData;

void
sonde_text_load_info_free (SondeTextLoadInfo *info)
{
  if (info == NULL)
    return;
  g_clear_error (&info->json_error);
  g_free (info);
}

static void
load_data_free (gpointer user_data)
{
  LoadData *data = user_data;

  g_queue_clear_full (&data->queue, (GDestroyNotify) g_bytes_unref);
  g_mutex_clear (&data->mutex);
  g_cond_clear (&data->cond);
  g_clear_object (&data->input);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->context, g_main_context_unref);
  if (data->out != NULL)
    g_string_free (data->out, TRUE);
  g_clear_error (&data->info.json_error);
  g_clear_error (&data->worker_error);
  g_clear_object (&data->buffer);
  g_free (data);
}

static gboolean drain_cb (gpointer user_data);

static gboolean
start_drain_cb (gpointer user_data)
{
  GTask *task = user_data;

  /* Below redrawing, above GtkTextView's own validation of new lines (which would otherwise
   * starve the insertion until every line inserted so far is laid out); a step source, so
   * that a frame clock always busy painting does not starve it either. */
  sonde_step_source_add (G_PRIORITY_HIGH_IDLE + 24, drain_cb, g_object_ref (task), g_object_unref);
  return G_SOURCE_REMOVE;
}

/* Called with the mutex held, from either thread. */
static void
schedule_drain_locked (LoadData *data,
                       GTask    *task)
{
  g_autoptr(GSource) source = NULL;

  if (data->drain_scheduled)
    return;

  data->drain_scheduled = TRUE;
  /* The step source is made on the main thread; this hop there runs above painting. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[sonde] text loader start drain");
  g_source_set_callback (source, start_drain_cb, g_object_ref (task), g_object_unref);
  g_source_attach (source, data->context);
}

/* Worker side */

static void
push_output (LoadData *data,
             GTask    *task)
{
  GBytes *bytes;

  if (data->out->len == 0)
    return;

  bytes = g_bytes_new_take (data->out->str, data->out->len);
  g_string_free (data->out, FALSE);
  data->out = g_string_sized_new (CHUNK_SIZE + SONDE_TEXT_LOADER_WRAP_WIDTH);

  g_mutex_lock (&data->mutex);
  while (data->queued > MAX_QUEUED && !g_cancellable_is_cancelled (data->cancellable))
    g_cond_wait_until (&data->cond, &data->mutex, g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND);
  data->queued += g_bytes_get_size (bytes);
  g_queue_push_tail (&data->queue, bytes);
  schedule_drain_locked (data, task);
  g_mutex_unlock (&data->mutex);
}

static gsize
char_boundary_before (const char *text,
                      gsize       length,
                      gsize       position)
{
  if (position >= length)
    return length;
  while (position > 0 && (text[position] & 0xC0) == 0x80)
    position--;
  return position;
}

/* Appends valid UTF-8 to the output, breaking lines longer than the wrap width and stopping
 * at the output limit. */
static void
append_valid (LoadData   *data,
              const char *text,
              gsize       length)
{
  while (length > 0 && !data->stop)
    {
      const char *newline = memchr (text, '\n', length);
      gsize line = newline != NULL ? (gsize) (newline - text) : length;
      gsize take = line;
      gboolean wrap = FALSE;

      if (data->line_length + line > SONDE_TEXT_LOADER_WRAP_WIDTH)
        {
          take = char_boundary_before (text, length, SONDE_TEXT_LOADER_WRAP_WIDTH - data->line_length);
          wrap = TRUE;
        }
      else if (newline != NULL)
        take = line + 1;

      if (data->info.inserted + take + (wrap ? 1 : 0) > data->output_limit)
        {
          take = char_boundary_before (text, length, MIN (take, data->output_limit - data->info.inserted));
          data->stop = TRUE;
          wrap = FALSE;
        }

      g_string_append_len (data->out, text, take);
      data->info.inserted += take;
      text += take;
      length -= take;

      if (wrap)
        {
          g_string_append_c (data->out, '\n');
          data->info.inserted++;
          data->info.wrapped = TRUE;
          data->line_length = 0;
        }
      else if (take > 0 && text[-1] == '\n')
        data->line_length = 0;
      else
        data->line_length += take;
    }
}

/* Appends any bytes as valid UTF-8, replacing invalid sequences (and NUL) with U+FFFD. A
 * sequence cut by the end of a chunk is kept for the next one. */
static void
emit (LoadData   *data,
      const char *text,
      gsize       length,
      gboolean    last)
{
  g_autofree char *joined = NULL;
  const char *end;

  if (data->stop)
    return;

  if (data->carry_length > 0)
    {
      joined = g_malloc (data->carry_length + length);
      memcpy (joined, data->carry, data->carry_length);
      memcpy (joined + data->carry_length, text, length);
      length += data->carry_length;
      text = joined;
      data->carry_length = 0;
    }

  end = text + length;
  while (text < end && !data->stop)
    {
      const char *valid_end;
      gunichar c;

      g_utf8_validate_len (text, end - text, &valid_end);
      append_valid (data, text, valid_end - text);
      text = valid_end;
      if (text == end)
        break;

      c = g_utf8_get_char_validated (text, end - text);
      if (c == (gunichar) -2 && !last && end - text < 4)
        {
          data->carry_length = end - text;
          memcpy (data->carry, text, data->carry_length);
          break;
        }

      append_valid (data, "\xEF\xBF\xBD", 3);
      data->info.replaced = TRUE;
      text++;
    }
}

typedef struct
{
  LoadData *data;
  GTask    *task;
} SinkContext;

static void
json_sink_cb (const char *text,
              gsize       length,
              gpointer    user_data)
{
  SinkContext *sink = user_data;

  emit (sink->data, text, length, FALSE);
  if (sink->data->out->len >= CHUNK_SIZE)
    push_output (sink->data, sink->task);
}

static void
load_thread (GTask        *worker_task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GTask *task = task_data;
  LoadData *data = g_task_get_task_data (task);
  SinkContext sink = { data, task };
  g_autoptr(SondeJsonFormatter) formatter = NULL;
  g_autofree char *buf = g_malloc (READ_SIZE);
  g_autoptr(GError) error = NULL;
  gboolean eof = FALSE;

  if (data->mode == SONDE_TEXT_LOADER_JSON)
    formatter = sonde_json_formatter_new (2, json_sink_cb, &sink);

  while (!data->stop && data->info.json_error == NULL)
    {
      gssize n = g_input_stream_read (data->input, buf, READ_SIZE, cancellable, &error);

      if (n < 0)
        {
          g_task_return_error (worker_task, g_steal_pointer (&error));
          return;
        }
      if (n == 0)
        {
          eof = TRUE;
          break;
        }

      data->info.consumed += n;
      if (formatter != NULL)
        {
          if (!sonde_json_formatter_feed (formatter, buf, n, &data->info.json_error))
            data->info.json_error_offset = sonde_json_formatter_get_offset (formatter);
        }
      else
        emit (data, buf, n, FALSE);

      if (data->out->len >= CHUNK_SIZE)
        push_output (data, task);
    }

  if (formatter != NULL && eof && data->info.json_error == NULL &&
      !sonde_json_formatter_finish (formatter, &data->info.json_error))
    data->info.json_error_offset = sonde_json_formatter_get_offset (formatter);

  emit (data, "", 0, TRUE);
  data->info.truncated = data->stop;
  push_output (data, task);

  g_task_return_boolean (worker_task, TRUE);
}

/* Main thread side */

static void
complete (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);
  SondeTextLoadInfo *info;

  if (data->worker_error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&data->worker_error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  info = g_new0 (SondeTextLoadInfo, 1);
  *info = data->info;
  data->info.json_error = NULL;
  g_task_return_pointer (task, info, (GDestroyNotify) sonde_text_load_info_free);
}

static gboolean
drain_cb (gpointer user_data)
{
  GTask *task = user_data;
  LoadData *data = g_task_get_task_data (task);
  gint64 deadline = g_get_monotonic_time () + INSERT_BUDGET_USEC;
  gsize inserted = 0;
  gboolean cancelled = g_cancellable_is_cancelled (data->cancellable);

  for (;;)
    {
      g_autoptr(GBytes) bytes = NULL;
      GtkTextIter end;
      const char *text;
      gsize size;

      g_mutex_lock (&data->mutex);
      if (cancelled)
        {
          g_queue_clear_full (&data->queue, (GDestroyNotify) g_bytes_unref);
          data->queued = 0;
        }
      bytes = g_queue_pop_head (&data->queue);
      if (bytes == NULL)
        {
          data->drain_scheduled = FALSE;
          g_cond_signal (&data->cond);
          g_mutex_unlock (&data->mutex);
          break;
        }
      data->queued -= g_bytes_get_size (bytes);
      g_cond_signal (&data->cond);
      g_mutex_unlock (&data->mutex);

      text = g_bytes_get_data (bytes, &size);
      gtk_text_buffer_get_end_iter (data->buffer, &end);
      gtk_text_buffer_insert (data->buffer, &end, text, size);
      inserted += size;

      if (inserted >= INSERT_BUDGET || g_get_monotonic_time () >= deadline)
        return G_SOURCE_CONTINUE;
    }

  if (data->worker_done)
    complete (task);

  return G_SOURCE_REMOVE;
}

static void
worker_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);

  g_task_propagate_boolean (G_TASK (result), &data->worker_error);
  data->worker_done = TRUE;

  g_mutex_lock (&data->mutex);
  schedule_drain_locked (data, task);
  g_mutex_unlock (&data->mutex);
}

void
sonde_text_loader_load_async (GtkTextBuffer       *buffer,
                              GInputStream        *input,
                              SondeTextLoaderMode  mode,
                              guint64              output_limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker_task = NULL;
  LoadData *data;

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));
  g_return_if_fail (G_IS_INPUT_STREAM (input));

  data = g_new0 (LoadData, 1);
  data->buffer = g_object_ref (buffer);
  data->input = g_object_ref (input);
  data->mode = mode;
  data->output_limit = output_limit;
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  data->context = g_main_context_ref_thread_default ();
  data->out = g_string_sized_new (CHUNK_SIZE + SONDE_TEXT_LOADER_WRAP_WIDTH);
  g_mutex_init (&data->mutex);
  g_cond_init (&data->cond);
  g_queue_init (&data->queue);

  task = g_task_new (buffer, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_text_loader_load_async);
  g_task_set_task_data (task, data, load_data_free);

  /* The worker task holds the outer task until the thread is done with DATA. */
  worker_task = g_task_new (NULL, data->cancellable, worker_done_cb, g_object_ref (task));
  g_task_set_source_tag (worker_task, load_thread);
  g_task_set_task_data (worker_task, g_object_ref (task), g_object_unref);
  g_task_run_in_thread (worker_task, load_thread);
}

SondeTextLoadInfo *
sonde_text_loader_load_finish (GtkTextBuffer  *buffer,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, buffer), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
