/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-client.h"
#include "sonde-collection.h"
#include "sonde-export.h"
#include "sonde-websocket.h"
#include "sonde-variables.h"

/* "Copy as" curl, python-requests, HTTPie and fetch (docs/import-export.md). Each writer
 * gets the request reduced to what goes on the wire (Wire below), so that the four say the
 * same thing, and the same thing as sonde_client_send_async () sends. */

static const struct
{
  SondeExportLanguage  language;
  const char          *name;
  const char          *title;
} languages[] = {
  { SONDE_EXPORT_CURL, "curl", N_("curl") },
  { SONDE_EXPORT_PYTHON, "python", N_("Python (requests)") },
  { SONDE_EXPORT_HTTPIE, "httpie", N_("HTTPie") },
  { SONDE_EXPORT_FETCH, "fetch", N_("JavaScript (fetch)") },
};

const char *
sonde_export_language_to_string (SondeExportLanguage language)
{
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (languages[i].language == language)
      return languages[i].name;
  return "curl";
}

const char *
sonde_export_language_get_title (SondeExportLanguage language)
{
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (languages[i].language == language)
      return _(languages[i].title);
  return "curl";
}

gboolean
sonde_export_language_from_string (const char          *text,
                                   SondeExportLanguage *language)
{
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_ascii_strcasecmp (languages[i].name, text) == 0)
      {
        *language = languages[i].language;
        return TRUE;
      }
  if (g_ascii_strcasecmp (text, "python-requests") == 0 || g_ascii_strcasecmp (text, "requests") == 0)
    {
      *language = SONDE_EXPORT_PYTHON;
      return TRUE;
    }
  return FALSE;
}

SondeRequest *
sonde_export_prepare (SondeCollection      *collection,
                      SondeCollectionNode  *node,
                      SondeRequest         *request,
                      SondeEnvironment     *environment,
                      SondeSecretStore     *secrets,
                      GHashTable           *overrides,
                      GError              **error)
{
  g_autoptr(SondeRequest) effective = NULL;
  g_autoptr(GHashTable) variables = NULL;
  g_autoptr(GHashTable) secret_names = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (collection), NULL);

  if (secrets != NULL)
    return sonde_collection_prepare_request (collection, node, request, environment, secrets,
                                             overrides, error);

  /* Secrets stay {{name}}: values are not expanded again. */
  variables = sonde_collection_build_variables_preview (collection, node, request, environment,
                                                        &secret_names, error);
  if (variables == NULL)
    return NULL;
  if (secret_names != NULL)
    {
      GHashTableIter iter;
      gpointer name;

      g_hash_table_iter_init (&iter, secret_names);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        g_hash_table_insert (variables, g_strdup (name), g_strdup_printf ("{{%s}}", (char *) name));
    }
  sonde_variables_merge (variables, overrides);

  effective = sonde_collection_get_effective_request (collection, node, request, error);
  if (effective == NULL)
    return NULL;
  return sonde_request_expand (effective, variables, error);
}

/* The request as it goes on the wire */

typedef struct
{
  char *name;
  char *value;
} Pair;

typedef struct
{
  char          *method;
  char          *url;
  GArray        *headers;       /* Pair, enabled rows, auth headers included */
  char          *cookie;        /* the Cookie header of the cookie rows, or NULL */
  SondeAuthKind  auth;          /* BASIC, DIGEST, NTLM or AWS_SIGV4, else NONE (the others are headers) */
  const char    *username;      /* AWS: the access key */
  const char    *password;      /* AWS: the secret key */
  const char    *aws_token;     /* AWS: the session token, or "" */
  const char    *aws_region;
  const char    *aws_service;
  SondeBodyKind  body_kind;
  char          *content_type;  /* the body's, when no Content-Type row says it */
  const char    *text;          /* text, json, xml */
  char          *graphql;       /* GraphQL as the JSON sent (the body kind is then JSON) */
  char          *form;          /* form: encoded */
  GListModel    *fields;        /* form rows */
  GPtrArray     *parts;         /* SondeBodyPart*, enabled, file paths absolute in "file" */
  char          *file;          /* file body, absolute */
  SondeRequestOptions *options;
  gboolean       follow;
  int            max_redirects; /* -1: not set */
  double         timeout;
  double         connect_timeout;
  gboolean       verify;
  char          *ca_file;
  char          *cert;
  char          *key;
  char          *pkcs12;
  const char    *passphrase;
  SondeProxyMode proxy_mode;
  const char    *proxy_url;
  const char    *proxy_username;
  const char    *proxy_password;
  const char * const *no_proxy;
  gboolean       http1_1;
} Wire;

static void
pair_clear (Pair *pair)
{
  g_free (pair->name);
  g_free (pair->value);
}

static void
wire_free (Wire *wire)
{
  g_free (wire->method);
  g_free (wire->url);
  g_array_unref (wire->headers);
  g_free (wire->cookie);
  g_free (wire->content_type);
  g_free (wire->form);
  g_free (wire->graphql);
  g_clear_pointer (&wire->parts, g_ptr_array_unref);
  g_free (wire->file);
  g_free (wire->ca_file);
  g_free (wire->cert);
  g_free (wire->key);
  g_free (wire->pkcs12);
  g_free (wire);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Wire, wire_free)

static void
add_header (Wire       *wire,
            const char *name,
            const char *value)
{
  Pair pair = { g_strdup (name), g_strdup (value) };

  g_array_append_val (wire->headers, pair);
}

static gboolean
has_header (Wire       *wire,
            const char *name)
{
  for (guint i = 0; i < wire->headers->len; i++)
    if (g_ascii_strcasecmp (g_array_index (wire->headers, Pair, i).name, name) == 0)
      return TRUE;
  return FALSE;
}

static Wire *
wire_new (SondeRequest  *request,
          GError       **error)
{
  g_autoptr(Wire) wire = g_new0 (Wire, 1);
  GListModel *rows;
  SondeAuth *auth = sonde_request_get_auth (request);
  SondeBody *body = sonde_request_get_body (request);
  SondeRequestOptions *options = sonde_request_get_options (request);
  GString *cookie = NULL;

  wire->headers = g_array_new (FALSE, TRUE, sizeof (Pair));
  g_array_set_clear_func (wire->headers, (GDestroyNotify) pair_clear);

  wire->url = sonde_request_build_url (request, error);
  if (wire->url == NULL)
    return NULL;
  wire->method = g_ascii_strup (sonde_request_get_method (request), -1);

  rows = G_LIST_MODEL (sonde_request_get_headers (request));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);

      if (sonde_key_value_get_enabled (row) && sonde_key_value_get_name (row)[0] != '\0')
        add_header (wire, sonde_key_value_get_name (row), sonde_key_value_get_value (row));
    }

  rows = G_LIST_MODEL (sonde_request_get_cookies (request));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);

      if (!sonde_key_value_get_enabled (row) || sonde_key_value_get_name (row)[0] == '\0')
        continue;
      if (cookie == NULL)
        cookie = g_string_new (NULL);
      else
        g_string_append (cookie, "; ");
      g_string_append_printf (cookie, "%s=%s", sonde_key_value_get_name (row), sonde_key_value_get_value (row));
    }
  wire->cookie = cookie != NULL ? g_string_free (cookie, FALSE) : NULL;

  switch (sonde_auth_get_kind (auth))
    {
    case SONDE_AUTH_BASIC:
    case SONDE_AUTH_DIGEST:
    case SONDE_AUTH_NTLM:
      wire->auth = sonde_auth_get_kind (auth);
      wire->username = sonde_auth_get_username (auth);
      wire->password = sonde_auth_get_password (auth);
      break;
    case SONDE_AUTH_AWS_SIGV4:
      wire->auth = SONDE_AUTH_AWS_SIGV4;
      wire->username = sonde_auth_get_username (auth);
      wire->password = sonde_auth_get_password (auth);
      wire->aws_token = sonde_auth_get_token (auth);
      wire->aws_region = sonde_auth_get_region (auth);
      wire->aws_service = sonde_auth_get_service (auth);
      break;
    case SONDE_AUTH_BEARER:
      {
        g_autofree char *value = g_strconcat ("Bearer ", sonde_auth_get_token (auth), NULL);

        add_header (wire, "Authorization", value);
      }
      break;
    case SONDE_AUTH_API_KEY:
      if (sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_HEADER)
        add_header (wire, sonde_auth_get_key_name (auth), sonde_auth_get_key_value (auth));
      break;
    case SONDE_AUTH_NONE:
    case SONDE_AUTH_INHERIT:
    default:
      wire->auth = SONDE_AUTH_NONE;
      break;
    }

  wire->body_kind = sonde_body_get_kind (body);
  switch (wire->body_kind)
    {
    case SONDE_BODY_GRAPHQL:
      /* Sent as JSON; with GET, its parameters are in the URL already */
      if (sonde_client_is_graphql_get (request))
        {
          wire->body_kind = SONDE_BODY_NONE;
          break;
        }
      wire->graphql = sonde_body_build_graphql_json (body, error);
      if (wire->graphql == NULL)
        return NULL;
      wire->text = wire->graphql;
      wire->body_kind = SONDE_BODY_JSON;
      break;
    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
      wire->text = sonde_body_get_text (body) != NULL ? sonde_body_get_text (body) : "";
      break;
    case SONDE_BODY_FORM:
      wire->fields = G_LIST_MODEL (sonde_body_get_fields (body));
      wire->form = sonde_form_encode (wire->fields);
      break;
    case SONDE_BODY_MULTIPART:
      wire->parts = g_ptr_array_new_with_free_func (g_object_unref);
      rows = G_LIST_MODEL (sonde_body_get_parts (body));
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(SondeBodyPart) part = g_list_model_get_item (rows, i);
          SondeBodyPart *copy;

          if (!sonde_body_part_get_enabled (part))
            continue;
          copy = sonde_body_part_copy (part);
          if (sonde_body_part_get_file (part) != NULL)
            {
              g_autofree char *path = sonde_request_dup_absolute_path (request, sonde_body_part_get_file (part));

              sonde_body_part_set_file (copy, path);
            }
          g_ptr_array_add (wire->parts, copy);
        }
      break;
    case SONDE_BODY_FILE:
      wire->file = sonde_request_dup_absolute_path (request, sonde_body_get_file (body));
      if (wire->file == NULL)
        wire->body_kind = SONDE_BODY_NONE;
      break;
    case SONDE_BODY_NONE:
    default:
      break;
    }
  if (wire->body_kind != SONDE_BODY_NONE && wire->body_kind != SONDE_BODY_MULTIPART &&
      !has_header (wire, "Content-Type"))
    {
      const char *type = sonde_body_get_content_type (body);

      if (type == NULL || type[0] == '\0')
        type = sonde_body_kind_default_content_type (wire->body_kind);
      wire->content_type = g_strdup (type);
    }

  wire->options = options;
  wire->follow = sonde_request_options_get_follow_redirects (options);
  wire->max_redirects = sonde_request_options_is_set (options, "maxRedirects")
                        ? sonde_request_options_get_max_redirects (options) : -1;
  wire->timeout = sonde_request_options_get_timeout (options);
  wire->connect_timeout = sonde_request_options_get_connect_timeout (options);
  wire->verify = sonde_request_options_get_verify_tls (options);
  wire->ca_file = sonde_request_dup_absolute_path (request, sonde_request_options_get_ca_file (options));
  wire->cert = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_cert (options));
  wire->key = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_key (options));
  wire->pkcs12 = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_pkcs12 (options));
  wire->passphrase = sonde_request_options_get_client_passphrase (options);
  if (wire->passphrase != NULL && wire->passphrase[0] == '\0')
    wire->passphrase = NULL;
  wire->proxy_mode = sonde_request_options_get_proxy_mode (options);
  wire->proxy_url = sonde_request_options_get_proxy_url (options);
  wire->proxy_username = sonde_request_options_get_proxy_username (options);
  wire->proxy_password = sonde_request_options_get_proxy_password (options);
  wire->no_proxy = sonde_request_options_get_no_proxy (options);
  wire->http1_1 = sonde_request_options_get_http_version (options) == SONDE_HTTP_VERSION_1_1;
  if (wire->proxy_mode == SONDE_PROXY_CUSTOM && (wire->proxy_url == NULL || wire->proxy_url[0] == '\0'))
    wire->proxy_mode = SONDE_PROXY_SYSTEM;

  return g_steal_pointer (&wire);
}

/* A proxy URL with its credentials in it (for tools that take them there). */
static char *
proxy_url_with_credentials (Wire *wire)
{
  const char *scheme_end = strstr (wire->proxy_url, "://");
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *scheme = NULL;

  if (wire->proxy_username == NULL || wire->proxy_username[0] == '\0' || scheme_end == NULL)
    return g_strdup (wire->proxy_url);
  user = g_uri_escape_string (wire->proxy_username, NULL, FALSE);
  password = g_uri_escape_string (wire->proxy_password != NULL ? wire->proxy_password : "", NULL, FALSE);
  scheme = g_strndup (wire->proxy_url, scheme_end - wire->proxy_url);
  return g_strdup_printf ("%s://%s:%s@%s", scheme, user, password, scheme_end + 3);
}

static char *
no_proxy_list (Wire *wire)
{
  if (wire->no_proxy == NULL || wire->no_proxy[0] == NULL)
    return NULL;
  return g_strjoinv (",", (char **) wire->no_proxy);
}

static char *
format_seconds (double seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", seconds));
}

/* Shell words: single quotes unless the word needs none. */
static void
append_shell (GString    *out,
              const char *word)
{
  gboolean plain = word[0] != '\0';

  for (const char *p = word; *p != '\0' && plain; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_./:=@,+%", *p) == NULL)
      plain = FALSE;
  if (plain)
    {
      g_string_append (out, word);
      return;
    }
  g_string_append_c (out, '\'');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (out, "'\\''");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

/* " \\\n  OPTION WORD" */
static void
append_option (GString    *out,
               const char *option,
               const char *word)
{
  g_string_append (out, " \\\n  ");
  g_string_append (out, option);
  if (word != NULL)
    {
      g_string_append_c (out, ' ');
      append_shell (out, word);
    }
}

/* curl -F takes "name=@file;type=…": a file name in double quotes with \" and \\ escaped. */
static void
append_curl_quoted (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
export_curl (Wire *wire)
{
  GString *out = g_string_new ("curl");
  gboolean has_body = wire->body_kind != SONDE_BODY_NONE;

  if (strcmp (wire->method, "HEAD") == 0)
    g_string_append (out, " --head");
  else if (!((strcmp (wire->method, "GET") == 0 && !has_body) ||
             (strcmp (wire->method, "POST") == 0 && has_body)))
    {
      g_string_append (out, " -X ");
      append_shell (out, wire->method);
    }
  g_string_append_c (out, ' ');
  append_shell (out, wire->url);

  for (guint i = 0; i < wire->headers->len; i++)
    {
      Pair *pair = &g_array_index (wire->headers, Pair, i);
      g_autofree char *header = pair->value[0] != '\0' ? g_strdup_printf ("%s: %s", pair->name, pair->value)
                                                       : g_strdup_printf ("%s;", pair->name);

      append_option (out, "-H", header);
    }
  if (wire->content_type != NULL)
    {
      g_autofree char *header = g_strdup_printf ("Content-Type: %s", wire->content_type);

      append_option (out, "-H", header);
    }
  if (wire->cookie != NULL)
    append_option (out, "-b", wire->cookie);
  if (wire->auth != SONDE_AUTH_NONE)
    {
      g_autofree char *user = g_strdup_printf ("%s:%s", wire->username, wire->password);

      if (wire->auth == SONDE_AUTH_DIGEST)
        append_option (out, "--digest", NULL);
      else if (wire->auth == SONDE_AUTH_NTLM)
        append_option (out, "--ntlm", NULL);
      else if (wire->auth == SONDE_AUTH_AWS_SIGV4)
        {
          g_autofree char *provider = g_strdup_printf ("aws:amz:%s:%s", wire->aws_region, wire->aws_service);

          append_option (out, "--aws-sigv4", provider);
          if (wire->aws_token[0] != '\0')
            {
              g_autofree char *token = g_strdup_printf ("X-Amz-Security-Token: %s", wire->aws_token);

              append_option (out, "-H", token);
            }
        }
      append_option (out, "-u", user);
    }

  switch (wire->body_kind)
    {
    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
      append_option (out, "--data-raw", wire->text);
      break;
    case SONDE_BODY_FORM:
      append_option (out, "--data-raw", wire->form);
      break;
    case SONDE_BODY_FILE:
      {
        g_autofree char *at = g_strconcat ("@", wire->file, NULL);

        append_option (out, "--data-binary", at);
      }
      break;
    case SONDE_BODY_MULTIPART:
      for (guint i = 0; i < wire->parts->len; i++)
        {
          SondeBodyPart *part = g_ptr_array_index (wire->parts, i);
          const char *file = sonde_body_part_get_file (part);
          const char *type = sonde_body_part_get_content_type (part);
          const char *filename = sonde_body_part_get_filename (part);
          g_autoptr(GString) field = g_string_new (sonde_body_part_get_name (part));

          if (file != NULL)
            {
              g_string_append (field, "=@");
              append_curl_quoted (field, file);
              if (type != NULL && type[0] != '\0')
                g_string_append_printf (field, ";type=%s", type);
              if (filename != NULL && filename[0] != '\0')
                {
                  g_string_append (field, ";filename=");
                  append_curl_quoted (field, filename);
                }
              append_option (out, "-F", field->str);
            }
          else if (type != NULL && type[0] != '\0')
            {
              /* -F reads ';' and a leading '@' or '<' in the value: quoted, they are plain. */
              g_string_append_c (field, '=');
              append_curl_quoted (field, sonde_body_part_get_value (part));
              g_string_append_printf (field, ";type=%s", type);
              append_option (out, "-F", field->str);
            }
          else
            {
              g_string_append_printf (field, "=%s", sonde_body_part_get_value (part));
              append_option (out, "--form-string", field->str);
            }
        }
      break;
    case SONDE_BODY_NONE:
    default:
      break;
    }

  /* Sonde asks for compressed responses and decodes them. */
  append_option (out, "--compressed", NULL);
  if (wire->follow)
    append_option (out, "-L", NULL);
  if (wire->follow && wire->max_redirects >= 0)
    {
      g_autofree char *n = g_strdup_printf ("%d", wire->max_redirects);

      append_option (out, "--max-redirs", n);
    }
  if (wire->timeout > 0)
    {
      g_autofree char *t = format_seconds (wire->timeout);

      append_option (out, "-m", t);
    }
  if (wire->connect_timeout > 0)
    {
      g_autofree char *t = format_seconds (wire->connect_timeout);

      append_option (out, "--connect-timeout", t);
    }
  if (!wire->verify)
    append_option (out, "-k", NULL);
  if (wire->ca_file != NULL)
    append_option (out, "--cacert", wire->ca_file);
  if (wire->pkcs12 != NULL || wire->cert != NULL)
    {
      GString *cert = g_string_new (NULL);

      /* --cert FILE:PASSPHRASE, with ':' in the file name escaped */
      for (const char *p = wire->pkcs12 != NULL ? wire->pkcs12 : wire->cert; *p != '\0'; p++)
        {
          if (*p == ':')
            g_string_append_c (cert, '\\');
          g_string_append_c (cert, *p);
        }
      if (wire->passphrase != NULL)
        g_string_append_printf (cert, ":%s", wire->passphrase);
      if (wire->pkcs12 != NULL)
        append_option (out, "--cert-type", "P12");
      append_option (out, "--cert", cert->str);
      g_string_free (cert, TRUE);
      if (wire->pkcs12 == NULL && wire->key != NULL)
        append_option (out, "--key", wire->key);
    }
  if (wire->proxy_mode == SONDE_PROXY_CUSTOM)
    {
      g_autofree char *no_proxy = no_proxy_list (wire);

      append_option (out, "-x", wire->proxy_url);
      if (wire->proxy_username != NULL && wire->proxy_username[0] != '\0')
        {
          g_autofree char *user = g_strdup_printf ("%s:%s", wire->proxy_username,
                                                   wire->proxy_password != NULL ? wire->proxy_password : "");

          append_option (out, "-U", user);
        }
      if (no_proxy != NULL)
        append_option (out, "--noproxy", no_proxy);
    }
  else if (wire->proxy_mode == SONDE_PROXY_NONE)
    append_option (out, "--noproxy", "*");
  if (wire->http1_1)
    append_option (out, "--http1.1", NULL);

  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/* Python and JavaScript string literals: double quotes, escapes for what is not printable. */
static void
append_string_literal (GString    *out,
                       const char *text,
                       gboolean    python)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, python ? "\\x%02x" : "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static void
append_py (GString    *out,
           const char *text)
{
  append_string_literal (out, text, TRUE);
}

/* "headers = {…}\n": the header rows, then NAME: VALUE when VALUE is not NULL */
static void
append_py_headers (GString    *out,
                   Wire       *wire,
                   const char *name,
                   const char *value)
{
  g_string_append (out, "headers = {\n");
  for (guint i = 0; i < wire->headers->len; i++)
    {
      Pair *pair = &g_array_index (wire->headers, Pair, i);

      g_string_append (out, "    ");
      append_py (out, pair->name);
      g_string_append (out, ": ");
      append_py (out, pair->value);
      g_string_append (out, ",\n");
    }
  if (value != NULL)
    {
      g_string_append (out, "    ");
      append_py (out, name);
      g_string_append (out, ": ");
      append_py (out, value);
      g_string_append (out, ",\n");
    }
  g_string_append (out, "}\n");
}

static char *
export_python (Wire *wire)
{
  GString *out = g_string_new ("import requests\n");
  GString *args = g_string_new (NULL);
  gboolean session = wire->max_redirects >= 0 && wire->follow;
  gboolean digest = wire->auth == SONDE_AUTH_DIGEST;
  gboolean ntlm = wire->auth == SONDE_AUTH_NTLM;
  gboolean aws = wire->auth == SONDE_AUTH_AWS_SIGV4;

  if (aws)
    g_string_append (out, "from requests_aws4auth import AWS4Auth  # pip install requests-aws4auth\n");
  if (digest)
    g_string_append (out, "from requests.auth import HTTPDigestAuth\n");
  if (ntlm)
    g_string_append (out, "from requests_ntlm import HttpNtlmAuth  # pip install requests_ntlm\n");
  g_string_append_c (out, '\n');

  g_string_append (out, "url = ");
  append_py (out, wire->url);
  g_string_append_c (out, '\n');

  if (wire->headers->len > 0 || wire->content_type != NULL)
    {
      append_py_headers (out, wire, "Content-Type", wire->content_type);
      g_string_append (args, "    headers=headers,\n");
    }
  if (wire->cookie != NULL)
    {
      /* One Cookie header, as Sonde sends it (a dict would lose repeated names). */
      if (wire->headers->len == 0 && wire->content_type == NULL)
        {
          g_string_append (out, "headers = {}\n");
          g_string_append (args, "    headers=headers,\n");
        }
      g_string_append (out, "headers[\"Cookie\"] = ");
      append_py (out, wire->cookie);
      g_string_append_c (out, '\n');
    }

  switch (wire->body_kind)
    {
    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
      /* The text as written, byte for byte (json= would write it again its own way). */
      g_string_append (out, "data = ");
      append_py (out, wire->text);
      g_string_append (out, ".encode()\n");
      g_string_append (args, "    data=data,\n");
      break;
    case SONDE_BODY_FORM:
      g_string_append (out, "data = [\n");
      for (guint i = 0; i < g_list_model_get_n_items (wire->fields); i++)
        {
          g_autoptr(SondeKeyValue) row = g_list_model_get_item (wire->fields, i);

          if (!sonde_key_value_get_enabled (row))
            continue;
          g_string_append (out, "    (");
          append_py (out, sonde_key_value_get_name (row));
          g_string_append (out, ", ");
          append_py (out, sonde_key_value_get_value (row));
          g_string_append (out, "),\n");
        }
      g_string_append (out, "]\n");
      g_string_append (args, "    data=data,\n");
      break;
    case SONDE_BODY_FILE:
      g_string_append (args, "    data=open(");
      append_py (args, wire->file);
      g_string_append (args, ", \"rb\"),\n");
      break;
    case SONDE_BODY_MULTIPART:
      g_string_append (out, "files = [\n");
      for (guint i = 0; i < wire->parts->len; i++)
        {
          SondeBodyPart *part = g_ptr_array_index (wire->parts, i);
          const char *file = sonde_body_part_get_file (part);
          const char *type = sonde_body_part_get_content_type (part);

          g_string_append (out, "    (");
          append_py (out, sonde_body_part_get_name (part));
          g_string_append (out, ", (");
          if (file != NULL)
            {
              const char *filename = sonde_body_part_get_filename (part);
              g_autofree char *base = g_path_get_basename (file);

              append_py (out, filename != NULL && filename[0] != '\0' ? filename : base);
              g_string_append (out, ", open(");
              append_py (out, file);
              g_string_append (out, ", \"rb\")");
            }
          else
            {
              g_string_append (out, "None, ");
              append_py (out, sonde_body_part_get_value (part));
            }
          if (type != NULL && type[0] != '\0')
            {
              g_string_append (out, ", ");
              append_py (out, type);
            }
          g_string_append (out, ")),\n");
        }
      g_string_append (out, "]\n");
      g_string_append (args, "    files=files,\n");
      break;
    case SONDE_BODY_NONE:
    default:
      break;
    }

  if (aws)
    {
      g_string_append (args, "    auth=AWS4Auth(");
      append_py (args, wire->username);
      g_string_append (args, ", ");
      append_py (args, wire->password);
      g_string_append (args, ", ");
      append_py (args, wire->aws_region);
      g_string_append (args, ", ");
      append_py (args, wire->aws_service);
      if (wire->aws_token[0] != '\0')
        {
          g_string_append (args, ", session_token=");
          append_py (args, wire->aws_token);
        }
      g_string_append (args, "),\n");
    }
  else if (wire->auth != SONDE_AUTH_NONE)
    {
      g_string_append (args, digest ? "    auth=HTTPDigestAuth(" : ntlm ? "    auth=HttpNtlmAuth(" : "    auth=(");
      append_py (args, wire->username);
      g_string_append (args, ", ");
      append_py (args, wire->password);
      g_string_append (args, "),\n");
    }
  if (wire->timeout > 0 || wire->connect_timeout > 0)
    {
      g_autofree char *t = format_seconds (wire->timeout);
      g_autofree char *c = format_seconds (wire->connect_timeout);

      /* requests has no limit on a whole request: its timeout bounds each wait. */
      if (wire->connect_timeout > 0)
        g_string_append_printf (args, "    timeout=(%s, %s),\n", c, wire->timeout > 0 ? t : "None");
      else
        g_string_append_printf (args, "    timeout=%s,\n", t);
    }
  if (!wire->follow)
    g_string_append (args, "    allow_redirects=False,\n");
  if (!wire->verify)
    g_string_append (args, "    verify=False,\n");
  else if (wire->ca_file != NULL)
    {
      g_string_append (args, "    verify=");
      append_py (args, wire->ca_file);
      g_string_append (args, ",\n");
    }
  if (wire->pkcs12 != NULL)
    g_string_append (out, "# requests cannot read a PKCS#12 file: convert it to PEM files for cert=(…)\n");
  else if (wire->cert != NULL)
    {
      if (wire->key != NULL)
        {
          g_string_append (args, "    cert=(");
          append_py (args, wire->cert);
          g_string_append (args, ", ");
          append_py (args, wire->key);
          g_string_append (args, "),\n");
        }
      else
        {
          g_string_append (args, "    cert=");
          append_py (args, wire->cert);
          g_string_append (args, ",\n");
        }
      if (wire->passphrase != NULL)
        g_string_append (out, "# requests cannot decrypt a key with a passphrase: give it an unencrypted key\n");
    }
  if (wire->proxy_mode == SONDE_PROXY_CUSTOM)
    {
      g_autofree char *url = proxy_url_with_credentials (wire);
      g_autofree char *no_proxy = no_proxy_list (wire);

      g_string_append (out, "proxies = {\"http\": ");
      append_py (out, url);
      g_string_append (out, ", \"https\": ");
      append_py (out, url);
      g_string_append (out, "}\n");
      g_string_append (args, "    proxies=proxies,\n");
      if (no_proxy != NULL)
        {
          g_string_append (out, "# not through the proxy (set NO_PROXY): ");
          g_string_append (out, no_proxy);
          g_string_append_c (out, '\n');
        }
    }
  if (wire->http1_1)
    g_string_append (out, "# requests always speaks HTTP/1.1\n");

  if (session || wire->proxy_mode == SONDE_PROXY_NONE)
    {
      g_string_append (out, "\nsession = requests.Session()\n");
      if (session)
        g_string_append_printf (out, "session.max_redirects = %d\n", wire->max_redirects);
      if (wire->proxy_mode == SONDE_PROXY_NONE)
        g_string_append (out, "session.trust_env = False  # no proxy from the environment\n");
      g_string_append (out, "response = session.request(\n");
    }
  else
    g_string_append (out, "\nresponse = requests.request(\n");
  g_string_append (out, "    ");
  append_py (out, wire->method);
  g_string_append (out, ",\n    url,\n");
  g_string_append (out, args->str);
  g_string_append (out, ")\n\nprint(response.status_code)\nprint(response.text)\n");
  g_string_free (args, TRUE);
  return g_string_free (out, FALSE);
}

static char *
export_httpie (Wire *wire)
{
  /* A file body comes on standard input; without one, HTTPie must not wait for it. */
  GString *out = g_string_new (wire->body_kind == SONDE_BODY_FILE ? "http" : "http --ignore-stdin");
  g_autoptr(GString) notes = g_string_new (NULL);

  if (wire->body_kind == SONDE_BODY_MULTIPART)
    g_string_append (out, " --multipart");
  if (wire->follow)
    g_string_append (out, " --follow");
  if (wire->follow && wire->max_redirects >= 0)
    g_string_append_printf (out, " --max-redirects=%d", wire->max_redirects);
  if (wire->timeout > 0)
    {
      g_autofree char *t = format_seconds (wire->timeout);

      g_string_append_printf (out, " --timeout=%s", t);
    }
  if (!wire->verify)
    g_string_append (out, " --verify=no");
  else if (wire->ca_file != NULL)
    {
      g_string_append (out, " --verify=");
      append_shell (out, wire->ca_file);
    }
  if (wire->cert != NULL)
    {
      g_string_append (out, " --cert=");
      append_shell (out, wire->cert);
      if (wire->key != NULL)
        {
          g_string_append (out, " --cert-key=");
          append_shell (out, wire->key);
        }
      if (wire->passphrase != NULL)
        {
          g_string_append (out, " --cert-key-pass=");
          append_shell (out, wire->passphrase);
        }
    }
  if (wire->proxy_mode == SONDE_PROXY_CUSTOM)
    {
      g_autofree char *url = proxy_url_with_credentials (wire);
      g_autofree char *http = g_strconcat ("http:", url, NULL);
      g_autofree char *https = g_strconcat ("https:", url, NULL);

      g_string_append (out, " --proxy=");
      append_shell (out, http);
      g_string_append (out, " --proxy=");
      append_shell (out, https);
    }
  if (wire->auth == SONDE_AUTH_AWS_SIGV4)
    g_string_append (notes, "\n# AWS Signature: HTTPie signs nothing without a plugin; this request goes unsigned");
  else if (wire->auth != SONDE_AUTH_NONE)
    {
      g_autofree char *user = g_strdup_printf ("%s:%s", wire->username, wire->password);

      if (wire->auth == SONDE_AUTH_DIGEST)
        g_string_append (out, " --auth-type=digest");
      else if (wire->auth == SONDE_AUTH_NTLM)
        g_string_append (out, " --auth-type=ntlm");  /* the httpie-ntlm plugin */
      g_string_append (out, " --auth=");
      append_shell (out, user);
    }
  if (wire->body_kind == SONDE_BODY_TEXT || wire->body_kind == SONDE_BODY_JSON ||
      wire->body_kind == SONDE_BODY_XML)
    {
      g_string_append (out, " --raw=");
      append_shell (out, wire->text);
    }
  else if (wire->body_kind == SONDE_BODY_FORM)
    {
      /* Encoded as Sonde does: HTTPie's --form would group repeated names. */
      g_string_append (out, " --raw=");
      append_shell (out, wire->form);
    }

  g_string_append_c (out, ' ');
  append_shell (out, wire->method);
  g_string_append_c (out, ' ');
  append_shell (out, wire->url);

  for (guint i = 0; i < wire->headers->len; i++)
    {
      Pair *pair = &g_array_index (wire->headers, Pair, i);
      g_autofree char *item = pair->value[0] != '\0' ? g_strdup_printf ("%s:%s", pair->name, pair->value)
                                                     : g_strdup_printf ("%s;", pair->name);

      g_string_append (out, " \\\n  ");
      append_shell (out, item);
    }
  if (wire->content_type != NULL)
    {
      g_autofree char *item = g_strdup_printf ("Content-Type:%s", wire->content_type);

      g_string_append (out, " \\\n  ");
      append_shell (out, item);
    }
  if (wire->cookie != NULL)
    {
      g_autofree char *item = g_strdup_printf ("Cookie:%s", wire->cookie);

      g_string_append (out, " \\\n  ");
      append_shell (out, item);
    }
  if (wire->body_kind == SONDE_BODY_MULTIPART)
    for (guint i = 0; i < wire->parts->len; i++)
      {
        SondeBodyPart *part = g_ptr_array_index (wire->parts, i);
        const char *file = sonde_body_part_get_file (part);
        const char *type = sonde_body_part_get_content_type (part);
        g_autofree char *item = NULL;

        if (file != NULL && sonde_body_part_get_filename (part) != NULL &&
            sonde_body_part_get_filename (part)[0] != '\0')
          g_string_append_printf (notes, "\n# HTTPie sends “%s” under its own name, not “%s”",
                                  file, sonde_body_part_get_filename (part));
        if (file != NULL)
          item = type != NULL && type[0] != '\0'
                 ? g_strdup_printf ("%s@%s;type=%s", sonde_body_part_get_name (part), file, type)
                 : g_strdup_printf ("%s@%s", sonde_body_part_get_name (part), file);
        else
          item = g_strdup_printf ("%s=%s", sonde_body_part_get_name (part), sonde_body_part_get_value (part));
        g_string_append (out, " \\\n  ");
        append_shell (out, item);
      }
  if (wire->body_kind == SONDE_BODY_FILE)
    {
      g_string_append (out, " \\\n  < ");
      append_shell (out, wire->file);
    }

  g_string_append (out, notes->str);
  if (wire->connect_timeout > 0)
    g_string_append (out, "\n# HTTPie has one timeout; Sonde's connect timeout is not expressed");
  if (wire->pkcs12 != NULL)
    g_string_append (out, "\n# HTTPie cannot read a PKCS#12 file: convert it to PEM for --cert");
  if (wire->proxy_mode == SONDE_PROXY_NONE)
    g_string_append (out, "\n# no proxy: run with NO_PROXY='*'");
  if (wire->http1_1)
    g_string_append (out, "\n# HTTPie always speaks HTTP/1.1");
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

static void
append_js (GString    *out,
           const char *text)
{
  append_string_literal (out, text, FALSE);
}

static char *
export_fetch (Wire *wire)
{
  GString *out = g_string_new (NULL);
  GString *notes = g_string_new (NULL);
  gboolean has_headers = wire->headers->len > 0 || wire->content_type != NULL ||
                         wire->cookie != NULL || wire->auth == SONDE_AUTH_BASIC;

  switch (wire->body_kind)
    {
    case SONDE_BODY_FORM:
      g_string_append (out, "const body = new URLSearchParams([\n");
      for (guint i = 0; i < g_list_model_get_n_items (wire->fields); i++)
        {
          g_autoptr(SondeKeyValue) row = g_list_model_get_item (wire->fields, i);

          if (!sonde_key_value_get_enabled (row))
            continue;
          g_string_append (out, "  [");
          append_js (out, sonde_key_value_get_name (row));
          g_string_append (out, ", ");
          append_js (out, sonde_key_value_get_value (row));
          g_string_append (out, "],\n");
        }
      g_string_append (out, "]);\n\n");
      break;
    case SONDE_BODY_MULTIPART:
      g_string_append (out, "const body = new FormData();\n");
      for (guint i = 0; i < wire->parts->len; i++)
        {
          SondeBodyPart *part = g_ptr_array_index (wire->parts, i);
          const char *file = sonde_body_part_get_file (part);

          if (file != NULL)
            {
              const char *filename = sonde_body_part_get_filename (part);
              const char *type = sonde_body_part_get_content_type (part);
              g_autofree char *base = g_path_get_basename (file);

              /* Node.js 20: fs.openAsBlob () */
              g_string_append (out, "body.append(");
              append_js (out, sonde_body_part_get_name (part));
              g_string_append (out, ", await fs.openAsBlob(");
              append_js (out, file);
              if (type != NULL && type[0] != '\0')
                {
                  g_string_append (out, ", { type: ");
                  append_js (out, type);
                  g_string_append (out, " }");
                }
              g_string_append (out, "), ");
              append_js (out, filename != NULL && filename[0] != '\0' ? filename : base);
              g_string_append (out, ");\n");
            }
          else
            {
              g_string_append (out, "body.append(");
              append_js (out, sonde_body_part_get_name (part));
              g_string_append (out, ", ");
              append_js (out, sonde_body_part_get_value (part));
              g_string_append (out, ");\n");
            }
        }
      g_string_append_c (out, '\n');
      break;
    default:
      break;
    }
  if (wire->body_kind == SONDE_BODY_FILE ||
      (wire->body_kind == SONDE_BODY_MULTIPART && wire->parts->len > 0))
    g_string_prepend (out, "import fs from \"node:fs\";\n\n");

  g_string_append (out, "const response = await fetch(");
  append_js (out, wire->url);
  g_string_append (out, ", {\n  method: ");
  append_js (out, wire->method);
  g_string_append (out, ",\n");
  if (has_headers)
    {
      g_string_append (out, "  headers: [\n");
      for (guint i = 0; i < wire->headers->len; i++)
        {
          Pair *pair = &g_array_index (wire->headers, Pair, i);

          g_string_append (out, "    [");
          append_js (out, pair->name);
          g_string_append (out, ", ");
          append_js (out, pair->value);
          g_string_append (out, "],\n");
        }
      if (wire->content_type != NULL)
        {
          g_string_append (out, "    [\"Content-Type\", ");
          append_js (out, wire->content_type);
          g_string_append (out, "],\n");
        }
      if (wire->cookie != NULL)
        {
          g_string_append (out, "    [\"Cookie\", ");
          append_js (out, wire->cookie);
          g_string_append (out, "],\n");
        }
      if (wire->auth == SONDE_AUTH_BASIC)
        {
          g_autofree char *user = g_strdup_printf ("%s:%s", wire->username, wire->password);

          g_string_append (out, "    [\"Authorization\", \"Basic \" + btoa(");
          append_js (out, user);
          g_string_append (out, ")],\n");
        }
      g_string_append (out, "  ],\n");
    }
  switch (wire->body_kind)
    {
    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
      g_string_append (out, "  body: ");
      append_js (out, wire->text);
      g_string_append (out, ",\n");
      break;
    case SONDE_BODY_FORM:
    case SONDE_BODY_MULTIPART:
      g_string_append (out, "  body: body,\n");
      break;
    case SONDE_BODY_FILE:
      g_string_append (out, "  body: await fs.openAsBlob(");
      append_js (out, wire->file);
      g_string_append (out, "),\n");
      break;
    default:
      break;
    }
  if (!wire->follow)
    g_string_append (out, "  redirect: \"manual\",\n");
  if (wire->timeout > 0)
    g_string_append_printf (out, "  signal: AbortSignal.timeout(%.0f),\n", wire->timeout * 1000);
  g_string_append (out, "});\n\nconsole.log(response.status);\nconsole.log(await response.text());\n");

  if (wire->auth == SONDE_AUTH_DIGEST)
    g_string_append (notes, "// Digest auth: fetch cannot answer the challenge\n");
  if (wire->auth == SONDE_AUTH_NTLM)
    g_string_append (notes, "// NTLM auth: fetch cannot answer the challenge\n");
  if (wire->auth == SONDE_AUTH_AWS_SIGV4)
    g_string_append (notes, "// AWS Signature: fetch signs nothing (@smithy/signature-v4 can); this request goes unsigned\n");
  if (!wire->verify)
    g_string_append (notes, "// TLS verification off: run Node.js with NODE_TLS_REJECT_UNAUTHORIZED=0\n");
  if (wire->ca_file != NULL)
    {
      g_string_append (notes, "// CA file: run Node.js with NODE_EXTRA_CA_CERTS=");
      g_string_append (notes, wire->ca_file);
      g_string_append_c (notes, '\n');
    }
  if (wire->cert != NULL || wire->pkcs12 != NULL)
    g_string_append (notes, "// A client certificate cannot be given to fetch\n");
  if (wire->proxy_mode == SONDE_PROXY_CUSTOM)
    {
      g_string_append (notes, "// Proxy: fetch takes none (undici's ProxyAgent can): ");
      g_string_append (notes, wire->proxy_url);
      g_string_append_c (notes, '\n');
    }
  if (wire->follow && wire->max_redirects >= 0)
    g_string_append_printf (notes, "// fetch follows up to 20 redirects, not %d\n", wire->max_redirects);
  if (wire->connect_timeout > 0)
    g_string_append (notes, "// fetch has no connect timeout\n");
  if (notes->len > 0)
    {
      g_string_prepend (out, "\n");
      g_string_prepend (out, notes->str);
    }
  g_string_free (notes, TRUE);
  return g_string_free (out, FALSE);
}

/* WebSocket requests: Python's websockets and the browser's WebSocket. curl and HTTPie
 * cannot: Debian's curl (7.88) is built without its experimental ws:// support. */

static char *
websocket_url (Wire *wire)
{
  if (g_ascii_strncasecmp (wire->url, "https://", 8) == 0)
    return g_strconcat ("wss://", wire->url + 8, NULL);
  if (g_ascii_strncasecmp (wire->url, "http://", 7) == 0)
    return g_strconcat ("ws://", wire->url + 7, NULL);
  return g_strdup (wire->url);
}

static char *
export_websocket_python (Wire               *wire,
                         SondeRequest       *request,
                         const char * const *subprotocols,
                         GPtrArray          *messages)
{
  GString *out = g_string_new ("import asyncio\n");
  g_autofree char *url = websocket_url (wire);
  gboolean tls_context = !wire->verify || wire->ca_file != NULL || wire->cert != NULL;

  if (tls_context)
    g_string_append (out, "import ssl\n");
  g_string_append (out, "\nimport websockets  # pip install websockets (14 or later)\n\nurl = ");
  append_py (out, url);
  g_string_append_c (out, '\n');

  append_py_headers (out, wire, "Cookie", wire->cookie);
  if (wire->auth == SONDE_AUTH_BASIC)
    g_string_append (out, "# Basic auth goes in the URL: ws://user:password@host/\n");
  else if (wire->auth != SONDE_AUTH_NONE)
    g_string_append (out, "# The request's auth (Digest, NTLM or AWS Signature) is not sent by this code.\n");

  if (tls_context)
    {
      g_string_append (out, "tls = ssl.create_default_context(");
      if (wire->ca_file != NULL)
        {
          g_string_append (out, "cafile=");
          append_py (out, wire->ca_file);
        }
      g_string_append (out, ")\n");
      if (!wire->verify)
        g_string_append (out, "tls.check_hostname = False\ntls.verify_mode = ssl.CERT_NONE\n");
      if (wire->cert != NULL)
        {
          g_string_append (out, "tls.load_cert_chain(");
          append_py (out, wire->cert);
          if (wire->key != NULL)
            {
              g_string_append (out, ", ");
              append_py (out, wire->key);
            }
          g_string_append (out, ")\n");
        }
    }

  g_string_append (out, "\n\nasync def main():\n    async with websockets.connect(\n        url,\n"
                        "        additional_headers=headers,\n");
  if (subprotocols != NULL)
    {
      g_string_append (out, "        subprotocols=[");
      for (guint i = 0; subprotocols[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_py (out, subprotocols[i]);
        }
      g_string_append (out, "],\n");
    }
  if (tls_context)
    g_string_append (out, "        ssl=tls,\n");
  g_string_append (out, "    ) as websocket:\n");
  for (guint i = 0; i < messages->len; i++)
    {
      SondeWebsocketMessage *message = messages->pdata[i];

      if (!message->enabled)
        continue;
      g_string_append (out, "        await websocket.send(");
      if (message->kind == SONDE_WEBSOCKET_MESSAGE_BINARY)
        {
          g_autofree char *path = sonde_request_dup_absolute_path (request, message->file);

          g_string_append (out, "open(");
          append_py (out, path);
          g_string_append (out, ", \"rb\").read()");
        }
      else
        append_py (out, message->text);
      g_string_append (out, ")\n");
    }
  g_string_append (out, "        async for message in websocket:\n            print(message)\n\n\n"
                        "asyncio.run(main())\n");
  return g_string_free (out, FALSE);
}

static char *
export_websocket_js (Wire               *wire,
                     SondeRequest       *request,
                     const char * const *subprotocols,
                     GPtrArray          *messages)
{
  GString *out = g_string_new (NULL);
  g_autofree char *url = websocket_url (wire);
  g_autoptr(GString) left_out = g_string_new (NULL);

  /* A browser sends its own headers and cookies on a WebSocket handshake, no others. */
  for (guint i = 0; i < wire->headers->len; i++)
    g_string_append_printf (left_out, "%s%s", left_out->len > 0 ? ", " : "", g_array_index (wire->headers, Pair, i).name);
  if (wire->cookie != NULL)
    g_string_append_printf (left_out, "%sCookie", left_out->len > 0 ? ", " : "");
  if (left_out->len > 0)
    g_string_append_printf (out, "// A browser WebSocket cannot set headers: %s left out.\n", left_out->str);

  g_string_append (out, "const socket = new WebSocket(");
  append_js (out, url);
  if (subprotocols != NULL)
    {
      g_string_append (out, ", [");
      for (guint i = 0; subprotocols[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_js (out, subprotocols[i]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, ");\n\nsocket.addEventListener(\"open\", () => {\n");
  for (guint i = 0; i < messages->len; i++)
    {
      SondeWebsocketMessage *message = messages->pdata[i];

      if (!message->enabled)
        continue;
      if (message->kind == SONDE_WEBSOCKET_MESSAGE_BINARY)
        {
          g_autofree char *path = sonde_request_dup_absolute_path (request, message->file);

          g_string_append (out, "  // A binary message: the bytes of ");
          g_string_append (out, path);
          g_string_append (out, " (a Blob or an ArrayBuffer), then socket.send(bytes)\n");
          continue;
        }
      g_string_append (out, "  socket.send(");
      append_js (out, message->text);
      g_string_append (out, ");\n");
    }
  g_string_append (out, "});\n\nsocket.addEventListener(\"message\", (event) => {\n  console.log(event.data);\n});\n\n"
                        "socket.addEventListener(\"close\", (event) => {\n  console.log(\"closed\", event.code, event.reason);\n});\n");
  return g_string_free (out, FALSE);
}

static char *
export_websocket (Wire                 *wire,
                  SondeRequest         *request,
                  SondeExportLanguage   language,
                  GError              **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
  g_auto(GStrv) subprotocols = NULL;

  if (!sonde_websocket_read_settings (sonde_request_get_extra (request), &subprotocols, NULL, messages, error))
    return NULL;

  switch (language)
    {
    case SONDE_EXPORT_PYTHON:
      return export_websocket_python (wire, request, (const char * const *) subprotocols, messages);
    case SONDE_EXPORT_FETCH:
      return export_websocket_js (wire, request, (const char * const *) subprotocols, messages);
    case SONDE_EXPORT_CURL:
    case SONDE_EXPORT_HTTPIE:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s cannot open a WebSocket connection: copy the request as Python or JavaScript"),
                   sonde_export_language_get_title (language));
      return NULL;
    }
}

char *
sonde_export_request (SondeRequest         *request,
                      SondeExportLanguage   language,
                      GError              **error)
{
  g_autoptr(Wire) wire = NULL;

  g_return_val_if_fail (SONDE_IS_REQUEST (request), NULL);

  wire = wire_new (request, error);
  if (wire == NULL)
    return NULL;
  if (sonde_request_is_websocket (request))
    return export_websocket (wire, request, language, error);

  switch (language)
    {
    case SONDE_EXPORT_PYTHON:
      return export_python (wire);
    case SONDE_EXPORT_HTTPIE:
      return export_httpie (wire);
    case SONDE_EXPORT_FETCH:
      return export_fetch (wire);
    case SONDE_EXPORT_CURL:
    default:
      return export_curl (wire);
    }
}
