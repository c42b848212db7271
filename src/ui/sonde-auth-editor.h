/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-auth.h"
#include "sonde-variable-highlight.h"

G_BEGIN_DECLS

/* The Auth page of the request editor, bound to a SondeAuth ("auth", nullable).
 *
 * Property "warn-secrets": a literal password, token or API key value gets a "Make
 * Secret…" button, which emits "make-secret" (const char *field: "password", "token" or
 * "key-value"). */
#define SONDE_TYPE_AUTH_EDITOR (sonde_auth_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeAuthEditor, sonde_auth_editor, SONDE, AUTH_EDITOR, GtkWidget)

SondeAuth *sonde_auth_editor_get_auth (SondeAuthEditor *self);
void       sonde_auth_editor_set_auth (SondeAuthEditor *self,
                                       SondeAuth       *auth);
/* Highlights {{variables}} in the fields (NULL: none). */
void       sonde_auth_editor_set_variable_scope (SondeAuthEditor    *self,
                                                 SondeVariableScope *scope);
gboolean   sonde_auth_editor_get_warn_secrets   (SondeAuthEditor *self);
void       sonde_auth_editor_set_warn_secrets   (SondeAuthEditor *self,
                                                 gboolean         warn_secrets);
/* The "Make Secret…" button of FIELD, for tests. */
GtkWidget *sonde_auth_editor_get_secret_button  (SondeAuthEditor *self,
                                                 const char      *field);
/* Replaces VALUE with {{NAME}} in FIELD; FALSE when FIELD does not hold VALUE. */
gboolean   sonde_auth_editor_replace_literal    (SondeAuthEditor *self,
                                                 const char      *field,
                                                 const char      *value,
                                                 const char      *name);

/* OAuth 2.0: what the token row says ("Get New Token" done, failed, or under way) */
void       sonde_auth_editor_set_token_status (SondeAuthEditor *self,
                                               const char      *text,
                                               gboolean         is_error,
                                               gboolean         busy);
const char *sonde_auth_editor_get_token_status (SondeAuthEditor *self);

G_END_DECLS
