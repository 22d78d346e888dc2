/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_CHAIN_STRIP (om_chain_strip_get_type ())
G_DECLARE_FINAL_TYPE (OmChainStrip, om_chain_strip, OM, CHAIN_STRIP, GtkWidget)

GtkWidget *om_chain_strip_new             (void);
void       om_chain_strip_set_opportunity (OmChainStrip  *self,
                                           OmOpportunity *opportunity);
void       om_chain_strip_set_selected    (OmChainStrip  *self,
                                           int            position);
int        om_chain_strip_stage_at        (OmChainStrip  *self,
                                           double         x);
char      *om_chain_strip_describe_at     (OmChainStrip  *self,
                                           double         x);
guint      om_chain_strip_get_n_segments  (OmChainStrip  *self);
void       om_chain_strip_get_segment     (OmChainStrip  *self,
                                           guint          index,
                                           guint         *first_stage,
                                           guint         *n_stages,
                                           double        *x,
                                           double        *width);

G_END_DECLS
