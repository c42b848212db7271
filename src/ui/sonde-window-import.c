/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-core.h"
#include "sonde-editor-utils.h"
#include "sonde-window-private.h"

/* Import…: a foreign file (curl commands, Postman, HAR…) read in a thread, its report shown
 * before anything is written, then a new collection folder created where the person says and
 * opened (docs/import-export.md). */

typedef struct
{
  SondeWindow *self;
  SondeImport *import;
  GFile       *input;
  GFile       *parent; /* where the collection goes; NULL: ask */
  GFile       *dir;    /* the collection's folder, once chosen */
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->import);
  g_clear_object (&data->input);
  g_clear_object (&data->parent);
  g_clear_object (&data->dir);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportData, import_data_free)

static void
show_error (SondeWindow *self,
            const char  *heading,
            const char  *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A folder name from the collection's name, not taken in PARENT yet. */
static GFile *
new_folder_in (GFile      *parent,
               const char *name)
{
  g_autofree char *base = g_strdup (name);
  GFile *dir;

  g_strdelimit (base, "/\\:*?\"<>|", '-');
  g_strstrip (base);
  if (base[0] == '\0' || base[0] == '.')
    {
      g_free (base);
      base = g_strdup (_("Imported"));
    }
  dir = g_file_get_child (parent, base);
  for (guint i = 2; g_file_query_exists (dir, NULL); i++)
    {
      g_autofree char *numbered = g_strdup_printf ("%s %u", base, i);

      g_object_unref (dir);
      dir = g_file_get_child (parent, numbered);
    }
  return dir;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ImportData *data = task_data;
  GError *error = NULL;

  if (sonde_import_write (data->import, data->dir, data->self->secrets, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ImportData *data = g_task_get_task_data (G_TASK (result));
  SondeWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = sonde_import_get_n_requests (data->import);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The Collection Was Not Created"), error->message);
      return;
    }

  _sonde_window_open_collection (self, data->dir, NULL);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u request", "Imported %u requests", n), n);
  _sonde_window_show_message (self, message);
}

static void
write_into (ImportData *data,
            GFile      *parent)
{
  g_autoptr(GTask) task = NULL;
  ImportData *owned = g_new0 (ImportData, 1);

  owned->self = g_object_ref (data->self);
  owned->import = g_object_ref (data->import);
  owned->dir = new_folder_in (parent, sonde_import_get_name (data->import));
  task = g_task_new (NULL, data->self->cancellable, written_cb, NULL);
  g_task_set_task_data (task, owned, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, write_thread);
}

static void
parent_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GFile) parent = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    parent = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (parent != NULL)
    write_into (data, parent);
}

static void
choose_parent (ImportData *data)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) start = NULL;

  chooser = gtk_file_chooser_native_new (_("Where to Create the Collection"), GTK_WINDOW (data->self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Create Here"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Beside the open collection, else beside the imported file */
  if (data->self->collection != NULL)
    start = g_file_get_parent (sonde_collection_get_dir (data->self->collection));
  else
    start = g_file_get_parent (data->input);
  if (start != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), start, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (parent_chosen_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
summary_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  ImportData *data = user_data;

  /* Once: closing the dialog afterwards must not answer again. */
  g_signal_handlers_disconnect_by_func (dialog, summary_response_cb, data);
  if (g_strcmp0 (response, "import") != 0)
    {
      import_data_free (data);
      return;
    }
  if (data->parent != NULL)
    {
      write_into (data, data->parent);
      import_data_free (data);
    }
  else
    choose_parent (data);
}

/* The report, before anything is written. */
static void
show_summary (ImportData *data)
{
  g_autofree char *report = sonde_import_report_to_text (data->import);
  g_autofree char *heading = g_strdup_printf (_("Import “%s”?"), sonde_import_get_name (data->import));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (data->self), heading, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (report);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "body");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("Sonde creates a new collection folder from it. Nothing is sent."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", data->parent != NULL ? _("_Import") : _("_Choose Folder…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (summary_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GError) error = NULL;

  data->import = sonde_import_file_finish (result, &error);
  if (data->import == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (data->self, _("The File Cannot Be Imported"), error->message);
      return;
    }
  show_summary (g_steal_pointer (&data));
}

void
sonde_window_import_file (SondeWindow *self,
                          GFile       *file,
                          GFile       *parent)
{
  ImportData *data;

  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ImportData, 1);
  data->self = g_object_ref (self);
  data->input = g_object_ref (file);
  data->parent = parent != NULL ? g_object_ref (parent) : NULL;
  sonde_import_file_async (file, SONDE_IMPORT_FORMAT_AUTO, self->cancellable, read_cb, data);
}

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  sonde_window_import_file (SONDE_WINDOW (user_data), file, NULL);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) any = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (all, _("Collections, API descriptions, HAR files and curl commands"));
  gtk_file_filter_add_suffix (all, "json");
  gtk_file_filter_add_suffix (all, "har");
  gtk_file_filter_add_suffix (all, "sh");
  gtk_file_filter_add_suffix (all, "txt");
  gtk_file_filter_add_suffix (all, "yaml");
  gtk_file_filter_add_suffix (all, "yml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_filter_set_name (any, _("All files"));
  gtk_file_filter_add_pattern (any, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), any);
  sonde_run_file_chooser (chooser, file_chosen_cb, self);
}

/* Export Collection…: a Postman v2.1 file, its environments beside it */

typedef struct
{
  GFile     *file;
  char      *text;
  GPtrArray *environment_files; /* GFile */
  GPtrArray *environment_texts; /* char* */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_free (data->text);
  g_ptr_array_unref (data->environment_files);
  g_ptr_array_unref (data->environment_texts);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (!sonde_file_write_atomic (data->file, data->text, strlen (data->text), 0644, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < data->environment_files->len; i++)
    {
      const char *text = data->environment_texts->pdata[i];

      if (!sonde_file_write_atomic (data->environment_files->pdata[i], text, strlen (text), 0644, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SondeWindow) self = user_data;
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (data->file);
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The Collection Was Not Exported"), error->message);
      return;
    }
  message = g_strdup_printf (_("Exported to “%s”"), name);
  _sonde_window_show_message (self, message);
}

void
sonde_window_export_collection (SondeWindow *self,
                                GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) folder = NULL;
  ExportData *data;
  GListModel *environments;
  char *text;

  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->collection == NULL)
    return;
  /* In memory, quick: the files are written in a thread */
  text = sonde_export_postman (self->collection, &error);
  if (text == NULL)
    {
      show_error (self, _("The Collection Was Not Exported"), error->message);
      return;
    }

  data = g_new0 (ExportData, 1);
  data->file = g_object_ref (file);
  data->text = text;
  data->environment_files = g_ptr_array_new_with_free_func (g_object_unref);
  data->environment_texts = g_ptr_array_new_with_free_func (g_free);
  folder = g_file_get_parent (file);
  environments = sonde_collection_get_environments (self->collection);
  for (guint i = 0; folder != NULL && i < g_list_model_get_n_items (environments); i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (environments, i);
      g_autofree char *name = NULL;

      if (sonde_environment_get_error (environment) != NULL)
        continue;
      name = g_strdup_printf ("%s.postman_environment.json", sonde_environment_get_name (environment));
      g_strdelimit (name, "/\\", '-');
      g_ptr_array_add (data->environment_files, g_file_get_child (folder, name));
      g_ptr_array_add (data->environment_texts, sonde_export_postman_environment (environment));
    }

  task = g_task_new (NULL, self->cancellable, exported_cb, g_object_ref (self));
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

static void
export_file_chosen_cb (GFile    *file,
                       gpointer  user_data)
{
  sonde_window_export_collection (SONDE_WINDOW (user_data), file);
}

static void
export_collection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  g_autoptr(GFile) parent = NULL;

  if (self->collection == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Collection for Postman"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.postman_collection.json", sonde_collection_get_name (self->collection));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  parent = g_file_get_parent (sonde_collection_get_dir (self->collection));
  if (parent != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
  sonde_run_file_chooser (chooser, export_file_chosen_cb, self);
}

void
_sonde_window_install_import_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.export-collection", NULL, export_collection_action);
}
