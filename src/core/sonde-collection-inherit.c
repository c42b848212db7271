/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-collection"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-collection-private.h"
#include "sonde-environment-private.h"
#include "sonde-error.h"
#include "sonde-request-json.h"
#include "sonde-variables.h"

/* What a request inherits from the collection and its folders, and the variables it is
 * expanded with: what the GUI and sonde-cli send. */

/* ------------------------------------------------------------------------------------------
 * Inheritance
 * ------------------------------------------------------------------------------------------ */

/* The folders from the root down to NODE's folder (NODE itself when it is a folder). */
static GPtrArray *
folder_chain (SondeCollectionNode *node)
{
  GPtrArray *chain = g_ptr_array_new ();
  SondeCollectionNode *folder = node->kind == SONDE_COLLECTION_NODE_FOLDER ? node : node->parent;

  for (; folder != NULL; folder = folder->parent)
    g_ptr_array_insert (chain, 0, folder);

  return chain;
}

static gboolean
has_row_named (GListModel *rows,
               const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);

      if (g_ascii_strcasecmp (sonde_key_value_get_name (row), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Adds LEVEL's headers to MERGED: its names replace every inherited row of that name. */
static void
merge_headers (GPtrArray  *merged,
               GListModel *level)
{
  for (guint i = merged->len; i > 0; i--)
    if (has_row_named (level, sonde_key_value_get_name (merged->pdata[i - 1])))
      g_ptr_array_remove_index (merged, i - 1);

  for (guint i = 0; i < g_list_model_get_n_items (level); i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (level, i);

      g_ptr_array_add (merged, sonde_key_value_copy (row));
    }
}

/* Every kind but INHERIT decides, NONE included: a request or folder can opt out of the
 * auth above it. (An auth type from a newer Sonde reads as NONE.) */
static gboolean
auth_is_set (SondeAuth *auth)
{
  return sonde_auth_get_kind (auth) != SONDE_AUTH_INHERIT;
}

static void
overlay_object (JsonObject *target,
                JsonObject *level)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, level);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (target, name, json_node_copy (member));
}

/* Options merge on their JSON form, which holds the keys a level sets (defaults included,
 * when explicit): a level overrides what it writes. A send merges once or twice, so only the
 * options are written and read back, not whole requests; and when at most one level sets
 * anything (a request in folders without options), that level is the result as it is. */
gboolean
sonde_request_options_merge_levels (SondeRequestOptions  *target,
                                    GPtrArray            *levels,
                                    GError              **error)
{
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(SondeRequestOptions) parsed = NULL;
  SondeRequestOptions *setting = NULL;
  guint n_setting = 0;

  for (guint i = 0; i < levels->len; i++)
    if (!sonde_request_options_sets_nothing (levels->pdata[i]))
      {
        setting = levels->pdata[i];
        n_setting++;
      }
  if (n_setting <= 1)
    {
      g_autoptr(SondeRequestOptions) defaults = NULL;

      /* Nothing set anywhere, and nothing in TARGET to clear: the usual request. */
      if (setting == NULL && sonde_request_options_sets_nothing (target))
        return TRUE;
      if (setting == NULL)
        defaults = sonde_request_options_new ();
      sonde_request_options_assign (target, setting != NULL ? setting : defaults);
      return TRUE;
    }

  merged = json_object_new ();
  for (guint i = 0; i < levels->len; i++)
    {
      g_autoptr(JsonObject) level = sonde_request_options_to_json (levels->pdata[i]);

      if (level != NULL)
        overlay_object (merged, level);
    }

  parsed = sonde_request_options_from_json (merged, error);
  if (parsed == NULL)
    return FALSE;

  sonde_request_options_assign (target, parsed);
  return TRUE;
}

SondeRequest *
sonde_collection_get_effective_request (SondeCollection      *self,
                                        SondeCollectionNode  *node,
                                        SondeRequest         *request,
                                        GError              **error)
{
  g_autoptr(SondeRequest) effective = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) options = g_ptr_array_new ();
  GListStore *own_headers;
  SondeRequestOptions *own_options;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), NULL);
  g_return_val_if_fail (request == NULL || SONDE_IS_REQUEST (request), NULL);

  if (request == NULL)
    request = node->request;
  if (request == NULL)
    {
      if (node->error != NULL)
        g_propagate_error (error, g_error_copy (node->error));
      else
        g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                             _("This is not a request"));
      return NULL;
    }

  effective = sonde_request_copy_snapshot (request);
  sonde_request_set_base_dir (effective, sonde_collection_get_dir (self));
  sonde_request_set_collection_dir (effective, sonde_collection_get_dir (self));
  chain = folder_chain (node);
  own_options = sonde_request_peek_options (request);

  /* Headers: outermost first, each level replacing the names it sets. The request's own
   * rows stay as they are when no folder has any. */
  for (guint i = 0; i < chain->len; i++)
    merge_headers (headers, G_LIST_MODEL (((SondeCollectionNode *)chain->pdata[i])->headers));
  if (headers->len > 0)
    {
      own_headers = sonde_request_get_headers (effective);
      merge_headers (headers, G_LIST_MODEL (own_headers));
      g_list_store_splice (own_headers, 0, g_list_model_get_n_items (G_LIST_MODEL (own_headers)),
                           headers->pdata, headers->len);
    }

  /* Auth: the nearest level that has one. */
  if (!auth_is_set (sonde_request_read_auth (effective)))
    for (guint i = chain->len; i > 0; i--)
      {
        SondeCollectionNode *folder = chain->pdata[i - 1];

        if (auth_is_set (folder->auth))
          {
            sonde_copy_properties (G_OBJECT (folder->auth), G_OBJECT (sonde_request_get_auth (effective)));
            break;
          }
      }

  /* Options: key by key, outermost first. The loaded request is only read: it may be
   * another thread's (a prepare in a worker). */
  for (guint i = 0; i < chain->len; i++)
    if (!sonde_request_options_sets_nothing (((SondeCollectionNode *)chain->pdata[i])->options))
      g_ptr_array_add (options, ((SondeCollectionNode *)chain->pdata[i])->options);
  if (own_options != NULL && !sonde_request_options_sets_nothing (own_options))
    g_ptr_array_add (options, own_options);
  if (options->len > 0 &&
      !sonde_request_options_merge_levels (sonde_request_get_options (effective), options, error))
    return NULL;

  return g_steal_pointer (&effective);
}

/* Variables are built from layers, lowest precedence first. A layer holds copies of its
 * rows, so that the secrets can be looked up in a worker thread. */
typedef struct
{
  GListStore *rows;
  char       *environment; /* the secrets' key: "" outside environments */
} VariableLayer;

static void
variable_layer_free (gpointer data)
{
  VariableLayer *layer = data;

  g_clear_object (&layer->rows);
  g_free (layer->environment);
  g_free (layer);
}

static void
add_layer (GPtrArray  *layers,
           GListModel *rows,
           const char *environment)
{
  VariableLayer *layer;

  /* An empty layer adds nothing (and looks up no secret). */
  if (g_list_model_get_n_items (rows) == 0)
    return;
  layer = g_new0 (VariableLayer, 1);
  layer->rows = sonde_key_value_list_copy (rows);
  layer->environment = g_strdup (environment ? environment : "");
  g_ptr_array_add (layers, layer);
}

static GPtrArray *
variable_layers (SondeCollection      *self,
                 SondeCollectionNode  *node,
                 SondeRequest         *request,
                 SondeEnvironment     *environment,
                 GError              **error)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (variable_layer_free);
  g_autoptr(GPtrArray) chain = folder_chain (node != NULL ? node : sonde_collection_get_root (self));
  JsonObject *extra;

  /* The collection's own variables are the defaults. */
  add_layer (layers, G_LIST_MODEL (sonde_collection_get_root (self)->variables), NULL);
  if (environment != NULL && sonde_environment_get_error (environment) != NULL)
    {
      g_propagate_error (error, g_error_copy (sonde_environment_get_error (environment)));
      return NULL;
    }
  if (environment != NULL)
    add_layer (layers, G_LIST_MODEL (sonde_environment_get_variables (environment)),
               sonde_environment_get_name (environment));
  for (guint i = 1; i < chain->len; i++)
    add_layer (layers, G_LIST_MODEL (((SondeCollectionNode *)chain->pdata[i])->variables), NULL);

  /* A request's own: "variables" in its file, kept among the unknown keys. */
  if (request == NULL && node != NULL)
    request = node->request;
  extra = request != NULL ? sonde_request_get_extra (request) : NULL;
  if (extra != NULL && json_object_has_member (extra, "variables"))
    {
      g_autoptr(GListStore) rows = sonde_key_value_list_new ();

      if (!sonde_variable_rows_read (extra, "variables", NULL, rows, error))
        return NULL;
      add_layer (layers, G_LIST_MODEL (rows), NULL);
    }

  return g_steal_pointer (&layers);
}

static GHashTable *
copy_overrides (GHashTable *overrides)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  sonde_variables_merge (copy, overrides);
  return copy;
}

/* Any thread: only the copies in LAYERS and the (thread-safe) store are used. The values
 * of the secret variables found go into SECRET_VALUES (may be NULL), even those a later
 * layer overrides: they are what reports and logs must never show. */
static GHashTable *
apply_layers (GPtrArray         *layers,
              SondeSecretStore  *secrets,
              const char        *collection_path,
              GHashTable        *overrides,
              GPtrArray         *secret_values,
              GError           **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < layers->len; i++)
    {
      VariableLayer *layer = layers->pdata[i];

      guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (layer->rows));

      if (!sonde_variables_table_add_rows (table, G_LIST_MODEL (layer->rows), secrets,
                                           collection_path, layer->environment, error))
        return NULL;

      for (guint j = 0; secret_values != NULL && j < n_rows; j++)
        {
          g_autoptr(SondeKeyValue) row = g_list_model_get_item (G_LIST_MODEL (layer->rows), j);
          const char *found;

          if (sonde_key_value_get_enabled (row) && sonde_variable_get_secret (row) &&
              (found = g_hash_table_lookup (table, sonde_key_value_get_name (row))) != NULL &&
              found[0] != '\0')
            g_ptr_array_add (secret_values, g_strdup (found));
        }
    }

  sonde_variables_merge (table, overrides);
  return g_steal_pointer (&table);
}

GHashTable *
sonde_collection_build_variables (SondeCollection      *self,
                                  SondeCollectionNode  *node,
                                  SondeRequest         *request,
                                  SondeEnvironment     *environment,
                                  SondeSecretStore     *secrets,
                                  GHashTable           *overrides,
                                  GError              **error)
{
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(GHashTable) overrides_copy = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (node == NULL || SONDE_IS_COLLECTION_NODE (node), NULL);
  g_return_val_if_fail (request == NULL || SONDE_IS_REQUEST (request), NULL);
  g_return_val_if_fail (environment == NULL || SONDE_IS_ENVIRONMENT (environment), NULL);
  g_return_val_if_fail (secrets == NULL || SONDE_IS_SECRET_STORE (secrets), NULL);

  layers = variable_layers (self, node, request, environment, error);
  if (layers == NULL)
    return NULL;

  overrides_copy = copy_overrides (overrides);
  return apply_layers (layers, secrets, sonde_collection_get_path (self), overrides_copy, NULL, error);
}

GHashTable *
sonde_collection_build_variables_preview (SondeCollection     *self,
                                          SondeCollectionNode *node,
                                          SondeRequest        *request,
                                          SondeEnvironment    *environment,
                                          GHashTable         **secret_names,
                                          GError             **error)
{
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GHashTable) secret = NULL;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (node == NULL || SONDE_IS_COLLECTION_NODE (node), NULL);
  g_return_val_if_fail (request == NULL || SONDE_IS_REQUEST (request), NULL);
  g_return_val_if_fail (environment == NULL || SONDE_IS_ENVIRONMENT (environment), NULL);
  g_return_val_if_fail (secret_names != NULL, NULL);

  *secret_names = NULL;
  layers = variable_layers (self, node, request, environment, error);
  if (layers == NULL)
    return NULL;

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  secret = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < layers->len; i++)
    {
      GListModel *rows = G_LIST_MODEL (((VariableLayer *)layers->pdata[i])->rows);
      guint n_items = g_list_model_get_n_items (rows);

      for (guint j = 0; j < n_items; j++)
        {
          g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, j);
          const char *name = sonde_key_value_get_name (row);

          if (!sonde_key_value_get_enabled (row) || name[0] == '\0')
            continue;
          if (sonde_variable_get_secret (row))
            {
              g_hash_table_replace (table, g_strdup (name), g_strdup (""));
              g_hash_table_add (secret, g_strdup (name));
            }
          else
            {
              g_hash_table_replace (table, g_strdup (name), g_strdup (sonde_key_value_get_value (row)));
              g_hash_table_remove (secret, name);
            }
        }
    }

  *secret_names = g_steal_pointer (&secret);
  return g_steal_pointer (&table);
}

/* EFFECTIVE (a snapshot only the caller holds) is expanded where it is. */
static SondeRequest *
expand_with_secrets (SondeRequest  *effective,
                     GHashTable    *variables,
                     GPtrArray     *secret_values,
                     GError       **error)
{
  g_autoptr(SondeRequest) expanded = g_object_ref (effective);
  g_autoptr(GPtrArray) all = NULL;
  const char * const *own;

  if (!sonde_request_expand_in_place (expanded, variables, error))
    return NULL;

  /* The auth fields' own values (sonde_request_expand ()) and the secret variables'. */
  all = g_ptr_array_new ();
  own = sonde_request_get_secret_values (expanded);
  for (guint i = 0; own != NULL && own[i] != NULL; i++)
    g_ptr_array_add (all, (gpointer) own[i]);
  for (guint i = 0; i < secret_values->len; i++)
    g_ptr_array_add (all, secret_values->pdata[i]);
  g_ptr_array_add (all, NULL);
  sonde_request_set_secret_values (expanded, (const char * const *) all->pdata);

  return g_steal_pointer (&expanded);
}

typedef struct
{
  GPtrArray        *layers;
  GHashTable       *overrides;
  SondeSecretStore *secrets;
  char             *collection_path;
  SondeRequest     *effective; /* touched on the main thread only */
  GPtrArray        *secret_values; /* filled by the thread */
} PrepareJob;

static void
prepare_job_free (gpointer data)
{
  PrepareJob *job = data;

  g_clear_pointer (&job->layers, g_ptr_array_unref);
  g_clear_pointer (&job->overrides, g_hash_table_unref);
  g_clear_object (&job->secrets);
  g_free (job->collection_path);
  g_clear_object (&job->effective);
  g_clear_pointer (&job->secret_values, g_ptr_array_unref);
  g_free (job);
}

static gboolean
layers_have_secrets (GPtrArray *layers)
{
  for (guint i = 0; i < layers->len; i++)
    {
      GListModel *rows = G_LIST_MODEL (((VariableLayer *)layers->pdata[i])->rows);
      guint n_items = g_list_model_get_n_items (rows);

      for (guint j = 0; j < n_items; j++)
        {
          g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, j);

          if (sonde_key_value_get_enabled (row) && sonde_variable_get_secret (row))
            return TRUE;
        }
    }
  return FALSE;
}

/* The variables of JOB: the keyring is looked up, which may block. */
static GHashTable *
prepare_job_variables (PrepareJob  *job,
                       GError     **error)
{
  return apply_layers (job->layers, job->secrets, job->collection_path, job->overrides,
                       job->secret_values, error);
}

/* JOB's effective request expanded with VARIABLES (taken), on the thread its objects live
 * on; *VARIABLES_OUT gets them when it is not NULL. */
static SondeRequest *
prepare_job_expand (PrepareJob  *job,
                    GHashTable  *variables,
                    GHashTable **variables_out,
                    GError     **error)
{
  g_autoptr(GHashTable) owned = variables;
  SondeRequest *expanded = expand_with_secrets (job->effective, owned, job->secret_values, error);

  if (expanded != NULL && variables_out != NULL)
    *variables_out = g_steal_pointer (&owned);
  return expanded;
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareJob *job = task_data;
  GError *error = NULL;
  GHashTable *variables;

  variables = prepare_job_variables (job, &error);
  if (variables == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, variables, (GDestroyNotify)g_hash_table_unref);
}

/* The main-thread part of preparing: the effective request and the variable layers. */
static PrepareJob *
prepare_job_new (SondeCollection      *self,
                 SondeCollectionNode  *node,
                 SondeRequest         *request,
                 SondeEnvironment     *environment,
                 SondeSecretStore     *secrets,
                 GHashTable           *overrides,
                 GError              **error)
{
  PrepareJob *job = g_new0 (PrepareJob, 1);

  job->effective = sonde_collection_get_effective_request (self, node, request, error);
  if (job->effective == NULL ||
      (job->layers = variable_layers (self, node, request, environment, error)) == NULL)
    {
      prepare_job_free (job);
      return NULL;
    }
  job->overrides = copy_overrides (overrides);
  job->secrets = secrets ? g_object_ref (secrets) : NULL;
  job->collection_path = g_strdup (sonde_collection_get_path (self));
  job->secret_values = g_ptr_array_new_with_free_func (g_free);
  return job;
}

/* Only the keyring can block: without a secret to look up, a worker thread per request
 * would cost more than the work (a run of many requests felt it). */
static gboolean
prepare_job_may_block (PrepareJob *job)
{
  return job->secrets != NULL && layers_have_secrets (job->layers);
}

void
sonde_collection_prepare_request_async (SondeCollection     *self,
                                        SondeCollectionNode *node,
                                        SondeRequest        *request,
                                        SondeEnvironment    *environment,
                                        SondeSecretStore    *secrets,
                                        GHashTable          *overrides,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  PrepareJob *job;

  g_return_if_fail (SONDE_IS_COLLECTION (self));
  g_return_if_fail (SONDE_IS_COLLECTION_NODE (node));
  g_return_if_fail (request == NULL || SONDE_IS_REQUEST (request));
  g_return_if_fail (environment == NULL || SONDE_IS_ENVIRONMENT (environment));
  g_return_if_fail (secrets == NULL || SONDE_IS_SECRET_STORE (secrets));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_collection_prepare_request_async);

  job = prepare_job_new (self, node, request, environment, secrets, overrides, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, job, prepare_job_free);

  if (prepare_job_may_block (job))
    g_task_run_in_thread (task, prepare_thread);
  else
    prepare_thread (task, self, job, cancellable);
}

/* Prepared on the caller's thread. Unless ALLOW_BLOCKING, NULL with no error set when a
 * secret has to be looked up in the keyring. */
static SondeRequest *
prepare_now (SondeCollection      *self,
             SondeCollectionNode  *node,
             SondeRequest         *request,
             SondeEnvironment     *environment,
             SondeSecretStore     *secrets,
             GHashTable           *overrides,
             gboolean              allow_blocking,
             GHashTable          **variables_out,
             GError              **error)
{
  SondeRequest *expanded = NULL;
  PrepareJob *job;

  g_return_val_if_fail (SONDE_IS_COLLECTION (self), NULL);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), NULL);
  g_return_val_if_fail (environment == NULL || SONDE_IS_ENVIRONMENT (environment), NULL);
  g_return_val_if_fail (secrets == NULL || SONDE_IS_SECRET_STORE (secrets), NULL);

  job = prepare_job_new (self, node, request, environment, secrets, overrides, error);
  if (job == NULL)
    return NULL;
  if (allow_blocking || !prepare_job_may_block (job))
    {
      GHashTable *variables = prepare_job_variables (job, error);

      if (variables != NULL)
        expanded = prepare_job_expand (job, variables, variables_out, error);
    }
  prepare_job_free (job);
  return expanded;
}

SondeRequest *
sonde_collection_prepare_request (SondeCollection      *self,
                                  SondeCollectionNode  *node,
                                  SondeRequest         *request,
                                  SondeEnvironment     *environment,
                                  SondeSecretStore     *secrets,
                                  GHashTable           *overrides,
                                  GError              **error)
{
  return prepare_now (self, node, request, environment, secrets, overrides, TRUE, NULL, error);
}

/* sonde_collection_prepare_request_async () without its round trip through the main loop,
 * when nothing can block: returns NULL, with no error set, when a secret has to be looked
 * up (the caller then goes the async way). A run of many requests takes this way. */
SondeRequest *
sonde_collection_try_prepare_request (SondeCollection      *self,
                                      SondeCollectionNode  *node,
                                      SondeEnvironment     *environment,
                                      SondeSecretStore     *secrets,
                                      GHashTable           *overrides,
                                      GHashTable          **variables_out,
                                      GError              **error)
{
  return prepare_now (self, node, NULL, environment, secrets, overrides, FALSE, variables_out, error);
}

/**
 * sonde_collection_prepare_request_finish:
 *
 * Returns: (transfer full) (nullable): the request to send, expanded
 */
SondeRequest *
sonde_collection_prepare_request_finish (SondeCollection  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return sonde_collection_prepare_request_finish_full (self, result, NULL, error);
}

SondeRequest *
sonde_collection_prepare_request_finish_full (SondeCollection  *self,
                                              GAsyncResult     *result,
                                              GHashTable      **variables_out,
                                              GError          **error)
{
  GHashTable *variables;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  variables = g_task_propagate_pointer (G_TASK (result), error);
  if (variables == NULL)
    return NULL;
  /* Expanded here, on the caller's thread, where the request's objects live. */
  return prepare_job_expand (g_task_get_task_data (G_TASK (result)), variables, variables_out, error);
}
