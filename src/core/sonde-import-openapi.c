/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-import-openapi"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-import.h"
#include "sonde-json-file.h"
#include "sonde-yaml.h"

/* OpenAPI 3.0/3.1 and Swagger 2.0, in JSON or YAML: one request per operation, a folder per
 * tag, {{baseUrl}} from the servers (docs/import-export.md). */

#define SAMPLE_BUDGET 5000

typedef struct
{
  SondeImport *import;
  JsonObject  *root;
  gboolean     swagger;       /* 2.0 */
  GHashTable  *external_refs; /* noted once each */
  GHashTable  *variables;     /* collection variables added: name → secret? */
  gboolean     noted_status;
  guint        sample_budget; /* values an example body may still have */
} Context;

/* "#/components/schemas/User" inside the document; other references are noted, not followed */
static JsonObject *
resolve (Context    *ctx,
         JsonObject *object)
{
  const char *ref;

  for (guint hops = 0; object != NULL && (ref = sonde_json_get_string (object, "$ref")) != NULL; hops++)
    {
      g_auto(GStrv) parts = NULL;
      JsonObject *target = ctx->root;

      if (hops > 32)
        return NULL;
      if (!g_str_has_prefix (ref, "#/"))
        {
          if (!g_hash_table_contains (ctx->external_refs, ref))
            {
              g_hash_table_add (ctx->external_refs, g_strdup (ref));
              sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                                 _("the reference %s points outside the file and is not followed"), ref);
            }
          return NULL;
        }
      parts = g_strsplit (ref + 2, "/", -1);
      for (guint i = 0; parts[i] != NULL && target != NULL; i++)
        {
          /* JSON Pointer escapes */
          g_autoptr(GString) name = g_string_new (parts[i]);

          g_string_replace (name, "~1", "/", 0);
          g_string_replace (name, "~0", "~", 0);
          target = sonde_json_get_object (target, name->str);
        }
      object = target;
    }
  return object;
}

/* A value for a parameter or property: example, examples, default, enum[0] */
static char *
example_text (Context    *ctx,
              JsonObject *object)
{
  static const char * const keys[] = { "example", "default", "x-example", NULL };
  JsonObject *schema = resolve (ctx, sonde_json_get_object (object, "schema"));
  JsonObject *examples = sonde_json_get_object (object, "examples");

  for (guint pass = 0; pass < 2; pass++)
    {
      JsonObject *source = pass == 0 ? object : schema;

      for (guint i = 0; source != NULL && keys[i] != NULL; i++)
        {
          JsonNode *node = json_object_get_member (source, keys[i]);

          if (node == NULL || JSON_NODE_HOLDS_NULL (node))
            continue;
          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            return g_strdup (json_node_get_string (node));
          return json_to_string (node, FALSE);
        }
      if (pass == 0 && examples != NULL)
        {
          g_autoptr(GList) values = json_object_get_values (examples);

          if (values != NULL && JSON_NODE_HOLDS_OBJECT (values->data))
            {
              JsonObject *example = resolve (ctx, json_node_get_object (values->data));
              JsonNode *value = example != NULL ? json_object_get_member (example, "value") : NULL;

              if (value != NULL && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
                return g_strdup (json_node_get_string (value));
              if (value != NULL)
                return json_to_string (value, FALSE);
            }
        }
      if (source != NULL && sonde_json_get_array (source, "enum") != NULL && json_array_get_length (sonde_json_get_array (source, "enum")) > 0)
        {
          JsonNode *first = json_array_get_element (sonde_json_get_array (source, "enum"), 0);

          if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING)
            return g_strdup (json_node_get_string (first));
          return json_to_string (first, FALSE);
        }
    }
  return g_strdup ("");
}

/* A JSON value from a schema: its example or default, else one made of its properties */
static JsonNode *
sample (Context    *ctx,
        JsonObject *schema,
        GHashTable *seen,
        guint       depth)
{
  const char *ref = schema != NULL ? sonde_json_get_string (schema, "$ref") : NULL;
  JsonObject *resolved;
  const char *type;
  JsonNode *node;
  JsonArray *all_of;

  /* A schema that fans out (properties of properties through $refs) is cut, not followed for
   * ever: an example body has at most SAMPLE_BUDGET values. */
  if (schema == NULL || depth > 12 || ctx->sample_budget == 0 ||
      (ref != NULL && g_hash_table_contains (seen, ref)))
    return json_node_init_null (json_node_alloc ());
  ctx->sample_budget--;
  if (ref != NULL)
    g_hash_table_add (seen, (gpointer) ref);
  resolved = resolve (ctx, schema);
  if (resolved == NULL)
    {
      if (ref != NULL)
        g_hash_table_remove (seen, ref);
      return json_node_init_null (json_node_alloc ());
    }

  if ((node = json_object_get_member (resolved, "example")) != NULL ||
      (node = json_object_get_member (resolved, "default")) != NULL)
    node = json_node_copy (node);
  else if (sonde_json_get_array (resolved, "examples") != NULL && json_array_get_length (sonde_json_get_array (resolved, "examples")) > 0)
    node = json_node_copy (json_array_get_element (sonde_json_get_array (resolved, "examples"), 0));
  else if (sonde_json_get_array (resolved, "enum") != NULL && json_array_get_length (sonde_json_get_array (resolved, "enum")) > 0)
    node = json_node_copy (json_array_get_element (sonde_json_get_array (resolved, "enum"), 0));
  else if ((all_of = sonde_json_get_array (resolved, "allOf")) != NULL)
    {
      JsonObject *merged = json_object_new ();

      for (guint i = 0; i < json_array_get_length (all_of); i++)
        {
          JsonNode *part = sample (ctx, JSON_NODE_HOLDS_OBJECT (json_array_get_element (all_of, i))
                                          ? json_array_get_object_element (all_of, i) : NULL, seen, depth + 1);

          if (JSON_NODE_HOLDS_OBJECT (part))
            {
              g_autoptr(GList) members = json_object_get_members (json_node_get_object (part));

              for (GList *l = members; l != NULL; l = l->next)
                json_object_set_member (merged, l->data,
                                        json_node_copy (json_object_get_member (json_node_get_object (part), l->data)));
            }
          json_node_unref (part);
        }
      node = json_node_init_object (json_node_alloc (), merged);
      json_object_unref (merged);
    }
  else if (sonde_json_get_array (resolved, "oneOf") != NULL || sonde_json_get_array (resolved, "anyOf") != NULL)
    {
      JsonArray *choices = sonde_json_get_array (resolved, "oneOf") ? sonde_json_get_array (resolved, "oneOf") : sonde_json_get_array (resolved, "anyOf");

      node = json_array_get_length (choices) > 0 && JSON_NODE_HOLDS_OBJECT (json_array_get_element (choices, 0))
             ? sample (ctx, json_array_get_object_element (choices, 0), seen, depth + 1)
             : json_node_init_null (json_node_alloc ());
    }
  else
    {
      JsonNode *type_node = json_object_get_member (resolved, "type");

      /* 3.1 writes types as lists: ["string", "null"] */
      if (type_node != NULL && JSON_NODE_HOLDS_ARRAY (type_node) &&
          json_array_get_length (json_node_get_array (type_node)) > 0)
        type = json_array_get_string_element (json_node_get_array (type_node), 0);
      else
        type = sonde_json_get_string (resolved, "type");
      if (type == NULL && sonde_json_get_object (resolved, "properties") != NULL)
        type = "object";

      if (g_strcmp0 (type, "object") == 0)
        {
          JsonObject *properties = sonde_json_get_object (resolved, "properties");
          g_autoptr(GList) names = properties != NULL ? json_object_get_members (properties) : NULL;
          JsonObject *object = json_object_new ();

          for (GList *l = names; l != NULL; l = l->next)
            {
              JsonNode *property = json_object_get_member (properties, l->data);

              if (JSON_NODE_HOLDS_OBJECT (property))
                json_object_set_member (object, l->data, sample (ctx, json_node_get_object (property), seen, depth + 1));
            }
          node = json_node_init_object (json_node_alloc (), object);
          json_object_unref (object);
        }
      else if (g_strcmp0 (type, "array") == 0)
        {
          JsonArray *array = json_array_new ();
          JsonObject *items = sonde_json_get_object (resolved, "items");

          if (items != NULL)
            json_array_add_element (array, sample (ctx, items, seen, depth + 1));
          node = json_node_init_array (json_node_alloc (), array);
          json_array_unref (array);
        }
      else if (g_strcmp0 (type, "integer") == 0)
        node = json_node_init_int (json_node_alloc (), 0);
      else if (g_strcmp0 (type, "number") == 0)
        node = json_node_init_double (json_node_alloc (), 0);
      else if (g_strcmp0 (type, "boolean") == 0)
        node = json_node_init_boolean (json_node_alloc (), FALSE);
      else if (g_strcmp0 (type, "string") == 0)
        node = json_node_init_string (json_node_alloc (), sonde_json_get_string (resolved, "format") != NULL
                                                          ? sonde_json_get_string (resolved, "format") : "string");
      else
        node = json_node_init_null (json_node_alloc ());
    }

  if (ref != NULL)
    g_hash_table_remove (seen, ref);
  return node;
}

/* A collection variable the requests use (created once) */
static void
need_variable (Context    *ctx,
               const char *name,
               gboolean    secret)
{
  SondeKeyValue *row;

  if (g_hash_table_contains (ctx->variables, name))
    return;
  g_hash_table_add (ctx->variables, g_strdup (name));
  row = sonde_key_value_list_append (sonde_import_folder_get_variables (sonde_import_get_root (ctx->import)), name, "");
  sonde_variable_set_secret (row, secret);
  sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, NULL,
                     secret ? _("the secret variable {{%s}} is used by the security scheme: set its value")
                            : _("the variable {{%s}} is used by the security scheme: set its value"), name);
}

/* A security requirement ([{"name": [scopes]}]) as auth; FALSE when there is none */
static void
apply_security (Context    *ctx,
                const char *where,
                JsonArray  *requirements,
                SondeAuth  *auth,
                GListStore *cookies)
{
  JsonObject *schemes = ctx->swagger ? sonde_json_get_object (ctx->root, "securityDefinitions")
                                     : sonde_json_get_object (sonde_json_get_object (ctx->root, "components"), "securitySchemes");
  JsonObject *requirement;
  g_autoptr(GList) names = NULL;
  JsonObject *scheme;
  const char *type;
  const char *scheme_name;

  if (json_array_get_length (requirements) == 0)
    {
      sonde_auth_set_kind (auth, SONDE_AUTH_NONE);
      return;
    }
  requirement = JSON_NODE_HOLDS_OBJECT (json_array_get_element (requirements, 0))
                ? json_array_get_object_element (requirements, 0) : NULL;
  names = requirement != NULL ? json_object_get_members (requirement) : NULL;
  if (names == NULL)
    {
      /* {} : security is optional */
      sonde_auth_set_kind (auth, SONDE_AUTH_NONE);
      return;
    }
  scheme_name = names->data;
  scheme = resolve (ctx, sonde_json_get_object (schemes, scheme_name));
  type = sonde_json_get_string (scheme, "type");
  if (names->next != NULL || json_array_get_length (requirements) > 1)
    sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                       _("it accepts several security schemes: “%s” is used"), scheme_name);

  if ((g_strcmp0 (type, "http") == 0 && g_ascii_strcasecmp (sonde_json_get_string (scheme, "scheme") ? sonde_json_get_string (scheme, "scheme") : "", "basic") == 0) ||
      g_strcmp0 (type, "basic") == 0)
    {
      sonde_auth_set_kind (auth, SONDE_AUTH_BASIC);
      sonde_auth_set_username (auth, "{{username}}");
      sonde_auth_set_password (auth, "{{password}}");
      need_variable (ctx, "username", FALSE);
      need_variable (ctx, "password", TRUE);
    }
  else if (g_strcmp0 (type, "http") == 0 && g_ascii_strcasecmp (sonde_json_get_string (scheme, "scheme") ? sonde_json_get_string (scheme, "scheme") : "", "bearer") == 0)
    {
      sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
      sonde_auth_set_token (auth, "{{token}}");
      need_variable (ctx, "token", TRUE);
    }
  else if (g_strcmp0 (type, "http") == 0 && g_ascii_strcasecmp (sonde_json_get_string (scheme, "scheme") ? sonde_json_get_string (scheme, "scheme") : "", "digest") == 0)
    {
      sonde_auth_set_kind (auth, SONDE_AUTH_DIGEST);
      sonde_auth_set_username (auth, "{{username}}");
      sonde_auth_set_password (auth, "{{password}}");
      need_variable (ctx, "username", FALSE);
      need_variable (ctx, "password", TRUE);
    }
  else if (g_strcmp0 (type, "apiKey") == 0 && g_strcmp0 (sonde_json_get_string (scheme, "in"), "cookie") == 0)
    {
      sonde_auth_set_kind (auth, SONDE_AUTH_NONE);
      if (cookies != NULL)
        sonde_key_value_list_append (cookies, sonde_json_get_string (scheme, "name") ? sonde_json_get_string (scheme, "name") : "", "{{apiKey}}");
      need_variable (ctx, "apiKey", TRUE);
    }
  else if (g_strcmp0 (type, "apiKey") == 0)
    {
      sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
      sonde_auth_set_key_name (auth, sonde_json_get_string (scheme, "name") ? sonde_json_get_string (scheme, "name") : "");
      sonde_auth_set_key_value (auth, "{{apiKey}}");
      sonde_auth_set_key_location (auth, g_strcmp0 (sonde_json_get_string (scheme, "in"), "query") == 0
                                         ? SONDE_API_KEY_IN_QUERY : SONDE_API_KEY_IN_HEADER);
      need_variable (ctx, "apiKey", TRUE);
    }
  else
    {
      g_autoptr(JsonObject) kept = json_object_new ();

      json_object_set_string_member (kept, "type", type != NULL ? type : "unknown");
      if (scheme != NULL && sonde_json_get_object (scheme, "flows") != NULL)
        json_object_set_member (kept, "flows", json_node_copy (json_object_get_member (scheme, "flows")));
      if (sonde_json_get_string (scheme, "openIdConnectUrl") != NULL)
        json_object_set_string_member (kept, "openIdConnectUrl", sonde_json_get_string (scheme, "openIdConnectUrl"));
      sonde_auth_set_kind (auth, SONDE_AUTH_NONE);
      sonde_auth_set_extra (auth, kept);
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_KEPT, where,
                         _("its security scheme “%s” (%s) is kept in the file, but Sonde cannot send it yet"),
                         scheme_name, type != NULL ? type : "?");
    }
}

/* Whether two requirement lists say the same (then the request inherits the collection's) */
static gboolean
same_requirements (JsonArray *a,
                   JsonArray *b)
{
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;
  g_autoptr(JsonNode) na = json_node_init_array (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_array (json_node_alloc (), b);

  ta = json_to_string (na, FALSE);
  tb = json_to_string (nb, FALSE);
  return g_strcmp0 (ta, tb) == 0;
}

static const char * const methods[] = { "get", "put", "post", "delete", "options", "head", "patch", "trace", NULL };

/* Parameters of the path and of the operation, the operation's replacing same-named ones */
static GPtrArray *
merged_parameters (Context    *ctx,
                   JsonObject *path_item,
                   JsonObject *operation)
{
  GPtrArray *merged = g_ptr_array_new ();
  JsonArray *lists[] = { sonde_json_get_array (path_item, "parameters"), sonde_json_get_array (operation, "parameters") };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && i < json_array_get_length (lists[l]); i++)
      {
        JsonObject *parameter = JSON_NODE_HOLDS_OBJECT (json_array_get_element (lists[l], i))
                                ? resolve (ctx, json_array_get_object_element (lists[l], i)) : NULL;

        if (parameter == NULL || sonde_json_get_string (parameter, "name") == NULL)
          continue;
        for (guint j = 0; j < merged->len; j++)
          if (g_strcmp0 (sonde_json_get_string (merged->pdata[j], "name"), sonde_json_get_string (parameter, "name")) == 0 &&
              g_strcmp0 (sonde_json_get_string (merged->pdata[j], "in"), sonde_json_get_string (parameter, "in")) == 0)
            {
              g_ptr_array_remove_index (merged, j);
              break;
            }
        g_ptr_array_add (merged, parameter);
      }
  return merged;
}

static void
add_row (GListStore *rows,
         const char *name,
         const char *value,
         gboolean    enabled)
{
  SondeKeyValue *row = sonde_key_value_list_append (rows, name, value);

  sonde_key_value_set_enabled (row, enabled);
}

static gboolean
is_required (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "required");

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* Form or multipart parts from an object schema's properties */
static void
form_from_schema (Context      *ctx,
                  const char   *where,
                  JsonObject   *schema,
                  SondeBody    *body,
                  gboolean      multipart)
{
  JsonObject *resolved = resolve (ctx, schema);
  JsonObject *properties = sonde_json_get_object (resolved, "properties");
  g_autoptr(GList) names = properties != NULL ? json_object_get_members (properties) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *property = resolve (ctx, sonde_json_get_object (properties, l->data));
      g_autoptr(JsonObject) holder = json_object_new ();
      g_autofree char *value = NULL;

      if (property == NULL)
        continue;
      json_object_set_member (holder, "schema", json_node_copy (json_object_get_member (properties, l->data)));
      value = example_text (ctx, holder);
      if (multipart && (g_strcmp0 (sonde_json_get_string (property, "format"), "binary") == 0 ||
                        g_strcmp0 (sonde_json_get_string (property, "type"), "file") == 0))
        {
          g_autoptr(SondeBodyPart) part = sonde_body_part_new_file (l->data, "");

          g_list_store_append (sonde_body_get_parts (body), part);
          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                             _("the part “%s” is a file: choose it in the Body tab"), (char *) l->data);
        }
      else if (multipart)
        {
          g_autoptr(SondeBodyPart) part = sonde_body_part_new_text (l->data, value);

          g_list_store_append (sonde_body_get_parts (body), part);
        }
      else
        sonde_key_value_list_append (sonde_body_get_fields (body), l->data, value);
    }
}

static void
read_request_body (Context      *ctx,
                   const char   *where,
                   JsonObject   *request_body,
                   SondeRequest *request)
{
  SondeBody *body = sonde_request_get_body (request);
  JsonObject *content = sonde_json_get_object (request_body, "content");
  g_autoptr(GList) types = content != NULL ? json_object_get_members (content) : NULL;
  const char *chosen = NULL;
  JsonObject *media;
  g_autofree char *text = NULL;

  if (types == NULL)
    return;
  /* JSON first, then XML, forms, anything */
  for (GList *l = types; l != NULL && chosen == NULL; l = l->next)
    if (g_str_has_prefix (l->data, "application/json") || g_str_has_suffix (l->data, "+json"))
      chosen = l->data;
  for (GList *l = types; l != NULL && chosen == NULL; l = l->next)
    if (strstr (l->data, "xml") != NULL || g_str_has_prefix (l->data, "application/x-www-form-urlencoded") ||
        g_str_has_prefix (l->data, "multipart/form-data"))
      chosen = l->data;
  if (chosen == NULL)
    chosen = types->data;
  media = resolve (ctx, sonde_json_get_object (content, chosen));

  if (g_str_has_prefix (chosen, "application/x-www-form-urlencoded") || g_str_has_prefix (chosen, "multipart/form-data"))
    {
      gboolean multipart = g_str_has_prefix (chosen, "multipart/");

      sonde_body_set_kind (body, multipart ? SONDE_BODY_MULTIPART : SONDE_BODY_FORM);
      form_from_schema (ctx, where, sonde_json_get_object (media, "schema"), body, multipart);
      return;
    }

  if (media != NULL && (json_object_has_member (media, "example") || json_object_has_member (media, "examples")))
    {
      text = example_text (ctx, media);
      if (strstr (chosen, "json") != NULL)
        {
          /* A JSON example is written out pretty */
          g_autoptr(JsonNode) parsed = json_from_string (text, NULL);

          if (parsed != NULL && !JSON_NODE_HOLDS_VALUE (parsed))
            {
              g_free (text);
              text = sonde_json_pretty_print (parsed);
            }
        }
    }
  else if (strstr (chosen, "json") != NULL && sonde_json_get_object (media, "schema") != NULL)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(JsonNode) generated = NULL;

      ctx->sample_budget = SAMPLE_BUDGET;
      generated = sample (ctx, sonde_json_get_object (media, "schema"), seen, 0);

      text = sonde_json_pretty_print (generated);
    }
  else
    text = g_strdup ("");

  if (strstr (chosen, "json") != NULL)
    sonde_body_set_kind (body, SONDE_BODY_JSON);
  else if (strstr (chosen, "xml") != NULL)
    sonde_body_set_kind (body, SONDE_BODY_XML);
  else if (g_str_has_prefix (chosen, "application/octet-stream"))
    {
      sonde_body_set_kind (body, SONDE_BODY_FILE);
      sonde_body_set_file (body, "");
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                         _("its body is a file: choose it in the Body tab"));
      return;
    }
  else
    sonde_body_set_kind (body, SONDE_BODY_TEXT);
  if (g_strcmp0 (chosen, sonde_body_kind_default_content_type (sonde_body_get_kind (body))) != 0)
    sonde_body_set_content_type (body, chosen);
  sonde_body_set_text (body, text);
}

/* Swagger 2.0: "in": "body" and "formData" parameters */
static void
read_swagger_body (Context      *ctx,
                   const char   *where,
                   GPtrArray    *parameters,
                   JsonObject   *operation,
                   SondeRequest *request)
{
  SondeBody *body = sonde_request_get_body (request);
  JsonArray *consumes = sonde_json_get_array (operation, "consumes") ? sonde_json_get_array (operation, "consumes") : sonde_json_get_array (ctx->root, "consumes");
  gboolean multipart = FALSE;

  for (guint i = 0; consumes != NULL && i < json_array_get_length (consumes); i++)
    if (g_str_has_prefix (json_array_get_string_element (consumes, i), "multipart/"))
      multipart = TRUE;

  for (guint i = 0; i < parameters->len; i++)
    {
      JsonObject *parameter = parameters->pdata[i];
      const char *in = sonde_json_get_string (parameter, "in");

      if (g_strcmp0 (in, "body") == 0)
        {
          g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
          g_autoptr(JsonNode) generated = NULL;
          g_autofree char *text = NULL;

          ctx->sample_budget = SAMPLE_BUDGET;
          generated = sample (ctx, sonde_json_get_object (parameter, "schema"), seen, 0);
          text = sonde_json_pretty_print (generated);

          sonde_body_set_kind (body, SONDE_BODY_JSON);
          sonde_body_set_text (body, text);
        }
      else if (g_strcmp0 (in, "formData") == 0)
        {
          g_autofree char *value = example_text (ctx, parameter);
          gboolean file = g_strcmp0 (sonde_json_get_string (parameter, "type"), "file") == 0;

          if (file || multipart)
            {
              g_autoptr(SondeBodyPart) part = file ? sonde_body_part_new_file (sonde_json_get_string (parameter, "name"), "")
                                                   : sonde_body_part_new_text (sonde_json_get_string (parameter, "name"), value);

              sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
              g_list_store_append (sonde_body_get_parts (body), part);
              if (file)
                sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                                   _("the part “%s” is a file: choose it in the Body tab"), sonde_json_get_string (parameter, "name"));
            }
          else
            {
              sonde_body_set_kind (body, SONDE_BODY_FORM);
              add_row (sonde_body_get_fields (body), sonde_json_get_string (parameter, "name"), value, TRUE);
            }
        }
    }
}

static SondeRequest *
read_operation (Context    *ctx,
                const char *path,
                const char *method,
                JsonObject *path_item,
                JsonObject *operation,
                JsonArray  *global_security)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(GPtrArray) parameters = merged_parameters (ctx, path_item, operation);
  g_autoptr(GRegex) template = g_regex_new ("\\{([^}/]+)\\}", 0, 0, NULL);
  g_autofree char *upper = g_ascii_strup (method, -1);
  g_autofree char *name = NULL;
  g_autofree char *converted = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonArray) variables = json_array_new ();
  JsonObject *responses = sonde_json_get_object (operation, "responses");
  JsonArray *security = sonde_json_get_array (operation, "security");
  const char *description = sonde_json_get_string (operation, "description");

  if (sonde_json_get_string (operation, "summary") != NULL && sonde_json_get_string (operation, "summary")[0] != '\0')
    name = g_strdup (sonde_json_get_string (operation, "summary"));
  else if (sonde_json_get_string (operation, "operationId") != NULL)
    name = g_strdup (sonde_json_get_string (operation, "operationId"));
  else
    name = g_strdup_printf ("%s %s", upper, path);
  sonde_request_set_name (request, name);
  sonde_request_set_method (request, upper);
  converted = g_regex_replace (template, path, -1, 0, "{{\\1}}", 0, NULL);
  url = g_strconcat ("{{baseUrl}}", converted, NULL);
  sonde_request_set_url (request, url);

  for (guint i = 0; i < parameters->len; i++)
    {
      JsonObject *parameter = parameters->pdata[i];
      const char *in = sonde_json_get_string (parameter, "in");
      const char *parameter_name = sonde_json_get_string (parameter, "name");
      g_autofree char *value = example_text (ctx, parameter);
      gboolean required = is_required (parameter);

      if (g_strcmp0 (in, "query") == 0)
        add_row (sonde_request_get_params (request), parameter_name, value, required);
      else if (g_strcmp0 (in, "header") == 0)
        add_row (sonde_request_get_headers (request), parameter_name, value, required);
      else if (g_strcmp0 (in, "cookie") == 0)
        add_row (sonde_request_get_cookies (request), parameter_name, value, required);
      else if (g_strcmp0 (in, "path") == 0)
        {
          JsonObject *row = json_object_new ();

          json_object_set_string_member (row, "name", parameter_name);
          json_object_set_string_member (row, "value", value);
          json_array_add_object_element (variables, row);
        }
    }
  if (json_array_get_length (variables) > 0)
    json_object_set_array_member (sonde_import_request_extra (request), "variables", g_steal_pointer (&variables));

  if (ctx->swagger)
    read_swagger_body (ctx, name, parameters, operation, request);
  else
    read_request_body (ctx, name, resolve (ctx, sonde_json_get_object (operation, "requestBody")), request);

  /* Security: the collection's unless the operation says otherwise */
  if (security != NULL && (global_security == NULL || !same_requirements (security, global_security)))
    apply_security (ctx, name, security, sonde_request_get_auth (request), sonde_request_get_cookies (request));

  if (description != NULL && description[0] != '\0')
    json_object_set_string_member (sonde_import_request_extra (request), "description", description);

  /* The documented success status as a check */
  if (responses != NULL)
    {
      g_autoptr(GList) codes = json_object_get_members (responses);

      for (GList *l = codes; l != NULL; l = l->next)
        if (strlen (l->data) == 3 && ((char *) l->data)[0] == '2' && g_ascii_isdigit (((char *) l->data)[1]))
          {
            JsonArray *checks = json_array_new ();
            JsonObject *check = json_object_new ();

            json_object_set_string_member (check, "source", "status");
            json_object_set_string_member (check, "op", "==");
            json_object_set_string_member (check, "value", l->data);
            json_array_add_object_element (checks, check);
            json_object_set_array_member (sonde_import_request_extra (request), "checks", checks);
            if (!ctx->noted_status)
              {
                sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, NULL,
                                   _("each request checks the success status its operation documents"));
                ctx->noted_status = TRUE;
              }
            break;
          }
    }
  return g_steal_pointer (&request);
}

/* {{baseUrl}}: the first server, its variables at their defaults; the others, environments */
static char *
server_url (JsonObject *server)
{
  const char *url = sonde_json_get_string (server, "url");
  JsonObject *variables = sonde_json_get_object (server, "variables");
  g_autoptr(GString) out = g_string_new (url != NULL ? url : "");
  g_autoptr(GList) names = variables != NULL ? json_object_get_members (variables) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *placeholder = g_strdup_printf ("{%s}", (char *) l->data);
      const char *value = sonde_json_get_string (sonde_json_get_object (variables, l->data), "default");

      g_string_replace (out, placeholder, value != NULL ? value : "", 0);
    }
  /* No trailing slash: paths start with one */
  while (out->len > 1 && out->str[out->len - 1] == '/')
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
read_servers (Context *ctx)
{
  GListStore *variables = sonde_import_folder_get_variables (sonde_import_get_root (ctx->import));
  g_autofree char *base = NULL;

  if (ctx->swagger)
    {
      JsonArray *schemes = sonde_json_get_array (ctx->root, "schemes");
      const char *scheme = schemes != NULL && json_array_get_length (schemes) > 0
                           ? json_array_get_string_element (schemes, 0) : "https";
      const char *host = sonde_json_get_string (ctx->root, "host");
      const char *base_path = sonde_json_get_string (ctx->root, "basePath");

      base = g_strdup_printf ("%s://%s%s", scheme, host != NULL ? host : "localhost",
                              base_path != NULL && strcmp (base_path, "/") != 0 ? base_path : "");
      if (host == NULL)
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, NULL,
                           _("the file names no host: set {{baseUrl}}"));
    }
  else
    {
      JsonArray *servers = sonde_json_get_array (ctx->root, "servers");

      for (guint i = 0; servers != NULL && i < json_array_get_length (servers); i++)
        {
          JsonObject *server = JSON_NODE_HOLDS_OBJECT (json_array_get_element (servers, i))
                               ? json_array_get_object_element (servers, i) : NULL;
          g_autofree char *url = server != NULL ? server_url (server) : NULL;

          if (url == NULL)
            continue;
          if (base == NULL)
            base = g_strdup (url);
          if (servers != NULL && json_array_get_length (servers) > 1)
            {
              const char *description = sonde_json_get_string (server, "description");
              SondeEnvironment *environment = sonde_import_add_environment (ctx->import,
                                                                           description != NULL ? description : url);

              sonde_key_value_list_append (sonde_environment_get_variables (environment), "baseUrl", url);
            }
        }
      if (base == NULL)
        {
          base = g_strdup ("http://localhost");
          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, NULL,
                             _("the file names no server: set {{baseUrl}}"));
        }
      else if (base[0] == '/')
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, NULL,
                           _("the server URL %s has no host: set {{baseUrl}}"), base);
    }
  sonde_key_value_list_append (variables, "baseUrl", base);
  g_hash_table_add (ctx->variables, g_strdup ("baseUrl"));
}

SondeImport *
sonde_import_openapi (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) yaml_root = NULL;
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(GHashTable) tag_folders = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) tag_order = g_ptr_array_new ();
  g_autoptr(GHashTable) tag_requests = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                              (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) untagged = g_ptr_array_new_with_free_func (g_object_unref);
  Context ctx = { 0 };
  JsonNode *root_node;
  JsonObject *info;
  JsonObject *paths;
  JsonArray *tags;
  JsonArray *global_security;
  const char *version;
  const char *p = data;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '{')
    {
      if (!sonde_json_parse_document (parser, data, length, error))
        return NULL;
      root_node = json_parser_get_root (parser);
    }
  else
    {
      yaml_root = sonde_yaml_to_json (data, length, error);
      if (yaml_root == NULL)
        return NULL;
      root_node = yaml_root;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("This is not an OpenAPI document: it is not a mapping"));
      return NULL;
    }
  ctx.root = json_node_get_object (root_node);

  if ((version = sonde_json_get_string (ctx.root, "swagger")) != NULL)
    {
      if (!g_str_equal (version, "2.0"))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("Swagger %s is not a version Sonde reads (2.0 is)"), version);
          return NULL;
        }
      ctx.swagger = TRUE;
    }
  else if ((version = sonde_json_get_string (ctx.root, "openapi")) != NULL)
    {
      if (!g_str_has_prefix (version, "3.0") && !g_str_has_prefix (version, "3.1"))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("OpenAPI %s is not a version Sonde reads (3.0 and 3.1 are)"), version);
          return NULL;
        }
    }
  else
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("This is not an OpenAPI document: it has no “openapi” or “swagger” version"));
      return NULL;
    }

  info = sonde_json_get_object (ctx.root, "info");
  import = sonde_import_new (sonde_json_get_string (info, "title"));
  ctx.import = import;
  ctx.external_refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx.variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (sonde_json_get_string (info, "description") != NULL)
    json_object_set_string_member (sonde_import_folder_get_extra (sonde_import_get_root (import)), "description",
                                   sonde_json_get_string (info, "description"));
  read_servers (&ctx);

  global_security = sonde_json_get_array (ctx.root, "security");
  if (global_security != NULL)
    apply_security (&ctx, _("Collection"), global_security,
                    sonde_import_folder_get_auth (sonde_import_get_root (import)), NULL);

  /* Folders in the order of the "tags" list, then as they come */
  tags = sonde_json_get_array (ctx.root, "tags");
  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      JsonObject *tag = JSON_NODE_HOLDS_OBJECT (json_array_get_element (tags, i)) ? json_array_get_object_element (tags, i) : NULL;
      const char *tag_name = sonde_json_get_string (tag, "name");

      if (tag_name != NULL && !g_hash_table_contains (tag_requests, tag_name))
        {
          g_ptr_array_add (tag_order, (gpointer) tag_name);
          g_hash_table_insert (tag_requests, (gpointer) tag_name, g_ptr_array_new_with_free_func (g_object_unref));
          g_hash_table_insert (tag_folders, (gpointer) tag_name, tag);
        }
    }

  paths = sonde_json_get_object (ctx.root, "paths");
  {
    g_autoptr(GList) path_names = paths != NULL ? json_object_get_members (paths) : NULL;

    for (GList *l = path_names; l != NULL; l = l->next)
      {
        JsonObject *path_item = resolve (&ctx, sonde_json_get_object (paths, l->data));

        for (guint m = 0; path_item != NULL && methods[m] != NULL; m++)
          {
            JsonObject *operation = sonde_json_get_object (path_item, methods[m]);
            JsonArray *operation_tags;
            const char *tag_name;
            SondeRequest *request;

            if (operation == NULL)
              continue;
            request = read_operation (&ctx, l->data, methods[m], path_item, operation, global_security);
            operation_tags = sonde_json_get_array (operation, "tags");
            tag_name = operation_tags != NULL && json_array_get_length (operation_tags) > 0
                       ? json_array_get_string_element (operation_tags, 0) : NULL;
            if (tag_name == NULL)
              {
                g_ptr_array_add (untagged, request);
                continue;
              }
            if (!g_hash_table_contains (tag_requests, tag_name))
              {
                g_ptr_array_add (tag_order, (gpointer) tag_name);
                g_hash_table_insert (tag_requests, (gpointer) tag_name, g_ptr_array_new_with_free_func (g_object_unref));
              }
            g_ptr_array_add (g_hash_table_lookup (tag_requests, tag_name), request);
          }
      }
  }

  for (guint i = 0; i < tag_order->len; i++)
    {
      GPtrArray *requests = g_hash_table_lookup (tag_requests, tag_order->pdata[i]);
      JsonObject *tag = g_hash_table_lookup (tag_folders, tag_order->pdata[i]);
      SondeImportFolder *folder;

      if (requests->len == 0)
        continue;
      folder = sonde_import_add_folder (import, sonde_import_get_root (import), tag_order->pdata[i]);
      if (sonde_json_get_string (tag, "description") != NULL)
        json_object_set_string_member (sonde_import_folder_get_extra (folder), "description", sonde_json_get_string (tag, "description"));
      for (guint j = 0; j < requests->len; j++)
        sonde_import_add_request (import, folder, requests->pdata[j]);
    }
  for (guint i = 0; i < untagged->len; i++)
    sonde_import_add_request (import, sonde_import_get_root (import), untagged->pdata[i]);

  sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, NULL, _("the documented responses were not imported"));
  g_hash_table_unref (ctx.external_refs);
  g_hash_table_unref (ctx.variables);
  return g_steal_pointer (&import);
}
