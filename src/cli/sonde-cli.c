/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "sonde-cli-import.h"
#include "sonde-client.h"
#include "sonde-cli-run.h"
#include "sonde-cli-send.h"

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) usage = g_string_new (NULL);

  g_string_append_printf (usage, "%s\n  sonde-cli %s\n\n", _("Usage:"), _("COMMAND [OPTION…]"));
  g_string_append_printf (usage, "%s\n\n", _("Sends HTTP requests saved by Sonde, from a terminal or a CI job."));
  g_string_append_printf (usage, "%s\n", _("Commands:"));
  g_string_append_printf (usage, "  send FILE.request.json   %s\n", _("Send one request and print the response"));
  g_string_append_printf (usage, "  run DIR                  %s\n", _("Send the requests of a collection or folder, in order"));
  g_string_append_printf (usage, "  import FORMAT FILE       %s\n", _("Create a collection from Postman, Insomnia, Bruno, OpenAPI, HAR or curl"));
  g_string_append_printf (usage, "  export LANGUAGE FILE     %s\n\n", _("Print a request as code, or a collection as a Postman file"));
  g_string_append_printf (usage, "%s\n", _("Options:"));
  g_string_append_printf (usage, "  -h, --help               %s\n", _("Show this help"));
  g_string_append_printf (usage, "  --version                %s\n\n", _("Show the version"));
  g_string_append_printf (usage, "%s\n", _("“sonde-cli send --help” lists the options of send, "
                                           "“sonde-cli run --help” those of run, and so on."));

  /* g_print and g_printerr convert to the locale's encoding. */
  if (stream == stdout)
    g_print ("%s", usage->str);
  else
    g_printerr ("%s", usage->str);
}

int
main (int   argc,
      char *argv[])
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("sonde-cli");
  sonde_client_init_process ();
  /* Nothing edits a request here: nothing listens to a row changing. */
  sonde_request_set_watch_parts (FALSE);

  if (argc < 2)
    {
      print_usage (stderr);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  command = argv[1];

  if (g_str_equal (command, "send"))
    return sonde_cli_send (argc - 1, argv + 1);

  if (g_str_equal (command, "run"))
    return sonde_cli_run (argc - 1, argv + 1);

  if (g_str_equal (command, "import"))
    return sonde_cli_import (argc - 1, argv + 1);

  if (g_str_equal (command, "export"))
    {
      if (argc > 2 && g_str_equal (argv[2], "postman"))
        return sonde_cli_export_postman (argc - 1, argv + 1);
      return sonde_cli_export (argc - 1, argv + 1);
    }

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h")
      || g_str_equal (command, "help"))
    {
      print_usage (stdout);
      return 0;
    }

  if (g_str_equal (command, "--version"))
    {
      g_print ("sonde-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  sonde_cli_print_error (_("Unknown command “%s” (see “sonde-cli --help”)"), command);
  return SONDE_CLI_EXIT_BAD_INPUT;
}
