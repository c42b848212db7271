/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-copy-as-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sonde-copy-as-dialog.h"
#include "sonde-editor-utils.h"

struct _SondeCopyAsDialog
{
  AdwWindow            parent_instance;

  /* Widgets */
  AdwToastOverlay     *toast_overlay;
  GtkDropDown         *language_dropdown;
  GtkCheckButton      *secrets_check;
  GtkStack            *stack;
  GtkSourceBuffer     *buffer;
  AdwStatusPage       *error_page;

  /* Owned */
  SondeRequest        *request;
  SondeCollection     *collection;
  SondeCollectionNode *node;
  SondeEnvironment    *environment;
  SondeSecretStore    *secrets;
  GHashTable          *run_variables;
  GHashTable          *run_secrets;
  GCancellable        *cancellable;
  char                *code;
};

G_DEFINE_FINAL_TYPE (SondeCopyAsDialog, sonde_copy_as_dialog, ADW_TYPE_WINDOW)

static const SondeExportLanguage languages[] = {
  SONDE_EXPORT_CURL, SONDE_EXPORT_PYTHON, SONDE_EXPORT_HTTPIE, SONDE_EXPORT_FETCH,
};

/* GtkSourceView's language ids, in the order of languages[] */
static const char * const source_languages[] = { "sh", "python3", "sh", "js" };

/* The last language chosen, for the next time in this session. */
static guint last_language;

static SondeExportLanguage
current_language (SondeCopyAsDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->language_dropdown);

  return languages[MIN (selected, G_N_ELEMENTS (languages) - 1)];
}

static void
show_code (SondeCopyAsDialog *self,
           SondeRequest      *prepared,
           const GError      *prepare_error)
{
  g_autoptr(GError) error = NULL;
  guint selected = MIN (gtk_drop_down_get_selected (self->language_dropdown), G_N_ELEMENTS (languages) - 1);
  GtkSourceLanguage *language;

  g_clear_pointer (&self->code, g_free);
  if (prepared != NULL)
    self->code = sonde_export_request (prepared, current_language (self), &error);
  else
    error = g_error_copy (prepare_error);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "copy-as.copy", self->code != NULL);
  if (self->code == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  language = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (),
                                                       source_languages[selected]);
  gtk_source_buffer_set_language (self->buffer, language);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), self->code, -1);
  gtk_stack_set_visible_child_name (self->stack, "code");
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SondeCopyAsDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) prepared = sonde_collection_prepare_request_finish (SONDE_COLLECTION (object),
                                                                              result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_code (self, prepared, error);
}

/* Run variables, less the secret ones unless they are asked for. */
static GHashTable *
overrides (SondeCopyAsDialog *self,
           gboolean           include_secrets)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  sonde_variables_merge (table, self->run_variables);
  if (!include_secrets && self->run_secrets != NULL)
    {
      GHashTableIter iter;
      gpointer name;

      g_hash_table_iter_init (&iter, self->run_secrets);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        g_hash_table_insert (table, g_strdup (name), g_strdup_printf ("{{%s}}", (char *) name));
    }
  return table;
}

static void
update (SondeCopyAsDialog *self)
{
  gboolean include_secrets = gtk_check_button_get_active (self->secrets_check);
  g_autoptr(GHashTable) variables = overrides (self, include_secrets);
  g_autoptr(SondeRequest) prepared = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->code, g_free);

  if (self->collection == NULL)
    prepared = sonde_request_expand (self->request, variables, &error);
  else if (!include_secrets || self->secrets == NULL)
    prepared = sonde_export_prepare (self->collection, self->node, self->request, self->environment,
                                     NULL, variables, &error);
  else
    {
      /* Secrets come from the keyring: not on this thread. */
      self->cancellable = g_cancellable_new ();
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "copy-as.copy", FALSE);
      sonde_collection_prepare_request_async (self->collection, self->node, self->request,
                                              self->environment, self->secrets, variables,
                                              self->cancellable, prepared_cb, g_object_ref (self));
      return;
    }
  show_code (self, prepared, error);
}

static void
language_changed_cb (SondeCopyAsDialog *self)
{
  last_language = gtk_drop_down_get_selected (self->language_dropdown);
  update (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeCopyAsDialog *self = SONDE_COPY_AS_DIALOG (widget);
  g_autofree char *message = NULL;

  if (self->code == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->code);
  /* Translators: %s is a language: "Copied as curl" */
  message = g_strdup_printf (_("Copied as %s"), sonde_export_language_get_title (current_language (self)));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
sonde_copy_as_dialog_dispose (GObject *object)
{
  SondeCopyAsDialog *self = SONDE_COPY_AS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->request);
  g_clear_object (&self->collection);
  g_clear_object (&self->node);
  g_clear_object (&self->environment);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->run_variables, g_hash_table_unref);
  g_clear_pointer (&self->run_secrets, g_hash_table_unref);
  g_clear_pointer (&self->code, g_free);

  G_OBJECT_CLASS (sonde_copy_as_dialog_parent_class)->dispose (object);
}

static void
sonde_copy_as_dialog_class_init (SondeCopyAsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_copy_as_dialog_dispose;

  gtk_widget_class_install_action (widget_class, "copy-as.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "copy-as.copy", NULL);
}

static void
sonde_copy_as_dialog_init (SondeCopyAsDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *copy_button = gtk_button_new_with_mnemonic (_("_Copy"));
  GtkWidget *options = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view;

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    gtk_string_list_append (names, sonde_export_language_get_title (languages[i]));

  gtk_window_set_title (GTK_WINDOW (self), _("Copy as Code"));
  gtk_window_set_default_size (GTK_WINDOW (self), 680, 460);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  gtk_widget_add_css_class (copy_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (copy_button), "copy-as.copy");
  gtk_widget_set_tooltip_text (copy_button, _("Copy to the clipboard (Ctrl+Shift+C)"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), copy_button);
  gtk_box_append (GTK_BOX (toolbar), header);

  self->language_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  gtk_drop_down_set_selected (self->language_dropdown, last_language);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->language_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Language"), -1);
  self->secrets_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("Include _Secrets")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->secrets_check),
                               _("Write the values of secret variables instead of {{name}}"));
  gtk_widget_set_margin_start (options, 12);
  gtk_widget_set_margin_end (options, 12);
  gtk_widget_set_margin_top (options, 6);
  gtk_widget_set_margin_bottom (options, 6);
  gtk_box_append (GTK_BOX (options), GTK_WIDGET (self->language_dropdown));
  gtk_box_append (GTK_BOX (options), GTK_WIDGET (self->secrets_check));
  gtk_box_append (GTK_BOX (toolbar), options);

  self->buffer = gtk_source_buffer_new (NULL);
  view = gtk_source_view_new_with_buffer (self->buffer);
  g_object_unref (self->buffer);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  sonde_text_view_follow_preferences (GTK_TEXT_VIEW (view));
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Code"), -1);
  sonde_source_buffer_follow_style (self->buffer);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);

  self->error_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->error_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->error_page, _("The Request Cannot Be Written as Code"));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, scrolled, "code");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->error_page), "error");
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->stack));

  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, toolbar);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));

  g_signal_connect_object (self->language_dropdown, "notify::selected",
                           G_CALLBACK (language_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->secrets_check, "toggled", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
}

GtkWidget *
sonde_copy_as_dialog_new (GtkWindow           *parent,
                          SondeRequest        *request,
                          SondeCollection     *collection,
                          SondeCollectionNode *node,
                          SondeEnvironment    *environment,
                          SondeSecretStore    *secrets,
                          GHashTable          *run_variables,
                          GHashTable          *run_secrets)
{
  SondeCopyAsDialog *self;

  g_return_val_if_fail (SONDE_IS_REQUEST (request), NULL);

  self = g_object_new (SONDE_TYPE_COPY_AS_DIALOG, "transient-for", parent, NULL);
  self->request = sonde_request_copy (request);
  g_set_object (&self->collection, collection);
  g_set_object (&self->node, node);
  g_set_object (&self->environment, environment);
  g_set_object (&self->secrets, secrets);
  self->run_variables = run_variables != NULL ? g_hash_table_ref (run_variables) : NULL;
  self->run_secrets = run_secrets != NULL ? g_hash_table_ref (run_secrets) : NULL;
  /* A lone request has no secret variables. */
  gtk_widget_set_visible (GTK_WIDGET (self->secrets_check), collection != NULL);
  update (self);
  return GTK_WIDGET (self);
}

void
sonde_copy_as_dialog_set_language (SondeCopyAsDialog   *self,
                                   SondeExportLanguage  language)
{
  g_return_if_fail (SONDE_IS_COPY_AS_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (languages[i] == language)
      gtk_drop_down_set_selected (self->language_dropdown, i);
}

void
sonde_copy_as_dialog_set_include_secrets (SondeCopyAsDialog *self,
                                          gboolean           include)
{
  g_return_if_fail (SONDE_IS_COPY_AS_DIALOG (self));
  gtk_check_button_set_active (self->secrets_check, include);
}

const char *
sonde_copy_as_dialog_get_code (SondeCopyAsDialog *self)
{
  g_return_val_if_fail (SONDE_IS_COPY_AS_DIALOG (self), NULL);
  return self->code;
}
