/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"
#include "om-timeline-layout.h"

G_BEGIN_DECLS

#define OM_TYPE_STAGE_WIDGET (om_stage_widget_get_type ())
G_DECLARE_FINAL_TYPE (OmStageWidget, om_stage_widget, OM, STAGE_WIDGET, GtkWidget)

GtkWidget *om_stage_widget_new        (OmStage               *stage);
OmStage   *om_stage_widget_get_stage  (OmStageWidget         *self);
void       om_stage_widget_set_layout (OmStageWidget         *self,
                                       const OmTimelineStage *layout,
                                       guint                  n_stages,
                                       gboolean               selected);
void       om_stage_widget_set_selected (OmStageWidget       *self,
                                         gboolean             selected);
void       om_stage_widget_get_rect   (const OmTimelineStage *layout,
                                       graphene_rect_t       *rect);

G_END_DECLS
