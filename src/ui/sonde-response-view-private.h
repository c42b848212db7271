/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-response-view.h"

G_BEGIN_DECLS

/* What the tests look at. */
GtkLabel      *sonde_response_view_get_status_label     (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_progress_label   (SondeResponseView *self);
AdwStatusPage *sonde_response_view_get_error_page       (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_error_hint_label (SondeResponseView *self);
GtkWidget     *sonde_response_view_get_tls_warning      (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_body_warning_label (SondeResponseView *self);
GListModel    *sonde_response_view_get_headers_model    (SondeResponseView *self);
GListModel    *sonde_response_view_get_cookies_model    (SondeResponseView *self);
/* Columns: name, value, domain, path, expires, secure, http-only, same-site. */
char          *sonde_response_view_get_cookie_cell      (SondeResponseView *self,
                                                         guint              row,
                                                         guint              column);
GtkStackPage  *sonde_response_view_get_redirects_page   (SondeResponseView *self);
GtkLabel      *sonde_response_view_get_timing_value     (SondeResponseView *self,
                                                         guint              phase);

G_END_DECLS
