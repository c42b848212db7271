/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* The "checks" or the "captures" rows of a request file (sonde-check.h), edited in place:
 * a row per check (source, header name or JSONPath, operator, value) or per capture
 * (variable, source, secret), added, removed and switched off like other rows. Rows keep
 * the keys Sonde does not know. */
typedef enum
{
  SONDE_CHECK_EDITOR_CHECKS,
  SONDE_CHECK_EDITOR_CAPTURES,
} SondeCheckEditorMode;

#define SONDE_TYPE_CHECK_EDITOR (sonde_check_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeCheckEditor, sonde_check_editor, SONDE, CHECK_EDITOR, GtkWidget)

GtkWidget    *sonde_check_editor_new          (SondeCheckEditorMode  mode);
void          sonde_check_editor_set_request  (SondeCheckEditor     *self,
                                               SondeRequest         *request);
GtkListBox   *sonde_check_editor_get_list     (SondeCheckEditor     *self);

G_END_DECLS
