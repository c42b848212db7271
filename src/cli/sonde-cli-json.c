/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-cli"

#include "config.h"

#include "sonde-cli-json.h"
#include "sonde-json-file.h"

#include <math.h>

gboolean
sonde_cli_is_textual_content_type (const char *content_type)
{
  g_autofree char *lower = NULL;

  if (content_type == NULL)
    return FALSE;

  lower = g_ascii_strdown (content_type, -1);

  return g_str_has_prefix (lower, "text/")
         || strstr (lower, "json") != NULL
         || strstr (lower, "xml") != NULL
         || strstr (lower, "javascript") != NULL
         || strstr (lower, "x-www-form-urlencoded") != NULL;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_milliseconds (JsonBuilder *builder,
                  const char  *name,
                  double       milliseconds)
{
  json_builder_set_member_name (builder, name);
  if (milliseconds < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, milliseconds);
}

static const char *
same_site_to_string (SoupSameSitePolicy policy)
{
  switch (policy)
    {
    case SOUP_SAME_SITE_POLICY_LAX:
      return "Lax";
    case SOUP_SAME_SITE_POLICY_STRICT:
      return "Strict";
    case SOUP_SAME_SITE_POLICY_NONE:
    default:
      return "None";
    }
}

static void
add_headers (JsonBuilder   *builder,
             SondeResponse *response)
{
  GListModel *headers = sonde_response_get_headers (response);
  guint n_headers = headers != NULL ? g_list_model_get_n_items (headers) : 0;

  json_builder_set_member_name (builder, "headers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_headers; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (headers, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, sonde_key_value_get_name (row));
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, sonde_key_value_get_value (row));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_masked (JsonBuilder        *builder,
            const char         *name,
            const char         *value,
            const char * const *secrets)
{
  g_autofree char *masked = sonde_secrets_mask (value, secrets);

  add_string_or_null (builder, name, masked);
}

static void
add_redirects (JsonBuilder        *builder,
               SondeResponse      *response,
               const char * const *secrets)
{
  GPtrArray *redirects = sonde_response_get_redirects (response);

  json_builder_set_member_name (builder, "redirects");
  json_builder_begin_array (builder);
  for (guint i = 0; redirects != NULL && i < redirects->len; i++)
    {
      const SondeRedirect *redirect = g_ptr_array_index (redirects, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, redirect->status);
      add_masked (builder, "url", redirect->url, secrets);
      if (redirect->dropped != NULL)
        {
          json_builder_set_member_name (builder, "droppedHeaders");
          json_builder_begin_array (builder);
          for (guint j = 0; redirect->dropped[j] != NULL; j++)
            json_builder_add_string_value (builder, redirect->dropped[j]);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_cookies (JsonBuilder   *builder,
             SondeResponse *response)
{
  GPtrArray *cookies = sonde_response_get_cookies (response);

  json_builder_set_member_name (builder, "cookies");
  json_builder_begin_array (builder);
  for (guint i = 0; cookies != NULL && i < cookies->len; i++)
    {
      SoupCookie *cookie = g_ptr_array_index (cookies, i);
      GDateTime *expires = soup_cookie_get_expires (cookie);
      g_autofree char *expires_text = expires != NULL ? g_date_time_format_iso8601 (expires) : NULL;

      json_builder_begin_object (builder);
      add_string_or_null (builder, "name", soup_cookie_get_name (cookie));
      add_string_or_null (builder, "value", soup_cookie_get_value (cookie));
      add_string_or_null (builder, "domain", soup_cookie_get_domain (cookie));
      add_string_or_null (builder, "path", soup_cookie_get_path (cookie));
      add_string_or_null (builder, "expires", expires_text);
      json_builder_set_member_name (builder, "secure");
      json_builder_add_boolean_value (builder, soup_cookie_get_secure (cookie));
      json_builder_set_member_name (builder, "httpOnly");
      json_builder_add_boolean_value (builder, soup_cookie_get_http_only (cookie));
      json_builder_set_member_name (builder, "sameSite");
      json_builder_add_string_value (builder, same_site_to_string (soup_cookie_get_same_site_policy (cookie)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* Adds "body" when it is text, or "bodyOmitted" saying why it is not there. */
static gboolean
add_body (JsonBuilder    *builder,
          SondeResponse  *response,
          GError        **error)
{
  SondeBodyStore *store = sonde_response_get_body (response);
  const char *content_type = sonde_response_get_content_type (response);
  const char *omitted = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint64 size;

  if (store == NULL)
    {
      GFile *output = sonde_response_get_output (response);
      g_autofree char *path = output != NULL ? g_file_get_path (output) : NULL;

      json_builder_set_member_name (builder, "bodyOmitted");
      json_builder_add_string_value (builder, "output");
      add_string_or_null (builder, "output", path);
      return TRUE;
    }

  size = sonde_body_store_get_size (store);

  /* Without a content type, valid UTF-8 counts as text. */
  if (content_type != NULL && !sonde_cli_is_textual_content_type (content_type))
    omitted = "binary";
  else if (size > SONDE_CLI_JSON_MAX_BODY)
    omitted = "too-large";
  else
    {
      bytes = sonde_body_store_read (store, 0, size, error);
      if (bytes == NULL)
        return FALSE;

      /* Embedded NULs fail validation too, so the string below is whole. */
      if (!g_utf8_validate_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
        omitted = "binary";
    }

  if (omitted != NULL)
    {
      json_builder_set_member_name (builder, "bodyOmitted");
      json_builder_add_string_value (builder, omitted);
    }
  else
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, text);
    }

  return TRUE;
}

static void
add_timings (JsonBuilder   *builder,
             SondeResponse *response)
{
  const SondeTimings *timings = sonde_response_get_timings (response);

  json_builder_set_member_name (builder, "timings");
  json_builder_begin_object (builder);
  add_milliseconds (builder, "dns", timings != NULL ? timings->dns : -1);
  add_milliseconds (builder, "connect", timings != NULL ? timings->connect : -1);
  add_milliseconds (builder, "tls", timings != NULL ? timings->tls : -1);
  add_milliseconds (builder, "firstByte", timings != NULL ? timings->first_byte : -1);
  add_milliseconds (builder, "total", timings != NULL ? timings->total : -1);
  json_builder_end_object (builder);
}

/* "tls": {"version", "cipher", "certificateErrors" (words, or null), "chain": [{"subject",
 * "issuer", "notBefore", "notAfter"}] (the server's certificate first)}. */
static void
add_tls (JsonBuilder   *builder,
         SondeResponse *response)
{
  g_autofree char *errors = sonde_tls_certificate_flags_to_string (sonde_response_get_tls_errors (response));

  json_builder_set_member_name (builder, "tls");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "version", sonde_tls_protocol_to_string (sonde_response_get_tls_protocol (response)));
  add_string_or_null (builder, "cipher", sonde_response_get_tls_cipher (response));
  add_string_or_null (builder, "certificateErrors", errors);
  json_builder_set_member_name (builder, "chain");
  json_builder_add_value (builder, sonde_tls_chain_to_json (sonde_response_get_peer_certificate (response)));
  json_builder_end_object (builder);
}

JsonNode *
sonde_cli_response_to_json (SondeResponse       *response,
                            const char * const  *secrets,
                            GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *warning;

  g_return_val_if_fail (SONDE_IS_RESPONSE (response), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, sonde_response_get_status (response));
  add_string_or_null (builder, "reason", sonde_response_get_reason (response));
  add_string_or_null (builder, "httpVersion", sonde_response_get_http_version (response));
  add_masked (builder, "url", sonde_response_get_url (response), secrets);
  add_redirects (builder, response, secrets);
  add_headers (builder, response);
  add_cookies (builder, response);

  json_builder_set_member_name (builder, "bodySize");
  json_builder_add_int_value (builder, sonde_response_get_body_size (response));
  if (!add_body (builder, response, error))
    return NULL;
  json_builder_set_member_name (builder, "bodyTruncated");
  json_builder_add_boolean_value (builder, sonde_response_get_body_truncated (response));
  warning = sonde_response_get_body_warning (response);
  if (warning != NULL)
    add_string_or_null (builder, "warning", warning);

  if (sonde_response_get_is_tls (response))
    {
      json_builder_set_member_name (builder, "tlsVerified");
      json_builder_add_boolean_value (builder, sonde_response_get_tls_verified (response));
      add_tls (builder, response);
    }

  add_timings (builder, response);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
sonde_cli_error_to_json (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "domain", g_quark_to_string (error->domain));
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, error->code);
  add_string_or_null (builder, "message", error->message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
append_indent (GString *out,
               guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* Milliseconds to the microsecond, without trailing zeros. */
static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  g_ascii_formatd (buffer, sizeof buffer, "%.3f", value);
  end = buffer + strlen (buffer);
  while (end > buffer && end[-1] == '0')
    *--end = '\0';
  if (end > buffer && end[-1] == '.')
    *--end = '\0';
  if (strcmp (buffer, "-0") == 0)
    strcpy (buffer, "0");
  g_string_append (out, buffer);
}

static void append_node (GString  *out,
                         JsonNode *node,
                         guint     depth);

static void
append_object (GString    *out,
               JsonObject *object,
               guint       depth)
{
  g_autoptr(GList) members = json_object_get_members (object);

  if (members == NULL)
    {
      g_string_append (out, "{}");
      return;
    }

  g_string_append (out, "{\n");
  for (const GList *l = members; l != NULL; l = l->next)
    {
      append_indent (out, depth + 1);
      sonde_json_append_string (out, l->data);
      g_string_append (out, ": ");
      append_node (out, json_object_get_member (object, l->data), depth + 1);
      g_string_append (out, l->next != NULL ? ",\n" : "\n");
    }
  append_indent (out, depth);
  g_string_append_c (out, '}');
}

static void
append_array (GString   *out,
              JsonArray *array,
              guint      depth)
{
  guint length = json_array_get_length (array);

  if (length == 0)
    {
      g_string_append (out, "[]");
      return;
    }

  g_string_append (out, "[\n");
  for (guint i = 0; i < length; i++)
    {
      append_indent (out, depth + 1);
      append_node (out, json_array_get_element (array, i), depth + 1);
      g_string_append (out, i + 1 < length ? ",\n" : "\n");
    }
  append_indent (out, depth);
  g_string_append_c (out, ']');
}

static void
append_node (GString  *out,
             JsonNode *node,
             guint     depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node), depth);
      break;
    case JSON_NODE_ARRAY:
      append_array (out, json_node_get_array (node), depth);
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          sonde_json_append_string (out, json_node_get_string (node));
          break;
        default:
          g_assert_not_reached ();
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* JsonGenerator in json-glib 1.6 prints doubles with 17 significant digits
 * ("12.345000000000001"), so the tree is written here: 2-space indent, "key": value,
 * timings to the microsecond, a trailing newline. */
char *
sonde_cli_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  append_node (out, node, 0);
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}
