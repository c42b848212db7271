/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WebSocket requests: their keys in a request file, and connections through the client to a
 * SoupServer WebSocket handler (echo, large frames, server close, a bounded log, keepalive,
 * TLS). */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-json-file.h"
#include "sonde-test-proxy.h"
#include "sonde-test-server.h"
#include "sonde-test-tls.h"
#include "sonde-test-utils.h"

typedef struct
{
  SoupServer *server;
  char       *base;        /* ws://127.0.0.1:PORT */
  GPtrArray  *connections; /* the server's side, kept open */
  char       *seen_header; /* X-Test of the last handshake */
  char       *seen_cookie;
  guint       flood;       /* messages /flood sends at once */
} Fixture;

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_free (fixture->seen_header);
  fixture->seen_header = g_strdup (soup_message_headers_get_one (headers, "X-Test"));
  g_free (fixture->seen_cookie);
  fixture->seen_cookie = g_strdup (soup_message_headers_get_one (headers, "Cookie"));
  g_ptr_array_add (fixture->connections, g_object_ref (connection));
  soup_websocket_connection_set_max_incoming_payload_size (connection, 16 * 1024 * 1024);

  if (g_str_equal (path, "/flood"))
    {
      for (guint i = 0; i < fixture->flood; i++)
        {
          g_autofree char *text = g_strdup_printf ("event %u", i);

          soup_websocket_connection_send_text (connection, text);
        }
      return;
    }
  sonde_test_websocket_echo (connection);
}

static void
plain_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  soup_server_message_set_status (msg, 404, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "no", 2);
}

static void
add_handlers (SoupServer *server,
              Fixture    *fixture)
{
  char *protocols[] = { "chat", "superchat", NULL };

  soup_server_add_handler (server, "/plain", plain_cb, NULL, NULL);
  soup_server_add_websocket_handler (server, "/echo", NULL, protocols, websocket_cb, fixture, NULL);
  soup_server_add_websocket_handler (server, "/flood", NULL, NULL, websocket_cb, fixture, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *base = NULL;

  fixture->server = soup_server_new (NULL, NULL);
  fixture->connections = g_ptr_array_new_with_free_func (g_object_unref);
  add_handlers (fixture->server, fixture);
  base = sonde_test_listen_local (fixture->server);
  fixture->base = g_strconcat ("ws", base + strlen ("http"), NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->connections, g_ptr_array_unref);
  g_clear_object (&fixture->server);
  g_free (fixture->base);
  g_free (fixture->seen_header);
  g_free (fixture->seen_cookie);
}

static SondeRequest *
request_new (const char *url,
             const char *extra_json)
{
  SondeRequest *request = sonde_request_new ();

  sonde_request_set_url (request, url);
  if (extra_json != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (extra_json, NULL);

      g_assert_nonnull (node);
      sonde_request_set_extra (request, json_node_get_object (node));
    }
  return request;
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  SondeWebsocket *websocket = sonde_client_websocket_connect_finish (SONDE_CLIENT (object), result, &error);

  if (websocket != NULL)
    g_task_return_pointer (task, websocket, g_object_unref);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static SondeWebsocket *
connect_sync (SondeClient   *client,
              SondeRequest  *request,
              GError       **error)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  sonde_client_websocket_connect_async (client, request, NULL, connected_cb, g_object_ref (task));
  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);
  return g_task_propagate_pointer (task, error);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the log holds N entries (or 10 s went by). */
static void
wait_for_log (SondeWebsocket *websocket,
              guint           n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);

  while (g_list_model_get_n_items (sonde_websocket_get_log (websocket)) < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
wait_for_close (SondeWebsocket *websocket)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);

  while (sonde_websocket_is_open (websocket) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  /* "closed" has run: the close entry is in the log */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static SondeFrame *
log_item (SondeWebsocket *websocket,
          guint           i)
{
  GListModel *log = sonde_websocket_get_log (websocket);
  g_autoptr(SondeFrame) frame = g_list_model_get_item (log, i);

  g_assert_nonnull (frame);
  return frame; /* the log holds it */
}

static SondeFrame *
last_item (SondeWebsocket *websocket)
{
  return log_item (websocket, g_list_model_get_n_items (sonde_websocket_get_log (websocket)) - 1);
}

static void
test_settings (void)
{
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) subprotocols = NULL;
  guint keepalive = 0;
  SondeWebsocketMessage *message;
  static const struct { const char *json; const char *words; } bad[] = {
    { "{\"protocol\": \"gopher\"}", "must be “http” or “websocket”" },
    { "{\"subprotocols\": [\"a b\"]}", "subprotocols[0] must be a subprotocol name" },
    { "{\"subprotocols\": \"chat\"}", "subprotocols” must be" },
    { "{\"keepalive\": -1}", "keepalive" },
    { "{\"keepalive\": 100000}", "keepalive” must be at most a day" },
    { "{\"messages\": [3]}", "messages[0] must be an object" },
    { "{\"messages\": [{\"type\": \"morse\"}]}", "type” must be “text”, “json” or “binary”" },
    { "{\"messages\": [{\"type\": \"binary\"}]}", "file” must name the file" },
    { "{\"messages\": [{\"text\": 3}]}", "text” must be a string" },
  };

  /* What makes a request a WebSocket one */
  request = request_new ("wss://example.com/socket", NULL);
  g_assert_true (sonde_request_is_websocket (request));
  sonde_request_set_url (request, "https://example.com/socket");
  g_assert_false (sonde_request_is_websocket (request));
  sonde_request_set_websocket (request, TRUE);
  g_assert_true (sonde_request_is_websocket (request));
  g_assert_cmpstr (sonde_json_get_string (sonde_request_get_extra (request), "protocol"), ==, "websocket");
  sonde_request_set_websocket (request, FALSE);
  g_assert_false (sonde_request_is_websocket (request));
  g_assert_null (sonde_request_get_extra (request));
  /* A ws:// URL marked http is HTTP: the file said so */
  sonde_request_set_url (request, "ws://example.com/");
  sonde_request_set_websocket (request, FALSE);
  g_assert_false (sonde_request_is_websocket (request));
  g_clear_object (&request);

  /* The keys read, defaults included */
  g_assert_true (sonde_websocket_read_settings (NULL, &subprotocols, &keepalive, messages, &error));
  g_assert_null (subprotocols);
  g_assert_cmpuint (keepalive, ==, SONDE_WEBSOCKET_DEFAULT_KEEPALIVE);
  request = request_new ("{{base}}/chat",
                         "{\"protocol\": \"websocket\", \"subprotocols\": [\"chat\", \"{{proto}}\"], \"keepalive\": 5,"
                         " \"messages\": [{\"text\": \"hello {{name}}\"},"
                         " {\"type\": \"json\", \"text\": \"{\\\"n\\\": 1}\", \"enabled\": false},"
                         " {\"type\": \"binary\", \"file\": \"{{name}}.bin\"}], \"variables\": []}");
  g_assert_true (sonde_request_is_websocket (request));
  g_hash_table_insert (variables, "base", "ws://example.com");
  g_hash_table_insert (variables, "proto", "superchat");
  g_hash_table_insert (variables, "name", "ada");
  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_websocket_read_settings (sonde_request_get_extra (expanded), &subprotocols, &keepalive,
                                                messages, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (subprotocols, ((const char * const[]) { "chat", "superchat", NULL }));
  g_assert_cmpuint (keepalive, ==, 5);
  g_assert_cmpuint (messages->len, ==, 3);
  message = messages->pdata[0];
  g_assert_cmpint (message->kind, ==, SONDE_WEBSOCKET_MESSAGE_TEXT);
  g_assert_cmpstr (message->text, ==, "hello ada");
  g_assert_true (message->enabled);
  message = messages->pdata[1];
  g_assert_cmpint (message->kind, ==, SONDE_WEBSOCKET_MESSAGE_JSON);
  g_assert_false (message->enabled);
  message = messages->pdata[2];
  g_assert_cmpint (message->kind, ==, SONDE_WEBSOCKET_MESSAGE_BINARY);
  g_assert_cmpstr (message->file, ==, "ada.bin");
  /* The request itself is untouched, and each message writes back as it was read */
  g_assert_cmpstr (sonde_json_get_string (json_array_get_object_element (
                     sonde_json_get_array (sonde_request_get_extra (request), "messages"), 0), "text"),
                   ==, "hello {{name}}");
  {
    g_autoptr(JsonObject) object = sonde_websocket_message_to_json (messages->pdata[1]);
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_cmpstr (text, ==, "{\"type\":\"json\",\"text\":\"{\\\"n\\\": 1}\",\"enabled\":false}");
  }

  /* A variable nobody defined, said where */
  g_hash_table_remove (variables, "name");
  g_clear_object (&expanded);
  expanded = sonde_request_expand (request, variables, &error);
  g_assert_null (expanded);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE);
  g_assert_nonnull (strstr (error->message, "used in WebSocket message 1"));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i].json, NULL);

      g_assert_false (sonde_websocket_read_settings (json_node_get_object (node), NULL, NULL, NULL, &error));
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
      if (strstr (error->message, bad[i].words) == NULL)
        g_error ("%s: “%s” does not say “%s”", bad[i].json, error->message, bad[i].words);
      g_clear_error (&error);
    }
}

static void
ignore_message_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GError **error = user_data;

  sonde_websocket_send_message_finish (SONDE_WEBSOCKET (object), result, error);
}

static void
messages_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (sonde_websocket_send_messages_finish (SONDE_WEBSOCKET (object), result, error));
}

static void
messages_ok_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sonde_websocket_send_messages_finish (SONDE_WEBSOCKET (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
count_cb (SondeWebsocket *websocket,
          guint          *count)
{
  (*count)++;
}

/* Send and echo: text, JSON, binary and a file; headers, cookies and a subprotocol in the
 * handshake; closing by Sonde. */
static void
test_echo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeWebsocket) websocket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x00\x01\x02", 3);
  g_autoptr(SondeKeyValue) header = sonde_key_value_new ("X-Test", "yes", TRUE);
  g_autoptr(SondeKeyValue) cookie = sonde_key_value_new ("session", "abc", TRUE);
  g_autofree char *url = g_strconcat (fixture->base, "/echo", NULL);
  g_autofree char *dir = g_dir_make_tmp ("sonde-websocket-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "frame.bin", NULL);
  g_autoptr(GFile) base_dir = g_file_new_for_path (dir);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
  SondeResponse *handshake;
  SondeFrame *frame;
  guint closed = 0;

  g_assert_true (g_file_set_contents (path, "\xff\xfe file", 7, NULL));
  request = request_new (url, "{\"subprotocols\": [\"superchat\"], \"messages\": [{\"type\": \"binary\", \"file\": \"frame.bin\"}]}");
  sonde_request_set_base_dir (request, base_dir);
  g_list_store_append (sonde_request_get_headers (request), header);
  g_list_store_append (sonde_request_get_cookies (request), cookie);

  websocket = connect_sync (client, request, &error);
  g_assert_no_error (error);
  g_signal_connect (websocket, "closed", G_CALLBACK (count_cb), &closed);
  g_assert_true (sonde_websocket_is_open (websocket));
  g_assert_cmpstr (sonde_websocket_get_protocol (websocket), ==, "superchat");
  handshake = sonde_websocket_get_handshake (websocket);
  g_assert_cmpuint (sonde_response_get_status (handshake), ==, 101);
  g_assert_cmpstr (sonde_response_get_url (handshake), ==, url);
  g_assert_cmpstr (fixture->seen_header, ==, "yes");
  g_assert_cmpstr (fixture->seen_cookie, ==, "session=abc");
  frame = log_item (websocket, 0);
  g_assert_cmpint (sonde_frame_get_kind (frame), ==, SONDE_FRAME_NOTE);
  g_assert_nonnull (strstr (sonde_frame_get_text (frame), "subprotocol superchat"));

  g_assert_true (sonde_websocket_send_text (websocket, "héllo", &error));
  g_assert_no_error (error);
  wait_for_log (websocket, 3);
  frame = log_item (websocket, 1);
  g_assert_cmpint (sonde_frame_get_direction (frame), ==, SONDE_FRAME_SENT);
  frame = log_item (websocket, 2);
  g_assert_cmpint (sonde_frame_get_direction (frame), ==, SONDE_FRAME_RECEIVED);
  g_assert_cmpint (sonde_frame_get_kind (frame), ==, SONDE_FRAME_TEXT);
  g_assert_cmpstr (sonde_frame_get_text (frame), ==, "héllo");
  g_assert_cmpuint (sonde_frame_get_size (frame), ==, 6);

  /* JSON is checked before it goes */
  g_assert_false (sonde_websocket_send_json (websocket, "{\"a\": ", &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "The message is not JSON"));
  g_clear_error (&error);
  g_assert_true (sonde_websocket_send_json (websocket, "{\"a\": 1}", &error));
  g_assert_no_error (error);
  wait_for_log (websocket, 5);
  g_assert_cmpstr (sonde_frame_get_text (last_item (websocket)), ==, "{\"a\": 1}");

  g_assert_true (sonde_websocket_send_binary (websocket, binary, &error));
  wait_for_log (websocket, 7);
  frame = last_item (websocket);
  g_assert_cmpint (sonde_frame_get_kind (frame), ==, SONDE_FRAME_BINARY);
  g_assert_true (g_bytes_equal (sonde_frame_get_data (frame), binary));
  {
    g_autofree char *summary = sonde_frame_dup_summary (frame, 80);

    g_assert_cmpstr (summary, ==, "Binary, 3 bytes");
  }

  /* A saved binary message: the file's bytes, read in a worker */
  g_assert_true (sonde_websocket_read_settings (sonde_request_get_extra (request), NULL, NULL, messages, &error));
  sonde_websocket_send_message_async (websocket, request, messages->pdata[0], NULL, ignore_message_cb, &error);
  wait_for_log (websocket, 9);
  g_assert_no_error (error);
  frame = last_item (websocket);
  g_assert_cmpint (sonde_frame_get_kind (frame), ==, SONDE_FRAME_BINARY);
  g_assert_cmpuint (sonde_frame_get_size (frame), ==, 7);
  g_assert_cmpint (sonde_frame_get_direction (frame), ==, SONDE_FRAME_RECEIVED);

  /* Several in order; the first that cannot go stops the rest, with its error */
  {
    SondeWebsocketMessage first = { SONDE_WEBSOCKET_MESSAGE_TEXT, (char *) "one", NULL, TRUE };
    SondeWebsocketMessage bad = { SONDE_WEBSOCKET_MESSAGE_JSON, (char *) "{", NULL, TRUE };
    SondeWebsocketMessage never = { SONDE_WEBSOCKET_MESSAGE_TEXT, (char *) "never", NULL, TRUE };
    g_autoptr(GPtrArray) failing = g_ptr_array_new ();
    gboolean done = FALSE;

    g_ptr_array_add (failing, &first);
    g_ptr_array_add (failing, &bad);
    g_ptr_array_add (failing, &never);
    sonde_websocket_send_messages_async (websocket, request, failing, NULL, messages_done_cb, &error);
    while (error == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
    g_clear_error (&error);
    wait_for_log (websocket, 11);
    g_assert_cmpstr (sonde_frame_get_text (log_item (websocket, 9)), ==, "one");
    g_assert_cmpstr (sonde_frame_get_text (last_item (websocket)), ==, "one");

    /* All of them: the file, then a text, in order */
    g_ptr_array_remove_index (failing, 2);
    g_ptr_array_remove_index (failing, 1);
    g_ptr_array_insert (failing, 0, messages->pdata[0]);
    sonde_websocket_send_messages_async (websocket, request, failing, NULL, messages_ok_cb, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
    wait_for_log (websocket, 15);
    g_assert_cmpint (sonde_frame_get_kind (log_item (websocket, 11)), ==, SONDE_FRAME_BINARY);
    g_assert_cmpstr (sonde_frame_get_text (last_item (websocket)), ==, "one");
  }

  /* Sonde closes */
  sonde_websocket_close (websocket, 0, NULL);
  wait_for_close (websocket);
  g_assert_cmpuint (closed, ==, 1);
  frame = last_item (websocket);
  g_assert_cmpint (sonde_frame_get_kind (frame), ==, SONDE_FRAME_CLOSE);
  g_assert_cmpint (sonde_frame_get_direction (frame), ==, SONDE_FRAME_SENT);
  g_assert_cmpuint (sonde_frame_get_close_code (frame), ==, 1000);
  {
    g_autofree char *summary = sonde_frame_dup_summary (frame, 80);

    g_assert_cmpstr (summary, ==, "Closed by Sonde: 1000 Normal Closure");
  }
  g_assert_false (sonde_websocket_send_text (websocket, "late", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);

  g_unlink (path);
  g_rmdir (dir);
}

/* A 4 MiB frame each way; the log keeps the first MiB of it */
static void
test_large (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autofree char *url = g_strconcat (fixture->base, "/echo", NULL);
  g_autoptr(SondeRequest) request = request_new (url, NULL);
  g_autoptr(SondeWebsocket) websocket = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 4 * 1024 * 1024;
  guint8 *payload = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  SondeFrame *frame;

  for (gsize i = 0; i < size; i++)
    payload[i] = i * 7;
  bytes = g_bytes_new_take (payload, size);

  websocket = connect_sync (client, request, &error);
  g_assert_no_error (error);
  g_assert_null (sonde_websocket_get_protocol (websocket));
  g_assert_true (sonde_websocket_send_binary (websocket, bytes, &error));
  wait_for_log (websocket, 3);
  frame = last_item (websocket);
  g_assert_cmpint (sonde_frame_get_direction (frame), ==, SONDE_FRAME_RECEIVED);
  g_assert_cmpuint (sonde_frame_get_size (frame), ==, size);
  g_assert_true (sonde_frame_get_truncated (frame));
  g_assert_cmpuint (g_bytes_get_size (sonde_frame_get_data (frame)), ==, SONDE_FRAME_KEEP_SIZE);
  g_assert_cmpmem (g_bytes_get_data (sonde_frame_get_data (frame), NULL), 1024, payload, 1024);
}

/* The server closes with its own code and reason; nothing can be sent after */
static void
test_server_close (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autofree char *url = g_strconcat (fixture->base, "/echo", NULL);
  g_autoptr(SondeRequest) request = request_new (url, NULL);
  g_autoptr(SondeWebsocket) websocket = NULL;
  g_autoptr(GError) error = NULL;
  SondeWebsocketMessage message = { SONDE_WEBSOCKET_MESSAGE_TEXT, (char *) "x", NULL, TRUE };
  g_autofree char *summary = NULL;
  SondeFrame *frame;

  websocket = connect_sync (client, request, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_websocket_send_text (websocket, "close", &error));
  wait_for_close (websocket);
  frame = last_item (websocket);
  g_assert_cmpint (sonde_frame_get_kind (frame), ==, SONDE_FRAME_CLOSE);
  g_assert_cmpint (sonde_frame_get_direction (frame), ==, SONDE_FRAME_RECEIVED);
  g_assert_cmpuint (sonde_frame_get_close_code (frame), ==, 4000);
  summary = sonde_frame_dup_summary (frame, 80);
  g_assert_cmpstr (summary, ==, "Closed by the server: 4000 — bye");

  sonde_websocket_send_message_async (websocket, request, &message, NULL, ignore_message_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

/* A server that floods: the log keeps the newest entries and counts the others */
static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autofree char *url = g_strconcat (fixture->base, "/flood", NULL);
  g_autoptr(SondeRequest) request = request_new (url, NULL);
  g_autoptr(SondeWebsocket) websocket = NULL;
  g_autoptr(GError) error = NULL;
  gboolean timed_out = FALSE;
  guint id;

  fixture->flood = 3000;
  websocket = connect_sync (client, request, &error);
  g_assert_no_error (error);
  sonde_websocket_set_max_frames (websocket, 100);

  id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);
  while (sonde_websocket_get_n_received (websocket) < 3000 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  g_assert_cmpuint (g_list_model_get_n_items (sonde_websocket_get_log (websocket)), ==, 100);
  g_assert_cmpuint (sonde_websocket_get_dropped (websocket), ==, 2901); /* 3000 + "Connected" - 100 */
  g_assert_cmpstr (sonde_frame_get_text (last_item (websocket)), ==, "event 2999");
  g_assert_cmpstr (sonde_frame_get_text (log_item (websocket, 0)), ==, "event 2900");
}

/* Keepalive pings are answered; their pongs show in the log */
/* ws:// through an HTTP proxy: libsoup sends it as a plain request, which tinyproxy refuses;
 * the error says to use wss:// */
static void
test_plain_proxy (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autofree char *url = g_strconcat (fixture->base, "/echo", NULL);
  g_autoptr(SondeRequest) request = request_new (url, NULL);
  g_autoptr(GError) error = NULL;
  guint port = atoi (strrchr (fixture->base, ':') + 1);
  g_autoptr(SondeTestProxy) proxy = sonde_test_proxy_new (&port, 1, &error);
  SondeRequestOptions *options = sonde_request_get_options (request);

  if (proxy == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (options, sonde_test_proxy_get_url (proxy));
  sonde_request_options_set_proxy_username (options, SONDE_TEST_PROXY_USERNAME);
  sonde_request_options_set_proxy_password (options, SONDE_TEST_PROXY_PASSWORD);
  g_assert_null (connect_sync (client, request, &error));
  g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "wss:// goes through the proxy’s tunnel"));
}

static void
test_keepalive (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autofree char *url = g_strconcat (fixture->base, "/echo", NULL);
  g_autoptr(SondeRequest) request = request_new (url, "{\"keepalive\": 1}");
  g_autoptr(SondeWebsocket) websocket = NULL;
  g_autoptr(GError) error = NULL;

  websocket = connect_sync (client, request, &error);
  g_assert_no_error (error);
  wait_for_log (websocket, 2);
  g_assert_cmpint (sonde_frame_get_kind (last_item (websocket)), ==, SONDE_FRAME_PONG);
}

/* What is not a WebSocket, said in words; bad input refused before connecting */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (fixture->base, "/plain", NULL);
  g_autoptr(SondeRequest) request = request_new (url, NULL);
  g_autoptr(SondeRequest) bad = request_new (url, "{\"subprotocols\": [\"a,b\"]}");
  g_autoptr(SondeRequest) ftp = request_new ("ftp://127.0.0.1/", "{\"protocol\": \"websocket\"}");
  g_autofree char *dir = g_dir_make_tmp ("sonde-websocket-XXXXXX", NULL);
  g_autoptr(GFile) collection_dir = g_file_new_for_path (dir);
  g_autoptr(SondeRequest) outside = request_new (url, "{\"messages\": [{\"type\": \"binary\", \"file\": \"/etc/hostname\"}]}");

  g_assert_null (connect_sync (client, request, &error));
  g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The server answered 404 Not Found instead of opening a WebSocket: "
                                       "is this the WebSocket URL?");
  g_clear_error (&error);

  g_assert_null (connect_sync (client, bad, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_null (connect_sync (client, ftp, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL);
  g_clear_error (&error);

  /* A collection's request sends no file from outside it */
  sonde_request_set_collection_dir (outside, collection_dir);
  g_assert_null (connect_sync (client, outside, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_OUTSIDE);
  g_rmdir (dir);
}

/* wss:// with the request's CA file; refused without it */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeTestTls) tls = sonde_test_tls_new (&error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeWebsocket) websocket = NULL;
  g_autofree char *url = NULL;
  Fixture fixture = { 0 };

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }
  fixture.connections = g_ptr_array_new_with_free_func (g_object_unref);
  server = sonde_test_tls_server_new (tls, FALSE, &base);
  add_handlers (server, &fixture);
  url = g_strdup_printf ("wss://127.0.0.1:%d/echo", g_uri_get_port (base));
  request = request_new (url, NULL);

  g_assert_null (connect_sync (client, request, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_clear_error (&error);

  sonde_request_options_set_ca_file (sonde_request_get_options (request), tls->ca_cert);
  websocket = connect_sync (client, request, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_response_get_is_tls (sonde_websocket_get_handshake (websocket)));
  g_assert_true (sonde_response_get_tls_verified (sonde_websocket_get_handshake (websocket)));
  g_assert_cmpstr (sonde_response_get_url (sonde_websocket_get_handshake (websocket)), ==, url);
  g_assert_true (sonde_websocket_send_text (websocket, "over tls", &error));
  wait_for_log (websocket, 3);
  g_assert_cmpstr (sonde_frame_get_text (last_item (websocket)), ==, "over tls");
  g_clear_object (&websocket);

  g_ptr_array_unref (fixture.connections);
  g_free (fixture.seen_header);
  g_free (fixture.seen_cookie);
}

/* wss:// to a server that asks for a client certificate, directly and through an HTTP proxy
 * (CONNECT) */
static void
test_tls_options (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeTestTls) tls = sonde_test_tls_new (&error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeWebsocket) websocket = NULL;
  g_autoptr(SondeTestProxy) proxy = NULL;
  g_autofree char *url = NULL;
  g_autofree char *log = NULL;
  SondeRequestOptions *options;
  Fixture fixture = { 0 };
  guint port;

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }
  fixture.connections = g_ptr_array_new_with_free_func (g_object_unref);
  server = sonde_test_tls_server_new (tls, TRUE, &base);
  add_handlers (server, &fixture);
  url = g_strdup_printf ("wss://127.0.0.1:%d/echo", g_uri_get_port (base));
  request = request_new (url, NULL);
  options = sonde_request_get_options (request);
  sonde_request_options_set_ca_file (options, tls->ca_cert);

  /* No certificate: the server's refusal, said */
  g_assert_null (connect_sync (client, request, &error));
  g_assert_nonnull (error);
  g_test_message ("without a client certificate: %s", error->message);
  g_clear_error (&error);

  /* With the request's client certificate */
  sonde_request_options_set_client_cert (options, tls->client_cert);
  sonde_request_options_set_client_key (options, tls->client_key);
  websocket = connect_sync (client, request, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_websocket_send_text (websocket, "with a certificate", &error));
  wait_for_log (websocket, 3);
  g_assert_cmpstr (sonde_frame_get_text (last_item (websocket)), ==, "with a certificate");
  g_clear_object (&websocket);

  /* Through tinyproxy, which tunnels wss:// with CONNECT, the certificate still given
   * (tinyproxy asks for credentials first, and libsoup opens a new connection) */
  port = g_uri_get_port (base);
  proxy = sonde_test_proxy_new (&port, 1, &error);
  if (proxy == NULL)
    {
      g_test_message ("no proxy: %s", error->message);
      g_clear_error (&error);
    }
  else
    {
      sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
      sonde_request_options_set_proxy_url (options, sonde_test_proxy_get_url (proxy));
      sonde_request_options_set_proxy_username (options, SONDE_TEST_PROXY_USERNAME);
      sonde_request_options_set_proxy_password (options, SONDE_TEST_PROXY_PASSWORD);
      websocket = connect_sync (client, request, &error);
      g_assert_no_error (error);
      g_assert_true (sonde_websocket_send_text (websocket, "through the proxy", &error));
      wait_for_log (websocket, 3);
      g_assert_cmpstr (sonde_frame_get_text (last_item (websocket)), ==, "through the proxy");
      g_clear_object (&websocket);
      log = sonde_test_proxy_get_log (proxy);
      g_assert_nonnull (strstr (log, "CONNECT"));
    }

  g_ptr_array_unref (fixture.connections);
  g_free (fixture.seen_header);
  g_free (fixture.seen_cookie);
}

/* sonde-cli send: the saved messages go, what comes back is printed */
static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("sonde-websocket-cli-XXXXXX", NULL);
  g_autofree char *request_path = g_build_filename (dir, "chat.request.json", NULL);
  g_autofree char *bin_path = g_build_filename (dir, "frame.bin", NULL);
  g_autofree char *closing_path = g_build_filename (dir, "closing.request.json", NULL);
  g_autofree char *plain_path = g_build_filename (dir, "plain.request.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(SondeTestCliResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *frames;

  text = g_strdup_printf ("{\"url\": \"%s/echo\", \"headers\": [{\"name\": \"X-Test\", \"value\": \"{{who}}\"}],\n"
                          " \"messages\": [{\"text\": \"one {{who}}\"}, {\"type\": \"json\", \"text\": \"{\\\"n\\\": 2}\"},\n"
                          " {\"type\": \"text\", \"text\": \"skipped\", \"enabled\": false},\n"
                          " {\"type\": \"binary\", \"file\": \"frame.bin\"}]}\n", fixture->base);
  g_assert_true (g_file_set_contents (request_path, text, -1, NULL));
  g_assert_true (g_file_set_contents (bin_path, "\x01\x02", 2, NULL));
  g_free (text);
  text = g_strdup_printf ("{\"url\": \"%s/echo\", \"messages\": [{\"text\": \"close\"}]}\n", fixture->base);
  g_assert_true (g_file_set_contents (closing_path, text, -1, NULL));
  g_free (text);
  /* http:// with "protocol" is a WebSocket request too */
  text = g_strdup_printf ("{\"url\": \"http%s/plain\", \"protocol\": \"websocket\"}\n",
                          fixture->base + strlen ("ws"));
  g_assert_true (g_file_set_contents (plain_path, text, -1, NULL));

  /* Three echoes, then it closes (--count) */
  result = sonde_test_run_cli (dir, (const char * const[]) { "send", "--count", "3", "--var", "who=ada",
                                                             "chat.request.json", NULL });
  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_cmpstr (result->out, ==, "one ada\n{\"n\": 2}\n");
  g_assert_nonnull (strstr (result->err, "A binary message of 2 bytes arrived"));
  g_assert_cmpstr (fixture->seen_header, ==, "ada");
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* --json: the handshake and every frame; quiet for 0.3 s ends it */
  result = sonde_test_run_cli (dir, (const char * const[]) { "send", "--json", "--wait", "0.3", "--var", "who=bob",
                                                             "chat.request.json", NULL });
  g_assert_cmpint (result->exit_status, ==, 0);
  node = json_from_string (result->out, NULL);
  g_assert_nonnull (node);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "status"), ==, 101);
  frames = json_object_get_array_member (json_node_get_object (node), "frames");
  /* connected, 3 sent, 3 received, closed */
  g_assert_cmpuint (json_array_get_length (frames), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (frames, 1), "direction"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (frames, 1), "text"), ==, "one bob");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (frames, 6), "base64"), ==, "AQI=");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (frames, 7), "code"), ==, 1000);
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* The server closes first: said on stderr, still a success */
  result = sonde_test_run_cli (dir, (const char * const[]) { "send", "--wait", "0", "closing.request.json", NULL });
  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "Closed by the server: 4000 — bye"));
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* Not a WebSocket endpoint: exit status 1, in words */
  result = sonde_test_run_cli (dir, (const char * const[]) { "send", "plain.request.json", NULL });
  g_assert_cmpint (result->exit_status, ==, 1);
  g_assert_nonnull (strstr (result->err, "The server answered 404 Not Found instead of opening a WebSocket"));
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* --include: the handshake's status line and headers first */
  result = sonde_test_run_cli (dir, (const char * const[]) { "send", "--include", "--count", "1", "--var", "who=ann",
                                                             "chat.request.json", NULL });
  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (result->out, "HTTP/1.1 101 Switching Protocols\n"));
  g_assert_nonnull (strstr (result->out, "\n\none ann\n"));
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* --output is for HTTP responses */
  result = sonde_test_run_cli (dir, (const char * const[]) { "send", "--output", "out.txt", "--var", "who=ann",
                                                             "chat.request.json", NULL });
  g_assert_cmpint (result->exit_status, ==, 2);
  g_assert_nonnull (strstr (result->err, "--output is for HTTP responses"));
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* An undefined variable in a message is bad input */
  result = sonde_test_run_cli (dir, (const char * const[]) { "send", "chat.request.json", NULL });
  g_assert_cmpint (result->exit_status, ==, 2);
  g_assert_nonnull (strstr (result->err, "who"));

  sonde_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sonde_client_init_process ();

  g_test_add_func ("/websocket/settings", test_settings);
  g_test_add ("/websocket/echo", Fixture, NULL, fixture_set_up, test_echo, fixture_tear_down);
  g_test_add ("/websocket/large", Fixture, NULL, fixture_set_up, test_large, fixture_tear_down);
  g_test_add ("/websocket/server-close", Fixture, NULL, fixture_set_up, test_server_close, fixture_tear_down);
  g_test_add ("/websocket/bounded", Fixture, NULL, fixture_set_up, test_bounded, fixture_tear_down);
  g_test_add ("/websocket/keepalive", Fixture, NULL, fixture_set_up, test_keepalive, fixture_tear_down);
  g_test_add ("/websocket/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add_func ("/websocket/tls", test_tls);
  g_test_add_func ("/websocket/tls-options", test_tls_options);
  g_test_add ("/websocket/plain-proxy", Fixture, NULL, fixture_set_up, test_plain_proxy, fixture_tear_down);
  g_test_add ("/websocket/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);

  return g_test_run ();
}
