/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

typedef enum
{
  OM_PLAN_TABLE_NUMBER,
  OM_PLAN_TABLE_ACTIVITY,
  OM_PLAN_TABLE_MILESTONE,
  OM_PLAN_TABLE_OWNER,
  OM_PLAN_TABLE_CLIENT_OWNER,
  OM_PLAN_TABLE_DURATION,
  OM_PLAN_TABLE_DUE,
  OM_PLAN_TABLE_PROBABILITY,
  OM_PLAN_TABLE_GANTT,
} OmPlanTableColumn;

#define OM_TYPE_PLAN_TABLE (om_plan_table_get_type ())
G_DECLARE_FINAL_TYPE (OmPlanTable, om_plan_table, OM, PLAN_TABLE, GtkWidget)

GtkWidget     *om_plan_table_new             (void);
void           om_plan_table_set_opportunity (OmPlanTable   *self,
                                              OmOpportunity *opportunity);
int            om_plan_table_get_selected    (OmPlanTable   *self);
void           om_plan_table_set_selected    (OmPlanTable   *self,
                                              int            position);
void           om_plan_table_set_px_per_day  (OmPlanTable   *self,
                                              double         px_per_day);
double         om_plan_table_get_px_per_day  (OmPlanTable   *self);
void           om_plan_table_zoom            (OmPlanTable   *self,
                                              double         factor);
void           om_plan_table_zoom_to_fit     (OmPlanTable   *self);
gboolean       om_plan_table_focus_stage     (OmPlanTable   *self,
                                              guint          position);
gboolean       om_plan_table_has_focus       (OmPlanTable   *self);
gboolean       om_plan_table_shows_stage     (OmPlanTable   *self);
GtkColumnView *om_plan_table_get_column_view (OmPlanTable   *self);
GtkWidget     *om_plan_table_get_cell        (OmPlanTable   *self,
                                              guint          row,
                                              OmPlanTableColumn column);

gboolean       om_plan_table_get_range       (OmPlanTable   *self,
                                              guint         *first,
                                              guint         *last);
void           om_plan_table_set_range       (OmPlanTable   *self,
                                              guint          first,
                                              guint          last);

G_END_DECLS
