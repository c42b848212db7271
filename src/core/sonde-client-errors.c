/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error messages: what went wrong in words a person understands, naming the
 * proxy, the certificate or the timeout that caused it.
 * See docs/architecture.md, "Engine rules". */
#define G_LOG_DOMAIN "sonde-client"

#include "config.h"

#include "sonde-client-private.h"

/* Error messages */

static char *
describe_tls_errors (GTlsCertificateFlags flags)
{
  GString *text = g_string_new (NULL);
  struct { GTlsCertificateFlags flag; const char *what; } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("it is not signed by a known authority") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it does not match the server's name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("its algorithm is insecure") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if ((flags & reasons[i].flag) == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, _(reasons[i].what));
    }
  if (text->len == 0)
    g_string_append (text, _("it could not be verified"));

  return g_string_free (text, FALSE);
}

static char *
client_certificate_name (Send *send)
{
  const char *pkcs12 = sonde_request_options_get_client_pkcs12 (send->options);
  g_autoptr(GFile) file = NULL;

  file = sonde_request_resolve_path (send->request, pkcs12 != NULL && pkcs12[0] != '\0'
                                                    ? pkcs12 : sonde_request_options_get_client_cert (send->options));
  return g_file_get_parse_name (file);
}

/* A handshake that a server ended over the client certificate. */
static GError *
explain_client_certificate_error (Send   *send,
                                  GError *error)
{
  g_autofree char *name = NULL;
  GError *explained;

  if (send->client_certificate == NULL)
    {
      if (!g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED) &&
          !(send->certificate_requested && error->domain == G_TLS_ERROR))
        return error;
      explained = g_error_new (SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TLS,
                               _("The server requires a client certificate: set one in the request's TLS options"));
      g_error_free (error);
      return explained;
    }

  /* Servers say no with an alert, or by closing the connection mid-handshake. */
  if (!(error->domain == G_TLS_ERROR && !g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE)) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    return error;
  if (send->msg == NULL || soup_message_get_tls_peer_certificate (send->msg) == NULL)
    {
      /* Not even past the server's certificate: nothing to do with ours. */
      if (error->domain != G_TLS_ERROR)
        return error;
    }

  name = client_certificate_name (send);
  explained = g_error_new (SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TLS,
                           _("The server rejected the client certificate “%s”: %s"), name, error->message);
  g_error_free (error);
  return explained;
}

/* The custom proxy that carries requests to the send's URL (not in the no-proxy list),
 * without credentials; NULL when none does. */
static char *
custom_proxy_for (Send *send)
{
  GProxyResolver *resolver;
  g_auto(GStrv) proxies = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GUri) proxy = NULL;

  if (sonde_request_options_get_proxy_mode (send->options) != SONDE_PROXY_CUSTOM || send->session == NULL)
    return NULL;
  resolver = soup_session_get_proxy_resolver (send->session);
  if (resolver == NULL)
    return NULL;

  /* A GSimpleProxyResolver only matches strings: no I/O here. */
  uri = g_uri_to_string (send->uri);
  proxies = g_proxy_resolver_lookup (resolver, uri, NULL, NULL);
  if (proxies == NULL || proxies[0] == NULL || g_str_equal (proxies[0], "direct://"))
    return NULL;
  proxy = g_uri_parse (proxies[0], G_URI_FLAGS_NONE, NULL);
  if (proxy == NULL)
    return NULL;
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (proxy), g_uri_get_host (proxy), g_uri_get_port (proxy));
}

/* Failures to reach or pass the proxy name the proxy, not the server behind it. TRUE when
 * *ERROR was rewritten. */
static gboolean
explain_proxy_error (Send    *send,
                     GError **error_inout)
{
  GError *error = *error_inout;
  g_autofree char *proxy = custom_proxy_for (send);
  GError *explained;

  /* GIO's SOCKS client reports credentials problems itself. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_AUTH_FAILED))
    explained = proxy != NULL
      ? g_error_new (SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH,
                     _("SOCKS proxy authentication failed at %s: check the proxy username and password"), proxy)
      : g_error_new_literal (SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH,
                             _("Proxy authentication failed: check the proxy username and password"));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_NEED_AUTH))
    explained = proxy != NULL
      ? g_error_new (SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH,
                     _("The SOCKS proxy %s requires authentication: set a proxy username and password"), proxy)
      : g_error_new_literal (SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH,
                             _("The proxy requires authentication: set a proxy username and password"));
  else if (proxy != NULL && send->proxy_negotiating &&
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    explained = g_error_new (error->domain, error->code,
                             _("The proxy %s could not connect to %s port %d: the connection was refused. Is the server running?"),
                             proxy, g_uri_get_host (send->uri), sonde_client_uri_port (send->uri));
  else if (proxy != NULL && send->proxy_negotiating &&
           (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED)))
    /* The SOCKS proxy is up; it reports what happened beyond it. */
    explained = g_error_new (error->domain, error->code,
                             _("The proxy %s could not connect to %s port %d: %s"),
                             proxy, g_uri_get_host (send->uri), sonde_client_uri_port (send->uri), error->message);
  else if (proxy != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    explained = g_error_new (error->domain, error->code,
                             _("Could not connect to the proxy %s: the connection was refused. Is the proxy running?"),
                             proxy);
  else if (proxy != NULL &&
           (error->domain == G_RESOLVER_ERROR ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
    explained = g_error_new (error->domain, error->code,
                             _("Could not connect to the proxy %s: %s"), proxy, error->message);
  else
    return FALSE;

  g_error_free (error);
  *error_inout = explained;
  return TRUE;
}

/* Rewrites transport errors into sentences that say what to check, keeping the GIO
 * domain and code so callers can still tell them apart. */
GError *
sonde_client_explain_error (Send   *send,
               GError *error)
{
  const char *host = g_uri_get_host (send->uri);
  int port = sonde_client_uri_port (send->uri);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (send->connect_timed_out)
        {
          g_error_free (error);
          return g_error_new (SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT,
                              _("Could not connect to %s port %d within %g seconds"), host, port,
                              sonde_request_options_get_connect_timeout (send->options));
        }
      if (send->timed_out)
        {
          g_error_free (error);
          return g_error_new (SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT,
                              _("The request timed out after %g seconds"),
                              sonde_request_options_get_timeout (send->options));
        }
      return error;
    }

  if (explain_proxy_error (send, &error))
    return error;

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    {
      GError *explained = g_error_new (error->domain, error->code,
                                       _("Could not find the server “%s”: check the address"), host);
      g_error_free (error);
      return explained;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      GError *explained = g_error_new (error->domain, error->code,
                                       _("Could not connect to %s port %d: the connection was refused. Is the server running?"),
                                       host, port);
      g_error_free (error);
      return explained;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      GError *explained = g_error_new (error->domain, error->code,
                                       _("The connection to %s port %d timed out"), host, port);
      g_error_free (error);
      return explained;
    }

  if ((error = explain_client_certificate_error (send, error)) == NULL ||
      error->domain == SONDE_CLIENT_ERROR)
    return error;

  if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags = send->msg ? soup_message_get_tls_peer_certificate_errors (send->msg) : 0;
      GError *explained;

      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) || flags != 0)
        {
          g_autofree char *reasons = describe_tls_errors (flags);

          explained = g_error_new (error->domain, error->code,
                                   _("The server's certificate is not trusted: %s"), reasons);
        }
      else
        explained = g_error_new (error->domain, error->code,
                                 _("The secure connection to %s failed: %s"), host, error->message);
      g_error_free (error);
      return explained;
    }

  /* What a broken or hostile server does, in words that say it is the server's doing. */
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING))
    {
      GError *explained = g_error_new (error->domain, error->code,
                                       _("The server at %s did not answer with valid HTTP"), host);
      g_error_free (error);
      return explained;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    {
      GError *explained;

      /* libsoup's words when a header line or the headers pass its limit (64 KB). */
      if (strstr (error->message, "Header too big") != NULL)
        explained = g_error_new (error->domain, error->code,
                                 _("The server at %s sent response headers too large to read"), host);
      else
        explained = g_error_new (error->domain, error->code,
                                 _("The server at %s closed the connection before its response was complete"), host);
      g_error_free (error);
      return explained;
    }

  g_prefix_error (&error, _("Could not send the request to %s: "), host);
  return error;
}

void
sonde_client_return_error (GTask  *task,
              GError *error)
{
  Send *send = g_task_get_task_data (task);

  g_task_return_error (task, sonde_client_explain_error (send, error));
}
