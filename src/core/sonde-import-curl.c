/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-import-curl"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-import.h"
#include "sonde-request-io.h"

/* curl command lines: the words as a POSIX shell splits them (quotes, $'…', backslashes,
 * backslash-newline continuations), then curl's options mapped onto a request. Every option
 * that is not carried over exactly is in the notes. docs/import-export.md lists them. */

typedef struct
{
  GPtrArray *words; /* char* */
} Command;

static void
command_free (Command *command)
{
  g_ptr_array_unref (command->words);
  g_free (command);
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* $'…': backslash escapes as bash reads them. P is after the opening quote. */
static gboolean
read_ansi_c (const char **p,
             GString     *word)
{
  const char *s = *p;

  while (*s != '\0' && *s != '\'')
    {
      if (*s != '\\' || s[1] == '\0')
        {
          g_string_append_c (word, *s++);
          continue;
        }
      s++;
      switch (*s)
        {
        case 'n': g_string_append_c (word, '\n'); s++; break;
        case 't': g_string_append_c (word, '\t'); s++; break;
        case 'r': g_string_append_c (word, '\r'); s++; break;
        case 'a': g_string_append_c (word, '\a'); s++; break;
        case 'b': g_string_append_c (word, '\b'); s++; break;
        case 'f': g_string_append_c (word, '\f'); s++; break;
        case 'v': g_string_append_c (word, '\v'); s++; break;
        case 'e': case 'E': g_string_append_c (word, '\033'); s++; break;
        case '\\': case '\'': case '"': case '?': g_string_append_c (word, *s++); break;
        case 'x':
          {
            int value = 0, n = 0;

            s++;
            while (n < 2 && hex_value (*s) >= 0)
              value = value * 16 + hex_value (*s++), n++;
            if (n == 0)
              g_string_append (word, "\\x");
            else
              g_string_append_c (word, (char) value);
          }
          break;
        case 'u': case 'U':
          {
            int max = *s == 'u' ? 4 : 8, n = 0;
            gunichar value = 0;

            s++;
            while (n < max && hex_value (*s) >= 0)
              value = value * 16 + (gunichar) hex_value (*s++), n++;
            if (n > 0 && g_unichar_validate (value))
              g_string_append_unichar (word, value);
          }
          break;
        case 'c':
          if (s[1] != '\0')
            {
              g_string_append_c (word, (char) (s[1] & 0x1f));
              s += 2;
            }
          else
            s++;
          break;
        default:
          if (*s >= '0' && *s <= '7')
            {
              int value = 0, n = 0;

              while (n < 3 && *s >= '0' && *s <= '7')
                value = value * 8 + (*s++ - '0'), n++;
              g_string_append_c (word, (char) value);
            }
          else
            {
              g_string_append_c (word, '\\');
              g_string_append_c (word, *s++);
            }
          break;
        }
    }
  if (*s != '\'')
    return FALSE;
  *p = s + 1;
  return TRUE;
}

/* Splits TEXT into commands of words. A command ends at an unquoted newline (not escaped),
 * ';', '&&', '||' or '|'; what follows a '|' or '>' is not curl's and is skipped. */
static GPtrArray *
split_commands (const char  *text,
                GError     **error)
{
  g_autoptr(GPtrArray) commands = g_ptr_array_new_with_free_func ((GDestroyNotify) command_free);
  Command *current = NULL;
  GString *word = g_string_new (NULL);
  gboolean in_word = FALSE;
  gboolean skipping = FALSE; /* after a pipe or redirection, until the command ends */
  const char *p = text;
  guint line = 1;

#define END_WORD() G_STMT_START {                                           \
    if (in_word && !skipping)                                               \
      {                                                                     \
        if (current == NULL)                                                \
          {                                                                 \
            current = g_new0 (Command, 1);                                  \
            current->words = g_ptr_array_new_with_free_func (g_free);       \
            g_ptr_array_add (commands, current);                            \
          }                                                                 \
        g_ptr_array_add (current->words, g_strndup (word->str, word->len)); \
      }                                                                     \
    g_string_truncate (word, 0);                                            \
    in_word = FALSE;                                                        \
  } G_STMT_END
#define END_COMMAND() G_STMT_START { END_WORD (); current = NULL; skipping = FALSE; } G_STMT_END

  while (*p != '\0')
    {
      char c = *p;

      if (c == '\\' && p[1] == '\r' && p[2] == '\n')
        {
          p += 3, line++;
          continue;
        }
      if (c == '\\' && p[1] == '\n')
        {
          p += 2, line++;
          continue;
        }
      if (c == '\\' && p[1] != '\0')
        {
          g_string_append_c (word, p[1]);
          in_word = TRUE;
          p += 2;
          continue;
        }
      if (c == '\n')
        {
          END_COMMAND ();
          p++, line++;
          continue;
        }
      if (c == ' ' || c == '\t' || c == '\r')
        {
          END_WORD ();
          p++;
          continue;
        }
      if (c == '#' && !in_word)
        {
          while (*p != '\0' && *p != '\n')
            p++;
          continue;
        }
      if (c == ';' || c == '&' || c == '|')
        {
          END_COMMAND ();
          if (c == '|' && p[1] != '|')
            skipping = TRUE; /* the rest of a pipeline is not curl's */
          while (*p == ';' || *p == '&' || *p == '|')
            p++;
          continue;
        }
      if (c == '>' || c == '<')
        {
          /* A redirection of curl's output: not part of the request. */
          END_WORD ();
          p++;
          while (*p == '>' || *p == '&')
            p++;
          while (*p == ' ' || *p == '\t')
            p++;
          while (*p != '\0' && !g_ascii_isspace (*p) && *p != ';' && *p != '|' && *p != '&')
            p++;
          continue;
        }
      if (c == '\'')
        {
          const char *end = strchr (p + 1, '\'');

          if (end == NULL)
            goto unclosed;
          for (const char *q = p + 1; q < end; q++)
            if (*q == '\n')
              line++;
          g_string_append_len (word, p + 1, end - p - 1);
          in_word = TRUE;
          p = end + 1;
          continue;
        }
      if (c == '$' && p[1] == '\'')
        {
          p += 2;
          if (!read_ansi_c (&p, word))
            goto unclosed;
          in_word = TRUE;
          continue;
        }
      if (c == '"')
        {
          p++;
          while (*p != '\0' && *p != '"')
            {
              if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
                {
                  g_string_append_c (word, p[1]);
                  p += 2;
                }
              else if (*p == '\\' && p[1] == '\n')
                p += 2, line++;
              else
                {
                  if (*p == '\n')
                    line++;
                  g_string_append_c (word, *p++);
                }
            }
          if (*p != '"')
            goto unclosed;
          in_word = TRUE;
          p++;
          continue;
        }
      g_string_append_c (word, c);
      in_word = TRUE;
      p++;
    }
  END_COMMAND ();
  g_string_free (word, TRUE);
  return g_steal_pointer (&commands);

unclosed:
  g_string_free (word, TRUE);
  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
               _("line %u: a quote is not closed"), line);
  return NULL;
#undef END_WORD
#undef END_COMMAND
}

gboolean
sonde_curl_is_command (const char *text)
{
  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  return g_str_has_prefix (text, "curl") && (text[4] == ' ' || text[4] == '\t' ||
                                              (text[4] == '\\' && (text[5] == '\n' || text[5] == '\r')));
}

/* Options */

typedef enum
{
  OPT_NONE,
  OPT_REQUEST, OPT_HEADER, OPT_DATA, OPT_DATA_RAW, OPT_DATA_BINARY, OPT_DATA_URLENCODE,
  OPT_JSON, OPT_FORM, OPT_FORM_STRING, OPT_USER, OPT_COOKIE, OPT_INSECURE, OPT_CACERT,
  OPT_CERT, OPT_KEY, OPT_CERT_TYPE, OPT_PASS, OPT_PROXY, OPT_PROXY_USER, OPT_NOPROXY,
  OPT_LOCATION, OPT_MAX_REDIRS, OPT_MAX_TIME, OPT_CONNECT_TIMEOUT, OPT_GET, OPT_URL,
  OPT_USER_AGENT, OPT_REFERER, OPT_COMPRESSED, OPT_HEAD, OPT_UPLOAD_FILE, OPT_BASIC,
  OPT_DIGEST, OPT_NTLM, OPT_AWS_SIGV4, OPT_OAUTH2_BEARER, OPT_HTTP1_1, OPT_HTTP2,
  OPT_OUTPUT_ONLY,    /* changes only what curl prints or where it writes */
  OPT_UNSUPPORTED,    /* changes the request in a way Sonde cannot express */
} OptionId;

typedef struct
{
  const char *long_name;
  char        short_name;
  OptionId    id;
  gboolean    has_argument;
} Option;

static const Option options[] = {
  { "request", 'X', OPT_REQUEST, TRUE },
  { "header", 'H', OPT_HEADER, TRUE },
  { "data", 'd', OPT_DATA, TRUE },
  { "data-ascii", 0, OPT_DATA, TRUE },
  { "data-raw", 0, OPT_DATA_RAW, TRUE },
  { "data-binary", 0, OPT_DATA_BINARY, TRUE },
  { "data-urlencode", 0, OPT_DATA_URLENCODE, TRUE },
  { "json", 0, OPT_JSON, TRUE },
  { "form", 'F', OPT_FORM, TRUE },
  { "form-string", 0, OPT_FORM_STRING, TRUE },
  { "user", 'u', OPT_USER, TRUE },
  { "cookie", 'b', OPT_COOKIE, TRUE },
  { "insecure", 'k', OPT_INSECURE, FALSE },
  { "cacert", 0, OPT_CACERT, TRUE },
  { "cert", 'E', OPT_CERT, TRUE },
  { "key", 0, OPT_KEY, TRUE },
  { "cert-type", 0, OPT_CERT_TYPE, TRUE },
  { "pass", 0, OPT_PASS, TRUE },
  { "proxy", 'x', OPT_PROXY, TRUE },
  { "proxy-user", 'U', OPT_PROXY_USER, TRUE },
  { "noproxy", 0, OPT_NOPROXY, TRUE },
  { "location", 'L', OPT_LOCATION, FALSE },
  { "location-trusted", 0, OPT_LOCATION, FALSE },
  { "max-redirs", 0, OPT_MAX_REDIRS, TRUE },
  { "max-time", 'm', OPT_MAX_TIME, TRUE },
  { "connect-timeout", 0, OPT_CONNECT_TIMEOUT, TRUE },
  { "get", 'G', OPT_GET, FALSE },
  { "url", 0, OPT_URL, TRUE },
  { "user-agent", 'A', OPT_USER_AGENT, TRUE },
  { "referer", 'e', OPT_REFERER, TRUE },
  { "compressed", 0, OPT_COMPRESSED, FALSE },
  { "head", 'I', OPT_HEAD, FALSE },
  { "upload-file", 'T', OPT_UPLOAD_FILE, TRUE },
  { "basic", 0, OPT_BASIC, FALSE },
  { "digest", 0, OPT_DIGEST, FALSE },
  { "oauth2-bearer", 0, OPT_OAUTH2_BEARER, TRUE },
  { "http1.1", 0, OPT_HTTP1_1, FALSE },
  { "http2", 0, OPT_HTTP2, FALSE },
  { "http2-prior-knowledge", 0, OPT_HTTP2, FALSE },
  /* What curl prints, and where */
  { "silent", 's', OPT_OUTPUT_ONLY, FALSE },
  { "show-error", 'S', OPT_OUTPUT_ONLY, FALSE },
  { "verbose", 'v', OPT_OUTPUT_ONLY, FALSE },
  { "include", 'i', OPT_OUTPUT_ONLY, FALSE },
  { "output", 'o', OPT_OUTPUT_ONLY, TRUE },
  { "remote-name", 'O', OPT_OUTPUT_ONLY, FALSE },
  { "remote-header-name", 'J', OPT_OUTPUT_ONLY, FALSE },
  { "write-out", 'w', OPT_OUTPUT_ONLY, TRUE },
  { "fail", 'f', OPT_OUTPUT_ONLY, FALSE },
  { "fail-with-body", 0, OPT_OUTPUT_ONLY, FALSE },
  { "progress-bar", '#', OPT_OUTPUT_ONLY, FALSE },
  { "no-progress-meter", 0, OPT_OUTPUT_ONLY, FALSE },
  { "dump-header", 'D', OPT_OUTPUT_ONLY, TRUE },
  { "trace", 0, OPT_OUTPUT_ONLY, TRUE },
  { "trace-ascii", 0, OPT_OUTPUT_ONLY, TRUE },
  { "stderr", 0, OPT_OUTPUT_ONLY, TRUE },
  { "no-buffer", 'N', OPT_OUTPUT_ONLY, FALSE },
  { "create-dirs", 0, OPT_OUTPUT_ONLY, FALSE },
  /* Known, but Sonde has no such setting */
  { "cookie-jar", 'c', OPT_UNSUPPORTED, TRUE },
  { "resolve", 0, OPT_UNSUPPORTED, TRUE },
  { "connect-to", 0, OPT_UNSUPPORTED, TRUE },
  { "interface", 0, OPT_UNSUPPORTED, TRUE },
  { "retry", 0, OPT_UNSUPPORTED, TRUE },
  { "limit-rate", 0, OPT_UNSUPPORTED, TRUE },
  { "ntlm", 0, OPT_NTLM, FALSE },
  { "negotiate", 0, OPT_UNSUPPORTED, FALSE },
  { "anyauth", 0, OPT_UNSUPPORTED, FALSE },
  { "aws-sigv4", 0, OPT_AWS_SIGV4, TRUE },
  { "proxy-insecure", 0, OPT_UNSUPPORTED, FALSE },
  { "proxy-cacert", 0, OPT_UNSUPPORTED, TRUE },
  { "ipv4", '4', OPT_UNSUPPORTED, FALSE },
  { "ipv6", '6', OPT_UNSUPPORTED, FALSE },
  { "http1.0", '0', OPT_UNSUPPORTED, FALSE },
  { "config", 'K', OPT_UNSUPPORTED, TRUE },
  { "range", 'r', OPT_UNSUPPORTED, TRUE },
  { "continue-at", 'C', OPT_UNSUPPORTED, TRUE },
  { "socks5", 0, OPT_UNSUPPORTED, TRUE },
  { "socks5-hostname", 0, OPT_UNSUPPORTED, TRUE },
  { "unix-socket", 0, OPT_UNSUPPORTED, TRUE },
  { "tlsv1.2", 0, OPT_UNSUPPORTED, FALSE },
  { "tlsv1.3", 0, OPT_UNSUPPORTED, FALSE },
  { "ciphers", 0, OPT_UNSUPPORTED, TRUE },
  { "capath", 0, OPT_UNSUPPORTED, TRUE },
  { "pinnedpubkey", 0, OPT_UNSUPPORTED, TRUE },
};

static const Option *
find_long (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (strcmp (options[i].long_name, name) == 0)
      return &options[i];
  return NULL;
}

static const Option *
find_short (char c)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (options[i].short_name == c)
      return &options[i];
  return NULL;
}

/* Building the request */

typedef struct
{
  GFile        *base_dir;
  GPtrArray    *notes;
  SondeRequest *request;
  char         *url;
  char         *method;
  GString      *data;         /* -d and friends, joined by '&' */
  gboolean      has_data;
  gboolean      data_is_form; /* every piece is name=value, url-encoded */
  GListStore   *form_fields;  /* the same pieces, decoded */
  char         *data_file;    /* --data-binary @FILE alone: a file body */
  gboolean      json;
  gboolean      get;
  gboolean      location;
  gboolean      head;
  gboolean      digest;
  gboolean      ntlm;
  char         *aws_sigv4;     /* provider1[:provider2[:region[:service]]] */
  char         *user;
  char         *cert_type;
  char         *upload_file;
  gboolean      has_form;
} Builder;

static void
note (Builder             *b,
      SondeImportNoteKind  kind,
      const char          *format,
      ...) G_GNUC_PRINTF (3, 4);

static void
note (Builder             *b,
      SondeImportNoteKind  kind,
      const char          *format,
      ...)
{
  SondeImportNote *n;
  va_list args;

  if (b->notes == NULL)
    return;
  n = g_new0 (SondeImportNote, 1);
  n->kind = kind;
  va_start (args, format);
  n->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (b->notes, n);
}

/* A path from the command, absolute (relative to BASE_DIR when it has one) so that it still
 * names the same file from the collection. */
static char *
resolve_path (Builder    *b,
              const char *path)
{
  if (g_str_has_prefix (path, "~/"))
    return g_build_filename (g_get_home_dir (), path + 2, NULL);
  if (g_path_is_absolute (path) || b->base_dir == NULL)
    return g_strdup (path);
  {
    g_autoptr(GFile) file = g_file_resolve_relative_path (b->base_dir, path);

    return g_file_get_path (file);
  }
}

static gboolean
read_file_text (Builder     *b,
                const char  *path,
                char       **contents,
                GError     **error)
{
  g_autofree char *resolved = resolve_path (b, path);
  g_autoptr(GFile) file = g_file_new_for_path (resolved);
  gsize length;

  return sonde_file_load_bounded (file, SONDE_MAX_SIDECAR_SIZE, contents, &length, NULL, error);
}

/* Adds one piece of -d data. FORM_NAME/FORM_VALUE: the decoded pair when it is one. */
static void
add_data_piece (Builder    *b,
                const char *encoded,
                const char *name,
                const char *value)
{
  if (b->has_data)
    g_string_append_c (b->data, '&');
  g_string_append (b->data, encoded);
  b->has_data = TRUE;

  if (name == NULL)
    b->data_is_form = FALSE;
  else
    sonde_key_value_list_append (b->form_fields, name, value);
}

/* "a=1&b=x%20y" as decoded rows, or FALSE when it is not such text. */
static gboolean
add_encoded_pairs (Builder    *b,
                   const char *text)
{
  g_auto(GStrv) pairs = NULL;

  if (text[0] == '\0' || strchr (text, '\n') != NULL)
    return FALSE;
  pairs = g_strsplit (text, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *raw_name = NULL;
      g_autofree char *raw_value = NULL;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (eq == NULL || eq == pairs[i])
        return FALSE;
      raw_name = g_strndup (pairs[i], eq - pairs[i]);
      raw_value = g_strdup (eq + 1);
      g_strdelimit (raw_name, "+", ' ');
      g_strdelimit (raw_value, "+", ' ');
      name = g_uri_unescape_string (raw_name, NULL);
      value = g_uri_unescape_string (raw_value, NULL);
      if (name == NULL || value == NULL || !g_utf8_validate (value, -1, NULL))
        return FALSE;
    }
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *raw_name = g_strndup (pairs[i], eq - pairs[i]);
      g_autofree char *raw_value = g_strdup (eq + 1);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      g_strdelimit (raw_name, "+", ' ');
      g_strdelimit (raw_value, "+", ' ');
      name = g_uri_unescape_string (raw_name, NULL);
      value = g_uri_unescape_string (raw_value, NULL);
      sonde_key_value_list_append (b->form_fields, name, value);
    }
  return TRUE;
}

static gboolean
handle_data (Builder     *b,
             OptionId     id,
             const char  *arg,
             GError     **error)
{
  g_autofree char *contents = NULL;
  const char *text = arg;

  if (id == OPT_DATA_URLENCODE)
    {
      /* content, =content, name=content, @file, name@file */
      const char *eq = strchr (arg, '=');
      const char *at = strchr (arg, '@');
      g_autofree char *name = NULL;
      const char *content;
      g_autofree char *encoded = NULL;

      if (at != NULL && (eq == NULL || at < eq))
        {
          name = at > arg ? g_strndup (arg, at - arg) : NULL;
          if (!read_file_text (b, at + 1, &contents, error))
            return FALSE;
          content = contents;
        }
      else if (eq != NULL)
        {
          name = eq > arg ? g_strndup (arg, eq - arg) : NULL;
          content = eq + 1;
        }
      else
        content = arg;

      encoded = g_uri_escape_string (content, NULL, FALSE);
      if (name != NULL)
        {
          g_autofree char *piece = g_strdup_printf ("%s=%s", name, encoded);

          add_data_piece (b, piece, name, content);
        }
      else
        add_data_piece (b, encoded, NULL, NULL);
      return TRUE;
    }

  if (arg[0] == '@' && id != OPT_DATA_RAW)
    {
      if (id == OPT_DATA_BINARY || id == OPT_JSON)
        {
          /* The file as it is: a file body when it is all the data. */
          if (!b->has_data && b->data_file == NULL)
            {
              b->data_file = resolve_path (b, arg + 1);
              b->has_data = TRUE;
              b->data_is_form = FALSE;
              return TRUE;
            }
        }
      if (!read_file_text (b, arg + 1, &contents, error))
        return FALSE;
      if (id == OPT_DATA)
        {
          /* curl -d @file leaves out carriage returns and newlines. */
          char *out = contents;

          for (const char *in = contents; *in != '\0'; in++)
            if (*in != '\r' && *in != '\n')
              *out++ = *in;
          *out = '\0';
        }
      text = contents;
    }

  if (b->data_file != NULL)
    {
      /* A second piece after a file body: the file's text goes in with it. */
      g_autofree char *file_text = NULL;
      g_autofree char *path = g_steal_pointer (&b->data_file);

      if (!read_file_text (b, path, &file_text, error))
        return FALSE;
      b->has_data = FALSE;
      add_data_piece (b, file_text, NULL, NULL);
    }

  if (add_encoded_pairs (b, text))
    {
      if (b->has_data)
        g_string_append_c (b->data, '&');
      g_string_append (b->data, text);
      b->has_data = TRUE;
    }
  else
    add_data_piece (b, text, NULL, NULL);
  return TRUE;
}

/* -F name=value, name=@file;type=…;filename=…, name=<file */
static gboolean
handle_form (Builder     *b,
             const char  *arg,
             gboolean     literal,
             GError     **error)
{
  SondeBody *body = sonde_request_get_body (b->request);
  const char *eq = strchr (arg, '=');
  g_autofree char *name = NULL;
  g_autoptr(SondeBodyPart) part = NULL;
  const char *value;

  if (eq == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("-F “%s” has no “=”: it should read name=value"), arg);
      return FALSE;
    }
  name = g_strndup (arg, eq - arg);
  value = eq + 1;
  b->has_form = TRUE;

  if (!literal && (value[0] == '@' || value[0] == '<'))
    {
      g_auto(GStrv) fields = g_strsplit (value + 1, ";", -1);
      g_autofree char *path = resolve_path (b, fields[0]);

      part = sonde_body_part_new_file (name, path);
      for (guint i = 1; fields[i] != NULL; i++)
        {
          if (g_str_has_prefix (fields[i], "type="))
            sonde_body_part_set_content_type (part, fields[i] + 5);
          else if (g_str_has_prefix (fields[i], "filename="))
            {
              g_autofree char *filename = g_strdup (fields[i] + 9);

              if (filename[0] == '"' && strlen (filename) >= 2 && g_str_has_suffix (filename, "\""))
                {
                  filename[strlen (filename) - 1] = '\0';
                  memmove (filename, filename + 1, strlen (filename));
                }
              sonde_body_part_set_filename (part, filename);
            }
          else
            note (b, SONDE_IMPORT_NOTE_DROPPED, _("-F %s: “%s” is not supported"), name, fields[i]);
        }
      if (value[0] == '<')
        {
          /* The file's contents as a field: Sonde sends it as a file part. */
          note (b, SONDE_IMPORT_NOTE_CONVERTED,
                _("-F %s=<file is sent as a file part (with a file name), not as a text field"), name);
        }
    }
  else
    {
      g_autofree char *text = g_strdup (value);

      if (!literal)
        {
          /* name=value;type=… */
          char *semi = strstr (text, ";type=");

          if (semi != NULL)
            {
              part = sonde_body_part_new_text (name, NULL);
              sonde_body_part_set_content_type (part, semi + 6);
              *semi = '\0';
              sonde_body_part_set_value (part, text);
            }
        }
      if (part == NULL)
        part = sonde_body_part_new_text (name, text);
    }

  g_list_store_append (sonde_body_get_parts (body), part);
  return TRUE;
}

static void
split_user (const char  *arg,
            char       **user,
            char       **password)
{
  const char *colon = strchr (arg, ':');

  *user = colon != NULL ? g_strndup (arg, colon - arg) : g_strdup (arg);
  *password = colon != NULL ? g_strdup (colon + 1) : NULL;
}

static void
add_header (Builder    *b,
            const char *arg)
{
  const char *colon = strchr (arg, ':');
  g_autofree char *name = NULL;
  const char *value;

  if (colon == NULL)
    {
      size_t len = strlen (arg);

      /* "Name;" sends the header with no value. */
      if (len > 1 && arg[len - 1] == ';')
        {
          g_autofree char *empty = g_strndup (arg, len - 1);

          sonde_key_value_list_append (sonde_request_get_headers (b->request), g_strstrip (empty), "");
          return;
        }
      note (b, SONDE_IMPORT_NOTE_DROPPED, _("-H “%s” is not a header (no “:”)"), arg);
      return;
    }
  if (arg[0] == '@')
    {
      note (b, SONDE_IMPORT_NOTE_DROPPED, _("-H @file (headers read from a file) is not supported"));
      return;
    }

  name = g_strstrip (g_strndup (arg, colon - arg));
  value = colon + 1;
  while (*value == ' ' || *value == '\t')
    value++;
  if (*value == '\0')
    {
      /* "Name:" removes a header curl would send. */
      note (b, SONDE_IMPORT_NOTE_DROPPED,
            _("-H “%s:” removes a header curl adds itself; Sonde sends its own"), name);
      return;
    }
  sonde_key_value_list_append (sonde_request_get_headers (b->request), name, value);
}

static char *
header_value (SondeRequest *request,
              const char   *name)
{
  GListModel *headers = G_LIST_MODEL (sonde_request_get_headers (request));

  for (guint i = 0; i < g_list_model_get_n_items (headers); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (headers, i);

      if (g_ascii_strcasecmp (sonde_key_value_get_name (row), name) == 0)
        return g_strdup (sonde_key_value_get_value (row));
    }
  return NULL;
}

static void
remove_header (SondeRequest *request,
               const char   *name)
{
  GListStore *headers = sonde_request_get_headers (request);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (headers)); i > 0; i--)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (headers), i - 1);

      if (g_ascii_strcasecmp (sonde_key_value_get_name (row), name) == 0)
        g_list_store_remove (headers, i - 1);
    }
}

static gboolean
parse_seconds (const char *arg,
               double     *seconds)
{
  char *end = NULL;
  double value = g_ascii_strtod (arg, &end);

  if (end == arg || *end != '\0' || value < 0)
    return FALSE;
  *seconds = value;
  return TRUE;
}

static gboolean
apply_option (Builder       *b,
              const Option  *option,
              const char    *spelled,
              const char    *arg,
              GError       **error)
{
  SondeRequestOptions *opts = sonde_request_get_options (b->request);
  SondeAuth *auth = sonde_request_get_auth (b->request);

  switch (option->id)
    {
    case OPT_REQUEST:
      g_free (b->method);
      b->method = g_strdup (arg);
      break;
    case OPT_HEADER:
      add_header (b, arg);
      break;
    case OPT_DATA:
    case OPT_DATA_RAW:
    case OPT_DATA_BINARY:
    case OPT_DATA_URLENCODE:
      return handle_data (b, option->id, arg, error);
    case OPT_JSON:
      b->json = TRUE;
      return handle_data (b, OPT_JSON, arg, error);
    case OPT_FORM:
    case OPT_FORM_STRING:
      return handle_form (b, arg, option->id == OPT_FORM_STRING, error);
    case OPT_USER:
      g_free (b->user);
      b->user = g_strdup (arg);
      break;
    case OPT_COOKIE:
      if (strchr (arg, '=') == NULL)
        {
          note (b, SONDE_IMPORT_NOTE_DROPPED,
                _("-b %s reads cookies from a file; Sonde keeps its own cookie jar"), arg);
          break;
        }
      {
        g_auto(GStrv) cookies = g_strsplit (arg, ";", -1);

        for (guint i = 0; cookies[i] != NULL; i++)
          {
            char *pair = g_strstrip (cookies[i]);
            char *eq = strchr (pair, '=');

            if (pair[0] == '\0')
              continue;
            if (eq == NULL)
              {
                note (b, SONDE_IMPORT_NOTE_DROPPED, _("-b: “%s” is not a cookie (no “=”)"), pair);
                continue;
              }
            *eq = '\0';
            sonde_key_value_list_append (sonde_request_get_cookies (b->request), pair, eq + 1);
          }
      }
      break;
    case OPT_INSECURE:
      sonde_request_options_set_verify_tls (opts, FALSE);
      break;
    case OPT_CACERT:
      {
        g_autofree char *path = resolve_path (b, arg);

        sonde_request_options_set_ca_file (opts, path);
      }
      break;
    case OPT_CERT:
      {
        /* FILE[:PASSPHRASE]; "\:" keeps a colon in the file name. */
        GString *path = g_string_new (NULL);
        const char *s = arg;
        g_autofree char *resolved = NULL;

        for (; *s != '\0'; s++)
          {
            if (*s == '\\' && s[1] == ':')
              g_string_append_c (path, *++s);
            else if (*s == ':' && !(s == arg + 1 && g_ascii_isalpha (arg[0])))
              break;
            else
              g_string_append_c (path, *s);
          }
        if (*s == ':')
          sonde_request_options_set_client_passphrase (opts, s + 1);
        resolved = resolve_path (b, path->str);
        g_string_free (path, TRUE);
        sonde_request_options_set_client_cert (opts, resolved);
      }
      break;
    case OPT_KEY:
      {
        g_autofree char *path = resolve_path (b, arg);

        sonde_request_options_set_client_key (opts, path);
      }
      break;
    case OPT_CERT_TYPE:
      g_free (b->cert_type);
      b->cert_type = g_ascii_strup (arg, -1);
      break;
    case OPT_PASS:
      sonde_request_options_set_client_passphrase (opts, arg);
      break;
    case OPT_PROXY:
      {
        g_autofree char *url = strstr (arg, "://") != NULL ? g_strdup (arg)
                                                           : g_strconcat ("http://", arg, NULL);

        sonde_request_options_set_proxy_mode (opts, SONDE_PROXY_CUSTOM);
        sonde_request_options_set_proxy_url (opts, url);
      }
      break;
    case OPT_PROXY_USER:
      {
        g_autofree char *user = NULL;
        g_autofree char *password = NULL;

        split_user (arg, &user, &password);
        sonde_request_options_set_proxy_username (opts, user);
        sonde_request_options_set_proxy_password (opts, password);
      }
      break;
    case OPT_NOPROXY:
      {
        g_auto(GStrv) hosts = g_strsplit (arg, ",", -1);

        for (guint i = 0; hosts[i] != NULL; i++)
          g_strstrip (hosts[i]);
        sonde_request_options_set_no_proxy (opts, (const char * const *) hosts);
      }
      break;
    case OPT_LOCATION:
      b->location = TRUE;
      break;
    case OPT_MAX_REDIRS:
      {
        gint64 value;

        if (!g_ascii_string_to_signed (arg, 10, -1, G_MAXINT, &value, NULL))
          {
            g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                         _("--max-redirs takes a number, not “%s”"), arg);
            return FALSE;
          }
        sonde_request_options_set_max_redirects (opts, value < 0 ? G_MAXINT : (int) value);
      }
      break;
    case OPT_MAX_TIME:
    case OPT_CONNECT_TIMEOUT:
      {
        double seconds;

        if (!parse_seconds (arg, &seconds))
          {
            g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                         _("%s takes a number of seconds, not “%s”"), spelled, arg);
            return FALSE;
          }
        if (option->id == OPT_MAX_TIME)
          sonde_request_options_set_timeout (opts, seconds);
        else
          sonde_request_options_set_connect_timeout (opts, seconds);
      }
      break;
    case OPT_GET:
      b->get = TRUE;
      break;
    case OPT_URL:
      if (b->url == NULL)
        b->url = g_strdup (arg);
      else
        note (b, SONDE_IMPORT_NOTE_DROPPED, _("a second URL, %s: one request is made of the first"), arg);
      break;
    case OPT_USER_AGENT:
      remove_header (b->request, "User-Agent");
      sonde_key_value_list_append (sonde_request_get_headers (b->request), "User-Agent", arg);
      break;
    case OPT_REFERER:
      remove_header (b->request, "Referer");
      sonde_key_value_list_append (sonde_request_get_headers (b->request), "Referer", arg);
      break;
    case OPT_COMPRESSED:
      note (b, SONDE_IMPORT_NOTE_CONVERTED,
            _("--compressed: Sonde always asks for compressed responses and decodes them"));
      break;
    case OPT_HEAD:
      b->head = TRUE;
      break;
    case OPT_UPLOAD_FILE:
      g_free (b->upload_file);
      b->upload_file = resolve_path (b, arg);
      break;
    case OPT_BASIC:
      b->digest = b->ntlm = FALSE;
      g_clear_pointer (&b->aws_sigv4, g_free);
      break;
    case OPT_DIGEST:
      b->digest = TRUE;
      b->ntlm = FALSE;
      g_clear_pointer (&b->aws_sigv4, g_free);
      break;
    case OPT_NTLM:
      b->ntlm = TRUE;
      b->digest = FALSE;
      g_clear_pointer (&b->aws_sigv4, g_free);
      break;
    case OPT_AWS_SIGV4:
      g_free (b->aws_sigv4);
      b->aws_sigv4 = g_strdup (arg);
      b->digest = b->ntlm = FALSE;
      break;
    case OPT_OAUTH2_BEARER:
      sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
      sonde_auth_set_token (auth, arg);
      break;
    case OPT_HTTP1_1:
      sonde_request_options_set_http_version (opts, SONDE_HTTP_VERSION_1_1);
      break;
    case OPT_HTTP2:
      note (b, SONDE_IMPORT_NOTE_CONVERTED,
            _("%s: Sonde uses HTTP/2 when the server offers it over TLS"), spelled);
      break;
    case OPT_OUTPUT_ONLY:
      note (b, SONDE_IMPORT_NOTE_DROPPED, _("%s changes only what curl prints or writes"), spelled);
      break;
    case OPT_UNSUPPORTED:
      if (option->has_argument)
        note (b, SONDE_IMPORT_NOTE_DROPPED, _("%s %s is not supported"), spelled, arg);
      else
        note (b, SONDE_IMPORT_NOTE_DROPPED, _("%s is not supported"), spelled);
      break;
    case OPT_NONE:
    default:
      break;
    }
  return TRUE;
}

static gboolean
apply_words (Builder     *b,
             GPtrArray   *words,
             GError     **error)
{
  gboolean options_end = FALSE;

  /* words[0] is "curl" */
  for (guint i = 1; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (options_end || word[0] != '-' || word[1] == '\0')
        {
          if (b->url == NULL)
            b->url = g_strdup (word);
          else
            note (b, SONDE_IMPORT_NOTE_DROPPED, _("a second URL, %s: one request is made of the first"), word);
          continue;
        }

      if (strcmp (word, "--") == 0)
        {
          options_end = TRUE;
          continue;
        }

      if (word[1] == '-')
        {
          const char *name = word + 2;
          const Option *option;
          gboolean negated = FALSE;

          option = find_long (name);
          if (option == NULL && g_str_has_prefix (name, "no-") && (option = find_long (name + 3)) != NULL)
            negated = TRUE;
          if (option == NULL)
            {
              /* An option we do not know: whether it takes an argument is unknown too. */
              note (b, SONDE_IMPORT_NOTE_DROPPED, _("%s is not an option Sonde knows"), word);
              continue;
            }
          if (negated)
            {
              if (option->id == OPT_INSECURE)
                sonde_request_options_set_verify_tls (sonde_request_get_options (b->request), TRUE);
              else if (option->id == OPT_LOCATION)
                b->location = FALSE;
              else if (option->id != OPT_OUTPUT_ONLY)
                note (b, SONDE_IMPORT_NOTE_DROPPED, _("%s is not supported"), word);
              continue;
            }
          if (option->has_argument)
            {
              if (i + 1 >= words->len)
                {
                  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                               _("%s needs a value"), word);
                  return FALSE;
                }
              if (!apply_option (b, option, word, g_ptr_array_index (words, ++i), error))
                return FALSE;
            }
          else if (!apply_option (b, option, word, NULL, error))
            return FALSE;
          continue;
        }

      /* Short options, bundled ("-sSL") or with an attached value ("-XPOST"). */
      for (const char *s = word + 1; *s != '\0'; s++)
        {
          const Option *option = find_short (*s);
          char spelled[3] = { '-', *s, '\0' };

          if (option == NULL)
            {
              note (b, SONDE_IMPORT_NOTE_DROPPED, _("%s is not an option Sonde knows"), spelled);
              continue;
            }
          if (!option->has_argument)
            {
              if (!apply_option (b, option, spelled, NULL, error))
                return FALSE;
              continue;
            }
          if (s[1] != '\0')
            {
              if (!apply_option (b, option, spelled, s + 1, error))
                return FALSE;
            }
          else if (i + 1 < words->len)
            {
              if (!apply_option (b, option, spelled, g_ptr_array_index (words, ++i), error))
                return FALSE;
            }
          else
            {
              g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                           _("%s needs a value"), spelled);
              return FALSE;
            }
          break;
        }
    }
  return TRUE;
}

static char *
name_from_url (const char *method,
               const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;

  if (path == NULL || path[0] == '\0' || strcmp (path, "/") == 0)
    return g_strdup_printf ("%s %s", method, uri != NULL && g_uri_get_host (uri) ? g_uri_get_host (uri) : url);
  return g_strdup_printf ("%s %s", method, path);
}

static gboolean
finish_request (Builder  *b,
                GError  **error)
{
  SondeRequest *request = b->request;
  SondeBody *body = sonde_request_get_body (request);
  SondeRequestOptions *opts = sonde_request_get_options (request);
  g_autofree char *content_type = NULL;
  const char *method;
  g_autofree char *name = NULL;

  if (b->url == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("The curl command has no URL"));
      return FALSE;
    }
  if (strstr (b->url, "://") == NULL)
    {
      /* curl's default scheme */
      g_autofree char *url = g_strconcat ("http://", b->url, NULL);

      g_free (b->url);
      b->url = g_steal_pointer (&url);
    }

  if (b->user != NULL)
    {
      g_autofree char *user = NULL;
      g_autofree char *password = NULL;

      split_user (b->user, &user, &password);
      sonde_auth_set_kind (sonde_request_get_auth (request), b->digest ? SONDE_AUTH_DIGEST :
                                                             b->ntlm ? SONDE_AUTH_NTLM :
                                                             b->aws_sigv4 != NULL ? SONDE_AUTH_AWS_SIGV4 :
                                                             SONDE_AUTH_BASIC);
      sonde_auth_set_username (sonde_request_get_auth (request), user);
      sonde_auth_set_password (sonde_request_get_auth (request), password != NULL ? password : "");
      if (password == NULL)
        note (b, SONDE_IMPORT_NOTE_CONVERTED,
              _("-u %s has no password (curl would ask for one): set it in the Auth tab"), user);
    }

  if (b->aws_sigv4 != NULL)
    {
      /* "aws:amz:REGION:SERVICE"; without the last two, curl reads them from a host
       * named SERVICE.REGION.amazonaws.com, and so does this. */
      g_auto(GStrv) parts = g_strsplit (b->aws_sigv4, ":", 4);
      SondeAuth *auth = sonde_request_get_auth (request);
      g_autofree char *region = g_strdup (g_strv_length (parts) > 2 ? parts[2] : NULL);
      g_autofree char *service = g_strdup (g_strv_length (parts) > 3 ? parts[3] : NULL);
      g_autoptr(GUri) uri = g_uri_parse (b->url, G_URI_FLAGS_NONE, NULL);
      const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

      if ((region == NULL || service == NULL) && host != NULL && g_str_has_suffix (host, ".amazonaws.com"))
        {
          g_auto(GStrv) labels = g_strsplit (host, ".", -1);

          if (g_strv_length (labels) >= 4)
            {
              if (service == NULL)
                service = g_strdup (labels[0]);
              if (region == NULL)
                region = g_strdup (labels[1]);
            }
        }
      if (b->user == NULL)
        sonde_auth_set_kind (auth, SONDE_AUTH_AWS_SIGV4);
      sonde_auth_set_region (auth, region != NULL ? region : "");
      sonde_auth_set_service (auth, service != NULL ? service : "");
      if (region == NULL || service == NULL)
        note (b, SONDE_IMPORT_NOTE_CONVERTED,
              _("--aws-sigv4 %s names no region or service: set them in the Auth tab"), b->aws_sigv4);
    }

  if (b->cert_type != NULL && (strcmp (b->cert_type, "P12") == 0 || strcmp (b->cert_type, "PKCS12") == 0))
    {
      sonde_request_options_set_client_pkcs12 (opts, sonde_request_options_get_client_cert (opts));
      sonde_request_options_set_client_cert (opts, NULL);
    }
  else if (b->cert_type != NULL && strcmp (b->cert_type, "PEM") != 0)
    note (b, SONDE_IMPORT_NOTE_DROPPED, _("--cert-type %s is not supported (PEM and P12 are)"), b->cert_type);

  /* Without -L curl shows a redirect instead of following it. */
  if (!b->location)
    sonde_request_options_set_follow_redirects (opts, FALSE);

  content_type = header_value (request, "Content-Type");

  if (b->get && b->has_data)
    {
      /* -G: the data goes into the query. */
      const char *sep = strchr (b->url, '?') != NULL ? "&" : "?";
      g_autofree char *url = g_strconcat (b->url, sep, b->data->str, NULL);

      g_free (b->url);
      b->url = g_steal_pointer (&url);
      b->has_data = FALSE;
    }

  if (b->upload_file != NULL)
    {
      sonde_body_set_kind (body, SONDE_BODY_FILE);
      sonde_body_set_file (body, b->upload_file);
    }
  else if (b->has_form)
    sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
  else if (b->has_data && b->data_file != NULL)
    {
      sonde_body_set_kind (body, b->json ? SONDE_BODY_JSON : SONDE_BODY_FILE);
      if (b->json)
        {
          g_autofree char *text = NULL;

          if (!read_file_text (b, b->data_file, &text, error))
            return FALSE;
          sonde_body_set_text (body, text);
        }
      else
        sonde_body_set_file (body, b->data_file);
    }
  else if (b->has_data)
    {
      gboolean form_type = content_type == NULL ||
                           g_ascii_strncasecmp (content_type, "application/x-www-form-urlencoded", 33) == 0;

      if (b->json || (content_type != NULL && strstr (content_type, "json") != NULL))
        {
          sonde_body_set_kind (body, SONDE_BODY_JSON);
          sonde_body_set_text (body, b->data->str);
        }
      else if (form_type && b->data_is_form &&
               g_list_model_get_n_items (G_LIST_MODEL (b->form_fields)) > 0)
        {
          GListStore *fields = sonde_body_get_fields (body);

          sonde_body_set_kind (body, SONDE_BODY_FORM);
          for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (b->form_fields)); i++)
            {
              g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (b->form_fields), i);

              g_list_store_append (fields, row);
            }
        }
      else
        {
          sonde_body_set_kind (body, content_type != NULL && strstr (content_type, "xml") != NULL
                                     ? SONDE_BODY_XML : SONDE_BODY_TEXT);
          sonde_body_set_text (body, b->data->str);
          sonde_body_set_content_type (body, content_type != NULL ? content_type
                                                                  : "application/x-www-form-urlencoded");
        }
    }

  /* The body's kind says the content type; a header saying the same is not needed. */
  if (content_type != NULL && sonde_body_get_kind (body) != SONDE_BODY_NONE &&
      sonde_body_get_kind (body) != SONDE_BODY_MULTIPART)
    {
      const char *kind_type = sonde_body_get_content_type (body) != NULL
                              ? sonde_body_get_content_type (body)
                              : sonde_body_kind_default_content_type (sonde_body_get_kind (body));

      if (kind_type != NULL && g_ascii_strcasecmp (kind_type, content_type) == 0)
        remove_header (request, "Content-Type");
      else if (sonde_body_get_content_type (body) == NULL)
        {
          sonde_body_set_content_type (body, content_type);
          remove_header (request, "Content-Type");
        }
    }
  if (b->json)
    {
      g_autofree char *accept = header_value (request, "Accept");

      if (accept == NULL)
        sonde_key_value_list_append (sonde_request_get_headers (request), "Accept", "application/json");
    }

  if (b->method != NULL)
    method = b->method;
  else if (b->head)
    method = "HEAD";
  else if (b->upload_file != NULL)
    method = "PUT";
  else if (b->has_form || b->has_data)
    method = "POST";
  else
    method = "GET";
  {
    g_autofree char *upper = g_ascii_strup (method, -1);

    sonde_request_set_method (request, upper);
  }
  sonde_request_set_url (request, b->url);
  name = name_from_url (sonde_request_get_method (request), b->url);
  sonde_request_set_name (request, name);
  return TRUE;
}

static SondeRequest *
parse_words (GPtrArray  *words,
             GFile      *base_dir,
             GPtrArray  *notes,
             GError    **error)
{
  Builder b = { 0 };
  SondeRequest *ret = NULL;

  b.base_dir = base_dir;
  b.notes = notes;
  b.request = sonde_request_new ();
  b.data = g_string_new (NULL);
  b.data_is_form = TRUE;
  b.form_fields = sonde_key_value_list_new ();

  if (apply_words (&b, words, error) && finish_request (&b, error))
    ret = g_object_ref (b.request);

  g_object_unref (b.request);
  g_string_free (b.data, TRUE);
  g_object_unref (b.form_fields);
  g_free (b.url);
  g_free (b.method);
  g_free (b.data_file);
  g_free (b.user);
  g_free (b.aws_sigv4);
  g_free (b.cert_type);
  g_free (b.upload_file);
  return ret;
}

SondeRequest *
sonde_curl_parse (const char  *command,
                  GFile       *base_dir,
                  GPtrArray   *notes,
                  GError     **error)
{
  g_autoptr(GPtrArray) commands = NULL;
  Command *first = NULL;

  g_return_val_if_fail (command != NULL, NULL);

  commands = split_commands (command, error);
  if (commands == NULL)
    return NULL;
  for (guint i = 0; i < commands->len && first == NULL; i++)
    {
      Command *c = g_ptr_array_index (commands, i);

      if (c->words->len > 0 && strcmp (g_ptr_array_index (c->words, 0), "curl") == 0)
        first = c;
    }
  if (first == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("This is not a curl command: it should start with “curl”"));
      return NULL;
    }
  return parse_words (first->words, base_dir, notes, error);
}

SondeImport *
sonde_import_curl (const char  *data,
                   GFile       *base_dir,
                   GError     **error)
{
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(SondeImport) import = sonde_import_new (NULL);

  commands = split_commands (data, error);
  if (commands == NULL)
    return NULL;

  for (guint i = 0; i < commands->len; i++)
    {
      Command *c = g_ptr_array_index (commands, i);
      g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_import_note_free);
      g_autoptr(SondeRequest) request = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *program;

      if (c->words->len == 0)
        continue;
      program = g_ptr_array_index (c->words, 0);
      if (strcmp (program, "curl") != 0)
        {
          sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                             _("a “%s” command is not a curl command"), program);
          continue;
        }

      request = parse_words (c->words, base_dir, notes, &local_error);
      if (request == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("command %u: %s"), i + 1, local_error->message);
          return NULL;
        }
      sonde_import_add_request (import, sonde_import_get_root (import), request);
      for (guint j = 0; j < notes->len; j++)
        {
          SondeImportNote *n = g_ptr_array_index (notes, j);

          sonde_import_note (import, n->kind, sonde_request_get_name (request), "%s", n->message);
        }
    }

  if (sonde_import_get_n_requests (import) == 0)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("There is no curl command in it"));
      return NULL;
    }
  return g_steal_pointer (&import);
}
