/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-model.h"

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

/**
 * OmExportEach:
 * @data: one opportunity, read in full
 * @user_data: what the caller gave om_export_each_opportunity()
 *
 * Writes one opportunity of an export.
 *
 * Returns: %FALSE with @error set to stop the export
 */
typedef gboolean (*OmExportEach) (const OmOpportunityData *data,
                                  gpointer                 user_data,
                                  GError                 **error);

gboolean om_export_each_opportunity  (OmBackend      *backend,
                                      int             status,
                                      OmExportEach    each,
                                      gpointer        user_data,
                                      GError        **error);
OmOpportunityData *om_export_load_opportunity (OmBackend *backend,
                                               gint64     id,
                                               GError   **error);

/**
 * OmPathExport:
 * @path: a local file to write the whole export to
 *
 * Returns: %FALSE with @error set when the export failed
 */
typedef gboolean (*OmPathExport) (const char *path,
                                  gpointer    user_data,
                                  GError    **error);

gboolean om_export_file_to_gfile     (GFile          *file,
                                      OmPathExport    export,
                                      gpointer        user_data,
                                      GError        **error);

G_END_DECLS
