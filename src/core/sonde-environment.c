/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-environment"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-environment-private.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-request-io.h"

struct _SondeEnvironment
{
  GObject     parent_instance;

  char       *name;
  GFile      *file;
  GListStore *variables;
  JsonObject *extra;
  GError     *error;
};

G_DEFINE_FINAL_TYPE (SondeEnvironment, sonde_environment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_FILE,
  PROP_VARIABLES,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------
 * Variable rows: {"name", "value", "enabled"?} or {"name", "secret": true, "enabled"?}
 * ------------------------------------------------------------------------------------------ */

gboolean
sonde_variable_get_secret (SondeKeyValue *row)
{
  JsonObject *extra;
  JsonNode *node;

  g_return_val_if_fail (SONDE_IS_KEY_VALUE (row), FALSE);

  extra = sonde_key_value_get_extra (row);
  if (extra == NULL || (node = json_object_get_member (extra, "secret")) == NULL)
    return FALSE;

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* The flag lives in the row's extra keys, so it is written where the format puts it. */
void
sonde_variable_set_secret (SondeKeyValue *row,
                           gboolean       secret)
{
  g_autoptr(JsonObject) extra = NULL;
  JsonObject *old;

  g_return_if_fail (SONDE_IS_KEY_VALUE (row));

  if (sonde_variable_get_secret (row) == !!secret)
    return;

  old = sonde_key_value_get_extra (row);
  extra = json_object_new ();
  if (old != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, old);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        if (!g_str_equal (name, "secret"))
          json_object_set_member (extra, name, json_node_copy (member));
    }
  if (secret)
    {
      json_object_set_boolean_member (extra, "secret", TRUE);
      /* The value must not linger in memory to be saved by mistake elsewhere. */
      sonde_key_value_set_value (row, "");
    }

  sonde_key_value_set_extra (row, json_object_get_size (extra) > 0 ? extra : NULL);
}

static GObject *
read_variable_row (JsonObject  *row_object,
                   const char  *row_path,
                   GError     **error)
{
  static const char * const known[] = { "name", "value", "enabled", NULL };
  g_autoptr(JsonObject) extra = NULL;
  const char *name = "";
  const char *value = "";
  gboolean enabled = TRUE;
  gboolean secret = FALSE;
  SondeKeyValue *row;

  if (!sonde_json_read_string (row_object, "name", row_path, &name, error) ||
      !sonde_json_read_string (row_object, "value", row_path, &value, error) ||
      !sonde_json_read_boolean (row_object, "enabled", row_path, &enabled, error) ||
      !sonde_json_read_boolean (row_object, "secret", row_path, &secret, error))
    return NULL;

  /* A secret row with a value was written by hand: the value stays in the file, as an
   * unknown key, but is never used. */
  row = sonde_key_value_new (name, secret ? "" : value, enabled);
  extra = sonde_json_collect_extra (row_object, known);
  if (secret && json_object_has_member (row_object, "value"))
    {
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, "value", json_node_copy (json_object_get_member (row_object, "value")));
    }
  sonde_key_value_set_extra (row, extra);
  return G_OBJECT (row);
}

gboolean
sonde_variable_rows_read (JsonObject  *object,
                          const char  *key,
                          const char  *parent,
                          GListStore  *store,
                          GError     **error)
{
  return sonde_json_read_rows (object, key, parent, store, read_variable_row, error);
}

JsonArray *
sonde_variable_rows_to_json (GListModel *rows)
{
  guint n_items = g_list_model_get_n_items (rows);
  JsonArray *array;

  if (n_items == 0)
    return NULL;

  array = json_array_sized_new (n_items);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "name", sonde_key_value_get_name (row));
      /* Secrets keep only their name: "secret" comes from the extra keys. */
      if (!sonde_variable_get_secret (row))
        json_object_set_string_member (object, "value", sonde_key_value_get_value (row));
      if (!sonde_key_value_get_enabled (row))
        json_object_set_boolean_member (object, "enabled", FALSE);
      sonde_json_add_extra (object, sonde_key_value_get_extra (row));
      json_array_add_object_element (array, object);
    }

  return array;
}

gboolean
sonde_variables_table_add_rows (GHashTable        *table,
                                GListModel        *rows,
                                SondeSecretStore  *secrets,
                                const char        *collection_path,
                                const char        *environment,
                                GError           **error)
{
  guint n_items;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (rows), FALSE);
  g_return_val_if_fail (secrets == NULL || SONDE_IS_SECRET_STORE (secrets), FALSE);

  n_items = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);
      const char *name = sonde_key_value_get_name (row);
      char *value;

      if (!sonde_key_value_get_enabled (row) || name[0] == '\0')
        continue;

      if (sonde_variable_get_secret (row))
        {
          g_autoptr(GError) local_error = NULL;

          /* Without a store the value is unknown: an inherited one would be the wrong one. */
          if (secrets == NULL || collection_path == NULL)
            {
              g_hash_table_remove (table, name);
              continue;
            }
          value = sonde_secret_store_lookup_sync (secrets, collection_path, environment, name,
                                                  NULL, &local_error);
          if (local_error != NULL)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          _("Could not read the secret variable “%s”: "), name);
              return FALSE;
            }
          if (value == NULL)
            {
              /* Not set on this machine: an inherited value would be the wrong one. */
              g_hash_table_remove (table, name);
              continue;
            }
        }
      else
        value = g_strdup (sonde_key_value_get_value (row));

      g_hash_table_replace (table, g_strdup (name), value);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * Object
 * ------------------------------------------------------------------------------------------ */

static void
sonde_environment_finalize (GObject *object)
{
  SondeEnvironment *self = (SondeEnvironment *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_object (&self->file);
  g_clear_object (&self->variables);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (sonde_environment_parent_class)->finalize (object);
}

static void
sonde_environment_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SondeEnvironment *self = SONDE_ENVIRONMENT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_VARIABLES:
      g_value_set_object (value, self->variables);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_environment_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SondeEnvironment *self = SONDE_ENVIRONMENT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      sonde_environment_set_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_environment_class_init (SondeEnvironmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sonde_environment_finalize;
  object_class->get_property = sonde_environment_get_property;
  object_class->set_property = sonde_environment_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VARIABLES] =
    g_param_spec_object ("variables", NULL, NULL, G_TYPE_LIST_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_environment_init (SondeEnvironment *self)
{
  self->name = g_strdup ("");
  self->variables = sonde_key_value_list_new ();
}

SondeEnvironment *
sonde_environment_new (const char *name)
{
  return g_object_new (SONDE_TYPE_ENVIRONMENT, "name", name, NULL);
}

const char *
sonde_environment_get_name (SondeEnvironment *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (self), NULL);
  return self->name;
}

void
sonde_environment_set_name (SondeEnvironment *self,
                            const char       *name)
{
  g_return_if_fail (SONDE_IS_ENVIRONMENT (self));

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

GFile *
sonde_environment_get_file (SondeEnvironment *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (self), NULL);
  return self->file;
}

static void
set_file (SondeEnvironment *self,
          GFile            *file)
{
  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

const GError *
sonde_environment_get_error (SondeEnvironment *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (self), NULL);
  return self->error;
}

/* A file that does not parse: listed under its file name, with why, and never written. */
SondeEnvironment *
sonde_environment_new_broken (GFile        *file,
                              const GError *error)
{
  g_autofree char *basename = g_file_get_basename (file);
  SondeEnvironment *self;

  if (g_str_has_suffix (basename, ".json"))
    basename[strlen (basename) - strlen (".json")] = '\0';
  self = sonde_environment_new (basename);
  set_file (self, file);
  self->error = g_error_copy (error);
  return self;
}

GListStore *
sonde_environment_get_variables (SondeEnvironment *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (self), NULL);
  return self->variables;
}

JsonObject *
sonde_environment_get_extra (SondeEnvironment *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (self), NULL);
  return self->extra;
}

void
sonde_environment_set_extra (SondeEnvironment *self,
                             JsonObject       *extra)
{
  g_return_if_fail (SONDE_IS_ENVIRONMENT (self));

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

/* ------------------------------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------------------------------ */

SondeEnvironment *
sonde_environment_load_from_data (const char  *data,
                                  gssize       length,
                                  GError     **error)
{
  static const char * const known[] = { "name", "variables", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SondeEnvironment) self = NULL;
  g_autoptr(JsonObject) extra = NULL;
  const char *name = "";
  JsonObject *object;
  JsonNode *root;

  if (length < 0)
    length = data != NULL ? strlen (data) : 0;
  if (!sonde_json_parse_document (parser, data, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR,
                           root == NULL ? SONDE_REQUEST_ERROR_PARSE : SONDE_REQUEST_ERROR_INVALID_VALUE,
                           root == NULL ? _("the file is empty") : _("an environment file must hold a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  self = sonde_environment_new (NULL);
  if (!sonde_json_read_string (object, "name", NULL, &name, error) ||
      !sonde_variable_rows_read (object, "variables", NULL, self->variables, error))
    return NULL;

  sonde_environment_set_name (self, name);
  extra = sonde_json_collect_extra (object, known);
  sonde_environment_set_extra (self, extra);

  return g_steal_pointer (&self);
}

SondeEnvironment *
sonde_environment_load (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  SondeEnvironment *self;
  gsize length;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!sonde_file_load_bounded (file, SONDE_MAX_FILE_SIZE, &contents, &length, cancellable, error))
    return NULL;

  self = sonde_environment_load_from_data (contents, length, &local_error);
  if (self == NULL)
    {
      g_autofree char *basename = g_file_get_basename (file);

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", basename);
      return NULL;
    }

  /* An environment without a "name" is called after its file. */
  if (self->name[0] == '\0')
    {
      g_autofree char *basename = g_file_get_basename (file);

      if (g_str_has_suffix (basename, ".json"))
        basename[strlen (basename) - strlen (".json")] = '\0';
      sonde_environment_set_name (self, basename);
    }
  set_file (self, file);

  return self;
}

char *
sonde_environment_to_data (SondeEnvironment *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *variables;

  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (self), NULL);

  json_object_set_string_member (object, "name", self->name);
  /* An environment always lists its variables, even none: people look for the key. */
  variables = sonde_variable_rows_to_json (G_LIST_MODEL (self->variables));
  json_object_set_array_member (object, "variables", variables ? variables : json_array_new ());
  sonde_json_add_extra (object, self->extra);

  return sonde_json_file_to_data (object);
}

gboolean
sonde_environment_save (SondeEnvironment  *self,
                        GFile             *file,
                        GError           **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->error != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("“%s” does not parse, so Sonde does not write it: fix it by hand first (%s)"),
                   name, self->error->message);
      return FALSE;
    }

  data = sonde_environment_to_data (self);
  if (!sonde_file_write_atomic (file, data, strlen (data), 0644, error))
    return FALSE;

  set_file (self, file);
  return TRUE;
}
