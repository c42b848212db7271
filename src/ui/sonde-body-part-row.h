/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-body.h"
#include "sonde-request.h"
#include "sonde-variable-highlight.h"

G_BEGIN_DECLS

/* One part of a multipart body in the body editor: enabled check, field name, then the value
 * for a text part or the file (a button choosing it, its size and type) for a file part, the
 * file name and content type in a popover, and a remove button. A text or file row it stays:
 * that is decided by the part when the row is made.
 *
 * Actions (on the row): "part.choose-file", "part.remove" (from the request's body). */
#define SONDE_TYPE_BODY_PART_ROW (sonde_body_part_row_get_type ())
G_DECLARE_FINAL_TYPE (SondeBodyPartRow, sonde_body_part_row, SONDE, BODY_PART_ROW, GtkListBoxRow)

/* REQUEST: the request whose body holds PART (file paths are relative to it). */
GtkWidget     *sonde_body_part_row_new                (SondeBodyPart      *part,
                                                       SondeRequest       *request);
SondeBodyPart *sonde_body_part_row_get_part           (SondeBodyPartRow   *self);
GtkWidget     *sonde_body_part_row_get_name_entry     (SondeBodyPartRow   *self);
/* Highlights {{variables}} in the name and value (NULL: none). */
void           sonde_body_part_row_set_variable_scope (SondeBodyPartRow   *self,
                                                       SondeVariableScope *scope);

G_END_DECLS
