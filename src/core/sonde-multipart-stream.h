/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A GInputStream producing a multipart/form-data body (RFC 7578) from text and file parts,
 * reading files in chunks as libsoup pulls: nothing is held in memory but one buffer.
 * The exact length is known before the first byte is read. It is a GPollableInputStream
 * that is always readable, so async reads run in place instead of in a worker thread. */
#define SONDE_TYPE_MULTIPART_STREAM (sonde_multipart_stream_get_type ())
G_DECLARE_FINAL_TYPE (SondeMultipartStream, sonde_multipart_stream, SONDE, MULTIPART_STREAM, GInputStream)

SondeMultipartStream *sonde_multipart_stream_new              (const char           *boundary); /* NULL: random */
/* The first LENGTH bytes of FILE alone, no framing (a binary body); get_boundary is NULL. */
SondeMultipartStream *sonde_multipart_stream_new_for_file     (GFile                *file,
                                                               guint64               length);
void                  sonde_multipart_stream_add_text         (SondeMultipartStream *self,
                                                               const char           *name,
                                                               const char           *value);
/* Stats FILE now (size, readable): an unreadable file is SONDE_REQUEST_ERROR_FILE_UNREADABLE
 * naming it. FILENAME NULL: the file's basename. CONTENT_TYPE NULL: guessed from the name
 * and the first bytes (g_content_type_guess), application/octet-stream when unsure. */
gboolean              sonde_multipart_stream_add_file         (SondeMultipartStream *self,
                                                               const char           *name,
                                                               GFile                *file,
                                                               const char           *filename,
                                                               const char           *content_type,
                                                               GError              **error);
guint64               sonde_multipart_stream_get_length       (SondeMultipartStream *self);
const char           *sonde_multipart_stream_get_boundary     (SondeMultipartStream *self);
/* "multipart/form-data; boundary=…" */
char                 *sonde_multipart_stream_dup_content_type (SondeMultipartStream *self);
/* A fresh stream with the same parts, from the start (for libsoup's "restarted"). */
SondeMultipartStream *sonde_multipart_stream_clone            (SondeMultipartStream *self);

/* Guesses a file's content type from its name and first bytes; never NULL. */
char                 *sonde_guess_content_type                (GFile                *file);

G_END_DECLS
