/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder so the application links and starts: the owner of SondeWindow replaces this
 * whole file. */
#include "config.h"

#include "sonde-window.h"

struct _SondeWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (SondeWindow, sonde_window, ADW_TYPE_APPLICATION_WINDOW)

static void
sonde_window_class_init (SondeWindowClass *klass)
{
}

static void
sonde_window_init (SondeWindow *self)
{
}

SondeWindow *
sonde_window_new (SondeApplication *app)
{
  return g_object_new (SONDE_TYPE_WINDOW, "application", app, NULL);
}

void
sonde_window_open_file (SondeWindow *self,
                        GFile       *file)
{
  g_return_if_fail (SONDE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
}
