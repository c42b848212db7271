/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean sonde_test_ui_init             (int        *argc,
                                         char     ***argv);
void     sonde_test_ui_add_icon_dirs    (void);
void     sonde_test_ui_spin_until_idle  (void);
void     sonde_test_ui_spin_until       (gboolean  (*condition) (gpointer data),
                                         gpointer    data);
GApplication *sonde_test_ui_register_application (GApplication      *app,
                                                  GApplicationFlags  flags);

G_END_DECLS
