/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "sonde-collection-private.h"
#include "sonde-core.h"
#include "sonde-json-file.h"
#include "sonde-request-io.h"
#include "sonde-test-utils.h"

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

  /* Saving sets "file": not an edit; nor is where the request's relative paths start. */
  sonde_request_set_file (request, file);
  g_assert_cmpuint (count, ==, 14);
  {
    g_autoptr(GFile) dir = g_file_new_for_path ("/tmp");

    sonde_request_set_base_dir (request, dir);
    g_assert_cmpuint (count, ==, 14);
  }

  sonde_request_set_name (request, "Renamed");
  sonde_request_set_method (request, "POST");
  sonde_request_set_order (request, 3000);
  g_assert_cmpuint (count, ==, 17);
  /* Through GObject too, once per property. */
  g_object_set (request, "name", "Again", "url", "https://example.org", NULL);
  g_assert_cmpuint (count, ==, 19);
}

static void
log_notify_cb (SondeRequest *request,
               GParamSpec   *pspec,
               GString      *log)
{
  g_string_append_printf (log, "notify:%s=%s ", pspec->name, sonde_request_get_url (request));
}

static void
log_changed_cb (SondeRequest *request,
                GString      *log)
{
  g_string_append_printf (log, "changed=%s ", sonde_request_get_url (request));
}

/* "changed" comes after "notify", and both see the new value. */
static void
test_model_changed_order (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(GString) log = g_string_new (NULL);

  g_signal_connect (request, "changed", G_CALLBACK (log_changed_cb), log);
  g_signal_connect (request, "notify::url", G_CALLBACK (log_notify_cb), log);

  sonde_request_set_url (request, "https://example.com/a");
  g_assert_cmpstr (log->str, ==, "notify:url=https://example.com/a changed=https://example.com/a ");
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

  /* Empty lists are copied as new empty lists, not shared. */
  g_assert_true (sonde_request_get_params (copy) != sonde_request_get_params (request));
  g_assert_true (sonde_body_get_fields (sonde_request_get_body (copy)) !=
                 sonde_body_get_fields (sonde_request_get_body (request)));
  sonde_key_value_list_append (sonde_request_get_params (copy), "p", "1");
  sonde_key_value_list_append (sonde_body_get_fields (sonde_request_get_body (copy)), "f", "1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_params (request))), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_body_get_fields (sonde_request_get_body (request)))), ==, 0);
  g_assert_cmpuint (count, ==, 0);

  /* Every auth field is copied, empty ones read as "", and each side changes on its own. */
  {
    SondeAuth *auth = sonde_request_get_auth (request);
    g_autoptr(SondeAuth) auth_copy = NULL;

    sonde_auth_set_password (auth, "secret");
    sonde_auth_set_oauth (auth, SONDE_OAUTH_CLIENT_ID, "client");
    auth_copy = sonde_auth_copy (auth);
    g_assert_cmpstr (sonde_auth_get_password (auth_copy), ==, "secret");
    g_assert_cmpstr (sonde_auth_get_oauth (auth_copy, SONDE_OAUTH_CLIENT_ID), ==, "client");
    g_assert_cmpstr (sonde_auth_get_token (auth_copy), ==, "");
    g_assert_cmpstr (sonde_auth_get_region (auth_copy), ==, "");
    sonde_auth_set_password (auth, NULL);
    sonde_auth_set_token (auth_copy, "t");
    g_assert_cmpstr (sonde_auth_get_password (auth), ==, "");
    g_assert_cmpstr (sonde_auth_get_password (auth_copy), ==, "secret");
    g_assert_cmpstr (sonde_auth_get_token (auth), ==, "");
    g_assert_cmpstr (sonde_auth_get_token (auth_copy), ==, "t");
  }

  g_assert_finalize_object (g_steal_pointer (&copy));
}

/* The copies made on the way to the wire hold the same values, and do not watch their rows. */
static void
test_model_snapshot (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeRequest) snapshot = NULL;
  g_autoptr(SondeKeyValue) row = NULL;
  guint count = 0;

  sonde_request_set_url (request, "https://example.com/a");
  sonde_key_value_list_append (sonde_request_get_headers (request), "A", "1");
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_FORM);
  sonde_key_value_list_append (sonde_body_get_fields (sonde_request_get_body (request)), "f", "v");
  sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BEARER);
  sonde_request_options_set_timeout (sonde_request_get_options (request), 5);

  snapshot = sonde_request_copy_snapshot (request);
  g_assert_true (sonde_request_is_snapshot (snapshot));
  g_assert_false (sonde_request_is_snapshot (request));
  g_assert_cmpstr (sonde_request_get_url (snapshot), ==, "https://example.com/a");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (snapshot))), ==, 1);
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (snapshot)), ==, SONDE_BODY_FORM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_body_get_fields (sonde_request_get_body (snapshot)))), ==, 1);
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (snapshot)), ==, SONDE_AUTH_BEARER);
  g_assert_cmpfloat (sonde_request_options_get_timeout (sonde_request_get_options (snapshot)), ==, 5);

  g_signal_connect (snapshot, "changed", G_CALLBACK (count_cb), &count);
  row = g_list_model_get_item (G_LIST_MODEL (sonde_request_get_headers (snapshot)), 0);
  sonde_key_value_set_value (row, "2");
  sonde_key_value_list_append (sonde_request_get_params (snapshot), "p", "1");
  sonde_auth_set_token (sonde_request_get_auth (snapshot), "t");
  g_assert_cmpuint (count, ==, 0);
  sonde_request_set_url (snapshot, "https://example.com/b");
  g_assert_cmpuint (count, ==, 1);

  /* The original is untouched, and a copy of the snapshot watches again. */
  g_clear_object (&row);
  row = g_list_model_get_item (G_LIST_MODEL (sonde_request_get_headers (request)), 0);
  g_assert_cmpstr (sonde_key_value_get_value (row), ==, "1");
  {
    g_autoptr(SondeRequest) copy = sonde_request_copy (snapshot);
    g_autoptr(SondeKeyValue) copied = g_list_model_get_item (G_LIST_MODEL (sonde_request_get_headers (copy)), 0);
    guint copy_count = 0;

    g_signal_connect (copy, "changed", G_CALLBACK (count_cb), &copy_count);
    sonde_key_value_set_value (copied, "3");
    g_assert_cmpuint (copy_count, ==, 1);
  }

  g_assert_finalize_object (g_steal_pointer (&snapshot));
}

/* A request's parts are made when first asked for: a loaded request that has none, and
 * its copies, make none, read as the defaults, and write the same file. */
static void
test_model_lazy_parts (void)
{
  const char *text = "{\n  \"method\": \"GET\",\n  \"url\": \"https://example.com/a\"\n}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) loaded = sonde_request_load_from_data (text, -1, NULL, &error);
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(SondeRequest) snapshot = NULL;
  g_autoptr(SondeRequest) other = sonde_request_new ();
  g_autofree char *data = NULL;
  GListStore *headers;
  SondeAuth *shared_auth;
  guint count = 0;

  g_assert_no_error (error);
  g_assert_null (sonde_request_peek_params (loaded));
  g_assert_null (sonde_request_peek_headers (loaded));
  g_assert_null (sonde_request_peek_cookies (loaded));
  g_assert_null (sonde_request_peek_body (loaded));
  g_assert_null (sonde_request_peek_auth (loaded));
  g_assert_null (sonde_request_peek_options (loaded));
  g_assert_cmpint (sonde_request_get_auth_kind (loaded), ==, SONDE_AUTH_INHERIT);
  g_assert_cmpint (sonde_request_get_body_kind (loaded), ==, SONDE_BODY_NONE);
  g_assert_cmpuint (sonde_rows_count (sonde_request_peek_headers (loaded)), ==, 0);

  /* Reading gives one shared default of each, and makes nothing */
  shared_auth = sonde_request_read_auth (loaded);
  g_assert_true (shared_auth == sonde_request_read_auth (other));
  g_assert_cmpint (sonde_auth_get_kind (shared_auth), ==, SONDE_AUTH_INHERIT);
  g_assert_true (sonde_request_read_body (loaded) == sonde_request_read_body (other));
  g_assert_cmpint (sonde_body_get_kind (sonde_request_read_body (loaded)), ==, SONDE_BODY_NONE);
  g_assert_true (sonde_request_options_sets_nothing (sonde_request_read_options (loaded)));
  g_assert_null (sonde_request_peek_auth (loaded));

  /* Copies of it make none either; the file written is the one read */
  copy = sonde_request_copy (loaded);
  snapshot = sonde_request_copy_snapshot (loaded);
  g_assert_null (sonde_request_peek_headers (copy));
  g_assert_null (sonde_request_peek_body (copy));
  g_assert_null (sonde_request_peek_auth (snapshot));
  g_assert_null (sonde_request_peek_options (snapshot));
  data = sonde_request_to_data (loaded, "a.request.json", NULL);
  g_assert_cmpstr (data, ==, text);

  /* A part made later is the request's own, watched like the others */
  g_signal_connect (copy, "changed", G_CALLBACK (count_cb), &count);
  headers = sonde_request_get_headers (copy);
  g_assert_true (G_LIST_MODEL (headers) == sonde_request_peek_headers (copy));
  g_assert_true (headers == sonde_request_get_headers (copy));
  g_assert_cmpuint (count, ==, 0);
  sonde_key_value_list_append (headers, "A", "1");
  g_assert_cmpuint (count, ==, 1);
  sonde_auth_set_kind (sonde_request_get_auth (copy), SONDE_AUTH_BEARER);
  g_assert_cmpuint (count, ==, 2);
  g_assert_false (sonde_request_get_auth (copy) == shared_auth);
  sonde_body_set_kind (sonde_request_get_body (copy), SONDE_BODY_FORM);
  sonde_key_value_list_append (sonde_body_get_fields (sonde_request_get_body (copy)), "f", "v");
  g_assert_cmpuint (count, ==, 4);
  sonde_request_options_set_timeout (sonde_request_get_options (copy), 5);
  g_assert_cmpuint (count, ==, 5);
  g_assert_null (sonde_request_peek_headers (loaded));
  g_assert_cmpint (sonde_auth_get_kind (shared_auth), ==, SONDE_AUTH_INHERIT);

  /* Assigning from a request without parts empties them */
  sonde_request_assign_parts (copy, loaded, SONDE_REQUEST_PART_HEADERS | SONDE_REQUEST_PART_AUTH);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (copy))), ==, 0);
  g_assert_cmpint (sonde_request_get_auth_kind (copy), ==, SONDE_AUTH_INHERIT);

  /* Made but empty lists, and options that set nothing, are not copied; the rest is */
  {
    g_autoptr(SondeRequest) again = NULL;

    sonde_request_options_set_timeout (sonde_request_get_options (other), 3);
    sonde_request_get_params (other);
    again = sonde_request_copy_snapshot (other);
    g_assert_null (sonde_request_peek_params (again));
    g_assert_nonnull (sonde_request_peek_options (again));
    g_assert_cmpfloat (sonde_request_options_get_timeout (sonde_request_peek_options (again)), ==, 3);
    g_clear_object (&again);
    g_clear_object (&other);
    other = sonde_request_new ();
    sonde_request_get_options (other);
    again = sonde_request_copy (other);
    g_assert_null (sonde_request_peek_options (again));
  }

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&loaded));
}

/* The shared default parts are for reading: a change to one is refused loudly. */
static void
test_model_shared_default (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SondeRequest) request = sonde_request_new ();

      sonde_auth_set_username (sonde_request_read_auth (request), "x");
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*shared default SondeAuth of requests was changed*");
}

/* A process without an editor makes requests that do not watch their parts. */
static void
test_model_unwatched (void)
{
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeRequest) copy = NULL;
  guint count = 0;

  sonde_request_set_watch_parts (FALSE);
  request = sonde_request_new ();
  copy = sonde_request_copy (request);
  sonde_request_set_watch_parts (TRUE);
  /* Unwatched, but not a snapshot: what sonde_request_copy () made may change after a send */
  g_assert_false (sonde_request_is_snapshot (copy));

  g_signal_connect (request, "changed", G_CALLBACK (count_cb), &count);
  g_signal_connect (copy, "changed", G_CALLBACK (count_cb), &count);
  sonde_key_value_list_append (sonde_request_get_headers (request), "A", "1");
  sonde_auth_set_kind (sonde_request_get_auth (copy), SONDE_AUTH_BEARER);
  g_assert_cmpuint (count, ==, 0);
  sonde_request_set_url (request, "https://example.com");
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (request))), ==, 1);
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 GPtrArray  *names)
{
  g_ptr_array_add (names, (gpointer) pspec->name);
}

/* Assigning options takes every value, unknown key and set key, and notifies only what
 * changed. */
static void
test_model_options_assign (void)
{
  g_autoptr(SondeRequestOptions) source = sonde_request_options_new ();
  g_autoptr(SondeRequestOptions) target = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(JsonObject) extra = json_object_new ();
  const char *hosts[] = { "localhost", "example.org", NULL };

  sonde_request_options_set_timeout (source, 5);
  sonde_request_options_set_verify_tls (source, TRUE);
  sonde_request_options_mark_set (source, "verifyTls");
  sonde_request_options_set_proxy_mode (source, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_proxy_url (source, "http://proxy:3128");
  sonde_request_options_set_no_proxy (source, hosts);
  json_object_set_string_member (extra, "future", "kept");
  sonde_request_options_set_extra (source, extra);

  target = sonde_request_options_copy (source);
  g_signal_connect (target, "notify", G_CALLBACK (notify_count_cb), names);
  sonde_request_options_assign (target, source);
  g_assert_cmpuint (names->len, ==, 0);

  sonde_request_options_set_max_body_size (source, 1024);
  sonde_request_options_set_proxy_mode (source, SONDE_PROXY_NONE);
  sonde_request_options_unset (source, "timeout");
  sonde_request_options_assign (target, source);
  g_assert_cmpuint (names->len, ==, 3);
  g_assert_true (g_ptr_array_find_with_equal_func (names, "max-body-size", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "proxy-mode", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "timeout", g_str_equal, NULL));

  g_assert_cmpuint (sonde_request_options_get_max_body_size (target), ==, 1024);
  g_assert_cmpfloat (sonde_request_options_get_timeout (target), ==, 0);
  g_assert_false (sonde_request_options_is_set (target, "timeout"));
  g_assert_true (sonde_request_options_is_set (target, "verifyTls"));
  g_assert_true (sonde_request_options_is_set (target, "maxBodySize"));
  g_assert_cmpstr (sonde_request_options_get_proxy_url (target), ==, "http://proxy:3128");
  g_assert_cmpstr (sonde_request_options_get_no_proxy (target)[1], ==, "example.org");
  g_assert_true (sonde_request_options_get_extra (target) == extra);

  /* Merging levels of which one sets anything gives that one; none, the defaults. */
  {
    g_autoptr(SondeRequestOptions) empty = sonde_request_options_new ();
    g_autoptr(GPtrArray) levels = g_ptr_array_new ();

    g_assert_true (sonde_request_options_sets_nothing (empty));
    g_assert_false (sonde_request_options_sets_nothing (source));
    g_ptr_array_add (levels, empty);
    g_ptr_array_add (levels, source);
    g_ptr_array_add (levels, empty);
    g_clear_object (&target);
    target = sonde_request_options_new ();
    g_assert_true (sonde_request_options_merge_levels (target, levels, NULL));
    g_assert_cmpuint (sonde_request_options_get_max_body_size (target), ==, 1024);
    g_assert_cmpint (sonde_request_options_get_proxy_mode (target), ==, SONDE_PROXY_NONE);
    g_assert_true (sonde_request_options_is_set (target, "verifyTls"));
    g_assert_false (sonde_request_options_is_set (target, "timeout"));

    g_ptr_array_remove_index (levels, 1);
    g_assert_true (sonde_request_options_merge_levels (target, levels, NULL));
    g_assert_true (sonde_request_options_sets_nothing (target));
    g_assert_cmpuint (sonde_request_options_get_max_body_size (target), ==, 0);
    g_assert_cmpint (sonde_request_options_get_proxy_mode (target), ==, SONDE_PROXY_SYSTEM);
    /* Nothing anywhere, nothing in the target: it stays as it is. */
    g_assert_true (sonde_request_options_merge_levels (target, levels, NULL));
    g_assert_true (sonde_request_options_sets_nothing (target));
  }
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

/* Helpers */

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "requests", name, NULL);
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static SondeRequest *
load_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SondeRequest *request;

  request = sonde_request_load (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  return request;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sonde-request-io-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_chmod (path, 0755);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static SondeKeyValue *
get_row (GListStore *store,
         guint       position)
{
  SondeKeyValue *row = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_object_unref (row); /* the store keeps it alive */
  return row;
}

/* Round trip of every fixture: what Sonde wrote, it reads and writes back byte for byte. */

static const char *fixtures[] = {
  "create-user.request.json",
  "text-inline.request.json",
  "text-sidecar.request.json",
  "xml-sidecar.request.json",
  "form.request.json",
  "multipart.request.json",
  "file.request.json",
  "options.request.json",
  "pkcs12.request.json",
  "ntlm.request.json",
  "aws.request.json",
  "graphql.request.json",
  "unknown-keys.request.json",
  "future-kinds.request.json",
};

/* NTLM takes the user name (DOMAIN\user) and password, like Basic and Digest. */
static void
test_ntlm_auth (void)
{
  g_autoptr(SondeRequest) request = load_fixture ("ntlm.request.json");
  SondeAuth *auth = sonde_request_get_auth (request);

  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_NTLM);
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "CORP\\alice");
  g_assert_cmpstr (sonde_auth_get_password (auth), ==, "{{password}}");
}

/* AWS Signature v4: the access key, secret key and session token are credentials, the
 * region and service plain settings. */
static void
test_aws_auth (void)
{
  g_autoptr(SondeRequest) request = load_fixture ("aws.request.json");
  SondeAuth *auth = sonde_request_get_auth (request);

  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_AWS_SIGV4);
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "{{aws_access_key}}");
  g_assert_cmpstr (sonde_auth_get_password (auth), ==, "{{aws_secret_key}}");
  g_assert_cmpstr (sonde_auth_get_token (auth), ==, "{{aws_session_token}}");
  g_assert_cmpstr (sonde_auth_get_region (auth), ==, "eu-west-3");
  g_assert_cmpstr (sonde_auth_get_service (auth), ==, "s3");
}

static void
test_fixtures_round_trip (void)
{
  g_autofree char *temp_dir = make_temp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(SondeRequest) request = load_fixture (fixtures[i]);
      g_autofree char *expected = read_fixture (fixtures[i]);
      g_autofree char *sidecar = NULL;
      g_autofree char *data = NULL;
      g_autofree char *saved_path = g_build_filename (temp_dir, fixtures[i], NULL);
      g_autoptr(GFile) saved_file = g_file_new_for_path (saved_path);
      g_autofree char *saved = NULL;
      g_autoptr(GError) error = NULL;
      const char *text_file;

      g_test_message ("fixture %s", fixtures[i]);
      data = sonde_request_to_data (request, fixtures[i], &sidecar);
      g_assert_cmpstr (data, ==, expected);

      text_file = sonde_body_get_text_file (sonde_request_get_body (request));
      if (text_file != NULL)
        {
          g_autofree char *expected_sidecar = read_fixture (text_file);
          g_autofree char *saved_sidecar_path = g_build_filename (temp_dir, text_file, NULL);
          g_autofree char *saved_sidecar = NULL;

          g_assert_cmpstr (sidecar, ==, expected_sidecar);

          sonde_request_save (request, saved_file, NULL, &error);
          g_assert_no_error (error);
          saved_sidecar = read_text (saved_sidecar_path);
          g_assert_cmpstr (saved_sidecar, ==, expected_sidecar);
        }
      else
        {
          g_assert_null (sidecar);
          sonde_request_save (request, saved_file, NULL, &error);
          g_assert_no_error (error);
        }

      saved = read_text (saved_path);
      g_assert_cmpstr (saved, ==, expected);
      g_assert_true (g_file_equal (sonde_request_get_file (request), saved_file));
    }

  remove_tree (temp_dir);
}

/* The fixtures mean what they say. */

static void
test_fixtures_values (void)
{
  g_autoptr(SondeRequest) create = load_fixture ("create-user.request.json");
  g_autoptr(SondeRequest) text = load_fixture ("text-inline.request.json");
  g_autoptr(SondeRequest) xml = load_fixture ("xml-sidecar.request.json");
  g_autoptr(SondeRequest) form = load_fixture ("form.request.json");
  g_autoptr(SondeRequest) multipart = load_fixture ("multipart.request.json");
  g_autoptr(SondeRequest) file = load_fixture ("file.request.json");
  g_autoptr(SondeRequest) options_request = load_fixture ("options.request.json");
  g_autoptr(SondeRequest) pkcs12 = load_fixture ("pkcs12.request.json");
  g_autoptr(SondeRequest) future = load_fixture ("future-kinds.request.json");
  g_autoptr(SondeBodyPart) part = NULL;
  g_autofree char *dir_path = fixture_path (".");
  g_autoptr(GFile) dir = g_file_new_for_path (dir_path);
  SondeRequestOptions *options;
  SondeBody *body;
  SondeAuth *auth;
  SondeKeyValue *row;

  g_assert_cmpstr (sonde_request_get_name (create), ==, "Create user");
  g_assert_cmpint (sonde_request_get_order (create), ==, 2000);
  g_assert_cmpstr (sonde_request_get_method (create), ==, "POST");
  g_assert_cmpstr (sonde_request_get_url (create), ==, "{{base_url}}/users");
  g_assert_true (g_file_equal (sonde_request_get_base_dir (create), dir));
  row = get_row (sonde_request_get_params (create), 0);
  g_assert_cmpstr (sonde_key_value_get_name (row), ==, "verbose");
  g_assert_false (sonde_key_value_get_enabled (row));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (create))), ==, 3);
  row = get_row (sonde_request_get_headers (create), 2);
  g_assert_cmpstr (sonde_key_value_get_value (row), ==, "off");
  g_assert_true (sonde_key_value_get_enabled (row));
  body = sonde_request_get_body (create);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_JSON);
  g_assert_cmpstr (sonde_body_get_text_file (body), ==, "create-user.body.json");
  g_assert_true (g_str_has_prefix (sonde_body_get_text (body), "{\n  \"name\": \"Ada Lovelace\""));
  auth = sonde_request_get_auth (create);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_BEARER);
  g_assert_cmpstr (sonde_auth_get_token (auth), ==, "{{token}}");
  options = sonde_request_get_options (create);
  g_assert_cmpfloat (sonde_request_options_get_timeout (options), ==, 30);
  g_assert_cmpint (sonde_request_options_get_max_redirects (options), ==, 5);
  g_assert_false (sonde_request_options_get_verify_tls (options));
  g_assert_true (sonde_request_options_get_follow_redirects (options));

  body = sonde_request_get_body (text);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_TEXT);
  g_assert_cmpstr (sonde_body_get_text (body), ==, "hello, world");
  g_assert_null (sonde_body_get_text_file (body));
  g_assert_cmpstr (sonde_body_get_content_type (body), ==, "text/plain; charset=utf-8");
  auth = sonde_request_get_auth (text);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_BASIC);
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "ada");
  g_assert_cmpstr (sonde_auth_get_password (auth), ==, "{{password}}");

  body = sonde_request_get_body (xml);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_XML);
  g_assert_cmpstr (sonde_body_get_text (body), ==, "<?xml version=\"1.0\"?>\n<envelope>\n  <body/>\n</envelope>\n");
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (xml)), ==, SONDE_AUTH_DIGEST);

  body = sonde_request_get_body (form);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_FORM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_body_get_fields (body))), ==, 2);
  g_assert_false (sonde_key_value_get_enabled (get_row (sonde_body_get_fields (body), 1)));
  auth = sonde_request_get_auth (form);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_API_KEY);
  g_assert_cmpstr (sonde_auth_get_key_name (auth), ==, "X-Api-Key");
  g_assert_cmpint (sonde_auth_get_key_location (auth), ==, SONDE_API_KEY_IN_HEADER);

  body = sonde_request_get_body (multipart);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_MULTIPART);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_body_get_parts (body))), ==, 3);
  part = g_list_model_get_item (G_LIST_MODEL (sonde_body_get_parts (body)), 1);
  g_assert_cmpstr (sonde_body_part_get_file (part), ==, "photos/beach.jpg");
  g_assert_cmpstr (sonde_body_part_get_filename (part), ==, "beach.jpg");
  g_assert_cmpstr (sonde_body_part_get_content_type (part), ==, "image/jpeg");
  g_clear_object (&part);
  part = g_list_model_get_item (G_LIST_MODEL (sonde_body_get_parts (body)), 0);
  g_assert_null (sonde_body_part_get_file (part));
  g_assert_cmpstr (sonde_body_part_get_value (part), ==, "Holiday");
  g_assert_cmpint (sonde_auth_get_key_location (sonde_request_get_auth (multipart)), ==,
                   SONDE_API_KEY_IN_QUERY);

  body = sonde_request_get_body (file);
  g_assert_cmpint (sonde_body_get_kind (body), ==, SONDE_BODY_FILE);
  g_assert_cmpstr (sonde_body_get_file (body), ==, "data/blob.bin");

  options = sonde_request_get_options (options_request);
  g_assert_cmpfloat (sonde_request_options_get_timeout (options), ==, 2.5);
  g_assert_cmpfloat (sonde_request_options_get_connect_timeout (options), ==, 3);
  g_assert_false (sonde_request_options_get_follow_redirects (options));
  g_assert_cmpint (sonde_request_options_get_max_redirects (options), ==, 0);
  g_assert_cmpstr (sonde_request_options_get_ca_file (options), ==, "certs/ca.pem");
  g_assert_cmpstr (sonde_request_options_get_client_cert (options), ==, "certs/client.pem");
  g_assert_cmpstr (sonde_request_options_get_client_key (options), ==, "certs/client.key");
  g_assert_cmpstr (sonde_request_options_get_client_passphrase (options), ==, "{{cert_pass}}");
  g_assert_cmpint (sonde_request_options_get_proxy_mode (options), ==, SONDE_PROXY_CUSTOM);
  g_assert_cmpstr (sonde_request_options_get_proxy_url (options), ==, "http://proxy.example.com:3128");
  g_assert_cmpstr (sonde_request_options_get_proxy_username (options), ==, "proxy-user");
  g_assert_cmpstr (sonde_request_options_get_proxy_password (options), ==, "{{proxy_pass}}");
  g_assert_cmpstr (sonde_request_options_get_no_proxy (options)[2], ==, ".internal");
  g_assert_cmpint (sonde_request_options_get_http_version (options), ==, SONDE_HTTP_VERSION_1_1);
  g_assert_cmpuint (sonde_request_options_get_max_body_size (options), ==, 1073741824);

  options = sonde_request_get_options (pkcs12);
  g_assert_cmpstr (sonde_request_options_get_client_pkcs12 (options), ==, "certs/client.p12");
  g_assert_null (sonde_request_options_get_client_cert (options));
  g_assert_cmpint (sonde_request_options_get_proxy_mode (options), ==, SONDE_PROXY_NONE);

  /* Kinds from a newer Sonde send nothing, but are kept. */
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (future)), ==, SONDE_BODY_NONE);
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (future)), ==, SONDE_AUTH_NONE);
}

/* Requests built in code give exactly the documented bytes. */

static SondeRequest *
build_create_user (void)
{
  SondeRequest *request = sonde_request_new ();
  SondeBody *body = sonde_request_get_body (request);
  SondeAuth *auth = sonde_request_get_auth (request);
  SondeRequestOptions *options = sonde_request_get_options (request);
  SondeKeyValue *row;

  sonde_request_set_name (request, "Create user");
  sonde_request_set_order (request, 2000);
  sonde_request_set_method (request, "POST");
  sonde_request_set_url (request, "{{base_url}}/users");
  row = sonde_key_value_list_append (sonde_request_get_params (request), "verbose", "1");
  sonde_key_value_set_enabled (row, FALSE);
  sonde_key_value_list_append (sonde_request_get_headers (request), "Accept", "application/json");
  sonde_key_value_list_append (sonde_request_get_headers (request), "X-Trace", "on");
  sonde_key_value_list_append (sonde_request_get_headers (request), "X-Trace", "off");
  sonde_key_value_list_append (sonde_request_get_cookies (request), "session_id", "{{session}}");
  sonde_body_set_kind (body, SONDE_BODY_JSON);
  sonde_body_set_text (body, "{\n  \"name\": \"Ada Lovelace\",\n  \"email\": \"ada@example.com\"\n}\n");
  sonde_auth_set_kind (auth, SONDE_AUTH_BEARER);
  sonde_auth_set_token (auth, "{{token}}");
  sonde_request_options_set_timeout (options, 30);
  sonde_request_options_set_max_redirects (options, 5);
  sonde_request_options_set_verify_tls (options, FALSE);

  return request;
}

static void
test_build_create_user (void)
{
  g_autoptr(SondeRequest) request = build_create_user ();
  g_autofree char *expected = read_fixture ("create-user.request.json");
  g_autofree char *expected_sidecar = read_fixture ("create-user.body.json");
  g_autofree char *sidecar = NULL;
  g_autofree char *data = NULL;

  data = sonde_request_to_data (request, "create-user.request.json", &sidecar);
  g_assert_cmpstr (data, ==, expected);
  g_assert_cmpstr (sidecar, ==, expected_sidecar);
  /* The sidecar's name is now remembered. */
  g_assert_cmpstr (sonde_body_get_text_file (sonde_request_get_body (request)), ==,
                   "create-user.body.json");
}

static void
test_build_options (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  SondeRequestOptions *options = sonde_request_get_options (request);
  const char *hosts[] = { "localhost", "127.0.0.1", ".internal", NULL };
  g_autofree char *expected = read_fixture ("options.request.json");
  g_autofree char *data = NULL;

  sonde_request_set_name (request, "Every option");
  sonde_request_set_url (request, "https://example.com/");
  /* Set in another order than the file's: the file's order is fixed. */
  sonde_request_options_set_max_body_size (options, 1073741824);
  sonde_request_options_set_http_version (options, SONDE_HTTP_VERSION_1_1);
  sonde_request_options_set_no_proxy (options, hosts);
  sonde_request_options_set_proxy_password (options, "{{proxy_pass}}");
  sonde_request_options_set_proxy_username (options, "proxy-user");
  sonde_request_options_set_proxy_url (options, "http://proxy.example.com:3128");
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_CUSTOM);
  sonde_request_options_set_client_passphrase (options, "{{cert_pass}}");
  sonde_request_options_set_client_key (options, "certs/client.key");
  sonde_request_options_set_client_cert (options, "certs/client.pem");
  sonde_request_options_set_ca_file (options, "certs/ca.pem");
  sonde_request_options_set_verify_tls (options, FALSE);
  sonde_request_options_set_max_redirects (options, 0);
  sonde_request_options_set_follow_redirects (options, FALSE);
  sonde_request_options_set_connect_timeout (options, 3);
  sonde_request_options_set_timeout (options, 2.5);

  data = sonde_request_to_data (request, "options.request.json", NULL);
  g_assert_cmpstr (data, ==, expected);
}

static void
test_build_multipart_and_form (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  SondeBody *body = sonde_request_get_body (request);
  SondeAuth *auth = sonde_request_get_auth (request);
  g_autoptr(SondeBodyPart) title = sonde_body_part_new_text ("title", "Holiday");
  g_autoptr(SondeBodyPart) photo = sonde_body_part_new_file ("photo", "photos/beach.jpg");
  g_autoptr(SondeBodyPart) raw = sonde_body_part_new_file ("raw", "/tmp/raw.bin");
  g_autofree char *expected = read_fixture ("multipart.request.json");
  g_autofree char *expected_form = read_fixture ("form.request.json");
  g_autofree char *data = NULL;
  g_autofree char *form_data = NULL;
  SondeKeyValue *row;

  sonde_request_set_method (request, "POST");
  sonde_request_set_url (request, "https://example.com/upload");
  sonde_body_set_kind (body, SONDE_BODY_MULTIPART);
  sonde_body_part_set_filename (photo, "beach.jpg");
  sonde_body_part_set_content_type (photo, "image/jpeg");
  sonde_body_part_set_enabled (raw, FALSE);
  g_list_store_append (sonde_body_get_parts (body), title);
  g_list_store_append (sonde_body_get_parts (body), photo);
  g_list_store_append (sonde_body_get_parts (body), raw);
  sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
  sonde_auth_set_key_name (auth, "key");
  sonde_auth_set_key_value (auth, "abc");
  sonde_auth_set_key_location (auth, SONDE_API_KEY_IN_QUERY);
  /* Values of other kinds stay in memory but not in the file. */
  sonde_auth_set_username (auth, "not written");
  sonde_body_set_text (body, "not written");
  sonde_key_value_list_append (sonde_body_get_fields (body), "user", "ada");
  row = sonde_key_value_list_append (sonde_body_get_fields (body), "remember", "yes");
  sonde_key_value_set_enabled (row, FALSE);

  data = sonde_request_to_data (request, "multipart.request.json", NULL);
  g_assert_cmpstr (data, ==, expected);

  /* Switching kind loses nothing: the fields were there all along. */
  sonde_body_set_kind (body, SONDE_BODY_FORM);
  sonde_body_set_text (body, "");
  sonde_request_set_url (request, "https://example.com/login");
  sonde_auth_set_kind (auth, SONDE_AUTH_API_KEY);
  sonde_auth_set_key_name (auth, "X-Api-Key");
  sonde_auth_set_key_value (auth, "{{api_key}}");
  sonde_auth_set_key_location (auth, SONDE_API_KEY_IN_HEADER);
  form_data = sonde_request_to_data (request, "form.request.json", NULL);
  g_assert_cmpstr (form_data, ==, expected_form);
}

static void
test_build_defaults_omitted (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  SondeRequestOptions *options = sonde_request_get_options (request);
  SondeAuth *auth = sonde_request_get_auth (request);
  SondeBody *body = sonde_request_get_body (request);
  g_autofree char *data = NULL;
  g_autofree char *sidecar = NULL;

  sonde_request_set_url (request, "https://example.com/");
  /* Defaults set explicitly, values of inactive kinds, empty strings: none is written. */
  sonde_request_options_set_timeout (options, 0);
  sonde_request_options_set_follow_redirects (options, TRUE);
  sonde_request_options_set_max_redirects (options, 10);
  sonde_request_options_set_verify_tls (options, TRUE);
  sonde_request_options_set_ca_file (options, "");
  sonde_request_options_set_proxy_mode (options, SONDE_PROXY_SYSTEM);
  sonde_request_options_set_http_version (options, SONDE_HTTP_VERSION_AUTO);
  sonde_auth_set_token (auth, "unused");
  sonde_body_set_text (body, "unused");
  sonde_body_set_content_type (body, "text/plain");

  data = sonde_request_to_data (request, "x.request.json", &sidecar);
  g_assert_cmpstr (data, ==,
                   "{\n"
                   "  \"method\": \"GET\",\n"
                   "  \"url\": \"https://example.com/\"\n"
                   "}\n");
  g_assert_null (sidecar);
}

/* An option at its default value is kept when the file has it, or when a setter changed
 * it: it overrides the folders' value. unset() makes it inherited again. */

static void
test_build_explicit_defaults (void)
{
  const char *data = "{\n"
                     "  \"method\": \"GET\",\n"
                     "  \"url\": \"https://example.com/\",\n"
                     "  \"options\": {\n"
                     "    \"timeout\": 0,\n"
                     "    \"followRedirects\": true,\n"
                     "    \"maxRedirects\": 10,\n"
                     "    \"verifyTls\": true,\n"
                     "    \"caFile\": \"\",\n"
                     "    \"clientCertificate\": {},\n"
                     "    \"proxy\": {\"mode\": \"system\"},\n"
                     "    \"httpVersion\": \"auto\",\n"
                     "    \"maxBodySize\": 0\n"
                     "  }\n"
                     "}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) loaded = NULL;
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(SondeRequest) request = sonde_request_new ();
  SondeRequestOptions *options = sonde_request_get_options (request);
  g_autofree char *saved = NULL;
  g_autofree char *copy_saved = NULL;
  g_autofree char *built = NULL;
  g_autofree char *unset = NULL;

  loaded = sonde_request_load_from_data (data, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_request_options_is_set (sonde_request_get_options (loaded), "verifyTls"));
  g_assert_true (sonde_request_options_is_set (sonde_request_get_options (loaded), "proxy"));
  g_assert_false (sonde_request_options_is_set (sonde_request_get_options (loaded), "connectTimeout"));
  saved = sonde_request_to_data (loaded, "x.request.json", NULL);
  g_assert_cmpstr (saved, ==, data);
  copy = sonde_request_copy (loaded);
  copy_saved = sonde_request_to_data (copy, "x.request.json", NULL);
  g_assert_cmpstr (copy_saved, ==, data);

  /* A setter marks its key when it changes the value, even back to the default. */
  sonde_request_set_url (request, "https://example.com/");
  sonde_request_options_set_verify_tls (options, TRUE);
  g_assert_false (sonde_request_options_is_set (options, "verifyTls"));
  sonde_request_options_set_verify_tls (options, FALSE);
  sonde_request_options_set_verify_tls (options, TRUE);
  g_assert_true (sonde_request_options_is_set (options, "verifyTls"));
  sonde_request_options_set_max_body_size (options, 5);
  built = sonde_request_to_data (request, "x.request.json", NULL);
  g_assert_cmpstr (built, ==,
                   "{\n"
                   "  \"method\": \"GET\",\n"
                   "  \"url\": \"https://example.com/\",\n"
                   "  \"options\": {\"verifyTls\": true, \"maxBodySize\": 5}\n"
                   "}\n");

  sonde_request_options_unset (options, "verifyTls");
  sonde_request_options_unset (options, "maxBodySize");
  g_assert_false (sonde_request_options_is_set (options, "verifyTls"));
  g_assert_cmpuint (sonde_request_options_get_max_body_size (options), ==, 0);
  unset = sonde_request_to_data (request, "x.request.json", NULL);
  g_assert_cmpstr (unset, ==,
                   "{\n"
                   "  \"method\": \"GET\",\n"
                   "  \"url\": \"https://example.com/\"\n"
                   "}\n");
}

/* No "auth" key inherits the folder's auth; {"type": "none"} opts out of it, and stays. */

static void
test_auth_inherit_and_none (void)
{
  const char *none_data = "{\n"
                          "  \"method\": \"GET\",\n"
                          "  \"url\": \"https://example.com/\",\n"
                          "  \"auth\": {\"type\": \"none\"}\n"
                          "}\n";
  const char *inherit_data = "{\n"
                             "  \"method\": \"GET\",\n"
                             "  \"url\": \"https://example.com/\"\n"
                             "}\n";
  g_autoptr(SondeRequest) fresh = sonde_request_new ();
  g_autoptr(SondeRequest) none = NULL;
  g_autoptr(SondeRequest) inherit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *none_out = NULL;
  g_autofree char *inherit_out = NULL;
  g_autofree char *chosen_out = NULL;
  GEnumClass *klass;

  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (fresh)), ==, SONDE_AUTH_INHERIT);
  klass = g_type_class_ref (SONDE_TYPE_AUTH_KIND);
  g_assert_cmpstr (g_enum_get_value (klass, SONDE_AUTH_INHERIT)->value_nick, ==, "inherit");
  g_type_class_unref (klass);

  none = sonde_request_load_from_data (none_data, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (none)), ==, SONDE_AUTH_NONE);
  none_out = sonde_request_to_data (none, "x.request.json", NULL);
  g_assert_cmpstr (none_out, ==, none_data);

  inherit = sonde_request_load_from_data (inherit_data, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (inherit)), ==, SONDE_AUTH_INHERIT);
  inherit_out = sonde_request_to_data (inherit, "x.request.json", NULL);
  g_assert_cmpstr (inherit_out, ==, inherit_data);

  /* Choosing None in the editor writes it. */
  sonde_auth_set_kind (sonde_request_get_auth (inherit), SONDE_AUTH_NONE);
  chosen_out = sonde_request_to_data (inherit, "x.request.json", NULL);
  g_assert_cmpstr (chosen_out, ==, none_data);
}

/* Unknown keys survive an edit, at every level. */

static void
test_unknown_keys (void)
{
  g_autoptr(SondeRequest) request = load_fixture ("unknown-keys.request.json");
  g_autofree char *original = read_fixture ("unknown-keys.request.json");
  g_autoptr(GString) expected = g_string_new (original);
  g_autofree char *data = NULL;
  SondeKeyValue *row;

  g_assert_nonnull (sonde_request_get_extra (request));
  row = get_row (sonde_request_get_params (request), 0);
  g_assert_true (json_object_has_member (sonde_key_value_get_extra (row), "description"));
  g_assert_nonnull (sonde_body_get_extra (sonde_request_get_body (request)));
  g_assert_nonnull (sonde_auth_get_extra (sonde_request_get_auth (request)));
  g_assert_nonnull (sonde_request_options_get_extra (sonde_request_get_options (request)));

  sonde_key_value_set_value (row, "2");
  sonde_auth_set_token (sonde_request_get_auth (request), "u");
  sonde_request_options_set_client_key (sonde_request_get_options (request), "other.pem");
  g_string_replace (expected, "\"value\": \"1\",\n      \"description\"",
                    "\"value\": \"2\",\n      \"description\"", 1);
  g_string_replace (expected, "\"token\": \"t\"", "\"token\": \"u\"", 1);
  g_string_replace (expected, "\"key\": \"k.pem\"", "\"key\": \"other.pem\"", 1);

  data = sonde_request_to_data (request, "unknown-keys.request.json", NULL);
  g_assert_cmpstr (data, ==, expected->str);

  /* A copy keeps them too. */
  {
    g_autoptr(SondeRequest) copy = sonde_request_copy (request);
    g_autofree char *copy_data = sonde_request_to_data (copy, "unknown-keys.request.json", NULL);

    g_assert_cmpstr (copy_data, ==, expected->str);
  }
}

/* Sidecar files */

static void
test_sidecar (void)
{
  g_autofree char *temp_dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (temp_dir, "new.request.json", NULL);
  g_autofree char *sidecar_path = g_build_filename (temp_dir, "new.body.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeRequest) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *sidecar = NULL;
  g_autofree char *long_line = g_strnfill (121, 'x');
  g_autofree char *short_line = g_strnfill (120, 'x');
  const char *json = "{\n  \"a\": 1\n}\n";
  SondeBody *body = sonde_request_get_body (request);

  sonde_request_set_method (request, "POST");
  sonde_request_set_url (request, "http://127.0.0.1/");
  sonde_body_set_kind (body, SONDE_BODY_JSON);
  sonde_body_set_text (body, json);

  sonde_request_save (request, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_body_get_text_file (body), ==, "new.body.json");
  sidecar = read_text (sidecar_path);
  g_assert_cmpstr (sidecar, ==, json);
  data = read_text (path);
  g_assert_nonnull (strstr (data, "\"body\": {\"type\": \"json\", \"file\": \"new.body.json\"}"));

  loaded = sonde_request_load (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (loaded)), ==, json);
  g_assert_cmpstr (sonde_body_get_text_file (sonde_request_get_body (loaded)), ==, "new.body.json");

  /* Names and extensions of new sidecars */
  {
    g_autoptr(SondeRequest) other = sonde_request_new ();
    SondeBody *other_body = sonde_request_get_body (other);
    g_autofree char *text_sidecar = NULL;
    g_autofree char *inline_data = NULL;
    g_autofree char *out = NULL;

    sonde_body_set_kind (other_body, SONDE_BODY_XML);
    sonde_body_set_text (other_body, "<a>\n</a>");
    g_free (sonde_request_to_data (other, "plain.json", NULL));
    g_assert_cmpstr (sonde_body_get_text_file (other_body), ==, "plain.body.xml");

    /* Short single-line text stays inline, a long line does not. */
    sonde_body_set_text_file (other_body, NULL);
    sonde_body_set_kind (other_body, SONDE_BODY_TEXT);
    sonde_body_set_text (other_body, short_line);
    inline_data = sonde_request_to_data (other, "t.request.json", &text_sidecar);
    g_assert_null (text_sidecar);
    g_assert_null (sonde_body_get_text_file (other_body));
    g_assert_nonnull (strstr (inline_data, short_line));

    sonde_body_set_text (other_body, long_line);
    out = sonde_request_to_data (other, "t.request.json", &text_sidecar);
    g_assert_cmpstr (text_sidecar, ==, long_line);
    g_assert_cmpstr (sonde_body_get_text_file (other_body), ==, "t.body.txt");
    g_assert_null (strstr (out, long_line));
  }

  /* A missing sidecar is an error naming it. */
  g_assert_no_errno (g_unlink (sidecar_path));
  g_clear_object (&loaded);
  loaded = sonde_request_load (file, NULL, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  g_assert_nonnull (strstr (error->message, "new.body.json"));
  g_assert_null (loaded);
  g_clear_error (&error);

  /* Without a folder, a sidecar cannot be found. */
  loaded = sonde_request_load_from_data (data, -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  g_assert_null (loaded);

  remove_tree (temp_dir);
}

/* Hostile values survive a save and a load. */

static void
test_hostile_values (void)
{
  g_autofree char *temp_dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (temp_dir, "hostile.request.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(SondeRequest) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) binary = g_string_new (NULL);
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *big = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *data = NULL;
  const char *tricky = "quote \" backslash \\ slash / newline \n cr \r tab \t "
                       "controls \x01\x02\x1b\x1f\x7f bell \b ff \f "
                       "é 日本語 😀 \xe2\x80\xa8 {{not_a_var \\u0041 \\\"";
  SondeKeyValue *row;

  for (gunichar c = 1; c < 0x800; c++)
    g_string_append_unichar (binary, c);
  big = g_strnfill (1024 * 1024, 'A');
  big[1000] = '"';
  big[2000] = '\n';

  sonde_request_set_name (request, tricky);
  sonde_request_set_method (request, "GET");
  sonde_request_set_url (request, binary->str);
  sonde_key_value_list_append (sonde_request_get_headers (request), tricky, tricky);
  sonde_key_value_list_append (sonde_request_get_headers (request), "Big", big);
  sonde_key_value_list_append (sonde_request_get_params (request), binary->str, "");
  row = sonde_key_value_list_append (sonde_request_get_cookies (request), "", tricky);
  json_object_set_string_member (extra, tricky, tricky);
  sonde_key_value_set_extra (row, extra);
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_TEXT);
  sonde_body_set_text (sonde_request_get_body (request), big);
  sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BASIC);
  sonde_auth_set_password (sonde_request_get_auth (request), tricky);

  sonde_request_save (request, file, NULL, &error);
  g_assert_no_error (error);
  first = read_text (path);
  /* Controls are escaped, text stays UTF-8, the file is one JSON value per line. */
  g_assert_nonnull (strstr (first, "\\u0001\\u0002\\u001b\\u001f\\u007f"));
  g_assert_nonnull (strstr (first, "é 日本語 😀"));
  g_assert_nonnull (strstr (first, "\\n cr \\r tab \\t"));
  g_assert_null (strchr (first, '\r'));
  g_assert_null (strchr (first, '\t'));

  loaded = sonde_request_load (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_request_get_name (loaded), ==, tricky);
  g_assert_cmpstr (sonde_request_get_url (loaded), ==, binary->str);
  row = get_row (sonde_request_get_headers (loaded), 0);
  g_assert_cmpstr (sonde_key_value_get_name (row), ==, tricky);
  g_assert_cmpstr (sonde_key_value_get_value (row), ==, tricky);
  row = get_row (sonde_request_get_headers (loaded), 1);
  g_assert_cmpstr (sonde_key_value_get_value (row), ==, big);
  row = get_row (sonde_request_get_params (loaded), 0);
  g_assert_cmpstr (sonde_key_value_get_name (row), ==, binary->str);
  row = get_row (sonde_request_get_cookies (loaded), 0);
  g_assert_cmpstr (json_object_get_string_member (sonde_key_value_get_extra (row), tricky), ==, tricky);
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (loaded)), ==, big);
  g_assert_cmpstr (sonde_auth_get_password (sonde_request_get_auth (loaded)), ==, tricky);

  /* And the second save gives the same bytes. */
  data = sonde_request_to_data (loaded, "hostile.request.json", NULL);
  g_assert_cmpstr (data, ==, first);
  sonde_request_save (loaded, file, NULL, &error);
  g_assert_no_error (error);
  second = read_text (path);
  g_assert_cmpstr (second, ==, first);

  remove_tree (temp_dir);
}

/* Errors */

static void
test_error_parse (void)
{
  g_autofree char *temp_dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (temp_dir, "broken.request.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *broken = "{\n  \"name\": \"x\",\n  \"url\": }\n";

  request = sonde_request_load_from_data (broken, -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "line 3, column 10: "));
  g_assert_null (request);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, broken, -1, NULL));
  request = sonde_request_load (file, NULL, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "broken.request.json: line 3, column 10: "));
  g_assert_null (strstr (error->message, "<data>"));
  g_clear_error (&error);

  request = sonde_request_load_from_data ("", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_clear_error (&error);

  request = sonde_request_load_from_data ("{\"a\": \"\xff\"}", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_clear_error (&error);

  request = sonde_request_load_from_data ("[1, 2]", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  remove_tree (temp_dir);
}

/* json-glib alone reads "{…}{…}" as the first object: the second request would be lost on
 * the next save (found by tests/fuzz/fuzz-request-load). */
/* json-glib recurses on nesting: deeper than SONDE_JSON_MAX_DEPTH is refused before it. */
static void
test_error_deep_nesting (void)
{
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new ("{\"url\": \"a\",\n \"x\": ");
  g_autoptr(GString) ok = g_string_new ("{\"url\": \"a\", \"x\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "[{\"a\":");
  request = sonde_request_load_from_data (deep->str, -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 2, column 1538: the data is nested more than 512 levels deep");
  g_assert_null (request);
  g_clear_error (&error);

  /* Brackets in strings and comments do not count. */
  for (guint i = 0; i < 511; i++)
    g_string_append_c (ok, '[');
  g_string_append (ok, "\"[[[[{{{{\" /* [[[[ */");
  for (guint i = 0; i < 511; i++)
    g_string_append_c (ok, ']');
  g_string_append_c (ok, '}');
  request = sonde_request_load_from_data (ok->str, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_request_get_url (request), ==, "a");
}

static void
test_error_two_documents (void)
{
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = sonde_request_load_from_data ("{\"url\": \"a\"}\n  {\"url\": \"b\"}\n", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 2, column 3: unexpected text after the end of the document");
  g_assert_null (request);
  g_clear_error (&error);

  request = sonde_request_load_from_data ("{\"name\": \"é\"} [1]", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 1, column 15: unexpected text after the end of the document");
  g_clear_error (&error);

  /* What json-glib tolerates (control characters, comments, single quotes) is skipped. */
  request = sonde_request_load_from_data ("{\"a\": \"\x1a}\", 'b': ['{']} /* { */ {\"c\": 1}", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 1, column 33: unexpected text after the end of the document");
  g_clear_error (&error);

  /* To json-glib, "/ … /" is a comment too. */
  request = sonde_request_load_from_data ("{\"a\": 1} / x { / {\"b\": 2}", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 1, column 18: unexpected text after the end of the document");
  g_clear_error (&error);

  /* json-glib closes a comment at the next star-slash counting the opening star: slash,
   * star, slash is a whole comment, which must not hide a second request. */
  request = sonde_request_load_from_data ("{\"url\":\"a\"/*/}{\"url\":\"b\"}", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 1, column 15: unexpected text after the end of the document");
  g_clear_error (&error);

  request = sonde_request_load_from_data ("{\"url\":\"a\"}/*/{\"url\":\"b\"}", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 1, column 15: unexpected text after the end of the document");
  g_clear_error (&error);

  /* A comment that does not close: json-glib would read on (and leak what follows). */
  request = sonde_request_load_from_data ("{\"url\":\"a\"/*{\"b\": 1}/}{\"url\":\"c\"}", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 1, column 11: a comment is not closed");
  g_clear_error (&error);

  request = sonde_request_load_from_data ("{\"url\":\"a\"/*/}", -1, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&request);

  request = sonde_request_load_from_data ("{\"url\":\"a\" /**/ }", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_request_get_url (request), ==, "a");
  g_clear_object (&request);

  request = sonde_request_load_from_data ("'a' {}", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "line 1, column 5: unexpected text after the end of the document");
  g_clear_error (&error);

  /* Whitespace after the object is fine. */
  g_clear_object (&request);
  request = sonde_request_load_from_data ("{\"url\": \"a\"}\n\n  \n", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_request_get_url (request), ==, "a");
}

/* json-glib reads "\\333" in a string as the byte 0xdb and quotes it in its message
 * (found by tests/fuzz/fuzz-request-load). */
static void
test_error_parse_utf8 (void)
{
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = sonde_request_load_from_data ("{\"a\\333\" \"b\"}", -1, NULL, &error);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_test_message ("%s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (g_str_has_prefix (error->message, "line 1, column "));
  g_assert_null (request);
}

/* An unknown "-0e-07" was saved as "-0", which reads back as the integer 0: the second
 * save changed the file (found by tests/fuzz/fuzz-request-load). */
static void
test_negative_zero (void)
{
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeRequest) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;

  request = sonde_request_load_from_data ("{\"weight\": -0e-07, \"zero\": 0.0}", -1, NULL, &error);
  g_assert_no_error (error);
  saved = sonde_request_to_data (request, NULL, NULL);
  g_assert_nonnull (strstr (saved, "\"weight\": -0.0,\n"));

  reloaded = sonde_request_load_from_data (saved, -1, NULL, &error);
  g_assert_no_error (error);
  saved_again = sonde_request_to_data (reloaded, NULL, NULL);
  g_assert_cmpstr (saved_again, ==, saved);
}

static void
test_error_types (void)
{
  static const struct {
    const char *data;
    const char *message;
  } cases[] = {
    { "{\"headers\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": 5}]}",
      "“headers”[2].“name” must be a string" },
    { "{\"url\": 1}", "“url” must be a string" },
    { "{\"order\": \"first\"}", "“order” must be a whole number" },
    { "{\"order\": 1.5}", "“order” must be a whole number" },
    { "{\"params\": {}}", "“params” must be a list" },
    { "{\"cookies\": [\"a=b\"]}", "“cookies”[0] must be an object" },
    { "{\"headers\": [{\"name\": \"a\", \"enabled\": \"no\"}]}",
      "“headers”[0].“enabled” must be true or false" },
    { "{\"body\": \"text\"}", "“body” must be an object" },
    { "{\"body\": {\"text\": \"x\"}}", "“body”.“type” is missing" },
    { "{\"body\": {\"type\": \"form\", \"fields\": [{\"value\": []}]}}",
      "“body”.“fields”[0].“value” must be a string" },
    { "{\"body\": {\"type\": \"multipart\", \"parts\": [{\"name\": \"a\", \"file\": 1}]}}",
      "“body”.“parts”[0].“file” must be a string" },
    { "{\"body\": {\"type\": \"json\", \"text\": \"{}\", \"file\": \"a.json\"}}",
      "“body” has both “text” and “file”; keep one" },
    { "{\"auth\": {\"type\": \"apiKey\", \"in\": \"cookie\"}}",
      "“auth”.“in” must be “header” or “query”" },
    { "{\"auth\": {\"type\": \"basic\", \"password\": false}}",
      "“auth”.“password” must be a string" },
    { "{\"options\": {\"timeout\": \"30s\"}}", "“options”.“timeout” must be a number" },
    { "{\"options\": {\"timeout\": -1}}", "“options”.“timeout” must not be negative" },
    { "{\"options\": {\"maxRedirects\": -1}}", "“options”.“maxRedirects” must not be negative" },
    { "{\"options\": {\"verifyTls\": 0}}", "“options”.“verifyTls” must be true or false" },
    { "{\"options\": {\"httpVersion\": \"2\"}}", "“options”.“httpVersion” must be “auto” or “1.1”" },
    { "{\"options\": {\"proxy\": {\"mode\": \"pac\"}}}",
      "“options”.“proxy”.“mode” must be “system”, “none” or “custom”" },
    { "{\"options\": {\"proxy\": {\"noProxy\": [\"a\", 2]}}}",
      "“options”.“proxy”.“noProxy”[1] must be a string" },
    { "{\"options\": {\"clientCertificate\": {\"cert\": {}}}}",
      "“options”.“clientCertificate”.“cert” must be a string" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SondeRequest) request = NULL;

      request = sonde_request_load_from_data (cases[i].data, -1, NULL, &error);
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_null (request);
    }
}

/* Atomic writes */

static void
test_atomic_write (void)
{
  g_autofree char *temp_dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (temp_dir, "a.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (sonde_file_write_atomic (file, "one", 3, 0600, &error));
  g_assert_no_error (error);
  g_assert_true (sonde_file_write_atomic (file, "two", 3, 0600, &error));
  contents = read_text (path);
  g_assert_cmpstr (contents, ==, "two");
  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (count_entries (temp_dir), ==, 1);

  g_assert_true (sonde_file_write_atomic (file, "", 0, 0644, &error));
  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_cmpint (st.st_size, ==, 0);

  remove_tree (temp_dir);
}

static void
test_atomic_failure (void)
{
  g_autofree char *temp_dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (temp_dir, "old.request.json", NULL);
  g_autofree char *blocker = g_build_filename (temp_dir, "blocker.body.json", NULL);
  g_autofree char *blocker_child = g_build_filename (blocker, "child", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) directory_file = g_file_new_for_path (blocker);
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *old = "{\n  \"method\": \"GET\",\n  \"url\": \"old\"\n}\n";

  g_assert_true (g_file_set_contents (path, old, -1, NULL));

  /* The target is a folder: the rename fails after the temp file was written. This works
   * as root too, where a read-only folder stops nothing. */
  g_assert_no_errno (g_mkdir (blocker, 0755));
  g_assert_true (g_file_set_contents (blocker_child, "x", -1, NULL));
  g_assert_false (sonde_file_write_atomic (directory_file, "new", 3, 0644, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "Could not save “"));
  g_assert_nonnull (strstr (error->message, "blocker.body.json"));
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (temp_dir), ==, 2); /* no temp file left */

  /* A request whose sidecar cannot be written leaves the old request file alone. */
  sonde_request_set_url (request, "new");
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_JSON);
  sonde_body_set_text (sonde_request_get_body (request), "{\n}\n");
  sonde_body_set_text_file (sonde_request_get_body (request), "blocker.body.json");
  g_assert_false (sonde_request_save (request, file, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  contents = read_text (path);
  g_assert_cmpstr (contents, ==, old);
  g_assert_null (sonde_request_get_file (request));
  g_assert_cmpuint (count_entries (temp_dir), ==, 2);
  g_clear_pointer (&contents, g_free);

  /* A folder that does not exist */
  {
    g_autofree char *missing = g_build_filename (temp_dir, "missing", "x.request.json", NULL);
    g_autoptr(GFile) missing_file = g_file_new_for_path (missing);

    g_assert_false (sonde_file_write_atomic (missing_file, "x", 1, 0644, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "x.request.json"));
    g_clear_error (&error);
  }

  /* A read-only folder, where that means something (not as root). */
  if (geteuid () != 0)
    {
      sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_NONE);
      g_assert_no_errno (g_chmod (temp_dir, 0555));
      g_assert_false (sonde_request_save (request, file, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, "old.request.json"));
      g_assert_nonnull (strstr (error->message, "Permission denied"));
      g_clear_error (&error);
      g_assert_no_errno (g_chmod (temp_dir, 0755));
      contents = read_text (path);
      g_assert_cmpstr (contents, ==, old);
      g_assert_cmpuint (count_entries (temp_dir), ==, 2);
    }

  remove_tree (temp_dir);
}

/* Async variants */

static void
async_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autofree char *temp_dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (temp_dir, "async.request.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) dir = g_file_new_for_path (temp_dir);
  g_autoptr(SondeRequest) request = build_create_user ();
  g_autoptr(SondeRequest) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *reloaded = NULL;

  sonde_request_save_async (request, file, NULL, async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sonde_request_save_finish (request, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_equal (sonde_request_get_file (request), file));
  g_assert_true (g_file_equal (sonde_request_get_base_dir (request), dir));
  g_clear_object (&result);

  sonde_request_load_async (file, NULL, NULL, async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  loaded = sonde_request_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  expected = sonde_request_to_data (request, "async.request.json", NULL);
  reloaded = sonde_request_to_data (loaded, "async.request.json", NULL);
  g_assert_cmpstr (reloaded, ==, expected);
  g_clear_object (&result);

  /* Errors come back through finish. */
  g_assert_no_errno (g_unlink (path));
  g_clear_object (&loaded);
  sonde_request_load_async (file, NULL, NULL, async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  loaded = sonde_request_load_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (loaded);

  remove_tree (temp_dir);
}

/* Paths */

static void
test_resolve_path (void)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(GFile) base = g_file_new_for_path ("/srv/collection");
  g_autoptr(GFile) absolute = sonde_request_resolve_path (request, "/etc/ssl/ca.pem");
  g_autoptr(GFile) home = sonde_request_resolve_path (request, "~/certs/client.pem");
  g_autoptr(GFile) cwd_relative = sonde_request_resolve_path (request, "data/blob.bin");
  g_autoptr(GFile) relative = NULL;
  g_autofree char *home_expected = g_build_filename (g_get_home_dir (), "certs", "client.pem", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *cwd_expected = g_build_filename (cwd, "data", "blob.bin", NULL);
  g_autofree char *path = NULL;

  path = g_file_get_path (absolute);
  g_assert_cmpstr (path, ==, "/etc/ssl/ca.pem");
  g_free (path);
  path = g_file_get_path (home);
  g_assert_cmpstr (path, ==, home_expected);
  g_free (path);
  path = g_file_get_path (cwd_relative);
  g_assert_cmpstr (path, ==, cwd_expected);
  g_free (path);

  sonde_request_set_base_dir (request, base);
  relative = sonde_request_resolve_path (request, "data/../blob.bin");
  path = g_file_get_path (relative);
  g_assert_cmpstr (path, ==, "/srv/collection/blob.bin");
}

/* A PID that no process has: a child that has exited and been reaped. */
static int
dead_pid (void)
{
  const char *argv[] = { "true", NULL };
  GPid pid;
  int status;
  g_autoptr(GError) error = NULL;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  waitpid (pid, &status, 0);
  return pid;
}

/* What a writer killed mid-save left is removed at the next save of the same file, and
 * nothing that is not of Sonde's naming or belongs to a live writer. */
static void
test_stale_temp_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sonde-temp-XXXXXX", &error);
  g_autofree char *target = g_build_filename (dir, "a.request.json", NULL);
  g_autofree char *dead = g_strdup_printf ("%s/.a.request.json.sonde-%d-AbCdEf.tmp", dir, dead_pid ());
  g_autofree char *live = g_strdup_printf ("%s/.a.request.json.sonde-%d-AbCdEf.tmp", dir, (int) getpid ());
  g_autofree char *other_target = g_strdup_printf ("%s/.b.request.json.sonde-%d-AbCdEf.tmp", dir, dead_pid ());
  g_autofree char *old_style = g_build_filename (dir, ".a.request.json.AbCdEf", NULL);
  g_autofree char *unrelated = g_build_filename (dir, "notes.sonde-1-AbCdEf.tmp", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (target);
  const char *paths[] = { dead, live, other_target, old_style, unrelated };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_file_set_contents (paths[i], "half", -1, &error);
      g_assert_no_error (error);
    }

  sonde_file_write_atomic (file, "{}\n", 3, 0644, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other_target, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (old_style, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_EXISTS));

  /* A whole folder, as a collection's are when it is opened. */
  sonde_temp_files_clean (dir, NULL);
  g_assert_false (g_file_test (other_target, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_EXISTS));

  sonde_test_remove_tree (dir);
}

/* A request and its sidecar: when the second cannot be written, the first is not replaced
 * either, and no temp file is left. */
static void
test_atomic_pair (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sonde-pair-XXXXXX", &error);
  g_autofree char *sidecar_path = g_build_filename (dir, "a.body.json", NULL);
  g_autofree char *request_path = g_build_filename (dir, "missing-folder", "a.request.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) sidecar = g_file_new_for_path (sidecar_path);
  g_autoptr(GFile) request = g_file_new_for_path (request_path);
  g_autoptr(GDir) listing = NULL;
  guint n_files = 0;

  g_assert_no_error (error);
  g_file_set_contents (sidecar_path, "old body", -1, &error);
  g_assert_no_error (error);

  g_assert_false (sonde_file_write_atomic_pair (sidecar, "new body", request, "{}\n", 0644, &error));
  g_assert_nonnull (error);
  g_file_get_contents (sidecar_path, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "old body");
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);

  sonde_test_remove_tree (dir);
}

/* One key of a kept object changed, the others where they were */
static void
test_json_set_or_remove (void)
{
  g_autoptr(JsonNode) root = json_from_string ("{\"a\": 1, \"checks\": [], \"z\": true}", NULL);
  g_autoptr(JsonObject) copy = sonde_json_object_copy_except (json_node_get_object (root), NULL);
  g_autoptr(JsonNode) out = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  sonde_json_object_set_or_remove (copy, "checks", json_node_init_int (json_node_alloc (), 2));
  sonde_json_object_set_or_remove (copy, "new", json_node_init_int (json_node_alloc (), 3));
  sonde_json_object_set_or_remove (copy, "a", NULL);
  sonde_json_object_set_or_remove (copy, "absent", NULL);
  json_node_set_object (out, copy);
  text = json_to_string (out, FALSE);
  g_assert_cmpstr (text, ==, "{\"checks\":2,\"z\":true,\"new\":3}");
  /* The original is untouched */
  g_assert_true (json_object_has_member (json_node_get_object (root), "a"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/request-io/model/changed", test_model_changed);
  g_test_add_func ("/request-io/model/changed-order", test_model_changed_order);
  g_test_add_func ("/request-io/model/copy", test_model_copy);
  g_test_add_func ("/request-io/model/snapshot", test_model_snapshot);
  g_test_add_func ("/request-io/model/unwatched", test_model_unwatched);
  g_test_add_func ("/request-io/model/lazy-parts", test_model_lazy_parts);
  g_test_add_func ("/request-io/model/shared-default", test_model_shared_default);
  g_test_add_func ("/request-io/model/options-assign", test_model_options_assign);
  g_test_add_func ("/request-io/model/enums", test_model_enums);
  g_test_add_func ("/request-io/fixtures/round-trip", test_fixtures_round_trip);
  g_test_add_func ("/request-io/ntlm-auth", test_ntlm_auth);
  g_test_add_func ("/request-io/aws-auth", test_aws_auth);
  g_test_add_func ("/request-io/fixtures/values", test_fixtures_values);
  g_test_add_func ("/request-io/build/create-user", test_build_create_user);
  g_test_add_func ("/request-io/auth/inherit-and-none", test_auth_inherit_and_none);
  g_test_add_func ("/request-io/build/options", test_build_options);
  g_test_add_func ("/request-io/build/multipart-and-form", test_build_multipart_and_form);
  g_test_add_func ("/request-io/build/defaults-omitted", test_build_defaults_omitted);
  g_test_add_func ("/request-io/build/explicit-defaults", test_build_explicit_defaults);
  g_test_add_func ("/request-io/unknown-keys", test_unknown_keys);
  g_test_add_func ("/request-io/sidecar", test_sidecar);
  g_test_add_func ("/request-io/hostile-values", test_hostile_values);
  g_test_add_func ("/request-io/error/parse", test_error_parse);
  g_test_add_func ("/request-io/error/types", test_error_types);
  g_test_add_func ("/request-io/error/two-documents", test_error_two_documents);
  g_test_add_func ("/request-io/error/deep-nesting", test_error_deep_nesting);
  g_test_add_func ("/request-io/atomic/stale-temp-files", test_stale_temp_files);
  g_test_add_func ("/request-io/atomic/pair", test_atomic_pair);
  g_test_add_func ("/request-io/error/parse-utf8", test_error_parse_utf8);
  g_test_add_func ("/request-io/unknown-keys/negative-zero", test_negative_zero);
  g_test_add_func ("/request-io/atomic/write", test_atomic_write);
  g_test_add_func ("/request-io/atomic/failure", test_atomic_failure);
  g_test_add_func ("/request-io/async", test_async);
  g_test_add_func ("/request-io/resolve-path", test_resolve_path);
  g_test_add_func ("/request-io/json-set-or-remove", test_json_set_or_remove);

  return g_test_run ();
}
