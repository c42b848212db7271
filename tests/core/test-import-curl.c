/* SPDX-License-Identifier: GPL-3.0-or-later */
/* curl command lines (sonde-import-curl.c) and the import writer (sonde-import.c): parsing,
 * every option the importer maps, the report, and the requests sent to the in-process
 * server next to what real curl sends for the same command. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <fcntl.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"

static SondeTestServer *server;
static SondeClient *client;
static char *temp_dir;

static SondeRequest *
parse (const char *command,
       GPtrArray  *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) base = g_file_new_for_path (temp_dir);
  SondeRequest *request = sonde_curl_parse (command, base, notes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  return request;
}

static char *
parse_error (const char *command)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) request = sonde_curl_parse (command, NULL, NULL, &error);

  g_assert_null (request);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  return g_strdup (error->message);
}

static const char *
row_value (GListStore *rows,
           const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (rows)); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (rows), i);

      if (strcmp (sonde_key_value_get_name (row), name) == 0)
        return sonde_key_value_get_value (row);
    }
  return NULL;
}

static gboolean
notes_mention (GPtrArray           *notes,
               SondeImportNoteKind  kind,
               const char          *text)
{
  for (guint i = 0; i < notes->len; i++)
    {
      SondeImportNote *note = g_ptr_array_index (notes, i);

      if (note->kind == kind && strstr (note->message, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static GPtrArray *
notes_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_import_note_free);
}

static void
test_quoting (void)
{
  g_autoptr(SondeRequest) request = NULL;

  request = parse ("curl 'http://example.com/a b' \\\n"
                   "  -H \"X-Double: say \\\"hi\\\" \\$HOME\" \\\n"
                   "  -H $'X-Ansi: tab\\there \\x41\\u00e9\\'' \\\r\n"
                   "  -H X-Bare:\\ escaped\\ space \\\n"
                   "  -H 'X-Single: it'\"'\"'s'", NULL);
  g_assert_cmpstr (sonde_request_get_url (request), ==, "http://example.com/a b");
  g_assert_cmpstr (row_value (sonde_request_get_headers (request), "X-Double"), ==, "say \"hi\" $HOME");
  g_assert_cmpstr (row_value (sonde_request_get_headers (request), "X-Ansi"), ==, "tab\there A\xc3\xa9'");
  g_assert_cmpstr (row_value (sonde_request_get_headers (request), "X-Bare"), ==, "escaped space");
  g_assert_cmpstr (row_value (sonde_request_get_headers (request), "X-Single"), ==, "it's");
  g_assert_cmpstr (sonde_request_get_method (request), ==, "GET");
  g_assert_true (sonde_curl_is_command ("  curl http://x"));
  g_assert_true (sonde_curl_is_command ("curl \\\nhttp://x"));
  g_assert_false (sonde_curl_is_command ("curly://x"));
  g_assert_false (sonde_curl_is_command ("http://curl x"));
}

static void
test_options (void)
{
  g_autoptr(GPtrArray) notes = notes_new ();
  g_autofree char *cert = g_build_filename (temp_dir, "client.pem", NULL);
  g_autoptr(SondeRequest) request = NULL;
  SondeRequestOptions *options;
  SondeAuth *auth;

  request = parse ("curl -sSL --max-redirs 3 -XPATCH --url https://api.example.com/v1/items "
                   "-A 'Agent/1.0' -e https://ref.example.com/ --compressed "
                   "-u 'ann:pa:ss' --digest -b 'sid=abc; theme=dark' -k --cacert /etc/ca.pem "
                   "--cert client.pem:secret --key /keys/client.key "
                   "-x proxy.example.com:3128 -U 'bob:pw' --noproxy 'localhost, .internal' "
                   "-m 12.5 --connect-timeout 3 --http1.1 --retry 3 --frobnicate -o out.json", notes);
  options = sonde_request_get_options (request);
  auth = sonde_request_get_auth (request);

  g_assert_cmpstr (sonde_request_get_method (request), ==, "PATCH");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "https://api.example.com/v1/items");
  g_assert_cmpstr (sonde_request_get_name (request), ==, "PATCH /v1/items");
  g_assert_cmpstr (row_value (sonde_request_get_headers (request), "User-Agent"), ==, "Agent/1.0");
  g_assert_cmpstr (row_value (sonde_request_get_headers (request), "Referer"), ==, "https://ref.example.com/");
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_DIGEST);
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "ann");
  g_assert_cmpstr (sonde_auth_get_password (auth), ==, "pa:ss");
  g_assert_cmpstr (row_value (sonde_request_get_cookies (request), "sid"), ==, "abc");
  g_assert_cmpstr (row_value (sonde_request_get_cookies (request), "theme"), ==, "dark");
  g_assert_false (sonde_request_options_get_verify_tls (options));
  g_assert_cmpstr (sonde_request_options_get_ca_file (options), ==, "/etc/ca.pem");
  g_assert_cmpstr (sonde_request_options_get_client_cert (options), ==, cert);
  g_assert_cmpstr (sonde_request_options_get_client_passphrase (options), ==, "secret");
  g_assert_cmpstr (sonde_request_options_get_client_key (options), ==, "/keys/client.key");
  g_assert_cmpint (sonde_request_options_get_proxy_mode (options), ==, SONDE_PROXY_CUSTOM);
  g_assert_cmpstr (sonde_request_options_get_proxy_url (options), ==, "http://proxy.example.com:3128");
  g_assert_cmpstr (sonde_request_options_get_proxy_username (options), ==, "bob");
  g_assert_cmpstr (sonde_request_options_get_proxy_password (options), ==, "pw");
  g_assert_cmpstr (sonde_request_options_get_no_proxy (options)[0], ==, "localhost");
  g_assert_cmpstr (sonde_request_options_get_no_proxy (options)[1], ==, ".internal");
  g_assert_true (sonde_request_options_get_follow_redirects (options));
  g_assert_cmpint (sonde_request_options_get_max_redirects (options), ==, 3);
  g_assert_cmpfloat (sonde_request_options_get_timeout (options), ==, 12.5);
  g_assert_cmpfloat (sonde_request_options_get_connect_timeout (options), ==, 3);
  g_assert_cmpint (sonde_request_options_get_http_version (options), ==, SONDE_HTTP_VERSION_1_1);

  g_assert_true (notes_mention (notes, SONDE_IMPORT_NOTE_CONVERTED, "--compressed"));
  g_assert_true (notes_mention (notes, SONDE_IMPORT_NOTE_DROPPED, "--retry 3 is not supported"));
  g_assert_true (notes_mention (notes, SONDE_IMPORT_NOTE_DROPPED, "--frobnicate is not an option"));
  g_assert_true (notes_mention (notes, SONDE_IMPORT_NOTE_DROPPED, "-o changes only what curl prints"));
  g_assert_true (notes_mention (notes, SONDE_IMPORT_NOTE_DROPPED, "-s changes only"));

  /* Without -L, curl shows the redirect: so does the request. */
  g_clear_object (&request);
  request = parse ("curl example.com", NULL);
  g_assert_cmpstr (sonde_request_get_url (request), ==, "http://example.com");
  g_assert_false (sonde_request_options_get_follow_redirects (sonde_request_get_options (request)));

  /* P12 certificates, bearer tokens, HEAD, PUT of a file */
  g_clear_object (&request);
  request = parse ("curl --cert /c/id.p12 --cert-type P12 --pass pw --oauth2-bearer tok -I https://h/", NULL);
  options = sonde_request_get_options (request);
  g_assert_cmpstr (sonde_request_options_get_client_pkcs12 (options), ==, "/c/id.p12");
  g_assert_null (sonde_request_options_get_client_cert (options));
  g_assert_cmpstr (sonde_request_options_get_client_passphrase (options), ==, "pw");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_BEARER);
  g_assert_cmpstr (sonde_auth_get_token (sonde_request_get_auth (request)), ==, "tok");
  g_assert_cmpstr (sonde_request_get_method (request), ==, "HEAD");

  /* NTLM, and AWS Signature with the region and service given, or read from the host */
  g_clear_object (&request);
  request = parse ("curl --ntlm -u 'CORP\\ann:pw' https://intranet/", NULL);
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_NTLM);
  g_assert_cmpstr (sonde_auth_get_username (sonde_request_get_auth (request)), ==, "CORP\\ann");
  g_clear_object (&request);
  request = parse ("curl --aws-sigv4 aws:amz:eu-west-3:execute-api -u AKID:secret https://api.example.com/", NULL);
  auth = sonde_request_get_auth (request);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_AWS_SIGV4);
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "AKID");
  g_assert_cmpstr (sonde_auth_get_password (auth), ==, "secret");
  g_assert_cmpstr (sonde_auth_get_region (auth), ==, "eu-west-3");
  g_assert_cmpstr (sonde_auth_get_service (auth), ==, "execute-api");
  g_clear_object (&request);
  request = parse ("curl --aws-sigv4 aws:amz -u AKID:secret https://sqs.us-east-2.amazonaws.com/", NULL);
  auth = sonde_request_get_auth (request);
  g_assert_cmpstr (sonde_auth_get_region (auth), ==, "us-east-2");
  g_assert_cmpstr (sonde_auth_get_service (auth), ==, "sqs");

  g_clear_object (&request);
  request = parse ("curl -T /data/up.bin https://h/u", NULL);
  g_assert_cmpstr (sonde_request_get_method (request), ==, "PUT");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_FILE);
  g_assert_cmpstr (sonde_body_get_file (sonde_request_get_body (request)), ==, "/data/up.bin");

  /* -u without a password: curl would ask */
  g_ptr_array_set_size (notes, 0);
  g_clear_object (&request);
  request = parse ("curl -u ann https://h/", notes);
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (request)), ==, SONDE_AUTH_BASIC);
  g_assert_true (notes_mention (notes, SONDE_IMPORT_NOTE_CONVERTED, "has no password"));
}

static void
test_bodies (void)
{
  g_autofree char *lines = g_build_filename (temp_dir, "lines.txt", NULL);
  g_autofree char *payload = g_build_filename (temp_dir, "payload.bin", NULL);
  g_autoptr(SondeRequest) request = NULL;
  SondeBody *body;
  GListModel *rows;

  g_assert_true (g_file_set_contents (lines, "hello\nworld\n", -1, NULL));
  g_assert_true (g_file_set_contents (payload, "x\ny", -1, NULL));

  /* name=value pieces: a form */
  request = parse ("curl https://h/f -d a=1 -d 'b=two+words%21' --data-urlencode 'c=x y&z'", NULL);
  body = sonde_request_get_body (request);
  g_assert_cmpstr (sonde_request_get_method (request), ==, "POST");
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_FORM);
  rows = G_LIST_MODEL (sonde_body_get_fields (body));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  g_assert_cmpstr (row_value (sonde_body_get_fields (body), "b"), ==, "two words!");
  g_assert_cmpstr (row_value (sonde_body_get_fields (body), "c"), ==, "x y&z");

  /* JSON by its content type; the header goes into the body's kind */
  g_clear_object (&request);
  request = parse ("curl https://h/j -H 'Content-Type: application/json' --data-raw '{\"a\": 1}'", NULL);
  body = sonde_request_get_body (request);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_JSON);
  g_assert_cmpstr (sonde_body_get_text (body), ==, "{\"a\": 1}");
  g_assert_null (row_value (sonde_request_get_headers (request), "Content-Type"));

  /* --json adds Accept */
  g_clear_object (&request);
  request = parse ("curl --json '[1,2]' https://h/j", NULL);
  body = sonde_request_get_body (request);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_JSON);
  g_assert_cmpstr (sonde_body_get_text (body), ==, "[1,2]");
  g_assert_cmpstr (row_value (sonde_request_get_headers (request), "Accept"), ==, "application/json");

  /* -d @file drops newlines, as curl does; --data-binary @file is the file itself */
  g_clear_object (&request);
  request = parse ("curl -d @lines.txt https://h/", NULL);
  body = sonde_request_get_body (request);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_TEXT);
  g_assert_cmpstr (sonde_body_get_text (body), ==, "helloworld");

  g_clear_object (&request);
  request = parse ("curl --data-binary @payload.bin -H 'Content-Type: application/octet-stream' https://h/", NULL);
  body = sonde_request_get_body (request);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_FILE);
  g_assert_cmpstr (sonde_body_get_file (body), ==, payload);
  /* The kind's own content type: no header, no setting */
  g_assert_null (sonde_body_get_content_type (body));
  g_assert_null (row_value (sonde_request_get_headers (request), "Content-Type"));

  /* Text that is not a form keeps curl's content type */
  g_clear_object (&request);
  request = parse ("curl -d 'plain text' https://h/", NULL);
  body = sonde_request_get_body (request);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_TEXT);
  g_assert_cmpstr (sonde_body_get_content_type (body), ==, "application/x-www-form-urlencoded");

  /* -G moves the data into the query */
  g_clear_object (&request);
  request = parse ("curl -G -d q=1 -d 'r=a%20b' https://h/s?x=0", NULL);
  g_assert_cmpstr (sonde_request_get_method (request), ==, "GET");
  g_assert_cmpstr (sonde_request_get_url (request), ==, "https://h/s?x=0&q=1&r=a%20b");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (request)), ==, SONDE_BODY_NONE);

  /* Multipart */
  g_clear_object (&request);
  request = parse ("curl -F name=Ann -F 'doc=@payload.bin;type=text/plain;filename=\"n.txt\"' "
                   "-F 'note=<lines.txt' --form-string 'raw=@literal' -F 'v=1;type=text/x-num' https://h/m", NULL);
  body = sonde_request_get_body (request);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_MULTIPART);
  rows = G_LIST_MODEL (sonde_body_get_parts (body));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);
  {
    g_autoptr(SondeBodyPart) text = g_list_model_get_item (rows, 0);
    g_autoptr(SondeBodyPart) file = g_list_model_get_item (rows, 1);
    g_autoptr(SondeBodyPart) literal = g_list_model_get_item (rows, 3);
    g_autoptr(SondeBodyPart) typed = g_list_model_get_item (rows, 4);

    g_assert_cmpstr (sonde_body_part_get_value (text), ==, "Ann");
    g_assert_null (sonde_body_part_get_file (text));
    g_assert_cmpstr (sonde_body_part_get_file (file), ==, payload);
    g_assert_cmpstr (sonde_body_part_get_content_type (file), ==, "text/plain");
    g_assert_cmpstr (sonde_body_part_get_filename (file), ==, "n.txt");
    g_assert_cmpstr (sonde_body_part_get_value (literal), ==, "@literal");
    g_assert_cmpstr (sonde_body_part_get_value (typed), ==, "1");
    g_assert_cmpstr (sonde_body_part_get_content_type (typed), ==, "text/x-num");
  }
}

static void
test_errors (void)
{
  g_autofree char *unclosed = parse_error ("curl https://h/ \\\n -H 'X: open");
  g_autofree char *unclosed_double = parse_error ("curl \"https://h/");
  g_autofree char *no_url = parse_error ("curl -X POST");
  g_autofree char *no_value = parse_error ("curl https://h/ -H");
  g_autofree char *bad_form = parse_error ("curl -F novalue https://h/");
  g_autofree char *bad_time = parse_error ("curl -m soon https://h/");
  g_autofree char *not_curl = parse_error ("wget https://h/");

  g_assert_cmpstr (unclosed, ==, "line 2: a quote is not closed");
  g_assert_cmpstr (unclosed_double, ==, "line 1: a quote is not closed");
  g_assert_cmpstr (no_url, ==, "The curl command has no URL");
  g_assert_cmpstr (no_value, ==, "-H needs a value");
  g_assert_nonnull (strstr (bad_form, "has no “=”"));
  g_assert_cmpstr (bad_time, ==, "-m takes a number of seconds, not “soon”");
  g_assert_nonnull (strstr (not_curl, "not a curl command"));
}

/* The words after a pipe or redirection are not curl's. */
static void
test_shell_text (void)
{
  g_autoptr(SondeRequest) request = parse ("# fetch it\ncurl -s https://h/a > out.json && echo done | tee log",
                                           NULL);

  g_assert_cmpstr (sonde_request_get_url (request), ==, "https://h/a");
}

static char *
make_temp_target (const char *name)
{
  return g_build_filename (temp_dir, name, NULL);
}

static void
test_import_file (void)
{
  g_autofree char *input = g_build_filename (temp_dir, "calls.sh", NULL);
  g_autofree char *target = make_temp_target ("calls");
  g_autoptr(GFile) input_file = g_file_new_for_path (input);
  g_autoptr(GFile) target_file = g_file_new_for_path (target);
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(SondeCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *report = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_true (g_file_set_contents (input,
                                      "#!/bin/sh\n"
                                      "curl https://api.example.com/users \\\n  -H 'Accept: application/json'\n"
                                      "curl -X DELETE https://api.example.com/users/7 --trace x\n"
                                      "echo done\n", -1, NULL));
  import = sonde_import_file (input_file, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sonde_import_get_format (import), ==, SONDE_IMPORT_FORMAT_CURL);
  g_assert_cmpstr (sonde_import_get_name (import), ==, "calls");
  g_assert_cmpuint (sonde_import_get_n_requests (import), ==, 2);

  g_assert_true (sonde_import_write (import, target_file, NULL, NULL, &error));
  g_assert_no_error (error);
  report = sonde_import_report_to_text (import);
  g_assert_nonnull (strstr (report, "2 requests in 0 folders\n"));
  g_assert_nonnull (strstr (report, "DELETE /users/7: --trace changes only what curl prints"));
  g_assert_nonnull (strstr (report, "a “echo” command is not a curl command"));

  collection = sonde_collection_load (target_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_collection_get_name (collection), ==, "calls");
  requests = sonde_collection_list_requests (collection, sonde_collection_get_root (collection));
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (sonde_collection_node_get_name (requests->pdata[0]), ==, "GET /users");
  g_assert_cmpstr (sonde_collection_node_get_name (requests->pdata[1]), ==, "DELETE /users/7");
  g_assert_null (sonde_collection_node_get_error (requests->pdata[1]));

  /* An import never writes into a folder that exists, and leaves no temp folder behind. */
  g_assert_false (sonde_import_write (import, target_file, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  dir = g_dir_open (temp_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_null (strstr (name, "sonde-import"));
}

static void
test_import_failures (void)
{
  g_autofree char *big = g_build_filename (temp_dir, "big.sh", NULL);
  g_autofree char *bad = g_build_filename (temp_dir, "bad.sh", NULL);
  g_autofree char *unknown = g_build_filename (temp_dir, "unknown.txt", NULL);
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GFile) unknown_file = g_file_new_for_path (unknown);
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeImport) import = NULL;
  int fd;

  /* A 100 MB file is refused before it is read */
  fd = g_open (big, O_CREAT | O_WRONLY, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 100 * 1024 * 1024), ==, 0);
  close (fd);
  import = sonde_import_file (big_file, SONDE_IMPORT_FORMAT_CURL, NULL, &error);
  g_assert_null (import);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_TOO_LARGE);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (bad, "curl https://h/ \\\n -d 'never closed\n", -1, NULL));
  import = sonde_import_file (bad_file, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_null (import);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "bad.sh: line 2: a quote is not closed"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (unknown, "hello", -1, NULL));
  import = sonde_import_file (unknown_file, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_null (import);
  g_assert_nonnull (strstr (error->message, "is not a file Sonde can import"));
}

/* What the server's /echo saw, reduced to what a request means: method, path and query,
 * body, and the headers of NAMES. */
static char *
summarise_echo (const char         *json,
                const char * const *names)
{
  g_autoptr(JsonNode) echo = json_from_string (json, NULL);
  JsonObject *object;
  GString *out = g_string_new (NULL);

  g_assert_nonnull (echo);
  object = json_node_get_object (echo);
  g_string_append_printf (out, "%s %s?%s\n", json_object_get_string_member (object, "method"),
                          json_object_get_string_member (object, "path"),
                          json_object_get_string_member_with_default (object, "query", ""));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *value = sonde_test_echo_header (echo, names[i]);

      g_string_append_printf (out, "%s: %s\n", names[i], value != NULL ? value : "(none)");
    }
  g_string_append_printf (out, "size %" G_GINT64_FORMAT " sha %s\n",
                          json_object_get_int_member (object, "bodySize"),
                          json_object_get_string_member (object, "bodySha256"));
  return g_string_free (out, FALSE);
}

static char *
send_with_sonde (SondeRequest       *request,
                 const char * const *names)
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
  return summarise_echo (text, names);
}

/* The command run by real curl and parsed by Sonde reach the server the same way. */
static void
test_same_as_curl (void)
{
  static const char * const names[] = { "Content-Type", "Authorization", "Cookie", "X-Token", NULL };
  const char *base = sonde_test_server_get_base_url (server);
  g_autofree char *payload = g_build_filename (temp_dir, "payload.bin", NULL);
  const char *commands[] = {
    "curl -s 'BASE/echo?x=1' -H 'X-Token: abc' -d a=1 -d 'b=two+words' --data-urlencode 'c=x&y'",
    "curl -s -X PUT 'BASE/basic-auth/ann/s3cret' -H 'Content-Type: application/json' --data-raw '{\"k\": [1, 2]}' -u 'ann:s3cret'",
    "curl -s 'BASE/echo/c' -b 'sid=abc; theme=dark' -H 'Accept: text/plain'",
    "curl -s -G 'BASE/echo/q' -d q=1 -d 'r=a%20b'",
    "curl -s 'BASE/echo/bin' --data-binary @payload.bin -H 'Content-Type: application/octet-stream'",
    "curl -s --json '{\"j\":true}' 'BASE/echo/json'",
  };

  g_assert_true (g_file_set_contents (payload, "binary\n\0data", 12, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GString) text = g_string_new (commands[i]);
      g_autofree char *command = NULL;
      g_autoptr(SondeRequest) request = NULL;
      g_autofree char *sonde = NULL;
      g_autoptr(SondeTestCliResult) result = NULL;
      g_autofree char *curl = NULL;

      g_string_replace (text, "BASE", base, 1);
      command = g_strdup (text->str);
      request = parse (command, NULL);
      sonde = send_with_sonde (request, names);
      result = sonde_test_run (temp_dir, (const char * const []) { "sh", "-c", command, NULL });

      g_assert_cmpint (result->exit_status, ==, 0);
      curl = summarise_echo (result->out, names);
      g_test_message ("%s\nsonde:\n%scurl:\n%s", command, sonde, curl);
      g_assert_cmpstr (sonde, ==, curl);
    }
}

#define run_cli(...) sonde_test_run_cli (temp_dir, (const char * const []) { __VA_ARGS__, NULL })

/* sonde-cli import and export */
static void
test_cli (void)
{
  g_autofree char *input = g_build_filename (temp_dir, "cli.sh", NULL);
  g_autofree char *request_file = NULL;
  g_autoptr(SondeTestCliResult) imported = NULL;
  g_autoptr(SondeTestCliResult) again = NULL;
  g_autoptr(SondeTestCliResult) missing = NULL;
  g_autoptr(SondeTestCliResult) curl = NULL;
  g_autoptr(SondeTestCliResult) python = NULL;
  g_autoptr(SondeTestCliResult) bad_language = NULL;
  g_autoptr(SondeTestCliResult) run = NULL;
  g_autofree char *command = g_strdup_printf ("curl -H 'X-Token: abc' '%s/echo/cli' -d 'a=1' --trace-ascii t.txt\n",
                                              sonde_test_server_get_base_url (server));

  g_assert_true (g_file_set_contents (input, command, -1, NULL));
  imported = run_cli ("import", "auto", "cli.sh", "--into", "cli-collection");
  g_assert_cmpint (imported->exit_status, ==, 0);
  g_assert_nonnull (strstr (imported->out, "1 request in 0 folders"));
  g_assert_nonnull (strstr (imported->out, "--trace-ascii changes only what curl prints"));

  again = run_cli ("import", "curl", "cli.sh", "--into", "cli-collection");
  g_assert_cmpint (again->exit_status, ==, 2);
  g_assert_nonnull (strstr (again->err, "exists already"));
  missing = run_cli ("import", "auto", "nothing-here.json", "--into", "other");
  g_assert_cmpint (missing->exit_status, ==, 2);
  {
    g_autofree char *other = g_build_filename (temp_dir, "other", NULL);

    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }

  /* The imported request runs, and exports as code that sends the same */
  run = run_cli ("run", "cli-collection");
  g_assert_cmpint (run->exit_status, ==, 0);
  request_file = g_build_filename ("cli-collection", "post-echo-cli.request.json", NULL);
  curl = run_cli ("export", "curl", request_file);
  g_assert_cmpint (curl->exit_status, ==, 0);
  g_assert_nonnull (strstr (curl->out, "-H 'X-Token: abc'"));
  g_assert_nonnull (strstr (curl->out, "--data-raw a=1"));
  python = run_cli ("export", "python", request_file, "--collection", "cli-collection");
  g_assert_cmpint (python->exit_status, ==, 0);
  g_assert_nonnull (strstr (python->out, "requests.request("));
  bad_language = run_cli ("export", "cobol", request_file);
  g_assert_cmpint (bad_language->exit_status, ==, 2);
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
  temp_dir = g_dir_make_tmp ("sonde-import-curl-XXXXXX", NULL);

  g_test_add_func ("/import-curl/quoting", test_quoting);
  g_test_add_func ("/import-curl/options", test_options);
  g_test_add_func ("/import-curl/bodies", test_bodies);
  g_test_add_func ("/import-curl/errors", test_errors);
  g_test_add_func ("/import-curl/shell-text", test_shell_text);
  g_test_add_func ("/import-curl/import-file", test_import_file);
  g_test_add_func ("/import-curl/import-failures", test_import_failures);
  g_test_add_func ("/import-curl/same-as-curl", test_same_as_curl);
  g_test_add_func ("/import-curl/cli", test_cli);

  status = g_test_run ();
  sonde_test_remove_tree (temp_dir);
  g_free (temp_dir);
  g_clear_object (&client);
  sonde_test_server_free (server);
  return status;
}
