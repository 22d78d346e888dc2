/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pango.h>

#include "om-model.h"

G_BEGIN_DECLS

/*
 * Where each part of the timeline goes, for a given plan, zoom and set
 * of fonts: shared by the window's timeline and the printed summary so
 * that both draw the same picture.
 */

#define OM_TIMELINE_MARGIN        24.0
#define OM_TIMELINE_AXIS_HEIGHT   30.0
#define OM_TIMELINE_BAR_Y         44.0
#define OM_TIMELINE_BAR_HEIGHT    18.0
#define OM_TIMELINE_DIAMOND       20.0
#define OM_TIMELINE_LABEL_Y       78.0
#define OM_TIMELINE_LABEL_HEIGHT  40.0
#define OM_TIMELINE_LABEL_ROWS    4
#define OM_TIMELINE_LABEL_GAP     10.0
#define OM_TIMELINE_LABEL_MAX     220.0
#define OM_TIMELINE_MIN_SPACING   28.0
/* the most pixels the plan's dates may span, whatever the zoom */
#define OM_TIMELINE_MAX_EXTENT    500000.0

typedef struct
{
  guint          index;
  OmStageStatus  status;
  gboolean       current;
  gboolean       overdue;
  gboolean       weakest;
  gboolean       agreed;        /* its date is agreed with the client */
  gboolean       conflict;      /* agreed before the stage before it is due */
  double         baseline_x;    /* its baseline due date, where that differs; < 0 otherwise */
  OmStageKind    kind;
  OmDate         start_date;
  OmDate         due_date;
  double         bar_x0;        /* where the activity starts */
  double         milestone_x;   /* where it ends: the diamond's centre */
  guint          row;           /* label row, 0 nearest the bar */
  double         label_x;
  double         label_y;
  double         label_width;
  char          *activity;      /* excerpts (om_text_excerpt()): short, one line */
  char          *milestone;
  char          *detail;        /* owner and due date */
} OmTimelineStage;

typedef enum
{
  OM_TIMELINE_TICK_DAY,
  OM_TIMELINE_TICK_WEEK,
  OM_TIMELINE_TICK_MONTH,
  OM_TIMELINE_TICK_QUARTER,
  OM_TIMELINE_TICK_YEAR,
} OmTimelineTickUnit;

typedef struct
{
  double  x;
  OmDate  date;
  char   *label;
} OmTimelineTick;

typedef struct
{
  OmDate             first_date;
  OmDate             last_date;
  double             px_per_day;
  double             width;
  double             height;
  double             today_x;     /* < 0 when today is outside the plan */
  double             target_x;    /* the client's deadline; < 0 when none or far away */
  OmDate             target;
  OmDate             today;
  OmTimelineTickUnit tick_unit;
  GArray            *stages;      /* OmTimelineStage */
  GArray            *ticks;       /* OmTimelineTick */
} OmTimelineLayout;

OmTimelineLayout *om_timeline_layout_new            (const OmOpportunityData *data,
                                                     OmDate                   today,
                                                     double                   px_per_day,
                                                     PangoContext            *context);
void              om_timeline_layout_free           (OmTimelineLayout        *self);
double            om_timeline_layout_date_x         (const OmTimelineLayout  *self,
                                                     OmDate                   date);
double            om_timeline_layout_fit_px_per_day (const OmOpportunityData *data,
                                                     OmDate                   today,
                                                     double                   width);
double            om_timeline_layout_clamp_px_per_day (const OmOpportunityData *data,
                                                       OmDate                   today,
                                                       double                   px_per_day);
void              om_timeline_stage_get_extent      (const OmTimelineStage   *stage,
                                                     double                  *x0,
                                                     double                  *x1);
int               om_timeline_layout_stage_at       (const OmTimelineLayout  *self,
                                                     double                   x,
                                                     double                   y);
int               om_timeline_layout_insertion_at   (const OmTimelineLayout  *self,
                                                     double                   x);
void              om_timeline_stage_get_box         (const OmTimelineStage   *stage,
                                                     double                  *x,
                                                     double                  *y,
                                                     double                  *width,
                                                     double                  *height);
char             *om_timeline_stage_describe        (const OmTimelineStage   *stage,
                                                     guint                    n_stages);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmTimelineLayout, om_timeline_layout_free)

G_END_DECLS
