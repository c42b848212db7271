/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-collection"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-collection-private.h"
#include "sonde-error.h"
#include "sonde-request-io.h"

/* Moving, reordering, duplicating and deleting nodes. As in sonde-collection-ops.c, only the
 * files whose bytes change are written, and the nodes follow before the reload. */

static gboolean
is_folder (SondeCollectionNode *node)
{
  return SONDE_IS_COLLECTION_NODE (node) && node->kind == SONDE_COLLECTION_NODE_FOLDER;
}

/* ------------------------------------------------------------------------------------------
 * Moving and ordering
 * ------------------------------------------------------------------------------------------ */

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

      if (!sonde_collection_refuse_broken (node, error))
        return FALSE;
      copy = sonde_request_copy (node->request);
      sonde_request_set_order (copy, order);
      if (!sonde_collection_write_request (copy, node->file, error))
        return FALSE;
      sonde_collection_refresh_request_node (self, node);
      return TRUE;
    }

  if (!sonde_collection_refuse_broken (node, error))
    return FALSE;
  sonde_collection_node_set_order (node, order);
  return sonde_collection_write_settings (node, error);
}

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
  g_autofree char *stem = sonde_collection_file_stem (node->file, SONDE_REQUEST_SUFFIX);
  g_autoptr(GFile) new_file = sonde_collection_unique_child (folder->file, stem, SONDE_REQUEST_SUFFIX);
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
          new_sidecar = sonde_collection_unique_child (folder->file, sidecar_stem, dot ? dot : "");
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

  if (!sonde_collection_write_request (copy, new_file, error))
    {
      if (new_sidecar != NULL)
        g_file_move (new_sidecar, old_sidecar, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, NULL);
      return FALSE;
    }

  if (!g_file_delete (node->file, NULL, error))
    return FALSE;

  sonde_collection_node_set_file (node, new_file);
  sonde_collection_refresh_request_node (self, node);
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

          if (!sonde_collection_move_directory (node, new_dir, error))
            return FALSE;
        }
      reparent (node, folder);
      return sonde_collection_settle (self, error);
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

          if (!sonde_collection_move_directory (node, new_dir, error))
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

  return sonde_collection_settle (self, error);
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

/* A duplicate, in three steps: planned on the main thread (names, order, what to write),
 * written on any thread (a request file, or a copy of a folder's directory) and read back
 * there, then put in the tree on the main thread. */
typedef struct
{
  SondeCollectionNode *folder;     /* of the original, where the copy goes */
  int                  position;   /* right after the original */
  char                *name;
  GFile               *root_dir;
  GFile               *source;     /* a folder's directory; NULL for a request */
  GFile               *target;
  SondeRequestWrite   *write;      /* a request's file; NULL for a folder */
  SondeCollectionNode *copy;       /* read back by the write */
} Duplication;

static void
duplication_free (Duplication *duplication)
{
  g_clear_object (&duplication->folder);
  g_free (duplication->name);
  g_clear_object (&duplication->root_dir);
  g_clear_object (&duplication->source);
  if (duplication->target != NULL)
    sonde_collection_release_child (duplication->target);
  g_clear_object (&duplication->target);
  g_clear_pointer (&duplication->write, sonde_request_write_free);
  g_clear_object (&duplication->copy);
  g_free (duplication);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Duplication, duplication_free)

static Duplication *
plan_duplication (SondeCollection      *self,
                  SondeCollectionNode  *node,
                  GError              **error)
{
  g_autoptr(Duplication) duplication = g_new0 (Duplication, 1);

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST && !sonde_collection_refuse_broken (node, error))
    return NULL;

  /* Translators: the name of a duplicated request or folder */
  duplication->name = g_strdup_printf (_("%s copy"), node->name);
  duplication->folder = g_object_ref (node->parent);
  duplication->position = index_in_parent (node) + 1;
  duplication->root_dir = g_object_ref (sonde_collection_get_dir (self));

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_autoptr(SondeRequest) request = sonde_request_copy (node->request);
      g_autofree char *stem = sonde_collection_request_stem (duplication->name);

      sonde_request_set_name (request, duplication->name);
      sonde_request_set_order (request, sonde_collection_next_order (node->parent));
      /* A body file of its own, named after the new file. */
      sonde_body_set_text_file (sonde_request_get_body (request), NULL);
      duplication->target = sonde_collection_reserve_child (node->parent->file, stem, SONDE_REQUEST_SUFFIX);
      duplication->write = sonde_request_write_new (request, duplication->target);
    }
  else
    {
      g_autofree char *dir_name = sonde_collection_folder_dir_name (duplication->name);

      duplication->source = g_object_ref (node->file);
      duplication->target = sonde_collection_reserve_child (node->parent->file, dir_name, "");
    }

  return g_steal_pointer (&duplication);
}

/* Any thread. */
static gboolean
write_duplication (Duplication  *duplication,
                   GError      **error)
{
  if (duplication->write != NULL)
    {
      if (!sonde_request_write_run (duplication->write, error))
        return FALSE;
      duplication->copy = sonde_collection_node_new_request (duplication->target);
      sonde_collection_node_load_request (duplication->copy, duplication->root_dir);
      return TRUE;
    }

  if (!copy_directory (duplication->source, duplication->target, error))
    {
      delete_recursively (duplication->target, NULL);
      return FALSE;
    }
  duplication->copy = sonde_collection_scan_tree (duplication->root_dir, duplication->target);
  return TRUE;
}

static SondeCollectionNode *
finish_duplication (SondeCollection      *self,
                    Duplication          *duplication,
                    GError              **error)
{
  SondeCollectionNode *copy = duplication->copy;

  sonde_collection_insert_node (duplication->folder, copy);

  if (copy->kind == SONDE_COLLECTION_NODE_FOLDER && copy->error == NULL &&
      (copy->name_in_file || !g_str_equal (copy->name, duplication->name)))
    {
      sonde_collection_node_set_name (copy, duplication->name);
      copy->name_in_file = TRUE;
      if (!sonde_collection_write_settings (copy, error))
        return NULL;
    }

  /* Right after the original; a move that finds it there already writes nothing. */
  if (!sonde_collection_move (self, copy, duplication->folder, duplication->position, error) ||
      !sonde_collection_settle (self, error))
    return NULL;

  return copy;
}

SondeCollectionNode *
sonde_collection_duplicate (SondeCollection      *self,
                            SondeCollectionNode  *node,
                            GError              **error)
{
  g_autoptr(Duplication) duplication = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL, NULL);

  duplication = plan_duplication (self, node, error);
  if (duplication == NULL || !write_duplication (duplication, error))
    return NULL;
  return finish_duplication (self, duplication, error);
}

static void
duplicate_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_duplication (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sonde_collection_duplicate_async (SondeCollection      *self,
                                  SondeCollectionNode  *node,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Duplication *duplication;
  GError *error = NULL;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_duplicate_async);
  duplication = plan_duplication (self, node, &error);
  if (duplication == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, duplication, (GDestroyNotify) duplication_free);
  sonde_collection_begin_write (self);
  g_task_run_in_thread (task, duplicate_thread);
}

SondeCollectionNode *
sonde_collection_duplicate_finish (SondeCollection  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  /* A duplicate refused before its thread never began a write. */
  if (g_task_get_task_data (G_TASK (result)) == NULL)
    return g_task_propagate_pointer (G_TASK (result), error);
  sonde_collection_end_write (self);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      /* What a reload found meanwhile was not merged. */
      sonde_collection_settle (self, NULL);
      return NULL;
    }
  return finish_duplication (self, g_task_get_task_data (G_TASK (result)), error);
}

/* NODE's file is gone: out of the tree now, then settled. */
static gboolean
forget (SondeCollection      *self,
        SondeCollectionNode  *node,
        GError              **error)
{
  SondeCollectionNode *parent = node->parent;
  guint position;

  /* Gone from the tree already (a reload found the file missing). */
  if (parent == NULL)
    return sonde_collection_settle (self, error);

  /* The store may hold the last reference. */
  node->parent = NULL;
  if (g_list_store_find (parent->children, node, &position))
    g_list_store_remove (parent->children, position);

  return sonde_collection_settle (self, error);
}

/* What deleting NODE removes, to be done on any thread. */
typedef struct
{
  SondeCollectionNode *node;
  GFile               *file;
  GFile               *sidecar;   /* its own sidecar, deleted with it; never trashed */
  gboolean             to_trash;
} Removal;

static void
removal_free (Removal *removal)
{
  g_clear_object (&removal->node);
  g_clear_object (&removal->file);
  g_clear_object (&removal->sidecar);
  g_free (removal);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Removal, removal_free)

static Removal *
plan_removal (SondeCollectionNode *node,
              gboolean             to_trash)
{
  Removal *removal = g_new0 (Removal, 1);
  const char *sidecar = node->disk ? node->disk->sidecar : NULL;

  removal->node = g_object_ref (node);
  removal->file = g_object_ref (node->file);
  removal->to_trash = to_trash;
  /* Its own sidecar goes with it; one elsewhere may be shared. */
  if (!to_trash && node->kind == SONDE_COLLECTION_NODE_REQUEST &&
      sidecar != NULL && !g_path_is_absolute (sidecar) && strchr (sidecar, '/') == NULL)
    {
      g_autoptr(GFile) dir = g_file_get_parent (node->file);

      removal->sidecar = g_file_resolve_relative_path (dir, sidecar);
    }
  return removal;
}

static gboolean
run_removal (Removal  *removal,
             GError  **error)
{
  if (removal->to_trash)
    return g_file_trash (removal->file, NULL, error);
  if (!delete_recursively (removal->file, error))
    return FALSE;
  if (removal->sidecar != NULL)
    g_file_delete (removal->sidecar, NULL, NULL);
  return TRUE;
}

static gboolean
remove_node (SondeCollection      *self,
             SondeCollectionNode  *node,
             gboolean              to_trash,
             GError              **error)
{
  g_autoptr(Removal) removal = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL, FALSE);

  removal = plan_removal (node, to_trash);
  if (!run_removal (removal, error))
    return FALSE;
  return forget (self, node, error);
}

gboolean
sonde_collection_delete (SondeCollection      *self,
                         SondeCollectionNode  *node,
                         GError              **error)
{
  return remove_node (self, node, FALSE, error);
}

gboolean
sonde_collection_trash (SondeCollection      *self,
                        SondeCollectionNode  *node,
                        GError              **error)
{
  return remove_node (self, node, TRUE, error);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_removal (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sonde_collection_remove_async (SondeCollection      *self,
                               SondeCollectionNode  *node,
                               gboolean              to_trash,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_remove_async);
  g_task_set_task_data (task, plan_removal (node, to_trash), (GDestroyNotify) removal_free);
  sonde_collection_begin_write (self);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
sonde_collection_remove_finish (SondeCollection  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  Removal *removal;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  sonde_collection_end_write (self);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      /* What a reload found meanwhile was not merged. */
      sonde_collection_settle (self, NULL);
      return FALSE;
    }
  removal = g_task_get_task_data (G_TASK (result));
  return forget (self, removal->node, error);
}
