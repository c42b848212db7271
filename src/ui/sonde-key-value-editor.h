/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-variable-highlight.h"

G_BEGIN_DECLS

/* Rows editor for a GListStore<SondeKeyValue> (params, headers, cookies, form fields):
 * an enable check, name, value and delete button per row, and a trailing empty row that
 * becomes a real row as soon as something is typed in it.
 *
 * Properties: "model" (GListStore, nullable), "name-label" / "value-label" (accessible
 * names and placeholders of the entries, e.g. "Header name"), "validate-headers" (mark
 * names and values that are not valid HTTP header fields), "warn-secrets" (rows whose value
 * looks like a literal token or password get a "Make Secret…" button, see
 * sonde_looks_like_secret ()).
 *
 * Signal "make-secret" (guint position): that button was pressed in row POSITION. */
#define SONDE_TYPE_KEY_VALUE_EDITOR (sonde_key_value_editor_get_type ())
G_DECLARE_FINAL_TYPE (SondeKeyValueEditor, sonde_key_value_editor, SONDE, KEY_VALUE_EDITOR, GtkWidget)

GtkWidget  *sonde_key_value_editor_new                  (void);
GListStore *sonde_key_value_editor_get_model            (SondeKeyValueEditor *self);
void        sonde_key_value_editor_set_model            (SondeKeyValueEditor *self,
                                                         GListStore          *model);
void        sonde_key_value_editor_set_name_completions (SondeKeyValueEditor *self,
                                                         const char * const  *names);
void        sonde_key_value_editor_set_value_completions (SondeKeyValueEditor *self,
                                                          const char * const  *values);
/* The entries of row POSITION (the trailing empty row is at n_items). For tests and focus. */
GtkEditable *sonde_key_value_editor_get_name_entry      (SondeKeyValueEditor *self,
                                                         guint                position);
GtkEditable *sonde_key_value_editor_get_value_entry     (SondeKeyValueEditor *self,
                                                         guint                position);
GtkWidget   *sonde_key_value_editor_get_secret_button   (SondeKeyValueEditor *self,
                                                         guint                position);
/* Highlights the {{variables}} of names and values (NULL: none). */
void         sonde_key_value_editor_set_variable_scope  (SondeKeyValueEditor *self,
                                                         SondeVariableScope  *scope);
gboolean     sonde_key_value_editor_get_warn_secrets    (SondeKeyValueEditor *self);
void         sonde_key_value_editor_set_warn_secrets    (SondeKeyValueEditor *self,
                                                         gboolean             warn_secrets);

GtkToggleButton *sonde_key_value_editor_get_sensitive_button (SondeKeyValueEditor *self,
                                                             guint                position);

G_END_DECLS
