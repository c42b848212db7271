/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-collection.h"
#include "sonde-secret-store.h"

G_BEGIN_DECLS

/* A window editing a collection's environments: pick one, add, rename or delete
 * environments, and edit its variables, each with a "secret" toggle. Secret values are
 * masked (with a peek icon) and go to the SondeSecretStore, never into the files. Edits are
 * written when another environment is picked, on "Save" and when the window closes.
 *
 * Actions: "environments.add-variable", "environments.save", "environments.add" (asks a
 * name), "environments.rename", "environments.delete" (asks first). */
#define SONDE_TYPE_ENVIRONMENT_EDITOR (sonde_environment_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeEnvironmentEditor, sonde_environment_editor, SONDE, ENVIRONMENT_EDITOR, AdwWindow)

SondeEnvironmentEditor *sonde_environment_editor_new            (GtkWindow              *parent,
                                                                 SondeCollection        *collection,
                                                                 SondeSecretStore       *secrets);
/* The environment being edited (NULL: the collection has none). */
SondeEnvironment       *sonde_environment_editor_get_environment (SondeEnvironmentEditor *self);
void                    sonde_environment_editor_select          (SondeEnvironmentEditor *self,
                                                                  const char             *name);
/* Adds a variable row (for tests and the "add-variable" action). */
void                    sonde_environment_editor_add_variable    (SondeEnvironmentEditor *self,
                                                                  const char             *name,
                                                                  const char             *value,
                                                                  gboolean                secret);
/* Puts the edits into the environment and starts writing its file (in a worker thread) and
 * its secrets; failures are shown in a dialog. */
void                    sonde_environment_editor_save            (SondeEnvironmentEditor *self);

G_END_DECLS
