/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-request.h"

G_BEGIN_DECLS

/* {{name}} expansion. VARIABLES maps names to values (char* -> char*); NULL means none.
 * Whitespace inside the braces is ignored ("{{ name }}"). An undefined variable is
 * SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE naming it ("Variable “token” is not defined"),
 * never an empty string. Values are not expanded again. */
char         *sonde_variables_expand   (const char    *text,
                                        GHashTable    *variables,
                                        GError       **error);

/* Whether NAME is one of the built-in variables ({{$uuid}}, {{$guid}}, {{$randomUUID}},
 * {{$timestamp}}, {{$isoTimestamp}}, {{$randomInt}}): a new value at each use, unless a
 * variable of that name is defined. */
gboolean      sonde_variables_is_builtin (const char    *name);

/* Names used in TEXT, in order of first use (for highlighting and checks). */
GStrv         sonde_variables_find     (const char    *text);

/* The next {{name}} in TEXT at or after byte FROM, with the rules of sonde_variables_find ():
 * *BEGIN and *END are the byte offsets of the whole reference, *NAME (nullable, owned) the
 * trimmed name. FALSE when there is none. For highlighting. */
gboolean      sonde_variables_find_next (const char  *text,
                                         gsize        from,
                                         gsize       *begin,
                                         gsize       *end,
                                         char       **name);

/* Path variables: a whole path segment ":name" of a URL (name: a letter or "_", then letters,
 * digits and "_"), as in "/users/:id". The names in URL, in order, each once. */
GStrv         sonde_variables_find_path   (const char    *url);
/* URL with each ":name" segment whose NAME has a value replaced by that value, escaped for a
 * path segment; VALUE_OF (NULL for none) gives the value or NULL. Segments without a value
 * are sent as written. */
char         *sonde_variables_expand_path (const char    *url,
                                           const char  *(*value_of) (const char *name,
                                                                      gpointer    data),
                                           gpointer       data);

/* A deep copy of REQUEST with every {{variable}} expanded: URL, params, headers, cookies,
 * body text, fields and parts, auth, and file paths (body file, part files, certificate and
 * CA files, proxy settings). The error says where the undefined variable was used. Then the
 * URL's ":name" path segments take the value of NAME from VARIABLES, else from the request's
 * own "variables" (sonde_request_get_variable ()). */
SondeRequest *sonde_request_expand     (SondeRequest  *request,
                                        GHashTable    *variables,
                                        GError       **error);

/* Copies every name → value of FROM (may be NULL) into INTO (a table that owns its strings,
 * g_free on both), replacing what INTO had of the same names: a layer of variables over
 * another. */
void          sonde_variables_merge    (GHashTable    *into,
                                        GHashTable    *from);

/* Parses "name=value" (as given to --var). */
gboolean      sonde_variables_parse_assignment (const char  *assignment,
                                                char       **name,
                                                char       **value,
                                                GError     **error);
/* Parses each "name=value" of ASSIGNMENTS (NULL-terminated, may be NULL) into a new table
 * name → value; a later one of the same name wins. NULL with the error of the first that
 * does not parse. */
GHashTable   *sonde_variables_parse_assignments (const char * const  *assignments,
                                                 GError             **error);

G_END_DECLS
