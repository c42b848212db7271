/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-body-view.h"
#include "sonde-websocket-view.h"
#include "sonde-client.h"
#include "sonde-check.h"
#include "sonde-response.h"

G_BEGIN_DECLS

/* The response pane of one tab: an empty state, a "sending" state with progress, the
 * response (status, body views, headers, cookies, timings, redirects), or a transport error
 * shown as a status page. Property "response" (SondeResponse, nullable). */
#define SONDE_TYPE_RESPONSE_VIEW (sonde_response_view_get_type ())
G_DECLARE_FINAL_TYPE (SondeResponseView, sonde_response_view, SONDE, RESPONSE_VIEW, GtkWidget)

GtkWidget     *sonde_response_view_new          (void);
SondeResponse *sonde_response_view_get_response (SondeResponseView      *self);
/* Shows RESPONSE (NULL: the empty state). */
void           sonde_response_view_set_response (SondeResponseView      *self,
                                                 SondeResponse          *response);
/* Shows a transport error with what to try. */
void           sonde_response_view_set_error    (SondeResponseView      *self,
                                                 const GError           *error);
/* Shows the sending state; call set_progress as bytes move. */
void           sonde_response_view_set_sending  (SondeResponseView      *self);
void           sonde_response_view_set_progress (SondeResponseView      *self,
                                                 SondeTransferDirection  direction,
                                                 guint64                 done,
                                                 guint64                 total);
/* Writes the body to FILE, streaming at any size: what "response.save-body" does once a
 * file is chosen. Fails with G_IO_ERROR_NOT_FOUND when there is no body. */
void           sonde_response_view_save_body_to_file        (SondeResponseView   *self,
                                                             GFile               *file,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean       sonde_response_view_save_body_to_file_finish (SondeResponseView   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
/* "empty", "sending", "error" or "response". */
const char    *sonde_response_view_get_state     (SondeResponseView      *self);
SondeBodyView *sonde_response_view_get_body_view (SondeResponseView      *self);

void               sonde_response_view_set_checks   (SondeResponseView *self,
                                                     GPtrArray         *results);

/* Compact (a narrow window): the sections in a drop-down rather than a row of buttons */
void               sonde_response_view_set_compact        (SondeResponseView *self,
                                                           gboolean           compact);

/* A piece of the body of the response being received (sonde_client_send_streaming_async ()):
 * Server-Sent Events and NDJSON lines are listed as they arrive; other bodies are ignored. */
void       sonde_response_view_add_stream_data (SondeResponseView *self,
                                                SondeResponse     *response,
                                                const guint8      *data,
                                                gsize              length);
guint      sonde_response_view_get_stream_count (SondeResponseView *self);
gboolean   sonde_response_view_stop_stream      (SondeResponseView *self);

/* An open WebSocket connection: the handshake as the response, the Messages section (a
 * SondeWebsocketView) in the Body's place. */
void                sonde_response_view_set_websocket      (SondeResponseView *self,
                                                            SondeWebsocket    *websocket);
SondeWebsocketView *sonde_response_view_get_websocket_view (SondeResponseView *self);
void                sonde_response_view_set_progress_text  (SondeResponseView *self,
                                                            const char        *text);
void                sonde_response_view_set_error_title    (SondeResponseView *self,
                                                            const char        *title);

G_END_DECLS
