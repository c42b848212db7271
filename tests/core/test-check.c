/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks and captures (sonde-check.h) against real responses of the in-process server. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"

static SondeTestServer *server;
static SondeClient *client;

static SondeResponse *
fetch (const char *path)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autofree char *url = sonde_test_server_build_url (server, path);
  g_autoptr(GError) error = NULL;
  SondeResponse *response;

  sonde_request_set_url (request, url);
  response = sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return response;
}

/* One check from its JSON row. */
static SondeCheck *
check_from (const char *row)
{
  g_autofree char *json = g_strdup_printf ("{\"checks\": [%s]}", row);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sonde_checks_read (json_node_get_object (node), NULL, checks, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, ==, 1);
  return checks->pdata[0];
}

static void
assert_check (SondeResponse *response,
              GHashTable    *variables,
              const char    *row,
              gboolean       passes,
              const char    *message)
{
  SondeCheck *check = check_from (row);
  g_autoptr(SondeCheckResult) result = sonde_check_evaluate (check, response, variables);

  /* A failure without an expected MESSAGE: any message, but one there must be. */
  if (result->passed != passes ||
      (passes && result->message != NULL) ||
      (!passes && (result->message == NULL || (message != NULL && g_strcmp0 (result->message, message) != 0))))
    g_error ("%s: %s, “%s”; expected %s, “%s”", row, result->passed ? "passed" : "failed",
             result->message ? result->message : "", passes ? "pass" : "fail", message ? message : "");
  sonde_check_free (check);
}

static void
test_sources_and_operators (void)
{
  g_autoptr(SondeResponse) echo = fetch ("/echo?x=1");
  g_autoptr(SondeResponse) error_page = fetch ("/status/500");
  g_autoptr(SondeResponse) text = fetch ("/echo?format=text");
  g_autoptr(SondeResponse) cookies = fetch ("/set-cookie");
  g_autoptr(SondeResponse) login = fetch ("/set-cookie?set=session%3Dabc&redirect=%2Fstatus%2F200");
  g_autoptr(SondeResponse) reset = fetch ("/set-cookie?set=a%3Dfirst&redirect=%2Fset-cookie");
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (variables, "method", "GET");

  /* status: numbers compare as numbers */
  assert_check (echo, NULL, "{\"source\": \"status\", \"op\": \"==\", \"value\": \"200\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"status\", \"op\": \"==\", \"value\": 200}", TRUE, NULL);
  assert_check (error_page, NULL, "{\"source\": \"status\", \"op\": \"<\", \"value\": \"500\"}", FALSE, "got 500");
  assert_check (error_page, NULL, "{\"source\": \"status\", \"op\": \">=\", \"value\": \"500\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"status\", \"op\": \"!=\", \"value\": \"200.0\"}", FALSE, "got 200");
  /* a number against a word: compared as text */
  assert_check (echo, NULL, "{\"source\": \"status\", \"op\": \"==\", \"value\": \"OK\"}", FALSE, "got 200");

  /* header */
  assert_check (echo, NULL, "{\"source\": \"header\", \"name\": \"content-type\", \"op\": \"contains\", \"value\": \"json\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"header\", \"name\": \"Content-Type\", \"op\": \"startsWith\", \"value\": \"text/\"}", FALSE, "got application/json");
  assert_check (echo, NULL, "{\"source\": \"header\", \"name\": \"X-Missing\", \"op\": \"exists\"}", FALSE, "no header X-Missing");
  assert_check (echo, NULL, "{\"source\": \"header\", \"name\": \"X-Missing\", \"op\": \"notExists\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"header\", \"name\": \"X-Missing\", \"op\": \"==\", \"value\": \"a\"}", FALSE, "no header X-Missing");

  /* cookie */
  assert_check (cookies, NULL, "{\"source\": \"cookie\", \"name\": \"b\", \"op\": \"==\", \"value\": \"two\"}", TRUE, NULL);
  assert_check (cookies, NULL, "{\"source\": \"cookie\", \"name\": \"z\", \"op\": \"exists\"}", FALSE, "no cookie z was set");
  /* set by a redirect; set again further along: the last one counts */
  assert_check (login, NULL, "{\"source\": \"cookie\", \"name\": \"session\", \"op\": \"==\", \"value\": \"abc\"}", TRUE, NULL);
  assert_check (reset, NULL, "{\"source\": \"cookie\", \"name\": \"a\", \"op\": \"==\", \"value\": \"1\"}", TRUE, NULL);

  /* jsonpath, with JSON types */
  assert_check (echo, variables, "{\"source\": \"jsonpath\", \"path\": \"$.method\", \"op\": \"==\", \"value\": \"{{method}}\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.method\", \"op\": \"isString\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.method\", \"op\": \"isNumber\"}", FALSE, "got GET (a string)");
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.bodySize\", \"op\": \"isNumber\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.bodySize\", \"op\": \"<=\", \"value\": \"0\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.headers\", \"op\": \"isArray\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.headers\", \"op\": \"isObject\"}", FALSE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.headers\", \"op\": \"isEmpty\"}", FALSE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.query\", \"op\": \"==\", \"value\": \"x=1\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.nope\", \"op\": \"exists\"}", FALSE, "no value at $.nope");
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.nope\", \"op\": \"notExists\"}", TRUE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.nope\", \"op\": \"isNull\"}", FALSE, "no value at $.nope");
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.headers[0]\", \"op\": \"count\", \"value\": \"2\"}", TRUE, NULL);
  assert_check (text, NULL, "{\"source\": \"jsonpath\", \"path\": \"$.method\", \"op\": \"exists\"}", FALSE, NULL);
  assert_check (echo, NULL, "{\"source\": \"jsonpath\", \"path\": \"$[\", \"op\": \"exists\"}", FALSE, NULL);

  /* body, bodySize, duration, url */
  assert_check (text, NULL, "{\"source\": \"body\", \"op\": \"startsWith\", \"value\": \"GET /echo\"}", TRUE, NULL);
  assert_check (text, NULL, "{\"source\": \"body\", \"op\": \"matches\", \"value\": \"^GET /e[a-z]+\\\\?\"}", TRUE, NULL);
  assert_check (text, NULL, "{\"source\": \"body\", \"op\": \"matches\", \"value\": \"(\"}", FALSE, "“(” is not a valid regular expression");
  assert_check (text, NULL, "{\"source\": \"bodySize\", \"op\": \">\", \"value\": \"10\"}", TRUE, NULL);
  assert_check (text, NULL, "{\"source\": \"duration\", \"op\": \"<\", \"value\": \"60000\"}", TRUE, NULL);
  assert_check (text, NULL, "{\"source\": \"duration\", \"op\": \"isNumber\"}", TRUE, NULL);
  assert_check (text, NULL, "{\"source\": \"url\", \"op\": \"endsWith\", \"value\": \"format=text\"}", TRUE, NULL);
  assert_check (text, NULL, "{\"source\": \"url\", \"op\": \"contains\", \"value\": \"{{undefined}}\"}", FALSE,
                "Variable “undefined” is not defined");
}

/* A body too large to parse with bounded memory fails a JSONPath check and says why. */
static void
test_large_body (void)
{
  g_autoptr(SondeResponse) big = fetch ("/bytes/20000000");
  SondeCheck *check = check_from ("{\"source\": \"jsonpath\", \"path\": \"$.a\", \"op\": \"exists\"}");
  g_autoptr(SondeCheckResult) result = sonde_check_evaluate (check, big, NULL);

  g_assert_false (result->passed);
  g_assert_true (g_str_has_prefix (result->message, "the body is larger than 16"));
  sonde_check_free (check);
}

static void
test_description (void)
{
  g_autoptr(SondeResponse) error_page = fetch ("/status/500");
  SondeCheck *check = check_from ("{\"source\": \"status\", \"op\": \"==\", \"value\": \"201\"}");
  g_autoptr(SondeCheckResult) result = sonde_check_evaluate (check, error_page, NULL);

  g_assert_false (result->passed);
  g_assert_cmpstr (result->description, ==, "status == 201");
  g_assert_cmpstr (result->actual, ==, "500");
  g_assert_cmpstr (result->message, ==, "got 500");
  sonde_check_free (check);
}

static void
test_read_errors (void)
{
  const char *rows[][2] = {
    { "{\"checks\": [{\"source\": \"nope\", \"op\": \"==\"}]}", "“checks”[0].“source” must be one of" },
    { "{\"checks\": [{\"source\": \"status\", \"op\": \"~\"}]}", "“checks”[0].“op” must be an operator" },
    { "{\"checks\": [{\"source\": \"header\", \"op\": \"exists\"}]}", "“checks”[0].“name” must name" },
    { "{\"checks\": [{\"source\": \"jsonpath\", \"op\": \"exists\"}]}", "“checks”[0].“path” must be a JSONPath" },
    { "{\"checks\": [3]}", "“checks”[0] must be an object" },
    { "{\"checks\": {}}", "“checks” must be" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (rows[i][0], NULL);
      g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);
      g_autoptr(GError) error = NULL;

      g_assert_false (sonde_checks_read (json_node_get_object (node), NULL, checks, &error));
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
      if (!g_str_has_prefix (error->message, rows[i][1]))
        g_error ("“%s” does not start with “%s”", error->message, rows[i][1]);
    }

  {
    g_autoptr(JsonNode) node = json_from_string ("{\"captures\": [{\"source\": \"status\"}]}", NULL);
    g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_capture_free);
    g_autoptr(GError) error = NULL;

    g_assert_false (sonde_captures_read (json_node_get_object (node), NULL, captures, &error));
    g_assert_nonnull (strstr (error->message, "“variable” must name the variable"));
  }
}

static void
test_captures (void)
{
  g_autoptr(SondeResponse) echo = fetch ("/echo?x=1");
  g_autoptr(JsonNode) node = json_from_string ("{\"captures\": ["
                                               "{\"variable\": \"m\", \"source\": \"jsonpath\", \"path\": \"$.method\"},"
                                               "{\"variable\": \"s\", \"source\": \"status\", \"secret\": true},"
                                               "{\"variable\": \"n\", \"source\": \"jsonpath\", \"path\": \"$.none\"}]}", NULL);
  g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_capture_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *method = NULL;
  g_autofree char *status = NULL;
  g_autofree char *none = NULL;

  g_assert_true (sonde_captures_read (json_node_get_object (node), NULL, captures, &error));
  g_assert_cmpuint (captures->len, ==, 3);
  method = sonde_capture_evaluate (captures->pdata[0], echo, &error);
  g_assert_cmpstr (method, ==, "GET");
  status = sonde_capture_evaluate (captures->pdata[1], echo, &error);
  g_assert_cmpstr (status, ==, "200");
  g_assert_true (((SondeCapture *) captures->pdata[1])->secret);
  none = sonde_capture_evaluate (captures->pdata[2], echo, &error);
  g_assert_null (none);
  g_assert_cmpstr (error->message, ==, "“n” was not captured: no value at $.none");
}

static GPtrArray *
load_data (const char  *contents,
           GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  int fd = g_file_open_tmp ("sonde-data-XXXXXX", &path, NULL);
  GPtrArray *rows;

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  file = g_file_new_for_path (path);
  rows = sonde_data_file_load (file, error);
  g_unlink (path);
  return rows;
}

static void
test_data_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) csv = load_data ("a,b\r\n1,\"x, \"\"y\"\"\nz\"\n\n2,\n", &error);
  g_autoptr(GPtrArray) json = NULL;
  g_autoptr(GPtrArray) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (csv->len, ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (csv->pdata[0], "b"), ==, "x, \"y\"\nz");
  g_assert_cmpstr (g_hash_table_lookup (csv->pdata[1], "a"), ==, "2");
  g_assert_cmpstr (g_hash_table_lookup (csv->pdata[1], "b"), ==, "");

  json = load_data (" [{\"a\": 1, \"b\": true, \"c\": null, \"d\": \"s\"}]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json->len, ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (json->pdata[0], "a"), ==, "1");
  g_assert_cmpstr (g_hash_table_lookup (json->pdata[0], "b"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (json->pdata[0], "c"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (json->pdata[0], "d"), ==, "s");

  bad = load_data ("[1]", &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "element 0 must be an object"));
  g_clear_error (&error);
  bad = load_data ("a\n\"open\n", &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "line 2: a quoted field does not end"));
  g_clear_error (&error);
  bad = load_data ("", &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "the file is empty"));
}

/* Checks and captures run together: results counted, captures set, secrets masked in what the
 * results show (the ones captured by this very response too) */
static void
test_checks_run (void)
{
  g_autoptr(SondeResponse) echo = fetch ("/echo?token=abc123");
  g_autoptr(JsonNode) node = json_from_string ("{\"checks\": ["
                                               "{\"source\": \"status\", \"op\": \"==\", \"value\": \"200\"},"
                                               "{\"source\": \"jsonpath\", \"path\": \"$.query\", \"op\": \"==\", \"value\": \"x\"},"
                                               "{\"source\": \"status\", \"op\": \"==\", \"value\": \"500\", \"enabled\": false}],"
                                               "\"captures\": ["
                                               "{\"variable\": \"t\", \"source\": \"jsonpath\", \"path\": \"$.query\", \"secret\": true}]}",
                                               NULL);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);
  g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_capture_free);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_result_free);
  g_autoptr(GPtrArray) secret_values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) captured = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  SondeCheckResult *failed;
  guint n_failed;

  g_assert_true (sonde_checks_read (json_node_get_object (node), NULL, checks, &error));
  g_assert_true (sonde_captures_read (json_node_get_object (node), NULL, captures, &error));
  n_failed = sonde_checks_run (checks, captures, echo, NULL, captured, secret_values, NULL, results);

  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpuint (n_failed, ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (captured, "t"), ==, "token=abc123");
  g_assert_cmpuint (secret_values->len, ==, 1);
  failed = results->pdata[1];
  g_assert_false (failed->passed);
  g_assert_null (strstr (failed->actual, "abc123"));
  g_assert_nonnull (strstr (failed->actual, "****"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  server = sonde_test_server_new ();
  client = sonde_client_new ();

  g_test_add_func ("/check/sources-and-operators", test_sources_and_operators);
  g_test_add_func ("/check/description", test_description);
  g_test_add_func ("/check/large-body", test_large_body);
  g_test_add_func ("/check/read-errors", test_read_errors);
  g_test_add_func ("/check/captures", test_captures);
  g_test_add_func ("/check/checks-run", test_checks_run);
  g_test_add_func ("/check/data-files", test_data_files);

  status = g_test_run ();
  g_clear_object (&client);
  sonde_test_server_free (server);
  return status;
}
