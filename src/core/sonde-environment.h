/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sonde-key-value.h"
#include "sonde-secret-store.h"

G_BEGIN_DECLS

/* An environment: environments/NAME.json in a collection (docs/collection-format.md),
 *   {"name": "Staging", "variables": [{"name", "value"} | {"name", "secret": true}]}
 * Variables are SondeKeyValue rows (see sonde_variable_get_secret ()); a secret row keeps only
 * its name in the file, its value lives in a SondeSecretStore. Output is deterministic and
 * unknown keys are kept, as for request files.
 *
 * Properties: "name" (the file's "name", or its basename without ".json"), "file" (GFile or
 * NULL), "variables" (GListStore<SondeKeyValue>, never NULL), "error" (GError boxed, read-only:
 * the file does not parse). */
#define SONDE_TYPE_ENVIRONMENT (sonde_environment_get_type ())
G_DECLARE_FINAL_TYPE (SondeEnvironment, sonde_environment, SONDE, ENVIRONMENT, GObject)

SondeEnvironment *sonde_environment_new            (const char        *name);
/* Parse errors are SONDE_REQUEST_ERROR_PARSE / _INVALID_VALUE naming the key path. */
SondeEnvironment *sonde_environment_load           (GFile             *file,
                                                    GCancellable      *cancellable,
                                                    GError           **error);
SondeEnvironment *sonde_environment_load_from_data (const char        *data,
                                                    gssize             length,
                                                    GError           **error);
char             *sonde_environment_to_data        (SondeEnvironment  *self);
/* Atomic; sets "file" on success. */
gboolean          sonde_environment_save           (SondeEnvironment  *self,
                                                    GFile             *file,
                                                    GError           **error);

const char       *sonde_environment_get_name       (SondeEnvironment  *self);
void              sonde_environment_set_name       (SondeEnvironment  *self,
                                                    const char        *name);
GFile            *sonde_environment_get_file       (SondeEnvironment  *self);
GListStore       *sonde_environment_get_variables  (SondeEnvironment  *self);
/* Why the file does not parse, or NULL. Such an environment has no variables and is never
 * saved (SONDE_REQUEST_ERROR_PARSE). */
const GError     *sonde_environment_get_error      (SondeEnvironment  *self);
JsonObject       *sonde_environment_get_extra      (SondeEnvironment  *self);
void              sonde_environment_set_extra      (SondeEnvironment  *self,
                                                    JsonObject        *extra);

/* A variable row marked secret is written as {"name", "secret": true}: its value is never
 * saved (the model's "value" is ignored when writing). */
gboolean          sonde_variable_get_secret        (SondeKeyValue     *row);
void              sonde_variable_set_secret        (SondeKeyValue     *row,
                                                    gboolean           secret);

/* Adds the enabled ROWS to TABLE (char* -> char*, both owned by the table), replacing values
 * of the same names. Secret rows are looked up in SECRETS under COLLECTION_PATH and
 * ENVIRONMENT ("" outside environments); a secret without a value is left out, so using it
 * is an undefined-variable error; so is every secret when SECRETS is NULL. */
gboolean          sonde_variables_table_add_rows   (GHashTable        *table,
                                                    GListModel        *rows,
                                                    SondeSecretStore  *secrets,
                                                    const char        *collection_path,
                                                    const char        *environment,
                                                    GError           **error);

G_END_DECLS
