/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-history"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-history.h"
#include "sonde-error.h"
#include "sonde-history-private.h"
#include "sonde-json-file.h"
#include "sonde-request-json.h"

/* The version of one entry file. A newer one is skipped (and left alone) by this version. */
#define ENTRY_FORMAT 1

/* ------------------------------------------------------------------------------------------
 * SondeHistoryEntry
 * ------------------------------------------------------------------------------------------ */

struct _SondeHistoryEntry
{
  GObject    parent_instance;

  char      *id;
  GDateTime *time;
  char      *name;
  char      *method;
  char      *url;
  char      *request_json; /* the request file's object, compact */
  GFile     *request_file;
  GFile     *base_dir;
  gboolean   body_truncated;

  /* Response summary */
  gboolean   has_response;
  guint      status;
  char      *reason;
  double     total_ms;
  guint64    body_size;
  char      *content_type;

  char      *error_message;

  char      *haystack;  /* casefolded text that searches look in */
  gsize      file_size; /* bytes of its file, for the size bound */
};

G_DEFINE_FINAL_TYPE (SondeHistoryEntry, sonde_history_entry, G_TYPE_OBJECT)

static void
sonde_history_entry_finalize (GObject *object)
{
  SondeHistoryEntry *self = SONDE_HISTORY_ENTRY (object);

  g_free (self->id);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->name);
  g_free (self->method);
  g_free (self->url);
  g_free (self->request_json);
  g_clear_object (&self->request_file);
  g_clear_object (&self->base_dir);
  g_free (self->reason);
  g_free (self->content_type);
  g_free (self->error_message);
  g_free (self->haystack);

  G_OBJECT_CLASS (sonde_history_entry_parent_class)->finalize (object);
}

static void
sonde_history_entry_class_init (SondeHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_history_entry_finalize;
}

static void
sonde_history_entry_init (SondeHistoryEntry *self)
{
  self->total_ms = -1;
}

static char *
name_or_null (const char *name)
{
  return name != NULL && *name != '\0' ? g_strdup (name) : NULL;
}

static void
entry_build_haystack (SondeHistoryEntry *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n%s\n%s\n",
                          self->method, self->url, self->name ? self->name : "");
  if (self->has_response)
    g_string_append_printf (text, "%u %s\n", self->status, self->reason ? self->reason : "");
  if (self->error_message != NULL)
    g_string_append (text, self->error_message);

  self->haystack = g_utf8_casefold (text->str, -1);
}

/* Cuts TEXT so that it takes at most *BUDGET bytes (on a character boundary) and takes
 * what it uses from *BUDGET. Returns the cut copy, or NULL when TEXT fits. */
static char *
cut_to_budget (const char *text,
               gsize      *budget,
               gboolean   *truncated)
{
  gsize length;
  const char *end;

  if (text == NULL)
    return NULL;

  length = strlen (text);
  if (length <= *budget)
    {
      *budget -= length;
      return NULL;
    }

  end = text + *budget;
  while (end > text && (*end & 0xC0) == 0x80)
    end--;

  *budget = 0;
  *truncated = TRUE;
  return g_strndup (text, end - text);
}

static void
cut_rows (GListModel *rows,
          gsize      *budget,
          gboolean   *truncated)
{
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);
      g_autofree char *cut = cut_to_budget (sonde_key_value_get_value (row), budget, truncated);

      if (cut != NULL)
        sonde_key_value_set_value (row, cut);
    }
}

/* The request as stored: a copy with its text inline (never a sidecar, whose file may
 * change later) and its values cut at SONDE_HISTORY_MAX_BODY_SIZE bytes, so that one huge
 * body cannot fill the history. */
static JsonObject *
request_to_stored_json (SondeRequest *request,
                        gboolean     *truncated)
{
  g_autoptr(SondeRequest) copy = sonde_request_copy (request);
  SondeBody *body = sonde_request_get_body (copy);
  gsize body_budget = SONDE_HISTORY_MAX_BODY_SIZE;
  gsize rows_budget = SONDE_HISTORY_MAX_BODY_SIZE;
  g_autofree char *text = NULL;
  GListModel *parts;
  guint n_parts;

  *truncated = FALSE;

  sonde_body_set_text_file (body, NULL);
  if ((text = cut_to_budget (sonde_body_get_text (body), &body_budget, truncated)))
    sonde_body_set_text (body, text);
  cut_rows (G_LIST_MODEL (sonde_body_get_fields (body)), &body_budget, truncated);

  parts = G_LIST_MODEL (sonde_body_get_parts (body));
  n_parts = g_list_model_get_n_items (parts);
  for (guint i = 0; i < n_parts; i++)
    {
      g_autoptr(SondeBodyPart) part = g_list_model_get_item (parts, i);
      g_autofree char *cut = cut_to_budget (sonde_body_part_get_value (part), &body_budget, truncated);

      if (cut != NULL)
        sonde_body_part_set_value (part, cut);
    }

  cut_rows (G_LIST_MODEL (sonde_request_get_params (copy)), &rows_budget, truncated);
  cut_rows (G_LIST_MODEL (sonde_request_get_headers (copy)), &rows_budget, truncated);
  cut_rows (G_LIST_MODEL (sonde_request_get_cookies (copy)), &rows_budget, truncated);

  return sonde_request_to_json (copy, NULL, NULL);
}

static char *
object_to_compact_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static void
set_path_member (JsonObject *object,
                 const char *key,
                 GFile      *file)
{
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path != NULL)
    json_object_set_string_member (object, key, path);
}

/* The entry file (one key per line, like every file Sonde writes). */
static char *
entry_to_data (SondeHistoryEntry *self,
               JsonObject        *request_object)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *time = g_date_time_format_iso8601 (self->time);

  json_object_set_int_member (object, "format", ENTRY_FORMAT);
  json_object_set_string_member (object, "time", time);
  set_path_member (object, "requestFile", self->request_file);
  set_path_member (object, "baseDir", self->base_dir);
  if (self->body_truncated)
    json_object_set_boolean_member (object, "bodyTruncated", TRUE);
  json_object_set_object_member (object, "request", json_object_ref (request_object));

  if (self->has_response)
    {
      JsonObject *response = json_object_new ();

      json_object_set_int_member (response, "status", self->status);
      if (self->reason != NULL)
        json_object_set_string_member (response, "reason", self->reason);
      if (self->total_ms >= 0)
        json_object_set_double_member (response, "totalMs", self->total_ms);
      json_object_set_int_member (response, "bodySize", (gint64) self->body_size);
      if (self->content_type != NULL)
        json_object_set_string_member (response, "contentType", self->content_type);
      json_object_set_object_member (object, "response", response);
    }

  if (self->error_message != NULL)
    json_object_set_string_member (object, "error", self->error_message);

  return sonde_json_file_to_data (object);
}

static gboolean
read_path (JsonObject  *object,
           const char  *key,
           GFile      **file,
           GError     **error)
{
  const char *path = NULL;

  if (!sonde_json_read_string (object, key, NULL, &path, error))
    return FALSE;
  if (path != NULL && g_path_is_absolute (path))
    *file = g_file_new_for_path (path);
  return TRUE;
}

static gboolean
read_response (SondeHistoryEntry  *self,
               JsonObject         *response,
               GError            **error)
{
  const char *reason = NULL;
  const char *content_type = NULL;
  gint64 status = 0;
  gint64 body_size = 0;
  double total_ms = -1;

  if (!sonde_json_read_integer (response, "status", "response", 0, &status, error) ||
      !sonde_json_read_string (response, "reason", "response", &reason, error) ||
      !sonde_json_read_number (response, "totalMs", "response", &total_ms, error) ||
      !sonde_json_read_integer (response, "bodySize", "response", 0, &body_size, error) ||
      !sonde_json_read_string (response, "contentType", "response", &content_type, error))
    return FALSE;

  if (status > 999)
    return sonde_json_invalid_value (error, "response", "status", _("%s must be an HTTP status code"));

  self->has_response = TRUE;
  self->status = (guint) status;
  self->reason = g_strdup (reason);
  self->total_ms = total_ms;
  self->body_size = (guint64) body_size;
  self->content_type = g_strdup (content_type);
  return TRUE;
}

/* Parses an entry file (in a worker thread). NULL with *SKIP set for a newer format that
 * this version leaves alone. */
SondeHistoryEntry *
sonde_history_entry_new_from_data (const char  *id,
                                   const char  *data,
                                   gsize        length,
                                   gboolean    *skip,
                                   GError     **error)
{
  g_autoptr(SondeHistoryEntry) self = g_object_new (SONDE_TYPE_HISTORY_ENTRY, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SondeRequest) request = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonObject *request_object = NULL;
  JsonObject *response = NULL;
  const char *time = NULL;
  const char *message = NULL;
  gint64 format = 0;
  gboolean truncated = FALSE;

  *skip = FALSE;

  if (!sonde_json_parse_document (parser, data, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                           _("The file does not hold a JSON object."));
      return NULL;
    }
  object = json_node_get_object (root);

  if (!sonde_json_read_integer (object, "format", NULL, 0, &format, error))
    return NULL;
  if (format > ENTRY_FORMAT)
    {
      *skip = TRUE;
      return NULL;
    }

  if (!sonde_json_read_string (object, "time", NULL, &time, error) ||
      !read_path (object, "requestFile", &self->request_file, error) ||
      !read_path (object, "baseDir", &self->base_dir, error) ||
      !sonde_json_read_boolean (object, "bodyTruncated", NULL, &truncated, error) ||
      !sonde_json_read_object (object, "request", NULL, &request_object, error) ||
      !sonde_json_read_object (object, "response", NULL, &response, error) ||
      !sonde_json_read_string (object, "error", NULL, &message, error))
    return NULL;

  if (time == NULL || !(self->time = g_date_time_new_from_iso8601 (time, NULL)))
    {
      sonde_json_invalid_value (error, NULL, "time", _("%s must be a date and time"));
      return NULL;
    }
  if (request_object == NULL)
    {
      sonde_json_invalid_value (error, NULL, "request", _("%s is missing"));
      return NULL;
    }
  if (response != NULL && !read_response (self, response, error))
    return NULL;

  /* Reading the request now checks it, so that reopening it later cannot fail. */
  if (!(request = sonde_request_from_json (request_object, NULL, error)))
    return NULL;

  self->id = g_strdup (id);
  self->name = name_or_null (sonde_request_get_name (request));
  self->method = g_strdup (sonde_request_get_method (request));
  self->url = g_strdup (sonde_request_get_url (request));
  self->request_json = object_to_compact_string (request_object);
  self->body_truncated = truncated;
  self->error_message = g_strdup (message);
  self->file_size = length;
  entry_build_haystack (self);

  return g_steal_pointer (&self);
}

int
sonde_history_entry_compare (gconstpointer a,
                             gconstpointer b,
                             gpointer      user_data)
{
  /* g_ptr_array_sort_with_data() passes pointers to the elements. */
  SondeHistoryEntry *entry_a = *(SondeHistoryEntry **) a;
  SondeHistoryEntry *entry_b = *(SondeHistoryEntry **) b;
  int cmp = g_date_time_compare (entry_b->time, entry_a->time);

  /* Newest first; ids break ties (they start with the time in microseconds). */
  return cmp != 0 ? cmp : g_strcmp0 (entry_b->id, entry_a->id);
}

/* A new entry for a request just sent, and its file's contents in *DATA. */
SondeHistoryEntry *
sonde_history_entry_new (SondeRequest   *request,
                         SondeResponse  *response,
                         const GError   *error,
                         char          **data)
{
  g_autoptr(SondeHistoryEntry) entry = NULL;
  g_autoptr(JsonObject) request_object = NULL;

  entry = g_object_new (SONDE_TYPE_HISTORY_ENTRY, NULL);
  entry->time = g_date_time_new_now_utc ();
  entry->id = g_strdup_printf ("%016" G_GINT64_FORMAT "-%08x",
                               g_date_time_to_unix (entry->time) * G_USEC_PER_SEC +
                               g_date_time_get_microsecond (entry->time),
                               g_random_int ());
  entry->name = name_or_null (sonde_request_get_name (request));
  entry->method = g_strdup (sonde_request_get_method (request));
  entry->url = g_strdup (sonde_request_get_url (request));
  g_set_object (&entry->request_file, sonde_request_get_file (request));
  g_set_object (&entry->base_dir, sonde_request_get_base_dir (request));

  if (response != NULL)
    {
      entry->has_response = TRUE;
      entry->status = sonde_response_get_status (response);
      entry->reason = g_strdup (sonde_response_get_reason (response));
      entry->total_ms = sonde_response_get_timings (response)->total;
      entry->body_size = sonde_response_get_body_size (response);
      entry->content_type = g_strdup (sonde_response_get_content_type (response));
    }
  else if (error != NULL)
    entry->error_message = g_strdup (error->message);

  request_object = request_to_stored_json (request, &entry->body_truncated);
  entry->request_json = object_to_compact_string (request_object);
  entry_build_haystack (entry);

  *data = entry_to_data (entry, request_object);
  entry->file_size = strlen (*data);

  return g_steal_pointer (&entry);
}

gsize
sonde_history_entry_get_file_size (SondeHistoryEntry *self)
{
  return self->file_size;
}

const char *
sonde_history_entry_get_id (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->id;
}

GDateTime *
sonde_history_entry_get_time (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->time;
}

const char *
sonde_history_entry_get_name (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->name;
}

const char *
sonde_history_entry_get_method (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->method;
}

const char *
sonde_history_entry_get_url (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->url;
}

GFile *
sonde_history_entry_get_request_file (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->request_file;
}

GFile *
sonde_history_entry_get_base_dir (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->base_dir;
}

gboolean
sonde_history_entry_get_body_truncated (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), FALSE);
  return self->body_truncated;
}

gboolean
sonde_history_entry_has_response (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), FALSE);
  return self->has_response;
}

guint
sonde_history_entry_get_status (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), 0);
  return self->status;
}

const char *
sonde_history_entry_get_reason (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->reason;
}

double
sonde_history_entry_get_total_ms (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), -1);
  return self->total_ms;
}

guint64
sonde_history_entry_get_body_size (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), 0);
  return self->body_size;
}

const char *
sonde_history_entry_get_content_type (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->content_type;
}

const char *
sonde_history_entry_get_error_message (SondeHistoryEntry *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);
  return self->error_message;
}

/**
 * sonde_history_entry_dup_request:
 *
 * Returns: (transfer full) (nullable): a new request, unsaved, with the entry's base dir
 */
SondeRequest *
sonde_history_entry_dup_request (SondeHistoryEntry *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  SondeRequest *request;

  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), NULL);

  if (!json_parser_load_from_data (parser, self->request_json, -1, &error) ||
      !(request = sonde_request_from_json (json_node_get_object (json_parser_get_root (parser)),
                                           NULL, &error)))
    {
      g_warning ("History entry %s: %s", self->id, error->message);
      return NULL;
    }

  sonde_request_set_base_dir (request, self->base_dir);
  return request;
}

gboolean
sonde_history_entry_matches (SondeHistoryEntry *self,
                             const char        *query)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (SONDE_IS_HISTORY_ENTRY (self), FALSE);

  if (query == NULL || *query == '\0')
    return TRUE;

  folded = g_utf8_casefold (query, -1);
  words = g_strsplit_set (folded, " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (self->haystack, words[i]) == NULL)
      return FALSE;

  return TRUE;
}
