/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The test server as a process, for benchmarks and CLI tests:
 *   sonde-test-httpd [--port N]
 * prints its base URL on the first line of stdout, then serves until SIGTERM or SIGINT,
 * or until stdin closes (so a parent that dies takes it along). */
#define G_LOG_DOMAIN "sonde-test-httpd"

#include "config.h"

#include <stdio.h>
#include <unistd.h>
#include <glib-unix.h>

#include "sonde-test-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
stdin_cb (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  char buffer[256];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n > 0)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GOptionContext) context = g_option_context_new ("- Sonde test HTTP server");
  g_autoptr(SondeTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  int port = 0;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default: a free one)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  server = sonde_test_server_new_on_port (port, &error);
  if (server == NULL)
    {
      g_printerr ("Could not listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  printf ("%s\n", sonde_test_server_get_base_url (server));
  fflush (stdout);

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);
  g_main_loop_run (loop);

  return 0;
}
