/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "sonde-cli send" on a WebSocket request: connect, send the saved messages in order, print
 * what arrives until the server is quiet for a while, enough messages came, or it closes. */
#define G_LOG_DOMAIN "sonde-cli"

#include "config.h"

#include "sonde-cli-websocket.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sonde-cli-json.h"
#include "sonde-cli-send.h"

/* Closing waits this long for the server's answer. */
#define CLOSE_TIMEOUT_MS 2000

typedef struct
{
  const SondeCliWebsocketOptions *options;
  SondeRequest                   *request;
  const char * const             *secrets;
  GCancellable                   *cancellable;
  GMainLoop                      *loop;

  SondeWebsocket                 *websocket;
  GPtrArray                      *messages;   /* SondeWebsocketMessage*, the enabled ones */
  gboolean                        sending;    /* the saved messages are going */
  guint                           printed;    /* log entries looked at */
  guint                           received;
  guint                           idle_id;
  guint                           close_id;
  gulong                          cancelled_id;
  gboolean                        done;
  int                             status;
} Run;

static void print_error (Run *run, const GError *error);

static gboolean
close_timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->close_id = 0;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

/* Closes with CODE, and waits (a little) for the server's answer: "closed" ends the loop. */
static void
close_and_quit (Run  *run,
                guint code)
{
  if (run->websocket != NULL && sonde_websocket_is_open (run->websocket))
    {
      sonde_websocket_close (run->websocket, code, NULL);
      if (run->close_id == 0)
        run->close_id = g_timeout_add (CLOSE_TIMEOUT_MS, close_timeout_cb, run);
      return;
    }
  g_main_loop_quit (run->loop);
}

static void
stop (Run *run,
      int  status)
{
  g_clear_handle_id (&run->idle_id, g_source_remove);
  run->status = status;
  run->done = TRUE;

  close_and_quit (run, SOUP_WEBSOCKET_CLOSE_NORMAL);
}

static gboolean
quiet_cb (gpointer user_data)
{
  Run *run = user_data;

  run->idle_id = 0;
  stop (run, SONDE_CLI_EXIT_RESPONSE);
  return G_SOURCE_REMOVE;
}

/* The wait starts again with each frame, once every saved message is sent. */
static void
restart_wait (Run *run)
{
  g_clear_handle_id (&run->idle_id, g_source_remove);
  if (run->done || run->options->wait <= 0 || run->sending)
    return;
  run->idle_id = g_timeout_add ((guint) (run->options->wait * 1000), quiet_cb, run);
}

static void
print_frame (Run        *run,
             SondeFrame *frame)
{
  gsize size = sonde_frame_get_size (frame);

  if (sonde_frame_get_direction (frame) != SONDE_FRAME_RECEIVED || run->options->json)
    return;

  switch (sonde_frame_get_kind (frame))
    {
    case SONDE_FRAME_TEXT:
      fputs (sonde_frame_get_text (frame), stdout);
      fputc ('\n', stdout);
      fflush (stdout);
      break;

    case SONDE_FRAME_BINARY:
      {
        g_autofree char *text = g_format_size_full (size, G_FORMAT_SIZE_LONG_FORMAT);

        sonde_cli_print_error (_("A binary message of %s arrived (not printed; --json gives it in base64)"), text);
      }
      break;

    case SONDE_FRAME_CLOSE:
      if (sonde_frame_get_close_code (frame) != SOUP_WEBSOCKET_CLOSE_NORMAL)
        {
          g_autofree char *summary = sonde_frame_dup_summary (frame, 0);

          sonde_cli_print_error ("%s", summary);
        }
      break;

    case SONDE_FRAME_NOTE:
    case SONDE_FRAME_PONG:
    default:
      break;
    }
}

static void
log_changed_cb (GListModel *log,
                guint       position,
                guint       removed,
                guint       added,
                Run        *run)
{
  /* Only appends matter; the printed count follows the items dropped at the front. */
  run->printed = run->printed > removed ? run->printed - removed : 0;
  for (guint i = run->printed; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(SondeFrame) frame = g_list_model_get_item (log, i);

      print_frame (run, frame);
      if (sonde_frame_get_direction (frame) == SONDE_FRAME_RECEIVED &&
          (sonde_frame_get_kind (frame) == SONDE_FRAME_TEXT || sonde_frame_get_kind (frame) == SONDE_FRAME_BINARY))
        run->received++;
    }
  run->printed = g_list_model_get_n_items (log);

  if (run->done)
    return;
  if (run->options->count > 0 && run->received >= (guint) run->options->count)
    stop (run, SONDE_CLI_EXIT_RESPONSE);
  else
    restart_wait (run);
}

static void
closed_cb (SondeWebsocket *websocket,
           Run            *run)
{
  GListModel *log = sonde_websocket_get_log (websocket);
  g_autoptr(SondeFrame) last = g_list_model_get_item (log, g_list_model_get_n_items (log) - 1);

  g_clear_handle_id (&run->idle_id, g_source_remove);
  /* The server ending the conversation is an end like any other; a cut connection is not. */
  if (!run->done)
    run->status = last != NULL && sonde_frame_get_kind (last) == SONDE_FRAME_CLOSE &&
                  sonde_frame_get_close_code (last) != SOUP_WEBSOCKET_CLOSE_ABNORMAL
                  ? SONDE_CLI_EXIT_RESPONSE : SONDE_CLI_EXIT_TRANSPORT;
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static void
messages_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->sending = FALSE;
  if (!sonde_websocket_send_messages_finish (SONDE_WEBSOCKET (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || run->done)
        return;
      print_error (run, error);
      stop (run, error->domain == SONDE_REQUEST_ERROR ? SONDE_CLI_EXIT_BAD_INPUT : SONDE_CLI_EXIT_TRANSPORT);
      return;
    }
  restart_wait (run);
}

static void
print_error (Run          *run,
             const GError *unmasked)
{
  sonde_cli_report_error (unmasked, run->secrets, run->options->json);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->websocket = sonde_client_websocket_connect_finish (SONDE_CLIENT (object), result, &error);
  if (run->websocket == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && g_cancellable_is_cancelled (run->cancellable))
        run->status = -1;
      else
        {
          print_error (run, error);
          run->status = error->domain == SONDE_REQUEST_ERROR ? SONDE_CLI_EXIT_BAD_INPUT : SONDE_CLI_EXIT_TRANSPORT;
        }
      run->done = TRUE;
      g_main_loop_quit (run->loop);
      return;
    }

  if (run->options->include && !run->options->json)
    sonde_cli_print_head (sonde_websocket_get_handshake (run->websocket));

  run->printed = g_list_model_get_n_items (sonde_websocket_get_log (run->websocket));
  g_signal_connect (sonde_websocket_get_log (run->websocket), "items-changed", G_CALLBACK (log_changed_cb), run);
  g_signal_connect (run->websocket, "closed", G_CALLBACK (closed_cb), run);
  run->sending = TRUE;
  sonde_websocket_send_messages_async (run->websocket, run->request, run->messages, run->cancellable,
                                       messages_sent_cb, run);
}

static void
cancelled_cb (GCancellable *cancellable,
              Run          *run)
{
  /* Ctrl+C: close politely, then go with the signal's status. */
  if (run->websocket == NULL)
    return;
  run->done = TRUE;
  run->status = -1;
  g_clear_handle_id (&run->idle_id, g_source_remove);
  close_and_quit (run, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

static JsonNode *
frames_to_json (SondeWebsocket *websocket)
{
  GListModel *log = sonde_websocket_get_log (websocket);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  static const char * const directions[] = { "sent", "received", "event" };
  static const char * const kinds[] = { "text", "binary", "pong", "close", "note" };

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(SondeFrame) frame = g_list_model_get_item (log, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (sonde_frame_get_time (frame) / G_USEC_PER_SEC);
      g_autoptr(GDateTime) precise = g_date_time_add (time, sonde_frame_get_time (frame) % G_USEC_PER_SEC);
      g_autofree char *stamp = g_date_time_format_iso8601 (precise);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "direction");
      json_builder_add_string_value (builder, directions[sonde_frame_get_direction (frame)]);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, kinds[sonde_frame_get_kind (frame)]);
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, stamp);
      if (sonde_frame_get_kind (frame) == SONDE_FRAME_TEXT || sonde_frame_get_kind (frame) == SONDE_FRAME_BINARY)
        {
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, sonde_frame_get_size (frame));
        }
      if (sonde_frame_get_kind (frame) == SONDE_FRAME_CLOSE)
        {
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, sonde_frame_get_close_code (frame));
        }
      if (sonde_frame_get_kind (frame) == SONDE_FRAME_BINARY)
        {
          gsize length;
          const guchar *data = g_bytes_get_data (sonde_frame_get_data (frame), &length);
          g_autofree char *base64 = g_base64_encode (data, length);

          json_builder_set_member_name (builder, "base64");
          json_builder_add_string_value (builder, base64);
        }
      else if (sonde_frame_get_text (frame) != NULL)
        {
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, sonde_frame_get_text (frame));
        }
      if (sonde_frame_get_truncated (frame))
        {
          json_builder_set_member_name (builder, "truncated");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
print_json_report (Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sonde_cli_response_to_json (sonde_websocket_get_handshake (run->websocket),
                                                         run->secrets, &error);
  JsonObject *object;

  if (node == NULL)
    return;
  object = json_node_get_object (node);
  /* A handshake has no body */
  json_object_remove_member (object, "bodyOmitted");
  json_object_remove_member (object, "output");
  json_object_remove_member (object, "bodySize");
  json_object_remove_member (object, "bodyTruncated");
  if (sonde_websocket_get_protocol (run->websocket) != NULL)
    json_object_set_string_member (object, "subprotocol", sonde_websocket_get_protocol (run->websocket));
  json_object_set_member (object, "frames", frames_to_json (run->websocket));
  if (sonde_websocket_get_dropped (run->websocket) > 0)
    json_object_set_int_member (object, "framesDropped", sonde_websocket_get_dropped (run->websocket));
  sonde_cli_print_json (node);
}

int
sonde_cli_websocket_run (SondeClient                    *client,
                         SondeRequest                   *request,
                         const SondeCliWebsocketOptions *options,
                         const char * const             *secrets,
                         GCancellable                   *cancellable)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  run.options = options;
  run.request = request;
  run.secrets = secrets;
  run.cancellable = cancellable;
  run.loop = loop;
  run.messages = g_ptr_array_new ();

  /* Malformed saved messages are bad input, found before connecting */
  if (!sonde_websocket_read_settings (sonde_request_get_extra (request), NULL, NULL, messages, &error))
    {
      print_error (&run, error);
      g_ptr_array_unref (run.messages);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }
  for (guint i = 0; i < messages->len; i++)
    if (((SondeWebsocketMessage *) messages->pdata[i])->enabled)
      g_ptr_array_add (run.messages, messages->pdata[i]);

  run.cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), &run, NULL);
  sonde_client_websocket_connect_async (client, request, cancellable, connected_cb, &run);
  g_main_loop_run (loop);

  g_clear_handle_id (&run.close_id, g_source_remove);
  g_clear_handle_id (&run.idle_id, g_source_remove);
  g_cancellable_disconnect (cancellable, run.cancelled_id);

  if (run.websocket != NULL)
    {
      if (options->json)
        print_json_report (&run);
      g_signal_handlers_disconnect_by_data (sonde_websocket_get_log (run.websocket), &run);
      g_signal_handlers_disconnect_by_data (run.websocket, &run);
      g_clear_object (&run.websocket);
    }
  g_ptr_array_unref (run.messages);
  return run.status;
}
