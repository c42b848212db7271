/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-environment.h"

G_BEGIN_DECLS

/* Private to core: an environment whose file does not parse (sonde-collection.c). */
SondeEnvironment *sonde_environment_new_broken (GFile        *file,
                                                const GError *error);

/* Private to core: "variables" rows, shared by environment, collection and folder files. */
gboolean   sonde_variable_rows_read    (JsonObject   *object,
                                        const char   *key,
                                        const char   *parent,
                                        GListStore   *store,
                                        GError      **error);
/* NULL when ROWS is empty. */
JsonArray *sonde_variable_rows_to_json (GListModel   *rows);

G_END_DECLS
