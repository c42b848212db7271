/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-response-view"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sonde-key-value.h"
#include "sonde-response-view-private.h"

/* Actions */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeResponseView *self = SONDE_RESPONSE_VIEW (widget);

  gtk_stack_set_visible_child_name (self->section_stack, "body");
  sonde_body_view_start_search (self->body_view);
}

static void
copy_body_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  sonde_body_view_copy (SONDE_RESPONSE_VIEW (widget)->body_view);
}

static void
copy_headers_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeResponseView *self = SONDE_RESPONSE_VIEW (widget);
  g_autoptr(GString) text = g_string_new (NULL);
  GListModel *headers;

  if (self->response == NULL)
    return;

  headers = sonde_response_get_headers (self->response);
  for (guint i = 0; i < g_list_model_get_n_items (headers); i++)
    {
      g_autoptr(SondeKeyValue) header = g_list_model_get_item (headers, i);

      g_string_append_printf (text, "%s: %s\n", sonde_key_value_get_name (header), sonde_key_value_get_value (header));
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
}

static void
show_toast (SondeResponseView *self,
            const char        *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
  else
    g_message ("%s", title);
}

static void
save_finished_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SondeResponseView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (sonde_response_view_save_body_to_file_finish (self, result, &error))
    title = g_strdup (_("Body saved"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    title = g_strdup_printf (_("Could not save the body: %s"), error->message);

  if (title != NULL)
    show_toast (self, title);
}

static void
save_dialog_response_cb (GtkNativeDialog *dialog,
                         int              response_id,
                         gpointer         user_data)
{
  g_autoptr(SondeResponseView) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response_id == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    sonde_response_view_save_body_to_file (self, file, NULL, save_finished_cb, g_object_ref (self));

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static char *
suggest_file_name (SondeResponse *response)
{
  g_autoptr(GUri) uri = g_uri_parse (sonde_response_get_url (response), G_URI_FLAGS_NONE, NULL);
  const char *content_type = sonde_response_get_content_type (response);
  g_autofree char *base = NULL;

  if (uri != NULL)
    base = g_path_get_basename (g_uri_get_path (uri));
  if (base != NULL && base[0] != '\0' && strcmp (base, "/") != 0 && strcmp (base, ".") != 0)
    return g_steal_pointer (&base);

  if (content_type != NULL && (g_str_has_suffix (content_type, "json")))
    return g_strdup ("response.json");
  if (content_type != NULL && g_str_has_suffix (content_type, "xml"))
    return g_strdup ("response.xml");
  if (g_strcmp0 (content_type, "text/html") == 0)
    return g_strdup ("response.html");
  if (content_type != NULL && g_str_has_prefix (content_type, "text/"))
    return g_strdup ("response.txt");
  return g_strdup ("response");
}

static void
save_body_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeResponseView *self = SONDE_RESPONSE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (self->response == NULL || sonde_response_get_body (self->response) == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Save Response Body"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  name = suggest_file_name (self->response);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (save_dialog_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_body_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (sonde_body_store_save_finish (SONDE_BODY_STORE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * sonde_response_view_save_body_to_file:
 *
 * Writes the body of the response shown to FILE, streaming at any size. What
 * "response.save-body" does after asking for a file.
 */
void
sonde_response_view_save_body_to_file (SondeResponseView   *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SondeBodyStore *body;

  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_response_view_save_body_to_file);

  body = self->response != NULL ? sonde_response_get_body (self->response) : NULL;
  if (body == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no response body to save."));
      return;
    }

  sonde_body_store_save_async (body, file, cancellable, save_body_cb, g_steal_pointer (&task));
}

gboolean
sonde_response_view_save_body_to_file_finish (SondeResponseView  *self,
                                              GAsyncResult       *result,
                                              GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
open_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SondeResponseView) self = NULL;
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  GtkRoot *root;

  self = g_object_ref (SONDE_RESPONSE_VIEW (object));
  if (!sonde_response_view_save_body_to_file_finish (self, result, &error))
    {
      g_autofree char *title = g_strdup_printf (_("Could not save the body: %s"), error->message);

      show_toast (self, title);
      return;
    }

  uri = g_file_get_uri (file);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

/* Saves the body under the user's cache folder, then opens it with the default
 * application for its type (for images, PDFs, archives and bodies too big to show). */
static void
open_body_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeResponseView *self = SONDE_RESPONSE_VIEW (widget);
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  GFile *file;

  if (self->response == NULL || sonde_response_get_body (self->response) == NULL)
    return;

  dir = g_build_filename (g_get_user_cache_dir (), "sonde", "bodies", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_autofree char *title = g_strdup_printf (_("Could not create %s"), dir);

      show_toast (self, title);
      return;
    }
  name = suggest_file_name (self->response);
  path = g_build_filename (dir, name, NULL);
  file = g_file_new_for_path (path);
  sonde_response_view_save_body_to_file (self, file, NULL, open_saved_cb, file);
}

void
_sonde_response_view_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "response.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "response.copy-body", NULL, copy_body_action);
  gtk_widget_class_install_action (widget_class, "response.copy-headers", NULL, copy_headers_action);
  gtk_widget_class_install_action (widget_class, "response.save-body", NULL, save_body_action);
  gtk_widget_class_install_action (widget_class, "response.open-body", NULL, open_body_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "response.search", NULL);
}
