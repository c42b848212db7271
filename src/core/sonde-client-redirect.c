/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Redirects: which origin gets credentials, which method and body survive a
 * 301/302/303/307/308, and the next message of the chain.
 * See docs/architecture.md, "Engine rules". */
#define G_LOG_DOMAIN "sonde-client"

#include "config.h"

#include "sonde-client-private.h"

/* Origins and redirects */

int
sonde_client_uri_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         sonde_client_uri_port (a) == sonde_client_uri_port (b);
}

gboolean
sonde_client_is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Redirects */

gboolean
sonde_client_follow_redirect (Send    *send,
                 GError **error)
{
  guint status = soup_message_get_status (send->msg);
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (send->msg), "Location");
  int max_redirects = sonde_request_options_get_max_redirects (send->options);
  g_autoptr(GUri) target = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *current = g_uri_to_string (send->uri);

  sonde_response_add_redirect (send->response, status, current);

  if (max_redirects < 0)
    max_redirects = DEFAULT_MAX_REDIRECTS;
  if (send->response->redirects->len > (guint) max_redirects)
    {
      g_set_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TOO_MANY_REDIRECTS,
                   g_dngettext (GETTEXT_PACKAGE, "Stopped after %d redirect: the server keeps redirecting",
                                "Stopped after %d redirects: the server keeps redirecting", max_redirects),
                   max_redirects);
      return FALSE;
    }

  target = g_uri_parse_relative (send->uri, location, SOUP_HTTP_URI_FLAGS, &local_error);
  if (target == NULL)
    {
      g_set_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_BAD_REDIRECT,
                   _("The server redirected to “%s”, which is not a valid URL"), location);
      return FALSE;
    }
  if (!sonde_client_is_http_scheme (g_uri_get_scheme (target)))
    {
      g_set_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_BAD_REDIRECT,
                   _("The server redirected to “%s”: only http:// and https:// addresses are followed"),
                   location);
      return FALSE;
    }
  if (!sonde_client_has_valid_host (target))
    {
      g_set_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_BAD_REDIRECT,
                   _("The server redirected to “%s”, which has no valid host"), location);
      return FALSE;
    }

  /* RFC 9110 §15.4: 301/302 turn POST into GET (as every browser does), 303 turns
   * anything but HEAD into GET; 307/308 repeat the request as it was. */
  if (((status == 301 || status == 302) && g_ascii_strcasecmp (send->method, "POST") == 0) ||
      (status == 303 && g_ascii_strcasecmp (send->method, "HEAD") != 0 &&
       g_ascii_strcasecmp (send->method, "GET") != 0))
    {
      g_free (send->method);
      send->method = g_strdup ("GET");
      send->body_dropped = send->body_dropped || send->body != NULL;
      g_clear_pointer (&send->body, sonde_client_body_source_free);
    }

  g_clear_pointer (&send->uri, g_uri_unref);
  send->uri = g_steal_pointer (&target);
  send->send_credentials = same_origin (send->uri, send->origin_uri);
  return TRUE;
}

void
sonde_client_redirect_body_closed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  sonde_client_send_message (task);
}
