/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"
#include "om-chain-strip.h"
#include "om-plan-table.h"

G_BEGIN_DECLS

#define OM_TYPE_OPPORTUNITY_VIEW (om_opportunity_view_get_type ())
G_DECLARE_FINAL_TYPE (OmOpportunityView, om_opportunity_view, OM, OPPORTUNITY_VIEW, GtkWidget)

GtkWidget     *om_opportunity_view_new             (void);
void           om_opportunity_view_set_opportunity (OmOpportunityView *self,
                                                    OmOpportunity     *opportunity);
OmOpportunity *om_opportunity_view_get_opportunity (OmOpportunityView *self);
OmPlanTable   *om_opportunity_view_get_table       (OmOpportunityView *self);
OmChainStrip  *om_opportunity_view_get_strip       (OmOpportunityView *self);
GtkWidget     *om_opportunity_view_get_editor      (OmOpportunityView *self);
int            om_opportunity_view_get_selected    (OmOpportunityView *self);
void           om_opportunity_view_select_stage    (OmOpportunityView *self,
                                                    int                position);
void           om_opportunity_view_focus_title     (OmOpportunityView *self);
void           om_opportunity_view_set_show_details (OmOpportunityView *self,
                                                     gboolean           show);
gboolean       om_opportunity_view_get_show_details (OmOpportunityView *self);
gboolean       om_opportunity_view_can_simplify    (OmOpportunityView  *self,
                                                    GError            **error);
void           om_opportunity_view_simplify        (OmOpportunityView *self);
void           om_opportunity_view_get_draft       (OmOpportunityView  *self,
                                                    char              **title,
                                                    char              **client);

G_END_DECLS
