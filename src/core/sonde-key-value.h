/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SONDE_TYPE_KEY_VALUE (sonde_key_value_get_type ())
G_DECLARE_FINAL_TYPE (SondeKeyValue, sonde_key_value, SONDE, KEY_VALUE, GObject)

/* One row of params, headers, cookies, form fields or variables.
 * Properties: "name", "value" (strings, never NULL), "enabled" (default TRUE).
 * Rows are kept in a GListStore of SondeKeyValue: order, duplicates and disabled rows survive. */
SondeKeyValue *sonde_key_value_new         (const char    *name,
                                            const char    *value,
                                            gboolean       enabled);
SondeKeyValue *sonde_key_value_copy        (SondeKeyValue *self);
const char    *sonde_key_value_get_name    (SondeKeyValue *self);
void           sonde_key_value_set_name    (SondeKeyValue *self,
                                            const char    *name);
const char    *sonde_key_value_get_value   (SondeKeyValue *self);
void           sonde_key_value_set_value   (SondeKeyValue *self,
                                            const char    *value);
gboolean       sonde_key_value_get_enabled (SondeKeyValue *self);
void           sonde_key_value_set_enabled (SondeKeyValue *self,
                                            gboolean       enabled);

/* Keys of the JSON row object that Sonde does not know, kept to be written back (may be NULL). */
JsonObject    *sonde_key_value_get_extra   (SondeKeyValue *self);
/* "sensitive": a header row marked in its file as one never sent to another origin. */
gboolean       sonde_key_value_get_sensitive (SondeKeyValue *self);
void           sonde_key_value_set_sensitive (SondeKeyValue *self,
                                              gboolean       sensitive);
void           sonde_key_value_set_extra   (SondeKeyValue *self,
                                            JsonObject    *extra);

/* Helpers for GListStore<SondeKeyValue> */
GListStore    *sonde_key_value_list_new    (void);
GListStore    *sonde_key_value_list_copy   (GListModel    *list);
SondeKeyValue *sonde_key_value_list_append (GListStore    *list,
                                            const char    *name,
                                            const char    *value);

G_END_DECLS
