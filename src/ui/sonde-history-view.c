/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-history-view"

#include "config.h"

#include "sonde-history-view.h"

/* Placeholder: the implementation follows. */

struct _SondeHistoryView
{
  GtkWidget     parent_instance;
  SondeHistory *history;
};

G_DEFINE_FINAL_TYPE (SondeHistoryView, sonde_history_view, GTK_TYPE_WIDGET)

static void
sonde_history_view_dispose (GObject *object)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (object);

  g_clear_object (&self->history);
  G_OBJECT_CLASS (sonde_history_view_parent_class)->dispose (object);
}

static void
sonde_history_view_class_init (SondeHistoryViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sonde_history_view_dispose;
  g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 1, SONDE_TYPE_HISTORY_ENTRY);
  g_signal_new ("save-entry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 1, SONDE_TYPE_HISTORY_ENTRY);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
sonde_history_view_init (SondeHistoryView *self)
{
}

GtkWidget *
sonde_history_view_new (SondeHistory *history)
{
  SondeHistoryView *self = g_object_new (SONDE_TYPE_HISTORY_VIEW, NULL);

  self->history = g_object_ref (history);
  return GTK_WIDGET (self);
}

SondeHistory *sonde_history_view_get_history (SondeHistoryView *self) { return self->history; }
GListModel *sonde_history_view_get_model (SondeHistoryView *self) { return G_LIST_MODEL (self->history); }
void sonde_history_view_set_search (SondeHistoryView *self, const char *text) { }
