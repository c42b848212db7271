/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The yardstick for many small requests (tests/bench/bench-requests): libsoup alone, as
 * Sonde's engine uses it and with nothing of Sonde's, sending the GET requests of a file of
 * URLs one after the other on one session (keep-alive), reading each body to its end.
 * What sonde-cli run takes beyond this is Sonde's own work: files, variables, checks. */

#include <libsoup/soup.h>

typedef struct
{
  SoupSession  *session;
  GMainLoop    *loop;
  char        **urls;
  guint         next;
  guint8        buffer[16 * 1024];
  int           status;
} Run;

static void send_next (Run *run);

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  g_object_unref (object);
  send_next (run);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  gssize read = g_input_stream_read_finish (stream, result, &error);

  if (read < 0)
    {
      g_printerr ("bare-soup: %s\n", error->message);
      run->status = 1;
      g_main_loop_quit (run->loop);
      return;
    }
  if (read > 0)
    g_input_stream_read_async (stream, run->buffer, sizeof run->buffer, G_PRIORITY_DEFAULT, NULL, read_cb, run);
  else
    g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, closed_cb, run);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  GInputStream *stream = soup_session_send_finish (run->session, result, &error);

  if (stream == NULL)
    {
      g_printerr ("bare-soup: %s\n", error->message);
      run->status = 1;
      g_main_loop_quit (run->loop);
      return;
    }
  g_input_stream_read_async (stream, run->buffer, sizeof run->buffer, G_PRIORITY_DEFAULT, NULL, read_cb, run);
}

static void
send_next (Run *run)
{
  g_autoptr(SoupMessage) message = NULL;

  while (run->urls[run->next] != NULL && run->urls[run->next][0] == '\0')
    run->next++;
  if (run->urls[run->next] == NULL)
    {
      g_main_loop_quit (run->loop);
      return;
    }
  message = soup_message_new ("GET", run->urls[run->next++]);
  if (message == NULL)
    {
      g_printerr ("bare-soup: not a URL: %s\n", run->urls[run->next - 1]);
      run->status = 1;
      g_main_loop_quit (run->loop);
      return;
    }
  soup_session_send_async (run->session, message, G_PRIORITY_DEFAULT, NULL, sent_cb, run);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Run run = { 0 };

  if (argc != 2)
    {
      g_printerr ("usage: bare-soup FILE (one URL a line)\n");
      return 2;
    }
  if (!g_file_get_contents (argv[1], &text, NULL, &error))
    {
      g_printerr ("bare-soup: %s\n", error->message);
      return 2;
    }

  run.urls = g_strsplit (text, "\n", -1);
  run.session = soup_session_new ();
  run.loop = g_main_loop_new (NULL, FALSE);
  send_next (&run);
  g_main_loop_run (run.loop);

  g_main_loop_unref (run.loop);
  g_object_unref (run.session);
  g_strfreev (run.urls);
  return run.status;
}
