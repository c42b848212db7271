/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-request.h"

G_BEGIN_DECLS

/* The URL entry of the request editor shows the request's "url" joined with its enabled
 * "params" rows; these split and join them, and check what can be checked of a URL before
 * variables are expanded. */

/* "url" + "?" + the enabled rows, escaped only where the query's meaning needs it. */
char     *sonde_url_compose     (SondeRequest *request);
/* Makes the enabled params rows match QUERY (the text after "?", or NULL), in place:
 * rows are renamed, added or removed; disabled rows are left alone. */
void      sonde_url_apply_query (SondeRequest *request,
                                 const char   *query);
/* When REQUEST's "url" holds a query that params rows would send byte for byte (name=value
 * pairs, no {{variables}}, no fragment, encoded as the client encodes rows), moves it into
 * rows placed before the existing ones: the same request, shown as rows. */
void      sonde_url_split_query (SondeRequest *request);
/* An http(s) URL with a host; parts made of {{variables}} are checked after expansion.
 * Errors are SONDE_REQUEST_ERROR_INVALID_URL with the reason. */
gboolean  sonde_url_check       (const char   *text,
                                 GError      **error);

G_END_DECLS
