/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-proxy.h"
#include "sonde-tls.h"
#include "sonde-test-proxy.h"
#include "sonde-test-server.h"
#include "sonde-test-socks.h"
#include "sonde-test-tls.h"
#include "sonde-test-utils.h"

/* The proxy module with a bare SoupSession and a real tinyproxy (the same through
 * SondeClient is in test-connection), and SOCKS5 through SondeClient with the test SOCKS
 * server. */

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

/* Sends URL the way the client does; the body, or NULL with the error. */
static char *
send (Fixture     *fixture,
      const char  *url,
      GError     **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
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
  text = sonde_test_session_fetch (fixture->session, msg, error);
  if (text == NULL)
    return NULL;
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

/* The environment decides the system's proxy only outside a desktop session, a sandbox and a
 * person's own choice of GIO or libproxy resolver, and where libproxy has no system file. */
static void
test_environment_decides (void)
{
  static const char * const deciding[] = { "PATH=/usr/bin", "http_proxy=http://p:1", "HOME=/h", NULL };
  static const char * const others[] = {
    "XDG_CURRENT_DESKTOP=KDE", "XDG_SESSION_DESKTOP=xfce", "DESKTOP_SESSION=gnome",
    "GNOME_DESKTOP_SESSION_ID=this-is-deprecated", "KDE_FULL_SESSION=true",
    "GIO_USE_PROXY_RESOLVER=libproxy", "GIO_MODULE_DIR=/m", "GIO_EXTRA_MODULES=/m",
    "PX_CONFIG_ORDER=config_envvar", "GTK_USE_PORTAL=1", "SNAP=/snap/x", "FLATPAK_ID=app.Id",
    "XDG_CURRENT_DESKTOP=",
  };
  g_autofree char *dir = g_dir_make_tmp ("sonde-proxy-XXXXXX", NULL);
  g_autofree char *sysconfig = g_build_filename (dir, "proxy", NULL);

  g_assert_true (sonde_proxy_environment_decides (deciding, NULL));
  g_assert_true (sonde_proxy_environment_decides (deciding, sysconfig));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      const char * const envp[] = { "PATH=/usr/bin", others[i], NULL };

      if (sonde_proxy_environment_decides (envp, NULL))
        g_error ("%s: the environment should not decide", others[i]);
    }

  g_assert_true (g_file_set_contents (sysconfig, "PROXY_ENABLED=\"yes\"\n", -1, NULL));
  g_assert_false (sonde_proxy_environment_decides (deciding, sysconfig));
  g_unlink (sysconfig);
  g_rmdir (dir);
}

/* What the resolver for ENVP answers for URL: its first proxy. */
static char *
environment_lookup (const char * const *envp,
                    const char         *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GProxyResolver) resolver = sonde_proxy_resolver_new_for_environment (envp, &error);
  g_auto(GStrv) proxies = NULL;

  g_assert_no_error (error);
  if (resolver == NULL)
    return g_strdup ("none");
  proxies = g_proxy_resolver_lookup (resolver, url, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (proxies[0]);
}

static void
test_environment_resolver (void)
{
  static const struct
  {
    const char *env[4];
    const char *url;
    const char *proxy;
  } cases[] = {
    /* Nothing named: no resolver at all (libsoup then looks nothing up). */
    { { NULL }, "http://example.com/", "none" },
    { { "http_proxy=" }, "http://example.com/", "none" },
    { { "no_proxy=example.com" }, "http://example.com/", "none" },
    /* As libproxy reads them (checked against Debian 12's libproxy 0.4.18) */
    { { "http_proxy=http://p:1" }, "http://example.com/", "http://p:1" },
    { { "http_proxy=http://p:1" }, "https://example.com/", "http://p:1" },
    { { "HTTP_PROXY=http://P:1" }, "http://example.com/", "http://P:1" },
    { { "http_proxy=http://low:1", "HTTP_PROXY=http://UP:1" }, "http://example.com/", "http://low:1" },
    { { "https_proxy=http://s:2" }, "http://example.com/", "direct://" },
    { { "https_proxy=http://s:2" }, "https://example.com/", "http://s:2" },
    { { "HTTPS_PROXY=http://S:2", "http_proxy=http://p:1" }, "https://example.com/", "http://S:2" },
    { { "HTTPS_PROXY=http://S:2", "http_proxy=http://p:1" }, "http://example.com/", "http://p:1" },
    { { "https_proxy=http://s:2", "http_proxy=http://p:1" }, "wss://example.com/", "http://s:2" },
    { { "http_proxy=http://p:1", "no_proxy=localhost,.internal,10.0.0.0/8" }, "http://10.1.2.3/", "direct://" },
    { { "http_proxy=http://p:1", "no_proxy=localhost,.internal,10.0.0.0/8" }, "http://localhost:8/", "direct://" },
    { { "http_proxy=http://p:1", "no_proxy=localhost,.internal,10.0.0.0/8" }, "http://foo.internal/", "direct://" },
    { { "http_proxy=http://p:1", "no_proxy=localhost,.internal,10.0.0.0/8" }, "http://intra/", "http://p:1" },
    { { "http_proxy=http://p:1", "NO_PROXY=127.0.0.1" }, "http://127.0.0.1:8080/", "direct://" },
    { { "http_proxy=http://p:1", "no_proxy=a.com", "NO_PROXY=b.com" }, "http://b.com/", "http://p:1" },
    { { "http_proxy=socks5://s:1" }, "http://example.com/", "socks5://s:1" },
    /* Where curl's reading is the better one */
    { { "http_proxy=p:3128" }, "http://example.com/", "http://p:3128" },
    { { "http_proxy= http://p:1 " }, "http://example.com/", "http://p:1" },
    { { "http_proxy=http://p:1", "no_proxy= example.com , ::1" }, "http://example.com/", "direct://" },
    { { "http_proxy=http://p:1", "no_proxy=example.com" }, "http://api.example.com/", "direct://" },
    { { "http_proxy=http://p:1", "no_proxy=*" }, "http://example.com/", "none" },
    { { "http_proxy=http://p" }, "http://example.com/", "http://p:80" },
    /* Credentials answer the proxy's challenge; only SOCKS keeps them in the URL */
    { { "http_proxy=http://u:pw@p:1" }, "http://example.com/", "http://p:1" },
    { { "http_proxy=socks5://u:pw@s:1" }, "http://example.com/", "socks5://u:pw@s:1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *proxy = environment_lookup (cases[i].env, cases[i].url);

      if (g_strcmp0 (proxy, cases[i].proxy) != 0)
        g_error ("case %u (%s, %s): %s, expected %s", i, cases[i].env[0], cases[i].url, proxy, cases[i].proxy);
    }
}

static void
test_environment_errors (void)
{
  static const struct { const char *env; const char *words; } cases[] = {
    { "http_proxy=ftp://p:21", "http_proxy (from the environment): The proxy URL “ftp://p:21” is not supported" },
    { "HTTPS_PROXY=http://", "HTTPS_PROXY (from the environment): The proxy URL “http://” has no host" },
    { "http_proxy=http://[::1", "http_proxy (from the environment): The proxy URL “http://[::1” is not valid" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const envp[] = { cases[i].env, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GProxyResolver) resolver = sonde_proxy_resolver_new_for_environment (envp, &error);

      g_assert_null (resolver);
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL);
      if (strstr (error->message, cases[i].words) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].words);
    }
}

static void
test_environment_credentials (void)
{
  static const char * const envp[] = { "http_proxy=http://us%40er:p%3Aw@p:1", "https_proxy=http://s:2", NULL };
  static const char * const https_only[] = { "https_proxy=http://s:s3cret@s:2", NULL };
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;

  g_assert_true (sonde_proxy_environment_credentials (envp, "http", &user, &password));
  g_assert_cmpstr (user, ==, "us@er");
  g_assert_cmpstr (password, ==, "p:w");
  g_clear_pointer (&user, g_free);
  g_clear_pointer (&password, g_free);

  /* https:// goes through https_proxy, which has none */
  g_assert_false (sonde_proxy_environment_credentials (envp, "https", &user, &password));
  g_assert_null (user);
  g_assert_null (password);

  g_assert_true (sonde_proxy_environment_credentials (https_only, "https", &user, &password));
  g_assert_cmpstr (user, ==, "s");
  g_assert_cmpstr (password, ==, "s3cret");
  g_clear_pointer (&user, g_free);
  g_clear_pointer (&password, g_free);
  g_assert_false (sonde_proxy_environment_credentials (https_only, "http", &user, &password));
}

/* SOCKS5, through SondeClient: libsoup hands the GSimpleProxyResolver's socks5:// URL to
 * GIO's SOCKS client. */

/* Made once for the SOCKS tests: openssl takes a moment per key. */
static SondeTestTls *socks_tls;

typedef struct
{
  SondeTestServer *server;
  SondeTestSocks  *socks;
  SondeClient     *client;
} SocksFixture;

static void
socks_set_up (SocksFixture  *fixture,
              gconstpointer  data)
{
  gboolean require_auth = GPOINTER_TO_INT (data);

  fixture->server = sonde_test_server_new ();
  fixture->socks = sonde_test_socks_new (require_auth);
  fixture->client = sonde_client_new ();
}

static void
socks_tear_down (SocksFixture  *fixture,
                 gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  sonde_test_socks_free (fixture->socks);
  sonde_test_server_free (fixture->server);
  /* Let the SOCKS server's cancelled connections go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static SondeRequest *
socks_request_new (const char *url,
                   const char *proxy_url,
                   const char *username,
                   const char *password)
{
  SondeRequest *request = sonde_request_new ();
  SondeRequestOptions *options = sonde_request_get_options (request);

  sonde_request_set_method (request, "GET");
  sonde_request_set_url (request, url);
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (options, proxy_url);
  sonde_request_options_set_proxy_username (options, username);
  sonde_request_options_set_proxy_password (options, password);
  if (socks_tls != NULL)
    sonde_request_options_set_ca_file (options, socks_tls->ca_cert);
  return request;
}

/* The body of a 200 response, or NULL with the error. */
static char *
client_send (SocksFixture  *fixture,
             SondeRequest  *request,
             GError       **error)
{
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;

  response = sonde_test_client_send (fixture->client, request, NULL, NULL, NULL, NULL, error);
  if (response == NULL)
    return NULL;

  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  body = sonde_body_store_get_bytes (sonde_response_get_body (response));
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
assert_targets (SocksFixture *fixture,
                const char   *first,
                ...)
{
  const char * const *targets = sonde_test_socks_get_targets (fixture->socks);
  const char *expected = first;
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (; expected != NULL; expected = va_arg (args, const char *), i++)
    g_assert_cmpstr (targets[i], ==, expected);
  va_end (args);
  g_assert_null (targets[i]);
}

static void
test_socks_http_target (SocksFixture  *fixture,
                        gconstpointer  data)
{
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo?format=text");
  g_autoptr(SondeRequest) request = socks_request_new (url, sonde_test_socks_get_url (fixture->socks), NULL, NULL);
  g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", sonde_test_server_get_port (fixture->server));
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  body = client_send (fixture, request, &error);
  g_assert_no_error (error);
  /* Origin form: through SOCKS the request goes to the server as if direct. */
  g_assert_true (g_str_has_prefix (body, "GET /echo?format=text\n"));
  g_assert_null (strstr (body, "Proxy-"));
  g_assert_cmpuint (sonde_test_socks_get_connection_count (fixture->socks), ==, 1);
  /* GIO sends an IP address as one (ATYP 1), not as a name. */
  assert_targets (fixture, target, NULL);
}

static void
test_socks_https_target (SocksFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeRequest) by_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *name_url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *target = NULL;
  g_autofree char *name_target = NULL;

  if (socks_tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }

  server = sonde_test_tls_server_new (socks_tls, FALSE, &base);
  url = g_uri_to_string (base);
  request = socks_request_new (url, sonde_test_socks_get_url (fixture->socks), NULL, NULL);
  body = client_send (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (body, ==, "client: none\n");

  /* A host name goes to the proxy unresolved (ATYP 3); TLS still checks it against the
   * certificate (SAN DNS:localhost). */
  name_url = g_strdup_printf ("https://localhost:%d/", g_uri_get_port (base));
  by_name = socks_request_new (name_url, sonde_test_socks_get_url (fixture->socks), NULL, NULL);
  g_clear_pointer (&body, g_free);
  body = client_send (fixture, by_name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (body, ==, "client: none\n");

  target = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (base));
  name_target = g_strdup_printf ("localhost:%d", g_uri_get_port (base));
  assert_targets (fixture, target, name_target, NULL);
}

static void
test_socks_credentials (SocksFixture  *fixture,
                        gconstpointer  data)
{
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo?format=text");
  g_autofree char *escaped = g_uri_escape_string (SONDE_TEST_SOCKS_PASSWORD, NULL, FALSE);
  g_autofree char *url_with_user = g_strdup_printf ("socks5://" SONDE_TEST_SOCKS_USERNAME ":%s@127.0.0.1:%u",
                                                    escaped, sonde_test_socks_get_port (fixture->socks));
  const char *proxy_url = sonde_test_socks_get_url (fixture->socks);
  g_autoptr(SondeRequest) in_options = socks_request_new (url, proxy_url, SONDE_TEST_SOCKS_USERNAME,
                                                          SONDE_TEST_SOCKS_PASSWORD);
  g_autoptr(SondeRequest) in_url = socks_request_new (url, url_with_user, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *other_body = NULL;

  body = client_send (fixture, in_options, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (body, "GET /echo?format=text\n"));

  /* The password has ":@%/ ": escaped in the URL, sent as is to the proxy. */
  other_body = client_send (fixture, in_url, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (other_body, "GET /echo?format=text\n"));

  g_assert_cmpuint (sonde_test_socks_get_auth_failures (fixture->socks), ==, 0);
  g_assert_cmpuint (sonde_test_socks_get_connection_count (fixture->socks), ==, 2);
}

static void
test_socks_wrong_password (SocksFixture  *fixture,
                           gconstpointer  data)
{
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo");
  const char *proxy_url = sonde_test_socks_get_url (fixture->socks);
  g_autoptr(SondeRequest) wrong = socks_request_new (url, proxy_url, SONDE_TEST_SOCKS_USERNAME, "wrong");
  g_autoptr(SondeRequest) missing = socks_request_new (url, proxy_url, NULL, NULL);
  g_autofree char *expected = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;

  body = client_send (fixture, wrong, &error);
  g_assert_null (body);
  g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH);
  g_test_message ("%s", error->message);
  expected = g_strdup_printf ("SOCKS proxy authentication failed at %s: check the proxy username and password",
                              proxy_url);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (sonde_test_socks_get_auth_failures (fixture->socks), ==, 1);

  /* No credentials for a proxy that wants them. */
  g_clear_error (&error);
  g_clear_pointer (&expected, g_free);
  body = client_send (fixture, missing, &error);
  g_assert_null (body);
  g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH);
  g_test_message ("%s", error->message);
  expected = g_strdup_printf ("The SOCKS proxy %s requires authentication: set a proxy username and password",
                              proxy_url);
  g_assert_cmpstr (error->message, ==, expected);

  /* Nothing reached the server. */
  assert_targets (fixture, NULL);
  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
}

static void
test_socks_down (SocksFixture  *fixture,
                 gconstpointer  data)
{
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo");
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *body = NULL;

  /* A port that is bound but not listening: connections are refused. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  proxy_url = g_strdup_printf ("socks5://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  request = socks_request_new (url, proxy_url, NULL, NULL);
  body = client_send (fixture, request, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_test_message ("%s", error->message);
  expected = g_strdup_printf ("Could not connect to the proxy %s: the connection was refused. Is the proxy running?",
                              proxy_url);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
}

static void
test_socks_target_refused (SocksFixture  *fixture,
                           gconstpointer  data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  guint port;

  /* The proxy is up; the server behind it refuses. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  url = g_strdup_printf ("http://127.0.0.1:%u/", port);

  request = socks_request_new (url, sonde_test_socks_get_url (fixture->socks), NULL, NULL);
  body = client_send (fixture, request, &error);
  g_assert_null (body);
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_null (strstr (error->message, "Is the proxy running?"));
  g_assert_nonnull (strstr (error->message, sonde_test_socks_get_url (fixture->socks)));
  g_assert_cmpuint (sonde_test_socks_get_connection_count (fixture->socks), ==, 1);
}

static void
test_socks_no_proxy_list (SocksFixture  *fixture,
                          gconstpointer  data)
{
  const char * const hosts[] = { "example.org", "127.0.0.1", NULL };
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo?format=text");
  g_autoptr(SondeRequest) request = socks_request_new (url, sonde_test_socks_get_url (fixture->socks), NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  sonde_request_options_set_no_proxy (sonde_request_get_options (request), hosts);
  body = client_send (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (body, "GET /echo?format=text\n"));
  g_assert_cmpuint (sonde_test_socks_get_connection_count (fixture->socks), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

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
  g_test_add_func ("/proxy/environment-decides", test_environment_decides);
  g_test_add_func ("/proxy/environment-resolver", test_environment_resolver);
  g_test_add_func ("/proxy/environment-errors", test_environment_errors);
  g_test_add_func ("/proxy/environment-credentials", test_environment_credentials);

#define ADD_SOCKS(path, require_auth, fn) \
  g_test_add (path, SocksFixture, GINT_TO_POINTER (require_auth), socks_set_up, fn, socks_tear_down)
  ADD_SOCKS ("/proxy/socks5/http-target", FALSE, test_socks_http_target);
  ADD_SOCKS ("/proxy/socks5/https-target", FALSE, test_socks_https_target);
  ADD_SOCKS ("/proxy/socks5/credentials", TRUE, test_socks_credentials);
  ADD_SOCKS ("/proxy/socks5/wrong-password", TRUE, test_socks_wrong_password);
  ADD_SOCKS ("/proxy/socks5/down", FALSE, test_socks_down);
  ADD_SOCKS ("/proxy/socks5/target-refused", FALSE, test_socks_target_refused);
  ADD_SOCKS ("/proxy/socks5/no-proxy-list", FALSE, test_socks_no_proxy_list);
#undef ADD_SOCKS

  socks_tls = sonde_test_tls_new (&error);
  if (socks_tls == NULL)
    g_test_message ("No TLS target for SOCKS: %s", error->message);

  status = g_test_run ();
  g_clear_pointer (&socks_tls, sonde_test_tls_free);
  return status;
}
