/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-application.h"

G_BEGIN_DECLS

#define SONDE_TYPE_WINDOW (sonde_window_get_type ())
G_DECLARE_FINAL_TYPE (SondeWindow, sonde_window, SONDE, WINDOW, AdwApplicationWindow)

SondeWindow *sonde_window_new       (SondeApplication *app);
/* Opens FILE (a *.request.json) in a new tab. */
void         sonde_window_open_file (SondeWindow      *self,
                                     GFile            *file);

G_END_DECLS
