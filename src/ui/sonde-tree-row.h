/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* A row of the sidebar's tree: a request's method and name, a folder's icon and name, a file
 * that does not parse with a warning and its error as the tooltip. Follows its node. */
#define SONDE_TYPE_TREE_ROW (sonde_tree_row_get_type ())
G_DECLARE_FINAL_TYPE (SondeTreeRow, sonde_tree_row, SONDE, TREE_ROW, GtkBox)

GtkWidget           *sonde_tree_row_new      (void);
SondeCollectionNode *sonde_tree_row_get_node (SondeTreeRow        *self);
/* NULL unbinds */
void                 sonde_tree_row_set_node (SondeTreeRow        *self,
                                              SondeCollectionNode *node);

G_END_DECLS
