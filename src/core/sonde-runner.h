/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sonde-check.h"
#include "sonde-client.h"
#include "sonde-collection.h"
#include "sonde-environment.h"
#include "sonde-secret-store.h"

G_BEGIN_DECLS

/* One request of a run, as it went. Everything in it is masked (secret variables, auth
 * credentials, secret captures): it is what reports and views show. */
typedef struct
{
  SondeCollectionNode *node;
  char                *name;      /* display path: "Users / Create user", "[2] …" when iterating */
  char                *folder;    /* display path of its folder, "" at the top */
  guint                iteration; /* 1-based */
  guint                status;    /* 0: no response */
  char                *reason;
  guint64              size;
  gint64               duration;  /* µs */
  GError              *error;     /* when no response */
  GPtrArray           *checks;    /* SondeCheckResult*; failed captures included */
  guint                failed_checks;
  SondeResponse       *response;  /* NULL when none */
} SondeRunResult;

void sonde_run_result_free (SondeRunResult *result);

/* Runs the requests of a collection folder (or one request) in order, once per pass (the
 * iterations, times the rows of a data file), with the collection's inheritance, an
 * environment and its secrets, checks and captures: captured values are run variables for
 * the requests after, above every other variable. Used by `sonde-cli run` and the window.
 *
 * Signals: "request-finished" (SondeRunResult *result, borrowed) after each request,
 * "request-skipped" (SondeCollectionNode *node) for a request file with "skip": true, and for a
 * WebSocket request (sonde_request_is_websocket ()). */
#define SONDE_TYPE_RUNNER (sonde_runner_get_type ())
G_DECLARE_FINAL_TYPE (SondeRunner, sonde_runner, SONDE, RUNNER, GObject)

SondeRunner *sonde_runner_new              (SondeCollection     *collection,
                                            SondeCollectionNode *node,
                                            SondeClient         *client);
void         sonde_runner_set_environment  (SondeRunner         *self,
                                            SondeEnvironment    *environment);
void         sonde_runner_set_secret_store (SondeRunner         *self,
                                            SondeSecretStore    *secrets);
/* Variables given for the run (--var): copied. */
void         sonde_runner_set_variables    (SondeRunner         *self,
                                            GHashTable          *variables);
/* Rows of a data file (sonde_data_file_load ()): a pass per row. */
void         sonde_runner_set_data_rows    (SondeRunner         *self,
                                            GPtrArray           *rows);
void         sonde_runner_set_iterations   (SondeRunner         *self,
                                            guint                iterations);
void         sonde_runner_set_delay        (SondeRunner         *self,
                                            guint                milliseconds);
void         sonde_runner_set_bail         (SondeRunner         *self,
                                            gboolean             bail);
/* Keep each response in its result (the window opens them); off by default. */
void         sonde_runner_set_keep_responses (SondeRunner       *self,
                                              gboolean           keep);

void         sonde_runner_run_async        (SondeRunner         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* FALSE with G_IO_ERROR_CANCELLED when cancelled; the results so far stay. */
gboolean     sonde_runner_run_finish       (SondeRunner         *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* SondeRunResult*, in the order they ran. */
GPtrArray   *sonde_runner_get_results      (SondeRunner         *self);
guint        sonde_runner_get_n_passes     (SondeRunner         *self);
gboolean     sonde_runner_get_passed       (SondeRunner         *self); /* every request answered, every check passed */

G_END_DECLS
