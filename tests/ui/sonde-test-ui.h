/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

gboolean sonde_test_ui_init             (int        *argc,
                                         char     ***argv);
void     sonde_test_ui_add_icon_dirs    (void);
void     sonde_test_ui_spin_until_idle  (void);
void     sonde_test_ui_spin_until       (gboolean  (*condition) (gpointer data),
                                         gpointer    data);
GApplication *sonde_test_ui_register_application (GApplication      *app,
                                                  GApplicationFlags  flags);
AdwMessageDialog *sonde_test_ui_find_dialog     (void);
/* The first widget at or below ROOT, depth first, of TYPE that MATCH (may be NULL) accepts */
GtkWidget        *sonde_test_ui_find            (GtkWidget      *root,
                                                 GType           type,
                                                 gboolean      (*match) (GtkWidget     *widget,
                                                                         gconstpointer  data),
                                                 gconstpointer   data);
/* Matches for sonde_test_ui_find (): a label's text, a button's label or tooltip, a CSS class */
gboolean          sonde_test_ui_has_text        (GtkWidget     *widget,
                                                 gconstpointer  text);
gboolean          sonde_test_ui_has_css_class   (GtkWidget     *widget,
                                                 gconstpointer  css_class);
void              sonde_test_ui_destroy_dialogs (void);

G_END_DECLS
