/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void om_template_menu_bind (GMenu      *menu,
                            GListModel *templates);

G_END_DECLS
