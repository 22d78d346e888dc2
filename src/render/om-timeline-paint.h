/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "om-timeline-layout.h"

G_BEGIN_DECLS

/*
 * The timeline's look, drawn with cairo so that the same code paints the
 * window (through GtkSnapshot) and the printed summary (vector PDF).
 */

/* A colour, as GdkRGBA holds one (the window converts), without GDK */
typedef struct
{
  float red;
  float green;
  float blue;
  float alpha;
} OmRgba;

typedef struct
{
  OmRgba foreground;
  OmRgba dim;
  OmRgba background;
  OmRgba won;
  OmRgba lost;
  OmRgba current;
  OmRgba pending;
  OmRgba overdue;
  OmRgba today;
  OmRgba selection;
} OmTimelinePalette;

typedef enum
{
  OM_TIMELINE_PAINT_NONE     = 0,
  OM_TIMELINE_PAINT_SELECTED = 1 << 0,
  OM_TIMELINE_PAINT_FOCUSED  = 1 << 1,
  OM_TIMELINE_PAINT_DRAGGED  = 1 << 2,
} OmTimelinePaintFlags;

void om_timeline_palette_init_light (OmTimelinePalette       *palette);
void om_timeline_palette_init_from  (OmTimelinePalette       *palette,
                                     const OmRgba           *foreground,
                                     gboolean                 dark);
void om_timeline_paint_axis         (cairo_t                 *cr,
                                     const OmTimelineLayout  *layout,
                                     const OmTimelinePalette *palette,
                                     PangoContext            *context);
void om_timeline_paint_today        (cairo_t                 *cr,
                                     const OmTimelineLayout  *layout,
                                     const OmTimelinePalette *palette,
                                     PangoContext            *context);
void om_timeline_diamond_path       (cairo_t                 *cr,
                                     double                   cx,
                                     double                   cy,
                                     double                   r);
void om_timeline_paint_target       (cairo_t                 *cr,
                                     const OmTimelineLayout  *layout,
                                     const OmTimelinePalette *palette,
                                     PangoContext            *context);
void om_timeline_paint_stage        (cairo_t                 *cr,
                                     const OmTimelineStage   *stage,
                                     const OmTimelinePalette *palette,
                                     PangoContext            *context,
                                     OmTimelinePaintFlags     flags);
void om_timeline_paint              (cairo_t                 *cr,
                                     const OmTimelineLayout  *layout,
                                     const OmTimelinePalette *palette,
                                     PangoContext            *context);

/* The timeline's colour and text, for the other charts drawn like it */
void         om_timeline_set_source (cairo_t                 *cr,
                                     const OmRgba            *color);
PangoLayout *om_timeline_text_new   (PangoContext            *context,
                                     const char              *text,
                                     gboolean                 bold,
                                     double                   scale,
                                     double                   width);

G_END_DECLS
