/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sonde-collection.h"
#include "sonde-request.h"
#include "sonde-response.h"

G_BEGIN_DECLS

/* Checks say what a right response is; captures take values from a response into run
 * variables. Both are rows of a request file ("checks", "captures"), of folder.json and of
 * sonde-collection.json (checks there apply to every request below), kept with the file's
 * other keys so that load → save stays byte-identical. See docs/collection-format.md.
 *
 *   {"source": "status", "op": "==", "value": "201"}
 *   {"source": "header", "name": "Content-Type", "op": "contains", "value": "json"}
 *   {"source": "jsonpath", "path": "$.id", "op": "isNumber"}
 *   {"variable": "token", "source": "jsonpath", "path": "$.token", "secret": true}
 *
 * Sources: status, header NAME, cookie NAME, jsonpath PATH, body, bodySize, duration (ms),
 * url. Operators: == != < <= > >= (numbers when both sides are numbers, else text),
 * contains, startsWith, endsWith, matches (a GRegex), exists, notExists, isString,
 * isNumber, isBoolean, isArray, isObject, isNull, isEmpty, count (== on the number of
 * elements). Values may hold {{variables}}. */

typedef struct
{
  char     *source;
  char     *name;      /* header or cookie name */
  char     *path;      /* JSONPath */
  char     *op;
  char     *value;
  gboolean  enabled;
} SondeCheck;

typedef struct
{
  char     *variable;
  char     *source;
  char     *name;
  char     *path;
  gboolean  secret;
  gboolean  enabled;
} SondeCapture;

typedef struct
{
  char     *description; /* "status == 201", "$.id isNumber" */
  gboolean  passed;
  char     *actual;      /* what the response had, shortened; NULL when nothing */
  char     *message;     /* when failed: "got 500", "no value at $.id" */
} SondeCheckResult;

void              sonde_check_free           (SondeCheck       *check);
void              sonde_capture_free         (SondeCapture     *capture);
void              sonde_check_result_free    (SondeCheckResult *result);

/* The rows of KEY ("checks" or "captures") in OBJECT (a file's JSON object, or a request's
 * unknown keys; may be NULL) appended to ROWS. FALSE with SONDE_REQUEST_ERROR_INVALID_VALUE
 * naming the row when one is malformed (PARENT names the file in errors). */
gboolean          sonde_checks_read          (JsonObject       *object,
                                              const char       *parent,
                                              GPtrArray        *checks,
                                              GError          **error);
gboolean          sonde_captures_read        (JsonObject       *object,
                                              const char       *parent,
                                              GPtrArray        *captures,
                                              GError          **error);

/* The checks that apply to the request at NODE, outermost first (sonde-collection.json, each
 * folder.json down, the request file), and the request's captures. CHECKS and CAPTURES
 * take SondeCheck* / SondeCapture* (may be NULL). FALSE with the error of a malformed row. */
gboolean          sonde_checks_for_node      (SondeCollectionNode *node,
                                              GPtrArray           *checks,
                                              GPtrArray           *captures,
                                              GError             **error);
/* The same, the folders' checks read once into FOLDERS (from sonde_checks_folders_new ()):
 * a run asks for the same folders' checks for each of its requests. A folder whose settings
 * change is read again. */
GHashTable       *sonde_checks_folders_new   (void);
gboolean          sonde_checks_for_node_with (SondeCollectionNode *node,
                                              GHashTable          *folders,
                                              GPtrArray           *checks,
                                              GPtrArray           *captures,
                                              GError             **error);

/* Evaluates CHECK against RESPONSE, its value expanded with VARIABLES (may be NULL). */
SondeCheckResult *sonde_check_evaluate       (SondeCheck       *check,
                                              SondeResponse    *response,
                                              GHashTable       *variables);
/* The value CAPTURE takes from RESPONSE, or NULL with ERROR saying why ("no value at $.id"). */
char             *sonde_capture_evaluate     (SondeCapture     *capture,
                                              SondeResponse    *response,
                                              GError          **error);

/* The sources and operators rows may name, NULL-terminated (for editors). */
const char * const *sonde_check_sources   (void);
const char * const *sonde_check_operators (void);

/* Runs CAPTURES (SondeCapture*) on RESPONSE: each value found goes into VARIABLES (name →
 * value, owned strings), a secret one's value also into SECRET_VALUES (char*, may be NULL);
 * a capture that finds nothing is a failed SondeCheckResult ("capture NAME") appended to
 * FAILURES. Disabled rows are skipped. */
void              sonde_captures_apply       (GPtrArray        *captures,
                                              SondeResponse    *response,
                                              GHashTable       *variables,
                                              GPtrArray        *secret_values,
                                              GPtrArray        *failures);

/* Evaluates the enabled CHECKS (SondeCheck*) against RESPONSE, values expanded with VARIABLES
 * (may be NULL), then, when CAPTURED is not NULL, runs CAPTURES (may be NULL) as
 * sonde_captures_apply () does (a secret capture's value into SECRET_VALUES, may be NULL).
 * Every SondeCheckResult goes to RESULTS, its texts masked with SECRETS (may be NULL) and the
 * secret values captured meanwhile. Returns how many failed. */
guint             sonde_checks_run           (GPtrArray          *checks,
                                              GPtrArray          *captures,
                                              SondeResponse      *response,
                                              GHashTable         *variables,
                                              GHashTable         *captured,
                                              GPtrArray          *secret_values,
                                              const char * const *secrets,
                                              GPtrArray          *results);
/* A check result's texts with SECRETS masked as "****" */
void              sonde_check_result_mask    (SondeCheckResult   *result,
                                              const char * const *secrets);

/* Bodies read whole for JSONPath (and body checks) at most: json-glib takes about ten times a
 * body's size in memory. A larger body is a failed check that says so. */
#define SONDE_CHECK_MAX_JSON_BODY (16 * 1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeCheckResult, sonde_check_result_free)

G_END_DECLS
