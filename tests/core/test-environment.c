/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Environments, the secret store and a collection's local state. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "sonde-collection.h"
#include "sonde-core.h"

#include "collection-test-utils.h"

static const char *staging_text =
  "{\n"
  "  \"name\": \"Staging\",\n"
  "  \"variables\": [\n"
  "    {\"name\": \"level\", \"value\": \"staging\"},\n"
  "    {\"name\": \"env_only\", \"value\": \"yes\"},\n"
  "    {\"name\": \"token\", \"secret\": true}\n"
  "  ],\n"
  "  \"color\": \"orange\"\n"
  "}\n";

static void
test_round_trip (void)
{
  g_autoptr(SondeEnvironment) environment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  GListModel *variables;
  g_autoptr(SondeKeyValue) token = NULL;

  environment = sonde_environment_load_from_data (staging_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sonde_environment_get_name (environment), ==, "Staging");
  variables = G_LIST_MODEL (sonde_environment_get_variables (environment));
  g_assert_cmpuint (g_list_model_get_n_items (variables), ==, 3);
  token = g_list_model_get_item (variables, 2);
  g_assert_true (sonde_variable_get_secret (token));
  g_assert_cmpstr (sonde_key_value_get_value (token), ==, "");

  /* Byte for byte, unknown keys included. */
  data = sonde_environment_to_data (environment);
  g_assert_cmpstr (data, ==, staging_text);

  /* An empty environment still lists its variables. */
  g_clear_object (&environment);
  g_clear_pointer (&data, g_free);
  environment = sonde_environment_new ("Empty");
  data = sonde_environment_to_data (environment);
  g_assert_cmpstr (data, ==, "{\n  \"name\": \"Empty\",\n  \"variables\": []\n}\n");
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (sonde_environment_load_from_data ("{\n  \"name\": 3\n}\n", -1, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "“name”"));
  g_clear_error (&error);

  g_assert_null (sonde_environment_load_from_data ("{\"variables\": [{\"name\": \"a\", \"secret\": \"yes\"}]}", -1, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "“variables”[0].“secret”"));
  g_clear_error (&error);

  g_assert_null (sonde_environment_load_from_data ("{\"name\": ", -1, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_clear_error (&error);

  /* json-glib 1.6 would keep the first of two documents and drop the second. */
  g_assert_null (sonde_environment_load_from_data ("{\"name\": \"first\"}\n{\"name\": \"second\"}\n", -1, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 2"));
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sonde_secret_store_store_finish (SONDE_SECRET_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **value = user_data;
  g_autoptr(GError) error = NULL;

  *value = sonde_secret_store_lookup_finish (SONDE_SECRET_STORE (object), result, &error);
  g_assert_no_error (error);
  if (*value == NULL)
    *value = g_strdup ("(none)");
}

/* *DONE set when the lookup ended, and its value NULL */
static void
looked_up_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree char *value = sonde_secret_store_lookup_finish (SONDE_SECRET_STORE (object), result, NULL);

  g_assert_null (value);
  *(gboolean *) user_data = TRUE;
}

static void
test_secret_store_file (void)
{
  g_autoptr(SondeSecretStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "sonde", "secrets.json", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *value = NULL;
  gboolean done = FALSE;
  GStatBuf st;

  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
  store = sonde_secret_store_new ();
  g_assert_cmpint (sonde_secret_store_get_backend (store), ==, SONDE_SECRET_BACKEND_FILE);

  g_assert_null (sonde_secret_store_lookup_sync (store, "/c", "env", "token", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (sonde_secret_store_store_sync (store, "/c", "env", "token", "one", NULL, &error));
  g_assert_true (sonde_secret_store_store_sync (store, "/c", "other", "token", "two", NULL, &error));
  g_assert_true (sonde_secret_store_store_sync (store, "/d", "env", "token", "three", NULL, &error));
  g_assert_true (sonde_secret_store_store_sync (store, "/c", NULL, "token", "four", NULL, &error));
  g_assert_no_error (error);

  /* Keyed by collection, environment and name. */
  value = sonde_secret_store_lookup_sync (store, "/c", "env", "token", NULL, &error);
  g_assert_cmpstr (value, ==, "one");
  g_clear_pointer (&value, g_free);
  value = sonde_secret_store_lookup_sync (store, "/c", "other", "token", NULL, &error);
  g_assert_cmpstr (value, ==, "two");
  g_clear_pointer (&value, g_free);
  value = sonde_secret_store_lookup_sync (store, "/c", "", "token", NULL, &error);
  g_assert_cmpstr (value, ==, "four");
  g_clear_pointer (&value, g_free);

  /* Only the user can read the file. */
  g_assert_no_errno (g_stat (path, &st));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_no_errno (g_stat (dir, &st));
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  g_assert_true (sonde_secret_store_clear_sync (store, "/c", "env", "token", NULL, &error));
  g_assert_true (sonde_secret_store_clear_sync (store, "/c", "env", "token", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (sonde_secret_store_lookup_sync (store, "/c", "env", "token", NULL, &error));

  /* Async */
  sonde_secret_store_store_async (store, "/c", "env", "token", "async", NULL, stored_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  sonde_secret_store_lookup_async (store, "/c", "env", "token", NULL, looked_up_cb, &value);
  while (value == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (value, ==, "async");
  g_clear_pointer (&value, g_free);

  /* Calls run in the order they were made: forty writes, the last a clear, then a lookup
   * made at once, without waiting, sees nothing */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("v%u", i);

      sonde_secret_store_store_async (store, "/c", "env", "order", i == 39 ? NULL : text, NULL, NULL, NULL);
    }
  done = FALSE;
  sonde_secret_store_lookup_async (store, "/c", "env", "order", NULL, looked_up_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (sonde_secret_store_lookup_sync (store, "/c", "env", "order", NULL, &error));
  sonde_secret_store_store_async (store, "/c", "env", "order", "last", NULL, NULL, NULL);
  sonde_secret_store_lookup_async (store, "/c", "env", "order", NULL, looked_up_cb, &value);
  while (value == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (value, ==, "last");

  /* A damaged file is an error, not an empty store to overwrite. */
  g_assert_true (g_file_set_contents (path, "{ nope", -1, NULL));
  g_assert_null (sonde_secret_store_lookup_sync (store, "/c", "env", "token", NULL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (sonde_secret_store_store_sync (store, "/c", "env", "token", "x", NULL, &error));
  g_assert_nonnull (error);
  g_unlink (path);
}

/* A session bus that only counts who connects to it, and hangs up on them. */
typedef struct
{
  GSocketService *service;
  char           *dir;
  guint           connections;
} FakeBus;

static gboolean
fake_bus_incoming_cb (GSocketService    *service,
                      GSocketConnection *connection,
                      GObject           *source_object,
                      gpointer           user_data)
{
  FakeBus *bus = user_data;

  bus->connections++;
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
fake_bus_start (FakeBus *bus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bus_address = NULL;

  bus->dir = g_dir_make_tmp ("sonde-bus-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (bus->dir, "bus", NULL);
  address = g_unix_socket_address_new (path);
  bus->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (bus->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (bus->service, "incoming", G_CALLBACK (fake_bus_incoming_cb), bus);
  g_socket_service_start (bus->service);

  bus_address = g_strconcat ("unix:path=", path, NULL);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);
}

static void
fake_bus_stop (FakeBus *bus)
{
  g_autofree char *path = g_build_filename (bus->dir, "bus", NULL);

  g_socket_service_stop (bus->service);
  g_socket_listener_close (G_SOCKET_LISTENER (bus->service));
  g_clear_object (&bus->service);
  g_unlink (path);
  g_rmdir (bus->dir);
  g_clear_pointer (&bus->dir, g_free);
}

static void
spin_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* SONDE_SECRET_BACKEND=file: not one connection to the session bus. In a subprocess: the
 * process keeps its first session bus connection. */
static void
test_secret_store_file_without_dbus (void)
{
  FakeBus bus = { 0 };
  g_autoptr(SondeSecretStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gboolean done = FALSE;

  if (!g_test_subprocess ())
    {
      /* A probe on this thread would never hear the fake bus hang up: a timeout, not a hang. */
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  fake_bus_start (&bus);
  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
  store = sonde_secret_store_new ();
  g_assert_true (sonde_secret_store_store_sync (store, "/c", "env", "token", "one", NULL, &error));
  g_assert_no_error (error);
  sonde_secret_store_store_async (store, "/c", "env", "token", "two", NULL, stored_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  sonde_secret_store_lookup_async (store, "/c", "env", "token", NULL, looked_up_cb, &value);
  while (value == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (value, ==, "two");
  g_assert_cmpint (sonde_secret_store_get_backend (store), ==, SONDE_SECRET_BACKEND_FILE);

  spin_pending ();
  g_assert_cmpuint (bus.connections, ==, 0);
  fake_bus_stop (&bus);
}

/* Without SONDE_SECRET_BACKEND, creating the store asks nothing; the first async operation
 * probes the bus in its worker thread, once, and falls back on the file when no Secret
 * Service answers. */
static void
test_secret_store_deferred_probe (void)
{
  FakeBus bus = { 0 };
  g_autoptr(SondeSecretStore) store = NULL;
  g_autofree char *value = NULL;
  gboolean done = FALSE;

  if (!g_test_subprocess ())
    {
      /* A probe on this thread would never hear the fake bus hang up: a timeout, not a hang. */
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  fake_bus_start (&bus);
  g_unsetenv ("SONDE_SECRET_BACKEND");
  store = sonde_secret_store_new ();
  spin_pending ();
  g_assert_cmpuint (bus.connections, ==, 0);

  /* Two operations at once: both wait for the one probe. */
  sonde_secret_store_store_async (store, "/c", "env", "token", "kept", NULL, stored_cb, &done);
  sonde_secret_store_lookup_async (store, "/c", "other", "token", NULL, looked_up_cb, &value);
  while (!done || value == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (value, ==, "(none)");
  g_clear_pointer (&value, g_free);
  g_assert_cmpuint (bus.connections, ==, 1);
  g_assert_cmpint (sonde_secret_store_get_backend (store), ==, SONDE_SECRET_BACKEND_FILE);

  sonde_secret_store_lookup_async (store, "/c", "env", "token", NULL, looked_up_cb, &value);
  while (value == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (value, ==, "kept");
  spin_pending ();
  g_assert_cmpuint (bus.connections, ==, 1);
  fake_bus_stop (&bus);
}

static GTestDBus *kept_test_bus;

/* The keyring backend against a real Secret Service: gnome-keyring on a private bus. */
static void
test_secret_store_secret_service (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *runtime_dir = g_build_filename (g_get_user_runtime_dir (), "keyring-test", NULL);
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) keyring = NULL;
  g_autoptr(SondeSecretStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gboolean done = FALSE;

  if (daemon == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  g_assert_no_errno (g_mkdir_with_parents (runtime_dir, 0700));

  /* --unlock creates the login keyring, unlocked with the password on stdin. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  keyring = g_subprocess_launcher_spawn (launcher, &error, daemon, "--unlock", "--components=secrets",
                                         "--foreground", NULL);
  g_assert_no_error (error);
  {
    GOutputStream *input = g_subprocess_get_stdin_pipe (keyring);

    g_output_stream_write_all (input, "sonde-test", strlen ("sonde-test"), NULL, NULL, &error);
    g_assert_no_error (error);
    g_output_stream_close (input, NULL, &error);
    g_assert_no_error (error);
  }

  /* The daemon claims its name once it is ready. */
  {
    GDBusConnection *connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    gboolean owned = FALSE;

    g_assert_no_error (error);
    while (!owned && g_get_monotonic_time () < deadline)
      {
        g_autoptr(GVariant) reply = NULL;

        reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                             "org.freedesktop.DBus", "NameHasOwner",
                                             g_variant_new ("(s)", "org.freedesktop.secrets"),
                                             G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
        if (reply != NULL)
          g_variant_get (reply, "(b)", &owned);
        if (!owned)
          g_usleep (G_USEC_PER_SEC / 20);
      }
    g_object_unref (connection);
    if (!owned)
      {
        g_subprocess_force_exit (keyring);
        g_test_dbus_down (bus);
        g_test_skip ("gnome-keyring-daemon did not start");
        return;
      }
  }

  g_unsetenv ("SONDE_SECRET_BACKEND");
  store = sonde_secret_store_new ();
  g_assert_cmpint (sonde_secret_store_get_backend (store), ==, SONDE_SECRET_BACKEND_SECRET_SERVICE);

  g_assert_true (sonde_secret_store_store_sync (store, "/c", "env", "token", "in-the-keyring", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sonde_secret_store_store_sync (store, "/c", "other", "token", "other", NULL, &error));
  value = sonde_secret_store_lookup_sync (store, "/c", "env", "token", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "in-the-keyring");
  g_clear_pointer (&value, g_free);

  sonde_secret_store_lookup_async (store, "/c", "other", "token", NULL, looked_up_cb, &value);
  while (value == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (value, ==, "other");
  g_clear_pointer (&value, g_free);

  sonde_secret_store_store_async (store, "/c", "env", "token", NULL, NULL, stored_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (sonde_secret_store_lookup_sync (store, "/c", "env", "token", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sonde_secret_store_clear_sync (store, "/c", "env", "token", NULL, &error));
  g_assert_no_error (error);

  /* Nothing went to the file backend. */
  {
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "sonde", "secrets.json", NULL);

    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* libsecret keeps its connection to the bus: let it go before the bus does. */
  g_clear_object (&store);
  secret_service_disconnect ();
  g_subprocess_force_exit (keyring);

  g_subprocess_wait (keyring, NULL, NULL);

  /* libsecret keeps the bus connection (and so the GTestDBus) to the end of the process:
   * stop the bus without waiting for them, and without exiting when it closes. */
  {
    g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

    if (connection != NULL)
      g_dbus_connection_set_exit_on_close (connection, FALSE);
  }
  g_test_dbus_stop (bus);
  kept_test_bus = g_steal_pointer (&bus);
  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
}

/* A secret's value never lands in a file of the collection: read every file and look. */
static void
test_secrets_not_in_files (void)
{
  g_autofree char *temp_dir = NULL;
  g_autofree char *dir = copy_fixture ("api", &temp_dir);
  g_autofree char *secrets_path = g_build_filename (g_get_user_data_dir (), "sonde", "secrets.json", NULL);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autoptr(SondeCollection) collection = NULL;
  g_autoptr(SondeSecretStore) store = NULL;
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GHashTable) variables = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secrets_text = NULL;
  SondeEnvironment *staging;
  SondeEnvironment *created;
  SondeKeyValue *row;
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  const char *secret = "hunter2-very-secret";

  g_setenv ("SONDE_SECRET_BACKEND", "file", TRUE);
  store = sonde_secret_store_new ();
  collection = sonde_collection_load (dir_file, NULL, &error);
  g_assert_no_error (error);

  /* The UI's path: a row is marked secret, its value goes to the store, the file is saved. */
  staging = sonde_collection_find_environment (collection, "Staging");
  row = sonde_key_value_list_append (sonde_environment_get_variables (staging), "password", secret);
  sonde_variable_set_secret (row, TRUE);
  g_assert_cmpstr (sonde_key_value_get_value (row), ==, "");
  g_assert_true (sonde_secret_store_store_sync (store, sonde_collection_get_path (collection), "Staging",
                                                "password", secret, NULL, &error));
  g_assert_true (sonde_collection_save_environment (collection, staging, &error));
  g_assert_no_error (error);

  /* Even a value set on a secret row by mistake is not written. */
  created = sonde_collection_create_environment (collection, "Production", &error);
  g_assert_no_error (error);
  row = sonde_key_value_list_append (sonde_environment_get_variables (created), "password", "");
  sonde_variable_set_secret (row, TRUE);
  sonde_key_value_set_value (row, secret);
  g_assert_true (sonde_collection_save_environment (collection, created, &error));
  g_assert_no_error (error);
  g_assert_true (sonde_collection_state_set_active_environment (dir_file, "Production", &error));
  g_assert_no_error (error);

  /* Both environment files say only that it is secret. */
  {
    g_autofree char *text = read_text (dir, "environments/production.json");

    g_assert_cmpstr (text, ==, "{\n  \"name\": \"Production\",\n  \"variables\": [\n"
                               "    {\"name\": \"password\", \"secret\": true}\n  ]\n}\n");
  }

  files = snapshot (dir);
  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gsize length;
      const char *data = g_bytes_get_data (value, &length);

      g_assert_null (g_strstr_len (data, length, secret));
      g_assert_null (g_strstr_len (data, length, "active-environment"));
    }

  /* It is in the store (a 0600 file outside the collection), and it is used. */
  secrets_text = read_text (secrets_path, "");
  g_assert_nonnull (strstr (secrets_text, secret));
  variables = sonde_collection_build_variables (collection, NULL, NULL, staging, store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (variables, "password"), ==, secret);

  g_assert_finalize_object (g_steal_pointer (&collection));
  remove_tree (temp_dir);
  g_unlink (secrets_path);
}

typedef struct
{
  gboolean  done;
  gboolean  saved;
  GError   *error;
} SaveResult;

static void
environment_saved_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  SaveResult *save = user_data;

  save->saved = sonde_collection_save_environment_finish (SONDE_COLLECTION (object), result, &save->error);
  save->done = TRUE;
}

/* Spins until the save reports; TRUE when it succeeded. */
static gboolean
wait_saved (SaveResult *save)
{
  while (!save->done)
    g_main_context_iteration (NULL, TRUE);
  save->done = FALSE;
  return save->saved;
}

static void
reloaded_cb (SondeCollection *collection,
             gpointer         user_data)
{
  guint *reloads = user_data;

  (*reloads)++;
}

/* The editor's save: written in a thread, the last of overlapping saves wins, a delete made
 * meanwhile is not undone, and the reload keeps the environment object. */
static void
test_save_environment_async (void)
{
  g_autofree char *temp_dir = NULL;
  g_autofree char *dir = copy_fixture ("api", &temp_dir);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autofree char *path = g_build_filename (dir, "environments", "staging.json", NULL);
  g_autoptr(SondeCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  SaveResult first = { 0 };
  SaveResult second = { 0 };
  g_autofree char *text = NULL;
  SondeEnvironment *staging;
  SondeEnvironment *broken;
  SondeKeyValue *row;
  guint reloads = 0;
  gint64 deadline;

  collection = sonde_collection_load (dir_file, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (collection, "reloaded", G_CALLBACK (reloaded_cb), &reloads);
  staging = sonde_collection_find_environment (collection, "Staging");
  g_assert_nonnull (staging);

  row = sonde_key_value_list_append (sonde_environment_get_variables (staging), "async_var", "one");
  sonde_collection_save_environment_async (collection, staging, NULL, environment_saved_cb, &first);
  g_assert_true (wait_saved (&first));
  text = read_text (path, "");
  g_assert_nonnull (strstr (text, "{\"name\": \"async_var\", \"value\": \"one\"}"));
  g_clear_pointer (&text, g_free);
  while (reloads == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sonde_collection_find_environment (collection, "Staging") == staging);

  /* Two saves at once: the file ends with the second, whichever thread runs last. */
  sonde_key_value_set_value (row, "two");
  sonde_collection_save_environment_async (collection, staging, NULL, environment_saved_cb, &first);
  sonde_key_value_set_value (row, "three");
  sonde_collection_save_environment_async (collection, staging, NULL, environment_saved_cb, &second);
  g_assert_true (wait_saved (&first));
  g_assert_true (wait_saved (&second));
  text = read_text (path, "");
  g_assert_nonnull (strstr (text, "\"value\": \"three\""));
  g_assert_null (strstr (text, "\"value\": \"two\""));
  g_clear_pointer (&text, g_free);
  /* No reload, in a thread or not, took either write for someone else's change. */
  reloads = 0;
  while (reloads == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sonde_collection_find_environment (collection, "Staging") == staging);

  /* Broken files are never written, in a thread either. */
  write_text (dir, "environments/broken.json", "{\n  \"name\": \"Broken\",\n");
  g_assert_true (sonde_collection_reload (collection, &error));
  g_assert_no_error (error);
  broken = sonde_collection_find_environment (collection, "broken");
  g_assert_nonnull (broken);
  sonde_collection_save_environment_async (collection, broken, NULL, environment_saved_cb, &first);
  g_assert_false (wait_saved (&first));
  g_assert_error (first.error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE);
  g_clear_error (&first.error);
  text = read_text (dir, "environments/broken.json");
  g_assert_cmpstr (text, ==, "{\n  \"name\": \"Broken\",\n");
  g_clear_pointer (&text, g_free);

  /* A save still in its thread when the environment is deleted does not bring it back. */
  staging = sonde_collection_find_environment (collection, "Staging");
  sonde_key_value_set_value (row, "four");
  sonde_collection_save_environment_async (collection, staging, NULL, environment_saved_cb, &first);
  g_assert_true (sonde_collection_delete_environment (collection, staging, &error));
  g_assert_no_error (error);
  g_assert_true (wait_saved (&first));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* The reloads in threads hold the collection a moment longer. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&G_OBJECT (collection)->ref_count) > 1 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_signal_handlers_disconnect_by_data (collection, &reloads);
  g_assert_finalize_object (g_steal_pointer (&collection));
  remove_tree (temp_dir);
}

static void
test_state (void)
{
  g_autoptr(GFile) first = g_file_new_for_path ("/srv/api [v2]");
  g_autoptr(GFile) second = g_file_new_for_path ("/srv/other");
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *state_path = g_build_filename (g_get_user_state_dir (), "sonde", "collections.ini", NULL);

  g_assert_null (sonde_collection_state_get_active_environment (first));

  g_assert_true (sonde_collection_state_set_active_environment (first, "Staging", &error));
  g_assert_true (sonde_collection_state_set_active_environment (second, "Local", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (state_path, G_FILE_TEST_IS_REGULAR));

  value = sonde_collection_state_get_active_environment (first);
  g_assert_cmpstr (value, ==, "Staging");
  g_clear_pointer (&value, g_free);
  value = sonde_collection_state_get_active_environment (second);
  g_assert_cmpstr (value, ==, "Local");
  g_clear_pointer (&value, g_free);

  g_assert_true (sonde_collection_state_set_string (first, "selected-request", "users/a.request.json", &error));
  g_assert_no_error (error);
  g_clear_pointer (&value, g_free);
  value = sonde_collection_state_get_string (first, "selected-request");
  g_assert_cmpstr (value, ==, "users/a.request.json");
  g_clear_pointer (&value, g_free);

  g_assert_true (sonde_collection_state_set_active_environment (first, NULL, &error));
  g_assert_null (sonde_collection_state_get_active_environment (first));
  value = sonde_collection_state_get_active_environment (second);
  g_assert_cmpstr (value, ==, "Local");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/environment/round-trip", test_round_trip);
  g_test_add_func ("/environment/errors", test_errors);
  g_test_add_func ("/environment/secret-store/file", test_secret_store_file);
  g_test_add_func ("/environment/secret-store/file-without-dbus", test_secret_store_file_without_dbus);
  g_test_add_func ("/environment/secret-store/deferred-probe", test_secret_store_deferred_probe);
  g_test_add_func ("/environment/secret-store/secret-service", test_secret_store_secret_service);
  g_test_add_func ("/environment/secrets-not-in-files", test_secrets_not_in_files);
  g_test_add_func ("/environment/save-async", test_save_environment_async);
  g_test_add_func ("/environment/state", test_state);

  return g_test_run ();
}
