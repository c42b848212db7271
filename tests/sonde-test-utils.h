/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sonde-client.h"

G_BEGIN_DECLS

SondeResponse *sonde_test_client_send   (SondeClient        *client,
                                         SondeRequest       *request,
                                         GFile              *output,
                                         SondeProgressFunc   progress,
                                         gpointer            progress_data,
                                         GCancellable       *cancellable,
                                         GError            **error);
char          *sonde_test_session_fetch (SoupSession        *session,
                                         SoupMessage        *msg,
                                         GError            **error);

void           sonde_test_remove_tree   (const char         *path);
char          *sonde_test_echo_header   (JsonNode           *echo,
                                         const char         *name);

/* The variables that make the system's proxy settings more than the environment's
 * (sonde_proxy_environment_decides ()): tests unset them to have the environment decide. */
#define SONDE_TEST_DESKTOP_VARIABLES "GIO_USE_PROXY_RESOLVER", "XDG_CURRENT_DESKTOP", \
  "XDG_SESSION_DESKTOP", "DESKTOP_SESSION", "GNOME_DESKTOP_SESSION_ID", "KDE_FULL_SESSION", \
  "GIO_MODULE_DIR", "GIO_EXTRA_MODULES", "PX_CONFIG_ORDER", "GTK_USE_PORTAL", "SNAP", "FLATPAK_ID"

/* One run of the command-line client ($SONDE_CLI). */
typedef struct
{
  int   exit_status; /* -1 when it did not exit normally */
  char *out;
  char *err;
} SondeTestCliResult;

SondeTestCliResult *sonde_test_run              (const char          *cwd,
                                                 const char * const  *argv);
SondeTestCliResult *sonde_test_run_cli          (const char          *cwd,
                                                 const char * const  *args);
/* sonde_test_run_cli () with ENVIRONMENT changed: "NAME=value" sets, "NAME" unsets. */
SondeTestCliResult *sonde_test_run_cli_with_env (const char          *cwd,
                                                 const char * const  *environment,
                                                 const char * const  *args);
void                sonde_test_cli_result_free  (SondeTestCliResult  *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SondeTestCliResult, sonde_test_cli_result_free)

/* Makes SERVER listen on 127.0.0.1, on a free port: "http://127.0.0.1:PORT" */
char          *sonde_test_listen_local  (SoupServer         *server);

G_END_DECLS
