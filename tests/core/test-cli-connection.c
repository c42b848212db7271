/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sonde-cli ($SONDE_CLI) and the connection parts: its default cookie jars, and "tls" in
 * --json. The servers answer from this thread's main context while the test waits for the
 * subprocess asynchronously. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sonde-cookie-store.h"
#include "sonde-test-proxy.h"
#include "sonde-test-server.h"
#include "sonde-test-tls.h"
#include "sonde-test-utils.h"

static SondeTestServer *server;
static SondeTestTls *tls;
static char *work_dir;

#define run_cli(...) sonde_test_run_cli (work_dir, (const char * const []) { __VA_ARGS__, NULL })

static char *
write_file (const char *relative,
            const char *contents)
{
  char *path = g_build_filename (work_dir, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* A request for {{path}} on the test server: one file, several targets, one jar. */
static char *
write_echo_request (const char *relative)
{
  g_autofree char *json = g_strdup_printf ("{\n  \"method\": \"GET\",\n  \"url\": \"%s{{path}}\"\n}\n",
                                           sonde_test_server_get_base_url (server));

  return write_file (relative, json);
}

/* The Cookie line of an /echo?format=text answer, or NULL. */
static char *
cookie_line (const char *out)
{
  const char *start = strstr (out, "\nCookie: ");

  if (start == NULL)
    return NULL;
  start += strlen ("\nCookie: ");
  return g_strndup (start, strcspn (start, "\n"));
}

static void
test_default_jar_per_file (void)
{
  g_autofree char *request = write_echo_request ("lone/echo.request.json");
  g_autofree char *other = write_echo_request ("lone/other.request.json");
  g_autoptr(GFile) request_file = g_file_new_for_path (request);
  g_autoptr(GFile) jar = sonde_cookie_store_get_default_file (request_file);
  g_autoptr(SondeTestCliResult) set = run_cli ("send", request, "--var", "path=/set-cookie");
  g_autoptr(SondeTestCliResult) again = run_cli ("send", request, "--var", "path=/echo?format=text");
  g_autoptr(SondeTestCliResult) other_file = run_cli ("send", other, "--var", "path=/echo?format=text");
  g_autoptr(SondeTestCliResult) none = run_cli ("send", request, "--no-cookie-jar", "--var", "path=/echo?format=text");
  g_autofree char *cookies = NULL;
  g_autofree char *jar_text = NULL;
  g_autoptr(GFile) jar_dir = g_file_new_build_filename (g_get_user_data_dir (), "sonde", "cookies", NULL);
  g_autoptr(GFile) jar_parent = g_file_get_parent (jar);
  GStatBuf st;

  g_assert_cmpint (set->exit_status, ==, 0);
  g_assert_cmpint (again->exit_status, ==, 0);
  cookies = cookie_line (again->out);
  g_assert_cmpstr (cookies, ==, "a=1; b=two; c=3");

  /* Local state, outside the folder, 0600, naming the file it belongs to. */
  g_assert_true (g_file_equal (jar_parent, jar_dir));
  g_assert_cmpint (g_stat (g_file_peek_path (jar), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (g_file_peek_path (jar), &jar_text, NULL, NULL));
  g_assert_nonnull (strstr (jar_text, request));

  /* Another lone file has its own jar; --no-cookie-jar uses none. */
  g_assert_cmpint (other_file->exit_status, ==, 0);
  g_assert_null (cookie_line (other_file->out));
  g_assert_cmpint (none->exit_status, ==, 0);
  g_assert_null (cookie_line (none->out));
}

static void
test_default_jar_per_collection (void)
{
  g_autofree char *first = write_echo_request ("api/login.request.json");
  g_autofree char *second = write_echo_request ("api/users/me.request.json");
  g_autofree char *dir = g_build_filename (work_dir, "api", NULL);
  g_autoptr(SondeTestCliResult) set = run_cli ("send", first, "--collection", dir, "--var", "path=/set-cookie");
  g_autoptr(SondeTestCliResult) echo = run_cli ("send", second, "--collection", dir, "--var", "path=/echo?format=text");
  g_autofree char *cookies = NULL;

  g_assert_cmpint (set->exit_status, ==, 0);
  g_assert_cmpint (echo->exit_status, ==, 0);
  cookies = cookie_line (echo->out);
  g_assert_cmpstr (cookies, ==, "a=1; b=two; c=3");
}

static void
test_corrupt_jar (void)
{
  g_autofree char *request = write_echo_request ("corrupt/echo.request.json");
  g_autoptr(GFile) request_file = g_file_new_for_path (request);
  g_autoptr(GFile) jar = sonde_cookie_store_get_default_file (request_file);
  g_autoptr(GFile) jar_dir = g_file_get_parent (jar);
  g_autoptr(SondeTestCliResult) result = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autofree char *jar_text = NULL;
  GFileInfo *info;
  gboolean set_aside = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (jar_dir), 0700), ==, 0);
  g_assert_true (g_file_set_contents (g_file_peek_path (jar), "not a cookie jar\n", -1, NULL));

  /* Reported, set aside, and the request still goes out with an empty jar. */
  result = run_cli ("send", request, "--var", "path=/set-cookie");
  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (result->err, "sonde-cli: Warning: The cookie jar "));
  g_assert_nonnull (strstr (result->err, "set aside"));

  children = g_file_enumerate_children (jar_dir, G_FILE_ATTRIBUTE_STANDARD_NAME, 0, NULL, NULL);
  while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *basename = g_file_get_basename (jar);

      if (g_str_has_prefix (g_file_info_get_name (info), basename) &&
          strstr (g_file_info_get_name (info), ".corrupt-") != NULL)
        set_aside = TRUE;
      g_object_unref (info);
    }
  g_assert_true (set_aside);
  g_assert_true (g_file_get_contents (g_file_peek_path (jar), &jar_text, NULL, NULL));
  g_assert_nonnull (strstr (jar_text, "\ta\t1\n"));
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_tls_json (void)
{
  g_autoptr(SoupServer) tls_server = NULL;
  g_autoptr(GUri) base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *trusted_json = NULL;
  g_autofree char *unverified_json = NULL;
  g_autofree char *trusted = NULL;
  g_autofree char *unverified = NULL;
  g_autoptr(SondeTestCliResult) result = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *tls_member, *leaf;
  JsonArray *chain;

  if (tls == NULL)
    {
      g_test_skip ("openssl is not available");
      return;
    }
  tls_server = sonde_test_tls_server_new (tls, FALSE, &base);
  url = g_uri_to_string (base);
  trusted_json = g_strdup_printf ("{\n  \"method\": \"GET\",\n  \"url\": \"%s\",\n"
                                  "  \"options\": {\"caFile\": \"%s\"}\n}\n", url, tls->ca_cert);
  unverified_json = g_strdup_printf ("{\n  \"method\": \"GET\",\n  \"url\": \"%s\",\n"
                                     "  \"options\": {\"verifyTls\": false}\n}\n", url);
  trusted = write_file ("tls/trusted.request.json", trusted_json);
  unverified = write_file ("tls/unverified.request.json", unverified_json);

  result = run_cli ("send", trusted, "--json", "--no-cookie-jar");
  g_assert_cmpint (result->exit_status, ==, 0);
  object = parse_object (result->out);
  g_assert_true (json_object_get_boolean_member (object, "tlsVerified"));
  tls_member = json_object_get_object_member (object, "tls");
  g_assert_nonnull (tls_member);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (tls_member, "version"), "TLS 1."));
  g_assert_nonnull (json_object_get_string_member (tls_member, "cipher"));
  g_assert_true (json_object_get_null_member (tls_member, "certificateErrors"));
  chain = json_object_get_array_member (tls_member, "chain");
  g_assert_cmpuint (json_array_get_length (chain), >=, 1);
  leaf = json_array_get_object_element (chain, 0);
  g_assert_cmpstr (json_object_get_string_member (leaf, "subject"), ==, "CN=localhost");
  g_assert_cmpstr (json_object_get_string_member (leaf, "issuer"), ==, "CN=Sonde Test CA");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (leaf, "notBefore"), "Z"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (leaf, "notAfter"), "Z"));
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* Verification off: said prominently. */
  result = run_cli ("send", unverified, "--json", "--no-cookie-jar");
  g_assert_cmpint (result->exit_status, ==, 0);
  object = parse_object (result->out);
  g_assert_false (json_object_get_boolean_member (object, "tlsVerified"));
  tls_member = json_object_get_object_member (object, "tls");
  g_assert_nonnull (strstr (json_object_get_string_member (tls_member, "certificateErrors"), "not trusted"));
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* And without either, a transport error (exit 1) that says why. */
  g_clear_pointer (&unverified_json, g_free);
  g_clear_pointer (&unverified, g_free);
  unverified_json = g_strdup_printf ("{\n  \"method\": \"GET\",\n  \"url\": \"%s\"\n}\n", url);
  unverified = write_file ("tls/plain.request.json", unverified_json);
  result = run_cli ("send", unverified, "--no-cookie-jar");
  g_assert_cmpint (result->exit_status, ==, 1);
  g_assert_nonnull (strstr (result->err, "certificate is not trusted"));
  g_clear_pointer (&result, sonde_test_cli_result_free);

  /* A wrong passphrase is bad input, like a bad header: exit 2, nothing sent. */
  g_clear_pointer (&unverified_json, g_free);
  g_clear_pointer (&unverified, g_free);
  unverified_json = g_strdup_printf ("{\n  \"url\": \"%s\",\n  \"options\": {\"clientCertificate\": "
                                     "{\"cert\": \"%s\", \"key\": \"%s\", \"passphrase\": \"wrong\"}}\n}\n",
                                     url, tls->client_cert, tls->client_key_encrypted);
  unverified = write_file ("tls/passphrase.request.json", unverified_json);
  result = run_cli ("send", unverified, "--no-cookie-jar");
  g_assert_cmpint (result->exit_status, ==, 2);
  g_assert_nonnull (strstr (result->err, "Wrong passphrase for the private key"));
}

/* None of what makes the system's proxy settings more than the environment's, for these
 * runs, unless a case sets it again. */
#define NO_DESKTOP SONDE_TEST_DESKTOP_VARIABLES

/* Whether a `sonde-cli send` of REQUEST with ENVIRONMENT (sonde_test_run_cli_with_env ())
 * went through the test proxy: tinyproxy's Via header in the echo. */
static gboolean
sent_through_proxy (const char         *request,
                    const char * const *environment)
{
  g_autoptr(SondeTestCliResult) result =
    sonde_test_run_cli_with_env (work_dir, environment,
                                 (const char * const []) { "send", request, "--no-cookie-jar",
                                                           "--var", "path=/echo?format=text", NULL });

  g_assert_cmpint (result->exit_status, ==, 0);
  return strstr (result->out, "sonde-test-proxy") != NULL;
}

/* Outside any desktop session the environment's proxy variables are the system's settings,
 * which Sonde reads itself (sonde_proxy_init_process ()): http_proxy with the credentials in
 * its URL, its upper-case form, a proxy without a scheme, no_proxy; a desktop's or a person's
 * choice of resolver still goes to GIO. */
static void
test_environment_proxy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeTestProxy) proxy = sonde_test_proxy_new (NULL, 0, &error);
  g_autofree char *request = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *https = NULL;

  if (proxy == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_test_skip (error->message);
      return;
    }
  request = write_echo_request ("proxied/echo.request.json");
  lower = g_strdup_printf ("http_proxy=http://%s:%s@127.0.0.1:%u", SONDE_TEST_PROXY_USERNAME,
                           SONDE_TEST_PROXY_PASSWORD, sonde_test_proxy_get_port (proxy));
  upper = g_strdup_printf ("HTTP_PROXY=http://%s:%s@127.0.0.1:%u", SONDE_TEST_PROXY_USERNAME,
                           SONDE_TEST_PROXY_PASSWORD, sonde_test_proxy_get_port (proxy));
  https = g_strdup_printf ("https_proxy=http://%s:%s@127.0.0.1:%u", SONDE_TEST_PROXY_USERNAME,
                           SONDE_TEST_PROXY_PASSWORD, sonde_test_proxy_get_port (proxy));
  bare = g_strdup_printf ("http_proxy=%s:%s@127.0.0.1:%u", SONDE_TEST_PROXY_USERNAME,
                          SONDE_TEST_PROXY_PASSWORD, sonde_test_proxy_get_port (proxy));

  g_assert_false (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, NULL }));
  g_assert_true (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, lower, NULL }));
  g_assert_true (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, upper, NULL }));
  g_assert_true (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, bare, NULL }));
  /* An https_proxy alone is not for http:// */
  g_assert_false (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, https, NULL }));
  g_assert_false (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, lower,
                                                                         "no_proxy=example.com, 127.0.0.1", NULL }));
  g_assert_false (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, lower, "NO_PROXY=*", NULL }));
  g_assert_true (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, lower, "no_proxy=example.com",
                                                                        NULL }));
  /* A proxy that cannot be used is an error, not a direct request. */
  {
    g_autoptr(SondeTestCliResult) result =
      sonde_test_run_cli_with_env (work_dir, (const char * const []) { NO_DESKTOP, "http_proxy=ftp://proxy:21", NULL },
                                   (const char * const []) { "send", request, "--no-cookie-jar",
                                                             "--var", "path=/echo?format=text", NULL });

    g_assert_cmpint (result->exit_status, ==, 2);
    g_assert_nonnull (strstr (result->err, "http_proxy (from the environment): The proxy URL “ftp://proxy:21” is not supported"));
  }
  /* The person named GIO's resolver (here the one that never proxies): the environment is
   * not read by Sonde then. */
  g_assert_false (sent_through_proxy (request, (const char * const []) { NO_DESKTOP, lower,
                                                                         "GIO_USE_PROXY_RESOLVER=dummy", NULL }));
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
      g_print ("1..0 # SKIP SONDE_CLI is not set\n");
      return 0;
    }

  server = sonde_test_server_new ();
  work_dir = g_dir_make_tmp ("sonde-cli-connection-XXXXXX", &error);
  g_assert_no_error (error);
  tls = sonde_test_tls_new (&error);
  if (tls == NULL)
    g_test_message ("No test certificates: %s", error->message);

  g_test_add_func ("/cli-connection/default-jar-per-file", test_default_jar_per_file);
  g_test_add_func ("/cli-connection/default-jar-per-collection", test_default_jar_per_collection);
  g_test_add_func ("/cli-connection/corrupt-jar", test_corrupt_jar);
  g_test_add_func ("/cli-connection/tls-json", test_tls_json);
  g_test_add_func ("/cli-connection/environment-proxy", test_environment_proxy);

  status = g_test_run ();

  g_clear_pointer (&tls, sonde_test_tls_free);
  sonde_test_remove_tree (work_dir);
  g_free (work_dir);
  sonde_test_server_free (server);
  return status;
}
