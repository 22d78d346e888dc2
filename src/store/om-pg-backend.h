/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-model.h"

G_BEGIN_DECLS

/* The version of the server's schema this application writes
 * (--init-server creates or migrates to it) */
#define OM_PG_SCHEMA_VERSION 2

#define OM_TYPE_PG_BACKEND (om_pg_backend_get_type ())
G_DECLARE_FINAL_TYPE (OmPgBackend, om_pg_backend, OM, PG_BACKEND, GObject)

gboolean     om_pg_location_is_server    (const char   *location);
char        *om_pg_location_shown        (const char   *location);

OmPgBackend *om_pg_backend_open          (const char   *location,
                                          GError      **error);
gboolean     om_pg_backend_init_server   (const char   *location,
                                          GError      **error);
const char  *om_pg_backend_get_shown     (OmPgBackend  *self);
gboolean     om_pg_backend_load          (OmPgBackend  *self,
                                          GPtrArray   **opportunities,
                                          GPtrArray   **templates,
                                          GError      **error);

G_END_DECLS
