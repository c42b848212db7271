/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-request"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-request.h"
#include "sonde-collection-private.h"
#include "sonde-error.h"
#include "sonde-json-file.h"
#include "sonde-ref-string.h"

/* Watches one GListModel for the "changed" signal: the model's items-changed, and the notify
 * of every item in it. Handlers are kept per position so that a removed row is disconnected
 * even when the same object sits in the list twice. */
typedef struct
{
  SondeRequest *request; /* Borrowed: the watch lives no longer than the request */
  GListModel   *model;
  GPtrArray    *items;   /* ItemHandler, parallel to the model */
  gulong        items_changed_id;
} ListWatch;

typedef struct
{
  GObject *item;
  gulong   notify_id;
} ItemHandler;

struct _SondeRequest
{
  GObject parent_instance;

  char *name;   /* GRefStrings (sonde-ref-string.h): a copy takes references */
  char *method;
  char *url;
  gint64 order;

  /* Owned, never replaced once made; NULL until first asked for (sonde_request_get_params ()
   * and the like make them): most requests of a collection have no body, auth, options or
   * cookies, and a run copies every request on its way to the wire. */
  GListStore *params;
  GListStore *headers;
  GListStore *cookies;
  SondeBody *body;
  SondeAuth *auth;
  SondeRequestOptions *options;

  GFile *file;
  GFile *base_dir;
  JsonObject *extra;

  /* Values of secret variables this request was expanded with (NULL-terminated or NULL):
   * what reports, logs and cross-origin redirects must not show. */
  GStrv secret_values;

  /* The collection the request belongs to (NULL for a lone file): what it may read. */
  GFile *collection_dir;

  /* ListWatch for params, headers, cookies, body fields and body parts; empty in a
   * snapshot (sonde_request_copy_snapshot ()) */
  GPtrArray *watches;
  gboolean watch; /* whether parts made for it are watched */
  gboolean snapshot;
};

G_DEFINE_FINAL_TYPE (SondeRequest, sonde_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_METHOD,
  PROP_URL,
  PROP_ORDER,
  PROP_PARAMS,
  PROP_HEADERS,
  PROP_COOKIES,
  PROP_BODY,
  PROP_AUTH,
  PROP_OPTIONS,
  PROP_FILE,
  PROP_BASE_DIR,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Set once, before any request is made: see sonde_request_set_watch_parts (). */
static gboolean watch_parts = TRUE;

static void
emit_changed (SondeRequest *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
item_handler_free (gpointer data)
{
  ItemHandler *handler = data;

  g_signal_handler_disconnect (handler->item, handler->notify_id);
  g_object_unref (handler->item);
  g_free (handler);
}

static void
watched_item_notify_cb (SondeRequest *self,
                        GParamSpec   *pspec,
                        GObject      *item)
{
  emit_changed (self);
}

static void
watched_items_changed_cb (GListModel *model,
                          guint       position,
                          guint       removed,
                          guint       added,
                          ListWatch  *watch)
{
  g_ptr_array_remove_range (watch->items, position, removed);

  for (guint i = 0; i < added; i++)
    {
      ItemHandler *handler = g_new0 (ItemHandler, 1);

      handler->item = g_list_model_get_item (model, position + i);
      handler->notify_id = g_signal_connect_data (handler->item, "notify",
                                                  G_CALLBACK (watched_item_notify_cb),
                                                  watch->request, NULL,
                                                  G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      g_ptr_array_insert (watch->items, position + i, handler);
    }

  if (removed > 0 || added > 0)
    emit_changed (watch->request);
}

static void
list_watch_free (gpointer data)
{
  ListWatch *watch = data;

  g_signal_handler_disconnect (watch->model, watch->items_changed_id);
  g_ptr_array_unref (watch->items);
  g_object_unref (watch->model);
  g_free (watch);
}

static void
watch_list (SondeRequest *self,
            GListStore   *store)
{
  ListWatch *watch = g_new0 (ListWatch, 1);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (store));

  watch->request = self;
  watch->model = g_object_ref (G_LIST_MODEL (store));
  watch->items = g_ptr_array_new_with_free_func (item_handler_free);
  watch->items_changed_id = g_signal_connect (store, "items-changed",
                                              G_CALLBACK (watched_items_changed_cb), watch);
  g_ptr_array_add (self->watches, watch);

  /* Pick up rows that are already there, without a "changed": nothing changed yet. */
  for (guint i = 0; i < n_items; i++)
    {
      ItemHandler *handler = g_new0 (ItemHandler, 1);

      handler->item = g_list_model_get_item (G_LIST_MODEL (store), i);
      handler->notify_id = g_signal_connect_data (handler->item, "notify",
                                                  G_CALLBACK (watched_item_notify_cb), self, NULL,
                                                  G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      g_ptr_array_add (watch->items, handler);
    }
}

static void
sub_object_notify_cb (SondeRequest *self,
                      GParamSpec   *pspec,
                      GObject      *object)
{
  emit_changed (self);
}

/* A property of the request's own changed: "notify", then "changed" (after every notify
 * handler has seen the new value). Where the request lives is not an edit: saving must
 * not mark it modified. Emitted here rather than from a handler of the request's own
 * "notify": with a handler connected, every property set on every request (three per
 * send in a run) takes GObject's notify-queue path even when nobody listens. */
static void
notify_property (SondeRequest *self,
                 guint         prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (prop_id != PROP_FILE && prop_id != PROP_BASE_DIR)
    emit_changed (self);
}

static void
watch_object (SondeRequest *self,
              gpointer      object)
{
  g_signal_connect_data (object, "notify", G_CALLBACK (sub_object_notify_cb), self,
                         NULL, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

/* Each part is made (or adopted from a copy) the first time it is needed, and watched then
 * if the request watches its parts. */
static GListStore *
adopt_list (SondeRequest  *self,
            GListStore   **field,
            GListStore    *list)
{
  *field = list;
  if (self->watch)
    watch_list (self, list);
  return list;
}

static SondeBody *
adopt_body (SondeRequest *self,
            SondeBody    *body)
{
  self->body = body;
  if (self->watch)
    {
      watch_list (self, sonde_body_get_fields (body));
      watch_list (self, sonde_body_get_parts (body));
      watch_object (self, body);
    }
  return body;
}

static SondeAuth *
adopt_auth (SondeRequest *self,
            SondeAuth    *auth)
{
  self->auth = auth;
  if (self->watch)
    watch_object (self, auth);
  return auth;
}

static SondeRequestOptions *
adopt_options (SondeRequest        *self,
               SondeRequestOptions *options)
{
  self->options = options;
  if (self->watch)
    watch_object (self, options);
  return options;
}

static void
sonde_request_dispose (GObject *object)
{
  SondeRequest *self = (SondeRequest *)object;

  g_clear_pointer (&self->watches, g_ptr_array_unref);

  if (self->body != NULL)
    g_signal_handlers_disconnect_by_data (self->body, self);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  if (self->options != NULL)
    g_signal_handlers_disconnect_by_data (self->options, self);

  G_OBJECT_CLASS (sonde_request_parent_class)->dispose (object);
}

static void
sonde_request_finalize (GObject *object)
{
  SondeRequest *self = (SondeRequest *)object;

  g_clear_pointer (&self->name, g_ref_string_release);
  g_clear_pointer (&self->method, g_ref_string_release);
  g_clear_pointer (&self->url, g_ref_string_release);
  g_clear_object (&self->params);
  g_clear_object (&self->headers);
  g_clear_object (&self->cookies);
  g_clear_object (&self->body);
  g_clear_object (&self->auth);
  g_clear_object (&self->options);
  g_clear_object (&self->file);
  g_clear_object (&self->base_dir);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->secret_values, g_strfreev);
  g_clear_object (&self->collection_dir);

  G_OBJECT_CLASS (sonde_request_parent_class)->finalize (object);
}

static void
sonde_request_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SondeRequest *self = SONDE_REQUEST (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_ORDER:
      g_value_set_int64 (value, self->order);
      break;

    case PROP_PARAMS:
      g_value_set_object (value, sonde_request_get_params (self));
      break;

    case PROP_HEADERS:
      g_value_set_object (value, sonde_request_get_headers (self));
      break;

    case PROP_COOKIES:
      g_value_set_object (value, sonde_request_get_cookies (self));
      break;

    case PROP_BODY:
      g_value_set_object (value, sonde_request_get_body (self));
      break;

    case PROP_AUTH:
      g_value_set_object (value, sonde_request_get_auth (self));
      break;

    case PROP_OPTIONS:
      g_value_set_object (value, sonde_request_get_options (self));
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_BASE_DIR:
      g_value_set_object (value, self->base_dir);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SondeRequest *self = SONDE_REQUEST (object);

  switch (prop_id)
    {
    case PROP_NAME:
      sonde_request_set_name (self, g_value_get_string (value));
      break;

    case PROP_METHOD:
      sonde_request_set_method (self, g_value_get_string (value));
      break;

    case PROP_URL:
      sonde_request_set_url (self, g_value_get_string (value));
      break;

    case PROP_ORDER:
      sonde_request_set_order (self, g_value_get_int64 (value));
      break;

    case PROP_FILE:
      sonde_request_set_file (self, g_value_get_object (value));
      break;

    case PROP_BASE_DIR:
      sonde_request_set_base_dir (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_class_init (SondeRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sonde_request_dispose;
  object_class->finalize = sonde_request_finalize;
  object_class->get_property = sonde_request_get_property;
  object_class->set_property = sonde_request_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_METHOD] = g_param_spec_string ("method", NULL, NULL, "GET", flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, "", flags);
  properties[PROP_ORDER] =
    g_param_spec_int64 ("order", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_PARAMS] =
    g_param_spec_object ("params", NULL, NULL, G_TYPE_LIST_STORE, read_only);
  properties[PROP_HEADERS] =
    g_param_spec_object ("headers", NULL, NULL, G_TYPE_LIST_STORE, read_only);
  properties[PROP_COOKIES] =
    g_param_spec_object ("cookies", NULL, NULL, G_TYPE_LIST_STORE, read_only);
  properties[PROP_BODY] =
    g_param_spec_object ("body", NULL, NULL, SONDE_TYPE_BODY, read_only);
  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, SONDE_TYPE_AUTH, read_only);
  properties[PROP_OPTIONS] =
    g_param_spec_object ("options", NULL, NULL, SONDE_TYPE_REQUEST_OPTIONS, read_only);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  properties[PROP_BASE_DIR] = g_param_spec_object ("base-dir", NULL, NULL, G_TYPE_FILE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SondeRequest::changed:
   *
   * Anything in the request changed: a property, a row, a body part, auth or options.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sonde_request_init (SondeRequest *self)
{
  static char *get = NULL;

  if (g_once_init_enter (&get))
    g_once_init_leave (&get, g_ref_string_new_intern ("GET"));
  self->name = sonde_ref_string_empty ();
  self->method = g_ref_string_acquire (get);
  self->url = sonde_ref_string_empty ();
  self->watches = g_ptr_array_new_with_free_func (list_watch_free);
  self->watch = watch_parts;
}

SondeRequest *
sonde_request_new (void)
{
  return g_object_new (SONDE_TYPE_REQUEST, NULL);
}

static gboolean
has_rows (GListStore *list)
{
  return list != NULL && g_list_model_get_n_items (G_LIST_MODEL (list)) > 0;
}

static SondeRequest *
copy_request (SondeRequest *self,
              gboolean      watch,
              gboolean      snapshot)
{
  SondeRequest *copy;

  copy = g_object_new (SONDE_TYPE_REQUEST, NULL);
  g_ref_string_release (copy->name);
  copy->name = g_ref_string_acquire (self->name);
  g_ref_string_release (copy->method);
  copy->method = g_ref_string_acquire (self->method);
  g_ref_string_release (copy->url);
  copy->url = g_ref_string_acquire (self->url);
  copy->order = self->order;
  g_set_object (&copy->file, self->file);
  g_set_object (&copy->base_dir, self->base_dir);
  if (self->extra != NULL)
    copy->extra = json_object_ref (self->extra);
  copy->secret_values = g_strdupv (self->secret_values);
  g_set_object (&copy->collection_dir, self->collection_dir);

  /* A part the original never made, an empty list and options that set nothing read the
   * same as the part its getter makes: the copy makes them only if asked. */
  copy->watch = watch;
  if (has_rows (self->params))
    adopt_list (copy, &copy->params, sonde_key_value_list_copy (G_LIST_MODEL (self->params)));
  if (has_rows (self->headers))
    adopt_list (copy, &copy->headers, sonde_key_value_list_copy (G_LIST_MODEL (self->headers)));
  if (has_rows (self->cookies))
    adopt_list (copy, &copy->cookies, sonde_key_value_list_copy (G_LIST_MODEL (self->cookies)));
  if (self->body != NULL)
    adopt_body (copy, sonde_body_copy (self->body));
  if (self->auth != NULL)
    adopt_auth (copy, sonde_auth_copy (self->auth));
  if (self->options != NULL && !sonde_request_options_sets_nothing (self->options))
    adopt_options (copy, sonde_request_options_copy (self->options));
  copy->snapshot = snapshot;

  return copy;
}

/**
 * sonde_request_copy:
 *
 * Returns: (transfer full): a deep copy: rows, body, auth and options are new objects;
 *   "file", "base-dir" and the unknown keys are shared.
 */
SondeRequest *
sonde_request_copy (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return copy_request (self, watch_parts, FALSE);
}

/**
 * sonde_request_set_watch_parts:
 * @watch: whether requests made from now on emit "changed" for their parts
 *
 * A process without an editor (sonde-cli) calls this with %FALSE before making any request:
 * its requests then do not connect to each of their rows, body, auth and options, which
 * only an editor listens to; a change of their own properties still emits "changed".
 * Not thread-safe: call it from main ().
 */
void
sonde_request_set_watch_parts (gboolean watch)
{
  watch_parts = !!watch;
}

/* A copy for the way to the wire (the effective and expanded request, the client's own),
 * which nobody changes once it is sent, so that a send may keep it instead of copying it
 * again. Its rows, body, auth and options are not watched: changing them does not emit
 * "changed" (its own properties still do). Connecting to every row and part of three copies
 * per request, and disconnecting again, was a large share of a run's work. */
SondeRequest *
sonde_request_copy_snapshot (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return copy_request (self, FALSE, TRUE);
}

gboolean
sonde_request_is_snapshot (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), FALSE);

  return self->snapshot;
}

static void
replace_rows (GListStore *target,
              GListModel *source,
              gboolean    parts)
{
  guint n_items = g_list_model_get_n_items (source);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n_items, g_object_unref);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (source, i);

      g_ptr_array_add (items, parts ? (gpointer) sonde_body_part_copy (SONDE_BODY_PART (item))
                                    : (gpointer) sonde_key_value_copy (SONDE_KEY_VALUE (item)));
    }
  g_list_store_splice (target, 0, g_list_model_get_n_items (G_LIST_MODEL (target)),
                       items->pdata, items->len);
}

void
sonde_request_assign_parts (SondeRequest      *self,
                            SondeRequest      *from,
                            SondeRequestParts  parts)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));
  g_return_if_fail (SONDE_IS_REQUEST (from));

  if (self == from)
    return;

  /* The getters make the parts either side lacks: a part never made reads as the default. */
  if (parts & SONDE_REQUEST_PART_METHOD_URL)
    {
      sonde_request_set_method (self, from->method);
      sonde_request_set_url (self, from->url);
    }
  if (parts & SONDE_REQUEST_PART_PARAMS)
    replace_rows (sonde_request_get_params (self), G_LIST_MODEL (sonde_request_get_params (from)), FALSE);
  if (parts & SONDE_REQUEST_PART_HEADERS)
    replace_rows (sonde_request_get_headers (self), G_LIST_MODEL (sonde_request_get_headers (from)), FALSE);
  if (parts & SONDE_REQUEST_PART_COOKIES)
    replace_rows (sonde_request_get_cookies (self), G_LIST_MODEL (sonde_request_get_cookies (from)), FALSE);
  if (parts & SONDE_REQUEST_PART_BODY)
    {
      SondeBody *body = sonde_request_get_body (self);
      SondeBody *from_body = sonde_request_get_body (from);

      sonde_copy_properties (G_OBJECT (from_body), G_OBJECT (body));
      sonde_body_set_extra (body, sonde_body_get_extra (from_body));
      replace_rows (sonde_body_get_fields (body), G_LIST_MODEL (sonde_body_get_fields (from_body)), FALSE);
      replace_rows (sonde_body_get_parts (body), G_LIST_MODEL (sonde_body_get_parts (from_body)), TRUE);
    }
  if (parts & SONDE_REQUEST_PART_AUTH)
    sonde_copy_properties (G_OBJECT (sonde_request_get_auth (from)), G_OBJECT (sonde_request_get_auth (self)));
  if (parts & SONDE_REQUEST_PART_OPTIONS)
    sonde_copy_properties (G_OBJECT (sonde_request_get_options (from)), G_OBJECT (sonde_request_get_options (self)));
  if (parts & SONDE_REQUEST_PART_EXTRA)
    sonde_request_set_extra (self, from->extra);
  emit_changed (self);
}

void
sonde_request_assign (SondeRequest *self,
                      SondeRequest *from)
{
  sonde_request_assign_parts (self, from, SONDE_REQUEST_PART_ALL);
}


const char *
sonde_request_get_name (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->name;
}

void
sonde_request_set_name (SondeRequest *self,
                        const char   *name)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));

  if (sonde_ref_string_replace (&self->name, name ? name : ""))
    notify_property (self, PROP_NAME);
}

const char *
sonde_request_get_method (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->method;
}

/**
 * sonde_request_set_method:
 * @method: (nullable): any string; %NULL or "" means "GET". Not validated here, see
 *   sonde_validate_method().
 */
void
sonde_request_set_method (SondeRequest *self,
                          const char   *method)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));

  if (method == NULL || method[0] == '\0')
    method = "GET";

  if (sonde_ref_string_replace (&self->method, method))
    notify_property (self, PROP_METHOD);
}

const char *
sonde_request_get_url (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->url;
}

void
sonde_request_set_url (SondeRequest *self,
                       const char   *url)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));

  if (sonde_ref_string_replace (&self->url, url ? url : ""))
    notify_property (self, PROP_URL);
}

gint64
sonde_request_get_order (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), 0);

  return self->order;
}

void
sonde_request_set_order (SondeRequest *self,
                         gint64        order)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));

  if (self->order == order)
    return;

  self->order = order;
  notify_property (self, PROP_ORDER);
}

/* The parts are made when first asked for (see the struct). Not thread-safe, like any
 * change to a request: code that may read a request another thread holds (a prepare in a
 * worker, the client) uses sonde_request_peek_params () and the like, which make nothing. */

/**
 * sonde_request_get_params:
 *
 * Returns: (transfer none): the query parameters, a #GListStore of #SondeKeyValue
 */
GListStore *
sonde_request_get_params (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  if (self->params == NULL)
    adopt_list (self, &self->params, sonde_key_value_list_new ());
  return self->params;
}

/**
 * sonde_request_get_headers:
 *
 * Returns: (transfer none): the headers, a #GListStore of #SondeKeyValue
 */
GListStore *
sonde_request_get_headers (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  if (self->headers == NULL)
    adopt_list (self, &self->headers, sonde_key_value_list_new ());
  return self->headers;
}

/**
 * sonde_request_get_cookies:
 *
 * Returns: (transfer none): the request-level cookies, a #GListStore of #SondeKeyValue
 */
GListStore *
sonde_request_get_cookies (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  if (self->cookies == NULL)
    adopt_list (self, &self->cookies, sonde_key_value_list_new ());
  return self->cookies;
}

SondeBody *
sonde_request_get_body (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  if (self->body == NULL)
    adopt_body (self, sonde_body_new ());
  return self->body;
}

SondeAuth *
sonde_request_get_auth (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  if (self->auth == NULL)
    adopt_auth (self, sonde_auth_new ());
  return self->auth;
}

SondeRequestOptions *
sonde_request_get_options (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  if (self->options == NULL)
    adopt_options (self, sonde_request_options_new ());
  return self->options;
}

/**
 * sonde_request_peek_params:
 *
 * Returns: (transfer none) (nullable): the query parameters, or %NULL if they were never
 *   made (there are none). The same for the peek functions below: each makes nothing, and
 *   %NULL reads as the default part (no rows, no body, auth "inherit", default options).
 */
GListModel *
sonde_request_peek_params (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return (GListModel *) self->params;
}

GListModel *
sonde_request_peek_headers (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return (GListModel *) self->headers;
}

GListModel *
sonde_request_peek_cookies (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return (GListModel *) self->cookies;
}

SondeBody *
sonde_request_peek_body (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->body;
}

SondeAuth *
sonde_request_peek_auth (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->auth;
}

SondeRequestOptions *
sonde_request_peek_options (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->options;
}

/* One default part of each kind, shared by every request that has none, for reading only:
 * a change to one would be a change to every such request, so it is refused loudly. */
static void
shared_default_changed_cb (GObject *object)
{
  g_critical ("A shared default %s of requests was changed: use the request's getter",
              G_OBJECT_TYPE_NAME (object));
}

static gpointer
guard_default (gpointer object)
{
  g_signal_connect (object, "notify", G_CALLBACK (shared_default_changed_cb), NULL);
  return object;
}

static gpointer
make_default_body (gpointer data)
{
  SondeBody *body = guard_default (sonde_body_new ());

  g_signal_connect_swapped (sonde_body_get_fields (body), "items-changed",
                            G_CALLBACK (shared_default_changed_cb), body);
  g_signal_connect_swapped (sonde_body_get_parts (body), "items-changed",
                            G_CALLBACK (shared_default_changed_cb), body);
  return body;
}

static gpointer
make_default_auth (gpointer data)
{
  return guard_default (sonde_auth_new ());
}

static gpointer
make_default_options (gpointer data)
{
  return guard_default (sonde_request_options_new ());
}

/**
 * sonde_request_read_body:
 *
 * Returns: (transfer none): the body, or a shared default body (never to be changed) when
 *   the request has none. The same for auth and options below: for code that only reads.
 */
SondeBody *
sonde_request_read_body (SondeRequest *self)
{
  static GOnce once = G_ONCE_INIT;

  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->body != NULL ? self->body : g_once (&once, make_default_body, NULL);
}

SondeAuth *
sonde_request_read_auth (SondeRequest *self)
{
  static GOnce once = G_ONCE_INIT;

  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->auth != NULL ? self->auth : g_once (&once, make_default_auth, NULL);
}

SondeRequestOptions *
sonde_request_read_options (SondeRequest *self)
{
  static GOnce once = G_ONCE_INIT;

  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->options != NULL ? self->options : g_once (&once, make_default_options, NULL);
}

/**
 * sonde_request_get_auth_kind:
 *
 * Returns: the kind of the request's auth, %SONDE_AUTH_INHERIT (the default) if it has none
 */
SondeAuthKind
sonde_request_get_auth_kind (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), SONDE_AUTH_INHERIT);

  return self->auth != NULL ? sonde_auth_get_kind (self->auth) : SONDE_AUTH_INHERIT;
}

/**
 * sonde_request_get_body_kind:
 *
 * Returns: the kind of the request's body, %SONDE_BODY_NONE if it has none
 */
SondeBodyKind
sonde_request_get_body_kind (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), SONDE_BODY_NONE);

  return self->body != NULL ? sonde_body_get_kind (self->body) : SONDE_BODY_NONE;
}

/* The number of rows of a list a peek function returned */
guint
sonde_rows_count (GListModel *rows)
{
  return rows != NULL ? g_list_model_get_n_items (rows) : 0;
}

GFile *
sonde_request_get_file (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->file;
}

void
sonde_request_set_file (SondeRequest *self,
                        GFile        *file)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->file == file || (self->file != NULL && file != NULL && g_file_equal (self->file, file)))
    return;

  g_set_object (&self->file, file);
  notify_property (self, PROP_FILE);
}

GFile *
sonde_request_get_base_dir (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->base_dir;
}

void
sonde_request_set_base_dir (SondeRequest *self,
                            GFile        *base_dir)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));
  g_return_if_fail (base_dir == NULL || G_IS_FILE (base_dir));

  if (self->base_dir == base_dir ||
      (self->base_dir != NULL && base_dir != NULL && g_file_equal (self->base_dir, base_dir)))
    return;

  g_set_object (&self->base_dir, base_dir);
  notify_property (self, PROP_BASE_DIR);
}

/* The plain row of NAME in "variables", its index in *INDEX; NULL when none */
static JsonObject *
find_variable_row (JsonObject *extra,
                   const char *name,
                   guint      *index)
{
  JsonNode *node = extra != NULL ? json_object_get_member (extra, "variables") : NULL;
  JsonArray *rows = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *element = json_array_get_element (rows, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (row != NULL && g_strcmp0 (sonde_json_get_string (row, "name"), name) == 0)
        {
          if (index != NULL)
            *index = i;
          return row;
        }
    }
  return NULL;
}

const char *
sonde_request_get_variable (SondeRequest *self,
                            const char   *name)
{
  JsonObject *row;

  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  row = find_variable_row (self->extra, name, NULL);
  if (row == NULL || sonde_json_get_boolean (row, "secret", FALSE) || !sonde_json_get_boolean (row, "enabled", TRUE))
    return NULL;
  return sonde_json_get_string (row, "value");
}

void
sonde_request_set_variable (SondeRequest *self,
                            const char   *name,
                            const char   *value)
{
  g_autoptr(JsonObject) extra = NULL;
  JsonObject *row;
  JsonNode *node;
  JsonArray *rows;
  guint index = 0;

  g_return_if_fail (SONDE_IS_REQUEST (self));
  g_return_if_fail (name != NULL);

  row = find_variable_row (self->extra, name, &index);
  if ((row != NULL && sonde_json_get_boolean (row, "secret", FALSE)) ||
      (row == NULL && value == NULL) ||
      (row != NULL && value != NULL && g_strcmp0 (sonde_json_get_string (row, "value"), value) == 0))
    return;

  /* A new object, the other keys in their place: the old one may be shared with a copy */
  extra = sonde_json_object_copy_except (self->extra, NULL);
  node = json_object_get_member (extra, "variables");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      json_object_set_array_member (extra, "variables", json_array_new ());
      node = json_object_get_member (extra, "variables");
    }
  rows = json_node_get_array (node);
  row = find_variable_row (extra, name, &index);
  if (value == NULL)
    json_array_remove_element (rows, index);
  else if (row != NULL)
    json_object_set_string_member (row, "value", value);
  else
    {
      row = json_object_new ();
      json_object_set_string_member (row, "name", name);
      json_object_set_string_member (row, "value", value);
      json_array_add_object_element (rows, row);
    }
  if (json_array_get_length (rows) == 0)
    json_object_remove_member (extra, "variables");
  sonde_request_set_extra (self, json_object_get_size (extra) > 0 ? extra : NULL);
}

JsonObject *
sonde_request_get_extra (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->extra;
}

void
sonde_request_set_extra (SondeRequest *self,
                         JsonObject   *extra)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));

  if (self->extra == extra)
    return;

  if (extra != NULL)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
  /* The keys Sonde keeps as they are (checks and captures among them) are edited too. */
  emit_changed (self);
}

/**
 * sonde_request_get_secret_values:
 *
 * Returns: (nullable) (transfer none): the values of the secret variables REQUEST was
 *   expanded with, NULL-terminated, or NULL when there were none.
 */
const char * const *
sonde_request_get_secret_values (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return (const char * const *) self->secret_values;
}

/* Empty values are left out: masking "" would mask everything. */
void
sonde_request_set_secret_values (SondeRequest       *self,
                                 const char * const *values)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_auto(GStrv) kept = NULL;

  g_return_if_fail (SONDE_IS_REQUEST (self));

  /* Most requests have none: set on every request a run sends, three times. VALUES may
   * hold the request's own strings, so they are copied before the old ones go. */
  if (values == NULL || values[0] == NULL)
    {
      g_clear_pointer (&self->secret_values, g_strfreev);
      return;
    }

  builder = g_strv_builder_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; values[i] != NULL; i++)
    if (values[i][0] != '\0' && g_hash_table_add (seen, (gpointer) values[i]))
      g_strv_builder_add (builder, values[i]);
  kept = g_strv_builder_end (builder);
  g_clear_pointer (&self->secret_values, g_strfreev);
  if (kept[0] != NULL)
    self->secret_values = g_steal_pointer (&kept);
}

GFile *
sonde_request_get_collection_dir (SondeRequest *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);

  return self->collection_dir;
}

void
sonde_request_set_collection_dir (SondeRequest *self,
                                  GFile        *collection_dir)
{
  g_return_if_fail (SONDE_IS_REQUEST (self));
  g_return_if_fail (collection_dir == NULL || G_IS_FILE (collection_dir));

  g_set_object (&self->collection_dir, collection_dir);
}

/**
 * sonde_request_resolve_path:
 * @path: a path as written in the request: absolute, "~/…", or relative
 *
 * Returns: (transfer full): the file @path names: relative paths resolve against
 *   "base-dir", or the current directory when it is unset.
 */
char *
sonde_request_dup_absolute_path (SondeRequest *self,
                                 const char   *path)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL || path[0] == '\0')
    return NULL;
  file = sonde_request_resolve_path (self, path);
  return g_file_get_path (file);
}

GFile *
sonde_request_resolve_path (SondeRequest *self,
                            const char   *path)
{
  g_return_val_if_fail (SONDE_IS_REQUEST (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (g_path_is_absolute (path))
    return g_file_new_for_path (path);

  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    {
      g_autofree char *expanded = g_build_filename (g_get_home_dir (), path + 1, NULL);

      return g_file_new_for_path (expanded);
    }

  if (self->base_dir != NULL)
    return g_file_resolve_relative_path (self->base_dir, path);
  else
    {
      g_autofree char *cwd = g_get_current_dir ();
      g_autofree char *full = g_build_filename (cwd, path, NULL);

      return g_file_new_for_path (full);
    }
}

/* RFC 7230 §3.2.6 tchar */
static gboolean
is_token_char (guchar c)
{
  if (g_ascii_isalnum (c))
    return TRUE;

  return c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Describes a character that is not allowed, for error messages. */
static char *
describe_char (gunichar c)
{
  switch (c)
    {
    case ' ':
      return g_strdup (_("a space"));
    case '\t':
      return g_strdup (_("a tab"));
    case '\r':
      return g_strdup (_("a carriage return (CR)"));
    case '\n':
      return g_strdup (_("a line feed (LF)"));
    case '\0':
      return g_strdup (_("a NUL byte"));
    default:
      if (c < 0x20 || c == 0x7f)
        return g_strdup_printf (_("the control character U+%04X"), c);
      else if (c >= 0x80)
        {
          char utf8[8] = { 0 };

          g_unichar_to_utf8 (c, utf8);
          return g_strdup_printf (_("the non-ASCII character “%s” (U+%04X)"), utf8, c);
        }
      else
        return g_strdup_printf (_("the character “%c”"), (char)c);
    }
}

/* The first invalid character of TEXT for a token: a whole UTF-8 character when possible. */
static gunichar
first_non_token_char (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (is_token_char ((guchar)*p))
        continue;

      if ((guchar)*p >= 0x80)
        {
          gunichar c = g_utf8_get_char_validated (p, -1);

          return (c == (gunichar)-1 || c == (gunichar)-2) ? (guchar)*p : c;
        }

      return (guchar)*p;
    }

  return 0;
}

/**
 * sonde_validate_method:
 *
 * Returns: %TRUE when @method is an RFC 7230 token; else
 *   %SONDE_REQUEST_ERROR_INVALID_METHOD.
 */
gboolean
sonde_validate_method (const char  *method,
                       GError     **error)
{
  gunichar bad;
  g_autofree char *what = NULL;

  if (method == NULL || method[0] == '\0')
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_METHOD,
                           _("The method is empty"));
      return FALSE;
    }

  bad = first_non_token_char (method);
  if (bad == 0)
    return TRUE;

  what = describe_char (bad);
  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_METHOD,
               _("Method “%s” contains %s, which is not allowed"), method, what);
  return FALSE;
}

/* Makes NAME printable inside an error message: CR, LF and controls as \r, \n, \xNN. */
static char *
printable (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02X", c);
      else
        g_string_append_c (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * sonde_validate_header_name:
 *
 * Returns: %TRUE when @name is a non-empty token; else
 *   %SONDE_REQUEST_ERROR_INVALID_HEADER naming the header and the character.
 */
gboolean
sonde_validate_header_name (const char  *name,
                            GError     **error)
{
  gunichar bad;
  g_autofree char *what = NULL;
  g_autofree char *shown = NULL;

  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                           _("A header has no name"));
      return FALSE;
    }

  bad = first_non_token_char (name);
  if (bad == 0)
    return TRUE;

  what = describe_char (bad);
  shown = printable (name);
  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
               _("Header name “%s” contains %s, which is not allowed"), shown, what);
  return FALSE;
}

/**
 * sonde_describe_forbidden_char:
 *
 * Returns: (nullable): the first character of @value that may not go into a header or a
 *   request line (CR, LF, NUL and the other control characters but tab), described for an
 *   error message ("a line feed (LF)"), or %NULL when there is none.
 */
char *
sonde_describe_forbidden_char (const char *value)
{
  if (value == NULL)
    return NULL;

  for (const char *p = value; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\t') || (guchar) *p == 0x7f)
      return describe_char ((guchar) *p);

  return NULL;
}

/**
 * sonde_validate_cookie:
 *
 * Returns: %TRUE when a cookie row @name=@value can go into a Cookie header: the name a
 *   token, the value without control characters or ";" (which would start another
 *   cookie); else %SONDE_REQUEST_ERROR_INVALID_HEADER naming the cookie.
 */
gboolean
sonde_validate_cookie (const char  *name,
                       const char  *value,
                       GError     **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *what = NULL;
  gunichar bad;

  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                           _("A cookie has no name"));
      return FALSE;
    }

  shown = printable (name);
  bad = first_non_token_char (name);
  if (bad != 0)
    {
      what = describe_char (bad);
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                   _("Cookie name “%s” contains %s, which is not allowed"), shown, what);
      return FALSE;
    }

  what = sonde_describe_forbidden_char (value);
  if (what == NULL && value != NULL && strchr (value, ';') != NULL)
    what = describe_char (';');
  if (what != NULL)
    {
      g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                   _("The value of cookie “%s” contains %s, which is not allowed"), shown, what);
      return FALSE;
    }

  return TRUE;
}

/**
 * sonde_validate_header_value:
 *
 * Returns: %TRUE when @value has no character that would split or cut a header (see
 *   sonde_describe_forbidden_char ()); else %SONDE_REQUEST_ERROR_INVALID_HEADER naming
 *   the header.
 */
gboolean
sonde_validate_header_value (const char  *name,
                             const char  *value,
                             GError     **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *what = NULL;

  if (value == NULL)
    return TRUE;

  what = sonde_describe_forbidden_char (value);
  if (what == NULL)
    return TRUE;

  shown = printable (name ? name : "");
  g_set_error (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
               _("The value of header “%s” contains %s, which is not allowed"),
               shown, what);
  return FALSE;
}
