/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-test-socks"

#include "config.h"

#include <string.h>

#include "sonde-test-socks.h"

#define SOCKS_VERSION      0x05
#define AUTH_VERSION       0x01
#define METHOD_NONE        0x00
#define METHOD_PASSWORD    0x02
#define METHOD_UNACCEPTED  0xff
#define COMMAND_CONNECT    0x01
#define ADDRESS_IPV4       0x01
#define ADDRESS_NAME       0x03
#define ADDRESS_IPV6       0x04

/* RFC 1928 §6 replies */
#define REPLY_SUCCEEDED            0x00
#define REPLY_FAILURE              0x01
#define REPLY_NETWORK_UNREACHABLE  0x03
#define REPLY_HOST_UNREACHABLE     0x04
#define REPLY_REFUSED              0x05
#define REPLY_COMMAND_UNSUPPORTED  0x07
#define REPLY_ADDRESS_UNSUPPORTED  0x08

/* Reference counted (g_rc_box): connections in flight keep it alive after _free (). */
struct _SondeTestSocks
{
  GSocketService *service;
  GCancellable   *cancellable;
  gboolean        require_auth;
  guint           port;
  char           *url;
  guint           connection_count;
  guint           auth_failures;
  GPtrArray      *targets;  /* NULL-terminated */
};

typedef struct _Connection Connection;
typedef void (*Step) (Connection *conn);

struct _Connection
{
  SondeTestSocks    *socks;  /* a reference */
  GSocketConnection *client;
  GSocketConnection *target;
  guint8             buffer[520];
  gsize              wanted;
  guint8             reply[16];
  Step               next;
  guint8             command;
  guint8             name_length;
  char              *username;
};

static void
socks_clear (SondeTestSocks *socks)
{
  g_clear_object (&socks->service);
  g_clear_object (&socks->cancellable);
  g_clear_pointer (&socks->url, g_free);
  g_clear_pointer (&socks->targets, g_ptr_array_unref);
}

static void
connection_free (Connection *conn)
{
  g_clear_object (&conn->client);
  g_clear_object (&conn->target);
  g_clear_pointer (&conn->username, g_free);
  g_rc_box_release_full (conn->socks, (GDestroyNotify) socks_clear);
  g_free (conn);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Connection *conn = user_data;
  gsize count = 0;

  /* EOF, reset or cancelled: drop the connection. */
  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &count, NULL) ||
      count < conn->wanted)
    {
      connection_free (conn);
      return;
    }
  conn->next (conn);
}

/* Reads exactly COUNT bytes into conn->buffer, then runs STEP. */
static void
read_then (Connection *conn,
           gsize       count,
           Step        step)
{
  g_assert (count <= sizeof conn->buffer);

  conn->wanted = count;
  conn->next = step;
  if (count == 0)
    {
      step (conn);
      return;
    }
  g_input_stream_read_all_async (g_io_stream_get_input_stream (G_IO_STREAM (conn->client)),
                                 conn->buffer, count, G_PRIORITY_DEFAULT,
                                 conn->socks->cancellable, read_cb, conn);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Connection *conn = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL) ||
      conn->next == NULL)
    {
      connection_free (conn);
      return;
    }
  conn->next (conn);
}

/* Sends the LENGTH bytes of conn->reply, then runs STEP; NULL: closes the connection. */
static void
write_then (Connection *conn,
            gsize       length,
            Step        step)
{
  conn->next = step;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (conn->client)),
                                   conn->reply, length, G_PRIORITY_DEFAULT,
                                   conn->socks->cancellable, write_cb, conn);
}

/* A CONNECT reply with an all-zero IPv4 bound address. */
static void
send_reply (Connection *conn,
            guint8      code,
            Step        step)
{
  memset (conn->reply, 0, 10);
  conn->reply[0] = SOCKS_VERSION;
  conn->reply[1] = code;
  conn->reply[3] = ADDRESS_IPV4;
  write_then (conn, 10, step);
}

static void
spliced_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_io_stream_splice_finish (result, NULL);
  connection_free (user_data);
}

static void
relay (Connection *conn)
{
  g_io_stream_splice_async (G_IO_STREAM (conn->client), G_IO_STREAM (conn->target),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2 |
                            G_IO_STREAM_SPLICE_WAIT_FOR_BOTH,
                            G_PRIORITY_DEFAULT, conn->socks->cancellable, spliced_cb, conn);
}

static void
target_connected_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Connection *conn = user_data;
  g_autoptr(GError) error = NULL;
  guint8 code = REPLY_FAILURE;

  conn->target = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (conn->target != NULL)
    {
      send_reply (conn, REPLY_SUCCEEDED, relay);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      connection_free (conn);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    code = REPLY_REFUSED;
  else if (error->domain == G_RESOLVER_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    code = REPLY_HOST_UNREACHABLE;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    code = REPLY_NETWORK_UNREACHABLE;
  send_reply (conn, code, NULL);
}

static void
got_address (Connection *conn)
{
  const guint8 *address = conn->buffer;
  gsize length = conn->wanted - 2;
  guint16 port = (conn->buffer[length] << 8) | conn->buffer[length + 1];
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autofree char *host = NULL;

  if (conn->name_length > 0)
    host = g_strndup ((const char *) address, length);
  else
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_bytes (address, length == 4 ? G_SOCKET_FAMILY_IPV4
                                                                                           : G_SOCKET_FAMILY_IPV6);
      host = g_inet_address_to_string (inet);
    }

  g_ptr_array_insert (conn->socks->targets, conn->socks->targets->len - 1,
                      strchr (host, ':') != NULL ? g_strdup_printf ("[%s]:%u", host, port)
                                                 : g_strdup_printf ("%s:%u", host, port));

  if (conn->command != COMMAND_CONNECT)
    {
      send_reply (conn, REPLY_COMMAND_UNSUPPORTED, NULL);
      return;
    }

  client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  connectable = g_network_address_new (host, port);
  g_socket_client_connect_async (client, connectable, conn->socks->cancellable, target_connected_cb, conn);
}

static void
got_name_length (Connection *conn)
{
  conn->name_length = conn->buffer[0];
  if (conn->name_length == 0)
    send_reply (conn, REPLY_ADDRESS_UNSUPPORTED, NULL);
  else
    read_then (conn, conn->name_length + 2, got_address);
}

static void
got_request (Connection *conn)
{
  if (conn->buffer[0] != SOCKS_VERSION)
    {
      connection_free (conn);
      return;
    }

  conn->command = conn->buffer[1];
  switch (conn->buffer[3])
    {
    case ADDRESS_IPV4:
      read_then (conn, 4 + 2, got_address);
      break;
    case ADDRESS_IPV6:
      read_then (conn, 16 + 2, got_address);
      break;
    case ADDRESS_NAME:
      read_then (conn, 1, got_name_length);
      break;
    default:
      send_reply (conn, REPLY_ADDRESS_UNSUPPORTED, NULL);
    }
}

static void
read_request (Connection *conn)
{
  read_then (conn, 4, got_request);
}

static void
got_password (Connection *conn)
{
  gboolean accepted = g_strcmp0 (conn->username, SONDE_TEST_SOCKS_USERNAME) == 0 &&
                      conn->wanted == strlen (SONDE_TEST_SOCKS_PASSWORD) &&
                      memcmp (conn->buffer, SONDE_TEST_SOCKS_PASSWORD, conn->wanted) == 0;

  if (!accepted)
    conn->socks->auth_failures++;

  /* RFC 1929: any status but 0 is a failure, and the server closes the connection. */
  conn->reply[0] = AUTH_VERSION;
  conn->reply[1] = accepted ? 0x00 : 0x01;
  write_then (conn, 2, accepted ? read_request : NULL);
}

/* The username, followed by the password's length byte. */
static void
got_username (Connection *conn)
{
  gsize username_length = conn->wanted - 1;

  conn->username = g_strndup ((const char *) conn->buffer, username_length);
  read_then (conn, conn->buffer[username_length], got_password);
}

static void
got_auth_header (Connection *conn)
{
  if (conn->buffer[0] != AUTH_VERSION)
    {
      connection_free (conn);
      return;
    }
  read_then (conn, conn->buffer[1] + 1, got_username);
}

static void
read_auth (Connection *conn)
{
  read_then (conn, 2, got_auth_header);
}

static void
got_methods (Connection *conn)
{
  guint8 wanted = conn->socks->require_auth ? METHOD_PASSWORD : METHOD_NONE;
  guint8 method = METHOD_UNACCEPTED;

  if (memchr (conn->buffer, wanted, conn->wanted) != NULL)
    method = wanted;

  conn->reply[0] = SOCKS_VERSION;
  conn->reply[1] = method;
  if (method == METHOD_NONE)
    write_then (conn, 2, read_request);
  else if (method == METHOD_PASSWORD)
    write_then (conn, 2, read_auth);
  else
    write_then (conn, 2, NULL);
}

static void
got_greeting (Connection *conn)
{
  if (conn->buffer[0] != SOCKS_VERSION || conn->buffer[1] == 0)
    {
      connection_free (conn);
      return;
    }
  read_then (conn, conn->buffer[1], got_methods);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *client,
             GObject           *source_object,
             SondeTestSocks    *socks)
{
  Connection *conn = g_new0 (Connection, 1);

  socks->connection_count++;
  conn->socks = g_rc_box_acquire (socks);
  conn->client = g_object_ref (client);
  read_then (conn, 2, got_greeting);
  return TRUE;
}

SondeTestSocks *
sonde_test_socks_new (gboolean require_auth)
{
  SondeTestSocks *socks = g_rc_box_new0 (SondeTestSocks);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socks->require_auth = require_auth;
  socks->cancellable = g_cancellable_new ();
  socks->targets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (socks->targets, NULL);

  socks->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (socks->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  socks->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  socks->url = g_strdup_printf ("socks5://127.0.0.1:%u", socks->port);

  g_signal_connect (socks->service, "incoming", G_CALLBACK (incoming_cb), socks);
  g_socket_service_start (socks->service);
  return socks;
}

/* Stops listening and cancels the connections in flight; they go away as the main context
 * runs their callbacks. */
void
sonde_test_socks_free (SondeTestSocks *socks)
{
  g_signal_handlers_disconnect_by_func (socks->service, incoming_cb, socks);
  g_socket_service_stop (socks->service);
  g_socket_listener_close (G_SOCKET_LISTENER (socks->service));
  g_cancellable_cancel (socks->cancellable);
  g_rc_box_release_full (socks, (GDestroyNotify) socks_clear);
}

guint
sonde_test_socks_get_port (SondeTestSocks *socks)
{
  return socks->port;
}

const char *
sonde_test_socks_get_url (SondeTestSocks *socks)
{
  return socks->url;
}

guint
sonde_test_socks_get_connection_count (SondeTestSocks *socks)
{
  return socks->connection_count;
}

const char * const *
sonde_test_socks_get_targets (SondeTestSocks *socks)
{
  return (const char * const *) socks->targets->pdata;
}

guint
sonde_test_socks_get_auth_failures (SondeTestSocks *socks)
{
  return socks->auth_failures;
}
