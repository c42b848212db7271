/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the import tests (header-only, like collection-test-utils.h). */

#pragma once

#include <string.h>

#include "sonde-core.h"

/* Imports INPUT into TARGET_PATH (secret values to SECRETS, may be NULL) and loads the
 * collection written there. */
static SondeCollection *
import_file_into (GFile             *input,
                  const char        *target_path,
                  SondeSecretStore  *secrets,
                  SondeImport      **import_out)
{
  g_autoptr(GFile) dir = g_file_new_for_path (target_path);
  g_autoptr(SondeImport) import = NULL;
  g_autoptr(GError) error = NULL;
  SondeCollection *collection;

  import = sonde_import_file (input, SONDE_IMPORT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sonde_import_write (import, dir, secrets, NULL, &error));
  g_assert_no_error (error);
  collection = sonde_collection_load (dir, NULL, &error);
  g_assert_no_error (error);
  if (import_out != NULL)
    *import_out = g_steal_pointer (&import);
  return collection;
}

/* The request node called NAME, which must parse */
static SondeCollectionNode *
find_request (SondeCollection *collection,
              const char      *name)
{
  g_autoptr(GPtrArray) requests = sonde_collection_list_requests (collection, sonde_collection_get_root (collection));

  for (guint i = 0; i < requests->len; i++)
    if (g_strcmp0 (sonde_collection_node_get_name (requests->pdata[i]), name) == 0)
      {
        g_assert_null (sonde_collection_node_get_error (requests->pdata[i]));
        return requests->pdata[i];
      }
  g_error ("no request %s", name);
  return NULL;
}

static SondeRequest *
request_named (SondeCollection *collection,
               const char      *name)
{
  return sonde_collection_node_get_request (find_request (collection, name));
}

/* Borrowed: the store keeps the row */
static SondeKeyValue *
row_at (GListStore *rows,
        guint       position)
{
  SondeKeyValue *kv = g_list_model_get_item (G_LIST_MODEL (rows), position);

  g_object_unref (kv);
  return kv;
}

static gboolean
report_has (SondeImport *import,
            const char  *text)
{
  g_autofree char *report = sonde_import_report_to_text (import);

  if (strstr (report, text) != NULL)
    return TRUE;
  g_test_message ("“%s” not in the report:\n%s", text, report);
  return FALSE;
}

/* The error importing DATA (written to DIR/NAME) as FORMAT gives */
static char *
import_error_of (const char        *dir,
                 const char        *name,
                 const char        *data,
                 gssize             length,
                 SondeImportFormat  format)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeImport) import = NULL;

  g_assert_true (g_file_set_contents (path, data, length, NULL));
  import = sonde_import_file (file, format, NULL, &error);
  g_assert_null (import);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}
