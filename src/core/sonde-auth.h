/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* INHERIT (the default) takes the auth of the nearest folder that sets one (no "auth" key
 * in the file); NONE sends no credentials, even under a folder that has some
 * ({"type": "none"}). A lone request's INHERIT sends none. */
typedef enum
{
  SONDE_AUTH_NONE,
  SONDE_AUTH_BASIC,
  SONDE_AUTH_DIGEST,
  SONDE_AUTH_BEARER,
  SONDE_AUTH_API_KEY,
  SONDE_AUTH_INHERIT,
  SONDE_AUTH_NTLM,
  SONDE_AUTH_AWS_SIGV4,
  SONDE_AUTH_OAUTH2,
} SondeAuthKind;

/* OAuth 2.0's settings (the token itself never is one: sonde-oauth2.h caches it). The
 * password grant uses "username" and "password". */
typedef enum
{
  SONDE_OAUTH_GRANT,          /* "client_credentials" (default), "password", "authorization_code" */
  SONDE_OAUTH_TOKEN_URL,
  SONDE_OAUTH_AUTH_URL,       /* authorization_code only */
  SONDE_OAUTH_CLIENT_ID,
  SONDE_OAUTH_CLIENT_SECRET,
  SONDE_OAUTH_SCOPE,
  SONDE_OAUTH_AUDIENCE,
  SONDE_OAUTH_CLIENT_AUTH,    /* "body" (default) or "basic": how the client proves itself */
  SONDE_OAUTH_TOKEN_HEADER,   /* the header the token goes in: "" is "Authorization: Bearer …" */
  SONDE_OAUTH_TOKEN_QUERY,    /* a query parameter the token goes in instead of a header; "": none */
  SONDE_OAUTH_EXTRA_PARAMS,   /* "name=value&name=value", added to the token request and the
                               * authorization URL (sonde_oauth_parse_params ()) */
  SONDE_OAUTH_N_FIELDS
} SondeOAuthField;

typedef enum
{
  SONDE_API_KEY_IN_HEADER,
  SONDE_API_KEY_IN_QUERY,
} SondeApiKeyLocation;

#define SONDE_TYPE_AUTH_KIND (sonde_auth_kind_get_type ())
GType sonde_auth_kind_get_type (void);
#define SONDE_TYPE_API_KEY_LOCATION (sonde_api_key_location_get_type ())
GType sonde_api_key_location_get_type (void);

/* Properties: "kind", "username", "password" (basic, digest, ntlm: DOMAIN\user, or a bare
 * user name sent without a domain), "token" (bearer),
 * "key-name", "key-value", "key-location" (api key). AWS Signature v4 keeps its access key
 * in "username", its secret key in "password", its session token in "token", and has
 * "region" and "service". All strings may hold {{variables}};
 * values of the other kinds are kept when the kind changes. */
#define SONDE_TYPE_AUTH (sonde_auth_get_type ())
G_DECLARE_FINAL_TYPE (SondeAuth, sonde_auth, SONDE, AUTH, GObject)

SondeAuth           *sonde_auth_new              (void);
SondeAuth           *sonde_auth_copy             (SondeAuth           *self);
SondeAuthKind        sonde_auth_get_kind         (SondeAuth           *self);
void                 sonde_auth_set_kind         (SondeAuth           *self, SondeAuthKind kind);
const char          *sonde_auth_get_username     (SondeAuth           *self);
void                 sonde_auth_set_username     (SondeAuth           *self, const char *username);
const char          *sonde_auth_get_password     (SondeAuth           *self);
void                 sonde_auth_set_password     (SondeAuth           *self, const char *password);
const char          *sonde_auth_get_token        (SondeAuth           *self);
void                 sonde_auth_set_token        (SondeAuth           *self, const char *token);
const char          *sonde_auth_get_key_name     (SondeAuth           *self);
void                 sonde_auth_set_key_name     (SondeAuth           *self, const char *key_name);
const char          *sonde_auth_get_key_value    (SondeAuth           *self);
void                 sonde_auth_set_key_value    (SondeAuth           *self, const char *key_value);
SondeApiKeyLocation  sonde_auth_get_key_location (SondeAuth           *self);
void                 sonde_auth_set_key_location (SondeAuth           *self, SondeApiKeyLocation location);
const char          *sonde_auth_get_region       (SondeAuth           *self);
void                 sonde_auth_set_region       (SondeAuth           *self, const char *region);
const char          *sonde_auth_get_service      (SondeAuth           *self);
void                 sonde_auth_set_service      (SondeAuth           *self, const char *service);
/* OAuth 2.0: also the properties "oauth-grant", "token-url", "auth-url", "client-id",
 * "client-secret", "scope", "audience", "client-auth", "token-header", "token-query", "extra-params" */
const char          *sonde_auth_get_oauth        (SondeAuth           *self, SondeOAuthField field);
void                 sonde_auth_set_oauth        (SondeAuth           *self, SondeOAuthField field, const char *value);
const char          *sonde_oauth_field_get_property_name (SondeOAuthField field);
JsonObject          *sonde_auth_get_extra        (SondeAuth           *self);
void                 sonde_auth_set_extra        (SondeAuth           *self, JsonObject *extra);

/* The pairs of an "extra-params" text, name then value, each percent-decoded when it can be
 * ("resource=https://api.example.com&prompt=consent"); parameters without a name are left
 * out. Never NULL. */
GStrv                sonde_oauth_parse_params    (const char          *text);

G_END_DECLS
