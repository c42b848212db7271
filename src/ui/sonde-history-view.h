/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-history.h"

G_BEGIN_DECLS

/* The list of sent requests, newest first, with a search entry, a "Clear History" button
 * (asks first) and an empty state. Property "history" (SondeHistory, construct-only; NULL
 * for sonde_history_get_default()).
 *
 * Signal "entry-activated" (SondeHistoryEntry *entry), handled by the window: a row was
 * activated, or "Open" chosen.
 *
 * Action "win.save-history-entry" (s: the entry's id in "history"), activated on the window:
 * "Save to Collection…" was chosen.
 *
 * Actions (on the view, per row through the context menu, s: the entry's id):
 * "history.open", "history.save", "history.delete"; "history.clear" asks for confirmation,
 * then clears. */
#define SONDE_TYPE_HISTORY_VIEW (sonde_history_view_get_type ())
G_DECLARE_FINAL_TYPE (SondeHistoryView, sonde_history_view, SONDE, HISTORY_VIEW, GtkWidget)

GtkWidget    *sonde_history_view_new         (SondeHistory     *history);
SondeHistory *sonde_history_view_get_history (SondeHistoryView *self);
/* The model the list shows (the history filtered by the search text). */
GListModel   *sonde_history_view_get_model   (SondeHistoryView *self);
void          sonde_history_view_set_search  (SondeHistoryView *self,
                                              const char       *text);

G_END_DECLS
