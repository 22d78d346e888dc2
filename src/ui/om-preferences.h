/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OM_TYPE_PREFERENCES (om_preferences_get_type ())
G_DECLARE_FINAL_TYPE (OmPreferences, om_preferences, OM, PREFERENCES, GtkWindow)

OmPreferences *om_preferences_new (GtkWindow *parent,
                                   GSettings *settings);

G_END_DECLS
