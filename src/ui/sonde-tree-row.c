/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-tree-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-tree-row.h"

struct _SondeTreeRow
{
  GtkBox               parent_instance;

  SondeCollectionNode *node;

  GtkImage            *icon;
  GtkLabel            *method;
  GtkLabel            *name;
};

G_DEFINE_FINAL_TYPE (SondeTreeRow, sonde_tree_row, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_NODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (SondeTreeRow *self)
{
  GtkWidget *icon = GTK_WIDGET (self->icon);
  GtkWidget *method = GTK_WIDGET (self->method);
  const GError *error;
  SondeRequest *request;
  g_autofree char *path = NULL;

  if (self->node == NULL)
    return;

  error = sonde_collection_node_get_error (self->node);
  request = sonde_collection_node_get_request (self->node);
  path = sonde_collection_node_dup_path (self->node);

  gtk_label_set_label (self->name, sonde_collection_node_get_name (self->node));
  if (error != NULL)
    {
      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_visible (icon, TRUE);
      gtk_widget_set_visible (method, FALSE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), error->message);
      return;
    }

  gtk_widget_remove_css_class (icon, "warning");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), path);
  if (sonde_collection_node_get_kind (self->node) == SONDE_COLLECTION_NODE_FOLDER)
    {
      gtk_image_set_from_icon_name (self->icon, "folder-symbolic");
      gtk_widget_set_visible (icon, TRUE);
      gtk_widget_set_visible (method, FALSE);
    }
  else
    {
      const char *verb = request != NULL ? sonde_request_get_method (request) : NULL;

      /* Translators: in the sidebar, for a WebSocket request (short, like GET) */
      if (request != NULL && sonde_request_is_websocket (request))
        verb = C_("method", "WS");
      gtk_widget_set_visible (icon, FALSE);
      gtk_label_set_label (self->method, verb != NULL ? verb : "GET");
      gtk_widget_set_visible (method, TRUE);
    }
}

static void
sonde_tree_row_dispose (GObject *object)
{
  SondeTreeRow *self = SONDE_TREE_ROW (object);

  sonde_tree_row_set_node (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_TREE_ROW);

  G_OBJECT_CLASS (sonde_tree_row_parent_class)->dispose (object);
}

static void
sonde_tree_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SondeTreeRow *self = SONDE_TREE_ROW (object);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_object (value, self->node);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_tree_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SondeTreeRow *self = SONDE_TREE_ROW (object);

  switch (prop_id)
    {
    case PROP_NODE:
      sonde_tree_row_set_node (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_tree_row_class_init (SondeTreeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_tree_row_dispose;
  object_class->get_property = sonde_tree_row_get_property;
  object_class->set_property = sonde_tree_row_set_property;

  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, SONDE_TYPE_COLLECTION_NODE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-tree-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeTreeRow, icon);
  gtk_widget_class_bind_template_child (widget_class, SondeTreeRow, method);
  gtk_widget_class_bind_template_child (widget_class, SondeTreeRow, name);
}

static void
sonde_tree_row_init (SondeTreeRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sonde_tree_row_new (void)
{
  return g_object_new (SONDE_TYPE_TREE_ROW, NULL);
}

SondeCollectionNode *
sonde_tree_row_get_node (SondeTreeRow *self)
{
  g_return_val_if_fail (SONDE_IS_TREE_ROW (self), NULL);

  return self->node;
}

void
sonde_tree_row_set_node (SondeTreeRow        *self,
                         SondeCollectionNode *node)
{
  g_return_if_fail (SONDE_IS_TREE_ROW (self));
  g_return_if_fail (node == NULL || SONDE_IS_COLLECTION_NODE (node));

  if (self->node == node)
    return;

  if (self->node != NULL)
    g_signal_handlers_disconnect_by_func (self->node, update, self);
  g_set_object (&self->node, node);
  if (node != NULL)
    {
      g_signal_connect_swapped (node, "notify", G_CALLBACK (update), self);
      update (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NODE]);
}
