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
  GListStore          *headers;          /* SondeKeyValue */
  GPtrArray           *cookies;          /* SoupCookie*, of every response along redirects */
  GPtrArray           *cookie_urls;      /* char*: the URL whose response set each cookie */
  GListStore          *request_headers;  /* SondeKeyValue */
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
/* HEADERS in order, duplicates kept, into a new SondeKeyValue list. */
GListStore    *sonde_headers_to_list         (SoupMessageHeaders *headers);

G_END_DECLS
