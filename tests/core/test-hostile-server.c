/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A malicious or broken server, on 127.0.0.1: a raw socket server answers each request with
 * bytes chosen by the test (malformed, truncated, endless, slow, hostile redirects, a TLS
 * handshake cut short). Each case must end in a clear error or a flagged response, with no
 * crash, no hang (every request has a timeout) and bounded memory. */

#include "config.h"

#include <string.h>

#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"

typedef enum
{
  SEND_ONCE,      /* the response, then close */
  SEND_DRIBBLE,   /* the response a byte at a time, slowly */
  SEND_NOTHING,   /* read the request, answer nothing, keep the connection */
  SEND_FLOOD,     /* the status line, then headers without end */
  SEND_LONG_LINE, /* the status line, then one header line without end */
  SEND_RAW,       /* read what comes first (a TLS ClientHello), send the response, close */
} Behaviour;

typedef struct
{
  GSocketService *service;
  guint           port;
  char           *base_url;
  /* What to answer: set by the test before each request. */
  GMutex          mutex;
  char           *response;
  Behaviour       behaviour;
  GCancellable   *stop;
} RawServer;

static RawServer *raw;
static SondeClient *client;

static void
read_request_head (GInputStream *input)
{
  char buffer[4096];
  GString *head = g_string_new (NULL);

  while (strstr (head->str, "\r\n\r\n") == NULL && head->len < 65536)
    {
      gssize n = g_input_stream_read (input, buffer, sizeof buffer, raw->stop, NULL);

      if (n <= 0)
        break;
      g_string_append_len (head, buffer, n);
    }
  g_string_free (head, TRUE);
}

static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *response = NULL;
  Behaviour behaviour;

  g_mutex_lock (&raw->mutex);
  response = g_strdup (raw->response);
  behaviour = raw->behaviour;
  g_mutex_unlock (&raw->mutex);

  if (behaviour == SEND_RAW)
    {
      char buffer[4096];

      g_input_stream_read (input, buffer, sizeof buffer, raw->stop, NULL);
      g_output_stream_write_all (output, response, strlen (response), NULL, raw->stop, NULL);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  read_request_head (input);

  switch (behaviour)
    {
    case SEND_ONCE:
      g_output_stream_write_all (output, response, strlen (response), NULL, raw->stop, NULL);
      break;

    case SEND_DRIBBLE:
      for (const char *p = response; *p != '\0' && !g_cancellable_is_cancelled (raw->stop); p++)
        {
          if (!g_output_stream_write_all (output, p, 1, NULL, raw->stop, NULL))
            break;
          g_usleep (G_USEC_PER_SEC / 5);
        }
      break;

    case SEND_NOTHING:
      /* Until the client gives up and closes. */
      {
        char byte;

        g_input_stream_read (input, &byte, 1, raw->stop, NULL);
      }
      break;

    case SEND_FLOOD:
    case SEND_LONG_LINE:
      {
        const char *status = "HTTP/1.1 200 OK\r\n";
        char chunk[4096];
        gsize sent = 0;

        memset (chunk, 'a', sizeof chunk);
        if (behaviour == SEND_FLOOD)
          for (gsize i = 0; i + 8 < sizeof chunk; i += 8)
            memcpy (chunk + i, "X-A: b\r\n", 8);
        else
          memcpy (chunk, "X-Long: ", 8);
        if (!g_output_stream_write_all (output, status, strlen (status), NULL, raw->stop, NULL))
          break;
        /* 64 MB at most: the client must have given up long before. */
        while (sent < 64 * 1024 * 1024 &&
               g_output_stream_write_all (output, chunk, sizeof chunk - (behaviour == SEND_FLOOD ? sizeof chunk % 8 : 0),
                                          NULL, raw->stop, NULL))
          {
            sent += sizeof chunk;
            if (behaviour == SEND_LONG_LINE)
              memset (chunk, 'a', 8);
          }
      }
      break;

    case SEND_RAW:
    default:
      g_assert_not_reached ();
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static RawServer *
raw_server_new (void)
{
  RawServer *self = g_new0 (RawServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&self->mutex);
  self->stop = g_cancellable_new ();
  self->service = g_threaded_socket_service_new (8);
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_signal_connect (self->service, "run", G_CALLBACK (run_cb), NULL);
  g_socket_service_start (self->service);
  return self;
}

static void
raw_server_free (RawServer *self)
{
  g_cancellable_cancel (self->stop);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  g_clear_object (&self->stop);
  g_free (self->base_url);
  g_free (self->response);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

static void
serve (Behaviour   behaviour,
       const char *response)
{
  g_mutex_lock (&raw->mutex);
  g_free (raw->response);
  raw->response = g_strdup (response != NULL ? response : "");
  raw->behaviour = behaviour;
  g_mutex_unlock (&raw->mutex);
}

/* A GET of PATH on the raw server, bounded in time. */
static SondeResponse *
get (const char  *path,
     GError     **error)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autofree char *url = g_strconcat (raw->base_url, path, NULL);

  sonde_request_set_url (request, url);
  sonde_request_options_set_timeout (sonde_request_get_options (request), 3);
  return sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, error);
}

static GError *
get_error (const char *path)
{
  GError *error = NULL;
  g_autoptr(SondeResponse) response = get (path, &error);

  g_assert_null (response);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  return error;
}

static void
test_malformed_status_line (void)
{
  struct {
    const char *response;
    const char *message;
  } cases[] = {
    { "HTTP/1.1 abc Nope\r\nContent-Length: 0\r\n\r\n", "The server at 127.0.0.1 did not answer with valid HTTP" },
    { "SMTP ready\r\n\r\n", "The server at 127.0.0.1 did not answer with valid HTTP" },
    { "\r\n\r\n", "The server at 127.0.0.1 did not answer with valid HTTP" },
    { "", "The server at 127.0.0.1 closed the connection before its response was complete" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      serve (SEND_ONCE, cases[i].response);
      error = get_error ("/");
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* A header line without a colon is skipped, as browsers do. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SondeResponse) response = NULL;

    serve (SEND_ONCE, "HTTP/1.1 200 OK\r\nBroken header line\r\nContent-Length: 2\r\n\r\nok");
    response = get ("/", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  }
}

static void
test_truncated_body (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeResponse) response = NULL;

  /* Promised 1000 bytes, sent 10, closed. */
  serve (SEND_ONCE, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
  response = get ("/", &error);
  g_assert_null (response);
  g_assert_cmpstr (error->message, ==, "The server at 127.0.0.1 closed the connection before its response was complete");

  /* A chunk size that is not a number, and one that is absurd. */
  g_clear_error (&error);
  g_clear_object (&response);
  serve (SEND_ONCE, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n");
  response = get ("/", &error);
  g_assert_true (response == NULL || sonde_body_store_get_size (sonde_response_get_body (response)) == 0);

  g_clear_error (&error);
  g_clear_object (&response);
  serve (SEND_ONCE, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nabc");
  response = get ("/", &error);
  g_assert_true (response == NULL || sonde_body_store_get_size (sonde_response_get_body (response)) <= 3);
}

/* Endless headers, or one endless header line: libsoup stops reading at its limit. */
static void
test_header_flood (void)
{
  g_autoptr(GError) flood = NULL;
  g_autoptr(GError) long_line = NULL;

  serve (SEND_FLOOD, NULL);
  flood = get_error ("/");
  g_assert_cmpstr (flood->message, ==, "The server at 127.0.0.1 sent response headers too large to read");

  serve (SEND_LONG_LINE, NULL);
  long_line = get_error ("/");
  g_assert_cmpstr (long_line->message, ==, "The server at 127.0.0.1 sent response headers too large to read");
}

/* A server that dribbles, or never answers: the request's timeout ends it. */
static void
test_slow_servers (void)
{
  g_autoptr(GError) dribble = NULL;
  g_autoptr(GError) silent = NULL;

  serve (SEND_DRIBBLE, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                       "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789");
  dribble = get_error ("/");
  g_assert_error (dribble, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT);

  serve (SEND_NOTHING, NULL);
  silent = get_error ("/");
  g_assert_error (silent, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT);
}

static void
test_hostile_redirects (void)
{
  struct {
    const char *location;
    int         code;
  } cases[] = {
    { "/", SONDE_CLIENT_ERROR_TOO_MANY_REDIRECTS },               /* to itself, for ever */
    { "file:///etc/passwd", SONDE_CLIENT_ERROR_BAD_REDIRECT },
    { "ftp://127.0.0.1/", SONDE_CLIENT_ERROR_BAD_REDIRECT },
    { "data:text/plain,hello", SONDE_CLIENT_ERROR_BAD_REDIRECT },
    { "javascript:alert(1)", SONDE_CLIENT_ERROR_BAD_REDIRECT },
    { "http://[::1", SONDE_CLIENT_ERROR_BAD_REDIRECT },
    { "http:///no-host", SONDE_CLIENT_ERROR_BAD_REDIRECT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *response = g_strdup_printf ("HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n",
                                                   cases[i].location);
      g_autoptr(GError) error = NULL;

      serve (SEND_ONCE, response);
      error = get_error ("/");
      g_assert_error (error, SONDE_CLIENT_ERROR, cases[i].code);
    }

  /* A redirect without a Location is a response, as it came. */
  {
    g_autoptr(SondeResponse) response = NULL;
    g_autoptr(GError) error = NULL;

    serve (SEND_ONCE, "HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n");
    response = get ("/", &error);
    if (response != NULL)
      g_assert_cmpuint (sonde_response_get_status (response), ==, 302);
    else
      g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_BAD_REDIRECT);
  }
}

/* Bodies where there should be none, and interim responses. */
static void
test_odd_statuses (void)
{
  struct {
    const char *response;
    guint       status;
    guint64     body_size;
  } cases[] = {
    { "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello", 204, 0 },
    { "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello", 304, 0 },
    { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, 2 },
    { "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, 2 },
    { "HTTP/1.1 999 Whatever\r\nContent-Length: 2\r\n\r\nok", 999, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SondeResponse) response = NULL;

      serve (SEND_ONCE, cases[i].response);
      response = get ("/", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sonde_response_get_status (response), ==, cases[i].status);
      g_assert_cmpuint (sonde_response_get_body_size (response), ==, cases[i].body_size);
    }
}

/* The same through sonde-cli: a transport error (exit 1) that says what the server did. */
static void
test_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sonde-hostile-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "flood.request.json", NULL);
  g_autofree char *json = g_strdup_printf ("{\"url\": \"%s/\", \"options\": {\"timeout\": 3}}", raw->base_url);
  g_autoptr(SondeTestCliResult) flood = NULL;
  g_autoptr(SondeTestCliResult) loop = NULL;

  g_assert_true (g_file_set_contents (file, json, -1, NULL));
  serve (SEND_FLOOD, NULL);
  flood = sonde_test_run_cli (dir, (const char * const []) { "send", file, "--no-cookie-jar", NULL });
  g_assert_cmpint (flood->exit_status, ==, 1);
  g_assert_nonnull (strstr (flood->err, "sent response headers too large to read"));

  serve (SEND_ONCE, "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
  loop = sonde_test_run_cli (dir, (const char * const []) { "send", file, "--no-cookie-jar", NULL });
  g_assert_cmpint (loop->exit_status, ==, 1);
  g_assert_nonnull (strstr (loop->err, "the server keeps redirecting"));

  sonde_test_remove_tree (dir);
}

/* A TLS server that closes in the middle of the handshake, and plain HTTP spoken to https. */
static void
test_tls_cut_short (void)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", raw->port);
  const char *responses[] = { "", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" };

  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      g_autoptr(SondeRequest) request = sonde_request_new ();
      g_autoptr(SondeResponse) response = NULL;
      g_autoptr(GError) error = NULL;

      serve (SEND_RAW, responses[i]);
      sonde_request_set_url (request, url);
      /* Generous: the point is that the failure is not a timeout, on a loaded machine too */
      sonde_request_options_set_timeout (sonde_request_get_options (request), 30);
      response = sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, &error);
      g_assert_null (response);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_false (g_error_matches (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT));
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  raw = raw_server_new ();
  client = sonde_client_new ();

  g_test_add_func ("/hostile-server/malformed-status-line", test_malformed_status_line);
  g_test_add_func ("/hostile-server/truncated-body", test_truncated_body);
  g_test_add_func ("/hostile-server/header-flood", test_header_flood);
  g_test_add_func ("/hostile-server/slow-servers", test_slow_servers);
  g_test_add_func ("/hostile-server/redirects", test_hostile_redirects);
  g_test_add_func ("/hostile-server/odd-statuses", test_odd_statuses);
  g_test_add_func ("/hostile-server/tls-cut-short", test_tls_cut_short);
  g_test_add_func ("/hostile-server/cli", test_cli);

  status = g_test_run ();

  g_clear_object (&client);
  raw_server_free (raw);
  return status;
}
