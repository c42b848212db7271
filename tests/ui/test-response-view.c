/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/resource.h>

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "sonde-client.h"
#include "sonde-error.h"
#include "sonde-json-formatter.h"
#include "sonde-request.h"
#include "sonde-response-view.h"
#include "sonde-response-private.h"
#include "sonde-body-view-private.h"
#include "sonde-response-view-private.h"
#include "sonde-step-source.h"
#include "sonde-test-server.h"
#include "sonde-test-ui.h"
#include "sonde-text-loader.h"
#include "sonde-timing-bar.h"

static const char small_json[] =
  "{\"name\":\"sonde\",\"items\":[{\"id\":1,\"tag\":\"a\"},{\"id\":2,\"tag\":\"b\"}],\"ok\":true}";
static const char small_json_pretty[] =
  "{\n"
  "  \"name\": \"sonde\",\n"
  "  \"items\": [\n"
  "    {\n"
  "      \"id\": 1,\n"
  "      \"tag\": \"a\"\n"
  "    },\n"
  "    {\n"
  "      \"id\": 2,\n"
  "      \"tag\": \"b\"\n"
  "    }\n"
  "  ],\n"
  "  \"ok\": true\n"
  "}";

static SondeTestServer *server;
static SondeClient *client;
static char *tmp_dir;

/* Server side: the bodies this test needs beyond sonde-test-server's handlers. */

static GBytes *
make_png (void)
{
  static const guint8 pixels[4 * 3 * 4] = { 0xff, 0x00, 0x00, 0xff, };
  g_autoptr(GBytes) data = g_bytes_new_static (pixels, sizeof pixels);
  g_autoptr(GdkTexture) texture = gdk_memory_texture_new (4, 3, GDK_MEMORY_R8G8B8A8, data, 4 * 4);

  return gdk_texture_save_to_png_bytes (texture);
}

/* [{"id":0,"name":"item 0","tags":["x","y"],"value":0.5}, …] of about SIZE bytes, minified. */
static char *
make_big_json (gsize  size,
               gsize *length)
{
  GString *json = g_string_sized_new (size + 128);

  g_string_append_c (json, '[');
  for (guint i = 0; json->len < size; i++)
    g_string_append_printf (json, "%s{\"id\":%u,\"name\":\"item %u\",\"tags\":[\"x\",\"y\"],\"value\":0.5}",
                            i > 0 ? "," : "", i, i);
  g_string_append_c (json, ']');
  *length = json->len;
  return g_string_free (json, FALSE);
}

/* {"data":"0123456789…"} on one line. */
static char *
make_one_line_json (gsize  size,
                    gsize *length)
{
  GString *json = g_string_sized_new (size + 16);

  g_string_append (json, "{\"data\":\"");
  while (json->len < size)
    g_string_append (json, "0123456789abcdef");
  g_string_append (json, "\"}");
  *length = json->len;
  return g_string_free (json, FALSE);
}

static void
viewer_handler (SoupServer        *soup_server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_response_body (message);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  const char *size_text = query != NULL ? g_hash_table_lookup (query, "size") : NULL;
  gsize size = size_text != NULL ? g_ascii_strtoull (size_text, NULL, 10) : 0;
  gsize length;
  char *data;

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  if (g_str_equal (path, "/viewer/json"))
    {
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, small_json, strlen (small_json));
    }
  else if (g_str_equal (path, "/viewer/invalid-json"))
    {
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"a\": 1, \"b\": }", 15);
    }
  else if (g_str_equal (path, "/viewer/text"))
    {
      soup_message_headers_set_content_type (headers, "text/plain", NULL);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "line one\nline two\n", 18);
    }
  else if (g_str_equal (path, "/viewer/image"))
    {
      g_autoptr(GBytes) png = make_png ();

      soup_message_headers_set_content_type (headers, "image/png", NULL);
      soup_message_body_append_bytes (body, png);
    }
  else if (g_str_equal (path, "/viewer/binary"))
    {
      guint8 *bytes = g_malloc (10000);

      sonde_test_pattern_fill (bytes, 0, 10000);
      bytes[3] = 0;
      soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
      soup_message_body_append (body, SOUP_MEMORY_TAKE, bytes, 10000);
    }
  else if (g_str_equal (path, "/viewer/big-json"))
    {
      data = make_big_json (size, &length);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_body_append (body, SOUP_MEMORY_TAKE, data, length);
    }
  else if (g_str_equal (path, "/viewer/one-line"))
    {
      data = make_one_line_json (size, &length);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_body_append (body, SOUP_MEMORY_TAKE, data, length);
    }
  else
    soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
}

/* Client side */

static gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

typedef struct
{
  SondeResponse *response;
  GError        *error;
  gboolean       done;
} SendResult;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendResult *send = user_data;

  send->response = sonde_client_send_finish (SONDE_CLIENT (object), result, &send->error);
  send->done = TRUE;
}

static gboolean
send_is_done (gpointer data)
{
  return ((SendResult *) data)->done;
}

static SondeResponse *
send_url (const char  *url,
          GError     **error)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  SendResult send = { NULL, NULL, FALSE };

  sonde_request_set_method (request, "GET");
  sonde_request_set_url (request, url);
  sonde_client_send_async (client, request, NULL, NULL, NULL, NULL, NULL, send_cb, &send);
  sonde_test_ui_spin_until (send_is_done, &send);
  if (send.error != NULL)
    g_propagate_error (error, send.error);
  return send.response;
}

static SondeResponse *
send_path (const char *path)
{
  g_autofree char *url = sonde_test_server_build_url (server, path);
  g_autoptr(GError) error = NULL;
  SondeResponse *response = send_url (url, &error);

  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

static gboolean
body_is_loaded (gpointer data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (data);

  return !sonde_body_view_get_loading (body_view);
}

static void
spin_until_loaded (SondeResponseView *view)
{
  sonde_test_ui_spin_until (body_is_loaded, view);
}

typedef struct
{
  GtkWidget         *window;
  SondeResponseView *view;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = gtk_window_new ();
  fixture->view = SONDE_RESPONSE_VIEW (sonde_response_view_new ());
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->view));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
show_path (Fixture    *fixture,
           const char *path)
{
  g_autoptr(SondeResponse) response = send_path (path);

  sonde_response_view_set_response (fixture->view, response);
  g_assert_true (sonde_response_view_get_response (fixture->view) == response);
  spin_until_loaded (fixture->view);
}

static char *
get_body_text (Fixture *fixture)
{
  GtkTextBuffer *buffer = sonde_body_view_get_buffer (sonde_response_view_get_body_view (fixture->view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Tests */

static void
test_empty_state (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_cmpstr (sonde_response_view_get_state (fixture->view), ==, "empty");
  g_assert_null (sonde_response_view_get_response (fixture->view));
}

static void
test_status_line (Fixture       *fixture,
                  gconstpointer  data)
{
  const struct {
    const char *path;
    const char *text;
    const char *css_class;
  } cases[] = {
    { "/viewer/json", "200 OK", "status-success" },
    { "/status/404", "404 Not Found", "status-client-error" },
    { "/status/500", "500 Internal Server Error", "status-server-error" },
    { "/status/304", "304 Not Modified", "status-redirect" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkLabel *label;

      g_test_message ("%s", cases[i].path);
      show_path (fixture, cases[i].path);
      label = sonde_response_view_get_status_label (fixture->view);
      g_assert_cmpstr (sonde_response_view_get_state (fixture->view), ==, "response");
      g_assert_cmpstr (gtk_label_get_text (label), ==, cases[i].text);
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), cases[i].css_class));
      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        if (j != i)
          g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (label), cases[j].css_class));
      /* No TLS here. */
      g_assert_false (gtk_widget_get_visible (sonde_response_view_get_tls_warning (fixture->view)));
    }
}

/* A response arriving while the one before is still being formatted takes its place at once;
 * the older one's late slices never land in the view */
static void
test_replaced_while_formatting (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(SondeResponse) big = send_path ("/viewer/big-json?size=8000000");
  g_autoptr(SondeResponse) small = send_path ("/viewer/json");
  g_autofree char *text = NULL;

  sonde_response_view_set_response (fixture->view, big);
  /* A few turns of the loop: formatting has begun, far from done */
  for (guint i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  sonde_response_view_set_response (fixture->view, small);
  spin_until_loaded (fixture->view);
  sonde_test_ui_spin_until_idle ();
  g_assert_true (sonde_response_view_get_response (fixture->view) == small);
  text = get_body_text (fixture);
  g_assert_null (strstr (text, "item 5000"));
  g_assert_nonnull (strstr (text, "\"tag\""));
}

static GtkDropDown *
find_dropdown (GtkWidget *widget)
{
  return GTK_DROP_DOWN (sonde_test_ui_find (widget, GTK_TYPE_DROP_DOWN, NULL, NULL));
}

static gboolean
has_headers_page (GtkWidget     *widget,
                  gconstpointer  data)
{
  return gtk_stack_get_child_by_name (GTK_STACK (widget), "headers") != NULL;
}

static GtkStack *
find_sections (GtkWidget *widget)
{
  return GTK_STACK (sonde_test_ui_find (widget, GTK_TYPE_STACK, has_headers_page, NULL));
}

/* Compact (a narrow window): a drop-down of the sections, in step with the section shown */
static void
test_compact (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SondeResponse) response = send_path ("/viewer/json");
  GtkStack *states = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->view), SONDE_TYPE_RESPONSE_VIEW,
                                                               "state_stack"));
  GtkDropDown *dropdown;
  GtkStack *sections;

  /* The response page is built with the first response, compact or not as set before */
  g_assert_null (gtk_stack_get_child_by_name (states, "response"));
  g_assert_null (find_dropdown (GTK_WIDGET (fixture->view)));
  sonde_response_view_set_compact (fixture->view, TRUE);
  sonde_response_view_set_compact (fixture->view, FALSE);
  sonde_response_view_set_response (fixture->view, response);
  spin_until_loaded (fixture->view);
  g_assert_nonnull (gtk_stack_get_child_by_name (states, "response"));
  dropdown = find_dropdown (GTK_WIDGET (fixture->view));
  g_assert_nonnull (dropdown);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dropdown)));
  sonde_response_view_set_compact (fixture->view, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dropdown)));
  sections = find_sections (GTK_WIDGET (fixture->view));
  g_assert_nonnull (sections);

  gtk_drop_down_set_selected (dropdown, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (sections), ==, "headers");
  gtk_stack_set_visible_child_name (sections, "body");
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  sonde_response_view_set_compact (fixture->view, FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dropdown)));
}

static void
test_warnings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SondeResponse) response = send_path ("/viewer/json");
  g_autoptr(SondeResponse) saved = send_path ("/viewer/json");
  g_autoptr(GFile) output = g_file_new_for_path (tmp_dir);
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);

  /* Crafted: the test server has no TLS, and nothing here truncates bodies. */
  response->is_tls = TRUE;
  response->tls_verified = FALSE;
  response->body_truncated = TRUE;
  response->body_warning = g_strdup ("The body was cut at 1 MB.");
  sonde_response_view_set_response (fixture->view, response);
  spin_until_loaded (fixture->view);
  g_assert_true (gtk_widget_get_visible (sonde_response_view_get_tls_warning (fixture->view)));
  g_assert_true (gtk_widget_has_css_class (sonde_response_view_get_tls_warning (fixture->view), "warning"));
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_body_warning_label (fixture->view)), ==,
                   "The body was cut at 1 MB.");

  /* A body that went straight to a file. */
  g_clear_object (&saved->body);
  saved->output = g_object_ref (output);
  sonde_response_view_set_response (fixture->view, saved);
  g_assert_false (gtk_widget_get_visible (sonde_response_view_get_tls_warning (fixture->view)));
  g_assert_cmpstr (sonde_body_view_get_page (body_view), ==, "file");
}

/* A GraphQL server's 200 with "errors": the messages above the body, as errors. */
static void
test_graphql_errors (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SondeResponse) response = send_path ("/viewer/json");
  g_autoptr(SondeResponse) plain = send_path ("/viewer/json");
  const char *json = "{\"data\": null, \"errors\": [{\"message\": \"Unknown field \\\"nam\\\"\","
                     " \"locations\": [{\"line\": 2, \"column\": 5}]}]}";
  GtkWidget *box = (GtkWidget *) sonde_response_view_get_page_widget (fixture->view, "graphql_errors_box");
  GtkLabel *label = GTK_LABEL (sonde_response_view_get_page_widget (fixture->view, "graphql_errors_label"));

  g_clear_object (&response->body);
  response->body = sonde_body_store_new (1024 * 1024);
  g_assert_true (sonde_body_store_append (response->body, (const guint8 *) json, strlen (json), NULL));
  sonde_response_view_set_response (fixture->view, response);
  spin_until_loaded (fixture->view);
  g_assert_true (gtk_widget_get_visible (box));
  g_assert_true (gtk_widget_has_css_class (box, "error"));
  g_assert_cmpstr (gtk_label_get_text (label), ==,
                   "The GraphQL server answered with an error:\nUnknown field \"nam\" (line 2, column 5)");

  /* Another response: gone */
  sonde_response_view_set_response (fixture->view, plain);
  spin_until_loaded (fixture->view);
  g_assert_false (gtk_widget_get_visible (box));
}

static void
test_headers (Fixture       *fixture,
              gconstpointer  data)
{
  const char *expected[][2] = { { "X-First", "1" }, { "X-Dup", "a" }, { "X-Dup", "b" }, { "X-Last", "z" } };
  GListModel *model;
  guint found = 0;

  show_path (fixture, "/response-headers");
  model = sonde_response_view_get_headers_model (fixture->view);
  g_assert_nonnull (model);

  for (guint i = 0; i < g_list_model_get_n_items (model) && found < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(SondeKeyValue) header = g_list_model_get_item (model, i);

      if (g_ascii_strcasecmp (sonde_key_value_get_name (header), expected[found][0]) == 0)
        {
          g_assert_cmpstr (sonde_key_value_get_value (header), ==, expected[found][1]);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (expected));
}

static void
test_cookies (Fixture       *fixture,
              gconstpointer  data)
{
  GListModel *model;
  g_autofree char *name = NULL;
  g_autofree char *http_only = NULL;
  g_autofree char *secure = NULL;
  g_autofree char *expires = NULL;

  show_path (fixture, "/set-cookie");
  model = sonde_response_view_get_cookies_model (fixture->view);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  name = sonde_response_view_get_cookie_cell (fixture->view, 1, 0);
  http_only = sonde_response_view_get_cookie_cell (fixture->view, 1, 6);
  secure = sonde_response_view_get_cookie_cell (fixture->view, 1, 5);
  expires = sonde_response_view_get_cookie_cell (fixture->view, 0, 4);
  g_assert_cmpstr (name, ==, "b");
  g_assert_cmpstr (http_only, ==, "Yes");
  g_assert_cmpstr (secure, ==, "No");
  g_assert_cmpstr (expires, ==, "Session");

  show_path (fixture, "/viewer/json");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

/* A redirect whose 302 set a cookie, to a page that sets none: the tab lists the
 * 302's cookie, and which step set it. */
static void
test_cookies_after_redirect (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *path = "/set-cookie?set=session%3Dabc%3B%20Path%3D%2F&redirect=%2Fviewer%2Fjson";
  g_autofree char *url = sonde_test_server_build_url (server, path);
  g_autoptr(GtkColumnViewColumn) set_by = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autofree char *step = NULL;

  show_path (fixture, path);
  set_by = g_list_model_get_item (gtk_column_view_get_columns (fixture->view->cookies_view), 8);
  g_assert_cmpuint (sonde_response_get_status (sonde_response_view_get_response (fixture->view)), ==, 200);
  g_assert_cmpuint (g_list_model_get_n_items (sonde_response_view_get_cookies_model (fixture->view)), ==, 1);
  g_object_get (fixture->view->cookies_page, "title", &title, NULL);
  g_assert_cmpstr (title, ==, "Cookies (1)");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fixture->view->cookies_stack), ==, "list");
  name = sonde_response_view_get_cookie_cell (fixture->view, 0, 0);
  step = sonde_response_view_get_cookie_cell (fixture->view, 0, 8);
  g_assert_cmpstr (name, ==, "session");
  g_assert_cmpstr (step, ==, url);
  g_assert_cmpstr (gtk_column_view_column_get_title (set_by), ==, "Set By");
  g_assert_true (gtk_column_view_column_get_visible (set_by));

  /* Without redirects, every cookie comes from the URL shown above: no column for it. */
  show_path (fixture, "/set-cookie");
  g_assert_false (gtk_column_view_column_get_visible (set_by));
}

static gboolean
widget_is_allocated (gpointer data)
{
  return gtk_widget_get_height (data) > 0;
}

/* The note above a body is a bar that pushes the text down: it covers no line of it,
 * nor a search match there. */
static void
test_note_beside_text (Fixture       *fixture,
                       gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  GtkWidget *note = body_view->note_box;
  GtkWidget *text = gtk_widget_get_parent (GTK_WIDGET (body_view->source_view));
  graphene_rect_t note_bounds;
  graphene_rect_t text_bounds;
  graphene_rect_t overlap;

  show_path (fixture, "/viewer/invalid-json");
  g_assert_nonnull (strstr (sonde_body_view_get_note (body_view), "not valid JSON"));
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_true (GTK_IS_SCROLLED_WINDOW (text));
  sonde_test_ui_spin_until (widget_is_allocated, note);

  g_assert_true (gtk_widget_compute_bounds (note, fixture->window, &note_bounds));
  g_assert_true (gtk_widget_compute_bounds (text, fixture->window, &text_bounds));
  g_assert_cmpfloat (note_bounds.size.height, >, 0);
  g_assert_cmpfloat (text_bounds.size.height, >, 0);
  g_assert_false (graphene_rect_intersection (&note_bounds, &text_bounds, &overlap));
  g_assert_cmpfloat (note_bounds.origin.y + note_bounds.size.height, <=, text_bounds.origin.y);
}

/* A duration as the Timing tab shows it ("0.42 ms", "12 ms", "1.5 s"), in ms; in
 * *tolerance half a unit of its last digit, as it was rounded to that. */
static double
parse_duration (const char *text,
                double     *tolerance)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);
  const char *dot = strchr (text, '.');
  double unit = g_str_has_suffix (text, " s") ? 1000 : 1;

  g_assert_true (end != text);
  g_assert_true (g_str_has_suffix (text, " ms") || g_str_has_suffix (text, " s"));
  *tolerance = 0.5 * unit;
  for (const char *p = dot != NULL ? dot + 1 : end; p < end; p++)
    *tolerance /= 10;
  return value * unit;
}

/* The phases listed in the Timing tab add up to its total. */
static void
assert_timing_adds_up (Fixture *fixture)
{
  const char *total_text = gtk_label_get_text (sonde_response_view_get_timing_total_label (fixture->view));
  double tolerance;
  double total;
  double sum = 0;
  double sum_tolerance = 0;

  g_assert_true (g_str_has_prefix (total_text, "Total "));
  total = parse_duration (total_text + strlen ("Total "), &tolerance);
  for (guint i = 0; i < SONDE_TIMING_N_PHASES; i++)
    {
      GtkWidget *value = GTK_WIDGET (sonde_response_view_get_timing_value (fixture->view, i));
      const char *text = gtk_label_get_text (GTK_LABEL (value));
      double phase_tolerance;

      if (!gtk_widget_get_visible (value) || g_str_equal (text, "—"))
        continue;
      sum += parse_duration (text, &phase_tolerance);
      sum_tolerance += phase_tolerance;
    }
  g_assert_cmpfloat (total, >, 0);
  g_assert_cmpfloat (fabs (sum - total), <=, sum_tolerance + tolerance);
}

static void
test_timing (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *redirects = GTK_WIDGET (sonde_response_view_get_timing_value (fixture->view, SONDE_TIMING_PHASE_REDIRECTS));

  /* 127.0.0.1 is not looked up; no redirect, so no row for one. */
  show_path (fixture, "/viewer/json");
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_timing_value (fixture->view, SONDE_TIMING_PHASE_DNS)), ==, "—");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sonde_response_view_get_timing_value (fixture->view, SONDE_TIMING_PHASE_DNS))));
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_timing_value (fixture->view, SONDE_TIMING_PHASE_TLS)), ==, "—");
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_timing_value (fixture->view, SONDE_TIMING_PHASE_WAITING)), !=, "—");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (sonde_response_view_get_timing_value (fixture->view, SONDE_TIMING_PHASE_QUEUED))));
  g_assert_false (gtk_widget_get_visible (redirects));
  assert_timing_adds_up (fixture);

  /* The hops before the final response have a row of their own. */
  show_path (fixture, "/redirect/1");
  g_assert_true (gtk_widget_get_visible (redirects));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (redirects)), !=, "—");
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_timing_value (fixture->view, SONDE_TIMING_PHASE_DNS)), ==, "—");
  assert_timing_adds_up (fixture);
}

static void
test_json_pretty_and_raw (Fixture       *fixture,
                          gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  g_autofree char *pretty = NULL;
  g_autofree char *raw = NULL;
  GtkTextBuffer *buffer;

  show_path (fixture, "/viewer/json");
  g_assert_cmpstr (sonde_body_view_get_mode (body_view), ==, "pretty");
  g_assert_cmpstr (sonde_body_view_get_page (body_view), ==, "text");
  pretty = get_body_text (fixture);
  g_assert_cmpstr (g_strchomp (pretty), ==, small_json_pretty);
  buffer = sonde_body_view_get_buffer (body_view);
  g_assert_true (GTK_SOURCE_IS_BUFFER (buffer));
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (buffer))), ==, "json");

  gtk_widget_activate_action (GTK_WIDGET (body_view), "body.mode", "s", "raw");
  spin_until_loaded (fixture->view);
  g_assert_cmpstr (sonde_body_view_get_mode (body_view), ==, "raw");
  raw = get_body_text (fixture);
  g_assert_cmpstr (raw, ==, small_json);
}

static void
test_invalid_json (Fixture       *fixture,
                   gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  g_autofree char *text = NULL;

  show_path (fixture, "/viewer/invalid-json");
  text = get_body_text (fixture);
  g_assert_cmpstr (text, ==, "{\"a\": 1, \"b\": }");
  g_assert_nonnull (strstr (sonde_body_view_get_note (body_view), "not valid JSON"));
  g_assert_nonnull (strstr (sonde_body_view_get_note (body_view), "byte 14"));
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  g_autofree char *text = NULL;

  show_path (fixture, "/viewer/text");
  g_assert_cmpstr (sonde_body_view_get_mode (body_view), ==, "raw");
  text = get_body_text (fixture);
  g_assert_cmpstr (text, ==, "line one\nline two\n");
}

static gboolean
preview_is_set (gpointer data)
{
  return sonde_body_view_get_preview (data) != NULL;
}

static void
test_image_preview (Fixture       *fixture,
                    gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  GdkPaintable *preview;

  show_path (fixture, "/viewer/image");
  sonde_test_ui_spin_until (preview_is_set, body_view);
  g_assert_cmpstr (sonde_body_view_get_mode (body_view), ==, "preview");
  g_assert_cmpstr (sonde_body_view_get_page (body_view), ==, "preview");
  preview = sonde_body_view_get_preview (body_view);
  g_assert_true (GDK_IS_TEXTURE (preview));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (preview)), ==, 4);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (preview)), ==, 3);

  /* Raw shows bytes as hex, never as text. */
  sonde_body_view_set_mode (body_view, "raw");
  g_assert_cmpstr (sonde_body_view_get_page (body_view), ==, "binary");
}

static void
test_binary (Fixture       *fixture,
             gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  g_autofree char *text = NULL;

  show_path (fixture, "/viewer/binary");
  g_assert_cmpstr (sonde_body_view_get_page (body_view), ==, "binary");
  text = get_body_text (fixture);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (sonde_body_view_get_mode (body_view), ==, "raw");
}

static gboolean
filter_is_done (gpointer data)
{
  return sonde_body_view_get_filter_message (data)[0] != '\0' && !sonde_body_view_get_loading (data);
}

static void
test_jsonpath_filter (Fixture       *fixture,
                      gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  g_autofree char *filtered = NULL;
  g_autofree char *unfiltered = NULL;

  show_path (fixture, "/viewer/json");
  sonde_body_view_set_filter (body_view, "$.items[*].tag");
  sonde_test_ui_spin_until (filter_is_done, body_view);
  spin_until_loaded (fixture->view);
  g_assert_cmpstr (sonde_body_view_get_filter_message (body_view), ==, "2 matches");
  filtered = get_body_text (fixture);
  g_assert_cmpstr (g_strchomp (filtered), ==, "[\n  \"a\",\n  \"b\"\n]");

  sonde_body_view_set_filter (body_view, "$.items[");
  g_assert_cmpstr (sonde_body_view_get_filter_message (body_view), !=, "");
  g_assert_cmpstr (sonde_body_view_get_filter_message (body_view), !=, "2 matches");

  sonde_body_view_set_filter (body_view, "");
  spin_until_loaded (fixture->view);
  unfiltered = get_body_text (fixture);
  g_assert_cmpstr (g_strchomp (unfiltered), ==, small_json_pretty);
}

static gboolean
has_selection (gpointer data)
{
  return gtk_text_buffer_get_has_selection (sonde_body_view_get_buffer (data));
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *selected = NULL;

  show_path (fixture, "/viewer/json");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "response.search", NULL));
  sonde_body_view_set_search_text (body_view, "TAG");
  sonde_body_view_search_next (body_view);
  sonde_test_ui_spin_until (has_selection, body_view);

  buffer = sonde_body_view_get_buffer (body_view);
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  selected = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (selected, ==, "tag");
  g_assert_cmpint (gtk_text_iter_get_line (&start), ==, 5);

  /* As you type, without Enter: the first match from where the current one begins, so a
   * longer word keeps the same place */
  g_clear_pointer (&selected, g_free);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  sonde_body_view_set_search_text (body_view, "TA");
  sonde_test_ui_spin_until (has_selection, body_view);
  sonde_body_view_set_search_text (body_view, "TAG");
  sonde_test_ui_spin_until_idle ();
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  selected = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (selected, ==, "tag");
  g_assert_cmpint (gtk_text_iter_get_line (&start), ==, 5);
}

/* A frame clock whose frames take longer to draw than the refresh interval (a GL renderer in
 * software while a spinner animates) has its paint source at GDK_PRIORITY_REDRAW always
 * ready; this stands for it without depending on the renderer. */
static gboolean
slow_frame_cb (gpointer user_data)
{
  guint *frames = user_data;

  (*frames)++;
  g_usleep (20 * 1000);
  return G_SOURCE_CONTINUE;
}

static guint
start_slow_frames (guint *frames)
{
  return g_idle_add_full (GDK_PRIORITY_REDRAW, slow_frame_cb, frames, NULL);
}

static void
spin_until_within (gboolean   (*done) (gpointer),
                   gpointer     data,
                   guint        seconds,
                   const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s did not finish within %u s", what, seconds);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
count_step_cb (gpointer user_data)
{
  guint *steps = user_data;

  (*steps)++;
  return *steps < 5 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
steps_done_cb (gpointer user_data)
{
  guint *steps = user_data;

  *steps += 100;
}

static gboolean
steps_are_done (gpointer data)
{
  return *(guint *) data >= 100;
}

static void
test_step_source (void)
{
  guint frames = 0;
  guint frames_source = start_slow_frames (&frames);
  guint steps = 0;

  sonde_step_source_add (G_PRIORITY_HIGH_IDLE + 24, count_step_cb, &steps, steps_done_cb);
  spin_until_within (steps_are_done, &steps, 5, "A step source under slow frames");
  g_test_message ("%u frames", frames);
  g_assert_cmpuint (steps, ==, 105);
  g_assert_cmpuint (frames, >=, 4);
  g_source_remove (frames_source);

  /* Removed before its first step: NOTIFY still runs, once. */
  steps = 0;
  g_source_remove (sonde_step_source_add (G_PRIORITY_LOW, count_step_cb, &steps, steps_done_cb));
  g_assert_cmpuint (steps, ==, 100);
  for (gint64 until = g_get_monotonic_time () + 50 * 1000; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (steps, ==, 100);
}

static void
test_slow_frames (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SondeResponse) response = send_path ("/viewer/big-json?size=500000");
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *selected = NULL;
  guint frames = 0;
  guint frames_source = start_slow_frames (&frames);

  /* Loading spins the spinner and inserts in many steps, all under always-ready frames. */
  sonde_response_view_set_response (fixture->view, response);
  spin_until_within (body_is_loaded, fixture->view, 20, "Loading under slow frames");
  buffer = sonde_body_view_get_buffer (body_view);
  /* Enough lines for the body view's own stepped search rather than GtkSourceView's. */
  g_assert_cmpint (gtk_text_buffer_get_line_count (buffer), >, 50000);
  g_test_message ("loaded with %u slow frames drawn meanwhile", frames);

  /* So does searching. */
  sonde_body_view_set_search_text (body_view, "\"item 5000\"");
  sonde_body_view_search_next (body_view);
  spin_until_within (has_selection, body_view, 20, "Searching under slow frames");
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  selected = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (selected, ==, "\"item 5000\"");

  g_source_remove (frames_source);
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->view));
  g_autofree char *text = NULL;

  show_path (fixture, "/viewer/json");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "response.copy-body", NULL));
  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &text);
  sonde_test_ui_spin_until (pointer_is_set, &text);
  g_assert_cmpstr (text, ==, small_json);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;
  gboolean saved = sonde_response_view_save_body_to_file_finish (SONDE_RESPONSE_VIEW (object), result, error);

  g_assert_true (saved == (*error == NULL));
  g_object_set_data (object, "saved", GINT_TO_POINTER (TRUE));
}

static gboolean
is_saved (gpointer data)
{
  return g_object_get_data (data, "saved") != NULL;
}

static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (tmp_dir, "body.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  show_path (fixture, "/viewer/json");
  sonde_response_view_save_body_to_file (fixture->view, file, NULL, save_cb, &error);
  sonde_test_ui_spin_until (is_saved, fixture->view);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, small_json);
  g_unlink (path);
}

static void
test_error (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autofree char *url = NULL;
  AdwStatusPage *page;

  /* A port that was free a moment ago: nothing listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  response = send_url (url, &error);
  g_assert_null (response);
  g_assert_nonnull (error);

  sonde_response_view_set_error (fixture->view, error);
  g_assert_cmpstr (sonde_response_view_get_state (fixture->view), ==, "error");
  page = sonde_response_view_get_error_page (fixture->view);
  g_assert_cmpstr (adw_status_page_get_description (page), ==, error->message);
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_error_hint_label (fixture->view)), ==,
                   "Check the port in the URL.");

  g_clear_error (&error);
  g_set_error_literal (&error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "Could not resolve “nowhere.invalid”");
  sonde_response_view_set_error (fixture->view, error);
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_error_hint_label (fixture->view)), ==,
                   "Check the address and your network connection.");

  g_clear_error (&error);
  g_set_error_literal (&error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "The certificate is not trusted");
  sonde_response_view_set_error (fixture->view, error);
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_error_hint_label (fixture->view)), ==,
                   "Turn off certificate verification in Settings only if you trust this server.");

  g_clear_error (&error);
  g_set_error_literal (&error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT, "The request timed out");
  sonde_response_view_set_error (fixture->view, error);
  g_assert_cmpstr (gtk_label_get_text (sonde_response_view_get_error_hint_label (fixture->view)), ==,
                   "Increase the timeout in Settings.");

  sonde_response_view_set_response (fixture->view, NULL);
  g_assert_cmpstr (sonde_response_view_get_state (fixture->view), ==, "empty");
}

static void
test_sending (Fixture       *fixture,
              gconstpointer  data)
{
  GtkLabel *label = sonde_response_view_get_progress_label (fixture->view);
  g_autofree char *upload = NULL;
  g_autofree char *download = NULL;
  g_autofree char *twelve = g_format_size (12000000);
  g_autofree char *total = g_format_size (512000000);
  g_autofree char *three = g_format_size (3000000);
  g_autoptr(SondeResponse) response = NULL;

  sonde_response_view_set_sending (fixture->view);
  g_assert_cmpstr (sonde_response_view_get_state (fixture->view), ==, "sending");

  sonde_response_view_set_progress (fixture->view, SONDE_TRANSFER_UPLOAD, 12000000, 512000000);
  upload = g_strdup_printf ("Uploading %s of %s", twelve, total);
  g_assert_cmpstr (gtk_label_get_text (label), ==, upload);

  sonde_response_view_set_progress (fixture->view, SONDE_TRANSFER_DOWNLOAD, 3000000, 0);
  download = g_strdup_printf ("Downloading %s", three);
  g_assert_cmpstr (gtk_label_get_text (label), ==, download);

  /* A cancelled send puts the previous response back. */
  response = send_path ("/viewer/json");
  sonde_response_view_set_response (fixture->view, response);
  sonde_response_view_set_sending (fixture->view);
  g_assert_cmpstr (sonde_response_view_get_state (fixture->view), ==, "sending");
  g_assert_true (sonde_response_view_get_response (fixture->view) == response);
  sonde_response_view_set_response (fixture->view, response);
  g_assert_cmpstr (sonde_response_view_get_state (fixture->view), ==, "response");
}

static void
test_redirects (Fixture       *fixture,
                gconstpointer  data)
{
  GtkStackPage *page = sonde_response_view_get_redirects_page (fixture->view);

  show_path (fixture, "/redirect/2");
  g_assert_true (gtk_stack_page_get_visible (page));
  show_path (fixture, "/viewer/json");
  g_assert_false (gtk_stack_page_get_visible (page));

  /* Headers a cross-origin redirect did not forward are named under its row. */
  {
    g_autoptr(SondeResponse) response = send_path ("/redirect/1");
    SondeRedirect *redirect = g_ptr_array_index (sonde_response_get_redirects (response), 0);
    const char *dropped[] = { "Authorization", "X-Api-Key", NULL };
    const char *subtitle;
    GtkWidget *row;

    redirect->dropped = g_strdupv ((char **) dropped);
    sonde_response_view_set_response (fixture->view, response);
    spin_until_loaded (fixture->view);
    row = gtk_widget_get_first_child (GTK_WIDGET (sonde_response_view_get_redirects_list (fixture->view)));
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                     "Not sent to the next address, another origin: Authorization, X-Api-Key");
    row = gtk_widget_get_next_sibling (row);
    subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
    g_assert_true (subtitle == NULL || subtitle[0] == '\0');
  }
}

static void
test_checks (Fixture       *fixture,
             gconstpointer  data)
{
  GtkStackPage *page = sonde_response_view_get_checks_page (fixture->view);
  GtkLabel *label = sonde_response_view_get_checks_label (fixture->view);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_result_free);
  SondeCheckResult *passed = g_new0 (SondeCheckResult, 1);
  SondeCheckResult *failed = g_new0 (SondeCheckResult, 1);
  GtkWidget *row;

  passed->description = g_strdup ("status == 200");
  passed->passed = TRUE;
  failed->description = g_strdup ("$.id isNumber");
  failed->message = g_strdup ("got abc (a string)");
  g_ptr_array_add (results, passed);
  g_ptr_array_add (results, failed);

  show_path (fixture, "/viewer/json");
  g_assert_false (gtk_stack_page_get_visible (page));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (label)));

  sonde_response_view_set_checks (fixture->view, results);
  g_assert_true (gtk_stack_page_get_visible (page));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "1/2 checks");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "error"));
  /* Failures first, with what went wrong. */
  row = gtk_widget_get_first_child (GTK_WIDGET (sonde_response_view_get_checks_list (fixture->view)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "$.id isNumber");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "got abc (a string)");
  row = gtk_widget_get_next_sibling (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "status == 200");

  /* Another response clears them. */
  show_path (fixture, "/viewer/json");
  g_assert_false (gtk_stack_page_get_visible (page));
}

static void
test_one_line_raw (Fixture       *fixture,
                   gconstpointer  data)
{
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  int longest = 0;

  show_path (fixture, "/viewer/one-line?size=10000000");
  sonde_body_view_set_mode (body_view, "raw");
  spin_until_loaded (fixture->view);

  /* All of it (Show More), wrapped */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (body_view), "body.show-more", NULL));
  spin_until_loaded (fixture->view);
  buffer = sonde_body_view_get_buffer (body_view);
  g_assert_cmpint (gtk_text_buffer_get_line_count (buffer), >, 10000000 / SONDE_TEXT_LOADER_WRAP_WIDTH);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    longest = MAX (longest, gtk_text_iter_get_chars_in_line (&iter));
  while (gtk_text_iter_forward_line (&iter));
  g_test_message ("longest line: %d characters", longest);
  g_assert_cmpint (longest, <=, SONDE_TEXT_LOADER_WRAP_WIDTH + 1);
  g_assert_nonnull (strstr (sonde_body_view_get_note (body_view), "wrapped"));
}

typedef struct
{
  gint64 last;
  gint64 longest;
  gint64 start;
} GapMeter;

static gboolean
gap_tick_cb (gpointer user_data)
{
  GapMeter *meter = user_data;
  gint64 now = g_get_monotonic_time ();

  meter->longest = MAX (meter->longest, now - meter->last);
  /* SONDE_TEST_GAPS=1 tells when the long gaps happen. */
  if (now - meter->last > 50000 && g_getenv ("SONDE_TEST_GAPS") != NULL)
    g_test_message ("gap of %" G_GINT64_FORMAT " ms at %" G_GINT64_FORMAT " ms", (now - meter->last) / 1000,
                    (now - meter->start) / 1000);
  meter->last = now;
  return G_SOURCE_CONTINUE;
}

static gint64
process_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static void
test_large_json (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SondeResponse) response = send_path ("/viewer/big-json?size=50000000");
  SondeBodyView *body_view = sonde_response_view_get_body_view (fixture->view);
  GapMeter meter = { 0, 0, 0 };
  gint64 start;
  gint64 loaded;
  GtkTextBuffer *buffer;
  GtkTextIter iter, end;
  g_autofree char *head = NULL;
  g_autofree char *match = NULL;
  int line;
  guint tick;

  g_assert_cmpuint (sonde_response_get_body_size (response), >=, 50000000);

  /* Warm up (fonts, styles, the first layout of every page) on a small response. */
  show_path (fixture, "/viewer/json");
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 4; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, TRUE);

  start = meter.start = meter.last = g_get_monotonic_time ();
  tick = g_timeout_add (1, gap_tick_cb, &meter);
  sonde_response_view_set_response (fixture->view, response);
  spin_until_loaded (fixture->view);
  loaded = g_get_monotonic_time ();
  /* Then through the text view's own layout of the new lines for a while: what CPU it takes
   * is reported (not a timed assertion) */
  {
    gint64 cpu_before = process_cpu_us ();

    for (gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC; g_get_monotonic_time () < until;)
      g_main_context_iteration (NULL, TRUE);
    g_test_message ("CPU in the 2 s after it was shown: %.2f s", (process_cpu_us () - cpu_before) / 1e6);
  }

  buffer = sonde_body_view_get_buffer (body_view);
  g_test_message ("50 MB JSON: %d lines, %d characters in the view after %.1f s",
                  gtk_text_buffer_get_line_count (buffer), gtk_text_buffer_get_char_count (buffer),
                  (loaded - start) / 1e6);
  g_test_message ("longest main-loop gap: %" G_GINT64_FORMAT " ms", meter.longest / 1000);
  g_test_message ("peak RSS: %" G_GUINT64_FORMAT " MiB", sonde_test_peak_rss_kib () / 1024);

  gtk_text_buffer_get_start_iter (buffer, &iter);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, 64);
  head = gtk_text_iter_get_text (&iter, &end);
  g_assert_true (g_str_has_prefix (head, "[\n  {\n    \"id\": 0,\n    \"name\": \"item 0\",\n"));
  g_assert_cmpstr (sonde_body_view_get_mode (body_view), ==, "pretty");
  /* The first slice: the window lays out every line it holds */
  g_assert_nonnull (strstr (sonde_body_view_get_note (body_view), "of text is shown, to keep the window quick"));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), <=, SONDE_BODY_VIEW_FIRST_SLICE);

  /* Searching it. */
  meter.longest = 0;
  start = g_get_monotonic_time ();
  sonde_body_view_set_search_text (body_view, "\"item 8000\"");
  sonde_body_view_search_next (body_view);
  sonde_test_ui_spin_until (has_selection, body_view);
  g_test_message ("search found a match in %" G_GINT64_FORMAT " ms; longest main-loop gap: %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000, meter.longest / 1000);
  buffer = sonde_body_view_get_buffer (body_view);
  gtk_text_buffer_get_selection_bounds (buffer, &iter, &end);
  match = gtk_text_iter_get_text (&iter, &end);
  g_assert_cmpstr (match, ==, "\"item 8000\"");
  line = gtk_text_iter_get_line (&iter);

  /* From the end, it wraps around to the same match. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  sonde_body_view_search_next (body_view);
  sonde_test_ui_spin_until (has_selection, body_view);
  gtk_text_buffer_get_selection_bounds (buffer, &iter, &end);
  g_assert_cmpint (gtk_text_iter_get_line (&iter), ==, line);

  /* Show More: up to 16 MB, and then the body is for a file */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (body_view), "body.show-more", NULL));
  spin_until_loaded (fixture->view);
  buffer = sonde_body_view_get_buffer (body_view);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), >, 2 * SONDE_BODY_VIEW_FIRST_SLICE);
  g_assert_nonnull (strstr (sonde_body_view_get_note (body_view), "Save the body to a file to see all of it"));

  /* Sending again hides it; a cancelled send shows it back. */
  meter.longest = 0;
  sonde_response_view_set_sending (fixture->view);
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, TRUE);
  sonde_response_view_set_response (fixture->view, response);
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("longest main-loop gap while hiding and showing it: %" G_GINT64_FORMAT " ms", meter.longest / 1000);

  /* Replacing it drops the big buffer, in steps. */
  meter.longest = 0;
  sonde_response_view_set_response (fixture->view, NULL);
  for (gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC; g_get_monotonic_time () < until;)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_test_message ("longest main-loop gap while dropping it: %" G_GINT64_FORMAT " ms", meter.longest / 1000);
}

/* The loader on its own */

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SondeTextLoadInfo **info = user_data;
  g_autoptr(GError) error = NULL;

  *info = sonde_text_loader_load_finish (GTK_TEXT_BUFFER (object), result, &error);
  g_assert_no_error (error);
}

static char *
load_text (const char          *input,
           gsize                length,
           SondeTextLoaderMode  mode,
           guint64              limit,
           SondeTextLoadInfo  **info)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (input, length), length, g_free);
  GtkTextIter start, end;

  *info = NULL;
  sonde_text_loader_load_async (buffer, stream, mode, limit, NULL, loaded_cb, info);
  sonde_test_ui_spin_until (pointer_is_set, info);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_loader_utf8 (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(SondeTextLoadInfo) info = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *joined = NULL;

  /* A two-byte character across the loader's 64 KiB reads, and one across a wrap point. */
  for (gsize i = 0; i < 65535; i++)
    g_string_append_c (input, 'a');
  g_string_append (input, "é");
  for (gsize i = 0; i < 4094; i++)
    g_string_append_c (input, 'b');
  g_string_append (input, "ü\nlast line\n");

  text = load_text (input->str, input->len, SONDE_TEXT_LOADER_RAW, G_MAXUINT64, &info);
  g_assert_true (info->wrapped);
  g_assert_false (info->replaced);
  g_assert_false (info->truncated);
  g_assert_cmpuint (info->consumed, ==, input->len);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, SONDE_TEXT_LOADER_WRAP_WIDTH);
  joined = g_strjoinv ("", lines);
  g_assert_cmpuint (strlen (joined), ==, input->len - 2);
  g_assert_true (g_str_has_suffix (text, "ü\nlast line\n"));
}

static void
test_loader_invalid_and_limit (void)
{
  static const char bad[] = "ok \xff\xfe then \0 nul";
  g_autoptr(SondeTextLoadInfo) info = NULL;
  g_autoptr(SondeTextLoadInfo) limited = NULL;
  g_autoptr(SondeTextLoadInfo) json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *head = NULL;
  g_autofree char *pretty = NULL;

  text = load_text (bad, sizeof bad - 1, SONDE_TEXT_LOADER_RAW, G_MAXUINT64, &info);
  g_assert_true (info->replaced);
  g_assert_cmpstr (text, ==, "ok \xef\xbf\xbd\xef\xbf\xbd then \xef\xbf\xbd nul");

  head = load_text (small_json, strlen (small_json), SONDE_TEXT_LOADER_JSON, 20, &limited);
  g_assert_true (limited->truncated);
  g_assert_cmpuint (strlen (head), <=, 20);
  g_assert_true (g_str_has_prefix (small_json_pretty, head));

  pretty = load_text ("[1, 2", 5, SONDE_TEXT_LOADER_JSON, G_MAXUINT64, &json);
  g_assert_error (json->json_error, SONDE_JSON_FORMATTER_ERROR, SONDE_JSON_FORMATTER_ERROR_TRUNCATED);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!sonde_test_ui_init (&argc, &argv))
    return 0;

  tmp_dir = g_dir_make_tmp ("sonde-response-view-XXXXXX", NULL);
  server = sonde_test_server_new ();
  soup_server_add_handler (sonde_test_server_get_server (server), "/viewer", viewer_handler, NULL, NULL);
  client = sonde_client_new ();

  g_test_add_func ("/text-loader/utf8-and-wrap", test_loader_utf8);
  g_test_add_func ("/text-loader/invalid-and-limit", test_loader_invalid_and_limit);
  g_test_add_func ("/step-source/slow-frames", test_step_source);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/response-view/empty", test_empty_state);
  ADD ("/response-view/status-line", test_status_line);
  ADD ("/response-view/warnings", test_warnings);
  ADD ("/response-view/graphql-errors", test_graphql_errors);
  ADD ("/response-view/compact", test_compact);
  ADD ("/response-view/replaced-while-formatting", test_replaced_while_formatting);
  ADD ("/response-view/headers", test_headers);
  ADD ("/response-view/cookies", test_cookies);
  ADD ("/response-view/cookies-after-redirect", test_cookies_after_redirect);
  ADD ("/response-view/timing", test_timing);
  ADD ("/response-view/json-pretty-and-raw", test_json_pretty_and_raw);
  ADD ("/response-view/invalid-json", test_invalid_json);
  ADD ("/response-view/note-beside-text", test_note_beside_text);
  ADD ("/response-view/text", test_text);
  ADD ("/response-view/image-preview", test_image_preview);
  ADD ("/response-view/binary", test_binary);
  ADD ("/response-view/jsonpath-filter", test_jsonpath_filter);
  ADD ("/response-view/search", test_search);
  ADD ("/response-view/slow-frames", test_slow_frames);
  ADD ("/response-view/copy", test_copy);
  ADD ("/response-view/save", test_save);
  ADD ("/response-view/error", test_error);
  ADD ("/response-view/sending", test_sending);
  ADD ("/response-view/redirects", test_redirects);
  ADD ("/response-view/checks", test_checks);
  ADD ("/response-view/one-line-raw", test_one_line_raw);
  ADD ("/response-view/large-json", test_large_json);
#undef ADD

  ret = g_test_run ();

  g_clear_object (&client);
  g_clear_pointer (&server, sonde_test_server_free);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
