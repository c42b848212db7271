/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-cli"

#include "config.h"

#include "sonde-cli-send.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixoutputstream.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sonde-core.h"
#include "sonde-collection.h"
#include "sonde-cli-json.h"
#include "sonde-cli-websocket.h"

typedef struct
{
  /* Options */
  char          *collection;
  char          *environment;
  char         **assignments;
  gboolean       json;
  char          *output;
  gboolean       include;
  char          *cookie_jar;
  gboolean       no_cookie_jar;
  char         **allow_files;
  gboolean       allow_outside_files;
  gboolean       include_secrets; /* export */
  char         **arguments;
  gboolean       exporting;       /* "export": print code instead of sending */
  double         wait;            /* WebSocket: seconds of quiet that end it */
  int            count;           /* WebSocket: messages that end it */

  /* Owned */
  GMainLoop     *loop;
  GCancellable  *cancellable;
  SondeResponse *response;
  GOutputStream *stdout_stream;
  GStrv          secrets;  /* masked in what Sonde prints about the request */

  int            exit_status;
  gboolean       interrupted;
  int            interrupt_status; /* 128 + the signal */

  /* The progress line on stderr */
  gboolean       show_progress;
  gboolean       progress_shown;
  gboolean       streamed;  /* an event stream, printed as it came */
  gint64         progress_time;
} SendCommand;

#define PROGRESS_INTERVAL (G_USEC_PER_SEC / 10)
/* Quick requests finish without a flash of progress. */
#define PROGRESS_DELAY (G_USEC_PER_SEC / 4)

/* Binary bodies are not printed to a terminal; this much is checked for NUL bytes. */
#define BINARY_SNIFF_LENGTH 8192

static void
send_command_clear (SendCommand *self)
{
  g_clear_pointer (&self->collection, g_free);
  g_clear_pointer (&self->environment, g_free);
  g_clear_pointer (&self->assignments, g_strfreev);
  g_clear_pointer (&self->output, g_free);
  g_clear_pointer (&self->cookie_jar, g_free);
  g_clear_pointer (&self->arguments, g_strfreev);
  g_clear_pointer (&self->allow_files, g_strfreev);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->response);
  g_clear_object (&self->stdout_stream);
  g_clear_pointer (&self->secrets, g_strfreev);
}

void
sonde_cli_allow_files (char     **files,
                       gboolean   all)
{
  SondeFileAccess *access = sonde_file_access_get_default ();

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (files[i]);

      sonde_file_access_allow_for_process (access, file);
    }
  sonde_file_access_set_allow_all (access, all);
}

/* One line on stderr, whatever the message holds. */
void
sonde_cli_print_error (const char *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_strdelimit (message, "\r\n", ' ');
  g_printerr ("sonde-cli: %s\n", message);
}

static void
clear_progress (SendCommand *self)
{
  if (!self->progress_shown)
    return;

  g_printerr ("\r\033[K");
  self->progress_shown = FALSE;
}

void
sonde_cli_print_json (JsonNode *node)
{
  g_autofree char *text = sonde_cli_json_to_string (node);

  fputs (text, stdout);
  fflush (stdout);
}

void
sonde_cli_report_error (const GError       *unmasked,
                        const char * const *secrets,
                        gboolean            json)
{
  g_autofree char *message = sonde_secrets_mask (unmasked->message, secrets);
  g_autoptr(GError) error = g_error_new_literal (unmasked->domain, unmasked->code, message);

  sonde_cli_print_error ("%s", error->message);
  if (json)
    {
      g_autoptr(JsonNode) node = sonde_cli_error_to_json (error);

      sonde_cli_print_json (node);
    }
}

/* Reports ERROR on stderr (and as JSON on stdout with --json); returns STATUS. */
static int
fail (SendCommand  *self,
      const GError *unmasked,
      int           status)
{
  clear_progress (self);
  sonde_cli_report_error (unmasked, (const char * const *) self->secrets, self->json);
  return status;
}

static int
fail_bad_input (SendCommand  *self,
                const GError *error)
{
  return fail (self, error, SONDE_CLI_EXIT_BAD_INPUT);
}

static void
finish (SendCommand *self,
        int          status)
{
  clear_progress (self);
  self->exit_status = status;
  g_main_loop_quit (self->loop);
}

static void
progress_cb (SondeTransferDirection direction,
             guint64                done,
             guint64                total,
             gpointer               user_data)
{
  SendCommand *self = user_data;
  const char *arrow = direction == SONDE_TRANSFER_UPLOAD ? "↑" : "↓";
  gint64 now = g_get_monotonic_time ();
  g_autofree char *done_text = NULL;

  if (!self->show_progress || now - self->progress_time < PROGRESS_INTERVAL)
    return;

  self->progress_time = now;
  self->progress_shown = TRUE;
  done_text = g_format_size (done);

  if (total > 0)
    {
      g_autofree char *total_text = g_format_size (total);

      g_printerr ("\r%s %s / %s\033[K", arrow, done_text, total_text);
    }
  else
    {
      g_printerr ("\r%s %s\033[K", arrow, done_text);
    }
}

static void
interrupt (SendCommand *self,
           int          signal_number)
{
  /* A second Ctrl+C does not wait for the cancellation to unwind. */
  if (self->interrupted)
    {
      clear_progress (self);
      _exit (self->interrupt_status);
    }

  self->interrupted = TRUE;
  self->interrupt_status = 128 + signal_number;
  g_cancellable_cancel (self->cancellable);
}

static gboolean
sigint_cb (gpointer user_data)
{
  interrupt (user_data, SIGINT);
  return G_SOURCE_CONTINUE;
}

/* SIGTERM unwinds too, so the body's temp file is removed. */
static gboolean
sigterm_cb (gpointer user_data)
{
  interrupt (user_data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

static int
exit_status_for_send_error (SendCommand  *self,
                            const GError *error)
{
  if (self->interrupted && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return self->interrupt_status;

  /* An invalid header, URL or method, or an unreadable upload: nothing was sent. */
  if (error->domain == SONDE_REQUEST_ERROR)
    return SONDE_CLI_EXIT_BAD_INPUT;

  return SONDE_CLI_EXIT_TRANSPORT;
}

void
sonde_cli_print_head (SondeResponse *response)
{
  GListModel *headers = sonde_response_get_headers (response);
  guint n_headers = headers != NULL ? g_list_model_get_n_items (headers) : 0;
  const char *version = sonde_response_get_http_version (response);
  const char *reason = sonde_response_get_reason (response);

  printf ("%s %u %s\n",
          version != NULL ? version : "HTTP/1.1",
          sonde_response_get_status (response),
          reason != NULL ? reason : "");

  for (guint i = 0; i < n_headers; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (headers, i);

      printf ("%s: %s\n", sonde_key_value_get_name (row), sonde_key_value_get_value (row));
    }

  printf ("\n");
  fflush (stdout);
}

static gboolean
body_looks_binary (SondeBodyStore *store)
{
  g_autoptr(GBytes) head = sonde_body_store_read (store, 0, BINARY_SNIFF_LENGTH, NULL);
  gsize length;
  const guint8 *data;

  if (head == NULL)
    return FALSE;

  data = g_bytes_get_data (head, &length);

  return length > 0 && memchr (data, '\0', length) != NULL;
}

static void
splice_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SendCommand *self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error) < 0)
    {
      if (self->interrupted && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          finish (self, self->interrupt_status);
          return;
        }

      /* The reader went away ("sonde-cli send … | head"): stop as quietly as a SIGPIPE would. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        {
          finish (self, SONDE_CLI_EXIT_BROKEN_PIPE);
          return;
        }

      g_prefix_error (&error, _("Could not write the body: "));
      sonde_cli_print_error ("%s", error->message);
      finish (self, SONDE_CLI_EXIT_TRANSPORT);
      return;
    }

  finish (self, SONDE_CLI_EXIT_RESPONSE);
}

/* Streams the body to stdout, binary-safe, at any size. */
static void
write_body (SendCommand *self)
{
  SondeBodyStore *store = sonde_response_get_body (self->response);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL || sonde_body_store_get_size (store) == 0)
    {
      finish (self, SONDE_CLI_EXIT_RESPONSE);
      return;
    }

  if (isatty (STDOUT_FILENO) && body_looks_binary (store))
    {
      g_autofree char *size = g_format_size (sonde_body_store_get_size (store));

      sonde_cli_print_error (_("The body is binary (%s), so it was not printed to the terminal; "
                               "use --output FILE to save it"), size);
      finish (self, SONDE_CLI_EXIT_RESPONSE);
      return;
    }

  body = sonde_body_store_open_stream (store, &error);
  if (body == NULL)
    {
      g_prefix_error (&error, _("Could not read the body: "));
      sonde_cli_print_error ("%s", error->message);
      finish (self, SONDE_CLI_EXIT_TRANSPORT);
      return;
    }

  self->stdout_stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  g_output_stream_splice_async (self->stdout_stream, body,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                G_PRIORITY_DEFAULT,
                                self->cancellable,
                                splice_cb,
                                self);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendCommand *self = user_data;
  g_autoptr(GError) error = NULL;

  self->response = sonde_client_send_finish (SONDE_CLIENT (object), result, &error);
  clear_progress (self);

  if (self->response == NULL)
    {
      int status = exit_status_for_send_error (self, error);

      if (self->interrupted && status == self->interrupt_status)
        finish (self, status);
      else
        finish (self, fail (self, error, status));
      return;
    }

  if (self->json)
    {
      g_autoptr(JsonNode) node = sonde_cli_response_to_json (self->response,
                                                             (const char * const *) self->secrets,
                                                             &error);

      if (node == NULL)
        {
          g_prefix_error (&error, _("Could not read the body: "));
          finish (self, fail (self, error, SONDE_CLI_EXIT_TRANSPORT));
          return;
        }

      sonde_cli_print_json (node);
      finish (self, SONDE_CLI_EXIT_RESPONSE);
      return;
    }

  /* Printed as it came already (stream_cb) */
  if (self->streamed)
    {
      finish (self, SONDE_CLI_EXIT_RESPONSE);
      return;
    }

  if (self->include)
    sonde_cli_print_head (self->response);

  /* --json carries it as "warning"; without, the person reading the body must know. */
  if (sonde_response_get_body_truncated (self->response))
    {
      clear_progress (self);
      sonde_cli_print_error (_("Warning: %s"), sonde_response_get_body_warning (self->response));
    }

  write_body (self);
}

/* Server-Sent Events and NDJSON go to the terminal as they arrive: such a stream may never
 * end (Ctrl+C stops it). Other bodies wait for their end, as before. */
static void
stream_cb (SondeResponse *response,
           const guint8  *data,
           gsize          length,
           gpointer       user_data)
{
  SendCommand *self = user_data;

  if (self->json || !sonde_event_stream_type (sonde_response_get_content_type (response), NULL))
    return;
  if (!self->streamed)
    {
      self->streamed = TRUE;
      clear_progress (self);
      if (self->include)
        sonde_cli_print_head (response);
    }
  fwrite (data, 1, length, stdout);
  fflush (stdout);
}

static gboolean
parse_options (SendCommand   *self,
               int           *argc,
               char        ***argv,
               GError       **error)
{
  const GOptionEntry entries[] = {
    { "collection", 0, 0, G_OPTION_ARG_FILENAME, &self->collection,
      N_("Send the request as part of the collection in DIR: what it inherits from the collection "
         "and its folders, and file paths relative to DIR"), N_("DIR") },
    { "env", 0, 0, G_OPTION_ARG_STRING, &self->environment,
      N_("Use the variables of the collection’s environment NAME (and its secrets)"), N_("NAME") },
    { "var", 0, 0, G_OPTION_ARG_STRING_ARRAY, &self->assignments,
      N_("Set the variable NAME to VALUE; repeat for more"), N_("NAME=VALUE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &self->json,
      N_("Print the response as one JSON object"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &self->output,
      N_("Write the body to FILE instead of standard output"), N_("FILE") },
    { "include", 'i', 0, G_OPTION_ARG_NONE, &self->include,
      N_("Print the status line and headers before the body"), NULL },
    { "cookie-jar", 0, 0, G_OPTION_ARG_FILENAME, &self->cookie_jar,
      N_("Send the cookies kept in FILE (cookies.txt) and keep the ones the response sets, "
         "instead of the jar of the request file (or of the --collection)"), N_("FILE") },
    { "no-cookie-jar", 0, 0, G_OPTION_ARG_NONE, &self->no_cookie_jar,
      N_("Send no stored cookies and keep none"), NULL },
    { "allow-file", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &self->allow_files,
      N_("Let the collection’s request read FILE, outside the collection; repeat for more"), N_("FILE") },
    { "allow-outside-files", 0, 0, G_OPTION_ARG_NONE, &self->allow_outside_files,
      N_("Let the collection’s request read any file outside the collection"), NULL },
    { "wait", 0, 0, G_OPTION_ARG_DOUBLE, &self->wait,
      N_("WebSocket: close once nothing arrived for SECONDS after the saved messages were sent "
         "(default 3; 0 waits until the server closes)"), N_("SECONDS") },
    { "count", 0, 0, G_OPTION_ARG_INT, &self->count,
      N_("WebSocket: close once N messages arrived"), N_("N") },
    /* Named in the usage line by the context's parameter string. */
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &self->arguments, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("FILE.request.json"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, N_("Sends the request in FILE.request.json and prints the response."));
  g_option_context_set_description (context,
                                    N_("Exit status: 0 when a response arrived (whatever its HTTP status), "
                                       "1 when it could not be sent or received, 2 on bad input "
                                       "(request file, variables, options), 130 when interrupted, "
                                       "141 when the reader of standard output went away.\n\n"
                                       "Cookies: each request file (or the --collection folder) has its own "
                                       "cookie jar, kept outside the collection in "
                                       "$XDG_DATA_HOME/sonde/cookies/.\n\n"
                                       "A WebSocket request (ws://, wss://, or \"protocol\": \"websocket\") "
                                       "connects, sends its saved messages in order and prints each text "
                                       "message that arrives on a line of its own, until --wait or --count "
                                       "says to close; --json prints every frame at the end."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* "Usage: sonde-cli send [OPTION…] FILE.request.json" */
  g_set_prgname ("sonde-cli send");

  return g_option_context_parse (context, argc, argv, error);
}

/* Checks what can be checked before anything is read or sent. */
static gboolean
check_options (SendCommand  *self,
               GError      **error)
{
  guint n_arguments = self->arguments != NULL ? g_strv_length (self->arguments) : 0;

  if (n_arguments != 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   n_arguments == 0 ? _("No request file given")
                                    : _("Only one request file can be sent at a time"));
      return FALSE;
    }

  if (self->cookie_jar != NULL && self->no_cookie_jar)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--cookie-jar and --no-cookie-jar cannot be used together"));
      return FALSE;
    }

  if (self->wait < 0 || self->count < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           self->wait < 0 ? _("--wait must be 0 or more seconds")
                                          : _("--count must be 0 or more"));
      return FALSE;
    }

  if (self->json && self->include)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--json and --include cannot be used together: the JSON has the headers"));
      return FALSE;
    }

  return TRUE;
}

static GFile *
get_collection_dir (SendCommand  *self,
                    GError      **error)
{
  g_autoptr(GFile) dir = NULL;

  if (self->collection == NULL)
    return NULL;

  dir = g_file_new_for_commandline_arg (self->collection);
  if (g_file_query_file_type (dir, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   _("The collection folder “%s” does not exist"), self->collection);
      return NULL;
    }

  return g_steal_pointer (&dir);
}

/* A file sonde-cli will write (--output, --cookie-jar): a folder, or a missing folder, is
 * bad input found before anything is sent. */
static GFile *
get_file_to_write (const char  *path,
                   GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFile) parent = NULL;

  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder"), path);
      return NULL;
    }

  parent = g_file_get_parent (file);
  if (parent != NULL
      && g_file_query_file_type (parent, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The folder of “%s” does not exist"), path);
      return NULL;
    }

  return g_steal_pointer (&file);
}

/* A jar that cannot be read was set aside by the store: say so, and go on with an empty one. */
static void
load_cookies (SondeCookieStore *store)
{
  g_autoptr(GError) load_error = NULL;

  if (!sonde_cookie_store_load (store, NULL, &load_error))
    sonde_cli_print_error (_("Warning: %s"), load_error->message);
}

static SondeCookieStore *
load_cookie_store (SendCommand  *self,
                   GError      **error)
{
  g_autoptr(GFile) file = get_file_to_write (self->cookie_jar, error);
  g_autoptr(SondeCookieStore) store = NULL;

  if (file == NULL)
    return NULL;

  store = sonde_cookie_store_new_for_file (file);
  load_cookies (store);

  return g_steal_pointer (&store);
}

/* The jar of the collection, or of the lone request file (docs/collection-format.md: local state). */
static SondeCookieStore *
load_default_cookie_store (SendCommand *self,
                           GFile       *collection_dir)
{
  g_autoptr(GFile) owner = NULL;
  g_autoptr(SondeCookieStore) store = NULL;

  owner = collection_dir != NULL ? g_object_ref (collection_dir)
                                 : g_file_new_for_commandline_arg (self->arguments[0]);
  store = sonde_cookie_store_new_for_owner (owner);
  load_cookies (store);

  return g_steal_pointer (&store);
}

static void
save_cookie_store (SondeCookieStore *store)
{
  g_autoptr(GError) error = NULL;

  if (store != NULL && !sonde_cookie_store_flush (store, &error))
    sonde_cli_print_error (_("Could not save the cookies: %s"), error->message);
}

static SondeRequest *
load_request (SendCommand  *self,
              GFile        *base_dir,
              GError      **error)
{
  const char *path = self->arguments[0];
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) local_error = NULL;

  request = sonde_request_load (file, base_dir, NULL, &local_error);
  if (request == NULL)
    {
      g_autofree char *basename = g_path_get_basename (path);

      /* Name the file, like a compiler does: "api/x.request.json: line 3, column 5: …". */
      if (strstr (local_error->message, basename) == NULL)
        g_prefix_error (&local_error, "%s: ", path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&request);
}

/* With a collection (--collection DIR holding sonde-collection.json, or the one around the
 * request file with --env), the request inherits from it and its folders, and takes the
 * variables of the collection, the environment, the folders and --var, as in the GUI.
 * Otherwise --var alone. */
static SondeRequest *
prepare_request (SendCommand   *self,
                 SondeRequest  *request,
                 GFile         *base_dir,
                 GHashTable    *variables,
                 GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (self->arguments[0]);
  g_autoptr(GFile) collection_dir = NULL;
  g_autoptr(SondeCollection) collection = NULL;
  g_autoptr(SondeSecretStore) secrets = NULL;
  g_autoptr(SondeRequest) prepared = NULL;
  SondeEnvironment *environment = NULL;
  SondeCollectionNode *node;

  if (base_dir != NULL)
    {
      g_autoptr(GFile) marker = g_file_get_child (base_dir, SONDE_COLLECTION_FILE);

      if (g_file_query_exists (marker, NULL))
        collection_dir = g_object_ref (base_dir);
    }
  else if (self->environment != NULL)
    collection_dir = sonde_collection_find_dir (file);

  if (collection_dir == NULL)
    {
      if (self->environment != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("--env needs a collection: “%s” is not in one; name it with --collection DIR"),
                       self->arguments[0]);
          return NULL;
        }
      /* Sent alone, a request file that sits in a collection still reads only what its
       * collection may: it came with someone else's files (docs/security.md). */
      prepared = sonde_request_expand (request, variables, error);
      if (prepared != NULL)
        {
          g_autoptr(GFile) around = sonde_collection_find_dir (file);

          sonde_request_set_collection_dir (prepared, around);
        }
      return g_steal_pointer (&prepared);
    }

  collection = sonde_collection_load (collection_dir, NULL, error);
  if (collection == NULL)
    return NULL;

  if (self->environment != NULL &&
      (environment = sonde_collection_find_environment (collection, self->environment)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The collection has no environment “%s” (see --env)"), self->environment);
      return NULL;
    }

  /* A request file outside the collection's tree inherits from the collection itself. */
  node = sonde_collection_find_node (collection, file);
  if (node == NULL || sonde_collection_node_get_kind (node) != SONDE_COLLECTION_NODE_REQUEST)
    node = sonde_collection_get_root (collection);
  sonde_request_set_base_dir (request, collection_dir);

  /* An export leaves secrets as {{name}} unless they are asked for. */
  /* Synchronous on purpose: no UI waits here, so the first lookup may probe the session bus. */
  if (!self->exporting || self->include_secrets)
    secrets = sonde_secret_store_new ();
  if (self->exporting)
    prepared = sonde_export_prepare (collection, node, request, environment, secrets, variables, error);
  else
    prepared = sonde_collection_prepare_request (collection, node, request, environment, secrets, variables, error);
  /* A request file of its own, only inheriting from the collection, reads what it likes. */
  if (prepared != NULL && !sonde_file_is_inside (collection_dir, file))
    sonde_request_set_collection_dir (prepared, NULL);
  return g_steal_pointer (&prepared);
}

static int
run_send (SendCommand  *self,
          int           argc,
          char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) base_dir = NULL;
  g_autoptr(GFile) output = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(GHashTable) variables = NULL;
  g_autoptr(SondeClient) client = NULL;
  g_autoptr(SondeCookieStore) cookie_store = NULL;
  guint sigint_id;
  guint sigterm_id;

  if (!parse_options (self, &argc, &argv, &error) || !check_options (self, &error))
    {
      sonde_cli_print_error (_("%s (see “sonde-cli send --help”)"), error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }

  sonde_cli_allow_files (self->allow_files, self->allow_outside_files);
  if (self->collection != NULL && (base_dir = get_collection_dir (self, &error)) == NULL)
    return fail_bad_input (self, error);

  if (self->output != NULL && (output = get_file_to_write (self->output, &error)) == NULL)
    return fail_bad_input (self, error);

  if (self->cookie_jar != NULL && (cookie_store = load_cookie_store (self, &error)) == NULL)
    return fail_bad_input (self, error);

  if ((request = load_request (self, base_dir, &error)) == NULL
      || (variables = sonde_variables_parse_assignments ((const char * const *) self->assignments,
                                                         &error)) == NULL
      || (expanded = prepare_request (self, request, base_dir, variables, &error)) == NULL)
    return fail_bad_input (self, error);

  if (cookie_store == NULL && !self->no_cookie_jar)
    cookie_store = load_default_cookie_store (self, base_dir);
  self->secrets = g_strdupv ((char **) sonde_request_get_secret_values (expanded));

  self->loop = g_main_loop_new (NULL, FALSE);
  self->cancellable = g_cancellable_new ();
  self->show_progress = isatty (STDERR_FILENO);
  self->progress_time = g_get_monotonic_time () + PROGRESS_DELAY - PROGRESS_INTERVAL;
  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, self);
  sigterm_id = g_unix_signal_add (SIGTERM, sigterm_cb, self);

  client = sonde_client_new ();
  if (cookie_store != NULL)
    sonde_client_set_cookie_store (client, cookie_store);
  /* OAuth 2.0: the token the window kept for this collection (or file) serves here too */
  if (sonde_request_get_auth_kind (expanded) == SONDE_AUTH_OAUTH2)
    {
      g_autoptr(SondeSecretStore) tokens = sonde_secret_store_new ();
      GFile *collection_dir = sonde_request_get_collection_dir (expanded);
      g_autoptr(GFile) request_file = g_file_new_for_commandline_arg (self->arguments[0]);
      g_autofree char *owner = g_file_get_path (collection_dir != NULL ? collection_dir : request_file);

      sonde_client_set_oauth2_token_store (client, tokens, owner);
    }
  if (sonde_request_is_websocket (expanded))
    {
      SondeCliWebsocketOptions options = { self->json, self->include, self->wait, self->count };
      int status;

      if (output != NULL)
        {
          g_autoptr(GError) output_error = g_error_new_literal (G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                                                                _("--output is for HTTP responses: a WebSocket request prints its messages"));

          g_source_remove (sigint_id);
          g_source_remove (sigterm_id);
          return fail_bad_input (self, output_error);
        }
      status = sonde_cli_websocket_run (client, expanded, &options, (const char * const *) self->secrets,
                                        self->cancellable);
      g_source_remove (sigint_id);
      g_source_remove (sigterm_id);
      save_cookie_store (cookie_store);
      return status < 0 ? self->interrupt_status : status;
    }

  if (output != NULL)
    sonde_client_send_async (client, expanded, output,
                             progress_cb, self, NULL,
                             self->cancellable,
                             send_cb, self);
  else
    sonde_client_send_streaming_async (client, expanded, stream_cb, self,
                                       progress_cb, self,
                                       self->cancellable,
                                       send_cb, self);
  g_main_loop_run (self->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  save_cookie_store (cookie_store);

  return self->exit_status;
}

static gboolean
parse_export_options (SendCommand   *self,
                      int           *argc,
                      char        ***argv,
                      GError       **error)
{
  const GOptionEntry entries[] = {
    { "collection", 0, 0, G_OPTION_ARG_FILENAME, &self->collection,
      N_("The request as part of the collection in DIR: what it inherits from the collection "
         "and its folders, and file paths relative to DIR"), N_("DIR") },
    { "env", 0, 0, G_OPTION_ARG_STRING, &self->environment,
      N_("Use the variables of the collection’s environment NAME"), N_("NAME") },
    { "var", 0, 0, G_OPTION_ARG_STRING_ARRAY, &self->assignments,
      N_("Set the variable NAME to VALUE; repeat for more"), N_("NAME=VALUE") },
    { "include-secrets", 0, 0, G_OPTION_ARG_NONE, &self->include_secrets,
      N_("Write the values of secret variables (from the keyring) instead of {{name}}"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &self->arguments, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("curl|python|httpie|fetch FILE.request.json"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                N_("Prints the request in FILE.request.json as a curl command, a "
                                   "python-requests program, an HTTPie command or a JavaScript fetch () "
                                   "call, with what it inherits and its variables expanded."));
  g_option_context_set_description (context,
                                    N_("Secret variables stay {{name}} unless --include-secrets is given. "
                                       "Exit status: 0 when the code was printed, 2 on bad input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_set_prgname ("sonde-cli export");

  return g_option_context_parse (context, argc, argv, error);
}

/* "export LANGUAGE FILE": the same request send would send, as code. */
static int
run_export (SendCommand  *self,
            int           argc,
            char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) base_dir = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(GHashTable) variables = NULL;
  g_autofree char *code = NULL;
  SondeExportLanguage language;
  guint n_arguments;

  self->exporting = TRUE;
  if (!parse_export_options (self, &argc, &argv, &error))
    {
      sonde_cli_print_error (_("%s (see “sonde-cli export --help”)"), error->message);
      return SONDE_CLI_EXIT_BAD_INPUT;
    }
  n_arguments = self->arguments != NULL ? g_strv_length (self->arguments) : 0;
  if (n_arguments != 2 || !sonde_export_language_from_string (self->arguments[0], &language))
    {
      sonde_cli_print_error (_("Give a language (curl, python, httpie or fetch) and one request file "
                               "(see “sonde-cli export --help”)"));
      return SONDE_CLI_EXIT_BAD_INPUT;
    }
  /* The request file is the second argument; the helpers read the first. */
  g_free (self->arguments[0]);
  self->arguments[0] = self->arguments[1];
  self->arguments[1] = NULL;

  if (self->collection != NULL && (base_dir = get_collection_dir (self, &error)) == NULL)
    return fail_bad_input (self, error);
  if ((request = load_request (self, base_dir, &error)) == NULL
      || (variables = sonde_variables_parse_assignments ((const char * const *) self->assignments,
                                                         &error)) == NULL
      || (expanded = prepare_request (self, request, base_dir, variables, &error)) == NULL
      || (code = sonde_export_request (expanded, language, &error)) == NULL)
    return fail_bad_input (self, error);

  /* As it is (UTF-8), for a shell or a file: not converted to the locale's encoding. */
  fputs (code, stdout);
  fflush (stdout);
  return SONDE_CLI_EXIT_RESPONSE;
}

int
sonde_cli_export (int    argc,
                  char **argv)
{
  SendCommand self = { 0 };
  int status;

  status = run_export (&self, argc, argv);
  send_command_clear (&self);

  return status;
}

int
sonde_cli_send (int    argc,
                char **argv)
{
  SendCommand self = { 0 };
  int status;

  self.wait = 3;
  status = run_send (&self, argc, argv);
  send_command_clear (&self);

  return status;
}
