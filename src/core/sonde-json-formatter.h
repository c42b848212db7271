/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A streaming, token-level JSON pretty printer: no DOM, memory bounded by the nesting depth
 * and one token, any input size. Feed input in chunks; output arrives through the sink in
 * chunks. Invalid JSON is reported with the byte offset (and line/column) of the error;
 * everything before it has been emitted. */
#define SONDE_JSON_FORMATTER_ERROR (sonde_json_formatter_error_quark ())
typedef enum
{
  SONDE_JSON_FORMATTER_ERROR_INVALID,
  SONDE_JSON_FORMATTER_ERROR_TRUNCATED,
  SONDE_JSON_FORMATTER_ERROR_TOO_DEEP,
} SondeJsonFormatterError;
GQuark sonde_json_formatter_error_quark (void);

typedef void (*SondeJsonSink) (const char *text,
                               gsize       length,
                               gpointer    user_data);

typedef struct _SondeJsonFormatter SondeJsonFormatter;

SondeJsonFormatter *sonde_json_formatter_new          (guint               indent, /* spaces, e.g. 2 */
                                                       SondeJsonSink       sink,
                                                       gpointer            user_data);
/* FALSE with ERROR at the first invalid byte; the formatter is then done. */
gboolean            sonde_json_formatter_feed         (SondeJsonFormatter *self,
                                                       const char         *data,
                                                       gsize               length,
                                                       GError            **error);
/* Checks the document is complete. */
gboolean            sonde_json_formatter_finish       (SondeJsonFormatter *self,
                                                       GError            **error);
guint64             sonde_json_formatter_get_offset   (SondeJsonFormatter *self); /* bytes consumed */
void                sonde_json_formatter_free         (SondeJsonFormatter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeJsonFormatter, sonde_json_formatter_free)

/* Convenience: formats a whole string (for small inputs and the editor's "Format" action). */
char               *sonde_json_format_string          (const char         *json,
                                                       gssize              length,
                                                       guint               indent,
                                                       GError            **error);

/* Formats a whole GInputStream to a GOutputStream in a worker thread (for large bodies). */
void                sonde_json_format_stream_async    (GInputStream        *input,
                                                       GOutputStream       *output,
                                                       guint                indent,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            sonde_json_format_stream_finish   (GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
