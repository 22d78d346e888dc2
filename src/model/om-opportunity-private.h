/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "om-opportunity.h"
#include "om-repository.h"

G_BEGIN_DECLS

OmOpportunity *_om_opportunity_new   (OmRepository            *repository,
                                      const OmOpportunityData *data);
void           _om_opportunity_apply (OmOpportunity           *self,
                                      const OmOpportunityData *data);

gboolean       _om_repository_commit (OmRepository            *self,
                                      OmOpportunity           *opportunity,
                                      OmOpportunityData       *next,
                                      const char              *label,
                                      GError                 **error);

G_END_DECLS

G_BEGIN_DECLS
void           _om_opportunity_detach (OmOpportunity          *self);
G_END_DECLS
