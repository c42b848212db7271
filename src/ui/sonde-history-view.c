/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sonde-history-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sonde-history-view.h"
#include "sonde-history-row.h"

/* How often "5 minutes ago" is brought up to date. */
#define TIME_REFRESH_SECONDS 30

struct _SondeHistoryView
{
  GtkWidget           parent_instance;

  /* Owned */
  SondeHistory       *history;
  GtkFilterListModel *filter_model;
  GtkCustomFilter    *filter;
  char               *search_text;
  GHashTable         *bound_rows;    /* SondeHistoryRow* showing an entry, borrowed */
  guint               refresh_id;

  /* Template widgets */
  GtkWidget          *main_box;
  GtkSearchEntry     *search_entry;
  GtkButton          *clear_button;
  GtkStack           *stack;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (SondeHistoryView, sonde_history_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  N_PROPS
};

enum {
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
refresh_times_cb (gpointer user_data)
{
  SondeHistoryView *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    sonde_history_row_update_time (row, now);

  return G_SOURCE_CONTINUE;
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  SondeHistoryView         *self)
{
  gtk_list_item_set_child (list_item, sonde_history_row_new ());
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 SondeHistoryView         *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);

  sonde_history_row_set_entry (SONDE_HISTORY_ROW (row), gtk_list_item_get_item (list_item));
  g_hash_table_add (self->bound_rows, row);
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   SondeHistoryView         *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);

  g_hash_table_remove (self->bound_rows, row);
  sonde_history_row_set_entry (SONDE_HISTORY_ROW (row), NULL);
}

static void
factory_teardown_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     SondeHistoryView         *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);

  if (row != NULL)
    g_hash_table_remove (self->bound_rows, row);
}

static gboolean
filter_match_cb (gpointer item,
                 gpointer user_data)
{
  SondeHistoryView *self = user_data;

  return sonde_history_entry_matches (SONDE_HISTORY_ENTRY (item), self->search_text);
}

static void
update_state (SondeHistoryView *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->history));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  if (n_all == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (n_shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.clear", n_all > 0);
}

static void
apply_search (SondeHistoryView *self,
              const char       *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));

  if (g_strcmp0 (stripped, self->search_text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_steal_pointer (&stripped);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_state (self);
}

static void
search_changed_cb (SondeHistoryView *self,
                   GtkSearchEntry   *entry)
{
  apply_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (SondeHistoryView *self,
                GtkSearchEntry   *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  apply_search (self, "");
}

static void
list_view_activate_cb (SondeHistoryView *self,
                       guint             position,
                       GtkListView      *list_view)
{
  g_autoptr(SondeHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

  if (entry != NULL)
    g_signal_emit (self, signals[ENTRY_ACTIVATED], 0, entry);
}

static SondeHistoryEntry *
find_entry (SondeHistoryView *self,
            GVariant         *param)
{
  const char *id = g_variant_get_string (param, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SondeHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->history), i);

      if (g_str_equal (sonde_history_entry_get_id (entry), id))
        return entry; /* the history keeps it alive */
    }

  return NULL;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (widget);
  SondeHistoryEntry *entry = find_entry (self, param);

  if (entry != NULL)
    g_signal_emit (self, signals[ENTRY_ACTIVATED], 0, entry);
}

/* The window saves it (see sonde-history-view.h) */
static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (widget);
  SondeHistoryEntry *entry = find_entry (self, param);

  if (entry != NULL)
    gtk_widget_activate_action (widget, "win.save-history-entry", "s", sonde_history_entry_get_id (entry));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (widget);
  SondeHistoryEntry *entry = find_entry (self, param);

  if (entry != NULL)
    sonde_history_remove (self->history, entry);
}

/* The row holding the keyboard focus: the list item widget has the focus, our row is its
 * child. */
static SondeHistoryRow *
get_focused_row (SondeHistoryView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *widget = focus; widget != NULL && widget != GTK_WIDGET (self);
       widget = gtk_widget_get_parent (widget))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);

      if (SONDE_IS_HISTORY_ROW (widget))
        return SONDE_HISTORY_ROW (widget);
      if (child != NULL && SONDE_IS_HISTORY_ROW (child))
        return SONDE_HISTORY_ROW (child);
    }

  return NULL;
}

static void
show_row_menu_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SondeHistoryRow *row = get_focused_row (SONDE_HISTORY_VIEW (widget));

  if (row != NULL)
    sonde_history_row_popup_menu (row);
}

static void
delete_focused_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (widget);
  SondeHistoryRow *row = get_focused_row (self);
  SondeHistoryEntry *entry = row ? sonde_history_row_get_entry (row) : NULL;

  if (entry != NULL)
    sonde_history_remove (self->history, entry);
}

static void
clear_response_cb (SondeHistoryView *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  if (g_strcmp0 (response, "clear") == 0)
    sonde_history_clear (self->history);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Clear History?"),
                                   _("Every request in the history and its response summary will be deleted. Requests saved in collections are not affected."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("_Clear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_history (SondeHistoryView *self,
             SondeHistory     *history)
{
  g_autoptr(GtkSingleSelection) selection = NULL;

  g_assert (self->history == NULL);

  self->history = g_object_ref (history ? history : sonde_history_get_default ());
  self->filter = gtk_custom_filter_new (filter_match_cb, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->history)),
                                                  g_object_ref (GTK_FILTER (self->filter)));

  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "items-changed",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  update_state (self);
}

static void
sonde_history_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_history_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      set_history (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sonde_history_view_dispose (GObject *object)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SONDE_TYPE_HISTORY_VIEW);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (sonde_history_view_parent_class)->dispose (object);
}

static void
sonde_history_view_finalize (GObject *object)
{
  SondeHistoryView *self = SONDE_HISTORY_VIEW (object);

  g_free (self->search_text);
  g_hash_table_unref (self->bound_rows);

  G_OBJECT_CLASS (sonde_history_view_parent_class)->finalize (object);
}

static void
sonde_history_view_class_init (SondeHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sonde_history_view_get_property;
  object_class->set_property = sonde_history_view_set_property;
  object_class->dispose = sonde_history_view_dispose;
  object_class->finalize = sonde_history_view_finalize;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, SONDE_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SONDE_TYPE_HISTORY_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sonde/Sonde/ui/sonde-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryView, main_box);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryView, clear_button);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, SondeHistoryView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "history.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "history.save", "s", save_action);
  gtk_widget_class_install_action (widget_class, "history.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "history.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "history.show-row-menu", NULL, show_row_menu_action);
  gtk_widget_class_install_action (widget_class, "history.delete-focused", NULL, delete_focused_action);

  /* The row menu from the keyboard, and Delete on the focused row. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "history.show-row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "history.show-row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "history.delete-focused", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sonde_history_view_init (SondeHistoryView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->bound_rows = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("History"), -1);

  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (factory_teardown_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);

  /* Typing in the list searches. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));

  self->refresh_id = g_timeout_add_seconds (TIME_REFRESH_SECONDS, refresh_times_cb, self);
}

/**
 * sonde_history_view_new:
 * @history: (nullable): the history to show; NULL for sonde_history_get_default()
 */
GtkWidget *
sonde_history_view_new (SondeHistory *history)
{
  g_return_val_if_fail (history == NULL || SONDE_IS_HISTORY (history), NULL);

  return g_object_new (SONDE_TYPE_HISTORY_VIEW, "history", history, NULL);
}

SondeHistory *
sonde_history_view_get_history (SondeHistoryView *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_VIEW (self), NULL);
  return self->history;
}

GListModel *
sonde_history_view_get_model (SondeHistoryView *self)
{
  g_return_val_if_fail (SONDE_IS_HISTORY_VIEW (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

/* Sets the search entry and filters at once (the entry itself waits a moment). */
void
sonde_history_view_set_search (SondeHistoryView *self,
                               const char       *text)
{
  g_return_if_fail (SONDE_IS_HISTORY_VIEW (self));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  apply_search (self, text);
}
