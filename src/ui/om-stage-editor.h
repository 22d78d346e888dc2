/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

/* The fields a remedy of a health warning takes the person to */
typedef enum
{
  OM_STAGE_EDITOR_FIELD_ACTIVITY,
  OM_STAGE_EDITOR_FIELD_OWNER,
  OM_STAGE_EDITOR_FIELD_PROBABILITY,
} OmStageEditorField;

#define OM_TYPE_STAGE_EDITOR (om_stage_editor_get_type ())
G_DECLARE_FINAL_TYPE (OmStageEditor, om_stage_editor, OM, STAGE_EDITOR, GtkWidget)

GtkWidget     *om_stage_editor_new               (void);
void           om_stage_editor_set_stage         (OmStageEditor *self,
                                                  OmOpportunity *opportunity,
                                                  int            position);
OmOpportunity *om_stage_editor_get_opportunity   (OmStageEditor *self);
int            om_stage_editor_get_position      (OmStageEditor *self);
void           om_stage_editor_set_action_reason (OmStageEditor *self,
                                                  const char    *action_name,
                                                  const char    *reason);
void           om_stage_editor_commit_pending  (OmStageEditor *self);
void           om_stage_editor_focus_first       (OmStageEditor *self);
gboolean       om_stage_editor_focus_field       (OmStageEditor      *self,
                                                  OmStageEditorField  field);
gboolean       om_stage_editor_reschedule        (OmStageEditor *self);

G_END_DECLS
