/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sonde-cookie-store.h"
#include "sonde-request.h"
#include "sonde-response.h"
#include "sonde-websocket.h"

G_BEGIN_DECLS

typedef enum
{
  SONDE_TRANSFER_UPLOAD,
  SONDE_TRANSFER_DOWNLOAD,
} SondeTransferDirection;

/* Called on the thread-default main context of the caller of send_async.
 * TOTAL is 0 when unknown. */
typedef void (*SondeProgressFunc) (SondeTransferDirection direction,
                                   guint64                done,
                                   guint64                total,
                                   gpointer               user_data);

/* Sends requests (already expanded: see sonde_request_expand ()) with libsoup 3, following
 * docs/architecture.md. Owns its SoupSessions. */
#define SONDE_TYPE_CLIENT (sonde_client_get_type ())
G_DECLARE_FINAL_TYPE (SondeClient, sonde_client, SONDE, CLIENT, GObject)

/* What every process that sends must do first, in main () before any thread starts
 * (process-wide libsoup settings, set through the environment). */
void           sonde_client_init_process (void);
/* The proxy resolver GIO is sure to pick without asking, or NULL (see sonde-client.c) */
const char    *sonde_client_pick_proxy_resolver (const char *module_cache);

SondeClient   *sonde_client_new         (void);

/* OUTPUT: when not NULL, the body streams straight to that file (at any size) instead of
 * a SondeBodyStore. Errors: G_IO_ERROR_CANCELLED, SONDE_CLIENT_ERROR_*, SONDE_REQUEST_ERROR_*
 * (invalid header, URL, unreadable upload file: nothing was sent), and GIO/TLS errors with a
 * sentence a person understands. */
void           sonde_client_send_async  (SondeClient         *self,
                                         SondeRequest        *request,
                                         GFile               *output,
                                         SondeProgressFunc    progress,
                                         gpointer             progress_data,
                                         GDestroyNotify       progress_destroy,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* The same, calling STREAM with each piece of the response body as it is read (the response
 * has its status and headers then; its body is still growing): Server-Sent Events shown as
 * they come. STREAM_DATA is borrowed until the send ends. */
typedef void (*SondeStreamFunc) (SondeResponse *response,
                                 const guint8  *data,
                                 gsize          length,
                                 gpointer       user_data);
void           sonde_client_send_streaming_async (SondeClient         *self,
                                                  SondeRequest        *request,
                                                  SondeStreamFunc      stream,
                                                  gpointer             stream_data,
                                                  SondeProgressFunc    progress,
                                                  gpointer             progress_data,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
SondeResponse *sonde_client_send_finish (SondeClient         *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* Opens the WebSocket connection of an expanded REQUEST (sonde-websocket.h). */
void            sonde_client_websocket_connect_async  (SondeClient         *self,
                                                       SondeRequest        *request,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
SondeWebsocket *sonde_client_websocket_connect_finish (SondeClient         *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* The cookie jar requests read and fill (NULL: cookies last one send). Not loaded by the
 * client: load the store first, flush it before exiting. */
void              sonde_client_set_cookie_store (SondeClient      *self,
                                                 SondeCookieStore *store);
SondeCookieStore *sonde_client_get_cookie_store (SondeClient      *self);

/* The body store threshold for new responses (bytes kept in memory before spilling). */
void           sonde_client_set_memory_threshold (SondeClient *self,
                                                  gsize        threshold);

/* 1 GiB: the default cap on a response body kept by Sonde (see the setter below). */
#define SONDE_CLIENT_DEFAULT_MAX_BODY_SIZE (G_GUINT64_CONSTANT (1) << 30)
void            sonde_client_set_default_max_body_size (SondeClient *self,
                                                        guint64      max_size);

/* The options a request gets for the keys neither it nor its collection and folders set (the
 * person's preferences: a timeout, redirects, TLS verification, a proxy), or NULL for Sonde's
 * built-in defaults. DEFAULTS is copied; only the keys set in it count. */
void            sonde_client_set_default_options (SondeClient         *self,
                                                  SondeRequestOptions *defaults);

/* What the client sends for an expanded REQUEST, for exports ("Copy as curl") to say the same:
 * the URL with the params rows (and an API key in the query) appended and encoded, or NULL
 * with the error sending would give; and a form body's text. */
char           *sonde_request_build_url  (SondeRequest *request,
                                          GError      **error);
char           *sonde_form_encode        (GListModel   *rows);

/* A GraphQL body on a GET or HEAD request travels in the URL's query. */
gboolean       sonde_client_is_graphql_get              (SondeRequest        *request);

G_END_DECLS
