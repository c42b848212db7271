/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "sonde-core.h"

static GHashTable *
make_variables (const char *first_name,
                ...)
{
  GHashTable *variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_hash_table_insert (variables, g_strdup (name), g_strdup (value));
      name = va_arg (args, const char *);
    }
  va_end (args);

  return variables;
}

static void
assert_expands (GHashTable *variables,
                const char *text,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = sonde_variables_expand (text, variables, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, expected);
}

static void
test_expand (void)
{
  g_autoptr(GHashTable) variables = make_variables ("host", "example.com",
                                                    "port", "8080",
                                                    "empty", "",
                                                    "tricky", "{{host}}",
                                                    "my var", "spaced",
                                                    NULL);

  assert_expands (variables, "", "");
  assert_expands (variables, "no variables", "no variables");
  assert_expands (variables, "https://{{host}}:{{port}}/", "https://example.com:8080/");
  assert_expands (variables, "{{host}}{{host}}", "example.comexample.com");
  assert_expands (variables, "[{{empty}}]", "[]");
  /* Whitespace inside the braces is ignored, inside the name it is part of it. */
  assert_expands (variables, "{{ host }}|{{\thost\n}}|{{  port}}", "example.com|example.com|8080");
  assert_expands (variables, "{{ my var }}", "spaced");
  /* Values are not expanded again. */
  assert_expands (variables, "{{tricky}}", "{{host}}");
  /* Not references: left as they are. */
  assert_expands (variables, "{{host", "{{host");
  assert_expands (variables, "a {{ b", "a {{ b");
  assert_expands (variables, "{{}}", "{{}}");
  assert_expands (variables, "{{  }}", "{{  }}");
  assert_expands (variables, "}}{{host}}{{", "}}example.com{{");
  assert_expands (variables, "{{{host}}}", "{example.com}");
  assert_expands (variables, "{{a{{host}}", "{{aexample.com");
  assert_expands (variables, "{host}", "{host}");
  assert_expands (NULL, "plain", "plain");

  g_assert_null (sonde_variables_expand (NULL, variables, NULL));
}

static void
test_undefined (void)
{
  g_autoptr(GHashTable) variables = make_variables ("host", "example.com", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  result = sonde_variables_expand ("https://{{host}}/?t={{ token }}", variables, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE);
  g_assert_cmpstr (error->message, ==, "Variable “token” is not defined");
  g_assert_null (result);
  g_clear_error (&error);

  /* No table at all: every reference is undefined, never an empty string. */
  result = sonde_variables_expand ("{{host}}", NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE);
  g_assert_null (result);
}

static void
test_find (void)
{
  g_auto(GStrv) names = sonde_variables_find ("{{b}} {{ a }} {{b}} {{c {{}} {{ d }}");
  g_auto(GStrv) none = sonde_variables_find ("nothing {{ here");

  /* "{{c {{}}" is not a reference ("{" inside); the scan goes on from the next "{{". */
  g_assert_cmpstrv (names, ((const char *[]) { "b", "a", "d", NULL }));
  g_assert_cmpstrv (none, ((const char *[]) { NULL }));
}

static void
test_find_next (void)
{
  const char *text = "a {{ b }} {{c {{d}}";
  gsize begin = 0, end = 0;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_true (sonde_variables_find_next (text, 0, &begin, &end, &first));
  g_assert_cmpstr (first, ==, "b");
  g_assert_cmpuint (begin, ==, 2);
  g_assert_cmpuint (end, ==, 9);
  g_assert_true (sonde_variables_find_next (text, end, &begin, &end, &second));
  g_assert_cmpstr (second, ==, "d");
  g_assert_cmpuint (begin, ==, 14);
  g_assert_cmpuint (end, ==, 19);
  g_assert_false (sonde_variables_find_next (text, end, &begin, &end, NULL));
  g_assert_false (sonde_variables_find_next ("", 0, NULL, NULL, NULL));
}

/* Built-in dynamic variables: a new value at each use, unless the table defines the name. */
static void
test_dynamic (void)
{
  g_autoptr(GHashTable) variables = make_variables ("$randomInt", "7", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) uuid = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", 0, 0, NULL);
  g_autoptr(GRegex) iso = g_regex_new ("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$", 0, 0, NULL);
  g_autofree char *a = sonde_variables_expand ("{{$uuid}}", NULL, &error);
  g_autofree char *b = sonde_variables_expand ("{{ $guid }}", NULL, &error);
  g_autofree char *stamp = sonde_variables_expand ("{{$timestamp}}", NULL, &error);
  g_autofree char *when = sonde_variables_expand ("{{$isoTimestamp}}", NULL, &error);
  g_autofree char *number = sonde_variables_expand ("{{$randomInt}}", NULL, &error);
  g_autofree char *defined = sonde_variables_expand ("{{$randomInt}}", variables, &error);
  g_autofree char *unknown = NULL;

  g_assert_no_error (error);
  g_assert_true (g_regex_match (uuid, a, 0, NULL));
  g_assert_true (g_regex_match (uuid, b, 0, NULL));
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpint (g_ascii_strtoll (stamp, NULL, 10), >, 1700000000);
  g_assert_true (g_regex_match (iso, when, 0, NULL));
  g_assert_cmpint (g_ascii_strtoll (number, NULL, 10), >=, 0);
  g_assert_cmpint (g_ascii_strtoll (number, NULL, 10), <=, 1000);
  g_assert_cmpstr (defined, ==, "7");

  unknown = sonde_variables_expand ("{{$nope}}", NULL, &error);
  g_assert_null (unknown);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE);
}

static void
test_secrets_mask (void)
{
  const char *secrets[] = { "abc", "abcdef", "", NULL };
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeRequest) copy = NULL;
  g_autofree char *masked = sonde_secrets_mask ("x=abcdef y=abc z=ab", secrets);
  g_autofree char *plain = sonde_secrets_mask ("nothing", NULL);

  g_assert_cmpstr (masked, ==, "x=**** y=**** z=ab");
  g_assert_cmpstr (plain, ==, "nothing");
  g_assert_null (sonde_secrets_mask (NULL, secrets));

  g_assert_null (sonde_request_get_secret_values (request));

  /* Expanded auth fields are secrets, whatever path their value took. */
  {
    g_autoptr(SondeRequest) with_auth = sonde_request_new ();
    g_autoptr(SondeRequest) expanded = NULL;
    g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);

    g_hash_table_insert (variables, "t", "tok123");
    sonde_auth_set_kind (sonde_request_get_auth (with_auth), SONDE_AUTH_BEARER);
    sonde_auth_set_token (sonde_request_get_auth (with_auth), "x-{{t}}");
    expanded = sonde_request_expand (with_auth, variables, NULL);
    g_assert_nonnull (sonde_request_get_secret_values (expanded));
    g_assert_cmpstr (sonde_request_get_secret_values (expanded)[0], ==, "x-tok123");
  }

  sonde_request_set_secret_values (request, secrets);
  copy = sonde_request_copy (request);
  g_assert_cmpuint (g_strv_length ((GStrv) sonde_request_get_secret_values (copy)), ==, 2);
  g_assert_true (g_strv_contains (sonde_request_get_secret_values (copy), "abcdef"));
}

static void
test_looks_like_secret (void)
{
  /* Sensitive names with a literal value */
  g_assert_true (sonde_looks_like_secret ("Authorization", "Bearer abc123"));
  g_assert_true (sonde_looks_like_secret ("authorization", "Basic dXNlcjpwYXNz"));
  g_assert_true (sonde_looks_like_secret ("X-Api-Key", "12345"));
  g_assert_true (sonde_looks_like_secret ("X-Auth-Token", "x{{suffix}}"));
  g_assert_true (sonde_looks_like_secret ("Cookie", "session=abc"));
  g_assert_true (sonde_looks_like_secret ("password", "hunter2"));
  g_assert_true (sonde_looks_like_secret ("api-key", "k"));
  g_assert_true (sonde_looks_like_secret ("X-Client-Secret", "s3cr3t"));
  /* Only variables (and an auth scheme): nothing to hide */
  g_assert_false (sonde_looks_like_secret ("Authorization", "Bearer {{token}}"));
  g_assert_false (sonde_looks_like_secret ("Authorization", "  Basic {{ credentials }} "));
  g_assert_false (sonde_looks_like_secret ("X-Api-Key", "{{api_key}}"));
  g_assert_false (sonde_looks_like_secret ("token", ""));
  g_assert_false (sonde_looks_like_secret ("password", NULL));
  /* By the value, whatever the name */
  g_assert_true (sonde_looks_like_secret ("X-Whatever", "Bearer abcdefgh12"));
  g_assert_true (sonde_looks_like_secret ("X-Forwarded-Jwt",
                                          "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU"));
  g_assert_true (sonde_looks_like_secret ("X-Custom", "q8Zr2LmX0vTn4KpW7sYb1cFd"));
  g_assert_true (sonde_looks_like_secret ("X-Signature", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"));
  /* Ordinary values */
  g_assert_false (sonde_looks_like_secret ("Accept", "application/json"));
  g_assert_false (sonde_looks_like_secret ("Content-Type", "application/vnd.api+json; charset=utf-8"));
  g_assert_false (sonde_looks_like_secret ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101"));
  g_assert_false (sonde_looks_like_secret ("X-Request-ID", "550e8400-e29b-41d4-a716-446655440000"));
  g_assert_false (sonde_looks_like_secret ("Accept-Language", "en-US,en;q=0.9"));
  g_assert_false (sonde_looks_like_secret ("X-Whatever", "Bearer {{token}}"));
  g_assert_false (sonde_looks_like_secret (NULL, "hello"));
}

static void
test_secret_literal (void)
{
  g_autofree char *bearer = sonde_secret_literal ("Authorization", " Bearer abc123 ");
  g_autofree char *key = sonde_secret_literal ("X-Api-Key", "k-1");
  g_autofree char *none = sonde_secret_literal ("Authorization", "Bearer {{token}}");
  g_autofree char *name1 = sonde_secret_suggest_name ("Authorization", "Bearer abc");
  g_autofree char *name2 = sonde_secret_suggest_name ("Authorization", "Basic abc");
  g_autofree char *name3 = sonde_secret_suggest_name ("X-Api-Key", "abc");
  g_autofree char *name4 = sonde_secret_suggest_name ("Cookie", "a=b");
  g_autofree char *name5 = sonde_secret_suggest_name ("--", "a=b");

  g_assert_cmpstr (bearer, ==, "abc123");
  g_assert_cmpstr (key, ==, "k-1");
  g_assert_null (none);
  g_assert_cmpstr (name1, ==, "token");
  g_assert_cmpstr (name2, ==, "credentials");
  g_assert_cmpstr (name3, ==, "api_key");
  g_assert_cmpstr (name4, ==, "cookie");
  g_assert_cmpstr (name5, ==, "secret");
}

/* Every "{{" of "{{{{…{{ }}" once scanned to the end again: 1 MB took seconds (found by
 * tests/fuzz/fuzz-variables). Linear, it takes a millisecond. */
static void
test_many_openings (void)
{
  gsize length = 1024 * 1024;
  g_autofree char *text = g_malloc (length + 4);
  g_autofree char *expanded = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  memset (text, '{', length);
  strcpy (text + length, " }}");

  start = g_get_monotonic_time ();
  expanded = sonde_variables_expand (text, NULL, &error);
  names = sonde_variables_find (text);
  g_assert_no_error (error);
  g_assert_cmpstr (expanded, ==, text);
  g_assert_cmpstr (names[0], ==, NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* The same skipping still finds the reference at the end. */
  text[length - 1] = 'a';
  g_clear_pointer (&names, g_strfreev);
  names = sonde_variables_find (text);
  g_assert_cmpstr (names[0], ==, "a");
  g_assert_cmpstr (names[1], ==, NULL);
}

static void
test_parse_assignment (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  g_assert_true (sonde_variables_parse_assignment ("token=a=b", &name, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "token");
  g_assert_cmpstr (value, ==, "a=b");
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&value, g_free);

  g_assert_true (sonde_variables_parse_assignment ("empty=", &name, &value, &error));
  g_assert_cmpstr (name, ==, "empty");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&value, g_free);

  g_assert_false (sonde_variables_parse_assignment ("token", &name, &value, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "“token”"));
  g_assert_null (name);
  g_clear_error (&error);

  g_assert_false (sonde_variables_parse_assignment ("=value", &name, &value, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_assert_null (name);
}

static void
test_parse_assignments (void)
{
  const char * const assignments[] = { "token=a", "empty=", "token=b=c", NULL };
  const char * const bad[] = { "token=a", "=value", NULL };
  g_autoptr(GHashTable) variables = NULL;
  g_autoptr(GHashTable) none = NULL;
  g_autoptr(GError) error = NULL;

  variables = sonde_variables_parse_assignments (assignments, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (variables), ==, 2);
  /* A later one of the same name wins. */
  g_assert_cmpstr (g_hash_table_lookup (variables, "token"), ==, "b=c");
  g_assert_cmpstr (g_hash_table_lookup (variables, "empty"), ==, "");

  none = sonde_variables_parse_assignments (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);

  g_assert_null (sonde_variables_parse_assignments (bad, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
}

/* A request where every field that can hold a variable holds one. */
static SondeRequest *
make_request (void)
{
  SondeRequest *request = sonde_request_new ();
  SondeRequestOptions *options = sonde_request_get_options (request);
  g_autoptr(GFile) file = g_file_new_for_path ("/srv/api/users/get.request.json");
  g_autoptr(GFile) base_dir = g_file_new_for_path ("/srv/api");
  const char *hosts[] = { "{{internal}}", "localhost", NULL };
  SondeKeyValue *row;

  sonde_request_set_name (request, "Get {{v}}");
  sonde_request_set_url (request, "https://{{host}}/users/{{ id }}");
  sonde_request_set_file (request, file);
  sonde_request_set_base_dir (request, base_dir);
  sonde_key_value_list_append (sonde_request_get_params (request), "{{v}}-param", "{{v}}");
  sonde_key_value_list_append (sonde_request_get_headers (request), "X-{{v}}", "{{v}}");
  row = sonde_key_value_list_append (sonde_request_get_headers (request), "X-Off", "{{undefined}}");
  sonde_key_value_set_enabled (row, FALSE);
  sonde_key_value_list_append (sonde_request_get_cookies (request), "c{{v}}", "{{v}}");

  sonde_request_options_set_ca_file (options, "{{dir}}/ca.pem");
  sonde_request_options_set_client_cert (options, "{{dir}}/client.pem");
  sonde_request_options_set_client_key (options, "{{dir}}/client.key");
  sonde_request_options_set_client_pkcs12 (options, "{{dir}}/client.p12");
  sonde_request_options_set_client_passphrase (options, "{{v}}");
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (options, "http://{{host}}:3128");
  sonde_request_options_set_proxy_username (options, "{{v}}");
  sonde_request_options_set_proxy_password (options, "{{v}}");
  sonde_request_options_set_no_proxy (options, hosts);

  return request;
}

static GHashTable *
make_request_variables (void)
{
  return make_variables ("host", "example.com", "id", "42", "v", "V{{host}}",
                         "dir", "/etc/certs", "internal", "intranet", NULL);
}

static const char *
row_name (GListStore *store,
          guint       position)
{
  g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (store), position);

  return sonde_key_value_get_name (row);
}

static const char *
row_value (GListStore *store,
           guint       position)
{
  g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (store), position);

  return sonde_key_value_get_value (row);
}

static void
test_expand_request (void)
{
  g_autoptr(SondeRequest) request = make_request ();
  g_autoptr(GHashTable) variables = make_request_variables ();
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeBodyPart) text_part = sonde_body_part_new_text ("{{v}}", "{{v}}");
  g_autoptr(SondeBodyPart) file_part = sonde_body_part_new_file ("f", "{{dir}}/up.bin");
  g_autoptr(SondeBodyPart) part = NULL;
  SondeRequestOptions *options;
  SondeBody *body = sonde_request_get_body (request);
  SondeAuth *auth = sonde_request_get_auth (request);
  const char *expanded_hosts[] = { "intranet", "localhost", NULL };

  /* Text body, basic auth */
  sonde_body_set_kind (body, SONDE_BODY_JSON);
  sonde_body_set_text (body, "{\"id\": {{id}}, \"v\": \"{{v}}\"}");
  sonde_body_set_content_type (body, "application/{{v}}+json");
  sonde_auth_set_kind (auth, SONDE_AUTH_BASIC);
  sonde_auth_set_username (auth, "{{v}}");
  sonde_auth_set_password (auth, "p{{id}}");

  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  g_assert_nonnull (expanded);
  g_assert_true (expanded != request);

  /* The name is a label, not part of what is sent. */
  g_assert_cmpstr (sonde_request_get_name (expanded), ==, "Get {{v}}");
  g_assert_cmpstr (sonde_request_get_url (expanded), ==, "https://example.com/users/42");
  g_assert_cmpstr (row_name (sonde_request_get_params (expanded), 0), ==, "V{{host}}-param");
  g_assert_cmpstr (row_value (sonde_request_get_params (expanded), 0), ==, "V{{host}}");
  g_assert_cmpstr (row_name (sonde_request_get_headers (expanded), 0), ==, "X-V{{host}}");
  g_assert_cmpstr (row_value (sonde_request_get_headers (expanded), 0), ==, "V{{host}}");
  /* A disabled row is not sent: its undefined variable is no error and stays as written. */
  g_assert_cmpstr (row_value (sonde_request_get_headers (expanded), 1), ==, "{{undefined}}");
  g_assert_cmpstr (row_name (sonde_request_get_cookies (expanded), 0), ==, "cV{{host}}");
  g_assert_cmpstr (row_value (sonde_request_get_cookies (expanded), 0), ==, "V{{host}}");

  body = sonde_request_get_body (expanded);
  g_assert_cmpstr (sonde_body_get_text (body), ==, "{\"id\": 42, \"v\": \"V{{host}}\"}");
  g_assert_cmpstr (sonde_body_get_content_type (body), ==, "application/V{{host}}+json");
  auth = sonde_request_get_auth (expanded);
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "V{{host}}");
  g_assert_cmpstr (sonde_auth_get_password (auth), ==, "p42");

  options = sonde_request_get_options (expanded);
  g_assert_cmpstr (sonde_request_options_get_ca_file (options), ==, "/etc/certs/ca.pem");
  g_assert_cmpstr (sonde_request_options_get_client_cert (options), ==, "/etc/certs/client.pem");
  g_assert_cmpstr (sonde_request_options_get_client_key (options), ==, "/etc/certs/client.key");
  g_assert_cmpstr (sonde_request_options_get_client_pkcs12 (options), ==, "/etc/certs/client.p12");
  g_assert_cmpstr (sonde_request_options_get_client_passphrase (options), ==, "V{{host}}");
  g_assert_cmpstr (sonde_request_options_get_proxy_url (options), ==, "http://example.com:3128");
  g_assert_cmpstr (sonde_request_options_get_proxy_username (options), ==, "V{{host}}");
  g_assert_cmpstr (sonde_request_options_get_proxy_password (options), ==, "V{{host}}");
  g_assert_cmpstrv (sonde_request_options_get_no_proxy (options), expanded_hosts);

  /* Where the request lives is kept, so relative paths still resolve. */
  g_assert_true (g_file_equal (sonde_request_get_file (expanded), sonde_request_get_file (request)));
  g_assert_true (g_file_equal (sonde_request_get_base_dir (expanded), sonde_request_get_base_dir (request)));

  /* The original is untouched. */
  g_assert_cmpstr (sonde_request_get_url (request), ==, "https://{{host}}/users/{{ id }}");
  g_clear_object (&expanded);

  /* Form fields, bearer */
  body = sonde_request_get_body (request);
  auth = sonde_request_get_auth (request);
  sonde_body_set_kind (body, SONDE_BODY_FORM);
  sonde_key_value_list_append (sonde_body_get_fields (body), "{{v}}", "{{id}}");
  sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
  sonde_auth_set_token (auth, "t{{id}}");
  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row_name (sonde_body_get_fields (sonde_request_get_body (expanded)), 0), ==, "V{{host}}");
  g_assert_cmpstr (row_value (sonde_body_get_fields (sonde_request_get_body (expanded)), 0), ==, "42");
  g_assert_cmpstr (sonde_auth_get_token (sonde_request_get_auth (expanded)), ==, "t42");
  g_clear_object (&expanded);

  /* Multipart parts, API key */
  sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
  sonde_body_part_set_filename (file_part, "{{id}}.bin");
  sonde_body_part_set_content_type (file_part, "image/{{id}}");
  g_list_store_append (sonde_body_get_parts (body), text_part);
  g_list_store_append (sonde_body_get_parts (body), file_part);
  sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
  sonde_auth_set_key_name (auth, "k{{id}}");
  sonde_auth_set_key_value (auth, "{{v}}");
  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  part = g_list_model_get_item (G_LIST_MODEL (sonde_body_get_parts (sonde_request_get_body (expanded))), 0);
  g_assert_cmpstr (sonde_body_part_get_name (part), ==, "V{{host}}");
  g_assert_cmpstr (sonde_body_part_get_value (part), ==, "V{{host}}");
  g_clear_object (&part);
  part = g_list_model_get_item (G_LIST_MODEL (sonde_body_get_parts (sonde_request_get_body (expanded))), 1);
  g_assert_cmpstr (sonde_body_part_get_file (part), ==, "/etc/certs/up.bin");
  g_assert_cmpstr (sonde_body_part_get_filename (part), ==, "42.bin");
  g_assert_cmpstr (sonde_body_part_get_content_type (part), ==, "image/42");
  g_assert_cmpstr (sonde_auth_get_key_name (sonde_request_get_auth (expanded)), ==, "k42");
  g_assert_cmpstr (sonde_auth_get_key_value (sonde_request_get_auth (expanded)), ==, "V{{host}}");
  g_clear_object (&expanded);

  /* File body */
  sonde_body_set_kind (body, SONDE_BODY_FILE);
  sonde_body_set_file (body, "{{dir}}/blob.bin");
  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_body_get_file (sonde_request_get_body (expanded)), ==, "/etc/certs/blob.bin");
}

static void
assert_undefined_in (SondeRequest *request,
                     const char   *message)
{
  g_autoptr(GHashTable) variables = make_request_variables ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) expanded = NULL;

  expanded = sonde_request_expand (request, variables, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_null (expanded);
}

static void
test_expand_request_undefined (void)
{
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeBodyPart) part = NULL;

  request = make_request ();
  sonde_key_value_list_append (sonde_request_get_headers (request), "Authorization", "Bearer {{token}}");
  assert_undefined_in (request, "Variable “token” is not defined (used in the Authorization header)");
  g_clear_object (&request);

  request = make_request ();
  sonde_request_set_url (request, "{{base_url}}/x");
  assert_undefined_in (request, "Variable “base_url” is not defined (used in the URL)");
  g_clear_object (&request);

  request = make_request ();
  sonde_key_value_list_append (sonde_request_get_params (request), "page", "{{page}}");
  assert_undefined_in (request, "Variable “page” is not defined (used in the query parameter “page”)");
  g_clear_object (&request);

  request = make_request ();
  sonde_key_value_list_append (sonde_request_get_cookies (request), "session", "{{session}}");
  assert_undefined_in (request, "Variable “session” is not defined (used in the cookie “session”)");
  g_clear_object (&request);

  request = make_request ();
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_TEXT);
  sonde_body_set_text (sonde_request_get_body (request), "{{payload}}");
  assert_undefined_in (request, "Variable “payload” is not defined (used in the request body)");
  g_clear_object (&request);

  request = make_request ();
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_MULTIPART);
  part = sonde_body_part_new_file ("upload", "{{upload_dir}}/a.bin");
  g_list_store_append (sonde_body_get_parts (sonde_request_get_body (request)), part);
  assert_undefined_in (request, "Variable “upload_dir” is not defined (used in the multipart part “upload”)");
  g_clear_object (&request);

  request = make_request ();
  sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BEARER);
  sonde_auth_set_token (sonde_request_get_auth (request), "{{token}}");
  assert_undefined_in (request, "Variable “token” is not defined (used in the bearer token)");
  g_clear_object (&request);

  request = make_request ();
  sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_OAUTH2);
  sonde_auth_set_oauth (sonde_request_get_auth (request), SONDE_OAUTH_TOKEN_URL, "{{idp}}/token");
  assert_undefined_in (request, "Variable “idp” is not defined (used in the OAuth 2.0 setting “token-url”)");
  g_clear_object (&request);

  request = make_request ();
  sonde_request_options_set_ca_file (sonde_request_get_options (request), "{{certs}}/ca.pem");
  assert_undefined_in (request, "Variable “certs” is not defined (used in the CA file path)");
  g_clear_object (&request);

  /* Text of an inactive body kind is not sent, so it is not checked. */
  request = make_request ();
  sonde_body_set_text (sonde_request_get_body (request), "{{unused}}");
  sonde_auth_set_token (sonde_request_get_auth (request), "{{unused}}");
  {
    g_autoptr(GHashTable) variables = make_request_variables ();
    g_autoptr(GError) error = NULL;
    g_autoptr(SondeRequest) expanded = sonde_request_expand (request, variables, &error);

    g_assert_no_error (error);
    g_assert_nonnull (expanded);
  }
}

static void
test_validate_method (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sonde_validate_method ("GET", NULL));
  g_assert_true (sonde_validate_method ("PROPFIND", NULL));
  g_assert_true (sonde_validate_method ("M-SEARCH", NULL));
  g_assert_true (sonde_validate_method ("x!#$%&'*+-.^_`|~9", NULL));

  g_assert_false (sonde_validate_method ("GET POST", &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_METHOD);
  g_assert_cmpstr (error->message, ==, "Method “GET POST” contains a space, which is not allowed");
  g_clear_error (&error);

  g_assert_false (sonde_validate_method ("", &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_METHOD);
  g_clear_error (&error);

  g_assert_false (sonde_validate_method ("GÉT", &error));
  g_assert_nonnull (strstr (error->message, "“É”"));
  g_clear_error (&error);

  g_assert_false (sonde_validate_method ("A(B)", NULL));
  g_assert_false (sonde_validate_method ("A\r\nB", NULL));
}

static void
test_validate_headers (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sonde_validate_header_name ("Content-Type", NULL));
  g_assert_true (sonde_validate_header_name ("X-Custom_1.2", NULL));
  g_assert_true (sonde_validate_header_value ("Accept", "text/html, */*; q=0.8", NULL));
  g_assert_true (sonde_validate_header_value ("X-Tab", "a\tb", NULL));
  g_assert_true (sonde_validate_header_value ("X-Utf8", "café", NULL));
  g_assert_true (sonde_validate_header_value ("X-Empty", "", NULL));

  g_assert_false (sonde_validate_header_name ("X Y", &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER);
  g_assert_cmpstr (error->message, ==, "Header name “X Y” contains a space, which is not allowed");
  g_clear_error (&error);

  g_assert_false (sonde_validate_header_name ("X:Y", &error));
  g_assert_cmpstr (error->message, ==, "Header name “X:Y” contains the character “:”, which is not allowed");
  g_clear_error (&error);

  g_assert_false (sonde_validate_header_name ("", &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER);
  g_clear_error (&error);

  g_assert_false (sonde_validate_header_name ("X-\nInjected", &error));
  g_assert_cmpstr (error->message, ==,
                   "Header name “X-\\nInjected” contains a line feed (LF), which is not allowed");
  g_clear_error (&error);

  g_assert_false (sonde_validate_header_value ("X-Note", "a\nb", &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER);
  g_assert_cmpstr (error->message, ==,
                   "The value of header “X-Note” contains a line feed (LF), which is not allowed");
  g_clear_error (&error);
}

/* Validation happens after expansion: a CR that a variable brings in is caught. */
static void
test_validate_after_expansion (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(GHashTable) variables = make_variables ("token", "abc\r\nX-Injected: 1", NULL);
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(SondeKeyValue) row = NULL;
  g_autoptr(GError) error = NULL;

  sonde_key_value_list_append (sonde_request_get_headers (request), "Authorization", "Bearer {{token}}");
  /* Before expansion the header looks harmless. */
  g_assert_true (sonde_validate_header_value ("Authorization", "Bearer {{token}}", NULL));

  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  row = g_list_model_get_item (G_LIST_MODEL (sonde_request_get_headers (expanded)), 0);
  g_assert_false (sonde_validate_header_value (sonde_key_value_get_name (row),
                                               sonde_key_value_get_value (row), &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER);
  g_assert_cmpstr (error->message, ==,
                   "The value of header “Authorization” contains a carriage return (CR), which is not allowed");
}

/* ":name" path segments: found in order, filled from the variables, then from the request's
 * own; others, and colons elsewhere, stay as written */
static void
test_path_variables (void)
{
  g_auto(GStrv) names = sonde_variables_find_path ("http://h:8080/users/:id/posts/:post_id/:id?x=:q#:f");
  g_auto(GStrv) none = sonde_variables_find_path ("{{base}}/v1/projects/p:batchGet/:/:9/a:b");
  g_auto(GStrv) relative = sonde_variables_find_path ("{{base}}/items/:item");
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstrv (names, ((const char *[]) { "id", "post_id", NULL }));
  g_assert_cmpstrv (none, ((const char *[]) { NULL }));
  g_assert_cmpstrv (relative, ((const char *[]) { "item", NULL }));

  /* The request's own variables, as the Params tab sets them */
  sonde_request_set_variable (request, "id", "42");
  sonde_request_set_variable (request, "post_id", "a/b c");
  g_assert_cmpstr (sonde_request_get_variable (request, "id"), ==, "42");
  sonde_request_set_url (request, "{{base}}/users/:id/posts/:post_id/:missing");
  g_hash_table_insert (variables, "base", "http://127.0.0.1:1");
  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_request_get_url (expanded), ==, "http://127.0.0.1:1/users/42/posts/a%2Fb%20c/:missing");
  g_clear_object (&expanded);

  /* A value given for the run wins over the request's own */
  g_hash_table_insert (variables, "id", "7");
  expanded = sonde_request_expand (request, variables, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_request_get_url (expanded), ==, "http://127.0.0.1:1/users/7/posts/a%2Fb%20c/:missing");

  /* Removing a value removes its row, and the key when it was the last */
  sonde_request_set_variable (request, "id", NULL);
  sonde_request_set_variable (request, "post_id", NULL);
  g_assert_null (sonde_request_get_variable (request, "id"));
  g_assert_null (sonde_request_get_extra (request));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/variables/expand", test_expand);
  g_test_add_func ("/variables/undefined", test_undefined);
  g_test_add_func ("/variables/find", test_find);
  g_test_add_func ("/variables/find-next", test_find_next);
  g_test_add_func ("/variables/many-openings", test_many_openings);
  g_test_add_func ("/variables/looks-like-secret", test_looks_like_secret);
  g_test_add_func ("/variables/secret-literal", test_secret_literal);
  g_test_add_func ("/variables/parse-assignment", test_parse_assignment);
  g_test_add_func ("/variables/parse-assignments", test_parse_assignments);
  g_test_add_func ("/variables/request/expand", test_expand_request);
  g_test_add_func ("/variables/request/undefined", test_expand_request_undefined);
  g_test_add_func ("/variables/validate/method", test_validate_method);
  g_test_add_func ("/variables/validate/headers", test_validate_headers);
  g_test_add_func ("/variables/validate/after-expansion", test_validate_after_expansion);
  g_test_add_func ("/variables/secrets-mask", test_secrets_mask);
  g_test_add_func ("/variables/dynamic", test_dynamic);
  g_test_add_func ("/variables/path", test_path_variables);

  return g_test_run ();
}
