/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

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
GtkColumnView *om_plan_table_get_column_view (OmPlanTable   *self);

G_END_DECLS
