/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>

#include "sonde-core.h"

/* Model */

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
test_model_changed (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeBodyPart) part = NULL;
  g_autoptr(GFile) file = g_file_new_for_path ("/tmp/x.request.json");
  SondeKeyValue *row;
  guint count = 0;

  g_signal_connect (request, "changed", G_CALLBACK (count_cb), &count);

  sonde_request_set_url (request, "https://example.com");
  g_assert_cmpuint (count, ==, 1);
  sonde_request_set_url (request, "https://example.com");
  g_assert_cmpuint (count, ==, 1);

  row = sonde_key_value_list_append (sonde_request_get_headers (request), "Accept", "*/*");
  g_assert_cmpuint (count, ==, 2);
  sonde_key_value_set_value (row, "text/plain");
  g_assert_cmpuint (count, ==, 3);
  sonde_key_value_set_enabled (row, FALSE);
  g_assert_cmpuint (count, ==, 4);
  g_object_ref (row);
  g_list_store_remove (sonde_request_get_headers (request), 0);
  g_assert_cmpuint (count, ==, 5);
  /* A removed row is no longer part of the request. */
  sonde_key_value_set_value (row, "ignored");
  g_assert_cmpuint (count, ==, 5);
  g_object_unref (row);

  sonde_key_value_list_append (sonde_request_get_params (request), "a", "1");
  sonde_key_value_list_append (sonde_request_get_cookies (request), "c", "2");
  g_assert_cmpuint (count, ==, 7);

  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_MULTIPART);
  g_assert_cmpuint (count, ==, 8);
  part = sonde_body_part_new_file ("upload", "a.bin");
  g_list_store_append (sonde_body_get_parts (sonde_request_get_body (request)), part);
  g_assert_cmpuint (count, ==, 9);
  sonde_body_part_set_filename (part, "b.bin");
  g_assert_cmpuint (count, ==, 10);
  row = sonde_key_value_list_append (sonde_body_get_fields (sonde_request_get_body (request)),
                                     "f", "v");
  g_assert_cmpuint (count, ==, 11);
  sonde_key_value_set_name (row, "g");
  g_assert_cmpuint (count, ==, 12);

  sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BEARER);
  sonde_request_options_set_verify_tls (sonde_request_get_options (request), FALSE);
  g_assert_cmpuint (count, ==, 14);

  /* Saving sets "file": not an edit. */
  sonde_request_set_file (request, file);
  g_assert_cmpuint (count, ==, 14);
}

static void
test_model_copy (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(SondeBodyPart) part = sonde_body_part_new_text ("k", "v");
  g_autoptr(SondeKeyValue) copied_row = NULL;
  const char *hosts[] = { "localhost", NULL };
  guint count = 0;

  sonde_request_set_method (request, "PATCH");
  sonde_request_set_order (request, 2000);
  sonde_key_value_list_append (sonde_request_get_headers (request), "A", "1");
  g_list_store_append (sonde_body_get_parts (sonde_request_get_body (request)), part);
  sonde_auth_set_username (sonde_request_get_auth (request), "me");
  sonde_request_options_set_no_proxy (sonde_request_get_options (request), hosts);

  copy = sonde_request_copy (request);
  g_signal_connect (request, "changed", G_CALLBACK (count_cb), &count);

  g_assert_cmpstr (sonde_request_get_method (copy), ==, "PATCH");
  g_assert_cmpint (sonde_request_get_order (copy), ==, 2000);
  g_assert_cmpstr (sonde_auth_get_username (sonde_request_get_auth (copy)), ==, "me");
  g_assert_cmpstr (sonde_request_options_get_no_proxy (sonde_request_get_options (copy))[0],
                   ==, "localhost");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (copy))), ==, 1);
  g_assert_true (sonde_request_get_body (copy) != sonde_request_get_body (request));

  /* Editing the copy leaves the original alone. */
  copied_row = g_list_model_get_item (G_LIST_MODEL (sonde_request_get_headers (copy)), 0);
  sonde_key_value_set_value (copied_row, "2");
  sonde_auth_set_username (sonde_request_get_auth (copy), "you");
  g_assert_cmpuint (count, ==, 0);
  g_assert_cmpstr (sonde_auth_get_username (sonde_request_get_auth (request)), ==, "me");

  g_assert_finalize_object (g_steal_pointer (&copy));
}

static void
test_model_enums (void)
{
  GEnumClass *klass = g_type_class_ref (SONDE_TYPE_BODY_KIND);

  g_assert_cmpstr (g_enum_get_value (klass, SONDE_BODY_MULTIPART)->value_nick, ==, "multipart");
  g_type_class_unref (klass);

  g_assert_true (G_TYPE_IS_ENUM (SONDE_TYPE_AUTH_KIND));
  g_assert_true (G_TYPE_IS_ENUM (SONDE_TYPE_API_KEY_LOCATION));
  g_assert_true (G_TYPE_IS_ENUM (SONDE_TYPE_PROXY_MODE));
  g_assert_true (G_TYPE_IS_ENUM (SONDE_TYPE_HTTP_VERSION));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/request-io/model/changed", test_model_changed);
  g_test_add_func ("/request-io/model/copy", test_model_copy);
  g_test_add_func ("/request-io/model/enums", test_model_enums);

  return g_test_run ();
}
