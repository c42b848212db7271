/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-json-file"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sonde-json-file.h"
#include "sonde-error.h"

/* ------------------------------------------------------------------------------------------
 * Writing JSON
 *
 * The layout is fixed so that an edit touches only the lines it changes:
 *  - an object or array holding only scalars (a row, auth, simple options, a host list) is
 *    written on one line: {"name": "Accept", "value": "text/html"};
 *  - any other object or array, and the file's top-level object, is written one member per
 *    line, indented by two spaces, so adding a header adds one line.
 * The rule depends only on structure, never on length, so a growing value never reflows
 * its neighbours, and reading then writing any file Sonde wrote gives the same bytes.
 * ------------------------------------------------------------------------------------------ */

static void write_node (GString *out, JsonNode *node, guint indent);

void
sonde_json_append_string (GString    *out,
                          const char *text)
{
  g_autofree char *valid = NULL;

  /* JSON is UTF-8; a string set from code might not be. */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double. */
static void
write_double (GString *out,
              double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    {
      g_string_append (out, "null");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "1e999" : "-1e999");
      return;
    }
  /* "-0" would read back as the integer 0, and the next save would change the file. */
  if (value == 0 && signbit (value))
    {
      g_string_append (out, "-0.0");
      return;
    }

  for (int precision = 15; precision <= 17; precision++)
    {
      g_autofree char *format = g_strdup_printf ("%%.%dg", precision);

      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  g_string_append (out, buffer);
}

static void
write_value (GString  *out,
             JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    write_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else if (type == G_TYPE_STRING)
    sonde_json_append_string (out, json_node_get_string (node));
  else
    g_string_append (out, "null");
}

/* Empty objects and arrays read as scalars: "{}" does not need a line of its own. */
static gboolean
is_container (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) > 0;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) > 0;
  return FALSE;
}

static gboolean
is_flat (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      /* json-glib 1.6 writes the name even when asked not to: always pass one. */
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        if (is_container (member))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (is_container (json_array_get_element (array, i)))
          return FALSE;
    }

  return TRUE;
}

static void
write_indent (GString *out,
              guint    indent)
{
  for (guint i = 0; i < indent; i++)
    g_string_append (out, "  ");
}

static void
write_object (GString    *out,
              JsonObject *object,
              gboolean    flat,
              guint       indent)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  if (json_object_get_size (object) == 0)
    {
      g_string_append (out, "{}");
      return;
    }

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      if (flat)
        {
          if (!first)
            g_string_append_c (out, ' ');
        }
      else
        {
          g_string_append_c (out, '\n');
          write_indent (out, indent + 1);
        }
      sonde_json_append_string (out, name);
      g_string_append (out, ": ");
      write_node (out, member, indent + 1);
      first = FALSE;
    }
  if (!flat)
    {
      g_string_append_c (out, '\n');
      write_indent (out, indent);
    }
  g_string_append_c (out, '}');
}

static void
write_array (GString   *out,
             JsonArray *array,
             gboolean   flat,
             guint      indent)
{
  guint length = json_array_get_length (array);

  if (length == 0)
    {
      g_string_append (out, "[]");
      return;
    }

  g_string_append_c (out, '[');
  for (guint i = 0; i < length; i++)
    {
      if (i > 0)
        g_string_append (out, flat ? ", " : ",");
      if (!flat)
        {
          g_string_append_c (out, '\n');
          write_indent (out, indent + 1);
        }
      write_node (out, json_array_get_element (array, i), indent + 1);
    }
  if (!flat)
    {
      g_string_append_c (out, '\n');
      write_indent (out, indent);
    }
  g_string_append_c (out, ']');
}

static void
write_node (GString  *out,
            JsonNode *node,
            guint     indent)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      write_object (out, json_node_get_object (node), is_flat (node), indent);
      break;

    case JSON_NODE_ARRAY:
      write_array (out, json_node_get_array (node), is_flat (node), indent);
      break;

    case JSON_NODE_VALUE:
      write_value (out, node);
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

/**
 * sonde_json_file_to_data:
 * @object: the file's top-level object, members in the order they are to be written
 *
 * Returns: (transfer full): @object in Sonde's layout: the top level one member per line,
 *   then the rule above, and a final newline.
 */
char *
sonde_json_file_to_data (JsonObject *object)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (object != NULL, NULL);

  /* The file itself is always one key per line, even when every value is a scalar. */
  write_object (out, object, FALSE, 0);
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------
 * Reading, with the key path in every error
 *
 * Every reader takes the path of the object it reads from, written as in the error
 * messages: “headers”[2] (NULL for the top level), and names the key: “headers”[2].“name”.
 * Absent and null members leave the output alone: defaults are the caller's.
 * ------------------------------------------------------------------------------------------ */

/* Appends the unknown keys of EXTRA, in their order, after the known ones. A key that is
 * already written (the model has a value for it) wins. */
void
sonde_json_add_extra (JsonObject *object,
                      JsonObject *extra)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (extra == NULL)
    return;

  json_object_iter_init_ordered (&iter, extra);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!json_object_has_member (object, name))
      json_object_set_member (object, name, json_node_copy (member));
}
char *
sonde_json_member_path (const char *parent,
                        const char *key)
{
  if (parent == NULL)
    return g_strdup_printf ("“%s”", key);
  return g_strdup_printf ("%s.“%s”", parent, key);
}

char *
sonde_json_element_path (const char *parent,
                         guint       index)
{
  return g_strdup_printf ("%s[%u]", parent, index);
}

/* FORMAT is a translated sentence with one %s, the path of the value. */
gboolean
sonde_json_invalid_value (GError     **error,
                          const char  *parent,
                          const char  *key,
                          const char  *format)
{
  g_autofree char *path = sonde_json_member_path (parent, key);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE, format, path);
#pragma GCC diagnostic pop

  return FALSE;
}

/* Reads an optional string member: absent and null leave *VALUE alone. */
gboolean
sonde_json_read_string (JsonObject  *object,
                        const char  *key,
                        const char  *parent,
                        const char **value,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return sonde_json_invalid_value (error, parent, key, _("%s must be a string"));

  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
sonde_json_read_boolean (JsonObject  *object,
                         const char  *key,
                         const char  *parent,
                         gboolean    *value,
                         GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return sonde_json_invalid_value (error, parent, key, _("%s must be true or false"));

  *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
sonde_json_read_number (JsonObject  *object,
                        const char  *key,
                        const char  *parent,
                        double      *value,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return sonde_json_invalid_value (error, parent, key, _("%s must be a number"));

  *value = json_node_get_double (node);
  if (*value < 0 || isnan (*value))
    return sonde_json_invalid_value (error, parent, key, _("%s must not be negative"));

  return TRUE;
}

gboolean
sonde_json_read_integer (JsonObject  *object,
                         const char  *key,
                         const char  *parent,
                         gint64       min,
                         gint64      *value,
                         GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d != floor (d) || fabs (d) > 9e15)
        return sonde_json_invalid_value (error, parent, key, _("%s must be a whole number"));
      *value = (gint64)d;
    }
  else if (type == G_TYPE_INT64)
    *value = json_node_get_int (node);
  else
    return sonde_json_invalid_value (error, parent, key, _("%s must be a whole number"));

  if (*value < min)
    return sonde_json_invalid_value (error, parent, key, _("%s must not be negative"));

  return TRUE;
}

/* Returns the object member KEY in *VALUE, or NULL when absent or null. */
gboolean
sonde_json_read_object (JsonObject  *object,
                        const char  *key,
                        const char  *parent,
                        JsonObject **value,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return sonde_json_invalid_value (error, parent, key, _("%s must be an object"));

  *value = json_node_get_object (node);
  return TRUE;
}

gboolean
sonde_json_read_array (JsonObject  *object,
                       const char  *key,
                       const char  *parent,
                       JsonArray  **value,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return sonde_json_invalid_value (error, parent, key, _("%s must be a list"));

  *value = json_node_get_array (node);
  return TRUE;
}

gboolean
sonde_json_read_rows (JsonObject        *object,
                      const char        *key,
                      const char        *parent,
                      GListStore        *store,
                      SondeJsonRowFunc   read_row,
                      GError           **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  JsonArray *array;
  guint length;

  if (!sonde_json_read_array (object, key, parent, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;
  path = sonde_json_member_path (parent, key);

  length = json_array_get_length (array);
  rows = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *row_path = sonde_json_element_path (path, i);
      GObject *row;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("%s must be an object"), row_path);
          return FALSE;
        }

      row = read_row (json_node_get_object (node), row_path, error);
      if (row == NULL)
        return FALSE;
      g_ptr_array_add (rows, row);
    }

  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       rows->pdata, rows->len);
  return TRUE;
}

/* A new object with the members of OBJECT (may be NULL) not in EXCEPT (may be NULL), in their
 * order: what changes one key of an object that may be shared (a request's kept keys). */
JsonObject *
sonde_json_object_copy_except (JsonObject         *object,
                               const char * const *except)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (object == NULL)
    return copy;
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (except == NULL || !g_strv_contains (except, name))
      json_object_set_member (copy, name, json_node_copy (member));
  return copy;
}

/* With sonde_json_object_copy_except (): one key of a kept object changed, the others left
 * where they were (json-glib keeps a replaced member's place). */
void
sonde_json_object_set_or_remove (JsonObject *object,
                                 const char *key,
                                 JsonNode   *node)
{
  if (node != NULL)
    json_object_set_member (object, key, node);
  else if (json_object_has_member (object, key))
    json_object_remove_member (object, key);
}

/* The members of OBJECT not in KNOWN, in their order, or NULL when there are none. */
JsonObject *
sonde_json_collect_extra (JsonObject         *object,
                          const char * const *known)
{
  JsonObject *extra = sonde_json_object_copy_except (object, known);

  if (json_object_get_size (extra) > 0)
    return extra;
  json_object_unref (extra);
  return NULL;
}
/* Skips whitespace and comments as json-glib's scanner does: its comments are C's
 * multi-line ones and, as GScanner reads the pair "//", anything from "/" to the next "/". */
static const char *
skip_blank (const char *p,
            const char *end)
{
  while (p < end)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
      else if (end - p >= 2 && p[0] == '/' && p[1] == '*')
        {
          /* Its scanner looks for the closing pair from the opening star on: slash, star,
           * slash is a whole comment to json-glib. */
          const char *close = g_strstr_len (p + 1, end - p - 1, "*/");

          if (close == NULL)
            return end;
          p = close + 2;
        }
      else if (*p == '/')
        {
          const char *close = memchr (p + 1, '/', end - p - 1);

          if (close == NULL)
            return end;
          p = close + 1;
        }
      else
        break;
    }
  return p;
}

/* The end of the string starting at P (quoted by *P), or NULL when it does not end. */
static const char *
skip_string (const char *p,
             const char *end)
{
  char quote = *p++;

  for (; p < end; p++)
    {
      if (*p == '\\' && quote == '"')
        p++;
      else if (*p == quote)
        return p + 1;
    }
  return NULL;
}

/* The end of json-glib's first top-level value at P, or NULL when it is malformed (then
 * json-glib reports the error itself). Containers are matched bracket by bracket. */
static const char *
skip_value (const char *p,
            const char *end)
{
  g_autoptr(GString) open = g_string_new (NULL);

  if (p == end)
    return NULL;
  if (*p == '"' || *p == '\'')
    return skip_string (p, end);
  if (*p != '{' && *p != '[')
    {
      while (p < end && strchr (" \t\r\n{}[],:\"'/", *p) == NULL)
        p++;
      return p;
    }

  while (p < end)
    {
      p = skip_blank (p, end);
      if (p == end)
        break;
      if (*p == '"' || *p == '\'')
        {
          if ((p = skip_string (p, end)) == NULL)
            return NULL;
          continue;
        }
      if (*p == '{' || *p == '[')
        g_string_append_c (open, *p == '{' ? '}' : ']');
      else if (*p == '}' || *p == ']')
        {
          if (open->len == 0 || open->str[open->len - 1] != *p)
            return NULL;
          g_string_truncate (open, open->len - 1);
          if (open->len == 0)
            return p + 1;
        }
      p++;
    }
  return NULL;
}

/* Where P is in DATA, for messages: "line L, column C" (1-based, columns in characters). */
static void
locate (const char *data,
        const char *p,
        guint      *line,
        glong      *column)
{
  const char *line_start = data;

  *line = 1;
  for (const char *q = data; q < p; q++)
    if (*q == '\n')
      {
        (*line)++;
        line_start = q + 1;
      }
  *column = g_utf8_pointer_to_offset (line_start, p) + 1;
}

/**
 * sonde_json_check_single_value:
 *
 * json-glib 1.6 reads "{…}{…}" (any value followed by an object or array) as one
 * document, keeps the first value and leaks the others: a file holding two requests, as a
 * bad merge leaves it, would silently lose one on the next save. Call this before
 * json_parser_load_from_data (): it finds the end of the first value the way json-glib
 * reads it (comments, single quotes) and fails when an object or array follows.
 *
 * Returns: %FALSE with %SONDE_REQUEST_ERROR_PARSE ("line L, column C: …") when a second
 *   value follows; %TRUE otherwise, including for errors json-glib reports itself.
 */
gboolean
sonde_json_check_single_value (const char  *data,
                               gsize        length,
                               GError     **error)
{
  const char *end = data + length;
  const char *p = data;
  g_autofree char *message = NULL;
  guint line;
  glong column;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  p = skip_value (skip_blank (p, end), end);
  if (p == NULL)
    return TRUE;
  p = skip_blank (p, end);
  /* Anything after the first value: json-glib reads scalars its own way ("-" and a
   * comment and "0" are one number to it), so a second document could hide behind any. */
  if (p == end)
    return TRUE;

  locate (data, p, &line, &column);
  message = g_strdup_printf (_("line %u, column %ld: unexpected text after the end of the document"),
                             line, column);
  g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE, message);
  return FALSE;
}

/**
 * sonde_json_check_depth:
 *
 * json-glib parses and frees nested containers recursively: a file nested 100,000 deep
 * (200 kB) overflows the stack and kills the process, and a teammate's collection or a
 * server's response is enough to do it. This scan, itself without recursion, counts the
 * nesting the way json-glib would read it (strings and comments skipped as json-glib's
 * scanner does) and refuses anything nested deeper than %SONDE_JSON_MAX_DEPTH before
 * json-glib sees it. See docs/security.md.
 *
 * Returns: %FALSE with %SONDE_REQUEST_ERROR_PARSE naming the line and column.
 */
gboolean
sonde_json_check_depth (const char  *data,
                        gsize        length,
                        GError     **error)
{
  const char *end = data + length;
  const char *p = data;
  guint depth = 0;

  while (p < end)
    {
      const char *next;

      /* A comment that does not close is read differently by json-glib (which then leaks
       * what follows): refused, so that no reading of the file can differ. */
      if (*p == '/' &&
          ((end - p >= 2 && p[1] == '*') ? g_strstr_len (p + 1, end - p - 1, "*/") == NULL
                                         : memchr (p + 1, '/', end - p - 1) == NULL))
        {
          guint line;
          glong column;

          locate (data, p, &line, &column);
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                       _("line %u, column %ld: a comment is not closed"), line, column);
          return FALSE;
        }

      next = skip_blank (p, end);
      if (next != p)
        {
          p = next;
          continue;
        }
      if (*p == '"' || *p == '\'')
        {
          p = skip_string (p, end);
          if (p == NULL)
            return TRUE;   /* an unterminated string: json-glib reports it */
          continue;
        }
      if (*p == '{' || *p == '[')
        {
          if (++depth > SONDE_JSON_MAX_DEPTH)
            {
              guint line;
              glong column;

              locate (data, p, &line, &column);
              g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                           _("line %u, column %ld: the data is nested more than %u levels deep"),
                           line, column, (guint) SONDE_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((*p == '}' || *p == ']') && depth > 0)
        depth--;
      p++;
    }

  return TRUE;
}

/* json-glib says "<data>:3:5: Parse error: unexpected character `}', expected …";
 * people get "line 3, column 5: unexpected character “}”, expected …". */
char *
sonde_json_describe_parse_error (const GError *json_error)
{
  g_autoptr(GRegex) location = g_regex_new ("^<[^>]*>:(\\d+):(\\d+): (?:Parse error: )?(.*)$",
                                            G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) quotes = g_regex_new ("`([^']*)'", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *line = NULL;
  g_autofree char *column = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *quoted = NULL;
  /* json-glib quotes the token it stopped at, which may hold any byte: "\333" is an
   * octal escape to it, and error messages end up in GTK labels, which need UTF-8. */
  g_autofree char *message = g_utf8_make_valid (json_error->message, -1);

  if (!g_regex_match (location, message, 0, &match))
    return g_steal_pointer (&message);

  line = g_match_info_fetch (match, 1);
  column = g_match_info_fetch (match, 2);
  reason = g_match_info_fetch (match, 3);
  quoted = g_regex_replace (quotes, reason, -1, 0, "“\\1”", 0, NULL);

  /* Translators: the last %s is the parser's reason, in English */
  return g_strdup_printf (_("line %s, column %s: %s"), line, column, quoted ? quoted : reason);
}

gboolean
sonde_json_parse_document (JsonParser  *parser,
                           const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;

  if (data == NULL)
    data = "";
  if (!sonde_json_check_depth (data, length, error) ||
      !sonde_json_check_single_value (data, length, error))
    return FALSE;
  if (json_parser_load_from_data (parser, data, length, &local_error))
    return TRUE;

  if (g_error_matches (local_error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA))
    reason = g_strdup (_("the file is not UTF-8 text"));
  else
    reason = sonde_json_describe_parse_error (local_error);
  g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE, reason);
  return FALSE;
}

const char *
sonde_json_get_string (JsonObject *object,
                       const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

JsonObject *
sonde_json_get_object (JsonObject *object,
                       const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
sonde_json_get_array (JsonObject *object,
                      const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
sonde_json_get_boolean (JsonObject *object,
                        const char *name,
                        gboolean    fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return fallback;
}

char *
sonde_json_pretty_print (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}
