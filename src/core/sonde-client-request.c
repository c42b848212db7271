/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Building the request: URL and form encoding, checks of headers, cookies and
 * credentials after expansion, and the body (bytes, a file or a multipart stream) opened again
 * for each attempt.
 * See docs/architecture.md, "Engine rules". */
#define G_LOG_DOMAIN "sonde-client"

#include "config.h"

#include "sonde-client-private.h"

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
  guint n = sonde_rows_count (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);

      if (sonde_key_value_get_enabled (row))
        append_pair (out, sonde_key_value_get_name (row), sonde_key_value_get_value (row), form);
    }
}

/* A host libsoup can connect to: present, not empty, nothing that would break a request. */
gboolean
sonde_client_has_valid_host (GUri *uri)
{
  const char *host = g_uri_get_host (uri);

  return host != NULL && host[0] != '\0' && strpbrk (host, " \t\r\n\"<>\\^`{|}") == NULL;
}

gboolean
sonde_client_is_http_scheme (const char *scheme)
{
  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0);
}

static inline gboolean
needs_percent (char c)
{
  return c == ' ' || (guchar) c >= 0x80;
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
  const char *first;
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
  /* Most URLs have nothing to encode: copied whole. */
  first = host_end;
  while (*first != '\0' && !needs_percent (*first))
    first++;
  if (*first == '\0')
    return g_strdup (url);

  out = g_string_new_len (url, first - url);
  for (const char *p = first; *p != '\0'; p++)
    {
      if (needs_percent (*p))
        g_string_append_printf (out, "%%%02X", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* A GraphQL body on a GET (or HEAD) goes in the URL, as GraphQL over HTTP says. */
gboolean
sonde_client_is_graphql_get (SondeRequest *request)
{
  const char *method = sonde_request_get_method (request);

  return sonde_request_get_body_kind (request) == SONDE_BODY_GRAPHQL &&
         method != NULL && (g_ascii_strcasecmp (method, "GET") == 0 || g_ascii_strcasecmp (method, "HEAD") == 0);
}

GUri *
sonde_client_build_uri (SondeRequest  *request,
           GError       **error)
{
  g_autofree char *url = NULL;
  SondeAuth *auth = sonde_request_read_auth (request);
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GString) query = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *own_query;

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
  if (sonde_request_is_websocket (request))
    {
      g_autoptr(GUri) http = NULL;
      const char *scheme = g_uri_get_scheme (parsed);

      if (!sonde_client_is_http_scheme (scheme) &&
          g_ascii_strcasecmp (scheme, "ws") != 0 && g_ascii_strcasecmp (scheme, "wss") != 0)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                       _("“%s” is not a ws:// or wss:// URL"), url);
          return NULL;
        }
      http = sonde_client_websocket_http_uri (parsed);
      g_uri_unref (parsed);
      parsed = g_steal_pointer (&http);
    }
  else if (!sonde_client_is_http_scheme (g_uri_get_scheme (parsed)))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("“%s” is not an http:// or https:// URL"), url);
      return NULL;
    }
  if (!sonde_client_has_valid_host (parsed))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("The URL “%s” has no valid host"), url);
      return NULL;
    }

  /* The URL's own query stays as written; rows are appended, encoded. */
  own_query = g_uri_get_query (parsed);
  query = g_string_new (own_query);
  append_rows (query, sonde_request_peek_params (request), FALSE);
  /* GraphQL with GET: the query, variables and operation name are parameters */
  if (sonde_client_is_graphql_get (request))
    {
      SondeBody *body = sonde_request_read_body (request);
      g_autoptr(JsonNode) variables = NULL;

      if (!sonde_body_parse_graphql_variables (body, &variables, error))
        return NULL;
      append_pair (query, "query", sonde_body_get_text (body), FALSE);
      if (variables != NULL)
        {
          g_autofree char *text = json_to_string (variables, FALSE);

          append_pair (query, "variables", text, FALSE);
        }
      if (sonde_body_get_operation_name (body)[0] != '\0')
        append_pair (query, "operationName", sonde_body_get_operation_name (body), FALSE);
    }
  if (sonde_auth_get_kind (auth) == SONDE_AUTH_API_KEY &&
      sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_QUERY)
    append_pair (query, sonde_auth_get_key_name (auth), sonde_auth_get_key_value (auth), FALSE);

  /* Nothing added (most requests): the URL as parsed, unless rebuilding it would change it
   * (an empty path becomes "/"; an empty query and a fragment, never sent, are left out). */
  if ((own_query == NULL ? query->len == 0 : own_query[0] != '\0' && query->len == strlen (own_query)) &&
      g_uri_get_path (parsed)[0] != '\0' && g_uri_get_fragment (parsed) == NULL)
    return g_steal_pointer (&parsed);

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

  uri = sonde_client_build_uri (request, error);
  return uri != NULL ? g_uri_to_string (uri) : NULL;
}

char *
sonde_form_encode (GListModel *rows)
{
  GString *out = g_string_new (NULL);

  append_rows (out, rows, TRUE);
  return g_string_free (out, FALSE);
}

gboolean
sonde_client_validate_headers (SondeRequest  *request,
                  GError       **error)
{
  GListModel *headers = sonde_request_peek_headers (request);
  guint n = sonde_rows_count (headers);

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
gboolean
sonde_client_validate_cookies (SondeRequest  *request,
                  GError       **error)
{
  GListModel *cookies = sonde_request_peek_cookies (request);
  guint n = sonde_rows_count (cookies);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (cookies, i);

      if (sonde_key_value_get_enabled (row) &&
          !sonde_validate_cookie (sonde_key_value_get_name (row), sonde_key_value_get_value (row), error))
        return FALSE;
    }

  return TRUE;
}

gboolean
sonde_client_validate_auth (SondeAuth  *auth,
               GError    **error)
{
  g_autofree char *what = NULL;

  switch (sonde_auth_get_kind (auth))
    {
    case SONDE_AUTH_BASIC:
    case SONDE_AUTH_DIGEST:
    case SONDE_AUTH_NTLM:
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

    case SONDE_AUTH_OAUTH2:
      if (sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_HEADER)[0] != '\0' &&
          !sonde_validate_header_name (sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_HEADER), error))
        {
          g_prefix_error (error, _("OAuth 2.0 token header: "));
          return FALSE;
        }
      return TRUE;

    case SONDE_AUTH_AWS_SIGV4:
      if ((what = sonde_describe_forbidden_char (sonde_auth_get_username (auth))) != NULL)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                       _("The AWS access key contains %s, which is not allowed"), what);
          return FALSE;
        }
      if ((what = sonde_describe_forbidden_char (sonde_auth_get_token (auth))) != NULL)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                       _("The AWS session token contains %s, which is not allowed"), what);
          return FALSE;
        }
      if (sonde_auth_get_username (auth)[0] == '\0' || sonde_auth_get_region (auth)[0] == '\0' ||
          sonde_auth_get_service (auth)[0] == '\0')
        {
          g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                               _("AWS Signature needs an access key, a region and a service"));
          return FALSE;
        }
      /* The region and the service are parts of the signed scope, "/" between them. */
      if (strpbrk (sonde_auth_get_region (auth), "/ \t\r\n") != NULL ||
          strpbrk (sonde_auth_get_service (auth), "/ \t\r\n") != NULL)
        {
          g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                               _("The AWS region and service cannot contain “/” or spaces"));
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
  GListModel *headers = sonde_request_peek_headers (request);
  guint n = sonde_rows_count (headers);

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

BodySource *
sonde_client_build_body (SondeRequest  *request,
            GError       **error)
{
  SondeBody *body = sonde_request_read_body (request);
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

    case SONDE_BODY_GRAPHQL:
      {
        char *json;

        if (sonde_client_is_graphql_get (request))
          return NULL;
        json = sonde_body_build_graphql_json (body, error);
        if (json == NULL)
          return NULL;
        source->length = strlen (json);
        source->bytes = g_bytes_new_take (json, source->length);
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

GInputStream *
sonde_client_body_source_open (BodySource  *source,
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

gboolean
sonde_client_attach_body (Send    *send,
             GError **error)
{
  g_autoptr(GInputStream) stream = NULL;

  if (send->body == NULL)
    return TRUE;

  stream = sonde_client_body_source_open (send->body, error);
  if (stream == NULL)
    return FALSE;

  send->upload_done = 0;
  soup_message_set_request_body (send->msg, send->body->content_type, stream, send->body->length);
  return TRUE;
}
