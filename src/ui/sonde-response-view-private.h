/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-body-view.h"
#include "sonde-event-stream.h"
#include "sonde-response-view.h"
#include "sonde-timing-bar.h"
#include "sonde-websocket-view.h"

G_BEGIN_DECLS

struct _SondeResponseView
{
  GtkWidget       parent_instance;

  /* Template widgets; from status_label on (but the stream's), those of the response page,
   * built with the first response (ensure_response_page ()) */
  GtkStack       *state_stack;
  GtkSpinner     *sending_spinner;
  GtkLabel       *progress_label;
  GtkProgressBar *progress_bar;
  AdwStatusPage  *error_page;
  GtkLabel       *error_hint_label;
  GtkLabel       *status_label;
  GtkLabel       *time_label;
  GtkLabel       *size_label;
  GtkLabel       *version_label;
  GtkLabel       *url_label;
  GtkWidget      *tls_warning_box;
  GtkWidget      *body_warning_box;
  GtkLabel       *body_warning_label;
  GtkWidget      *graphql_errors_box;
  GtkSpinner     *stream_spinner;
  GtkLabel       *stream_label;
  GtkWidget      *stream_scroller;
  GtkListBox     *stream_list;
  SondeEventStream *stream;      /* while events arrive; NULL otherwise */
  guint           stream_count;
  guint           stream_dropped;
  gboolean        stream_ignored; /* this send's body is not a stream of events */
  gboolean        stream_is_ndjson;
  gboolean        stream_follow;   /* scrolled to the newest: stay there */
  gulong          stream_upper_id;
  GtkLabel       *graphql_errors_label;
  GtkStack       *section_stack;
  GtkWidget      *section_switcher;
  GtkDropDown    *section_dropdown;
  SondeBodyView  *body_view;
  GtkStackPage   *body_page;
  GtkStackPage   *messages_page;
  AdwBin         *messages_bin;
  SondeWebsocketView *websocket_view;  /* made for the first WebSocket connection shown */
  GtkStackPage   *headers_page;
  GtkLabel       *headers_summary_label;
  GtkColumnView  *headers_view;
  GtkStackPage   *cookies_page;
  GtkStack       *cookies_stack;
  GtkColumnView  *cookies_view;
  GtkLabel       *timing_total_label;
  SondeTimingBar *timing_bar;
  GtkGrid        *timing_legend;
  GtkLabel       *connection_label;
  GtkStackPage   *redirects_page;
  GtkListBox     *redirects_list;
  GtkStackPage   *checks_page;
  GtkListBox     *checks_list;
  GtkLabel       *checks_label;
  gboolean        compact;
  GtkBuilder     *response_builder;

  /* Borrowed: the rows of the timing legend */
  GtkWidget      *timing_swatches[SONDE_TIMING_N_PHASES];
  GtkWidget      *timing_names[SONDE_TIMING_N_PHASES];
  GtkLabel       *timing_values[SONDE_TIMING_N_PHASES];

  /* Owned */
  SondeResponse  *response;
  GListStore     *cookies;
  guint           pulse_id;
  gboolean        progress_known;
  const char     *status_class;
};

/* sonde-response-view-actions.c: response.search, copy-body, copy-headers, save-body */
void        _sonde_response_view_class_init_actions (GtkWidgetClass *widget_class);

/* sonde-response-view-cookies.c: the rows of the cookies column view */
GListStore *_sonde_cookie_list_new                  (void);
void        _sonde_cookie_list_set                  (GListStore     *list,
                                                     SondeResponse  *response);
void        _sonde_cookie_list_add_columns          (GtkColumnView  *view);
/* The "Set By" column (the URL of the step that set each cookie), for redirect chains. */
void        _sonde_cookie_list_show_set_by          (GtkColumnView  *view,
                                                     gboolean        show);
char       *_sonde_cookie_list_get_cell             (GListModel     *list,
                                                     guint           row,
                                                     guint           column);

/* What the tests look at. */
GtkWidget     *sonde_response_view_get_page_widget      (SondeResponseView *self,
                                                         const char        *id);
GtkLabel      *sonde_response_view_get_status_label     (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_progress_label   (SondeResponseView *self);
AdwStatusPage *sonde_response_view_get_error_page       (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_error_hint_label (SondeResponseView *self);
GtkWidget     *sonde_response_view_get_tls_warning      (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_body_warning_label (SondeResponseView *self);
GListModel    *sonde_response_view_get_headers_model    (SondeResponseView *self);
GListModel    *sonde_response_view_get_cookies_model    (SondeResponseView *self);
/* Columns: name, value, domain, path, expires, secure, http-only, same-site, set-by. */
char          *sonde_response_view_get_cookie_cell      (SondeResponseView *self,
                                                         guint              row,
                                                         guint              column);
GtkStackPage  *sonde_response_view_get_redirects_page   (SondeResponseView *self);
GtkListBox    *sonde_response_view_get_redirects_list   (SondeResponseView *self);
GtkStackPage  *sonde_response_view_get_checks_page      (SondeResponseView *self);
GtkListBox    *sonde_response_view_get_checks_list      (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_checks_label     (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_timing_total_label (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_timing_value     (SondeResponseView *self,
                                                         guint              phase);

G_END_DECLS
