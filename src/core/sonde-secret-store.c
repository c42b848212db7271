/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-secret-store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "sonde-secret-store.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-library.h"
#include "sonde-request-io.h"

struct _SondeSecretStore
{
  GObject             parent_instance;

  /* Decided by the constructor, or by the probe of the session bus the first time an
   * operation needs it (probe_once): the probe never runs on the thread creating the store. */
  SondeSecretBackend  backend;
  gboolean            probe_needed;
  GOnce               probe_once;
  GFile              *file;  /* file backend */
  GMutex              mutex; /* file backend: one read-modify-write at a time */
  /* The _async calls run here, one at a time, in the order they were made: a token stored
   * and then cleared is cleared, and a lookup sees what was stored before it. */
  GThreadPool        *queue;
};

G_DEFINE_FINAL_TYPE (SondeSecretStore, sonde_secret_store, G_TYPE_OBJECT)

/* libsecret (and the libgcrypt it brings) is opened the first time the keyring is used, not
 * linked: most runs of the window and of sonde-cli never touch a secret
 * (docs/architecture.md). The pointers are laid out in the order of libsecret_symbols, for
 * sonde_library_open (). */
static struct
{
  __typeof__ (secret_password_lookup_sync) *lookup_sync;
  __typeof__ (secret_password_store_sync) *store_sync;
  __typeof__ (secret_password_clear_sync) *clear_sync;
} libsecret;

static gboolean
libsecret_open (GError **error)
{
  static SondeLibrary library = SONDE_LIBRARY_INIT ("libsecret-1.so.0");
  static const char * const libsecret_symbols[] = {
    "secret_password_lookup_sync", "secret_password_store_sync", "secret_password_clear_sync", NULL
  };

  G_STATIC_ASSERT (sizeof libsecret == (G_N_ELEMENTS (libsecret_symbols) - 1) * sizeof (gpointer));
  if (!sonde_library_open (&library, libsecret_symbols, (gpointer *) &libsecret))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The keyring cannot be used: libsecret could not be loaded"));
      return FALSE;
    }
  return TRUE;
}

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.sonde.Sonde.Variable", SECRET_SCHEMA_NONE,
    {
      { "collection", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "environment", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

/* Asking D-Bus is quick; libsecret itself would try to start a keyring or wait for one.
 * It blocks (connecting to the bus has no timeout): only ever called by ensure_backend (). */
static gboolean
secret_service_reachable (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) names = NULL;
  g_autofree char *bus_path = NULL;
  gboolean has_owner = FALSE;
  GVariantIter iter;
  const char *name;

  /* Without these GLib would try to autolaunch a bus. */
  bus_path = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL && !g_file_test (bus_path, G_FILE_TEST_EXISTS))
    return FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  if (has_owner)
    return TRUE;

  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, NULL);
  if (reply == NULL)
    return FALSE;

  names = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, names);
  while (g_variant_iter_next (&iter, "&s", &name))
    if (g_str_equal (name, "org.freedesktop.secrets"))
      return TRUE;

  return FALSE;
}

static gpointer
probe_backend (gpointer data)
{
  SondeSecretStore *self = data;

  self->backend = secret_service_reachable () ? SONDE_SECRET_BACKEND_SECRET_SERVICE
                                              : SONDE_SECRET_BACKEND_FILE;
  return GINT_TO_POINTER (TRUE);
}

/* The backend, probing the session bus the first time on the calling thread; callers
 * arriving meanwhile wait for that answer (g_once ()). The async operations call this in
 * their worker thread, so the window never waits on D-Bus. */
static SondeSecretBackend
ensure_backend (SondeSecretStore *self)
{
  if (self->probe_needed)
    g_once (&self->probe_once, probe_backend, self);
  return self->backend;
}

/* ------------------------------------------------------------------------------------------
 * File backend: {"secrets": [{"collection", "environment", "name", "value"}, …]}
 * ------------------------------------------------------------------------------------------ */

static JsonArray *
read_secrets (SondeSecretStore  *self,
              GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  JsonNode *root;
  JsonArray *array = NULL;

  if (!sonde_file_load_bounded (self->file, SONDE_MAX_FILE_SIZE, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return json_array_new ();
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!sonde_json_parse_document (parser, contents, length, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      !sonde_json_read_array (json_node_get_object (root), "secrets", NULL, &array, NULL))
    {
      g_autofree char *name = g_file_get_parse_name (self->file);

      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("The secrets file “%s” is damaged"), name);
      return NULL;
    }

  return array != NULL ? json_array_ref (array) : json_array_new ();
}

static const char *
member_string (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The index of the entry, or -1. */
static int
find_secret (JsonArray  *secrets,
             const char *collection_path,
             const char *environment,
             const char *name)
{
  for (guint i = 0; i < json_array_get_length (secrets); i++)
    {
      JsonNode *node = json_array_get_element (secrets, i);
      JsonObject *entry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      if (g_strcmp0 (member_string (entry, "collection"), collection_path) == 0 &&
          g_strcmp0 (member_string (entry, "environment"), environment) == 0 &&
          g_strcmp0 (member_string (entry, "name"), name) == 0)
        return i;
    }

  return -1;
}

static gboolean
write_secrets (SondeSecretStore  *self,
               JsonArray         *secrets,
               GError           **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GFile) dir = g_file_get_parent (self->file);
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *data = NULL;

  if (dir_path != NULL && g_mkdir_with_parents (dir_path, 0700) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create “%s”: %s"), dir_path, g_strerror (saved_errno));
      return FALSE;
    }

  json_object_set_array_member (object, "secrets", json_array_ref (secrets));
  data = sonde_json_file_to_data (object);
  return sonde_file_write_atomic (self->file, data, strlen (data), 0600, error);
}

static char *
file_lookup (SondeSecretStore  *self,
             const char        *collection_path,
             const char        *environment,
             const char        *name,
             GError           **error)
{
  g_autoptr(JsonArray) secrets = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  int index;

  if ((secrets = read_secrets (self, error)) == NULL)
    return NULL;

  index = find_secret (secrets, collection_path, environment, name);
  if (index < 0)
    return NULL;

  return g_strdup (member_string (json_array_get_object_element (secrets, index), "value"));
}

static gboolean
file_store (SondeSecretStore  *self,
            const char        *collection_path,
            const char        *environment,
            const char        *name,
            const char        *value,
            GError           **error)
{
  g_autoptr(JsonArray) secrets = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  int index;

  if ((secrets = read_secrets (self, error)) == NULL)
    return FALSE;

  index = find_secret (secrets, collection_path, environment, name);
  if (value == NULL)
    {
      if (index < 0)
        return TRUE;
      json_array_remove_element (secrets, index);
    }
  else if (index >= 0)
    json_object_set_string_member (json_array_get_object_element (secrets, index), "value", value);
  else
    {
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "collection", collection_path);
      json_object_set_string_member (entry, "environment", environment);
      json_object_set_string_member (entry, "name", name);
      json_object_set_string_member (entry, "value", value);
      json_array_add_object_element (secrets, entry);
    }

  return write_secrets (self, secrets, error);
}

/* ------------------------------------------------------------------------------------------
 * Object
 * ------------------------------------------------------------------------------------------ */

static void
sonde_secret_store_finalize (GObject *object)
{
  SondeSecretStore *self = (SondeSecretStore *)object;

  /* Not waited for: the last task may drop the last reference from the queue's own thread */
  g_thread_pool_free (self->queue, FALSE, FALSE);
  g_clear_object (&self->file);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (sonde_secret_store_parent_class)->finalize (object);
}

static void
sonde_secret_store_class_init (SondeSecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_secret_store_finalize;
}

static void queue_run (gpointer data, gpointer user_data);

static void
sonde_secret_store_init (SondeSecretStore *self)
{
  GOnce once = G_ONCE_INIT;

  self->probe_once = once;
  g_mutex_init (&self->mutex);
  self->queue = g_thread_pool_new (queue_run, NULL, 1, FALSE, NULL);
}

SondeSecretStore *
sonde_secret_store_new_file (GFile *file)
{
  SondeSecretStore *self;

  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (SONDE_TYPE_SECRET_STORE, NULL);
  self->backend = SONDE_SECRET_BACKEND_FILE;
  if (file != NULL)
    self->file = g_object_ref (file);
  else
    self->file = g_file_new_build_filename (g_get_user_data_dir (), "sonde", "secrets.json", NULL);

  return self;
}

SondeSecretStore *
sonde_secret_store_new_secret_service (void)
{
  SondeSecretStore *self = g_object_new (SONDE_TYPE_SECRET_STORE, NULL);

  self->backend = SONDE_SECRET_BACKEND_SECRET_SERVICE;
  return self;
}

/**
 * sonde_secret_store_new:
 *
 * Picks the backend as described in the header. Never blocks: unless SONDE_SECRET_BACKEND
 * says which, the session bus is asked once, by the first operation that needs the answer
 * (in the worker thread of the async ones). SONDE_SECRET_BACKEND=file makes no D-Bus call.
 */
SondeSecretStore *
sonde_secret_store_new (void)
{
  const char *backend = g_getenv ("SONDE_SECRET_BACKEND");
  SondeSecretStore *self;

  if (g_strcmp0 (backend, "file") == 0)
    return sonde_secret_store_new_file (NULL);
  if (g_strcmp0 (backend, "secret-service") == 0)
    return sonde_secret_store_new_secret_service ();

  /* The file is set now: the probe may fall back on it in any thread. */
  self = sonde_secret_store_new_file (NULL);
  self->probe_needed = TRUE;
  return self;
}

/**
 * sonde_secret_store_get_backend:
 *
 * May block on the session bus the first time for a store of sonde_secret_store_new ()
 * that no operation has used yet.
 */
SondeSecretBackend
sonde_secret_store_get_backend (SondeSecretStore *self)
{
  g_return_val_if_fail (SONDE_IS_SECRET_STORE (self), SONDE_SECRET_BACKEND_FILE);

  return ensure_backend (self);
}

char *
sonde_secret_store_lookup_sync (SondeSecretStore  *self,
                                const char        *collection_path,
                                const char        *environment,
                                const char        *name,
                                GCancellable      *cancellable,
                                GError           **error)
{
  g_return_val_if_fail (SONDE_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (collection_path != NULL && name != NULL, NULL);

  if (environment == NULL)
    environment = "";

  if (ensure_backend (self) == SONDE_SECRET_BACKEND_FILE)
    return file_lookup (self, collection_path, environment, name, error);

  if (!libsecret_open (error))
    return NULL;
  return libsecret.lookup_sync (get_schema (), cancellable, error,
                                      "collection", collection_path,
                                      "environment", environment,
                                      "name", name,
                                      NULL);
}

gboolean
sonde_secret_store_store_sync (SondeSecretStore  *self,
                               const char        *collection_path,
                               const char        *environment,
                               const char        *name,
                               const char        *value,
                               GCancellable      *cancellable,
                               GError           **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (SONDE_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (collection_path != NULL && name != NULL, FALSE);

  if (environment == NULL)
    environment = "";

  if (value == NULL)
    return sonde_secret_store_clear_sync (self, collection_path, environment, name, cancellable, error);

  if (ensure_backend (self) == SONDE_SECRET_BACKEND_FILE)
    return file_store (self, collection_path, environment, name, value, error);

  /* Translators: the keyring's label: "Sonde variable “token” (staging) in /home/…/my-api" */
  label = g_strdup_printf (_("Sonde variable “%s” (%s) in %s"), name,
                           environment[0] != '\0' ? environment : _("collection"), collection_path);
  if (!libsecret_open (error))
    return FALSE;
  return libsecret.store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, value,
                                     cancellable, error,
                                     "collection", collection_path,
                                     "environment", environment,
                                     "name", name,
                                     NULL);
}

gboolean
sonde_secret_store_clear_sync (SondeSecretStore  *self,
                               const char        *collection_path,
                               const char        *environment,
                               const char        *name,
                               GCancellable      *cancellable,
                               GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SONDE_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (collection_path != NULL && name != NULL, FALSE);

  if (environment == NULL)
    environment = "";

  if (ensure_backend (self) == SONDE_SECRET_BACKEND_FILE)
    return file_store (self, collection_path, environment, name, NULL, error);

  if (!libsecret_open (error))
    return FALSE;
  /* FALSE without an error means there was nothing to remove. */
  libsecret.clear_sync (get_schema (), cancellable, &local_error,
                              "collection", collection_path,
                              "environment", environment,
                              "name", name,
                              NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Async: the sync calls in the store's queue thread, for both backends. */

typedef struct
{
  char *collection_path;
  char *environment;
  char *name;
  char *value;
  GTaskThreadFunc run;
} SecretJob;

static void
secret_job_free (gpointer data)
{
  SecretJob *job = data;

  g_free (job->collection_path);
  g_free (job->environment);
  g_free (job->name);
  g_free (job->value);
  g_free (job);
}

static GTask *
secret_task_new (SondeSecretStore    *self,
                 const char          *collection_path,
                 const char          *environment,
                 const char          *name,
                 const char          *value,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SecretJob *job = g_new0 (SecretJob, 1);

  job->collection_path = g_strdup (collection_path);
  job->environment = g_strdup (environment ? environment : "");
  job->name = g_strdup (name);
  job->value = g_strdup (value);
  g_task_set_task_data (task, job, secret_job_free);

  return task;
}

static void
queue_run (gpointer data,
           gpointer user_data)
{
  GTask *task = data;
  SecretJob *job = g_task_get_task_data (task);

  job->run (task, g_task_get_source_object (task), job, g_task_get_cancellable (task));
  g_object_unref (task);
}

/* TASK (a reference taken) runs RUN in the queue, after the calls made before it. */
static void
queue_push (SondeSecretStore *self,
            GTask            *task,
            GTaskThreadFunc   run)
{
  SecretJob *job = g_task_get_task_data (task);

  job->run = run;
  g_thread_pool_push (self->queue, g_object_ref (task), NULL);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SecretJob *job = task_data;
  GError *error = NULL;
  char *value;

  value = sonde_secret_store_lookup_sync (source_object, job->collection_path, job->environment,
                                          job->name, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_free);
}

void
sonde_secret_store_lookup_async (SondeSecretStore    *self,
                                 const char          *collection_path,
                                 const char          *environment,
                                 const char          *name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SONDE_IS_SECRET_STORE (self));
  g_return_if_fail (collection_path != NULL && name != NULL);

  task = secret_task_new (self, collection_path, environment, name, NULL,
                          cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_secret_store_lookup_async);
  queue_push (self, task, lookup_thread);
}

char *
sonde_secret_store_lookup_finish (SondeSecretStore  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SecretJob *job = task_data;
  GError *error = NULL;

  if (sonde_secret_store_store_sync (source_object, job->collection_path, job->environment,
                                     job->name, job->value, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sonde_secret_store_store_async (SondeSecretStore    *self,
                                const char          *collection_path,
                                const char          *environment,
                                const char          *name,
                                const char          *value,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SONDE_IS_SECRET_STORE (self));
  g_return_if_fail (collection_path != NULL && name != NULL);

  task = secret_task_new (self, collection_path, environment, name, value,
                          cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_secret_store_store_async);
  queue_push (self, task, store_thread);
}

gboolean
sonde_secret_store_store_finish (SondeSecretStore  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
