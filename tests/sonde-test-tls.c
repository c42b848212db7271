/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-test-tls"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sonde-test-tls.h"

/* EC keys: generating RSA keys would take most of the time of a TLS test. */
#define KEY_ALGORITHM "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"

static gboolean
run_openssl (const char  *dir,
             GError     **error,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) "openssl");
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);

      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s failed: %s", command, err);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_text (const char  *dir,
            const char  *name,
            const char  *text,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

/* A certificate NAME.pem + NAME.key signed by CA (CA.pem, CA.key), with EXTENSIONS. */
static gboolean
make_signed (const char  *dir,
             const char  *name,
             const char  *subject,
             const char  *ca,
             const char  *extensions,
             GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);
  g_autofree char *ext = g_strconcat (name, ".ext", NULL);
  g_autofree char *ca_cert = g_strconcat (ca, ".pem", NULL);
  g_autofree char *ca_key = g_strconcat (ca, ".key", NULL);
  g_autofree char *ca_serial = g_strconcat (ca, ".srl", NULL);

  return write_text (dir, ext, extensions, error) &&
         run_openssl (dir, error, "req", "-new", "-newkey", KEY_ALGORITHM, "-nodes",
                      "-keyout", key, "-out", csr, "-subj", subject, NULL) &&
         run_openssl (dir, error, "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
                      "-CAserial", ca_serial, "-CAcreateserial", "-days", "2", "-sha256",
                      "-extfile", ext, "-out", cert, NULL);
}

static gboolean
make_ca (const char  *dir,
         const char  *name,
         const char  *subject,
         GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);

  return run_openssl (dir, error, "req", "-x509", "-newkey", KEY_ALGORITHM, "-nodes",
                      "-keyout", key, "-out", cert, "-days", "2", "-sha256", "-subj", subject,
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
}

#define SERVER_EXTENSIONS \
  "subjectAltName=IP:127.0.0.1,DNS:localhost\n" \
  "basicConstraints=CA:FALSE\n" \
  "keyUsage=critical,digitalSignature,keyEncipherment\n" \
  "extendedKeyUsage=serverAuth\n"
#define CLIENT_EXTENSIONS \
  "basicConstraints=CA:FALSE\n" \
  "keyUsage=critical,digitalSignature\n" \
  "extendedKeyUsage=clientAuth\n"

SondeTestTls *
sonde_test_tls_new (GError **error)
{
  g_autoptr(SondeTestTls) tls = g_new0 (SondeTestTls, 1);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  const char *pass = "pass:" SONDE_TEST_TLS_PASSPHRASE;

  if (openssl == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "openssl is not installed (package openssl)");
      return NULL;
    }

  tls->dir = g_dir_make_tmp ("sonde-tls-XXXXXX", error);
  if (tls->dir == NULL)
    return NULL;

  if (!make_ca (tls->dir, "ca", "/CN=Sonde Test CA", error) ||
      !make_signed (tls->dir, "server", "/CN=localhost", "ca", SERVER_EXTENSIONS, error) ||
      !make_signed (tls->dir, "client", "/CN=Sonde Test Client", "ca", CLIENT_EXTENSIONS, error) ||
      !run_openssl (tls->dir, error, "pkey", "-in", "client.key", "-aes256", "-passout", pass,
                    "-out", "client-encrypted.key", NULL) ||
      !run_openssl (tls->dir, error, "pkey", "-in", "client.key", "-traditional", "-aes256",
                    "-passout", pass, "-out", "client-legacy.key", NULL) ||
      !run_openssl (tls->dir, error, "pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key",
                    "-certfile", "ca.pem", "-name", "Sonde Test Client", "-passout", pass,
                    "-out", "client.p12", NULL) ||
      !make_ca (tls->dir, "other-ca", "/CN=Sonde Other CA", error) ||
      !make_signed (tls->dir, "other-client", "/CN=Sonde Other Client", "other-ca", CLIENT_EXTENSIONS, error))
    return NULL;

  tls->ca_cert = g_build_filename (tls->dir, "ca.pem", NULL);
  tls->server_cert = g_build_filename (tls->dir, "server.pem", NULL);
  tls->server_key = g_build_filename (tls->dir, "server.key", NULL);
  tls->client_cert = g_build_filename (tls->dir, "client.pem", NULL);
  tls->client_key = g_build_filename (tls->dir, "client.key", NULL);
  tls->client_key_encrypted = g_build_filename (tls->dir, "client-encrypted.key", NULL);
  tls->client_key_legacy = g_build_filename (tls->dir, "client-legacy.key", NULL);
  tls->client_pkcs12 = g_build_filename (tls->dir, "client.p12", NULL);
  tls->other_ca_cert = g_build_filename (tls->dir, "other-ca.pem", NULL);
  tls->other_client_cert = g_build_filename (tls->dir, "other-client.pem", NULL);
  tls->other_client_key = g_build_filename (tls->dir, "other-client.key", NULL);

  return g_steal_pointer (&tls);
}

void
sonde_test_tls_free (SondeTestTls *tls)
{
  if (tls->dir != NULL)
    {
      GDir *dir = g_dir_open (tls->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (tls->dir, name, NULL);

          g_unlink (path);
        }
      g_clear_pointer (&dir, g_dir_close);
      g_rmdir (tls->dir);
    }

  g_free (tls->dir);
  g_free (tls->ca_cert);
  g_free (tls->server_cert);
  g_free (tls->server_key);
  g_free (tls->client_cert);
  g_free (tls->client_key);
  g_free (tls->client_key_encrypted);
  g_free (tls->client_key_legacy);
  g_free (tls->client_pkcs12);
  g_free (tls->other_ca_cert);
  g_free (tls->other_client_cert);
  g_free (tls->other_client_key);
  g_free (tls);
}

static void
tls_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  g_autofree char *subject = peer != NULL ? g_tls_certificate_get_subject_name (peer) : NULL;
  g_autofree char *text = g_strdup_printf ("client: %s\n", subject != NULL ? subject : "none");

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

/* glib-networking asks a server to accept every client certificate, even a verified one. */
static gboolean
client_certificate_cb (SoupServerMessage    *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return errors == 0;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (client_certificate_cb), NULL);
}

SoupServer *
sonde_test_tls_server_new (SondeTestTls  *tls,
                           gboolean       require_client_cert,
                           GUri         **base_uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (tls->server_cert, tls->server_key, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);

  if (require_client_cert)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (tls->ca_cert, &error);

      g_assert_no_error (error);
      soup_server_set_tls_database (server, database);
      soup_server_set_tls_auth_mode (server, G_TLS_AUTHENTICATION_REQUIRED);
      g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
    }

  soup_server_add_handler (server, NULL, tls_handler, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  if (base_uri != NULL)
    *base_uri = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&server);
}
