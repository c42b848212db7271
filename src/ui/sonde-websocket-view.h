/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* An open (or closed) WebSocket connection: its state, the log of frames sent and received
 * as they come (the newest followed; one selected shows in full below, JSON indented, binary
 * as hex), and a composer that sends text, JSON (checked first) or a file. Ctrl+Enter is the
 * application's shortcut for win.send-request, which sends the composed message when the
 * composer has the focus (sonde-window-actions.c). */
#define SONDE_TYPE_WEBSOCKET_VIEW (sonde_websocket_view_get_type ())
G_DECLARE_FINAL_TYPE (SondeWebsocketView, sonde_websocket_view, SONDE, WEBSOCKET_VIEW, GtkWidget)

GtkWidget      *sonde_websocket_view_new           (void);
void            sonde_websocket_view_set_websocket (SondeWebsocketView        *self,
                                                    SondeWebsocket            *websocket);
SondeWebsocket *sonde_websocket_view_get_websocket (SondeWebsocketView        *self);
GtkTextView    *sonde_websocket_view_get_composer  (SondeWebsocketView        *self);
void            sonde_websocket_view_set_kind      (SondeWebsocketView        *self,
                                                    SondeWebsocketMessageKind  kind);
/* Sends what the composer holds (what websocket.send does); FALSE with the reason shown
 * under it. */
gboolean        sonde_websocket_view_send          (SondeWebsocketView        *self);
/* ERROR (NULL: none) under the composer: a message that could not be sent */
void            sonde_websocket_view_show_error    (SondeWebsocketView        *self,
                                                    const GError              *error);

G_END_DECLS
