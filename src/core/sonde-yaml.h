/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The most values a YAML document may expand to (aliases counted each time they are used):
 * a "billion laughs" document is refused once it passes this, in bounded time and memory. */
#define SONDE_YAML_MAX_NODES 1000000

/* The first document of DATA (YAML 1.2, through libyaml) as a json-glib tree: mappings as
 * objects, sequences as arrays, plain scalars resolved by the core schema (null, booleans,
 * integers, floats, else strings), quoted and block scalars as strings, aliases as copies of
 * their anchor, "<<" merge keys merged. Nesting deeper than SONDE_JSON_MAX_DEPTH and more than
 * SONDE_YAML_MAX_NODES values are refused. Errors are SONDE_REQUEST_ERROR_PARSE with
 * "line L, column C". */
JsonNode *sonde_yaml_to_json (const char  *data,
                              gsize        length,
                              GError     **error);

G_END_DECLS
