/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-check-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-check-editor.h"

struct _SondeCheckEditor
{
  GtkWidget             parent_instance;

  SondeCheckEditorMode  mode;
  SondeRequest         *request;   /* owned */
  GPtrArray            *rows;      /* JsonObject*: the rows as in the file, edited in place */
  JsonObject           *shown;     /* borrowed, never dereferenced: the kept keys last shown */
  gboolean              updating;

  /* Children */
  GtkWidget            *box;
  GtkListBox           *list;
  GtkWidget            *empty_label;
};

G_DEFINE_FINAL_TYPE (SondeCheckEditor, sonde_check_editor, GTK_TYPE_WIDGET)

#define sources (sonde_check_sources ())
#define operators (sonde_check_operators ())

static const char *
key_of (SondeCheckEditor *self)
{
  return self->mode == SONDE_CHECK_EDITOR_CHECKS ? "checks" : "captures";
}

static guint
index_of (const char * const *strings,
          const char         *value)
{
  for (guint i = 0; value != NULL && strings[i] != NULL; i++)
    if (g_str_equal (strings[i], value))
      return i;
  return 0;
}

static const char *
member_string (JsonObject *row,
               const char *name)
{
  JsonNode *node = json_object_get_member (row, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static void
set_or_remove (JsonObject *row,
               const char *name,
               const char *value)
{
  if (value != NULL && value[0] != '\0')
    json_object_set_string_member (row, name, value);
  else if (json_object_has_member (row, name))
    json_object_remove_member (row, name);
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
  json_object_iter_init (&iter, row);
  while (json_object_iter_next (&iter, &name, &member))
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
  JsonObject *extra = sonde_request_get_extra (self->request);
  g_autoptr(JsonObject) copy = json_object_new ();
  JsonArray *array = json_array_new ();
  gboolean placed = FALSE;

  for (guint i = 0; i < self->rows->len; i++)
    json_array_add_object_element (array, canonical_row (self, self->rows->pdata[i]));

  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &member))
        {
          if (g_str_equal (name, key_of (self)))
            {
              if (json_array_get_length (array) > 0)
                json_object_set_array_member (copy, name, json_array_ref (array));
              placed = TRUE;
            }
          else
            json_object_set_member (copy, name, json_node_copy (member));
        }
    }
  if (!placed && json_array_get_length (array) > 0)
    json_object_set_array_member (copy, key_of (self), json_array_ref (array));
  json_array_unref (array);

  self->updating = TRUE;
  sonde_request_set_extra (self->request, json_object_get_size (copy) > 0 ? copy : NULL);
  self->updating = FALSE;
}

static JsonObject *
row_of (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW)), "sonde-row");
}

static void update_row_widgets (GtkWidget *box);

static void
enabled_toggled_cb (GtkCheckButton   *check,
                    SondeCheckEditor *self)
{
  JsonObject *row = row_of (GTK_WIDGET (check));

  if (gtk_check_button_get_active (check))
    {
      if (json_object_has_member (row, "enabled"))
        json_object_remove_member (row, "enabled");
    }
  else
    json_object_set_boolean_member (row, "enabled", FALSE);
  write_back (self);
}

static void
secret_toggled_cb (GtkCheckButton   *check,
                   SondeCheckEditor *self)
{
  JsonObject *row = row_of (GTK_WIDGET (check));

  if (gtk_check_button_get_active (check))
    json_object_set_boolean_member (row, "secret", TRUE);
  else if (json_object_has_member (row, "secret"))
    json_object_remove_member (row, "secret");
  write_back (self);
}

static void
entry_changed_cb (GtkEditable      *entry,
                  SondeCheckEditor *self)
{
  JsonObject *row = row_of (GTK_WIDGET (entry));
  const char *field = g_object_get_data (G_OBJECT (entry), "sonde-field");
  const char *text = gtk_editable_get_text (entry);

  /* The target is a header or cookie name, or a JSONPath, by source. */
  if (g_str_equal (field, "target"))
    {
      const char *source = member_string (row, "source");

      field = g_strcmp0 (source, "jsonpath") == 0 ? "path" : "name";
    }
  set_or_remove (row, field, text);
  write_back (self);
}

static void
dropdown_changed_cb (GtkDropDown      *dropdown,
                     GParamSpec       *pspec,
                     SondeCheckEditor *self)
{
  JsonObject *row = row_of (GTK_WIDGET (dropdown));
  const char *field = g_object_get_data (G_OBJECT (dropdown), "sonde-field");
  const char * const *strings = g_str_equal (field, "op") ? operators : sources;
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == GTK_INVALID_LIST_POSITION)
    return;
  json_object_set_string_member (row, field, strings[selected]);
  /* A source without a name or path drops the other's. */
  if (g_str_equal (field, "source"))
    {
      if (!g_str_equal (strings[selected], "jsonpath") && json_object_has_member (row, "path"))
        json_object_remove_member (row, "path");
      if (!g_str_equal (strings[selected], "header") && !g_str_equal (strings[selected], "cookie") &&
          json_object_has_member (row, "name"))
        json_object_remove_member (row, "name");
    }
  update_row_widgets (gtk_widget_get_ancestor (GTK_WIDGET (dropdown), GTK_TYPE_BOX));
  write_back (self);
}

static void
remove_clicked_cb (GtkButton        *button,
                   SondeCheckEditor *self)
{
  GtkWidget *list_row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  g_ptr_array_remove (self->rows, g_object_get_data (G_OBJECT (list_row), "sonde-row"));
  gtk_list_box_remove (self->list, list_row);
  gtk_widget_set_visible (self->empty_label, self->rows->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->rows->len > 0);
  write_back (self);
}

/* What shows depends on the source (a name, a path or nothing) and the operator (a value or
 * not). */
static void
update_row_widgets (GtkWidget *box)
{
  GtkWidget *target = g_object_get_data (G_OBJECT (box), "sonde-target");
  GtkWidget *value = g_object_get_data (G_OBJECT (box), "sonde-value");
  JsonObject *row = row_of (box);
  const char *source = member_string (row, "source");
  const char *op = member_string (row, "op");
  gboolean named = g_strcmp0 (source, "header") == 0 || g_strcmp0 (source, "cookie") == 0;
  gboolean pathed = g_strcmp0 (source, "jsonpath") == 0;

  gtk_widget_set_visible (target, named || pathed);
  gtk_entry_set_placeholder_text (GTK_ENTRY (target), pathed ? _("$.path") : _("Name"));
  if (value != NULL)
    gtk_widget_set_visible (value, op == NULL ||
                                   !(g_str_has_prefix (op, "is") || g_str_equal (op, "exists") ||
                                     g_str_equal (op, "notExists")));
}

static GtkWidget *
new_dropdown (SondeCheckEditor   *self,
              const char * const *strings,
              const char         *field,
              const char         *current,
              const char         *label)
{
  GtkWidget *dropdown = gtk_drop_down_new_from_strings ((const char * const *) strings);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), index_of (strings, current));
  g_object_set_data (G_OBJECT (dropdown), "sonde-field", (gpointer) field);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (dropdown_changed_cb), self);
  return dropdown;
}

static GtkWidget *
new_entry (SondeCheckEditor *self,
           const char       *field,
           const char       *text,
           const char       *placeholder)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, placeholder, -1);
  g_object_set_data (G_OBJECT (entry), "sonde-field", (gpointer) field);
  g_signal_connect (entry, "changed", G_CALLBACK (entry_changed_cb), self);
  return entry;
}

static void
append_row (SondeCheckEditor *self,
            JsonObject       *row)
{
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *enabled = gtk_check_button_new ();
  GtkWidget *target;
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  JsonNode *enabled_node = json_object_get_member (row, "enabled");
  const char *source = member_string (row, "source");

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  g_object_set_data (G_OBJECT (list_row), "sonde-row", row);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  gtk_list_box_append (self->list, list_row);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (enabled),
                               enabled_node == NULL || !JSON_NODE_HOLDS_VALUE (enabled_node) ||
                               json_node_get_value_type (enabled_node) != G_TYPE_BOOLEAN ||
                               json_node_get_boolean (enabled_node));
  gtk_widget_set_tooltip_text (enabled, _("Use this row"));
  g_signal_connect (enabled, "toggled", G_CALLBACK (enabled_toggled_cb), self);
  gtk_box_append (GTK_BOX (box), enabled);

  if (self->mode == SONDE_CHECK_EDITOR_CAPTURES)
    gtk_box_append (GTK_BOX (box), new_entry (self, "variable", member_string (row, "variable"), _("Variable")));
  gtk_box_append (GTK_BOX (box), new_dropdown (self, sources, "source", source, _("Source")));
  target = new_entry (self, "target",
                      g_strcmp0 (source, "jsonpath") == 0 ? member_string (row, "path") : member_string (row, "name"),
                      _("Name"));
  g_object_set_data (G_OBJECT (box), "sonde-target", target);
  gtk_box_append (GTK_BOX (box), target);

  if (self->mode == SONDE_CHECK_EDITOR_CHECKS)
    {
      GtkWidget *value = new_entry (self, "value", member_string (row, "value"), _("Value"));

      gtk_box_append (GTK_BOX (box), new_dropdown (self, operators, "op", member_string (row, "op"), _("Operator")));
      g_object_set_data (G_OBJECT (box), "sonde-value", value);
      gtk_box_append (GTK_BOX (box), value);
    }
  else
    {
      GtkWidget *secret = gtk_check_button_new_with_label (_("Secret"));

      gtk_check_button_set_active (GTK_CHECK_BUTTON (secret), json_object_has_member (row, "secret") &&
                                                             json_object_get_boolean_member (row, "secret"));
      gtk_widget_set_tooltip_text (secret, _("Mask the captured value wherever it is shown"));
      g_signal_connect (secret, "toggled", G_CALLBACK (secret_toggled_cb), self);
      gtk_box_append (GTK_BOX (box), secret);
    }

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove this row"));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), remove);

  update_row_widgets (box);
  gtk_widget_set_visible (self->empty_label, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->list), TRUE);
}

static void
rebuild (SondeCheckEditor *self)
{
  GtkWidget *child;
  JsonObject *extra = self->request != NULL ? sonde_request_get_extra (self->request) : NULL;
  JsonNode *member = extra != NULL ? json_object_get_member (extra, key_of (self)) : NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->rows, 0);

  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *array = json_node_get_array (member);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          /* Rows are copied: the file's own stay as they were until an edit. */
          if (JSON_NODE_HOLDS_OBJECT (element))
            {
              g_autoptr(JsonNode) copy = json_node_copy (element);
              JsonObject *row = json_object_ref (json_node_get_object (copy));

              g_ptr_array_add (self->rows, row);
              append_row (self, row);
            }
        }
    }
  gtk_widget_set_visible (self->empty_label, self->rows->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->rows->len > 0);
}

/* Rows are built again only when the kept keys were replaced by someone else (a reload). */
static void
request_changed_cb (SondeCheckEditor *self)
{
  if (!self->updating && sonde_request_get_extra (self->request) != self->shown)
    rebuild (self);
  self->shown = sonde_request_get_extra (self->request);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SondeCheckEditor *self = SONDE_CHECK_EDITOR (widget);
  JsonObject *row = json_object_new ();

  if (self->request == NULL)
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
  g_ptr_array_add (self->rows, row);
  append_row (self, row);
  write_back (self);
}

static void
sonde_check_editor_dispose (GObject *object)
{
  SondeCheckEditor *self = SONDE_CHECK_EDITOR (object);

  if (self->request != NULL)
    g_signal_handlers_disconnect_by_data (self->request, self);
  g_clear_object (&self->request);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

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
}

static void
sonde_check_editor_init (SondeCheckEditor *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *add = gtk_button_new ();

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->box = scrolled;
  gtk_widget_set_parent (scrolled, GTK_WIDGET (self));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_set_margin_start (inner, 12);
  gtk_widget_set_margin_end (inner, 12);
  gtk_widget_set_margin_top (inner, 12);
  gtk_widget_set_margin_bottom (inner, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), inner);

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
  g_object_set_data (G_OBJECT (self), "sonde-add-button", add);
}

GtkWidget *
sonde_check_editor_new (SondeCheckEditorMode mode)
{
  SondeCheckEditor *self = g_object_new (SONDE_TYPE_CHECK_EDITOR, NULL);
  GtkWidget *add = g_object_get_data (G_OBJECT (self), "sonde-add-button");

  self->mode = mode;
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

  if (self->request == request)
    return;
  if (self->request != NULL)
    g_signal_handlers_disconnect_by_data (self->request, self);
  g_set_object (&self->request, request);
  if (request != NULL)
    g_signal_connect_swapped (request, "changed", G_CALLBACK (request_changed_cb), self);
  rebuild (self);
  self->shown = request != NULL ? sonde_request_get_extra (request) : NULL;
}

GtkListBox *
sonde_check_editor_get_list (SondeCheckEditor *self)
{
  return self->list;
}
