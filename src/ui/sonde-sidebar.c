/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-editor-utils.h"
#include "sonde-sidebar.h"
#include "sonde-tree-row.h"

struct _SondeSidebar
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkWidget *box;
  GtkStackSwitcher *switcher;
  GtkMenuButton *add_menu_button;
  GMenuModel *add_menu;
  GtkStack *page_stack;
  GtkStack *collection_stack;
  GtkSearchEntry *search_entry;
  GtkListView *list_view;
  GtkLabel *collection_label;

  /* Owned */
  SondeCollection *collection;
  GtkTreeListModel *tree;        /* expanded by the user */
  GtkTreeListModel *flat_tree;   /* everything expanded, while searching */
  GtkFilterListModel *filtered;
  GtkCustomFilter *filter;
  char *search;
};

G_DEFINE_FINAL_TYPE (SondeSidebar, sonde_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLLECTION,
  N_PROPS
};

enum {
  NODE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Takes MESSAGE; the window ("win.show-message") shows it as a toast. */
static void
show_message (SondeSidebar *self,
              char         *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-message", "s", message);
  g_free (message);
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  GListModel *children = sonde_collection_node_get_children (item);

  return children != NULL ? g_object_ref (children) : NULL;
}

static GtkTreeListModel *
tree_new (SondeCollection *collection,
          gboolean         autoexpand)
{
  GListModel *root = sonde_collection_node_get_children (sonde_collection_get_root (collection));

  return gtk_tree_list_model_new (g_object_ref (root), FALSE, autoexpand,
                                  create_children_cb, NULL, NULL);
}

/* Searching shows the matching requests of the whole tree, folders around them. */
static gboolean
filter_row_cb (gpointer item,
               gpointer user_data)
{
  SondeSidebar *self = user_data;
  SondeCollectionNode *node = gtk_tree_list_row_get_item (item);
  g_autofree char *name = NULL;
  gboolean matches;

  if (sonde_collection_node_get_kind (node) == SONDE_COLLECTION_NODE_FOLDER)
    {
      g_object_unref (node);
      return FALSE;
    }

  name = g_utf8_casefold (sonde_collection_node_get_name (node), -1);
  matches = self->search == NULL || strstr (name, self->search) != NULL;
  g_object_unref (node);
  return matches;
}

static void
update_model (SondeSidebar *self)
{
  GtkTreeListModel *tree = NULL;
  g_autoptr(GtkSingleSelection) selection = NULL;

  if (self->collection != NULL)
    {
      if (self->search != NULL)
        {
          if (self->flat_tree == NULL)
            self->flat_tree = tree_new (self->collection, TRUE);
          tree = self->flat_tree;
        }
      else
        tree = self->tree;
    }

  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (tree));
  gtk_filter_list_model_set_filter (self->filtered,
                                    self->search != NULL ? GTK_FILTER (self->filter) : NULL);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
search_changed_cb (SondeSidebar *self)
{
  sonde_sidebar_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
row_activated_cb (SondeSidebar *self,
                  guint         position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  g_autoptr(SondeCollectionNode) node = NULL;

  if (row == NULL)
    return;

  node = gtk_tree_list_row_get_item (row);
  if (sonde_collection_node_get_kind (node) == SONDE_COLLECTION_NODE_FOLDER)
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
  else
    g_signal_emit (self, signals[NODE_ACTIVATED], 0, node);
}

/* Rows */

static SondeCollectionNode *
row_node (GtkWidget *row_box)
{
  return sonde_tree_row_get_node (SONDE_TREE_ROW (row_box));
}

static GMenuModel *
build_row_menu (SondeCollectionNode *node)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) create = g_menu_new ();
  g_autoptr(GMenu) edit = g_menu_new ();
  g_autofree char *path = sonde_collection_node_dup_path (node);
  struct { GMenu *section; const char *label; const char *action; } items[] = {
    { create, N_("_Open"), "sidebar.open" },
    { create, N_("New _Request"), "sidebar.new-request" },
    { create, N_("New _Folder"), "sidebar.new-folder" },
    { create, N_("R_un Folder…"), "win.run-folder" },
    { edit, N_("Re_name…"), "sidebar.rename" },
    { edit, N_("D_uplicate"), "sidebar.duplicate" },
    { edit, N_("_Delete…"), "sidebar.delete" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (g_str_equal (items[i].action, "sidebar.open") &&
          sonde_collection_node_get_kind (node) != SONDE_COLLECTION_NODE_REQUEST)
        continue;
      if (g_str_equal (items[i].action, "win.run-folder") &&
          sonde_collection_node_get_kind (node) != SONDE_COLLECTION_NODE_FOLDER)
        continue;
      item = g_menu_item_new (_(items[i].label), NULL);
      g_menu_item_set_action_and_target_value (item, items[i].action, g_variant_new_string (path));
      g_menu_append_item (items[i].section, item);
    }

  g_menu_append_section (menu, NULL, G_MENU_MODEL (create));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
unparent_popover (gpointer popover)
{
  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  g_object_unref (popover);
}

/* After the menu's action ran. */
static void
popover_closed_cb (GtkPopover *popover)
{
  g_idle_add_once (unparent_popover, g_object_ref (popover));
}

static void
popup_row_menu (GtkWidget *row_box,
                double     x,
                double     y)
{
  SondeCollectionNode *node = row_node (row_box);
  g_autoptr(GMenuModel) menu = NULL;
  GtkWidget *popover;

  if (node == NULL)
    return;

  menu = build_row_menu (node);
  popover = gtk_popover_menu_new_from_model (menu);
  gtk_widget_set_parent (popover, row_box);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  g_signal_connect (popover, "closed", G_CALLBACK (popover_closed_cb), NULL);
  if (x >= 0)
    gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { x, y, 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (popover), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkWidget       *row_box)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_row_menu (row_box, x, y);
}

/* Shift+F10 or the Menu key on the focused row. */
static gboolean
menu_key_cb (GtkWidget *list_view,
             GVariant  *args,
             gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (list_view);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (; focus != NULL && focus != list_view; focus = gtk_widget_get_parent (focus))
    {
      GtkWidget *child = gtk_widget_get_first_child (focus);
      GtkWidget *box = GTK_IS_TREE_EXPANDER (child) ? gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child)) : NULL;

      if (box != NULL)
        {
          popup_row_menu (box, -1, -1);
          return TRUE;
        }
    }

  return FALSE;
}

/* Drag and drop: a row carries its node; dropping on a folder moves into it, on a request
 * moves before it. */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *row_box)
{
  SondeCollectionNode *node = row_node (row_box);

  if (node == NULL || sonde_collection_node_get_error (node) != NULL)
    return NULL;

  return gdk_content_provider_new_typed (SONDE_TYPE_COLLECTION_NODE, node);
}

static gboolean
is_inside (SondeCollectionNode *node,
           SondeCollectionNode *ancestor)
{
  for (; node != NULL; node = sonde_collection_node_get_parent (node))
    if (node == ancestor)
      return TRUE;
  return FALSE;
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GtkWidget     *row_box)
{
  GtkWidget *sidebar = gtk_widget_get_ancestor (row_box, SONDE_TYPE_SIDEBAR);
  SondeCollectionNode *onto = row_node (row_box);

  if (sidebar == NULL || onto == NULL)
    return FALSE;

  return sonde_sidebar_drop_node (SONDE_SIDEBAR (sidebar), g_value_get_object (value), onto);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SondeSidebar             *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = sonde_tree_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (SONDE_TYPE_COLLECTION_NODE, GDK_ACTION_MOVE);

  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (row_pressed_cb), box);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), box);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), box);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (drop));
}

static SondeTreeRow *
item_row (GtkListItem *item)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (item));

  return SONDE_TREE_ROW (gtk_tree_expander_get_child (expander));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SondeSidebar             *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(SondeCollectionNode) node = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (item)), row);
  sonde_tree_row_set_node (item_row (item), node);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SondeSidebar             *self)
{
  sonde_tree_row_set_node (item_row (item), NULL);
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (item)), NULL);
}

/* Actions */

static SondeCollectionNode *
node_from_parameter (SondeSidebar *self,
                     GVariant     *parameter)
{
  if (self->collection == NULL || parameter == NULL)
    return NULL;

  return sonde_sidebar_find_node (self, g_variant_get_string (parameter, NULL));
}

static SondeCollectionNode *
folder_for (SondeCollectionNode *node)
{
  if (sonde_collection_node_get_kind (node) == SONDE_COLLECTION_NODE_FOLDER)
    return node;
  return sonde_collection_node_get_parent (node);
}

typedef enum
{
  ASK_NEW_REQUEST,
  ASK_NEW_FOLDER,
  ASK_RENAME,
} AskKind;

typedef struct
{
  SondeSidebar *self;
  SondeCollectionNode *node;
  AskKind kind;
} AskData;

static void
ask_data_free (AskData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->node);
  g_free (data);
}

static void
change_failed (SondeSidebar *self,
               const GError *error)
{
  show_message (self, g_strdup_printf (_("The change could not be made: %s"), error->message));
}

static void
request_created_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SondeSidebar) self = user_data;
  g_autoptr(GError) error = NULL;
  SondeCollectionNode *created = sonde_collection_create_request_finish (SONDE_COLLECTION (object), result, &error);

  if (created != NULL)
    g_signal_emit (self, signals[NODE_ACTIVATED], 0, created);
  else
    change_failed (self, error);
}

static void
folder_created_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SondeSidebar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sonde_collection_create_folder_finish (SONDE_COLLECTION (object), result, &error) == NULL)
    change_failed (self, error);
}

static void
renamed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SondeSidebar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_collection_rename_finish (SONDE_COLLECTION (object), result, &error))
    change_failed (self, error);
}

static void
name_dialog_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         AskData          *data)
{
  SondeSidebar *self = data->self;
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "ok") != 0 || *name == '\0' || self->collection == NULL)
    return;

  switch (data->kind)
    {
    case ASK_NEW_REQUEST:
      sonde_collection_create_request_async (self->collection, data->node, name, NULL, request_created_cb,
                                             g_object_ref (self));
      break;

    case ASK_NEW_FOLDER:
      sonde_collection_create_folder_async (self->collection, data->node, name, NULL, folder_created_cb,
                                            g_object_ref (self));
      break;

    case ASK_RENAME:
      sonde_collection_rename_async (self->collection, data->node, name, NULL, renamed_cb, g_object_ref (self));
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
entry_activated_cb (GtkEntry         *entry,
                    AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "ok");
}

static void
ask_name (SondeSidebar        *self,
          SondeCollectionNode *node,
          AskKind              kind)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *owned_heading = NULL;
  const char *heading, *ok;
  GtkWidget *dialog, *entry;
  AskData *data;

  switch (kind)
    {
    case ASK_NEW_REQUEST:
      heading = _("New Request");
      ok = _("_Create");
      break;
    case ASK_NEW_FOLDER:
      heading = _("New Folder");
      ok = _("_Create");
      break;
    case ASK_RENAME:
    default:
      heading = owned_heading = g_strdup_printf (_("Rename “%s”"), sonde_collection_node_get_name (node));
      ok = _("_Rename");
      break;
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, NULL);
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  if (kind == ASK_RENAME)
    gtk_editable_set_text (GTK_EDITABLE (entry), sonde_collection_node_get_name (node));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", ok,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (entry, "activate", G_CALLBACK (entry_activated_cb), dialog);

  data = g_new0 (AskData, 1);
  data->self = g_object_ref (self);
  data->node = g_object_ref (kind == ASK_RENAME ? node : folder_for (node));
  data->kind = kind;
  g_signal_connect_data (dialog, "response", G_CALLBACK (name_dialog_response_cb), data,
                         (GClosureNotify) ask_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
new_request_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SondeSidebar *self = SONDE_SIDEBAR (widget);
  SondeCollectionNode *node = node_from_parameter (self, parameter);

  if (node != NULL)
    ask_name (self, node, ASK_NEW_REQUEST);
}

static void
new_folder_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SondeSidebar *self = SONDE_SIDEBAR (widget);
  SondeCollectionNode *node = node_from_parameter (self, parameter);

  if (node != NULL)
    ask_name (self, node, ASK_NEW_FOLDER);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeSidebar *self = SONDE_SIDEBAR (widget);
  SondeCollectionNode *node = node_from_parameter (self, parameter);

  if (node != NULL && sonde_collection_node_get_parent (node) != NULL)
    ask_name (self, node, ASK_RENAME);
}

static void
duplicated_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SondeSidebar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sonde_collection_duplicate_finish (SONDE_COLLECTION (object), result, &error) == NULL)
    show_message (self, g_strdup_printf (_("Could not duplicate: %s"), error->message));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SondeSidebar *self = SONDE_SIDEBAR (widget);
  SondeCollectionNode *node = node_from_parameter (self, parameter);

  if (node == NULL || sonde_collection_node_get_parent (node) == NULL)
    return;

  sonde_collection_duplicate_async (self->collection, node, NULL, duplicated_cb, g_object_ref (self));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SondeSidebar *self = SONDE_SIDEBAR (widget);
  SondeCollectionNode *node = node_from_parameter (self, parameter);

  if (node != NULL && sonde_collection_node_get_kind (node) == SONDE_COLLECTION_NODE_REQUEST)
    g_signal_emit (self, signals[NODE_ACTIVATED], 0, node);
}

/* Deleting moves the files to the trash, so a mistake can be undone from the file manager;
 * the collection then reads the folder again. Where there is no trash, the user is asked
 * again before anything is deleted for good. */
static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SondeSidebar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_collection_remove_finish (SONDE_COLLECTION (object), result, &error))
    show_message (self, g_strdup_printf (_("Could not delete: %s"), error->message));
}

static void
permanent_delete_response_cb (AdwMessageDialog *dialog,
                              const char       *response,
                              AskData          *data)
{
  if (g_strcmp0 (response, "delete") != 0 || data->self->collection == NULL ||
      sonde_collection_node_get_parent (data->node) == NULL)
    return;

  sonde_collection_remove_async (data->self->collection, data->node, FALSE, NULL, deleted_cb,
                                 g_object_ref (data->self));
}

static void
ask_permanent_delete (SondeSidebar        *self,
                      SondeCollectionNode *node,
                      const char          *reason)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = g_strdup_printf (_("It cannot be moved to the trash: %s"), reason);
  GtkWidget *dialog;
  AskData *data;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Permanently?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("Delete _Permanently"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (AskData, 1);
  data->self = g_object_ref (self);
  data->node = g_object_ref (node);
  g_signal_connect_data (dialog, "response", G_CALLBACK (permanent_delete_response_cb), data,
                         (GClosureNotify) ask_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
trashed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AskData *data = user_data;
  g_autoptr(GError) error = NULL;

  /* No trash there (another file system, no permission): ask before deleting for good. */
  if (!sonde_collection_remove_finish (SONDE_COLLECTION (object), result, &error) &&
      sonde_collection_node_get_parent (data->node) != NULL)
    ask_permanent_delete (data->self, data->node, error->message);
  ask_data_free (data);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    AskData          *data)
{
  AskData *trash;

  if (g_strcmp0 (response, "delete") != 0 || data->self->collection == NULL ||
      sonde_collection_node_get_parent (data->node) == NULL)
    return;

  trash = g_new0 (AskData, 1);
  trash->self = g_object_ref (data->self);
  trash->node = g_object_ref (data->node);
  sonde_collection_remove_async (data->self->collection, data->node, TRUE, NULL, trashed_cb, trash);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SondeSidebar *self = SONDE_SIDEBAR (widget);
  SondeCollectionNode *node = node_from_parameter (self, parameter);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  AskData *data;

  if (node == NULL || sonde_collection_node_get_parent (node) == NULL)
    return;

  heading = g_strdup_printf (_("Delete “%s”?"), sonde_collection_node_get_name (node));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   sonde_collection_node_get_kind (node) == SONDE_COLLECTION_NODE_FOLDER
                                   ? _("The folder and every request in it move to the trash.")
                                   : _("The request file moves to the trash."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (AskData, 1);
  data->self = g_object_ref (self);
  data->node = g_object_ref (node);
  g_signal_connect_data (dialog, "response", G_CALLBACK (delete_response_cb), data,
                         (GClosureNotify) ask_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
sonde_sidebar_dispose (GObject *object)
{
  SondeSidebar *self = SONDE_SIDEBAR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_SIDEBAR);

  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->tree);
  g_clear_object (&self->flat_tree);
  g_clear_object (&self->collection);

  G_OBJECT_CLASS (sonde_sidebar_parent_class)->dispose (object);
}

static void
sonde_sidebar_finalize (GObject *object)
{
  SondeSidebar *self = SONDE_SIDEBAR (object);

  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (sonde_sidebar_parent_class)->finalize (object);
}

static void
sonde_sidebar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SondeSidebar *self = SONDE_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_sidebar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SondeSidebar *self = SONDE_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      sonde_sidebar_set_collection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_sidebar_class_init (SondeSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sonde_sidebar_dispose;
  object_class->finalize = sonde_sidebar_finalize;
  object_class->get_property = sonde_sidebar_get_property;
  object_class->set_property = sonde_sidebar_set_property;

  properties[PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL, SONDE_TYPE_COLLECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SONDE_TYPE_COLLECTION_NODE);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, box);
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, switcher);
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, add_menu_button);
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, add_menu);
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, page_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, collection_stack);
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, SondeSidebar, collection_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "sidebar.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "sidebar.new-request", "s", new_request_action);
  gtk_widget_class_install_action (widget_class, "sidebar.new-folder", "s", new_folder_action);
  gtk_widget_class_install_action (widget_class, "sidebar.rename", "s", rename_action);
  gtk_widget_class_install_action (widget_class, "sidebar.duplicate", "s", duplicate_action);
  gtk_widget_class_install_action (widget_class, "sidebar.delete", "s", delete_action);
}

static void
sonde_sidebar_init (SondeSidebar *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  sonde_menu_button_set_menu_later (self->add_menu_button, self->add_menu);

  self->filter = gtk_custom_filter_new (filter_row_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)))));
  gtk_stack_set_visible_child_name (self->collection_stack, "empty");

  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_Menu, 0)),
                                                          gtk_callback_action_new (menu_key_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), keys);
}

GtkWidget *
sonde_sidebar_new (void)
{
  return g_object_new (SONDE_TYPE_SIDEBAR, NULL);
}

SondeCollection *
sonde_sidebar_get_collection (SondeSidebar *self)
{
  g_return_val_if_fail (SONDE_IS_SIDEBAR (self), NULL);

  return self->collection;
}

/* The collection's name heads its tree; its folder is in the tooltip */
static void
update_collection_label (SondeSidebar *self)
{
  g_autofree char *folder = NULL;

  if (self->collection == NULL)
    {
      gtk_label_set_text (self->collection_label, "");
      return;
    }
  folder = g_file_get_parse_name (sonde_collection_get_dir (self->collection));
  gtk_label_set_text (self->collection_label, sonde_collection_get_name (self->collection));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->collection_label), folder);
}

void
sonde_sidebar_set_collection (SondeSidebar    *self,
                              SondeCollection *collection)
{
  g_return_if_fail (SONDE_IS_SIDEBAR (self));
  g_return_if_fail (collection == NULL || SONDE_IS_COLLECTION (collection));

  if (self->collection == collection)
    return;

  if (self->collection != NULL)
    g_signal_handlers_disconnect_by_func (sonde_collection_get_root (self->collection), update_collection_label, self);
  g_set_object (&self->collection, collection);
  if (collection != NULL)
    g_signal_connect_object (sonde_collection_get_root (collection), "notify::name",
                             G_CALLBACK (update_collection_label), self, G_CONNECT_SWAPPED);
  update_collection_label (self);
  g_clear_object (&self->tree);
  g_clear_object (&self->flat_tree);
  if (collection != NULL)
    self->tree = tree_new (collection, FALSE);

  update_model (self);
  gtk_stack_set_visible_child_name (self->collection_stack, collection != NULL ? "tree" : "empty");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLLECTION]);
}

GListModel *
sonde_sidebar_get_model (SondeSidebar *self)
{
  g_return_val_if_fail (SONDE_IS_SIDEBAR (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

void
sonde_sidebar_set_search (SondeSidebar *self,
                          const char   *text)
{
  g_autofree char *search = NULL;

  g_return_if_fail (SONDE_IS_SIDEBAR (self));

  if (text != NULL && *text != '\0')
    search = g_utf8_casefold (text, -1);
  if (g_strcmp0 (search, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_steal_pointer (&search);
  /* The flat tree expands everything once: build it again for each search session. */
  if (self->search == NULL)
    g_clear_object (&self->flat_tree);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text != NULL ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  update_model (self);
}

SondeCollectionNode *
sonde_sidebar_find_node (SondeSidebar *self,
                         const char   *path)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (SONDE_IS_SIDEBAR (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (self->collection == NULL)
    return NULL;
  if (*path == '\0')
    return sonde_collection_get_root (self->collection);

  file = g_file_resolve_relative_path (sonde_collection_get_dir (self->collection), path);
  return sonde_collection_find_node (self->collection, file);
}

void
sonde_sidebar_set_history_view (SondeSidebar *self,
                                GtkWidget    *history_view)
{
  g_return_if_fail (SONDE_IS_SIDEBAR (self));
  g_return_if_fail (GTK_IS_WIDGET (history_view));

  gtk_stack_add_titled (self->page_stack, history_view, "history", _("History"));
  gtk_widget_set_visible (GTK_WIDGET (self->switcher), TRUE);
}

void
sonde_sidebar_show_page (SondeSidebar *self,
                         const char   *name)
{
  g_return_if_fail (SONDE_IS_SIDEBAR (self));

  gtk_stack_set_visible_child_name (self->page_stack, name);
}

static void
moved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SondeSidebar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sonde_collection_move_finish (SONDE_COLLECTION (object), result, &error))
    show_message (self, g_strdup_printf (_("Could not move: %s"), error->message));
}

gboolean
sonde_sidebar_drop_node (SondeSidebar        *self,
                         SondeCollectionNode *dragged,
                         SondeCollectionNode *onto)
{
  SondeCollectionNode *folder;
  int position = -1;

  g_return_val_if_fail (SONDE_IS_SIDEBAR (self), FALSE);

  if (self->collection == NULL || dragged == NULL || onto == NULL || dragged == onto ||
      sonde_collection_node_get_parent (dragged) == NULL)
    return FALSE;

  if (sonde_collection_node_get_kind (onto) == SONDE_COLLECTION_NODE_FOLDER)
    folder = onto;
  else
    {
      GListModel *siblings;
      guint n;

      folder = sonde_collection_node_get_parent (onto);
      siblings = sonde_collection_node_get_children (folder);
      n = g_list_model_get_n_items (siblings);
      position = 0;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SondeCollectionNode) sibling = g_list_model_get_item (siblings, i);

          if (sibling == onto)
            break;
          if (sibling != dragged)
            position++;
        }
    }

  /* A folder cannot go inside itself. */
  if (is_inside (folder, dragged))
    return FALSE;

  sonde_collection_move_async (self->collection, dragged, folder, position, NULL, moved_cb,
                               g_object_ref (self));
  return TRUE;
}
