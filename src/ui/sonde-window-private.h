/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-collection.h"
#include "sonde-cookie-store.h"
#include "sonde-history.h"
#include "sonde-request-io.h"
#include "sonde-secret-store.h"
#include "sonde-sidebar.h"
#include "sonde-window.h"

G_BEGIN_DECLS

struct _SondeWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  AdwTabBar *tab_bar;
  GtkStack *main_stack;
  AdwStatusPage *empty_page;
  GtkMenuButton *primary_menu_button;
  GMenuModel *primary_menu;
  AdwTabView *tab_view;
  AdwFlap *flap;
  GtkWidget *new_tab_button;
  GtkWidget *open_button;
  guint folded_idle;
  gboolean side_by_side;
  SondeSidebar *sidebar;
  GtkDropDown *environment_dropdown;

  /* Owned */
  GSettings *settings;
  SondeClient *client;              /* unsaved lone tabs: an in-memory cookie jar */
  GHashTable *file_clients;         /* lone request file path → SondeClient with its jar */
  char *last_message;
  GCancellable *cancellable;
  SondeCollection *collection;
  SondeClient *collection_client;   /* with the collection's cookie jar */
  SondeSecretStore *secrets;
  SondeEnvironment *environment;    /* the active one, or NULL */
  SondeHistory *history;
  GHashTable *run_variables;        /* what captures set this session: name → value */
  GHashTable *run_secrets;          /* the secret ones' values, masked wherever shown */
  GtkStringList *environment_names; /* "No Environment", then the collection's */

  int paned_position;
  guint closing_confirmed : 1;
  guint updating_environments : 1;
  guint restored : 1;
};

/* sonde-window.c */
void        _sonde_window_show_message    (SondeWindow      *self,
                                           const char       *message);
AdwTabPage *_sonde_window_find_tab        (SondeWindow      *self,
                                           SondeRequestPage *page);
void        _sonde_window_update_tab      (SondeWindow      *self,
                                           SondeRequestPage *page);

/* sonde-window-import.c */
void        _sonde_window_install_import_actions (GtkWidgetClass *widget_class);

/* sonde-window-collection.c */
void        _sonde_window_open_collection   (SondeWindow         *self,
                                             GFile               *dir,
                                             char               **files_after);
void        _sonde_window_set_collection    (SondeWindow         *self,
                                             SondeCollection     *collection);
SondeRequestPage *_sonde_window_open_node   (SondeWindow         *self,
                                             SondeCollectionNode *node);
void        _sonde_window_install_collection_actions (GtkWidgetClass *widget_class);
void        _sonde_window_init_collection   (SondeWindow         *self);
void        _sonde_window_dispose_collection (SondeWindow        *self);
void        _sonde_window_restore_session   (SondeWindow         *self);
void        _sonde_window_save_session      (SondeWindow         *self);
SondeRequestPage *_sonde_window_find_node_page (SondeWindow      *self,
                                             SondeCollectionNode *node);

/* sonde-window-variables.c */
void        _sonde_window_update_page_variables (SondeWindow        *self,
                                                 SondeRequestPage   *page);
void        _sonde_window_update_variables      (SondeWindow        *self);
void        _sonde_window_make_secret_cb        (SondeWindow        *self,
                                                 const char         *suggested_name,
                                                 const char         *value,
                                                 const char         *field,
                                                 SondeRequestEditor *editor);

/* sonde-window-actions.c */
void        _sonde_window_install_actions (GtkWidgetClass   *widget_class);
SondeClient *_sonde_window_new_client     (SondeWindow      *self);
SondeClient *_sonde_window_get_lone_client (SondeWindow     *self,
                                            SondeRequestPage *page);
gboolean    _sonde_window_close_page_cb   (SondeWindow      *self,
                                           AdwTabPage       *tab,
                                           AdwTabView       *tab_view);

G_END_DECLS
