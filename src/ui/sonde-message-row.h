/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* One saved WebSocket message of a request file ({"type", "text" | "file", "enabled"}),
 * edited in place. Its Send button asks win.websocket-send-message (u) with the row's index;
 * Remove asks messages.remove-row (u). Signal "edited": the object changed. */
#define SONDE_TYPE_MESSAGE_ROW (sonde_message_row_get_type ())
G_DECLARE_FINAL_TYPE (SondeMessageRow, sonde_message_row, SONDE, MESSAGE_ROW, GtkListBoxRow)

/* REQUEST: the one MESSAGE belongs to; a chosen file is written relative to its folder. */
GtkWidget  *sonde_message_row_new           (JsonObject      *message,
                                             SondeRequest    *request);
JsonObject *sonde_message_row_get_json      (SondeMessageRow *self);
/* The Send button works only while the request is connected. */
void        sonde_message_row_set_connected (SondeMessageRow *self,
                                             gboolean         connected);
/* "enabled", "kind", "content", "choose", "send", "remove" */
GtkWidget  *sonde_message_row_get_field     (SondeMessageRow *self,
                                             const char      *field);

G_END_DECLS
