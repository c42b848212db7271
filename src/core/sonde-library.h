/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Private to core: a library opened the first time it is needed rather than linked, so that
 * starting the window or sonde-cli does not load it (docs/architecture.md). */
typedef struct
{
  const char *soname;   /* "libgnutls.so.30" */
  gsize       opened;   /* for g_once_init_enter () */
  gboolean    found;    /* opened, with every symbol */
} SondeLibrary;

#define SONDE_LIBRARY_INIT(soname) { (soname), 0, FALSE }

gboolean sonde_library_open (SondeLibrary       *library,
                             const char * const *symbols,
                             gpointer           *pointers);

G_END_DECLS
