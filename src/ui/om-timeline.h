/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"
#include "om-timeline-layout.h"
#include "om-timeline-paint.h"

G_BEGIN_DECLS

#define OM_TYPE_TIMELINE (om_timeline_get_type ())
G_DECLARE_FINAL_TYPE (OmTimeline, om_timeline, OM, TIMELINE, GtkWidget)

GtkWidget              *om_timeline_new              (void);
void                    om_timeline_palette_init_for_widget (OmTimelinePalette *palette,
                                                      GtkWidget         *widget);
void                    om_timeline_set_opportunity  (OmTimeline    *self,
                                                      OmOpportunity *opportunity);
OmOpportunity          *om_timeline_get_opportunity  (OmTimeline    *self);
int                     om_timeline_get_selected     (OmTimeline    *self);
void                    om_timeline_set_selected     (OmTimeline    *self,
                                                      int            position);
double                  om_timeline_get_px_per_day   (OmTimeline    *self);
void                    om_timeline_set_px_per_day   (OmTimeline    *self,
                                                      double         px_per_day);
void                    om_timeline_zoom             (OmTimeline    *self,
                                                      double         factor);
void                    om_timeline_zoom_to_fit      (OmTimeline    *self);
const OmTimelineLayout *om_timeline_get_layout       (OmTimeline    *self);
GtkWidget              *om_timeline_get_stage_widget (OmTimeline    *self,
                                                      guint          position);
gboolean                om_timeline_cancel_drag      (OmTimeline    *self);
void                    om_timeline_refresh          (OmTimeline    *self);
gboolean                om_timeline_focus_stage      (OmTimeline    *self,
                                                      guint          position);

G_END_DECLS
