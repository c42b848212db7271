/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-response-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-response-view-private.h"

/* One Set-Cookie cookie and the URL whose response set it, as a row of the cookies column view. */
#define SONDE_TYPE_COOKIE_ITEM (sonde_cookie_item_get_type ())
G_DECLARE_FINAL_TYPE (SondeCookieItem, sonde_cookie_item, SONDE, COOKIE_ITEM, GObject)

struct _SondeCookieItem
{
  GObject     parent_instance;
  SoupCookie *cookie;
  char       *url;
};

G_DEFINE_FINAL_TYPE (SondeCookieItem, sonde_cookie_item, G_TYPE_OBJECT)

static void
sonde_cookie_item_finalize (GObject *object)
{
  g_clear_pointer (&SONDE_COOKIE_ITEM (object)->cookie, soup_cookie_free);
  g_clear_pointer (&SONDE_COOKIE_ITEM (object)->url, g_free);
  G_OBJECT_CLASS (sonde_cookie_item_parent_class)->finalize (object);
}

static void
sonde_cookie_item_class_init (SondeCookieItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_cookie_item_finalize;
}

static void
sonde_cookie_item_init (SondeCookieItem *self)
{
}

typedef enum
{
  COOKIE_NAME,
  COOKIE_VALUE,
  COOKIE_DOMAIN,
  COOKIE_PATH,
  COOKIE_EXPIRES,
  COOKIE_SECURE,
  COOKIE_HTTP_ONLY,
  COOKIE_SAME_SITE,
  COOKIE_SET_BY,
  N_COOKIE_COLUMNS
} CookieColumn;

static const char * const cookie_column_titles[N_COOKIE_COLUMNS] = {
  N_("Name"), N_("Value"), N_("Domain"), N_("Path"), N_("Expires"),
  N_("Secure"), N_("HttpOnly"), N_("SameSite"), N_("Set By"),
};

static char *
cookie_get_column (SondeCookieItem *item,
                   CookieColumn     column)
{
  SoupCookie *cookie = item->cookie;
  GDateTime *expires;

  switch (column)
    {
    case COOKIE_NAME:
      return g_strdup (soup_cookie_get_name (cookie));
    case COOKIE_VALUE:
      return g_strdup (soup_cookie_get_value (cookie));
    case COOKIE_DOMAIN:
      return g_strdup (soup_cookie_get_domain (cookie));
    case COOKIE_PATH:
      return g_strdup (soup_cookie_get_path (cookie));
    case COOKIE_EXPIRES:
      expires = soup_cookie_get_expires (cookie);
      if (expires == NULL)
        return g_strdup (_("Session"));
      return g_date_time_format (expires, "%F %T %Z");
    case COOKIE_SECURE:
      return g_strdup (soup_cookie_get_secure (cookie) ? _("Yes") : _("No"));
    case COOKIE_HTTP_ONLY:
      return g_strdup (soup_cookie_get_http_only (cookie) ? _("Yes") : _("No"));
    case COOKIE_SAME_SITE:
      switch (soup_cookie_get_same_site_policy (cookie))
        {
        case SOUP_SAME_SITE_POLICY_NONE:
          return g_strdup ("None");
        case SOUP_SAME_SITE_POLICY_LAX:
          return g_strdup ("Lax");
        case SOUP_SAME_SITE_POLICY_STRICT:
          return g_strdup ("Strict");
        default:
          return g_strdup ("");
        }
    case COOKIE_SET_BY:
      return g_strdup (item->url != NULL ? item->url : "");
    case N_COOKIE_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
cookie_cell_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, label);
}

static void
cookie_cell_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  SondeCookieItem *cookie = gtk_list_item_get_item (item);
  g_autofree char *text = cookie_get_column (cookie, GPOINTER_TO_UINT (user_data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

void
_sonde_cookie_list_add_columns (GtkColumnView *view)
{
  for (guint i = 0; i < N_COOKIE_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (cookie_cell_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (cookie_cell_bind_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(cookie_column_titles[i]), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, i == COOKIE_VALUE);
      gtk_column_view_append_column (view, column);
    }
}

GListStore *
_sonde_cookie_list_new (void)
{
  return g_list_store_new (SONDE_TYPE_COOKIE_ITEM);
}

void
_sonde_cookie_list_set (GListStore    *list,
                        SondeResponse *response)
{
  GPtrArray *cookies = sonde_response_get_cookies (response);

  g_list_store_remove_all (list);
  for (guint i = 0; cookies != NULL && i < cookies->len; i++)
    {
      g_autoptr(SondeCookieItem) item = g_object_new (SONDE_TYPE_COOKIE_ITEM, NULL);

      item->cookie = soup_cookie_copy (g_ptr_array_index (cookies, i));
      item->url = g_strdup (sonde_response_get_cookie_url (response, i));
      g_list_store_append (list, item);
    }
}

void
_sonde_cookie_list_show_set_by (GtkColumnView *view,
                                gboolean       show)
{
  g_autoptr(GtkColumnViewColumn) column =
    g_list_model_get_item (gtk_column_view_get_columns (view), COOKIE_SET_BY);

  gtk_column_view_column_set_visible (column, show);
}

char *
_sonde_cookie_list_get_cell (GListModel *list,
                             guint       row,
                             guint       column)
{
  g_autoptr(SondeCookieItem) item = g_list_model_get_item (list, row);

  g_return_val_if_fail (item != NULL && column < N_COOKIE_COLUMNS, NULL);
  return cookie_get_column (item, column);
}
