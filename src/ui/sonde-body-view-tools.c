/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-body-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-body-view-private.h"
#include "sonde-json-file.h"
#include "sonde-step-source.h"

/* JSONPath filter */

typedef struct
{
  SondeBodyStore *body;
  JsonNode       *root;
  JsonPath       *path;
  char           *text;
  guint           matches;
} FilterData;

static void
filter_data_free (FilterData *data)
{
  g_clear_object (&data->body);
  g_clear_pointer (&data->root, json_node_unref);
  g_clear_object (&data->path);
  g_free (data->text);
  g_free (data);
}

static void
filter_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FilterData *data = task_data;
  g_autoptr(JsonNode) matches = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GError) error = NULL;

  if (data->root == NULL)
    {
      g_autoptr(GBytes) bytes = sonde_body_store_read (data->body, 0, sonde_body_store_get_size (data->body), &error);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      gsize length;
      const char *json;

      if (bytes == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      json = g_bytes_get_data (bytes, &length);
      /* A server's body: bounded nesting and one document, as for files. */
      if (!sonde_json_parse_document (parser, json, length, &error))
        {
          g_prefix_error (&error, _("The body is not valid JSON: "));
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      data->root = json_parser_steal_root (parser);
    }

  matches = json_path_match (data->path, data->root);
  data->matches = json_array_get_length (json_node_get_array (matches));
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, matches);
  data->text = json_generator_to_data (generator, NULL);
  g_task_return_boolean (task, TRUE);
}

void
_sonde_body_view_show_filter_message (SondeBodyView *self,
                     const char    *message,
                     gboolean       is_error)
{
  gtk_label_set_text (self->filter_message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->filter_message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_message_label), "error");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_entry), "error");
}

static void
filter_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SondeBodyView) self = user_data;
  FilterData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sonde_body_view_show_filter_message (self, error->message, TRUE);
      return;
    }

  if (self->json_root == NULL)
    self->json_root = json_node_ref (data->root);
  g_free (self->filter_result);
  self->filter_result = g_steal_pointer (&data->text);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", data->matches), data->matches);
  _sonde_body_view_show_filter_message (self, message, FALSE);
  _sonde_body_view_reload (self);
}

void
_sonde_body_view_apply_filter (SondeBodyView *self)
{
  g_autoptr(JsonPath) path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *expression = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry))));
  FilterData *data;

  g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);

  if (expression[0] == '\0' || self->kind != BODY_KIND_JSON)
    {
      _sonde_body_view_show_filter_message (self, NULL, FALSE);
      if (self->filter_result != NULL)
        {
          g_clear_pointer (&self->filter_result, g_free);
          _sonde_body_view_reload (self);
        }
      return;
    }

  if (sonde_body_store_get_size (self->body) > SONDE_BODY_VIEW_FILTER_LIMIT)
    {
      g_autofree char *limit = g_format_size (SONDE_BODY_VIEW_FILTER_LIMIT);
      g_autofree char *size = g_format_size (sonde_body_store_get_size (self->body));
      g_autofree char *message = g_strdup_printf (_("JSONPath filters work on bodies up to %s; this one is %s. Save it to a file and use a tool such as jq."),
                                                  limit, size);

      _sonde_body_view_show_filter_message (self, message, TRUE);
      return;
    }

  path = json_path_new ();
  if (!json_path_compile (path, expression, &error))
    {
      _sonde_body_view_show_filter_message (self, error->message, TRUE);
      return;
    }

  data = g_new0 (FilterData, 1);
  data->body = g_object_ref (self->body);
  data->root = self->json_root != NULL ? json_node_ref (self->json_root) : NULL;
  data->path = g_steal_pointer (&path);

  self->filter_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->filter_cancellable, filter_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, _sonde_body_view_apply_filter);
  g_task_set_task_data (task, data, (GDestroyNotify) filter_data_free);
  g_task_run_in_thread (task, filter_thread);
}

static gboolean
filter_timeout_cb (gpointer user_data)
{
  SondeBodyView *self = user_data;

  self->filter_timeout_id = 0;
  _sonde_body_view_apply_filter (self);
  return G_SOURCE_REMOVE;
}

static void
filter_entry_changed_cb (SondeBodyView *self)
{
  gboolean empty = gtk_entry_get_text_length (self->filter_entry) == 0;

  gtk_entry_set_icon_from_icon_name (self->filter_entry, GTK_ENTRY_ICON_SECONDARY,
                                     empty ? NULL : "edit-clear-symbolic");
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  self->filter_timeout_id = g_timeout_add (FILTER_DELAY_MS, filter_timeout_cb, self);
}

static void
filter_entry_icon_release_cb (SondeBodyView        *self,
                              GtkEntryIconPosition  position)
{
  if (position == GTK_ENTRY_ICON_SECONDARY)
    gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
}

/* Search */

static void search_from (SondeBodyView *self,
                         gboolean       backward,
                         gboolean       here);

static void
search_changed_cb (SondeBodyView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  gtk_source_search_settings_set_search_text (self->search_settings, text[0] != '\0' ? text : NULL);
  _sonde_body_view_update_search_count (self);
  /* As you type: to the first match from where the last one began */
  if (text[0] != '\0')
    search_from (self, FALSE, TRUE);
}

static void
select_match (SondeBodyView          *self,
              GtkSourceSearchContext *context,
              GtkTextIter            *start,
              GtkTextIter            *end)
{
  if (context != self->search_context)
    return;

  gtk_text_buffer_select_range (GTK_TEXT_BUFFER (gtk_source_search_context_get_buffer (context)), start, end);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->source_view), start, 0.1, FALSE, 0, 0);
}

static void
search_forward_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SondeBodyView) self = user_data;
  GtkSourceSearchContext *context = GTK_SOURCE_SEARCH_CONTEXT (object);
  GtkTextIter start, end;

  if (gtk_source_search_context_forward_finish (context, result, &start, &end, NULL, NULL))
    select_match (self, context, &start, &end);
}

static void
search_backward_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SondeBodyView) self = user_data;
  GtkSourceSearchContext *context = GTK_SOURCE_SEARCH_CONTEXT (object);
  GtkTextIter start, end;

  if (gtk_source_search_context_backward_finish (context, result, &start, &end, NULL, NULL))
    select_match (self, context, &start, &end);
}

/* On big buffers GtkSourceSearchContext waits for its idle scan, which the text view's own
 * validation of a million new lines starves for seconds: search in bounded steps instead,
 * above that validation. */
#define STEP_SEARCH_MIN_LINES 50000
#define STEP_SEARCH_LINES     20000

typedef struct
{
  SondeBodyView      *self;
  GtkTextBuffer      *buffer;
  GCancellable       *cancellable;
  GtkTextMark        *position;
  char               *text;
  GtkTextSearchFlags  flags;
  gboolean            backward;
  gboolean            wrapped;
  int                 origin;
} StepSearch;

static void
step_search_free (gpointer user_data)
{
  StepSearch *search = user_data;

  gtk_text_buffer_delete_mark (search->buffer, search->position);
  g_object_unref (search->self);
  g_object_unref (search->buffer);
  g_object_unref (search->cancellable);
  g_free (search->text);
  g_free (search);
}

static gboolean
step_search_cb (gpointer user_data)
{
  StepSearch *search = user_data;
  GtkTextIter iter, limit, origin, match_start, match_end;
  int overlap = MAX (0, (int) g_utf8_strlen (search->text, -1) - 1);
  gboolean at_origin = FALSE;
  gboolean found;

  if (g_cancellable_is_cancelled (search->cancellable))
    return G_SOURCE_REMOVE;

  gtk_text_buffer_get_iter_at_mark (search->buffer, &iter, search->position);
  gtk_text_buffer_get_iter_at_offset (search->buffer, &origin, search->origin);
  limit = iter;
  if (search->backward)
    gtk_text_iter_backward_lines (&limit, STEP_SEARCH_LINES);
  else
    gtk_text_iter_forward_lines (&limit, STEP_SEARCH_LINES);

  /* After wrapping, stop where the search began. */
  if (search->wrapped &&
      (search->backward ? gtk_text_iter_compare (&limit, &origin) <= 0 : gtk_text_iter_compare (&limit, &origin) >= 0))
    {
      limit = origin;
      if (search->backward)
        gtk_text_iter_backward_chars (&limit, overlap);
      else
        gtk_text_iter_forward_chars (&limit, overlap);
      at_origin = TRUE;
    }

  if (search->backward)
    found = gtk_text_iter_backward_search (&iter, search->text, search->flags, &match_start, &match_end, &limit);
  else
    found = gtk_text_iter_forward_search (&iter, search->text, search->flags, &match_start, &match_end, &limit);

  if (found)
    {
      gtk_text_buffer_select_range (search->buffer, &match_start, &match_end);
      gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (search->self->source_view), &match_start, 0.1, FALSE, 0, 0);
      return G_SOURCE_REMOVE;
    }
  if (at_origin)
    return G_SOURCE_REMOVE;

  if (search->backward ? gtk_text_iter_is_start (&limit) : gtk_text_iter_is_end (&limit))
    {
      if (search->wrapped)
        return G_SOURCE_REMOVE;
      search->wrapped = TRUE;
      if (search->backward)
        gtk_text_buffer_get_end_iter (search->buffer, &iter);
      else
        gtk_text_buffer_get_start_iter (search->buffer, &iter);
    }
  else
    {
      /* The next step overlaps this one by a match's length less one. */
      iter = limit;
      if (search->backward)
        gtk_text_iter_forward_chars (&iter, overlap);
      else
        gtk_text_iter_backward_chars (&iter, overlap);
    }
  gtk_text_buffer_move_mark (search->buffer, search->position, &iter);
  return G_SOURCE_CONTINUE;
}

static void
step_search (SondeBodyView *self,
             GtkTextBuffer *buffer,
             GtkTextIter   *from,
             gboolean       backward)
{
  StepSearch *search = g_new0 (StepSearch, 1);

  search->self = g_object_ref (self);
  search->buffer = g_object_ref (buffer);
  search->cancellable = g_object_ref (self->search_cancellable);
  search->position = gtk_text_buffer_create_mark (buffer, NULL, from, FALSE);
  search->text = g_strdup (gtk_source_search_settings_get_search_text (self->search_settings));
  search->flags = GTK_TEXT_SEARCH_TEXT_ONLY;
  if (!gtk_source_search_settings_get_case_sensitive (self->search_settings))
    search->flags |= GTK_TEXT_SEARCH_CASE_INSENSITIVE;
  search->backward = backward;
  search->origin = gtk_text_iter_get_offset (from);

  sonde_step_source_add (G_PRIORITY_HIGH_IDLE + 24, step_search_cb, search, step_search_free);
}

static void
search (SondeBodyView *self,
        gboolean       backward)
{
  search_from (self, backward, FALSE);
}

/* HERE: from the start of the current match (typing refines it), else past it */
static void
search_from (SondeBodyView *self,
             gboolean       backward,
             gboolean       here)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
  GtkTextIter start, end;

  if (self->search_context == NULL || gtk_source_search_settings_get_search_text (self->search_settings) == NULL)
    return;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();

  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  if (gtk_text_buffer_get_line_count (buffer) >= STEP_SEARCH_MIN_LINES)
    step_search (self, buffer, backward || here ? &start : &end, backward);
  else if (backward)
    gtk_source_search_context_backward_async (self->search_context, &start, self->search_cancellable,
                                              search_backward_cb, g_object_ref (self));
  else
    gtk_source_search_context_forward_async (self->search_context, here ? &start : &end, self->search_cancellable,
                                             search_forward_cb, g_object_ref (self));
}

static void
search_next_cb (SondeBodyView *self)
{
  search (self, FALSE);
}

static void
search_previous_cb (SondeBodyView *self)
{
  search (self, TRUE);
}

static void
search_stop_cb (SondeBodyView *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
search_mode_changed_cb (SondeBodyView *self)
{
  gboolean enabled = gtk_search_bar_get_search_mode (self->search_bar);

  gtk_source_search_context_set_highlight (self->search_context, enabled);
  if (enabled)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

void
sonde_body_view_set_filter (SondeBodyView *self,
                            const char    *jsonpath)
{
  g_return_if_fail (SONDE_IS_BODY_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), jsonpath != NULL ? jsonpath : "");
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  _sonde_body_view_apply_filter (self);
}

const char *
sonde_body_view_get_filter_message (SondeBodyView *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), NULL);

  return gtk_label_get_text (self->filter_message_label);
}

void
sonde_body_view_start_search (SondeBodyView *self)
{
  g_return_if_fail (SONDE_IS_BODY_VIEW (self));

  if (!_sonde_body_kind_is_text (self->kind))
    return;
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
sonde_body_view_set_search_text (SondeBodyView *self,
                                 const char    *text)
{
  g_return_if_fail (SONDE_IS_BODY_VIEW (self));

  sonde_body_view_start_search (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  search_changed_cb (self);
}

void
sonde_body_view_search_next (SondeBodyView *self)
{
  g_return_if_fail (SONDE_IS_BODY_VIEW (self));

  search (self, FALSE);
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SondeBodyStore *body = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  const char *data;
  gsize length;

  bytes = sonde_body_store_read (body, 0, sonde_body_store_get_size (body), &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_bytes_get_data (bytes, &length);
  g_task_return_pointer (task, g_utf8_make_valid (data, length), g_free);
}

static void
copy_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SondeBodyView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  if (text == NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("The body could not be copied: %s"), error->message);

      _sonde_body_view_add_note (self, sentence);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

gboolean
sonde_body_view_can_copy (SondeBodyView *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), FALSE);

  if (self->filter_result != NULL)
    return TRUE;
  if (self->kind == BODY_KIND_IMAGE)
    return self->texture != NULL;
  return _sonde_body_kind_is_text (self->kind) && sonde_body_store_get_size (self->body) <= COPY_LIMIT;
}

gboolean
sonde_body_view_copy (SondeBodyView *self)
{
  GdkClipboard *clipboard;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), FALSE);

  if (!sonde_body_view_can_copy (self))
    return FALSE;

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  if (self->filter_result != NULL)
    {
      gdk_clipboard_set_text (clipboard, self->filter_result);
      return TRUE;
    }
  if (self->kind == BODY_KIND_IMAGE)
    {
      gdk_clipboard_set_texture (clipboard, self->texture);
      return TRUE;
    }

  /* Reading a spilled body and checking its UTF-8 takes a while: off the main thread. */
  task = g_task_new (NULL, NULL, copy_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, sonde_body_view_copy);
  g_task_set_task_data (task, g_object_ref (self->body), g_object_unref);
  if (sonde_body_store_get_size (self->body) <= SNIFF_SIZE)
    copy_thread (task, NULL, self->body, NULL);
  else
    g_task_run_in_thread (task, copy_thread);
  return TRUE;
}

static void
search_next_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  search (SONDE_BODY_VIEW (widget), FALSE);
}

static void
search_previous_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  search (SONDE_BODY_VIEW (widget), TRUE);
}

void
_sonde_body_view_class_init_tools (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "body.search-next", NULL, search_next_action);
  gtk_widget_class_install_action (widget_class, "body.search-previous", NULL, search_previous_action);
  gtk_widget_class_bind_template_callback (widget_class, filter_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_entry_icon_release_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_changed_cb);
}
