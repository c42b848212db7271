/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-import-insomnia"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-import.h"
#include "sonde-json-file.h"
#include "sonde-websocket.h"
#include "sonde-yaml.h"

/* Insomnia's v4 JSON export: a flat list of resources linked by parentId (workspace, request
 * groups, requests, environments), turned into a collection (docs/import-export.md). */

typedef struct
{
  SondeImport *import;
  GPtrArray   *resources;  /* JsonObject*, borrowed from the parser */
  gboolean     noted_syntax;
  gboolean     noted_tags;
} Context;

static double
sort_key (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "metaSortKey");

  /* v5 keeps it in "meta" */
  if (node == NULL && sonde_json_get_object (object, "meta") != NULL)
    node = json_object_get_member (sonde_json_get_object (object, "meta"), "sortKey");
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_STRING
         ? json_node_get_double (node) : 0;
}

/* "{{ _.name }}" → "{{name}}"; "{% tags %}" are kept as they are, with a note. */
static char *
convert_text (Context    *ctx,
              const char *text)
{
  g_autoptr(GRegex) variable = g_regex_new ("\\{\\{\\s*_\\.([\\w.\\-]+)\\s*\\}\\}", 0, 0, NULL);
  char *converted;

  if (text == NULL)
    return g_strdup ("");
  converted = g_regex_replace (variable, text, -1, 0, "{{\\1}}", 0, NULL);
  if (converted != NULL && strcmp (converted, text) != 0 && !ctx->noted_syntax)
    {
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, NULL,
                         _("Insomnia’s {{ _.name }} variables are written {{name}}"));
      ctx->noted_syntax = TRUE;
    }
  if (strstr (text, "{%") != NULL && !ctx->noted_tags)
    {
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                         _("Insomnia template tags ({%% … %%}) are kept as text but not run: "
                           "replace them with variables"));
      ctx->noted_tags = TRUE;
    }
  return converted != NULL ? converted : g_strdup (text);
}

static void
read_rows (Context    *ctx,
           JsonArray  *array,
           GListStore *rows)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *element = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      SondeKeyValue *kv;

      if (element == NULL || sonde_json_get_string (element, "name") == NULL)
        continue;
      name = convert_text (ctx, sonde_json_get_string (element, "name"));
      value = convert_text (ctx, sonde_json_get_string (element, "value"));
      kv = sonde_key_value_list_append (rows, name, value);
      if (sonde_json_get_boolean (element, "disabled", FALSE))
        sonde_key_value_set_enabled (kv, FALSE);
    }
}

/* Environment data: nested objects flattened to "a.b" names */
static void
flatten (Context    *ctx,
         JsonObject *data,
         const char *prefix,
         GListStore *rows,
         gboolean    secret,
         const char *environment,
         gboolean   *nested)
{
  g_autoptr(GList) members = data != NULL ? json_object_get_members (data) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (data, l->data);
      g_autofree char *name = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, (char *) l->data)
                                             : g_strdup (l->data);
      g_autofree char *value = NULL;
      SondeKeyValue *kv;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          *nested = TRUE;
          flatten (ctx, json_node_get_object (node), name, rows, secret, environment, nested);
          continue;
        }
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        value = convert_text (ctx, json_node_get_string (node));
      else if (JSON_NODE_HOLDS_NULL (node))
        value = g_strdup ("");
      else
        value = json_to_string (node, FALSE);

      if (secret)
        {
          kv = sonde_key_value_list_append (rows, name, "");
          sonde_variable_set_secret (kv, TRUE);
          sonde_import_add_secret (ctx->import, environment, name, value);
        }
      else
        sonde_key_value_list_append (rows, name, value);
    }
}

static void
read_environment (Context    *ctx,
                  JsonObject *resource,
                  GListStore *rows,
                  const char *environment)
{
  gboolean nested = FALSE;
  /* A private environment is not shared by Insomnia: its values go to the keyring */
  gboolean secret = sonde_json_get_boolean (resource, "isPrivate", FALSE);

  flatten (ctx, sonde_json_get_object (resource, "data"), NULL, rows, secret, environment, &nested);
  if (nested)
    sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, sonde_json_get_string (resource, "name"),
                       _("nested values became variables named with dots (a.b)"));
}

static void
read_auth (Context    *ctx,
           const char *where,
           JsonObject *auth,
           SondeAuth  *target)
{
  const char *type = sonde_json_get_string (auth, "type");
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;

  if (auth == NULL || type == NULL)
    {
      sonde_auth_set_kind (target, SONDE_AUTH_INHERIT);
      return;
    }
  if (sonde_json_get_boolean (auth, "disabled", FALSE) || strcmp (type, "none") == 0)
    {
      sonde_auth_set_kind (target, SONDE_AUTH_NONE);
      return;
    }
  user = convert_text (ctx, sonde_json_get_string (auth, "username"));
  password = convert_text (ctx, sonde_json_get_string (auth, "password"));
  if (strcmp (type, "basic") == 0 || strcmp (type, "digest") == 0 || strcmp (type, "ntlm") == 0)
    {
      /* Insomnia's NTLM user name holds the domain as Sonde's does: DOMAIN\user. */
      sonde_auth_set_kind (target, type[0] == 'b' ? SONDE_AUTH_BASIC :
                                   type[0] == 'd' ? SONDE_AUTH_DIGEST : SONDE_AUTH_NTLM);
      sonde_auth_set_username (target, user);
      sonde_auth_set_password (target, password);
    }
  else if (strcmp (type, "iam") == 0)
    {
      g_autofree char *access_key = convert_text (ctx, sonde_json_get_string (auth, "accessKeyId"));
      g_autofree char *secret_key = convert_text (ctx, sonde_json_get_string (auth, "secretAccessKey"));
      g_autofree char *session_token = convert_text (ctx, sonde_json_get_string (auth, "sessionToken"));
      g_autofree char *region = convert_text (ctx, sonde_json_get_string (auth, "region"));
      g_autofree char *service = convert_text (ctx, sonde_json_get_string (auth, "service"));

      sonde_auth_set_kind (target, SONDE_AUTH_AWS_SIGV4);
      sonde_auth_set_username (target, access_key);
      sonde_auth_set_password (target, secret_key);
      sonde_auth_set_token (target, session_token);
      sonde_auth_set_region (target, region);
      sonde_auth_set_service (target, service);
    }
  else if (strcmp (type, "bearer") == 0)
    {
      g_autofree char *token = convert_text (ctx, sonde_json_get_string (auth, "token"));
      const char *prefix = sonde_json_get_string (auth, "prefix");

      if (prefix != NULL && prefix[0] != '\0' && strcmp (prefix, "Bearer") != 0)
        {
          /* Another scheme than Bearer: an Authorization header says it */
          g_autofree char *value = g_strdup_printf ("%s %s", prefix, token);

          sonde_auth_set_kind (target, SONDE_AUTH_API_KEY);
          sonde_auth_set_key_name (target, "Authorization");
          sonde_auth_set_key_value (target, value);
          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                             _("its token with the prefix “%s” is sent as an Authorization header"), prefix);
        }
      else
        {
          sonde_auth_set_kind (target, SONDE_AUTH_BEARER);
          sonde_auth_set_token (target, token);
        }
    }
  else if (strcmp (type, "apikey") == 0)
    {
      g_autofree char *key = convert_text (ctx, sonde_json_get_string (auth, "key"));
      g_autofree char *value = convert_text (ctx, sonde_json_get_string (auth, "value"));

      sonde_auth_set_kind (target, SONDE_AUTH_API_KEY);
      sonde_auth_set_key_name (target, key);
      sonde_auth_set_key_value (target, value);
      sonde_auth_set_key_location (target, g_strcmp0 (sonde_json_get_string (auth, "addTo"), "queryParams") == 0
                                           ? SONDE_API_KEY_IN_QUERY : SONDE_API_KEY_IN_HEADER);
    }
  else if (strcmp (type, "oauth2") == 0 &&
           (g_strcmp0 (sonde_json_get_string (auth, "grantType"), "client_credentials") == 0 ||
            g_strcmp0 (sonde_json_get_string (auth, "grantType"), "password") == 0 ||
            g_strcmp0 (sonde_json_get_string (auth, "grantType"), "authorization_code") == 0))
    {
      static const struct {
        const char *key;
        SondeOAuthField field;
      } keys[] = {
        { "grantType", SONDE_OAUTH_GRANT },
        { "accessTokenUrl", SONDE_OAUTH_TOKEN_URL },
        { "authorizationUrl", SONDE_OAUTH_AUTH_URL },
        { "clientId", SONDE_OAUTH_CLIENT_ID },
        { "clientSecret", SONDE_OAUTH_CLIENT_SECRET },
        { "scope", SONDE_OAUTH_SCOPE },
        { "audience", SONDE_OAUTH_AUDIENCE },
      };

      sonde_auth_set_kind (target, SONDE_AUTH_OAUTH2);
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          g_autofree char *value = convert_text (ctx, sonde_json_get_string (auth, keys[i].key));

          sonde_auth_set_oauth (target, keys[i].field, value);
        }
      /* Insomnia sends the client's credentials as Basic unless told to put them in the body */
      sonde_auth_set_oauth (target, SONDE_OAUTH_CLIENT_AUTH,
                            sonde_json_get_boolean (auth, "credentialsInBody", FALSE) ? "body" : "basic");
      sonde_auth_set_username (target, user);
      sonde_auth_set_password (target, password);
      if (strcmp (sonde_json_get_string (auth, "grantType"), "authorization_code") == 0 &&
          !sonde_json_get_boolean (auth, "usePkce", FALSE))
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                           _("its OAuth 2.0 authorization code grant uses PKCE in Sonde"));
    }
  else
    {
      /* Kept as data, without what looks secret */
      g_autoptr(JsonObject) kept = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (auth);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *lower = g_ascii_strdown (l->data, -1);
          JsonNode *node = json_object_get_member (auth, l->data);

          if (strstr (lower, "secret") != NULL || strstr (lower, "password") != NULL ||
              strstr (lower, "token") != NULL)
            json_object_set_string_member (kept, l->data, "");
          else
            json_object_set_member (kept, l->data, json_node_copy (node));
        }
      sonde_auth_set_kind (target, SONDE_AUTH_NONE);
      sonde_auth_set_extra (target, kept);
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_KEPT, where,
                         _("%s auth is kept in the file, without its secrets, but Sonde cannot send "
                           "it yet"), type);
    }
}

static void
read_body (Context      *ctx,
           const char   *where,
           JsonObject   *body_object,
           SondeRequest *request)
{
  SondeBody *body = sonde_request_get_body (request);
  const char *mime = sonde_json_get_string (body_object, "mimeType");
  g_autofree char *text = NULL;

  if (body_object == NULL || (mime == NULL && sonde_json_get_string (body_object, "text") == NULL))
    return;
  mime = mime != NULL ? mime : "text/plain";
  text = convert_text (ctx, sonde_json_get_string (body_object, "text"));

  if (g_str_has_prefix (mime, "application/x-www-form-urlencoded"))
    {
      sonde_body_set_kind (body, SONDE_BODY_FORM);
      read_rows (ctx, sonde_json_get_array (body_object, "params"), sonde_body_get_fields (body));
    }
  else if (g_str_has_prefix (mime, "multipart/form-data"))
    {
      JsonArray *params = sonde_json_get_array (body_object, "params");

      sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
      for (guint i = 0; params != NULL && i < json_array_get_length (params); i++)
        {
          JsonObject *param = json_array_get_object_element (params, i);
          g_autoptr(SondeBodyPart) part = NULL;
          g_autofree char *name = convert_text (ctx, sonde_json_get_string (param, "name"));

          if (g_strcmp0 (sonde_json_get_string (param, "type"), "file") == 0)
            part = sonde_body_part_new_file (name, sonde_json_get_string (param, "fileName") ? sonde_json_get_string (param, "fileName") : "");
          else
            {
              g_autofree char *value = convert_text (ctx, sonde_json_get_string (param, "value"));

              part = sonde_body_part_new_text (name, value);
            }
          if (sonde_json_get_boolean (param, "disabled", FALSE))
            sonde_body_part_set_enabled (part, FALSE);
          g_list_store_append (sonde_body_get_parts (body), part);
        }
    }
  else if (sonde_json_get_string (body_object, "fileName") != NULL)
    {
      sonde_body_set_kind (body, SONDE_BODY_FILE);
      sonde_body_set_file (body, sonde_json_get_string (body_object, "fileName"));
      if (strcmp (mime, "application/octet-stream") != 0)
        sonde_body_set_content_type (body, mime);
    }
  else if (g_str_has_prefix (mime, "application/graphql"))
    {
      /* Insomnia keeps the JSON it sends: {"query", "variables", "operationName"} */
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *graphql = NULL;

      if (json_parser_load_from_data (parser, text, -1, NULL) && json_parser_get_root (parser) != NULL &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        graphql = json_node_get_object (json_parser_get_root (parser));
      if (graphql != NULL && sonde_json_get_string (graphql, "query") != NULL)
        {
          JsonNode *variables = json_object_get_member (graphql, "variables");
          g_autofree char *variables_text = variables != NULL && JSON_NODE_HOLDS_OBJECT (variables)
                                            ? json_to_string (variables, FALSE) : NULL;

          sonde_import_set_graphql_body (body, sonde_json_get_string (graphql, "query"), variables_text);
          sonde_body_set_operation_name (body, sonde_json_get_string (graphql, "operationName"));
        }
      else
        {
          sonde_body_set_kind (body, SONDE_BODY_JSON);
          sonde_body_set_text (body, text);
          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                             _("its GraphQL body is not the JSON Insomnia writes: it is sent as it is"));
        }
    }
  else
    {
      if (strstr (mime, "json") != NULL)
        sonde_body_set_kind (body, SONDE_BODY_JSON);
      else if (strstr (mime, "xml") != NULL)
        sonde_body_set_kind (body, SONDE_BODY_XML);
      else
        sonde_body_set_kind (body, SONDE_BODY_TEXT);
      sonde_body_set_text (body, text);
      if (g_strcmp0 (mime, sonde_body_kind_default_content_type (sonde_body_get_kind (body))) != 0)
        sonde_body_set_content_type (body, mime);
    }
}

static char *
child_where (const char *parent,
             const char *name)
{
  if (parent == NULL || parent[0] == '\0')
    return g_strdup (name != NULL ? name : "");
  return g_strdup_printf ("%s/%s", parent, name != NULL ? name : "");
}

/* v5 "scripts" ({"preRequest", "afterResponse"}): kept, never run */
static void
keep_scripts (Context    *ctx,
              const char *where,
              JsonObject *scripts,
              JsonObject *extra)
{
  const char *pre = sonde_json_get_string (scripts, "preRequest");
  const char *post = sonde_json_get_string (scripts, "afterResponse");
  JsonObject *kept;

  if ((pre == NULL || pre[0] == '\0') && (post == NULL || post[0] == '\0'))
    return;
  kept = json_object_new ();
  json_object_set_string_member (kept, "from", "insomnia");
  if (pre != NULL && pre[0] != '\0')
    json_object_set_string_member (kept, "preRequest", pre);
  if (post != NULL && post[0] != '\0')
    json_object_set_string_member (kept, "postResponse", post);
  json_object_set_object_member (extra, "scripts", kept);
  sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_KEPT, where,
                     _("its scripts are kept in the file, but Sonde does not run scripts"));
}

static SondeRequest *
read_request (Context    *ctx,
              JsonObject *resource,
              const char *where)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autofree char *url = convert_text (ctx, sonde_json_get_string (resource, "url"));
  const char *method = sonde_json_get_string (resource, "method");
  JsonObject *meta = sonde_json_get_object (resource, "meta");
  JsonObject *settings = sonde_json_get_object (resource, "settings");
  /* v4 writes them flat, v5 in "meta" and "settings" */
  const char *description = meta != NULL ? sonde_json_get_string (meta, "description")
                                         : sonde_json_get_string (resource, "description");
  const char *follow = settings != NULL ? sonde_json_get_string (settings, "followRedirects")
                                        : sonde_json_get_string (resource, "settingFollowRedirects");

  sonde_request_set_name (request, sonde_json_get_string (resource, "name") ? sonde_json_get_string (resource, "name") : "");
  if (method != NULL)
    {
      g_autofree char *upper = g_ascii_strup (method, -1);

      sonde_request_set_method (request, upper);
    }
  sonde_request_set_url (request, url);
  read_rows (ctx, sonde_json_get_array (resource, "parameters"), sonde_request_get_params (request));
  read_rows (ctx, sonde_json_get_array (resource, "headers"), sonde_request_get_headers (request));
  read_body (ctx, where, sonde_json_get_object (resource, "body"), request);
  read_auth (ctx, where, sonde_json_get_object (resource, "authentication"), sonde_request_get_auth (request));
  if (g_strcmp0 (follow, "off") == 0)
    sonde_request_options_set_follow_redirects (sonde_request_get_options (request), FALSE);
  else if (g_strcmp0 (follow, "on") == 0)
    sonde_request_options_mark_set (sonde_request_get_options (request), "followRedirects");
  if (sonde_json_get_boolean (resource, "settingRebuildPath", FALSE) == FALSE && json_object_has_member (resource, "settingRebuildPath"))
    sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                       _("Insomnia’s “rebuild path” setting has no equal in Sonde"));
  if (description != NULL && description[0] != '\0')
    json_object_set_string_member (sonde_import_request_extra (request), "description", description);
  keep_scripts (ctx, where, sonde_json_get_object (resource, "scripts"), sonde_import_request_extra (request));
  if (json_object_get_size (sonde_import_request_extra (request)) == 0)
    sonde_request_set_extra (request, NULL);
  return g_steal_pointer (&request);
}

static int
compare_resources (gconstpointer a,
                   gconstpointer b)
{
  double ka = sort_key (*(JsonObject **) a);
  double kb = sort_key (*(JsonObject **) b);

  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/* The children of PARENT_ID, by metaSortKey */
static GPtrArray *
children_of (Context    *ctx,
             const char *parent_id,
             const char *type)
{
  GPtrArray *children = g_ptr_array_new ();

  for (guint i = 0; i < ctx->resources->len; i++)
    {
      JsonObject *resource = ctx->resources->pdata[i];

      if (g_strcmp0 (sonde_json_get_string (resource, "parentId"), parent_id) == 0 &&
          (type == NULL || g_strcmp0 (sonde_json_get_string (resource, "_type"), type) == 0))
        g_ptr_array_add (children, resource);
    }
  g_ptr_array_sort (children, compare_resources);
  return children;
}

/* A WebSocket request: its URL, headers, parameters and auth as a request's, and its saved
 * payloads ("websocket_payload" children: "value", "mode") as messages (sonde-websocket.h). */
static SondeRequest *
read_websocket_request (Context    *ctx,
                        JsonObject *resource,
                        const char *where)
{
  g_autoptr(SondeRequest) request = read_request (ctx, resource, where);
  g_autoptr(GPtrArray) payloads = children_of (ctx, sonde_json_get_string (resource, "_id"), "websocket_payload");
  g_autoptr(JsonObject) extra = NULL;

  sonde_request_set_method (request, "GET");
  sonde_request_set_websocket (request, TRUE);
  if (payloads->len == 0)
    return g_steal_pointer (&request);

  extra = sonde_json_object_copy_except (sonde_request_get_extra (request), NULL);
  {
    JsonArray *messages = json_array_new ();

    for (guint i = 0; i < payloads->len; i++)
      {
        JsonObject *payload = payloads->pdata[i];
        g_autofree char *value = convert_text (ctx, sonde_json_get_string (payload, "value"));
        const char *mode = sonde_json_get_string (payload, "mode");
        JsonObject *message = json_object_new ();

        json_object_set_string_member (message, "type", mode != NULL && strstr (mode, "json") != NULL ? "json" : "text");
        json_object_set_string_member (message, "text", value != NULL ? value : "");
        json_array_add_object_element (messages, message);
      }
    json_object_set_array_member (extra, "messages", messages);
  }
  sonde_request_set_extra (request, extra);
  return g_steal_pointer (&request);
}

static void
read_children (Context           *ctx,
               const char        *parent_id,
               SondeImportFolder *folder,
               const char        *where,
               guint              depth)
{
  g_autoptr(GPtrArray) children = children_of (ctx, parent_id, NULL);

  /* parentId links are data: a loop must not recurse for ever */
  if (depth > 64)
    {
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where, _("folders nested deeper than 64 were left out"));
      return;
    }
  for (guint i = 0; i < children->len; i++)
    {
      JsonObject *resource = children->pdata[i];
      const char *type = sonde_json_get_string (resource, "_type");
      g_autofree char *item_where = child_where (where, sonde_json_get_string (resource, "name"));

      if (g_strcmp0 (type, "request_group") == 0)
        {
          SondeImportFolder *child = sonde_import_add_folder (ctx->import, folder, sonde_json_get_string (resource, "name"));
          const char *description = sonde_json_get_string (resource, "description");
          gboolean nested = FALSE;

          if (description != NULL && description[0] != '\0')
            json_object_set_string_member (sonde_import_folder_get_extra (child), "description", description);
          flatten (ctx, sonde_json_get_object (resource, "environment"), NULL, sonde_import_folder_get_variables (child),
                   FALSE, NULL, &nested);
          read_rows (ctx, sonde_json_get_array (resource, "headers"), sonde_import_folder_get_headers (child));
          read_auth (ctx, item_where, sonde_json_get_object (resource, "authentication"), sonde_import_folder_get_auth (child));
          read_children (ctx, sonde_json_get_string (resource, "_id"), child, item_where, depth + 1);
        }
      else if (g_strcmp0 (type, "request") == 0)
        {
          g_autoptr(SondeRequest) request = read_request (ctx, resource, item_where);

          sonde_import_add_request (ctx->import, folder, request);
        }
      else if (g_strcmp0 (type, "websocket_request") == 0)
        {
          g_autoptr(SondeRequest) request = read_websocket_request (ctx, resource, item_where);

          sonde_import_add_request (ctx->import, folder, request);
        }
      else if (g_strcmp0 (type, "grpc_request") == 0)
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, item_where,
                           _("a %s is not a kind of request Sonde has yet"), type);
    }
}

static void
read_workspace (Context           *ctx,
                JsonObject        *workspace,
                SondeImportFolder *folder)
{
  const char *id = sonde_json_get_string (workspace, "_id");
  g_autoptr(GPtrArray) environments = children_of (ctx, id, "environment");
  g_autoptr(GPtrArray) jars = children_of (ctx, id, "cookie_jar");

  if (sonde_json_get_string (workspace, "description") != NULL && sonde_json_get_string (workspace, "description")[0] != '\0')
    json_object_set_string_member (sonde_import_folder_get_extra (folder), "description",
                                   sonde_json_get_string (workspace, "description"));
  /* The base environment: the collection's (or folder's) variables; its children: environments */
  for (guint i = 0; i < environments->len; i++)
    {
      JsonObject *base = environments->pdata[i];
      g_autoptr(GPtrArray) subs = children_of (ctx, sonde_json_get_string (base, "_id"), "environment");

      read_environment (ctx, base, sonde_import_folder_get_variables (folder), NULL);
      for (guint j = 0; j < subs->len; j++)
        {
          SondeEnvironment *environment = sonde_import_add_environment (ctx->import, sonde_json_get_string (subs->pdata[j], "name"));

          read_environment (ctx, subs->pdata[j], sonde_environment_get_variables (environment),
                            sonde_environment_get_name (environment));
        }
    }
  if (jars->len > 0)
    sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                       _("cookie jars were not imported: Sonde keeps cookies on each computer"));
  read_children (ctx, id, folder, NULL, 0);
}

/* v5 (YAML): the tree is nested ("collection", "children") instead of linked by parentId */
static void
read_v5_items (Context           *ctx,
               JsonArray         *items,
               SondeImportFolder *folder,
               const char        *where,
               guint              depth)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  if (depth > 64)
    {
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where, _("folders nested deeper than 64 were left out"));
      return;
    }
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (items, i)))
      g_ptr_array_add (sorted, json_array_get_object_element (items, i));
  g_ptr_array_sort (sorted, compare_resources);

  for (guint i = 0; i < sorted->len; i++)
    {
      JsonObject *item = sorted->pdata[i];
      g_autofree char *item_where = child_where (where, sonde_json_get_string (item, "name"));

      if (json_object_has_member (item, "children") || !json_object_has_member (item, "url"))
        {
          SondeImportFolder *child = sonde_import_add_folder (ctx->import, folder, sonde_json_get_string (item, "name"));
          JsonObject *extra = sonde_import_folder_get_extra (child);
          const char *description = sonde_json_get_string (sonde_json_get_object (item, "meta"), "description");
          gboolean nested = FALSE;

          if (description != NULL && description[0] != '\0')
            json_object_set_string_member (extra, "description", description);
          flatten (ctx, sonde_json_get_object (item, "environment"), NULL, sonde_import_folder_get_variables (child),
                   FALSE, NULL, &nested);
          read_rows (ctx, sonde_json_get_array (item, "headers"), sonde_import_folder_get_headers (child));
          read_auth (ctx, item_where, sonde_json_get_object (item, "authentication"), sonde_import_folder_get_auth (child));
          keep_scripts (ctx, item_where, sonde_json_get_object (item, "scripts"), extra);
          read_v5_items (ctx, sonde_json_get_array (item, "children"), child, item_where, depth + 1);
        }
      else
        {
          g_autoptr(SondeRequest) request = read_request (ctx, item, item_where);

          sonde_import_add_request (ctx->import, folder, request);
        }
    }
}

static SondeImport *
read_v5 (JsonObject  *root,
         GError     **error)
{
  g_autoptr(SondeImport) import = sonde_import_new (sonde_json_get_string (root, "name"));
  Context ctx = { 0 };
  JsonObject *environments = sonde_json_get_object (root, "environments");
  JsonArray *subs = sonde_json_get_array (environments, "subEnvironments");
  const char *description = sonde_json_get_string (sonde_json_get_object (root, "meta"), "description");

  ctx.import = import;
  if (description != NULL && description[0] != '\0')
    json_object_set_string_member (sonde_import_folder_get_extra (sonde_import_get_root (import)), "description",
                                   description);
  if (environments != NULL)
    {
      /* "isPrivate" moved into "meta" in v5 */
      g_autoptr(JsonObject) base = json_object_ref (environments);

      if (sonde_json_get_boolean (sonde_json_get_object (environments, "meta"), "isPrivate", FALSE))
        json_object_set_boolean_member (base, "isPrivate", TRUE);
      read_environment (&ctx, base, sonde_import_folder_get_variables (sonde_import_get_root (import)), NULL);
    }
  for (guint i = 0; subs != NULL && i < json_array_get_length (subs); i++)
    {
      JsonObject *sub = JSON_NODE_HOLDS_OBJECT (json_array_get_element (subs, i)) ? json_array_get_object_element (subs, i) : NULL;
      SondeEnvironment *environment;

      if (sub == NULL)
        continue;
      if (sonde_json_get_boolean (sonde_json_get_object (sub, "meta"), "isPrivate", FALSE))
        json_object_set_boolean_member (sub, "isPrivate", TRUE);
      environment = sonde_import_add_environment (import, sonde_json_get_string (sub, "name"));
      read_environment (&ctx, sub, sonde_environment_get_variables (environment), sonde_environment_get_name (environment));
    }
  if (json_object_has_member (root, "cookieJar"))
    sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                       _("cookie jars were not imported: Sonde keeps cookies on each computer"));
  if (json_object_has_member (root, "spec"))
    sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                       _("the design document’s API description was not imported: import it as OpenAPI"));
  read_v5_items (&ctx, sonde_json_get_array (root, "collection"), sonde_import_get_root (import), NULL, 0);
  return g_steal_pointer (&import);
}

SondeImport *
sonde_import_insomnia (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(GPtrArray) resources = g_ptr_array_new ();
  g_autoptr(GPtrArray) workspaces = g_ptr_array_new ();
  Context ctx = { 0 };
  JsonNode *root;
  JsonObject *object;
  JsonArray *array;
  JsonNode *format;
  const char *p;

  for (p = data; g_ascii_isspace (*p); p++)
    ;
  if (*p != '{')
    {
      /* v5: YAML */
      g_autoptr(JsonNode) yaml = sonde_yaml_to_json (data, length, error);
      const char *type;

      if (yaml == NULL)
        return NULL;
      object = JSON_NODE_HOLDS_OBJECT (yaml) ? json_node_get_object (yaml) : NULL;
      type = sonde_json_get_string (object, "type");
      if (type == NULL || !g_str_has_suffix (type, ".insomnia.rest/5.0"))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("This is not an Insomnia v5 export: its “type” is not “collection.insomnia.rest/5.0”"));
          return NULL;
        }
      return read_v5 (object, error);
    }

  if (!sonde_json_parse_document (parser, data, length, error))
    return NULL;
  root = json_parser_get_root (parser);
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  array = sonde_json_get_array (object, "resources");
  if (object == NULL || array == NULL || g_strcmp0 (sonde_json_get_string (object, "_type"), "export") != 0)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("This is not an Insomnia export: it has no “resources”"));
      return NULL;
    }
  format = json_object_get_member (object, "__export_format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) || json_node_get_int (format) != 4)
    {
      g_autofree char *shown = format != NULL ? json_to_string (format, FALSE) : g_strdup ("?");

      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("Insomnia export format %s is not one Sonde reads (4 is)"), shown);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      g_ptr_array_add (resources, json_node_get_object (node));
      if (g_strcmp0 (sonde_json_get_string (json_node_get_object (node), "_type"), "workspace") == 0)
        g_ptr_array_add (workspaces, json_node_get_object (node));
    }
  if (workspaces->len == 0)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("The Insomnia export has no workspace"));
      return NULL;
    }

  /* One workspace is the collection; several are a folder each */
  import = sonde_import_new (workspaces->len == 1 ? sonde_json_get_string (workspaces->pdata[0], "name") : NULL);
  ctx.import = import;
  ctx.resources = resources;
  if (workspaces->len == 1)
    read_workspace (&ctx, workspaces->pdata[0], sonde_import_get_root (import));
  else
    for (guint i = 0; i < workspaces->len; i++)
      {
        SondeImportFolder *folder = sonde_import_add_folder (import, sonde_import_get_root (import),
                                                             sonde_json_get_string (workspaces->pdata[i], "name"));

        read_workspace (&ctx, workspaces->pdata[i], folder);
      }

  return g_steal_pointer (&import);
}
