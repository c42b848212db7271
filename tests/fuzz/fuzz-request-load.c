/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Request files (docs/collection-format.md) from arbitrary bytes. Properties:
 *  - loading never crashes, and fails only with a SONDE_REQUEST_ERROR;
 *  - what loads saves, and the saved bytes load again;
 *  - saving is a fixed point: load (save (r)) saves to the same bytes;
 *  - a copy of the request saves to the same bytes (sonde_request_copy () loses nothing);
 *  - expanding variables and saving with a sidecar never crash;
 *  - a WebSocket request's keys (sonde-websocket.h), as written and expanded, read or fail
 *    with a SONDE_REQUEST_ERROR, and each message read writes back to an object that reads
 *    the same; OAuth 2.0 extra parameters parse to name/value pairs.
 * Sidecars are read relative to no folder, so a relative "file" is an error. */

#include "config.h"

#include <string.h>

#include "sonde-core.h"
#include "fuzz-common.h"

static GHashTable *
variables_table (void)
{
  static GHashTable *variables = NULL;

  if (variables == NULL)
    {
      variables = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (variables, "base_url", "http://127.0.0.1:1");
      g_hash_table_insert (variables, "token", "t0k3n");
      g_hash_table_insert (variables, "a", "");
    }
  return variables;
}

/* The WebSocket keys of EXTRA: read, or refused with a request error */
static void
check_websocket (JsonObject *extra)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) subprotocols = NULL;
  guint keepalive = 0;

  if (!sonde_websocket_read_settings (extra, &subprotocols, &keepalive, messages, &error))
    {
      fuzz_check (error != NULL && error->domain == SONDE_REQUEST_ERROR);
      fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  fuzz_check (keepalive <= 24 * 3600);
  for (guint i = 0; i < messages->len; i++)
    {
      SondeWebsocketMessage *message = messages->pdata[i];
      g_autoptr(JsonObject) written = sonde_websocket_message_to_json (message);
      g_autoptr(JsonObject) holder = json_object_new ();
      g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
      JsonArray *array = json_array_new ();
      SondeWebsocketMessage *reread;

      json_array_add_object_element (array, json_object_ref (written));
      json_object_set_array_member (holder, "messages", array);
      fuzz_check (sonde_websocket_read_settings (holder, NULL, NULL, again, NULL));
      fuzz_check (again->len == 1);
      reread = again->pdata[0];
      fuzz_check (reread->kind == message->kind && reread->enabled == message->enabled);
      fuzz_check (g_strcmp0 (reread->text, message->text) == 0 && g_strcmp0 (reread->file, message->file) == 0);
    }
}

static char *
save (SondeRequest *request)
{
  g_autofree char *data = sonde_request_to_data (request, NULL, NULL);

  fuzz_check (data != NULL);
  fuzz_check (g_utf8_validate (data, -1, NULL));
  fuzz_check (g_str_has_suffix (data, "\n"));
  return g_steal_pointer (&data);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(SondeRequest) reloaded = NULL;
  g_autoptr(SondeRequest) copy = NULL;
  g_autoptr(SondeRequest) expanded = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  g_autofree char *saved_copy = NULL;
  g_autofree char *with_sidecar = NULL;
  g_autofree char *sidecar_text = NULL;

  fuzz_init_once ();

  request = sonde_request_load_from_data ((const char *) data, size, NULL, &error);
  if (request == NULL)
    {
      fuzz_check (error != NULL);
      fuzz_check (error->domain == SONDE_REQUEST_ERROR);
      fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  fuzz_check (error == NULL);

  saved = save (request);
  reloaded = sonde_request_load_from_data (saved, -1, NULL, &error);
  if (reloaded == NULL)
    g_error ("The saved request does not load: %s\n%s", error->message, saved);
  saved_again = save (reloaded);
  if (strcmp (saved, saved_again) != 0)
    g_error ("Saving is not stable:\n%s\n---\n%s", saved, saved_again);

  copy = sonde_request_copy (request);
  saved_copy = save (copy);
  if (strcmp (saved, saved_copy) != 0)
    g_error ("A copy saves differently:\n%s\n---\n%s", saved, saved_copy);

  expanded = sonde_request_expand (request, variables_table (), &error);
  fuzz_check ((expanded == NULL) == (error != NULL));
  g_clear_error (&error);

  (void) sonde_request_is_websocket (request);
  check_websocket (sonde_request_get_extra (request));
  if (expanded != NULL)
    check_websocket (sonde_request_get_extra (expanded));
  {
    g_auto(GStrv) pairs = sonde_oauth_parse_params (sonde_auth_get_oauth (sonde_request_get_auth (request),
                                                                          SONDE_OAUTH_EXTRA_PARAMS));

    fuzz_check (g_strv_length (pairs) % 2 == 0);
  }

  /* Last: a sidecar name is set on the request's body. */
  with_sidecar = sonde_request_to_data (request, "fuzz.request.json", &sidecar_text);
  fuzz_check (with_sidecar != NULL);

  return 0;
}
