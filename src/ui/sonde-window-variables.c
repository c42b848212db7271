/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window and the variables its tabs show: the values a collection tab's editor
 * highlights, and "Make Secret…", which turns a literal into a secret variable. */
#define G_LOG_DOMAIN "sonde-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-window-private.h"

/* Variables shown in the editors */

void
_sonde_window_update_page_variables (SondeWindow      *self,
                                     SondeRequestPage *page)
{
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  SondeCollection *collection = sonde_request_page_get_collection (page);
  SondeEnvironment *environment;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GHashTable) secret_names = NULL;
  g_autoptr(GError) error = NULL;

  if (collection == NULL)
    {
      sonde_request_editor_set_variables (editor, NULL, NULL);
      sonde_request_editor_set_shared (editor, FALSE);
      return;
    }

  /* The active environment belongs to the open collection only. */
  environment = collection == self->collection ? self->environment : NULL;
  values = sonde_collection_build_variables_preview (collection, sonde_request_page_get_node (page),
                                                     sonde_request_page_get_request (page),
                                                     environment, &secret_names, &error);
  if (values == NULL)
    {
      g_debug ("No variables to show: %s", error->message);
      values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }

  /* What captures set wins, as when sending; a secret capture shows masked. */
  {
    GHashTableIter iter;
    gpointer name, value;

    g_hash_table_iter_init (&iter, self->run_variables);
    while (g_hash_table_iter_next (&iter, &name, &value))
      {
        g_hash_table_replace (values, g_strdup (name), g_strdup (value));
        if (g_hash_table_contains (self->run_secrets, value))
          {
            if (secret_names == NULL)
              secret_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
            g_hash_table_add (secret_names, g_strdup (name));
          }
      }
  }
  sonde_request_editor_set_variables (editor, values, secret_names);
  {
    g_autoptr(GHashTable) captured = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter iter;
    gpointer name;

    /* Tooltips say which values captures set. */
    g_hash_table_iter_init (&iter, self->run_variables);
    while (g_hash_table_iter_next (&iter, &name, NULL))
      g_hash_table_add (captured, g_strdup (name));
    sonde_variable_scope_set_captured (sonde_request_editor_get_variable_scope (editor), captured);
  }
  sonde_request_editor_set_shared (editor, TRUE);
}

void
_sonde_window_update_variables (SondeWindow *self)
{
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);

  for (int i = 0; i < n_pages; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);

      _sonde_window_update_page_variables (self, SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab)));
    }
}

/* Make Secret */

typedef struct
{
  SondeWindow *self;
  SondeRequestPage *page;
  SondeCollection *collection;
  SondeEnvironment *environment; /* NULL: the collection's variables */
  char *name;
  char *value;
  char *field;
} SecretData;

static void
secret_data_free (gpointer user_data)
{
  SecretData *data = user_data;

  g_clear_object (&data->self);
  g_clear_object (&data->page);
  g_clear_object (&data->collection);
  g_clear_object (&data->environment);
  g_free (data->name);
  g_free (data->value);
  g_free (data->field);
  g_free (data);
}

static gboolean
is_variable_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* A {"name", "secret": true} row in ROWS, the one of that name if there is one. */
static void
add_secret_row (GListStore *rows,
                const char *name)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (rows));
  g_autoptr(SondeKeyValue) row = NULL;

  for (guint i = 0; i < n_items && row == NULL; i++)
    {
      g_autoptr(SondeKeyValue) item = g_list_model_get_item (G_LIST_MODEL (rows), i);

      if (g_strcmp0 (sonde_key_value_get_name (item), name) == 0)
        row = g_steal_pointer (&item);
    }
  if (row == NULL)
    row = g_object_ref (sonde_key_value_list_append (rows, name, ""));

  sonde_key_value_set_value (row, "");
  sonde_key_value_set_enabled (row, TRUE);
  sonde_variable_set_secret (row, TRUE);
}

/* The variable is saved: the literal becomes {{name}}. */
static void
secret_variable_saved (SecretData *data)
{
  SondeWindow *self = data->self;

  if (!sonde_request_editor_replace_literal (sonde_request_page_get_editor (data->page),
                                             data->field, data->value, data->name))
    _sonde_window_show_message (self, _("The value changed meanwhile: use the new secret variable in its place"));
  _sonde_window_update_variables (self);
  secret_data_free (data);
}

static void
secret_variable_save_failed (SecretData   *data,
                             const GError *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not save the secret variable: %s"), error->message);

  _sonde_window_show_message (data->self, message);
  secret_data_free (data);
}

static void
secret_environment_saved_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sonde_collection_save_environment_finish (SONDE_COLLECTION (object), result, &error))
    secret_variable_save_failed (user_data, error);
  else
    secret_variable_saved (user_data);
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SecretData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_secret_store_store_finish (SONDE_SECRET_STORE (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not store the secret: %s"), error->message);

      _sonde_window_show_message (data->self, message);
      secret_data_free (data);
      return;
    }

  if (data->environment != NULL)
    {
      /* Written in a thread (the collection's own settings are still written here). */
      add_secret_row (sonde_environment_get_variables (data->environment), data->name);
      sonde_collection_save_environment_async (data->collection, data->environment, NULL,
                                               secret_environment_saved_cb, data);
      return;
    }

  add_secret_row (sonde_collection_node_get_variables (sonde_collection_get_root (data->collection)), data->name);
  if (!sonde_collection_save_folder (data->collection, sonde_collection_get_root (data->collection), &error))
    secret_variable_save_failed (data, error);
  else
    secret_variable_saved (data);
}

static void
make_secret_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  SecretData *data = user_data;
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  SondeWindow *self = data->self;

  if (g_strcmp0 (response, "make-secret") != 0)
    {
      secret_data_free (data);
      return;
    }

  data->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  if (!is_variable_name (data->name))
    {
      _sonde_window_show_message (self, _("A variable name is made of letters, digits, “_”, “-” and “.”"));
      secret_data_free (data);
      return;
    }

  if (self->secrets == NULL)
    self->secrets = sonde_secret_store_new ();
  sonde_secret_store_store_async (self->secrets, sonde_collection_get_path (data->collection),
                                  data->environment != NULL ? sonde_environment_get_name (data->environment) : "",
                                  data->name, data->value, NULL, secret_stored_cb, data);
}

static void
secret_name_activated_cb (GtkEntry         *entry,
                          AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "make-secret");
}

void
_sonde_window_make_secret_cb (SondeWindow        *self,
                              const char         *suggested_name,
                              const char         *value,
                              const char         *field,
                              SondeRequestEditor *editor)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (editor), SONDE_TYPE_REQUEST_PAGE);
  SondeCollection *collection;
  SecretData *data;
  GtkWidget *dialog;
  GtkWidget *entry;
  g_autofree char *body = NULL;

  if (page == NULL || (collection = sonde_request_page_get_collection (SONDE_REQUEST_PAGE (page))) == NULL)
    return;

  data = g_new0 (SecretData, 1);
  data->self = g_object_ref (self);
  data->page = g_object_ref (SONDE_REQUEST_PAGE (page));
  data->collection = g_object_ref (collection);
  if (collection == self->collection && self->environment != NULL)
    data->environment = g_object_ref (self->environment);
  data->value = g_strdup (value);
  data->field = g_strdup (field);

  if (data->environment != NULL)
    body = g_strdup_printf (_("The value is kept in your keyring, not in the collection’s files. The environment “%s” gets a secret variable of this name:"),
                            sonde_environment_get_name (data->environment));
  else
    body = g_strdup (_("The value is kept in your keyring, not in the collection’s files. The collection gets a secret variable of this name:"));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Make Secret"), body);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), suggested_name != NULL ? suggested_name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Variable name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "make-secret", _("_Make Secret"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "make-secret", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "make-secret");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (entry, "activate", G_CALLBACK (secret_name_activated_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (make_secret_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}
