/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-response-view"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sonde-body-view.h"
#include "sonde-error.h"
#include "sonde-key-value.h"
#include "sonde-response-view.h"
#include "sonde-response-view-private.h"
#include "sonde-timing-bar.h"

struct _SondeResponseView
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkStack       *state_stack;
  GtkSpinner     *sending_spinner;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  AdwStatusPage  *error_page;
  GtkLabel       *error_hint_label;
  GtkLabel       *status_label;
  GtkLabel       *time_label;
  GtkLabel       *size_label;
  GtkLabel       *version_label;
  GtkLabel       *url_label;
  GtkWidget      *tls_warning_box;
  GtkWidget      *body_warning_box;
  GtkLabel       *body_warning_label;
  GtkStack       *section_stack;
  SondeBodyView  *body_view;
  GtkStackPage   *headers_page;
  GtkLabel       *headers_summary_label;
  GtkColumnView  *headers_view;
  GtkStackPage   *cookies_page;
  GtkStack       *cookies_stack;
  GtkColumnView  *cookies_view;
  GtkLabel       *timing_total_label;
  SondeTimingBar *timing_bar;
  GtkGrid        *timing_legend;
  GtkLabel       *connection_label;
  GtkStackPage   *redirects_page;
  GtkListBox     *redirects_list;

  /* Borrowed: the value labels of the timing legend */
  GtkLabel       *timing_values[SONDE_TIMING_N_PHASES];

  /* Owned */
  SondeResponse  *response;
  GListStore     *cookies;
  guint           pulse_id;
  gboolean        progress_known;
  const char     *status_class;
};

G_DEFINE_FINAL_TYPE (SondeResponseView, sonde_response_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RESPONSE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One Set-Cookie cookie, as a row of the cookies column view. */
#define SONDE_TYPE_COOKIE_ITEM (sonde_cookie_item_get_type ())
G_DECLARE_FINAL_TYPE (SondeCookieItem, sonde_cookie_item, SONDE, COOKIE_ITEM, GObject)

struct _SondeCookieItem
{
  GObject     parent_instance;
  SoupCookie *cookie;
};

G_DEFINE_FINAL_TYPE (SondeCookieItem, sonde_cookie_item, G_TYPE_OBJECT)

static void
sonde_cookie_item_finalize (GObject *object)
{
  g_clear_pointer (&SONDE_COOKIE_ITEM (object)->cookie, soup_cookie_free);
  G_OBJECT_CLASS (sonde_cookie_item_parent_class)->finalize (object);
}

static void
sonde_cookie_item_class_init (SondeCookieItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_cookie_item_finalize;
}

static void
sonde_cookie_item_init (SondeCookieItem *self)
{
}

typedef enum
{
  COOKIE_NAME,
  COOKIE_VALUE,
  COOKIE_DOMAIN,
  COOKIE_PATH,
  COOKIE_EXPIRES,
  COOKIE_SECURE,
  COOKIE_HTTP_ONLY,
  COOKIE_SAME_SITE,
  N_COOKIE_COLUMNS
} CookieColumn;

static const char * const cookie_column_titles[N_COOKIE_COLUMNS] = {
  N_("Name"), N_("Value"), N_("Domain"), N_("Path"), N_("Expires"),
  N_("Secure"), N_("HttpOnly"), N_("SameSite"),
};

static char *
cookie_get_column (SoupCookie   *cookie,
                   CookieColumn  column)
{
  GDateTime *expires;

  switch (column)
    {
    case COOKIE_NAME:
      return g_strdup (soup_cookie_get_name (cookie));
    case COOKIE_VALUE:
      return g_strdup (soup_cookie_get_value (cookie));
    case COOKIE_DOMAIN:
      return g_strdup (soup_cookie_get_domain (cookie));
    case COOKIE_PATH:
      return g_strdup (soup_cookie_get_path (cookie));
    case COOKIE_EXPIRES:
      expires = soup_cookie_get_expires (cookie);
      if (expires == NULL)
        return g_strdup (_("Session"));
      return g_date_time_format (expires, "%F %T %Z");
    case COOKIE_SECURE:
      return g_strdup (soup_cookie_get_secure (cookie) ? _("Yes") : _("No"));
    case COOKIE_HTTP_ONLY:
      return g_strdup (soup_cookie_get_http_only (cookie) ? _("Yes") : _("No"));
    case COOKIE_SAME_SITE:
      switch (soup_cookie_get_same_site_policy (cookie))
        {
        case SOUP_SAME_SITE_POLICY_NONE:
          return g_strdup ("None");
        case SOUP_SAME_SITE_POLICY_LAX:
          return g_strdup ("Lax");
        case SOUP_SAME_SITE_POLICY_STRICT:
          return g_strdup ("Strict");
        default:
          return g_strdup ("");
        }
    case N_COOKIE_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
cookie_cell_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, label);
}

static void
cookie_cell_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  SondeCookieItem *cookie = gtk_list_item_get_item (item);
  g_autofree char *text = cookie_get_column (cookie->cookie, GPOINTER_TO_UINT (user_data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
add_cookie_columns (SondeResponseView *self)
{
  for (guint i = 0; i < N_COOKIE_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (cookie_cell_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (cookie_cell_bind_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(cookie_column_titles[i]), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, i == COOKIE_VALUE);
      gtk_column_view_append_column (self->cookies_view, column);
    }
}

static const char *
status_get_css_class (guint status)
{
  if (status >= 200 && status < 300)
    return "status-success";
  if (status >= 300 && status < 400)
    return "status-redirect";
  if (status >= 400 && status < 500)
    return "status-client-error";
  if (status >= 500 && status < 600)
    return "status-server-error";
  return NULL;
}

static char *
format_ms (double ms)
{
  if (ms < 0)
    return g_strdup ("—");
  if (ms < 1)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.2f ms"), ms);
  if (ms < 10)
    return g_strdup_printf (_("%.1f ms"), ms);
  if (ms < 10000)
    return g_strdup_printf (_("%.0f ms"), ms);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), ms / 1000);
}

static void
stop_pulse (SondeResponseView *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_spinner_set_spinning (self->sending_spinner, FALSE);
}

static gboolean
pulse_cb (gpointer user_data)
{
  SondeResponseView *self = user_data;

  if (!self->progress_known)
    gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
show_state (SondeResponseView *self,
            const char        *state)
{
  if (!g_str_equal (state, "sending"))
    stop_pulse (self);
  gtk_stack_set_visible_child_name (self->state_stack, state);
}

static void
update_actions (SondeResponseView *self)
{
  SondeBodyStore *body = self->response != NULL ? sonde_response_get_body (self->response) : NULL;
  gboolean shown = self->response != NULL &&
                   g_str_equal (gtk_stack_get_visible_child_name (self->state_stack), "response");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.save-body",
                                 shown && body != NULL && sonde_body_store_get_size (body) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.copy-body",
                                 shown && sonde_body_view_can_copy (self->body_view));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.copy-headers", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.search", shown);
}

static void
show_status_line (SondeResponseView *self)
{
  SondeResponse *response = self->response;
  guint status = sonde_response_get_status (response);
  const char *reason = sonde_response_get_reason (response);
  const char *body_warning = sonde_response_get_body_warning (response);
  g_autofree char *status_text = NULL;
  g_autofree char *time = format_ms (sonde_response_get_timings (response)->total);
  g_autofree char *size = g_format_size (sonde_response_get_body_size (response));

  if (reason != NULL && reason[0] != '\0')
    status_text = g_strdup_printf ("%u %s", status, reason);
  else
    status_text = g_strdup_printf ("%u", status);
  gtk_label_set_text (self->status_label, status_text);

  if (self->status_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->status_class);
  self->status_class = status_get_css_class (status);
  if (self->status_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), self->status_class);

  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->size_label, size);
  gtk_label_set_text (self->version_label, sonde_response_get_http_version (response));
  gtk_label_set_text (self->url_label, sonde_response_get_url (response));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_label), sonde_response_get_url (response));

  gtk_widget_set_visible (self->tls_warning_box,
                          sonde_response_get_is_tls (response) && !sonde_response_get_tls_verified (response));
  gtk_widget_set_visible (self->body_warning_box, body_warning != NULL && body_warning[0] != '\0');
  gtk_label_set_text (self->body_warning_label, body_warning != NULL ? body_warning : "");
}

static void
show_headers (SondeResponseView *self)
{
  GListModel *headers = sonde_response_get_headers (self->response);
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (headers));
  guint n = g_list_model_get_n_items (headers);
  g_autofree char *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u header", "%u headers", n), n);
  g_autofree char *title = g_strdup_printf (_("Headers (%u)"), n);

  gtk_column_view_set_model (self->headers_view, GTK_SELECTION_MODEL (selection));
  gtk_label_set_text (self->headers_summary_label, summary);
  g_object_set (self->headers_page, "title", title, NULL);
}

static void
show_cookies (SondeResponseView *self)
{
  GPtrArray *cookies = sonde_response_get_cookies (self->response);
  guint n = cookies != NULL ? cookies->len : 0;
  g_autofree char *title = NULL;

  g_list_store_remove_all (self->cookies);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeCookieItem) item = g_object_new (SONDE_TYPE_COOKIE_ITEM, NULL);

      item->cookie = soup_cookie_copy (g_ptr_array_index (cookies, i));
      g_list_store_append (self->cookies, item);
    }

  title = n > 0 ? g_strdup_printf (_("Cookies (%u)"), n) : g_strdup (_("Cookies"));
  g_object_set (self->cookies_page, "title", title, NULL);
  gtk_stack_set_visible_child_name (self->cookies_stack, n > 0 ? "list" : "none");
}

static void
show_timings (SondeResponseView *self)
{
  const SondeTimings *timings = sonde_response_get_timings (self->response);
  const char *remote = sonde_response_get_remote_address (self->response);
  g_autofree char *total = format_ms (timings->total);
  g_autofree char *total_text = g_strdup_printf (_("Total %s"), total);
  g_autoptr(GString) connection = g_string_new (NULL);

  gtk_label_set_text (self->timing_total_label, total_text);
  sonde_timing_bar_set_timings (self->timing_bar, timings);
  for (guint i = 0; i < SONDE_TIMING_N_PHASES; i++)
    {
      g_autofree char *value = format_ms (sonde_timing_get_phase (timings, i));

      gtk_label_set_text (self->timing_values[i], value);
    }

  if (remote != NULL)
    g_string_append_printf (connection, _("Remote address: %s"), remote);
  if (sonde_response_get_is_tls (self->response) && sonde_response_get_tls_cipher (self->response) != NULL)
    {
      if (connection->len > 0)
        g_string_append_c (connection, '\n');
      g_string_append_printf (connection, _("TLS cipher: %s"), sonde_response_get_tls_cipher (self->response));
    }
  gtk_label_set_text (self->connection_label, connection->str);
  gtk_widget_set_visible (GTK_WIDGET (self->connection_label), connection->len > 0);
}

static GtkWidget *
redirect_row_new (guint       status,
                  const char *url)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *code = g_strdup_printf ("%u", status);
  GtkWidget *label = gtk_label_new (code);
  const char *css_class = status_get_css_class (status);

  gtk_widget_add_css_class (label, "heading");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), label);
  /* URLs are not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), url);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
  return row;
}

static void
show_redirects (SondeResponseView *self)
{
  GPtrArray *redirects = sonde_response_get_redirects (self->response);
  GtkWidget *child;
  guint n = redirects != NULL ? redirects->len : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->redirects_list))) != NULL)
    gtk_list_box_remove (self->redirects_list, child);

  for (guint i = 0; i < n; i++)
    {
      SondeRedirect *redirect = g_ptr_array_index (redirects, i);

      gtk_list_box_append (self->redirects_list, redirect_row_new (redirect->status, redirect->url));
    }
  if (n > 0)
    {
      g_autofree char *title = g_strdup_printf (_("Redirects (%u)"), n);

      gtk_list_box_append (self->redirects_list,
                           redirect_row_new (sonde_response_get_status (self->response),
                                             sonde_response_get_url (self->response)));
      g_object_set (self->redirects_page, "title", title, NULL);
    }
  gtk_stack_page_set_visible (self->redirects_page, n > 0);
}

static void
show_response (SondeResponseView *self)
{
  SondeBodyStore *body = sonde_response_get_body (self->response);
  GFile *output = sonde_response_get_output (self->response);

  show_status_line (self);
  show_headers (self);
  show_cookies (self);
  show_timings (self);
  show_redirects (self);

  if (body == NULL && output != NULL)
    sonde_body_view_set_output (self->body_view, output);
  else
    sonde_body_view_set_body (self->body_view, body, sonde_response_get_content_type (self->response));

  show_state (self, "response");
}

static const char *
error_get_hint (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return _("Check the address and your network connection.");
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return _("Check that the server is running and the port is right.");
  if (error->domain == G_TLS_ERROR ||
      g_error_matches (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TLS))
    return _("Turn off certificate verification in Settings only if you trust this server.");
  if (g_error_matches (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return _("Increase the timeout in Settings.");
  if (g_error_matches (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TOO_MANY_REDIRECTS))
    return _("Check for a redirect loop, or increase the maximum number of redirects in Settings.");
  if (g_error_matches (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_PROXY_AUTH))
    return _("Check the proxy user name and password in Settings.");
  if (error->domain == SONDE_REQUEST_ERROR)
    return _("Correct the request and send it again.");
  return NULL;
}

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
body_view_loading_changed_cb (SondeResponseView *self)
{
  update_actions (self);
}

/* GObject */

static void
sonde_response_view_dispose (GObject *object)
{
  SondeResponseView *self = SONDE_RESPONSE_VIEW (object);

  stop_pulse (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_RESPONSE_VIEW);
  g_clear_object (&self->response);
  g_clear_object (&self->cookies);

  G_OBJECT_CLASS (sonde_response_view_parent_class)->dispose (object);
}

static void
sonde_response_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SondeResponseView *self = SONDE_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_RESPONSE:
      g_value_set_object (value, self->response);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_response_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SondeResponseView *self = SONDE_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_RESPONSE:
      sonde_response_view_set_response (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_response_view_class_init (SondeResponseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_response_view_dispose;
  object_class->get_property = sonde_response_view_get_property;
  object_class->set_property = sonde_response_view_set_property;

  properties[PROP_RESPONSE] =
    g_param_spec_object ("response", NULL, NULL, SONDE_TYPE_RESPONSE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SONDE_TYPE_BODY_VIEW);
  g_type_ensure (SONDE_TYPE_KEY_VALUE);
  g_type_ensure (SONDE_TYPE_TIMING_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-response-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, state_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, sending_spinner);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, error_page);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, error_hint_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, time_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, size_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, version_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, url_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, tls_warning_box);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, body_warning_box);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, body_warning_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, section_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, body_view);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, headers_page);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, headers_summary_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, headers_view);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, cookies_page);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, cookies_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, cookies_view);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, timing_total_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, timing_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, timing_legend);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, connection_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, redirects_page);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, redirects_list);

  gtk_widget_class_install_action (widget_class, "response.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "response.copy-body", NULL, copy_body_action);
  gtk_widget_class_install_action (widget_class, "response.copy-headers", NULL, copy_headers_action);
  gtk_widget_class_install_action (widget_class, "response.save-body", NULL, save_body_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "response.search", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sonde_response_view_init (SondeResponseView *self)
{
  g_autoptr(GtkNoSelection) cookie_selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cookies = g_list_store_new (SONDE_TYPE_COOKIE_ITEM);
  cookie_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->cookies)));
  gtk_column_view_set_model (self->cookies_view, GTK_SELECTION_MODEL (cookie_selection));
  add_cookie_columns (self);

  for (guint i = 0; i < SONDE_TIMING_N_PHASES; i++)
    {
      GtkWidget *name = gtk_label_new (sonde_timing_phase_get_label (i));
      GtkWidget *value = gtk_label_new ("—");

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_widget_add_css_class (value, "numeric");
      gtk_grid_attach (self->timing_legend, sonde_timing_swatch_new (i), 0, i, 1, 1);
      gtk_grid_attach (self->timing_legend, name, 1, i, 1, 1);
      gtk_grid_attach (self->timing_legend, value, 2, i, 1, 1);
      self->timing_values[i] = GTK_LABEL (value);
    }

  g_signal_connect_object (self->body_view, "notify::loading",
                           G_CALLBACK (body_view_loading_changed_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

GtkWidget *
sonde_response_view_new (void)
{
  return g_object_new (SONDE_TYPE_RESPONSE_VIEW, NULL);
}

SondeResponse *
sonde_response_view_get_response (SondeResponseView *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE_VIEW (self), NULL);

  return self->response;
}

void
sonde_response_view_set_response (SondeResponseView *self,
                                  SondeResponse     *response)
{
  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (response == NULL || SONDE_IS_RESPONSE (response));

  /* The same response again (a cancelled send restores the previous one): show it back. */
  if (self->response == response)
    {
      show_state (self, response != NULL ? "response" : "empty");
      update_actions (self);
      return;
    }

  g_set_object (&self->response, response);
  if (response != NULL)
    show_response (self);
  else
    {
      sonde_body_view_set_body (self->body_view, NULL, NULL);
      show_state (self, "empty");
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONSE]);
}

void
sonde_response_view_set_error (SondeResponseView *self,
                               const GError      *error)
{
  const char *hint;

  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      adw_status_page_set_title (self->error_page, _("Request Cancelled"));
      adw_status_page_set_icon_name (self->error_page, "process-stop-symbolic");
      adw_status_page_set_description (self->error_page, NULL);
      hint = NULL;
    }
  else
    {
      adw_status_page_set_title (self->error_page, _("Could Not Send the Request"));
      adw_status_page_set_icon_name (self->error_page,
                                     error->domain == SONDE_REQUEST_ERROR ? "dialog-error-symbolic"
                                                                          : "network-error-symbolic");
      adw_status_page_set_description (self->error_page, error->message);
      hint = error_get_hint (error);
    }
  gtk_label_set_text (self->error_hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_hint_label), hint != NULL);

  g_clear_object (&self->response);
  sonde_body_view_set_body (self->body_view, NULL, NULL);
  show_state (self, "error");
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONSE]);
}

void
sonde_response_view_set_sending (SondeResponseView *self)
{
  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));

  self->progress_known = FALSE;
  gtk_label_set_text (self->progress_label, _("Sending…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_spinner_set_spinning (self->sending_spinner, TRUE);
  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (100, pulse_cb, self);
  show_state (self, "sending");
  update_actions (self);
}

void
sonde_response_view_set_progress (SondeResponseView      *self,
                                  SondeTransferDirection  direction,
                                  guint64                 done,
                                  guint64                 total)
{
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));

  done_text = g_format_size (done);
  if (total > 0)
    {
      total_text = g_format_size (total);
      if (direction == SONDE_TRANSFER_UPLOAD)
        /* Translators: "Uploading 12 MB of 512 MB" */
        text = g_strdup_printf (_("Uploading %s of %s"), done_text, total_text);
      else
        text = g_strdup_printf (_("Downloading %s of %s"), done_text, total_text);
    }
  else if (direction == SONDE_TRANSFER_UPLOAD)
    text = g_strdup_printf (_("Uploading %s"), done_text);
  else
    text = g_strdup_printf (_("Downloading %s"), done_text);

  gtk_label_set_text (self->progress_label, text);
  self->progress_known = total > 0;
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) done / total));
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

const char *
sonde_response_view_get_state (SondeResponseView *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->state_stack);
}

SondeBodyView *
sonde_response_view_get_body_view (SondeResponseView *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE_VIEW (self), NULL);

  return self->body_view;
}

GtkLabel *
sonde_response_view_get_status_label (SondeResponseView *self)
{
  return self->status_label;
}

GtkLabel *
sonde_response_view_get_progress_label (SondeResponseView *self)
{
  return self->progress_label;
}

AdwStatusPage *
sonde_response_view_get_error_page (SondeResponseView *self)
{
  return self->error_page;
}

GtkLabel *
sonde_response_view_get_error_hint_label (SondeResponseView *self)
{
  return self->error_hint_label;
}

GtkWidget *
sonde_response_view_get_tls_warning (SondeResponseView *self)
{
  return self->tls_warning_box;
}

GtkLabel *
sonde_response_view_get_body_warning_label (SondeResponseView *self)
{
  return self->body_warning_label;
}

GListModel *
sonde_response_view_get_headers_model (SondeResponseView *self)
{
  return G_LIST_MODEL (gtk_column_view_get_model (self->headers_view));
}

GListModel *
sonde_response_view_get_cookies_model (SondeResponseView *self)
{
  return G_LIST_MODEL (self->cookies);
}

char *
sonde_response_view_get_cookie_cell (SondeResponseView *self,
                                     guint              row,
                                     guint              column)
{
  g_autoptr(SondeCookieItem) item = g_list_model_get_item (G_LIST_MODEL (self->cookies), row);

  g_return_val_if_fail (item != NULL && column < N_COOKIE_COLUMNS, NULL);
  return cookie_get_column (item->cookie, column);
}

GtkStackPage *
sonde_response_view_get_redirects_page (SondeResponseView *self)
{
  return self->redirects_page;
}

GtkLabel *
sonde_response_view_get_timing_value (SondeResponseView *self,
                                      guint              phase)
{
  g_return_val_if_fail (phase < SONDE_TIMING_N_PHASES, NULL);
  return self->timing_values[phase];
}
