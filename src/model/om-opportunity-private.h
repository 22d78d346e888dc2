/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "om-opportunity.h"
#include "om-opportunity-list.h"
#include "om-repository.h"

G_BEGIN_DECLS

OmOpportunity *_om_opportunity_new   (OmRepository            *repository,
                                      const OmOpportunityData *data);
void           _om_opportunity_apply_derived (OmOpportunity           *self,
                                              const OmOpportunityData *data,
                                              const OmDerivedValues   *derived);
void           _om_opportunity_apply (OmOpportunity           *self,
                                      const OmOpportunityData *data);
OmOpportunity *_om_opportunity_new_from_summary (OmRepository               *repository,
                                                 const OmOpportunitySummary *summary);
void           _om_opportunity_set_summary      (OmOpportunity              *self,
                                                 const OmOpportunitySummary *summary);
gboolean       _om_opportunity_is_loaded        (OmOpportunity              *self);

OmOpportunity *_om_repository_lookup   (OmRepository             *self,
                                        const gint64             *ids,
                                        guint                     n_ids);
GArray        *_om_repository_list_ids (OmRepository             *self,
                                        const OmOpportunityQuery *query,
                                        GError                  **error);
OmOpportunityList *_om_opportunity_list_new (OmRepository             *repository,
                                             const OmOpportunityQuery *query,
                                             guint                     first);
gboolean       _om_opportunity_list_refresh (OmOpportunityList       *self);

OmOpportunityData *_om_repository_read (OmRepository            *self,
                                        gint64                   id,
                                        GError                 **error);

/* @next: judged by the rules already, with @derived its derived values */
gboolean       _om_repository_commit (OmRepository            *self,
                                      OmOpportunity           *opportunity,
                                      OmOpportunityData       *next,
                                      const OmDerivedValues   *derived,
                                      const char              *label,
                                      GError                 **error);

G_END_DECLS

G_BEGIN_DECLS
void           _om_opportunity_detach (OmOpportunity          *self);
G_END_DECLS
