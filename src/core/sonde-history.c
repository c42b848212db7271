/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-history"

#include "config.h"

#include "sonde-history.h"

/* Placeholder: the implementation follows. */

struct _SondeHistoryEntry
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (SondeHistoryEntry, sonde_history_entry, G_TYPE_OBJECT)

static void sonde_history_entry_class_init (SondeHistoryEntryClass *klass) { }
static void sonde_history_entry_init (SondeHistoryEntry *self) { }

const char *sonde_history_entry_get_id (SondeHistoryEntry *self) { return ""; }
GDateTime *sonde_history_entry_get_time (SondeHistoryEntry *self) { return NULL; }
const char *sonde_history_entry_get_name (SondeHistoryEntry *self) { return NULL; }
const char *sonde_history_entry_get_method (SondeHistoryEntry *self) { return "GET"; }
const char *sonde_history_entry_get_url (SondeHistoryEntry *self) { return ""; }
GFile *sonde_history_entry_get_request_file (SondeHistoryEntry *self) { return NULL; }
GFile *sonde_history_entry_get_base_dir (SondeHistoryEntry *self) { return NULL; }
gboolean sonde_history_entry_get_body_truncated (SondeHistoryEntry *self) { return FALSE; }
gboolean sonde_history_entry_has_response (SondeHistoryEntry *self) { return FALSE; }
guint sonde_history_entry_get_status (SondeHistoryEntry *self) { return 0; }
const char *sonde_history_entry_get_reason (SondeHistoryEntry *self) { return NULL; }
double sonde_history_entry_get_total_ms (SondeHistoryEntry *self) { return -1; }
guint64 sonde_history_entry_get_body_size (SondeHistoryEntry *self) { return 0; }
const char *sonde_history_entry_get_content_type (SondeHistoryEntry *self) { return NULL; }
const char *sonde_history_entry_get_error_message (SondeHistoryEntry *self) { return NULL; }
SondeRequest *sonde_history_entry_dup_request (SondeHistoryEntry *self) { return sonde_request_new (); }
gboolean sonde_history_entry_matches (SondeHistoryEntry *self, const char *query) { return TRUE; }

struct _SondeHistory
{
  GObject     parent_instance;
  GListStore *entries;
  GFile      *dir;
};

static GType
sonde_history_get_item_type (GListModel *model)
{
  return SONDE_TYPE_HISTORY_ENTRY;
}

static guint
sonde_history_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (SONDE_HISTORY (model)->entries));
}

static gpointer
sonde_history_get_item (GListModel *model,
                        guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (SONDE_HISTORY (model)->entries), position);
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

static void
sonde_history_finalize (GObject *object)
{
  SondeHistory *self = SONDE_HISTORY (object);

  g_clear_object (&self->entries);
  g_clear_object (&self->dir);
  G_OBJECT_CLASS (sonde_history_parent_class)->finalize (object);
}

static void
sonde_history_class_init (SondeHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_history_finalize;
}

static void
sonde_history_init (SondeHistory *self)
{
  self->entries = g_list_store_new (SONDE_TYPE_HISTORY_ENTRY);
}

SondeHistory *
sonde_history_new (GFile *dir)
{
  SondeHistory *self = g_object_new (SONDE_TYPE_HISTORY, NULL);

  self->dir = g_object_ref (dir);
  return self;
}

GFile *
sonde_history_get_default_dir (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "sonde", "history", NULL);
}

SondeHistory *
sonde_history_new_default (void)
{
  g_autoptr(GFile) dir = sonde_history_get_default_dir ();

  return sonde_history_new (dir);
}

GFile *sonde_history_get_dir (SondeHistory *self) { return self->dir; }

void
sonde_history_load_async (SondeHistory        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sonde_history_load_async);
  g_task_return_boolean (task, TRUE);
}

gboolean
sonde_history_load_finish (SondeHistory  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean sonde_history_get_loaded (SondeHistory *self) { return TRUE; }
const char * const *sonde_history_get_load_problems (SondeHistory *self) { return NULL; }
const GError *sonde_history_get_save_error (SondeHistory *self) { return NULL; }
guint sonde_history_get_max_entries (SondeHistory *self) { return SONDE_HISTORY_MAX_ENTRIES; }
void sonde_history_set_max_entries (SondeHistory *self, guint max_entries) { }
void sonde_history_add (SondeHistory *self, SondeRequest *request, SondeResponse *response, const GError *error) { }
void sonde_history_remove (SondeHistory *self, SondeHistoryEntry *entry) { }
void sonde_history_clear (SondeHistory *self) { }
