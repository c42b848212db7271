/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* The Messages tab of a WebSocket request (sonde-websocket.h): its subprotocols, keep-alive
 * interval and saved messages ("subprotocols", "keepalive", "messages" of its file), edited in
 * place. While connected, each message has a Send button and Send All sends the enabled ones
 * in order (win.websocket-send-message (u), win.websocket-send-all). */
#define SONDE_TYPE_MESSAGE_EDITOR (sonde_message_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeMessageEditor, sonde_message_editor, SONDE, MESSAGE_EDITOR, GtkWidget)

GtkWidget  *sonde_message_editor_new           (void);
void        sonde_message_editor_set_request   (SondeMessageEditor *self,
                                                SondeRequest       *request);
void        sonde_message_editor_set_connected (SondeMessageEditor *self,
                                                gboolean            connected);
GtkListBox *sonde_message_editor_get_list      (SondeMessageEditor *self);
GtkEditable *sonde_message_editor_get_subprotocols_entry (SondeMessageEditor *self);

G_END_DECLS
