/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sonde-error.h"
#include "sonde-tls.h"
#include "sonde-test-tls.h"
#include "sonde-test-utils.h"

/* Made once: openssl takes a moment per key. */
static SondeTestTls *tls;
static char *scratch_dir;

#define SKIP_WITHOUT_TLS() G_STMT_START { if (tls == NULL) { g_test_skip ("openssl is not available"); return; } } G_STMT_END

static char *
scratch_file (const char *name,
              const char *contents)
{
  char *path = g_build_filename (scratch_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
concat_files (const char *name,
              const char *first,
              const char *second)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *both = NULL;

  g_assert_true (g_file_get_contents (first, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (second, &b, NULL, NULL));
  both = g_strconcat (a, b, NULL);
  return scratch_file (name, both);
}

static void
assert_error_names (const GError *error,
                    const char   *path,
                    const char   *words)
{
  g_assert_nonnull (error);
  if (path != NULL && strstr (error->message, path) == NULL)
    g_error ("“%s” does not name %s", error->message, path);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
}

static GTlsCertificate *
load_server_chain (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *chain = concat_files ("server-chain.pem", tls->server_cert, tls->ca_cert);
  GTlsCertificate *certificate = g_tls_certificate_new_from_file (chain, &error);

  g_assert_no_error (error);
  return certificate;
}

static void
test_database_load (void)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GTlsDatabase) other = NULL;
  g_autoptr(GTlsCertificate) server = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle = NULL;
  GTlsCertificateFlags flags;

  SKIP_WITHOUT_TLS ();

  server = load_server_chain ();
  identity = g_network_address_new ("127.0.0.1", 443);

  database = sonde_tls_load_database_sync (tls->ca_cert, NULL, &error);
  g_assert_no_error (error);
  flags = g_tls_database_verify_chain (database, server, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (flags, ==, 0);

  other = sonde_tls_load_database_sync (tls->other_ca_cert, NULL, &error);
  g_assert_no_error (error);
  flags = g_tls_database_verify_chain (other, server, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (flags & G_TLS_CERTIFICATE_UNKNOWN_CA);

  /* A bundle of several CAs trusts each of them. */
  g_clear_object (&other);
  bundle = concat_files ("bundle.pem", tls->other_ca_cert, tls->ca_cert);
  other = sonde_tls_load_database_sync (bundle, NULL, &error);
  g_assert_no_error (error);
  flags = g_tls_database_verify_chain (other, server, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (flags, ==, 0);
}

static void
database_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask **out = user_data;

  *out = g_object_ref (G_TASK (result));
}

static void
test_database_async (void)
{
  g_autoptr(GTask) result = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (scratch_dir, "missing.pem", NULL);

  SKIP_WITHOUT_TLS ();

  sonde_tls_load_database_async (tls->ca_cert, NULL, database_loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  database = sonde_tls_load_database_finish (G_ASYNC_RESULT (result), &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_TLS_DATABASE (database));
  g_clear_object (&result);

  sonde_tls_load_database_async (missing, NULL, database_loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (sonde_tls_load_database_finish (G_ASYNC_RESULT (result), &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  assert_error_names (error, missing, NULL);
}

static void
test_database_errors (void)
{
  g_autofree char *missing = g_build_filename (scratch_dir, "missing.pem", NULL);
  g_autofree char *text = scratch_file ("notes.txt", "not a certificate\n");
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_TLS ();

  g_assert_null (sonde_tls_load_database_sync (missing, NULL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  assert_error_names (error, missing, "CA file");
  g_clear_error (&error);

  g_assert_null (sonde_tls_load_database_sync (text, NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  assert_error_names (error, text, "no PEM certificate");
  g_clear_error (&error);

  /* A key is not a CA. */
  g_assert_null (sonde_tls_load_database_sync (tls->client_key, NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  assert_error_names (error, tls->client_key, NULL);
}

static void
assert_client_certificate (GTlsCertificate *certificate)
{
  g_autofree char *subject = NULL;
  g_autofree char *key = NULL;

  g_assert_true (G_IS_TLS_CERTIFICATE (certificate));
  subject = g_tls_certificate_get_subject_name (certificate);
  g_assert_cmpstr (subject, ==, "CN=Sonde Test Client");
  g_object_get (certificate, "private-key-pem", &key, NULL);
  g_assert_nonnull (key);
}

static void
test_client_pem (void)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsCertificate) combined_certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *combined = NULL;

  SKIP_WITHOUT_TLS ();

  certificate = sonde_tls_load_client_certificate_sync (tls->client_cert, tls->client_key, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_client_certificate (certificate);

  /* The key may sit in the certificate's file; a passphrase for a plain key is ignored. */
  combined = concat_files ("combined.pem", tls->client_cert, tls->client_key);
  combined_certificate = sonde_tls_load_client_certificate_sync (combined, NULL, NULL, "unused", NULL, &error);
  g_assert_no_error (error);
  assert_client_certificate (combined_certificate);
}

static void
test_client_encrypted_key (void)
{
  const char *keys[2];

  SKIP_WITHOUT_TLS ();

  keys[0] = tls->client_key_encrypted;
  keys[1] = tls->client_key_legacy;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;
      g_autoptr(GError) error = NULL;

      certificate = sonde_tls_load_client_certificate_sync (tls->client_cert, keys[i], NULL,
                                                            SONDE_TEST_TLS_PASSPHRASE, NULL, &error);
      g_assert_no_error (error);
      assert_client_certificate (certificate);

      g_assert_null (sonde_tls_load_client_certificate_sync (tls->client_cert, keys[i], NULL,
                                                             "wrong", NULL, &error));
      g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD);
      assert_error_names (error, keys[i], "Wrong passphrase");
      g_clear_error (&error);

      g_assert_null (sonde_tls_load_client_certificate_sync (tls->client_cert, keys[i], NULL,
                                                             NULL, NULL, &error));
      g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD);
      assert_error_names (error, keys[i], "passphrase is needed");
    }
}

static void
test_client_pkcs12 (void)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_TLS ();

  certificate = sonde_tls_load_client_certificate_sync (NULL, NULL, tls->client_pkcs12,
                                                        SONDE_TEST_TLS_PASSPHRASE, NULL, &error);
  g_assert_no_error (error);
  assert_client_certificate (certificate);

  g_assert_null (sonde_tls_load_client_certificate_sync (NULL, NULL, tls->client_pkcs12, "wrong", NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD);
  assert_error_names (error, tls->client_pkcs12, "Wrong passphrase");
  g_clear_error (&error);

  g_assert_null (sonde_tls_load_client_certificate_sync (NULL, NULL, tls->client_pkcs12, NULL, NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD);
  assert_error_names (error, tls->client_pkcs12, "passphrase is needed");
  g_clear_error (&error);

  /* A PEM file is not a PKCS #12 file. */
  g_assert_null (sonde_tls_load_client_certificate_sync (NULL, NULL, tls->client_cert, "x", NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  assert_error_names (error, tls->client_cert, "PKCS #12");
}

static void
test_client_errors (void)
{
  g_autofree char *missing = g_build_filename (scratch_dir, "missing.pem", NULL);
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_TLS ();

  /* The key of another certificate. */
  g_assert_null (sonde_tls_load_client_certificate_sync (tls->client_cert, tls->other_client_key, NULL, NULL, NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  assert_error_names (error, tls->other_client_key, "does not belong");
  assert_error_names (error, tls->client_cert, NULL);
  g_clear_error (&error);

  g_assert_null (sonde_tls_load_client_certificate_sync (missing, tls->client_key, NULL, NULL, NULL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  assert_error_names (error, missing, "Could not read");
  g_clear_error (&error);

  g_assert_null (sonde_tls_load_client_certificate_sync (tls->client_cert, missing, NULL, NULL, NULL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  assert_error_names (error, missing, "private key");
  g_clear_error (&error);

  g_assert_null (sonde_tls_load_client_certificate_sync (NULL, NULL, missing, "x", NULL, &error));
  g_assert_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE);
  assert_error_names (error, missing, NULL);
  g_clear_error (&error);

  /* A key where the certificate should be, and a certificate where the key should be. */
  g_assert_null (sonde_tls_load_client_certificate_sync (tls->client_key, tls->client_key, NULL, NULL, NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  assert_error_names (error, tls->client_key, "no PEM certificate");
  g_clear_error (&error);

  g_assert_null (sonde_tls_load_client_certificate_sync (tls->client_cert, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  assert_error_names (error, tls->client_cert, "no PEM private key");
}

/* A file OpenSSL wrote that g_tls_certificate_new_from_pkcs12 () of glib-networking 2.74 refuses
 * ("ASN1 parser: Error in TAG": it may try the file without its passphrase first), as about one
 * file in a hundred is; Sonde parses PKCS #12 itself and loads it. */
static void
test_client_pkcs12_first_try (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "tls", "one-in-a-hundred.p12", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;

  certificate = sonde_tls_load_client_certificate_sync (NULL, NULL, path, SONDE_TEST_TLS_PASSPHRASE, NULL, &error);
  g_assert_no_error (error);
  g_object_get (certificate, "subject-name", &subject, NULL);
  g_assert_cmpstr (subject, ==, "CN=Sonde Test Client");
  g_assert_nonnull (g_tls_certificate_get_issuer (certificate));

  g_assert_null (sonde_tls_load_client_certificate_sync (NULL, NULL, path, "wrong", NULL, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD);
}

static void
test_client_async (void)
{
  g_autoptr(GTask) result = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_TLS ();

  sonde_tls_load_client_certificate_async (NULL, NULL, tls->client_pkcs12, SONDE_TEST_TLS_PASSPHRASE,
                                           NULL, database_loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  certificate = sonde_tls_load_client_certificate_finish (G_ASYNC_RESULT (result), &error);
  g_assert_no_error (error);
  assert_client_certificate (certificate);
  g_clear_object (&result);

  sonde_tls_load_client_certificate_async (tls->client_cert, tls->client_key_encrypted, NULL, "nope",
                                           NULL, database_loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (sonde_tls_load_client_certificate_finish (G_ASYNC_RESULT (result), &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD);
}

/* A real handshake with a plain SoupSession: the test server, the loaders and the
 * description of the peer chain together. */
static void
test_handshake (void)
{
  g_autoptr(GUri) base = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(SoupServer) strict_server = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GTlsCertificate) client = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *json_text = NULL;
  SondeTlsCertificateInfo *leaf;

  SKIP_WITHOUT_TLS ();

  server = sonde_test_tls_server_new (tls, FALSE, &base);
  database = sonde_tls_load_database_sync (tls->ca_cert, NULL, &error);
  g_assert_no_error (error);

  /* Without the CA: not trusted. */
  session = soup_session_new ();
  msg = soup_message_new_from_uri ("GET", base);
  body = sonde_test_session_fetch (session, msg, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_true (soup_message_get_tls_peer_certificate_errors (msg) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_clear_error (&error);
  g_clear_object (&msg);
  g_clear_object (&session);

  session = soup_session_new_with_options ("tls-database", database, NULL);
  msg = soup_message_new_from_uri ("GET", base);
  body = sonde_test_session_fetch (session, msg, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (body, ==, "client: none\n");
  g_assert_cmpint (soup_message_get_tls_peer_certificate_errors (msg), ==, 0);
  g_assert_nonnull (sonde_tls_protocol_to_string (soup_message_get_tls_protocol_version (msg)));
  g_assert_nonnull (soup_message_get_tls_ciphersuite_name (msg));

  chain = sonde_tls_describe_chain (soup_message_get_tls_peer_certificate (msg));
  g_assert_cmpuint (chain->len, >=, 1);
  leaf = g_ptr_array_index (chain, 0);
  g_assert_cmpstr (leaf->subject, ==, "CN=localhost");
  g_assert_cmpstr (leaf->issuer, ==, "CN=Sonde Test CA");
  g_assert_nonnull (leaf->not_before);
  g_assert_nonnull (leaf->not_after);
  g_assert_cmpint (g_date_time_compare (leaf->not_before, leaf->not_after), <, 0);
  json = sonde_tls_chain_to_json (soup_message_get_tls_peer_certificate (msg));
  json_text = json_to_string (json, FALSE);
  g_assert_true (g_str_has_prefix (json_text, "[{\"subject\":\"CN=localhost\",\"issuer\":\"CN=Sonde Test CA\",\"notBefore\":\""));
  g_clear_object (&msg);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&base, g_uri_unref);

  /* A server that requires a client certificate. */
  strict_server = sonde_test_tls_server_new (tls, TRUE, &base);
  for (guint i = 0; i < 2; i++)
    {
      /* Our loaders' certificates work in a real handshake: a decrypted PEM key, PKCS #12. */
      if (i == 0)
        client = sonde_tls_load_client_certificate_sync (tls->client_cert, tls->client_key_encrypted, NULL,
                                                         SONDE_TEST_TLS_PASSPHRASE, NULL, &error);
      else
        client = sonde_tls_load_client_certificate_sync (NULL, NULL, tls->client_pkcs12,
                                                         SONDE_TEST_TLS_PASSPHRASE, NULL, &error);
      g_assert_no_error (error);
      msg = soup_message_new_from_uri ("GET", base);
      soup_message_set_tls_client_certificate (msg, client);
      body = sonde_test_session_fetch (session, msg, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (body, ==, "client: CN=Sonde Test Client\n");
      g_clear_object (&msg);
      g_clear_object (&client);
      g_clear_pointer (&body, g_free);
      /* A new connection for the next certificate. */
      soup_session_abort (session);
    }
}

static void
test_words (void)
{
  g_autofree char *flags = NULL;

  g_assert_cmpstr (sonde_tls_protocol_to_string (G_TLS_PROTOCOL_VERSION_TLS_1_3), ==, "TLS 1.3");
  g_assert_cmpstr (sonde_tls_protocol_to_string (G_TLS_PROTOCOL_VERSION_TLS_1_2), ==, "TLS 1.2");
  g_assert_null (sonde_tls_protocol_to_string (G_TLS_PROTOCOL_VERSION_UNKNOWN));
  g_assert_null (sonde_tls_certificate_flags_to_string (0));
  flags = sonde_tls_certificate_flags_to_string (G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_EXPIRED);
  g_assert_cmpstr (flags, ==, "not trusted (unknown certificate authority), expired");
}

static void
remove_scratch (void)
{
  GDir *dir = g_dir_open (scratch_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch_dir, name, NULL);

      g_unlink (path);
    }
  g_clear_pointer (&dir, g_dir_close);
  g_rmdir (scratch_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  tls = sonde_test_tls_new (&error);
  if (tls == NULL)
    g_test_message ("No test certificates: %s", error->message);
  scratch_dir = g_dir_make_tmp ("sonde-test-tls-XXXXXX", NULL);

  g_test_add_func ("/tls/database/load", test_database_load);
  g_test_add_func ("/tls/database/async", test_database_async);
  g_test_add_func ("/tls/database/errors", test_database_errors);
  g_test_add_func ("/tls/client/pem", test_client_pem);
  g_test_add_func ("/tls/client/encrypted-key", test_client_encrypted_key);
  g_test_add_func ("/tls/client/pkcs12", test_client_pkcs12);
  g_test_add_func ("/tls/client/pkcs12-first-try", test_client_pkcs12_first_try);
  g_test_add_func ("/tls/client/errors", test_client_errors);
  g_test_add_func ("/tls/client/async", test_client_async);
  g_test_add_func ("/tls/handshake", test_handshake);
  g_test_add_func ("/tls/words", test_words);

  status = g_test_run ();

  g_clear_pointer (&tls, sonde_test_tls_free);
  remove_scratch ();
  g_free (scratch_dir);
  return status;
}
