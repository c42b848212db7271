/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "sonde-environment.h"
#include "sonde-request.h"
#include "sonde-secret-store.h"

G_BEGIN_DECLS

/* Bringing foreign files in (docs/import-export.md). An importer reads a Postman, HAR, curl…
 * file into a SondeImport, an in-memory collection (folders with their settings, requests,
 * environments, secret values) plus a report of what it converted, kept as data and
 * dropped, and why. sonde_import_write () then creates a new collection folder from it, all
 * or nothing: an import never writes into an existing folder and leaves nothing behind when
 * it fails. */

typedef enum
{
  SONDE_IMPORT_FORMAT_AUTO,
  SONDE_IMPORT_FORMAT_CURL,
  SONDE_IMPORT_FORMAT_POSTMAN,
  SONDE_IMPORT_FORMAT_POSTMAN_ENVIRONMENT,
  SONDE_IMPORT_FORMAT_HAR,
  SONDE_IMPORT_FORMAT_INSOMNIA,
  SONDE_IMPORT_FORMAT_BRUNO,    /* a folder holding bruno.json (or that file) */
  SONDE_IMPORT_FORMAT_OPENAPI,  /* OpenAPI 3.0/3.1 or Swagger 2.0, JSON or YAML */
} SondeImportFormat;

typedef enum
{
  SONDE_IMPORT_NOTE_CONVERTED, /* turned into something Sonde runs, in another form */
  SONDE_IMPORT_NOTE_KEPT,      /* kept in the files as data, not run */
  SONDE_IMPORT_NOTE_DROPPED,   /* not in the new collection */
} SondeImportNoteKind;

typedef struct
{
  SondeImportNoteKind  kind;
  char                *where;   /* "Users/Create user", or NULL for the whole file */
  char                *message;
} SondeImportNote;

/* Foreign input read whole at most (a larger file is refused before it is read). */
#define SONDE_MAX_IMPORT_SIZE (64 * 1024 * 1024)

typedef struct _SondeImportFolder SondeImportFolder;

#define SONDE_TYPE_IMPORT (sonde_import_get_type ())
G_DECLARE_FINAL_TYPE (SondeImport, sonde_import, SONDE, IMPORT, GObject)

SondeImport       *sonde_import_new                (const char          *name);
const char        *sonde_import_get_name           (SondeImport         *self);
void               sonde_import_set_name           (SondeImport         *self,
                                                    const char          *name);
SondeImportFormat  sonde_import_get_format         (SondeImport         *self);
void               sonde_import_set_format         (SondeImport         *self,
                                                    SondeImportFormat    format);

/* The tree. Folders carry the settings requests below them inherit (as folder.json does). */
SondeImportFolder *sonde_import_get_root           (SondeImport         *self);
SondeImportFolder *sonde_import_add_folder         (SondeImport         *self,
                                                    SondeImportFolder   *parent,
                                                    const char          *name);
/* Takes a reference on REQUEST; requests and folders keep the order they are added in. */
void               sonde_import_add_request        (SondeImport         *self,
                                                    SondeImportFolder   *parent,
                                                    SondeRequest        *request);
const char        *sonde_import_folder_get_name      (SondeImportFolder *folder);
GListStore        *sonde_import_folder_get_headers   (SondeImportFolder *folder);
GListStore        *sonde_import_folder_get_variables (SondeImportFolder *folder);
SondeAuth         *sonde_import_folder_get_auth      (SondeImportFolder *folder);
SondeRequestOptions *sonde_import_folder_get_options (SondeImportFolder *folder);
/* Other keys of folder.json / sonde-collection.json ("checks", "description", "scripts"). */
JsonObject        *sonde_import_folder_get_extra     (SondeImportFolder *folder);
/* Items: SondeImportFolder* or SondeRequest* (tell them apart with SONDE_IS_REQUEST on a
 * GObject: folders are not GObjects, so use sonde_import_folder_get_child ()). */
guint              sonde_import_folder_get_n_children (SondeImportFolder *folder);
/* Returns the folder at INDEX, or NULL when it is a request (then *REQUEST is set). */
SondeImportFolder *sonde_import_folder_get_child     (SondeImportFolder  *folder,
                                                      guint               index,
                                                      SondeRequest      **request);

/* The request file's other keys ("checks", "captures", "scripts", "description"), created
 * when the request has none. */
JsonObject        *sonde_import_request_extra      (SondeRequest        *request);

/* What GraphQL clients send, as a JSON body: {"query": QUERY, "variables": VARIABLES (JSON
 * text; {} when NULL or not JSON)}. */
void               sonde_import_set_graphql_body   (SondeBody           *body,
                                                    const char          *query,
                                                    const char          *variables);
/* PATH (relative ones resolve against BASE_DIR, may be NULL) made absolute, with a note that
 * the request reads it from outside the new collection. */
char              *sonde_import_outside_file       (SondeImport         *self,
                                                    const char          *where,
                                                    GFile               *base_dir,
                                                    const char          *path);

/* Environments and secrets: a secret value goes to the secret store when the collection is
 * written, and its file keeps only the name. ENVIRONMENT NULL: a collection variable. */
SondeEnvironment  *sonde_import_add_environment    (SondeImport         *self,
                                                    const char          *name);
GListModel        *sonde_import_get_environments   (SondeImport         *self);
void               sonde_import_add_secret         (SondeImport         *self,
                                                    const char          *environment,
                                                    const char          *name,
                                                    const char          *value);

/* The report. WHERE may be NULL. */
void               sonde_import_note               (SondeImport         *self,
                                                    SondeImportNoteKind  kind,
                                                    const char          *where,
                                                    const char          *format,
                                                    ...) G_GNUC_PRINTF (4, 5);
/* SondeImportNote*, in the order they were noted. */
GPtrArray         *sonde_import_get_notes          (SondeImport         *self);
guint              sonde_import_get_n_requests     (SondeImport         *self);
guint              sonde_import_get_n_folders      (SondeImport         *self);
/* The report as text for people: a summary line, then the notes grouped by kind. */
char              *sonde_import_report_to_text     (SondeImport         *self);

/* Creates DIR (which must not exist; its parent must) holding the collection: files are
 * written in a hidden folder beside DIR, which is renamed to DIR at the end, so a failed or
 * cancelled import leaves nothing. Secret values go to SECRETS (may be NULL: then they are
 * dropped, with a note) under DIR's path. */
gboolean           sonde_import_write              (SondeImport         *self,
                                                    GFile               *dir,
                                                    SondeSecretStore    *secrets,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

/* Reading foreign files. */

/* What FILE holds, from its name and first bytes; SONDE_IMPORT_FORMAT_AUTO when unknown. */
SondeImportFormat  sonde_import_detect             (GFile               *file,
                                                    const char          *data,
                                                    gsize                length);
const char        *sonde_import_format_to_string   (SondeImportFormat    format);
gboolean           sonde_import_format_from_string (const char          *text,
                                                    SondeImportFormat   *format);
/* Reads FILE as FORMAT (AUTO: detected). Errors name the file and, for syntax errors, the
 * line and column. */
SondeImport       *sonde_import_file               (GFile               *file,
                                                    SondeImportFormat    format,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
void               sonde_import_file_async         (GFile               *file,
                                                    SondeImportFormat    format,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
SondeImport       *sonde_import_file_finish        (GAsyncResult        *result,
                                                    GError             **error);

/* The importers (sonde-import-*.c). DATA is NUL-terminated; BASE_DIR is where relative file
 * paths in it resolve (the input file's folder). */
SondeImport       *sonde_import_curl               (const char          *data,
                                                    GFile               *base_dir,
                                                    GError             **error);
SondeImport       *sonde_import_postman            (const char          *data,
                                                    gsize                length,
                                                    GFile               *base_dir,
                                                    GError             **error);
SondeImport       *sonde_import_har                (const char          *data,
                                                    gsize                length,
                                                    GError             **error);
SondeImport       *sonde_import_insomnia           (const char          *data,
                                                    gsize                length,
                                                    GError             **error);
SondeImport       *sonde_import_openapi            (const char          *data,
                                                    gsize                length,
                                                    GError             **error);
/* DIR holds bruno.json */
SondeImport       *sonde_import_bruno              (GFile               *dir,
                                                    GCancellable        *cancellable,
                                                    GError             **error);

void               sonde_import_note_free          (SondeImportNote     *note);

/* curl command lines (sonde-import-curl.c). */

/* TRUE when TEXT (leading blanks aside) starts with "curl ": what the URL field takes as a
 * command rather than a URL. */
gboolean           sonde_curl_is_command           (const char          *text);
/* The request COMMAND (one curl command line, continuations allowed) sends. NOTES receives
 * SondeImportNote* for what was converted differently or dropped (may be NULL). Errors:
 * SONDE_REQUEST_ERROR_PARSE naming what is wrong (an unclosed quote, no URL). */
SondeRequest      *sonde_curl_parse                (const char          *command,
                                                    GFile               *base_dir,
                                                    GPtrArray           *notes,
                                                    GError             **error);

G_END_DECLS
