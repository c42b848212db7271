/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the built sonde-cli ($SONDE_CLI) against the in-process test server: the server answers
 * from this thread's main context while the test waits for the subprocess asynchronously. */
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sys/stat.h>
#include <gio/gunixsocketaddress.h>

#include "sonde-test-server.h"
#include "sonde-test-utils.h"

typedef struct
{
  int     exit_status; /* 128 + N when killed by signal N */
  GBytes *out;
  char   *err;
} CliResult;

static SondeTestServer *server;
static char *work_dir;

static void
cli_result_free (CliResult *result)
{
  g_clear_pointer (&result->out, g_bytes_unref);
  g_clear_pointer (&result->err, g_free);
  g_free (result);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

static const char *
result_stdout (CliResult *result)
{
  return g_bytes_get_data (result->out, NULL);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  CliResult *result = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  GSubprocess *process = G_SUBPROCESS (object);

  g_subprocess_communicate_finish (process, async_result, &out, &err, &error);
  g_assert_no_error (error);

  /* A NUL after the data, so text checks can use the bytes as a string. */
  {
    gsize size;
    const guint8 *data = g_bytes_get_data (out, &size);
    guint8 *copy = g_malloc (size + 1);

    if (size > 0)
      memcpy (copy, data, size);
    copy[size] = '\0';
    result->out = g_bytes_new_take (copy, size);
  }
  /* Empty GBytes may have NULL data. */
  result->err = g_bytes_get_size (err) > 0 ? g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err))
                                           : g_strdup ("");

  if (g_subprocess_get_if_signaled (process))
    result->exit_status = 128 + g_subprocess_get_term_sig (process);
  else
    result->exit_status = g_subprocess_get_exit_status (process);
}

static GSubprocess *
spawn_cli (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("SONDE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, work_dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

static CliResult *
wait_cli (GSubprocess *process)
{
  CliResult *result = g_new0 (CliResult, 1);

  result->exit_status = -1;
  g_subprocess_communicate_async (process, NULL, NULL, communicate_cb, result);
  while (result->out == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("exit %d, stderr: %s", result->exit_status, result->err);

  return result;
}

static CliResult *
run_cli_argv (const char * const *args)
{
  g_autoptr(GSubprocess) process = spawn_cli (args);

  return wait_cli (process);
}

#define run_cli(...) run_cli_argv ((const char * const []) { __VA_ARGS__, NULL })

/* Writes a request file into the work folder and returns its path. */
static char *
write_request (const char *basename,
               const char *json)
{
  char *path = g_build_filename (work_dir, basename, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);

  return path;
}

/* A request file for METHOD on PATH of the test server, with extra JSON members. */
static char *
write_server_request (const char *basename,
                      const char *method,
                      const char *path,
                      const char *extra_members)
{
  g_autofree char *url = sonde_test_server_build_url (server, path);
  g_autofree char *json = g_strdup_printf ("{\n  \"method\": \"%s\",\n  \"url\": \"%s\"%s%s\n}\n",
                                           method, url,
                                           extra_members != NULL ? ",\n  " : "",
                                           extra_members != NULL ? extra_members : "");

  return write_request (basename, json);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* "sonde-cli: …\n", one line. */
static void
assert_one_line_error (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "sonde-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == strrchr (err, '\n'));
}

static void
test_help (void)
{
  g_autoptr(CliResult) help = run_cli ("--help");
  g_autoptr(CliResult) send_help = run_cli ("send", "--help");
  g_autoptr(CliResult) version = run_cli ("--version");
  g_autoptr(CliResult) nothing = run_cli_argv ((const char * const []) { NULL });
  g_autoptr(CliResult) unknown = run_cli ("frobnicate");

  g_assert_cmpint (help->exit_status, ==, 0);
  g_assert_nonnull (strstr (result_stdout (help), "send FILE.request.json"));

  g_assert_cmpint (send_help->exit_status, ==, 0);
  g_assert_nonnull (strstr (result_stdout (send_help), "sonde-cli send"));
  for (guint i = 0; i < 6; i++)
    {
      const char *option = (const char *[]) { "--var", "--json", "--output", "--include",
                                              "--collection", "--cookie-jar" }[i];

      g_assert_nonnull (strstr (result_stdout (send_help), option));
    }

  g_assert_cmpint (version->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (result_stdout (version), "sonde-cli "));

  g_assert_cmpint (nothing->exit_status, ==, 2);
  g_assert_cmpint (unknown->exit_status, ==, 2);
  g_assert_nonnull (strstr (unknown->err, "frobnicate"));
}

static void
test_json_get (void)
{
  g_autofree char *file = write_server_request ("get.request.json", "GET", "/echo?x=1",
                                                "\"headers\": [{\"name\": \"X-Test\", \"value\": \"yes\"}]");
  g_autoptr(CliResult) result = run_cli ("send", file, "--json");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) echo = NULL;
  JsonObject *timings;
  JsonArray *headers;
  gboolean saw_test_header = FALSE;

  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_cmpstr (result->err, ==, "");
  object = parse_object (result_stdout (result));

  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "OK");
  g_assert_cmpstr (json_object_get_string_member (object, "httpVersion"), ==, "HTTP/1.1");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "url"), "/echo?x=1"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "redirects")), ==, 0);
  g_assert_true (json_object_has_member (object, "cookies"));
  g_assert_false (json_object_has_member (object, "tlsVerified"));
  g_assert_false (json_object_get_boolean_member (object, "bodyTruncated"));

  headers = json_object_get_array_member (object, "headers");
  g_assert_cmpuint (json_array_get_length (headers), >, 0);
  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonObject *row = json_array_get_object_element (headers, i);

      g_assert_true (json_object_has_member (row, "name"));
      g_assert_true (json_object_has_member (row, "value"));
    }

  timings = json_object_get_object_member (object, "timings");
  g_assert_true (json_object_has_member (timings, "dns"));
  g_assert_true (json_object_has_member (timings, "connect"));
  g_assert_true (json_object_has_member (timings, "tls"));
  g_assert_true (json_object_has_member (timings, "firstByte"));
  g_assert_cmpfloat (json_object_get_double_member (timings, "total"), >=, 0);
  /* No TLS on plain HTTP. */
  g_assert_true (json_object_get_null_member (timings, "tls"));

  /* The echoed request, as text in "body". */
  g_assert_cmpint (json_object_get_int_member (object, "bodySize"), ==,
                   strlen (json_object_get_string_member (object, "body")));
  echo = parse_object (json_object_get_string_member (object, "body"));
  g_assert_cmpstr (json_object_get_string_member (echo, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (echo, "query"), ==, "x=1");
  headers = json_object_get_array_member (echo, "headers");
  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonArray *pair = json_array_get_array_element (headers, i);

      if (g_ascii_strcasecmp (json_array_get_string_element (pair, 0), "X-Test") == 0)
        saw_test_header = g_str_equal (json_array_get_string_element (pair, 1), "yes");
    }
  g_assert_true (saw_test_header);
}

static void
test_post_variables (void)
{
  g_autofree char *file = write_server_request ("post.request.json", "POST", "/echo",
                                                "\"body\": {\"type\": \"json\", \"text\": \"{\\\"name\\\": \\\"{{name}}\\\"}\"}");
  g_autoptr(CliResult) result = run_cli ("send", file, "--var", "name=Nobody", "--var", "name=Ada Lovelace");
  g_autoptr(JsonObject) echo = NULL;

  g_assert_cmpint (result->exit_status, ==, 0);
  /* Without --json, stdout is the body alone. */
  echo = parse_object (result_stdout (result));
  g_assert_cmpstr (json_object_get_string_member (echo, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (echo, "body"), ==, "{\"name\": \"Ada Lovelace\"}");
}

static void
test_include (void)
{
  g_autofree char *file = write_server_request ("headers.request.json", "GET", "/response-headers", NULL);
  g_autoptr(CliResult) result = run_cli ("send", "--include", file);
  const char *out;
  const char *blank;

  g_assert_cmpint (result->exit_status, ==, 0);
  out = result_stdout (result);
  g_assert_true (g_str_has_prefix (out, "HTTP/1.1 200 OK\n"));
  blank = strstr (out, "\n\n");
  g_assert_nonnull (blank);
  g_assert_nonnull (g_strstr_len (out, blank - out, "\nX-First: 1\n"));
  g_assert_nonnull (g_strstr_len (out, blank - out, "\nX-Dup: a\nX-Dup: b\n"));
}

static void
test_output (void)
{
  const guint64 size = 3 * 1024 * 1024 + 17;
  g_autofree char *path = g_strdup_printf ("/bytes/%" G_GUINT64_FORMAT, size);
  g_autofree char *file = write_server_request ("bytes.request.json", "GET", path, NULL);
  g_autofree char *output = g_build_filename (work_dir, "bytes.out", NULL);
  g_autofree char *expected = sonde_test_pattern_sha256 (size);
  g_autofree char *actual = NULL;
  g_autoptr(CliResult) to_file = run_cli ("send", file, "--output", output);
  g_autoptr(CliResult) to_stdout = run_cli ("send", file);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (to_file->exit_status, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (to_file->out), ==, 0);
  actual = sonde_test_file_sha256 (output, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, expected);
  g_unlink (output);

  /* Binary-safe on stdout (a pipe here, not a terminal). */
  g_assert_cmpint (to_stdout->exit_status, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (to_stdout->out), ==, size);
  g_clear_pointer (&actual, g_free);
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, to_stdout->out);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_json_binary_and_output (void)
{
  g_autofree char *file = write_server_request ("small-bytes.request.json", "GET", "/bytes/1000", NULL);
  g_autofree char *output = g_build_filename (work_dir, "small.out", NULL);
  g_autoptr(CliResult) binary = run_cli ("send", file, "--json");
  g_autoptr(CliResult) to_file = run_cli ("send", file, "--json", "--output", output);
  g_autoptr(JsonObject) object = NULL;

  g_assert_cmpint (binary->exit_status, ==, 0);
  object = parse_object (result_stdout (binary));
  g_assert_cmpint (json_object_get_int_member (object, "bodySize"), ==, 1000);
  g_assert_false (json_object_has_member (object, "body"));
  g_assert_cmpstr (json_object_get_string_member (object, "bodyOmitted"), ==, "binary");
  g_clear_pointer (&object, json_object_unref);

  g_assert_cmpint (to_file->exit_status, ==, 0);
  object = parse_object (result_stdout (to_file));
  g_assert_false (json_object_has_member (object, "body"));
  g_assert_cmpstr (json_object_get_string_member (object, "bodyOmitted"), ==, "output");
  g_assert_true (g_file_test (output, G_FILE_TEST_IS_REGULAR));
  g_unlink (output);
}

static void
test_not_found (void)
{
  g_autofree char *file = write_server_request ("404.request.json", "GET", "/status/404", NULL);
  g_autoptr(CliResult) result = run_cli ("send", file, "--json");
  g_autoptr(JsonObject) object = NULL;

  /* A 404 is a response. */
  g_assert_cmpint (result->exit_status, ==, 0);
  object = parse_object (result_stdout (result));
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, 404);
}

static void
test_redirects_and_cookies (void)
{
  g_autofree char *redirect_file = write_server_request ("redirect.request.json", "GET", "/redirect/2", NULL);
  g_autofree char *cookie_file = write_server_request ("cookies.request.json", "GET", "/set-cookie", NULL);
  g_autoptr(CliResult) redirected = run_cli ("send", redirect_file, "--json");
  g_autoptr(CliResult) cookies = run_cli ("send", cookie_file, "--json");
  g_autoptr(JsonObject) object = NULL;
  JsonArray *array;
  gboolean saw_http_only = FALSE;
  gboolean saw_expires = FALSE;

  g_assert_cmpint (redirected->exit_status, ==, 0);
  object = parse_object (result_stdout (redirected));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "url"), "/redirect/0"));
  array = json_object_get_array_member (object, "redirects");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "status"), ==, 302);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_array_get_object_element (array, 0), "url"),
                                   "/redirect/2"));
  g_clear_pointer (&object, json_object_unref);

  g_assert_cmpint (cookies->exit_status, ==, 0);
  object = parse_object (result_stdout (cookies));
  array = json_object_get_array_member (object, "cookies");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *cookie = json_array_get_object_element (array, i);

      g_assert_true (json_object_has_member (cookie, "domain"));
      g_assert_true (json_object_has_member (cookie, "path"));
      g_assert_true (json_object_has_member (cookie, "secure"));
      g_assert_true (json_object_has_member (cookie, "sameSite"));
      if (json_object_get_boolean_member (cookie, "httpOnly"))
        saw_http_only = g_str_equal (json_object_get_string_member (cookie, "name"), "b");
      if (!json_object_get_null_member (cookie, "expires"))
        saw_expires = g_str_equal (json_object_get_string_member (cookie, "name"), "c");
    }
  g_assert_true (saw_http_only);
  g_assert_true (saw_expires);
}

static void
test_cookie_jar (void)
{
  g_autofree char *set_file = write_server_request ("set-cookie.request.json", "GET", "/set-cookie", NULL);
  g_autofree char *echo_file = write_server_request ("echo-text.request.json", "GET", "/echo?format=text", NULL);
  g_autofree char *jar = g_build_filename (work_dir, "jar", "cookies.txt", NULL);
  g_autofree char *jar_dir = g_path_get_dirname (jar);
  g_autofree char *jar_text = NULL;
  g_autofree char *cookie_line = NULL;
  const char *cookie_start;
  g_autoptr(CliResult) set = NULL;
  g_autoptr(CliResult) with_jar = NULL;
  g_autoptr(CliResult) without_jar = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (jar_dir, 0700), ==, 0);

  set = run_cli ("send", set_file, "--cookie-jar", jar);
  g_assert_cmpint (set->exit_status, ==, 0);
  g_file_get_contents (jar, &jar_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (jar_text, "\tc\t3\n"));

  /* The next run sends them; a run without the jar sends none. */
  with_jar = run_cli ("send", echo_file, "--cookie-jar", jar);
  g_assert_cmpint (with_jar->exit_status, ==, 0);
  cookie_start = strstr (result_stdout (with_jar), "\nCookie: ");
  g_assert_nonnull (cookie_start);
  cookie_start++;
  cookie_line = g_strndup (cookie_start, strchr (cookie_start, '\n') - cookie_start);
  g_assert_nonnull (strstr (cookie_line, "a=1"));
  g_assert_nonnull (strstr (cookie_line, "b=two"));
  g_assert_nonnull (strstr (cookie_line, "c=3"));

  without_jar = run_cli ("send", echo_file, "--no-cookie-jar");
  g_assert_cmpint (without_jar->exit_status, ==, 0);
  g_assert_null (strstr (result_stdout (without_jar), "Cookie:"));
}

/* A port that is bound but not listening, for as long as the socket lives: connections to
 * it are refused, and no other test can take it meanwhile. */
static GSocket *
refusing_socket (guint *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return g_steal_pointer (&socket);
}

static void
test_refused (void)
{
  guint port = 0;
  g_autoptr(GSocket) refusing = refusing_socket (&port);
  g_autofree char *json = g_strdup_printf ("{\"method\": \"GET\", \"url\": \"http://127.0.0.1:%u/\"}", port);
  g_autofree char *file = write_request ("refused.request.json", json);
  g_autoptr(CliResult) plain = run_cli ("send", file);
  g_autoptr(CliResult) as_json = run_cli ("send", file, "--json");
  g_autoptr(JsonObject) object = NULL;
  JsonObject *error;

  g_assert_cmpint (plain->exit_status, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (plain->out), ==, 0);
  assert_one_line_error (plain->err);

  g_assert_cmpint (as_json->exit_status, ==, 1);
  object = parse_object (result_stdout (as_json));
  error = json_object_get_object_member (object, "error");
  g_assert_nonnull (error);
  g_assert_nonnull (json_object_get_string_member (error, "domain"));
  g_assert_true (json_object_has_member (error, "code"));
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");
  g_assert_false (json_object_has_member (object, "status"));
}

static void
test_invalid_file (void)
{
  g_autofree char *file = write_request ("broken.request.json",
                                         "{\n  \"method\": \"GET\",\n  \"url\": \n}\n");
  g_autofree char *missing = g_build_filename (work_dir, "missing.request.json", NULL);
  g_autoptr(CliResult) broken = run_cli ("send", file);
  g_autoptr(CliResult) absent = run_cli ("send", missing);
  g_autoptr(GRegex) position = g_regex_new ("line [0-9]+, column [0-9]+", 0, 0, NULL);

  g_assert_cmpint (broken->exit_status, ==, 2);
  assert_one_line_error (broken->err);
  g_assert_true (g_regex_match (position, broken->err, 0, NULL));
  g_assert_nonnull (strstr (broken->err, "broken.request.json"));

  g_assert_cmpint (absent->exit_status, ==, 2);
  assert_one_line_error (absent->err);
}

static void
test_undefined_variable (void)
{
  guint before = sonde_test_server_get_request_count (server);
  g_autofree char *url = sonde_test_server_build_url (server, "/echo");
  g_autofree char *json = g_strdup_printf ("{\"method\": \"GET\", \"url\": \"%s?who={{who_is_it}}\"}", url);
  g_autofree char *file = write_request ("undefined.request.json", json);
  g_autoptr(CliResult) result = run_cli ("send", file, "--var", "other=1");

  g_assert_cmpint (result->exit_status, ==, 2);
  assert_one_line_error (result->err);
  g_assert_nonnull (strstr (result->err, "who_is_it"));
  g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before);
}

static void
test_bad_options (void)
{
  g_autofree char *file = write_server_request ("options.request.json", "GET", "/echo", NULL);
  g_autoptr(CliResult) bad_var = run_cli ("send", file, "--var", "no-equals-sign");
  g_autoptr(CliResult) env = run_cli ("send", file, "--env", "staging");
  g_autoptr(CliResult) jar = run_cli ("send", file, "--cookie-jar", "cookies.txt", "--no-cookie-jar");
  g_autoptr(CliResult) jar_folder = run_cli ("send", file, "--cookie-jar", "no-such-folder/cookies.txt");
  g_autoptr(CliResult) unknown = run_cli ("send", file, "--frobnicate");
  g_autoptr(CliResult) two_files = run_cli ("send", file, file);
  g_autoptr(CliResult) no_file = run_cli ("send");

  g_assert_cmpint (bad_var->exit_status, ==, 2);
  assert_one_line_error (bad_var->err);
  g_assert_nonnull (strstr (bad_var->err, "no-equals-sign"));
  g_assert_cmpint (env->exit_status, ==, 2);
  g_assert_nonnull (strstr (env->err, "--env"));
  g_assert_cmpint (jar->exit_status, ==, 2);
  g_assert_nonnull (strstr (jar->err, "--cookie-jar"));
  g_assert_cmpint (jar_folder->exit_status, ==, 2);
  g_assert_nonnull (strstr (jar_folder->err, "no-such-folder"));
  g_assert_cmpint (unknown->exit_status, ==, 2);
  g_assert_cmpint (two_files->exit_status, ==, 2);
  g_assert_cmpint (no_file->exit_status, ==, 2);
}

static void
test_invalid_header (void)
{
  guint before = sonde_test_server_get_request_count (server);
  g_autofree char *name_file = write_server_request ("bad-name.request.json", "GET", "/echo",
                                                     "\"headers\": [{\"name\": \"Bad Header\", \"value\": \"1\"}]");
  g_autofree char *value_file = write_server_request ("bad-value.request.json", "GET", "/echo",
                                                      "\"headers\": [{\"name\": \"X-Token\", \"value\": \"{{token}}\"}]");
  g_autoptr(CliResult) bad_name = run_cli ("send", name_file);
  g_autoptr(CliResult) bad_value = run_cli ("send", value_file, "--var", "token=a\r\nX-Injected: 1");

  g_assert_cmpint (bad_name->exit_status, ==, 2);
  assert_one_line_error (bad_name->err);
  g_assert_nonnull (strstr (bad_name->err, "Bad Header"));

  g_assert_cmpint (bad_value->exit_status, ==, 2);
  assert_one_line_error (bad_value->err);
  g_assert_nonnull (strstr (bad_value->err, "X-Token"));

  g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before);
}

/* Files named by a request are read only when they are regular files of a sane size:
 * devices, FIFOs and sockets are refused at once (exit 2), never read or waited on. */
static void
test_hostile_files (void)
{
  g_autofree char *fifo = g_build_filename (work_dir, "fifo", NULL);
  g_autofree char *big = g_build_filename (work_dir, "big.pem", NULL);
  g_autofree char *socket_path = g_build_filename (work_dir, "socket", NULL);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *zeros = g_malloc0 (1200 * 1024);
  struct {
    const char *members;
    const char *message;
  } cases[] = {
    { "\"options\": {\"caFile\": \"/dev/zero\"}", "“/dev/zero”: it is not a regular file" },
    { "\"options\": {\"caFile\": \"fifo\"}", "fifo”: it is not a regular file" },
    { "\"options\": {\"caFile\": \"socket\"}", "socket”: it is not a regular file" },
    { "\"options\": {\"caFile\": \"big.pem\"}", "big.pem” is larger than 1.0" },
    { "\"options\": {\"clientCertificate\": {\"cert\": \"/dev/urandom\", \"key\": \"fifo\"}}", "“/dev/urandom”: it is not a regular file" },
    { "\"options\": {\"clientCertificate\": {\"pkcs12\": \"fifo\"}}", "fifo”: it is not a regular file" },
    { "\"body\": {\"type\": \"multipart\", \"parts\": [{\"name\": \"f\", \"file\": \"/dev/zero\"}]}", "not a regular file" },
    { "\"body\": {\"type\": \"multipart\", \"parts\": [{\"name\": \"f\", \"file\": \"fifo\"}]}", "not a regular file" },
    { "\"body\": {\"type\": \"file\", \"file\": \"/dev/urandom\"}", "not a regular file" },
    { "\"body\": {\"type\": \"json\", \"file\": \"fifo\"}", "not a regular file" },
  };
  guint before = sonde_test_server_get_request_count (server);

  g_assert_no_errno (mkfifo (fifo, 0600));
  g_file_set_contents (big, zeros, 1200 * 1024, &error);
  g_assert_no_error (error);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (socket_path);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *file = write_server_request ("hostile.request.json", "POST", "/echo", cases[i].members);
      g_autoptr(CliResult) result = run_cli ("send", file);

      g_assert_cmpint (result->exit_status, ==, 2);
      assert_one_line_error (result->err);
      if (strstr (result->err, cases[i].message) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].members, result->err, cases[i].message);
    }

  /* A request file too large to be one. */
  {
    g_autofree char *huge = g_build_filename (work_dir, "huge.request.json", NULL);
    g_autoptr(GString) text = g_string_new ("{\"url\": \"http://127.0.0.1:1/\", \"x\": \"");
    g_autoptr(CliResult) result = NULL;

    while (text->len < 17 * 1024 * 1024)
      g_string_append (text, "0123456789abcdef");
    g_string_append (text, "\"}");
    g_file_set_contents (huge, text->str, text->len, &error);
    g_assert_no_error (error);
    result = run_cli ("send", huge);
    g_assert_cmpint (result->exit_status, ==, 2);
    g_assert_nonnull (strstr (result->err, "Request files are limited to 16 MB"));
  }

  g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before);
  g_unlink (fifo);
  g_unlink (socket_path);
}

/* A body cut at its cap is said on stderr; the response still arrived (exit 0). */
static void
test_cut_body_warning (void)
{
  g_autofree char *file = write_server_request ("bomb.request.json", "GET", "/gzip-bomb?size=5000000",
                                                "\"options\": {\"maxBodySize\": 1000000}");
  g_autoptr(CliResult) result = run_cli ("send", file);

  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (result->out), ==, 1000000);
  assert_one_line_error (result->err);
  g_assert_nonnull (strstr (result->err, "Warning: The response body was cut at 1"));
}

/* --json names the headers a cross-origin redirect did not forward. */
static void
test_redirect_dropped_headers (void)
{
  g_autoptr(SondeTestServer) other = sonde_test_server_new ();
  g_autofree char *target = sonde_test_server_build_url (other, "/echo");
  g_autofree char *escaped = g_uri_escape_string (target, NULL, TRUE);
  g_autofree char *path = g_strdup_printf ("/redirect-to?status=302&url=%s", escaped);
  g_autofree char *file = write_server_request ("cross-origin.request.json", "GET", path,
                                                "\"headers\": [{\"name\": \"X-Api-Key\", \"value\": \"k\"}, "
                                                "{\"name\": \"Accept\", \"value\": \"*/*\"}]");
  g_autoptr(CliResult) result = run_cli ("send", file, "--json");
  g_autoptr(JsonObject) object = NULL;
  JsonObject *redirect;
  JsonArray *dropped;

  g_assert_cmpint (result->exit_status, ==, 0);
  object = parse_object (result_stdout (result));
  redirect = json_array_get_object_element (json_object_get_array_member (object, "redirects"), 0);
  dropped = json_object_get_array_member (redirect, "droppedHeaders");
  g_assert_cmpuint (json_array_get_length (dropped), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (dropped, 0), ==, "X-Api-Key");
  g_assert_null (strstr (json_object_get_string_member (object, "body"), "X-Api-Key"));
}

/* Cookie rows, auth fields and the URL are checked after expansion too: a clear error,
 * exit 2, nothing sent and nothing from libsoup on stderr. */
static void
test_injection_after_expansion (void)
{
  const char *members[] = {
    "\"cookies\": [{\"name\": \"sid\", \"value\": \"{{v}}\"}]",
    "\"auth\": {\"type\": \"bearer\", \"token\": \"{{v}}\"}",
    "\"auth\": {\"type\": \"apiKey\", \"name\": \"X-Api-Key\", \"value\": \"{{v}}\"}",
    "\"auth\": {\"type\": \"digest\", \"username\": \"{{v}}\", \"password\": \"p\"}",
  };
  const char *expected[] = { "cookie “sid”", "bearer token", "API key value", "user name" };
  guint before = sonde_test_server_get_request_count (server);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *file = write_server_request ("inject.request.json", "GET", "/echo", members[i]);
      g_autoptr(CliResult) result = run_cli ("send", file, "--var", "v=a\r\nX-Injected: 1");

      g_assert_cmpint (result->exit_status, ==, 2);
      assert_one_line_error (result->err);
      g_assert_nonnull (strstr (result->err, expected[i]));
      g_assert_null (strstr (result->err, "CRITICAL"));
    }

  {
    g_autofree char *url = sonde_test_server_build_url (server, "/echo/{{v}}");
    g_autofree char *json = g_strdup_printf ("{\"url\": \"%s\"}", url);
    g_autofree char *file = write_request ("inject-url.request.json", json);
    g_autoptr(CliResult) result = run_cli ("send", file, "--var", "v=a\nb");

    g_assert_cmpint (result->exit_status, ==, 2);
    assert_one_line_error (result->err);
    g_assert_nonnull (strstr (result->err, "The URL contains a line feed (LF)"));
  }

  g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before);
}

static void
test_collection_base_dir (void)
{
  g_autofree char *collection = g_build_filename (work_dir, "collection", NULL);
  g_autofree char *requests = g_build_filename (collection, "requests", NULL);
  g_autofree char *data = g_build_filename (collection, "upload.txt", NULL);
  g_autofree char *url = sonde_test_server_build_url (server, "/echo");
  g_autofree char *json = g_strdup_printf ("{\"method\": \"POST\", \"url\": \"%s\", "
                                           "\"body\": {\"type\": \"file\", \"file\": \"upload.txt\", "
                                           "\"contentType\": \"text/plain\"}}", url);
  g_autofree char *file = g_build_filename (requests, "upload.request.json", NULL);
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) no_collection = NULL;
  g_autoptr(JsonObject) echo = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (requests, 0755), ==, 0);
  g_file_set_contents (data, "from the collection root", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (file, json, -1, &error);
  g_assert_no_error (error);

  result = run_cli ("send", file, "--collection", collection);
  g_assert_cmpint (result->exit_status, ==, 0);
  echo = parse_object (result_stdout (result));
  g_assert_cmpstr (json_object_get_string_member (echo, "body"), ==, "from the collection root");

  /* Without --collection, upload.txt is looked for next to the request file. */
  no_collection = run_cli ("send", file);
  g_assert_cmpint (no_collection->exit_status, ==, 2);
  assert_one_line_error (no_collection->err);
}

static void
test_interrupt (void)
{
  guint before = sonde_test_server_get_request_count (server);
  g_autofree char *file = write_server_request ("stall.request.json", "GET", "/stall", NULL);
  g_autoptr(GSubprocess) process = spawn_cli ((const char * const []) { "send", file, NULL });
  g_autoptr(CliResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* Interrupt once the request has reached the server. */
  while (sonde_test_server_get_request_count (server) == before)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_subprocess_send_signal (process, SIGINT);

  result = wait_cli (process);
  g_assert_cmpint (result->exit_status, ==, 130);
  g_assert_cmpuint (g_bytes_get_size (result->out), ==, 0);
}

/* Ctrl+C in the middle of a run: stops at once (exit 130), after saying what ran. */
static void
test_run_interrupt (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "stalled-run", NULL);
  g_autofree char *collection = g_build_filename (dir, "sonde-collection.json", NULL);
  g_autofree char *first = g_build_filename (dir, "a.request.json", NULL);
  g_autofree char *second = g_build_filename (dir, "b.request.json", NULL);
  g_autofree char *third = g_build_filename (dir, "c.request.json", NULL);
  g_autofree char *echo_url = sonde_test_server_build_url (server, "/echo");
  g_autofree char *stall_url = sonde_test_server_build_url (server, "/stall");
  g_autofree char *first_json = g_strdup_printf ("{\"order\": 1000, \"url\": \"%s\"}", echo_url);
  g_autofree char *second_json = g_strdup_printf ("{\"order\": 2000, \"url\": \"%s\"}", stall_url);
  g_autofree char *third_json = g_strdup_printf ("{\"order\": 3000, \"url\": \"%s\"}", echo_url);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(CliResult) result = NULL;
  g_autofree char *out = NULL;
  guint before = sonde_test_server_get_request_count (server);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  g_assert_true (g_file_set_contents (collection, "{\"format\": 1}", -1, NULL));
  g_assert_true (g_file_set_contents (first, first_json, -1, NULL));
  g_assert_true (g_file_set_contents (second, second_json, -1, NULL));
  g_assert_true (g_file_set_contents (third, third_json, -1, NULL));

  process = spawn_cli ((const char * const []) { "run", dir, "--no-cookie-jar", NULL });
  /* Interrupt once the second request, which never gets an answer, reached the server. */
  while (sonde_test_server_get_request_count (server) < before + 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_subprocess_send_signal (process, SIGINT);

  result = wait_cli (process);
  g_assert_cmpint (result->exit_status, ==, 130);
  out = g_strndup (g_bytes_get_data (result->out, NULL), g_bytes_get_size (result->out));
  g_assert_nonnull (strstr (out, "✓ 200 OK"));
  g_assert_null (strstr (out, "c.request.json"));
  /* The third was never sent. */
  g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before + 2);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_broken_pipe (void)
{
  g_autofree char *file = write_server_request ("pipe.request.json", "GET", "/bytes/3000000", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                      | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err = NULL;
  gboolean done = FALSE;

  /* Like "sonde-cli send … | head -c 0": the body is far bigger than a pipe's buffer. */
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SONDE_CLI"), "send", file, NULL);
  g_assert_no_error (error);
  g_input_stream_close (g_subprocess_get_stdout_pipe (process), NULL, &error);
  g_assert_no_error (error);

  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 141);
  err = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (process), 4096, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (err), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("SONDE_CLI") == NULL)
    {
      g_print ("1..0 # SKIP SONDE_CLI is not set (run through meson test)\n");
      return 0;
    }

  work_dir = g_dir_make_tmp ("sonde-test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  server = sonde_test_server_new ();

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/send/json", test_json_get);
  g_test_add_func ("/cli/send/variables", test_post_variables);
  g_test_add_func ("/cli/send/include", test_include);
  g_test_add_func ("/cli/send/output", test_output);
  g_test_add_func ("/cli/send/json-binary-and-output", test_json_binary_and_output);
  g_test_add_func ("/cli/send/not-found", test_not_found);
  g_test_add_func ("/cli/send/redirects-and-cookies", test_redirects_and_cookies);
  g_test_add_func ("/cli/send/redirect-dropped-headers", test_redirect_dropped_headers);
  g_test_add_func ("/cli/send/cookie-jar", test_cookie_jar);
  g_test_add_func ("/cli/send/refused", test_refused);
  g_test_add_func ("/cli/send/invalid-file", test_invalid_file);
  g_test_add_func ("/cli/send/undefined-variable", test_undefined_variable);
  g_test_add_func ("/cli/send/bad-options", test_bad_options);
  g_test_add_func ("/cli/send/invalid-header", test_invalid_header);
  g_test_add_func ("/cli/send/hostile-files", test_hostile_files);
  g_test_add_func ("/cli/send/cut-body-warning", test_cut_body_warning);
  g_test_add_func ("/cli/send/injection-after-expansion", test_injection_after_expansion);
  g_test_add_func ("/cli/send/collection", test_collection_base_dir);
  g_test_add_func ("/cli/send/interrupt", test_interrupt);
  g_test_add_func ("/cli/run/interrupt", test_run_interrupt);
  g_test_add_func ("/cli/send/broken-pipe", test_broken_pipe);

  status = g_test_run ();

  sonde_test_server_free (server);
  sonde_test_remove_tree (work_dir);
  g_free (work_dir);

  return status;
}
