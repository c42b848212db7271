/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Problems with what the user wrote: a request file, a variable, a header, a URL.
 * sonde-cli exits with 2 on these. */
#define SONDE_REQUEST_ERROR (sonde_request_error_quark ())
typedef enum
{
  SONDE_REQUEST_ERROR_PARSE,              /* the file is not valid JSON (message has line and column) */
  SONDE_REQUEST_ERROR_INVALID_VALUE,      /* valid JSON, but a field has the wrong type or value */
  SONDE_REQUEST_ERROR_UNDEFINED_VARIABLE, /* {{name}} with no value */
  SONDE_REQUEST_ERROR_INVALID_URL,
  SONDE_REQUEST_ERROR_INVALID_METHOD,
  SONDE_REQUEST_ERROR_INVALID_HEADER,
  SONDE_REQUEST_ERROR_FILE_UNREADABLE,    /* an upload/body/certificate file cannot be read */
  SONDE_REQUEST_ERROR_FILE_TOO_LARGE,     /* a file Sonde reads whole is over its limit */
  SONDE_REQUEST_ERROR_FILE_OUTSIDE,       /* a collection's request names a file outside it */
} SondeRequestError;

/* Transport failures that are not plain GIO/TLS errors. sonde-cli exits with 1 on these. */
#define SONDE_CLIENT_ERROR (sonde_client_error_quark ())
typedef enum
{
  SONDE_CLIENT_ERROR_TIMED_OUT,
  SONDE_CLIENT_ERROR_TOO_MANY_REDIRECTS,
  SONDE_CLIENT_ERROR_BAD_REDIRECT,
  SONDE_CLIENT_ERROR_PROXY_AUTH,
  SONDE_CLIENT_ERROR_TLS,
  SONDE_CLIENT_ERROR_FAILED,
  SONDE_CLIENT_ERROR_AUTH,      /* no OAuth 2.0 token could be had */
} SondeClientError;

GQuark sonde_request_error_quark (void);
GQuark sonde_client_error_quark  (void);

G_END_DECLS
