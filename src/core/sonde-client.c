/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-client"

#include "config.h"

#include "sonde-client-private.h"
#include "sonde-body-splice.h"
#include "sonde-collection-private.h"

typedef struct
{
  SoupSession     *session;
  GTlsCertificate *client_certificate;  /* NULL: none configured */
} SessionEntry;

G_DEFINE_FINAL_TYPE (SondeClient, sonde_client, G_TYPE_OBJECT)

void
sonde_client_body_source_free (BodySource *source)
{
  g_free (source->content_type);
  g_clear_pointer (&source->bytes, g_bytes_unref);
  g_clear_object (&source->file);
  g_clear_object (&source->multipart);
  g_free (source->payload_hash);
  g_free (source);
}

/* By their ids: matching by data walks every handler the message has, libsoup's included. */
static void
disconnect_message (Send *send)
{
  for (guint i = 0; i < G_N_ELEMENTS (send->msg_handlers); i++)
    if (send->msg_handlers[i] != 0)
      g_clear_signal_handler (&send->msg_handlers[i], send->msg);
  g_clear_object (&send->msg);
}

static void
send_free (Send *send)
{
  g_clear_handle_id (&send->timeout_id, g_source_remove);
  g_clear_handle_id (&send->connect_timeout_id, g_source_remove);
  if (send->caller_cancelled_id != 0)
    g_cancellable_disconnect (send->caller_cancellable, send->caller_cancelled_id);
  g_clear_object (&send->caller_cancellable);
  g_clear_object (&send->cancellable);
  disconnect_message (send);

  if (send->body_stream != NULL)
    g_input_stream_close (send->body_stream, NULL, NULL);
  g_clear_object (&send->body_stream);

  /* A download that did not finish never replaces the file it was meant for. */
  if (send->output_stream != NULL)
    g_output_stream_close (send->output_stream, NULL, NULL);
  g_clear_object (&send->output_stream);
  g_clear_pointer (&send->writing_chunk, g_bytes_unref);
  g_clear_pointer (&send->pending_chunk, g_bytes_unref);
  g_clear_pointer (&send->block, g_free);
  g_clear_pointer (&send->read_buffer, g_free);
  g_clear_error (&send->body_error);
  if (send->output_tmp_path != NULL)
    g_unlink (send->output_tmp_path);
  g_free (send->output_tmp_path);
  g_clear_object (&send->output);

  g_clear_object (&send->response);
  g_clear_pointer (&send->body, sonde_client_body_source_free);
  g_clear_pointer (&send->uri, g_uri_unref);
  g_clear_pointer (&send->origin_uri, g_uri_unref);
  g_free (send->method);
  g_free (send->oauth_access_token);
  g_clear_object (&send->session);
  g_free (send->session_key);
  g_clear_object (&send->tls_database);
  g_clear_object (&send->client_certificate);
  g_clear_object (&send->jar);
  g_clear_object (&send->request);
  g_strfreev (send->subprotocols);

  if (send->progress_destroy != NULL)
    send->progress_destroy (send->progress_data);
  g_free (send);
}

/* Timers */

static gboolean
timeout_cb (gpointer user_data)
{
  Send *send = user_data;

  send->timeout_id = 0;
  send->timed_out = TRUE;
  g_cancellable_cancel (send->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  Send *send = user_data;

  send->connect_timeout_id = 0;
  send->connect_timed_out = TRUE;
  g_cancellable_cancel (send->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Message signals */

static void
restarted_cb (SoupMessage *msg,
              Send        *send)
{
  g_autoptr(GError) error = NULL;

  /* libsoup hands the certificate to the first connection the message gets; one that
   * restarts on another (a proxy that closed after asking for credentials) needs it again */
  if (send->client_certificate != NULL)
    soup_message_set_tls_client_certificate (msg, send->client_certificate);
  if (!sonde_client_attach_body (send, &error))
    g_warning ("Could not reopen the request body: %s", error->message);
}

static gboolean
authenticate_cb (SoupMessage *msg,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 Send        *send)
{
  SondeAuth *settings = sonde_request_read_auth (send->request);
  SondeAuthKind kind = sonde_auth_get_kind (settings);
  const char *scheme = soup_auth_get_scheme_name (auth);

  /* Proxy credentials come with the proxy options, answered once (sonde-proxy.c). */
  if (soup_auth_is_for_proxy (auth))
    return sonde_proxy_authenticate (send->options, msg, auth, retrying);

  /* Answer once: if the server says no again, the person gets the 401 rather than a loop. */
  if (retrying || send->auth_answered || !send->send_credentials)
    return FALSE;
  if (!((kind == SONDE_AUTH_BASIC && g_ascii_strcasecmp (scheme, "Basic") == 0) ||
        (kind == SONDE_AUTH_DIGEST && g_ascii_strcasecmp (scheme, "Digest") == 0) ||
        (kind == SONDE_AUTH_NTLM && g_ascii_strcasecmp (scheme, "NTLM") == 0)))
    return FALSE;

  send->auth_answered = TRUE;
  soup_auth_authenticate (auth,
                          sonde_auth_get_username (settings) ? sonde_auth_get_username (settings) : "",
                          sonde_auth_get_password (settings) ? sonde_auth_get_password (settings) : "");
  return FALSE;
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       Send                 *send)
{
  return !sonde_request_options_get_verify_tls (send->options);
}

static gboolean
request_certificate_cb (SoupMessage          *msg,
                        GTlsClientConnection *connection,
                        Send                 *send)
{
  /* Only asked when no certificate is set: the handshake goes on without one, and the
   * server's refusal is explained in sonde_client_explain_error (). */
  send->certificate_requested = TRUE;
  return FALSE;
}

static void
starting_cb (SoupMessage *msg,
             Send        *send)
{
  /* A connection is ready (new or reused): the connect timeout has done its job. */
  g_clear_handle_id (&send->connect_timeout_id, g_source_remove);
}

static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  Send               *send)
{
  /* GIO's SOCKS client got through to the proxy and is talking to it. */
  if (event == G_SOCKET_CLIENT_PROXY_NEGOTIATING)
    send->proxy_negotiating = TRUE;
}

/* The Host header libsoup writes for URI when a message does not hold one: the host (an IPv6
 * address in brackets), and the port unless it is the scheme's own. */
static char *
host_header (GUri *uri)
{
  const char *name = g_uri_get_host (uri);
  int port = sonde_client_uri_port (uri);
  int default_port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
  g_autofree char *bracketed = strchr (name, ':') != NULL ? g_strdup_printf ("[%s]", name) : g_strdup (name);

  return port == default_port ? g_steal_pointer (&bracketed) : g_strdup_printf ("%s:%d", bracketed, port);
}

static void
wrote_headers_cb (SoupMessage *msg,
                  Send        *send)
{
  g_autofree char *host = host_header (soup_message_get_uri (msg));

  sonde_response_set_request_headers (send->response, soup_message_get_request_headers (msg), host);
  /* Without a body the request is written with its headers ("wrote-body" is not watched). */
  if (send->body == NULL)
    send->wrote_body_at = g_get_monotonic_time ();
}

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    Send        *send)
{
  send->upload_done += chunk_size;
  if (send->progress != NULL && send->body != NULL)
    send->progress (SONDE_TRANSFER_UPLOAD, send->upload_done, send->body->length, send->progress_data);
}

static void
wrote_body_cb (SoupMessage *msg,
               Send        *send)
{
  send->wrote_body_at = g_get_monotonic_time ();
}

/* Sending */

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      sonde_client_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  sonde_client_store_cookies (send);
  if (!sonde_proxy_check_response (send->options, send->msg, &error))
    {
      g_input_stream_close (stream, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (send->msg);
  if (sonde_client_is_redirect (status) && sonde_request_options_get_follow_redirects (send->options) &&
      soup_message_headers_get_one (soup_message_get_response_headers (send->msg), "Location") != NULL)
    {
      if (!sonde_client_follow_redirect (send, &error))
        {
          g_input_stream_close (stream, NULL, NULL);
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, sonde_client_redirect_body_closed_cb, task);
      return;
    }

  sonde_client_start_body (task, g_steal_pointer (&stream));
}

static gboolean
holds_secret (SondeRequest *request,
              const char   *value)
{
  const char * const *secrets = sonde_request_get_secret_values (request);

  for (guint i = 0; value != NULL && secrets != NULL && secrets[i] != NULL; i++)
    if (strstr (value, secrets[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Records NAME as not sent to the URL the last redirect led to. */
static void
note_dropped (Send       *send,
              const char *name)
{
  GPtrArray *redirects = send->response->redirects;
  SondeRedirect *redirect;
  g_autoptr(GStrvBuilder) builder = NULL;

  if (redirects->len == 0 || name == NULL)
    return;
  redirect = g_ptr_array_index (redirects, redirects->len - 1);
  for (guint i = 0; redirect->dropped != NULL && redirect->dropped[i] != NULL; i++)
    if (g_ascii_strcasecmp (redirect->dropped[i], name) == 0)
      return;

  builder = g_strv_builder_new ();
  if (redirect->dropped != NULL)
    g_strv_builder_addv (builder, (const char **) redirect->dropped);
  g_strv_builder_add (builder, name);
  g_strfreev (redirect->dropped);
  redirect->dropped = g_strv_builder_end (builder);
}

static void
add_request_headers (Send *send)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (send->msg);
  GListModel *rows = sonde_request_peek_headers (send->request);
  SondeAuth *auth = sonde_request_read_auth (send->request);
  guint n = sonde_rows_count (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);
      const char *name = sonde_key_value_get_name (row);

      if (!sonde_key_value_get_enabled (row))
        continue;
      /* Credentials never follow a redirect to another origin (as curl since
       * CVE-2018-1000007): by their name, or because they hold a secret's value. */
      if (!send->send_credentials &&
          (sonde_is_credential_header_name (name) || sonde_key_value_get_sensitive (row) ||
           holds_secret (send->request, sonde_key_value_get_value (row))))
        {
          note_dropped (send, name);
          continue;
        }
      /* With a body, Content-Type goes with it (and honours this row). A body dropped by a
       * redirect takes the row along. */
      if (g_ascii_strcasecmp (name, "Content-Type") == 0 &&
          (send->body != NULL || send->body_dropped))
        continue;
      soup_message_headers_append (headers, name, sonde_key_value_get_value (row));
    }

  if (!send->send_credentials)
    {
      switch (sonde_auth_get_kind (auth))
        {
        case SONDE_AUTH_BEARER:
        case SONDE_AUTH_BASIC:
        case SONDE_AUTH_DIGEST:
        case SONDE_AUTH_NTLM:
        case SONDE_AUTH_AWS_SIGV4:
          note_dropped (send, "Authorization");
          break;
        case SONDE_AUTH_OAUTH2:
          note_dropped (send, sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_HEADER)[0] != '\0'
                              ? sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_HEADER) : "Authorization");
          break;
        case SONDE_AUTH_API_KEY:
          if (sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_HEADER)
            note_dropped (send, sonde_auth_get_key_name (auth));
          break;
        case SONDE_AUTH_NONE:
        case SONDE_AUTH_INHERIT:
        default:
          break;
        }
      return;
    }

  switch (sonde_auth_get_kind (auth))
    {
    case SONDE_AUTH_BEARER:
      if (soup_message_headers_get_one (headers, "Authorization") == NULL)
        {
          g_autofree char *value = g_strdup_printf ("Bearer %s", sonde_auth_get_token (auth) ? sonde_auth_get_token (auth) : "");

          soup_message_headers_append (headers, "Authorization", value);
        }
      break;

    case SONDE_AUTH_API_KEY:
      if (sonde_auth_get_key_location (auth) == SONDE_API_KEY_IN_HEADER)
        soup_message_headers_append (headers, sonde_auth_get_key_name (auth),
                                     sonde_auth_get_key_value (auth) ? sonde_auth_get_key_value (auth) : "");
      break;

    case SONDE_AUTH_OAUTH2:
      /* The token prepare_session () got, as Bearer, or alone in a header of the API's own;
       * a header row of the person's own wins. In the query it is sonde_client_message_uri ()'s. */
      if (send->oauth_access_token != NULL && sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_QUERY)[0] == '\0')
        {
          const char *name = sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_HEADER);
          gboolean bearer = name[0] == '\0' || g_ascii_strcasecmp (name, "Authorization") == 0;
          g_autofree char *value = bearer ? g_strdup_printf ("Bearer %s", send->oauth_access_token)
                                          : g_strdup (send->oauth_access_token);

          if (bearer)
            name = "Authorization";
          if (soup_message_headers_get_one (headers, name) == NULL)
            soup_message_headers_append (headers, name, value);
        }
      break;

    case SONDE_AUTH_NONE:
    case SONDE_AUTH_INHERIT:   /* nothing to inherit from: none */
    case SONDE_AUTH_BASIC:
    case SONDE_AUTH_DIGEST:
    case SONDE_AUTH_NTLM:
    case SONDE_AUTH_AWS_SIGV4:  /* sign_aws (), once every header is there */
    default:
      break;
    }

}

static gboolean
uses_aws_signature (Send *send)
{
  return sonde_request_get_auth_kind (send->request) == SONDE_AUTH_AWS_SIGV4;
}

/* AWS Signature v4 signs the headers as they go (sonde-aws-sigv4.c), so it comes last:
 * after the header rows, cookies and the body's Content-Type. Each message of a redirect
 * chain is signed anew; credentials only go to the origin. */
static void
sign_aws (Send *send)
{
  SondeAuth *auth = sonde_request_read_auth (send->request);
  SoupMessageHeaders *headers = soup_message_get_request_headers (send->msg);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *empty_hash = NULL;
  g_autofree char *host = NULL;
  const char *payload_hash;
  SondeAwsCredentials credentials = {
    .access_key = sonde_auth_get_username (auth),
    .secret_key = sonde_auth_get_password (auth),
    .session_token = sonde_auth_get_token (auth),
    .region = sonde_auth_get_region (auth),
    .service = sonde_auth_get_service (auth),
  };

  if (send->body != NULL)
    payload_hash = send->body->payload_hash;
  else
    payload_hash = empty_hash = sonde_aws_sigv4_hash_hex ((const guint8 *) "", 0);
  g_assert (payload_hash != NULL);

  /* libsoup wrote Host from the URI when it made the message (HTTP/2 sends the same as
   * :authority); made here the same way only should a libsoup leave it out. */
  if (soup_message_headers_get_one (headers, "Host") != NULL)
    host = g_strdup (soup_message_headers_get_one (headers, "Host"));
  else
    host = host_header (send->uri);

  sonde_aws_sigv4_sign (headers, send->method, host, g_uri_get_path (send->uri), g_uri_get_query (send->uri),
                        payload_hash, &credentials, now);
}

/* The body's SHA-256 for AWS Signature v4, read in a worker thread: a file body may be
 * gigabytes. S3 takes "UNSIGNED-PAYLOAD" instead, which spares reading it twice. */
static void
hash_body_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  BodySource *body = task_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK_SIZE);
  GError *error = NULL;
  gssize n;

  if ((stream = sonde_client_body_source_open (body, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  while ((n = g_input_stream_read (stream, buffer, READ_CHUNK_SIZE, cancellable, &error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_strdup (g_checksum_get_string (checksum)), g_free);
}

static void prepare_session (GTask *task);

static void
body_hashed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;

  send->body->payload_hash = g_task_propagate_pointer (G_TASK (result), &error);
  if (send->body->payload_hash == NULL)
    {
      sonde_client_return_error (task, error);
      g_object_unref (task);
      return;
    }
  prepare_session (task);
}

static void
oauth_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(SondeOAuth2Token) token = NULL;
  GError *error = NULL;

  token = sonde_client_fetch_oauth2_token_finish (SONDE_CLIENT (object), result, &error);
  if (token == NULL)
    {
      sonde_client_return_error (task, error);
      g_object_unref (task);
      return;
    }
  send->oauth_access_token = g_strdup (token->access_token);
  prepare_session (task);
}

static void
oauth_token_read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;

  sonde_client_read_oauth2_token_finish (SONDE_CLIENT (object), result, NULL);
  prepare_session (task);
}

/* OAuth 2.0: the token held when it is fresh, else a new one first (TRUE: being fetched,
 * prepare_session () goes on once it is here). */
static gboolean
oauth_token (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  SondeAuth *auth = sonde_request_read_auth (send->request);
  const SondeOAuth2Token *held;

  if (sonde_auth_get_kind (auth) != SONDE_AUTH_OAUTH2 || send->oauth_access_token != NULL)
    return FALSE;
  held = sonde_client_lookup_oauth2_token (send->client, auth);
  /* Not in memory: perhaps kept from an earlier run */
  if (held == NULL && !send->oauth_store_read)
    {
      send->oauth_store_read = TRUE;
      sonde_client_read_oauth2_token_async (send->client, auth, send->cancellable, oauth_token_read_cb, task);
      return TRUE;
    }
  if (sonde_oauth2_token_is_fresh (held))
    {
      send->oauth_access_token = g_strdup (held->access_token);
      return FALSE;
    }
  sonde_client_fetch_oauth2_token_async (send->client, auth, send->options, send->cancellable,
                                         oauth_token_cb, task);
  return TRUE;
}

/* TRUE when the hash is being computed: prepare_session () goes on once it is known. */
static gboolean
hash_body (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  g_autoptr(GTask) hashing = NULL;

  if (!uses_aws_signature (send) || send->body == NULL || send->body->payload_hash != NULL)
    return FALSE;

  if (send->body->bytes != NULL)
    {
      send->body->payload_hash = sonde_aws_sigv4_hash_hex (g_bytes_get_data (send->body->bytes, NULL),
                                                           g_bytes_get_size (send->body->bytes));
      return FALSE;
    }
  if (g_str_equal (sonde_auth_get_service (sonde_request_read_auth (send->request)), "s3"))
    {
      send->body->payload_hash = g_strdup (SONDE_AWS_UNSIGNED_PAYLOAD);
      return FALSE;
    }

  /* The worker reads its own streams; SEND, which holds the body, outlives it. */
  hashing = g_task_new (NULL, send->cancellable, body_hashed_cb, task);
  g_task_set_task_data (hashing, send->body, NULL);
  g_task_run_in_thread (hashing, hash_body_thread);
  return TRUE;
}

/* One Cookie header: a Cookie header row, the request's cookie rows (only to the origin),
 * then the jar's cookies for this URL that the rows did not name. */
static void
add_cookie_header (Send *send)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (send->msg);
  GListModel *rows = sonde_request_peek_cookies (send->request);
  guint n = sonde_rows_count (rows);
  g_autoptr(GString) cookies = NULL;
  g_autoptr(GHashTable) named = n > 0 ? g_hash_table_new (g_str_hash, g_str_equal) : NULL;
  GSList *jar_cookies = soup_cookie_jar_get_cookie_list (send->jar, send->uri, TRUE);
  const char *header = soup_message_headers_get_list (headers, "Cookie");

  /* Most requests: no Cookie header, no cookie rows, nothing in the jar for them. */
  if (header == NULL && n == 0 && jar_cookies == NULL)
    return;
  cookies = g_string_new (header);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeKeyValue) row = g_list_model_get_item (rows, i);

      if (!sonde_key_value_get_enabled (row))
        continue;
      if (!send->send_credentials)
        {
          note_dropped (send, "Cookie");
          continue;
        }
      if (cookies->len > 0)
        g_string_append (cookies, "; ");
      g_string_append_printf (cookies, "%s=%s", sonde_key_value_get_name (row), sonde_key_value_get_value (row));
      g_hash_table_add (named, (gpointer) sonde_key_value_get_name (row));
    }

  for (GSList *l = jar_cookies; l != NULL; l = l->next)
    {
      SoupCookie *cookie = l->data;

      if (named != NULL && g_hash_table_contains (named, soup_cookie_get_name (cookie)))
        continue;
      /* A jar a server filled must not make every request huge: the most specific cookies
       * (libsoup lists longer paths first) up to a bound. */
      if (cookies->len + strlen (soup_cookie_get_name (cookie)) + strlen (soup_cookie_get_value (cookie)) + 3 >
          SONDE_COOKIE_HEADER_MAX)
        break;
      if (cookies->len > 0)
        g_string_append (cookies, "; ");
      g_string_append_printf (cookies, "%s=%s", soup_cookie_get_name (cookie), soup_cookie_get_value (cookie));
    }
  g_slist_free_full (jar_cookies, (GDestroyNotify) soup_cookie_free);

  if (cookies->len > 0)
    soup_message_headers_replace (headers, "Cookie", cookies->str);
}


/* The URL the message goes to: SEND's, with an OAuth 2.0 token in the query when the auth
 * says so (only to the origin; never kept in SEND, whose URL redirects and reports see). */
static GUri *
message_uri (Send *send)
{
  SondeAuth *auth = sonde_request_read_auth (send->request);
  const char *name = sonde_auth_get_oauth (auth, SONDE_OAUTH_TOKEN_QUERY);
  g_autoptr(GString) query = NULL;

  if (sonde_auth_get_kind (auth) != SONDE_AUTH_OAUTH2 || name[0] == '\0' ||
      send->oauth_access_token == NULL || !send->send_credentials)
    return g_uri_ref (send->uri);

  query = g_string_new (g_uri_get_query (send->uri));
  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_uri_escaped (query, name, NULL, FALSE);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, send->oauth_access_token, NULL, FALSE);
  return g_uri_build (g_uri_get_flags (send->uri), g_uri_get_scheme (send->uri), g_uri_get_userinfo (send->uri),
                      g_uri_get_host (send->uri), g_uri_get_port (send->uri), g_uri_get_path (send->uri),
                      query->str, g_uri_get_fragment (send->uri));
}

/* What the response says of the URL never holds an OAuth 2.0 token sent in the query. */
void
sonde_client_mask_token (Send *send)
{
  g_autofree char *escaped = NULL;
  const char *secrets[3] = { NULL };

  if (send->oauth_access_token == NULL || send->response == NULL || send->response->url == NULL)
    return;
  escaped = g_uri_escape_string (send->oauth_access_token, NULL, FALSE);
  secrets[0] = escaped;
  secrets[1] = send->oauth_access_token;
  {
    g_autofree char *masked = sonde_secrets_mask (send->response->url, secrets);

    g_free (send->response->url);
    send->response->url = g_steal_pointer (&masked);
  }
}

void
sonde_client_send_message (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  disconnect_message (send);
  send->auth_answered = FALSE;
  send->proxy_negotiating = FALSE;
  send->wrote_body_at = 0;

  {
    g_autoptr(GUri) uri = message_uri (send);

    send->msg = soup_message_new_from_uri (send->method, uri);
  }
  soup_message_add_flags (send->msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_COLLECT_METRICS |
                                     SOUP_MESSAGE_DO_NOT_USE_AUTH_CACHE);
#if SOUP_CHECK_VERSION (3, 4, 0)
  if (sonde_request_options_get_http_version (send->options) == SONDE_HTTP_VERSION_1_1)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      soup_message_set_force_http1 (send->msg, TRUE);
      G_GNUC_END_IGNORE_DEPRECATIONS
    }
#endif

  add_request_headers (send);
  add_cookie_header (send);
  if (send->client_certificate != NULL)
    soup_message_set_tls_client_certificate (send->msg, send->client_certificate);
  if (!sonde_client_attach_body (send, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (uses_aws_signature (send) && send->send_credentials)
    sign_aws (send);

  /* Each handler costs a connect and a disconnect per message, a share of a run of many
   * small requests: those that could only ever return libsoup's own answer are left out. */
  {
    gboolean https = g_ascii_strcasecmp (g_uri_get_scheme (soup_message_get_uri (send->msg)), "https") == 0;
    SondeAuthKind auth_kind = sonde_auth_get_kind (sonde_request_read_auth (send->request));
    gboolean proxy = sonde_proxy_may_be_used (send->options);
    const struct { const char *signal; GCallback callback; gboolean needed; } handlers[] = {
      /* A restart re-attaches only a body and a client certificate. */
      { "restarted", G_CALLBACK (restarted_cb), send->body != NULL || send->client_certificate != NULL },
      /* Only a proxy, or a server asked with the request's own Basic, Digest or NTLM. */
      { "authenticate", G_CALLBACK (authenticate_cb),
        proxy || (send->send_credentials && (auth_kind == SONDE_AUTH_BASIC || auth_kind == SONDE_AUTH_DIGEST ||
                                             auth_kind == SONDE_AUTH_NTLM)) },
      /* Without a handler, libsoup refuses a certificate that does not verify. */
      { "accept-certificate", G_CALLBACK (accept_certificate_cb),
        !sonde_request_options_get_verify_tls (send->options) },
      { "request-certificate", G_CALLBACK (request_certificate_cb), https },
      /* It ends the connect timeout, when there is one. */
      { "starting", G_CALLBACK (starting_cb), sonde_request_options_get_connect_timeout (send->options) > 0 },
      { "network-event", G_CALLBACK (network_event_cb), proxy },
      { "wrote-headers", G_CALLBACK (wrote_headers_cb), TRUE },
      { "wrote-body-data", G_CALLBACK (wrote_body_data_cb), send->body != NULL },
      { "wrote-body", G_CALLBACK (wrote_body_cb), send->body != NULL },
    };

    G_STATIC_ASSERT (G_N_ELEMENTS (handlers) == G_N_ELEMENTS (send->msg_handlers));
    for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
      if (handlers[i].needed)
        send->msg_handlers[i] = g_signal_connect (send->msg, handlers[i].signal, handlers[i].callback, send);
  }

  if (sonde_request_options_get_connect_timeout (send->options) > 0)
    {
      g_clear_handle_id (&send->connect_timeout_id, g_source_remove);
      send->connect_timeout_id =
        g_timeout_add (sonde_request_options_get_connect_timeout (send->options) * 1000, connect_timeout_cb, send);
    }

  if (send->websocket)
    sonde_client_websocket_handshake (task);
  else
    soup_session_send_async (send->session, send->msg, G_PRIORITY_DEFAULT, send->cancellable, send_cb, task);
}

/* Sessions */

static void
session_entry_free (SessionEntry *entry)
{
  soup_session_abort (entry->session);
  g_clear_object (&entry->session);
  g_clear_object (&entry->client_certificate);
  g_free (entry);
}

static gboolean
has_client_certificate (SondeRequestOptions *options)
{
  const char *pkcs12 = sonde_request_options_get_client_pkcs12 (options);
  const char *cert = sonde_request_options_get_client_cert (options);

  return (pkcs12 != NULL && pkcs12[0] != '\0') || (cert != NULL && cert[0] != '\0');
}

static char *
build_session_key (SondeRequest *request)
{
  SondeRequestOptions *options = sonde_request_read_options (request);
  g_autofree char *proxy = sonde_proxy_get_session_key (options);
  g_autofree char *ca_file = sonde_request_dup_absolute_path (request, sonde_request_options_get_ca_file (options));
  g_autofree char *cert = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_cert (options));
  g_autofree char *key = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_key (options));
  g_autofree char *pkcs12 = sonde_request_dup_absolute_path (request, sonde_request_options_get_client_pkcs12 (options));
  const char *passphrase = sonde_request_options_get_client_passphrase (options);
  g_autofree char *passphrase_digest = NULL;

  if (passphrase != NULL)
    passphrase_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, passphrase, -1);

  /* NTLM has a session of its own (new_session ()). */
  return g_strdup_printf ("%s\n%d\n%s\n%s\n%s\n%s\n%s\n%d", proxy,
                          sonde_request_options_get_verify_tls (options),
                          ca_file ? ca_file : "", cert ? cert : "", key ? key : "",
                          pkcs12 ? pkcs12 : "", passphrase_digest ? passphrase_digest : "",
                          sonde_request_get_auth_kind (request) == SONDE_AUTH_NTLM);
}

/* Requests whose options set nothing and whose auth is not NTLM (nearly every request of a
 * run) share one key, built once. */
static char *
session_key (SondeRequest *request)
{
  static gsize default_key;
  SondeRequestOptions *options = sonde_request_peek_options (request);

  if ((options != NULL && !sonde_request_options_sets_nothing (options)) ||
      sonde_request_get_auth_kind (request) == SONDE_AUTH_NTLM)
    return build_session_key (request);

  if (g_once_init_enter (&default_key))
    {
      g_autoptr(SondeRequest) plain = sonde_request_new ();

      g_once_init_leave (&default_key, (gsize) build_session_key (plain));
    }
  return g_strdup ((const char *) default_key);
}

/* GIO picks the system proxy resolver by asking each installed one, in order, whether it
 * applies: GNOME's first, which reads its GSettings (starting dconf, about 2 ms) only to
 * answer no outside a GNOME session; then the portal's, which answers no outside a sandbox;
 * then libproxy's. Where that is sure to end with libproxy, it is named at once: the same
 * resolver, without the probe. Nothing is chosen when the person chose (GIO_USE_PROXY_RESOLVER),
 * in a GNOME session, in a sandbox, or when GIO reads modules from elsewhere or libproxy's
 * module is not installed. */
const char *
sonde_client_pick_proxy_resolver (const char *module_cache)
{
  const char *desktops = g_getenv ("XDG_CURRENT_DESKTOP");
  g_autofree char *cache = NULL;
  g_auto(GStrv) lines = NULL;

  if (sonde_proxy_resolver_is_imposed (NULL) ||
      (desktops != NULL && strstr (desktops, "GNOME") != NULL) ||
      g_strcmp0 (g_getenv ("DESKTOP_SESSION"), "gnome") == 0 ||
      module_cache == NULL || !g_file_get_contents (module_cache, &cache, NULL, NULL))
    return NULL;

  lines = g_strsplit (cache, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "libgiolibproxy.so:") &&
        strstr (lines[i], G_PROXY_RESOLVER_EXTENSION_POINT_NAME) != NULL)
      return "libproxy";
  return NULL;
}

void
sonde_client_init_process (void)
{
  /* libsoup < 3.4.4 collapses on large HTTP/2 bodies (docs/architecture.md): HTTP/1.1 there,
   * process-wide. setenv () is not thread-safe: main () calls this before any thread. */
  if (((soup_get_major_version () == 3 && soup_get_minor_version () < 4) ||
       (soup_get_major_version () == 3 && soup_get_minor_version () == 4 && soup_get_micro_version () < 4)) &&
      g_getenv ("SOUP_FORCE_HTTP1") == NULL)
    g_setenv ("SOUP_FORCE_HTTP1", "1", FALSE);

  /* Before the pick below names one for GIO: the person's own choice counts, not ours. */
  sonde_proxy_init_process ();
  {
    const char *resolver = sonde_client_pick_proxy_resolver (GIO_MODULE_DIR[0] != '\0'
                                                             ? GIO_MODULE_DIR "/giomodule.cache"
                                                             : NULL);

    if (resolver != NULL)
      g_setenv ("GIO_USE_PROXY_RESOLVER", resolver, FALSE);
  }
}

/* NTLM authenticates a connection, and libsoup answers a server offering it with NTLM
 * before Basic or Digest once its session knows NTLM: only requests whose auth is NTLM get a
 * session that does (session_key () tells them apart). */
static SoupSession *
new_session (gboolean ntlm)
{
  SoupSession *session = soup_session_new_with_options ("user-agent", "Sonde/" PACKAGE_VERSION " ",
                                                        "max-conns-per-host", 6,
                                                        NULL);

  if (ntlm)
    soup_session_add_feature_by_type (session, SOUP_TYPE_AUTH_NTLM);
  return session;
}

static void
return_load_error (GTask  *task,
                   GError *error)
{
  /* Loading errors already name the file and the cause; only cancellation needs words.
   * A CA file, certificate, key or passphrase that does not work is what the person
   * wrote, like a bad header: nothing was sent (sonde-cli exits with 2). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sonde_client_return_error (task, error);
  else if (error->domain != SONDE_REQUEST_ERROR)
    {
      g_task_return_new_error (task, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE, "%s", error->message);
      g_error_free (error);
    }
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static void
database_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;

  send->tls_database = sonde_tls_load_database_finish (result, &error);
  if (send->tls_database == NULL)
    {
      return_load_error (task, error);
      return;
    }
  soup_session_set_tls_database (send->session, send->tls_database);
  prepare_session (task);
}

static void
certificate_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;

  send->client_certificate = sonde_tls_load_client_certificate_finish (result, &error);
  if (send->client_certificate == NULL)
    {
      return_load_error (task, error);
      return;
    }
  prepare_session (task);
}

/* Finds or makes the session for the request. CA files and client certificates load in
 * worker threads (a PKCS #12 file or a big bundle takes a while), before anything is sent. */
static void
prepare_session (GTask *task)
{
  Send *send = g_task_get_task_data (task);
  SondeClient *self = send->client;
  SondeRequestOptions *options = send->options;
  SessionEntry *entry;
  g_autofree char *ca_file = NULL;
  GError *error = NULL;

  if (hash_body (task) || oauth_token (task))
    return;

  entry = g_hash_table_lookup (self->sessions, send->session_key);
  if (entry != NULL && (send->session == NULL || entry->session != send->session))
    {
      /* Made meanwhile by another send with the same setup: share it. */
      g_set_object (&send->session, entry->session);
      g_set_object (&send->client_certificate, entry->client_certificate);
      sonde_client_send_message (task);
      return;
    }

  if (send->session == NULL)
    {
      send->session = new_session (sonde_request_get_auth_kind (send->request) == SONDE_AUTH_NTLM);
      if (!sonde_proxy_configure_session (send->session, options, &error))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }

  ca_file = sonde_request_dup_absolute_path (send->request, sonde_request_options_get_ca_file (options));
  if (ca_file != NULL && send->tls_database == NULL)
    {
      sonde_tls_load_database_async (ca_file, send->cancellable, database_loaded_cb, task);
      return;
    }

  if (has_client_certificate (options) && send->client_certificate == NULL)
    {
      g_autofree char *cert = sonde_request_dup_absolute_path (send->request, sonde_request_options_get_client_cert (options));
      g_autofree char *key = sonde_request_dup_absolute_path (send->request, sonde_request_options_get_client_key (options));
      g_autofree char *pkcs12 = sonde_request_dup_absolute_path (send->request, sonde_request_options_get_client_pkcs12 (options));

      sonde_tls_load_client_certificate_async (pkcs12 ? NULL : cert, pkcs12 ? NULL : key, pkcs12,
                                               sonde_request_options_get_client_passphrase (options),
                                               send->cancellable, certificate_loaded_cb, task);
      return;
    }

  entry = g_new0 (SessionEntry, 1);
  entry->session = g_object_ref (send->session);
  entry->client_certificate = send->client_certificate ? g_object_ref (send->client_certificate) : NULL;
  g_hash_table_insert (self->sessions, g_strdup (send->session_key), entry);

  sonde_client_send_message (task);
}

static void
sonde_client_finalize (GObject *object)
{
  SondeClient *self = SONDE_CLIENT (object);

  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->oauth2_tokens, g_hash_table_unref);
  g_clear_object (&self->token_store);
  g_clear_pointer (&self->token_owner, g_free);
  g_clear_object (&self->cookie_store);
  g_clear_object (&self->default_options);

  G_OBJECT_CLASS (sonde_client_parent_class)->finalize (object);
}

static void
sonde_client_class_init (SondeClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sonde_client_finalize;

  sonde_body_splice_install ();
}

static void
sonde_client_init (SondeClient *self)
{
  self->memory_threshold = SONDE_BODY_STORE_DEFAULT_THRESHOLD;
  self->default_max_body_size = SONDE_CLIENT_DEFAULT_MAX_BODY_SIZE;
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) session_entry_free);
  self->oauth2_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sonde_oauth2_token_free);
}

SondeClient *
sonde_client_new (void)
{
  return g_object_new (SONDE_TYPE_CLIENT, NULL);
}

static void send_start (SondeClient *self, SondeRequest *request, gboolean websocket, GFile *output, SondeStreamFunc stream,
                        gpointer stream_data, SondeProgressFunc progress, gpointer progress_data,
                        GDestroyNotify progress_destroy, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data);

/**
 * sonde_client_send_async:
 * @request: an expanded request; the client works on a copy
 * @output: (nullable): a file the body streams to instead of memory
 * @progress: (nullable) (scope notified): called as bytes go up and come down
 */
void
sonde_client_send_async (SondeClient         *self,
                         SondeRequest        *request,
                         GFile               *output,
                         SondeProgressFunc    progress,
                         gpointer             progress_data,
                         GDestroyNotify       progress_destroy,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  send_start (self, request, FALSE, output, NULL, NULL, progress, progress_data, progress_destroy,
              cancellable, callback, user_data);
}

void
sonde_client_send_streaming_async (SondeClient         *self,
                                   SondeRequest        *request,
                                   SondeStreamFunc      stream,
                                   gpointer             stream_data,
                                   SondeProgressFunc    progress,
                                   gpointer             progress_data,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  send_start (self, request, FALSE, NULL, stream, stream_data, progress, progress_data, NULL,
              cancellable, callback, user_data);
}

/**
 * sonde_client_websocket_connect_async:
 * @request: an expanded WebSocket request (sonde_request_is_websocket ()); the client works on a copy
 *
 * Opens the connection: the handshake is a GET with the request's headers, cookies, auth and
 * connection options. Errors as sonde_client_send_async (), and SONDE_CLIENT_ERROR_FAILED
 * when the server answers without switching to WebSocket.
 */
void
sonde_client_websocket_connect_async (SondeClient         *self,
                                      SondeRequest        *request,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  send_start (self, request, TRUE, NULL, NULL, NULL, NULL, NULL, NULL, cancellable, callback, user_data);
}

/**
 * sonde_client_websocket_connect_finish:
 *
 * Returns: (transfer full) (nullable): the open connection
 */
SondeWebsocket *
sonde_client_websocket_connect_finish (SondeClient   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (SONDE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
send_start (SondeClient         *self,
            SondeRequest        *request,
            gboolean             websocket,
            GFile               *output,
            SondeStreamFunc      stream,
            gpointer             stream_data,
            SondeProgressFunc    progress,
            gpointer             progress_data,
            GDestroyNotify       progress_destroy,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Send *send;
  double timeout;
  gboolean merge_defaults;

  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (SONDE_IS_REQUEST (request));
  g_return_if_fail (output == NULL || G_IS_FILE (output));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_client_send_async);

  send = g_new0 (Send, 1);
  send->client = self;
  /* The person's defaults are merged into the request's own options: a copy of its own,
   * unless the request is a snapshot (already a copy, which nobody changes) and there is
   * nothing to merge. */
  merge_defaults = self->default_options != NULL && !sonde_request_options_sets_nothing (self->default_options);
  if (sonde_request_is_snapshot (request) && !merge_defaults)
    send->request = g_object_ref (request);
  else
    send->request = sonde_request_copy_snapshot (request);
  send->options = merge_defaults ? sonde_request_get_options (send->request)
                                 : sonde_request_read_options (send->request);
  if (merge_defaults)
    {
      /* The person's defaults, below whatever the request (or its collection) sets */
      g_autoptr(GPtrArray) levels = g_ptr_array_new ();
      g_autoptr(SondeRequestOptions) own = sonde_request_options_copy (send->options);

      g_ptr_array_add (levels, self->default_options);
      g_ptr_array_add (levels, own);
      if (!sonde_request_options_merge_levels (send->options, levels, &error))
        g_warning ("Default options not applied: %s", error->message);
      g_clear_error (&error);
    }
  send->progress = progress;
  send->progress_data = progress_data;
  send->progress_destroy = progress_destroy;
  send->stream = stream;
  send->stream_data = stream_data;
  send->output = output ? g_object_ref (output) : NULL;
  /* A decompression bomb must not fill memory or $TMPDIR: a body kept by Sonde has a cap
   * even when the request sets none. Saved to a file the person chose, it has none. */
  send->max_body_size = sonde_request_options_get_max_body_size (send->options);
  send->default_cap = send->max_body_size == 0 && output == NULL;
  if (send->default_cap)
    send->max_body_size = self->default_max_body_size;
  send->started_at = g_get_monotonic_time ();
  send->send_credentials = TRUE;
  send->response = sonde_response_new ();
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);

  /* Everything the person wrote is checked before a byte goes out. */
  send->websocket = websocket;
  send->method = g_strdup (websocket ? "GET" : sonde_request_get_method (request));
  if (websocket &&
      !sonde_websocket_read_settings (sonde_request_get_extra (send->request), &send->subprotocols,
                                      &send->keepalive, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!sonde_validate_method (send->method, &error) ||
      (send->uri = sonde_client_build_uri (send->request, &error)) == NULL ||
      !sonde_client_validate_headers (send->request, &error) ||
      !sonde_client_validate_cookies (send->request, &error) ||
      !sonde_client_validate_auth (sonde_request_read_auth (send->request), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  send->origin_uri = g_uri_ref (send->uri);
  /* A collection is someone else's files: it reads nothing outside its folder unasked. */
  if (!sonde_file_access_check_request (sonde_file_access_get_default (), send->request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!websocket)
    send->body = sonde_client_build_body (send->request, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  send->session_key = session_key (send->request);
  send->jar = self->cookie_store != NULL
              ? g_object_ref (sonde_cookie_store_get_jar (self->cookie_store))
              : soup_cookie_jar_new ();
  send->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      send->caller_cancellable = g_object_ref (cancellable);
      send->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                         send->cancellable, NULL);
    }

  timeout = sonde_request_options_get_timeout (send->options);
  if (timeout > 0)
    send->timeout_id = g_timeout_add (timeout * 1000, timeout_cb, send);

  prepare_session (g_steal_pointer (&task));
}

SondeResponse *
sonde_client_send_finish (SondeClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (SONDE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sonde_client_set_memory_threshold (SondeClient *self,
                                   gsize        threshold)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));

  self->memory_threshold = threshold;
}

/**
 * sonde_client_set_cookie_store:
 * @store: (nullable): the jar of the collection (or lone request file); %NULL: cookies
 *   live only for the length of one send (through its redirects)
 */
void
sonde_client_set_cookie_store (SondeClient      *self,
                               SondeCookieStore *store)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (store == NULL || SONDE_IS_COOKIE_STORE (store));

  g_set_object (&self->cookie_store, store);
}

/**
 * sonde_client_get_cookie_store:
 *
 * Returns: (transfer none) (nullable): the cookie store
 */
SondeCookieStore *
sonde_client_get_cookie_store (SondeClient *self)
{
  g_return_val_if_fail (SONDE_IS_CLIENT (self), NULL);

  return self->cookie_store;
}

/**
 * sonde_client_set_default_max_body_size:
 * @max_size: bytes, after decoding; 0 for no limit
 *
 * The most of a response body kept (in memory, then in a temp file) when the request sets
 * no "maxBodySize" and the body is not saved to a file: past it, reading stops and the
 * response says it was cut. %SONDE_CLIENT_DEFAULT_MAX_BODY_SIZE unless set.
 */
void
sonde_client_set_default_max_body_size (SondeClient *self,
                                        guint64      max_size)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));

  self->default_max_body_size = max_size;
}

void
sonde_client_set_default_options (SondeClient         *self,
                                  SondeRequestOptions *defaults)
{
  g_return_if_fail (SONDE_IS_CLIENT (self));
  g_return_if_fail (defaults == NULL || SONDE_IS_REQUEST_OPTIONS (defaults));

  g_clear_object (&self->default_options);
  if (defaults != NULL)
    self->default_options = sonde_request_options_copy (defaults);
}
