/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "sonde-body-store.h"

static GBytes *
pattern_new (gsize length)
{
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) (i * 7 + (i >> 8));
  return g_bytes_new_take (data, length);
}

static void
assert_range (SondeBodyStore *store,
              GBytes         *expected,
              guint64         offset,
              gsize           length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = sonde_body_store_read (store, offset, length, &error);
  gsize expected_size = g_bytes_get_size (expected);
  gsize expected_length = offset >= expected_size ? 0 : MIN (length, expected_size - offset);

  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                   (const guint8 *) g_bytes_get_data (expected, NULL) + MIN (offset, expected_size),
                   expected_length);
}

static void
test_in_memory (void)
{
  g_autoptr(SondeBodyStore) store = sonde_body_store_new (1024);
  g_autoptr(GBytes) data = pattern_new (1000);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (sonde_body_store_get_size (store), ==, 0);
  g_assert_true (sonde_body_store_append (store, g_bytes_get_data (data, NULL), 600, &error));
  g_assert_true (sonde_body_store_append (store, (const guint8 *) g_bytes_get_data (data, NULL) + 600,
                                          400, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_body_store_get_size (store), ==, 1000);
  g_assert_true (sonde_body_store_is_in_memory (store));

  whole = sonde_body_store_get_bytes (store);
  g_assert_true (g_bytes_equal (whole, data));
  assert_range (store, data, 10, 100);
  assert_range (store, data, 990, 100);
  assert_range (store, data, 5000, 100);
}

static void
test_spill (void)
{
  g_autoptr(SondeBodyStore) store = sonde_body_store_new (1000);
  g_autoptr(GBytes) data = pattern_new (5000);
  const guint8 *bytes = g_bytes_get_data (data, NULL);
  g_autoptr(GError) error = NULL;

  /* Exactly at the threshold stays in memory; one byte more spills. */
  g_assert_true (sonde_body_store_append (store, bytes, 1000, &error));
  g_assert_true (sonde_body_store_is_in_memory (store));
  g_assert_true (sonde_body_store_append (store, bytes + 1000, 1, &error));
  g_assert_no_error (error);
  g_assert_false (sonde_body_store_is_in_memory (store));
  g_assert_null (sonde_body_store_get_bytes (store));
  g_assert_true (sonde_body_store_append (store, bytes + 1001, 3999, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sonde_body_store_get_size (store), ==, 5000);

  /* Ranges across the old memory/file boundary, and past the end. */
  assert_range (store, data, 0, 5000);
  assert_range (store, data, 990, 20);
  assert_range (store, data, 999, 2);
  assert_range (store, data, 4990, 100);
  assert_range (store, data, 5000, 1);
}

static void
test_stream (void)
{
  g_autoptr(SondeBodyStore) store = sonde_body_store_new (100);
  g_autoptr(GBytes) data = pattern_new (1000);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint8 buffer[2000];
  gsize n = 0;

  g_assert_true (sonde_body_store_append (store, g_bytes_get_data (data, NULL), 50, &error));
  stream = sonde_body_store_open_stream (store, &error);
  g_assert_no_error (error);

  /* A stream opened while the body is still arriving sees later bytes too. */
  g_assert_true (g_input_stream_read_all (stream, buffer, 30, &n, NULL, &error));
  g_assert_cmpuint (n, ==, 30);
  g_assert_true (sonde_body_store_append (store, (const guint8 *) g_bytes_get_data (data, NULL) + 50,
                                          950, &error));
  g_assert_true (g_input_stream_read_all (stream, buffer + 30, sizeof buffer - 30, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 970);
  g_assert_cmpmem (buffer, 1000, g_bytes_get_data (data, NULL), 1000);
  g_assert_true (g_input_stream_close (stream, NULL, &error));
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  if (!sonde_body_store_save_finish (SONDE_BODY_STORE (object), result, error))
    g_assert_nonnull (*error);
  else
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "success marker");
}

static void
test_save (void)
{
  g_autoptr(SondeBodyStore) store = sonde_body_store_new (4096);
  g_autoptr(GBytes) data = pattern_new (300 * 1024);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sonde-test-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "body.bin", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "body.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autofree char *contents = NULL;
  gsize length = 0;
  GError *result = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "old", -1, &error));
  g_assert_true (sonde_body_store_append (store, g_bytes_get_data (data, NULL),
                                          g_bytes_get_size (data), &error));

  sonde_body_store_save_async (store, file, NULL, save_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&result);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpmem (contents, length, g_bytes_get_data (data, NULL), g_bytes_get_size (data));

  sonde_body_store_save_async (store, missing_file, NULL, save_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (result->message, missing));
  g_clear_error (&result);

  /* Only the saved file is left: no temp file beside it. */
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, &error);
    g_assert_cmpstr (g_dir_read_name (listing), ==, "body.bin");
    g_assert_null (g_dir_read_name (listing));
  }

  g_assert_true (g_file_delete (file, NULL, &error));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_finalize (void)
{
  SondeBodyStore *store = sonde_body_store_new (10);
  g_autoptr(GBytes) data = pattern_new (100);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;

  g_assert_true (sonde_body_store_append (store, g_bytes_get_data (data, NULL), 100, &error));
  stream = sonde_body_store_open_stream (store, &error);
  g_object_unref (store);
  g_clear_object (&stream);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/body-store/in-memory", test_in_memory);
  g_test_add_func ("/body-store/spill", test_spill);
  g_test_add_func ("/body-store/stream", test_stream);
  g_test_add_func ("/body-store/save", test_save);
  g_test_add_func ("/body-store/finalize", test_finalize);

  return g_test_run ();
}
