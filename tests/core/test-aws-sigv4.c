/* SPDX-License-Identifier: GPL-3.0-or-later */
/* AWS Signature Version 4: the signer against the test suite AWS publishes, then requests
 * sent through the client to a server that checks what arrived against its signature. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"

#define SUITE_ACCESS_KEY "AKIDEXAMPLE"
#define SUITE_SECRET_KEY "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static char *
group_string (GKeyFile   *file,
              const char *group,
              const char *key,
              const char *fallback)
{
  char *value = g_key_file_get_string (file, group, key, NULL);

  return value != NULL ? value : g_strdup (fallback);
}

static void
test_suite (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "aws-sigv4-suite.ini", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  guint checked = 0;

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  groups = g_key_file_get_groups (file, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      g_autofree char *method = group_string (file, group, "method", NULL);
      g_autofree char *req_path = group_string (file, group, "path", NULL);
      g_autofree char *query = group_string (file, group, "query", "");
      g_autofree char *header_lines = group_string (file, group, "headers", "");
      g_autofree char *body = group_string (file, group, "body", "");
      g_autofree char *token = group_string (file, group, "session-token", "");
      g_autofree char *expected = group_string (file, group, "authorization", NULL);
      g_autofree char *service = group_string (file, group, "service", "service");
      g_autofree char *host = group_string (file, group, "host", "example.amazonaws.com");
      g_autofree char *access_key = group_string (file, group, "access-key", SUITE_ACCESS_KEY);
      g_autofree char *secret_key = group_string (file, group, "secret-key", SUITE_SECRET_KEY);
      g_autofree char *date = group_string (file, group, "date", "2015-08-30T12:36:00Z");
      g_autofree char *payload_hash = sonde_aws_sigv4_hash_hex ((const guint8 *) body, strlen (body));
      g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (date, NULL);
      g_auto(GStrv) lines = g_strsplit (header_lines, "\n", -1);
      SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      SondeAwsCredentials credentials = {
        .access_key = access_key,
        .secret_key = secret_key,
        .session_token = token,
        .region = "us-east-1",
        .service = service,
      };

      g_test_message ("%s", group);
      g_assert_nonnull (method);
      g_assert_nonnull (now);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          const char *colon = strchr (lines[j], ':');
          g_autofree char *name = NULL;

          if (lines[j][0] == '\0')
            continue;
          g_assert_nonnull (colon);
          name = g_strndup (lines[j], colon - lines[j]);
          soup_message_headers_append (headers, name, colon + 1);
        }

      sonde_aws_sigv4_sign (headers, method, host, req_path, query, payload_hash, &credentials, now);
      g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, expected);
      soup_message_headers_unref (headers);
      checked++;
    }

  /* The suite's groups, and S3's three */
  g_assert_cmpuint (checked, >=, 30);
}

/* A path on the wire is encoded once; every service but S3 signs it encoded again. */
static void
test_path_encoding (void)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autofree char *signed_headers = NULL;
  g_autofree char *service = NULL;
  g_autofree char *s3 = NULL;

  service = sonde_aws_sigv4_canonical_request (headers, "GET", "h", "/a%20b/./c//d", "b=2&a=x%2By&a", "-", FALSE,
                                               &signed_headers);
  g_assert_cmpstr (service, ==, "GET\n/a%2520b/c/d\na=&a=x%2By&b=2\nhost:h\n\nhost\n-");
  g_clear_pointer (&signed_headers, g_free);
  s3 = sonde_aws_sigv4_canonical_request (headers, "GET", "h", "/a%20b/./c//d", NULL, "-", TRUE, &signed_headers);
  g_assert_cmpstr (s3, ==, "GET\n/a%20b/./c//d\n\nhost:h\n\nhost\n-");
  soup_message_headers_unref (headers);
}

/* The server's side: recomputes the signature from what arrived, with the secret it
 * knows, and answers 403 when they differ, as AWS does. */
typedef struct
{
  char *last_authorization;
  char *last_content_sha;
  char *last_token;
  guint64 body_length;
} Seen;

static Seen seen;

static void
verify_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");
  const char *amz_date = soup_message_headers_get_one (request_headers, "X-Amz-Date");
  const char *content_sha = soup_message_headers_get_one (request_headers, "X-Amz-Content-SHA256");
  const char *signed_start;
  g_autofree char *service = NULL;
  g_autofree char *payload_hash = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *wire_path = NULL;
  g_auto(GStrv) signed_names = NULL;
  SoupMessageHeaders *check;
  const char *credential;

  g_clear_pointer (&seen.last_authorization, g_free);
  g_clear_pointer (&seen.last_content_sha, g_free);
  g_clear_pointer (&seen.last_token, g_free);
  seen.last_authorization = g_strdup (authorization);
  seen.last_content_sha = g_strdup (content_sha);
  seen.last_token = g_strdup (soup_message_headers_get_one (request_headers, "X-Amz-Security-Token"));
  bytes = soup_message_body_flatten (body);
  seen.body_length = g_bytes_get_size (bytes);

  if (authorization == NULL || amz_date == NULL || strlen (amz_date) != 16)
    {
      soup_server_message_set_status (msg, 401, NULL);
      return;
    }

  /* Credential=KEY/DAY/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=... */
  credential = strstr (authorization, "Credential=");
  g_assert_nonnull (credential);
  {
    g_auto(GStrv) scope = g_strsplit (credential + strlen ("Credential="), "/", 5);

    g_assert_cmpstr (scope[0], ==, "AKIDLOCAL");
    g_assert_cmpstr (scope[2], ==, "eu-west-3");
    service = g_strdup (scope[3]);
  }
  signed_start = strstr (authorization, "SignedHeaders=") + strlen ("SignedHeaders=");
  {
    g_autofree char *list = g_strndup (signed_start, strcspn (signed_start, ","));

    signed_names = g_strsplit (list, ";", -1);
  }

  /* Only the headers the client said it signed, as they arrived. */
  check = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  for (guint i = 0; signed_names[i] != NULL; i++)
    {
      const char *value;

      if (g_str_equal (signed_names[i], "host") || g_str_equal (signed_names[i], "x-amz-date") ||
          g_str_equal (signed_names[i], "x-amz-security-token") ||
          g_str_equal (signed_names[i], "x-amz-content-sha256"))
        continue;
      value = soup_message_headers_get_list (request_headers, signed_names[i]);
      g_assert_nonnull (value);
      soup_message_headers_append (check, signed_names[i], value);
    }

  /* SoupServer normalizes the path it read ("%20" becomes " "): encoded back the way the
   * client sent it, since this test's paths encode nothing but spaces. */
  wire_path = g_uri_escape_string (g_uri_get_path (uri), "/", FALSE);
  iso = g_strdup_printf ("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", amz_date, amz_date + 4, amz_date + 6,
                         amz_date + 9, amz_date + 11, amz_date + 13);
  now = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert_nonnull (now);
  payload_hash = content_sha != NULL && g_str_equal (content_sha, SONDE_AWS_UNSIGNED_PAYLOAD)
                 ? g_strdup (content_sha)
                 : sonde_aws_sigv4_hash_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  {
    SondeAwsCredentials credentials = {
      .access_key = "AKIDLOCAL",
      .secret_key = "local/secret+key",
      .session_token = soup_message_headers_get_one (request_headers, "X-Amz-Security-Token"),
      .region = "eu-west-3",
      .service = service,
    };

    sonde_aws_sigv4_sign (check, soup_server_message_get_method (msg),
                          soup_message_headers_get_one (request_headers, "Host"),
                          wire_path, g_uri_get_query (uri), payload_hash, &credentials, now);
  }

  if (g_strcmp0 (soup_message_headers_get_one (check, "Authorization"), authorization) != 0)
    {
      g_test_message ("expected %s\ngot %s", soup_message_headers_get_one (check, "Authorization"), authorization);
      soup_server_message_set_status (msg, 403, NULL);
    }
  else
    soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_unref (check);
}

static char *base_url;

static SondeRequest *
signed_request (const char *path_and_query,
                const char *service)
{
  SondeRequest *request = sonde_request_new ();
  SondeAuth *auth = sonde_request_get_auth (request);
  g_autofree char *url = g_strconcat (base_url, path_and_query, NULL);

  sonde_request_set_url (request, url);
  sonde_auth_set_kind (auth, SONDE_AUTH_AWS_SIGV4);
  sonde_auth_set_username (auth, "AKIDLOCAL");
  sonde_auth_set_password (auth, "local/secret+key");
  sonde_auth_set_region (auth, "eu-west-3");
  sonde_auth_set_service (auth, service);
  return request;
}

static guint
send_status (SondeClient  *client,
             SondeRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeResponse) response = sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return sonde_response_get_status (response);
}

static void
test_send (void)
{
  /* A server of its own: the shared test server does not keep request bodies. */
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sonde-aws-XXXXXX", NULL);
  g_autofree char *upload = g_build_filename (dir, "upload.bin", NULL);
  g_autoptr(GError) error_write = NULL;

  soup_server_add_handler (server, "/aws", verify_cb, NULL, NULL);
  base_url = sonde_test_listen_local (server);

  /* A query to sort, a header row, a cookie, a path with a space */
  {
    g_autoptr(SondeRequest) request = signed_request ("/aws/a%20b/c?z=1&a=%2F&a=0", "execute-api");
    g_autoptr(SondeKeyValue) header = sonde_key_value_new ("X-Custom", "  two   spaces ", TRUE);
    g_autoptr(SondeKeyValue) cookie = sonde_key_value_new ("session", "abc", TRUE);

    g_list_store_append (sonde_request_get_headers (request), header);
    g_list_store_append (sonde_request_get_cookies (request), cookie);
    g_assert_cmpuint (send_status (client, request), ==, 200);
    g_assert_nonnull (strstr (seen.last_authorization, "SignedHeaders=cookie;host;x-amz-date;x-custom,"));
    g_assert_null (seen.last_content_sha);
  }

  /* A text body, a session token, signed */
  {
    g_autoptr(SondeRequest) request = signed_request ("/aws/put", "execute-api");

    sonde_request_set_method (request, "POST");
    sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_JSON);
    sonde_body_set_text (sonde_request_get_body (request), "{\"a\": 1}");
    sonde_auth_set_token (sonde_request_get_auth (request), "session-token/+=");
    g_assert_cmpuint (send_status (client, request), ==, 200);
    g_assert_nonnull (strstr (seen.last_authorization, "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"));
    g_assert_cmpstr (seen.last_token, ==, "session-token/+=");
  }

  /* A file body of 3 MiB + 1: hashed in a worker before the request goes */
  g_assert_true (sonde_test_pattern_write_file (upload, 3 * 1024 * 1024 + 1, &error_write));
  {
    g_autoptr(SondeRequest) request = signed_request ("/aws/file", "execute-api");

    sonde_request_set_method (request, "PUT");
    sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_FILE);
    sonde_body_set_file (sonde_request_get_body (request), upload);
    g_assert_cmpuint (send_status (client, request), ==, 200);
    g_assert_cmpuint (seen.body_length, ==, 3 * 1024 * 1024 + 1);
  }

  /* S3: the file is not read twice, its hash is UNSIGNED-PAYLOAD, which S3 takes */
  {
    g_autoptr(SondeRequest) request = signed_request ("/aws/bucket/key", "s3");

    sonde_request_set_method (request, "PUT");
    sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_FILE);
    sonde_body_set_file (sonde_request_get_body (request), upload);
    g_assert_cmpuint (send_status (client, request), ==, 200);
    g_assert_cmpstr (seen.last_content_sha, ==, SONDE_AWS_UNSIGNED_PAYLOAD);
  }

  /* S3 with no body signs the empty body's hash, and says so */
  {
    g_autoptr(SondeRequest) request = signed_request ("/aws/bucket/key", "s3");

    g_assert_cmpuint (send_status (client, request), ==, 200);
    g_assert_cmpstr (seen.last_content_sha, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  /* A wrong secret is refused by the server's check: the check does check */
  {
    g_autoptr(SondeRequest) request = signed_request ("/aws/x", "execute-api");

    sonde_auth_set_password (sonde_request_get_auth (request), "not the secret");
    g_assert_cmpuint (send_status (client, request), ==, 403);
  }

  /* Without a region, nothing is sent */
  {
    g_autoptr(SondeRequest) request = signed_request ("/aws/x", "execute-api");
    g_autoptr(SondeResponse) response = NULL;

    sonde_auth_set_region (sonde_request_get_auth (request), "");
    response = sonde_test_client_send (client, request, NULL, NULL, NULL, NULL, &error);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  }

  g_unlink (upload);
  g_rmdir (dir);
  g_clear_pointer (&base_url, g_free);
  g_clear_pointer (&seen.last_authorization, g_free);
  g_clear_pointer (&seen.last_content_sha, g_free);
  g_clear_pointer (&seen.last_token, g_free);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

/* curl signs on its own (--aws-sigv4): the command Sonde exports must pass the same check
 * as Sonde's requests, which makes curl's signer a second opinion on Sonde's. The query is
 * in order already: curl 7.88 (Debian 12) signs it unsorted, against the suite's
 * get-vanilla-query-order-key-case, which Sonde passes. */
static void
test_curl_agrees (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *code = NULL;
  g_autofree char *command = NULL;
  gboolean done = FALSE;

  g_autofree char *curl = g_find_program_in_path ("curl");

  if (curl == NULL)
    {
      g_test_skip ("curl is not installed");
      return;
    }

  soup_server_add_handler (server, "/aws", verify_cb, NULL, NULL);
  base_url = sonde_test_listen_local (server);

  request = signed_request ("/aws/curl/x?a=1&b=2", "execute-api");
  sonde_request_set_method (request, "POST");
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_JSON);
  sonde_body_set_text (sonde_request_get_body (request), "{\"from\": \"curl\"}");
  sonde_auth_set_token (sonde_request_get_auth (request), "token-for-curl");
  code = sonde_export_request (request, SONDE_EXPORT_CURL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (code, "--aws-sigv4 aws:amz:eu-west-3:execute-api"));
  g_assert_nonnull (strstr (code, "-H 'X-Amz-Security-Token: token-for-curl'"));

  g_assert_true (g_str_has_prefix (code, "curl "));
  command = g_strconcat ("curl -s -o /dev/null -w '%{http_code}' ", code + strlen ("curl "), NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "sh", "-c", command, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autoptr(GBytes) out = NULL;
    g_autofree char *status = NULL;

    g_subprocess_communicate (process, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    status = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
    g_assert_cmpstr (status, ==, "200");
  }
  g_assert_cmpstr (seen.last_token, ==, "token-for-curl");
  g_assert_nonnull (strstr (seen.last_authorization, "Credential=AKIDLOCAL/"));

  g_clear_pointer (&base_url, g_free);
  g_clear_pointer (&seen.last_authorization, g_free);
  g_clear_pointer (&seen.last_content_sha, g_free);
  g_clear_pointer (&seen.last_token, g_free);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/aws-sigv4/suite", test_suite);
  g_test_add_func ("/aws-sigv4/path-encoding", test_path_encoding);
  g_test_add_func ("/aws-sigv4/send", test_send);
  g_test_add_func ("/aws-sigv4/curl-agrees", test_curl_agrees);

  return g_test_run ();
}
