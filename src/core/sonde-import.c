/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-import"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sonde-collection-private.h"
#include "sonde-error.h"
#include "sonde-import.h"
#include "sonde-json-file.h"
#include "sonde-request-io.h"

/* The in-memory collection an importer fills, and the one writer that turns it into files
 * (docs/import-export.md). Folders hold a SondeCollectionNode for their settings, so that
 * folder.json and sonde-collection.json come out of the same serialiser as the app's. */

struct _SondeImportFolder
{
  SondeCollectionNode *node;
  GPtrArray           *items; /* ImportItem */
};

typedef struct
{
  SondeImportFolder *folder;  /* owned, or NULL */
  SondeRequest      *request; /* owned, or NULL */
} ImportItem;

typedef struct
{
  char *environment; /* NULL: a collection variable */
  char *name;
  char *value;
} ImportSecret;

struct _SondeImport
{
  GObject            parent_instance;

  char              *name;
  SondeImportFormat  format;
  SondeImportFolder *root;
  GListStore        *environments;
  GPtrArray         *secrets;
  GPtrArray         *notes;
  guint              n_requests;
  guint              n_folders;
};

G_DEFINE_FINAL_TYPE (SondeImport, sonde_import, G_TYPE_OBJECT)

static void
import_folder_free (SondeImportFolder *folder)
{
  g_clear_object (&folder->node);
  g_ptr_array_unref (folder->items);
  g_free (folder);
}

static void
import_item_free (ImportItem *item)
{
  g_clear_pointer (&item->folder, import_folder_free);
  g_clear_object (&item->request);
  g_free (item);
}

static void
import_secret_free (ImportSecret *secret)
{
  g_free (secret->environment);
  g_free (secret->name);
  g_free (secret->value);
  g_free (secret);
}

void
sonde_import_note_free (SondeImportNote *note)
{
  if (note == NULL)
    return;
  g_free (note->where);
  g_free (note->message);
  g_free (note);
}

static SondeImportFolder *
import_folder_new (const char *name,
                   gboolean    is_root)
{
  SondeImportFolder *folder = g_new0 (SondeImportFolder, 1);
  /* The node's directory is set when the collection is written. */
  g_autoptr(GFile) placeholder = g_file_new_for_path ("/");

  folder->node = sonde_collection_node_new_folder (placeholder, is_root);
  sonde_collection_node_set_name (folder->node, name);
  folder->items = g_ptr_array_new_with_free_func ((GDestroyNotify) import_item_free);
  return folder;
}

static void
sonde_import_finalize (GObject *object)
{
  SondeImport *self = SONDE_IMPORT (object);

  g_free (self->name);
  import_folder_free (self->root);
  g_object_unref (self->environments);
  g_ptr_array_unref (self->secrets);
  g_ptr_array_unref (self->notes);

  G_OBJECT_CLASS (sonde_import_parent_class)->finalize (object);
}

static void
sonde_import_class_init (SondeImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_import_finalize;
}

static void
sonde_import_init (SondeImport *self)
{
  self->environments = g_list_store_new (SONDE_TYPE_ENVIRONMENT);
  self->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) import_secret_free);
  self->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_import_note_free);
}

SondeImport *
sonde_import_new (const char *name)
{
  SondeImport *self = g_object_new (SONDE_TYPE_IMPORT, NULL);

  self->name = g_strdup (name != NULL && name[0] != '\0' ? name : _("Imported"));
  self->root = import_folder_new (self->name, TRUE);
  return self;
}

const char *
sonde_import_get_name (SondeImport *self)
{
  g_return_val_if_fail (SONDE_IS_IMPORT (self), NULL);
  return self->name;
}

void
sonde_import_set_name (SondeImport *self,
                       const char  *name)
{
  g_return_if_fail (SONDE_IS_IMPORT (self));

  if (name == NULL || name[0] == '\0')
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  sonde_collection_node_set_name (self->root->node, name);
}

SondeImportFormat
sonde_import_get_format (SondeImport *self)
{
  g_return_val_if_fail (SONDE_IS_IMPORT (self), SONDE_IMPORT_FORMAT_AUTO);
  return self->format;
}

void
sonde_import_set_format (SondeImport       *self,
                         SondeImportFormat  format)
{
  g_return_if_fail (SONDE_IS_IMPORT (self));
  self->format = format;
}

SondeImportFolder *
sonde_import_get_root (SondeImport *self)
{
  g_return_val_if_fail (SONDE_IS_IMPORT (self), NULL);
  return self->root;
}

SondeImportFolder *
sonde_import_add_folder (SondeImport       *self,
                         SondeImportFolder *parent,
                         const char        *name)
{
  ImportItem *item;

  g_return_val_if_fail (SONDE_IS_IMPORT (self), NULL);
  g_return_val_if_fail (parent != NULL, NULL);

  item = g_new0 (ImportItem, 1);
  item->folder = import_folder_new (name != NULL && name[0] != '\0' ? name : _("Folder"), FALSE);
  g_ptr_array_add (parent->items, item);
  self->n_folders++;
  return item->folder;
}

void
sonde_import_add_request (SondeImport       *self,
                          SondeImportFolder *parent,
                          SondeRequest      *request)
{
  ImportItem *item;

  g_return_if_fail (SONDE_IS_IMPORT (self));
  g_return_if_fail (parent != NULL);
  g_return_if_fail (SONDE_IS_REQUEST (request));

  item = g_new0 (ImportItem, 1);
  item->request = g_object_ref (request);
  g_ptr_array_add (parent->items, item);
  self->n_requests++;
}

const char *
sonde_import_folder_get_name (SondeImportFolder *folder)
{
  return sonde_collection_node_get_name (folder->node);
}

GListStore *
sonde_import_folder_get_headers (SondeImportFolder *folder)
{
  return folder->node->headers;
}

GListStore *
sonde_import_folder_get_variables (SondeImportFolder *folder)
{
  return folder->node->variables;
}

SondeAuth *
sonde_import_folder_get_auth (SondeImportFolder *folder)
{
  return folder->node->auth;
}

SondeRequestOptions *
sonde_import_folder_get_options (SondeImportFolder *folder)
{
  return folder->node->options;
}

JsonObject *
sonde_import_folder_get_extra (SondeImportFolder *folder)
{
  if (folder->node->extra == NULL)
    folder->node->extra = json_object_new ();
  return folder->node->extra;
}

guint
sonde_import_folder_get_n_children (SondeImportFolder *folder)
{
  return folder->items->len;
}

SondeImportFolder *
sonde_import_folder_get_child (SondeImportFolder  *folder,
                               guint               index,
                               SondeRequest      **request)
{
  ImportItem *item;

  g_return_val_if_fail (index < folder->items->len, NULL);

  item = g_ptr_array_index (folder->items, index);
  if (request != NULL)
    *request = item->request;
  return item->folder;
}

JsonObject *
sonde_import_request_extra (SondeRequest *request)
{
  JsonObject *extra = sonde_request_get_extra (request);

  if (extra == NULL)
    {
      g_autoptr(JsonObject) object = json_object_new ();

      sonde_request_set_extra (request, object);
      extra = sonde_request_get_extra (request);
    }
  return extra;
}

void
sonde_import_set_graphql_body (SondeBody  *body,
                               const char *query,
                               const char *variables)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  sonde_body_set_kind (body, SONDE_BODY_GRAPHQL);
  sonde_body_set_text (body, query != NULL ? query : "");
  /* Variables that are JSON are shown indented; anything else is kept as it was written */
  if (variables != NULL && variables[0] != '\0' && json_parser_load_from_data (parser, variables, -1, NULL) &&
      json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autofree char *text = json_object_get_size (json_node_get_object (json_parser_get_root (parser))) > 0
                              ? sonde_json_pretty_print (json_parser_get_root (parser)) : NULL;

      sonde_body_set_variables (body, text);
    }
  else
    sonde_body_set_variables (body, variables);
}

char *
sonde_import_outside_file (SondeImport *self,
                           const char  *where,
                           GFile       *base_dir,
                           const char  *path)
{
  g_autoptr(GFile) file = NULL;
  char *resolved;

  g_return_val_if_fail (SONDE_IS_IMPORT (self), NULL);

  if (path == NULL || path[0] == '\0')
    return g_strdup ("");
  if (g_path_is_absolute (path) || base_dir == NULL)
    resolved = g_strdup (path);
  else
    {
      file = g_file_resolve_relative_path (base_dir, path);
      resolved = g_file_get_path (file);
    }
  sonde_import_note (self, SONDE_IMPORT_NOTE_CONVERTED, where,
                     _("it reads %s, outside the new collection: Sonde asks before reading it "
                       "(copy the file into the collection to share it)"), resolved);
  return resolved;
}

SondeEnvironment *
sonde_import_add_environment (SondeImport *self,
                              const char  *name)
{
  g_autoptr(SondeEnvironment) environment = NULL;

  g_return_val_if_fail (SONDE_IS_IMPORT (self), NULL);

  environment = sonde_environment_new (name != NULL && name[0] != '\0' ? name : _("Environment"));
  g_list_store_append (self->environments, environment);
  return environment;
}

GListModel *
sonde_import_get_environments (SondeImport *self)
{
  g_return_val_if_fail (SONDE_IS_IMPORT (self), NULL);
  return G_LIST_MODEL (self->environments);
}

void
sonde_import_add_secret (SondeImport *self,
                         const char  *environment,
                         const char  *name,
                         const char  *value)
{
  ImportSecret *secret;

  g_return_if_fail (SONDE_IS_IMPORT (self));
  g_return_if_fail (name != NULL);

  secret = g_new0 (ImportSecret, 1);
  secret->environment = g_strdup (environment);
  secret->name = g_strdup (name);
  secret->value = g_strdup (value != NULL ? value : "");
  g_ptr_array_add (self->secrets, secret);
}

void
sonde_import_note (SondeImport         *self,
                   SondeImportNoteKind  kind,
                   const char          *where,
                   const char          *format,
                   ...)
{
  SondeImportNote *note;
  va_list args;

  g_return_if_fail (SONDE_IS_IMPORT (self));

  note = g_new0 (SondeImportNote, 1);
  note->kind = kind;
  note->where = g_strdup (where);
  va_start (args, format);
  note->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (self->notes, note);
}

GPtrArray *
sonde_import_get_notes (SondeImport *self)
{
  g_return_val_if_fail (SONDE_IS_IMPORT (self), NULL);
  return self->notes;
}

guint
sonde_import_get_n_requests (SondeImport *self)
{
  g_return_val_if_fail (SONDE_IS_IMPORT (self), 0);
  return self->n_requests;
}

guint
sonde_import_get_n_folders (SondeImport *self)
{
  g_return_val_if_fail (SONDE_IS_IMPORT (self), 0);
  return self->n_folders;
}

char *
sonde_import_report_to_text (SondeImport *self)
{
  static const struct { SondeImportNoteKind kind; const char *title; } groups[] = {
    { SONDE_IMPORT_NOTE_CONVERTED, N_("Converted") },
    { SONDE_IMPORT_NOTE_KEPT, N_("Kept as data, not run") },
    { SONDE_IMPORT_NOTE_DROPPED, N_("Not imported") },
  };
  GString *out = g_string_new (NULL);
  guint n_environments;

  g_return_val_if_fail (SONDE_IS_IMPORT (self), NULL);

  n_environments = g_list_model_get_n_items (G_LIST_MODEL (self->environments));
  {
    g_autofree char *requests = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request", "%u requests",
                                                              self->n_requests), self->n_requests);
    g_autofree char *folders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u folder", "%u folders",
                                                             self->n_folders), self->n_folders);

    /* Translators: the first line of an import report: "12 requests in 3 folders" */
    g_string_append_printf (out, _("%s in %s"), requests, folders);
  }
  if (n_environments > 0)
    {
      g_string_append (out, ", ");
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u environment", "%u environments",
                                                n_environments), n_environments);
    }
  g_string_append_c (out, '\n');

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      gboolean titled = FALSE;

      for (guint i = 0; i < self->notes->len; i++)
        {
          SondeImportNote *note = g_ptr_array_index (self->notes, i);

          if (note->kind != groups[g].kind)
            continue;
          if (!titled)
            {
              g_string_append_printf (out, "\n%s:\n", _(groups[g].title));
              titled = TRUE;
            }
          if (note->where != NULL)
            g_string_append_printf (out, "  %s: %s\n", note->where, note->message);
          else
            g_string_append_printf (out, "  %s\n", note->message);
        }
    }

  return g_string_free (out, FALSE);
}

/* Writing */

static gboolean
write_folder (SondeImportFolder  *folder,
              GFile              *dir,
              GCancellable       *cancellable,
              GError            **error)
{
  sonde_collection_node_set_file (folder->node, dir);
  /* A folder.json is written for the order and the name (the directory's name is a slug). */
  if (!sonde_collection_write_settings (folder->node, error))
    return FALSE;

  for (guint i = 0; i < folder->items->len; i++)
    {
      ImportItem *item = g_ptr_array_index (folder->items, i);
      gint64 order = (gint64) (i + 1) * SONDE_ORDER_STEP;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (item->folder != NULL)
        {
          g_autofree char *dir_name = sonde_collection_folder_dir_name (sonde_import_folder_get_name (item->folder));
          g_autoptr(GFile) child = sonde_collection_unique_child (dir, dir_name, "");

          if (!g_file_make_directory (child, cancellable, error))
            return FALSE;
          sonde_collection_node_set_order (item->folder->node, order);
          if (!write_folder (item->folder, child, cancellable, error))
            return FALSE;
        }
      else
        {
          const char *name = sonde_request_get_name (item->request);
          g_autofree char *stem = sonde_collection_request_stem (name[0] != '\0' ? name : _("Request"));
          g_autoptr(GFile) file = sonde_collection_unique_child (dir, stem, SONDE_REQUEST_SUFFIX);
          g_autoptr(SondeRequest) copy = sonde_request_copy (item->request);

          if (name[0] == '\0')
            sonde_request_set_name (copy, _("Request"));
          sonde_request_set_order (copy, order);
          sonde_body_set_text_file (sonde_request_get_body (copy), NULL);
          if (!sonde_collection_write_request (copy, file, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
write_environments (SondeImport   *self,
                    GFile         *dir,
                    GError       **error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->environments));
  g_autoptr(GFile) env_dir = NULL;

  if (n == 0)
    return TRUE;

  env_dir = g_file_get_child (dir, SONDE_ENVIRONMENTS_DIR);
  if (!g_file_make_directory (env_dir, NULL, error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeEnvironment) environment = g_list_model_get_item (G_LIST_MODEL (self->environments), i);
      g_autofree char *stem = sonde_collection_request_stem (sonde_environment_get_name (environment));
      g_autoptr(GFile) file = sonde_collection_unique_child (env_dir, stem, ".json");

      if (!sonde_environment_save (environment, file, error))
        return FALSE;
    }
  return TRUE;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        {
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            remove_tree (child);
          else
            g_file_delete (child, NULL, NULL);
        }
    }
  g_file_delete (file, NULL, NULL);
}

/* rename () without replacing: a directory rename replaces an empty directory. */
static gboolean
rename_no_replace (const char  *from,
                   const char  *to,
                   GError     **error)
{
  int saved_errno;
#ifdef RENAME_NOREPLACE
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;
  saved_errno = errno;
  if (saved_errno != EINVAL && saved_errno != ENOSYS)
    goto failed;
#endif
  if (g_file_test (to, G_FILE_TEST_EXISTS))
    saved_errno = EEXIST;
  else if (g_rename (from, to) == 0)
    return TRUE;
  else
    saved_errno = errno;

#ifdef RENAME_NOREPLACE
failed:
#endif
  {
    g_autofree char *display = g_filename_display_name (to);

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Could not create “%s”: %s"), display, g_strerror (saved_errno));
  }
  return FALSE;
}

gboolean
sonde_import_write (SondeImport       *self,
                    GFile             *dir,
                    SondeSecretStore  *secrets,
                    GCancellable      *cancellable,
                    GError           **error)
{
  g_autoptr(GFile) parent = NULL;
  g_autofree char *parent_path = NULL;
  g_autofree char *target = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp_template = NULL;
  g_autoptr(GFile) temp = NULL;
  gboolean ok;

  g_return_val_if_fail (SONDE_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (dir), FALSE);

  target = g_file_get_path (dir);
  parent = g_file_get_parent (dir);
  if (target == NULL || parent == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("A collection can only be created in a local folder"));
      return FALSE;
    }
  if (g_file_query_exists (dir, cancellable))
    {
      g_autofree char *display = g_file_get_parse_name (dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” exists already: an import only creates a new folder"), display);
      return FALSE;
    }

  parent_path = g_file_get_path (parent);
  base = g_file_get_basename (dir);
  temp_template = g_strdup_printf ("%s/.%s.sonde-import-XXXXXX", parent_path, base);
  if (g_mkdtemp (temp_template) == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (parent_path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write in “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  temp = g_file_new_for_path (temp_template);
  g_chmod (temp_template, 0755);

  ok = write_folder (self->root, temp, cancellable, error) &&
       write_environments (self, temp, error) &&
       !g_cancellable_set_error_if_cancelled (cancellable, error) &&
       rename_no_replace (temp_template, target, error);
  if (!ok)
    {
      remove_tree (temp);
      return FALSE;
    }

  /* Secrets are keyed by the collection's final path. */
  for (guint i = 0; i < self->secrets->len; i++)
    {
      ImportSecret *secret = g_ptr_array_index (self->secrets, i);
      g_autoptr(GError) local_error = NULL;

      if (secrets == NULL ||
          !sonde_secret_store_store_sync (secrets, target, secret->environment, secret->name,
                                          secret->value, cancellable, &local_error))
        sonde_import_note (self, SONDE_IMPORT_NOTE_DROPPED, secret->name,
                           _("the secret value was not stored (%s): set it in the environment"),
                           local_error != NULL ? local_error->message : _("no secret store"));
    }

  return TRUE;
}

/* Reading */

static const struct
{
  SondeImportFormat  format;
  const char        *name;
} format_names[] = {
  { SONDE_IMPORT_FORMAT_AUTO, "auto" },
  { SONDE_IMPORT_FORMAT_CURL, "curl" },
  { SONDE_IMPORT_FORMAT_POSTMAN, "postman" },
  { SONDE_IMPORT_FORMAT_POSTMAN_ENVIRONMENT, "postman-environment" },
  { SONDE_IMPORT_FORMAT_HAR, "har" },
  { SONDE_IMPORT_FORMAT_INSOMNIA, "insomnia" },
  { SONDE_IMPORT_FORMAT_BRUNO, "bruno" },
  { SONDE_IMPORT_FORMAT_OPENAPI, "openapi" },
};

const char *
sonde_import_format_to_string (SondeImportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (format_names[i].format == format)
      return format_names[i].name;
  return "auto";
}

gboolean
sonde_import_format_from_string (const char        *text,
                                 SondeImportFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (format_names[i].name, text) == 0)
      {
        *format = format_names[i].format;
        return TRUE;
      }
  return FALSE;
}

SondeImportFormat
sonde_import_detect (GFile      *file,
                     const char *data,
                     gsize       length)
{
  g_autofree char *base = file != NULL ? g_file_get_basename (file) : NULL;
  g_autofree char *head = g_strndup (data, MIN (length, 4096));
  const char *p = head;

  if (base != NULL && g_str_has_suffix (base, ".har"))
    return SONDE_IMPORT_FORMAT_HAR;
  if (base != NULL && g_str_has_suffix (base, ".postman_environment.json"))
    return SONDE_IMPORT_FORMAT_POSTMAN_ENVIRONMENT;

  while (g_ascii_isspace (*p))
    p++;
  /* Insomnia v5 */
  if (*p != '{' && g_regex_match_simple ("(^|\\n)type:[ \\t]*[\"']?(collection|spec)\\.insomnia\\.rest/5", head, 0, 0))
    return SONDE_IMPORT_FORMAT_INSOMNIA;
  /* OpenAPI in YAML: "openapi:" or "swagger:" at the margin */
  if (*p != '{' && g_regex_match_simple ("(^|\\n)[\"']?(openapi|swagger)[\"']?[ \\t]*:", head, 0, 0))
    return SONDE_IMPORT_FORMAT_OPENAPI;

  if (*p != '{' && *p != '[')
    {
      /* A shell script or notes with curl lines */
      for (const char *line = p; line != NULL && *line != '\0';)
        {
          if (sonde_curl_is_command (line))
            return SONDE_IMPORT_FORMAT_CURL;
          line = strchr (line, '\n');
          if (line != NULL)
            line++;
        }
    }
  if (*p == '{')
    {
      if (strstr (head, "schema.getpostman.com") != NULL || strstr (head, "_postman_id") != NULL)
        return SONDE_IMPORT_FORMAT_POSTMAN;
      if (strstr (head, "\"_postman_variable_scope\"") != NULL)
        return SONDE_IMPORT_FORMAT_POSTMAN_ENVIRONMENT;
      if (strstr (head, "\"__export_format\"") != NULL && strstr (head, "\"resources\"") != NULL)
        return SONDE_IMPORT_FORMAT_INSOMNIA;
      if (strstr (head, "\"log\"") != NULL && strstr (head, "\"entries\"") != NULL)
        return SONDE_IMPORT_FORMAT_HAR;
      if (strstr (head, "\"log\"") != NULL && strstr (head, "\"creator\"") != NULL)
        return SONDE_IMPORT_FORMAT_HAR;
      if (strstr (head, "\"openapi\"") != NULL || strstr (head, "\"swagger\"") != NULL)
        return SONDE_IMPORT_FORMAT_OPENAPI;
    }
  return SONDE_IMPORT_FORMAT_AUTO;
}

static char *
file_stem (GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);
  static const char * const suffixes[] = {
    ".postman_collection.json", ".postman_environment.json", ".json", ".har", ".txt", ".sh", NULL
  };

  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (base, suffixes[i]) && strlen (base) > strlen (suffixes[i]))
      {
        base[strlen (base) - strlen (suffixes[i])] = '\0';
        break;
      }
  return g_steal_pointer (&base);
}

SondeImport *
sonde_import_file (GFile              *file,
                   SondeImportFormat   format,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autofree char *data = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GFile) base_dir = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SondeImport) import = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  display = g_file_get_parse_name (file);

  /* A Bruno collection is a folder (or its bruno.json) */
  {
    g_autofree char *base = g_file_get_basename (file);
    g_autoptr(GFile) dir = NULL;

    if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, cancellable) == G_FILE_TYPE_DIRECTORY)
      dir = g_object_ref (file);
    else if (g_strcmp0 (base, "bruno.json") == 0)
      dir = g_file_get_parent (file);
    if (dir != NULL)
      {
        g_autoptr(GFile) manifest = g_file_get_child (dir, "bruno.json");
        g_autofree char *dir_name = g_file_get_basename (dir);

        if ((format != SONDE_IMPORT_FORMAT_AUTO && format != SONDE_IMPORT_FORMAT_BRUNO) ||
            !g_file_query_exists (manifest, cancellable))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                         _("“%s” is a folder: Sonde imports folders that are Bruno collections "
                           "(with a bruno.json)"), display);
            return NULL;
          }
        import = sonde_import_bruno (dir, cancellable, &local_error);
        if (import == NULL)
          {
            g_set_error (error, local_error->domain, local_error->code, "%s", local_error->message);
            return NULL;
          }
        sonde_import_set_format (import, SONDE_IMPORT_FORMAT_BRUNO);
        if (sonde_import_get_name (import) == NULL || g_strcmp0 (sonde_import_get_name (import), _("Imported")) == 0)
          sonde_import_set_name (import, dir_name);
        return g_steal_pointer (&import);
      }
  }

  if (!sonde_file_load_bounded (file, SONDE_MAX_IMPORT_SIZE, &data, &length, cancellable, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "%s", local_error->message);
      return NULL;
    }

  if (format == SONDE_IMPORT_FORMAT_AUTO)
    format = sonde_import_detect (file, data, length);
  base_dir = g_file_get_parent (file);

  switch (format)
    {
    case SONDE_IMPORT_FORMAT_CURL:
      import = sonde_import_curl (data, base_dir, &local_error);
      break;
    case SONDE_IMPORT_FORMAT_POSTMAN:
    case SONDE_IMPORT_FORMAT_POSTMAN_ENVIRONMENT:
      import = sonde_import_postman (data, length, base_dir, &local_error);
      break;
    case SONDE_IMPORT_FORMAT_HAR:
      import = sonde_import_har (data, length, &local_error);
      break;
    case SONDE_IMPORT_FORMAT_INSOMNIA:
      import = sonde_import_insomnia (data, length, &local_error);
      break;
    case SONDE_IMPORT_FORMAT_OPENAPI:
      import = sonde_import_openapi (data, length, &local_error);
      break;
    case SONDE_IMPORT_FORMAT_AUTO:
    default:
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("“%s” is not a file Sonde can import (curl commands, Postman collections "
                     "and environments, Insomnia exports, HAR, OpenAPI)"), display);
      return NULL;
    }

  if (import == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", display, local_error->message);
      return NULL;
    }

  sonde_import_set_format (import, format);
  if (format == SONDE_IMPORT_FORMAT_CURL || format == SONDE_IMPORT_FORMAT_HAR)
    {
      g_autofree char *stem = file_stem (file);

      sonde_import_set_name (import, stem);
    }
  return g_steal_pointer (&import);
}

typedef struct
{
  GFile             *file;
  SondeImportFormat  format;
} ImportTask;

static void
import_task_free (ImportTask *data)
{
  g_object_unref (data->file);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportTask *data = task_data;
  GError *error = NULL;
  SondeImport *import = sonde_import_file (data->file, data->format, cancellable, &error);

  if (import == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, import, g_object_unref);
}

void
sonde_import_file_async (GFile               *file,
                         SondeImportFormat    format,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ImportTask *data = g_new0 (ImportTask, 1);

  data->file = g_object_ref (file);
  data->format = format;
  g_task_set_source_tag (task, sonde_import_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_task_free);
  g_task_run_in_thread (task, import_thread);
}

SondeImport *
sonde_import_file_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
