/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-editor-utils.h"
#include "sonde-history-view.h"
#include "sonde-window-private.h"


G_DEFINE_FINAL_TYPE (SondeWindow, sonde_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SIDEBAR_VISIBLE,
  PROP_SIDE_BY_SIDE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


void
_sonde_window_show_message (SondeWindow *self,
                            const char  *message)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_curl_clicked_cb (AdwToast  *toast,
                      GtkWidget *editor)
{
  gtk_widget_activate_action (editor, "editor.undo-curl", NULL);
}

/* A curl command pasted into a page's URL field: what became of it, with Undo. */
static void
request_replaced_cb (SondeWindow        *self,
                     const char         *message,
                     gboolean            replaced,
                     SondeRequestEditor *editor)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_set_timeout (toast, replaced ? 8 : 5);
  if (replaced)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_curl_clicked_cb), editor, 0);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static char *
describe_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  const char *home = g_get_home_dir ();

  if (path == NULL)
    return g_file_get_uri (file);
  if (home != NULL && g_str_has_prefix (path, home) && path[strlen (home)] == G_DIR_SEPARATOR)
    return g_strconcat ("~", path + strlen (home), NULL);
  return g_steal_pointer (&path);
}

AdwTabPage *
_sonde_window_find_tab (SondeWindow      *self,
                        SondeRequestPage *page)
{
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);

  /* The page may have moved to another window, or be closed already. */
  for (int i = 0; i < n_pages; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);

      if (adw_tab_page_get_child (tab) == GTK_WIDGET (page))
        return tab;
    }

  return NULL;
}

static void
update_window_title (SondeWindow *self)
{
  SondeRequestPage *page = sonde_window_get_current_page (self);
  GFile *file = page != NULL ? sonde_request_get_file (sonde_request_page_get_request (page)) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (page == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Sonde"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Sonde"));
      return;
    }

  title = sonde_request_page_get_modified (page)
          ? g_strdup_printf ("• %s", sonde_request_page_get_title (page))
          : g_strdup (sonde_request_page_get_title (page));
  if (sonde_request_page_get_collection (page) != NULL && sonde_request_page_get_node (page) != NULL)
    {
      g_autofree char *path = sonde_collection_node_dup_path (sonde_request_page_get_node (page));

      subtitle = g_strdup_printf ("%s / %s", sonde_collection_get_name (sonde_request_page_get_collection (page)), path);
    }
  else
    subtitle = file != NULL ? describe_file (file) : NULL;
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

void
_sonde_window_update_tab (SondeWindow      *self,
                          SondeRequestPage *page)
{
  AdwTabPage *tab = _sonde_window_find_tab (self, page);
  GFile *file = sonde_request_get_file (sonde_request_page_get_request (page));
  g_autofree char *title = NULL;
  g_autofree char *tooltip = NULL;

  if (tab == NULL)
    return;

  /* The unsaved mark is part of the title so that it reads the same to screen readers. */
  title = sonde_request_page_get_modified (page)
          ? g_strdup_printf ("• %s", sonde_request_page_get_title (page))
          : g_strdup (sonde_request_page_get_title (page));
  if (sonde_request_page_get_collection (page) != NULL && sonde_request_page_get_node (page) != NULL)
    tooltip = sonde_collection_node_dup_path (sonde_request_page_get_node (page));
  else
    tooltip = file != NULL ? describe_file (file) : g_strdup (_("Not saved yet"));

  if (sonde_request_page_get_deleted (page))
    {
      g_autofree char *deleted = g_strdup_printf (_("%s (deleted on disk)"), title);
      g_autoptr(GIcon) icon = g_themed_icon_new ("dialog-warning-symbolic");

      g_free (title);
      title = g_steal_pointer (&deleted);
      adw_tab_page_set_indicator_icon (tab, icon);
      adw_tab_page_set_indicator_tooltip (tab, _("The file was deleted; saving creates it again"));
    }
  else
    adw_tab_page_set_indicator_icon (tab, NULL);

  adw_tab_page_set_title (tab, title);
  adw_tab_page_set_tooltip (tab, tooltip);
  adw_tab_page_set_loading (tab, sonde_request_page_get_sending (page));

  if (page == sonde_window_get_current_page (self))
    update_window_title (self);
}

static void
update_actions (SondeWindow *self)
{
  SondeRequestPage *page = sonde_window_get_current_page (self);
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_page = page != NULL;

  gtk_widget_action_set_enabled (widget, "win.close-tab", has_page);
  gtk_widget_action_set_enabled (widget, "win.send-request", has_page);
  gtk_widget_action_set_enabled (widget, "win.cancel-request",
                                 has_page && sonde_request_page_get_sending (page));
  gtk_widget_action_set_enabled (widget, "win.focus-url", has_page);
  gtk_widget_action_set_enabled (widget, "win.disconnect", has_page && sonde_request_page_get_connected (page));
  gtk_widget_action_set_enabled (widget, "win.websocket-send-message",
                                 has_page && sonde_request_page_get_connected (page));
  gtk_widget_action_set_enabled (widget, "win.websocket-send-all",
                                 has_page && sonde_request_page_get_connected (page));
  gtk_widget_action_set_enabled (widget, "win.save", has_page);
  gtk_widget_action_set_enabled (widget, "win.save-as", has_page);
  gtk_widget_action_set_enabled (widget, "win.search-response", has_page);
  gtk_widget_action_set_enabled (widget, "win.copy-as-code", has_page);
}

static void
page_state_changed_cb (SondeWindow      *self,
                       GParamSpec       *pspec,
                       SondeRequestPage *page)
{
  _sonde_window_update_tab (self, page);
  if (page == sonde_window_get_current_page (self))
    update_actions (self);
}

/* Saved under another name, or moved with its node: the tab's tooltip and the window's
 * subtitle name the file. */
static void
request_file_changed_cb (SondeRequestPage *page)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (page), SONDE_TYPE_WINDOW);

  if (window != NULL)
    _sonde_window_update_tab (SONDE_WINDOW (window), page);
}

static void
paned_position_changed_cb (SondeWindow *self,
                           GParamSpec  *pspec,
                           GtkPaned    *paned)
{
  /* The split kept is the stacked one's (a height) */
  if (gtk_widget_get_mapped (GTK_WIDGET (paned)) &&
      gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) == GTK_ORIENTATION_VERTICAL)
    self->paned_position = gtk_paned_get_position (paned);
}

/* The response beside the request when asked for and the window is wide enough for both
 * (the sidebar not folded away); under it otherwise */
static void
update_page_layout (SondeWindow      *self,
                    SondeRequestPage *page)
{
  GtkPaned *paned = sonde_request_page_get_paned (page);
  GtkOrientation orientation = self->side_by_side && !adw_flap_get_folded (self->flap)
                               ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL;

  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) == orientation)
    return;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (paned), orientation);
  /* Beside: half each of what the sidebar leaves (the window's default width before it is
   * shown), until the person drags */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self));
      int height;

      if (width <= 0)
        gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (adw_flap_get_reveal_flap (self->flap) && !adw_flap_get_folded (self->flap))
        width -= MAX (gtk_widget_get_width (GTK_WIDGET (self->sidebar)), 260);
      gtk_paned_set_position (paned, MAX (width / 2, 300));
    }
  else if (self->paned_position > 0)
    gtk_paned_set_position (paned, self->paned_position);
}

/* New Tab and Open are in the main menu too: a narrow window gives their room to the title.
 * Not while the flap is being allocated (hiding a header button then is a GTK warning). */
static gboolean
update_header_buttons (gpointer data)
{
  SondeWindow *self = data;
  gboolean wide = !adw_flap_get_folded (self->flap);

  self->folded_idle = 0;
  gtk_widget_set_visible (self->new_tab_button, wide);
  gtk_widget_set_visible (self->open_button, wide);
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    {
      SondeRequestPage *page = SONDE_REQUEST_PAGE (adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i)));

      sonde_response_view_set_compact (sonde_request_page_get_response_view (page), !wide);
    }
  return G_SOURCE_REMOVE;
}

static void
update_layout (SondeWindow *self);

static void
folded_changed_cb (SondeWindow *self)
{
  if (self->folded_idle == 0)
    self->folded_idle = g_idle_add (update_header_buttons, self);
  update_layout (self);
}

static void
update_layout (SondeWindow *self)
{
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tab_view); i++)
    update_page_layout (self, SONDE_REQUEST_PAGE (adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i))));
}

static void
selected_page_changed_cb (SondeWindow *self)
{
  SondeRequestPage *page = sonde_window_get_current_page (self);

  gtk_stack_set_visible_child_name (self->main_stack, page != NULL ? "tabs" : "empty");
  /* Set once it is shown: the app's symbolic icon is an SVG, and loading the first SVG loads
   * librsvg (6 MiB resident), which no icon of a window with a tab needs. */
  if (page == NULL)
    adw_status_page_set_icon_name (self->empty_page, "io.github.sonde.Sonde-symbolic");

  /* Every tab shares the split the user chose last. */
  if (page != NULL && self->paned_position > 0)
    gtk_paned_set_position (sonde_request_page_get_paned (page), self->paned_position);

  update_window_title (self);
  update_actions (self);
}

SondeRequestPage *
sonde_window_add_request (SondeWindow  *self,
                          SondeRequest *request)
{
  g_autoptr(SondeRequest) new_request = NULL;
  SondeRequestPage *page;
  AdwTabPage *tab;
  GtkPaned *paned;

  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);
  g_return_val_if_fail (request == NULL || SONDE_IS_REQUEST (request), NULL);

  if (request == NULL)
    request = new_request = sonde_request_new ();

  page = sonde_request_page_new (request);
  /* Whatever setting up the editor touched, a page starts unmodified. */
  sonde_request_page_set_modified (page, FALSE);

  paned = sonde_request_page_get_paned (page);
  if (self->paned_position > 0)
    gtk_paned_set_position (paned, self->paned_position);
  else
    {
      int width, height = gtk_widget_get_height (GTK_WIDGET (self));

      /* Not allocated yet: the size it is about to get. */
      if (height <= 0)
        gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      gtk_paned_set_position (paned, MAX (260, height * 2 / 5));
    }

  /* page_attached_cb connects the page to the window. */
  tab = adw_tab_view_append (self->tab_view, GTK_WIDGET (page));
  adw_tab_view_set_selected_page (self->tab_view, tab);
  sonde_request_editor_focus_url (sonde_request_page_get_editor (page));

  return page;
}

static void
request_sent_cb (SondeWindow   *self,
                 SondeRequest  *request,
                 SondeResponse *response,
                 const GError  *error)
{
  if (self->history != NULL)
    sonde_history_add (self->history, request, response, error);
  /* Captures may have set variables the editors show. */
  if (response != NULL && g_hash_table_size (self->run_variables) > 0)
    _sonde_window_update_variables (self);
}

/* Pages move between windows when their tab is dragged: each window follows the pages it
 * holds, from "page-attached" to "page-detached". */
static void
page_attached_cb (SondeWindow *self,
                  AdwTabPage  *tab,
                  int          position,
                  AdwTabView  *tab_view)
{
  SondeRequestPage *page = SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab));

  /* Captured values are the window's, for every tab in it. */
  sonde_request_page_set_run_variables (page, self->run_variables, self->run_secrets);
  g_signal_connect_object (sonde_request_page_get_paned (page), "notify::position",
                           G_CALLBACK (paned_position_changed_cb), self, G_CONNECT_SWAPPED);
  update_page_layout (self, page);
  sonde_response_view_set_compact (sonde_request_page_get_response_view (page), adw_flap_get_folded (self->flap));
  g_signal_connect_object (page, "notify::title", G_CALLBACK (page_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::modified", G_CALLBACK (page_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::connected", G_CALLBACK (page_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::sending", G_CALLBACK (page_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::deleted", G_CALLBACK (page_state_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "request-sent", G_CALLBACK (request_sent_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sonde_request_page_get_request (page), "notify::file",
                           G_CALLBACK (request_file_changed_cb), page, G_CONNECT_SWAPPED);
  g_signal_connect_object (sonde_request_page_get_editor (page), "request-replaced",
                           G_CALLBACK (request_replaced_cb), self, G_CONNECT_SWAPPED);
  _sonde_window_update_tab (self, page);
  _sonde_window_update_page_variables (self, page);
}

static void
page_detached_cb (SondeWindow *self,
                  AdwTabPage  *tab,
                  int          position,
                  AdwTabView  *tab_view)
{
  SondeRequestPage *page = SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab));

  g_signal_handlers_disconnect_by_data (sonde_request_page_get_paned (page), self);
  g_signal_handlers_disconnect_by_data (page, self);
  g_signal_handlers_disconnect_by_data (sonde_request_page_get_request (page), self);
  g_signal_handlers_disconnect_by_data (sonde_request_page_get_editor (page), self);
}

/* A tab dropped outside of any window opens in a new one. */
static AdwTabView *
create_window_cb (SondeWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  SondeWindow *window;
  AdwTabPage *fresh;

  if (!SONDE_IS_APPLICATION (app))
    return NULL;

  window = sonde_window_new (SONDE_APPLICATION (app));
  /* The dropped tab takes the place of the new window's fresh one. */
  fresh = adw_tab_view_get_selected_page (window->tab_view);
  if (fresh != NULL)
    adw_tab_view_close_page (window->tab_view, fresh);
  gtk_window_present (GTK_WINDOW (window));

  return window->tab_view;
}

/* A file of the document portal: in the sandbox at /run/flatpak/doc, outside it (and
 * seen so by some apps inside) at $XDG_RUNTIME_DIR/doc. */
static gboolean
is_portal_document (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *user_documents = g_strconcat (g_get_user_runtime_dir (), "/doc/", NULL);

  return path != NULL && (g_str_has_prefix (path, "/run/flatpak/doc/") ||
                          g_str_has_prefix (path, user_documents));
}

void
sonde_window_open_or_import (SondeWindow *self,
                             GFile       *file)
{
  g_autofree char *base = g_file_get_basename (file);
  g_autoptr(GFile) marker = g_file_get_child (file, SONDE_COLLECTION_FILE);

  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* A collection folder opens (from its folder or its sonde-collection.json, what a file
   * manager opens); a request file opens in a tab; anything else is imported. */
  if (g_file_query_exists (marker, NULL))
    sonde_window_open_collection (self, file);
  else if (g_strcmp0 (base, SONDE_COLLECTION_FILE) == 0 &&
           g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR)
    {
      g_autoptr(GFile) dir = g_file_get_parent (file);

      /* The document portal (a file manager opening the file for the Flatpak) hands over the
       * one file, never the folder beside it. */
      if (is_portal_document (file))
        _sonde_window_show_message (self, _("Sonde was given “sonde-collection.json” without its "
                                            "folder: open the collection’s folder with Open (Ctrl+O)"));
      else
        sonde_window_open_collection (self, dir);
    }
  else if (base != NULL && (g_str_has_suffix (base, ".request.json") ||
                            g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_UNKNOWN))
    sonde_window_open_file (self, file);
  else
    sonde_window_import_file (self, file, NULL);
}

static gboolean
files_dropped_cb (SondeWindow   *self,
                  const GValue  *value,
                  double         x,
                  double         y,
                  GtkDropTarget *target)
{
  GdkFileList *list;
  g_autoptr(GSList) files = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  for (GSList *l = files; l != NULL; l = l->next)
    sonde_window_open_or_import (self, l->data);

  return TRUE;
}

/* A client with the user's settings (the window's sessions, collections and files each
 * have their own, for their cookie jars). */
static void
apply_settings (SondeWindow *self,
                SondeClient *client)
{
  g_autoptr(SondeRequestOptions) defaults = NULL;
  g_autofree char *proxy_mode = NULL;
  g_autofree char *proxy_url = NULL;

  if (self->settings == NULL || client == NULL)
    return;

  /* Preferences (docs/preferences): what a request that says nothing gets */
  sonde_client_set_default_max_body_size (client, g_settings_get_uint64 (self->settings, "max-body-size"));
  sonde_client_set_memory_threshold (client, g_settings_get_uint64 (self->settings, "memory-threshold"));
  defaults = sonde_request_options_new ();
  sonde_request_options_set_timeout (defaults, g_settings_get_double (self->settings, "request-timeout"));
  sonde_request_options_set_follow_redirects (defaults, g_settings_get_boolean (self->settings, "follow-redirects"));
  sonde_request_options_set_max_redirects (defaults, g_settings_get_int (self->settings, "max-redirects"));
  sonde_request_options_set_verify_tls (defaults, g_settings_get_boolean (self->settings, "verify-tls"));
  proxy_mode = g_settings_get_string (self->settings, "proxy-mode");
  proxy_url = g_settings_get_string (self->settings, "proxy-url");
  if (g_str_equal (proxy_mode, "none"))
    sonde_request_options_set_proxy_mode (defaults, SONDE_PROXY_NONE);
  else if (g_str_equal (proxy_mode, "custom") && proxy_url[0] != '\0')
    {
      sonde_request_options_set_proxy_mode (defaults, SONDE_PROXY_CUSTOM);
      sonde_request_options_set_proxy_url (defaults, proxy_url);
    }
  sonde_client_set_default_options (client, defaults);
}

static void
settings_changed_cb (SondeWindow *self,
                     const char  *key)
{
  GHashTableIter iter;
  gpointer client;

  if (g_str_equal (key, "history-size"))
    {
      sonde_history_set_max_entries (self->history, g_settings_get_uint (self->settings, "history-size"));
      return;
    }
  apply_settings (self, self->client);
  apply_settings (self, self->collection_client);
  if (self->file_clients == NULL)
    return;
  g_hash_table_iter_init (&iter, self->file_clients);
  while (g_hash_table_iter_next (&iter, NULL, &client))
    apply_settings (self, client);
}

SondeClient *
_sonde_window_new_client (SondeWindow *self)
{
  SondeClient *client = sonde_client_new ();

  apply_settings (self, client);
  return client;
}

/* Window state */

static void
restore_window_state (SondeWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Without the schema (an uninstalled build run by hand), the window just uses defaults. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);
      return;
    }

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  self->paned_position = g_settings_get_int (self->settings, "paned-position");
}

static void
save_window_state (SondeWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  _sonde_window_save_session (self);
  if (self->paned_position > 0)
    g_settings_set_int (self->settings, "paned-position", self->paned_position);
  g_settings_apply (self->settings);
}

static guint
count_modified_pages (SondeWindow *self)
{
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);
  guint count = 0;

  for (int i = 0; i < n_pages; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);

      if (sonde_request_page_get_modified (SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab))))
        count++;
    }

  return count;
}

static void
close_window_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          SondeWindow      *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    {
      self->closing_confirmed = TRUE;
      /* The dialog outlives the window it is for by a moment: detached first, it does not
       * reach for the freed window when it goes */
      gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
      gtk_window_close (GTK_WINDOW (self));
    }
}

static gboolean
sonde_window_close_request (GtkWindow *window)
{
  SondeWindow *self = SONDE_WINDOW (window);
  guint n_modified = count_modified_pages (self);

  save_window_state (self);

  if (n_modified > 0 && !self->closing_confirmed)
    {
      g_autofree char *body = NULL;
      GtkWidget *dialog;

      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u request has changes that are not saved.",
                                           "%u requests have changes that are not saved.",
                                           n_modified),
                              n_modified);
      dialog = adw_message_dialog_new (window, _("Discard Unsaved Changes?"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "discard", _("_Discard All"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (close_window_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  return GTK_WINDOW_CLASS (sonde_window_parent_class)->close_request (window);
}

static void
sonde_window_dispose (GObject *object)
{
  SondeWindow *self = SONDE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->folded_idle, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_WINDOW);

  _sonde_window_dispose_collection (self);
  g_clear_object (&self->history);
  g_clear_pointer (&self->run_variables, g_hash_table_unref);
  g_clear_pointer (&self->run_secrets, g_hash_table_unref);
  g_clear_object (&self->client);
  g_clear_pointer (&self->file_clients, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sonde_window_parent_class)->dispose (object);
}

static void
sonde_window_finalize (GObject *object)
{
  SondeWindow *self = SONDE_WINDOW (object);

  g_clear_pointer (&self->last_message, g_free);

  G_OBJECT_CLASS (sonde_window_parent_class)->finalize (object);
}

/* Also when the flap folds away by itself (a narrow window) or is swiped */
static void
flap_revealed_cb (SondeWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_VISIBLE]);
}

static void
sonde_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SondeWindow *self = SONDE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDE_BY_SIDE:
      g_value_set_boolean (value, self->side_by_side);
      break;

    case PROP_SIDEBAR_VISIBLE:
      /* Asked for by the action while the template is not built yet, or gone. */
      g_value_set_boolean (value, self->flap == NULL || adw_flap_get_reveal_flap (self->flap));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SondeWindow *self = SONDE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDE_BY_SIDE:
      if (self->side_by_side == g_value_get_boolean (value))
        return;
      self->side_by_side = g_value_get_boolean (value);
      if (self->flap != NULL)
        update_layout (self);
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_SIDEBAR_VISIBLE:
      /* flap_revealed_cb notifies */
      if (self->flap != NULL)
        adw_flap_set_reveal_flap (self->flap, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sonde_window_parent_class)->realize (widget);

  /* Needs the application, which is set after init. */
  if (!SONDE_WINDOW (widget)->restored)
    {
      SONDE_WINDOW (widget)->restored = TRUE;
      _sonde_window_restore_session (SONDE_WINDOW (widget));
    }
}

static void
history_entry_activated_cb (SondeWindow       *self,
                            SondeHistoryEntry *entry)
{
  g_autoptr(SondeRequest) request = sonde_history_entry_dup_request (entry);

  if (request != NULL)
    sonde_window_add_request (self, request);
}

/* The entry of the history with ID, or NULL when it is gone (deleted, or dropped beyond the
 * history's size) */
static SondeHistoryEntry *
find_history_entry (SondeWindow *self,
                    const char  *id)
{
  guint n = self->history != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->history)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->history), i);

      if (g_str_equal (sonde_history_entry_get_id (entry), id))
        return entry; /* the history keeps it alive */
    }

  return NULL;
}

/* "Save to Collection…" in the history (s: the entry's id): into the open collection's
 * root, else a lone file chosen with Save As. */
static void
save_history_entry_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeHistoryEntry *entry = find_history_entry (self, g_variant_get_string (parameter, NULL));
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  SondeCollectionNode *node;

  if (entry != NULL)
    request = sonde_history_entry_dup_request (entry);
  if (request == NULL)
    return;

  if (self->collection == NULL)
    {
      sonde_window_add_request (self, request);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.save-as", NULL);
      return;
    }

  node = sonde_collection_add_request (self->collection, sonde_collection_get_root (self->collection),
                                       request, NULL, &error);
  if (node == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the request: %s"), error->message);

      _sonde_window_show_message (self, message);
      return;
    }
  _sonde_window_open_node (self, node);
}

static void
sonde_window_class_init (SondeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sonde_window_dispose;
  object_class->finalize = sonde_window_finalize;
  object_class->get_property = sonde_window_get_property;
  object_class->set_property = sonde_window_set_property;
  window_class->close_request = sonde_window_close_request;
  widget_class->realize = sonde_window_realize;

  properties[PROP_SIDEBAR_VISIBLE] =
    g_param_spec_boolean ("sidebar-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The response beside the request rather than under it ("side-by-side" in GSettings) */
  properties[PROP_SIDE_BY_SIDE] =
    g_param_spec_boolean ("side-by-side", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_install_property_action (widget_class, "win.side-by-side", "side-by-side");

  g_type_ensure (SONDE_TYPE_REQUEST_PAGE);
  g_type_ensure (SONDE_TYPE_SIDEBAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, tab_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, new_tab_button);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, open_button);
  gtk_widget_class_bind_template_callback (widget_class, flap_revealed_cb);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SondeWindow, environment_dropdown);

  _sonde_window_install_actions (widget_class);
  _sonde_window_install_import_actions (widget_class);
  _sonde_window_install_collection_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "win.save-history-entry", "s", save_history_entry_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  /* Also when nothing has the focus (Send clicked with the mouse): the window's own binding,
   * reached after every widget, so search bars and entries keep their Escape. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-request", NULL);
}

static void
sonde_window_init (SondeWindow *self)
{
  GtkDropTarget *drop_target;
  GtkWidget *history_view;

  self->cancellable = g_cancellable_new ();
  self->run_variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->run_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  sonde_menu_button_set_menu_later (self->primary_menu_button, self->primary_menu);

  /* libadwaita stripes the header bar of a development build. */
  if (g_str_equal (PROFILE, "development"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  restore_window_state (self);
  _sonde_window_init_collection (self);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "side-by-side", self, "side-by-side", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (folded_changed_cb), self, G_CONNECT_SWAPPED);

  /* One history for all windows, loaded once. */
  self->history = g_object_ref (sonde_history_get_default ());
  if (self->settings != NULL)
    {
      sonde_history_set_max_entries (self->history, g_settings_get_uint (self->settings, "history-size"));
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  history_view = sonde_history_view_new (self->history);
  g_signal_connect_object (history_view, "entry-activated", G_CALLBACK (history_entry_activated_cb),
                           self, G_CONNECT_SWAPPED);
  sonde_sidebar_set_history_view (self->sidebar, history_view);

  g_signal_connect_object (self->tab_view, "close-page", G_CALLBACK (_sonde_window_close_page_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "notify::selected-page",
                           G_CALLBACK (selected_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "page-attached",
                           G_CALLBACK (page_attached_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "page-detached",
                           G_CALLBACK (page_detached_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tab_view, "create-window",
                           G_CALLBACK (create_window_cb), self, G_CONNECT_SWAPPED);

  /* *.request.json files dropped on the window open in tabs. */
  drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop_target, "drop", G_CALLBACK (files_dropped_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  /* A new window opens on a fresh request; closing the last tab shows the empty state. */
  sonde_window_add_request (self, NULL);
  selected_page_changed_cb (self);
}

SondeWindow *
sonde_window_new (SondeApplication *app)
{
  return g_object_new (SONDE_TYPE_WINDOW, "application", app, NULL);
}

AdwTabView *
sonde_window_get_tab_view (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  return self->tab_view;
}

SondeRequestPage *
sonde_window_get_current_page (SondeWindow *self)
{
  AdwTabPage *tab;

  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  tab = adw_tab_view_get_selected_page (self->tab_view);
  return tab != NULL ? SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab)) : NULL;
}

const char *
sonde_window_get_last_message (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  return self->last_message;
}

SondeHistory *
sonde_window_get_history (SondeWindow *self)
{
  g_return_val_if_fail (SONDE_IS_WINDOW (self), NULL);

  return self->history;
}
