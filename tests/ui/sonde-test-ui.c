/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "sonde-editor-utils.h"

#include "sonde-test-ui.h"

/* The system data dirs from before G_TEST_OPTION_ISOLATE_DIRS replaced them. */
static char **system_data_dirs;

/* The isolated XDG dirs hide the MIME database (gdk-pixbuf needs it to load SVG icons) and
 * GtkSourceView's languages and style schemes: keep the system's. */
static void
keep_system_data (void)
{
  g_autoptr(GStrvBuilder) mime = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) languages = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) styles = g_strv_builder_new ();
  g_auto(GStrv) mime_dirs = NULL;
  g_auto(GStrv) language_dirs = NULL;
  g_auto(GStrv) style_dirs = NULL;

  for (guint i = 0; system_data_dirs[i] != NULL; i++)
    {
      g_autofree char *mime_dir = g_build_filename (system_data_dirs[i], "mime", NULL);
      g_autofree char *language_dir = g_build_filename (system_data_dirs[i], "gtksourceview-5", "language-specs", NULL);
      g_autofree char *style_dir = g_build_filename (system_data_dirs[i], "gtksourceview-5", "styles", NULL);

      g_strv_builder_add (mime, mime_dir);
      g_strv_builder_add (languages, language_dir);
      g_strv_builder_add (styles, style_dir);
    }
  mime_dirs = g_strv_builder_end (mime);
  language_dirs = g_strv_builder_end (languages);
  style_dirs = g_strv_builder_end (styles);

  g_content_type_set_mime_dirs ((const char * const *) mime_dirs);
  gtk_source_language_manager_set_search_path (gtk_source_language_manager_get_default (),
                                               (const char * const *) language_dirs);
  gtk_source_style_scheme_manager_set_search_path (gtk_source_style_scheme_manager_get_default (),
                                                   (const char * const *) style_dirs);
}

/* The set-up every widget test shares: without a display, prints a TAP skip line and returns
 * FALSE (main then returns 0). Otherwise g_test_init() with isolated dirs, GTK, libadwaita and
 * GtkSourceView initialised, and the system's MIME data, languages and style schemes kept. */
gboolean
sonde_test_ui_init (int     *argc,
                    char  ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }

  g_strfreev (system_data_dirs);
  system_data_dirs = g_strdupv ((char **) g_get_system_data_dirs ());
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();
  gtk_source_init ();
  keep_system_data ();
  sonde_source_init_languages ();

  return TRUE;
}

/* Adds the system's icon dirs to the default display's icon theme. */
void
sonde_test_ui_add_icon_dirs (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  g_assert_nonnull (system_data_dirs);
  for (guint i = 0; system_data_dirs[i] != NULL; i++)
    {
      g_autofree char *icons = g_build_filename (system_data_dirs[i], "icons", NULL);

      gtk_icon_theme_add_search_path (theme, icons);
    }
}

void
sonde_test_ui_spin_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until CONDITION (DATA) holds, failing after 90 s: the sanitizer
 * build on a loaded machine can be that slow, and a hang is still caught. */
void
sonde_test_ui_spin_until (gboolean (*condition) (gpointer data),
                          gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (90, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

/* Registers APP with FLAGS added to G_APPLICATION_NON_UNIQUE (tests may run side by side on
 * one session bus); returns APP. */
GApplication *
sonde_test_ui_register_application (GApplication      *app,
                                    GApplicationFlags  flags)
{
  g_autoptr(GError) error = NULL;

  g_application_set_flags (app, flags | G_APPLICATION_NON_UNIQUE);
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);

  return app;
}

/* The first visible message dialog, or NULL. */
AdwMessageDialog *
sonde_test_ui_find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

/* Destroys every message dialog a test left open. */
void
sonde_test_ui_destroy_dialogs (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      gtk_window_destroy (l->data);
}

GtkWidget *
sonde_test_ui_find (GtkWidget      *root,
                    GType           type,
                    gboolean      (*match) (GtkWidget     *widget,
                                            gconstpointer  data),
                    gconstpointer   data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sonde_test_ui_find (child, type, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
sonde_test_ui_has_text (GtkWidget     *widget,
                        gconstpointer  text)
{
  if (GTK_IS_LABEL (widget))
    return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
  if (GTK_IS_BUTTON (widget))
    return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0 ||
           g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
  return FALSE;
}

gboolean
sonde_test_ui_has_css_class (GtkWidget     *widget,
                             gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}
