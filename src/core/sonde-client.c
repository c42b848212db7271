/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-client"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "sonde-client.h"
#include "sonde-collection-private.h"
#include "sonde-error.h"
#include "sonde-request-io.h"
#include "sonde-file-access.h"
#include "sonde-multipart-stream.h"
#include "sonde-proxy.h"
#include "sonde-response-private.h"
#include "sonde-secret-heuristics.h"
#include "sonde-tls.h"

/* Big reads: fewer main loop turns and, when saving to a file, fewer worker-thread writes
 * (local files are not pollable). 1 GiB: 64 KiB took ~1.8-3 s, 1 MiB ~0.85 s, like curl. */
#define READ_CHUNK_SIZE (1024 * 1024)
#define DEFAULT_MAX_REDIRECTS 10

struct _SondeClient
{
  GObject           parent_instance;

  /* One session per connection setup (proxy, CA file, client certificate, verification):
   * libsoup reuses connections within a session, and a connection keeps the TLS it was
   * opened with. Keys from session_key (). */
  GHashTable       *sessions;     /* char* -> SessionEntry* */
  SondeCookieStore *cookie_store;
  gsize             memory_threshold;
  guint64           default_max_body_size;
  SondeRequestOptions *default_options; /* what a request that sets nothing gets, or NULL */
};

typedef struct
{
  SoupSession     *session;
  GTlsCertificate *client_certificate;  /* NULL: none configured */
} SessionEntry;

G_DEFINE_FINAL_TYPE (SondeClient, sonde_client, G_TYPE_OBJECT)

/* What a request body is made from; opened again for every attempt, since libsoup drops
 * the stream when it restarts a message (auth) and redirects may resend it. */
typedef struct
{
  char                 *content_type;
  GBytes               *bytes;
  GFile                *file;
  SondeMultipartStream *multipart;  /* a template, never read itself */
  goffset               length;
} BodySource;

/* One send, from the first message through redirects to the last body byte. */
typedef struct
{
  SondeClient         *client;        /* borrowed: the task holds a reference */
  SondeRequest        *request;
  SondeRequestOptions *options;       /* borrowed from request */
  SoupSession         *session;
  char                *session_key;
  GTlsDatabase        *tls_database;  /* loaded for a new session */
  GTlsCertificate     *client_certificate;
  SoupCookieJar       *jar;           /* the client's store's, or one for this send only */
  gboolean             certificate_requested;

  /* What to send now; changes along redirects. */
  char                *method;
  GUri                *uri;
  GUri                *origin_uri;    /* credentials only ever go back here */
  BodySource          *body;          /* NULL: no body */
  gboolean             body_dropped;  /* by a 301/302/303 redirect */
  gboolean             send_credentials;

  SoupMessage         *msg;
  gboolean             auth_answered;
  gboolean             proxy_negotiating;  /* a SOCKS proxy answered: refusals are the target's */
  guint64              upload_done;
  gint64               started_at;
  gint64               wrote_body_at;

  /* Cancellation: the caller's cancellable and the timers both cancel ours. */
  GCancellable        *cancellable;
  GCancellable        *caller_cancellable;
  gulong               caller_cancelled_id;
  guint                timeout_id;
  guint                connect_timeout_id;
  gboolean             timed_out;
  gboolean             connect_timed_out;

  /* Response body */
  SondeResponse       *response;
  GInputStream        *body_stream;
  GFile               *output;
  char                *output_tmp_path;
  GOutputStream       *output_stream;
  GBytes              *writing_chunk;  /* being written to output_stream */
  GBytes              *pending_chunk;  /* read, waiting for the write before it */
  gboolean             reading;
  gboolean             read_done;      /* end of the body, or the size cap */
  gboolean             body_failed;
  GError              *body_error;     /* returned once nothing is under way */
  guint64              body_total;
  guint64              max_body_size;
  gboolean             default_cap;   /* max_body_size is the client's default */

  SondeProgressFunc    progress;
  gpointer             progress_data;
  GDestroyNotify       progress_destroy;
} Send;

static void send_message (GTask *task);

static void
body_source_free (BodySource *source)
{
  g_free (source->content_type);
  g_clear_pointer (&source->bytes, g_bytes_unref);
  g_clear_object (&source->file);
  g_clear_object (&source->multipart);
  g_free (source);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BodySource, body_source_free)

static void
disconnect_message (Send *send)
{
  if (send->msg != NULL)
    g_signal_handlers_disconnect_by_data (send->msg, send);
  g_clear_object (&send->msg);
}

static void
send_free (Send *send)
{
  g_clear_handle_id (&send->timeout_id, g_source_remove);
  g_clear_handle_id (&send->connect_timeout_id, g_source_remove);
  if (send->caller_cancelled_id != 0)
    g_cancellable_disconnect (send->caller_cancellable, send->caller_cancelled_id);
  g_clear_object (&send->caller_cancellable);
  g_clear_object (&send->cancellable);
  disconnect_message (send);

  if (send->body_stream != NULL)
    g_input_stream_close (send->body_stream, NULL, NULL);
  g_clear_object (&send->body_stream);

  /* A download that did not finish never replaces the file it was meant for. */
  if (send->output_stream != NULL)
    g_output_stream_close (send->output_stream, NULL, NULL);
  g_clear_object (&send->output_stream);
  g_clear_pointer (&send->writing_chunk, g_bytes_unref);
  g_clear_pointer (&send->pending_chunk, g_bytes_unref);
  g_clear_error (&send->body_error);
  if (send->output_tmp_path != NULL)
    g_unlink (send->output_tmp_path);
  g_free (send->output_tmp_path);
  g_clear_object (&send->output);

  g_clear_object (&send->response);
  g_clear_pointer (&send->body, body_source_free);
  g_clear_pointer (&send->uri, g_uri_unref);
  g_clear_pointer (&send->origin_uri, g_uri_unref);
  g_free (send->method);
  g_clear_object (&send->session);
  g_free (send->session_key);
  g_clear_object (&send->tls_database);
  g_clear_object (&send->client_certificate);
  g_clear_object (&send->jar);
  g_clear_object (&send->request);

  if (send->progress_destroy != NULL)
    send->progress_destroy (send->progress_data);
  g_free (send);
}

/* Request building */

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Percent-encodes everything but unreserved characters; FORM turns spaces into '+'. */
static void
append_encoded (GString    *out,
                const char *text,
                gboolean    form)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (is_unreserved (*p))
        g_string_append_c (out, *p);
      else if (form && *p == ' ')
        g_string_append_c (out, '+');
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
}

static void
append_pair (GString    *out,
             const char *name,
             const char *value,
             gboolean    form)
{
  if (out->len > 0)
    g_string_append_c (out, '&');
  append_encoded (out, name, form);
  g_string_append_c (out, '=');
  append_encoded (out, value, form);
}

static void
append_rows (GString    *out,
             GListModel *rows,
             gboolean    form)
{
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);

      if (sonde_key_value_get_enabled (row))
        append_pair (out, sonde_key_value_get_name (row), sonde_key_value_get_value (row), form);
    }
}

/* A host libsoup can connect to: present, not empty, nothing that would break a request. */
static gboolean
has_valid_host (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  return host != NULL && host[0] != '\0' && strpbrk (host, " \t\r\n\"<>\\^`{|}") == NULL;
}

static gboolean
is_http_scheme (const char *scheme)
{
  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0);
}

/* A URL as people paste it: spaces and non-ASCII bytes after the host are
 * percent-encoded, as a browser does. Control characters (a line break from a variable
 * would split the request line) are refused. NULL with ERROR set. */
static char *
encode_url (const char  *url,
            GError     **error)
{
  g_autofree char *what = sonde_describe_forbidden_char (url);
  const char *host_end;
  const char *scheme_end;
  GString *out;

  if (what != NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("The URL contains %s, which is not allowed"), what);
      return NULL;
    }

  scheme_end = strstr (url, "://");
  host_end = scheme_end != NULL ? strpbrk (scheme_end + 3, "/?#") : NULL;
  if (host_end == NULL)
    return g_strdup (url);

  out = g_string_new_len (url, host_end - url);
  for (const char *p = host_end; *p != '\0'; p++)
    {
      if (*p == ' ' || (guchar) *p >= 0x80)
        g_string_append_printf (out, "%%%02X", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static GUri *
build_uri (SondeRequest  *request,
           GError       **error)
{
  g_autofree char *url = NULL;
  SondeAuth *auth = sonde_request_get_auth (request);
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GString) query = NULL;
  g_autoptr(GError) local_error = NULL;

  url = encode_url (sonde_request_get_url (request) ? sonde_request_get_url (request) : "", error);
  if (url == NULL)
    return NULL;
  parsed = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &local_error);
  if (parsed == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("“%s” is not a valid URL: %s"), url ? url : "", local_error->message);
      return NULL;
    }
  if (!is_http_scheme (g_uri_get_scheme (parsed)))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("“%s” is not an http:// or https:// URL"), url);
      return NULL;
    }
  if (!has_valid_host (parsed))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("The URL “%s” has no valid host"), url);
      return NULL;
    }

  /* The URL's own query stays as written; rows are appended, encoded. */
  query = g_string_new (g_uri_get_query (parsed));
  append_rows (query, G_LIST_MODEL (sonde_request_get_params (request)), FALSE);
  if (sonde_auth_get_kind (auth) == SONDE_AUTH_API_KEY &&
      sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_QUERY)
    append_pair (query, sonde_auth_get_key_name (auth), sonde_auth_get_key_value (auth), FALSE);

  return g_uri_build (g_uri_get_flags (parsed),
                      g_uri_get_scheme (parsed),
                      g_uri_get_userinfo (parsed),
                      g_uri_get_host (parsed),
                      g_uri_get_port (parsed),
                      g_uri_get_path (parsed)[0] != '\0' ? g_uri_get_path (parsed) : "/",
                      query->len > 0 ? query->str : NULL,
                      NULL);
}

char *
sonde_request_build_url (SondeRequest  *request,
                         GError       **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (SONDE_IS_REQUEST (request), NULL);

  uri = build_uri (request, error);
  return uri != NULL ? g_uri_to_string (uri) : NULL;
}

char *
sonde_form_encode (GListModel *rows)
{
  GString *out = g_string_new (NULL);

  append_rows (out, rows, TRUE);
  return g_string_free (out, FALSE);
}

static gboolean
validate_headers (SondeRequest  *request,
                  GError       **error)
{
  GListModel *headers = G_LIST_MODEL (sonde_request_get_headers (request));
  guint n = g_list_model_get_n_items (headers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (headers, i);

      if (!sonde_key_value_get_enabled (row))
        continue;
      if (!sonde_validate_header_name (sonde_key_value_get_name (row), error) ||
          !sonde_validate_header_value (sonde_key_value_get_name (row), sonde_key_value_get_value (row), error))
        return FALSE;
    }

  return TRUE;
}

/* Cookie rows and auth fields become headers too (Cookie, Authorization, the API key's
 * header, Digest's quoted username): checked after expansion like header rows. */
static gboolean
validate_cookies (SondeRequest  *request,
                  GError       **error)
{
  GListModel *cookies = G_LIST_MODEL (sonde_request_get_cookies (request));
  guint n = g_list_model_get_n_items (cookies);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (cookies, i);

      if (sonde_key_value_get_enabled (row) &&
          !sonde_validate_cookie (sonde_key_value_get_name (row), sonde_key_value_get_value (row), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate_auth (SondeAuth  *auth,
               GError    **error)
{
  g_autofree char *what = NULL;

  switch (sonde_auth_get_kind (auth))
    {
    case SONDE_AUTH_BASIC:
    case SONDE_AUTH_DIGEST:
      if ((what = sonde_describe_forbidden_char (sonde_auth_get_username (auth))) != NULL)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                       _("The user name of the authentication contains %s, which is not allowed"), what);
          return FALSE;
        }
      if (sonde_auth_get_kind (auth) == SONDE_AUTH_BASIC &&
          sonde_auth_get_username (auth) != NULL && strchr (sonde_auth_get_username (auth), ':') != NULL)
        {
          g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                               _("The user name of Basic authentication contains “:”, which would make the server read a different user name and password"));
          return FALSE;
        }
      if ((what = sonde_describe_forbidden_char (sonde_auth_get_password (auth))) != NULL)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                       _("The password of the authentication contains %s, which is not allowed"), what);
          return FALSE;
        }
      return TRUE;

    case SONDE_AUTH_BEARER:
      if ((what = sonde_describe_forbidden_char (sonde_auth_get_token (auth))) != NULL)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                       _("The bearer token contains %s, which is not allowed"), what);
          return FALSE;
        }
      return TRUE;

    case SONDE_AUTH_API_KEY:
      /* In a query, the name and the value are percent-encoded like parameters. */
      if (sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_QUERY)
        return TRUE;
      if (!sonde_validate_header_name (sonde_auth_get_key_name (auth), error))
        {
          g_prefix_error (error, _("API key: "));
          return FALSE;
        }
      if ((what = sonde_describe_forbidden_char (sonde_auth_get_key_value (auth))) != NULL)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                       _("The API key value contains %s, which is not allowed"), what);
          return FALSE;
        }
      return TRUE;

    case SONDE_AUTH_NONE:
    case SONDE_AUTH_INHERIT:
    default:
      return TRUE;
    }
}

static const char *
find_request_header (SondeRequest *request,
                     const char   *name)
{
  GListModel *headers = G_LIST_MODEL (sonde_request_get_headers (request));
  guint n = g_list_model_get_n_items (headers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (headers, i);

      if (sonde_key_value_get_enabled (row) &&
          g_ascii_strcasecmp (sonde_key_value_get_name (row), name) == 0)
        return sonde_key_value_get_value (row);
    }

  return NULL;
}

static gboolean
set_file_unreadable (GError     **error,
                     GFile       *file,
                     const char  *reason)
{
  g_autofree char *name = g_file_get_parse_name (file);

  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
               _("Could not read the file “%s”: %s"), name, reason);
  return FALSE;
}

static gboolean
stat_upload_file (GFile    *file,
                  goffset  *size,
                  GError  **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInputStream) probe = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    return set_file_unreadable (error, file, local_error->message);
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return set_file_unreadable (error, file, _("it is not a regular file"));

  /* Opening it is the only sure test that it can be read. */
  probe = g_file_read (file, NULL, &local_error);
  if (probe == NULL)
    return set_file_unreadable (error, file, local_error->message);

  *size = g_file_info_get_size (info);
  return TRUE;
}

static BodySource *
build_body (SondeRequest  *request,
            GError       **error)
{
  SondeBody *body = sonde_request_get_body (request);
  SondeBodyKind kind = sonde_body_get_kind (body);
  const char *header_type = find_request_header (request, "Content-Type");
  const char *content_type = sonde_body_get_content_type (body);
  g_autoptr(BodySource) source = g_new0 (BodySource, 1);

  if (content_type == NULL || content_type[0] == '\0')
    content_type = sonde_body_kind_default_content_type (kind);
  /* A Content-Type header row is what the person asked for: it wins. */
  if (header_type != NULL)
    content_type = header_type;
  source->content_type = g_strdup (content_type);

  switch (kind)
    {
    case SONDE_BODY_NONE:
      return NULL;

    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
      {
        const char *text = sonde_body_get_text (body);

        source->bytes = g_bytes_new (text ? text : "", text ? strlen (text) : 0);
        source->length = g_bytes_get_size (source->bytes);
        break;
      }

    case SONDE_BODY_FORM:
      {
        GString *form = g_string_new (NULL);
        gsize length;

        append_rows (form, G_LIST_MODEL (sonde_body_get_fields (body)), TRUE);
        length = form->len;
        source->bytes = g_string_free_to_bytes (form);
        source->length = length;
        break;
      }

    case SONDE_BODY_MULTIPART:
      {
        GListModel *parts = G_LIST_MODEL (sonde_body_get_parts (body));
        guint n = g_list_model_get_n_items (parts);

        source->multipart = sonde_multipart_stream_new (NULL);
        for (guint i = 0; i < n; i++)
          {
            g_autoptr(SondeBodyPart) part = g_list_model_get_item (parts, i);
            const char *name = sonde_body_part_get_name (part);
            const char *path = sonde_body_part_get_file (part);
            g_autoptr(GFile) file = NULL;

            if (!sonde_body_part_get_enabled (part))
              continue;
            if (path == NULL || path[0] == '\0')
              {
                sonde_multipart_stream_add_text (source->multipart, name ? name : "",
                                                 sonde_body_part_get_value (part));
                continue;
              }
            file = sonde_request_resolve_path (request, path);
            if (!sonde_multipart_stream_add_file (source->multipart, name ? name : "", file,
                                                  sonde_body_part_get_filename (part),
                                                  sonde_body_part_get_content_type (part), error))
              return NULL;
          }
        g_free (source->content_type);
        source->content_type = sonde_multipart_stream_dup_content_type (source->multipart);
        source->length = sonde_multipart_stream_get_length (source->multipart);
        break;
      }

    case SONDE_BODY_FILE:
      {
        const char *path = sonde_body_get_file (body);

        if (path == NULL || path[0] == '\0')
          {
            g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                                 _("The body is a file, but no file is chosen"));
            return NULL;
          }
        source->file = sonde_request_resolve_path (request, path);
        if (!stat_upload_file (source->file, &source->length, error))
          return NULL;
        break;
      }

    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&source);
}

static GInputStream *
body_source_open (BodySource  *source,
                  GError     **error)
{
  if (source->bytes != NULL)
    return g_memory_input_stream_new_from_bytes (source->bytes);
  if (source->multipart != NULL)
    return G_INPUT_STREAM (sonde_multipart_stream_clone (source->multipart));

  /* Not a GFileInputStream: that one is not pollable, and libsoup would then read it in a
   * worker thread, 8 KiB per round trip. The length is the one measured and announced. */
  return G_INPUT_STREAM (sonde_multipart_stream_new_for_file (source->file, source->length));
}

static gboolean
attach_body (Send    *send,
             GError **error)
{
  g_autoptr(GInputStream) stream = NULL;

  if (send->body == NULL)
    return TRUE;

  stream = body_source_open (send->body, error);
  if (stream == NULL)
    return FALSE;

  send->upload_done = 0;
  soup_message_set_request_body (send->msg, send->body->content_type, stream, send->body->length);
  return TRUE;
}

/* Origins and redirects */

static int
uri_port (GUri *uri)
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
         uri_port (a) == uri_port (b);
}

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

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
                             proxy, g_uri_get_host (send->uri), uri_port (send->uri));
  else if (proxy != NULL && send->proxy_negotiating &&
           (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED)))
    /* The SOCKS proxy is up; it reports what happened beyond it. */
    explained = g_error_new (error->domain, error->code,
                             _("The proxy %s could not connect to %s port %d: %s"),
                             proxy, g_uri_get_host (send->uri), uri_port (send->uri), error->message);
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
static GError *
explain_error (Send   *send,
               GError *error)
{
  const char *host = g_uri_get_host (send->uri);
  int port = uri_port (send->uri);

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

static void
return_error (GTask  *task,
              GError *error)
{
  Send *send = g_task_get_task_data (task);

  g_task_return_error (task, explain_error (send, error));
}

/* Timers */

static gboolean
timeout_cb (gpointer user_data)
{
  Send *send = user_data;

  send->timeout_id = 0;
  send->timed_out = TRUE;
  g_cancellable_cancel (send->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  Send *send = user_data;

  send->connect_timeout_id = 0;
  send->connect_timed_out = TRUE;
  g_cancellable_cancel (send->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Message signals */

static void
restarted_cb (SoupMessage *msg,
              Send        *send)
{
  g_autoptr(GError) error = NULL;

  if (!attach_body (send, &error))
    g_warning ("Could not reopen the request body: %s", error->message);
}

static gboolean
authenticate_cb (SoupMessage *msg,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 Send        *send)
{
  SondeAuth *settings = sonde_request_get_auth (send->request);
  SondeAuthKind kind = sonde_auth_get_kind (settings);
  const char *scheme = soup_auth_get_scheme_name (auth);

  /* Proxy credentials come with the proxy options, answered once (sonde-proxy.c). */
  if (soup_auth_is_for_proxy (auth))
    return sonde_proxy_authenticate (send->options, msg, auth, retrying);

  /* Answer once: if the server says no again, the person gets the 401 rather than a loop. */
  if (retrying || send->auth_answered || !send->send_credentials)
    return FALSE;
  if (!((kind == SONDE_AUTH_BASIC && g_ascii_strcasecmp (scheme, "Basic") == 0) ||
        (kind == SONDE_AUTH_DIGEST && g_ascii_strcasecmp (scheme, "Digest") == 0)))
    return FALSE;

  send->auth_answered = TRUE;
  soup_auth_authenticate (auth,
                          sonde_auth_get_username (settings) ? sonde_auth_get_username (settings) : "",
                          sonde_auth_get_password (settings) ? sonde_auth_get_password (settings) : "");
  return FALSE;
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       Send                 *send)
{
  return !sonde_request_options_get_verify_tls (send->options);
}

static gboolean
request_certificate_cb (SoupMessage          *msg,
                        GTlsClientConnection *connection,
                        Send                 *send)
{
  /* Only asked when no certificate is set: the handshake goes on without one, and the
   * server's refusal is explained in explain_error (). */
  send->certificate_requested = TRUE;
  return FALSE;
}

static void
starting_cb (SoupMessage *msg,
             Send        *send)
{
  /* A connection is ready (new or reused): the connect timeout has done its job. */
  g_clear_handle_id (&send->connect_timeout_id, g_source_remove);
}

static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  Send               *send)
{
  /* GIO's SOCKS client got through to the proxy and is talking to it. */
  if (event == G_SOCKET_CLIENT_PROXY_NEGOTIATING)
    send->proxy_negotiating = TRUE;
}

static void
wrote_headers_cb (SoupMessage *msg,
                  Send        *send)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GListStore) sent = sonde_headers_to_list (headers);
  g_autoptr(SondeKeyValue) host = NULL;
  g_autofree char *host_value = NULL;
  GUri *uri = soup_message_get_uri (msg);

  /* libsoup writes Host itself without storing it: show it first, as on the wire. */
  if (g_uri_get_port (uri) > 0 &&
      g_uri_get_port (uri) != (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80))
    host_value = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  else
    host_value = g_strdup (g_uri_get_host (uri));
  host = sonde_key_value_new ("Host", host_value, TRUE);
  g_list_store_insert (sent, 0, host);

  g_clear_object (&send->response->request_headers);
  send->response->request_headers = g_steal_pointer (&sent);
}

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    Send        *send)
{
  send->upload_done += chunk_size;
  if (send->progress != NULL && send->body != NULL)
    send->progress (SONDE_TRANSFER_UPLOAD, send->upload_done, send->body->length, send->progress_data);
}

static void
wrote_body_cb (SoupMessage *msg,
               Send        *send)
{
  send->wrote_body_at = g_get_monotonic_time ();
}

/* Timings */

/* Each phase runs from its own metric point to the next point present, so the phases
 * cover the whole send without gaps or overlaps. Points libsoup did not record (a reused
 * connection has no DNS, connect or TLS) are skipped, as is the DNS point of a host given
 * as an IP address: GSocketClient reports resolving it, though nothing is looked up. */
static void
fill_timings (Send *send)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (send->msg);
  SondeTimings *timings = &send->response->timings;
  gboolean redirected = send->response->redirects->len > 0;
  guint64 now = g_get_monotonic_time ();
  guint64 fetch_start = 0;
  guint64 dns_start = 0;
  guint64 connect_start = 0;
  guint64 tls_start = 0;
  guint64 request_start = 0;
  guint64 response_start = 0;
  guint64 response_end = 0;
  double *phase = NULL;
  guint64 phase_start = 0;

  if (metrics != NULL)
    {
      fetch_start = soup_message_metrics_get_fetch_start (metrics);
      if (!g_hostname_is_ip_address (g_uri_get_host (send->uri)))
        dns_start = soup_message_metrics_get_dns_start (metrics);
      connect_start = soup_message_metrics_get_connect_start (metrics);
      tls_start = soup_message_metrics_get_tls_start (metrics);
      request_start = soup_message_metrics_get_request_start (metrics);
      response_start = soup_message_metrics_get_response_start (metrics);
      response_end = soup_message_metrics_get_response_end (metrics);
      send->response->header_size = soup_message_metrics_get_response_header_bytes_received (metrics);
    }

  {
    const struct { double *phase; guint64 start; } points[] = {
      { &timings->redirects, redirected ? (guint64) send->started_at : 0 },
      { &timings->queued, redirected ? fetch_start : (guint64) send->started_at },
      { &timings->dns, dns_start },
      { &timings->connect, connect_start },
      { &timings->tls, tls_start },
      { &timings->request_sent, request_start },
      { &timings->first_byte, (guint64) MAX (send->wrote_body_at, 0) },
      { &timings->download, response_start },
      { &timings->finishing, response_end },
      { NULL, now },
    };

    for (guint i = 0; i < G_N_ELEMENTS (points); i++)
      {
        /* Out of order would mean a point of an earlier message: not this one's. */
        if (points[i].start == 0 || points[i].start < phase_start)
          continue;
        if (phase != NULL)
          *phase = (points[i].start - phase_start) / 1000.0;
        phase = points[i].phase;
        phase_start = points[i].start;
      }
  }

  timings->total = (now - send->started_at) / 1000.0;
}

/* Response body */

static char *
format_size (guint64 size)
{
  static const struct { guint64 unit; const char *name; } units[] = {
    { G_GUINT64_CONSTANT (1000000000), "GB" }, { 1000000, "MB" }, { 1000, "kB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (size >= units[i].unit && size % units[i].unit == 0)
      return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", size / units[i].unit, units[i].name);

  return g_format_size (size);
}

static void
finish_response (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  SondeResponse *response = send->response;

  fill_timings (send);
  if (send->msg != NULL && soup_message_get_metrics (send->msg) != NULL)
    response->body_wire_size =
      soup_message_metrics_get_response_body_bytes_received (soup_message_get_metrics (send->msg));
  if (!sonde_request_options_get_verify_tls (send->options))
    response->tls_verified = response->is_tls && response->tls_errors == 0;

  g_task_return_pointer (task, g_steal_pointer (&send->response), g_object_unref);
}

static void pump_body (GTask *task);

static void
output_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (send->output);

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      g_clear_object (&send->output_stream);
      g_prefix_error (&error, _("Could not write %s: "), path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&send->output_stream);

  if (g_rename (send->output_tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return;
    }
  g_clear_pointer (&send->output_tmp_path, g_free);

  finish_response (task);
}

static void
body_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);

  /* A stream closed early (size cap) may report an error: what arrived is kept anyway. */
  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  g_clear_object (&send->body_stream);

  if (send->output_stream != NULL)
    g_output_stream_close_async (send->output_stream, G_PRIORITY_DEFAULT, send->cancellable,
                                 output_closed_cb, g_steal_pointer (&task));
  else
    finish_response (task);
}

static void
end_body (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  g_input_stream_close_async (send->body_stream, G_PRIORITY_DEFAULT, NULL,
                              body_closed_cb, task);
}

/* Reading and writing overlap: a chunk is written (in GIO's worker thread) while the next
 * one is read, and at most one waits in between, so memory stays at a few chunks. */
static void
fail_body (GTask  *task,
           GError *error)
{
  Send *send = g_task_get_task_data (task);

  /* The first error is the one reported. */
  if (send->body_failed)
    {
      g_error_free (error);
      pump_body (task);
      return;
    }
  send->body_failed = TRUE;
  send->body_error = error;

  /* A write still under way ends in a file that is gone: none is left behind. */
  if (send->output_tmp_path != NULL)
    g_unlink (send->output_tmp_path);
  g_clear_pointer (&send->output_tmp_path, g_free);

  /* Stops the read or write still under way; the task ends when it has. */
  g_cancellable_cancel (send->cancellable);
  pump_body (task);
}

static void
output_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&send->writing_chunk, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_autofree char *path = g_file_get_path (send->output);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not write %s: "), path);
      fail_body (task, g_steal_pointer (&error));
      return;
    }

  pump_body (task);
}

static void
write_chunk (GTask  *task,
             GBytes *chunk)
{
  Send *send = g_task_get_task_data (task);
  gsize length;
  const guint8 *data = g_bytes_get_data (chunk, &length);

  send->writing_chunk = chunk;
  g_output_stream_write_all_async (send->output_stream, data, length, G_PRIORITY_DEFAULT,
                                   send->cancellable, output_written_cb, g_object_ref (task));
}

static void
chunk_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  SondeResponse *response = send->response;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  gsize length;

  send->reading = FALSE;
  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      fail_body (task, g_steal_pointer (&error));
      return;
    }
  if (send->body_failed)
    {
      pump_body (task);
      return;
    }

  length = g_bytes_get_size (chunk);
  if (length == 0)
    {
      send->read_done = TRUE;
      pump_body (task);
      return;
    }

  /* The cap is on decoded bytes: a small gzip stream may unpack to gigabytes. */
  if (send->max_body_size > 0 && response->body_size + length > send->max_body_size)
    {
      g_autofree char *limit = format_size (send->max_body_size);
      GBytes *kept;

      length = send->max_body_size - response->body_size;
      kept = g_bytes_new_from_bytes (chunk, 0, length);
      g_bytes_unref (chunk);
      chunk = kept;
      send->read_done = TRUE;
      response->body_truncated = TRUE;
      if (send->default_cap)
        response->body_warning =
          g_strdup_printf (_("The response body was cut at %s, the most Sonde keeps of a response: save it to a file to get all of it."),
                           limit);
      else
        response->body_warning =
          g_strdup_printf (_("The response body was cut at %s: it is larger than the limit set for this request."),
                           limit);
    }

  response->body_size += length;
  if (send->progress != NULL)
    send->progress (SONDE_TRANSFER_DOWNLOAD, response->body_size, send->body_total, send->progress_data);

  if (send->output_stream != NULL)
    send->pending_chunk = g_steal_pointer (&chunk);
  else if (!sonde_body_store_append (response->body, g_bytes_get_data (chunk, NULL), length, &error))
    {
      fail_body (task, g_steal_pointer (&error));
      return;
    }

  pump_body (task);
}

/* Takes over a reference on TASK. */
static void
read_next_chunk (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  send->reading = TRUE;
  g_input_stream_read_bytes_async (send->body_stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   send->cancellable, chunk_read_cb, task);
}

static void
pump_body (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  if (send->body_failed)
    {
      if (send->body_error != NULL && !send->reading && send->writing_chunk == NULL)
        return_error (task, g_steal_pointer (&send->body_error));
      return;
    }
  if (send->writing_chunk == NULL && send->pending_chunk != NULL)
    write_chunk (task, g_steal_pointer (&send->pending_chunk));
  if (!send->reading && !send->read_done && send->pending_chunk == NULL)
    read_next_chunk (g_object_ref (task));
  else if (!send->reading && send->read_done && send->writing_chunk == NULL)
    end_body (g_object_ref (task));
}

static gboolean
open_output (Send    *send,
             GError **error)
{
  g_autofree char *path = g_file_get_path (send->output);
  int fd;

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The response can only be saved to a local file"));
      return FALSE;
    }

  /* A temp file beside the target, renamed at the end: a failed download never clobbers
   * the file that was there. */
  fd = sonde_temp_file_open_beside (path, 0644, &send->output_tmp_path);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  send->output_stream = g_unix_output_stream_new (fd, TRUE);
  return TRUE;
}

static void
start_body (GTask        *task,
            GInputStream *stream)
{
  Send *send = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (send->msg);
  g_autoptr(GError) error = NULL;

  send->body_stream = stream;
  sonde_response_take_message (send->response, send->msg);

  /* Content-Length counts encoded bytes: only a total when nothing is decoded. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_one (headers, "Content-Encoding") == NULL)
    send->body_total = soup_message_headers_get_content_length (headers);

  if (send->output != NULL)
    {
      if (!open_output (send, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      send->response->output = g_object_ref (send->output);
    }
  else
    send->response->body = sonde_body_store_new (send->client->memory_threshold);

  read_next_chunk (task);
}

/* Set-Cookie of every response, redirects included, goes to the jar with browser rules
 * (domain, path, Secure only from https, no public suffixes), and to the response as it
 * was sent, with the URL that set it: a login's 302 sets the session cookie. */
static void
store_cookies (Send *send)
{
  GSList *cookies = soup_cookies_from_response (send->msg);
  g_autofree char *url = cookies != NULL ? g_uri_to_string (send->uri) : NULL;

  for (GSList *l = cookies; l != NULL; l = l->next)
    {
      sonde_response_add_cookie (send->response, l->data, url);
      sonde_cookie_jar_add_checked (send->jar, l->data, send->uri);
    }
  g_slist_free (cookies);
}

/* Redirects */

static gboolean
follow_redirect (Send    *send,
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
  if (!is_http_scheme (g_uri_get_scheme (target)))
    {
      g_set_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_BAD_REDIRECT,
                   _("The server redirected to “%s”: only http:// and https:// addresses are followed"),
                   location);
      return FALSE;
    }
  if (!has_valid_host (target))
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
      g_clear_pointer (&send->body, body_source_free);
    }

  g_clear_pointer (&send->uri, g_uri_unref);
  send->uri = g_steal_pointer (&target);
  send->send_credentials = same_origin (send->uri, send->origin_uri);
  return TRUE;
}

static void
redirect_body_closed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  send_message (task);
}

/* Sending */

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  store_cookies (send);
  if (!sonde_proxy_check_response (send->options, send->msg, &error))
    {
      g_input_stream_close (stream, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (send->msg);
  if (is_redirect (status) && sonde_request_options_get_follow_redirects (send->options) &&
      soup_message_headers_get_one (soup_message_get_response_headers (send->msg), "Location") != NULL)
    {
      if (!follow_redirect (send, &error))
        {
          g_input_stream_close (stream, NULL, NULL);
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, redirect_body_closed_cb, task);
      return;
    }

  start_body (task, g_steal_pointer (&stream));
}

static gboolean
holds_secret (SondeRequest *request,
              const char   *value)
{
  const char * const *secrets = sonde_request_get_secret_values (request);

  for (guint i = 0; value != NULL && secrets != NULL && secrets[i] != NULL; i++)
    if (strstr (value, secrets[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Records NAME as not sent to the URL the last redirect led to. */
static void
note_dropped (Send       *send,
              const char *name)
{
  GPtrArray *redirects = send->response->redirects;
  SondeRedirect *redirect;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (redirects->len == 0 || name == NULL)
    return;
  redirect = g_ptr_array_index (redirects, redirects->len - 1);
  for (guint i = 0; redirect->dropped != NULL && redirect->dropped[i] != NULL; i++)
    if (g_ascii_strcasecmp (redirect->dropped[i], name) == 0)
      return;

  builder = g_strv_builder_new ();
  if (redirect->dropped != NULL)
    g_strv_builder_addv (builder, (const char **) redirect->dropped);
  g_strv_builder_add (builder, name);
  g_strfreev (redirect->dropped);
  redirect->dropped = g_strv_builder_end (builder);
}

static void
add_request_headers (Send *send)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (send->msg);
  GListModel *rows = G_LIST_MODEL (sonde_request_get_headers (send->request));
  SondeAuth *auth = sonde_request_get_auth (send->request);
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);
      const char *name = sonde_key_value_get_name (row);

      if (!sonde_key_value_get_enabled (row))
        continue;
      /* Credentials never follow a redirect to another origin (as curl since
       * CVE-2018-1000007): by their name, or because they hold a secret's value. */
      if (!send->send_credentials &&
          (sonde_is_credential_header_name (name) || sonde_key_value_get_sensitive (row) ||
           holds_secret (send->request, sonde_key_value_get_value (row))))
        {
          note_dropped (send, name);
          continue;
        }
      /* With a body, Content-Type goes with it (and honours this row). A body dropped by a
       * redirect takes the row along. */
      if (g_ascii_strcasecmp (name, "Content-Type") == 0 &&
          (send->body != NULL || send->body_dropped))
        continue;
      soup_message_headers_append (headers, name, sonde_key_value_get_value (row));
    }

  if (!send->send_credentials)
    {
      switch (sonde_auth_get_kind (auth))
        {
        case SONDE_AUTH_BEARER:
        case SONDE_AUTH_BASIC:
        case SONDE_AUTH_DIGEST:
          note_dropped (send, "Authorization");
          break;
        case SONDE_AUTH_API_KEY:
          if (sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_HEADER)
            note_dropped (send, sonde_auth_get_key_name (auth));
          break;
        case SONDE_AUTH_NONE:
        case SONDE_AUTH_INHERIT:
        default:
          break;
        }
      return;
    }

  switch (sonde_auth_get_kind (auth))
    {
    case SONDE_AUTH_BEARER:
      if (soup_message_headers_get_one (headers, "Authorization") == NULL)
        {
          g_autofree char *value = g_strdup_printf ("Bearer %s", sonde_auth_get_token (auth) ? sonde_auth_get_token (auth) : "");

          soup_message_headers_append (headers, "Authorization", value);
        }
      break;

    case SONDE_AUTH_API_KEY:
      if (sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_HEADER)
        soup_message_headers_append (headers, sonde_auth_get_key_name (auth),
                                     sonde_auth_get_key_value (auth) ? sonde_auth_get_key_value (auth) : "");
      break;

    case SONDE_AUTH_NONE:
    case SONDE_AUTH_INHERIT:   /* nothing to inherit from: none */
    case SONDE_AUTH_BASIC:
    case SONDE_AUTH_DIGEST:
    default:
      break;
    }

}

/* One Cookie header: a Cookie header row, the request's cookie rows (only to the origin),
 * then the jar's cookies for this URL that the rows did not name. */
static void
add_cookie_header (Send *send)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (send->msg);
  GListModel *rows = G_LIST_MODEL (sonde_request_get_cookies (send->request));
  guint n = g_list_model_get_n_items (rows);
  g_autoptr(GString) cookies = g_string_new (soup_message_headers_get_list (headers, "Cookie"));
  g_autoptr(GHashTable) named = g_hash_table_new (g_str_hash, g_str_equal);
  GSList *jar_cookies;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);

      if (!sonde_key_value_get_enabled (row))
        continue;
      if (!send->send_credentials)
        {
          note_dropped (send, "Cookie");
          continue;
        }
      if (cookies->len > 0)
        g_string_append (cookies, "; ");
      g_string_append_printf (cookies, "%s=%s", sonde_key_value_get_name (row), sonde_key_value_get_value (row));
      g_hash_table_add (named, (gpointer) sonde_key_value_get_name (row));
    }

  jar_cookies = soup_cookie_jar_get_cookie_list (send->jar, send->uri, TRUE);
  for (GSList *l = jar_cookies; l != NULL; l = l->next)
    {
      SoupCookie *cookie = l->data;

      if (g_hash_table_contains (named, soup_cookie_get_name (cookie)))
        continue;
      /* A jar a server filled must not make every request huge: the most specific cookies
       * (libsoup lists longer paths first) up to a bound. */
      if (cookies->len + strlen (soup_cookie_get_name (cookie)) + strlen (soup_cookie_get_value (cookie)) + 3 >
          SONDE_COOKIE_HEADER_MAX)
        break;
      if (cookies->len > 0)
        g_string_append (cookies, "; ");
      g_string_append_printf (cookies, "%s=%s", soup_cookie_get_name (cookie), soup_cookie_get_value (cookie));
    }
  g_slist_free_full (jar_cookies, (GDestroyNotify) soup_cookie_free);

  if (cookies->len > 0)
    soup_message_headers_replace (headers, "Cookie", cookies->str);
}


static void
send_message (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  disconnect_message (send);
  send->auth_answered = FALSE;
  send->proxy_negotiating = FALSE;
  send->wrote_body_at = 0;

  send->msg = soup_message_new_from_uri (send->method, send->uri);
  soup_message_add_flags (send->msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_COLLECT_METRICS |
                                     SOUP_MESSAGE_DO_NOT_USE_AUTH_CACHE);
#if SOUP_CHECK_VERSION (3, 4, 0)
  if (sonde_request_options_get_http_version (send->options) == SONDE_HTTP_VERSION_1_1)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      soup_message_set_force_http1 (send->msg, TRUE);
      G_GNUC_END_IGNORE_DEPRECATIONS
    }
#endif

  add_request_headers (send);
  add_cookie_header (send);
  if (send->client_certificate != NULL)
    soup_message_set_tls_client_certificate (send->msg, send->client_certificate);
  if (!attach_body (send, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  g_signal_connect (send->msg, "restarted", G_CALLBACK (restarted_cb), send);
  g_signal_connect (send->msg, "authenticate", G_CALLBACK (authenticate_cb), send);
  g_signal_connect (send->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), send);
  g_signal_connect (send->msg, "request-certificate", G_CALLBACK (request_certificate_cb), send);
  g_signal_connect (send->msg, "starting", G_CALLBACK (starting_cb), send);
  g_signal_connect (send->msg, "network-event", G_CALLBACK (network_event_cb), send);
  g_signal_connect (send->msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), send);
  g_signal_connect (send->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), send);
  g_signal_connect (send->msg, "wrote-body", G_CALLBACK (wrote_body_cb), send);

  if (sonde_request_options_get_connect_timeout (send->options) > 0)
    {
      g_clear_handle_id (&send->connect_timeout_id, g_source_remove);
      send->connect_timeout_id =
        g_timeout_add (sonde_request_options_get_connect_timeout (send->options) * 1000, connect_timeout_cb, send);
    }

  soup_session_send_async (send->session, send->msg, G_PRIORITY_DEFAULT, send->cancellable, send_cb, task);
}

/* Sessions */

static void
session_entry_free (SessionEntry *entry)
{
  soup_session_abort (entry->session);
  g_clear_object (&entry->session);
  g_clear_object (&entry->client_certificate);
  g_free (entry);
}

static gboolean
has_client_certificate (SondeRequestOptions *options)
{
  const char *pkcs12 = sonde_request_options_get_client_pkcs12 (options);
  const char *cert = sonde_request_options_get_client_cert (options);

  return (pkcs12 != NULL && pkcs12[0] != '\0') || (cert != NULL && cert[0] != '\0');
}

static char *
session_key (SondeRequest *request)
{
  SondeRequestOptions *options = sonde_request_get_options (request);
  g_autofree char *proxy = sonde_proxy_get_session_key (options);
  g_autofree char *ca_file = sonde_request_dup_absolute_path (request, sonde_request_options_get_ca_file (options));
  g_autofree char *cert = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_cert (options));
  g_autofree char *key = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_key (options));
  g_autofree char *pkcs12 = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_pkcs12 (options));
  const char *passphrase = sonde_request_options_get_client_passphrase (options);
  g_autofree char *passphrase_digest = NULL;

  if (passphrase != NULL)
    passphrase_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, passphrase, -1);

  return g_strdup_printf ("%s\n%d\n%s\n%s\n%s\n%s\n%s", proxy,
                          sonde_request_options_get_verify_tls (options),
                          ca_file ? ca_file : "", cert ? cert : "", key ? key : "",
                          pkcs12 ? pkcs12 : "", passphrase_digest ? passphrase_digest : "");
}

void
sonde_client_init_process (void)
{
  /* libsoup < 3.4.4 collapses on large HTTP/2 bodies (docs/architecture.md): HTTP/1.1 there,
   * process-wide. setenv () is not thread-safe: main () calls this before any thread. */
  if (((soup_get_major_version () == 3 && soup_get_minor_version () < 4) ||
       (soup_get_major_version () == 3 && soup_get_minor_version () == 4 && soup_get_micro_version () < 4)) &&
      g_getenv ("SOUP_FORCE_HTTP1") == NULL)
    g_setenv ("SOUP_FORCE_HTTP1", "1", FALSE);
}

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("user-agent", "Sonde/" PACKAGE_VERSION " ",
                                        "max-conns-per-host", 6,
                                        NULL);
}

static void prepare_session (GTask *task);

static void
return_load_error (GTask  *task,
                   GError *error)
{
  /* Loading errors already name the file and the cause; only cancellation needs words.
   * A CA file, certificate, key or passphrase that does not work is what the person
   * wrote, like a bad header: nothing was sent (sonde-cli exits with 2). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return_error (task, error);
  else if (error->domain != SONDE_REQUEST_ERROR)
    {
      g_task_return_new_error (task, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE, "%s", error->message);
      g_error_free (error);
    }
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static void
database_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;

  send->tls_database = sonde_tls_load_database_finish (result, &error);
  if (send->tls_database == NULL)
    {
      return_load_error (task, error);
      return;
    }
  soup_session_set_tls_database (send->session, send->tls_database);
  prepare_session (task);
}

static void
certificate_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;

  send->client_certificate = sonde_tls_load_client_certificate_finish (result, &error);
  if (send->client_certificate == NULL)
    {
      return_load_error (task, error);
      return;
    }
  prepare_session (task);
}

/* Finds or makes the session for the request. CA files and client certificates load in
 * worker threads (a PKCS #12 file or a big bundle takes a while), before anything is sent. */
static void
prepare_session (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  SondeClient *self = send->client;
  SondeRequestOptions *options = send->options;
  SessionEntry *entry;
  g_autofree char *ca_file = NULL;
  GError *error = NULL;

  entry = g_hash_table_lookup (self->sessions, send->session_key);
  if (entry != NULL && (send->session == NULL || entry->session != send->session))
    {
      /* Made meanwhile by another send with the same setup: share it. */
      g_set_object (&send->session, entry->session);
      g_set_object (&send->client_certificate, entry->client_certificate);
      send_message (task);
      return;
    }

  if (send->session == NULL)
    {
      send->session = new_session ();
      if (!sonde_proxy_configure_session (send->session, options, &error))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }

  ca_file = sonde_request_dup_absolute_path (send->request, sonde_request_options_get_ca_file (options));
  if (ca_file != NULL && send->tls_database == NULL)
    {
      sonde_tls_load_database_async (ca_file, send->cancellable, database_loaded_cb, task);
      return;
    }

  if (has_client_certificate (options) && send->client_certificate == NULL)
    {
      g_autofree char *cert = sonde_request_dup_absolute_path (send->request, sonde_request_options_get_client_cert (options));
      g_autofree char *key = sonde_request_dup_absolute_path (send->request, sonde_request_options_get_client_key (options));
      g_autofree char *pkcs12 = sonde_request_dup_absolute_path (send->request, sonde_request_options_get_client_pkcs12 (options));

      sonde_tls_load_client_certificate_async (pkcs12 ? NULL : cert, pkcs12 ? NULL : key, pkcs12,
                                               sonde_request_options_get_client_passphrase (options),
                                               send->cancellable, certificate_loaded_cb, task);
      return;
    }

  entry = g_new0 (SessionEntry, 1);
  entry->session = g_object_ref (send->session);
  entry->client_certificate = send->client_certificate ? g_object_ref (send->client_certificate) : NULL;
  g_hash_table_insert (self->sessions, g_strdup (send->session_key), entry);

  send_message (task);
}

static void
sonde_client_finalize (GObject *object)
{
  SondeClient *self = SONDE_CLIENT (object);

  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_object (&self->cookie_store);
  g_clear_object (&self->default_options);

  G_OBJECT_CLASS (sonde_client_parent_class)->finalize (object);
}

static void
sonde_client_class_init (SondeClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sonde_client_finalize;
}

static void
sonde_client_init (SondeClient *self)
{
  self->memory_threshold = SONDE_BODY_STORE_DEFAULT_THRESHOLD;
  self->default_max_body_size = SONDE_CLIENT_DEFAULT_MAX_BODY_SIZE;
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) session_entry_free);
}

SondeClient *
sonde_client_new (void)
{
  return g_object_new (SONDE_TYPE_CLIENT, NULL);
}

/**
 * sonde_client_send_async:
 * @request: an expanded request; the client works on a copy
 * @output: (nullable): a file the body streams to instead of memory
 * @progress: (nullable) (scope notified): called as bytes go up and come down
 */
void
sonde_client_send_async (SondeClient         *self,
                         SondeRequest        *request,
                         GFile               *output,
                         SondeProgressFunc    progress,
                         gpointer             progress_data,
                         GDestroyNotify       progress_destroy,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Send *send;
  double timeout;

  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (SONDE_IS_REQUEST (request));
  g_return_if_fail (output == NULL || G_IS_FILE (output));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_client_send_async);

  send = g_new0 (Send, 1);
  send->client = self;
  send->request = sonde_request_copy (request);
  send->options = sonde_request_get_options (send->request);
  if (self->default_options != NULL)
    {
      /* The person's defaults, below whatever the request (or its collection) sets */
      g_autoptr(GPtrArray) levels = g_ptr_array_new ();
      g_autoptr(SondeRequestOptions) own = sonde_request_options_copy (send->options);

      g_ptr_array_add (levels, self->default_options);
      g_ptr_array_add (levels, own);
      if (!sonde_request_options_merge_levels (send->options, levels, &error))
        g_warning ("Default options not applied: %s", error->message);
      g_clear_error (&error);
    }
  send->progress = progress;
  send->progress_data = progress_data;
  send->progress_destroy = progress_destroy;
  send->output = output ? g_object_ref (output) : NULL;
  /* A decompression bomb must not fill memory or $TMPDIR: a body kept by Sonde has a cap
   * even when the request sets none. Saved to a file the person chose, it has none. */
  send->max_body_size = sonde_request_options_get_max_body_size (send->options);
  send->default_cap = send->max_body_size == 0 && output == NULL;
  if (send->default_cap)
    send->max_body_size = self->default_max_body_size;
  send->started_at = g_get_monotonic_time ();
  send->send_credentials = TRUE;
  send->response = sonde_response_new ();
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);

  /* Everything the person wrote is checked before a byte goes out. */
  send->method = g_strdup (sonde_request_get_method (request));
  if (!sonde_validate_method (send->method, &error) ||
      (send->uri = build_uri (send->request, &error)) == NULL ||
      !validate_headers (send->request, &error) ||
      !validate_cookies (send->request, &error) ||
      !validate_auth (sonde_request_get_auth (send->request), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  send->origin_uri = g_uri_ref (send->uri);
  /* A collection is someone else's files: it reads nothing outside its folder unasked. */
  if (!sonde_file_access_check_request (sonde_file_access_get_default (), send->request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  send->body = build_body (send->request, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  send->session_key = session_key (send->request);
  send->jar = self->cookie_store != NULL
              ? g_object_ref (sonde_cookie_store_get_jar (self->cookie_store))
              : soup_cookie_jar_new ();
  send->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      send->caller_cancellable = g_object_ref (cancellable);
      send->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                         send->cancellable, NULL);
    }

  timeout = sonde_request_options_get_timeout (send->options);
  if (timeout > 0)
    send->timeout_id = g_timeout_add (timeout * 1000, timeout_cb, send);

  prepare_session (g_steal_pointer (&task));
}

SondeResponse *
sonde_client_send_finish (SondeClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (SONDE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sonde_client_set_memory_threshold (SondeClient *self,
                                   gsize        threshold)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));

  self->memory_threshold = threshold;
}

/**
 * sonde_client_set_cookie_store:
 * @store: (nullable): the jar of the collection (or lone request file); %NULL: cookies
 *   live only for the length of one send (through its redirects)
 */
void
sonde_client_set_cookie_store (SondeClient      *self,
                               SondeCookieStore *store)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (store == NULL || SONDE_IS_COOKIE_STORE (store));

  g_set_object (&self->cookie_store, store);
}

/**
 * sonde_client_get_cookie_store:
 *
 * Returns: (transfer none) (nullable): the cookie store
 */
SondeCookieStore *
sonde_client_get_cookie_store (SondeClient *self)
{
  g_return_val_if_fail (SONDE_IS_CLIENT (self), NULL);

  return self->cookie_store;
}

/**
 * sonde_client_set_default_max_body_size:
 * @max_size: bytes, after decoding; 0 for no limit
 *
 * The most of a response body kept (in memory, then in a temp file) when the request sets
 * no "maxBodySize" and the body is not saved to a file: past it, reading stops and the
 * response says it was cut. %SONDE_CLIENT_DEFAULT_MAX_BODY_SIZE unless set.
 */
void
sonde_client_set_default_max_body_size (SondeClient *self,
                                        guint64      max_size)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));

  self->default_max_body_size = max_size;
}

void
sonde_client_set_default_options (SondeClient         *self,
                                  SondeRequestOptions *defaults)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (defaults == NULL || SONDE_IS_REQUEST_OPTIONS (defaults));

  g_clear_object (&self->default_options);
  if (defaults != NULL)
    self->default_options = sonde_request_options_copy (defaults);
}
