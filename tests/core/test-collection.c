/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sonde-collection.h"
#include "sonde-collection-private.h"
#include "sonde-core.h"
#include "sonde-test-server.h"
#include "sonde-test-utils.h"

#include "collection-test-utils.h"

typedef struct
{
  char            *temp_dir;
  char            *dir;
  SondeCollection *collection;
  gboolean         async;      /* the _async () operations, on a watched collection */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
  fixture->dir = copy_fixture ("api", &fixture->temp_dir);
  dir = g_file_new_for_path (fixture->dir);
  fixture->collection = sonde_collection_load (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->collection);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* A GTask run in a thread may be released by the worker a moment after its callback. */
  while (g_atomic_int_get (&G_OBJECT (fixture->collection)->ref_count) > 1 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_finalize_object (fixture->collection);
  remove_tree (fixture->temp_dir);
  g_free (fixture->dir);
  g_free (fixture->temp_dir);
}

static SondeCollectionNode *
child_at (SondeCollectionNode *folder,
          guint                position)
{
  g_autoptr(SondeCollectionNode) child = g_list_model_get_item (sonde_collection_node_get_children (folder), position);

  g_assert_nonnull (child);
  return child; /* the folder keeps it alive */
}

/* The children's names, joined with "|". */
static char *
child_names (SondeCollectionNode *folder)
{
  GListModel *children = sonde_collection_node_get_children (folder);
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (children, i);

      if (i > 0)
        g_string_append_c (names, '|');
      g_string_append (names, sonde_collection_node_get_name (child));
    }

  return g_string_free (names, FALSE);
}

static SondeCollectionNode *
node_at (Fixture    *fixture,
         const char *relative)
{
  g_autofree char *path = g_build_filename (fixture->dir, relative, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SondeCollectionNode *node = sonde_collection_find_node (fixture->collection, file);

  g_assert_nonnull (node);
  return node;
}

static void
assert_names (SondeCollectionNode *folder,
              const char          *expected)
{
  g_autofree char *names = child_names (folder);

  g_assert_cmpstr (names, ==, expected);
}

typedef struct
{
  GHashTable *before;
  const char *dir;
} Snapshot;

static Snapshot
take_snapshot (Fixture *fixture)
{
  return (Snapshot) { snapshot (fixture->dir), fixture->dir };
}

static void
assert_changes (Snapshot   *before,
                const char *expected)
{
  g_autoptr(GHashTable) after = snapshot (before->dir);
  g_autofree char *diff = snapshot_diff (before->before, after);

  g_assert_cmpstr (diff, ==, expected);
  g_hash_table_unref (before->before);
  before->before = NULL;
}

static gboolean
same_bytes (GHashTable *table,
            const char *a,
            const char *dir,
            const char *b)
{
  g_autofree char *text = read_text (dir, b);
  GBytes *bytes = g_hash_table_lookup (table, a);

  return bytes != NULL && g_bytes_get_size (bytes) == strlen (text) &&
         memcmp (g_bytes_get_data (bytes, NULL), text, strlen (text)) == 0;
}

/* Loading */

static void
check_tree (SondeCollection *collection)
{
  SondeCollectionNode *root = sonde_collection_get_root (collection);
  SondeCollectionNode *users;
  SondeCollectionNode *broken;
  g_autofree char *path = NULL;

  g_assert_cmpstr (sonde_collection_get_name (collection), ==, "Test API");
  g_assert_null (sonde_collection_node_get_error (root));
  /* Ordered, then the unordered ones by name; files/ holds no request, so it is no folder. */
  assert_names (root, "Ping|Users|Alpha|Zeta");

  users = child_at (root, 1);
  g_assert_cmpint (sonde_collection_node_get_kind (users), ==, SONDE_COLLECTION_NODE_FOLDER);
  g_assert_cmpint (sonde_collection_node_get_order (users), ==, 2000);
  g_assert_true (sonde_collection_node_get_parent (users) == root);
  assert_names (users, "List users|Create user|admin|broken");
  assert_names (child_at (users, 2), "Upload avatar");

  broken = child_at (users, 3);
  g_assert_cmpint (sonde_collection_node_get_kind (broken), ==, SONDE_COLLECTION_NODE_REQUEST);
  g_assert_null (sonde_collection_node_get_request (broken));
  g_assert_nonnull (sonde_collection_node_get_error (broken));
  g_assert_nonnull (strstr (sonde_collection_node_get_error (broken)->message, "broken.request.json: line 3"));
  g_assert_null (sonde_collection_node_get_children (broken));

  path = sonde_collection_node_dup_path (child_at (child_at (users, 2), 0));
  g_assert_cmpstr (path, ==, "users/admin/upload.request.json");

  g_assert_cmpuint (g_list_model_get_n_items (sonde_collection_get_environments (collection)), ==, 2);
  g_assert_nonnull (sonde_collection_find_environment (collection, "Staging"));
  g_assert_nonnull (sonde_collection_find_environment (collection, "staging"));
  g_assert_null (sonde_collection_find_environment (collection, "production"));
}

static void
test_load (Fixture       *fixture,
           gconstpointer  data)
{
  SondeCollectionNode *list_users = node_at (fixture, "users/list-users.request.json");
  SondeRequest *request = sonde_collection_node_get_request (list_users);

  check_tree (fixture->collection);
  g_assert_cmpstr (sonde_request_get_url (request), ==, "{{base_url}}/echo?level={{level}}&env={{env_only}}");
  g_assert_true (g_file_equal (sonde_request_get_base_dir (request), sonde_collection_get_dir (fixture->collection)));
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SondeCollection **collection = user_data;
  g_autoptr(GError) error = NULL;

  *collection = sonde_collection_load_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_load_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(GFile) inside = g_file_new_build_filename (fixture->dir, "users", "admin", NULL);
  g_autoptr(GFile) found = NULL;
  g_autoptr(GFile) temp = g_file_new_for_path (fixture->temp_dir);
  g_autoptr(GError) error = NULL;
  SondeCollection *collection = NULL;

  sonde_collection_load_async (dir, NULL, load_cb, &collection);
  while (collection == NULL)
    g_main_context_iteration (NULL, TRUE);
  check_tree (collection);
  g_assert_finalize_object (collection);

  found = sonde_collection_find_dir (inside);
  g_assert_true (g_file_equal (found, dir));
  g_assert_null (sonde_collection_load (temp, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Saving what was loaded changes no byte: collection, folder, environment and request files
 * keep their layout and their unknown keys. */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) before = snapshot (fixture->dir);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *diff = NULL;
  GListModel *environments = sonde_collection_get_environments (fixture->collection);
  SondeCollectionNode *root = sonde_collection_get_root (fixture->collection);

  g_assert_true (sonde_collection_save_folder (fixture->collection, root, &error));
  g_assert_no_error (error);
  g_assert_true (sonde_collection_save_folder (fixture->collection, node_at (fixture, "users"), &error));
  g_assert_true (sonde_collection_save_folder (fixture->collection, node_at (fixture, "users/admin"), &error));
  g_assert_no_error (error);

  requests = sonde_collection_list_requests (fixture->collection, root);
  g_assert_cmpuint (requests->len, ==, 7);
  for (guint i = 0; i < requests->len; i++)
    {
      SondeCollectionNode *node = requests->pdata[i];
      g_autoptr(SondeRequest) copy = NULL;

      if (sonde_collection_node_get_request (node) == NULL)
        continue;
      copy = sonde_request_copy (sonde_collection_node_get_request (node));
      g_assert_true (sonde_collection_save_request (fixture->collection, node, copy, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < g_list_model_get_n_items (environments); i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (environments, i);

      g_assert_true (sonde_collection_save_environment (fixture->collection, environment, &error));
      g_assert_no_error (error);
    }

  after = snapshot (fixture->dir);
  diff = snapshot_diff (before, after);
  g_assert_cmpstr (diff, ==, "");

  /* Unknown keys are in the model, to be written back. */
  g_assert_true (json_object_has_member (sonde_collection_node_get_extra (root), "futureKey"));
  g_assert_true (json_object_has_member (sonde_collection_node_get_extra (node_at (fixture, "users")), "owner"));
}

/* Files that do not parse are listed with their error and never written. */
static void
test_broken_files (Fixture       *fixture,
                   gconstpointer  data)
{
  SondeEnvironment *broken_environment;
  SondeCollectionNode *orders;
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) prepared = NULL;
  Snapshot before;

  write_text (fixture->dir, "environments/broken.json", "{\n  \"name\": \"Broken\",\n");
  make_dir (fixture->dir, "orders");
  write_text (fixture->dir, "orders/folder.json", "{\"order\": \"first\"}\n");
  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  g_assert_no_error (error);

  broken_environment = sonde_collection_find_environment (fixture->collection, "broken");
  g_assert_nonnull (broken_environment);
  g_assert_nonnull (sonde_environment_get_error (broken_environment));
  g_assert_nonnull (strstr (sonde_environment_get_error (broken_environment)->message, "broken.json: line"));
  g_assert_cmpuint (g_list_model_get_n_items (sonde_collection_get_environments (fixture->collection)), ==, 3);

  orders = node_at (fixture, "orders");
  g_assert_nonnull (sonde_collection_node_get_error (orders));
  g_assert_nonnull (strstr (sonde_collection_node_get_error (orders)->message, "folder.json: “order” must be a whole number"));

  before = take_snapshot (fixture);
  g_assert_false (sonde_collection_save_environment (fixture->collection, broken_environment, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (sonde_collection_save_folder (fixture->collection, orders, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_clear_error (&error);
  /* A name a directory cannot hold would go into folder.json. */
  g_assert_false (sonde_collection_rename (fixture->collection, orders, "In/Out", &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_clear_error (&error);
  /* Reordering it would write it: it stays where it is. */
  g_assert_true (sonde_collection_move (fixture->collection, orders, sonde_collection_get_root (fixture->collection), 0, &error));
  g_assert_no_error (error);
  assert_changes (&before, "");

  /* Renaming the directory does not touch the file. */
  before = take_snapshot (fixture);
  g_assert_true (sonde_collection_rename (fixture->collection, orders, "Orders & co", &error));
  g_assert_no_error (error);
  assert_changes (&before, "+Orders & co/folder.json -orders/folder.json");
  g_assert_nonnull (sonde_collection_node_get_error (orders));

  /* Sending with it says why. */
  prepared = sonde_collection_prepare_request (fixture->collection, node_at (fixture, "ping.request.json"), NULL,
                                               broken_environment, NULL, NULL, &error);
  g_assert_null (prepared);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
}

/* Inheritance */

static char *
rows_to_string (GListModel *rows)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);

      g_string_append_printf (out, "%s%s=%s;", sonde_key_value_get_enabled (row) ? "" : "!",
                              sonde_key_value_get_name (row), sonde_key_value_get_value (row));
    }

  return g_string_free (out, FALSE);
}

static SondeRequest *
effective (Fixture    *fixture,
           const char *relative)
{
  g_autoptr(GError) error = NULL;
  SondeRequest *request;

  request = sonde_collection_get_effective_request (fixture->collection, node_at (fixture, relative), NULL, &error);
  g_assert_no_error (error);
  return request;
}

static void
test_inherit (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SondeRequest) list_users = effective (fixture, "users/list-users.request.json");
  g_autoptr(SondeRequest) create_user = effective (fixture, "users/create-user.request.json");
  g_autoptr(SondeRequest) upload = effective (fixture, "users/admin/upload.request.json");
  g_autoptr(SondeRequest) ping = effective (fixture, "ping.request.json");
  g_autoptr(SondeRequest) edited = NULL;
  g_autoptr(SondeRequest) edited_effective = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *headers = NULL;
  SondeRequestOptions *options;
  SondeAuth *auth;

  /* A name set lower replaces the rows above, case-insensitively; a disabled row removes. */
  headers = rows_to_string (G_LIST_MODEL (sonde_request_get_headers (list_users)));
  g_assert_cmpstr (headers, ==, "X-Collection=c;x-level=request;!X-Folder=off;");
  auth = sonde_request_get_auth (list_users);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_BEARER);
  g_assert_cmpstr (sonde_auth_get_token (auth), ==, "{{token}}");
  options = sonde_request_get_options (list_users);
  g_assert_cmpfloat (sonde_request_options_get_timeout (options), ==, 5);
  g_assert_cmpint (sonde_request_options_get_max_redirects (options), ==, 5);
  g_assert_false (sonde_request_options_get_verify_tls (options));

  g_clear_pointer (&headers, g_free);
  headers = rows_to_string (G_LIST_MODEL (sonde_request_get_headers (create_user)));
  g_assert_cmpstr (headers, ==, "X-Collection=c;X-Level=users;X-Folder=users;Accept=application/json;");
  auth = sonde_request_get_auth (create_user);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_BASIC);
  g_assert_cmpstr (sonde_auth_get_username (auth), ==, "alice");

  auth = sonde_request_get_auth (upload);
  g_assert_cmpint (sonde_auth_get_kind (auth), ==, SONDE_AUTH_API_KEY);
  g_assert_cmpstr (sonde_auth_get_key_name (auth), ==, "X-Api-Key");
  options = sonde_request_get_options (upload);
  g_assert_cmpfloat (sonde_request_options_get_timeout (options), ==, 30);
  g_assert_cmpint (sonde_request_options_get_max_redirects (options), ==, 2);
  g_assert_false (sonde_request_options_get_verify_tls (options));

  g_clear_pointer (&headers, g_free);
  headers = rows_to_string (G_LIST_MODEL (sonde_request_get_headers (ping)));
  g_assert_cmpstr (headers, ==, "X-Collection=c;X-Level=collection;");
  g_assert_true (sonde_request_options_get_verify_tls (sonde_request_get_options (ping)));

  /* The editor's unsaved copy inherits the same way; the node's request is not touched. */
  edited = sonde_request_copy (sonde_collection_node_get_request (node_at (fixture, "ping.request.json")));
  sonde_request_options_set_max_redirects (sonde_request_get_options (edited), 1);
  sonde_auth_set_kind (sonde_request_get_auth (edited), SONDE_AUTH_BEARER);
  sonde_auth_set_token (sonde_request_get_auth (edited), "mine");
  edited_effective = sonde_collection_get_effective_request (fixture->collection,
                                                             node_at (fixture, "ping.request.json"),
                                                             edited, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sonde_request_options_get_max_redirects (sonde_request_get_options (edited_effective)), ==, 1);
  g_assert_cmpfloat (sonde_request_options_get_timeout (sonde_request_get_options (edited_effective)), ==, 30);
  g_assert_cmpstr (sonde_auth_get_token (sonde_request_get_auth (edited_effective)), ==, "mine");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sonde_request_get_headers (
    sonde_collection_node_get_request (node_at (fixture, "ping.request.json"))))), ==, 0);

  /* "None" on a request opts out of the auth above it; "Inherit" walks up past folders
   * that set none (users/) to the collection's. */
  {
    g_autoptr(SondeRequest) opted_out = sonde_request_copy (sonde_collection_node_get_request (node_at (fixture, "users/list-users.request.json")));
    g_autoptr(SondeRequest) opted_out_effective = NULL;

    g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (opted_out)), ==, SONDE_AUTH_INHERIT);
    sonde_auth_set_kind (sonde_request_get_auth (opted_out), SONDE_AUTH_NONE);
    opted_out_effective = sonde_collection_get_effective_request (fixture->collection,
                                                                  node_at (fixture, "users/list-users.request.json"),
                                                                  opted_out, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sonde_auth_get_kind (sonde_request_get_auth (opted_out_effective)), ==, SONDE_AUTH_NONE);
    g_assert_cmpstr (sonde_auth_get_token (sonde_request_get_auth (opted_out_effective)), ==, "");
  }

  /* An option written at its default value overrides the folders' value: users/ turns
   * verifyTls off, a request that says "verifyTls": true verifies. */
  {
    g_autoptr(SondeRequest) explicit = NULL;
    g_autoptr(SondeRequest) explicit_effective = NULL;
    g_autoptr(SondeRequest) flipped = sonde_request_copy (sonde_collection_node_get_request (node_at (fixture, "users/list-users.request.json")));
    g_autoptr(SondeRequest) flipped_effective = NULL;
    SondeCollectionNode *list_users_node = node_at (fixture, "users/list-users.request.json");

    explicit = sonde_request_load_from_data ("{\"url\": \"https://example.com/\", "
                                             "\"options\": {\"verifyTls\": true, \"maxRedirects\": 10}}",
                                             -1, NULL, &error);
    g_assert_no_error (error);
    explicit_effective = sonde_collection_get_effective_request (fixture->collection, list_users_node,
                                                                 explicit, &error);
    g_assert_no_error (error);
    options = sonde_request_get_options (explicit_effective);
    g_assert_true (sonde_request_options_get_verify_tls (options));
    g_assert_cmpint (sonde_request_options_get_max_redirects (options), ==, 10);
    g_assert_cmpfloat (sonde_request_options_get_timeout (options), ==, 30);

    /* The same when the editor turns it off and on again. */
    g_assert_false (sonde_request_options_is_set (sonde_request_get_options (flipped), "verifyTls"));
    sonde_request_options_set_verify_tls (sonde_request_get_options (flipped), FALSE);
    sonde_request_options_set_verify_tls (sonde_request_get_options (flipped), TRUE);
    flipped_effective = sonde_collection_get_effective_request (fixture->collection, list_users_node,
                                                                flipped, &error);
    g_assert_no_error (error);
    g_assert_true (sonde_request_options_get_verify_tls (sonde_request_get_options (flipped_effective)));

    /* Unset, it is inherited again. */
    g_clear_object (&flipped_effective);
    sonde_request_options_unset (sonde_request_get_options (flipped), "verifyTls");
    flipped_effective = sonde_collection_get_effective_request (fixture->collection, list_users_node,
                                                                flipped, &error);
    g_assert_no_error (error);
    g_assert_false (sonde_request_options_get_verify_tls (sonde_request_get_options (flipped_effective)));
  }

  /* A request that does not parse has no effective request: its error says why. */
  g_assert_null (sonde_collection_get_effective_request (fixture->collection,
                                                         node_at (fixture, "users/broken.request.json"),
                                                         NULL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
}

/* Variables: request > folder > environment > collection, overrides above all. */

static const char *
lookup (GHashTable *variables,
        const char *name)
{
  return g_hash_table_lookup (variables, name);
}

static GHashTable *
variables_for (Fixture          *fixture,
               const char       *relative,
               SondeEnvironment *environment,
               SondeSecretStore *secrets,
               GHashTable       *overrides)
{
  g_autoptr(GError) error = NULL;
  GHashTable *variables;

  variables = sonde_collection_build_variables (fixture->collection,
                                                relative ? node_at (fixture, relative) : NULL,
                                                NULL, environment, secrets, overrides, &error);
  g_assert_no_error (error);
  return variables;
}

static void
test_variables (Fixture       *fixture,
                gconstpointer  data)
{
  SondeEnvironment *staging = sonde_collection_find_environment (fixture->collection, "Staging");
  g_autoptr(SondeSecretStore) secrets = sonde_secret_store_new ();
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) plain = variables_for (fixture, "users/list-users.request.json", NULL, NULL, NULL);
  g_autoptr(GHashTable) unset = NULL;
  g_autoptr(GHashTable) ping = NULL;
  g_autoptr(GHashTable) create_user = NULL;
  g_autoptr(GHashTable) list_users = NULL;
  g_autoptr(GHashTable) overridden = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = sonde_collection_get_path (fixture->collection);

  g_assert_cmpint (sonde_secret_store_get_backend (secrets), ==, SONDE_SECRET_BACKEND_FILE);

  /* No environment: the collection's values, then the folder's, then the request's. */
  g_assert_cmpstr (lookup (plain, "level"), ==, "request");
  g_assert_cmpstr (lookup (plain, "token"), ==, "collection-token");
  g_assert_cmpstr (lookup (plain, "who"), ==, "collection");
  g_assert_null (lookup (plain, "env_only"));
  g_assert_null (lookup (plain, "unused")); /* disabled */

  /* A secret with no value on this machine hides the collection's default. */
  unset = variables_for (fixture, "ping.request.json", staging, secrets, NULL);
  g_assert_null (lookup (unset, "token"));
  g_assert_cmpstr (lookup (unset, "level"), ==, "staging");

  g_assert_true (sonde_secret_store_store_sync (secrets, path, "Staging", "token", "s3cret", NULL, &error));
  g_assert_no_error (error);

  ping = variables_for (fixture, "ping.request.json", staging, secrets, NULL);
  g_assert_cmpstr (lookup (ping, "level"), ==, "staging");
  g_assert_cmpstr (lookup (ping, "token"), ==, "s3cret");
  g_assert_cmpstr (lookup (ping, "env_only"), ==, "yes");

  create_user = variables_for (fixture, "users/create-user.request.json", staging, secrets, NULL);
  g_assert_cmpstr (lookup (create_user, "level"), ==, "users");
  g_assert_cmpstr (lookup (create_user, "token"), ==, "s3cret");

  list_users = variables_for (fixture, "users/list-users.request.json", staging, secrets, NULL);
  g_assert_cmpstr (lookup (list_users, "level"), ==, "request");

  g_hash_table_insert (overrides, "level", "cli");
  overridden = variables_for (fixture, "users/list-users.request.json", staging, secrets, overrides);
  g_assert_cmpstr (lookup (overridden, "level"), ==, "cli");
}

/* For the editor: secret names without their values, nothing read from the store. */
static void
test_variables_preview (Fixture       *fixture,
                        gconstpointer  data)
{
  SondeEnvironment *staging = sonde_collection_find_environment (fixture->collection, "Staging");
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GHashTable) secret_names = NULL;
  g_autoptr(GHashTable) plain = NULL;
  g_autoptr(GHashTable) plain_secrets = NULL;
  g_autoptr(GError) error = NULL;

  values = sonde_collection_build_variables_preview (fixture->collection, node_at (fixture, "ping.request.json"),
                                                     NULL, staging, &secret_names, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (values, "level"), ==, "staging");
  g_assert_cmpstr (lookup (values, "token"), ==, "");
  g_assert_cmpstr (lookup (values, "env_only"), ==, "yes");
  g_assert_true (g_hash_table_contains (secret_names, "token"));
  g_assert_false (g_hash_table_contains (secret_names, "level"));

  /* Without the environment, the collection's plain token. */
  plain = sonde_collection_build_variables_preview (fixture->collection, node_at (fixture, "users/list-users.request.json"),
                                                    NULL, NULL, &plain_secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup (plain, "token"), ==, "collection-token");
  g_assert_cmpstr (lookup (plain, "level"), ==, "request");
  g_assert_cmpuint (g_hash_table_size (plain_secrets), ==, 0);
}

/* Sending: what arrives at the server */

typedef struct
{
  gboolean       done;
  SondeResponse *response;
  GError        *error;
} SendResult;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendResult *send_result = user_data;

  send_result->response = sonde_client_send_finish (SONDE_CLIENT (object), result, &send_result->error);
  send_result->done = TRUE;
}

static JsonObject *
send_node (Fixture          *fixture,
           SondeClient      *client,
           SondeTestServer  *server,
           const char       *relative,
           SondeEnvironment *environment,
           SondeSecretStore *secrets)
{
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SondeRequest) prepared = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  SendResult result = { 0 };

  g_hash_table_insert (overrides, "base_url", (gpointer)sonde_test_server_get_base_url (server));
  prepared = sonde_collection_prepare_request (fixture->collection, node_at (fixture, relative), NULL,
                                               environment, secrets, overrides, &error);
  g_assert_no_error (error);

  sonde_client_send_async (client, prepared, NULL, NULL, NULL, NULL, NULL, send_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (result.error);

  body = sonde_body_store_get_bytes (sonde_response_get_body (result.response));
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_object_unref (result.response);

  return json_object_ref (json_node_get_object (node));
}

static char *
echo_header (JsonObject *echo,
             const char *name)
{
  JsonArray *headers = json_object_get_array_member (echo, "headers");
  GString *values = NULL;

  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      JsonArray *pair = json_array_get_array_element (headers, i);

      if (g_ascii_strcasecmp (json_array_get_string_element (pair, 0), name) != 0)
        continue;
      if (values == NULL)
        values = g_string_new (NULL);
      else
        g_string_append_c (values, '|');
      g_string_append (values, json_array_get_string_element (pair, 1));
    }

  return values ? g_string_free (values, FALSE) : NULL;
}

#define assert_header(echo, name, expected) \
  G_STMT_START { \
    g_autofree char *_value = echo_header ((echo), (name)); \
    g_assert_cmpstr (_value, ==, (expected)); \
  } G_STMT_END

static void
test_send (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SondeTestServer) server = sonde_test_server_new ();
  g_autoptr(SondeClient) client = sonde_client_new ();
  g_autoptr(SondeSecretStore) secrets = sonde_secret_store_new ();
  SondeEnvironment *staging = sonde_collection_find_environment (fixture->collection, "Staging");
  g_autoptr(JsonObject) list_users = NULL;
  g_autoptr(JsonObject) create_user = NULL;
  g_autoptr(JsonObject) upload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *expected_basic = NULL;
  JsonArray *parts;

  g_assert_true (sonde_secret_store_store_sync (secrets, sonde_collection_get_path (fixture->collection),
                                                "Staging", "token", "s3cret", NULL, &error));
  g_assert_no_error (error);

  list_users = send_node (fixture, client, server, "users/list-users.request.json", staging, secrets);
  g_assert_cmpstr (json_object_get_string_member (list_users, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (list_users, "query"), ==, "level=request&env=yes");
  assert_header (list_users, "X-Collection", "c");
  assert_header (list_users, "X-Level", "request");
  assert_header (list_users, "X-Folder", NULL);
  assert_header (list_users, "Authorization", "Bearer s3cret");

  create_user = send_node (fixture, client, server, "users/create-user.request.json", staging, secrets);
  g_assert_cmpstr (json_object_get_string_member (create_user, "body"), ==,
                   "{\n  \"name\": \"collection\",\n  \"level\": \"users\"\n}\n");
  basic = g_base64_encode ((const guchar *)"alice:s3cret", strlen ("alice:s3cret"));
  expected_basic = g_strconcat ("Basic ", basic, NULL);
  assert_header (create_user, "Authorization", expected_basic);
  assert_header (create_user, "X-Level", "users");
  assert_header (create_user, "Accept", "application/json");

  upload = send_node (fixture, client, server, "users/admin/upload.request.json", NULL, secrets);
  assert_header (upload, "X-Api-Key", "collection-token");
  assert_header (upload, "Authorization", NULL);
  parts = json_object_get_array_member (upload, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 0), "value"), ==,
                   "hello collection");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 1), "filename"), ==,
                   "hello.txt");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (parts, 1), "size"), ==, 18);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SendResult *prepared = user_data;

  prepared->response = (gpointer)sonde_collection_prepare_request_finish (SONDE_COLLECTION (object), result,
                                                                          &prepared->error);
  prepared->done = TRUE;
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SendResult *saved = user_data;

  sonde_collection_save_request_finish (SONDE_COLLECTION (object), result, &saved->error);
  saved->done = TRUE;
}

/* The GUI's path: variables (and secrets) resolved in a thread, saves written in one. */
static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SondeSecretStore) secrets = sonde_secret_store_new ();
  SondeEnvironment *staging = sonde_collection_find_environment (fixture->collection, "Staging");
  SondeCollectionNode *node = node_at (fixture, "users/create-user.request.json");
  g_autoptr(SondeRequest) edited = sonde_request_copy (sonde_collection_node_get_request (node));
  g_autoptr(SondeRequest) prepared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SendResult result = { 0 };
  Snapshot before;

  sonde_secret_store_store_sync (secrets, sonde_collection_get_path (fixture->collection), "Staging", "token",
                                 "async-secret", NULL, &error);
  g_assert_no_error (error);

  sonde_collection_prepare_request_async (fixture->collection, node, NULL, staging, secrets, NULL, NULL,
                                          prepared_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (result.error);
  prepared = (SondeRequest *)result.response;
  g_assert_cmpstr (sonde_request_get_url (prepared), ==, "http://127.0.0.1:1/basic-auth/alice/async-secret");
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (prepared)), ==,
                   "{\n  \"name\": \"collection\",\n  \"level\": \"users\"\n}\n");

  /* An undefined variable is the finish function's error. */
  result = (SendResult) { 0 };
  sonde_collection_prepare_request_async (fixture->collection, node, NULL, staging, NULL, NULL, NULL,
                                          prepared_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result.error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE);
  g_clear_error (&result.error);

  /* Saving: only the file whose bytes change. */
  before = take_snapshot (fixture);
  sonde_request_set_method (edited, "PUT");
  result = (SendResult) { 0 };
  sonde_collection_save_request_async (fixture->collection, node, edited, NULL, saved_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (result.error);
  assert_changes (&before, "~users/create-user.request.json");
  g_assert_cmpstr (sonde_request_get_method (sonde_collection_node_get_request (node)), ==, "PUT");
  g_assert_true (sonde_collection_node_get_request (node) != edited);
  text = read_text (fixture->dir, "users/create-user.request.json");
  g_assert_nonnull (strstr (text, "\"method\": \"PUT\","));

  result = (SendResult) { 0 };
  sonde_collection_save_request_async (fixture->collection, node_at (fixture, "users/broken.request.json"),
                                       edited, NULL, saved_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result.error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_clear_error (&result.error);
}

/* Tree operations, each checked on disk byte for byte */

static void
test_create_rename_request (Fixture       *fixture,
                            gconstpointer  data)
{
  SondeCollectionNode *users = node_at (fixture, "users");
  SondeCollectionNode *node;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Snapshot before = take_snapshot (fixture);

  node = sonde_collection_create_request (fixture->collection, users, "Get user (by id)", &error);
  g_assert_no_error (error);
  assert_changes (&before, "+users/get-user-by-id.request.json");
  text = read_text (fixture->dir, "users/get-user-by-id.request.json");
  g_assert_cmpstr (text, ==, "{\n  \"name\": \"Get user (by id)\",\n  \"order\": 4000,\n"
                             "  \"method\": \"GET\",\n  \"url\": \"\"\n}\n");
  /* After admin (3000), before the unordered broken file. */
  assert_names (users, "List users|Create user|admin|Get user (by id)|broken");
  g_assert_true (sonde_collection_node_get_parent (node) == users);

  before = take_snapshot (fixture);
  g_assert_true (sonde_collection_rename (fixture->collection, node, "Fetch user", &error));
  g_assert_no_error (error);
  assert_changes (&before, "~users/get-user-by-id.request.json");
  g_assert_cmpstr (sonde_collection_node_get_name (node), ==, "Fetch user");
  g_assert_cmpstr (sonde_request_get_name (sonde_collection_node_get_request (node)), ==, "Fetch user");

  /* A request name that clashes gets a file of its own. */
  before = take_snapshot (fixture);
  sonde_collection_create_request (fixture->collection, users, "Get user by id", &error);
  g_assert_no_error (error);
  assert_changes (&before, "+users/get-user-by-id-2.request.json");

  /* A file that does not parse is never written. */
  before = take_snapshot (fixture);
  g_assert_false (sonde_collection_rename (fixture->collection, node_at (fixture, "users/broken.request.json"),
                                           "Fixed", &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "broken.request.json"));
  g_clear_error (&error);
  assert_changes (&before, "");
}

static gboolean move_node (Fixture              *fixture,
                           SondeCollectionNode  *node,
                           SondeCollectionNode  *folder,
                           int                   position,
                           GError              **error);

static void
test_move_request (Fixture       *fixture,
                   gconstpointer  data)
{
  SondeCollectionNode *root = sonde_collection_get_root (fixture->collection);
  SondeCollectionNode *users = node_at (fixture, "users");
  SondeCollectionNode *ping = node_at (fixture, "ping.request.json");
  SondeCollectionNode *create_user = node_at (fixture, "users/create-user.request.json");
  SondeCollectionNode *broken = node_at (fixture, "users/broken.request.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  Snapshot before = take_snapshot (fixture);
  GHashTable *original = snapshot (fixture->dir);

  /* The async twin runs with the folder watched, as in the window. */
  fixture->async = GPOINTER_TO_INT (data);
  if (fixture->async)
    sonde_collection_watch (fixture->collection);

  /* Into another folder, between List users (1000) and Create user (2000). */
  g_assert_true (move_node (fixture, ping, users, 1, &error));
  g_assert_no_error (error);
  assert_changes (&before, "-ping.request.json +users/ping.request.json");
  text = read_text (fixture->dir, "users/ping.request.json");
  g_assert_nonnull (strstr (text, "\"order\": 1500,"));
  assert_names (users, "List users|Ping|Create user|admin|broken");
  assert_names (root, "Users|Alpha|Zeta");
  path = sonde_collection_node_dup_path (ping);
  g_assert_cmpstr (path, ==, "users/ping.request.json");
  g_assert_true (sonde_collection_node_get_parent (ping) == users);

  /* With its sidecar, which moves unchanged; first in the root. */
  before = take_snapshot (fixture);
  g_assert_true (move_node (fixture, create_user, root, 0, &error));
  g_assert_no_error (error);
  assert_changes (&before, "+create-user.body.json +create-user.request.json "
                           "-users/create-user.body.json -users/create-user.request.json");
  g_assert_true (same_bytes (original, "users/create-user.body.json", fixture->dir, "create-user.body.json"));
  assert_names (root, "Create user|Users|Alpha|Zeta");
  g_clear_pointer (&text, g_free);
  text = read_text (fixture->dir, "create-user.request.json");
  g_assert_nonnull (strstr (text, "\"order\": 1000,"));

  /* Reordering within a folder, where there is a gap: one file. */
  before = take_snapshot (fixture);
  g_assert_true (move_node (fixture, node_at (fixture, "users/admin"), users, 0, &error));
  g_assert_no_error (error);
  assert_changes (&before, "~users/admin/folder.json");
  assert_names (users, "admin|List users|Ping|broken");
  g_clear_pointer (&text, g_free);
  text = read_text (fixture->dir, "users/admin/folder.json");
  g_assert_cmpstr (text, ==, "{\n  \"order\": 500,\n"
                             "  \"auth\": {\"type\": \"apiKey\", \"name\": \"X-Api-Key\", \"value\": \"{{token}}\", \"in\": \"header\"},\n"
                             "  \"options\": {\"maxRedirects\": 2}\n}\n");

  /* Moving to where it is writes nothing. */
  before = take_snapshot (fixture);
  g_assert_true (move_node (fixture, node_at (fixture, "users/admin"), users, 0, &error));
  assert_changes (&before, "");

  /* A file that does not parse moves as it is. */
  before = take_snapshot (fixture);
  g_assert_true (move_node (fixture, broken, root, -1, &error));
  g_assert_no_error (error);
  assert_changes (&before, "+broken.request.json -users/broken.request.json");
  g_assert_true (same_bytes (original, "users/broken.request.json", fixture->dir, "broken.request.json"));
  g_assert_nonnull (sonde_collection_node_get_error (broken));

  /* A sidecar elsewhere stays where it is; the path to it follows the move. */
  write_text (fixture->dir, "shared.body.json", "{\n  \"shared\": true\n}\n");
  write_text (fixture->dir, "users/shared.request.json",
              "{\n  \"name\": \"Shared\",\n  \"order\": 9000,\n  \"method\": \"POST\",\n  \"url\": \"\",\n"
              "  \"body\": {\"type\": \"json\", \"file\": \"../shared.body.json\"}\n}\n");
  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  before = take_snapshot (fixture);
  g_assert_true (move_node (fixture, node_at (fixture, "users/shared.request.json"),
                                        node_at (fixture, "users/admin"), -1, &error));
  g_assert_no_error (error);
  assert_changes (&before, "+users/admin/shared.request.json -users/shared.request.json");
  g_clear_pointer (&text, g_free);
  text = read_text (fixture->dir, "users/admin/shared.request.json");
  g_assert_nonnull (strstr (text, "\"file\": \"../../shared.body.json\""));
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (sonde_collection_node_get_request (
                     node_at (fixture, "users/admin/shared.request.json")))), ==, "{\n  \"shared\": true\n}\n");

  /* Deleting it leaves the shared sidecar alone. */
  before = take_snapshot (fixture);
  g_assert_true (sonde_collection_delete (fixture->collection, node_at (fixture, "users/admin/shared.request.json"), &error));
  g_assert_no_error (error);
  assert_changes (&before, "-users/admin/shared.request.json");

  /* A folder cannot go into itself. */
  g_assert_false (move_node (fixture, users, node_at (fixture, "users/admin"), 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  g_hash_table_unref (original);
}

static void
test_renumber (Fixture       *fixture,
               gconstpointer  data)
{
  SondeCollectionNode *dense;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Snapshot before;

  /* The async twin runs with the folder watched, as in the window. */
  fixture->async = GPOINTER_TO_INT (data);
  if (fixture->async)
    sonde_collection_watch (fixture->collection);

  make_dir (fixture->dir, "dense");
  write_text (fixture->dir, "dense/a.request.json", "{\n  \"name\": \"A\",\n  \"order\": 1000,\n  \"method\": \"GET\",\n  \"url\": \"\"\n}\n");
  write_text (fixture->dir, "dense/b.request.json", "{\n  \"name\": \"B\",\n  \"order\": 1001,\n  \"method\": \"GET\",\n  \"url\": \"\"\n}\n");
  write_text (fixture->dir, "dense/c.request.json", "{\n  \"name\": \"C\",\n  \"order\": 5000,\n  \"method\": \"GET\",\n  \"url\": \"\"\n}\n");
  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  dense = node_at (fixture, "dense");
  assert_names (dense, "A|B|C");

  /* No gap between 1000 and 1001: renumbered, and A, already 1000, is left alone. */
  before = take_snapshot (fixture);
  g_assert_true (move_node (fixture, node_at (fixture, "dense/c.request.json"), dense, 1, &error));
  g_assert_no_error (error);
  assert_changes (&before, "~dense/b.request.json ~dense/c.request.json");
  assert_names (dense, "A|C|B");
  text = read_text (fixture->dir, "dense/c.request.json");
  g_assert_nonnull (strstr (text, "\"order\": 2000,"));
  g_clear_pointer (&text, g_free);
  text = read_text (fixture->dir, "dense/b.request.json");
  g_assert_nonnull (strstr (text, "\"order\": 3000,"));

  /* Now there is room: one file. */
  before = take_snapshot (fixture);
  g_assert_true (move_node (fixture, node_at (fixture, "dense/b.request.json"), dense, 0, &error));
  g_assert_no_error (error);
  assert_changes (&before, "~dense/b.request.json");
  assert_names (dense, "B|A|C");
}

static void
test_folders (Fixture       *fixture,
              gconstpointer  data)
{
  SondeCollectionNode *root = sonde_collection_get_root (fixture->collection);
  SondeCollectionNode *users = node_at (fixture, "users");
  SondeCollectionNode *admin = node_at (fixture, "users/admin");
  SondeCollectionNode *upload = node_at (fixture, "users/admin/upload.request.json");
  SondeCollectionNode *orders;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) original = snapshot (fixture->dir);
  g_autoptr(GHashTable) after = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  Snapshot before = take_snapshot (fixture);

  /* The async twin runs with the folder watched, as in the window. */
  fixture->async = GPOINTER_TO_INT (data);
  if (fixture->async)
    sonde_collection_watch (fixture->collection);

  /* A folder without a name in folder.json: only the directory is renamed. */
  g_assert_true (sonde_collection_rename (fixture->collection, admin, "Admins", &error));
  g_assert_no_error (error);
  assert_changes (&before, "+users/Admins/folder.json +users/Admins/upload.request.json "
                           "-users/admin/folder.json -users/admin/upload.request.json");
  g_assert_true (same_bytes (original, "users/admin/upload.request.json", fixture->dir, "users/Admins/upload.request.json"));
  g_assert_true (same_bytes (original, "users/admin/folder.json", fixture->dir, "users/Admins/folder.json"));
  g_assert_cmpstr (sonde_collection_node_get_name (admin), ==, "Admins");
  path = sonde_collection_node_dup_path (upload);
  g_assert_cmpstr (path, ==, "users/Admins/upload.request.json");
  g_assert_true (sonde_collection_node_get_parent (upload) == admin);

  /* "Users" has its name in folder.json: that file changes too. */
  before = take_snapshot (fixture);
  g_assert_true (sonde_collection_rename (fixture->collection, users, "People", &error));
  g_assert_no_error (error);
  after = snapshot (fixture->dir);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (original));
  g_assert_true (g_hash_table_contains (after, "People/folder.json"));
  g_assert_false (g_hash_table_contains (after, "users/folder.json"));
  g_assert_true (same_bytes (original, "users/create-user.body.json", fixture->dir, "People/create-user.body.json"));
  g_assert_true (same_bytes (original, "users/broken.request.json", fixture->dir, "People/broken.request.json"));
  text = read_text (fixture->dir, "People/folder.json");
  g_assert_true (g_str_has_prefix (text, "{\n  \"name\": \"People\",\n  \"order\": 2000,\n"));
  g_assert_nonnull (strstr (text, "\"owner\": \"team-a\""));
  g_hash_table_unref (before.before);
  g_assert_true (node_at (fixture, "People/Admins/upload.request.json") == upload);

  /* A new folder: a directory and its folder.json. */
  before = take_snapshot (fixture);
  orders = sonde_collection_create_folder (fixture->collection, root, "Orders", &error);
  g_assert_no_error (error);
  assert_changes (&before, "+Orders/folder.json");
  g_clear_pointer (&text, g_free);
  text = read_text (fixture->dir, "Orders/folder.json");
  g_assert_cmpstr (text, ==, "{\n  \"order\": 3000\n}\n");
  assert_names (root, "Ping|People|Orders|Alpha|Zeta");

  /* Into another folder, last. */
  before = take_snapshot (fixture);
  g_assert_true (move_node (fixture, orders, node_at (fixture, "People"), -1, &error));
  g_assert_no_error (error);
  assert_changes (&before, "-Orders/folder.json +People/Orders/folder.json");
  g_clear_pointer (&text, g_free);
  text = read_text (fixture->dir, "People/Orders/folder.json");
  g_assert_cmpstr (text, ==, "{\n  \"order\": 5000\n}\n");
  assert_names (node_at (fixture, "People"), "List users|Create user|Admins|Orders|broken");

  /* A name a directory cannot hold stays in folder.json. */
  before = take_snapshot (fixture);
  sonde_collection_create_folder (fixture->collection, root, "In/Out", &error);
  g_assert_no_error (error);
  assert_changes (&before, "+In-Out/folder.json");
  g_clear_pointer (&text, g_free);
  text = read_text (fixture->dir, "In-Out/folder.json");
  g_assert_cmpstr (text, ==, "{\n  \"name\": \"In/Out\",\n  \"order\": 3000\n}\n");
}

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

/* The sync move, or sonde_collection_move_async () (what the window uses) waited for. */
static gboolean
move_node (Fixture              *fixture,
           SondeCollectionNode  *node,
           SondeCollectionNode  *folder,
           int                   position,
           GError              **error)
{
  AsyncWait wait = { NULL };
  gboolean ok;

  if (!fixture->async)
    return sonde_collection_move (fixture->collection, node, folder, position, error);

  sonde_collection_move_async (fixture->collection, node, folder, position, NULL, async_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = sonde_collection_move_finish (fixture->collection, wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

/* The sync operation, or its _async () one (what the window uses) waited for. */
static SondeCollectionNode *
duplicate_node (Fixture              *fixture,
                SondeCollectionNode  *node,
                GError              **error)
{
  AsyncWait wait = { NULL };
  SondeCollectionNode *copy;

  if (!fixture->async)
    return sonde_collection_duplicate (fixture->collection, node, error);

  sonde_collection_duplicate_async (fixture->collection, node, NULL, async_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  copy = sonde_collection_duplicate_finish (fixture->collection, wait.result, error);
  g_object_unref (wait.result);
  return copy;
}

static gboolean
delete_node (Fixture              *fixture,
             SondeCollectionNode  *node,
             GError              **error)
{
  AsyncWait wait = { NULL };
  gboolean ok;

  if (!fixture->async)
    return sonde_collection_delete (fixture->collection, node, error);

  sonde_collection_remove_async (fixture->collection, node, FALSE, NULL, async_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = sonde_collection_remove_finish (fixture->collection, wait.result, error);
  g_object_unref (wait.result);
  return ok;
}

static void
test_duplicate_delete (Fixture       *fixture,
                       gconstpointer  data)
{
  SondeCollectionNode *users = node_at (fixture, "users");
  SondeCollectionNode *copy;
  g_autoptr(GHashTable) original = snapshot (fixture->dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Snapshot before = take_snapshot (fixture);

  /* The async twin runs with the folder watched, as in the window */
  fixture->async = GPOINTER_TO_INT (data);
  if (fixture->async)
    sonde_collection_watch (fixture->collection);

  copy = duplicate_node (fixture, node_at (fixture, "users/create-user.request.json"), &error);
  g_assert_no_error (error);
  assert_changes (&before, "+users/create-user-copy.body.json +users/create-user-copy.request.json");
  g_assert_true (same_bytes (original, "users/create-user.body.json", fixture->dir, "users/create-user-copy.body.json"));
  text = read_text (fixture->dir, "users/create-user-copy.request.json");
  g_assert_nonnull (strstr (text, "\"name\": \"Create user copy\",\n  \"order\": 2500,"));
  g_assert_nonnull (strstr (text, "\"file\": \"create-user-copy.body.json\""));
  assert_names (users, "List users|Create user|Create user copy|admin|broken");

  before = take_snapshot (fixture);
  copy = duplicate_node (fixture, node_at (fixture, "users/admin"), &error);
  g_assert_no_error (error);
  assert_changes (&before, "+users/admin copy/folder.json +users/admin copy/upload.request.json");
  g_clear_pointer (&text, g_free);
  text = read_text (fixture->dir, "users/admin copy/folder.json");
  g_assert_true (g_str_has_prefix (text, "{\n  \"order\": 4000,\n  \"auth\""));
  assert_names (users, "List users|Create user|Create user copy|admin|admin copy|broken");
  g_assert_cmpuint (g_list_model_get_n_items (sonde_collection_node_get_children (copy)), ==, 1);

  before = take_snapshot (fixture);
  g_assert_true (delete_node (fixture, node_at (fixture, "users/create-user.request.json"), &error));
  g_assert_no_error (error);
  assert_changes (&before, "-users/create-user.body.json -users/create-user.request.json");
  assert_names (users, "List users|Create user copy|admin|admin copy|broken");

  before = take_snapshot (fixture);
  g_assert_true (delete_node (fixture, copy, &error));
  g_assert_no_error (error);
  assert_changes (&before, "-users/admin copy/folder.json -users/admin copy/upload.request.json");
  assert_names (users, "List users|Create user copy|admin|broken");

  /* Two duplicates asked at once (Ctrl+D twice): two files, none overwritten */
  if (fixture->async)
    {
      AsyncWait first = { NULL }, second = { NULL };
      SondeCollectionNode *list_users = node_at (fixture, "users/list-users.request.json");

      before = take_snapshot (fixture);
      sonde_collection_duplicate_async (fixture->collection, list_users, NULL, async_done_cb, &first);
      sonde_collection_duplicate_async (fixture->collection, list_users, NULL, async_done_cb, &second);
      while (first.result == NULL || second.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_nonnull (sonde_collection_duplicate_finish (fixture->collection, first.result, &error));
      g_assert_no_error (error);
      g_assert_nonnull (sonde_collection_duplicate_finish (fixture->collection, second.result, &error));
      g_assert_no_error (error);
      g_object_unref (first.result);
      g_object_unref (second.result);
      assert_changes (&before, "+users/list-users-copy-2.request.json +users/list-users-copy.request.json");
      assert_names (users, "List users|List users copy|List users copy|Create user copy|admin|broken");
    }

  /* A file that does not parse is not duplicated (nothing written) */
  before = take_snapshot (fixture);
  g_assert_null (duplicate_node (fixture, node_at (fixture, "users/broken.request.json"), &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  assert_changes (&before, "");
}

static void
test_save_as_and_create (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SondeRequest) lone = sonde_request_new ();
  g_autofree char *lone_dir = g_build_filename (fixture->temp_dir, "elsewhere", NULL);
  g_autofree char *new_dir = g_build_filename (fixture->temp_dir, "fresh", NULL);
  g_autoptr(GFile) lone_dir_file = g_file_new_for_path (lone_dir);
  g_autoptr(GFile) new_dir_file = g_file_new_for_path (new_dir);
  g_autoptr(SondeBodyPart) inside = sonde_body_part_new_file ("inside", "../api/files/hello.txt");
  g_autoptr(SondeBodyPart) outside = sonde_body_part_new_file ("outside", "data.bin");
  g_autoptr(SondeCollection) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_outside = NULL;
  SondeCollectionNode *node;
  Snapshot before = take_snapshot (fixture);

  sonde_request_set_name (lone, "Lone");
  sonde_request_set_url (lone, "https://example.com/");
  sonde_request_set_base_dir (lone, lone_dir_file);
  sonde_body_set_kind (sonde_request_get_body (lone), SONDE_BODY_MULTIPART);
  g_list_store_append (sonde_body_get_parts (sonde_request_get_body (lone)), inside);
  g_list_store_append (sonde_body_get_parts (sonde_request_get_body (lone)), outside);

  node = sonde_collection_add_request (fixture->collection, node_at (fixture, "users/admin"), lone, NULL, &error);
  g_assert_no_error (error);
  assert_changes (&before, "+users/admin/lone.request.json");
  text = read_text (fixture->dir, "users/admin/lone.request.json");
  expected_outside = g_strdup_printf ("{\"name\": \"outside\", \"file\": \"%s/data.bin\"}", lone_dir);
  g_assert_nonnull (strstr (text, "{\"name\": \"inside\", \"file\": \"files/hello.txt\"}"));
  g_assert_nonnull (strstr (text, expected_outside));
  g_assert_nonnull (strstr (text, "\"order\": 2000,"));
  g_assert_cmpstr (sonde_collection_node_get_name (node), ==, "Lone");
  /* The lone request itself is not changed. */
  g_assert_null (sonde_request_get_file (lone));

  created = sonde_collection_create (new_dir_file, "New API", &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = read_text (new_dir, "sonde-collection.json");
  g_assert_cmpstr (text, ==, "{\n  \"format\": 1,\n  \"name\": \"New API\"\n}\n");
  g_assert_cmpstr (sonde_collection_get_name (created), ==, "New API");
  g_assert_cmpuint (g_list_model_get_n_items (sonde_collection_node_get_children (sonde_collection_get_root (created))), ==, 0);
  g_assert_null (sonde_collection_create (new_dir_file, "Again", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

/* A failed save leaves the old file as it was and says why. */
static void
test_atomic_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  SondeCollectionNode *node = node_at (fixture, "users/list-users.request.json");
  g_autoptr(SondeRequest) edited = sonde_request_copy (sonde_collection_node_get_request (node));
  g_autofree char *blocker = g_build_filename (fixture->dir, "users", "list-users.body.json", NULL);
  g_autofree char *blocker_child = g_build_filename (blocker, "child", NULL);
  g_autoptr(GError) error = NULL;
  Snapshot before;

  /* The sidecar's name is taken by a folder: writing it fails, as root too. */
  g_assert_no_errno (g_mkdir (blocker, 0755));
  g_assert_true (g_file_set_contents (blocker_child, "x", -1, NULL));
  before = take_snapshot (fixture);

  sonde_body_set_kind (sonde_request_get_body (edited), SONDE_BODY_JSON);
  sonde_body_set_text (sonde_request_get_body (edited), "{\n  \"long\": true\n}\n");
  g_assert_false (sonde_collection_save_request (fixture->collection, node, edited, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "list-users.body.json"));
  assert_changes (&before, "");
  g_assert_cmpint (sonde_body_get_kind (sonde_request_get_body (sonde_collection_node_get_request (node))), ==,
                   SONDE_BODY_NONE);
  g_clear_error (&error);

  /* A folder whose directory became a file (its parent is not a folder): the new file
   * cannot be created, and says so. */
  {
    SondeCollectionNode *admin = node_at (fixture, "users/admin");
    g_autofree char *admin_path = g_build_filename (fixture->dir, "users", "admin", NULL);
    g_autofree char *moved_path = g_build_filename (fixture->temp_dir, "admin-moved", NULL);

    g_assert_no_errno (g_rename (admin_path, moved_path));
    write_text (fixture->dir, "users/admin", "not a folder");
    before = take_snapshot (fixture);
    g_assert_null (sonde_collection_create_request (fixture->collection, admin, "New", &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "new.request.json"));
    g_clear_error (&error);
    assert_changes (&before, "");
    remove_file (fixture->dir, "users/admin");
    g_assert_no_errno (g_rename (moved_path, admin_path));
  }

  /* The collection file cannot be replaced by a folder's rename either. */
  make_dir (fixture->dir, "users/taken");
  write_text (fixture->dir, "users/taken/x.txt", "x");
  before = take_snapshot (fixture);
  g_assert_false (sonde_collection_rename (fixture->collection, node_at (fixture, "users/admin"), "taken", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  assert_changes (&before, "");
}

/* Live reload */

typedef struct
{
  SondeCollectionNode *node;
  gboolean             deleted;
  guint                count;
} ChangedOnDisk;

static void
changed_on_disk_cb (SondeCollection     *collection,
                    SondeCollectionNode *node,
                    gboolean             deleted,
                    ChangedOnDisk       *changed)
{
  changed->node = node;
  changed->deleted = deleted;
  changed->count++;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_until_count (ChangedOnDisk *changed,
                  guint          count)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (changed->count < count && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
spin_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

/* What the monitor reads is read in a thread ("reloaded" says when it was merged); a reload
 * made here meanwhile (an operation of the window) wins over the older news of the thread,
 * which is read again. */
static void
test_watch_thread (Fixture       *fixture,
                   gconstpointer  data)
{
  SondeCollectionNode *users = node_at (fixture, "users");
  g_autoptr(GError) error = NULL;
  SondeCollectionNode *created;
  ChangedOnDisk changed = { 0 };
  guint reloads = 0;
  gboolean timed_out = FALSE;
  guint id;

  g_signal_connect (fixture->collection, "request-changed-on-disk", G_CALLBACK (changed_on_disk_cb), &changed);
  g_signal_connect (fixture->collection, "reloaded", G_CALLBACK (count_cb), &reloads);
  /* The first reload starts in a thread; a request is created before it ends */
  sonde_collection_watch (fixture->collection);
  created = sonde_collection_create_request (fixture->collection, users, "Made here", &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);

  id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (reloads == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  spin_for (300);
  /* Never taken for deleted by the older scan */
  g_assert_true (sonde_collection_find_node (fixture->collection, sonde_collection_node_get_file (created)) == created);
  g_assert_cmpuint (changed.count, ==, 0);

  /* A change on disk: merged by the main loop, the node kept and updated */
  write_text (fixture->dir, "users/list-users.request.json",
              "{\n  \"name\": \"Listed\",\n  \"order\": 1000,\n  \"method\": \"GET\",\n  \"url\": \"x\"\n}\n");
  spin_until_count (&changed, 1);
  g_assert_cmpstr (sonde_collection_node_get_name (changed.node), ==, "Listed");
  g_assert_cmpuint (reloads, >=, 2);
}

static void
test_watch (Fixture       *fixture,
            gconstpointer  data)
{
  SondeCollectionNode *node = node_at (fixture, "users/list-users.request.json");
  SondeCollectionNode *users = node_at (fixture, "users");
  SondeRequest *old_request = sonde_collection_node_get_request (node);
  g_autoptr(SondeRequest) edited = sonde_request_copy (old_request);
  g_autoptr(GError) error = NULL;
  ChangedOnDisk changed = { 0 };
  gboolean timed_out = FALSE;
  guint id;

  g_signal_connect (fixture->collection, "request-changed-on-disk", G_CALLBACK (changed_on_disk_cb), &changed);
  sonde_collection_watch (fixture->collection);

  /* Another editor writes the file. */
  write_text (fixture->dir, "users/list-users.request.json",
              "{\n  \"name\": \"List users\",\n  \"order\": 1000,\n  \"method\": \"GET\",\n  \"url\": \"changed\"\n}\n");
  spin_until_count (&changed, 1);
  g_assert_true (changed.node == node);
  g_assert_false (changed.deleted);
  g_assert_cmpstr (sonde_request_get_url (sonde_collection_node_get_request (node)), ==, "changed");

  /* A sidecar changed on its own counts too. */
  write_text (fixture->dir, "users/create-user.body.json", "{}\n");
  spin_until_count (&changed, 2);
  g_assert_true (changed.node == node_at (fixture, "users/create-user.request.json"));
  g_assert_cmpstr (sonde_body_get_text (sonde_request_get_body (sonde_collection_node_get_request (changed.node))),
                   ==, "{}\n");

  /* Sonde's own saves are not changes on disk. */
  sonde_request_set_url (edited, "mine");
  g_assert_true (sonde_collection_save_request (fixture->collection, node, edited, &error));
  g_assert_no_error (error);
  spin_for (400);
  g_assert_cmpuint (changed.count, ==, 2);

  /* A new file appears in the tree (git pull). */
  write_text (fixture->dir, "users/new.request.json",
              "{\n  \"name\": \"New\",\n  \"order\": 1500,\n  \"method\": \"GET\",\n  \"url\": \"\"\n}\n");
  id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (g_list_model_get_n_items (sonde_collection_node_get_children (users)) != 5 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  assert_names (users, "List users|New|Create user|admin|broken");

  /* A new folder, and a file in it. */
  make_dir (fixture->dir, "later");
  spin_for (300);
  write_text (fixture->dir, "later/x.request.json", "{\n  \"name\": \"X\",\n  \"method\": \"GET\",\n  \"url\": \"\"\n}\n");
  timed_out = FALSE;
  id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (!timed_out)
    {
      g_autofree char *path = g_build_filename (fixture->dir, "later", "x.request.json", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      if (sonde_collection_find_node (fixture->collection, file) != NULL)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (timed_out);
  g_source_remove (id);

  /* Deleted by someone else (a checkout of another branch). */
  remove_file (fixture->dir, "users/list-users.request.json");
  spin_until_count (&changed, 3);
  g_assert_true (changed.node == node);
  g_assert_true (changed.deleted);
  assert_names (users, "New|Create user|admin|broken");

  /* Environments follow too. */
  write_text (fixture->dir, "environments/prod.json", "{\n  \"name\": \"Prod\",\n  \"variables\": []\n}\n");
  timed_out = FALSE;
  id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (sonde_collection_find_environment (fixture->collection, "Prod") == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  g_signal_handlers_disconnect_by_func (fixture->collection, changed_on_disk_cb, &changed);
}

static void
spin_until_reloads (guint *reloads,
                    guint  count)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (*reloads < count && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
save_and_wait (SondeCollection     *collection,
               SondeCollectionNode *node,
               SondeRequest        *request)
{
  SendResult result = { 0 };

  sonde_collection_save_request_async (collection, node, request, NULL, saved_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (result.error);
}

/* Watched (the window): the operations change the tree in place and leave reading the folder
 * to a thread. A file someone else wrote shows only once "reloaded" says the thread's findings
 * were merged; the operations' nodes keep their identity through it, and Sonde's own writes
 * are never news. */
static void
test_ops_in_place (Fixture       *fixture,
                   gconstpointer  data)
{
  SondeCollectionNode *root = sonde_collection_get_root (fixture->collection);
  SondeCollectionNode *users = node_at (fixture, "users");
  g_autofree char *outside_path = g_build_filename (fixture->dir, "users", "outside.request.json", NULL);
  g_autoptr(GFile) outside = g_file_new_for_path (outside_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) edited = NULL;
  SondeCollectionNode *created, *folder, *copy;
  ChangedOnDisk changed = { 0 };
  guint reloads = 0;

  g_signal_connect (fixture->collection, "request-changed-on-disk", G_CALLBACK (changed_on_disk_cb), &changed);
  g_signal_connect (fixture->collection, "reloaded", G_CALLBACK (count_cb), &reloads);
  sonde_collection_watch (fixture->collection);
  spin_until_reloads (&reloads, 1);

  /* Nothing below iterates the main loop until the end: the monitor's news wait. */
  write_text (fixture->dir, "users/outside.request.json",
              "{\n  \"name\": \"Outside\",\n  \"order\": 1,\n  \"method\": \"GET\",\n  \"url\": \"\"\n}\n");

  created = sonde_collection_create_request (fixture->collection, users, "Made here", &error);
  g_assert_no_error (error);
  g_assert_true (sonde_collection_node_get_parent (created) == users);
  assert_names (users, "List users|Create user|admin|Made here|broken");

  folder = sonde_collection_create_folder (fixture->collection, root, "Fresh", &error);
  g_assert_no_error (error);
  g_assert_true (sonde_collection_node_get_parent (folder) == root);

  g_assert_true (sonde_collection_rename (fixture->collection, created, "Renamed", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_collection_node_get_name (created), ==, "Renamed");

  g_assert_true (sonde_collection_move (fixture->collection, created, folder, 0, &error));
  g_assert_no_error (error);
  assert_names (folder, "Renamed");
  assert_names (users, "List users|Create user|admin|broken");

  /* Moved first in its folder: the children are in their order at once. */
  g_assert_true (sonde_collection_move (fixture->collection, node_at (fixture, "users/admin"), users, 0, &error));
  g_assert_no_error (error);
  assert_names (users, "admin|List users|Create user|broken");

  copy = sonde_collection_duplicate (fixture->collection, created, &error);
  g_assert_no_error (error);
  assert_names (folder, "Renamed|Renamed copy");

  edited = sonde_request_copy (sonde_collection_node_get_request (copy));
  sonde_request_set_url (edited, "http://127.0.0.1/edited");
  save_and_wait (fixture->collection, copy, edited);
  g_assert_cmpstr (sonde_request_get_url (sonde_collection_node_get_request (copy)), ==, "http://127.0.0.1/edited");

  g_assert_true (sonde_collection_delete (fixture->collection, copy, &error));
  g_assert_no_error (error);
  assert_names (folder, "Renamed");

  /* The thread's reading brings what the operations did not make, and keeps what they did. */
  g_assert_null (sonde_collection_find_node (fixture->collection, outside));
  {
    gboolean timed_out = FALSE;
    guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

    while (sonde_collection_find_node (fixture->collection, outside) == NULL && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_source_remove (id);
  }
  spin_for (400);
  assert_names (users, "Outside|admin|List users|Create user|broken");
  assert_names (folder, "Renamed");
  g_assert_true (sonde_collection_node_get_parent (created) == folder);
  g_assert_true (sonde_collection_find_node (fixture->collection, sonde_collection_node_get_file (folder)) == folder);
  g_assert_cmpuint (changed.count, ==, 0);

  g_signal_handlers_disconnect_by_func (fixture->collection, changed_on_disk_cb, &changed);
}

/* A request deleted on disk while open, then saved: written again, and the same node goes
 * back in the tree where its folder is (what the window's Save does for a deleted page). */
static void
test_save_deleted (Fixture       *fixture,
                   gconstpointer  data)
{
  SondeCollectionNode *node = node_at (fixture, "users/list-users.request.json");
  SondeCollectionNode *users = node_at (fixture, "users");
  g_autoptr(SondeRequest) edited = sonde_request_copy (sonde_collection_node_get_request (node));
  ChangedOnDisk changed = { 0 };

  g_object_ref (node);
  g_signal_connect (fixture->collection, "request-changed-on-disk", G_CALLBACK (changed_on_disk_cb), &changed);
  sonde_collection_watch (fixture->collection);
  remove_file (fixture->dir, "users/list-users.request.json");
  spin_until_count (&changed, 1);
  g_assert_true (changed.deleted);
  g_assert_null (sonde_collection_node_get_parent (node));

  sonde_request_set_url (edited, "http://127.0.0.1/again");
  save_and_wait (fixture->collection, node, edited);
  g_assert_true (sonde_collection_node_get_parent (node) == users);
  g_assert_true (node_at (fixture, "users/list-users.request.json") == node);
  assert_names (users, "List users|Create user|admin|broken");
  spin_for (400);
  g_assert_true (node_at (fixture, "users/list-users.request.json") == node);
  g_assert_cmpuint (changed.count, ==, 1);

  g_signal_handlers_disconnect_by_func (fixture->collection, changed_on_disk_cb, &changed);
  g_object_unref (node);
}

/* The window's create and rename: written and read back in a thread, the same bytes as the
 * sync ones, the tree changed in _finish () */
static void
test_create_rename_async (Fixture       *fixture,
                          gconstpointer  data)
{
  SondeCollectionNode *users = node_at (fixture, "users");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SondeCollectionNode *created;
  AsyncWait wait = { NULL };
  Snapshot before;

  sonde_collection_watch (fixture->collection);
  before = take_snapshot (fixture);
  sonde_collection_create_request_async (fixture->collection, users, "Made here", NULL, async_done_cb, &wait);
  /* Nothing in the tree until it is written */
  assert_names (users, "List users|Create user|admin|broken");
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  created = sonde_collection_create_request_finish (fixture->collection, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_true (sonde_collection_node_get_parent (created) == users);
  assert_changes (&before, "+users/made-here.request.json");
  assert_names (users, "List users|Create user|admin|Made here|broken");
  text = read_text (fixture->dir, "users/made-here.request.json");
  g_assert_cmpstr (text, ==, "{\n  \"name\": \"Made here\",\n  \"order\": 4000,\n"
                             "  \"method\": \"GET\",\n  \"url\": \"\"\n}\n");

  before = take_snapshot (fixture);
  sonde_collection_rename_async (fixture->collection, created, "Renamed", NULL, async_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sonde_collection_rename_finish (fixture->collection, wait.result, &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  assert_changes (&before, "~users/made-here.request.json");
  g_assert_cmpstr (sonde_collection_node_get_name (created), ==, "Renamed");
  g_assert_true (node_at (fixture, "users/made-here.request.json") == created);

  /* A new folder: its directory and folder.json, then in the tree */
  before = take_snapshot (fixture);
  sonde_collection_create_folder_async (fixture->collection, users, "Orders", NULL, async_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  created = sonde_collection_create_folder_finish (fixture->collection, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_true (sonde_collection_node_get_parent (created) == users);
  g_assert_cmpstr (sonde_collection_node_get_name (created), ==, "Orders");
  assert_names (users, "List users|Create user|admin|Renamed|Orders|broken");
  assert_changes (&before, "+users/Orders/folder.json");

  /* A folder: its directory renamed in the thread, its nodes follow; the root: its file */
  {
    SondeCollectionNode *admin = node_at (fixture, "users/admin");
    SondeCollectionNode *upload = node_at (fixture, "users/admin/upload.request.json");
    SondeCollectionNode *root = sonde_collection_get_root (fixture->collection);

    before = take_snapshot (fixture);
    sonde_collection_rename_async (fixture->collection, admin, "Admins", NULL, async_done_cb, &wait);
    while (wait.result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (sonde_collection_rename_finish (fixture->collection, wait.result, &error));
    g_clear_object (&wait.result);
    g_assert_no_error (error);
    g_assert_cmpstr (sonde_collection_node_get_name (admin), ==, "Admins");
    g_assert_true (node_at (fixture, "users/Admins") == admin);
    g_assert_true (node_at (fixture, "users/Admins/upload.request.json") == upload);
    assert_changes (&before, "+users/Admins/folder.json +users/Admins/upload.request.json "
                             "-users/admin/folder.json -users/admin/upload.request.json");

    sonde_collection_rename_async (fixture->collection, root, "Renamed API", NULL, async_done_cb, &wait);
    while (wait.result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (sonde_collection_rename_finish (fixture->collection, wait.result, &error));
    g_clear_object (&wait.result);
    g_assert_no_error (error);
    g_assert_cmpstr (sonde_collection_get_name (fixture->collection), ==, "Renamed API");
    g_clear_pointer (&text, g_free);
    text = read_text (fixture->dir, "sonde-collection.json");
    g_assert_nonnull (strstr (text, "\"name\": \"Renamed API\""));
  }

  /* A file that does not parse is not written */

  before = take_snapshot (fixture);
  sonde_collection_rename_async (fixture->collection, node_at (fixture, "users/broken.request.json"), "Fixed",
                                 NULL, async_done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sonde_collection_rename_finish (fixture->collection, wait.result, &error));
  g_clear_object (&wait.result);
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  assert_changes (&before, "");
}

/* Containment: real paths on both sides, and an allow list that survives a restart. */
static void
test_file_access (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *temp = g_dir_make_tmp ("sonde-access-XXXXXX", &error);
  g_autofree char *root_path = g_build_filename (temp, "collection", NULL);
  g_autofree char *inside_path = g_build_filename (root_path, "a", "b.txt", NULL);
  g_autofree char *outside_path = g_build_filename (temp, "outside.txt", NULL);
  g_autofree char *link_path = g_build_filename (root_path, "link", NULL);
  g_autofree char *list_path = g_build_filename (temp, "state", "allowed.ini", NULL);
  g_autofree char *sibling_path = g_build_filename (temp, "collection-other", "x", NULL);
  g_autoptr(GFile) root = g_file_new_for_path (root_path);
  g_autoptr(GFile) inside = g_file_new_for_path (inside_path);
  g_autoptr(GFile) outside = g_file_new_for_path (outside_path);
  g_autoptr(GFile) link = g_file_new_for_path (link_path);
  g_autoptr(GFile) through_link = g_file_get_child (link, "outside.txt");
  g_autoptr(GFile) sibling = g_file_new_for_path (sibling_path);
  g_autoptr(GFile) missing = g_file_resolve_relative_path (root, "new/file.txt");
  g_autoptr(GFile) list = g_file_new_for_path (list_path);
  g_autoptr(SondeFileAccess) access = sonde_file_access_new (list);
  g_autoptr(SondeFileAccess) reloaded = NULL;

  g_assert_no_error (error);
  g_assert_no_errno (g_mkdir_with_parents (root_path, 0755));
  g_assert_no_errno (symlink (temp, link_path));

  g_assert_true (sonde_file_is_inside (root, root));
  g_assert_true (sonde_file_is_inside (root, inside));
  g_assert_true (sonde_file_is_inside (root, missing));
  g_assert_false (sonde_file_is_inside (root, outside));
  g_assert_false (sonde_file_is_inside (root, through_link));
  g_assert_false (sonde_file_is_inside (root, sibling));   /* "collection-other" */

  g_assert_false (sonde_file_access_is_allowed (access, root, outside));
  sonde_file_access_allow (access, root, through_link, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_file_access_is_allowed (access, root, outside));
  g_assert_false (sonde_file_access_is_allowed (access, root, sibling));

  reloaded = sonde_file_access_new (list);
  g_assert_true (sonde_file_access_is_allowed (reloaded, root, outside));
  sonde_file_access_allow_for_process (reloaded, sibling);
  g_assert_true (sonde_file_access_is_allowed (reloaded, root, sibling));
  sonde_file_access_set_allow_all (reloaded, TRUE);
  g_assert_true (sonde_file_access_is_allowed (reloaded, root, missing));

  sonde_test_remove_tree (temp);
}

/* Order first (unset last), then name, then file name; a renamed node sorts by its new name. */
static void
test_node_order (void)
{
  g_autoptr(GFile) file_a = g_file_new_for_path ("/tmp/a.request.json");
  g_autoptr(GFile) file_b = g_file_new_for_path ("/tmp/b.request.json");
  g_autoptr(GFile) file_c = g_file_new_for_path ("/tmp/c.request.json");
  g_autoptr(SondeCollectionNode) a = sonde_collection_node_new_request (file_a);
  g_autoptr(SondeCollectionNode) b = sonde_collection_node_new_request (file_b);
  g_autoptr(SondeCollectionNode) c = sonde_collection_node_new_request (file_c);

  sonde_collection_node_set_name (a, "Alpha");
  sonde_collection_node_set_name (b, "Beta");
  sonde_collection_node_set_name (c, "Beta");
  g_assert_cmpint (sonde_collection_node_compare (a, b, NULL), <, 0);
  g_assert_cmpint (sonde_collection_node_compare (b, a, NULL), >, 0);
  /* Same name: by file name */
  g_assert_cmpint (sonde_collection_node_compare (b, c, NULL), <, 0);

  sonde_collection_node_set_name (a, "Gamma");
  g_assert_cmpint (sonde_collection_node_compare (a, b, NULL), >, 0);
  sonde_collection_node_set_name (a, "Alpha");
  g_assert_cmpint (sonde_collection_node_compare (a, b, NULL), <, 0);

  /* An order comes first, whatever the name */
  sonde_collection_node_set_order (b, 1000);
  g_assert_cmpint (sonde_collection_node_compare (a, b, NULL), >, 0);
  sonde_collection_node_set_order (a, 500);
  g_assert_cmpint (sonde_collection_node_compare (a, b, NULL), <, 0);
}

/* A folder of many requests is read by several threads: the tree is the same as one thread
 * makes (order, then name, then file name), a broken file is a node with its error, and a
 * reload of unchanged files keeps each node's request. */
/* What a folder lists: request files and folders holding requests or settings; not hidden
 * files, symbolic links (to a request or to a folder), other files or a folder named like a
 * request. */
static void
test_listing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *link = NULL;
  g_autofree char *dir_target = NULL;
  g_autofree char *dir_link = NULL;

  make_dir (fixture->dir, "listed");
  write_text (fixture->dir, "listed/a.request.json", "{\"name\": \"a\", \"url\": \"https://example.com/a\"}");
  write_text (fixture->dir, "listed/.hidden.request.json", "{\"name\": \"hidden\"}");
  write_text (fixture->dir, "listed/notes.txt", "not a request");
  make_dir (fixture->dir, "listed/dir.request.json");
  make_dir (fixture->dir, "listed/data");
  write_text (fixture->dir, "listed/data/upload.bin", "bytes");
  make_dir (fixture->dir, "listed/sub");
  write_text (fixture->dir, "listed/sub/b.request.json", "{\"name\": \"b\", \"url\": \"https://example.com/b\"}");
  target = g_build_filename (fixture->dir, "listed", "a.request.json", NULL);
  link = g_build_filename (fixture->dir, "listed", "link.request.json", NULL);
  g_assert_no_errno (symlink (target, link));
  dir_target = g_build_filename (fixture->dir, "listed", "sub", NULL);
  dir_link = g_build_filename (fixture->dir, "listed", "linked", NULL);
  g_assert_no_errno (symlink (dir_target, dir_link));

  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  g_assert_no_error (error);
  assert_names (node_at (fixture, "listed"), "a|sub");
  assert_names (node_at (fixture, "listed/sub"), "b");
}

static char *
check_ops (GPtrArray *checks)
{
  GString *ops = g_string_new (NULL);

  for (guint i = 0; i < checks->len; i++)
    g_string_append_printf (ops, "%s%s", i > 0 ? "," : "", ((SondeCheck *)checks->pdata[i])->op);
  return g_string_free (ops, FALSE);
}

/* A run reads each folder's checks once; a folder whose settings change is read again, and
 * one whose checks are malformed gives its error every time. */
static void
test_folder_checks_read_once (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GHashTable) folders = sonde_checks_folders_new ();
  g_autoptr(GError) error = NULL;

  make_dir (fixture->dir, "checked");
  write_text (fixture->dir, "checked/folder.json", "{\"checks\": [{\"source\": \"status\", \"op\": \"==\", \"value\": \"200\"}]}");
  write_text (fixture->dir, "checked/r.request.json",
              "{\"url\": \"https://example.com\", \"checks\": [{\"source\": \"body\", \"op\": \"exists\"}]}");
  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);
      g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);
      g_autofree char *ops = NULL;
      g_autofree char *plain_ops = NULL;

      g_assert_true (sonde_checks_for_node_with (node_at (fixture, "checked/r.request.json"), folders,
                                                 checks, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (sonde_checks_for_node (node_at (fixture, "checked/r.request.json"), plain, NULL, &error));
      ops = check_ops (checks);
      plain_ops = check_ops (plain);
      g_assert_cmpstr (ops, ==, plain_ops);
      g_assert_cmpstr (ops, ==, "==,exists");
    }

  /* Changed settings are read again */
  write_text (fixture->dir, "checked/folder.json", "{\"checks\": [{\"source\": \"status\", \"op\": \"<\", \"value\": \"500\"}]}");
  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);
    g_autofree char *ops = NULL;

    g_assert_true (sonde_checks_for_node_with (node_at (fixture, "checked/r.request.json"), folders,
                                               checks, NULL, &error));
    ops = check_ops (checks);
    g_assert_cmpstr (ops, ==, "<,exists");
  }

  /* A malformed folder check: its error, each time */
  write_text (fixture->dir, "checked/folder.json", "{\"checks\": [{\"source\": \"status\", \"op\": \"is\"}]}");
  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  g_assert_no_error (error);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);

      g_assert_false (sonde_checks_for_node_with (node_at (fixture, "checked/r.request.json"), folders,
                                                  checks, NULL, &error));
      g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
      g_assert_true (g_str_has_prefix (error->message, "checked: "));
      g_clear_error (&error);
    }
}

static void
test_many_requests (Fixture       *fixture,
                    gconstpointer  data)
{
  const guint n_requests = 300;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  SondeCollectionNode *many;
  GListModel *children;

  make_dir (fixture->dir, "many");
  for (guint i = 0; i < n_requests; i++)
    {
      g_autofree char *file = g_strdup_printf ("many/f%03u.request.json", i);
      g_autofree char *text = NULL;

      /* Orders run backwards from the file names; every tenth has none (after the rest,
       * by name), and every thirtieth does not parse. */
      if (i % 30 == 29)
        text = g_strdup ("{\"name\": ");
      else if (i % 10 == 9)
        text = g_strdup_printf ("{\"name\": \"n%03u\", \"url\": \"https://example.com/%u\"}", i, i);
      else
        text = g_strdup_printf ("{\"name\": \"o%03u\", \"order\": %u, \"url\": \"https://example.com/%u\"}",
                                i, 1000 * (n_requests - i), i);
      write_text (fixture->dir, file, text);
    }
  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  g_assert_no_error (error);

  many = node_at (fixture, "many");
  children = sonde_collection_node_get_children (many);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, n_requests);
  for (guint i = n_requests; i > 0; i--)
    if ((i - 1) % 10 != 9)
      g_string_append_printf (names, "o%03u|", i - 1);
  /* Without an order, by name: a broken file is named after its file. */
  for (guint i = 29; i < n_requests; i += 30)
    g_string_append_printf (names, "f%03u|", i);
  for (guint i = 9; i < n_requests; i += 10)
    if (i % 30 != 29)
      g_string_append_printf (names, "n%03u|", i);
  g_string_truncate (names, names->len - 1);
  expected = g_string_free (g_steal_pointer (&names), FALSE);
  assert_names (many, expected);

  for (guint i = 0; i < n_requests; i++)
    {
      g_autofree char *file = g_strdup_printf ("many/f%03u.request.json", i);
      SondeCollectionNode *node = node_at (fixture, file);
      SondeRequest *request = sonde_collection_node_get_request (node);

      if (i % 30 == 29)
        {
          g_assert_null (request);
          g_assert_nonnull (sonde_collection_node_get_error (node));
          g_assert_true (g_str_has_prefix (sonde_collection_node_get_error (node)->message,
                                           strrchr (file, '/') + 1));
        }
      else
        {
          g_autofree char *url = g_strdup_printf ("https://example.com/%u", i);

          g_assert_nonnull (request);
          g_assert_cmpstr (sonde_request_get_url (request), ==, url);
        }
      g_ptr_array_add (before, request);
    }

  /* Unchanged files are not parsed again. */
  g_assert_true (sonde_collection_reload (fixture->collection, &error));
  g_assert_no_error (error);
  assert_names (node_at (fixture, "many"), expected);
  for (guint i = 0; i < n_requests; i++)
    {
      g_autofree char *file = g_strdup_printf ("many/f%03u.request.json", i);

      g_assert_true (sonde_collection_node_get_request (node_at (fixture, file)) == before->pdata[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/collection/node-order", test_node_order);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  g_test_add_func ("/collection/file-access", test_file_access);
  ADD ("/collection/load", test_load);
  ADD ("/collection/load-async", test_load_async);
  ADD ("/collection/round-trip", test_round_trip);
  ADD ("/collection/broken-files", test_broken_files);
  ADD ("/collection/many-requests", test_many_requests);
  ADD ("/collection/listing", test_listing);
  ADD ("/collection/folder-checks-read-once", test_folder_checks_read_once);
  ADD ("/collection/inherit", test_inherit);
  ADD ("/collection/variables", test_variables);
  ADD ("/collection/variables-preview", test_variables_preview);
  ADD ("/collection/send", test_send);
  ADD ("/collection/async", test_async);
  ADD ("/collection/ops/create-rename-request", test_create_rename_request);
  ADD ("/collection/ops/move-request", test_move_request);
  ADD ("/collection/ops/renumber", test_renumber);
  ADD ("/collection/ops/folders", test_folders);
  g_test_add ("/collection/ops/move-request-async", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_move_request, fixture_tear_down);
  g_test_add ("/collection/ops/renumber-async", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_renumber, fixture_tear_down);
  g_test_add ("/collection/ops/folders-async", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_folders, fixture_tear_down);
  ADD ("/collection/ops/duplicate-delete", test_duplicate_delete);
  g_test_add ("/collection/ops/duplicate-delete-async", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_duplicate_delete, fixture_tear_down);
  ADD ("/collection/ops/save-as-and-create", test_save_as_and_create);
  ADD ("/collection/atomic-failure", test_atomic_failure);
  ADD ("/collection/watch", test_watch);
  ADD ("/collection/watch-thread", test_watch_thread);
  ADD ("/collection/ops-in-place", test_ops_in_place);
  ADD ("/collection/save-deleted", test_save_deleted);
  ADD ("/collection/ops/create-rename-async", test_create_rename_async);
#undef ADD

  return g_test_run ();
}
