/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-body"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-body.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-key-value.h"

GType
sonde_body_kind_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { SONDE_BODY_NONE, "SONDE_BODY_NONE", "none" },
        { SONDE_BODY_TEXT, "SONDE_BODY_TEXT", "text" },
        { SONDE_BODY_JSON, "SONDE_BODY_JSON", "json" },
        { SONDE_BODY_XML, "SONDE_BODY_XML", "xml" },
        { SONDE_BODY_FORM, "SONDE_BODY_FORM", "form" },
        { SONDE_BODY_MULTIPART, "SONDE_BODY_MULTIPART", "multipart" },
        { SONDE_BODY_FILE, "SONDE_BODY_FILE", "file" },
        { SONDE_BODY_GRAPHQL, "SONDE_BODY_GRAPHQL", "graphql" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("SondeBodyKind"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

/* Replaces *FIELD with a copy of VALUE; returns FALSE when nothing changed. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
replace_extra (JsonObject **field,
               JsonObject  *extra)
{
  if (*field == extra)
    return;

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (field, json_object_unref);
  *field = extra;
}

/* SondeBodyPart */

struct _SondeBodyPart
{
  GObject parent_instance;

  char *name;
  char *value;
  char *file;
  char *filename;
  char *content_type;
  JsonObject *extra;
  guint enabled : 1;
};

G_DEFINE_FINAL_TYPE (SondeBodyPart, sonde_body_part, G_TYPE_OBJECT)

enum {
  PART_PROP_0,
  PART_PROP_NAME,
  PART_PROP_VALUE,
  PART_PROP_FILE,
  PART_PROP_FILENAME,
  PART_PROP_CONTENT_TYPE,
  PART_PROP_ENABLED,
  N_PART_PROPS
};

static GParamSpec *part_properties[N_PART_PROPS];

static void
sonde_body_part_finalize (GObject *object)
{
  SondeBodyPart *self = (SondeBodyPart *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->file, g_free);
  g_clear_pointer (&self->filename, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sonde_body_part_parent_class)->finalize (object);
}

static void
sonde_body_part_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SondeBodyPart *self = SONDE_BODY_PART (object);

  switch (prop_id)
    {
    case PART_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PART_PROP_VALUE:
      g_value_set_string (value, self->value);
      break;

    case PART_PROP_FILE:
      g_value_set_string (value, self->file);
      break;

    case PART_PROP_FILENAME:
      g_value_set_string (value, self->filename);
      break;

    case PART_PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;

    case PART_PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_body_part_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SondeBodyPart *self = SONDE_BODY_PART (object);

  switch (prop_id)
    {
    case PART_PROP_NAME:
      sonde_body_part_set_name (self, g_value_get_string (value));
      break;

    case PART_PROP_VALUE:
      sonde_body_part_set_value (self, g_value_get_string (value));
      break;

    case PART_PROP_FILE:
      sonde_body_part_set_file (self, g_value_get_string (value));
      break;

    case PART_PROP_FILENAME:
      sonde_body_part_set_filename (self, g_value_get_string (value));
      break;

    case PART_PROP_CONTENT_TYPE:
      sonde_body_part_set_content_type (self, g_value_get_string (value));
      break;

    case PART_PROP_ENABLED:
      sonde_body_part_set_enabled (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_body_part_class_init (SondeBodyPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sonde_body_part_finalize;
  object_class->get_property = sonde_body_part_get_property;
  object_class->set_property = sonde_body_part_set_property;

  part_properties[PART_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  part_properties[PART_PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, "", flags);
  part_properties[PART_PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, flags);
  part_properties[PART_PROP_FILENAME] = g_param_spec_string ("filename", NULL, NULL, NULL, flags);
  part_properties[PART_PROP_CONTENT_TYPE] = g_param_spec_string ("content-type", NULL, NULL, NULL, flags);
  part_properties[PART_PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, flags);

  g_object_class_install_properties (object_class, N_PART_PROPS, part_properties);
}

static void
sonde_body_part_init (SondeBodyPart *self)
{
  self->name = g_strdup ("");
  self->value = g_strdup ("");
  self->enabled = TRUE;
}

SondeBodyPart *
sonde_body_part_new_text (const char *name,
                          const char *value)
{
  SondeBodyPart *self = g_object_new (SONDE_TYPE_BODY_PART, NULL);

  replace_string (&self->name, name ? name : "");
  replace_string (&self->value, value ? value : "");

  return self;
}

SondeBodyPart *
sonde_body_part_new_file (const char *name,
                          const char *file)
{
  SondeBodyPart *self = g_object_new (SONDE_TYPE_BODY_PART, NULL);

  replace_string (&self->name, name ? name : "");
  replace_string (&self->file, file);

  return self;
}

SondeBodyPart *
sonde_body_part_copy (SondeBodyPart *self)
{
  SondeBodyPart *copy;

  g_return_val_if_fail (SONDE_IS_BODY_PART (self), NULL);

  copy = g_object_new (SONDE_TYPE_BODY_PART, NULL);
  replace_string (&copy->name, self->name);
  replace_string (&copy->value, self->value);
  replace_string (&copy->file, self->file);
  replace_string (&copy->filename, self->filename);
  replace_string (&copy->content_type, self->content_type);
  copy->enabled = self->enabled;
  replace_extra (&copy->extra, self->extra);

  return copy;
}

const char *
sonde_body_part_get_name (SondeBodyPart *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART (self), NULL);

  return self->name;
}

void
sonde_body_part_set_name (SondeBodyPart *self,
                          const char    *name)
{
  g_return_if_fail (SONDE_IS_BODY_PART (self));

  if (replace_string (&self->name, name ? name : ""))
    g_object_notify_by_pspec (G_OBJECT (self), part_properties[PART_PROP_NAME]);
}

const char *
sonde_body_part_get_value (SondeBodyPart *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART (self), NULL);

  return self->value;
}

void
sonde_body_part_set_value (SondeBodyPart *self,
                           const char    *value)
{
  g_return_if_fail (SONDE_IS_BODY_PART (self));

  if (replace_string (&self->value, value ? value : ""))
    g_object_notify_by_pspec (G_OBJECT (self), part_properties[PART_PROP_VALUE]);
}

/**
 * sonde_body_part_get_file:
 *
 * Returns: (nullable): the file to upload, or %NULL for a text part.
 */
const char *
sonde_body_part_get_file (SondeBodyPart *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART (self), NULL);

  return self->file;
}

void
sonde_body_part_set_file (SondeBodyPart *self,
                          const char    *file)
{
  g_return_if_fail (SONDE_IS_BODY_PART (self));

  if (replace_string (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), part_properties[PART_PROP_FILE]);
}

const char *
sonde_body_part_get_filename (SondeBodyPart *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART (self), NULL);

  return self->filename;
}

void
sonde_body_part_set_filename (SondeBodyPart *self,
                              const char    *filename)
{
  g_return_if_fail (SONDE_IS_BODY_PART (self));

  if (replace_string (&self->filename, filename))
    g_object_notify_by_pspec (G_OBJECT (self), part_properties[PART_PROP_FILENAME]);
}

const char *
sonde_body_part_get_content_type (SondeBodyPart *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART (self), NULL);

  return self->content_type;
}

void
sonde_body_part_set_content_type (SondeBodyPart *self,
                                  const char    *content_type)
{
  g_return_if_fail (SONDE_IS_BODY_PART (self));

  if (replace_string (&self->content_type, content_type))
    g_object_notify_by_pspec (G_OBJECT (self), part_properties[PART_PROP_CONTENT_TYPE]);
}

gboolean
sonde_body_part_get_enabled (SondeBodyPart *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART (self), FALSE);

  return self->enabled;
}

void
sonde_body_part_set_enabled (SondeBodyPart *self,
                             gboolean       enabled)
{
  g_return_if_fail (SONDE_IS_BODY_PART (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), part_properties[PART_PROP_ENABLED]);
}

JsonObject *
sonde_body_part_get_extra (SondeBodyPart *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART (self), NULL);

  return self->extra;
}

void
sonde_body_part_set_extra (SondeBodyPart *self,
                           JsonObject    *extra)
{
  g_return_if_fail (SONDE_IS_BODY_PART (self));

  replace_extra (&self->extra, extra);
}

/* SondeBody */

struct _SondeBody
{
  GObject parent_instance;

  SondeBodyKind kind;
  char *content_type;
  char *text;
  char *text_file;
  char *file;
  char *variables;
  char *operation_name;
  GListStore *fields;
  GListStore *parts;
  JsonObject *extra;
};

G_DEFINE_FINAL_TYPE (SondeBody, sonde_body, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_CONTENT_TYPE,
  PROP_TEXT,
  PROP_TEXT_FILE,
  PROP_FILE,
  PROP_VARIABLES,
  PROP_OPERATION_NAME,
  PROP_FIELDS,
  PROP_PARTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sonde_body_finalize (GObject *object)
{
  SondeBody *self = (SondeBody *)object;

  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->text_file, g_free);
  g_clear_pointer (&self->file, g_free);
  g_clear_pointer (&self->variables, g_free);
  g_clear_pointer (&self->operation_name, g_free);
  g_clear_object (&self->fields);
  g_clear_object (&self->parts);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sonde_body_parent_class)->finalize (object);
}

static void
sonde_body_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SondeBody *self = SONDE_BODY (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_TEXT_FILE:
      g_value_set_string (value, self->text_file);
      break;

    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;

    case PROP_VARIABLES:
      g_value_set_string (value, self->variables);
      break;

    case PROP_OPERATION_NAME:
      g_value_set_string (value, self->operation_name);
      break;

    case PROP_FIELDS:
      g_value_set_object (value, self->fields);
      break;

    case PROP_PARTS:
      g_value_set_object (value, self->parts);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_body_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SondeBody *self = SONDE_BODY (object);

  switch (prop_id)
    {
    case PROP_KIND:
      sonde_body_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_CONTENT_TYPE:
      sonde_body_set_content_type (self, g_value_get_string (value));
      break;

    case PROP_TEXT:
      sonde_body_set_text (self, g_value_get_string (value));
      break;

    case PROP_TEXT_FILE:
      sonde_body_set_text_file (self, g_value_get_string (value));
      break;

    case PROP_FILE:
      sonde_body_set_file (self, g_value_get_string (value));
      break;

    case PROP_VARIABLES:
      sonde_body_set_variables (self, g_value_get_string (value));
      break;

    case PROP_OPERATION_NAME:
      sonde_body_set_operation_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_body_class_init (SondeBodyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sonde_body_finalize;
  object_class->get_property = sonde_body_get_property;
  object_class->set_property = sonde_body_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SONDE_TYPE_BODY_KIND, SONDE_BODY_NONE, flags);
  properties[PROP_CONTENT_TYPE] = g_param_spec_string ("content-type", NULL, NULL, NULL, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, "", flags);
  properties[PROP_TEXT_FILE] = g_param_spec_string ("text-file", NULL, NULL, NULL, flags);
  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, flags);
  properties[PROP_VARIABLES] = g_param_spec_string ("variables", NULL, NULL, "", flags);
  properties[PROP_OPERATION_NAME] = g_param_spec_string ("operation-name", NULL, NULL, "", flags);
  properties[PROP_FIELDS] =
    g_param_spec_object ("fields", NULL, NULL, G_TYPE_LIST_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARTS] =
    g_param_spec_object ("parts", NULL, NULL, G_TYPE_LIST_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_body_init (SondeBody *self)
{
  self->kind = SONDE_BODY_NONE;
  self->text = g_strdup ("");
  self->variables = g_strdup ("");
  self->operation_name = g_strdup ("");
  self->fields = sonde_key_value_list_new ();
  self->parts = g_list_store_new (SONDE_TYPE_BODY_PART);
}

SondeBody *
sonde_body_new (void)
{
  return g_object_new (SONDE_TYPE_BODY, NULL);
}

/**
 * sonde_body_copy:
 *
 * Returns: (transfer full): a deep copy: fields and parts are copied too.
 */
SondeBody *
sonde_body_copy (SondeBody *self)
{
  SondeBody *copy;
  guint n_parts;

  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  copy = sonde_body_new ();
  copy->kind = self->kind;
  replace_string (&copy->content_type, self->content_type);
  replace_string (&copy->text, self->text);
  replace_string (&copy->text_file, self->text_file);
  replace_string (&copy->file, self->file);
  replace_string (&copy->variables, self->variables);
  replace_string (&copy->operation_name, self->operation_name);
  replace_extra (&copy->extra, self->extra);

  /* The new body's own empty list serves an empty one. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->fields)) > 0)
    {
      g_clear_object (&copy->fields);
      copy->fields = sonde_key_value_list_copy (G_LIST_MODEL (self->fields));
    }

  n_parts = g_list_model_get_n_items (G_LIST_MODEL (self->parts));
  for (guint i = 0; i < n_parts; i++)
    {
      g_autoptr(SondeBodyPart) part = g_list_model_get_item (G_LIST_MODEL (self->parts), i);
      g_autoptr(SondeBodyPart) part_copy = sonde_body_part_copy (part);

      g_list_store_append (copy->parts, part_copy);
    }

  return copy;
}

SondeBodyKind
sonde_body_get_kind (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), SONDE_BODY_NONE);

  return self->kind;
}

void
sonde_body_set_kind (SondeBody     *self,
                     SondeBodyKind  kind)
{
  g_return_if_fail (SONDE_IS_BODY (self));
  g_return_if_fail (kind >= SONDE_BODY_NONE && kind <= SONDE_BODY_GRAPHQL);

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

/**
 * sonde_body_get_content_type:
 *
 * Returns: (nullable): the content type the user chose, or %NULL for the kind's default.
 */
const char *
sonde_body_get_content_type (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->content_type;
}

void
sonde_body_set_content_type (SondeBody  *self,
                             const char *content_type)
{
  g_return_if_fail (SONDE_IS_BODY (self));

  if (content_type != NULL && content_type[0] == '\0')
    content_type = NULL;

  if (replace_string (&self->content_type, content_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_TYPE]);
}

/**
 * sonde_body_get_text:
 *
 * Returns: the text of text, json and xml bodies; never %NULL.
 */
const char *
sonde_body_get_text (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->text;
}

void
sonde_body_set_text (SondeBody  *self,
                     const char *text)
{
  g_return_if_fail (SONDE_IS_BODY (self));

  if (replace_string (&self->text, text ? text : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

const char *
sonde_body_get_text_file (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->text_file;
}

void
sonde_body_set_text_file (SondeBody  *self,
                          const char *text_file)
{
  g_return_if_fail (SONDE_IS_BODY (self));

  if (text_file != NULL && text_file[0] == '\0')
    text_file = NULL;

  if (replace_string (&self->text_file, text_file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT_FILE]);
}

const char *
sonde_body_get_file (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->file;
}

void
sonde_body_set_file (SondeBody  *self,
                     const char *file)
{
  g_return_if_fail (SONDE_IS_BODY (self));

  if (file != NULL && file[0] == '\0')
    file = NULL;

  if (replace_string (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

const char *
sonde_body_get_variables (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->variables;
}

void
sonde_body_set_variables (SondeBody  *self,
                          const char *variables)
{
  g_return_if_fail (SONDE_IS_BODY (self));

  if (replace_string (&self->variables, variables != NULL ? variables : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIABLES]);
}

const char *
sonde_body_get_operation_name (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->operation_name;
}

void
sonde_body_set_operation_name (SondeBody  *self,
                               const char *operation_name)
{
  g_return_if_fail (SONDE_IS_BODY (self));

  if (replace_string (&self->operation_name, operation_name != NULL ? operation_name : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPERATION_NAME]);
}

/**
 * sonde_body_get_fields:
 *
 * Returns: (transfer none): the form fields, a #GListStore of #SondeKeyValue.
 */
GListStore *
sonde_body_get_fields (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->fields;
}

/**
 * sonde_body_get_parts:
 *
 * Returns: (transfer none): the multipart parts, a #GListStore of #SondeBodyPart.
 */
GListStore *
sonde_body_get_parts (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->parts;
}

JsonObject *
sonde_body_get_extra (SondeBody *self)
{
  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  return self->extra;
}

void
sonde_body_set_extra (SondeBody  *self,
                      JsonObject *extra)
{
  g_return_if_fail (SONDE_IS_BODY (self));

  replace_extra (&self->extra, extra);
}

/**
 * sonde_body_kind_default_content_type:
 *
 * Returns: (nullable): the content type sent when the body has none, or %NULL
 *   for kinds that have no body or compute it (multipart needs a boundary).
 */
const char *
sonde_body_kind_default_content_type (SondeBodyKind kind)
{
  switch (kind)
    {
    case SONDE_BODY_TEXT:
      return "text/plain; charset=utf-8";

    case SONDE_BODY_JSON:
      return "application/json";

    case SONDE_BODY_XML:
      return "application/xml";

    case SONDE_BODY_FORM:
      return "application/x-www-form-urlencoded";

    case SONDE_BODY_FILE:
      return "application/octet-stream";

    case SONDE_BODY_GRAPHQL:
      return "application/json";

    case SONDE_BODY_NONE:
    case SONDE_BODY_MULTIPART:
    default:
      return NULL;
    }
}

gboolean
sonde_body_kind_has_text (SondeBodyKind kind)
{
  return kind == SONDE_BODY_TEXT || kind == SONDE_BODY_JSON || kind == SONDE_BODY_XML ||
         kind == SONDE_BODY_GRAPHQL;
}

/**
 * sonde_body_parse_graphql_variables:
 * @out: (out) (transfer full) (nullable): the variables, or %NULL for blank text
 *
 * Returns: FALSE with ERROR when the variables are not a JSON object.
 */
gboolean
sonde_body_parse_graphql_variables (SondeBody  *self,
                                    JsonNode  **out,
                                    GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (self->variables));

  *out = NULL;
  if (trimmed[0] == '\0')
    return TRUE;
  parser = json_parser_new_immutable ();
  if (!sonde_json_parse_document (parser, trimmed, strlen (trimmed), &local_error))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("The GraphQL variables are not valid JSON: %s"), local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                           _("The GraphQL variables must be a JSON object, such as {\"id\": 1}"));
      return FALSE;
    }
  *out = json_node_copy (json_parser_get_root (parser));
  return TRUE;
}

/**
 * sonde_body_build_graphql_json:
 *
 * Returns: (transfer full) (nullable): {"query", "variables", "operationName"} as sent in a
 *   POST: the last two only when set.
 */
char *
sonde_body_build_graphql_json (SondeBody  *self,
                               GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) variables = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (SONDE_IS_BODY (self), NULL);

  if (!sonde_body_parse_graphql_variables (self, &variables, error))
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, self->text);
  if (variables != NULL)
    {
      json_builder_set_member_name (builder, "variables");
      json_builder_add_value (builder, g_steal_pointer (&variables));
    }
  if (self->operation_name[0] != '\0')
    {
      json_builder_set_member_name (builder, "operationName");
      json_builder_add_string_value (builder, self->operation_name);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
