/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Environment files (docs/collection-format.md) from arbitrary bytes. Properties:
 *  - loading never crashes (deep nesting included), and fails only with a
 *    SONDE_REQUEST_ERROR;
 *  - what loads saves, the saved bytes load again and save to the same bytes. */

#include "config.h"

#include <string.h>

#include "sonde-core.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeEnvironment) environment = NULL;
  g_autoptr(SondeEnvironment) reloaded = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;

  fuzz_init_once ();

  environment = sonde_environment_load_from_data ((const char *) data, size, &error);
  if (environment == NULL)
    {
      fuzz_check (error != NULL && error->domain == SONDE_REQUEST_ERROR);
      return 0;
    }

  saved = sonde_environment_to_data (environment);
  fuzz_check (saved != NULL && g_utf8_validate (saved, -1, NULL));
  reloaded = sonde_environment_load_from_data (saved, -1, &error);
  fuzz_check (reloaded != NULL);
  saved_again = sonde_environment_to_data (reloaded);
  fuzz_check (g_str_equal (saved, saved_again));
  return 0;
}
