/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder: being written. */
#include "config.h"
#include "sonde-core.h"

int
main (int argc, char *argv[])
{
  return 0;
}
