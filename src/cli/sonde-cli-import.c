/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

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
                                   "Postman collection or environment, an Insomnia export, a HAR "
                                   "capture, a Bruno collection folder or an OpenAPI/Swagger file. "
                                   "FORMAT names it (curl, postman, postman-environment, insomnia, "
                                   "har, bruno, openapi) or is “auto”."));
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

  /* Synchronous on purpose (a CLI): the first store may probe the session bus. */
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

/* sonde-cli export postman DIR --output FILE: environments go beside FILE */
int
sonde_cli_export_postman (int    argc,
                          char **argv)
{
  g_autofree char *output = NULL;
  g_auto(GStrv) arguments = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the collection to FILE (its environments beside it, NAME.postman_environment.json)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &arguments, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("postman DIR --output FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(SondeCollection) collection = NULL;
  g_autofree char *text = NULL;
  GListModel *environments;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                N_("Writes the collection in DIR as a Postman Collection v2.1 file, "
                                   "without secret values."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("sonde-cli export");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      sonde_cli_print_error (_("%s (see “sonde-cli export --help”)"), error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }
  if (arguments == NULL || g_strv_length (arguments) != 2 || output == NULL)
    {
      sonde_cli_print_error (_("Give a collection folder and --output FILE (see “sonde-cli export --help”)"));
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  dir = g_file_new_for_commandline_arg (arguments[1]);
  collection = sonde_collection_load (dir, NULL, &error);
  if (collection == NULL || (text = sonde_export_postman (collection, &error)) == NULL)
    {
      sonde_cli_print_error ("%s", error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  file = g_file_new_for_commandline_arg (output);
  if (!sonde_file_write_atomic (file, text, strlen (text), 0644, &error))
    {
      sonde_cli_print_error ("%s", error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }
  g_print ("%s\n", output);

  folder = g_file_get_parent (file);
  environments = sonde_collection_get_environments (collection);
  for (guint i = 0; i < g_list_model_get_n_items (environments); i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (environments, i);
      g_autofree char *data = NULL;
      g_autofree char *name = NULL;
      g_autoptr(GFile) env_file = NULL;

      if (sonde_environment_get_error (environment) != NULL)
        continue;
      data = sonde_export_postman_environment (environment);
      name = g_strdup_printf ("%s.postman_environment.json", sonde_environment_get_name (environment));
      g_strdelimit (name, "/\\", '-');
      env_file = g_file_get_child (folder, name);
      if (!sonde_file_write_atomic (env_file, data, strlen (data), 0644, &error))
        {
          sonde_cli_print_error ("%s", error->message);
          return SONDE_CLI_EXIT_BAD_INPUT;
        }
      {
        g_autofree char *shown = g_file_get_path (env_file);

        g_print ("%s\n", shown);
      }
    }
  return 0;
}
