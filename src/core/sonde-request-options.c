/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-request-options"

#include "config.h"

#include "sonde-request-options.h"

struct _SondeRequestOptions
{
  GObject parent_instance;

  double timeout;
  double connect_timeout;
  int max_redirects;
  guint64 max_body_size;
  SondeProxyMode proxy_mode;
  SondeHttpVersion http_version;
  guint follow_redirects : 1;
  guint verify_tls : 1;

  /* Nullable strings; "" is stored as NULL */
  char *ca_file;
  char *client_cert;
  char *client_key;
  char *client_pkcs12;
  char *client_passphrase;
  char *proxy_url;
  char *proxy_username;
  char *proxy_password;
  char **no_proxy;

  JsonObject *extra;

  guint set_keys; /* 1 << Key */
};

/* The keys of the file's "options" object */
typedef enum
{
  KEY_TIMEOUT,
  KEY_CONNECT_TIMEOUT,
  KEY_FOLLOW_REDIRECTS,
  KEY_MAX_REDIRECTS,
  KEY_VERIFY_TLS,
  KEY_CA_FILE,
  KEY_CLIENT_CERTIFICATE,
  KEY_PROXY,
  KEY_HTTP_VERSION,
  KEY_MAX_BODY_SIZE,
  N_KEYS
} Key;

static const char * const key_names[N_KEYS] = {
  "timeout", "connectTimeout", "followRedirects", "maxRedirects", "verifyTls", "caFile",
  "clientCertificate", "proxy", "httpVersion", "maxBodySize",
};

G_DEFINE_FINAL_TYPE (SondeRequestOptions, sonde_request_options, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_FOLLOW_REDIRECTS,
  PROP_MAX_REDIRECTS,
  PROP_VERIFY_TLS,
  PROP_CA_FILE,
  PROP_CLIENT_CERT,
  PROP_CLIENT_KEY,
  PROP_CLIENT_PKCS12,
  PROP_CLIENT_PASSPHRASE,
  PROP_PROXY_URL,
  PROP_PROXY_USERNAME,
  PROP_PROXY_PASSWORD,
  PROP_NO_PROXY,
  PROP_PROXY_MODE,
  PROP_HTTP_VERSION,
  PROP_MAX_BODY_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
sonde_proxy_mode_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { SONDE_PROXY_SYSTEM, "SONDE_PROXY_SYSTEM", "system" },
        { SONDE_PROXY_NONE, "SONDE_PROXY_NONE", "none" },
        { SONDE_PROXY_CUSTOM, "SONDE_PROXY_CUSTOM", "custom" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("SondeProxyMode"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

GType
sonde_http_version_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { SONDE_HTTP_VERSION_AUTO, "SONDE_HTTP_VERSION_AUTO", "auto" },
        { SONDE_HTTP_VERSION_1_1, "SONDE_HTTP_VERSION_1_1", "1.1" },
        { 0, NULL, NULL }
      };
      GType id = g_enum_register_static (g_intern_static_string ("SondeHttpVersion"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

static int
key_from_name (const char *name)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (g_strcmp0 (key_names[i], name) == 0)
      return i;
  return -1;
}

static void
set_string_property (SondeRequestOptions  *self,
                     char                **field,
                     const char           *value,
                     guint                 prop_id,
                     Key                   key)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  self->set_keys |= 1u << key;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
sonde_request_options_finalize (GObject *object)
{
  SondeRequestOptions *self = (SondeRequestOptions *)object;

  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->client_cert, g_free);
  g_clear_pointer (&self->client_key, g_free);
  g_clear_pointer (&self->client_pkcs12, g_free);
  g_clear_pointer (&self->client_passphrase, g_free);
  g_clear_pointer (&self->proxy_url, g_free);
  g_clear_pointer (&self->proxy_username, g_free);
  g_clear_pointer (&self->proxy_password, g_free);
  g_clear_pointer (&self->no_proxy, g_strfreev);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sonde_request_options_parent_class)->finalize (object);
}

static void
sonde_request_options_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SondeRequestOptions *self = SONDE_REQUEST_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_double (value, self->timeout);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_double (value, self->connect_timeout);
      break;

    case PROP_FOLLOW_REDIRECTS:
      g_value_set_boolean (value, self->follow_redirects);
      break;

    case PROP_MAX_REDIRECTS:
      g_value_set_int (value, self->max_redirects);
      break;

    case PROP_VERIFY_TLS:
      g_value_set_boolean (value, self->verify_tls);
      break;

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    case PROP_CLIENT_CERT:
      g_value_set_string (value, self->client_cert);
      break;

    case PROP_CLIENT_KEY:
      g_value_set_string (value, self->client_key);
      break;

    case PROP_CLIENT_PKCS12:
      g_value_set_string (value, self->client_pkcs12);
      break;

    case PROP_CLIENT_PASSPHRASE:
      g_value_set_string (value, self->client_passphrase);
      break;

    case PROP_PROXY_URL:
      g_value_set_string (value, self->proxy_url);
      break;

    case PROP_PROXY_USERNAME:
      g_value_set_string (value, self->proxy_username);
      break;

    case PROP_PROXY_PASSWORD:
      g_value_set_string (value, self->proxy_password);
      break;

    case PROP_NO_PROXY:
      g_value_set_boxed (value, self->no_proxy);
      break;

    case PROP_PROXY_MODE:
      g_value_set_enum (value, self->proxy_mode);
      break;

    case PROP_HTTP_VERSION:
      g_value_set_enum (value, self->http_version);
      break;

    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_options_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SondeRequestOptions *self = SONDE_REQUEST_OPTIONS (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      sonde_request_options_set_timeout (self, g_value_get_double (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      sonde_request_options_set_connect_timeout (self, g_value_get_double (value));
      break;

    case PROP_FOLLOW_REDIRECTS:
      sonde_request_options_set_follow_redirects (self, g_value_get_boolean (value));
      break;

    case PROP_MAX_REDIRECTS:
      sonde_request_options_set_max_redirects (self, g_value_get_int (value));
      break;

    case PROP_VERIFY_TLS:
      sonde_request_options_set_verify_tls (self, g_value_get_boolean (value));
      break;

    case PROP_CA_FILE:
      sonde_request_options_set_ca_file (self, g_value_get_string (value));
      break;

    case PROP_CLIENT_CERT:
      sonde_request_options_set_client_cert (self, g_value_get_string (value));
      break;

    case PROP_CLIENT_KEY:
      sonde_request_options_set_client_key (self, g_value_get_string (value));
      break;

    case PROP_CLIENT_PKCS12:
      sonde_request_options_set_client_pkcs12 (self, g_value_get_string (value));
      break;

    case PROP_CLIENT_PASSPHRASE:
      sonde_request_options_set_client_passphrase (self, g_value_get_string (value));
      break;

    case PROP_PROXY_URL:
      sonde_request_options_set_proxy_url (self, g_value_get_string (value));
      break;

    case PROP_PROXY_USERNAME:
      sonde_request_options_set_proxy_username (self, g_value_get_string (value));
      break;

    case PROP_PROXY_PASSWORD:
      sonde_request_options_set_proxy_password (self, g_value_get_string (value));
      break;

    case PROP_NO_PROXY:
      sonde_request_options_set_no_proxy (self, g_value_get_boxed (value));
      break;

    case PROP_PROXY_MODE:
      sonde_request_options_set_proxy_mode (self, g_value_get_enum (value));
      break;

    case PROP_HTTP_VERSION:
      sonde_request_options_set_http_version (self, g_value_get_enum (value));
      break;

    case PROP_MAX_BODY_SIZE:
      sonde_request_options_set_max_body_size (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_options_class_init (SondeRequestOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sonde_request_options_finalize;
  object_class->get_property = sonde_request_options_get_property;
  object_class->set_property = sonde_request_options_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_double ("timeout", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_double ("connect-timeout", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_FOLLOW_REDIRECTS] =
    g_param_spec_boolean ("follow-redirects", NULL, NULL, TRUE, flags);
  properties[PROP_MAX_REDIRECTS] =
    g_param_spec_int ("max-redirects", NULL, NULL, 0, G_MAXINT, 10, flags);
  properties[PROP_VERIFY_TLS] =
    g_param_spec_boolean ("verify-tls", NULL, NULL, TRUE, flags);
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_CERT] =
    g_param_spec_string ("client-cert", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_KEY] =
    g_param_spec_string ("client-key", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_PKCS12] =
    g_param_spec_string ("client-pkcs12", NULL, NULL, NULL, flags);
  properties[PROP_CLIENT_PASSPHRASE] =
    g_param_spec_string ("client-passphrase", NULL, NULL, NULL, flags);
  properties[PROP_PROXY_URL] =
    g_param_spec_string ("proxy-url", NULL, NULL, NULL, flags);
  properties[PROP_PROXY_USERNAME] =
    g_param_spec_string ("proxy-username", NULL, NULL, NULL, flags);
  properties[PROP_PROXY_PASSWORD] =
    g_param_spec_string ("proxy-password", NULL, NULL, NULL, flags);
  properties[PROP_NO_PROXY] =
    g_param_spec_boxed ("no-proxy", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_PROXY_MODE] =
    g_param_spec_enum ("proxy-mode", NULL, NULL, SONDE_TYPE_PROXY_MODE, SONDE_PROXY_SYSTEM, flags);
  properties[PROP_HTTP_VERSION] =
    g_param_spec_enum ("http-version", NULL, NULL, SONDE_TYPE_HTTP_VERSION,
                       SONDE_HTTP_VERSION_AUTO, flags);
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 0, G_MAXUINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_request_options_init (SondeRequestOptions *self)
{
  self->follow_redirects = TRUE;
  self->max_redirects = 10;
  self->verify_tls = TRUE;
  self->proxy_mode = SONDE_PROXY_SYSTEM;
  self->http_version = SONDE_HTTP_VERSION_AUTO;
}

SondeRequestOptions *
sonde_request_options_new (void)
{
  return g_object_new (SONDE_TYPE_REQUEST_OPTIONS, NULL);
}

SondeRequestOptions *
sonde_request_options_copy (SondeRequestOptions *self)
{
  SondeRequestOptions *copy;

  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  copy = sonde_request_options_new ();
  copy->timeout = self->timeout;
  copy->connect_timeout = self->connect_timeout;
  copy->follow_redirects = self->follow_redirects;
  copy->max_redirects = self->max_redirects;
  copy->verify_tls = self->verify_tls;
  copy->proxy_mode = self->proxy_mode;
  copy->http_version = self->http_version;
  copy->max_body_size = self->max_body_size;
  copy->ca_file = g_strdup (self->ca_file);
  copy->client_cert = g_strdup (self->client_cert);
  copy->client_key = g_strdup (self->client_key);
  copy->client_pkcs12 = g_strdup (self->client_pkcs12);
  copy->client_passphrase = g_strdup (self->client_passphrase);
  copy->proxy_url = g_strdup (self->proxy_url);
  copy->proxy_username = g_strdup (self->proxy_username);
  copy->proxy_password = g_strdup (self->proxy_password);
  copy->no_proxy = g_strdupv (self->no_proxy);
  copy->set_keys = self->set_keys;
  if (self->extra != NULL)
    copy->extra = json_object_ref (self->extra);

  return copy;
}

/**
 * sonde_request_options_sets_nothing:
 *
 * Returns: whether no key is set and no unknown key kept: the options are all defaults
 *   (a setter that changes a value sets its key), and their file form is empty.
 */
gboolean
sonde_request_options_sets_nothing (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), FALSE);

  return self->set_keys == 0 && (self->extra == NULL || json_object_get_size (self->extra) == 0);
}

/**
 * sonde_request_options_assign:
 * @source: the options to take every value from
 *
 * Makes @self hold @source's values, unknown keys and set keys, as copying each property
 * would, but notifying only what changes: options already equal cost nothing.
 */
void
sonde_request_options_assign (SondeRequestOptions *self,
                              SondeRequestOptions *source)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (source));

  if (self == source)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  sonde_request_options_set_timeout (self, source->timeout);
  sonde_request_options_set_connect_timeout (self, source->connect_timeout);
  sonde_request_options_set_follow_redirects (self, source->follow_redirects);
  sonde_request_options_set_max_redirects (self, source->max_redirects);
  sonde_request_options_set_verify_tls (self, source->verify_tls);
  sonde_request_options_set_ca_file (self, source->ca_file);
  sonde_request_options_set_client_cert (self, source->client_cert);
  sonde_request_options_set_client_key (self, source->client_key);
  sonde_request_options_set_client_pkcs12 (self, source->client_pkcs12);
  sonde_request_options_set_client_passphrase (self, source->client_passphrase);
  sonde_request_options_set_proxy_mode (self, source->proxy_mode);
  sonde_request_options_set_proxy_url (self, source->proxy_url);
  sonde_request_options_set_proxy_username (self, source->proxy_username);
  sonde_request_options_set_proxy_password (self, source->proxy_password);
  sonde_request_options_set_no_proxy (self, (const char * const *)source->no_proxy);
  sonde_request_options_set_http_version (self, source->http_version);
  sonde_request_options_set_max_body_size (self, source->max_body_size);
  sonde_request_options_set_extra (self, source->extra);
  self->set_keys = source->set_keys;
  g_object_thaw_notify (G_OBJECT (self));
}

double
sonde_request_options_get_timeout (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), 0);

  return self->timeout;
}

void
sonde_request_options_set_timeout (SondeRequestOptions *self,
                                   double               seconds)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  seconds = MAX (seconds, 0);
  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  self->set_keys |= 1u << KEY_TIMEOUT;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

double
sonde_request_options_get_connect_timeout (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), 0);

  return self->connect_timeout;
}

void
sonde_request_options_set_connect_timeout (SondeRequestOptions *self,
                                           double               seconds)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  seconds = MAX (seconds, 0);
  if (self->connect_timeout == seconds)
    return;

  self->connect_timeout = seconds;
  self->set_keys |= 1u << KEY_CONNECT_TIMEOUT;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

gboolean
sonde_request_options_get_follow_redirects (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), TRUE);

  return self->follow_redirects;
}

void
sonde_request_options_set_follow_redirects (SondeRequestOptions *self,
                                            gboolean             follow)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  follow = !!follow;
  if (self->follow_redirects == follow)
    return;

  self->follow_redirects = follow;
  self->set_keys |= 1u << KEY_FOLLOW_REDIRECTS;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW_REDIRECTS]);
}

int
sonde_request_options_get_max_redirects (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), 10);

  return self->max_redirects;
}

void
sonde_request_options_set_max_redirects (SondeRequestOptions *self,
                                         int                  max_redirects)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  max_redirects = MAX (max_redirects, 0);
  if (self->max_redirects == max_redirects)
    return;

  self->max_redirects = max_redirects;
  self->set_keys |= 1u << KEY_MAX_REDIRECTS;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_REDIRECTS]);
}

gboolean
sonde_request_options_get_verify_tls (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), TRUE);

  return self->verify_tls;
}

void
sonde_request_options_set_verify_tls (SondeRequestOptions *self,
                                      gboolean             verify)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  verify = !!verify;
  if (self->verify_tls == verify)
    return;

  self->verify_tls = verify;
  self->set_keys |= 1u << KEY_VERIFY_TLS;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFY_TLS]);
}

const char *
sonde_request_options_get_ca_file (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->ca_file;
}

void
sonde_request_options_set_ca_file (SondeRequestOptions *self,
                                  const char          *value)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  set_string_property (self, &self->ca_file, value, PROP_CA_FILE, KEY_CA_FILE);
}

const char *
sonde_request_options_get_client_cert (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->client_cert;
}

void
sonde_request_options_set_client_cert (SondeRequestOptions *self,
                                      const char          *value)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  set_string_property (self, &self->client_cert, value, PROP_CLIENT_CERT, KEY_CLIENT_CERTIFICATE);
}

const char *
sonde_request_options_get_client_key (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->client_key;
}

void
sonde_request_options_set_client_key (SondeRequestOptions *self,
                                     const char          *value)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  set_string_property (self, &self->client_key, value, PROP_CLIENT_KEY, KEY_CLIENT_CERTIFICATE);
}

const char *
sonde_request_options_get_client_pkcs12 (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->client_pkcs12;
}

void
sonde_request_options_set_client_pkcs12 (SondeRequestOptions *self,
                                        const char          *value)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  set_string_property (self, &self->client_pkcs12, value, PROP_CLIENT_PKCS12, KEY_CLIENT_CERTIFICATE);
}

const char *
sonde_request_options_get_client_passphrase (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->client_passphrase;
}

void
sonde_request_options_set_client_passphrase (SondeRequestOptions *self,
                                            const char          *value)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  set_string_property (self, &self->client_passphrase, value, PROP_CLIENT_PASSPHRASE, KEY_CLIENT_CERTIFICATE);
}

const char *
sonde_request_options_get_proxy_url (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->proxy_url;
}

void
sonde_request_options_set_proxy_url (SondeRequestOptions *self,
                                    const char          *value)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  set_string_property (self, &self->proxy_url, value, PROP_PROXY_URL, KEY_PROXY);
}

const char *
sonde_request_options_get_proxy_username (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->proxy_username;
}

void
sonde_request_options_set_proxy_username (SondeRequestOptions *self,
                                         const char          *value)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  set_string_property (self, &self->proxy_username, value, PROP_PROXY_USERNAME, KEY_PROXY);
}

const char *
sonde_request_options_get_proxy_password (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->proxy_password;
}

void
sonde_request_options_set_proxy_password (SondeRequestOptions *self,
                                         const char          *value)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  set_string_property (self, &self->proxy_password, value, PROP_PROXY_PASSWORD, KEY_PROXY);
}

/**
 * sonde_request_options_get_no_proxy:
 *
 * Returns: (nullable) (transfer none): hosts reached without the custom proxy.
 */
const char * const *
sonde_request_options_get_no_proxy (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return (const char * const *)self->no_proxy;
}

void
sonde_request_options_set_no_proxy (SondeRequestOptions *self,
                                    const char * const  *hosts)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  /* An empty list is the same as none: both mean "use the proxy for every host". */
  if (hosts != NULL && hosts[0] == NULL)
    hosts = NULL;

  if (self->no_proxy == NULL && hosts == NULL)
    return;
  if (self->no_proxy != NULL && hosts != NULL &&
      g_strv_equal ((const char * const *)self->no_proxy, hosts))
    return;

  g_strfreev (self->no_proxy);
  self->no_proxy = g_strdupv ((char **)hosts);
  self->set_keys |= 1u << KEY_PROXY;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_PROXY]);
}

SondeProxyMode
sonde_request_options_get_proxy_mode (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), SONDE_PROXY_SYSTEM);

  return self->proxy_mode;
}

void
sonde_request_options_set_proxy_mode (SondeRequestOptions *self,
                                      SondeProxyMode       mode)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));
  g_return_if_fail (mode >= SONDE_PROXY_SYSTEM && mode <= SONDE_PROXY_CUSTOM);

  if (self->proxy_mode == mode)
    return;

  self->proxy_mode = mode;
  self->set_keys |= 1u << KEY_PROXY;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROXY_MODE]);
}

SondeHttpVersion
sonde_request_options_get_http_version (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), SONDE_HTTP_VERSION_AUTO);

  return self->http_version;
}

void
sonde_request_options_set_http_version (SondeRequestOptions *self,
                                        SondeHttpVersion     version)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));
  g_return_if_fail (version == SONDE_HTTP_VERSION_AUTO || version == SONDE_HTTP_VERSION_1_1);

  if (self->http_version == version)
    return;

  self->http_version = version;
  self->set_keys |= 1u << KEY_HTTP_VERSION;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HTTP_VERSION]);
}

guint64
sonde_request_options_get_max_body_size (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), 0);

  return self->max_body_size;
}

void
sonde_request_options_set_max_body_size (SondeRequestOptions *self,
                                         guint64              max_body_size)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  if (self->max_body_size == max_body_size)
    return;

  self->max_body_size = max_body_size;
  self->set_keys |= 1u << KEY_MAX_BODY_SIZE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BODY_SIZE]);
}

/**
 * sonde_request_options_get_extra:
 *
 * Unknown keys of the "options" object. An unknown key inside "clientCertificate" or
 * "proxy" is kept here as a member object of that name holding only the unknown keys.
 *
 * Returns: (nullable) (transfer none): the unknown keys
 */
JsonObject *
sonde_request_options_get_extra (SondeRequestOptions *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), NULL);

  return self->extra;
}

void
sonde_request_options_set_extra (SondeRequestOptions *self,
                                 JsonObject          *extra)
{
  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));

  if (self->extra == extra)
    return;

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

/**
 * sonde_request_options_is_set:
 * @key: a key of the file's "options" object, such as "verifyTls"
 *
 * Returns: whether @key is explicit: read from a file or changed by a setter. A set key is
 *   saved even at its default value, and overrides the value inherited from folders.
 */
gboolean
sonde_request_options_is_set (SondeRequestOptions *self,
                              const char          *key)
{
  int index = key_from_name (key);

  g_return_val_if_fail (SONDE_IS_REQUEST_OPTIONS (self), FALSE);
  g_return_val_if_fail (index >= 0, FALSE);

  return (self->set_keys & (1u << index)) != 0;
}

/**
 * sonde_request_options_mark_set:
 * @key: a key of the file's "options" object, such as "verifyTls"
 *
 * Marks @key explicit, whatever its value.
 */
void
sonde_request_options_mark_set (SondeRequestOptions *self,
                                const char          *key)
{
  int index = key_from_name (key);

  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));
  g_return_if_fail (index >= 0);

  self->set_keys |= 1u << index;
}

/**
 * sonde_request_options_unset:
 * @key: a key of the file's "options" object, such as "verifyTls"
 *
 * Resets the values of @key to their defaults (all of them for "proxy" and
 * "clientCertificate") and marks it unset, so that it is inherited again.
 */
void
sonde_request_options_unset (SondeRequestOptions *self,
                             const char          *key)
{
  int index = key_from_name (key);

  g_return_if_fail (SONDE_IS_REQUEST_OPTIONS (self));
  g_return_if_fail (index >= 0);

  g_object_freeze_notify (G_OBJECT (self));
  switch ((Key)index)
    {
    case KEY_TIMEOUT:
      sonde_request_options_set_timeout (self, 0);
      break;

    case KEY_CONNECT_TIMEOUT:
      sonde_request_options_set_connect_timeout (self, 0);
      break;

    case KEY_FOLLOW_REDIRECTS:
      sonde_request_options_set_follow_redirects (self, TRUE);
      break;

    case KEY_MAX_REDIRECTS:
      sonde_request_options_set_max_redirects (self, 10);
      break;

    case KEY_VERIFY_TLS:
      sonde_request_options_set_verify_tls (self, TRUE);
      break;

    case KEY_CA_FILE:
      sonde_request_options_set_ca_file (self, NULL);
      break;

    case KEY_CLIENT_CERTIFICATE:
      sonde_request_options_set_client_cert (self, NULL);
      sonde_request_options_set_client_key (self, NULL);
      sonde_request_options_set_client_pkcs12 (self, NULL);
      sonde_request_options_set_client_passphrase (self, NULL);
      break;

    case KEY_PROXY:
      sonde_request_options_set_proxy_mode (self, SONDE_PROXY_SYSTEM);
      sonde_request_options_set_proxy_url (self, NULL);
      sonde_request_options_set_proxy_username (self, NULL);
      sonde_request_options_set_proxy_password (self, NULL);
      sonde_request_options_set_no_proxy (self, NULL);
      break;

    case KEY_HTTP_VERSION:
      sonde_request_options_set_http_version (self, SONDE_HTTP_VERSION_AUTO);
      break;

    case KEY_MAX_BODY_SIZE:
      sonde_request_options_set_max_body_size (self, 0);
      break;

    case N_KEYS:
    default:
      g_assert_not_reached ();
    }
  self->set_keys &= ~(1u << index);
  g_object_thaw_notify (G_OBJECT (self));
}
