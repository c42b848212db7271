/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ARGV[0] is "run". Exit statuses are SondeCliExit (sonde-cli-send.h). */
int sonde_cli_run (int    argc,
                   char **argv);

G_END_DECLS
