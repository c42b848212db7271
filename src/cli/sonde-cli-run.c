/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-cli"

#include "config.h"

#include "sonde-cli-run.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sonde-core.h"
#include "sonde-collection.h"
#include "sonde-cli-json.h"
#include "sonde-cli-send.h"

/* sonde-cli run: the requests of a collection, or of a folder of it, one after the other,
 * with the collection's inheritance, an environment and its secrets, as the GUI sends them. */

typedef SondeRunResult RunResult;

typedef struct
{
  /* Options */
  char              *environment_name;
  char             **assignments;
  char              *junit;
  char              *cookie_jar;
  gboolean           no_cookie_jar;
  char             **allow_files;
  gboolean           allow_outside_files;
  int                iterations;
  char              *data_file;
  int                delay;
  gboolean           bail;
  gboolean           json;
  char             **arguments;

  /* Owned */
  SondeCollection   *collection;
  SondeEnvironment  *environment;
  SondeSecretStore  *secrets;
  GHashTable        *overrides;
  SondeClient       *client;
  SondeCookieStore  *cookie_store;
  GCancellable      *cancellable;
  GPtrArray         *results;     /* the runner's */

  gboolean           interrupted;
  int                interrupt_status;
} RunCommand;

static void
run_command_clear (RunCommand *self)
{
  g_clear_pointer (&self->environment_name, g_free);
  g_clear_pointer (&self->assignments, g_strfreev);
  g_clear_pointer (&self->junit, g_free);
  g_clear_pointer (&self->cookie_jar, g_free);
  g_clear_pointer (&self->arguments, g_strfreev);
  g_clear_pointer (&self->allow_files, g_strfreev);
  g_clear_pointer (&self->data_file, g_free);
  g_clear_object (&self->collection);
  g_clear_object (&self->environment);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->overrides, g_hash_table_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->cookie_store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->results, g_ptr_array_unref);
}

static gboolean
parse_options (RunCommand   *self,
               int          *argc,
               char       ***argv,
               GError      **error)
{
  const GOptionEntry entries[] = {
    { "env", 0, 0, G_OPTION_ARG_STRING, &self->environment_name,
      N_("Use the variables of the collection’s environment NAME"), N_("NAME") },
    { "var", 0, 0, G_OPTION_ARG_STRING_ARRAY, &self->assignments,
      N_("Set the variable NAME to VALUE; repeat for more"), N_("NAME=VALUE") },
    { "junit", 0, 0, G_OPTION_ARG_FILENAME, &self->junit,
      N_("Write a JUnit XML report to FILE"), N_("FILE") },
    { "cookie-jar", 0, 0, G_OPTION_ARG_FILENAME, &self->cookie_jar,
      N_("Send the cookies kept in FILE (cookies.txt) and keep the ones the responses set, "
         "instead of the collection’s jar"), N_("FILE") },
    { "no-cookie-jar", 0, 0, G_OPTION_ARG_NONE, &self->no_cookie_jar,
      N_("Start with no cookies and keep none after the run"), NULL },
    { "allow-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &self->allow_files,
      N_("Let the collection’s requests read FILE, outside the collection; repeat for more"), N_("FILE") },
    { "allow-outside-files", 0, 0, G_OPTION_ARG_NONE, &self->allow_outside_files,
      N_("Let the collection’s requests read any file outside the collection"), NULL },
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &self->iterations,
      N_("Run the requests N times"), N_("N") },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &self->data_file,
      N_("Run the requests once per row of FILE (CSV with a header row, or a JSON array of objects), the row’s values as variables"), N_("FILE") },
    { "delay", 0, 0, G_OPTION_ARG_INT, &self->delay,
      N_("Wait MS milliseconds between requests"), N_("MS") },
    { "bail", 0, 0, G_OPTION_ARG_NONE, &self->bail,
      N_("Stop at the first request that fails or whose checks fail"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &self->json,
      N_("Print the whole run as one JSON document instead of a line per request"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &self->arguments, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("DIR"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                N_("Sends the requests of the collection folder DIR, or of a folder in it, "
                                   "in their order, and prints one line for each."));
  g_option_context_set_description (context,
                                    N_("Exit status: 0 when every request got a response (whatever its HTTP "
                                       "status), 1 when any did not, 2 on bad input (folder, environment, "
                                       "variables, options), 130 when interrupted.\n\n"
                                       "Secret variables come from the keyring, or from "
                                       "$XDG_DATA_HOME/sonde/secrets.json where no Secret Service runs "
                                       "(SONDE_SECRET_BACKEND=file forces it); in CI, give them with --var."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* "Usage: sonde-cli run [OPTION…] DIR" */
  g_set_prgname ("sonde-cli run");

  return g_option_context_parse (context, argc, argv, error);
}

static char *
list_environments (SondeCollection *collection)
{
  GListModel *environments = sonde_collection_get_environments (collection);
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (environments); i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (environments, i);

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, sonde_environment_get_name (environment));
    }

  return g_string_free (names, FALSE);
}

/* Loads the collection holding DIR and finds DIR's node in it. */
static SondeCollectionNode *
open_collection (RunCommand  *self,
                 GError     **error)
{
  const char *argument = self->arguments[0];
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (argument);
  g_autoptr(GFile) dir = NULL;
  SondeCollectionNode *node;

  if (!g_file_query_exists (file, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("“%s” does not exist"), argument);
      return NULL;
    }

  dir = sonde_collection_find_dir (file);
  if (dir == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” is not in a Sonde collection (no %s in it or above it)"),
                   argument, SONDE_COLLECTION_FILE);
      return NULL;
    }

  self->collection = sonde_collection_load (dir, NULL, error);
  if (self->collection == NULL)
    return NULL;

  node = sonde_collection_find_node (self->collection, file);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” is neither a folder of requests nor a request of the collection"), argument);
      return NULL;
    }

  return node;
}

static gboolean
open_environment (RunCommand  *self,
                  GError     **error)
{
  SondeEnvironment *environment;

  if (self->environment_name == NULL)
    return TRUE;

  environment = sonde_collection_find_environment (self->collection, self->environment_name);
  if (environment == NULL)
    {
      g_autofree char *names = list_environments (self->collection);

      if (names[0] != '\0')
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The collection has no environment “%s” (it has: %s)"), self->environment_name, names);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The collection has no environment “%s” (it has none)"), self->environment_name);
      return FALSE;
    }

  if (sonde_environment_get_error (environment) != NULL)
    {
      g_propagate_error (error, g_error_copy (sonde_environment_get_error (environment)));
      return FALSE;
    }

  self->environment = g_object_ref (environment);
  return TRUE;
}

/* Cookies set by a response go with the next requests of the run, as in the GUI: by default
 * through the collection's jar (local state, kept between runs). */
static void
open_cookie_store (RunCommand *self)
{
  g_autoptr(GError) error = NULL;

  if (self->cookie_jar != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->cookie_jar);

      self->cookie_store = sonde_cookie_store_new_for_file (file);
    }
  else if (self->no_cookie_jar)
    self->cookie_store = sonde_cookie_store_new_for_file (NULL);
  else
    self->cookie_store = sonde_cookie_store_new_for_owner (sonde_collection_get_dir (self->collection));

  /* A jar that cannot be read was set aside by the store: say so, and go on with an empty one. */
  if (!sonde_cookie_store_load (self->cookie_store, NULL, &error))
    sonde_cli_print_error (_("Warning: %s"), error->message);
  sonde_client_set_cookie_store (self->client, self->cookie_store);
}

static void
close_cookie_store (RunCommand *self)
{
  g_autoptr(GError) error = NULL;

  if (!sonde_cookie_store_flush (self->cookie_store, &error))
    sonde_cli_print_error (_("Could not save the cookies: %s"), error->message);
}

/* ------------------------------------------------------------------------------------------
 * Sending
 * ------------------------------------------------------------------------------------------ */

/* ✓ when a response arrived and every check passed; the failing checks beneath. */
static void
print_result (RunResult *result)
{
  gboolean passed = result->status > 0 && result->failed_checks == 0;

  if (result->status > 0)
    {
      g_autofree char *size = g_format_size (result->size);

      g_print ("%s %3u %-22s %6" G_GINT64_FORMAT " ms %10s  %s\n", passed ? "✓" : "✗", result->status,
               result->reason ? result->reason : "", result->duration / 1000, size, result->name);
    }
  else
    {
      g_autofree char *message = g_strdup (result->error->message);

      g_strdelimit (message, "\r\n", ' ');
      /* Translators: a request that got no response: "✗ ERR  Users / Create user: <reason>" */
      g_print (_("✗ ERR %s: %s\n"), result->name, message);
    }

  for (guint i = 0; result->checks != NULL && i < result->checks->len; i++)
    {
      SondeCheckResult *check = result->checks->pdata[i];

      if (!check->passed)
        g_print ("    ✗ %s: %s\n", check->description, check->message);
    }
}

static void
request_finished_cb (SondeRunner    *runner,
                     SondeRunResult *result,
                     gpointer        user_data)
{
  print_result (result);
}

static void
request_skipped_cb (SondeRunner         *runner,
                    SondeCollectionNode *node,
                    gpointer             user_data)
{
  g_autofree char *name = sonde_collection_node_dup_display_path (node);
  SondeRequest *request = sonde_collection_node_get_request (node);

  if (request != NULL && sonde_request_is_websocket (request))
    g_print (_("- skipped %s (a WebSocket request: sonde-cli send opens it)\n"), name);
  else
    /* Translators: a request marked "skip" in its file */
    g_print (_("- skipped %s\n"), name);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  sonde_runner_run_finish (SONDE_RUNNER (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
interrupt_cb (gpointer user_data)
{
  RunCommand *self = user_data;

  self->interrupted = TRUE;
  self->interrupt_status = 128 + SIGINT;
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------------------------
 * JUnit XML
 * ------------------------------------------------------------------------------------------ */

static void
append_attribute (GString    *out,
                  const char *name,
                  const char *value)
{
  g_autofree char *escaped = g_markup_escape_text (value ? value : "", -1);

  g_string_append_printf (out, " %s=\"%s\"", name, escaped);
}

static void
append_testcase (GString   *out,
                 RunResult *result,
                 const char *classname)
{
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (seconds, sizeof seconds, "%.3f", result->duration / (double)G_USEC_PER_SEC);
  g_string_append (out, "    <testcase");
  append_attribute (out, "name", sonde_collection_node_get_name (result->node));
  append_attribute (out, "classname", classname);
  append_attribute (out, "time", seconds);

  if (result->status > 0)
    {
      g_autofree char *line = g_strdup_printf ("%u %s, %" G_GUINT64_FORMAT " bytes", result->status,
                                               result->reason ? result->reason : "", result->size);
      g_autofree char *escaped = g_markup_escape_text (line, -1);

      g_string_append_printf (out, ">\n      <system-out>%s</system-out>\n    </testcase>\n", escaped);
    }
  else
    {
      g_autofree char *escaped = g_markup_escape_text (result->error->message, -1);

      g_string_append (out, ">\n      <failure");
      append_attribute (out, "message", result->error->message);
      append_attribute (out, "type", g_quark_to_string (result->error->domain));
      g_string_append_printf (out, ">%s</failure>\n    </testcase>\n", escaped);
    }

  /* Each check is a test case of its own, named after the request and the check. */
  for (guint i = 0; result->checks != NULL && i < result->checks->len; i++)
    {
      SondeCheckResult *check = result->checks->pdata[i];
      g_autofree char *name = g_strdup_printf ("%s: %s", sonde_collection_node_get_name (result->node),
                                               check->description);

      g_string_append (out, "    <testcase");
      append_attribute (out, "name", name);
      append_attribute (out, "classname", classname);
      append_attribute (out, "time", "0.000");
      if (check->passed)
        {
          g_string_append (out, "/>\n");
          continue;
        }
      g_string_append (out, ">\n      <failure");
      append_attribute (out, "message", check->message);
      append_attribute (out, "type", "check");
      g_string_append (out, "/>\n    </testcase>\n");
    }
}

static guint
result_tests (RunResult *result)
{
  return 1 + (result->checks != NULL ? result->checks->len : 0);
}

static guint
result_failures (RunResult *result)
{
  return (result->status == 0 ? 1 : 0) + result->failed_checks;
}

/* One testsuite per folder, in the order the folders were run. */
static char *
junit_report (RunCommand *self,
              gint64      duration)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  const char *collection_name = sonde_collection_get_name (self->collection);
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];
  guint failures = 0;
  guint tests = 0;

  for (guint i = 0; i < self->results->len; i++)
    {
      tests += result_tests (self->results->pdata[i]);
      failures += result_failures (self->results->pdata[i]);
    }

  g_ascii_formatd (seconds, sizeof seconds, "%.3f", duration / (double)G_USEC_PER_SEC);
  g_string_append (out, "<testsuites");
  append_attribute (out, "name", collection_name);
  g_string_append_printf (out, " tests=\"%u\" failures=\"%u\" errors=\"0\"", tests, failures);
  append_attribute (out, "time", seconds);
  g_string_append (out, ">\n");

  /* Depth-first order visits a folder's requests, then its sub-folders', then its own
   * again: a suite gathers them all, at the place of its first request. */
  for (guint i = 0; i < self->results->len; i++)
    {
      RunResult *first = self->results->pdata[i];
      g_autofree char *suite = NULL;
      gint64 suite_duration = 0;
      guint suite_tests = 0;
      guint suite_failures = 0;
      gboolean seen = FALSE;

      for (guint j = 0; j < i && !seen; j++)
        seen = g_str_equal (((RunResult *)self->results->pdata[j])->folder, first->folder);
      if (seen)
        continue;

      for (guint j = i; j < self->results->len; j++)
        {
          RunResult *result = self->results->pdata[j];

          if (!g_str_equal (result->folder, first->folder))
            continue;
          suite_tests += result_tests (result);
          suite_duration += result->duration;
          suite_failures += result_failures (result);
        }

      suite = first->folder[0] != '\0' ? g_strdup_printf ("%s / %s", collection_name, first->folder)
                                       : g_strdup (collection_name);
      g_ascii_formatd (seconds, sizeof seconds, "%.3f", suite_duration / (double)G_USEC_PER_SEC);
      g_string_append (out, "  <testsuite");
      append_attribute (out, "name", suite);
      g_string_append_printf (out, " tests=\"%u\" failures=\"%u\" errors=\"0\"", suite_tests, suite_failures);
      append_attribute (out, "time", seconds);
      g_string_append (out, ">\n");
      for (guint j = i; j < self->results->len; j++)
        if (g_str_equal (((RunResult *)self->results->pdata[j])->folder, first->folder))
          append_testcase (out, self->results->pdata[j], suite);
      g_string_append (out, "  </testsuite>\n");
    }

  g_string_append (out, "</testsuites>\n");
  return g_string_free (out, FALSE);
}

/* --json: the whole run, for other tools. Everything in it is masked like the lines. */
static JsonNode *
json_report (RunCommand *self,
             gint64      duration,
             guint       failures,
             guint       n_checks,
             guint       failed_checks)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "collection");
  json_builder_add_string_value (builder, sonde_collection_get_name (self->collection));
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->results->len; i++)
    {
      RunResult *result = self->results->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, sonde_collection_node_get_name (result->node));
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, result->name);
      json_builder_set_member_name (builder, "iteration");
      json_builder_add_int_value (builder, result->iteration);
      json_builder_set_member_name (builder, "passed");
      json_builder_add_boolean_value (builder, result->status > 0 && result->failed_checks == 0);
      if (result->status > 0)
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_int_value (builder, result->status);
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, result->reason ? result->reason : "");
          json_builder_set_member_name (builder, "bodySize");
          json_builder_add_int_value (builder, result->size);
        }
      else
        {
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, result->error->message);
        }
      json_builder_set_member_name (builder, "durationMs");
      json_builder_add_int_value (builder, result->duration / 1000);
      json_builder_set_member_name (builder, "checks");
      json_builder_begin_array (builder);
      for (guint j = 0; result->checks != NULL && j < result->checks->len; j++)
        {
          SondeCheckResult *check = result->checks->pdata[j];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "check");
          json_builder_add_string_value (builder, check->description);
          json_builder_set_member_name (builder, "passed");
          json_builder_add_boolean_value (builder, check->passed);
          if (check->actual != NULL)
            {
              json_builder_set_member_name (builder, "actual");
              json_builder_add_string_value (builder, check->actual);
            }
          if (check->message != NULL)
            {
              json_builder_set_member_name (builder, "message");
              json_builder_add_string_value (builder, check->message);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "totals");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, self->results->len);
  json_builder_set_member_name (builder, "failedRequests");
  json_builder_add_int_value (builder, failures);
  json_builder_set_member_name (builder, "checks");
  json_builder_add_int_value (builder, n_checks);
  json_builder_set_member_name (builder, "failedChecks");
  json_builder_add_int_value (builder, failed_checks);
  json_builder_set_member_name (builder, "durationMs");
  json_builder_add_int_value (builder, duration / 1000);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* ------------------------------------------------------------------------------------------
 * The command
 * ------------------------------------------------------------------------------------------ */

static int
run_run (RunCommand  *self,
         int          argc,
         char       **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) junit = NULL;
  SondeCollectionNode *node;
  guint n_arguments;
  guint failures = 0;
  guint n_checks = 0;
  guint failed_checks = 0;
  g_autoptr(GPtrArray) data_rows = NULL;
  g_autoptr(SondeRunner) runner = NULL;
  gboolean run_done = FALSE;
  gint64 start;
  gint64 duration;
  guint sigint_id;

  if (!parse_options (self, &argc, &argv, &error))
    {
      sonde_cli_print_error (_("%s (see “sonde-cli run --help”)"), error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  n_arguments = self->arguments != NULL ? g_strv_length (self->arguments) : 0;
  if (n_arguments != 1)
    {
      sonde_cli_print_error (_("%s (see “sonde-cli run --help”)"),
                             n_arguments == 0 ? _("No collection folder given")
                                              : _("Only one folder can be run at a time"));
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  if (self->cookie_jar != NULL && self->no_cookie_jar)
    {
      sonde_cli_print_error (_("%s (see “sonde-cli run --help”)"),
                             _("--cookie-jar and --no-cookie-jar cannot be used together"));
      return SONDE_CLI_EXIT_BAD_INPUT;
    }
  sonde_cli_allow_files (self->allow_files, self->allow_outside_files);

  if (self->junit != NULL)
    {
      g_autoptr(GFile) parent = NULL;

      junit = g_file_new_for_commandline_arg (self->junit);
      parent = g_file_get_parent (junit);
      if (parent != NULL && g_file_query_file_type (parent, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
        {
          sonde_cli_print_error (_("The folder of the report “%s” does not exist"), self->junit);
          return SONDE_CLI_EXIT_BAD_INPUT;
        }
    }

  if ((self->overrides = sonde_variables_parse_assignments ((const char * const *) self->assignments,
                                                            &error)) == NULL ||
      (node = open_collection (self, &error)) == NULL ||
      !open_environment (self, &error))
    {
      sonde_cli_print_error ("%s", error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  /* A CLI may wait: the first lookup (in the runner's worker thread) probes the session bus. */
  self->secrets = sonde_secret_store_new ();
  self->client = sonde_client_new ();
  /* OAuth 2.0 tokens the window kept for this collection serve the run */
  {
    g_autofree char *owner = g_file_get_path (sonde_collection_get_dir (self->collection));

    sonde_client_set_oauth2_token_store (self->client, self->secrets, owner);
  }
  open_cookie_store (self);
  self->cancellable = g_cancellable_new ();

  if (self->data_file != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->data_file);

      if ((data_rows = sonde_data_file_load (file, &error)) == NULL)
        {
          sonde_cli_print_error ("%s", error->message);
          return SONDE_CLI_EXIT_BAD_INPUT;
        }
    }

  /* With a data file, one pass per row (times --iterations); else --iterations passes. */
  runner = sonde_runner_new (self->collection, node, self->client);
  sonde_runner_set_environment (runner, self->environment);
  sonde_runner_set_secret_store (runner, self->secrets);
  sonde_runner_set_variables (runner, self->overrides);
  sonde_runner_set_data_rows (runner, data_rows);
  sonde_runner_set_iterations (runner, MAX (self->iterations, 1));
  sonde_runner_set_delay (runner, MAX (self->delay, 0));
  sonde_runner_set_bail (runner, self->bail);
  if (!self->json)
    {
      g_signal_connect (runner, "request-finished", G_CALLBACK (request_finished_cb), NULL);
      g_signal_connect (runner, "request-skipped", G_CALLBACK (request_skipped_cb), NULL);
    }
  self->results = g_ptr_array_ref (sonde_runner_get_results (runner));

  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, self);
  start = g_get_monotonic_time ();
  sonde_runner_run_async (runner, self->cancellable, run_done_cb, &run_done);
  while (!run_done)
    g_main_context_iteration (NULL, TRUE);
  duration = g_get_monotonic_time () - start;
  g_source_remove (sigint_id);
  close_cookie_store (self);

  for (guint i = 0; i < self->results->len; i++)
    {
      RunResult *result = self->results->pdata[i];

      if (result->status == 0)
        failures++;
      n_checks += result->checks != NULL ? result->checks->len : 0;
      failed_checks += result->failed_checks;
    }

  if (self->json)
    {
      g_autoptr(JsonNode) report = json_report (self, duration, failures, n_checks, failed_checks);
      g_autofree char *text = sonde_cli_json_to_string (report);

      fputs (text, stdout);
    }
  else
  {
    g_autofree char *total = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request", "%u requests",
                                                           self->results->len), self->results->len);
    g_autofree char *milliseconds = g_strdup_printf ("%" G_GINT64_FORMAT, duration / 1000);

    /* Translators: "7 requests: 6 with a response, 1 failed, in 120 ms" */
    g_print (_("%s: %u with a response, %u failed, in %s ms\n"),
             total, self->results->len - failures, failures, milliseconds);
    if (n_checks > 0)
      {
        g_autofree char *checks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u check", "%u checks", n_checks),
                                                   n_checks);

        /* Translators: "12 checks: 11 passed, 1 failed" */
        g_print (_("%s: %u passed, %u failed\n"), checks, n_checks - failed_checks, failed_checks);
      }
  }

  if (junit != NULL)
    {
      g_autofree char *report = junit_report (self, duration);

      if (!sonde_file_write_atomic (junit, report, strlen (report), 0644, &error))
        {
          sonde_cli_print_error ("%s", error->message);
          return SONDE_CLI_EXIT_BAD_INPUT;
        }
    }

  if (self->interrupted)
    return self->interrupt_status;
  /* A failed check is a failure of the run, as a request without a response is. */
  return failures > 0 || failed_checks > 0 ? SONDE_CLI_EXIT_TRANSPORT : SONDE_CLI_EXIT_RESPONSE;
}

int
sonde_cli_run (int    argc,
               char **argv)
{
  RunCommand self = { 0 };
  int status;

  status = run_run (&self, argc, argv);
  run_command_clear (&self);

  return status;
}
