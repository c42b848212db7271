/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-client.h"
#include "sonde-collection.h"
#include "sonde-request-editor.h"
#include "sonde-response-view.h"

G_BEGIN_DECLS

/* One tab of the window: the request editor above the response view, and the send in
 * flight for them (one GCancellable per tab).
 *
 * Properties: "request" (construct-only), "sending", "modified" (unsaved changes),
 * "connected" (a WebSocket request's connection is open), "title" (the request's name, else its file's, else "Untitled Request"), "deleted" (the
 * collection request's file was removed by another program). Escape in the tab activates
 * win.cancel-request.
 *
 * A page may edit a copy of a collection's request ("collection", "node"): sending then goes
 * through sonde_collection_prepare_request_async () (inheritance, environment, secrets).
 *
 * Signal "request-sent" (SondeRequest *request, SondeResponse *response or NULL, GError *error
 * or NULL): a send ended (not when cancelled); REQUEST is as written, not expanded. */
#define SONDE_TYPE_REQUEST_PAGE (sonde_request_page_get_type ())
G_DECLARE_FINAL_TYPE (SondeRequestPage, sonde_request_page, SONDE, REQUEST_PAGE, GtkWidget)

SondeRequestPage   *sonde_request_page_new               (SondeRequest     *request);
SondeRequest       *sonde_request_page_get_request       (SondeRequestPage *self);
SondeRequestEditor *sonde_request_page_get_editor        (SondeRequestPage *self);
SondeResponseView  *sonde_request_page_get_response_view (SondeRequestPage *self);
GtkPaned           *sonde_request_page_get_paned         (SondeRequestPage *self);
gboolean            sonde_request_page_get_sending       (SondeRequestPage *self);
gboolean            sonde_request_page_get_modified      (SondeRequestPage *self);
void                sonde_request_page_set_modified      (SondeRequestPage *self,
                                                          gboolean          modified);
const char         *sonde_request_page_get_title         (SondeRequestPage *self);
/* Starts sending with CLIENT. FALSE with ERROR when the request cannot be sent as it is
 * (nothing was sent; the field is marked in the editor). Problems found later, including
 * undefined variables, show in the response view. */
gboolean            sonde_request_page_send              (SondeRequestPage *self,
                                                          SondeClient      *client,
                                                          GError          **error);
/* The same, for a page of a collection: with ENVIRONMENT's variables and SECRETS (both may be
 * NULL). Without a collection, like sonde_request_page_send (). */
gboolean            sonde_request_page_send_full         (SondeRequestPage *self,
                                                          SondeClient      *client,
                                                          SondeEnvironment *environment,
                                                          SondeSecretStore *secrets,
                                                          GError          **error);
/* GraphQL: sends the introspection query to the request's URL, with its headers, auth and
 * settings (as a send would expand them), and gives the schema's names to the body editor. */
void                sonde_request_page_fetch_schema      (SondeRequestPage *self,
                                                          SondeClient      *client,
                                                          SondeEnvironment *environment,
                                                          SondeSecretStore *secrets);
/* OAuth 2.0: gets a new token for the request's auth (through the browser for the
 * authorization code grant), or forgets the one held; the auth editor says how it went. */
void                sonde_request_page_get_oauth_token   (SondeRequestPage *self,
                                                          SondeClient      *client,
                                                          SondeEnvironment *environment,
                                                          SondeSecretStore *secrets,
                                                          gboolean          clear);
void                sonde_request_page_set_collection    (SondeRequestPage    *self,
                                                          SondeCollection     *collection,
                                                          SondeCollectionNode *node);
SondeCollection    *sonde_request_page_get_collection    (SondeRequestPage *self);
SondeCollectionNode *sonde_request_page_get_node         (SondeRequestPage *self);
gboolean            sonde_request_page_get_deleted       (SondeRequestPage *self);
void                sonde_request_page_set_deleted       (SondeRequestPage *self,
                                                          gboolean          deleted);
/* Cancels the send in flight; the response view goes back to what it showed before. */
void                sonde_request_page_cancel            (SondeRequestPage *self);

/* WebSocket requests: sending connects; the connection is the page's until it closes or a new
 * one opens ("connected": it is open). */
gboolean            sonde_request_page_get_connected     (SondeRequestPage *self);
SondeWebsocket     *sonde_request_page_get_websocket     (SondeRequestPage *self);
void                sonde_request_page_disconnect        (SondeRequestPage *self);
/* Sends the saved message INDEX of the request as it is now (expanded as a send would be),
 * or with INDEX -1 the checked ones in order. Problems show under the message composer. */
void                sonde_request_page_send_saved_messages (SondeRequestPage *self,
                                                            SondeClient      *client,
                                                            SondeEnvironment *environment,
                                                            SondeSecretStore *secrets,
                                                            int               index);

void                sonde_request_page_set_run_variables (SondeRequestPage *self,
                                                          GHashTable       *variables,
                                                          GHashTable       *secrets);

G_END_DECLS
