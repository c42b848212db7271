/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-collection"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-collection-private.h"
#include "sonde-error.h"
#include "sonde-request-io.h"

/* The operations that write a collection. Each writes only the files whose bytes change
 * (write_if_changed ()), updates the nodes it touched, and then reloads, which finds every
 * file as the nodes remember it: no "changed on disk" for Sonde's own writes. */

/* ------------------------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------------------------ */

/* "Create user (v2)" -> "create-user-v2": lowercase letters and digits, "-" between words. */
static char *
request_stem (const char *name)
{
  GString *stem = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = name; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          if (dash && stem->len > 0)
            g_string_append_c (stem, '-');
          g_string_append_unichar (stem, g_unichar_tolower (c));
          dash = FALSE;
        }
      else
        dash = TRUE;
    }

  if (stem->len == 0)
    g_string_append (stem, "request");
  return g_string_free (stem, FALSE);
}

/* A folder's directory is called as the folder, minus what a file name cannot hold. */
static char *
folder_dir_name (const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  char *dir_name;

  g_strdelimit (trimmed, "/\\", '-');
  dir_name = trimmed;
  while (*dir_name == '.')
    dir_name++;
  return g_strdup (*dir_name != '\0' ? dir_name : "folder");
}

/* DIR/STEMSUFFIX, or DIR/STEM-2SUFFIX, … whichever does not exist. */
static GFile *
unique_child (GFile      *dir,
              const char *stem,
              const char *suffix)
{
  for (guint i = 1;; i++)
    {
      g_autofree char *name = i == 1 ? g_strconcat (stem, suffix, NULL)
                                     : g_strdup_printf ("%s-%u%s", stem, i, suffix);
      GFile *file = g_file_get_child (dir, name);

      if (!g_file_query_exists (file, NULL))
        return file;
      g_object_unref (file);
    }
}

static char *
file_stem (GFile      *file,
           const char *suffix)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (g_str_has_suffix (basename, suffix))
    basename[strlen (basename) - strlen (suffix)] = '\0';
  return g_steal_pointer (&basename);
}

/* ------------------------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------------------------ */

static gboolean
file_has_contents (GFile      *file,
                   const char *data)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, NULL))
    return FALSE;
  return length == strlen (data) && memcmp (contents, data, length) == 0;
}

static gboolean
write_if_changed (GFile       *file,
                  const char  *data,
                  GError     **error)
{
  if (file_has_contents (file, data))
    return TRUE;
  return sonde_file_write_atomic (file, data, strlen (data), 0644, error);
}

/* A request file to write: serialised on the thread that owns the request, written on any. */
typedef struct
{
  GFile *file;
  char  *data;
  GFile *sidecar;      /* NULL when the body text is inline */
  char  *sidecar_text;
} RequestWrite;

static void
request_write_free (gpointer data)
{
  RequestWrite *write = data;

  g_clear_object (&write->file);
  g_free (write->data);
  g_clear_object (&write->sidecar);
  g_free (write->sidecar_text);
  g_free (write);
}

static RequestWrite *
request_write_new (SondeRequest *request,
                   GFile        *file)
{
  RequestWrite *write = g_new0 (RequestWrite, 1);
  g_autofree char *basename = g_file_get_basename (file);

  write->file = g_object_ref (file);
  write->data = sonde_request_to_data (request, basename, &write->sidecar_text);
  if (write->sidecar_text != NULL)
    {
      g_autoptr(GFile) dir = g_file_get_parent (file);
      const char *name = sonde_body_get_text_file (sonde_request_get_body (request));

      write->sidecar = g_path_is_absolute (name) ? g_file_new_for_path (name)
                                                 : g_file_resolve_relative_path (dir, name);
    }

  return write;
}

/* The sidecar first, so that the file never names a missing one; each only when its bytes
 * change. */
static gboolean
request_write_run (RequestWrite  *write,
                   GError       **error)
{
  if (write->sidecar != NULL && !write_if_changed (write->sidecar, write->sidecar_text, error))
    return FALSE;

  return write_if_changed (write->file, write->data, error);
}

static gboolean
write_request (SondeRequest  *request,
               GFile         *file,
               GError       **error)
{
  RequestWrite *write = request_write_new (request, file);
  gboolean ret = request_write_run (write, error);

  request_write_free (write);
  return ret;
}

/* Reads NODE's file again after Sonde wrote it. */
static void
refresh_request_node (SondeCollection     *self,
                      SondeCollectionNode *node)
{
  g_autoptr(SondeCollectionNode) fresh = sonde_collection_node_new_request (node->file);

  sonde_collection_node_load_request (fresh, sonde_collection_get_dir (self));
  sonde_collection_node_take_state (node, fresh);
}

static gboolean
write_settings (SondeCollectionNode  *folder,
                GError              **error)
{
  g_autoptr(GFile) file = sonde_collection_node_settings_file (folder);
  g_autofree char *data = sonde_collection_node_settings_to_data (folder);

  if (!write_if_changed (file, data, error))
    return FALSE;

  g_clear_pointer (&folder->disk, sonde_disk_state_unref);
  folder->disk = sonde_disk_state_read (file, NULL);
  folder->has_settings_file = TRUE;
  return TRUE;
}

static gboolean
refuse_broken (SondeCollectionNode  *node,
               GError              **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;

  if (node->error == NULL)
    return TRUE;

  file = node->kind == SONDE_COLLECTION_NODE_REQUEST ? g_object_ref (node->file)
                                                      : sonde_collection_node_settings_file (node);
  name = g_file_get_parse_name (file);
  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
               _("“%s” does not parse, so Sonde does not write it: fix it by hand first (%s)"),
               name, node->error->message);
  return FALSE;
}

/* Sets NODE's order and writes the one file that holds it. */
static gboolean
write_order (SondeCollection      *self,
             SondeCollectionNode  *node,
             gint64                order,
             GError              **error)
{
  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_autoptr(SondeRequest) copy = NULL;

      if (!refuse_broken (node, error))
        return FALSE;
      copy = sonde_request_copy (node->request);
      sonde_request_set_order (copy, order);
      if (!write_request (copy, node->file, error))
        return FALSE;
      refresh_request_node (self, node);
      return TRUE;
    }

  if (!refuse_broken (node, error))
    return FALSE;
  sonde_collection_node_set_order (node, order);
  return write_settings (node, error);
}

static gboolean
is_folder (SondeCollectionNode *node)
{
  return SONDE_IS_COLLECTION_NODE (node) && node->kind == SONDE_COLLECTION_NODE_FOLDER;
}

gint64
sonde_collection_next_order (SondeCollectionNode *folder)
{
  gint64 max = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (folder->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (folder->children), i);

      max = MAX (max, child->order);
    }

  return (max / SONDE_ORDER_STEP + 1) * SONDE_ORDER_STEP;
}

static SondeCollectionNode *
reload_and_find (SondeCollection  *self,
                 GFile            *file,
                 GError          **error)
{
  SondeCollectionNode *node;

  sonde_collection_reload (self, NULL);
  node = sonde_collection_find_node (self, file);
  if (node == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("“%s” disappeared after it was written"), name);
    }
  return node;
}

/* ------------------------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------------------------ */

static SondeCollectionNode *
add_request (SondeCollection      *self,
             SondeCollectionNode  *folder,
             SondeRequest         *request,
             GError              **error)
{
  g_autofree char *stem = request_stem (sonde_request_get_name (request));
  g_autoptr(GFile) file = unique_child (folder->file, stem, SONDE_REQUEST_SUFFIX);

  sonde_request_set_order (request, sonde_collection_next_order (folder));
  sonde_request_set_base_dir (request, sonde_collection_get_dir (self));
  if (!write_request (request, file, error))
    return NULL;

  return reload_and_find (self, file, error);
}

SondeCollectionNode *
sonde_collection_create_request (SondeCollection      *self,
                                 SondeCollectionNode  *folder,
                                 const char           *name,
                                 GError              **error)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (is_folder (folder), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  sonde_request_set_name (request, name);
  return add_request (self, folder, request, error);
}

/* A path of the lone request, as the collection should hold it. */
static char *
rebase_path (SondeCollection *self,
             SondeRequest    *request,
             const char      *path)
{
  g_autoptr(GFile) file = NULL;
  char *relative;

  /* {{variables}} and absolute paths stay as they are. */
  if (path == NULL || g_path_is_absolute (path) || strstr (path, "{{") != NULL)
    return g_strdup (path);

  file = sonde_request_resolve_path (request, path);
  relative = g_file_get_relative_path (sonde_collection_get_dir (self), file);
  return relative != NULL ? relative : g_file_get_path (file);
}

SondeCollectionNode *
sonde_collection_add_request (SondeCollection      *self,
                              SondeCollectionNode  *folder,
                              SondeRequest         *request,
                              const char           *name,
                              GError              **error)
{
  g_autoptr(SondeRequest) copy = NULL;
  SondeBody *body;
  GListModel *parts;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (is_folder (folder), NULL);
  g_return_val_if_fail (SONDE_IS_REQUEST (request), NULL);

  copy = sonde_request_copy (request);
  if (name != NULL)
    sonde_request_set_name (copy, name);
  if (sonde_request_get_name (copy)[0] == '\0')
    sonde_request_set_name (copy, _("New request"));

  /* The body text gets a sidecar of its own, next to its new file. */
  body = sonde_request_get_body (copy);
  sonde_body_set_text_file (body, NULL);
  {
    g_autofree char *file = rebase_path (self, request, sonde_body_get_file (body));

    sonde_body_set_file (body, file);
  }
  parts = G_LIST_MODEL (sonde_body_get_parts (body));
  for (guint i = 0; i < g_list_model_get_n_items (parts); i++)
    {
      g_autoptr(SondeBodyPart) part = g_list_model_get_item (parts, i);
      g_autofree char *file = rebase_path (self, request, sonde_body_part_get_file (part));

      if (file != NULL)
        sonde_body_part_set_file (part, file);
    }

  return add_request (self, folder, copy, error);
}

gboolean
sonde_collection_save_request (SondeCollection      *self,
                               SondeCollectionNode  *node,
                               SondeRequest         *request,
                               GError              **error)
{
  g_autoptr(SondeRequest) copy = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), FALSE);
  g_return_val_if_fail (node->kind == SONDE_COLLECTION_NODE_REQUEST, FALSE);
  g_return_val_if_fail (SONDE_IS_REQUEST (request), FALSE);

  if (!refuse_broken (node, error))
    return FALSE;

  copy = sonde_request_copy (request);
  if (!write_request (copy, node->file, error))
    return FALSE;
  sonde_request_set_file (request, node->file);

  refresh_request_node (self, node);
  return sonde_collection_reload (self, error);
}

static void
save_request_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;

  if (request_write_run (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * sonde_collection_save_request_async:
 *
 * Same as sonde_collection_save_request(), writing in a worker thread. The node is brought up
 * to date in sonde_collection_save_request_finish().
 */
void
sonde_collection_save_request_async (SondeCollection      *self,
                                     SondeCollectionNode  *node,
                                     SondeRequest         *request,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SondeRequest) copy = NULL;
  GError *error = NULL;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (SONDE_IS_COLLECTION_NODE (node));
  g_return_if_fail (node->kind == SONDE_COLLECTION_NODE_REQUEST);
  g_return_if_fail (SONDE_IS_REQUEST (request));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_save_request_async);

  if (!refuse_broken (node, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  copy = sonde_request_copy (request);
  g_object_set_data_full (G_OBJECT (task), "node", g_object_ref (node), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "request", g_object_ref (request), g_object_unref);
  g_task_set_task_data (task, request_write_new (copy, node->file), request_write_free);
  g_task_run_in_thread (task, save_request_thread);
}

gboolean
sonde_collection_save_request_finish (SondeCollection  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  SondeCollectionNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  node = g_object_get_data (G_OBJECT (result), "node");
  sonde_request_set_file (g_object_get_data (G_OBJECT (result), "request"), node->file);
  refresh_request_node (self, node);
  return sonde_collection_reload (self, error);
}

gboolean
sonde_collection_save_folder (SondeCollection      *self,
                              SondeCollectionNode  *folder,
                              GError              **error)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (is_folder (folder), FALSE);

  if (!refuse_broken (folder, error) || !write_settings (folder, error))
    return FALSE;
  return sonde_collection_reload (self, error);
}

/* ------------------------------------------------------------------------------------------
 * Folders
 * ------------------------------------------------------------------------------------------ */

SondeCollectionNode *
sonde_collection_create_folder (SondeCollection      *self,
                                SondeCollectionNode  *parent,
                                const char           *name,
                                GError              **error)
{
  g_autofree char *dir_name = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(SondeCollectionNode) folder = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (is_folder (parent), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  dir_name = folder_dir_name (name);
  dir = unique_child (parent->file, dir_name, "");
  if (!g_file_make_directory (dir, NULL, error))
    return NULL;

  /* folder.json holds the order, and the name when the directory cannot. */
  folder = sonde_collection_node_new_folder (dir, FALSE);
  folder->order = sonde_collection_next_order (parent);
  sonde_collection_node_set_name (folder, name);
  if (!write_settings (folder, error))
    {
      g_file_delete (dir, NULL, NULL);
      return NULL;
    }

  return reload_and_find (self, dir, error);
}

static void
rebase_files (SondeCollectionNode *node,
              GFile               *old_dir,
              GFile               *new_dir)
{
  g_autofree char *relative = g_file_get_relative_path (old_dir, node->file);
  g_autoptr(GFile) file = relative ? g_file_resolve_relative_path (new_dir, relative)
                                   : g_object_ref (new_dir);

  sonde_collection_node_set_file (node, file);
  if (node->children == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SondeCollectionNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);

      rebase_files (child, old_dir, new_dir);
    }
}

/* Moves a folder's directory (a rename on the same file system) and its nodes. */
static gboolean
move_directory (SondeCollectionNode  *folder,
                GFile                *new_dir,
                GError              **error)
{
  g_autoptr(GFile) old_dir = g_object_ref (folder->file);

  if (g_file_query_exists (new_dir, NULL))
    {
      g_autofree char *name = g_file_get_parse_name (new_dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("“%s” exists already"), name);
      return FALSE;
    }

  if (!g_file_move (old_dir, new_dir, G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                    NULL, NULL, NULL, error))
    return FALSE;

  rebase_files (folder, old_dir, new_dir);
  return TRUE;
}

static gboolean
rename_folder (SondeCollection      *self,
               SondeCollectionNode  *folder,
               const char           *name,
               GError              **error)
{
  g_autofree char *dir_name = folder_dir_name (name);
  g_autofree char *old_name = g_strdup (folder->name);
  g_autoptr(GFile) parent_dir = g_file_get_parent (folder->file);
  g_autoptr(GFile) new_dir = g_file_get_child (parent_dir, dir_name);
  gboolean name_needed = !g_str_equal (dir_name, name) || folder->name_in_file;

  if (name_needed && !refuse_broken (folder, error))
    return FALSE;

  if (!g_file_equal (new_dir, folder->file) && !move_directory (folder, new_dir, error))
    return FALSE;

  sonde_collection_node_set_name (folder, name);
  if (name_needed && !write_settings (folder, error))
    {
      sonde_collection_node_set_name (folder, old_name);
      return FALSE;
    }

  return TRUE;
}

gboolean
sonde_collection_rename (SondeCollection      *self,
                         SondeCollectionNode  *node,
                         const char           *name,
                         GError              **error)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), FALSE);
  g_return_val_if_fail (name != NULL && name[0] != '\0', FALSE);

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_autoptr(SondeRequest) copy = NULL;

      if (!refuse_broken (node, error))
        return FALSE;
      copy = sonde_request_copy (node->request);
      sonde_request_set_name (copy, name);
      if (!write_request (copy, node->file, error))
        return FALSE;
      refresh_request_node (self, node);
    }
  else if (node->is_root)
    {
      g_autofree char *old_name = g_strdup (node->name);

      if (!refuse_broken (node, error))
        return FALSE;
      sonde_collection_node_set_name (node, name);
      if (!write_settings (node, error))
        {
          sonde_collection_node_set_name (node, old_name);
          return FALSE;
        }
    }
  else if (!rename_folder (self, node, name, error))
    return FALSE;

  return sonde_collection_reload (self, error);
}

/* ------------------------------------------------------------------------------------------
 * Moving and ordering
 * ------------------------------------------------------------------------------------------ */

static gboolean
is_inside (SondeCollectionNode *node,
           SondeCollectionNode *ancestor)
{
  for (; node != NULL; node = node->parent)
    if (node == ancestor)
      return TRUE;
  return FALSE;
}

/* FOLDER's children without NODE. */
static GPtrArray *
siblings_without (SondeCollectionNode *folder,
                  SondeCollectionNode *node)
{
  GPtrArray *siblings = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (folder->children)); i++)
    {
      SondeCollectionNode *child = g_list_model_get_item (G_LIST_MODEL (folder->children), i);

      if (child == node)
        g_object_unref (child);
      else
        g_ptr_array_add (siblings, child);
    }

  return siblings;
}

/* An order between the neighbours at POSITION, or FALSE when there is no gap left. */
static gboolean
order_between (GPtrArray *siblings,
               guint      position,
               gint64    *order)
{
  gint64 low = 0;

  if (position > 0)
    {
      low = ((SondeCollectionNode *)siblings->pdata[position - 1])->order;
      /* Unset orders sort last: nothing fits after one but another unset one. */
      if (low == 0)
        return FALSE;
    }

  if (position == siblings->len)
    {
      *order = (low / SONDE_ORDER_STEP + 1) * SONDE_ORDER_STEP;
      return TRUE;
    }

  {
    gint64 high = ((SondeCollectionNode *)siblings->pdata[position])->order;

    if (high == 0)
      high = low + 2 * SONDE_ORDER_STEP;
    if (high - low < 2)
      return FALSE;
    /* A round number when there is room for one. */
    if (high - low > SONDE_ORDER_STEP && (low / SONDE_ORDER_STEP + 1) * SONDE_ORDER_STEP < high)
      *order = (low / SONDE_ORDER_STEP + 1) * SONDE_ORDER_STEP;
    else
      *order = low + (high - low) / 2;
  }

  return TRUE;
}

/* FILE as seen from DIR, both local: "../shared/body.json". */
static char *
relative_to (GFile *dir,
             GFile *file)
{
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *file_path = g_file_get_path (file);
  g_auto(GStrv) from = g_strsplit (dir_path, G_DIR_SEPARATOR_S, -1);
  g_auto(GStrv) to = g_strsplit (file_path, G_DIR_SEPARATOR_S, -1);
  GString *out = g_string_new (NULL);
  guint common = 0;

  while (from[common] != NULL && to[common] != NULL && g_str_equal (from[common], to[common]))
    common++;
  for (guint i = common; from[i] != NULL; i++)
    if (from[i][0] != '\0')
      g_string_append (out, "../");
  for (guint i = common; to[i] != NULL; i++)
    {
      g_string_append (out, to[i]);
      if (to[i + 1] != NULL)
        g_string_append_c (out, '/');
    }

  return g_string_free (out, FALSE);
}

static gboolean
fits_between (GPtrArray *siblings,
              guint      position,
              gint64     order)
{
  gint64 low = position > 0 ? ((SondeCollectionNode *)siblings->pdata[position - 1])->order : 0;
  gint64 high = position < siblings->len ? ((SondeCollectionNode *)siblings->pdata[position])->order : 0;

  if (order == 0 || (position > 0 && low == 0))
    return FALSE;
  return order > low && (high == 0 || order < high);
}

static gboolean
relocate_request (SondeCollection      *self,
                  SondeCollectionNode  *node,
                  SondeCollectionNode  *folder,
                  gint64                order,
                  GError              **error)
{
  g_autofree char *stem = file_stem (node->file, SONDE_REQUEST_SUFFIX);
  g_autoptr(GFile) new_file = unique_child (folder->file, stem, SONDE_REQUEST_SUFFIX);
  g_autoptr(GFile) old_dir = g_file_get_parent (node->file);
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(GFile) old_sidecar = NULL;
  g_autoptr(GFile) new_sidecar = NULL;
  const char *text_file;

  /* A file that does not parse moves as it is. */
  if (node->request == NULL)
    {
      if (!g_file_move (node->file, new_file, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, error))
        return FALSE;
      sonde_collection_node_set_file (node, new_file);
      return TRUE;
    }

  copy = sonde_request_copy (node->request);
  sonde_request_set_order (copy, order);

  /* The sidecar goes along when it sits next to the request. */
  text_file = node->disk ? node->disk->sidecar : NULL;
  if (text_file != NULL && !g_path_is_absolute (text_file) && strchr (text_file, '/') == NULL)
    {
      old_sidecar = g_file_get_child (old_dir, text_file);
      if (g_file_query_exists (old_sidecar, NULL))
        {
          g_autofree char *sidecar_stem = NULL;
          const char *dot = strchr (text_file, '.');
          g_autofree char *new_name = NULL;

          sidecar_stem = dot ? g_strndup (text_file, dot - text_file) : g_strdup (text_file);
          new_sidecar = unique_child (folder->file, sidecar_stem, dot ? dot : "");
          new_name = g_file_get_basename (new_sidecar);
          sonde_body_set_text_file (sonde_request_get_body (copy), new_name);
          if (!g_file_move (old_sidecar, new_sidecar, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, error))
            return FALSE;
        }
      else
        g_clear_object (&old_sidecar);
    }
  else if (text_file != NULL && !g_path_is_absolute (text_file))
    {
      /* A sidecar elsewhere stays there: the path to it changes. */
      g_autoptr(GFile) sidecar = g_file_resolve_relative_path (old_dir, text_file);
      g_autofree char *path = relative_to (folder->file, sidecar);

      sonde_body_set_text_file (sonde_request_get_body (copy), path);
    }

  if (!write_request (copy, new_file, error))
    {
      if (new_sidecar != NULL)
        g_file_move (new_sidecar, old_sidecar, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, NULL);
      return FALSE;
    }

  if (!g_file_delete (node->file, NULL, error))
    return FALSE;

  sonde_collection_node_set_file (node, new_file);
  refresh_request_node (self, node);
  return TRUE;
}

/* Moves NODE into FOLDER's children store at once, so that the reload finds it there. */
static void
reparent (SondeCollectionNode *node,
          SondeCollectionNode *folder)
{
  guint position;

  if (node->parent == folder)
    return;

  if (node->parent != NULL && g_list_store_find (node->parent->children, node, &position))
    {
      g_object_ref (node);
      g_list_store_remove (node->parent->children, position);
      g_list_store_append (folder->children, node);
      g_object_unref (node);
    }
  node->parent = folder;
}

static gboolean
renumber (SondeCollection      *self,
          GPtrArray            *siblings,
          GError              **error)
{
  for (guint i = 0; i < siblings->len; i++)
    {
      SondeCollectionNode *child = siblings->pdata[i];
      gint64 order = (gint64)(i + 1) * SONDE_ORDER_STEP;

      /* Files that do not parse keep the order they have: they are never written. */
      if (child->order == order || child->error != NULL)
        continue;
      if (!write_order (self, child, order, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
sonde_collection_move (SondeCollection      *self,
                       SondeCollectionNode  *node,
                       SondeCollectionNode  *folder,
                       int                   position,
                       GError              **error)
{
  g_autoptr(GPtrArray) siblings = NULL;
  gboolean has_gap;
  gint64 order = 0;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL, FALSE);
  g_return_val_if_fail (is_folder (folder), FALSE);

  if (is_inside (folder, node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A folder cannot be moved into itself"));
      return FALSE;
    }

  siblings = siblings_without (folder, node);
  if (position < 0 || (guint)position > siblings->len)
    position = siblings->len;

  /* A file that does not parse cannot take an order: it only moves. */
  if (node->error != NULL)
    {
      if (node->parent == folder)
        return TRUE;
      if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
        {
          if (!relocate_request (self, node, folder, 0, error))
            return FALSE;
        }
      else
        {
          g_autofree char *basename = g_file_get_basename (node->file);
          g_autoptr(GFile) new_dir = g_file_get_child (folder->file, basename);

          if (!move_directory (node, new_dir, error))
            return FALSE;
        }
      reparent (node, folder);
      return sonde_collection_reload (self, error);
    }

  has_gap = order_between (siblings, position, &order);

  /* Already there: nothing to write. */
  if (node->parent == folder && fits_between (siblings, position, node->order))
    return TRUE;

  if (node->parent != folder)
    {
      gint64 new_order = has_gap ? order : node->order;

      if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
        {
          if (!relocate_request (self, node, folder, new_order, error))
            return FALSE;
        }
      else
        {
          g_autofree char *basename = g_file_get_basename (node->file);
          g_autoptr(GFile) new_dir = g_file_get_child (folder->file, basename);

          if (!move_directory (node, new_dir, error))
            return FALSE;
          if (has_gap && node->error == NULL && !write_order (self, node, order, error))
            return FALSE;
        }
      reparent (node, folder);
    }
  else if (has_gap && !write_order (self, node, order, error))
    return FALSE;

  if (!has_gap)
    {
      g_ptr_array_insert (siblings, position, g_object_ref (node));
      if (!renumber (self, siblings, error))
        return FALSE;
    }

  return sonde_collection_reload (self, error);
}

/* ------------------------------------------------------------------------------------------
 * Duplicating and deleting
 * ------------------------------------------------------------------------------------------ */

static gboolean
copy_directory (GFile   *source,
                GFile   *target,
                GError **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;

  if (!g_file_make_directory (target, NULL, error))
    return FALSE;

  enumerator = g_file_enumerate_children (source, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  if (enumerator == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;
      g_autoptr(GFile) target_child = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, NULL, error))
        return FALSE;
      if (info == NULL)
        return TRUE;

      target_child = g_file_get_child (target, g_file_info_get_name (info));
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          if (!copy_directory (child, target_child, error))
            return FALSE;
        }
      else if (!g_file_copy (child, target_child, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, error))
        return FALSE;
    }
}

static gboolean
delete_recursively (GFile   *file,
                    GError **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;

  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      enumerator = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                              G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
      if (enumerator == NULL)
        return FALSE;

      for (;;)
        {
          GFileInfo *info = NULL;
          GFile *child = NULL;

          if (!g_file_enumerator_iterate (enumerator, &info, &child, NULL, error))
            return FALSE;
          if (info == NULL)
            break;
          if (!delete_recursively (child, error))
            return FALSE;
        }
    }

  return g_file_delete (file, NULL, error);
}

static int
index_in_parent (SondeCollectionNode *node)
{
  guint position = 0;

  if (!g_list_store_find (node->parent->children, node, &position))
    return -1;
  return position;
}

SondeCollectionNode *
sonde_collection_duplicate (SondeCollection      *self,
                            SondeCollectionNode  *node,
                            GError              **error)
{
  g_autofree char *name = NULL;
  SondeCollectionNode *folder;
  SondeCollectionNode *copy;
  g_autoptr(GFile) file = NULL;
  int position;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL, NULL);

  /* Translators: the name of a duplicated request or folder */
  name = g_strdup_printf (_("%s copy"), node->name);

  folder = node->parent;
  position = index_in_parent (node) + 1;

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_autoptr(SondeRequest) request = NULL;
      g_autofree char *stem = request_stem (name);

      if (!refuse_broken (node, error))
        return NULL;

      request = sonde_request_copy (node->request);
      sonde_request_set_name (request, name);
      sonde_request_set_order (request, sonde_collection_next_order (folder));
      /* A body file of its own, named after the new file. */
      sonde_body_set_text_file (sonde_request_get_body (request), NULL);
      file = unique_child (folder->file, stem, SONDE_REQUEST_SUFFIX);
      if (!write_request (request, file, error))
        return NULL;
    }
  else
    {
      g_autofree char *dir_name = folder_dir_name (name);

      file = unique_child (folder->file, dir_name, "");
      if (!copy_directory (node->file, file, error))
        {
          delete_recursively (file, NULL);
          return NULL;
        }
    }

  copy = reload_and_find (self, file, error);
  if (copy == NULL)
    return NULL;

  if (copy->kind == SONDE_COLLECTION_NODE_FOLDER && copy->error == NULL &&
      (copy->name_in_file || !g_str_equal (copy->name, name)))
    {
      sonde_collection_node_set_name (copy, name);
      copy->name_in_file = TRUE;
      if (!write_settings (copy, error))
        return NULL;
    }

  /* Right after the original. */
  if (!sonde_collection_move (self, copy, folder, position, error))
    return NULL;

  return copy;
}

gboolean
sonde_collection_delete (SondeCollection      *self,
                         SondeCollectionNode  *node,
                         GError              **error)
{
  guint position;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL, FALSE);

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      const char *sidecar = node->disk ? node->disk->sidecar : NULL;

      if (!g_file_delete (node->file, NULL, error))
        return FALSE;
      /* Its own sidecar goes with it; one elsewhere may be shared. */
      if (sidecar != NULL && !g_path_is_absolute (sidecar) && strchr (sidecar, '/') == NULL)
        {
          g_autoptr(GFile) dir = g_file_get_parent (node->file);
          g_autoptr(GFile) sidecar_file = g_file_resolve_relative_path (dir, sidecar);

          g_file_delete (sidecar_file, NULL, NULL);
        }
    }
  else if (!delete_recursively (node->file, error))
    return FALSE;

  {
    SondeCollectionNode *parent = node->parent;

    /* The store may hold the last reference. */
    node->parent = NULL;
    if (g_list_store_find (parent->children, node, &position))
      g_list_store_remove (parent->children, position);
  }

  return sonde_collection_reload (self, error);
}

/* ------------------------------------------------------------------------------------------
 * Environments
 * ------------------------------------------------------------------------------------------ */

SondeEnvironment *
sonde_collection_create_environment (SondeCollection  *self,
                                     const char       *name,
                                     GError          **error)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SondeEnvironment) environment = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stem = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  dir = g_file_get_child (sonde_collection_get_dir (self), SONDE_ENVIRONMENTS_DIR);
  if (!g_file_make_directory (dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  stem = request_stem (name);
  file = unique_child (dir, stem, ".json");
  environment = sonde_environment_new (name);
  if (!sonde_environment_save (environment, file, error))
    return NULL;

  sonde_collection_reload (self, NULL);
  return sonde_collection_find_environment (self, name);
}

gboolean
sonde_collection_save_environment (SondeCollection   *self,
                                   SondeEnvironment  *environment,
                                   GError           **error)
{
  g_autofree char *data = NULL;
  GFile *file;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (environment), FALSE);

  file = sonde_environment_get_file (environment);
  g_return_val_if_fail (file != NULL, FALSE);

  /* A file that does not parse is never written: sonde_environment_save () says why. */
  if (sonde_environment_get_error (environment) != NULL)
    return sonde_environment_save (environment, file, error);

  data = sonde_environment_to_data (environment);
  if (!write_if_changed (file, data, error))
    return FALSE;
  sonde_collection_remember_environment (self, environment);

  return sonde_collection_reload (self, error);
}

gboolean
sonde_collection_delete_environment (SondeCollection   *self,
                                     SondeEnvironment  *environment,
                                     GError           **error)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_ENVIRONMENT (environment), FALSE);

  if (!g_file_delete (sonde_environment_get_file (environment), NULL, error))
    return FALSE;

  return sonde_collection_reload (self, error);
}
