/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sonde-core.h"
#include "sonde-test-proxy.h"
#include "sonde-test-server.h"
#include "sonde-test-tls.h"
#include "sonde-test-utils.h"

/* Cookies, proxies and TLS through SondeClient, all on 127.0.0.1 with real parts: the test
 * SoupServer, a TLS SoupServer with certificates made by openssl, a tinyproxy. */

/* Made once for the whole run: openssl takes a moment per key. */
static SondeTestTls *tls;

typedef struct
{
  SondeTestServer  *server;
  SondeClient      *client;
  SondeCookieStore *store;
  char             *dir;
} Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = sonde_test_server_new ();
  fixture->client = sonde_client_new ();
  fixture->dir = g_dir_make_tmp ("sonde-connection-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  g_clear_object (&fixture->store);
  sonde_test_server_free (fixture->server);
  sonde_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static SondeRequest *
request_for_url (const char *url)
{
  SondeRequest *request = sonde_request_new ();

  sonde_request_set_method (request, "GET");
  sonde_request_set_url (request, url);
  return request;
}

static SondeRequest *
request_new (Fixture    *fixture,
             const char *path)
{
  g_autofree char *url = sonde_test_server_build_url (fixture->server, path);

  return request_for_url (url);
}

static SondeResponse *
send_with (SondeClient   *client,
           SondeRequest  *request,
           GError       **error)
{
  return sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, error);
}

static SondeResponse *
send_ok (SondeClient  *client,
         SondeRequest *request)
{
  g_autoptr(GError) error = NULL;
  SondeResponse *response = send_with (client, request, &error);

  g_assert_no_error (error);
  return response;
}

static GError *
send_error (SondeClient  *client,
            SondeRequest *request)
{
  GError *error = NULL;
  g_autoptr(SondeResponse) response = send_with (client, request, &error);

  g_assert_null (response);
  g_assert_nonnull (error);
  return error;
}

static char *
body_text (SondeResponse *response)
{
  g_autoptr(GBytes) body = sonde_body_store_get_bytes (sonde_response_get_body (response));

  g_assert_nonnull (body);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* Values of header NAME in an /echo reply, joined with "|"; NULL when absent. */
static char *
echoed_header (SondeResponse *response,
               const char    *name)
{
  g_autofree char *text = body_text (response);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return sonde_test_echo_header (node, name);
}

static char *
cookie_header_for (Fixture    *fixture,
                   SondeClient *client,
                   const char *url)
{
  g_autoptr(SondeRequest) request = request_for_url (url);
  g_autoptr(SondeResponse) response = send_ok (client, request);

  return echoed_header (response, "Cookie");
}

static SondeCookieStore *
load_store (GFile *file)
{
  g_autoptr(GError) error = NULL;
  SondeCookieStore *store = sonde_cookie_store_new_for_file (file);

  g_assert_true (sonde_cookie_store_load (store, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* A login that sets a cookie and redirects in the same answer. */
static void
login_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_append (headers, "Set-Cookie", "session=s3cr3t; Path=/; HttpOnly");
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/echo");
}

/* Cookies */

static void
test_cookies_set_then_sent (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "/set-cookie");
  g_autoptr(SondeResponse) response = NULL;
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo");
  g_autofree char *cookie = NULL;
  GPtrArray *cookies;
  SoupCookie *b, *c;

  fixture->store = sonde_cookie_store_new_for_file (NULL);
  sonde_client_set_cookie_store (fixture->client, fixture->store);

  /* The response lists what was set, with attributes. */
  response = send_ok (fixture->client, request);
  cookies = sonde_response_get_cookies (response);
  g_assert_cmpuint (cookies->len, ==, 3);
  b = g_ptr_array_index (cookies, 1);
  c = g_ptr_array_index (cookies, 2);
  g_assert_cmpstr (soup_cookie_get_name (b), ==, "b");
  g_assert_true (soup_cookie_get_http_only (b));
  g_assert_cmpstr (soup_cookie_get_domain (b), ==, "127.0.0.1");
  g_assert_cmpstr (soup_cookie_get_path (b), ==, "/");
  g_assert_nonnull (soup_cookie_get_expires (c));

  /* The next request carries them, in one header. */
  cookie = cookie_header_for (fixture, fixture->client, url);
  g_assert_cmpstr (cookie, ==, "a=1; b=two; c=3");
}

static void
test_cookies_rows_merged (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SondeRequest) setter = request_new (fixture, "/set-cookie");
  g_autoptr(SondeRequest) request = request_new (fixture, "/echo");
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(SondeKeyValue) row = sonde_key_value_new ("a", "from-row", TRUE);
  g_autoptr(SondeKeyValue) extra = sonde_key_value_new ("extra", "x y", TRUE);
  g_autoptr(SondeKeyValue) disabled = sonde_key_value_new ("off", "1", FALSE);
  g_autofree char *cookie = NULL;

  fixture->store = sonde_cookie_store_new_for_file (NULL);
  sonde_client_set_cookie_store (fixture->client, fixture->store);
  g_clear_object (&response);
  response = send_ok (fixture->client, setter);
  g_clear_object (&response);

  /* Rows first; a row wins over the jar's cookie of the same name. */
  g_list_store_append (sonde_request_get_cookies (request), row);
  g_list_store_append (sonde_request_get_cookies (request), extra);
  g_list_store_append (sonde_request_get_cookies (request), disabled);
  response = send_ok (fixture->client, request);
  cookie = echoed_header (response, "Cookie");
  g_assert_cmpstr (cookie, ==, "a=from-row; extra=x y; b=two; c=3");

  /* Without a store, rows alone. */
  g_clear_object (&response);
  g_clear_pointer (&cookie, g_free);
  sonde_client_set_cookie_store (fixture->client, NULL);
  response = send_ok (fixture->client, request);
  cookie = echoed_header (response, "Cookie");
  g_assert_cmpstr (cookie, ==, "a=from-row; extra=x y");
}

static void
test_cookies_redirect_without_store (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(SondeRequest) login = request_new (fixture, "/login");
  g_autoptr(SondeResponse) response = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo");

  soup_server_add_handler (sonde_test_server_get_server (fixture->server), "/login", login_handler, NULL, NULL);

  /* Within one send, a cookie set by a redirect goes on to its target… */
  response = send_ok (fixture->client, login);
  cookie = echoed_header (response, "Cookie");
  g_assert_cmpstr (cookie, ==, "session=s3cr3t");

  /* …but without a store it is gone afterwards. */
  g_clear_pointer (&cookie, g_free);
  cookie = cookie_header_for (fixture, fixture->client, url);
  g_assert_null (cookie);
}

static void
test_cookies_persisted (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->dir, "cookies.txt", NULL);
  g_autoptr(SondeRequest) setter = request_new (fixture, "/set-cookie");
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(SondeClient) client = NULL;
  g_autoptr(SondeCookieStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo");
  g_autofree char *cookie = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expired_jar = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  fixture->store = load_store (file);
  sonde_client_set_cookie_store (fixture->client, fixture->store);
  response = send_ok (fixture->client, setter);
  g_assert_true (sonde_cookie_store_flush (fixture->store, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->store);
  sonde_client_set_cookie_store (fixture->client, NULL);

  /* Another client, as in the next run of sonde-cli. */
  client = sonde_client_new ();
  store = load_store (file);
  sonde_client_set_cookie_store (client, store);
  cookie = cookie_header_for (fixture, client, url);
  g_assert_cmpstr (cookie, ==, "a=1; b=two; c=3");
  g_clear_object (&store);
  g_clear_pointer (&cookie, g_free);

  /* Expired cookies in the file are dropped on load and never sent. */
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  expired_jar = g_strdup_printf ("%s127.0.0.1\tFALSE\t/\tFALSE\t%" G_GINT64_FORMAT "\told\tgone\n",
                                 contents, now - 60);
  g_assert_true (g_file_set_contents (g_file_peek_path (file), expired_jar, -1, NULL));
  store = load_store (file);
  sonde_client_set_cookie_store (client, store);
  cookie = cookie_header_for (fixture, client, url);
  g_assert_cmpstr (cookie, ==, "a=1; b=two; c=3");
  sonde_client_set_cookie_store (client, NULL);
}

static void
test_cookies_cross_host (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SondeRequest) setter = request_new (fixture, "/set-cookie");
  g_autoptr(SondeRequest) redirect = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autofree char *localhost_url = NULL;
  g_autofree char *redirect_path = NULL;
  g_autofree char *cookie = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  fixture->store = sonde_cookie_store_new_for_file (NULL);
  sonde_client_set_cookie_store (fixture->client, fixture->store);
  response = send_ok (fixture->client, setter);
  g_clear_object (&response);

  /* The same server under another name is another host. */
  localhost_url = g_strdup_printf ("http://localhost:%u/echo", sonde_test_server_get_port (fixture->server));
  cookie = cookie_header_for (fixture, fixture->client, localhost_url);
  g_assert_null (cookie);

  /* Nor do they follow a redirect to the other host. */
  redirect_path = g_strdup_printf ("/redirect-to?url=%s", localhost_url);
  redirect = request_new (fixture, redirect_path);
  response = send_ok (fixture->client, redirect);
  g_assert_cmpuint (sonde_response_get_redirects (response)->len, ==, 1);
  cookie = echoed_header (response, "Cookie");
  g_assert_null (cookie);

  listed = sonde_cookie_store_list_cookies (fixture->store);
  g_assert_cmpuint (listed->len, ==, 3);
  for (guint i = 0; i < listed->len; i++)
    g_assert_cmpstr (soup_cookie_get_domain (g_ptr_array_index (listed, i)), ==, "127.0.0.1");
}

static void
test_cookies_corrupt_jar (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_build_filename (fixture->dir, "cookies.txt", NULL);
  g_autoptr(SondeRequest) setter = request_new (fixture, "/set-cookie");
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (g_file_peek_path (file), "garbage\n", -1, NULL));
  fixture->store = sonde_cookie_store_new_for_file (file);
  g_assert_false (sonde_cookie_store_load (fixture->store, NULL, &error));
  g_assert_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT);
  g_assert_nonnull (sonde_cookie_store_get_set_aside_file (fixture->store));

  /* The client goes on with an empty jar and writes a fresh file. */
  sonde_client_set_cookie_store (fixture->client, fixture->store);
  response = send_ok (fixture->client, setter);
  g_assert_true (sonde_cookie_store_flush (fixture->store, NULL));
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\ta\t1\n"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_load_contents (sonde_cookie_store_get_set_aside_file (fixture->store), NULL,
                                       &contents, NULL, NULL, NULL));
  g_assert_cmpstr (contents, ==, "garbage\n");
}

/* Proxy */

typedef struct
{
  SoupServer     *tls_server;
  GUri           *tls_base;
  SondeTestProxy *proxy;
} ProxySetup;

static gboolean
start_proxy (ProxySetup *setup)
{
  g_autoptr(GError) error = NULL;
  guint port;

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return FALSE;
    }
  setup->tls_server = sonde_test_tls_server_new (tls, FALSE, &setup->tls_base);
  port = g_uri_get_port (setup->tls_base);
  setup->proxy = sonde_test_proxy_new (&port, 1, &error);
  if (setup->proxy == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_test_skip (error->message);
      g_clear_object (&setup->tls_server);
      g_clear_pointer (&setup->tls_base, g_uri_unref);
      return FALSE;
    }
  return TRUE;
}

static void
stop_proxy (ProxySetup *setup)
{
  g_clear_pointer (&setup->proxy, sonde_test_proxy_free);
  g_clear_object (&setup->tls_server);
  g_clear_pointer (&setup->tls_base, g_uri_unref);
}

static void
use_proxy (SondeRequest *request,
           ProxySetup   *setup,
           const char   *username,
           const char   *password)
{
  SondeRequestOptions *options = sonde_request_get_options (request);

  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (options, sonde_test_proxy_get_url (setup->proxy));
  sonde_request_options_set_proxy_username (options, username);
  sonde_request_options_set_proxy_password (options, password);
  sonde_request_options_set_ca_file (options, tls->ca_cert);
}

static void
test_proxy_targets (Fixture       *fixture,
                    gconstpointer  data)
{
  ProxySetup setup = { 0 };
  g_autoptr(SondeRequest) http = NULL;
  g_autoptr(SondeRequest) https = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autofree char *via = NULL;
  g_autofree char *https_url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *log = NULL;
  g_autofree char *connect = NULL;

  if (!start_proxy (&setup))
    return;

  http = request_new (fixture, "/echo");
  use_proxy (http, &setup, SONDE_TEST_PROXY_USERNAME, SONDE_TEST_PROXY_PASSWORD);
  response = send_ok (fixture->client, http);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  via = echoed_header (response, "Via");
  g_assert_nonnull (via);
  g_assert_nonnull (strstr (via, "sonde-test-proxy"));
  g_clear_object (&response);

  /* HTTPS goes through a CONNECT tunnel; the certificate is still the server's. */
  https_url = g_uri_to_string (setup.tls_base);
  https = request_for_url (https_url);
  use_proxy (https, &setup, SONDE_TEST_PROXY_USERNAME, SONDE_TEST_PROXY_PASSWORD);
  response = send_ok (fixture->client, https);
  body = body_text (response);
  g_assert_cmpstr (body, ==, "client: none\n");
  g_assert_true (sonde_response_get_tls_verified (response));

  log = sonde_test_proxy_get_log (setup.proxy);
  connect = g_strdup_printf ("CONNECT 127.0.0.1:%d", g_uri_get_port (setup.tls_base));
  g_assert_nonnull (strstr (log, connect));

  stop_proxy (&setup);
}

static void
test_proxy_credentials (Fixture       *fixture,
                        gconstpointer  data)
{
  const struct { const char *username, *password, *message; } cases[] = {
    /* tinyproxy refuses wrong credentials with a 401; other proxies send a 407. */
    { SONDE_TEST_PROXY_USERNAME, "wrong", "Proxy authentication failed (401): check the proxy username and password" },
    { NULL, NULL, "The proxy requires authentication (407): set a proxy username and password" },
  };
  ProxySetup setup = { 0 };

  if (!start_proxy (&setup))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint https = 0; https < 2; https++)
      {
        g_autoptr(SondeRequest) request = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *url = https ? g_uri_to_string (setup.tls_base)
                                     : sonde_test_server_build_url (fixture->server, "/echo");

        request = request_for_url (url);
        use_proxy (request, &setup, cases[i].username, cases[i].password);
        error = send_error (fixture->client, request);
        g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH);
        g_assert_cmpstr (error->message, ==, cases[i].message);
      }

  /* Nothing reached the server through the refused proxy. */
  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
  stop_proxy (&setup);
}

static void
test_proxy_no_proxy_list (Fixture       *fixture,
                          gconstpointer  data)
{
  const char * const hosts[] = { "127.0.0.1", NULL };
  ProxySetup setup = { 0 };
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autofree char *via = NULL;
  g_autofree char *log = NULL;

  if (!start_proxy (&setup))
    return;

  request = request_new (fixture, "/echo");
  use_proxy (request, &setup, SONDE_TEST_PROXY_USERNAME, SONDE_TEST_PROXY_PASSWORD);
  sonde_request_options_set_no_proxy (sonde_request_get_options (request), hosts);
  response = send_ok (fixture->client, request);
  via = echoed_header (response, "Via");
  g_assert_null (via);
  log = sonde_test_proxy_get_log (setup.proxy);
  g_assert_null (strstr (log, "GET http://"));

  stop_proxy (&setup);
}

static void
test_proxy_invalid_url (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "/echo");
  g_autoptr(GError) error = NULL;

  sonde_request_options_set_proxy_mode (sonde_request_get_options (request), SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (sonde_request_get_options (request), "ftp://127.0.0.1:21");
  error = send_error (fixture->client, request);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL);
  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
}

static void
test_proxy_down (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "/echo");
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy_url = NULL;

  /* A port that is bound but not listening: connections are refused. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  sonde_request_options_set_proxy_mode (sonde_request_get_options (request), SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (sonde_request_get_options (request), proxy_url);
  error = send_error (fixture->client, request);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not connect to the proxy http://127.0.0.1:"));
}

/* TLS */

static void
test_tls_ca_file (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) base_dir = NULL;
  g_autofree char *url = NULL;
  g_autofree char *missing = NULL;
  SondeTlsCertificateInfo *leaf;

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }
  server = sonde_test_tls_server_new (tls, FALSE, &base);
  url = g_uri_to_string (base);

  /* Untrusted without the CA file. */
  request = request_for_url (url);
  error = send_error (fixture->client, request);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_true (g_str_has_prefix (error->message, "The server's certificate is not trusted: "));
  g_clear_error (&error);

  /* Trusted with it, given relative to the request's folder. */
  base_dir = g_file_new_for_path (tls->dir);
  sonde_request_set_base_dir (request, base_dir);
  sonde_request_options_set_ca_file (sonde_request_get_options (request), "ca.pem");
  response = send_ok (fixture->client, request);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  g_assert_true (sonde_response_get_is_tls (response));
  g_assert_true (sonde_response_get_tls_verified (response));
  g_assert_cmpint (sonde_response_get_tls_errors (response), ==, 0);
  g_assert_nonnull (sonde_tls_protocol_to_string (sonde_response_get_tls_protocol (response)));
  g_assert_nonnull (sonde_response_get_tls_cipher (response));

  chain = sonde_response_get_tls_chain (response);
  g_assert_cmpuint (chain->len, >=, 1);
  leaf = g_ptr_array_index (chain, 0);
  g_assert_cmpstr (leaf->subject, ==, "CN=localhost");
  g_assert_cmpstr (leaf->issuer, ==, "CN=Sonde Test CA");
  g_assert_nonnull (leaf->not_before);
  g_assert_nonnull (leaf->not_after);
  g_clear_object (&response);

  /* A CA file that cannot be read stops the request before anything is sent. */
  missing = g_build_filename (fixture->dir, "missing.pem", NULL);
  sonde_request_options_set_ca_file (sonde_request_get_options (request), missing);
  error = send_error (fixture->client, request);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  g_assert_nonnull (strstr (error->message, missing));
}

/* NTLM: a server that goes through the handshake (negotiate, challenge, authenticate) and
 * reads the domain and user of the last message. It cannot check the password: that needs
 * DES and MD4, which the test does not carry. It also offers Basic, which a request with
 * Basic auth must still get (only NTLM requests use a session that knows NTLM). */
typedef struct
{
  GPtrArray *seen;   /* "negotiate", "authenticate DOMAIN\\user", "basic" */
} NtlmServer;

static guint16
read_le16 (const guint8 *data)
{
  return data[0] | (data[1] << 8);
}

static char *
ntlm_string (const guint8 *message,
             gsize         length,
             gsize         field)
{
  guint16 size = read_le16 (message + field);
  guint16 offset = read_le16 (message + field + 4);

  if ((gsize) offset + size > length)
    return g_strdup ("?");
  return g_convert ((const char *) message + offset, size, "UTF-8", "UTF-16LE", NULL, NULL, NULL);
}

static void
ntlm_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  NtlmServer *ntlm = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");

  if (authorization != NULL && g_str_has_prefix (authorization, "NTLM "))
    {
      gsize length = 0;
      g_autofree guint8 *message = g_base64_decode (authorization + 5, &length);

      if (length >= 12 && memcmp (message, "NTLMSSP", 8) == 0 && message[8] == 1)
        {
          /* The challenge: flags Unicode | NTLM | request target, target "CORP". */
          static const guint8 challenge[56] = {
            'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 2, 0, 0, 0,
            8, 0, 8, 0, 48, 0, 0, 0,
            0x05, 0x02, 0, 0,
            1, 2, 3, 4, 5, 6, 7, 8,
            0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,
            'C', 0, 'O', 0, 'R', 0, 'P', 0,
          };
          g_autofree char *encoded = g_base64_encode (challenge, sizeof challenge);
          g_autofree char *value = g_strconcat ("NTLM ", encoded, NULL);

          g_ptr_array_add (ntlm->seen, g_strdup ("negotiate"));
          soup_message_headers_append (headers, "WWW-Authenticate", value);
          soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
          return;
        }
      if (length >= 52 && memcmp (message, "NTLMSSP", 8) == 0 && message[8] == 3)
        {
          g_autofree char *domain = ntlm_string (message, length, 28);
          g_autofree char *user = ntlm_string (message, length, 36);

          g_ptr_array_add (ntlm->seen, g_strdup_printf ("authenticate %s\\%s", domain, user));
          /* An empty domain is the server's own, as Windows servers take it. */
          if ((g_strcmp0 (domain, "CORP") == 0 || g_strcmp0 (domain, "") == 0) && g_strcmp0 (user, "alice") == 0)
            {
              soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
              soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "welcome", 7);
              return;
            }
        }
    }
  else if (authorization != NULL && g_str_has_prefix (authorization, "Basic "))
    {
      g_ptr_array_add (ntlm->seen, g_strdup ("basic"));
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "basic", 5);
      return;
    }

  soup_message_headers_append (headers, "WWW-Authenticate", "NTLM");
  soup_message_headers_append (headers, "WWW-Authenticate", "Basic realm=\"sonde\"");
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
}

static void
test_ntlm (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  NtlmServer ntlm = { seen };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, ntlm_handler, &ntlm, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* A bare user name is sent with no domain (the server's own); DOMAIN\user names one. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SondeRequest) request = request_for_url (url);
      SondeAuth *auth = sonde_request_get_auth (request);
      g_autoptr(SondeResponse) response = NULL;

      g_ptr_array_set_size (seen, 0);
      sonde_auth_set_kind (auth, SONDE_AUTH_NTLM);
      sonde_auth_set_username (auth, i == 0 ? "alice" : "CORP\\alice");
      sonde_auth_set_password (auth, "secret");
      response = send_ok (fixture->client, request);
      g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
      g_assert_cmpuint (seen->len, ==, 2);
      g_assert_cmpstr (seen->pdata[0], ==, "negotiate");
      g_assert_cmpstr (seen->pdata[1], ==, i == 0 ? "authenticate \\alice" : "authenticate CORP\\alice");
    }

  /* A wrong user gets the server's 401, after one try. */
  {
    g_autoptr(SondeRequest) request = request_for_url (url);
    SondeAuth *auth = sonde_request_get_auth (request);
    g_autoptr(SondeResponse) response = NULL;

    g_ptr_array_set_size (seen, 0);
    sonde_auth_set_kind (auth, SONDE_AUTH_NTLM);
    sonde_auth_set_username (auth, "OTHER\\mallory");
    sonde_auth_set_password (auth, "secret");
    response = send_ok (fixture->client, request);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 401);
    g_assert_cmpstr (seen->pdata[seen->len - 1], ==, "authenticate OTHER\\mallory");
  }

  /* Basic to the same server, which offers NTLM first: still Basic. */
  {
    g_autoptr(SondeRequest) request = request_for_url (url);
    SondeAuth *auth = sonde_request_get_auth (request);
    g_autoptr(SondeResponse) response = NULL;

    g_ptr_array_set_size (seen, 0);
    sonde_auth_set_kind (auth, SONDE_AUTH_BASIC);
    sonde_auth_set_username (auth, "alice");
    sonde_auth_set_password (auth, "secret");
    response = send_ok (fixture->client, request);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
    g_assert_cmpuint (seen->len, ==, 1);
    g_assert_cmpstr (seen->pdata[0], ==, "basic");
  }
}

/* /bytes/N on the TLS server: N bytes of the test pattern, with a Content-Length. */
static void
tls_bytes_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  guint64 size = g_ascii_strtoull (path + strlen ("/bytes/"), NULL, 10);
  guint8 *data = g_malloc (MAX (size, 1));

  sonde_test_pattern_fill (data, 0, size);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE, (char *) data, size);
}

static void
progress_cb (SondeTransferDirection direction,
             guint64                done,
             guint64                total,
             gpointer               user_data)
{
  guint64 *last = user_data;

  if (direction != SONDE_TRANSFER_DOWNLOAD)
    return;
  g_assert_cmpuint (done, >=, *last);
  *last = done;
}

/* A download to a file is gathered into blocks of 1 MiB before each write: the exact bytes
 * arrive at the sizes around a block's and a TLS record's edges, over HTTP and HTTPS, and
 * the progress only grows, ending at the size. */
static void
test_download_block_edges (Fixture       *fixture,
                           gconstpointer  data)
{
  static const guint64 sizes[] = {
    0, 1, 8191, 8192, 8193, 16383, 16384, 16385, 1048575, 1048576, 1048577, 3 * 1048576 + 5,
  };
  g_autoptr(SoupServer) tls_server = NULL;
  g_autoptr(GUri) tls_base = NULL;
  g_autoptr(GFile) ca_dir = NULL;

  if (tls != NULL)
    {
      tls_server = sonde_test_tls_server_new (tls, FALSE, &tls_base);
      soup_server_add_handler (tls_server, "/bytes", tls_bytes_handler, NULL, NULL);
      ca_dir = g_file_new_for_path (tls->dir);
    }
  else
    g_test_message ("openssl is not available: HTTP only");

  for (guint over_tls = 0; over_tls < (tls != NULL ? 2 : 1); over_tls++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        g_autofree char *path = g_strdup_printf ("/bytes/%" G_GUINT64_FORMAT, sizes[i]);
        g_autofree char *file_path = g_build_filename (fixture->dir, "download.bin", NULL);
        g_autoptr(GFile) output = g_file_new_for_path (file_path);
        g_autoptr(SondeRequest) request = NULL;
        g_autoptr(SondeResponse) response = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *expected = sonde_test_pattern_sha256 (sizes[i]);
        g_autofree char *got = NULL;
        guint64 last = 0;

        if (over_tls)
          {
            g_autoptr(GUri) uri = g_uri_parse_relative (tls_base, path, G_URI_FLAGS_NONE, NULL);
            g_autofree char *url = g_uri_to_string (uri);

            request = request_for_url (url);
            sonde_request_set_base_dir (request, ca_dir);
            sonde_request_options_set_ca_file (sonde_request_get_options (request), "ca.pem");
          }
        else
          request = request_new (fixture, path);

        response = sonde_test_client_send (fixture->client, request, output, progress_cb, &last, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (sonde_response_get_body_size (response), ==, sizes[i]);
        g_assert_cmpuint (last, ==, sizes[i]);
        got = sonde_test_file_sha256 (file_path, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (got, ==, expected);
      }
}

static void
test_tls_verification_off (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(SondeResponse) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }
  server = sonde_test_tls_server_new (tls, FALSE, &base);
  url = g_uri_to_string (base);

  request = request_for_url (url);
  sonde_request_options_set_verify_tls (sonde_request_get_options (request), FALSE);
  response = send_ok (fixture->client, request);
  g_assert_false (sonde_response_get_tls_verified (response));
  g_assert_true (sonde_response_get_tls_errors (response) & G_TLS_CERTIFICATE_UNKNOWN_CA);

  /* The accepted connection is never reused by a request that verifies. */
  sonde_request_options_set_verify_tls (sonde_request_get_options (request), TRUE);
  error = send_error (fixture->client, request);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

static SondeResponse *
send_with_certificate (Fixture     *fixture,
                       GUri        *base,
                       const char  *cert,
                       const char  *key,
                       const char  *pkcs12,
                       const char  *passphrase,
                       GError     **error)
{
  g_autofree char *url = g_uri_to_string (base);
  g_autoptr(SondeRequest) request = request_for_url (url);
  SondeRequestOptions *options = sonde_request_get_options (request);

  sonde_request_options_set_ca_file (options, tls->ca_cert);
  sonde_request_options_set_client_cert (options, cert);
  sonde_request_options_set_client_key (options, key);
  sonde_request_options_set_client_pkcs12 (options, pkcs12);
  sonde_request_options_set_client_passphrase (options, passphrase);
  return send_with (fixture->client, request, error);
}

static void
test_tls_client_certificates (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base = NULL;
  struct { const char *cert, *key, *pkcs12, *passphrase; } good[3];

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }
  server = sonde_test_tls_server_new (tls, TRUE, &base);

  good[0].cert = tls->client_cert, good[0].key = tls->client_key, good[0].pkcs12 = NULL, good[0].passphrase = NULL;
  good[1].cert = tls->client_cert, good[1].key = tls->client_key_encrypted, good[1].pkcs12 = NULL,
    good[1].passphrase = SONDE_TEST_TLS_PASSPHRASE;
  good[2].cert = NULL, good[2].key = NULL, good[2].pkcs12 = tls->client_pkcs12, good[2].passphrase = SONDE_TEST_TLS_PASSPHRASE;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SondeResponse) response = NULL;
      g_autofree char *body = NULL;

      response = send_with_certificate (fixture, base, good[i].cert, good[i].key, good[i].pkcs12,
                                        good[i].passphrase, &error);
      g_assert_no_error (error);
      body = body_text (response);
      g_assert_cmpstr (body, ==, "client: CN=Sonde Test Client\n");
    }
}

/* A client certificate through a proxy that asks for credentials: tinyproxy answers the first
 * CONNECT with 407 and closes, libsoup connects again, and the certificate goes with the new
 * connection (it was given to the first one only, before Sonde sets it again on restart). */
static void
test_tls_client_certificate_through_proxy (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeTestProxy) proxy = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  SondeRequestOptions *options;
  guint port;

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }
  server = sonde_test_tls_server_new (tls, TRUE, &base);
  port = g_uri_get_port (base);
  proxy = sonde_test_proxy_new (&port, 1, &error);
  if (proxy == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  url = g_uri_to_string (base);
  request = request_for_url (url);
  options = sonde_request_get_options (request);
  sonde_request_options_set_ca_file (options, tls->ca_cert);
  sonde_request_options_set_client_cert (options, tls->client_cert);
  sonde_request_options_set_client_key (options, tls->client_key);
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (options, sonde_test_proxy_get_url (proxy));
  sonde_request_options_set_proxy_username (options, SONDE_TEST_PROXY_USERNAME);
  sonde_request_options_set_proxy_password (options, SONDE_TEST_PROXY_PASSWORD);
  response = send_with (fixture->client, request, &error);
  g_assert_no_error (error);
  body = body_text (response);
  g_assert_cmpstr (body, ==, "client: CN=Sonde Test Client\n");
}

static void
test_tls_client_certificate_errors (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeResponse) response = NULL;

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }
  server = sonde_test_tls_server_new (tls, TRUE, &base);

  /* Wrong passphrases: the file is named, nothing is sent. Bad input, like a bad header
   * (sonde-cli exits with 2), not a transport failure. */
  response = send_with_certificate (fixture, base, tls->client_cert, tls->client_key_encrypted, NULL, "wrong", &error);
  g_assert_null (response);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "Wrong passphrase for the private key"));
  g_assert_nonnull (strstr (error->message, tls->client_key_encrypted));
  g_clear_error (&error);

  response = send_with_certificate (fixture, base, NULL, NULL, tls->client_pkcs12, "wrong", &error);
  g_assert_null (response);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, tls->client_pkcs12));
  g_clear_error (&error);

  /* A key that does not go with the certificate. */
  response = send_with_certificate (fixture, base, tls->client_cert, tls->other_client_key, NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "does not belong"));
  g_clear_error (&error);

  /* No certificate at all. */
  response = send_with_certificate (fixture, base, NULL, NULL, NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The server requires a client certificate"));
  g_clear_error (&error);

  /* A certificate from another CA: the server refuses it. */
  response = send_with_certificate (fixture, base, tls->other_client_cert, tls->other_client_key, NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The server rejected the client certificate"));
  g_assert_nonnull (strstr (error->message, tls->other_client_cert));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  tls = sonde_test_tls_new (&error);
  if (tls == NULL)
    g_test_message ("No test certificates: %s", error->message);

#define ADD(path, fn) g_test_add ("/connection/" path, Fixture, NULL, set_up, fn, tear_down)
  ADD ("cookies/set-then-sent", test_cookies_set_then_sent);
  ADD ("cookies/rows-merged", test_cookies_rows_merged);
  ADD ("cookies/redirect-without-store", test_cookies_redirect_without_store);
  ADD ("cookies/persisted", test_cookies_persisted);
  ADD ("cookies/cross-host", test_cookies_cross_host);
  ADD ("cookies/corrupt-jar", test_cookies_corrupt_jar);
  ADD ("proxy/targets", test_proxy_targets);
  ADD ("proxy/credentials", test_proxy_credentials);
  ADD ("proxy/no-proxy-list", test_proxy_no_proxy_list);
  ADD ("proxy/invalid-url", test_proxy_invalid_url);
  ADD ("proxy/down", test_proxy_down);
  ADD ("tls/ca-file", test_tls_ca_file);
  ADD ("download-block-edges", test_download_block_edges);
  ADD ("auth/ntlm", test_ntlm);
  ADD ("tls/verification-off", test_tls_verification_off);
  ADD ("tls/client-certificates", test_tls_client_certificates);
  ADD ("tls/client-certificate-through-proxy", test_tls_client_certificate_through_proxy);
  ADD ("tls/client-certificate-errors", test_tls_client_certificate_errors);
#undef ADD

  status = g_test_run ();
  g_clear_pointer (&tls, sonde_test_tls_free);
  return status;
}
