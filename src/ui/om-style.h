/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-timeline-paint.h"

G_BEGIN_DECLS

/* WCAG 2 AA for normal text */
#define OM_STYLE_MIN_CONTRAST 4.5

double om_style_contrast        (const GdkRGBA *a,
                                 const GdkRGBA *b);
void   om_style_readable_color  (const GdkRGBA *color,
                                 const GdkRGBA *foreground,
                                 const GdkRGBA *backgrounds,
                                 guint          n_backgrounds,
                                 GdkRGBA       *readable);
void   om_style_init_for_display (GdkDisplay   *display);
void   om_timeline_palette_init_for_widget (OmTimelinePalette *palette,
                                            GtkWidget         *widget);

void   om_snapshot_rect         (GtkSnapshot   *snapshot,
                                 const OmRgba  *color,
                                 double         x,
                                 double         y,
                                 double         width,
                                 double         height);
void   om_snapshot_outline      (GtkSnapshot   *snapshot,
                                 const OmRgba  *color,
                                 double         x,
                                 double         y,
                                 double         width,
                                 double         height,
                                 double         line);
void   om_snapshot_diamond      (GtkSnapshot   *snapshot,
                                 double         cx,
                                 double         cy,
                                 double         r,
                                 const OmRgba  *fill,
                                 const OmRgba  *line,
                                 double         line_width);

G_END_DECLS
