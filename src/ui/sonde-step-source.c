/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-step-source"

#include "config.h"

#include "sonde-step-source.h"

/* Just above painting: one step, then a frame, then the next step. */
#define BOOSTED_PRIORITY (GDK_PRIORITY_REDRAW - 1)

typedef struct
{
  GSourceFunc     function;
  gpointer        data;
  GDestroyNotify  notify;
  int             priority;
  GSource        *idle;      /* borrowed: it owns this struct */
  GSource        *watchdog;  /* owned */
} Step;

static gboolean
watchdog_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs watchdog_funcs = {
  NULL, NULL, watchdog_dispatch, NULL, NULL, NULL,
};

/* The idle has not run for a while: let it run before the next frame. */
static gboolean
watchdog_cb (gpointer user_data)
{
  Step *step = user_data;

  g_source_set_ready_time (step->watchdog, -1);
  g_source_set_priority (step->idle, BOOSTED_PRIORITY);
  return G_SOURCE_CONTINUE;
}

static gboolean
idle_cb (gpointer user_data)
{
  Step *step = user_data;

  if (g_source_get_priority (step->idle) != step->priority)
    g_source_set_priority (step->idle, step->priority);
  if (!step->function (step->data))
    return G_SOURCE_REMOVE;
  g_source_set_ready_time (step->watchdog,
                           g_get_monotonic_time () + SONDE_STEP_SOURCE_MAX_WAIT_MS * G_TIME_SPAN_MILLISECOND);
  return G_SOURCE_CONTINUE;
}

/* GLib calls this once the idle is destroyed and not dispatching any more. */
static void
step_free (gpointer user_data)
{
  Step *step = user_data;

  g_source_destroy (step->watchdog);
  g_source_unref (step->watchdog);
  if (step->notify != NULL)
    step->notify (step->data);
  g_free (step);
}

guint
sonde_step_source_add (int             priority,
                       GSourceFunc     function,
                       gpointer        data,
                       GDestroyNotify  notify)
{
  GMainContext *context = g_main_context_get_thread_default ();
  Step *step;
  GSource *idle;
  guint id;

  g_return_val_if_fail (function != NULL, 0);

  step = g_new0 (Step, 1);
  step->function = function;
  step->data = data;
  step->notify = notify;
  step->priority = priority;

  step->watchdog = g_source_new (&watchdog_funcs, sizeof (GSource));
  g_source_set_priority (step->watchdog, BOOSTED_PRIORITY);
  g_source_set_static_name (step->watchdog, "[sonde] step source watchdog");
  g_source_set_callback (step->watchdog, watchdog_cb, step, NULL);
  g_source_set_ready_time (step->watchdog,
                           g_get_monotonic_time () + SONDE_STEP_SOURCE_MAX_WAIT_MS * G_TIME_SPAN_MILLISECOND);
  g_source_attach (step->watchdog, context);

  idle = g_idle_source_new ();
  step->idle = idle;
  g_source_set_priority (idle, priority);
  g_source_set_static_name (idle, "[sonde] step source");
  g_source_set_callback (idle, idle_cb, step, step_free);
  id = g_source_attach (idle, context);
  g_source_unref (idle);

  return id;
}
