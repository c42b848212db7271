/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions: open, save, close with confirmation, send and cancel. */
#define G_LOG_DOMAIN "sonde-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-cookies-dialog.h"
#include "sonde-copy-as-dialog.h"
#include "sonde-preferences-window.h"
#include "sonde-window-private.h"

static void save_page (SondeWindow      *self,
                       SondeRequestPage *page,
                       gboolean          save_as,
                       gboolean          close_after);

/* A fresh tab nobody has touched: opening a file takes its place. */
static gboolean
page_is_pristine (SondeRequestPage *page)
{
  SondeRequest *request = sonde_request_page_get_request (page);
  const char *url = sonde_request_get_url (request);

  return !sonde_request_page_get_modified (page) &&
         sonde_request_get_file (request) == NULL &&
         (url == NULL || *url == '\0') &&
         !sonde_request_page_get_sending (page);
}

static SondeRequestPage *
find_page_for_file (SondeWindow *self,
                    GFile       *file)
{
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);

  for (int i = 0; i < n_pages; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);
      SondeRequestPage *page = SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab));
      GFile *page_file = sonde_request_get_file (sonde_request_page_get_request (page));

      if (page_file != NULL && g_file_equal (page_file, file))
        return page;
    }

  return NULL;
}

static void
select_page (SondeWindow      *self,
             SondeRequestPage *page)
{
  AdwTabPage *tab = _sonde_window_find_tab (self, page);

  if (tab != NULL)
    adw_tab_view_set_selected_page (self->tab_view, tab);
}

/* Shows the tab of FILE in whichever window of the application has it open. */
static gboolean
show_open_file (SondeWindow *self,
                GFile       *file)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GList) windows = NULL;
  SondeRequestPage *existing;

  if ((existing = find_page_for_file (self, file)) != NULL)
    {
      select_page (self, existing);
      return TRUE;
    }

  windows = app != NULL ? g_list_copy (gtk_application_get_windows (app)) : NULL;
  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (!SONDE_IS_WINDOW (l->data) || l->data == self)
        continue;
      if ((existing = find_page_for_file (l->data, file)) != NULL)
        {
          select_page (l->data, existing);
          gtk_window_present (l->data);
          return TRUE;
        }
    }

  return FALSE;
}

/* Open */

typedef struct
{
  SondeWindow *self;
  GFile *file;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenData, open_data_free)

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OpenData) data = user_data;
  SondeWindow *self = data->self;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  SondeRequestPage *pristine = NULL;

  request = sonde_request_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (request == NULL)
    {
      g_autofree char *name = g_file_get_basename (data->file);
      g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"), name, error->message);

      _sonde_window_show_message (self, message);
      return;
    }

  /* Opened twice while loading. */
  if (show_open_file (self, data->file))
    return;

  if (sonde_request_get_file (request) == NULL)
    sonde_request_set_file (request, data->file);

  if (adw_tab_view_get_n_pages (self->tab_view) == 1 &&
      page_is_pristine (sonde_window_get_current_page (self)))
    pristine = sonde_window_get_current_page (self);

  sonde_window_add_request (self, request);

  if (pristine != NULL && _sonde_window_find_tab (self, pristine) != NULL)
    adw_tab_view_close_page (self->tab_view, _sonde_window_find_tab (self, pristine));
}

void
sonde_window_open_file (SondeWindow *self,
                        GFile       *file)
{
  OpenData *data;

  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (show_open_file (self, file))
    return;

  if (self->collection != NULL)
    {
      SondeCollectionNode *node = sonde_collection_find_node (self->collection, file);

      if (node != NULL && sonde_collection_node_get_kind (node) == SONDE_COLLECTION_NODE_REQUEST)
        {
          _sonde_window_open_node (self, node);
          return;
        }
    }

  data = g_new0 (OpenData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  sonde_request_load_async (file, NULL, self->cancellable, load_cb, data);
}

/* File choosers start in the folder the last one ended in. */
static void
use_last_folder (SondeWindow    *self,
                 GtkFileChooser *chooser)
{
  g_autofree char *uri = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->settings == NULL)
    return;

  uri = g_settings_get_string (self->settings, "last-folder");
  if (*uri == '\0')
    return;

  folder = g_file_new_for_uri (uri);
  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

static void
remember_folder (SondeWindow *self,
                 GFile       *file)
{
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = NULL;

  if (self->settings == NULL || folder == NULL)
    return;

  uri = g_file_get_uri (folder);
  g_settings_set_string (self->settings, "last-folder", uri);
}

static GtkFileFilter *
request_file_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Request Files"));
  gtk_file_filter_add_pattern (filter, "*.request.json");
  return filter;
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  SondeWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          if (i == 0)
            remember_folder (self, file);
          sonde_window_open_file (self, file);
        }
    }

  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) all_files = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) request_files = request_file_filter ();

  dialog = gtk_file_chooser_native_new (_("Open Request"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), request_files);
  gtk_file_filter_set_name (all_files, _("All Files"));
  gtk_file_filter_add_pattern (all_files, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all_files);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), request_files);
  use_last_folder (self, GTK_FILE_CHOOSER (dialog));

  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Save */

typedef struct
{
  SondeWindow *self;
  SondeRequestPage *page;
  gboolean close_after;
} SaveData;

static SaveData *
save_data_new (SondeWindow      *self,
               SondeRequestPage *page,
               gboolean          close_after)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->self = g_object_ref (self);
  data->page = g_object_ref (page);
  data->close_after = close_after;
  return data;
}

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->page);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
finish_close (SaveData *data,
              gboolean  confirm)
{
  AdwTabPage *tab;

  if (!data->close_after)
    return;

  tab = _sonde_window_find_tab (data->self, data->page);
  if (tab != NULL)
    adw_tab_view_close_page_finish (data->self->tab_view, tab, confirm);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GError) error = NULL;
  SondeRequest *request = SONDE_REQUEST (object);

  if (!sonde_request_save_finish (request, result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the request: %s"), error->message);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sonde_window_show_message (data->self, message);
      finish_close (data, FALSE);
      return;
    }

  sonde_request_page_set_modified (data->page, FALSE);
  _sonde_window_update_tab (data->self, data->page);
  finish_close (data, TRUE);
}

static void
collection_save_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_collection_save_request_finish (SONDE_COLLECTION (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the request: %s"), error->message);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sonde_window_show_message (data->self, message);
      finish_close (data, FALSE);
      return;
    }

  /* Written again after a delete: the page follows the node now in the tree. */
  if (sonde_request_page_get_deleted (data->page))
    {
      SondeCollection *collection = SONDE_COLLECTION (object);
      SondeCollectionNode *node = sonde_request_page_get_node (data->page);
      SondeCollectionNode *current = sonde_collection_find_node (collection, sonde_collection_node_get_file (node));

      if (current != NULL && current != node)
        sonde_request_page_set_collection (data->page, collection, current);
      sonde_request_page_set_deleted (data->page, FALSE);
    }
  sonde_request_page_set_modified (data->page, FALSE);
  _sonde_window_update_tab (data->self, data->page);
  finish_close (data, TRUE);
}

/* A request of a collection is written through the collection (one file changes), in a
 * thread. A file deleted meanwhile is written again and its node goes back in the tree. */
static void
save_collection_page (SaveData *data)
{
  SondeCollection *collection = sonde_request_page_get_collection (data->page);
  SondeCollectionNode *node = sonde_request_page_get_node (data->page);
  SondeRequest *request = sonde_request_page_get_request (data->page);
  SondeCollectionNode *current = sonde_collection_find_node (collection, sonde_collection_node_get_file (node));

  if (current != NULL && current != node && !sonde_request_page_get_deleted (data->page))
    sonde_request_page_set_collection (data->page, collection, current);
  else
    current = node;
  sonde_collection_save_request_async (collection, current, request, NULL, collection_save_cb, data);
}

static void
save_page_to (SaveData *data,
              GFile    *file)
{
  SondeRequest *request = sonde_request_page_get_request (data->page);

  sonde_request_save_async (request, file, NULL, save_cb, data);
}

static void
save_as_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     SaveData        *data)
{
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);

  if (chosen == NULL)
    {
      finish_close (data, FALSE);
      save_data_free (data);
      return;
    }

  /* Collections find requests by their suffix. */
  if (!g_str_has_suffix (g_file_peek_path (chosen), ".request.json"))
    {
      g_autofree char *basename = g_file_get_basename (chosen);
      g_autofree char *stem = g_str_has_suffix (basename, ".json")
                              ? g_strndup (basename, strlen (basename) - strlen (".json"))
                              : g_strdup (basename);
      g_autofree char *name = g_strconcat (stem, ".request.json", NULL);
      g_autoptr(GFile) parent = g_file_get_parent (chosen);

      file = g_file_get_child (parent, name);
    }
  else
    file = g_steal_pointer (&chosen);

  remember_folder (data->self, file);
  save_page_to (data, file);
}

static char *
suggest_file_name (SondeRequestPage *page)
{
  const char *name = sonde_request_get_name (sonde_request_page_get_request (page));
  GString *slug = g_string_new (NULL);

  for (const char *p = name != NULL ? name : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));

      if (g_unichar_isalnum (c))
        g_string_append_unichar (slug, c);
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "request");

  g_string_append (slug, ".request.json");
  return g_string_free (slug, FALSE);
}

static void
save_page (SondeWindow      *self,
           SondeRequestPage *page,
           gboolean          save_as,
           gboolean          close_after)
{
  SaveData *data = save_data_new (self, page, close_after);
  GFile *file = sonde_request_get_file (sonde_request_page_get_request (page));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;

  if (sonde_request_page_get_collection (page) != NULL && !save_as)
    {
      save_collection_page (data);
      return;
    }

  if (file != NULL && !save_as)
    {
      save_page_to (data, file);
      return;
    }

  dialog = gtk_file_chooser_native_new (_("Save Request"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  filter = request_file_filter ();
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, NULL);
  else
    {
      name = suggest_file_name (page);
      use_last_folder (self, GTK_FILE_CHOOSER (dialog));
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
    }

  g_signal_connect (dialog, "response", G_CALLBACK (save_as_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);

  if (page != NULL)
    save_page (self, page, FALSE, FALSE);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);

  if (page != NULL)
    save_page (self, page, TRUE, FALSE);
}

/* Tabs */

static void
close_dialog_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          SaveData         *data)
{
  if (g_strcmp0 (response, "save") == 0)
    {
      save_page (data->self, data->page, FALSE, TRUE);
      save_data_free (data);
      return;
    }

  finish_close (data, g_strcmp0 (response, "discard") == 0);
  save_data_free (data);
}

gboolean
_sonde_window_close_page_cb (SondeWindow *self,
                             AdwTabPage  *tab,
                             AdwTabView  *tab_view)
{
  SondeRequestPage *page = SONDE_REQUEST_PAGE (adw_tab_page_get_child (tab));
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (!sonde_request_page_get_modified (page) || self->closing_confirmed)
    {
      adw_tab_view_close_page_finish (tab_view, tab, TRUE);
      return GDK_EVENT_STOP;
    }

  heading = g_strdup_printf (_("Save Changes to “%s”?"), sonde_request_page_get_title (page));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The request has changes that are not saved. Closing it without saving loses them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (close_dialog_response_cb),
                    save_data_new (self, page, TRUE));
  gtk_window_present (GTK_WINDOW (dialog));

  return GDK_EVENT_STOP;
}

static void
new_tab_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sonde_window_add_request (SONDE_WINDOW (widget), NULL);
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  AdwTabPage *tab = adw_tab_view_get_selected_page (self->tab_view);

  if (tab != NULL)
    adw_tab_view_close_page (self->tab_view, tab);
}

/* Sending */

/* The client of a tab outside the open collection. A saved lone request keeps its cookies
 * in a jar of its own, at the default location for its file (as sonde-cli does); unsaved
 * tabs share the window's jar, in memory. */
SondeClient *
_sonde_window_get_lone_client (SondeWindow      *self,
                               SondeRequestPage *page)
{
  GFile *file = sonde_request_get_file (sonde_request_page_get_request (page));
  g_autoptr(SondeCookieStore) cookies = NULL;
  g_autofree char *path = NULL;
  SondeClient *client;

  if (self->client == NULL)
    {
      g_autoptr(SondeCookieStore) memory = sonde_cookie_store_new_for_file (NULL);

      self->client = _sonde_window_new_client (self);
      sonde_client_set_cookie_store (self->client, memory);
    }

  /* A tab of a closed collection keeps the window's jar: its collection's file belongs to
   * the collection's client once it is open again. */
  if (file == NULL || sonde_request_page_get_collection (page) != NULL ||
      (path = g_file_get_path (file)) == NULL)
    return self->client;

  if (self->file_clients == NULL)
    self->file_clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if ((client = g_hash_table_lookup (self->file_clients, path)) != NULL)
    return client;

  cookies = sonde_cookie_store_new_for_owner (file);
  sonde_cookie_store_load_async (cookies, NULL, NULL, NULL);
  client = _sonde_window_new_client (self);
  sonde_client_set_cookie_store (client, cookies);
  if (self->secrets != NULL)
    sonde_client_set_oauth2_token_store (client, self->secrets, path);
  g_hash_table_insert (self->file_clients, g_steal_pointer (&path), client);

  return client;
}

static void
send_request_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (page == NULL)
    return;

  /* Ctrl+Enter in the message composer of an open WebSocket sends the message */
  if (sonde_request_page_get_connected (page))
    {
      SondeWebsocketView *view = sonde_response_view_get_websocket_view (sonde_request_page_get_response_view (page));
      GtkWidget *composer = GTK_WIDGET (sonde_websocket_view_get_composer (view));
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      if (focus != NULL && (focus == composer || gtk_widget_is_ancestor (focus, composer)))
        {
          sonde_websocket_view_send (view);
          return;
        }
    }

  /* A tab of a collection closed since keeps its inheritance, without environment. */
  if (sonde_request_page_get_collection (page) != NULL &&
      sonde_request_page_get_collection (page) == self->collection)
    ok = sonde_request_page_send_full (page, self->collection_client, self->environment, self->secrets, &error);
  else
    ok = sonde_request_page_send_full (page, _sonde_window_get_lone_client (self, page), NULL, self->secrets, &error);

  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot send: %s"), error->message);

      _sonde_window_show_message (self, message);
    }
}

static void
fetch_schema_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);

  if (page == NULL)
    return;

  /* With what a send of this tab would use: its collection's environment, or none */
  if (sonde_request_page_get_collection (page) != NULL &&
      sonde_request_page_get_collection (page) == self->collection)
    sonde_request_page_fetch_schema (page, self->collection_client, self->environment, self->secrets);
  else
    sonde_request_page_fetch_schema (page, _sonde_window_get_lone_client (self, page), NULL, self->secrets);
}

static void
oauth_token_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);
  gboolean clear = g_str_equal (action_name, "win.oauth-clear-token");

  if (page == NULL)
    return;

  /* The client a send of this tab would use holds its tokens */
  if (sonde_request_page_get_collection (page) != NULL &&
      sonde_request_page_get_collection (page) == self->collection)
    sonde_request_page_get_oauth_token (page, self->collection_client, self->environment, self->secrets, clear);
  else
    sonde_request_page_get_oauth_token (page, _sonde_window_get_lone_client (self, page), NULL, self->secrets, clear);
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeRequestPage *page = sonde_window_get_current_page (SONDE_WINDOW (widget));

  if (page != NULL)
    sonde_request_page_disconnect (page);
}

/* win.websocket-send-message (u): a saved message of the tab's WebSocket request;
 * win.websocket-send-all: the checked ones in order */
static void
websocket_send_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);
  int index = parameter != NULL ? (int) g_variant_get_uint32 (parameter) : -1;

  if (page == NULL)
    return;
  if (sonde_request_page_get_collection (page) != NULL &&
      sonde_request_page_get_collection (page) == self->collection)
    sonde_request_page_send_saved_messages (page, self->collection_client, self->environment, self->secrets, index);
  else
    sonde_request_page_send_saved_messages (page, _sonde_window_get_lone_client (self, page), NULL, self->secrets,
                                            index);
}

static void
cancel_request_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);

  if (page == NULL || !sonde_request_page_get_sending (page))
    return;

  sonde_request_page_cancel (page);
  _sonde_window_show_message (self, _("Request cancelled"));
}

static void
focus_url_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeRequestPage *page = sonde_window_get_current_page (SONDE_WINDOW (widget));

  if (page != NULL)
    sonde_request_editor_focus_url (sonde_request_page_get_editor (page));
}

static void
search_response_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SondeRequestPage *page = sonde_window_get_current_page (SONDE_WINDOW (widget));

  if (page != NULL)
    gtk_widget_activate_action (GTK_WIDGET (sonde_request_page_get_response_view (page)),
                                "response.search", NULL);
}

static void
clear_run_variables_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  guint n = g_hash_table_size (self->run_variables);
  g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u captured variable cleared",
                                                           "%u captured variables cleared", n), n);

  g_hash_table_remove_all (self->run_variables);
  g_hash_table_remove_all (self->run_secrets);
  _sonde_window_update_variables (self);
  _sonde_window_show_message (self, message);
}

/* Copy as Code…: the current request as curl, python-requests, HTTPie or fetch. */
static void
copy_as_code_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);
  SondeCollection *collection;
  GtkWidget *dialog;

  if (page == NULL)
    return;
  collection = sonde_request_page_get_collection (page);
  dialog = sonde_copy_as_dialog_new (GTK_WINDOW (self), sonde_request_page_get_request (page),
                                     collection, collection != NULL ? sonde_request_page_get_node (page) : NULL,
                                     collection != NULL ? self->environment : NULL, self->secrets,
                                     self->run_variables, self->run_secrets);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Cookies…: the jar the current tab sends from (its collection's, its file's, or the window's
 * for unsaved tabs); with no tab, the open collection's */
static void
show_cookies_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);
  SondeRequestPage *page = sonde_window_get_current_page (self);
  SondeClient *client = NULL;
  g_autofree char *owner = NULL;
  SondeCookieStore *store;

  if (page != NULL && (sonde_request_page_get_collection (page) == NULL ||
                       sonde_request_page_get_collection (page) != self->collection))
    {
      GFile *file = sonde_request_get_file (sonde_request_page_get_request (page));

      client = _sonde_window_get_lone_client (self, page);
      owner = file != NULL && client != self->client ? g_file_get_basename (file) : NULL;
    }
  else if (self->collection != NULL)
    {
      client = self->collection_client;
      owner = g_strdup (sonde_collection_get_name (self->collection));
    }
  if (client == NULL)
    {
      _sonde_window_show_message (self, _("Open a request or a collection to see its cookies"));
      return;
    }
  store = sonde_client_get_cookie_store (client);
  if (store == NULL)
    return;
  gtk_window_present (GTK_WINDOW (sonde_cookies_dialog_new (GTK_WINDOW (self), store, owner)));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeWindow *self = SONDE_WINDOW (widget);

  /* Without the schema (an uninstalled build run by hand) there is nothing to set */
  if (self->settings == NULL)
    {
      _sonde_window_show_message (self, _("Preferences need Sonde’s settings schema installed"));
      return;
    }
  gtk_window_present (GTK_WINDOW (sonde_preferences_window_new (GTK_WINDOW (self), self->settings)));
}

/* The shortcuts window is built when first asked for. GtkApplication would build it for
 * every window as the window is made (from gtk/help-overlay.ui in the resources): a tree
 * of a hundred widgets, several milliseconds of every start-up. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/sonde/Sonde/ui/sonde-shortcuts-window.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

void
_sonde_window_install_actions (GtkWidgetClass *widget_class)
{
  /* Accelerators are set by SondeApplication, so that menus and the shortcuts window show them. */
  gtk_widget_class_install_action (widget_class, "win.new-tab", NULL, new_tab_action);
  gtk_widget_class_install_action (widget_class, "win.clear-run-variables", NULL, clear_run_variables_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.send-request", NULL, send_request_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-request", NULL, cancel_request_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.websocket-send-message", "u", websocket_send_action);
  gtk_widget_class_install_action (widget_class, "win.websocket-send-all", NULL, websocket_send_action);
  gtk_widget_class_install_action (widget_class, "win.fetch-schema", NULL, fetch_schema_action);
  gtk_widget_class_install_action (widget_class, "win.oauth-get-token", NULL, oauth_token_action);
  gtk_widget_class_install_action (widget_class, "win.oauth-clear-token", NULL, oauth_token_action);
  gtk_widget_class_install_action (widget_class, "win.focus-url", NULL, focus_url_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.search-response", NULL, search_response_action);
  gtk_widget_class_install_action (widget_class, "win.copy-as-code", NULL, copy_as_code_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.show-cookies", NULL, show_cookies_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
}
