/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      om_test_iterate_for    (guint        ms);
char     *om_test_xdotool        (const char  *first,
                                  ...) G_GNUC_NULL_TERMINATED;
gboolean  om_test_can_drive_x    (void);

G_END_DECLS
