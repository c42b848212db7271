/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-check-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-check-editor.h"
#include "sonde-check-row.h"
#include "sonde-editor-utils.h"
#include "sonde-json-file.h"

struct _SondeCheckEditor
{
  GtkWidget             parent_instance;

  SondeCheckEditorMode  mode;
  SondeKeptRows         kept;      /* the rows as in the file, edited in place */

  /* Children */
  GtkWidget            *box;
  GtkListBox           *list;
  GtkWidget            *empty_label;
  GtkWidget            *add_button;
};

G_DEFINE_FINAL_TYPE (SondeCheckEditor, sonde_check_editor, GTK_TYPE_WIDGET)

static const char *
key_of (SondeCheckEditor *self)
{
  return self->mode == SONDE_CHECK_EDITOR_CHECKS ? "checks" : "captures";
}

/* ROW with its keys in the order the format writes them: known keys first, then the ones
 * Sonde does not know as they were, "enabled" last. */
static JsonObject *
canonical_row (SondeCheckEditor *self,
               JsonObject       *row)
{
  static const char * const check_keys[] = { "source", "name", "path", "op", "value", NULL };
  static const char * const capture_keys[] = { "variable", "source", "name", "path", "secret", NULL };
  const char * const *known = self->mode == SONDE_CHECK_EDITOR_CHECKS ? check_keys : capture_keys;
  JsonObject *out = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  for (guint i = 0; known[i] != NULL; i++)
    if ((member = json_object_get_member (row, known[i])) != NULL)
      json_object_set_member (out, known[i], json_node_copy (member));
  json_object_iter_init_ordered (&iter, row);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    if (!g_strv_contains (known, name) && !g_str_equal (name, "enabled"))
      json_object_set_member (out, name, json_node_copy (member));
  if ((member = json_object_get_member (row, "enabled")) != NULL)
    json_object_set_member (out, "enabled", json_node_copy (member));
  return out;
}

/* The request's kept keys with this editor's key set to the rows (absent when none), the
 * other keys in their place. */
static void
write_back (SondeCheckEditor *self)
{
  g_autoptr(JsonObject) copy = sonde_json_object_copy_except (sonde_request_get_extra (self->kept.request), NULL);
  GPtrArray *rows = self->kept.rows;
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < rows->len; i++)
    json_array_add_object_element (array, canonical_row (self, rows->pdata[i]));
  /* The order of the file's keys stays: ours is replaced where it was */
  sonde_json_object_set_or_remove (copy, key_of (self),
                                   json_array_get_length (array) > 0 ? json_node_init_array (json_node_alloc (), array) : NULL);
  json_array_unref (array);
  sonde_kept_rows_store (&self->kept, copy);
}

static void
update_empty (SondeCheckEditor *self)
{
  gtk_widget_set_visible (self->empty_label, self->kept.rows->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->kept.rows->len > 0);
}

static void
append_row (SondeCheckEditor *self,
            JsonObject       *row)
{
  GtkWidget *list_row = sonde_check_row_new (self->mode, row);

  g_signal_connect_swapped (list_row, "edited", G_CALLBACK (write_back), self);
  gtk_list_box_append (self->list, list_row);
}

/* checks.remove-row (u): what a row's Remove button asks for. */
static void
remove_row_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeCheckEditor *self = SONDE_CHECK_EDITOR (widget);
  GtkListBoxRow *list_row = gtk_list_box_get_row_at_index (self->list, (int) g_variant_get_uint32 (parameter));

  if (list_row == NULL)
    return;

  g_ptr_array_remove (self->kept.rows, sonde_check_row_get_json (SONDE_CHECK_ROW (list_row)));
  gtk_list_box_remove (self->list, GTK_WIDGET (list_row));
  update_empty (self);
  write_back (self);
}

static void
rebuild (gpointer owner)
{
  SondeCheckEditor *self = owner;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  sonde_kept_rows_read (&self->kept, key_of (self));
  for (guint i = 0; i < self->kept.rows->len; i++)
    append_row (self, self->kept.rows->pdata[i]);
  update_empty (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SondeCheckEditor *self = SONDE_CHECK_EDITOR (widget);
  JsonObject *row = json_object_new ();

  if (self->kept.request == NULL)
    {
      json_object_unref (row);
      return;
    }
  if (self->mode == SONDE_CHECK_EDITOR_CHECKS)
    {
      json_object_set_string_member (row, "source", "status");
      json_object_set_string_member (row, "op", "==");
      json_object_set_string_member (row, "value", "200");
    }
  else
    {
      json_object_set_string_member (row, "variable", "");
      json_object_set_string_member (row, "source", "jsonpath");
      json_object_set_string_member (row, "path", "$.");
    }
  g_ptr_array_add (self->kept.rows, row);
  append_row (self, row);
  update_empty (self);
  write_back (self);
}

static void
sonde_check_editor_dispose (GObject *object)
{
  SondeCheckEditor *self = SONDE_CHECK_EDITOR (object);

  sonde_kept_rows_clear (&self->kept);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (sonde_check_editor_parent_class)->dispose (object);
}

static void
sonde_check_editor_class_init (SondeCheckEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_check_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "checks.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "checks.remove-row", "u", remove_row_action);
}

static void
sonde_check_editor_init (SondeCheckEditor *self)
{
  GtkWidget *inner = sonde_list_page_new (GTK_WIDGET (self), &self->box);
  GtkWidget *add = gtk_button_new ();

  self->add_button = add;
  sonde_kept_rows_init (&self->kept, rebuild, self);

  self->empty_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->empty_label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (self->empty_label), TRUE);
  gtk_box_append (GTK_BOX (inner), self->empty_label);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_box_append (GTK_BOX (inner), GTK_WIDGET (self->list));

  gtk_widget_set_halign (add, GTK_ALIGN_START);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "checks.add");
  gtk_box_append (GTK_BOX (inner), add);
}

GtkWidget *
sonde_check_editor_new (SondeCheckEditorMode mode)
{
  SondeCheckEditor *self = g_object_new (SONDE_TYPE_CHECK_EDITOR, NULL);
  GtkWidget *add;

  self->mode = mode;
  add = self->add_button;
  if (mode == SONDE_CHECK_EDITOR_CHECKS)
    {
      gtk_label_set_text (GTK_LABEL (self->empty_label),
                          _("No checks: say what a right response is, such as status == 200, and runs report what differs."));
      gtk_button_set_label (GTK_BUTTON (add), _("_Add Check"));
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->empty_label),
                          _("No captures: take a value from the response, such as a token, into a variable for the next requests."));
      gtk_button_set_label (GTK_BUTTON (add), _("_Add Capture"));
    }
  gtk_button_set_use_underline (GTK_BUTTON (add), TRUE);
  return GTK_WIDGET (self);
}

void
sonde_check_editor_set_request (SondeCheckEditor *self,
                                SondeRequest     *request)
{
  g_return_if_fail (SONDE_IS_CHECK_EDITOR (self));

  sonde_kept_rows_set_request (&self->kept, request);
}

GtkListBox *
sonde_check_editor_get_list (SondeCheckEditor *self)
{
  return self->list;
}
