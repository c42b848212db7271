/* SPDX-License-Identifier: GPL-3.0-or-later */

/* History entry files ($XDG_DATA_HOME/sonde/history/) from arbitrary bytes: loading never
 * crashes (deep nesting included), and fails only with a SONDE_REQUEST_ERROR or skips a
 * newer format without an error. */

#include "config.h"

#include <string.h>

#include "sonde-core.h"
#include "sonde-history-private.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeHistoryEntry) entry = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  gboolean skip = FALSE;

  fuzz_init_once ();

  entry = sonde_history_entry_new_from_data ("fuzz", text, size, &skip, &error);
  if (entry == NULL)
    fuzz_check (skip ? error == NULL : (error != NULL && error->domain == SONDE_REQUEST_ERROR));
  return 0;
}
