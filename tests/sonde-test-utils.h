/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "sonde-client.h"

G_BEGIN_DECLS

SondeResponse *sonde_test_client_send   (SondeClient        *client,
                                         SondeRequest       *request,
                                         GFile              *output,
                                         SondeProgressFunc   progress,
                                         gpointer            progress_data,
                                         GCancellable       *cancellable,
                                         GError            **error);
char          *sonde_test_session_fetch (SoupSession        *session,
                                         SoupMessage        *msg,
                                         GError            **error);

G_END_DECLS
