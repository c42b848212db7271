/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-key-value.h"

G_BEGIN_DECLS

/* One variable in the environment editor: its name, its value (a plain entry, or a password
 * entry with a peek icon when secret), a "secret" toggle and a remove button.
 *
 * Signal "changed": the user edited the name, the value or the toggle, or removed the row.
 * Action "variable.remove" (the remove button): takes the row out of its list box. */
#define SONDE_TYPE_ENVIRONMENT_ROW (sonde_environment_row_get_type ())
G_DECLARE_FINAL_TYPE (SondeEnvironmentRow, sonde_environment_row, SONDE, ENVIRONMENT_ROW, GtkListBoxRow)

/* ORIGINAL: the variable the row shows, kept so that saving copies what the row does not
 * edit; NULL for a variable added in the editor. */
GtkWidget     *sonde_environment_row_new           (const char          *name,
                                                    const char          *value,
                                                    gboolean             secret,
                                                    SondeKeyValue       *original);
SondeKeyValue *sonde_environment_row_get_original  (SondeEnvironmentRow *self);
const char    *sonde_environment_row_get_name      (SondeEnvironmentRow *self);
GtkWidget     *sonde_environment_row_get_name_entry (SondeEnvironmentRow *self);
/* The value in the entry shown: the masked one when secret */
const char    *sonde_environment_row_get_value     (SondeEnvironmentRow *self);
gboolean       sonde_environment_row_get_secret    (SondeEnvironmentRow *self);
/* Shows VALUE, looked up in the keyring, unless a value was typed meanwhile. */
void           sonde_environment_row_fill_secret   (SondeEnvironmentRow *self,
                                                    const char          *value);

G_END_DECLS
