/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sonde-error.h"
#include "sonde-history.h"
#include "sonde-request-io.h"
#include "sonde-response-private.h"
#include "sonde-test-utils.h"

typedef struct
{
  char  *path;
  GFile *dir;   /* the history folder, inside PATH, created by the first write */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->path = g_dir_make_tmp ("sonde-history-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_file_new_build_filename (fixture->path, "history", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sonde_test_remove_tree (fixture->path);
  g_clear_object (&fixture->dir);
  g_free (fixture->path);
}

static SondeRequest *
make_request (const char *name,
              const char *method,
              const char *url)
{
  SondeRequest *request = sonde_request_new ();

  sonde_request_set_name (request, name);
  sonde_request_set_method (request, method);
  sonde_request_set_url (request, url);
  return request;
}

static SondeResponse *
make_response (guint       status,
               const char *reason,
               const char *content_type)
{
  SondeResponse *response = sonde_response_new ();

  response->status = status;
  response->reason = g_strdup (reason);
  response->content_type = g_strdup (content_type);
  response->body_size = 1234;
  response->timings.total = 42.5;
  return response;
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;

  if (!sonde_history_load_finish (SONDE_HISTORY (object), result, error) && *error == NULL)
    g_assert_not_reached ();
  *(gboolean *) g_object_get_data (object, "done") = TRUE;
}

static gboolean
load (SondeHistory  *history,
      GError       **error)
{
  gboolean done = FALSE;
  GError *local_error = NULL;

  g_object_set_data (G_OBJECT (history), "done", &done);
  sonde_history_load_async (history, NULL, load_done_cb, &local_error);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_object_set_data (G_OBJECT (history), "done", NULL);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static SondeHistory *
reload (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SondeHistory *history = sonde_history_new (fixture->dir);

  g_assert_true (load (history, &error));
  g_assert_no_error (error);
  g_assert_true (sonde_history_get_loaded (history));
  return history;
}

static SondeHistoryEntry *
entry_at (SondeHistory *history,
          guint         position)
{
  g_autoptr(SondeHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), position);

  g_assert_nonnull (entry);
  return entry; /* the history keeps it alive */
}

static guint
count_files (Fixture    *fixture,
             const char *suffix)
{
  g_autofree char *path = g_file_get_path (fixture->dir);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, suffix))
      n++;
  g_dir_close (dir);
  return n;
}

/* The one entry file's contents. */
static char *
read_only_file (Fixture *fixture)
{
  g_autofree char *path = g_file_get_path (fixture->dir);
  g_autofree char *file = NULL;
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;
  char *contents = NULL;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      {
        g_assert_null (file);
        file = g_build_filename (path, name, NULL);
      }
  g_dir_close (dir);

  g_assert_nonnull (file);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  return contents;
}

static void
test_default_dir (void)
{
  g_autoptr(SondeHistory) history = sonde_history_new_default ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "sonde", "history", NULL);

  g_assert_cmpstr (g_file_peek_path (sonde_history_get_dir (history)), ==, expected);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == SONDE_TYPE_HISTORY_ENTRY);

  /* One shared history, which loads itself. */
  g_assert_true (sonde_history_get_default () == sonde_history_get_default ());
  g_assert_cmpstr (g_file_peek_path (sonde_history_get_dir (sonde_history_get_default ())), ==, expected);
  while (!sonde_history_get_loaded (sonde_history_get_default ()))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_add_and_reload (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autoptr(SondeRequest) first = make_request ("List users", "GET", "{{base}}/users");
  g_autoptr(SondeRequest) second = make_request (NULL, "POST", "https://example.com/items");
  g_autoptr(SondeRequest) third = make_request ("Refused", "DELETE", "http://127.0.0.1:1/x");
  g_autoptr(SondeResponse) response = make_response (404, "Not Found", "application/json");
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                    "Could not connect: Connection refused");
  g_autoptr(GFile) request_file = g_file_new_build_filename (fixture->path, "api", "list.request.json", NULL);
  g_autoptr(GFile) base_dir = g_file_new_build_filename (fixture->path, "api", NULL);
  g_autoptr(SondeHistory) reloaded = NULL;
  g_autoptr(SondeRequest) copy = NULL;
  g_autofree char *first_data = NULL;
  g_autofree char *copy_data = NULL;
  SondeHistoryEntry *entry;

  sonde_request_set_file (first, request_file);
  sonde_request_set_base_dir (first, base_dir);
  sonde_body_set_kind (sonde_request_get_body (second), SONDE_BODY_JSON);
  sonde_body_set_text (sonde_request_get_body (second), "{\"name\": \"x\"}\n");

  sonde_history_add (history, first, response, NULL);
  sonde_history_add (history, second, NULL, NULL);
  sonde_history_add (history, third, NULL, refused);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
  g_assert_cmpstr (sonde_history_entry_get_method (entry_at (history, 0)), ==, "DELETE");
  sonde_history_flush (history);
  g_assert_cmpuint (count_files (fixture, ".json"), ==, 3);

  reloaded = reload (fixture);
  g_assert_null (sonde_history_get_load_problems (reloaded));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 3);

  /* Newest first */
  entry = entry_at (reloaded, 0);
  g_assert_cmpstr (sonde_history_entry_get_method (entry), ==, "DELETE");
  g_assert_false (sonde_history_entry_has_response (entry));
  g_assert_cmpstr (sonde_history_entry_get_error_message (entry), ==, "Could not connect: Connection refused");
  g_assert_cmpuint (sonde_history_entry_get_status (entry), ==, 0);

  entry = entry_at (reloaded, 1);
  g_assert_cmpstr (sonde_history_entry_get_url (entry), ==, "https://example.com/items");
  g_assert_null (sonde_history_entry_get_name (entry));
  g_assert_false (sonde_history_entry_has_response (entry));
  g_assert_null (sonde_history_entry_get_error_message (entry));
  g_assert_null (sonde_history_entry_get_request_file (entry));
  copy = sonde_history_entry_dup_request (entry);
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (copy)), ==, SONDE_BODY_JSON);
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (copy)), ==, "{\"name\": \"x\"}\n");
  g_clear_object (&copy);

  entry = entry_at (reloaded, 2);
  g_assert_cmpstr (sonde_history_entry_get_name (entry), ==, "List users");
  g_assert_cmpstr (sonde_history_entry_get_url (entry), ==, "{{base}}/users");
  g_assert_true (sonde_history_entry_has_response (entry));
  g_assert_cmpuint (sonde_history_entry_get_status (entry), ==, 404);
  g_assert_cmpstr (sonde_history_entry_get_reason (entry), ==, "Not Found");
  g_assert_cmpstr (sonde_history_entry_get_content_type (entry), ==, "application/json");
  g_assert_cmpuint (sonde_history_entry_get_body_size (entry), ==, 1234);
  g_assert_cmpfloat_with_epsilon (sonde_history_entry_get_total_ms (entry), 42.5, 0.001);
  g_assert_true (g_file_equal (sonde_history_entry_get_request_file (entry), request_file));
  g_assert_true (g_file_equal (sonde_history_entry_get_base_dir (entry), base_dir));
  g_assert_false (sonde_history_entry_get_body_truncated (entry));
  g_assert_nonnull (sonde_history_entry_get_time (entry));
  g_assert_cmpint (g_date_time_compare (sonde_history_entry_get_time (entry),
                                        sonde_history_entry_get_time (entry_at (reloaded, 0))), <=, 0);

  /* Reopened: the request as written, unsaved, resolving paths where it did. */
  copy = sonde_history_entry_dup_request (entry);
  g_assert_nonnull (copy);
  g_assert_null (sonde_request_get_file (copy));
  g_assert_true (g_file_equal (sonde_request_get_base_dir (copy), base_dir));
  first_data = sonde_request_to_data (first, NULL, NULL);
  copy_data = sonde_request_to_data (copy, NULL, NULL);
  g_assert_cmpstr (copy_data, ==, first_data);

  g_assert_finalize_object (g_steal_pointer (&reloaded));
}

static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autoptr(SondeHistory) reloaded = NULL;

  sonde_history_set_max_entries (history, 5);
  g_assert_cmpuint (sonde_history_get_max_entries (history), ==, 5);

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://example.com/%u", i);
      g_autoptr(SondeRequest) request = make_request (NULL, "GET", url);

      sonde_history_add (history, request, NULL, NULL);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 5);
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (history, 0)), ==, "https://example.com/7");
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (history, 4)), ==, "https://example.com/3");
  sonde_history_flush (history);
  g_assert_cmpuint (count_files (fixture, ".json"), ==, 5);

  /* A lower bound drops the oldest at once. */
  sonde_history_set_max_entries (history, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  sonde_history_flush (history);
  g_assert_cmpuint (count_files (fixture, ".json"), ==, 2);

  reloaded = reload (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (reloaded, 0)), ==, "https://example.com/7");
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (reloaded, 1)), ==, "https://example.com/6");
}

static void
test_body_capped (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autoptr(SondeRequest) request = make_request ("Upload", "PUT", "https://example.com/big");
  g_autoptr(SondeHistory) reloaded = NULL;
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(GString) text = g_string_new ("x");
  g_autofree char *contents = NULL;
  const char *stored;
  SondeHistoryEntry *entry;

  /* Two-byte characters, offset by one: the cut must not split one. */
  while (text->len < 200 * 1024)
    g_string_append (text, "é");
  sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_TEXT);
  sonde_body_set_text (sonde_request_get_body (request), text->str);
  sonde_body_set_text_file (sonde_request_get_body (request), "upload.body.txt");

  sonde_history_add (history, request, NULL, NULL);
  g_assert_true (sonde_history_entry_get_body_truncated (entry_at (history, 0)));
  /* The request itself is not touched. */
  g_assert_cmpuint (strlen (sonde_body_get_text (sonde_request_get_body (request))), ==, text->len);
  sonde_history_flush (history);

  contents = read_only_file (fixture);
  g_assert_cmpuint (strlen (contents), <, SONDE_HISTORY_MAX_BODY_SIZE + 4096);
  g_assert_nonnull (strstr (contents, "\"bodyTruncated\": true"));
  g_assert_null (strstr (contents, "upload.body.txt"));

  reloaded = reload (fixture);
  entry = entry_at (reloaded, 0);
  g_assert_true (sonde_history_entry_get_body_truncated (entry));
  copy = sonde_history_entry_dup_request (entry);
  stored = sonde_body_get_text (sonde_request_get_body (copy));
  g_assert_cmpuint (strlen (stored), <=, SONDE_HISTORY_MAX_BODY_SIZE);
  g_assert_cmpuint (strlen (stored), >, SONDE_HISTORY_MAX_BODY_SIZE - 2);
  g_assert_true (g_utf8_validate (stored, -1, NULL));
  g_assert_true (g_str_has_prefix (text->str, stored));
  g_assert_null (sonde_body_get_text_file (sonde_request_get_body (copy)));
}

static void
test_total_size_bounded (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autofree char *text = g_strnfill (SONDE_HISTORY_MAX_BODY_SIZE, 'a');
  guint n_max = SONDE_HISTORY_MAX_BYTES / SONDE_HISTORY_MAX_BODY_SIZE;

  for (guint i = 0; i < n_max + 10; i++)
    {
      g_autoptr(SondeRequest) request = make_request (NULL, "POST", "https://example.com/");

      sonde_body_set_kind (sonde_request_get_body (request), SONDE_BODY_TEXT);
      sonde_body_set_text (sonde_request_get_body (request), text);
      sonde_history_add (history, request, NULL, NULL);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), <, n_max);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), >, n_max - 10);
  sonde_history_flush (history);
  g_assert_cmpuint (count_files (fixture, ".json"), ==, g_list_model_get_n_items (G_LIST_MODEL (history)));
}

static void
test_secrets_stay_unexpanded (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autoptr(SondeRequest) request = make_request ("Me", "GET", "{{base_url}}/me");
  g_autoptr(SondeKeyValue) header = sonde_key_value_new ("X-Api-Key", "{{api_key}}", TRUE);
  g_autoptr(SondeResponse) response = make_response (200, "OK", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *dir_path = g_file_get_path (fixture->dir);
  GDir *dir;
  const char *name;
  GStatBuf st;

  sonde_auth_set_kind (sonde_request_get_auth (request), SONDE_AUTH_BEARER);
  sonde_auth_set_token (sonde_request_get_auth (request), "{{token}}");
  g_list_store_append (sonde_request_get_headers (request), header);

  sonde_history_add (history, request, response, NULL);
  sonde_history_flush (history);

  contents = read_only_file (fixture);
  g_assert_nonnull (strstr (contents, "\"token\": \"{{token}}\""));
  g_assert_nonnull (strstr (contents, "{{api_key}}"));
  g_assert_nonnull (strstr (contents, "\"url\": \"{{base_url}}/me\""));

  /* Only the owner reads the history. */
  dir = g_dir_open (dir_path, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  g_dir_close (dir);
}

static void
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *dir = g_file_get_path (fixture->dir);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static gboolean
file_exists (Fixture    *fixture,
             const char *name)
{
  g_autofree char *dir = g_file_get_path (fixture->dir);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_corrupt_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autoptr(SondeRequest) request = make_request (NULL, "GET", "https://example.com/ok");
  g_autoptr(SondeHistory) reloaded = NULL;
  const guint set_aside[] = { 1, 2, 3, 4, 7 };
  const char * const *problems;

  sonde_history_add (history, request, NULL, NULL);
  sonde_history_flush (history);

  write_file (fixture, "0000000000000001-00000000.json", "{\"format\": 1, \"time\": ");
  write_file (fixture, "0000000000000002-00000000.json",
              "{\"format\": 1, \"time\": \"2020-01-01T00:00:00Z\"}\n");
  write_file (fixture, "0000000000000003-00000000.json",
              "{\"format\": 1, \"time\": \"yesterday\", \"request\": {}}\n");
  write_file (fixture, "0000000000000004-00000000.json",
              "{\"format\": 1, \"time\": \"2020-01-01T00:00:00Z\", \"request\": {\"headers\": 3}}\n");
  /* A newer format is left alone for the newer version. */
  write_file (fixture, "0000000000000005-00000000.json", "{\"format\": 2, \"anything\": []}\n");
  /* Not read at all: Sonde never writes one that large. */
  {
    g_autofree char *huge = g_strnfill (9 * 1024 * 1024, ' ');

    write_file (fixture, "0000000000000007-00000000.json", huge);
  }
  /* Not entries */
  write_file (fixture, "notes.txt", "hello");
  write_file (fixture, ".0000000000000006-00000000.json.ABCDEF", "partial");

  reloaded = reload (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (reloaded, 0)), ==, "https://example.com/ok");

  problems = sonde_history_get_load_problems (reloaded);
  g_assert_nonnull (problems);
  g_assert_cmpuint (g_strv_length ((GStrv) problems), ==, 5);
  for (guint i = 0; problems[i] != NULL; i++)
    {
      g_test_message ("%s", problems[i]);
      g_assert_nonnull (strstr (problems[i], "-00000000.json"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (set_aside); i++)
    {
      g_autofree char *name = g_strdup_printf ("%016u-00000000.json", set_aside[i]);
      g_autofree char *aside = g_strconcat (name, ".corrupt", NULL);

      g_assert_false (file_exists (fixture, name));
      g_assert_true (file_exists (fixture, aside));
    }
  g_assert_true (file_exists (fixture, "0000000000000005-00000000.json"));
  g_assert_true (file_exists (fixture, "notes.txt"));

  /* The next load has nothing to complain about. */
  g_clear_object (&reloaded);
  reloaded = reload (fixture);
  g_assert_null (sonde_history_get_load_problems (reloaded));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
}

static void
test_remove_and_clear (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autoptr(SondeHistory) reloaded = NULL;
  g_autoptr(SondeHistoryEntry) middle = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://example.com/%u", i);
      g_autoptr(SondeRequest) request = make_request (NULL, "GET", url);

      sonde_history_add (history, request, NULL, NULL);
    }

  middle = g_list_model_get_item (G_LIST_MODEL (history), 1);
  sonde_history_remove (history, middle);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  /* Twice is harmless. */
  sonde_history_remove (history, middle);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  sonde_history_flush (history);
  g_assert_cmpuint (count_files (fixture, ".json"), ==, 2);

  reloaded = reload (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (reloaded, 0)), ==, "https://example.com/2");
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (reloaded, 1)), ==, "https://example.com/0");
  g_clear_object (&reloaded);

  write_file (fixture, "notes.txt", "kept");
  sonde_history_clear (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  sonde_history_flush (history);
  g_assert_cmpuint (count_files (fixture, ".json"), ==, 0);
  g_assert_true (file_exists (fixture, "notes.txt"));

  reloaded = reload (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 0);
}

static void
test_add_while_loading (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autoptr(SondeHistory) second = sonde_history_new (fixture->dir);
  g_autoptr(SondeRequest) old_request = make_request (NULL, "GET", "https://example.com/old");
  g_autoptr(SondeRequest) new_request = make_request (NULL, "GET", "https://example.com/new");
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  GError *load_error = NULL;

  sonde_history_add (history, old_request, NULL, NULL);
  sonde_history_flush (history);

  g_object_set_data (G_OBJECT (second), "done", &done);
  sonde_history_load_async (second, NULL, load_done_cb, &load_error);
  sonde_history_add (second, new_request, NULL, NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (load_error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (second)), ==, 2);
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (second, 0)), ==, "https://example.com/new");
  g_assert_cmpstr (sonde_history_entry_get_url (entry_at (second, 1)), ==, "https://example.com/old");
}

static void
test_save_error (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (fixture->path, "file", NULL);
  g_autoptr(GFile) dir = g_file_new_build_filename (blocker, "history", NULL);
  g_autoptr(SondeHistory) history = NULL;
  g_autoptr(SondeRequest) request = make_request (NULL, "GET", "https://example.com/");

  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  history = sonde_history_new (dir);
  sonde_history_add (history, request, NULL, NULL);
  sonde_history_flush (history);
  while (sonde_history_get_save_error (history) == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%s", sonde_history_get_save_error (history)->message);
  /* The entry stays in memory. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SondeHistory) history = sonde_history_new (fixture->dir);
  g_autoptr(SondeRequest) request = make_request ("Create Ünicorn", "POST", "{{base}}/api/unicorns");
  g_autoptr(SondeRequest) failing = make_request (NULL, "GET", "https://down.example.com/");
  g_autoptr(SondeResponse) response = make_response (201, "Created", "application/json");
  g_autoptr(GError) error = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                                  "Host down.example.com not found");
  SondeHistoryEntry *entry;
  SondeHistoryEntry *failed;

  sonde_history_add (history, request, response, NULL);
  sonde_history_add (history, failing, NULL, error);
  entry = entry_at (history, 1);
  failed = entry_at (history, 0);

  g_assert_true (sonde_history_entry_matches (entry, NULL));
  g_assert_true (sonde_history_entry_matches (entry, ""));
  g_assert_true (sonde_history_entry_matches (entry, "  "));
  g_assert_true (sonde_history_entry_matches (entry, "post"));
  g_assert_true (sonde_history_entry_matches (entry, "unicorns"));
  g_assert_true (sonde_history_entry_matches (entry, "API/UNI"));
  g_assert_true (sonde_history_entry_matches (entry, "{{base}}"));
  g_assert_true (sonde_history_entry_matches (entry, "ünicorn"));
  g_assert_true (sonde_history_entry_matches (entry, "201"));
  g_assert_true (sonde_history_entry_matches (entry, "created"));
  g_assert_true (sonde_history_entry_matches (entry, "post 201"));
  g_assert_false (sonde_history_entry_matches (entry, "post 404"));
  g_assert_false (sonde_history_entry_matches (entry, "get"));

  g_assert_true (sonde_history_entry_matches (failed, "not found"));
  g_assert_true (sonde_history_entry_matches (failed, "down"));
  g_assert_false (sonde_history_entry_matches (failed, "unicorn"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/history/default-dir", test_default_dir);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/history/add-and-reload", test_add_and_reload);
  ADD ("/history/bounded", test_bounded);
  ADD ("/history/body-capped", test_body_capped);
  ADD ("/history/total-size-bounded", test_total_size_bounded);
  ADD ("/history/secrets-stay-unexpanded", test_secrets_stay_unexpanded);
  ADD ("/history/corrupt-files", test_corrupt_files);
  ADD ("/history/remove-and-clear", test_remove_and_clear);
  ADD ("/history/add-while-loading", test_add_while_loading);
  ADD ("/history/save-error", test_save_error);
  ADD ("/history/search", test_search);
#undef ADD

  return g_test_run ();
}
