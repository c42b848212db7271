/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The hash AWS signs for a body it is not asked to check (S3 only). */
#define SONDE_AWS_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

typedef struct
{
  const char *access_key;
  const char *secret_key;
  const char *session_token;   /* NULL or "": none */
  const char *region;
  const char *service;
} SondeAwsCredentials;

char *sonde_aws_sigv4_hash_hex           (const guint8              *data,
                                          gsize                      length);
char *sonde_aws_sigv4_canonical_request  (SoupMessageHeaders        *headers,
                                          const char                *method,
                                          const char                *host,
                                          const char                *path,
                                          const char                *query,
                                          const char                *payload_hash,
                                          gboolean                   s3,
                                          char                     **signed_headers);
void  sonde_aws_sigv4_sign               (SoupMessageHeaders        *headers,
                                          const char                *method,
                                          const char                *host,
                                          const char                *path,
                                          const char                *query,
                                          const char                *payload_hash,
                                          const SondeAwsCredentials *credentials,
                                          GDateTime                 *now);

G_END_DECLS
