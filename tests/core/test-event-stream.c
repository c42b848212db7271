/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Server-Sent Events and NDJSON: the parser against the standard's rules, and events given
 * by the client while the stream is still open. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-test-utils.h"

static void
collect_cb (const SondeServerEvent *event,
            gpointer                user_data)
{
  GPtrArray *events = user_data;

  g_ptr_array_add (events, g_strdup_printf ("%s|%s|%s", event->event ? event->event : "message",
                                            event->id ? event->id : "", event->data));
}

/* Fed whole, then byte by byte: the same events */
static void
check_stream (gboolean            ndjson,
              const char         *text,
              const char * const *expected)
{
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(SondeEventStream) stream = sonde_event_stream_new (ndjson);
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);

      if (pass == 0)
        sonde_event_stream_feed (stream, text, strlen (text), collect_cb, events);
      else
        for (gsize i = 0; text[i] != '\0'; i++)
          sonde_event_stream_feed (stream, text + i, 1, collect_cb, events);
      sonde_event_stream_finish (stream, collect_cb, events);
      g_ptr_array_add (events, NULL);
      g_assert_cmpstrv ((const char * const *) events->pdata, expected);
    }
}

static void
test_parser (void)
{
  /* Multi-line data, names, ids kept across events, comments, CRLF and CR, the space after
   * the colon, a field without a colon, an event without data, and one cut at the end */
  check_stream (FALSE,
                "\xEF\xBB\xBF: keep-alive\n"
                "data: one\n\n"
                "event: update\r\nid: 7\r\ndata:two\r\ndata:  lines\r\n\r\n"
                "data\rdata: x\r\r"
                "event: empty\n\n"
                "retry: 10\nunknown: y\ndata: {\"a\": 1}\n\n"
                "data: never finished",
                (const char * const[]) { "message||one", "update|7|two\n lines", "message|7|\nx",
                                         "message|7|{\"a\": 1}", NULL });
  check_stream (TRUE, "{\"n\": 1}\n\n{\"n\": 2}\r\n{\"n\": 3}",
                (const char * const[]) { "message||{\"n\": 1}", "message||{\"n\": 2}", "message||{\"n\": 3}", NULL });

  {
    gboolean ndjson = TRUE;

    g_assert_true (sonde_event_stream_type ("text/event-stream", &ndjson));
    g_assert_false (ndjson);
    g_assert_true (sonde_event_stream_type ("application/x-ndjson", &ndjson));
    g_assert_true (ndjson);
    g_assert_false (sonde_event_stream_type ("application/json", NULL));
  }
}

/* A server sending an event every 50 ms, then closing */
typedef struct
{
  SoupServerMessage *msg;
  guint              sent;
} Ticker;

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (ticker->msg);
  g_autofree char *event = NULL;

  if (ticker->sent == 6)
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (ticker->msg);
      g_object_unref (ticker->msg);
      g_free (ticker);
      return G_SOURCE_REMOVE;
    }
  event = g_strdup_printf ("id: %u\nevent: tick\ndata: {\"n\": %u}\n\n", ticker->sent, ticker->sent);
  soup_message_body_append (body, SOUP_MEMORY_COPY, event, strlen (event));
  soup_server_message_unpause (ticker->msg);
  ticker->sent++;
  return G_SOURCE_CONTINUE;
}

static void
events_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Ticker *ticker = g_new0 (Ticker, 1);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), "text/event-stream", NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg), SOUP_ENCODING_CHUNKED);
  ticker->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  g_timeout_add (50, tick_cb, ticker);
}

typedef struct
{
  SondeEventStream *parser;
  GPtrArray        *events;
  guint             calls;
  gboolean          done;
  gint64            first_event_at;
  SondeResponse    *response;
} Watch;

static void
stream_cb (SondeResponse *response,
           const guint8  *data,
           gsize          length,
           gpointer       user_data)
{
  Watch *watch = user_data;

  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  g_assert_cmpstr (sonde_response_get_content_type (response), ==, "text/event-stream");
  watch->calls++;
  sonde_event_stream_feed (watch->parser, (const char *) data, length, collect_cb, watch->events);
  if (watch->events->len > 0 && watch->first_event_at == 0)
    watch->first_event_at = g_get_monotonic_time ();
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Watch *watch = user_data;
  g_autoptr(GError) error = NULL;

  watch->response = sonde_client_send_finish (SONDE_CLIENT (object), result, &error);
  g_assert_no_error (error);
  watch->done = TRUE;
}

static void
test_streaming (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Watch watch = { sonde_event_stream_new (FALSE), g_ptr_array_new_with_free_func (g_free), 0, FALSE, 0, NULL };
  gint64 done_at;

  soup_server_add_handler (server, "/events", events_cb, NULL, NULL);
  {
    g_autofree char *base = sonde_test_listen_local (server);

    url = g_strconcat (base, "/events", NULL);
  }

  sonde_request_set_url (request, url);
  sonde_client_send_streaming_async (client, request, stream_cb, &watch, NULL, NULL, NULL, sent_cb, &watch);
  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);
  done_at = g_get_monotonic_time ();

  g_assert_cmpuint (watch.events->len, ==, 6);
  g_assert_cmpstr (g_ptr_array_index (watch.events, 0), ==, "tick|0|{\"n\": 0}");
  g_assert_cmpstr (g_ptr_array_index (watch.events, 5), ==, "tick|5|{\"n\": 5}");
  /* Given as they came, not at the end: one call per event at least */
  g_assert_cmpuint (watch.calls, >=, 6);
  g_assert_cmpint (watch.first_event_at, >, 0);
  g_test_message ("first event %.0f ms before the stream ended", (done_at - watch.first_event_at) / 1000.0);
  /* The whole stream is the response's body too */
  g_assert_cmpuint (sonde_response_get_body_size (watch.response), ==, 6 * strlen ("id: 0\nevent: tick\ndata: {\"n\": 0}\n\n"));

  g_clear_object (&watch.response);
  sonde_event_stream_free (watch.parser);
  g_ptr_array_unref (watch.events);
}

/* sonde-cli send prints a stream as it comes, once, the head first with --include */
static void
test_cli (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *dir = g_dir_make_tmp ("sonde-sse-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ticks.request.json", NULL);
  g_autofree char *base = NULL;
  g_autofree char *json = NULL;
  g_autoptr(SondeTestCliResult) result = NULL;
  const char *first;

  soup_server_add_handler (server, "/events", events_cb, NULL, NULL);
  base = sonde_test_listen_local (server);
  json = g_strdup_printf ("{\"method\": \"GET\", \"url\": \"%s/events\"}\n", base);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));

  result = sonde_test_run_cli (dir, (const char * const[]) { "send", "--include", "ticks.request.json", NULL });
  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (result->out, "HTTP/1.1 200"));
  first = strstr (result->out, "id: 0\nevent: tick\ndata: {\"n\": 0}\n\n");
  g_assert_nonnull (first);
  g_assert_null (strstr (first + 1, "id: 0\n"));
  g_assert_nonnull (strstr (result->out, "id: 5\nevent: tick\ndata: {\"n\": 5}\n\n"));
  /* The head once */
  g_assert_null (strstr (result->out + 1, "HTTP/1.1 200"));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/event-stream/parser", test_parser);
  g_test_add_func ("/event-stream/streaming", test_streaming);
  g_test_add_func ("/event-stream/cli", test_cli);

  return g_test_run ();
}
