/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"
#include "om-pipeline-chart.h"

G_BEGIN_DECLS

#define OM_TYPE_PIPELINE_VIEW (om_pipeline_view_get_type ())
G_DECLARE_FINAL_TYPE (OmPipelineView, om_pipeline_view, OM, PIPELINE_VIEW, GtkWidget)

GtkWidget       *om_pipeline_view_new            (void);
void             om_pipeline_view_set_repository (OmPipelineView *self,
                                                  OmRepository   *repository);
void             om_pipeline_view_refresh        (OmPipelineView *self);

const char      *om_pipeline_view_get_currency   (OmPipelineView *self);
gboolean         om_pipeline_view_set_currency   (OmPipelineView *self,
                                                  const char     *currency);
OmPipelineChart *om_pipeline_view_get_chart      (OmPipelineView *self);
GtkColumnView   *om_pipeline_view_get_table      (OmPipelineView *self);
GtkDropDown     *om_pipeline_view_get_currencies (OmPipelineView *self);
GtkLabel        *om_pipeline_view_get_empty_label (OmPipelineView *self);
gboolean         om_pipeline_view_get_beside     (OmPipelineView *self);

G_END_DECLS
