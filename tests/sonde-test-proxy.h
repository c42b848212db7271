/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SONDE_TEST_PROXY_USERNAME "sonde"
#define SONDE_TEST_PROXY_PASSWORD "proxy-secret" /* tinyproxy takes no spaces */

/* A real tinyproxy (/usr/bin/tinyproxy, package tinyproxy) on a free 127.0.0.1 port, with
 * Basic credentials SONDE_TEST_PROXY_USERNAME / SONDE_TEST_PROXY_PASSWORD, CONNECT allowed to
 * CONNECT_PORTS, its config, log and pid file in a temp folder. Stopped and cleaned up by
 * sonde_test_proxy_free (). tinyproxy adds "Via: 1.1 sonde-test-proxy" to what it forwards. */
typedef struct _SondeTestProxy SondeTestProxy;

/* NULL with G_IO_ERROR_NOT_FOUND when tinyproxy is not installed (tests skip then), or
 * another error when it does not start. */
SondeTestProxy *sonde_test_proxy_new      (const guint    *connect_ports,
                                           guint           n_connect_ports,
                                           GError        **error);
void            sonde_test_proxy_free     (SondeTestProxy *proxy);
guint           sonde_test_proxy_get_port (SondeTestProxy *proxy);
/* "http://127.0.0.1:PORT" */
const char     *sonde_test_proxy_get_url  (SondeTestProxy *proxy);
/* What tinyproxy logged so far. */
char           *sonde_test_proxy_get_log  (SondeTestProxy *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeTestProxy, sonde_test_proxy_free)

G_END_DECLS
