/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-url"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-url.h"

/* URL ⇄ Params rows.
 *
 * The request keeps the URL without its query in "url" and the query as "params" rows, as
 * the request file does. The entry shows both joined; typing in it splits them again. Rows
 * hold decoded text (the client encodes it when sending); the entry escapes only what would
 * change the meaning of the query, so "{{token}}" and "a b" stay readable. */

static void
append_query_text (GString    *out,
                   const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f || strchr ("%&=#+", *p) != NULL)
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, *p);
    }
}

static char *
decode_query_text (const char *text,
                   gssize      length)
{
  g_autofree char *raw = length < 0 ? g_strdup (text) : g_strndup (text, length);
  char *decoded;

  /* '+' is a space in queries; a stray '%' (being typed) stays as it is. */
  g_strdelimit (raw, "+", ' ');
  decoded = g_uri_unescape_string (raw, NULL);
  return decoded != NULL ? decoded : g_steal_pointer (&raw);
}

char *
sonde_url_compose (SondeRequest *request)
{
  GListModel *params = G_LIST_MODEL (sonde_request_get_params (request));
  const char *url = sonde_request_get_url (request);
  GString *text = g_string_new (url != NULL ? url : "");
  gboolean first = strchr (text->str, '?') == NULL;

  for (guint i = 0; i < g_list_model_get_n_items (params); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (params, i);
      const char *name = sonde_key_value_get_name (row);
      const char *value = sonde_key_value_get_value (row);

      if (!sonde_key_value_get_enabled (row) || (*name == '\0' && *value == '\0'))
        continue;

      g_string_append_c (text, first ? '?' : '&');
      append_query_text (text, name);
      if (*value != '\0')
        {
          g_string_append_c (text, '=');
          append_query_text (text, value);
        }
      first = FALSE;
    }

  return g_string_free (text, FALSE);
}

void
sonde_url_apply_query (SondeRequest *request,
                       const char   *query)
{
  GListStore *params = sonde_request_get_params (request);
  g_auto(GStrv) pairs = g_strsplit (query != NULL ? query : "", "&", -1);
  g_autoptr(GPtrArray) enabled_rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_pairs = 0;

  /* Only enabled rows show in the URL: disabled ones stay as they are. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (params)); i++)
    {
      SondeKeyValue *row = g_list_model_get_item (G_LIST_MODEL (params), i);

      if (sonde_key_value_get_enabled (row))
        g_ptr_array_add (enabled_rows, row);
      else
        g_object_unref (row);
    }

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *equals;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pairs[i][0] == '\0')
        continue;

      equals = strchr (pairs[i], '=');
      name = decode_query_text (pairs[i], equals != NULL ? equals - pairs[i] : -1);
      value = decode_query_text (equals != NULL ? equals + 1 : "", -1);

      if (n_pairs < enabled_rows->len)
        {
          SondeKeyValue *row = g_ptr_array_index (enabled_rows, n_pairs);

          if (g_strcmp0 (sonde_key_value_get_name (row), name) != 0)
            sonde_key_value_set_name (row, name);
          if (g_strcmp0 (sonde_key_value_get_value (row), value) != 0)
            sonde_key_value_set_value (row, value);
        }
      else
        {
          g_autoptr(SondeKeyValue) row = sonde_key_value_new (name, value, TRUE);

          g_list_store_append (params, row);
        }
      n_pairs++;
    }

  for (guint i = n_pairs; i < enabled_rows->len; i++)
    {
      guint position;

      if (g_list_store_find (params, g_ptr_array_index (enabled_rows, i), &position))
        g_list_store_remove (params, position);
    }
}

/* PAIR as the client sends a params row: unreserved bytes as they are, the others %XX */
static gboolean
sent_as_written (const char *pair,
                 const char *name,
                 const char *value)
{
  g_autoptr(GString) sent = g_string_new (NULL);
  const char *parts[] = { name, value };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (i > 0)
        g_string_append_c (sent, '=');
      for (const guchar *p = (const guchar *) parts[i]; *p != '\0'; p++)
        {
          if (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL)
            g_string_append_c (sent, *p);
          else
            g_string_append_printf (sent, "%%%02X", *p);
        }
    }
  return g_str_equal (sent->str, pair);
}

void
sonde_url_split_query (SondeRequest *request)
{
  const char *url = sonde_request_get_url (request);
  const char *question = url != NULL ? strchr (url, '?') : NULL;
  g_autofree char *base = NULL;
  g_auto(GStrv) pairs = NULL;
  guint position = 0;

  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  /* Only when the rows send the same bytes: a {{variable}} in a written query goes in as it
   * is, in a row it is encoded; "flag" would become "flag=" */
  if (question == NULL || strpbrk (question, "#{") != NULL)
    return;

  base = g_strndup (url, question - url);
  pairs = g_strsplit (question + 1, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (equals == NULL)
        return;
      name = g_uri_unescape_segment (pairs[i], equals, NULL);
      value = g_uri_unescape_string (equals + 1, NULL);
      if (name == NULL || value == NULL || !sent_as_written (pairs[i], name, value))
        return;
      g_ptr_array_add (rows, sonde_key_value_new (name, value, TRUE));
    }
  for (guint i = 0; i < rows->len; i++)
    g_list_store_insert (sonde_request_get_params (request), position++, rows->pdata[i]);
  sonde_request_set_url (request, base);
}

gboolean
sonde_url_check (const char  *text,
                 GError     **error)
{
  g_autofree char *base = g_strdup (text != NULL ? text : "");
  g_autoptr(GString) checked = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) uri_error = NULL;
  const char *scheme;
  char *p;

  g_strstrip (base);
  if ((p = strpbrk (base, "?#")) != NULL)
    *p = '\0';

  if (*base == '\0')
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                           _("Enter the URL to send the request to"));
      return FALSE;
    }

  /* A URL starting with a variable gets its scheme and host from it: checked after expansion. */
  if (g_str_has_prefix (base, "{{"))
    return TRUE;

  checked = g_string_new (NULL);
  for (const char *s = base; *s != '\0'; s++)
    {
      const char *end;

      if (s[0] == '{' && s[1] == '{' && (end = strstr (s, "}}")) != NULL)
        {
          g_string_append (checked, "x");
          s = end + 1;
        }
      else
        g_string_append_c (checked, *s);
    }

  if (strstr (checked->str, "://") == NULL)
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                           _("The URL must start with http:// or https://"));
      return FALSE;
    }

  uri = g_uri_parse (checked->str, G_URI_FLAGS_NONE, &uri_error);
  if (uri == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("The URL is not valid: %s"), uri_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  /* ws:// and wss:// are WebSocket requests (sonde-websocket.h) */
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0 &&
      g_ascii_strcasecmp (scheme, "ws") != 0 && g_ascii_strcasecmp (scheme, "wss") != 0)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                   _("Only http:// and https:// URLs can be sent (ws:// and wss:// connect), not %s://"), scheme);
      return FALSE;
    }

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL,
                           _("The URL has no host name"));
      return FALSE;
    }

  return TRUE;
}
