/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* An HTTP server on 127.0.0.1 (a free port) for tests, running on the thread-default main
 * context of its creator. Handlers:
 *
 *   /echo                   JSON: {"method", "path", "query" (raw or null), "httpVersion",
 *                           "headers": [[name, value], …] in order, "bodySize", "bodySha256",
 *                           "body" (when valid UTF-8 and < 1 MiB), "parts" (multipart/form-data
 *                           under 1 MiB: [{"name", "filename", "contentType", "size",
 *                           "sha256", "value" (text parts)}])}. ?format=text answers
 *                           "METHOD /path?query\nName: value\n…". The request body is hashed as
 *                           it arrives, never accumulated.
 *   /status/NNN             answers NNN
 *   /redirect/N             N hops (302, relative Location) down to /redirect/0, which echoes
 *   /redirect-to?url=U&status=30x   one redirect to U (302 by default)
 *   /basic-auth/USER/PASS   Basic auth (realm "sonde"), then echoes
 *   /digest-auth/USER/PASS  Digest auth (realm "sonde"), then echoes
 *   /bytes/N                N bytes of sonde_test_pattern, streamed (?chunked=1: chunked
 *                           encoding, else Content-Length)
 *   /gzip                   gzip-encoded JSON {"gzipped": true, …}
 *   /gzip-bomb?size=N       a gzip stream that decodes to N zero bytes
 *   /slow?delay=MS          answers "slow" after MS milliseconds (default 1000)
 *   /stall                  never answers
 *   /set-cookie             three Set-Cookie headers (a=1, b=two HttpOnly, c=3 Max-Age=3600);
 *                           ?set=COOKIE: that one instead; ?flood=N: N cookies of 100 bytes;
 *                           ?redirect=URL: with a 302 to URL instead of a 200
 *   /response-headers       X-First: 1, X-Dup: a, X-Dup: b, X-Last: z (in that order)
 */
typedef struct _SondeTestServer SondeTestServer;

SondeTestServer *sonde_test_server_new               (void);
/* PORT 0: a free one. */
SondeTestServer *sonde_test_server_new_on_port       (guint             port,
                                                      GError          **error);
void             sonde_test_server_free              (SondeTestServer  *self);
SoupServer      *sonde_test_server_get_server        (SondeTestServer  *self);
guint            sonde_test_server_get_port          (SondeTestServer  *self);
/* "http://127.0.0.1:PORT", no trailing slash */
const char      *sonde_test_server_get_base_url      (SondeTestServer  *self);
/* base URL + PATH (which starts with "/") */
char            *sonde_test_server_build_url         (SondeTestServer  *self,
                                                      const char       *path);
/* Requests whose headers arrived so far (to check that nothing was sent). */
guint            sonde_test_server_get_request_count (SondeTestServer  *self);

/* The deterministic bytes of /bytes/N and of the tests' big upload files. */
void             sonde_test_pattern_fill             (guint8           *buffer,
                                                      guint64           offset,
                                                      gsize             length);
gboolean         sonde_test_pattern_write_file       (const char       *path,
                                                      guint64           size,
                                                      GError          **error);
char            *sonde_test_pattern_sha256           (guint64           size);
/* Hex SHA-256 of a stream's remaining bytes, read in chunks. */
char            *sonde_test_stream_sha256            (GInputStream     *stream,
                                                      GError          **error);
char            *sonde_test_file_sha256              (const char       *path,
                                                      GError          **error);

/* Makes CONNECTION (a server side's) send back every message it gets, and close with 4000
 * "bye" when the text "close" comes (for the tests that want the server to close first). */
void             sonde_test_websocket_echo           (SoupWebsocketConnection *connection);

/* VmHWM of this process in KiB (0 when unknown), for reports. */
guint64          sonde_test_peak_rss_kib             (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeTestServer, sonde_test_server_free)

G_END_DECLS
