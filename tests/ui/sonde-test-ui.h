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
void              sonde_test_ui_destroy_dialogs (void);

G_END_DECLS
