/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Replays every file of the corpus folders given on the command line through the harness,
 * one GTest case per file, so a normal `meson test` (any compiler, no libFuzzer) checks that
 * no input in the corpus regresses. */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"

static void
replay_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  /* libFuzzer hands over exactly LENGTH bytes: replay from a copy of that size so that
   * AddressSanitizer sees a read past the end here too. */
  {
    g_autofree guint8 *copy = g_malloc (MAX (length, 1));

    memcpy (copy, contents, length);
    LLVMFuzzerTestOneInput (copy, length);
  }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_folder (const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *target = g_path_get_basename (folder);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file_name = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/%s/%s", target, file_name);

      g_test_add_data_func_full (test_path, g_build_filename (folder, file_name, NULL),
                                 replay_file, g_free);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (int i = 1; i < argc; i++)
    add_folder (argv[i]);

  return g_test_run ();
}
