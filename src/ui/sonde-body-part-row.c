/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-body-part-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-body-part-row.h"
#include "sonde-editor-utils.h"

struct _SondeBodyPartRow
{
  GtkListBoxRow   parent_instance;

  /* Owned; kept until finalize, for a file chooser still open when the row goes */
  SondeBodyPart  *part;
  SondeRequest   *request;

  /* Template widgets */
  GtkCheckButton *enabled_check;
  GtkEntry       *name_entry;
  GtkEntry       *value_entry;
  GtkWidget      *file_box;
  GtkButton      *file_button;
  GtkLabel       *file_info_label;
  GtkWidget      *options_button;
  GtkEntry       *filename_entry;
  GtkEntry       *content_type_entry;
};

G_DEFINE_FINAL_TYPE (SondeBodyPartRow, sonde_body_part_row, GTK_TYPE_LIST_BOX_ROW)

static gboolean
is_file_part (SondeBodyPartRow *self)
{
  return gtk_widget_get_visible (self->file_box);
}

static void
part_file_changed_cb (SondeBodyPartRow *self)
{
  const char *path = sonde_body_part_get_file (self->part);
  g_autofree char *basename = path != NULL && *path != '\0' ? g_path_get_basename (path) : NULL;

  gtk_button_set_label (self->file_button, basename != NULL ? basename : _("Choose File…"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_button), path);
  sonde_describe_file_async (self->request, path, self->file_info_label);
}

/* The chooser keeps the row alive, and the row its part and request, even if the row was
 * removed meanwhile. */
static void
file_chosen_cb (GFile    *file,
                gpointer  user_data)
{
  SondeBodyPartRow *self = user_data;
  g_autofree char *path = sonde_request_path_for_file (self->request, file);

  sonde_body_part_set_file (self->part, path);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sonde_choose_file (widget, _("Choose a File to Upload"), file_chosen_cb, widget);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeBodyPartRow *self = SONDE_BODY_PART_ROW (widget);
  SondeBody *body = sonde_request_get_body (self->request);
  guint position;

  if (body != NULL && g_list_store_find (sonde_body_get_parts (body), self->part, &position))
    g_list_store_remove (sonde_body_get_parts (body), position);
}

static void
sonde_body_part_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SONDE_TYPE_BODY_PART_ROW);

  G_OBJECT_CLASS (sonde_body_part_row_parent_class)->dispose (object);
}

static void
sonde_body_part_row_finalize (GObject *object)
{
  SondeBodyPartRow *self = SONDE_BODY_PART_ROW (object);

  g_clear_object (&self->part);
  g_clear_object (&self->request);

  G_OBJECT_CLASS (sonde_body_part_row_parent_class)->finalize (object);
}

static void
sonde_body_part_row_class_init (SondeBodyPartRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_body_part_row_dispose;
  object_class->finalize = sonde_body_part_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-body-part-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, enabled_check);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, value_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, file_box);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, file_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, file_info_label);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, options_button);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, filename_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeBodyPartRow, content_type_entry);

  gtk_widget_class_install_action (widget_class, "part.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "part.remove", NULL, remove_action);
}

static void
sonde_body_part_row_init (SondeBodyPartRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (self->file_button)), PANGO_ELLIPSIZE_MIDDLE);
}

GtkWidget *
sonde_body_part_row_new (SondeBodyPart *part,
                         SondeRequest  *request)
{
  SondeBodyPartRow *self;

  g_return_val_if_fail (SONDE_IS_BODY_PART (part), NULL);
  g_return_val_if_fail (SONDE_IS_REQUEST (request), NULL);

  self = g_object_new (SONDE_TYPE_BODY_PART_ROW, NULL);
  self->part = g_object_ref (part);
  self->request = g_object_ref (request);

  g_object_bind_property (part, "enabled", self->enabled_check, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  sonde_bind_string_property (part, "name", GTK_EDITABLE (self->name_entry));
  sonde_bind_string_property (part, "filename", GTK_EDITABLE (self->filename_entry));
  sonde_bind_string_property (part, "content-type", GTK_EDITABLE (self->content_type_entry));

  if (sonde_body_part_get_file (part) == NULL)
    {
      sonde_bind_string_property (part, "value", GTK_EDITABLE (self->value_entry));
      gtk_widget_set_visible (self->file_box, FALSE);

      /* Text parts have no options, but keep the column so that rows line up. */
      gtk_widget_set_opacity (self->options_button, 0);
      gtk_widget_set_sensitive (self->options_button, FALSE);
      gtk_widget_set_can_target (self->options_button, FALSE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->value_entry), FALSE);
      g_signal_connect_object (part, "notify::file", G_CALLBACK (part_file_changed_cb),
                               self, G_CONNECT_SWAPPED);
      part_file_changed_cb (self);
    }

  return GTK_WIDGET (self);
}

SondeBodyPart *
sonde_body_part_row_get_part (SondeBodyPartRow *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART_ROW (self), NULL);

  return self->part;
}

GtkWidget *
sonde_body_part_row_get_name_entry (SondeBodyPartRow *self)
{
  g_return_val_if_fail (SONDE_IS_BODY_PART_ROW (self), NULL);

  return GTK_WIDGET (self->name_entry);
}

void
sonde_body_part_row_set_variable_scope (SondeBodyPartRow   *self,
                                        SondeVariableScope *scope)
{
  g_return_if_fail (SONDE_IS_BODY_PART_ROW (self));

  sonde_variable_highlight_editable (GTK_EDITABLE (self->name_entry), scope);
  if (!is_file_part (self))
    sonde_variable_highlight_editable (GTK_EDITABLE (self->value_entry), scope);
}
