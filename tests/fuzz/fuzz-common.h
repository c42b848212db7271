/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

/* Every harness is one LLVMFuzzerTestOneInput (). Built with -fsanitize=fuzzer it is a
 * libFuzzer target; linked with fuzz-replay.c it replays a corpus folder as a GTest. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A violated property must crash, for libFuzzer and for the replay test alike:
 * g_assert () can be compiled out, this cannot. */
#define fuzz_check(condition)                                                            \
  G_STMT_START {                                                                         \
    if (G_UNLIKELY (!(condition)))                                                       \
      g_error ("%s:%d: fuzz property failed: %s", __FILE__, __LINE__, #condition);       \
  } G_STMT_END

/* GLib stops on a fatal message with SIGTRAP, which libFuzzer does not catch: without
 * this it would write no crash file. */
static void
fuzz_trap_cb (int signal_number)
{
  abort ();
}

/* Warnings and criticals (g_return_if_fail) are bugs too. */
static inline void
fuzz_init_once (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      signal (SIGTRAP, fuzz_trap_cb);
      g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      g_once_init_leave (&initialized, 1);
    }
}
