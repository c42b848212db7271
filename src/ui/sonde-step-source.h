/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Work done in short steps on the main thread (inserting, searching or freeing big text).
 *
 * An idle source below GDK_PRIORITY_REDRAW never runs while the frame clock's paint source
 * is always ready, which it is when a frame takes longer to draw than the refresh interval
 * (a GL renderer in software while a spinner animates): the steps, and the spinner, would
 * go on until something else happened in the window. A step source is an idle at PRIORITY
 * that is raised just above GDK_PRIORITY_REDRAW for one dispatch whenever it has not run for
 * SONDE_STEP_SOURCE_MAX_WAIT_MS, so it alternates with painting instead of waiting for it. */
#define SONDE_STEP_SOURCE_MAX_WAIT_MS 16

/* Like g_idle_add_full (), on the thread-default main context; only from the thread that
 * runs that context (the watchdog and the idle must not race each other).
 * Returns the source id: g_source_remove () on it stops the steps and calls NOTIFY. */
guint sonde_step_source_add (int             priority,
                             GSourceFunc     function,
                             gpointer        data,
                             GDestroyNotify  notify);

G_END_DECLS
