/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sonde-test-utils.h"

typedef struct
{
  gboolean       done;
  SondeResponse *response;
  GError        *error;
} ClientResult;

static void
client_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ClientResult *out = user_data;

  out->response = sonde_client_send_finish (SONDE_CLIENT (object), result, &out->error);
  g_assert_true ((out->response == NULL) != (out->error == NULL));
  out->done = TRUE;
}

/* Sends REQUEST with CLIENT and spins the thread-default main context until it is done: the
 * response, or NULL with the error. */
SondeResponse *
sonde_test_client_send (SondeClient        *client,
                        SondeRequest       *request,
                        GFile              *output,
                        SondeProgressFunc   progress,
                        gpointer            progress_data,
                        GCancellable       *cancellable,
                        GError            **error)
{
  ClientResult result = { 0 };

  sonde_client_send_async (client, request, output, progress, progress_data, NULL,
                           cancellable, client_sent_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);

  if (result.error != NULL)
    g_propagate_error (error, result.error);
  return result.response;
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} SessionResult;

static void
session_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SessionResult *out = user_data;

  out->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &out->error);
  out->done = TRUE;
}

/* Sends MSG with SESSION and spins the main context until it is read: the body as a string
 * ("" when empty), or NULL with the error. */
char *
sonde_test_session_fetch (SoupSession  *session,
                          SoupMessage  *msg,
                          GError      **error)
{
  SessionResult result = { 0 };
  const char *data;
  gsize size;
  char *text;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, session_sent_cb, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  if (result.body == NULL)
    {
      g_propagate_error (error, result.error);
      return NULL;
    }
  data = g_bytes_get_data (result.body, &size);
  /* An empty GBytes may have no data: still a string. */
  text = data != NULL ? g_strndup (data, size) : g_strdup ("");
  g_bytes_unref (result.body);
  return text;
}
