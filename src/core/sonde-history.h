/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sonde-request.h"
#include "sonde-response.h"

G_BEGIN_DECLS

/* One sent request: when, what (the request as the user wrote it, {{variables}} unexpanded,
 * so secret values never land in history) and what came back (a response summary or the
 * transport error's message). Immutable. */
#define SONDE_TYPE_HISTORY_ENTRY (sonde_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (SondeHistoryEntry, sonde_history_entry, SONDE, HISTORY_ENTRY, GObject)

/* Unique within a history; also the entry's file name without ".json". */
const char   *sonde_history_entry_get_id                (SondeHistoryEntry *self);
GDateTime    *sonde_history_entry_get_time              (SondeHistoryEntry *self); /* UTC */
const char   *sonde_history_entry_get_name              (SondeHistoryEntry *self); /* may be NULL */
const char   *sonde_history_entry_get_method            (SondeHistoryEntry *self);
const char   *sonde_history_entry_get_url               (SondeHistoryEntry *self); /* unexpanded */
/* The request file and the folder paths resolved against (the collection's root for a
 * request of a collection), when the request had them; NULL otherwise. */
GFile        *sonde_history_entry_get_request_file      (SondeHistoryEntry *self);
GFile        *sonde_history_entry_get_base_dir          (SondeHistoryEntry *self);
/* TRUE when the stored body was cut at SONDE_HISTORY_MAX_BODY_SIZE bytes. */
gboolean      sonde_history_entry_get_body_truncated    (SondeHistoryEntry *self);

/* TRUE when a response arrived (any status, 404 and 500 included). */
gboolean      sonde_history_entry_has_response          (SondeHistoryEntry *self);
guint         sonde_history_entry_get_status            (SondeHistoryEntry *self); /* 0 without response */
const char   *sonde_history_entry_get_reason            (SondeHistoryEntry *self);
double        sonde_history_entry_get_total_ms          (SondeHistoryEntry *self); /* -1 when unknown */
guint64       sonde_history_entry_get_body_size         (SondeHistoryEntry *self);
const char   *sonde_history_entry_get_content_type      (SondeHistoryEntry *self); /* may be NULL */
/* The transport error's message when no response arrived, else NULL. */
const char   *sonde_history_entry_get_error_message     (SondeHistoryEntry *self);

/* A new request from the stored one: "file" is NULL (reopening gives an unsaved copy; the
 * original file is sonde_history_entry_get_request_file()), "base-dir" is the entry's.
 * NULL with a warning only if the stored request no longer parses. */
SondeRequest *sonde_history_entry_dup_request           (SondeHistoryEntry *self);

/* Case-insensitive: every word of QUERY is found in the method, URL, name, status code or
 * reason (or the error message). An empty or NULL query matches everything. */
gboolean      sonde_history_entry_matches               (SondeHistoryEntry *self,
                                                         const char        *query);

#define SONDE_HISTORY_MAX_ENTRIES   500
#define SONDE_HISTORY_MAX_BODY_SIZE (64 * 1024)
#define SONDE_HISTORY_MAX_BYTES     (16 * 1024 * 1024)

/* Sent requests, newest first: a GListModel of SondeHistoryEntry. Local only: one JSON file
 * per entry (written atomically, 0600) in DIR, by default $XDG_DATA_HOME/sonde/history/,
 * never in a collection folder.
 *
 * Bounded: at most "max-entries" entries and about SONDE_HISTORY_MAX_BYTES bytes of files;
 * the oldest go first. Text bodies (and form/multipart values) are stored up to
 * SONDE_HISTORY_MAX_BODY_SIZE bytes in all, then cut and marked; file bodies are stored by
 * path.
 *
 * A file that does not parse is renamed "<name>.corrupt", skipped and reported in
 * sonde_history_get_load_problems(); loading goes on with the other files.
 * Writes that fail are reported in "save-error" (the entry stays in memory). */
#define SONDE_TYPE_HISTORY (sonde_history_get_type ())
G_DECLARE_FINAL_TYPE (SondeHistory, sonde_history, SONDE, HISTORY, GObject)

SondeHistory       *sonde_history_new                 (GFile               *dir);
SondeHistory       *sonde_history_new_default         (void);
/* The one history of the process (transfer none), in the default folder, created and
 * loaded on the first call: windows share it. Call sonde_history_flush() on quit. */
SondeHistory       *sonde_history_get_default         (void);
/* $XDG_DATA_HOME/sonde/history */
GFile              *sonde_history_get_default_dir     (void);
GFile              *sonde_history_get_dir             (SondeHistory        *self);

/* Reads DIR in a worker thread and puts its entries in the model (entries added before the
 * load finished are kept). A missing folder is an empty history. FALSE only when the
 * folder cannot be listed. */
void                sonde_history_load_async          (SondeHistory        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            sonde_history_load_finish         (SondeHistory        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
gboolean            sonde_history_get_loaded          (SondeHistory        *self);
/* One sentence per file set aside by the last load (naming it), or NULL. */
const char * const *sonde_history_get_load_problems   (SondeHistory        *self);
/* Waits until every queued write and delete reached the folder (tests; quitting). */
void                sonde_history_flush               (SondeHistory        *self);
/* The last failed write, or NULL. Property "save-error" (GError, notified). */
const GError       *sonde_history_get_save_error      (SondeHistory        *self);

guint               sonde_history_get_max_entries     (SondeHistory        *self);
void                sonde_history_set_max_entries     (SondeHistory        *self,
                                                       guint                max_entries);

/* Records REQUEST (copied; pass the request as written, not the expanded one) with
 * RESPONSE's summary or ERROR's message (both may be NULL) at position 0, and writes its
 * file. */
void                sonde_history_add                 (SondeHistory        *self,
                                                       SondeRequest        *request,
                                                       SondeResponse       *response,
                                                       const GError        *error);
void                sonde_history_remove              (SondeHistory        *self,
                                                       SondeHistoryEntry   *entry);
void                sonde_history_clear               (SondeHistory        *self);

G_END_DECLS
