/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-runner"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-runner.h"
#include "sonde-websocket.h"
#include "sonde-variables.h"
#include "sonde-secret-heuristics.h"
#include "sonde-collection-private.h"

struct _SondeRunner
{
  GObject              parent_instance;

  /* Owned */
  SondeCollection     *collection;
  SondeCollectionNode *node;
  SondeClient         *client;
  SondeEnvironment    *environment;
  SondeSecretStore    *secrets;
  GHashTable          *variables;   /* --var, then what captures set: the run's variables */
  GPtrArray           *data_rows;
  guint                iterations;
  guint                delay;
  gboolean             bail;
  gboolean             keep_responses;

  /* The run */
  GTask               *task;
  GPtrArray           *requests;    /* SondeCollectionNode* */
  GPtrArray           *results;     /* SondeRunResult* */
  GPtrArray           *run_secrets; /* values of secret captures */
  GHashTable          *folder_checks; /* sonde_checks_folders_new (): read once a run */
  guint                n_passes;
  guint                pass;
  guint                index;
  gboolean             bailed;
  guint                delay_id;
  GCancellable        *cancellable;
  gulong               cancelled_id;
  gint64               started;
  SondeRunResult      *current;
  GHashTable          *current_variables; /* for the current request's check values */
};

G_DEFINE_FINAL_TYPE (SondeRunner, sonde_runner, G_TYPE_OBJECT)

enum {
  REQUEST_FINISHED,
  REQUEST_SKIPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void step (SondeRunner *self);

void
sonde_run_result_free (SondeRunResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->node);
  g_free (result->name);
  g_free (result->folder);
  g_free (result->reason);
  g_clear_error (&result->error);
  g_clear_pointer (&result->checks, g_ptr_array_unref);
  g_clear_object (&result->response);
  g_free (result);
}

static gboolean
marked_skip (SondeCollectionNode *node)
{
  SondeRequest *request = sonde_collection_node_get_request (node);
  JsonObject *extra = request != NULL ? sonde_request_get_extra (request) : NULL;
  JsonNode *member = extra != NULL ? json_object_get_member (extra, "skip") : NULL;

  /* A WebSocket request has no one response to check: opened by itself, not run. */
  if (request != NULL && sonde_request_is_websocket (request))
    return TRUE;
  return member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
         json_node_get_value_type (member) == G_TYPE_BOOLEAN && json_node_get_boolean (member);
}

/* The secrets of the request being sent: its own and the secret captures so far. */
static GStrv
current_secrets (SondeRunner  *self,
                 SondeRequest *prepared)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  const char * const *own = prepared != NULL ? sonde_request_get_secret_values (prepared) : NULL;

  /* Most requests of a run have none: nothing to build (every masking takes NULL). */
  if ((own == NULL || own[0] == NULL) && self->run_secrets->len == 0)
    return NULL;
  builder = g_strv_builder_new ();
  if (own != NULL)
    g_strv_builder_addv (builder, (const char **) own);
  for (guint i = 0; i < self->run_secrets->len; i++)
    g_strv_builder_add (builder, self->run_secrets->pdata[i]);
  return g_strv_builder_end (builder);
}

static void
add_check (SondeRunResult     *result,
           SondeCheckResult   *check,
           const char * const *secrets)
{
  sonde_check_result_mask (check, secrets);
  if (!check->passed)
    result->failed_checks++;
  g_ptr_array_add (result->checks, check);
}

/* The request's checks (its own and its folders'), then its captures into the run's
 * variables, for the requests after it. */
static void
check_response (SondeRunner        *self,
                SondeRunResult     *result,
                const char * const *secrets)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);
  g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_capture_free);
  g_autoptr(GError) error = NULL;

  if (!sonde_checks_for_node_with (result->node, self->folder_checks, checks, captures, &error))
    {
      SondeCheckResult *bad = g_new0 (SondeCheckResult, 1);

      bad->description = g_strdup (_("checks"));
      bad->message = g_strdup (error->message);
      add_check (result, bad, secrets);
      return;
    }

  result->failed_checks += sonde_checks_run (checks, captures, result->response, self->current_variables,
                                             self->variables, self->run_secrets, secrets, result->checks);
}

static void
finish_request (SondeRunner *self)
{
  SondeRunResult *result = g_steal_pointer (&self->current);

  /* A run of thousands keeps its summaries, not every body. */
  if (!self->keep_responses)
    g_clear_object (&result->response);

  g_clear_pointer (&self->current_variables, g_hash_table_unref);
  g_ptr_array_add (self->results, result);
  g_signal_emit (self, signals[REQUEST_FINISHED], 0, result);
  if (self->bail && (result->status == 0 || result->failed_checks > 0))
    self->bailed = TRUE;
  self->index++;
  step (self);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SondeRunner) self = user_data;
  g_autoptr(SondeRequest) prepared = g_object_steal_data (G_OBJECT (self), "sonde-prepared");
  g_auto(GStrv) secrets = current_secrets (self, prepared);
  SondeRunResult *run_result = self->current;
  g_autoptr(GError) error = NULL;

  run_result->response = sonde_client_send_finish (SONDE_CLIENT (object), result, &error);
  run_result->duration = g_get_monotonic_time () - self->started;

  /* An error message may quote the URL, a reason phrase is whatever the server echoed. */
  if (run_result->response != NULL)
    {
      SondeBodyStore *body = sonde_response_get_body (run_result->response);

      run_result->status = sonde_response_get_status (run_result->response);
      run_result->reason = sonde_secrets_mask (sonde_response_get_reason (run_result->response),
                                               (const char * const *) secrets);
      run_result->size = body != NULL ? sonde_body_store_get_size (body) : 0;
      check_response (self, run_result, (const char * const *) secrets);
    }
  else
    {
      g_autofree char *masked = sonde_secrets_mask (error->message, (const char * const *) secrets);

      run_result->error = g_error_new_literal (error->domain, error->code, masked);
    }

  finish_request (self);
}

/* PREPARED goes out, or ERROR (why it could not be prepared) is the request's result. */
static void
send_prepared (SondeRunner  *self,
               SondeRequest *prepared,
               GError       *error)
{
  g_auto(GStrv) secrets = NULL;

  if (prepared == NULL)
    {
      self->current->error = error;
      finish_request (self);
      return;
    }

  /* Values captured as secrets are secrets of every request after. */
  secrets = current_secrets (self, prepared);
  sonde_request_set_secret_values (prepared, (const char * const *) secrets);

  self->started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (self), "sonde-prepared", g_object_ref (prepared), g_object_unref);
  sonde_client_send_async (self->client, prepared, NULL, NULL, NULL, NULL,
                           g_task_get_cancellable (self->task), sent_cb, g_object_ref (self));
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SondeRunner) self = user_data;
  g_autoptr(SondeRequest) prepared = NULL;
  GError *error = NULL;

  prepared = sonde_collection_prepare_request_finish_full (SONDE_COLLECTION (object), result,
                                                           &self->current_variables, &error);
  send_prepared (self, prepared, error);
}

static gboolean
prepare_failed_cb (gpointer user_data)
{
  SondeRunner *self = user_data;

  finish_request (self);
  return G_SOURCE_REMOVE;
}

static void
send_current (SondeRunner *self)
{
  SondeCollectionNode *node = self->requests->pdata[self->index];
  SondeRunResult *result = g_new0 (SondeRunResult, 1);
  g_autoptr(SondeRequest) prepared = NULL;
  g_autoptr(GError) error = NULL;

  result->node = g_object_ref (node);
  result->iteration = self->pass + 1;
  result->name = sonde_collection_node_dup_display_path (node);
  if (self->n_passes > 1)
    {
      char *numbered = g_strdup_printf ("[%u] %s", result->iteration, result->name);

      g_free (result->name);
      result->name = numbered;
    }
  result->folder = sonde_collection_node_dup_display_path (sonde_collection_node_get_parent (node));
  result->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_result_free);
  self->current = result;

  /* At once unless a secret has to be looked up in the keyring, which may block. */
  prepared = sonde_collection_try_prepare_request (self->collection, node, self->environment, self->secrets,
                                                   self->variables, &self->current_variables, &error);
  if (prepared != NULL)
    send_prepared (self, prepared, NULL);
  else if (error != NULL)
    {
      /* From the main loop: a run of thousands that all fail must not recurse. */
      result->error = g_steal_pointer (&error);
      g_idle_add_full (G_PRIORITY_DEFAULT, prepare_failed_cb, g_object_ref (self), g_object_unref);
    }
  else
    sonde_collection_prepare_request_async (self->collection, node, NULL, self->environment, self->secrets,
                                            self->variables, g_task_get_cancellable (self->task),
                                            prepared_cb, g_object_ref (self));
}

static gboolean
delay_done_cb (gpointer user_data)
{
  SondeRunner *self = user_data;

  self->delay_id = 0;
  send_current (self);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_waiting_cb (gpointer user_data)
{
  SondeRunner *self = user_data;

  if (self->delay_id != 0)
    {
      g_clear_handle_id (&self->delay_id, g_source_remove);
      step (self);
    }
  return G_SOURCE_REMOVE;
}

/* Any thread. A wait between requests ends at once (from the main context, not from
 * inside "cancelled"); a request in flight ends with its own error. */
static void
cancelled_cb (GCancellable *cancellable,
              SondeRunner  *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, stop_waiting_cb, g_object_ref (self), g_object_unref);
}

static void
end_run (SondeRunner *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_disconnect (self->cancellable, self->cancelled_id);
      self->cancelled_id = 0;
      g_clear_object (&self->cancellable);
    }
}

/* The next request of the run, or the end of it. */
static void
step (SondeRunner *self)
{
  GTask *task = self->task;

  while (TRUE)
    {
      if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          end_run (self);
          self->task = NULL;
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The run was stopped"));
          g_object_unref (task);
          return;
        }
      if (self->index >= self->requests->len)
        {
          self->index = 0;
          self->pass++;
        }
      if (self->bailed || self->pass >= self->n_passes || self->requests->len == 0)
        {
          end_run (self);
          self->task = NULL;
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          return;
        }

      /* A data row's values, at the start of its pass. */
      if (self->index == 0 && self->data_rows != NULL && self->data_rows->len > 0)
        sonde_variables_merge (self->variables, self->data_rows->pdata[self->pass % self->data_rows->len]);

      if (!marked_skip (self->requests->pdata[self->index]))
        break;
      g_signal_emit (self, signals[REQUEST_SKIPPED], 0, self->requests->pdata[self->index]);
      self->index++;
    }

  if (self->delay > 0 && self->results->len > 0)
    self->delay_id = g_timeout_add (self->delay, delay_done_cb, self);
  else
    send_current (self);
}

static void
sonde_runner_finalize (GObject *object)
{
  SondeRunner *self = SONDE_RUNNER (object);

  g_clear_handle_id (&self->delay_id, g_source_remove);
  end_run (self);
  g_clear_object (&self->collection);
  g_clear_object (&self->node);
  g_clear_object (&self->client);
  g_clear_object (&self->environment);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->variables, g_hash_table_unref);
  g_clear_pointer (&self->data_rows, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->run_secrets, g_ptr_array_unref);
  g_clear_pointer (&self->folder_checks, g_hash_table_unref);
  g_clear_pointer (&self->current, sonde_run_result_free);
  g_clear_pointer (&self->current_variables, g_hash_table_unref);

  G_OBJECT_CLASS (sonde_runner_parent_class)->finalize (object);
}

static void
sonde_runner_class_init (SondeRunnerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_runner_finalize;

  signals[REQUEST_FINISHED] =
    g_signal_new ("request-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[REQUEST_SKIPPED] =
    g_signal_new ("request-skipped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SONDE_TYPE_COLLECTION_NODE);
}

static void
sonde_runner_init (SondeRunner *self)
{
  self->variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_run_result_free);
  self->run_secrets = g_ptr_array_new_with_free_func (g_free);
  self->folder_checks = sonde_checks_folders_new ();
  self->iterations = 1;
}

SondeRunner *
sonde_runner_new (SondeCollection     *collection,
                  SondeCollectionNode *node,
                  SondeClient         *client)
{
  SondeRunner *self;

  g_return_val_if_fail (SONDE_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (node), NULL);
  g_return_val_if_fail (SONDE_IS_CLIENT (client), NULL);

  self = g_object_new (SONDE_TYPE_RUNNER, NULL);
  self->collection = g_object_ref (collection);
  self->node = g_object_ref (node);
  self->client = g_object_ref (client);
  return self;
}

void
sonde_runner_set_environment (SondeRunner      *self,
                              SondeEnvironment *environment)
{
  g_return_if_fail (SONDE_IS_RUNNER (self));
  g_set_object (&self->environment, environment);
}

void
sonde_runner_set_secret_store (SondeRunner      *self,
                               SondeSecretStore *secrets)
{
  g_return_if_fail (SONDE_IS_RUNNER (self));
  g_set_object (&self->secrets, secrets);
}

void
sonde_runner_set_variables (SondeRunner *self,
                            GHashTable  *variables)
{
  g_return_if_fail (SONDE_IS_RUNNER (self));

  g_hash_table_remove_all (self->variables);
  sonde_variables_merge (self->variables, variables);
}

void
sonde_runner_set_data_rows (SondeRunner *self,
                            GPtrArray   *rows)
{
  g_return_if_fail (SONDE_IS_RUNNER (self));

  if (rows != NULL)
    g_ptr_array_ref (rows);
  g_clear_pointer (&self->data_rows, g_ptr_array_unref);
  self->data_rows = rows;
}

void
sonde_runner_set_iterations (SondeRunner *self,
                             guint        iterations)
{
  g_return_if_fail (SONDE_IS_RUNNER (self));
  self->iterations = MAX (iterations, 1);
}

void
sonde_runner_set_delay (SondeRunner *self,
                        guint        milliseconds)
{
  g_return_if_fail (SONDE_IS_RUNNER (self));
  self->delay = milliseconds;
}

void
sonde_runner_set_keep_responses (SondeRunner *self,
                                 gboolean     keep)
{
  g_return_if_fail (SONDE_IS_RUNNER (self));
  self->keep_responses = !!keep;
}

void
sonde_runner_set_bail (SondeRunner *self,
                       gboolean     bail)
{
  g_return_if_fail (SONDE_IS_RUNNER (self));
  self->bail = !!bail;
}

void
sonde_runner_run_async (SondeRunner         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GCancellable) own = NULL;

  g_return_if_fail (SONDE_IS_RUNNER (self));
  g_return_if_fail (self->task == NULL);

  if (cancellable == NULL)
    cancellable = own = g_cancellable_new ();
  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, sonde_runner_run_async);
  self->cancellable = g_object_ref (cancellable);
  self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

  g_clear_pointer (&self->requests, g_ptr_array_unref);
  self->requests = sonde_collection_list_requests (self->collection, self->node);
  g_ptr_array_set_size (self->results, 0);
  self->n_passes = self->iterations * (self->data_rows != NULL ? MAX (self->data_rows->len, 1) : 1);
  self->pass = 0;
  self->index = 0;
  self->bailed = FALSE;
  step (self);
}

gboolean
sonde_runner_run_finish (SondeRunner   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GPtrArray *
sonde_runner_get_results (SondeRunner *self)
{
  g_return_val_if_fail (SONDE_IS_RUNNER (self), NULL);
  return self->results;
}

guint
sonde_runner_get_n_passes (SondeRunner *self)
{
  g_return_val_if_fail (SONDE_IS_RUNNER (self), 0);
  return self->n_passes;
}

gboolean
sonde_runner_get_passed (SondeRunner *self)
{
  g_return_val_if_fail (SONDE_IS_RUNNER (self), FALSE);

  for (guint i = 0; i < self->results->len; i++)
    {
      SondeRunResult *result = self->results->pdata[i];

      if (result->status == 0 || result->failed_checks > 0)
        return FALSE;
    }
  return TRUE;
}
