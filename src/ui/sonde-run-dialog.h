/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* Runs a collection folder from the window: iterations, delay, stop at the first failure,
 * live progress and a row per request (status, time, checks; the failing ones beneath) that
 * opens its response. Stop (or closing the window) cancels the run at once.
 *
 * Signal "open-result" (SondeRunResult *result, borrowed): a result row was activated. */
#define SONDE_TYPE_RUN_DIALOG (sonde_run_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SondeRunDialog, sonde_run_dialog, SONDE, RUN_DIALOG, AdwWindow)

SondeRunDialog *sonde_run_dialog_new          (SondeCollection     *collection,
                                               SondeCollectionNode *folder,
                                               SondeClient         *client,
                                               SondeEnvironment    *environment,
                                               SondeSecretStore    *secrets,
                                               GHashTable          *variables);
gboolean        sonde_run_dialog_set_data_file (SondeRunDialog     *self,
                                                GFile              *file,
                                                GError            **error);
gboolean        sonde_run_dialog_get_running  (SondeRunDialog      *self);
SondeRunner    *sonde_run_dialog_get_runner   (SondeRunDialog      *self);
GtkListBox     *sonde_run_dialog_get_results_list (SondeRunDialog  *self);
GtkLabel       *sonde_run_dialog_get_summary_label (SondeRunDialog *self);
GtkSpinButton  *sonde_run_dialog_get_iterations_spin (SondeRunDialog *self);
GtkSwitch      *sonde_run_dialog_get_bail_switch (SondeRunDialog   *self);

G_END_DECLS
