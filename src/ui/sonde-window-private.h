/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-request-io.h"
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
  AdwTabView *tab_view;

  /* Owned */
  GSettings *settings;
  SondeClient *client;
  char *last_message;
  GCancellable *cancellable;

  int paned_position;
  guint closing_confirmed : 1;
};

/* sonde-window.c */
void        _sonde_window_show_message    (SondeWindow      *self,
                                           const char       *message);
AdwTabPage *_sonde_window_find_tab        (SondeWindow      *self,
                                           SondeRequestPage *page);
void        _sonde_window_update_tab      (SondeWindow      *self,
                                           SondeRequestPage *page);

/* sonde-window-actions.c */
void        _sonde_window_install_actions (GtkWidgetClass   *widget_class);
gboolean    _sonde_window_close_page_cb   (SondeWindow      *self,
                                           AdwTabPage       *tab,
                                           AdwTabView       *tab_view);

G_END_DECLS
