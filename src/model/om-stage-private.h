/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "om-stage.h"

G_BEGIN_DECLS

typedef struct
{
  guint    position;
  OmDate   start_date;
  OmDate   due_date;
  gboolean current;
  gboolean overdue;
  gboolean weakest;
  gboolean conflict;            /* agreed before the previous stage is due */
  int      slip;                /* days past its baseline due date */
} OmStageDerived;

OmStage *_om_stage_new    (const OmStageData    *data);
void     _om_stage_update (OmStage              *self,
                           const OmStageData    *data,
                           const OmStageDerived *derived);

G_END_DECLS
