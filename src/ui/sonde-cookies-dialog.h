/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* The cookies of STORE's jar: see, change a value, delete, clear all; follows the jar live. */
#define SONDE_TYPE_COOKIES_DIALOG (sonde_cookies_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SondeCookiesDialog, sonde_cookies_dialog, SONDE, COOKIES_DIALOG, AdwWindow)

/* OWNER names whose cookies they are (a collection's name, a file's), or NULL */
GtkWidget *sonde_cookies_dialog_new           (GtkWindow          *parent,
                                               SondeCookieStore   *store,
                                               const char         *owner);
/* How many cookies are listed (for tests) */
guint      sonde_cookies_dialog_get_n_cookies (SondeCookiesDialog *self);

G_END_DECLS
