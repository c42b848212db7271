/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-body-view"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <json-glib/json-glib.h>

#include "sonde-editor-utils.h"
#include "sonde-body-view-private.h"
#include "sonde-step-source.h"
#include "sonde-text-loader.h"

#define HEX_SIZE         4096
#define PREVIEW_LIMIT    (64 * 1024 * 1024)
#define RETIRE_LINES     50000

G_DEFINE_FINAL_TYPE (SondeBodyView, sonde_body_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


gboolean
_sonde_body_kind_is_text (BodyKind kind)
{
  return kind == BODY_KIND_JSON || kind == BODY_KIND_XML || kind == BODY_KIND_HTML ||
         kind == BODY_KIND_TEXT;
}

static gboolean
looks_binary (const char *data,
              gsize       length)
{
  const char *end;

  if (memchr (data, '\0', length) != NULL)
    return TRUE;
  if (g_utf8_validate_len (data, length, &end))
    return FALSE;
  /* A multi-byte character cut by the end of the sample is fine. */
  return length - (end - data) >= 4 || g_utf8_get_char_validated (end, length - (end - data)) != (gunichar) -2;
}

static BodyKind
sniff_text_kind (const char *data,
                 gsize       length)
{
  gsize i = 0;

  /* Skip a BOM and white space. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  if (i == length)
    return BODY_KIND_TEXT;
  if (data[i] == '{' || data[i] == '[')
    return BODY_KIND_JSON;
  if (data[i] == '<')
    {
      g_autofree char *head = g_ascii_strdown (data + i, MIN (length - i, 256));

      if (g_str_has_prefix (head, "<!doctype html") || g_str_has_prefix (head, "<html"))
        return BODY_KIND_HTML;
      return BODY_KIND_XML;
    }
  return BODY_KIND_TEXT;
}

static BodyKind
detect_kind (const char *content_type,
             const char *data,
             gsize       length)
{
  g_autofree char *type = content_type != NULL ? g_ascii_strdown (content_type, -1) : NULL;
  BodyKind sniffed;

  if (type != NULL && g_str_has_prefix (type, "image/") && !g_str_equal (type, "image/svg+xml"))
    return BODY_KIND_IMAGE;

  if (looks_binary (data, length))
    {
      g_autofree char *guessed = g_content_type_guess (NULL, (const guchar *) data, length, NULL);
      g_autofree char *mime = g_content_type_get_mime_type (guessed);

      if (mime != NULL && g_str_has_prefix (mime, "image/"))
        return BODY_KIND_IMAGE;
      return BODY_KIND_BINARY;
    }

  sniffed = sniff_text_kind (data, length);
  if (type == NULL)
    return sniffed;
  if (g_str_equal (type, "application/json") || g_str_equal (type, "text/json") ||
      g_str_has_suffix (type, "+json"))
    return BODY_KIND_JSON;
  if (g_str_equal (type, "text/html"))
    return BODY_KIND_HTML;
  if (g_str_has_suffix (type, "/xml") || g_str_has_suffix (type, "+xml"))
    return BODY_KIND_XML;
  if (g_str_equal (type, "text/plain") || g_str_equal (type, "application/octet-stream"))
    return sniffed;
  return BODY_KIND_TEXT;
}

static const char *
kind_get_language (BodyKind kind)
{
  switch (kind)
    {
    case BODY_KIND_JSON:
      return "json";
    case BODY_KIND_XML:
      return "xml";
    case BODY_KIND_HTML:
      return "html";
    case BODY_KIND_NONE:
    case BODY_KIND_EMPTY:
    case BODY_KIND_OUTPUT:
    case BODY_KIND_TEXT:
    case BODY_KIND_IMAGE:
    case BODY_KIND_BINARY:
    default:
      return NULL;
    }
}

static const char *
kind_get_default_mode (BodyKind kind)
{
  switch (kind)
    {
    case BODY_KIND_JSON:
    case BODY_KIND_XML:
    case BODY_KIND_HTML:
      return "pretty";
    case BODY_KIND_IMAGE:
      return "preview";
    case BODY_KIND_NONE:
    case BODY_KIND_EMPTY:
    case BODY_KIND_OUTPUT:
    case BODY_KIND_TEXT:
    case BODY_KIND_BINARY:
    default:
      return "raw";
    }
}

static void
set_loading (SondeBodyView *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  /* Only spinning changes: a change of size would lay out the text view again. */
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
_sonde_body_view_add_note (SondeBodyView *self,
          const char    *sentence)
{
  if (self->note->len > 0)
    g_string_append_c (self->note, ' ');
  g_string_append (self->note, sentence);
  gtk_label_set_text (self->note_label, self->note->str);
  gtk_widget_set_visible (self->note_box, TRUE);
}

static void
clear_note (SondeBodyView *self)
{
  g_string_truncate (self->note, 0);
  gtk_label_set_text (self->note_label, "");
  gtk_widget_set_visible (self->note_box, FALSE);
  gtk_widget_set_visible (self->note_save_button, FALSE);
  gtk_widget_set_visible (self->note_more_button, FALSE);
}

static void
dismiss_note_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_set_visible (SONDE_BODY_VIEW (widget)->note_box, FALSE);
}

static void
update_style_scheme (SondeBodyView *self)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
  if (GTK_SOURCE_IS_BUFFER (buffer))
    gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer), scheme);
}

void
_sonde_body_view_update_search_count (SondeBodyView *self)
{
  int count = -1;
  g_autofree char *text = NULL;

  if (self->search_context != NULL && gtk_source_search_settings_get_search_text (self->search_settings) != NULL)
    count = gtk_source_search_context_get_occurrences_count (self->search_context);

  if (count == 0)
    text = g_strdup (_("No matches"));
  else if (count > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d match", "%d matches", count), count);
  gtk_label_set_text (self->search_count_label, text != NULL ? text : "");
}

static gboolean
retire_step_cb (gpointer user_data)
{
  GtkTextBuffer *buffer = user_data;
  int lines = gtk_text_buffer_get_line_count (buffer);
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_line (buffer, &start, MAX (0, lines - RETIRE_LINES));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_delete (buffer, &start, &end);

  return lines > RETIRE_LINES ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Takes BUFFER: freeing millions of lines at once would stall the main loop, so a big
 * buffer is emptied from the end in steps first. */
static void
retire_buffer (GtkTextBuffer *buffer)
{
  if (gtk_text_buffer_get_line_count (buffer) <= RETIRE_LINES)
    {
      g_object_unref (buffer);
      return;
    }
  sonde_step_source_add (G_PRIORITY_LOW, retire_step_cb, buffer, g_object_unref);
}

/* A fresh buffer per load: clearing a buffer of many megabytes costs more than a new one. */
static GtkSourceBuffer *
replace_buffer (SondeBodyView *self,
                const char    *language_id,
                gboolean       highlight)
{
  g_autoptr(GtkSourceBuffer) buffer = gtk_source_buffer_new (NULL);
  GtkTextBuffer *old_buffer;

  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (buffer), FALSE);
  gtk_source_buffer_set_highlight_matching_brackets (buffer, FALSE);
  gtk_source_buffer_set_highlight_syntax (buffer, highlight);
  if (language_id != NULL && highlight)
    gtk_source_buffer_set_language (buffer,
                                    gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (),
                                                                              language_id));
  old_buffer = g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)));
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), GTK_TEXT_BUFFER (buffer));
  update_style_scheme (self);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (self->search_context != NULL)
    g_signal_handlers_disconnect_by_data (self->search_context, self);
  g_clear_object (&self->search_context);
  self->search_context = gtk_source_search_context_new (buffer, self->search_settings);
  g_signal_connect_object (self->search_context, "notify::occurrences-count",
                           G_CALLBACK (_sonde_body_view_update_search_count), self, G_CONNECT_SWAPPED);
  _sonde_body_view_update_search_count (self);

  retire_buffer (old_buffer);

  return g_steal_pointer (&buffer);
}

static void load_text (SondeBodyView       *self,
                       GInputStream        *input,
                       SondeTextLoaderMode  mode,
                       const char          *language_id,
                       gboolean             highlight);

static void
text_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SondeBodyView) self = user_data;
  g_autoptr(SondeTextLoadInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *sentence = NULL;

  info = sonde_text_loader_load_finish (GTK_TEXT_BUFFER (object), result, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_loading (self, FALSE);
      sentence = g_strdup_printf (_("The body could not be read: %s"), error->message);
      _sonde_body_view_add_note (self, sentence);
      return;
    }

  if (info->json_error != NULL && !self->json_invalid)
    {
      g_autoptr(GInputStream) input = NULL;

      /* Invalid JSON: show the text as received, and where it went wrong. */
      self->json_invalid = TRUE;
      g_autofree char *offset = g_strdup_printf ("%" G_GUINT64_FORMAT, info->json_error_offset);

      /* The formatter's message usually names the offset already. */
      if (strstr (info->json_error->message, offset) != NULL)
        sentence = g_strdup_printf (_("This is not valid JSON: %s. Showing the raw text."),
                                    info->json_error->message);
      else
        sentence = g_strdup_printf (_("This is not valid JSON (%s, at byte %s). Showing the raw text."),
                                    info->json_error->message, offset);
      _sonde_body_view_add_note (self, sentence);
      input = sonde_body_store_open_stream (self->body, &error);
      if (input != NULL)
        {
          load_text (self, input, SONDE_TEXT_LOADER_RAW, NULL, FALSE);
          return;
        }
    }

  set_loading (self, FALSE);

  if (info->truncated && self->display_limit < SONDE_BODY_VIEW_DISPLAY_LIMIT)
    {
      size = g_format_size (info->inserted);
      g_free (sentence);
      sentence = g_strdup_printf (_("Only the first %s of text is shown, to keep the window quick."), size);
      _sonde_body_view_add_note (self, sentence);
      gtk_widget_set_visible (self->note_more_button, TRUE);
    }
  else if (info->truncated)
    {
      size = g_format_size (info->inserted);
      g_free (sentence);
      sentence = g_strdup_printf (_("Only the first %s of text is shown. Save the body to a file to see all of it."), size);
      _sonde_body_view_add_note (self, sentence);
      gtk_widget_set_visible (self->note_save_button, self->filter_result == NULL);
    }
  if (info->wrapped)
    {
      g_free (sentence);
      sentence = g_strdup_printf (_("Lines longer than %d characters are wrapped for display."),
                                  SONDE_TEXT_LOADER_WRAP_WIDTH);
      _sonde_body_view_add_note (self, sentence);
    }
  if (info->replaced)
    _sonde_body_view_add_note (self, _("Bytes that are not valid UTF-8 are shown as “�”."));
}

static void
load_text (SondeBodyView       *self,
           GInputStream        *input,
           SondeTextLoaderMode  mode,
           const char          *language_id,
           gboolean             highlight)
{
  g_autoptr(GtkSourceBuffer) buffer = replace_buffer (self, language_id, highlight);

  gtk_stack_set_visible_child_name (self->stack, "text");
  set_loading (self, TRUE);
  sonde_text_loader_load_async (GTK_TEXT_BUFFER (buffer), input, mode, self->display_limit,
                                self->load_cancellable, text_loaded_cb, g_object_ref (self));
}

static void
load_body_text (SondeBodyView       *self,
                SondeTextLoaderMode  mode,
                const char          *language_id)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  gboolean highlight = sonde_body_store_get_size (self->body) <= SONDE_BODY_VIEW_HIGHLIGHT_LIMIT;

  input = sonde_body_store_open_stream (self->body, &error);
  if (input == NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("The body could not be read: %s"), error->message);

      _sonde_body_view_add_note (self, sentence);
      return;
    }

  if (language_id != NULL && !highlight)
    _sonde_body_view_add_note (self, _("Syntax highlighting is off for bodies this large."));

  load_text (self, input, mode, language_id, highlight);
}

static void
show_hex (SondeBodyView *self)
{
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GString) dump = g_string_new (NULL);
  g_autofree char *size = g_format_size (sonde_body_store_get_size (self->body));
  g_autofree char *summary = NULL;
  const guint8 *data;
  gsize length = 0;

  head = sonde_body_store_read (self->body, 0, HEX_SIZE, NULL);
  data = head != NULL ? g_bytes_get_data (head, &length) : NULL;

  for (gsize row = 0; row < length; row += 16)
    {
      g_string_append_printf (dump, "%08" G_GSIZE_MODIFIER "x ", row);
      for (gsize i = row; i < row + 16; i++)
        {
          if (i % 8 == 0)
            g_string_append_c (dump, ' ');
          if (i < length)
            g_string_append_printf (dump, "%02x ", data[i]);
          else
            g_string_append (dump, "   ");
        }
      g_string_append (dump, " |");
      for (gsize i = row; i < row + 16 && i < length; i++)
        g_string_append_c (dump, g_ascii_isprint (data[i]) ? data[i] : '.');
      g_string_append (dump, "|\n");
    }

  if (sonde_body_store_get_size (self->body) > length)
    summary = g_strdup_printf (_("Binary data, %s (%s). The first %u bytes are shown."),
                               size, self->content_type != NULL ? self->content_type : _("unknown type"),
                               (guint) length);
  else
    summary = g_strdup_printf (_("Binary data, %s (%s)."),
                               size, self->content_type != NULL ? self->content_type : _("unknown type"));
  gtk_label_set_text (self->binary_label, summary);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->hex_view), dump->str, dump->len);
  gtk_stack_set_visible_child_name (self->stack, "binary");
}

static void
decode_texture_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  SondeBodyStore *body = task_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  bytes = sonde_body_store_read (body, 0, sonde_body_store_get_size (body), &error);
  /* gdk_texture_new_from_bytes () is thread-safe. */
  texture = bytes != NULL ? gdk_texture_new_from_bytes (bytes, &error) : NULL;
  if (texture == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
show_preview (SondeBodyView *self)
{
  g_autofree char *size = g_format_size (sonde_body_store_get_size (self->body));
  g_autofree char *summary = NULL;

  /* Translators: content type · size · width × height */
  summary = g_strdup_printf (_("%s · %s · %d × %d pixels"),
                             self->content_type != NULL ? self->content_type : _("image"), size,
                             gdk_texture_get_width (self->texture),
                             gdk_texture_get_height (self->texture));

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->texture));
  gtk_label_set_text (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, "preview");
}

static void
texture_decoded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SondeBodyView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);
  if (texture == NULL)
    {
      g_autofree char *sentence = g_strdup_printf (_("The image could not be shown: %s"), error->message);

      self->kind = BODY_KIND_BINARY;
      _sonde_body_view_add_note (self, sentence);
      gtk_widget_set_visible (self->preview_button, FALSE);
      gtk_widget_set_visible (self->mode_box, FALSE);
      show_hex (self);
      return;
    }

  self->texture = g_steal_pointer (&texture);
  show_preview (self);
}

static void
load_preview (SondeBodyView *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->texture != NULL)
    {
      show_preview (self);
      return;
    }
  if (sonde_body_store_get_size (self->body) > PREVIEW_LIMIT)
    {
      _sonde_body_view_add_note (self, _("The image is too large to preview."));
      show_hex (self);
      return;
    }

  set_loading (self, TRUE);
  task = g_task_new (NULL, self->load_cancellable, texture_decoded_cb, g_object_ref (self));
  g_task_set_source_tag (task, load_preview);
  g_task_set_task_data (task, g_object_ref (self->body), g_object_unref);
  g_task_run_in_thread (task, decode_texture_thread);
}

static void
update_summary (SondeBodyView *self)
{
  g_autofree char *size = NULL;
  g_autofree char *summary = NULL;

  if (self->body == NULL || self->kind == BODY_KIND_EMPTY)
    {
      gtk_label_set_text (self->summary_label, "");
      return;
    }

  size = g_format_size (sonde_body_store_get_size (self->body));
  if (self->content_type != NULL)
    summary = g_strdup_printf ("%s · %s", self->content_type, size);
  else
    summary = g_steal_pointer (&size);
  gtk_label_set_text (self->summary_label, summary);
}

static void
update_controls (SondeBodyView *self)
{
  gboolean text = _sonde_body_kind_is_text (self->kind);
  gboolean has_body = self->body != NULL && self->kind != BODY_KIND_EMPTY;
  gboolean pretty = self->kind == BODY_KIND_JSON || self->kind == BODY_KIND_XML || self->kind == BODY_KIND_HTML;
  gboolean preview = self->kind == BODY_KIND_IMAGE;

  gtk_widget_set_visible (self->toolbar, self->kind != BODY_KIND_OUTPUT && self->kind != BODY_KIND_NONE);
  gtk_widget_set_visible (self->pretty_button, pretty);
  gtk_widget_set_visible (self->preview_button, preview);
  gtk_widget_set_visible (self->mode_box, has_body && (pretty || preview));
  gtk_widget_set_visible (self->search_button, text);
  gtk_widget_set_visible (self->filter_box, self->kind == BODY_KIND_JSON);
  /* The filter takes the row's free width; without it, the summary does */
  gtk_widget_set_hexpand (GTK_WIDGET (self->summary_label), self->kind != BODY_KIND_JSON);
  if (!text)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

void
_sonde_body_view_reload (SondeBodyView *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->json_invalid = FALSE;
  /* Drop the old text before controls come and go: resizing a view of a million lines
   * stalls. */
  g_object_unref (replace_buffer (self, NULL, FALSE));
  set_loading (self, FALSE);
  clear_note (self);
  update_summary (self);
  update_controls (self);

  switch (self->kind)
    {
    case BODY_KIND_NONE:
    case BODY_KIND_EMPTY:
      gtk_stack_set_visible_child_name (self->stack, "empty");
      break;

    case BODY_KIND_OUTPUT:
      gtk_stack_set_visible_child_name (self->stack, "file");
      break;

    case BODY_KIND_IMAGE:
    case BODY_KIND_BINARY:
      if (g_strcmp0 (self->mode, "preview") == 0 && self->kind == BODY_KIND_IMAGE)
        load_preview (self);
      else
        show_hex (self);
      break;

    case BODY_KIND_JSON:
    case BODY_KIND_XML:
    case BODY_KIND_HTML:
    case BODY_KIND_TEXT:
    default:
      if (self->filter_result != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (self->filter_result, strlen (self->filter_result));
          g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (bytes);

          load_text (self, input, SONDE_TEXT_LOADER_RAW, "json",
                     g_bytes_get_size (bytes) <= SONDE_BODY_VIEW_HIGHLIGHT_LIMIT);
        }
      else if (g_strcmp0 (self->mode, "pretty") == 0 && self->kind == BODY_KIND_JSON)
        load_body_text (self, SONDE_TEXT_LOADER_JSON, "json");
      else if (g_strcmp0 (self->mode, "pretty") == 0)
        load_body_text (self, SONDE_TEXT_LOADER_RAW, kind_get_language (self->kind));
      else
        load_body_text (self, SONDE_TEXT_LOADER_RAW, NULL);
      break;
    }
}

/* Actions */

/* body.show-more: the text again, up to SONDE_BODY_VIEW_DISPLAY_LIMIT */
static void
show_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeBodyView *self = SONDE_BODY_VIEW (widget);

  if (self->display_limit >= SONDE_BODY_VIEW_DISPLAY_LIMIT)
    return;
  self->display_limit = SONDE_BODY_VIEW_DISPLAY_LIMIT;
  _sonde_body_view_reload (self);
}

static void
open_output_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeBodyView *self = SONDE_BODY_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *uri = NULL;

  if (self->output == NULL)
    return;
  uri = g_file_get_uri (self->output);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
style_manager_dark_changed_cb (SondeBodyView *self)
{
  update_style_scheme (self);
}

/* GObject */

static void
sonde_body_view_dispose (GObject *object)
{
  SondeBodyView *self = SONDE_BODY_VIEW (object);

  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_cancellable_cancel (self->filter_cancellable);
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_BODY_VIEW);

  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->filter_cancellable);
  g_clear_object (&self->search_context);
  g_clear_object (&self->search_settings);
  g_clear_object (&self->body);
  g_clear_object (&self->output);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->json_root, json_node_unref);

  G_OBJECT_CLASS (sonde_body_view_parent_class)->dispose (object);
}

static void
sonde_body_view_finalize (GObject *object)
{
  SondeBodyView *self = SONDE_BODY_VIEW (object);

  g_free (self->content_type);
  g_free (self->mode);
  g_free (self->filter_result);
  g_string_free (self->note, TRUE);

  G_OBJECT_CLASS (sonde_body_view_parent_class)->finalize (object);
}

static void
sonde_body_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SondeBodyView *self = SONDE_BODY_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_string (value, self->mode);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_body_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SondeBodyView *self = SONDE_BODY_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      sonde_body_view_set_mode (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_body_view_class_init (SondeBodyViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_body_view_dispose;
  object_class->finalize = sonde_body_view_finalize;
  object_class->get_property = sonde_body_view_get_property;
  object_class->set_property = sonde_body_view_set_property;

  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, "raw",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-body-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, mode_box);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, pretty_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, raw_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, preview_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, search_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, filter_box);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, filter_message_label);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, search_count_label);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, note_box);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, note_label);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, note_save_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, note_more_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, stack);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, source_view);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, picture);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, binary_label);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, hex_view);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyView, file_page);
  _sonde_body_view_class_init_tools (widget_class);

  gtk_widget_class_install_property_action (widget_class, "body.mode", "mode");
  gtk_widget_class_install_action (widget_class, "body.open-output", NULL, open_output_action);
  gtk_widget_class_install_action (widget_class, "body.dismiss-note", NULL, dismiss_note_action);
  gtk_widget_class_install_action (widget_class, "body.show-more", NULL, show_more_action);
}

static void
sonde_body_view_init (SondeBodyView *self)
{
  self->mode = g_strdup ("raw");
  self->display_limit = SONDE_BODY_VIEW_FIRST_SLICE;
  self->note = g_string_new (NULL);
  self->search_settings = gtk_source_search_settings_new ();
  gtk_source_search_settings_set_wrap_around (self->search_settings, TRUE);

  gtk_widget_init_template (GTK_WIDGET (self));
  sonde_text_view_follow_preferences (GTK_TEXT_VIEW (self->source_view));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_manager_dark_changed_cb), self, G_CONNECT_SWAPPED);
  _sonde_body_view_reload (self);
}

GtkWidget *
sonde_body_view_new (void)
{
  return g_object_new (SONDE_TYPE_BODY_VIEW, NULL);
}

void
sonde_body_view_set_body (SondeBodyView  *self,
                          SondeBodyStore *body,
                          const char     *content_type)
{
  g_autoptr(GBytes) head = NULL;
  const char *data = "";
  gsize length = 0;

  g_return_if_fail (SONDE_IS_BODY_VIEW (self));
  g_return_if_fail (body == NULL || SONDE_IS_BODY_STORE (body));

  g_set_object (&self->body, body);
  self->display_limit = SONDE_BODY_VIEW_FIRST_SLICE;
  g_clear_object (&self->output);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->json_root, json_node_unref);
  g_clear_pointer (&self->filter_result, g_free);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);

  if (body != NULL)
    {
      head = sonde_body_store_read (body, 0, SNIFF_SIZE, NULL);
      if (head != NULL)
        data = g_bytes_get_data (head, &length);
    }

  if (body == NULL)
    self->kind = BODY_KIND_NONE;
  else if (sonde_body_store_get_size (body) == 0)
    self->kind = BODY_KIND_EMPTY;
  else
    self->kind = detect_kind (content_type, data, length);

  g_free (self->mode);
  self->mode = g_strdup (kind_get_default_mode (self->kind));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);

  /* A filter typed for the previous response applies to this one too. */
  if (self->kind == BODY_KIND_JSON && gtk_entry_get_text_length (self->filter_entry) > 0)
    _sonde_body_view_apply_filter (self);
  else
    _sonde_body_view_show_filter_message (self, NULL, FALSE);

  _sonde_body_view_reload (self);
}

void
sonde_body_view_set_output (SondeBodyView *self,
                            GFile         *output)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SONDE_IS_BODY_VIEW (self));
  g_return_if_fail (G_IS_FILE (output));

  sonde_body_view_set_body (self, NULL, NULL);
  g_set_object (&self->output, output);
  self->kind = BODY_KIND_OUTPUT;
  path = g_file_get_parse_name (output);
  adw_status_page_set_description (self->file_page, path);
  _sonde_body_view_reload (self);
}

const char *
sonde_body_view_get_mode (SondeBodyView *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), NULL);

  return self->mode;
}

void
sonde_body_view_set_mode (SondeBodyView *self,
                          const char    *mode)
{
  g_return_if_fail (SONDE_IS_BODY_VIEW (self));
  g_return_if_fail (mode != NULL);

  if (g_strcmp0 (self->mode, mode) == 0)
    return;

  g_free (self->mode);
  self->mode = g_strdup (mode);
  _sonde_body_view_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

gboolean
sonde_body_view_get_loading (SondeBodyView *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), FALSE);

  return self->loading;
}

const char *
sonde_body_view_get_page (SondeBodyView *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkTextBuffer *
sonde_body_view_get_buffer (SondeBodyView *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), NULL);

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
}

const char *
sonde_body_view_get_note (SondeBodyView *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), NULL);

  return self->note->str;
}

GdkPaintable *
sonde_body_view_get_preview (SondeBodyView *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_VIEW (self), NULL);

  return gtk_picture_get_paintable (self->picture);
}

void
sonde_body_view_set_compact (SondeBodyView *self,
                             gboolean       compact)
{
  GtkWidget *parent;

  g_return_if_fail (SONDE_IS_BODY_VIEW (self));

  /* Narrow: the filter gets a row of its own under the tools, as wide as the view */
  parent = gtk_widget_get_parent (self->filter_box);
  if ((parent == GTK_WIDGET (self)) == compact)
    return;
  g_object_ref (self->filter_box);
  if (compact)
    {
      gtk_box_remove (GTK_BOX (self->toolbar), self->filter_box);
      gtk_widget_insert_after (self->filter_box, GTK_WIDGET (self), self->toolbar);
    }
  else
    {
      gtk_widget_unparent (self->filter_box);
      gtk_box_insert_child_after (GTK_BOX (self->toolbar), self->filter_box, GTK_WIDGET (self->summary_label));
    }
  gtk_widget_set_margin_start (self->filter_box, compact ? 12 : 0);
  gtk_widget_set_margin_end (self->filter_box, compact ? 12 : 0);
  gtk_widget_set_margin_bottom (self->filter_box, compact ? 6 : 0);
  g_object_unref (self->filter_box);
}
