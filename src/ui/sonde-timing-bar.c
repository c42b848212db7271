/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-timing-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-timing-bar.h"

#define BAR_HEIGHT  18
#define MIN_SEGMENT 2.0f

struct _SondeTimingBar
{
  GtkWidget    parent_instance;

  SondeTimings timings;
  gboolean     has_timings;
};

G_DEFINE_FINAL_TYPE (SondeTimingBar, sonde_timing_bar, GTK_TYPE_WIDGET)

/* GNOME palette colours that read on light and dark backgrounds alike. */
static const char * const phase_colors[SONDE_TIMING_N_PHASES] = {
  "#986a44", /* redirects: brown */
  "#9a9996", /* queued: grey */
  "#9141ac", /* DNS: purple */
  "#ff7800", /* connect: orange */
  "#f5c211", /* TLS: yellow */
  "#62a0ea", /* request sent: light blue */
  "#33d17a", /* waiting: green */
  "#1c71d8", /* download: blue */
  "#77767b", /* finishing: dark grey */
};

static void
sonde_timing_bar_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 60;
      *natural = 400;
    }
  else
    *minimum = *natural = BAR_HEIGHT;
}

static void
sonde_timing_bar_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  SondeTimingBar *self = SONDE_TIMING_BAR (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  GskRoundedRect outline;
  GdkRGBA trough;
  double sum = 0;
  float x = 0;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &trough);
  trough.alpha *= 0.1f;

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, 0, width, height), height / 4);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &trough, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->has_timings)
    {
      for (guint i = 0; i < SONDE_TIMING_N_PHASES; i++)
        sum += MAX (0, sonde_timing_get_phase (&self->timings, i));
      /* The phases add up to the total; a total made by hand (tests) may be larger. */
      sum = MAX (sum, self->timings.total);

      for (guint i = 0; i < SONDE_TIMING_N_PHASES && sum > 0; i++)
        {
          double ms = sonde_timing_get_phase (&self->timings, i);
          float segment;
          GdkRGBA color;

          if (ms <= 0)
            continue;

          /* Short phases stay visible as a sliver. */
          segment = MAX (MIN_SEGMENT, (float) (ms / sum) * width);
          segment = MIN (segment, width - x);
          sonde_timing_phase_get_color (i, &color);
          gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, 0, segment, height));
          x += segment;
        }
    }

  gtk_snapshot_pop (snapshot);
}

static void
sonde_timing_bar_class_init (SondeTimingBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = sonde_timing_bar_measure;
  widget_class->snapshot = sonde_timing_bar_snapshot;

  gtk_widget_class_set_css_name (widget_class, "timingbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sonde_timing_bar_init (SondeTimingBar *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timing breakdown"),
                                  -1);
}

GtkWidget *
sonde_timing_bar_new (void)
{
  return g_object_new (SONDE_TYPE_TIMING_BAR, NULL);
}

void
sonde_timing_bar_set_timings (SondeTimingBar     *self,
                              const SondeTimings *timings)
{
  g_return_if_fail (SONDE_IS_TIMING_BAR (self));

  self->has_timings = timings != NULL;
  if (timings != NULL)
    self->timings = *timings;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
sonde_timing_get_phase (const SondeTimings *timings,
                        SondeTimingPhase    phase)
{
  g_return_val_if_fail (timings != NULL, -1);

  switch (phase)
    {
    case SONDE_TIMING_PHASE_REDIRECTS:
      return timings->redirects;
    case SONDE_TIMING_PHASE_QUEUED:
      return timings->queued;
    case SONDE_TIMING_PHASE_DNS:
      return timings->dns;
    case SONDE_TIMING_PHASE_CONNECT:
      return timings->connect;
    case SONDE_TIMING_PHASE_TLS:
      return timings->tls;
    case SONDE_TIMING_PHASE_REQUEST_SENT:
      return timings->request_sent;
    case SONDE_TIMING_PHASE_WAITING:
      return timings->first_byte;
    case SONDE_TIMING_PHASE_DOWNLOAD:
      return timings->download;
    case SONDE_TIMING_PHASE_FINISHING:
      return timings->finishing;
    case SONDE_TIMING_N_PHASES:
    default:
      g_return_val_if_reached (-1);
    }
}

const char *
sonde_timing_phase_get_label (SondeTimingPhase phase)
{
  switch (phase)
    {
    case SONDE_TIMING_PHASE_REDIRECTS:
      return _("Redirects");
    case SONDE_TIMING_PHASE_QUEUED:
      return _("Queued");
    case SONDE_TIMING_PHASE_DNS:
      return _("DNS lookup");
    case SONDE_TIMING_PHASE_CONNECT:
      return _("Connect");
    case SONDE_TIMING_PHASE_TLS:
      return _("TLS handshake");
    case SONDE_TIMING_PHASE_REQUEST_SENT:
      return _("Request sent");
    case SONDE_TIMING_PHASE_WAITING:
      return _("Waiting (first byte)");
    case SONDE_TIMING_PHASE_DOWNLOAD:
      return _("Download");
    case SONDE_TIMING_PHASE_FINISHING:
      return _("Finishing");
    case SONDE_TIMING_N_PHASES:
    default:
      g_return_val_if_reached (NULL);
    }
}

void
sonde_timing_phase_get_color (SondeTimingPhase  phase,
                              GdkRGBA          *color)
{
  g_return_if_fail (phase < SONDE_TIMING_N_PHASES);

  gdk_rgba_parse (color, phase_colors[phase]);
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  GdkRGBA color;

  sonde_timing_phase_get_color (GPOINTER_TO_UINT (user_data), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

GtkWidget *
sonde_timing_swatch_new (SondeTimingPhase phase)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 10);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 10);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, GUINT_TO_POINTER (phase), NULL);
  return area;
}
