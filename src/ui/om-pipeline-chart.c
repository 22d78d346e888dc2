/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-pipeline-chart.h"
#include "om-pipeline-paint.h"
#include "om-style.h"

/**
 * OmPipelineChart:
 *
 * One currency's pipeline as a bar chart: a column a month of close
 * date, the value as an outlined bar and its weighted part solid inside
 * it, painted by om_pipeline_paint() (the render layer, with the
 * timeline's colours and text) through a cairo node.
 *
 * There is nothing to cut: the tooltip gives the numbers of the month
 * under the pointer, the accessible name and description sum up the
 * chart, and the table beside it has every number. It is no keyboard
 * stop of its own: the table is where the keyboard chooses a month, and
 * the chart frames the month the table has selected. A click on a month
 * emits "month-clicked".
 */

struct _OmPipelineChart
{
  GtkWidget         parent_instance;

  GPtrArray        *rows;          /* OmPipelineRow, every currency */
  char             *currency;
  int               highlighted;   /* year * 12 + month - 1, or -1 */
  OmPipelineLayout *layout;        /* for the size below, or NULL */
  int               laid_out_width;
  int               laid_out_height;
};

G_DEFINE_FINAL_TYPE (OmPipelineChart, om_pipeline_chart, GTK_TYPE_WIDGET)

enum {
  MONTH_CLICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The layout, for the widget's size and fonts */

static void
invalidate (OmPipelineChart *self)
{
  g_clear_pointer (&self->layout, om_pipeline_layout_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static const OmPipelineLayout *
ensure_layout (OmPipelineChart *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->layout != NULL && self->laid_out_width == width && self->laid_out_height == height)
    return self->layout;
  g_clear_pointer (&self->layout, om_pipeline_layout_free);
  self->laid_out_width = width;
  self->laid_out_height = height;
  self->layout = om_pipeline_layout_new (self->rows, self->currency != NULL ? self->currency : "",
                                         width, height, gtk_widget_get_pango_context (GTK_WIDGET (self)));
  return self->layout;
}

static int
highlighted_index (OmPipelineChart *self)
{
  const OmPipelineLayout *layout = ensure_layout (self);

  for (guint i = 0; i < layout->bars->len; i++)
    {
      const OmPipelineBar *bar = &g_array_index (layout->bars, OmPipelineBar, i);

      if (bar->year * 12 + bar->month - 1 == self->highlighted)
        return (int) i;
    }
  return -1;
}

/* Words */

static char *
describe_month (const char *currency,
                int         year,
                int         month,
                guint       n,
                gint64      value,
                gint64      weighted)
{
  g_autofree char *name = om_pipeline_month_name (year, month);
  g_autofree char *value_text = om_money_format (value, currency);
  g_autofree char *weighted_text = om_money_format (weighted, currency);
  g_autofree char *count = g_strdup_printf (ngettext ("%u opportunity", "%u opportunities", n), n);

  /* Translators: a month of the pipeline: month, "2 opportunities", value, weighted value */
  return g_strdup_printf (_("%s: %s, value %s, weighted %s"), name, count, value_text, weighted_text);
}

/* The chart in two sentences, for screen readers */
static void
update_accessible (OmPipelineChart *self)
{
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;
  const OmPipelineRow *first = NULL, *last = NULL, *largest = NULL;
  gint64 value = 0, weighted = 0;
  guint n = 0, n_months = 0;

  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      const OmPipelineRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (row->currency, self->currency) != 0)
        continue;
      /* the backend answers by month: the first one is the earliest */
      if (first == NULL)
        first = row;
      last = row;
      if (largest == NULL || row->value > largest->value)
        largest = row;
      n += row->n;
      n_months++;
      value += row->value;
      weighted += row->weighted;
    }

  if (self->currency == NULL || first == NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pipeline by month of close date"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("No open opportunities with a close date"),
                                      -1);
      return;
    }

  /* Translators: the pipeline chart's accessible name; %s is a currency code */
  label = g_strdup_printf (_("Pipeline in %s by month of close date"), self->currency);
  {
    g_autofree char *from = om_pipeline_month_name (first->year, first->month);
    g_autofree char *to = om_pipeline_month_name (last->year, last->month);
    g_autofree char *months = g_strdup_printf (ngettext ("%u month", "%u months", n_months), n_months);
    g_autofree char *count = g_strdup_printf (ngettext ("%u opportunity", "%u opportunities", n), n);
    g_autofree char *value_text = om_money_format (value, self->currency);
    g_autofree char *weighted_text = om_money_format (weighted, self->currency);
    g_autofree char *top = describe_month (self->currency, largest->year, largest->month, largest->n,
                                           largest->value, largest->weighted);

    /* Translators: the pipeline chart's accessible description: "3 months", first
     * month, last month, "4 opportunities", total value, total weighted value, and
     * the month of the largest value with its numbers */
    description = g_strdup_printf (_("%s from %s to %s, %s, value %s, weighted %s. Largest month: %s."),
                                   months, from, to, count, value_text, weighted_text, top);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Drawing */

static void
om_pipeline_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  OmPipelineChart *self = OM_PIPELINE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const OmPipelineLayout *layout;
  OmTimelinePalette palette;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  layout = ensure_layout (self);
  if (layout->bars->len == 0)
    return;
  om_timeline_palette_init_for_widget (&palette, widget);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  om_pipeline_paint (cr, layout, &palette, gtk_widget_get_pango_context (widget), highlighted_index (self));
  cairo_destroy (cr);
}

static void
om_pipeline_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  /* compact, and as wide as it is given */
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = (int) OM_PIPELINE_CHART_HEIGHT;
  else
    {
      *minimum = (int) OM_PIPELINE_CHART_MIN_WIDTH;
      *natural = 2 * (int) OM_PIPELINE_CHART_MIN_WIDTH;
    }
}

static void
om_pipeline_chart_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  g_clear_pointer (&OM_PIPELINE_CHART (widget)->layout, om_pipeline_layout_free);
}

static void
om_pipeline_chart_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (om_pipeline_chart_parent_class)->css_changed (widget, change);
  /* the fonts may be others: the axis' room with them */
  invalidate (OM_PIPELINE_CHART (widget));
}

/* Events */

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            OmPipelineChart *self)
{
  if (om_pipeline_chart_click_at (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static gboolean
om_pipeline_chart_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard,
                                 GtkTooltip *tooltip)
{
  g_autofree char *text = om_pipeline_chart_describe_at (OM_PIPELINE_CHART (widget), x, y);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* GObject */

static void
om_pipeline_chart_finalize (GObject *object)
{
  OmPipelineChart *self = OM_PIPELINE_CHART (object);

  g_clear_pointer (&self->layout, om_pipeline_layout_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->currency, g_free);
  G_OBJECT_CLASS (om_pipeline_chart_parent_class)->finalize (object);
}

static void
om_pipeline_chart_class_init (OmPipelineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = om_pipeline_chart_finalize;
  widget_class->snapshot = om_pipeline_chart_snapshot;
  widget_class->measure = om_pipeline_chart_measure;
  widget_class->size_allocate = om_pipeline_chart_size_allocate;
  widget_class->query_tooltip = om_pipeline_chart_query_tooltip;
  widget_class->css_changed = om_pipeline_chart_css_changed;

  /**
   * OmPipelineChart::month-clicked:
   * @year: the month's year
   * @month: the month, 1 to 12
   */
  signals[MONTH_CLICKED] = g_signal_new ("month-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "pipelinechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
om_pipeline_chart_init (OmPipelineChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->highlighted = -1;
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  /* not a keyboard stop: the table beside it is */
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  update_accessible (self);
}

GtkWidget *
om_pipeline_chart_new (void)
{
  return g_object_new (OM_TYPE_PIPELINE_CHART, NULL);
}

/**
 * om_pipeline_chart_set_rows:
 * @rows: (element-type OmPipelineRow) (nullable): om_repository_get_pipeline()'s
 *   answer, every currency
 * @currency: (nullable): the one shown
 */
void
om_pipeline_chart_set_rows (OmPipelineChart *self,
                            GPtrArray       *rows,
                            const char      *currency)
{
  g_return_if_fail (OM_IS_PIPELINE_CHART (self));

  if (rows != NULL)
    g_ptr_array_ref (rows);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = rows;
  g_free (self->currency);
  self->currency = g_strdup (currency);
  update_accessible (self);
  invalidate (self);
}

/**
 * om_pipeline_chart_set_highlighted:
 * @month: 1 to 12, or 0 for none
 *
 * Frames the month the table has selected.
 */
void
om_pipeline_chart_set_highlighted (OmPipelineChart *self,
                                   int              year,
                                   int              month)
{
  int key = month >= 1 && month <= 12 ? year * 12 + month - 1 : -1;

  g_return_if_fail (OM_IS_PIPELINE_CHART (self));

  if (self->highlighted == key)
    return;
  self->highlighted = key;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * om_pipeline_chart_get_n_bars:
 *
 * Returns: how many months have a bar (months with opportunities)
 */
guint
om_pipeline_chart_get_n_bars (OmPipelineChart *self)
{
  g_return_val_if_fail (OM_IS_PIPELINE_CHART (self), 0);

  return ensure_layout (self)->bars->len;
}

/**
 * om_pipeline_chart_get_bar:
 * @bounds: (out) (optional): the value's bar, in the chart's coordinates
 *
 * Returns: whether there is a bar @index
 */
gboolean
om_pipeline_chart_get_bar (OmPipelineChart *self,
                           guint            index,
                           int             *year,
                           int             *month,
                           graphene_rect_t *bounds)
{
  const OmPipelineLayout *layout;
  const OmPipelineBar *bar;

  g_return_val_if_fail (OM_IS_PIPELINE_CHART (self), FALSE);

  layout = ensure_layout (self);
  if (index >= layout->bars->len)
    return FALSE;
  bar = &g_array_index (layout->bars, OmPipelineBar, index);
  if (year != NULL)
    *year = bar->year;
  if (month != NULL)
    *month = bar->month;
  if (bounds != NULL)
    graphene_rect_init (bounds, bar->bar_x, bar->value_y, bar->bar_width, layout->baseline - bar->value_y);
  return TRUE;
}

/**
 * om_pipeline_chart_bar_at:
 * @x: in the chart's coordinates
 *
 * Returns: the bar whose month's column is at (@x, @y), or -1
 */
int
om_pipeline_chart_bar_at (OmPipelineChart *self,
                          double           x,
                          double           y)
{
  g_return_val_if_fail (OM_IS_PIPELINE_CHART (self), -1);

  return om_pipeline_layout_bar_at (ensure_layout (self), x, y);
}

/**
 * om_pipeline_chart_click_at:
 *
 * What a click at (@x, @y) does: emits "month-clicked" with the month
 * there, if any.
 *
 * Returns: whether there was a month
 */
gboolean
om_pipeline_chart_click_at (OmPipelineChart *self,
                            double           x,
                            double           y)
{
  int year, month;
  int index = om_pipeline_chart_bar_at (self, x, y);

  if (index < 0 || !om_pipeline_chart_get_bar (self, (guint) index, &year, &month, NULL))
    return FALSE;
  g_signal_emit (self, signals[MONTH_CLICKED], 0, year, month);
  return TRUE;
}

/**
 * om_pipeline_chart_describe_at:
 *
 * Returns: (transfer full) (nullable): the tooltip at (@x, @y): the
 *   month there and its numbers
 */
char *
om_pipeline_chart_describe_at (OmPipelineChart *self,
                               double           x,
                               double           y)
{
  const OmPipelineLayout *layout;
  const OmPipelineBar *bar;
  int index = om_pipeline_chart_bar_at (self, x, y);

  if (index < 0)
    return NULL;
  layout = ensure_layout (self);
  bar = &g_array_index (layout->bars, OmPipelineBar, index);
  return describe_month (layout->currency, bar->year, bar->month, bar->n, bar->value, bar->weighted);
}
