/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-secret-heuristics"

#include "config.h"

#include <string.h>

#include "sonde-secret-heuristics.h"
#include "sonde-variables.h"

/* Header and field names whose values are credentials. */
static const char * const sensitive_names[] = {
  "authorization", "cookie", "token", "secret", "password", "passwd",
  "api-key", "api_key", "apikey", NULL
};

static gboolean
is_sensitive_name (const char *name)
{
  g_autofree char *lower = NULL;

  if (name == NULL)
    return FALSE;

  lower = g_ascii_strdown (name, -1);
  for (guint i = 0; sensitive_names[i] != NULL; i++)
    if (strstr (lower, sensitive_names[i]) != NULL)
      return TRUE;
  return FALSE;
}

gboolean
sonde_is_credential_header_name (const char *name)
{
  static const char * const more[] = { "auth", "session", "credential", NULL };
  g_autofree char *lower = NULL;

  if (name == NULL)
    return FALSE;
  if (is_sensitive_name (name))
    return TRUE;

  lower = g_ascii_strdown (name, -1);
  for (guint i = 0; more[i] != NULL; i++)
    if (strstr (lower, more[i]) != NULL)
      return TRUE;
  return g_str_has_suffix (lower, "key");
}

static gboolean
is_authorization (const char *name)
{
  return name != NULL && g_ascii_strcasecmp (name, "Authorization") == 0;
}

/* TEXT without its {{variables}}. */
static char *
strip_variables (const char *text)
{
  GString *out = g_string_new (NULL);
  gsize position = 0;
  gsize begin;
  gsize end;

  while (sonde_variables_find_next (text, position, &begin, &end, NULL))
    {
      g_string_append_len (out, text + position, begin - position);
      position = end;
    }
  g_string_append (out, text + position);

  return g_string_free (out, FALSE);
}

/* VALUE after a leading "Bearer " (any header) or any scheme word (Authorization). */
static const char *
skip_scheme (const char *name,
             const char *value)
{
  const char *p = value;

  while (g_ascii_isspace (*p))
    p++;

  if (g_ascii_strncasecmp (p, "Bearer", 6) == 0 && g_ascii_isspace (p[6]))
    p += 6;
  else if (is_authorization (name))
    {
      const char *word = p;

      while (g_ascii_isalpha (*p) || *p == '-')
        p++;
      if (p == word || !g_ascii_isspace (*p))
        p = word;
    }

  while (g_ascii_isspace (*p))
    p++;
  return p;
}

static gboolean
has_literal (const char *text)
{
  g_autofree char *stripped = strip_variables (text);

  return *g_strstrip (stripped) != '\0';
}

static gboolean
is_base64url (const char *text,
              gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '_')
      return FALSE;
  return TRUE;
}

/* Three base64url parts, the first a JSON object ("eyJ" is "{\""). */
static gboolean
is_jwt (const char *word)
{
  g_auto(GStrv) parts = g_strsplit (word, ".", -1);

  if (g_strv_length (parts) != 3 || !g_str_has_prefix (parts[0], "eyJ") || strlen (word) < 20)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!is_base64url (parts[i], strlen (parts[i])) || (i < 2 && *parts[i] == '\0'))
      return FALSE;
  return TRUE;
}

/* How many different characters WORD has: random strings use many. */
static guint
distinct_chars (const char *word)
{
  gboolean seen[256] = { FALSE };
  guint count = 0;

  for (const char *p = word; *p != '\0'; p++)
    if (!seen[(guchar) *p])
      {
        seen[(guchar) *p] = TRUE;
        count++;
      }
  return count;
}

/* A long word of token characters that looks random: mixed case and digits, or hex. */
static gboolean
is_random_word (const char *word)
{
  gsize length = strlen (word);
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, hex = TRUE;

  if (length < 20)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = word[i];

      if (!g_ascii_isalnum (c) && strchr ("-_+/=.~", c) == NULL)
        return FALSE;
      lower |= g_ascii_islower (c);
      upper |= g_ascii_isupper (c);
      digit |= g_ascii_isdigit (c);
      hex &= g_ascii_isxdigit (c);
    }

  if (hex && length >= 32 && digit && (lower || upper))
    return distinct_chars (word) >= 10;
  return lower + upper + digit == 3 && distinct_chars (word) >= MIN (length / 2, 16);
}

gboolean
sonde_looks_like_secret (const char *name,
                         const char *value)
{
  g_autofree char *literal = NULL;
  g_auto(GStrv) words = NULL;
  const char *rest;

  if (value == NULL || !has_literal (value))
    return FALSE;

  rest = skip_scheme (name, value);
  if (!has_literal (rest))
    return FALSE;

  if (is_sensitive_name (name))
    return TRUE;

  literal = strip_variables (rest);
  g_strstrip (literal);
  if (rest != value && strlen (literal) >= 8 && strchr (literal, ' ') == NULL)
    return TRUE;   /* "Bearer abcdefgh" */

  words = g_strsplit_set (literal, " \t,;", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (is_jwt (words[i]) || is_random_word (words[i]))
      return TRUE;

  return FALSE;
}

char *
sonde_secret_literal (const char *name,
                      const char *value)
{
  g_autofree char *literal = NULL;

  if (value == NULL)
    return NULL;

  literal = g_strdup (skip_scheme (name, value));
  g_strstrip (literal);
  if (!has_literal (literal))
    return NULL;

  return g_steal_pointer (&literal);
}

char *
sonde_secret_suggest_name (const char *name,
                           const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = name != NULL ? name : "";

  if (is_authorization (name))
    {
      const char *v = value != NULL ? value : "";

      while (g_ascii_isspace (*v))
        v++;
      g_string_free (out, TRUE);
      if (g_ascii_strncasecmp (v, "Bearer", 6) == 0)
        return g_strdup ("token");
      if (g_ascii_strncasecmp (v, "Basic", 5) == 0)
        return g_strdup ("credentials");
      return g_strdup ("authorization");
    }

  if (g_ascii_strncasecmp (p, "x-", 2) == 0)
    p += 2;
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
    }
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "secret");

  return g_string_free (out, FALSE);
}

static int
compare_longest_first (gconstpointer a,
                       gconstpointer b)
{
  gsize la = strlen (*(const char * const *) a);
  gsize lb = strlen (*(const char * const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

char *
sonde_secrets_mask (const char         *text,
                    const char * const *secrets)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  if (secrets == NULL || secrets[0] == NULL)
    return g_strdup (text);

  /* Longest first, so a secret that contains another is masked whole. */
  sorted = g_ptr_array_new ();
  for (guint i = 0; secrets[i] != NULL; i++)
    if (secrets[i][0] != '\0')
      g_ptr_array_add (sorted, (gpointer) secrets[i]);
  g_ptr_array_sort (sorted, compare_longest_first);

  out = g_string_sized_new (strlen (text));
  p = text;
  while (*p != '\0')
    {
      gboolean masked = FALSE;

      for (guint i = 0; i < sorted->len; i++)
        {
          const char *secret = g_ptr_array_index (sorted, i);
          gsize length = strlen (secret);

          if (strncmp (p, secret, length) == 0)
            {
              g_string_append (out, "****");
              p += length;
              masked = TRUE;
              break;
            }
        }
      if (!masked)
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}
