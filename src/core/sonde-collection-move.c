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

/* A move, in three steps like a duplicate: planned on the main thread (the new order, names,
 * the bytes of every file to write), written on any thread (files moved and written, each
 * written file read back), then applied to the tree on the main thread. Steps run in order;
 * when one fails, the ones done before it are still applied, so the tree names the files
 * where they are. */
typedef enum
{
  STEP_REQUEST,   /* a request file written (at a new place: the old one deleted after) */
  STEP_SETTINGS,  /* a folder's settings file written */
  STEP_MOVE,      /* a file that does not parse, or a folder's directory, moved as it is */
} StepKind;

typedef struct
{
  StepKind             kind;
  SondeCollectionNode *node;
  GFile               *source;       /* MOVE: from; REQUEST: the old file, or NULL */
  GFile               *target;       /* MOVE, REQUEST: to; SETTINGS: the file */
  gboolean             reserved;     /* target came from sonde_collection_reserve_child () */
  gint64               order;        /* what NODE's order becomes */
  /* REQUEST */
  SondeRequestWrite   *write;
  GFile               *old_sidecar;  /* next to the old file, moved along when it is there */
  GFile               *new_sidecar;  /* reserved */
  SondeRequestWrite   *write_with_sidecar;
  SondeCollectionNode *fresh;        /* read back after the write */
  /* SETTINGS */
  char                *settings;
  SondeDiskState      *disk;         /* read back after the write */
} Step;

static void
step_free (gpointer data)
{
  Step *step = data;

  g_clear_object (&step->node);
  g_clear_object (&step->source);
  if (step->reserved)
    sonde_collection_release_child (step->target);
  g_clear_object (&step->target);
  g_clear_pointer (&step->write, sonde_request_write_free);
  g_clear_object (&step->old_sidecar);
  if (step->new_sidecar != NULL)
    sonde_collection_release_child (step->new_sidecar);
  g_clear_object (&step->new_sidecar);
  g_clear_pointer (&step->write_with_sidecar, sonde_request_write_free);
  g_clear_object (&step->fresh);
  g_free (step->settings);
  g_clear_pointer (&step->disk, sonde_disk_state_unref);
  g_free (step);
}

typedef struct
{
  SondeCollectionJob   job;
  SondeCollectionNode *node;
  SondeCollectionNode *folder;
  GFile               *root_dir;
  GPtrArray           *steps;      /* of Step */
  guint                n_done;
  gboolean             reparent;   /* NODE goes into FOLDER once its first step is done */
} Move;

static void
move_free (Move *move)
{
  g_clear_object (&move->node);
  g_clear_object (&move->folder);
  g_clear_object (&move->root_dir);
  g_clear_pointer (&move->steps, g_ptr_array_unref);
  g_free (move);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Move, move_free)

static gboolean run_move (SondeCollectionJob  *job,
                          GError             **error);

static Step *
add_step (Move                *move,
          StepKind             kind,
          SondeCollectionNode *node,
          gint64               order)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->node = g_object_ref (node);
  step->order = order;
  g_ptr_array_add (move->steps, step);
  return step;
}

/* NODE's order written where it is: its request file, or its folder's settings file. */
static gboolean
plan_order (Move                 *move,
            SondeCollectionNode  *node,
            gint64                order,
            GError              **error)
{
  Step *step;

  if (!sonde_collection_refuse_broken (node, error))
    return FALSE;

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_autoptr(SondeRequest) copy = sonde_request_copy (node->request);

      sonde_request_set_order (copy, order);
      step = add_step (move, STEP_REQUEST, node, order);
      step->target = g_object_ref (node->file);
      step->write = sonde_request_write_new (copy, step->target);
    }
  else
    {
      g_autoptr(SondeCollectionNode) ordered = sonde_collection_node_new_folder (node->file, node->is_root);

      sonde_collection_node_take_state (ordered, node);
      sonde_collection_node_set_order (ordered, order);
      step = add_step (move, STEP_SETTINGS, node, order);
      step->target = sonde_collection_node_settings_file (ordered);
      step->settings = sonde_collection_node_settings_to_data (ordered);
    }

  return TRUE;
}

/* A folder's directory into FOLDER, with its settings file written there when ORDER is set. */
static void
plan_directory_move (Move                *move,
                     SondeCollectionNode *node,
                     SondeCollectionNode *folder,
                     gint64               order)
{
  g_autofree char *basename = g_file_get_basename (node->file);
  Step *step = add_step (move, STEP_MOVE, node, node->order);

  step->source = g_object_ref (node->file);
  step->target = g_file_get_child (folder->file, basename);

  if (order != 0)
    {
      g_autoptr(SondeCollectionNode) moved = sonde_collection_node_new_folder (step->target, FALSE);
      Step *settings;

      sonde_collection_node_take_state (moved, node);
      sonde_collection_node_set_order (moved, order);
      settings = add_step (move, STEP_SETTINGS, node, order);
      settings->target = sonde_collection_node_settings_file (moved);
      settings->settings = sonde_collection_node_settings_to_data (moved);
    }
}

/* A request file into FOLDER: written there with ORDER, then the old one deleted. */
static void
plan_request_move (Move                *move,
                   SondeCollectionNode *node,
                   SondeCollectionNode *folder,
                   gint64               order)
{
  g_autofree char *stem = sonde_collection_file_stem (node->file, SONDE_REQUEST_SUFFIX);
  g_autoptr(GFile) old_dir = g_file_get_parent (node->file);
  g_autoptr(SondeRequest) copy = NULL;
  const char *text_file;
  Step *step;

  /* A file that does not parse moves as it is. */
  if (node->request == NULL)
    {
      step = add_step (move, STEP_MOVE, node, node->order);
      step->source = g_object_ref (node->file);
      step->target = sonde_collection_reserve_child (folder->file, stem, SONDE_REQUEST_SUFFIX);
      step->reserved = TRUE;
      return;
    }

  step = add_step (move, STEP_REQUEST, node, order);
  step->source = g_object_ref (node->file);
  step->target = sonde_collection_reserve_child (folder->file, stem, SONDE_REQUEST_SUFFIX);
  step->reserved = TRUE;

  copy = sonde_request_copy (node->request);
  sonde_request_set_order (copy, order);

  /* The sidecar goes along when it sits next to the request (the thread looks whether it
   * does); one elsewhere stays there, and the path to it changes. */
  text_file = node->disk ? node->disk->sidecar : NULL;
  if (text_file != NULL && !g_path_is_absolute (text_file) && strchr (text_file, '/') == NULL)
    {
      g_autoptr(SondeRequest) with_sidecar = sonde_request_copy (copy);
      const char *dot = strchr (text_file, '.');
      g_autofree char *sidecar_stem = dot ? g_strndup (text_file, dot - text_file) : g_strdup (text_file);
      g_autofree char *new_name = NULL;

      step->old_sidecar = g_file_get_child (old_dir, text_file);
      step->new_sidecar = sonde_collection_reserve_child (folder->file, sidecar_stem, dot ? dot : "");
      new_name = g_file_get_basename (step->new_sidecar);
      sonde_body_set_text_file (sonde_request_get_body (with_sidecar), new_name);
      step->write_with_sidecar = sonde_request_write_new (with_sidecar, step->target);
    }
  else if (text_file != NULL && !g_path_is_absolute (text_file))
    {
      g_autoptr(GFile) sidecar = g_file_resolve_relative_path (old_dir, text_file);
      g_autofree char *path = relative_to (folder->file, sidecar);

      sonde_body_set_text_file (sonde_request_get_body (copy), path);
    }
  step->write = sonde_request_write_new (copy, step->target);
}

/* NODE's move (or reorder) to POSITION among FOLDER's children; a Move without steps when
 * there is nothing to write. */
static Move *
plan_move (SondeCollection      *self,
           SondeCollectionNode  *node,
           SondeCollectionNode  *folder,
           int                   position,
           GError              **error)
{
  g_autoptr(Move) move = g_new0 (Move, 1);
  g_autoptr(GPtrArray) siblings = NULL;

  move->job.run = run_move;
  gboolean has_gap;
  gint64 order = 0;

  if (is_inside (folder, node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A folder cannot be moved into itself"));
      return NULL;
    }

  move->node = g_object_ref (node);
  move->folder = g_object_ref (folder);
  move->root_dir = g_object_ref (sonde_collection_get_dir (self));
  move->steps = g_ptr_array_new_with_free_func (step_free);
  move->reparent = node->parent != folder;

  siblings = siblings_without (folder, node);
  if (position < 0 || (guint)position > siblings->len)
    position = siblings->len;

  /* A file that does not parse cannot take an order: it only moves. */
  if (node->error != NULL)
    {
      if (!move->reparent)
        ;
      else if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
        plan_request_move (move, node, folder, 0);
      else
        plan_directory_move (move, node, folder, 0);
      return g_steal_pointer (&move);
    }

  has_gap = order_between (siblings, position, &order);

  /* Already there: nothing to write. */
  if (!move->reparent && fits_between (siblings, position, node->order))
    return g_steal_pointer (&move);

  /* No gap left: the folder's children are numbered again, 1000, 2000, … */
  if (!has_gap)
    order = (gint64)(position + 1) * SONDE_ORDER_STEP;

  /* A node that changes folders is written there with its order at once. */
  if (move->reparent && node->kind == SONDE_COLLECTION_NODE_REQUEST)
    plan_request_move (move, node, folder, order);
  else if (move->reparent)
    plan_directory_move (move, node, folder, order);
  else if (has_gap && !plan_order (move, node, order, error))
    return NULL;

  if (!has_gap)
    {
      g_ptr_array_insert (siblings, position, g_object_ref (node));
      for (guint i = 0; i < siblings->len; i++)
        {
          SondeCollectionNode *child = siblings->pdata[i];
          gint64 child_order = (gint64)(i + 1) * SONDE_ORDER_STEP;

          /* Files that do not parse keep the order they have: they are never written. */
          if ((child == node && move->reparent) || child->error != NULL || child->order == child_order)
            continue;
          if (!plan_order (move, child, child_order, error))
            return NULL;
        }
    }

  return g_steal_pointer (&move);
}

/* Any thread. */
static gboolean
run_step (Step     *step,
          GFile    *root_dir,
          GError  **error)
{
  switch (step->kind)
    {
    case STEP_MOVE:
      /* rename () would replace an empty directory there. */
      if (g_file_query_exists (step->target, NULL))
        {
          g_autofree char *shown = g_file_get_parse_name (step->target);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("“%s” exists already"), shown);
          return FALSE;
        }
      return g_file_move (step->source, step->target,
                          G_FILE_COPY_NOFOLLOW_SYMLINKS | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                          NULL, NULL, NULL, error);

    case STEP_SETTINGS:
      if (!sonde_collection_write_if_changed (step->target, step->settings, error))
        return FALSE;
      step->disk = sonde_disk_state_read (step->target, NULL);
      return TRUE;

    case STEP_REQUEST:
      {
        SondeRequestWrite *write = step->write;
        gboolean sidecar_moved = FALSE;

        if (step->old_sidecar != NULL && g_file_query_exists (step->old_sidecar, NULL))
          {
            if (!g_file_move (step->old_sidecar, step->new_sidecar, G_FILE_COPY_NOFOLLOW_SYMLINKS,
                              NULL, NULL, NULL, error))
              return FALSE;
            sidecar_moved = TRUE;
            write = step->write_with_sidecar;
          }
        if (!sonde_request_write_run (write, error))
          {
            if (sidecar_moved)
              g_file_move (step->new_sidecar, step->old_sidecar, G_FILE_COPY_NOFOLLOW_SYMLINKS,
                           NULL, NULL, NULL, NULL);
            return FALSE;
          }
        if (step->source != NULL && !g_file_delete (step->source, NULL, error))
          return FALSE;
        step->fresh = sonde_collection_node_new_request (step->target);
        sonde_collection_node_load_request (step->fresh, root_dir);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* Any thread. */
static gboolean
run_move (SondeCollectionJob  *job,
          GError             **error)
{
  Move *move = (Move *) job;

  for (; move->n_done < move->steps->len; move->n_done++)
    if (!run_step (move->steps->pdata[move->n_done], move->root_dir, error))
      return FALSE;
  return TRUE;
}

/* The steps done, applied to the tree; settled when anything was written. */
static gboolean
finish_move (SondeCollection  *self,
             Move             *move,
             GError          **error)
{
  for (guint i = 0; i < move->n_done; i++)
    {
      Step *step = move->steps->pdata[i];

      switch (step->kind)
        {
        case STEP_MOVE:
          if (step->node->kind == SONDE_COLLECTION_NODE_FOLDER)
            sonde_collection_rebase_files (step->node, step->source, step->target);
          else
            sonde_collection_node_set_file (step->node, step->target);
          break;

        case STEP_SETTINGS:
          sonde_collection_node_set_order (step->node, step->order);
          g_clear_pointer (&step->node->disk, sonde_disk_state_unref);
          step->node->disk = g_steal_pointer (&step->disk);
          step->node->has_settings_file = TRUE;
          break;

        case STEP_REQUEST:
          sonde_collection_node_set_file (step->node, step->target);
          sonde_collection_node_take_state (step->node, step->fresh);
          break;

        default:
          g_assert_not_reached ();
        }

      if (i == 0 && move->reparent)
        reparent (move->node, move->folder);
    }

  if (move->n_done == 0 && move->steps->len == 0)
    return TRUE;
  return sonde_collection_settle (self, error);
}

gboolean
sonde_collection_move (SondeCollection      *self,
                       SondeCollectionNode  *node,
                       SondeCollectionNode  *folder,
                       int                   position,
                       GError              **error)
{
  g_autoptr(Move) move = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL, FALSE);
  g_return_val_if_fail (is_folder (folder), FALSE);

  move = plan_move (self, node, folder, position, error);
  if (move == NULL)
    return FALSE;
  if (!run_move (&move->job, &local_error))
    {
      finish_move (self, move, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return finish_move (self, move, error);
}

void
sonde_collection_move_async (SondeCollection      *self,
                             SondeCollectionNode  *node,
                             SondeCollectionNode  *folder,
                             int                   position,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Move *move;
  GError *error = NULL;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (SONDE_IS_COLLECTION_NODE (node) && node->parent != NULL);
  g_return_if_fail (is_folder (folder));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_move_async);
  move = plan_move (self, node, folder, position, &error);
  if (move == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sonde_collection_start_job (self, task, move, (GDestroyNotify) move_free);
}

gboolean
sonde_collection_move_finish (SondeCollection  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  Move *move;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  move = g_task_get_task_data (G_TASK (result));
  if (sonde_collection_end_job (self, result, error) == NULL)
    {
      /* The steps done before the one that failed are in the tree too. */
      if (move != NULL)
        finish_move (self, move, NULL);
      return FALSE;
    }
  return finish_move (self, move, error);
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
  SondeCollectionJob   job;
  SondeCollectionNode *folder;     /* of the original, where the copy goes */
  int                  position;   /* right after the original */
  char                *name;
  GFile               *root_dir;
  GFile               *source;     /* a folder's directory; NULL for a request */
  GFile               *target;
  SondeRequestWrite   *write;      /* a request's file; NULL for a folder */
  gint64               order;
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

static gboolean write_duplication (SondeCollectionJob  *job,
                                   GError             **error);

static Duplication *
plan_duplication (SondeCollection      *self,
                  SondeCollectionNode  *node,
                  GError              **error)
{
  g_autoptr(Duplication) duplication = g_new0 (Duplication, 1);

  duplication->job.run = write_duplication;

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST && !sonde_collection_refuse_broken (node, error))
    return NULL;

  /* Translators: the name of a duplicated request or folder */
  duplication->name = g_strdup_printf (_("%s copy"), node->name);
  duplication->folder = g_object_ref (node->parent);
  duplication->position = index_in_parent (node) + 1;
  duplication->root_dir = g_object_ref (sonde_collection_get_dir (self));
  /* Its order right after the original's, written with the copy; only when there is no gap
   * left does finish_duplication ()'s move number the folder again. */
  {
    g_autoptr(GPtrArray) siblings = siblings_without (node->parent, NULL);

    if (!order_between (siblings, duplication->position, &duplication->order))
      duplication->order = sonde_collection_next_order (node->parent);
  }

  if (node->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      g_autoptr(SondeRequest) request = sonde_request_copy (node->request);
      g_autofree char *stem = sonde_collection_request_stem (duplication->name);

      sonde_request_set_name (request, duplication->name);
      sonde_request_set_order (request, duplication->order);
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
write_duplication (SondeCollectionJob  *job,
                   GError             **error)
{
  Duplication *duplication = (Duplication *) job;

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

  /* Its name and order in its settings file; the copy is in no tree yet. */
  if (duplication->copy->error == NULL)
    {
      SondeCollectionNode *copy = duplication->copy;

      if (copy->name_in_file || !g_str_equal (copy->name, duplication->name))
        {
          sonde_collection_node_set_name (copy, duplication->name);
          copy->name_in_file = TRUE;
        }
      sonde_collection_node_set_order (copy, duplication->order);
      if (!sonde_collection_write_settings (copy, error))
        {
          delete_recursively (duplication->target, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

static SondeCollectionNode *
finish_duplication (SondeCollection      *self,
                    Duplication          *duplication,
                    GError              **error)
{
  SondeCollectionNode *copy = duplication->copy;

  sonde_collection_insert_node (duplication->folder, copy);

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
  if (duplication == NULL || !write_duplication (&duplication->job, error))
    return NULL;
  return finish_duplication (self, duplication, error);
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
  sonde_collection_start_job (self, task, duplication, (GDestroyNotify) duplication_free);
}

SondeCollectionNode *
sonde_collection_duplicate_finish (SondeCollection  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  Duplication *duplication;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  duplication = sonde_collection_end_job (self, result, error);
  return duplication != NULL ? finish_duplication (self, duplication, error) : NULL;
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
  SondeCollectionJob   job;
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

static gboolean run_removal (SondeCollectionJob  *job,
                             GError             **error);

static Removal *
plan_removal (SondeCollectionNode *node,
              gboolean             to_trash)
{
  Removal *removal = g_new0 (Removal, 1);
  const char *sidecar = node->disk ? node->disk->sidecar : NULL;

  removal->job.run = run_removal;
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
run_removal (SondeCollectionJob  *job,
             GError             **error)
{
  Removal *removal = (Removal *) job;

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
  if (!run_removal (&removal->job, error))
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
  sonde_collection_start_job (self, task, plan_removal (node, to_trash), (GDestroyNotify) removal_free);
}

gboolean
sonde_collection_remove_finish (SondeCollection  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  Removal *removal;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  removal = sonde_collection_end_job (self, result, error);
  return removal != NULL && forget (self, removal->node, error);
}
