/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-auth-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-auth-editor.h"
#include "sonde-editor-utils.h"
#include "sonde-secret-heuristics.h"

struct _SondeAuthEditor
{
  GtkWidget parent_instance;

  /* Template widgets */
  AdwComboRow *kind_row;
  AdwPreferencesGroup *password_group;
  AdwEntryRow *username_row;
  AdwPasswordEntryRow *password_row;
  AdwPreferencesGroup *bearer_group;
  AdwPasswordEntryRow *token_row;
  AdwPreferencesGroup *api_key_group;
  AdwEntryRow *key_name_row;
  AdwPasswordEntryRow *key_value_row;
  AdwComboRow *key_location_row;
  AdwPreferencesGroup *aws_group;
  AdwEntryRow *aws_access_key_row;
  AdwPasswordEntryRow *aws_secret_key_row;
  AdwPasswordEntryRow *aws_session_token_row;
  AdwEntryRow *aws_region_row;
  AdwEntryRow *aws_service_row;
  AdwPreferencesGroup *oauth_group;
  AdwComboRow *oauth_grant_row;
  AdwEntryRow *oauth_auth_url_row;
  AdwEntryRow *oauth_token_url_row;
  AdwEntryRow *oauth_client_id_row;
  AdwPasswordEntryRow *oauth_client_secret_row;
  AdwEntryRow *oauth_username_row;
  AdwPasswordEntryRow *oauth_password_row;
  AdwEntryRow *oauth_scope_row;
  AdwEntryRow *oauth_audience_row;
  AdwComboRow *oauth_client_auth_row;
  AdwEntryRow *oauth_token_header_row;
  AdwEntryRow *oauth_token_query_row;
  AdwEntryRow *oauth_extra_params_row;
  AdwActionRow *oauth_token_row;
  GtkWidget *oauth_get_button;

  /* Borrowed: suffixes of the rows of secret_fields */
  GtkWidget *secret_buttons[7];

  /* Owned */
  SondeAuth *auth;
  GPtrArray *bindings;
  SondeVariableScope *scope;
  gulong kind_changed_id;
  gulong grant_changed_id;
  guint token_status_set : 1;
  guint warn_secrets : 1;
};

/* What the secret buttons stand for: the field named in "make-secret", the name given to
 * sonde_looks_like_secret () and the SondeAuth property. */
static const struct {
  const char *field;
  const char *kind;
  const char *property;
} secret_fields[] = {
  { "password", "password", "password" },
  { "token", "token", "token" },
  { "key-value", "api-key", "key-value" },
  { "password", "password", "password" },   /* AWS secret access key */
  { "token", "token", "token" },            /* AWS session token */
  { "client-secret", "password", "client-secret" },
  { "password", "password", "password" },   /* OAuth 2.0 password grant */
};

G_DEFINE_FINAL_TYPE (SondeAuthEditor, sonde_auth_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_AUTH,
  PROP_WARN_SECRETS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MAKE_SECRET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkEditable *
get_secret_row (SondeAuthEditor *self,
                guint            i)
{
  GtkEditable *rows[] = {
    GTK_EDITABLE (self->password_row), GTK_EDITABLE (self->token_row), GTK_EDITABLE (self->key_value_row),
    GTK_EDITABLE (self->aws_secret_key_row), GTK_EDITABLE (self->aws_session_token_row),
    GTK_EDITABLE (self->oauth_client_secret_row), GTK_EDITABLE (self->oauth_password_row)
  };

  g_assert (i < G_N_ELEMENTS (rows));
  return rows[i];
}

static void
update_secret_buttons (SondeAuthEditor *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    {
      const char *value = gtk_editable_get_text (get_secret_row (self, i));

      gtk_widget_set_visible (self->secret_buttons[i],
                              self->warn_secrets && self->auth != NULL &&
                              sonde_looks_like_secret (secret_fields[i].kind, value));
    }
}

static void
secret_button_clicked_cb (SondeAuthEditor *self,
                          GtkButton       *button)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    if (GTK_WIDGET (button) == self->secret_buttons[i])
      g_signal_emit (self, signals[MAKE_SECRET], 0, secret_fields[i].field);
}

static GtkWidget *
create_secret_button (SondeAuthEditor *self)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("Make Secret…")));
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "warning");
  gtk_widget_set_tooltip_text (button,
                               _("This looks like a token or password, and the request is shared with "
                                 "everyone who gets the collection. Store it as a secret variable instead."));
  gtk_widget_set_visible (button, FALSE);
  g_signal_connect_object (button, "clicked", G_CALLBACK (secret_button_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  return button;
}

/* The kinds in the order of the Type list: "Inherit from Folder" comes first. */
static guint
kind_to_position (SondeAuthKind kind)
{
  /* The list: Inherit, None, Basic, Digest, Bearer, API Key, NTLM, AWS Signature. */
  if (kind == SONDE_AUTH_INHERIT)
    return 0;
  if (kind >= SONDE_AUTH_NTLM)
    return (guint) kind;
  return (guint) kind + 1;
}

static SondeAuthKind
position_to_kind (guint position)
{
  if (position == 0)
    return SONDE_AUTH_INHERIT;
  if (position >= 6)
    return (SondeAuthKind) position;
  return (SondeAuthKind) (position - 1);
}

static gboolean
kind_to_selected (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  g_value_set_uint (to_value, kind_to_position (g_value_get_enum (from_value)));
  return TRUE;
}

static gboolean
selected_to_kind (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from_value);

  if (selected == GTK_INVALID_LIST_POSITION || selected > kind_to_position (SONDE_AUTH_OAUTH2))
    return FALSE;
  g_value_set_enum (to_value, position_to_kind (selected));
  return TRUE;
}

static void
update_groups (SondeAuthEditor *self)
{
  SondeAuthKind kind = self->auth != NULL ? sonde_auth_get_kind (self->auth) : SONDE_AUTH_INHERIT;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kind_row),
                               kind == SONDE_AUTH_INHERIT
                               ? _("The authorization of the folder or collection around the request; none for a request on its own")
                               : NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->password_group),
                          kind == SONDE_AUTH_BASIC || kind == SONDE_AUTH_DIGEST || kind == SONDE_AUTH_NTLM);
  gtk_widget_set_visible (GTK_WIDGET (self->bearer_group), kind == SONDE_AUTH_BEARER);
  gtk_widget_set_visible (GTK_WIDGET (self->api_key_group), kind == SONDE_AUTH_API_KEY);
  gtk_widget_set_visible (GTK_WIDGET (self->aws_group), kind == SONDE_AUTH_AWS_SIGV4);
  gtk_widget_set_visible (GTK_WIDGET (self->oauth_group), kind == SONDE_AUTH_OAUTH2);
  if (kind == SONDE_AUTH_OAUTH2)
    {
      const char *grant = sonde_auth_get_oauth (self->auth, SONDE_OAUTH_GRANT);
      gboolean code = g_str_equal (grant, "authorization_code");
      gboolean password = g_str_equal (grant, "password");

      gtk_widget_set_visible (GTK_WIDGET (self->oauth_auth_url_row), code);
      gtk_widget_set_visible (GTK_WIDGET (self->oauth_username_row), password);
      gtk_widget_set_visible (GTK_WIDGET (self->oauth_password_row), password);
      if (!self->token_status_set)
        adw_action_row_set_subtitle (self->oauth_token_row,
                                     code ? _("Get New Token opens your browser to sign in")
                                          : _("Sonde gets one when the request is sent"));
    }
}

/* The grant and the client authentication are strings in the auth, positions in the lists */
static const char * const grants[] = { "client_credentials", "password", "authorization_code", NULL };
static const char * const client_auths[] = { "body", "basic", NULL };

static gboolean
string_to_position (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  const char * const *strings = user_data;
  const char *value = g_value_get_string (from_value);

  for (guint i = 0; strings[i] != NULL; i++)
    if (g_strcmp0 (value, strings[i]) == 0)
      {
        g_value_set_uint (to_value, i);
        return TRUE;
      }
  g_value_set_uint (to_value, 0);
  return TRUE;
}

static gboolean
position_to_string (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  const char * const *strings = user_data;
  guint position = g_value_get_uint (from_value);

  if (position >= g_strv_length ((char **) strings))
    return FALSE;
  g_value_set_string (to_value, strings[position]);
  return TRUE;
}

static void
unbind_all (SondeAuthEditor *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);

  if (self->auth != NULL)
    {
      g_clear_signal_handler (&self->kind_changed_id, self->auth);
      g_clear_signal_handler (&self->grant_changed_id, self->auth);
    }
  self->token_status_set = FALSE;
}

static void
sonde_auth_editor_dispose (GObject *object)
{
  SondeAuthEditor *self = SONDE_AUTH_EDITOR (object);
  GtkWidget *child;

  unbind_all (self);
  g_clear_object (&self->auth);
  g_clear_object (&self->scope);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_AUTH_EDITOR);
  /* The template's top-level box has no id, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sonde_auth_editor_parent_class)->dispose (object);
}

static void
sonde_auth_editor_finalize (GObject *object)
{
  SondeAuthEditor *self = SONDE_AUTH_EDITOR (object);

  g_clear_pointer (&self->bindings, g_ptr_array_unref);

  G_OBJECT_CLASS (sonde_auth_editor_parent_class)->finalize (object);
}

static void
sonde_auth_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SondeAuthEditor *self = SONDE_AUTH_EDITOR (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;

    case PROP_WARN_SECRETS:
      g_value_set_boolean (value, self->warn_secrets);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_auth_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SondeAuthEditor *self = SONDE_AUTH_EDITOR (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      sonde_auth_editor_set_auth (self, g_value_get_object (value));
      break;

    case PROP_WARN_SECRETS:
      sonde_auth_editor_set_warn_secrets (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_auth_editor_class_init (SondeAuthEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_auth_editor_dispose;
  object_class->finalize = sonde_auth_editor_finalize;
  object_class->get_property = sonde_auth_editor_get_property;
  object_class->set_property = sonde_auth_editor_set_property;

  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, SONDE_TYPE_AUTH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WARN_SECRETS] =
    g_param_spec_boolean ("warn-secrets", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MAKE_SECRET] =
    g_signal_new ("make-secret", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-auth-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, password_group);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, username_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, bearer_group);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, token_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, api_key_group);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, key_name_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, key_value_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, key_location_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, aws_group);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, aws_access_key_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, aws_secret_key_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, aws_session_token_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, aws_region_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, aws_service_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_group);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_grant_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_auth_url_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_token_url_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_client_id_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_username_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_password_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_scope_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_audience_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_client_auth_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_token_header_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_token_query_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_extra_params_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_token_row);
  gtk_widget_class_bind_template_child (widget_class, SondeAuthEditor, oauth_get_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sonde_auth_editor_init (SondeAuthEditor *self)
{
  self->bindings = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    {
      self->secret_buttons[i] = create_secret_button (self);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (get_secret_row (self, i)), self->secret_buttons[i]);
      g_signal_connect_object (get_secret_row (self, i), "changed", G_CALLBACK (update_secret_buttons),
                               self, G_CONNECT_SWAPPED);
    }

  update_groups (self);
}

SondeAuth *
sonde_auth_editor_get_auth (SondeAuthEditor *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH_EDITOR (self), NULL);

  return self->auth;
}

void
sonde_auth_editor_set_auth (SondeAuthEditor *self,
                            SondeAuth       *auth)
{
  g_return_if_fail (SONDE_IS_AUTH_EDITOR (self));
  g_return_if_fail (auth == NULL || SONDE_IS_AUTH (auth));

  if (self->auth == auth)
    return;

  unbind_all (self);
  g_set_object (&self->auth, auth);

  if (auth != NULL)
    {
      g_ptr_array_add (self->bindings,
                       g_object_bind_property_full (auth, "kind", self->kind_row, "selected",
                                                    G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                    kind_to_selected, selected_to_kind, NULL, NULL));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "username", GTK_EDITABLE (self->username_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "password", GTK_EDITABLE (self->password_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "token", GTK_EDITABLE (self->token_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "key-name", GTK_EDITABLE (self->key_name_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "key-value", GTK_EDITABLE (self->key_value_row)));
      g_ptr_array_add (self->bindings, sonde_bind_enum_property (auth, "key-location", self->key_location_row, "selected"));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "username", GTK_EDITABLE (self->aws_access_key_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "password", GTK_EDITABLE (self->aws_secret_key_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "token", GTK_EDITABLE (self->aws_session_token_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "region", GTK_EDITABLE (self->aws_region_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "service", GTK_EDITABLE (self->aws_service_row)));
      g_ptr_array_add (self->bindings,
                       g_object_bind_property_full (auth, "oauth-grant", self->oauth_grant_row, "selected",
                                                    G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                    string_to_position, position_to_string, (gpointer) grants, NULL));
      g_ptr_array_add (self->bindings,
                       g_object_bind_property_full (auth, "client-auth", self->oauth_client_auth_row, "selected",
                                                    G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                    string_to_position, position_to_string, (gpointer) client_auths, NULL));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "auth-url", GTK_EDITABLE (self->oauth_auth_url_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "token-url", GTK_EDITABLE (self->oauth_token_url_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "client-id", GTK_EDITABLE (self->oauth_client_id_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "client-secret", GTK_EDITABLE (self->oauth_client_secret_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "username", GTK_EDITABLE (self->oauth_username_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "password", GTK_EDITABLE (self->oauth_password_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "scope", GTK_EDITABLE (self->oauth_scope_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "audience", GTK_EDITABLE (self->oauth_audience_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "token-header", GTK_EDITABLE (self->oauth_token_header_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "token-query", GTK_EDITABLE (self->oauth_token_query_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "extra-params", GTK_EDITABLE (self->oauth_extra_params_row)));
      self->grant_changed_id = g_signal_connect_object (auth, "notify::oauth-grant", G_CALLBACK (update_groups),
                                                        self, G_CONNECT_SWAPPED);
      self->kind_changed_id = g_signal_connect_object (auth, "notify::kind", G_CALLBACK (update_groups),
                                                       self, G_CONNECT_SWAPPED);
    }

  update_groups (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

void
sonde_auth_editor_set_variable_scope (SondeAuthEditor    *self,
                                      SondeVariableScope *scope)
{
  GtkEditable *rows[] = {
    GTK_EDITABLE (self->username_row), GTK_EDITABLE (self->password_row),
    GTK_EDITABLE (self->token_row), GTK_EDITABLE (self->key_name_row),
    GTK_EDITABLE (self->key_value_row), GTK_EDITABLE (self->aws_access_key_row),
    GTK_EDITABLE (self->aws_secret_key_row), GTK_EDITABLE (self->aws_session_token_row),
    GTK_EDITABLE (self->aws_region_row), GTK_EDITABLE (self->aws_service_row),
    GTK_EDITABLE (self->oauth_auth_url_row), GTK_EDITABLE (self->oauth_token_url_row),
    GTK_EDITABLE (self->oauth_client_id_row), GTK_EDITABLE (self->oauth_client_secret_row),
    GTK_EDITABLE (self->oauth_username_row), GTK_EDITABLE (self->oauth_password_row),
    GTK_EDITABLE (self->oauth_scope_row), GTK_EDITABLE (self->oauth_audience_row)
  };

  g_return_if_fail (SONDE_IS_AUTH_EDITOR (self));
  g_return_if_fail (scope == NULL || SONDE_IS_VARIABLE_SCOPE (scope));

  if (!g_set_object (&self->scope, scope))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    sonde_variable_highlight_editable (rows[i], scope);
}

gboolean
sonde_auth_editor_get_warn_secrets (SondeAuthEditor *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH_EDITOR (self), FALSE);

  return self->warn_secrets;
}

void
sonde_auth_editor_set_warn_secrets (SondeAuthEditor *self,
                                    gboolean         warn_secrets)
{
  g_return_if_fail (SONDE_IS_AUTH_EDITOR (self));

  warn_secrets = !!warn_secrets;
  if (self->warn_secrets == warn_secrets)
    return;

  self->warn_secrets = warn_secrets;
  update_secret_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARN_SECRETS]);
}

GtkWidget *
sonde_auth_editor_get_secret_button (SondeAuthEditor *self,
                                     const char      *field)
{
  g_return_val_if_fail (SONDE_IS_AUTH_EDITOR (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    if (g_strcmp0 (field, secret_fields[i].field) == 0)
      return self->secret_buttons[i];
  return NULL;
}

gboolean
sonde_auth_editor_replace_literal (SondeAuthEditor *self,
                                   const char      *field,
                                   const char      *value,
                                   const char      *name)
{
  g_return_val_if_fail (SONDE_IS_AUTH_EDITOR (self), FALSE);

  if (self->auth == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (secret_fields); i++)
    if (g_strcmp0 (field, secret_fields[i].field) == 0)
      {
        g_autofree char *current = NULL;
        g_autofree char *replaced = NULL;

        g_object_get (self->auth, secret_fields[i].property, &current, NULL);
        replaced = sonde_replace_literal (current, value, name);
        if (replaced == NULL)
          return FALSE;
        g_object_set (self->auth, secret_fields[i].property, replaced, NULL);
        return TRUE;
      }

  return FALSE;
}

/**
 * sonde_auth_editor_set_token_status:
 * @text: (nullable): what the OAuth 2.0 token row says, or %NULL for its hint
 *
 * Shows how "Get New Token" went; BUSY makes the button insensitive while it goes on.
 */
void
sonde_auth_editor_set_token_status (SondeAuthEditor *self,
                                    const char      *text,
                                    gboolean         is_error,
                                    gboolean         busy)
{
  g_return_if_fail (SONDE_IS_AUTH_EDITOR (self));

  gtk_widget_set_sensitive (self->oauth_get_button, !busy);
  self->token_status_set = text != NULL;
  if (text != NULL)
    adw_action_row_set_subtitle (self->oauth_token_row, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->oauth_token_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->oauth_token_row), "error");
  if (text == NULL)
    update_groups (self);
}

const char *
sonde_auth_editor_get_token_status (SondeAuthEditor *self)
{
  g_return_val_if_fail (SONDE_IS_AUTH_EDITOR (self), NULL);

  return adw_action_row_get_subtitle (self->oauth_token_row);
}
