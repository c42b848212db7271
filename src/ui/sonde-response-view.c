/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-response-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-graphql.h"
#include "sonde-response-view-private.h"

G_DEFINE_FINAL_TYPE (SondeResponseView, sonde_response_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RESPONSE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static void ensure_response_page (SondeResponseView *self);

/* The Messages section of a WebSocket connection in the Body's place, or the Body back */
static void
show_websocket (SondeResponseView *self,
                SondeWebsocket    *websocket)
{
  gboolean was;

  if (self->websocket_view == NULL && websocket == NULL)
    return;
  ensure_response_page (self);
  was = gtk_stack_page_get_visible (self->messages_page);
  sonde_websocket_view_set_websocket (sonde_response_view_get_websocket_view (self), websocket);
  gtk_stack_page_set_visible (self->messages_page, websocket != NULL);
  gtk_stack_page_set_visible (self->body_page, websocket == NULL);
  if (websocket != NULL)
    gtk_stack_set_visible_child_name (self->section_stack, "messages");
  else if (was && g_strcmp0 (gtk_stack_get_visible_child_name (self->section_stack), "messages") == 0)
    gtk_stack_set_visible_child_name (self->section_stack, "body");
}

static void
update_actions (SondeResponseView *self)
{
  SondeBodyStore *body = self->response != NULL ? sonde_response_get_body (self->response) : NULL;
  gboolean shown = self->response != NULL &&
                   g_str_equal (gtk_stack_get_visible_child_name (self->state_stack), "response");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.save-body",
                                 shown && body != NULL && sonde_body_store_get_size (body) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.open-body",
                                 shown && body != NULL && sonde_body_store_get_size (body) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.copy-body",
                                 shown && self->body_view != NULL && sonde_body_view_can_copy (self->body_view));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.copy-headers", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "response.search", shown);
}

/* GraphQL servers fail with a 200 and an "errors" list: said above the body, as errors. */
static void
show_graphql_errors (SondeResponseView *self)
{
  guint status = sonde_response_get_status (self->response);
  g_auto(GStrv) errors = status >= 200 && status < 300 ? sonde_graphql_response_errors (self->response) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; errors != NULL && errors[i] != NULL; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", errors[i]);
  if (errors != NULL)
    g_string_prepend (text, g_strv_length (errors) == 1 ? _("The GraphQL server answered with an error:\n")
                                                         : _("The GraphQL server answered with errors:\n"));
  gtk_widget_set_visible (self->graphql_errors_box, errors != NULL);
  gtk_label_set_text (self->graphql_errors_label, text->str);
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
  /* A WebSocket handshake (101 Switching Protocols) has no body: its frames are in Messages */
  gtk_widget_set_visible (GTK_WIDGET (self->size_label), status != 101);
  gtk_label_set_text (self->version_label, sonde_response_get_http_version (response));
  gtk_label_set_text (self->url_label, sonde_response_get_url (response));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_label), sonde_response_get_url (response));

  gtk_widget_set_visible (self->tls_warning_box,
                          sonde_response_get_is_tls (response) && !sonde_response_get_tls_verified (response));
  gtk_widget_set_visible (self->body_warning_box, body_warning != NULL && body_warning[0] != '\0');
  gtk_label_set_text (self->body_warning_label, body_warning != NULL ? body_warning : "");
  show_graphql_errors (self);
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

  /* Every step of a redirect chain may set cookies: which one did is worth a column. */
  _sonde_cookie_list_set (self->cookies, self->response);
  _sonde_cookie_list_show_set_by (self->cookies_view, sonde_response_get_redirects (self->response)->len > 0);

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
      double ms = sonde_timing_get_phase (timings, i);
      g_autofree char *value = format_ms (ms > 0 ? ms : -1);
      /* The network phases are always listed, "—" when they did not happen (a reused
       * connection, a host given as an IP address); the time around them when there is some. */
      gboolean listed = ms > 0 || (i >= SONDE_TIMING_PHASE_DNS && i <= SONDE_TIMING_PHASE_DOWNLOAD);

      gtk_label_set_text (self->timing_values[i], value);
      gtk_widget_set_visible (self->timing_swatches[i], listed);
      gtk_widget_set_visible (self->timing_names[i], listed);
      gtk_widget_set_visible (GTK_WIDGET (self->timing_values[i]), listed);
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
redirect_row_new (guint               status,
                  const char         *url,
                  const char * const *dropped)
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
  if (dropped != NULL && dropped[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", (char **) dropped);
      g_autofree char *subtitle = NULL;

      /* Translators: %s is a list of header names, e.g. "Authorization, X-Api-Key" */
      subtitle = g_strdup_printf (_("Not sent to the next address, another origin: %s"), names);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
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

      gtk_list_box_append (self->redirects_list,
                           redirect_row_new (redirect->status, redirect->url,
                                             (const char * const *) redirect->dropped));
    }
  if (n > 0)
    {
      g_autofree char *title = g_strdup_printf (_("Redirects (%u)"), n);

      gtk_list_box_append (self->redirects_list,
                           redirect_row_new (sonde_response_get_status (self->response),
                                             sonde_response_get_url (self->response), NULL));
      g_object_set (self->redirects_page, "title", title, NULL);
    }
  gtk_stack_page_set_visible (self->redirects_page, n > 0);
}

static void
show_response (SondeResponseView *self)
{
  SondeBodyStore *body = sonde_response_get_body (self->response);
  GFile *output = sonde_response_get_output (self->response);

  ensure_response_page (self);
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
    return _("Check the port in the URL.");
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
  g_clear_pointer (&self->stream, sonde_event_stream_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_RESPONSE_VIEW);
  /* The response page went with the state stack: what was borrowed from it is gone */
  self->section_stack = NULL;
  self->body_view = NULL;
  g_clear_object (&self->response_builder);
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

/* The drop-down of compact mode lists the stack's pages by title and follows the page shown */
static void
section_dropdown_selected_cb (SondeResponseView *self)
{
  guint selected = gtk_drop_down_get_selected (self->section_dropdown);
  GListModel *pages = gtk_drop_down_get_model (self->section_dropdown);
  g_autoptr(GObject) page = NULL;

  if (selected == GTK_INVALID_LIST_POSITION)
    return;
  page = g_list_model_get_item (pages, selected);
  if (page != NULL)
    gtk_stack_set_visible_child (self->section_stack, gtk_stack_page_get_child (GTK_STACK_PAGE (page)));
}

static void
section_shown_cb (SondeResponseView *self)
{
  GListModel *pages = gtk_drop_down_get_model (self->section_dropdown);
  GtkWidget *child = gtk_stack_get_visible_child (self->section_stack);

  for (guint i = 0; pages != NULL && i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(GObject) page = g_list_model_get_item (pages, i);

      if (gtk_stack_page_get_child (GTK_STACK_PAGE (page)) == child && gtk_drop_down_get_selected (self->section_dropdown) != i)
        gtk_drop_down_set_selected (self->section_dropdown, i);
    }
}

static void
filter_changed_cb (GtkFilter *filter)
{
  gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
setup_section_dropdown (SondeResponseView *self)
{
  GtkExpression *title = gtk_property_expression_new (GTK_TYPE_STACK_PAGE, NULL, "title");
  GtkSelectionModel *pages = gtk_stack_get_pages (self->section_stack);
  GtkFilter *visible = GTK_FILTER (gtk_bool_filter_new (gtk_property_expression_new (GTK_TYPE_STACK_PAGE, NULL, "visible")));
  g_autoptr(GtkFilterListModel) shown = NULL;

  /* Pages come and go (Checks, Redirects, Messages): the filter is told */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(GObject) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      g_signal_connect_object (page, "notify::visible", G_CALLBACK (filter_changed_cb), visible,
                               G_CONNECT_SWAPPED);
    }
  /* The model: the stack's visible pages (their titles change with the counts) */
  shown = gtk_filter_list_model_new (G_LIST_MODEL (pages), visible);
  gtk_drop_down_set_expression (self->section_dropdown, title);
  gtk_drop_down_set_model (self->section_dropdown, G_LIST_MODEL (shown));
  gtk_expression_unref (title);
  g_signal_connect_object (self->section_dropdown, "notify::selected",
                           G_CALLBACK (section_dropdown_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->section_stack, "notify::visible-child",
                           G_CALLBACK (section_shown_cb), self, G_CONNECT_SWAPPED);
  section_shown_cb (self);
}

void
sonde_response_view_set_compact (SondeResponseView *self,
                                 gboolean           compact)
{
  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));

  self->compact = compact;
  if (self->section_stack == NULL)
    return;
  gtk_widget_set_visible (self->section_switcher, !compact);
  gtk_widget_set_visible (GTK_WIDGET (self->section_dropdown), compact);
  /* The status line keeps status, time, size and checks; the URL and HTTP version are in
   * the Headers section */
  gtk_widget_set_visible (GTK_WIDGET (self->url_label), !compact);
  gtk_widget_set_visible (GTK_WIDGET (self->version_label), !compact);
  sonde_body_view_set_compact (sonde_response_view_get_body_view (self), compact);
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
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, stream_spinner);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, stream_label);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, stream_scroller);
  gtk_widget_class_bind_template_child (widget_class, SondeResponseView, stream_list);

  _sonde_response_view_class_init_actions (widget_class);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* The widgets that show a response (status line, sections, body view) are most of the view,
 * and a new window has no response yet: they are built with the first one, which kept about
 * 40 ms and 4 MiB off the window's start-up (tests/bench/bench-window). */
static void
ensure_response_page (SondeResponseView *self)
{
  GtkBuilder *builder;
  g_autoptr(GtkNoSelection) cookie_selection = NULL;

  if (self->section_stack != NULL)
    return;

  /* Kept: the tests look widgets up in it by name */
  builder = self->response_builder = gtk_builder_new ();
  gtk_builder_set_current_object (builder, G_OBJECT (self));
  if (!gtk_builder_add_from_resource (builder, "/io/github/sonde/Sonde/ui/sonde-response-page.ui", NULL))
    g_assert_not_reached ();

#define GET(name) self->name = (gpointer) gtk_builder_get_object (builder, #name)
  GET (status_label);
  GET (time_label);
  GET (size_label);
  GET (version_label);
  GET (url_label);
  GET (tls_warning_box);
  GET (checks_page);
  GET (checks_list);
  GET (checks_label);
  GET (body_warning_box);
  GET (body_warning_label);
  GET (graphql_errors_box);
  GET (graphql_errors_label);
  GET (section_stack);
  GET (section_switcher);
  GET (section_dropdown);
  GET (body_page);
  GET (body_view);
  GET (messages_page);
  GET (messages_bin);
  GET (headers_page);
  GET (headers_summary_label);
  GET (headers_view);
  GET (cookies_page);
  GET (cookies_stack);
  GET (cookies_view);
  GET (timing_total_label);
  GET (timing_bar);
  GET (timing_legend);
  GET (connection_label);
  GET (redirects_page);
  GET (redirects_list);
#undef GET

  gtk_stack_add_named (self->state_stack, GTK_WIDGET (gtk_builder_get_object (builder, "response_box")),
                       "response");

  /* Messages comes first but hidden: the page leaves it shown */
  gtk_stack_set_visible_child_name (self->section_stack, "body");
  setup_section_dropdown (self);
  sonde_response_view_set_compact (self, self->compact);

  cookie_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->cookies)));
  gtk_column_view_set_model (self->cookies_view, GTK_SELECTION_MODEL (cookie_selection));
  _sonde_cookie_list_add_columns (self->cookies_view);

  for (guint i = 0; i < SONDE_TIMING_N_PHASES; i++)
    {
      GtkWidget *swatch = sonde_timing_swatch_new (i);
      GtkWidget *name = gtk_label_new (sonde_timing_phase_get_label (i));
      GtkWidget *value = gtk_label_new ("—");

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_widget_add_css_class (value, "numeric");
      gtk_grid_attach (self->timing_legend, swatch, 0, i, 1, 1);
      gtk_grid_attach (self->timing_legend, name, 1, i, 1, 1);
      gtk_grid_attach (self->timing_legend, value, 2, i, 1, 1);
      self->timing_swatches[i] = swatch;
      self->timing_names[i] = name;
      self->timing_values[i] = GTK_LABEL (value);
    }

  g_signal_connect_object (self->body_view, "notify::loading",
                           G_CALLBACK (body_view_loading_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
sonde_response_view_init (SondeResponseView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cookies = _sonde_cookie_list_new ();
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
  show_websocket (self, NULL);
  g_clear_pointer (&self->stream, sonde_event_stream_free);
  gtk_spinner_set_spinning (self->stream_spinner, FALSE);
  /* Checks belong to the send that set them (sonde_response_view_set_checks ()). */
  sonde_response_view_set_checks (self, NULL);
  if (response != NULL)
    show_response (self);
  else
    {
      if (self->body_view != NULL)
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
  show_websocket (self, NULL);
  if (self->body_view != NULL)
    sonde_body_view_set_body (self->body_view, NULL, NULL);
  show_state (self, "error");
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESPONSE]);
}

/* Streams */

/* The most event rows kept: a stream may run for hours */
#define MAX_STREAM_ROWS 500

static void
stream_reset (SondeResponseView *self)
{
  GtkWidget *row;

  g_clear_pointer (&self->stream, sonde_event_stream_free);
  self->stream_count = 0;
  self->stream_dropped = 0;
  self->stream_ignored = FALSE;
  gtk_spinner_set_spinning (self->stream_spinner, FALSE);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->stream_list))) != NULL)
    gtk_list_box_remove (self->stream_list, row);
}

static void
update_stream_label (SondeResponseView *self)
{
  g_autofree char *text = NULL;

  if (self->stream_dropped > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Receiving events… %u so far (the oldest %u not shown)",
                                         "Receiving events… %u so far (the oldest %u not shown)", self->stream_count),
                            self->stream_count, self->stream_dropped);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Receiving events… %u so far", "Receiving events… %u so far",
                                         self->stream_count),
                            self->stream_count);
  gtk_label_set_text (self->stream_label, text);
}

static void
stream_event_cb (const SondeServerEvent *event,
                 gpointer                user_data)
{
  SondeResponseView *self = user_data;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header;
  GtkWidget *data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S.%f");
  g_autofree char *title = NULL;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->stream_scroller));
  /* Follow the newest, unless the person scrolled up to read */
  gboolean at_end = gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
                    gtk_adjustment_get_upper (adjustment) - 4;

  time[12] = '\0';  /* milliseconds */
  if (event->id != NULL && event->id[0] != '\0')
    title = g_strdup_printf ("%s · %s · id %s", time, event->event != NULL ? event->event : "message", event->id);
  else if (event->event != NULL || !self->stream_is_ndjson)
    title = g_strdup_printf ("%s · %s", time, event->event != NULL ? event->event : "message");
  else
    title = g_strdup (time);
  header = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "dim-label");
  gtk_widget_add_css_class (header, "caption");
  data = gtk_label_new (event->data);
  gtk_label_set_xalign (GTK_LABEL (data), 0);
  gtk_label_set_wrap (GTK_LABEL (data), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (data), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (data), TRUE);
  gtk_label_set_lines (GTK_LABEL (data), 8);
  gtk_label_set_ellipsize (GTK_LABEL (data), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (data, "monospace");
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), data);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_append (self->stream_list, box);

  self->stream_count++;
  if (self->stream_count - self->stream_dropped > MAX_STREAM_ROWS)
    {
      gtk_list_box_remove (self->stream_list, gtk_widget_get_first_child (GTK_WIDGET (self->stream_list)));
      self->stream_dropped++;
    }
  self->stream_follow = at_end;
}

/* The list grew (its size is known after layout): show the newest if following */
static void
stream_upper_cb (SondeResponseView *self,
                 GParamSpec        *pspec,
                 GtkAdjustment     *adjustment)
{
  if (self->stream != NULL && self->stream_follow)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
}

void
sonde_response_view_add_stream_data (SondeResponseView *self,
                                     SondeResponse     *response,
                                     const guint8      *data,
                                     gsize              length)
{
  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (SONDE_IS_RESPONSE (response));

  if (self->stream_ignored)
    return;
  if (self->stream == NULL)
    {
      gboolean ndjson = FALSE;

      if (!sonde_event_stream_type (sonde_response_get_content_type (response), &ndjson))
        {
          self->stream_ignored = TRUE;
          return;
        }
      self->stream = sonde_event_stream_new (ndjson);
      self->stream_is_ndjson = ndjson;
      self->stream_follow = TRUE;
      if (self->stream_upper_id == 0)
        {
          GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->stream_scroller));

          self->stream_upper_id = g_signal_connect_object (adjustment, "notify::upper", G_CALLBACK (stream_upper_cb),
                                                           self, G_CONNECT_SWAPPED);
        }
      gtk_spinner_set_spinning (self->stream_spinner, TRUE);
      update_stream_label (self);
      show_state (self, "streaming");
    }
  sonde_event_stream_feed (self->stream, (const char *) data, length, stream_event_cb, self);
  update_stream_label (self);
}

/**
 * sonde_response_view_stop_stream:
 *
 * Returns: %TRUE when events were being shown: they stay, with how many came (a stream the
 * person stops is not an error to hide them behind).
 */
gboolean
sonde_response_view_stop_stream (SondeResponseView *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (SONDE_IS_RESPONSE_VIEW (self), FALSE);

  if (self->stream == NULL)
    return FALSE;
  g_clear_pointer (&self->stream, sonde_event_stream_free);
  gtk_spinner_set_spinning (self->stream_spinner, FALSE);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stopped after %u event", "Stopped after %u events",
                                       self->stream_count),
                          self->stream_count);
  gtk_label_set_text (self->stream_label, text);
  return TRUE;
}

guint
sonde_response_view_get_stream_count (SondeResponseView *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE_VIEW (self), 0);

  return self->stream_count;
}

void
sonde_response_view_set_sending (SondeResponseView *self)
{
  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));

  stream_reset (self);
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

  /* Made here if no response has been shown yet: the callers search it or set it up */
  ensure_response_page (self);
  return self->body_view;
}

GtkLabel *
sonde_response_view_get_status_label (SondeResponseView *self)
{
  ensure_response_page (self);
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
  ensure_response_page (self);
  return self->tls_warning_box;
}

GtkLabel *
sonde_response_view_get_body_warning_label (SondeResponseView *self)
{
  ensure_response_page (self);
  return self->body_warning_label;
}

GListModel *
sonde_response_view_get_headers_model (SondeResponseView *self)
{
  ensure_response_page (self);
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
  return _sonde_cookie_list_get_cell (G_LIST_MODEL (self->cookies), row, column);
}

GtkStackPage *
sonde_response_view_get_redirects_page (SondeResponseView *self)
{
  ensure_response_page (self);
  return self->redirects_page;
}

GtkListBox *
sonde_response_view_get_redirects_list (SondeResponseView *self)
{
  ensure_response_page (self);
  return self->redirects_list;
}

GtkLabel *
sonde_response_view_get_timing_total_label (SondeResponseView *self)
{
  ensure_response_page (self);
  return self->timing_total_label;
}

GtkLabel *
sonde_response_view_get_timing_value (SondeResponseView *self,
                                      guint              phase)
{
  g_return_val_if_fail (phase < SONDE_TIMING_N_PHASES, NULL);
  ensure_response_page (self);
  return self->timing_values[phase];
}

GtkStackPage *
sonde_response_view_get_checks_page (SondeResponseView *self)
{
  ensure_response_page (self);
  return self->checks_page;
}

GtkListBox *
sonde_response_view_get_checks_list (SondeResponseView *self)
{
  ensure_response_page (self);
  return self->checks_list;
}

GtkLabel *
sonde_response_view_get_checks_label (SondeResponseView *self)
{
  ensure_response_page (self);
  return self->checks_label;
}

/**
 * sonde_response_view_set_checks:
 * @results: (nullable) (element-type SondeCheckResult): the request's checks evaluated
 *   against the response shown, or %NULL when it has none
 *
 * Shows them on the Checks page, failures first, and "3/4 checks" in the status line.
 */
void
sonde_response_view_set_checks (SondeResponseView *self,
                                GPtrArray         *results)
{
  GtkWidget *child;
  guint passed = 0;
  guint n = results != NULL ? results->len : 0;

  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));

  if (n == 0 && self->section_stack == NULL)
    return;
  ensure_response_page (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->checks_list))) != NULL)
    gtk_list_box_remove (self->checks_list, child);

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        SondeCheckResult *result = results->pdata[i];
        GtkWidget *row;
        GtkWidget *icon;

        if (result->passed != (pass == 1))
          continue;
        if (result->passed)
          passed++;
        row = adw_action_row_new ();
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), result->description);
        adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
        if (!result->passed && result->message != NULL)
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), result->message);
        icon = gtk_image_new_from_icon_name (result->passed ? "emblem-ok-symbolic" : "dialog-error-symbolic");
        gtk_widget_add_css_class (icon, result->passed ? "success" : "error");
        gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        result->passed ? _("Passed") : _("Failed"), -1);
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        gtk_list_box_append (self->checks_list, row);
      }

  gtk_stack_page_set_visible (self->checks_page, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->checks_label), n > 0);
  if (n > 0)
    {
      /* Translators: "3/4 checks" passed, in the response's status line */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u/%u check", "%u/%u checks", n),
                                               passed, n);
      g_autofree char *title = g_strdup_printf (_("Checks (%u/%u)"), passed, n);

      gtk_label_set_text (self->checks_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->checks_label), passed == n ? "error" : "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->checks_label), passed == n ? "success" : "error");
      g_object_set (self->checks_page, "title", title, NULL);
    }
}

/**
 * sonde_response_view_set_websocket:
 *
 * Shows an open connection: its handshake as the response (status, headers, cookies,
 * timing), and its Messages section in the Body's place. A response or error set later puts
 * the Body back.
 */
void
sonde_response_view_set_websocket (SondeResponseView *self,
                                   SondeWebsocket    *websocket)
{
  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));
  g_return_if_fail (SONDE_IS_WEBSOCKET (websocket));

  sonde_response_view_set_response (self, sonde_websocket_get_handshake (websocket));
  show_websocket (self, websocket);
  update_actions (self);
}

/* The tests' way to a widget of the response page, by its id in sonde-response-page.ui */
GtkWidget *
sonde_response_view_get_page_widget (SondeResponseView *self,
                                     const char        *id)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE_VIEW (self), NULL);

  ensure_response_page (self);
  return GTK_WIDGET (gtk_builder_get_object (self->response_builder, id));
}

SondeWebsocketView *
sonde_response_view_get_websocket_view (SondeResponseView *self)
{
  g_return_val_if_fail (SONDE_IS_RESPONSE_VIEW (self), NULL);

  /* Most tabs never open a WebSocket: the view is made when one does (start-up, memory) */
  if (self->websocket_view == NULL)
    {
      ensure_response_page (self);
      self->websocket_view = SONDE_WEBSOCKET_VIEW (sonde_websocket_view_new ());
      adw_bin_set_child (self->messages_bin, GTK_WIDGET (self->websocket_view));
    }
  return self->websocket_view;
}

/* The "Sending…" line while a send has not reported progress yet ("Connecting…") */
void
sonde_response_view_set_progress_text (SondeResponseView *self,
                                       const char        *text)
{
  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));

  gtk_label_set_text (self->progress_label, text);
}

/* The error page's title, after sonde_response_view_set_error () ("Could Not Connect") */
void
sonde_response_view_set_error_title (SondeResponseView *self,
                                     const char        *title)
{
  g_return_if_fail (SONDE_IS_RESPONSE_VIEW (self));

  adw_status_page_set_title (self->error_page, title);
}
