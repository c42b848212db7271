/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-history.h"

G_BEGIN_DECLS

/* One row of the history list: method, URL, status, duration and size, how long ago, and a
 * menu ("history.open", "history.save", "history.delete" with the entry's id) that a right
 * click opens too. Rows are recycled by the list view: "entry" changes, NULL when unbound. */
#define SONDE_TYPE_HISTORY_ROW (sonde_history_row_get_type ())
G_DECLARE_FINAL_TYPE (SondeHistoryRow, sonde_history_row, SONDE, HISTORY_ROW, GtkBox)

GtkWidget         *sonde_history_row_new         (void);
SondeHistoryEntry *sonde_history_row_get_entry   (SondeHistoryRow   *self);
void               sonde_history_row_set_entry   (SondeHistoryRow   *self,
                                                  SondeHistoryEntry *entry);
/* Brings "5 minutes ago" up to date. */
void               sonde_history_row_update_time (SondeHistoryRow   *self,
                                                  GDateTime         *now);
/* Opens the row's menu (Shift+F10, Menu); nothing without an entry. */
void               sonde_history_row_popup_menu  (SondeHistoryRow   *self);

G_END_DECLS
