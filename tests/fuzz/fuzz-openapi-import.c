/* SPDX-License-Identifier: GPL-3.0-or-later */

/* YAML and OpenAPI descriptions from arbitrary bytes (sonde-yaml.c, sonde-import-openapi.c).
 * Properties:
 *  - reading YAML never crashes, fails only with a SONDE_REQUEST_ERROR whose message starts
 *    with a line and column when it names a place, and what it reads prints as JSON;
 *  - importing never crashes and fails only with a SONDE_REQUEST_ERROR; what imports has a
 *    name and a report. */

#include "config.h"

#include <string.h>

#include "sonde-core.h"
#include "sonde-yaml.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SondeImport) import = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);

  fuzz_init_once ();

  node = sonde_yaml_to_json ((const char *) data, size, &error);
  if (node == NULL)
    fuzz_check (error != NULL && error->domain == SONDE_REQUEST_ERROR);
  else
    {
      g_autofree char *json = json_to_string (node, FALSE);

      fuzz_check (error == NULL && json != NULL);
    }
  g_clear_error (&error);

  /* The importer takes NUL-terminated data, as sonde_import_file () reads it. */
  import = sonde_import_openapi (text, strlen (text), &error);
  if (import == NULL)
    fuzz_check (error != NULL && error->domain == SONDE_REQUEST_ERROR);
  else
    {
      g_autofree char *report = sonde_import_report_to_text (import);

      fuzz_check (error == NULL && report != NULL && sonde_import_get_name (import) != NULL);
    }
  return 0;
}
