/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-variable-highlight"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-variable-highlight.h"
#include "sonde-variables.h"

/* Values longer than this are cut in tooltips. */
#define MAX_SHOWN_CHARS 40
/* Bodies longer than this (in bytes) are not highlighted. */
#define MAX_HIGHLIGHTED_TEXT (1024 * 1024)

struct _SondeVariableScope
{
  GObject parent_instance;

  /* Owned */
  GHashTable *values;
  GHashTable *secret_names;
  GHashTable *captured_names;   /* set by captures this session: said in tooltips */
};

G_DEFINE_FINAL_TYPE (SondeVariableScope, sonde_variable_scope, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (SondeVariableScope *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
sonde_variable_scope_finalize (GObject *object)
{
  SondeVariableScope *self = SONDE_VARIABLE_SCOPE (object);

  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->secret_names, g_hash_table_unref);
  g_clear_pointer (&self->captured_names, g_hash_table_unref);

  G_OBJECT_CLASS (sonde_variable_scope_parent_class)->finalize (object);
}

static void
sonde_variable_scope_class_init (SondeVariableScopeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sonde_variable_scope_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sonde_variable_scope_init (SondeVariableScope *self)
{
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
}

SondeVariableScope *
sonde_variable_scope_new (void)
{
  return g_object_new (SONDE_TYPE_VARIABLE_SCOPE, NULL);
}

void
sonde_variable_scope_set (SondeVariableScope *self,
                          GHashTable         *values,
                          GHashTable         *secret_names)
{
  g_return_if_fail (SONDE_IS_VARIABLE_SCOPE (self));

  if (values != NULL)
    g_hash_table_ref (values);
  if (secret_names != NULL)
    g_hash_table_ref (secret_names);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->secret_names, g_hash_table_unref);
  self->values = values;
  self->secret_names = secret_names;

  emit_changed (self);
}

/* NAMES (a set, may be NULL): the variables whose value a capture set this session. */
void
sonde_variable_scope_set_captured (SondeVariableScope *self,
                                   GHashTable         *names)
{
  g_return_if_fail (SONDE_IS_VARIABLE_SCOPE (self));

  if (names != NULL)
    g_hash_table_ref (names);
  g_clear_pointer (&self->captured_names, g_hash_table_unref);
  self->captured_names = names;
  emit_changed (self);
}

gboolean
sonde_variable_scope_is_defined (SondeVariableScope *self,
                                 const char         *name)
{
  g_return_val_if_fail (SONDE_IS_VARIABLE_SCOPE (self), FALSE);

  return (self->values != NULL && g_hash_table_lookup (self->values, name) != NULL) ||
         sonde_variables_is_builtin (name);
}

static gboolean
is_secret (SondeVariableScope *self,
           const char         *name)
{
  return self->secret_names != NULL && g_hash_table_contains (self->secret_names, name);
}

/* VALUE on one line, cut after MAX_SHOWN_CHARS characters. */
static char *
shorten (const char *value)
{
  GString *out = g_string_new (NULL);
  guint count = 0;

  if (!g_utf8_validate (value, -1, NULL))
    return g_string_free (out, FALSE);

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p), count++)
    {
      gunichar c = g_utf8_get_char (p);

      if (count == MAX_SHOWN_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

char *
sonde_variable_scope_describe (SondeVariableScope *self,
                               const char         *name)
{
  const char *value;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (SONDE_IS_VARIABLE_SCOPE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if ((self->values == NULL || g_hash_table_lookup (self->values, name) == NULL) &&
      sonde_variables_is_builtin (name))
    return g_strdup_printf (_("%s: a new value made at each send"), name);
  if (self->values == NULL)
    return g_strdup_printf (_("Variable “%s” is not defined: variables come from --var, from a collection or from one of its environments"),
                            name);

  value = g_hash_table_lookup (self->values, name);
  if (value == NULL && is_secret (self, name))
    return g_strdup_printf (_("Secret variable “%s” has no value here"), name);
  if (value == NULL)
    return g_strdup_printf (_("Variable “%s” is not defined"), name);

  shown = is_secret (self, name) ? g_strdup ("••••••") : shorten (value);
  if (self->captured_names != NULL && g_hash_table_contains (self->captured_names, name))
    /* Translators: a variable a capture set, and its value, in a tooltip */
    return g_strdup_printf (C_("variable", "%s = %s (captured in this session)"), name, shown);
  /* Translators: a variable and its value in a tooltip, e.g. "token = abc…" */
  return g_strdup_printf (C_("variable", "%s = %s"), name, shown);
}

char *
sonde_variable_scope_describe_text (SondeVariableScope *self,
                                    const char         *text)
{
  g_auto(GStrv) names = NULL;
  GString *out;

  g_return_val_if_fail (SONDE_IS_VARIABLE_SCOPE (self), NULL);

  names = text != NULL ? sonde_variables_find (text) : NULL;
  if (names == NULL || names[0] == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *line = sonde_variable_scope_describe (self, names[i]);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
    }

  return g_string_free (out, FALSE);
}

/* Colours, readable on light and dark backgrounds */

typedef struct
{
  GdkRGBA defined_fg;
  GdkRGBA defined_bg;
  GdkRGBA undefined;
} Colours;

static void
get_colours (Colours *colours)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  /* GNOME palette: blue 5 / blue 1 text on a light wash of blue 3; red for undefined. */
  gdk_rgba_parse (&colours->defined_fg, dark ? "#99c1f1" : "#1a5fb4");
  gdk_rgba_parse (&colours->defined_bg, dark ? "rgba(53,132,228,0.30)" : "rgba(53,132,228,0.16)");
  gdk_rgba_parse (&colours->undefined, dark ? "#ff7b63" : "#e01b24");
}

#define PANGO_CHANNEL(x) ((guint16) ((x) * 65535.0 + 0.5))

static void
insert_attr (PangoAttrList  *attrs,
             PangoAttribute *attr,
             gsize           begin,
             gsize           end)
{
  attr->start_index = begin;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
}

static PangoAttrList *
create_attributes (SondeVariableScope *scope,
                   const char         *text)
{
  PangoAttrList *attrs = NULL;
  gsize position = 0;
  gsize begin;
  gsize end;
  char *name;
  Colours c;

  get_colours (&c);
  while (sonde_variables_find_next (text, position, &begin, &end, &name))
    {
      if (attrs == NULL)
        attrs = pango_attr_list_new ();

      if (sonde_variable_scope_is_defined (scope, name))
        {
          insert_attr (attrs, pango_attr_foreground_new (PANGO_CHANNEL (c.defined_fg.red),
                                                         PANGO_CHANNEL (c.defined_fg.green),
                                                         PANGO_CHANNEL (c.defined_fg.blue)), begin, end);
          insert_attr (attrs, pango_attr_background_new (PANGO_CHANNEL (c.defined_bg.red),
                                                         PANGO_CHANNEL (c.defined_bg.green),
                                                         PANGO_CHANNEL (c.defined_bg.blue)), begin, end);
          insert_attr (attrs, pango_attr_background_alpha_new (PANGO_CHANNEL (c.defined_bg.alpha)),
                       begin, end);
        }
      else
        {
          insert_attr (attrs, pango_attr_underline_new (PANGO_UNDERLINE_ERROR), begin, end);
          insert_attr (attrs, pango_attr_underline_color_new (PANGO_CHANNEL (c.undefined.red),
                                                              PANGO_CHANNEL (c.undefined.green),
                                                              PANGO_CHANNEL (c.undefined.blue)), begin, end);
        }

      position = end;
      g_free (name);
    }

  return attrs;
}

/* Editables */

typedef struct
{
  /* Borrowed: the editable holds this as data */
  GtkEditable *editable;
  GtkWidget *text;
  /* Owned */
  SondeVariableScope *scope;
  gulong scope_changed_id;
} EditableHighlight;

#define EDITABLE_KEY "sonde-variable-highlight"

static void
editable_highlight_free (gpointer data)
{
  EditableHighlight *highlight = data;

  if (highlight->scope != NULL &&
      g_signal_handler_is_connected (highlight->scope, highlight->scope_changed_id))
    g_signal_handler_disconnect (highlight->scope, highlight->scope_changed_id);
  g_clear_object (&highlight->scope);
  g_free (highlight);
}

static void
update_editable (GtkEditable *editable)
{
  EditableHighlight *highlight = g_object_get_data (G_OBJECT (editable), EDITABLE_KEY);
  const char *text = gtk_editable_get_text (editable);
  PangoAttrList *attrs = NULL;

  if (highlight == NULL || !GTK_IS_TEXT (highlight->text))
    return;

  /* A hidden password shows dots: byte offsets would not match. */
  if (highlight->scope != NULL && gtk_text_get_visibility (GTK_TEXT (highlight->text)) &&
      strstr (text, "{{") != NULL)
    attrs = create_attributes (highlight->scope, text);

  if (attrs != NULL || gtk_text_get_attributes (GTK_TEXT (highlight->text)) != NULL)
    gtk_text_set_attributes (GTK_TEXT (highlight->text), attrs);
  g_clear_pointer (&attrs, pango_attr_list_unref);

  if (highlight->scope != NULL)
    gtk_widget_set_has_tooltip (GTK_WIDGET (editable), TRUE);
}

static gboolean
editable_query_tooltip_cb (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip,
                           gpointer    user_data)
{
  EditableHighlight *highlight = g_object_get_data (G_OBJECT (widget), EDITABLE_KEY);
  g_autofree char *description = NULL;
  const char *own;

  if (highlight == NULL || highlight->scope == NULL)
    return FALSE;
  /* Icons have their own tooltips. */
  if (GTK_IS_ENTRY (widget) && !keyboard_mode && gtk_entry_get_icon_at_pos (GTK_ENTRY (widget), x, y) >= 0)
    return FALSE;

  description = sonde_variable_highlight_get_tooltip (GTK_EDITABLE (widget));
  if (description == NULL)
    return FALSE;

  own = gtk_widget_get_tooltip_text (widget);
  if (own != NULL)
    {
      g_autofree char *both = g_strconcat (own, "\n", description, NULL);

      gtk_tooltip_set_text (tooltip, both);
    }
  else
    gtk_tooltip_set_text (tooltip, description);

  return TRUE;
}

char *
sonde_variable_highlight_get_tooltip (GtkEditable *editable)
{
  EditableHighlight *highlight;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), NULL);

  highlight = g_object_get_data (G_OBJECT (editable), EDITABLE_KEY);
  if (highlight == NULL || highlight->scope == NULL)
    return NULL;

  return sonde_variable_scope_describe_text (highlight->scope, gtk_editable_get_text (editable));
}

/* Setting or clearing a tooltip text resets "has-tooltip". */
static void
editable_has_tooltip_cb (GtkWidget *widget)
{
  EditableHighlight *highlight = g_object_get_data (G_OBJECT (widget), EDITABLE_KEY);

  if (highlight != NULL && highlight->scope != NULL && !gtk_widget_get_has_tooltip (widget))
    gtk_widget_set_has_tooltip (widget, TRUE);
}

void
sonde_variable_highlight_editable (GtkEditable        *editable,
                                   SondeVariableScope *scope)
{
  EditableHighlight *highlight;

  g_return_if_fail (GTK_IS_EDITABLE (editable));
  g_return_if_fail (scope == NULL || SONDE_IS_VARIABLE_SCOPE (scope));

  highlight = g_object_get_data (G_OBJECT (editable), EDITABLE_KEY);
  if (highlight == NULL)
    {
      if (scope == NULL)
        return;

      highlight = g_new0 (EditableHighlight, 1);
      highlight->editable = editable;
      highlight->text = GTK_WIDGET (gtk_editable_get_delegate (editable));
      g_object_set_data_full (G_OBJECT (editable), EDITABLE_KEY, highlight, editable_highlight_free);

      g_signal_connect (editable, "changed", G_CALLBACK (update_editable), NULL);
      g_signal_connect (editable, "query-tooltip", G_CALLBACK (editable_query_tooltip_cb), NULL);
      g_signal_connect (editable, "notify::has-tooltip", G_CALLBACK (editable_has_tooltip_cb), NULL);
      if (highlight->text != NULL)
        g_signal_connect_object (highlight->text, "notify::visibility",
                                 G_CALLBACK (update_editable), editable, G_CONNECT_SWAPPED);
    }

  if (highlight->scope == scope)
    return;

  if (highlight->scope != NULL)
    g_clear_signal_handler (&highlight->scope_changed_id, highlight->scope);
  g_set_object (&highlight->scope, scope);
  if (scope != NULL)
    highlight->scope_changed_id = g_signal_connect_object (scope, "changed",
                                                           G_CALLBACK (update_editable),
                                                           editable, G_CONNECT_SWAPPED);
  update_editable (editable);
}

/* Text views */

typedef struct
{
  /* Borrowed: the view holds this as data */
  GtkTextView *view;
  /* Owned */
  GtkTextBuffer *buffer;
  SondeVariableScope *scope;
  gulong scope_changed_id;
  gulong buffer_changed_id;
  guint update_id;
} ViewHighlight;

#define VIEW_KEY "sonde-variable-highlight"
#define DEFINED_TAG "sonde-variable-defined"
#define UNDEFINED_TAG "sonde-variable-undefined"

static void
view_highlight_free (gpointer data)
{
  ViewHighlight *highlight = data;

  g_clear_handle_id (&highlight->update_id, g_source_remove);
  if (highlight->scope != NULL &&
      g_signal_handler_is_connected (highlight->scope, highlight->scope_changed_id))
    g_signal_handler_disconnect (highlight->scope, highlight->scope_changed_id);
  if (highlight->buffer != NULL)
    g_clear_signal_handler (&highlight->buffer_changed_id, highlight->buffer);
  g_clear_object (&highlight->scope);
  g_clear_object (&highlight->buffer);
  g_free (highlight);
}

static GtkTextTag *
ensure_tag (GtkTextBuffer *buffer,
            const char    *name)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);

  if (tag == NULL)
    tag = gtk_text_buffer_create_tag (buffer, name, NULL);
  return tag;
}

static void
style_tags (GtkTextTag *defined,
            GtkTextTag *undefined)
{
  Colours c;

  get_colours (&c);
  g_object_set (defined,
                "foreground-rgba", &c.defined_fg,
                "background-rgba", &c.defined_bg,
                NULL);
  g_object_set (undefined,
                "underline", PANGO_UNDERLINE_ERROR,
                "underline-rgba", &c.undefined,
                NULL);
}

static void
tag_references (ViewHighlight *highlight,
                GtkTextTag    *defined,
                GtkTextTag    *undefined)
{
  GtkTextBuffer *buffer = highlight->buffer;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  gsize position = 0;
  glong offset = 0;
  gsize begin;
  gsize stop;
  char *name;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  if (gtk_text_iter_get_offset (&end) > MAX_HIGHLIGHTED_TEXT)
    return;

  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  if (strlen (text) > MAX_HIGHLIGHTED_TEXT)
    return;

  while (sonde_variables_find_next (text, position, &begin, &stop, &name))
    {
      GtkTextIter first, last;
      glong length;

      offset += g_utf8_strlen (text + position, begin - position);
      length = g_utf8_strlen (text + begin, stop - begin);
      gtk_text_buffer_get_iter_at_offset (buffer, &first, offset);
      gtk_text_buffer_get_iter_at_offset (buffer, &last, offset + length);
      gtk_text_buffer_apply_tag (buffer,
                                 sonde_variable_scope_is_defined (highlight->scope, name) ? defined : undefined,
                                 &first, &last);
      offset += length;
      position = stop;
      g_free (name);
    }
}

static void
update_view_now (ViewHighlight *highlight)
{
  GtkTextBuffer *buffer = highlight->buffer;
  GtkTextTag *defined = ensure_tag (buffer, DEFINED_TAG);
  GtkTextTag *undefined = ensure_tag (buffer, UNDEFINED_TAG);
  GtkTextIter start, end;

  g_clear_handle_id (&highlight->update_id, g_source_remove);

  style_tags (defined, undefined);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, defined, &start, &end);
  gtk_text_buffer_remove_tag (buffer, undefined, &start, &end);

  if (highlight->scope != NULL)
    tag_references (highlight, defined, undefined);
}

static gboolean
update_view_timeout_cb (gpointer data)
{
  ViewHighlight *highlight = data;

  highlight->update_id = 0;
  update_view_now (highlight);
  return G_SOURCE_REMOVE;
}

/* Typing goes on undisturbed: the tags follow a moment later. */
static void
view_buffer_changed_cb (ViewHighlight *highlight)
{
  if (highlight->scope == NULL || highlight->update_id != 0)
    return;
  highlight->update_id = g_timeout_add (150, update_view_timeout_cb, highlight);
}

static void
view_scope_changed_cb (GtkTextView *view)
{
  ViewHighlight *highlight = g_object_get_data (G_OBJECT (view), VIEW_KEY);

  if (highlight != NULL)
    update_view_now (highlight);
}

/* The reference around ITER, whose tag is TAG: its name, or NULL. */
static char *
find_name_at (GtkTextIter *iter,
              GtkTextTag  *tag)
{
  GtkTextIter start = *iter;
  GtkTextIter end = *iter;
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  gsize position = 0;
  gsize begin;
  gsize stop;
  char *name;

  if (!gtk_text_iter_starts_tag (&start, tag))
    gtk_text_iter_backward_to_tag_toggle (&start, tag);
  gtk_text_iter_forward_to_tag_toggle (&end, tag);

  text = gtk_text_iter_get_text (&start, &end);
  before = gtk_text_iter_get_text (&start, iter);

  while (sonde_variables_find_next (text, position, &begin, &stop, &name))
    {
      if (strlen (before) < stop)
        return name;
      g_free (name);
      position = stop;
    }

  return NULL;
}

static gboolean
view_query_tooltip_cb (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  GtkTextView *view = GTK_TEXT_VIEW (widget);
  ViewHighlight *highlight = g_object_get_data (G_OBJECT (widget), VIEW_KEY);
  GtkTextTagTable *table;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  GtkTextIter iter;
  GtkTextTag *tags[2];

  if (highlight == NULL || highlight->scope == NULL)
    return FALSE;

  if (keyboard_mode)
    gtk_text_buffer_get_iter_at_mark (highlight->buffer, &iter,
                                      gtk_text_buffer_get_insert (highlight->buffer));
  else
    {
      int bx, by;

      gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
      if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by))
        return FALSE;
    }

  table = gtk_text_buffer_get_tag_table (highlight->buffer);
  tags[0] = gtk_text_tag_table_lookup (table, DEFINED_TAG);
  tags[1] = gtk_text_tag_table_lookup (table, UNDEFINED_TAG);
  for (guint i = 0; i < G_N_ELEMENTS (tags) && name == NULL; i++)
    if (tags[i] != NULL && gtk_text_iter_has_tag (&iter, tags[i]))
      name = find_name_at (&iter, tags[i]);

  if (name == NULL)
    return FALSE;

  /* A label of its own: the default one wraps short texts inside text views. */
  description = sonde_variable_scope_describe (highlight->scope, name);
  gtk_tooltip_set_custom (tooltip, gtk_label_new (description));
  return TRUE;
}

void
sonde_variable_highlight_text_view (GtkTextView        *view,
                                    SondeVariableScope *scope)
{
  ViewHighlight *highlight;

  g_return_if_fail (GTK_IS_TEXT_VIEW (view));
  g_return_if_fail (scope == NULL || SONDE_IS_VARIABLE_SCOPE (scope));

  highlight = g_object_get_data (G_OBJECT (view), VIEW_KEY);
  if (highlight == NULL)
    {
      if (scope == NULL)
        return;

      highlight = g_new0 (ViewHighlight, 1);
      highlight->view = view;
      highlight->buffer = g_object_ref (gtk_text_view_get_buffer (view));
      g_object_set_data_full (G_OBJECT (view), VIEW_KEY, highlight, view_highlight_free);
      highlight->buffer_changed_id = g_signal_connect_swapped (highlight->buffer, "changed",
                                                               G_CALLBACK (view_buffer_changed_cb),
                                                               highlight);
      g_signal_connect (view, "query-tooltip", G_CALLBACK (view_query_tooltip_cb), NULL);
    }

  if (highlight->scope == scope)
    return;

  if (highlight->scope != NULL)
    g_clear_signal_handler (&highlight->scope_changed_id, highlight->scope);
  g_set_object (&highlight->scope, scope);
  if (scope != NULL)
    highlight->scope_changed_id = g_signal_connect_object (scope, "changed",
                                                           G_CALLBACK (view_scope_changed_cb),
                                                           view, G_CONNECT_SWAPPED);
  gtk_widget_set_has_tooltip (GTK_WIDGET (view), scope != NULL);
  update_view_now (highlight);
}
