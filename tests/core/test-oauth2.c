/* SPDX-License-Identifier: GPL-3.0-or-later */
/* OAuth 2.0 against a loopback authorization server: client credentials (in the body or as
 * Basic), password, refresh of an expired token, a refused client, and the authorization
 * code grant with PKCE, the browser played by a session that follows the redirect. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-test-utils.h"

static SoupServer *server;
static char *base_url;
static guint token_requests;
static char *last_grant;
static char *last_resource;   /* the extra parameter "resource" of the last token request */
/* authorization code -> the PKCE challenge it was issued for */
static GHashTable *codes;
static guint issued;

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static char *
s256 (const char *verifier)
{
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  char *text;

  g_checksum_update (sha, (const guchar *) verifier, -1);
  g_checksum_get_digest (sha, digest, &length);
  text = g_base64_encode (digest, length);
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  for (char *end = text + strlen (text); end > text && end[-1] == '='; end--)
    end[-1] = '\0';
  return text;
}

/* The client is "app" with the secret "s3cret", by the form or by Basic auth */
static gboolean
client_ok (SoupServerMessage *msg,
           GHashTable        *form)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  if (authorization != NULL)
    return g_str_equal (authorization, "Basic YXBwOnMzY3JldA==");  /* app:s3cret */
  return g_strcmp0 (g_hash_table_lookup (form, "client_id"), "app") == 0 &&
         (g_strcmp0 (g_hash_table_lookup (form, "client_secret"), "s3cret") == 0 ||
          g_hash_table_lookup (form, "code_verifier") != NULL);  /* a public client */
}

static void
issue (SoupServerMessage *msg,
       const char        *scope)
{
  g_autofree char *json = g_strdup_printf ("{\"access_token\": \"tok-%u\", \"token_type\": \"Bearer\", \"expires_in\": 3600,"
                                           " \"refresh_token\": \"ref-%u\", \"scope\": \"%s\"}", issued, issued, scope);

  issued++;
  reply_json (msg, 200, json);
}

static void
token_cb (SoupServer        *soup_server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  const char *grant = g_hash_table_lookup (form, "grant_type");

  token_requests++;
  g_free (last_grant);
  last_grant = g_strdup (grant);
  g_free (last_resource);
  last_resource = g_strdup (g_hash_table_lookup (form, "resource"));
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "POST");

  if (!client_ok (msg, form))
    {
      reply_json (msg, 401, "{\"error\": \"invalid_client\", \"error_description\": \"Unknown client or wrong secret\"}");
      return;
    }
  if (g_strcmp0 (grant, "client_credentials") == 0)
    issue (msg, g_hash_table_lookup (form, "scope") ? g_hash_table_lookup (form, "scope") : "");
  else if (g_strcmp0 (grant, "password") == 0)
    {
      if (g_strcmp0 (g_hash_table_lookup (form, "username"), "ann") != 0 ||
          g_strcmp0 (g_hash_table_lookup (form, "password"), "pw") != 0)
        reply_json (msg, 400, "{\"error\": \"invalid_grant\"}");
      else
        issue (msg, "user");
    }
  else if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      if (!g_str_has_prefix (g_hash_table_lookup (form, "refresh_token"), "ref-"))
        reply_json (msg, 400, "{\"error\": \"invalid_grant\"}");
      else
        issue (msg, "refreshed");
    }
  else if (g_strcmp0 (grant, "authorization_code") == 0)
    {
      const char *code = g_hash_table_lookup (form, "code");
      const char *challenge = code != NULL ? g_hash_table_lookup (codes, code) : NULL;
      g_autofree char *computed = g_hash_table_lookup (form, "code_verifier") != NULL
                                  ? s256 (g_hash_table_lookup (form, "code_verifier")) : NULL;

      g_assert_nonnull (g_hash_table_lookup (form, "redirect_uri"));
      if (challenge == NULL || g_strcmp0 (computed, challenge) != 0)
        reply_json (msg, 400, "{\"error\": \"invalid_grant\", \"error_description\": \"PKCE verification failed\"}");
      else
        {
          g_hash_table_remove (codes, code);
          issue (msg, "code");
        }
    }
  else
    reply_json (msg, 400, "{\"error\": \"unsupported_grant_type\"}");
}

/* The authorization page: approves at once, redirecting to the client's loopback redirect */
static void
authorize_cb (SoupServer        *soup_server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  const char *redirect = g_hash_table_lookup (query, "redirect_uri");
  const char *state = g_hash_table_lookup (query, "state");
  const char *tamper = g_hash_table_lookup (query, "tamper");
  g_autofree char *code = g_strdup_printf ("code-%u", g_hash_table_size (codes) + issued);
  g_autofree char *location = NULL;
  g_autofree char *escaped_state = NULL;

  g_assert_cmpstr (g_hash_table_lookup (query, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (query, "client_id"), ==, "app");
  g_assert_true (g_str_has_prefix (redirect, "http://127.0.0.1:"));
  g_hash_table_insert (codes, g_strdup (code), g_strdup (g_hash_table_lookup (query, "code_challenge")));
  escaped_state = g_uri_escape_string (tamper != NULL ? "forged" : state, NULL, FALSE);
  location = g_strdup_printf ("%s?code=%s&state=%s", redirect, code, escaped_state);
  soup_server_message_set_redirect (msg, 302, location);
}

/* The protected resource: any token the server issued */
static void
api_cb (SoupServer        *soup_server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  const char *own = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Access-Token");

  /* In the query: the token alone, nothing in the headers */
  if (query != NULL && g_str_has_prefix (g_hash_table_lookup (query, "access_token") ?: "", "tok-") &&
      authorization == NULL && own == NULL)
    {
      reply_json (msg, 200, "{\"ok\": \"query\"}");
      return;
    }
  /* The API's own header: the token alone */
  if (own != NULL && g_str_has_prefix (own, "tok-") && authorization == NULL)
    {
      reply_json (msg, 200, "{\"ok\": \"own header\"}");
      return;
    }
  if (authorization == NULL || !g_str_has_prefix (authorization, "Bearer tok-"))
    {
      reply_json (msg, 401, "{}");
      return;
    }
  reply_json (msg, 200, "{\"ok\": true}");
}

static SondeRequest *
api_request (const char *grant)
{
  SondeRequest *request = sonde_request_new ();
  SondeAuth *auth = sonde_request_get_auth (request);
  g_autofree char *url = g_strconcat (base_url, "/api", NULL);
  g_autofree char *token_url = g_strconcat (base_url, "/token", NULL);
  g_autofree char *auth_url = g_strconcat (base_url, "/authorize", NULL);

  sonde_request_set_url (request, url);
  sonde_auth_set_kind (auth, SONDE_AUTH_OAUTH2);
  sonde_auth_set_oauth (auth, SONDE_OAUTH_GRANT, grant);
  sonde_auth_set_oauth (auth, SONDE_OAUTH_TOKEN_URL, token_url);
  sonde_auth_set_oauth (auth, SONDE_OAUTH_AUTH_URL, auth_url);
  sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_ID, "app");
  sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_SECRET, "s3cret");
  return request;
}

static guint
status_of (SondeClient  *client,
           SondeRequest *request,
           GError      **error)
{
  g_autoptr(SondeResponse) response = sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, error);

  return response != NULL ? sonde_response_get_status (response) : 0;
}

static void
test_client_credentials (void)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(SondeRequest) request = api_request ("client_credentials");
  SondeAuth *auth = sonde_request_get_auth (request);
  g_autoptr(GError) error = NULL;
  const SondeOAuth2Token *token;
  guint before = token_requests;

  sonde_auth_set_oauth (auth, SONDE_OAUTH_SCOPE, "read write");
  g_assert_cmpuint (status_of (client, request, &error), ==, 200);
  g_assert_no_error (error);
  g_assert_cmpuint (token_requests, ==, before + 1);
  token = sonde_client_lookup_oauth2_token (client, auth);
  g_assert_nonnull (token);
  g_assert_cmpstr (token->scope, ==, "read write");
  g_assert_true (token->expires_at > g_get_real_time () + (gint64) 3500 * G_USEC_PER_SEC);

  /* Held: not asked again */
  g_assert_cmpuint (status_of (client, request, &error), ==, 200);
  g_assert_cmpuint (token_requests, ==, before + 1);

  /* As Basic auth */
  sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_AUTH, "basic");
  sonde_client_forget_oauth2_token (client, auth);
  g_assert_cmpuint (status_of (client, request, &error), ==, 200);
  g_assert_cmpuint (token_requests, ==, before + 2);

  /* Expired: refreshed with the refresh token */
  ((SondeOAuth2Token *) sonde_client_lookup_oauth2_token (client, auth))->expires_at = g_get_real_time () - 1;
  g_assert_cmpuint (status_of (client, request, &error), ==, 200);
  g_assert_cmpstr (last_grant, ==, "refresh_token");
  g_assert_cmpstr (sonde_client_lookup_oauth2_token (client, auth)->scope, ==, "refreshed");

  /* In a header of the API's own, alone; a name that is no header name is refused */
  sonde_auth_set_oauth (auth, SONDE_OAUTH_TOKEN_HEADER, "X-Access-Token");
  {
    g_autoptr(SondeResponse) response = sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, &error);
    g_autoptr(GBytes) body = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
    body = sonde_body_store_get_bytes (sonde_response_get_body (response));
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "own header"));
  }
  sonde_auth_set_oauth (auth, SONDE_OAUTH_TOKEN_HEADER, "Bad Header");
  g_assert_cmpuint (status_of (client, request, &error), ==, 0);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER);
  g_clear_error (&error);
  sonde_auth_set_oauth (auth, SONDE_OAUTH_TOKEN_HEADER, "");

  /* In a query parameter: sent there only; what the response says of the URL masks it */
  sonde_auth_set_oauth (auth, SONDE_OAUTH_TOKEN_QUERY, "access_token");
  {
    g_autoptr(SondeResponse) response = sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, &error);
    g_autoptr(GBytes) body = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
    body = sonde_body_store_get_bytes (sonde_response_get_body (response));
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\"query\""));
    g_assert_nonnull (strstr (sonde_response_get_url (response), "/api?access_token=****"));
    g_assert_null (strstr (sonde_response_get_url (response), "tok-"));
  }
  sonde_auth_set_oauth (auth, SONDE_OAUTH_TOKEN_QUERY, "");

  /* Extra parameters go with the token request; other ones are another token */
  sonde_auth_set_oauth (auth, SONDE_OAUTH_EXTRA_PARAMS, "resource=https://api.example.com/&prompt=none");
  g_assert_cmpuint (status_of (client, request, &error), ==, 200);
  g_assert_no_error (error);
  g_assert_cmpstr (last_resource, ==, "https://api.example.com/");
  sonde_auth_set_oauth (auth, SONDE_OAUTH_EXTRA_PARAMS, "");
  {
    g_auto(GStrv) pairs = sonde_oauth_parse_params ("a=1&&b=x%20y+z& =skipped&c&d=%ZZ");
    const char * const expected[] = { "a", "1", "b", "x y z", "c", "", "d", "%" "ZZ", NULL };

    g_assert_true (g_strv_equal ((const char * const *) pairs, expected));
  }
  /* The refresh token kept when the answer has none is tested by the server always sending one */
}

static void
test_password_and_refusals (void)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(SondeRequest) request = api_request ("password");
  SondeAuth *auth = sonde_request_get_auth (request);
  g_autoptr(GError) error = NULL;

  sonde_auth_set_username (auth, "ann");
  sonde_auth_set_password (auth, "pw");
  g_assert_cmpuint (status_of (client, request, &error), ==, 200);
  g_assert_no_error (error);
  g_assert_cmpstr (last_grant, ==, "password");

  /* A wrong secret: the server's words, nothing sent to the API */
  {
    g_autoptr(SondeClient) other = sonde_client_new ();

    sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_SECRET, "wrong");
    g_assert_cmpuint (status_of (other, request, &error), ==, 0);
    g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH);
    g_assert_cmpstr (error->message, ==, "The token endpoint refused: invalid_client (Unknown client or wrong secret)");
    g_clear_error (&error);
  }

  /* No token URL */
  {
    g_autoptr(SondeClient) other = sonde_client_new ();

    sonde_auth_set_oauth (auth, SONDE_OAUTH_TOKEN_URL, "");
    g_assert_cmpuint (status_of (other, request, &error), ==, 0);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
    g_clear_error (&error);
  }

  /* The authorization code grant cannot start from a send */
  {
    g_autoptr(SondeClient) other = sonde_client_new ();
    g_autoptr(SondeRequest) code_request = api_request ("authorization_code");

    g_assert_cmpuint (status_of (other, code_request, &error), ==, 0);
    g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH);
    g_assert_nonnull (strstr (error->message, "Get New Token"));
  }
}

/* The browser: a session that follows the authorization server's redirect to the loopback */
typedef struct
{
  SoupSession *session;
  gboolean     tamper;
} Browser;

static void
browser_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GBytes) page = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
}

static void
open_uri (const char *uri,
          gpointer    user_data)
{
  Browser *browser = user_data;
  g_autofree char *url = browser->tamper ? g_strconcat (uri, "&tamper=1", NULL) : g_strdup (uri);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  g_assert_nonnull (strstr (uri, "code_challenge="));
  g_assert_nonnull (strstr (uri, "state="));
  soup_session_send_and_read_async (browser->session, msg, G_PRIORITY_DEFAULT, NULL, browser_done_cb, NULL);
}

static void
open_nothing (const char *uri,
              gpointer    user_data)
{
}

typedef struct
{
  SondeOAuth2Token *token;
  GError           *error;
  gboolean          done;
} Authorized;

static void
authorized_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Authorized *authorized = user_data;

  authorized->token = sonde_client_authorize_oauth2_finish (SONDE_CLIENT (object), result, &authorized->error);
  authorized->done = TRUE;
}

static void
test_authorization_code (void)
{
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(SondeRequest) request = api_request ("authorization_code");
  SondeAuth *auth = sonde_request_get_auth (request);
  Browser browser = { soup_session_new (), FALSE };
  Authorized authorized = { NULL, NULL, FALSE };
  g_autoptr(GError) error = NULL;

  /* A public client: no secret, PKCE proves it */
  sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_SECRET, "");
  sonde_client_authorize_oauth2_async (client, auth, NULL, open_uri, &browser, NULL, authorized_cb, &authorized);
  while (!authorized.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (authorized.error);
  g_assert_nonnull (authorized.token);
  g_assert_cmpstr (authorized.token->scope, ==, "code");
  g_clear_pointer (&authorized.token, sonde_oauth2_token_free);
  /* The request now sends with it */
  g_assert_cmpuint (status_of (client, request, &error), ==, 200);
  g_assert_no_error (error);

  /* A redirect with another state is refused */
  sonde_client_forget_oauth2_token (client, auth);
  browser.tamper = TRUE;
  authorized.done = FALSE;
  sonde_client_authorize_oauth2_async (client, auth, NULL, open_uri, &browser, NULL, authorized_cb, &authorized);
  while (!authorized.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (authorized.error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH);
  g_assert_nonnull (strstr (authorized.error->message, "state"));
  g_assert_null (sonde_client_lookup_oauth2_token (client, auth));
  g_clear_error (&authorized.error);

  /* Cancelled while waiting for the browser (which never comes) */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    authorized.done = FALSE;
    sonde_client_authorize_oauth2_async (client, auth, NULL, open_nothing, NULL, cancellable,
                                         authorized_cb, &authorized);
    g_cancellable_cancel (cancellable);
    while (!authorized.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (authorized.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&authorized.error);
  }

  /* Let the browser's last page load finish */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_object_unref (browser.session);
}

/* Kept in the secret store: a token got by one client (the window) serves the next (the next
 * start, sonde-cli), even an authorization code one, which no send could get again */
static void
test_token_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sonde-oauth2-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "secrets.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SondeSecretStore) store = sonde_secret_store_new_file (file);
  g_autoptr(SondeRequest) request = api_request ("authorization_code");
  SondeAuth *auth = sonde_request_get_auth (request);
  Browser browser = { soup_session_new (), FALSE };
  Authorized authorized = { NULL, NULL, FALSE };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  guint before;

  {
    g_autoptr(SondeClient) window = sonde_client_new ();

    sonde_client_set_oauth2_token_store (window, store, "/collections/shop");
    sonde_client_authorize_oauth2_async (window, auth, NULL, open_uri, &browser, NULL, authorized_cb, &authorized);
    while (!authorized.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (authorized.error);
    g_clear_pointer (&authorized.token, sonde_oauth2_token_free);
    /* Written by then (the store call is quick, but asynchronous) */
    for (guint i = 0; i < 50 && !g_file_test (path, G_FILE_TEST_EXISTS); i++)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "oauth2-token-"));

  /* Another client, the same store: sends with it, no browser, no token request */
  before = token_requests;
  {
    g_autoptr(SondeClient) cli = sonde_client_new ();

    sonde_client_set_oauth2_token_store (cli, store, "/collections/shop");
    g_assert_cmpuint (status_of (cli, request, &error), ==, 200);
    g_assert_no_error (error);
    g_assert_cmpuint (token_requests, ==, before);

    /* Another collection does not see it */
    {
      g_autoptr(SondeClient) other = sonde_client_new ();

      sonde_client_set_oauth2_token_store (other, store, "/collections/elsewhere");
      g_assert_cmpuint (status_of (other, request, &error), ==, 0);
      g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH);
      g_clear_error (&error);
    }

    /* Forgotten: gone from the store too */
    sonde_client_forget_oauth2_token (cli, auth);
  }
  {
    g_autoptr(SondeClient) later = sonde_client_new ();

    sonde_client_set_oauth2_token_store (later, store, "/collections/shop");
    g_assert_cmpuint (status_of (later, request, &error), ==, 0);
    g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH);
  }

  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_object_unref (browser.session);
  g_unlink (path);
  g_rmdir (dir);
}

/* In request files: the settings, never a token */
static void
test_request_file (void)
{
  g_autoptr(SondeRequest) request = api_request ("password");
  g_autoptr(SondeRequest) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  SondeAuth *auth;

  sonde_auth_set_oauth (sonde_request_get_auth (request), SONDE_OAUTH_CLIENT_SECRET, "{{client_secret}}");
  sonde_auth_set_username (sonde_request_get_auth (request), "ann");
  sonde_auth_set_password (sonde_request_get_auth (request), "{{password}}");
  sonde_auth_set_oauth (sonde_request_get_auth (request), SONDE_OAUTH_TOKEN_HEADER, "X-Access-Token");
  sonde_auth_set_oauth (sonde_request_get_auth (request), SONDE_OAUTH_TOKEN_QUERY, "access_token");
  data = sonde_request_to_data (request, "a.request.json", NULL);
  g_assert_nonnull (strstr (data, "\"tokenHeader\": \"X-Access-Token\""));
  g_assert_nonnull (strstr (data, "\"tokenQuery\": \"access_token\""));
  g_assert_nonnull (strstr (data, "\"type\": \"oauth2\""));
  g_assert_nonnull (strstr (data, "\"grant\": \"password\""));
  g_assert_null (strstr (data, "tok-"));
  again = sonde_request_load_from_data (data, -1, NULL, &error);
  g_assert_no_error (error);
  auth = sonde_request_get_auth (again);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_OAUTH2);
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_SECRET), ==, "{{client_secret}}");
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_ID), ==, "app");
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "ann");
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_HEADER), ==, "X-Access-Token");
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_QUERY), ==, "access_token");

  g_clear_object (&again);
  again = sonde_request_load_from_data ("{\"method\": \"GET\", \"url\": \"http://h/\", \"auth\": {\"type\": \"oauth2\", \"grant\": \"implicit\"}}",
                                        -1, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/token", token_cb, NULL, NULL);
  soup_server_add_handler (server, "/authorize", authorize_cb, NULL, NULL);
  soup_server_add_handler (server, "/api", api_cb, NULL, NULL);
  base_url = sonde_test_listen_local (server);

  g_test_add_func ("/oauth2/client-credentials", test_client_credentials);
  g_test_add_func ("/oauth2/password-and-refusals", test_password_and_refusals);
  g_test_add_func ("/oauth2/authorization-code", test_authorization_code);
  g_test_add_func ("/oauth2/token-store", test_token_store);
  g_test_add_func ("/oauth2/request-file", test_request_file);

  status = g_test_run ();
  g_clear_object (&server);
  g_clear_pointer (&codes, g_hash_table_unref);
  g_free (base_url);
  g_free (last_grant);
  g_free (last_resource);
  return status;
}
