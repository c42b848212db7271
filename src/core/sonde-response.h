/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "sonde-body-store.h"

G_BEGIN_DECLS

/* Durations in milliseconds; -1 when the phase did not happen (no redirect, a reused
 * connection, a host given as an IP address, no TLS). Each phase lasts from its own point
 * in SoupMessageMetrics to the next point present, so the phases add up to TOTAL. */
typedef struct
{
  double redirects;    /* the responses before the final one, when redirects were followed */
  double queued;       /* before the first phase below: setup, waiting for a connection */
  double dns;
  double connect;      /* TCP connect, TLS handshake excluded */
  double tls;
  double request_sent; /* from the first byte of the request to the last */
  double first_byte;   /* from request written to first response byte ("waiting") */
  double download;     /* from first byte to the last body byte */
  double finishing;    /* from the last body byte to the response handed over */
  double total;        /* from sonde_client_send_async () to the response handed over */
} SondeTimings;

typedef struct
{
  guint  status;
  char  *url;          /* the URL that answered with STATUS */
  GStrv  dropped;      /* header names not sent to the next URL, another origin; or NULL */
} SondeRedirect;

/* A received response. 404s and 500s are responses; only transport failures are errors.
 * Immutable once the client hands it over. */
#define SONDE_TYPE_RESPONSE (sonde_response_get_type ())
G_DECLARE_FINAL_TYPE (SondeResponse, sonde_response, SONDE, RESPONSE, GObject)

guint                sonde_response_get_status          (SondeResponse *self);
const char          *sonde_response_get_reason          (SondeResponse *self);
const char          *sonde_response_get_http_version    (SondeResponse *self); /* "HTTP/1.1" */
const char          *sonde_response_get_method          (SondeResponse *self); /* as sent, after redirects */
const char          *sonde_response_get_url             (SondeResponse *self); /* final URL */
GPtrArray           *sonde_response_get_redirects       (SondeResponse *self); /* SondeRedirect*, in order */
GListModel          *sonde_response_get_headers         (SondeResponse *self); /* SondeKeyValue, in order, duplicates kept */
const char          *sonde_response_get_header          (SondeResponse *self, const char *name); /* first, case-insensitive */
const char          *sonde_response_get_content_type    (SondeResponse *self); /* media type only, or NULL */
GPtrArray           *sonde_response_get_cookies         (SondeResponse *self); /* SoupCookie*, from the Set-Cookie of every response along redirects */
const char          *sonde_response_get_cookie_url      (SondeResponse *self, guint index); /* the URL whose response set it */
GListModel          *sonde_response_get_request_headers (SondeResponse *self); /* what was actually sent */
SondeBodyStore      *sonde_response_get_body            (SondeResponse *self); /* NULL when written to a file */
GFile               *sonde_response_get_output          (SondeResponse *self); /* the file the body went to, or NULL */
guint64              sonde_response_get_body_size       (SondeResponse *self); /* decoded bytes received */
guint64              sonde_response_get_body_wire_size  (SondeResponse *self); /* bytes on the wire */
guint64              sonde_response_get_header_size     (SondeResponse *self);
/* TRUE when the body stopped at the request's max-body-size; the warning says so in words. */
gboolean             sonde_response_get_body_truncated  (SondeResponse *self);
const char          *sonde_response_get_body_warning    (SondeResponse *self);
const SondeTimings  *sonde_response_get_timings         (SondeResponse *self);
gboolean             sonde_response_get_is_tls          (SondeResponse *self);
gboolean             sonde_response_get_tls_verified    (SondeResponse *self); /* FALSE when verification was off and errors were accepted */
GTlsCertificateFlags sonde_response_get_tls_errors      (SondeResponse *self);
GTlsCertificate     *sonde_response_get_peer_certificate (SondeResponse *self);
/* SondeTlsCertificateInfo* (sonde-tls.h), leaf first: subject, issuer, validity. */
GPtrArray           *sonde_response_get_tls_chain       (SondeResponse *self);
GTlsProtocolVersion  sonde_response_get_tls_protocol    (SondeResponse *self);
const char          *sonde_response_get_tls_cipher      (SondeResponse *self);
const char          *sonde_response_get_remote_address  (SondeResponse *self);

G_END_DECLS
