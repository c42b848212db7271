/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-request-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sonde-auth-editor.h"
#include "sonde-body-editor.h"
#include "sonde-editor-utils.h"
#include "sonde-error.h"
#include "sonde-key-value-editor.h"
#include "sonde-request-editor.h"
#include "sonde-check-editor.h"
#include "sonde-secret-heuristics.h"
#include "sonde-settings-editor.h"
#include "sonde-url.h"
#include "sonde-variable-highlight.h"
#include "sonde-message-editor.h"

struct _SondeRequestEditor
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkEntry *name_entry;
  GtkStack *method_stack;
  GtkDropDown *method_dropdown;
  GtkEntry *custom_method_entry;
  GtkEntry *url_entry;
  GtkButton *send_button;
  GtkSpinner *send_spinner;
  GtkLabel *send_label;
  GtkStack *stack;
  GtkStackPage *params_page;
  GtkStackPage *headers_page;
  GtkStackPage *cookies_page;
  SondeKeyValueEditor *params_editor;
  GtkWidget *path_box;
  GtkListBox *path_list;
  SondeKeyValueEditor *headers_editor;
  SondeKeyValueEditor *cookies_editor;
  /* Made when their page is first shown (or asked for): they were a fifth of the window's
   * start-up, and most requests are sent without opening them. The same for the checks and
   * captures editors. */
  AdwBin *body_bin;
  AdwBin *auth_bin;
  AdwBin *settings_bin;
  SondeBodyEditor *body_editor;
  SondeAuthEditor *auth_editor;
  SondeSettingsEditor *settings_editor;
  AdwBin *checks_bin;
  AdwBin *captures_bin;
  SondeCheckEditor *checks_editor;
  SondeCheckEditor *captures_editor;
  AdwBin *messages_bin;             /* WebSocket requests: their saved messages */
  SondeMessageEditor *messages_editor;
  GtkStackPage *messages_page;
  GtkStackPage *scripts_page;
  AdwBin *scripts_bin;
  GtkLabel *scripts_label;
  GtkSourceBuffer *scripts_buffer;

  /* Owned */
  SondeRequest *request;
  SondeRequest *before_curl; /* what a pasted curl command replaced, for Undo */
  GtkStringList *methods;
  SondeVariableScope *scope;
  GStrv path_names;   /* the URL's ":name" segments the path rows show */
  GPtrArray *path_rows;

  guint sending : 1;
  guint connected : 1;
  guint websocket : 1;   /* what the tabs and the Send button were last set up for */
  guint shared : 1;
  guint syncing_url : 1;
  guint syncing_method : 1;
  guint focus_url_on_map : 1;
};

G_DEFINE_FINAL_TYPE (SondeRequestEditor, sonde_request_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REQUEST,
  PROP_SENDING,
  PROP_SHARED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REQUEST_REPLACED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const common_methods[] = {
  "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", NULL
};
/* The method list's item for WebSocket requests (sonde-websocket.h): after the methods */
#define WEBSOCKET_ITEM (G_N_ELEMENTS (common_methods) - 1)

/* Offered as completions in the Headers rows. */
static const char * const common_headers[] = {
  "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization",
  "Cache-Control", "Connection", "Content-Disposition", "Content-Encoding", "Content-Length",
  "Content-Type", "Cookie", "DNT", "Expect", "Forwarded", "From", "Host", "If-Match",
  "If-Modified-Since", "If-None-Match", "If-Range", "If-Unmodified-Since", "Origin", "Pragma",
  "Prefer", "Proxy-Authorization", "Range", "Referer", "TE", "Upgrade", "User-Agent", "Via",
  "X-API-Key", "X-Correlation-ID", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
  "X-Request-ID", "X-Requested-With", NULL
};

/* Offered as completions of header values. */
static const char * const common_header_values[] = {
  "*/*", "application/json", "application/xml", "application/x-www-form-urlencoded",
  "application/octet-stream", "multipart/form-data", "text/plain", "text/html", "text/csv",
  "gzip, deflate, br", "identity", "no-cache", "no-store", "max-age=0", "keep-alive", "close",
  "Bearer {{token}}", "XMLHttpRequest", "en-US,en;q=0.9", NULL
};

static void
update_url_problem (SondeRequestEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  g_autoptr(GError) error = NULL;
  const char *problem = NULL;

  /* An empty URL is not an error to point at, just nothing to send yet. */
  if (*text != '\0' && !sonde_url_check (text, &error))
    problem = error->message;

  sonde_widget_set_problem (GTK_WIDGET (self->url_entry), problem);
  gtk_entry_set_icon_from_icon_name (self->url_entry, GTK_ENTRY_ICON_SECONDARY,
                                     problem != NULL ? "dialog-warning-symbolic" : NULL);
  gtk_entry_set_icon_tooltip_text (self->url_entry, GTK_ENTRY_ICON_SECONDARY, problem);
}

static void
url_entry_changed_cb (SondeRequestEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  gsize base_length = strcspn (text, "?#");
  g_autofree char *base = g_strndup (text, base_length);
  g_autofree char *query = NULL;

  update_url_problem (self);

  if (self->syncing_url || self->request == NULL)
    return;

  /* A fragment is never sent: it does not become part of the last param. */
  if (text[base_length] == '?')
    query = g_strndup (text + base_length + 1, strcspn (text + base_length + 1, "#"));

  self->syncing_url = TRUE;
  /* Pasted URLs often come with spaces or a newline around them. */
  g_strstrip (base);
  if (g_strcmp0 (sonde_request_get_url (self->request), base) != 0)
    sonde_request_set_url (self->request, base);
  sonde_url_apply_query (self->request, query != NULL ? g_strchomp (query) : NULL);
  self->syncing_url = FALSE;
}

/* Enter in the URL sends (again), as in a browser's address bar. */
/* A curl command pasted into the URL field becomes the request (docs/import-export.md). */
static void
replace_from_curl (SondeRequestEditor *self,
                   const char         *command)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_import_note_free);
  g_autoptr(SondeRequest) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) left_out = g_string_new (NULL);
  g_autofree char *message = NULL;

  parsed = sonde_curl_parse (command, sonde_request_get_base_dir (self->request), notes, &error);
  if (parsed == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("The curl command was not used: %s"), error->message);

      g_signal_emit (self, signals[REQUEST_REPLACED], 0, problem, FALSE);
      return;
    }

  g_set_object (&self->before_curl, NULL);
  self->before_curl = sonde_request_copy (self->request);
  sonde_request_assign (self->request, parsed);
  /* Through the entry, as if typed: a query in the URL becomes Params rows. */
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), sonde_request_get_url (parsed));
  if (sonde_request_get_name (self->request)[0] == '\0')
    sonde_request_set_name (self->request, sonde_request_get_name (parsed));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.undo-curl", TRUE);

  for (guint i = 0; i < notes->len; i++)
    {
      SondeImportNote *note = g_ptr_array_index (notes, i);

      if (note->kind != SONDE_IMPORT_NOTE_DROPPED)
        continue;
      if (left_out->len > 0)
        g_string_append (left_out, ", ");
      /* "--retry 3 is not supported" → "--retry": the toast is short */
      if (note->message[0] == '-')
        g_string_append_len (left_out, note->message, strcspn (note->message, " "));
      else
        g_string_append (left_out, note->message);
    }
  if (left_out->len > 0)
    message = g_strdup_printf (_("Request made from the curl command. Left out: %s"), left_out->str);
  else
    message = g_strdup (_("Request made from the curl command"));
  g_signal_emit (self, signals[REQUEST_REPLACED], 0, message, TRUE);
}

static gboolean
replace_from_curl_idle_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SondeRequestEditor *self = g_task_get_source_object (task);

  if (self->request != NULL)
    replace_from_curl (self, g_task_get_task_data (task));
  return G_SOURCE_REMOVE;
}

/* A paste (or a drop) inserts its text at once: a command typed key by key never starts
 * with "curl " in one insertion. */
static void
url_insert_text_cb (SondeRequestEditor *self,
                    const char         *text,
                    int                 length,
                    int                *position,
                    GtkEditable        *editable)
{
  g_autofree char *inserted = length < 0 ? g_strdup (text) : g_strndup (text, length);
  GTask *task;

  if (!sonde_curl_is_command (inserted) || self->request == NULL)
    return;

  g_signal_stop_emission_by_name (editable, "insert-text");
  /* Not while the entry is inserting. */
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, g_steal_pointer (&inserted), g_free);
  g_idle_add (replace_from_curl_idle_cb, task);
}

static void
undo_curl_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeRequestEditor *self = SONDE_REQUEST_EDITOR (widget);
  g_autoptr(SondeRequest) before = g_steal_pointer (&self->before_curl);

  if (before == NULL)
    return;
  sonde_request_assign (self->request, before);
  sonde_request_set_name (self->request, sonde_request_get_name (before));
  gtk_widget_action_set_enabled (widget, "editor.undo-curl", FALSE);
}

static void
url_entry_activate_cb (SondeRequestEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.send-request", NULL);
}

static void
update_url_from_request (SondeRequestEditor *self)
{
  g_autofree char *text = NULL;

  if (self->syncing_url || self->request == NULL)
    return;

  text = sonde_url_compose (self->request);
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (self->url_entry))) == 0)
    return;

  self->syncing_url = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), text);
  self->syncing_url = FALSE;
}

/* Method */

static guint
find_method (SondeRequestEditor *self,
             const char         *method)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->methods));

  /* The last item is "Custom…"; the one after the common methods is WebSocket. */
  for (guint i = 0; i + 1 < n_items; i++)
    if (i != WEBSOCKET_ITEM && g_strcmp0 (gtk_string_list_get_string (self->methods, i), method) == 0)
      return i;

  return GTK_INVALID_LIST_POSITION;
}

static void
update_method_from_request (SondeRequestEditor *self)
{
  const char *method = self->request != NULL ? sonde_request_get_method (self->request) : NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  if (method == NULL || *method == '\0')
    method = "GET";

  if (self->request != NULL && sonde_request_is_websocket (self->request))
    {
      self->syncing_method = TRUE;
      gtk_drop_down_set_selected (self->method_dropdown, WEBSOCKET_ITEM);
      self->syncing_method = FALSE;
      sonde_widget_set_problem (GTK_WIDGET (self->method_dropdown), NULL);
      return;
    }

  position = find_method (self, method);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      const char * const additions[] = { method, NULL };

      position = g_list_model_get_n_items (G_LIST_MODEL (self->methods)) - 1;
      self->syncing_method = TRUE;
      gtk_string_list_splice (self->methods, position, 0, additions);
      self->syncing_method = FALSE;
    }

  self->syncing_method = TRUE;
  gtk_drop_down_set_selected (self->method_dropdown, position);
  self->syncing_method = FALSE;

  sonde_validate_method (method, &error);
  sonde_widget_set_problem (GTK_WIDGET (self->method_dropdown), error ? error->message : NULL);
}

static void
show_custom_method_entry (SondeRequestEditor *self)
{
  const char *method = sonde_request_get_method (self->request);

  gtk_editable_set_text (GTK_EDITABLE (self->custom_method_entry),
                         find_method (self, method) >= g_strv_length ((char **) common_methods) ? method : "");
  sonde_widget_set_problem (GTK_WIDGET (self->custom_method_entry), NULL);
  gtk_stack_set_visible_child_name (self->method_stack, "custom");
  gtk_widget_grab_focus (GTK_WIDGET (self->custom_method_entry));
}

static void
hide_custom_method_entry (SondeRequestEditor *self)
{
  gboolean had_focus = gtk_widget_has_focus (GTK_WIDGET (self->custom_method_entry)) ||
                       gtk_widget_is_focus (GTK_WIDGET (self->custom_method_entry)) ||
                       gtk_widget_get_focus_child (GTK_WIDGET (self->custom_method_entry)) != NULL;

  gtk_stack_set_visible_child_name (self->method_stack, "list");
  update_method_from_request (self);
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
}

/* WebSocket or HTTP, from the method list: a written scheme follows (https:// and wss://). */
static void
switch_protocol (SondeRequestEditor *self,
                 gboolean            websocket)
{
  const char *url = sonde_request_get_url (self->request);
  static const struct { const char *http; const char *ws; } schemes[] = {
    { "https://", "wss://" }, { "http://", "ws://" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      const char *from = websocket ? schemes[i].http : schemes[i].ws;
      const char *to = websocket ? schemes[i].ws : schemes[i].http;

      if (g_ascii_strncasecmp (url, from, strlen (from)) == 0)
        {
          g_autofree char *changed = g_strconcat (to, url + strlen (from), NULL);

          sonde_request_set_url (self->request, changed);
          break;
        }
    }
  sonde_request_set_websocket (self->request, websocket);
  /* A WebSocket handshake is a GET */
  if (websocket)
    sonde_request_set_method (self->request, "GET");
  update_method_from_request (self);
}

static void
method_selected_cb (SondeRequestEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->method_dropdown);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->methods));

  if (self->syncing_method || self->request == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (selected + 1 == n_items)
    {
      /* "Custom…": the dropdown goes back to the current method until one is typed. */
      update_method_from_request (self);
      show_custom_method_entry (self);
      return;
    }

  if (selected == WEBSOCKET_ITEM)
    {
      switch_protocol (self, TRUE);
      return;
    }
  if (sonde_request_is_websocket (self->request))
    switch_protocol (self, FALSE);
  sonde_request_set_method (self->request, gtk_string_list_get_string (self->methods, selected));
}

static void
custom_method_activate_cb (SondeRequestEditor *self)
{
  g_autofree char *method = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_method_entry)));
  g_autoptr(GError) error = NULL;

  g_strstrip (method);
  if (*method == '\0')
    {
      hide_custom_method_entry (self);
      return;
    }

  if (!sonde_validate_method (method, &error))
    {
      sonde_widget_set_problem (GTK_WIDGET (self->custom_method_entry), error->message);
      return;
    }

  sonde_request_set_method (self->request, method);
  hide_custom_method_entry (self);
}

static void
custom_method_changed_cb (SondeRequestEditor *self)
{
  const char *method = gtk_editable_get_text (GTK_EDITABLE (self->custom_method_entry));
  g_autoptr(GError) error = NULL;

  if (*method != '\0')
    sonde_validate_method (method, &error);
  sonde_widget_set_problem (GTK_WIDGET (self->custom_method_entry), error ? error->message : NULL);
}

static gboolean
custom_method_key_pressed_cb (SondeRequestEditor    *self,
                              guint                  keyval,
                              guint                  keycode,
                              GdkModifierType        state,
                              GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_Escape)
    return GDK_EVENT_PROPAGATE;

  hide_custom_method_entry (self);
  return GDK_EVENT_STOP;
}

static void
custom_method_focus_leave_cb (SondeRequestEditor *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->method_stack), "custom") == 0)
    custom_method_activate_cb (self);
}

/* Pages */

static guint
count_rows (GListStore *rows)
{
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (rows)); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (rows), i);

      if (sonde_key_value_get_enabled (row) && *sonde_key_value_get_name (row) != '\0')
        count++;
    }

  return count;
}

static void
set_page_title (GtkStackPage *page,
                const char   *title,
                guint         count)
{
  g_autofree char *text = NULL;

  /* Translators: a request page and how many rows it has, e.g. "Headers (3)" */
  text = count > 0 ? g_strdup_printf (C_("page title", "%s (%u)"), title, count) : g_strdup (title);
  if (g_strcmp0 (gtk_stack_page_get_title (page), text) != 0)
    gtk_stack_page_set_title (page, text);
}

static void
update_page_titles (SondeRequestEditor *self)
{
  SondeBodyKind kind = sonde_body_get_kind (sonde_request_get_body (self->request));

  set_page_title (self->params_page, _("Params"),
                  count_rows (sonde_request_get_params (self->request)) +
                  (self->path_names != NULL ? g_strv_length (self->path_names) : 0));
  set_page_title (self->headers_page, _("Headers"), count_rows (sonde_request_get_headers (self->request)));
  set_page_title (self->cookies_page, _("Cookies"), count_rows (sonde_request_get_cookies (self->request)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.format-body", kind == SONDE_BODY_JSON);
}

/* Scripts an import kept ("scripts" in the file, docs/import-export.md): shown, never run */
/* The Scripts tab's contents, made for the first request that has scripts */
static void
ensure_scripts_view (SondeRequestEditor *self)
{
  GtkWidget *box;
  GtkWidget *scrolled;
  GtkWidget *view;

  if (self->scripts_buffer != NULL)
    return;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  scrolled = gtk_scrolled_window_new ();
  self->scripts_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->scripts_label, TRUE);
  gtk_label_set_xalign (self->scripts_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->scripts_label), "dim-label");
  gtk_widget_set_margin_top (GTK_WIDGET (self->scripts_label), 6);
  self->scripts_buffer = gtk_source_buffer_new (NULL);
  view = gtk_source_view_new_with_buffer (self->scripts_buffer);
  g_object_unref (self->scripts_buffer);
  sonde_source_buffer_follow_style (self->scripts_buffer);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  sonde_text_view_follow_preferences (GTK_TEXT_VIEW (view));
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Scripts"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->scripts_label));
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_bin_set_child (self->scripts_bin, box);
}

static void
update_scripts (SondeRequestEditor *self)
{
  JsonObject *extra = sonde_request_get_extra (self->request);
  JsonNode *node = extra != NULL ? json_object_get_member (extra, "scripts") : NULL;
  JsonObject *scripts = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  static const struct { const char *key; const char *title; } parts[] = {
    { "preRequest", N_("Before the request") },
    { "postResponse", N_("After the response") },
    { "tests", N_("Tests") },
  };
  g_autoptr(GString) text = g_string_new (NULL);
  const char *from;
  g_autofree char *label = NULL;

  for (guint i = 0; scripts != NULL && i < G_N_ELEMENTS (parts); i++)
    {
      JsonNode *part = json_object_get_member (scripts, parts[i].key);

      if (part == NULL || !JSON_NODE_HOLDS_VALUE (part) || json_node_get_value_type (part) != G_TYPE_STRING)
        continue;
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append_printf (text, "// %s\n%s", _(parts[i].title), json_node_get_string (part));
    }
  gtk_stack_page_set_visible (self->scripts_page, text->len > 0);
  if (text->len == 0)
    return;
  ensure_scripts_view (self);

  from = json_object_get_string_member_with_default (scripts, "from", NULL);
  if (g_strcmp0 (from, "postman") == 0)
    from = "Postman";
  else if (g_strcmp0 (from, "bruno") == 0)
    from = "Bruno";
  /* Translators: %s is the app the scripts came from: Postman, Bruno */
  label = g_strdup_printf (_("Kept from %s as they were. Sonde does not run scripts: their common "
                             "checks and captures are in the Checks and Captures tabs."),
                           from != NULL ? from : _("the imported file"));
  gtk_label_set_text (self->scripts_label, label);
  /* JavaScript's highlighting is loaded only for a request that has scripts: it is the
   * biggest language definition, and took an eighth of the window's start-up. */
  if (gtk_source_buffer_get_language (self->scripts_buffer) == NULL)
    gtk_source_buffer_set_language (self->scripts_buffer,
                                    gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (), "js"));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->scripts_buffer), text->str, -1);
}

/* Path variables: a row per ":name" segment of the URL, its value the request's own variable
 * (docs/collection-format.md). The rows are made again only when the names change, so one
 * being typed in keeps its focus. */
static void
path_row_changed_cb (AdwEntryRow        *row,
                     SondeRequestEditor *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "sonde-name");
  const char *value = gtk_editable_get_text (GTK_EDITABLE (row));

  sonde_request_set_variable (self->request, name, *value != '\0' ? value : NULL);
}

static void
update_path_rows (SondeRequestEditor *self)
{
  g_auto(GStrv) names = sonde_variables_find_path (sonde_request_get_url (self->request));

  if (self->path_names == NULL || !g_strv_equal ((const char * const *) names, (const char * const *) self->path_names))
    {
      for (guint i = 0; i < self->path_rows->len; i++)
        gtk_list_box_remove (self->path_list, self->path_rows->pdata[i]);
      g_ptr_array_set_size (self->path_rows, 0);
      for (guint i = 0; names[i] != NULL; i++)
        {
          GtkWidget *row = adw_entry_row_new ();
          g_autofree char *title = g_strconcat (":", names[i], NULL);

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          g_object_set_data_full (G_OBJECT (row), "sonde-name", g_strdup (names[i]), g_free);
          g_signal_connect (row, "changed", G_CALLBACK (path_row_changed_cb), self);
          gtk_list_box_append (self->path_list, row);
          g_ptr_array_add (self->path_rows, row);
        }
      g_strfreev (self->path_names);
      self->path_names = g_steal_pointer (&names);
      gtk_widget_set_visible (self->path_box, self->path_rows->len > 0);
    }

  for (guint i = 0; i < self->path_rows->len; i++)
    {
      GtkEditable *row = self->path_rows->pdata[i];
      const char *value = sonde_request_get_variable (self->request, self->path_names[i]);

      if (g_strcmp0 (gtk_editable_get_text (row), value != NULL ? value : "") == 0)
        continue;
      g_signal_handlers_block_by_func (row, path_row_changed_cb, self);
      gtk_editable_set_text (row, value != NULL ? value : "");
      g_signal_handlers_unblock_by_func (row, path_row_changed_cb, self);
    }
}

static void update_protocol (SondeRequestEditor *self);

static void
request_changed_cb (SondeRequestEditor *self)
{
  update_url_from_request (self);
  update_path_rows (self);
  update_page_titles (self);
  update_scripts (self);
  update_protocol (self);
}

static void auth_make_secret_cb (SondeRequestEditor *self,
                                 const char         *auth_field);

static SondeBodyEditor *
ensure_body_editor (SondeRequestEditor *self)
{
  if (self->body_editor == NULL)
    {
      self->body_editor = g_object_new (SONDE_TYPE_BODY_EDITOR, NULL);
      sonde_body_editor_set_variable_scope (self->body_editor, self->scope);
      if (self->request != NULL)
        sonde_body_editor_set_request (self->body_editor, self->request);
      adw_bin_set_child (self->body_bin, GTK_WIDGET (self->body_editor));
    }
  return self->body_editor;
}

static SondeAuthEditor *
ensure_auth_editor (SondeRequestEditor *self)
{
  if (self->auth_editor == NULL)
    {
      self->auth_editor = g_object_new (SONDE_TYPE_AUTH_EDITOR, NULL);
      sonde_auth_editor_set_variable_scope (self->auth_editor, self->scope);
      sonde_auth_editor_set_warn_secrets (self->auth_editor, self->shared);
      if (self->request != NULL)
        sonde_auth_editor_set_auth (self->auth_editor, sonde_request_get_auth (self->request));
      g_signal_connect_object (self->auth_editor, "make-secret",
                               G_CALLBACK (auth_make_secret_cb), self, G_CONNECT_SWAPPED);
      adw_bin_set_child (self->auth_bin, GTK_WIDGET (self->auth_editor));
    }
  return self->auth_editor;
}

static SondeSettingsEditor *
ensure_settings_editor (SondeRequestEditor *self)
{
  if (self->settings_editor == NULL)
    {
      self->settings_editor = g_object_new (SONDE_TYPE_SETTINGS_EDITOR, NULL);
      sonde_settings_editor_set_variable_scope (self->settings_editor, self->scope);
      if (self->request != NULL)
        sonde_settings_editor_set_request (self->settings_editor, self->request);
      adw_bin_set_child (self->settings_bin, GTK_WIDGET (self->settings_editor));
    }
  return self->settings_editor;
}

static SondeCheckEditor *
ensure_check_editor (SondeRequestEditor   *self,
                     SondeCheckEditor    **editor,
                     AdwBin               *bin,
                     SondeCheckEditorMode  kind)
{
  if (*editor == NULL)
    {
      *editor = SONDE_CHECK_EDITOR (sonde_check_editor_new (kind));
      if (self->request != NULL)
        sonde_check_editor_set_request (*editor, self->request);
      adw_bin_set_child (bin, GTK_WIDGET (*editor));
    }
  return *editor;
}

static SondeMessageEditor *
ensure_messages_editor (SondeRequestEditor *self)
{
  if (self->messages_editor == NULL)
    {
      self->messages_editor = SONDE_MESSAGE_EDITOR (sonde_message_editor_new ());
      sonde_message_editor_set_connected (self->messages_editor, self->connected);
      if (self->request != NULL)
        sonde_message_editor_set_request (self->messages_editor, self->request);
      adw_bin_set_child (self->messages_bin, GTK_WIDGET (self->messages_editor));
    }
  return self->messages_editor;
}

static void update_send_button (SondeRequestEditor *self);

/* A WebSocket request has Messages instead of a Body, and connects rather than sends. */
static void
update_protocol (SondeRequestEditor *self)
{
  gboolean websocket = self->request != NULL && sonde_request_is_websocket (self->request);
  GtkStackPage *body_page = gtk_stack_get_page (self->stack, GTK_WIDGET (self->body_bin));
  const char *visible = gtk_stack_get_visible_child_name (self->stack);

  if (self->websocket == websocket)
    return;
  self->websocket = websocket;
  gtk_stack_page_set_visible (self->messages_page, websocket);
  gtk_stack_page_set_visible (body_page, !websocket);
  if (websocket && g_strcmp0 (visible, "body") == 0)
    gtk_stack_set_visible_child_name (self->stack, "messages");
  else if (!websocket && g_strcmp0 (visible, "messages") == 0)
    gtk_stack_set_visible_child_name (self->stack, "body");
  update_method_from_request (self);
  update_send_button (self);
}

static void
ensure_visible_page (SondeRequestEditor *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (name, "body") == 0)
    ensure_body_editor (self);
  else if (g_strcmp0 (name, "auth") == 0)
    ensure_auth_editor (self);
  else if (g_strcmp0 (name, "settings") == 0)
    ensure_settings_editor (self);
  else if (g_strcmp0 (name, "checks") == 0)
    ensure_check_editor (self, &self->checks_editor, self->checks_bin, SONDE_CHECK_EDITOR_CHECKS);
  else if (g_strcmp0 (name, "captures") == 0)
    ensure_check_editor (self, &self->captures_editor, self->captures_bin, SONDE_CHECK_EDITOR_CAPTURES);
  else if (g_strcmp0 (name, "messages") == 0)
    ensure_messages_editor (self);
}

static void
format_body_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeRequestEditor *self = SONDE_REQUEST_EDITOR (widget);

  gtk_stack_set_visible_child_name (self->stack, "body");
  sonde_body_editor_format (ensure_body_editor (self), NULL);
}

static void
update_send_button (SondeRequestEditor *self)
{
  const char *label;
  const char *mnemonic;
  const char *tooltip;
  const char *action;

  if (self->sending)
    {
      label = _("Cancel");
      mnemonic = _("_Cancel");
      tooltip = self->websocket ? _("Stop Connecting (Escape)") : _("Cancel the Request (Escape)");
      action = "win.cancel-request";
    }
  else if (self->connected)
    {
      label = _("Disconnect");
      mnemonic = _("_Disconnect");
      tooltip = _("Close the Connection");
      action = "win.disconnect";
    }
  else if (self->websocket)
    {
      label = _("Connect");
      mnemonic = _("C_onnect");
      tooltip = _("Connect (Ctrl+Enter)");
      action = "win.send-request";
    }
  else
    {
      label = _("Send");
      mnemonic = _("_Send");
      tooltip = _("Send the Request (Ctrl+Enter)");
      action = "win.send-request";
    }

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->send_button), action);
  gtk_label_set_text_with_mnemonic (self->send_label, mnemonic);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->send_spinner), self->sending);
  gtk_spinner_set_spinning (self->send_spinner, self->sending);
  if (self->sending || self->connected)
    gtk_widget_remove_css_class (GTK_WIDGET (self->send_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->send_button), "suggested-action");
}

static void
setup_request (SondeRequestEditor *self)
{
  SondeRequest *request = self->request;

  sonde_bind_string_property (request, "name", GTK_EDITABLE (self->name_entry));
  sonde_key_value_editor_set_model (self->params_editor, sonde_request_get_params (request));
  sonde_key_value_editor_set_model (self->headers_editor, sonde_request_get_headers (request));
  sonde_key_value_editor_set_model (self->cookies_editor, sonde_request_get_cookies (request));
  if (self->body_editor != NULL)
    sonde_body_editor_set_request (self->body_editor, request);
  if (self->auth_editor != NULL)
    sonde_auth_editor_set_auth (self->auth_editor, sonde_request_get_auth (request));
  if (self->settings_editor != NULL)
    sonde_settings_editor_set_request (self->settings_editor, request);
  if (self->checks_editor != NULL)
    sonde_check_editor_set_request (self->checks_editor, request);
  if (self->captures_editor != NULL)
    sonde_check_editor_set_request (self->captures_editor, request);
  if (self->messages_editor != NULL)
    sonde_message_editor_set_request (self->messages_editor, request);

  g_signal_connect_object (request, "changed", G_CALLBACK (request_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (request, "notify::method", G_CALLBACK (update_method_from_request),
                           self, G_CONNECT_SWAPPED);

  /* A file whose URL holds its query shows it as rows; the file is written so only when
   * something is edited (before the page listens for changes). */
  sonde_url_split_query (request);
  update_method_from_request (self);
  update_url_from_request (self);
  update_path_rows (self);
  update_url_problem (self);
  update_scripts (self);
  update_page_titles (self);
  update_protocol (self);
}

/* Secrets */

static SondeKeyValue *
get_header (SondeRequestEditor *self,
            guint               position)
{
  return g_list_model_get_item (G_LIST_MODEL (sonde_request_get_headers (self->request)), position);
}

/* The window's "win.make-secret" (sss) stores it, then calls
 * sonde_request_editor_replace_literal () on the editor of its current page */
static void
make_secret (SondeRequestEditor *self,
             const char         *suggested_name,
             const char         *value,
             const char         *field)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.make-secret", "(sss)", suggested_name, value, field);
}

static void
header_make_secret_cb (SondeRequestEditor *self,
                       guint               position)
{
  g_autoptr(SondeKeyValue) row = get_header (self, position);
  g_autofree char *literal = NULL;
  g_autofree char *name = NULL;
  g_autofree char *field = NULL;

  if (row == NULL)
    return;

  literal = sonde_secret_literal (sonde_key_value_get_name (row), sonde_key_value_get_value (row));
  if (literal == NULL)
    return;

  name = sonde_secret_suggest_name (sonde_key_value_get_name (row), sonde_key_value_get_value (row));
  field = g_strdup_printf ("header:%u", position);
  make_secret (self, name, literal, field);
}

static void
auth_make_secret_cb (SondeRequestEditor *self,
                     const char         *auth_field)
{
  SondeAuth *auth = sonde_request_get_auth (self->request);
  g_autofree char *value = NULL;
  g_autofree char *literal = NULL;
  g_autofree char *name = NULL;
  g_autofree char *field = g_strconcat ("auth:", auth_field, NULL);

  g_object_get (auth, auth_field, &value, NULL);
  literal = sonde_secret_literal (auth_field, value);
  if (literal == NULL)
    return;

  if (g_strcmp0 (auth_field, "key-value") == 0)
    {
      const char *key_name = sonde_auth_get_key_name (auth);

      name = sonde_secret_suggest_name (key_name != NULL && *key_name != '\0' ? key_name : "api-key", NULL);
    }
  else if (sonde_auth_get_kind (auth) == SONDE_AUTH_OAUTH2)
    name = g_strdup (g_strcmp0 (auth_field, "client-secret") == 0 ? "oauth_client_secret" : "password");
  else if (sonde_auth_get_kind (auth) == SONDE_AUTH_AWS_SIGV4)
    name = g_strdup (g_strcmp0 (auth_field, "password") == 0 ? "aws_secret_access_key" : "aws_session_token");
  else
    name = g_strdup (auth_field);

  make_secret (self, name, literal, field);
}

static void
sonde_request_editor_constructed (GObject *object)
{
  SondeRequestEditor *self = SONDE_REQUEST_EDITOR (object);

  G_OBJECT_CLASS (sonde_request_editor_parent_class)->constructed (object);

  if (self->request == NULL)
    self->request = sonde_request_new ();
  setup_request (self);
}

static void
sonde_request_editor_dispose (GObject *object)
{
  SondeRequestEditor *self = SONDE_REQUEST_EDITOR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_REQUEST_EDITOR);
  /* The template's top-level box has no id, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->methods);
  g_clear_object (&self->request);
  g_clear_object (&self->before_curl);
  g_clear_object (&self->scope);
  g_clear_pointer (&self->path_names, g_strfreev);
  g_clear_pointer (&self->path_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sonde_request_editor_parent_class)->dispose (object);
}

static void
sonde_request_editor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SondeRequestEditor *self = SONDE_REQUEST_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;

    case PROP_SENDING:
      g_value_set_boolean (value, self->sending);
      break;

    case PROP_SHARED:
      g_value_set_boolean (value, self->shared);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_editor_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SondeRequestEditor *self = SONDE_REQUEST_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      self->request = g_value_dup_object (value);
      break;

    case PROP_SENDING:
      sonde_request_editor_set_sending (self, g_value_get_boolean (value));
      break;

    case PROP_SHARED:
      sonde_request_editor_set_shared (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_editor_class_init (SondeRequestEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sonde_request_editor_constructed;
  object_class->dispose = sonde_request_editor_dispose;
  object_class->get_property = sonde_request_editor_get_property;
  object_class->set_property = sonde_request_editor_set_property;

  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, SONDE_TYPE_REQUEST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHARED] =
    g_param_spec_boolean ("shared", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A pasted curl command replaced the request (REPLACED TRUE: "editor.undo-curl" brings it
   * back), or could not (FALSE); MESSAGE says which, in words for a toast. */
  signals[REQUEST_REPLACED] =
    g_signal_new ("request-replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  g_type_ensure (SONDE_TYPE_KEY_VALUE_EDITOR);
  g_type_ensure (SONDE_TYPE_BODY_EDITOR);
  g_type_ensure (SONDE_TYPE_AUTH_EDITOR);
  g_type_ensure (SONDE_TYPE_SETTINGS_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-request-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, name_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, method_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, method_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, custom_method_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, url_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, send_button);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, send_spinner);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, send_label);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, params_page);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, headers_page);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, cookies_page);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, params_editor);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, path_box);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, path_list);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, headers_editor);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, cookies_editor);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, body_bin);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, messages_bin);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, messages_page);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, auth_bin);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, settings_bin);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, checks_bin);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, captures_bin);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, scripts_page);
  gtk_widget_class_bind_template_child (widget_class, SondeRequestEditor, scripts_bin);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "editor.format-body", NULL, format_body_action);
  gtk_widget_class_install_action (widget_class, "editor.undo-curl", NULL, undo_curl_action);
}

static void
sonde_request_editor_init (SondeRequestEditor *self)
{
  const char * const custom[] = { C_("method", "Custom…"), NULL };
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->path_rows = g_ptr_array_new ();

  self->methods = gtk_string_list_new (common_methods);
  gtk_string_list_splice (self->methods, g_strv_length ((char **) common_methods), 0, custom);
  {
    /* Translators: in the method list, for a WebSocket request (short, like GET) */
    const char * const websocket[] = { C_("method", "WS"), NULL };

    gtk_string_list_splice (self->methods, WEBSOCKET_ITEM, 0, websocket);
  }
  gtk_drop_down_set_model (self->method_dropdown, G_LIST_MODEL (self->methods));
  g_signal_connect_object (self->method_dropdown, "notify::selected",
                           G_CALLBACK (method_selected_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->custom_method_entry, "activate",
                           G_CALLBACK (custom_method_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->custom_method_entry, "changed",
                           G_CALLBACK (custom_method_changed_cb), self, G_CONNECT_SWAPPED);
  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed",
                           G_CALLBACK (custom_method_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->custom_method_entry), controller);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave",
                           G_CALLBACK (custom_method_focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->custom_method_entry), controller);

  g_signal_connect_object (self->url_entry, "changed",
                           G_CALLBACK (url_entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->url_entry, "activate",
                           G_CALLBACK (url_entry_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->url_entry)), "insert-text",
                           G_CALLBACK (url_insert_text_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.undo-curl", FALSE);

  sonde_key_value_editor_set_name_completions (self->headers_editor, common_headers);
  sonde_key_value_editor_set_value_completions (self->headers_editor, common_header_values);
  g_signal_connect_object (self->headers_editor, "make-secret",
                           G_CALLBACK (header_make_secret_cb), self, G_CONNECT_SWAPPED);

  self->scope = sonde_variable_scope_new ();
  sonde_variable_highlight_editable (GTK_EDITABLE (self->url_entry), self->scope);
  sonde_key_value_editor_set_variable_scope (self->params_editor, self->scope);
  sonde_key_value_editor_set_variable_scope (self->headers_editor, self->scope);
  sonde_key_value_editor_set_variable_scope (self->cookies_editor, self->scope);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (ensure_visible_page), self, G_CONNECT_SWAPPED);

  update_send_button (self);
}

GtkWidget *
sonde_request_editor_new (SondeRequest *request)
{
  g_return_val_if_fail (request == NULL || SONDE_IS_REQUEST (request), NULL);

  return g_object_new (SONDE_TYPE_REQUEST_EDITOR, "request", request, NULL);
}

SondeRequest *
sonde_request_editor_get_request (SondeRequestEditor *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), NULL);

  return self->request;
}

gboolean
sonde_request_editor_get_sending (SondeRequestEditor *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), FALSE);

  return self->sending;
}

void
sonde_request_editor_set_sending (SondeRequestEditor *self,
                                  gboolean            sending)
{
  g_return_if_fail (SONDE_IS_REQUEST_EDITOR (self));

  sending = !!sending;
  if (self->sending == sending)
    return;

  self->sending = sending;
  update_send_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
}

static void
url_entry_mapped_cb (SondeRequestEditor *self)
{
  if (!self->focus_url_on_map)
    return;
  self->focus_url_on_map = FALSE;
  g_signal_handlers_disconnect_by_func (self->url_entry, url_entry_mapped_cb, self);
  sonde_request_editor_focus_url (self);
}

void
sonde_request_editor_focus_url (SondeRequestEditor *self)
{
  g_return_if_fail (SONDE_IS_REQUEST_EDITOR (self));

  /* Not shown yet (a tab restored while the window opens): once it is, or the window would
   * give the focus to its first entry, the name */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->url_entry)))
    {
      if (!self->focus_url_on_map)
        g_signal_connect_object (self->url_entry, "map", G_CALLBACK (url_entry_mapped_cb), self,
                                 G_CONNECT_SWAPPED);
      self->focus_url_on_map = TRUE;
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->url_entry), 0, -1);
}

static gboolean
check_headers (SondeRequestEditor  *self,
               GError             **error)
{
  GListModel *headers = G_LIST_MODEL (sonde_request_get_headers (self->request));

  for (guint i = 0; i < g_list_model_get_n_items (headers); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (headers, i);
      const char *name = sonde_key_value_get_name (row);
      const char *value = sonde_key_value_get_value (row);

      if (!sonde_key_value_get_enabled (row) || (*name == '\0' && *value == '\0'))
        continue;

      if (*name == '\0')
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                       _("The header with the value “%s” has no name"), value);
          return FALSE;
        }

      /* {{variables}} are checked by the client after expansion. */
      if (strstr (name, "{{") == NULL && !sonde_validate_header_name (name, error))
        return FALSE;
      if (strstr (name, "{{") == NULL && strstr (value, "{{") == NULL &&
          !sonde_validate_header_value (name, value, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
sonde_request_editor_check (SondeRequestEditor  *self,
                            GError             **error)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), FALSE);

  if (!sonde_validate_method (sonde_request_get_method (self->request), error))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->method_dropdown));
      return FALSE;
    }

  if (!sonde_url_check (gtk_editable_get_text (GTK_EDITABLE (self->url_entry)), error))
    {
      update_url_problem (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return FALSE;
    }

  if (!check_headers (self, error))
    {
      gtk_stack_set_visible_child_name (self->stack, "headers");
      return FALSE;
    }

  return TRUE;
}

GtkEditable *
sonde_request_editor_get_url_entry (SondeRequestEditor *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), NULL);

  return GTK_EDITABLE (self->url_entry);
}

GtkWidget *
sonde_request_editor_get_page (SondeRequestEditor *self,
                               const char         *name)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), NULL);

  if (g_strcmp0 (name, "params") == 0)
    return GTK_WIDGET (self->params_editor);
  if (g_strcmp0 (name, "path-variables") == 0)
    return GTK_WIDGET (self->path_list);
  if (g_strcmp0 (name, "headers") == 0)
    return GTK_WIDGET (self->headers_editor);
  if (g_strcmp0 (name, "cookies") == 0)
    return GTK_WIDGET (self->cookies_editor);
  if (g_strcmp0 (name, "body") == 0)
    return GTK_WIDGET (ensure_body_editor (self));
  if (g_strcmp0 (name, "auth") == 0)
    return GTK_WIDGET (ensure_auth_editor (self));
  if (g_strcmp0 (name, "settings") == 0)
    return GTK_WIDGET (ensure_settings_editor (self));
  if (g_strcmp0 (name, "checks") == 0)
    return GTK_WIDGET (ensure_check_editor (self, &self->checks_editor, self->checks_bin, SONDE_CHECK_EDITOR_CHECKS));
  if (g_strcmp0 (name, "captures") == 0)
    return GTK_WIDGET (ensure_check_editor (self, &self->captures_editor, self->captures_bin,
                                            SONDE_CHECK_EDITOR_CAPTURES));
  if (g_strcmp0 (name, "scripts") == 0)
    {
      ensure_scripts_view (self);
      return adw_bin_get_child (self->scripts_bin);
    }
  if (g_strcmp0 (name, "messages") == 0)
    return GTK_WIDGET (ensure_messages_editor (self));

  return NULL;
}

void
sonde_request_editor_set_variables (SondeRequestEditor *self,
                                    GHashTable         *values,
                                    GHashTable         *secret_names)
{
  g_return_if_fail (SONDE_IS_REQUEST_EDITOR (self));

  sonde_variable_scope_set (self->scope, values, secret_names);
}

gboolean
sonde_request_editor_get_shared (SondeRequestEditor *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), FALSE);

  return self->shared;
}

void
sonde_request_editor_set_shared (SondeRequestEditor *self,
                                 gboolean            shared)
{
  g_return_if_fail (SONDE_IS_REQUEST_EDITOR (self));

  shared = !!shared;
  if (self->shared == shared)
    return;

  self->shared = shared;
  sonde_key_value_editor_set_warn_secrets (self->headers_editor, shared);
  if (self->auth_editor != NULL)
    sonde_auth_editor_set_warn_secrets (self->auth_editor, shared);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHARED]);
}

gboolean
sonde_request_editor_replace_literal (SondeRequestEditor *self,
                                      const char         *field,
                                      const char         *value,
                                      const char         *name)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), FALSE);
  g_return_val_if_fail (field != NULL && value != NULL && name != NULL, FALSE);

  if (g_str_has_prefix (field, "header:"))
    {
      guint64 position;
      g_autoptr(SondeKeyValue) row = NULL;
      g_autofree char *replaced = NULL;

      if (!g_ascii_string_to_unsigned (field + strlen ("header:"), 10, 0, G_MAXUINT, &position, NULL) ||
          (row = get_header (self, position)) == NULL)
        return FALSE;

      replaced = sonde_replace_literal (sonde_key_value_get_value (row), value, name);
      if (replaced == NULL)
        return FALSE;
      sonde_key_value_set_value (row, replaced);
      return TRUE;
    }

  if (g_str_has_prefix (field, "auth:"))
    return sonde_auth_editor_replace_literal (ensure_auth_editor (self), field + strlen ("auth:"), value, name);

  return FALSE;
}

SondeVariableScope *
sonde_request_editor_get_variable_scope (SondeRequestEditor *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), NULL);
  return self->scope;
}

gboolean
sonde_request_editor_get_connected (SondeRequestEditor *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_EDITOR (self), FALSE);

  return self->connected;
}

void
sonde_request_editor_set_connected (SondeRequestEditor *self,
                                    gboolean            connected)
{
  g_return_if_fail (SONDE_IS_REQUEST_EDITOR (self));

  connected = !!connected;
  if (self->connected == connected)
    return;
  self->connected = connected;
  if (self->messages_editor != NULL)
    sonde_message_editor_set_connected (self->messages_editor, connected);
  update_send_button (self);
}
