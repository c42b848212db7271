/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SONDE_TEST_SOCKS_USERNAME "sonde"
#define SONDE_TEST_SOCKS_PASSWORD "s0cks:p@ss %/word"  /* characters a URL must escape */

/* A SOCKS5 server on a free 127.0.0.1 port for tests (RFC 1928, CONNECT only), running on
 * the thread-default main context of its creator. It offers "no authentication" or, when
 * REQUIRE_AUTH, only RFC 1929 username/password (SONDE_TEST_SOCKS_USERNAME /
 * SONDE_TEST_SOCKS_PASSWORD). It connects to the target it is asked for (resolving names
 * itself) and relays bytes both ways. */
typedef struct _SondeTestSocks SondeTestSocks;

SondeTestSocks     *sonde_test_socks_new                  (gboolean        require_auth);
void                sonde_test_socks_free                 (SondeTestSocks *socks);
guint               sonde_test_socks_get_port             (SondeTestSocks *socks);
/* "socks5://127.0.0.1:PORT" */
const char         *sonde_test_socks_get_url              (SondeTestSocks *socks);
/* TCP connections accepted so far. */
guint               sonde_test_socks_get_connection_count (SondeTestSocks *socks);
/* The CONNECT targets asked for so far, in order: "127.0.0.1:PORT" for an IPv4 address,
 * "[::1]:PORT" for IPv6, "name:PORT" for a domain name left to the proxy to resolve. */
const char * const *sonde_test_socks_get_targets          (SondeTestSocks *socks);
/* Username/password exchanges the server refused so far. */
guint               sonde_test_socks_get_auth_failures    (SondeTestSocks *socks);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeTestSocks, sonde_test_socks_free)

G_END_DECLS
