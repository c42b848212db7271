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

/* URI (a checked proxy URL: scheme, host, port) as GIO takes it: a SOCKS one with USER and
 * PASSWORD in it, where GIO's SOCKS client reads them (an HTTP proxy's are answered on
 * "authenticate"). */
static char *
proxy_url_for_gio (GUri       *uri,
                   const char *user,
                   const char *password)
{
  if (user != NULL && g_str_has_prefix (g_uri_get_scheme (uri), "socks"))
    {
      g_autoptr(GUri) with_user = g_uri_build_with_user (G_URI_FLAGS_NONE, g_uri_get_scheme (uri),
                                                         user, password, NULL,
                                                         g_uri_get_host (uri), g_uri_get_port (uri),
                                                         "", NULL, NULL);

      return g_uri_to_string (with_user);
    }
  return g_uri_to_string (uri);
}

/* The first of NAMES set and not empty in ENVP; its name in NAME. */
static const char *
environ_get_first (const char * const  *envp,
                   const char * const  *names,
                   const char         **name)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *value = g_environ_getenv ((char **) envp, names[i]);

      if (value != NULL && *value != '\0')
        {
          if (name != NULL)
            *name = names[i];
          return value;
        }
    }
  return NULL;
}

gboolean
sonde_proxy_resolver_is_imposed (const char * const *envp)
{
  static const char * const names[] = {
    "GIO_USE_PROXY_RESOLVER", "GTK_USE_PORTAL", "SNAP", "GIO_MODULE_DIR", "GIO_EXTRA_MODULES", NULL
  };

  for (guint i = 0; names[i] != NULL; i++)
    if ((envp != NULL ? g_environ_getenv ((char **) envp, names[i]) : g_getenv (names[i])) != NULL)
      return TRUE;
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

gboolean
sonde_proxy_environment_decides (const char * const *envp,
                                 const char         *sysconfig)
{
  /* A desktop's own proxy settings (GNOME's, KDE's, …) and what a person chose for libproxy
   * count, besides what imposes GIO's resolver. */
  static const char * const others[] = {
    "XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION", "GNOME_DESKTOP_SESSION_ID",
    "KDE_FULL_SESSION", "PX_CONFIG_ORDER", "FLATPAK_ID", NULL
  };

  g_return_val_if_fail (envp != NULL, FALSE);

  for (guint i = 0; others[i] != NULL; i++)
    if (g_environ_getenv ((char **) envp, others[i]) != NULL)
      return FALSE;
  if (sonde_proxy_resolver_is_imposed (envp))
    return FALSE;
  return sysconfig == NULL || !g_file_test (sysconfig, G_FILE_TEST_EXISTS);
}

/* The proxy ENVP names for URLs of SCHEME as a URL GIO takes (credentials kept in it only for
 * SOCKS, as with a custom proxy), and the credentials written in it; NULL without one, or
 * with ERROR set when it is not a proxy URL. A value without a scheme is http://, as curl
 * reads it; https_proxy is for https:// and wss://, http_proxy for the rest, and for those
 * too when https_proxy is not set. */
static char *
environment_proxy (const char * const  *envp,
                   const char          *scheme,
                   char               **user,
                   char               **password,
                   GError             **error)
{
  static const char * const http_names[] = { "http_proxy", "HTTP_PROXY", NULL };
  static const char * const https_names[] = { "https_proxy", "HTTPS_PROXY", NULL };
  const char *name = NULL;
  const char *value = NULL;
  g_autofree char *url = NULL;
  g_autofree char *url_user = NULL;
  g_autofree char *url_password = NULL;
  g_autoptr(GUri) uri = NULL;
  char *proxy;

  if (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0)
    value = environ_get_first (envp, https_names, &name);
  if (value == NULL)
    value = environ_get_first (envp, http_names, &name);
  if (value == NULL)
    return NULL;

  url = g_strstrip (g_strdup (value));
  if (*url != '\0' && strstr (url, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("http://", url, NULL);

      g_free (url);
      url = with_scheme;
    }
  uri = parse_proxy_url (url, &url_user, &url_password, error);
  if (uri == NULL)
    {
      /* %s is an environment variable, such as http_proxy */
      g_prefix_error (error, _("%s (from the environment): "), name);
      return NULL;
    }
  proxy = proxy_url_for_gio (uri, url_user, url_password);
  if (user != NULL)
    *user = g_steal_pointer (&url_user);
  if (password != NULL)
    *password = g_steal_pointer (&url_password);
  return proxy;
}

GProxyResolver *
sonde_proxy_resolver_new_for_environment (const char * const  *envp,
                                          GError             **error)
{
  static const char * const no_proxy_names[] = { "no_proxy", "NO_PROXY", NULL };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *http = NULL;
  g_autofree char *https = NULL;
  g_auto(GStrv) hosts = NULL;
  g_autoptr(GPtrArray) ignore_hosts = g_ptr_array_new_with_free_func (g_free);
  const char *no_proxy;
  GProxyResolver *resolver;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  http = environment_proxy (envp, "http", NULL, NULL, &local_error);
  if (local_error == NULL)
    https = environment_proxy (envp, "https", NULL, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (http == NULL && https == NULL)
    return NULL;

  no_proxy = environ_get_first (envp, no_proxy_names, NULL);
  hosts = g_strsplit (no_proxy != NULL ? no_proxy : "", ",", -1);
  for (guint i = 0; hosts[i] != NULL; i++)
    {
      char *host = g_strstrip (hosts[i]);

      if (g_str_equal (host, "*"))
        return NULL;
      if (*host != '\0')
        g_ptr_array_add (ignore_hosts, g_strdup (host));
    }
  g_ptr_array_add (ignore_hosts, NULL);

  /* Without any http_proxy, plain http:// goes direct; https_proxy takes https:// and wss://. */
  resolver = g_simple_proxy_resolver_new (http, (char **) ignore_hosts->pdata);
  if (https != NULL && g_strcmp0 (https, http) != 0)
    {
      g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "https", https);
      g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "wss", https);
    }
  return resolver;
}

gboolean
sonde_proxy_environment_credentials (const char * const  *envp,
                                     const char          *scheme,
                                     char               **user,
                                     char               **password)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (scheme != NULL, FALSE);
  g_return_val_if_fail (user != NULL && password != NULL, FALSE);

  *user = NULL;
  *password = NULL;
  url = environment_proxy (envp, scheme, user, password, NULL);
  if (url == NULL || *user == NULL || **user == '\0')
    {
      g_clear_pointer (user, g_free);
      g_clear_pointer (password, g_free);
      return FALSE;
    }
  return TRUE;
}

/* Decided once, before any thread (sonde_proxy_init_process ()). */
static gboolean system_from_environment;
static GProxyResolver *environment_resolver;
static char *environment_error;

void
sonde_proxy_init_process (void)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;

  g_clear_object (&environment_resolver);
  g_clear_pointer (&environment_error, g_free);
  system_from_environment = sonde_proxy_environment_decides ((const char * const *) envp,
                                                             "/etc/sysconfig/proxy");
  if (!system_from_environment)
    return;
  environment_resolver = sonde_proxy_resolver_new_for_environment ((const char * const *) envp, &error);
  if (error != NULL)
    environment_error = g_strdup (error->message);
}

GProxyResolver *
sonde_proxy_get_system_resolver (void)
{
  if (system_from_environment)
    return environment_resolver;
  return g_proxy_resolver_get_default ();
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
      /* The environment's proxy cannot be used: say so rather than go direct. */
      if (system_from_environment && environment_error != NULL)
        {
          g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL, environment_error);
          return FALSE;
        }
      soup_session_set_proxy_resolver (session, sonde_proxy_get_system_resolver ());
      return TRUE;
    }

  uri = parse_proxy_url (sonde_request_options_get_proxy_url (options), &url_user, &url_password, error);
  if (uri == NULL)
    return FALSE;

  get_credentials (options, url_user, url_password, &user, &password);
  proxy_url = proxy_url_for_gio (uri, user, password);

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

gboolean
sonde_proxy_may_be_used (SondeRequestOptions *options)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (options), FALSE);

  switch (sonde_request_options_get_proxy_mode (options))
    {
    case SONDE_PROXY_NONE:
      return FALSE;
    case SONDE_PROXY_CUSTOM:
      return TRUE;
    case SONDE_PROXY_SYSTEM:
    default:
      /* GIO's resolver is never NULL (and is not made here). */
      return !system_from_environment || environment_resolver != NULL;
    }
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

  /* Credentials may be written in the custom URL, or in the environment's. */
  if (sonde_request_options_get_proxy_mode (options) == SONDE_PROXY_CUSTOM)
    {
      GUri *uri = parse_proxy_url (sonde_request_options_get_proxy_url (options),
                                   &url_user, &url_password, NULL);

      g_clear_pointer (&uri, g_uri_unref);
    }
  else if (sonde_request_options_get_proxy_mode (options) == SONDE_PROXY_SYSTEM && system_from_environment)
    {
      g_auto(GStrv) envp = g_get_environ ();

      sonde_proxy_environment_credentials ((const char * const *) envp,
                                           g_uri_get_scheme (soup_message_get_uri (msg)),
                                           &url_user, &url_password);
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
