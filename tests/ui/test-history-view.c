/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "sonde-history-row.h"
#include "sonde-history-view.h"
#include "sonde-response-private.h"
#include "sonde-test-ui.h"
#include "sonde-test-utils.h"

typedef struct
{
  char         *path;
  SondeHistory *history;
  GtkWindow    *window;
  GtkWidget    *view;
} Fixture;

/* Spins until CONDITION holds or a few seconds passed. */
#define SPIN_UNTIL(condition)                                              \
  G_STMT_START {                                                           \
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;        \
    while (!(condition) && g_get_monotonic_time () < deadline)             \
      g_main_context_iteration (NULL, FALSE);                              \
    g_assert_true (condition);                                             \
  } G_STMT_END

static void
add_request (SondeHistory *history,
             const char   *method,
             const char   *url,
             guint         status)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  sonde_request_set_method (request, method);
  sonde_request_set_url (request, url);
  if (status != 0)
    {
      response = sonde_response_new ();
      response->status = status;
      response->body_size = 2048;
      response->timings.total = 123;
      sonde_history_add (history, request, response, NULL);
    }
  else
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused");
      sonde_history_add (history, request, NULL, error);
    }
}

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;

  fixture->path = g_dir_make_tmp ("sonde-history-view-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_file_new_for_path (fixture->path);
  fixture->history = sonde_history_new (dir);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 360, 480);
  fixture->view = sonde_history_view_new (fixture->history);
  gtk_window_set_child (fixture->window, fixture->view);
  gtk_window_present (fixture->window);
  sonde_test_ui_spin_until_idle ();
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  sonde_test_ui_spin_until_idle ();
  sonde_history_flush (fixture->history);
  g_clear_object (&fixture->history);
  sonde_test_remove_tree (fixture->path);
  g_free (fixture->path);
}

static GtkWidget *
template_child (Fixture    *fixture,
                const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (fixture->view, SONDE_TYPE_HISTORY_VIEW, name));
}

static const char *
visible_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (template_child (fixture, "stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static GListModel *
shown (Fixture *fixture)
{
  return sonde_history_view_get_model (SONDE_HISTORY_VIEW (fixture->view));
}

static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *label)
{
  return sonde_test_ui_find (widget, type, label != NULL ? sonde_test_ui_has_text : NULL, label);
}

static SondeHistoryEntry *
entry_at (SondeHistory *history,
          guint         position)
{
  g_autoptr(SondeHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), position);

  return entry; /* the history keeps it alive */
}

static void
test_empty_and_list (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *list_view = template_child (fixture, "list_view");

  g_assert_true (sonde_history_view_get_history (SONDE_HISTORY_VIEW (fixture->view)) == fixture->history);
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (template_child (fixture, "clear_button")));

  add_request (fixture->history, "GET", "https://example.com/users", 200);
  add_request (fixture->history, "POST", "{{base}}/items", 404);
  add_request (fixture->history, "DELETE", "http://127.0.0.1:1/", 0);
  g_assert_cmpstr (visible_page (fixture), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 3);
  g_assert_true (gtk_widget_is_sensitive (template_child (fixture, "clear_button")));

  /* The rows show method, URL and status; newest first. */
  SPIN_UNTIL (find_widget (list_view, GTK_TYPE_LABEL, "{{base}}/items") != NULL);
  /* Shown without its scheme, to fit the sidebar */
  g_assert_nonnull (find_widget (list_view, GTK_TYPE_LABEL, "example.com/users"));
  g_assert_nonnull (find_widget (list_view, GTK_TYPE_LABEL, "POST"));
  g_assert_true (gtk_widget_has_css_class (find_widget (list_view, GTK_TYPE_LABEL, "404"), "status-client-error"));
  g_assert_true (gtk_widget_has_css_class (find_widget (list_view, GTK_TYPE_LABEL, "200"), "status-success"));
  g_assert_true (gtk_widget_has_css_class (find_widget (list_view, GTK_TYPE_LABEL, "GET"), "method-get"));
  g_assert_nonnull (find_widget (list_view, GTK_TYPE_LABEL, "Failed"));
  g_assert_nonnull (find_widget (list_view, GTK_TYPE_LABEL, "Just now"));
  g_assert_cmpstr (sonde_history_entry_get_method (g_list_model_get_item (shown (fixture), 0)), ==, "DELETE");
  g_object_unref (g_list_model_get_item (shown (fixture), 0));

  /* A WebSocket connection: WS, its URL without the scheme */
  add_request (fixture->history, "GET", "wss://chat.example.com/room", 101);
  SPIN_UNTIL (find_widget (list_view, GTK_TYPE_LABEL, "chat.example.com/room") != NULL);
  g_assert_true (gtk_widget_has_css_class (find_widget (list_view, GTK_TYPE_LABEL, "WS"), "method-other"));
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  GtkEditable *search_entry = GTK_EDITABLE (template_child (fixture, "search_entry"));

  add_request (fixture->history, "GET", "https://example.com/users", 200);
  add_request (fixture->history, "POST", "https://example.com/items", 201);
  add_request (fixture->history, "GET", "https://example.com/items/1", 500);

  sonde_history_view_set_search (SONDE_HISTORY_VIEW (fixture->view), "items");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (search_entry), ==, "items");

  sonde_history_view_set_search (SONDE_HISTORY_VIEW (fixture->view), "get 500");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 1);

  sonde_history_view_set_search (SONDE_HISTORY_VIEW (fixture->view), "nothing like this");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 0);
  g_assert_cmpstr (visible_page (fixture), ==, "no-results");

  /* Typing filters too, after the entry's short delay. */
  gtk_editable_set_text (search_entry, "post");
  SPIN_UNTIL (g_list_model_get_n_items (shown (fixture)) == 1);
  g_assert_cmpstr (visible_page (fixture), ==, "list");

  /* A new entry that matches shows up in the filtered list. */
  add_request (fixture->history, "POST", "https://example.com/more", 200);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 2);

  sonde_history_view_set_search (SONDE_HISTORY_VIEW (fixture->view), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 4);
}

static void
entry_cb (SondeHistoryView   *view,
          SondeHistoryEntry  *entry,
          SondeHistoryEntry **out)
{
  g_set_object (out, entry);
}

/* What the window's "win.save-history-entry" gets, here from an action group on the test
 * window */
static void
save_history_entry_activated_cb (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  char **saved_id = user_data;

  g_free (*saved_id);
  *saved_id = g_variant_dup_string (parameter, NULL);
}

static void
test_activate (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *list_view = template_child (fixture, "list_view");
  g_autoptr(SondeHistoryEntry) activated = NULL;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) save = g_simple_action_new ("save-history-entry", G_VARIANT_TYPE_STRING);
  g_autofree char *saved_id = NULL;
  SondeHistoryEntry *oldest;

  add_request (fixture->history, "GET", "https://example.com/a", 200);
  add_request (fixture->history, "PUT", "https://example.com/b", 204);
  oldest = entry_at (fixture->history, 1);

  g_signal_connect (fixture->view, "entry-activated", G_CALLBACK (entry_cb), &activated);
  g_signal_connect (save, "activate", G_CALLBACK (save_history_entry_activated_cb), &saved_id);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (save));
  gtk_widget_insert_action_group (GTK_WIDGET (fixture->window), "win", G_ACTION_GROUP (group));

  /* Activating a row (click, Enter) */
  g_signal_emit_by_name (list_view, "activate", 1);
  g_assert_true (activated == oldest);
  g_clear_object (&activated);

  /* In a filtered list, positions are the filtered ones. */
  sonde_history_view_set_search (SONDE_HISTORY_VIEW (fixture->view), "/a");
  g_signal_emit_by_name (list_view, "activate", 0);
  g_assert_true (activated == oldest);
  g_clear_object (&activated);
  sonde_history_view_set_search (SONDE_HISTORY_VIEW (fixture->view), "");

  /* The row menu's actions */
  gtk_widget_activate_action (fixture->view, "history.open", "s", sonde_history_entry_get_id (oldest));
  g_assert_true (activated == oldest);
  gtk_widget_activate_action (fixture->view, "history.save", "s", sonde_history_entry_get_id (oldest));
  g_assert_cmpstr (saved_id, ==, sonde_history_entry_get_id (oldest));
  /* An id no longer there goes nowhere. */
  g_clear_pointer (&saved_id, g_free);
  gtk_widget_activate_action (fixture->view, "history.save", "s", "gone");
  g_assert_null (saved_id);

  /* The entry gives the request back, as written. */
  {
    g_autoptr(SondeRequest) request = sonde_history_entry_dup_request (oldest);

    g_assert_cmpstr (sonde_request_get_method (request), ==, "GET");
    g_assert_cmpstr (sonde_request_get_url (request), ==, "https://example.com/a");
  }
}

static void
test_row_menu (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *list_view = template_child (fixture, "list_view");
  GtkWidget *button;
  GMenuModel *menu;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *action = NULL;

  add_request (fixture->history, "GET", "https://example.com/a", 200);
  SPIN_UNTIL (find_widget (list_view, GTK_TYPE_MENU_BUTTON, NULL) != NULL);

  button = find_widget (list_view, GTK_TYPE_MENU_BUTTON, NULL);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (menu);
  /* Open, Save to Collection…, and a section with Delete */
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 3);
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "history.open");
  target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==,
                   sonde_history_entry_get_id (entry_at (fixture->history, 0)));

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  sonde_test_ui_spin_until_idle ();
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *list_view = template_child (fixture, "list_view");
  GtkWidget *button;
  GtkWidget *row;
  GtkPopover *popover;

  add_request (fixture->history, "GET", "https://example.com/a", 200);
  SPIN_UNTIL (find_widget (list_view, GTK_TYPE_MENU_BUTTON, NULL) != NULL);
  button = find_widget (list_view, GTK_TYPE_MENU_BUTTON, NULL);
  row = gtk_widget_get_parent (button);
  g_assert_true (SONDE_IS_HISTORY_ROW (row));
  g_assert_true (sonde_history_row_get_entry (SONDE_HISTORY_ROW (row)) == entry_at (fixture->history, 0));

  /* Nothing focused: nothing happens. */
  gtk_widget_activate_action (fixture->view, "history.delete-focused", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 1);

  /* The list item widget around the row takes the focus. */
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (row)));
  gtk_widget_activate_action (fixture->view, "history.show-row-menu", NULL);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  SPIN_UNTIL (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_popover_popdown (popover);
  sonde_test_ui_spin_until_idle ();

  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (row)));
  gtk_widget_activate_action (fixture->view, "history.delete-focused", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 0);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  add_request (fixture->history, "GET", "https://example.com/a", 200);
  add_request (fixture->history, "GET", "https://example.com/b", 200);

  gtk_widget_activate_action (fixture->view, "history.delete", "s",
                              sonde_history_entry_get_id (entry_at (fixture->history, 0)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 1);
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (fixture->history, 0)), ==, "https://example.com/a");
  g_assert_cmpuint (g_list_model_get_n_items (shown (fixture)), ==, 1);

  /* An id no longer there does nothing. */
  gtk_widget_activate_action (fixture->view, "history.delete", "s", "gone");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 1);

  gtk_widget_activate_action (fixture->view, "history.delete", "s",
                              sonde_history_entry_get_id (entry_at (fixture->history, 0)));
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  AdwMessageDialog *dialog;

  add_request (fixture->history, "GET", "https://example.com/a", 200);
  add_request (fixture->history, "GET", "https://example.com/b", 200);

  /* It asks first; cancelling keeps everything. */
  gtk_widget_activate_action (fixture->view, "history.clear", NULL);
  sonde_test_ui_spin_until_idle ();
  dialog = sonde_test_ui_find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->window);
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  /* Responding closes the dialog. */
  adw_message_dialog_response (dialog, "cancel");
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 2);

  gtk_widget_activate_action (fixture->view, "history.clear", NULL);
  sonde_test_ui_spin_until_idle ();
  dialog = sonde_test_ui_find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "clear");
  sonde_test_ui_spin_until_idle ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 0);
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (template_child (fixture, "clear_button")));
}

static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *search_entry = template_child (fixture, "search_entry");
  GtkWidget *list_view = template_child (fixture, "list_view");

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fixture->view), GTK_ACCESSIBLE_PROPERTY_LABEL, "History");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (list_view), GTK_ACCESSIBLE_PROPERTY_LABEL, "History");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, "Search history");

  /* Each row's menu button */
  add_request (fixture->history, "GET", "https://example.com/a", 200);
  SPIN_UNTIL (find_widget (list_view, GTK_TYPE_MENU_BUTTON, NULL) != NULL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (find_widget (list_view, GTK_TYPE_MENU_BUTTON, NULL)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "More");
}

int
main (int   argc,
      char *argv[])
{

  /* GTK's test accessibility backend records the accessible names the tests check (and talks
   * to no bus). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (!sonde_test_ui_init (&argc, &argv))
    return 0;
  sonde_test_ui_add_icon_dirs ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, set_up, fn, tear_down)
  ADD ("/history-view/empty-and-list", test_empty_and_list);
  ADD ("/history-view/search", test_search);
  ADD ("/history-view/activate", test_activate);
  ADD ("/history-view/row-menu", test_row_menu);
  ADD ("/history-view/keyboard", test_keyboard);
  ADD ("/history-view/delete", test_delete);
  ADD ("/history-view/clear", test_clear);
  ADD ("/history-view/accessible-names", test_accessible_names);
#undef ADD

  return g_test_run ();
}
