/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Fills a GtkTextBuffer from a stream without stalling the main loop (docs/architecture.md):
 * a worker thread reads, optionally pretty-prints JSON with SondeJsonFormatter, makes the
 * text valid UTF-8 and hard-wraps lines longer than the wrap width; the main thread
 * appends the result in small, time-bounded steps from an idle handler. */
typedef enum
{
  SONDE_TEXT_LOADER_RAW,
  SONDE_TEXT_LOADER_JSON,
} SondeTextLoaderMode;

/* Longest line put in the buffer, in bytes: GtkSourceView needs seconds per MB of one line. */
#define SONDE_TEXT_LOADER_WRAP_WIDTH 4096

typedef struct
{
  guint64   consumed;       /* input bytes read */
  guint64   inserted;       /* bytes put in the buffer */
  gboolean  truncated;      /* stopped at the output limit before the end of the input */
  gboolean  wrapped;        /* some lines were hard-wrapped for display */
  gboolean  replaced;       /* invalid UTF-8 was replaced */
  GError   *json_error;     /* JSON mode: the input is not valid JSON (output so far kept) */
  guint64   json_error_offset;
} SondeTextLoadInfo;

void               sonde_text_load_info_free   (SondeTextLoadInfo   *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeTextLoadInfo, sonde_text_load_info_free)

/* Appends the text of INPUT to BUFFER, stopping after OUTPUT_LIMIT bytes of text. */
void               sonde_text_loader_load_async  (GtkTextBuffer       *buffer,
                                                  GInputStream        *input,
                                                  SondeTextLoaderMode  mode,
                                                  guint64              output_limit,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
SondeTextLoadInfo *sonde_text_loader_load_finish (GtkTextBuffer       *buffer,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
