/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-check-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-check-row.h"
#include "sonde-json-file.h"

struct _SondeCheckRow
{
  GtkListBoxRow         parent_instance;

  SondeCheckEditorMode  mode;
  JsonObject           *row;      /* owned, edited in place */
  gboolean              filling;  /* the widgets take the row's values: no edit */

  /* Template children */
  GtkCheckButton       *enabled;
  GtkEntry             *variable;
  GtkDropDown          *source;
  GtkEntry             *target;
  GtkDropDown          *op;
  GtkEntry             *value;
  GtkCheckButton       *secret;
  GtkButton            *remove;
};

G_DEFINE_FINAL_TYPE (SondeCheckRow, sonde_check_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  EDITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
index_of (const char * const *strings,
          const char         *value)
{
  for (guint i = 0; value != NULL && strings[i] != NULL; i++)
    if (g_str_equal (strings[i], value))
      return i;
  return 0;
}

static const char *
member_string (JsonObject *row,
               const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
member_boolean (JsonObject *row,
                const char *name,
                gboolean    fallback)
{
  JsonNode *node = json_object_get_member (row, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static void
set_or_remove (JsonObject *row,
               const char *name,
               const char *value)
{
  sonde_json_object_set_or_remove (row, name,
                                   value != NULL && value[0] != '\0' ? json_node_init_string (json_node_alloc (), value)
                                                                      : NULL);
}

static void
edited (SondeCheckRow *self)
{
  if (!self->filling)
    g_signal_emit (self, signals[EDITED], 0);
}

/* What shows depends on the source (a name, a path or nothing) and the operator (a value or
 * not). */
static void
update_visibility (SondeCheckRow *self)
{
  const char *source = member_string (self->row, "source");
  const char *op = member_string (self->row, "op");
  gboolean named = g_strcmp0 (source, "header") == 0 || g_strcmp0 (source, "cookie") == 0;
  gboolean pathed = g_strcmp0 (source, "jsonpath") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->target), named || pathed);
  gtk_entry_set_placeholder_text (self->target, pathed ? _("$.path") : _("Name"));
  if (self->mode == SONDE_CHECK_EDITOR_CHECKS)
    gtk_widget_set_visible (GTK_WIDGET (self->value),
                            op == NULL || !(g_str_has_prefix (op, "is") || g_str_equal (op, "exists") ||
                                            g_str_equal (op, "notExists")));
}

static void
enabled_toggled_cb (SondeCheckRow *self)
{
  if (self->filling)
    return;
  if (gtk_check_button_get_active (self->enabled))
    {
      if (json_object_has_member (self->row, "enabled"))
        json_object_remove_member (self->row, "enabled");
    }
  else
    json_object_set_boolean_member (self->row, "enabled", FALSE);
  edited (self);
}

static void
secret_toggled_cb (SondeCheckRow *self)
{
  if (self->filling)
    return;
  if (gtk_check_button_get_active (self->secret))
    json_object_set_boolean_member (self->row, "secret", TRUE);
  else if (json_object_has_member (self->row, "secret"))
    json_object_remove_member (self->row, "secret");
  edited (self);
}

static void
entry_changed_cb (SondeCheckRow *self,
                  GtkEditable   *entry)
{
  const char *text = gtk_editable_get_text (entry);
  const char *field;

  if (self->filling)
    return;
  if (entry == GTK_EDITABLE (self->variable))
    field = "variable";
  else if (entry == GTK_EDITABLE (self->value))
    field = "value";
  else
    /* The target is a header or cookie name, or a JSONPath, by source. */
    field = g_strcmp0 (member_string (self->row, "source"), "jsonpath") == 0 ? "path" : "name";

  set_or_remove (self->row, field, text);
  edited (self);
}

static void
source_selected_cb (SondeCheckRow *self)
{
  const char * const *sources = sonde_check_sources ();
  guint selected = gtk_drop_down_get_selected (self->source);
  const char *source;

  if (self->filling || selected == GTK_INVALID_LIST_POSITION)
    return;
  source = sources[selected];
  json_object_set_string_member (self->row, "source", source);
  /* A source without a name or path drops the other's. */
  if (!g_str_equal (source, "jsonpath") && json_object_has_member (self->row, "path"))
    json_object_remove_member (self->row, "path");
  if (!g_str_equal (source, "header") && !g_str_equal (source, "cookie") &&
      json_object_has_member (self->row, "name"))
    json_object_remove_member (self->row, "name");
  update_visibility (self);
  edited (self);
}

static void
op_selected_cb (SondeCheckRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->op);

  if (self->filling || selected == GTK_INVALID_LIST_POSITION)
    return;
  json_object_set_string_member (self->row, "op", sonde_check_operators ()[selected]);
  update_visibility (self);
  edited (self);
}

/* What Remove asks of the editor: checks.remove-row (u) with the row's index. */
static void
remove_clicked_cb (SondeCheckRow *self)
{
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));

  if (index >= 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "checks.remove-row", "u", (guint) index);
}

static void
sonde_check_row_dispose (GObject *object)
{
  SondeCheckRow *self = SONDE_CHECK_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_CHECK_ROW);
  g_clear_pointer (&self->row, json_object_unref);

  G_OBJECT_CLASS (sonde_check_row_parent_class)->dispose (object);
}

static void
sonde_check_row_class_init (SondeCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_check_row_dispose;

  /* The row's object was changed by the user. */
  signals[EDITED] =
    g_signal_new ("edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeCheckRow, enabled);
  gtk_widget_class_bind_template_child (widget_class, SondeCheckRow, variable);
  gtk_widget_class_bind_template_child (widget_class, SondeCheckRow, source);
  gtk_widget_class_bind_template_child (widget_class, SondeCheckRow, target);
  gtk_widget_class_bind_template_child (widget_class, SondeCheckRow, op);
  gtk_widget_class_bind_template_child (widget_class, SondeCheckRow, value);
  gtk_widget_class_bind_template_child (widget_class, SondeCheckRow, secret);
  gtk_widget_class_bind_template_child (widget_class, SondeCheckRow, remove);
  gtk_widget_class_bind_template_callback (widget_class, enabled_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
sonde_check_row_init (SondeCheckRow *self)
{
  g_autoptr(GtkStringList) sources = gtk_string_list_new (sonde_check_sources ());
  g_autoptr(GtkStringList) operators = gtk_string_list_new (sonde_check_operators ());

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->source, G_LIST_MODEL (sources));
  gtk_drop_down_set_model (self->op, G_LIST_MODEL (operators));
  g_signal_connect_swapped (self->source, "notify::selected", G_CALLBACK (source_selected_cb), self);
  g_signal_connect_swapped (self->op, "notify::selected", G_CALLBACK (op_selected_cb), self);
}

GtkWidget *
sonde_check_row_new (SondeCheckEditorMode  mode,
                     JsonObject           *row)
{
  SondeCheckRow *self = g_object_new (SONDE_TYPE_CHECK_ROW, NULL);
  const char *source = member_string (row, "source");
  const char *target = g_strcmp0 (source, "jsonpath") == 0 ? member_string (row, "path")
                                                           : member_string (row, "name");
  gboolean checks = mode == SONDE_CHECK_EDITOR_CHECKS;

  self->mode = mode;
  self->row = json_object_ref (row);

  self->filling = TRUE;
  gtk_check_button_set_active (self->enabled, member_boolean (row, "enabled", TRUE));
  gtk_drop_down_set_selected (self->source, index_of (sonde_check_sources (), source));
  gtk_editable_set_text (GTK_EDITABLE (self->target), target != NULL ? target : "");
  gtk_widget_set_visible (GTK_WIDGET (self->variable), !checks);
  gtk_widget_set_visible (GTK_WIDGET (self->secret), !checks);
  gtk_widget_set_visible (GTK_WIDGET (self->op), checks);
  if (checks)
    {
      const char *value = member_string (row, "value");

      gtk_drop_down_set_selected (self->op, index_of (sonde_check_operators (), member_string (row, "op")));
      gtk_editable_set_text (GTK_EDITABLE (self->value), value != NULL ? value : "");
    }
  else
    {
      const char *variable = member_string (row, "variable");

      gtk_editable_set_text (GTK_EDITABLE (self->variable), variable != NULL ? variable : "");
      gtk_check_button_set_active (self->secret, member_boolean (row, "secret", FALSE));
    }
  self->filling = FALSE;

  update_visibility (self);
  return GTK_WIDGET (self);
}

JsonObject *
sonde_check_row_get_json (SondeCheckRow *self)
{
  g_return_val_if_fail (SONDE_IS_CHECK_ROW (self), NULL);

  return self->row;
}

GtkWidget *
sonde_check_row_get_field (SondeCheckRow *self,
                           const char    *field)
{
  struct { const char *name; gsize offset; } fields[] = {
    { "enabled", G_STRUCT_OFFSET (SondeCheckRow, enabled) },
    { "variable", G_STRUCT_OFFSET (SondeCheckRow, variable) },
    { "source", G_STRUCT_OFFSET (SondeCheckRow, source) },
    { "target", G_STRUCT_OFFSET (SondeCheckRow, target) },
    { "op", G_STRUCT_OFFSET (SondeCheckRow, op) },
    { "value", G_STRUCT_OFFSET (SondeCheckRow, value) },
    { "secret", G_STRUCT_OFFSET (SondeCheckRow, secret) },
    { "remove", G_STRUCT_OFFSET (SondeCheckRow, remove) },
  };

  g_return_val_if_fail (SONDE_IS_CHECK_ROW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, field))
      return G_STRUCT_MEMBER (GtkWidget *, self, fields[i].offset);
  g_return_val_if_reached (NULL);
}
