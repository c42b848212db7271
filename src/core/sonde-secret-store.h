/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Values of variables marked secret (docs/collection-format.md), keyed by the collection's path, the
 * environment ("" for collection and folder variables) and the variable's name. They never
 * go into a collection file.
 *
 * Two backends: the Secret Service through libsecret (the user's keyring), and a 0600 JSON
 * file, $XDG_DATA_HOME/sonde/secrets.json, for machines where no Secret Service runs (tests,
 * CI, headless servers). sonde_secret_store_new() picks the file when SONDE_SECRET_BACKEND=file
 * or when no Secret Service is reachable on the session bus, libsecret otherwise
 * (SONDE_SECRET_BACKEND=secret-service forces it).
 *
 * sonde_secret_store_new() does not block: the session bus is asked once, by the first
 * lookup or store (in its worker thread for the _async ones, which is what the window
 * uses); operations started meanwhile wait for that answer. The _sync functions and
 * sonde_secret_store_get_backend() may therefore wait on D-Bus: they are for the CLI,
 * tests and worker threads. SONDE_SECRET_BACKEND=file never touches D-Bus. */

typedef enum
{
  SONDE_SECRET_BACKEND_FILE,
  SONDE_SECRET_BACKEND_SECRET_SERVICE,
} SondeSecretBackend;

#define SONDE_TYPE_SECRET_STORE (sonde_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (SondeSecretStore, sonde_secret_store, SONDE, SECRET_STORE, GObject)

SondeSecretStore   *sonde_secret_store_new                (void);
/* FILE: NULL for $XDG_DATA_HOME/sonde/secrets.json */
SondeSecretStore   *sonde_secret_store_new_file           (GFile             *file);
SondeSecretStore   *sonde_secret_store_new_secret_service (void);
SondeSecretBackend  sonde_secret_store_get_backend        (SondeSecretStore  *self);

/* Returns NULL without an error when there is no such secret. */
char               *sonde_secret_store_lookup_sync        (SondeSecretStore  *self,
                                                           const char        *collection_path,
                                                           const char        *environment,
                                                           const char        *name,
                                                           GCancellable      *cancellable,
                                                           GError           **error);
gboolean            sonde_secret_store_store_sync         (SondeSecretStore  *self,
                                                           const char        *collection_path,
                                                           const char        *environment,
                                                           const char        *name,
                                                           const char        *value,
                                                           GCancellable      *cancellable,
                                                           GError           **error);
/* Removing a secret that is not there is no error. */
gboolean            sonde_secret_store_clear_sync         (SondeSecretStore  *self,
                                                           const char        *collection_path,
                                                           const char        *environment,
                                                           const char        *name,
                                                           GCancellable      *cancellable,
                                                           GError           **error);

void                sonde_secret_store_lookup_async       (SondeSecretStore    *self,
                                                           const char          *collection_path,
                                                           const char          *environment,
                                                           const char          *name,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
/* NULL without an error when there is no such secret. */
char               *sonde_secret_store_lookup_finish      (SondeSecretStore    *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);
/* VALUE NULL clears the secret. */
void                sonde_secret_store_store_async        (SondeSecretStore    *self,
                                                           const char          *collection_path,
                                                           const char          *environment,
                                                           const char          *name,
                                                           const char          *value,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            sonde_secret_store_store_finish       (SondeSecretStore    *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
