/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-environment-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-environment-editor.h"
#include "sonde-environment-row.h"

struct _SondeEnvironmentEditor
{
  AdwWindow parent_instance;

  /* Template widgets */
  GtkDropDown *environment_dropdown;
  GtkWidget *menu_button;
  GtkWidget *save_button;
  GtkStack *stack;
  GtkListBox *variable_list;

  /* Owned */
  SondeCollection *collection;
  SondeSecretStore *secrets;
  SondeEnvironment *environment;   /* the one shown */
  GtkStringList *names;
  GCancellable *cancellable;

  /* Borrowed (weak): where errors of saves still running go once the editor is closed */
  GtkWindow *closed_parent;

  guint updating : 1;
  guint modified : 1;
  guint closed : 1;
};

G_DEFINE_FINAL_TYPE (SondeEnvironmentEditor, sonde_environment_editor, ADW_TYPE_WINDOW)

/* Saves finish in callbacks, possibly after the window closed: then the error goes to the
 * window that opened it. */
static void
show_error (SondeEnvironmentEditor *self,
            const char             *heading,
            const GError           *error)
{
  GtkWindow *parent = self->closed ? self->closed_parent : GTK_WINDOW (self);
  GtkWidget *dialog;

  if (self->closed && parent == NULL)
    {
      g_message ("%s: %s", heading, error->message);
      return;
    }

  dialog = adw_message_dialog_new (parent, heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
mark_modified (SondeEnvironmentEditor *self)
{
  if (!self->updating)
    self->modified = TRUE;
}

typedef struct
{
  SondeEnvironmentRow *row;          /* owned */
  SondeEnvironmentEditor *self;      /* owned */
} LookupData;

static void
secret_looked_up_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  LookupData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = sonde_secret_store_lookup_finish (SONDE_SECRET_STORE (object), result, &error);

  /* The row is still shown (and the row checks nobody typed in it meanwhile). */
  if (value != NULL && gtk_widget_get_parent (GTK_WIDGET (data->row)) != NULL)
    {
      data->self->updating = TRUE;
      sonde_environment_row_fill_secret (data->row, value);
      data->self->updating = FALSE;
    }

  g_object_unref (data->row);
  g_object_unref (data->self);
  g_free (data);
}

static void
add_row (SondeEnvironmentEditor *self,
         GtkWidget              *row)
{
  g_signal_connect_object (row, "changed", G_CALLBACK (mark_modified), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (self->variable_list, row);
}

/* A secret's value is looked up in the keyring meanwhile. */
static void
append_row (SondeEnvironmentEditor *self,
            SondeKeyValue          *variable)
{
  gboolean is_secret = sonde_variable_get_secret (variable);
  GtkWidget *row = sonde_environment_row_new (sonde_key_value_get_name (variable),
                                              is_secret ? NULL : sonde_key_value_get_value (variable),
                                              is_secret, variable);

  add_row (self, row);

  if (is_secret && self->secrets != NULL && self->environment != NULL)
    {
      LookupData *data = g_new0 (LookupData, 1);

      data->row = g_object_ref (SONDE_ENVIRONMENT_ROW (row));
      data->self = g_object_ref (self);
      sonde_secret_store_lookup_async (self->secrets, sonde_collection_get_path (self->collection),
                                       sonde_environment_get_name (self->environment),
                                       sonde_key_value_get_name (variable),
                                       self->cancellable, secret_looked_up_cb, data);
    }
}

static void
show_environment (SondeEnvironmentEditor *self,
                  SondeEnvironment       *environment)
{
  GtkWidget *child;
  GListModel *variables;

  self->updating = TRUE;
  g_set_object (&self->environment, environment);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->variable_list))) != NULL)
    gtk_list_box_remove (self->variable_list, child);

  if (environment != NULL)
    {
      variables = G_LIST_MODEL (sonde_environment_get_variables (environment));
      for (guint i = 0; i < g_list_model_get_n_items (variables); i++)
        {
          g_autoptr(SondeKeyValue) variable = g_list_model_get_item (variables, i);

          append_row (self, variable);
        }
    }

  gtk_stack_set_visible_child_name (self->stack, environment != NULL ? "variables" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "environments.rename", environment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "environments.delete", environment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "environments.save", environment != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "environments.add-variable", environment != NULL);
  self->modified = FALSE;
  self->updating = FALSE;
}

static void
update_names (SondeEnvironmentEditor *self,
              const char             *select)
{
  GListModel *environments = sonde_collection_get_environments (self->collection);
  guint n = g_list_model_get_n_items (environments);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = GTK_INVALID_LIST_POSITION;
  g_autoptr(SondeEnvironment) shown = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (environments, i);

      g_ptr_array_add (names, (gpointer) sonde_environment_get_name (environment));
      if (g_strcmp0 (select, sonde_environment_get_name (environment)) == 0 ||
          (select == NULL && environment == self->environment))
        selected = i;
    }
  g_ptr_array_add (names, NULL);

  if (selected == GTK_INVALID_LIST_POSITION && n > 0)
    selected = 0;

  self->updating = TRUE;
  gtk_string_list_splice (self->names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->environment_dropdown, selected);
  self->updating = FALSE;

  if (selected != GTK_INVALID_LIST_POSITION)
    shown = g_list_model_get_item (environments, selected);
  /* With none, the empty state alone: no "(None)" to choose, no Save with nothing to save */
  gtk_widget_set_visible (GTK_WIDGET (self->environment_dropdown), n > 0);
  gtk_widget_set_visible (self->menu_button, n > 0);
  gtk_widget_set_visible (self->save_button, n > 0);
  if (shown != self->environment || shown == NULL)
    show_environment (self, shown);
}

typedef struct
{
  SondeEnvironmentEditor *self;    /* owned */
  const char             *heading; /* static */
} SaveData;

static void
environment_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_collection_save_environment_finish (SONDE_COLLECTION (object), result, &error))
    show_error (data->self, data->heading, error);
  g_object_unref (data->self);
  g_free (data);
}

/* The file is written in a thread; the model already holds what it will say. Not cancelled
 * with the window: edits made before closing must reach the disk. */
static void
save_environment (SondeEnvironmentEditor *self,
                  const char             *heading)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->self = g_object_ref (self);
  data->heading = heading;
  sonde_collection_save_environment_async (self->collection, self->environment, NULL,
                                           environment_saved_cb, data);
}

static void
save_if_modified (SondeEnvironmentEditor *self)
{
  if (self->modified && self->environment != NULL)
    sonde_environment_editor_save (self);
}

static void
environment_selected_cb (SondeEnvironmentEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->environment_dropdown);
  g_autoptr(SondeEnvironment) environment = NULL;

  if (self->updating)
    return;

  save_if_modified (self);
  if (selected != GTK_INVALID_LIST_POSITION)
    environment = g_list_model_get_item (sonde_collection_get_environments (self->collection), selected);
  show_environment (self, environment);
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SondeEnvironmentEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_secret_store_store_finish (SONDE_SECRET_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, _("A Secret Could Not Be Stored"), error);
}

static void
store_secret (SondeEnvironmentEditor *self,
              const char             *name,
              const char             *value)
{
  if (self->secrets == NULL)
    return;

  /* Not cancelled with the window: a secret typed in must reach the keyring. */
  sonde_secret_store_store_async (self->secrets, sonde_collection_get_path (self->collection),
                                  sonde_environment_get_name (self->environment), name, value,
                                  NULL, secret_stored_cb, g_object_ref (self));
}

/* Actions */

static void
add_variable_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeEnvironmentEditor *self = SONDE_ENVIRONMENT_EDITOR (widget);
  GtkWidget *last;

  sonde_environment_editor_add_variable (self, "", "", FALSE);
  last = gtk_widget_get_last_child (GTK_WIDGET (self->variable_list));
  if (last != NULL)
    gtk_widget_grab_focus (sonde_environment_row_get_name_entry (SONDE_ENVIRONMENT_ROW (last)));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sonde_environment_editor_save (SONDE_ENVIRONMENT_EDITOR (widget));
}

static void
name_entry_activated_cb (GtkEntry         *entry,
                         AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "ok");
}

static void
environment_name_response_cb (AdwMessageDialog       *dialog,
                              const char             *response,
                              SondeEnvironmentEditor *self)
{
  gboolean rename = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "rename"));
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  SondeEnvironment *created;   /* borrowed: the collection holds it */
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "ok") != 0 || *name == '\0')
    return;

  if (rename)
    {
      if (self->environment == NULL)
        return;
      save_if_modified (self);
      sonde_environment_set_name (self->environment, name);
      save_environment (self, _("The Environment Could Not Be Renamed"));
      update_names (self, name);
      return;
    }

  save_if_modified (self);
  created = sonde_collection_create_environment (self->collection, name, &error);
  if (created == NULL)
    {
      show_error (self, _("The Environment Could Not Be Created"), error);
      return;
    }
  update_names (self, sonde_environment_get_name (created));
}

static void
ask_environment_name (SondeEnvironmentEditor *self,
                      gboolean                rename)
{
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   rename ? _("Rename Environment") : _("New Environment"), NULL);
  entry = gtk_entry_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  if (rename && self->environment != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), sonde_environment_get_name (self->environment));
  g_signal_connect (entry, "activate", G_CALLBACK (name_entry_activated_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", rename ? _("_Rename") : _("_Create"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "rename", GINT_TO_POINTER (rename));
  g_signal_connect_object (dialog, "response", G_CALLBACK (environment_name_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  ask_environment_name (SONDE_ENVIRONMENT_EDITOR (widget), FALSE);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ask_environment_name (SONDE_ENVIRONMENT_EDITOR (widget), TRUE);
}

static void
delete_response_cb (AdwMessageDialog       *dialog,
                    const char             *response,
                    SondeEnvironmentEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->environment == NULL)
    return;

  if (!sonde_collection_delete_environment (self->collection, self->environment, &error))
    {
      show_error (self, _("The Environment Could Not Be Deleted"), error);
      return;
    }

  self->modified = FALSE;
  g_clear_object (&self->environment);
  update_names (self, NULL);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeEnvironmentEditor *self = SONDE_ENVIRONMENT_EDITOR (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->environment == NULL)
    return;

  heading = g_strdup_printf (_("Delete the Environment “%s”?"), sonde_environment_get_name (self->environment));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Its file is deleted from the collection."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static gboolean
sonde_environment_editor_close_request (GtkWindow *window)
{
  SondeEnvironmentEditor *self = SONDE_ENVIRONMENT_EDITOR (window);

  save_if_modified (self);
  self->closed = TRUE;
  g_set_weak_pointer (&self->closed_parent, gtk_window_get_transient_for (window));

  return GTK_WINDOW_CLASS (sonde_environment_editor_parent_class)->close_request (window);
}

static void
sonde_environment_editor_dispose (GObject *object)
{
  SondeEnvironmentEditor *self = SONDE_ENVIRONMENT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_ENVIRONMENT_EDITOR);

  if (self->collection != NULL)
    g_signal_handlers_disconnect_by_data (sonde_collection_get_environments (self->collection), self);
  g_clear_object (&self->collection);
  g_clear_object (&self->secrets);
  g_clear_object (&self->environment);
  g_clear_object (&self->names);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->closed_parent);

  G_OBJECT_CLASS (sonde_environment_editor_parent_class)->dispose (object);
}

static void
sonde_environment_editor_class_init (SondeEnvironmentEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sonde_environment_editor_dispose;
  window_class->close_request = sonde_environment_editor_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-environment-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentEditor, environment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentEditor, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentEditor, variable_list);

  gtk_widget_class_install_action (widget_class, "environments.add-variable", NULL, add_variable_action);
  gtk_widget_class_install_action (widget_class, "environments.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "environments.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "environments.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "environments.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sonde_environment_editor_init (SondeEnvironmentEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->environment_dropdown, G_LIST_MODEL (self->names));
  g_signal_connect_object (self->environment_dropdown, "notify::selected",
                           G_CALLBACK (environment_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
environments_changed_cb (SondeEnvironmentEditor *self)
{
  update_names (self, NULL);
}

SondeEnvironmentEditor *
sonde_environment_editor_new (GtkWindow        *parent,
                              SondeCollection  *collection,
                              SondeSecretStore *secrets)
{
  SondeEnvironmentEditor *self;

  g_return_val_if_fail (SONDE_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (secrets == NULL || SONDE_IS_SECRET_STORE (secrets), NULL);

  self = g_object_new (SONDE_TYPE_ENVIRONMENT_EDITOR, "transient-for", parent, NULL);
  self->collection = g_object_ref (collection);
  self->secrets = secrets != NULL ? g_object_ref (secrets) : NULL;
  g_signal_connect_object (sonde_collection_get_environments (collection), "items-changed",
                           G_CALLBACK (environments_changed_cb), self, G_CONNECT_SWAPPED);
  update_names (self, NULL);

  return self;
}

SondeEnvironment *
sonde_environment_editor_get_environment (SondeEnvironmentEditor *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT_EDITOR (self), NULL);

  return self->environment;
}

void
sonde_environment_editor_select (SondeEnvironmentEditor *self,
                                 const char             *name)
{
  g_return_if_fail (SONDE_IS_ENVIRONMENT_EDITOR (self));

  save_if_modified (self);
  g_clear_object (&self->environment);
  update_names (self, name);
}

void
sonde_environment_editor_add_variable (SondeEnvironmentEditor *self,
                                       const char             *name,
                                       const char             *value,
                                       gboolean                secret)
{
  g_return_if_fail (SONDE_IS_ENVIRONMENT_EDITOR (self));

  if (self->environment == NULL)
    return;

  /* A fresh row has no original to copy, nor a secret to look up. */
  add_row (self, sonde_environment_row_new (name, value, secret, NULL));
  self->modified = TRUE;
}

void
sonde_environment_editor_save (SondeEnvironmentEditor *self)
{
  GListStore *variables;
  g_autoptr(GHashTable) old_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (SONDE_IS_ENVIRONMENT_EDITOR (self));

  if (self->environment == NULL)
    return;

  variables = sonde_environment_get_variables (self->environment);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (variables)); i++)
    {
      g_autoptr(SondeKeyValue) variable = g_list_model_get_item (G_LIST_MODEL (variables), i);

      if (sonde_variable_get_secret (variable))
        g_hash_table_add (old_secrets, g_strdup (sonde_key_value_get_name (variable)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->variable_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      SondeEnvironmentRow *row = SONDE_ENVIRONMENT_ROW (child);
      SondeKeyValue *original = sonde_environment_row_get_original (row);
      const char *name = sonde_environment_row_get_name (row);
      const char *value = sonde_environment_row_get_value (row);
      gboolean secret = sonde_environment_row_get_secret (row);
      SondeKeyValue *variable;

      if (*name == '\0')
        continue;

      variable = original != NULL ? sonde_key_value_copy (original) : sonde_key_value_new (name, "", TRUE);
      sonde_key_value_set_name (variable, name);
      /* A secret's value never goes into the file. */
      sonde_key_value_set_value (variable, secret ? "" : value);
      sonde_variable_set_secret (variable, secret);
      g_ptr_array_add (rows, variable);

      if (secret)
        {
          store_secret (self, name, value);
          g_hash_table_remove (old_secrets, name);
        }
    }

  /* Secrets that are no longer secret (or gone) leave the keyring. */
  g_hash_table_iter_init (&iter, old_secrets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    store_secret (self, key, NULL);

  g_list_store_splice (variables, 0, g_list_model_get_n_items (G_LIST_MODEL (variables)),
                       rows->pdata, rows->len);

  /* The model holds the edits now: a failed write is reported, and "Save" tries again. */
  self->modified = FALSE;
  save_environment (self, _("The Environment Could Not Be Saved"));
}
