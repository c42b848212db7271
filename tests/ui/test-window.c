/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "sonde-application.h"
#include "sonde-auth-editor.h"
#include "sonde-body-editor.h"
#include "sonde-cookies-dialog.h"
#include "sonde-copy-as-dialog.h"
#include "sonde-preferences-window.h"
#include "sonde-response-view-private.h"
#include "sonde-core.h"
#include "sonde-editor-utils.h"
#include "sonde-key-value-editor.h"
#include "sonde-message-editor.h"
#include "sonde-message-row.h"
#include "sonde-test-server.h"
#include "sonde-test-ui.h"
#include "sonde-test-utils.h"
#include "sonde-window.h"

/* One application per process, registered once. */
static SondeApplication *app;

typedef struct
{
  SondeTestServer *server;
  SondeWindow *window;
  char *tmp_dir;
} Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = sonde_test_server_new ();
  fixture->tmp_dir = g_dir_make_tmp ("sonde-test-window-XXXXXX", &error);
  g_assert_no_error (error);

  fixture->window = sonde_window_new (app);
  gtk_window_present (GTK_WINDOW (fixture->window));
  sonde_test_ui_spin_until_idle ();
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  sonde_test_ui_destroy_dialogs ();
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  sonde_test_ui_spin_until_idle ();
  sonde_test_server_free (fixture->server);
  sonde_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
}

static SondeRequestPage *
current_page (Fixture *fixture)
{
  SondeRequestPage *page = sonde_window_get_current_page (fixture->window);

  g_assert_nonnull (page);
  return page;
}

static gboolean
has_response (gpointer data)
{
  SondeRequestPage *page = data;

  return !sonde_request_page_get_sending (page) &&
         sonde_response_view_get_response (sonde_request_page_get_response_view (page)) != NULL;
}

static gboolean
is_sending_to_server (gpointer data)
{
  Fixture *fixture = data;

  return sonde_test_server_get_request_count (fixture->server) > 0;
}

static char *
response_body (SondeResponse *response)
{
  g_autoptr(GBytes) bytes = sonde_body_store_get_bytes (sonde_response_get_body (response));

  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_window_tabs (Fixture       *fixture,
                  gconstpointer  data)
{
  AdwTabView *tab_view = sonde_window_get_tab_view (fixture->window);
  GtkStack *main_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                   SONDE_TYPE_WINDOW, "main_stack"));
  AdwStatusPage *empty_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                              SONDE_TYPE_WINDOW, "empty_page"));

  /* A new window opens on a fresh request; the empty state's icon (an SVG, which would load
   * librsvg) is not set until it is shown. */
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "tabs");
  g_assert_null (adw_status_page_get_icon_name (empty_page));
  g_assert_cmpstr (sonde_request_page_get_title (current_page (fixture)), ==, "Untitled Request");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-tab", NULL));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);

  /* Unmodified tabs close without asking; the last one leaves the empty state. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.close-tab", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.close-tab", NULL));
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_icon_name (empty_page), ==, "io.github.sonde.Sonde-symbolic");
  g_assert_null (sonde_window_get_current_page (fixture->window));
  /* Nothing to send or close now: these do nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.close-tab", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.save", NULL);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-tab", NULL));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "tabs");
}

static void
test_window_move_tab (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwTabView *tab_view = sonde_window_get_tab_view (fixture->window);
  SondeWindow *other = sonde_window_new (app);
  AdwTabView *other_view = sonde_window_get_tab_view (other);
  SondeRequestPage *page = current_page (fixture);
  AdwTabPage *tab;

  /* What dragging a tab to another window does. */
  adw_tab_view_transfer_page (tab_view, adw_tab_view_get_page (tab_view, GTK_WIDGET (page)), other_view, 1);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 0);
  g_assert_cmpint (adw_tab_view_get_n_pages (other_view), ==, 2);

  /* The window it went to follows it now. */
  sonde_request_set_name (sonde_request_page_get_request (page), "Moved");
  tab = adw_tab_view_get_page (other_view, GTK_WIDGET (page));
  g_assert_cmpstr (adw_tab_page_get_title (tab), ==, "• Moved");

  sonde_request_page_set_modified (page, FALSE);
  gtk_window_destroy (GTK_WINDOW (other));
  sonde_test_ui_spin_until_idle ();
}

static void
test_window_send (Fixture       *fixture,
                  gconstpointer  data)
{
  SondeRequestPage *page = current_page (fixture);
  SondeRequest *request = sonde_request_page_get_request (page);
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  SondeKeyValueEditor *headers_editor = SONDE_KEY_VALUE_EDITOR (sonde_request_editor_get_page (editor, "headers"));
  SondeBody *body = sonde_request_get_body (request);
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo?page=2");
  g_autoptr(SondeBodyPart) part = sonde_body_part_new_text ("field", "hello multipart");
  g_autofree char *echo = NULL;
  SondeResponse *response;

  gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), url);
  sonde_request_set_method (request, "POST");
  /* A header typed in the rows editor, as a person would. */
  gtk_editable_set_text (sonde_key_value_editor_get_name_entry (headers_editor, 0), "X-Sonde-Test");
  gtk_editable_set_text (sonde_key_value_editor_get_value_entry (headers_editor, 0), "yes");
  sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
  g_list_store_append (sonde_body_get_parts (body), part);

  g_assert_true (sonde_request_page_get_modified (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  g_assert_true (sonde_request_page_get_sending (page));
  g_assert_true (sonde_request_editor_get_sending (editor));
  sonde_test_ui_spin_until (has_response, page);

  response = sonde_response_view_get_response (sonde_request_page_get_response_view (page));
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  echo = response_body (response);
  g_test_message ("%s", echo);
  g_assert_nonnull (strstr (echo, "\"method\":\"POST\"") ? strstr (echo, "\"method\":\"POST\"") : strstr (echo, "\"method\": \"POST\""));
  g_assert_nonnull (strstr (echo, "X-Sonde-Test"));
  g_assert_nonnull (strstr (echo, "hello multipart"));
  g_assert_nonnull (strstr (echo, "page=2"));
  g_assert_false (sonde_request_editor_get_sending (editor));

  /* Forwarded to the response view. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search-response", NULL));
}

/* A GraphQL endpoint of its own: an introspection answer for requests that carry the token */
static void
graphql_schema_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer          user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  const char *schema = "{\"data\": {\"__schema\": {\"types\": [{\"name\": \"Query\", \"fields\": ["
                       "{\"name\": \"invoices\", \"args\": [{\"name\": \"first\"}]}]},"
                       "{\"name\": \"Invoice\", \"fields\": [{\"name\": \"total\", \"args\": []}]}]}}}";

  if (g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"), "Bearer t0k") != 0)
    {
      soup_server_message_set_status (msg, 401, NULL);
      return;
    }
  g_assert_nonnull (strstr (text, "__schema"));
  g_assert_nonnull (strstr (text, "\"operationName\":\"IntrospectionQuery\""));
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, schema, strlen (schema));
}

static gboolean
schema_done (gpointer data)
{
  GtkWidget *fetch_button = data;

  return gtk_widget_get_sensitive (fetch_button);
}

/* Fetch Schema: the introspection query goes with the request's auth; the names become
 * completions; a server that refuses says so where the button is. */
static void
test_window_fetch_schema (Fixture       *fixture,
                          gconstpointer  data)
{
  SondeRequestPage *page = current_page (fixture);
  SondeRequest *request = sonde_request_page_get_request (page);
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  SondeBodyEditor *body_editor = SONDE_BODY_EDITOR (sonde_request_editor_get_page (editor, "body"));
  GtkWidget *fetch_button = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (body_editor), SONDE_TYPE_BODY_EDITOR,
                                                                        "fetch_schema_button");
  GtkLabel *schema_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (body_editor), SONDE_TYPE_BODY_EDITOR,
                                                                     "schema_label"));
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char * const expected[] = { "Invoice", "Query", "first", "invoices", "total", NULL };

  soup_server_add_handler (server, "/graphql", graphql_schema_cb, NULL, NULL);
  {
    g_autofree char *base = sonde_test_listen_local (server);

    url = g_strconcat (base, "/graphql", NULL);
  }

  gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), url);
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_GRAPHQL);
  g_assert_true (gtk_widget_get_visible (fetch_button));
  sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BEARER);
  sonde_auth_set_token (sonde_request_get_auth (request), "wrong");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.fetch-schema", NULL));
  g_assert_false (gtk_widget_get_sensitive (fetch_button));
  sonde_test_ui_spin_until (schema_done, fetch_button);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (schema_label), "error"));
  g_assert_cmpstr (gtk_label_get_text (schema_label), ==, "Could not fetch the schema: the server answered 401 Unauthorized");
  g_assert_null (sonde_body_editor_get_schema_names (body_editor));

  sonde_auth_set_token (sonde_request_get_auth (request), "t0k");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.fetch-schema", NULL));
  sonde_test_ui_spin_until (schema_done, fetch_button);
  g_assert_cmpstrv (sonde_body_editor_get_schema_names (body_editor), expected);
  g_assert_cmpstr (gtk_label_get_text (schema_label), ==, "The schema gave 5 names to complete in the query (Ctrl+Space)");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (schema_label), "error"));
  /* The request itself is untouched: still the person's GraphQL body */
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (request)), ==, "");
  g_assert_cmpstr (sonde_request_get_method (request), ==, "GET");
}

static guint tokens_issued;

static void
oauth_token_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  g_autofree char *json = NULL;

  if (g_strcmp0 (g_hash_table_lookup (form, "client_secret"), "s3cret") != 0)
    {
      json = g_strdup ("{\"error\": \"invalid_client\"}");
      soup_server_message_set_status (msg, 401, NULL);
    }
  else
    {
      json = g_strdup_printf ("{\"access_token\": \"tok-%u\", \"expires_in\": 600}", ++tokens_issued);
      soup_server_message_set_status (msg, 200, NULL);
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static gboolean
token_done (gpointer data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (data));
}

/* OAuth 2.0: Get New Token asks the token endpoint with the auth as a send would have it
 * ({{variables}} expanded), says until when it holds, and Clear forgets it. */
static void
test_window_oauth_token (Fixture       *fixture,
                         gconstpointer  data)
{
  SondeRequestPage *page = current_page (fixture);
  SondeRequest *request = sonde_request_page_get_request (page);
  SondeAuth *auth = sonde_request_get_auth (request);
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  SondeAuthEditor *auth_editor = SONDE_AUTH_EDITOR (sonde_request_editor_get_page (editor, "auth"));
  GtkWidget *get_button = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                      "oauth_get_button");
  GtkWidget *token_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                     "oauth_token_row");
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token_url = NULL;

  soup_server_add_handler (server, "/token", oauth_token_cb, NULL, NULL);
  {
    g_autofree char *base = sonde_test_listen_local (server);

    token_url = g_strconcat (base, "/token", NULL);
  }

  sonde_auth_set_kind (auth, SONDE_AUTH_OAUTH2);
  g_assert_true (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                                      "oauth_group")));
  g_assert_cmpstr (sonde_auth_editor_get_token_status (auth_editor), ==, "Sonde gets one when the request is sent");
  sonde_auth_set_oauth (auth, SONDE_OAUTH_TOKEN_URL, token_url);
  sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_ID, "app");
  sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_SECRET, "wrong");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.oauth-get-token", NULL));
  g_assert_false (gtk_widget_get_sensitive (get_button));
  sonde_test_ui_spin_until (token_done, get_button);
  g_assert_true (gtk_widget_has_css_class (token_row, "error"));
  g_assert_cmpstr (sonde_auth_editor_get_token_status (auth_editor), ==,
                   "No token: The token endpoint refused: invalid_client");

  sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_SECRET, "s3cret");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.oauth-get-token", NULL));
  sonde_test_ui_spin_until (token_done, get_button);
  g_assert_false (gtk_widget_has_css_class (token_row, "error"));
  g_assert_true (g_str_has_prefix (sonde_auth_editor_get_token_status (auth_editor), "Valid until "));
  g_assert_cmpuint (tokens_issued, ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.oauth-clear-token", NULL));
  g_assert_cmpstr (sonde_auth_editor_get_token_status (auth_editor), ==, "No token: the next send gets one");

  /* The grant's rows: a password grant asks for the user; the code grant for the page */
  sonde_auth_set_oauth (auth, SONDE_OAUTH_GRANT, "password");
  g_assert_true (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                                      "oauth_username_row")));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                                               "oauth_grant_row"))), ==, 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                            "oauth_grant_row")), 2);
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_GRANT), ==, "authorization_code");
  g_assert_true (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                                      "oauth_auth_url_row")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                            "oauth_client_auth_row")), 1);
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_CLIENT_AUTH), ==, "basic");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                      "oauth_token_header_row")), "X-Access-Token");
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_HEADER), ==, "X-Access-Token");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                      "oauth_token_query_row")), "access_token");
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_QUERY), ==, "access_token");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (auth_editor), SONDE_TYPE_AUTH_EDITOR,
                                                                      "oauth_extra_params_row")), "resource=api");
  g_assert_cmpstr (sonde_auth_get_oauth (auth, SONDE_OAUTH_EXTRA_PARAMS), ==, "resource=api");
}

/* Server-Sent Events: one every 50 ms, LIMIT of them (0: until the client goes) */
typedef struct
{
  SoupServerMessage *msg;
  guint              sent;
  guint              limit;
  gboolean           gone;
} Ticker;

static guint tickers_running;

static gboolean
ticker_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (ticker->msg);
  g_autofree char *event = NULL;

  if (ticker->gone || (ticker->limit > 0 && ticker->sent == ticker->limit))
    {
      if (!ticker->gone)
        {
          soup_message_body_complete (body);
          soup_server_message_unpause (ticker->msg);
        }
      g_signal_handlers_disconnect_by_data (ticker->msg, ticker);
      g_object_unref (ticker->msg);
      g_free (ticker);
      tickers_running--;
      return G_SOURCE_REMOVE;
    }
  event = g_strdup_printf ("event: price\nid: %u\ndata: {\"n\": %u}\n\n", ticker->sent, ticker->sent);
  soup_message_body_append (body, SOUP_MEMORY_COPY, event, strlen (event));
  soup_server_message_unpause (ticker->msg);
  ticker->sent++;
  return G_SOURCE_CONTINUE;
}

static void
ticker_finished_cb (SoupServerMessage *msg,
                    Ticker            *ticker)
{
  ticker->gone = TRUE;
}

static gboolean
no_ticker_runs (gpointer data)
{
  return tickers_running == 0;
}

static void
sse_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Ticker *ticker = g_new0 (Ticker, 1);

  ticker->limit = g_str_equal (path, "/endless") ? 0 : 20;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), "text/event-stream", NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg), SOUP_ENCODING_CHUNKED);
  ticker->msg = g_object_ref (msg);
  g_signal_connect (msg, "finished", G_CALLBACK (ticker_finished_cb), ticker);
  g_signal_connect (msg, "disconnected", G_CALLBACK (ticker_finished_cb), ticker);
  soup_server_message_pause (msg);
  tickers_running++;
  g_timeout_add (50, ticker_cb, ticker);
}

typedef struct
{
  SondeResponseView *view;
  guint              count;
  gint64             last;
  gint64             longest_gap;
} StreamWait;

static gboolean
has_events (gpointer data)
{
  StreamWait *wait = data;
  gint64 now = g_get_monotonic_time ();

  if (wait->last != 0)
    wait->longest_gap = MAX (wait->longest_gap, now - wait->last);
  wait->last = now;
  return sonde_response_view_get_stream_count (wait->view) >= wait->count;
}

/* Events show as they arrive, before the stream ends; Stop keeps what came */
static void
test_window_server_sent_events (Fixture       *fixture,
                                gconstpointer  data)
{
  SondeRequestPage *page = current_page (fixture);
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  SondeResponseView *view = sonde_request_page_get_response_view (page);
  GtkStack *state_stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (view), SONDE_TYPE_RESPONSE_VIEW, "state_stack"));
  GtkLabel *stream_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (view), SONDE_TYPE_RESPONSE_VIEW, "stream_label"));
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *endless = NULL;
  StreamWait wait = { view, 3, 0, 0 };
  g_autofree char *base = NULL;
  SondeResponse *response;

  soup_server_add_handler (server, "/events", sse_cb, NULL, NULL);
  soup_server_add_handler (server, "/endless", sse_cb, NULL, NULL);
  base = sonde_test_listen_local (server);
  url = g_strconcat (base, "/events", NULL);
  endless = g_strconcat (base, "/endless", NULL);

  gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  sonde_test_ui_spin_until (has_events, &wait);
  /* Three events in, the stream (of twenty) still open */
  g_assert_true (sonde_request_page_get_sending (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (state_stack), ==, "streaming");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (stream_label), "Receiving events…"));
  g_test_message ("longest main-loop gap while events arrived: %.1f ms", wait.longest_gap / 1000.0);
  sonde_test_ui_spin_until (has_response, page);
  response = sonde_response_view_get_response (view);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  /* Every event came through the list; the finished stream then shows as its body */
  g_assert_cmpuint (sonde_response_view_get_stream_count (view), ==, 20);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (state_stack), ==, "response");

  /* An endless stream, stopped: the events stay */
  gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), endless);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  wait.count = 4;
  sonde_test_ui_spin_until (has_events, &wait);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-request", NULL));
  g_assert_false (sonde_request_page_get_sending (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (state_stack), ==, "streaming");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (stream_label), "Stopped after "));
  /* The server sees the client go, and stops */
  sonde_test_ui_spin_until (no_ticker_runs, NULL);
}

/* WebSocket: a ws:// URL makes the request one; Connect, saved messages, the composer,
 * Disconnect, and back to HTTP */
static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  GPtrArray *connections = user_data;

  g_ptr_array_add (connections, g_object_ref (connection));
  sonde_test_websocket_echo (connection);
}

static gboolean
is_connected (gpointer data)
{
  return sonde_request_page_get_connected (data);
}

static gboolean
is_not_sending (gpointer data)
{
  return !sonde_request_page_get_sending (data);
}

static gboolean
is_disconnected (gpointer data)
{
  return !sonde_request_page_get_connected (data);
}

typedef struct
{
  SondeRequestPage *page;
  guint             count;
} LogWait;

static gboolean
log_has (gpointer data)
{
  LogWait *wait = data;
  SondeWebsocket *websocket = sonde_request_page_get_websocket (wait->page);

  return websocket != NULL && g_list_model_get_n_items (sonde_websocket_get_log (websocket)) >= wait->count;
}

static const char *
last_text (SondeRequestPage *page)
{
  GListModel *log = sonde_websocket_get_log (sonde_request_page_get_websocket (page));
  g_autoptr(SondeFrame) frame = g_list_model_get_item (log, g_list_model_get_n_items (log) - 1);

  return sonde_frame_get_text (frame);
}

static void
test_window_websocket (Fixture       *fixture,
                       gconstpointer  data)
{
  SondeRequestPage *page = current_page (fixture);
  SondeRequest *request = sonde_request_page_get_request (page);
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  SondeResponseView *view = sonde_request_page_get_response_view (page);
  SondeWebsocketView *websocket_view = sonde_response_view_get_websocket_view (view);
  GtkDropDown *methods = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (editor), SONDE_TYPE_REQUEST_EDITOR,
                                                                       "method_dropdown"));
  GtkLabel *send_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (editor), SONDE_TYPE_REQUEST_EDITOR,
                                                                   "send_label"));
  GtkStack *tabs = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (editor), SONDE_TYPE_REQUEST_EDITOR, "stack"));
  GtkStack *sections = GTK_STACK (sonde_response_view_get_page_widget (view, "section_stack"));
  GtkLabel *composer_error = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (websocket_view),
                                                                       SONDE_TYPE_WEBSOCKET_VIEW, "composer_error"));
  GtkTextView *detail = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (websocket_view),
                                                                      SONDE_TYPE_WEBSOCKET_VIEW, "detail_view"));
  GtkListView *list_view = GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (websocket_view),
                                                                         SONDE_TYPE_WEBSOCKET_VIEW, "list_view"));
  GtkTextView *composer = sonde_websocket_view_get_composer (websocket_view);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  char *protocols[] = { "chat", NULL };
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  SondeMessageEditor *messages;
  GtkListBoxRow *row;
  SondeWebsocket *first;
  LogWait wait = { page, 0 };
  GtkTextIter start, end;
  g_autofree char *shown = NULL;

  soup_server_add_websocket_handler (server, "/chat", NULL, protocols, websocket_cb, connections, NULL);
  base = sonde_test_listen_local (server);
  url = g_strdup_printf ("ws%s/chat", base + strlen ("http"));

  /* A ws:// URL: WS in the method list, Messages for Body, Connect for Send */
  gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), url);
  g_assert_true (sonde_request_is_websocket (request));
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (methods)),
                                               gtk_drop_down_get_selected (methods)), ==, "WS");
  g_assert_true (gtk_stack_page_get_visible (gtk_stack_get_page (tabs, gtk_widget_get_parent (sonde_request_editor_get_page (editor, "messages")))));
  g_assert_false (gtk_stack_page_get_visible (gtk_stack_get_page (tabs, gtk_widget_get_parent (sonde_request_editor_get_page (editor, "body")))));
  g_assert_cmpstr (gtk_label_get_label (send_label), ==, "C_onnect");

  /* Saved messages: a subprotocol and one message, typed in the Messages tab */
  messages = SONDE_MESSAGE_EDITOR (sonde_request_editor_get_page (editor, "messages"));
  gtk_editable_set_text (sonde_message_editor_get_subprotocols_entry (messages), "chat");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (messages), "messages.add", NULL));
  row = gtk_list_box_get_row_at_index (sonde_message_editor_get_list (messages), 0);
  gtk_editable_set_text (GTK_EDITABLE (sonde_message_row_get_field (SONDE_MESSAGE_ROW (row), "content")), "saved one");
  g_assert_false (gtk_widget_get_sensitive (sonde_message_row_get_field (SONDE_MESSAGE_ROW (row), "send")));
  {
    g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
    g_auto(GStrv) subprotocols = NULL;

    g_assert_true (sonde_websocket_read_settings (sonde_request_get_extra (request), &subprotocols, NULL, saved, NULL));
    g_assert_cmpuint (saved->len, ==, 1);
    g_assert_cmpstr (((SondeWebsocketMessage *) saved->pdata[0])->text, ==, "saved one");
    g_assert_cmpstr (subprotocols[0], ==, "chat");
  }

  /* Connect: the handshake as the response, the Messages section in the Body's place */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  sonde_test_ui_spin_until (is_connected, page);
  first = sonde_request_page_get_websocket (page);
  g_assert_cmpstr (gtk_label_get_label (send_label), ==, "_Disconnect");
  g_assert_cmpuint (sonde_response_get_status (sonde_response_view_get_response (view)), ==, 101);
  /* No body: no size */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (sonde_response_view_get_page_widget (view, "size_label"))));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (sections), ==, "messages");
  g_assert_cmpstr (sonde_websocket_get_protocol (first), ==, "chat");

  /* A saved message's Send button */
  g_assert_true (gtk_widget_get_sensitive (sonde_message_row_get_field (SONDE_MESSAGE_ROW (row), "send")));
  g_signal_emit_by_name (sonde_message_row_get_field (SONDE_MESSAGE_ROW (row), "send"), "clicked");
  wait.count = 3; /* connected, sent, echoed */
  sonde_test_ui_spin_until (log_has, &wait);
  g_assert_cmpstr (last_text (page), ==, "saved one");

  /* The composer: Ctrl+Enter there sends the message, not the request again */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (composer), "{\"a\": [1, 2]}", -1);
  sonde_websocket_view_set_kind (websocket_view, SONDE_WEBSOCKET_MESSAGE_JSON);
  gtk_widget_grab_focus (GTK_WIDGET (composer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  wait.count = 5;
  sonde_test_ui_spin_until (log_has, &wait);
  g_assert_true (sonde_request_page_get_websocket (page) == first);
  g_assert_cmpstr (last_text (page), ==, "{\"a\": [1, 2]}");
  /* Selected, it shows in full, indented */
  gtk_selection_model_select_item (gtk_list_view_get_model (list_view), 4, TRUE);
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (detail), &start, &end);
  shown = gtk_text_buffer_get_text (gtk_text_view_get_buffer (detail), &start, &end, FALSE);
  g_assert_cmpstr (shown, ==, "{\n  \"a\" : [\n    1,\n    2\n  ]\n}");

  /* JSON that is not: said under the composer, nothing sent */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (composer), "{\"a\": ", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (websocket_view), "websocket.send", NULL));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (composer_error), "The message is not JSON"));
  g_assert_cmpuint (g_list_model_get_n_items (sonde_websocket_get_log (first)), ==, 5);

  /* Send All: the checked saved messages */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.websocket-send-all", NULL));
  wait.count = 7;
  sonde_test_ui_spin_until (log_has, &wait);
  g_assert_cmpstr (gtk_label_get_text (composer_error), ==, "");

  /* Clear the Log empties it; what comes next is logged */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (websocket_view), "websocket.clear", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (sonde_websocket_get_log (first)), ==, 0);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (websocket_view),
                                                                                           SONDE_TYPE_WEBSOCKET_VIEW,
                                                                                           "detail_revealer"))));

  /* Disconnect: the log stays, the button connects again */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.disconnect", NULL));
  sonde_test_ui_spin_until (is_disconnected, page);
  g_assert_cmpstr (gtk_label_get_label (send_label), ==, "C_onnect");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (sections), ==, "messages");
  g_assert_false (gtk_widget_get_sensitive (sonde_message_row_get_field (SONDE_MESSAGE_ROW (row), "send")));

  /* Nothing listens there: the reason, under "Could Not Connect" */
  {
    AdwStatusPage *error_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (view), SONDE_TYPE_RESPONSE_VIEW,
                                                                               "error_page"));
    g_autofree char *nowhere = g_strdup_printf ("ws%s/nothing", base + strlen ("http"));

    gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), nowhere);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
    sonde_test_ui_spin_until (is_not_sending, page);
    g_assert_cmpstr (adw_status_page_get_title (error_page), ==, "Could Not Connect");
    g_assert_nonnull (strstr (adw_status_page_get_description (error_page), "404"));
  }

  /* GET in the method list: an HTTP request again, its URL http:// */
  gtk_drop_down_set_selected (methods, 0);
  g_assert_false (sonde_request_is_websocket (request));
  g_assert_true (g_str_has_prefix (sonde_request_get_url (request), "http://"));
  g_assert_cmpstr (gtk_label_get_label (send_label), ==, "_Send");
  g_assert_true (gtk_stack_page_get_visible (gtk_stack_get_page (tabs, gtk_widget_get_parent (sonde_request_editor_get_page (editor, "body")))));
  sonde_request_page_set_modified (page, FALSE);
}

static void
test_window_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  SondeRequestPage *page = current_page (fixture);
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/stall");

  gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), url);
  /* Enter in the URL entry sends. */
  g_signal_emit_by_name (sonde_request_editor_get_url_entry (editor), "activate");
  sonde_test_ui_spin_until (is_sending_to_server, fixture);
  g_assert_true (sonde_request_page_get_sending (page));

  /* Escape in the editor and the Cancel button both name this action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "win.cancel-request", NULL));
  g_assert_false (sonde_request_page_get_sending (page));
  g_assert_false (sonde_request_editor_get_sending (editor));
  g_assert_cmpstr (sonde_window_get_last_message (fixture->window), ==, "Request cancelled");
  g_assert_null (sonde_response_view_get_response (sonde_request_page_get_response_view (page)));

  /* The cancelled send's late completion changes nothing. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (sonde_request_page_get_sending (page));

  /* Sent with the mouse, focus nowhere: Escape is the window's too */
  g_signal_emit_by_name (sonde_request_editor_get_url_entry (editor), "activate");
  sonde_test_ui_spin_until (is_sending_to_server, fixture);
  gtk_window_set_focus (GTK_WINDOW (fixture->window), NULL);
  {
    /* The window's own shortcut controller holds its class bindings */
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
    g_autoptr(GtkShortcutTrigger) escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);
    gboolean activated = FALSE;

    for (guint c = 0; c < g_list_model_get_n_items (controllers) && !activated; c++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
          continue;
        for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !activated; i++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), i);
            GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

            if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), escape) &&
                GTK_IS_NAMED_ACTION (action) &&
                g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "win.cancel-request"))
              activated = gtk_shortcut_action_activate (action, 0, GTK_WIDGET (fixture->window), NULL);
          }
      }
    g_assert_true (activated);
  }
  g_assert_false (sonde_request_page_get_sending (page));
}

static void
test_window_invalid_header (Fixture       *fixture,
                            gconstpointer  data)
{
  SondeRequestPage *page = current_page (fixture);
  SondeRequest *request = sonde_request_page_get_request (page);
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo");
  const char *message;

  gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), url);
  sonde_key_value_list_append (sonde_request_get_headers (request), "Bad Header", "x");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  g_assert_false (sonde_request_page_get_sending (page));
  message = sonde_window_get_last_message (fixture->window);
  g_assert_nonnull (message);
  g_test_message ("%s", message);
  g_assert_true (g_str_has_prefix (message, "Cannot send: "));
  g_assert_nonnull (strstr (message, "Bad Header"));

  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
}

static void
test_window_undefined_variable (Fixture       *fixture,
                                gconstpointer  data)
{
  SondeRequestPage *page = current_page (fixture);
  SondeRequestEditor *editor = sonde_request_page_get_editor (page);
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/echo?token={{token}}");

  gtk_editable_set_text (sonde_request_editor_get_url_entry (editor), url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  /* Explained in the response view, not sent. */
  g_assert_false (sonde_request_page_get_sending (page));
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
}

static gboolean
has_file_page (gpointer data)
{
  Fixture *fixture = data;
  SondeRequestPage *page = sonde_window_get_current_page (fixture->window);

  return page != NULL && sonde_request_get_file (sonde_request_page_get_request (page)) != NULL;
}

static gboolean
is_saved (gpointer data)
{
  return !sonde_request_page_get_modified (data);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_window_open_save (Fixture       *fixture,
                       gconstpointer  data)
{
  AdwTabView *tab_view = sonde_window_get_tab_view (fixture->window);
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "create-user.request.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SondeRequest) original = sonde_request_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *saved = NULL;
  SondeRequestPage *page;
  SondeRequest *request;

  sonde_request_set_name (original, "Create user");
  sonde_request_set_method (original, "POST");
  sonde_request_set_url (original, "{{base_url}}/users");
  sonde_key_value_list_append (sonde_request_get_params (original), "verbose", "1");
  sonde_key_value_list_append (sonde_request_get_headers (original), "Accept", "application/json");
  sonde_body_set_kind (sonde_request_get_body (original), SONDE_BODY_JSON);
  sonde_body_set_text (sonde_request_get_body (original), "{\"name\": \"Ada\"}");
  sonde_auth_set_kind (sonde_request_get_auth (original), SONDE_AUTH_BEARER);
  sonde_auth_set_token (sonde_request_get_auth (original), "{{token}}");
  sonde_request_options_set_timeout (sonde_request_get_options (original), 30);
  bytes = sonde_request_to_data (original, "create-user.request.json", NULL);
  g_file_set_contents (path, bytes, -1, &error);
  g_assert_no_error (error);

  /* The fresh untitled tab gives way to the opened file. */
  sonde_window_open_file (fixture->window, file);
  sonde_test_ui_spin_until (has_file_page, fixture);
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 1);
  page = current_page (fixture);
  request = sonde_request_page_get_request (page);
  g_assert_false (sonde_request_page_get_modified (page));
  g_assert_cmpstr (sonde_request_page_get_title (page), ==, "Create user");
  g_assert_cmpstr (gtk_editable_get_text (sonde_request_editor_get_url_entry (sonde_request_page_get_editor (page))),
                   ==, "{{base_url}}/users?verbose=1");

  /* Opening it again shows the same tab. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-tab", NULL));
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);
  sonde_window_open_file (fixture->window, file);
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 2);
  g_assert_true (current_page (fixture) == page);

  /* Opening it from another window shows it where it is open. */
  {
    SondeWindow *other = sonde_window_new (app);

    sonde_window_open_file (other, file);
    sonde_test_ui_spin_until_idle ();
    g_assert_cmpint (adw_tab_view_get_n_pages (sonde_window_get_tab_view (other)), ==, 1);
    g_assert_false (sonde_request_get_file (sonde_request_page_get_request (sonde_window_get_current_page (other))) != NULL);
    gtk_window_destroy (GTK_WINDOW (other));
  }

  /* Saving without changes writes the same bytes. */
  sonde_request_page_set_modified (page, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.save", NULL));
  sonde_test_ui_spin_until (is_saved, page);
  saved = read_file (path);
  g_assert_cmpstr (saved, ==, bytes);
  g_clear_pointer (&saved, g_free);

  /* A change is marked, then saved. */
  sonde_request_set_name (request, "Create a user");
  g_assert_true (sonde_request_page_get_modified (page));
  g_assert_cmpstr (sonde_request_page_get_title (page), ==, "Create a user");
  /* Without a name, the tab is named after the file. */
  sonde_request_set_name (request, NULL);
  g_assert_cmpstr (sonde_request_page_get_title (page), ==, "create-user");
  sonde_request_set_name (request, "Create a user");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.save", NULL));
  sonde_test_ui_spin_until (is_saved, page);
  saved = read_file (path);
  g_assert_nonnull (strstr (saved, "\"name\": \"Create a user\""));
}

/* A saved lone request keeps its cookies from one send to the next, in its own jar. */
static void
test_window_lone_cookies (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "login.request.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SondeRequest) original = sonde_request_new ();
  g_autofree char *set_url = sonde_test_server_build_url (fixture->server, "/set-cookie");
  g_autofree char *echo_url = sonde_test_server_build_url (fixture->server, "/echo");
  g_autofree char *bytes = NULL;
  g_autofree char *echo = NULL;
  g_autoptr(GError) error = NULL;
  SondeRequestPage *page;
  SondeResponse *response;

  sonde_request_set_url (original, set_url);
  bytes = sonde_request_to_data (original, "login.request.json", NULL);
  g_file_set_contents (path, bytes, -1, &error);
  g_assert_no_error (error);

  sonde_window_open_file (fixture->window, file);
  sonde_test_ui_spin_until (has_file_page, fixture);
  page = current_page (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  sonde_test_ui_spin_until (has_response, page);

  sonde_request_set_url (sonde_request_page_get_request (page), echo_url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  g_assert_true (sonde_request_page_get_sending (page));
  sonde_test_ui_spin_until (has_response, page);
  response = sonde_response_view_get_response (sonde_request_page_get_response_view (page));
  echo = response_body (response);
  g_assert_nonnull (strstr (echo, "a=1"));
  g_assert_nonnull (strstr (echo, "c=3"));
}

static void
test_window_open_error (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "broken.request.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "{\"name\": ", -1, &error);
  g_assert_no_error (error);

  sonde_window_open_file (fixture->window, file);
  while (sonde_window_get_last_message (fixture->window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("%s", sonde_window_get_last_message (fixture->window));
  g_assert_nonnull (strstr (sonde_window_get_last_message (fixture->window), "broken.request.json"));
  g_assert_cmpint (adw_tab_view_get_n_pages (sonde_window_get_tab_view (fixture->window)), ==, 1);
}

static void
test_window_close_unsaved (Fixture       *fixture,
                           gconstpointer  data)
{
  AdwTabView *tab_view = sonde_window_get_tab_view (fixture->window);
  SondeRequestPage *page = current_page (fixture);
  AdwMessageDialog *dialog;

  sonde_request_set_name (sonde_request_page_get_request (page), "Work in progress");
  g_assert_true (sonde_request_page_get_modified (page));
  g_assert_true (g_str_has_prefix (adw_tab_page_get_title (adw_tab_view_get_selected_page (tab_view)), "•"));

  /* Cancel keeps the tab. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.close-tab", NULL));
  sonde_test_ui_spin_until_idle ();
  dialog = sonde_test_ui_find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 1);

  /* Discard closes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.close-tab", NULL));
  sonde_test_ui_spin_until_idle ();
  dialog = sonde_test_ui_find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpint (adw_tab_view_get_n_pages (tab_view), ==, 0);

  /* Closing the window (Ctrl+Q closes each): Discard All closes it, and the dialog goes
   * without reaching for the freed window (fatal warnings would stop the test) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-tab", NULL));
  sonde_request_set_name (sonde_request_page_get_request (current_page (fixture)), "Unsaved");
  gtk_window_close (GTK_WINDOW (fixture->window));
  sonde_test_ui_spin_until_idle ();
  dialog = sonde_test_ui_find_dialog ();
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  adw_message_dialog_response (dialog, "discard");
  sonde_test_ui_spin_until_idle ();
  sonde_test_ui_destroy_dialogs ();
  sonde_test_ui_spin_until_idle ();
  g_assert_null (fixture->window);
  /* For tear_down */
  fixture->window = sonde_window_new (app);
}

/* The isolated XDG dirs hide the MIME database and GtkSourceView's languages and style
 * schemes: point them back at the system's (read before g_test_init ()). */
static gboolean
has_file_page_in (gpointer data)
{
  SondeRequestPage *page = sonde_window_get_current_page (data);

  return page != NULL && sonde_request_get_file (sonde_request_page_get_request (page)) != NULL;
}

static void
test_window_state (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  SondeWindow *window;
  SondeRequestPage *page;
  int width, height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 650);
  g_settings_set_int (settings, "paned-position", 300);

  window = sonde_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 650);
  page = sonde_window_get_current_page (window);
  g_assert_cmpint (gtk_paned_get_position (sonde_request_page_get_paned (page)), ==, 300);

  gtk_window_present (GTK_WINDOW (window));
  sonde_test_ui_spin_until_idle ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  sonde_test_ui_spin_until_idle ();

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "paned-position");

  /* Relaunched with a file open: the URL has the focus, not the name above it */
  {
    g_autofree char *path = g_build_filename (fixture->tmp_dir, "again.request.json", NULL);
    const char *files[] = { path, NULL };
    GtkWidget *focus;

    g_assert_true (g_file_set_contents (path, "{\"name\": \"Again\", \"url\": \"http://example.com/\"}\n", -1, NULL));
    /* Only the first window restores the session */
    gtk_window_destroy (GTK_WINDOW (fixture->window));
    sonde_test_ui_spin_until_idle ();
    g_settings_set_strv (settings, "open-files", files);
    window = sonde_window_new (app);
    gtk_window_present (GTK_WINDOW (window));
    sonde_test_ui_spin_until (has_file_page_in, window);
    sonde_test_ui_spin_until_idle ();
    page = sonde_window_get_current_page (window);
    focus = gtk_window_get_focus (GTK_WINDOW (window));
    g_assert_nonnull (focus);
    g_assert_true (focus == GTK_WIDGET (sonde_request_editor_get_url_entry (sonde_request_page_get_editor (page))) ||
                   gtk_widget_is_ancestor (focus, GTK_WIDGET (sonde_request_editor_get_url_entry (sonde_request_page_get_editor (page)))));
    gtk_window_destroy (GTK_WINDOW (window));
    sonde_test_ui_spin_until_idle ();
    g_settings_reset (settings, "open-files");
    /* For tear_down */
    fixture->window = sonde_window_new (app);
  }
}

static SondeCopyAsDialog *
find_copy_as_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (SONDE_IS_COPY_AS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
text_is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Copy as Code…: the current request as curl, python, HTTPie, fetch; copied to the clipboard */
static void
test_window_copy_as (Fixture       *fixture,
                     gconstpointer  data)
{
  SondeRequestPage *page;
  SondeRequest *request;
  SondeCopyAsDialog *dialog;
  g_autofree char *clipboard = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-tab", NULL));
  page = current_page (fixture);
  request = sonde_request_page_get_request (page);
  sonde_request_set_method (request, "POST");
  sonde_request_set_url (request, "https://api.example.com/items");
  sonde_key_value_list_append (sonde_request_get_headers (request), "X-Token", "abc");
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_JSON);
  sonde_body_set_text (sonde_request_get_body (request), "{\"a\": 1}");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-as-code", NULL));
  sonde_test_ui_spin_until_idle ();
  dialog = find_copy_as_dialog ();
  g_assert_nonnull (dialog);

  sonde_copy_as_dialog_set_language (dialog, SONDE_EXPORT_CURL);
  g_assert_true (g_str_has_prefix (sonde_copy_as_dialog_get_code (dialog), "curl https://api.example.com/items"));
  g_assert_nonnull (strstr (sonde_copy_as_dialog_get_code (dialog), "-H 'X-Token: abc'"));
  sonde_copy_as_dialog_set_language (dialog, SONDE_EXPORT_PYTHON);
  g_assert_true (g_str_has_prefix (sonde_copy_as_dialog_get_code (dialog), "import requests"));
  sonde_copy_as_dialog_set_language (dialog, SONDE_EXPORT_HTTPIE);
  g_assert_true (g_str_has_prefix (sonde_copy_as_dialog_get_code (dialog), "http "));
  sonde_copy_as_dialog_set_language (dialog, SONDE_EXPORT_FETCH);
  g_assert_nonnull (strstr (sonde_copy_as_dialog_get_code (dialog), "await fetch("));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "copy-as.copy", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), NULL, clipboard_read_cb, &clipboard);
  sonde_test_ui_spin_until (text_is_set, &clipboard);
  g_assert_cmpstr (clipboard, ==, sonde_copy_as_dialog_get_code (dialog));

  /* A URL Sonde would not send: said instead of code */
  gtk_window_destroy (GTK_WINDOW (dialog));
  sonde_request_set_url (request, "ftp://example.com/");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.copy-as-code", NULL));
  sonde_test_ui_spin_until_idle ();
  dialog = find_copy_as_dialog ();
  g_assert_null (sonde_copy_as_dialog_get_code (dialog));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "copy-as.copy", NULL) &&
                  sonde_copy_as_dialog_get_code (dialog) != NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
has_dialog (gpointer data)
{
  return sonde_test_ui_find_dialog () != NULL;
}

static gboolean
has_collection (gpointer data)
{
  return sonde_window_get_collection (data) != NULL;
}

static gboolean
has_message_exported (gpointer data)
{
  const char *message = sonde_window_get_last_message (data);

  return message != NULL && g_str_has_prefix (message, "Exported to");
}

/* Import…: the report first, then a new collection folder, opened */
static void
test_window_import (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *input = g_build_filename (fixture->tmp_dir, "calls.sh", NULL);
  g_autofree char *unknown = g_build_filename (fixture->tmp_dir, "notes.txt", NULL);
  g_autofree char *target = g_build_filename (fixture->tmp_dir, "calls", NULL);
  g_autofree char *taken = g_build_filename (fixture->tmp_dir, "calls 2", NULL);
  g_autoptr(GFile) input_file = g_file_new_for_path (input);
  g_autoptr(GFile) unknown_file = g_file_new_for_path (unknown);
  g_autoptr(GFile) parent = g_file_new_for_path (fixture->tmp_dir);
  AdwMessageDialog *dialog;
  SondeCollection *collection;
  g_autoptr(GPtrArray) requests = NULL;

  g_assert_true (g_file_set_contents (input, "curl https://h/a -H 'X: 1'\ncurl -X DELETE https://h/b -v\n", -1, NULL));
  g_assert_true (g_file_set_contents (unknown, "just words", -1, NULL));

  /* Cancelling the summary writes nothing */
  sonde_window_import_file (fixture->window, input_file, parent);
  sonde_test_ui_spin_until (has_dialog, NULL);
  dialog = sonde_test_ui_find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Import “calls”?");
  adw_message_dialog_response (dialog, "cancel");
  sonde_test_ui_spin_until_idle ();
  sonde_test_ui_destroy_dialogs ();
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  /* A folder of that name is there: the collection gets another */
  g_assert_cmpint (g_mkdir (target, 0755), ==, 0);
  sonde_window_import_file (fixture->window, input_file, parent);
  sonde_test_ui_spin_until (has_dialog, NULL);
  adw_message_dialog_response (sonde_test_ui_find_dialog (), "import");
  sonde_test_ui_spin_until (has_collection, fixture->window);
  collection = sonde_window_get_collection (fixture->window);
  g_assert_cmpstr (sonde_collection_get_path (collection), ==, taken);
  requests = sonde_collection_list_requests (collection, sonde_collection_get_root (collection));
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (sonde_window_get_last_message (fixture->window), ==, "Imported 2 requests");

  /* Export Collection…: a Postman file Sonde reads back the same */
  {
    g_autofree char *exported = g_build_filename (fixture->tmp_dir, "calls.postman_collection.json", NULL);
    g_autoptr(GFile) exported_file = g_file_new_for_path (exported);
    g_autoptr(SondeImport) back = NULL;
    g_autoptr(GError) error = NULL;

    sonde_window_export_collection (fixture->window, exported_file);
    sonde_test_ui_spin_until (has_message_exported, fixture->window);
    back = sonde_import_file (exported_file, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sonde_import_get_n_requests (back), ==, 2);
  }

  /* A file Sonde cannot read: said in a dialog */
  sonde_test_ui_destroy_dialogs ();
  sonde_window_import_file (fixture->window, unknown_file, parent);
  sonde_test_ui_spin_until (has_dialog, NULL);
  dialog = sonde_test_ui_find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The File Cannot Be Imported");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "is not a file Sonde can import"));
}

static GtkWidget *
find_preferences (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (SONDE_IS_PREFERENCES_WINDOW (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* The first GtkSwitch / GtkSpinButton / AdwEntryRow below WIDGET whose row is titled TITLE */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      if ((found = find_row (child, title)) != NULL)
        return found;
    }
  return NULL;
}

/* Preferences: every row bound to its setting, and the settings applied to the next send */
/* The first button below WIDGET with this TOOLTIP or LABEL */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *tooltip,
             const char *label)
{
  return sonde_test_ui_find (widget, GTK_TYPE_BUTTON, sonde_test_ui_has_text, tooltip != NULL ? tooltip : label);
}

/* The first body text view (request or response body) below WIDGET */
static GtkTextView *
find_body_text (GtkWidget *widget)
{
  return GTK_TEXT_VIEW (sonde_test_ui_find (widget, GTK_TYPE_TEXT_VIEW, sonde_test_ui_has_css_class, "sonde-body-text"));
}

static void
test_window_preferences (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/redirect/1");
  GtkWidget *preferences;
  GtkWidget *row;
  SondeRequestPage *page;
  SondeResponse *response;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.preferences", NULL));
  sonde_test_ui_spin_until_idle ();
  preferences = find_preferences ();
  g_assert_nonnull (preferences);

  /* The rows write the settings */
  row = find_row (preferences, "Follow Redirects");
  g_assert_nonnull (row);
  gtk_switch_set_active (GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "follow-redirects"));
  row = find_row (preferences, "Most Redirects");
  g_assert_false (gtk_widget_get_sensitive (row));
  row = find_row (preferences, "Timeout");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), 30);
  g_assert_cmpfloat (g_settings_get_double (settings, "request-timeout"), ==, 30);
  row = find_row (preferences, "Largest Response Kept (MiB)");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), 5);
  g_assert_cmpuint (g_settings_get_uint64 (settings, "max-body-size"), ==, 5 * 1024 * 1024);
  row = find_row (preferences, "Requests Kept");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), 50);
  g_assert_cmpuint (g_settings_get_uint (settings, "history-size"), ==, 50);
  g_assert_cmpuint (sonde_history_get_max_entries (sonde_window_get_history (fixture->window)), ==, 50);
  row = find_row (preferences, "Proxy URL");
  g_assert_false (gtk_widget_get_visible (row));
  g_settings_set_string (settings, "proxy-mode", "custom");
  g_assert_true (gtk_widget_get_visible (row));
  g_settings_set_string (settings, "proxy-mode", "system");

  /* Bodies: the font (the system's again with the reset button), and wrapping, followed by
   * the open body views */
  row = find_row (preferences, "Font");
  gtk_font_chooser_set_font (GTK_FONT_CHOOSER (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))),
                             "Monospace 15");
  {
    g_autofree char *font = g_settings_get_string (settings, "body-font");
    g_autofree char *css = sonde_body_font_css ("DejaVu Sans Mono Bold 13");
    g_autofree char *none = sonde_body_font_css ("");

    g_assert_cmpstr (font, ==, "Monospace 15");
    g_assert_cmpstr (css, ==, "textview.sonde-body-text { font-family: \"DejaVu Sans Mono\", monospace; "
                              "font-size: 13pt; font-weight: 700; }\n");
    g_assert_cmpstr (none, ==, "");
  }
  g_signal_emit_by_name (find_button (row, "Use the System’s Monospace Font", NULL), "clicked");
  {
    g_autofree char *font = g_settings_get_string (settings, "body-font");

    g_assert_cmpstr (font, ==, "");
  }
  {
    /* The response's body view is made with the first response, or when asked for */
    SondeResponseView *view = sonde_request_page_get_response_view (current_page (fixture));
    GtkTextView *body = find_body_text (GTK_WIDGET (sonde_response_view_get_body_view (view)));

    g_assert_nonnull (body);
    /* Wrapped unless asked not to (the response view always wrapped before) */
    g_assert_cmpint (gtk_text_view_get_wrap_mode (body), ==, GTK_WRAP_WORD_CHAR);
    row = find_row (preferences, "Wrap Long Lines");
    gtk_switch_set_active (GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))), FALSE);
    g_assert_cmpint (gtk_text_view_get_wrap_mode (body), ==, GTK_WRAP_NONE);
    g_settings_reset (settings, "wrap-lines");
    g_assert_cmpint (gtk_text_view_get_wrap_mode (body), ==, GTK_WRAP_WORD_CHAR);
  }
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* Sent with the preferences: the redirect is not followed */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-tab", NULL));
  page = current_page (fixture);
  sonde_request_set_url (sonde_request_page_get_request (page), url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  sonde_test_ui_spin_until (has_response, page);
  response = sonde_response_view_get_response (sonde_request_page_get_response_view (page));
  g_assert_cmpuint (sonde_response_get_status (response), ==, 302);

  /* Back: followed again */
  g_settings_reset (settings, "follow-redirects");
  g_settings_reset (settings, "request-timeout");
  g_settings_reset (settings, "max-body-size");
  g_settings_reset (settings, "history-size");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  sonde_test_ui_spin_until (has_response, page);
  response = sonde_response_view_get_response (sonde_request_page_get_response_view (page));
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
}

/* A file whose URL holds its query opens with the query as rows, unmodified and unwritten */
static void
test_window_url_query_file (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmp_dir, "search.request.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *text = "{\n  \"url\": \"http://example.com/search?q=sonde&page=2\"\n}\n";
  g_autofree char *after = NULL;
  SondeRequestPage *page;
  GListStore *params;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  sonde_window_open_file (fixture->window, file);
  sonde_test_ui_spin_until (has_file_page, fixture);
  page = current_page (fixture);
  params = sonde_request_get_params (sonde_request_page_get_request (page));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (params)), ==, 2);
  g_assert_false (sonde_request_page_get_modified (page));
  g_assert_cmpstr (gtk_editable_get_text (sonde_request_editor_get_url_entry (sonde_request_page_get_editor (page))),
                   ==, "http://example.com/search?q=sonde&page=2");
  sonde_test_ui_spin_until_idle ();
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);
}

static SondeCookiesDialog *
find_cookies_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (SONDE_IS_COOKIES_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* Cookies…: the jar the tab sends from; a value changed, one deleted, all cleared */
static void
test_window_cookies (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *url = sonde_test_server_build_url (fixture->server, "/set-cookie");
  g_autofree char *echo = sonde_test_server_build_url (fixture->server, "/echo");
  SondeCookiesDialog *dialog;
  SondeRequestPage *page;
  SondeResponse *response;
  GtkWidget *row;
  g_autofree char *body = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-tab", NULL));
  page = current_page (fixture);
  sonde_request_set_url (sonde_request_page_get_request (page), url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  sonde_test_ui_spin_until (has_response, page);

  /* From the response's Cookies tab */
  g_signal_emit_by_name (find_button (GTK_WIDGET (page), NULL, "All Cookies of the Jar…"), "clicked");
  sonde_test_ui_spin_until_idle ();
  dialog = find_cookies_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (sonde_cookies_dialog_get_n_cookies (dialog), ==, 3);

  /* The first row (a=1): its value changed through its entry row, then sent */
  row = find_row (GTK_WIDGET (dialog), "Value");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "changed");
  g_signal_emit_by_name (row, "apply");
  sonde_test_ui_spin_until_idle ();
  sonde_request_set_url (sonde_request_page_get_request (page), echo);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.send-request", NULL));
  sonde_test_ui_spin_until (has_response, page);
  response = sonde_response_view_get_response (sonde_request_page_get_response_view (page));
  body = response_body (response);
  g_assert_nonnull (strstr (body, "a=changed"));
  g_assert_nonnull (response);
  /* The list follows the jar: the response's cookies were set again */
  dialog = find_cookies_dialog ();

  /* Deleted, then all cleared: the list follows */
  row = find_row (GTK_WIDGET (dialog), "b");
  g_assert_nonnull (row);
  g_signal_emit_by_name (find_button (row, "Delete this cookie", NULL), "clicked");
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (sonde_cookies_dialog_get_n_cookies (dialog), ==, 2);
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), NULL, "C_lear All"), "clicked");
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (sonde_cookies_dialog_get_n_cookies (dialog), ==, 0);
  /* The toast's Undo brings them back, once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "cookies.undo-clear", NULL));
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (sonde_cookies_dialog_get_n_cookies (dialog), ==, 2);
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), NULL, "C_lear All"), "clicked");
  sonde_test_ui_spin_until_idle ();
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* From the main menu, with the jar now empty */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-cookies", NULL));
  sonde_test_ui_spin_until_idle ();
  dialog = find_cookies_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (sonde_cookies_dialog_get_n_cookies (dialog), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
is_folded (gpointer data)
{
  AdwFlap *flap = data;

  return adw_flap_get_folded (flap);
}

static gboolean
is_unfolded (gpointer data)
{
  return !is_folded (data);
}

static AdwFlap *
find_flap (GtkWidget *widget)
{
  return ADW_FLAP (sonde_test_ui_find (widget, ADW_TYPE_FLAP, NULL, NULL));
}

/* A phone's width: the window goes down to 360 px (GNOME's window buttons), the sidebar folds
 * into an overlay, nothing is clipped; the response goes beside the request when asked and
 * there is room */
/* The main menu and the sidebar's Add menu are built when first opened, by a click or by
 * the keyboard, and hold their items then. */
static void
test_window_menus (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkMenuButton *primary = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                           SONDE_TYPE_WINDOW,
                                                                           "primary_menu_button"));
  GtkMenuButton *add = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (sonde_window_get_sidebar (fixture->window)),
                                                                       SONDE_TYPE_SIDEBAR, "add_menu_button"));
  GtkMenuButton *buttons[] = { primary, add };
  const char *first_actions[] = { "app.new-window", "sidebar.new-request" };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GMenuModel *menu;
      g_autofree char *action = NULL;

      g_assert_null (gtk_menu_button_get_menu_model (buttons[i]));
      if (i == 0)
        g_assert_true (gtk_menu_button_get_primary (buttons[i]));
      /* What a click does: its toggle button turns on */
      g_assert_true (GTK_IS_TOGGLE_BUTTON (gtk_widget_get_first_child (GTK_WIDGET (buttons[i]))));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_widget_get_first_child (GTK_WIDGET (buttons[i]))), TRUE);
      sonde_test_ui_spin_until_idle ();
      menu = gtk_menu_button_get_menu_model (buttons[i]);
      g_assert_nonnull (menu);
      g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action) ||
                     g_menu_model_get_n_items (menu) > 0);
      if (action == NULL)
        {
          g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);

          g_assert_nonnull (section);
          g_assert_true (g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
        }
      g_assert_cmpstr (action, ==, first_actions[i]);
      g_assert_nonnull (gtk_menu_button_get_popover (buttons[i]));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (buttons[i]))));
      gtk_menu_button_popdown (buttons[i]);
      sonde_test_ui_spin_until_idle ();

      /* Opened again (as F10 opens the main menu), the same menu */
      gtk_menu_button_popup (buttons[i]);
      sonde_test_ui_spin_until_idle ();
      g_assert_true (gtk_menu_button_get_menu_model (buttons[i]) == menu);
      gtk_menu_button_popdown (buttons[i]);
      sonde_test_ui_spin_until_idle ();
    }
}

static void
test_window_narrow (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  AdwFlap *flap = find_flap (window);
  GtkPaned *paned = sonde_request_page_get_paned (current_page (fixture));
  g_autofree char *layout = NULL;
  gboolean visible;
  int minimum;

  g_assert_nonnull (flap);
  g_object_get (gtk_settings_get_default (), "gtk-decoration-layout", &layout, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 700);
  sonde_test_ui_spin_until (is_unfolded, flap);

  /* Side by side when wide, when asked */
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), ==, GTK_ORIENTATION_VERTICAL);
  g_settings_set_boolean (settings, "side-by-side", TRUE);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), ==, GTK_ORIENTATION_HORIZONTAL);
  /* A new window and a new tab start that way (about half each) */
  {
    SondeWindow *other = sonde_window_new (app);
    GtkPaned *other_paned = sonde_request_page_get_paned (sonde_window_get_current_page (other));

    g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (other_paned)), ==, GTK_ORIENTATION_HORIZONTAL);
    g_assert_cmpint (gtk_paned_get_position (other_paned), >=, 300);
    gtk_window_destroy (GTK_WINDOW (other));
  }
  g_assert_true (gtk_widget_activate_action (window, "win.new-tab", NULL));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (sonde_request_page_get_paned (current_page (fixture)))),
                   ==, GTK_ORIENTATION_HORIZONTAL);

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("window minimum width, response beside the request: %d px", minimum);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  sonde_test_ui_spin_until (is_folded, flap);
  sonde_test_ui_spin_until_idle ();
  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("window minimum width at 360 px: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  /* Nothing asks for more than 360 px, so nothing is clipped there (an X server without a
   * window manager may keep the window wider than asked: its width is not the point) */
  /* Stacked again, the sidebar out of the way until asked for, then over the request */
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)), ==, GTK_ORIENTATION_VERTICAL);
  g_object_get (window, "sidebar-visible", &visible, NULL);
  g_assert_false (visible);
  gtk_widget_activate_action (window, "win.toggle-sidebar", NULL);
  g_assert_true (adw_flap_get_reveal_flap (flap));

  g_settings_reset (settings, "side-by-side");
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", layout, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Imports store secrets: in a file of the test's folders, never the session's keyring */
  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
  if (!sonde_test_ui_init (&argc, &argv))
    return 0;

  app = sonde_application_new ();
  sonde_test_ui_register_application (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN);

  g_test_add ("/window/tabs", Fixture, NULL, set_up, test_window_tabs, tear_down);
  g_test_add ("/window/move-tab", Fixture, NULL, set_up, test_window_move_tab, tear_down);
  g_test_add ("/window/send", Fixture, NULL, set_up, test_window_send, tear_down);
  g_test_add ("/window/cancel", Fixture, NULL, set_up, test_window_cancel, tear_down);
  g_test_add ("/window/fetch-schema", Fixture, NULL, set_up, test_window_fetch_schema, tear_down);
  g_test_add ("/window/oauth-token", Fixture, NULL, set_up, test_window_oauth_token, tear_down);
  g_test_add ("/window/server-sent-events", Fixture, NULL, set_up, test_window_server_sent_events, tear_down);
  g_test_add ("/window/websocket", Fixture, NULL, set_up, test_window_websocket, tear_down);
  g_test_add ("/window/invalid-header", Fixture, NULL, set_up, test_window_invalid_header, tear_down);
  g_test_add ("/window/undefined-variable", Fixture, NULL, set_up, test_window_undefined_variable, tear_down);
  g_test_add ("/window/open-save", Fixture, NULL, set_up, test_window_open_save, tear_down);
  g_test_add ("/window/lone-cookies", Fixture, NULL, set_up, test_window_lone_cookies, tear_down);
  g_test_add ("/window/open-error", Fixture, NULL, set_up, test_window_open_error, tear_down);
  g_test_add ("/window/close-unsaved", Fixture, NULL, set_up, test_window_close_unsaved, tear_down);
  g_test_add ("/window/state", Fixture, NULL, set_up, test_window_state, tear_down);
  g_test_add ("/window/copy-as", Fixture, NULL, set_up, test_window_copy_as, tear_down);
  g_test_add ("/window/import", Fixture, NULL, set_up, test_window_import, tear_down);
  g_test_add ("/window/preferences", Fixture, NULL, set_up, test_window_preferences, tear_down);
  g_test_add ("/window/url-query-file", Fixture, NULL, set_up, test_window_url_query_file, tear_down);
  g_test_add ("/window/narrow", Fixture, NULL, set_up, test_window_narrow, tear_down);
  g_test_add ("/window/menus", Fixture, NULL, set_up, test_window_menus, tear_down);
  g_test_add ("/window/cookies", Fixture, NULL, set_up, test_window_cookies, tear_down);

  status = g_test_run ();

  g_clear_object (&app);

  return status;
}
