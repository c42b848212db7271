/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-variables"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-variables.h"

#include "sonde-collection-private.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-websocket.h"

/* The last "{" or "}" in [FIRST, LAST), or NULL. */
static const char *
last_brace (const char *first,
            const char *last)
{
  for (const char *p = last; p > first; p--)
    if (p[-1] == '{' || p[-1] == '}')
      return p - 1;
  return NULL;
}

/* Finds the next {{name}} in TEXT from START. Returns FALSE when there is none. On success
 * *BEGIN and *END delimit the whole reference and *NAME is the trimmed name (owned).
 * "{{" with no "}}" after it, or with an empty name or braces inside, is plain text. */
static gboolean
next_reference (const char  *text,
                const char  *start,
                const char **begin,
                const char **end,
                char       **name)
{
  const char *open = start;

  while ((open = strstr (open, "{{")) != NULL)
    {
      const char *close = strstr (open + 2, "}}");
      const char *first;
      const char *last;
      const char *brace;

      if (close == NULL)
        return FALSE;

      first = open + 2;
      last = close;
      while (first < last && g_ascii_isspace (*first))
        first++;
      while (last > first && g_ascii_isspace (last[-1]))
        last--;

      brace = last_brace (first, last);
      if (first < last && brace == NULL)
        {
          *begin = open;
          *end = close + 2;
          *name = g_strndup (first, last - first);
          return TRUE;
        }

      /* Not a reference: "{{{a}}" still holds "{{a}}" one character further. Any "{{"
       * before BRACE - 1 ends at the same "}}" and holds BRACE too, and with no brace the
       * name is blank from every "{{" up to CLOSE: skipping them keeps the scan linear
       * ("{{{{…{{ }}" took quadratic time). */
      open = MAX (open + 1, brace != NULL ? brace - 1 : close - 1);
    }

  return FALSE;
}

/**
 * sonde_variables_expand:
 * @text: (nullable): text with {{name}} references
 * @variables: (nullable) (element-type utf8 utf8): values by name
 *
 * Returns: (transfer full) (nullable): the expanded text, or %NULL with
 *   %SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE.
 */
gboolean
sonde_variables_is_builtin (const char *name)
{
  static const char * const builtins[] = {
    "$uuid", "$guid", "$randomUUID", "$timestamp", "$isoTimestamp", "$randomInt", NULL
  };

  return name != NULL && g_strv_contains (builtins, name);
}

/* {{$uuid}} and the like: a new value at each use. NULL for a name that is not one. The
 * Postman spellings ($guid, $timestamp, $isoTimestamp, $randomInt) are the same ones. */
static char *
dynamic_value (const char *name)
{
  if (name[0] != '$')
    return NULL;
  if (g_str_equal (name, "$uuid") || g_str_equal (name, "$guid") || g_str_equal (name, "$randomUUID"))
    return g_uuid_string_random ();
  if (g_str_equal (name, "$timestamp"))
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  if (g_str_equal (name, "$isoTimestamp"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

      return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
    }
  if (g_str_equal (name, "$randomInt"))
    return g_strdup_printf ("%d", g_random_int_range (0, 1001));
  return NULL;
}

/* Whether TEXT may hold a {{reference}}: most strings of most requests do not. */
static gboolean
has_reference (const char *text)
{
  return text != NULL && strstr (text, "{{") != NULL;
}

char *
sonde_variables_expand (const char  *text,
                        GHashTable  *variables,
                        GError     **error)
{
  GString *out;
  const char *position;
  const char *begin;
  const char *end;
  char *name;

  if (text == NULL)
    return NULL;
  if (!has_reference (text))
    return g_strdup (text);

  out = g_string_new (NULL);
  position = text;
  while (next_reference (text, position, &begin, &end, &name))
    {
      const char *value = variables ? g_hash_table_lookup (variables, name) : NULL;
      g_autofree char *dynamic = value == NULL ? dynamic_value (name) : NULL;

      if (dynamic != NULL)
        value = dynamic;
      if (value == NULL)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE,
                       _("Variable “%s” is not defined"), name);
          g_free (name);
          g_string_free (out, TRUE);
          return NULL;
        }

      g_string_append_len (out, position, begin - position);
      /* Values go in as they are: a value holding "{{x}}" is not expanded again. */
      g_string_append (out, value);
      position = end;
      g_free (name);
    }
  g_string_append (out, position);

  return g_string_free (out, FALSE);
}

/**
 * sonde_variables_find:
 *
 * Returns: (transfer full): the names referenced in @text, each once, in order.
 */
GStrv
sonde_variables_find (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *position = text;
  const char *begin;
  const char *end;
  char *name;

  while (text != NULL && next_reference (text, position, &begin, &end, &name))
    {
      if (g_hash_table_add (seen, name))
        g_strv_builder_add (builder, name);
      position = end;
    }

  return g_strv_builder_end (builder);
}

/**
 * sonde_variables_find_next:
 * @text: text with {{name}} references
 * @from: a byte offset in @text
 *
 * Returns: whether a reference was found at or after @from.
 */
gboolean
sonde_variables_find_next (const char  *text,
                           gsize        from,
                           gsize       *begin,
                           gsize       *end,
                           char       **name)
{
  const char *first;
  const char *last;
  char *found;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!next_reference (text, text + from, &first, &last, &found))
    return FALSE;

  if (begin != NULL)
    *begin = first - text;
  if (end != NULL)
    *end = last - text;
  if (name != NULL)
    *name = found;
  else
    g_free (found);
  return TRUE;
}

/* Expanding a whole request */

typedef struct
{
  GHashTable *variables;
  GError *error;
} Expander;

/* Expands *FIELD in place. DESCRIBE (DATA) says where the field is used, for the error
 * ("used in the URL"); it is only called when there is an error. */
static gboolean
expand_string (Expander   *expander,
               char      **field,
               char       *(*describe) (gconstpointer data),
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char *expanded;

  if (expander->error != NULL)
    return FALSE;
  if (*field == NULL)
    return TRUE;

  expanded = sonde_variables_expand (*field, expander->variables, &error);
  if (expanded == NULL)
    {
      g_autofree char *where = describe (data);

      /* Translators: "Variable “x” is not defined (used in the URL)" */
      g_set_error (&expander->error, error->domain, error->code, _("%s (%s)"),
                   error->message, where);
      return FALSE;
    }

  g_free (*field);
  *field = expanded;
  return TRUE;
}

/* DATA: the place, marked with N_ () and translated only for an error (a run of 1,000
 * requests looked up 14,000 translations it never showed) */
static char *
describe_literal (gconstpointer data)
{
  return g_strdup (_(data));
}

/* Most strings of most requests hold no "{{": they are left as they are, uncopied. */
#define EXPAND_OBJECT_STRING(expander, object, getter, setter, where)                      \
  G_STMT_START {                                                                          \
    const char *_current = getter (object);                                               \
    if (has_reference (_current))                                                         \
      {                                                                                   \
        char *_value = g_strdup (_current);                                               \
        if (expand_string ((expander), &_value, describe_literal, (where)))               \
          setter ((object), _value);                                                      \
        g_free (_value);                                                                  \
      }                                                                                   \
  } G_STMT_END

typedef struct
{
  const char *format; /* marked with N_ (), translated for an error; one %s: the row name */
  const char *name;
} RowPlace;

static char *
describe_row (gconstpointer data)
{
  const RowPlace *place = data;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_strdup_printf (_(place->format), place->name);
#pragma GCC diagnostic pop
}

/* Expands name and value of every enabled row; disabled rows are not sent, so an undefined
 * variable in them is no error. */
static void
expand_rows (Expander   *expander,
             GListModel *rows,
             const char *format)
{
  guint n_items = sonde_rows_count (rows);

  for (guint i = 0; i < n_items && expander->error == NULL; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      RowPlace place = { format, sonde_key_value_get_name (row) };

      if (!sonde_key_value_get_enabled (row) ||
          (!has_reference (sonde_key_value_get_name (row)) && !has_reference (sonde_key_value_get_value (row))))
        continue;
      name = g_strdup (sonde_key_value_get_name (row));
      value = g_strdup (sonde_key_value_get_value (row));

      if (expand_string (expander, &name, describe_row, &place) &&
          expand_string (expander, &value, describe_row, &place))
        {
          sonde_key_value_set_name (row, name);
          sonde_key_value_set_value (row, value);
        }
    }
}

static void
expand_parts (Expander   *expander,
              GListStore *parts)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (parts));

  for (guint i = 0; i < n_items && expander->error == NULL; i++)
    {
      g_autoptr(SondeBodyPart) part = g_list_model_get_item (G_LIST_MODEL (parts), i);
      g_autofree char *name = g_strdup (sonde_body_part_get_name (part));
      g_autofree char *value = g_strdup (sonde_body_part_get_value (part));
      g_autofree char *file = g_strdup (sonde_body_part_get_file (part));
      g_autofree char *filename = g_strdup (sonde_body_part_get_filename (part));
      g_autofree char *content_type = g_strdup (sonde_body_part_get_content_type (part));
      RowPlace place = { N_("used in the multipart part “%s”"), sonde_body_part_get_name (part) };

      if (!sonde_body_part_get_enabled (part))
        continue;

      if (expand_string (expander, &name, describe_row, &place) &&
          expand_string (expander, &value, describe_row, &place) &&
          expand_string (expander, &file, describe_row, &place) &&
          expand_string (expander, &filename, describe_row, &place) &&
          expand_string (expander, &content_type, describe_row, &place))
        {
          sonde_body_part_set_name (part, name);
          sonde_body_part_set_value (part, value);
          sonde_body_part_set_file (part, file);
          sonde_body_part_set_filename (part, filename);
          sonde_body_part_set_content_type (part, content_type);
        }
    }
}

static void
expand_body (Expander  *expander,
             SondeBody *body)
{
  EXPAND_OBJECT_STRING (expander, body, sonde_body_get_content_type, sonde_body_set_content_type,
                        N_("used in the body content type"));

  switch (sonde_body_get_kind (body))
    {
    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
      EXPAND_OBJECT_STRING (expander, body, sonde_body_get_text, sonde_body_set_text,
                            N_("used in the request body"));
      break;

    case SONDE_BODY_GRAPHQL:
      EXPAND_OBJECT_STRING (expander, body, sonde_body_get_text, sonde_body_set_text,
                            N_("used in the GraphQL query"));
      EXPAND_OBJECT_STRING (expander, body, sonde_body_get_variables, sonde_body_set_variables,
                            N_("used in the GraphQL variables"));
      EXPAND_OBJECT_STRING (expander, body, sonde_body_get_operation_name, sonde_body_set_operation_name,
                            N_("used in the GraphQL operation name"));
      break;

    case SONDE_BODY_FORM:
      expand_rows (expander, G_LIST_MODEL (sonde_body_get_fields (body)), N_("used in the form field “%s”"));
      break;

    case SONDE_BODY_MULTIPART:
      expand_parts (expander, sonde_body_get_parts (body));
      break;

    case SONDE_BODY_FILE:
      EXPAND_OBJECT_STRING (expander, body, sonde_body_get_file, sonde_body_set_file,
                            N_("used in the body file path"));
      break;

    case SONDE_BODY_NONE:
    default:
      break;
    }
}

static void
expand_auth (Expander  *expander,
             SondeAuth *auth)
{
  switch (sonde_auth_get_kind (auth))
    {
    case SONDE_AUTH_BASIC:
    case SONDE_AUTH_DIGEST:
    case SONDE_AUTH_NTLM:
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_username, sonde_auth_set_username,
                            N_("used in the authentication username"));
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_password, sonde_auth_set_password,
                            N_("used in the authentication password"));
      break;

    case SONDE_AUTH_BEARER:
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_token, sonde_auth_set_token,
                            N_("used in the bearer token"));
      break;

    case SONDE_AUTH_OAUTH2:
      for (guint i = 0; i < SONDE_OAUTH_N_FIELDS; i++)
        {
          g_autofree char *value = g_strdup (sonde_auth_get_oauth (auth, i));
          RowPlace place = { N_("used in the OAuth 2.0 setting “%s”"), sonde_oauth_field_get_property_name (i) };

          if (expand_string (expander, &value, describe_row, &place))
            sonde_auth_set_oauth (auth, i, value);
        }
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_username, sonde_auth_set_username,
                            N_("used in the authentication username"));
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_password, sonde_auth_set_password,
                            N_("used in the authentication password"));
      break;

    case SONDE_AUTH_AWS_SIGV4:
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_username, sonde_auth_set_username,
                            N_("used in the AWS access key"));
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_password, sonde_auth_set_password,
                            N_("used in the AWS secret key"));
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_token, sonde_auth_set_token,
                            N_("used in the AWS session token"));
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_region, sonde_auth_set_region,
                            N_("used in the AWS region"));
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_service, sonde_auth_set_service,
                            N_("used in the AWS service"));
      break;

    case SONDE_AUTH_API_KEY:
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_key_name, sonde_auth_set_key_name,
                            N_("used in the API key name"));
      EXPAND_OBJECT_STRING (expander, auth, sonde_auth_get_key_value, sonde_auth_set_key_value,
                            N_("used in the API key value"));
      break;

    case SONDE_AUTH_NONE:
    case SONDE_AUTH_INHERIT:
    default:
      break;
    }
}

static void
expand_options (Expander            *expander,
                SondeRequestOptions *options)
{
  const char * const *no_proxy = sonde_request_options_get_no_proxy (options);

  EXPAND_OBJECT_STRING (expander, options, sonde_request_options_get_ca_file,
                        sonde_request_options_set_ca_file, N_("used in the CA file path"));
  EXPAND_OBJECT_STRING (expander, options, sonde_request_options_get_client_cert,
                        sonde_request_options_set_client_cert,
                        N_("used in the client certificate path"));
  EXPAND_OBJECT_STRING (expander, options, sonde_request_options_get_client_key,
                        sonde_request_options_set_client_key, N_("used in the client key path"));
  EXPAND_OBJECT_STRING (expander, options, sonde_request_options_get_client_pkcs12,
                        sonde_request_options_set_client_pkcs12,
                        N_("used in the PKCS #12 file path"));
  EXPAND_OBJECT_STRING (expander, options, sonde_request_options_get_client_passphrase,
                        sonde_request_options_set_client_passphrase,
                        N_("used in the client certificate passphrase"));
  EXPAND_OBJECT_STRING (expander, options, sonde_request_options_get_proxy_url,
                        sonde_request_options_set_proxy_url, N_("used in the proxy URL"));
  EXPAND_OBJECT_STRING (expander, options, sonde_request_options_get_proxy_username,
                        sonde_request_options_set_proxy_username, N_("used in the proxy username"));
  EXPAND_OBJECT_STRING (expander, options, sonde_request_options_get_proxy_password,
                        sonde_request_options_set_proxy_password, N_("used in the proxy password"));

  if (no_proxy != NULL && expander->error == NULL)
    {
      g_auto(GStrv) hosts = g_strdupv ((char **)no_proxy);

      for (guint i = 0; hosts[i] != NULL; i++)
        if (!expand_string (expander, &hosts[i], describe_literal, N_("used in the hosts without proxy")))
          return;
      sonde_request_options_set_no_proxy (options, (const char * const *)hosts);
    }
}

static char *
describe_message (gconstpointer data)
{
  /* Translators: %u counts from 1: "used in WebSocket message 2" */
  return g_strdup_printf (_("used in WebSocket message %u"), GPOINTER_TO_UINT (data));
}

/* A WebSocket request's messages and subprotocols (sonde-websocket.h), among its extra keys:
 * the copy gets expanded ones. Members of the wrong type are left for the reader to refuse. */
static void
expand_websocket (Expander     *expander,
                  SondeRequest *request)
{
  JsonObject *extra = sonde_request_get_extra (request);
  g_autoptr(JsonObject) copy = NULL;
  JsonArray *messages;
  JsonArray *subprotocols;

  if (extra == NULL || !sonde_request_is_websocket (request))
    return;
  messages = sonde_json_get_array (extra, "messages");
  subprotocols = sonde_json_get_array (extra, "subprotocols");
  if (messages == NULL && subprotocols == NULL)
    return;

  /* Extra objects are shared between copies and never changed: a new one. */
  copy = sonde_json_object_copy_except (extra, (const char * const[]) { "messages", "subprotocols", NULL });

  if (subprotocols != NULL)
    {
      JsonArray *expanded = json_array_new ();

      for (guint i = 0; i < json_array_get_length (subprotocols); i++)
        {
          JsonNode *node = json_array_get_element (subprotocols, i);

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            {
              g_autofree char *value = g_strdup (json_node_get_string (node));

              if (expand_string (expander, &value, describe_literal, N_("used in the subprotocols")))
                {
                  json_array_add_string_element (expanded, value);
                  continue;
                }
            }
          json_array_add_element (expanded, json_node_copy (node));
        }
      json_object_set_array_member (copy, "subprotocols", expanded);
    }

  if (messages != NULL)
    {
      JsonArray *expanded = json_array_new ();

      for (guint i = 0; i < json_array_get_length (messages); i++)
        {
          JsonNode *node = json_array_get_element (messages, i);
          JsonObject *message;
          JsonObject *out;
          JsonObjectIter iter;
          const char *key;
          JsonNode *member;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              json_array_add_element (expanded, json_node_copy (node));
              continue;
            }
          message = json_node_get_object (node);
          out = json_object_new ();
          json_object_iter_init_ordered (&iter, message);
          while (json_object_iter_next_ordered (&iter, &key, &member))
            {
              if ((g_str_equal (key, "text") || g_str_equal (key, "file")) &&
                  JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
                {
                  g_autofree char *value = g_strdup (json_node_get_string (member));

                  if (expand_string (expander, &value, describe_message, GUINT_TO_POINTER (i + 1)))
                    {
                      json_object_set_string_member (out, key, value);
                      continue;
                    }
                }
              json_object_set_member (out, key, json_node_copy (member));
            }
          json_array_add_object_element (expanded, out);
        }
      json_object_set_array_member (copy, "messages", expanded);
    }

  sonde_request_set_extra (request, copy);
}

/* Where the path of URL starts: after "scheme://authority", or at 0 when URL has no scheme
 * (it starts with a {{variable}} that holds one). */
static const char *
path_start (const char *url)
{
  const char *scheme_end = strstr (url, "://");

  if (scheme_end == NULL || scheme_end > url + strcspn (url, "/?#"))
    return url;
  scheme_end += 3;
  return scheme_end + strcspn (scheme_end, "/?#");
}

/* The NAME of the path segment at SEGMENT (just after a '/') when it is ":name", else NULL. */
static char *
path_segment_name (const char *segment)
{
  gsize length = strcspn (segment, "/?#");

  if (length < 2 || segment[0] != ':' || !(g_ascii_isalpha (segment[1]) || segment[1] == '_'))
    return NULL;
  for (gsize i = 2; i < length; i++)
    if (!(g_ascii_isalnum (segment[i]) || segment[i] == '_'))
      return NULL;
  return g_strndup (segment + 1, length - 1);
}

GStrv
sonde_variables_find_path (const char *url)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (url != NULL, NULL);

  for (const char *p = path_start (url); *p != '\0' && *p != '?' && *p != '#'; p++)
    {
      char *name;

      if (*p != '/' || (name = path_segment_name (p + 1)) == NULL)
        continue;
      if (g_hash_table_add (seen, name))
        g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

char *
sonde_variables_expand_path (const char  *url,
                             const char *(*value_of) (const char *name,
                                                      gpointer    data),
                             gpointer     data)
{
  const char *start = path_start (url);
  GString *out = g_string_new_len (url, start - url);
  const char *p = start;

  while (*p != '\0' && *p != '?' && *p != '#')
    {
      g_autofree char *name = *p == '/' ? path_segment_name (p + 1) : NULL;
      const char *value = name != NULL && value_of != NULL ? value_of (name, data) : NULL;

      if (value != NULL)
        {
          g_string_append_c (out, '/');
          g_string_append_uri_escaped (out, value, G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS ":@", FALSE);
          p += 2 + strlen (name);
        }
      else
        g_string_append_c (out, *p++);
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

typedef struct {
  GHashTable   *variables;
  SondeRequest *request;
} PathValues;

static const char *
path_value_of (const char *name,
               gpointer    data)
{
  PathValues *values = data;
  const char *value = values->variables != NULL ? g_hash_table_lookup (values->variables, name) : NULL;

  return value != NULL ? value : sonde_request_get_variable (values->request, name);
}

/* Expands COPY where it is: see sonde_request_expand (). */
gboolean
sonde_request_expand_in_place (SondeRequest  *copy,
                               GHashTable    *variables,
                               GError       **error)
{
  Expander expander = { variables, NULL };

  g_return_val_if_fail (SONDE_IS_REQUEST (copy), FALSE);

  EXPAND_OBJECT_STRING (&expander, copy, sonde_request_get_url, sonde_request_set_url,
                        N_("used in the URL"));
  EXPAND_OBJECT_STRING (&expander, copy, sonde_request_get_method, sonde_request_set_method,
                        N_("used in the method"));
  expand_rows (&expander, sonde_request_peek_params (copy), N_("used in the query parameter “%s”"));
  /* Translators: %s is a header name: "used in the Authorization header" */
  expand_rows (&expander, sonde_request_peek_headers (copy), N_("used in the %s header"));
  expand_rows (&expander, sonde_request_peek_cookies (copy), N_("used in the cookie “%s”"));
  /* A part the request never made holds nothing to expand. */
  if (sonde_request_peek_body (copy) != NULL)
    expand_body (&expander, sonde_request_peek_body (copy));
  if (sonde_request_peek_auth (copy) != NULL)
    expand_auth (&expander, sonde_request_peek_auth (copy));
  if (sonde_request_peek_options (copy) != NULL)
    expand_options (&expander, sonde_request_peek_options (copy));
  expand_websocket (&expander, copy);

  if (expander.error != NULL)
    {
      g_propagate_error (error, expander.error);
      return FALSE;
    }

  /* Path variables last: their values are not expanded again (the request's own are in its
   * unknown keys, which expanding leaves alone). */
  {
    PathValues values = { variables, copy };
    g_autofree char *url = sonde_variables_expand_path (sonde_request_get_url (copy), path_value_of, &values);

    sonde_request_set_url (copy, url);
  }

  /* What the auth settings hold is a credential, however it was written. */
  {
    SondeAuth *auth = sonde_request_peek_auth (copy); /* not NULL for any kind but inherit */
    const char * const *inherited = sonde_request_get_secret_values (copy);
    g_autoptr(GPtrArray) values = g_ptr_array_new ();

    for (guint i = 0; inherited != NULL && inherited[i] != NULL; i++)
      g_ptr_array_add (values, (gpointer) inherited[i]);
    switch (sonde_request_get_auth_kind (copy))
      {
      case SONDE_AUTH_BASIC:
      case SONDE_AUTH_DIGEST:
      case SONDE_AUTH_NTLM:
        g_ptr_array_add (values, (gpointer) sonde_auth_get_password (auth));
        break;
      case SONDE_AUTH_BEARER:
        g_ptr_array_add (values, (gpointer) sonde_auth_get_token (auth));
        break;
      case SONDE_AUTH_OAUTH2:
        if (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_SECRET)[0] != '\0')
          g_ptr_array_add (values, (gpointer) sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_SECRET));
        if (sonde_auth_get_password (auth)[0] != '\0')
          g_ptr_array_add (values, (gpointer) sonde_auth_get_password (auth));
        break;
      case SONDE_AUTH_AWS_SIGV4:
        g_ptr_array_add (values, (gpointer) sonde_auth_get_password (auth));
        if (sonde_auth_get_token (auth)[0] != '\0')
          g_ptr_array_add (values, (gpointer) sonde_auth_get_token (auth));
        break;
      case SONDE_AUTH_API_KEY:
        g_ptr_array_add (values, (gpointer) sonde_auth_get_key_value (auth));
        break;
      case SONDE_AUTH_NONE:
      case SONDE_AUTH_INHERIT:
      default:
        break;
      }
    g_ptr_array_remove (values, NULL);
    g_ptr_array_add (values, NULL);
    sonde_request_set_secret_values (copy, (const char * const *) values->pdata);
  }

  return TRUE;
}

/**
 * sonde_request_expand:
 *
 * Returns: (transfer full) (nullable): an expanded deep copy of @request, with the same
 *   "file" and "base-dir"; %NULL with %SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE saying
 *   where the variable was used.
 */
SondeRequest *
sonde_request_expand (SondeRequest  *request,
                      GHashTable    *variables,
                      GError       **error)
{
  g_autoptr(SondeRequest) copy = NULL;

  g_return_val_if_fail (SONDE_IS_REQUEST (request), NULL);

  copy = sonde_request_copy_snapshot (request);
  if (!sonde_request_expand_in_place (copy, variables, error))
    return NULL;
  return g_steal_pointer (&copy);
}

/**
 * sonde_variables_parse_assignment:
 * @name: (out): the name, before the first "="
 * @value: (out): the value, everything after it (may be empty, may hold "=")
 */
gboolean
sonde_variables_parse_assignment (const char  *assignment,
                                  char       **name,
                                  char       **value,
                                  GError     **error)
{
  const char *equal;

  g_return_val_if_fail (assignment != NULL, FALSE);

  equal = strchr (assignment, '=');
  if (equal == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("“%s” is not a variable assignment: write name=value"), assignment);
      return FALSE;
    }
  if (equal == assignment)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("“%s” has no variable name before “=”"), assignment);
      return FALSE;
    }

  if (name != NULL)
    *name = g_strndup (assignment, equal - assignment);
  if (value != NULL)
    *value = g_strdup (equal + 1);

  return TRUE;
}

GHashTable *
sonde_variables_parse_assignments (const char * const  *assignments,
                                   GError             **error)
{
  g_autoptr(GHashTable) variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    {
      char *name = NULL;
      char *value = NULL;

      if (!sonde_variables_parse_assignment (assignments[i], &name, &value, error))
        return NULL;
      g_hash_table_replace (variables, name, value);
    }

  return g_steal_pointer (&variables);
}

void
sonde_variables_merge (GHashTable *into,
                       GHashTable *from)
{
  GHashTableIter iter;
  gpointer name, value;

  g_return_if_fail (into != NULL);

  if (from == NULL)
    return;
  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_hash_table_replace (into, g_strdup (name), g_strdup (value));
}
