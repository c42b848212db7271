/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-test-proxy"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "sonde-test-proxy.h"

#define TINYPROXY "/usr/bin/tinyproxy"

struct _SondeTestProxy
{
  char        *dir;
  char        *config;
  char        *log;
  char        *pid_file;
  char        *url;
  guint        port;
  GSubprocess *process;
};

/* In the child: a test that aborts takes its tinyproxy along. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A port for tinyproxy, below the kernel's ephemeral range: ports handed out by bind (0) and
 * to outgoing connections (the other tests run in parallel) all come from that range, so a
 * port freed here could be taken before tinyproxy binds it. Below it, only another test's
 * pick can collide, and sonde_test_proxy_new () then tries another one. */
static guint
pick_port (GError **error)
{
  g_autofree char *range = NULL;
  guint64 ephemeral_low = 32768;

  if (g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range, NULL, NULL))
    ephemeral_low = g_ascii_strtoull (range, NULL, 10);
  if (ephemeral_low <= 12000 || ephemeral_low > 65535)
    ephemeral_low = 32768;

  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(GSocket) socket = NULL;
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = NULL;
      guint port = g_random_int_range (10000, (gint32) ephemeral_low);

      address = g_inet_socket_address_new (loopback, port);
      socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
      if (socket == NULL)
        return 0;
      if (g_socket_bind (socket, address, FALSE, NULL))
        return port;
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE, "no free port for tinyproxy");
  return 0;
}

static gboolean
wait_until_listening (SondeTestProxy  *proxy,
                      GError         **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      /* No identifier any more: tinyproxy exited (a config error, say). */
      if (g_subprocess_get_identifier (proxy->process) == NULL)
        break;
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", proxy->port, NULL, NULL);
      if (connection != NULL)
        return TRUE;
      g_usleep (20 * 1000);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "tinyproxy did not start listening on port %u", proxy->port);
  return FALSE;
}

SondeTestProxy *
sonde_test_proxy_new (const guint  *connect_ports,
                      guint         n_connect_ports,
                      GError      **error)
{
  g_autoptr(SondeTestProxy) proxy = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  if (!g_file_test (TINYPROXY, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           TINYPROXY " is not installed (package tinyproxy)");
      return NULL;
    }

  proxy = g_new0 (SondeTestProxy, 1);
  proxy->dir = g_dir_make_tmp ("sonde-proxy-XXXXXX", error);
  if (proxy->dir == NULL)
    return NULL;
  proxy->config = g_build_filename (proxy->dir, "tinyproxy.conf", NULL);
  proxy->log = g_build_filename (proxy->dir, "tinyproxy.log", NULL);
  proxy->pid_file = g_build_filename (proxy->dir, "tinyproxy.pid", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  /* Another test may take the port between pick_port () and tinyproxy's bind: tinyproxy then
   * exits, and the next attempt picks another port. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autoptr(GString) config = g_string_new (NULL);

      g_clear_error (error);
      if (proxy->process != NULL)
        {
          g_subprocess_wait (proxy->process, NULL, NULL);
          g_clear_object (&proxy->process);
        }
      g_clear_pointer (&proxy->url, g_free);

      proxy->port = pick_port (error);
      if (proxy->port == 0)
        return NULL;
      proxy->url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);

      g_string_append_printf (config,
                              "Listen 127.0.0.1\n"
                              "Port %u\n"
                              "Timeout 30\n"
                              "LogFile \"%s\"\n"
                              "LogLevel Info\n"
                              "PidFile \"%s\"\n"
                              "MaxClients 20\n"
                              "Allow 127.0.0.1\n"
                              "BasicAuth " SONDE_TEST_PROXY_USERNAME " " SONDE_TEST_PROXY_PASSWORD "\n"
                              "ViaProxyName \"sonde-test-proxy\"\n",
                              proxy->port, proxy->log, proxy->pid_file);
      for (guint i = 0; i < n_connect_ports; i++)
        g_string_append_printf (config, "ConnectPort %u\n", connect_ports[i]);
      if (!g_file_set_contents (proxy->config, config->str, config->len, error))
        return NULL;

      /* -d: stay in the foreground, so the test owns the process. */
      proxy->process = g_subprocess_launcher_spawn (launcher, error, TINYPROXY, "-d", "-c", proxy->config, NULL);
      if (proxy->process == NULL)
        return NULL;
      if (wait_until_listening (proxy, error))
        return g_steal_pointer (&proxy);
      /* Still running but not listening after 10 s: something else is wrong. */
      if (g_subprocess_get_identifier (proxy->process) != NULL)
        return NULL;
    }

  return NULL;
}

void
sonde_test_proxy_free (SondeTestProxy *proxy)
{
  if (proxy->process != NULL)
    {
      g_subprocess_send_signal (proxy->process, SIGTERM);
      g_subprocess_wait (proxy->process, NULL, NULL);
      g_clear_object (&proxy->process);
    }

  if (proxy->dir != NULL)
    {
      g_unlink (proxy->config);
      g_unlink (proxy->log);
      g_unlink (proxy->pid_file);
      g_rmdir (proxy->dir);
    }

  g_free (proxy->dir);
  g_free (proxy->config);
  g_free (proxy->log);
  g_free (proxy->pid_file);
  g_free (proxy->url);
  g_free (proxy);
}

guint
sonde_test_proxy_get_port (SondeTestProxy *proxy)
{
  return proxy->port;
}

const char *
sonde_test_proxy_get_url (SondeTestProxy *proxy)
{
  return proxy->url;
}

char *
sonde_test_proxy_get_log (SondeTestProxy *proxy)
{
  char *contents = NULL;

  if (!g_file_get_contents (proxy->log, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}
