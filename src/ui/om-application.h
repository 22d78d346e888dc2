/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_APPLICATION (om_application_get_type ())
G_DECLARE_FINAL_TYPE (OmApplication, om_application, OM, APPLICATION, GtkApplication)

OmApplication *om_application_new            (void);

G_END_DECLS
