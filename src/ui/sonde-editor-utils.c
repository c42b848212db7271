/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-editor-utils"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-editor-utils.h"
#include "sonde-multipart-stream.h"

static gboolean
string_to_text (GBinding     *binding,
                const GValue *from_value,
                GValue       *to_value,
                gpointer      user_data)
{
  const char *text = g_value_get_string (from_value);

  g_value_set_string (to_value, text != NULL ? text : "");
  return TRUE;
}

static gboolean
text_to_string (GBinding     *binding,
                const GValue *from_value,
                GValue       *to_value,
                gpointer      user_data)
{
  const char *text = g_value_get_string (from_value);

  g_value_set_string (to_value, text != NULL && *text != '\0' ? text : NULL);
  return TRUE;
}

GBinding *
sonde_bind_string_property (gpointer     source,
                            const char  *property,
                            GtkEditable *editable)
{
  return g_object_bind_property_full (source, property, editable, "text",
                                      G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                      string_to_text, text_to_string, NULL, NULL);
}

static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  g_value_set_uint (to_value, (guint) g_value_get_enum (from_value));
  return TRUE;
}

static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from_value,
                  GValue       *to_value,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from_value);

  if (selected == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_enum (to_value, (int) selected);
  return TRUE;
}

GBinding *
sonde_bind_enum_property (gpointer    source,
                          const char *property,
                          gpointer    target,
                          const char *target_property)
{
  return g_object_bind_property_full (source, property, target, target_property,
                                      G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                      enum_to_selected, selected_to_enum, NULL, NULL);
}

void
sonde_widget_set_problem (GtkWidget  *widget,
                          const char *problem)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (problem != NULL)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  gtk_widget_set_tooltip_text (widget, problem);
}

char *
sonde_replace_literal (const char *text,
                       const char *value,
                       const char *name)
{
  const char *found;

  g_return_val_if_fail (name != NULL, NULL);

  if (text == NULL || value == NULL || *value == '\0' ||
      (found = strstr (text, value)) == NULL)
    return NULL;

  return g_strdup_printf ("%.*s{{%s}}%s", (int) (found - text), text, name, found + strlen (value));
}

char *
sonde_request_path_for_file (SondeRequest *request,
                             GFile        *file)
{
  GFile *base_dir = request != NULL ? sonde_request_get_base_dir (request) : NULL;
  char *relative = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (base_dir != NULL)
    relative = g_file_get_relative_path (base_dir, file);
  if (relative != NULL)
    return relative;

  return g_file_get_path (file);
}

typedef struct
{
  SondeFileChosenFunc callback;
  gpointer user_data;
} ChooseData;

static void
file_chooser_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          gpointer         user_data)
{
  ChooseData *data = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        data->callback (file, data->user_data);
    }

  g_clear_object (&data->user_data);
  g_free (data);
  g_object_unref (dialog);
}

void
sonde_run_file_chooser (GtkFileChooserNative *chooser,
                        SondeFileChosenFunc   callback,
                        gpointer              user_data)
{
  ChooseData *data = g_new0 (ChooseData, 1);

  data->callback = callback;
  data->user_data = user_data != NULL ? g_object_ref (user_data) : NULL;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chooser_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
sonde_choose_file (GtkWidget           *parent,
                   const char          *title,
                   SondeFileChosenFunc  callback,
                   gpointer             user_data)
{
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  sonde_run_file_chooser (gtk_file_chooser_native_new (title,
                                                       GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       GTK_FILE_CHOOSER_ACTION_OPEN,
                                                       _("_Select"), _("_Cancel")),
                          callback, user_data);
}

static void
describe_file_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *size = NULL;
  g_autofree char *content_type = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                               _("This is a folder, not a file"));
      return;
    }

  size = g_format_size (g_file_info_get_size (info));
  content_type = sonde_guess_content_type (file);
  /* Translators: a file's size and content type, e.g. "12.3 kB · image/png" */
  g_task_return_pointer (task, g_strdup_printf (_("%s · %s"), size, content_type), g_free);
}

static void
describe_file_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkLabel) label = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_task_propagate_pointer (G_TASK (result), &error);
  gpointer serial = g_object_get_data (G_OBJECT (result), "sonde-describe-serial");

  /* Another file was chosen meanwhile: its description wins. */
  if (serial != g_object_get_data (G_OBJECT (label), "sonde-describe-serial"))
    return;

  if (description != NULL)
    {
      gtk_label_set_text (label, description);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
    }
  else
    {
      gtk_label_set_text (label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
    }
}

void
sonde_describe_file_async (SondeRequest *request,
                           const char   *path,
                           GtkLabel     *label)
{
  static guint last_serial;
  g_autoptr(GTask) task = NULL;
  gpointer serial = GUINT_TO_POINTER (++last_serial);
  GFile *file;

  g_return_if_fail (GTK_IS_LABEL (label));

  g_object_set_data (G_OBJECT (label), "sonde-describe-serial", serial);

  if (path == NULL || *path == '\0')
    {
      gtk_label_set_text (label, _("No file chosen"));
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      return;
    }

  if (strstr (path, "{{") != NULL)
    {
      gtk_label_set_text (label, _("The path uses variables: it is checked when sending"));
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      return;
    }

  file = request != NULL ? sonde_request_resolve_path (request, path) : g_file_new_for_path (path);
  task = g_task_new (NULL, NULL, describe_file_cb, g_object_ref (label));
  g_task_set_source_tag (task, sonde_describe_file_async);
  g_task_set_task_data (task, file, g_object_unref);
  g_object_set_data (G_OBJECT (task), "sonde-describe-serial", serial);
  g_task_run_in_thread (task, describe_file_thread);
}

static void
update_source_style (GtkSourceBuffer *buffer)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (buffer, gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

void
sonde_source_buffer_follow_style (GtkSourceBuffer *buffer)
{
  g_return_if_fail (GTK_SOURCE_IS_BUFFER (buffer));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_source_style), buffer, G_CONNECT_SWAPPED);
  update_source_style (buffer);
}

static gboolean
wrap_to_mode (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  g_value_set_enum (value, g_variant_get_boolean (variant) ? GTK_WRAP_WORD_CHAR : GTK_WRAP_NONE);
  return TRUE;
}

void
sonde_text_view_follow_preferences (GtkTextView *view)
{
  GSettings *settings;

  g_return_if_fail (GTK_IS_TEXT_VIEW (view));

  /* The font comes from the application's style sheet (sonde_body_font_css ()). */
  gtk_widget_add_css_class (GTK_WIDGET (view), "sonde-body-text");
  settings = g_settings_new (APP_ID);
  g_settings_bind_with_mapping (settings, "wrap-lines", view, "wrap-mode", G_SETTINGS_BIND_GET,
                                wrap_to_mode, NULL, NULL, NULL);
  g_object_set_data_full (G_OBJECT (view), "sonde-settings", settings, g_object_unref);
}

char *
sonde_body_font_css (const char *font)
{
  g_autoptr(PangoFontDescription) description = NULL;
  GString *css = g_string_new (NULL);
  PangoFontMask set;

  if (font == NULL || *font == '\0')
    return g_string_free (css, FALSE);

  description = pango_font_description_from_string (font);
  set = pango_font_description_get_set_fields (description);
  g_string_append (css, "textview.sonde-body-text {");
  if (set & PANGO_FONT_MASK_FAMILY)
    {
      g_autofree char *family = g_strescape (pango_font_description_get_family (description), NULL);

      g_string_append_printf (css, " font-family: \"%s\", monospace;", family);
    }
  if (set & PANGO_FONT_MASK_SIZE)
    g_string_append_printf (css, " font-size: %d%s;", pango_font_description_get_size (description) / PANGO_SCALE,
                            pango_font_description_get_size_is_absolute (description) ? "px" : "pt");
  if (set & PANGO_FONT_MASK_WEIGHT)
    g_string_append_printf (css, " font-weight: %d;", (int) pango_font_description_get_weight (description));
  if ((set & PANGO_FONT_MASK_STYLE) && pango_font_description_get_style (description) != PANGO_STYLE_NORMAL)
    g_string_append (css, " font-style: italic;");
  g_string_append (css, " }\n");
  return g_string_free (css, FALSE);
}

void
sonde_source_init_languages (void)
{
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  const char * const *paths = gtk_source_language_manager_get_search_path (manager);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) search_path = NULL;

  if (paths != NULL && g_strv_contains (paths, "resource:///io/github/sonde/Sonde/language-specs/"))
    return;
  if (paths != NULL)
    g_strv_builder_addv (builder, (const char **) paths);
  /* resource:/// paths since GtkSourceView 5.4 */
  g_strv_builder_add (builder, "resource:///io/github/sonde/Sonde/language-specs/");
  search_path = g_strv_builder_end (builder);
  gtk_source_language_manager_set_search_path (manager, (const char * const *) search_path);
}

static void
create_menu_popup (GtkMenuButton *button,
                   gpointer       user_data)
{
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (user_data));
}

void
sonde_menu_button_set_menu_later (GtkMenuButton *button,
                                  GMenuModel    *menu)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (G_IS_MENU_MODEL (menu));

  gtk_menu_button_set_create_popup_func (button, create_menu_popup, g_object_ref (menu), g_object_unref);
}

GtkWidget *
sonde_list_page_new (GtkWidget  *parent,
                     GtkWidget **scrolled)
{
  GtkWidget *window = gtk_scrolled_window_new ();
  GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_set_parent (window, parent);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (window), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (window, TRUE);
  gtk_widget_set_margin_start (inner, 12);
  gtk_widget_set_margin_end (inner, 12);
  gtk_widget_set_margin_top (inner, 12);
  gtk_widget_set_margin_bottom (inner, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (window), inner);
  *scrolled = window;
  return inner;
}

void
sonde_kept_rows_init (SondeKeptRows        *self,
                      SondeKeptRowsRebuild  rebuild,
                      gpointer              owner)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->rebuild = rebuild;
  self->owner = owner;
}

void
sonde_kept_rows_clear (SondeKeptRows *self)
{
  if (self->request != NULL)
    g_signal_handlers_disconnect_by_data (self->request, self);
  g_clear_object (&self->request);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
}

static void
kept_rows_request_changed_cb (SondeKeptRows *self)
{
  JsonObject *extra = sonde_request_get_extra (self->request);

  if (!self->updating && extra != self->shown)
    self->rebuild (self->owner);
  self->shown = extra;
}

void
sonde_kept_rows_set_request (SondeKeptRows *self,
                             SondeRequest  *request)
{
  if (self->request == request)
    return;
  if (self->request != NULL)
    g_signal_handlers_disconnect_by_data (self->request, self);
  g_set_object (&self->request, request);
  if (request != NULL)
    g_signal_connect_swapped (request, "changed", G_CALLBACK (kept_rows_request_changed_cb), self);
  self->shown = request != NULL ? sonde_request_get_extra (request) : NULL;
  self->rebuild (self->owner);
}

void
sonde_kept_rows_read (SondeKeptRows *self,
                      const char    *key)
{
  JsonObject *extra = self->request != NULL ? sonde_request_get_extra (self->request) : NULL;
  JsonNode *member = extra != NULL ? json_object_get_member (extra, key) : NULL;

  g_ptr_array_set_size (self->rows, 0);
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (member)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (member), i);

      /* Copies: the file's own stay as they were until an edit */
      if (JSON_NODE_HOLDS_OBJECT (element))
        {
          g_autoptr(JsonNode) copy = json_node_copy (element);

          g_ptr_array_add (self->rows, json_object_ref (json_node_get_object (copy)));
        }
    }
}

void
sonde_kept_rows_store (SondeKeptRows *self,
                       JsonObject    *extra)
{
  self->updating = TRUE;
  sonde_request_set_extra (self->request, extra != NULL && json_object_get_size (extra) > 0 ? extra : NULL);
  self->shown = sonde_request_get_extra (self->request);
  self->updating = FALSE;
}
