/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-key-value-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-error.h"
#include "sonde-key-value-editor.h"
#include "sonde-key-value.h"
#include "sonde-request.h"
#include "sonde-secret-heuristics.h"

/* One row of the editor. ITEM is NULL for the trailing empty row. */
#define SONDE_TYPE_KEY_VALUE_ROW (sonde_key_value_row_get_type ())
G_DECLARE_FINAL_TYPE (SondeKeyValueRow, sonde_key_value_row, SONDE, KEY_VALUE_ROW, GtkListBoxRow)

struct _SondeKeyValueRow
{
  GtkListBoxRow parent_instance;

  /* Borrowed: children */
  GtkCheckButton *enabled_check;
  GtkEntry *name_entry;
  GtkEntry *value_entry;
  GtkButton *secret_button;
  GtkToggleButton *sensitive_button;
  GtkButton *delete_button;

  /* Owned */
  SondeKeyValue *item;
  GBinding *bindings[4];
};

G_DEFINE_FINAL_TYPE (SondeKeyValueRow, sonde_key_value_row, GTK_TYPE_LIST_BOX_ROW)

struct _SondeKeyValueEditor
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkListBox *list_box;

  /* Owned */
  GListStore *model;
  GtkListStore *completions;
  GtkListStore *value_completions;
  SondeVariableScope *scope;
  char *name_label;
  char *value_label;

  /* Borrowed: the empty row being turned into a real one while its item is appended */
  SondeKeyValueRow *promoting;

  gulong items_changed_id;
  /* The rows are built when the editor is shown (or a row is asked for), once, however many
   * settings change before: an editor in a tab never opened builds none, and setting up the
   * Headers editor (labels, completions, scope, model) no longer builds its rows six times. */
  guint rows_stale : 1;
  guint validate_headers : 1;
  guint warn_secrets : 1;
};

G_DEFINE_FINAL_TYPE (SondeKeyValueEditor, sonde_key_value_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_NAME_LABEL,
  PROP_VALUE_LABEL,
  PROP_VALIDATE_HEADERS,
  PROP_WARN_SECRETS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MAKE_SECRET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void validate_row (SondeKeyValueEditor *self,
                          SondeKeyValueRow    *row);

static void
sonde_key_value_row_unbind (SondeKeyValueRow *row)
{
  for (guint i = 0; i < G_N_ELEMENTS (row->bindings); i++)
    if (row->bindings[i] != NULL)
      {
        g_binding_unbind (row->bindings[i]);
        row->bindings[i] = NULL;
      }
  g_clear_object (&row->item);
}

static void
sonde_key_value_row_dispose (GObject *object)
{
  SondeKeyValueRow *row = SONDE_KEY_VALUE_ROW (object);

  sonde_key_value_row_unbind (row);

  G_OBJECT_CLASS (sonde_key_value_row_parent_class)->dispose (object);
}

static void
sonde_key_value_row_class_init (SondeKeyValueRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sonde_key_value_row_dispose;
}

static void
sonde_key_value_row_init (SondeKeyValueRow *row)
{
}

static void
set_field_problem (GtkWidget  *widget,
                   const char *problem)
{
  if (problem != NULL)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  gtk_widget_set_tooltip_text (widget, problem);
}

static void
validate_row (SondeKeyValueEditor *self,
              SondeKeyValueRow    *row)
{
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) value_error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (row->name_entry));
  const char *value = gtk_editable_get_text (GTK_EDITABLE (row->value_entry));

  if (self->validate_headers && row->item != NULL)
    {
      /* Names holding {{variables}} are checked after expansion, when sending. */
      if (*name == '\0' && *value != '\0')
        name_error = g_error_new_literal (SONDE_REQUEST_ERROR, SONDE_REQUEST_ERROR_INVALID_HEADER,
                                          _("The header name is empty"));
      else if (*name != '\0' && strstr (name, "{{") == NULL)
        sonde_validate_header_name (name, &name_error);

      if (name_error == NULL)
        sonde_validate_header_value (name, value, &value_error);
    }

  set_field_problem (GTK_WIDGET (row->name_entry), name_error ? name_error->message : NULL);
  set_field_problem (GTK_WIDGET (row->value_entry), value_error ? value_error->message : NULL);

  gtk_widget_set_visible (GTK_WIDGET (row->secret_button),
                          self->warn_secrets && row->item != NULL &&
                          sonde_looks_like_secret (name, value));
}

static void
update_row_dimming (SondeKeyValueRow *row)
{
  gboolean active = row->item == NULL || gtk_check_button_get_active (row->enabled_check);

  gtk_widget_set_opacity (GTK_WIDGET (row->name_entry), active ? 1.0 : 0.55);
  gtk_widget_set_opacity (GTK_WIDGET (row->value_entry), active ? 1.0 : 0.55);
}

static void
sonde_key_value_row_bind (SondeKeyValueEditor *self,
                          SondeKeyValueRow    *row,
                          SondeKeyValue       *item)
{
  g_assert (row->item == NULL);

  row->item = g_object_ref (item);
  row->bindings[0] = g_object_bind_property (item, "enabled", row->enabled_check, "active",
                                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  row->bindings[1] = g_object_bind_property (item, "name", row->name_entry, "text",
                                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  row->bindings[2] = g_object_bind_property (item, "value", row->value_entry, "text",
                                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  row->bindings[3] = g_object_bind_property (item, "sensitive", row->sensitive_button, "active",
                                             G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_widget_set_sensitive (GTK_WIDGET (row->sensitive_button), TRUE);

  gtk_widget_set_sensitive (GTK_WIDGET (row->enabled_check), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (row->delete_button), TRUE);
  gtk_widget_set_opacity (GTK_WIDGET (row->enabled_check), 1.0);
  gtk_widget_set_opacity (GTK_WIDGET (row->delete_button), 1.0);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "new-row");
  update_row_dimming (row);
  validate_row (self, row);
}

static void
row_entry_changed_cb (SondeKeyValueEditor *self,
                      GtkEditable         *editable)
{
  GtkWidget *widget = gtk_widget_get_ancestor (GTK_WIDGET (editable), SONDE_TYPE_KEY_VALUE_ROW);
  SondeKeyValueRow *row = SONDE_KEY_VALUE_ROW (widget);
  g_autoptr(SondeKeyValue) item = NULL;

  if (row->item != NULL || self->model == NULL)
    {
      validate_row (self, row);
      return;
    }

  if (*gtk_editable_get_text (editable) == '\0')
    return;

  /* Typing in the trailing empty row: it becomes the row of a new item, and a new empty
   * row appears below it (see items_changed_cb). */
  item = sonde_key_value_new (gtk_editable_get_text (GTK_EDITABLE (row->name_entry)),
                              gtk_editable_get_text (GTK_EDITABLE (row->value_entry)),
                              TRUE);
  self->promoting = row;
  g_list_store_append (self->model, item);
  self->promoting = NULL;
}

static void
row_secret_clicked_cb (SondeKeyValueEditor *self,
                       GtkButton           *button)
{
  GtkWidget *widget = gtk_widget_get_ancestor (GTK_WIDGET (button), SONDE_TYPE_KEY_VALUE_ROW);
  SondeKeyValueRow *row = SONDE_KEY_VALUE_ROW (widget);
  guint position;

  if (row->item != NULL && self->model != NULL &&
      g_list_store_find (self->model, row->item, &position))
    g_signal_emit (self, signals[MAKE_SECRET], 0, position);
}

static GtkButton *
create_secret_button (void)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_box_append (GTK_BOX (box), gtk_label_new (_("Make Secret…")));
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "warning");
  gtk_widget_set_tooltip_text (button,
                               _("This looks like a token or password, and the request is shared with "
                                 "everyone who gets the collection. Store it as a secret variable instead."));
  gtk_widget_set_visible (button, FALSE);
  return GTK_BUTTON (button);
}

static void
row_enabled_toggled_cb (GtkCheckButton *check,
                        GParamSpec     *pspec,
                        gpointer        user_data)
{
  GtkWidget *widget = gtk_widget_get_ancestor (GTK_WIDGET (check), SONDE_TYPE_KEY_VALUE_ROW);

  if (widget != NULL)
    update_row_dimming (SONDE_KEY_VALUE_ROW (widget));
}

static void
row_delete_clicked_cb (SondeKeyValueEditor *self,
                       GtkButton           *button)
{
  GtkWidget *widget = gtk_widget_get_ancestor (GTK_WIDGET (button), SONDE_TYPE_KEY_VALUE_ROW);
  SondeKeyValueRow *row = SONDE_KEY_VALUE_ROW (widget);
  guint position;

  if (row->item == NULL || self->model == NULL)
    return;

  if (g_list_store_find (self->model, row->item, &position))
    g_list_store_remove (self->model, position);
}

/* Enter moves on like a spreadsheet: name → value → next row's name. */
static void
row_name_activate_cb (GtkEntry *entry,
                      gpointer  user_data)
{
  GtkWidget *widget = gtk_widget_get_ancestor (GTK_WIDGET (entry), SONDE_TYPE_KEY_VALUE_ROW);

  gtk_widget_grab_focus (GTK_WIDGET (SONDE_KEY_VALUE_ROW (widget)->value_entry));
}

static void
row_value_activate_cb (GtkEntry *entry,
                       gpointer  user_data)
{
  GtkWidget *widget = gtk_widget_get_ancestor (GTK_WIDGET (entry), SONDE_TYPE_KEY_VALUE_ROW);
  GtkWidget *next = gtk_widget_get_next_sibling (widget);

  if (next != NULL && SONDE_IS_KEY_VALUE_ROW (next))
    gtk_widget_grab_focus (GTK_WIDGET (SONDE_KEY_VALUE_ROW (next)->name_entry));
}

static void
attach_completion (GtkEntry     *entry,
                   GtkListStore *model)
{
  GtkEntryCompletion *completion;

  if (model == NULL)
    return;

  completion = gtk_entry_completion_new ();
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (model));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_minimum_key_length (completion, 1);
  gtk_entry_completion_set_popup_single_match (completion, FALSE);
  gtk_entry_set_completion (entry, completion);
  g_object_unref (completion);
}

static GtkListStore *
completion_model_new (const char * const *strings)
{
  GtkListStore *model;

  if (strings == NULL)
    return NULL;

  model = gtk_list_store_new (1, G_TYPE_STRING);
  for (guint i = 0; strings[i] != NULL; i++)
    gtk_list_store_insert_with_values (model, NULL, -1, 0, strings[i], -1);
  return model;
}

static SondeKeyValueRow *
create_row (SondeKeyValueEditor *self)
{
  SondeKeyValueRow *row = g_object_new (SONDE_TYPE_KEY_VALUE_ROW,
                                        "activatable", FALSE,
                                        "selectable", FALSE,
                                        NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_add_css_class (GTK_WIDGET (row), "new-row");
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);

  row->enabled_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_check_button_set_active (row->enabled_check, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (row->enabled_check), FALSE);
  gtk_widget_set_opacity (GTK_WIDGET (row->enabled_check), 0.0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->enabled_check), _("Send this row"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->enabled_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Enabled"), -1);
  g_signal_connect (row->enabled_check, "notify::active", G_CALLBACK (row_enabled_toggled_cb), NULL);

  row->name_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (row->name_entry), TRUE);
  gtk_entry_set_placeholder_text (row->name_entry, self->name_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->name_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->name_label, -1);
  g_signal_connect_object (row->name_entry, "changed", G_CALLBACK (row_entry_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (row->name_entry, "activate", G_CALLBACK (row_name_activate_cb), NULL);

  row->value_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (row->value_entry), TRUE);
  gtk_entry_set_placeholder_text (row->value_entry, self->value_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->value_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->value_label, -1);
  g_signal_connect_object (row->value_entry, "changed", G_CALLBACK (row_entry_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (row->value_entry, "activate", G_CALLBACK (row_value_activate_cb), NULL);
  sonde_variable_highlight_editable (GTK_EDITABLE (row->name_entry), self->scope);
  sonde_variable_highlight_editable (GTK_EDITABLE (row->value_entry), self->scope);

  row->secret_button = create_secret_button ();
  g_signal_connect_object (row->secret_button, "clicked", G_CALLBACK (row_secret_clicked_cb),
                           self, G_CONNECT_SWAPPED);

  /* Headers only: keep this one to the request's own origin (docs/security.md). */
  row->sensitive_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
  gtk_button_set_icon_name (GTK_BUTTON (row->sensitive_button), "channel-secure-symbolic");
  gtk_widget_add_css_class (GTK_WIDGET (row->sensitive_button), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->sensitive_button),
                               _("Sensitive: never sent to another site after a redirect"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->sensitive_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sensitive"), -1);
  gtk_widget_set_visible (GTK_WIDGET (row->sensitive_button), self->validate_headers);
  gtk_widget_set_sensitive (GTK_WIDGET (row->sensitive_button), FALSE);

  row->delete_button = GTK_BUTTON (gtk_button_new_from_icon_name ("user-trash-symbolic"));
  gtk_widget_add_css_class (GTK_WIDGET (row->delete_button), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->delete_button), _("Remove Row"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove row"), -1);
  /* Hidden on the empty row, but keeping its width so the columns line up. */
  gtk_widget_set_sensitive (GTK_WIDGET (row->delete_button), FALSE);
  gtk_widget_set_opacity (GTK_WIDGET (row->delete_button), 0.0);
  g_signal_connect_object (row->delete_button, "clicked", G_CALLBACK (row_delete_clicked_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->enabled_check));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->name_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->value_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->secret_button));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->sensitive_button));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->delete_button));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  attach_completion (row->name_entry, self->completions);
  attach_completion (row->value_entry, self->value_completions);

  return row;
}

static void
append_empty_row (SondeKeyValueEditor *self)
{
  gtk_list_box_append (self->list_box, GTK_WIDGET (create_row (self)));
}

static void
items_changed_cb (SondeKeyValueEditor *self,
                  guint                position,
                  guint                removed,
                  guint                added,
                  GListModel          *model)
{
  if (self->rows_stale)
    return;

  for (guint i = 0; i < removed; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, position);

      if (row != NULL)
        gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
    }

  if (self->promoting != NULL && removed == 0 && added == 1 &&
      position + 1 == g_list_model_get_n_items (model))
    {
      g_autoptr(SondeKeyValue) item = g_list_model_get_item (model, position);

      sonde_key_value_row_bind (self, self->promoting, item);
      append_empty_row (self);
      return;
    }

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(SondeKeyValue) item = g_list_model_get_item (model, position + i);
      SondeKeyValueRow *row = create_row (self);

      gtk_list_box_insert (self->list_box, GTK_WIDGET (row), position + i);
      sonde_key_value_row_bind (self, row, item);
    }
}

static void
build_rows (SondeKeyValueEditor *self)
{
  GtkWidget *child;

  self->rows_stale = FALSE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  if (self->model != NULL)
    items_changed_cb (self, 0, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                      G_LIST_MODEL (self->model));
  append_empty_row (self);
}

static void
rebuild_rows (SondeKeyValueEditor *self)
{
  self->rows_stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    build_rows (self);
}

static void
ensure_rows (SondeKeyValueEditor *self)
{
  if (self->rows_stale)
    build_rows (self);
}

static void
sonde_key_value_editor_map (GtkWidget *widget)
{
  ensure_rows (SONDE_KEY_VALUE_EDITOR (widget));

  GTK_WIDGET_CLASS (sonde_key_value_editor_parent_class)->map (widget);
}

static void
sonde_key_value_editor_dispose (GObject *object)
{
  SondeKeyValueEditor *self = SONDE_KEY_VALUE_EDITOR (object);

  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_clear_object (&self->model);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_KEY_VALUE_EDITOR);

  G_OBJECT_CLASS (sonde_key_value_editor_parent_class)->dispose (object);
}

static void
sonde_key_value_editor_finalize (GObject *object)
{
  SondeKeyValueEditor *self = SONDE_KEY_VALUE_EDITOR (object);

  g_clear_object (&self->completions);
  g_clear_object (&self->value_completions);
  g_clear_object (&self->scope);
  g_clear_pointer (&self->name_label, g_free);
  g_clear_pointer (&self->value_label, g_free);

  G_OBJECT_CLASS (sonde_key_value_editor_parent_class)->finalize (object);
}

static void
sonde_key_value_editor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SondeKeyValueEditor *self = SONDE_KEY_VALUE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_NAME_LABEL:
      g_value_set_string (value, self->name_label);
      break;

    case PROP_VALUE_LABEL:
      g_value_set_string (value, self->value_label);
      break;

    case PROP_VALIDATE_HEADERS:
      g_value_set_boolean (value, self->validate_headers);
      break;

    case PROP_WARN_SECRETS:
      g_value_set_boolean (value, self->warn_secrets);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_key_value_editor_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SondeKeyValueEditor *self = SONDE_KEY_VALUE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      sonde_key_value_editor_set_model (self, g_value_get_object (value));
      break;

    case PROP_NAME_LABEL:
      g_free (self->name_label);
      self->name_label = g_value_dup_string (value);
      rebuild_rows (self);
      break;

    case PROP_VALUE_LABEL:
      g_free (self->value_label);
      self->value_label = g_value_dup_string (value);
      rebuild_rows (self);
      break;

    case PROP_VALIDATE_HEADERS:
      self->validate_headers = g_value_get_boolean (value);
      rebuild_rows (self);
      break;

    case PROP_WARN_SECRETS:
      sonde_key_value_editor_set_warn_secrets (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_key_value_editor_class_init (SondeKeyValueEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_key_value_editor_dispose;
  object_class->finalize = sonde_key_value_editor_finalize;
  object_class->get_property = sonde_key_value_editor_get_property;
  object_class->set_property = sonde_key_value_editor_set_property;
  widget_class->map = sonde_key_value_editor_map;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME_LABEL] =
    g_param_spec_string ("name-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE_LABEL] =
    g_param_spec_string ("value-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALIDATE_HEADERS] =
    g_param_spec_boolean ("validate-headers", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WARN_SECRETS] =
    g_param_spec_boolean ("warn-secrets", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MAKE_SECRET] =
    g_signal_new ("make-secret", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-key-value-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeKeyValueEditor, list_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sonde_key_value_editor_init (SondeKeyValueEditor *self)
{
  self->name_label = g_strdup (_("Name"));
  self->value_label = g_strdup (_("Value"));

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows_stale = TRUE;
}

GtkWidget *
sonde_key_value_editor_new (void)
{
  return g_object_new (SONDE_TYPE_KEY_VALUE_EDITOR, NULL);
}

GListStore *
sonde_key_value_editor_get_model (SondeKeyValueEditor *self)
{
  g_return_val_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self), NULL);

  return self->model;
}

void
sonde_key_value_editor_set_model (SondeKeyValueEditor *self,
                                  GListStore          *model)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self));
  g_return_if_fail (model == NULL || G_IS_LIST_STORE (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_set_object (&self->model, model);
  if (self->model != NULL)
    self->items_changed_id = g_signal_connect_object (self->model, "items-changed",
                                                      G_CALLBACK (items_changed_cb),
                                                      self, G_CONNECT_SWAPPED);
  rebuild_rows (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
sonde_key_value_editor_set_name_completions (SondeKeyValueEditor *self,
                                             const char * const  *names)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self));

  g_clear_object (&self->completions);
  self->completions = completion_model_new (names);
  rebuild_rows (self);
}

void
sonde_key_value_editor_set_value_completions (SondeKeyValueEditor *self,
                                              const char * const  *values)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self));

  g_clear_object (&self->value_completions);
  self->value_completions = completion_model_new (values);
  rebuild_rows (self);
}

static SondeKeyValueRow *
get_row (SondeKeyValueEditor *self,
         guint                position)
{
  GtkListBoxRow *row;

  ensure_rows (self);
  row = gtk_list_box_get_row_at_index (self->list_box, position);
  return row != NULL ? SONDE_KEY_VALUE_ROW (row) : NULL;
}

GtkEditable *
sonde_key_value_editor_get_name_entry (SondeKeyValueEditor *self,
                                       guint                position)
{
  SondeKeyValueRow *row;

  g_return_val_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self), NULL);

  row = get_row (self, position);
  return row != NULL ? GTK_EDITABLE (row->name_entry) : NULL;
}

GtkEditable *
sonde_key_value_editor_get_value_entry (SondeKeyValueEditor *self,
                                        guint                position)
{
  SondeKeyValueRow *row;

  g_return_val_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self), NULL);

  row = get_row (self, position);
  return row != NULL ? GTK_EDITABLE (row->value_entry) : NULL;
}

void
sonde_key_value_editor_set_variable_scope (SondeKeyValueEditor *self,
                                           SondeVariableScope  *scope)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self));
  g_return_if_fail (scope == NULL || SONDE_IS_VARIABLE_SCOPE (scope));

  if (!g_set_object (&self->scope, scope))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (SONDE_IS_KEY_VALUE_ROW (child))
      {
        sonde_variable_highlight_editable (GTK_EDITABLE (SONDE_KEY_VALUE_ROW (child)->name_entry), scope);
        sonde_variable_highlight_editable (GTK_EDITABLE (SONDE_KEY_VALUE_ROW (child)->value_entry), scope);
      }
}

gboolean
sonde_key_value_editor_get_warn_secrets (SondeKeyValueEditor *self)
{
  g_return_val_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self), FALSE);

  return self->warn_secrets;
}

void
sonde_key_value_editor_set_warn_secrets (SondeKeyValueEditor *self,
                                         gboolean             warn_secrets)
{
  g_return_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self));

  warn_secrets = !!warn_secrets;
  if (self->warn_secrets == warn_secrets)
    return;

  self->warn_secrets = warn_secrets;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (SONDE_IS_KEY_VALUE_ROW (child))
      validate_row (self, SONDE_KEY_VALUE_ROW (child));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARN_SECRETS]);
}

/* For tests. */
GtkWidget *
sonde_key_value_editor_get_secret_button (SondeKeyValueEditor *self,
                                          guint                position)
{
  SondeKeyValueRow *row;

  g_return_val_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self), NULL);

  row = get_row (self, position);
  return row != NULL ? GTK_WIDGET (row->secret_button) : NULL;
}

GtkToggleButton *
sonde_key_value_editor_get_sensitive_button (SondeKeyValueEditor *self,
                                             guint                position)
{
  SondeKeyValueRow *row;

  g_return_val_if_fail (SONDE_IS_KEY_VALUE_EDITOR (self), NULL);

  row = get_row (self, position);
  return row != NULL ? row->sensitive_button : NULL;
}
