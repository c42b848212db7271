/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-graphql"

/* GraphQL over HTTP, beyond the body (sonde-body.c builds that): the errors a response
 * carries with a 200, and the names an introspection answer gives for completion
 * (docs/collection-format.md, "GraphQL"). */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sonde-body-store.h"
#include "sonde-error.h"
#include "sonde-graphql.h"
#include "sonde-json-file.h"

/* Above this, a response is not looked into on the main thread: GraphQL answers with
 * errors are small. */
#define MAX_ERRORS_BODY (2 * 1024 * 1024)
#define MAX_ERRORS_LISTED 20

const char sonde_graphql_introspection_query[] =
  "query IntrospectionQuery {\n"
  "  __schema {\n"
  "    queryType { name }\n"
  "    mutationType { name }\n"
  "    subscriptionType { name }\n"
  "    types {\n"
  "      kind\n"
  "      name\n"
  "      fields(includeDeprecated: true) { name args { name } }\n"
  "      inputFields { name }\n"
  "      enumValues(includeDeprecated: true) { name }\n"
  "    }\n"
  "    directives { name }\n"
  "  }\n"
  "}\n";

static JsonNode *
parse_object (const char  *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (!sonde_json_parse_document (parser, data, length, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                           _("The response is not a JSON object"));
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

/* "message (at path.to.field, line 2, column 3)" */
static char *
describe_error (JsonObject *error)
{
  const char *message = json_object_has_member (error, "message") &&
                        JSON_NODE_HOLDS_VALUE (json_object_get_member (error, "message"))
                        ? json_object_get_string_member (error, "message") : NULL;
  JsonArray *path = json_object_has_member (error, "path") &&
                    JSON_NODE_HOLDS_ARRAY (json_object_get_member (error, "path"))
                    ? json_object_get_array_member (error, "path") : NULL;
  JsonArray *locations = json_object_has_member (error, "locations") &&
                         JSON_NODE_HOLDS_ARRAY (json_object_get_member (error, "locations"))
                         ? json_object_get_array_member (error, "locations") : NULL;
  GString *out = g_string_new (message != NULL ? message : _("An error without a message"));
  GString *where = g_string_new (NULL);

  for (guint i = 0; path != NULL && i < json_array_get_length (path); i++)
    {
      JsonNode *step = json_array_get_element (path, i);

      if (!JSON_NODE_HOLDS_VALUE (step))
        continue;
      if (json_node_get_value_type (step) == G_TYPE_STRING)
        g_string_append_printf (where, "%s%s", where->len > 0 ? "." : "", json_node_get_string (step));
      else
        g_string_append_printf (where, "[%" G_GINT64_FORMAT "]", json_node_get_int (step));
    }
  if (locations != NULL && json_array_get_length (locations) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (locations, 0)))
    {
      JsonObject *location = json_array_get_object_element (locations, 0);

      if (where->len > 0)
        g_string_append (where, ", ");
      g_string_append_printf (where, _("line %d, column %d"),
                              (int) json_object_get_int_member_with_default (location, "line", 0),
                              (int) json_object_get_int_member_with_default (location, "column", 0));
    }
  if (where->len > 0)
    g_string_append_printf (out, " (%s)", where->str);
  g_string_free (where, TRUE);
  return g_string_free (out, FALSE);
}

/**
 * sonde_graphql_response_errors:
 *
 * A GraphQL server answers 200 even when the query failed, with an "errors" list beside (or
 * instead of) "data".
 *
 * Returns: (transfer full) (nullable): the messages of a JSON response's top-level "errors",
 *   at most twenty, or %NULL when it has none (or is not JSON, or is too big to look into).
 */
char **
sonde_graphql_response_errors (SondeResponse *response)
{
  SondeBodyStore *store = sonde_response_get_body (response);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  const char *data;
  JsonArray *errors;
  gsize length;

  if (store == NULL || !sonde_body_store_is_in_memory (store) ||
      sonde_body_store_get_size (store) > MAX_ERRORS_BODY)
    return NULL;
  bytes = sonde_body_store_get_bytes (store);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  /* Cheap refusals first: most responses are not GraphQL errors. */
  if (length == 0 || g_strstr_len (data, MIN (length, 4096), "{") == NULL ||
      g_strstr_len (data, length, "\"errors\"") == NULL)
    return NULL;
  root = parse_object (data, length, NULL);
  if (root == NULL || !json_object_has_member (json_node_get_object (root), "errors") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "errors")))
    return NULL;

  errors = json_object_get_array_member (json_node_get_object (root), "errors");
  if (json_array_get_length (errors) == 0)
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (errors) && i < MAX_ERRORS_LISTED; i++)
    {
      JsonNode *error = json_array_get_element (errors, i);

      if (JSON_NODE_HOLDS_OBJECT (error))
        {
          g_autofree char *text = describe_error (json_node_get_object (error));

          g_strv_builder_add (builder, text);
        }
    }
  if (json_array_get_length (errors) > MAX_ERRORS_LISTED)
    {
      g_autofree char *more = g_strdup_printf (_("and %u more"), json_array_get_length (errors) - MAX_ERRORS_LISTED);

      g_strv_builder_add (builder, more);
    }
  return g_strv_builder_end (builder);
}

static void
add_name (GHashTable *names,
          JsonObject *object)
{
  JsonNode *name = object != NULL ? json_object_get_member (object, "name") : NULL;

  if (name != NULL && JSON_NODE_HOLDS_VALUE (name) && json_node_get_value_type (name) == G_TYPE_STRING &&
      !g_str_has_prefix (json_node_get_string (name), "__"))
    g_hash_table_add (names, g_strdup (json_node_get_string (name)));
}

static void
add_names_of (GHashTable *names,
              JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      add_name (names, json_node_get_object (element));
      add_names_of (names, json_node_get_object (element), "args");
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * sonde_graphql_schema_names:
 * @body: the answer to sonde_graphql_introspection_query
 *
 * Returns: (transfer full) (nullable): the schema's type, field, argument, enum value and
 *   directive names, sorted, without the introspection ones ("__…"); %NULL with ERROR when
 *   the body is not an introspection answer (an "errors" answer says why).
 */
char **
sonde_graphql_schema_names (GBytes  *body,
                            GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree const char **sorted = NULL;
  JsonObject *object;
  JsonObject *data;
  JsonObject *schema;
  JsonArray *types;
  gsize length;
  const char *bytes = g_bytes_get_data (body, &length);

  root = parse_object (bytes, length, error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  data = json_object_has_member (object, "data") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "data"))
         ? json_object_get_object_member (object, "data") : NULL;
  schema = data != NULL && json_object_has_member (data, "__schema") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "__schema"))
           ? json_object_get_object_member (data, "__schema") : NULL;
  if (schema == NULL || !json_object_has_member (schema, "types") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (schema, "types")))
    {
      JsonNode *errors = json_object_get_member (object, "errors");

      if (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors) && json_array_get_length (json_node_get_array (errors)) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (errors), 0)))
        {
          g_autofree char *first = describe_error (json_array_get_object_element (json_node_get_array (errors), 0));

          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("The server refused the schema query: %s"), first);
        }
      else
        g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                             _("The answer holds no GraphQL schema (“data.__schema.types”)"));
      return NULL;
    }

  types = json_object_get_array_member (schema, "types");
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonNode *type = json_array_get_element (types, i);

      if (!JSON_NODE_HOLDS_OBJECT (type))
        continue;
      add_name (names, json_node_get_object (type));
      add_names_of (names, json_node_get_object (type), "fields");
      add_names_of (names, json_node_get_object (type), "inputFields");
      add_names_of (names, json_node_get_object (type), "enumValues");
    }
  add_names_of (names, schema, "directives");

  sorted = (const char **) g_hash_table_get_keys_as_array (names, NULL);
  g_qsort_with_data (sorted, g_hash_table_size (names), sizeof (char *), compare_names, NULL);
  return g_strdupv ((char **) sorted);
}
