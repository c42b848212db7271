/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-data-file"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sonde-data-file.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-request-io.h"

/* One CSV record from *P (which moves past it), or NULL at the end. */
static GPtrArray *
read_record (const char **p,
             const char  *end,
             guint       *line,
             GError     **error)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *s = *p;
  guint start_line = *line;

  if (s >= end)
    {
      g_ptr_array_unref (fields);
      g_string_free (field, TRUE);
      return NULL;
    }

  for (;;)
    {
      if (s < end && *s == '"')
        {
          s++;
          for (;;)
            {
              if (s >= end)
                {
                  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                               _("line %u: a quoted field does not end"), start_line);
                  g_ptr_array_unref (fields);
                  g_string_free (field, TRUE);
                  return NULL;
                }
              if (*s == '"' && s + 1 < end && s[1] == '"')
                {
                  g_string_append_c (field, '"');
                  s += 2;
                }
              else if (*s == '"')
                {
                  s++;
                  break;
                }
              else
                {
                  if (*s == '\n')
                    (*line)++;
                  g_string_append_c (field, *s++);
                }
            }
        }
      while (s < end && *s != ',' && *s != '\n' && *s != '\r')
        g_string_append_c (field, *s++);

      g_ptr_array_add (fields, g_string_free (field, FALSE));
      field = g_string_new (NULL);
      if (s < end && *s == ',')
        {
          s++;
          continue;
        }
      if (s < end && *s == '\r')
        s++;
      if (s < end && *s == '\n')
        {
          s++;
          (*line)++;
        }
      break;
    }

  g_string_free (field, TRUE);
  *p = s;
  return fields;
}

static GPtrArray *
load_csv (const char  *data,
          gsize        length,
          GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) header = NULL;
  const char *p = data;
  const char *end = data + length;
  guint line = 1;
  guint record_line;
  GPtrArray *record;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  header = read_record (&p, end, &line, error);
  if (header == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                             _("the file is empty: the first line must name the variables"));
      return NULL;
    }

  while ((record_line = line, record = read_record (&p, end, &line, error)) != NULL)
    {
      g_autoptr(GPtrArray) fields = record;
      GHashTable *row;

      /* Blank lines (a trailing newline among them) are no rows. */
      if (fields->len == 1 && ((char *) fields->pdata[0])[0] == '\0')
        continue;
      if (fields->len != header->len)
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                       _("line %u has %u fields where the first line names %u"),
                       record_line, fields->len, header->len);
          return NULL;
        }
      row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; i < fields->len; i++)
        g_hash_table_replace (row, g_strdup (header->pdata[i]), g_strdup (fields->pdata[i]));
      g_ptr_array_add (rows, row);
    }
  if (error != NULL && *error != NULL)
    return NULL;

  return g_steal_pointer (&rows);
}

static GPtrArray *
load_json (const char  *data,
           gsize        length,
           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  JsonNode *root;
  JsonArray *array;

  if (!sonde_json_parse_document (parser, data, length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                           _("the file must hold a JSON array of objects, one per run"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      GHashTable *row;
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("element %u must be an object"), i);
          return NULL;
        }
      row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_ptr_array_add (rows, row);
      json_object_iter_init_ordered (&iter, json_node_get_object (element));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          char *value;

          if (JSON_NODE_HOLDS_NULL (member))
            value = g_strdup ("");
          else if (!JSON_NODE_HOLDS_VALUE (member))
            {
              g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                           _("element %u: “%s” must be a string, a number or a boolean"), i, name);
              return NULL;
            }
          else if (json_node_get_value_type (member) == G_TYPE_STRING)
            value = g_strdup (json_node_get_string (member));
          else
            value = json_to_string (member, FALSE);
          g_hash_table_replace (row, g_strdup (name), value);
        }
    }

  return g_steal_pointer (&rows);
}

GPtrArray *
sonde_data_file_load (GFile   *file,
                      GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *p;
  GPtrArray *rows;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!sonde_file_load_bounded (file, SONDE_MAX_FILE_SIZE, &contents, &length, NULL, error))
    return NULL;

  /* JSON when it starts like an array, CSV otherwise. */
  for (p = contents; p < contents + length && g_ascii_isspace (*p); p++)
    ;
  rows = (p < contents + length && *p == '[') ? load_json (contents, length, &local_error)
                                                : load_csv (contents, length, &local_error);
  if (rows == NULL)
    {
      name = g_file_get_parse_name (file);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", name);
    }
  return rows;
}
