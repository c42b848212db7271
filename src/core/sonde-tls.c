/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-tls"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>

#include "sonde-error.h"
#include "sonde-library.h"
#include "sonde-request-io.h"
#include "sonde-tls.h"

/* GnuTLS is opened the first time a CA file, certificate, key or PKCS #12 file is read. Linked,
 * it and the libraries it brings were 2.3 MiB resident in every window and CLI run, and set
 * themselves up at each start, for what most requests never use; glib-networking opens the
 * same library when a first TLS connection is made (docs/architecture.md). */
#define GNUTLS_FUNCTIONS(F) \
  F (strerror) \
  F (x509_crt_list_import2) F (x509_crt_deinit) F (x509_crt_get_key_id) F (x509_crt_export2) \
  F (x509_privkey_init) F (x509_privkey_deinit) F (x509_privkey_import2) \
  F (x509_privkey_get_key_id) F (x509_privkey_export2_pkcs8) \
  F (pkcs12_init) F (pkcs12_deinit) F (pkcs12_import) F (pkcs12_verify_mac) F (pkcs12_simple_parse)

/* Laid out as pointers in the order of gnutls_symbols, for sonde_library_open () */
static struct
{
#define FUNCTION_POINTER(name) __typeof__ (gnutls_##name) *name;
  GNUTLS_FUNCTIONS (FUNCTION_POINTER)
#undef FUNCTION_POINTER
  gnutls_free_function *free;  /* a variable in GnuTLS, holding its free () */
} gnutls_lib;

static gboolean
gnutls_lib_open (GError **error)
{
#ifdef SONDE_GNUTLS_LINKED
  /* The sanitizer build (src/core/meson.build says why) */
#define LINKED(name) gnutls_lib.name = gnutls_##name;
  GNUTLS_FUNCTIONS (LINKED)
#undef LINKED
  gnutls_lib.free = &gnutls_free;
#else
  static SondeLibrary library = SONDE_LIBRARY_INIT ("libgnutls.so.30");
  static const char * const gnutls_symbols[] = {
#define SYMBOL(name) "gnutls_" #name,
    GNUTLS_FUNCTIONS (SYMBOL)
#undef SYMBOL
    "gnutls_free", NULL
  };

  G_STATIC_ASSERT (sizeof gnutls_lib == (G_N_ELEMENTS (gnutls_symbols) - 1) * sizeof (gpointer));
  if (!sonde_library_open (&library, gnutls_symbols, (gpointer *) &gnutls_lib))
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE,
                           _("GnuTLS, which reads certificates and keys, could not be loaded"));
      return FALSE;
    }
#endif
  return TRUE;
}

/* A CA file adds trust to the system's: GTlsFileDatabase alone would trust only the file.
 * Chains are checked against the file first, then against the system database. */
#define SONDE_TYPE_TLS_DATABASE (sonde_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (SondeTlsDatabase, sonde_tls_database, SONDE, TLS_DATABASE, GTlsDatabase)

struct _SondeTlsDatabase
{
  GTlsDatabase  parent_instance;

  /* Owned */
  GTlsDatabase *extra;
  GTlsDatabase *system;  /* NULL when the backend has none */
};

G_DEFINE_FINAL_TYPE (SondeTlsDatabase, sonde_tls_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
sonde_tls_database_verify_chain (GTlsDatabase             *database,
                                 GTlsCertificate          *chain,
                                 const char               *purpose,
                                 GSocketConnectable       *identity,
                                 GTlsInteraction          *interaction,
                                 GTlsDatabaseVerifyFlags   flags,
                                 GCancellable             *cancellable,
                                 GError                  **error)
{
  SondeTlsDatabase *self = SONDE_TLS_DATABASE (database);
  GTlsCertificateFlags result;

  result = g_tls_database_verify_chain (self->extra, chain, purpose, identity, interaction,
                                        flags, cancellable, error);
  if ((result & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0 || self->system == NULL)
    return result;
  if (error != NULL && *error != NULL)
    return result;

  return g_tls_database_verify_chain (self->system, chain, purpose, identity, interaction,
                                      flags, cancellable, error);
}

static GTlsCertificate *
sonde_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                              GTlsCertificate          *certificate,
                                              GTlsInteraction          *interaction,
                                              GTlsDatabaseLookupFlags   flags,
                                              GCancellable             *cancellable,
                                              GError                  **error)
{
  SondeTlsDatabase *self = SONDE_TLS_DATABASE (database);
  GTlsCertificate *issuer;
  g_autoptr(GError) local_error = NULL;

  issuer = g_tls_database_lookup_certificate_issuer (self->extra, certificate, interaction, flags,
                                                     cancellable, &local_error);
  if (issuer != NULL || local_error != NULL || self->system == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return issuer;
    }
  return g_tls_database_lookup_certificate_issuer (self->system, certificate, interaction, flags,
                                                   cancellable, error);
}

static GList *
sonde_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                  GByteArray               *issuer_raw_dn,
                                                  GTlsInteraction          *interaction,
                                                  GTlsDatabaseLookupFlags   flags,
                                                  GCancellable             *cancellable,
                                                  GError                  **error)
{
  SondeTlsDatabase *self = SONDE_TLS_DATABASE (database);

  return g_tls_database_lookup_certificates_issued_by (self->extra, issuer_raw_dn, interaction,
                                                       flags, cancellable, error);
}

static char *
sonde_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                              GTlsCertificate *certificate)
{
  SondeTlsDatabase *self = SONDE_TLS_DATABASE (database);

  return g_tls_database_create_certificate_handle (self->extra, certificate);
}

static GTlsCertificate *
sonde_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                                  const char               *handle,
                                                  GTlsInteraction          *interaction,
                                                  GTlsDatabaseLookupFlags   flags,
                                                  GCancellable             *cancellable,
                                                  GError                  **error)
{
  SondeTlsDatabase *self = SONDE_TLS_DATABASE (database);

  return g_tls_database_lookup_certificate_for_handle (self->extra, handle, interaction, flags,
                                                       cancellable, error);
}

static void
sonde_tls_database_finalize (GObject *object)
{
  SondeTlsDatabase *self = SONDE_TLS_DATABASE (object);

  g_clear_object (&self->extra);
  g_clear_object (&self->system);

  G_OBJECT_CLASS (sonde_tls_database_parent_class)->finalize (object);
}

static void
sonde_tls_database_class_init (SondeTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = sonde_tls_database_finalize;
  database_class->verify_chain = sonde_tls_database_verify_chain;
  database_class->lookup_certificate_issuer = sonde_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = sonde_tls_database_lookup_certificates_issued_by;
  database_class->create_certificate_handle = sonde_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = sonde_tls_database_lookup_certificate_for_handle;
}

static void
sonde_tls_database_init (SondeTlsDatabase *self)
{
}

/* Files */

static gboolean
read_file (const char  *path,
           const char  *what,
           char       **contents,
           gsize       *length,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (!sonde_file_load_bounded (file, SONDE_MAX_CERTIFICATE_FILE_SIZE, contents, length, NULL, &local_error))
    {
      /* Not a regular file, or too large to be a certificate file: the message names it. */
      if (local_error->domain == SONDE_REQUEST_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* TRANSLATORS: the first %s is "the CA file", "the certificate", … */
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                   _("Could not read %s “%s”: %s"), what, path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
wipe_and_free (char  *data,
               gsize  length)
{
  if (data == NULL)
    return;
  explicit_bzero (data, length);
  g_free (data);
}

/* The certificates of PEM, or an error naming PATH. */
static gboolean
import_certificates (const char          *path,
                     const char          *what,
                     const char          *pem,
                     gsize                length,
                     gnutls_x509_crt_t  **certificates,
                     unsigned int        *n_certificates,
                     GError             **error)
{
  gnutls_datum_t datum = { (unsigned char *) pem, (unsigned int) length };
  int ret;

  *certificates = NULL;
  *n_certificates = 0;
  if (strstr (pem, "-----BEGIN CERTIFICATE-----") == NULL)
    ret = GNUTLS_E_BASE64_DECODING_ERROR;
  else
    ret = gnutls_lib.x509_crt_list_import2 (certificates, n_certificates, &datum, GNUTLS_X509_FMT_PEM, 0);

  if (ret < 0 || *n_certificates == 0)
    {
      /* TRANSLATORS: the first %s is "the CA file" or "the certificate" */
      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                   _("%s “%s” holds no PEM certificate (%s)"), what, path,
                   ret < 0 ? gnutls_lib.strerror (ret) : _("it is empty"));
      return FALSE;
    }
  return TRUE;
}

static void
free_certificates (gnutls_x509_crt_t *certificates,
                   unsigned int       n_certificates)
{
  for (unsigned int i = 0; i < n_certificates; i++)
    gnutls_lib.x509_crt_deinit (certificates[i]);
  (*gnutls_lib.free) (certificates);
}

GTlsDatabase *
sonde_tls_load_database_sync (const char    *ca_file,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GTlsDatabase) extra = NULL;
  g_autoptr(GError) local_error = NULL;
  gnutls_x509_crt_t *certificates;
  unsigned int n_certificates;
  SondeTlsDatabase *database;

  g_return_val_if_fail (ca_file != NULL, NULL);

  if (!gnutls_lib_open (error) || !read_file (ca_file, _("the CA file"), &contents, NULL, error))
    return NULL;
  if (!import_certificates (ca_file, _("The CA file"), contents, strlen (contents),
                            &certificates, &n_certificates, error))
    return NULL;
  free_certificates (certificates, n_certificates);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  extra = g_tls_file_database_new (ca_file, &local_error);
  if (extra == NULL)
    {
      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                   _("The CA file “%s” could not be used: %s"), ca_file, local_error->message);
      return NULL;
    }

  database = g_object_new (SONDE_TYPE_TLS_DATABASE, NULL);
  database->extra = g_steal_pointer (&extra);
  database->system = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  return G_TLS_DATABASE (database);
}

/* Client certificates */

static gboolean
key_is_encrypted (const char *pem)
{
  return strstr (pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL ||
         strstr (pem, "Proc-Type: 4,ENCRYPTED") != NULL;
}

/* The private key in KEY_PEM, decrypted, as unencrypted PKCS#8 PEM (wipe it after use). */
static gboolean
import_private_key (const char              *key_path,
                    const char              *key_pem,
                    gsize                    length,
                    const char              *passphrase,
                    gnutls_x509_privkey_t   *key,
                    GError                 **error)
{
  gnutls_datum_t datum = { (unsigned char *) key_pem, (unsigned int) length };
  gboolean encrypted = key_is_encrypted (key_pem);
  int ret;

  if (strstr (key_pem, "PRIVATE KEY-----") == NULL)
    {
      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                   _("“%s” holds no PEM private key"), key_path);
      return FALSE;
    }
  if (encrypted && (passphrase == NULL || passphrase[0] == '\0'))
    {
      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD,
                   _("The private key “%s” is encrypted: a passphrase is needed"), key_path);
      return FALSE;
    }

  gnutls_lib.x509_privkey_init (key);
  ret = gnutls_lib.x509_privkey_import2 (*key, &datum, GNUTLS_X509_FMT_PEM,
                                     encrypted ? passphrase : NULL, 0);
  if (ret < 0)
    {
      gnutls_lib.x509_privkey_deinit (*key);
      *key = NULL;
      if (encrypted)
        g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD,
                     _("Wrong passphrase for the private key “%s”"), key_path);
      else
        g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                     _("“%s” is not a usable private key (%s)"), key_path, gnutls_lib.strerror (ret));
      return FALSE;
    }
  return TRUE;
}

static gboolean
key_matches_certificate (gnutls_x509_privkey_t key,
                         gnutls_x509_crt_t     certificate)
{
  unsigned char key_id[64], certificate_id[64];
  size_t key_id_size = sizeof key_id;
  size_t certificate_id_size = sizeof certificate_id;

  if (gnutls_lib.x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA256, key_id, &key_id_size) < 0 ||
      gnutls_lib.x509_crt_get_key_id (certificate, GNUTLS_KEYID_USE_SHA256, certificate_id, &certificate_id_size) < 0)
    return FALSE;
  return key_id_size == certificate_id_size && memcmp (key_id, certificate_id, key_id_size) == 0;
}

/* CERTIFICATES as PEM, then KEY as unencrypted PKCS#8 PEM: what GTlsCertificate reads. */
static char *
build_pem (gnutls_x509_crt_t      *certificates,
           unsigned int            n_certificates,
           gnutls_x509_privkey_t   key,
           gsize                  *length)
{
  GString *pem = g_string_new (NULL);
  gnutls_datum_t out = { NULL, 0 };

  for (unsigned int i = 0; i < n_certificates; i++)
    {
      if (gnutls_lib.x509_crt_export2 (certificates[i], GNUTLS_X509_FMT_PEM, &out) < 0)
        continue;
      g_string_append_len (pem, (const char *) out.data, out.size);
      (*gnutls_lib.free) (out.data);
    }

  if (gnutls_lib.x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out) >= 0)
    {
      g_string_append_len (pem, (const char *) out.data, out.size);
      explicit_bzero (out.data, out.size);
      (*gnutls_lib.free) (out.data);
    }

  *length = pem->len;
  return g_string_free (pem, FALSE);
}

static GTlsCertificate *
load_pem_certificate (const char    *cert_file,
                      const char    *key_file,
                      const char    *passphrase,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *cert_pem = NULL;
  char *key_pem = NULL;
  gsize key_length = 0;
  char *pem = NULL;
  gsize pem_length = 0;
  gnutls_x509_crt_t *certificates = NULL;
  unsigned int n_certificates = 0;
  gnutls_x509_privkey_t key = NULL;
  GTlsCertificate *certificate = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!gnutls_lib_open (error) || !read_file (cert_file, _("the certificate"), &cert_pem, NULL, error))
    return NULL;
  if (key_file == NULL)
    key_file = cert_file;
  if (!read_file (key_file, _("the private key"), &key_pem, &key_length, error))
    return NULL;

  if (!import_certificates (cert_file, _("The certificate"), cert_pem, strlen (cert_pem),
                            &certificates, &n_certificates, error))
    goto out;
  if (!import_private_key (key_file, key_pem, key_length, passphrase, &key, error))
    goto out;
  if (!key_matches_certificate (key, certificates[0]))
    {
      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                   _("The private key “%s” does not belong to the certificate “%s”"), key_file, cert_file);
      goto out;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  pem = build_pem (certificates, n_certificates, key, &pem_length);
  certificate = g_tls_certificate_new_from_pem (pem, pem_length, &local_error);
  if (certificate == NULL)
    g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                 _("The certificate “%s” could not be used: %s"), cert_file, local_error->message);

out:
  if (key != NULL)
    gnutls_lib.x509_privkey_deinit (key);
  free_certificates (certificates, n_certificates);
  wipe_and_free (key_pem, key_length);
  wipe_and_free (pem, pem_length);
  return certificate;
}

static gboolean
pkcs12_password_error (const char  *pkcs12_file,
                       const char  *passphrase,
                       GError     **error)
{
  if (passphrase == NULL || passphrase[0] == '\0')
    g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD,
                 _("The PKCS #12 file “%s” is protected: a passphrase is needed"), pkcs12_file);
  else
    g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD,
                 _("Wrong passphrase for the PKCS #12 file “%s”"), pkcs12_file);
  return FALSE;
}

/* Parsed here with GnuTLS rather than by g_tls_certificate_new_from_pkcs12 (): glib-networking
 * 2.74 may try the file without its passphrase first (GObject sets the construct properties in
 * no set order), and about one file in a hundred then decrypts to garbage whose error outlives
 * the second, right attempt. */
static GTlsCertificate *
load_pkcs12_certificate (const char    *pkcs12_file,
                         const char    *passphrase,
                         GError       **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate = NULL;
  gnutls_pkcs12_t p12 = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_length = 0;
  gnutls_datum_t datum;
  const char *password = passphrase != NULL ? passphrase : "";
  char *pem = NULL;
  gsize pem_length = 0;
  gsize length = 0;
  int status;

  if (!gnutls_lib_open (error) || !read_file (pkcs12_file, _("the PKCS #12 file"), &data, &length, error))
    return NULL;

  datum.data = (unsigned char *) data;
  datum.size = (unsigned int) length;
  if ((status = gnutls_lib.pkcs12_init (&p12)) < 0 ||
      (status = gnutls_lib.pkcs12_import (p12, &datum, GNUTLS_X509_FMT_DER, 0)) < 0)
    goto unusable;

  /* Files without a MAC are rare; the decryption below then says whether the passphrase is right. */
  status = gnutls_lib.pkcs12_verify_mac (p12, password);
  if (status == GNUTLS_E_MAC_VERIFY_FAILED)
    {
      pkcs12_password_error (pkcs12_file, passphrase, error);
      goto out;
    }

  status = gnutls_lib.pkcs12_simple_parse (p12, password, &key, &chain, &chain_length, NULL, NULL, NULL,
                                       GNUTLS_PKCS12_SP_INCLUDE_SELF_SIGNED);
  if (status == GNUTLS_E_DECRYPTION_FAILED)
    {
      pkcs12_password_error (pkcs12_file, passphrase, error);
      goto out;
    }
  if (status < 0)
    goto unusable;

  pem = build_pem (chain, chain_length, key, &pem_length);
  certificate = g_tls_certificate_new_from_pem (pem, pem_length, &local_error);
  if (certificate == NULL)
    g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                 _("“%s” is not a usable PKCS #12 file: %s"), pkcs12_file, local_error->message);
  goto out;

unusable:
  g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
               _("“%s” is not a usable PKCS #12 file: %s"), pkcs12_file, gnutls_lib.strerror (status));

out:
  if (key != NULL)
    gnutls_lib.x509_privkey_deinit (key);
  free_certificates (chain, chain_length);
  if (p12 != NULL)
    gnutls_lib.pkcs12_deinit (p12);
  wipe_and_free (pem, pem_length);
  return certificate;
}

GTlsCertificate *
sonde_tls_load_client_certificate_sync (const char    *cert_file,
                                        const char    *key_file,
                                        const char    *pkcs12_file,
                                        const char    *passphrase,
                                        GCancellable  *cancellable,
                                        GError       **error)
{
  g_return_val_if_fail (cert_file != NULL || pkcs12_file != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (pkcs12_file != NULL)
    return load_pkcs12_certificate (pkcs12_file, passphrase, error);
  return load_pem_certificate (cert_file, key_file, passphrase, cancellable, error);
}

/* Async wrappers */

typedef struct
{
  char *ca_file;
  char *cert_file;
  char *key_file;
  char *pkcs12_file;
  char *passphrase;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->ca_file);
  g_free (data->cert_file);
  g_free (data->key_file);
  g_free (data->pkcs12_file);
  if (data->passphrase != NULL)
    wipe_and_free (data->passphrase, strlen (data->passphrase));
  g_free (data);
}

static void
load_database_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  GTlsDatabase *database = sonde_tls_load_database_sync (data->ca_file, cancellable, &error);

  if (database == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, database, g_object_unref);
}

void
sonde_tls_load_database_async (const char          *ca_file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data = g_new0 (LoadData, 1);

  g_return_if_fail (ca_file != NULL);

  data->ca_file = g_strdup (ca_file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_tls_load_database_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_database_thread);
}

/**
 * sonde_tls_load_database_finish:
 *
 * Returns: (transfer full): the database, or %NULL with @error set
 */
GTlsDatabase *
sonde_tls_load_database_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
load_client_certificate_thread (GTask        *task,
                                gpointer      source_object,
                                gpointer      task_data,
                                GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  GTlsCertificate *certificate;

  certificate = sonde_tls_load_client_certificate_sync (data->cert_file, data->key_file,
                                                        data->pkcs12_file, data->passphrase,
                                                        cancellable, &error);
  if (certificate == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, certificate, g_object_unref);
}

void
sonde_tls_load_client_certificate_async (const char          *cert_file,
                                         const char          *key_file,
                                         const char          *pkcs12_file,
                                         const char          *passphrase,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data = g_new0 (LoadData, 1);

  g_return_if_fail (cert_file != NULL || pkcs12_file != NULL);

  data->cert_file = g_strdup (cert_file);
  data->key_file = g_strdup (key_file);
  data->pkcs12_file = g_strdup (pkcs12_file);
  data->passphrase = g_strdup (passphrase);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_tls_load_client_certificate_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_client_certificate_thread);
}

/**
 * sonde_tls_load_client_certificate_finish:
 *
 * Returns: (transfer full): the certificate with its private key, or %NULL with @error set
 */
GTlsCertificate *
sonde_tls_load_client_certificate_finish (GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Describing what the handshake did */

void
sonde_tls_certificate_info_free (SondeTlsCertificateInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->subject);
  g_free (info->issuer);
  g_clear_pointer (&info->not_before, g_date_time_unref);
  g_clear_pointer (&info->not_after, g_date_time_unref);
  g_free (info);
}

/**
 * sonde_tls_describe_chain:
 * @certificate: (nullable): the peer certificate
 *
 * Returns: (transfer container) (element-type SondeTlsCertificateInfo): the chain, leaf first
 */
GPtrArray *
sonde_tls_describe_chain (GTlsCertificate *certificate)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_tls_certificate_info_free);

  /* The depth bound guards against a chain that loops. */
  for (guint depth = 0; certificate != NULL && depth < 16; depth++)
    {
      SondeTlsCertificateInfo *info = g_new0 (SondeTlsCertificateInfo, 1);

      info->subject = g_tls_certificate_get_subject_name (certificate);
      info->issuer = g_tls_certificate_get_issuer_name (certificate);
      info->not_before = g_tls_certificate_get_not_valid_before (certificate);
      info->not_after = g_tls_certificate_get_not_valid_after (certificate);
      g_ptr_array_add (chain, info);

      certificate = g_tls_certificate_get_issuer (certificate);
    }

  return chain;
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 GDateTime   *time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, name);
  if (time == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  utc = g_date_time_to_utc (time);
  text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  json_builder_add_string_value (builder, text);
}

/**
 * sonde_tls_chain_to_json:
 * @certificate: (nullable): the peer certificate
 *
 * Returns: (transfer full): a JSON array
 */
JsonNode *
sonde_tls_chain_to_json (GTlsCertificate *certificate)
{
  g_autoptr(GPtrArray) chain = sonde_tls_describe_chain (certificate);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < chain->len; i++)
    {
      SondeTlsCertificateInfo *info = g_ptr_array_index (chain, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, info->subject);
      json_builder_set_member_name (builder, "issuer");
      json_builder_add_string_value (builder, info->issuer);
      add_time_member (builder, "notBefore", info->not_before);
      add_time_member (builder, "notAfter", info->not_after);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

const char *
sonde_tls_protocol_to_string (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
      return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
      return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
      return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return NULL;
    }
}

char *
sonde_tls_certificate_flags_to_string (GTlsCertificateFlags flags)
{
  const struct { GTlsCertificateFlags flag; const char *text; } words[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("not trusted (unknown certificate authority)") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("issued for another host name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("signed with an insecure algorithm") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("invalid") },
  };
  GString *text;

  if (flags == 0)
    return NULL;

  text = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if ((flags & words[i].flag) == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, _(words[i].text));
    }

  return g_string_free (text, FALSE);
}
