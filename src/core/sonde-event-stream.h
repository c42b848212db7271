/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One Server-Sent Event (HTML Living Standard, "Parsing an event stream"), or one line of
 * NDJSON (then "event" is NULL and "data" the line). */
typedef struct
{
  char *event;  /* NULL: "message" */
  char *id;     /* NULL: none given */
  char *data;
} SondeServerEvent;

typedef void (*SondeServerEventFunc) (const SondeServerEvent *event,
                                      gpointer                user_data);

/* Splits a stream fed in chunks of any size into events as they complete. */
typedef struct _SondeEventStream SondeEventStream;

SondeEventStream *sonde_event_stream_new      (gboolean              ndjson);
void              sonde_event_stream_free     (SondeEventStream     *self);
void              sonde_event_stream_feed     (SondeEventStream     *self,
                                               const char           *data,
                                               gsize                 length,
                                               SondeServerEventFunc  func,
                                               gpointer              user_data);
/* The end of the stream: an NDJSON line without its newline is an event; an SSE event
 * without its blank line is not (the standard drops it). */
void              sonde_event_stream_finish   (SondeEventStream     *self,
                                               SondeServerEventFunc  func,
                                               gpointer              user_data);
/* The media types shown as a stream of events: text/event-stream, NDJSON / JSON Lines */
gboolean          sonde_event_stream_type     (const char           *content_type,
                                               gboolean             *ndjson);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeEventStream, sonde_event_stream_free)

G_END_DECLS
