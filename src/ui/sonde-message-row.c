/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-message-row.h"
#include "sonde-editor-utils.h"

struct _SondeMessageRow
{
  GtkListBoxRow   parent_instance;

  JsonObject     *message;  /* owned, edited in place */
  SondeRequest   *request;  /* owned: chosen files are written relative to it */
  gboolean        filling;  /* the widgets take the object's values: no edit */

  /* Template children */
  GtkCheckButton *enabled;
  GtkDropDown    *kind;
  GtkEntry       *content;
  GtkButton      *choose;
  GtkButton      *send;
  GtkButton      *remove;
};

G_DEFINE_FINAL_TYPE (SondeMessageRow, sonde_message_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  EDITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The order of the dropdown's items */
static const char * const kinds[] = { "text", "json", "binary", NULL };

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
is_binary (SondeMessageRow *self)
{
  return g_strcmp0 (member_string (self->message, "type"), "binary") == 0;
}

static void
edited (SondeMessageRow *self)
{
  if (!self->filling)
    g_signal_emit (self, signals[EDITED], 0);
}

static void
update_for_kind (SondeMessageRow *self)
{
  gboolean binary = is_binary (self);
  const char *value = member_string (self->message, binary ? "file" : "text");

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->content), value != NULL ? value : "");
  self->filling = FALSE;
  gtk_entry_set_placeholder_text (self->content, binary ? _("File path, relative to the collection")
                                                        : _("Message, may hold {{variables}}"));
  gtk_widget_set_visible (GTK_WIDGET (self->choose), binary);
}

static void
enabled_toggled_cb (SondeMessageRow *self)
{
  if (self->filling)
    return;
  if (gtk_check_button_get_active (self->enabled))
    {
      if (json_object_has_member (self->message, "enabled"))
        json_object_remove_member (self->message, "enabled");
    }
  else
    json_object_set_boolean_member (self->message, "enabled", FALSE);
  edited (self);
}

static void
content_changed_cb (SondeMessageRow *self)
{
  if (self->filling)
    return;
  json_object_set_string_member (self->message, is_binary (self) ? "file" : "text",
                                 gtk_editable_get_text (GTK_EDITABLE (self->content)));
  edited (self);
}

static void
kind_selected_cb (SondeMessageRow *self)
{
  guint selected = gtk_drop_down_get_selected (self->kind);
  gboolean was_binary = is_binary (self);

  if (self->filling || selected == GTK_INVALID_LIST_POSITION || selected >= G_N_ELEMENTS (kinds) - 1)
    return;
  json_object_set_string_member (self->message, "type", kinds[selected]);
  /* A text becomes a file path (or back) only when typed again: the other is dropped */
  if (was_binary != is_binary (self))
    {
      json_object_remove_member (self->message, was_binary ? "file" : "text");
      json_object_set_string_member (self->message, was_binary ? "text" : "file", "");
    }
  update_for_kind (self);
  edited (self);
}

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  SondeMessageRow *self = user_data;
  g_autofree char *path = sonde_request_path_for_file (self->request, file);

  if (path != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->content), path);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sonde_choose_file (widget, _("Choose the File to Send"), file_chosen_cb, widget);
}

static void
send_clicked_cb (SondeMessageRow *self)
{
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));

  if (index >= 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.websocket-send-message", "u", (guint) index);
}

static void
remove_clicked_cb (SondeMessageRow *self)
{
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self));

  if (index >= 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "messages.remove-row", "u", (guint) index);
}

static void
sonde_message_row_dispose (GObject *object)
{
  SondeMessageRow *self = SONDE_MESSAGE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_MESSAGE_ROW);
  g_clear_pointer (&self->message, json_object_unref);
  g_clear_object (&self->request);

  G_OBJECT_CLASS (sonde_message_row_parent_class)->dispose (object);
}

static void
sonde_message_row_class_init (SondeMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_message_row_dispose;

  signals[EDITED] =
    g_signal_new ("edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeMessageRow, enabled);
  gtk_widget_class_bind_template_child (widget_class, SondeMessageRow, kind);
  gtk_widget_class_bind_template_child (widget_class, SondeMessageRow, content);
  gtk_widget_class_bind_template_child (widget_class, SondeMessageRow, choose);
  gtk_widget_class_bind_template_child (widget_class, SondeMessageRow, send);
  gtk_widget_class_bind_template_child (widget_class, SondeMessageRow, remove);
  gtk_widget_class_bind_template_callback (widget_class, enabled_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_install_action (widget_class, "message.choose-file", NULL, choose_file_action);
}

static void
sonde_message_row_init (SondeMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->kind, "notify::selected", G_CALLBACK (kind_selected_cb), self);
}

GtkWidget *
sonde_message_row_new (JsonObject   *message,
                       SondeRequest *request)
{
  SondeMessageRow *self = g_object_new (SONDE_TYPE_MESSAGE_ROW, NULL);
  const char *type = member_string (message, "type");
  JsonNode *enabled = json_object_get_member (message, "enabled");
  guint kind = 0;

  self->message = json_object_ref (message);
  self->request = g_object_ref (request);
  for (guint i = 0; type != NULL && kinds[i] != NULL; i++)
    if (g_str_equal (kinds[i], type))
      kind = i;

  self->filling = TRUE;
  gtk_check_button_set_active (self->enabled,
                               enabled == NULL || !JSON_NODE_HOLDS_VALUE (enabled) ||
                               json_node_get_value_type (enabled) != G_TYPE_BOOLEAN || json_node_get_boolean (enabled));
  gtk_drop_down_set_selected (self->kind, kind);
  self->filling = FALSE;
  update_for_kind (self);
  return GTK_WIDGET (self);
}

JsonObject *
sonde_message_row_get_json (SondeMessageRow *self)
{
  g_return_val_if_fail (SONDE_IS_MESSAGE_ROW (self), NULL);
  return self->message;
}

void
sonde_message_row_set_connected (SondeMessageRow *self,
                                 gboolean         connected)
{
  g_return_if_fail (SONDE_IS_MESSAGE_ROW (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->send), connected);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send), connected ? _("Send this message now")
                                                                  : _("Send this message now (connect first)"));
}

GtkWidget *
sonde_message_row_get_field (SondeMessageRow *self,
                             const char      *field)
{
  struct { const char *name; gsize offset; } fields[] = {
    { "enabled", G_STRUCT_OFFSET (SondeMessageRow, enabled) },
    { "kind", G_STRUCT_OFFSET (SondeMessageRow, kind) },
    { "content", G_STRUCT_OFFSET (SondeMessageRow, content) },
    { "choose", G_STRUCT_OFFSET (SondeMessageRow, choose) },
    { "send", G_STRUCT_OFFSET (SondeMessageRow, send) },
    { "remove", G_STRUCT_OFFSET (SondeMessageRow, remove) },
  };

  g_return_val_if_fail (SONDE_IS_MESSAGE_ROW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, field))
      return G_STRUCT_MEMBER (GtkWidget *, self, fields[i].offset);
  g_return_val_if_reached (NULL);
}
