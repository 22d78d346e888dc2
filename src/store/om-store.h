/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-model.h"

G_BEGIN_DECLS

gboolean      om_store_location_is_server   (const char  *location);
char         *om_store_get_default_location (void);
char         *om_store_location_shown       (const char  *location);
OmBackend    *om_store_open_backend         (const char  *location,
                                             GError     **error);
void          om_store_open_backend_async   (const char          *location,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
OmBackend    *om_store_open_backend_finish  (GAsyncResult        *result,
                                             GError             **error);
OmRepository *om_store_open_repository      (const char  *location,
                                             GError     **error);
gboolean      om_store_init_server          (const char  *location,
                                             GError     **error);

G_END_DECLS
