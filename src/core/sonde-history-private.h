/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-history.h"

G_BEGIN_DECLS

/* Private to core: SondeHistoryEntry <-> its file (sonde-history-entry.c). */

SondeHistoryEntry *sonde_history_entry_new           (SondeRequest       *request,
                                                      SondeResponse      *response,
                                                      const GError       *error,
                                                      char              **data);
/* Runs in a worker thread. NULL with *SKIP set (and no error) for a newer format. */
SondeHistoryEntry *sonde_history_entry_new_from_data (const char         *id,
                                                      const char         *data,
                                                      gsize               length,
                                                      gboolean           *skip,
                                                      GError            **error);
gsize              sonde_history_entry_get_file_size (SondeHistoryEntry  *self);
/* Newest first, for g_ptr_array_sort_with_data() (pointers to elements). */
int                sonde_history_entry_compare       (gconstpointer       a,
                                                      gconstpointer       b,
                                                      gpointer            user_data);

G_END_DECLS
