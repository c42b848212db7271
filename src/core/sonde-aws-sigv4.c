/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-aws-sigv4"

/* AWS Signature Version 4 for the Authorization header (docs/collection-format.md, "AWS
 * Signature"): the canonical request, the string to sign and the HMAC-SHA256 key chain.
 * Checked against the test suite AWS publishes (tests/data/aws-sigv4-suite.ini). */

#include "config.h"

#include <string.h>

#include "sonde-aws-sigv4.h"

/* Headers that change on the way or are the signature's own: never signed. */
static const char * const unsigned_headers[] = {
  "authorization", "user-agent", "expect", "connection", "keep-alive", "content-length",
  "transfer-encoding", "te", "upgrade", "proxy-authorization", "accept-encoding",
  "x-amzn-trace-id", NULL
};

char *
sonde_aws_sigv4_hash_hex (const guint8 *data,
                          gsize         length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/* AWS's URI encoding: every byte but the unreserved ones as %XX, upper case. */
static void
append_encoded (GString    *out,
                const char *text,
                gsize       length,
                gboolean    keep_slash)
{
  for (gsize i = 0; i < length; i++)
    {
      guchar c = text[i];

      if (is_unreserved (c) || (keep_slash && c == '/'))
        g_string_append_c (out, c);
      else
        g_string_append_printf (out, "%%%02X", c);
    }
}

/* Percent-decodes; a "%" without two hex digits stays as it is. */
static GString *
decode (const char *text,
        gsize       length)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '%' && i + 2 < length &&
          g_ascii_isxdigit (text[i + 1]) && g_ascii_isxdigit (text[i + 2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (text[i + 1]) * 16 +
                                          g_ascii_xdigit_value (text[i + 2])));
          i += 2;
        }
      else
        g_string_append_c (out, text[i]);
    }
  return out;
}

/* Every service but S3 signs the path with dot segments and empty segments removed, and
 * encoded once more (so "%20" on the wire signs as "%2520"). S3 signs the path as sent. */
static char *
canonical_path (const char *path,
                gboolean    s3)
{
  GString *out = g_string_new (NULL);

  if (path == NULL || path[0] == '\0')
    path = "/";

  if (s3)
    {
      g_autoptr(GString) decoded = decode (path, strlen (path));

      append_encoded (out, decoded->str, decoded->len, TRUE);
    }
  else
    {
      g_auto(GStrv) segments = g_strsplit (path, "/", -1);
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();
      gsize n = g_strv_length (segments);
      gboolean trailing_slash = n > 1 && (segments[n - 1][0] == '\0' ||
                                          g_str_equal (segments[n - 1], ".") ||
                                          g_str_equal (segments[n - 1], ".."));

      for (gsize i = 0; i < n; i++)
        {
          if (segments[i][0] == '\0' || g_str_equal (segments[i], "."))
            continue;
          if (g_str_equal (segments[i], ".."))
            {
              if (kept->len > 0)
                g_ptr_array_remove_index (kept, kept->len - 1);
              continue;
            }
          g_ptr_array_add (kept, segments[i]);
        }

      for (guint i = 0; i < kept->len; i++)
        {
          const char *segment = g_ptr_array_index (kept, i);

          g_string_append_c (out, '/');
          append_encoded (out, segment, strlen (segment), FALSE);
        }
      if (out->len == 0 || trailing_slash)
        g_string_append_c (out, '/');
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  char *name;
  char *value;
} Pair;

static void
pair_clear (gpointer data)
{
  Pair *pair = data;

  g_free (pair->name);
  g_free (pair->value);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *pa = a;
  const Pair *pb = b;
  int by_name = strcmp (pa->name, pb->name);

  return by_name != 0 ? by_name : strcmp (pa->value, pb->value);
}

/* Each name and value decoded and encoded the AWS way, sorted by name, then value. */
static char *
canonical_query (const char *query)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, TRUE, sizeof (Pair));
  g_auto(GStrv) pieces = NULL;
  GString *out = g_string_new (NULL);

  g_array_set_clear_func (pairs, pair_clear);
  if (query == NULL || query[0] == '\0')
    return g_string_free (out, FALSE);

  pieces = g_strsplit (query, "&", -1);
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      const char *equals = strchr (pieces[i], '=');
      gsize name_length = equals != NULL ? (gsize) (equals - pieces[i]) : strlen (pieces[i]);
      g_autoptr(GString) name = NULL;
      g_autoptr(GString) value = NULL;
      GString *encoded_name = g_string_new (NULL);
      GString *encoded_value = g_string_new (NULL);
      Pair pair;

      if (pieces[i][0] == '\0')
        {
          g_string_free (encoded_name, TRUE);
          g_string_free (encoded_value, TRUE);
          continue;
        }
      name = decode (pieces[i], name_length);
      value = equals != NULL ? decode (equals + 1, strlen (equals + 1)) : g_string_new (NULL);
      append_encoded (encoded_name, name->str, name->len, FALSE);
      append_encoded (encoded_value, value->str, value->len, FALSE);
      pair.name = g_string_free (encoded_name, FALSE);
      pair.value = g_string_free (encoded_value, FALSE);
      g_array_append_val (pairs, pair);
    }

  g_array_sort (pairs, compare_pairs);
  for (guint i = 0; i < pairs->len; i++)
    {
      Pair *pair = &g_array_index (pairs, Pair, i);

      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", pair->name, pair->value);
    }
  return g_string_free (out, FALSE);
}

/* Leading and trailing blanks gone, runs of blanks inside made one space. */
static void
append_trimmed (GString    *out,
                const char *value)
{
  gboolean blank = FALSE;
  gsize start = out->len;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        {
          blank = TRUE;
          continue;
        }
      if (blank && out->len > start)
        g_string_append_c (out, ' ');
      blank = FALSE;
      g_string_append_c (out, *p);
    }
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * sonde_aws_sigv4_canonical_request:
 * @host: the Host header's value, as it will be sent
 * @path: (nullable): the path as sent, percent-encoded
 * @query: (nullable): the query as sent, without "?"
 * @s3: the path is signed as sent, not normalized (the "s3" service)
 * @signed_headers: (out): the names signed, lower case, ";" between them
 *
 * Returns: the canonical request of SigV4, every header of HEADERS signed but the hop-by-hop
 * ones and those libsoup may rewrite.
 */
char *
sonde_aws_sigv4_canonical_request (SoupMessageHeaders  *headers,
                                   const char          *method,
                                   const char          *host,
                                   const char          *path,
                                   const char          *query,
                                   const char          *payload_hash,
                                   gboolean             s3,
                                   char               **signed_headers)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (string_free);
  g_autofree char *canonical_uri = canonical_path (path, s3);
  g_autofree char *canonical_qs = canonical_query (query);
  GString *out = g_string_new (NULL);
  GString *signed_names = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;
  GString *host_value;

  /* Host is written by libsoup from the URI: signed from what it will be. */
  host_value = g_string_new (NULL);
  append_trimmed (host_value, host);
  g_ptr_array_add (owned, host_value);
  g_hash_table_insert (values, g_strdup ("host"), host_value);
  g_ptr_array_add (names, "host");

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);
      GString *joined;

      if (g_strv_contains (unsigned_headers, lower) || g_str_equal (lower, "host"))
        continue;
      joined = g_hash_table_lookup (values, lower);
      if (joined == NULL)
        {
          char *key = g_strdup (lower);

          joined = g_string_new (NULL);
          g_ptr_array_add (owned, joined);
          g_hash_table_insert (values, key, joined);
          g_ptr_array_add (names, key);
        }
      else
        g_string_append_c (joined, ',');
      append_trimmed (joined, value);
    }
  g_ptr_array_sort (names, compare_strings);

  g_string_append_printf (out, "%s\n%s\n%s\n", method, canonical_uri, canonical_qs);
  for (guint i = 0; i < names->len; i++)
    {
      const char *lower = g_ptr_array_index (names, i);
      GString *joined = g_hash_table_lookup (values, lower);

      g_string_append_printf (out, "%s:%s\n", lower, joined->str);
      if (i > 0)
        g_string_append_c (signed_names, ';');
      g_string_append (signed_names, lower);
    }
  g_string_append_printf (out, "\n%s\n%s", signed_names->str, payload_hash);

  *signed_headers = g_string_free (signed_names, FALSE);
  return g_string_free (out, FALSE);
}

static GBytes *
hmac (GBytes     *key,
      const char *data)
{
  g_autoptr(GHmac) mac = g_hmac_new (G_CHECKSUM_SHA256, g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  guint8 digest[32];
  gsize length = sizeof digest;

  g_hmac_update (mac, (const guchar *) data, -1);
  g_hmac_get_digest (mac, digest, &length);
  return g_bytes_new (digest, length);
}

/**
 * sonde_aws_sigv4_sign:
 * @payload_hash: the body's SHA-256 in hex, or %SONDE_AWS_UNSIGNED_PAYLOAD
 * @now: the signing time
 *
 * Signs a request: sets X-Amz-Date, X-Amz-Security-Token (with a session token, signed),
 * X-Amz-Content-SHA256 (the "s3" service requires it), then Authorization, in HEADERS.
 */
void
sonde_aws_sigv4_sign (SoupMessageHeaders        *headers,
                      const char                *method,
                      const char                *host,
                      const char                *path,
                      const char                *query,
                      const char                *payload_hash,
                      const SondeAwsCredentials *credentials,
                      GDateTime                 *now)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);
  g_autofree char *amz_date = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  g_autofree char *day = g_date_time_format (utc, "%Y%m%d");
  const char *region = credentials->region != NULL ? credentials->region : "";
  const char *service = credentials->service != NULL ? credentials->service : "";
  gboolean s3 = g_str_equal (service, "s3");
  g_autofree char *signed_headers = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_hash = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *string_to_sign = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GBytes) key = NULL;
  const char *steps[] = { day, region, service, "aws4_request" };

  soup_message_headers_replace (headers, "X-Amz-Date", amz_date);
  if (credentials->session_token != NULL && credentials->session_token[0] != '\0')
    soup_message_headers_replace (headers, "X-Amz-Security-Token", credentials->session_token);
  if (s3)
    soup_message_headers_replace (headers, "X-Amz-Content-SHA256", payload_hash);
  soup_message_headers_remove (headers, "Authorization");

  canonical = sonde_aws_sigv4_canonical_request (headers, method, host, path, query, payload_hash, s3,
                                                 &signed_headers);
  /* What to compare with the server's "canonical request" when AWS says the signature does
   * not match (G_MESSAGES_DEBUG=sonde-aws-sigv4). */
  g_debug ("Canonical request:\n%s", canonical);
  canonical_hash = sonde_aws_sigv4_hash_hex ((const guint8 *) canonical, strlen (canonical));
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", day, region, service);
  string_to_sign = g_strdup_printf ("AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, canonical_hash);

  secret = g_strconcat ("AWS4", credentials->secret_key != NULL ? credentials->secret_key : "", NULL);
  key = g_bytes_new (secret, strlen (secret));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      GBytes *next = hmac (key, steps[i]);

      g_bytes_unref (key);
      key = next;
    }
  {
    g_autoptr(GHmac) mac = g_hmac_new (G_CHECKSUM_SHA256, g_bytes_get_data (key, NULL), g_bytes_get_size (key));

    g_hmac_update (mac, (const guchar *) string_to_sign, -1);
    signature = g_strdup (g_hmac_get_string (mac));
  }

  authorization = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                                   credentials->access_key != NULL ? credentials->access_key : "",
                                   scope, signed_headers, signature);
  soup_message_headers_replace (headers, "Authorization", authorization);
}
