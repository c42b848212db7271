/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-websocket-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-websocket-view.h"
#include "sonde-editor-utils.h"
#include "sonde-json-file.h"

struct _SondeWebsocketView
{
  GtkWidget           parent_instance;

  SondeWebsocket     *websocket;   /* owned */
  GtkSingleSelection *selection;   /* owned */
  gboolean            follow;      /* the log is scrolled to its end: keep it there */

  /* Template children */
  GtkWidget          *box;
  GtkLabel           *status_label;
  GtkLabel           *count_label;
  GtkLabel           *dropped_label;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
  GtkRevealer        *detail_revealer;
  GtkTextView        *detail_view;
  GtkTextView        *composer;
  GtkDropDown        *kind_dropdown;
  GtkLabel           *composer_error;
  GtkWidget          *send_button;
};

G_DEFINE_FINAL_TYPE (SondeWebsocketView, sonde_websocket_view, GTK_TYPE_WIDGET)

/* Frame rows */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *summary = gtk_label_new (NULL);
  GtkWidget *size = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_label_set_width_chars (GTK_LABEL (icon), 1);
  gtk_widget_add_css_class (icon, "heading");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_widget_add_css_class (time, "caption");
  gtk_label_set_xalign (GTK_LABEL (summary), 0);
  gtk_label_set_ellipsize (GTK_LABEL (summary), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (summary), TRUE);
  gtk_widget_set_hexpand (summary, TRUE);
  gtk_widget_add_css_class (summary, "monospace");
  gtk_widget_add_css_class (size, "dim-label");
  gtk_widget_add_css_class (size, "numeric");
  gtk_widget_add_css_class (size, "caption");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), time);
  gtk_box_append (GTK_BOX (box), summary);
  gtk_box_append (GTK_BOX (box), size);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  SondeFrame *frame = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *time = gtk_widget_get_next_sibling (icon);
  GtkWidget *summary = gtk_widget_get_next_sibling (time);
  GtkWidget *size = gtk_widget_get_next_sibling (summary);
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (sonde_frame_get_time (frame) / G_USEC_PER_SEC);
  g_autofree char *clock = g_date_time_format (local, "%H:%M:%S");
  g_autofree char *stamp = g_strdup_printf ("%s.%03d", clock, (int) (sonde_frame_get_time (frame) % G_USEC_PER_SEC / 1000));
  g_autofree char *text = sonde_frame_dup_summary (frame, 400);
  g_autofree char *bytes = NULL;
  const char *arrow;
  const char *style;
  const char *direction;
  gboolean data = sonde_frame_get_kind (frame) == SONDE_FRAME_TEXT || sonde_frame_get_kind (frame) == SONDE_FRAME_BINARY;

  switch (sonde_frame_get_direction (frame))
    {
    case SONDE_FRAME_SENT:
      arrow = "↑";
      style = "accent";
      direction = _("Sent");
      break;
    case SONDE_FRAME_RECEIVED:
      arrow = "↓";
      style = "success";
      direction = _("Received");
      break;
    case SONDE_FRAME_EVENT:
    default:
      arrow = "•";
      style = "dim-label";
      direction = NULL;
      break;
    }
  if (sonde_frame_get_kind (frame) == SONDE_FRAME_CLOSE)
    {
      arrow = "×";
      style = "dim-label";
    }
  gtk_label_set_text (GTK_LABEL (icon), arrow);
  gtk_widget_remove_css_class (icon, "accent");
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "dim-label");
  gtk_widget_add_css_class (icon, style);
  gtk_widget_set_tooltip_text (icon, direction);
  if (direction != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, direction, -1);

  /* One line each: what a multi-line message says shows below when it is selected */
  g_strdelimit (text, "\r\n\t", ' ');
  gtk_label_set_text (GTK_LABEL (time), stamp);
  gtk_label_set_text (GTK_LABEL (summary), text);
  if (data)
    bytes = g_format_size (sonde_frame_get_size (frame));
  gtk_label_set_text (GTK_LABEL (size), bytes != NULL ? bytes : "");
  gtk_widget_set_visible (size, bytes != NULL);

  if (sonde_frame_get_direction (frame) == SONDE_FRAME_EVENT)
    gtk_widget_add_css_class (summary, "dim-label");
  else
    gtk_widget_remove_css_class (summary, "dim-label");
}

/* The selected frame in full: JSON indented, binary as hex */
static char *
describe_frame (SondeFrame *frame)
{
  GBytes *data = sonde_frame_get_data (frame);

  if (sonde_frame_get_kind (frame) == SONDE_FRAME_BINARY && data != NULL)
    {
      gsize length;
      const guint8 *bytes = g_bytes_get_data (data, &length);
      gsize shown = MIN (length, 4096);
      g_autofree char *size = g_format_size_full (sonde_frame_get_size (frame), G_FORMAT_SIZE_LONG_FORMAT);
      GString *out = g_string_new (NULL);

      g_string_append_printf (out, _("Binary, %s"), size);
      g_string_append_c (out, '\n');
      for (gsize i = 0; i < shown; i += 16)
        {
          g_string_append_printf (out, "%08" G_GSIZE_MODIFIER "x ", i);
          for (gsize j = i; j < i + 16 && j < shown; j++)
            g_string_append_printf (out, " %02x", bytes[j]);
          g_string_append_c (out, '\n');
        }
      if (shown < sonde_frame_get_size (frame))
        g_string_append (out, "…\n");
      return g_string_free (out, FALSE);
    }

  if (sonde_frame_get_kind (frame) == SONDE_FRAME_TEXT && sonde_frame_get_text (frame) != NULL)
    {
      const char *text = sonde_frame_get_text (frame);
      g_autoptr(JsonParser) parser = json_parser_new ();

      if ((text[0] == '{' || text[0] == '[') && !sonde_frame_get_truncated (frame) &&
          json_parser_load_from_data (parser, text, -1, NULL))
        return sonde_json_pretty_print (json_parser_get_root (parser));
      if (sonde_frame_get_truncated (frame))
        {
          g_autofree char *kept = g_format_size (SONDE_FRAME_KEEP_SIZE);
          g_autofree char *size = g_format_size (sonde_frame_get_size (frame));

          /* Translators: the message's text, then "… (the first 1.0 MB of 4.2 MB are kept)" */
          return g_strdup_printf (_("%s\n… (the first %s of %s are kept)"), text, kept, size);
        }
      return g_strdup (text);
    }

  return sonde_frame_dup_summary (frame, 0);
}

static void
selection_changed_cb (SondeWebsocketView *self)
{
  SondeFrame *frame = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *text = frame != NULL ? describe_frame (frame) : NULL;

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->detail_view), text != NULL ? text : "", -1);
  gtk_revealer_set_reveal_child (self->detail_revealer, frame != NULL);
}

/* State */

static void
update_status (SondeWebsocketView *self)
{
  SondeResponse *handshake;
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  guint n;

  if (self->websocket == NULL)
    return;

  handshake = sonde_websocket_get_handshake (self->websocket);
  if (sonde_websocket_is_open (self->websocket))
    text = sonde_websocket_get_protocol (self->websocket) != NULL
           /* Translators: "Connected · graphql-ws" (a WebSocket subprotocol) */
           ? g_strdup_printf (_("Connected · %s"), sonde_websocket_get_protocol (self->websocket))
           : g_strdup (_("Connected"));
  else
    text = g_strdup (_("Disconnected"));
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), sonde_response_get_url (handshake));
  gtk_widget_set_sensitive (GTK_WIDGET (self->composer), sonde_websocket_is_open (self->websocket));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "websocket.send", sonde_websocket_is_open (self->websocket));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "websocket.send-file", sonde_websocket_is_open (self->websocket));

  n = sonde_websocket_get_n_received (self->websocket);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u received", "%u received", n), n);
  gtk_label_set_text (self->count_label, count);

  if (sonde_websocket_get_dropped (self->websocket) > 0)
    {
      g_autofree char *dropped = NULL;
      guint d = sonde_websocket_get_dropped (self->websocket);

      dropped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "The oldest %u entry was dropped: the log keeps the newest ones.",
                                              "The oldest %u entries were dropped: the log keeps the newest ones.", d),
                                 d);
      gtk_label_set_text (self->dropped_label, dropped);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->dropped_label), sonde_websocket_get_dropped (self->websocket) > 0);
}

static void
log_changed_cb (SondeWebsocketView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  /* Followed when the newest entry was in sight, as a chat does */
  self->follow = gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
                 gtk_adjustment_get_upper (adjustment) - 4;
  update_status (self);
}

static void
upper_changed_cb (SondeWebsocketView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  if (self->follow)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
}

static void
show_composer_error (SondeWebsocketView *self,
                     const GError       *error)
{
  gtk_label_set_text (self->composer_error, error != NULL ? error->message : "");
}

/* Actions */

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeWebsocketView *self = SONDE_WEBSOCKET_VIEW (widget);

  sonde_websocket_view_send (self);
}

static void
file_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SondeWebsocketView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_websocket_send_file_finish (SONDE_WEBSOCKET (object), result, &error) && self->websocket != NULL)
    show_composer_error (self, error);
}

static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  SondeWebsocketView *self = user_data;

  if (self->websocket == NULL)
    return;
  show_composer_error (self, NULL);
  sonde_websocket_send_file_async (self->websocket, file, NULL, file_sent_cb, g_object_ref (self));
}

static void
send_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  sonde_choose_file (widget, _("Choose a File to Send"), file_chosen_cb, widget);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SondeWebsocketView *self = SONDE_WEBSOCKET_VIEW (widget);

  if (self->websocket != NULL)
    sonde_websocket_clear_log (self->websocket);
}

static void
sonde_websocket_view_dispose (GObject *object)
{
  SondeWebsocketView *self = SONDE_WEBSOCKET_VIEW (object);

  sonde_websocket_view_set_websocket (self, NULL);
  g_clear_object (&self->selection);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_WEBSOCKET_VIEW);

  G_OBJECT_CLASS (sonde_websocket_view_parent_class)->dispose (object);
}

static void
sonde_websocket_view_class_init (SondeWebsocketViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_websocket_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-websocket-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, box);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, count_label);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, list_view);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, detail_revealer);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, detail_view);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, composer);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, composer_error);
  gtk_widget_class_bind_template_child (widget_class, SondeWebsocketView, send_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "websocket.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "websocket.send-file", NULL, send_file_action);
  gtk_widget_class_install_action (widget_class, "websocket.clear", NULL, clear_action);
}

static void
sonde_websocket_view_init (SondeWebsocketView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "notify::upper",
                           G_CALLBACK (upper_changed_cb), self, G_CONNECT_SWAPPED);
  self->follow = TRUE;

  sonde_text_view_follow_preferences (self->composer);
  sonde_text_view_follow_preferences (self->detail_view);
}

GtkWidget *
sonde_websocket_view_new (void)
{
  return g_object_new (SONDE_TYPE_WEBSOCKET_VIEW, NULL);
}

void
sonde_websocket_view_set_websocket (SondeWebsocketView *self,
                                    SondeWebsocket     *websocket)
{
  g_return_if_fail (SONDE_IS_WEBSOCKET_VIEW (self));
  g_return_if_fail (websocket == NULL || SONDE_IS_WEBSOCKET (websocket));

  if (self->websocket == websocket)
    return;

  if (self->websocket != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->websocket, self);
      g_signal_handlers_disconnect_by_data (sonde_websocket_get_log (self->websocket), self);
    }
  g_set_object (&self->websocket, websocket);
  if (self->selection != NULL)
    gtk_single_selection_set_model (self->selection, websocket != NULL ? sonde_websocket_get_log (websocket) : NULL);
  if (websocket == NULL)
    return;

  g_signal_connect_swapped (websocket, "notify::open", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (websocket, "notify::dropped", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (sonde_websocket_get_log (websocket), "items-changed", G_CALLBACK (log_changed_cb), self);
  self->follow = TRUE;
  show_composer_error (self, NULL);
  update_status (self);
}

SondeWebsocket *
sonde_websocket_view_get_websocket (SondeWebsocketView *self)
{
  g_return_val_if_fail (SONDE_IS_WEBSOCKET_VIEW (self), NULL);
  return self->websocket;
}

GtkTextView *
sonde_websocket_view_get_composer (SondeWebsocketView *self)
{
  g_return_val_if_fail (SONDE_IS_WEBSOCKET_VIEW (self), NULL);
  return self->composer;
}

void
sonde_websocket_view_set_kind (SondeWebsocketView        *self,
                               SondeWebsocketMessageKind  kind)
{
  g_return_if_fail (SONDE_IS_WEBSOCKET_VIEW (self));
  gtk_drop_down_set_selected (self->kind_dropdown, kind == SONDE_WEBSOCKET_MESSAGE_JSON ? 1 : 0);
}

gboolean
sonde_websocket_view_send (SondeWebsocketView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean sent;

  g_return_val_if_fail (SONDE_IS_WEBSOCKET_VIEW (self), FALSE);

  if (self->websocket == NULL)
    return FALSE;
  buffer = gtk_text_view_get_buffer (self->composer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  if (gtk_drop_down_get_selected (self->kind_dropdown) == 1)
    sent = sonde_websocket_send_json (self->websocket, text, &error);
  else
    sent = sonde_websocket_send_text (self->websocket, text, &error);
  show_composer_error (self, error);
  /* What was sent stays: the next message is often the same one, changed a little */
  if (sent)
    {
      self->follow = TRUE;
      gtk_text_buffer_select_range (buffer, &start, &end);
    }
  return sent;
}

void
sonde_websocket_view_show_error (SondeWebsocketView *self,
                                 const GError       *error)
{
  g_return_if_fail (SONDE_IS_WEBSOCKET_VIEW (self));
  show_composer_error (self, error);
}
