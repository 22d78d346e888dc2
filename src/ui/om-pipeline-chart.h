/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_PIPELINE_CHART (om_pipeline_chart_get_type ())
G_DECLARE_FINAL_TYPE (OmPipelineChart, om_pipeline_chart, OM, PIPELINE_CHART, GtkWidget)

GtkWidget *om_pipeline_chart_new             (void);
void       om_pipeline_chart_set_rows        (OmPipelineChart *self,
                                              GPtrArray       *rows,
                                              const char      *currency);
void       om_pipeline_chart_set_highlighted (OmPipelineChart *self,
                                              int              year,
                                              int              month);
guint      om_pipeline_chart_get_n_bars      (OmPipelineChart *self);
gboolean   om_pipeline_chart_get_bar         (OmPipelineChart *self,
                                              guint            index,
                                              int             *year,
                                              int             *month,
                                              graphene_rect_t *bounds);
int        om_pipeline_chart_bar_at          (OmPipelineChart *self,
                                              double           x,
                                              double           y);
gboolean   om_pipeline_chart_click_at        (OmPipelineChart *self,
                                              double           x,
                                              double           y);
char      *om_pipeline_chart_describe_at     (OmPipelineChart *self,
                                              double           x,
                                              double           y);

G_END_DECLS
