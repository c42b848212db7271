/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* "Copy as Code": the request of a page as curl, python-requests, HTTPie or fetch code, with
 * what it inherits and its variables expanded; secrets stay {{name}} unless "Include
 * Secrets" is ticked (docs/import-export.md). */
#define SONDE_TYPE_COPY_AS_DIALOG (sonde_copy_as_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SondeCopyAsDialog, sonde_copy_as_dialog, SONDE, COPY_AS_DIALOG, AdwWindow)

/* COLLECTION and NODE: NULL for a lone request. RUN_VARIABLES (name → value) and RUN_SECRETS
 * (the secret ones among them) are what captures set this session; both may be NULL. */
GtkWidget   *sonde_copy_as_dialog_new          (GtkWindow           *parent,
                                                SondeRequest        *request,
                                                SondeCollection     *collection,
                                                SondeCollectionNode *node,
                                                SondeEnvironment    *environment,
                                                SondeSecretStore    *secrets,
                                                GHashTable          *run_variables,
                                                GHashTable          *run_secrets);
void         sonde_copy_as_dialog_set_language (SondeCopyAsDialog   *self,
                                                SondeExportLanguage  language);
void         sonde_copy_as_dialog_set_include_secrets (SondeCopyAsDialog *self,
                                                       gboolean           include);
/* The code shown (for tests), or NULL while it is being made or when it could not be. */
const char  *sonde_copy_as_dialog_get_code     (SondeCopyAsDialog   *self);

G_END_DECLS
