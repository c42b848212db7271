/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-import-har"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-import.h"
#include "sonde-websocket.h"
#include "sonde-json-file.h"

/* HAR 1.2 (the HTTP Archive browsers export): each entry's request becomes a request, grouped
 * in a folder per page (docs/import-export.md). Responses are not imported. */

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Headers a browser or HTTP/2 adds that are not the request's to send: libsoup writes its own. */
static gboolean
is_transport_header (const char *name)
{
  static const char * const names[] = {
    "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    "trailer", "upgrade", "content-length", NULL
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return name[0] == ':' || g_strv_contains (names, lower);
}

static char *
name_for (const char *method,
          const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;

  return g_strdup_printf ("%s %s", method, path != NULL && path[0] != '\0' ? path : url);
}

static void
read_post_data (SondeImport  *import,
                const char   *where,
                JsonObject   *post,
                SondeRequest *request)
{
  SondeBody *body = sonde_request_get_body (request);
  const char *mime = sonde_json_get_string (post, "mimeType");
  const char *text = sonde_json_get_string (post, "text");
  JsonArray *params = sonde_json_get_array (post, "params");
  g_autofree char *type = NULL;

  if (post == NULL)
    return;
  type = g_ascii_strdown (mime != NULL ? mime : "", -1);

  if (g_str_has_prefix (type, "application/x-www-form-urlencoded") && (text != NULL || params != NULL))
    {
      /* The sent text when there is one (params are decoded or not, by browser) */
      g_auto(GStrv) pairs = g_strsplit (text != NULL ? text : "", "&", -1);

      sonde_body_set_kind (body, SONDE_BODY_FORM);
      for (guint i = 0; text != NULL && text[0] != '\0' && pairs[i] != NULL; i++)
        {
          char *eq = strchr (pairs[i], '=');
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;

          if (eq != NULL)
            *eq = '\0';
          g_strdelimit (pairs[i], "+", ' ');
          if (eq != NULL)
            g_strdelimit (eq + 1, "+", ' ');
          name = g_uri_unescape_string (pairs[i], NULL);
          value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
          sonde_key_value_list_append (sonde_body_get_fields (body), name ? name : pairs[i],
                                       value ? value : (eq != NULL ? eq + 1 : ""));
        }
      for (guint i = 0; (text == NULL || text[0] == '\0') && params != NULL && i < json_array_get_length (params); i++)
        {
          JsonObject *param = element_object (params, i);

          if (param != NULL && sonde_json_get_string (param, "name") != NULL)
            sonde_key_value_list_append (sonde_body_get_fields (body), sonde_json_get_string (param, "name"),
                                         sonde_json_get_string (param, "value") ? sonde_json_get_string (param, "value") : "");
        }
      return;
    }
  if (g_str_has_prefix (type, "multipart/form-data") && params != NULL)
    {
      sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
      for (guint i = 0; i < json_array_get_length (params); i++)
        {
          JsonObject *param = element_object (params, i);
          g_autoptr(SondeBodyPart) part = NULL;
          const char *name;

          if (param == NULL)
            continue;
          name = sonde_json_get_string (param, "name") ? sonde_json_get_string (param, "name") : "";
          if (sonde_json_get_string (param, "fileName") != NULL)
            {
              part = sonde_body_part_new_file (name, "");
              sonde_body_part_set_filename (part, sonde_json_get_string (param, "fileName"));
              sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, where,
                                 _("the content of the file “%s” is not in the HAR: choose the file in "
                                   "the Body tab"), sonde_json_get_string (param, "fileName"));
            }
          else
            part = sonde_body_part_new_text (name, sonde_json_get_string (param, "value") ? sonde_json_get_string (param, "value") : "");
          if (sonde_json_get_string (param, "contentType") != NULL)
            sonde_body_part_set_content_type (part, sonde_json_get_string (param, "contentType"));
          g_list_store_append (sonde_body_get_parts (body), part);
        }
      return;
    }

  if (text == NULL)
    return;
  if (strstr (type, "json") != NULL)
    sonde_body_set_kind (body, SONDE_BODY_JSON);
  else if (strstr (type, "xml") != NULL)
    sonde_body_set_kind (body, SONDE_BODY_XML);
  else
    sonde_body_set_kind (body, SONDE_BODY_TEXT);
  sonde_body_set_text (body, text);
  if (mime != NULL && mime[0] != '\0' &&
      g_strcmp0 (mime, sonde_body_kind_default_content_type (sonde_body_get_kind (body))) != 0)
    sonde_body_set_content_type (body, mime);
}

/* A WebSocket connection as Chrome records it: its handshake headers (the ones libsoup writes
 * dropped, Sec-WebSocket-Protocol as the subprotocols) and "_webSocketMessages", whose text
 * messages sent become the request's saved messages. */
static void
read_websocket (SondeImport  *import,
                const char   *where,
                JsonObject   *entry,
                SondeRequest *request,
                GHashTable   *dropped_headers)
{
  GListStore *headers = sonde_request_get_headers (request);
  JsonArray *frames = sonde_json_get_array (entry, "_webSocketMessages");
  g_autoptr(JsonObject) extra = NULL;
  JsonArray *subprotocols = json_array_new ();
  JsonArray *messages = json_array_new ();
  guint binary = 0;

  sonde_request_set_websocket (request, TRUE);
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (headers)); i > 0; i--)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (headers), i - 1);
      const char *header = sonde_key_value_get_name (row);

      if (g_ascii_strncasecmp (header, "Sec-WebSocket-", strlen ("Sec-WebSocket-")) != 0)
        continue;
      if (g_ascii_strcasecmp (header, "Sec-WebSocket-Protocol") == 0)
        {
          g_auto(GStrv) names = g_strsplit (sonde_key_value_get_value (row), ",", -1);

          for (guint j = 0; names[j] != NULL; j++)
            if (g_strstrip (names[j])[0] != '\0')
              json_array_add_string_element (subprotocols, names[j]);
        }
      else
        g_hash_table_add (dropped_headers, g_ascii_strdown (header, -1));
      g_list_store_remove (headers, i - 1);
    }

  for (guint i = 0; frames != NULL && i < json_array_get_length (frames); i++)
    {
      JsonObject *frame = element_object (frames, i);
      const char *data = sonde_json_get_string (frame, "data");
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *message;

      if (g_strcmp0 (sonde_json_get_string (frame, "type"), "send") != 0 || data == NULL)
        continue;
      /* Opcode 2 is binary, recorded in base64 */
      if (json_object_has_member (frame, "opcode") && json_object_get_int_member (frame, "opcode") == 2)
        {
          binary++;
          continue;
        }
      message = json_object_new ();
      json_object_set_string_member (message, "type",
                                     (data[0] == '{' || data[0] == '[') && json_parser_load_from_data (parser, data, -1, NULL)
                                     ? "json" : "text");
      json_object_set_string_member (message, "text", data);
      json_array_add_object_element (messages, message);
    }
  if (binary > 0)
    sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, where,
                       g_dngettext (GETTEXT_PACKAGE, "its %u binary message sent was left out: save it to a file and add it as a binary message",
                                    "its %u binary messages sent were left out: save them to files and add them as binary messages", binary),
                       binary);

  extra = sonde_json_object_copy_except (sonde_request_get_extra (request), NULL);
  if (json_array_get_length (subprotocols) > 0)
    json_object_set_array_member (extra, "subprotocols", json_array_ref (subprotocols));
  if (json_array_get_length (messages) > 0)
    json_object_set_array_member (extra, "messages", json_array_ref (messages));
  json_array_unref (subprotocols);
  json_array_unref (messages);
  sonde_request_set_extra (request, json_object_get_size (extra) > 0 ? extra : NULL);
}

static SondeRequest *
read_entry (SondeImport *import,
            JsonObject  *entry,
            GHashTable  *dropped_headers)
{
  JsonObject *har_request = sonde_json_get_object (entry, "request");
  g_autoptr(SondeRequest) request = sonde_request_new ();
  const char *method = sonde_json_get_string (har_request, "method");
  const char *url = sonde_json_get_string (har_request, "url");
  JsonArray *headers = sonde_json_get_array (har_request, "headers");
  JsonArray *cookies = sonde_json_get_array (har_request, "cookies");
  g_autofree char *name = NULL;
  g_autofree char *cookie_header = NULL;

  if (har_request == NULL || url == NULL)
    return NULL;
  method = method != NULL ? method : "GET";
  name = name_for (method, url);
  sonde_request_set_name (request, name);
  sonde_request_set_method (request, method);
  sonde_request_set_url (request, url);

  for (guint i = 0; headers != NULL && i < json_array_get_length (headers); i++)
    {
      JsonObject *header = element_object (headers, i);
      const char *header_name = sonde_json_get_string (header, "name");
      const char *value = sonde_json_get_string (header, "value");

      if (header_name == NULL)
        continue;
      if (is_transport_header (header_name))
        {
          g_autofree char *lower = g_ascii_strdown (header_name, -1);

          g_hash_table_add (dropped_headers, g_steal_pointer (&lower));
          continue;
        }
      if (g_ascii_strcasecmp (header_name, "Cookie") == 0)
        {
          cookie_header = g_strdup (value);
          continue;
        }
      sonde_key_value_list_append (sonde_request_get_headers (request), header_name, value != NULL ? value : "");
    }

  /* Cookies from the cookies list, else from the Cookie header */
  if (cookies != NULL && json_array_get_length (cookies) > 0)
    for (guint i = 0; i < json_array_get_length (cookies); i++)
      {
        JsonObject *cookie = element_object (cookies, i);

        if (sonde_json_get_string (cookie, "name") != NULL)
          sonde_key_value_list_append (sonde_request_get_cookies (request), sonde_json_get_string (cookie, "name"),
                                       sonde_json_get_string (cookie, "value") ? sonde_json_get_string (cookie, "value") : "");
      }
  else if (cookie_header != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (cookie_header, ";", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          char *pair = g_strstrip (pairs[i]);
          char *eq = strchr (pair, '=');

          if (eq == NULL)
            continue;
          *eq = '\0';
          sonde_key_value_list_append (sonde_request_get_cookies (request), pair, eq + 1);
        }
    }

  read_post_data (import, name, sonde_json_get_object (har_request, "postData"), request);
  if (g_strcmp0 (sonde_json_get_string (entry, "_resourceType"), "websocket") == 0 ||
      sonde_request_is_websocket (request))
    read_websocket (import, name, entry, request, dropped_headers);
  return g_steal_pointer (&request);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

SondeImport *
sonde_import_har (const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(GHashTable) pages = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) dropped_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonNode *root;
  JsonObject *log;
  JsonArray *entries;
  JsonArray *page_list;
  const char *version;

  if (!sonde_json_parse_document (parser, data, length, error))
    return NULL;
  root = json_parser_get_root (parser);
  log = JSON_NODE_HOLDS_OBJECT (root) ? sonde_json_get_object (json_node_get_object (root), "log") : NULL;
  entries = sonde_json_get_array (log, "entries");
  if (log == NULL || entries == NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("This is not a HAR file: it has no “log” with “entries”"));
      return NULL;
    }
  version = sonde_json_get_string (log, "version");
  if (version != NULL && !g_str_has_prefix (version, "1."))
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                   _("HAR version %s is not one Sonde knows (1.1 and 1.2 are)"), version);
      return NULL;
    }

  import = sonde_import_new (NULL);
  page_list = sonde_json_get_array (log, "pages");
  for (guint i = 0; page_list != NULL && i < json_array_get_length (page_list); i++)
    {
      JsonObject *page = element_object (page_list, i);
      const char *id = sonde_json_get_string (page, "id");

      if (id != NULL && !g_hash_table_contains (pages, id))
        g_hash_table_insert (pages, (gpointer) id,
                             sonde_import_add_folder (import, sonde_import_get_root (import),
                                                      sonde_json_get_string (page, "title") ? sonde_json_get_string (page, "title") : id));
    }

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = element_object (entries, i);
      g_autoptr(SondeRequest) request = entry != NULL ? read_entry (import, entry, dropped_headers) : NULL;
      const char *pageref = sonde_json_get_string (entry, "pageref");
      SondeImportFolder *folder = pageref != NULL ? g_hash_table_lookup (pages, pageref) : NULL;

      if (request == NULL)
        {
          sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                             _("entry %u has no request URL"), i + 1);
          continue;
        }
      sonde_import_add_request (import, folder != NULL ? folder : sonde_import_get_root (import), request);
    }

  if (g_hash_table_size (dropped_headers) > 0)
    {
      g_autofree char **names = (char **) g_hash_table_get_keys_as_array (dropped_headers, NULL);
      g_autofree char *joined = NULL;

      g_qsort_with_data (names, g_strv_length (names), sizeof (char *), compare_names, NULL);
      joined = g_strjoinv (", ", names);
      sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, NULL,
                         _("headers the connection sets (%s) were left out: Sonde sends its own"), joined);
    }
  sonde_import_note (import, SONDE_IMPORT_NOTE_DROPPED, NULL, _("the recorded responses were not imported"));
  return g_steal_pointer (&import);
}
