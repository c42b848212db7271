/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-request.h"

G_BEGIN_DECLS

/* Private to core: SondeRequest <-> the JSON object of a request file (docs/collection-format.md). */

JsonObject   *sonde_request_to_json   (SondeRequest  *self,
                                       const char    *file_basename,
                                       char         **sidecar_text);
SondeRequest *sonde_request_from_json (JsonObject    *object,
                                       GFile         *dir,
                                       GError       **error);

JsonObject          *sonde_request_options_to_json   (SondeRequestOptions  *options);
SondeRequestOptions *sonde_request_options_from_json (JsonObject           *object,
                                                      GError              **error);

G_END_DECLS
