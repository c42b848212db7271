/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-file-access"

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sonde-file-access.h"
#include "sonde-websocket.h"
#include "sonde-error.h"
#include "sonde-request-io.h"

struct _SondeFileAccess
{
  GObject     parent_instance;

  GMutex      mutex;
  GFile      *key_file;     /* NULL: in memory only */
  GKeyFile   *allowed;      /* group: real path of a collection; key "files": real paths */
  gboolean    loaded;
  GHashTable *process_allowed; /* real paths allowed for any collection, this process only */
  gboolean    allow_all;
};

G_DEFINE_FINAL_TYPE (SondeFileAccess, sonde_file_access, G_TYPE_OBJECT)

#define FILES_KEY "files"

/* PATH with every symbolic link resolved. A file that does not exist (yet) resolves through
 * its nearest existing folder: what matters is where it would be read from. */
static char *
real_path (const char *path)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autofree char *parent = NULL;
  g_autofree char *real_parent = NULL;
  g_autofree char *basename = NULL;
  char *resolved;

  resolved = realpath (canonical, NULL);
  if (resolved != NULL)
    {
      char *copy = g_strdup (resolved);

      free (resolved);
      return copy;
    }

  parent = g_path_get_dirname (canonical);
  if (g_str_equal (parent, canonical))
    return g_steal_pointer (&canonical);
  basename = g_path_get_basename (canonical);
  real_parent = real_path (parent);
  return g_build_filename (real_parent, basename, NULL);
}

static char *
real_path_of (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  return path != NULL ? real_path (path) : NULL;
}

gboolean
sonde_file_is_inside (GFile *collection_dir,
                      GFile *file)
{
  g_autofree char *root = NULL;
  g_autofree char *target = NULL;
  gsize root_length;

  g_return_val_if_fail (G_IS_FILE (collection_dir), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  root = real_path_of (collection_dir);
  target = real_path_of (file);
  if (root == NULL || target == NULL)
    return FALSE;

  root_length = strlen (root);
  if (root_length > 1 && root[root_length - 1] == '/')
    root_length--;
  return strncmp (root, target, root_length) == 0 &&
         (target[root_length] == '\0' || target[root_length] == '/');
}

static void
load_locked (SondeFileAccess *self)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (self->loaded || self->key_file == NULL)
    return;
  self->loaded = TRUE;

  /* A damaged list allows nothing: the person is asked again. */
  if (sonde_file_load_bounded (self->key_file, SONDE_MAX_FILE_SIZE, &contents, &length, NULL, NULL))
    g_key_file_load_from_data (self->allowed, contents, length, G_KEY_FILE_NONE, NULL);
}

static void
sonde_file_access_finalize (GObject *object)
{
  SondeFileAccess *self = SONDE_FILE_ACCESS (object);

  g_clear_object (&self->key_file);
  g_clear_pointer (&self->allowed, g_key_file_free);
  g_clear_pointer (&self->process_allowed, g_hash_table_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (sonde_file_access_parent_class)->finalize (object);
}

static void
sonde_file_access_class_init (SondeFileAccessClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_file_access_finalize;
}

static void
sonde_file_access_init (SondeFileAccess *self)
{
  g_mutex_init (&self->mutex);
  self->allowed = g_key_file_new ();
  self->process_allowed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

SondeFileAccess *
sonde_file_access_new (GFile *key_file)
{
  SondeFileAccess *self = g_object_new (SONDE_TYPE_FILE_ACCESS, NULL);

  g_set_object (&self->key_file, key_file);
  return self;
}

/* One per state folder: a process has one, but each test has its own (GLib's isolated
 * folders), and an instance keeps what it read. Instances are never freed: callers hold
 * none. */
SondeFileAccess *
sonde_file_access_get_default (void)
{
  static GMutex mutex;
  static GHashTable *instances;
  /* The last one asked for, by the state folder it was for: every send asks. */
  static char *last_state_dir;
  static SondeFileAccess *last;
  const char *state_dir = g_get_user_state_dir ();
  g_autofree char *path = NULL;
  SondeFileAccess *instance;

  g_mutex_lock (&mutex);
  if (last != NULL && g_strcmp0 (state_dir, last_state_dir) == 0)
    {
      instance = last;
      g_mutex_unlock (&mutex);
      return instance;
    }
  path = g_build_filename (state_dir, "sonde", "allowed-files.ini", NULL);
  if (instances == NULL)
    instances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  instance = g_hash_table_lookup (instances, path);
  if (instance == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      instance = sonde_file_access_new (file);
      g_hash_table_insert (instances, g_steal_pointer (&path), instance);
    }
  last = instance;
  g_free (last_state_dir);
  last_state_dir = g_strdup (state_dir);
  g_mutex_unlock (&mutex);

  return instance;
}

gboolean
sonde_file_access_is_allowed (SondeFileAccess *self,
                              GFile           *collection_dir,
                              GFile           *file)
{
  g_autofree char *root = NULL;
  g_autofree char *target = NULL;
  g_auto(GStrv) files = NULL;
  gboolean allowed;

  g_return_val_if_fail (SONDE_IS_FILE_ACCESS (self), FALSE);

  root = real_path_of (collection_dir);
  target = real_path_of (file);
  if (root == NULL || target == NULL)
    return FALSE;

  g_mutex_lock (&self->mutex);
  load_locked (self);
  allowed = self->allow_all || g_hash_table_contains (self->process_allowed, target);
  if (!allowed)
    {
      files = g_key_file_get_string_list (self->allowed, root, FILES_KEY, NULL, NULL);
      allowed = files != NULL && g_strv_contains ((const char * const *) files, target);
    }
  g_mutex_unlock (&self->mutex);

  return allowed;
}

gboolean
sonde_file_access_allow (SondeFileAccess  *self,
                         GFile            *collection_dir,
                         GFile            *file,
                         GError          **error)
{
  g_autofree char *root = NULL;
  g_autofree char *target = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) updated = NULL;
  g_autoptr(GFile) parent = NULL;
  gsize length;
  gboolean saved = TRUE;

  g_return_val_if_fail (SONDE_IS_FILE_ACCESS (self), FALSE);

  root = real_path_of (collection_dir);
  target = real_path_of (file);
  g_return_val_if_fail (root != NULL && target != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  load_locked (self);
  files = g_key_file_get_string_list (self->allowed, root, FILES_KEY, NULL, NULL);
  if (files == NULL || !g_strv_contains ((const char * const *) files, target))
    {
      if (files != NULL)
        g_strv_builder_addv (builder, (const char **) files);
      g_strv_builder_add (builder, target);
      updated = g_strv_builder_end (builder);
      g_key_file_set_string_list (self->allowed, root, FILES_KEY,
                                  (const char * const *) updated, g_strv_length (updated));
      if (self->key_file != NULL)
        {
          data = g_key_file_to_data (self->allowed, &length, NULL);
          parent = g_file_get_parent (self->key_file);
          if (!g_file_make_directory_with_parents (parent, NULL, error) && error != NULL &&
              !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_EXISTS))
            saved = FALSE;
          else
            {
              g_clear_error (error);
              saved = sonde_file_write_atomic (self->key_file, data, length, 0600, error);
            }
        }
    }
  g_mutex_unlock (&self->mutex);

  return saved;
}

void
sonde_file_access_allow_for_process (SondeFileAccess *self,
                                     GFile           *file)
{
  char *target;

  g_return_if_fail (SONDE_IS_FILE_ACCESS (self));

  target = real_path_of (file);
  if (target == NULL)
    return;
  g_mutex_lock (&self->mutex);
  g_hash_table_add (self->process_allowed, target);
  g_mutex_unlock (&self->mutex);
}

void
sonde_file_access_set_allow_all (SondeFileAccess *self,
                                 gboolean         allow_all)
{
  g_return_if_fail (SONDE_IS_FILE_ACCESS (self));

  g_mutex_lock (&self->mutex);
  self->allow_all = !!allow_all;
  g_mutex_unlock (&self->mutex);
}

gboolean
sonde_file_access_check (SondeFileAccess  *self,
                         SondeRequest     *request,
                         GFile            *file,
                         const char       *path,
                         GError          **error)
{
  GFile *collection_dir;
  const char *name;

  g_return_val_if_fail (SONDE_IS_FILE_ACCESS (self), FALSE);
  g_return_val_if_fail (SONDE_IS_REQUEST (request), FALSE);

  collection_dir = sonde_request_get_collection_dir (request);
  if (collection_dir == NULL || sonde_file_is_inside (collection_dir, file) ||
      sonde_file_access_is_allowed (self, collection_dir, file))
    return TRUE;

  name = sonde_request_get_name (request);
  if (name != NULL && name[0] != '\0')
    g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_OUTSIDE,
                 _("The request “%s” wants to read “%s”, which is outside its collection. Allow it only if you trust this collection."),
                 name, path);
  else
    g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_OUTSIDE,
                 _("This request wants to read “%s”, which is outside its collection. Allow it only if you trust this collection."),
                 path);
  return FALSE;
}

/* Checks PATH of REQUEST: a refused file goes into REFUSED (may be NULL), and the first
 * refusal into ERROR (may be NULL or already set). */
static void
check_path (SondeFileAccess  *self,
            SondeRequest     *request,
            const char       *path,
            GPtrArray        *refused,
            GError          **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;

  if (path == NULL || path[0] == '\0')
    return;
  file = sonde_request_resolve_path (request, path);
  if (sonde_file_access_check (self, request, file, path, &local_error))
    return;
  if (refused != NULL)
    g_ptr_array_add (refused, g_steal_pointer (&file));
  if (error != NULL && *error == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
}

static void
check_request (SondeFileAccess  *self,
               SondeRequest     *request,
               GPtrArray        *refused,
               GError          **error)
{
  SondeBody *body = sonde_request_read_body (request);
  SondeRequestOptions *options = sonde_request_read_options (request);
  GListModel *parts = G_LIST_MODEL (sonde_body_get_parts (body));
  guint n_parts = g_list_model_get_n_items (parts);

  if (sonde_request_get_collection_dir (request) == NULL)
    return;

  if (sonde_body_get_kind (body) == SONDE_BODY_FILE)
    check_path (self, request, sonde_body_get_file (body), refused, error);
  if (sonde_body_get_kind (body) == SONDE_BODY_MULTIPART)
    for (guint i = 0; i < n_parts; i++)
      {
        g_autoptr(SondeBodyPart) part = g_list_model_get_item (parts, i);

        if (sonde_body_part_get_enabled (part))
          check_path (self, request, sonde_body_part_get_file (part), refused, error);
      }
  check_path (self, request, sonde_request_options_get_ca_file (options), refused, error);
  check_path (self, request, sonde_request_options_get_client_cert (options), refused, error);
  check_path (self, request, sonde_request_options_get_client_key (options), refused, error);
  check_path (self, request, sonde_request_options_get_client_pkcs12 (options), refused, error);

  /* A WebSocket request's binary messages (a malformed list is refused where it is read) */
  if (sonde_request_is_websocket (request))
    {
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);

      if (sonde_websocket_read_settings (sonde_request_get_extra (request), NULL, NULL, messages, NULL))
        for (guint i = 0; i < messages->len; i++)
          {
            SondeWebsocketMessage *message = messages->pdata[i];

            if (message->enabled && message->kind == SONDE_WEBSOCKET_MESSAGE_BINARY)
              check_path (self, request, message->file, refused, error);
          }
    }
}

gboolean
sonde_file_access_check_request (SondeFileAccess  *self,
                                 SondeRequest     *request,
                                 GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SONDE_IS_FILE_ACCESS (self), FALSE);
  g_return_val_if_fail (SONDE_IS_REQUEST (request), FALSE);

  check_request (self, request, NULL, &local_error);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

GPtrArray *
sonde_file_access_list_refused (SondeFileAccess *self,
                                SondeRequest    *request)
{
  GPtrArray *refused = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (SONDE_IS_FILE_ACCESS (self), refused);
  g_return_val_if_fail (SONDE_IS_REQUEST (request), refused);

  check_request (self, request, refused, NULL);
  return refused;
}

gboolean
sonde_file_access_check_sidecar (SondeRequest  *request,
                                 GFile         *dir,
                                 GFile         *collection_dir,
                                 GError       **error)
{
  const char *name = sonde_body_get_text_file (sonde_request_read_body (request));
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (SONDE_IS_REQUEST (request), FALSE);
  g_return_val_if_fail (G_IS_FILE (dir), FALSE);
  g_return_val_if_fail (G_IS_FILE (collection_dir), FALSE);

  if (name == NULL || name[0] == '\0')
    return TRUE;
  file = g_path_is_absolute (name) ? g_file_new_for_path (name) : g_file_resolve_relative_path (dir, name);
  if (sonde_file_is_inside (collection_dir, file))
    return TRUE;

  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_OUTSIDE,
               _("The body file “%s” is outside the collection: a request of a collection reads its body only from inside it"),
               name);
  return FALSE;
}
