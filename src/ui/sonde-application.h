/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SONDE_TYPE_APPLICATION (sonde_application_get_type ())
G_DECLARE_FINAL_TYPE (SondeApplication, sonde_application, SONDE, APPLICATION, AdwApplication)

SondeApplication *sonde_application_new (void);

G_END_DECLS
