/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-run-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-run-dialog.h"

struct _SondeRunDialog
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwWindowTitle      *title;
  GtkStack            *button_stack;
  GtkSpinButton       *iterations_spin;
  GtkSpinButton       *delay_spin;
  GtkSwitch           *bail_switch;
  AdwActionRow        *data_row;
  GtkLabel            *summary_label;
  GtkProgressBar      *progress_bar;
  GtkListBox          *results_list;

  /* Owned */
  SondeCollection     *collection;
  SondeCollectionNode *folder;
  SondeClient         *client;
  SondeEnvironment    *environment;
  SondeSecretStore    *secrets;
  GHashTable          *variables;
  SondeRunner         *runner;
  GPtrArray           *data_rows;
  GCancellable        *cancellable;
  guint                expected;
  guint                done;
  guint                failed;
  GPtrArray           *outside;  /* SondeCollectionNode*: requests refused a file outside */
};

G_DEFINE_FINAL_TYPE (SondeRunDialog, sonde_run_dialog, ADW_TYPE_WINDOW)

enum {
  OPEN_RESULT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_running (SondeRunDialog *self,
             gboolean        running)
{
  gtk_stack_set_visible_child_name (self->button_stack, running ? "stop" : "run");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.start", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.stop", running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->iterations_spin), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delay_spin), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bail_switch), !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.choose-data", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.clear-data", !running && self->data_rows != NULL);
}

static void
show_data_file (SondeRunDialog *self,
                GFile          *file)
{
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;
  g_autofree char *subtitle = NULL;

  if (self->data_rows != NULL)
    /* Translators: a data file's name and how many rows it has */
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u row, a pass each", "%s: %u rows, a pass each",
                                             self->data_rows->len),
                                name, self->data_rows->len);
  adw_action_row_set_subtitle (self->data_row, subtitle != NULL ? subtitle : _("None: the variables as they are"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.clear-data", self->data_rows != NULL);
}

static void
update_summary (SondeRunDialog *self,
                const char     *state)
{
  g_autofree char *text = NULL;

  /* Translators: "12/40 requests, 1 failed", then what the run is doing */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u/%u request, %u failed%s", "%u/%u requests, %u failed%s",
                                       self->expected),
                          self->done, self->expected, self->failed, state);
  gtk_label_set_text (self->summary_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 self->expected > 0 ? (double) self->done / self->expected : 0);
}

/* run.open-result (u): a result row, activated, by its index in the runner's results */
static void
open_result_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeRunDialog *self = SONDE_RUN_DIALOG (widget);
  GPtrArray *results = self->runner != NULL ? sonde_runner_get_results (self->runner) : NULL;
  guint index = g_variant_get_uint32 (parameter);

  if (results != NULL && index < results->len)
    g_signal_emit (self, signals[OPEN_RESULT], 0, results->pdata[index]);
}

static void
request_finished_cb (SondeRunDialog *self,
                     SondeRunResult *result,
                     SondeRunner    *runner)
{
  gboolean passed = result->status > 0 && result->failed_checks == 0;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (passed ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (result->status > 0)
    {
      g_string_append_printf (subtitle, "%u %s · %" G_GINT64_FORMAT " ms", result->status,
                              result->reason ? result->reason : "", result->duration / 1000);
      if (result->checks->len > 0)
        {
          guint n = result->checks->len;

          g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u/%u check", "%u/%u checks", n),
                                  n - result->failed_checks, n);
        }
    }
  else
    g_string_append (subtitle, result->error->message);
  for (guint i = 0; i < result->checks->len; i++)
    {
      SondeCheckResult *check = result->checks->pdata[i];

      if (!check->passed)
        g_string_append_printf (subtitle, "\n✗ %s: %s", check->description, check->message ? check->message : "");
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), result->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_add_css_class (icon, passed ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  passed ? _("Passed") : _("Failed"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  if (result->response != NULL)
    {
      GPtrArray *results = sonde_runner_get_results (runner);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      /* The runner's results end with this one */
      g_assert (results->len > 0 && results->pdata[results->len - 1] == result);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "run.open-result");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "u", results->len - 1);
    }
  gtk_list_box_append (self->results_list, row);
  if (result->status == 0 &&
      g_error_matches (result->error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_OUTSIDE) &&
      !g_ptr_array_find (self->outside, result->node, NULL))
    g_ptr_array_add (self->outside, g_object_ref (result->node));

  self->done++;
  if (!passed)
    self->failed++;
  update_summary (self, "");
}

/* The files outside the collection the refused requests named (their paths expanded without
 * secrets: nothing waits on the keyring here). */
static GPtrArray *
refused_files (SondeRunDialog *self)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->outside->len; i++)
    {
      SondeCollectionNode *node = self->outside->pdata[i];
      g_autoptr(GHashTable) variables = NULL;
      g_autoptr(GHashTable) secret_names = NULL;
      g_autoptr(SondeRequest) effective = NULL;
      g_autoptr(SondeRequest) expanded = NULL;
      g_autoptr(GPtrArray) refused = NULL;

      variables = sonde_collection_build_variables_preview (self->collection, node, NULL, self->environment,
                                                            &secret_names, NULL);
      sonde_variables_merge (variables, self->variables);
      effective = sonde_collection_get_effective_request (self->collection, node, NULL, NULL);
      expanded = effective != NULL && variables != NULL ? sonde_request_expand (effective, variables, NULL) : NULL;
      if (expanded == NULL)
        continue;
      refused = sonde_file_access_list_refused (sonde_file_access_get_default (), expanded);
      for (guint j = 0; j < refused->len; j++)
        if (!g_ptr_array_find_with_equal_func (files, refused->pdata[j], (GEqualFunc) g_file_equal, NULL))
          g_ptr_array_add (files, g_object_ref (refused->pdata[j]));
    }
  return files;
}

static void start_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter);

static void
outside_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     SondeRunDialog   *self)
{
  GPtrArray *files = g_object_get_data (G_OBJECT (dialog), "sonde-files");
  g_autoptr(GError) error = NULL;

  g_signal_handlers_disconnect_by_func (dialog, outside_response_cb, self);
  if (!g_str_equal (response, "allow"))
    return;
  for (guint i = 0; i < files->len; i++)
    if (!sonde_file_access_allow (sonde_file_access_get_default (), sonde_collection_get_dir (self->collection),
                                  files->pdata[i], &error))
      {
        update_summary (self, error->message);
        return;
      }
  start_action (GTK_WIDGET (self), "run.start", NULL);
}

/* Requests of the run wanted files outside the collection: the person decides, once. */
static void
ask_about_outside_files (SondeRunDialog *self)
{
  g_autoptr(GPtrArray) files = refused_files (self);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (files->len == 0)
    return;
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *shown = g_file_get_parse_name (files->pdata[i]);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", shown);
    }
  /* Translators: %s is one or more file paths */
  body = g_strdup_printf (_("Requests of this collection want to read %s, outside it. A collection you got "
                            "from someone else could use this to send your files to a server. Allow it only "
                            "if you trust this collection."), names->str);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Read Files Outside the Collection?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "allow", _("_Allow and Run Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "allow", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sonde-files", g_steal_pointer (&files),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (outside_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_finished_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SondeRunDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean completed = sonde_runner_run_finish (SONDE_RUNNER (object), result, &error);

  set_running (self, FALSE);
  g_clear_object (&self->cancellable);
  if (!completed)
    update_summary (self, _(" — stopped"));
  else if (self->failed == 0)
    update_summary (self, _(" — all passed"));
  else
    update_summary (self, _(" — done"));
  if (completed && self->outside->len > 0)
    ask_about_outside_files (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SondeRunDialog *self = SONDE_RUN_DIALOG (widget);
  g_autoptr(GPtrArray) requests = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);

  g_clear_object (&self->runner);
  self->runner = sonde_runner_new (self->collection, self->folder, self->client);
  sonde_runner_set_environment (self->runner, self->environment);
  sonde_runner_set_secret_store (self->runner, self->secrets);
  sonde_runner_set_variables (self->runner, self->variables);
  sonde_runner_set_iterations (self->runner, gtk_spin_button_get_value_as_int (self->iterations_spin));
  sonde_runner_set_delay (self->runner, gtk_spin_button_get_value_as_int (self->delay_spin));
  sonde_runner_set_bail (self->runner, gtk_switch_get_active (self->bail_switch));
  sonde_runner_set_data_rows (self->runner, self->data_rows);
  sonde_runner_set_keep_responses (self->runner, TRUE);
  g_signal_connect_object (self->runner, "request-finished", G_CALLBACK (request_finished_cb),
                           self, G_CONNECT_SWAPPED);

  requests = sonde_collection_list_requests (self->collection, self->folder);
  self->expected = requests->len * gtk_spin_button_get_value_as_int (self->iterations_spin) *
                   (self->data_rows != NULL ? MAX (self->data_rows->len, 1) : 1);
  self->done = 0;
  self->failed = 0;
  g_ptr_array_set_size (self->outside, 0);
  update_summary (self, "");

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  sonde_runner_run_async (self->runner, self->cancellable, run_finished_cb, g_object_ref (self));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeRunDialog *self = SONDE_RUN_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
data_file_chosen_cb (GtkNativeDialog *chooser,
                     int              response,
                     SondeRunDialog  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && !sonde_run_dialog_set_data_file (self, file, &error))
    gtk_label_set_text (self->summary_label, error->message);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_data_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeRunDialog *self = SONDE_RUN_DIALOG (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a Data File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV or JSON files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (data_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
clear_data_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeRunDialog *self = SONDE_RUN_DIALOG (widget);

  g_clear_pointer (&self->data_rows, g_ptr_array_unref);
  show_data_file (self, NULL);
}

static gboolean
sonde_run_dialog_close_request (GtkWindow *window)
{
  SondeRunDialog *self = SONDE_RUN_DIALOG (window);

  /* Closing stops the run: nothing goes on unseen. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (sonde_run_dialog_parent_class)->close_request (window);
}

static void
sonde_run_dialog_dispose (GObject *object)
{
  SondeRunDialog *self = SONDE_RUN_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_RUN_DIALOG);
  g_clear_object (&self->runner);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->collection);
  g_clear_object (&self->folder);
  g_clear_object (&self->client);
  g_clear_object (&self->environment);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->variables, g_hash_table_unref);
  g_clear_pointer (&self->data_rows, g_ptr_array_unref);
  g_clear_pointer (&self->outside, g_ptr_array_unref);

  G_OBJECT_CLASS (sonde_run_dialog_parent_class)->dispose (object);
}

static void
sonde_run_dialog_class_init (SondeRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sonde_run_dialog_dispose;
  window_class->close_request = sonde_run_dialog_close_request;

  signals[OPEN_RESULT] =
    g_signal_new ("open-result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, title);
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, button_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, iterations_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, delay_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, bail_switch);
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, data_row);
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeRunDialog, results_list);

  gtk_widget_class_install_action (widget_class, "run.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "run.open-result", "u", open_result_action);
  gtk_widget_class_install_action (widget_class, "run.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "run.choose-data", NULL, choose_data_action);
  gtk_widget_class_install_action (widget_class, "run.clear-data", NULL, clear_data_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "run.start", NULL);
}

static void
sonde_run_dialog_init (SondeRunDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->outside = g_ptr_array_new_with_free_func (g_object_unref);
  set_running (self, FALSE);
  show_data_file (self, NULL);
}

SondeRunDialog *
sonde_run_dialog_new (SondeCollection     *collection,
                      SondeCollectionNode *folder,
                      SondeClient         *client,
                      SondeEnvironment    *environment,
                      SondeSecretStore    *secrets,
                      GHashTable          *variables)
{
  SondeRunDialog *self = g_object_new (SONDE_TYPE_RUN_DIALOG, NULL);
  g_autofree char *subtitle = NULL;

  self->collection = g_object_ref (collection);
  self->folder = g_object_ref (folder);
  self->client = g_object_ref (client);
  self->environment = environment != NULL ? g_object_ref (environment) : NULL;
  self->secrets = secrets != NULL ? g_object_ref (secrets) : NULL;
  self->variables = variables != NULL ? g_hash_table_ref (variables) : NULL;

  /* Translators: the window's title, %s a folder or collection name */
  subtitle = g_strdup_printf (_("Run “%s”"), sonde_collection_node_get_name (folder));
  adw_window_title_set_title (self->title, subtitle);
  adw_window_title_set_subtitle (self->title, sonde_collection_get_name (collection));
  gtk_label_set_text (self->summary_label, _("Not run yet"));
  return self;
}

gboolean
sonde_run_dialog_get_running (SondeRunDialog *self)
{
  return self->cancellable != NULL;
}

SondeRunner *
sonde_run_dialog_get_runner (SondeRunDialog *self)
{
  return self->runner;
}

GtkListBox *
sonde_run_dialog_get_results_list (SondeRunDialog *self)
{
  return self->results_list;
}

GtkLabel *
sonde_run_dialog_get_summary_label (SondeRunDialog *self)
{
  return self->summary_label;
}

GtkSpinButton *
sonde_run_dialog_get_iterations_spin (SondeRunDialog *self)
{
  return self->iterations_spin;
}

GtkSwitch *
sonde_run_dialog_get_bail_switch (SondeRunDialog *self)
{
  return self->bail_switch;
}

/* Reads FILE (CSV or JSON rows, sonde-data-file.h) for the next runs: a pass per row. */
gboolean
sonde_run_dialog_set_data_file (SondeRunDialog  *self,
                                GFile           *file,
                                GError         **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (SONDE_IS_RUN_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  rows = sonde_data_file_load (file, error);
  if (rows == NULL)
    return FALSE;
  g_clear_pointer (&self->data_rows, g_ptr_array_unref);
  self->data_rows = rows;
  show_data_file (self, file);
  return TRUE;
}
