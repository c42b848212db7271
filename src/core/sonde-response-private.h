/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-response.h"

G_BEGIN_DECLS

/* SondeClient fills a response field by field before handing it over; nothing else
 * writes to it. */
struct _SondeResponse
{
  GObject              parent_instance;

  guint                status;
  char                *reason;
  char                *http_version;
  char                *method;
  char                *url;
  char                *content_type;
  GPtrArray           *redirects;        /* SondeRedirect* */
  GPtrArray           *cookies;          /* SoupCookie*, of every response along redirects */
  GPtrArray           *cookie_urls;      /* char*: the URL whose response set each cookie */
  /* The headers as libsoup holds them, made into lists of SondeKeyValue when first asked
   * for (most responses of a run never are): */
  SoupMessageHeaders  *wire_headers;
  GListStore          *headers;          /* NULL until asked for */
  SoupMessageHeaders  *wire_request_headers;
  char                *request_host;     /* Host, which libsoup writes without storing it */
  GListStore          *request_headers;  /* NULL until asked for */
  SondeBodyStore      *body;
  GFile               *output;
  guint64              body_size;
  guint64              body_wire_size;
  guint64              header_size;
  gboolean             body_truncated;
  char                *body_warning;
  SondeTimings         timings;
  gboolean             is_tls;
  gboolean             tls_verified;
  GTlsCertificateFlags tls_errors;
  GTlsCertificate     *peer_certificate;
  GTlsProtocolVersion  tls_protocol;
  char                *tls_cipher;
  char                *remote_address;
};

SondeResponse *sonde_response_new            (void);
void           sonde_response_add_redirect   (SondeResponse      *self,
                                              guint               status,
                                              const char         *url);
/* A copy of COOKIE, set by the response from URL; redirects included. */
void           sonde_response_add_cookie     (SondeResponse      *self,
                                              SoupCookie         *cookie,
                                              const char         *url);
/* Status, reason, version, URL, headers, TLS and remote address from MSG. */
void           sonde_response_take_message   (SondeResponse      *self,
                                              SoupMessage        *msg);
/* The request headers as written on the wire, HOST first. */
void           sonde_response_set_request_headers (SondeResponse      *self,
                                                   SoupMessageHeaders *headers,
                                                   const char         *host);

G_END_DECLS
