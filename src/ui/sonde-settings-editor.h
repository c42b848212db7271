/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-request.h"
#include "sonde-variable-highlight.h"

G_BEGIN_DECLS

/* The Settings page of the request editor: timeouts, redirects, TLS, client certificate,
 * proxy and HTTP version, bound to the "options" of "request" (nullable). */
#define SONDE_TYPE_SETTINGS_EDITOR (sonde_settings_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeSettingsEditor, sonde_settings_editor, SONDE, SETTINGS_EDITOR, GtkWidget)

SondeRequest *sonde_settings_editor_get_request (SondeSettingsEditor *self);
void          sonde_settings_editor_set_request (SondeSettingsEditor *self,
                                                 SondeRequest        *request);
/* Highlights {{variables}} in the proxy and passphrase fields (NULL: none). */
void          sonde_settings_editor_set_variable_scope (SondeSettingsEditor *self,
                                                        SondeVariableScope  *scope);

G_END_DECLS
