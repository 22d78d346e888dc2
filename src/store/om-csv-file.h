/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-model.h"

G_BEGIN_DECLS

/**
 * OmCsvWriter:
 *
 * Writes the stages of opportunities as a spreadsheet (SPEC 7,
 * `--export-csv`): RFC 4180, UTF-8, a header row, one row per stage.
 */
typedef struct _OmCsvWriter OmCsvWriter;

OmCsvWriter *om_csv_writer_new    (GOutputStream           *stream);
gboolean     om_csv_writer_add    (OmCsvWriter             *self,
                                   const OmOpportunityData *data,
                                   GError                 **error);
gboolean     om_csv_writer_finish (OmCsvWriter             *self,
                                   GError                 **error);
void         om_csv_writer_free   (OmCsvWriter             *self);

gboolean     om_export_csv        (OmBackend               *backend,
                                   const char              *path,
                                   gint64                   opportunity,
                                   GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmCsvWriter, om_csv_writer_free)

G_END_DECLS
