/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * OmExportWriter:
 * @stream: where the export goes
 * @user_data: what the caller gave om_export_file_write()
 * @error: where to say why the export failed
 *
 * Writes the whole export into @stream.
 *
 * Returns: %FALSE with @error set when the export failed
 */
typedef gboolean (*OmExportWriter) (GOutputStream *stream,
                                    gpointer       user_data,
                                    GError       **error);

gboolean om_export_file_write        (const char     *path,
                                      OmExportWriter  writer,
                                      gpointer        user_data,
                                      GError        **error);
gboolean om_export_file_set_contents (const char     *path,
                                      const char     *contents,
                                      gsize           length,
                                      GError        **error);

G_END_DECLS
