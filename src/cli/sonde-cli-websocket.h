/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-core.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean json;     /* one JSON object at the end: the handshake and every frame */
  gboolean include;  /* the handshake's status line and headers first */
  double   wait;     /* stop once nothing arrived for this long after the last message sent; 0: never */
  int      count;    /* stop after this many messages arrived; 0: no limit */
} SondeCliWebsocketOptions;

/* Connects the expanded WebSocket REQUEST, sends its enabled saved messages in order and
 * prints the messages that arrive (text on standard output, a line each). Returns the exit
 * status, or -1 when CANCELLABLE was cancelled (the caller knows which signal). */
int sonde_cli_websocket_run (SondeClient                    *client,
                             SondeRequest                   *request,
                             const SondeCliWebsocketOptions *options,
                             const char * const             *secrets,
                             GCancellable                   *cancellable);

G_END_DECLS
