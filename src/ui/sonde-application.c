/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-application"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include "sonde-application.h"
#include "sonde-editor-utils.h"
#include "sonde-history.h"
#include "sonde-window.h"

struct _SondeApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GtkCssProvider *body_font;   /* Preferences' font of the body views */
};

G_DEFINE_FINAL_TYPE (SondeApplication, sonde_application, ADW_TYPE_APPLICATION)

/* Window actions are installed by SondeWindow; their shortcuts live here so that menus and
 * the shortcuts window show them. Escape (win.cancel-request) is a binding of the request
 * editor instead: as an application accelerator it would steal Escape from popovers,
 * dialogs and search bars. */
static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "win.new-tab", { "<Control>t", NULL } },
  { "win.close-tab", { "<Control>w", NULL } },
  { "win.send-request", { "<Control>Return", "<Control>KP_Enter", NULL } },
  { "win.focus-url", { "<Control>l", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.search-response", { "<Control>f", NULL } },
  { "win.copy-as-code", { "<Control><Shift>c", NULL } },
  { "win.preferences", { "<Control>comma", NULL } },
  { "win.reload-collection", { "<Control>r", NULL } },
  { "win.show-help-overlay", { "<Control>question", NULL } },
};

static SondeWindow *
get_or_create_window (SondeApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The active window may be the about or shortcuts window: look for a main window. */
  if (!SONDE_IS_WINDOW (window))
    {
      window = NULL;
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
        {
          if (SONDE_IS_WINDOW (l->data))
            {
              window = l->data;
              break;
            }
        }
    }

  if (window == NULL)
    window = GTK_WINDOW (sonde_window_new (self));

  return SONDE_WINDOW (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  SondeApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Close rather than quit, so that each window saves its state and may ask about
   * unsaved requests; the application ends with its last window. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  SondeApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (sonde_window_new (self)));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  SondeApplication *self = user_data;
  static const char *developers[] = { "The Sonde developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", self,
                        "application-name", _("Sonde"),
                        "application-icon", APP_ID,
                        "developer-name", "The Sonde developers",
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/sonde/sonde",
                        "issue-url", "https://github.com/sonde/sonde/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Sonde developers",
                        /* Translators: your names, one per line, to be credited in the about window */
                        "translator-credits", _("translator-credits"),
                        "modal", parent != NULL,
                        "transient-for", parent,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "new-window", new_window_action },
};

static void
body_font_changed_cb (SondeApplication *self)
{
  g_autofree char *font = g_settings_get_string (self->settings, "body-font");
  g_autofree char *css = sonde_body_font_css (font);

  gtk_css_provider_load_from_data (self->body_font, css, -1);
}

static void
sonde_application_startup (GApplication *application)
{
  SondeApplication *self = SONDE_APPLICATION (application);

  G_APPLICATION_CLASS (sonde_application_parent_class)->startup (application);

  gtk_source_init ();
  sonde_source_init_languages ();

  /* Above the theme and style.css: the person chose it */
  self->settings = g_settings_new (APP_ID);
  self->body_font = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (self->body_font),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER);
  g_signal_connect_object (self->settings, "changed::body-font", G_CALLBACK (body_font_changed_cb), self,
                           G_CONNECT_SWAPPED);
  body_font_changed_cb (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

/* Entries written in the background reach the disk before the process ends. */
static void
sonde_application_shutdown (GApplication *application)
{
  SondeApplication *self = SONDE_APPLICATION (application);

  sonde_history_flush (sonde_history_get_default ());
  if (self->body_font != NULL && gdk_display_get_default () != NULL)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (self->body_font));
  g_clear_object (&self->body_font);
  g_clear_object (&self->settings);

  G_APPLICATION_CLASS (sonde_application_parent_class)->shutdown (application);
}

/* Starting up frees a few MiB it used once (the templates' parse, the theme's CSS, the
 * collection and history reads), which glibc keeps in the heap: handed back once the first
 * window has settled, the idle window stays about 1.5 MiB smaller (tests/bench/bench-window). */
static gboolean
trim_heap_cb (gpointer data)
{
#ifdef HAVE_MALLOC_TRIM
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
sonde_application_activate (GApplication *application)
{
  SondeApplication *self = SONDE_APPLICATION (application);
  static gboolean trimmed;

  gtk_window_present (GTK_WINDOW (get_or_create_window (self)));
  if (!trimmed)
    {
      trimmed = TRUE;
      g_timeout_add_full (G_PRIORITY_LOW, 1000, trim_heap_cb, NULL, NULL);
    }
}

static void
sonde_application_open (GApplication  *application,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  SondeApplication *self = SONDE_APPLICATION (application);
  SondeWindow *window = get_or_create_window (self);

  for (int i = 0; i < n_files; i++)
    sonde_window_open_or_import (window, files[i]);

  gtk_window_present (GTK_WINDOW (window));
}

static void
sonde_application_class_init (SondeApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = sonde_application_startup;
  app_class->activate = sonde_application_activate;
  app_class->shutdown = sonde_application_shutdown;
  app_class->open = sonde_application_open;
}

static void
sonde_application_init (SondeApplication *self)
{
}

SondeApplication *
sonde_application_new (void)
{
  return g_object_new (SONDE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       /* Resources, style.css and the shortcuts window are under the base
                        * ID's path in both profiles, not under …/Sonde/Devel. */
                       "resource-base-path", "/io/github/sonde/Sonde",
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
