/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "sonde-cookie-store.h"
#include "sonde-test-utils.h"

typedef struct
{
  char  *dir;
  GFile *file;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("sonde-cookies-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->file = g_file_new_build_filename (fixture->dir, "jar", "cookies.txt", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sonde_test_remove_tree (fixture->dir);
  g_clear_object (&fixture->file);
  g_free (fixture->dir);
}

static void
set_cookie (SondeCookieStore *store,
            const char       *url,
            const char       *header)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  soup_cookie_jar_set_cookie (sonde_cookie_store_get_jar (store), uri, header);
}

/* "a=1; b=2" as the jar would send to URL. */
static char *
cookies_for (SondeCookieStore *store,
             const char       *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return soup_cookie_jar_get_cookies (sonde_cookie_store_get_jar (store), uri, TRUE);
}

static SondeCookieStore *
load_store (GFile *file)
{
  g_autoptr(GError) error = NULL;
  SondeCookieStore *store = sonde_cookie_store_new_for_file (file);

  g_assert_true (sonde_cookie_store_load (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sonde_cookie_store_get_loaded (store));
  return store;
}

static void
write_file (GFile      *file,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *path = g_file_get_path (file);

  g_mkdir_with_parents (g_file_peek_path (parent), 0700);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
read_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_load_contents (file, NULL, &contents, NULL, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_persist_reload (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = load_store (fixture->file);
  g_autoptr(SondeCookieStore) reloaded = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  set_cookie (store, "http://api.example.com/v1/login", "session=abc; Path=/");
  set_cookie (store, "https://api.example.com/", "token=t0k; Max-Age=3600; Secure; HttpOnly");
  set_cookie (store, "http://api.example.com/", "wide=1; Domain=example.com; Max-Age=3600");
  set_cookie (store, "http://127.0.0.1:8080/", "ip=4");
  before = sonde_cookie_store_list_cookies (store);
  g_assert_cmpuint (before->len, ==, 4);

  g_assert_true (sonde_cookie_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (g_file_peek_path (fixture->file), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  contents = read_file (fixture->file);
  g_assert_true (g_str_has_prefix (contents, "# Netscape HTTP Cookie File\n"));
  g_assert_nonnull (strstr (contents, "api.example.com\tFALSE\t/\tFALSE\t0\tsession\tabc\n"));
  g_assert_nonnull (strstr (contents, "#HttpOnly_api.example.com\tFALSE\t/\tTRUE\t"));
  g_assert_nonnull (strstr (contents, ".example.com\tTRUE\t/\tFALSE\t"));
  g_assert_nonnull (strstr (contents, "127.0.0.1\tFALSE\t/\tFALSE\t0\tip\t4\n"));

  reloaded = load_store (fixture->file);
  after = sonde_cookie_store_list_cookies (reloaded);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    {
      SoupCookie *a = g_ptr_array_index (before, i);
      SoupCookie *b = g_ptr_array_index (after, i);
      GDateTime *expires_a = soup_cookie_get_expires (a);
      GDateTime *expires_b = soup_cookie_get_expires (b);

      g_assert_cmpstr (soup_cookie_get_name (a), ==, soup_cookie_get_name (b));
      g_assert_cmpstr (soup_cookie_get_value (a), ==, soup_cookie_get_value (b));
      g_assert_cmpstr (soup_cookie_get_domain (a), ==, soup_cookie_get_domain (b));
      g_assert_cmpstr (soup_cookie_get_path (a), ==, soup_cookie_get_path (b));
      g_assert_cmpint (soup_cookie_get_secure (a), ==, soup_cookie_get_secure (b));
      g_assert_cmpint (soup_cookie_get_http_only (a), ==, soup_cookie_get_http_only (b));
      g_assert_cmpint (expires_a == NULL, ==, expires_b == NULL);
      if (expires_a != NULL)
        g_assert_cmpint (g_date_time_to_unix (expires_a), ==, g_date_time_to_unix (expires_b));
    }
}

static void
test_expired_dropped (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = NULL;
  g_autoptr(GPtrArray) cookies = NULL;
  g_autofree char *contents = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  contents = g_strdup_printf ("# Netscape HTTP Cookie File\n"
                              "\n"
                              "example.com\tFALSE\t/\tFALSE\t%" G_GINT64_FORMAT "\told\tgone\r\n"
                              "example.com\tFALSE\t/\tFALSE\t%" G_GINT64_FORMAT "\tfresh\tkept\n"
                              "example.com\tFALSE\t/\tFALSE\t0\tsession\tkept\n"
                              "example.com\tFALSE\t/\tFALSE\t0\tempty\n",
                              now - 10, now + 3600);
  write_file (fixture->file, contents);

  store = load_store (fixture->file);
  cookies = sonde_cookie_store_list_cookies (store);
  g_assert_cmpuint (cookies->len, ==, 3);
  g_assert_cmpstr (soup_cookie_get_name (g_ptr_array_index (cookies, 0)), ==, "empty");
  g_assert_cmpstr (soup_cookie_get_value (g_ptr_array_index (cookies, 0)), ==, "");
  g_assert_cmpstr (soup_cookie_get_name (g_ptr_array_index (cookies, 1)), ==, "fresh");
  g_assert_cmpstr (soup_cookie_get_name (g_ptr_array_index (cookies, 2)), ==, "session");
  g_assert_null (soup_cookie_get_expires (g_ptr_array_index (cookies, 2)));
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_saved_after_change (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = load_store (fixture->file);
  g_autofree char *contents = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_assert_false (g_file_query_exists (fixture->file, NULL));
  set_cookie (store, "http://example.com/", "a=1");

  timeout_id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (!timed_out && !g_file_query_exists (fixture->file, NULL))
    g_main_context_iteration (NULL, TRUE);
  /* The file is in place before the write task lets go of the store; the worker thread may
   * drop the task's last reference after its callback ran, which wakes no main loop: poll. */
  while (!timed_out && G_OBJECT (store)->ref_count > 1)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  contents = read_file (fixture->file);
  g_assert_nonnull (strstr (contents, "\ta\t1\n"));
  g_assert_null (sonde_cookie_store_get_save_error (store));

  /* Changes after that are written on dispose at the latest. */
  set_cookie (store, "http://example.com/", "b=2");
  g_assert_finalize_object (g_steal_pointer (&store));
  g_clear_pointer (&contents, g_free);
  contents = read_file (fixture->file);
  g_assert_nonnull (strstr (contents, "\tb\t2\n"));
}

static void
test_atomic_write (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (fixture->file);
  g_autofree char *old_contents = NULL;
  char buffer[256] = { 0 };
  const char *name;
  int fd;

  write_file (fixture->file, "example.com\tFALSE\t/\tFALSE\t0\told\t1\n");
  /* Whoever has the old file open keeps reading the old file: it was replaced, not rewritten. */
  fd = g_open (g_file_peek_path (fixture->file), O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);

  store = load_store (fixture->file);
  set_cookie (store, "http://example.com/", "new=2");
  g_assert_true (sonde_cookie_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (read (fd, buffer, sizeof buffer - 1), >, 0);
  g_assert_cmpstr (buffer, ==, "example.com\tFALSE\t/\tFALSE\t0\told\t1\n");
  close (fd);

  /* No temp file is left behind. */
  dir = g_dir_open (g_file_peek_path (parent), 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_cmpstr (name, ==, "cookies.txt");

  old_contents = read_file (fixture->file);
  g_assert_nonnull (strstr (old_contents, "\told\t1\n"));
  g_assert_nonnull (strstr (old_contents, "\tnew\t2\n"));
}

static void
assert_set_aside (SondeCookieStore *store,
                  GFile            *file,
                  const char       *original)
{
  GFile *set_aside = sonde_cookie_store_get_set_aside_file (store);
  g_autofree char *basename = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) set_aside_parent = NULL;

  g_assert_nonnull (set_aside);
  basename = g_file_get_basename (set_aside);
  g_assert_true (g_str_has_prefix (basename, "cookies.txt.corrupt-"));
  set_aside_parent = g_file_get_parent (set_aside);
  g_assert_true (g_file_equal (parent, set_aside_parent));
  g_assert_false (g_file_query_exists (file, NULL));
  if (original != NULL)
    {
      contents = read_file (set_aside);
      g_assert_cmpstr (contents, ==, original);
    }
}

static void
test_corrupt_set_aside (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *garbage = "# Netscape HTTP Cookie File\nexample.com\tFALSE\t/\tFALSE\t0\tok\t1\nthis is not a cookie\n";
  g_autoptr(SondeCookieStore) store = sonde_cookie_store_new_for_file (fixture->file);
  g_autoptr(GPtrArray) cookies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) property_error = NULL;
  g_autofree char *set_aside_path = NULL;
  g_autofree char *contents = NULL;

  write_file (fixture->file, garbage);
  g_assert_false (sonde_cookie_store_load (store, NULL, &error));
  g_assert_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, g_file_peek_path (fixture->file)));
  g_assert_nonnull (strstr (error->message, "line 3"));
  set_aside_path = g_file_get_path (sonde_cookie_store_get_set_aside_file (store));
  g_assert_nonnull (strstr (error->message, set_aside_path));

  g_object_get (store, "load-error", &property_error, NULL);
  g_assert_error (property_error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT);
  assert_set_aside (store, fixture->file, garbage);

  /* The jar goes on, empty, and saves to the original name; the bad file stays as it was. */
  cookies = sonde_cookie_store_list_cookies (store);
  g_assert_cmpuint (cookies->len, ==, 0);
  set_cookie (store, "http://example.com/", "fresh=1");
  g_assert_true (sonde_cookie_store_save (store, NULL));
  contents = read_file (fixture->file);
  g_assert_nonnull (strstr (contents, "\tfresh\t1\n"));
  g_clear_pointer (&contents, g_free);
  contents = read_file (sonde_cookie_store_get_set_aside_file (store));
  g_assert_cmpstr (contents, ==, garbage);
}

static void
test_binary_set_aside (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = sonde_cookie_store_new_for_file (fixture->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (fixture->file);

  g_mkdir_with_parents (g_file_peek_path (parent), 0700);
  g_assert_true (g_file_replace_contents (fixture->file, "\x01\x00\x02", 3, NULL, FALSE, 0, NULL, NULL, &error));
  g_assert_false (sonde_cookie_store_load (store, NULL, &error));
  g_assert_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT);
  assert_set_aside (store, fixture->file, NULL);
}

static void
test_unreadable_set_aside (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = sonde_cookie_store_new_for_file (fixture->file);
  g_autoptr(GError) error = NULL;

  /* A folder where the file should be: unreadable as a file, even for root. */
  g_assert_cmpint (g_mkdir_with_parents (g_file_peek_path (fixture->file), 0700), ==, 0);
  g_assert_false (sonde_cookie_store_load (store, NULL, &error));
  g_assert_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, g_file_peek_path (fixture->file)));
  g_assert_nonnull (strstr (error->message, "could not be read"));
  assert_set_aside (store, fixture->file, NULL);
  g_assert_true (g_file_test (g_file_peek_path (sonde_cookie_store_get_set_aside_file (store)), G_FILE_TEST_IS_DIR));

  set_cookie (store, "http://example.com/", "a=1");
  g_assert_true (sonde_cookie_store_save (store, NULL));
  g_assert_true (g_file_test (g_file_peek_path (fixture->file), G_FILE_TEST_IS_REGULAR));
}

static void
test_missing_folder (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (fixture->dir, "not-a-folder", NULL);
  g_autoptr(GFile) file = g_file_new_build_filename (blocker, "cookies.txt", NULL);
  g_autoptr(SondeCookieStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* A file where a folder of the path should be: no jar there yet, an empty one, and a
   * save that fails in words (and only once on dispose). */
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  store = load_store (file);
  set_cookie (store, "http://example.com/", "a=1");
  g_assert_false (sonde_cookie_store_flush (store, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (sonde_cookie_store_get_save_error (store));
}

static void
test_not_saved_before_load (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = sonde_cookie_store_new_for_file (fixture->file);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *original = "example.com\tFALSE\t/\tFALSE\t0\tkeep\tme\n";

  write_file (fixture->file, original);
  set_cookie (store, "http://example.com/", "early=1");
  g_assert_false (sonde_cookie_store_save (store, &error));
  g_assert_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_NOT_SAVED);
  contents = read_file (fixture->file);
  g_assert_cmpstr (contents, ==, original);

  /* Loading merges the file with what arrived before, and the result is written. */
  g_assert_true (sonde_cookie_store_load (store, NULL, NULL));
  g_assert_true (sonde_cookie_store_flush (store, NULL));
  g_clear_pointer (&contents, g_free);
  contents = read_file (fixture->file);
  g_assert_nonnull (strstr (contents, "\tkeep\tme\n"));
  g_assert_nonnull (strstr (contents, "\tearly\t1\n"));
}

static void
test_clear_and_remove (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = load_store (fixture->file);
  g_autoptr(SondeCookieStore) reloaded = NULL;
  g_autoptr(GPtrArray) cookies = NULL;
  g_autofree char *sent = NULL;

  set_cookie (store, "http://example.com/", "a=1");
  set_cookie (store, "http://example.com/docs/", "a=2; Path=/docs");
  set_cookie (store, "http://example.com/", "b=3; Domain=example.com");

  g_assert_false (sonde_cookie_store_remove_cookie (store, "a", "other.com", "/"));
  g_assert_false (sonde_cookie_store_remove_cookie (store, "a", "example.com", "/nope"));
  g_assert_true (sonde_cookie_store_remove_cookie (store, "a", "example.com", "/docs"));
  g_assert_true (sonde_cookie_store_remove_cookie (store, "b", ".example.com", "/"));
  /* A value edited: the same cookie otherwise */
  g_assert_false (sonde_cookie_store_set_value (store, "a", "other.com", "/", "x"));
  g_assert_true (sonde_cookie_store_set_value (store, "a", "example.com", "/", "edited"));
  g_assert_true (sonde_cookie_store_flush (store, NULL));

  reloaded = load_store (fixture->file);
  cookies = sonde_cookie_store_list_cookies (reloaded);
  g_assert_cmpuint (cookies->len, ==, 1);
  g_assert_cmpstr (soup_cookie_get_value (g_ptr_array_index (cookies, 0)), ==, "edited");
  g_clear_object (&reloaded);

  sonde_cookie_store_clear (store);
  g_clear_pointer (&cookies, g_ptr_array_unref);
  cookies = sonde_cookie_store_list_cookies (store);
  g_assert_cmpuint (cookies->len, ==, 0);
  sent = cookies_for (store, "http://example.com/");
  g_assert_null (sent);
  g_assert_true (sonde_cookie_store_flush (store, NULL));

  reloaded = load_store (fixture->file);
  g_clear_pointer (&cookies, g_ptr_array_unref);
  cookies = sonde_cookie_store_list_cookies (reloaded);
  g_assert_cmpuint (cookies->len, ==, 0);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
assert_sent (SondeCookieStore *store,
             const char       *url,
             const char       *expected)
{
  g_autofree char *sent = cookies_for (store, url);
  g_auto(GStrv) names = NULL;
  g_autofree char *sorted = NULL;

  /* Order follows path length, then creation: compare as sets. */
  if (sent != NULL)
    {
      names = g_strsplit (sent, "; ", -1);
      qsort (names, g_strv_length (names), sizeof (char *), compare_strings);
      sorted = g_strjoinv ("; ", names);
    }
  g_assert_cmpstr (sorted, ==, expected);
}

static void
check_isolation (SondeCookieStore *store)
{
  assert_sent (store, "http://a.example.com/", "host=a; wide=1");
  assert_sent (store, "http://b.example.com/", "wide=1");
  assert_sent (store, "http://sub.a.example.com/", "wide=1");
  assert_sent (store, "http://example.org/", NULL);
  assert_sent (store, "http://127.0.0.1:1234/", "ip=1");
  assert_sent (store, "http://127.0.0.2/", NULL);
  assert_sent (store, "http://localhost/", NULL);
  assert_sent (store, "http://a.example.com/api/x", "api=1; host=a; wide=1");
  assert_sent (store, "http://a.example.com/apis", "host=a; wide=1");
  assert_sent (store, "https://s.example.com/", "sec=1; wide=1");
  assert_sent (store, "http://s.example.com/", "wide=1");
}

static void
test_cross_host_isolation (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = load_store (fixture->file);
  g_autoptr(SondeCookieStore) reloaded = NULL;

  set_cookie (store, "http://a.example.com/", "host=a");
  set_cookie (store, "http://a.example.com/", "wide=1; Domain=example.com");
  set_cookie (store, "http://a.example.com/api/", "api=1; Path=/api");
  set_cookie (store, "https://s.example.com/", "sec=1; Secure");
  set_cookie (store, "http://127.0.0.1:8080/", "ip=1");
  /* Refused: another registrable domain, and a public suffix. */
  set_cookie (store, "http://a.example.com/", "evil=1; Domain=example.org");
  set_cookie (store, "http://a.example.com/", "tld=1; Domain=com");
  check_isolation (store);

  /* Host-only and domain cookies keep their scope through the file. */
  g_assert_true (sonde_cookie_store_save (store, NULL));
  reloaded = load_store (fixture->file);
  check_isolation (reloaded);
}

static void
test_default_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) collection = g_file_new_build_filename (fixture->dir, "my-api", NULL);
  g_autoptr(GFile) other = g_file_new_build_filename (fixture->dir, "other-api", NULL);
  g_autoptr(GFile) file = sonde_cookie_store_get_default_file (collection);
  g_autoptr(GFile) other_file = sonde_cookie_store_get_default_file (other);
  g_autoptr(GFile) again = sonde_cookie_store_get_default_file (collection);
  g_autoptr(GFile) cookies_dir = g_file_new_build_filename (g_get_user_data_dir (), "sonde", "cookies", NULL);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(SondeCookieStore) store = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *contents = NULL;
  g_autofree char *header = NULL;

  g_assert_true (g_file_equal (parent, cookies_dir));
  g_assert_cmpuint (strlen (basename), ==, 16 + strlen (".txt"));
  g_assert_true (g_str_has_suffix (basename, ".txt"));
  g_assert_true (g_file_equal (file, again));
  g_assert_false (g_file_equal (file, other_file));
  g_assert_false (g_file_has_prefix (file, collection));

  store = sonde_cookie_store_new_for_owner (collection);
  g_assert_true (g_file_equal (sonde_cookie_store_get_file (store), file));
  g_assert_true (sonde_cookie_store_load (store, NULL, NULL));
  set_cookie (store, "http://example.com/", "a=1");
  g_assert_true (sonde_cookie_store_save (store, NULL));
  contents = read_file (file);
  header = g_strdup_printf ("# Sonde cookie jar for %s\n", g_file_peek_path (collection));
  g_assert_nonnull (strstr (contents, header));
  g_assert_true (g_file_delete (file, NULL, NULL));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} LoadOutcome;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LoadOutcome *outcome = user_data;

  outcome->ok = sonde_cookie_store_load_finish (SONDE_COOKIE_STORE (object), result, &outcome->error);
  outcome->done = TRUE;
}

static void
test_load_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SondeCookieStore) store = NULL;
  g_autoptr(SondeCookieStore) corrupt = NULL;
  g_autoptr(GPtrArray) cookies = NULL;
  LoadOutcome outcome = { 0 };

  write_file (fixture->file, "example.com\tFALSE\t/\tFALSE\t0\ta\t1\n");
  store = sonde_cookie_store_new_for_file (fixture->file);
  sonde_cookie_store_load_async (store, NULL, load_cb, &outcome);
  g_assert_false (sonde_cookie_store_get_loaded (store));
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_true (sonde_cookie_store_get_loaded (store));
  cookies = sonde_cookie_store_list_cookies (store);
  g_assert_cmpuint (cookies->len, ==, 1);

  write_file (fixture->file, "nonsense\n");
  corrupt = sonde_cookie_store_new_for_file (fixture->file);
  outcome.done = FALSE;
  sonde_cookie_store_load_async (corrupt, NULL, load_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT);
  g_clear_error (&outcome.error);
  g_assert_nonnull (sonde_cookie_store_get_load_error (corrupt));
  assert_set_aside (corrupt, fixture->file, "nonsense\n");
}

static void
test_parse_errors (void)
{
  const struct { const char *text; const char *cause; } cases[] = {
    { "example.com\tFALSE\t/\n", "line 1: expected 7 fields" },
    { "\nexample.com\tMAYBE\t/\tFALSE\t0\ta\t1\n", "line 2: “MAYBE” is not TRUE or FALSE" },
    { "example.com\tFALSE\t/\tFALSE\tsoon\ta\t1\n", "“soon” is not an expiry time" },
    { "example.com\tFALSE\tnopath\tFALSE\t0\ta\t1\n", "“nopath” is not a path" },
    { "example.com\tFALSE\t/\tFALSE\t0\ta\t1\textra\n", "found 8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) cookies = sonde_cookies_from_text (cases[i].text, strlen (cases[i].text), 0, &error);

      g_assert_null (cookies);
      g_assert_error (error, SONDE_COOKIE_STORE_ERROR, SONDE_COOKIE_STORE_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, cases[i].cause));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/cookie-store/persist-reload", test_persist_reload);
  ADD ("/cookie-store/expired-dropped", test_expired_dropped);
  ADD ("/cookie-store/saved-after-change", test_saved_after_change);
  ADD ("/cookie-store/atomic-write", test_atomic_write);
  ADD ("/cookie-store/corrupt-set-aside", test_corrupt_set_aside);
  ADD ("/cookie-store/binary-set-aside", test_binary_set_aside);
  ADD ("/cookie-store/unreadable-set-aside", test_unreadable_set_aside);
  ADD ("/cookie-store/missing-folder", test_missing_folder);
  ADD ("/cookie-store/not-saved-before-load", test_not_saved_before_load);
  ADD ("/cookie-store/clear-and-remove", test_clear_and_remove);
  ADD ("/cookie-store/cross-host-isolation", test_cross_host_isolation);
  ADD ("/cookie-store/default-file", test_default_file);
  ADD ("/cookie-store/load-async", test_load_async);
#undef ADD
  g_test_add_func ("/cookie-store/parse-errors", test_parse_errors);

  return g_test_run ();
}
