/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sonde-request.h"
#include "sonde-response.h"

G_BEGIN_DECLS

/* WebSocket requests: a request file with "protocol": "websocket" (or a ws:// or wss:// URL)
 * connects instead of sending, with its headers, cookies, auth and connection options, and
 * may hold the messages to send once connected (docs/collection-format.md, "WebSocket"):
 *
 *   "protocol": "websocket",
 *   "subprotocols": ["graphql-transport-ws"],
 *   "keepalive": 30,
 *   "messages": [
 *     {"type": "text", "text": "hello {{name}}"},
 *     {"type": "json", "text": "{\"op\": \"subscribe\"}"},
 *     {"type": "binary", "file": "frame.bin", "enabled": false}
 *   ]
 *
 * These keys are kept with the file's other keys ("extra"), so that load → save stays
 * byte-identical; {{variables}} in the texts, files and subprotocols are expanded with the
 * rest of the request (sonde_request_expand ()). */

typedef enum
{
  SONDE_WEBSOCKET_MESSAGE_TEXT,
  SONDE_WEBSOCKET_MESSAGE_JSON,
  SONDE_WEBSOCKET_MESSAGE_BINARY, /* the bytes of a file */
} SondeWebsocketMessageKind;

typedef struct
{
  SondeWebsocketMessageKind  kind;
  char                      *text;   /* TEXT, JSON */
  char                      *file;   /* BINARY: a path as written (relative to base-dir) */
  gboolean                   enabled;
} SondeWebsocketMessage;

/* Seconds between pings when the file says nothing: proxies drop idle connections. */
#define SONDE_WEBSOCKET_DEFAULT_KEEPALIVE 30
/* The largest frame Sonde accepts, and the largest file it sends as one. */
#define SONDE_WEBSOCKET_MAX_FRAME_SIZE (64 * 1024 * 1024)

void         sonde_websocket_message_free        (SondeWebsocketMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeWebsocketMessage, sonde_websocket_message_free)

/* Whether REQUEST connects as a WebSocket: "protocol": "websocket", or a ws:// or wss:// URL. */
gboolean     sonde_request_is_websocket          (SondeRequest  *request);
/* Marks REQUEST (its extra keys) as a WebSocket request or not. */
void         sonde_request_set_websocket         (SondeRequest  *request,
                                                  gboolean       websocket);
/* The WebSocket keys of OBJECT (a request's extra keys; may be NULL): SUBPROTOCOLS (may be
 * NULL; set to NULL when none), KEEPALIVE (may be NULL) and MESSAGES (SondeWebsocketMessage*;
 * may be NULL). FALSE with SONDE_REQUEST_ERROR_INVALID_VALUE naming the key when one is
 * malformed. */
gboolean     sonde_websocket_read_settings       (JsonObject    *object,
                                                  GStrv         *subprotocols,
                                                  guint         *keepalive,
                                                  GPtrArray     *messages,
                                                  GError       **error);
/* The JSON object of MESSAGE, as in a request file. */
JsonObject  *sonde_websocket_message_to_json     (SondeWebsocketMessage *message);
const char  *sonde_websocket_message_kind_to_string (SondeWebsocketMessageKind kind);

/* One entry of a connection's log: a frame sent or received, or what happened to the
 * connection (connected, closed, an error). */
typedef enum
{
  SONDE_FRAME_SENT,
  SONDE_FRAME_RECEIVED,
  SONDE_FRAME_EVENT,
} SondeFrameDirection;

typedef enum
{
  SONDE_FRAME_TEXT,
  SONDE_FRAME_BINARY,
  SONDE_FRAME_PONG,    /* the answer to a keepalive ping */
  SONDE_FRAME_CLOSE,   /* close code and reason */
  SONDE_FRAME_NOTE,    /* connected, an error, frames dropped from the log */
} SondeFrameKind;

#define SONDE_TYPE_FRAME (sonde_frame_get_type ())
G_DECLARE_FINAL_TYPE (SondeFrame, sonde_frame, SONDE, FRAME, GObject)

SondeFrameDirection sonde_frame_get_direction    (SondeFrame *self);
SondeFrameKind      sonde_frame_get_kind         (SondeFrame *self);
/* Wall-clock time, in microseconds since the epoch. */
gint64              sonde_frame_get_time         (SondeFrame *self);
/* The frame's size on the wire (its payload). */
gsize               sonde_frame_get_size         (SondeFrame *self);
/* What the log keeps of the payload: all of it, or its first SONDE_FRAME_KEEP_SIZE bytes. */
GBytes             *sonde_frame_get_data         (SondeFrame *self);
gboolean            sonde_frame_get_truncated    (SondeFrame *self);
/* The payload as text (TEXT frames, notes, close reasons), NUL-terminated, or NULL. */
const char         *sonde_frame_get_text         (SondeFrame *self);
guint               sonde_frame_get_close_code   (SondeFrame *self);
/* A line for lists and terminals: the text shortened, "Binary, 12 bytes", "Closed: 1000 …". */
char               *sonde_frame_dup_summary      (SondeFrame *self,
                                                  gsize       max_chars);

#define SONDE_FRAME_KEEP_SIZE (1024 * 1024)

/* An open (or closed) connection and its log. Made by sonde_client_websocket_connect_async ();
 * lives on the main context that connected it. Disposing it closes the connection (1001).
 *
 * The log keeps the newest "max-frames" entries and at most SONDE_WEBSOCKET_LOG_BYTES of
 * payload; older ones are dropped ("dropped" counts them), so memory stays bounded on a
 * connection that streams for hours.
 *
 * Properties: "open" (gboolean), "protocol" (the subprotocol the server chose, or NULL),
 * "dropped" (guint), "max-frames" (guint, default 2000). Signal "closed": the connection is
 * over (by either side or an error); the log says why. */
#define SONDE_TYPE_WEBSOCKET (sonde_websocket_get_type ())
G_DECLARE_FINAL_TYPE (SondeWebsocket, sonde_websocket, SONDE, WEBSOCKET, GObject)

#define SONDE_WEBSOCKET_LOG_BYTES (32 * 1024 * 1024)

/* The handshake: the 101 response with its headers, cookies, timings and TLS details. */
SondeResponse *sonde_websocket_get_handshake     (SondeWebsocket *self);
/* SondeFrame items, oldest first. */
GListModel    *sonde_websocket_get_log           (SondeWebsocket *self);
gboolean       sonde_websocket_is_open           (SondeWebsocket *self);
const char    *sonde_websocket_get_protocol      (SondeWebsocket *self);
guint          sonde_websocket_get_dropped       (SondeWebsocket *self);
guint          sonde_websocket_get_n_received    (SondeWebsocket *self);
void           sonde_websocket_set_max_frames    (SondeWebsocket *self,
                                                  guint           max_frames);
/* Empties the log (the connection stays as it is). */
void           sonde_websocket_clear_log         (SondeWebsocket *self);

/* Sending: FALSE with an error a person understands when the connection is not open, or
 * a JSON message is not JSON (nothing is sent then). */
gboolean       sonde_websocket_send_text         (SondeWebsocket *self,
                                                  const char     *text,
                                                  GError        **error);
gboolean       sonde_websocket_send_json         (SondeWebsocket *self,
                                                  const char     *text,
                                                  GError        **error);
gboolean       sonde_websocket_send_binary       (SondeWebsocket *self,
                                                  GBytes         *bytes,
                                                  GError        **error);
/* Reads FILE (at most SONDE_WEBSOCKET_MAX_FRAME_SIZE) in a worker thread and sends it as one
 * binary frame. */
void           sonde_websocket_send_file_async   (SondeWebsocket      *self,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       sonde_websocket_send_file_finish  (SondeWebsocket      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Sends MESSAGE, one of REQUEST's (expanded), the way its kind says (files resolved against
 * REQUEST and checked like the request's other files: docs/security.md). */
void           sonde_websocket_send_message_async  (SondeWebsocket        *self,
                                                    SondeRequest          *request,
                                                    SondeWebsocketMessage *message,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
gboolean       sonde_websocket_send_message_finish (SondeWebsocket        *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
/* MESSAGES (SondeWebsocketMessage*, of REQUEST) one after the other, each once the one before
 * went; stops at the first that cannot be sent, with its error. */
void           sonde_websocket_send_messages_async  (SondeWebsocket        *self,
                                                     SondeRequest          *request,
                                                     GPtrArray             *messages,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
gboolean       sonde_websocket_send_messages_finish (SondeWebsocket        *self,
                                                     GAsyncResult          *result,
                                                     GError               **error);
/* Starts the closing handshake (1000 Normal Closure unless CODE says otherwise); "closed" is
 * emitted when it is over. Nothing happens on a connection that is not open. */
void           sonde_websocket_close             (SondeWebsocket *self,
                                                  guint           code,
                                                  const char     *reason);

/* Private to core: sonde-client-websocket.c wraps the connection it opened. */
SondeWebsocket *sonde_websocket_new              (GObject       *connection,
                                                  SondeResponse *handshake,
                                                  guint          keepalive);

G_END_DECLS
