/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sonde-auth.h"
#include "sonde-body.h"
#include "sonde-key-value.h"
#include "sonde-request-options.h"

G_BEGIN_DECLS

/* A request as the user edits it: nothing expanded, nothing validated.
 *
 * Properties: "name", "method" (any token; default "GET"), "url", "order" (gint64, 0 = unset),
 * "params", "headers", "cookies" (GListStore<SondeKeyValue>), "body", "auth",
 * "options" (owned sub-objects; each made when first asked for, never NULL from a getter), "file" (GFile the request was loaded from or saved
 * to, or NULL), "base-dir" (GFile that relative file paths resolve against: the collection root,
 * or the request file's folder; NULL = current directory).
 *
 * Signal "changed": emitted (after the property's notify) whenever anything in the request,
 * including its rows, body parts, auth and options, changes. The editor uses it for the
 * unsaved-changes mark. */
#define SONDE_TYPE_REQUEST (sonde_request_get_type ())
G_DECLARE_FINAL_TYPE (SondeRequest, sonde_request, SONDE, REQUEST, GObject)

SondeRequest        *sonde_request_new           (void);
SondeRequest        *sonde_request_copy          (SondeRequest *self); /* deep copy */
/* FALSE in a process without an editor, before any request is made: "changed" is then not
 * emitted for rows, body, auth and options (see sonde-request.c). */
void                 sonde_request_set_watch_parts (gboolean watch);
/* The parts of a request sonde_request_assign_parts () copies. */
typedef enum
{
  SONDE_REQUEST_PART_METHOD_URL = 1 << 0,
  SONDE_REQUEST_PART_PARAMS     = 1 << 1,
  SONDE_REQUEST_PART_HEADERS    = 1 << 2,
  SONDE_REQUEST_PART_COOKIES    = 1 << 3,
  SONDE_REQUEST_PART_BODY       = 1 << 4,
  SONDE_REQUEST_PART_AUTH       = 1 << 5,
  SONDE_REQUEST_PART_OPTIONS    = 1 << 6,
  SONDE_REQUEST_PART_EXTRA      = 1 << 7, /* the other keys of its file */
  SONDE_REQUEST_PART_ALL        = 0xff,
} SondeRequestParts;

/* Makes SELF send what FROM sends, in place: method, URL, rows, body, auth, options and other
 * keys (not the name, file, base-dir or order), so that editors bound to its rows and parts
 * follow. Emits "changed". */
void                 sonde_request_assign        (SondeRequest *self,
                                                  SondeRequest *from);
/* The same for PARTS only. */
void                 sonde_request_assign_parts  (SondeRequest     *self,
                                                  SondeRequest     *from,
                                                  SondeRequestParts parts);
const char          *sonde_request_get_name      (SondeRequest *self);
void                 sonde_request_set_name      (SondeRequest *self, const char *name);
const char          *sonde_request_get_method    (SondeRequest *self);
void                 sonde_request_set_method    (SondeRequest *self, const char *method);
const char          *sonde_request_get_url       (SondeRequest *self);
void                 sonde_request_set_url       (SondeRequest *self, const char *url);
gint64               sonde_request_get_order     (SondeRequest *self);
void                 sonde_request_set_order     (SondeRequest *self, gint64 order);
GListStore          *sonde_request_get_params    (SondeRequest *self);
GListStore          *sonde_request_get_headers   (SondeRequest *self);
GListStore          *sonde_request_get_cookies   (SondeRequest *self);
SondeBody           *sonde_request_get_body      (SondeRequest *self);
SondeAuth           *sonde_request_get_auth      (SondeRequest *self);
SondeRequestOptions *sonde_request_get_options   (SondeRequest *self);
/* The parts as they are, without making them: NULL for one never made, which reads as the
 * default. For code that reads a request it does not own (see sonde-request.c). */
GListModel          *sonde_request_peek_params   (SondeRequest *self);
GListModel          *sonde_request_peek_headers  (SondeRequest *self);
GListModel          *sonde_request_peek_cookies  (SondeRequest *self);
SondeBody           *sonde_request_peek_body     (SondeRequest *self);
SondeAuth           *sonde_request_peek_auth     (SondeRequest *self);
SondeRequestOptions *sonde_request_peek_options  (SondeRequest *self);
/* The part, or a shared default one for a request without: to read, never to change. */
SondeBody           *sonde_request_read_body     (SondeRequest *self);
SondeAuth           *sonde_request_read_auth     (SondeRequest *self);
SondeRequestOptions *sonde_request_read_options  (SondeRequest *self);
SondeAuthKind        sonde_request_get_auth_kind (SondeRequest *self);
SondeBodyKind        sonde_request_get_body_kind (SondeRequest *self);
guint                sonde_rows_count            (GListModel   *rows);
GFile               *sonde_request_get_file      (SondeRequest *self);
void                 sonde_request_set_file      (SondeRequest *self, GFile *file);
GFile               *sonde_request_get_base_dir  (SondeRequest *self);
void                 sonde_request_set_base_dir  (SondeRequest *self, GFile *base_dir);
JsonObject          *sonde_request_get_extra     (SondeRequest *self);
void                 sonde_request_set_extra     (SondeRequest *self, JsonObject *extra);

/* The request's own variables ("variables" in its file, among the extra keys): the plain
 * value of NAME (NULL when absent, disabled or secret); setting one adds or changes its row
 * (a secret row is left alone), VALUE NULL removes a plain row. */
const char          *sonde_request_get_variable  (SondeRequest *self, const char *name);
void                 sonde_request_set_variable  (SondeRequest *self, const char *name, const char *value);

/* The values of the secret variables the request was expanded with (set by whoever expands
 * it; kept by sonde_request_copy ()): masked as "****" in every report, log and history
 * entry, and the header rows holding one are not sent to another origin. */
const char * const  *sonde_request_get_secret_values (SondeRequest       *self);
void                 sonde_request_set_secret_values (SondeRequest       *self,
                                                      const char * const *values);

/* The collection folder the request belongs to, or NULL for a lone request file: the files
 * it may read are inside it (sonde-file-access.h). Kept by sonde_request_copy (). */
GFile               *sonde_request_get_collection_dir (SondeRequest *self);
void                 sonde_request_set_collection_dir (SondeRequest *self,
                                                       GFile        *collection_dir);

/* Resolves a path written in the request (absolute, or relative to "base-dir"). */
GFile               *sonde_request_resolve_path  (SondeRequest *self, const char *path);
/* The same as an absolute path; NULL for a NULL or empty PATH. */
char                *sonde_request_dup_absolute_path (SondeRequest *self, const char *path);

/* Validation used by the editor and by the client before anything is sent.
 * Errors are SONDE_REQUEST_ERROR_INVALID_* with a sentence naming the field. */
gboolean             sonde_validate_method       (const char   *method,      GError **error);
gboolean             sonde_validate_header_name  (const char   *name,        GError **error);
gboolean             sonde_validate_header_value (const char   *name,
                                                  const char   *value,       GError **error);
gboolean             sonde_validate_cookie       (const char   *name,
                                                  const char   *value,       GError **error);
char                *sonde_describe_forbidden_char (const char *value);

G_END_DECLS
