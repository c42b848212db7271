/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "sonde-cli-import.h"
#include "sonde-cli-send.h"
#include "sonde-core.h"

/* sonde-cli import FORMAT|auto FILE --into DIR (docs/import-export.md) */

int
sonde_cli_import (int    argc,
                  char **argv)
{
  g_autofree char *into = NULL;
  g_auto(GStrv) arguments = NULL;
  const GOptionEntry entries[] = {
    { "into", 0, 0, G_OPTION_ARG_FILENAME, &into,
      N_("Create the collection in DIR, which must not exist yet"), N_("DIR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &arguments, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("FORMAT|auto FILE --into DIR"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) input = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeSecretStore) secrets = NULL;
  g_autofree char *report = NULL;
  SondeImportFormat format;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                N_("Creates a Sonde collection from FILE: a file of curl commands, a "
                                   "Postman collection or environment, or a HAR capture. FORMAT names "
                                   "it (curl, postman, postman-environment, har) or is “auto”."));
  g_option_context_set_description (context,
                                    N_("Prints what was converted, what was kept as data and what was "
                                       "left out. Secret values go to the keyring. Exit status: 0 when "
                                       "the collection was created, 2 when the input cannot be read or "
                                       "DIR exists."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("sonde-cli import");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sonde_cli_print_error (_("%s (see “sonde-cli import --help”)"), error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }
  if (arguments == NULL || g_strv_length (arguments) != 2 || into == NULL)
    {
      sonde_cli_print_error (_("Give a format (or “auto”), a file and --into DIR "
                               "(see “sonde-cli import --help”)"));
      return SONDE_CLI_EXIT_BAD_INPUT;
    }
  if (!sonde_import_format_from_string (arguments[0], &format))
    {
      sonde_cli_print_error (_("“%s” is not a format Sonde imports (see “sonde-cli import --help”)"),
                             arguments[0]);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  input = g_file_new_for_commandline_arg (arguments[1]);
  target = g_file_new_for_commandline_arg (into);
  import = sonde_import_file (input, format, NULL, &error);
  if (import == NULL)
    {
      sonde_cli_print_error ("%s", error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  secrets = sonde_secret_store_new ();
  if (!sonde_import_write (import, target, secrets, NULL, &error))
    {
      sonde_cli_print_error ("%s", error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  report = sonde_import_report_to_text (import);
  g_print ("%s\n", into);
  g_print ("%s", report);
  return 0;
}
