/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sonde-response.h"

G_BEGIN_DECLS

/* The introspection query "Fetch Schema" sends: type, field, argument and enum value names. */
extern const char sonde_graphql_introspection_query[];

char **sonde_graphql_response_errors (SondeResponse  *response);
char **sonde_graphql_schema_names    (GBytes         *body,
                                      GError        **error);

G_END_DECLS
