/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-settings-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-editor-utils.h"
#include "sonde-request-options.h"
#include "sonde-settings-editor.h"

typedef enum
{
  CLIENT_CERT_NONE,
  CLIENT_CERT_PEM,
  CLIENT_CERT_PKCS12,
} ClientCertMode;

struct _SondeSettingsEditor
{
  GtkWidget parent_instance;

  GtkWidget *groups_box;

  /* Template widgets */
  AdwActionRow *timeout_row;
  GtkSpinButton *timeout_spin;
  AdwActionRow *connect_timeout_row;
  GtkSpinButton *connect_timeout_spin;
  AdwActionRow *max_body_size_row;
  GtkSpinButton *max_body_size_spin;
  AdwComboRow *http_version_row;
  GtkSwitch *follow_redirects_switch;
  AdwActionRow *max_redirects_row;
  GtkSpinButton *max_redirects_spin;
  GtkSwitch *verify_tls_switch;
  AdwActionRow *ca_file_row;
  GtkWidget *ca_file_clear_button;
  GtkWidget *client_cert_clear_button;
  GtkWidget *client_key_clear_button;
  GtkWidget *client_pkcs12_clear_button;
  AdwComboRow *client_cert_row;
  AdwActionRow *client_cert_file_row;
  AdwActionRow *client_key_file_row;
  AdwActionRow *client_pkcs12_file_row;
  AdwPasswordEntryRow *client_passphrase_row;
  AdwComboRow *proxy_mode_row;
  AdwEntryRow *proxy_url_row;
  AdwEntryRow *proxy_username_row;
  AdwPasswordEntryRow *proxy_password_row;
  AdwEntryRow *no_proxy_row;

  /* Owned */
  SondeRequest *request;
  SondeRequestOptions *options;
  GPtrArray *bindings;
  GSignalGroup *options_signals;

  guint updating_client_cert : 1;
};

G_DEFINE_FINAL_TYPE (SondeSettingsEditor, sonde_settings_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REQUEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
path_to_subtitle (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  const char *path = g_value_get_string (from_value);

  g_value_set_string (to_value, path != NULL ? path : _("None"));
  return TRUE;
}

#define MEGABYTE (1024 * 1024)

static gboolean
bytes_to_megabytes (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  g_value_set_double (to_value, (double) (g_value_get_uint64 (from_value) / MEGABYTE));
  return TRUE;
}

static gboolean
megabytes_to_bytes (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  g_value_set_uint64 (to_value, (guint64) g_value_get_double (from_value) * MEGABYTE);
  return TRUE;
}

static gboolean
hosts_to_text (GBinding     *binding,
               const GValue *from_value,
               GValue       *to_value,
               gpointer      user_data)
{
  const char * const *hosts = g_value_get_boxed (from_value);

  g_value_take_string (to_value, hosts != NULL ? g_strjoinv (", ", (char **) hosts) : g_strdup (""));
  return TRUE;
}

static gboolean
text_to_hosts (GBinding     *binding,
               const GValue *from_value,
               GValue       *to_value,
               gpointer      user_data)
{
  g_auto(GStrv) pieces = g_strsplit_set (g_value_get_string (from_value), ", ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hosts = NULL;

  for (guint i = 0; pieces[i] != NULL; i++)
    if (pieces[i][0] != '\0')
      g_strv_builder_add (builder, pieces[i]);
  hosts = g_strv_builder_end (builder);

  /* No hosts is the default: NULL, not an empty list. */
  g_value_set_boxed (to_value, hosts[0] != NULL ? hosts : NULL);
  return TRUE;
}

static gboolean
path_to_sensitive (GBinding     *binding,
                   const GValue *from_value,
                   GValue       *to_value,
                   gpointer      user_data)
{
  g_value_set_boolean (to_value, g_value_get_string (from_value) != NULL);
  return TRUE;
}

static ClientCertMode
get_client_cert_mode (SondeRequestOptions *options)
{
  if (options == NULL)
    return CLIENT_CERT_NONE;
  if (sonde_request_options_get_client_pkcs12 (options) != NULL)
    return CLIENT_CERT_PKCS12;
  if (sonde_request_options_get_client_cert (options) != NULL ||
      sonde_request_options_get_client_key (options) != NULL)
    return CLIENT_CERT_PEM;
  return CLIENT_CERT_NONE;
}

static void
update_sensitivity (SondeSettingsEditor *self)
{
  SondeRequestOptions *options = self->options;
  gboolean custom_proxy = options != NULL &&
                          sonde_request_options_get_proxy_mode (options) == SONDE_PROXY_CUSTOM;
  guint mode = adw_combo_row_get_selected (self->client_cert_row);

  gtk_widget_set_sensitive (GTK_WIDGET (self->max_redirects_row),
                            options != NULL && sonde_request_options_get_follow_redirects (options));
  gtk_widget_set_visible (GTK_WIDGET (self->client_cert_file_row), mode == CLIENT_CERT_PEM);
  gtk_widget_set_visible (GTK_WIDGET (self->client_key_file_row), mode == CLIENT_CERT_PEM);
  gtk_widget_set_visible (GTK_WIDGET (self->client_pkcs12_file_row), mode == CLIENT_CERT_PKCS12);
  gtk_widget_set_visible (GTK_WIDGET (self->client_passphrase_row), mode != CLIENT_CERT_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->proxy_url_row), custom_proxy);
  gtk_widget_set_visible (GTK_WIDGET (self->proxy_username_row), custom_proxy);
  gtk_widget_set_visible (GTK_WIDGET (self->proxy_password_row), custom_proxy);
  gtk_widget_set_visible (GTK_WIDGET (self->no_proxy_row), custom_proxy);
}

static void
options_client_cert_changed_cb (SondeSettingsEditor *self)
{
  ClientCertMode mode = get_client_cert_mode (self->options);

  /* A chosen kind with no file yet stays chosen. */
  if (self->updating_client_cert || mode == CLIENT_CERT_NONE)
    {
      update_sensitivity (self);
      return;
    }

  self->updating_client_cert = TRUE;
  adw_combo_row_set_selected (self->client_cert_row, mode);
  self->updating_client_cert = FALSE;
  update_sensitivity (self);
}

static void
client_cert_row_selected_cb (SondeSettingsEditor *self)
{
  guint mode = adw_combo_row_get_selected (self->client_cert_row);

  if (!self->updating_client_cert && self->options != NULL)
    {
      self->updating_client_cert = TRUE;
      /* Only the files of the chosen kind are sent; the others are dropped. */
      if (mode != CLIENT_CERT_PEM)
        {
          sonde_request_options_set_client_cert (self->options, NULL);
          sonde_request_options_set_client_key (self->options, NULL);
        }
      if (mode != CLIENT_CERT_PKCS12)
        sonde_request_options_set_client_pkcs12 (self->options, NULL);
      if (mode == CLIENT_CERT_NONE)
        sonde_request_options_set_client_passphrase (self->options, NULL);
      self->updating_client_cert = FALSE;
    }

  update_sensitivity (self);
}

static void
option_file_chosen_cb (GFile    *file,
                       gpointer  user_data)
{
  SondeSettingsEditor *self = user_data;
  const char *property = g_object_get_data (G_OBJECT (self), "sonde-choosing");
  g_autofree char *path = NULL;

  if (self->options == NULL || property == NULL)
    return;

  path = sonde_request_path_for_file (self->request, file);
  g_object_set (self->options, property, path, NULL);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  const char *property = g_variant_get_string (parameter, NULL);

  g_object_set_data_full (G_OBJECT (widget), "sonde-choosing", g_strdup (property), g_free);
  sonde_choose_file (widget, _("Choose a File"), option_file_chosen_cb, widget);
}

static void
clear_file_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeSettingsEditor *self = SONDE_SETTINGS_EDITOR (widget);

  if (self->options != NULL)
    g_object_set (self->options, g_variant_get_string (parameter, NULL), NULL, NULL);
}

static void
unbind_all (SondeSettingsEditor *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
}

static void
bind_file_row (SondeSettingsEditor *self,
               const char          *property,
               AdwActionRow        *row,
               GtkWidget           *clear_button)
{
  g_ptr_array_add (self->bindings,
                   g_object_bind_property_full (self->options, property, row, "subtitle",
                                                G_BINDING_SYNC_CREATE,
                                                path_to_subtitle, NULL, NULL, NULL));
  g_ptr_array_add (self->bindings,
                   g_object_bind_property_full (self->options, property, clear_button, "sensitive",
                                                G_BINDING_SYNC_CREATE,
                                                path_to_sensitive, NULL, NULL, NULL));
}

static void
bind_options (SondeSettingsEditor *self)
{
  SondeRequestOptions *options = self->options;

  g_ptr_array_add (self->bindings, g_object_bind_property (options, "timeout", self->timeout_spin, "value",
                                                           G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
  g_ptr_array_add (self->bindings, g_object_bind_property (options, "connect-timeout", self->connect_timeout_spin, "value",
                                                           G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
  g_ptr_array_add (self->bindings, g_object_bind_property_full (options, "max-body-size", self->max_body_size_spin, "value",
                                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                                bytes_to_megabytes, megabytes_to_bytes, NULL, NULL));
  g_ptr_array_add (self->bindings, sonde_bind_enum_property (options, "http-version", self->http_version_row, "selected"));
  g_ptr_array_add (self->bindings, g_object_bind_property (options, "follow-redirects", self->follow_redirects_switch, "active",
                                                           G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
  g_ptr_array_add (self->bindings, g_object_bind_property (options, "max-redirects", self->max_redirects_spin, "value",
                                                           G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
  g_ptr_array_add (self->bindings, g_object_bind_property (options, "verify-tls", self->verify_tls_switch, "active",
                                                           G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
  bind_file_row (self, "ca-file", self->ca_file_row, self->ca_file_clear_button);
  bind_file_row (self, "client-cert", self->client_cert_file_row, self->client_cert_clear_button);
  bind_file_row (self, "client-key", self->client_key_file_row, self->client_key_clear_button);
  bind_file_row (self, "client-pkcs12", self->client_pkcs12_file_row, self->client_pkcs12_clear_button);
  g_ptr_array_add (self->bindings, sonde_bind_string_property (options, "client-passphrase", GTK_EDITABLE (self->client_passphrase_row)));
  g_ptr_array_add (self->bindings, sonde_bind_enum_property (options, "proxy-mode", self->proxy_mode_row, "selected"));
  g_ptr_array_add (self->bindings, sonde_bind_string_property (options, "proxy-url", GTK_EDITABLE (self->proxy_url_row)));
  g_ptr_array_add (self->bindings, sonde_bind_string_property (options, "proxy-username", GTK_EDITABLE (self->proxy_username_row)));
  g_ptr_array_add (self->bindings, sonde_bind_string_property (options, "proxy-password", GTK_EDITABLE (self->proxy_password_row)));
  g_ptr_array_add (self->bindings, g_object_bind_property_full (options, "no-proxy", self->no_proxy_row, "text",
                                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                                hosts_to_text, text_to_hosts, NULL, NULL));

  self->updating_client_cert = TRUE;
  adw_combo_row_set_selected (self->client_cert_row, get_client_cert_mode (options));
  self->updating_client_cert = FALSE;
}

static void
sonde_settings_editor_dispose (GObject *object)
{
  SondeSettingsEditor *self = SONDE_SETTINGS_EDITOR (object);
  GtkWidget *child;

  unbind_all (self);
  if (self->options_signals != NULL)
    g_signal_group_set_target (self->options_signals, NULL);
  g_clear_object (&self->options_signals);
  g_clear_object (&self->options);
  g_clear_object (&self->request);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_SETTINGS_EDITOR);
  /* The template's top-level box has no id, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sonde_settings_editor_parent_class)->dispose (object);
}

static void
sonde_settings_editor_finalize (GObject *object)
{
  SondeSettingsEditor *self = SONDE_SETTINGS_EDITOR (object);

  g_clear_pointer (&self->bindings, g_ptr_array_unref);

  G_OBJECT_CLASS (sonde_settings_editor_parent_class)->finalize (object);
}

static void
sonde_settings_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SondeSettingsEditor *self = SONDE_SETTINGS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_settings_editor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SondeSettingsEditor *self = SONDE_SETTINGS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      sonde_settings_editor_set_request (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_settings_editor_class_init (SondeSettingsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_settings_editor_dispose;
  object_class->finalize = sonde_settings_editor_finalize;
  object_class->get_property = sonde_settings_editor_get_property;
  object_class->set_property = sonde_settings_editor_set_property;

  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, SONDE_TYPE_REQUEST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-settings-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, groups_box);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, timeout_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, connect_timeout_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, connect_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, max_body_size_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, max_body_size_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, http_version_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, follow_redirects_switch);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, max_redirects_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, max_redirects_spin);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, verify_tls_switch);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, ca_file_clear_button);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, client_cert_clear_button);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, client_key_clear_button);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, client_pkcs12_clear_button);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, client_cert_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, client_cert_file_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, client_key_file_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, client_pkcs12_file_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, client_passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, proxy_mode_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, proxy_url_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, proxy_username_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, proxy_password_row);
  gtk_widget_class_bind_template_child (widget_class, SondeSettingsEditor, no_proxy_row);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "settings.choose-file", "s", choose_file_action);
  gtk_widget_class_install_action (widget_class, "settings.clear-file", "s", clear_file_action);
}

static void
sonde_settings_editor_init (SondeSettingsEditor *self)
{
  self->bindings = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The flow box's cells are layout only: the rows inside take the focus */
  for (GtkWidget *cell = gtk_widget_get_first_child (self->groups_box); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
    gtk_widget_set_focusable (cell, FALSE);

  self->options_signals = g_signal_group_new (SONDE_TYPE_REQUEST_OPTIONS);
  g_signal_group_connect_object (self->options_signals, "notify::follow-redirects",
                                 G_CALLBACK (update_sensitivity), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->options_signals, "notify::proxy-mode",
                                 G_CALLBACK (update_sensitivity), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->options_signals, "notify::client-cert",
                                 G_CALLBACK (options_client_cert_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->options_signals, "notify::client-key",
                                 G_CALLBACK (options_client_cert_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->options_signals, "notify::client-pkcs12",
                                 G_CALLBACK (options_client_cert_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client_cert_row, "notify::selected",
                           G_CALLBACK (client_cert_row_selected_cb), self, G_CONNECT_SWAPPED);

  update_sensitivity (self);
}

SondeRequest *
sonde_settings_editor_get_request (SondeSettingsEditor *self)
{
  g_return_val_if_fail (SONDE_IS_SETTINGS_EDITOR (self), NULL);

  return self->request;
}

void
sonde_settings_editor_set_request (SondeSettingsEditor *self,
                                   SondeRequest        *request)
{
  SondeRequestOptions *options;

  g_return_if_fail (SONDE_IS_SETTINGS_EDITOR (self));
  g_return_if_fail (request == NULL || SONDE_IS_REQUEST (request));

  if (self->request == request)
    return;

  unbind_all (self);
  g_set_object (&self->request, request);
  options = request != NULL ? sonde_request_get_options (request) : NULL;
  g_set_object (&self->options, options);
  g_signal_group_set_target (self->options_signals, self->options);
  if (self->options != NULL)
    bind_options (self);

  update_sensitivity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);
}

void
sonde_settings_editor_set_variable_scope (SondeSettingsEditor *self,
                                          SondeVariableScope  *scope)
{
  GtkEditable *rows[] = {
    GTK_EDITABLE (self->client_passphrase_row), GTK_EDITABLE (self->proxy_url_row),
    GTK_EDITABLE (self->proxy_username_row), GTK_EDITABLE (self->proxy_password_row),
    GTK_EDITABLE (self->no_proxy_row)
  };

  g_return_if_fail (SONDE_IS_SETTINGS_EDITOR (self));
  g_return_if_fail (scope == NULL || SONDE_IS_VARIABLE_SCOPE (scope));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    sonde_variable_highlight_editable (rows[i], scope);
}
