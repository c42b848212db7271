/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Private to core: the layout and the typed, path-naming readers shared by the JSON files
 * Sonde writes into a collection (docs/collection-format.md). Errors are SONDE_REQUEST_ERROR. */

char       *sonde_json_file_to_data          (JsonObject          *object);
/* Appends TEXT to OUT as a quoted JSON string, escaped (invalid UTF-8 replaced by U+FFFD).
 * The one string writer of core's files and of sonde-cli's --json output. */
void        sonde_json_append_string         (GString             *out,
                                              const char          *text);
void        sonde_json_add_extra             (JsonObject          *object,
                                              JsonObject          *extra);
/* A new object with OBJECT's members (OBJECT may be NULL) but those in EXCEPT (may be NULL) */
JsonObject *sonde_json_object_copy_except    (JsonObject          *object,
                                              const char * const  *except);
/* Sets KEY to NODE (taken) where KEY already is, or last; NODE NULL removes KEY */
void        sonde_json_object_set_or_remove  (JsonObject          *object,
                                              const char          *key,
                                              JsonNode            *node);
JsonObject *sonde_json_collect_extra         (JsonObject          *object,
                                              const char * const  *known);

char       *sonde_json_member_path           (const char          *parent,
                                              const char          *key);
char       *sonde_json_element_path          (const char          *parent,
                                              guint                index);
gboolean    sonde_json_invalid_value         (GError             **error,
                                              const char          *parent,
                                              const char          *key,
                                              const char          *format);
gboolean    sonde_json_read_string           (JsonObject          *object,
                                              const char          *key,
                                              const char          *parent,
                                              const char         **value,
                                              GError             **error);
gboolean    sonde_json_read_boolean          (JsonObject          *object,
                                              const char          *key,
                                              const char          *parent,
                                              gboolean            *value,
                                              GError             **error);
gboolean    sonde_json_read_number           (JsonObject          *object,
                                              const char          *key,
                                              const char          *parent,
                                              double              *value,
                                              GError             **error);
gboolean    sonde_json_read_integer          (JsonObject          *object,
                                              const char          *key,
                                              const char          *parent,
                                              gint64               min,
                                              gint64              *value,
                                              GError             **error);
gboolean    sonde_json_read_object           (JsonObject          *object,
                                              const char          *key,
                                              const char          *parent,
                                              JsonObject         **value,
                                              GError             **error);
gboolean    sonde_json_read_array            (JsonObject          *object,
                                              const char          *key,
                                              const char          *parent,
                                              JsonArray          **value,
                                              GError             **error);

/* Reads the list KEY of row objects into STORE (replacing its items): the loop, the
 * "must be an object" check and the key paths are shared; READ_ROW builds one row from
 * its object (ROW_PATH names it in errors) and returns NULL with ERROR set. */
typedef GObject *(*SondeJsonRowFunc) (JsonObject  *row_object,
                                      const char  *row_path,
                                      GError     **error);
gboolean    sonde_json_read_rows             (JsonObject          *object,
                                              const char          *key,
                                              const char          *parent,
                                              GListStore          *store,
                                              SondeJsonRowFunc     read_row,
                                              GError             **error);

/* The deepest nesting of objects and arrays any JSON Sonde reads may have (files of a
 * collection, history, secrets, response bodies given to JSONPath). */
#define SONDE_JSON_MAX_DEPTH 512

char       *sonde_json_describe_parse_error  (const GError        *json_error);
gboolean    sonde_json_check_depth           (const char          *data,
                                              gsize                length,
                                              GError             **error);
gboolean    sonde_json_check_single_value    (const char          *data,
                                              gsize                length,
                                              GError             **error);
/* Parses one JSON document (exactly one value, nested at most SONDE_JSON_MAX_DEPTH deep) into PARSER: FALSE with a
 * SONDE_REQUEST_ERROR_PARSE whose message gives the line and column, without a file prefix. */
gboolean    sonde_json_parse_document        (JsonParser          *parser,
                                              const char          *data,
                                              gsize                length,
                                              GError             **error);

/* Members of OBJECT (which may be NULL) of one type, or NULL (FALLBACK) when absent or of
 * another type: for readers of foreign files, where anything may be missing. */
const char *sonde_json_get_string            (JsonObject          *object,
                                              const char          *name);
JsonObject *sonde_json_get_object            (JsonObject          *object,
                                              const char          *name);
JsonArray  *sonde_json_get_array             (JsonObject          *object,
                                              const char          *name);
gboolean    sonde_json_get_boolean           (JsonObject          *object,
                                              const char          *name,
                                              gboolean             fallback);
/* NODE as JSON text, 2-space indented (no final newline). */
char       *sonde_json_pretty_print          (JsonNode            *node);

G_END_DECLS
