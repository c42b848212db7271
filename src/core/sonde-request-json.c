/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-request-json"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sonde-request-json.h"
#include "sonde-error.h"
#include "sonde-request-io.h"
#include "sonde-json-file.h"

/* Text bodies up to this many bytes, on one line, stay inline in the request file. */
#define MAX_INLINE_TEXT 120

/* ------------------------------------------------------------------------------------------
 * SondeRequest -> JSON tree, in the key order of docs/collection-format.md
 * ------------------------------------------------------------------------------------------ */

static void
set_string (JsonObject *object,
            const char *key,
            const char *value)
{
  json_object_set_string_member (object, key, value ? value : "");
}

static void
set_string_if_set (JsonObject *object,
                   const char *key,
                   const char *value)
{
  if (value != NULL && value[0] != '\0')
    json_object_set_string_member (object, key, value);
}

/* Timeouts are doubles, written as integers when they are whole. */
static void
set_number (JsonObject *object,
            const char *key,
            double      value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    json_object_set_int_member (object, key, (gint64)value);
  else
    json_object_set_double_member (object, key, value);
}
static JsonNode *
row_to_json (SondeKeyValue *row)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  set_string (object, "name", sonde_key_value_get_name (row));
  set_string (object, "value", sonde_key_value_get_value (row));
  if (!sonde_key_value_get_enabled (row))
    json_object_set_boolean_member (object, "enabled", FALSE);
  sonde_json_add_extra (object, sonde_key_value_get_extra (row));

  json_node_take_object (node, object);
  return node;
}

static void
set_rows (JsonObject *object,
          const char *key,
          GListModel *rows)
{
  guint n_items = sonde_rows_count (rows);
  JsonArray *array;

  if (n_items == 0)
    return;

  array = json_array_sized_new (n_items);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (rows), i);

      json_array_add_element (array, row_to_json (row));
    }
  json_object_set_array_member (object, key, array);
}

static JsonNode *
part_to_json (SondeBodyPart *part)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  set_string (object, "name", sonde_body_part_get_name (part));
  if (sonde_body_part_get_file (part) != NULL)
    set_string (object, "file", sonde_body_part_get_file (part));
  else
    set_string (object, "value", sonde_body_part_get_value (part));
  set_string_if_set (object, "filename", sonde_body_part_get_filename (part));
  set_string_if_set (object, "contentType", sonde_body_part_get_content_type (part));
  if (!sonde_body_part_get_enabled (part))
    json_object_set_boolean_member (object, "enabled", FALSE);
  sonde_json_add_extra (object, sonde_body_part_get_extra (part));

  json_node_take_object (node, object);
  return node;
}

static const char *
sidecar_extension (SondeBodyKind kind)
{
  switch (kind)
    {
    case SONDE_BODY_JSON:
      return "json";
    case SONDE_BODY_XML:
      return "xml";
    case SONDE_BODY_GRAPHQL:
      return "graphql";
    default:
      return "txt";
    }
}

/* "create-user.request.json" -> "create-user.body.json" */
static char *
sidecar_name (const char    *file_basename,
              SondeBodyKind  kind)
{
  g_autofree char *stem = NULL;

  if (g_str_has_suffix (file_basename, ".request.json"))
    stem = g_strndup (file_basename, strlen (file_basename) - strlen (".request.json"));
  else if (g_str_has_suffix (file_basename, ".json"))
    stem = g_strndup (file_basename, strlen (file_basename) - strlen (".json"));
  else
    stem = g_strdup (file_basename);

  return g_strdup_printf ("%s.body.%s", stem, sidecar_extension (kind));
}

static gboolean
text_fits_inline (const char *text)
{
  return strlen (text) <= MAX_INLINE_TEXT && strpbrk (text, "\r\n") == NULL;
}

/* GraphQL variables are written as the JSON object they are, for readable diffs; text
 * that is not an object is kept as a string, so that nothing typed is lost. */
static void
write_graphql_extras (JsonObject *object,
                      SondeBody  *body)
{
  const char *variables = sonde_body_get_variables (body);
  g_autofree char *trimmed = g_strstrip (g_strdup (variables));

  if (trimmed[0] != '\0')
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (sonde_json_parse_document (parser, trimmed, strlen (trimmed), NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        json_object_set_member (object, "variables", json_node_copy (json_parser_get_root (parser)));
      else
        set_string (object, "variables", variables);
    }
  if (sonde_body_get_operation_name (body)[0] != '\0')
    set_string (object, "operationName", sonde_body_get_operation_name (body));
}

static JsonObject *
body_to_json (SondeBody   *body,
              const char  *file_basename,
              char       **sidecar_text)
{
  SondeBodyKind kind = sonde_body_get_kind (body);
  JsonObject *extra = sonde_body_get_extra (body);
  g_autoptr(GEnumClass) kinds = NULL;
  JsonObject *object;

  if (kind == SONDE_BODY_NONE)
    {
      /* A body type from a newer Sonde was kept whole; write it back as it was. */
      if (extra != NULL && json_object_has_member (extra, "type"))
        return json_object_ref (extra);
      return NULL;
    }

  object = json_object_new ();
  kinds = g_type_class_ref (SONDE_TYPE_BODY_KIND);
  json_object_set_string_member (object, "type", g_enum_get_value (kinds, kind)->value_nick);

  switch (kind)
    {
    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
    case SONDE_BODY_GRAPHQL:
      {
        const char *text = sonde_body_get_text (body);
        const char *text_file = sonde_body_get_text_file (body);
        /* A GraphQL body names its text "query" */
        const char *text_key = kind == SONDE_BODY_GRAPHQL ? "query" : "text";

        set_string_if_set (object, "contentType", sonde_body_get_content_type (body));

        if (text_file == NULL && file_basename != NULL && !text_fits_inline (text))
          {
            g_autofree char *name = sidecar_name (file_basename, kind);

            sonde_body_set_text_file (body, name);
            text_file = sonde_body_get_text_file (body);
          }

        if (text_file != NULL)
          {
            set_string (object, "file", text_file);
            if (sidecar_text != NULL)
              *sidecar_text = g_strdup (text);
          }
        else
          set_string (object, text_key, text);
        if (kind == SONDE_BODY_GRAPHQL)
          write_graphql_extras (object, body);
      }
      break;

    case SONDE_BODY_FORM:
      set_string_if_set (object, "contentType", sonde_body_get_content_type (body));
      set_rows (object, "fields", G_LIST_MODEL (sonde_body_get_fields (body)));
      break;

    case SONDE_BODY_MULTIPART:
      {
        GListModel *parts = G_LIST_MODEL (sonde_body_get_parts (body));
        guint n_parts = g_list_model_get_n_items (parts);

        set_string_if_set (object, "contentType", sonde_body_get_content_type (body));
        if (n_parts > 0)
          {
            JsonArray *array = json_array_sized_new (n_parts);

            for (guint i = 0; i < n_parts; i++)
              {
                g_autoptr(SondeBodyPart) part = g_list_model_get_item (parts, i);

                json_array_add_element (array, part_to_json (part));
              }
            json_object_set_array_member (object, "parts", array);
          }
      }
      break;

    case SONDE_BODY_FILE:
      set_string (object, "file", sonde_body_get_file (body));
      set_string_if_set (object, "contentType", sonde_body_get_content_type (body));
      break;

    case SONDE_BODY_NONE:
    default:
      g_assert_not_reached ();
    }

  sonde_json_add_extra (object, extra);
  return object;
}

/* OAuth 2.0's keys in request files, in the order written */
static const struct {
  const char *key;
  SondeOAuthField field;
} oauth_keys[] = {
  { "grant", SONDE_OAUTH_GRANT },
  { "tokenUrl", SONDE_OAUTH_TOKEN_URL },
  { "authUrl", SONDE_OAUTH_AUTH_URL },
  { "clientId", SONDE_OAUTH_CLIENT_ID },
  { "clientSecret", SONDE_OAUTH_CLIENT_SECRET },
  { "scope", SONDE_OAUTH_SCOPE },
  { "audience", SONDE_OAUTH_AUDIENCE },
  { "clientAuth", SONDE_OAUTH_CLIENT_AUTH },
  { "tokenHeader", SONDE_OAUTH_TOKEN_HEADER },
  { "tokenQuery", SONDE_OAUTH_TOKEN_QUERY },
  { "extraParams", SONDE_OAUTH_EXTRA_PARAMS },
};

static JsonObject *
auth_to_json (SondeAuth *auth)
{
  JsonObject *extra = sonde_auth_get_extra (auth);
  JsonObject *object;

  switch (sonde_auth_get_kind (auth))
    {
    case SONDE_AUTH_BASIC:
    case SONDE_AUTH_DIGEST:
    case SONDE_AUTH_NTLM:
      object = json_object_new ();
      json_object_set_string_member (object, "type",
                                     sonde_auth_get_kind (auth) == SONDE_AUTH_BASIC ? "basic" :
                                     sonde_auth_get_kind (auth) == SONDE_AUTH_DIGEST ? "digest" : "ntlm");
      set_string (object, "username", sonde_auth_get_username (auth));
      set_string (object, "password", sonde_auth_get_password (auth));
      break;

    case SONDE_AUTH_BEARER:
      object = json_object_new ();
      json_object_set_string_member (object, "type", "bearer");
      set_string (object, "token", sonde_auth_get_token (auth));
      break;

    case SONDE_AUTH_API_KEY:
      object = json_object_new ();
      json_object_set_string_member (object, "type", "apiKey");
      set_string (object, "name", sonde_auth_get_key_name (auth));
      set_string (object, "value", sonde_auth_get_key_value (auth));
      json_object_set_string_member (object, "in",
                                     sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_QUERY ? "query" : "header");
      break;

    case SONDE_AUTH_AWS_SIGV4:
      object = json_object_new ();
      json_object_set_string_member (object, "type", "awsSigV4");
      set_string (object, "accessKey", sonde_auth_get_username (auth));
      set_string (object, "secretKey", sonde_auth_get_password (auth));
      if (sonde_auth_get_token (auth)[0] != '\0')
        set_string (object, "sessionToken", sonde_auth_get_token (auth));
      set_string (object, "region", sonde_auth_get_region (auth));
      set_string (object, "service", sonde_auth_get_service (auth));
      break;

    case SONDE_AUTH_OAUTH2:
      object = json_object_new ();
      json_object_set_string_member (object, "type", "oauth2");
      for (guint i = 0; i < G_N_ELEMENTS (oauth_keys); i++)
        {
          const char *value = sonde_auth_get_oauth (auth, oauth_keys[i].field);

          if (value[0] != '\0' || oauth_keys[i].field == SONDE_OAUTH_GRANT)
            set_string (object, oauth_keys[i].key, value[0] != '\0' ? value : "client_credentials");
        }
      if (sonde_auth_get_username (auth)[0] != '\0')
        set_string (object, "username", sonde_auth_get_username (auth));
      if (sonde_auth_get_password (auth)[0] != '\0')
        set_string (object, "password", sonde_auth_get_password (auth));
      break;

    case SONDE_AUTH_NONE:
      /* An auth type from a newer Sonde was kept whole; write it back as it was. */
      if (extra != NULL && json_object_has_member (extra, "type"))
        return json_object_ref (extra);
      /* Written, so that a request can opt out of its folder's auth. */
      object = json_object_new ();
      json_object_set_string_member (object, "type", "none");
      break;

    case SONDE_AUTH_INHERIT:
    default:
      /* The default: no "auth" key. */
      return NULL;
    }

  sonde_json_add_extra (object, extra);
  return object;
}

/* The unknown keys of a nested options object ("proxy", "clientCertificate") are kept in
 * the options' extra as an object of the same name. */
static JsonObject *
nested_extra (JsonObject *extra,
              const char *key)
{
  JsonNode *node;

  if (extra == NULL || (node = json_object_get_member (extra, key)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static JsonObject *
options_to_json (SondeRequestOptions *options)
{
  JsonObject *extra = sonde_request_options_get_extra (options);
  JsonObject *object = json_object_new ();
  const char * const *no_proxy;

  /* A key is written when it is set, so that an explicit default overrides the folders'
   * value; a value other than the default always sets its key. */
#define IS_SET(key) sonde_request_options_is_set (options, key)
  if (IS_SET ("timeout") || sonde_request_options_get_timeout (options) > 0)
    set_number (object, "timeout", sonde_request_options_get_timeout (options));
  if (IS_SET ("connectTimeout") || sonde_request_options_get_connect_timeout (options) > 0)
    set_number (object, "connectTimeout", sonde_request_options_get_connect_timeout (options));
  if (IS_SET ("followRedirects") || !sonde_request_options_get_follow_redirects (options))
    json_object_set_boolean_member (object, "followRedirects",
                                    sonde_request_options_get_follow_redirects (options));
  if (IS_SET ("maxRedirects") || sonde_request_options_get_max_redirects (options) != 10)
    json_object_set_int_member (object, "maxRedirects", sonde_request_options_get_max_redirects (options));
  if (IS_SET ("verifyTls") || !sonde_request_options_get_verify_tls (options))
    json_object_set_boolean_member (object, "verifyTls", sonde_request_options_get_verify_tls (options));
  if (IS_SET ("caFile") || sonde_request_options_get_ca_file (options) != NULL)
    set_string (object, "caFile", sonde_request_options_get_ca_file (options));

  if (IS_SET ("clientCertificate") ||
      sonde_request_options_get_client_cert (options) != NULL ||
      sonde_request_options_get_client_key (options) != NULL ||
      sonde_request_options_get_client_pkcs12 (options) != NULL ||
      sonde_request_options_get_client_passphrase (options) != NULL ||
      nested_extra (extra, "clientCertificate") != NULL)
    {
      JsonObject *cert = json_object_new ();

      set_string_if_set (cert, "cert", sonde_request_options_get_client_cert (options));
      set_string_if_set (cert, "key", sonde_request_options_get_client_key (options));
      set_string_if_set (cert, "pkcs12", sonde_request_options_get_client_pkcs12 (options));
      set_string_if_set (cert, "passphrase", sonde_request_options_get_client_passphrase (options));
      sonde_json_add_extra (cert, nested_extra (extra, "clientCertificate"));
      json_object_set_object_member (object, "clientCertificate", cert);
    }

  no_proxy = sonde_request_options_get_no_proxy (options);
  if (IS_SET ("proxy") ||
      sonde_request_options_get_proxy_mode (options) != SONDE_PROXY_SYSTEM ||
      sonde_request_options_get_proxy_url (options) != NULL ||
      sonde_request_options_get_proxy_username (options) != NULL ||
      sonde_request_options_get_proxy_password (options) != NULL ||
      no_proxy != NULL ||
      nested_extra (extra, "proxy") != NULL)
    {
      g_autoptr(GEnumClass) modes = g_type_class_ref (SONDE_TYPE_PROXY_MODE);
      JsonObject *proxy = json_object_new ();
      SondeProxyMode mode = sonde_request_options_get_proxy_mode (options);

      json_object_set_string_member (proxy, "mode", g_enum_get_value (modes, mode)->value_nick);
      set_string_if_set (proxy, "url", sonde_request_options_get_proxy_url (options));
      set_string_if_set (proxy, "username", sonde_request_options_get_proxy_username (options));
      set_string_if_set (proxy, "password", sonde_request_options_get_proxy_password (options));
      if (no_proxy != NULL)
        {
          JsonArray *hosts = json_array_new ();

          for (guint i = 0; no_proxy[i] != NULL; i++)
            json_array_add_string_element (hosts, no_proxy[i]);
          json_object_set_array_member (proxy, "noProxy", hosts);
        }
      sonde_json_add_extra (proxy, nested_extra (extra, "proxy"));
      json_object_set_object_member (object, "proxy", proxy);
    }

  if (IS_SET ("httpVersion") ||
      sonde_request_options_get_http_version (options) == SONDE_HTTP_VERSION_1_1)
    json_object_set_string_member (object, "httpVersion",
                                   sonde_request_options_get_http_version (options) == SONDE_HTTP_VERSION_1_1
                                   ? "1.1" : "auto");
  if (IS_SET ("maxBodySize") || sonde_request_options_get_max_body_size (options) > 0)
    json_object_set_int_member (object, "maxBodySize",
                                (gint64)MIN (sonde_request_options_get_max_body_size (options), G_MAXINT64));
#undef IS_SET

  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, extra);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          /* Nested unknowns went inside their object above, or go with it when it is unset. */
          if (g_str_equal (name, "clientCertificate") || g_str_equal (name, "proxy"))
            continue;
          if (!json_object_has_member (object, name))
            json_object_set_member (object, name, json_node_copy (member));
        }
    }

  if (json_object_get_size (object) == 0)
    {
      json_object_unref (object);
      return NULL;
    }

  return object;
}
/**
 * sonde_request_to_json:
 *
 * Returns: (transfer full): the request file's top-level object, in the key order of
 *   docs/collection-format.md. See sonde_request_to_data() for @file_basename and @sidecar_text.
 */
JsonObject *
sonde_request_to_json (SondeRequest  *self,
                       const char    *file_basename,
                       char         **sidecar_text)
{
  SondeBody *body = sonde_request_peek_body (self);
  SondeAuth *auth = sonde_request_peek_auth (self);
  SondeRequestOptions *options = sonde_request_peek_options (self);
  JsonObject *object;
  JsonObject *sub;

  if (sidecar_text != NULL)
    *sidecar_text = NULL;

  object = json_object_new ();
  set_string_if_set (object, "name", sonde_request_get_name (self));
  if (sonde_request_get_order (self) != 0)
    json_object_set_int_member (object, "order", sonde_request_get_order (self));
  set_string (object, "method", sonde_request_get_method (self));
  set_string (object, "url", sonde_request_get_url (self));
  set_rows (object, "params", sonde_request_peek_params (self));
  set_rows (object, "headers", sonde_request_peek_headers (self));
  set_rows (object, "cookies", sonde_request_peek_cookies (self));

  /* A part never made is the default, which the file leaves out. */
  if (body != NULL && (sub = body_to_json (body, file_basename, sidecar_text)))
    json_object_set_object_member (object, "body", sub);
  if (auth != NULL && (sub = auth_to_json (auth)))
    json_object_set_object_member (object, "auth", sub);
  if (options != NULL && (sub = options_to_json (options)))
    json_object_set_object_member (object, "options", sub);

  sonde_json_add_extra (object, sonde_request_get_extra (self));

  return object;
}
/* ------------------------------------------------------------------------------------------
 * JSON tree -> SondeRequest
 * ------------------------------------------------------------------------------------------ */

static GObject *
read_row (JsonObject  *row,
          const char  *row_path,
          GError     **error)
{
  static const char * const known[] = { "name", "value", "enabled", NULL };
  g_autoptr(JsonObject) extra = NULL;
  const char *name = "";
  const char *value = "";
  gboolean enabled = TRUE;
  SondeKeyValue *key_value;

  if (!sonde_json_read_string (row, "name", row_path, &name, error) ||
      !sonde_json_read_string (row, "value", row_path, &value, error) ||
      !sonde_json_read_boolean (row, "enabled", row_path, &enabled, error))
    return NULL;

  key_value = sonde_key_value_new (name, value, enabled);
  extra = sonde_json_collect_extra (row, known);
  sonde_key_value_set_extra (key_value, extra);
  return G_OBJECT (key_value);
}

static gboolean
read_rows (JsonObject  *object,
           const char  *key,
           const char  *parent,
           GListStore  *store,
           GError     **error)
{
  return sonde_json_read_rows (object, key, parent, store, read_row, error);
}

/* Makes the request's list only when the file has the key. */
static gboolean
read_request_rows (JsonObject     *object,
                   const char     *key,
                   SondeRequest   *request,
                   GListStore   *(*get_rows) (SondeRequest *),
                   GError        **error)
{
  if (!json_object_has_member (object, key))
    return TRUE;
  return read_rows (object, key, NULL, get_rows (request), error);
}

static gboolean
read_parts (JsonObject  *object,
            const char  *parent,
            SondeBody   *body,
            GError     **error)
{
  static const char * const known[] = { "name", "value", "file", "filename", "contentType",
                                        "enabled", NULL };
  g_autofree char *path = sonde_json_member_path (parent, "parts");
  g_autoptr(GPtrArray) parts = NULL;
  JsonArray *array;
  guint length;

  if (!sonde_json_read_array (object, "parts", parent, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  length = json_array_get_length (array);
  parts = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *part_path = sonde_json_element_path (path, i);
      g_autoptr(JsonObject) extra = NULL;
      const char *name = "";
      const char *value = "";
      const char *file = NULL;
      const char *filename = NULL;
      const char *content_type = NULL;
      gboolean enabled = TRUE;
      JsonObject *part_object;
      SondeBodyPart *part;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("%s must be an object"), part_path);
          return FALSE;
        }

      part_object = json_node_get_object (node);
      if (!sonde_json_read_string (part_object, "name", part_path, &name, error) ||
          !sonde_json_read_string (part_object, "value", part_path, &value, error) ||
          !sonde_json_read_string (part_object, "file", part_path, &file, error) ||
          !sonde_json_read_string (part_object, "filename", part_path, &filename, error) ||
          !sonde_json_read_string (part_object, "contentType", part_path, &content_type, error) ||
          !sonde_json_read_boolean (part_object, "enabled", part_path, &enabled, error))
        return FALSE;

      part = file != NULL ? sonde_body_part_new_file (name, file) : sonde_body_part_new_text (name, value);
      /* A file part with a "value" keeps it: it comes back if the part becomes text again. */
      if (file != NULL && json_object_has_member (part_object, "value"))
        sonde_body_part_set_value (part, value);
      sonde_body_part_set_filename (part, filename);
      sonde_body_part_set_content_type (part, content_type);
      sonde_body_part_set_enabled (part, enabled);
      extra = sonde_json_collect_extra (part_object, known);
      /* "value" of a file part is not written back by the model: keep it as unknown. */
      if (file != NULL && json_object_has_member (part_object, "value"))
        {
          if (extra == NULL)
            extra = json_object_new ();
          json_object_set_member (extra, "value",
                                  json_node_copy (json_object_get_member (part_object, "value")));
        }
      sonde_body_part_set_extra (part, extra);
      g_ptr_array_add (parts, part);
    }

  g_list_store_splice (sonde_body_get_parts (body), 0, 0, parts->pdata, parts->len);
  return TRUE;
}

static gboolean
read_sidecar (GFile       *dir,
              const char  *name,
              char       **text,
              GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (dir == NULL && !g_path_is_absolute (name))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                   _("The body file “%s” cannot be found: the request has no folder"), name);
      return FALSE;
    }

  file = g_path_is_absolute (name) ? g_file_new_for_path (name) : g_file_resolve_relative_path (dir, name);
  if (!sonde_file_load_bounded (file, SONDE_MAX_SIDECAR_SIZE, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                     _("The body file “%s” does not exist"), name);
      else
        g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                     _("The body file “%s” could not be read: %s"), name, local_error->message);
      return FALSE;
    }

  if (memchr (contents, '\0', length) != NULL || !g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                   _("The body file “%s” is not UTF-8 text"), name);
      return FALSE;
    }

  *text = g_steal_pointer (&contents);
  return TRUE;
}

static gboolean
read_graphql_extras (JsonObject  *object,
                     const char  *path,
                     SondeBody   *body,
                     GError     **error)
{
  JsonNode *variables = json_object_get_member (object, "variables");
  const char *operation_name = NULL;

  if (!sonde_json_read_string (object, "operationName", path, &operation_name, error))
    return FALSE;
  sonde_body_set_operation_name (body, operation_name);

  if (variables == NULL || JSON_NODE_HOLDS_NULL (variables))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (variables))
    {
      g_autofree char *text = json_to_string (variables, TRUE);

      sonde_body_set_variables (body, text);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (variables) && json_node_get_value_type (variables) == G_TYPE_STRING)
    {
      sonde_body_set_variables (body, json_node_get_string (variables));
      return TRUE;
    }
  return sonde_json_invalid_value (error, path, "variables", _("%s must be an object"));
}

static gboolean
read_body (JsonObject  *object,
           SondeBody   *body,
           GFile       *dir,
           GError     **error)
{
  static const char * const known_text[] = { "type", "contentType", "text", "file", NULL };
  static const char * const known_form[] = { "type", "contentType", "fields", NULL };
  static const char * const known_multipart[] = { "type", "contentType", "parts", NULL };
  static const char * const known_file[] = { "type", "contentType", "file", NULL };
  static const char * const known_none[] = { "type", NULL };
  static const char * const known_graphql[] = { "type", "contentType", "query", "file", "variables", "operationName", NULL };
  const char * const *known = known_none;
  g_autoptr(GEnumClass) kinds = g_type_class_ref (SONDE_TYPE_BODY_KIND);
  g_autoptr(JsonObject) extra = NULL;
  const char *path = "“body”";
  const char *type = NULL;
  const char *content_type = NULL;
  GEnumValue *kind;

  if (!sonde_json_read_string (object, "type", path, &type, error))
    return FALSE;
  if (type == NULL)
    return sonde_json_invalid_value (error, path, "type", _("%s is missing"));

  kind = g_enum_get_value_by_nick (kinds, type);
  if (kind == NULL)
    {
      /* A body type from a newer Sonde: keep the whole object, send no body. */
      sonde_body_set_extra (body, object);
      return TRUE;
    }

  if (!sonde_json_read_string (object, "contentType", path, &content_type, error))
    return FALSE;
  sonde_body_set_content_type (body, content_type);
  sonde_body_set_kind (body, kind->value);

  switch (kind->value)
    {
    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
    case SONDE_BODY_GRAPHQL:
      {
        const char *text_key = kind->value == SONDE_BODY_GRAPHQL ? "query" : "text";
        const char *text = NULL;
        const char *file = NULL;

        known = kind->value == SONDE_BODY_GRAPHQL ? known_graphql : known_text;
        if (!sonde_json_read_string (object, text_key, path, &text, error) ||
            !sonde_json_read_string (object, "file", path, &file, error))
          return FALSE;

        if (text != NULL && file != NULL)
          {
            g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                         _("%s has both “%s” and “file”; keep one"), path, text_key);
            return FALSE;
          }
        if (kind->value == SONDE_BODY_GRAPHQL && !read_graphql_extras (object, path, body, error))
          return FALSE;

        if (file != NULL)
          {
            g_autofree char *contents = NULL;

            if (!read_sidecar (dir, file, &contents, error))
              return FALSE;
            sonde_body_set_text (body, contents);
            sonde_body_set_text_file (body, file);
          }
        else
          sonde_body_set_text (body, text);
      }
      break;

    case SONDE_BODY_FORM:
      known = known_form;
      if (!read_rows (object, "fields", path, sonde_body_get_fields (body), error))
        return FALSE;
      break;

    case SONDE_BODY_MULTIPART:
      known = known_multipart;
      if (!read_parts (object, path, body, error))
        return FALSE;
      break;

    case SONDE_BODY_FILE:
      {
        const char *file = NULL;

        known = known_file;
        if (!sonde_json_read_string (object, "file", path, &file, error))
          return FALSE;
        sonde_body_set_file (body, file);
      }
      break;

    case SONDE_BODY_NONE:
    default:
      break;
    }

  extra = sonde_json_collect_extra (object, known);
  sonde_body_set_extra (body, extra);
  return TRUE;
}

static gboolean
read_auth (JsonObject  *object,
           SondeAuth   *auth,
           GError     **error)
{
  static const char * const known_password[] = { "type", "username", "password", NULL };
  static const char * const known_bearer[] = { "type", "token", NULL };
  static const char * const known_api_key[] = { "type", "name", "value", "in", NULL };
  static const char * const known_none[] = { "type", NULL };
  static const char * const known_oauth[] = { "type", "grant", "tokenUrl", "authUrl", "clientId", "clientSecret",
                                              "scope", "audience", "clientAuth", "tokenHeader", "tokenQuery", "extraParams", "username", "password", NULL };
  static const char * const known_aws[] = { "type", "accessKey", "secretKey", "sessionToken", "region", "service", NULL };
  const char * const *known;
  g_autoptr(JsonObject) extra = NULL;
  const char *path = "“auth”";
  const char *type = NULL;

  if (!sonde_json_read_string (object, "type", path, &type, error))
    return FALSE;
  if (type == NULL)
    return sonde_json_invalid_value (error, path, "type", _("%s is missing"));

  if (g_str_equal (type, "basic") || g_str_equal (type, "digest") || g_str_equal (type, "ntlm"))
    {
      const char *username = "";
      const char *password = "";

      known = known_password;
      if (!sonde_json_read_string (object, "username", path, &username, error) ||
          !sonde_json_read_string (object, "password", path, &password, error))
        return FALSE;
      sonde_auth_set_kind (auth, g_str_equal (type, "basic") ? SONDE_AUTH_BASIC :
                                 g_str_equal (type, "digest") ? SONDE_AUTH_DIGEST : SONDE_AUTH_NTLM);
      sonde_auth_set_username (auth, username);
      sonde_auth_set_password (auth, password);
    }
  else if (g_str_equal (type, "bearer"))
    {
      const char *token = "";

      known = known_bearer;
      if (!sonde_json_read_string (object, "token", path, &token, error))
        return FALSE;
      sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
      sonde_auth_set_token (auth, token);
    }
  else if (g_str_equal (type, "apiKey"))
    {
      const char *name = "";
      const char *value = "";
      const char *in = "header";

      known = known_api_key;
      if (!sonde_json_read_string (object, "name", path, &name, error) ||
          !sonde_json_read_string (object, "value", path, &value, error) ||
          !sonde_json_read_string (object, "in", path, &in, error))
        return FALSE;
      if (!g_str_equal (in, "header") && !g_str_equal (in, "query"))
        return sonde_json_invalid_value (error, path, "in", _("%s must be “header” or “query”"));
      sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
      sonde_auth_set_key_name (auth, name);
      sonde_auth_set_key_value (auth, value);
      sonde_auth_set_key_location (auth, g_str_equal (in, "query") ? SONDE_API_KEY_IN_QUERY
                                                                     : SONDE_API_KEY_IN_HEADER);
    }
  else if (g_str_equal (type, "oauth2"))
    {
      const char *username = "";
      const char *password = "";

      known = known_oauth;
      sonde_auth_set_kind (auth, SONDE_AUTH_OAUTH2);
      for (guint i = 0; i < G_N_ELEMENTS (oauth_keys); i++)
        {
          const char *value = "";

          if (!sonde_json_read_string (object, oauth_keys[i].key, path, &value, error))
            return FALSE;
          sonde_auth_set_oauth (auth, oauth_keys[i].field, value);
        }
      if (sonde_auth_get_oauth (auth, SONDE_OAUTH_GRANT)[0] == '\0')
        sonde_auth_set_oauth (auth, SONDE_OAUTH_GRANT, "client_credentials");
      if (!g_str_equal (sonde_auth_get_oauth (auth, SONDE_OAUTH_GRANT), "client_credentials") &&
          !g_str_equal (sonde_auth_get_oauth (auth, SONDE_OAUTH_GRANT), "password") &&
          !g_str_equal (sonde_auth_get_oauth (auth, SONDE_OAUTH_GRANT), "authorization_code"))
        return sonde_json_invalid_value (error, path, "grant",
                                         _("%s must be “client_credentials”, “password” or “authorization_code”"));
      if (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_AUTH)[0] != '\0' &&
          !g_str_equal (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_AUTH), "body") &&
          !g_str_equal (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_AUTH), "basic"))
        return sonde_json_invalid_value (error, path, "clientAuth", _("%s must be “body” or “basic”"));
      if (!sonde_json_read_string (object, "username", path, &username, error) ||
          !sonde_json_read_string (object, "password", path, &password, error))
        return FALSE;
      sonde_auth_set_username (auth, username);
      sonde_auth_set_password (auth, password);
    }
  else if (g_str_equal (type, "awsSigV4"))
    {
      const char *access_key = "";
      const char *secret_key = "";
      const char *session_token = "";
      const char *region = "";
      const char *service = "";

      known = known_aws;
      if (!sonde_json_read_string (object, "accessKey", path, &access_key, error) ||
          !sonde_json_read_string (object, "secretKey", path, &secret_key, error) ||
          !sonde_json_read_string (object, "sessionToken", path, &session_token, error) ||
          !sonde_json_read_string (object, "region", path, &region, error) ||
          !sonde_json_read_string (object, "service", path, &service, error))
        return FALSE;
      sonde_auth_set_kind (auth, SONDE_AUTH_AWS_SIGV4);
      sonde_auth_set_username (auth, access_key);
      sonde_auth_set_password (auth, secret_key);
      sonde_auth_set_token (auth, session_token);
      sonde_auth_set_region (auth, region);
      sonde_auth_set_service (auth, service);
    }
  else if (g_str_equal (type, "none"))
    {
      known = known_none;
      sonde_auth_set_kind (auth, SONDE_AUTH_NONE);
    }
  else
    {
      /* An auth type from a newer Sonde: keep the whole object, send no credentials. */
      sonde_auth_set_kind (auth, SONDE_AUTH_NONE);
      sonde_auth_set_extra (auth, object);
      return TRUE;
    }

  extra = sonde_json_collect_extra (object, known);
  sonde_auth_set_extra (auth, extra);
  return TRUE;
}

static gboolean
read_client_certificate (JsonObject           *object,
                         SondeRequestOptions  *options,
                         JsonObject           *options_extra,
                         GError              **error)
{
  static const char * const known[] = { "cert", "key", "pkcs12", "passphrase", NULL };
  g_autoptr(JsonObject) extra = NULL;
  const char *path = "“options”.“clientCertificate”";
  const char *cert = NULL;
  const char *key = NULL;
  const char *pkcs12 = NULL;
  const char *passphrase = NULL;

  if (!sonde_json_read_string (object, "cert", path, &cert, error) ||
      !sonde_json_read_string (object, "key", path, &key, error) ||
      !sonde_json_read_string (object, "pkcs12", path, &pkcs12, error) ||
      !sonde_json_read_string (object, "passphrase", path, &passphrase, error))
    return FALSE;

  sonde_request_options_set_client_cert (options, cert);
  sonde_request_options_set_client_key (options, key);
  sonde_request_options_set_client_pkcs12 (options, pkcs12);
  sonde_request_options_set_client_passphrase (options, passphrase);

  if ((extra = sonde_json_collect_extra (object, known)))
    json_object_set_object_member (options_extra, "clientCertificate", g_steal_pointer (&extra));
  return TRUE;
}

static gboolean
read_proxy (JsonObject           *object,
            SondeRequestOptions  *options,
            JsonObject           *options_extra,
            GError              **error)
{
  static const char * const known[] = { "mode", "url", "username", "password", "noProxy", NULL };
  g_autoptr(GEnumClass) modes = g_type_class_ref (SONDE_TYPE_PROXY_MODE);
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(GStrvBuilder) hosts = g_strv_builder_new ();
  g_auto(GStrv) no_proxy = NULL;
  const char *path = "“options”.“proxy”";
  const char *mode = "system";
  const char *url = NULL;
  const char *username = NULL;
  const char *password = NULL;
  GEnumValue *mode_value;
  JsonArray *array;

  if (!sonde_json_read_string (object, "mode", path, &mode, error) ||
      !sonde_json_read_string (object, "url", path, &url, error) ||
      !sonde_json_read_string (object, "username", path, &username, error) ||
      !sonde_json_read_string (object, "password", path, &password, error) ||
      !sonde_json_read_array (object, "noProxy", path, &array, error))
    return FALSE;

  if ((mode_value = g_enum_get_value_by_nick (modes, mode)) == NULL)
    return sonde_json_invalid_value (error, path, "mode", _("%s must be “system”, “none” or “custom”"));

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_autofree char *list_path = sonde_json_member_path (path, "noProxy");

          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("%s[%u] must be a string"), list_path, i);
          return FALSE;
        }
      g_strv_builder_add (hosts, json_node_get_string (node));
    }
  no_proxy = g_strv_builder_end (hosts);

  sonde_request_options_set_proxy_mode (options, mode_value->value);
  sonde_request_options_set_proxy_url (options, url);
  sonde_request_options_set_proxy_username (options, username);
  sonde_request_options_set_proxy_password (options, password);
  sonde_request_options_set_no_proxy (options, (const char * const *)no_proxy);

  if ((extra = sonde_json_collect_extra (object, known)))
    json_object_set_object_member (options_extra, "proxy", g_steal_pointer (&extra));
  return TRUE;
}

static gboolean
read_options (JsonObject           *object,
              SondeRequestOptions  *options,
              GError              **error)
{
  static const char * const known[] = { "timeout", "connectTimeout", "followRedirects",
                                        "maxRedirects", "verifyTls", "caFile",
                                        "clientCertificate", "proxy", "httpVersion",
                                        "maxBodySize", NULL };
  g_autoptr(JsonObject) extra = NULL;
  const char *path = "“options”";
  double timeout = 0;
  double connect_timeout = 0;
  gboolean follow_redirects = TRUE;
  gint64 max_redirects = 10;
  gboolean verify_tls = TRUE;
  const char *ca_file = NULL;
  const char *http_version = "auto";
  gint64 max_body_size = 0;
  JsonObject *client_certificate;
  JsonObject *proxy;

  if (!sonde_json_read_number (object, "timeout", path, &timeout, error) ||
      !sonde_json_read_number (object, "connectTimeout", path, &connect_timeout, error) ||
      !sonde_json_read_boolean (object, "followRedirects", path, &follow_redirects, error) ||
      !sonde_json_read_integer (object, "maxRedirects", path, 0, &max_redirects, error) ||
      !sonde_json_read_boolean (object, "verifyTls", path, &verify_tls, error) ||
      !sonde_json_read_string (object, "caFile", path, &ca_file, error) ||
      !sonde_json_read_object (object, "clientCertificate", path, &client_certificate, error) ||
      !sonde_json_read_object (object, "proxy", path, &proxy, error) ||
      !sonde_json_read_string (object, "httpVersion", path, &http_version, error) ||
      !sonde_json_read_integer (object, "maxBodySize", path, 0, &max_body_size, error))
    return FALSE;

  if (!g_str_equal (http_version, "auto") && !g_str_equal (http_version, "1.1"))
    return sonde_json_invalid_value (error, path, "httpVersion", _("%s must be “auto” or “1.1”"));
  if (max_redirects > G_MAXINT)
    return sonde_json_invalid_value (error, path, "maxRedirects", _("%s is too large"));

  sonde_request_options_set_timeout (options, timeout);
  sonde_request_options_set_connect_timeout (options, connect_timeout);
  sonde_request_options_set_follow_redirects (options, follow_redirects);
  sonde_request_options_set_max_redirects (options, (int)max_redirects);
  sonde_request_options_set_verify_tls (options, verify_tls);
  sonde_request_options_set_ca_file (options, ca_file);
  sonde_request_options_set_http_version (options, g_str_equal (http_version, "1.1")
                                                   ? SONDE_HTTP_VERSION_1_1
                                                   : SONDE_HTTP_VERSION_AUTO);
  sonde_request_options_set_max_body_size (options, (guint64)max_body_size);

  /* A key in the file is explicit, even at its default value: it overrides the folders'.
   * null is read as no key. */
  for (guint i = 0; known[i] != NULL; i++)
    {
      JsonNode *member = json_object_get_member (object, known[i]);

      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        sonde_request_options_mark_set (options, known[i]);
    }

  extra = sonde_json_collect_extra (object, known);
  if (extra == NULL)
    extra = json_object_new ();

  if (client_certificate != NULL &&
      !read_client_certificate (client_certificate, options, extra, error))
    return FALSE;
  if (proxy != NULL && !read_proxy (proxy, options, extra, error))
    return FALSE;

  sonde_request_options_set_extra (options, json_object_get_size (extra) > 0 ? extra : NULL);
  return TRUE;
}

/**
 * sonde_request_from_json:
 * @dir: (nullable): the folder sidecar files are read from
 *
 * Returns: (transfer full) (nullable): the request, without "file" and "base-dir"
 */
SondeRequest *
sonde_request_from_json (JsonObject  *object,
                         GFile       *dir,
                         GError     **error)
{
  static const char * const known[] = { "name", "order", "method", "url", "params", "headers",
                                        "cookies", "body", "auth", "options", NULL };
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(JsonObject) extra = NULL;
  const char *name = "";
  const char *method = "GET";
  const char *url = "";
  gint64 order = 0;
  JsonObject *body;
  JsonObject *auth;
  JsonObject *options;

  if (!sonde_json_read_string (object, "name", NULL, &name, error) ||
      !sonde_json_read_integer (object, "order", NULL, G_MININT64, &order, error) ||
      !sonde_json_read_string (object, "method", NULL, &method, error) ||
      !sonde_json_read_string (object, "url", NULL, &url, error) ||
      !read_request_rows (object, "params", request, sonde_request_get_params, error) ||
      !read_request_rows (object, "headers", request, sonde_request_get_headers, error) ||
      !read_request_rows (object, "cookies", request, sonde_request_get_cookies, error) ||
      !sonde_json_read_object (object, "body", NULL, &body, error) ||
      !sonde_json_read_object (object, "auth", NULL, &auth, error) ||
      !sonde_json_read_object (object, "options", NULL, &options, error))
    return NULL;

  sonde_request_set_name (request, name);
  sonde_request_set_order (request, order);
  sonde_request_set_method (request, method);
  sonde_request_set_url (request, url);

  if (body != NULL && !read_body (body, sonde_request_get_body (request), dir, error))
    return NULL;
  if (auth != NULL && !read_auth (auth, sonde_request_get_auth (request), error))
    return NULL;
  if (options != NULL && !read_options (options, sonde_request_get_options (request), error))
    return NULL;

  extra = sonde_json_collect_extra (object, known);
  sonde_request_set_extra (request, extra);

  return g_steal_pointer (&request);
}

/**
 * sonde_request_options_to_json:
 *
 * Returns: (transfer full) (nullable): the "options" object of a request file holding
 *   @options, or %NULL when it sets nothing
 */
JsonObject *
sonde_request_options_to_json (SondeRequestOptions *options)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (options), NULL);

  return options_to_json (options);
}

/**
 * sonde_request_options_from_json:
 * @object: the "options" object of a request file
 *
 * Reads @object as a request file's options would be read, errors included.
 *
 * Returns: (transfer full) (nullable): the options, or %NULL with @error set
 */
SondeRequestOptions *
sonde_request_options_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(SondeRequestOptions) options = sonde_request_options_new ();

  g_return_val_if_fail (object != NULL, NULL);

  if (!read_options (object, options, error))
    return NULL;
  return g_steal_pointer (&options);
}
