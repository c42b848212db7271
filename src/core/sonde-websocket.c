/* SPDX-License-Identifier: GPL-3.0-or-later */
/* WebSocket requests: their keys in a request file, and an open connection with a bounded
 * log of its frames. The handshake itself is sent by the client (sonde-client-websocket.c)
 * with everything a request has. See docs/collection-format.md, "WebSocket". */
#define G_LOG_DOMAIN "sonde-websocket"

#include "config.h"

#include "sonde-websocket.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "sonde-error.h"
#include "sonde-file-access.h"
#include "sonde-json-file.h"

/* Request keys */

static const char * const message_kinds[] = { "text", "json", "binary", NULL };

void
sonde_websocket_message_free (SondeWebsocketMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->text);
  g_free (message->file);
  g_free (message);
}

const char *
sonde_websocket_message_kind_to_string (SondeWebsocketMessageKind kind)
{
  g_return_val_if_fail (kind <= SONDE_WEBSOCKET_MESSAGE_BINARY, "text");
  return message_kinds[kind];
}

static gboolean
has_websocket_url (SondeRequest *request)
{
  const char *url = sonde_request_get_url (request);

  return g_ascii_strncasecmp (url, "ws://", 5) == 0 || g_ascii_strncasecmp (url, "wss://", 6) == 0;
}

gboolean
sonde_request_is_websocket (SondeRequest *request)
{
  JsonObject *extra;

  g_return_val_if_fail (SONDE_IS_REQUEST (request), FALSE);

  extra = sonde_request_get_extra (request);
  if (extra != NULL && json_object_has_member (extra, "protocol"))
    return g_strcmp0 (sonde_json_get_string (extra, "protocol"), "websocket") == 0;
  return has_websocket_url (request);
}

void
sonde_request_set_websocket (SondeRequest *request,
                             gboolean      websocket)
{
  static const char * const protocol[] = { "protocol", NULL };
  g_autoptr(JsonObject) copy = NULL;

  g_return_if_fail (SONDE_IS_REQUEST (request));

  if (sonde_request_is_websocket (request) == websocket)
    return;

  copy = sonde_json_object_copy_except (sonde_request_get_extra (request), protocol);
  /* A ws:// URL says it already; "protocol" is written when it has to be. */
  if (websocket && !has_websocket_url (request))
    json_object_set_string_member (copy, "protocol", "websocket");
  else if (!websocket && has_websocket_url (request))
    json_object_set_string_member (copy, "protocol", "http");
  sonde_request_set_extra (request, json_object_get_size (copy) > 0 ? copy : NULL);
}

static gboolean
read_message (JsonObject             *object,
              const char             *path,
              SondeWebsocketMessage **out,
              GError                **error)
{
  g_autoptr(SondeWebsocketMessage) message = g_new0 (SondeWebsocketMessage, 1);
  const char *type = "text";
  const char *text = NULL;
  const char *file = NULL;
  guint kind;

  message->enabled = TRUE;
  if (!sonde_json_read_string (object, "type", path, &type, error) ||
      !sonde_json_read_string (object, "text", path, &text, error) ||
      !sonde_json_read_string (object, "file", path, &file, error) ||
      !sonde_json_read_boolean (object, "enabled", path, &message->enabled, error))
    return FALSE;

  for (kind = 0; message_kinds[kind] != NULL; kind++)
    if (g_str_equal (type, message_kinds[kind]))
      break;
  if (message_kinds[kind] == NULL)
    return sonde_json_invalid_value (error, path, "type", _("%s must be “text”, “json” or “binary”"));
  message->kind = kind;

  if (kind == SONDE_WEBSOCKET_MESSAGE_BINARY)
    {
      if (file == NULL || file[0] == '\0')
        return sonde_json_invalid_value (error, path, "file",
                                         _("%s must name the file a binary message sends"));
      message->file = g_strdup (file);
    }
  else
    message->text = g_strdup (text != NULL ? text : "");

  *out = g_steal_pointer (&message);
  return TRUE;
}

gboolean
sonde_websocket_read_settings (JsonObject  *object,
                               GStrv       *subprotocols,
                               guint       *keepalive,
                               GPtrArray   *messages,
                               GError     **error)
{
  JsonArray *protocols = NULL;
  JsonArray *rows = NULL;
  gint64 seconds = SONDE_WEBSOCKET_DEFAULT_KEEPALIVE;
  const char *protocol = NULL;

  if (subprotocols != NULL)
    *subprotocols = NULL;
  if (keepalive != NULL)
    *keepalive = SONDE_WEBSOCKET_DEFAULT_KEEPALIVE;
  if (object == NULL)
    return TRUE;

  if (!sonde_json_read_string (object, "protocol", NULL, &protocol, error) ||
      !sonde_json_read_array (object, "subprotocols", NULL, &protocols, error) ||
      !sonde_json_read_integer (object, "keepalive", NULL, 0, &seconds, error) ||
      !sonde_json_read_array (object, "messages", NULL, &rows, error))
    return FALSE;

  if (protocol != NULL && !g_str_equal (protocol, "websocket") && !g_str_equal (protocol, "http"))
    return sonde_json_invalid_value (error, NULL, "protocol", _("%s must be “http” or “websocket”"));
  if (seconds > 24 * 3600)
    return sonde_json_invalid_value (error, NULL, "keepalive", _("%s must be at most a day (86400 seconds)"));
  if (keepalive != NULL)
    *keepalive = seconds;

  if (protocols != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (protocols); i++)
        {
          JsonNode *node = json_array_get_element (protocols, i);
          const char *name = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                             ? json_node_get_string (node) : NULL;

          /* A subprotocol is an HTTP token (RFC 6455 §4.1): it goes in a header. */
          if (name == NULL || name[0] == '\0' || strpbrk (name, " \t\r\n,;\"()<>@:\\/[]?={}") != NULL)
            {
              g_autofree char *path = sonde_json_element_path ("subprotocols", i);

              g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                           _("%s must be a subprotocol name (letters, digits and -._~!#$&'*+^`|)"), path);
              return FALSE;
            }
          g_strv_builder_add (builder, name);
        }
      if (subprotocols != NULL && json_array_get_length (protocols) > 0)
        *subprotocols = g_strv_builder_end (builder);
    }

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      g_autofree char *path = sonde_json_element_path ("messages", i);
      SondeWebsocketMessage *message = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                       _("%s must be an object"), path);
          return FALSE;
        }
      if (!read_message (json_node_get_object (node), path, &message, error))
        return FALSE;
      if (messages != NULL)
        g_ptr_array_add (messages, message);
      else
        sonde_websocket_message_free (message);
    }

  return TRUE;
}

JsonObject *
sonde_websocket_message_to_json (SondeWebsocketMessage *message)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "type", sonde_websocket_message_kind_to_string (message->kind));
  if (message->kind == SONDE_WEBSOCKET_MESSAGE_BINARY)
    json_object_set_string_member (object, "file", message->file != NULL ? message->file : "");
  else
    json_object_set_string_member (object, "text", message->text != NULL ? message->text : "");
  if (!message->enabled)
    json_object_set_boolean_member (object, "enabled", FALSE);
  return object;
}

/* Frames */

struct _SondeFrame
{
  GObject              parent_instance;

  SondeFrameDirection  direction;
  SondeFrameKind       kind;
  gint64               time;
  gsize                size;
  GBytes              *data;
  char                *text;       /* a TEXT frame's is its data: not freed apart */
  gboolean             truncated;
  guint                close_code;
};

G_DEFINE_FINAL_TYPE (SondeFrame, sonde_frame, G_TYPE_OBJECT)

static void
sonde_frame_finalize (GObject *object)
{
  SondeFrame *self = SONDE_FRAME (object);

  if (self->kind != SONDE_FRAME_TEXT)
    g_free (self->text);
  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (sonde_frame_parent_class)->finalize (object);
}

static void
sonde_frame_class_init (SondeFrameClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_frame_finalize;
}

static void
sonde_frame_init (SondeFrame *self)
{
}

static SondeFrame *
frame_new (SondeFrameDirection direction,
           SondeFrameKind      kind,
           GBytes             *payload)
{
  SondeFrame *self = g_object_new (SONDE_TYPE_FRAME, NULL);
  gsize size = payload != NULL ? g_bytes_get_size (payload) : 0;

  self->direction = direction;
  self->kind = kind;
  self->time = g_get_real_time ();
  self->size = size;
  if (payload == NULL)
    return self;
  self->truncated = size > SONDE_FRAME_KEEP_SIZE;
  if (kind == SONDE_FRAME_TEXT)
    {
      const char *data = g_bytes_get_data (payload, NULL);
      const char *end;

      /* One copy, NUL-terminated, that is both the text and the data; cut at the size
       * limit, it ends at a whole character */
      g_utf8_validate_len (data, MIN (size, SONDE_FRAME_KEEP_SIZE), &end);
      self->text = g_strndup (data, end - data);
      self->data = g_bytes_new_take (self->text, end - data);
    }
  else
    self->data = self->truncated ? g_bytes_new_from_bytes (payload, 0, SONDE_FRAME_KEEP_SIZE)
                                 : g_bytes_ref (payload);
  return self;
}

static SondeFrame *
note_new (SondeFrameKind  kind,
          const char     *text)
{
  SondeFrame *self = frame_new (SONDE_FRAME_EVENT, kind, NULL);

  self->text = g_strdup (text);
  return self;
}

SondeFrameDirection
sonde_frame_get_direction (SondeFrame *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME (self), SONDE_FRAME_EVENT);
  return self->direction;
}

SondeFrameKind
sonde_frame_get_kind (SondeFrame *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME (self), SONDE_FRAME_NOTE);
  return self->kind;
}

gint64
sonde_frame_get_time (SondeFrame *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME (self), 0);
  return self->time;
}

gsize
sonde_frame_get_size (SondeFrame *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME (self), 0);
  return self->size;
}

GBytes *
sonde_frame_get_data (SondeFrame *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME (self), NULL);
  return self->data;
}

gboolean
sonde_frame_get_truncated (SondeFrame *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME (self), FALSE);
  return self->truncated;
}

const char *
sonde_frame_get_text (SondeFrame *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME (self), NULL);
  return self->text;
}

guint
sonde_frame_get_close_code (SondeFrame *self)
{
  g_return_val_if_fail (SONDE_IS_FRAME (self), 0);
  return self->close_code;
}

static const char *
describe_close_code (guint code)
{
  switch (code)
    {
    case SOUP_WEBSOCKET_CLOSE_NORMAL: return _("Normal Closure");
    case SOUP_WEBSOCKET_CLOSE_GOING_AWAY: return _("Going Away");
    case SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR: return _("Protocol Error");
    case SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA: return _("Unsupported Data");
    case SOUP_WEBSOCKET_CLOSE_NO_STATUS: return _("No Status");
    case SOUP_WEBSOCKET_CLOSE_ABNORMAL: return _("Closed Abnormally");
    case SOUP_WEBSOCKET_CLOSE_BAD_DATA: return _("Invalid Data");
    case SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION: return _("Policy Violation");
    case SOUP_WEBSOCKET_CLOSE_TOO_BIG: return _("Message Too Big");
    case SOUP_WEBSOCKET_CLOSE_NO_EXTENSION: return _("Missing Extension");
    case SOUP_WEBSOCKET_CLOSE_SERVER_ERROR: return _("Server Error");
    case SOUP_WEBSOCKET_CLOSE_TLS_HANDSHAKE: return _("TLS Handshake Failed");
    default: return NULL;
    }
}

char *
sonde_frame_dup_summary (SondeFrame *self,
                         gsize       max_chars)
{
  g_autofree char *size = NULL;

  g_return_val_if_fail (SONDE_IS_FRAME (self), NULL);

  switch (self->kind)
    {
    case SONDE_FRAME_TEXT:
    case SONDE_FRAME_NOTE:
      {
        const char *text = self->text != NULL ? self->text : "";

        if (max_chars > 0 && g_utf8_strlen (text, -1) > (glong) max_chars)
          {
            g_autofree char *start = g_utf8_substring (text, 0, max_chars);

            return g_strconcat (start, "…", NULL);
          }
        return g_strdup (text);
      }

    case SONDE_FRAME_BINARY:
      size = g_format_size_full (self->size, G_FORMAT_SIZE_LONG_FORMAT);
      return g_strdup_printf (_("Binary, %s"), size);

    case SONDE_FRAME_PONG:
      return g_strdup (_("Pong (keepalive)"));

    case SONDE_FRAME_CLOSE:
      {
        const char *meaning = describe_close_code (self->close_code);
        g_autofree char *code = self->close_code != 0 ? g_strdup_printf ("%u", self->close_code) : NULL;
        g_autoptr(GString) text = g_string_new (self->direction == SONDE_FRAME_SENT ? _("Closed by Sonde")
                                                                                   : _("Closed by the server"));

        if (code != NULL)
          g_string_append_printf (text, ": %s%s%s", code, meaning ? " " : "", meaning ? meaning : "");
        if (self->text != NULL && self->text[0] != '\0')
          g_string_append_printf (text, " — %s", self->text);
        return g_string_free (g_steal_pointer (&text), FALSE);
      }

    default:
      return g_strdup ("");
    }
}

/* Connection */

struct _SondeWebsocket
{
  GObject                  parent_instance;

  SoupWebsocketConnection *connection;
  SondeResponse           *handshake;
  GListStore              *log;
  gsize                    log_bytes;
  guint                    max_frames;
  guint                    dropped;
  guint                    n_received;
  gboolean                 closed;
  gboolean                 closing;       /* Sonde sent the close frame first */
  gboolean                 close_logged;
};

G_DEFINE_FINAL_TYPE (SondeWebsocket, sonde_websocket, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_OPEN,
  PROP_PROTOCOL,
  PROP_DROPPED,
  PROP_MAX_FRAMES,
  N_PROPS
};

enum
{
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gsize
frame_kept_size (SondeFrame *frame)
{
  /* A TEXT frame's text is its data */
  if (frame->data != NULL)
    return g_bytes_get_size (frame->data);
  return frame->text != NULL ? strlen (frame->text) : 0;
}

/* The oldest entries go first once the log is over its count or its bytes. */
static void
trim_log (SondeWebsocket *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  guint drop = 0;

  while (n - drop > 1 && (n - drop > self->max_frames || self->log_bytes > SONDE_WEBSOCKET_LOG_BYTES))
    {
      g_autoptr(SondeFrame) frame = g_list_model_get_item (G_LIST_MODEL (self->log), drop);

      self->log_bytes -= frame_kept_size (frame);
      drop++;
    }
  if (drop == 0)
    return;

  g_list_store_splice (self->log, 0, drop, NULL, 0);
  self->dropped += drop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROPPED]);
}

static void
append_frame (SondeWebsocket *self,
              SondeFrame     *frame)
{
  self->log_bytes += frame_kept_size (frame);
  g_list_store_append (self->log, frame);
  trim_log (self);
}

static void
message_cb (SoupWebsocketConnection *connection,
            int                      type,
            GBytes                  *message,
            SondeWebsocket          *self)
{
  g_autoptr(SondeFrame) frame = frame_new (SONDE_FRAME_RECEIVED,
                                           type == SOUP_WEBSOCKET_DATA_TEXT ? SONDE_FRAME_TEXT : SONDE_FRAME_BINARY,
                                           message);

  self->n_received++;
  append_frame (self, frame);
}

/* The payload is not looked at: libsoup 3.2 passes a GByteArray where it declares GBytes. */
static void
pong_cb (SoupWebsocketConnection *connection,
         gpointer                 message,
         SondeWebsocket          *self)
{
  g_autoptr(SondeFrame) frame = frame_new (SONDE_FRAME_RECEIVED, SONDE_FRAME_PONG, NULL);

  append_frame (self, frame);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          SondeWebsocket          *self)
{
  g_autoptr(SondeFrame) frame = note_new (SONDE_FRAME_NOTE, error->message);

  append_frame (self, frame);
}

static void
log_close (SondeWebsocket *self)
{
  g_autoptr(SondeFrame) frame = NULL;
  guint code = soup_websocket_connection_get_close_code (self->connection);
  const char *reason = soup_websocket_connection_get_close_data (self->connection);

  if (self->close_logged)
    return;
  self->close_logged = TRUE;

  /* Whoever spoke first: libsoup answers a server's close frame with the same code. */
  frame = note_new (SONDE_FRAME_CLOSE, reason);
  frame->direction = self->closing ? SONDE_FRAME_SENT : SONDE_FRAME_RECEIVED;
  frame->close_code = code;
  append_frame (self, frame);
}

/* Either side began to close: nothing can be sent any more */
static void
closing_cb (SoupWebsocketConnection *connection,
            SondeWebsocket          *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           SondeWebsocket          *self)
{
  log_close (self);
  self->closed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

static void
sonde_websocket_dispose (GObject *object)
{
  SondeWebsocket *self = SONDE_WEBSOCKET (object);

  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (sonde_websocket_parent_class)->dispose (object);
}

static void
sonde_websocket_finalize (GObject *object)
{
  SondeWebsocket *self = SONDE_WEBSOCKET (object);

  g_clear_object (&self->handshake);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (sonde_websocket_parent_class)->finalize (object);
}

static void
sonde_websocket_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SondeWebsocket *self = SONDE_WEBSOCKET (object);

  switch (prop_id)
    {
    case PROP_OPEN:
      g_value_set_boolean (value, sonde_websocket_is_open (self));
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, sonde_websocket_get_protocol (self));
      break;
    case PROP_DROPPED:
      g_value_set_uint (value, self->dropped);
      break;
    case PROP_MAX_FRAMES:
      g_value_set_uint (value, self->max_frames);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_websocket_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SondeWebsocket *self = SONDE_WEBSOCKET (object);

  switch (prop_id)
    {
    case PROP_MAX_FRAMES:
      sonde_websocket_set_max_frames (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_websocket_class_init (SondeWebsocketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sonde_websocket_dispose;
  object_class->finalize = sonde_websocket_finalize;
  object_class->get_property = sonde_websocket_get_property;
  object_class->set_property = sonde_websocket_set_property;

  properties[PROP_OPEN] = g_param_spec_boolean ("open", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROTOCOL] = g_param_spec_string ("protocol", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DROPPED] = g_param_spec_uint ("dropped", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_FRAMES] = g_param_spec_uint ("max-frames", NULL, NULL, 1, G_MAXUINT, 2000,
                                                   G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sonde_websocket_init (SondeWebsocket *self)
{
  self->log = g_list_store_new (SONDE_TYPE_FRAME);
  self->max_frames = 2000;
}

SondeWebsocket *
sonde_websocket_new (GObject       *connection,
                     SondeResponse *handshake,
                     guint          keepalive)
{
  SondeWebsocket *self;
  g_autoptr(SondeFrame) frame = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection), NULL);
  g_return_val_if_fail (SONDE_IS_RESPONSE (handshake), NULL);

  self = g_object_new (SONDE_TYPE_WEBSOCKET, NULL);
  self->connection = g_object_ref (SOUP_WEBSOCKET_CONNECTION (connection));
  self->handshake = g_object_ref (handshake);

  /* libsoup's default is 128 KiB: a snapshot pushed by a server is often more. */
  soup_websocket_connection_set_max_incoming_payload_size (self->connection, SONDE_WEBSOCKET_MAX_FRAME_SIZE);
  soup_websocket_connection_set_keepalive_interval (self->connection, keepalive);

  g_signal_connect (self->connection, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (self->connection, "pong", G_CALLBACK (pong_cb), self);
  g_signal_connect (self->connection, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (self->connection, "closing", G_CALLBACK (closing_cb), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (closed_cb), self);

  if (sonde_websocket_get_protocol (self) != NULL)
    text = g_strdup_printf (_("Connected to %s (subprotocol %s)"), sonde_response_get_url (handshake),
                            sonde_websocket_get_protocol (self));
  else
    text = g_strdup_printf (_("Connected to %s"), sonde_response_get_url (handshake));
  frame = note_new (SONDE_FRAME_NOTE, text);
  append_frame (self, frame);

  return self;
}

SondeResponse *
sonde_websocket_get_handshake (SondeWebsocket *self)
{
  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), NULL);
  return self->handshake;
}

GListModel *
sonde_websocket_get_log (SondeWebsocket *self)
{
  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), NULL);
  return G_LIST_MODEL (self->log);
}

gboolean
sonde_websocket_is_open (SondeWebsocket *self)
{
  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), FALSE);
  return !self->closed && self->connection != NULL &&
         soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

const char *
sonde_websocket_get_protocol (SondeWebsocket *self)
{
  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), NULL);
  return self->connection != NULL ? soup_websocket_connection_get_protocol (self->connection) : NULL;
}

guint
sonde_websocket_get_dropped (SondeWebsocket *self)
{
  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), 0);
  return self->dropped;
}

guint
sonde_websocket_get_n_received (SondeWebsocket *self)
{
  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), 0);
  return self->n_received;
}

void
sonde_websocket_set_max_frames (SondeWebsocket *self,
                                guint           max_frames)
{
  g_return_if_fail (SONDE_IS_WEBSOCKET (self));
  g_return_if_fail (max_frames > 0);

  if (self->max_frames == max_frames)
    return;
  self->max_frames = max_frames;
  trim_log (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_FRAMES]);
}

void
sonde_websocket_clear_log (SondeWebsocket *self)
{
  g_return_if_fail (SONDE_IS_WEBSOCKET (self));

  g_list_store_remove_all (self->log);
  self->log_bytes = 0;
  if (self->dropped > 0)
    {
      self->dropped = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DROPPED]);
    }
}

static gboolean
check_open (SondeWebsocket  *self,
            GError         **error)
{
  if (sonde_websocket_is_open (self))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                       _("The connection is closed: connect again to send"));
  return FALSE;
}

gboolean
sonde_websocket_send_text (SondeWebsocket  *self,
                           const char      *text,
                           GError         **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SondeFrame) frame = NULL;

  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                           _("A text message must be UTF-8: send it as binary instead"));
      return FALSE;
    }

  bytes = g_bytes_new (text, strlen (text));
  soup_websocket_connection_send_message (self->connection, SOUP_WEBSOCKET_DATA_TEXT, bytes);
  frame = frame_new (SONDE_FRAME_SENT, SONDE_FRAME_TEXT, bytes);
  append_frame (self, frame);
  return TRUE;
}

gboolean
sonde_websocket_send_json (SondeWebsocket  *self,
                           const char      *text,
                           GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, text, -1, &parse_error))
    {
      g_autofree char *where = sonde_json_describe_parse_error (parse_error);

      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE,
                   _("The message is not JSON: %s"), where);
      return FALSE;
    }
  return sonde_websocket_send_text (self, text, error);
}

gboolean
sonde_websocket_send_binary (SondeWebsocket  *self,
                             GBytes          *bytes,
                             GError         **error)
{
  g_autoptr(SondeFrame) frame = NULL;

  g_return_val_if_fail (SONDE_IS_WEBSOCKET (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;

  soup_websocket_connection_send_message (self->connection, SOUP_WEBSOCKET_DATA_BINARY, bytes);
  frame = frame_new (SONDE_FRAME_SENT, SONDE_FRAME_BINARY, bytes);
  append_frame (self, frame);
  return TRUE;
}

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  GBytes *bytes;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_new_error (task, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                               _("Could not read %s: %s"), name, error->message);
      return;
    }
  if (g_file_info_get_size (info) > SONDE_WEBSOCKET_MAX_FRAME_SIZE)
    {
      g_autofree char *limit = g_format_size (SONDE_WEBSOCKET_MAX_FRAME_SIZE);

      g_task_return_new_error (task, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_TOO_LARGE,
                               _("%s is too large to send as one message (the most is %s)"), name, limit);
      return;
    }
  bytes = g_file_load_bytes (file, cancellable, NULL, &error);
  if (bytes == NULL)
    {
      g_task_return_new_error (task, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_UNREADABLE,
                               _("Could not read %s: %s"), name, error->message);
      return;
    }
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
sonde_websocket_send_file_async (SondeWebsocket      *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SONDE_IS_WEBSOCKET (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_websocket_send_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_file_thread);
}

gboolean
sonde_websocket_send_file_finish (SondeWebsocket  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  return bytes != NULL && sonde_websocket_send_binary (self, bytes, error);
}

static void
message_file_sent_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (sonde_websocket_send_file_finish (SONDE_WEBSOCKET (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sonde_websocket_send_message_async (SondeWebsocket        *self,
                                    SondeRequest          *request,
                                    SondeWebsocketMessage *message,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;

  g_return_if_fail (SONDE_IS_WEBSOCKET (self));
  g_return_if_fail (SONDE_IS_REQUEST (request));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_websocket_send_message_async);

  switch (message->kind)
    {
    case SONDE_WEBSOCKET_MESSAGE_TEXT:
      if (sonde_websocket_send_text (self, message->text, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;

    case SONDE_WEBSOCKET_MESSAGE_JSON:
      if (sonde_websocket_send_json (self, message->text, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;

    case SONDE_WEBSOCKET_MESSAGE_BINARY:
    default:
      file = sonde_request_resolve_path (request, message->file);
      /* A collection is someone else's files: it sends nothing outside its folder unasked. */
      if (!check_open (self, &error) ||
          !sonde_file_access_check (sonde_file_access_get_default (), request, file, message->file, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      sonde_websocket_send_file_async (self, file, cancellable, message_file_sent_cb, g_steal_pointer (&task));
      return;
    }
}

gboolean
sonde_websocket_send_message_finish (SondeWebsocket  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  SondeRequest *request;
  GPtrArray    *messages;
  guint         next;
} MessagesJob;

static void
messages_job_free (MessagesJob *job)
{
  g_clear_object (&job->request);
  g_clear_pointer (&job->messages, g_ptr_array_unref);
  g_free (job);
}

static void send_next_message (GTask *task);

static void
next_message_sent_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!sonde_websocket_send_message_finish (SONDE_WEBSOCKET (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  send_next_message (task);
}

/* Takes TASK's reference */
static void
send_next_message (GTask *task)
{
  MessagesJob *job = g_task_get_task_data (task);

  if (job->next >= job->messages->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  sonde_websocket_send_message_async (g_task_get_source_object (task), job->request,
                                      job->messages->pdata[job->next++], g_task_get_cancellable (task),
                                      next_message_sent_cb, task);
}

void
sonde_websocket_send_messages_async (SondeWebsocket      *self,
                                     SondeRequest        *request,
                                     GPtrArray           *messages,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  MessagesJob *job;

  g_return_if_fail (SONDE_IS_WEBSOCKET (self));
  g_return_if_fail (SONDE_IS_REQUEST (request));
  g_return_if_fail (messages != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sonde_websocket_send_messages_async);
  job = g_new0 (MessagesJob, 1);
  job->request = g_object_ref (request);
  job->messages = g_ptr_array_ref (messages);
  g_task_set_task_data (task, job, (GDestroyNotify) messages_job_free);
  send_next_message (task);
}

gboolean
sonde_websocket_send_messages_finish (SondeWebsocket  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sonde_websocket_close (SondeWebsocket *self,
                       guint           code,
                       const char     *reason)
{
  g_return_if_fail (SONDE_IS_WEBSOCKET (self));

  if (!sonde_websocket_is_open (self))
    return;
  self->closing = TRUE;
  soup_websocket_connection_close (self->connection, code != 0 ? code : SOUP_WEBSOCKET_CLOSE_NORMAL, reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
}
