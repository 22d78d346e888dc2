/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "om-timeline-paint.h"

static void
rgba (OmRgba *c,
      double   r,
      double   g,
      double   b,
      double   a)
{
  c->red = r;
  c->green = g;
  c->blue = b;
  c->alpha = a;
}

/* GNOME palette colours; states also differ in shape and glyph, so the
 * timeline reads without colour. */
void
om_timeline_palette_init_light (OmTimelinePalette *p)
{
  rgba (&p->foreground, 0.14, 0.14, 0.16, 1);
  rgba (&p->dim, 0.37, 0.36, 0.39, 1);
  rgba (&p->background, 1, 1, 1, 1);
  rgba (&p->won, 0.15, 0.64, 0.41, 1);      /* green 4 */
  rgba (&p->lost, 0.75, 0.11, 0.16, 1);     /* red 4 */
  rgba (&p->current, 0.11, 0.44, 0.85, 1);  /* blue 4 */
  rgba (&p->pending, 0.60, 0.59, 0.59, 1);  /* light 5 */
  rgba (&p->overdue, 0.90, 0.38, 0.00, 1);  /* orange 4 */
  rgba (&p->today, 0.75, 0.11, 0.16, 0.85);
  rgba (&p->selection, 0.21, 0.52, 0.89, 0.18);
}

void
om_timeline_palette_init_from (OmTimelinePalette *p,
                               const OmRgba     *foreground,
                               gboolean           dark)
{
  om_timeline_palette_init_light (p);
  p->foreground = *foreground;
  p->dim = *foreground;
  p->dim.alpha *= 0.7;
  if (dark)
    {
      rgba (&p->background, 0.19, 0.19, 0.20, 1);
      rgba (&p->won, 0.34, 0.89, 0.54, 1);
      rgba (&p->lost, 1.0, 0.48, 0.39, 1);
      rgba (&p->current, 0.47, 0.68, 0.93, 1);
      rgba (&p->pending, 0.60, 0.60, 0.62, 1);
      rgba (&p->overdue, 1.0, 0.64, 0.28, 1);
    }
}

static void
set_color (cairo_t       *cr,
           const OmRgba *c)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
}

static PangoLayout *
make_text (PangoContext *context,
           const char   *text,
           gboolean      bold,
           double        scale,
           double        width)
{
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *desc = pango_font_description_copy (pango_context_get_font_description (context));

  if (desc == NULL)
    desc = pango_font_description_new ();
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  if (scale != 1.0 && pango_font_description_get_size (desc) > 0)
    pango_font_description_set_size (desc, (int) (pango_font_description_get_size (desc) * scale));
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

static void
show_text (cairo_t      *cr,
           PangoContext *context,
           const char   *text,
           double        x,
           double        y,
           gboolean      bold,
           double        scale,
           double        width)
{
  g_autoptr(PangoLayout) layout = make_text (context, text, bold, scale, width);

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

void
om_timeline_paint_axis (cairo_t                 *cr,
                        const OmTimelineLayout  *layout,
                        const OmTimelinePalette *palette,
                        PangoContext            *context)
{
  double axis_y = OM_TIMELINE_AXIS_HEIGHT - 6;
  double clip_x0, clip_x1;

  /* a long plan has thousands of ticks; only those in the clip are drawn */
  cairo_clip_extents (cr, &clip_x0, NULL, &clip_x1, NULL);
  cairo_save (cr);
  set_color (cr, &palette->dim);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, OM_TIMELINE_MARGIN / 2, axis_y + 0.5);
  cairo_line_to (cr, layout->width - OM_TIMELINE_MARGIN / 2, axis_y + 0.5);
  cairo_stroke (cr);

  for (guint i = 0; i < layout->ticks->len; i++)
    {
      const OmTimelineTick *tick = &g_array_index (layout->ticks, OmTimelineTick, i);
      double x = floor (tick->x) + 0.5;

      /* its label reaches right of it, by less than the ticks' spacing */
      if (x + 120 < clip_x0 || x - 2 > clip_x1)
        continue;

      set_color (cr, &palette->dim);
      cairo_move_to (cr, x, axis_y - 5);
      cairo_line_to (cr, x, axis_y + 4);
      cairo_stroke (cr);

      /* a faint guide down through the plan */
      cairo_save (cr);
      cairo_set_source_rgba (cr, palette->dim.red, palette->dim.green, palette->dim.blue, 0.15);
      cairo_move_to (cr, x, axis_y + 4);
      cairo_line_to (cr, x, layout->height);
      cairo_stroke (cr);
      cairo_restore (cr);

      show_text (cr, context, tick->label, x + 3, 2, FALSE, 0.85, -1);
    }
  cairo_restore (cr);
}

void
om_timeline_paint_today (cairo_t                 *cr,
                         const OmTimelineLayout  *layout,
                         const OmTimelinePalette *palette,
                         PangoContext            *context)
{
  double x;

  if (layout->today_x < 0)
    return;

  x = floor (layout->today_x) + 0.5;
  cairo_save (cr);
  set_color (cr, &palette->today);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, x, OM_TIMELINE_AXIS_HEIGHT - 10);
  cairo_line_to (cr, x, layout->height);
  cairo_stroke (cr);
  /* a small flag, so the line reads as "today" without its colour */
  cairo_move_to (cr, x - 5, OM_TIMELINE_AXIS_HEIGHT - 14);
  cairo_line_to (cr, x + 5, OM_TIMELINE_AXIS_HEIGHT - 14);
  cairo_line_to (cr, x, OM_TIMELINE_AXIS_HEIGHT - 7);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* The client's deadline: a dashed line with a flag of its own shape
 * (square, where today's is a triangle) and its name */
void
om_timeline_paint_target (cairo_t                 *cr,
                          const OmTimelineLayout  *layout,
                          const OmTimelinePalette *palette,
                          PangoContext            *context)
{
  double x;
  double dash[] = { 6, 4 };

  if (layout->target_x < 0)
    return;

  x = floor (layout->target_x) + 0.5;
  cairo_save (cr);
  set_color (cr, &palette->foreground);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, x, OM_TIMELINE_AXIS_HEIGHT - 8);
  cairo_line_to (cr, x, layout->height);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_rectangle (cr, x - 4, OM_TIMELINE_AXIS_HEIGHT - 15, 8, 8);
  cairo_fill (cr);
  cairo_restore (cr);
  /* Translators: the client's deadline on the timeline, over its line */
  show_text (cr, context, _("Deadline"), x + 4, OM_TIMELINE_BAR_Y + OM_TIMELINE_BAR_HEIGHT / 2 + 2, FALSE, 0.75, -1);
}

static const OmRgba *
stage_color (const OmTimelineStage   *stage,
             const OmTimelinePalette *palette)
{
  if (stage->status == OM_STAGE_STATUS_WON)
    return &palette->won;
  if (stage->status == OM_STAGE_STATUS_LOST)
    return &palette->lost;
  if (stage->overdue)
    return &palette->overdue;
  if (stage->current)
    return &palette->current;
  return &palette->pending;
}

/**
 * om_timeline_diamond_path:
 * @r: half the diagonal
 *
 * A milestone's diamond at (@cx, @cy), as a path: the one shape of it,
 * on the window's date axis and on the printed summary.
 */
void
om_timeline_diamond_path (cairo_t *cr,
                          double   cx,
                          double   cy,
                          double   r)
{
  cairo_move_to (cr, cx, cy - r);
  cairo_line_to (cr, cx + r, cy);
  cairo_line_to (cr, cx, cy + r);
  cairo_line_to (cr, cx - r, cy);
  cairo_close_path (cr);
}

static void
paint_bar (cairo_t                 *cr,
           const OmTimelineStage   *stage,
           const OmRgba           *color,
           const OmTimelinePalette *palette,
           PangoContext            *context)
{
  double x0 = stage->bar_x0 + 1;
  double x1 = stage->milestone_x - OM_TIMELINE_DIAMOND / 2 + 2;
  double y = OM_TIMELINE_BAR_Y - OM_TIMELINE_BAR_HEIGHT / 2;
  double h = OM_TIMELINE_BAR_HEIGHT;
  double w = x1 - x0;
  double clip_x0, clip_x1;

  if (w < 2)
    return;  /* a zero-day stage is its milestone alone */

  cairo_save (cr);
  cairo_rectangle (cr, x0, y, w, h);
  switch (stage->status)
    {
    case OM_STAGE_STATUS_WON:
      set_color (cr, color);
      cairo_fill (cr);
      break;
    case OM_STAGE_STATUS_LOST:
      /* hatched: a broken stage; only as far as can be seen */
      cairo_clip_preserve (cr);
      cairo_clip_extents (cr, &clip_x0, NULL, &clip_x1, NULL);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.15);
      cairo_fill (cr);
      set_color (cr, color);
      cairo_set_line_width (cr, 1.5);
      for (double hx = x0 - h + 7 * floor (MAX (0, clip_x0 - x0) / 7); hx < MIN (x1, clip_x1 + 1); hx += 7)
        {
          cairo_move_to (cr, hx, y + h);
          cairo_line_to (cr, hx + h, y);
        }
      cairo_stroke (cr);
      break;
    case OM_STAGE_STATUS_PENDING:
    default:
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, stage->current ? 0.25 : 0.12);
      cairo_fill_preserve (cr);
      set_color (cr, color);
      cairo_set_line_width (cr, stage->current ? 2 : 1);
      if (stage->overdue)
        {
          double dash[] = { 4, 3 };
          cairo_set_dash (cr, dash, 2, 0);
        }
      cairo_stroke (cr);
      break;
    }
  cairo_restore (cr);

  /* the activity's name inside its bar when there is room: at the left
   * of what shows of it, as a long bar at a close zoom starts far out of
   * view */
  cairo_clip_extents (cr, &clip_x0, NULL, &clip_x1, NULL);
  x0 = MAX (x0, MIN (clip_x0, x1 - 40));
  w = x1 - x0;
  if (w > 40)
    {
      g_autoptr(PangoLayout) text = make_text (context, stage->activity, FALSE, 0.8, w - 8);
      int th = 0;

      pango_layout_get_pixel_size (text, NULL, &th);
      cairo_save (cr);
      if (stage->status == OM_STAGE_STATUS_WON)
        cairo_set_source_rgb (cr, 1, 1, 1);
      else
        set_color (cr, &palette->foreground);
      cairo_move_to (cr, x0 + 4, y + (h - th) / 2);
      pango_cairo_show_layout (cr, text);
      cairo_restore (cr);
    }
}

static void
paint_diamond (cairo_t                 *cr,
               const OmTimelineStage   *stage,
               const OmRgba           *color,
               const OmTimelinePalette *palette)
{
  double cx = stage->milestone_x;
  double cy = OM_TIMELINE_BAR_Y;
  double r = OM_TIMELINE_DIAMOND / 2 + (stage->current ? 2 : 0);

  /* where the plan of record had it: a faint dashed ghost */
  if (stage->baseline_x >= 0)
    {
      double dash[] = { 2, 2 };

      cairo_save (cr);
      om_timeline_diamond_path (cr, stage->baseline_x, cy, OM_TIMELINE_DIAMOND / 2 - 3);
      cairo_set_source_rgba (cr, palette->foreground.red, palette->foreground.green, palette->foreground.blue, 0.45);
      cairo_set_line_width (cr, 1.2);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  cairo_save (cr);
  /* agreed with the client: a second outline, a shape that does not
   * depend on the colour */
  if (stage->status == OM_STAGE_STATUS_PENDING && stage->agreed)
    {
      om_timeline_diamond_path (cr, cx, cy, r + 4);
      set_color (cr, color);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }
  om_timeline_diamond_path (cr, cx, cy, r);
  if (stage->status == OM_STAGE_STATUS_PENDING)
    set_color (cr, &palette->background);
  else
    set_color (cr, color);
  cairo_fill_preserve (cr);
  set_color (cr, color);
  cairo_set_line_width (cr, stage->current ? 3 : 2);
  cairo_stroke (cr);

  /* the glyph that tells the state without colour */
  cairo_set_line_width (cr, 2.2);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  switch (stage->status)
    {
    case OM_STAGE_STATUS_WON:
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, cx - 4, cy);
      cairo_line_to (cr, cx - 1, cy + 3);
      cairo_line_to (cr, cx + 4, cy - 3);
      cairo_stroke (cr);
      break;
    case OM_STAGE_STATUS_LOST:
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, cx - 3.5, cy - 3.5);
      cairo_line_to (cr, cx + 3.5, cy + 3.5);
      cairo_move_to (cr, cx + 3.5, cy - 3.5);
      cairo_line_to (cr, cx - 3.5, cy + 3.5);
      cairo_stroke (cr);
      break;
    case OM_STAGE_STATUS_PENDING:
    default:
      set_color (cr, color);
      if (stage->overdue)
        {
          cairo_move_to (cr, cx, cy - 4.5);
          cairo_line_to (cr, cx, cy + 1);
          cairo_stroke (cr);
          cairo_arc (cr, cx, cy + 4, 1.3, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else if (stage->current)
        {
          cairo_arc (cr, cx, cy, 3.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      break;
    }
  cairo_restore (cr);
}

static void
paint_kind_badge (cairo_t                 *cr,
                  const OmTimelineStage   *stage,
                  const OmTimelinePalette *palette,
                  PangoContext            *context)
{
  /* Translators: one-letter badges over a milestone: Process agreement, Feasibility study */
  const char *letter = stage->kind == OM_STAGE_KIND_PROCESS_AGREEMENT ? C_("badge", "P")
                     : stage->kind == OM_STAGE_KIND_FEASIBILITY_STUDY ? C_("badge", "F")
                     : NULL;
  g_autoptr(PangoLayout) text = NULL;
  double cx = stage->milestone_x + OM_TIMELINE_DIAMOND / 2 + 2;
  double cy = OM_TIMELINE_BAR_Y - OM_TIMELINE_DIAMOND / 2 - 1;
  int tw, th;

  if (letter == NULL)
    return;

  cairo_save (cr);
  set_color (cr, &palette->foreground);
  cairo_arc (cr, cx, cy, 7, 0, 2 * G_PI);
  cairo_fill (cr);
  text = make_text (context, letter, TRUE, 0.7, -1);
  pango_layout_get_pixel_size (text, &tw, &th);
  set_color (cr, &palette->background);
  cairo_move_to (cr, cx - tw / 2.0, cy - th / 2.0);
  pango_cairo_show_layout (cr, text);
  cairo_restore (cr);
}

static void
paint_label (cairo_t                 *cr,
             const OmTimelineStage   *stage,
             const OmRgba           *color,
             const OmTimelinePalette *palette,
             PangoContext            *context)
{
  double x = stage->label_x;
  double y = stage->label_y;

  cairo_save (cr);
  /* a leader from the diamond down to its label */
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, floor (stage->milestone_x) + 0.5, OM_TIMELINE_BAR_Y + OM_TIMELINE_DIAMOND / 2 + 2);
  cairo_line_to (cr, floor (stage->milestone_x) + 0.5, y + 2);
  cairo_stroke (cr);

  set_color (cr, &palette->foreground);
  show_text (cr, context, stage->milestone, x + 6, y, TRUE, 0.9, stage->label_width - 6);
  if (stage->overdue)
    set_color (cr, color);
  else
    set_color (cr, &palette->dim);
  show_text (cr, context, stage->detail, x + 6, y + 17, FALSE, 0.8, stage->label_width - 6);
  cairo_restore (cr);
}

/**
 * om_timeline_paint_stage:
 *
 * Draws one stage: its activity bar, its milestone diamond with the
 * state's glyph, and its label, at the layout's coordinates.
 */
void
om_timeline_paint_stage (cairo_t                 *cr,
                         const OmTimelineStage   *stage,
                         const OmTimelinePalette *palette,
                         PangoContext            *context,
                         OmTimelinePaintFlags     flags)
{
  const OmRgba *color = stage_color (stage, palette);

  cairo_save (cr);
  if (flags & OM_TIMELINE_PAINT_DRAGGED)
    cairo_push_group (cr);

  if (flags & OM_TIMELINE_PAINT_SELECTED)
    {
      set_color (cr, &palette->selection);
      cairo_rectangle (cr, stage->bar_x0, OM_TIMELINE_BAR_Y - OM_TIMELINE_DIAMOND / 2 - 4,
                       stage->milestone_x + OM_TIMELINE_DIAMOND / 2 + 4 - stage->bar_x0,
                       OM_TIMELINE_DIAMOND + 8);
      cairo_rectangle (cr, stage->label_x, stage->label_y - 2, stage->label_width + 2, OM_TIMELINE_LABEL_HEIGHT - 4);
      cairo_fill (cr);
    }

  paint_bar (cr, stage, color, palette, context);
  paint_diamond (cr, stage, color, palette);
  paint_kind_badge (cr, stage, palette, context);
  paint_label (cr, stage, color, palette, context);

  if (flags & OM_TIMELINE_PAINT_DRAGGED)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, 0.35);
    }
  cairo_restore (cr);
}

/**
 * om_timeline_paint:
 *
 * Draws the whole timeline: axis, stages and the today line.
 */
void
om_timeline_paint (cairo_t                 *cr,
                   const OmTimelineLayout  *layout,
                   const OmTimelinePalette *palette,
                   PangoContext            *context)
{
  double clip_x0, clip_x1;

  cairo_clip_extents (cr, &clip_x0, NULL, &clip_x1, NULL);
  om_timeline_paint_axis (cr, layout, palette, context);
  /* under the stages: their text stays readable over it */
  om_timeline_paint_target (cr, layout, palette, context);
  for (guint i = 0; i < layout->stages->len; i++)
    {
      const OmTimelineStage *stage = &g_array_index (layout->stages, OmTimelineStage, i);
      double x0, x1;

      om_timeline_stage_get_extent (stage, &x0, &x1);
      if (x1 >= clip_x0 && x0 <= clip_x1)
        om_timeline_paint_stage (cr, stage, palette, context, OM_TIMELINE_PAINT_NONE);
    }
  om_timeline_paint_today (cr, layout, palette, context);
}

/**
 * om_timeline_set_source:
 *
 * Sets @color as @cr's source: the one conversion from the palette.
 */
void
om_timeline_set_source (cairo_t      *cr,
                        const OmRgba *color)
{
  set_color (cr, color);
}

/**
 * om_timeline_text_new:
 * @bold: in the bold weight
 * @scale: of @context's font size
 * @width: the most pixels it may take, ellipsized past them; <= 0 for any
 *
 * Returns: (transfer full): @text as the timeline sets it
 */
PangoLayout *
om_timeline_text_new (PangoContext *context,
                      const char   *text,
                      gboolean      bold,
                      double        scale,
                      double        width)
{
  return make_text (context, text, bold, scale, width);
}
