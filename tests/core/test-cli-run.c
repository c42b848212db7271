/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sonde-cli run and send --collection/--env ($SONDE_CLI) on a copy of the fixture collection,
 * against the in-process test server. */

#include "config.h"

#include <string.h>

#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"

#include "collection-test-utils.h"

static SondeTestServer *server;
static char *temp_dir;
static char *collection_dir;

#define run_cli(...) sonde_test_run_cli (temp_dir, (const char * const []) { __VA_ARGS__, NULL })

static char *
base_url_assignment (void)
{
  return g_strconcat ("base_url=", sonde_test_server_get_base_url (server), NULL);
}

static guint
count_lines (const char *text)
{
  guint count = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      count++;
  return count;
}

/* JUnit: the elements and attributes that matter, read with GMarkup. */
typedef struct
{
  guint      suites;
  guint      testcases;
  guint      failures;
  GPtrArray *suite_names;
  GString   *failure_messages;
  char      *total_tests;
  char      *total_failures;
} Junit;

static const char *
attribute (const char **names,
           const char **values,
           const char  *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return values[i];
  return NULL;
}

static void
junit_start_element (GMarkupParseContext  *context,
                     const char           *element,
                     const char          **names,
                     const char          **values,
                     gpointer              user_data,
                     GError              **error)
{
  Junit *junit = user_data;

  if (g_str_equal (element, "testsuites"))
    {
      junit->total_tests = g_strdup (attribute (names, values, "tests"));
      junit->total_failures = g_strdup (attribute (names, values, "failures"));
    }
  else if (g_str_equal (element, "testsuite"))
    {
      junit->suites++;
      g_ptr_array_add (junit->suite_names, g_strdup (attribute (names, values, "name")));
    }
  else if (g_str_equal (element, "testcase"))
    {
      junit->testcases++;
      g_assert_nonnull (attribute (names, values, "time"));
      g_assert_nonnull (attribute (names, values, "classname"));
    }
  else if (g_str_equal (element, "failure"))
    {
      junit->failures++;
      g_string_append_printf (junit->failure_messages, "%s\n", attribute (names, values, "message"));
    }
}

static void
junit_read (Junit      *junit,
            const char *path)
{
  static const GMarkupParser parser = { junit_start_element, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));

  junit->suite_names = g_ptr_array_new_with_free_func (g_free);
  junit->failure_messages = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, 0, junit, NULL);
  g_markup_parse_context_parse (context, text, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
}

static void
junit_clear (Junit *junit)
{
  g_ptr_array_unref (junit->suite_names);
  g_string_free (junit->failure_messages, TRUE);
  g_free (junit->total_tests);
  g_free (junit->total_failures);
}

static void
test_run_collection (void)
{
  g_autofree char *assignment = base_url_assignment ();
  g_autofree char *junit_path = g_build_filename (temp_dir, "report.xml", NULL);
  g_autoptr(SondeTestCliResult) result = NULL;
  Junit junit = { 0 };

  result = run_cli ("run", collection_dir, "--env", "staging", "--var", assignment, "--junit", junit_path);

  /* The broken file got no response: exit 1, after running everything else. */
  g_assert_cmpint (result->exit_status, ==, 1);
  g_assert_cmpuint (count_lines (result->out), ==, 8);
  g_assert_true (g_str_has_prefix (result->out, "✓ 200 OK "));
  g_assert_nonnull (strstr (result->out, "  Ping\n"));
  g_assert_nonnull (strstr (result->out, "  Users / Create user\n"));
  g_assert_nonnull (strstr (result->out, "  Users / admin / Upload avatar\n"));
  g_assert_nonnull (strstr (result->out, "ERR Users / broken: broken.request.json: line 3"));
  g_assert_nonnull (strstr (result->out, "404 Not Found "));
  g_assert_nonnull (strstr (result->out, "204 No Content "));
  g_assert_nonnull (strstr (result->out, "\n7 requests: 6 with a response, 1 failed, in "));
  /* Order: depth-first, by order then name. */
  g_assert_true (strstr (result->out, "Ping") < strstr (result->out, "List users"));
  g_assert_true (strstr (result->out, "Upload avatar") < strstr (result->out, "broken"));
  g_assert_true (strstr (result->out, "broken") < strstr (result->out, "Alpha"));
  g_assert_true (strstr (result->out, "Alpha") < strstr (result->out, "Zeta"));

  junit_read (&junit, junit_path);
  g_assert_cmpstr (junit.total_tests, ==, "7");
  g_assert_cmpstr (junit.total_failures, ==, "1");
  g_assert_cmpuint (junit.testcases, ==, 7);
  g_assert_cmpuint (junit.failures, ==, 1);
  g_assert_cmpuint (junit.suites, ==, 3);
  g_assert_cmpstr (junit.suite_names->pdata[0], ==, "Test API");
  g_assert_cmpstr (junit.suite_names->pdata[1], ==, "Test API / Users");
  g_assert_cmpstr (junit.suite_names->pdata[2], ==, "Test API / Users / admin");
  g_assert_nonnull (strstr (junit.failure_messages->str, "broken.request.json"));
  junit_clear (&junit);
}

static void
test_run_folder (void)
{
  g_autofree char *assignment = base_url_assignment ();
  g_autofree char *folder = g_build_filename (collection_dir, "users", "admin", NULL);
  g_autofree char *request = g_build_filename (collection_dir, "users", "list-users.request.json", NULL);
  g_autoptr(SondeTestCliResult) result = NULL;
  g_autoptr(SondeTestCliResult) one = NULL;
  g_autoptr(SondeTestCliResult) refused = NULL;
  guint before = sonde_test_server_get_request_count (server);

  result = run_cli ("run", folder, "--env", "Staging", "--var", assignment);
  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_cmpuint (count_lines (result->out), ==, 2);
  g_assert_true (g_str_has_prefix (result->out, "✓ 200 OK "));
  g_assert_nonnull (strstr (result->out, "  Users / admin / Upload avatar\n1 request: 1 with a response, 0 failed"));
  g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before + 1);

  one = run_cli ("run", request, "--env", "staging", "--var", assignment);
  g_assert_cmpint (one->exit_status, ==, 0);
  g_assert_cmpuint (count_lines (one->out), ==, 2);

  /* A transport error is a failure: exit 1. */
  refused = run_cli ("run", folder, "--env", "staging", "--var", "base_url=http://127.0.0.1:1");
  g_assert_cmpint (refused->exit_status, ==, 1);
  g_assert_true (g_str_has_prefix (refused->out, "✗ ERR Users / admin / Upload avatar: "));
  g_assert_nonnull (strstr (refused->out, "1 request: 0 with a response, 1 failed"));
}

static void
test_run_bad_input (void)
{
  g_autofree char *not_collection = g_build_filename (temp_dir, "plain", NULL);
  g_autofree char *data_folder = g_build_filename (collection_dir, "files", NULL);
  g_autofree char *junit_path = g_build_filename (temp_dir, "no-such-folder", "report.xml", NULL);
  g_autoptr(SondeTestCliResult) unknown_env = NULL;
  g_autoptr(SondeTestCliResult) not_a_collection = NULL;
  g_autoptr(SondeTestCliResult) data = NULL;
  g_autoptr(SondeTestCliResult) bad_var = NULL;
  g_autoptr(SondeTestCliResult) no_dir = NULL;
  g_autoptr(SondeTestCliResult) bad_junit = NULL;
  g_autoptr(SondeTestCliResult) broken_env = NULL;
  guint before = sonde_test_server_get_request_count (server);

  g_assert_no_errno (g_mkdir_with_parents (not_collection, 0755));

  unknown_env = run_cli ("run", collection_dir, "--env", "production");
  g_assert_cmpint (unknown_env->exit_status, ==, 2);
  g_assert_nonnull (strstr (unknown_env->err, "“production”"));
  g_assert_nonnull (strstr (unknown_env->err, "Local, Staging"));

  not_a_collection = run_cli ("run", not_collection);
  g_assert_cmpint (not_a_collection->exit_status, ==, 2);
  g_assert_nonnull (strstr (not_a_collection->err, "sonde-collection.json"));

  data = run_cli ("run", data_folder);
  g_assert_cmpint (data->exit_status, ==, 2);

  bad_var = run_cli ("run", collection_dir, "--var", "nope");
  g_assert_cmpint (bad_var->exit_status, ==, 2);

  no_dir = run_cli ("run");
  g_assert_cmpint (no_dir->exit_status, ==, 2);

  bad_junit = run_cli ("run", collection_dir, "--junit", junit_path);
  g_assert_cmpint (bad_junit->exit_status, ==, 2);

  write_text (collection_dir, "environments/broken.json", "{\n");
  broken_env = run_cli ("run", collection_dir, "--env", "broken");
  g_assert_cmpint (broken_env->exit_status, ==, 2);
  g_assert_nonnull (strstr (broken_env->err, "broken.json: line"));

  g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before);
}

/* One request file nested 100,000 deep (json-glib would overflow the stack on it) is an error
 * of that file alone: the rest of the collection runs, and send --collection works. */
static void
test_run_deep_file (void)
{
  g_autofree char *assignment = base_url_assignment ();
  g_autofree char *folder = g_build_filename (collection_dir, "users", "admin", NULL);
  g_autofree char *request = g_build_filename (collection_dir, "users", "list-users.request.json", NULL);
  g_autoptr(GString) deep = g_string_new ("{\n  \"method\": \"GET\",\n  \"x\": ");
  g_autoptr(SondeTestCliResult) other_folder = NULL;
  g_autoptr(SondeTestCliResult) whole = NULL;
  g_autoptr(SondeTestCliResult) send = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "\n}\n");
  write_text (collection_dir, "deep.request.json", deep->str);

  other_folder = run_cli ("run", folder, "--env", "staging", "--var", assignment);
  g_assert_cmpint (other_folder->exit_status, ==, 0);

  whole = run_cli ("run", collection_dir, "--env", "staging", "--var", assignment);
  g_assert_cmpint (whole->exit_status, ==, 1);
  g_assert_nonnull (strstr (whole->out, "deep.request.json: line 3, column 519: the data is nested more than 512 levels deep"));
  g_assert_nonnull (strstr (whole->out, "8 requests: 6 with a response, 2 failed"));

  send = run_cli ("send", request, "--collection", collection_dir, "--env", "staging", "--var", assignment);
  g_assert_cmpint (send->exit_status, ==, 0);
}

/* A secret variable's value never appears in what run and send print or report. */
static void
test_secrets_masked (void)
{
  g_autofree char *junit_path = g_build_filename (temp_dir, "report.xml", NULL);
  g_autofree char *request = g_build_filename (collection_dir, "users", "leaky.request.json", NULL);
  g_autofree char *assignment = base_url_assignment ();
  g_autofree char *junit = NULL;
  g_autoptr(SondeTestCliResult) run = NULL;
  g_autoptr(SondeTestCliResult) send_error = NULL;
  g_autoptr(SondeTestCliResult) send_json = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;

  write_text (collection_dir, "users/leaky.request.json",
              "{\n  \"url\": \"{{base_url}}/echo?key={{token}}\"\n}\n");

  /* Errors quote the expanded URL. */
  run = run_cli ("run", collection_dir, "--env", "staging", "--var", "base_url=ftp://127.0.0.1",
                 "--junit", junit_path);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->out, "ftp://127.0.0.1/echo?key=****"));
  g_assert_null (strstr (run->out, "s3cret"));
  g_assert_null (strstr (run->err, "s3cret"));
  g_file_get_contents (junit_path, &junit, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (junit, "key=****"));
  g_assert_null (strstr (junit, "s3cret"));

  send_error = run_cli ("send", request, "--env", "staging", "--var", "base_url=ftp://127.0.0.1", "--json");
  g_assert_cmpint (send_error->exit_status, ==, 2);
  g_assert_nonnull (strstr (send_error->err, "key=****"));
  g_assert_null (strstr (send_error->err, "s3cret"));
  g_assert_null (strstr (send_error->out, "s3cret"));

  /* What Sonde says about the request is masked; the body is the server's, as it came. */
  send_json = run_cli ("send", request, "--env", "staging", "--var", assignment, "--json");
  g_assert_cmpint (send_json->exit_status, ==, 0);
  json = json_from_string (send_json->out, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_node_get_object (json), "url"), "/echo?key=****"));
}

/* A collection's requests read no file outside its folder unless this user allowed it:
 * by ../, an absolute path, ~/ or a symbolic link pointing out, in a file body, a multipart
 * part, a sidecar or a CA file. */
static void
test_outside_files (void)
{
  g_autofree char *assignment = base_url_assignment ();
  g_autofree char *outside = g_build_filename (temp_dir, "outside.txt", NULL);
  g_autofree char *folder = g_build_filename (collection_dir, "leaks", NULL);
  g_autofree char *home_secret = g_build_filename (g_get_home_dir (), "secret.txt", NULL);
  g_autofree char *link = g_build_filename (folder, "link.txt", NULL);
  g_autofree char *absolute_json = NULL;
  g_autofree char *upload = g_build_filename (collection_dir, "users", "admin", "upload.request.json", NULL);
  g_autofree char *absolute = g_build_filename (folder, "absolute.request.json", NULL);
  g_autoptr(GFile) collection = g_file_new_for_path (collection_dir);
  g_autoptr(GFile) outside_file = g_file_new_for_path (outside);
  g_autoptr(GError) error = NULL;
  guint before = sonde_test_server_get_request_count (server);

  g_assert_no_errno (g_mkdir_with_parents (folder, 0755));
  g_assert_no_errno (g_mkdir_with_parents (g_get_home_dir (), 0755));
  write_text (temp_dir, "outside.txt", "not yours");
  g_file_set_contents (home_secret, "ssh key", -1, &error);
  g_assert_no_error (error);
  g_assert_no_errno (symlink (outside, link));

  write_text (folder, "dotdot.request.json",
              "{\"name\": \"Dot dot\", \"method\": \"POST\", \"url\": \"{{base_url}}/echo\", "
              "\"body\": {\"type\": \"file\", \"file\": \"../outside.txt\"}}");
  absolute_json = g_strdup_printf ("{\"name\": \"Absolute\", \"method\": \"POST\", \"url\": \"{{base_url}}/echo\", "
                                   "\"body\": {\"type\": \"multipart\", \"parts\": [{\"name\": \"f\", \"file\": \"%s\"}]}}",
                                   outside);
  write_text (folder, "absolute.request.json", absolute_json);
  write_text (folder, "home.request.json",
              "{\"name\": \"Home\", \"method\": \"POST\", \"url\": \"{{base_url}}/echo\", "
              "\"body\": {\"type\": \"file\", \"file\": \"~/secret.txt\"}}");
  write_text (folder, "link.request.json",
              "{\"name\": \"Link\", \"method\": \"POST\", \"url\": \"{{base_url}}/echo\", "
              "\"body\": {\"type\": \"file\", \"file\": \"leaks/link.txt\"}}");
  write_text (folder, "ca.request.json",
              "{\"name\": \"CA\", \"url\": \"{{base_url}}/echo\", \"options\": {\"caFile\": \"../outside.txt\"}}");
  write_text (folder, "sidecar.request.json",
              "{\"name\": \"Sidecar\", \"method\": \"POST\", \"url\": \"{{base_url}}/echo\", "
              "\"body\": {\"type\": \"text\", \"file\": \"../../outside.txt\"}}");

  {
    g_autoptr(SondeTestCliResult) run = run_cli ("run", folder, "--env", "staging", "--var", assignment);

    g_assert_cmpint (run->exit_status, ==, 1);
    g_assert_nonnull (strstr (run->out, "ERR leaks / Dot dot: The request “Dot dot” wants to read “../outside.txt”, which is outside its collection."));
    g_assert_nonnull (strstr (run->out, "ERR leaks / Absolute: The request “Absolute” wants to read “/"));
    g_assert_nonnull (strstr (run->out, "ERR leaks / Home: The request “Home” wants to read “~/secret.txt”"));
    g_assert_nonnull (strstr (run->out, "ERR leaks / Link: The request “Link” wants to read “leaks/link.txt”"));
    g_assert_nonnull (strstr (run->out, "ERR leaks / CA: The request “CA” wants to read “../outside.txt”"));
    g_assert_nonnull (strstr (run->out, "sidecar.request.json: The body file “../../outside.txt” is outside the collection"));
    g_assert_nonnull (strstr (run->out, "6 requests: 0 with a response, 6 failed"));
    g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before);
  }

  /* send --collection says the same, exit 2; --allow-file and --allow-outside-files let it. */
  {
    g_autoptr(SondeTestCliResult) refused = run_cli ("send", absolute, "--collection", collection_dir, "--var", assignment);
    g_autoptr(SondeTestCliResult) allowed = run_cli ("send", absolute, "--collection", collection_dir, "--var", assignment,
                                                     "--allow-file", outside);
    g_autoptr(SondeTestCliResult) all = run_cli ("run", folder, "--env", "staging", "--var", assignment,
                                                 "--allow-outside-files");

    g_assert_cmpint (refused->exit_status, ==, 2);
    g_assert_nonnull (strstr (refused->err, "The request “Absolute” wants to read"));
    g_assert_cmpint (allowed->exit_status, ==, 0);
    g_assert_nonnull (strstr (allowed->out, "not yours"));
    /* Everything but the sidecar, which is never read from outside; the CA file is read
     * (and found not to be one). */
    g_assert_nonnull (strstr (all->out, "6 requests: 4 with a response, 2 failed"));
    g_assert_null (strstr (all->out, "outside its collection"));
  }

  /* Sent alone, a request file of the collection is held to the same rule, sidecar included. */
  {
    g_autofree char *dotdot = g_build_filename (folder, "home.request.json", NULL);
    g_autofree char *sidecar = g_build_filename (folder, "sidecar.request.json", NULL);
    g_autoptr(SondeTestCliResult) alone = run_cli ("send", dotdot, "--var", assignment);
    g_autoptr(SondeTestCliResult) alone_sidecar = run_cli ("send", sidecar, "--var", assignment);

    g_assert_cmpint (alone->exit_status, ==, 2);
    g_assert_nonnull (strstr (alone->err, "wants to read “~/secret.txt”, which is outside its collection"));
    g_assert_cmpint (alone_sidecar->exit_status, ==, 2);
    g_assert_nonnull (strstr (alone_sidecar->err, "is outside the collection"));
  }

  /* Allowed on this machine, in the user's state folder. */
  sonde_file_access_allow (sonde_file_access_get_default (), collection, outside_file, &error);
  g_assert_no_error (error);
  {
    g_autoptr(SondeTestCliResult) run = run_cli ("run", folder, "--env", "staging", "--var", assignment);
    g_autofree char *list_path = g_build_filename (g_get_user_state_dir (), "sonde", "allowed-files.ini", NULL);
    g_autofree char *list = NULL;

    /* ../outside.txt, the absolute path, the link and the CA file: the same file. */
    g_assert_nonnull (strstr (run->out, "6 requests: 3 with a response, 3 failed"));
    g_assert_nonnull (strstr (run->out, "ERR leaks / Home:"));
    g_file_get_contents (list_path, &list, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (list, outside));
    g_assert_null (strstr (list, "secret.txt"));
  }

  /* Files inside still go, and a lone request file reads what it likes. */
  {
    g_autoptr(SondeTestCliResult) inside = run_cli ("send", upload, "--collection", collection_dir, "--env", "staging",
                                                    "--var", assignment);
    g_autofree char *lone = g_build_filename (temp_dir, "lone.request.json", NULL);
    g_autofree char *lone_json = g_strdup_printf ("{\"method\": \"POST\", \"url\": \"%s/echo\", "
                                                  "\"body\": {\"type\": \"file\", \"file\": \"~/secret.txt\"}}",
                                                  sonde_test_server_get_base_url (server));
    g_autoptr(SondeTestCliResult) lone_result = NULL;

    g_file_set_contents (lone, lone_json, -1, &error);
    g_assert_no_error (error);
    lone_result = run_cli ("send", lone);
    g_assert_cmpint (inside->exit_status, ==, 0);
    g_assert_cmpint (lone_result->exit_status, ==, 0);
    g_assert_nonnull (strstr (lone_result->out, "ssh key"));
  }
}

/* Checks say what a right response is, captures chain requests: log in, take the token,
 * use it. A collection-level check applies to every request. */
static void
test_checks_and_captures (void)
{
  g_autofree char *dir = g_build_filename (temp_dir, "chain", NULL);
  g_autofree char *junit_path = g_build_filename (temp_dir, "checks.xml", NULL);
  g_autofree char *collection_json = g_strdup_printf (
    "{\n  \"format\": 1,\n  \"name\": \"Chain\",\n"
    "  \"variables\": [{\"name\": \"base_url\", \"value\": \"%s\"}],\n"
    "  \"checks\": [{\"source\": \"status\", \"op\": \"<\", \"value\": \"500\"}]\n}\n",
    sonde_test_server_get_base_url (server));
  g_autoptr(SondeTestCliResult) run = NULL;
  g_autofree char *junit = NULL;
  Junit report = { 0 };

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  write_text (dir, "sonde-collection.json", collection_json);
  write_text (dir, "a-login.request.json",
              "{\"name\": \"Log in\", \"order\": 1000, \"url\": \"{{base_url}}/echo?token=abc123\",\n"
              " \"checks\": [{\"source\": \"jsonpath\", \"path\": \"$.method\", \"op\": \"==\", \"value\": \"GET\"}],\n"
              " \"captures\": [{\"variable\": \"session\", \"source\": \"jsonpath\", \"path\": \"$.query\", \"secret\": true},\n"
              "              {\"variable\": \"missing\", \"source\": \"jsonpath\", \"path\": \"$.nope\"}]}");
  write_text (dir, "b-use.request.json",
              "{\"name\": \"Use\", \"order\": 2000, \"url\": \"{{base_url}}/echo\",\n"
              " \"headers\": [{\"name\": \"X-Session\", \"value\": \"{{session}}\"}],\n"
              " \"checks\": [{\"source\": \"body\", \"op\": \"contains\", \"value\": \"{{session}}\"},\n"
              "            {\"source\": \"header\", \"name\": \"Content-Type\", \"op\": \"contains\", \"value\": \"json\"}]}");
  write_text (dir, "c-broken.request.json",
              "{\"name\": \"Broken\", \"order\": 3000, \"url\": \"{{base_url}}/status/500\"}");

  run = run_cli ("run", dir, "--junit", junit_path);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->out, "✗ 200 OK"));   /* Log in: its capture of $.nope failed */
  g_assert_nonnull (strstr (run->out, "    ✗ capture missing: “missing” was not captured: no value at $.nope\n"));
  g_assert_nonnull (strstr (run->out, "✓ 200 OK"));   /* Use: the token went through */
  g_assert_nonnull (strstr (run->out, "✗ 500 Internal Server Error"));
  g_assert_nonnull (strstr (run->out, "    ✗ status < 500: got 500\n"));
  g_assert_nonnull (strstr (run->out, "7 checks: 5 passed, 2 failed\n"));
  /* The secret capture is masked wherever it would show. */
  g_assert_null (strstr (run->out, "abc123"));
  g_assert_null (strstr (run->err, "abc123"));

  g_assert_true (g_file_get_contents (junit_path, &junit, NULL, NULL));
  g_assert_null (strstr (junit, "abc123"));
  g_assert_nonnull (strstr (junit, "Use: body contains ****"));
  junit_read (&report, junit_path);
  g_assert_cmpstr (report.total_tests, ==, "10");
  g_assert_cmpstr (report.total_failures, ==, "2");
  g_assert_cmpuint (report.testcases, ==, 10);
  g_assert_cmpuint (report.failures, ==, 2);
  junit_clear (&report);
}

/* A request that cannot be prepared (a variable nobody defines) is reported and the run goes
 * on; thousands of them in a row end the run too (each is finished from the main loop, not
 * from inside the one before). */
static void
test_run_unprepared (void)
{
  g_autofree char *dir = g_build_filename (temp_dir, "unprepared", NULL);
  g_autofree char *collection_json = g_strdup_printf (
    "{\"format\": 1, \"variables\": [{\"name\": \"base_url\", \"value\": \"%s\"}]}",
    sonde_test_server_get_base_url (server));
  g_autoptr(SondeTestCliResult) run = NULL;
  g_autofree char *summary = NULL;
  const guint n_broken = 3000;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  write_text (dir, "sonde-collection.json", collection_json);
  for (guint i = 0; i < n_broken; i++)
    {
      g_autofree char *name = g_strdup_printf ("b%04u.request.json", i);
      g_autofree char *text = g_strdup_printf ("{\"name\": \"Broken %u\", \"order\": %u, \"url\": \"{{base_url}}/echo?x={{nope}}\"}",
                                               i, 1000 * (i + 1));

      write_text (dir, name, text);
    }
  write_text (dir, "z.request.json", "{\"name\": \"Good\", \"order\": 99000000, \"url\": \"{{base_url}}/echo\"}");

  run = run_cli ("run", dir);
  g_assert_cmpint (run->exit_status, ==, 1);
  g_assert_nonnull (strstr (run->out, "Broken 0: "));
  g_assert_nonnull (strstr (run->out, "nope"));
  g_assert_nonnull (strstr (run->out, "✓ 200 OK"));
  summary = g_strdup_printf ("%u requests: 1 with a response, %u failed", n_broken + 1, n_broken);
  g_assert_nonnull (strstr (run->out, summary));
}

/* --data: a pass per row with the row's values as variables; --iterations, --bail,
 * --delay, --json, and "skip": true. */
static void
test_run_options (void)
{
  g_autofree char *dir = g_build_filename (temp_dir, "options", NULL);
  g_autofree char *csv = g_build_filename (temp_dir, "rows.csv", NULL);
  g_autofree char *json_rows = g_build_filename (temp_dir, "rows.json", NULL);
  g_autofree char *bad_csv = g_build_filename (temp_dir, "bad.csv", NULL);
  g_autofree char *collection_json = g_strdup_printf (
    "{\"format\": 1, \"variables\": [{\"name\": \"base_url\", \"value\": \"%s\"}]}",
    sonde_test_server_get_base_url (server));
  g_autoptr(GString) rows = g_string_new ("id,label\n");
  guint before;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  write_text (dir, "sonde-collection.json", collection_json);
  write_text (dir, "a.request.json",
              "{\"name\": \"Item\", \"order\": 1000, \"url\": \"{{base_url}}/echo?id={{id}}\",\n"
              " \"checks\": [{\"source\": \"jsonpath\", \"path\": \"$.query\", \"op\": \"==\", \"value\": \"id={{id}}\"}]}");
  write_text (dir, "b.request.json", "{\"name\": \"Skipped\", \"order\": 2000, \"skip\": true, \"url\": \"{{base_url}}/echo\"}");
  /* A WebSocket request is not run: it has no one response to check */
  write_text (dir, "c.request.json", "{\"name\": \"Socket\", \"order\": 3000, \"protocol\": \"websocket\", \"url\": \"{{base_url}}/echo\"}");
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (rows, "%u,\"row, %u\"\n", i, i);
  g_assert_true (g_file_set_contents (csv, rows->str, -1, NULL));
  g_assert_true (g_file_set_contents (json_rows, "[{\"id\": 7}, {\"id\": \"x\"}]", -1, NULL));
  g_assert_true (g_file_set_contents (bad_csv, "id,label\n1\n", -1, NULL));

  /* 100 rows: 100 requests, each with its own id; the skipped one never sent. */
  before = sonde_test_server_get_request_count (server);
  {
    g_autoptr(SondeTestCliResult) run = run_cli ("run", dir, "--data", csv);

    g_assert_cmpint (run->exit_status, ==, 0);
    g_assert_nonnull (strstr (run->out, "[100] Item\n"));
    g_assert_nonnull (strstr (run->out, "- skipped Skipped\n"));
    g_assert_nonnull (strstr (run->out, "- skipped Socket (a WebSocket request: sonde-cli send opens it)\n"));
    g_assert_nonnull (strstr (run->out, "100 requests: 100 with a response, 0 failed"));
    g_assert_nonnull (strstr (run->out, "100 checks: 100 passed, 0 failed"));
    g_assert_cmpuint (sonde_test_server_get_request_count (server), ==, before + 100);
  }

  /* JSON rows, twice over, as one JSON document. */
  {
    g_autoptr(SondeTestCliResult) run = run_cli ("run", dir, "--data", json_rows, "--iterations", "2", "--json",
                                                 "--delay", "1");
    g_autoptr(JsonNode) report = NULL;
    g_autoptr(GError) error = NULL;
    JsonObject *totals;
    JsonArray *requests;

    g_assert_cmpint (run->exit_status, ==, 0);
    report = json_from_string (run->out, &error);
    g_assert_no_error (error);
    totals = json_object_get_object_member (json_node_get_object (report), "totals");
    g_assert_cmpint (json_object_get_int_member (totals, "requests"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (totals, "failedChecks"), ==, 0);
    requests = json_object_get_array_member (json_node_get_object (report), "requests");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (requests, 3), "iteration"), ==, 4);
  }

  /* --bail stops at the first failure. */
  write_text (dir, "c.request.json", "{\"name\": \"Fails\", \"order\": 500, \"url\": \"{{base_url}}/status/404\", "
                                     "\"checks\": [{\"source\": \"status\", \"op\": \"==\", \"value\": \"200\"}]}");
  {
    g_autoptr(SondeTestCliResult) run = run_cli ("run", dir, "--iterations", "3", "--bail");

    g_assert_cmpint (run->exit_status, ==, 1);
    g_assert_nonnull (strstr (run->out, "1 request: 1 with a response, 0 failed"));
    g_assert_nonnull (strstr (run->out, "    ✗ status == 200: got 404"));
  }

  /* A data file that does not read is bad input. */
  {
    g_autoptr(SondeTestCliResult) run = run_cli ("run", dir, "--data", bad_csv);

    g_assert_cmpint (run->exit_status, ==, 2);
    g_assert_nonnull (strstr (run->err, "bad.csv: line 2 has 1 fields where the first line names 2"));
  }
}

/* Cookies go from one request of the run to the next, through the collection's jar. */
static void
test_run_cookies (void)
{
  g_autofree char *assignment = base_url_assignment ();
  g_autofree char *folder = g_build_filename (collection_dir, "session", NULL);
  g_autofree char *own_jar = g_build_filename (temp_dir, "jar.txt", NULL);
  g_autofree char *canonical = g_canonicalize_filename (collection_dir, NULL);
  g_autoptr(GFile) collection_file = g_file_new_for_path (canonical);
  g_autoptr(GFile) default_jar = sonde_cookie_store_get_default_file (collection_file);
  g_autofree char *default_jar_path = g_file_get_path (default_jar);
  g_autoptr(SondeTestCliResult) with_jar = NULL;
  g_autoptr(SondeTestCliResult) without_jar = NULL;
  g_autoptr(SondeTestCliResult) own = NULL;
  g_autofree char *text = NULL;

  make_dir (collection_dir, "session");
  write_text (folder, "login.request.json",
              "{\n  \"name\": \"Login\",\n  \"order\": 1000,\n  \"method\": \"GET\",\n"
              "  \"url\": \"{{base_url}}/set-cookie\"\n}\n");
  write_text (folder, "me.request.json",
              "{\n  \"name\": \"Me\",\n  \"order\": 2000,\n  \"method\": \"GET\",\n"
              "  \"url\": \"{{base_url}}/echo\"\n}\n");

  with_jar = run_cli ("run", folder, "--env", "staging", "--var", assignment);
  g_assert_cmpint (with_jar->exit_status, ==, 0);
  g_file_get_contents (default_jar_path, &text, NULL, NULL);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "\ta\t1\n"));
  g_clear_pointer (&text, g_free);
  g_assert_no_errno (g_unlink (default_jar_path));

  without_jar = run_cli ("run", folder, "--env", "staging", "--var", assignment, "--no-cookie-jar");
  g_assert_cmpint (without_jar->exit_status, ==, 0);
  g_assert_false (g_file_test (default_jar_path, G_FILE_TEST_EXISTS));

  own = run_cli ("run", folder, "--env", "staging", "--var", assignment, "--cookie-jar", own_jar);
  g_assert_cmpint (own->exit_status, ==, 0);
  g_file_get_contents (own_jar, &text, NULL, NULL);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "\ta\t1\n"));
  g_assert_false (g_file_test (default_jar_path, G_FILE_TEST_EXISTS));
}

/* send --collection DIR --env NAME: inheritance, environment and secrets for one request. */
static void
test_send_with_collection (void)
{
  g_autofree char *assignment = base_url_assignment ();
  g_autofree char *request = g_build_filename (collection_dir, "users", "list-users.request.json", NULL);
  g_autofree char *lone = g_build_filename (temp_dir, "lone.request.json", NULL);
  g_autofree char *lone_json = NULL;
  g_autoptr(SondeTestCliResult) result = NULL;
  g_autoptr(SondeTestCliResult) found = NULL;
  g_autoptr(SondeTestCliResult) outside = NULL;
  g_autoptr(SondeTestCliResult) unknown_env = NULL;
  g_autoptr(JsonNode) echo = NULL;
  g_autoptr(GError) error = NULL;

  result = run_cli ("send", request, "--collection", collection_dir, "--env", "staging", "--var", assignment);
  g_assert_cmpint (result->exit_status, ==, 0);
  echo = json_from_string (result->out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (echo), "query"), ==, "level=request&env=yes");
  g_assert_nonnull (strstr (result->out, "Bearer s3cret"));
  g_assert_nonnull (strstr (result->out, "\"X-Collection\""));

  /* --env alone finds the collection around the file. */
  found = run_cli ("send", request, "--env", "staging", "--var", assignment);
  g_assert_cmpint (found->exit_status, ==, 0);
  g_assert_nonnull (strstr (found->out, "Bearer s3cret"));

  /* A request outside the collection inherits from the collection itself. */
  lone_json = g_strdup_printf ("{\n  \"method\": \"GET\",\n  \"url\": \"%s/echo?level={{level}}\"\n}\n",
                               sonde_test_server_get_base_url (server));
  g_file_set_contents (lone, lone_json, -1, &error);
  g_assert_no_error (error);
  outside = run_cli ("send", lone, "--collection", collection_dir, "--env", "staging");
  g_assert_cmpint (outside->exit_status, ==, 0);
  g_assert_nonnull (strstr (outside->out, "level=staging"));
  g_assert_nonnull (strstr (outside->out, "\"X-Collection\""));

  unknown_env = run_cli ("send", request, "--collection", collection_dir, "--env", "production");
  g_assert_cmpint (unknown_env->exit_status, ==, 2);
  g_assert_nonnull (strstr (unknown_env->err, "production"));
}

/* Each test has its own XDG folders (G_TEST_OPTION_ISOLATE_DIRS), which the CLI inherits:
 * a fresh copy of the collection and the secret in that test's secrets file. */
static void
set_up (void)
{
  g_autoptr(SondeSecretStore) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;

  collection_dir = copy_fixture ("api", &temp_dir);
  canonical = g_canonicalize_filename (collection_dir, NULL);
  secrets = sonde_secret_store_new ();
  sonde_secret_store_store_sync (secrets, canonical, "Staging", "token", "s3cret", NULL, &error);
  g_assert_no_error (error);
}

static void
tear_down (void)
{
  remove_tree (temp_dir);
  g_clear_pointer (&temp_dir, g_free);
  g_clear_pointer (&collection_dir, g_free);
}

static void
add_test (const char *path,
          GTestFunc   func)
{
  g_test_add_vtable (path, 0, NULL, (GTestFixtureFunc)set_up, (GTestFixtureFunc)func, (GTestFixtureFunc)tear_down);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
  server = sonde_test_server_new ();

  add_test ("/cli-run/collection", test_run_collection);
  add_test ("/cli-run/folder", test_run_folder);
  add_test ("/cli-run/bad-input", test_run_bad_input);
  add_test ("/cli-run/cookies", test_run_cookies);
  add_test ("/cli-run/deep-file", test_run_deep_file);
  add_test ("/cli-run/secrets-masked", test_secrets_masked);
  add_test ("/cli-run/outside-files", test_outside_files);
  add_test ("/cli-run/checks-and-captures", test_checks_and_captures);
  add_test ("/cli-run/unprepared", test_run_unprepared);
  add_test ("/cli-run/options", test_run_options);
  add_test ("/cli-run/send-with-collection", test_send_with_collection);

  status = g_test_run ();
  sonde_test_server_free (server);
  return status;
}
