/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-request.h"

G_BEGIN_DECLS

/* *.request.json files, docs/collection-format.md: deterministic output (fixed key order, 2-space indent,
 * LF, trailing newline, defaults omitted), unknown keys kept, long or multi-line text bodies
 * in a sidecar file ("create-user.request.json" -> "create-user.body.json").
 *
 * Parse errors are SONDE_REQUEST_ERROR_PARSE with "line L, column C" in the message;
 * wrong types are SONDE_REQUEST_ERROR_INVALID_VALUE naming the key. */

/* Loads FILE (and its sidecar). "base-dir" is set to BASE_DIR, or the file's folder when NULL. */
SondeRequest *sonde_request_load               (GFile         *file,
                                                GFile         *base_dir,
                                                GCancellable  *cancellable,
                                                GError       **error);
/* Parses DATA; a sidecar named in it is read relative to DIR (NULL: sidecars are an error). */
SondeRequest *sonde_request_load_from_data     (const char    *data,
                                                gssize         length,
                                                GFile         *dir,
                                                GError       **error);

/* The bytes of the request file. When SIDECAR_TEXT is not NULL and the body goes to a
 * sidecar, *SIDECAR_TEXT receives its contents (the sidecar's name is the body's "text-file",
 * which this sets when it was NULL, derived from FILE_BASENAME). */
char         *sonde_request_to_data            (SondeRequest  *self,
                                                const char    *file_basename,
                                                char         **sidecar_text);

/* Writes FILE (and its sidecar) atomically: temp file + fsync + rename. On failure the old
 * files are intact. Sets "file" on success. */
gboolean      sonde_request_save               (SondeRequest  *self,
                                                GFile         *file,
                                                GCancellable  *cancellable,
                                                GError       **error);

/* Same in a worker thread, for the UI. */
void          sonde_request_load_async         (GFile               *file,
                                                GFile               *base_dir,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
SondeRequest *sonde_request_load_finish        (GAsyncResult        *result,
                                                GError             **error);
void          sonde_request_save_async         (SondeRequest        *self,
                                                GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      sonde_request_save_finish        (SondeRequest        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The most bytes Sonde reads from a file of a collection (request, folder, collection and
 * environment files, history entries, cookie jars), and from a sidecar body. */
#define SONDE_MAX_FILE_SIZE    (16 * 1024 * 1024)
#define SONDE_MAX_SIDECAR_SIZE (64 * 1024 * 1024)
/* CA files, certificates and keys. */
#define SONDE_MAX_CERTIFICATE_FILE_SIZE (1024 * 1024)

/* Reads FILE whole, only when it is a regular file of at most MAX_SIZE bytes (devices,
 * FIFOs and sockets are refused without blocking). CONTENTS is NUL-terminated. */
gboolean      sonde_file_load_bounded          (GFile         *file,
                                                gsize          max_size,
                                                char         **contents,
                                                gsize         *length,
                                                GCancellable  *cancellable,
                                                GError       **error);

/* A new temp file beside TARGET_PATH (".NAME.sonde-PID-XXXXXX.tmp"), after removing the
 * ones a killed writer left for the same target. The fd, or -1 with errno set. */
int           sonde_temp_file_open_beside      (const char    *target_path,
                                                int            mode,
                                                char         **temp_path);
/* Removes from DIR the temp files of Sonde's naming (of TARGET only, when not NULL) whose
 * writer is gone or that are a day old. Never anything else. */
void          sonde_temp_files_clean           (const char    *dir,
                                                const char    *target);

/* Atomic write helper shared by every file Sonde writes (temp + fsync + rename). */
gboolean      sonde_file_write_atomic          (GFile         *file,
                                                const char    *contents,
                                                gsize          length,
                                                int            mode, /* e.g. 0644, 0600 */
                                                GError       **error);

gboolean      sonde_file_write_atomic_pair     (GFile         *first,
                                                const char    *first_contents,
                                                GFile         *second,
                                                const char    *second_contents,
                                                int            mode,
                                                GError       **error);

G_END_DECLS
