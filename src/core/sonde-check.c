/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-check"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sonde-check.h"
#include "sonde-secret-heuristics.h"
#include "sonde-collection.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-variables.h"

/* Actual values longer than this are shortened in results: a failure reads like a test
 * failure, not like the body. */
#define MAX_SHOWN 120

static const char * const sources[] = {
  "status", "header", "cookie", "jsonpath", "body", "bodySize", "duration", "url", NULL
};

static const char * const operators[] = {
  "==", "!=", "<", "<=", ">", ">=", "contains", "startsWith", "endsWith", "matches",
  "exists", "notExists", "isString", "isNumber", "isBoolean", "isArray", "isObject",
  "isNull", "isEmpty", "count", NULL
};

void
sonde_check_free (SondeCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->source);
  g_free (check->name);
  g_free (check->path);
  g_free (check->op);
  g_free (check->value);
  g_free (check);
}

void
sonde_capture_free (SondeCapture *capture)
{
  if (capture == NULL)
    return;
  g_free (capture->variable);
  g_free (capture->source);
  g_free (capture->name);
  g_free (capture->path);
  g_free (capture);
}

void
sonde_check_result_free (SondeCheckResult *result)
{
  if (result == NULL)
    return;
  g_free (result->description);
  g_free (result->actual);
  g_free (result->message);
  g_free (result);
}

/* Reading */

/* "value": "201", 201, true or null, all as text: people write numbers as numbers. */
static gboolean
read_scalar (JsonObject  *object,
             const char  *key,
             const char  *parent,
             char       **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return sonde_json_invalid_value (error, parent, key, _("%s must be a string or a number"));

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      *value = g_strdup (json_node_get_string (node));
      return TRUE;
    case G_TYPE_INT64:
      *value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    case G_TYPE_BOOLEAN:
      *value = g_strdup (json_node_get_boolean (node) ? "true" : "false");
      return TRUE;
    default:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        *value = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
        return TRUE;
      }
    }
}

static gboolean
read_common (JsonObject  *row,
             const char  *path,
             char       **source,
             char       **name,
             char       **json_path,
             gboolean    *enabled,
             GError     **error)
{
  const char *source_text = NULL;
  const char *name_text = NULL;
  const char *path_text = NULL;

  *enabled = TRUE;
  if (!sonde_json_read_string (row, "source", path, &source_text, error) ||
      !sonde_json_read_string (row, "name", path, &name_text, error) ||
      !sonde_json_read_string (row, "path", path, &path_text, error) ||
      !sonde_json_read_boolean (row, "enabled", path, enabled, error))
    return FALSE;

  if (source_text == NULL || !g_strv_contains (sources, source_text))
    return sonde_json_invalid_value (error, path, "source",
                                     _("%s must be one of status, header, cookie, jsonpath, body, bodySize, duration, url"));
  if ((g_str_equal (source_text, "header") || g_str_equal (source_text, "cookie")) &&
      (name_text == NULL || name_text[0] == '\0'))
    return sonde_json_invalid_value (error, path, "name", _("%s must name the header or cookie"));
  if (g_str_equal (source_text, "jsonpath") && (path_text == NULL || path_text[0] == '\0'))
    return sonde_json_invalid_value (error, path, "path", _("%s must be a JSONPath such as $.id"));

  *source = g_strdup (source_text);
  *name = g_strdup (name_text);
  *json_path = g_strdup (path_text);
  return TRUE;
}

/* The rows under KEY (NULL when there are none), and in KEY_PATH the path their errors name,
 * made only when there are rows: most requests and folders have none. */
static JsonArray *
rows_of (JsonObject  *object,
         const char  *key,
         const char  *parent,
         GError     **error,
         gboolean    *ok,
         char       **key_path)
{
  JsonArray *rows = NULL;

  *ok = object == NULL || sonde_json_read_array (object, key, parent, &rows, error);
  if (rows != NULL && json_array_get_length (rows) == 0)
    rows = NULL;
  *key_path = rows != NULL ? sonde_json_member_path (parent, key) : NULL;
  return rows;
}

gboolean
sonde_checks_read (JsonObject  *object,
                   const char  *parent,
                   GPtrArray   *checks,
                   GError     **error)
{
  g_autofree char *key_path = NULL;
  gboolean ok;
  JsonArray *rows = rows_of (object, "checks", parent, error, &ok, &key_path);

  if (!ok)
    return FALSE;

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      g_autofree char *path = sonde_json_element_path (key_path, i);
      g_autoptr(GError) local_error = NULL;
      SondeCheck *check;
      const char *op = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("%s must be an object"), path);
          return FALSE;
        }

      check = g_new0 (SondeCheck, 1);
      if (!read_common (json_node_get_object (node), path, &check->source, &check->name, &check->path,
                        &check->enabled, error) ||
          !sonde_json_read_string (json_node_get_object (node), "op", path, &op, error) ||
          !read_scalar (json_node_get_object (node), "value", path, &check->value, error))
        {
          sonde_check_free (check);
          return FALSE;
        }
      if (op == NULL || !g_strv_contains (operators, op))
        {
          sonde_check_free (check);
          return sonde_json_invalid_value (error, path, "op",
                                           _("%s must be an operator such as ==, contains, exists or isNumber"));
        }
      check->op = g_strdup (op);
      g_ptr_array_add (checks, check);
    }

  return TRUE;
}

gboolean
sonde_captures_read (JsonObject  *object,
                     const char  *parent,
                     GPtrArray   *captures,
                     GError     **error)
{
  g_autofree char *key_path = NULL;
  gboolean ok;
  JsonArray *rows = rows_of (object, "captures", parent, error, &ok, &key_path);

  if (!ok)
    return FALSE;

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      g_autofree char *path = sonde_json_element_path (key_path, i);
      SondeCapture *capture;
      const char *variable = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("%s must be an object"), path);
          return FALSE;
        }

      capture = g_new0 (SondeCapture, 1);
      if (!read_common (json_node_get_object (node), path, &capture->source, &capture->name, &capture->path,
                        &capture->enabled, error) ||
          !sonde_json_read_string (json_node_get_object (node), "variable", path, &variable, error) ||
          !sonde_json_read_boolean (json_node_get_object (node), "secret", path, &capture->secret, error))
        {
          sonde_capture_free (capture);
          return FALSE;
        }
      if (variable == NULL || variable[0] == '\0')
        {
          sonde_capture_free (capture);
          return sonde_json_invalid_value (error, path, "variable", _("%s must name the variable to set"));
        }
      capture->variable = g_strdup (variable);
      g_ptr_array_add (captures, capture);
    }

  return TRUE;
}

static SondeCheck *
check_copy (const SondeCheck *check)
{
  SondeCheck *copy = g_new0 (SondeCheck, 1);

  copy->source = g_strdup (check->source);
  copy->name = g_strdup (check->name);
  copy->path = g_strdup (check->path);
  copy->op = g_strdup (check->op);
  copy->value = g_strdup (check->value);
  copy->enabled = check->enabled;
  return copy;
}

/* A folder's checks as read from its settings, kept with the object they were read from */
typedef struct
{
  JsonObject *settings; /* referenced: a folder whose settings change has another object */
  GPtrArray  *checks;   /* SondeCheck, NULL when they did not read */
  GError     *error;
} FolderChecks;

static void
folder_checks_free (gpointer data)
{
  FolderChecks *folder = data;

  g_clear_pointer (&folder->settings, json_object_unref);
  g_clear_pointer (&folder->checks, g_ptr_array_unref);
  g_clear_error (&folder->error);
  g_free (folder);
}

/* Keyed by the folder node, which the caller keeps alive as long as the table. */
GHashTable *
sonde_checks_folders_new (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, folder_checks_free);
}

static gboolean
read_folder_checks (SondeCollectionNode  *folder,
                    GHashTable           *folders,
                    GPtrArray            *checks,
                    GError              **error)
{
  JsonObject *settings = sonde_collection_node_get_extra (folder);
  FolderChecks *read = folders != NULL ? g_hash_table_lookup (folders, folder) : NULL;

  if (folders == NULL)
    return sonde_checks_read (settings, NULL, checks, error);

  if (read == NULL || read->settings != settings)
    {
      read = g_new0 (FolderChecks, 1);
      read->settings = settings != NULL ? json_object_ref (settings) : NULL;
      read->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);
      if (!sonde_checks_read (settings, NULL, read->checks, &read->error))
        g_clear_pointer (&read->checks, g_ptr_array_unref);
      g_hash_table_replace (folders, folder, read);
    }

  if (read->error != NULL)
    {
      g_propagate_error (error, g_error_copy (read->error));
      return FALSE;
    }
  for (guint i = 0; i < read->checks->len; i++)
    g_ptr_array_add (checks, check_copy (read->checks->pdata[i]));
  return TRUE;
}

gboolean
sonde_checks_for_node_with (SondeCollectionNode  *node,
                            GHashTable           *folders,
                            GPtrArray            *checks,
                            GPtrArray            *captures,
                            GError              **error)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  SondeRequest *request = sonde_collection_node_get_request (node);

  for (SondeCollectionNode *folder = sonde_collection_node_get_parent (node); folder != NULL;
       folder = sonde_collection_node_get_parent (folder))
    g_ptr_array_insert (chain, 0, folder);

  for (guint i = 0; i < chain->len && checks != NULL; i++)
    if (!read_folder_checks (chain->pdata[i], folders, checks, error))
      {
        g_autofree char *name = g_file_get_basename (sonde_collection_node_get_file (chain->pdata[i]));

        g_prefix_error (error, "%s: ", name);
        return FALSE;
      }

  if (request == NULL)
    return TRUE;
  return (checks == NULL || sonde_checks_read (sonde_request_get_extra (request), NULL, checks, error)) &&
         (captures == NULL || sonde_captures_read (sonde_request_get_extra (request), NULL, captures, error));
}

gboolean
sonde_checks_for_node (SondeCollectionNode  *node,
                       GPtrArray            *checks,
                       GPtrArray            *captures,
                       GError              **error)
{
  return sonde_checks_for_node_with (node, NULL, checks, captures, error);
}

/* Evaluating */

/* What a source gives: a text (status, header, body, …) or a JSON node (jsonpath), or
 * nothing ("no value at $.x"). */
typedef struct
{
  char     *text;
  JsonNode *node;     /* owned; for jsonpath: the first match */
  guint     n_matches;
  char     *missing;  /* why there is no value */
} Value;

static void
value_clear (Value *value)
{
  g_clear_pointer (&value->text, g_free);
  g_clear_pointer (&value->node, json_node_unref);
  g_clear_pointer (&value->missing, g_free);
}

static char *
node_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return g_strdup (json_node_get_string (node));
        case G_TYPE_BOOLEAN:
          return g_strdup (json_node_get_boolean (node) ? "true" : "false");
        case G_TYPE_INT64:
          return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        default:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
          }
        }
    }
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

static gboolean
read_json_body (SondeResponse  *response,
                JsonNode      **root,
                char          **missing)
{
  SondeBodyStore *body = sonde_response_get_body (response);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  if (body == NULL || sonde_body_store_get_size (body) == 0)
    {
      *missing = g_strdup (_("the body is empty"));
      return FALSE;
    }
  if (sonde_body_store_get_size (body) > SONDE_CHECK_MAX_JSON_BODY)
    {
      g_autofree char *limit = g_format_size (SONDE_CHECK_MAX_JSON_BODY);

      *missing = g_strdup_printf (_("the body is larger than %s, too large to read as JSON"), limit);
      return FALSE;
    }

  bytes = sonde_body_store_read (body, 0, sonde_body_store_get_size (body), &error);
  if (bytes == NULL)
    {
      *missing = g_strdup (error->message);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &length);
  if (!sonde_json_parse_document (parser, data, length, &error))
    {
      *missing = g_strdup_printf (_("the body is not JSON (%s)"), error->message);
      return FALSE;
    }
  *root = json_parser_steal_root (parser);
  return TRUE;
}

static void
read_source (const char    *source,
             const char    *name,
             const char    *path,
             SondeResponse *response,
             Value         *value)
{
  if (g_str_equal (source, "status"))
    value->text = g_strdup_printf ("%u", sonde_response_get_status (response));
  else if (g_str_equal (source, "header"))
    {
      const char *header = sonde_response_get_header (response, name);

      if (header != NULL)
        value->text = g_strdup (header);
      else
        value->missing = g_strdup_printf (_("no header %s"), name);
    }
  else if (g_str_equal (source, "cookie"))
    {
      GPtrArray *cookies = sonde_response_get_cookies (response);

      /* Along redirects the last response to set it wins, as in the jar. */
      for (guint i = cookies != NULL ? cookies->len : 0; i > 0 && value->text == NULL; i--)
        if (g_str_equal (soup_cookie_get_name (cookies->pdata[i - 1]), name))
          value->text = g_strdup (soup_cookie_get_value (cookies->pdata[i - 1]));
      if (value->text == NULL)
        value->missing = g_strdup_printf (_("no cookie %s was set"), name);
    }
  else if (g_str_equal (source, "body"))
    {
      SondeBodyStore *body = sonde_response_get_body (response);
      g_autoptr(GBytes) bytes = NULL;

      if (body != NULL && sonde_body_store_get_size (body) > SONDE_CHECK_MAX_JSON_BODY)
        value->missing = g_strdup (_("the body is too large to compare as text"));
      else
        {
          bytes = body != NULL ? sonde_body_store_read (body, 0, sonde_body_store_get_size (body), NULL) : NULL;
          value->text = bytes != NULL ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
                                      : g_strdup ("");
        }
    }
  else if (g_str_equal (source, "bodySize"))
    value->text = g_strdup_printf ("%" G_GUINT64_FORMAT, sonde_response_get_body_size (response));
  else if (g_str_equal (source, "duration"))
    value->text = g_strdup_printf ("%.0f", sonde_response_get_timings (response)->total);
  else if (g_str_equal (source, "url"))
    value->text = g_strdup (sonde_response_get_url (response));
  else if (g_str_equal (source, "jsonpath"))
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(JsonNode) matches = NULL;
      g_autoptr(GError) error = NULL;
      JsonArray *array;

      if (!read_json_body (response, &root, &value->missing))
        return;
      matches = json_path_query (path, root, &error);
      if (matches == NULL)
        {
          value->missing = g_strdup_printf (_("“%s” is not a valid JSONPath: %s"), path, error->message);
          return;
        }
      array = json_node_get_array (matches);
      value->n_matches = json_array_get_length (array);
      if (value->n_matches == 0)
        {
          value->missing = g_strdup_printf (_("no value at %s"), path);
          return;
        }
      value->node = json_node_copy (json_array_get_element (array, 0));
      value->text = node_text (value->node);
    }
  else
    value->missing = g_strdup_printf (_("unknown source “%s”"), source);
}

static gboolean
parse_number (const char *text,
              double     *number)
{
  char *end = NULL;

  if (text == NULL || text[0] == '\0' || g_ascii_isspace (text[0]))
    return FALSE;
  *number = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && isfinite (*number);
}

static char *
shorten (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *start = NULL;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  if (g_utf8_strlen (valid, -1) <= MAX_SHOWN)
    return g_steal_pointer (&valid);
  start = g_utf8_substring (valid, 0, MAX_SHOWN);
  return g_strconcat (start, "…", NULL);
}

static const char *
type_name (Value *value)
{
  if (value->node == NULL)
    return _("text");
  if (JSON_NODE_HOLDS_OBJECT (value->node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (value->node))
    return _("an array");
  if (JSON_NODE_HOLDS_NULL (value->node))
    return _("null");
  switch (json_node_get_value_type (value->node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    default:
      return _("a number");
    }
}

static gboolean
compare (const char *op,
         const char *actual,
         const char *expected)
{
  double a, b;
  int order;

  if (parse_number (actual, &a) && parse_number (expected, &b))
    order = a < b ? -1 : a > b ? 1 : 0;
  else
    order = g_strcmp0 (actual, expected);

  if (g_str_equal (op, "=="))
    return order == 0;
  if (g_str_equal (op, "!="))
    return order != 0;
  if (g_str_equal (op, "<"))
    return order < 0;
  if (g_str_equal (op, "<="))
    return order <= 0;
  if (g_str_equal (op, ">"))
    return order > 0;
  return order >= 0;
}

static guint
element_count (Value *value)
{
  if (value->node != NULL && value->n_matches == 1)
    {
      if (JSON_NODE_HOLDS_ARRAY (value->node))
        return json_array_get_length (json_node_get_array (value->node));
      if (JSON_NODE_HOLDS_OBJECT (value->node))
        return json_object_get_size (json_node_get_object (value->node));
    }
  if (value->node != NULL)
    return value->n_matches;
  return value->text != NULL ? g_utf8_strlen (value->text, -1) : 0;
}

SondeCheckResult *
sonde_check_evaluate (SondeCheck    *check,
                      SondeResponse *response,
                      GHashTable    *variables)
{
  SondeCheckResult *result = g_new0 (SondeCheckResult, 1);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  const char *op = check->op;
  const char *subject;
  Value value = { 0 };

  subject = g_str_equal (check->source, "jsonpath") ? check->path
          : (g_str_equal (check->source, "header") || g_str_equal (check->source, "cookie")) ? check->name
          : check->source;
  if (check->value != NULL)
    {
      expected = sonde_variables_expand (check->value, variables, &error);
      if (expected == NULL)
        {
          result->description = g_strdup_printf ("%s %s %s", subject, op, check->value);
          result->message = g_strdup (error->message);
          return result;
        }
    }
  result->description = expected != NULL ? g_strdup_printf ("%s %s %s", subject, op, expected)
                                          : g_strdup_printf ("%s %s", subject, op);

  read_source (check->source, check->name, check->path, response, &value);
  result->actual = shorten (value.text);

  if (g_str_equal (op, "exists"))
    result->passed = value.missing == NULL;
  else if (g_str_equal (op, "notExists"))
    result->passed = value.missing != NULL;
  else if (value.missing != NULL)
    result->passed = FALSE;
  else if (g_str_equal (op, "isString"))
    result->passed = value.node != NULL ? (JSON_NODE_HOLDS_VALUE (value.node) && json_node_get_value_type (value.node) == G_TYPE_STRING)
                                        : TRUE;
  else if (g_str_equal (op, "isNumber"))
    {
      double ignored;

      result->passed = value.node != NULL ? (JSON_NODE_HOLDS_VALUE (value.node) &&
                                             (json_node_get_value_type (value.node) == G_TYPE_INT64 ||
                                              json_node_get_value_type (value.node) == G_TYPE_DOUBLE))
                                          : parse_number (value.text, &ignored);
    }
  else if (g_str_equal (op, "isBoolean"))
    result->passed = value.node != NULL ? (JSON_NODE_HOLDS_VALUE (value.node) && json_node_get_value_type (value.node) == G_TYPE_BOOLEAN)
                                        : (g_str_equal (value.text, "true") || g_str_equal (value.text, "false"));
  else if (g_str_equal (op, "isArray"))
    result->passed = value.node != NULL && JSON_NODE_HOLDS_ARRAY (value.node);
  else if (g_str_equal (op, "isObject"))
    result->passed = value.node != NULL && JSON_NODE_HOLDS_OBJECT (value.node);
  else if (g_str_equal (op, "isNull"))
    result->passed = value.node != NULL && JSON_NODE_HOLDS_NULL (value.node);
  else if (g_str_equal (op, "isEmpty"))
    result->passed = value.node != NULL && !JSON_NODE_HOLDS_VALUE (value.node) && !JSON_NODE_HOLDS_NULL (value.node)
                     ? element_count (&value) == 0
                     : value.text[0] == '\0';
  else if (g_str_equal (op, "count"))
    {
      g_autofree char *count = g_strdup_printf ("%u", element_count (&value));

      result->passed = compare ("==", count, expected != NULL ? expected : "");
      g_free (result->actual);
      result->actual = g_steal_pointer (&count);
    }
  else if (g_str_equal (op, "contains"))
    result->passed = expected != NULL && strstr (value.text, expected) != NULL;
  else if (g_str_equal (op, "startsWith"))
    result->passed = expected != NULL && g_str_has_prefix (value.text, expected);
  else if (g_str_equal (op, "endsWith"))
    result->passed = expected != NULL && g_str_has_suffix (value.text, expected);
  else if (g_str_equal (op, "matches"))
    {
      g_autoptr(GRegex) regex = expected != NULL ? g_regex_new (expected, 0, 0, &error) : NULL;

      if (regex == NULL)
        {
          result->message = g_strdup_printf (_("“%s” is not a valid regular expression"), expected ? expected : "");
          value_clear (&value);
          return result;
        }
      result->passed = g_regex_match (regex, value.text, 0, NULL);
    }
  else
    result->passed = compare (op, value.text, expected != NULL ? expected : "");

  if (!result->passed)
    {
      if (value.missing != NULL)
        result->message = g_strdup (value.missing);
      else if (g_str_has_prefix (op, "is"))
        result->message = g_strdup_printf (_("got %s (%s)"), result->actual, type_name (&value));
      else
        result->message = g_strdup_printf (_("got %s"), result->actual);
    }

  value_clear (&value);
  return result;
}

char *
sonde_capture_evaluate (SondeCapture   *capture,
                        SondeResponse  *response,
                        GError        **error)
{
  Value value = { 0 };
  char *text;

  read_source (capture->source, capture->name, capture->path, response, &value);
  if (value.missing != NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE,
                   _("“%s” was not captured: %s"), capture->variable, value.missing);
      value_clear (&value);
      return NULL;
    }
  text = g_steal_pointer (&value.text);
  value_clear (&value);
  return text;
}

const char * const *
sonde_check_sources (void)
{
  return sources;
}

const char * const *
sonde_check_operators (void)
{
  return operators;
}

void
sonde_captures_apply (GPtrArray     *captures,
                      SondeResponse *response,
                      GHashTable    *variables,
                      GPtrArray     *secret_values,
                      GPtrArray     *failures)
{
  for (guint i = 0; i < captures->len; i++)
    {
      SondeCapture *capture = captures->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;

      if (!capture->enabled)
        continue;
      value = sonde_capture_evaluate (capture, response, &error);
      if (value == NULL)
        {
          SondeCheckResult *failed = g_new0 (SondeCheckResult, 1);

          /* Translators: %s is a variable name: the row of a capture that failed */
          failed->description = g_strdup_printf (_("capture %s"), capture->variable);
          failed->message = g_strdup (error->message);
          g_ptr_array_add (failures, failed);
          continue;
        }
      if (capture->secret && value[0] != '\0' && secret_values != NULL)
        g_ptr_array_add (secret_values, g_strdup (value));
      g_hash_table_replace (variables, g_strdup (capture->variable), g_steal_pointer (&value));
    }
}

static void
mask_text (char               **text,
           const char * const  *secrets)
{
  char *masked = sonde_secrets_mask (*text, secrets);

  g_free (*text);
  *text = masked;
}

void
sonde_check_result_mask (SondeCheckResult   *result,
                         const char * const *secrets)
{
  g_return_if_fail (result != NULL);

  if (secrets == NULL || secrets[0] == NULL)
    return;
  mask_text (&result->description, secrets);
  mask_text (&result->message, secrets);
  mask_text (&result->actual, secrets);
}

guint
sonde_checks_run (GPtrArray          *checks,
                  GPtrArray          *captures,
                  SondeResponse      *response,
                  GHashTable         *variables,
                  GHashTable         *captured,
                  GPtrArray          *secret_values,
                  const char * const *secrets,
                  GPtrArray          *results)
{
  g_autoptr(GPtrArray) captured_secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) all_secrets = NULL;
  guint start = results->len;
  guint failed = 0;

  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      SondeCheck *check = checks->pdata[i];

      if (check->enabled)
        g_ptr_array_add (results, sonde_check_evaluate (check, response, variables));
    }
  if (captured != NULL && captures != NULL)
    sonde_captures_apply (captures, response, captured, captured_secrets, results);

  /* What the results show of a secret is masked, the ones just captured too */
  if (secrets != NULL)
    g_strv_builder_addv (builder, (const char **) secrets);
  for (guint i = 0; i < captured_secrets->len; i++)
    {
      g_strv_builder_add (builder, captured_secrets->pdata[i]);
      if (secret_values != NULL)
        g_ptr_array_add (secret_values, g_strdup (captured_secrets->pdata[i]));
    }
  all_secrets = g_strv_builder_end (builder);
  for (guint i = start; i < results->len; i++)
    {
      SondeCheckResult *result = results->pdata[i];

      sonde_check_result_mask (result, (const char * const *) all_secrets);
      if (!result->passed)
        failed++;
    }
  return failed;
}
