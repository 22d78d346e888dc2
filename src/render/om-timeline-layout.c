/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "om-timeline-layout.h"

#define MIN_PX_PER_DAY 0.25
#define MAX_PX_PER_DAY 120.0
#define TODAY_REACH_DAYS 60

static void
clear_stage (gpointer data)
{
  OmTimelineStage *stage = data;

  g_free (stage->activity);
  g_free (stage->milestone);
  g_free (stage->detail);
}

static void
clear_tick (gpointer data)
{
  g_free (((OmTimelineTick *) data)->label);
}

void
om_timeline_layout_free (OmTimelineLayout *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->stages);
  g_array_unref (self->ticks);
  g_free (self);
}

static void
date_range (const OmOpportunityData *data,
            const OmDate            *dues,
            OmDate                   today,
            OmDate                  *first,
            OmDate                  *last)
{
  *first = data->start_date;
  *last = data->start_date;
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);

      *last = MAX (*last, dues[i]);
      /* a baseline ghost is drawn where it is */
      if (stage->baseline_due != 0)
        *last = MAX (*last, stage->baseline_due);
    }
  /* so is the client's deadline, when it is near the plan */
  if (data->target_date != 0 && data->target_date + TODAY_REACH_DAYS >= *first &&
      data->target_date <= *last + TODAY_REACH_DAYS)
    *last = MAX (*last, data->target_date);

  /* today is shown when it is near the plan, not years away from it */
  if (today + TODAY_REACH_DAYS >= *first && today <= *last + TODAY_REACH_DAYS)
    {
      *first = MIN (*first, today);
      *last = MAX (*last, today);
    }
  *first -= 2;
  *last += 2;
}

/* The zoom, kept where the dates of the plan span at most
 * %OM_TIMELINE_MAX_EXTENT pixels: zooming out of a plan of centuries goes
 * below the usual least zoom rather than past that width. */
static double
clamp_px_per_day (OmDate first,
                  OmDate last,
                  double px_per_day)
{
  double most = MIN (MAX_PX_PER_DAY, OM_TIMELINE_MAX_EXTENT / MAX (1, (double) (last - first)));
  double least = MIN (MIN_PX_PER_DAY, most);

  return CLAMP (px_per_day, least, most);
}

/**
 * om_timeline_layout_clamp_px_per_day:
 *
 * Returns: @px_per_day, or the nearest zoom at which @data can be laid
 *   out: between 0.25 and 120 pixels a day, and never so far in that the
 *   plan's dates span more than %OM_TIMELINE_MAX_EXTENT pixels
 */
double
om_timeline_layout_clamp_px_per_day (const OmOpportunityData *data,
                                     OmDate                   today,
                                     double                   px_per_day)
{
  g_autofree OmDate *dues = om_opportunity_data_get_due_dates (data);
  OmDate first, last;

  date_range (data, dues, today, &first, &last);
  return clamp_px_per_day (first, last, px_per_day);
}

/**
 * om_timeline_layout_fit_px_per_day:
 *
 * Returns: the zoom at which the whole plan fits in @width
 */
double
om_timeline_layout_fit_px_per_day (const OmOpportunityData *data,
                                   OmDate                   today,
                                   double                   width)
{
  g_autofree OmDate *dues = om_opportunity_data_get_due_dates (data);
  OmDate first, last;
  double usable;

  date_range (data, dues, today, &first, &last);
  /* leave room for the last milestone's label */
  usable = width - 2 * OM_TIMELINE_MARGIN - OM_TIMELINE_LABEL_MAX;
  return clamp_px_per_day (first, last, usable / MAX (1, (double) (last - first)));
}

double
om_timeline_layout_date_x (const OmTimelineLayout *self,
                           OmDate                  date)
{
  return OM_TIMELINE_MARGIN + ((double) date - (double) self->first_date) * self->px_per_day;
}

static double
text_width (PangoLayout *layout,
            const char  *text,
            gboolean     bold)
{
  PangoFontDescription *desc = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));
  int width = 0;

  if (desc == NULL)
    desc = pango_font_description_new ();
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  pango_font_description_free (desc);
  return width;
}

static char *
format_date (OmDate      date,
             const char *format)
{
  GDate gd;
  char buf[64];

  g_date_clear (&gd, 1);
  g_date_set_julian (&gd, date);
  if (g_date_strftime (buf, sizeof buf, format, &gd) == 0)
    return om_date_to_iso (date);
  return g_strstrip (g_strdup (buf));
}

/* Ticks at calendar boundaries, as far apart as reads well */
static void
add_ticks (OmTimelineLayout *self)
{
  static const struct { OmTimelineTickUnit unit; double days; } units[] = {
    { OM_TIMELINE_TICK_DAY, 1 },
    { OM_TIMELINE_TICK_WEEK, 7 },
    { OM_TIMELINE_TICK_MONTH, 30.44 },
    { OM_TIMELINE_TICK_QUARTER, 91.3 },
    { OM_TIMELINE_TICK_YEAR, 365.25 },
  };
  const double min_spacing = 96.0;
  GDate gd;

  self->tick_unit = OM_TIMELINE_TICK_YEAR;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (units[i].days * self->px_per_day >= min_spacing)
      {
        self->tick_unit = units[i].unit;
        break;
      }

  g_date_clear (&gd, 1);
  for (OmDate d = self->first_date; d <= self->last_date; d++)
    {
      OmTimelineTick tick;
      const char *format;
      gboolean boundary;

      g_date_set_julian (&gd, d);
      switch (self->tick_unit)
        {
        case OM_TIMELINE_TICK_DAY:
          boundary = TRUE;
          /* Translators: strftime format of a day on the timeline axis */
          format = C_("timeline", "%e %b");
          break;
        case OM_TIMELINE_TICK_WEEK:
          boundary = g_date_get_weekday (&gd) == G_DATE_MONDAY;
          format = C_("timeline", "%e %b");
          break;
        case OM_TIMELINE_TICK_MONTH:
          boundary = g_date_get_day (&gd) == 1;
          /* Translators: strftime format of a month on the timeline axis */
          format = C_("timeline", "%b %Y");
          break;
        case OM_TIMELINE_TICK_QUARTER:
          boundary = g_date_get_day (&gd) == 1 && (g_date_get_month (&gd) - 1) % 3 == 0;
          format = C_("timeline", "%b %Y");
          break;
        case OM_TIMELINE_TICK_YEAR:
        default:
          boundary = g_date_get_day (&gd) == 1 && g_date_get_month (&gd) == G_DATE_JANUARY;
          format = "%Y";
          break;
        }
      if (!boundary)
        continue;

      tick.x = om_timeline_layout_date_x (self, d);
      tick.date = d;
      tick.label = format_date (d, format);
      g_array_append_val (self->ticks, tick);
    }
}

/**
 * om_timeline_layout_new:
 * @px_per_day: the zoom
 * @context: the fonts the labels will be drawn with, to measure them
 *
 * Milestones sit at their due dates, but never closer together than
 * %OM_TIMELINE_MIN_SPACING, so that stages decided on the same day or
 * lasting zero days still show. Labels go in the first of
 * %OM_TIMELINE_LABEL_ROWS rows where they fit; each is at most as wide
 * as the distance to the milestone as many rows further on, which
 * guarantees a free row, so labels never overlap (they are ellipsized
 * instead).
 */
OmTimelineLayout *
om_timeline_layout_new (const OmOpportunityData *data,
                        OmDate                   today,
                        double                   px_per_day,
                        PangoContext            *context)
{
  OmTimelineLayout *self = g_new0 (OmTimelineLayout, 1);
  g_autofree OmStageSchedule *schedule = om_opportunity_data_get_schedule (data, today);
  g_autofree OmDate *dues = g_new (OmDate, data->stages->len + 1);
  g_autoptr(PangoLayout) measure = pango_layout_new (context);
  double row_end[OM_TIMELINE_LABEL_ROWS];
  int current = om_opportunity_data_get_current (data);
  int weakest = om_opportunity_data_get_weakest_link (data);
  guint n = data->stages->len;
  double previous_x = -G_MAXDOUBLE;
  double right = 0;

  for (guint i = 0; i < data->stages->len; i++)
    dues[i] = schedule[i].due;
  self->today = today;
  self->stages = g_array_sized_new (FALSE, TRUE, sizeof (OmTimelineStage), n);
  g_array_set_clear_func (self->stages, clear_stage);
  self->ticks = g_array_new (FALSE, TRUE, sizeof (OmTimelineTick));
  g_array_set_clear_func (self->ticks, clear_tick);
  date_range (data, dues, today, &self->first_date, &self->last_date);
  self->px_per_day = clamp_px_per_day (self->first_date, self->last_date, px_per_day);

  for (guint i = 0; i < n; i++)
    {
      const OmStageData *sd = g_ptr_array_index (data->stages, i);
      OmTimelineStage stage = { 0 };
      g_autofree char *due = om_date_format (dues[i]);
      double x = om_timeline_layout_date_x (self, dues[i]);

      stage.index = i;
      stage.status = sd->status;
      stage.kind = sd->kind;
      stage.current = (int) i == current;
      stage.weakest = (int) i == weakest;
      stage.overdue = schedule[i].overdue;
      stage.agreed = sd->agreed_on != 0;
      stage.conflict = schedule[i].conflict;
      stage.baseline_x = sd->baseline_due != 0 && sd->baseline_due != dues[i]
                           ? om_timeline_layout_date_x (self, sd->baseline_due) : -1;
      stage.start_date = i == 0 ? data->start_date : dues[i - 1];
      stage.due_date = dues[i];
      stage.milestone_x = MAX (x, previous_x + OM_TIMELINE_MIN_SPACING);
      stage.bar_x0 = i == 0 ? MIN (om_timeline_layout_date_x (self, data->start_date), stage.milestone_x)
                            : previous_x;
      /* what is drawn, measured, shown as a tooltip and read out is an
       * excerpt on one line: a label is at most %OM_TIMELINE_LABEL_MAX
       * pixels wide anyway, and Pango takes seconds over a word of a
       * hundred thousand characters */
      stage.activity = om_text_excerpt (sd->activity);
      stage.milestone = om_text_excerpt (sd->milestone);
      if (stage.agreed)
        {
          g_autofree char *agreed = g_strdup_printf (_("agreed %s"), due);
          g_free (due);
          due = g_steal_pointer (&agreed);
        }
      if (om_str_is_blank (sd->owner))
        stage.detail = g_strdup (due);
      else
        {
          g_autofree char *owner = om_text_excerpt (sd->owner);

          /* Translators: under a milestone: who conducts the stage · its date */
          stage.detail = g_strdup_printf (_("%s · %s"), owner, due);
        }
      previous_x = stage.milestone_x;
      g_array_append_val (self->stages, stage);
    }

  for (guint r = 0; r < OM_TIMELINE_LABEL_ROWS; r++)
    row_end[r] = -G_MAXDOUBLE;

  for (guint i = 0; i < n; i++)
    {
      OmTimelineStage *stage = &g_array_index (self->stages, OmTimelineStage, i);
      double wanted = MAX (text_width (measure, stage->milestone, TRUE), text_width (measure, stage->detail, FALSE));
      double cap = OM_TIMELINE_LABEL_MAX;
      guint row = 0;

      /* labels start at their diamond's left point */
      stage->label_x = stage->milestone_x - OM_TIMELINE_DIAMOND / 2;
      if (i + OM_TIMELINE_LABEL_ROWS < n)
        cap = MIN (cap, g_array_index (self->stages, OmTimelineStage, i + OM_TIMELINE_LABEL_ROWS).milestone_x -
                        stage->milestone_x - OM_TIMELINE_LABEL_GAP);
      stage->label_width = MAX (1.0, MIN (ceil (wanted) + 4, cap));

      while (row + 1 < OM_TIMELINE_LABEL_ROWS && row_end[row] + OM_TIMELINE_LABEL_GAP > stage->label_x)
        row++;
      stage->row = row;
      stage->label_y = OM_TIMELINE_LABEL_Y + row * OM_TIMELINE_LABEL_HEIGHT;
      row_end[row] = stage->label_x + stage->label_width;
      right = MAX (right, MAX (row_end[row], stage->milestone_x + OM_TIMELINE_DIAMOND));
    }

  self->width = MAX (om_timeline_layout_date_x (self, self->last_date), right) + OM_TIMELINE_MARGIN;
  self->height = OM_TIMELINE_LABEL_Y + OM_TIMELINE_LABEL_ROWS * OM_TIMELINE_LABEL_HEIGHT + 8;
  self->today_x = today >= self->first_date && today <= self->last_date
                    ? om_timeline_layout_date_x (self, today) : -1;
  self->target = data->target_date;
  self->target_x = data->target_date != 0 && data->target_date >= self->first_date &&
                   data->target_date <= self->last_date
                     ? om_timeline_layout_date_x (self, data->target_date) : -1;

  add_ticks (self);
  return self;
}

/**
 * om_timeline_layout_stage_at:
 *
 * Returns: the stage whose bar, diamond or label is at (@x, @y), or -1
 */
int
om_timeline_layout_stage_at (const OmTimelineLayout *self,
                             double                  x,
                             double                  y)
{
  for (guint i = 0; i < self->stages->len; i++)
    {
      const OmTimelineStage *s = &g_array_index (self->stages, OmTimelineStage, i);
      double bar_top = OM_TIMELINE_BAR_Y - OM_TIMELINE_DIAMOND / 2;

      if (y >= bar_top && y <= bar_top + OM_TIMELINE_DIAMOND + OM_TIMELINE_BAR_HEIGHT &&
          x >= s->bar_x0 && x <= s->milestone_x + OM_TIMELINE_DIAMOND / 2)
        return (int) i;
      if (y >= s->label_y && y <= s->label_y + OM_TIMELINE_LABEL_HEIGHT &&
          x >= s->label_x && x <= s->label_x + s->label_width)
        return (int) i;
    }
  return -1;
}

/**
 * om_timeline_stage_get_extent:
 *
 * Where @stage draws, from left to right: its bar, its diamond with its
 * badge, its label and its selection, so that what is out of view can
 * be left out.
 */
void
om_timeline_stage_get_extent (const OmTimelineStage *stage,
                              double                *x0,
                              double                *x1)
{
  *x0 = MIN (stage->bar_x0, stage->label_x) - 4;
  *x1 = MAX (stage->milestone_x + OM_TIMELINE_DIAMOND + 4, stage->label_x + stage->label_width + 4);
}

/**
 * om_timeline_layout_insertion_at:
 *
 * Returns: the place in the chain a stage dropped at @x would take:
 *   before the first stage whose bar's middle is right of @x
 */
int
om_timeline_layout_insertion_at (const OmTimelineLayout *self,
                                 double                  x)
{
  for (guint i = 0; i < self->stages->len; i++)
    {
      const OmTimelineStage *s = &g_array_index (self->stages, OmTimelineStage, i);
      if (x < (s->bar_x0 + s->milestone_x) / 2)
        return (int) i;
    }
  return (int) self->stages->len;
}

/**
 * om_timeline_stage_get_box:
 *
 * Where a stage's bar and diamond are, the part of it that is pointed
 * at and focused: every stage, even one of zero days, has room of its
 * own there.
 */
void
om_timeline_stage_get_box (const OmTimelineStage *stage,
                           double                *x,
                           double                *y,
                           double                *width,
                           double                *height)
{
  double x0 = MIN (stage->bar_x0, stage->milestone_x - OM_TIMELINE_DIAMOND / 2);
  double x1 = stage->milestone_x + OM_TIMELINE_DIAMOND / 2 + 2;

  *x = x0;
  *y = OM_TIMELINE_BAR_Y - OM_TIMELINE_DIAMOND / 2 - 3;
  *width = x1 - x0;
  *height = OM_TIMELINE_DIAMOND + 6;
}

/**
 * om_timeline_stage_describe:
 *
 * Returns: the stage read out in one sentence, for screen readers and
 *   tooltips
 */
char *
om_timeline_stage_describe (const OmTimelineStage *stage,
                            guint                  n_stages)
{
  g_autofree char *due = om_date_format (stage->due_date);
  const char *state;

  if (stage->status == OM_STAGE_STATUS_WON)
    state = _("Won");
  else if (stage->status == OM_STAGE_STATUS_LOST)
    state = _("Lost");
  else if (stage->overdue)
    state = stage->current ? _("Current, overdue") : _("Pending, overdue");
  else
    state = stage->current ? _("Current") : _("Pending");

  if (stage->status == OM_STAGE_STATUS_PENDING && stage->agreed)
    /* Translators: read out for a stage: number, count, activity, milestone, state, date */
    return g_strdup_printf (_("Stage %u of %u: %s. Milestone: %s. %s, agreed with the client for %s."),
                            stage->index + 1, n_stages, stage->activity, stage->milestone,
                            state, due);
  if (stage->status == OM_STAGE_STATUS_PENDING)
    /* Translators: read out for a stage: number, count, activity, milestone, state, date */
    return g_strdup_printf (_("Stage %u of %u: %s. Milestone: %s. %s, due %s."),
                            stage->index + 1, n_stages, stage->activity, stage->milestone,
                            state, due);
  return g_strdup_printf (_("Stage %u of %u: %s. Milestone: %s. %s on %s."),
                          stage->index + 1, n_stages, stage->activity, stage->milestone,
                          state, due);
}
