/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The WebSocket handshake: a request's GET with everything a send has (headers, cookies,
 * auth, proxy, TLS and client certificate, timeouts), made by soup_session_websocket_connect_async
 * instead of soup_session_send_async. See docs/architecture.md, "WebSocket". */
#define G_LOG_DOMAIN "sonde-client"

#include "config.h"

#include "sonde-client-private.h"

/* URI with SCHEME and USERINFO instead of its own */
static GUri *
with_scheme (GUri       *uri,
             const char *scheme,
             const char *userinfo)
{
  return g_uri_build (g_uri_get_flags (uri), scheme, userinfo, g_uri_get_host (uri), g_uri_get_port (uri),
                      g_uri_get_path (uri), g_uri_get_query (uri), NULL);
}

/* The ws:// form of an http:// URL: what the person wrote, shown in the log and viewer. */
static char *
websocket_url (GUri *uri)
{
  g_autoptr(GUri) ws = with_scheme (uri, g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? "wss" : "ws",
                                    NULL);

  return g_uri_to_string (ws);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  SondeWebsocket *websocket;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (connection == NULL)
    {
      guint status = send->msg != NULL ? soup_message_get_status (send->msg) : 0;

      /* libsoup 3.2 tunnels only TLS through an HTTP proxy: a ws:// handshake reaches the
       * proxy as a plain request, which most proxies refuse */
      if (error->domain == SOUP_WEBSOCKET_ERROR && status >= 200 &&
          sonde_request_options_get_proxy_mode (send->options) == SONDE_PROXY_CUSTOM &&
          g_ascii_strcasecmp (g_uri_get_scheme (send->uri), "http") == 0)
        g_task_return_new_error (task, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_FAILED,
                                 _("The answer was %u %s instead of a WebSocket: a ws:// connection goes to "
                                   "the proxy as a plain request, which proxies often refuse; wss:// goes "
                                   "through the proxy’s tunnel"),
                                 status, soup_message_get_reason_phrase (send->msg));
      else if (error->domain == SOUP_WEBSOCKET_ERROR && status >= 200)
        g_task_return_new_error (task, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_FAILED,
                                 _("The server answered %u %s instead of opening a WebSocket: is this "
                                   "the WebSocket URL?"),
                                 status, soup_message_get_reason_phrase (send->msg));
      else if (error->domain == SOUP_WEBSOCKET_ERROR)
        g_task_return_new_error (task, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_FAILED,
                                 _("The server’s WebSocket handshake is not valid: %s"), error->message);
      else
        sonde_client_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  sonde_client_store_cookies (send);
  sonde_response_take_message (send->response, send->msg);
  /* send->uri: without an OAuth 2.0 token the query may have carried */
  g_free (send->response->url);
  send->response->url = websocket_url (send->uri);
  sonde_client_fill_timings (send);

  websocket = sonde_websocket_new (G_OBJECT (connection), send->response, send->keepalive);
  g_task_return_pointer (task, websocket, g_object_unref);
  g_object_unref (task);
}

void
sonde_client_websocket_handshake (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  /* libsoup adds the Upgrade, Connection, Sec-WebSocket-Key, -Version and -Protocol headers. */
  soup_session_websocket_connect_async (send->session, send->msg, NULL, send->subprotocols,
                                        G_PRIORITY_DEFAULT, send->cancellable, connected_cb, task);
}

/* The ws:// or wss:// URL of a WebSocket request as the http:// or https:// one the handshake
 * is sent to: the rest of the client (cookies, TLS, sessions, AWS) knows those. */
GUri *
sonde_client_websocket_http_uri (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  if (g_ascii_strcasecmp (scheme, "ws") != 0 && g_ascii_strcasecmp (scheme, "wss") != 0)
    return g_uri_ref (uri);
  return with_scheme (uri, g_ascii_strcasecmp (scheme, "wss") == 0 ? "https" : "http", g_uri_get_userinfo (uri));
}
