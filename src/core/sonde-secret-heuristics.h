/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether VALUE, typed in the header or auth field NAME, looks like a token or password
 * written literally (so it would be shared with everyone who gets the request file):
 * - NAME is Authorization, Cookie or holds "token", "secret", "password", "passwd" or
 *   "api-key"/"api_key"/"apikey" (any case), and VALUE has a literal part besides its
 *   {{variables}} and an auth scheme ("Bearer {{token}}" is fine, "Bearer abc" is not);
 * - or VALUE holds a literal Bearer token, a JWT, or a long high-entropy word.
 * The auth editor passes "password", "token" or "api-key" as NAME. */
gboolean  sonde_looks_like_secret         (const char *name,
                                           const char *value);

/* The part of VALUE to turn into a secret variable: VALUE without a leading auth scheme
 * ("Bearer abc" gives "abc"), trimmed. NULL when there is no literal to take out. */
char     *sonde_secret_literal            (const char *name,
                                           const char *value);

/* A variable name to suggest for the secret in NAME: "token" for a Bearer Authorization,
 * "api_key" for X-Api-Key, "cookie", "password", … (lowercase, "_" between words). */
char     *sonde_secret_suggest_name       (const char *name,
                                           const char *value);

/* Whether a header named NAME carries a credential, so it is not sent to another origin
 * after a redirect: Authorization, Proxy-Authorization, Cookie, and names holding "token",
 * "secret", "password", "passwd", "api-key", "auth", "session" or "credential", or ending
 * in "key" (X-Api-Key, X-Auth-Token, X-Session-Id, Ocp-Apim-Subscription-Key…), any case. */
gboolean  sonde_is_credential_header_name (const char *name);

/* TEXT with every occurrence of each of SECRETS (NULL-terminated, may be NULL; empty
 * strings ignored) replaced by "****", longest secrets first. NULL TEXT gives NULL. */
char     *sonde_secrets_mask              (const char         *text,
                                           const char * const *secrets);

G_END_DECLS
