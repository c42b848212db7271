/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Preferences: what requests get when neither they nor their collection say (timeout,
 * redirects, TLS verification, proxy), how much of a response is kept, the history's size.
 * Every row is bound to a GSettings key of io.github.sonde.Sonde: changes apply at once. */
#define SONDE_TYPE_PREFERENCES_WINDOW (sonde_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SondePreferencesWindow, sonde_preferences_window, SONDE, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *sonde_preferences_window_new (GtkWindow *parent,
                                         GSettings *settings);

G_END_DECLS
