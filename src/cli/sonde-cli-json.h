/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* Bodies above this size are left out of --json output (use --output for them). */
#define SONDE_CLI_JSON_MAX_BODY (32 * 1024 * 1024)

gboolean  sonde_cli_is_textual_content_type (const char     *content_type);
JsonNode *sonde_cli_response_to_json        (SondeResponse  *response,
                                             GError        **error);
JsonNode *sonde_cli_error_to_json           (const GError   *error);
char     *sonde_cli_json_to_string          (JsonNode       *node);

G_END_DECLS
