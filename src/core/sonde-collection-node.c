/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-collection"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-collection-private.h"
#include "sonde-environment-private.h"
#include "sonde-error.h"
#include "sonde-file-access.h"
#include "sonde-json-file.h"
#include "sonde-request-io.h"
#include "sonde-request-json.h"

/* Nodes of the tree and the folder.json / sonde-collection.json format. Headers, auth and
 * options of those files are read and written by the request format's own code, so they
 * mean and look exactly what they do in a request file. */

G_DEFINE_FINAL_TYPE (SondeCollectionNode, sonde_collection_node, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_NAME,
  PROP_ORDER,
  PROP_FILE,
  PROP_ERROR,
  PROP_REQUEST,
  PROP_CHILDREN,
  PROP_AUTH,
  PROP_OPTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
sonde_collection_node_kind_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { SONDE_COLLECTION_NODE_FOLDER, "SONDE_COLLECTION_NODE_FOLDER", "folder" },
        { SONDE_COLLECTION_NODE_REQUEST, "SONDE_COLLECTION_NODE_REQUEST", "request" },
        { 0, NULL, NULL },
      };
      GType id = g_enum_register_static ("SondeCollectionNodeKind", values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

/* ------------------------------------------------------------------------------------------
 * Disk states
 * ------------------------------------------------------------------------------------------ */

static GBytes *
read_bytes (GFile   *file,
            GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!sonde_file_load_bounded (file, SONDE_MAX_FILE_SIZE, &contents, &length, NULL, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* FILE's state, from the BYTES it was just read as (NULL: unreadable) */
static SondeDiskState *
disk_state_new (GFile      *file,
                GBytes     *bytes,
                const char *sidecar)
{
  SondeDiskState *state = g_rc_box_new0 (SondeDiskState);

  state->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  if (sidecar != NULL)
    {
      g_autoptr(GFile) dir = g_file_get_parent (file);
      g_autoptr(GFile) sidecar_file = g_path_is_absolute (sidecar) ? g_file_new_for_path (sidecar)
                                                                   : g_file_resolve_relative_path (dir, sidecar);

      state->sidecar = g_strdup (sidecar);
      state->sidecar_bytes = read_bytes (sidecar_file, NULL);
    }

  return state;
}

SondeDiskState *
sonde_disk_state_read (GFile      *file,
                       const char *sidecar)
{
  g_autoptr(GBytes) bytes = read_bytes (file, NULL);

  return disk_state_new (file, bytes, sidecar);
}

SondeDiskState *
sonde_disk_state_ref (SondeDiskState *state)
{
  return g_rc_box_acquire (state);
}

static void
disk_state_clear (gpointer data)
{
  SondeDiskState *state = data;

  g_clear_pointer (&state->bytes, g_bytes_unref);
  g_clear_pointer (&state->sidecar, g_free);
  g_clear_pointer (&state->sidecar_bytes, g_bytes_unref);
}

void
sonde_disk_state_unref (SondeDiskState *state)
{
  g_rc_box_release_full (state, disk_state_clear);
}

static gboolean
bytes_equal (GBytes *a,
             GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

gboolean
sonde_disk_state_equal (SondeDiskState *a,
                        SondeDiskState *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return bytes_equal (a->bytes, b->bytes) &&
         g_strcmp0 (a->sidecar, b->sidecar) == 0 &&
         bytes_equal (a->sidecar_bytes, b->sidecar_bytes);
}

/* ------------------------------------------------------------------------------------------
 * Settings (folder.json, sonde-collection.json)
 * ------------------------------------------------------------------------------------------ */

void
sonde_copy_properties (GObject *source,
                       GObject *target)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_assert (G_OBJECT_TYPE (source) == G_OBJECT_TYPE (target));

  if (SONDE_IS_REQUEST_OPTIONS (source))
    {
      sonde_request_options_assign (SONDE_REQUEST_OPTIONS (target), SONDE_REQUEST_OPTIONS (source));
      return;
    }

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (source), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspecs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE ||
          (pspecs[i]->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
        continue;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (source, pspecs[i]->name, &value);
      g_object_set_property (target, pspecs[i]->name, &value);
    }

  if (SONDE_IS_AUTH (source))
    sonde_auth_set_extra (SONDE_AUTH (target), sonde_auth_get_extra (SONDE_AUTH (source)));
}

static void
copy_rows (GListStore *target,
           GListModel *source)
{
  g_autoptr(GListStore) copy = sonde_key_value_list_copy (source);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (copy));
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n_items, g_object_unref);

  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (copy), i));

  g_list_store_splice (target, 0, g_list_model_get_n_items (G_LIST_MODEL (target)),
                       items->pdata, items->len);
}

JsonObject *
sonde_settings_to_json (GListStore          *headers,
                        SondeAuth           *auth,
                        SondeRequestOptions *options)
{
  g_autoptr(SondeRequest) request = sonde_request_new ();
  g_autoptr(JsonObject) object = NULL;
  JsonObject *settings = json_object_new ();

  if (headers != NULL)
    copy_rows (sonde_request_get_headers (request), G_LIST_MODEL (headers));
  if (auth != NULL)
    sonde_copy_properties (G_OBJECT (auth), G_OBJECT (sonde_request_get_auth (request)));
  if (options != NULL)
    sonde_copy_properties (G_OBJECT (options), G_OBJECT (sonde_request_get_options (request)));

  object = sonde_request_to_json (request, NULL, NULL);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const keys[] = { "headers", "auth", "options" };
      JsonNode *member = json_object_get_member (object, keys[i]);

      if (member != NULL)
        json_object_set_member (settings, keys[i], json_node_copy (member));
    }

  return settings;
}

GFile *
sonde_collection_node_settings_file (SondeCollectionNode *self)
{
  g_assert (self->kind == SONDE_COLLECTION_NODE_FOLDER);

  return g_file_get_child (self->file, self->is_root ? SONDE_COLLECTION_FILE : SONDE_FOLDER_FILE);
}

static gboolean
parse_object (GBytes      *bytes,
              JsonParser  *parser,
              JsonObject **object,
              GError     **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonNode *root;

  if (!sonde_json_parse_document (parser, data, length, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_PARSE, _("the file is empty"));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                           _("the file must hold a JSON object"));
      return FALSE;
    }

  *object = json_node_get_object (root);
  return TRUE;
}

static gboolean
read_settings (SondeCollectionNode  *self,
               JsonObject           *object,
               GError              **error)
{
  static const char * const known_root[] = { "format", "name", "variables", "headers", "auth",
                                             "options", NULL };
  static const char * const known_folder[] = { "name", "order", "variables", "headers", "auth",
                                               "options", NULL };
  g_autoptr(JsonObject) request_object = json_object_new ();
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GListStore) variables = sonde_key_value_list_new ();
  g_autoptr(JsonObject) extra = NULL;
  const char *name = NULL;
  gint64 order = 0;
  gint64 format = 1;

  if (!sonde_json_read_string (object, "name", NULL, &name, error) ||
      !sonde_variable_rows_read (object, "variables", NULL, variables, error))
    return FALSE;
  if (self->is_root && !sonde_json_read_integer (object, "format", NULL, 1, &format, error))
    return FALSE;
  if (!self->is_root && !sonde_json_read_integer (object, "order", NULL, G_MININT64, &order, error))
    return FALSE;

  /* The request format reads these three, with the same error messages. */
  for (guint i = 0; i < 3; i++)
    {
      static const char * const keys[] = { "headers", "auth", "options" };
      JsonNode *member = json_object_get_member (object, keys[i]);

      if (member != NULL)
        json_object_set_member (request_object, keys[i], json_node_copy (member));
    }
  request = sonde_request_from_json (request_object, NULL, error);
  if (request == NULL)
    return FALSE;

  self->format = format;
  self->order = order;
  self->name_in_file = name != NULL;
  if (name != NULL && name[0] != '\0')
    {
      g_free (self->name);
      self->name = g_strdup (name);
    }
  copy_rows (self->variables, G_LIST_MODEL (variables));
  copy_rows (self->headers, G_LIST_MODEL (sonde_request_get_headers (request)));
  sonde_copy_properties (G_OBJECT (sonde_request_get_auth (request)), G_OBJECT (self->auth));
  sonde_copy_properties (G_OBJECT (sonde_request_get_options (request)), G_OBJECT (self->options));

  extra = sonde_json_collect_extra (object, self->is_root ? known_root : known_folder);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = g_steal_pointer (&extra);

  return TRUE;
}

/* Reads folder.json (or the collection file) as it is on disk now into the node. */
void
sonde_collection_node_load_settings (SondeCollectionNode *self)
{
  g_autoptr(GFile) file = sonde_collection_node_settings_file (self);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_clear_pointer (&self->disk, sonde_disk_state_unref);
  g_clear_error (&self->error);
  self->disk = sonde_disk_state_read (file, NULL);
  self->has_settings_file = self->disk->bytes != NULL;
  if (!self->has_settings_file)
    return;

  if (!parse_object (self->disk->bytes, parser, &object, &error) ||
      !read_settings (self, object, &error))
    {
      g_autofree char *basename = g_file_get_basename (file);

      g_prefix_error (&error, "%s: ", basename);
      self->error = g_steal_pointer (&error);
    }
}

char *
sonde_collection_node_settings_to_data (SondeCollectionNode *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) settings = NULL;
  g_autofree char *basename = g_file_get_basename (self->file);
  JsonArray *variables;

  g_assert (self->kind == SONDE_COLLECTION_NODE_FOLDER);

  if (self->is_root)
    {
      json_object_set_int_member (object, "format", self->format > 0 ? self->format : 1);
      json_object_set_string_member (object, "name", self->name);
    }
  else
    {
      /* A folder is called after its directory unless its file says otherwise. */
      if (self->name_in_file || g_strcmp0 (basename, self->name) != 0)
        json_object_set_string_member (object, "name", self->name);
      if (self->order != 0)
        json_object_set_int_member (object, "order", self->order);
    }

  if ((variables = sonde_variable_rows_to_json (G_LIST_MODEL (self->variables))))
    json_object_set_array_member (object, "variables", variables);

  settings = sonde_settings_to_json (self->headers, self->auth, self->options);
  sonde_json_add_extra (object, settings);
  sonde_json_add_extra (object, self->extra);

  return sonde_json_file_to_data (object);
}

/* ------------------------------------------------------------------------------------------
 * Requests
 * ------------------------------------------------------------------------------------------ */

static char *
name_from_file (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (g_str_has_suffix (basename, SONDE_REQUEST_SUFFIX))
    basename[strlen (basename) - strlen (SONDE_REQUEST_SUFFIX)] = '\0';
  return g_steal_pointer (&basename);
}

void
sonde_collection_node_load_request (SondeCollectionNode *self,
                                    GFile               *root)
{
  g_autoptr(GFile) dir = g_file_get_parent (self->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(SondeRequest) request = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *sidecar = NULL;
  const char *data;
  gsize length;

  g_clear_pointer (&self->disk, sonde_disk_state_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->request);
  g_free (self->name);
  self->name = name_from_file (self->file);
  self->order = 0;

  bytes = read_bytes (self->file, &error);
  if (bytes == NULL)
    {
      g_autofree char *basename = g_file_get_basename (self->file);

      g_prefix_error (&error, "%s: ", basename);
      self->error = g_steal_pointer (&error);
      self->disk = sonde_disk_state_read (self->file, NULL);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  request = sonde_request_load_from_data (data, length, dir, &error);
  /* What a sidecar outside the collection held is dropped unseen. */
  if (request != NULL && !sonde_file_access_check_sidecar (request, dir, root, &error))
    g_clear_object (&request);
  if (request == NULL)
    {
      g_autofree char *basename = g_file_get_basename (self->file);

      g_prefix_error (&error, "%s: ", basename);
      self->error = g_steal_pointer (&error);
      self->disk = disk_state_new (self->file, bytes, NULL);
      return;
    }

  sonde_request_set_file (request, self->file);
  sonde_request_set_base_dir (request, root);
  sonde_request_set_collection_dir (request, root);
  if (sonde_request_get_name (request)[0] != '\0')
    {
      g_free (self->name);
      self->name = g_strdup (sonde_request_get_name (request));
    }
  self->order = sonde_request_get_order (request);
  self->request = g_steal_pointer (&request);

  switch (sonde_request_get_body_kind (self->request))
    {
    case SONDE_BODY_TEXT:
    case SONDE_BODY_JSON:
    case SONDE_BODY_XML:
    case SONDE_BODY_GRAPHQL:
      sidecar = sonde_body_get_text_file (sonde_request_read_body (self->request));
      break;
    default:
      break;
    }
  /* The state of what was just parsed: not read a second time */
  self->disk = disk_state_new (self->file, bytes, sidecar);
}

/* ------------------------------------------------------------------------------------------
 * Object
 * ------------------------------------------------------------------------------------------ */

static void
sonde_collection_node_finalize (GObject *object)
{
  SondeCollectionNode *self = (SondeCollectionNode *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->collated_name, g_free);
  g_clear_pointer (&self->collate_key, g_free);
  g_clear_object (&self->file);
  g_clear_error (&self->error);
  g_clear_pointer (&self->disk, sonde_disk_state_unref);
  g_clear_object (&self->request);
  g_clear_object (&self->children);
  g_clear_object (&self->headers);
  g_clear_object (&self->variables);
  g_clear_object (&self->auth);
  g_clear_object (&self->options);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sonde_collection_node_parent_class)->finalize (object);
}

static void
sonde_collection_node_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SondeCollectionNode *self = SONDE_COLLECTION_NODE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ORDER:
      g_value_set_int64 (value, self->order);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;
    case PROP_CHILDREN:
      g_value_set_object (value, self->children);
      break;
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_OPTIONS:
      g_value_set_object (value, self->options);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_collection_node_class_init (SondeCollectionNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sonde_collection_node_finalize;
  object_class->get_property = sonde_collection_node_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SONDE_TYPE_COLLECTION_NODE_KIND,
                       SONDE_COLLECTION_NODE_FOLDER, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_ORDER] = g_param_spec_int64 ("order", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_REQUEST] = g_param_spec_object ("request", NULL, NULL, SONDE_TYPE_REQUEST, flags);
  properties[PROP_CHILDREN] = g_param_spec_object ("children", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  properties[PROP_AUTH] = g_param_spec_object ("auth", NULL, NULL, SONDE_TYPE_AUTH, flags);
  properties[PROP_OPTIONS] = g_param_spec_object ("options", NULL, NULL, SONDE_TYPE_REQUEST_OPTIONS, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sonde_collection_node_init (SondeCollectionNode *self)
{
  self->name = g_strdup ("");
}

SondeCollectionNode *
sonde_collection_node_new_folder (GFile    *dir,
                                  gboolean  is_root)
{
  SondeCollectionNode *self = g_object_new (SONDE_TYPE_COLLECTION_NODE, NULL);

  self->kind = SONDE_COLLECTION_NODE_FOLDER;
  self->is_root = is_root;
  self->format = 1;
  self->file = g_object_ref (dir);
  g_free (self->name);
  self->name = g_file_get_basename (dir);
  self->children = g_list_store_new (SONDE_TYPE_COLLECTION_NODE);
  self->headers = sonde_key_value_list_new ();
  self->variables = sonde_key_value_list_new ();
  self->auth = sonde_auth_new ();
  self->options = sonde_request_options_new ();

  return self;
}

SondeCollectionNode *
sonde_collection_node_new_request (GFile *file)
{
  SondeCollectionNode *self = g_object_new (SONDE_TYPE_COLLECTION_NODE, NULL);

  self->kind = SONDE_COLLECTION_NODE_REQUEST;
  self->file = g_object_ref (file);
  g_free (self->name);
  self->name = name_from_file (file);

  return self;
}

void
sonde_collection_node_set_order (SondeCollectionNode *self,
                                 gint64               order)
{
  if (self->order == order)
    return;
  self->order = order;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
}

void
sonde_collection_node_set_name (SondeCollectionNode *self,
                                const char          *name)
{
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

void
sonde_collection_node_set_file (SondeCollectionNode *self,
                                GFile               *file)
{
  if (g_file_equal (self->file, file))
    return;
  g_set_object (&self->file, file);
  if (self->request != NULL)
    sonde_request_set_file (self->request, file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

void
sonde_collection_node_set_request (SondeCollectionNode *self,
                                   SondeRequest        *request)
{
  if (g_set_object (&self->request, request))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);
}

void
sonde_collection_node_take_state (SondeCollectionNode *self,
                                  SondeCollectionNode *other)
{
  gboolean had_error = self->error != NULL;

  g_assert (self->kind == other->kind);

  g_clear_pointer (&self->disk, sonde_disk_state_unref);
  self->disk = other->disk ? sonde_disk_state_ref (other->disk) : NULL;
  g_clear_error (&self->error);
  self->error = other->error ? g_error_copy (other->error) : NULL;
  if (had_error || self->error != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);

  sonde_collection_node_set_name (self, other->name);
  sonde_collection_node_set_order (self, other->order);

  if (self->kind == SONDE_COLLECTION_NODE_REQUEST)
    {
      sonde_collection_node_set_request (self, other->request);
      return;
    }

  self->has_settings_file = other->has_settings_file;
  self->name_in_file = other->name_in_file;
  self->format = other->format;
  copy_rows (self->headers, G_LIST_MODEL (other->headers));
  copy_rows (self->variables, G_LIST_MODEL (other->variables));
  sonde_copy_properties (G_OBJECT (other->auth), G_OBJECT (self->auth));
  sonde_copy_properties (G_OBJECT (other->options), G_OBJECT (self->options));
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = other->extra ? json_object_ref (other->extra) : NULL;
}

static const char *
collate_key (SondeCollectionNode *self)
{
  if (self->collate_key == NULL || g_strcmp0 (self->collated_name, self->name) != 0)
    {
      g_free (self->collate_key);
      g_free (self->collated_name);
      self->collated_name = g_strdup (self->name);
      self->collate_key = g_utf8_collate_key (self->name, -1);
    }
  return self->collate_key;
}

/* Ordered by "order", unset (0) last, then by name, then by file name (for a stable order). */
int
sonde_collection_node_compare (gconstpointer a,
                               gconstpointer b,
                               gpointer      user_data)
{
  SondeCollectionNode *node_a = (SondeCollectionNode *) a;
  SondeCollectionNode *node_b = (SondeCollectionNode *) b;
  g_autofree char *basename_a = NULL;
  g_autofree char *basename_b = NULL;
  int result;

  if (node_a->order != node_b->order)
    {
      if (node_a->order == 0)
        return 1;
      if (node_b->order == 0)
        return -1;
      return node_a->order < node_b->order ? -1 : 1;
    }

  if ((result = strcmp (collate_key (node_a), collate_key (node_b))) != 0)
    return result;

  basename_a = g_file_get_basename (node_a->file);
  basename_b = g_file_get_basename (node_b->file);
  return strcmp (basename_a, basename_b);
}

int
sonde_collection_node_compare_indirect (gconstpointer a,
                                        gconstpointer b,
                                        gpointer      user_data)
{
  return sonde_collection_node_compare (*(gconstpointer *)a, *(gconstpointer *)b, user_data);
}

/* ------------------------------------------------------------------------------------------
 * Public getters
 * ------------------------------------------------------------------------------------------ */

SondeCollectionNodeKind
sonde_collection_node_get_kind (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), SONDE_COLLECTION_NODE_FOLDER);
  return self->kind;
}

const char *
sonde_collection_node_get_name (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->name;
}

gint64
sonde_collection_node_get_order (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), 0);
  return self->order;
}

GFile *
sonde_collection_node_get_file (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->file;
}

SondeCollectionNode *
sonde_collection_node_get_parent (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->parent;
}

const GError *
sonde_collection_node_get_error (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->error;
}

SondeRequest *
sonde_collection_node_get_request (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->request;
}

GListModel *
sonde_collection_node_get_children (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->children ? G_LIST_MODEL (self->children) : NULL;
}

GListStore *
sonde_collection_node_get_headers (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->headers;
}

GListStore *
sonde_collection_node_get_variables (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->variables;
}

SondeAuth *
sonde_collection_node_get_auth (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->auth;
}

SondeRequestOptions *
sonde_collection_node_get_options (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->options;
}

JsonObject *
sonde_collection_node_get_extra (SondeCollectionNode *self)
{
  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);
  return self->extra;
}

char *
sonde_collection_node_dup_path (SondeCollectionNode *self)
{
  SondeCollectionNode *root = self;
  char *path;

  g_return_val_if_fail (SONDE_IS_COLLECTION_NODE (self), NULL);

  while (root->parent != NULL)
    root = root->parent;

  path = g_file_get_relative_path (root->file, self->file);
  return path ? path : g_strdup ("");
}

char *
sonde_collection_node_dup_display_path (SondeCollectionNode *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  /* NULL (no folder) reads as the top */
  for (SondeCollectionNode *node = self; node != NULL && node->parent != NULL; node = node->parent)
    g_ptr_array_insert (names, 0, (gpointer) node->name);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" / ", (char **) names->pdata);
}
