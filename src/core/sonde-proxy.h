/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "sonde-request-options.h"

G_BEGIN_DECLS

/* Proxies for requests (docs/architecture.md): the system's settings, none, or a custom
 * http:// https:// socks5:// (socks4://, socks4a://) URL with credentials and a
 * "no proxy for" list of hosts (GSimpleProxyResolver syntax: "localhost", "*.example.com",
 * "10.0.0.0/8", "host:port").
 *
 * HTTP(S) proxy credentials are answered on SoupMessage::authenticate, once: a second
 * challenge means they were refused, and the 407 then ends the request with a
 * SONDE_CLIENT_ERROR_PROXY_AUTH error instead of a retry loop. SOCKS credentials go in the
 * proxy URL, where GIO's SOCKS client reads them. Credentials written in a custom URL
 * (http://user:pass@host:port) are used when the options carry none. */

/* The system's proxy settings, decided once per process by sonde_proxy_init_process (): outside
 * any desktop session, sandbox or portal, where they are the environment's alone (http_proxy,
 * https_proxy, no_proxy and their upper-case forms), Sonde reads them itself; elsewhere GIO's
 * resolver for the session (GNOME's settings, the portal, libproxy). See docs/architecture.md,
 * "Proxies". main () calls sonde_client_init_process (), which calls this, before any thread. */
void            sonde_proxy_init_process                 (void);
/* (transfer none) (nullable): NULL when the system names no proxy at all (no lookup needed). */
GProxyResolver *sonde_proxy_get_system_resolver          (void);
/* Whether GIO's proxy resolver is imposed on a process with ENVP (NULL: this process's
 * environment) rather than left to GIO's own probing: the person named one
 * (GIO_USE_PROXY_RESOLVER), a sandbox or portal answers, or GIO's modules come from elsewhere. */
gboolean        sonde_proxy_resolver_is_imposed          (const char * const *envp);
/* Whether ENVP (an environment, as g_get_environ () gives) is all there is to the system's
 * proxy settings: no desktop session (GNOME, KDE or another, whose settings would count),
 * no sandbox or portal, no GIO_USE_PROXY_RESOLVER or GIO module path chosen by the person,
 * no libproxy configuration order, and no file at SYSCONFIG (/etc/sysconfig/proxy, which
 * libproxy reads). */
gboolean        sonde_proxy_environment_decides          (const char * const *envp,
                                                          const char         *sysconfig);
/* A resolver for the proxies ENVP names, as libproxy reads them: http_proxy (or HTTP_PROXY)
 * for every URL, https_proxy (or HTTPS_PROXY) instead for https:// and wss://, no_proxy (or
 * NO_PROXY) a comma-separated list of hosts to reach directly (GSimpleProxyResolver syntax;
 * "example.com" also covers its subdomains, as curl reads it). Like curl, a proxy written
 * without a scheme is http://, a no_proxy of "*" means no proxy for any host, and credentials
 * in an http:// proxy's URL answer its challenge (sonde_proxy_environment_credentials ()).
 * NULL when ENVP names no proxy or "*" excludes every host; NULL with
 * SONDE_REQUEST_ERROR_INVALID_URL naming the variable when a value is not a proxy URL. */
GProxyResolver *sonde_proxy_resolver_new_for_environment (const char * const  *envp,
                                                          GError             **error);
/* The credentials written in the URL of the proxy ENVP names for URLs of SCHEME; FALSE (and
 * NULLs) when there are none. */
gboolean        sonde_proxy_environment_credentials      (const char * const  *envp,
                                                          const char          *scheme,
                                                          char               **user,
                                                          char               **password);

/* Points SESSION at the proxy of OPTIONS. SONDE_REQUEST_ERROR_INVALID_URL for a custom URL
 * that is missing, unparsable or of an unknown kind. */
gboolean  sonde_proxy_configure_session (SoupSession          *session,
                                         SondeRequestOptions  *options,
                                         GError              **error);

/* Whether a request with OPTIONS may go through a proxy at all: a custom one, or the system's
 * when it names any. FALSE lets the client skip what only a proxy could need. */
gboolean  sonde_proxy_may_be_used       (SondeRequestOptions  *options);

/* Identifies the proxy configuration of OPTIONS (with a digest of the credentials):
 * requests with equal keys may share a SoupSession. */
char     *sonde_proxy_get_session_key   (SondeRequestOptions  *options);

/* For the client's SoupMessage::authenticate handler: when AUTH is for a proxy, answers
 * it with the credentials of OPTIONS on the first challenge and returns TRUE; returns
 * FALSE for server auth, on a retry (refused credentials), or without credentials. */
gboolean  sonde_proxy_authenticate      (SondeRequestOptions  *options,
                                         SoupMessage          *msg,
                                         SoupAuth             *auth,
                                         gboolean              retrying);

/* After MSG got its response (or a tunnel failed): for a 407 from a proxy,
 * SONDE_CLIENT_ERROR_PROXY_AUTH, "Proxy authentication failed (407): …" when credentials
 * were sent, "The proxy requires authentication (407): …" when none were; else TRUE.
 * A 401 without a Via header right after proxy credentials were sent is taken as the
 * proxy's refusal too (tinyproxy answers wrong credentials so): "… failed (401): …". */
gboolean  sonde_proxy_check_response    (SondeRequestOptions  *options,
                                         SoupMessage          *msg,
                                         GError              **error);

G_END_DECLS
