/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "om-pipeline-paint.h"

#define TEXT_SCALE   0.8
#define MARGIN_RIGHT 8.0
#define TICK_GAP     6.0    /* between a tick's label and the plot */
#define BAR_MAX      56.0
#define SWATCH       10.0

/* Names and amounts */

static GDateTime *
month_start (int year,
             int month)
{
  return g_date_time_new_utc (year, month, 1, 0, 0, 0);
}

/**
 * om_pipeline_month_name:
 *
 * Returns: (transfer full): the month as the user's language names it
 *   with its year, "March 2026"
 */
char *
om_pipeline_month_name (int year,
                        int month)
{
  g_autoptr(GDateTime) start = month_start (year, month);

  g_return_val_if_fail (start != NULL, g_strdup_printf ("%04d-%02d", year, month));
  /* Translators: a month and its year in the pipeline (g_date_time_format();
   * %OB is the month's name standing alone) */
  return g_date_time_format (start, C_("pipeline month", "%OB %Y"));
}

static char *
short_month_name (int year,
                  int month)
{
  g_autoptr(GDateTime) start = month_start (year, month);

  /* Translators: a month under a column of the pipeline chart, short */
  return g_date_time_format (start, C_("pipeline axis", "%Ob"));
}

/**
 * om_pipeline_amount_label:
 *
 * Returns: (transfer full): @minor as the locale writes money, without
 *   a fraction that is zero ("1,250,000" on an axis of round amounts)
 */
char *
om_pipeline_amount_label (gint64      minor,
                          const char *currency)
{
  char *number = om_money_format_number (minor, currency);
  guint decimals = om_currency_decimals (currency);
  gsize len = strlen (number);

  if (decimals > 0 && minor % 100 == 0 && len > decimals)
    {
      /* the zeros, then the decimal mark, whatever its length */
      len -= decimals;
      while (len > 0 && !g_ascii_isdigit (number[len - 1]))
        len--;
      number[len] = '\0';
    }
  return number;
}

/**
 * om_pipeline_tick_step:
 * @max: the largest amount shown, minor units
 * @max_ticks: how many steps above zero there is room for
 *
 * Returns: a round step (1, 2 or 5 times a power of ten, one unit of
 *   the currency at least) that reaches @max in at most @max_ticks steps
 */
gint64
om_pipeline_tick_step (gint64 max,
                       guint  max_ticks)
{
  static const gint64 factors[] = { 1, 2, 5 };
  gint64 raw, magnitude = 100;

  max_ticks = MAX (max_ticks, 1);
  if (max <= 0)
    return 100;
  raw = max / max_ticks + (max % max_ticks != 0);
  while (magnitude <= G_MAXINT64 / 100 && magnitude * 10 <= raw)
    magnitude *= 10;
  for (guint i = 0; i < G_N_ELEMENTS (factors); i++)
    if (factors[i] * magnitude >= raw)
      return factors[i] * magnitude;
  return magnitude * 10;
}

/* The layout */

static void
clear_tick (gpointer data)
{
  OmPipelineTick *tick = data;

  g_free (tick->label);
}

static int
month_key (int year,
           int month)
{
  return year * 12 + (month - 1);
}

static int
compare_bars (gconstpointer a,
              gconstpointer b)
{
  const OmPipelineBar *x = a, *y = b;

  return month_key (x->year, x->month) - month_key (y->year, y->month);
}

static void
text_size (PangoContext *context,
           const char   *text,
           int          *width,
           int          *height)
{
  g_autoptr(PangoLayout) layout = om_timeline_text_new (context, text, FALSE, TEXT_SCALE, -1);

  pango_layout_get_pixel_size (layout, width, height);
}

/**
 * om_pipeline_layout_new:
 * @rows: (element-type OmPipelineRow): om_repository_get_pipeline()'s
 *   answer, every currency
 * @currency: the one currency to lay out (never two summed)
 *
 * Returns: (transfer full): where the axes, columns and bars of
 *   @currency's months go in a chart of @width × @height
 */
OmPipelineLayout *
om_pipeline_layout_new (GPtrArray    *rows,
                        const char   *currency,
                        double        width,
                        double        height,
                        PangoContext *context)
{
  OmPipelineLayout *layout = g_new0 (OmPipelineLayout, 1);
  gint64 max = 0, step, top;
  int text_h = 0, widest = 0, first = 0;
  guint max_ticks;

  g_return_val_if_fail (currency != NULL, layout);

  layout->currency = g_strdup (currency);
  layout->width = width;
  layout->height = height;
  layout->bars = g_array_new (FALSE, TRUE, sizeof (OmPipelineBar));
  layout->ticks = g_array_new (FALSE, TRUE, sizeof (OmPipelineTick));
  g_array_set_clear_func (layout->ticks, clear_tick);
  layout->label_step = 1;

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const OmPipelineRow *row = g_ptr_array_index (rows, i);
      OmPipelineBar bar = { 0 };

      if (g_strcmp0 (row->currency, currency) != 0 || row->month < 1 || row->month > 12)
        continue;
      bar.year = row->year;
      bar.month = row->month;
      bar.n = row->n;
      bar.value = row->value;
      bar.weighted = row->weighted;
      max = MAX (max, MAX (row->value, row->weighted));
      g_array_append_val (layout->bars, bar);
    }
  g_array_sort (layout->bars, compare_bars);

  /* a line for the legend above, two for the months' and years' names below */
  text_size (context, "0", NULL, &text_h);
  layout->plot_top = text_h + 10;
  layout->baseline = MAX (layout->plot_top + 20, height - 2 * text_h - 8);

  max_ticks = (guint) CLAMP ((layout->baseline - layout->plot_top) / (2.2 * text_h), 1, 5);
  step = om_pipeline_tick_step (max, max_ticks);
  top = MAX (step, (max / step + (max % step != 0)) * step);
  for (gint64 v = 0; v <= top && v >= 0; v += step)
    {
      OmPipelineTick tick = { v, 0, om_pipeline_amount_label (v, currency) };
      int w = 0;

      tick.y = layout->baseline - (double) v / (double) top * (layout->baseline - layout->plot_top);
      text_size (context, tick.label, &w, NULL);
      widest = MAX (widest, w);
      g_array_append_val (layout->ticks, tick);
    }

  layout->plot_x0 = widest + 2 * TICK_GAP;
  layout->plot_x1 = MAX (layout->plot_x0 + 1, width - MARGIN_RIGHT);
  if (layout->bars->len == 0)
    return layout;

  {
    const OmPipelineBar *a = &g_array_index (layout->bars, OmPipelineBar, 0);
    const OmPipelineBar *b = &g_array_index (layout->bars, OmPipelineBar, layout->bars->len - 1);

    first = month_key (a->year, a->month);
    layout->first_year = a->year;
    layout->first_month = a->month;
    layout->n_columns = (guint) (month_key (b->year, b->month) - first + 1);
  }
  layout->column_width = (layout->plot_x1 - layout->plot_x0) / layout->n_columns;

  for (guint i = 0; i < layout->bars->len; i++)
    {
      OmPipelineBar *bar = &g_array_index (layout->bars, OmPipelineBar, i);
      double cw = layout->column_width;
      double span = layout->baseline - layout->plot_top;

      bar->column = (guint) (month_key (bar->year, bar->month) - first);
      bar->x = layout->plot_x0 + bar->column * cw;
      bar->width = cw;
      bar->bar_width = cw >= 4 ? MIN (floor (cw * 0.66), BAR_MAX) : MAX (cw, 1);
      bar->bar_x = bar->x + (cw - bar->bar_width) / 2;
      bar->value_y = layout->baseline - (double) bar->value / (double) top * span;
      bar->weighted_y = layout->baseline - (double) bar->weighted / (double) top * span;
      /* an amount, however small, shows */
      if (bar->value > 0)
        bar->value_y = MIN (bar->value_y, layout->baseline - 1);
      if (bar->weighted > 0)
        bar->weighted_y = MIN (bar->weighted_y, layout->baseline - 1);
    }

  /* a month's name under every so many columns, as many as fit */
  {
    int widest_month = 0, year_w = 0;

    for (guint c = 0; c < MIN (layout->n_columns, 12); c++)
      {
        int key = first + (int) c;
        g_autofree char *name = short_month_name (key / 12, key % 12 + 1);
        int w = 0;

        text_size (context, name, &w, NULL);
        widest_month = MAX (widest_month, w);
      }
    /* and the year, under some of them */
    text_size (context, "8888", &year_w, NULL);
    widest_month = MAX (widest_month, year_w);
    layout->label_step = (guint) MAX (1, ceil ((widest_month + 8) / layout->column_width));
  }
  return layout;
}

void
om_pipeline_layout_free (OmPipelineLayout *layout)
{
  if (layout == NULL)
    return;
  g_free (layout->currency);
  g_array_unref (layout->bars);
  g_array_unref (layout->ticks);
  g_free (layout);
}

/**
 * om_pipeline_layout_bar_at:
 *
 * What a click at (@x, @y) points at: anywhere in a month's column, from
 * the top of the plot to the month's name, so that a small amount's
 * short bar is as easy to hit as a large one's.
 *
 * Returns: the index in @layout's bars of the month there, or -1 where
 *   there is none (outside the columns, or a month with nothing)
 */
int
om_pipeline_layout_bar_at (const OmPipelineLayout *layout,
                           double                  x,
                           double                  y)
{
  guint column, lo = 0, hi;

  g_return_val_if_fail (layout != NULL, -1);

  if (layout->n_columns == 0 || x < layout->plot_x0 || x >= layout->plot_x1 ||
      y < layout->plot_top - 6 || y > layout->height)
    return -1;
  column = (guint) ((x - layout->plot_x0) / layout->column_width);
  hi = layout->bars->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const OmPipelineBar *bar = &g_array_index (layout->bars, OmPipelineBar, mid);

      if (bar->column == column)
        return (int) mid;
      if (bar->column < column)
        lo = mid + 1;
      else
        hi = mid;
    }
  return -1;
}

/* Painting */

static void
show_text (cairo_t      *cr,
           PangoContext *context,
           const char   *text,
           double        x,
           double        y,
           double        xalign,
           double        min_x,
           double        max_x)
{
  g_autoptr(PangoLayout) layout = om_timeline_text_new (context, text, FALSE, TEXT_SCALE, -1);
  int w = 0;

  pango_layout_get_pixel_size (layout, &w, NULL);
  x = CLAMP (x - w * xalign, min_x, MAX (min_x, max_x - w));
  cairo_move_to (cr, floor (x), floor (y));
  pango_cairo_show_layout (cr, layout);
}

static void
paint_axis (cairo_t                 *cr,
            const OmPipelineLayout  *layout,
            const OmTimelinePalette *palette,
            PangoContext            *context)
{
  int text_h = 0;

  text_size (context, "0", NULL, &text_h);
  cairo_save (cr);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < layout->ticks->len; i++)
    {
      const OmPipelineTick *tick = &g_array_index (layout->ticks, OmPipelineTick, i);
      double y = floor (tick->y) + 0.5;

      /* zero in full, the others as the timeline's faint guides */
      if (i == 0)
        om_timeline_set_source (cr, &palette->dim);
      else
        cairo_set_source_rgba (cr, palette->dim.red, palette->dim.green, palette->dim.blue, 0.15);
      cairo_move_to (cr, layout->plot_x0 - 3, y);
      cairo_line_to (cr, layout->plot_x1, y);
      cairo_stroke (cr);

      om_timeline_set_source (cr, &palette->dim);
      show_text (cr, context, tick->label, layout->plot_x0 - TICK_GAP, tick->y - text_h / 2.0, 1, 0, layout->width);
    }

  /* the months, and the year under the first and each January named */
  {
    int first = month_key (layout->first_year, layout->first_month);
    int last_year = G_MININT;

    om_timeline_set_source (cr, &palette->dim);
    for (guint c = 0; c < layout->n_columns; c += layout->label_step)
      {
        int key = first + (int) c;
        int year = key / 12;
        double cx = layout->plot_x0 + (c + 0.5) * layout->column_width;
        g_autofree char *name = short_month_name (year, key % 12 + 1);

        show_text (cr, context, name, cx, layout->baseline + 3, 0.5, 0, layout->width);
        if (year != last_year)
          {
            g_autofree char *year_text = g_strdup_printf ("%d", year);

            show_text (cr, context, year_text, cx, layout->baseline + 3 + text_h, 0.5, 0, layout->width);
            last_year = year;
          }
      }
  }
  cairo_restore (cr);
}

static void
paint_legend (cairo_t                 *cr,
              const OmPipelineLayout  *layout,
              const OmTimelinePalette *palette,
              PangoContext            *context)
{
  /* Translators: the pipeline chart's legend: the whole bar, and its solid part */
  const char *value = _("Value");
  const char *weighted = _("Weighted value");
  g_autoptr(PangoLayout) value_text = om_timeline_text_new (context, value, FALSE, TEXT_SCALE, -1);
  g_autoptr(PangoLayout) weighted_text = om_timeline_text_new (context, weighted, FALSE, TEXT_SCALE, -1);
  int vw, ww, th;
  double x, y;

  pango_layout_get_pixel_size (value_text, &vw, &th);
  pango_layout_get_pixel_size (weighted_text, &ww, NULL);
  y = 2;
  x = layout->width - MARGIN_RIGHT - vw - SWATCH - 4;

  cairo_save (cr);
  /* the currency, over the amounts' axis */
  om_timeline_set_source (cr, &palette->dim);
  show_text (cr, context, layout->currency, 0, y, 0, 0, layout->width);

  cairo_rectangle (cr, x + 0.75, y + (th - SWATCH) / 2 + 0.75, SWATCH - 1.5, SWATCH - 1.5);
  cairo_set_source_rgba (cr, palette->current.red, palette->current.green, palette->current.blue, 0.2);
  cairo_fill_preserve (cr);
  om_timeline_set_source (cr, &palette->current);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  om_timeline_set_source (cr, &palette->foreground);
  cairo_move_to (cr, x + SWATCH + 4, y);
  pango_cairo_show_layout (cr, value_text);

  x -= 12 + ww + SWATCH + 4;
  cairo_rectangle (cr, x, y + (th - SWATCH) / 2, SWATCH, SWATCH);
  om_timeline_set_source (cr, &palette->current);
  cairo_fill (cr);
  om_timeline_set_source (cr, &palette->foreground);
  cairo_move_to (cr, x + SWATCH + 4, y);
  pango_cairo_show_layout (cr, weighted_text);
  cairo_restore (cr);
}

static void
paint_bar (cairo_t                 *cr,
           const OmPipelineLayout  *layout,
           const OmPipelineBar     *bar,
           const OmTimelinePalette *palette,
           gboolean                 highlighted)
{
  const OmRgba *color = &palette->current;
  double x = bar->bar_x, w = bar->bar_width;

  cairo_save (cr);
  if (highlighted)
    {
      om_timeline_set_source (cr, &palette->selection);
      cairo_rectangle (cr, bar->x, layout->plot_top - 4, bar->width, layout->height - layout->plot_top + 4);
      cairo_fill (cr);
    }

  /* the value: open, outlined, as a pending stage is drawn */
  if (bar->value > 0)
    {
      cairo_rectangle (cr, x, bar->value_y, w, layout->baseline - bar->value_y);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.2);
      cairo_fill (cr);
      if (w >= 4)
        {
          cairo_rectangle (cr, x + 0.75, bar->value_y + 0.75, w - 1.5, layout->baseline - bar->value_y - 0.75);
          om_timeline_set_source (cr, highlighted ? &palette->foreground : color);
          cairo_set_line_width (cr, highlighted ? 2 : 1.5);
          cairo_stroke (cr);
        }
    }
  /* its weighted part: solid, as a won stage is */
  if (bar->weighted > 0)
    {
      cairo_rectangle (cr, x, bar->weighted_y, w, layout->baseline - bar->weighted_y);
      om_timeline_set_source (cr, color);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/**
 * om_pipeline_paint:
 * @highlighted: the index of a bar to show as selected, or -1
 *
 * Draws @layout: the amounts' axis with round ticks, the months' names,
 * the legend and a bar for each month with opportunities.
 */
void
om_pipeline_paint (cairo_t                 *cr,
                   const OmPipelineLayout  *layout,
                   const OmTimelinePalette *palette,
                   PangoContext            *context,
                   int                      highlighted)
{
  g_return_if_fail (layout != NULL);

  paint_legend (cr, layout, palette, context);
  /* the guides under the bars */
  paint_axis (cr, layout, palette, context);
  for (guint i = 0; i < layout->bars->len; i++)
    paint_bar (cr, layout, &g_array_index (layout->bars, OmPipelineBar, i), palette, (int) i == highlighted);
}
