/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "om-backend.h"

G_BEGIN_DECLS

#define OM_TYPE_MEMORY_BACKEND (om_memory_backend_get_type ())
G_DECLARE_FINAL_TYPE (OmMemoryBackend, om_memory_backend, OM, MEMORY_BACKEND, GObject)

OmMemoryBackend *om_memory_backend_new  (void);
void             om_memory_backend_load (OmMemoryBackend *self,
                                         GPtrArray       *opportunities,
                                         GPtrArray       *templates);

G_END_DECLS
