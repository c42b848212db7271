/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-environment-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-environment-row.h"

struct _SondeEnvironmentRow
{
  GtkListBoxRow    parent_instance;

  /* Owned */
  SondeKeyValue   *original;

  /* Template widgets */
  GtkEditable     *name_entry;
  GtkStack        *value_stack;
  GtkEditable     *plain_entry;
  GtkEditable     *masked_entry;
  GtkToggleButton *secret_button;
};

G_DEFINE_FINAL_TYPE (SondeEnvironmentRow, sonde_environment_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkEditable *
get_value_entry (SondeEnvironmentRow *self)
{
  return gtk_toggle_button_get_active (self->secret_button) ? self->masked_entry : self->plain_entry;
}

static void
show_secret (SondeEnvironmentRow *self)
{
  gboolean secret = gtk_toggle_button_get_active (self->secret_button);

  gtk_stack_set_visible_child (self->value_stack, GTK_WIDGET (get_value_entry (self)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->secret_button),
                               secret ? _("Secret: kept in the keyring")
                                      : _("Not secret: saved in the environment file"));
}

static void
entry_changed_cb (SondeEnvironmentRow *self,
                  GtkEditable         *editable)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The value moves to the entry shown. */
static void
secret_toggled_cb (SondeEnvironmentRow *self,
                   GtkToggleButton     *toggle)
{
  if (gtk_toggle_button_get_active (toggle))
    gtk_editable_set_text (self->masked_entry, gtk_editable_get_text (self->plain_entry));
  else
    gtk_editable_set_text (self->plain_entry, gtk_editable_get_text (self->masked_entry));
  show_secret (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_autoptr(SondeEnvironmentRow) self = g_object_ref (SONDE_ENVIRONMENT_ROW (widget));
  GtkWidget *list_box = gtk_widget_get_parent (widget);

  if (!GTK_IS_LIST_BOX (list_box))
    return;

  gtk_list_box_remove (GTK_LIST_BOX (list_box), widget);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
sonde_environment_row_dispose (GObject *object)
{
  SondeEnvironmentRow *self = SONDE_ENVIRONMENT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_ENVIRONMENT_ROW);
  g_clear_object (&self->original);

  G_OBJECT_CLASS (sonde_environment_row_parent_class)->dispose (object);
}

static void
sonde_environment_row_class_init (SondeEnvironmentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_environment_row_dispose;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-environment-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentRow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentRow, value_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentRow, plain_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentRow, masked_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeEnvironmentRow, secret_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_toggled_cb);

  gtk_widget_class_install_action (widget_class, "variable.remove", NULL, remove_action);
}

static void
sonde_environment_row_init (SondeEnvironmentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  show_secret (self);
}

GtkWidget *
sonde_environment_row_new (const char    *name,
                           const char    *value,
                           gboolean       secret,
                           SondeKeyValue *original)
{
  SondeEnvironmentRow *self;

  g_return_val_if_fail (original == NULL || SONDE_IS_KEY_VALUE (original), NULL);

  self = g_object_new (SONDE_TYPE_ENVIRONMENT_ROW, NULL);
  self->original = original != NULL ? g_object_ref (original) : NULL;
  gtk_editable_set_text (self->name_entry, name != NULL ? name : "");
  gtk_toggle_button_set_active (self->secret_button, secret);
  gtk_editable_set_text (get_value_entry (self), value != NULL ? value : "");

  return GTK_WIDGET (self);
}

SondeKeyValue *
sonde_environment_row_get_original (SondeEnvironmentRow *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT_ROW (self), NULL);

  return self->original;
}

const char *
sonde_environment_row_get_name (SondeEnvironmentRow *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT_ROW (self), NULL);

  return gtk_editable_get_text (self->name_entry);
}

GtkWidget *
sonde_environment_row_get_name_entry (SondeEnvironmentRow *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT_ROW (self), NULL);

  return GTK_WIDGET (self->name_entry);
}

const char *
sonde_environment_row_get_value (SondeEnvironmentRow *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT_ROW (self), NULL);

  return gtk_editable_get_text (get_value_entry (self));
}

gboolean
sonde_environment_row_get_secret (SondeEnvironmentRow *self)
{
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT_ROW (self), FALSE);

  return gtk_toggle_button_get_active (self->secret_button);
}

void
sonde_environment_row_fill_secret (SondeEnvironmentRow *self,
                                   const char          *value)
{
  g_return_if_fail (SONDE_IS_ENVIRONMENT_ROW (self));

  if (*gtk_editable_get_text (self->masked_entry) == '\0')
    gtk_editable_set_text (self->masked_entry, value);
}
