/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sonde-core.h"

G_BEGIN_DECLS

/* Bodies above this size are left out of --json output (use --output for them). */
#define SONDE_CLI_JSON_MAX_BODY (32 * 1024 * 1024)

gboolean  sonde_cli_is_textual_content_type (const char     *content_type);
/* SECRETS (may be NULL) are masked in what describes the request: the URLs. The headers and
 * the body are the server's, given as they came. */
JsonNode *sonde_cli_response_to_json        (SondeResponse       *response,
                                             const char * const  *secrets,
                                             GError             **error);
JsonNode *sonde_cli_error_to_json           (const GError   *error);
char     *sonde_cli_json_to_string          (JsonNode       *node);

G_END_DECLS
