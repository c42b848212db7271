/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-response"

#include "config.h"

#include "sonde-key-value.h"
#include "sonde-response-private.h"
#include "sonde-tls.h"

G_DEFINE_FINAL_TYPE (SondeResponse, sonde_response, G_TYPE_OBJECT)

static void
redirect_free (SondeRedirect *redirect)
{
  g_free (redirect->url);
  g_strfreev (redirect->dropped);
  g_free (redirect);
}

static void
append_header_row (const char *name,
                   const char *value,
                   gpointer    user_data)
{
  g_autoptr(SondeKeyValue) row = sonde_key_value_new (name, value, TRUE);

  g_list_store_append (user_data, row);
}

static void
append_wire_header (const char *name,
                    const char *value,
                    gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
append_header_row_but_host (const char *name,
                            const char *value,
                            gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "Host") != 0)
    append_header_row (name, value, user_data);
}

static GListStore *
ensure_headers (SondeResponse *self)
{
  if (self->headers == NULL)
    {
      self->headers = sonde_key_value_list_new ();
      if (self->wire_headers != NULL)
        soup_message_headers_foreach (self->wire_headers, append_header_row, self->headers);
      g_clear_pointer (&self->wire_headers, soup_message_headers_unref);
    }
  return self->headers;
}

/* Host first and once: libsoup stores it in the message's headers before writing them,
 * or writes it from the URI. */
static GListStore *
ensure_request_headers (SondeResponse *self)
{
  if (self->request_headers == NULL)
    {
      const char *host = self->request_host;

      self->request_headers = sonde_key_value_list_new ();
      if (self->wire_request_headers != NULL)
        {
          const char *stored = soup_message_headers_get_one (self->wire_request_headers, "Host");

          if (stored != NULL)
            host = stored;
        }
      if (host != NULL)
        append_header_row ("Host", host, self->request_headers);
      if (self->wire_request_headers != NULL)
        soup_message_headers_foreach (self->wire_request_headers, append_header_row_but_host,
                                      self->request_headers);
      g_clear_pointer (&self->wire_request_headers, soup_message_headers_unref);
      g_clear_pointer (&self->request_host, g_free);
    }
  return self->request_headers;
}

static void
sonde_response_finalize (GObject *object)
{
  SondeResponse *self = SONDE_RESPONSE (object);

  g_free (self->reason);
  g_free (self->http_version);
  g_free (self->method);
  g_free (self->url);
  g_free (self->content_type);
  g_clear_pointer (&self->redirects, g_ptr_array_unref);
  g_clear_pointer (&self->wire_headers, soup_message_headers_unref);
  g_clear_object (&self->headers);
  g_clear_pointer (&self->cookies, g_ptr_array_unref);
  g_clear_pointer (&self->cookie_urls, g_ptr_array_unref);
  g_clear_pointer (&self->wire_request_headers, soup_message_headers_unref);
  g_free (self->request_host);
  g_clear_object (&self->request_headers);
  g_clear_object (&self->body);
  g_clear_object (&self->output);
  g_free (self->body_warning);
  g_clear_object (&self->peer_certificate);
  g_free (self->tls_cipher);
  g_free (self->remote_address);

  G_OBJECT_CLASS (sonde_response_parent_class)->finalize (object);
}

static void
sonde_response_class_init (SondeResponseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sonde_response_finalize;
}

static void
sonde_response_init (SondeResponse *self)
{
  self->redirects = g_ptr_array_new_with_free_func ((GDestroyNotify) redirect_free);
  self->cookies = g_ptr_array_new_with_free_func ((GDestroyNotify) soup_cookie_free);
  self->cookie_urls = g_ptr_array_new_with_free_func (g_free);
  self->timings = (SondeTimings) {
    .redirects = -1, .queued = -1, .dns = -1, .connect = -1, .tls = -1,
    .request_sent = -1, .first_byte = -1, .download = -1, .finishing = -1, .total = -1,
  };
}

SondeResponse *
sonde_response_new (void)
{
  return g_object_new (SONDE_TYPE_RESPONSE, NULL);
}

void
sonde_response_add_redirect (SondeResponse *self,
                             guint          status,
                             const char    *url)
{
  SondeRedirect *redirect = g_new0 (SondeRedirect, 1);

  redirect->status = status;
  redirect->url = g_strdup (url);
  g_ptr_array_add (self->redirects, redirect);
}

static const char *
http_version_string (SoupHTTPVersion version)
{
  switch (version)
    {
    case SOUP_HTTP_1_0:
      return "HTTP/1.0";
    case SOUP_HTTP_1_1:
      return "HTTP/1.1";
    case SOUP_HTTP_2_0:
      return "HTTP/2";
    default:
      return "HTTP";
    }
}

static char *
describe_address (GSocketAddress *address)
{
  g_autofree char *ip = NULL;
  GInetAddress *inet;
  guint16 port;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  ip = g_inet_address_to_string (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", ip, port);
  return g_strdup_printf ("%s:%u", ip, port);
}

/* describe_address (), for the address object last described again: a connection answers
 * each of its requests with the same one (which the cache holds, so it cannot be another). */
static char *
describe_address_cached (GSocketAddress *address)
{
  G_LOCK_DEFINE_STATIC (last);
  static GSocketAddress *last_address;
  static char *last_text;
  char *text;

  G_LOCK (last);
  if (address != last_address)
    {
      g_set_object (&last_address, address);
      g_free (last_text);
      last_text = describe_address (address);
    }
  text = g_strdup (last_text);
  G_UNLOCK (last);
  return text;
}

void
sonde_response_add_cookie (SondeResponse *self,
                           SoupCookie    *cookie,
                           const char    *url)
{
  g_ptr_array_add (self->cookies, soup_cookie_copy (cookie));
  g_ptr_array_add (self->cookie_urls, g_strdup (url));
}

void
sonde_response_take_message (SondeResponse *self,
                             SoupMessage   *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  GUri *uri = soup_message_get_uri (msg);
  const char *content_type;

  self->status = soup_message_get_status (msg);
  self->reason = g_strdup (soup_message_get_reason_phrase (msg));
  self->http_version = g_strdup (http_version_string (soup_message_get_http_version (msg)));
  self->method = g_strdup (soup_message_get_method (msg));
  self->url = g_uri_to_string (uri);

  g_clear_object (&self->headers);
  g_clear_pointer (&self->wire_headers, soup_message_headers_unref);
  self->wire_headers = soup_message_headers_ref (headers);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  self->content_type = g_strdup (content_type);

  self->is_tls = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0;
  if (self->is_tls)
    {
      GTlsCertificate *certificate = soup_message_get_tls_peer_certificate (msg);

      self->tls_errors = soup_message_get_tls_peer_certificate_errors (msg);
      self->peer_certificate = certificate ? g_object_ref (certificate) : NULL;
      self->tls_protocol = soup_message_get_tls_protocol_version (msg);
      self->tls_cipher = g_strdup (soup_message_get_tls_ciphersuite_name (msg));
      self->tls_verified = self->tls_errors == 0;
    }

  self->remote_address = describe_address_cached (soup_message_get_remote_address (msg));
}

guint
sonde_response_get_status (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), 0);
  return self->status;
}

const char *
sonde_response_get_reason (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->reason;
}

const char *
sonde_response_get_http_version (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->http_version;
}

const char *
sonde_response_get_method (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->method;
}

const char *
sonde_response_get_url (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->url;
}

/**
 * sonde_response_get_redirects:
 *
 * Returns: (transfer none) (element-type SondeRedirect): the redirects followed, in order
 */
GPtrArray *
sonde_response_get_redirects (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->redirects;
}

GListModel *
sonde_response_get_headers (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return G_LIST_MODEL (ensure_headers (self));
}

static const char *
find_header (GListModel *list,
             const char *name)
{
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (list, i);

      /* The row stays alive in the list after our reference goes. */
      if (g_ascii_strcasecmp (sonde_key_value_get_name (row), name) == 0)
        return sonde_key_value_get_value (row);
    }

  return NULL;
}

const char *
sonde_response_get_header (SondeResponse *self,
                           const char    *name)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return find_header (G_LIST_MODEL (ensure_headers (self)), name);
}

const char *
sonde_response_get_content_type (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->content_type;
}

/**
 * sonde_response_get_cookies:
 *
 * Returns: (transfer none) (element-type SoupCookie): cookies from the Set-Cookie headers
 *   of every response along redirects, in order; sonde_response_get_cookie_url () says which
 */
GPtrArray *
sonde_response_get_cookies (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->cookies;
}

const char *
sonde_response_get_cookie_url (SondeResponse *self,
                               guint          index)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  g_return_val_if_fail (index < self->cookie_urls->len, NULL);
  return g_ptr_array_index (self->cookie_urls, index);
}

GListModel *
sonde_response_get_request_headers (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return G_LIST_MODEL (ensure_request_headers (self));
}

void
sonde_response_set_request_headers (SondeResponse      *self,
                                    SoupMessageHeaders *headers,
                                    const char         *host)
{
  /* A copy: libsoup changes the message's own on a redirect or an auth retry. */
  g_clear_object (&self->request_headers);
  g_clear_pointer (&self->wire_request_headers, soup_message_headers_unref);
  self->wire_request_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (headers, append_wire_header, self->wire_request_headers);
  g_free (self->request_host);
  self->request_host = g_strdup (host);
}

SondeBodyStore *
sonde_response_get_body (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->body;
}

GFile *
sonde_response_get_output (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->output;
}

guint64
sonde_response_get_body_size (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), 0);
  return self->body_size;
}

guint64
sonde_response_get_body_wire_size (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), 0);
  return self->body_wire_size;
}

guint64
sonde_response_get_header_size (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), 0);
  return self->header_size;
}

gboolean
sonde_response_get_body_truncated (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), FALSE);
  return self->body_truncated;
}

const char *
sonde_response_get_body_warning (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->body_warning;
}

const SondeTimings *
sonde_response_get_timings (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return &self->timings;
}

gboolean
sonde_response_get_is_tls (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), FALSE);
  return self->is_tls;
}

gboolean
sonde_response_get_tls_verified (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), FALSE);
  return self->tls_verified;
}

GTlsCertificateFlags
sonde_response_get_tls_errors (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), 0);
  return self->tls_errors;
}

GTlsCertificate *
sonde_response_get_peer_certificate (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->peer_certificate;
}

/**
 * sonde_response_get_tls_chain:
 *
 * Returns: (transfer container) (element-type SondeTlsCertificateInfo): the peer's
 *   certificate chain, leaf first; empty without TLS
 */
GPtrArray *
sonde_response_get_tls_chain (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return sonde_tls_describe_chain (self->peer_certificate);
}

GTlsProtocolVersion
sonde_response_get_tls_protocol (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), G_TLS_PROTOCOL_VERSION_UNKNOWN);
  return self->tls_protocol;
}

const char *
sonde_response_get_tls_cipher (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->tls_cipher;
}

const char *
sonde_response_get_remote_address (SondeResponse *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE (self), NULL);
  return self->remote_address;
}
