/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     sonde_body_splice_install      (void);
gboolean sonde_body_splice_is_installed (void);
gsize    sonde_body_splice_block_size   (void);

G_END_DECLS
