/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-application.h"

G_BEGIN_DECLS

#define OM_TYPE_WINDOW (om_window_get_type ())
G_DECLARE_FINAL_TYPE (OmWindow, om_window, OM, WINDOW, GtkApplicationWindow)

OmWindow *om_window_new (OmApplication *application);

G_END_DECLS
