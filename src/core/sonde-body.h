/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  SONDE_BODY_NONE,
  SONDE_BODY_TEXT,      /* text with a content type */
  SONDE_BODY_JSON,      /* text, application/json unless content-type says otherwise */
  SONDE_BODY_XML,       /* text, application/xml unless content-type says otherwise */
  SONDE_BODY_FORM,      /* application/x-www-form-urlencoded from "fields" rows */
  SONDE_BODY_MULTIPART, /* multipart/form-data from "parts" */
  SONDE_BODY_FILE,      /* binary body streamed from "file" */
  SONDE_BODY_GRAPHQL,   /* {"query", "variables", "operationName"} as JSON; the query in "text" */
} SondeBodyKind;

#define SONDE_TYPE_BODY_KIND (sonde_body_kind_get_type ())
GType sonde_body_kind_get_type (void);

/* One part of a multipart body: a text field (file == NULL) or a file.
 * Properties: "name", "value", "file" (path, may be collection-relative, may hold {{vars}}),
 * "filename" (overrides the file's basename), "content-type" (guessed when NULL), "enabled". */
#define SONDE_TYPE_BODY_PART (sonde_body_part_get_type ())
G_DECLARE_FINAL_TYPE (SondeBodyPart, sonde_body_part, SONDE, BODY_PART, GObject)

SondeBodyPart *sonde_body_part_new_text         (const char    *name,
                                                 const char    *value);
SondeBodyPart *sonde_body_part_new_file         (const char    *name,
                                                 const char    *file);
SondeBodyPart *sonde_body_part_copy             (SondeBodyPart *self);
const char    *sonde_body_part_get_name         (SondeBodyPart *self);
void           sonde_body_part_set_name         (SondeBodyPart *self, const char *name);
const char    *sonde_body_part_get_value        (SondeBodyPart *self);
void           sonde_body_part_set_value        (SondeBodyPart *self, const char *value);
const char    *sonde_body_part_get_file         (SondeBodyPart *self);
void           sonde_body_part_set_file         (SondeBodyPart *self, const char *file);
const char    *sonde_body_part_get_filename     (SondeBodyPart *self);
void           sonde_body_part_set_filename     (SondeBodyPart *self, const char *filename);
const char    *sonde_body_part_get_content_type (SondeBodyPart *self);
void           sonde_body_part_set_content_type (SondeBodyPart *self, const char *content_type);
gboolean       sonde_body_part_get_enabled      (SondeBodyPart *self);
void           sonde_body_part_set_enabled      (SondeBodyPart *self, gboolean enabled);
JsonObject    *sonde_body_part_get_extra        (SondeBodyPart *self);
void           sonde_body_part_set_extra        (SondeBodyPart *self, JsonObject *extra);

/* The request body. Properties: "kind", "content-type", "text", "file", "variables" and
 * "operation-name" (GraphQL: the variables as JSON text, the operation's name), and the lists
 * "fields" (GListStore<SondeKeyValue>) and "parts" (GListStore<SondeBodyPart>), which always
 * exist and survive a change of kind (switching kind in the editor loses nothing).
 * "text-file" is the sidecar file the text was loaded from / will be saved to (relative to the
 * request file's folder), or NULL for inline text. */
#define SONDE_TYPE_BODY (sonde_body_get_type ())
G_DECLARE_FINAL_TYPE (SondeBody, sonde_body, SONDE, BODY, GObject)

SondeBody     *sonde_body_new                   (void);
SondeBody     *sonde_body_copy                  (SondeBody     *self);
SondeBodyKind  sonde_body_get_kind              (SondeBody     *self);
void           sonde_body_set_kind              (SondeBody     *self, SondeBodyKind kind);
const char    *sonde_body_get_content_type      (SondeBody     *self);
void           sonde_body_set_content_type      (SondeBody     *self, const char *content_type);
const char    *sonde_body_get_text              (SondeBody     *self);
void           sonde_body_set_text              (SondeBody     *self, const char *text);
const char    *sonde_body_get_text_file         (SondeBody     *self);
void           sonde_body_set_text_file         (SondeBody     *self, const char *text_file);
const char    *sonde_body_get_file              (SondeBody     *self);
void           sonde_body_set_file              (SondeBody     *self, const char *file);
const char    *sonde_body_get_variables         (SondeBody     *self);
void           sonde_body_set_variables         (SondeBody     *self, const char *variables);
const char    *sonde_body_get_operation_name    (SondeBody     *self);
void           sonde_body_set_operation_name    (SondeBody     *self, const char *operation_name);
GListStore    *sonde_body_get_fields            (SondeBody     *self);
GListStore    *sonde_body_get_parts             (SondeBody     *self);
JsonObject    *sonde_body_get_extra             (SondeBody     *self);
void           sonde_body_set_extra             (SondeBody     *self, JsonObject *extra);

/* The content type sent for text/json/xml/form/file/graphql kinds when "content-type" is unset. */
const char    *sonde_body_kind_default_content_type (SondeBodyKind kind);

/* Kinds whose "text" is what the person edits, and may live in a sidecar file. */
gboolean       sonde_body_kind_has_text         (SondeBodyKind kind);

/* GraphQL over HTTP: the JSON document POSTed ({"query", "variables", "operationName"}),
 * NULL with ERROR when the variables are not a JSON object; and those variables alone (a
 * GET sends them in the URL, sonde-client-request.c). */
char          *sonde_body_build_graphql_json    (SondeBody     *self,
                                                 GError       **error);
gboolean       sonde_body_parse_graphql_variables (SondeBody   *self,
                                                   JsonNode   **variables,
                                                   GError     **error);

G_END_DECLS
