/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the response: timings, the body pumped into memory, a spill file or the
 * output file in big chunks, and the cookies it set.
 * See docs/architecture.md, "Engine rules". */
#define G_LOG_DOMAIN "sonde-client"

#include "config.h"

#include "sonde-client-private.h"

/* Timings */

/* Each phase runs from its own metric point to the next point present, so the phases
 * cover the whole send without gaps or overlaps. Points libsoup did not record (a reused
 * connection has no DNS, connect or TLS) are skipped, as is the DNS point of a host given
 * as an IP address: GSocketClient reports resolving it, though nothing is looked up. */
void
sonde_client_fill_timings (Send *send)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (send->msg);
  SondeTimings *timings = &send->response->timings;
  gboolean redirected = send->response->redirects->len > 0;
  guint64 now = g_get_monotonic_time ();
  guint64 fetch_start = 0;
  guint64 dns_start = 0;
  guint64 connect_start = 0;
  guint64 tls_start = 0;
  guint64 request_start = 0;
  guint64 response_start = 0;
  guint64 response_end = 0;
  double *phase = NULL;
  guint64 phase_start = 0;

  if (metrics != NULL)
    {
      fetch_start = soup_message_metrics_get_fetch_start (metrics);
      if (!g_hostname_is_ip_address (g_uri_get_host (send->uri)))
        dns_start = soup_message_metrics_get_dns_start (metrics);
      connect_start = soup_message_metrics_get_connect_start (metrics);
      tls_start = soup_message_metrics_get_tls_start (metrics);
      request_start = soup_message_metrics_get_request_start (metrics);
      response_start = soup_message_metrics_get_response_start (metrics);
      response_end = soup_message_metrics_get_response_end (metrics);
      send->response->header_size = soup_message_metrics_get_response_header_bytes_received (metrics);
    }

  {
    const struct { double *phase; guint64 start; } points[] = {
      { &timings->redirects, redirected ? (guint64) send->started_at : 0 },
      { &timings->queued, redirected ? fetch_start : (guint64) send->started_at },
      { &timings->dns, dns_start },
      { &timings->connect, connect_start },
      { &timings->tls, tls_start },
      { &timings->request_sent, request_start },
      { &timings->first_byte, (guint64) MAX (send->wrote_body_at, 0) },
      { &timings->download, response_start },
      { &timings->finishing, response_end },
      { NULL, now },
    };

    for (guint i = 0; i < G_N_ELEMENTS (points); i++)
      {
        /* Out of order would mean a point of an earlier message: not this one's. */
        if (points[i].start == 0 || points[i].start < phase_start)
          continue;
        if (phase != NULL)
          *phase = (points[i].start - phase_start) / 1000.0;
        phase = points[i].phase;
        phase_start = points[i].start;
      }
  }

  timings->total = (now - send->started_at) / 1000.0;
}

/* Response body */

static char *
format_size (guint64 size)
{
  static const struct { guint64 unit; const char *name; } units[] = {
    { G_GUINT64_CONSTANT (1000000000), "GB" }, { 1000000, "MB" }, { 1000, "kB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (size >= units[i].unit && size % units[i].unit == 0)
      return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", size / units[i].unit, units[i].name);

  return g_format_size (size);
}

static void
finish_response (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  SondeResponse *response = send->response;

  sonde_client_fill_timings (send);
  if (send->msg != NULL && soup_message_get_metrics (send->msg) != NULL)
    response->body_wire_size =
      soup_message_metrics_get_response_body_bytes_received (soup_message_get_metrics (send->msg));
  if (!sonde_request_options_get_verify_tls (send->options))
    response->tls_verified = response->is_tls && response->tls_errors == 0;

  g_task_return_pointer (task, g_steal_pointer (&send->response), g_object_unref);
}

static void pump_body (GTask *task);

static void
output_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (send->output);

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      g_clear_object (&send->output_stream);
      g_prefix_error (&error, _("Could not write %s: "), path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&send->output_stream);

  if (g_rename (send->output_tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return;
    }
  g_clear_pointer (&send->output_tmp_path, g_free);

  finish_response (task);
}

static void
body_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);

  /* A stream closed early (size cap) may report an error: what arrived is kept anyway. */
  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  g_clear_object (&send->body_stream);

  if (send->output_stream != NULL)
    g_output_stream_close_async (send->output_stream, G_PRIORITY_DEFAULT, send->cancellable,
                                 output_closed_cb, g_steal_pointer (&task));
  else
    finish_response (task);
}

static void
end_body (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  g_input_stream_close_async (send->body_stream, G_PRIORITY_DEFAULT, NULL,
                              body_closed_cb, task);
}

/* Reading and writing overlap: a block is written (in GIO's worker thread) while the next
 * one is gathered, and at most one waits in between, so memory stays at a few blocks. */
static void
fail_body (GTask  *task,
           GError *error)
{
  Send *send = g_task_get_task_data (task);

  /* The first error is the one reported. */
  if (send->body_failed)
    {
      g_error_free (error);
      pump_body (task);
      return;
    }
  send->body_failed = TRUE;
  send->body_error = error;

  /* A write still under way ends in a file that is gone: none is left behind. */
  if (send->output_tmp_path != NULL)
    g_unlink (send->output_tmp_path);
  g_clear_pointer (&send->output_tmp_path, g_free);

  /* Stops the read or write still under way; the task ends when it has. */
  g_cancellable_cancel (send->cancellable);
  pump_body (task);
}

static void
output_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&send->writing_chunk, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_autofree char *path = g_file_get_path (send->output);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not write %s: "), path);
      fail_body (task, g_steal_pointer (&error));
      return;
    }

  pump_body (task);
}

static void
write_chunk (GTask  *task,
             GBytes *chunk)
{
  Send *send = g_task_get_task_data (task);
  gsize length;
  const guint8 *data = g_bytes_get_data (chunk, &length);

  send->writing_chunk = chunk;
  g_output_stream_write_all_async (send->output_stream, data, length, G_PRIORITY_DEFAULT,
                                   send->cancellable, output_written_cb, g_object_ref (task));
}

/* A download to a file is read straight into blocks of WRITE_BLOCK_SIZE, each written whole:
 * over TLS each read brings one record of at most 16 KiB, and a write is a round trip to
 * GIO's worker thread (for 1 GiB, 65,536 of them against 1,024). Reads go into buffers Sonde
 * keeps, not a new one each (g_input_stream_read_bytes_async () would map and unmap its 1 MiB
 * for every record). The block being filled goes to the write when it is full, or at the end. */
static void
flush_block (Send *send)
{
  if (send->block_len > 0)
    send->pending_chunk = g_bytes_new_take (g_steal_pointer (&send->block), send->block_len);
  g_clear_pointer (&send->block, g_free);
  send->block_len = 0;
}

static void
chunk_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  SondeResponse *response = send->response;
  g_autoptr(GError) error = NULL;
  gssize read;
  gsize length;

  send->reading = FALSE;
  read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (read < 0)
    {
      fail_body (task, g_steal_pointer (&error));
      return;
    }
  if (send->body_failed)
    {
      pump_body (task);
      return;
    }

  length = read;
  if (length == 0)
    {
      send->read_done = TRUE;
      /* Reads wait while a block is pending: there is room for the last one. */
      flush_block (send);
      pump_body (task);
      return;
    }

  /* The cap is on decoded bytes: a small gzip stream may unpack to gigabytes. */
  if (send->max_body_size > 0 && response->body_size + length > send->max_body_size)
    {
      g_autofree char *limit = format_size (send->max_body_size);

      length = send->max_body_size - response->body_size;
      send->read_done = TRUE;
      response->body_truncated = TRUE;
      if (send->default_cap)
        response->body_warning =
          g_strdup_printf (_("The response body was cut at %s, the most Sonde keeps of a response: save it to a file to get all of it."),
                           limit);
      else
        response->body_warning =
          g_strdup_printf (_("The response body was cut at %s: it is larger than the limit set for this request."),
                           limit);
    }

  response->body_size += length;
  if (send->progress != NULL)
    send->progress (SONDE_TRANSFER_DOWNLOAD, response->body_size, send->body_total, send->progress_data);

  if (send->output_stream != NULL)
    {
      send->block_len += length;
      if (send->block_len == WRITE_BLOCK_SIZE || send->read_done)
        flush_block (send);
    }
  else if (!sonde_body_store_append (response->body, send->read_buffer, length, &error))
    {
      fail_body (task, g_steal_pointer (&error));
      return;
    }
  if (send->stream != NULL && send->output_stream == NULL)
    send->stream (response, send->read_buffer, length, send->stream_data);

  /* A large body: big reads from now on */
  if (send->output_stream == NULL && (gsize) read == send->read_buffer_size &&
      send->read_buffer_size < READ_CHUNK_SIZE)
    {
      g_free (send->read_buffer);
      send->read_buffer_size = READ_CHUNK_SIZE;
      send->read_buffer = g_malloc (send->read_buffer_size);
    }

  pump_body (task);
}

/* Takes over a reference on TASK. */
static void
read_next_chunk (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  guint8 *buffer;
  gsize count;

  if (send->output_stream != NULL)
    {
      if (send->block == NULL)
        send->block = g_malloc (WRITE_BLOCK_SIZE);
      buffer = send->block + send->block_len;
      count = WRITE_BLOCK_SIZE - send->block_len;
    }
  else
    {
      if (send->read_buffer == NULL)
        {
          send->read_buffer_size = FIRST_READ_SIZE;
          send->read_buffer = g_malloc (send->read_buffer_size);
        }
      buffer = send->read_buffer;
      count = send->read_buffer_size;
    }

  send->reading = TRUE;
  g_input_stream_read_async (send->body_stream, buffer, count, G_PRIORITY_DEFAULT,
                             send->cancellable, chunk_read_cb, task);
}

static void
pump_body (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  if (send->body_failed)
    {
      if (send->body_error != NULL && !send->reading && send->writing_chunk == NULL)
        sonde_client_return_error (task, g_steal_pointer (&send->body_error));
      return;
    }
  if (send->writing_chunk == NULL && send->pending_chunk != NULL)
    write_chunk (task, g_steal_pointer (&send->pending_chunk));
  if (!send->reading && !send->read_done && send->pending_chunk == NULL)
    read_next_chunk (g_object_ref (task));
  else if (!send->reading && send->read_done && send->writing_chunk == NULL)
    end_body (g_object_ref (task));
}

static gboolean
open_output (Send    *send,
             GError **error)
{
  g_autofree char *path = g_file_get_path (send->output);
  int fd;

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The response can only be saved to a local file"));
      return FALSE;
    }

  /* A temp file beside the target, renamed at the end: a failed download never clobbers
   * the file that was there. */
  fd = sonde_temp_file_open_beside (path, 0644, &send->output_tmp_path);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  send->output_stream = g_unix_output_stream_new (fd, TRUE);
  return TRUE;
}

void
sonde_client_start_body (GTask        *task,
            GInputStream *stream)
{
  Send *send = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (send->msg);
  g_autoptr(GError) error = NULL;

  send->body_stream = stream;
  sonde_response_take_message (send->response, send->msg);
  sonde_client_mask_token (send);

  /* Content-Length counts encoded bytes: only a total when nothing is decoded. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_one (headers, "Content-Encoding") == NULL)
    send->body_total = soup_message_headers_get_content_length (headers);

  if (send->output != NULL)
    {
      if (!open_output (send, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      send->response->output = g_object_ref (send->output);
    }
  else
    send->response->body = sonde_body_store_new (send->client->memory_threshold);

  read_next_chunk (task);
}

/* Set-Cookie of every response, redirects included, goes to the jar with browser rules
 * (domain, path, Secure only from https, no public suffixes), and to the response as it
 * was sent, with the URL that set it: a login's 302 sets the session cookie. */
void
sonde_client_store_cookies (Send *send)
{
  GSList *cookies = soup_cookies_from_response (send->msg);
  g_autofree char *url = cookies != NULL ? g_uri_to_string (send->uri) : NULL;

  for (GSList *l = cookies; l != NULL; l = l->next)
    {
      sonde_response_add_cookie (send->response, l->data, url);
      sonde_cookie_jar_add_checked (send->jar, l->data, send->uri);
    }
  g_slist_free (cookies);
}
