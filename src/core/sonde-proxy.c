/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-proxy"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-proxy.h"

#define AUTH_STATE_KEY "sonde-proxy-auth-state"

/* What happened with proxy authentication on one message. */
typedef struct
{
  gboolean challenged;
  gboolean answered;
} AuthState;

static AuthState *
get_auth_state (SoupMessage *msg)
{
  AuthState *state = g_object_get_data (G_OBJECT (msg), AUTH_STATE_KEY);

  if (state == NULL)
    {
      state = g_new0 (AuthState, 1);
      g_object_set_data_full (G_OBJECT (msg), AUTH_STATE_KEY, state, g_free);
    }
  return state;
}

static int
default_port (const char *scheme)
{
  if (g_str_equal (scheme, "http"))
    return 80;
  if (g_str_equal (scheme, "https"))
    return 443;
  return 1080;
}

/* The custom proxy URL, checked; credentials split off into USER and PASSWORD. */
static GUri *
parse_proxy_url (const char  *url,
                 char       **user,
                 char       **password,
                 GError     **error)
{
  static const char * const schemes[] = { "http", "https", "socks5", "socks4a", "socks4", NULL };
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *scheme = NULL;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                           _("A custom proxy needs a URL, such as http://proxy.example.com:3128"));
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("The proxy URL “%s” is not valid: %s"), url, local_error->message);
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_strv_contains (schemes, scheme))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("The proxy URL “%s” is not supported: use http://, https:// or socks5://"), url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("The proxy URL “%s” has no host"), url);
      return NULL;
    }

  if (user != NULL)
    *user = g_strdup (g_uri_get_user (uri));
  if (password != NULL)
    *password = g_strdup (g_uri_get_password (uri));

  /* Only scheme, host and port: a path would confuse GIO, credentials go separately. */
  return g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : default_port (scheme),
                      "", NULL, NULL);
}

static void
get_credentials (SondeRequestOptions  *options,
                 const char           *url_user,
                 const char           *url_password,
                 const char          **user,
                 const char          **password)
{
  const char *option_user = sonde_request_options_get_proxy_username (options);

  if (option_user != NULL && *option_user != '\0')
    {
      *user = option_user;
      *password = sonde_request_options_get_proxy_password (options);
    }
  else
    {
      *user = url_user;
      *password = url_password;
    }
  if (*user != NULL && **user == '\0')
    *user = NULL;
  if (*password == NULL)
    *password = "";
}

gboolean
sonde_proxy_configure_session (SoupSession          *session,
                               SondeRequestOptions  *options,
                               GError              **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;
  g_autoptr(GPtrArray) ignore_hosts = NULL;
  g_autofree char *url_user = NULL;
  g_autofree char *url_password = NULL;
  g_autofree char *proxy_url = NULL;
  const char * const *no_proxy;
  const char *user, *password;

  g_return_val_if_fail (SOUP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (options), FALSE);

  switch (sonde_request_options_get_proxy_mode (options))
    {
    case SONDE_PROXY_NONE:
      /* libsoup: a NULL resolver means no proxy at all. */
      soup_session_set_proxy_resolver (session, NULL);
      return TRUE;

    case SONDE_PROXY_CUSTOM:
      break;

    case SONDE_PROXY_SYSTEM:
    default:
      soup_session_set_proxy_resolver (session, g_proxy_resolver_get_default ());
      return TRUE;
    }

  uri = parse_proxy_url (sonde_request_options_get_proxy_url (options), &url_user, &url_password, error);
  if (uri == NULL)
    return FALSE;

  get_credentials (options, url_user, url_password, &user, &password);
  if (user != NULL && g_str_has_prefix (g_uri_get_scheme (uri), "socks"))
    {
      g_autoptr(GUri) with_user = g_uri_build_with_user (G_URI_FLAGS_NONE, g_uri_get_scheme (uri),
                                                         user, password, NULL,
                                                         g_uri_get_host (uri), g_uri_get_port (uri),
                                                         "", NULL, NULL);

      proxy_url = g_uri_to_string (with_user);
    }
  else
    proxy_url = g_uri_to_string (uri);

  ignore_hosts = g_ptr_array_new_with_free_func (g_free);
  no_proxy = sonde_request_options_get_no_proxy (options);
  for (guint i = 0; no_proxy != NULL && no_proxy[i] != NULL; i++)
    {
      char *host = g_strstrip (g_strdup (no_proxy[i]));

      if (*host != '\0')
        g_ptr_array_add (ignore_hosts, host);
      else
        g_free (host);
    }
  g_ptr_array_add (ignore_hosts, NULL);

  resolver = g_simple_proxy_resolver_new (proxy_url, (char **) ignore_hosts->pdata);
  soup_session_set_proxy_resolver (session, resolver);
  return TRUE;
}

char *
sonde_proxy_get_session_key (SondeRequestOptions *options)
{
  g_autoptr(GChecksum) credentials = NULL;
  g_autofree char *no_proxy = NULL;
  const char * const *hosts;

  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (options), NULL);

  switch (sonde_request_options_get_proxy_mode (options))
    {
    case SONDE_PROXY_NONE:
      return g_strdup ("none");
    case SONDE_PROXY_CUSTOM:
      break;
    case SONDE_PROXY_SYSTEM:
    default:
      return g_strdup ("system");
    }

  /* libsoup caches proxy credentials per session: other credentials, other session. */
  credentials = g_checksum_new (G_CHECKSUM_SHA256);
  if (sonde_request_options_get_proxy_username (options) != NULL)
    g_checksum_update (credentials, (const guchar *) sonde_request_options_get_proxy_username (options), -1);
  g_checksum_update (credentials, (const guchar *) "\n", 1);
  if (sonde_request_options_get_proxy_password (options) != NULL)
    g_checksum_update (credentials, (const guchar *) sonde_request_options_get_proxy_password (options), -1);

  hosts = sonde_request_options_get_no_proxy (options);
  no_proxy = hosts != NULL ? g_strjoinv (",", (char **) hosts) : g_strdup ("");

  return g_strdup_printf ("custom %s %s %s",
                          sonde_request_options_get_proxy_url (options) ? sonde_request_options_get_proxy_url (options) : "",
                          no_proxy, g_checksum_get_string (credentials));
}

gboolean
sonde_proxy_authenticate (SondeRequestOptions *options,
                          SoupMessage         *msg,
                          SoupAuth            *auth,
                          gboolean             retrying)
{
  g_autofree char *url_user = NULL;
  g_autofree char *url_password = NULL;
  const char *user = NULL;
  const char *password = NULL;
  AuthState *state;

  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (options), FALSE);
  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);
  g_return_val_if_fail (SOUP_IS_AUTH (auth), FALSE);

  if (!soup_auth_is_for_proxy (auth))
    return FALSE;

  state = get_auth_state (msg);
  state->challenged = TRUE;

  /* Asked again: the proxy refused what was sent. Let the 407 through. */
  if (retrying)
    return FALSE;

  /* Credentials may be written in the custom URL. */
  if (sonde_request_options_get_proxy_mode (options) == SONDE_PROXY_CUSTOM)
    {
      GUri *uri = parse_proxy_url (sonde_request_options_get_proxy_url (options),
                                   &url_user, &url_password, NULL);

      g_clear_pointer (&uri, g_uri_unref);
    }
  get_credentials (options, url_user, url_password, &user, &password);
  if (user == NULL)
    return FALSE;

  soup_auth_authenticate (auth, user, password);
  state->answered = TRUE;
  return TRUE;
}

gboolean
sonde_proxy_check_response (SondeRequestOptions  *options,
                            SoupMessage          *msg,
                            GError              **error)
{
  SoupMessageHeaders *headers;
  AuthState *state;
  guint status;

  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (options), FALSE);
  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), FALSE);

  if (sonde_request_options_get_proxy_mode (options) == SONDE_PROXY_NONE)
    return TRUE;

  status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  state = g_object_get_data (G_OBJECT (msg), AUTH_STATE_KEY);

  if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    {
      /* A 407 without a challenge from a proxy is the server's own answer: a response. */
      if ((state == NULL || !state->challenged) &&
          soup_message_headers_get_one (headers, "Proxy-Authenticate") == NULL)
        return TRUE;
    }
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      /* Some proxies (tinyproxy) refuse credentials with a 401 of their own. A response the
       * proxy forwarded carries its Via header; one right after our answer without it is
       * the proxy's refusal. */
      if (state == NULL || !state->answered || soup_message_headers_get_one (headers, "Via") != NULL)
        return TRUE;
    }
  else
    return TRUE;

  if (state != NULL && state->answered)
    g_set_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH,
                 _("Proxy authentication failed (%u): check the proxy username and password"), status);
  else
    g_set_error_literal (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH,
                         _("The proxy requires authentication (407): set a proxy username and password"));
  return FALSE;
}
