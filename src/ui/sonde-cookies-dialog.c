/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-cookies-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-cookies-dialog.h"

/* The cookies a jar holds (a collection's, or a lone request file's): see them with their
 * domain, path, expiry and flags, change a value, delete one, clear them all. The list
 * follows the jar as responses change it. */

struct _SondeCookiesDialog
{
  AdwWindow             parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwPreferencesGroup  *group;
  GtkWidget            *clear_button;
  GPtrArray            *rows;   /* the rows in GROUP */
  GPtrArray            *cleared;   /* what the last Clear All removed, for Undo */

  SondeCookieStore     *store;
  int                   refresh_queued;   /* atomic */
};

G_DEFINE_FINAL_TYPE (SondeCookiesDialog, sonde_cookies_dialog, ADW_TYPE_WINDOW)

static void refresh (SondeCookiesDialog *self);

static char *
describe (SoupCookie *cookie)
{
  GDateTime *expires = soup_cookie_get_expires (cookie);
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s%s", soup_cookie_get_domain (cookie), soup_cookie_get_path (cookie));
  if (expires != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (expires);
      g_autofree char *date = g_date_time_format (local, "%x %X");

      /* Translators: when a cookie expires: " · until 03/12/2026 10:00:00" */
      g_string_append_printf (text, _(" · until %s"), date);
    }
  else
    g_string_append (text, _(" · this session"));
  if (soup_cookie_get_secure (cookie))
    g_string_append (text, _(" · Secure"));
  if (soup_cookie_get_http_only (cookie))
    g_string_append (text, _(" · HttpOnly"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* cookies.delete (sss): a cookie's name, domain and path */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeCookiesDialog *self = SONDE_COOKIES_DIALOG (widget);
  const char *name, *domain, *path;

  g_variant_get (parameter, "(&s&s&s)", &name, &domain, &path);
  sonde_cookie_store_remove_cookie (self->store, name, domain, path);
}

/* What a value row changes: its dialog's cookie of this name, domain and path. */
typedef struct
{
  SondeCookiesDialog *self;   /* the dialog outlives its rows */
  SoupCookie         *cookie;
} ValueTarget;

static void
value_target_free (gpointer  data,
                   GClosure *closure)
{
  ValueTarget *target = data;

  soup_cookie_free (target->cookie);
  g_free (target);
}

static void
value_applied_cb (AdwEntryRow *row,
                  ValueTarget *target)
{
  const char *value = gtk_editable_get_text (GTK_EDITABLE (row));
  SoupCookie *cookie = target->cookie;

  if (strpbrk (value, ";\r\n") != NULL)
    {
      adw_toast_overlay_add_toast (target->self->toast_overlay,
                                   adw_toast_new (_("A cookie value cannot hold “;” or a line break")));
      return;
    }
  sonde_cookie_store_set_value (target->self->store, soup_cookie_get_name (cookie), soup_cookie_get_domain (cookie),
                                soup_cookie_get_path (cookie), value);
}

static GtkWidget *
cookie_row (SondeCookiesDialog *self,
            SoupCookie         *cookie)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *value_row = adw_entry_row_new ();
  GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *subtitle = describe (cookie);
  ValueTarget *target = g_new0 (ValueTarget, 1);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), soup_cookie_get_name (cookie));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

  gtk_widget_set_valign (delete, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (delete, "flat");
  gtk_widget_set_tooltip_text (delete, _("Delete this cookie"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (delete), "cookies.delete");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (delete), "(sss)", soup_cookie_get_name (cookie),
                                    soup_cookie_get_domain (cookie), soup_cookie_get_path (cookie));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), delete);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (value_row), _("Value"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (value_row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (value_row), soup_cookie_get_value (cookie));
  target->self = self;
  target->cookie = soup_cookie_copy (cookie);
  g_signal_connect_data (value_row, "apply", G_CALLBACK (value_applied_cb), target, value_target_free, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), value_row);
  return row;
}

static void
refresh (SondeCookiesDialog *self)
{
  g_autoptr(GPtrArray) cookies = sonde_cookie_store_list_cookies (self->store);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < cookies->len; i++)
    {
      GtkWidget *row = cookie_row (self, cookies->pdata[i]);

      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_stack_set_visible_child_name (self->stack, cookies->len > 0 ? "cookies" : "empty");
  gtk_widget_set_sensitive (self->clear_button, cookies->len > 0);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  SondeCookiesDialog *self = data;

  g_atomic_int_set (&self->refresh_queued, 0);
  if (self->store != NULL)
    refresh (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* libsoup emits "changed" with the jar locked, and from whichever thread changed it: the list
 * is rebuilt later, on the main thread */
static void
jar_changed_cb (SondeCookiesDialog *self)
{
  if (g_atomic_int_compare_and_exchange (&self->refresh_queued, 0, 1))
    g_idle_add (refresh_idle_cb, g_object_ref (self));
}

/* Undo of Clear All: the cleared cookies come back (those a response set since are replaced) */
static void
undo_clear_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeCookiesDialog *self = SONDE_COOKIES_DIALOG (widget);
  g_autoptr(GPtrArray) cleared = g_steal_pointer (&self->cleared);
  SoupCookieJar *jar = sonde_cookie_store_get_jar (self->store);

  if (cleared == NULL)
    return;
  for (guint i = 0; i < cleared->len; i++)
    soup_cookie_jar_add_cookie (jar, soup_cookie_copy (cleared->pdata[i]));
  gtk_widget_action_set_enabled (widget, "cookies.undo-clear", FALSE);
}

static void
clear_clicked_cb (SondeCookiesDialog *self)
{
  AdwToast *toast = adw_toast_new (_("Cookies cleared"));

  g_clear_pointer (&self->cleared, g_ptr_array_unref);
  self->cleared = sonde_cookie_store_list_cookies (self->store);
  sonde_cookie_store_clear (self->store);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cookies.undo-clear", TRUE);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "cookies.undo-clear");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
sonde_cookies_dialog_dispose (GObject *object)
{
  SondeCookiesDialog *self = SONDE_COOKIES_DIALOG (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (sonde_cookie_store_get_jar (self->store), self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->cleared, g_ptr_array_unref);
  G_OBJECT_CLASS (sonde_cookies_dialog_parent_class)->dispose (object);
}

static void
sonde_cookies_dialog_class_init (SondeCookiesDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sonde_cookies_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "cookies.undo-clear", NULL, undo_clear_action);
  gtk_widget_class_install_action (widget_class, "cookies.delete", "(sss)", delete_action);
}

static void
sonde_cookies_dialog_init (SondeCookiesDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *empty = adw_status_page_new ();

  self->rows = g_ptr_array_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cookies.undo-clear", FALSE);
  gtk_window_set_title (GTK_WINDOW (self), _("Cookies"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 480);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  self->clear_button = gtk_button_new_with_mnemonic (_("C_lear All"));
  gtk_widget_add_css_class (self->clear_button, "destructive-action");
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (clear_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->clear_button);
  gtk_box_append (GTK_BOX (box), header);

  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_description (self->group,
                                         _("Sent with the requests of this collection or file; kept on this "
                                           "computer, never in the collection"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "web-browser-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Cookies"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty), _("Cookies that responses set show here"));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, page, "cookies");
  gtk_stack_add_named (self->stack, empty, "empty");
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, box);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));
}

GtkWidget *
sonde_cookies_dialog_new (GtkWindow        *parent,
                          SondeCookieStore *store,
                          const char       *owner)
{
  SondeCookiesDialog *self;

  g_return_val_if_fail (SONDE_IS_COOKIE_STORE (store), NULL);

  self = g_object_new (SONDE_TYPE_COOKIES_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  if (owner != NULL)
    {
      /* Translators: the title of the cookies window: "Cookies of My API" */
      g_autofree char *title = g_strdup_printf (_("Cookies of %s"), owner);

      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  g_signal_connect_object (sonde_cookie_store_get_jar (store), "changed", G_CALLBACK (jar_changed_cb), self,
                           G_CONNECT_SWAPPED);
  refresh (self);
  return GTK_WIDGET (self);
}

guint
sonde_cookies_dialog_get_n_cookies (SondeCookiesDialog *self)
{
  g_return_val_if_fail (SONDE_IS_COOKIES_DIALOG (self), 0);
  return self->rows->len;
}
