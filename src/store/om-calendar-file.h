/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-model.h"

G_BEGIN_DECLS

/**
 * OmCalendarWriter:
 *
 * Writes an RFC 5545 calendar (SPEC 7, `--export-ics`) into a stream,
 * one opportunity at a time: one all-day event per pending milestone of
 * an open opportunity, on the due date the model gives it.
 */
typedef struct _OmCalendarWriter OmCalendarWriter;

OmCalendarWriter *om_calendar_writer_new    (GOutputStream           *stream,
                                             GDateTime               *stamp);
gboolean          om_calendar_writer_add    (OmCalendarWriter        *self,
                                             const OmOpportunityData *data,
                                             const char              *owner,
                                             GError                 **error);
gboolean          om_calendar_writer_finish (OmCalendarWriter        *self,
                                             GError                 **error);
void              om_calendar_writer_free   (OmCalendarWriter        *self);

char             *om_calendar_stage_uid     (gint64                   opportunity,
                                             gint64                   stage);

gboolean          om_export_calendar        (OmBackend               *backend,
                                             const char              *path,
                                             gint64                   opportunity,
                                             const char              *owner,
                                             GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmCalendarWriter, om_calendar_writer_free)

G_END_DECLS
