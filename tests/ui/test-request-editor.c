/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gtksourceview/gtksource.h>

#include "sonde-auth-editor.h"
#include "sonde-body-editor.h"
#include "sonde-body-part-row.h"
#include "sonde-check-editor.h"
#include "sonde-check-row.h"
#include "sonde-core.h"
#include "sonde-key-value-editor.h"
#include "sonde-request-editor.h"
#include "sonde-message-editor.h"
#include "sonde-message-row.h"
#include "sonde-settings-editor.h"
#include "sonde-test-ui.h"
#include "sonde-variable-highlight.h"

typedef struct
{
  GtkWindow *window;
  SondeRequest *request;
  SondeRequestEditor *editor;
} Fixture;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  fixture->request = sonde_request_new ();
  fixture->editor = SONDE_REQUEST_EDITOR (sonde_request_editor_new (fixture->request));
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 600);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->editor));
  gtk_window_present (fixture->window);
  sonde_test_ui_spin_until_idle ();
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  sonde_test_ui_spin_until_idle ();
  g_assert_finalize_object (fixture->request);
}

/* Borrowed: the store keeps the row alive. */
static SondeKeyValue *
get_row (GListStore *rows,
         guint       position)
{
  SondeKeyValue *row = g_list_model_get_item (G_LIST_MODEL (rows), position);

  g_object_unref (row);
  return row;
}

/* A key/value editor builds its rows when it is shown, once: the Cookies tab, never opened
 * here, has none until a row is asked for, and shows the model's rows then. */
static void
test_rows_built_when_shown (Fixture       *fixture,
                            gconstpointer  data)
{
  SondeKeyValueEditor *params = SONDE_KEY_VALUE_EDITOR (sonde_request_editor_get_page (fixture->editor, "params"));
  SondeKeyValueEditor *cookies = SONDE_KEY_VALUE_EDITOR (sonde_request_editor_get_page (fixture->editor, "cookies"));
  GtkWidget *cookie_list = gtk_widget_get_first_child (GTK_WIDGET (cookies));
  g_autoptr(SondeKeyValue) cookie = sonde_key_value_new ("session", "abc", TRUE);

  /* Params is shown: its empty row is there. Cookies is not: nothing is built. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (params)));
  g_assert_nonnull (gtk_widget_get_first_child (gtk_widget_get_first_child (GTK_WIDGET (params))));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (cookies)));
  g_assert_null (gtk_widget_get_first_child (cookie_list));

  /* A model change while hidden builds nothing either. */
  g_list_store_append (sonde_request_get_cookies (fixture->request), cookie);
  g_assert_null (gtk_widget_get_first_child (cookie_list));

  /* Shown: the cookie's row and the empty one. */
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->editor),
                                                                             SONDE_TYPE_REQUEST_EDITOR, "stack")),
                                    "cookies");
  sonde_test_ui_spin_until_idle ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (cookies)));
  g_assert_cmpstr (gtk_editable_get_text (sonde_key_value_editor_get_name_entry (cookies, 0)), ==, "session");
  g_assert_cmpstr (gtk_editable_get_text (sonde_key_value_editor_get_name_entry (cookies, 1)), ==, "");
  g_assert_null (sonde_key_value_editor_get_name_entry (cookies, 2));
}

static void
test_url_params_sync (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkEditable *url_entry = sonde_request_editor_get_url_entry (fixture->editor);
  GListStore *params = sonde_request_get_params (fixture->request);
  SondeKeyValueEditor *params_editor =
    SONDE_KEY_VALUE_EDITOR (sonde_request_editor_get_page (fixture->editor, "params"));

  /* Typing (or pasting) a URL with a query fills the rows. */
  gtk_editable_set_text (url_entry, "http://example.com/api?a=1&b=two&flag");
  g_assert_cmpstr (sonde_request_get_url (fixture->request), ==, "http://example.com/api");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (params)), ==, 3);
  g_assert_cmpstr (sonde_key_value_get_name (get_row (params, 0)), ==, "a");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 0)), ==, "1");
  g_assert_cmpstr (sonde_key_value_get_name (get_row (params, 1)), ==, "b");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 1)), ==, "two");
  g_assert_cmpstr (sonde_key_value_get_name (get_row (params, 2)), ==, "flag");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 2)), ==, "");

  /* Editing a row updates the URL. */
  sonde_key_value_set_value (get_row (params, 1), "3");
  g_assert_cmpstr (gtk_editable_get_text (url_entry), ==, "http://example.com/api?a=1&b=3&flag");

  /* Typing in the rows editor's empty row adds a row, and the URL follows. */
  gtk_editable_set_text (sonde_key_value_editor_get_name_entry (params_editor, 3), "c");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (params)), ==, 4);
  g_assert_nonnull (sonde_key_value_editor_get_name_entry (params_editor, 4));
  gtk_editable_set_text (sonde_key_value_editor_get_value_entry (params_editor, 3), "x y");
  g_assert_cmpstr (gtk_editable_get_text (url_entry), ==, "http://example.com/api?a=1&b=3&flag&c=x y");

  /* Disabled rows leave the URL, and survive edits of it. */
  sonde_key_value_set_enabled (get_row (params, 0), FALSE);
  g_assert_cmpstr (gtk_editable_get_text (url_entry), ==, "http://example.com/api?b=3&flag&c=x y");
  gtk_editable_set_text (url_entry, "http://example.com/other?b=4");
  g_assert_cmpstr (sonde_request_get_url (fixture->request), ==, "http://example.com/other");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (params)), ==, 2);
  g_assert_cmpstr (sonde_key_value_get_name (get_row (params, 0)), ==, "a");
  g_assert_false (sonde_key_value_get_enabled (get_row (params, 0)));
  g_assert_cmpstr (sonde_key_value_get_name (get_row (params, 1)), ==, "b");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 1)), ==, "4");

  /* Deleting a row through the model removes its widgets. */
  g_list_store_remove (params, 1);
  g_assert_cmpstr (gtk_editable_get_text (url_entry), ==, "http://example.com/other");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (params)), ==, 1);
  g_assert_nonnull (sonde_key_value_editor_get_name_entry (params_editor, 1));
  g_assert_null (sonde_key_value_editor_get_name_entry (params_editor, 2));

  /* Rows hold decoded text; the URL escapes what would change the query's meaning. */
  gtk_editable_set_text (url_entry, "http://example.com/other?q=a%20b+c&x=50%25&y=50%");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 1)), ==, "a b c");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 2)), ==, "50%");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 3)), ==, "50%");
  sonde_key_value_set_value (get_row (params, 1), "1&2={{v}}");
  g_assert_cmpstr (gtk_editable_get_text (url_entry), ==, "http://example.com/other?q=1%262%3D{{v}}&x=50%25&y=50%25");

  /* Spaces around a pasted URL and its fragment are not part of the request. */
  gtk_editable_set_text (url_entry, "  https://example.net/x?k=v#section\n");
  g_assert_cmpstr (sonde_request_get_url (fixture->request), ==, "https://example.net/x");
  g_assert_cmpstr (sonde_key_value_get_name (get_row (params, 1)), ==, "k");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 1)), ==, "v");
  gtk_editable_set_text (url_entry, "http://example.com/other?q=1%262%3D{{v}}&x=50%25&y=50%");

  /* A URL set on the model shows in the entry, with the rows. */
  sonde_request_set_url (fixture->request, "https://example.org/");
  g_assert_cmpstr (gtk_editable_get_text (url_entry), ==, "https://example.org/?q=1%262%3D{{v}}&x=50%25&y=50%25");
}

/* The n-th path variable row, or NULL */
static GtkEditable *
path_row (Fixture *fixture,
          guint    n)
{
  GtkWidget *list = sonde_request_editor_get_page (fixture->editor, "path-variables");
  GtkWidget *row = gtk_widget_get_first_child (list);

  for (guint i = 0; row != NULL && i < n; i++)
    row = gtk_widget_get_next_sibling (row);
  return row != NULL ? GTK_EDITABLE (row) : NULL;
}

/* ":name" segments get rows whose values are the request's own variables; a value typed
 * survives edits of the URL that keep the segment */
static void
test_path_variables (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkEditable *url_entry = sonde_request_editor_get_url_entry (fixture->editor);
  GtkWidget *list = sonde_request_editor_get_page (fixture->editor, "path-variables");

  g_assert_false (gtk_widget_is_visible (list));
  gtk_editable_set_text (url_entry, "http://example.com/users/:id/posts/:post?full=1");
  g_assert_true (gtk_widget_is_visible (list));
  g_assert_nonnull (path_row (fixture, 1));
  g_assert_null (path_row (fixture, 2));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (path_row (fixture, 0))), ==, ":id");

  gtk_editable_set_text (path_row (fixture, 0), "42");
  g_assert_cmpstr (sonde_request_get_variable (fixture->request, "id"), ==, "42");
  /* The URL keeps ":id": the value is filled in when sending */
  g_assert_cmpstr (sonde_request_get_url (fixture->request), ==, "http://example.com/users/:id/posts/:post");

  /* A segment gone takes its row; the others keep theirs and their values */
  gtk_editable_set_text (url_entry, "http://example.com/users/:id?full=1");
  g_assert_null (path_row (fixture, 1));
  g_assert_cmpstr (gtk_editable_get_text (path_row (fixture, 0)), ==, "42");

  /* A value set on the model shows; emptied, the variable goes */
  sonde_request_set_variable (fixture->request, "id", "7");
  g_assert_cmpstr (gtk_editable_get_text (path_row (fixture, 0)), ==, "7");
  gtk_editable_set_text (path_row (fixture, 0), "");
  g_assert_null (sonde_request_get_variable (fixture->request, "id"));

  gtk_editable_set_text (url_entry, "http://example.com/users");
  g_assert_false (gtk_widget_is_visible (list));
}

/* A request whose "url" holds a query (as written by hand) opens with that query as rows,
 * before the rows it had: the same URL */
static void
test_url_query_on_open (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeKeyValue) row = sonde_key_value_new ("c", "3", TRUE);
  GtkWidget *editor;
  GtkWidget *window = gtk_window_new ();
  GListStore *params = sonde_request_get_params (request);

  sonde_request_set_url (request, "http://example.com/get?a=1&b=x%20y");
  g_list_store_append (params, row);
  editor = sonde_request_editor_new (request);
  gtk_window_set_child (GTK_WINDOW (window), editor);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_cmpstr (sonde_request_get_url (request), ==, "http://example.com/get");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (params)), ==, 3);
  g_assert_cmpstr (sonde_key_value_get_name (get_row (params, 0)), ==, "a");
  g_assert_cmpstr (sonde_key_value_get_value (get_row (params, 1)), ==, "x y");
  g_assert_cmpstr (sonde_key_value_get_name (get_row (params, 2)), ==, "c");
  g_assert_cmpstr (gtk_editable_get_text (sonde_request_editor_get_url_entry (SONDE_REQUEST_EDITOR (editor))), ==,
                   "http://example.com/get?a=1&b=x y&c=3");
  gtk_window_destroy (GTK_WINDOW (window));
  sonde_test_ui_spin_until_idle ();

  /* Rows would send other bytes: a variable (inserted raw in a URL, encoded in a row), a
   * name without "=", "+" or lower-case escapes. The URL stays as written. */
  {
    const char *kept[] = { "http://e.com/x?got={{v}}", "http://e.com/x?flag", "http://e.com/x?q=a+b",
                           "http://e.com/x?q=%2f", "http://e.com/x?q=1#top" };

    for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
      {
        g_autoptr(SondeRequest) other = sonde_request_new ();

        sonde_request_set_url (other, kept[i]);
        window = gtk_window_new ();
        gtk_window_set_child (GTK_WINDOW (window), sonde_request_editor_new (other));
        g_assert_cmpstr (sonde_request_get_url (other), ==, kept[i]);
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_params (other))), ==, 0);
        gtk_window_destroy (GTK_WINDOW (window));
      }
  }
}

static void
test_url_validation (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkEditable *url_entry = sonde_request_editor_get_url_entry (fixture->editor);
  g_autoptr(GError) error = NULL;

  g_assert_false (sonde_request_editor_check (fixture->editor, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL);
  g_clear_error (&error);
  /* Empty is not marked: nothing was typed yet. */
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_entry), "error"));

  gtk_editable_set_text (url_entry, "example.com/users");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url_entry), "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (url_entry)));
  g_assert_false (sonde_request_editor_check (fixture->editor, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL);
  g_clear_error (&error);

  gtk_editable_set_text (url_entry, "ftp://example.com/");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url_entry), "error"));

  gtk_editable_set_text (url_entry, "https://example.com/users?q=a b");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_entry), "error"));
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (url_entry)));
  g_assert_true (sonde_request_editor_check (fixture->editor, &error));
  g_assert_no_error (error);

  /* Variables are checked after expansion. */
  gtk_editable_set_text (url_entry, "{{base_url}}/users");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_entry), "error"));
  gtk_editable_set_text (url_entry, "https://{{host}}:8080/users");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_entry), "error"));
}

static void
test_invalid_header (Fixture       *fixture,
                     gconstpointer  data)
{
  SondeKeyValueEditor *headers_editor =
    SONDE_KEY_VALUE_EDITOR (sonde_request_editor_get_page (fixture->editor, "headers"));
  GListStore *headers = sonde_request_get_headers (fixture->request);
  GtkEditable *name_entry;
  g_autoptr(GError) error = NULL;

  gtk_editable_set_text (sonde_request_editor_get_url_entry (fixture->editor), "http://127.0.0.1/");

  name_entry = sonde_key_value_editor_get_name_entry (headers_editor, 0);
  /* Header names and values complete from the common ones. */
  g_assert_nonnull (gtk_entry_get_completion (GTK_ENTRY (name_entry)));
  g_assert_nonnull (gtk_entry_get_completion (GTK_ENTRY (sonde_key_value_editor_get_value_entry (headers_editor, 0))));
  gtk_editable_set_text (name_entry, "Bad Header");
  gtk_editable_set_text (sonde_key_value_editor_get_value_entry (headers_editor, 0), "x");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (headers)), ==, 1);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (name_entry), "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (name_entry)));

  g_assert_false (sonde_request_editor_check (fixture->editor, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER);
  g_clear_error (&error);

  gtk_editable_set_text (name_entry, "X-Good");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (name_entry), "error"));
  g_assert_true (sonde_request_editor_check (fixture->editor, &error));

  /* A disabled bad row is not sent, so it does not stop the request. */
  gtk_editable_set_text (name_entry, "Bad Header");
  sonde_key_value_set_enabled (get_row (headers, 0), FALSE);
  g_assert_true (sonde_request_editor_check (fixture->editor, &error));
  g_assert_no_error (error);
}

static void
test_method (Fixture       *fixture,
             gconstpointer  data)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (fixture->editor),
                                                                        SONDE_TYPE_REQUEST_EDITOR,
                                                                        "method_dropdown"));
  GtkEditable *custom_entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->editor),
                                                                           SONDE_TYPE_REQUEST_EDITOR,
                                                                           "custom_method_entry"));
  GListModel *methods = gtk_drop_down_get_model (dropdown);
  guint n_items = g_list_model_get_n_items (methods);

  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (methods), gtk_drop_down_get_selected (dropdown)), ==, "GET");

  gtk_drop_down_set_selected (dropdown, 1);
  g_assert_cmpstr (sonde_request_get_method (fixture->request), ==, "POST");

  /* A method set on the model (say, loaded from a file) joins the list. */
  sonde_request_set_method (fixture->request, "PURGE");
  g_assert_cmpuint (g_list_model_get_n_items (methods), ==, n_items + 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (methods), gtk_drop_down_get_selected (dropdown)), ==, "PURGE");

  /* "Custom…" lets the user type one; an invalid token is refused where it is typed. */
  gtk_drop_down_set_selected (dropdown, g_list_model_get_n_items (methods) - 1);
  g_assert_cmpstr (sonde_request_get_method (fixture->request), ==, "PURGE");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (custom_entry)) ||
                 gtk_widget_get_child_visible (GTK_WIDGET (custom_entry)));
  gtk_editable_set_text (custom_entry, "BAD METHOD");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (custom_entry), "error"));
  g_signal_emit_by_name (custom_entry, "activate");
  g_assert_cmpstr (sonde_request_get_method (fixture->request), ==, "PURGE");

  gtk_editable_set_text (custom_entry, "LINK");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (custom_entry), "error"));
  g_signal_emit_by_name (custom_entry, "activate");
  g_assert_cmpstr (sonde_request_get_method (fixture->request), ==, "LINK");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (methods), gtk_drop_down_get_selected (dropdown)), ==, "LINK");
}

static void
test_send_button (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkActionable *button = GTK_ACTIONABLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->editor),
                                                                         SONDE_TYPE_REQUEST_EDITOR,
                                                                         "send_button"));

  g_assert_cmpstr (gtk_actionable_get_action_name (button), ==, "win.send-request");
  sonde_request_editor_set_sending (fixture->editor, TRUE);
  g_assert_cmpstr (gtk_actionable_get_action_name (button), ==, "win.cancel-request");
  sonde_request_editor_set_sending (fixture->editor, FALSE);
  g_assert_cmpstr (gtk_actionable_get_action_name (button), ==, "win.send-request");
}

static void
test_body_format (Fixture       *fixture,
                  gconstpointer  data)
{
  SondeBody *body = sonde_request_get_body (fixture->request);
  GtkWidget *format_button = (GtkWidget *) gtk_widget_get_template_child (sonde_request_editor_get_page (fixture->editor, "body"),
                                                                          SONDE_TYPE_BODY_EDITOR, "format_button");
  GtkTextView *source_view;

  source_view = GTK_TEXT_VIEW (gtk_widget_get_template_child (sonde_request_editor_get_page (fixture->editor, "body"),
                                                              SONDE_TYPE_BODY_EDITOR, "source_view"));

  sonde_body_set_kind (body, SONDE_BODY_JSON);
  sonde_body_set_text (body, "{\"a\":[1,2],\"b\":\"x\"}");
  g_assert_true (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (source_view))) != NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.format-body", NULL));
  g_assert_cmpstr (sonde_body_get_text (body), ==, "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x\"\n}");

  /* Typing in the source view edits the body. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (source_view), "{\"broken\":", -1);
  g_assert_cmpstr (sonde_body_get_text (body), ==, "{\"broken\":");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.format-body", NULL));
  g_assert_cmpstr (sonde_body_get_text (body), ==, "{\"broken\":");

  /* Only JSON can be formatted: the button follows the action. */
  g_assert_true (gtk_widget_get_sensitive (format_button));
  sonde_body_set_kind (body, SONDE_BODY_TEXT);
  g_assert_false (gtk_widget_get_sensitive (format_button));
}

/* GraphQL: the query with GraphQL highlighting, the variables (JSON) and the operation name
 * below it, each editing the body; the type list's last entry. */
static void
test_body_graphql (Fixture       *fixture,
                   gconstpointer  data)
{
  SondeBody *body = sonde_request_get_body (fixture->request);
  GtkWidget *body_editor = sonde_request_editor_get_page (fixture->editor, "body");
  GtkWidget *graphql_box = (GtkWidget *) gtk_widget_get_template_child (body_editor, SONDE_TYPE_BODY_EDITOR, "graphql_box");
  GtkDropDown *kind_dropdown = GTK_DROP_DOWN (gtk_widget_get_template_child (body_editor, SONDE_TYPE_BODY_EDITOR, "kind_dropdown"));
  GtkTextView *source_view = GTK_TEXT_VIEW (gtk_widget_get_template_child (body_editor, SONDE_TYPE_BODY_EDITOR, "source_view"));
  GtkTextView *variables_view = GTK_TEXT_VIEW (gtk_widget_get_template_child (body_editor, SONDE_TYPE_BODY_EDITOR, "variables_view"));
  GtkEditable *operation_entry = GTK_EDITABLE (gtk_widget_get_template_child (body_editor, SONDE_TYPE_BODY_EDITOR, "operation_name_entry"));
  GtkSourceLanguage *language;

  g_assert_false (gtk_widget_get_visible (graphql_box));
  gtk_drop_down_set_selected (kind_dropdown, 7);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_GRAPHQL);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (kind_dropdown)), ==, "GraphQL");
  g_assert_true (gtk_widget_get_visible (graphql_box));
  language = gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (source_view)));
  g_assert_nonnull (language);
  g_assert_cmpstr (gtk_source_language_get_id (language), ==, "graphql");
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (variables_view)))),
                   ==, "json");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (source_view), "query Q($id: ID!) { user(id: $id) { name } }", -1);
  g_assert_cmpstr (sonde_body_get_text (body), ==, "query Q($id: ID!) { user(id: $id) { name } }");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (variables_view), "{\"id\": \"{{userId}}\"}", -1);
  g_assert_cmpstr (sonde_body_get_variables (body), ==, "{\"id\": \"{{userId}}\"}");
  gtk_editable_set_text (operation_entry, "Q");
  g_assert_cmpstr (sonde_body_get_operation_name (body), ==, "Q");

  /* And back: the body's values show */
  sonde_body_set_variables (body, "{}");
  {
    GtkTextIter start, end;
    g_autofree char *shown = NULL;

    gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (variables_view), &start, &end);
    shown = gtk_text_buffer_get_text (gtk_text_view_get_buffer (variables_view), &start, &end, TRUE);
    g_assert_cmpstr (shown, ==, "{}");
  }
  sonde_body_set_operation_name (body, "Other");
  g_assert_cmpstr (gtk_editable_get_text (operation_entry), ==, "Other");

  sonde_body_set_kind (body, SONDE_BODY_JSON);
  g_assert_false (gtk_widget_get_visible (graphql_box));
}

static gboolean
has_placeholder (GtkWidget     *widget,
                 gconstpointer  text)
{
  return g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), text) == 0;
}

static void
test_body_parts (Fixture       *fixture,
                 gconstpointer  data)
{
  SondeBody *body = sonde_request_get_body (fixture->request);
  GtkWidget *body_editor = sonde_request_editor_get_page (fixture->editor, "body");
  GtkListBox *parts_list = GTK_LIST_BOX (gtk_widget_get_template_child (body_editor, SONDE_TYPE_BODY_EDITOR, "parts_list"));
  g_autoptr(SondeBodyPart) part = NULL;
  g_autoptr(SondeBodyPart) text_part = NULL;
  GtkWidget *text_row;
  GtkWidget *file_row;
  GtkWidget *entry;

  sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
  g_assert_true (gtk_widget_activate_action (body_editor, "body.add-text-part", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_body_get_parts (body))), ==, 1);
  text_row = GTK_WIDGET (gtk_list_box_get_row_at_index (parts_list, 0));
  g_assert_true (SONDE_IS_BODY_PART_ROW (text_row));
  text_part = g_list_model_get_item (G_LIST_MODEL (sonde_body_get_parts (body)), 0);
  g_assert_true (sonde_body_part_row_get_part (SONDE_BODY_PART_ROW (text_row)) == text_part);

  /* The row edits its part: name and value both ways */
  gtk_editable_set_text (GTK_EDITABLE (sonde_body_part_row_get_name_entry (SONDE_BODY_PART_ROW (text_row))), "greeting");
  g_assert_cmpstr (sonde_body_part_get_name (text_part), ==, "greeting");
  sonde_body_part_set_value (text_part, "hello");
  entry = sonde_test_ui_find (text_row, GTK_TYPE_ENTRY, has_placeholder, "Field value");
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "hello");

  part = sonde_body_part_new_file ("upload", "/nonexistent/file.png");
  g_list_store_append (sonde_body_get_parts (body), part);
  file_row = GTK_WIDGET (gtk_list_box_get_row_at_index (parts_list, 1));
  g_assert_true (SONDE_IS_BODY_PART_ROW (file_row));
  /* A file part shows the file's name on its button, and no value */
  g_assert_nonnull (sonde_test_ui_find (file_row, GTK_TYPE_BUTTON, sonde_test_ui_has_text, "file.png"));
  g_assert_false (gtk_widget_get_visible (sonde_test_ui_find (file_row, GTK_TYPE_ENTRY, has_placeholder, "Field value")));
  sonde_body_part_set_file (part, "/nonexistent/other.txt");
  g_assert_nonnull (sonde_test_ui_find (file_row, GTK_TYPE_BUTTON, sonde_test_ui_has_text, "other.txt"));

  /* The row's remove button */
  g_assert_true (gtk_widget_activate_action (text_row, "part.remove", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_body_get_parts (body))), ==, 1);
  g_assert_true (sonde_body_part_row_get_part (SONDE_BODY_PART_ROW (gtk_list_box_get_row_at_index (parts_list, 0))) == part);

  /* Form fields go through the rows editor. */
  sonde_body_set_kind (body, SONDE_BODY_FORM);
  sonde_key_value_list_append (sonde_body_get_fields (body), "field", "value");
  g_assert_cmpstr (gtk_editable_get_text (sonde_key_value_editor_get_name_entry (
                     SONDE_KEY_VALUE_EDITOR (gtk_widget_get_template_child (body_editor, SONDE_TYPE_BODY_EDITOR, "form_editor")), 0)),
                   ==, "field");
}

static void
test_auth_and_settings (Fixture       *fixture,
                        gconstpointer  data)
{
  SondeAuth *auth = sonde_request_get_auth (fixture->request);
  SondeRequestOptions *options = sonde_request_get_options (fixture->request);
  GtkWidget *auth_editor = sonde_request_editor_get_page (fixture->editor, "auth");
  GtkWidget *settings_editor = sonde_request_editor_get_page (fixture->editor, "settings");
  AdwComboRow *kind_row = ADW_COMBO_ROW (gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "kind_row"));
  GtkEditable *username_row = GTK_EDITABLE (gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "username_row"));
  GtkEditable *token_row = GTK_EDITABLE (gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "token_row"));
  GtkSpinButton *timeout_spin = GTK_SPIN_BUTTON (gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "timeout_spin"));
  GtkSwitch *verify_switch = GTK_SWITCH (gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "verify_tls_switch"));
  AdwComboRow *proxy_row = ADW_COMBO_ROW (gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "proxy_mode_row"));
  GtkWidget *proxy_url_row = (GtkWidget *) gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "proxy_url_row");

  /* "Inherit from Folder" comes first and is the default; "None" is a choice of its own. */
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_INHERIT);
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, 0);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (kind_row)), ==, "Inherit from Folder");
  adw_combo_row_set_selected (kind_row, 1);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_NONE);
  adw_combo_row_set_selected (kind_row, 2);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_BASIC);
  gtk_editable_set_text (username_row, "alice");
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "alice");
  /* NTLM, last in the list, takes the same user name and password rows. */
  adw_combo_row_set_selected (kind_row, 6);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_NTLM);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (kind_row)), ==, "NTLM");
  g_assert_true (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "password_group")));
  g_assert_cmpstr (gtk_editable_get_text (username_row), ==, "alice");
  gtk_editable_set_text (username_row, "CORP\\alice");
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "CORP\\alice");
  sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (kind_row)), ==, "Bearer Token");
  g_assert_false (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "password_group")));
  sonde_auth_set_kind (auth, SONDE_AUTH_NTLM);
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, 6);
  /* AWS Signature, last: its own rows, the access key shared with the user name. */
  adw_combo_row_set_selected (kind_row, 7);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_AWS_SIGV4);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (kind_row)), ==, "AWS Signature");
  g_assert_true (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "aws_group")));
  g_assert_false (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "password_group")));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "aws_access_key_row")),
                         "AKIDEXAMPLE");
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "AKIDEXAMPLE");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "aws_secret_key_row")),
                         "{{aws_secret_access_key}}");
  g_assert_cmpstr (sonde_auth_get_password (auth), ==, "{{aws_secret_access_key}}");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "aws_region_row")),
                         "eu-west-3");
  g_assert_cmpstr (sonde_auth_get_region (auth), ==, "eu-west-3");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "aws_service_row")),
                         "execute-api");
  g_assert_cmpstr (sonde_auth_get_service (auth), ==, "execute-api");
  sonde_auth_set_token (auth, "FwoGZXIvYXdzEBY");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (auth_editor, SONDE_TYPE_AUTH_EDITOR, "aws_session_token_row"))),
                   ==, "FwoGZXIvYXdzEBY");
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, 7);
  sonde_auth_set_kind (auth, SONDE_AUTH_INHERIT);
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, 0);
  sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
  sonde_auth_set_token (auth, "{{token}}");
  g_assert_cmpstr (gtk_editable_get_text (token_row), ==, "{{token}}");

  gtk_spin_button_set_value (timeout_spin, 30);
  g_assert_cmpfloat (sonde_request_options_get_timeout (options), ==, 30);
  gtk_switch_set_active (verify_switch, FALSE);
  g_assert_false (sonde_request_options_get_verify_tls (options));

  g_assert_false (gtk_widget_get_visible (proxy_url_row));
  adw_combo_row_set_selected (proxy_row, SONDE_PROXY_CUSTOM);
  g_assert_cmpint (sonde_request_options_get_proxy_mode (options), ==, SONDE_PROXY_CUSTOM);
  g_assert_true (gtk_widget_get_visible (proxy_url_row));
  gtk_editable_set_text (GTK_EDITABLE (proxy_url_row), "http://proxy.example:3128");
  g_assert_cmpstr (sonde_request_options_get_proxy_url (options), ==, "http://proxy.example:3128");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "no_proxy_row")),
                         "localhost, 127.0.0.1");
  g_assert_cmpstrv (sonde_request_options_get_no_proxy (options), ((const char *[]) { "localhost", "127.0.0.1", NULL }));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "max_body_size_spin")), 5);
  g_assert_cmpuint (sonde_request_options_get_max_body_size (options), ==, 5 * 1024 * 1024);

  /* File rows show the path, and clear it. */
  sonde_request_options_set_ca_file (options, "certs/ca.pem");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "ca_file_row"))),
                   ==, "certs/ca.pem");
  g_assert_true (gtk_widget_get_sensitive ((GtkWidget *) gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "ca_file_clear_button")));
  g_assert_true (gtk_widget_activate_action (settings_editor, "settings.clear-file", "s", "ca-file"));
  g_assert_null (sonde_request_options_get_ca_file (options));
  sonde_test_ui_spin_until_idle ();
  g_assert_false (gtk_widget_get_sensitive ((GtkWidget *) gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "ca_file_clear_button")));

  /* The client certificate kind shows the rows it needs. */
  sonde_request_options_set_client_pkcs12 (options, "me.p12");
  g_assert_true (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "client_pkcs12_file_row")));
  g_assert_false (gtk_widget_get_visible ((GtkWidget *) gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "client_cert_file_row")));

  /* An emptied field goes back to the default, which is not saved. */
  gtk_editable_set_text (GTK_EDITABLE (proxy_url_row), "");
  g_assert_null (sonde_request_options_get_proxy_url (options));
}

/* Whether ENTRY's text has an attribute of TYPE on exactly [BEGIN, END). */
static gboolean
has_attribute (GtkEntry       *entry,
               PangoAttrType   type,
               guint           begin,
               guint           end)
{
  PangoAttrList *attrs = gtk_entry_get_attributes (entry);
  GSList *list;
  gboolean found = FALSE;

  if (attrs == NULL)
    return FALSE;

  list = pango_attr_list_get_attributes (attrs);
  for (GSList *l = list; l != NULL; l = l->next)
    {
      PangoAttribute *attr = l->data;

      if (attr->klass->type == type && attr->start_index == begin && attr->end_index == end)
        found = TRUE;
    }
  g_slist_free_full (list, (GDestroyNotify) pango_attribute_destroy);

  return found;
}

static GHashTable *
make_set (const char *first,
          ...)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *key = first;
  va_list args;

  va_start (args, first);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_hash_table_insert (table, g_strdup (key), g_strdup (value));
      key = va_arg (args, const char *);
    }
  va_end (args);

  return table;
}

static void
test_variables (Fixture       *fixture,
                gconstpointer  data)
{
  GtkEntry *url_entry = GTK_ENTRY (sonde_request_editor_get_url_entry (fixture->editor));
  GtkWidget *headers_editor = sonde_request_editor_get_page (fixture->editor, "headers");
  g_autoptr(GHashTable) values = make_set ("base", "https://api.example.com", "token", "abc123", NULL);
  g_autoptr(GHashTable) secrets = make_set ("token", "", NULL);
  g_autoptr(SondeKeyValue) header = sonde_key_value_new ("Authorization", "Bearer {{ token }}", TRUE);
  g_autofree char *lone = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *header_tooltip = NULL;
  g_autofree char *plain = NULL;

  /* A lone request: every variable is undefined, and the tooltip says where they come from. */
  gtk_editable_set_text (GTK_EDITABLE (url_entry), "{{base}}/users/{{missing}}");
  g_assert_true (has_attribute (url_entry, PANGO_ATTR_UNDERLINE, 0, 8));
  g_assert_true (has_attribute (url_entry, PANGO_ATTR_UNDERLINE, 15, 26));
  g_assert_false (has_attribute (url_entry, PANGO_ATTR_BACKGROUND, 0, 8));
  lone = sonde_variable_highlight_get_tooltip (GTK_EDITABLE (url_entry));
  g_assert_nonnull (strstr (lone, "Variable “base” is not defined: variables come from --var"));
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (url_entry)));

  /* With variables: defined ones are coloured, undefined ones underlined. */
  sonde_request_editor_set_variables (fixture->editor, values, secrets);
  g_assert_true (has_attribute (url_entry, PANGO_ATTR_BACKGROUND, 0, 8));
  g_assert_true (has_attribute (url_entry, PANGO_ATTR_FOREGROUND, 0, 8));
  g_assert_false (has_attribute (url_entry, PANGO_ATTR_UNDERLINE, 0, 8));
  g_assert_true (has_attribute (url_entry, PANGO_ATTR_UNDERLINE, 15, 26));
  tooltip = sonde_variable_highlight_get_tooltip (GTK_EDITABLE (url_entry));
  g_assert_cmpstr (tooltip, ==, "base = https://api.example.com\nVariable “missing” is not defined");

  /* Rows too; secret values are masked. */
  g_list_store_append (sonde_request_get_headers (fixture->request), header);
  header_tooltip = sonde_variable_highlight_get_tooltip (sonde_key_value_editor_get_value_entry (SONDE_KEY_VALUE_EDITOR (headers_editor), 0));
  g_assert_cmpstr (header_tooltip, ==, "token = ••••••");
  g_assert_true (has_attribute (GTK_ENTRY (sonde_key_value_editor_get_value_entry (SONDE_KEY_VALUE_EDITOR (headers_editor), 0)),
                                PANGO_ATTR_BACKGROUND, 7, 18));

  /* And settings. */
  {
    GtkWidget *settings_editor = sonde_request_editor_get_page (fixture->editor, "settings");
    GtkEditable *proxy_url_row = GTK_EDITABLE (gtk_widget_get_template_child (settings_editor, SONDE_TYPE_SETTINGS_EDITOR, "proxy_url_row"));
    g_autofree char *proxy_tooltip = NULL;

    gtk_editable_set_text (proxy_url_row, "http://{{proxy_host}}:3128");
    proxy_tooltip = sonde_variable_highlight_get_tooltip (proxy_url_row);
    g_assert_cmpstr (proxy_tooltip, ==, "Variable “proxy_host” is not defined");
  }

  /* Typing away the variables removes the highlights. */
  gtk_editable_set_text (GTK_EDITABLE (url_entry), "https://example.com/");
  g_assert_null (gtk_entry_get_attributes (url_entry));
  plain = sonde_variable_highlight_get_tooltip (GTK_EDITABLE (url_entry));
  g_assert_null (plain);
}

static void
test_body_variables (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *body_editor = sonde_request_editor_get_page (fixture->editor, "body");
  GtkTextView *view = GTK_TEXT_VIEW (gtk_widget_get_template_child (body_editor, SONDE_TYPE_BODY_EDITOR, "source_view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  g_autoptr(GHashTable) values = make_set ("id", "42", NULL);
  GtkTextIter iter;

  sonde_body_set_kind (sonde_request_get_body (fixture->request), SONDE_BODY_JSON);
  gtk_text_buffer_set_text (buffer, "{\"é\": {{id}}, \"b\": \"{{nope}}\"}", -1);
  sonde_request_editor_set_variables (fixture->editor, values, NULL);

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 7);
  g_assert_true (gtk_text_iter_has_tag (&iter, gtk_text_tag_table_lookup (table, "sonde-variable-defined")));
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 5);
  g_assert_false (gtk_text_iter_has_tag (&iter, gtk_text_tag_table_lookup (table, "sonde-variable-defined")));
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 21);
  g_assert_true (gtk_text_iter_has_tag (&iter, gtk_text_tag_table_lookup (table, "sonde-variable-undefined")));
}

typedef struct
{
  char *name;
  char *value;
  char *field;
  gboolean replaced;
  SondeRequestEditor *editor;
} MakeSecret;

static void make_secret_cb (SondeRequestEditor *editor,
                            const char         *name,
                            const char         *value,
                            const char         *field,
                            MakeSecret         *result);

/* What the window's "win.make-secret" gets, here from an action group on the test window */
static void
make_secret_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  MakeSecret *result = user_data;
  const char *name, *value, *field;

  g_variant_get (parameter, "(&s&s&s)", &name, &value, &field);
  make_secret_cb (result->editor, name, value, field, result);
}

static void
make_secret_cb (SondeRequestEditor *editor,
                const char         *name,
                const char         *value,
                const char         *field,
                MakeSecret         *result)
{
  g_free (result->name);
  g_free (result->value);
  g_free (result->field);
  result->name = g_strdup (name);
  result->value = g_strdup (value);
  result->field = g_strdup (field);
  /* As the window does, once the secret is stored. */
  result->replaced = sonde_request_editor_replace_literal (editor, field, value, name);
}

static void
test_secret_warning (Fixture       *fixture,
                     gconstpointer  data)
{
  SondeKeyValueEditor *headers_editor = SONDE_KEY_VALUE_EDITOR (sonde_request_editor_get_page (fixture->editor, "headers"));
  SondeAuthEditor *auth_editor = SONDE_AUTH_EDITOR (sonde_request_editor_get_page (fixture->editor, "auth"));
  SondeAuth *auth = sonde_request_get_auth (fixture->request);
  g_autoptr(SondeKeyValue) header = sonde_key_value_new ("Authorization", "Bearer abc123def456", TRUE);
  g_autoptr(SondeKeyValue) accept = sonde_key_value_new ("Accept", "application/json", TRUE);
  MakeSecret result = { NULL, };
  GtkWidget *button;

  g_list_store_append (sonde_request_get_headers (fixture->request), accept);
  g_list_store_append (sonde_request_get_headers (fixture->request), header);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("make-secret", G_VARIANT_TYPE ("(sss)"));

  result.editor = fixture->editor;
  g_signal_connect (action, "activate", G_CALLBACK (make_secret_activated_cb), &result);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win", G_ACTION_GROUP (group));

  /* A lone request is nobody else's business. */
  button = sonde_key_value_editor_get_secret_button (headers_editor, 1);
  g_assert_false (gtk_widget_get_visible (button));

  sonde_request_editor_set_shared (fixture->editor, TRUE);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_get_visible (sonde_key_value_editor_get_secret_button (headers_editor, 0)));

  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (result.name, ==, "token");
  g_assert_cmpstr (result.value, ==, "abc123def456");
  g_assert_cmpstr (result.field, ==, "header:1");
  g_assert_true (result.replaced);
  g_assert_cmpstr (sonde_key_value_get_value (header), ==, "Bearer {{token}}");
  g_assert_false (gtk_widget_get_visible (button));
  /* Edited meanwhile: nothing to replace. */
  g_assert_false (sonde_request_editor_replace_literal (fixture->editor, "header:1", "abc123def456", "token"));
  g_assert_false (sonde_request_editor_replace_literal (fixture->editor, "header:7", "x", "token"));

  /* Auth fields */
  sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
  sonde_auth_set_token (auth, "s3cr3t-t0ken");
  button = sonde_auth_editor_get_secret_button (auth_editor, "token");
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (result.name, ==, "token");
  g_assert_cmpstr (result.value, ==, "s3cr3t-t0ken");
  g_assert_cmpstr (result.field, ==, "auth:token");
  g_assert_cmpstr (sonde_auth_get_token (auth), ==, "{{token}}");
  g_assert_false (gtk_widget_get_visible (button));

  sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
  sonde_auth_set_key_name (auth, "X-Api-Key");
  sonde_auth_set_key_value (auth, "k-123");
  button = sonde_auth_editor_get_secret_button (auth_editor, "key-value");
  g_assert_true (gtk_widget_get_visible (button));
  sonde_request_editor_set_shared (fixture->editor, FALSE);
  g_assert_false (gtk_widget_get_visible (button));
  sonde_request_editor_set_shared (fixture->editor, TRUE);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (result.name, ==, "api_key");
  g_assert_cmpstr (sonde_auth_get_key_value (auth), ==, "{{api_key}}");

  g_free (result.name);
  g_free (result.value);
  g_free (result.field);
}

/* Built-in variables are defined everywhere, and say what they are. */
static void
test_builtin_variables (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SondeVariableScope) scope = sonde_variable_scope_new ();
  g_autofree char *uuid = sonde_variable_scope_describe (scope, "$uuid");
  g_autofree char *other = sonde_variable_scope_describe (scope, "$nope");

  g_assert_true (sonde_variable_scope_is_defined (scope, "$uuid"));
  g_assert_true (sonde_variable_scope_is_defined (scope, "$isoTimestamp"));
  g_assert_false (sonde_variable_scope_is_defined (scope, "$nope"));
  g_assert_cmpstr (uuid, ==, "$uuid: a new value made at each send");
  g_assert_true (g_str_has_prefix (other, "Variable “$nope” is not defined"));
}

static void
increment (guint *count)
{
  (*count)++;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

/* A widget of a check row: "enabled", "variable", "source", "target", "op", "value", "secret",
 * "remove". */
static GtkWidget *
row_child (GtkListBox *list,
           guint       row_index,
           const char *field)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, (int) row_index);

  g_assert_true (SONDE_IS_CHECK_ROW (row));
  return sonde_check_row_get_field (SONDE_CHECK_ROW (row), field);
}

/* The Checks tab edits the file's "checks" rows: shown as they are, added, changed,
 * switched off and removed, with the request marked changed and saved as rows. */
static void
test_checks_editor (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) request = sonde_request_load_from_data (
    "{\"url\": \"http://x/\", \"checks\": [{\"source\": \"status\", \"op\": \"==\", \"value\": \"200\", \"note\": \"kept\"}]}",
    -1, NULL, &error);
  GtkWidget *editor = sonde_check_editor_new (SONDE_CHECK_EDITOR_CHECKS);
  GtkListBox *list = sonde_check_editor_get_list (SONDE_CHECK_EDITOR (editor));
  g_autofree char *saved = NULL;
  guint changes = 0;

  g_assert_no_error (error);
  g_object_ref_sink (editor);
  sonde_check_editor_set_request (SONDE_CHECK_EDITOR (editor), request);
  g_signal_connect_swapped (request, "changed", G_CALLBACK (increment), &changes);
  g_assert_cmpuint (count_rows (list), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_child (list, 0, "value"))), ==, "200");

  /* Change the value, add a row, make it a header check, switch the first off. */
  gtk_editable_set_text (GTK_EDITABLE (row_child (list, 0, "value")), "201");
  gtk_widget_activate_action (editor, "checks.add", NULL);
  g_assert_cmpuint (count_rows (list), ==, 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (row_child (list, 1, "source")), 1);   /* header */
  gtk_editable_set_text (GTK_EDITABLE (row_child (list, 1, "target")), "Content-Type");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (row_child (list, 1, "op")), 6);   /* contains */
  gtk_editable_set_text (GTK_EDITABLE (row_child (list, 1, "value")), "json");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (row_child (list, 0, "enabled")), FALSE);
  g_assert_cmpuint (changes, >, 0);

  saved = sonde_request_to_data (request, NULL, NULL);
  g_test_message ("%s", saved);
  g_assert_nonnull (strstr (saved, "{\"source\": \"status\", \"op\": \"==\", \"value\": \"201\", \"note\": \"kept\", \"enabled\": false}"));
  g_assert_nonnull (strstr (saved, "{\"source\": \"header\", \"name\": \"Content-Type\", \"op\": \"contains\", \"value\": \"json\"}"));

  /* A value-less operator hides the value; removing leaves one row. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (row_child (list, 1, "op")), 10);  /* exists */
  g_assert_false (gtk_widget_get_visible (row_child (list, 1, "value")));
  /* Remove is the row's action, carried out by the editor's checks.remove-row */
  g_signal_emit_by_name (row_child (list, 0, "remove"), "clicked");
  g_assert_cmpuint (count_rows (list), ==, 1);
  g_clear_pointer (&saved, g_free);
  saved = sonde_request_to_data (request, NULL, NULL);
  g_assert_null (strstr (saved, "\"note\""));

  /* Its own edits keep the rows it shows; a reload (the kept keys replaced) shows the file's */
  {
    GtkWidget *first = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0));
    g_autoptr(JsonNode) reloaded =
      json_from_string ("{\"checks\": [{\"source\": \"status\", \"op\": \"==\", \"value\": \"404\"},"
                        " {\"source\": \"status\", \"op\": \"<\", \"value\": \"500\"}]}", NULL);

    gtk_editable_set_text (GTK_EDITABLE (row_child (list, 0, "value")), "json+");
    g_assert_true (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0)) == first);
    sonde_request_set_extra (request, json_node_get_object (reloaded));
    g_assert_cmpuint (count_rows (list), ==, 2);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_child (list, 0, "value"))), ==, "404");
    sonde_request_set_extra (request, NULL);
    g_assert_cmpuint (count_rows (list), ==, 0);
  }

  g_object_unref (editor);
}

static void
test_captures_editor (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  GtkWidget *editor = sonde_check_editor_new (SONDE_CHECK_EDITOR_CAPTURES);
  GtkListBox *list = sonde_check_editor_get_list (SONDE_CHECK_EDITOR (editor));
  g_autofree char *saved = NULL;

  g_object_ref_sink (editor);
  sonde_check_editor_set_request (SONDE_CHECK_EDITOR (editor), request);
  g_assert_cmpuint (count_rows (list), ==, 0);
  gtk_widget_activate_action (editor, "checks.add", NULL);
  g_assert_true (gtk_widget_get_visible (row_child (list, 0, "variable")));
  g_assert_false (gtk_widget_get_visible (row_child (list, 0, "op")));
  gtk_editable_set_text (GTK_EDITABLE (row_child (list, 0, "variable")), "token");
  gtk_editable_set_text (GTK_EDITABLE (row_child (list, 0, "target")), "$.token");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (row_child (list, 0, "secret")), TRUE);
  saved = sonde_request_to_data (request, NULL, NULL);
  g_assert_nonnull (strstr (saved, "{\"variable\": \"token\", \"source\": \"jsonpath\", \"path\": \"$.token\", \"secret\": true}"));
  g_object_unref (editor);
}

/* A header row marked sensitive is kept to its origin: the lock, in the headers only. */
static void
test_sensitive_header (Fixture       *fixture,
                       gconstpointer  data)
{
  SondeKeyValueEditor *headers_editor =
    SONDE_KEY_VALUE_EDITOR (sonde_request_editor_get_page (fixture->editor, "headers"));
  SondeKeyValueEditor *params_editor =
    SONDE_KEY_VALUE_EDITOR (sonde_request_editor_get_page (fixture->editor, "params"));
  GListStore *headers = sonde_request_get_headers (fixture->request);
  GtkToggleButton *lock;
  g_autofree char *saved = NULL;

  sonde_key_value_list_append (headers, "X-Tenant", "acme");
  sonde_key_value_list_append (sonde_request_get_params (fixture->request), "a", "1");
  lock = sonde_key_value_editor_get_sensitive_button (headers_editor, 0);
  g_assert_nonnull (lock);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (lock)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (sonde_key_value_editor_get_sensitive_button (params_editor, 0))));

  gtk_toggle_button_set_active (lock, TRUE);
  g_assert_true (sonde_key_value_get_sensitive (get_row (headers, 0)));
  saved = sonde_request_to_data (fixture->request, NULL, NULL);
  g_assert_nonnull (strstr (saved, "{\"name\": \"X-Tenant\", \"value\": \"acme\", \"sensitive\": true}"));

  gtk_toggle_button_set_active (lock, FALSE);
  g_clear_pointer (&saved, g_free);
  saved = sonde_request_to_data (fixture->request, NULL, NULL);
  g_assert_null (strstr (saved, "sensitive"));
}

static void
replaced_cb (SondeRequestEditor *editor,
             const char         *message,
             gboolean            replaced,
             char              **out)
{
  g_free (*out);
  *out = g_strdup_printf ("%s %s", replaced ? "replaced" : "refused", message);
}

/* A curl command pasted into the URL field becomes the request, with Undo. */
static void
test_paste_curl (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkEditable *url_entry = sonde_request_editor_get_url_entry (fixture->editor);
  GtkEditable *text = gtk_editable_get_delegate (url_entry);
  g_autofree char *message = NULL;
  SondeRequest *request = fixture->request;
  int position = 0;

  g_signal_connect (fixture->editor, "request-replaced", G_CALLBACK (replaced_cb), &message);
  sonde_request_set_name (request, "Mine");
  gtk_editable_set_text (url_entry, "http://old.example.com/?x=1");
  sonde_key_value_list_append (sonde_request_get_headers (request), "X-Old", "1");

  /* Typed key by key, "curl " is only text */
  gtk_editable_set_text (url_entry, "");
  for (const char *c = "curl h"; *c != '\0'; c++)
    {
      char one[2] = { *c, '\0' };

      gtk_editable_insert_text (text, one, 1, &position);
    }
  sonde_test_ui_spin_until_idle ();
  g_assert_null (message);
  g_assert_cmpstr (sonde_request_get_url (request), ==, "curl h");

  gtk_editable_set_text (url_entry, "");
  position = 0;
  gtk_editable_insert_text (text, "curl -X PUT 'https://api.example.com/items/7?v=2' \\\n"
                                  "  -H 'Content-Type: application/json' -d '{\"a\": 1}' --retry 2", -1, &position);
  sonde_test_ui_spin_until_idle ();
  g_assert_nonnull (message);
  g_assert_cmpstr (message, ==, "replaced Request made from the curl command. Left out: --retry");
  g_assert_cmpstr (sonde_request_get_method (request), ==, "PUT");
  g_assert_cmpstr (gtk_editable_get_text (url_entry), ==, "https://api.example.com/items/7?v=2");
  /* The query is in Params rows, as a typed URL's is */
  g_assert_cmpstr (sonde_request_get_url (request), ==, "https://api.example.com/items/7");
  g_assert_cmpstr (sonde_key_value_get_name (get_row (sonde_request_get_params (request), 0)), ==, "v");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (request))), ==, 0);
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_JSON);
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (request)), ==, "{\"a\": 1}");
  g_assert_cmpstr (sonde_request_get_name (request), ==, "Mine");

  /* Undo brings back what was there */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.undo-curl", NULL));
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpstr (sonde_request_get_method (request), ==, "GET");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "");
  g_assert_cmpstr (sonde_key_value_get_name (get_row (sonde_request_get_headers (request), 0)), ==, "X-Old");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_NONE);

  /* A command that does not parse changes nothing, and says why */
  position = 0;
  gtk_editable_insert_text (text, "curl 'https://h/ -d x", -1, &position);
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpstr (message, ==, "refused The curl command was not used: line 1: a quote is not closed");
  g_assert_cmpstr (sonde_request_get_method (request), ==, "GET");
}

/* Scripts an import kept: shown read-only, only when there are some */
static void
test_scripts (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *page = sonde_request_editor_get_page (fixture->editor, "scripts");
  GtkWidget *bin = gtk_widget_get_parent (page);
  GtkStack *stack = GTK_STACK (gtk_widget_get_parent (bin));
  g_autoptr(JsonNode) extra = json_from_string ("{\"scripts\": {\"from\": \"postman\", "
                                                "\"preRequest\": \"console.log(1);\", "
                                                "\"postResponse\": \"pm.test('ok');\"}}", NULL);
  GtkTextView *view;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_assert_false (gtk_stack_page_get_visible (gtk_stack_get_page (stack, bin)));
  sonde_request_set_extra (fixture->request, json_node_get_object (extra));
  g_assert_true (gtk_stack_page_get_visible (gtk_stack_get_page (stack, bin)));

  view = GTK_TEXT_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (gtk_widget_get_last_child (page))));
  g_assert_false (gtk_text_view_get_editable (view));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "// Before the request\nconsole.log(1);\n\n// After the response\npm.test('ok');");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (page))), "Kept from Postman"));

  sonde_request_set_extra (fixture->request, NULL);
  g_assert_false (gtk_stack_page_get_visible (gtk_stack_get_page (stack, bin)));
}

static char *
extra_text (SondeRequest *request)
{
  JsonObject *extra = sonde_request_get_extra (request);
  g_autoptr(JsonNode) node = NULL;

  if (extra == NULL)
    return g_strdup ("");
  node = json_node_init_object (json_node_alloc (), extra);
  return json_to_string (node, FALSE);
}

/* The Messages tab of a WebSocket request: rows added, typed, switched to a file, turned off
 * and removed; the subprotocols and keep-alive written; WS in the method list */
static void
test_websocket_messages (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkDropDown *methods = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (fixture->editor),
                                                                       SONDE_TYPE_REQUEST_EDITOR, "method_dropdown"));
  GListModel *items = gtk_drop_down_get_model (methods);
  SondeMessageEditor *messages;
  SondeMessageRow *row;
  GtkSpinButton *keepalive;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) reloaded = NULL;
  guint ws = G_MAXUINT;

  sonde_request_set_url (fixture->request, "https://chat.example.com/socket");
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (items), i), "WS") == 0)
      ws = i;
  g_assert_cmpuint (ws, !=, G_MAXUINT);

  /* WS in the method list: https:// becomes wss://, and the URL says it all */
  gtk_drop_down_set_selected (methods, ws);
  g_assert_cmpstr (sonde_request_get_url (fixture->request), ==, "wss://chat.example.com/socket");
  g_assert_true (sonde_request_is_websocket (fixture->request));
  g_assert_null (sonde_request_get_extra (fixture->request));
  /* With a URL held in a variable, the file says so */
  sonde_request_set_url (fixture->request, "{{chat}}/socket");
  g_assert_true (sonde_request_is_websocket (fixture->request) == FALSE);
  gtk_drop_down_set_selected (methods, 0);
  gtk_drop_down_set_selected (methods, ws);
  text = extra_text (fixture->request);
  g_assert_cmpstr (text, ==, "{\"protocol\":\"websocket\"}");
  g_clear_pointer (&text, g_free);

  messages = SONDE_MESSAGE_EDITOR (sonde_request_editor_get_page (fixture->editor, "messages"));
  gtk_editable_set_text (sonde_message_editor_get_subprotocols_entry (messages), "chat, superchat");
  keepalive = GTK_SPIN_BUTTON (sonde_test_ui_find (GTK_WIDGET (messages), GTK_TYPE_SPIN_BUTTON, NULL, NULL));
  gtk_spin_button_set_value (keepalive, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (messages), "messages.add", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (messages), "messages.add", NULL));
  row = SONDE_MESSAGE_ROW (gtk_list_box_get_row_at_index (sonde_message_editor_get_list (messages), 0));
  gtk_editable_set_text (GTK_EDITABLE (sonde_message_row_get_field (row, "content")), "hello");
  row = SONDE_MESSAGE_ROW (gtk_list_box_get_row_at_index (sonde_message_editor_get_list (messages), 1));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sonde_message_row_get_field (row, "kind")), 2);
  g_assert_true (gtk_widget_get_visible (sonde_message_row_get_field (row, "choose")));
  gtk_editable_set_text (GTK_EDITABLE (sonde_message_row_get_field (row, "content")), "frame.bin");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sonde_message_row_get_field (row, "enabled")), FALSE);
  text = extra_text (fixture->request);
  g_assert_cmpstr (text, ==, "{\"protocol\":\"websocket\",\"subprotocols\":[\"chat\",\"superchat\"],\"keepalive\":0,"
                             "\"messages\":[{\"type\":\"text\",\"text\":\"hello\"},"
                             "{\"type\":\"binary\",\"file\":\"frame.bin\",\"enabled\":false}]}");
  g_clear_pointer (&text, g_free);

  /* Remove the first; the defaults leave the file */
  row = SONDE_MESSAGE_ROW (gtk_list_box_get_row_at_index (sonde_message_editor_get_list (messages), 0));
  g_signal_emit_by_name (sonde_message_row_get_field (row, "remove"), "clicked");
  gtk_spin_button_set_value (keepalive, SONDE_WEBSOCKET_DEFAULT_KEEPALIVE);
  gtk_editable_set_text (sonde_message_editor_get_subprotocols_entry (messages), "");
  text = extra_text (fixture->request);
  g_assert_cmpstr (text, ==, "{\"protocol\":\"websocket\",\"messages\":[{\"type\":\"binary\",\"file\":\"frame.bin\",\"enabled\":false}]}");
  g_clear_pointer (&text, g_free);

  /* The file changed on disk (a reload): the tab shows what it says now */
  reloaded = json_from_string ("{\"protocol\": \"websocket\", \"keepalive\": 5, \"messages\": [{\"type\": \"json\", \"text\": \"{}\"}, {\"text\": \"b\"}, {\"text\": \"c\"}]}", NULL);
  sonde_request_set_extra (fixture->request, json_node_get_object (reloaded));
  g_assert_nonnull (gtk_list_box_get_row_at_index (sonde_message_editor_get_list (messages), 2));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (keepalive), ==, 5);
  row = SONDE_MESSAGE_ROW (gtk_list_box_get_row_at_index (sonde_message_editor_get_list (messages), 0));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (sonde_message_row_get_field (row, "kind"))), ==, 1);
  /* Not connected: no Send */
  g_assert_false (gtk_widget_get_sensitive (sonde_message_row_get_field (row, "send")));
  sonde_request_editor_set_connected (fixture->editor, TRUE);
  g_assert_true (gtk_widget_get_sensitive (sonde_message_row_get_field (row, "send")));
  sonde_request_editor_set_connected (fixture->editor, FALSE);

  /* Back to HTTP: the protocol key goes, the Body comes back */
  gtk_drop_down_set_selected (methods, 1);
  g_assert_false (sonde_request_is_websocket (fixture->request));
  g_assert_cmpstr (sonde_request_get_method (fixture->request), ==, "POST");
}

int
main (int   argc,
      char *argv[])
{

  if (!sonde_test_ui_init (&argc, &argv))
    return 0;

  g_test_add ("/request-editor/rows-built-when-shown", Fixture, NULL, set_up, test_rows_built_when_shown, tear_down);
  g_test_add ("/request-editor/url-params-sync", Fixture, NULL, set_up, test_url_params_sync, tear_down);
  g_test_add ("/request-editor/path-variables", Fixture, NULL, set_up, test_path_variables, tear_down);
  g_test_add_func ("/request-editor/url-query-on-open", test_url_query_on_open);
  g_test_add ("/request-editor/paste-curl", Fixture, NULL, set_up, test_paste_curl, tear_down);
  g_test_add ("/request-editor/scripts", Fixture, NULL, set_up, test_scripts, tear_down);
  g_test_add ("/request-editor/url-validation", Fixture, NULL, set_up, test_url_validation, tear_down);
  g_test_add ("/request-editor/invalid-header", Fixture, NULL, set_up, test_invalid_header, tear_down);
  g_test_add ("/request-editor/method", Fixture, NULL, set_up, test_method, tear_down);
  g_test_add ("/request-editor/send-button", Fixture, NULL, set_up, test_send_button, tear_down);
  g_test_add ("/request-editor/body-graphql", Fixture, NULL, set_up, test_body_graphql, tear_down);
  g_test_add ("/request-editor/body-format", Fixture, NULL, set_up, test_body_format, tear_down);
  g_test_add ("/request-editor/body-parts", Fixture, NULL, set_up, test_body_parts, tear_down);
  g_test_add ("/request-editor/auth-and-settings", Fixture, NULL, set_up, test_auth_and_settings, tear_down);
  g_test_add ("/request-editor/variables", Fixture, NULL, set_up, test_variables, tear_down);
  g_test_add ("/request-editor/body-variables", Fixture, NULL, set_up, test_body_variables, tear_down);
  g_test_add ("/request-editor/secret-warning", Fixture, NULL, set_up, test_secret_warning, tear_down);
  g_test_add ("/request-editor/builtin-variables", Fixture, NULL, set_up, test_builtin_variables, tear_down);
  g_test_add ("/request-editor/checks", Fixture, NULL, set_up, test_checks_editor, tear_down);
  g_test_add ("/request-editor/captures", Fixture, NULL, set_up, test_captures_editor, tear_down);
  g_test_add ("/request-editor/sensitive-header", Fixture, NULL, set_up, test_sensitive_header, tear_down);
  g_test_add ("/request-editor/websocket-messages", Fixture, NULL, set_up, test_websocket_messages, tear_down);

  return g_test_run ();
}
