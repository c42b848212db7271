/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>
#include <glib/gstdio.h>

#include "sonde-error.h"
#include "sonde-multipart-stream.h"

typedef struct
{
  char *dir;
} Fixture;

/* Isolated dirs hide the system MIME database that content type guessing needs. */
static char **mime_dirs;

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_content_type_set_mime_dirs ((const char * const *) mime_dirs);
  fixture->dir = g_dir_make_tmp ("sonde-multipart-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
tear_down (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const void *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GBytes *
read_all (GInputStream *stream,
          gsize         chunk)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buffer = g_malloc (chunk);

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, chunk, NULL, &error);

      g_assert_no_error (error);
      if (n == 0)
        break;
      g_byte_array_append (all, buffer, n);
    }
  g_assert_true (g_input_stream_close (stream, NULL, &error));

  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

static void
test_format (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SondeMultipartStream) stream = sonde_multipart_stream_new ("XyZ");
  g_autoptr(GFile) file = write_file (fixture, "notes.txt", "line one\nline two\n", -1);
  g_autoptr(GFile) other = write_file (fixture, "raw.dat", "\x00\x01\x02", 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  static const char expected[] =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "Hello, wörld\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"doc\"; filename=\"notes.txt\"\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "line one\nline two\n\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"a%22b\"; filename=\"x%0D%0Ay.bin\"\r\n"
    "Content-Type: application/x-custom\r\n"
    "\r\n"
    "\x00\x01\x02\r\n"
    "--XyZ--\r\n";

  sonde_multipart_stream_add_text (stream, "title", "Hello, wörld");
  g_assert_true (sonde_multipart_stream_add_file (stream, "doc", file, NULL, NULL, &error));
  g_assert_true (sonde_multipart_stream_add_file (stream, "a\"b", other, "x\r\ny.bin",
                                                  "application/x-custom", &error));
  g_assert_no_error (error);

  content_type = sonde_multipart_stream_dup_content_type (stream);
  g_assert_cmpstr (content_type, ==, "multipart/form-data; boundary=XyZ");
  g_assert_cmpstr (sonde_multipart_stream_get_boundary (stream), ==, "XyZ");
  g_assert_cmpuint (sonde_multipart_stream_get_length (stream), ==, sizeof expected - 1);

  /* Odd chunk sizes cross every segment boundary. */
  body = read_all (G_INPUT_STREAM (stream), 7);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), expected, sizeof expected - 1);
}

static void
test_length_matches (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SondeMultipartStream) stream = sonde_multipart_stream_new (NULL);
  g_autofree guint8 *big = g_malloc (300 * 1024 + 17);
  g_autoptr(GFile) big_file = NULL;
  g_autoptr(GFile) empty_file = write_file (fixture, "empty.bin", "", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const guint8 *bytes;
  gsize size;
  const char *needle;

  for (gsize i = 0; i < 300 * 1024 + 17; i++)
    big[i] = (guint8) (i % 251);
  big_file = write_file (fixture, "big.bin", big, 300 * 1024 + 17);

  g_assert_cmpuint (strlen (sonde_multipart_stream_get_boundary (stream)), >=, 24);
  sonde_multipart_stream_add_text (stream, "empty", "");
  g_assert_true (sonde_multipart_stream_add_file (stream, "big", big_file, NULL, NULL, &error));
  g_assert_true (sonde_multipart_stream_add_file (stream, "nothing", empty_file, NULL, NULL, &error));
  g_assert_no_error (error);

  body = read_all (G_INPUT_STREAM (stream), 65536);
  g_assert_cmpuint (g_bytes_get_size (body), ==, sonde_multipart_stream_get_length (stream));

  /* The file's bytes are in there, intact. */
  bytes = g_bytes_get_data (body, &size);
  needle = "filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
  {
    const guint8 *start = (const guint8 *) g_strstr_len ((const char *) bytes, size, needle);

    g_assert_nonnull (start);
    start += strlen (needle);
    g_assert_cmpmem (start, 300 * 1024 + 17, big, 300 * 1024 + 17);
  }
}

static void
test_clone (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SondeMultipartStream) stream = sonde_multipart_stream_new (NULL);
  g_autoptr(SondeMultipartStream) clone = NULL;
  g_autoptr(GFile) file = write_file (fixture, "a.json", "{\"a\": 1}", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  guint8 buffer[10];

  sonde_multipart_stream_add_text (stream, "k", "v");
  g_assert_true (sonde_multipart_stream_add_file (stream, "f", file, NULL, NULL, &error));

  /* Half-read, as when libsoup restarts the message mid-upload. */
  g_assert_cmpint (g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, NULL, &error), ==, 10);

  clone = sonde_multipart_stream_clone (stream);
  g_assert_cmpstr (sonde_multipart_stream_get_boundary (clone), ==, sonde_multipart_stream_get_boundary (stream));
  g_assert_cmpuint (sonde_multipart_stream_get_length (clone), ==, sonde_multipart_stream_get_length (stream));
  second = read_all (G_INPUT_STREAM (clone), 3);
  g_assert_cmpuint (g_bytes_get_size (second), ==, sonde_multipart_stream_get_length (stream));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (second, NULL), g_bytes_get_size (second),
                                  "Content-Type: application/json\r\n\r\n{\"a\": 1}\r\n"));

  first = read_all (G_INPUT_STREAM (stream), 1000);
  g_assert_cmpuint (g_bytes_get_size (first) + 10, ==, g_bytes_get_size (second));
}

static void
test_guess (Fixture       *fixture,
            gconstpointer  data)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  struct { const char *name; const void *contents; gssize length; const char *type; } cases[] = {
    { "data.json", "{\"a\": [1, 2]}", -1, "application/json" },
    { "page.txt", "plain words\n", -1, "text/plain" },
    { "picture", png, sizeof png, "image/png" },
    { "mystery.zzqq", "\x01\x02\x03\xff\xfe", 5, "application/octet-stream" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = write_file (fixture, cases[i].name, cases[i].contents, cases[i].length);
      g_autofree char *type = sonde_guess_content_type (file);

      g_assert_cmpstr (type, ==, cases[i].type);
    }
}

static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SondeMultipartStream) stream = sonde_multipart_stream_new (NULL);
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.bin", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(GError) error = NULL;

  g_assert_false (sonde_multipart_stream_add_file (stream, "f", missing, NULL, NULL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  g_assert_nonnull (strstr (error->message, missing_path));
  g_clear_error (&error);

  g_assert_false (sonde_multipart_stream_add_file (stream, "f", dir, NULL, NULL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  g_clear_error (&error);

  /* Permissions do not stop root. */
  if (geteuid () != 0)
    {
      g_autoptr(GFile) locked = write_file (fixture, "locked.bin", "secret", -1);
      g_autofree char *locked_path = g_file_get_path (locked);

      g_assert_cmpint (g_chmod (locked_path, 0), ==, 0);
      g_assert_false (sonde_multipart_stream_add_file (stream, "f", locked, NULL, NULL, &error));
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
      g_assert_nonnull (strstr (error->message, "locked.bin"));
    }

  /* Nothing was added: the body is just the closing boundary. */
  g_assert_cmpuint (sonde_multipart_stream_get_length (stream), ==,
                    strlen (sonde_multipart_stream_get_boundary (stream)) + 6);
}

static void
test_file_shrinks (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SondeMultipartStream) stream = sonde_multipart_stream_new (NULL);
  g_autoptr(GFile) file = write_file (fixture, "shrinking.bin", "0123456789", -1);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  guint8 buffer[4096];
  gssize n;

  g_assert_true (sonde_multipart_stream_add_file (stream, "f", file, NULL, NULL, &error));
  g_assert_true (g_file_set_contents (path, "01", -1, &error));

  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, NULL, &error)) > 0)
    ;
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
}

static GBytes *
read_all_nonblocking (GInputStream *stream,
                      gsize         chunk)
{
  GPollableInputStream *pollable = G_POLLABLE_INPUT_STREAM (stream);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buffer = g_malloc (chunk);

  for (;;)
    {
      gssize n;

      g_assert_true (g_pollable_input_stream_is_readable (pollable));
      n = g_pollable_input_stream_read_nonblocking (pollable, buffer, chunk, NULL, &error);
      g_assert_no_error (error);
      if (n == 0)
        break;
      g_byte_array_append (all, buffer, n);
    }
  g_assert_true (g_input_stream_close (stream, NULL, &error));

  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

static GFile *
write_pattern_file (Fixture    *fixture,
                    const char *name,
                    gsize       size)
{
  g_autofree guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i % 251);
  return write_file (fixture, name, data, size);
}

static void
async_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* libsoup splices the request body 8 KiB at a time: a pollable stream keeps every read on
 * the main thread instead of one worker-thread round trip per chunk. */
static void
test_pollable (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SondeMultipartStream) stream = sonde_multipart_stream_new (NULL);
  g_autoptr(SondeMultipartStream) clone = NULL;
  g_autoptr(SondeMultipartStream) async_clone = NULL;
  g_autoptr(GFile) big_file = write_pattern_file (fixture, "big.bin", 600 * 1024 + 5);
  g_autoptr(GFile) small_file = write_file (fixture, "small.txt", "tiny", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) nonblocking = NULL;
  g_autoptr(GBytes) blocking = NULL;
  g_autoptr(GByteArray) async_body = g_byte_array_new ();
  g_autoptr(GSource) source = NULL;
  guint8 buffer[8192];

  sonde_multipart_stream_add_text (stream, "title", "big one");
  g_assert_true (sonde_multipart_stream_add_file (stream, "big", big_file, NULL, NULL, &error));
  g_assert_true (sonde_multipart_stream_add_file (stream, "small", small_file, NULL, NULL, &error));
  g_assert_no_error (error);
  clone = sonde_multipart_stream_clone (stream);
  async_clone = sonde_multipart_stream_clone (stream);

  /* What GIO checks (g_input_stream_async_read_is_via_threads () is private) before it
   * reads in place rather than in a thread. */
  g_assert_true (G_IS_POLLABLE_INPUT_STREAM (stream));
  g_assert_true (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (stream)));

  /* The source is ready at once: there is never anything to wait for. */
  source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (stream), NULL);
  g_assert_nonnull (source);

  nonblocking = read_all_nonblocking (G_INPUT_STREAM (stream), sizeof buffer);
  g_assert_cmpuint (g_bytes_get_size (nonblocking), ==, sonde_multipart_stream_get_length (stream));
  blocking = read_all (G_INPUT_STREAM (clone), 7);
  g_assert_true (g_bytes_equal (nonblocking, blocking));

  /* GIO's async reads, as libsoup's splice makes them, and an async close. */
  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      gssize n;

      g_input_stream_read_async (G_INPUT_STREAM (async_clone), buffer, sizeof buffer,
                                 G_PRIORITY_DEFAULT, NULL, async_ready_cb, &result);
      n = g_input_stream_read_finish (G_INPUT_STREAM (async_clone), wait_for_result (&result), &error);
      g_assert_no_error (error);
      if (n == 0)
        break;
      g_byte_array_append (async_body, buffer, n);
    }
  {
    g_autoptr(GAsyncResult) result = NULL;

    g_input_stream_close_async (G_INPUT_STREAM (async_clone), G_PRIORITY_DEFAULT, NULL,
                                async_ready_cb, &result);
    g_assert_true (g_input_stream_close_finish (G_INPUT_STREAM (async_clone),
                                                wait_for_result (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_cmpmem (async_body->data, async_body->len,
                   g_bytes_get_data (blocking, NULL), g_bytes_get_size (blocking));
}

static void
test_for_file (Fixture       *fixture,
               gconstpointer  data)
{
  const gsize size = 700 * 1024 + 3;
  g_autoptr(GFile) file = write_pattern_file (fixture, "body.bin", size);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(SondeMultipartStream) stream = sonde_multipart_stream_new_for_file (file, size);
  g_autoptr(SondeMultipartStream) clone = NULL;
  g_autoptr(SondeMultipartStream) cut = sonde_multipart_stream_new_for_file (file, 100);
  g_autoptr(SondeMultipartStream) shrinking = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  guint8 buffer[8192];
  gssize n;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_null (sonde_multipart_stream_get_boundary (stream));
  g_assert_cmpuint (sonde_multipart_stream_get_length (stream), ==, size);
  g_assert_true (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (stream)));

  clone = sonde_multipart_stream_clone (stream);
  body = read_all_nonblocking (G_INPUT_STREAM (stream), sizeof buffer);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), contents, length);
  again = read_all (G_INPUT_STREAM (clone), 1000 * 1000);
  g_assert_true (g_bytes_equal (body, again));

  /* The length is what was promised: a file that grew is cut, one that shrank is an error. */
  first = read_all (G_INPUT_STREAM (cut), 4096);
  g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), contents, 100);

  shrinking = sonde_multipart_stream_new_for_file (file, size);
  g_assert_cmpint (g_input_stream_read (G_INPUT_STREAM (shrinking), buffer, sizeof buffer, NULL, &error), ==, sizeof buffer);
  g_assert_cmpint (truncate (path, 2), ==, 0);
  while ((n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (shrinking),
                                                        buffer, sizeof buffer, NULL, &error)) > 0)
    ;
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
}

int
main (int argc, char *argv[])
{
  const char * const *data_dirs = g_get_system_data_dirs ();

  mime_dirs = g_new0 (char *, g_strv_length ((char **) data_dirs) + 1);
  for (guint i = 0; data_dirs[i] != NULL; i++)
    mime_dirs[i] = g_build_filename (data_dirs[i], "mime", NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/multipart-stream/format", Fixture, NULL, set_up, test_format, tear_down);
  g_test_add ("/multipart-stream/length-matches", Fixture, NULL, set_up, test_length_matches, tear_down);
  g_test_add ("/multipart-stream/clone", Fixture, NULL, set_up, test_clone, tear_down);
  g_test_add ("/multipart-stream/guess", Fixture, NULL, set_up, test_guess, tear_down);
  g_test_add ("/multipart-stream/unreadable", Fixture, NULL, set_up, test_unreadable, tear_down);
  g_test_add ("/multipart-stream/file-shrinks", Fixture, NULL, set_up, test_file_shrinks, tear_down);
  g_test_add ("/multipart-stream/pollable", Fixture, NULL, set_up, test_pollable, tear_down);
  g_test_add ("/multipart-stream/for-file", Fixture, NULL, set_up, test_for_file, tear_down);

  return g_test_run ();
}
