/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the units of the client share (docs/architecture.md, "Engine rules"): sonde-client.c
 * keeps the object, the sessions and the sending of each message; sonde-client-request.c
 * builds what is sent, sonde-client-redirect.c follows redirects, sonde-client-response.c
 * reads what comes back and sonde-client-errors.c says what went wrong. */

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "sonde-aws-sigv4.h"
#include "sonde-client.h"
#include "sonde-collection-private.h"
#include "sonde-error.h"
#include "sonde-request-io.h"
#include "sonde-file-access.h"
#include "sonde-multipart-stream.h"
#include "sonde-oauth2.h"
#include "sonde-proxy.h"
#include "sonde-response-private.h"
#include "sonde-secret-heuristics.h"
#include "sonde-tls.h"
#include "sonde-websocket.h"

G_BEGIN_DECLS

/* Big reads: fewer main loop turns and, when saving to a file, fewer worker-thread writes
 * (local files are not pollable). 1 GiB: 64 KiB took ~1.8-3 s, 1 MiB ~0.85 s, like curl. */
#define READ_CHUNK_SIZE (1024 * 1024)
/* The first read of a body kept by Sonde: most responses are small, and need not touch
 * a fresh 1 MiB each (a run of 1,000 small requests: 2,246 → 1,560 page faults). A read that
 * fills it moves to READ_CHUNK_SIZE. */
#define FIRST_READ_SIZE (16 * 1024)
/* A download to a file is written in blocks of this size (sonde-client-response.c). */
#define WRITE_BLOCK_SIZE (1024 * 1024)
#define DEFAULT_MAX_REDIRECTS 10

struct _SondeClient
{
  GObject           parent_instance;

  /* One session per connection setup (proxy, CA file, client certificate, verification):
   * libsoup reuses connections within a session, and a connection keeps the TLS it was
   * opened with. Keys from session_key (). */
  GHashTable       *sessions;     /* char* -> SessionEntry* */
  SondeCookieStore *cookie_store;
  gsize             memory_threshold;
  guint64           default_max_body_size;
  SondeRequestOptions *default_options; /* what a request that sets nothing gets, or NULL */
  GHashTable       *oauth2_tokens;  /* char* -> SondeOAuth2Token* (sonde-oauth2.c) */
  SondeSecretStore *token_store;    /* where tokens are kept too, or NULL */
  char             *token_owner;
};

/* What a request body is made from; opened again for every attempt, since libsoup drops
 * the stream when it restarts a message (auth) and redirects may resend it. */
typedef struct
{
  char                 *content_type;
  GBytes               *bytes;
  GFile                *file;
  SondeMultipartStream *multipart;  /* a template, never read itself */
  goffset               length;
  char                 *payload_hash; /* SHA-256 in hex, for AWS Signature v4 only */
} BodySource;

/* One send, from the first message through redirects to the last body byte. */
typedef struct
{
  SondeClient         *client;        /* borrowed: the task holds a reference */
  SondeRequest        *request;
  SondeRequestOptions *options;       /* borrowed from request */
  SoupSession         *session;
  char                *session_key;
  GTlsDatabase        *tls_database;  /* loaded for a new session */
  GTlsCertificate     *client_certificate;
  SoupCookieJar       *jar;           /* the client's store's, or one for this send only */
  gboolean             certificate_requested;

  /* What to send now; changes along redirects. */
  char                *method;
  GUri                *uri;
  GUri                *origin_uri;    /* credentials only ever go back here */
  BodySource          *body;          /* NULL: no body */
  gboolean             body_dropped;  /* by a 301/302/303 redirect */
  gboolean             send_credentials;
  char                *oauth_access_token;
  gboolean             oauth_store_read;   /* the token store was asked already */

  SoupMessage         *msg;
  gulong               msg_handlers[9]; /* Sonde's handlers on MSG (sonde-client.c) */
  gboolean             auth_answered;
  gboolean             proxy_negotiating;  /* a SOCKS proxy answered: refusals are the target's */
  guint64              upload_done;
  gint64               started_at;
  gint64               wrote_body_at;

  /* Cancellation: the caller's cancellable and the timers both cancel ours. */
  GCancellable        *cancellable;
  GCancellable        *caller_cancellable;
  gulong               caller_cancelled_id;
  guint                timeout_id;
  guint                connect_timeout_id;
  gboolean             timed_out;
  gboolean             connect_timed_out;

  /* Response body */
  SondeResponse       *response;
  GInputStream        *body_stream;
  GFile               *output;
  char                *output_tmp_path;
  GOutputStream       *output_stream;
  GBytes              *writing_chunk;  /* being written to output_stream */
  GBytes              *pending_chunk;  /* read, waiting for the write before it */
  guint8              *block;          /* read into, until full: then it is pending_chunk */
  gsize                block_len;
  guint8              *read_buffer;    /* read into for a body kept by Sonde */
  gsize                read_buffer_size;
  gboolean             reading;
  gboolean             read_done;      /* end of the body, or the size cap */
  gboolean             body_failed;
  GError              *body_error;     /* returned once nothing is under way */
  guint64              body_total;
  guint64              max_body_size;
  gboolean             default_cap;   /* max_body_size is the client's default */

  SondeProgressFunc    progress;
  gpointer             progress_data;
  SondeStreamFunc      stream;
  gpointer             stream_data;
  GDestroyNotify       progress_destroy;

  /* A WebSocket handshake instead of a send (sonde-client-websocket.c) */
  gboolean             websocket;
  GStrv                subprotocols;
  guint                keepalive;
} Send;

/* sonde-client.c */
void          sonde_client_body_source_free        (BodySource    *source);
void          sonde_client_mask_token              (Send          *send);
/* Sends SEND's message as it is now: the first, or the next of a redirect chain. */
void          sonde_client_send_message            (GTask         *task);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BodySource, sonde_client_body_source_free)

/* sonde-client-request.c */
gboolean      sonde_client_has_valid_host          (GUri          *uri);
gboolean      sonde_client_is_http_scheme          (const char    *scheme);
GUri         *sonde_client_build_uri               (SondeRequest  *request,
                                                    GError       **error);
gboolean      sonde_client_validate_headers        (SondeRequest  *request,
                                                    GError       **error);
gboolean      sonde_client_validate_cookies        (SondeRequest  *request,
                                                    GError       **error);
gboolean      sonde_client_validate_auth           (SondeAuth     *auth,
                                                    GError       **error);
BodySource   *sonde_client_build_body              (SondeRequest  *request,
                                                    GError       **error);
gboolean      sonde_client_attach_body             (Send          *send,
                                                    GError       **error);
GInputStream *sonde_client_body_source_open        (BodySource    *source,
                                                    GError       **error);

/* sonde-client-redirect.c */
int           sonde_client_uri_port                (GUri          *uri);
gboolean      sonde_client_is_redirect             (guint          status);
gboolean      sonde_client_follow_redirect         (Send          *send,
                                                    GError       **error);
void          sonde_client_redirect_body_closed_cb (GObject       *object,
                                                    GAsyncResult  *result,
                                                    gpointer       user_data);

/* sonde-client-errors.c */
GError       *sonde_client_explain_error           (Send          *send,
                                                    GError        *error);
void          sonde_client_return_error            (GTask         *task,
                                                    GError        *error);

/* sonde-client-websocket.c */
void          sonde_client_websocket_handshake     (GTask         *task);
GUri         *sonde_client_websocket_http_uri      (GUri          *uri);

/* sonde-client-response.c */
void          sonde_client_fill_timings            (Send          *send);
void          sonde_client_start_body              (GTask         *task,
                                                    GInputStream  *stream);
void          sonde_client_store_cookies           (Send          *send);

G_END_DECLS
