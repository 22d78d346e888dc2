/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void        om_accessible_name_buttons_by_label (GtkWidget  *root);
void        om_accessible_set_tooltip           (GtkWidget  *widget,
                                                 const char *text);
const char *om_accessible_get_tooltip           (GtkWidget  *widget);

G_END_DECLS
