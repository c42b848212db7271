/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* Exit statuses of sonde-cli, documented in its --help. */
typedef enum
{
  SONDE_CLI_EXIT_RESPONSE    = 0,   /* a response arrived, whatever its HTTP status */
  SONDE_CLI_EXIT_TRANSPORT   = 1,   /* DNS, refused connection, TLS, timeout, … */
  SONDE_CLI_EXIT_BAD_INPUT   = 2,   /* request file, variables, options */
  SONDE_CLI_EXIT_INTERRUPTED = 130, /* Ctrl+C */
  SONDE_CLI_EXIT_BROKEN_PIPE = 141, /* stdout closed early, as if killed by SIGPIPE */
} SondeCliExit;

/* ARGV[0] is "send". */
int  sonde_cli_send        (int          argc,
                            char       **argv);

/* ARGV[0] is "export": a request as curl, python-requests, HTTPie or fetch code. */
int  sonde_cli_export      (int          argc,
                            char       **argv);

void sonde_cli_print_error (const char  *format,
                            ...) G_GNUC_PRINTF (1, 2);
/* ERROR, SECRETS masked in it, on stderr, and as JSON on stdout when JSON is TRUE (--json) */
void sonde_cli_report_error (const GError       *error,
                             const char * const *secrets,
                             gboolean            json);
/* The status line and headers (--include), then an empty line */
void sonde_cli_print_head  (SondeResponse *response);
void sonde_cli_print_json  (JsonNode      *node);
/* --allow-file and --allow-outside-files, for this process (docs/security.md). */
void sonde_cli_allow_files (char       **files,
                            gboolean     all);

G_END_DECLS
