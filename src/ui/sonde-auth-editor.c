/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-auth-editor"

#include "config.h"

#include "sonde-auth-editor.h"
#include "sonde-editor-utils.h"

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

  /* Owned */
  SondeAuth *auth;
  GPtrArray *bindings;
  gulong kind_changed_id;
};

G_DEFINE_FINAL_TYPE (SondeAuthEditor, sonde_auth_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_AUTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_groups (SondeAuthEditor *self)
{
  SondeAuthKind kind = self->auth != NULL ? sonde_auth_get_kind (self->auth) : SONDE_AUTH_NONE;

  gtk_widget_set_visible (GTK_WIDGET (self->password_group),
                          kind == SONDE_AUTH_BASIC || kind == SONDE_AUTH_DIGEST);
  gtk_widget_set_visible (GTK_WIDGET (self->bearer_group), kind == SONDE_AUTH_BEARER);
  gtk_widget_set_visible (GTK_WIDGET (self->api_key_group), kind == SONDE_AUTH_API_KEY);
}

static void
unbind_all (SondeAuthEditor *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);

  if (self->auth != NULL)
    g_clear_signal_handler (&self->kind_changed_id, self->auth);
}

static void
sonde_auth_editor_dispose (GObject *object)
{
  SondeAuthEditor *self = SONDE_AUTH_EDITOR (object);
  GtkWidget *child;

  unbind_all (self);
  g_clear_object (&self->auth);

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
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sonde_auth_editor_init (SondeAuthEditor *self)
{
  self->bindings = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
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
      g_ptr_array_add (self->bindings, sonde_bind_enum_property (auth, "kind", self->kind_row, "selected"));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "username", GTK_EDITABLE (self->username_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "password", GTK_EDITABLE (self->password_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "token", GTK_EDITABLE (self->token_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "key-name", GTK_EDITABLE (self->key_name_row)));
      g_ptr_array_add (self->bindings, sonde_bind_string_property (auth, "key-value", GTK_EDITABLE (self->key_value_row)));
      g_ptr_array_add (self->bindings, sonde_bind_enum_property (auth, "key-location", self->key_location_row, "selected"));
      self->kind_changed_id = g_signal_connect_object (auth, "notify::kind", G_CALLBACK (update_groups),
                                                       self, G_CONNECT_SWAPPED);
    }

  update_groups (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}
