/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A streaming, token-level JSON pretty printer: no DOM, memory bounded by the nesting depth
 * and one token, any input size. Feed input in chunks; output arrives through the sink in
 * chunks. Invalid JSON is reported with the byte offset (and line/column) of the error;
 * everything before it has been emitted.
 *
 * Output: members and elements one per line, indented by INDENT spaces per level, "key": value,
 * empty containers as {} and [], no trailing newline. INDENT 0 gives compact output ({"a":[1,2]}).
 * Strings and numbers are copied verbatim (escapes as written); numbers, literals and escapes
 * are validated against RFC 8259. UTF-8 inside strings is NOT validated: bytes from 0x80 pass
 * through unchanged. A leading UTF-8 byte order mark is dropped. Nesting deeper than 10000
 * levels is SONDE_JSON_FORMATTER_ERROR_TOO_DEEP. Error messages give the line and column
 * (1-based, columns in UTF-8 characters) and the 0-based byte offset of the offending byte. */
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
/* Checks the document is complete (SONDE_JSON_FORMATTER_ERROR_TRUNCATED if not) and flushes. */
gboolean            sonde_json_formatter_finish       (SondeJsonFormatter *self,
                                                       GError            **error);
guint64             sonde_json_formatter_get_offset   (SondeJsonFormatter *self); /* bytes consumed */
/* Hands buffered output (up to 64 KiB) to the sink now, e.g. to show a partial document. */
void                sonde_json_formatter_flush        (SondeJsonFormatter *self);
void                sonde_json_formatter_free         (SondeJsonFormatter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeJsonFormatter, sonde_json_formatter_free)

/* Convenience: formats a whole string (for small inputs and the editor's "Format" action). */
char               *sonde_json_format_string          (const char         *json,
                                                       gssize              length,
                                                       guint               indent,
                                                       GError            **error);

/* Formats a whole GInputStream to a GOutputStream in a worker thread (for large bodies).
 * Neither stream is closed; cancellation gives G_IO_ERROR_CANCELLED. */
void                sonde_json_format_stream_async    (GInputStream        *input,
                                                       GOutputStream       *output,
                                                       guint                indent,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            sonde_json_format_stream_finish   (GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
