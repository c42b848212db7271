/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-auth.h"

G_BEGIN_DECLS

/* The Auth page of the request editor, bound to a SondeAuth ("auth", nullable). */
#define SONDE_TYPE_AUTH_EDITOR (sonde_auth_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeAuthEditor, sonde_auth_editor, SONDE, AUTH_EDITOR, GtkWidget)

SondeAuth *sonde_auth_editor_get_auth (SondeAuthEditor *self);
void       sonde_auth_editor_set_auth (SondeAuthEditor *self,
                                       SondeAuth       *auth);

G_END_DECLS
