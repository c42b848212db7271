/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "sonde-error.h"

G_DEFINE_QUARK (sonde-request-error-quark, sonde_request_error)
G_DEFINE_QUARK (sonde-client-error-quark, sonde_client_error)
