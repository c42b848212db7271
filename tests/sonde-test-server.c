/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-test-server"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "sonde-test-server.h"

#define CHUNK_SIZE (64 * 1024)
#define BODY_KEEP_LIMIT (1024 * 1024)

struct _SondeTestServer
{
  SoupServer *server;
  guint       port;
  char       *base_url;
  guint       request_count;
};

/* What arrived of one request body: hashed as it comes, kept only while small. */
typedef struct
{
  GChecksum  *checksum;
  guint64     size;
  GByteArray *head;   /* NULL once the body passed BODY_KEEP_LIMIT */
} BodyTrace;

/* A response body produced chunk by chunk on "wrote-chunk". */
typedef struct
{
  guint64            size;
  guint64            offset;
  GZlibCompressor   *compressor; /* gzip-bomb: compresses zeros; NULL for /bytes */
  gboolean           compressor_done;
} Producer;

void
sonde_test_pattern_fill (guint8  *buffer,
                         guint64  offset,
                         gsize    length)
{
  /* Byte I is byte (I % 8) of the little-endian word (I / 8) * golden ratio: fast, and every
   * 8-byte word differs, so a misplaced chunk never hashes the same. */
  while (length > 0 && (offset & 7) != 0)
    {
      guint64 word = (offset >> 3) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

      *buffer++ = (guint8) (word >> (8 * (offset & 7)));
      offset++;
      length--;
    }
  while (length >= 8)
    {
      guint64 word = GUINT64_TO_LE ((offset >> 3) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

      memcpy (buffer, &word, 8);
      buffer += 8;
      offset += 8;
      length -= 8;
    }
  while (length > 0)
    {
      guint64 word = (offset >> 3) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

      *buffer++ = (guint8) (word >> (8 * (offset & 7)));
      offset++;
      length--;
    }
}

gboolean
sonde_test_pattern_write_file (const char  *path,
                               guint64      size,
                               GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  guint64 offset = 0;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;

  while (offset < size)
    {
      gsize length = MIN (size - offset, 1024 * 1024);

      sonde_test_pattern_fill (buffer, offset, length);
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buffer, length, NULL, NULL, error))
        return FALSE;
      offset += length;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

char *
sonde_test_pattern_sha256 (guint64 size)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  guint64 offset = 0;

  while (offset < size)
    {
      gsize length = MIN (size - offset, 1024 * 1024);

      sonde_test_pattern_fill (buffer, offset, length);
      g_checksum_update (checksum, buffer, length);
      offset += length;
    }

  return g_strdup (g_checksum_get_string (checksum));
}

char *
sonde_test_stream_sha256 (GInputStream  *stream,
                          GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, 1024 * 1024, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, n);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

char *
sonde_test_file_sha256 (const char  *path,
                        GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);

  if (in == NULL)
    return NULL;
  return sonde_test_stream_sha256 (G_INPUT_STREAM (in), error);
}

static void
websocket_echo_cb (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  if (type == SOUP_WEBSOCKET_DATA_TEXT && length == 5 && memcmp (data, "close", 5) == 0)
    {
      soup_websocket_connection_close (connection, 4000, "bye");
      return;
    }
  soup_websocket_connection_send_message (connection, type, message);
}

void
sonde_test_websocket_echo (SoupWebsocketConnection *connection)
{
  g_signal_connect (connection, "message", G_CALLBACK (websocket_echo_cb), NULL);
}

guint64
sonde_test_peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

static void
body_trace_free (BodyTrace *trace)
{
  g_checksum_free (trace->checksum);
  g_clear_pointer (&trace->head, g_byte_array_unref);
  g_free (trace);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              BodyTrace         *trace)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (chunk, &size);

  g_checksum_update (trace->checksum, data, size);
  trace->size += size;
  if (trace->head != NULL && trace->size <= BODY_KEEP_LIMIT)
    g_byte_array_append (trace->head, data, size);
  else
    g_clear_pointer (&trace->head, g_byte_array_unref);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    SondeTestServer   *self)
{
  BodyTrace *trace = g_new0 (BodyTrace, 1);

  self->request_count++;

  trace->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  trace->head = g_byte_array_new ();
  g_object_set_data_full (G_OBJECT (msg), "sonde-body-trace", trace, (GDestroyNotify) body_trace_free);

  /* Hash the body as it arrives: a 512 MiB upload must not sit in the server's memory. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), trace);
}

static void
add_parts (JsonBuilder       *builder,
           SoupServerMessage *msg,
           BodyTrace         *trace)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = NULL;
  SoupMultipart *multipart;
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  if (trace->head == NULL || g_strcmp0 (content_type, "multipart/form-data") != 0)
    return;

  body = g_bytes_new (trace->head->data, trace->head->len);
  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    return;

  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers = NULL;
      GBytes *part_body = NULL;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *disposition = NULL;
      g_autofree char *sha = NULL;
      gsize size;
      const char *data;

      soup_multipart_get_part (multipart, i, &part_headers, &part_body);
      data = g_bytes_get_data (part_body, &size);
      soup_message_headers_get_content_disposition (part_headers, &disposition, &params);
      sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, part_body);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, params ? g_hash_table_lookup (params, "name") : NULL);
      json_builder_set_member_name (builder, "filename");
      json_builder_add_string_value (builder, params ? g_hash_table_lookup (params, "filename") : NULL);
      json_builder_set_member_name (builder, "contentType");
      json_builder_add_string_value (builder, soup_message_headers_get_one (part_headers, "Content-Type"));
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, size);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, sha);
      if (g_utf8_validate (data, size, NULL))
        {
          g_autofree char *value = g_strndup (data, size);

          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, value);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  soup_multipart_free (multipart);
}

static void
echo (SoupServerMessage *msg)
{
  BodyTrace *trace = g_object_get_data (G_OBJECT (msg), "sonde-body-trace");
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  const char *query = g_uri_get_query (uri);

  if (query != NULL && strstr (query, "format=text") != NULL)
    {
      GString *text = g_string_new (NULL);

      g_string_append_printf (text, "%s %s%s%s\n", soup_server_message_get_method (msg),
                              g_uri_get_path (uri), query ? "?" : "", query ? query : "");
      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        g_string_append_printf (text, "%s: %s\n", name, value);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, text->str, text->len);
      g_string_free (text, FALSE);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, soup_server_message_get_method (msg));
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, g_uri_get_path (uri));
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, query);
  json_builder_set_member_name (builder, "httpVersion");
  json_builder_add_string_value (builder,
                                 soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0 ? "HTTP/1.0" :
                                 soup_server_message_get_http_version (msg) == SOUP_HTTP_1_1 ? "HTTP/1.1" :
                                 "HTTP/2");

  json_builder_set_member_name (builder, "headers");
  json_builder_begin_array (builder);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, name);
      json_builder_add_string_value (builder, value);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "bodySize");
  json_builder_add_int_value (builder, trace->size);
  json_builder_set_member_name (builder, "bodySha256");
  json_builder_add_string_value (builder, g_checksum_get_string (trace->checksum));
  if (trace->head != NULL && g_utf8_validate ((const char *) trace->head->data, trace->head->len, NULL))
    {
      g_autofree char *body = g_strndup ((const char *) trace->head->data, trace->head->len);

      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, body);
    }
  add_parts (builder, msg, trace);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
echo_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  echo (msg);
}

static void
status_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  guint status = g_ascii_strtoull (path + strlen ("/status/"), NULL, 10);
  g_autofree char *text = g_strdup_printf ("status %u\n", status);

  soup_server_message_set_status (msg, status >= 100 && status < 600 ? status : 400, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
redirect_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  guint hops = g_ascii_strtoull (path + strlen ("/redirect/"), NULL, 10);
  g_autofree char *location = NULL;

  if (hops == 0)
    {
      echo (msg);
      return;
    }

  location = g_strdup_printf ("/redirect/%u", hops - 1);
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
}

static void
redirect_to_handler (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  const char *url = query ? g_hash_table_lookup (query, "url") : NULL;
  const char *status = query ? g_hash_table_lookup (query, "status") : NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (url == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }

  /* Not soup_server_message_set_redirect: it would resolve (and so validate) the target. */
  soup_server_message_set_status (msg, status ? g_ascii_strtoull (status, NULL, 10) : SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (headers, "Location", url);
}

/* /basic-auth/USER/PASS: the expected credentials are in the path. */
static gboolean
split_credentials (SoupServerMessage  *msg,
                   char              **user,
                   char              **password)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  if (g_strv_length (parts) < 4)
    return FALSE;
  *user = g_uri_unescape_string (parts[2], NULL);
  *password = g_uri_unescape_string (parts[3], NULL);
  return *user != NULL && *password != NULL;
}

static gboolean
basic_auth_cb (SoupAuthDomain    *domain,
               SoupServerMessage *msg,
               const char        *username,
               const char        *password,
               gpointer           user_data)
{
  g_autofree char *expected_user = NULL;
  g_autofree char *expected_password = NULL;

  if (!split_credentials (msg, &expected_user, &expected_password))
    return FALSE;
  return g_strcmp0 (username, expected_user) == 0 && g_strcmp0 (password, expected_password) == 0;
}

static char *
digest_auth_cb (SoupAuthDomain    *domain,
                SoupServerMessage *msg,
                const char        *username,
                gpointer           user_data)
{
  g_autofree char *expected_user = NULL;
  g_autofree char *expected_password = NULL;

  if (!split_credentials (msg, &expected_user, &expected_password) ||
      g_strcmp0 (username, expected_user) != 0)
    return NULL;
  return soup_auth_domain_digest_encode_password (username, "sonde", expected_password);
}

static gboolean
produce_next_chunk (SoupServerMessage *msg,
                    Producer          *producer)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  guint8 *chunk;

  if (producer->compressor == NULL)
    {
      gsize length = MIN (CHUNK_SIZE, producer->size - producer->offset);

      if (length == 0)
        {
          soup_message_body_complete (body);
          return FALSE;
        }
      chunk = g_malloc (length);
      sonde_test_pattern_fill (chunk, producer->offset, length);
      producer->offset += length;
      soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk, length);
      return TRUE;
    }

  /* gzip-bomb: feed zeros to the compressor until it has something to send. */
  while (!producer->compressor_done)
    {
      static const guint8 zeros[CHUNK_SIZE];
      gsize input = MIN (CHUNK_SIZE, producer->size - producer->offset);
      gsize read = 0, written = 0;
      g_autoptr(GError) error = NULL;
      GConverterResult result;

      chunk = g_malloc (CHUNK_SIZE);
      result = g_converter_convert (G_CONVERTER (producer->compressor), zeros, input, chunk, CHUNK_SIZE,
                                    input < CHUNK_SIZE ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &read, &written, &error);
      g_assert_no_error (error);
      producer->offset += read;
      if (result == G_CONVERTER_FINISHED)
        producer->compressor_done = TRUE;
      if (written > 0)
        {
          soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk, written);
          return TRUE;
        }
      g_free (chunk);
    }

  soup_message_body_complete (body);
  return FALSE;
}

static void
wrote_chunk_cb (SoupServerMessage *msg,
                Producer          *producer)
{
  produce_next_chunk (msg, producer);
}

static void
producer_free (Producer *producer)
{
  g_clear_object (&producer->compressor);
  g_free (producer);
}

static void
start_streaming (SoupServerMessage *msg,
                 Producer          *producer,
                 gboolean           chunked)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  g_object_set_data_full (G_OBJECT (msg), "sonde-producer", producer, (GDestroyNotify) producer_free);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (chunked)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  else
    soup_message_headers_set_content_length (headers, producer->size);

  /* Chunks are dropped once written: the server never holds more than one. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (wrote_chunk_cb), producer);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), producer);
}

static void
bytes_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Producer *producer = g_new0 (Producer, 1);

  producer->size = g_ascii_strtoull (path + strlen ("/bytes/"), NULL, 10);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/octet-stream", NULL);
  start_streaming (msg, producer, query != NULL && g_hash_table_contains (query, "chunked"));
}

static void
gzip_bomb_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Producer *producer = g_new0 (Producer, 1);
  const char *size = query ? g_hash_table_lookup (query, "size") : NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  producer->size = size ? g_ascii_strtoull (size, NULL, 10) : 100 * 1024 * 1024;
  producer->compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  soup_message_headers_set_content_type (headers, "application/octet-stream", NULL);
  soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  start_streaming (msg, producer, TRUE);
}

static void
gzip_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GString) json = g_string_new ("{\"gzipped\": true, \"items\": [");
  g_autoptr(GError) error = NULL;
  guint8 *out = g_malloc (64 * 1024);
  gsize read = 0, written = 0;

  for (int i = 0; i < 200; i++)
    g_string_append_printf (json, "%s{\"id\": %d, \"name\": \"item %d\"}", i ? ", " : "", i, i);
  g_string_append (json, "]}");

  g_converter_convert (G_CONVERTER (compressor), json->str, json->len, out, 64 * 1024,
                       G_CONVERTER_INPUT_AT_END, &read, &written, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read, ==, json->len);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Encoding", "gzip");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, (char *) out, written);
}

typedef struct
{
  SoupServerMessage *msg;
  guint              source_id;
} SlowReply;

static void
slow_reply_free (SlowReply *reply)
{
  g_clear_handle_id (&reply->source_id, g_source_remove);
  g_free (reply);
}

static void
slow_reply_cb (gpointer user_data)
{
  SlowReply *reply = user_data;

  reply->source_id = 0;
  soup_server_message_set_status (reply->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (reply->msg, "text/plain", SOUP_MEMORY_STATIC, "slow\n", 5);
  soup_server_message_unpause (reply->msg);
}

static void
slow_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  const char *delay = query ? g_hash_table_lookup (query, "delay") : NULL;
  SlowReply *reply = g_new0 (SlowReply, 1);

  /* The reply lives as long as the message: a client that gives up cancels the timer. */
  reply->msg = msg;
  reply->source_id = g_timeout_add_once (delay ? g_ascii_strtoull (delay, NULL, 10) : 1000,
                                         slow_reply_cb, reply);
  g_object_set_data_full (G_OBJECT (msg), "sonde-slow-reply", reply, (GDestroyNotify) slow_reply_free);
  soup_server_message_pause (msg);
}

static void
stall_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_pause (msg);
}

static void
set_cookie_handler (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *set = query != NULL ? g_hash_table_lookup (query, "set") : NULL;
  const char *flood = query != NULL ? g_hash_table_lookup (query, "flood") : NULL;
  const char *redirect = query != NULL ? g_hash_table_lookup (query, "redirect") : NULL;

  /* ?set=COOKIE: that Set-Cookie alone; ?flood=N: N cookies of 100 bytes. */
  if (set != NULL || flood != NULL)
    {
      guint n = flood != NULL ? g_ascii_strtoull (flood, NULL, 10) : 0;

      if (set != NULL)
        soup_message_headers_append (headers, "Set-Cookie", set);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *cookie = g_strdup_printf ("flood%05u=%090u; Path=/; Max-Age=%u", i, i, 1000 + i);

          soup_message_headers_append (headers, "Set-Cookie", cookie);
        }
    }
  else
    {
      soup_message_headers_append (headers, "Set-Cookie", "a=1; Path=/");
      soup_message_headers_append (headers, "Set-Cookie", "b=two; Path=/; HttpOnly");
      soup_message_headers_append (headers, "Set-Cookie", "c=3; Path=/; Max-Age=3600");
    }

  /* ?redirect=URL: the cookies come with a 302 to URL, as from a login form. */
  if (redirect != NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
      soup_message_headers_replace (headers, "Location", redirect);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "cookies\n", 8);
}

static void
response_headers_handler (SoupServer        *server,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query,
                          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_append (headers, "X-First", "1");
  soup_message_headers_append (headers, "X-Dup", "a");
  soup_message_headers_append (headers, "X-Dup", "b");
  soup_message_headers_append (headers, "X-Last", "z");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "headers\n", 8);
}

static void
add_auth_domains (SondeTestServer *self)
{
  g_autoptr(SoupAuthDomain) basic = NULL;
  g_autoptr(SoupAuthDomain) digest = NULL;

  basic = soup_auth_domain_basic_new ("realm", "sonde", NULL);
  soup_auth_domain_add_path (basic, "/basic-auth");
  soup_auth_domain_basic_set_auth_callback (basic, basic_auth_cb, NULL, NULL);
  soup_server_add_auth_domain (self->server, basic);

  digest = soup_auth_domain_digest_new ("realm", "sonde", NULL);
  soup_auth_domain_add_path (digest, "/digest-auth");
  soup_auth_domain_digest_set_auth_callback (digest, digest_auth_cb, NULL, NULL);
  soup_server_add_auth_domain (self->server, digest);
}

SondeTestServer *
sonde_test_server_new_on_port (guint    port,
                               GError **error)
{
  g_autoptr(SondeTestServer) self = g_new0 (SondeTestServer, 1);
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  self->server = soup_server_new ("server-header", "sonde-test-server ", NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);

  soup_server_add_handler (self->server, "/echo", echo_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/status", status_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/redirect", redirect_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/redirect-to", redirect_to_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/basic-auth", echo_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/digest-auth", echo_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/bytes", bytes_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/gzip", gzip_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/gzip-bomb", gzip_bomb_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/slow", slow_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/stall", stall_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/set-cookie", set_cookie_handler, NULL, NULL);
  soup_server_add_handler (self->server, "/response-headers", response_headers_handler, NULL, NULL);
  add_auth_domains (self);

  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);

  return g_steal_pointer (&self);
}

SondeTestServer *
sonde_test_server_new (void)
{
  g_autoptr(GError) error = NULL;
  SondeTestServer *self = sonde_test_server_new_on_port (0, &error);

  g_assert_no_error (error);
  return self;
}

void
sonde_test_server_free (SondeTestServer *self)
{
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_signal_handlers_disconnect_by_data (self->server, self);
    }
  g_clear_object (&self->server);
  g_free (self->base_url);
  g_free (self);
}

SoupServer *
sonde_test_server_get_server (SondeTestServer *self)
{
  return self->server;
}

guint
sonde_test_server_get_port (SondeTestServer *self)
{
  return self->port;
}

const char *
sonde_test_server_get_base_url (SondeTestServer *self)
{
  return self->base_url;
}

char *
sonde_test_server_build_url (SondeTestServer *self,
                             const char      *path)
{
  return g_strconcat (self->base_url, path, NULL);
}

guint
sonde_test_server_get_request_count (SondeTestServer *self)
{
  return self->request_count;
}
