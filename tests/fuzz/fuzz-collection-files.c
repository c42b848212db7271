/* SPDX-License-Identifier: GPL-3.0-or-later */

/* sonde-collection.json and folder.json from arbitrary bytes: a collection folder in a
 * scratch directory gets the input as its collection file, and (with a valid collection
 * file) as the folder.json of a sub-folder. Loading never crashes (deep nesting included):
 * a bad collection file is an error, a bad folder.json an error of that folder only. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sonde-core.h"
#include "fuzz-common.h"

static char *scratch;

static void
write_file (const char    *relative,
            const uint8_t *data,
            size_t         size)
{
  g_autofree char *path = g_build_filename (scratch, relative, NULL);

  fuzz_check (g_file_set_contents (path, (const char *) data, size, NULL));
}

static void
remove_scratch (void)
{
  const char *files[] = { "sonde-collection.json", "sub/folder.json", "sub/a.request.json", "sub", NULL };

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (scratch, files[i], NULL);

      g_remove (path);
    }
  g_remove (scratch);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GFile) dir = NULL;
  const char *valid = "{\n  \"format\": 1,\n  \"name\": \"Fuzz\"\n}\n";

  fuzz_init_once ();

  if (scratch == NULL)
    {
      g_autofree char *sub = NULL;

      scratch = g_dir_make_tmp ("sonde-fuzz-XXXXXX", NULL);
      fuzz_check (scratch != NULL);
      sub = g_build_filename (scratch, "sub", NULL);
      fuzz_check (g_mkdir (sub, 0700) == 0);
      write_file ("sub/a.request.json", (const uint8_t *) "{\"url\": \"http://127.0.0.1:1/\"}", 31);
      atexit (remove_scratch);
    }
  dir = g_file_new_for_path (scratch);

  /* The input as the collection file. */
  write_file ("sonde-collection.json", data, size);
  write_file ("sub/folder.json", (const uint8_t *) "{}", 2);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SondeCollection) collection = sonde_collection_load (dir, NULL, &error);

    fuzz_check (collection != NULL || error != NULL);
  }

  /* The input as a folder.json. */
  write_file ("sonde-collection.json", (const uint8_t *) valid, strlen (valid));
  write_file ("sub/folder.json", data, size);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SondeCollection) collection = sonde_collection_load (dir, NULL, &error);

    fuzz_check (collection != NULL || error != NULL);
  }
  return 0;
}
