/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     om_calendar_choose_by_click_or_enter (GtkCalendar *calendar);
gboolean om_calendar_is_browsing              (GtkCalendar *calendar);

G_END_DECLS
