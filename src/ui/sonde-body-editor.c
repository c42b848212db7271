/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-body-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sonde-body-editor.h"
#include "sonde-body-part-row.h"
#include "sonde-body.h"
#include "sonde-editor-utils.h"
#include "sonde-json-formatter.h"
#include "sonde-key-value-editor.h"

struct _SondeBodyEditor
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkDropDown *kind_dropdown;
  GtkEntry *content_type_entry;
  GtkButton *format_button;
  GtkWidget *fetch_schema_button;
  GtkLabel *schema_label;
  GtkStack *kind_stack;
  GtkSourceView *source_view;
  GtkWidget *graphql_box;
  GtkEntry *operation_name_entry;
  GtkSourceView *variables_view;
  GtkLabel *format_error_label;
  SondeKeyValueEditor *form_editor;
  GtkListBox *parts_list;
  AdwActionRow *file_row;
  GtkLabel *file_info_label;

  /* Owned */
  SondeRequest *request;
  GtkSourceBuffer *buffer;
  GtkSourceBuffer *variables_buffer;
  GSignalGroup *body_signals;
  GBinding *kind_binding;
  GBinding *content_type_binding;
  GBinding *operation_name_binding;
  /* GraphQL completion: the schema's names, one per line, for a words provider */
  GtkTextBuffer *schema_buffer;
  GtkSourceCompletionWords *schema_words;
  GStrv schema_names;
  SondeVariableScope *scope;

  guint syncing_text : 1;
};

G_DEFINE_FINAL_TYPE (SondeBodyEditor, sonde_body_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REQUEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SondeBody *
get_body (SondeBodyEditor *self)
{
  return self->request != NULL ? sonde_request_get_body (self->request) : NULL;
}

static void
update_kind (SondeBodyEditor *self)
{
  SondeBody *body = get_body (self);
  SondeBodyKind kind = body != NULL ? sonde_body_get_kind (body) : SONDE_BODY_NONE;
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  const char *page = "none";
  const char *language = NULL;
  const char *default_type = sonde_body_kind_default_content_type (kind);

  switch (kind)
    {
    case SONDE_BODY_NONE:
      break;
    case SONDE_BODY_TEXT:
      page = "text";
      break;
    case SONDE_BODY_JSON:
      page = "text";
      language = "json";
      break;
    case SONDE_BODY_XML:
      page = "text";
      language = "xml";
      break;
    case SONDE_BODY_FORM:
      page = "form";
      break;
    case SONDE_BODY_MULTIPART:
      page = "multipart";
      break;
    case SONDE_BODY_FILE:
      page = "file";
      break;
    case SONDE_BODY_GRAPHQL:
      page = "text";
      language = "graphql";
      break;
    default:
      break;
    }

  gtk_stack_set_visible_child_name (self->kind_stack, page);
  gtk_source_buffer_set_language (self->buffer,
                                  language ? gtk_source_language_manager_get_language (languages, language) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->content_type_entry),
                          kind == SONDE_BODY_TEXT || kind == SONDE_BODY_JSON ||
                          kind == SONDE_BODY_XML || kind == SONDE_BODY_FILE);
  gtk_entry_set_placeholder_text (self->content_type_entry, default_type ? default_type : "text/plain");
  gtk_widget_set_visible (GTK_WIDGET (self->format_button), kind == SONDE_BODY_JSON);
  gtk_widget_set_visible (GTK_WIDGET (self->format_error_label), FALSE);
  gtk_widget_set_visible (self->graphql_box, kind == SONDE_BODY_GRAPHQL);
  gtk_widget_set_visible (self->fetch_schema_button, kind == SONDE_BODY_GRAPHQL);
  if (kind == SONDE_BODY_GRAPHQL && gtk_source_buffer_get_language (self->variables_buffer) == NULL)
    gtk_source_buffer_set_language (self->variables_buffer, gtk_source_language_manager_get_language (languages, "json"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->source_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  kind == SONDE_BODY_GRAPHQL ? _("GraphQL query") : _("Body text"), -1);
}

/* The variables editor and the body's "variables", kept equal both ways. */
static void
update_variables_from_body (SondeBodyEditor *self)
{
  SondeBody *body = get_body (self);
  const char *variables = body != NULL ? sonde_body_get_variables (body) : "";
  GtkTextIter start, end;
  g_autofree char *current = NULL;

  if (self->syncing_text)
    return;
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->variables_buffer), &start, &end);
  current = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->variables_buffer), &start, &end, TRUE);
  if (g_strcmp0 (current, variables) == 0)
    return;

  self->syncing_text = TRUE;
  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (self->variables_buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->variables_buffer), variables, -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (self->variables_buffer));
  self->syncing_text = FALSE;
}

static void
variables_changed_cb (SondeBodyEditor *self,
                      GtkTextBuffer   *buffer)
{
  SondeBody *body = get_body (self);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->syncing_text || body == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  self->syncing_text = TRUE;
  sonde_body_set_variables (body, text);
  self->syncing_text = FALSE;
}

static void
update_text_from_body (SondeBodyEditor *self)
{
  SondeBody *body = get_body (self);
  const char *text = body != NULL ? sonde_body_get_text (body) : NULL;
  GtkTextIter start, end;
  g_autofree char *current = NULL;

  if (self->syncing_text)
    return;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  current = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, TRUE);
  if (g_strcmp0 (current, text != NULL ? text : "") == 0)
    return;

  self->syncing_text = TRUE;
  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text != NULL ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  self->syncing_text = FALSE;
}

static void
buffer_changed_cb (SondeBodyEditor *self,
                   GtkTextBuffer   *buffer)
{
  SondeBody *body = get_body (self);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->format_error_label), FALSE);

  if (self->syncing_text || body == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);

  self->syncing_text = TRUE;
  sonde_body_set_text (body, text);
  self->syncing_text = FALSE;
}

static void
update_file_row (SondeBodyEditor *self)
{
  SondeBody *body = get_body (self);
  const char *path = body != NULL ? sonde_body_get_file (body) : NULL;

  adw_action_row_set_subtitle (self->file_row, path != NULL ? path : _("No file chosen"));
  if (path == NULL)
    gtk_label_set_text (self->file_info_label, "");
  else
    sonde_describe_file_async (self->request, path, self->file_info_label);
}

/* Multipart parts */

static GtkWidget *
create_part_row (gpointer item,
                 gpointer user_data)
{
  SondeBodyEditor *self = user_data;
  GtkWidget *row = sonde_body_part_row_new (item, self->request);

  sonde_body_part_row_set_variable_scope (SONDE_BODY_PART_ROW (row), self->scope);
  return row;
}

static void
add_text_part_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SondeBodyEditor *self = SONDE_BODY_EDITOR (widget);
  SondeBody *body = get_body (self);
  g_autoptr(SondeBodyPart) part = NULL;
  GtkListBoxRow *row;

  if (body == NULL)
    return;

  part = sonde_body_part_new_text ("", "");
  g_list_store_append (sonde_body_get_parts (body), part);

  /* Focus the new part's name. */
  row = gtk_list_box_get_row_at_index (self->parts_list,
                                       g_list_model_get_n_items (G_LIST_MODEL (sonde_body_get_parts (body))) - 1);
  if (row != NULL)
    gtk_widget_grab_focus (sonde_body_part_row_get_name_entry (SONDE_BODY_PART_ROW (row)));
}

static void
file_part_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  SondeBodyEditor *self = user_data;
  SondeBody *body = get_body (self);
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(SondeBodyPart) part = NULL;

  if (body == NULL)
    return;

  path = sonde_request_path_for_file (self->request, file);
  name = g_file_get_basename (file);
  /* A field name to start from: the file name without its extension. */
  if (strrchr (name, '.') != NULL && strrchr (name, '.') != name)
    *strrchr (name, '.') = '\0';
  part = sonde_body_part_new_file (name, path);
  g_list_store_append (sonde_body_get_parts (body), part);
}

static void
add_file_part_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  sonde_choose_file (widget, _("Choose a File to Upload"), file_part_chosen_cb, widget);
}

static void
body_file_chosen_cb (GFile    *file,
                     gpointer  user_data)
{
  SondeBodyEditor *self = user_data;
  SondeBody *body = get_body (self);
  g_autofree char *path = NULL;

  if (body == NULL)
    return;

  path = sonde_request_path_for_file (self->request, file);
  sonde_body_set_file (body, path);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sonde_choose_file (widget, _("Choose the Body File"), body_file_chosen_cb, widget);
}

static void
sonde_body_editor_dispose (GObject *object)
{
  SondeBodyEditor *self = SONDE_BODY_EDITOR (object);
  GtkWidget *child;

  g_clear_pointer (&self->kind_binding, g_binding_unbind);
  g_clear_pointer (&self->content_type_binding, g_binding_unbind);
  g_clear_pointer (&self->operation_name_binding, g_binding_unbind);
  if (self->body_signals != NULL)
    g_signal_group_set_target (self->body_signals, NULL);
  g_clear_object (&self->body_signals);
  g_clear_object (&self->request);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_BODY_EDITOR);
  /* The template's top-level box has no id, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->buffer);
  g_clear_object (&self->variables_buffer);
  g_clear_object (&self->schema_words);
  g_clear_object (&self->schema_buffer);
  g_clear_pointer (&self->schema_names, g_strfreev);
  g_clear_object (&self->scope);

  G_OBJECT_CLASS (sonde_body_editor_parent_class)->dispose (object);
}

static void
sonde_body_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SondeBodyEditor *self = SONDE_BODY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_body_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SondeBodyEditor *self = SONDE_BODY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REQUEST:
      sonde_body_editor_set_request (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_body_editor_class_init (SondeBodyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_body_editor_dispose;
  object_class->get_property = sonde_body_editor_get_property;
  object_class->set_property = sonde_body_editor_set_property;

  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, SONDE_TYPE_REQUEST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (SONDE_TYPE_KEY_VALUE_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-body-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, content_type_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, format_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, kind_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, source_view);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, graphql_box);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, fetch_schema_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, schema_label);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, operation_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, variables_view);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, format_error_label);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, form_editor);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, parts_list);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, file_row);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyEditor, file_info_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "body.add-text-part", NULL, add_text_part_action);
  gtk_widget_class_install_action (widget_class, "body.add-file-part", NULL, add_file_part_action);
  gtk_widget_class_install_action (widget_class, "body.choose-file", NULL, choose_file_action);
}

static void
sonde_body_editor_init (SondeBodyEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sonde_text_view_follow_preferences (GTK_TEXT_VIEW (self->source_view));

  self->buffer = gtk_source_buffer_new (NULL);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), GTK_TEXT_BUFFER (self->buffer));
  g_signal_connect_object (self->buffer, "changed", G_CALLBACK (buffer_changed_cb),
                           self, G_CONNECT_SWAPPED);

  sonde_source_buffer_follow_style (self->buffer);

  sonde_text_view_follow_preferences (GTK_TEXT_VIEW (self->variables_view));
  /* Its language is set with the GraphQL kind: looking one up loads them all. */
  self->variables_buffer = gtk_source_buffer_new (NULL);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->variables_view), GTK_TEXT_BUFFER (self->variables_buffer));
  g_signal_connect_object (self->variables_buffer, "changed", G_CALLBACK (variables_changed_cb),
                           self, G_CONNECT_SWAPPED);
  sonde_source_buffer_follow_style (self->variables_buffer);

  self->body_signals = g_signal_group_new (SONDE_TYPE_BODY);
  g_signal_group_connect_object (self->body_signals, "notify::kind",
                                 G_CALLBACK (update_kind), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->body_signals, "notify::text",
                                 G_CALLBACK (update_text_from_body), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->body_signals, "notify::file",
                                 G_CALLBACK (update_file_row), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->body_signals, "notify::variables",
                                 G_CALLBACK (update_variables_from_body), self, G_CONNECT_SWAPPED);

  update_kind (self);
}

SondeRequest *
sonde_body_editor_get_request (SondeBodyEditor *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_EDITOR (self), NULL);

  return self->request;
}

void
sonde_body_editor_set_request (SondeBodyEditor *self,
                               SondeRequest    *request)
{
  SondeBody *body;

  g_return_if_fail (SONDE_IS_BODY_EDITOR (self));
  g_return_if_fail (request == NULL || SONDE_IS_REQUEST (request));

  if (self->request == request)
    return;

  g_clear_pointer (&self->kind_binding, g_binding_unbind);
  g_clear_pointer (&self->content_type_binding, g_binding_unbind);
  g_clear_pointer (&self->operation_name_binding, g_binding_unbind);
  g_set_object (&self->request, request);

  body = get_body (self);
  g_signal_group_set_target (self->body_signals, body);
  if (body != NULL)
    {
      self->kind_binding = sonde_bind_enum_property (body, "kind", self->kind_dropdown, "selected");
      self->content_type_binding = sonde_bind_string_property (body, "content-type",
                                                               GTK_EDITABLE (self->content_type_entry));
      self->operation_name_binding = sonde_bind_string_property (body, "operation-name",
                                                                 GTK_EDITABLE (self->operation_name_entry));
      sonde_key_value_editor_set_model (self->form_editor, sonde_body_get_fields (body));
      gtk_list_box_bind_model (self->parts_list, G_LIST_MODEL (sonde_body_get_parts (body)),
                               create_part_row, self, NULL);
    }
  else
    {
      sonde_key_value_editor_set_model (self->form_editor, NULL);
      gtk_list_box_bind_model (self->parts_list, NULL, NULL, NULL, NULL);
    }

  update_kind (self);
  update_text_from_body (self);
  update_variables_from_body (self);
  update_file_row (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);
}

gboolean
sonde_body_editor_format (SondeBodyEditor  *self,
                          GError          **error)
{
  SondeBody *body;
  g_autofree char *formatted = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *text;

  g_return_val_if_fail (SONDE_IS_BODY_EDITOR (self), FALSE);

  body = get_body (self);
  if (body == NULL || sonde_body_get_kind (body) != SONDE_BODY_JSON)
    return TRUE;

  text = sonde_body_get_text (body);
  if (text == NULL || *text == '\0')
    return TRUE;

  formatted = sonde_json_format_string (text, -1, 2, &local_error);
  if (formatted == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot format the body: %s"), local_error->message);

      gtk_label_set_text (self->format_error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->format_error_label), TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Keep the user's trailing newline habit out of it: the formatter's output is the body. */
  g_strchomp (formatted);
  if (g_strcmp0 (formatted, text) != 0)
    {
      GtkTextIter start, end;

      /* Through the buffer, so that the change can be undone. */
      gtk_text_buffer_begin_user_action (GTK_TEXT_BUFFER (self->buffer));
      gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
      gtk_text_buffer_delete (GTK_TEXT_BUFFER (self->buffer), &start, &end);
      gtk_text_buffer_insert (GTK_TEXT_BUFFER (self->buffer), &start, formatted, -1);
      gtk_text_buffer_end_user_action (GTK_TEXT_BUFFER (self->buffer));
    }

  return TRUE;
}

void
sonde_body_editor_set_schema (SondeBodyEditor    *self,
                              gboolean            loading,
                              const char * const *names,
                              const GError       *error)
{
  g_autofree char *text = NULL;
  g_autofree char *lines = NULL;

  g_return_if_fail (SONDE_IS_BODY_EDITOR (self));

  gtk_widget_set_sensitive (self->fetch_schema_button, !loading);
  gtk_widget_remove_css_class (GTK_WIDGET (self->schema_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->schema_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->schema_label), TRUE);

  if (loading)
    {
      gtk_label_set_text (self->schema_label, _("Fetching the schema…"));
      return;
    }
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not fetch the schema: %s"), error->message);

      gtk_widget_remove_css_class (GTK_WIDGET (self->schema_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->schema_label), "error");
      gtk_label_set_text (self->schema_label, message);
      return;
    }

  g_clear_pointer (&self->schema_names, g_strfreev);
  self->schema_names = g_strdupv ((char **) names);
  /* The words provider completes from what a buffer holds: the names, one per line. */
  if (self->schema_words == NULL)
    {
      GtkSourceCompletion *completion = gtk_source_view_get_completion (self->source_view);

      self->schema_buffer = gtk_text_buffer_new (NULL);
      self->schema_words = gtk_source_completion_words_new (_("Schema"));
      gtk_source_completion_words_register (self->schema_words, self->schema_buffer);
      gtk_source_completion_add_provider (completion, GTK_SOURCE_COMPLETION_PROVIDER (self->schema_words));
    }
  lines = self->schema_names != NULL ? g_strjoinv ("\n", self->schema_names) : g_strdup ("");
  gtk_text_buffer_set_text (self->schema_buffer, lines, -1);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The schema gave %u name to complete in the query (Ctrl+Space)",
                                       "The schema gave %u names to complete in the query (Ctrl+Space)",
                                       names != NULL ? g_strv_length ((char **) names) : 0),
                          names != NULL ? g_strv_length ((char **) names) : 0);
  gtk_label_set_text (self->schema_label, text);
}

const char * const *
sonde_body_editor_get_schema_names (SondeBodyEditor *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_EDITOR (self), NULL);

  return (const char * const *) self->schema_names;
}

void
sonde_body_editor_set_variable_scope (SondeBodyEditor    *self,
                                      SondeVariableScope *scope)
{
  g_return_if_fail (SONDE_IS_BODY_EDITOR (self));
  g_return_if_fail (scope == NULL || SONDE_IS_VARIABLE_SCOPE (scope));

  if (!g_set_object (&self->scope, scope))
    return;

  sonde_variable_highlight_text_view (GTK_TEXT_VIEW (self->source_view), scope);
  sonde_variable_highlight_text_view (GTK_TEXT_VIEW (self->variables_view), scope);
  sonde_variable_highlight_editable (GTK_EDITABLE (self->operation_name_entry), scope);
  sonde_variable_highlight_editable (GTK_EDITABLE (self->content_type_entry), scope);
  sonde_key_value_editor_set_variable_scope (self->form_editor, scope);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->parts_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (SONDE_IS_BODY_PART_ROW (row))
      sonde_body_part_row_set_variable_scope (SONDE_BODY_PART_ROW (row), scope);
}
