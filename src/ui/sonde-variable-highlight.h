/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What {{variables}} resolve to while editing: values by name and the names of secrets.
 * Emits "changed" when set again and when the style turns dark or light (the colours of the
 * highlights follow it). Without values (a lone request) every variable is undefined. */
#define SONDE_TYPE_VARIABLE_SCOPE (sonde_variable_scope_get_type ())
G_DECLARE_FINAL_TYPE (SondeVariableScope, sonde_variable_scope, SONDE, VARIABLE_SCOPE, GObject)

SondeVariableScope *sonde_variable_scope_new        (void);
/* VALUES: char* -> char* (nullable); SECRET_NAMES: a set of names (nullable). Referenced. */
void                sonde_variable_scope_set        (SondeVariableScope *self,
                                                     GHashTable         *values,
                                                     GHashTable         *secret_names);
void                sonde_variable_scope_set_captured (SondeVariableScope *self,
                                                       GHashTable         *names);
gboolean            sonde_variable_scope_is_defined (SondeVariableScope *self,
                                                     const char         *name);
/* One line for a tooltip: "token = abc…", "password = ••••••", "Variable “x” is not
 * defined", or, without values, where variables come from. */
char               *sonde_variable_scope_describe   (SondeVariableScope *self,
                                                     const char         *name);
/* The tooltip for TEXT: one line per variable it uses, NULL when it uses none. */
char               *sonde_variable_scope_describe_text (SondeVariableScope *self,
                                                        const char         *text);

/* Highlights the {{variables}} of EDITABLE (a GtkEntry, AdwEntryRow, …: anything whose
 * delegate is a GtkText) as they are typed, following SCOPE, and describes them in its
 * tooltip (after the widget's own tooltip text, if any). SCOPE NULL stops. */
void                sonde_variable_highlight_editable  (GtkEditable        *editable,
                                                        SondeVariableScope *scope);
/* The variables part of EDITABLE's tooltip (NULL when it shows none). For tests. */
char               *sonde_variable_highlight_get_tooltip (GtkEditable *editable);
/* The same for a text view, with tags; the tooltip describes the variable under the
 * pointer. Long texts (over 1 MB) are not highlighted. */
void                sonde_variable_highlight_text_view (GtkTextView        *view,
                                                        SondeVariableScope *scope);

G_END_DECLS
