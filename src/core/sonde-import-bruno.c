/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-import-bruno"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-import.h"
#include "sonde-json-file.h"
#include "sonde-request-io.h"

/* Bruno collection folders: bruno.json, collection.bru, folder.bru, one *.bru per request and
 * environments/NAME.bru (docs/import-export.md). The .bru format is blocks: "name {" … "}" holding
 * "key: value" lines (a "~" before the key disables the row) or raw text, and "name [" … "]"
 * lists. */

/* Parsing .bru */

typedef enum
{
  BLOCK_DICT,
  BLOCK_TEXT,
  BLOCK_LIST,
} BlockKind;

typedef struct
{
  char      *name;
  BlockKind  kind;
  GPtrArray *keys;     /* dictionaries: char* ("~name" for a disabled row) */
  GPtrArray *values;   /* dictionaries and lists: char* */
  char      *text;     /* text blocks */
  guint      line;
} Block;

static void
block_free (Block *block)
{
  g_free (block->name);
  g_clear_pointer (&block->keys, g_ptr_array_unref);
  g_clear_pointer (&block->values, g_ptr_array_unref);
  g_free (block->text);
  g_free (block);
}

/* Blocks whose content is text, not "key: value" lines */
static gboolean
is_text_block (const char *name)
{
  return g_str_has_prefix (name, "body:") ? !g_str_equal (name, "body:form-urlencoded") &&
                                            !g_str_equal (name, "body:multipart-form")
                                          : g_str_equal (name, "docs") || g_str_equal (name, "tests") ||
                                            g_str_has_prefix (name, "script:");
}

/* A line holding only ''' (around a value of several lines) */
static gboolean
is_triple_quote (const char *line)
{
  while (*line == ' ' || *line == '\t')
    line++;
  if (strncmp (line, "'''", 3) != 0)
    return FALSE;
  for (line += 3; *line != '\0'; line++)
    if (!g_ascii_isspace (*line))
      return FALSE;
  return TRUE;
}

/* The blocks of a .bru file; errors name the line */
static GPtrArray *
parse_bru (const char  *data,
           GError     **error)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  guint n_lines = g_strv_length (lines);

  for (guint i = 0; i < n_lines; i++)
    {
      char *line = lines[i];
      size_t len;
      Block *block;

      g_strchomp (line);
      if (line[0] == '\0')
        continue;
      len = strlen (line);
      if (len < 3 || (strcmp (line + len - 2, " {") != 0 && strcmp (line + len - 2, " [") != 0) ||
          g_ascii_isspace (line[0]))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                       _("line %u: “%s” should start a block (“name {”)"), i + 1, line);
          return NULL;
        }

      block = g_new0 (Block, 1);
      block->name = g_strndup (line, len - 2);
      block->line = i + 1;
      g_ptr_array_add (blocks, block);

      if (line[len - 1] == '[')
        {
          GString *items = g_string_new (NULL);
          gboolean closed = FALSE;

          block->kind = BLOCK_LIST;
          block->values = g_ptr_array_new_with_free_func (g_free);
          for (i++; i < n_lines; i++)
            {
              g_strchomp (lines[i]);
              if (strcmp (lines[i], "]") == 0)
                {
                  closed = TRUE;
                  break;
                }
              g_string_append_printf (items, "%s,", lines[i]);
            }
          if (closed)
            {
              g_auto(GStrv) parts = g_strsplit (items->str, ",", -1);

              for (guint j = 0; parts[j] != NULL; j++)
                if (g_strstrip (parts[j])[0] != '\0')
                  g_ptr_array_add (block->values, g_strdup (parts[j]));
            }
          g_string_free (items, TRUE);
          if (!closed)
            goto unterminated;
          continue;
        }

      if (is_text_block (block->name))
        {
          g_autoptr(GPtrArray) text = g_ptr_array_new ();
          gboolean closed = FALSE;

          block->kind = BLOCK_TEXT;
          for (i++; i < n_lines; i++)
            {
              char *content = lines[i];

              g_strchomp (content);
              if (strcmp (content, "}") == 0)
                {
                  closed = TRUE;
                  break;
                }
              /* Text is indented by two spaces */
              g_ptr_array_add (text, g_str_has_prefix (content, "  ") ? content + 2 : content);
            }
          g_ptr_array_add (text, NULL);
          block->text = g_strjoinv ("\n", (char **) text->pdata);
          if (!closed)
            goto unterminated;
          continue;
        }

      block->kind = BLOCK_DICT;
      block->keys = g_ptr_array_new_with_free_func (g_free);
      block->values = g_ptr_array_new_with_free_func (g_free);
      for (i++; i < n_lines; i++)
        {
          char *entry;
          char *colon;

          g_strchomp (lines[i]);
          if (strcmp (lines[i], "}") == 0)
            break;
          /* Rows are indented: a line at the margin starts something else */
          if (lines[i][0] != '\0' && !g_ascii_isspace (lines[i][0]))
            {
              i = n_lines;
              break;
            }
          entry = g_strstrip (lines[i]);
          if (entry[0] == '\0')
            continue;
          colon = strchr (entry, ':');
          if (colon == NULL)
            {
              g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                           _("line %u: “%s” should be “name: value”"), i + 1, entry);
              return NULL;
            }
          *colon = '\0';
          g_ptr_array_add (block->keys, g_strdup (g_strstrip (entry)));
          /* ''' starts a value of several lines */
          if (strcmp (g_strstrip (colon + 1), "'''") == 0)
            {
              GString *value = g_string_new (NULL);

              for (i++; i < n_lines && !is_triple_quote (lines[i]); i++)
                {
                  const char *content = lines[i];

                  while (*content == ' ')
                    content++;
                  if (value->len > 0)
                    g_string_append_c (value, '\n');
                  g_string_append (value, content);
                }
              g_ptr_array_add (block->values, g_string_free (value, FALSE));
            }
          else
            g_ptr_array_add (block->values, g_strdup (g_strstrip (colon + 1)));
        }
      if (i >= n_lines)
        goto unterminated;
      continue;

unterminated:
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("line %u: the block “%s” is not closed"), block->line, block->name);
      return NULL;
    }

  return g_steal_pointer (&blocks);
}

static Block *
find_block (GPtrArray  *blocks,
            const char *name)
{
  for (guint i = 0; i < blocks->len; i++)
    if (g_str_equal (((Block *) blocks->pdata[i])->name, name))
      return blocks->pdata[i];
  return NULL;
}

static const char *
dict_get (Block      *block,
          const char *key)
{
  for (guint i = 0; block != NULL && block->kind == BLOCK_DICT && i < block->keys->len; i++)
    if (g_str_equal (block->keys->pdata[i], key))
      return block->values->pdata[i];
  return NULL;
}

/* Rows of a dictionary block: "~name" disabled */
static void
dict_rows (Block      *block,
           GListStore *rows)
{
  for (guint i = 0; block != NULL && block->kind == BLOCK_DICT && i < block->keys->len; i++)
    {
      const char *key = block->keys->pdata[i];
      SondeKeyValue *row = sonde_key_value_list_append (rows, key[0] == '~' ? key + 1 : key,
                                                        block->values->pdata[i]);

      if (key[0] == '~')
        sonde_key_value_set_enabled (row, FALSE);
    }
}

/* Converting */

typedef struct
{
  SondeImport *import;
  GFile       *root;
} Context;

static void
read_auth (Context    *ctx,
           const char *where,
           const char *mode,
           GPtrArray  *blocks,
           SondeAuth  *target)
{
  g_autofree char *block_name = NULL;
  Block *block;

  if (mode == NULL || g_str_equal (mode, "inherit"))
    {
      sonde_auth_set_kind (target, SONDE_AUTH_INHERIT);
      return;
    }
  if (g_str_equal (mode, "none"))
    {
      sonde_auth_set_kind (target, SONDE_AUTH_NONE);
      return;
    }
  block_name = g_strconcat ("auth:", mode, NULL);
  block = find_block (blocks, block_name);
  if (g_str_equal (mode, "basic") || g_str_equal (mode, "digest"))
    {
      sonde_auth_set_kind (target, mode[0] == 'b' ? SONDE_AUTH_BASIC : SONDE_AUTH_DIGEST);
      sonde_auth_set_username (target, dict_get (block, "username") ? dict_get (block, "username") : "");
      sonde_auth_set_password (target, dict_get (block, "password") ? dict_get (block, "password") : "");
    }
  else if (g_str_equal (mode, "bearer"))
    {
      sonde_auth_set_kind (target, SONDE_AUTH_BEARER);
      sonde_auth_set_token (target, dict_get (block, "token") ? dict_get (block, "token") : "");
    }
  else if (g_str_equal (mode, "awsv4"))
    {
      sonde_auth_set_kind (target, SONDE_AUTH_AWS_SIGV4);
      sonde_auth_set_username (target, dict_get (block, "accessKeyId") ? dict_get (block, "accessKeyId") : "");
      sonde_auth_set_password (target, dict_get (block, "secretAccessKey") ? dict_get (block, "secretAccessKey") : "");
      sonde_auth_set_token (target, dict_get (block, "sessionToken") ? dict_get (block, "sessionToken") : "");
      sonde_auth_set_region (target, dict_get (block, "region") ? dict_get (block, "region") : "");
      sonde_auth_set_service (target, dict_get (block, "service") ? dict_get (block, "service") : "");
      if (dict_get (block, "profileName") != NULL && dict_get (block, "profileName")[0] != '\0')
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                           _("its AWS profile name was left out: Sonde signs with the keys written in the request"));
    }
  else if (g_str_equal (mode, "ntlm"))
    {
      const char *user = dict_get (block, "username") ? dict_get (block, "username") : "";
      const char *domain = dict_get (block, "domain");
      g_autofree char *name = domain != NULL && domain[0] != '\0' ? g_strdup_printf ("%s\\%s", domain, user)
                                                                 : g_strdup (user);

      /* libsoup's NTLM takes the domain as DOMAIN\user */
      sonde_auth_set_kind (target, SONDE_AUTH_NTLM);
      sonde_auth_set_username (target, name);
      sonde_auth_set_password (target, dict_get (block, "password") ? dict_get (block, "password") : "");
    }
  else if (g_str_equal (mode, "oauth2") &&
           (g_strcmp0 (dict_get (block, "grant_type"), "client_credentials") == 0 ||
            g_strcmp0 (dict_get (block, "grant_type"), "password") == 0 ||
            g_strcmp0 (dict_get (block, "grant_type"), "authorization_code") == 0))
    {
      static const struct { const char *key; SondeOAuthField field; } keys[] = {
        { "access_token_url", SONDE_OAUTH_TOKEN_URL }, { "authorization_url", SONDE_OAUTH_AUTH_URL },
        { "client_id", SONDE_OAUTH_CLIENT_ID }, { "client_secret", SONDE_OAUTH_CLIENT_SECRET },
        { "scope", SONDE_OAUTH_SCOPE },
      };

      sonde_auth_set_kind (target, SONDE_AUTH_OAUTH2);
      sonde_auth_set_oauth (target, SONDE_OAUTH_GRANT, dict_get (block, "grant_type"));
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        sonde_auth_set_oauth (target, keys[i].field, dict_get (block, keys[i].key) ? dict_get (block, keys[i].key) : "");
      /* Bruno's default is the body */
      sonde_auth_set_oauth (target, SONDE_OAUTH_CLIENT_AUTH,
                            g_strcmp0 (dict_get (block, "credentials_placement"), "basic_auth_header") == 0 ? "basic" : "body");
      if (g_strcmp0 (dict_get (block, "token_placement"), "url") == 0)
        sonde_auth_set_oauth (target, SONDE_OAUTH_TOKEN_QUERY,
                              dict_get (block, "token_query_key") && dict_get (block, "token_query_key")[0] != '\0'
                              ? dict_get (block, "token_query_key") : "access_token");
      sonde_auth_set_username (target, dict_get (block, "username") ? dict_get (block, "username") : "");
      sonde_auth_set_password (target, dict_get (block, "password") ? dict_get (block, "password") : "");
      if (g_strcmp0 (dict_get (block, "grant_type"), "authorization_code") == 0 && g_strcmp0 (dict_get (block, "pkce"), "true") != 0)
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, where,
                           _("its authorization code grant uses PKCE in Sonde, which always does"));
    }
  else if (g_str_equal (mode, "apikey"))
    {
      sonde_auth_set_kind (target, SONDE_AUTH_API_KEY);
      sonde_auth_set_key_name (target, dict_get (block, "key") ? dict_get (block, "key") : "");
      sonde_auth_set_key_value (target, dict_get (block, "value") ? dict_get (block, "value") : "");
      sonde_auth_set_key_location (target, g_strcmp0 (dict_get (block, "placement"), "queryparams") == 0
                                           ? SONDE_API_KEY_IN_QUERY : SONDE_API_KEY_IN_HEADER);
    }
  else
    {
      g_autoptr(JsonObject) kept = json_object_new ();

      json_object_set_string_member (kept, "type", mode);
      for (guint i = 0; block != NULL && block->kind == BLOCK_DICT && i < block->keys->len; i++)
        {
          g_autofree char *lower = g_ascii_strdown (block->keys->pdata[i], -1);
          gboolean secret = (strstr (lower, "secret") != NULL || strstr (lower, "password") != NULL ||
                             strstr (lower, "token") != NULL) &&
                            strstr (block->values->pdata[i], "{{") == NULL;

          json_object_set_string_member (kept, block->keys->pdata[i], secret ? "" : block->values->pdata[i]);
        }
      sonde_auth_set_kind (target, SONDE_AUTH_NONE);
      sonde_auth_set_extra (target, kept);
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_KEPT, where,
                         _("%s auth is kept in the file, without its secrets, but Sonde cannot send it yet"), mode);
    }
}

static void
set_array (JsonObject *object,
           const char *name,
           JsonArray  *array)
{
  if (json_array_get_length (array) > 0)
    json_object_set_array_member (object, name, array);
  else
    json_array_unref (array);
}

static JsonArray *
variable_rows (Block *block)
{
  JsonArray *rows = json_array_new ();

  for (guint i = 0; block != NULL && block->kind == BLOCK_DICT && i < block->keys->len; i++)
    {
      const char *key = block->keys->pdata[i];
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "name", key[0] == '~' ? key + 1 : key);
      json_object_set_string_member (row, "value", block->values->pdata[i]);
      if (key[0] == '~')
        json_object_set_boolean_member (row, "enabled", FALSE);
      json_array_add_object_element (rows, row);
    }
  return rows;
}

/* "res.body.a.b", "res('a.b')", "res.headers['x']", "res.status": SOURCE, NAME, PATH */
static gboolean
response_expression (const char  *expression,
                     const char **source,
                     char       **name,
                     char       **path)
{
  g_autoptr(GRegex) headers = g_regex_new ("^res\\.(?:headers|getHeader)(?:\\[[\"']([^\"']+)[\"']\\]|\\.([\\w-]+)|\\([\"']([^\"']+)[\"']\\))$", 0, 0, NULL);
  g_autoptr(GRegex) call = g_regex_new ("^res\\([\"']([^\"']+)[\"']\\)$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  *name = NULL;
  *path = NULL;
  if (g_str_equal (expression, "res.status") || g_str_equal (expression, "res.getStatus()"))
    {
      *source = "status";
      return TRUE;
    }
  if (g_str_equal (expression, "res.responseTime") || g_str_equal (expression, "res.getResponseTime()"))
    {
      *source = "duration";
      return TRUE;
    }
  if (g_str_equal (expression, "res.body") || g_str_equal (expression, "res.getBody()"))
    {
      *source = "body";
      return TRUE;
    }
  if (g_str_has_prefix (expression, "res.body.") || g_str_has_prefix (expression, "res.body["))
    {
      *source = "jsonpath";
      *path = g_strconcat ("$", expression + strlen ("res.body"), NULL);
      return TRUE;
    }
  if (g_regex_match (call, expression, 0, &match))
    {
      g_autofree char *inner = g_match_info_fetch (match, 1);

      *source = "jsonpath";
      *path = g_strconcat ("$.", inner, NULL);
      return TRUE;
    }
  g_clear_pointer (&match, g_match_info_free);
  if (g_regex_match (headers, expression, 0, &match))
    {
      for (int group = 1; group <= 3 && (*name == NULL || (*name)[0] == '\0'); group++)
        {
          g_free (*name);
          *name = g_match_info_fetch (match, group);
        }
      *source = "header";
      return TRUE;
    }
  return FALSE;
}

static void
read_captures (Context    *ctx,
               const char *where,
               Block      *block,
               JsonObject *extra)
{
  JsonArray *captures = json_array_new ();

  for (guint i = 0; block != NULL && block->kind == BLOCK_DICT && i < block->keys->len; i++)
    {
      const char *key = block->keys->pdata[i];
      const char *source;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      JsonObject *row;

      if (!response_expression (block->values->pdata[i], &source, &name, &path))
        {
          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                             _("the variable “%s” takes “%s”, which Sonde cannot capture"),
                             key, (char *) block->values->pdata[i]);
          continue;
        }
      row = json_object_new ();
      json_object_set_string_member (row, "variable", key[0] == '~' ? key + 1 : key);
      json_object_set_string_member (row, "source", source);
      if (name != NULL)
        json_object_set_string_member (row, "name", name);
      if (path != NULL)
        json_object_set_string_member (row, "path", path);
      if (key[0] == '~')
        json_object_set_boolean_member (row, "enabled", FALSE);
      json_array_add_object_element (captures, row);
    }
  set_array (extra, "captures", captures);
}

static void
read_checks (Context    *ctx,
             const char *where,
             Block      *block,
             JsonObject *extra)
{
  static const struct { const char *bruno; const char *sonde; gboolean has_value; } ops[] = {
    { "eq", "==", TRUE }, { "neq", "!=", TRUE }, { "gt", ">", TRUE }, { "gte", ">=", TRUE },
    { "lt", "<", TRUE }, { "lte", "<=", TRUE }, { "contains", "contains", TRUE },
    { "startsWith", "startsWith", TRUE }, { "endsWith", "endsWith", TRUE }, { "matches", "matches", TRUE },
    { "isNumber", "isNumber", FALSE }, { "isString", "isString", FALSE }, { "isBoolean", "isBoolean", FALSE },
    { "isArray", "isArray", FALSE }, { "isNull", "isNull", FALSE }, { "isEmpty", "isEmpty", FALSE },
    { "isDefined", "exists", FALSE }, { "isUndefined", "notExists", FALSE }, { "length", "count", TRUE },
  };
  JsonArray *checks = json_array_new ();

  for (guint i = 0; block != NULL && block->kind == BLOCK_DICT && i < block->keys->len; i++)
    {
      const char *key = block->keys->pdata[i];
      const char *expression = key[0] == '~' ? key + 1 : key;
      const char *assertion = block->values->pdata[i];
      const char *space = strchr (assertion, ' ');
      g_autofree char *op = space != NULL ? g_strndup (assertion, space - assertion) : g_strdup (assertion);
      g_autofree char *value = space != NULL ? g_strstrip (g_strdup (space + 1)) : NULL;
      const char *source;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      const char *sonde_op = NULL;
      gboolean has_value = FALSE;
      JsonObject *row;

      for (guint j = 0; j < G_N_ELEMENTS (ops); j++)
        if (g_str_equal (ops[j].bruno, op))
          {
            sonde_op = ops[j].sonde;
            has_value = ops[j].has_value;
          }
      if (sonde_op == NULL || !response_expression (expression, &source, &name, &path))
        {
          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where,
                             _("the assertion “%s: %s” has no Sonde check"), expression, assertion);
          continue;
        }

      /* Quoted strings lose their quotes */
      if (value != NULL && strlen (value) >= 2 && (value[0] == '"' || value[0] == '\'') &&
          value[strlen (value) - 1] == value[0])
        {
          value[strlen (value) - 1] = '\0';
          memmove (value, value + 1, strlen (value));
        }
      row = json_object_new ();
      json_object_set_string_member (row, "source", source);
      if (name != NULL)
        json_object_set_string_member (row, "name", name);
      if (path != NULL)
        json_object_set_string_member (row, "path", path);
      json_object_set_string_member (row, "op", sonde_op);
      if (has_value && value != NULL)
        json_object_set_string_member (row, "value", value);
      if (key[0] == '~')
        json_object_set_boolean_member (row, "enabled", FALSE);
      json_array_add_object_element (checks, row);
    }
  set_array (extra, "checks", checks);
}

/* docs, scripts, variables, checks and captures: the request's (or folder's) other keys */
static void
read_extra (Context    *ctx,
            const char *where,
            GPtrArray  *blocks,
            JsonObject *extra,
            gboolean    is_request)
{
  Block *docs = find_block (blocks, "docs");
  Block *pre = find_block (blocks, "script:pre-request");
  Block *post = find_block (blocks, "script:post-response");
  Block *tests = find_block (blocks, "tests");

  if (docs != NULL && docs->text[0] != '\0')
    json_object_set_string_member (extra, "description", docs->text);
  if (is_request)
    set_array (extra, "variables", variable_rows (find_block (blocks, "vars:pre-request")));
  if (pre != NULL || post != NULL || tests != NULL)
    {
      JsonObject *scripts = json_object_new ();

      json_object_set_string_member (scripts, "from", "bruno");
      if (pre != NULL)
        json_object_set_string_member (scripts, "preRequest", pre->text);
      if (post != NULL)
        json_object_set_string_member (scripts, "postResponse", post->text);
      if (tests != NULL)
        json_object_set_string_member (scripts, "tests", tests->text);
      json_object_set_object_member (extra, "scripts", scripts);
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_KEPT, where,
                         _("its scripts are kept in the file, but Sonde does not run scripts"));
    }
  read_checks (ctx, where, find_block (blocks, "assert"), extra);
  if (is_request)
    read_captures (ctx, where, find_block (blocks, "vars:post-response"), extra);
}

static const char * const methods[] = {
  "get", "post", "put", "delete", "patch", "options", "head", "connect", "trace", NULL
};

/* ":id" path segments become {{id}} with a request variable */
static char *
convert_path_params (const char *url,
                     Block      *params,
                     JsonObject *extra)
{
  g_autoptr(GRegex) segment = g_regex_new ("/:([A-Za-z_][\\w-]*)", 0, 0, NULL);
  char *converted = g_regex_replace (segment, url, -1, 0, "/{{\\1}}", 0, NULL);
  JsonArray *rows;

  if (params == NULL || params->kind != BLOCK_DICT || params->keys->len == 0)
    return converted;
  rows = json_object_has_member (extra, "variables") ? json_object_get_array_member (extra, "variables") : NULL;
  if (rows == NULL)
    {
      rows = json_array_new ();
      json_object_set_array_member (extra, "variables", rows);
    }
  for (guint i = 0; i < params->keys->len; i++)
    {
      JsonObject *row = json_object_new ();
      const char *key = params->keys->pdata[i];

      json_object_set_string_member (row, "name", key[0] == '~' ? key + 1 : key);
      json_object_set_string_member (row, "value", params->values->pdata[i]);
      json_array_add_object_element (rows, row);
    }
  return converted;
}

static SondeRequest *
read_request (Context    *ctx,
              GFile      *file,
              const char *data,
              const char *where,
              gint64     *seq,
              GError    **error)
{
  g_autoptr(GPtrArray) blocks = parse_bru (data, error);
  g_autoptr(SondeRequest) request = NULL;
  Block *meta;
  Block *http = NULL;
  SondeBody *body;
  JsonObject *extra;
  const char *mode;
  g_autofree char *url = NULL;

  if (blocks == NULL)
    return NULL;
  meta = find_block (blocks, "meta");
  for (guint i = 0; methods[i] != NULL && http == NULL; i++)
    http = find_block (blocks, methods[i]);
  if (http == NULL || http->kind != BLOCK_DICT)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("it has no method block (get, post, …)"));
      return NULL;
    }

  request = sonde_request_new ();
  body = sonde_request_get_body (request);
  extra = sonde_import_request_extra (request);
  sonde_request_set_name (request, dict_get (meta, "name") ? dict_get (meta, "name") : where);
  *seq = dict_get (meta, "seq") ? g_ascii_strtoll (dict_get (meta, "seq"), NULL, 10) : G_MAXINT64;
  {
    g_autofree char *method = g_ascii_strup (http->name, -1);

    sonde_request_set_method (request, method);
  }

  /* The query is also in params:query: rows, and the URL without it */
  url = g_strdup (dict_get (http, "url") ? dict_get (http, "url") : "");
  if (find_block (blocks, "params:query") != NULL)
    {
      char *question = strchr (url, '?');

      if (question != NULL)
        *question = '\0';
      dict_rows (find_block (blocks, "params:query"), sonde_request_get_params (request));
    }
  read_extra (ctx, where, blocks, extra, TRUE);
  {
    g_autofree char *converted = convert_path_params (url, find_block (blocks, "params:path"), extra);

    sonde_request_set_url (request, converted);
  }
  dict_rows (find_block (blocks, "headers"), sonde_request_get_headers (request));
  read_auth (ctx, where, dict_get (http, "auth"), blocks, sonde_request_get_auth (request));

  mode = dict_get (http, "body");
  if (mode == NULL || g_str_equal (mode, "none"))
    ;
  else if (g_str_equal (mode, "json") || g_str_equal (mode, "xml") || g_str_equal (mode, "text") ||
           g_str_equal (mode, "sparql"))
    {
      g_autofree char *name = g_strconcat ("body:", mode, NULL);
      Block *text = find_block (blocks, name);

      sonde_body_set_kind (body, g_str_equal (mode, "json") ? SONDE_BODY_JSON
                                 : g_str_equal (mode, "xml") ? SONDE_BODY_XML : SONDE_BODY_TEXT);
      if (g_str_equal (mode, "sparql"))
        sonde_body_set_content_type (body, "application/sparql-query");
      else if (g_str_equal (mode, "text"))
        sonde_body_set_content_type (body, "text/plain");
      sonde_body_set_text (body, text != NULL ? text->text : "");
    }
  else if (g_str_equal (mode, "formUrlEncoded"))
    {
      sonde_body_set_kind (body, SONDE_BODY_FORM);
      dict_rows (find_block (blocks, "body:form-urlencoded"), sonde_body_get_fields (body));
    }
  else if (g_str_equal (mode, "multipartForm"))
    {
      Block *form = find_block (blocks, "body:multipart-form");

      sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
      for (guint i = 0; form != NULL && form->kind == BLOCK_DICT && i < form->keys->len; i++)
        {
          const char *key = form->keys->pdata[i];
          const char *value = form->values->pdata[i];
          g_autoptr(SondeBodyPart) part = NULL;

          if (g_str_has_prefix (value, "@file(") && g_str_has_suffix (value, ")"))
            {
              /* Bruno's file paths are relative to the collection folder */
              g_autofree char *path = g_strndup (value + 6, strlen (value) - 7);
              g_autofree char *absolute = sonde_import_outside_file (ctx->import, where, ctx->root, path);

              part = sonde_body_part_new_file (key[0] == '~' ? key + 1 : key, absolute);
            }
          else
            part = sonde_body_part_new_text (key[0] == '~' ? key + 1 : key, value);
          if (key[0] == '~')
            sonde_body_part_set_enabled (part, FALSE);
          g_list_store_append (sonde_body_get_parts (body), part);
        }
    }
  else if (g_str_equal (mode, "graphql"))
    {
      Block *query = find_block (blocks, "body:graphql");
      Block *variables = find_block (blocks, "body:graphql:vars");

      sonde_import_set_graphql_body (body, query != NULL ? query->text : "",
                                     variables != NULL ? variables->text : NULL);
    }
  else
    sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where, _("its body mode “%s” is not known"), mode);

  if (json_object_get_size (extra) == 0)
    sonde_request_set_extra (request, NULL);
  return g_steal_pointer (&request);
}

static gboolean
load_bru (GFile        *file,
          char        **data,
          GCancellable *cancellable,
          GError      **error)
{
  gsize length;

  return sonde_file_load_bounded (file, SONDE_MAX_FILE_SIZE, data, &length, cancellable, error);
}

/* folder.bru and collection.bru: a folder's settings */
static gboolean
read_settings (Context            *ctx,
               GPtrArray          *blocks,
               const char         *where,
               SondeImportFolder  *folder)
{
  Block *auth = find_block (blocks, "auth");
  Block *vars = find_block (blocks, "vars:pre-request");

  dict_rows (find_block (blocks, "headers"), sonde_import_folder_get_headers (folder));
  dict_rows (vars, sonde_import_folder_get_variables (folder));
  if (auth != NULL)
    read_auth (ctx, where, dict_get (auth, "mode"), blocks, sonde_import_folder_get_auth (folder));
  read_extra (ctx, where, blocks, sonde_import_folder_get_extra (folder), FALSE);
  return TRUE;
}

typedef struct
{
  gint64             seq;
  char              *name;
  GFile             *file;
  gboolean           is_folder;
  SondeRequest      *request;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_object_unref (entry->file);
  g_clear_object (&entry->request);
  g_free (entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = *(Entry **) a;
  const Entry *eb = *(Entry **) b;

  /* Folders first, then by seq, then by name */
  if (ea->is_folder != eb->is_folder)
    return ea->is_folder ? -1 : 1;
  if (ea->seq != eb->seq)
    return ea->seq < eb->seq ? -1 : 1;
  return g_strcmp0 (ea->name, eb->name);
}

static char *
child_where (const char *parent,
             const char *name)
{
  if (parent == NULL || parent[0] == '\0')
    return g_strdup (name);
  return g_strdup_printf ("%s/%s", parent, name);
}

/* Whether DIR holds a .bru file at any depth: a folder of other files is data, not a folder
 * of the collection (as in Sonde's own collections). */
static gboolean
holds_bru (GFile        *dir,
           guint         depth,
           GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  if (depth > 64)
    return FALSE;
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, cancellable, NULL) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);

      if (name[0] == '.' || g_str_equal (name, "node_modules"))
        continue;
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && g_str_has_suffix (name, ".bru"))
        return TRUE;
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY && holds_bru (child, depth + 1, cancellable))
        return TRUE;
    }
  return FALSE;
}

static gboolean
read_folder (Context            *ctx,
             GFile              *dir,
             SondeImportFolder  *folder,
             const char         *where,
             guint               depth,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  GFileInfo *info;
  GFile *child;

  if (depth > 64)
    {
      sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, where, _("folders nested deeper than 64 were left out"));
      return TRUE;
    }
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  if (children == NULL)
    return FALSE;

  while (g_file_enumerator_iterate (children, &info, &child, cancellable, error) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);
      GFileType type = g_file_info_get_file_type (info);
      Entry *entry;

      if (name[0] == '.' || g_str_equal (name, "node_modules") ||
          (depth == 0 && g_str_equal (name, "environments")))
        continue;
      if (type == G_FILE_TYPE_SYMBOLIC_LINK)
        {
          g_autofree char *shown = child_where (where, name);

          sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_DROPPED, shown,
                             _("a symbolic link is not followed"));
          continue;
        }
      if (type == G_FILE_TYPE_DIRECTORY && holds_bru (child, depth + 1, cancellable))
        {
          g_autoptr(GFile) folder_bru = g_file_get_child (child, "folder.bru");
          g_autofree char *data = NULL;
          g_autoptr(GPtrArray) blocks = NULL;

          entry = g_new0 (Entry, 1);
          entry->is_folder = TRUE;
          entry->name = g_strdup (name);
          entry->file = g_object_ref (child);
          entry->seq = G_MAXINT64;
          if (g_file_query_exists (folder_bru, cancellable))
            {
              if (!load_bru (folder_bru, &data, cancellable, error) ||
                  (blocks = parse_bru (data, error)) == NULL)
                {
                  g_autofree char *shown = g_file_get_parse_name (folder_bru);

                  entry_free (entry);
                  g_prefix_error (error, "%s: ", shown);
                  return FALSE;
                }
              if (dict_get (find_block (blocks, "meta"), "seq") != NULL)
                entry->seq = g_ascii_strtoll (dict_get (find_block (blocks, "meta"), "seq"), NULL, 10);
            }
          g_ptr_array_add (entries, entry);
        }
      else if (type == G_FILE_TYPE_REGULAR && g_str_has_suffix (name, ".bru") &&
               !g_str_equal (name, "folder.bru") && !g_str_equal (name, "collection.bru"))
        {
          entry = g_new0 (Entry, 1);
          entry->name = g_strdup (name);
          entry->file = g_object_ref (child);
          g_ptr_array_add (entries, entry);
        }
    }
  if (error != NULL && *error != NULL)
    return FALSE;

  /* Requests' seq comes from their meta block: read them first */
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = entries->pdata[i];
      g_autofree char *data = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *item_where = NULL;
      g_autoptr(GError) local_error = NULL;

      if (entry->is_folder)
        continue;
      stem = g_strndup (entry->name, strlen (entry->name) - 4);
      item_where = child_where (where, stem);
      if (!load_bru (entry->file, &data, cancellable, &local_error) ||
          (entry->request = read_request (ctx, entry->file, data, item_where, &entry->seq, &local_error)) == NULL)
        {
          g_autofree char *shown = g_file_get_parse_name (entry->file);

          /* One broken file fails the import: nothing is written */
          g_set_error (error, local_error->domain, local_error->code, "%s: %s", shown, local_error->message);
          return FALSE;
        }
    }
  g_ptr_array_sort (entries, compare_entries);

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = entries->pdata[i];

      if (entry->is_folder)
        {
          g_autoptr(GFile) folder_bru = g_file_get_child (entry->file, "folder.bru");
          g_autofree char *item_where = child_where (where, entry->name);
          SondeImportFolder *sub;
          const char *name = entry->name;
          g_autofree char *data = NULL;
          g_autoptr(GPtrArray) blocks = NULL;

          if (g_file_query_exists (folder_bru, cancellable) && load_bru (folder_bru, &data, cancellable, NULL))
            blocks = parse_bru (data, NULL);
          if (blocks != NULL && dict_get (find_block (blocks, "meta"), "name") != NULL)
            name = dict_get (find_block (blocks, "meta"), "name");
          sub = sonde_import_add_folder (ctx->import, folder, name);
          if (blocks != NULL)
            read_settings (ctx, blocks, item_where, sub);
          if (!read_folder (ctx, entry->file, sub, item_where, depth + 1, cancellable, error))
            return FALSE;
        }
      else
        sonde_import_add_request (ctx->import, folder, entry->request);
    }
  return TRUE;
}

static gboolean
read_environments (Context       *ctx,
                   GFile         *root,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GFile) dir = g_file_get_child (root, "environments");
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GFileInfo *info;

  if (!g_file_query_exists (dir, cancellable))
    return TRUE;
  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  if (children == NULL)
    return FALSE;
  while (g_file_enumerator_iterate (children, &info, NULL, cancellable, error) && info != NULL)
    if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && g_str_has_suffix (g_file_info_get_name (info), ".bru"))
      g_ptr_array_add (names, g_strdup (g_file_info_get_name (info)));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GFile) file = g_file_get_child (dir, names->pdata[i]);
      g_autofree char *data = NULL;
      g_autofree char *name = g_strndup (names->pdata[i], strlen (names->pdata[i]) - 4);
      g_autoptr(GPtrArray) blocks = NULL;
      g_autoptr(GError) local_error = NULL;
      SondeEnvironment *environment;
      Block *secrets;

      if (!load_bru (file, &data, cancellable, &local_error) || (blocks = parse_bru (data, &local_error)) == NULL)
        {
          g_autofree char *shown = g_file_get_parse_name (file);

          g_set_error (error, local_error->domain, local_error->code, "%s: %s", shown, local_error->message);
          return FALSE;
        }
      environment = sonde_import_add_environment (ctx->import, name);
      dict_rows (find_block (blocks, "vars"), sonde_environment_get_variables (environment));
      secrets = find_block (blocks, "vars:secret");
      for (guint j = 0; secrets != NULL && secrets->kind == BLOCK_LIST && j < secrets->values->len; j++)
        {
          const char *secret = secrets->values->pdata[j];
          SondeKeyValue *row = sonde_key_value_list_append (sonde_environment_get_variables (environment),
                                                            secret[0] == '~' ? secret + 1 : secret, "");

          sonde_variable_set_secret (row, TRUE);
          if (secret[0] == '~')
            sonde_key_value_set_enabled (row, FALSE);
        }
      if (secrets != NULL && secrets->values->len > 0)
        sonde_import_note (ctx->import, SONDE_IMPORT_NOTE_CONVERTED, name,
                           _("its secret variables have no value in the files: set them in the environment"));
    }
  return TRUE;
}

SondeImport *
sonde_import_bruno (GFile         *dir,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFile) manifest = g_file_get_child (dir, "bruno.json");
  g_autoptr(GFile) collection_bru = g_file_get_child (dir, "collection.bru");
  g_autofree char *manifest_data = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name = NULL;
  gsize length;
  Context ctx = { 0 };

  if (!sonde_file_load_bounded (manifest, SONDE_MAX_FILE_SIZE, &manifest_data, &length, cancellable, &local_error) ||
      !sonde_json_parse_document (parser, manifest_data, length, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "bruno.json: %s", local_error->message);
      return NULL;
    }
  if (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    name = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                       "name", NULL);

  import = sonde_import_new (name);
  ctx.import = import;
  ctx.root = dir;

  if (g_file_query_exists (collection_bru, cancellable))
    {
      g_autofree char *data = NULL;
      g_autoptr(GPtrArray) blocks = NULL;

      if (!load_bru (collection_bru, &data, cancellable, &local_error) ||
          (blocks = parse_bru (data, &local_error)) == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code, "collection.bru: %s", local_error->message);
          return NULL;
        }
      /* Translators: where a note of an import report applies: the collection itself */
      read_settings (&ctx, blocks, _("Collection"), sonde_import_get_root (import));
    }

  if (!read_environments (&ctx, dir, cancellable, error) ||
      !read_folder (&ctx, dir, sonde_import_get_root (import), NULL, 0, cancellable, error))
    return NULL;
  return g_steal_pointer (&import);
}
