/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-history"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sonde-history.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-request-io.h"
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

/* Parses an entry file (in a worker thread). FALSE with *SKIP set for a newer format that
 * this version leaves alone. */
static SondeHistoryEntry *
entry_from_data (const char  *id,
                 const char  *data,
                 gsize        length,
                 gboolean    *skip,
                 GError     **error)
{
  g_autoptr(SondeHistoryEntry) self = g_object_new (SONDE_TYPE_HISTORY_ENTRY, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonObject *request_object = NULL;
  JsonObject *response = NULL;
  const char *time = NULL;
  const char *message = NULL;
  gint64 format = 0;
  gboolean truncated = FALSE;

  *skip = FALSE;

  if (!json_parser_load_from_data (parser, data, length, &json_error))
    {
      g_autofree char *where = sonde_json_describe_parse_error (json_error);

      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE, "%s", where);
      return NULL;
    }

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

static int
compare_entries (gconstpointer a,
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

/* ------------------------------------------------------------------------------------------
 * SondeHistory
 * ------------------------------------------------------------------------------------------ */

typedef enum
{
  JOB_WRITE,
  JOB_DELETE,
  JOB_CLEAR,
} JobKind;

/* One write to the folder. A single worker runs them in order, so that a delete never
 * overtakes the write of the same file. */
typedef struct
{
  JobKind       kind;
  SondeHistory *history;     /* borrowed: finalize waits for the worker */
  GWeakRef      history_ref; /* to report a failure on the main thread */
  GFile        *file;        /* the entry file, or the folder for JOB_CLEAR */
  char         *data;
  gsize         length;
  GError       *error;
} Job;

struct _SondeHistory
{
  GObject       parent_instance;

  GFile        *dir;
  GPtrArray    *entries;        /* SondeHistoryEntry, newest first */
  guint         max_entries;
  gsize         total_size;

  /* Loading */
  gboolean      loaded;
  gboolean      loading;
  guint         generation;     /* bumped by clear: a load that saw older files drops them */
  GHashTable   *removed_ids;    /* removed while a load runs */
  GStrv         load_problems;

  /* Writing */
  GThreadPool  *writer;
  GMutex        mutex;
  GCond         idle_cond;
  guint         pending_jobs;
  GMainContext *context;
  GError       *save_error;
};

static GType
sonde_history_get_item_type (GListModel *model)
{
  return SONDE_TYPE_HISTORY_ENTRY;
}

static guint
sonde_history_get_n_items (GListModel *model)
{
  return SONDE_HISTORY (model)->entries->len;
}

static gpointer
sonde_history_get_item (GListModel *model,
                        guint       position)
{
  SondeHistory *self = SONDE_HISTORY (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sonde_history_get_item_type;
  iface->get_n_items = sonde_history_get_n_items;
  iface->get_item = sonde_history_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SondeHistory, sonde_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_DIR,
  PROP_LOADED,
  PROP_MAX_ENTRIES,
  PROP_SAVE_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
job_free (Job *job)
{
  g_weak_ref_clear (&job->history_ref);
  g_clear_object (&job->file);
  g_free (job->data);
  g_clear_error (&job->error);
  g_free (job);
}

static gboolean
report_save_failure_cb (gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(SondeHistory) self = g_weak_ref_get (&job->history_ref);

  if (self != NULL)
    {
      g_clear_error (&self->save_error);
      self->save_error = g_steal_pointer (&job->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_ERROR]);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
delete_file (GFile   *file,
             GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_delete (file, NULL, &local_error) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return TRUE;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
is_entry_file_name (const char *name)
{
  return name[0] != '.' && g_str_has_suffix (name, ".json");
}

static gboolean
delete_all_entries (GFile   *dir,
                    GError **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) local_error = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error);
  if (children == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  while (g_file_enumerator_iterate (children, &info, &child, NULL, error))
    {
      if (info == NULL)
        return TRUE;
      if (is_entry_file_name (g_file_info_get_name (info)) && !delete_file (child, error))
        return FALSE;
    }

  return FALSE;
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  SondeHistory *history = job->history;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case JOB_WRITE:
      {
        g_autoptr(GFile) dir = g_file_get_parent (job->file);

        if (g_mkdir_with_parents (g_file_peek_path (dir), 0700) < 0)
          {
            int saved_errno = errno;

            g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                         _("Could not create the history folder %s: %s"),
                         g_file_peek_path (dir), g_strerror (saved_errno));
          }
        else
          ok = sonde_file_write_atomic (job->file, job->data, job->length, 0600, &error);
      }
      break;

    case JOB_DELETE:
      ok = delete_file (job->file, &error);
      break;

    case JOB_CLEAR:
      ok = delete_all_entries (job->file, &error);
      break;

    default:
      g_assert_not_reached ();
    }

  /* The job goes to the main thread, which owns the history's state, with its error. */
  if (!ok)
    {
      job->error = g_steal_pointer (&error);
      g_main_context_invoke_full (history->context, G_PRIORITY_DEFAULT,
                                  report_save_failure_cb, job, (GDestroyNotify) job_free);
    }
  else
    job_free (job);

  g_mutex_lock (&history->mutex);
  history->pending_jobs--;
  g_cond_broadcast (&history->idle_cond);
  g_mutex_unlock (&history->mutex);
}

static void
queue_job (SondeHistory *self,
           JobKind       kind,
           GFile        *file,
           char         *data,
           gsize         length)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->history = self;
  g_weak_ref_init (&job->history_ref, self);
  job->file = g_object_ref (file);
  job->data = data;
  job->length = length;

  g_mutex_lock (&self->mutex);
  self->pending_jobs++;
  g_mutex_unlock (&self->mutex);

  g_thread_pool_push (self->writer, job, NULL);
}

static GFile *
entry_file (SondeHistory      *self,
            SondeHistoryEntry *entry)
{
  g_autofree char *name = g_strconcat (entry->id, ".json", NULL);

  return g_file_get_child (self->dir, name);
}

/* Drops entry POSITION from the array and its file from the folder (no items-changed). */
static void
forget_entry (SondeHistory *self,
              guint         position)
{
  SondeHistoryEntry *entry = g_ptr_array_index (self->entries, position);
  g_autoptr(GFile) file = entry_file (self, entry);

  if (self->loading)
    g_hash_table_add (self->removed_ids, g_strdup (entry->id));

  queue_job (self, JOB_DELETE, file, NULL, 0);
  self->total_size -= entry->file_size;
  g_ptr_array_remove_index (self->entries, position);
}

/* Removes the oldest entries beyond the bounds (keeping at least the newest one).
 * Returns how many went from the end of the list. */
static guint
enforce_bounds (SondeHistory *self)
{
  guint removed = 0;

  while (self->entries->len > 0 &&
         (self->entries->len > self->max_entries ||
          (self->total_size > SONDE_HISTORY_MAX_BYTES && self->entries->len > 1)))
    {
      forget_entry (self, self->entries->len - 1);
      removed++;
    }

  return removed;
}

static void
sonde_history_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SondeHistory *self = SONDE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_DIR:
      g_value_set_object (value, self->dir);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_MAX_ENTRIES:
      g_value_set_uint (value, self->max_entries);
      break;
    case PROP_SAVE_ERROR:
      g_value_set_boxed (value, self->save_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_history_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SondeHistory *self = SONDE_HISTORY (object);

  switch (prop_id)
    {
    case PROP_DIR:
      self->dir = g_value_dup_object (value);
      break;
    case PROP_MAX_ENTRIES:
      sonde_history_set_max_entries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_history_constructed (GObject *object)
{
  SondeHistory *self = SONDE_HISTORY (object);

  G_OBJECT_CLASS (sonde_history_parent_class)->constructed (object);

  if (self->dir == NULL)
    self->dir = sonde_history_get_default_dir ();
}

static void
sonde_history_finalize (GObject *object)
{
  SondeHistory *self = SONDE_HISTORY (object);

  /* Every queued write finishes: nothing sent is lost on quit. */
  g_thread_pool_free (self->writer, FALSE, TRUE);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->removed_ids, g_hash_table_unref);
  g_clear_pointer (&self->load_problems, g_strfreev);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_error (&self->save_error);
  g_clear_object (&self->dir);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->idle_cond);

  G_OBJECT_CLASS (sonde_history_parent_class)->finalize (object);
}

static void
sonde_history_class_init (SondeHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sonde_history_get_property;
  object_class->set_property = sonde_history_set_property;
  object_class->constructed = sonde_history_constructed;
  object_class->finalize = sonde_history_finalize;

  properties[PROP_DIR] =
    g_param_spec_object ("dir", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_ENTRIES] =
    g_param_spec_uint ("max-entries", NULL, NULL, 1, G_MAXUINT, SONDE_HISTORY_MAX_ENTRIES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAVE_ERROR] =
    g_param_spec_boxed ("save-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_history_init (SondeHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_entries = SONDE_HISTORY_MAX_ENTRIES;
  self->removed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->mutex);
  g_cond_init (&self->idle_cond);
  self->writer = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);
}

/**
 * sonde_history_new:
 * @dir: the folder of the entry files
 *
 * Returns: (transfer full): an empty history; load it with sonde_history_load_async()
 */
SondeHistory *
sonde_history_new (GFile *dir)
{
  g_return_val_if_fail (G_IS_FILE (dir), NULL);

  return g_object_new (SONDE_TYPE_HISTORY, "dir", dir, NULL);
}

SondeHistory *
sonde_history_new_default (void)
{
  return g_object_new (SONDE_TYPE_HISTORY, NULL);
}

/**
 * sonde_history_get_default_dir:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/sonde/history
 */
GFile *
sonde_history_get_default_dir (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "sonde", "history", NULL);
}

GFile *
sonde_history_get_dir (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), NULL);
  return self->dir;
}

gboolean
sonde_history_get_loaded (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), FALSE);
  return self->loaded;
}

const char * const *
sonde_history_get_load_problems (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), NULL);
  return (const char * const *) self->load_problems;
}

const GError *
sonde_history_get_save_error (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), NULL);
  return self->save_error;
}

guint
sonde_history_get_max_entries (SondeHistory *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), 0);
  return self->max_entries;
}

void
sonde_history_set_max_entries (SondeHistory *self,
                               guint         max_entries)
{
  guint old_len;
  guint removed;

  g_return_if_fail (SONDE_IS_HISTORY (self));
  g_return_if_fail (max_entries > 0);

  if (self->max_entries == max_entries)
    return;

  self->max_entries = max_entries;
  old_len = self->entries->len;
  if ((removed = enforce_bounds (self)) > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), old_len - removed, removed, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ENTRIES]);
}

/**
 * sonde_history_flush:
 *
 * Waits until every queued write and delete reached the folder (for tests and quitting).
 */
void
sonde_history_flush (SondeHistory *self)
{
  g_return_if_fail (SONDE_IS_HISTORY (self));

  g_mutex_lock (&self->mutex);
  while (self->pending_jobs > 0)
    g_cond_wait (&self->idle_cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}

void
sonde_history_add (SondeHistory  *self,
                   SondeRequest  *request,
                   SondeResponse *response,
                   const GError  *error)
{
  g_autoptr(SondeHistoryEntry) entry = NULL;
  g_autoptr(JsonObject) request_object = NULL;
  g_autoptr(GFile) file = NULL;
  char *data;
  guint old_len;
  guint removed;

  g_return_if_fail (SONDE_IS_HISTORY (self));
  g_return_if_fail (SONDE_IS_REQUEST (request));
  g_return_if_fail (response == NULL || SONDE_IS_RESPONSE (response));

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

  data = entry_to_data (entry, request_object);
  entry->file_size = strlen (data);
  file = entry_file (self, entry);
  queue_job (self, JOB_WRITE, file, data, entry->file_size);

  g_ptr_array_insert (self->entries, 0, g_object_ref (entry));
  self->total_size += entry->file_size;
  old_len = self->entries->len;
  removed = enforce_bounds (self);

  /* One change: the new row at the top and the oldest gone from the end. */
  if (removed == 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  else
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
      g_list_model_items_changed (G_LIST_MODEL (self), old_len - removed, removed, 0);
    }
}

void
sonde_history_remove (SondeHistory      *self,
                      SondeHistoryEntry *entry)
{
  guint position;

  g_return_if_fail (SONDE_IS_HISTORY (self));
  g_return_if_fail (SONDE_IS_HISTORY_ENTRY (entry));

  if (!g_ptr_array_find (self->entries, entry, &position))
    return;

  forget_entry (self, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
sonde_history_clear (SondeHistory *self)
{
  guint n;

  g_return_if_fail (SONDE_IS_HISTORY (self));

  n = self->entries->len;
  self->generation++;
  self->total_size = 0;
  g_ptr_array_set_size (self->entries, 0);
  queue_job (self, JOB_CLEAR, self->dir, NULL, 0);

  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

/* ------------------------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------------------------ */

typedef struct
{
  GFile     *dir;
  guint      generation;
  GPtrArray *entries;  /* SondeHistoryEntry */
  GPtrArray *problems; /* char*, NULL-terminated when done */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->dir);
  g_clear_pointer (&data->entries, g_ptr_array_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

/* A file that does not parse is renamed, never deleted: the user may want to look. */
static void
set_aside (LoadData     *data,
           GFile        *file,
           const GError *error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);

  if (g_rename (path, aside) < 0)
    {
      int saved_errno = errno;

      g_ptr_array_add (data->problems,
                       g_strdup_printf (_("The history entry %s could not be read and could not be set aside: %s (%s)"),
                                        path, error->message, g_strerror (saved_errno)));
      return;
    }

  g_ptr_array_add (data->problems,
                   g_strdup_printf (_("The history entry %s could not be read and was renamed %s: %s"),
                                    path, aside, error->message));
}

static void
load_entry_file (LoadData     *data,
                 GFile        *file,
                 const char   *name,
                 GCancellable *cancellable)
{
  g_autofree char *contents = NULL;
  g_autofree char *id = g_strndup (name, strlen (name) - strlen (".json"));
  g_autoptr(GError) error = NULL;
  SondeHistoryEntry *entry;
  gsize length = 0;
  gboolean skip = FALSE;

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      /* Deleted in the meantime (a clear or a bound): not a problem. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_aside (data, file, error);
      return;
    }

  if (!(entry = entry_from_data (id, contents, length, &skip, &error)))
    {
      if (!skip)
        set_aside (data, file, error);
      return;
    }

  g_ptr_array_add (data->entries, entry);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (data->dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &error);
  if (children == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  while (g_file_enumerator_iterate (children, &info, &child, cancellable, &error) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && is_entry_file_name (name))
        load_entry_file (data, child, name, cancellable);
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
has_entry_with_id (SondeHistory *self,
                   const char   *id)
{
  for (guint i = 0; i < self->entries->len; i++)
    if (g_str_equal (((SondeHistoryEntry *) g_ptr_array_index (self->entries, i))->id, id))
      return TRUE;
  return FALSE;
}

/* On the main thread: the loaded entries join the ones added meanwhile. */
static void
merge_loaded (SondeHistory *self,
              LoadData     *data)
{
  guint old_len = self->entries->len;

  if (data->generation == self->generation)
    for (guint i = 0; i < data->entries->len; i++)
      {
        SondeHistoryEntry *entry = g_ptr_array_index (data->entries, i);

        if (g_hash_table_contains (self->removed_ids, entry->id) ||
            has_entry_with_id (self, entry->id))
          continue;

        g_ptr_array_add (self->entries, g_object_ref (entry));
        self->total_size += entry->file_size;
      }

  g_ptr_array_sort_with_data (self->entries, compare_entries, NULL);
  enforce_bounds (self);

  g_clear_pointer (&self->load_problems, g_strfreev);
  if (data->problems->len > 0)
    {
      g_ptr_array_add (data->problems, NULL);
      self->load_problems = (GStrv) g_ptr_array_free (g_steal_pointer (&data->problems), FALSE);
    }

  if (old_len > 0 || self->entries->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->entries->len);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SondeHistory *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  LoadData *data = g_task_get_task_data (G_TASK (result));

  self->loading = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_hash_table_remove_all (self->removed_ids);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  merge_loaded (self, data);
  g_hash_table_remove_all (self->removed_ids);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  g_task_return_boolean (task, TRUE);
}

void
sonde_history_load_async (SondeHistory        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread_task = NULL;
  LoadData *data;

  g_return_if_fail (SONDE_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_history_load_async);

  data = g_new0 (LoadData, 1);
  data->dir = g_object_ref (self->dir);
  data->generation = self->generation;
  data->entries = g_ptr_array_new_with_free_func (g_object_unref);
  data->problems = g_ptr_array_new_with_free_func (g_free);

  self->loading = TRUE;
  /* No source object: the worker thread may drop its reference to the task after the
   * callback ran, and that must not keep the history alive. */
  thread_task = g_task_new (NULL, cancellable, load_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, sonde_history_load_async);
  g_task_set_task_data (thread_task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (thread_task, load_thread);
}

gboolean
sonde_history_load_finish (SondeHistory  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (SONDE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
