/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "sonde-error.h"
#include "sonde-proxy.h"
#include "sonde-request-options.h"
#include "sonde-tls.h"
#include "sonde-test-proxy.h"
#include "sonde-test-server.h"
#include "sonde-test-tls.h"

/* The proxy module with a bare SoupSession and a real tinyproxy; the same through
 * SondeClient is in test-connection. */

typedef struct
{
  SondeTestServer     *server;
  SoupServer          *tls_server;
  GUri                *tls_base;
  SondeTestTls        *tls;
  SondeTestProxy      *proxy;
  SondeRequestOptions *options;
  SoupSession         *session;
  guint                proxy_challenges;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint connect_port;

  fixture->server = sonde_test_server_new ();
  fixture->tls = sonde_test_tls_new (&error);
  if (fixture->tls == NULL)
    {
      g_test_message ("No TLS target: %s", error->message);
      g_clear_error (&error);
      connect_port = 443;
    }
  else
    {
      fixture->tls_server = sonde_test_tls_server_new (fixture->tls, FALSE, &fixture->tls_base);
      connect_port = g_uri_get_port (fixture->tls_base);
    }

  fixture->proxy = sonde_test_proxy_new (&connect_port, 1, &error);
  if (fixture->proxy == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_test_skip (error->message);
    }

  fixture->options = sonde_request_options_new ();
  sonde_request_options_set_proxy_mode (fixture->options, SONDE_PROXY_CUSTOM);
  if (fixture->proxy != NULL)
    sonde_request_options_set_proxy_url (fixture->options, sonde_test_proxy_get_url (fixture->proxy));
  sonde_request_options_set_proxy_username (fixture->options, SONDE_TEST_PROXY_USERNAME);
  sonde_request_options_set_proxy_password (fixture->options, SONDE_TEST_PROXY_PASSWORD);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->options);
  g_clear_pointer (&fixture->proxy, sonde_test_proxy_free);
  g_clear_object (&fixture->tls_server);
  g_clear_pointer (&fixture->tls_base, g_uri_unref);
  g_clear_pointer (&fixture->tls, sonde_test_tls_free);
  g_clear_pointer (&fixture->server, sonde_test_server_free);
}

static gboolean
authenticate_cb (SoupMessage *msg,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 Fixture     *fixture)
{
  if (soup_auth_is_for_proxy (auth))
    fixture->proxy_challenges++;
  return sonde_proxy_authenticate (fixture->options, msg, auth, retrying);
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} SendResult;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendResult *send_result = user_data;

  send_result->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &send_result->error);
  send_result->done = TRUE;
}

/* Sends URL the way the client does; the body, or NULL with the error. */
static char *
send (Fixture     *fixture,
      const char  *url,
      GError     **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SendResult result = { 0 };
  char *text;

  if (fixture->session == NULL)
    {
      g_autoptr(GTlsDatabase) database = NULL;

      fixture->session = soup_session_new ();
      if (fixture->tls != NULL)
        {
          database = sonde_tls_load_database_sync (fixture->tls->ca_cert, NULL, error);
          g_assert_no_error (*error);
          soup_session_set_tls_database (fixture->session, database);
        }
      if (!sonde_proxy_configure_session (fixture->session, fixture->options, error))
        return NULL;
    }

  g_signal_connect (msg, "authenticate", G_CALLBACK (authenticate_cb), fixture);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);

  if (result.body == NULL)
    {
      g_propagate_error (error, result.error);
      return NULL;
    }
  text = g_strndup (g_bytes_get_data (result.body, NULL), g_bytes_get_size (result.body));
  g_bytes_unref (result.body);
  if (!sonde_proxy_check_response (fixture->options, msg, error))
    g_clear_pointer (&text, g_free);
  return text;
}

static void
test_http_target (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *log = NULL;

  if (fixture->proxy == NULL)
    return;

  url = sonde_test_server_build_url (fixture->server, "/echo");
  body = send (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (body, "sonde-test-proxy"));
  g_assert_null (strstr (body, "Proxy-Authorization"));
  g_assert_cmpuint (fixture->proxy_challenges, ==, 1);

  log = sonde_test_proxy_get_log (fixture->proxy);
  g_assert_nonnull (strstr (log, "GET http://127.0.0.1:"));
}

static void
test_https_target (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *log = NULL;
  g_autofree char *connect = NULL;

  if (fixture->proxy == NULL)
    return;
  if (fixture->tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }

  url = g_uri_to_string (fixture->tls_base);
  body = send (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (body, ==, "client: none\n");

  log = sonde_test_proxy_get_log (fixture->proxy);
  connect = g_strdup_printf ("CONNECT 127.0.0.1:%d", g_uri_get_port (fixture->tls_base));
  g_assert_nonnull (strstr (log, connect));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *http_url = NULL;

  if (fixture->proxy == NULL)
    return;

  sonde_request_options_set_proxy_password (fixture->options, "wrong");
  http_url = sonde_test_server_build_url (fixture->server, "/echo");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = i == 0 ? g_strdup (http_url) : g_uri_to_string (fixture->tls_base);
      g_autofree char *body = NULL;

      if (i == 1 && fixture->tls == NULL)
        break;

      /* One answer, one refusal, then the 407 ends it: no retry loop. */
      fixture->proxy_challenges = 0;
      g_clear_object (&fixture->session);
      body = send (fixture, url, &error);
      g_assert_null (body);
      g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH);
      /* tinyproxy refuses with a 401 (other proxies: 407). */
      g_assert_cmpstr (error->message, ==, "Proxy authentication failed (401): check the proxy username and password");
      g_assert_cmpuint (fixture->proxy_challenges, ==, 1);
    }
}

static void
test_missing_password (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *http_url = NULL;

  if (fixture->proxy == NULL)
    return;

  sonde_request_options_set_proxy_username (fixture->options, NULL);
  sonde_request_options_set_proxy_password (fixture->options, NULL);
  http_url = sonde_test_server_build_url (fixture->server, "/echo");

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = i == 0 ? g_strdup (http_url) : g_uri_to_string (fixture->tls_base);
      g_autofree char *body = NULL;

      if (i == 1 && fixture->tls == NULL)
        break;

      fixture->proxy_challenges = 0;
      g_clear_object (&fixture->session);
      body = send (fixture, url, &error);
      g_assert_null (body);
      g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH);
      g_assert_true (g_str_has_prefix (error->message, "The proxy requires authentication (407)"));
      g_assert_cmpuint (fixture->proxy_challenges, ==, 1);
    }
}

static void
test_credentials_in_url (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;

  if (fixture->proxy == NULL)
    return;

  proxy_url = g_strdup_printf ("http://" SONDE_TEST_PROXY_USERNAME ":" SONDE_TEST_PROXY_PASSWORD "@127.0.0.1:%u",
                               sonde_test_proxy_get_port (fixture->proxy));
  sonde_request_options_set_proxy_url (fixture->options, proxy_url);
  sonde_request_options_set_proxy_username (fixture->options, NULL);
  sonde_request_options_set_proxy_password (fixture->options, NULL);

  url = sonde_test_server_build_url (fixture->server, "/echo");
  body = send (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (body, "sonde-test-proxy"));
}

static void
test_no_proxy_list (Fixture       *fixture,
                    gconstpointer  data)
{
  const char * const hosts[] = { " example.org", "127.0.0.1", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *log = NULL;

  if (fixture->proxy == NULL)
    return;

  sonde_request_options_set_no_proxy (fixture->options, hosts);
  url = sonde_test_server_build_url (fixture->server, "/echo");
  body = send (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (body, "sonde-test-proxy"));
  g_assert_cmpuint (fixture->proxy_challenges, ==, 0);

  log = sonde_test_proxy_get_log (fixture->proxy);
  g_assert_null (strstr (log, "GET http://127.0.0.1:"));
}

static void
test_no_proxy_mode (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;

  /* Runs without tinyproxy too. */
  sonde_request_options_set_proxy_mode (fixture->options, SONDE_PROXY_NONE);
  url = sonde_test_server_build_url (fixture->server, "/echo");
  body = send (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (body, "sonde-test-proxy"));
  g_assert_null (soup_session_get_proxy_resolver (fixture->session));

  /* A 407 from a server, not a proxy, is a response. */
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&url, g_free);
  url = sonde_test_server_build_url (fixture->server, "/status/407");
  body = send (fixture, url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (body, ==, "status 407\n");
}

static void
test_invalid_url (void)
{
  const struct { const char *url; const char *words; } cases[] = {
    { NULL, "needs a URL" },
    { "", "needs a URL" },
    { "ftp://proxy.example.com", "use http://, https:// or socks5://" },
    { "http://", "has no host" },
    { "not a url", "is not valid" },
  };
  g_autoptr(SondeRequestOptions) options = sonde_request_options_new ();
  g_autoptr(SoupSession) session = soup_session_new ();

  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      sonde_request_options_set_proxy_url (options, cases[i].url);
      g_assert_false (sonde_proxy_configure_session (session, options, &error));
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].words);
    }

  sonde_request_options_set_proxy_url (options, "socks5://user:pw@127.0.0.1");
  g_assert_true (sonde_proxy_configure_session (session, options, NULL));
  g_assert_true (G_IS_SIMPLE_PROXY_RESOLVER (soup_session_get_proxy_resolver (session)));
}

static void
test_session_key (void)
{
  g_autoptr(SondeRequestOptions) options = sonde_request_options_new ();
  g_autofree char *system = sonde_proxy_get_session_key (options);
  g_autofree char *none = NULL;
  g_autofree char *custom = NULL;
  g_autofree char *other_password = NULL;
  g_autofree char *same = NULL;

  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_NONE);
  none = sonde_proxy_get_session_key (options);
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (options, "http://127.0.0.1:3128");
  sonde_request_options_set_proxy_username (options, "u");
  sonde_request_options_set_proxy_password (options, "p");
  custom = sonde_proxy_get_session_key (options);
  same = sonde_proxy_get_session_key (options);
  sonde_request_options_set_proxy_password (options, "q");
  other_password = sonde_proxy_get_session_key (options);

  g_assert_cmpstr (system, !=, none);
  g_assert_cmpstr (custom, !=, none);
  g_assert_cmpstr (custom, ==, same);
  g_assert_cmpstr (custom, !=, other_password);
  g_assert_null (strstr (custom, "p\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/proxy/http-target", test_http_target);
  ADD ("/proxy/https-target", test_https_target);
  ADD ("/proxy/wrong-password", test_wrong_password);
  ADD ("/proxy/missing-password", test_missing_password);
  ADD ("/proxy/credentials-in-url", test_credentials_in_url);
  ADD ("/proxy/no-proxy-list", test_no_proxy_list);
  ADD ("/proxy/no-proxy-mode", test_no_proxy_mode);
#undef ADD
  g_test_add_func ("/proxy/invalid-url", test_invalid_url);
  g_test_add_func ("/proxy/session-key", test_session_key);

  return g_test_run ();
}
