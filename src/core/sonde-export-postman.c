/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-export-postman"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-collection-private.h"
#include "sonde-environment.h"
#include "sonde-error.h"
#include "sonde-export.h"
#include "sonde-json-file.h"
#include "sonde-request-json.h"

/* A collection as one Postman Collection v2.1 file (docs/import-export.md). What Postman has a
 * place for is written in Postman's own members; the rest (options, cookies, checks,
 * captures, folder headers, request variables, anything unknown) goes in a "sonde" member of
 * the item, which Postman ignores and Sonde's importer reads back, so that importing the
 * export gives the same collection. Secret values are never written. */

#define POSTMAN_SCHEMA "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"

/* Whether every member of OBJECT is one of ALLOWED. */
static gboolean
only_members (JsonObject         *object,
              const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return FALSE;
  return TRUE;
}

/* Rows of a Sonde file: [{"name", "value", "enabled"}] with nothing else. */
static gboolean
rows_are_plain (JsonArray *rows)
{
  static const char * const plain[] = { "name", "value", "enabled", NULL };

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);

      if (!JSON_NODE_HOLDS_OBJECT (node) || !only_members (json_node_get_object (node), plain))
        return FALSE;
      if (json_object_has_member (json_node_get_object (node), "value") &&
          !JSON_NODE_HOLDS_VALUE (json_object_get_member (json_node_get_object (node), "value")))
        return FALSE;
    }
  return TRUE;
}

/* Sonde rows → Postman's [{"key", "value", "disabled"}]; secret variables ("secret": true)
 * with type "secret" and no value */
static JsonArray *
postman_rows (JsonArray *rows)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *element = json_object_new ();
      JsonNode *value = json_object_get_member (row, "value");
      const char *name = sonde_json_get_string (row, "name");

      json_object_set_string_member (element, "key", name != NULL ? name : "");
      if (sonde_json_get_boolean (row, "secret", FALSE))
        {
          json_object_set_string_member (element, "value", "");
          json_object_set_string_member (element, "type", "secret");
        }
      else if (value != NULL)
        json_object_set_member (element, "value", json_node_copy (value));
      else
        json_object_set_string_member (element, "value", "");
      if (!sonde_json_get_boolean (row, "enabled", TRUE))
        json_object_set_boolean_member (element, "disabled", TRUE);
      json_array_add_object_element (out, element);
    }
  return out;
}

static void
add_attribute (JsonArray  *attributes,
               const char *key,
               const char *value)
{
  JsonObject *attribute = json_object_new ();

  json_object_set_string_member (attribute, "key", key);
  json_object_set_string_member (attribute, "value", value != NULL ? value : "");
  json_object_set_string_member (attribute, "type", "string");
  json_array_add_object_element (attributes, attribute);
}

/* Sonde "auth" → Postman's, or NULL when Postman cannot say it exactly. */
static JsonObject *
postman_auth (JsonObject *auth)
{
  static const char * const basic[] = { "type", "username", "password", NULL };
  static const char * const bearer[] = { "type", "token", NULL };
  static const char * const api_key[] = { "type", "name", "value", "in", NULL };
  static const char * const none[] = { "type", NULL };
  static const char * const aws[] = { "type", "accessKey", "secretKey", "sessionToken", "region", "service", NULL };
  const char *type = sonde_json_get_string (auth, "type");
  JsonObject *out;
  JsonArray *attributes;

  if (type == NULL)
    return NULL;
  out = json_object_new ();
  attributes = json_array_new ();

  if ((strcmp (type, "basic") == 0 || strcmp (type, "digest") == 0) && only_members (auth, basic))
    {
      add_attribute (attributes, "username", sonde_json_get_string (auth, "username"));
      add_attribute (attributes, "password", sonde_json_get_string (auth, "password"));
    }
  else if (strcmp (type, "ntlm") == 0 && only_members (auth, basic))
    {
      /* Postman keeps the domain apart: DOMAIN\user is split. */
      const char *user = sonde_json_get_string (auth, "username");
      const char *slash = user != NULL ? strchr (user, '\\') : NULL;
      g_autofree char *domain = slash != NULL ? g_strndup (user, slash - user) : NULL;

      add_attribute (attributes, "username", slash != NULL ? slash + 1 : user);
      add_attribute (attributes, "password", sonde_json_get_string (auth, "password"));
      if (domain != NULL)
        add_attribute (attributes, "domain", domain);
    }
  else if (strcmp (type, "awsSigV4") == 0 && only_members (auth, aws))
    {
      add_attribute (attributes, "accessKey", sonde_json_get_string (auth, "accessKey"));
      add_attribute (attributes, "secretKey", sonde_json_get_string (auth, "secretKey"));
      if (json_object_has_member (auth, "sessionToken"))
        add_attribute (attributes, "sessionToken", sonde_json_get_string (auth, "sessionToken"));
      add_attribute (attributes, "region", sonde_json_get_string (auth, "region"));
      add_attribute (attributes, "service", sonde_json_get_string (auth, "service"));
      type = "awsv4";
    }
  else if (strcmp (type, "oauth2") == 0)
    {
      static const struct { const char *sonde; const char *postman; } keys[] = {
        { "tokenUrl", "accessTokenUrl" }, { "authUrl", "authUrl" }, { "clientId", "clientId" },
        { "clientSecret", "clientSecret" }, { "scope", "scope" }, { "audience", "audience" },
        { "username", "username" }, { "password", "password" },
      };
      const char *grant = sonde_json_get_string (auth, "grant");

      add_attribute (attributes, "grant_type",
                     g_strcmp0 (grant, "password") == 0 ? "password_credentials"
                     : g_strcmp0 (grant, "authorization_code") == 0 ? "authorization_code_with_pkce"
                     : "client_credentials");
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (sonde_json_get_string (auth, keys[i].sonde) != NULL)
          add_attribute (attributes, keys[i].postman, sonde_json_get_string (auth, keys[i].sonde));
      add_attribute (attributes, "client_authentication",
                     g_strcmp0 (sonde_json_get_string (auth, "clientAuth"), "body") == 0 ? "body" : "header");
      if (sonde_json_get_string (auth, "tokenQuery") != NULL && sonde_json_get_string (auth, "tokenQuery")[0] != '\0')
        add_attribute (attributes, "addTokenTo", "queryParams");
      if (sonde_json_get_string (auth, "extraParams") != NULL && sonde_json_get_string (auth, "extraParams")[0] != '\0')
        {
          g_auto(GStrv) pairs = sonde_oauth_parse_params (sonde_json_get_string (auth, "extraParams"));
          JsonArray *params = json_array_new ();
          JsonObject *attribute = json_object_new ();

          for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
            {
              JsonObject *param = json_object_new ();

              json_object_set_string_member (param, "key", pairs[i]);
              json_object_set_string_member (param, "value", pairs[i + 1]);
              json_object_set_boolean_member (param, "enabled", TRUE);
              json_object_set_string_member (param, "send_as", "request_body");
              json_array_add_object_element (params, param);
            }
          json_object_set_string_member (attribute, "key", "tokenRequestParams");
          json_object_set_array_member (attribute, "value", params);
          json_object_set_string_member (attribute, "type", "any");
          json_array_add_object_element (attributes, attribute);
        }
    }
  else if (strcmp (type, "bearer") == 0 && only_members (auth, bearer))
    add_attribute (attributes, "token", sonde_json_get_string (auth, "token"));
  else if (strcmp (type, "apiKey") == 0 && only_members (auth, api_key))
    {
      add_attribute (attributes, "key", sonde_json_get_string (auth, "name"));
      add_attribute (attributes, "value", sonde_json_get_string (auth, "value"));
      add_attribute (attributes, "in", sonde_json_get_string (auth, "in") ? sonde_json_get_string (auth, "in") : "header");
      type = "apikey";
    }
  else if (strcmp (type, "none") == 0 && only_members (auth, none))
    {
      json_array_unref (attributes);
      json_object_set_string_member (out, "type", "noauth");
      return out;
    }
  else if (json_object_get_size (auth) == 2 && json_object_has_member (auth, type) &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (auth, type)))
    {
      /* An auth type Sonde kept from Postman: back to its attribute list */
      JsonObject *kept = json_object_get_object_member (auth, type);
      g_autoptr(GList) members = json_object_get_members (kept);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonObject *attribute = json_object_new ();

          json_object_set_string_member (attribute, "key", l->data);
          json_object_set_member (attribute, "value", json_node_copy (json_object_get_member (kept, l->data)));
          json_array_add_object_element (attributes, attribute);
        }
    }
  else
    {
      json_array_unref (attributes);
      json_object_unref (out);
      return NULL;
    }

  json_object_set_string_member (out, "type", type);
  json_object_set_array_member (out, type, attributes);
  return out;
}

/* Postman reads file names from its own working folder: written absolute. */
static char *
absolute (GFile      *base,
          const char *path)
{
  g_autoptr(GFile) file = NULL;

  if (g_path_is_absolute (path) || base == NULL)
    return g_strdup (path);
  file = g_file_resolve_relative_path (base, path);
  return g_file_get_path (file);
}

/* Sonde "body" → Postman's, or NULL when Postman cannot say it exactly. BASE resolves
 * relative file names (Postman's are relative to its working folder: absolute is safer). */
static JsonObject *
postman_body (JsonObject *body,
              GFile      *base)
{
  static const char * const text_only[] = { "type", "text", NULL };
  static const char * const typed_text[] = { "type", "text", "contentType", NULL };
  static const char * const form[] = { "type", "fields", NULL };
  static const char * const multipart[] = { "type", "parts", NULL };
  static const char * const text_part[] = { "name", "value", "enabled", NULL };
  static const char * const file_part[] = { "name", "file", "contentType", "enabled", NULL };
  static const char * const file_body[] = { "type", "file", NULL };
  static const char * const graphql[] = { "type", "query", "variables", NULL };
  const char *type = sonde_json_get_string (body, "type");
  JsonObject *out = json_object_new ();

  if (g_strcmp0 (type, "graphql") == 0 && only_members (body, graphql))
    {
      /* Postman keeps the variables as text */
      JsonObject *graphql_object = json_object_new ();
      JsonNode *variables = json_object_get_member (body, "variables");
      const char *query = sonde_json_get_string (body, "query");

      json_object_set_string_member (graphql_object, "query", query != NULL ? query : "");
      if (variables != NULL && JSON_NODE_HOLDS_OBJECT (variables))
        {
          g_autofree char *text = sonde_json_pretty_print (variables);

          json_object_set_string_member (graphql_object, "variables", text);
        }
      else if (sonde_json_get_string (body, "variables") != NULL)
        json_object_set_string_member (graphql_object, "variables", sonde_json_get_string (body, "variables"));
      json_object_set_string_member (out, "mode", "graphql");
      json_object_set_object_member (out, "graphql", graphql_object);
      return out;
    }

  if ((g_strcmp0 (type, "json") == 0 || g_strcmp0 (type, "xml") == 0) && only_members (body, text_only))
    {
      JsonObject *options = json_object_new ();
      JsonObject *raw = json_object_new ();

      json_object_set_string_member (out, "mode", "raw");
      json_object_set_string_member (out, "raw", sonde_json_get_string (body, "text") ? sonde_json_get_string (body, "text") : "");
      json_object_set_string_member (raw, "language", type);
      json_object_set_object_member (options, "raw", raw);
      json_object_set_object_member (out, "options", options);
      return out;
    }
  if (g_strcmp0 (type, "text") == 0 && only_members (body, typed_text))
    {
      const char *content_type = sonde_json_get_string (body, "contentType");
      const char *language = g_strcmp0 (content_type, "text/plain") == 0 ? "text"
                           : g_strcmp0 (content_type, "text/html") == 0 ? "html"
                           : g_strcmp0 (content_type, "application/javascript") == 0 ? "javascript" : NULL;

      if (language != NULL)
        {
          JsonObject *options = json_object_new ();
          JsonObject *raw = json_object_new ();

          json_object_set_string_member (out, "mode", "raw");
          json_object_set_string_member (out, "raw", sonde_json_get_string (body, "text") ? sonde_json_get_string (body, "text") : "");
          json_object_set_string_member (raw, "language", language);
          json_object_set_object_member (options, "raw", raw);
          json_object_set_object_member (out, "options", options);
          return out;
        }
    }
  if (g_strcmp0 (type, "form") == 0 && only_members (body, form) &&
      rows_are_plain (json_object_get_array_member (body, "fields")))
    {
      json_object_set_string_member (out, "mode", "urlencoded");
      json_object_set_array_member (out, "urlencoded", postman_rows (json_object_get_array_member (body, "fields")));
      return out;
    }
  if (g_strcmp0 (type, "multipart") == 0 && only_members (body, multipart))
    {
      JsonArray *parts = json_object_get_array_member (body, "parts");
      JsonArray *formdata = json_array_new ();
      gboolean plain = TRUE;

      for (guint i = 0; plain && i < json_array_get_length (parts); i++)
        {
          JsonObject *part = json_array_get_object_element (parts, i);
          JsonObject *element;
          const char *file = sonde_json_get_string (part, "file");

          if (file != NULL ? !only_members (part, file_part)
                           : !only_members (part, text_part) || sonde_json_get_string (part, "value") == NULL)
            {
              plain = FALSE;
              break;
            }
          element = json_object_new ();
          json_object_set_string_member (element, "key", sonde_json_get_string (part, "name") ? sonde_json_get_string (part, "name") : "");
          if (file != NULL)
            {
              g_autofree char *path = absolute (base, file);

              json_object_set_string_member (element, "type", "file");
              json_object_set_string_member (element, "src", path);
              if (sonde_json_get_string (part, "contentType") != NULL)
                json_object_set_string_member (element, "contentType", sonde_json_get_string (part, "contentType"));
            }
          else
            {
              json_object_set_string_member (element, "value", sonde_json_get_string (part, "value"));
              json_object_set_string_member (element, "type", "text");
            }
          if (json_object_has_member (part, "enabled") && !json_object_get_boolean_member (part, "enabled"))
            json_object_set_boolean_member (element, "disabled", TRUE);
          json_array_add_object_element (formdata, element);
        }
      if (plain)
        {
          json_object_set_string_member (out, "mode", "formdata");
          json_object_set_array_member (out, "formdata", formdata);
          return out;
        }
      json_array_unref (formdata);
    }
  if (g_strcmp0 (type, "file") == 0 && only_members (body, file_body) && sonde_json_get_string (body, "file") != NULL)
    {
      JsonObject *file = json_object_new ();
      g_autofree char *path = absolute (base, sonde_json_get_string (body, "file"));

      json_object_set_string_member (file, "src", path);
      json_object_set_string_member (out, "mode", "file");
      json_object_set_object_member (out, "file", file);
      return out;
    }

  json_object_unref (out);
  return NULL;
}

static void
add_events (JsonObject *item,
            JsonObject *scripts)
{
  JsonArray *events = json_array_new ();
  static const struct { const char *key; const char *listen; } kinds[] = {
    { "preRequest", "prerequest" }, { "postResponse", "test" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *text = sonde_json_get_string (scripts, kinds[i].key);
      JsonObject *event;
      JsonObject *script;
      JsonArray *exec;
      g_auto(GStrv) lines = NULL;

      if (text == NULL)
        continue;
      event = json_object_new ();
      script = json_object_new ();
      exec = json_array_new ();
      lines = g_strsplit (text, "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        json_array_add_string_element (exec, lines[j]);
      json_object_set_string_member (event, "listen", kinds[i].listen);
      json_object_set_string_member (script, "type", "text/javascript");
      json_object_set_array_member (script, "exec", exec);
      json_object_set_object_member (event, "script", script);
      json_array_add_object_element (events, event);
    }
  json_object_set_array_member (item, "event", events);
}

/* Moves what Postman says natively out of SETTINGS (a file's JSON object) into ITEM (and
 * REQUEST for a request); what is left goes to ITEM's "sonde" member. */
static void
export_common (JsonObject *settings,
               JsonObject *item,
               JsonObject *description_holder)
{
  static const char * const script_keys[] = { "from", "preRequest", "postResponse", NULL };
  JsonNode *node;

  if ((node = json_object_get_member (settings, "description")) != NULL &&
      JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      json_object_set_string_member (description_holder, "description", json_node_get_string (node));
      json_object_remove_member (settings, "description");
    }
  if ((node = json_object_get_member (settings, "scripts")) != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      g_strcmp0 (sonde_json_get_string (json_node_get_object (node), "from"), "postman") == 0 &&
      only_members (json_node_get_object (node), script_keys))
    {
      add_events (item, json_node_get_object (node));
      json_object_remove_member (settings, "scripts");
    }
}

static void
set_sonde_member (JsonObject *item,
                  JsonObject *rest)
{
  json_object_set_object_member (item, "sonde", json_object_ref (rest));
}

static JsonObject *export_folder (SondeCollection     *collection,
                                  SondeCollectionNode *folder,
                                  GError             **error);

static JsonObject *
export_request (SondeCollection     *collection,
                SondeCollectionNode *node,
                GError             **error)
{
  SondeRequest *request = sonde_collection_node_get_request (node);
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *item;
  JsonObject *postman = json_object_new ();
  JsonObject *url = json_object_new ();
  JsonNode *member;
  const char *raw;

  if (request == NULL)
    {
      g_autofree char *path = sonde_collection_node_dup_path (node);

      json_object_unref (postman);
      json_object_unref (url);
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("“%s” does not parse, so it cannot be exported: %s"), path,
                   sonde_collection_node_get_error (node)->message);
      return NULL;
    }

  /* The request as its file says it, text inline */
  copy = sonde_request_copy (request);
  sonde_body_set_text_file (sonde_request_get_body (copy), NULL);
  object = sonde_request_to_json (copy, NULL, NULL);
  item = json_object_new ();
  json_object_set_string_member (item, "name", sonde_request_get_name (request));
  json_object_remove_member (object, "name");
  json_object_remove_member (object, "order");

  json_object_set_string_member (postman, "method", sonde_request_get_method (request));
  json_object_remove_member (object, "method");

  if ((member = json_object_get_member (object, "headers")) != NULL && rows_are_plain (json_node_get_array (member)))
    {
      json_object_set_array_member (postman, "header", postman_rows (json_node_get_array (member)));
      json_object_remove_member (object, "headers");
    }
  else
    json_object_set_array_member (postman, "header", json_array_new ());

  raw = sonde_json_get_string (object, "url") != NULL ? sonde_json_get_string (object, "url") : "";
  member = json_object_get_member (object, "params");
  if (member != NULL && rows_are_plain (json_node_get_array (member)) && strchr (raw, '?') == NULL)
    {
      JsonArray *rows = json_node_get_array (member);
      g_autoptr(GString) full = g_string_new (raw);

      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);

          if (json_object_has_member (row, "enabled") && !json_object_get_boolean_member (row, "enabled"))
            continue;
          g_string_append_c (full, strchr (full->str, '?') == NULL ? '?' : '&');
          g_string_append_printf (full, "%s=%s", sonde_json_get_string (row, "name"), sonde_json_get_string (row, "value") ? sonde_json_get_string (row, "value") : "");
        }
      json_object_set_string_member (url, "raw", full->str);
      json_object_set_array_member (url, "query", postman_rows (rows));
      json_object_remove_member (object, "params");
    }
  else
    json_object_set_string_member (url, "raw", raw);
  json_object_set_object_member (postman, "url", url);
  json_object_remove_member (object, "url");

  if ((member = json_object_get_member (object, "body")) != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *body = postman_body (json_node_get_object (member), sonde_collection_get_dir (collection));

      if (body != NULL)
        {
          json_object_set_object_member (postman, "body", body);
          json_object_remove_member (object, "body");
        }
    }
  if ((member = json_object_get_member (object, "auth")) != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *auth = postman_auth (json_node_get_object (member));

      if (auth != NULL)
        {
          json_object_set_object_member (postman, "auth", auth);
          json_object_remove_member (object, "auth");
        }
    }

  /* Postman's own redirect and TLS settings, for Postman; Sonde reads "sonde" */
  if ((member = json_object_get_member (object, "options")) != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *options = json_node_get_object (member);
      JsonObject *behavior = json_object_new ();

      if (json_object_has_member (options, "followRedirects"))
        json_object_set_member (behavior, "followRedirects", json_node_copy (json_object_get_member (options, "followRedirects")));
      if (json_object_has_member (options, "maxRedirects"))
        json_object_set_member (behavior, "maxRedirects", json_node_copy (json_object_get_member (options, "maxRedirects")));
      if (json_object_has_member (options, "verifyTls"))
        json_object_set_member (behavior, "strictSSL", json_node_copy (json_object_get_member (options, "verifyTls")));
      if (json_object_get_size (behavior) > 0)
        json_object_set_object_member (item, "protocolProfileBehavior", behavior);
      else
        json_object_unref (behavior);
    }

  export_common (object, item, postman);
  json_object_set_object_member (item, "request", postman);
  set_sonde_member (item, object);
  return item;
}

static JsonObject *
export_children (SondeCollection     *collection,
                 SondeCollectionNode *folder,
                 JsonObject          *item,
                 GError             **error)
{
  GListModel *children = sonde_collection_node_get_children (folder);
  JsonArray *items = json_array_new ();

  json_object_set_array_member (item, "item", items);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (children, i);
      JsonObject *exported = sonde_collection_node_get_kind (child) == SONDE_COLLECTION_NODE_FOLDER
                             ? export_folder (collection, child, error)
                             : export_request (collection, child, error);

      if (exported == NULL)
        return NULL;
      json_array_add_object_element (items, exported);
    }
  return item;
}

/* A folder's (or the collection's) settings: its folder.json as Sonde writes it */
static JsonObject *
folder_settings (SondeCollectionNode *folder)
{
  g_autofree char *data = sonde_collection_node_settings_to_data (folder);
  g_autoptr(JsonNode) node = json_from_string (data, NULL);

  return json_object_ref (json_node_get_object (node));
}

static void
export_folder_settings (JsonObject *settings,
                        JsonObject *item,
                        JsonObject *description_holder)
{
  static const char * const variable_keys[] = { "name", "value", "enabled", "secret", NULL };
  JsonNode *member;

  json_object_remove_member (settings, "name");
  json_object_remove_member (settings, "order");
  json_object_remove_member (settings, "format");

  if ((member = json_object_get_member (settings, "variables")) != NULL)
    {
      JsonArray *rows = json_node_get_array (member);
      gboolean plain = TRUE;

      for (guint i = 0; i < json_array_get_length (rows); i++)
        if (!only_members (json_array_get_object_element (rows, i), variable_keys))
          plain = FALSE;
      if (plain)
        {
          json_object_set_array_member (item, "variable", postman_rows (rows));
          json_object_remove_member (settings, "variables");
        }
    }
  if ((member = json_object_get_member (settings, "auth")) != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *auth = postman_auth (json_node_get_object (member));

      if (auth != NULL)
        {
          json_object_set_object_member (item, "auth", auth);
          json_object_remove_member (settings, "auth");
        }
    }
  export_common (settings, item, description_holder);
  set_sonde_member (item, settings);
}

static JsonObject *
export_folder (SondeCollection     *collection,
               SondeCollectionNode *folder,
               GError             **error)
{
  g_autoptr(JsonObject) settings = folder_settings (folder);
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "name", sonde_collection_node_get_name (folder));
  export_folder_settings (settings, item, item);
  if (export_children (collection, folder, item, error) == NULL)
    {
      json_object_unref (item);
      return NULL;
    }
  return item;
}

char *
sonde_export_postman (SondeCollection  *collection,
                      GError          **error)
{
  SondeCollectionNode *root;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonObject) document = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *info = json_object_new ();

  g_return_val_if_fail (SONDE_IS_COLLECTION (collection), NULL);

  root = sonde_collection_get_root (collection);
  settings = folder_settings (root);
  json_object_set_string_member (info, "name", sonde_collection_get_name (collection));
  json_object_set_string_member (info, "schema", POSTMAN_SCHEMA);
  json_object_set_object_member (document, "info", info);
  export_folder_settings (settings, document, info);
  if (export_children (collection, root, document, error) == NULL)
    return NULL;

  node = json_node_init_object (json_node_alloc (), document);
  {
    g_autofree char *text = sonde_json_pretty_print (node);

    return g_strconcat (text, "\n", NULL);
  }
}

char *
sonde_export_postman_environment (SondeEnvironment *environment)
{
  g_autoptr(JsonObject) document = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  GListModel *rows = G_LIST_MODEL (sonde_environment_get_variables (environment));
  JsonArray *values = json_array_new ();
  g_autofree char *text = NULL;

  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (environment), NULL);

  json_object_set_string_member (document, "name", sonde_environment_get_name (environment));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);
      JsonObject *value = json_object_new ();
      gboolean secret = sonde_variable_get_secret (row);

      json_object_set_string_member (value, "key", sonde_key_value_get_name (row));
      json_object_set_string_member (value, "value", secret ? "" : sonde_key_value_get_value (row));
      json_object_set_string_member (value, "type", secret ? "secret" : "default");
      json_object_set_boolean_member (value, "enabled", sonde_key_value_get_enabled (row));
      json_array_add_object_element (values, value);
    }
  json_object_set_array_member (document, "values", values);
  json_object_set_string_member (document, "_postman_variable_scope", "environment");

  node = json_node_init_object (json_node_alloc (), document);
  text = sonde_json_pretty_print (node);
  return g_strconcat (text, "\n", NULL);
}
