/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define SONDE_TEST_TLS_PASSPHRASE "sonde test passphrase"

/* Certificates made at test time with the openssl command line, in a temp folder removed by
 * sonde_test_tls_free (). All paths are absolute. */
typedef struct
{
  char *dir;

  char *ca_cert;               /* "Sonde Test CA" */
  char *server_cert;           /* CN=localhost, SAN IP:127.0.0.1 DNS:localhost, signed by the CA */
  char *server_key;
  char *client_cert;           /* CN=Sonde Test Client, signed by the CA */
  char *client_key;            /* PEM, unencrypted */
  char *client_key_encrypted;  /* PKCS#8 PEM, AES-256, SONDE_TEST_TLS_PASSPHRASE */
  char *client_key_legacy;     /* traditional PEM with Proc-Type: 4,ENCRYPTED, same passphrase */
  char *client_pkcs12;         /* cert + key + CA, SONDE_TEST_TLS_PASSPHRASE */

  char *other_ca_cert;         /* "Sonde Other CA" */
  char *other_client_cert;     /* signed by the other CA */
  char *other_client_key;
} SondeTestTls;

/* NULL with a reason when openssl is missing or fails. */
SondeTestTls *sonde_test_tls_new                  (GError       **error);
void          sonde_test_tls_free                 (SondeTestTls  *tls);

/* An HTTPS SoupServer on 127.0.0.1 with the server certificate. REQUIRE_CLIENT_CERT: the
 * handshake requires a client certificate that chains to the (first) CA. *BASE_URI is
 * "https://127.0.0.1:PORT/". The handler answers every path with 200 and
 * "client: <subject of the client certificate or none>". */
SoupServer   *sonde_test_tls_server_new           (SondeTestTls  *tls,
                                                   gboolean       require_client_cert,
                                                   GUri         **base_uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeTestTls, sonde_test_tls_free)

G_END_DECLS
