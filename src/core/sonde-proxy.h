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

/* Points SESSION at the proxy of OPTIONS. SONDE_REQUEST_ERROR_INVALID_URL for a custom URL
 * that is missing, unparsable or of an unknown kind. */
gboolean  sonde_proxy_configure_session (SoupSession          *session,
                                         SondeRequestOptions  *options,
                                         GError              **error);

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
