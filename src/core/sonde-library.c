/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-library"

#include "config.h"

#include <gmodule.h>

#include "sonde-library.h"

/**
 * sonde_library_open:
 * @symbols: the names to look up, %NULL-terminated
 * @pointers: where each one's address goes, in the same order (all %NULL when one is missing)
 *
 * Opens @library and looks up @symbols the first time it is called; later calls, from any
 * thread, return what the first one found. The library stays open: it may be used again at
 * any time.
 *
 * Returns: whether the library and every symbol were found
 */
gboolean
sonde_library_open (SondeLibrary       *library,
                    const char * const *symbols,
                    gpointer           *pointers)
{
  if (g_once_init_enter (&library->opened))
    {
      GModule *module = g_module_open (library->soname, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      gboolean found = module != NULL;

      for (guint i = 0; found && symbols[i] != NULL; i++)
        found = g_module_symbol (module, symbols[i], &pointers[i]);
      if (!found)
        {
          g_warning ("%s could not be loaded: %s", library->soname, g_module_error ());
          for (guint i = 0; symbols[i] != NULL; i++)
            pointers[i] = NULL;
        }
      library->found = found;
      g_once_init_leave (&library->opened, 1);
    }

  return library->found;
}
