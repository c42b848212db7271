/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A response body: kept in memory up to a threshold, then spilled to an unlinked-on-finalize
 * temp file (in g_get_tmp_dir ()). Readable in ranges while and after it is written. */
#define SONDE_TYPE_BODY_STORE (sonde_body_store_get_type ())
G_DECLARE_FINAL_TYPE (SondeBodyStore, sonde_body_store, SONDE, BODY_STORE, GObject)

#define SONDE_BODY_STORE_DEFAULT_THRESHOLD (8 * 1024 * 1024)

SondeBodyStore *sonde_body_store_new             (gsize            memory_threshold);
gboolean        sonde_body_store_append          (SondeBodyStore  *self,
                                                  const guint8    *data,
                                                  gsize            length,
                                                  GError         **error);
guint64         sonde_body_store_get_size        (SondeBodyStore  *self);
gboolean        sonde_body_store_is_in_memory    (SondeBodyStore  *self);
/* Up to LENGTH bytes from OFFSET (fewer at the end). */
GBytes         *sonde_body_store_read            (SondeBodyStore  *self,
                                                  guint64          offset,
                                                  gsize            length,
                                                  GError         **error);
/* The whole body as bytes, only when it is in memory (NULL otherwise). */
GBytes         *sonde_body_store_get_bytes       (SondeBodyStore  *self);
/* A stream over the whole body, at any size. */
GInputStream   *sonde_body_store_open_stream     (SondeBodyStore  *self,
                                                  GError         **error);
/* Copies the body to FILE (atomically), streaming, at any size. */
void            sonde_body_store_save_async      (SondeBodyStore      *self,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        sonde_body_store_save_finish     (SondeBodyStore      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
