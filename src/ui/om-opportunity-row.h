/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_OPPORTUNITY_ROW (om_opportunity_row_get_type ())
G_DECLARE_FINAL_TYPE (OmOpportunityRow, om_opportunity_row, OM, OPPORTUNITY_ROW, GtkWidget)

GtkWidget *om_opportunity_row_new             (void);
void       om_opportunity_row_set_opportunity (OmOpportunityRow *self,
                                               OmOpportunity    *opportunity);
void       om_opportunity_row_set_draft       (OmOpportunityRow *self,
                                               const char       *title,
                                               const char       *client);

G_END_DECLS
