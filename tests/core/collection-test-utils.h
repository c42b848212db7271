/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the collection, environment and run tests: a fresh copy of the fixture
 * collection, and byte snapshots of every file under a folder to see what an operation
 * wrote. */
#pragma once

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

G_GNUC_UNUSED static void
copy_tree (GFile *source,
           GFile *target)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) error = NULL;

  g_file_make_directory_with_parents (target, NULL, &error);
  g_assert_no_error (error);

  enumerator = g_file_enumerate_children (source, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;
      g_autoptr(GFile) target_child = NULL;

      g_assert_true (g_file_enumerator_iterate (enumerator, &info, &child, NULL, &error));
      if (info == NULL)
        break;
      target_child = g_file_get_child (target, g_file_info_get_name (info));
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        copy_tree (child, target_child);
      else
        {
          g_file_copy (child, target_child, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
        }
    }
}

G_GNUC_UNUSED static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A copy of tests/data/collections/NAME in a new temporary folder; returns the copy's path. */
G_GNUC_UNUSED static char *
copy_fixture (const char  *name,
              char       **temp_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source_path = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  char *path;

  *temp_dir = g_dir_make_tmp ("sonde-collection-XXXXXX", &error);
  g_assert_no_error (error);

  source_path = g_test_build_filename (G_TEST_DIST, "data", "collections", name, NULL);
  source = g_file_new_for_path (source_path);
  path = g_build_filename (*temp_dir, name, NULL);
  target = g_file_new_for_path (path);
  copy_tree (source, target);

  return path;
}

G_GNUC_UNUSED static void
snapshot_into (GHashTable *table,
               const char *root,
               const char *relative)
{
  g_autofree char *path = relative ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_relative = relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_relative, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        snapshot_into (table, root, child_relative);
      else
        {
          char *contents = NULL;
          gsize length;

          g_assert_true (g_file_get_contents (child, &contents, &length, NULL));
          g_hash_table_insert (table, g_steal_pointer (&child_relative), g_bytes_new_take (contents, length));
        }
    }
}

/* Every file under ROOT: relative path -> GBytes. */
G_GNUC_UNUSED static GHashTable *
snapshot (const char *root)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);

  snapshot_into (table, root, NULL);
  return table;
}

G_GNUC_UNUSED static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* What changed between two snapshots: "+added", "-removed", "~modified", sorted by path and
 * joined with spaces ("" when nothing changed). */
G_GNUC_UNUSED static char *
snapshot_diff (GHashTable *before,
               GHashTable *after)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  GString *out = g_string_new (NULL);

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GBytes *now = g_hash_table_lookup (after, key);

      if (now == NULL)
        g_ptr_array_add (changes, g_strconcat ("-", key, NULL));
      else if (!g_bytes_equal (now, value))
        g_ptr_array_add (changes, g_strconcat ("~", key, NULL));
    }
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (before, key))
      g_ptr_array_add (changes, g_strconcat ("+", key, NULL));

  /* By path, then by sign. */
  for (guint i = 0; i < changes->len; i++)
    {
      char *change = changes->pdata[i];
      char *swapped = g_strdup_printf ("%s%c", change + 1, change[0]);

      g_free (change);
      changes->pdata[i] = swapped;
    }
  g_ptr_array_sort (changes, compare_strings);
  for (guint i = 0; i < changes->len; i++)
    {
      char *change = changes->pdata[i];
      gsize length = strlen (change);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, change[length - 1]);
      g_string_append_len (out, change, length - 1);
    }

  return g_string_free (out, FALSE);
}

G_GNUC_UNUSED static char *
read_text (const char *root,
           const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

G_GNUC_UNUSED static void
write_text (const char *root,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

G_GNUC_UNUSED static void
make_dir (const char *root,
          const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);

  g_assert_no_errno (g_mkdir (path, 0755));
}

G_GNUC_UNUSED static void
remove_file (const char *root,
             const char *relative)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);

  g_assert_no_errno (g_unlink (path));
}
