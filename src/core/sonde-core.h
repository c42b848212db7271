/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sonde-auth.h"
#include "sonde-body.h"
#include "sonde-body-store.h"
#include "sonde-client.h"
#include "sonde-cookie-store.h"
#include "sonde-error.h"
#include "sonde-json-formatter.h"
#include "sonde-key-value.h"
#include "sonde-multipart-stream.h"
#include "sonde-proxy.h"
#include "sonde-request.h"
#include "sonde-request-io.h"
#include "sonde-request-options.h"
#include "sonde-response.h"
#include "sonde-tls.h"
#include "sonde-variables.h"
