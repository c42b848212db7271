/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-request.h"

G_BEGIN_DECLS

/* Edits one SondeRequest: name, method, URL (kept in sync with the Params rows), and the
 * Params, Headers, Cookies, Body, Auth and Settings pages. Invalid fields are marked where
 * they are, with the reason as their tooltip.
 *
 * Properties: "request" (SondeRequest, construct-only), "sending" (the Send button becomes
 * Cancel). Actions: "editor.format-body". */
#define SONDE_TYPE_REQUEST_EDITOR (sonde_request_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeRequestEditor, sonde_request_editor, SONDE, REQUEST_EDITOR, GtkWidget)

GtkWidget    *sonde_request_editor_new         (SondeRequest       *request);
SondeRequest *sonde_request_editor_get_request (SondeRequestEditor *self);
gboolean      sonde_request_editor_get_sending (SondeRequestEditor *self);
void          sonde_request_editor_set_sending (SondeRequestEditor *self,
                                                gboolean            sending);
void          sonde_request_editor_focus_url   (SondeRequestEditor *self);
/* Checks what can be checked before sending (method, URL, header rows), marks the fields
 * and shows the page of the first problem. FALSE with ERROR naming it. */
gboolean      sonde_request_editor_check       (SondeRequestEditor *self,
                                                GError            **error);
/* For tests and focus handling. */
GtkEditable  *sonde_request_editor_get_url_entry (SondeRequestEditor *self);
GtkWidget    *sonde_request_editor_get_page      (SondeRequestEditor *self,
                                                  const char         *name);

G_END_DECLS
