/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "om-opportunity-data.h"

G_BEGIN_DECLS

#define OM_TYPE_STAGE (om_stage_get_type ())
G_DECLARE_FINAL_TYPE (OmStage, om_stage, OM, STAGE, GObject)

const OmStageData *om_stage_get_data               (OmStage *self);
gint64             om_stage_get_id                 (OmStage *self);
const char        *om_stage_get_activity           (OmStage *self);
const char        *om_stage_get_milestone          (OmStage *self);
OmStageKind        om_stage_get_kind               (OmStage *self);
const char        *om_stage_get_owner              (OmStage *self);
const char        *om_stage_get_client_owner       (OmStage *self);
guint              om_stage_get_duration_days      (OmStage *self);
double             om_stage_get_probability        (OmStage *self);
OmStageStatus      om_stage_get_status             (OmStage *self);
OmDate             om_stage_get_decided_on         (OmStage *self);
const char        *om_stage_get_lost_reason        (OmStage *self);
const char        *om_stage_get_client_description (OmStage *self);
const char        *om_stage_get_notes              (OmStage *self);
guint              om_stage_get_position           (OmStage *self);
OmDate             om_stage_get_due_date           (OmStage *self);
OmDate             om_stage_get_start_date         (OmStage *self);
gboolean           om_stage_get_current            (OmStage *self);
gboolean           om_stage_get_overdue            (OmStage *self);
gboolean           om_stage_get_weakest            (OmStage *self);
OmDate             om_stage_get_agreed_on          (OmStage *self);
OmDate             om_stage_get_baseline_due       (OmStage *self);
gboolean           om_stage_get_conflict           (OmStage *self);
int                om_stage_get_slip               (OmStage *self);

G_END_DECLS
