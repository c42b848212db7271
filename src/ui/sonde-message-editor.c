/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-message-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-message-editor.h"
#include "sonde-editor-utils.h"
#include "sonde-json-file.h"
#include "sonde-message-row.h"

struct _SondeMessageEditor
{
  GtkWidget       parent_instance;

  SondeKeptRows   kept;      /* the messages as in the file, edited in place */
  gboolean        connected;

  /* Children */
  GtkWidget      *box;
  GtkEntry       *subprotocols;
  GtkSpinButton  *keepalive;
  GtkListBox     *list;
  GtkWidget      *empty_label;
  GtkWidget      *send_all;
};

G_DEFINE_FINAL_TYPE (SondeMessageEditor, sonde_message_editor, GTK_TYPE_WIDGET)

/* The request's kept keys with the tab's three, the others as they were. */
static void
write_back (SondeMessageEditor *self)
{
  g_autoptr(JsonObject) copy = NULL;
  g_auto(GStrv) names = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->subprotocols)), ", ", -1);
  JsonArray *protocols = json_array_new ();
  JsonArray *messages = json_array_new ();
  guint keepalive = gtk_spin_button_get_value_as_int (self->keepalive);

  for (guint i = 0; names[i] != NULL; i++)
    if (names[i][0] != '\0')
      json_array_add_string_element (protocols, names[i]);
  for (guint i = 0; i < self->kept.rows->len; i++)
    json_array_add_object_element (messages, json_object_ref (self->kept.rows->pdata[i]));

  /* The order of the file's keys stays: ours are replaced where they were */
  copy = sonde_json_object_copy_except (sonde_request_get_extra (self->kept.request), NULL);
  sonde_json_object_set_or_remove (copy, "subprotocols",
                 json_array_get_length (protocols) > 0 ? json_node_init_array (json_node_alloc (), protocols) : NULL);
  sonde_json_object_set_or_remove (copy, "keepalive",
                 keepalive != SONDE_WEBSOCKET_DEFAULT_KEEPALIVE ? json_node_init_int (json_node_alloc (), keepalive) : NULL);
  sonde_json_object_set_or_remove (copy, "messages",
                 json_array_get_length (messages) > 0 ? json_node_init_array (json_node_alloc (), messages) : NULL);
  json_array_unref (protocols);
  json_array_unref (messages);
  sonde_kept_rows_store (&self->kept, copy);
}

static void
update_empty (SondeMessageEditor *self)
{
  guint n_rows = self->kept.rows->len;

  gtk_widget_set_visible (self->empty_label, n_rows == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), n_rows > 0);
  gtk_widget_set_sensitive (self->send_all, self->connected && n_rows > 0);
}

static void
append_row (SondeMessageEditor *self,
            JsonObject         *message)
{
  GtkWidget *row = sonde_message_row_new (message, self->kept.request);

  sonde_message_row_set_connected (SONDE_MESSAGE_ROW (row), self->connected);
  g_signal_connect_swapped (row, "edited", G_CALLBACK (write_back), self);
  gtk_list_box_append (self->list, row);
}

/* messages.remove-row (u): what a row's Remove button asks for. */
static void
remove_row_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeMessageEditor *self = SONDE_MESSAGE_EDITOR (widget);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) g_variant_get_uint32 (parameter));

  if (row == NULL)
    return;
  g_ptr_array_remove (self->kept.rows, sonde_message_row_get_json (SONDE_MESSAGE_ROW (row)));
  gtk_list_box_remove (self->list, GTK_WIDGET (row));
  update_empty (self);
  write_back (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SondeMessageEditor *self = SONDE_MESSAGE_EDITOR (widget);
  JsonObject *message;
  GtkListBoxRow *row;

  if (self->kept.request == NULL)
    return;
  message = json_object_new ();
  json_object_set_string_member (message, "type", "text");
  json_object_set_string_member (message, "text", "");
  g_ptr_array_add (self->kept.rows, message);
  append_row (self, message);
  update_empty (self);
  write_back (self);

  /* Typing starts in the new message */
  row = gtk_list_box_get_row_at_index (self->list, self->kept.rows->len - 1);
  gtk_widget_grab_focus (sonde_message_row_get_field (SONDE_MESSAGE_ROW (row), "content"));
}

static void
rebuild (gpointer owner)
{
  SondeMessageEditor *self = owner;
  JsonObject *extra = self->kept.request != NULL ? sonde_request_get_extra (self->kept.request) : NULL;
  g_auto(GStrv) subprotocols = NULL;
  guint keepalive = SONDE_WEBSOCKET_DEFAULT_KEEPALIVE;
  g_autofree char *protocols_text = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  /* A key of the wrong type shows as nothing here; sending says what is wrong with it */
  if (extra != NULL && !sonde_websocket_read_settings (extra, &subprotocols, &keepalive, NULL, NULL))
    keepalive = SONDE_WEBSOCKET_DEFAULT_KEEPALIVE;
  sonde_kept_rows_read (&self->kept, "messages");
  for (guint i = 0; i < self->kept.rows->len; i++)
    append_row (self, self->kept.rows->pdata[i]);

  self->kept.updating = TRUE;
  protocols_text = subprotocols != NULL ? g_strjoinv (", ", subprotocols) : g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->subprotocols), protocols_text);
  gtk_spin_button_set_value (self->keepalive, keepalive);
  self->kept.updating = FALSE;
  update_empty (self);
}

static void
setting_changed_cb (SondeMessageEditor *self)
{
  if (!self->kept.updating && self->kept.request != NULL)
    write_back (self);
}

static void
sonde_message_editor_dispose (GObject *object)
{
  SondeMessageEditor *self = SONDE_MESSAGE_EDITOR (object);

  sonde_kept_rows_clear (&self->kept);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (sonde_message_editor_parent_class)->dispose (object);
}

static void
sonde_message_editor_class_init (SondeMessageEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_message_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "messages.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "messages.remove-row", "u", remove_row_action);
}

static GtkWidget *
caption (const char *text,
         GtkWidget  *mnemonic_widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic_widget);
  return label;
}

static void
sonde_message_editor_init (SondeMessageEditor *self)
{
  GtkWidget *inner = sonde_list_page_new (GTK_WIDGET (self), &self->box);
  GtkWidget *settings = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Message"));
  GtkWidget *seconds = gtk_label_new (_("seconds"));

  sonde_kept_rows_init (&self->kept, rebuild, self);

  self->subprotocols = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->subprotocols), TRUE);
  gtk_entry_set_placeholder_text (self->subprotocols, _("None, or names such as graphql-transport-ws"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subprotocols),
                               _("The subprotocols to offer, separated by commas; the server picks one"));
  self->keepalive = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 86400, 5));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->keepalive),
                               _("Seconds between pings that keep the connection open (0: none)"));
  gtk_widget_add_css_class (seconds, "dim-label");
  gtk_box_append (GTK_BOX (settings), caption (_("_Subprotocols"), GTK_WIDGET (self->subprotocols)));
  gtk_box_append (GTK_BOX (settings), GTK_WIDGET (self->subprotocols));
  gtk_box_append (GTK_BOX (settings), caption (_("_Keep-alive"), GTK_WIDGET (self->keepalive)));
  gtk_box_append (GTK_BOX (settings), GTK_WIDGET (self->keepalive));
  gtk_box_append (GTK_BOX (settings), seconds);
  gtk_box_append (GTK_BOX (inner), settings);
  g_signal_connect_swapped (self->subprotocols, "changed", G_CALLBACK (setting_changed_cb), self);
  g_signal_connect_swapped (self->keepalive, "value-changed", G_CALLBACK (setting_changed_cb), self);

  self->empty_label = gtk_label_new (_("No saved messages: add the messages this request sends once connected. "
                                       "Send All sends them in order, and so does sonde-cli send."));
  gtk_widget_add_css_class (self->empty_label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (self->empty_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->empty_label), 0);
  gtk_box_append (GTK_BOX (inner), self->empty_label);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_box_append (GTK_BOX (inner), GTK_WIDGET (self->list));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "messages.add");
  self->send_all = gtk_button_new_with_mnemonic (_("Send A_ll"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->send_all), "win.websocket-send-all");
  gtk_widget_set_tooltip_text (self->send_all, _("Send the checked messages in order (connect first)"));
  gtk_box_append (GTK_BOX (buttons), add);
  gtk_box_append (GTK_BOX (buttons), self->send_all);
  gtk_box_append (GTK_BOX (inner), buttons);
  update_empty (self);
}

GtkWidget *
sonde_message_editor_new (void)
{
  return g_object_new (SONDE_TYPE_MESSAGE_EDITOR, NULL);
}

void
sonde_message_editor_set_request (SondeMessageEditor *self,
                                  SondeRequest       *request)
{
  g_return_if_fail (SONDE_IS_MESSAGE_EDITOR (self));

  sonde_kept_rows_set_request (&self->kept, request);
}

void
sonde_message_editor_set_connected (SondeMessageEditor *self,
                                    gboolean            connected)
{
  g_return_if_fail (SONDE_IS_MESSAGE_EDITOR (self));

  self->connected = connected;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (SONDE_IS_MESSAGE_ROW (row))
      sonde_message_row_set_connected (SONDE_MESSAGE_ROW (row), connected);
  update_empty (self);
}

GtkListBox *
sonde_message_editor_get_list (SondeMessageEditor *self)
{
  g_return_val_if_fail (SONDE_IS_MESSAGE_EDITOR (self), NULL);
  return self->list;
}

GtkEditable *
sonde_message_editor_get_subprotocols_entry (SondeMessageEditor *self)
{
  g_return_val_if_fail (SONDE_IS_MESSAGE_EDITOR (self), NULL);
  return GTK_EDITABLE (self->subprotocols);
}
