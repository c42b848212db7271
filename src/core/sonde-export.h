/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "sonde-collection.h"
#include "sonde-request.h"

G_BEGIN_DECLS

/* "Copy as": a request as code for another tool (docs/import-export.md). */

typedef enum
{
  SONDE_EXPORT_CURL,
  SONDE_EXPORT_PYTHON,  /* python-requests */
  SONDE_EXPORT_HTTPIE,
  SONDE_EXPORT_FETCH,   /* JavaScript fetch () */
} SondeExportLanguage;

const char *sonde_export_language_to_string   (SondeExportLanguage  language);
/* "curl", "python", "httpie", "fetch" */
gboolean    sonde_export_language_from_string (const char          *text,
                                               SondeExportLanguage *language);
/* For people: "curl", "Python (requests)", "HTTPie", "JavaScript (fetch)" */
const char *sonde_export_language_get_title   (SondeExportLanguage  language);

/* The request at NODE (REQUEST: an edited copy of it, or NULL for the node's) as it would be
 * sent: what it inherits, variables expanded (ENVIRONMENT and OVERRIDES may be NULL).
 * Secret variables are left as {{name}} unless SECRETS is given, which then supplies their
 * values. NULL with the error sending would give (an undefined variable, say). */
SondeRequest *sonde_export_prepare (SondeCollection      *collection,
                                    SondeCollectionNode  *node,
                                    SondeRequest         *request,
                                    SondeEnvironment     *environment,
                                    SondeSecretStore     *secrets,
                                    GHashTable           *overrides,
                                    GError              **error);

/* REQUEST (expanded, with what it inherits) as a LANGUAGE program or command line that sends
 * the same method, URL, headers, cookies and body, with every option the target can express
 * (auth, TLS verification, CA file, client certificate, proxy with credentials, timeouts,
 * redirects); what it cannot express is said in a comment. Relative file paths are made
 * absolute. A WebSocket request becomes Python (websockets) or browser JavaScript that connects
 * and sends its saved messages. NULL with an error when the URL is not one Sonde would send,
 * and for a WebSocket request in curl or HTTPie (G_IO_ERROR_NOT_SUPPORTED). */
char       *sonde_export_request                (SondeRequest        *request,
                                                 SondeExportLanguage  language,
                                                 GError             **error);

/* COLLECTION as one Postman Collection v2.1 file (sonde-export-postman.c): folders, requests,
 * rows, bodies, auth, variables, descriptions and scripts in Postman's members; what Postman
 * has no place for in a "sonde" member of each item, which Sonde's importer reads back.
 * Secret values are never written. NULL when a request file does not parse. */
char       *sonde_export_postman                (SondeCollection     *collection,
                                                 GError             **error);
/* An environment as a Postman environment file; secret values empty. */
char       *sonde_export_postman_environment    (SondeEnvironment    *environment);

G_END_DECLS
