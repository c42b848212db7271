/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-key-value"

#include "config.h"

#include "sonde-key-value.h"

struct _SondeKeyValue
{
  GObject parent_instance;

  char *name;
  char *value;
  JsonObject *extra;
  guint enabled : 1;
};

G_DEFINE_FINAL_TYPE (SondeKeyValue, sonde_key_value, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_VALUE,
  PROP_ENABLED,
  PROP_SENSITIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sonde_key_value_finalize (GObject *object)
{
  SondeKeyValue *self = (SondeKeyValue *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sonde_key_value_parent_class)->finalize (object);
}

static void
sonde_key_value_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SondeKeyValue *self = SONDE_KEY_VALUE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    case PROP_SENSITIVE:
      g_value_set_boolean (value, sonde_key_value_get_sensitive (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_key_value_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SondeKeyValue *self = SONDE_KEY_VALUE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      sonde_key_value_set_name (self, g_value_get_string (value));
      break;

    case PROP_VALUE:
      sonde_key_value_set_value (self, g_value_get_string (value));
      break;

    case PROP_ENABLED:
      sonde_key_value_set_enabled (self, g_value_get_boolean (value));
      break;

    case PROP_SENSITIVE:
      sonde_key_value_set_sensitive (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_key_value_class_init (SondeKeyValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sonde_key_value_finalize;
  object_class->get_property = sonde_key_value_get_property;
  object_class->set_property = sonde_key_value_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENSITIVE] =
    g_param_spec_boolean ("sensitive", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_key_value_init (SondeKeyValue *self)
{
  self->name = g_strdup ("");
  self->value = g_strdup ("");
  self->enabled = TRUE;
}

SondeKeyValue *
sonde_key_value_new (const char *name,
                     const char *value,
                     gboolean    enabled)
{
  SondeKeyValue *self = g_object_new (SONDE_TYPE_KEY_VALUE, NULL);

  /* Set the fields directly: nobody listens yet. */
  g_free (self->name);
  self->name = g_strdup (name ? name : "");
  g_free (self->value);
  self->value = g_strdup (value ? value : "");
  self->enabled = !!enabled;

  return self;
}

SondeKeyValue *
sonde_key_value_copy (SondeKeyValue *self)
{
  SondeKeyValue *copy;

  g_return_val_if_fail (SONDE_IS_KEY_VALUE (self), NULL);

  copy = sonde_key_value_new (self->name, self->value, self->enabled);
  if (self->extra != NULL)
    copy->extra = json_object_ref (self->extra);

  return copy;
}

const char *
sonde_key_value_get_name (SondeKeyValue *self)
{
  g_return_val_if_fail (SONDE_IS_KEY_VALUE (self), NULL);

  return self->name;
}

void
sonde_key_value_set_name (SondeKeyValue *self,
                          const char    *name)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE (self));

  if (name == NULL)
    name = "";

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
sonde_key_value_get_value (SondeKeyValue *self)
{
  g_return_val_if_fail (SONDE_IS_KEY_VALUE (self), NULL);

  return self->value;
}

void
sonde_key_value_set_value (SondeKeyValue *self,
                           const char    *value)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE (self));

  if (value == NULL)
    value = "";

  if (g_strcmp0 (self->value, value) == 0)
    return;

  g_free (self->value);
  self->value = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

gboolean
sonde_key_value_get_enabled (SondeKeyValue *self)
{
  g_return_val_if_fail (SONDE_IS_KEY_VALUE (self), FALSE);

  return self->enabled;
}

void
sonde_key_value_set_enabled (SondeKeyValue *self,
                             gboolean       enabled)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

/**
 * sonde_key_value_get_extra:
 *
 * Returns: (transfer none) (nullable): the JSON keys Sonde did not recognise.
 */
JsonObject *
sonde_key_value_get_extra (SondeKeyValue *self)
{
  g_return_val_if_fail (SONDE_IS_KEY_VALUE (self), NULL);

  return self->extra;
}

void
sonde_key_value_set_extra (SondeKeyValue *self,
                           JsonObject    *extra)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE (self));

  if (self->extra == extra)
    return;

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

GListStore *
sonde_key_value_list_new (void)
{
  return g_list_store_new (SONDE_TYPE_KEY_VALUE);
}

/**
 * sonde_key_value_list_copy:
 * @list: a #GListModel of #SondeKeyValue
 *
 * Returns: (transfer full): a new store holding copies of every row.
 */
GListStore *
sonde_key_value_list_copy (GListModel *list)
{
  GListStore *copy = sonde_key_value_list_new ();
  guint n_items;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (list), copy);

  /* Most lists of most requests are empty, and a request is copied on every send. */
  n_items = g_list_model_get_n_items (list);
  if (n_items == 0)
    return copy;
  rows = g_ptr_array_new_full (n_items, g_object_unref);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (list, i);

      g_ptr_array_add (rows, sonde_key_value_copy (row));
    }

  g_list_store_splice (copy, 0, 0, rows->pdata, rows->len);

  return copy;
}

/**
 * sonde_key_value_list_append:
 *
 * Appends an enabled row.
 *
 * Returns: (transfer none): the new row, owned by @list.
 */
SondeKeyValue *
sonde_key_value_list_append (GListStore *list,
                             const char *name,
                             const char *value)
{
  g_autoptr(SondeKeyValue) row = NULL;

  g_return_val_if_fail (G_IS_LIST_STORE (list), NULL);

  row = sonde_key_value_new (name, value, TRUE);
  g_list_store_append (list, row);

  return row;
}

/**
 * sonde_key_value_get_sensitive:
 *
 * Returns: whether the row is marked {"sensitive": true} in its file: a header the client
 *   never sends to another origin after a redirect (docs/security.md).
 */
gboolean
sonde_key_value_get_sensitive (SondeKeyValue *self)
{
  JsonNode *member;

  g_return_val_if_fail (SONDE_IS_KEY_VALUE (self), FALSE);

  member = self->extra != NULL ? json_object_get_member (self->extra, "sensitive") : NULL;
  return member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
         json_node_get_value_type (member) == G_TYPE_BOOLEAN && json_node_get_boolean (member);
}

void
sonde_key_value_set_sensitive (SondeKeyValue *self,
                               gboolean       sensitive)
{
  g_autoptr(JsonObject) extra = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  g_return_if_fail (SONDE_IS_KEY_VALUE (self));

  if (sonde_key_value_get_sensitive (self) == !!sensitive)
    return;

  /* The other kept keys stay, in their order. */
  extra = json_object_new ();
  if (self->extra != NULL)
    {
      json_object_iter_init_ordered (&iter, self->extra);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        if (!g_str_equal (name, "sensitive"))
          json_object_set_member (extra, name, json_node_copy (member));
    }
  if (sensitive)
    json_object_set_boolean_member (extra, "sensitive", TRUE);
  sonde_key_value_set_extra (self, json_object_get_size (extra) > 0 ? extra : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENSITIVE]);
}
