/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-oauth2"

/* OAuth 2.0 tokens for requests whose auth is "oauth2" (docs/collection-format.md, "OAuth
 * 2.0"): the token endpoint asked through the same client (so the request's TLS and proxy
 * settings hold), tokens kept in the client's memory, refreshed when they expire, and the
 * authorization code grant with PKCE through a loopback redirect (RFC 8252 §7.3). */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-client-private.h"
#include "sonde-json-file.h"
#include "sonde-oauth2.h"

/* A token this close to its end is not used: the request could arrive after it. */
#define EXPIRY_MARGIN_US (30 * G_USEC_PER_SEC)

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
sonde_oauth2_token_free (SondeOAuth2Token *token)
{
  if (token == NULL)
    return;
  g_free (token->access_token);
  g_free (token->token_type);
  g_free (token->refresh_token);
  g_free (token->scope);
  g_free (token);
}

SondeOAuth2Token *
sonde_oauth2_token_copy (const SondeOAuth2Token *token)
{
  SondeOAuth2Token *copy = g_new0 (SondeOAuth2Token, 1);

  copy->access_token = g_strdup (token->access_token);
  copy->token_type = g_strdup (token->token_type);
  copy->refresh_token = g_strdup (token->refresh_token);
  copy->scope = g_strdup (token->scope);
  copy->expires_at = token->expires_at;
  return copy;
}

gboolean
sonde_oauth2_token_is_fresh (const SondeOAuth2Token *token)
{
  return token != NULL && (token->expires_at == 0 || token->expires_at > g_get_real_time () + EXPIRY_MARGIN_US);
}

/* What tells one grant from another: the same settings share a token. */
static char *
cache_key (SondeAuth *auth)
{
  return g_strjoin ("\n", sonde_auth_get_oauth (auth, SONDE_OAUTH_GRANT),
                    sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_URL),
                    sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_ID),
                    sonde_auth_get_oauth (auth, SONDE_OAUTH_SCOPE),
                    sonde_auth_get_oauth (auth, SONDE_OAUTH_AUDIENCE),
                    sonde_auth_get_oauth (auth, SONDE_OAUTH_EXTRA_PARAMS),
                    sonde_auth_get_username (auth), NULL);
}

/* The secret's name: the grant's settings, hashed (they may hold a user name) */
static char *
store_name (SondeAuth *auth)
{
  g_autofree char *key = cache_key (auth);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strdup_printf ("oauth2-token-%.16s", hash);
}

const SondeOAuth2Token *
sonde_client_lookup_oauth2_token (SondeClient *self,
                                  SondeAuth   *auth)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (SONDE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (SONDE_IS_AUTH (auth), NULL);

  key = cache_key (auth);
  return g_hash_table_lookup (self->oauth2_tokens, key);
}

void
sonde_client_forget_oauth2_token (SondeClient *self,
                                  SondeAuth   *auth)
{
  g_autofree char *key = NULL;

  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (SONDE_IS_AUTH (auth));

  key = cache_key (auth);
  g_hash_table_remove (self->oauth2_tokens, key);
  if (self->token_store != NULL && self->token_owner != NULL)
    {
      g_autofree char *name = store_name (auth);

      /* After any store of it made before: the store's calls run in order */
      sonde_secret_store_store_async (self->token_store, self->token_owner, NULL, name, NULL, NULL, NULL, NULL);
    }
}

void
sonde_client_set_oauth2_token_store (SondeClient      *self,
                                     SondeSecretStore *store,
                                     const char       *owner_path)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (store == NULL || SONDE_IS_SECRET_STORE (store));

  g_set_object (&self->token_store, store);
  g_free (self->token_owner);
  self->token_owner = g_strdup (owner_path);
}

static char *
token_to_json (const SondeOAuth2Token *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, token->access_token);
  if (token->refresh_token != NULL)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, token->refresh_token);
    }
  if (token->scope != NULL)
    {
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, token->scope);
    }
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, token->expires_at);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static SondeOAuth2Token *
token_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  SondeOAuth2Token *token;
  JsonObject *object;

  if (text == NULL || !sonde_json_parse_document (parser, text, strlen (text), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  if (member_string (object, "access_token") == NULL)
    return NULL;
  token = g_new0 (SondeOAuth2Token, 1);
  token->access_token = g_strdup (member_string (object, "access_token"));
  token->refresh_token = g_strdup (member_string (object, "refresh_token"));
  token->scope = g_strdup (member_string (object, "scope"));
  token->expires_at = json_object_get_int_member_with_default (object, "expires_at", 0);
  return token;
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sonde_secret_store_store_finish (SONDE_SECRET_STORE (object), result, &error))
    g_debug ("OAuth 2.0 token not kept in the secret store: %s", error->message);
}

static void
keep_token (SondeClient      *self,
            SondeAuth        *auth,
            SondeOAuth2Token *token)
{
  g_hash_table_replace (self->oauth2_tokens, cache_key (auth), sonde_oauth2_token_copy (token));
  if (self->token_store != NULL && self->token_owner != NULL)
    {
      g_autofree char *name = store_name (auth);
      g_autofree char *json = token_to_json (token);

      sonde_secret_store_store_async (self->token_store, self->token_owner, NULL, name, json, NULL, stored_cb, NULL);
    }
}

static void
token_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SondeAuth *auth = g_task_get_task_data (task);
  SondeClient *self = g_task_get_source_object (task);
  g_autofree char *json = sonde_secret_store_lookup_finish (SONDE_SECRET_STORE (object), result, NULL);
  g_autoptr(SondeOAuth2Token) token = token_from_json (json);

  /* Only into memory: the store has it already */
  if (token != NULL && sonde_client_lookup_oauth2_token (self, auth) == NULL)
    g_hash_table_replace (self->oauth2_tokens, cache_key (auth), sonde_oauth2_token_copy (token));
  g_task_return_boolean (task, TRUE);
}

/**
 * sonde_client_read_oauth2_token_async:
 *
 * Reads the token kept in the token store for AUTH's grant into the client's memory (nothing
 * to do without a store, or when one is held already).
 */
void
sonde_client_read_oauth2_token_async (SondeClient         *self,
                                      SondeAuth           *auth,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *name = NULL;

  g_task_set_task_data (task, sonde_auth_copy (auth), g_object_unref);
  if (self->token_store == NULL || self->token_owner == NULL || sonde_client_lookup_oauth2_token (self, auth) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  name = store_name (auth);
  sonde_secret_store_lookup_async (self->token_store, self->token_owner, NULL, name, cancellable,
                                   token_read_cb, g_steal_pointer (&task));
}

gboolean
sonde_client_read_oauth2_token_finish (SondeClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The token endpoint's request: a form POST (RFC 6749 §4), the client's id and secret in the
 * form or as Basic auth, the request's options (TLS, proxy, timeouts) kept. */
static SondeRequest *
token_request (SondeAuth           *auth,
               SondeRequestOptions *options,
               const char * const  *pairs)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  SondeBody *body = sonde_request_get_body (request);
  GListStore *fields = sonde_body_get_fields (body);
  const char *client_id = sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_ID);
  const char *client_secret = sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_SECRET);

  sonde_request_set_method (request, "POST");
  sonde_request_set_url (request, sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_URL));
  sonde_key_value_list_append (sonde_request_get_headers (request), "Accept", "application/json");
  sonde_body_set_kind (body, SONDE_BODY_FORM);
  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    if (pairs[i + 1][0] != '\0')
      sonde_key_value_list_append (fields, pairs[i], pairs[i + 1]);
  if (sonde_auth_get_oauth (auth, SONDE_OAUTH_SCOPE)[0] != '\0')
    sonde_key_value_list_append (fields, "scope", sonde_auth_get_oauth (auth, SONDE_OAUTH_SCOPE));
  if (sonde_auth_get_oauth (auth, SONDE_OAUTH_AUDIENCE)[0] != '\0')
    sonde_key_value_list_append (fields, "audience", sonde_auth_get_oauth (auth, SONDE_OAUTH_AUDIENCE));
  /* The provider's own (resource, prompt…), after the standard ones */
  {
    g_auto(GStrv) extra = sonde_oauth_parse_params (sonde_auth_get_oauth (auth, SONDE_OAUTH_EXTRA_PARAMS));

    for (guint i = 0; extra[i] != NULL && extra[i + 1] != NULL; i += 2)
      sonde_key_value_list_append (fields, extra[i], extra[i + 1]);
  }

  sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_NONE);
  if (g_str_equal (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_AUTH), "basic"))
    {
      /* Sent at once, not after a challenge; each part form-encoded first (RFC 6749 §2.3.1) */
      g_autofree char *id = g_uri_escape_string (client_id, NULL, FALSE);
      g_autofree char *secret = g_uri_escape_string (client_secret, NULL, FALSE);
      g_autofree char *pair = g_strconcat (id, ":", secret, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *value = g_strconcat ("Basic ", encoded, NULL);
      SondeKeyValue *row = sonde_key_value_list_append (sonde_request_get_headers (request), "Authorization", value);

      sonde_key_value_set_sensitive (row, TRUE);
    }
  else
    {
      sonde_key_value_list_append (fields, "client_id", client_id);
      if (client_secret[0] != '\0')
        sonde_key_value_list_append (fields, "client_secret", client_secret);
    }

  if (options != NULL)
    {
      g_autoptr(GPtrArray) levels = g_ptr_array_new ();

      g_ptr_array_add (levels, options);
      sonde_request_options_merge_levels (sonde_request_get_options (request), levels, NULL);
    }
  /* The secrets of the token request are those of the auth */
  sonde_request_set_secret_values (request, (const char * const[]) { client_secret, sonde_auth_get_password (auth), NULL });
  return g_steal_pointer (&request);
}


/* RFC 6749 §5.1 (JSON), or the form-encoded answer some servers still give. */
static SondeOAuth2Token *
parse_token (SondeResponse  *response,
             GError        **error)
{
  SondeBodyStore *store = sonde_response_get_body (response);
  g_autoptr(GBytes) bytes = store != NULL ? sonde_body_store_get_bytes (store) : NULL;
  g_autofree char *text = bytes != NULL ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : g_strdup ("");
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(SondeOAuth2Token) token = g_new0 (SondeOAuth2Token, 1);
  JsonObject *object = NULL;
  const char *error_code = NULL;
  const char *description = NULL;
  const char *expires_in = NULL;
  gint64 expires = 0;
  guint status = sonde_response_get_status (response);

  if (sonde_json_parse_document (parser, text, strlen (text), NULL) && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonNode *expiry;

      object = json_node_get_object (json_parser_get_root (parser));
      token->access_token = g_strdup (member_string (object, "access_token"));
      token->token_type = g_strdup (member_string (object, "token_type"));
      token->refresh_token = g_strdup (member_string (object, "refresh_token"));
      token->scope = g_strdup (member_string (object, "scope"));
      error_code = member_string (object, "error");
      description = member_string (object, "error_description");
      expiry = json_object_get_member (object, "expires_in");
      if (expiry != NULL && JSON_NODE_HOLDS_VALUE (expiry))
        {
          if (json_node_get_value_type (expiry) == G_TYPE_STRING)
            expires_in = json_node_get_string (expiry);
          else
            expires = json_node_get_int (expiry);
        }
    }
  else if (strchr (text, '=') != NULL)
    {
      form = soup_form_decode (text);
      token->access_token = g_strdup (g_hash_table_lookup (form, "access_token"));
      token->token_type = g_strdup (g_hash_table_lookup (form, "token_type"));
      token->refresh_token = g_strdup (g_hash_table_lookup (form, "refresh_token"));
      token->scope = g_strdup (g_hash_table_lookup (form, "scope"));
      error_code = g_hash_table_lookup (form, "error");
      description = g_hash_table_lookup (form, "error_description");
      expires_in = g_hash_table_lookup (form, "expires_in");
    }
  if (expires_in != NULL)
    expires = g_ascii_strtoll (expires_in, NULL, 10);

  if (error_code != NULL || status < 200 || status >= 300 || token->access_token == NULL || token->access_token[0] == '\0')
    {
      if (error_code != NULL)
        g_set_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH,
                     _("The token endpoint refused: %s%s%s%s"), error_code,
                     description != NULL ? " (" : "", description != NULL ? description : "", description != NULL ? ")" : "");
      else if (status < 200 || status >= 300)
        g_set_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH,
                     _("The token endpoint answered %u %s"), status,
                     sonde_response_get_reason (response) != NULL ? sonde_response_get_reason (response) : "");
      else
        g_set_error_literal (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH,
                             _("The token endpoint's answer has no access_token"));
      return NULL;
    }
  if (expires > 0)
    token->expires_at = g_get_real_time () + expires * G_USEC_PER_SEC;
  return g_steal_pointer (&token);
}

/* The token in the answer to a token request, or NULL with the reason */
static SondeOAuth2Token *
token_from_send (SondeClient   *self,
                 GAsyncResult  *result,
                 GError       **error)
{
  g_autoptr(SondeResponse) response = sonde_client_send_finish (self, result, error);

  return response != NULL ? parse_token (response, error) : NULL;
}

static gboolean
check_settings (SondeAuth  *auth,
                GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *url = sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_URL);

  if (url[0] == '\0' || (uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) == NULL ||
      !sonde_client_is_http_scheme (g_uri_get_scheme (uri)))
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                           _("OAuth 2.0 needs a token URL (http:// or https://)"));
      return FALSE;
    }
  if (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_ID)[0] == '\0')
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                           _("OAuth 2.0 needs a client ID"));
      return FALSE;
    }
  return TRUE;
}

/* Fetching */

typedef struct
{
  SondeAuth           *auth;     /* a copy */
  SondeRequestOptions *options;  /* may be NULL */
  gboolean             refreshing;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->auth);
  g_clear_object (&fetch->options);
  g_free (fetch);
}

static void fetch_send (GTask *task);

static void
fetch_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  SondeClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(SondeOAuth2Token) token = token_from_send (self, result, &error);

  if (token == NULL)
    {
      /* A refresh token that no longer works: the grant itself, once */
      if (fetch->refreshing && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_str_equal (sonde_auth_get_oauth (fetch->auth, SONDE_OAUTH_GRANT), "authorization_code"))
        {
          g_clear_error (&error);
          sonde_client_forget_oauth2_token (self, fetch->auth);
          fetch->refreshing = FALSE;
          fetch_send (g_steal_pointer (&task));
          return;
        }
      if (fetch->refreshing)
        sonde_client_forget_oauth2_token (self, fetch->auth);
      g_task_return_error (task, error);
      return;
    }
  /* A refresh answer may leave the refresh token out: the old one still holds */
  if (token->refresh_token == NULL && fetch->refreshing)
    {
      const SondeOAuth2Token *old = sonde_client_lookup_oauth2_token (self, fetch->auth);

      if (old != NULL)
        token->refresh_token = g_strdup (old->refresh_token);
    }
  keep_token (self, fetch->auth, token);
  g_task_return_pointer (task, g_steal_pointer (&token), (GDestroyNotify) sonde_oauth2_token_free);
}

static void
fetch_send (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  SondeClient *self = g_task_get_source_object (task);
  const SondeOAuth2Token *held = sonde_client_lookup_oauth2_token (self, fetch->auth);
  const char *grant = sonde_auth_get_oauth (fetch->auth, SONDE_OAUTH_GRANT);
  g_autoptr(SondeRequest) request = NULL;

  if (fetch->refreshing && held != NULL && held->refresh_token != NULL)
    request = token_request (fetch->auth, fetch->options,
                             (const char * const[]) { "grant_type", "refresh_token",
                                                      "refresh_token", held->refresh_token, NULL });
  else if (g_str_equal (grant, "password"))
    request = token_request (fetch->auth, fetch->options,
                             (const char * const[]) { "grant_type", "password",
                                                      "username", sonde_auth_get_username (fetch->auth),
                                                      "password", sonde_auth_get_password (fetch->auth), NULL });
  else if (g_str_equal (grant, "authorization_code"))
    {
      g_task_return_new_error (task, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH,
                               _("This request needs an OAuth 2.0 token from your browser first: "
                                 "Get New Token in its Auth tab"));
      g_object_unref (task);
      return;
    }
  else
    request = token_request (fetch->auth, fetch->options,
                             (const char * const[]) { "grant_type", "client_credentials", NULL });

  sonde_client_send_async (self, request, NULL, NULL, NULL, NULL, g_task_get_cancellable (task),
                           fetch_sent_cb, task);
}

/**
 * sonde_client_fetch_oauth2_token_async:
 *
 * Gets a new token: with the refresh token when the one held has expired and has one, else
 * with the grant. The authorization code grant needs sonde_client_authorize_oauth2_async ().
 */
void
sonde_client_fetch_oauth2_token_async (SondeClient         *self,
                                       SondeAuth           *auth,
                                       SondeRequestOptions *options,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const SondeOAuth2Token *held;
  GError *error = NULL;
  Fetch *fetch;

  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (SONDE_IS_AUTH (auth));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_client_fetch_oauth2_token_async);
  if (!check_settings (auth, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  fetch = g_new0 (Fetch, 1);
  fetch->auth = sonde_auth_copy (auth);
  fetch->options = options != NULL ? g_object_ref (options) : NULL;
  held = sonde_client_lookup_oauth2_token (self, auth);
  fetch->refreshing = held != NULL && held->refresh_token != NULL;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  fetch_send (g_steal_pointer (&task));
}

SondeOAuth2Token *
sonde_client_fetch_oauth2_token_finish (SondeClient   *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Authorization code with PKCE */

typedef struct
{
  SondeAuth           *auth;
  SondeRequestOptions *options;
  SoupServer          *server;
  char                *redirect_uri;
  char                *state;
  char                *verifier;
  gulong               cancelled_id;
  gboolean             answered;
} Authorize;

static void
authorize_free (Authorize *authorize)
{
  if (authorize->server != NULL)
    soup_server_disconnect (authorize->server);
  g_clear_object (&authorize->server);
  g_clear_object (&authorize->auth);
  g_clear_object (&authorize->options);
  g_free (authorize->redirect_uri);
  g_free (authorize->state);
  g_free (authorize->verifier);
  g_free (authorize);
}

/* base64url without padding (RFC 7636 appendix A) */
static char *
base64url (const guint8 *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  for (char *end = text + strlen (text); end > text && end[-1] == '='; end--)
    end[-1] = '\0';
  return text;
}

static char *
random_base64url (gsize length)
{
  g_autofree guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) g_random_int_range (0, 256);
  return base64url (data, length);
}

static void
code_exchanged_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Authorize *authorize = g_task_get_task_data (task);
  SondeClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(SondeOAuth2Token) token = token_from_send (self, result, &error);

  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  keep_token (self, authorize->auth, token);
  g_task_return_pointer (task, g_steal_pointer (&token), (GDestroyNotify) sonde_oauth2_token_free);
}

static void
answer_browser (SoupServerMessage *msg,
                const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *html = g_strdup_printf ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sonde</title></head>"
                                           "<body><p>%s</p></body></html>", escaped);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, html, strlen (html));
}

static void
callback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  GTask *task = user_data;
  Authorize *authorize = g_task_get_task_data (task);
  SondeClient *self = g_task_get_source_object (task);
  const char *code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  const char *error_code = query != NULL ? g_hash_table_lookup (query, "error") : NULL;
  g_autoptr(SondeRequest) request = NULL;

  if (authorize->answered)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  authorize->answered = TRUE;
  if (authorize->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), authorize->cancelled_id);
  authorize->cancelled_id = 0;

  /* A redirect that does not carry our state was not asked for by us (RFC 6749 §10.12) */
  if (g_strcmp0 (state, authorize->state) != 0)
    {
      answer_browser (msg, _("Sonde did not ask for this authorization. You can close this tab."));
      g_task_return_new_error (task, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH,
                               _("The authorization server's answer does not carry the state Sonde sent: "
                                 "it was not used"));
      g_object_unref (task);
      return;
    }
  if (error_code != NULL || code == NULL)
    {
      const char *description = query != NULL ? g_hash_table_lookup (query, "error_description") : NULL;

      answer_browser (msg, _("The authorization was refused. You can close this tab."));
      g_task_return_new_error (task, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_AUTH,
                               _("The authorization server refused: %s%s%s%s"),
                               error_code != NULL ? error_code : _("no code"),
                               description != NULL ? " (" : "", description != NULL ? description : "",
                               description != NULL ? ")" : "");
      g_object_unref (task);
      return;
    }

  answer_browser (msg, _("Sonde received the authorization. You can close this tab and go back to Sonde."));
  request = token_request (authorize->auth, authorize->options,
                           (const char * const[]) { "grant_type", "authorization_code",
                                                    "code", code,
                                                    "redirect_uri", authorize->redirect_uri,
                                                    "code_verifier", authorize->verifier, NULL });
  sonde_client_send_async (self, request, NULL, NULL, NULL, NULL, g_task_get_cancellable (task),
                           code_exchanged_cb, task);
}

static void
authorize_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  GTask *task = user_data;
  Authorize *authorize = g_task_get_task_data (task);

  /* Waiting for the browser: nothing else would end the wait */
  if (!authorize->answered)
    {
      authorize->answered = TRUE;
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
}

void
sonde_client_authorize_oauth2_async (SondeClient         *self,
                                     SondeAuth           *auth,
                                     SondeRequestOptions *options,
                                     SondeOAuth2OpenUri   open_uri,
                                     gpointer             open_uri_data,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) url = NULL;
  g_autoptr(GUri) auth_uri = NULL;
  g_autofree char *challenge = NULL;
  GError *error = NULL;
  Authorize *authorize;
  GSList *uris;
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  const char *auth_url;

  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (SONDE_IS_AUTH (auth));
  g_return_if_fail (open_uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_client_authorize_oauth2_async);
  auth_url = sonde_auth_get_oauth (auth, SONDE_OAUTH_AUTH_URL);
  if (!check_settings (auth, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (auth_url[0] == '\0' || (auth_uri = g_uri_parse (auth_url, G_URI_FLAGS_NONE, NULL)) == NULL ||
      !sonde_client_is_http_scheme (g_uri_get_scheme (auth_uri)))
    {
      g_task_return_new_error (task, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                               _("The authorization code grant needs an authorization URL (http:// or https://)"));
      return;
    }

  authorize = g_new0 (Authorize, 1);
  authorize->auth = sonde_auth_copy (auth);
  authorize->options = options != NULL ? g_object_ref (options) : NULL;
  g_task_set_task_data (task, authorize, (GDestroyNotify) authorize_free);

  /* The loopback redirect: 127.0.0.1, a port the system picks (RFC 8252 §7.3) */
  authorize->server = soup_server_new (NULL, NULL);
  if (!soup_server_listen_local (authorize->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  uris = soup_server_get_uris (authorize->server);
  authorize->redirect_uri = g_strdup_printf ("http://127.0.0.1:%d/callback", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  soup_server_add_handler (authorize->server, "/callback", callback_cb, task, NULL);

  authorize->state = random_base64url (16);
  authorize->verifier = random_base64url (32);
  {
    g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);

    g_checksum_update (sha, (const guchar *) authorize->verifier, -1);
    g_checksum_get_digest (sha, digest, &digest_length);
    challenge = base64url (digest, digest_length);
  }

  url = g_string_new (auth_url);
  g_string_append_c (url, strchr (auth_url, '?') != NULL ? '&' : '?');
  {
    g_autoptr(GHashTable) params = NULL;
    const char *pairs[] = {
      "response_type", "code",
      "client_id", sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_ID),
      "redirect_uri", authorize->redirect_uri,
      "scope", sonde_auth_get_oauth (auth, SONDE_OAUTH_SCOPE),
      "audience", sonde_auth_get_oauth (auth, SONDE_OAUTH_AUDIENCE),
      "state", authorize->state,
      "code_challenge", challenge,
      "code_challenge_method", "S256",
    };

    g_auto(GStrv) extra = sonde_oauth_parse_params (sonde_auth_get_oauth (auth, SONDE_OAUTH_EXTRA_PARAMS));

    for (guint i = 0; i < G_N_ELEMENTS (pairs); i += 2)
      {
        g_autofree char *value = NULL;

        if (pairs[i + 1][0] == '\0')
          continue;
        value = g_uri_escape_string (pairs[i + 1], NULL, FALSE);
        g_string_append_printf (url, "%s%s=%s", i > 0 ? "&" : "", pairs[i], value);
      }
    for (guint i = 0; extra[i] != NULL && extra[i + 1] != NULL; i += 2)
      {
        g_autofree char *name = g_uri_escape_string (extra[i], NULL, FALSE);
        g_autofree char *value = g_uri_escape_string (extra[i + 1], NULL, FALSE);

        g_string_append_printf (url, "&%s=%s", name, value);
      }
  }

  if (cancellable != NULL)
    authorize->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (authorize_cancelled_cb),
                                                     g_object_ref (task), g_object_unref);
  open_uri (url->str, open_uri_data);
  g_steal_pointer (&task);
}

SondeOAuth2Token *
sonde_client_authorize_oauth2_finish (SondeClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
