/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A data file for a run: one set of variables per row, the run going through the requests
 * once per row. CSV with a header row (RFC 4180 quoting: "a, b", "say ""hi"""), or a JSON
 * array of objects whose values are strings, numbers, booleans or null (""). Errors are
 * SONDE_REQUEST_ERROR naming the line or element.
 *
 * Returns: (transfer full) (element-type GHashTable): one table name → value per row. */
GPtrArray *sonde_data_file_load (GFile   *file,
                                 GError **error);

G_END_DECLS
