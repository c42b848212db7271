/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "sonde-application.h"
#include "sonde-test-ui.h"
#include "sonde-window.h"

/* One application per process, registered once: the tests run in order on it. */
static SondeApplication *app;

static guint
count_windows_of_type (GType type)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      n++;

  return n;
}

static gboolean
accels_contain (const char *action,
                const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

static void
test_application_actions (void)
{
  const char *actions[] = { "quit", "about", "new-window" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_test_message ("app.%s", actions[i]);
      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), actions[i]));
      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), actions[i]));
    }
}

static void
test_application_accels (void)
{
  const struct {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.quit", "<Control>q" },
    { "app.new-window", "<Control>n" },
    { "win.new-tab", "<Control>t" },
    { "win.close-tab", "<Control>w" },
    { "win.send-request", "<Control>Return" },
    { "win.focus-url", "<Control>l" },
    { "win.save", "<Control>s" },
    { "win.save-as", "<Shift><Control>s" },
    { "win.open", "<Control>o" },
    { "win.search-response", "<Control>f" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("%s: %s", expected[i].action, expected[i].accel);
      g_assert_true (accels_contain (expected[i].action, expected[i].accel));
    }

  /* The shortcuts window is Sonde's own, built when first shown (not gtk/help-overlay.ui). */
  g_assert_true (accels_contain ("win.show-help-overlay", "<Control>question"));
}

static void
test_application_resources (void)
{
  const char *paths[] = {
    "/io/github/sonde/Sonde/style.css",
    "/io/github/sonde/Sonde/ui/sonde-shortcuts-window.ui",
    "/io/github/sonde/Sonde/ui/sonde-window.ui",
    "/io/github/sonde/Sonde/ui/sonde-request-editor.ui",
    "/io/github/sonde/Sonde/ui/sonde-key-value-editor.ui",
    "/io/github/sonde/Sonde/ui/sonde-response-view.ui",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_resources_lookup_data (paths[i], G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

      g_test_message ("%s", paths[i]);
      g_assert_no_error (error);
      g_assert_nonnull (bytes);
    }

  g_assert_cmpstr (g_application_get_resource_base_path (G_APPLICATION (app)), ==, "/io/github/sonde/Sonde");
}

static void
test_application_activate (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  sonde_test_ui_spin_until_idle ();

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SONDE_IS_WINDOW (window));
  g_assert_cmpuint (count_windows_of_type (SONDE_TYPE_WINDOW), ==, 1);
  /* GtkApplication builds no shortcuts window at start-up: Sonde builds it when asked. */
  g_assert_null (g_resources_lookup_data ("/io/github/sonde/Sonde/gtk/help-overlay.ui",
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  /* libadwaita's striped header bar marks a development build. */
  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==,
                   g_str_equal (PROFILE, "development"));

  /* A second activation presents the same window. */
  g_application_activate (G_APPLICATION (app));
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (count_windows_of_type (SONDE_TYPE_WINDOW), ==, 1);
}

static void
test_application_about (void)
{
  AdwAboutWindow *about = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  sonde_test_ui_spin_until_idle ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      about = l->data;

  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Sonde");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (SONDE_IS_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (about))));

  gtk_window_destroy (GTK_WINDOW (about));
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (count_windows_of_type (ADW_TYPE_ABOUT_WINDOW), ==, 0);
}

static gboolean
is_shortcut_titled (GtkWidget     *widget,
                    gconstpointer  title)
{
  g_autofree char *text = NULL;

  g_object_get (widget, "title", &text, NULL);
  return g_strcmp0 (text, title) == 0;
}

/* The shortcuts window (Ctrl+?, the main menu's Keyboard Shortcuts) is built the first time
 * it is asked for, then shown again as it is. */
static void
test_application_shortcuts (void)
{
  GtkWindow *window;
  GtkShortcutsWindow *overlay;

  g_application_activate (G_APPLICATION (app));
  sonde_test_ui_spin_until_idle ();
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (SONDE_IS_WINDOW (window));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  sonde_test_ui_spin_until_idle ();
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == window);
  g_assert_nonnull (sonde_test_ui_find (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT,
                                       is_shortcut_titled, "Send request"));

  /* Closed, it hides; asked for again, it is the same window. */
  gtk_window_close (GTK_WINDOW (overlay));
  sonde_test_ui_spin_until_idle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  sonde_test_ui_spin_until_idle ();
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_close (GTK_WINDOW (overlay));
  sonde_test_ui_spin_until_idle ();
}

static void
test_application_open (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sonde-test-application-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "ping.request.json", NULL);
  g_file_set_contents (path,
                       "{\n"
                       "  \"name\": \"Ping\",\n"
                       "  \"method\": \"GET\",\n"
                       "  \"url\": \"http://127.0.0.1:1/ping\"\n"
                       "}\n",
                       -1, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  /* Files open in the existing window rather than a new one. */
  g_application_open (G_APPLICATION (app), &file, 1, "");
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (count_windows_of_type (SONDE_TYPE_WINDOW), ==, 1);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_application_new_window_and_quit (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  sonde_test_ui_spin_until_idle ();
  g_assert_cmpuint (count_windows_of_type (SONDE_TYPE_WINDOW), ==, 2);

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  sonde_test_ui_spin_until_idle ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!sonde_test_ui_init (&argc, &argv))
    return 0;

  app = sonde_application_new ();
  sonde_test_ui_register_application (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN);

  g_test_add_func ("/application/actions", test_application_actions);
  g_test_add_func ("/application/accels", test_application_accels);
  g_test_add_func ("/application/resources", test_application_resources);
  g_test_add_func ("/application/activate", test_application_activate);
  g_test_add_func ("/application/about", test_application_about);
  g_test_add_func ("/application/shortcuts", test_application_shortcuts);
  g_test_add_func ("/application/open", test_application_open);
  g_test_add_func ("/application/new-window-and-quit", test_application_new_window_and_quit);

  status = g_test_run ();

  g_clear_object (&app);

  return status;
}
