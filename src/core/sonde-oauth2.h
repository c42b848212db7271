/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-client.h"
#include "sonde-secret-store.h"

G_BEGIN_DECLS

/* An OAuth 2.0 access token, as a token endpoint gave it. Tokens live in memory only, in the
 * SondeClient that got them (one per collection in the window; one per sonde-cli process),
 * never in files. */
typedef struct
{
  char   *access_token;
  char   *token_type;
  char   *refresh_token;  /* or NULL */
  char   *scope;          /* or NULL */
  gint64  expires_at;     /* g_get_real_time (), or 0: not said */
} SondeOAuth2Token;

void              sonde_oauth2_token_free     (SondeOAuth2Token *token);
SondeOAuth2Token *sonde_oauth2_token_copy     (const SondeOAuth2Token *token);
gboolean          sonde_oauth2_token_is_fresh (const SondeOAuth2Token *token);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeOAuth2Token, sonde_oauth2_token_free)

/* Where the client also keeps its tokens across runs: the secret store (the keyring), under
 * OWNER_PATH (a collection's folder, or a lone request file). NULL: memory only. A token
 * the window got through the browser then serves the next start, and sonde-cli. */
void              sonde_client_set_oauth2_token_store     (SondeClient      *self,
                                                           SondeSecretStore *store,
                                                           const char       *owner_path);

/* Reads the token kept in the store for AUTH into the client's memory, when it holds none */
void              sonde_client_read_oauth2_token_async    (SondeClient         *self,
                                                           SondeAuth           *auth,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean          sonde_client_read_oauth2_token_finish   (SondeClient         *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* The token a client holds for an (expanded) auth's grant, or NULL; and forgetting it (in
 * the store too). */
const SondeOAuth2Token *sonde_client_lookup_oauth2_token (SondeClient *self,
                                                          SondeAuth   *auth);
void              sonde_client_forget_oauth2_token        (SondeClient *self,
                                                           SondeAuth   *auth);

/* Asks the token endpoint for a token with the client credentials or password grant, or the
 * refresh token when the one held expired, and keeps it. OPTIONS (TLS, proxy) are those of
 * the request the token is for. */
void              sonde_client_fetch_oauth2_token_async  (SondeClient         *self,
                                                          SondeAuth           *auth,
                                                          SondeRequestOptions *options,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
SondeOAuth2Token *sonde_client_fetch_oauth2_token_finish (SondeClient         *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* The authorization code grant with PKCE (RFC 7636, S256) for a native app (RFC 8252): a
 * loopback server on 127.0.0.1 on a free port receives the redirect; OPEN_URI is called with
 * the authorization URL (the window opens the browser). The state is checked, the code
 * exchanged, and the token kept. */
typedef void (*SondeOAuth2OpenUri) (const char *uri,
                                    gpointer    user_data);

void              sonde_client_authorize_oauth2_async    (SondeClient         *self,
                                                          SondeAuth           *auth,
                                                          SondeRequestOptions *options,
                                                          SondeOAuth2OpenUri   open_uri,
                                                          gpointer             open_uri_data,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
SondeOAuth2Token *sonde_client_authorize_oauth2_finish   (SondeClient         *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
