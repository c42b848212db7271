/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ARGV[0] is "import": a foreign file into a new collection folder. */
int sonde_cli_import (int    argc,
                      char **argv);

/* ARGV[0] is "export", ARGV[1] "postman". */
int sonde_cli_export_postman (int    argc,
                              char **argv);

G_END_DECLS
