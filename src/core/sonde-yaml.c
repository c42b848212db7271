/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-yaml"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <yaml.h>

#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-yaml.h"

/* YAML through libyaml's event API, so that aliases are expanded under a budget rather than
 * by a library that trusts its input (docs/security.md). */

typedef struct
{
  JsonNode *node;
  char     *key;      /* mappings: the key waiting for its value */
  gboolean  has_key;
  guint     count;    /* values below, for anchors */
  char     *anchor;
} Frame;

typedef struct
{
  GArray     *stack;   /* Frame */
  GHashTable *anchors; /* name → JsonNode (owned copy) */
  GHashTable *counts;  /* name → values below it */
  guint64     nodes;
  JsonNode   *root;
} Loader;

static void
frame_clear (Frame *frame)
{
  g_clear_pointer (&frame->node, json_node_unref);
  g_free (frame->key);
  g_free (frame->anchor);
}

static gboolean
set_error_at (GError             **error,
              const yaml_mark_t   *mark,
              const char          *message)
{
  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
               _("line %lu, column %lu: %s"), (unsigned long) mark->line + 1,
               (unsigned long) mark->column + 1, message);
  return FALSE;
}

static gboolean
is_integer (const char *text)
{
  if (*text == '-' || *text == '+')
    text++;
  return *text != '\0' && strspn (text, "0123456789") == strlen (text);
}

/* [-+]? ( . digits | digits ( . digits? )? ) ( [eE] [-+]? digits )? */
static gboolean
is_float (const char *text)
{
  gboolean digits = FALSE;

  if (*text == '-' || *text == '+')
    text++;
  while (g_ascii_isdigit (*text))
    text++, digits = TRUE;
  if (*text == '.')
    for (text++; g_ascii_isdigit (*text); text++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (*text == 'e' || *text == 'E')
    {
      text++;
      if (*text == '-' || *text == '+')
        text++;
      if (!g_ascii_isdigit (*text))
        return FALSE;
      while (g_ascii_isdigit (*text))
        text++;
    }
  return *text == '\0';
}

/* A plain scalar by the YAML 1.2 core schema */
static JsonNode *
resolve_plain (const char *text)
{
  JsonNode *node = json_node_alloc ();
  static const char * const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
  static const char * const trues[] = { "true", "True", "TRUE", NULL };
  static const char * const falses[] = { "false", "False", "FALSE", NULL };
  char *end = NULL;

  if (g_strv_contains (nulls, text))
    return json_node_init_null (node);
  if (g_strv_contains (trues, text))
    return json_node_init_boolean (node, TRUE);
  if (g_strv_contains (falses, text))
    return json_node_init_boolean (node, FALSE);

  if (is_integer (text))
    {
      gint64 value;

      errno = 0;
      value = g_ascii_strtoll (text, &end, 10);
      if (errno == 0 && *end == '\0')
        return json_node_init_int (node, value);
    }
  if (g_str_has_prefix (text, "0o") && text[2] != '\0' && strspn (text + 2, "01234567") == strlen (text + 2))
    return json_node_init_int (node, g_ascii_strtoll (text + 2, NULL, 8));
  if (g_str_has_prefix (text, "0x") && text[2] != '\0' && strspn (text + 2, "0123456789abcdefABCDEF") == strlen (text + 2))
    return json_node_init_int (node, g_ascii_strtoll (text + 2, NULL, 16));
  if (is_float (text))
    return json_node_init_double (node, g_ascii_strtod (text, NULL));
  /* .inf and .nan have no JSON form: kept as text */
  return json_node_init_string (node, text);
}

/* Puts VALUE (owned) where the frame on top of the stack waits for it */
static gboolean
add_value (Loader             *loader,
           JsonNode           *value,
           guint               count,
           const yaml_mark_t  *mark,
           GError            **error)
{
  Frame *top;

  loader->nodes += count;
  if (loader->nodes > SONDE_YAML_MAX_NODES)
    {
      json_node_unref (value);
      return set_error_at (error, mark, _("the document expands to more than a million values "
                                          "(aliases used over and over?): it is refused"));
    }

  if (loader->stack->len == 0)
    {
      if (loader->root == NULL)
        loader->root = value;
      else
        json_node_unref (value);
      return TRUE;
    }

  top = &g_array_index (loader->stack, Frame, loader->stack->len - 1);
  top->count += count;
  if (JSON_NODE_HOLDS_ARRAY (top->node))
    {
      json_array_add_element (json_node_get_array (top->node), value);
      return TRUE;
    }

  if (!top->has_key)
    {
      if (!JSON_NODE_HOLDS_VALUE (value) && !JSON_NODE_HOLDS_NULL (value))
        {
          json_node_unref (value);
          return set_error_at (error, mark, _("a key must be text, not a list or a mapping"));
        }
      top->key = JSON_NODE_HOLDS_NULL (value) ? g_strdup ("") :
                 json_node_get_value_type (value) == G_TYPE_STRING ? g_strdup (json_node_get_string (value))
                                                                   : json_to_string (value, FALSE);
      top->has_key = TRUE;
      json_node_unref (value);
      return TRUE;
    }

  /* "<<: *anchor" merges the anchor's members that are not set */
  if (g_str_equal (top->key, "<<") && JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *target = json_node_get_object (top->node);
      JsonObject *source = json_node_get_object (value);
      g_autoptr(GList) members = json_object_get_members (source);

      for (GList *l = members; l != NULL; l = l->next)
        if (!json_object_has_member (target, l->data))
          json_object_set_member (target, l->data, json_node_copy (json_object_get_member (source, l->data)));
      json_node_unref (value);
    }
  else
    json_object_set_member (json_node_get_object (top->node), top->key, value);
  g_clear_pointer (&top->key, g_free);
  top->has_key = FALSE;
  return TRUE;
}

static void
remember_anchor (Loader     *loader,
                 const char *anchor,
                 JsonNode   *node,
                 guint       count)
{
  if (anchor == NULL)
    return;
  g_hash_table_replace (loader->anchors, g_strdup (anchor), json_node_copy (node));
  g_hash_table_replace (loader->counts, g_strdup (anchor), GUINT_TO_POINTER (count));
}

static gboolean
handle_event (Loader        *loader,
              yaml_event_t  *event,
              gboolean      *done,
              GError       **error)
{
  switch (event->type)
    {
    case YAML_STREAM_START_EVENT:
    case YAML_DOCUMENT_START_EVENT:
      return TRUE;

    case YAML_DOCUMENT_END_EVENT:
    case YAML_STREAM_END_EVENT:
      /* The first document is the one */
      *done = TRUE;
      return TRUE;

    case YAML_SCALAR_EVENT:
      {
        const char *text = (const char *) event->data.scalar.value;
        const char *tag = (const char *) event->data.scalar.tag;
        JsonNode *node;

        if (event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (tag == NULL || !g_str_equal (tag, YAML_STR_TAG)))
          node = resolve_plain (text);
        else
          node = json_node_init_string (json_node_alloc (), text);
        remember_anchor (loader, (const char *) event->data.scalar.anchor, node, 1);
        return add_value (loader, node, 1, &event->start_mark, error);
      }

    case YAML_ALIAS_EVENT:
      {
        const char *anchor = (const char *) event->data.alias.anchor;
        JsonNode *target = g_hash_table_lookup (loader->anchors, anchor);
        guint count = GPOINTER_TO_UINT (g_hash_table_lookup (loader->counts, anchor));

        if (target == NULL)
          return set_error_at (error, &event->start_mark, _("an alias names no anchor"));
        /* Counted before it is copied: a bomb stops before its memory is taken */
        if (loader->nodes + count > SONDE_YAML_MAX_NODES)
          return set_error_at (error, &event->start_mark,
                               _("the document expands to more than a million values "
                                 "(aliases used over and over?): it is refused"));
        return add_value (loader, json_node_copy (target), count, &event->start_mark, error);
      }

    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
      {
        Frame frame = { 0 };

        if (loader->stack->len >= SONDE_JSON_MAX_DEPTH)
          return set_error_at (error, &event->start_mark, _("the document is nested too deeply"));
        if (event->type == YAML_MAPPING_START_EVENT)
          {
            frame.node = json_node_init_object (json_node_alloc (), json_object_new ());
            frame.anchor = g_strdup ((const char *) event->data.mapping_start.anchor);
          }
        else
          {
            frame.node = json_node_init_array (json_node_alloc (), json_array_new ());
            frame.anchor = g_strdup ((const char *) event->data.sequence_start.anchor);
          }
        g_array_append_val (loader->stack, frame);
        return TRUE;
      }

    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
      {
        Frame *top = &g_array_index (loader->stack, Frame, loader->stack->len - 1);
        JsonNode *node = g_steal_pointer (&top->node);
        guint count = top->count + 1;

        remember_anchor (loader, top->anchor, node, count);
        g_array_set_size (loader->stack, loader->stack->len - 1);
        /* The values below were counted as they came; the container itself adds one */
        loader->nodes -= count - 1;
        return add_value (loader, node, count, &event->start_mark, error);
      }

    case YAML_NO_EVENT:
    default:
      return TRUE;
    }
}

JsonNode *
sonde_yaml_to_json (const char  *data,
                    gsize        length,
                    GError     **error)
{
  yaml_parser_t parser;
  Loader loader = { 0 };
  gboolean done = FALSE;
  gboolean ok = TRUE;

  if (!yaml_parser_initialize (&parser))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE, _("The YAML reader could not start"));
      return NULL;
    }
  yaml_parser_set_input_string (&parser, (const unsigned char *) data, length);
  loader.stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (loader.stack, (GDestroyNotify) frame_clear);
  loader.anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  loader.counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (ok && !done)
    {
      yaml_event_t event;

      if (!yaml_parser_parse (&parser, &event))
        {
          g_autofree char *problem = g_strdup (parser.problem != NULL ? parser.problem : _("not valid YAML"));

          ok = set_error_at (error, &parser.problem_mark, problem);
          break;
        }
      ok = handle_event (&loader, &event, &done, error);
      yaml_event_delete (&event);
    }

  yaml_parser_delete (&parser);
  g_array_unref (loader.stack);
  g_hash_table_unref (loader.anchors);
  g_hash_table_unref (loader.counts);

  if (!ok)
    {
      g_clear_pointer (&loader.root, json_node_unref);
      return NULL;
    }
  if (loader.root == NULL)
    loader.root = json_node_init_null (json_node_alloc ());
  return loader.root;
}
