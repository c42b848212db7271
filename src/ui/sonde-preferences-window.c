/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-preferences-window.h"

struct _SondePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (SondePreferencesWindow, sonde_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

#define MIB (1024.0 * 1024.0)

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle,
         GtkWidget           *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), suffix);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (suffix), GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWidget *
switch_row (SondePreferencesWindow *self,
            AdwPreferencesGroup    *group,
            const char             *title,
            const char             *subtitle,
            const char             *key)
{
  GtkWidget *toggle = gtk_switch_new ();

  g_settings_bind (self->settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  return add_row (group, title, subtitle, toggle);
}

static GtkWidget *
spin_row (SondePreferencesWindow *self,
          AdwPreferencesGroup    *group,
          const char             *title,
          const char             *subtitle,
          const char             *key,
          double                  max)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, 1);

  g_settings_bind (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  return add_row (group, title, subtitle, spin);
}

/* Byte counts shown in MiB */
static gboolean
bytes_to_mib (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint64 (variant) / MIB);
  return TRUE;
}

static GVariant *
mib_to_bytes (const GValue       *value,
              const GVariantType *type,
              gpointer            user_data)
{
  return g_variant_new_uint64 ((guint64) (g_value_get_double (value) * MIB));
}

static GtkWidget *
size_row (SondePreferencesWindow *self,
          AdwPreferencesGroup    *group,
          const char             *title,
          const char             *subtitle,
          const char             *key,
          double                  min)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (min, 1024 * 1024, 1);

  g_settings_bind_with_mapping (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT,
                                bytes_to_mib, mib_to_bytes, NULL, NULL);
  return add_row (group, title, subtitle, spin);
}

static const char * const proxy_modes[] = { "system", "none", "custom" };

static gboolean
mode_to_selected (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *mode = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (proxy_modes); i++)
    if (g_str_equal (mode, proxy_modes[i]))
      g_value_set_uint (value, i);
  return TRUE;
}

static GVariant *
selected_to_mode (const GValue       *value,
                  const GVariantType *type,
                  gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  return g_variant_new_string (proxy_modes[MIN (selected, G_N_ELEMENTS (proxy_modes) - 1)]);
}

static gboolean
mode_is_custom (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  g_value_set_boolean (value, g_str_equal (g_variant_get_string (variant, NULL), "custom"));
  return TRUE;
}

/* Body fonts: monospace families; "" (the system's) shows as "Monospace 11" */
static gboolean
is_monospace (const PangoFontFamily *family,
              const PangoFontFace   *face,
              gpointer               data)
{
  return pango_font_family_is_monospace ((PangoFontFamily *) family);
}

static gboolean
font_from_setting (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char *font = g_variant_get_string (variant, NULL);

  g_value_set_string (value, *font != '\0' ? font : "Monospace 11");
  return TRUE;
}

static GVariant *
font_to_setting (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  const char *font = g_value_get_string (value);

  return g_variant_new_string (font != NULL ? font : "");
}

static gboolean
string_is_set (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  g_value_set_boolean (value, *g_variant_get_string (variant, NULL) != '\0');
  return TRUE;
}

static void
reset_font_cb (SondePreferencesWindow *self)
{
  g_settings_reset (self->settings, "body-font");
}

static void
build (SondePreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *requests = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *proxy = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *responses = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *text = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *history = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  const char *mode_names[] = { _("The System’s"), _("None"), _("Custom"), NULL };
  GtkWidget *redirects;
  GtkWidget *max_redirects;
  GtkWidget *mode_row;
  GtkWidget *url_row;

  adw_preferences_page_set_title (page, _("General"));
  adw_preferences_page_set_icon_name (page, "preferences-system-symbolic");

  adw_preferences_group_set_title (requests, _("Requests"));
  adw_preferences_group_set_description (requests,
                                         _("For requests whose own settings and collection say nothing"));
  spin_row (self, requests, _("Timeout"), _("Seconds a whole request may take; 0 for none"),
            "request-timeout", 86400);
  redirects = switch_row (self, requests, _("Follow Redirects"), NULL, "follow-redirects");
  max_redirects = spin_row (self, requests, _("Most Redirects"), NULL, "max-redirects", 100);
  g_object_bind_property (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (redirects)), "active",
                          max_redirects, "sensitive", G_BINDING_SYNC_CREATE);
  switch_row (self, requests, _("Verify TLS Certificates"),
              _("A request that does not verify them says so in its response"), "verify-tls");

  adw_preferences_group_set_title (proxy, _("Proxy"));
  mode_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (mode_row), _("Proxy"));
  adw_combo_row_set_model (ADW_COMBO_ROW (mode_row), G_LIST_MODEL (gtk_string_list_new (mode_names)));
  g_settings_bind_with_mapping (self->settings, "proxy-mode", mode_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                mode_to_selected, selected_to_mode, NULL, NULL);
  adw_preferences_group_add (proxy, mode_row);
  url_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (url_row), _("Proxy URL"));
  g_settings_bind (self->settings, "proxy-url", url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "proxy-mode", url_row, "visible", G_SETTINGS_BIND_GET,
                                mode_is_custom, NULL, NULL, NULL);
  adw_preferences_group_add (proxy, url_row);

  adw_preferences_group_set_title (responses, _("Responses"));
  size_row (self, responses, _("Kept in Memory up To (MiB)"),
            _("A larger body goes to a temporary file"), "memory-threshold", 1);
  size_row (self, responses, _("Largest Response Kept (MiB)"),
            _("The rest is cut, and the response says so; 0 keeps everything. A body saved to a file has no limit."),
            "max-body-size", 0);

  adw_preferences_group_set_title (text, _("Bodies"));
  adw_preferences_group_set_description (text, _("How request and response bodies are shown"));
  {
    GtkWidget *font = gtk_font_button_new ();
    GtkWidget *reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
    GtkWidget *row;

    gtk_font_chooser_set_filter_func (GTK_FONT_CHOOSER (font), is_monospace, NULL, NULL);
    gtk_font_chooser_set_level (GTK_FONT_CHOOSER (font), GTK_FONT_CHOOSER_LEVEL_FAMILY | GTK_FONT_CHOOSER_LEVEL_SIZE);
    gtk_font_button_set_use_font (GTK_FONT_BUTTON (font), TRUE);
    g_settings_bind_with_mapping (self->settings, "body-font", font, "font", G_SETTINGS_BIND_DEFAULT,
                                  font_from_setting, font_to_setting, NULL, NULL);
    row = add_row (text, _("Font"), NULL, font);
    gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (reset, "flat");
    gtk_widget_set_tooltip_text (reset, _("Use the System’s Monospace Font"));
    g_settings_bind_with_mapping (self->settings, "body-font", reset, "sensitive", G_SETTINGS_BIND_GET,
                                  string_is_set, NULL, NULL, NULL);
    g_signal_connect_swapped (reset, "clicked", G_CALLBACK (reset_font_cb), self);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
  }
  switch_row (self, text, _("Wrap Long Lines"), NULL, "wrap-lines");

  adw_preferences_group_set_title (history, _("History"));
  spin_row (self, history, _("Requests Kept"), NULL, "history-size", 10000);

  adw_preferences_page_add (page, requests);
  adw_preferences_page_add (page, proxy);
  adw_preferences_page_add (page, responses);
  adw_preferences_page_add (page, text);
  adw_preferences_page_add (page, history);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

static void
sonde_preferences_window_dispose (GObject *object)
{
  SondePreferencesWindow *self = SONDE_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (sonde_preferences_window_parent_class)->dispose (object);
}

static void
sonde_preferences_window_class_init (SondePreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sonde_preferences_window_dispose;
}

static void
sonde_preferences_window_init (SondePreferencesWindow *self)
{
}

GtkWidget *
sonde_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  SondePreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SONDE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "search-enabled", FALSE,
                       NULL);
  self->settings = g_object_ref (settings);
  build (self);
  return GTK_WIDGET (self);
}
