/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-history-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-history-row.h"

struct _SondeHistoryRow
{
  GtkBox             parent_instance;

  /* Owned */
  SondeHistoryEntry *entry;

  /* Template widgets */
  GtkLabel          *method_label;
  GtkLabel          *url_label;
  GtkLabel          *status_label;
  GtkLabel          *details_label;
  GtkLabel          *time_label;
  GtkMenuButton     *menu_button;
};

G_DEFINE_FINAL_TYPE (SondeHistoryRow, sonde_history_row, GTK_TYPE_BOX)

static const char * const method_classes[] = {
  "method-get", "method-post", "method-put", "method-patch", "method-delete", "method-other",
};

static const char * const status_classes[] = {
  "status-success", "status-redirect", "status-client-error", "status-server-error",
};

static const char *
method_get_css_class (const char *method)
{
  if (g_ascii_strcasecmp (method, "GET") == 0)
    return "method-get";
  if (g_ascii_strcasecmp (method, "POST") == 0)
    return "method-post";
  if (g_ascii_strcasecmp (method, "PUT") == 0)
    return "method-put";
  if (g_ascii_strcasecmp (method, "PATCH") == 0)
    return "method-patch";
  if (g_ascii_strcasecmp (method, "DELETE") == 0)
    return "method-delete";
  return "method-other";
}

static const char *
status_get_css_class (SondeHistoryEntry *entry)
{
  guint status = sonde_history_entry_get_status (entry);

  if (!sonde_history_entry_has_response (entry))
    return sonde_history_entry_get_error_message (entry) ? "status-server-error" : NULL;
  if (status >= 200 && status < 300)
    return "status-success";
  if (status >= 300 && status < 400)
    return "status-redirect";
  if (status >= 400 && status < 500)
    return "status-client-error";
  if (status >= 500 && status < 600)
    return "status-server-error";
  return NULL;
}

static void
set_one_css_class (GtkWidget          *widget,
                   const char * const *classes,
                   gsize               n_classes,
                   const char         *css_class)
{
  for (gsize i = 0; i < n_classes; i++)
    gtk_widget_remove_css_class (widget, classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (widget, css_class);
}

static char *
format_duration (double ms)
{
  if (ms < 0)
    return NULL;
  if (ms < 10000)
    return g_strdup_printf (_("%.0f ms"), ms);
  return g_strdup_printf (_("%.1f s"), ms / 1000);
}

static char *
format_time_ago (GDateTime *time,
                 GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  GTimeSpan age = g_date_time_difference (now, time);
  int minutes = (int) (age / G_TIME_SPAN_MINUTE);
  int hours = (int) (age / G_TIME_SPAN_HOUR);
  int days = (int) (age / G_TIME_SPAN_DAY);

  if (minutes < 1)
    return g_strdup (_("Just now"));
  if (hours < 1)
    return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", minutes), minutes);
  if (days < 1)
    return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", hours), hours);
  if (days < 7)
    return g_strdup_printf (ngettext ("%d day ago", "%d days ago", days), days);
  /* Translators: the date of an old request in the history, see strftime(3) */
  return g_date_time_format (local, _("%e %b %Y"));
}

static GMenuModel *
create_entry_menu (SondeHistoryEntry *entry)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  const char *id = sonde_history_entry_get_id (entry);
  g_autoptr(GMenuItem) open = g_menu_item_new (_("_Open"), NULL);
  g_autoptr(GMenuItem) save = g_menu_item_new (_("_Save to Collection…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete"), NULL);

  g_menu_item_set_action_and_target (open, "history.open", "s", id);
  g_menu_item_set_action_and_target (save, "history.save", "s", id);
  g_menu_item_set_action_and_target (delete, "history.delete", "s", id);
  g_menu_append_item (menu, open);
  g_menu_append_item (menu, save);
  g_menu_append_item (section, delete);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

  return G_MENU_MODEL (menu);
}

static char *
describe_entry (SondeHistoryEntry *entry)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (sonde_history_entry_get_time (entry));
  g_autofree char *when = g_date_time_format (local, "%c");
  GString *text = g_string_new (NULL);
  const char *name = sonde_history_entry_get_name (entry);
  const char *error = sonde_history_entry_get_error_message (entry);

  if (name != NULL)
    g_string_append_printf (text, "%s\n", name);
  g_string_append_printf (text, "%s %s\n%s",
                          sonde_history_entry_get_method (entry),
                          sonde_history_entry_get_url (entry),
                          when);
  if (error != NULL)
    g_string_append_printf (text, "\n%s", error);
  if (sonde_history_entry_get_body_truncated (entry))
    g_string_append_printf (text, "\n%s", _("The body was too large to keep whole"));

  return g_string_free (text, FALSE);
}

static void
show_url (SondeHistoryRow *self)
{
  const char *url = sonde_history_entry_get_url (self->entry);
  const char *name = sonde_history_entry_get_name (self->entry);

  /* The scheme goes (the tooltip has the whole URL): the narrow sidebar keeps the host and
   * the path's end */
  static const char * const schemes[] = { "https://", "http://", "wss://", "ws://" };

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_str_has_prefix (url, schemes[i]))
      {
        url += strlen (schemes[i]);
        break;
      }
  gtk_label_set_label (self->url_label, *url != '\0' ? url : (name ? name : ""));
}

static void
show_status (SondeHistoryRow *self)
{
  SondeHistoryEntry *entry = self->entry;
  g_autofree char *status = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *size = NULL;
  g_autofree char *details = NULL;

  if (sonde_history_entry_has_response (entry))
    {
      status = g_strdup_printf ("%u", sonde_history_entry_get_status (entry));
      duration = format_duration (sonde_history_entry_get_total_ms (entry));
      size = g_format_size (sonde_history_entry_get_body_size (entry));
      details = duration ? g_strdup_printf ("%s · %s", duration, size) : g_steal_pointer (&size);
    }
  else if (sonde_history_entry_get_error_message (entry) != NULL)
    /* Translators: in the history, a request that got no response */
    status = g_strdup (_("Failed"));
  else
    /* Translators: in the history, a request with no response and no error (cancelled) */
    status = g_strdup (_("No response"));

  gtk_label_set_label (self->status_label, status);
  set_one_css_class (GTK_WIDGET (self->status_label), status_classes, G_N_ELEMENTS (status_classes),
                     status_get_css_class (entry));
  gtk_label_set_label (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details != NULL);
}

static void
pressed_cb (SondeHistoryRow *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  if (self->entry == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_menu_button_popup (self->menu_button);
}

static void
sonde_history_row_dispose (GObject *object)
{
  SondeHistoryRow *self = SONDE_HISTORY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_HISTORY_ROW);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (sonde_history_row_parent_class)->dispose (object);
}

static void
sonde_history_row_class_init (SondeHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryRow, method_label);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryRow, url_label);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, pressed_cb);
}

static void
sonde_history_row_init (SondeHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sonde_history_row_new (void)
{
  return g_object_new (SONDE_TYPE_HISTORY_ROW, NULL);
}

SondeHistoryEntry *
sonde_history_row_get_entry (SondeHistoryRow *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_ROW (self), NULL);

  return self->entry;
}

void
sonde_history_row_set_entry (SondeHistoryRow   *self,
                             SondeHistoryEntry *entry)
{
  g_autoptr(GMenuModel) menu = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *tooltip = NULL;

  g_return_if_fail (SONDE_IS_HISTORY_ROW (self));
  g_return_if_fail (entry == NULL || SONDE_IS_HISTORY_ENTRY (entry));

  if (!g_set_object (&self->entry, entry))
    return;

  if (entry == NULL)
    {
      gtk_menu_button_set_menu_model (self->menu_button, NULL);
      return;
    }

  {
    const char *url = sonde_history_entry_get_url (entry);
    /* A WebSocket connection, as the method list says it */
    gboolean websocket = url != NULL && (g_ascii_strncasecmp (url, "ws://", 5) == 0 ||
                                         g_ascii_strncasecmp (url, "wss://", 6) == 0);

    gtk_label_set_label (self->method_label, websocket ? C_("method", "WS") : sonde_history_entry_get_method (entry));
    set_one_css_class (GTK_WIDGET (self->method_label), method_classes, G_N_ELEMENTS (method_classes),
                       websocket ? "method-other" : method_get_css_class (sonde_history_entry_get_method (entry)));
  }
  show_url (self);
  show_status (self);

  tooltip = describe_entry (entry);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  menu = create_entry_menu (entry);
  gtk_menu_button_set_menu_model (self->menu_button, menu);

  now = g_date_time_new_now_utc ();
  sonde_history_row_update_time (self, now);
}

void
sonde_history_row_update_time (SondeHistoryRow *self,
                               GDateTime       *now)
{
  g_autofree char *ago = NULL;

  g_return_if_fail (SONDE_IS_HISTORY_ROW (self));

  if (self->entry == NULL)
    return;

  ago = format_time_ago (sonde_history_entry_get_time (self->entry), now);
  gtk_label_set_label (self->time_label, ago);
}

void
sonde_history_row_popup_menu (SondeHistoryRow *self)
{
  g_return_if_fail (SONDE_IS_HISTORY_ROW (self));

  if (self->entry != NULL)
    gtk_menu_button_popup (self->menu_button);
}
