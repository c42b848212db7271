/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark driver for tests/bench/bench-json-format: pretty-prints a JSON file to stdout
 * with SondeJsonFormatter (streaming) or with json-glib (JsonParser + JsonGenerator). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gio/gunixoutputstream.h>
#include <json-glib/json-glib.h>

#include "sonde-json-formatter.h"

#define READ_CHUNK_SIZE (64 * 1024)

static void
write_all_stdout (const char *text,
                  gsize       length)
{
  while (length > 0)
    {
      gssize written = write (STDOUT_FILENO, text, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        {
          g_printerr ("sonde-json-format: write: %s\n", g_strerror (errno));
          exit (1);
        }
      text += written;
      length -= written;
    }
}

static void
write_stdout_cb (const char *text,
                 gsize       length,
                 gpointer    user_data)
{
  write_all_stdout (text, length);
}

static int
format_with_sonde (const char *path,
                   guint       indent)
{
  g_autoptr(SondeJsonFormatter) formatter = sonde_json_formatter_new (indent, write_stdout_cb, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = g_malloc (READ_CHUNK_SIZE);
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      g_printerr ("sonde-json-format: %s: %s\n", path, g_strerror (errno));
      return 1;
    }

  for (;;)
    {
      gssize count = read (fd, buffer, READ_CHUNK_SIZE);

      if (count < 0 && errno == EINTR)
        continue;
      if (count < 0)
        {
          g_printerr ("sonde-json-format: %s: %s\n", path, g_strerror (errno));
          close (fd);
          return 1;
        }
      if (count == 0)
        break;
      if (!sonde_json_formatter_feed (formatter, buffer, count, &error))
        break;
    }
  close (fd);

  if (error == NULL)
    sonde_json_formatter_finish (formatter, &error);
  if (error != NULL)
    {
      g_printerr ("sonde-json-format: %s: %s\n", path, error->message);
      return 1;
    }
  write_all_stdout ("\n", 1);
  return 0;
}

static int
format_with_json_glib (const char *path,
                       guint       indent)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GOutputStream) output = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    {
      g_printerr ("sonde-json-format: %s: %s\n", path, error->message);
      return 1;
    }

  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, indent);
  if (!json_generator_to_stream (generator, output, NULL, &error)
      || !g_output_stream_write_all (output, "\n", 1, NULL, NULL, &error))
    {
      g_printerr ("sonde-json-format: %s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  guint indent = 2;

  if (argc < 3 || argc > 4 || (strcmp (argv[1], "sonde") != 0 && strcmp (argv[1], "json-glib") != 0))
    {
      g_printerr ("usage: sonde-json-format sonde|json-glib FILE [INDENT]\n");
      return 2;
    }
  if (argc == 4)
    indent = (guint) g_ascii_strtoull (argv[3], NULL, 10);

  if (strcmp (argv[1], "sonde") == 0)
    return format_with_sonde (argv[2], indent);
  else
    return format_with_json_glib (argv[2], indent);
}
