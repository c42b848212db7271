/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-request-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sonde-request-page.h"
#include "sonde-auth-editor.h"
#include "sonde-body-editor.h"
#include "sonde-error.h"
#include "sonde-file-access.h"
#include "sonde-graphql.h"
#include "sonde-oauth2.h"
#include "sonde-secret-heuristics.h"
#include "sonde-variables.h"

struct _SondeRequestPage
{
  GtkWidget parent_instance;

  /* Owned */
  SondeRequest *request;
  GCancellable *cancellable;
  GCancellable *schema_cancellable;
  GCancellable *token_cancellable;
  SondeResponse *previous_response;
  SondeWebsocket *websocket;   /* the connection of a WebSocket request, open or closed */
  char *title;
  SondeCollection *collection;
  SondeCollectionNode *node;
  /* Shared with the window: what captures set for this session, and the secret ones */
  GHashTable *run_variables;
  GHashTable *run_secrets;

  /* Borrowed: children */
  GtkPaned *paned;
  SondeRequestEditor *editor;
  SondeResponseView *response_view;

  guint modified : 1;
  guint deleted : 1;
};

G_DEFINE_FINAL_TYPE (SondeRequestPage, sonde_request_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REQUEST,
  PROP_SENDING,
  PROP_MODIFIED,
  PROP_TITLE,
  PROP_DELETED,
  PROP_CONNECTED,
  N_PROPS
};

enum {
  REQUEST_SENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  SondeRequestPage *page;   /* owned */
  GCancellable *cancellable; /* owned: tells this send from a newer one */
  GStrv             secrets;  /* of the expanded request: masked in errors and history */
  SondeRequest     *expanded; /* owned: what was sent, for asking about outside files */
  SondeClient      *client;   /* owned: to send again once allowed */
  SondeEnvironment *environment;
  SondeSecretStore *secret_store;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->page);
  g_clear_object (&data->cancellable);
  g_strfreev (data->secrets);
  g_clear_object (&data->expanded);
  g_clear_object (&data->client);
  g_clear_object (&data->environment);
  g_clear_object (&data->secret_store);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendData, send_data_free)

static void
set_sending (SondeRequestPage *self,
             GCancellable     *cancellable)
{
  gboolean was_sending = self->cancellable != NULL;

  g_set_object (&self->cancellable, cancellable);
  sonde_request_editor_set_sending (self->editor, cancellable != NULL);
  if (was_sending != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
}

static void
update_title (SondeRequestPage *self)
{
  const char *name = sonde_request_get_name (self->request);
  GFile *file = sonde_request_get_file (self->request);
  g_autofree char *title = NULL;

  /* The name, else the file's ("create-user.request.json" is "create-user"). */
  if (name != NULL && *name != '\0')
    title = g_strdup (name);
  else if (file != NULL)
    {
      g_autofree char *basename = g_file_get_basename (file);

      if (g_str_has_suffix (basename, ".request.json"))
        basename[strlen (basename) - strlen (".request.json")] = '\0';
      title = g_steal_pointer (&basename);
    }
  else
    title = g_strdup (_("Untitled Request"));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
request_changed_cb (SondeRequestPage *self)
{
  update_title (self);
  sonde_request_page_set_modified (self, TRUE);
}

static void
progress_cb (SondeTransferDirection direction,
             guint64                done,
             guint64                total,
             gpointer               user_data)
{
  SendData *data = user_data;

  if (data->page->cancellable == data->cancellable)
    sonde_response_view_set_progress (data->page->response_view, direction, done, total);
}

static void
stream_cb (SondeResponse *response,
           const guint8  *bytes,
           gsize          length,
           gpointer       user_data)
{
  SendData *data = user_data;

  if (data->page->cancellable == data->cancellable)
    sonde_response_view_add_stream_data (data->page->response_view, response, bytes, length);
}

/* The values to mask for a send: its request's secrets and the session's secret captures. */
static GStrv
secrets_with_run_secrets (SondeRequestPage *self,
                          SondeRequest     *expanded)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char * const *own = sonde_request_get_secret_values (expanded);
  GHashTableIter iter;
  gpointer value;

  if (own != NULL)
    g_strv_builder_addv (builder, (const char **) own);
  if (self->run_secrets != NULL)
    {
      g_hash_table_iter_init (&iter, self->run_secrets);
      while (g_hash_table_iter_next (&iter, &value, NULL))
        g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);
}

/* Asking before a collection reads a file outside itself */

static char *
display_path (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  const char *home = g_get_home_dir ();
  gsize home_length = strlen (home);

  if (path != NULL && strncmp (path, home, home_length) == 0 && path[home_length] == '/')
    return g_strconcat ("~", path + home_length, NULL);
  return g_file_get_parse_name (file);
}

static void
outside_files_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           gpointer          user_data)
{
  g_autoptr(SendData) data = user_data;
  SondeRequestPage *self = data->page;
  GPtrArray *files = g_object_get_data (G_OBJECT (dialog), "sonde-files");
  GFile *collection_dir = sonde_request_get_collection_dir (data->expanded);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "allow") || collection_dir == NULL)
    return;

  for (guint i = 0; i < files->len; i++)
    if (!sonde_file_access_allow (sonde_file_access_get_default (), collection_dir, files->pdata[i], &error))
      {
        sonde_response_view_set_error (self->response_view, error);
        return;
      }

  if (!sonde_request_page_send_full (self, data->client, data->environment, data->secret_store, &error))
    sonde_response_view_set_error (self->response_view, error);
}

/* The collection is someone else's files: the person decides, file by file, once. */
static void
ask_about_outside_files (SondeRequestPage *self,
                         SendData         *data)
{
  g_autoptr(GPtrArray) files = sonde_file_access_list_refused (sonde_file_access_get_default (), data->expanded);
  g_autoptr(GString) names = g_string_new (NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *name = sonde_request_get_name (data->expanded);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (files->len == 0)
    return;

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *shown = display_path (files->pdata[i]);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", shown);
    }
  if (name == NULL || name[0] == '\0')
    name = self->title != NULL ? self->title : "";
  /* Translators: the first %s is a request's name, the second one or more file paths */
  body = g_strdup_printf (_("The request “%s” wants to read %s, outside its collection. A collection you "
                            "got from someone else could use this to send your files to a server. Allow it "
                            "only if you trust this collection."),
                          name, names->str);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Read a File Outside the Collection?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "allow", _("_Allow and Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "allow", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "sonde-files", g_steal_pointer (&files),
                          (GDestroyNotify) g_ptr_array_unref);

  /* DATA lives on with the dialog's answer. */
  data = g_memdup2 (data, sizeof *data);
  g_object_ref (data->page);
  g_object_ref (data->cancellable);
  data->secrets = g_strdupv (data->secrets);
  g_object_ref (data->expanded);
  g_object_ref (data->client);
  if (data->environment != NULL)
    g_object_ref (data->environment);
  if (data->secret_store != NULL)
    g_object_ref (data->secret_store);
  g_signal_connect (dialog, "response", G_CALLBACK (outside_files_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The request's checks (and its folders') against RESPONSE, for the Checks page. Check
 * values see the variables without secrets: nothing blocks on the keyring here. */
static GPtrArray *
evaluate_checks (SondeRequestPage *self,
                 SondeResponse    *response,
                 SondeEnvironment *environment)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_free);
  g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_capture_free);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_check_result_free);
  g_autoptr(GHashTable) variables = NULL;
  g_autoptr(GHashTable) secret_names = NULL;
  g_autoptr(GError) error = NULL;
  gboolean read;

  if (self->collection != NULL && self->node != NULL)
    {
      read = sonde_checks_for_node (self->node, checks, captures, &error);
      variables = sonde_collection_build_variables_preview (self->collection, self->node, self->request,
                                                            environment, &secret_names, NULL);
    }
  else
    read = sonde_checks_read (sonde_request_get_extra (self->request), NULL, checks, &error) &&
           sonde_captures_read (sonde_request_get_extra (self->request), NULL, captures, &error);

  /* Captured values win, as in the send. */
  if (self->run_variables != NULL && g_hash_table_size (self->run_variables) > 0)
    {
      if (variables == NULL)
        variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      sonde_variables_merge (variables, self->run_variables);
    }

  if (!read)
    {
      SondeCheckResult *bad = g_new0 (SondeCheckResult, 1);

      bad->description = g_strdup (_("checks"));
      bad->message = g_strdup (error->message);
      g_ptr_array_add (results, bad);
      return g_steal_pointer (&results);
    }

  /* Captures set the session's run variables, for the requests sent after this one; what
   * the checks show of a secret is masked, as everywhere. */
  {
    g_autoptr(GPtrArray) secret_values = g_ptr_array_new_with_free_func (g_free);
    g_autofree const char **secrets = self->run_secrets != NULL
                                      ? (const char **) g_hash_table_get_keys_as_array (self->run_secrets, NULL)
                                      : NULL;

    sonde_checks_run (checks, captures, response, variables, self->run_variables, secret_values,
                      (const char * const *) secrets, results);
    for (guint i = 0; i < secret_values->len && self->run_secrets != NULL; i++)
      g_hash_table_add (self->run_secrets, g_strdup (secret_values->pdata[i]));
  }
  return results->len > 0 ? g_steal_pointer (&results) : NULL;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  SondeRequestPage *self = data->page;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;

  response = sonde_client_send_finish (SONDE_CLIENT (object), result, &error);
  /* An error message may quote the expanded URL: the history and the view get it masked. */
  if (error != NULL && data->secrets != NULL)
    {
      g_autofree char *masked = sonde_secrets_mask (error->message, (const char * const *) data->secrets);

      g_free (error->message);
      error->message = g_steal_pointer (&masked);
    }

  /* Cancelled (the view was restored then), replaced by a newer send, or the page went away. */
  if (self->cancellable != data->cancellable)
    return;

  set_sending (self, NULL);

  /* Checks and captures first: what a capture set is there for whoever hears of the send. */
  if (response != NULL)
    checks = evaluate_checks (self, response, data->environment);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[REQUEST_SENT], 0, self->request, response, error);

  if (response != NULL)
    {
      sonde_response_view_set_response (self->response_view, response);
      sonde_response_view_set_checks (self->response_view, checks);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sonde_response_view_set_response (self->response_view, self->previous_response);
  else
    sonde_response_view_set_error (self->response_view, error);

  if (g_error_matches (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_OUTSIDE) &&
      data->expanded != NULL && data->client != NULL)
    ask_about_outside_files (self, data);

  g_clear_object (&self->previous_response);
}

static void
sonde_request_page_constructed (GObject *object)
{
  SondeRequestPage *self = SONDE_REQUEST_PAGE (object);

  G_OBJECT_CLASS (sonde_request_page_parent_class)->constructed (object);

  if (self->request == NULL)
    self->request = sonde_request_new ();

  self->paned = GTK_PANED (gtk_paned_new (GTK_ORIENTATION_VERTICAL));
  gtk_paned_set_wide_handle (self->paned, TRUE);
  gtk_paned_set_shrink_start_child (self->paned, FALSE);
  gtk_paned_set_shrink_end_child (self->paned, FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->paned), GTK_WIDGET (self));

  self->editor = SONDE_REQUEST_EDITOR (sonde_request_editor_new (self->request));
  gtk_widget_set_size_request (GTK_WIDGET (self->editor), -1, 180);
  gtk_paned_set_start_child (self->paned, GTK_WIDGET (self->editor));

  self->response_view = SONDE_RESPONSE_VIEW (sonde_response_view_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->response_view), -1, 160);
  gtk_paned_set_end_child (self->paned, GTK_WIDGET (self->response_view));

  g_signal_connect_object (self->request, "changed", G_CALLBACK (request_changed_cb),
                           self, G_CONNECT_SWAPPED);
  update_title (self);
}

static void
sonde_request_page_dispose (GObject *object)
{
  SondeRequestPage *self = SONDE_REQUEST_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->schema_cancellable != NULL)
    g_cancellable_cancel (self->schema_cancellable);
  g_clear_object (&self->schema_cancellable);
  if (self->token_cancellable != NULL)
    g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  g_clear_object (&self->previous_response);
  if (self->websocket != NULL)
    g_signal_handlers_disconnect_by_data (self->websocket, self);
  g_clear_object (&self->websocket);

  if (self->paned != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->paned));
      self->paned = NULL;
    }

  g_clear_object (&self->request);
  g_clear_object (&self->node);
  g_clear_object (&self->collection);

  G_OBJECT_CLASS (sonde_request_page_parent_class)->dispose (object);
}

static void
sonde_request_page_finalize (GObject *object)
{
  SondeRequestPage *self = SONDE_REQUEST_PAGE (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->run_variables, g_hash_table_unref);
  g_clear_pointer (&self->run_secrets, g_hash_table_unref);

  G_OBJECT_CLASS (sonde_request_page_parent_class)->finalize (object);
}

static void
sonde_request_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SondeRequestPage *self = SONDE_REQUEST_PAGE (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;

    case PROP_SENDING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, sonde_request_page_get_connected (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SondeRequestPage *self = SONDE_REQUEST_PAGE (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      self->request = g_value_dup_object (value);
      break;

    case PROP_MODIFIED:
      sonde_request_page_set_modified (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_request_page_class_init (SondeRequestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sonde_request_page_constructed;
  object_class->dispose = sonde_request_page_dispose;
  object_class->finalize = sonde_request_page_finalize;
  object_class->get_property = sonde_request_page_get_property;
  object_class->set_property = sonde_request_page_set_property;

  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, SONDE_TYPE_REQUEST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REQUEST_SENT] =
    g_signal_new ("request-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  SONDE_TYPE_REQUEST, SONDE_TYPE_RESPONSE, G_TYPE_ERROR);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /* Escape anywhere in the tab cancels a request in flight; when nothing is in flight the
   * action is disabled and Escape goes on to whoever else wants it. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-request", NULL);
}

static void
sonde_request_page_init (SondeRequestPage *self)
{
}

SondeRequestPage *
sonde_request_page_new (SondeRequest *request)
{
  g_return_val_if_fail (request == NULL || SONDE_IS_REQUEST (request), NULL);

  return g_object_new (SONDE_TYPE_REQUEST_PAGE, "request", request, NULL);
}

SondeRequest *
sonde_request_page_get_request (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), NULL);

  return self->request;
}

SondeRequestEditor *
sonde_request_page_get_editor (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), NULL);

  return self->editor;
}

SondeResponseView *
sonde_request_page_get_response_view (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), NULL);

  return self->response_view;
}

GtkPaned *
sonde_request_page_get_paned (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), NULL);

  return self->paned;
}

gboolean
sonde_request_page_get_sending (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

gboolean
sonde_request_page_get_modified (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), FALSE);

  return self->modified;
}

void
sonde_request_page_set_modified (SondeRequestPage *self,
                                 gboolean          modified)
{
  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));

  modified = !!modified;
  if (self->modified == modified)
    return;

  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

const char *
sonde_request_page_get_title (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), NULL);

  return self->title;
}

/* WebSocket */

static void
websocket_open_changed_cb (SondeRequestPage *self)
{
  sonde_request_editor_set_connected (self->editor, sonde_request_page_get_connected (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

/* The page's connection: a new one closes the one before (1000, Normal Closure) */
static void
set_websocket (SondeRequestPage *self,
               SondeWebsocket   *websocket)
{
  if (self->websocket == websocket)
    return;
  if (self->websocket != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->websocket, self);
      sonde_websocket_close (self->websocket, 0, NULL);
    }
  g_set_object (&self->websocket, websocket);
  if (websocket != NULL)
    g_signal_connect_swapped (websocket, "notify::open", G_CALLBACK (websocket_open_changed_cb), self);
  websocket_open_changed_cb (self);
}

static void
mask_error (GError             *error,
            const char * const *secrets)
{
  if (error != NULL && secrets != NULL)
    {
      g_autofree char *masked = sonde_secrets_mask (error->message, secrets);

      g_free (error->message);
      error->message = g_steal_pointer (&masked);
    }
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  SondeRequestPage *self = data->page;
  g_autoptr(SondeWebsocket) websocket = NULL;
  g_autoptr(GError) error = NULL;

  websocket = sonde_client_websocket_connect_finish (SONDE_CLIENT (object), result, &error);
  mask_error (error, (const char * const *) data->secrets);

  /* Cancelled, replaced by a newer connect, or the page went away: disposed, it closes */
  if (self->cancellable != data->cancellable)
    return;

  set_sending (self, NULL);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[REQUEST_SENT], 0, self->request,
                   websocket != NULL ? sonde_websocket_get_handshake (websocket) : NULL, error);

  if (websocket != NULL)
    {
      set_websocket (self, websocket);
      sonde_response_view_set_websocket (self->response_view, websocket);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sonde_response_view_set_response (self->response_view, self->previous_response);
  else
    {
      sonde_response_view_set_error (self->response_view, error);
      sonde_response_view_set_error_title (self->response_view, _("Could Not Connect"));
    }

  if (g_error_matches (error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_FILE_OUTSIDE) &&
      data->expanded != NULL && data->client != NULL)
    ask_about_outside_files (self, data);
  g_clear_object (&self->previous_response);
}

/* Sends DATA's expanded request, or opens it when it is a WebSocket one. Takes DATA. */
static void
start_send (SendData     *data,
            SondeClient  *client,
            SondeRequest *expanded)
{
  if (sonde_request_is_websocket (expanded))
    {
      /* A connection already open is closed when the new one opens */
      sonde_client_websocket_connect_async (client, expanded, data->cancellable, connected_cb, data);
      return;
    }
  /* The progress callback borrows DATA: it ends before send_cb frees it. */
  sonde_client_send_streaming_async (client, expanded, stream_cb, data,
                                     progress_cb, data,
                                     data->cancellable, send_cb, data);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  SondeRequestPage *self = data->page;
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(GError) error = NULL;
  SondeClient *client = g_object_get_data (G_OBJECT (data->cancellable), "sonde-client");

  expanded = sonde_collection_prepare_request_finish (SONDE_COLLECTION (object), result, &error);
  if (self->cancellable != data->cancellable)
    return;

  if (expanded == NULL)
    {
      set_sending (self, NULL);
      g_signal_emit (self, signals[REQUEST_SENT], 0, self->request, NULL, error);
      sonde_response_view_set_error (self->response_view, error);
      g_clear_object (&self->previous_response);
      return;
    }

  data->secrets = secrets_with_run_secrets (self, expanded);
  data->expanded = g_object_ref (expanded);
  start_send (g_steal_pointer (&data), client, expanded);
}

gboolean
sonde_request_page_send (SondeRequestPage  *self,
                         SondeClient       *client,
                         GError           **error)
{
  return sonde_request_page_send_full (self, client, NULL, NULL, error);
}

gboolean
sonde_request_page_send_full (SondeRequestPage  *self,
                              SondeClient       *client,
                              SondeEnvironment  *environment,
                              SondeSecretStore  *secrets,
                              GError           **error)
{
  g_autoptr(GHashTable) variables = NULL;
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(GError) expand_error = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  SondeResponse *previous;
  SendData *data;

  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), FALSE);
  g_return_val_if_fail (SONDE_IS_CLIENT (client), FALSE);

  if (!sonde_request_editor_check (self->editor, error))
    return FALSE;

  if (self->collection != NULL)
    {
      sonde_request_page_cancel (self);
      previous = sonde_response_view_get_response (self->response_view);
      g_set_object (&self->previous_response, previous);

      cancellable = g_cancellable_new ();
      /* The client outlives the send: the window owns it. */
      g_object_set_data_full (G_OBJECT (cancellable), "sonde-client", g_object_ref (client), g_object_unref);
      set_sending (self, cancellable);
      sonde_response_view_set_sending (self->response_view);
      if (sonde_request_is_websocket (self->request))
        sonde_response_view_set_progress_text (self->response_view, _("Connecting…"));

      data = g_new0 (SendData, 1);
      data->page = g_object_ref (self);
      data->cancellable = g_object_ref (cancellable);
      data->client = g_object_ref (client);
      data->environment = environment != NULL ? g_object_ref (environment) : NULL;
      data->secret_store = secrets != NULL ? g_object_ref (secrets) : NULL;
      sonde_collection_prepare_request_async (self->collection, self->node, self->request,
                                              environment, secrets, self->run_variables,
                                              cancellable, prepared_cb, data);
      return TRUE;
    }

  /* Without a collection, only what captures set: any other {{variable}} is undefined,
   * which the response view explains. */
  variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sonde_variables_merge (variables, self->run_variables);
  expanded = sonde_request_expand (self->request, variables, &expand_error);
  /* A file opened alone from a collection folder reads only what its collection may. */
  if (expanded != NULL && sonde_request_get_file (self->request) != NULL)
    {
      g_autoptr(GFile) around = sonde_collection_find_dir (sonde_request_get_file (self->request));

      sonde_request_set_collection_dir (expanded, around);
    }
  if (expanded == NULL)
    {
      sonde_request_page_cancel (self);
      sonde_response_view_set_error (self->response_view, expand_error);
      return TRUE;
    }

  /* A send in flight is replaced by the new one. */
  sonde_request_page_cancel (self);
  previous = sonde_response_view_get_response (self->response_view);
  g_set_object (&self->previous_response, previous);

  cancellable = g_cancellable_new ();
  set_sending (self, cancellable);
  sonde_response_view_set_sending (self->response_view);
  if (sonde_request_is_websocket (self->request))
    sonde_response_view_set_progress_text (self->response_view, _("Connecting…"));

  data = g_new0 (SendData, 1);
  data->page = g_object_ref (self);
  data->cancellable = g_object_ref (cancellable);
  data->secrets = secrets_with_run_secrets (self, expanded);
  data->expanded = g_object_ref (expanded);
  data->client = g_object_ref (client);
  start_send (data, client, expanded);

  return TRUE;
}

/* Work beside sends (Fetch Schema, Get New Token): the request prepared as a send would
 * have it (inherited, variables expanded), then THEN with it or with the reason it could
 * not be. A newer job of the same kind cancels the older one (SLOT holds its cancellable). */

typedef struct _SideJob SideJob;
typedef void (*SideThen) (SideJob *job, SondeRequest *expanded, const GError *error);

struct _SideJob
{
  SondeRequestPage  *page;        /* owned */
  SondeClient       *client;      /* owned */
  GCancellable      *cancellable;
  GCancellable     **slot;        /* in page */
  SideThen           then;
  gboolean           clear;       /* Clear Token rather than Get New Token */
  int                index;       /* the saved WebSocket message to send; -1: all */
};

static void
side_job_free (SideJob *job)
{
  g_clear_object (&job->page);
  g_clear_object (&job->client);
  g_clear_object (&job->cancellable);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SideJob, side_job_free)

/* The job is over (and freed): a newer one may have taken the slot since. */
static void
side_job_end (SideJob *job)
{
  if (job->slot != NULL && *job->slot == job->cancellable)
    g_clear_object (job->slot);
  side_job_free (job);
}

static void
side_prepared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SideJob *job = user_data;
  g_autoptr(SondeRequest) expanded = NULL;
  g_autoptr(GError) error = NULL;

  expanded = sonde_collection_prepare_request_finish (SONDE_COLLECTION (object), result, &error);
  if (g_cancellable_is_cancelled (job->cancellable))
    {
      side_job_free (job);
      return;
    }
  job->then (job, expanded, error);
}

static void
side_job_start (SondeRequestPage  *self,
                GCancellable     **slot,
                SondeClient       *client,
                SondeRequest      *request,
                SondeEnvironment  *environment,
                SondeSecretStore  *secrets,
                SideThen           then,
                gboolean           clear,
                int                index)
{
  SideJob *job = g_new0 (SideJob, 1);

  /* Without a slot, jobs do not replace each other (saved WebSocket messages) */
  if (slot != NULL)
    {
      if (*slot != NULL)
        g_cancellable_cancel (*slot);
      g_clear_object (slot);
      *slot = g_cancellable_new ();
    }

  job->page = g_object_ref (self);
  job->client = g_object_ref (client);
  job->cancellable = slot != NULL ? g_object_ref (*slot) : g_cancellable_new ();
  job->slot = slot;
  job->then = then;
  job->clear = clear;
  job->index = index;

  if (self->collection != NULL)
    {
      sonde_collection_prepare_request_async (self->collection, self->node, request,
                                              environment, secrets, self->run_variables,
                                              job->cancellable, side_prepared_cb, job);
      return;
    }

  {
    g_autoptr(GHashTable) variables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(SondeRequest) expanded = NULL;
    g_autoptr(GError) error = NULL;

    sonde_variables_merge (variables, self->run_variables);
    expanded = sonde_request_expand (request, variables, &error);
    if (expanded != NULL && sonde_request_get_file (self->request) != NULL)
      {
        g_autoptr(GFile) around = sonde_collection_find_dir (sonde_request_get_file (self->request));

        sonde_request_set_collection_dir (expanded, around);
      }
    then (job, expanded, error);
  }
}

/* Fetch Schema */

static void
show_schema (SondeRequestPage    *self,
             gboolean             loading,
             const char * const  *names,
             const GError        *error)
{
  GtkWidget *body_editor = sonde_request_editor_get_page (self->editor, "body");

  sonde_body_editor_set_schema (SONDE_BODY_EDITOR (body_editor), loading, names, error);
}

static void
schema_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SideJob *job = user_data;
  g_autoptr(SondeResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_auto(GStrv) names = NULL;

  response = sonde_client_send_finish (SONDE_CLIENT (object), result, &error);
  if (g_cancellable_is_cancelled (job->cancellable))
    {
      side_job_free (job);
      return;
    }

  if (response != NULL && (sonde_response_get_status (response) < 200 || sonde_response_get_status (response) >= 300))
    g_set_error (&error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                 _("the server answered %u %s"), sonde_response_get_status (response),
                 sonde_response_get_reason (response) != NULL ? sonde_response_get_reason (response) : "");
  else if (response != NULL && (sonde_response_get_body (response) == NULL ||
                                (body = sonde_body_store_get_bytes (sonde_response_get_body (response))) == NULL))
    g_set_error_literal (&error, SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_VALUE,
                         _("the answer is too large"));
  else if (response != NULL)
    names = sonde_graphql_schema_names (body, &error);

  show_schema (job->page, FALSE, (const char * const *) names, error);
  side_job_end (job);
}

static void
schema_then (SideJob      *job,
             SondeRequest *expanded,
             const GError *error)
{
  if (expanded == NULL)
    {
      show_schema (job->page, FALSE, NULL, error);
      side_job_end (job);
      return;
    }
  sonde_client_send_async (job->client, expanded, NULL, NULL, NULL, NULL,
                           job->cancellable, schema_sent_cb, job);
}

void
sonde_request_page_fetch_schema (SondeRequestPage *self,
                                 SondeClient      *client,
                                 SondeEnvironment *environment,
                                 SondeSecretStore *secrets)
{
  g_autoptr(SondeRequest) request = NULL;
  SondeBody *body;

  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));
  g_return_if_fail (SONDE_IS_CLIENT (client));

  /* The request as it is, its body the introspection query: same URL, headers and auth */
  request = sonde_request_copy (self->request);
  body = sonde_request_get_body (request);
  sonde_request_set_method (request, "POST");
  sonde_body_set_kind (body, SONDE_BODY_GRAPHQL);
  sonde_body_set_text_file (body, NULL);
  sonde_body_set_text (body, sonde_graphql_introspection_query);
  sonde_body_set_variables (body, "");
  sonde_body_set_operation_name (body, "IntrospectionQuery");

  show_schema (self, TRUE, NULL, NULL);
  side_job_start (self, &self->schema_cancellable, client, request, environment, secrets, schema_then, FALSE, -1);
}

/* OAuth 2.0 tokens */

static void
show_token_status (SondeRequestPage *self,
                   const char       *text,
                   gboolean          is_error,
                   gboolean          busy)
{
  GtkWidget *auth_editor = sonde_request_editor_get_page (self->editor, "auth");

  sonde_auth_editor_set_token_status (SONDE_AUTH_EDITOR (auth_editor), text, is_error, busy);
}

static void
show_token (SondeRequestPage       *self,
            const SondeOAuth2Token *token,
            const GError           *error)
{
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      text = g_strdup_printf (_("No token: %s"), error->message);
      show_token_status (self, text, TRUE, FALSE);
      return;
    }
  if (token->expires_at > 0)
    {
      g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_local (token->expires_at / G_USEC_PER_SEC);
      g_autofree char *time = g_date_time_format (expiry, "%X");

      text = g_strdup_printf (_("Valid until %s%s"), time, token->refresh_token != NULL ? _(", then refreshed") : "");
    }
  else
    text = g_strdup (_("Valid, for a time the server did not say"));
  show_token_status (self, text, FALSE, FALSE);
}

static void
token_got_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SideJob *job = user_data;
  g_autoptr(SondeOAuth2Token) token = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == sonde_client_authorize_oauth2_async)
    token = sonde_client_authorize_oauth2_finish (SONDE_CLIENT (object), result, &error);
  else
    token = sonde_client_fetch_oauth2_token_finish (SONDE_CLIENT (object), result, &error);
  if (g_cancellable_is_cancelled (job->cancellable))
    {
      side_job_free (job);
      return;
    }
  show_token (job->page, token, error);
  side_job_end (job);
}

static void
open_in_browser (const char *uri,
                 gpointer    user_data)
{
  GtkWidget *widget = user_data;
  GtkRoot *root = gtk_widget_get_root (widget);

  /* Through the OpenURI portal in the Flatpak */
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
token_then (SideJob      *job,
            SondeRequest *expanded,
            const GError *error)
{
  SondeRequestPage *self = job->page;
  SondeAuth *auth = expanded != NULL ? sonde_request_get_auth (expanded) : NULL;

  if (expanded == NULL)
    show_token (self, NULL, error);
  else if (sonde_auth_get_kind (auth) != SONDE_AUTH_OAUTH2)
    show_token_status (self, _("This request's auth is not OAuth 2.0"), TRUE, FALSE);
  else if (job->clear)
    {
      sonde_client_forget_oauth2_token (job->client, auth);
      show_token_status (self, _("No token: the next send gets one"), FALSE, FALSE);
    }
  else
    {
      sonde_client_forget_oauth2_token (job->client, auth);
      if (g_str_equal (sonde_auth_get_oauth (auth, SONDE_OAUTH_GRANT), "authorization_code"))
        {
          show_token_status (self, _("Waiting for the browser… Sign in there, then come back"), FALSE, TRUE);
          sonde_client_authorize_oauth2_async (job->client, auth, sonde_request_get_options (expanded),
                                               open_in_browser, self, job->cancellable, token_got_cb, job);
        }
      else
        {
          show_token_status (self, _("Asking the token endpoint…"), FALSE, TRUE);
          sonde_client_fetch_oauth2_token_async (job->client, auth, sonde_request_get_options (expanded),
                                                 job->cancellable, token_got_cb, job);
        }
      return;
    }
  side_job_end (job);
}

void
sonde_request_page_get_oauth_token (SondeRequestPage *self,
                                    SondeClient      *client,
                                    SondeEnvironment *environment,
                                    SondeSecretStore *secrets,
                                    gboolean          clear)
{
  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));
  g_return_if_fail (SONDE_IS_CLIENT (client));

  side_job_start (self, &self->token_cancellable, client, self->request, environment, secrets, token_then, clear, -1);
}

void
sonde_request_page_cancel (SondeRequestPage *self)
{
  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));

  if (self->cancellable == NULL)
    return;

  /* The view goes back at once; send_cb then ignores this send. Events received stay. */
  g_cancellable_cancel (self->cancellable);
  set_sending (self, NULL);
  if (!sonde_response_view_stop_stream (self->response_view))
    sonde_response_view_set_response (self->response_view, self->previous_response);
  g_clear_object (&self->previous_response);
}

/* Renamed in the sidebar (its file's "name"): the tab takes the name, and stays unmodified if
 * it was (the file already holds it) */
static void
node_name_changed_cb (SondeRequestPage *self)
{
  const char *name = sonde_collection_node_get_name (self->node);
  gboolean modified = self->modified;

  if (g_strcmp0 (sonde_request_get_name (self->request), name) == 0)
    return;
  sonde_request_set_name (self->request, name);
  sonde_request_page_set_modified (self, modified);
}

/* Moved in the sidebar (its folder's directory renamed, or dropped in another folder): the
 * tab's request follows the file, and stays unmodified if it was */
static void
node_file_changed_cb (SondeRequestPage *self)
{
  GFile *file = sonde_collection_node_get_file (self->node);
  gboolean modified = self->modified;

  if (sonde_request_get_file (self->request) != NULL && g_file_equal (sonde_request_get_file (self->request), file))
    return;
  sonde_request_set_file (self->request, file);
  sonde_request_page_set_modified (self, modified);
}

void
sonde_request_page_set_collection (SondeRequestPage    *self,
                                   SondeCollection     *collection,
                                   SondeCollectionNode *node)
{
  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));
  g_return_if_fail (collection == NULL || SONDE_IS_COLLECTION (collection));
  g_return_if_fail (node == NULL || SONDE_IS_COLLECTION_NODE (node));

  if (self->node != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->node, node_name_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->node, node_file_changed_cb, self);
    }
  g_set_object (&self->collection, collection);
  g_set_object (&self->node, node);
  if (node != NULL)
    {
      g_signal_connect_object (node, "notify::name", G_CALLBACK (node_name_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (node, "notify::file", G_CALLBACK (node_file_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

SondeCollection *
sonde_request_page_get_collection (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), NULL);

  return self->collection;
}

SondeCollectionNode *
sonde_request_page_get_node (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), NULL);

  return self->node;
}

gboolean
sonde_request_page_get_deleted (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), FALSE);

  return self->deleted;
}

void
sonde_request_page_set_deleted (SondeRequestPage *self,
                                gboolean          deleted)
{
  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));

  deleted = !!deleted;
  if (self->deleted == deleted)
    return;

  self->deleted = deleted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}

/**
 * sonde_request_page_set_run_variables:
 * @variables: (nullable): name → value, shared: what captures set, used by every send
 * @secrets: (nullable): the set of secret capture values, shared, masked in what is shown
 */
void
sonde_request_page_set_run_variables (SondeRequestPage *self,
                                      GHashTable       *variables,
                                      GHashTable       *secrets)
{
  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));

  if (variables != NULL)
    g_hash_table_ref (variables);
  g_clear_pointer (&self->run_variables, g_hash_table_unref);
  self->run_variables = variables;
  if (secrets != NULL)
    g_hash_table_ref (secrets);
  g_clear_pointer (&self->run_secrets, g_hash_table_unref);
  self->run_secrets = secrets;
}

gboolean
sonde_request_page_get_connected (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), FALSE);

  return self->websocket != NULL && sonde_websocket_is_open (self->websocket);
}

SondeWebsocket *
sonde_request_page_get_websocket (SondeRequestPage *self)
{
  g_return_val_if_fail (SONDE_IS_REQUEST_PAGE (self), NULL);

  return self->websocket;
}

void
sonde_request_page_disconnect (SondeRequestPage *self)
{
  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));

  if (self->websocket != NULL)
    sonde_websocket_close (self->websocket, 0, NULL);
}

/* Saved WebSocket messages: sent from the request as it is now (expanded as a send would
 * be), so an edit after connecting counts. */

static void
saved_messages_sent_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(SondeWebsocketView) view = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_websocket_send_messages_finish (SONDE_WEBSOCKET (object), result, &error))
    sonde_websocket_view_show_error (view, error);
}

static void
messages_then (SideJob      *job,
               SondeRequest *expanded,
               const GError *error)
{
  SondeRequestPage *self = job->page;
  SondeWebsocketView *view = sonde_response_view_get_websocket_view (self->response_view);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
  g_autoptr(GPtrArray) to_send = NULL;
  g_autoptr(GError) read_error = NULL;

  if (expanded == NULL || self->websocket == NULL ||
      !sonde_websocket_read_settings (sonde_request_get_extra (expanded), NULL, NULL, messages, &read_error))
    {
      if (error != NULL || read_error != NULL)
        sonde_websocket_view_show_error (view, error != NULL ? error : read_error);
      side_job_end (job);
      return;
    }

  to_send = g_ptr_array_new_with_free_func ((GDestroyNotify) sonde_websocket_message_free);
  for (guint i = 0; i < messages->len; i++)
    {
      SondeWebsocketMessage *message = messages->pdata[i];

      /* One asked for by its Send button goes even when unchecked; Send All sends the checked */
      if ((job->index < 0 && message->enabled) || job->index == (int) i)
        g_ptr_array_add (to_send, g_steal_pointer (&messages->pdata[i]));
    }
  sonde_websocket_view_show_error (view, NULL);
  sonde_websocket_send_messages_async (self->websocket, expanded, to_send, NULL, saved_messages_sent_cb,
                                       g_object_ref (view));
  side_job_end (job);
}

void
sonde_request_page_send_saved_messages (SondeRequestPage *self,
                                        SondeClient      *client,
                                        SondeEnvironment *environment,
                                        SondeSecretStore *secrets,
                                        int               index)
{
  g_return_if_fail (SONDE_IS_REQUEST_PAGE (self));
  g_return_if_fail (SONDE_IS_CLIENT (client));

  if (!sonde_request_page_get_connected (self))
    return;
  side_job_start (self, NULL, client, self->request, environment, secrets, messages_then, FALSE, index);
}
