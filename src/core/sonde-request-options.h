/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SONDE_PROXY_SYSTEM,
  SONDE_PROXY_NONE,
  SONDE_PROXY_CUSTOM,
} SondeProxyMode;

typedef enum
{
  SONDE_HTTP_VERSION_AUTO, /* HTTP/1.1 anyway on libsoup < 3.4.4, see docs/architecture.md */
  SONDE_HTTP_VERSION_1_1,
} SondeHttpVersion;

#define SONDE_TYPE_PROXY_MODE (sonde_proxy_mode_get_type ())
GType sonde_proxy_mode_get_type (void);
#define SONDE_TYPE_HTTP_VERSION (sonde_http_version_get_type ())
GType sonde_http_version_get_type (void);

/* Properties (defaults in brackets; a default is omitted when saving unless its key is set,
 * see sonde_request_options_is_set()):
 *   "timeout" double seconds, whole request [0 = none]
 *   "connect-timeout" double seconds [0 = none]
 *   "follow-redirects" [TRUE], "max-redirects" int [10]
 *   "verify-tls" [TRUE], "ca-file" [NULL]
 *   "client-cert", "client-key" (PEM files), "client-pkcs12" (.p12/.pfx),
 *   "client-passphrase" [all NULL]
 *   "proxy-mode" [SYSTEM], "proxy-url", "proxy-username", "proxy-password" [NULL],
 *   "no-proxy" strv [NULL]
 *   "http-version" [AUTO]
 *   "max-body-size" guint64 bytes of decoded body [0 = no limit]
 * File paths may be relative to the request's base folder and may hold {{variables}}. */
#define SONDE_TYPE_REQUEST_OPTIONS (sonde_request_options_get_type ())
G_DECLARE_FINAL_TYPE (SondeRequestOptions, sonde_request_options, SONDE, REQUEST_OPTIONS, GObject)

SondeRequestOptions *sonde_request_options_new                   (void);
SondeRequestOptions *sonde_request_options_copy                  (SondeRequestOptions *self);
/* Makes SELF hold SOURCE's values, unknown and set keys, notifying only what changes. */
void                 sonde_request_options_assign                (SondeRequestOptions *self, SondeRequestOptions *source);

double               sonde_request_options_get_timeout           (SondeRequestOptions *self);
void                 sonde_request_options_set_timeout           (SondeRequestOptions *self, double seconds);
double               sonde_request_options_get_connect_timeout   (SondeRequestOptions *self);
void                 sonde_request_options_set_connect_timeout   (SondeRequestOptions *self, double seconds);
gboolean             sonde_request_options_get_follow_redirects  (SondeRequestOptions *self);
void                 sonde_request_options_set_follow_redirects  (SondeRequestOptions *self, gboolean follow);
int                  sonde_request_options_get_max_redirects     (SondeRequestOptions *self);
void                 sonde_request_options_set_max_redirects     (SondeRequestOptions *self, int max_redirects);
gboolean             sonde_request_options_get_verify_tls        (SondeRequestOptions *self);
void                 sonde_request_options_set_verify_tls        (SondeRequestOptions *self, gboolean verify);
const char          *sonde_request_options_get_ca_file           (SondeRequestOptions *self);
void                 sonde_request_options_set_ca_file           (SondeRequestOptions *self, const char *ca_file);
const char          *sonde_request_options_get_client_cert       (SondeRequestOptions *self);
void                 sonde_request_options_set_client_cert       (SondeRequestOptions *self, const char *path);
const char          *sonde_request_options_get_client_key        (SondeRequestOptions *self);
void                 sonde_request_options_set_client_key        (SondeRequestOptions *self, const char *path);
const char          *sonde_request_options_get_client_pkcs12     (SondeRequestOptions *self);
void                 sonde_request_options_set_client_pkcs12     (SondeRequestOptions *self, const char *path);
const char          *sonde_request_options_get_client_passphrase (SondeRequestOptions *self);
void                 sonde_request_options_set_client_passphrase (SondeRequestOptions *self, const char *passphrase);
SondeProxyMode       sonde_request_options_get_proxy_mode        (SondeRequestOptions *self);
void                 sonde_request_options_set_proxy_mode        (SondeRequestOptions *self, SondeProxyMode mode);
const char          *sonde_request_options_get_proxy_url         (SondeRequestOptions *self);
void                 sonde_request_options_set_proxy_url         (SondeRequestOptions *self, const char *url);
const char          *sonde_request_options_get_proxy_username    (SondeRequestOptions *self);
void                 sonde_request_options_set_proxy_username    (SondeRequestOptions *self, const char *username);
const char          *sonde_request_options_get_proxy_password    (SondeRequestOptions *self);
void                 sonde_request_options_set_proxy_password    (SondeRequestOptions *self, const char *password);
const char * const  *sonde_request_options_get_no_proxy          (SondeRequestOptions *self);
void                 sonde_request_options_set_no_proxy          (SondeRequestOptions *self, const char * const *hosts);
SondeHttpVersion     sonde_request_options_get_http_version      (SondeRequestOptions *self);
void                 sonde_request_options_set_http_version      (SondeRequestOptions *self, SondeHttpVersion version);
guint64              sonde_request_options_get_max_body_size     (SondeRequestOptions *self);
void                 sonde_request_options_set_max_body_size     (SondeRequestOptions *self, guint64 max_body_size);
JsonObject          *sonde_request_options_get_extra             (SondeRequestOptions *self);
void                 sonde_request_options_set_extra             (SondeRequestOptions *self, JsonObject *extra);

/* Which keys of the file's "options" object are explicit ("timeout", "connectTimeout",
 * "followRedirects", "maxRedirects", "verifyTls", "caFile", "clientCertificate", "proxy",
 * "httpVersion", "maxBodySize"): a set key is saved even at its default value, and overrides
 * the collection's and folders' value. A setter marks its key set when it changes the value. */
gboolean             sonde_request_options_is_set                (SondeRequestOptions *self, const char *key);
void                 sonde_request_options_mark_set              (SondeRequestOptions *self, const char *key);
/* No key set and no unknown key kept: all defaults, an empty "options" object. */
gboolean             sonde_request_options_sets_nothing          (SondeRequestOptions *self);
/* Resets KEY's values to their defaults and marks it unset: it is inherited again. */
void                 sonde_request_options_unset                 (SondeRequestOptions *self, const char *key);

G_END_DECLS
