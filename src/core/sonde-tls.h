/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* TLS material for requests (docs/architecture.md): CA files, client certificates, and words for
 * what the handshake did. Loading runs in a worker thread; the _sync variants are for
 * threads and tests.
 *
 * Errors name the file and the cause:
 *   SONDE_REQUEST_ERROR_FILE_UNREADABLE      the file cannot be read
 *   G_TLS_ERROR_BAD_CERTIFICATE              not a certificate / not a key / not PKCS#12,
 *                                            or the key does not belong to the certificate
 *   G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD     a passphrase is needed, or it is wrong */

/* A database trusting the certificates of CA_FILE (PEM, one or many). */
GTlsDatabase    *sonde_tls_load_database_sync            (const char           *ca_file,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
void             sonde_tls_load_database_async           (const char           *ca_file,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GTlsDatabase    *sonde_tls_load_database_finish          (GAsyncResult         *result,
                                                          GError              **error);

/* Either CERT_FILE (PEM; KEY_FILE NULL: the key is in CERT_FILE too) with an optional
 * encrypted or plain PEM KEY_FILE, or PKCS12_FILE (.p12/.pfx). PASSPHRASE may be NULL. */
GTlsCertificate *sonde_tls_load_client_certificate_sync  (const char           *cert_file,
                                                          const char           *key_file,
                                                          const char           *pkcs12_file,
                                                          const char           *passphrase,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
void             sonde_tls_load_client_certificate_async (const char           *cert_file,
                                                          const char           *key_file,
                                                          const char           *pkcs12_file,
                                                          const char           *passphrase,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GTlsCertificate *sonde_tls_load_client_certificate_finish (GAsyncResult        *result,
                                                          GError              **error);

/* One certificate of a peer chain. */
typedef struct
{
  char      *subject;     /* RFC 4514 string, e.g. "CN=localhost" */
  char      *issuer;
  GDateTime *not_before;  /* nullable */
  GDateTime *not_after;   /* nullable */
} SondeTlsCertificateInfo;

void             sonde_tls_certificate_info_free         (SondeTlsCertificateInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeTlsCertificateInfo, sonde_tls_certificate_info_free)

/* SondeTlsCertificateInfo*, the leaf first, following the issuers; empty for NULL. */
GPtrArray       *sonde_tls_describe_chain                (GTlsCertificate      *certificate);
/* [{"subject", "issuer", "notBefore", "notAfter"}] with ISO 8601 UTC times. */
JsonNode        *sonde_tls_chain_to_json                 (GTlsCertificate      *certificate);

/* "TLS 1.3", "DTLS 1.2", … ; NULL for G_TLS_PROTOCOL_VERSION_UNKNOWN. */
const char      *sonde_tls_protocol_to_string            (GTlsProtocolVersion   version);
/* "not trusted (unknown certificate authority), expired", translated; NULL when FLAGS is 0. */
char            *sonde_tls_certificate_flags_to_string   (GTlsCertificateFlags  flags);

G_END_DECLS
