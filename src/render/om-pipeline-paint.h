/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "om-model.h"
#include "om-timeline-paint.h"

G_BEGIN_DECLS

/*
 * The pipeline chart: one currency's open opportunities by month of
 * close date, a column a month from the first to the last (empty months
 * too), each with a bar of its value and, solid inside it, its weighted
 * part. Laid out and painted with cairo and Pango alone, in the
 * timeline's colours and fonts, so that the window and a test with no
 * display draw the same picture.
 */

#define OM_PIPELINE_CHART_HEIGHT    180.0
#define OM_PIPELINE_CHART_MIN_WIDTH 200.0

/* A month with open opportunities: its column and its bar */
typedef struct
{
  int    year;
  int    month;        /* 1..12 */
  guint  n;
  gint64 value;        /* minor units */
  gint64 weighted;
  guint  column;       /* from the first month shown */
  double x;            /* the column */
  double width;
  double bar_x;        /* the bar, centred in its column */
  double bar_width;
  double value_y;      /* the top of the value bar */
  double weighted_y;   /* the top of its weighted part */
} OmPipelineBar;

/* A round amount on the y axis */
typedef struct
{
  gint64 value;        /* minor units */
  double y;
  char  *label;
} OmPipelineTick;

typedef struct
{
  char   *currency;
  double  width;
  double  height;
  double  plot_x0;     /* the columns' span */
  double  plot_x1;
  double  plot_top;    /* the highest tick */
  double  baseline;    /* zero */
  int     first_year;  /* the first column's month */
  int     first_month;
  guint   n_columns;   /* months from the first to the last, empty ones too */
  double  column_width;
  guint   label_step;  /* a month's name under every this many columns */
  GArray *bars;        /* OmPipelineBar, months with opportunities, in order */
  GArray *ticks;       /* OmPipelineTick, from zero up */
} OmPipelineLayout;

OmPipelineLayout *om_pipeline_layout_new     (GPtrArray               *rows,
                                              const char              *currency,
                                              double                   width,
                                              double                   height,
                                              PangoContext            *context);
void              om_pipeline_layout_free    (OmPipelineLayout        *layout);
int               om_pipeline_layout_bar_at  (const OmPipelineLayout  *layout,
                                              double                   x,
                                              double                   y);
void              om_pipeline_paint          (cairo_t                 *cr,
                                              const OmPipelineLayout  *layout,
                                              const OmTimelinePalette *palette,
                                              PangoContext            *context,
                                              int                      highlighted);

char             *om_pipeline_month_name     (int                      year,
                                              int                      month);
char             *om_pipeline_amount_label   (gint64                   minor,
                                              const char              *currency);
gint64            om_pipeline_tick_step      (gint64                   max,
                                              guint                    max_ticks);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmPipelineLayout, om_pipeline_layout_free)

G_END_DECLS
