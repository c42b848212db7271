/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sonde-check-editor.h"

G_BEGIN_DECLS

/* One row of a SondeCheckEditor: a check (enabled, source, header name or JSONPath, operator,
 * value) or a capture (enabled, variable, source, name or path, secret), editing its JSON
 * object in place and saying so with "edited". Remove activates "checks.remove-row" (u: the
 * row's index) up the widget tree, which the editor carries out. */
#define SONDE_TYPE_CHECK_ROW (sonde_check_row_get_type ())
G_DECLARE_FINAL_TYPE (SondeCheckRow, sonde_check_row, SONDE, CHECK_ROW, GtkListBoxRow)

GtkWidget  *sonde_check_row_new       (SondeCheckEditorMode  mode,
                                       JsonObject           *row);
JsonObject *sonde_check_row_get_json  (SondeCheckRow        *self);
/* "enabled", "variable", "source", "target", "op", "value", "secret" or "remove" (tests) */
GtkWidget  *sonde_check_row_get_field (SondeCheckRow        *self,
                                       const char           *field);

G_END_DECLS
