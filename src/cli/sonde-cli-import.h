/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ARGV[0] is "import": a foreign file into a new collection folder. */
int sonde_cli_import (int    argc,
                      char **argv);

G_END_DECLS
