/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sonde-test-utils.h"

typedef struct
{
  gboolean       done;
  SondeResponse *response;
  GError        *error;
} ClientResult;

static void
client_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ClientResult *out = user_data;

  out->response = sonde_client_send_finish (SONDE_CLIENT (object), result, &out->error);
  g_assert_true ((out->response == NULL) != (out->error == NULL));
  out->done = TRUE;
}

/* Sends REQUEST with CLIENT and spins the thread-default main context until it is done: the
 * response, or NULL with the error. */
SondeResponse *
sonde_test_client_send (SondeClient        *client,
                        SondeRequest       *request,
                        GFile              *output,
                        SondeProgressFunc   progress,
                        gpointer            progress_data,
                        GCancellable       *cancellable,
                        GError            **error)
{
  ClientResult result = { 0 };

  sonde_client_send_async (client, request, output, progress, progress_data, NULL,
                           cancellable, client_sent_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);

  if (result.error != NULL)
    g_propagate_error (error, result.error);
  return result.response;
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} SessionResult;

static void
session_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SessionResult *out = user_data;

  out->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &out->error);
  out->done = TRUE;
}

/* Sends MSG with SESSION and spins the main context until it is read: the body as a string
 * ("" when empty), or NULL with the error. */
char *
sonde_test_session_fetch (SoupSession  *session,
                          SoupMessage  *msg,
                          GError      **error)
{
  SessionResult result = { 0 };
  const char *data;
  gsize size;
  char *text;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, session_sent_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  if (result.body == NULL)
    {
      g_propagate_error (error, result.error);
      return NULL;
    }
  data = g_bytes_get_data (result.body, &size);
  /* An empty GBytes may have no data: still a string. */
  text = data != NULL ? g_strndup (data, size) : g_strdup ("");
  g_bytes_unref (result.body);
  return text;
}

void
sonde_test_cli_result_free (SondeTestCliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

static void
cli_communicated_cb (GObject      *object,
                     GAsyncResult *async_result,
                     gpointer      user_data)
{
  SondeTestCliResult *result = user_data;
  g_autoptr(GError) error = NULL;
  GSubprocess *process = G_SUBPROCESS (object);
  char *out = NULL;
  char *err = NULL;

  g_subprocess_communicate_utf8_finish (process, async_result, &out, &err, &error);
  g_assert_no_error (error);
  result->err = err != NULL ? err : g_strdup ("");
  result->exit_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  result->out = out != NULL ? out : g_strdup ("");
}

/* Runs ARGV (a program found in PATH, and its arguments; NULL-terminated) in CWD and spins the
 * main context until it ends (the test servers answer meanwhile): its exit status, standard
 * output and error. */
static SondeTestCliResult *
run_with_env (const char         *cwd,
              const char * const *environment,
              const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  SondeTestCliResult *result = g_new0 (SondeTestCliResult, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, cwd);
  /* G_TEST_OPTION_ISOLATE_DIRS points children at /dev/null: give them this test's folders
   * (where its secrets file and cookie jars are). */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  /* Nothing from the environment may route the tests' loopback requests elsewhere. */
  g_subprocess_launcher_unsetenv (launcher, "http_proxy");
  g_subprocess_launcher_unsetenv (launcher, "https_proxy");
  g_subprocess_launcher_unsetenv (launcher, "HTTP_PROXY");
  g_subprocess_launcher_unsetenv (launcher, "HTTPS_PROXY");
  g_subprocess_launcher_unsetenv (launcher, "ALL_PROXY");
  g_subprocess_launcher_unsetenv (launcher, "all_proxy");
  for (guint i = 0; environment != NULL && environment[i] != NULL; i++)
    {
      const char *equals = strchr (environment[i], '=');
      g_autofree char *name = g_strndup (environment[i], equals != NULL ? (gsize) (equals - environment[i])
                                                                       : strlen (environment[i]));

      if (equals != NULL)
        g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, name);
    }
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, cli_communicated_cb, result);
  while (result->out == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%s: exit %d\nstdout:\n%sstderr:\n%s", argv[0], result->exit_status, result->out, result->err);
  return result;
}

SondeTestCliResult *
sonde_test_run (const char         *cwd,
                const char * const *argv)
{
  return run_with_env (cwd, NULL, argv);
}

SondeTestCliResult *
sonde_test_run_cli_with_env (const char         *cwd,
                             const char * const *environment,
                             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("SONDE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return run_with_env (cwd, environment, (const char * const *) argv->pdata);
}

/* Runs $SONDE_CLI with ARGS (NULL-terminated) in CWD: sonde_test_run (). */
SondeTestCliResult *
sonde_test_run_cli (const char         *cwd,
                    const char * const *args)
{
  return sonde_test_run_cli_with_env (cwd, NULL, args);
}

/* Removes PATH and, for a folder, everything below it; a link is removed, never followed.
 * A missing PATH is no error. */
void
sonde_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        sonde_test_remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_rmdir (path);
  else
    g_remove (path);
}

/* All values of header NAME (any case) in ECHO, the test server's /echo reply, joined with
 * "|"; NULL when absent. */
char *
sonde_test_echo_header (JsonNode   *echo,
                        const char *name)
{
  JsonArray *headers = json_object_get_array_member (json_node_get_object (echo), "headers");
  g_autoptr(GString) values = NULL;

  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonArray *pair = json_array_get_array_element (headers, i);

      if (g_ascii_strcasecmp (json_array_get_string_element (pair, 0), name) != 0)
        continue;
      if (values == NULL)
        values = g_string_new (NULL);
      else
        g_string_append_c (values, '|');
      g_string_append (values, json_array_get_string_element (pair, 1));
    }

  return values != NULL ? g_string_free (g_steal_pointer (&values), FALSE) : NULL;
}

char *
sonde_test_listen_local (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *base_url;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return base_url;
}
