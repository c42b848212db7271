/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sonde-response.h"

G_BEGIN_DECLS

/* The phases of a request, in order, as drawn by SondeTimingBar; they add up to the total.
 * REDIRECTS, QUEUED and FINISHING hold the time before the first network phase and after
 * the last, so none is lost. */
typedef enum
{
  SONDE_TIMING_PHASE_REDIRECTS,
  SONDE_TIMING_PHASE_QUEUED,
  SONDE_TIMING_PHASE_DNS,
  SONDE_TIMING_PHASE_CONNECT,
  SONDE_TIMING_PHASE_TLS,
  SONDE_TIMING_PHASE_REQUEST_SENT,
  SONDE_TIMING_PHASE_WAITING,
  SONDE_TIMING_PHASE_DOWNLOAD,
  SONDE_TIMING_PHASE_FINISHING,
  SONDE_TIMING_N_PHASES,
} SondeTimingPhase;

/* A horizontal bar with one coloured segment per phase, proportional to its duration. */
#define SONDE_TYPE_TIMING_BAR (sonde_timing_bar_get_type ())
G_DECLARE_FINAL_TYPE (SondeTimingBar, sonde_timing_bar, SONDE, TIMING_BAR, GtkWidget)

GtkWidget  *sonde_timing_bar_new              (void);
void        sonde_timing_bar_set_timings      (SondeTimingBar     *self,
                                               const SondeTimings *timings);
/* The duration of PHASE in ms, -1 when it did not happen. */
double      sonde_timing_get_phase            (const SondeTimings *timings,
                                               SondeTimingPhase    phase);
const char *sonde_timing_phase_get_label      (SondeTimingPhase    phase);
void        sonde_timing_phase_get_color      (SondeTimingPhase    phase,
                                               GdkRGBA            *color);
/* A small square of the colour of PHASE, for legends. */
GtkWidget  *sonde_timing_swatch_new           (SondeTimingPhase    phase);

G_END_DECLS
