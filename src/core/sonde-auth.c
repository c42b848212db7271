/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-auth"

#include "config.h"

#include <string.h>

#include "sonde-auth.h"
#include "sonde-ref-string.h"

struct _SondeAuth
{
  GObject parent_instance;

  SondeAuthKind kind;
  char *username;
  char *password;
  char *token;
  char *key_name;
  char *key_value;
  SondeApiKeyLocation key_location;
  char *region;
  char *service;
  char *oauth[SONDE_OAUTH_N_FIELDS];
  JsonObject *extra;
};

G_DEFINE_FINAL_TYPE (SondeAuth, sonde_auth, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_TOKEN,
  PROP_KEY_NAME,
  PROP_KEY_VALUE,
  PROP_KEY_LOCATION,
  PROP_REGION,
  PROP_SERVICE,
  PROP_OAUTH_FIRST,
  N_PROPS = PROP_OAUTH_FIRST + SONDE_OAUTH_N_FIELDS
};

static GParamSpec *properties[N_PROPS];

GType
sonde_auth_kind_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { SONDE_AUTH_NONE, "SONDE_AUTH_NONE", "none" },
        { SONDE_AUTH_BASIC, "SONDE_AUTH_BASIC", "basic" },
        { SONDE_AUTH_DIGEST, "SONDE_AUTH_DIGEST", "digest" },
        { SONDE_AUTH_BEARER, "SONDE_AUTH_BEARER", "bearer" },
        { SONDE_AUTH_API_KEY, "SONDE_AUTH_API_KEY", "api-key" },
        { SONDE_AUTH_INHERIT, "SONDE_AUTH_INHERIT", "inherit" },
        { SONDE_AUTH_NTLM, "SONDE_AUTH_NTLM", "ntlm" },
        { SONDE_AUTH_AWS_SIGV4, "SONDE_AUTH_AWS_SIGV4", "aws-sigv4" },
        { SONDE_AUTH_OAUTH2, "SONDE_AUTH_OAUTH2", "oauth2" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("SondeAuthKind"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

GType
sonde_api_key_location_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { SONDE_API_KEY_IN_HEADER, "SONDE_API_KEY_IN_HEADER", "header" },
        { SONDE_API_KEY_IN_QUERY, "SONDE_API_KEY_IN_QUERY", "query" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("SondeApiKeyLocation"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

/* The string fields are GRefStrings (sonde-ref-string.h). */
static void
set_string_property (SondeAuth   *self,
                     char       **field,
                     const char  *value,
                     guint        prop_id)
{
  if (sonde_ref_string_replace (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
sonde_auth_finalize (GObject *object)
{
  SondeAuth *self = (SondeAuth *)object;

  g_clear_pointer (&self->username, g_ref_string_release);
  g_clear_pointer (&self->password, g_ref_string_release);
  g_clear_pointer (&self->token, g_ref_string_release);
  g_clear_pointer (&self->key_name, g_ref_string_release);
  g_clear_pointer (&self->key_value, g_ref_string_release);
  g_clear_pointer (&self->region, g_ref_string_release);
  g_clear_pointer (&self->service, g_ref_string_release);
  for (guint i = 0; i < SONDE_OAUTH_N_FIELDS; i++)
    g_clear_pointer (&self->oauth[i], g_ref_string_release);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sonde_auth_parent_class)->finalize (object);
}

static void
sonde_auth_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SondeAuth *self = SONDE_AUTH (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;

    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_KEY_NAME:
      g_value_set_string (value, self->key_name);
      break;

    case PROP_KEY_VALUE:
      g_value_set_string (value, self->key_value);
      break;

    case PROP_KEY_LOCATION:
      g_value_set_enum (value, self->key_location);
      break;

    case PROP_REGION:
      g_value_set_string (value, self->region);
      break;

    case PROP_SERVICE:
      g_value_set_string (value, self->service);
      break;

    default:
      if (prop_id >= PROP_OAUTH_FIRST && prop_id < N_PROPS)
        {
          g_value_set_string (value, self->oauth[prop_id - PROP_OAUTH_FIRST]);
          break;
        }
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_auth_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SondeAuth *self = SONDE_AUTH (object);

  switch (prop_id)
    {
    case PROP_KIND:
      sonde_auth_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_USERNAME:
      sonde_auth_set_username (self, g_value_get_string (value));
      break;

    case PROP_PASSWORD:
      sonde_auth_set_password (self, g_value_get_string (value));
      break;

    case PROP_TOKEN:
      sonde_auth_set_token (self, g_value_get_string (value));
      break;

    case PROP_KEY_NAME:
      sonde_auth_set_key_name (self, g_value_get_string (value));
      break;

    case PROP_KEY_VALUE:
      sonde_auth_set_key_value (self, g_value_get_string (value));
      break;

    case PROP_KEY_LOCATION:
      sonde_auth_set_key_location (self, g_value_get_enum (value));
      break;

    case PROP_REGION:
      sonde_auth_set_region (self, g_value_get_string (value));
      break;

    case PROP_SERVICE:
      sonde_auth_set_service (self, g_value_get_string (value));
      break;

    default:
      if (prop_id >= PROP_OAUTH_FIRST && prop_id < N_PROPS)
        {
          sonde_auth_set_oauth (self, prop_id - PROP_OAUTH_FIRST, g_value_get_string (value));
          break;
        }
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_auth_class_init (SondeAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sonde_auth_finalize;
  object_class->get_property = sonde_auth_get_property;
  object_class->set_property = sonde_auth_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SONDE_TYPE_AUTH_KIND, SONDE_AUTH_INHERIT, flags);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, "", flags);
  properties[PROP_PASSWORD] = g_param_spec_string ("password", NULL, NULL, "", flags);
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, "", flags);
  properties[PROP_KEY_NAME] = g_param_spec_string ("key-name", NULL, NULL, "", flags);
  properties[PROP_KEY_VALUE] = g_param_spec_string ("key-value", NULL, NULL, "", flags);
  properties[PROP_KEY_LOCATION] =
    g_param_spec_enum ("key-location", NULL, NULL, SONDE_TYPE_API_KEY_LOCATION,
                       SONDE_API_KEY_IN_HEADER, flags);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, "", flags);
  properties[PROP_SERVICE] = g_param_spec_string ("service", NULL, NULL, "", flags);
  for (guint i = 0; i < SONDE_OAUTH_N_FIELDS; i++)
    properties[PROP_OAUTH_FIRST + i] = g_param_spec_string (sonde_oauth_field_get_property_name (i), NULL, NULL, "", flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_auth_init (SondeAuth *self)
{
  self->kind = SONDE_AUTH_INHERIT;
  self->username = sonde_ref_string_empty ();
  self->password = sonde_ref_string_empty ();
  self->token = sonde_ref_string_empty ();
  self->key_name = sonde_ref_string_empty ();
  self->key_value = sonde_ref_string_empty ();
  self->key_location = SONDE_API_KEY_IN_HEADER;
  self->region = sonde_ref_string_empty ();
  self->service = sonde_ref_string_empty ();
  for (guint i = 0; i < SONDE_OAUTH_N_FIELDS; i++)
    self->oauth[i] = sonde_ref_string_empty ();
}

SondeAuth *
sonde_auth_new (void)
{
  return g_object_new (SONDE_TYPE_AUTH, NULL);
}

SondeAuth *
sonde_auth_copy (SondeAuth *self)
{
  SondeAuth *copy;

  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  copy = sonde_auth_new ();
  copy->kind = self->kind;
  g_ref_string_release (copy->username);
  copy->username = g_ref_string_acquire (self->username);
  g_ref_string_release (copy->password);
  copy->password = g_ref_string_acquire (self->password);
  g_ref_string_release (copy->token);
  copy->token = g_ref_string_acquire (self->token);
  g_ref_string_release (copy->key_name);
  copy->key_name = g_ref_string_acquire (self->key_name);
  g_ref_string_release (copy->key_value);
  copy->key_value = g_ref_string_acquire (self->key_value);
  copy->key_location = self->key_location;
  g_ref_string_release (copy->region);
  copy->region = g_ref_string_acquire (self->region);
  g_ref_string_release (copy->service);
  copy->service = g_ref_string_acquire (self->service);
  for (guint i = 0; i < SONDE_OAUTH_N_FIELDS; i++)
    {
      g_ref_string_release (copy->oauth[i]);
      copy->oauth[i] = g_ref_string_acquire (self->oauth[i]);
    }
  if (self->extra != NULL)
    copy->extra = json_object_ref (self->extra);

  return copy;
}

SondeAuthKind
sonde_auth_get_kind (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), SONDE_AUTH_INHERIT);

  return self->kind;
}

void
sonde_auth_set_kind (SondeAuth     *self,
                     SondeAuthKind  kind)
{
  g_return_if_fail (SONDE_IS_AUTH (self));
  g_return_if_fail (kind >= SONDE_AUTH_NONE && kind <= SONDE_AUTH_OAUTH2);

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
sonde_auth_get_username (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  return self->username;
}

void
sonde_auth_set_username (SondeAuth  *self,
                         const char *username)
{
  g_return_if_fail (SONDE_IS_AUTH (self));

  set_string_property (self, &self->username, username, PROP_USERNAME);
}

const char *
sonde_auth_get_password (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  return self->password;
}

void
sonde_auth_set_password (SondeAuth  *self,
                         const char *password)
{
  g_return_if_fail (SONDE_IS_AUTH (self));

  set_string_property (self, &self->password, password, PROP_PASSWORD);
}

const char *
sonde_auth_get_token (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  return self->token;
}

void
sonde_auth_set_token (SondeAuth  *self,
                      const char *token)
{
  g_return_if_fail (SONDE_IS_AUTH (self));

  set_string_property (self, &self->token, token, PROP_TOKEN);
}

const char *
sonde_auth_get_key_name (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  return self->key_name;
}

void
sonde_auth_set_key_name (SondeAuth  *self,
                         const char *key_name)
{
  g_return_if_fail (SONDE_IS_AUTH (self));

  set_string_property (self, &self->key_name, key_name, PROP_KEY_NAME);
}

const char *
sonde_auth_get_key_value (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  return self->key_value;
}

void
sonde_auth_set_key_value (SondeAuth  *self,
                          const char *key_value)
{
  g_return_if_fail (SONDE_IS_AUTH (self));

  set_string_property (self, &self->key_value, key_value, PROP_KEY_VALUE);
}

SondeApiKeyLocation
sonde_auth_get_key_location (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), SONDE_API_KEY_IN_HEADER);

  return self->key_location;
}

void
sonde_auth_set_key_location (SondeAuth           *self,
                             SondeApiKeyLocation  location)
{
  g_return_if_fail (SONDE_IS_AUTH (self));
  g_return_if_fail (location == SONDE_API_KEY_IN_HEADER || location == SONDE_API_KEY_IN_QUERY);

  if (self->key_location == location)
    return;

  self->key_location = location;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_LOCATION]);
}

const char *
sonde_auth_get_region (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  return self->region;
}

void
sonde_auth_set_region (SondeAuth  *self,
                       const char *region)
{
  g_return_if_fail (SONDE_IS_AUTH (self));

  set_string_property (self, &self->region, region, PROP_REGION);
}

const char *
sonde_auth_get_service (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  return self->service;
}

void
sonde_auth_set_service (SondeAuth  *self,
                        const char *service)
{
  g_return_if_fail (SONDE_IS_AUTH (self));

  set_string_property (self, &self->service, service, PROP_SERVICE);
}

const char *
sonde_oauth_field_get_property_name (SondeOAuthField field)
{
  static const char * const names[SONDE_OAUTH_N_FIELDS] = {
    "oauth-grant", "token-url", "auth-url", "client-id", "client-secret", "scope", "audience", "client-auth",
    "token-header", "token-query", "extra-params",
  };

  g_return_val_if_fail (field < SONDE_OAUTH_N_FIELDS, NULL);
  return names[field];
}

const char *
sonde_auth_get_oauth (SondeAuth       *self,
                      SondeOAuthField  field)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);
  g_return_val_if_fail (field < SONDE_OAUTH_N_FIELDS, NULL);

  return self->oauth[field];
}

void
sonde_auth_set_oauth (SondeAuth       *self,
                      SondeOAuthField  field,
                      const char      *value)
{
  g_return_if_fail (SONDE_IS_AUTH (self));
  g_return_if_fail (field < SONDE_OAUTH_N_FIELDS);

  set_string_property (self, &self->oauth[field], value, PROP_OAUTH_FIRST + field);
}

JsonObject *
sonde_auth_get_extra (SondeAuth *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH (self), NULL);

  return self->extra;
}

void
sonde_auth_set_extra (SondeAuth  *self,
                      JsonObject *extra)
{
  g_return_if_fail (SONDE_IS_AUTH (self));

  if (self->extra == extra)
    return;

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

static char *
unescape_or_keep (const char *text,
                  gssize      length)
{
  g_autofree char *part = g_strndup (text, length);
  char *plus;
  char *decoded;

  /* Form style: + is a space */
  while ((plus = strchr (part, '+')) != NULL)
    *plus = ' ';
  decoded = g_uri_unescape_string (part, NULL);
  return decoded != NULL ? decoded : g_steal_pointer (&part);
}

GStrv
sonde_oauth_parse_params (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = g_strsplit (text != NULL ? text : "", "&", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);
      const char *equals = strchr (item, '=');
      g_autofree char *name = unescape_or_keep (item, equals != NULL ? equals - item : (gssize) strlen (item));
      g_autofree char *value = equals != NULL ? unescape_or_keep (equals + 1, strlen (equals + 1)) : g_strdup ("");

      if (name[0] == '\0')
        continue;
      g_strv_builder_add (builder, name);
      g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);
}
