/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sonde-request.h"

G_BEGIN_DECLS

/* Which files a collection's requests may read. A collection is someone else's files: a
 * request in it may only read files inside its folder (symbolic links resolved), unless the
 * person allowed a file outside on this machine. What they allowed is kept per collection in
 * $XDG_STATE_HOME/sonde/allowed-files.ini, never in the collection. Lone request files are
 * the person's own and read anything. See docs/security.md.
 *
 * The default instance is shared by the process and safe to use from any thread. */
#define SONDE_TYPE_FILE_ACCESS (sonde_file_access_get_type ())
G_DECLARE_FINAL_TYPE (SondeFileAccess, sonde_file_access, SONDE, FILE_ACCESS, GObject)

SondeFileAccess *sonde_file_access_get_default        (void);
/* An instance keeping its list in KEY_FILE (NULL: in memory only). */
SondeFileAccess *sonde_file_access_new                (GFile            *key_file);

/* Whether FILE is COLLECTION_DIR or below it, symbolic links resolved on both. */
gboolean         sonde_file_is_inside                 (GFile            *collection_dir,
                                                       GFile            *file);

gboolean         sonde_file_access_is_allowed         (SondeFileAccess  *self,
                                                       GFile            *collection_dir,
                                                       GFile            *file);
/* Remembers FILE as allowed for COLLECTION_DIR, on disk. */
gboolean         sonde_file_access_allow              (SondeFileAccess  *self,
                                                       GFile            *collection_dir,
                                                       GFile            *file,
                                                       GError          **error);
/* For this process only (sonde-cli --allow-file, --allow-outside-files). */
void             sonde_file_access_allow_for_process  (SondeFileAccess  *self,
                                                       GFile            *file);
void             sonde_file_access_set_allow_all      (SondeFileAccess  *self,
                                                       gboolean          allow_all);

/* Whether REQUEST (expanded) may read FILE: TRUE for a lone request, for a file inside its
 * collection and for an allowed one; else SONDE_REQUEST_ERROR_FILE_OUTSIDE naming the
 * request and the file as written (PATH). */
gboolean         sonde_file_access_check              (SondeFileAccess  *self,
                                                       SondeRequest     *request,
                                                       GFile            *file,
                                                       const char       *path,
                                                       GError          **error);
/* A request file of a collection reads its sidecar body (DIR is the request file's folder)
 * at load: a sidecar outside COLLECTION_DIR is refused, with no allowing (Sonde writes
 * sidecars beside their request). */
gboolean         sonde_file_access_check_sidecar      (SondeRequest     *request,
                                                       GFile            *dir,
                                                       GFile            *collection_dir,
                                                       GError          **error);

/* All the files REQUEST (expanded) would read: the first refused one as above. */
gboolean         sonde_file_access_check_request      (SondeFileAccess  *self,
                                                       SondeRequest     *request,
                                                       GError          **error);
/* The files REQUEST (expanded) would read that are outside its collection and not allowed:
 * body file, multipart files, CA file, client certificate files. */
GPtrArray       *sonde_file_access_list_refused       (SondeFileAccess  *self,
                                                       SondeRequest     *request);

G_END_DECLS
