/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "om-pipeline-paint.h"
#include "om-test-support.h"

/*
 * The pipeline chart painted with cairo and Pango alone, no display:
 * one currency's months, a column each from the first to the last, the
 * bars as tall as their amounts on an axis of round amounts, nothing in
 * a month without opportunities, and never another currency's amounts.
 */

#define WIDTH  480
#define HEIGHT ((int) OM_PIPELINE_CHART_HEIGHT)

static OmPipelineRow *
row_new (const char *currency,
         int         year,
         int         month,
         guint       n,
         gint64      value,
         gint64      weighted)
{
  OmPipelineRow *row = g_new0 (OmPipelineRow, 1);

  row->currency = g_strdup (currency);
  row->year = year;
  row->month = month;
  row->n = n;
  row->value = value;
  row->weighted = weighted;
  return row;
}

/* As the backend answers: by month, then currency */
static GPtrArray *
rows_new (void)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) om_pipeline_row_free);

  g_ptr_array_add (rows, row_new ("EUR", 2026, 3, 1, 100000, 18000));
  g_ptr_array_add (rows, row_new ("USD", 2026, 4, 2, 900000, 450000));
  g_ptr_array_add (rows, row_new ("EUR", 2026, 5, 3, 300000, 150000));
  return rows;
}

typedef struct
{
  cairo_surface_t  *surface;
  PangoContext     *context;
  OmPipelineLayout *layout;
  GPtrArray        *rows;
} Chart;

static void
chart_paint (Chart      *chart,
             const char *currency,
             int         highlighted)
{
  g_autoptr(PangoFontMap) map = pango_cairo_font_map_new ();
  OmTimelinePalette palette;
  cairo_t *cr;

  chart->rows = rows_new ();
  chart->context = pango_font_map_create_context (map);
  chart->layout = om_pipeline_layout_new (chart->rows, currency, WIDTH, HEIGHT, chart->context);
  chart->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, WIDTH, HEIGHT);
  om_timeline_palette_init_light (&palette);
  cr = cairo_create (chart->surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  om_pipeline_paint (cr, chart->layout, &palette, chart->context, highlighted);
  cairo_destroy (cr);
  cairo_surface_flush (chart->surface);
}

static void
chart_clear (Chart *chart)
{
  g_clear_pointer (&chart->surface, cairo_surface_destroy);
  g_clear_object (&chart->context);
  g_clear_pointer (&chart->layout, om_pipeline_layout_free);
  g_clear_pointer (&chart->rows, g_ptr_array_unref);
}

static void
pixel (Chart *chart,
       int    x,
       int    y,
       int   *r,
       int   *g,
       int   *b)
{
  const guint8 *data = cairo_image_surface_get_data (chart->surface);
  int stride = cairo_image_surface_get_stride (chart->surface);
  guint32 p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (x, <, WIDTH);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (y, <, HEIGHT);
  p = *(const guint32 *) (data + y * stride + x * 4);
  *r = (p >> 16) & 0xff;
  *g = (p >> 8) & 0xff;
  *b = p & 0xff;
}

/* The bars' blue, faint (the value) or solid (its weighted part); the
 * guides and the text are grey */
static gboolean
is_bar (Chart *chart,
        int    x,
        int    y)
{
  int r, g, b;

  pixel (chart, x, y, &r, &g, &b);
  return b - r > 25;
}

static gboolean
is_solid (Chart *chart,
          int    x,
          int    y)
{
  int r, g, b;

  pixel (chart, x, y, &r, &g, &b);
  return b - r > 120;
}

/* How high the bar at @x reaches, in pixels above the baseline, read
 * from the image */
static int
painted_height (Chart *chart,
                int    x)
{
  int baseline = (int) chart->layout->baseline;
  int y = baseline - 2;

  while (y > 0 && is_bar (chart, x, y))
    y--;
  return baseline - y;
}

static const OmPipelineBar *
bar (Chart *chart,
     guint  index)
{
  g_assert_cmpuint (index, <, chart->layout->bars->len);
  return &g_array_index (chart->layout->bars, OmPipelineBar, index);
}

/* A column a month from March to May, April's empty; the taller month
 * taller in proportion; the weighted part solid inside the value */
static void
test_bars (void)
{
  Chart chart = { 0 };
  const OmPipelineBar *march, *may;
  int march_x, may_x, april_x, march_h, may_h;

  chart_paint (&chart, "EUR", -1);
  g_assert_cmpuint (chart.layout->n_columns, ==, 3);
  g_assert_cmpuint (chart.layout->bars->len, ==, 2);
  march = bar (&chart, 0);
  may = bar (&chart, 1);
  g_assert_cmpint (march->month, ==, 3);
  g_assert_cmpint (may->month, ==, 5);
  g_assert_cmpuint (march->column, ==, 0);
  g_assert_cmpuint (may->column, ==, 2);
  g_assert_cmpfloat (march->bar_width, >=, 8);

  march_x = (int) (march->bar_x + march->bar_width / 2);
  may_x = (int) (may->bar_x + may->bar_width / 2);
  april_x = (int) (chart.layout->plot_x0 + 1.5 * chart.layout->column_width);

  march_h = painted_height (&chart, march_x);
  may_h = painted_height (&chart, may_x);
  g_assert_cmpint (may_h, >, march_h);
  /* 3000.00 against 1000.00: three times as tall, to a pixel or two */
  g_assert_cmpint (ABS (may_h - 3 * march_h), <=, 6);
  g_assert_cmpint (ABS (may_h - (int) (chart.layout->baseline - may->value_y)), <=, 2);

  /* no bar at all in April */
  for (int y = (int) chart.layout->plot_top; y < (int) chart.layout->baseline - 1; y++)
    g_assert_false (is_bar (&chart, april_x, y));

  /* May's weighted part (half its value) solid, the rest faint */
  g_assert_true (is_solid (&chart, may_x, (int) chart.layout->baseline - 3));
  g_assert_true (is_solid (&chart, may_x, (int) may->weighted_y + 2));
  g_assert_true (is_bar (&chart, may_x, (int) may->weighted_y - 3));
  g_assert_false (is_solid (&chart, may_x, (int) may->weighted_y - 3));
  g_assert_false (is_bar (&chart, may_x, (int) may->value_y - 3));
  chart_clear (&chart);
}

/* Another currency's months are another chart: never summed */
static void
test_currency (void)
{
  Chart chart = { 0 };

  chart_paint (&chart, "USD", -1);
  g_assert_cmpuint (chart.layout->n_columns, ==, 1);
  g_assert_cmpuint (chart.layout->bars->len, ==, 1);
  g_assert_cmpint (bar (&chart, 0)->month, ==, 4);
  g_assert_cmpint (bar (&chart, 0)->value, ==, 900000);
  chart_clear (&chart);

  chart_paint (&chart, "JPY", -1);
  g_assert_cmpuint (chart.layout->n_columns, ==, 0);
  g_assert_cmpuint (chart.layout->bars->len, ==, 0);
  g_assert_cmpint (om_pipeline_layout_bar_at (chart.layout, WIDTH / 2.0, HEIGHT / 2.0), ==, -1);
  chart_clear (&chart);
}

static void
assert_label (gint64      minor,
              const char *currency,
              const char *expected)
{
  g_autofree char *label = om_pipeline_amount_label (minor, currency);

  g_assert_cmpstr (label, ==, expected);
}

/* Round ticks from zero to at least the largest amount, evenly spaced */
static void
test_ticks (void)
{
  Chart chart = { 0 };
  const OmPipelineTick *last;

  g_assert_cmpint (om_pipeline_tick_step (300000, 3), ==, 100000);
  g_assert_cmpint (om_pipeline_tick_step (1234567, 3), ==, 500000);
  g_assert_cmpint (om_pipeline_tick_step (1234567, 5), ==, 500000);
  g_assert_cmpint (om_pipeline_tick_step (1234567, 2), ==, 1000000);
  g_assert_cmpint (om_pipeline_tick_step (150, 4), ==, 100);
  g_assert_cmpint (om_pipeline_tick_step (0, 4), ==, 100);

  assert_label (100000, "EUR", "1000");
  assert_label (150, "EUR", "1.50");
  assert_label (300000000, "JPY", "3000000");
  assert_label (500000, "KWD", "5000");

  chart_paint (&chart, "EUR", -1);
  g_assert_cmpuint (chart.layout->ticks->len, >=, 2);
  last = &g_array_index (chart.layout->ticks, OmPipelineTick, chart.layout->ticks->len - 1);
  g_assert_cmpint (last->value, >=, 300000);
  g_assert_cmpfloat (last->y, ==, chart.layout->plot_top);
  for (guint i = 0; i < chart.layout->ticks->len; i++)
    {
      const OmPipelineTick *tick = &g_array_index (chart.layout->ticks, OmPipelineTick, i);
      g_autofree char *expected = om_pipeline_amount_label (tick->value, "EUR");

      g_assert_cmpint (tick->value, ==, i * (last->value / (chart.layout->ticks->len - 1)));
      g_assert_cmpint (tick->value % 100000, ==, 0);
      g_assert_cmpstr (tick->label, ==, expected);
    }
  g_assert_cmpstr (g_array_index (chart.layout->ticks, OmPipelineTick, 0).label, ==, "0");
  chart_clear (&chart);
}

/* A click anywhere in a month's column finds it; none in April or
 * outside the columns */
static void
test_hit (void)
{
  Chart chart = { 0 };
  const OmPipelineLayout *l;
  double cw;

  chart_paint (&chart, "EUR", -1);
  l = chart.layout;
  cw = l->column_width;
  g_assert_cmpint (om_pipeline_layout_bar_at (l, l->plot_x0 + cw / 2, l->baseline - 2), ==, 0);
  /* above a short bar, in its column */
  g_assert_cmpint (om_pipeline_layout_bar_at (l, l->plot_x0 + cw / 2, l->plot_top + 2), ==, 0);
  g_assert_cmpint (om_pipeline_layout_bar_at (l, l->plot_x0 + 2.5 * cw, l->baseline - 2), ==, 1);
  g_assert_cmpint (om_pipeline_layout_bar_at (l, l->plot_x0 + 1.5 * cw, l->baseline - 2), ==, -1);
  g_assert_cmpint (om_pipeline_layout_bar_at (l, l->plot_x0 - 2, l->baseline - 2), ==, -1);
  g_assert_cmpint (om_pipeline_layout_bar_at (l, l->plot_x1 + 1, l->baseline - 2), ==, -1);
  chart_clear (&chart);
}

/* The highlighted month is framed: its column is no longer blank */
static void
test_highlight (void)
{
  Chart chart = { 0 };
  int r, g, b;
  int x, y;

  chart_paint (&chart, "EUR", -1);
  x = (int) (bar (&chart, 0)->x + 1);
  y = (int) bar (&chart, 0)->value_y - 4;
  pixel (&chart, x, y, &r, &g, &b);
  g_assert_cmpint (r + g + b, ==, 3 * 255);
  chart_clear (&chart);

  chart_paint (&chart, "EUR", 0);
  pixel (&chart, x, y, &r, &g, &b);
  g_assert_cmpint (r + g + b, <, 3 * 255);
  chart_clear (&chart);
}

static void
test_month_name (void)
{
  g_autofree char *march = om_pipeline_month_name (2026, 3);
  g_autofree char *december = om_pipeline_month_name (1999, 12);

  g_assert_cmpstr (march, ==, "March 2026");
  g_assert_cmpstr (december, ==, "December 1999");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pipeline-paint/bars", test_bars);
  g_test_add_func ("/pipeline-paint/currency", test_currency);
  g_test_add_func ("/pipeline-paint/ticks", test_ticks);
  g_test_add_func ("/pipeline-paint/hit", test_hit);
  g_test_add_func ("/pipeline-paint/highlight", test_highlight);
  g_test_add_func ("/pipeline-paint/month-name", test_month_name);
  return g_test_run ();
}
