/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-request.h"
#include "sonde-variable-highlight.h"

G_BEGIN_DECLS

/* Edits one SondeRequest: name, method, URL (kept in sync with the Params rows), and the
 * Params, Headers, Cookies, Body, Auth and Settings pages. Invalid fields are marked where
 * they are, with the reason as their tooltip.
 *
 * Properties: "request" (SondeRequest, construct-only), "sending" (the Send button becomes
 * Cancel), "shared" (see below). Actions: "editor.format-body".
 *
 * Action "win.make-secret" (sss: suggested name, value, field), activated on the window: in a
 * shared request, the user pressed "Make Secret…" next to a literal that looks like a token or
 * password. The window stores VALUE as a secret variable (asking for its name, the suggested
 * one by default, e.g. in the active environment) and then calls
 * sonde_request_editor_replace_literal () with the same FIELD and VALUE and the chosen name.
 * FIELD names where the literal is: "header:N" (N: position of the row in Headers),
 * "auth:password", "auth:token" or "auth:key-value". */
#define SONDE_TYPE_REQUEST_EDITOR (sonde_request_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeRequestEditor, sonde_request_editor, SONDE, REQUEST_EDITOR, GtkWidget)

GtkWidget    *sonde_request_editor_new         (SondeRequest       *request);
SondeRequest *sonde_request_editor_get_request (SondeRequestEditor *self);
gboolean      sonde_request_editor_get_sending (SondeRequestEditor *self);
void          sonde_request_editor_set_sending (SondeRequestEditor *self,
                                                gboolean            sending);
void          sonde_request_editor_focus_url   (SondeRequestEditor *self);
/* A WebSocket request is open: the Send button becomes Disconnect (win.disconnect), and the
 * Messages tab's Send buttons work. */
gboolean      sonde_request_editor_get_connected (SondeRequestEditor *self);
void          sonde_request_editor_set_connected (SondeRequestEditor *self,
                                                  gboolean            connected);
/* Checks what can be checked before sending (method, URL, header rows), marks the fields
 * and shows the page of the first problem. FALSE with ERROR naming it. */
gboolean      sonde_request_editor_check       (SondeRequestEditor *self,
                                                GError            **error);
/* {{variables}} in the URL, rows, auth fields and body are highlighted; hovering one shows
 * its value. VALUES maps names to values (char* -> char*), SECRET_NAMES is a set of names
 * (keys) whose values are shown masked. A name not in VALUES is marked undefined. VALUES
 * NULL (a lone request without --var): every variable is marked undefined, and the tooltip
 * says where variables come from. Both tables are referenced, not copied: call again after
 * changing them. */
void          sonde_request_editor_set_variables (SondeRequestEditor *self,
                                                  GHashTable         *values,
                                                  GHashTable         *secret_names);
/* TRUE when the request belongs to a collection (its file is shared with teammates):
 * literals that look like secrets in headers and auth fields are then warned about, with a
 * "Make Secret…" button that activates "win.make-secret". FALSE by default. */
gboolean      sonde_request_editor_get_shared    (SondeRequestEditor *self);
void          sonde_request_editor_set_shared    (SondeRequestEditor *self,
                                                  gboolean            shared);
/* Replaces VALUE in FIELD (as given to "win.make-secret") with "{{NAME}}". Within a header
 * value only the literal part is replaced ("Bearer abc" becomes "Bearer {{NAME}}"). FALSE
 * when FIELD no longer holds VALUE (edited meanwhile); nothing is changed then. */
gboolean      sonde_request_editor_replace_literal (SondeRequestEditor *self,
                                                    const char         *field,
                                                    const char         *value,
                                                    const char         *name);
/* For tests and focus handling. */
GtkEditable  *sonde_request_editor_get_url_entry (SondeRequestEditor *self);
/* The variables the editors highlight (sonde-variable-highlight.h). */
SondeVariableScope *sonde_request_editor_get_variable_scope (SondeRequestEditor *self);
/* The widget of a tab ("params", "path-variables", "headers", "cookies", "body", "auth",
 * "settings", "checks", "captures", "scripts"), made now if its tab was never shown. */
GtkWidget    *sonde_request_editor_get_page      (SondeRequestEditor *self,
                                                  const char         *name);

G_END_DECLS
