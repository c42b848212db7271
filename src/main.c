/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "sonde-application.h"
#include "sonde-client.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SondeApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  sonde_client_init_process ();

  g_set_application_name (_("Sonde"));

  app = sonde_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
