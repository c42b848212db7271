/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Strings most objects of a kind hold empty or alike (an auth's fifteen fields, a request's
 * name and method), and which a request copied on its way to the wire copies: GRefStrings,
 * so that a copy takes a reference, with "" one shared string. */
static inline char *
sonde_ref_string_empty (void)
{
  static char *empty = NULL;

  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, g_ref_string_new_intern (""));
  return g_ref_string_acquire (empty);
}

static inline char *
sonde_ref_string_new (const char *value)
{
  return value == NULL || value[0] == '\0' ? sonde_ref_string_empty () : g_ref_string_new (value);
}

/* Replaces *FIELD (a GRefString) with VALUE (NULL is ""); FALSE when it holds it already. */
static inline gboolean
sonde_ref_string_replace (char       **field,
                          const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_ref_string_release (*field);
  *field = sonde_ref_string_new (value);
  return TRUE;
}

G_END_DECLS
