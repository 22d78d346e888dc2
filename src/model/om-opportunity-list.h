/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-opportunity-summary.h"

G_BEGIN_DECLS

#define OM_TYPE_OPPORTUNITY_LIST (om_opportunity_list_get_type ())
G_DECLARE_FINAL_TYPE (OmOpportunityList, om_opportunity_list, OM, OPPORTUNITY_LIST, GObject)

const OmOpportunityQuery *om_opportunity_list_get_query   (OmOpportunityList        *self);
void                      om_opportunity_list_set_query   (OmOpportunityList        *self,
                                                           const OmOpportunityQuery *query);
guint                     om_opportunity_list_find        (OmOpportunityList        *self,
                                                           gint64                    id);
guint                     om_opportunity_list_find_read   (OmOpportunityList        *self,
                                                           gint64                    id);
void                      om_opportunity_list_read_rest   (OmOpportunityList        *self);
gint64                    om_opportunity_list_get_id      (OmOpportunityList        *self,
                                                           guint                     position);
gboolean                  om_opportunity_list_is_updating (OmOpportunityList        *self);

G_END_DECLS
