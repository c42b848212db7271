/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window and its collection: open and create collections, open their requests in tabs,
 * follow changes on disk, the active environment, and the session restored at the next
 * start. */
#define G_LOG_DOMAIN "sonde-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-environment-editor.h"
#include "sonde-window-private.h"
#include "sonde-run-dialog.h"

/* Pages */

SondeRequestPage *
_sonde_window_find_node_page (SondeWindow         *self,
                              SondeCollectionNode *node)
{
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);
  GFile *file = sonde_collection_node_get_file (node);

  for (int i = 0; i < n_pages; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);
      SondeRequestPage *page = SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab));
      GFile *page_file = sonde_request_get_file (sonde_request_page_get_request (page));

      if (sonde_request_page_get_node (page) == node ||
          (sonde_request_page_get_collection (page) == self->collection &&
           page_file != NULL && g_file_equal (page_file, file)))
        return page;
    }

  return NULL;
}

static SondeRequestPage *
add_node_page (SondeWindow         *self,
               SondeCollectionNode *node,
               int                  position)
{
  g_autoptr(SondeRequest) copy = sonde_request_copy (sonde_collection_node_get_request (node));
  SondeRequestPage *page;
  AdwTabPage *tab;

  if (sonde_request_get_file (copy) == NULL)
    sonde_request_set_file (copy, sonde_collection_node_get_file (node));

  page = sonde_request_page_new (copy);
  sonde_request_page_set_collection (page, self->collection, node);
  sonde_request_page_set_modified (page, FALSE);

  if (self->paned_position > 0)
    gtk_paned_set_position (sonde_request_page_get_paned (page), self->paned_position);
  else
    gtk_paned_set_position (sonde_request_page_get_paned (page), 320);

  if (position >= 0)
    tab = adw_tab_view_insert (self->tab_view, GTK_WIDGET (page), position);
  else
    tab = adw_tab_view_append (self->tab_view, GTK_WIDGET (page));
  adw_tab_view_set_selected_page (self->tab_view, tab);
  _sonde_window_update_tab (self, page);

  return page;
}

static SondeRequestPage *
find_pristine_page (SondeWindow *self)
{
  SondeRequestPage *page = sonde_window_get_current_page (self);
  SondeRequest *request;
  const char *url;

  if (adw_tab_view_get_n_pages (self->tab_view) != 1 || page == NULL)
    return NULL;

  request = sonde_request_page_get_request (page);
  url = sonde_request_get_url (request);
  if (sonde_request_page_get_modified (page) || sonde_request_get_file (request) != NULL ||
      (url != NULL && *url != '\0') || sonde_request_page_get_sending (page))
    return NULL;

  return page;
}

SondeRequestPage *
_sonde_window_open_node (SondeWindow         *self,
                         SondeCollectionNode *node)
{
  SondeRequestPage *page;
  SondeRequestPage *pristine;
  g_autofree char *message = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), NULL);

  if ((page = _sonde_window_find_node_page (self, node)) != NULL)
    {
      adw_tab_view_set_selected_page (self->tab_view, _sonde_window_find_tab (self, page));
      return page;
    }

  if (sonde_collection_node_get_error (node) != NULL)
    {
      message = g_strdup_printf (_("“%s” cannot be opened: %s"), sonde_collection_node_get_name (node),
                                 sonde_collection_node_get_error (node)->message);
      _sonde_window_show_message (self, message);
      return NULL;
    }

  pristine = find_pristine_page (self);
  page = add_node_page (self, node, -1);
  if (pristine != NULL)
    adw_tab_view_close_page (self->tab_view, _sonde_window_find_tab (self, pristine));

  return page;
}

/* Replaces PAGE by a fresh one showing what NODE holds now, at the same place. */
static void
reload_page (SondeWindow         *self,
             SondeRequestPage    *page,
             SondeCollectionNode *node)
{
  AdwTabPage *tab = _sonde_window_find_tab (self, page);
  gboolean selected;
  int position;
  SondeRequestPage *fresh;

  if (tab == NULL || sonde_collection_node_get_request (node) == NULL)
    return;

  position = adw_tab_view_get_page_position (self->tab_view, tab);
  selected = adw_tab_view_get_selected_page (self->tab_view) == tab;
  sonde_request_page_set_modified (page, FALSE);
  fresh = add_node_page (self, node, position);
  adw_tab_view_close_page (self->tab_view, tab);
  if (selected)
    adw_tab_view_set_selected_page (self->tab_view, _sonde_window_find_tab (self, fresh));
}

typedef struct
{
  SondeWindow *self;
  SondeRequestPage *page;
  SondeCollectionNode *node;
} ConflictData;

static void
conflict_data_free (ConflictData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->page);
  g_clear_object (&data->node);
  g_free (data);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      ConflictData     *data)
{
  /* "Keep My Changes": the next save writes them over the file. */
  if (g_strcmp0 (response, "reload") == 0)
    reload_page (data->self, data->page, data->node);
}

static void
request_changed_on_disk_cb (SondeWindow         *self,
                            SondeCollectionNode *node,
                            gboolean             deleted,
                            SondeCollection     *collection)
{
  SondeRequestPage *page = _sonde_window_find_node_page (self, node);
  g_autofree char *heading = NULL;
  ConflictData *data;
  GtkWidget *dialog;

  if (page == NULL)
    return;

  sonde_request_page_set_deleted (page, deleted);
  if (deleted)
    return;

  if (!sonde_request_page_get_modified (page))
    {
      reload_page (self, page, node);
      return;
    }

  heading = g_strdup_printf (_("“%s” Changed on Disk"), sonde_request_page_get_title (page));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Another program changed the file, and this tab has changes that are not saved. Which version do you want to keep?"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep My Changes"),
                                    "reload", _("_Load Version on Disk"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reload",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");

  data = g_new0 (ConflictData, 1);
  data->self = g_object_ref (self);
  data->page = g_object_ref (page);
  data->node = g_object_ref (node);
  g_signal_connect_data (dialog, "response", G_CALLBACK (conflict_response_cb), data,
                         (GClosureNotify) conflict_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Environments */

static void
update_environments (SondeWindow *self)
{
  GListModel *environments = self->collection != NULL ? sonde_collection_get_environments (self->collection) : NULL;
  guint n = environments != NULL ? g_list_model_get_n_items (environments) : 0;
  g_autofree char *active = NULL;
  guint selected = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  self->updating_environments = TRUE;

  if (self->collection != NULL)
    active = sonde_collection_state_get_active_environment (sonde_collection_get_dir (self->collection));

  g_ptr_array_add (names, (gpointer) _("No Environment"));
  g_clear_object (&self->environment);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (environments, i);
      const char *name = sonde_environment_get_name (environment);

      g_ptr_array_add (names, (gpointer) name);
      if (active != NULL && g_strcmp0 (name, active) == 0)
        {
          selected = i + 1;
          g_set_object (&self->environment, environment);
        }
    }
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (self->environment_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->environment_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->environment_dropdown, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->environment_dropdown), self->collection != NULL);

  self->updating_environments = FALSE;
  _sonde_window_update_variables (self);
}

static void
environment_selected_cb (SondeWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->environment_dropdown);
  GListModel *environments;
  g_autoptr(SondeEnvironment) environment = NULL;
  g_autoptr(GError) error = NULL;

  if (self->updating_environments || self->collection == NULL)
    return;

  environments = sonde_collection_get_environments (self->collection);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0)
    environment = g_list_model_get_item (environments, selected - 1);
  g_set_object (&self->environment, environment);
  _sonde_window_update_variables (self);

  /* Local state, never in the collection folder. */
  if (!sonde_collection_state_set_active_environment (sonde_collection_get_dir (self->collection),
                                                      environment != NULL ? sonde_environment_get_name (environment) : NULL,
                                                      &error))
    g_warning ("Could not remember the active environment: %s", error->message);
}

/* The collection */

void
_sonde_window_set_collection (SondeWindow     *self,
                              SondeCollection *collection)
{
  g_autoptr(SondeCookieStore) cookies = NULL;

  if (self->collection == collection)
    return;

  if (self->collection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->collection, self);
      g_signal_handlers_disconnect_by_data (sonde_collection_get_environments (self->collection), self);
    }

  g_set_object (&self->collection, collection);
  g_clear_object (&self->collection_client);

  if (collection != NULL)
    {
      cookies = sonde_cookie_store_new_for_owner (sonde_collection_get_dir (collection));
      sonde_cookie_store_load_async (cookies, NULL, NULL, NULL);
      self->collection_client = _sonde_window_new_client (self);
      sonde_client_set_cookie_store (self->collection_client, cookies);
      if (self->secrets == NULL)
        self->secrets = sonde_secret_store_new ();
      /* OAuth 2.0 tokens outlive the window, in the keyring, per collection */
      {
        g_autofree char *owner = g_file_get_path (sonde_collection_get_dir (collection));

        sonde_client_set_oauth2_token_store (self->collection_client, self->secrets, owner);
      }

      g_signal_connect_object (collection, "request-changed-on-disk",
                               G_CALLBACK (request_changed_on_disk_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sonde_collection_get_environments (collection), "items-changed",
                               G_CALLBACK (update_environments), self, G_CONNECT_SWAPPED);
    }

  sonde_sidebar_set_collection (self->sidebar, collection);
  update_environments (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-collection", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-environments", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-to-collection", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-collection", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-collection", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-folder", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload-collection", collection != NULL);

  if (collection != NULL)
    g_object_set (self, "sidebar-visible", TRUE, NULL);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "collection-path",
                           collection != NULL ? sonde_collection_get_path (collection) : "");
}

typedef struct
{
  SondeWindow *self;
  GFile *dir;
  char **files;   /* opened once the collection is loaded */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->dir);
  g_strfreev (data->files);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void offer_to_create (SondeWindow *self,
                             GFile       *dir);

static void
collection_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  SondeWindow *self = data->self;
  g_autoptr(SondeCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = sonde_collection_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (collection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) && data->files == NULL)
        offer_to_create (self, data->dir);
      else
        {
          g_autofree char *message = g_strdup_printf (_("Could not open the collection: %s"), error->message);

          _sonde_window_show_message (self, message);
        }
      return;
    }

  sonde_collection_watch (collection);
  _sonde_window_set_collection (self, collection);

  for (guint i = 0; data->files != NULL && data->files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (data->files[i]);

      sonde_window_open_file (self, file);
    }
}

void
_sonde_window_open_collection (SondeWindow  *self,
                               GFile        *dir,
                               char        **files_after)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->self = g_object_ref (self);
  data->dir = g_object_ref (dir);
  data->files = g_strdupv (files_after);
  sonde_collection_load_async (dir, self->cancellable, collection_loaded_cb, data);
}

static void
create_collection (SondeWindow *self,
                   GFile       *dir,
                   const char  *name)
{
  g_autoptr(SondeCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = sonde_collection_create (dir, name, &error);
  if (collection == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not create the collection: %s"), error->message);

      _sonde_window_show_message (self, message);
      return;
    }

  sonde_collection_watch (collection);
  _sonde_window_set_collection (self, collection);
}

static void
create_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    SondeWindow      *self)
{
  GFile *dir = g_object_get_data (G_OBJECT (dialog), "dir");
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "create") != 0)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  if (*name == '\0')
    {
      g_free (name);
      name = g_file_get_basename (dir);
    }
  create_collection (self, dir, name);
}

static void
name_entry_activated_cb (GtkEntry         *entry,
                         AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "create");
}

/* Asks for the new collection's name; NOT_A_COLLECTION: DIR has other files already. */
static void
ask_collection_name (SondeWindow *self,
                     GFile       *dir,
                     gboolean     not_a_collection)
{
  g_autofree char *basename = g_file_get_basename (dir);
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   not_a_collection ? _("Make It a Collection?") : _("New Collection"),
                                   not_a_collection
                                   ? _("This folder is not a Sonde collection. Sonde can add a sonde-collection.json file to it; nothing else changes.")
                                   : _("The collection’s name, shown at the top of its tree."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), basename);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Collection name"), -1);
  g_signal_connect (entry, "activate", G_CALLBACK (name_entry_activated_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "create", not_a_collection ? _("_Make Collection") : _("_Create"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "dir", g_object_ref (dir), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (create_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
offer_to_create (SondeWindow *self,
                 GFile       *dir)
{
  _sonde_window_show_message (self, _("This folder is not a Sonde collection"));
  ask_collection_name (self, dir, TRUE);
}

static void
folder_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  SondeWindow     *self)
{
  gboolean create = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "create"));
  g_autoptr(GFile) dir = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    dir = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);

  if (dir != NULL)
    {
      if (create)
        ask_collection_name (self, dir, FALSE);
      else
        _sonde_window_open_collection (self, dir, NULL);
    }

  g_object_unref (self);
}

static void
choose_folder (SondeWindow *self,
               gboolean     create)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (create ? _("New Collection") : _("Open Collection"),
                                        GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                        create ? _("_Create") : _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "create", GINT_TO_POINTER (create));
  g_signal_connect (dialog, "response", G_CALLBACK (folder_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_collection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  choose_folder (SONDE_WINDOW (widget), FALSE);
}

static void
new_collection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  choose_folder (SONDE_WINDOW (widget), TRUE);
}

static void
close_collection_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  _sonde_window_set_collection (SONDE_WINDOW (widget), NULL);
}

/* Save to collection: a lone request tab becomes a request of the collection's root. */
static void
save_to_collection_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);
  SondeCollectionNode *node;
  g_autoptr(GError) error = NULL;
  AdwTabPage *tab;

  if (page == NULL || self->collection == NULL)
    return;
  if (sonde_request_page_get_collection (page) == self->collection)
    {
      _sonde_window_show_message (self, _("The request is in the collection already"));
      return;
    }

  node = sonde_collection_add_request (self->collection, sonde_collection_get_root (self->collection),
                                       sonde_request_page_get_request (page), NULL, &error);
  if (node == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the request: %s"), error->message);

      _sonde_window_show_message (self, message);
      return;
    }

  /* The collection's copy takes the tab's place. */
  tab = _sonde_window_find_tab (self, page);
  sonde_request_page_set_modified (page, FALSE);
  add_node_page (self, node, adw_tab_view_get_page_position (self->tab_view, tab));
  adw_tab_view_close_page (self->tab_view, tab);
}

static void
edit_environments_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeEnvironmentEditor *editor;

  if (self->collection == NULL)
    return;

  if (self->secrets == NULL)
    self->secrets = sonde_secret_store_new ();
  editor = sonde_environment_editor_new (GTK_WINDOW (self), self->collection, self->secrets);
  if (self->environment != NULL)
    sonde_environment_editor_select (editor, sonde_environment_get_name (self->environment));
  /* Renames do not change the list: read the names again when the editor goes. */
  g_signal_connect_object (editor, "destroy", G_CALLBACK (update_environments), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
sidebar_node_activated_cb (SondeWindow         *self,
                           SondeCollectionNode *node)
{
  _sonde_window_open_node (self, node);
  /* Over the request in a narrow window: out of the way once one is chosen */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* "Make Secret…" in the current tab's editor (see sonde-request-editor.h) */
static void
make_secret_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);
  const char *name, *value, *field;

  if (page == NULL)
    return;
  g_variant_get (parameter, "(&s&s&s)", &name, &value, &field);
  _sonde_window_make_secret_cb (self, name, value, field, sonde_request_page_get_editor (page));
}

/* For the widgets inside the window (the sidebar, the history): what failed, as a toast */
static void
show_message_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  _sonde_window_show_message (SONDE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Session */

void
_sonde_window_save_session (SondeWindow *self)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);

  if (self->settings == NULL)
    return;

  for (int i = 0; i < n_pages; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);
      SondeRequestPage *page = SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab));
      GFile *file = sonde_request_get_file (sonde_request_page_get_request (page));

      if (file != NULL && g_file_peek_path (file) != NULL)
        g_ptr_array_add (paths, g_file_get_path (file));
    }
  g_ptr_array_add (paths, NULL);

  g_settings_set_strv (self->settings, "open-files", (const char * const *) paths->pdata);
  g_settings_set_string (self->settings, "collection-path",
                         self->collection != NULL ? sonde_collection_get_path (self->collection) : "");
}

void
_sonde_window_restore_session (SondeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *path = NULL;
  g_auto(GStrv) files = NULL;

  if (self->settings == NULL)
    return;

  /* Only the first window picks up where the last session ended. */
  if (app != NULL)
    for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
      if (l->data != self && SONDE_IS_WINDOW (l->data))
        return;

  path = g_settings_get_string (self->settings, "collection-path");
  files = g_settings_get_strv (self->settings, "open-files");

  /* A collection moved or deleted since is forgotten quietly. */
  if (*path != '\0' && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) dir = g_file_new_for_path (path);

      _sonde_window_open_collection (self, dir, files);
      return;
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (files[i]);

      sonde_window_open_file (self, file);
    }
}

static void
environment_item_setup_cb (GtkSignalListItemFactory *factory,
                           GtkListItem              *item,
                           gpointer                  shrinks)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (shrinks))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 1);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
    }
  gtk_list_item_set_child (item, label);
}

static void
environment_item_bind_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *item,
                          gpointer                  user_data)
{
  GtkStringObject *name = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (name));
}

void
_sonde_window_init_collection (SondeWindow *self)
{
  GtkListItemFactory *button_factory = gtk_signal_list_item_factory_new ();
  GtkListItemFactory *list_factory = gtk_signal_list_item_factory_new ();

  self->environment_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->environment_dropdown, G_LIST_MODEL (self->environment_names));
  /* The button's name is cut in a narrow window; the list shows whole names */
  g_signal_connect (button_factory, "setup", G_CALLBACK (environment_item_setup_cb), GINT_TO_POINTER (TRUE));
  g_signal_connect (button_factory, "bind", G_CALLBACK (environment_item_bind_cb), NULL);
  g_signal_connect (list_factory, "setup", G_CALLBACK (environment_item_setup_cb), GINT_TO_POINTER (FALSE));
  g_signal_connect (list_factory, "bind", G_CALLBACK (environment_item_bind_cb), NULL);
  gtk_drop_down_set_factory (self->environment_dropdown, button_factory);
  gtk_drop_down_set_list_factory (self->environment_dropdown, list_factory);
  g_object_unref (button_factory);
  g_object_unref (list_factory);
  g_signal_connect_object (self->environment_dropdown, "notify::selected",
                           G_CALLBACK (environment_selected_cb), self, G_CONNECT_SWAPPED);
  update_environments (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-collection", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-environments", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-to-collection", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-collection", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-collection", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-folder", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload-collection", FALSE);
}

void
_sonde_window_dispose_collection (SondeWindow *self)
{
  if (self->collection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->collection, self);
      g_signal_handlers_disconnect_by_data (sonde_collection_get_environments (self->collection), self);
    }
  g_clear_object (&self->collection);
  g_clear_object (&self->collection_client);
  g_clear_object (&self->secrets);
  g_clear_object (&self->environment);
  g_clear_object (&self->environment_names);
}

/* A result of the runner, opened: its request in a tab, showing that response. */
static void
open_result_cb (SondeWindow    *self,
                SondeRunResult *result)
{
  SondeRequestPage *page = _sonde_window_open_node (self, result->node);
  SondeResponseView *view;

  if (page == NULL || result->response == NULL)
    return;
  view = sonde_request_page_get_response_view (page);
  sonde_response_view_set_response (view, result->response);
  sonde_response_view_set_checks (view, result->checks);
  gtk_window_present (GTK_WINDOW (self));
}

static void
run_node (SondeWindow         *self,
          SondeCollectionNode *node)
{
  SondeRunDialog *dialog;

  if (self->collection == NULL || node == NULL || self->collection_client == NULL)
    return;
  dialog = sonde_run_dialog_new (self->collection, node, self->collection_client,
                                 sonde_window_get_environment (self), self->secrets, self->run_variables);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "open-result", G_CALLBACK (open_result_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_folder_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  g_autoptr(GFile) file = NULL;

  if (self->collection == NULL)
    return;
  file = g_file_new_for_path (g_variant_get_string (parameter, NULL));
  run_node (self, sonde_collection_find_node (self->collection, file));
}

static void
run_collection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);

  if (self->collection != NULL)
    run_node (self, sonde_collection_get_root (self->collection));
}

static void
collection_reloaded_cb (SondeCollection *collection,
                        SondeWindow     *self)
{
  g_signal_handlers_disconnect_by_func (collection, collection_reloaded_cb, self);
  if (collection == self->collection)
    _sonde_window_show_message (self, _("Collection read again"));
}

/* Reload: where file monitors say nothing (a folder opened through the document portal, a
 * network file system), the tree is brought up to date by hand; in a thread, like a reload
 * after changes on disk. */
static void
reload_collection_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);

  if (self->collection == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->collection, collection_reloaded_cb, self);
  g_signal_connect_object (self->collection, "reloaded", G_CALLBACK (collection_reloaded_cb), self, 0);
  sonde_collection_refresh (self->collection);
}

void
_sonde_window_install_collection_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, sidebar_node_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.show-message", "s", show_message_action);
  gtk_widget_class_install_action (widget_class, "win.make-secret", "(sss)", make_secret_action);

  gtk_widget_class_install_action (widget_class, "win.open-collection", NULL, open_collection_action);
  gtk_widget_class_install_action (widget_class, "win.new-collection", NULL, new_collection_action);
  gtk_widget_class_install_action (widget_class, "win.close-collection", NULL, close_collection_action);
  gtk_widget_class_install_action (widget_class, "win.save-to-collection", NULL, save_to_collection_action);
  gtk_widget_class_install_action (widget_class, "win.edit-environments", NULL, edit_environments_action);
  gtk_widget_class_install_action (widget_class, "win.run-folder", "s", run_folder_action);
  gtk_widget_class_install_action (widget_class, "win.run-collection", NULL, run_collection_action);
  gtk_widget_class_install_action (widget_class, "win.reload-collection", NULL, reload_collection_action);
  gtk_widget_class_install_property_action (widget_class, "win.toggle-sidebar", "sidebar-visible");
}

void
sonde_window_open_collection (SondeWindow *self,
                              GFile       *dir)
{
  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (dir));

  _sonde_window_open_collection (self, dir, NULL);
}

SondeCollection *
sonde_window_get_collection (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  return self->collection;
}

SondeSidebar *
sonde_window_get_sidebar (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  return self->sidebar;
}

SondeRequestPage *
sonde_window_open_node (SondeWindow         *self,
                        SondeCollectionNode *node)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  return _sonde_window_open_node (self, node);
}

void
sonde_window_set_environment (SondeWindow *self,
                              const char  *name)
{
  GListModel *environments;
  guint n;

  g_return_if_fail (SONDE_IS_WINDOW (self));

  if (self->collection == NULL)
    return;

  environments = sonde_collection_get_environments (self->collection);
  n = g_list_model_get_n_items (environments);
  if (name == NULL)
    {
      gtk_drop_down_set_selected (self->environment_dropdown, 0);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (environments, i);

      if (g_strcmp0 (sonde_environment_get_name (environment), name) == 0)
        gtk_drop_down_set_selected (self->environment_dropdown, i + 1);
    }
}

SondeEnvironment *
sonde_window_get_environment (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  return self->environment;
}
