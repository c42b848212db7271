/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-request.h"
#include "sonde-variable-highlight.h"

G_BEGIN_DECLS

/* The Body page of the request editor: the kind of body and its editor (source view for
 * text/JSON/XML, rows for form fields, parts for multipart, a file for binary).
 * Property "request" (SondeRequest, nullable): the body edited is its "body". */
#define SONDE_TYPE_BODY_EDITOR (sonde_body_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeBodyEditor, sonde_body_editor, SONDE, BODY_EDITOR, GtkWidget)

SondeRequest *sonde_body_editor_get_request (SondeBodyEditor *self);
void          sonde_body_editor_set_request (SondeBodyEditor *self,
                                             SondeRequest    *request);
/* Pretty-prints a JSON body; on invalid JSON shows the reason under the text and returns
 * FALSE with ERROR set. */
gboolean      sonde_body_editor_format      (SondeBodyEditor *self,
                                             GError         **error);
/* GraphQL: "Fetch Schema" (the window's win.fetch-schema) is under way (NAMES NULL, ERROR
 * NULL), brought the schema's NAMES, offered as completions in the query, or failed. */
void          sonde_body_editor_set_schema  (SondeBodyEditor    *self,
                                             gboolean            loading,
                                             const char * const *names,
                                             const GError       *error);
const char * const *sonde_body_editor_get_schema_names (SondeBodyEditor *self);
/* Highlights {{variables}} in the text, fields and parts (NULL: none). */
void          sonde_body_editor_set_variable_scope (SondeBodyEditor    *self,
                                                    SondeVariableScope *scope);

G_END_DECLS
