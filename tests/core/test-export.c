/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Copy as" (sonde-export.c): the curl, python-requests, HTTPie and fetch code made for a
 * request is run with the real tool against the in-process server, and must send what
 * Sonde sends for the same request: method, path and query, headers, cookies, body bytes
 * (multipart: the same parts). */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"

static SondeTestServer *server;
static SondeClient *client;
static char *temp_dir;

static const char * const compared_headers[] = {
  "Content-Type", "Authorization", "Cookie", "X-Token", "X-Quote", "X-Api-Key", NULL
};

/* What /echo saw, reduced to what the request means. */
static char *
summarise_echo (const char *json)
{
  g_autoptr(JsonNode) echo = json_from_string (json, NULL);
  JsonObject *object;
  GString *out = g_string_new (NULL);

  if (echo == NULL)
    return g_strdup_printf ("not JSON: %s", json);
  object = json_node_get_object (echo);
  g_string_append_printf (out, "%s %s?%s\n", json_object_get_string_member (object, "method"),
                          json_object_get_string_member (object, "path"),
                          json_object_get_string_member_with_default (object, "query", ""));
  for (guint i = 0; compared_headers[i] != NULL; i++)
    {
      g_autofree char *value = sonde_test_echo_header (echo, compared_headers[i]);

      /* A boundary and a digest's nonce are each tool's own. */
      if (value != NULL && g_str_has_prefix (value, "multipart/form-data"))
        value[strlen ("multipart/form-data")] = '\0';
      if (value != NULL && g_str_has_prefix (value, "Digest "))
        value[strlen ("Digest")] = '\0';
      g_string_append_printf (out, "%s: %s\n", compared_headers[i], value != NULL ? value : "(none)");
    }
  if (json_object_has_member (object, "parts"))
    {
      JsonArray *parts = json_object_get_array_member (object, "parts");

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          JsonObject *part = json_array_get_object_element (parts, i);

          g_string_append_printf (out, "part %s filename=%s type=%s sha %s\n",
                                  json_object_get_string_member (part, "name"),
                                  json_object_get_string_member_with_default (part, "filename", "-"),
                                  json_object_get_string_member_with_default (part, "contentType", "-"),
                                  json_object_get_string_member (part, "sha256"));
        }
    }
  else
    g_string_append_printf (out, "size %" G_GINT64_FORMAT " sha %s\n",
                            json_object_get_int_member (object, "bodySize"),
                            json_object_get_string_member (object, "bodySha256"));
  return g_string_free (out, FALSE);
}

static char *
send_with_sonde (SondeRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;

  response = sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  body = sonde_body_store_get_bytes (sonde_response_get_body (response));
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return summarise_echo (text);
}

static char *
export (SondeRequest        *request,
        SondeExportLanguage  language)
{
  g_autoptr(GError) error = NULL;
  char *code = sonde_export_request (request, language, &error);

  g_assert_no_error (error);
  g_assert_nonnull (code);
  return code;
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static gboolean
node_is_recent (void)
{
  const char *argv[] = { "node", "-e", "process.exit(parseInt(process.versions.node) >= 20 ? 0 : 1)", NULL };
  g_autoptr(SondeTestCliResult) result = NULL;

  if (!have_program ("node"))
    return FALSE;
  result = sonde_test_run (temp_dir, argv);
  return result->exit_status == 0;
}

/* Runs CODE with the tool of LANGUAGE: what /echo answered, summarised. */
static char *
run_export (const char          *code,
            SondeExportLanguage  language)
{
  g_autoptr(SondeTestCliResult) result = NULL;
  const char *body;

  switch (language)
    {
    case SONDE_EXPORT_CURL:
    case SONDE_EXPORT_HTTPIE:
      result = sonde_test_run (temp_dir, (const char * const []) { "sh", "-c", code, NULL });
      break;
    case SONDE_EXPORT_PYTHON:
      result = sonde_test_run (temp_dir, (const char * const []) { "python3", "-c", code, NULL });
      break;
    case SONDE_EXPORT_FETCH:
    default:
      result = sonde_test_run (temp_dir, (const char * const []) { "node", "--input-type=module", "-e", code, NULL });
      break;
    }
  g_assert_cmpint (result->exit_status, ==, 0);

  body = result->out;
  /* python and node print the status on the first line */
  if (language == SONDE_EXPORT_PYTHON || language == SONDE_EXPORT_FETCH)
    {
      g_assert_true (g_str_has_prefix (body, "200\n"));
      body += 4;
    }
  return summarise_echo (body);
}

static void
check_same_in (SondeRequest              *request,
               const SondeExportLanguage *languages,
               guint                      n_languages)
{
  g_autofree char *sonde = send_with_sonde (request);

  for (guint i = 0; i < n_languages; i++)
    {
      g_autofree char *code = export (request, languages[i]);
      g_autofree char *theirs = NULL;

      if (languages[i] == SONDE_EXPORT_HTTPIE && !have_program ("http"))
        {
          g_test_message ("HTTPie is not installed: not run");
          continue;
        }
      if (languages[i] == SONDE_EXPORT_FETCH && !node_is_recent ())
        {
          g_test_message ("Node.js 20 is not installed: fetch not run");
          continue;
        }
      g_test_message ("%s:\n%s", sonde_export_language_to_string (languages[i]), code);
      theirs = run_export (code, languages[i]);
      g_test_message ("sonde:\n%s%s:\n%s", sonde, sonde_export_language_to_string (languages[i]), theirs);
      g_assert_cmpstr (theirs, ==, sonde);
    }
}

static void
check_same (SondeRequest *request,
            gboolean      with_files)
{
  static const SondeExportLanguage all[] = {
    SONDE_EXPORT_CURL, SONDE_EXPORT_PYTHON, SONDE_EXPORT_HTTPIE, SONDE_EXPORT_FETCH
  };

  check_same_in (request, all, G_N_ELEMENTS (all));
}

static SondeRequest *
request_new (const char *method,
             const char *path)
{
  SondeRequest *request = sonde_request_new ();
  g_autofree char *url = g_strconcat (sonde_test_server_get_base_url (server), path, NULL);

  sonde_request_set_method (request, method);
  sonde_request_set_url (request, url);
  return request;
}

static void
test_get (void)
{
  g_autoptr(SondeRequest) request = request_new ("GET", "/echo/items?fixed=1");
  SondeKeyValue *off;

  sonde_key_value_list_append (sonde_request_get_params (request), "q", "two words & more");
  off = sonde_key_value_list_append (sonde_request_get_params (request), "off", "x");
  sonde_key_value_set_enabled (off, FALSE);
  sonde_key_value_list_append (sonde_request_get_headers (request), "X-Token", "abc");
  sonde_key_value_list_append (sonde_request_get_headers (request), "X-Quote", "it's \"quoted\" $HOME `x`");
  sonde_key_value_list_append (sonde_request_get_cookies (request), "sid", "abc");
  sonde_key_value_list_append (sonde_request_get_cookies (request), "theme", "dark");
  check_same (request, FALSE);
}

static void
test_json_bearer (void)
{
  g_autoptr(SondeRequest) request = request_new ("PUT", "/echo/json");
  SondeBody *body = sonde_request_get_body (request);
  SondeAuth *auth = sonde_request_get_auth (request);

  sonde_body_set_kind (body, SONDE_BODY_JSON);
  sonde_body_set_text (body, "{\n  \"name\": \"Zoë\",\n  \"quote\": \"it's\",\n  \"list\": [1, 2]\n}");
  sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
  sonde_auth_set_token (auth, "t0k3n");
  check_same (request, FALSE);
}

static void
test_form_api_key (void)
{
  g_autoptr(SondeRequest) request = request_new ("POST", "/echo/form");
  SondeBody *body = sonde_request_get_body (request);
  SondeAuth *auth = sonde_request_get_auth (request);

  sonde_body_set_kind (body, SONDE_BODY_FORM);
  sonde_key_value_list_append (sonde_body_get_fields (body), "name", "Ann Lee");
  sonde_key_value_list_append (sonde_body_get_fields (body), "math", "1+1=2 & 50%");
  sonde_key_value_list_append (sonde_body_get_fields (body), "name", "dup");
  sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
  sonde_auth_set_key_name (auth, "X-Api-Key");
  sonde_auth_set_key_value (auth, "k1");
  check_same (request, FALSE);

  /* In the query */
  sonde_auth_set_key_name (auth, "api_key");
  sonde_auth_set_key_location (auth, SONDE_API_KEY_IN_QUERY);
  check_same (request, FALSE);
}

static void
test_multipart_and_file (void)
{
  g_autofree char *doc = g_build_filename (temp_dir, "doc file.txt", NULL);
  g_autofree char *bin = g_build_filename (temp_dir, "data.bin", NULL);
  g_autoptr(SondeRequest) request = request_new ("POST", "/echo/upload");
  g_autoptr(SondeRequest) file_request = request_new ("POST", "/echo/file");
  SondeBody *body = sonde_request_get_body (request);
  g_autoptr(SondeBodyPart) text = sonde_body_part_new_text ("title", "Report; final");
  g_autoptr(SondeBodyPart) file = sonde_body_part_new_file ("doc", "doc file.txt");
  g_autoptr(SondeBodyPart) named = sonde_body_part_new_file ("raw", bin);
  g_autoptr(GFile) base = g_file_new_for_path (temp_dir);

  g_assert_true (g_file_set_contents (doc, "hello\n", -1, NULL));
  g_assert_true (g_file_set_contents (bin, "\x01\x02\x00\x03", 4, NULL));

  sonde_request_set_base_dir (request, base);
  sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
  sonde_body_part_set_content_type (file, "text/plain");
  sonde_body_part_set_content_type (named, "application/octet-stream");
  g_list_store_append (sonde_body_get_parts (body), text);
  g_list_store_append (sonde_body_get_parts (body), file);
  g_list_store_append (sonde_body_get_parts (body), named);
  check_same (request, TRUE);

  /* A part's file name of its own: HTTPie cannot say it, and says so */
  sonde_body_part_set_filename (named, "renamed.bin");
  {
    static const SondeExportLanguage can[] = { SONDE_EXPORT_CURL, SONDE_EXPORT_PYTHON, SONDE_EXPORT_FETCH };
    g_autofree char *httpie = export (request, SONDE_EXPORT_HTTPIE);

    check_same_in (request, can, G_N_ELEMENTS (can));
    g_assert_nonnull (strstr (httpie, "under its own name, not “renamed.bin”"));
  }

  sonde_request_set_base_dir (file_request, base);
  sonde_body_set_kind (sonde_request_get_body (file_request), SONDE_BODY_FILE);
  sonde_body_set_file (sonde_request_get_body (file_request), "data.bin");
  sonde_body_set_content_type (sonde_request_get_body (file_request), "application/x-thing");
  check_same (file_request, TRUE);
}

static void
test_auth_challenges (void)
{
  g_autoptr(SondeRequest) basic = request_new ("GET", "/basic-auth/ann/s3:cret");
  g_autoptr(SondeRequest) digest = request_new ("GET", "/digest-auth/ann/s3cret");

  sonde_auth_set_kind (sonde_request_get_auth (basic), SONDE_AUTH_BASIC);
  sonde_auth_set_username (sonde_request_get_auth (basic), "ann");
  sonde_auth_set_password (sonde_request_get_auth (basic), "s3:cret");
  check_same (basic, FALSE);

  sonde_auth_set_kind (sonde_request_get_auth (digest), SONDE_AUTH_DIGEST);
  sonde_auth_set_username (sonde_request_get_auth (digest), "ann");
  sonde_auth_set_password (sonde_request_get_auth (digest), "s3cret");
  /* fetch cannot answer a digest challenge: curl, requests and HTTPie can */
  {
    g_autofree char *sonde = send_with_sonde (digest);
    SondeExportLanguage languages[] = { SONDE_EXPORT_CURL, SONDE_EXPORT_PYTHON, SONDE_EXPORT_HTTPIE };

    for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
      {
        g_autofree char *code = export (digest, languages[i]);
        g_autofree char *theirs = NULL;

        if (languages[i] == SONDE_EXPORT_HTTPIE && !have_program ("http"))
          continue;
        theirs = run_export (code, languages[i]);
        g_assert_cmpstr (theirs, ==, sonde);
      }
  }
}

static gboolean
contains (const char *code,
          const char *text)
{
  if (strstr (code, text) != NULL)
    return TRUE;
  g_test_message ("“%s” not in:\n%s", text, code);
  return FALSE;
}

/* NTLM: curl has --ntlm; requests and HTTPie need a plugin, which the code names; fetch
 * cannot answer the challenge, and says so. (Not run: the test server has no NTLM.) */
static void
test_ntlm (void)
{
  g_autoptr(SondeRequest) request = request_new ("GET", "/anything");
  SondeAuth *auth = sonde_request_get_auth (request);
  g_autofree char *curl = NULL;
  g_autofree char *python = NULL;
  g_autofree char *httpie = NULL;
  g_autofree char *fetch = NULL;

  sonde_auth_set_kind (auth, SONDE_AUTH_NTLM);
  sonde_auth_set_username (auth, "CORP\\ann");
  sonde_auth_set_password (auth, "s3cret");
  curl = export (request, SONDE_EXPORT_CURL);
  python = export (request, SONDE_EXPORT_PYTHON);
  httpie = export (request, SONDE_EXPORT_HTTPIE);
  fetch = export (request, SONDE_EXPORT_FETCH);
  g_assert_true (contains (curl, "--ntlm \\\n  -u 'CORP\\ann:s3cret'"));
  g_assert_true (contains (python, "from requests_ntlm import HttpNtlmAuth"));
  g_assert_true (contains (python, "auth=HttpNtlmAuth(\"CORP\\\\ann\", \"s3cret\")"));
  g_assert_true (contains (httpie, "--auth-type=ntlm --auth='CORP\\ann:s3cret'"));
  g_assert_true (contains (fetch, "// NTLM auth: fetch cannot answer the challenge"));
}

/* AWS Signature: curl and requests-aws4auth sign; HTTPie and fetch say they cannot
 * (test-aws-sigv4.c runs the curl command against a server checking signatures). */
static void
test_aws (void)
{
  g_autoptr(SondeRequest) request = request_new ("GET", "/anything");
  SondeAuth *auth = sonde_request_get_auth (request);
  g_autofree char *curl = NULL;
  g_autofree char *python = NULL;
  g_autofree char *httpie = NULL;
  g_autofree char *fetch = NULL;

  sonde_auth_set_kind (auth, SONDE_AUTH_AWS_SIGV4);
  sonde_auth_set_username (auth, "AKID");
  sonde_auth_set_password (auth, "s3cret");
  sonde_auth_set_region (auth, "eu-west-3");
  sonde_auth_set_service (auth, "s3");
  curl = export (request, SONDE_EXPORT_CURL);
  python = export (request, SONDE_EXPORT_PYTHON);
  sonde_auth_set_token (auth, "tok");
  httpie = export (request, SONDE_EXPORT_HTTPIE);
  fetch = export (request, SONDE_EXPORT_FETCH);
  g_assert_true (contains (curl, "--aws-sigv4 aws:amz:eu-west-3:s3 \\\n  -u AKID:s3cret"));
  g_assert_false (contains (curl, "X-Amz-Security-Token"));
  g_assert_true (contains (python, "from requests_aws4auth import AWS4Auth"));
  g_assert_true (contains (python, "auth=AWS4Auth(\"AKID\", \"s3cret\", \"eu-west-3\", \"s3\"),"));
  g_assert_true (contains (httpie, "# AWS Signature: HTTPie signs nothing without a plugin"));
  g_assert_false (contains (httpie, "s3cret"));
  g_assert_true (contains (fetch, "// AWS Signature: fetch signs nothing"));
}

/* GraphQL goes out as the JSON Sonde sends, or in the URL with GET. */
static void
test_graphql (void)
{
  g_autoptr(SondeRequest) request = request_new ("POST", "/graphql");
  SondeBody *body = sonde_request_get_body (request);
  g_autofree char *curl = NULL;
  g_autofree char *python = NULL;
  g_autofree char *get = NULL;
  g_autoptr(GError) error = NULL;

  sonde_body_set_kind (body, SONDE_BODY_GRAPHQL);
  sonde_body_set_text (body, "{ me }");
  sonde_body_set_variables (body, "{\"a\": 1}");
  curl = export (request, SONDE_EXPORT_CURL);
  python = export (request, SONDE_EXPORT_PYTHON);
  g_assert_true (contains (curl, "-H 'Content-Type: application/json'"));
  g_assert_true (contains (curl, "--data-raw '{\"query\":\"{ me }\",\"variables\":{\"a\":1}}'"));
  g_assert_true (contains (python, "data = \"{\\\"query\\\":\\\"{ me }\\\",\\\"variables\\\":{\\\"a\\\":1}}\".encode()"));

  sonde_request_set_method (request, "GET");
  get = export (request, SONDE_EXPORT_CURL);
  g_assert_true (contains (get, "/graphql?query=%7B%20me%20%7D&variables=%7B%22a%22%3A1%7D"));
  g_assert_false (contains (get, "--data-raw"));

  /* Variables that are not an object: no code, the reason */
  sonde_body_set_variables (body, "[1]");
  g_assert_null (sonde_export_request (request, SONDE_EXPORT_CURL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
}

/* WebSocket: Python (websockets) and browser JavaScript connect and send the saved
 * messages; curl and HTTPie say they cannot. */
static void
test_websocket (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeKeyValue) header = sonde_key_value_new ("X-Team", "core", TRUE);
  g_autoptr(JsonNode) extra = json_from_string ("{\"subprotocols\": [\"chat\"], \"messages\": ["
                                                "{\"text\": \"hello\"}, {\"type\": \"json\", \"text\": \"{\\\"n\\\": 1}\"},"
                                                "{\"type\": \"binary\", \"file\": \"/tmp/frame.bin\"},"
                                                "{\"text\": \"off\", \"enabled\": false}]}", NULL);
  g_autofree char *python = NULL;
  g_autofree char *js = NULL;
  g_autoptr(GError) error = NULL;

  sonde_request_set_url (request, "wss://127.0.0.1:9/chat?room=1");
  sonde_request_set_extra (request, json_node_get_object (extra));
  g_list_store_append (sonde_request_get_headers (request), header);
  sonde_request_options_set_verify_tls (sonde_request_get_options (request), FALSE);

  python = export (request, SONDE_EXPORT_PYTHON);
  g_assert_true (contains (python, "url = \"wss://127.0.0.1:9/chat?room=1\"\n"));
  g_assert_true (contains (python, "    \"X-Team\": \"core\",\n"));
  g_assert_true (contains (python, "        subprotocols=[\"chat\"],\n"));
  g_assert_true (contains (python, "tls.verify_mode = ssl.CERT_NONE\n"));
  g_assert_true (contains (python, "        await websocket.send(\"hello\")\n"
                                   "        await websocket.send(\"{\\\"n\\\": 1}\")\n"
                                   "        await websocket.send(open(\"/tmp/frame.bin\", \"rb\").read())\n"
                                   "        async for message in websocket:\n"));
  g_assert_false (contains (python, "off"));
  /* Python that parses (websockets itself is not needed to check that) */
  {
    g_autoptr(SondeTestCliResult) result = sonde_test_run (temp_dir, (const char * const []) {
      "python3", "-c", "import ast, sys; ast.parse(sys.argv[1])", python, NULL });

    g_assert_cmpint (result->exit_status, ==, 0);
  }

  js = export (request, SONDE_EXPORT_FETCH);
  g_assert_true (contains (js, "// A browser WebSocket cannot set headers: X-Team left out.\n"));
  g_assert_true (contains (js, "const socket = new WebSocket(\"wss://127.0.0.1:9/chat?room=1\", [\"chat\"]);\n"));
  g_assert_true (contains (js, "  socket.send(\"hello\");\n"));
  g_assert_true (contains (js, "  // A binary message: the bytes of /tmp/frame.bin"));
  if (have_program ("node"))
    {
      g_autoptr(SondeTestCliResult) result = sonde_test_run (temp_dir, (const char * const []) {
        "node", "-e", "new Function (process.argv[1])", js, NULL });

      g_assert_cmpint (result->exit_status, ==, 0);
    }

  g_assert_null (sonde_export_request (request, SONDE_EXPORT_CURL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "curl cannot open a WebSocket connection: copy the request as Python or JavaScript");
}

/* Options Sonde has, said in each language as far as it can. */
static void
test_options (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  SondeRequestOptions *options = sonde_request_get_options (request);
  const char * const no_proxy[] = { "localhost", ".internal", NULL };
  g_autofree char *curl = NULL;
  g_autofree char *python = NULL;
  g_autofree char *httpie = NULL;
  g_autofree char *fetch = NULL;

  sonde_request_set_url (request, "https://api.example.com/x");
  sonde_request_options_set_verify_tls (options, FALSE);
  sonde_request_options_set_ca_file (options, "/etc/ca.pem");
  sonde_request_options_set_client_cert (options, "/k/c:1.pem");
  sonde_request_options_set_client_key (options, "/k/c.key");
  sonde_request_options_set_client_passphrase (options, "pp");
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (options, "http://proxy:3128");
  sonde_request_options_set_proxy_username (options, "bob");
  sonde_request_options_set_proxy_password (options, "p@ss");
  sonde_request_options_set_no_proxy (options, no_proxy);
  sonde_request_options_set_timeout (options, 12.5);
  sonde_request_options_set_connect_timeout (options, 3);
  sonde_request_options_set_max_redirects (options, 4);
  sonde_request_options_set_http_version (options, SONDE_HTTP_VERSION_1_1);

  curl = export (request, SONDE_EXPORT_CURL);
  g_assert_true (contains (curl, "-k"));
  g_assert_true (contains (curl, "--cacert /etc/ca.pem"));
  g_assert_true (contains (curl, "--cert '/k/c\\:1.pem:pp'"));
  g_assert_true (contains (curl, "--key /k/c.key"));
  g_assert_true (contains (curl, "-x http://proxy:3128"));
  g_assert_true (contains (curl, "-U 'bob:p@ss'") || contains (curl, "-U bob:p@ss"));
  g_assert_true (contains (curl, "--noproxy localhost,.internal"));
  g_assert_true (contains (curl, "-m 12.5"));
  g_assert_true (contains (curl, "--connect-timeout 3"));
  g_assert_true (contains (curl, "-L"));
  g_assert_true (contains (curl, "--max-redirs 4"));
  g_assert_true (contains (curl, "--http1.1"));

  python = export (request, SONDE_EXPORT_PYTHON);
  g_assert_true (contains (python, "verify=False"));
  g_assert_true (contains (python, "cert=(\"/k/c:1.pem\", \"/k/c.key\")"));
  g_assert_true (contains (python, "cannot decrypt a key with a passphrase"));
  g_assert_true (contains (python, "\"http\": \"http://bob:p%40ss@proxy:3128\""));
  g_assert_true (contains (python, "timeout=(3, 12.5)"));
  g_assert_true (contains (python, "session.max_redirects = 4"));

  httpie = export (request, SONDE_EXPORT_HTTPIE);
  g_assert_true (contains (httpie, "--verify=no"));
  g_assert_true (contains (httpie, "--cert-key-pass=pp"));
  g_assert_true (contains (httpie, "--max-redirects=4"));
  g_assert_true (contains (httpie, "--timeout=12.5"));
  g_assert_true (contains (httpie, "--proxy=http:http://bob:p%40ss@proxy:3128"));

  fetch = export (request, SONDE_EXPORT_FETCH);
  g_assert_true (contains (fetch, "NODE_TLS_REJECT_UNAUTHORIZED=0"));
  g_assert_true (contains (fetch, "client certificate cannot"));
  g_assert_true (contains (fetch, "signal: AbortSignal.timeout(12500)"));

  /* Not following redirects, no proxy */
  sonde_request_options_set_follow_redirects (options, FALSE);
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_NONE);
  g_clear_pointer (&curl, g_free);
  g_clear_pointer (&python, g_free);
  g_clear_pointer (&fetch, g_free);
  curl = export (request, SONDE_EXPORT_CURL);
  g_assert_false (strstr (curl, " -L") != NULL);
  g_assert_true (contains (curl, "--noproxy '*'"));
  python = export (request, SONDE_EXPORT_PYTHON);
  g_assert_true (contains (python, "allow_redirects=False"));
  g_assert_true (contains (python, "session.trust_env = False"));
  fetch = export (request, SONDE_EXPORT_FETCH);
  g_assert_true (contains (fetch, "redirect: \"manual\""));

  /* A URL Sonde would not send is an error */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *code = NULL;

    sonde_request_set_url (request, "ftp://example.com/");
    code = sonde_export_request (request, SONDE_EXPORT_CURL, &error);
    g_assert_null (code);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL);
  }
}

/* A collection's request exported: inherited headers and auth, variables expanded, secrets
 * left as {{name}} unless asked for. */
static void
test_collection_secrets (void)
{
  g_autofree char *dir_path = g_build_filename (temp_dir, "coll", NULL);
  g_autofree char *secrets_path = g_build_filename (temp_dir, "secrets.json", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (dir_path);
  g_autoptr(GFile) secrets_file = g_file_new_for_path (secrets_path);
  g_autoptr(SondeSecretStore) secrets = sonde_secret_store_new_file (secrets_file);
  g_autoptr(SondeCollection) collection = NULL;
  g_autoptr(SondeRequest) without = NULL;
  g_autoptr(SondeRequest) with = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  SondeCollectionNode *root;
  SondeCollectionNode *node;
  SondeKeyValue *row;

  collection = sonde_collection_create (dir, "Coll", &error);
  g_assert_no_error (error);
  root = sonde_collection_get_root (collection);
  sonde_key_value_list_append (sonde_collection_node_get_variables (root), "base", "https://api.example.com");
  row = sonde_key_value_list_append (sonde_collection_node_get_variables (root), "token", "");
  sonde_variable_set_secret (row, TRUE);
  sonde_key_value_list_append (sonde_collection_node_get_headers (root), "X-Team", "core");
  sonde_auth_set_kind (sonde_collection_node_get_auth (root), SONDE_AUTH_BEARER);
  sonde_auth_set_token (sonde_collection_node_get_auth (root), "{{token}}");
  g_assert_true (sonde_collection_save_folder (collection, root, &error));
  g_assert_true (sonde_secret_store_store_sync (secrets, sonde_collection_get_path (collection), NULL,
                                                "token", "very-secret", NULL, &error));
  g_assert_no_error (error);

  node = sonde_collection_create_request (collection, root, "Get", &error);
  g_assert_no_error (error);
  {
    g_autoptr(SondeRequest) edit = sonde_request_copy (sonde_collection_node_get_request (node));

    sonde_request_set_url (edit, "{{base}}/me");
    g_assert_true (sonde_collection_save_request (collection, node, edit, &error));
  }

  without = sonde_export_prepare (collection, node, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  code = export (without, SONDE_EXPORT_CURL);
  g_assert_true (contains (code, "https://api.example.com/me"));
  g_assert_true (contains (code, "-H 'X-Team: core'"));
  g_assert_true (contains (code, "-H 'Authorization: Bearer {{token}}'"));
  g_assert_null (strstr (code, "very-secret"));

  with = sonde_export_prepare (collection, node, NULL, NULL, secrets, NULL, &error);
  g_assert_no_error (error);
  g_free (code);
  code = export (with, SONDE_EXPORT_CURL);
  g_assert_true (contains (code, "-H 'Authorization: Bearer very-secret'"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Secrets in a file of the test's own folders: never the session's keyring, which may ask
   * to be unlocked (sonde-cli runs with the same environment). */
  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  server = sonde_test_server_new ();
  client = sonde_client_new ();
  temp_dir = g_dir_make_tmp ("sonde-export-XXXXXX", NULL);

  g_test_add_func ("/export/get", test_get);
  g_test_add_func ("/export/json-bearer", test_json_bearer);
  g_test_add_func ("/export/ntlm", test_ntlm);
  g_test_add_func ("/export/aws", test_aws);
  g_test_add_func ("/export/graphql", test_graphql);
  g_test_add_func ("/export/websocket", test_websocket);
  g_test_add_func ("/export/form-api-key", test_form_api_key);
  g_test_add_func ("/export/multipart-and-file", test_multipart_and_file);
  g_test_add_func ("/export/auth-challenges", test_auth_challenges);
  g_test_add_func ("/export/options", test_options);
  g_test_add_func ("/export/collection-secrets", test_collection_secrets);

  status = g_test_run ();
  sonde_test_remove_tree (temp_dir);
  g_free (temp_dir);
  g_clear_object (&client);
  sonde_test_server_free (server);
  return status;
}
