/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-import-postman"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-collection-private.h"
#include "sonde-environment-private.h"
#include "sonde-error.h"
#include "sonde-request-json.h"
#include "sonde-import.h"
#include "sonde-json-file.h"
#include "sonde-request-io.h"
#include "sonde-secret-heuristics.h"
#include "sonde-variables.h"

/* Postman Collection v2.0 and v2.1, and Postman environment files, written from the
 * collection format's public JSON schema (docs/import-export.md says what maps to what). */

typedef struct
{
  SondeImport  *import;
  GFile        *base_dir;
  GHashTable   *secret_names;  /* collection secret variable name → value */
  guint         examples;      /* saved example responses, not imported */
} Context;

/* Values */

/* A value as text: strings as they are, numbers and booleans written out. */
static char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
        }
    }
  return json_to_string (node, FALSE);
}

/* "description": a string, or {"content": …} */
static char *
description_of (JsonObject *object)
{
  JsonObject *described = sonde_json_get_object (object, "description");

  if (described != NULL)
    return g_strdup (sonde_json_get_string (described, "content"));
  return g_strdup (sonde_json_get_string (object, "description"));
}

static void
keep_description (JsonObject *extra,
                  JsonObject *source)
{
  g_autofree char *description = description_of (source);

  if (description != NULL && description[0] != '\0')
    json_object_set_string_member (extra, "description", description);
}

/* Rows: [{"key", "value", "disabled"}] */
static void
read_rows (JsonArray  *array,
           GListStore *rows)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *row;
      g_autofree char *value = NULL;
      SondeKeyValue *kv;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = json_node_get_object (node);
      if (sonde_json_get_string (row, "key") == NULL)
        continue;
      value = member_text (row, "value");
      kv = sonde_key_value_list_append (rows, sonde_json_get_string (row, "key"), value != NULL ? value : "");
      if (sonde_json_get_boolean (row, "disabled", FALSE) || !sonde_json_get_boolean (row, "enabled", TRUE))
        sonde_key_value_set_enabled (kv, FALSE);
    }
}

/* Variables: the same rows; "type": "secret" values go to the secret store. */
static void
read_variables (Context    *ctx,
                JsonArray  *array,
                GListStore *rows,
                const char *environment)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *row;
      const char *name;
      g_autofree char *value = NULL;
      SondeKeyValue *kv;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = json_node_get_object (node);
      name = sonde_json_get_string (row, "key") != NULL ? sonde_json_get_string (row, "key") : sonde_json_get_string (row, "id");
      if (name == NULL)
        continue;
      value = member_text (row, "value");
      if (g_strcmp0 (sonde_json_get_string (row, "type"), "secret") == 0)
        {
          kv = sonde_key_value_list_append (rows, name, "");
          sonde_variable_set_secret (kv, TRUE);
          if (value != NULL && value[0] != '\0')
            sonde_import_add_secret (ctx->import, environment, name, value);
        }
      else
        kv = sonde_key_value_list_append (rows, name, value != NULL ? value : "");
      if (sonde_json_get_boolean (row, "disabled", FALSE) || !sonde_json_get_boolean (row, "enabled", TRUE))
        sonde_key_value_set_enabled (kv, FALSE);
    }
}

/* A literal credential becomes a secret variable of the collection: the file keeps its
 * name. WHAT names it ("password", "token", "api_key"). */
static char *
take_secret (Context    *ctx,
             const char *where,
             const char *what,
             const char *value)
{
  g_auto(GStrv) used = NULL;
  g_autofree char *name = NULL;
  const char *existing;

  if (value == NULL || value[0] == '\0')
    return g_strdup (value);
  used = sonde_variables_find (value);
  if (used != NULL && used[0] != NULL)
    {
      /* {{token}} and the like: a reference, not a secret */
      g_autofree char *literal = sonde_secret_literal (what, value);

      if (literal == NULL || strstr (literal, "{{") != NULL)
        return g_strdup (value);
    }

  name = g_strdup (what);
  for (guint n = 2; (existing = g_hash_table_lookup (ctx->secret_names, name)) != NULL &&
                    strcmp (existing, value) != 0; n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s_%u", what, n);
    }
  if (existing == NULL)
    {
      GListStore *variables = sonde_import_folder_get_variables (sonde_import_get_root (ctx->import));
      SondeKeyValue *row = sonde_key_value_list_append (variables, name, "");

      sonde_variable_set_secret (row, TRUE);
      g_hash_table_insert (ctx->secret_names, g_strdup (name), g_strdup (value));
      sonde_import_add_secret (ctx->import, NULL, name, value);
    }
  sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                     _("the %s is kept in the keyring as the secret variable {{%s}}, not in the files"),
                     what, name);
  return g_strdup_printf ("{{%s}}", name);
}

/* Auth: v2.1 writes attributes as [{"key", "value"}], v2.0 as an object. */
static char *
auth_attribute (JsonObject *auth,
                const char *type,
                const char *key)
{
  JsonNode *node;

  if (auth == NULL || !json_object_has_member (auth, type))
    return NULL;
  node = json_object_get_member (auth, type);
  if (JSON_NODE_HOLDS_OBJECT (node))
    return member_text (json_node_get_object (node), key);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element) &&
              g_strcmp0 (sonde_json_get_string (json_node_get_object (element), "key"), key) == 0)
            return member_text (json_node_get_object (element), "value");
        }
    }
  return NULL;
}

/* Auth types Sonde has no sender for are kept as data, without their secrets. */
static void
keep_auth (Context    *ctx,
           const char *where,
           const char *type,
           JsonObject *auth,
           SondeAuth  *target)
{
  g_autoptr(JsonObject) kept = json_object_new ();
  JsonNode *node = json_object_get_member (auth, type);
  gboolean dropped_secret = FALSE;

  json_object_set_string_member (kept, "type", type);
  if (node != NULL && (JSON_NODE_HOLDS_ARRAY (node) || JSON_NODE_HOLDS_OBJECT (node)))
    {
      g_autoptr(JsonObject) attributes = json_object_new ();

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              JsonObject *attribute;
              const char *key;

              if (!JSON_NODE_HOLDS_OBJECT (element))
                continue;
              attribute = json_node_get_object (element);
              key = sonde_json_get_string (attribute, "key");
              if (key == NULL || !json_object_has_member (attribute, "value"))
                continue;
              json_object_set_member (attributes, key, json_node_copy (json_object_get_member (attribute, "value")));
            }
        }
      else
        {
          JsonObject *object = json_node_get_object (node);
          g_autoptr(GList) members = json_object_get_members (object);

          for (GList *l = members; l != NULL; l = l->next)
            json_object_set_member (attributes, l->data, json_node_copy (json_object_get_member (object, l->data)));
        }

      /* Secrets stay out of shared files */
      {
        g_autoptr(GList) members = json_object_get_members (attributes);

        for (GList *l = members; l != NULL; l = l->next)
          {
            const char *key = l->data;
            JsonNode *value = json_object_get_member (attributes, key);
            g_autofree char *lower = g_ascii_strdown (key, -1);

            if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
                json_node_get_string (value)[0] != '\0' && strstr (json_node_get_string (value), "{{") == NULL &&
                (strstr (lower, "secret") != NULL || strstr (lower, "token") != NULL ||
                 strstr (lower, "password") != NULL || strstr (lower, "privatekey") != NULL ||
                 strstr (lower, "authkey") != NULL || strstr (lower, "signature") != NULL))
              {
                json_object_set_string_member (attributes, key, "");
                dropped_secret = TRUE;
              }
          }
      }
      json_object_set_object_member (kept, type, g_steal_pointer (&attributes));
    }

  sonde_auth_set_kind (target, SONDE_AUTH_NONE);
  sonde_auth_set_extra (target, kept);
  sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_KEPT, where,
                     _("%s auth is kept in the file, but Sonde cannot send it yet: the request goes "
                       "without it"), type);
  if (dropped_secret)
    sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                       _("the secret values of its %s auth were left out of the files"), type);
}

/* Postman's "tokenRequestParams" and "authRequestParams" ({key, value, enabled, send_as}):
 * the enabled ones sent in the body or the URL become the extra parameters (Sonde sends
 * them with both); one sent as a header is reported. */
static void
read_oauth_params (Context    *ctx,
                   const char *where,
                   JsonObject *auth,
                   SondeAuth  *target)
{
  static const char * const keys[] = { "tokenRequestParams", "authRequestParams" };
  JsonArray *attributes = sonde_json_get_array (auth, "oauth2");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; attributes != NULL && i < json_array_get_length (attributes); i++)
    {
      JsonObject *attribute = JSON_NODE_HOLDS_OBJECT (json_array_get_element (attributes, i))
                              ? json_array_get_object_element (attributes, i) : NULL;
      const char *key = attribute != NULL ? sonde_json_get_string (attribute, "key") : NULL;
      JsonArray *params;

      if (key == NULL || (g_strcmp0 (key, keys[0]) != 0 && g_strcmp0 (key, keys[1]) != 0) ||
          (params = sonde_json_get_array (attribute, "value")) == NULL)
        continue;
      for (guint j = 0; j < json_array_get_length (params); j++)
        {
          JsonObject *param = JSON_NODE_HOLDS_OBJECT (json_array_get_element (params, j))
                              ? json_array_get_object_element (params, j) : NULL;
          const char *name = param != NULL ? sonde_json_get_string (param, "key") : NULL;
          const char *value = param != NULL ? sonde_json_get_string (param, "value") : NULL;
          g_autofree char *converted = NULL;
          g_autofree char *escaped_name = NULL;
          g_autofree char *escaped_value = NULL;

          if (name == NULL || name[0] == '\0' || !sonde_json_get_boolean (param, "enabled", TRUE) ||
              g_hash_table_contains (seen, name))
            continue;
          if (g_strcmp0 (sonde_json_get_string (param, "send_as"), "request_header") == 0)
            {
              sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                                 _("its OAuth 2.0 parameter “%s”, sent as a header, was left out: Sonde sends extra parameters in the request"),
                                 name);
              continue;
            }
          g_hash_table_add (seen, g_strdup (name));
          converted = g_strdup (value != NULL ? value : "");  /* {{variables}} are written alike */
          escaped_name = g_uri_escape_string (name, "{}", FALSE);
          escaped_value = g_uri_escape_string (converted, "{}:/", FALSE);
          g_string_append_printf (text, "%s%s=%s", text->len > 0 ? "&" : "", escaped_name, escaped_value);
        }
    }
  if (text->len > 0)
    sonde_auth_set_oauth (target, SONDE_OAUTH_EXTRA_PARAMS, text->str);
}

static void
read_auth (Context    *ctx,
           const char *where,
           JsonObject *auth,
           SondeAuth  *target)
{
  const char *type = sonde_json_get_string (auth, "type");

  if (auth == NULL || type == NULL || strcmp (type, "inherit") == 0)
    {
      sonde_auth_set_kind (target, SONDE_AUTH_INHERIT);
      return;
    }
  if (strcmp (type, "noauth") == 0)
    {
      sonde_auth_set_kind (target, SONDE_AUTH_NONE);
      return;
    }
  if (strcmp (type, "basic") == 0 || strcmp (type, "digest") == 0)
    {
      g_autofree char *user = auth_attribute (auth, type, "username");
      g_autofree char *password = auth_attribute (auth, type, "password");
      g_autofree char *secret = take_secret (ctx, where, "password", password);

      sonde_auth_set_kind (target, type[0] == 'b' ? SONDE_AUTH_BASIC : SONDE_AUTH_DIGEST);
      sonde_auth_set_username (target, user != NULL ? user : "");
      sonde_auth_set_password (target, secret != NULL ? secret : "");
      return;
    }
  if (strcmp (type, "ntlm") == 0)
    {
      g_autofree char *user = auth_attribute (auth, type, "username");
      g_autofree char *domain = auth_attribute (auth, type, "domain");
      g_autofree char *workstation = auth_attribute (auth, type, "workstation");
      g_autofree char *password = auth_attribute (auth, type, "password");
      g_autofree char *secret = take_secret (ctx, where, "password", password);
      g_autofree char *name = domain != NULL && domain[0] != '\0'
                              ? g_strdup_printf ("%s\\%s", domain, user != NULL ? user : "")
                              : g_strdup (user != NULL ? user : "");

      sonde_auth_set_kind (target, SONDE_AUTH_NTLM);
      sonde_auth_set_username (target, name);
      sonde_auth_set_password (target, secret != NULL ? secret : "");
      if (workstation != NULL && workstation[0] != '\0')
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                           _("its NTLM workstation name was left out: libsoup sends none"));
      return;
    }
  if (strcmp (type, "awsv4") == 0)
    {
      g_autofree char *access_key = auth_attribute (auth, type, "accessKey");
      g_autofree char *secret_key = auth_attribute (auth, type, "secretKey");
      g_autofree char *session_token = auth_attribute (auth, type, "sessionToken");
      g_autofree char *region = auth_attribute (auth, type, "region");
      g_autofree char *service = auth_attribute (auth, type, "service");
      g_autofree char *in_query = auth_attribute (auth, type, "addAuthDataToQuery");
      g_autofree char *secret = take_secret (ctx, where, "aws_secret_access_key", secret_key);
      g_autofree char *token = take_secret (ctx, where, "aws_session_token", session_token);

      sonde_auth_set_kind (target, SONDE_AUTH_AWS_SIGV4);
      sonde_auth_set_username (target, access_key != NULL ? access_key : "");
      sonde_auth_set_password (target, secret != NULL ? secret : "");
      sonde_auth_set_token (target, token != NULL ? token : "");
      sonde_auth_set_region (target, region != NULL ? region : "");
      sonde_auth_set_service (target, service != NULL ? service : "");
      if (g_strcmp0 (in_query, "true") == 0)
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                           _("its AWS signature goes in the Authorization header, not the query"));
      return;
    }
  if (strcmp (type, "bearer") == 0)
    {
      g_autofree char *token = auth_attribute (auth, type, "token");
      g_autofree char *secret = take_secret (ctx, where, "token", token);

      sonde_auth_set_kind (target, SONDE_AUTH_BEARER);
      sonde_auth_set_token (target, secret != NULL ? secret : "");
      return;
    }
  if (strcmp (type, "apikey") == 0)
    {
      g_autofree char *key = auth_attribute (auth, type, "key");
      g_autofree char *value = auth_attribute (auth, type, "value");
      g_autofree char *in = auth_attribute (auth, type, "in");
      g_autofree char *secret = take_secret (ctx, where, "api_key", value);

      sonde_auth_set_kind (target, SONDE_AUTH_API_KEY);
      sonde_auth_set_key_name (target, key != NULL ? key : "");
      sonde_auth_set_key_value (target, secret != NULL ? secret : "");
      sonde_auth_set_key_location (target, g_strcmp0 (in, "query") == 0 ? SONDE_API_KEY_IN_QUERY
                                                                        : SONDE_API_KEY_IN_HEADER);
      return;
    }
  if (strcmp (type, "oauth2") == 0)
    {
      g_autofree char *grant = auth_attribute (auth, type, "grant_type");
      const char *sonde_grant = g_strcmp0 (grant, "client_credentials") == 0 ? "client_credentials"
                              : g_strcmp0 (grant, "password_credentials") == 0 ? "password"
                              : g_strcmp0 (grant, "authorization_code") == 0 ||
                                g_strcmp0 (grant, "authorization_code_with_pkce") == 0 ? "authorization_code"
                              : NULL;

      /* Postman's default grant is the authorization code */
      if (grant == NULL)
        sonde_grant = "authorization_code";
      if (sonde_grant != NULL)
        {
          static const struct {
            const char *key;
            SondeOAuthField field;
          } keys[] = {
            { "accessTokenUrl", SONDE_OAUTH_TOKEN_URL },
            { "authUrl", SONDE_OAUTH_AUTH_URL },
            { "clientId", SONDE_OAUTH_CLIENT_ID },
            { "scope", SONDE_OAUTH_SCOPE },
            { "audience", SONDE_OAUTH_AUDIENCE },
          };
          g_autofree char *client_secret = auth_attribute (auth, type, "clientSecret");
          g_autofree char *secret = take_secret (ctx, where, "oauth_client_secret", client_secret);
          g_autofree char *user = auth_attribute (auth, type, "username");
          g_autofree char *password = auth_attribute (auth, type, "password");
          g_autofree char *password_secret = take_secret (ctx, where, "password", password);
          g_autofree char *client_auth = auth_attribute (auth, type, "client_authentication");
          g_autofree char *access_token = auth_attribute (auth, type, "accessToken");
          g_autofree char *add_token_to = auth_attribute (auth, type, "addTokenTo");

          sonde_auth_set_kind (target, SONDE_AUTH_OAUTH2);
          sonde_auth_set_oauth (target, SONDE_OAUTH_GRANT, sonde_grant);
          for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
            {
              g_autofree char *value = auth_attribute (auth, type, keys[i].key);

              sonde_auth_set_oauth (target, keys[i].field, value);
            }
          sonde_auth_set_oauth (target, SONDE_OAUTH_CLIENT_SECRET, secret);
          /* Postman's default is Basic ("header") */
          sonde_auth_set_oauth (target, SONDE_OAUTH_CLIENT_AUTH, g_strcmp0 (client_auth, "body") == 0 ? "body" : "basic");
          sonde_auth_set_username (target, user);
          sonde_auth_set_password (target, password_secret);
          /* Postman's query parameter is access_token */
          if (g_strcmp0 (add_token_to, "queryParams") == 0)
            sonde_auth_set_oauth (target, SONDE_OAUTH_TOKEN_QUERY, "access_token");
          read_oauth_params (ctx, where, auth, target);
          if (access_token != NULL && access_token[0] != '\0')
            sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                               _("its OAuth 2.0 access token was left out: Sonde gets its own and never writes one"));
          return;
        }
    }
  keep_auth (ctx, where, type, auth, target);
}

/* Scripts */

static char *
script_text (JsonObject *event)
{
  JsonObject *script = sonde_json_get_object (event, "script");
  JsonNode *exec;

  if (script == NULL || !json_object_has_member (script, "exec"))
    return NULL;
  exec = json_object_get_member (script, "exec");
  if (JSON_NODE_HOLDS_VALUE (exec) && json_node_get_value_type (exec) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (exec));
  if (JSON_NODE_HOLDS_ARRAY (exec))
    {
      JsonArray *lines = json_node_get_array (exec);
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (lines); i++)
        {
          JsonNode *line = json_array_get_element (lines, i);

          if (i > 0)
            g_string_append_c (text, '\n');
          if (JSON_NODE_HOLDS_VALUE (line) && json_node_get_value_type (line) == G_TYPE_STRING)
            g_string_append (text, json_node_get_string (line));
        }
      return g_string_free (text, FALSE);
    }
  return NULL;
}

/* ".a.b[0]" → "$.a.b[0]" */
static char *
json_path_of (const char *accessors)
{
  return g_strconcat ("$", accessors, NULL);
}

/* A JavaScript literal as a check value: quotes taken off strings. */
static char *
literal_value (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  size_t len = strlen (trimmed);

  if (len >= 2 && (trimmed[0] == '"' || trimmed[0] == '\'' || trimmed[0] == '`') && trimmed[len - 1] == trimmed[0])
    return g_strndup (trimmed + 1, len - 2);
  return g_steal_pointer (&trimmed);
}

static void
add_check (GPtrArray  *checks,
           const char *source,
           const char *name,
           const char *path,
           const char *op,
           const char *value)
{
  JsonObject *row = json_object_new ();

  json_object_set_string_member (row, "source", source);
  if (name != NULL)
    json_object_set_string_member (row, "name", name);
  if (path != NULL)
    json_object_set_string_member (row, "path", path);
  json_object_set_string_member (row, "op", op);
  if (value != NULL)
    json_object_set_string_member (row, "value", value);
  g_ptr_array_add (checks, row);
}

static void
add_capture (GPtrArray  *captures,
             const char *variable,
             const char *source,
             const char *name,
             const char *path)
{
  JsonObject *row = json_object_new ();

  json_object_set_string_member (row, "variable", variable);
  json_object_set_string_member (row, "source", source);
  if (name != NULL)
    json_object_set_string_member (row, "name", name);
  if (path != NULL)
    json_object_set_string_member (row, "path", path);
  g_ptr_array_add (captures, row);
}

#define ACCESSORS "((?:\\.[A-Za-z_$][\\w$]*|\\[\\d+\\]|\\[[\"'][^\"']+[\"']\\])+)"

/* The common patterns of Postman test scripts, as checks and captures (docs/import-export.md).
 * Everything stays in "scripts" too. */
static void
convert_script (Context    *ctx,
                const char *where,
                const char *text,
                GPtrArray  *checks,
                GPtrArray  *captures)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *json_var = NULL;
  g_autoptr(GRegex) json_var_re = g_regex_new ("(?:var|let|const)\\s+(\\w+)\\s*=\\s*pm\\.response\\.json\\(\\)", 0, 0, NULL);
  g_autoptr(GRegex) status_re = g_regex_new ("pm\\.response\\.to\\.have\\.status\\((\\d+)\\)", 0, 0, NULL);
  g_autoptr(GRegex) code_re = g_regex_new ("pm\\.expect\\(pm\\.response\\.(?:code|status)\\)\\.to\\.(?:eql|equal|be\\.equal|eq)\\((\\d+)\\)", 0, 0, NULL);
  g_autoptr(GRegex) ok_re = g_regex_new ("pm\\.response\\.to\\.be\\.(ok|success)\\b", 0, 0, NULL);
  g_autoptr(GRegex) header_re = g_regex_new ("pm\\.response\\.to\\.have\\.header\\([\"']([^\"']+)[\"']\\)", 0, 0, NULL);
  g_autoptr(GRegex) time_re = g_regex_new ("pm\\.expect\\(pm\\.response\\.responseTime\\)\\.to\\.be\\.(?:below|lessThan|lt)\\((\\d+)\\)", 0, 0, NULL);
  g_autoptr(GRegex) body_re = g_regex_new ("pm\\.expect\\(pm\\.response\\.text\\(\\)\\)\\.to\\.(?:include|contain)\\((.+)\\)", 0, 0, NULL);
  g_autoptr(GRegex) expect_re = g_regex_new ("pm\\.expect\\((pm\\.response\\.json\\(\\)|\\w+)" ACCESSORS "\\)\\.to\\.(?:eql|equal|eq|be\\.equal)\\((.+)\\)\\s*;?\\s*$", 0, 0, NULL);
  g_autoptr(GRegex) set_json_re = g_regex_new ("pm\\.(?:environment|collectionVariables|globals|variables)\\.set\\([\"']([\\w.-]+)[\"']\\s*,\\s*(pm\\.response\\.json\\(\\)|\\w+)" ACCESSORS "\\)", 0, 0, NULL);
  g_autoptr(GRegex) set_header_re = g_regex_new ("pm\\.(?:environment|collectionVariables|globals|variables)\\.set\\([\"']([\\w.-]+)[\"']\\s*,\\s*pm\\.response\\.headers\\.get\\([\"']([^\"']+)[\"']\\)\\)", 0, 0, NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autoptr(GMatchInfo) match = NULL;
      guint before_checks = checks->len;
      guint before_captures = captures->len;

      if (g_regex_match (json_var_re, line, 0, &match))
        {
          g_free (json_var);
          json_var = g_match_info_fetch (match, 1);
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (status_re, line, 0, &match))
        {
          g_autofree char *code = g_match_info_fetch (match, 1);

          add_check (checks, "status", NULL, NULL, "==", code);
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (code_re, line, 0, &match))
        {
          g_autofree char *code = g_match_info_fetch (match, 1);

          add_check (checks, "status", NULL, NULL, "==", code);
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (ok_re, line, 0, &match))
        {
          add_check (checks, "status", NULL, NULL, ">=", "200");
          add_check (checks, "status", NULL, NULL, "<", "300");
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (header_re, line, 0, &match))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);

          add_check (checks, "header", name, NULL, "exists", NULL);
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (time_re, line, 0, &match))
        {
          g_autofree char *ms = g_match_info_fetch (match, 1);

          add_check (checks, "duration", NULL, NULL, "<", ms);
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (body_re, line, 0, &match))
        {
          g_autofree char *raw = g_match_info_fetch (match, 1);
          g_autofree char *value = literal_value (raw);

          add_check (checks, "body", NULL, NULL, "contains", value);
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (expect_re, line, 0, &match))
        {
          g_autofree char *subject = g_match_info_fetch (match, 1);
          g_autofree char *accessors = g_match_info_fetch (match, 2);
          g_autofree char *raw = g_match_info_fetch (match, 3);

          if (g_str_has_prefix (subject, "pm.") || g_strcmp0 (subject, json_var) == 0)
            {
              g_autofree char *path = json_path_of (accessors);
              g_autofree char *value = literal_value (raw);

              add_check (checks, "jsonpath", NULL, path, "==", value);
            }
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (set_json_re, line, 0, &match))
        {
          g_autofree char *variable = g_match_info_fetch (match, 1);
          g_autofree char *subject = g_match_info_fetch (match, 2);
          g_autofree char *accessors = g_match_info_fetch (match, 3);

          if (g_str_has_prefix (subject, "pm.") || g_strcmp0 (subject, json_var) == 0)
            {
              g_autofree char *path = json_path_of (accessors);

              add_capture (captures, variable, "jsonpath", NULL, path);
            }
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (set_header_re, line, 0, &match))
        {
          g_autofree char *variable = g_match_info_fetch (match, 1);
          g_autofree char *name = g_match_info_fetch (match, 2);

          add_capture (captures, variable, "header", name, NULL);
        }
      g_clear_pointer (&match, g_match_info_free);

      if (checks->len > before_checks || captures->len > before_captures)
        {
          g_autofree char *shown = g_strstrip (g_strdup (line));

          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                             checks->len > before_checks ? _("“%s” became a check") : _("“%s” became a capture"),
                             shown);
        }
    }
}

/* "event": scripts kept verbatim, their common patterns as checks and captures. */
static void
read_events (Context    *ctx,
             const char *where,
             JsonArray  *events,
             JsonObject *extra,
             gboolean    convert)
{
  g_autoptr(JsonObject) scripts = json_object_new ();
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      JsonObject *event;
      const char *listen;
      g_autofree char *text = NULL;
      const char *key;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      event = json_node_get_object (node);
      listen = sonde_json_get_string (event, "listen");
      text = script_text (event);
      {
        g_autofree char *stripped = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

        if (stripped == NULL || stripped[0] == '\0')
          continue;
      }
      key = g_strcmp0 (listen, "prerequest") == 0 ? "preRequest" : "postResponse";
      if (json_object_has_member (scripts, key))
        {
          g_autofree char *joined = g_strconcat (json_object_get_string_member (scripts, key), "\n", text, NULL);

          json_object_set_string_member (scripts, key, joined);
        }
      else
        json_object_set_string_member (scripts, key, text);
      if (convert && strcmp (key, "postResponse") == 0)
        convert_script (ctx, where, text, checks, captures);
    }

  if (json_object_get_size (scripts) == 0)
    return;

  {
    g_autoptr(JsonObject) ordered = json_object_new ();

    json_object_set_string_member (ordered, "from", "postman");
    if (json_object_has_member (scripts, "preRequest"))
      json_object_set_string_member (ordered, "preRequest", json_object_get_string_member (scripts, "preRequest"));
    if (json_object_has_member (scripts, "postResponse"))
      json_object_set_string_member (ordered, "postResponse", json_object_get_string_member (scripts, "postResponse"));
    json_object_set_object_member (extra, "scripts", g_steal_pointer (&ordered));
  }
  sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_KEPT, where,
                     _("its scripts are kept in the file, but Sonde does not run scripts"));

  if (checks->len > 0)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < checks->len; i++)
        json_array_add_object_element (array, json_object_ref (checks->pdata[i]));
      json_object_set_array_member (extra, "checks", array);
    }
  if (captures->len > 0)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < captures->len; i++)
        json_array_add_object_element (array, json_object_ref (captures->pdata[i]));
      json_object_set_array_member (extra, "captures", array);
    }
}

/* URLs */

/* ":id" path segments become {{id}}, with the value as a request variable. */
static char *
convert_path_variables (Context      *ctx,
                        const char   *where,
                        const char   *url,
                        JsonArray    *variables,
                        SondeRequest *request)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *scheme = strstr (url, "://");
  const char *p = url;
  g_autoptr(JsonArray) rows = json_array_new ();

  if (variables == NULL || json_array_get_length (variables) == 0)
    return g_strdup (url);

  /* Only in the path: after the host, before the query */
  if (scheme != NULL)
    {
      const char *path = strchr (scheme + 3, '/');

      p = path != NULL ? path : url + strlen (url);
    }
  g_string_append_len (out, url, p - url);
  while (*p != '\0' && *p != '?' && *p != '#')
    {
      if (*p == ':' && p > url && p[-1] == '/' && (g_ascii_isalpha (p[1]) || p[1] == '_'))
        {
          const char *end = p + 1;
          g_autofree char *name = NULL;

          while (g_ascii_isalnum (*end) || *end == '_' || *end == '-')
            end++;
          name = g_strndup (p + 1, end - p - 1);
          g_string_append_printf (out, "{{%s}}", name);
          p = end;
          continue;
        }
      g_string_append_c (out, *p++);
    }
  g_string_append (out, p);

  for (guint i = 0; i < json_array_get_length (variables); i++)
    {
      JsonNode *node = json_array_get_element (variables, i);
      JsonObject *variable;
      g_autofree char *value = NULL;
      JsonObject *row;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      variable = json_node_get_object (node);
      if (sonde_json_get_string (variable, "key") == NULL)
        continue;
      value = member_text (variable, "value");
      row = json_object_new ();
      json_object_set_string_member (row, "name", sonde_json_get_string (variable, "key"));
      json_object_set_string_member (row, "value", value != NULL ? value : "");
      json_array_add_object_element (rows, row);
    }
  if (json_array_get_length (rows) > 0)
    {
      json_object_set_array_member (sonde_import_request_extra (request), "variables", g_steal_pointer (&rows));
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                         _("path variables (:name) became {{name}} with request variables"));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
read_url (Context      *ctx,
          const char   *where,
          JsonNode     *node,
          SondeRequest *request)
{
  g_autofree char *url = NULL;
  JsonObject *object;
  JsonArray *query;

  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      sonde_request_set_url (request, json_node_get_string (node));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;

  object = json_node_get_object (node);
  query = sonde_json_get_array (object, "query");
  if (sonde_json_get_string (object, "raw") != NULL)
    url = g_strdup (sonde_json_get_string (object, "raw"));
  else
    {
      /* protocol://host.parts/path/parts */
      GString *built = g_string_new (NULL);
      JsonNode *host = json_object_get_member (object, "host");
      JsonNode *path = json_object_get_member (object, "path");

      if (sonde_json_get_string (object, "protocol") != NULL)
        g_string_append_printf (built, "%s://", sonde_json_get_string (object, "protocol"));
      if (host != NULL && JSON_NODE_HOLDS_ARRAY (host))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (host)); i++)
          {
            if (i > 0)
              g_string_append_c (built, '.');
            g_string_append (built, json_array_get_string_element (json_node_get_array (host), i));
          }
      else if (host != NULL && JSON_NODE_HOLDS_VALUE (host))
        g_string_append (built, json_node_get_string (host));
      if (sonde_json_get_string (object, "port") != NULL)
        g_string_append_printf (built, ":%s", sonde_json_get_string (object, "port"));
      if (path != NULL && JSON_NODE_HOLDS_ARRAY (path))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (path)); i++)
          {
            JsonNode *segment = json_array_get_element (json_node_get_array (path), i);

            g_string_append_c (built, '/');
            if (JSON_NODE_HOLDS_VALUE (segment))
              g_string_append (built, json_node_get_string (segment));
          }
      else if (path != NULL && JSON_NODE_HOLDS_VALUE (path))
        {
          if (json_node_get_string (path)[0] != '/')
            g_string_append_c (built, '/');
          g_string_append (built, json_node_get_string (path));
        }
      url = g_string_free (built, FALSE);
    }

  /* The query array holds the rows, disabled ones too: the URL keeps the rest. */
  if (query != NULL)
    {
      char *question = strchr (url, '?');

      if (question != NULL)
        {
          char *hash = strchr (question, '#');

          if (hash != NULL)
            memmove (question, hash, strlen (hash) + 1);
          else
            *question = '\0';
        }
      read_rows (query, sonde_request_get_params (request));
    }

  {
    g_autofree char *converted = convert_path_variables (ctx, where, url, sonde_json_get_array (object, "variable"), request);

    sonde_request_set_url (request, converted);
  }
}

/* Bodies */

/* A relative file name resolves against the imported file's folder. */
static char *
resolve_path (Context    *ctx,
              const char *where,
              const char *path)
{
  return sonde_import_outside_file (ctx->import, where, ctx->base_dir, path);
}

static void
read_body (Context      *ctx,
           const char   *where,
           JsonObject   *body_object,
           SondeRequest *request)
{
  SondeBody *body = sonde_request_get_body (request);
  const char *mode = sonde_json_get_string (body_object, "mode");

  if (body_object == NULL || mode == NULL)
    return;
  if (sonde_json_get_boolean (body_object, "disabled", FALSE))
    {
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where, _("its body is disabled: not imported"));
      return;
    }

  if (strcmp (mode, "raw") == 0)
    {
      JsonObject *options = sonde_json_get_object (sonde_json_get_object (body_object, "options"), "raw");
      const char *language = sonde_json_get_string (options, "language");
      g_autofree char *raw = member_text (body_object, "raw");

      if (raw == NULL || raw[0] == '\0')
        return;
      if (g_strcmp0 (language, "json") == 0)
        sonde_body_set_kind (body, SONDE_BODY_JSON);
      else if (g_strcmp0 (language, "xml") == 0)
        sonde_body_set_kind (body, SONDE_BODY_XML);
      else
        {
          sonde_body_set_kind (body, SONDE_BODY_TEXT);
          if (g_strcmp0 (language, "html") == 0)
            sonde_body_set_content_type (body, "text/html");
          else if (g_strcmp0 (language, "javascript") == 0)
            sonde_body_set_content_type (body, "application/javascript");
          else
            sonde_body_set_content_type (body, "text/plain");
        }
      sonde_body_set_text (body, raw);
    }
  else if (strcmp (mode, "urlencoded") == 0)
    {
      sonde_body_set_kind (body, SONDE_BODY_FORM);
      read_rows (sonde_json_get_array (body_object, "urlencoded"), sonde_body_get_fields (body));
    }
  else if (strcmp (mode, "formdata") == 0)
    {
      JsonArray *parts = sonde_json_get_array (body_object, "formdata");

      sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
      for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
        {
          JsonNode *node = json_array_get_element (parts, i);
          JsonObject *part_object;
          g_autoptr(SondeBodyPart) part = NULL;
          const char *key;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          part_object = json_node_get_object (node);
          key = sonde_json_get_string (part_object, "key") != NULL ? sonde_json_get_string (part_object, "key") : "";
          if (g_strcmp0 (sonde_json_get_string (part_object, "type"), "file") == 0)
            {
              JsonNode *src = json_object_get_member (part_object, "src");
              const char *path = NULL;

              if (src != NULL && JSON_NODE_HOLDS_VALUE (src))
                path = json_node_get_string (src);
              else if (src != NULL && JSON_NODE_HOLDS_ARRAY (src) && json_array_get_length (json_node_get_array (src)) > 0)
                {
                  path = json_array_get_string_element (json_node_get_array (src), 0);
                  if (json_array_get_length (json_node_get_array (src)) > 1)
                    sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                                       _("part “%s” names several files: only the first is sent"), key);
                }
              if (path == NULL || path[0] == '\0')
                {
                  sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                                     _("part “%s” names no file: choose one in the Body tab"), key);
                  path = "";
                }
              {
                g_autofree char *resolved = resolve_path (ctx, where, path);

                part = sonde_body_part_new_file (key, resolved);
              }
            }
          else
            {
              g_autofree char *value = member_text (part_object, "value");

              part = sonde_body_part_new_text (key, value != NULL ? value : "");
            }
          if (sonde_json_get_string (part_object, "contentType") != NULL)
            sonde_body_part_set_content_type (part, sonde_json_get_string (part_object, "contentType"));
          if (sonde_json_get_boolean (part_object, "disabled", FALSE))
            sonde_body_part_set_enabled (part, FALSE);
          g_list_store_append (sonde_body_get_parts (body), part);
        }
    }
  else if (strcmp (mode, "file") == 0)
    {
      const char *src = sonde_json_get_string (sonde_json_get_object (body_object, "file"), "src");

      g_autofree char *resolved = resolve_path (ctx, where, src != NULL ? src : "");

      sonde_body_set_kind (body, SONDE_BODY_FILE);
      sonde_body_set_file (body, resolved);
      if (src == NULL)
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                           _("its body file is not named: choose one in the Body tab"));
    }
  else if (strcmp (mode, "graphql") == 0)
    {
      JsonObject *graphql = sonde_json_get_object (body_object, "graphql");

      sonde_import_set_graphql_body (body, sonde_json_get_string (graphql, "query"),
                                     sonde_json_get_string (graphql, "variables"));
    }
  else
    sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                       _("its body mode “%s” is not known"), mode);
}

/* protocolProfileBehavior: Postman's redirect and TLS settings */
static void
read_options (Context             *ctx,
              JsonObject          *item,
              SondeRequestOptions *options)
{
  JsonObject *behavior = sonde_json_get_object (item, "protocolProfileBehavior");

  if (behavior != NULL)
    {
      if (json_object_has_member (behavior, "followRedirects"))
        sonde_request_options_set_follow_redirects (options, sonde_json_get_boolean (behavior, "followRedirects", TRUE));
      if (json_object_has_member (behavior, "maxRedirects"))
        sonde_request_options_set_max_redirects (options, (int) json_object_get_int_member (behavior, "maxRedirects"));
      if (json_object_has_member (behavior, "strictSSL"))
        sonde_request_options_set_verify_tls (options, sonde_json_get_boolean (behavior, "strictSSL", TRUE));
    }
}

/* The keys importers add, in one order whatever the input's: an import of an export writes
 * the same files as the first import. */
static void
order_extra (JsonObject *extra)
{
  static const char * const first[] = { "description", "variables", "scripts", "checks", "captures", NULL };
  g_autoptr(GList) members = json_object_get_members (extra);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; first[i] != NULL; i++)
    if (json_object_has_member (extra, first[i]))
      {
        g_ptr_array_add (names, g_strdup (first[i]));
        g_ptr_array_add (nodes, json_node_copy (json_object_get_member (extra, first[i])));
      }
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (first, l->data))
      {
        g_ptr_array_add (names, g_strdup (l->data));
        g_ptr_array_add (nodes, json_node_copy (json_object_get_member (extra, l->data)));
      }
  for (GList *l = members; l != NULL; l = l->next)
    json_object_remove_member (extra, l->data);
  for (guint i = 0; i < names->len; i++)
    json_object_set_member (extra, names->pdata[i], json_node_ref (nodes->pdata[i]));
}

/* The "sonde" member Sonde's own export writes: what Postman has no place for, as a request
 * file says it (docs/import-export.md). */
static void
apply_sonde_request (Context      *ctx,
                     const char   *where,
                     JsonObject   *sonde,
                     SondeRequest *request)
{
  static const struct { const char *key; SondeRequestParts part; } parts[] = {
    { "params", SONDE_REQUEST_PART_PARAMS }, { "headers", SONDE_REQUEST_PART_HEADERS },
    { "cookies", SONDE_REQUEST_PART_COOKIES }, { "body", SONDE_REQUEST_PART_BODY },
    { "auth", SONDE_REQUEST_PART_AUTH }, { "options", SONDE_REQUEST_PART_OPTIONS },
  };
  g_autoptr(JsonObject) wrapper = json_object_new ();
  g_autoptr(SondeRequest) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = json_object_get_members (sonde);
  SondeRequestParts which = 0;
  JsonObject *parsed_extra;

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (wrapper, l->data, json_node_copy (json_object_get_member (sonde, l->data)));
  parsed = sonde_request_from_json (wrapper, NULL, &error);
  if (parsed == NULL)
    {
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                         _("its Sonde settings could not be read: %s"), error->message);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (json_object_has_member (sonde, parts[i].key))
      which |= parts[i].part;
  sonde_request_assign_parts (request, parsed, which);

  /* Its other keys (checks, captures, variables, …) join the request's */
  parsed_extra = sonde_request_get_extra (parsed);
  if (parsed_extra != NULL)
    {
      JsonObject *extra = sonde_import_request_extra (request);
      g_autoptr(GList) keys = json_object_get_members (parsed_extra);

      for (GList *l = keys; l != NULL; l = l->next)
        json_object_set_member (extra, l->data, json_node_copy (json_object_get_member (parsed_extra, l->data)));
    }
}

/* The same for a folder: headers, options, auth, variables and other keys of its folder.json */
static void
apply_sonde_folder (Context           *ctx,
                    const char        *where,
                    JsonObject        *sonde,
                    SondeImportFolder *folder)
{
  g_autoptr(JsonObject) wrapper = json_object_new ();
  g_autoptr(SondeRequest) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = json_object_get_members (sonde);
  JsonObject *extra = sonde_import_folder_get_extra (folder);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (sonde, key);

      if (g_str_equal (key, "headers") || g_str_equal (key, "options") || g_str_equal (key, "auth"))
        json_object_set_member (wrapper, key, json_node_copy (value));
      else if (g_str_equal (key, "variables"))
        {
          GListStore *rows = sonde_import_folder_get_variables (folder);

          g_list_store_remove_all (rows);
          if (!sonde_variable_rows_read (sonde, "variables", NULL, rows, &error))
            {
              sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                                 _("its Sonde variables could not be read: %s"), error->message);
              g_clear_error (&error);
            }
        }
      else
        json_object_set_member (extra, key, json_node_copy (value));
    }

  parsed = sonde_request_from_json (wrapper, NULL, &error);
  if (parsed == NULL)
    {
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                         _("its Sonde settings could not be read: %s"), error->message);
      return;
    }
  if (json_object_has_member (sonde, "headers"))
    {
      g_autoptr(GListStore) copy = sonde_key_value_list_copy (G_LIST_MODEL (sonde_request_get_headers (parsed)));
      GListStore *headers = sonde_import_folder_get_headers (folder);

      g_list_store_remove_all (headers);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (copy)); i++)
        {
          g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (copy), i);

          g_list_store_append (headers, row);
        }
    }
  if (json_object_has_member (sonde, "options"))
    sonde_copy_properties (G_OBJECT (sonde_request_get_options (parsed)),
                           G_OBJECT (sonde_import_folder_get_options (folder)));
  if (json_object_has_member (sonde, "auth"))
    sonde_copy_properties (G_OBJECT (sonde_request_get_auth (parsed)),
                           G_OBJECT (sonde_import_folder_get_auth (folder)));
}

static SondeRequest *
read_request (Context    *ctx,
              JsonObject *item,
              const char *where)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  JsonNode *request_node = json_object_get_member (item, "request");
  JsonObject *object = NULL;
  JsonObject *extra;
  const char *name = sonde_json_get_string (item, "name");

  sonde_request_set_name (request, name != NULL ? name : "");

  if (request_node != NULL && JSON_NODE_HOLDS_VALUE (request_node))
    {
      /* "request": "https://…": a GET */
      sonde_request_set_url (request, json_node_get_string (request_node));
    }
  else if (request_node != NULL && JSON_NODE_HOLDS_OBJECT (request_node))
    {
      object = json_node_get_object (request_node);
      if (sonde_json_get_string (object, "method") != NULL)
        {
          g_autofree char *method = g_ascii_strup (sonde_json_get_string (object, "method"), -1);

          sonde_request_set_method (request, method);
        }
      read_url (ctx, where, json_object_get_member (object, "url"), request);
      if (json_object_has_member (object, "header") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "header")))
        {
          /* v2.0 also allows "Name: value\n…" */
          g_auto(GStrv) lines = g_strsplit (sonde_json_get_string (object, "header") ? sonde_json_get_string (object, "header") : "", "\n", -1);

          for (guint i = 0; lines[i] != NULL; i++)
            {
              char *colon = strchr (lines[i], ':');

              if (colon == NULL)
                continue;
              *colon = '\0';
              sonde_key_value_list_append (sonde_request_get_headers (request), g_strstrip (lines[i]),
                                           g_strstrip (colon + 1));
            }
        }
      else
        read_rows (sonde_json_get_array (object, "header"), sonde_request_get_headers (request));
      read_body (ctx, where, sonde_json_get_object (object, "body"), request);
      read_auth (ctx, where, sonde_json_get_object (object, "auth"), sonde_request_get_auth (request));
    }

  extra = sonde_import_request_extra (request);
  if (object != NULL)
    keep_description (extra, object);
  if (!json_object_has_member (extra, "description"))
    keep_description (extra, item);
  /* A file Sonde exported has its checks and captures in "sonde" already */
  read_events (ctx, where, sonde_json_get_array (item, "event"), extra, sonde_json_get_object (item, "sonde") == NULL);
  read_options (ctx, item, sonde_request_get_options (request));
  if (object != NULL)
    read_options (ctx, object, sonde_request_get_options (request));
  if (sonde_json_get_object (item, "sonde") != NULL)
    apply_sonde_request (ctx, where, sonde_json_get_object (item, "sonde"), request);
  extra = sonde_import_request_extra (request);
  order_extra (extra);
  if (sonde_json_get_array (item, "response") != NULL)
    ctx->examples += json_array_get_length (sonde_json_get_array (item, "response"));
  if (json_object_get_size (extra) == 0)
    sonde_request_set_extra (request, NULL);

  return g_steal_pointer (&request);
}

static char *
child_where (const char *parent,
             const char *name)
{
  if (parent == NULL || parent[0] == '\0')
    return g_strdup (name != NULL ? name : "");
  return g_strdup_printf ("%s/%s", parent, name != NULL ? name : "");
}

static void
read_items (Context           *ctx,
            JsonArray         *items,
            SondeImportFolder *folder,
            const char        *where)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *item;
      g_autofree char *item_where = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      item_where = child_where (where, sonde_json_get_string (item, "name"));

      if (json_object_has_member (item, "item"))
        {
          SondeImportFolder *child = sonde_import_add_folder (ctx->import, folder, sonde_json_get_string (item, "name"));
          JsonObject *extra = sonde_import_folder_get_extra (child);

          keep_description (extra, item);
          read_auth (ctx, item_where, sonde_json_get_object (item, "auth"), sonde_import_folder_get_auth (child));
          read_variables (ctx, sonde_json_get_array (item, "variable"), sonde_import_folder_get_variables (child), NULL);
          read_events (ctx, item_where, sonde_json_get_array (item, "event"), extra, FALSE);
          if (sonde_json_get_object (item, "sonde") != NULL)
            apply_sonde_folder (ctx, item_where, sonde_json_get_object (item, "sonde"), child);
          order_extra (extra);
          read_items (ctx, sonde_json_get_array (item, "item"), child, item_where);
        }
      else
        {
          g_autoptr(SondeRequest) request = read_request (ctx, item, item_where);

          sonde_import_add_request (ctx->import, folder, request);
        }
    }
}

/* {{$name}} Postman generates that Sonde does not */
static void
note_dynamic_variables (Context    *ctx,
                        const char *data)
{
  g_autoptr(GRegex) regex = g_regex_new ("\\{\\{\\s*\\$(\\w+)\\s*\\}\\}", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_regex_match (regex, data, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_autofree char *builtin = g_strconcat ("$", name, NULL);

      if (!sonde_variables_is_builtin (builtin) && !g_hash_table_contains (seen, name))
        {
          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                             _("{{$%s}} is one of Postman’s generated values that Sonde does not "
                               "have: define a variable of that name"), name);
          g_hash_table_add (seen, g_steal_pointer (&name));
        }
      g_match_info_next (match, NULL);
    }
}

static SondeImport *
read_environment (JsonObject  *root,
                  GError     **error)
{
  const char *name = sonde_json_get_string (root, "name");
  g_autoptr(SondeImport) import = sonde_import_new (name);
  Context ctx = { import, NULL, NULL, 0 };
  SondeEnvironment *environment = sonde_import_add_environment (import, name);

  ctx.secret_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  read_variables (&ctx, sonde_json_get_array (root, "values"), sonde_environment_get_variables (environment),
                  sonde_environment_get_name (environment));
  g_hash_table_unref (ctx.secret_names);
  return g_steal_pointer (&import);
}

SondeImport *
sonde_import_postman (const char  *data,
                      gsize        length,
                      GFile       *base_dir,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root_node;
  JsonObject *root;
  JsonObject *info;
  const char *schema;
  g_autoptr(SondeImport) import = NULL;
  Context ctx = { 0 };
  SondeImportFolder *folder;

  if (!sonde_json_parse_document (parser, data, length, error))
    return NULL;
  root_node = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("This is not a Postman collection: it is not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (root_node);

  if (sonde_json_get_array (root, "values") != NULL && sonde_json_get_object (root, "info") == NULL)
    return read_environment (root, error);

  info = sonde_json_get_object (root, "info");
  schema = sonde_json_get_string (info, "schema");
  if (info == NULL && sonde_json_get_array (root, "requests") != NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("This is a Postman Collection v1, which Sonde does not read: export it from "
                     "Postman again as v2.1"));
      return NULL;
    }
  if (info == NULL || sonde_json_get_array (root, "item") == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("This is not a Postman collection: it has no “info” and “item”"));
      return NULL;
    }
  if (schema != NULL && strstr (schema, "/v2.1.") == NULL && strstr (schema, "/v2.0.") == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("The collection’s schema “%s” is not one Sonde knows (Postman Collection "
                     "v2.0 and v2.1 are)"), schema);
      return NULL;
    }

  import = sonde_import_new (sonde_json_get_string (info, "name"));
  ctx.import = import;
  ctx.base_dir = base_dir;
  ctx.secret_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  folder = sonde_import_get_root (import);
  keep_description (sonde_import_folder_get_extra (folder), info);
  read_variables (&ctx, sonde_json_get_array (root, "variable"), sonde_import_folder_get_variables (folder), NULL);
  /* Translators: where a note of an import report applies: the collection itself */
  read_auth (&ctx, _("Collection"), sonde_json_get_object (root, "auth"), sonde_import_folder_get_auth (folder));
  read_events (&ctx, _("Collection"), sonde_json_get_array (root, "event"), sonde_import_folder_get_extra (folder), FALSE);
  if (sonde_json_get_object (root, "sonde") != NULL)
    apply_sonde_folder (&ctx, _("Collection"), sonde_json_get_object (root, "sonde"), folder);
  order_extra (sonde_import_folder_get_extra (folder));
  read_items (&ctx, sonde_json_get_array (root, "item"), folder, NULL);

  if (ctx.examples > 0)
    sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                       g_dngettext (GETTEXT_PACKAGE, "%u saved example response was not imported",
                                    "%u saved example responses were not imported", ctx.examples),
                       ctx.examples);
  note_dynamic_variables (&ctx, data);
  g_hash_table_unref (ctx.secret_names);
  return g_steal_pointer (&import);
}
