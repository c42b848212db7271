/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sonde-collection-private.h"
#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-tls.h"
#include "sonde-test-utils.h"

#define MiB (1024 * 1024)

typedef struct
{
  SondeTestServer *server;
  SondeClient     *client;
  char            *dir;
} Fixture;

/* Isolated dirs hide the system MIME database that content type guessing needs. */
static char **mime_dirs;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_content_type_set_mime_dirs ((const char * const *) mime_dirs);
  fixture->server = sonde_test_server_new ();
  fixture->client = sonde_client_new ();
  fixture->dir = g_dir_make_tmp ("sonde-client-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  sonde_test_server_free (fixture->server);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static SondeRequest *
request_new (Fixture    *fixture,
             const char *method,
             const char *path)
{
  SondeRequest *request = sonde_request_new ();
  g_autofree char *url = sonde_test_server_build_url (fixture->server, path);

  sonde_request_set_method (request, method);
  sonde_request_set_url (request, url);
  sonde_request_set_base_dir (request, NULL);
  return request;
}

typedef struct
{
  GCancellable           *cancellable;
  SondeTransferDirection  direction;
  guint64                 cancel_after;
  guint64                 last_done;
  guint64                 last_total;
  guint                   calls;
} Progress;

static void
progress_cb (SondeTransferDirection direction,
             guint64                done,
             guint64                total,
             gpointer               user_data)
{
  Progress *progress = user_data;

  if (direction != progress->direction)
    return;
  g_assert_cmpuint (done, >=, progress->last_done);
  progress->last_done = done;
  progress->last_total = total;
  progress->calls++;
  if (progress->cancellable != NULL && progress->cancel_after > 0 && done >= progress->cancel_after)
    g_cancellable_cancel (progress->cancellable);
}

static SondeResponse *
send_full (Fixture       *fixture,
           SondeRequest  *request,
           GFile         *output,
           Progress      *progress,
           GError       **error)
{
  return sonde_test_client_send (fixture->client, request, output,
                                 progress ? progress_cb : NULL, progress,
                                 progress ? progress->cancellable : NULL, error);
}

static SondeResponse *
send_ok (Fixture      *fixture,
         SondeRequest *request)
{
  g_autoptr(GError) error = NULL;
  SondeResponse *response = send_full (fixture, request, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

static GError *
send_error (Fixture      *fixture,
            SondeRequest *request)
{
  GError *error = NULL;
  g_autoptr(SondeResponse) response = send_full (fixture, request, NULL, NULL, &error);

  g_assert_null (response);
  g_assert_nonnull (error);
  return error;
}

/* The /echo reply as a JSON object (owned by the returned node). */
static JsonNode *
echo_of (SondeResponse *response)
{
  g_autoptr(GBytes) body = sonde_body_store_get_bytes (sonde_response_get_body (response));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (body);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return g_steal_pointer (&node);
}

static const char *
echo_string (JsonNode   *echo,
             const char *member)
{
  return json_object_get_string_member_with_default (json_node_get_object (echo), member, NULL);
}

/* The person's defaults (preferences) apply to the keys a request does not set */
static void
test_default_options (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SondeRequestOptions) defaults = sonde_request_options_new ();
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/redirect/1");
  g_autoptr(SondeRequest) slow = request_new (fixture, "GET", "/slow?delay=3000");
  g_autoptr(SondeResponse) shown = NULL;
  g_autoptr(SondeResponse) followed = NULL;
  g_autoptr(SondeResponse) builtin = NULL;
  g_autoptr(GError) error = NULL;

  sonde_request_options_set_follow_redirects (defaults, FALSE);
  sonde_request_options_set_timeout (defaults, 0.5);
  sonde_client_set_default_options (fixture->client, defaults);

  /* Not following: the redirect itself */
  shown = send_ok (fixture, request);
  g_assert_cmpuint (sonde_response_get_status (shown), ==, 302);
  /* The request's own setting wins */
  sonde_request_options_set_follow_redirects (sonde_request_get_options (request), TRUE);
  sonde_request_options_mark_set (sonde_request_get_options (request), "followRedirects");
  followed = send_ok (fixture, request);
  g_assert_cmpuint (sonde_response_get_status (followed), ==, 200);

  /* The default timeout */
  error = send_error (fixture, slow);
  g_assert_nonnull (strstr (error->message, "timed out"));

  /* Back to Sonde's own defaults */
  sonde_client_set_default_options (fixture->client, NULL);
  sonde_request_options_unset (sonde_request_get_options (request), "followRedirects");
  builtin = send_ok (fixture, request);
  g_assert_cmpuint (sonde_response_get_status (builtin), ==, 200);

  /* A snapshot (what a run sends) is sent as it is, or merged with the defaults in a copy:
   * never changed. */
  {
    g_autoptr(SondeRequest) snapshot = sonde_request_copy_snapshot (request);
    g_autoptr(SondeResponse) plain = NULL;
    g_autoptr(SondeResponse) with_defaults = NULL;

    plain = send_ok (fixture, snapshot);
    g_assert_cmpuint (sonde_response_get_status (plain), ==, 200);
    sonde_client_set_default_options (fixture->client, defaults);
    with_defaults = send_ok (fixture, snapshot);
    g_assert_cmpuint (sonde_response_get_status (with_defaults), ==, 302);
    g_assert_true (sonde_request_options_sets_nothing (sonde_request_get_options (snapshot)));
    g_assert_true (sonde_request_options_get_follow_redirects (sonde_request_get_options (snapshot)));
  }
}

static void
test_methods (Fixture       *fixture,
              gconstpointer  data)
{
  const char *methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE", "X-CUSTOM.1" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(SondeRequest) request = request_new (fixture, methods[i], "/echo");
      g_autoptr(SondeResponse) response = send_ok (fixture, request);
      g_autoptr(JsonNode) echo = echo_of (response);

      g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
      g_assert_cmpstr (echo_string (echo, "method"), ==, methods[i]);
      g_assert_cmpstr (sonde_response_get_method (response), ==, methods[i]);
    }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "HEAD", "/echo");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);

    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
    g_assert_cmpuint (sonde_response_get_body_size (response), ==, 0);
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "BAD METHOD", "/echo");
    g_autoptr(GError) error = send_error (fixture, request);

    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_METHOD);
  }
}

static void
test_params (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/echo?existing=1&x=a%20b#fragment");
  GListStore *params = sonde_request_get_params (request);
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(JsonNode) echo = NULL;
  SondeKeyValue *disabled;

  sonde_key_value_list_append (params, "q", "a b&c=d");
  sonde_key_value_list_append (params, "uni", "héllo ✓");
  disabled = sonde_key_value_list_append (params, "off", "no");
  sonde_key_value_set_enabled (disabled, FALSE);
  sonde_key_value_list_append (params, "empty", "");
  sonde_key_value_list_append (params, "q", "+/?");

  response = send_ok (fixture, request);
  echo = echo_of (response);
  g_assert_cmpstr (echo_string (echo, "query"), ==,
                   "existing=1&x=a%20b&q=a%20b%26c%3Dd&uni=h%C3%A9llo%20%E2%9C%93&empty=&q=%2B%2F%3F");
  g_assert_true (g_str_has_suffix (sonde_response_get_url (response),
                                   "/echo?existing=1&x=a%20b&q=a%20b%26c%3Dd&uni=h%C3%A9llo%20%E2%9C%93&empty=&q=%2B%2F%3F"));
}

static void
test_headers (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/echo");
  GListStore *headers = sonde_request_get_headers (request);
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(JsonNode) echo = NULL;
  g_autofree char *x_a = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *off = NULL;
  GListModel *sent;
  SondeKeyValue *row;

  sonde_key_value_list_append (headers, "X-A", "1");
  sonde_key_value_list_append (headers, "X-B", "two words");
  sonde_key_value_list_append (headers, "X-A", "3");
  row = sonde_key_value_list_append (headers, "X-Off", "no");
  sonde_key_value_set_enabled (row, FALSE);
  sonde_key_value_list_append (sonde_request_get_cookies (request), "session", "abc");
  sonde_key_value_list_append (sonde_request_get_cookies (request), "theme", "dark");

  response = send_ok (fixture, request);
  echo = echo_of (response);
  x_a = sonde_test_echo_header (echo, "X-A");
  cookie = sonde_test_echo_header (echo, "Cookie");
  off = sonde_test_echo_header (echo, "X-Off");
  g_assert_cmpstr (x_a, ==, "1|3");
  g_assert_cmpstr (cookie, ==, "session=abc; theme=dark");
  g_assert_null (off);

  /* What was sent, as sent: Host first, then the rows in order. */
  sent = sonde_response_get_request_headers (response);
  {
    g_autoptr(SondeKeyValue) first = g_list_model_get_item (sent, 0);
    g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", sonde_test_server_get_port (fixture->server));
    GString *order = g_string_new (NULL);

    g_assert_cmpstr (sonde_key_value_get_name (first), ==, "Host");
    g_assert_cmpstr (sonde_key_value_get_value (first), ==, host);
    for (guint i = 0; i < g_list_model_get_n_items (sent); i++)
      {
        g_autoptr(SondeKeyValue) header = g_list_model_get_item (sent, i);

        if (g_str_has_prefix (sonde_key_value_get_name (header), "X-"))
          g_string_append_printf (order, "%s=%s;", sonde_key_value_get_name (header), sonde_key_value_get_value (header));
        /* Once, though libsoup may hold one too */
        if (i > 0)
          g_assert_cmpstr (sonde_key_value_get_name (header), !=, "Host");
      }
    g_assert_cmpstr (order->str, ==, "X-A=1;X-B=two words;X-A=3;");
    g_string_free (order, TRUE);
  }
}

static void
test_response_headers (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/response-headers");
  g_autoptr(SondeResponse) response = send_ok (fixture, request);
  GListModel *headers = sonde_response_get_headers (response);
  g_autoptr(GString) order = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (headers); i++)
    {
      g_autoptr(SondeKeyValue) header = g_list_model_get_item (headers, i);

      if (g_str_has_prefix (sonde_key_value_get_name (header), "X-"))
        g_string_append_printf (order, "%s=%s;", sonde_key_value_get_name (header), sonde_key_value_get_value (header));
    }
  g_assert_cmpstr (order->str, ==, "X-First=1;X-Dup=a;X-Dup=b;X-Last=z;");
  g_assert_cmpstr (sonde_response_get_header (response, "x-dup"), ==, "a");
  g_assert_cmpstr (sonde_response_get_content_type (response), ==, "text/plain");
}

static void
test_invalid_header (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *cases[][3] = {
    { "Bad Name", "1", "Bad Name" },
    { "X-Split", "one\r\nInjected: yes", "X-Split" },
    { "X-Newline", "a\nb", "X-Newline" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/echo");
      g_autoptr(GError) error = NULL;

      sonde_key_value_list_append (sonde_request_get_headers (request), cases[i][0], cases[i][1]);
      error = send_error (fixture, request);
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER);
      g_assert_nonnull (strstr (error->message, cases[i][2]));
    }

  /* Nothing reached the server. */
  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
}

static void
check_body (Fixture       *fixture,
            SondeRequest  *request,
            const char    *expected_body,
            gsize          expected_length,
            const char    *expected_type)
{
  g_autoptr(SondeResponse) response = send_ok (fixture, request);
  g_autoptr(JsonNode) echo = echo_of (response);
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) expected_body, expected_length);
  g_autofree char *content_type = sonde_test_echo_header (echo, "Content-Type");
  g_autofree char *content_length = sonde_test_echo_header (echo, "Content-Length");
  g_autofree char *length_text = g_strdup_printf ("%" G_GSIZE_FORMAT, expected_length);

  g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, sha);
  g_assert_cmpstr (content_type, ==, expected_type);
  g_assert_cmpstr (content_length, ==, length_text);
}

static void
test_bodies (Fixture       *fixture,
             gconstpointer  data)
{
  static const guint8 binary[] = { 0, 1, 2, 255, 254, '\r', '\n', 0, 'x' };
  g_autofree char *binary_path = fixture_path (fixture, "blob.bin");
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
    SondeBody *body = sonde_request_get_body (request);

    sonde_body_set_kind (body, SONDE_BODY_TEXT);
    sonde_body_set_text (body, "plain text ✓\nline 2");
    check_body (fixture, request, "plain text ✓\nline 2", strlen ("plain text ✓\nline 2"),
                sonde_body_kind_default_content_type (SONDE_BODY_TEXT));

    sonde_body_set_content_type (body, "text/csv");
    check_body (fixture, request, "plain text ✓\nline 2", strlen ("plain text ✓\nline 2"), "text/csv");
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "PUT", "/echo");
    SondeBody *body = sonde_request_get_body (request);
    const char *json = "{\"name\": \"Zoë\", \"list\": [1, 2]}";

    sonde_body_set_kind (body, SONDE_BODY_JSON);
    sonde_body_set_text (body, json);
    check_body (fixture, request, json, strlen (json), "application/json");

    /* A Content-Type row wins over the body's. */
    sonde_key_value_list_append (sonde_request_get_headers (request), "Content-Type", "application/vnd.api+json");
    check_body (fixture, request, json, strlen (json), "application/vnd.api+json");
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
    SondeBody *body = sonde_request_get_body (request);
    const char *xml = "<?xml version=\"1.0\"?><a b=\"c\">d</a>";

    sonde_body_set_kind (body, SONDE_BODY_XML);
    sonde_body_set_text (body, xml);
    check_body (fixture, request, xml, strlen (xml), "application/xml");
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
    SondeBody *body = sonde_request_get_body (request);
    GListStore *fields = sonde_body_get_fields (body);
    SondeKeyValue *off;
    const char *form = "name=Jo+Smith&q=a%26b%3Dc&uni=%C3%A9&name=2";

    sonde_body_set_kind (body, SONDE_BODY_FORM);
    sonde_key_value_list_append (fields, "name", "Jo Smith");
    sonde_key_value_list_append (fields, "q", "a&b=c");
    off = sonde_key_value_list_append (fields, "off", "x");
    sonde_key_value_set_enabled (off, FALSE);
    sonde_key_value_list_append (fields, "uni", "é");
    sonde_key_value_list_append (fields, "name", "2");
    check_body (fixture, request, form, strlen (form), "application/x-www-form-urlencoded");
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
    SondeBody *body = sonde_request_get_body (request);
    g_autoptr(GFile) base = g_file_new_for_path (fixture->dir);

    g_assert_true (g_file_set_contents (binary_path, (const char *) binary, sizeof binary, &error));
    sonde_request_set_base_dir (request, base);
    sonde_body_set_kind (body, SONDE_BODY_FILE);
    sonde_body_set_file (body, "blob.bin");   /* relative to the base folder */
    check_body (fixture, request, (const char *) binary, sizeof binary,
                sonde_body_kind_default_content_type (SONDE_BODY_FILE));
  }
}

static JsonObject *
find_part (JsonArray  *parts,
           const char *name)
{
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      if (g_strcmp0 (json_object_get_string_member (part, "name"), name) == 0)
        return part;
    }
  return NULL;
}

static void
test_multipart (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
  SondeBody *body = sonde_request_get_body (request);
  GListStore *parts = sonde_body_get_parts (body);
  g_autofree char *json_path = fixture_path (fixture, "data.json");
  g_autofree char *bin_path = fixture_path (fixture, "raw.bin");
  g_autoptr(SondeBodyPart) field = sonde_body_part_new_text ("title", "Hello wörld");
  g_autoptr(SondeBodyPart) json_part = sonde_body_part_new_file ("doc", json_path);
  g_autoptr(SondeBodyPart) bin_part = sonde_body_part_new_file ("blob", bin_path);
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(JsonNode) echo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bin_sha = NULL;
  g_autofree guint8 *bin = g_malloc (100000);
  JsonArray *received;
  JsonObject *part;

  sonde_test_pattern_fill (bin, 0, 100000);
  bin_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bin, 100000);
  g_assert_true (g_file_set_contents (json_path, "{\"k\": [1, 2, 3]}", -1, &error));
  g_assert_true (g_file_set_contents (bin_path, (const char *) bin, 100000, &error));

  sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
  sonde_body_part_set_filename (bin_part, "renamed.dat");
  sonde_body_part_set_content_type (bin_part, "application/x-sonde");
  g_list_store_append (parts, field);
  g_list_store_append (parts, json_part);
  g_list_store_append (parts, bin_part);

  response = send_ok (fixture, request);
  echo = echo_of (response);
  received = json_object_get_array_member (json_node_get_object (echo), "parts");
  g_assert_nonnull (received);
  g_assert_cmpuint (json_array_get_length (received), ==, 3);

  part = find_part (received, "title");
  g_assert_cmpstr (json_object_get_string_member (part, "value"), ==, "Hello wörld");
  g_assert_null (json_object_get_string_member (part, "filename"));

  part = find_part (received, "doc");
  g_assert_cmpstr (json_object_get_string_member (part, "filename"), ==, "data.json");
  g_assert_cmpstr (json_object_get_string_member (part, "contentType"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (part, "value"), ==, "{\"k\": [1, 2, 3]}");

  part = find_part (received, "blob");
  g_assert_cmpstr (json_object_get_string_member (part, "filename"), ==, "renamed.dat");
  g_assert_cmpstr (json_object_get_string_member (part, "contentType"), ==, "application/x-sonde");
  g_assert_cmpint (json_object_get_int_member (part, "size"), ==, 100000);
  g_assert_cmpstr (json_object_get_string_member (part, "sha256"), ==, bin_sha);
}

/* Request bodies go out through libsoup in sonde-body-splice.c's blocks: every size around
 * GLib's 8 KiB and the 256 KiB block arrives whole, as a file body, a multipart part and a
 * text body, with upload progress that only grows and ends at the size. */
static void
test_upload_sizes (Fixture       *fixture,
                   gconstpointer  data)
{
  const gsize block = sonde_body_splice_block_size ();
  const gsize sizes[] = { 0, 1, 8191, 8192, 8193, block - 1, block, block + 1, 3 * block + 7,
                          MiB - 1, MiB, MiB + 1 };
  g_autofree char *path = fixture_path (fixture, "sized.bin");

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = sonde_test_pattern_sha256 (sizes[i]);
      g_autofree char *text = g_malloc (sizes[i] + 1);

      g_test_message ("body of %" G_GSIZE_FORMAT " bytes", sizes[i]);
      g_assert_true (sonde_test_pattern_write_file (path, sizes[i], &error));
      g_assert_no_error (error);

      /* The file as the whole body. */
      {
        g_autoptr(SondeRequest) request = request_new (fixture, "PUT", "/echo");
        g_autoptr(SondeResponse) response = NULL;
        g_autoptr(JsonNode) echo = NULL;
        Progress progress = { NULL, SONDE_TRANSFER_UPLOAD };

        sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_FILE);
        sonde_body_set_file (sonde_request_get_body (request), path);
        response = send_full (fixture, request, NULL, &progress, &error);
        g_assert_no_error (error);
        echo = echo_of (response);
        g_assert_cmpint (json_object_get_int_member (json_node_get_object (echo), "bodySize"), ==, sizes[i]);
        g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, expected);
        if (sizes[i] > 0)
          g_assert_cmpuint (progress.last_done, ==, sizes[i]);
      }

      /* The file as a multipart part, between two text fields: the body that arrived is the
       * one rebuilt here with the same boundary. */
      {
        g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
        SondeBody *body = sonde_request_get_body (request);
        g_autoptr(SondeBodyPart) before = sonde_body_part_new_text ("before", "a");
        g_autoptr(SondeBodyPart) file_part = sonde_body_part_new_file ("file", path);
        g_autoptr(SondeBodyPart) after = sonde_body_part_new_text ("after", "z");
        g_autoptr(SondeMultipartStream) rebuilt = NULL;
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(SondeResponse) response = NULL;
        g_autoptr(JsonNode) echo = NULL;
        g_autofree char *content_type = NULL;
        g_autofree char *rebuilt_sha = NULL;

        sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
        g_list_store_append (sonde_body_get_parts (body), before);
        g_list_store_append (sonde_body_get_parts (body), file_part);
        g_list_store_append (sonde_body_get_parts (body), after);
        response = send_ok (fixture, request);
        echo = echo_of (response);

        content_type = sonde_test_echo_header (echo, "Content-Type");
        g_assert_nonnull (strstr (content_type, "boundary="));
        rebuilt = sonde_multipart_stream_new (strstr (content_type, "boundary=") + strlen ("boundary="));
        sonde_multipart_stream_add_text (rebuilt, "before", "a");
        g_assert_true (sonde_multipart_stream_add_file (rebuilt, "file", file, NULL, NULL, &error));
        sonde_multipart_stream_add_text (rebuilt, "after", "z");
        g_assert_cmpint (json_object_get_int_member (json_node_get_object (echo), "bodySize"), ==,
                         sonde_multipart_stream_get_length (rebuilt));
        rebuilt_sha = sonde_test_stream_sha256 (G_INPUT_STREAM (rebuilt), &error);
        g_assert_no_error (error);
        g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, rebuilt_sha);
      }

      /* Text held in memory. */
      {
        g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
        g_autoptr(SondeResponse) response = NULL;
        g_autoptr(JsonNode) echo = NULL;
        g_autofree char *text_sha = NULL;

        for (gsize j = 0; j < sizes[i]; j++)
          text[j] = 'a' + j % 26;
        text[sizes[i]] = '\0';
        text_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, sizes[i]);
        sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_TEXT);
        sonde_body_set_text (sonde_request_get_body (request), text);
        response = send_ok (fixture, request);
        echo = echo_of (response);
        g_assert_cmpint (json_object_get_int_member (json_node_get_object (echo), "bodySize"), ==, sizes[i]);
        g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, text_sha);
      }
    }

  /* The test would pass with GLib's 8 KiB splice too: say so if that is what ran. */
  g_assert_true (sonde_body_splice_is_installed ());
}

/* The 512 MiB transfers are skipped with SONDE_TEST_QUICK (the sanitizer run), and on a disk
 * without room for NEEDED bytes in the test's directory: a full disk says nothing of Sonde. */
static gboolean
skip_big (Fixture *fixture,
          guint64  needed)
{
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(GFileInfo) info = NULL;

  if (g_getenv ("SONDE_TEST_QUICK") != NULL)
    {
      g_test_skip ("SONDE_TEST_QUICK is set");
      return TRUE;
    }

  info = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    {
      guint64 free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);

      if (free_bytes < needed + 64 * MiB)
        {
          g_autofree char *message =
            g_strdup_printf ("%" G_GUINT64_FORMAT " MiB free in %s, %" G_GUINT64_FORMAT " MiB needed",
                             free_bytes / MiB, fixture->dir, (needed + 64 * MiB) / MiB);

          g_test_skip (message);
          return TRUE;
        }
    }
  return FALSE;
}

static void
report_big (const char *what,
            gint64      started,
            guint64     size)
{
  double seconds = (g_get_monotonic_time () - started) / 1e6;

  g_test_message ("%s: %" G_GUINT64_FORMAT " MiB in %.2f s, peak RSS %" G_GUINT64_FORMAT " MiB",
                  what, size / MiB, seconds, sonde_test_peak_rss_kib () / 1024);
}

static void
test_big_upload (Fixture       *fixture,
                 gconstpointer  data)
{
  const guint64 size = 512 * MiB;
  g_autofree char *path = fixture_path (fixture, "big.bin");
  g_autoptr(SondeRequest) request = request_new (fixture, "PUT", "/echo");
  SondeBody *body = sonde_request_get_body (request);
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(JsonNode) echo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  Progress progress = { NULL, SONDE_TRANSFER_UPLOAD };
  gint64 started;

  if (skip_big (fixture, size))
    return;

  g_assert_true (sonde_test_pattern_write_file (path, size, &error));
  g_assert_no_error (error);
  expected = sonde_test_pattern_sha256 (size);

  sonde_body_set_kind (body, SONDE_BODY_FILE);
  sonde_body_set_file (body, path);

  started = g_get_monotonic_time ();
  response = send_full (fixture, request, NULL, &progress, &error);
  g_assert_no_error (error);
  report_big ("binary upload", started, size);

  echo = echo_of (response);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (echo), "bodySize"), ==, size);
  g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, expected);
  g_assert_cmpuint (progress.last_done, ==, size);
  g_assert_cmpuint (progress.last_total, ==, size);
}

static void
test_big_multipart (Fixture       *fixture,
                    gconstpointer  data)
{
  const guint64 size = 512 * MiB;
  g_autofree char *path = fixture_path (fixture, "big-part.bin");
  g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
  SondeBody *body = sonde_request_get_body (request);
  g_autoptr(SondeBodyPart) field = sonde_body_part_new_text ("note", "big one");
  g_autoptr(SondeBodyPart) file_part = sonde_body_part_new_file ("file", path);
  g_autoptr(SondeMultipartStream) expected_stream = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(JsonNode) echo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *content_type = NULL;
  const char *boundary;
  gint64 started;

  if (skip_big (fixture, size))
    return;

  g_assert_true (sonde_test_pattern_write_file (path, size, &error));
  sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
  g_list_store_append (sonde_body_get_parts (body), field);
  g_list_store_append (sonde_body_get_parts (body), file_part);

  started = g_get_monotonic_time ();
  response = send_full (fixture, request, NULL, NULL, &error);
  g_assert_no_error (error);
  report_big ("multipart upload", started, size);
  echo = echo_of (response);

  /* Rebuild the same body with the boundary that was used, and hash it here. */
  content_type = sonde_test_echo_header (echo, "Content-Type");
  boundary = strstr (content_type, "boundary=");
  g_assert_nonnull (boundary);
  expected_stream = sonde_multipart_stream_new (boundary + strlen ("boundary="));
  sonde_multipart_stream_add_text (expected_stream, "note", "big one");
  g_assert_true (sonde_multipart_stream_add_file (expected_stream, "file", file, NULL, NULL, &error));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (echo), "bodySize"), ==,
                   sonde_multipart_stream_get_length (expected_stream));
  expected = sonde_test_stream_sha256 (G_INPUT_STREAM (expected_stream), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, expected);
}

static void
test_big_download (Fixture       *fixture,
                   gconstpointer  data)
{
  const guint64 size = 512 * MiB;
  g_autofree char *url_path = g_strdup_printf ("/bytes/%" G_GUINT64_FORMAT, size);
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", url_path);
  g_autofree char *path = fixture_path (fixture, "download.bin");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  Progress progress = { NULL, SONDE_TRANSFER_DOWNLOAD };
  gint64 started;

  if (skip_big (fixture, size))
    return;

  started = g_get_monotonic_time ();
  response = send_full (fixture, request, output, &progress, &error);
  g_assert_no_error (error);
  report_big ("download to file", started, size);

  g_assert_null (sonde_response_get_body (response));
  g_assert_true (g_file_equal (sonde_response_get_output (response), output));
  g_assert_cmpuint (sonde_response_get_body_size (response), ==, size);
  g_assert_cmpuint (sonde_response_get_body_wire_size (response), ==, size);
  g_assert_cmpuint (progress.last_total, ==, size);
  g_assert_cmpuint (progress.last_done, ==, size);

  expected = sonde_test_pattern_sha256 (size);
  got = sonde_test_file_sha256 (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_download_spills (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/bytes/20000000?chunked=1");
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = sonde_test_pattern_sha256 (20000000);
  g_autofree char *got = NULL;
  SondeBodyStore *body;

  sonde_client_set_memory_threshold (fixture->client, MiB);
  response = send_ok (fixture, request);
  body = sonde_response_get_body (response);
  g_assert_false (sonde_body_store_is_in_memory (body));
  g_assert_cmpuint (sonde_body_store_get_size (body), ==, 20000000);
  stream = sonde_body_store_open_stream (body, &error);
  got = sonde_test_stream_sha256 (stream, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expected);
}

/* A kept body is read in small reads first and in big ones once a read fills the small
 * buffer: every size around both, sent plain and chunked, arrives whole. */
static void
test_download_sizes (Fixture       *fixture,
                     gconstpointer  data)
{
  const gsize sizes[] = { 0, 1, 16383, 16384, 16385, 32769, MiB - 1, MiB, MiB + 1, 3 * MiB + 7 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint chunked = 0; chunked < 2; chunked++)
      {
        g_autofree char *path = g_strdup_printf ("/bytes/%" G_GSIZE_FORMAT "%s", sizes[i],
                                                 chunked ? "?chunked=1" : "");
        g_autoptr(SondeRequest) request = request_new (fixture, "GET", path);
        g_autoptr(SondeResponse) response = send_ok (fixture, request);
        SondeBodyStore *body = sonde_response_get_body (response);
        g_autoptr(GInputStream) stream = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *expected = sonde_test_pattern_sha256 (sizes[i]);
        g_autofree char *got = NULL;

        g_test_message ("%s", path);
        g_assert_cmpuint (sonde_body_store_get_size (body), ==, sizes[i]);
        stream = sonde_body_store_open_stream (body, &error);
        got = sonde_test_stream_sha256 (stream, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (got, ==, expected);
      }
}

/* Saving to a file overlaps reads and writes: the cap still cuts at the exact byte, and
 * the file holds exactly what was counted. */
static void
test_download_capped_to_file (Fixture       *fixture,
                              gconstpointer  data)
{
  const guint64 cap = 5 * MiB + 3;
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/bytes/20000000?chunked=1");
  g_autofree char *path = fixture_path (fixture, "capped.bin");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = sonde_test_pattern_sha256 (cap);
  g_autofree char *got = NULL;
  Progress progress = { NULL, SONDE_TRANSFER_DOWNLOAD };

  sonde_request_options_set_max_body_size (sonde_request_get_options (request), cap);
  response = send_full (fixture, request, output, &progress, &error);
  g_assert_no_error (error);

  g_assert_true (sonde_response_get_body_truncated (response));
  g_assert_cmpuint (sonde_response_get_body_size (response), ==, cap);
  g_assert_cmpuint (progress.last_done, ==, cap);
  got = sonde_test_file_sha256 (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_response_info (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/set-cookie");
  g_autoptr(SondeResponse) response = send_ok (fixture, request);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", sonde_test_server_get_port (fixture->server));
  GPtrArray *cookies = sonde_response_get_cookies (response);
  const SondeTimings *timings = sonde_response_get_timings (response);
  SoupCookie *cookie;

  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  g_assert_cmpstr (sonde_response_get_reason (response), ==, "OK");
  g_assert_cmpstr (sonde_response_get_http_version (response), ==, "HTTP/1.1");
  g_assert_cmpstr (sonde_response_get_remote_address (response), ==, address);
  g_assert_false (sonde_response_get_is_tls (response));
  g_assert_false (sonde_response_get_tls_verified (response));
  g_assert_cmpuint (sonde_response_get_header_size (response), >, 0);
  g_assert_cmpuint (sonde_response_get_body_size (response), ==, 8);

  g_assert_cmpuint (cookies->len, ==, 3);
  cookie = g_ptr_array_index (cookies, 1);
  g_assert_cmpstr (soup_cookie_get_name (cookie), ==, "b");
  g_assert_cmpstr (soup_cookie_get_value (cookie), ==, "two");
  g_assert_true (soup_cookie_get_http_only (cookie));
  g_assert_cmpstr (soup_cookie_get_domain (cookie), ==, "127.0.0.1");

  g_assert_cmpfloat (timings->total, >, 0);
  g_assert_cmpfloat (timings->connect, >=, 0);
  g_assert_cmpfloat (timings->tls, ==, -1);
  g_assert_cmpfloat (timings->first_byte, >=, 0);
  g_assert_cmpfloat (timings->total, >=, timings->first_byte);

  /* A 404 is a response. */
  {
    g_autoptr(SondeRequest) missing = request_new (fixture, "GET", "/status/404");
    g_autoptr(SondeResponse) not_found = send_ok (fixture, missing);

    g_assert_cmpuint (sonde_response_get_status (not_found), ==, 404);
    g_assert_cmpstr (sonde_response_get_reason (not_found), ==, "Not Found");
  }
}

/* The phases present, added up; -1 marks a phase that did not happen. */
static double
timings_sum (const SondeTimings *timings)
{
  const double phases[] = {
    timings->redirects, timings->queued, timings->dns, timings->connect, timings->tls,
    timings->request_sent, timings->first_byte, timings->download, timings->finishing,
  };
  double sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      g_assert_true (phases[i] == -1 || phases[i] >= 0);
      if (phases[i] > 0)
        sum += phases[i];
    }
  return sum;
}

static void
test_timings (Fixture       *fixture,
              gconstpointer  data)
{
  /* A new connection to 127.0.0.1: no name to look up. */
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/echo");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);
    const SondeTimings *timings = sonde_response_get_timings (response);

    g_assert_true (g_str_has_prefix (sonde_response_get_url (response), "http://127.0.0.1:"));
    g_assert_cmpfloat (timings->dns, ==, -1);
    g_assert_cmpfloat (timings->redirects, ==, -1);
    g_assert_cmpfloat (timings->tls, ==, -1);
    g_assert_cmpfloat (timings->queued, >=, 0);
    g_assert_cmpfloat (timings->connect, >=, 0);
    g_assert_cmpfloat (timings->request_sent, >=, 0);
    g_assert_cmpfloat (timings->first_byte, >=, 0);
    g_assert_cmpfloat (timings->download, >=, 0);
    g_assert_cmpfloat (timings->finishing, >=, 0);
    g_assert_cmpfloat (timings->total, >, 0);
    g_assert_cmpfloat_with_epsilon (timings_sum (timings), timings->total, 0.001);
  }

  /* With a body to upload. */
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
    g_autoptr(SondeResponse) response = NULL;
    const SondeTimings *timings;

    sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_TEXT);
    sonde_body_set_text (sonde_request_get_body (request), "hello");
    response = send_ok (fixture, request);
    timings = sonde_response_get_timings (response);
    g_assert_cmpfloat (timings->dns, ==, -1);
    g_assert_cmpfloat (timings->request_sent, >=, 0);
    g_assert_cmpfloat_with_epsilon (timings_sum (timings), timings->total, 0.001);
  }

  /* The hops before the final response are a phase of their own. */
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/redirect/2");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);
    const SondeTimings *timings = sonde_response_get_timings (response);

    g_assert_cmpuint (sonde_response_get_redirects (response)->len, ==, 2);
    g_assert_cmpfloat (timings->redirects, >, 0);
    g_assert_cmpfloat (timings->dns, ==, -1);
    g_assert_cmpfloat_with_epsilon (timings_sum (timings), timings->total, 0.001);
  }

  /* A name is looked up, even one as close as localhost. */
  {
    g_autoptr(SondeRequest) request = sonde_request_new ();
    g_autofree char *url = g_strdup_printf ("http://localhost:%u/echo", sonde_test_server_get_port (fixture->server));
    g_autoptr(SondeResponse) response = NULL;
    const SondeTimings *timings;

    sonde_request_set_method (request, "GET");
    sonde_request_set_url (request, url);
    response = send_ok (fixture, request);
    timings = sonde_response_get_timings (response);
    g_assert_cmpfloat (timings->dns, >=, 0);
    g_assert_cmpfloat_with_epsilon (timings_sum (timings), timings->total, 0.001);
  }
}

static void
test_redirects (Fixture       *fixture,
                gconstpointer  data)
{
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/redirect/3");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);
    GPtrArray *chain = sonde_response_get_redirects (response);
    g_autofree char *first = sonde_test_server_build_url (fixture->server, "/redirect/3");
    g_autofree char *last = sonde_test_server_build_url (fixture->server, "/redirect/0");

    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
    g_assert_cmpuint (chain->len, ==, 3);
    g_assert_cmpstr (((SondeRedirect *) chain->pdata[0])->url, ==, first);
    g_assert_cmpuint (((SondeRedirect *) chain->pdata[0])->status, ==, 302);
    g_assert_cmpstr (sonde_response_get_url (response), ==, last);
    /* The last hop's headers, both ways: no Location in the final response, and the request
     * headers as last written, Host first, once. */
    g_assert_null (sonde_response_get_header (response, "Location"));
    {
      GListModel *sent = sonde_response_get_request_headers (response);
      guint hosts = 0;

      for (guint i = 0; i < g_list_model_get_n_items (sent); i++)
        {
          g_autoptr(SondeKeyValue) header = g_list_model_get_item (sent, i);

          if (g_ascii_strcasecmp (sonde_key_value_get_name (header), "Host") == 0)
            {
              g_assert_cmpuint (i, ==, 0);
              hosts++;
            }
        }
      g_assert_cmpuint (hosts, ==, 1);
      g_assert_true (sonde_response_get_request_headers (response) == sent);
    }
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/redirect/5");
    g_autoptr(GError) error = NULL;

    sonde_request_options_set_max_redirects (sonde_request_get_options (request), 2);
    error = send_error (fixture, request);
    g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TOO_MANY_REDIRECTS);
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/redirect/11");
    g_autoptr(GError) error = send_error (fixture, request);   /* default limit: 10 */

    g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TOO_MANY_REDIRECTS);
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/redirect/2");
    g_autoptr(SondeResponse) response = NULL;

    sonde_request_options_set_follow_redirects (sonde_request_get_options (request), FALSE);
    response = send_ok (fixture, request);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 302);
    g_assert_true (g_str_has_suffix (sonde_response_get_header (response, "Location"), "/redirect/1"));
    g_assert_cmpuint (sonde_response_get_redirects (response)->len, ==, 0);
  }
}

static SondeRequest *
redirect_request (Fixture    *fixture,
                  const char *method,
                  const char *target,
                  guint       status)
{
  g_autofree char *escaped = g_uri_escape_string (target, NULL, TRUE);
  g_autofree char *path = g_strdup_printf ("/redirect-to?status=%u&url=%s", status, escaped);

  return request_new (fixture, method, path);
}

/* The cookies of every response along redirects, each with the URL that set it. */
static void
test_redirect_cookies (Fixture       *fixture,
                       gconstpointer  data)
{
  /* A login: the 302 sets the session, the page it leads to sets nothing. */
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/set-cookie?set=session%3Dabc%3B%20Path%3D%2F&redirect=%2Fstatus%2F200");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);
    GPtrArray *cookies = sonde_response_get_cookies (response);
    GPtrArray *chain = sonde_response_get_redirects (response);

    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
    g_assert_cmpuint (chain->len, ==, 1);
    g_assert_cmpuint (cookies->len, ==, 1);
    g_assert_cmpstr (soup_cookie_get_name (cookies->pdata[0]), ==, "session");
    g_assert_cmpstr (soup_cookie_get_value (cookies->pdata[0]), ==, "abc");
    g_assert_cmpstr (sonde_response_get_cookie_url (response, 0), ==, ((SondeRedirect *) chain->pdata[0])->url);
  }

  /* Both steps set cookies: all of them, in order, each with its step. */
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/set-cookie?set=first%3D1&redirect=%2Fset-cookie");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);
    GPtrArray *cookies = sonde_response_get_cookies (response);
    g_autofree char *first_url = sonde_test_server_build_url (fixture->server, "/set-cookie?set=first%3D1&redirect=%2Fset-cookie");
    g_autofree char *last_url = sonde_test_server_build_url (fixture->server, "/set-cookie");

    g_assert_cmpuint (cookies->len, ==, 4);
    g_assert_cmpstr (soup_cookie_get_name (cookies->pdata[0]), ==, "first");
    g_assert_cmpstr (sonde_response_get_cookie_url (response, 0), ==, first_url);
    for (guint i = 1; i < 4; i++)
      g_assert_cmpstr (sonde_response_get_cookie_url (response, i), ==, last_url);
    g_assert_cmpstr (soup_cookie_get_name (cookies->pdata[3]), ==, "c");
  }

  /* Not following the redirect: the 302's cookies are the response's. */
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/set-cookie?set=session%3Dabc&redirect=%2Fstatus%2F200");
    g_autoptr(SondeResponse) response = NULL;

    sonde_request_options_set_follow_redirects (sonde_request_get_options (request), FALSE);
    response = send_ok (fixture, request);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 302);
    g_assert_cmpuint (sonde_response_get_cookies (response)->len, ==, 1);
  }
}

static void
test_redirect_credentials (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SondeTestServer) other = sonde_test_server_new ();
  g_autofree char *same_target = sonde_test_server_build_url (fixture->server, "/echo");
  g_autofree char *other_target = sonde_test_server_build_url (other, "/echo");
  const char *targets[] = { same_target, other_target };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(SondeRequest) request = redirect_request (fixture, "GET", targets[i], 302);
      g_autoptr(SondeResponse) response = NULL;
      g_autoptr(JsonNode) echo = NULL;
      g_autofree char *authorization = NULL;
      g_autofree char *cookie = NULL;
      g_autofree char *key = NULL;
      g_autofree char *custom = NULL;
      gboolean same = i == 0;

      sonde_key_value_list_append (sonde_request_get_headers (request), "Authorization", "Basic c2VjcmV0");
      sonde_key_value_list_append (sonde_request_get_headers (request), "X-Kept", "yes");
      sonde_key_value_list_append (sonde_request_get_cookies (request), "session", "secret");
      sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_API_KEY);
      sonde_auth_set_key_name (sonde_request_get_auth (request), "X-Api-Key");
      sonde_auth_set_key_value (sonde_request_get_auth (request), "k3y");

      response = send_ok (fixture, request);
      echo = echo_of (response);
      authorization = sonde_test_echo_header (echo, "Authorization");
      cookie = sonde_test_echo_header (echo, "Cookie");
      key = sonde_test_echo_header (echo, "X-Api-Key");
      custom = sonde_test_echo_header (echo, "X-Kept");

      g_assert_cmpstr (custom, ==, "yes");
      g_assert_cmpstr (authorization, ==, same ? "Basic c2VjcmV0" : NULL);
      g_assert_cmpstr (cookie, ==, same ? "session=secret" : NULL);
      g_assert_cmpstr (key, ==, same ? "k3y" : NULL);
    }
}

/* Each header row that carries a credential, by its name or by holding a secret variable's
 * value, is dropped on a redirect to another origin, and the chain says so; the same rows
 * follow a same-origin redirect. */
static void
test_redirect_credential_headers (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(SondeTestServer) other = sonde_test_server_new ();
  const char *credential_rows[][2] = {
    { "Authorization", "Bearer t0ken" },
    { "Proxy-Authorization", "Basic cHJveHk=" },
    { "Cookie", "sid=abc" },
    { "X-Api-Key", "k3y" },
    { "X-Auth-Token", "t0k" },
    { "X-Access-Token", "acc" },
    { "X-CSRF-Token", "csrf" },
    { "X-Session-Id", "sess" },
    { "Ocp-Apim-Subscription-Key", "sub" },
    { "X-Custom", "prefix-s3cr3t-value" },   /* holds a secret variable's value */
  };
  const char *secrets[] = { "s3cr3t", NULL };

  for (guint same = 0; same < 2; same++)
    for (guint i = 0; i < G_N_ELEMENTS (credential_rows); i++)
      {
        g_autofree char *target = sonde_test_server_build_url (same ? fixture->server : other, "/echo");
        g_autoptr(SondeRequest) request = redirect_request (fixture, "GET", target, 307);
        g_autoptr(SondeResponse) response = NULL;
        g_autoptr(JsonNode) echo = NULL;
        g_autofree char *received = NULL;
        g_autofree char *kept = NULL;
        SondeRedirect *redirect;

        sonde_request_set_secret_values (request, secrets);
        sonde_key_value_list_append (sonde_request_get_headers (request), credential_rows[i][0], credential_rows[i][1]);
        sonde_key_value_list_append (sonde_request_get_headers (request), "X-Kept", "yes");
        response = send_ok (fixture, request);
        echo = echo_of (response);
        received = sonde_test_echo_header (echo, credential_rows[i][0]);
        kept = sonde_test_echo_header (echo, "X-Kept");
        redirect = g_ptr_array_index (sonde_response_get_redirects (response), 0);

        g_assert_cmpstr (kept, ==, "yes");
        if (same)
          {
            g_assert_cmpstr (received, ==, credential_rows[i][1]);
            g_assert_null (redirect->dropped);
          }
        else
          {
            if (received != NULL)
              g_error ("%s reached another origin", credential_rows[i][0]);
            g_assert_nonnull (redirect->dropped);
            g_assert_cmpstr (redirect->dropped[0], ==, credential_rows[i][0]);
            g_assert_null (redirect->dropped[1]);
          }
      }

  /* A row marked {"sensitive": true} in its file, whatever its name. */
  {
    g_autofree char *target = sonde_test_server_build_url (other, "/echo");
    g_autoptr(SondeRequest) request = redirect_request (fixture, "GET", target, 307);
    g_autoptr(SondeKeyValue) row = sonde_key_value_new ("X-Tenant", "acme", TRUE);
    g_autoptr(JsonObject) extra = json_object_new ();
    g_autoptr(SondeResponse) response = NULL;
    g_autoptr(JsonNode) echo = NULL;
    g_autofree char *received = NULL;

    json_object_set_boolean_member (extra, "sensitive", TRUE);
    sonde_key_value_set_extra (row, extra);
    g_list_store_append (sonde_request_get_headers (request), row);
    response = send_ok (fixture, request);
    echo = echo_of (response);
    received = sonde_test_echo_header (echo, "X-Tenant");
    g_assert_null (received);
  }

  /* Auth settings and cookie rows are named in the chain too. */
  {
    g_autofree char *target = sonde_test_server_build_url (other, "/echo");
    g_autoptr(SondeRequest) request = redirect_request (fixture, "GET", target, 302);
    g_autoptr(SondeResponse) response = NULL;
    SondeRedirect *redirect;

    sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BEARER);
    sonde_auth_set_token (sonde_request_get_auth (request), "t");
    sonde_key_value_list_append (sonde_request_get_cookies (request), "a", "1");
    sonde_key_value_list_append (sonde_request_get_cookies (request), "b", "2");
    response = send_ok (fixture, request);
    redirect = g_ptr_array_index (sonde_response_get_redirects (response), 0);
    g_assert_nonnull (redirect->dropped);
    g_assert_true (g_strv_contains ((const char * const *) redirect->dropped, "Authorization"));
    g_assert_true (g_strv_contains ((const char * const *) redirect->dropped, "Cookie"));
    g_assert_cmpuint (g_strv_length (redirect->dropped), ==, 2);
  }
}

static void
test_redirect_methods (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *payload = "{\"keep\": true}";
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, payload, -1);
  g_autofree char *target = sonde_test_server_build_url (fixture->server, "/echo");
  struct { guint status; const char *method; const char *expected_method; gboolean keeps_body; } cases[] = {
    { 307, "POST", "POST", TRUE },
    { 308, "PUT", "PUT", TRUE },
    { 303, "POST", "GET", FALSE },
    { 303, "PUT", "GET", FALSE },
    { 302, "POST", "GET", FALSE },
    { 301, "POST", "GET", FALSE },
    { 302, "PUT", "PUT", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SondeRequest) request = redirect_request (fixture, cases[i].method, target, cases[i].status);
      SondeBody *body = sonde_request_get_body (request);
      g_autoptr(SondeResponse) response = NULL;
      g_autoptr(JsonNode) echo = NULL;

      sonde_body_set_kind (body, SONDE_BODY_JSON);
      sonde_body_set_text (body, payload);
      response = send_ok (fixture, request);
      echo = echo_of (response);

      g_assert_cmpstr (echo_string (echo, "method"), ==, cases[i].expected_method);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (echo), "bodySize"), ==,
                       cases[i].keeps_body ? (gint64) strlen (payload) : 0);
      if (cases[i].keeps_body)
        g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, sha);
      g_assert_cmpuint (((SondeRedirect *) sonde_response_get_redirects (response)->pdata[0])->status, ==,
                        cases[i].status);
    }
}

static void
test_redirect_bad_target (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *targets[] = { "ftp://127.0.0.1/file", "file:///etc/passwd", "javascript:alert(1)" };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(SondeRequest) request = redirect_request (fixture, "GET", targets[i], 302);
      g_autoptr(GError) error = send_error (fixture, request);

      g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_BAD_REDIRECT);
      g_assert_nonnull (strstr (error->message, targets[i]));
    }
}

static void
check_auth (Fixture       *fixture,
            SondeAuthKind  kind,
            const char    *path,
            const char    *password,
            guint          expected_status)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "POST", path);
  SondeAuth *auth = sonde_request_get_auth (request);
  SondeBody *body = sonde_request_get_body (request);
  g_autoptr(SondeResponse) response = NULL;
  const char *text = "body that must survive the auth restart";

  sonde_auth_set_kind (auth, kind);
  sonde_auth_set_username (auth, "alice");
  sonde_auth_set_password (auth, password);
  sonde_body_set_kind (body, SONDE_BODY_TEXT);
  sonde_body_set_text (body, text);

  response = send_ok (fixture, request);
  g_assert_cmpuint (sonde_response_get_status (response), ==, expected_status);
  if (expected_status == 200)
    {
      g_autoptr(JsonNode) echo = echo_of (response);
      g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

      g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, sha);
    }
}

static void
test_auth (Fixture       *fixture,
           gconstpointer  data)
{
  check_auth (fixture, SONDE_AUTH_BASIC, "/basic-auth/alice/s3cret", "s3cret", 200);
  check_auth (fixture, SONDE_AUTH_BASIC, "/basic-auth/alice/s3cret", "wrong", 401);
  check_auth (fixture, SONDE_AUTH_DIGEST, "/digest-auth/alice/s3cret", "s3cret", 200);
  check_auth (fixture, SONDE_AUTH_DIGEST, "/digest-auth/alice/s3cret", "wrong", 401);
  /* No credentials set up: the 401 comes back as it is. */
  check_auth (fixture, SONDE_AUTH_NONE, "/basic-auth/alice/s3cret", "s3cret", 401);
}

/* Where no proxy can be used (the environment decides and names none), the client listens
 * for challenges only on requests whose auth can answer them: the same answers. */
static void
test_auth_without_proxy (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char * const decide[] = {
    SONDE_TEST_DESKTOP_VARIABLES, "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
  };

  if (g_test_subprocess ())
    {
      g_autoptr(SondeRequestOptions) options = sonde_request_options_new ();

      for (guint i = 0; i < G_N_ELEMENTS (decide); i++)
        g_unsetenv (decide[i]);
      sonde_proxy_init_process ();
      g_assert_null (sonde_proxy_get_system_resolver ());
      g_assert_false (sonde_proxy_may_be_used (options));
      test_auth (fixture, data);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A binary file body is opened again for the attempt after the 401, whole and exact. */
static void
test_auth_restart_file_body (Fixture       *fixture,
                             gconstpointer  data)
{
  const guint64 size = 700 * 1024 + 5;
  g_autoptr(SondeRequest) request = request_new (fixture, "PUT", "/digest-auth/alice/s3cret");
  g_autofree char *path = fixture_path (fixture, "restart.bin");
  SondeAuth *auth = sonde_request_get_auth (request);
  SondeBody *body = sonde_request_get_body (request);
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(JsonNode) echo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = sonde_test_pattern_sha256 (size);

  g_assert_true (sonde_test_pattern_write_file (path, size, &error));
  g_assert_no_error (error);
  sonde_auth_set_kind (auth, SONDE_AUTH_DIGEST);
  sonde_auth_set_username (auth, "alice");
  sonde_auth_set_password (auth, "s3cret");
  sonde_body_set_kind (body, SONDE_BODY_FILE);
  sonde_body_set_file (body, path);

  response = send_ok (fixture, request);
  g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  echo = echo_of (response);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (echo), "bodySize"), ==, size);
  g_assert_cmpstr (echo_string (echo, "bodySha256"), ==, expected);
}

static void
test_bearer_and_api_key (Fixture       *fixture,
                         gconstpointer  data)
{
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/echo");
    g_autoptr(SondeResponse) response = NULL;
    g_autoptr(JsonNode) echo = NULL;
    g_autofree char *authorization = NULL;

    sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BEARER);
    sonde_auth_set_token (sonde_request_get_auth (request), "t0ken");
    response = send_ok (fixture, request);
    echo = echo_of (response);
    authorization = sonde_test_echo_header (echo, "Authorization");
    g_assert_cmpstr (authorization, ==, "Bearer t0ken");
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/echo?a=1");
    SondeAuth *auth = sonde_request_get_auth (request);
    g_autoptr(SondeResponse) response = NULL;
    g_autoptr(JsonNode) echo = NULL;

    sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
    sonde_auth_set_key_name (auth, "api key");
    sonde_auth_set_key_value (auth, "v&1");
    sonde_auth_set_key_location (auth, SONDE_API_KEY_IN_QUERY);
    response = send_ok (fixture, request);
    echo = echo_of (response);
    g_assert_cmpstr (echo_string (echo, "query"), ==, "a=1&api%20key=v%261");
  }
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/stall");
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  sonde_request_options_set_timeout (sonde_request_get_options (request), 0.5);
  error = send_error (fixture, request);
  g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==, "The request timed out after 0.5 seconds");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);

  /* A slow answer inside the limit is fine. */
  {
    g_autoptr(SondeRequest) slow = request_new (fixture, "GET", "/slow?delay=200");
    g_autoptr(SondeResponse) response = NULL;

    sonde_request_options_set_timeout (sonde_request_get_options (slow), 5);
    sonde_request_options_set_connect_timeout (sonde_request_get_options (slow), 0.1);
    response = send_ok (fixture, slow);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
  }
}

/* A loopback port that never completes a TCP handshake: a listening socket whose accept
 * queue is full (backlog 0, never accepted), so the kernel drops further SYNs. */
static void
test_connect_timeout (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (g_socket_bind (listener, address, TRUE, &error));
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);

  for (guint i = 0; i < 4; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, bound, NULL, NULL);
      g_ptr_array_add (fillers, filler);
    }

  url = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  request = sonde_request_new ();
  sonde_request_set_url (request, url);
  sonde_request_options_set_connect_timeout (sonde_request_get_options (request), 0.5);
  sonde_request_options_set_timeout (sonde_request_get_options (request), 3);
  error = send_error (fixture, request);
  g_assert_error (error, SONDE_CLIENT_ERROR, SONDE_CLIENT_ERROR_TIMED_OUT);
  if (strstr (error->message, "Could not connect") == NULL)
    {
      /* The kernel took the connection after all: nothing to measure here. */
      g_test_skip ("the loopback accept queue did not fill up");
      return;
    }
  g_assert_nonnull (strstr (error->message, "0.5 seconds"));
}

static void
test_cancel_upload (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "upload.bin");
  g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeResponse) response = NULL;
  Progress progress = { cancellable, SONDE_TRANSFER_UPLOAD, 2 * MiB };

  g_assert_true (sonde_test_pattern_write_file (path, 64 * MiB, &error));
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_FILE);
  sonde_body_set_file (sonde_request_get_body (request), path);

  response = send_full (fixture, request, NULL, &progress, &error);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.last_done, <, 64 * MiB);
}

static void
test_cancel_download (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/bytes/268435456");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = fixture_path (fixture, "keep.txt");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeResponse) response = NULL;
  g_autofree char *contents = NULL;
  Progress progress = { cancellable, SONDE_TRANSFER_DOWNLOAD, 4 * MiB };

  g_assert_true (g_file_set_contents (path, "old contents", -1, &error));
  response = send_full (fixture, request, output, &progress, &error);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.last_done, <, 268435456);

  /* The old file is intact and no temp file is left beside it. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old contents");
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);

    g_assert_cmpstr (g_dir_read_name (dir), ==, "keep.txt");
    g_assert_null (g_dir_read_name (dir));
  }

  /* The same client still works. */
  {
    g_autoptr(SondeRequest) again = request_new (fixture, "GET", "/status/204");
    g_autoptr(SondeResponse) ok = send_ok (fixture, again);

    g_assert_cmpuint (sonde_response_get_status (ok), ==, 204);
  }
}

static void
test_gzip (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/gzip");
  g_autoptr(SondeResponse) response = send_ok (fixture, request);
  g_autoptr(JsonNode) echo = echo_of (response);

  g_assert_true (json_object_get_boolean_member (json_node_get_object (echo), "gzipped"));
  g_assert_cmpstr (sonde_response_get_header (response, "Content-Encoding"), ==, "gzip");
  g_assert_cmpuint (sonde_response_get_body_wire_size (response), >, 0);
  g_assert_cmpuint (sonde_response_get_body_wire_size (response), <, sonde_response_get_body_size (response));
}

static void
test_gzip_bomb (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/gzip-bomb?size=200000000");
  g_autoptr(SondeResponse) response = NULL;
  SondeBodyStore *body;

  sonde_request_options_set_max_body_size (sonde_request_get_options (request), 10000000);
  response = send_ok (fixture, request);
  body = sonde_response_get_body (response);

  g_assert_true (sonde_response_get_body_truncated (response));
  g_assert_cmpstr (sonde_response_get_body_warning (response), ==,
                   "The response body was cut at 10 MB: it is larger than the limit set for this request.");
  g_assert_cmpuint (sonde_response_get_body_size (response), ==, 10000000);
  g_assert_cmpuint (sonde_body_store_get_size (body), ==, 10000000);
  g_assert_cmpuint (sonde_response_get_body_wire_size (response), <, 10000000);
}

/* Without a maxBodySize of its own, a request still has the client's cap (1 GiB unless
 * set; 5 MB here), unless the body goes to a file the person chose. */
static void
test_gzip_bomb_default_cap (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SondeClient) fresh = sonde_client_new ();
  g_autofree char *path = fixture_path (fixture, "bomb.bin");
  g_autoptr(GFile) output = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/gzip-bomb?size=20000000");
    g_autoptr(SondeResponse) response = NULL;

    /* The default itself, without sending a gigabyte. */
    response = sonde_test_client_send (fresh, request, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (sonde_response_get_body_truncated (response));
    g_assert_cmpuint (SONDE_CLIENT_DEFAULT_MAX_BODY_SIZE, ==, 1024 * 1024 * 1024);
  }

  sonde_client_set_default_max_body_size (fixture->client, 5000000);
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/gzip-bomb?size=20000000");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);

    g_assert_true (sonde_response_get_body_truncated (response));
    g_assert_cmpstr (sonde_response_get_body_warning (response), ==,
                     "The response body was cut at 5 MB, the most Sonde keeps of a response: save it to a file to get all of it.");
    g_assert_cmpuint (sonde_response_get_body_size (response), ==, 5000000);
  }
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/gzip-bomb?size=20000000");
    g_autoptr(SondeResponse) response = NULL;

    response = send_full (fixture, request, output, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (sonde_response_get_body_truncated (response));
    g_assert_cmpuint (sonde_response_get_body_size (response), ==, 20000000);
  }
  sonde_client_set_default_max_body_size (fixture->client, SONDE_CLIENT_DEFAULT_MAX_BODY_SIZE);
}

static guint
jar_size (SondeClient *client)
{
  GSList *cookies = soup_cookie_jar_all_cookies (sonde_cookie_store_get_jar (sonde_client_get_cookie_store (client)));
  guint n = g_slist_length (cookies);

  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
  return n;
}

/* What a server may put in the jar: no domain cookies on an IP address, per-host and
 * total caps, and a bounded Cookie header. */
static void
test_hostile_cookies (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = sonde_cookie_store_new_for_file (NULL);

  sonde_client_set_cookie_store (fixture->client, store);

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/set-cookie?set=stolen%3D1%3B%20Domain%3D.0.1%3B%20Path%3D%2F");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);

    g_assert_cmpuint (jar_size (fixture->client), ==, 0);
  }
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/set-cookie?set=ok%3D1%3B%20Path%3D%2F");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);

    g_assert_cmpuint (jar_size (fixture->client), ==, 1);
  }
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/set-cookie?flood=400");
    g_autoptr(SondeRequest) next = request_new (fixture, "GET", "/echo");
    g_autoptr(SondeResponse) response = send_ok (fixture, request);
    g_autoptr(SondeResponse) echoed = NULL;
    g_autoptr(JsonNode) echo = NULL;
    g_autofree char *cookie = NULL;

    g_assert_cmpuint (jar_size (fixture->client), ==, SONDE_COOKIES_PER_HOST);
    echoed = send_ok (fixture, next);
    echo = echo_of (echoed);
    cookie = sonde_test_echo_header (echo, "Cookie");
    g_assert_nonnull (cookie);
    g_assert_cmpuint (strlen (cookie), <=, SONDE_COOKIE_HEADER_MAX);
    /* Those expiring soonest went first: the last ones set are kept. */
    {
      GSList *all = soup_cookie_jar_all_cookies (sonde_cookie_store_get_jar (store));
      gboolean first = FALSE, last = FALSE;

      for (GSList *l = all; l != NULL; l = l->next)
        {
          first = first || g_str_equal (soup_cookie_get_name (l->data), "flood00000");
          last = last || g_str_equal (soup_cookie_get_name (l->data), "flood00399");
        }
      g_slist_free_full (all, (GDestroyNotify) soup_cookie_free);
      g_assert_false (first);
      g_assert_true (last);
    }
  }

  sonde_client_set_cookie_store (fixture->client, NULL);
}

static void
test_cookie_policy (void)
{
  struct {
    const char *set_cookie;
    const char *origin;
    gboolean    kept;
  } cases[] = {
    { "a=1; Domain=.0.1", "http://127.0.0.1/", FALSE },
    { "a=1; Domain=127.0.0.1", "http://127.0.0.1/", TRUE },   /* libsoup makes it host-only */
    { "a=1", "http://127.0.0.1/", TRUE },
    { "a=1", "http://[::1]/", TRUE },
    { "a=1; Domain=co.uk", "http://www.example.co.uk/", FALSE },
    { "a=1; Domain=.com", "http://example.com/", FALSE },
    { "a=1; Domain=example.co.uk", "http://www.example.co.uk/", TRUE },
    { "a=1", "http://www.example.co.uk/", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) origin = g_uri_parse (cases[i].origin, G_URI_FLAGS_NONE, NULL);
      SoupCookie *cookie = soup_cookie_parse (cases[i].set_cookie, origin);

      /* libsoup itself refuses some; what it keeps, Sonde checks. */
      if (cookie == NULL)
        {
          g_assert_false (cases[i].kept);
          continue;
        }
      if (sonde_cookie_is_acceptable (cookie, origin) != cases[i].kept)
        g_error ("%s from %s: expected %s", cases[i].set_cookie, cases[i].origin, cases[i].kept ? "kept" : "refused");
      soup_cookie_free (cookie);
    }

  /* A jar file edited by hand gets the same checks. */
  {
    SoupCookie *cookie = soup_cookie_new ("a", "1", ".0.1", "/", -1);
    g_autofree char *big = g_strnfill (5000, 'x');
    SoupCookie *large = soup_cookie_new ("b", big, "example.com", "/", -1);

    g_assert_false (sonde_cookie_is_acceptable (cookie, NULL));
    g_assert_false (sonde_cookie_is_acceptable (large, NULL));
    soup_cookie_free (cookie);
    soup_cookie_free (large);
  }
}

static void
test_unknown_host (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(GError) error = NULL;

  sonde_request_set_url (request, "http://nohost.invalid/");
  error = send_error (fixture, request);
  g_assert_cmpstr (error->message, ==, "Could not find the server “nohost.invalid”: check the address");
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(GError) error = NULL;

  sonde_request_set_url (request, "http://127.0.0.1:9/");
  error = send_error (fixture, request);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   "Could not connect to 127.0.0.1 port 9: the connection was refused. Is the server running?");
}

/* A {{variable}} holding a line break must not reach libsoup through any field that becomes
 * a header or the request line. */
static void
test_injection_after_expansion (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  struct {
    const char *where;
    GQuark      domain;
    int         code;
    const char *message;
  } cases[] = {
    { "cookie-value", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER, "The value of cookie “sid” contains a carriage return (CR)" },
    { "cookie-name", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER, "Cookie name “a\\r\\nX-Injected:" },
    { "bearer", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER, "The bearer token contains a carriage return (CR)" },
    { "basic-user", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER, "The user name of the authentication contains" },
    { "basic-password", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER, "The password of the authentication contains" },
    { "digest-user", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER, "The user name of the authentication contains" },
    { "api-key-value", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER, "The API key value contains a carriage return (CR)" },
    { "api-key-name", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER, "API key: Header name" },
    { "url", SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL, "The URL contains a carriage return (CR)" },
  };

  g_hash_table_insert (variables, "v", "a\r\nX-Injected: 1");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/echo");
      g_autoptr(SondeRequest) expanded = NULL;
      SondeAuth *auth = sonde_request_get_auth (request);
      const char *where = cases[i].where;
      g_autoptr(GError) error = NULL;

      if (g_str_equal (where, "cookie-value"))
        sonde_key_value_list_append (sonde_request_get_cookies (request), "sid", "{{v}}");
      else if (g_str_equal (where, "cookie-name"))
        sonde_key_value_list_append (sonde_request_get_cookies (request), "{{v}}", "1");
      else if (g_str_equal (where, "bearer"))
        {
          sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
          sonde_auth_set_token (auth, "{{v}}");
        }
      else if (g_str_has_prefix (where, "basic-") || g_str_has_prefix (where, "digest-"))
        {
          sonde_auth_set_kind (auth, g_str_has_prefix (where, "basic-") ? SONDE_AUTH_BASIC : SONDE_AUTH_DIGEST);
          sonde_auth_set_username (auth, g_str_has_suffix (where, "-user") ? "{{v}}" : "user");
          sonde_auth_set_password (auth, g_str_has_suffix (where, "-password") ? "{{v}}" : "pw");
        }
      else if (g_str_has_prefix (where, "api-key-"))
        {
          sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
          sonde_auth_set_key_location (auth, SONDE_API_KEY_IN_HEADER);
          sonde_auth_set_key_name (auth, g_str_equal (where, "api-key-name") ? "{{v}}" : "X-Api-Key");
          sonde_auth_set_key_value (auth, g_str_equal (where, "api-key-value") ? "{{v}}" : "k");
        }
      else if (g_str_equal (where, "url"))
        {
          g_autofree char *url = g_strconcat (sonde_request_get_url (request), "/{{v}}", NULL);

          sonde_request_set_url (request, url);
        }

      expanded = sonde_request_expand (request, variables, &error);
      g_assert_no_error (error);
      error = send_error (fixture, expanded);
      g_assert_error (error, cases[i].domain, cases[i].code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("%s: “%s” does not hold “%s”", where, error->message, cases[i].message);
    }

  /* A colon in a Basic user name would shift it into the password. */
  {
    g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/basic-auth");
    g_autoptr(GError) error = NULL;

    sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BASIC);
    sonde_auth_set_username (sonde_request_get_auth (request), "a:b");
    error = send_error (fixture, request);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER);
  }

  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
}

/* Spaces and non-ASCII characters in a pasted URL are percent-encoded, as a browser does. */
static void
test_url_encoding (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SondeRequest) request = request_new (fixture, "GET", "/echo?q=a b&city=Zürich");
  g_autoptr(SondeResponse) response = send_ok (fixture, request);
  g_autoptr(JsonNode) echo = echo_of (response);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (echo), "query"), ==,
                   "q=a%20b&city=Z%C3%BCrich");
}

/* The URL sent: as written when nothing is added, rebuilt the same way otherwise (a path of
 * at least "/", no empty query, no fragment). */
static void
test_build_url (void)
{
  static const struct { const char *url; const char *param; const char *sent; } cases[] = {
    { "http://127.0.0.1:8080/a?b=1", NULL, "http://127.0.0.1:8080/a?b=1" },
    { "http://127.0.0.1:8080", NULL, "http://127.0.0.1:8080/" },
    { "http://127.0.0.1:8080/a?", NULL, "http://127.0.0.1:8080/a" },
    { "http://127.0.0.1:8080/a#top", NULL, "http://127.0.0.1:8080/a" },
    { "http://127.0.0.1:8080/a b", NULL, "http://127.0.0.1:8080/a%20b" },
    { "http://127.0.0.1:8080/a?b=1", "c", "http://127.0.0.1:8080/a?b=1&c=d" },
    { "http://127.0.0.1:8080/a?", "c", "http://127.0.0.1:8080/a?c=d" },
    { "http://127.0.0.1:8080/a#top", "c", "http://127.0.0.1:8080/a?c=d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SondeRequest) request = sonde_request_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *sent = NULL;

      sonde_request_set_url (request, cases[i].url);
      if (cases[i].param != NULL)
        {
          g_autoptr(SondeKeyValue) row = sonde_key_value_new (cases[i].param, "d", TRUE);

          g_list_store_append (sonde_request_get_params (request), row);
        }
      sent = sonde_request_build_url (request, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sent, ==, cases[i].sent);
    }
}

static void
test_invalid_url (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *urls[] = { "not a url", "ftp://127.0.0.1/x", "http://", "", "http://exa mple.com/" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(SondeRequest) request = sonde_request_new ();
      g_autoptr(GError) error = NULL;

      sonde_request_set_url (request, urls[i]);
      error = send_error (fixture, request);
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_URL);
      g_assert_nonnull (strstr (error->message, urls[i]));
    }
}

static void
test_unreadable_file (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *missing = fixture_path (fixture, "missing.bin");

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
    g_autoptr(GError) error = NULL;

    sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_FILE);
    sonde_body_set_file (sonde_request_get_body (request), missing);
    error = send_error (fixture, request);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
    g_assert_nonnull (strstr (error->message, missing));
  }

  {
    g_autoptr(SondeRequest) request = request_new (fixture, "POST", "/echo");
    g_autoptr(SondeBodyPart) part = sonde_body_part_new_file ("f", missing);
    g_autoptr(GError) error = NULL;

    sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_MULTIPART);
    g_list_store_append (sonde_body_get_parts (sonde_request_get_body (request)), part);
    error = send_error (fixture, request);
    g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
    g_assert_nonnull (strstr (error->message, missing));
  }

  g_assert_cmpuint (sonde_test_server_get_request_count (fixture->server), ==, 0);
}

static void
test_tls_verification (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeTestTls) tls = sonde_test_tls_new (&error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GUri) base_uri = NULL;
  g_autofree char *url = NULL;

  if (tls == NULL)
    {
      g_test_skip (error->message);
      return;
    }
  server = sonde_test_tls_server_new (tls, FALSE, &base_uri);
  url = g_uri_to_string (base_uri);

  /* The test CA is not in the system store: verification fails, in words. */
  {
    g_autoptr(SondeRequest) request = sonde_request_new ();
    g_autoptr(GError) send_failure = NULL;

    sonde_request_set_url (request, url);
    send_failure = send_error (fixture, request);
    g_assert_error (send_failure, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
    g_assert_true (g_str_has_prefix (send_failure->message, "The server's certificate is not trusted: "));
  }

  /* Verification off: the response comes, and says it was not verified. */
  {
    g_autoptr(SondeRequest) request = sonde_request_new ();
    g_autoptr(SondeResponse) response = NULL;

    sonde_request_set_url (request, url);
    sonde_request_options_set_verify_tls (sonde_request_get_options (request), FALSE);
    response = send_ok (fixture, request);
    g_assert_cmpuint (sonde_response_get_status (response), ==, 200);
    g_assert_true (sonde_response_get_is_tls (response));
    g_assert_false (sonde_response_get_tls_verified (response));
    g_assert_true (sonde_response_get_tls_errors (response) & G_TLS_CERTIFICATE_UNKNOWN_CA);
    g_assert_nonnull (sonde_response_get_peer_certificate (response));
    g_assert_cmpint (sonde_response_get_tls_protocol (response), !=, G_TLS_PROTOCOL_VERSION_UNKNOWN);
    g_assert_cmpfloat (sonde_response_get_timings (response)->tls, >=, 0);
  }

  soup_server_disconnect (server);
}

/* Where GIO is sure to end with libproxy, it is named at once; anywhere else nothing is
 * chosen. Each case runs in a subprocess: it sets the environment. */
static void
test_pick_proxy_resolver (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_dir_make_tmp ("sonde-gio-XXXXXX", NULL);
      g_autofree char *with = g_build_filename (dir, "with.cache", NULL);
      g_autofree char *without = g_build_filename (dir, "without.cache", NULL);
      g_autofree char *missing = g_build_filename (dir, "missing.cache", NULL);

      g_assert_true (g_file_set_contents (with, "libdconfsettings.so: gsettings-backend\n"
                                                "libgiognomeproxy.so: gio-proxy-resolver\n"
                                                "libgiolibproxy.so: gio-proxy-resolver\n", -1, NULL));
      g_assert_true (g_file_set_contents (without, "libgiognomeproxy.so: gio-proxy-resolver\n", -1, NULL));
      g_unsetenv ("GIO_USE_PROXY_RESOLVER");
      g_unsetenv ("GTK_USE_PORTAL");
      g_unsetenv ("SNAP");
      g_unsetenv ("GIO_MODULE_DIR");
      g_unsetenv ("GIO_EXTRA_MODULES");
      g_unsetenv ("DESKTOP_SESSION");
      g_setenv ("XDG_CURRENT_DESKTOP", "KDE", TRUE);

      g_assert_cmpstr (sonde_client_pick_proxy_resolver (with), ==, "libproxy");
      g_assert_null (sonde_client_pick_proxy_resolver (without));
      g_assert_null (sonde_client_pick_proxy_resolver (missing));
      g_assert_null (sonde_client_pick_proxy_resolver (NULL));
      g_unsetenv ("XDG_CURRENT_DESKTOP");
      g_assert_cmpstr (sonde_client_pick_proxy_resolver (with), ==, "libproxy");

      /* A GNOME session, however it is named */
      g_setenv ("XDG_CURRENT_DESKTOP", "ubuntu:GNOME", TRUE);
      g_assert_null (sonde_client_pick_proxy_resolver (with));
      g_unsetenv ("XDG_CURRENT_DESKTOP");
      g_setenv ("DESKTOP_SESSION", "gnome", TRUE);
      g_assert_null (sonde_client_pick_proxy_resolver (with));
      g_unsetenv ("DESKTOP_SESSION");

      /* The person's choice, a portal, modules from elsewhere */
      g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
      g_assert_null (sonde_client_pick_proxy_resolver (with));
      g_unsetenv ("GIO_USE_PROXY_RESOLVER");
      g_setenv ("GTK_USE_PORTAL", "1", TRUE);
      g_assert_null (sonde_client_pick_proxy_resolver (with));
      g_unsetenv ("GTK_USE_PORTAL");
      g_setenv ("GIO_EXTRA_MODULES", dir, TRUE);
      g_assert_null (sonde_client_pick_proxy_resolver (with));
      g_unsetenv ("GIO_EXTRA_MODULES");

      /* sonde_client_init_process () names it, and a second call changes nothing */
      g_setenv ("SOUP_FORCE_HTTP1", "1", TRUE);
      sonde_client_init_process ();
      g_assert_true (g_getenv ("GIO_USE_PROXY_RESOLVER") == NULL ||
                     g_str_equal (g_getenv ("GIO_USE_PROXY_RESOLVER"), "libproxy"));

      g_remove (with);
      g_remove (without);
      g_rmdir (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  const char * const *data_dirs = g_get_system_data_dirs ();

  mime_dirs = g_new0 (char *, g_strv_length ((char **) data_dirs) + 1);
  for (guint i = 0; data_dirs[i] != NULL; i++)
    mime_dirs[i] = g_build_filename (data_dirs[i], "mime", NULL);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add ("/client/" path, Fixture, NULL, set_up, fn, tear_down)
  g_test_add_func ("/client/cookie-policy", test_cookie_policy);
  g_test_add_func ("/client/pick-proxy-resolver", test_pick_proxy_resolver);
  g_test_add_func ("/client/build-url", test_build_url);
  ADD ("methods", test_methods);
  ADD ("params", test_params);
  ADD ("headers", test_headers);
  ADD ("response-headers", test_response_headers);
  ADD ("invalid-header", test_invalid_header);
  ADD ("bodies", test_bodies);
  ADD ("multipart", test_multipart);
  ADD ("response-info", test_response_info);
  ADD ("download-sizes", test_download_sizes);
  ADD ("download-spills", test_download_spills);
  ADD ("download-capped-to-file", test_download_capped_to_file);
  ADD ("timings", test_timings);
  ADD ("redirects", test_redirects);
  ADD ("redirect-cookies", test_redirect_cookies);
  ADD ("redirect-credentials", test_redirect_credentials);
  ADD ("redirect-credential-headers", test_redirect_credential_headers);
  ADD ("redirect-methods", test_redirect_methods);
  ADD ("redirect-bad-target", test_redirect_bad_target);
  ADD ("auth", test_auth);
  ADD ("auth-without-proxy", test_auth_without_proxy);
  ADD ("auth-restart-file-body", test_auth_restart_file_body);
  ADD ("bearer-and-api-key", test_bearer_and_api_key);
  ADD ("timeout", test_timeout);
  ADD ("default-options", test_default_options);
  ADD ("connect-timeout", test_connect_timeout);
  ADD ("cancel-upload", test_cancel_upload);
  ADD ("cancel-download", test_cancel_download);
  ADD ("gzip", test_gzip);
  ADD ("gzip-bomb", test_gzip_bomb);
  ADD ("hostile-cookies", test_hostile_cookies);
  ADD ("gzip-bomb-default-cap", test_gzip_bomb_default_cap);
  ADD ("unknown-host", test_unknown_host);
  ADD ("refused", test_refused);
  ADD ("invalid-url", test_invalid_url);
  ADD ("injection-after-expansion", test_injection_after_expansion);
  ADD ("url-encoding", test_url_encoding);
  ADD ("unreadable-file", test_unreadable_file);
  ADD ("tls-verification", test_tls_verification);
  ADD ("upload-sizes", test_upload_sizes);
  ADD ("big-upload", test_big_upload);
  ADD ("big-multipart", test_big_multipart);
  ADD ("big-download", test_big_download);
#undef ADD

  return g_test_run ();
}
