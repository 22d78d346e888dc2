/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <pango/pangocairo.h>

#include "om-timeline-layout.h"
#include "om-test-support.h"

/*
 * Where the timeline puts things, for given plans and zooms: in order,
 * labels never overlapping, zero-day stages still visible, today where
 * the date says. No display is needed: the fonts come from cairo.
 */

static PangoContext *context;

static OmOpportunityData *
random_plan (guint n_stages,
             guint n_won)
{
  OmOpportunityData *data = om_opportunity_data_new ("Plan", "Client", om_test_date ("2026-01-01"));
  OmDate on = data->start_date;

  for (guint i = 0; i < n_stages; i++)
    {
      g_autofree char *activity = g_strdup_printf ("Activity %u", i + 1);
      g_autoptr(GString) milestone = g_string_new ("Client agrees");
      OmStageData *stage;

      for (int words = g_test_rand_int_range (0, 8); words > 0; words--)
        g_string_append (milestone, " to something longer");
      stage = om_stage_data_new (activity, milestone->str);
      /* many zero-day stages: the hard case for spacing */
      stage->duration_days = g_test_rand_bit () ? 0 : (guint) g_test_rand_int_range (1, 30);
      stage->probability = g_test_rand_double_range (0, 1);
      g_ptr_array_add (data->stages, stage);
    }
  for (guint i = 0; i < n_won && i < n_stages; i++)
    {
      on += (OmDate) g_test_rand_int_range (0, 10);
      g_assert_true (om_opportunity_data_win_stage (data, i, on, NULL, NULL));
    }
  return data;
}

static void
assert_well_laid_out (const OmOpportunityData *data,
                      const OmTimelineLayout  *layout)
{
  g_autofree OmDate *dues = om_opportunity_data_get_due_dates (data);

  g_assert_cmpuint (layout->stages->len, ==, data->stages->len);

  for (guint i = 0; i < layout->stages->len; i++)
    {
      const OmTimelineStage *s = &g_array_index (layout->stages, OmTimelineStage, i);
      double bx, by, bwidth, bheight;

      g_assert_cmpuint (s->index, ==, i);
      g_assert_cmpuint (s->due_date, ==, dues[i]);
      /* the milestone is never left of its date, and the bar ends there */
      g_assert_cmpfloat (s->milestone_x, >=, om_timeline_layout_date_x (layout, dues[i]) - 1e-9);
      g_assert_cmpfloat (s->bar_x0, <=, s->milestone_x);
      /* every stage, even one of zero days, has room of its own */
      om_timeline_stage_get_box (s, &bx, &by, &bwidth, &bheight);
      g_assert_cmpfloat (bwidth, >=, OM_TIMELINE_DIAMOND);
      g_assert_cmpfloat (s->milestone_x + OM_TIMELINE_DIAMOND, <=, layout->width);
      g_assert_cmpfloat (s->label_width, >, 0);
      g_assert_cmpfloat (s->label_x + s->label_width, <=, layout->width);
      g_assert_cmpfloat (s->label_y + OM_TIMELINE_LABEL_HEIGHT, <=, layout->height);

      if (i > 0)
        {
          const OmTimelineStage *prev = &g_array_index (layout->stages, OmTimelineStage, i - 1);

          /* in order, and chained: each activity starts at the previous milestone */
          g_assert_cmpfloat (s->milestone_x - prev->milestone_x, >=, OM_TIMELINE_MIN_SPACING - 1e-9);
          g_assert_cmpfloat (s->bar_x0, ==, prev->milestone_x);
        }

      /* labels never overlap */
      for (guint j = 0; j < i; j++)
        {
          const OmTimelineStage *o = &g_array_index (layout->stages, OmTimelineStage, j);

          if (o->row != s->row)
            continue;
          g_assert_true (o->label_x + o->label_width <= s->label_x ||
                         s->label_x + s->label_width <= o->label_x);
        }
    }

  for (guint i = 1; i < layout->ticks->len; i++)
    g_assert_cmpfloat (g_array_index (layout->ticks, OmTimelineTick, i).x, >,
                       g_array_index (layout->ticks, OmTimelineTick, i - 1).x);
}

static void
test_recommended (void)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) data = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-05"));
  g_autoptr(OmTimelineLayout) layout = NULL;
  const OmTimelineStage *first, *last;

  layout = om_timeline_layout_new (data, om_test_date ("2026-01-20"), 8.0, context);
  assert_well_laid_out (data, layout);

  /* at 8 px a day the milestones are where their dates are */
  first = &g_array_index (layout->stages, OmTimelineStage, 0);
  last = &g_array_index (layout->stages, OmTimelineStage, 5);
  g_assert_cmpfloat_with_epsilon (first->milestone_x, om_timeline_layout_date_x (layout, om_test_date ("2026-01-12")), 1e-9);
  g_assert_cmpfloat_with_epsilon (last->milestone_x - first->milestone_x, (86 - 7) * 8.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (first->bar_x0, om_timeline_layout_date_x (layout, om_test_date ("2026-01-05")), 1e-9);
  g_assert_true (first->current);
  g_assert_false (g_array_index (layout->stages, OmTimelineStage, 1).current);
  /* stage 3 (0.6) is the weakest link */
  g_assert_true (g_array_index (layout->stages, OmTimelineStage, 2).weakest);
  g_assert_cmpuint (layout->tick_unit, ==, OM_TIMELINE_TICK_MONTH);
}

static void
test_today_line (void)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) data = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-05"));
  g_autoptr(OmTimelineLayout) layout = om_timeline_layout_new (data, om_test_date ("2026-02-10"), 5.0, context);
  g_autoptr(OmTimelineLayout) far = om_timeline_layout_new (data, om_test_date ("2030-06-01"), 5.0, context);
  g_autoptr(OmTimelineLayout) before = om_timeline_layout_new (data, om_test_date ("2025-12-20"), 5.0, context);

  /* where the date says: the margin plus its days from the first date */
  g_assert_cmpfloat_with_epsilon (layout->today_x,
                                  OM_TIMELINE_MARGIN + (om_test_date ("2026-02-10") - layout->first_date) * 5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (layout->today_x, om_timeline_layout_date_x (layout, om_test_date ("2026-02-10")), 1e-9);
  /* years away, it is not drawn and does not stretch the axis */
  g_assert_cmpfloat (far->today_x, <, 0);
  g_assert_cmpuint (far->last_date, <, om_test_date ("2026-06-01"));
  /* just before the start, the axis reaches back to show it */
  g_assert_cmpfloat (before->today_x, >=, 0);
  g_assert_cmpuint (before->first_date, <=, om_test_date ("2025-12-20"));
}

static void
test_zero_day_stages (void)
{
  g_autoptr(OmOpportunityData) data = om_opportunity_data_new ("Plan", "Client", om_test_date ("2026-01-01"));
  g_autoptr(OmTimelineLayout) layout = NULL;

  for (guint i = 0; i < 5; i++)
    {
      OmStageData *stage = om_stage_data_new ("Signature", "Signed");
      stage->duration_days = 0;
      g_ptr_array_add (data->stages, stage);
    }
  layout = om_timeline_layout_new (data, om_test_date ("2026-01-01"), 10.0, context);
  assert_well_laid_out (data, layout);
  /* five milestones on one day are five distinct diamonds */
  for (guint i = 1; i < 5; i++)
    g_assert_cmpfloat (g_array_index (layout->stages, OmTimelineStage, i).milestone_x, >,
                       g_array_index (layout->stages, OmTimelineStage, i - 1).milestone_x + OM_TIMELINE_DIAMOND);
}

static void
test_random_plans (void)
{
  const double zooms[] = { 0.25, 1, 4, 12, 60 };

  for (guint round = 0; round < 60; round++)
    {
      guint n = (guint) g_test_rand_int_range (1, 201);
      g_autoptr(OmOpportunityData) data = random_plan (n, (guint) g_test_rand_int_range (0, (int) n));
      double zoom = zooms[g_test_rand_int_range (0, G_N_ELEMENTS (zooms))];
      g_autoptr(OmTimelineLayout) layout = om_timeline_layout_new (data, om_test_date ("2026-02-01"), zoom, context);

      assert_well_laid_out (data, layout);
    }
}

static void
test_hit_testing (void)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) data = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-05"));
  g_autoptr(OmTimelineLayout) layout = om_timeline_layout_new (data, om_test_date ("2026-01-05"), 8.0, context);

  for (guint i = 0; i < layout->stages->len; i++)
    {
      const OmTimelineStage *s = &g_array_index (layout->stages, OmTimelineStage, i);

      g_assert_cmpint (om_timeline_layout_stage_at (layout, s->milestone_x, OM_TIMELINE_BAR_Y), ==, (int) i);
      g_assert_cmpint (om_timeline_layout_stage_at (layout, s->label_x + 2, s->label_y + 4), ==, (int) i);
      /* dropping left of a bar's middle goes before it, right of it after */
      g_assert_cmpint (om_timeline_layout_insertion_at (layout, (s->bar_x0 + s->milestone_x) / 2 - 1), ==, (int) i);
      g_assert_cmpint (om_timeline_layout_insertion_at (layout, (s->bar_x0 + s->milestone_x) / 2 + 1), ==, (int) i + 1);
    }
  g_assert_cmpint (om_timeline_layout_stage_at (layout, 1, 1), ==, -1);
}

static void
test_fit (void)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) data = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-05"));
  double ppd = om_timeline_layout_fit_px_per_day (data, om_test_date ("2026-01-05"), 1000);
  g_autoptr(OmTimelineLayout) layout = om_timeline_layout_new (data, om_test_date ("2026-01-05"), ppd, context);

  g_assert_cmpfloat (layout->width, <=, 1000 + 1);
  g_assert_cmpfloat (layout->width, >, 700);
}

static void
test_zoom_is_capped (void)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) usual = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-05"));
  g_autoptr(OmOpportunityData) centuries = om_opportunity_data_new ("Plan", "Client", om_test_date ("1000-01-01"));
  OmStageData *stage = om_stage_data_new ("Build a cathedral", "Client consecrates it");
  const double zooms[] = { 0.25, 8, 120 };

  /* a usual plan zooms from a quarter of a pixel to 120 pixels a day */
  g_assert_cmpfloat (om_timeline_layout_clamp_px_per_day (usual, om_test_date ("2026-01-05"), 120), ==, 120);
  g_assert_cmpfloat (om_timeline_layout_clamp_px_per_day (usual, om_test_date ("2026-01-05"), 0.25), ==, 0.25);
  g_assert_cmpfloat (om_timeline_layout_clamp_px_per_day (usual, om_test_date ("2026-01-05"), 1000), ==, 120);

  /* one of eight centuries never spans more than the widest extent, not
   * even at the least zoom */
  stage->duration_days = 3000000;
  g_ptr_array_add (centuries->stages, stage);
  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      g_autoptr(OmTimelineLayout) layout = om_timeline_layout_new (centuries, om_test_date ("2026-01-05"), zooms[i], context);

      g_assert_cmpfloat (layout->px_per_day, >, 0);
      g_assert_cmpfloat (layout->px_per_day * (layout->last_date - layout->first_date), <=, OM_TIMELINE_MAX_EXTENT + 1e-6);
      g_assert_cmpfloat (layout->width, <=, OM_TIMELINE_MAX_EXTENT + 2 * OM_TIMELINE_MARGIN + OM_TIMELINE_LABEL_MAX);
      g_assert_cmpfloat (layout->px_per_day, ==,
                         om_timeline_layout_clamp_px_per_day (centuries, om_test_date ("2026-01-05"), zooms[i]));
      assert_well_laid_out (centuries, layout);
    }
}

/* What the timeline draws, measures and reads out of a stage is a short
 * excerpt on one line, whatever was typed or imported */
static void
test_texts_are_excerpts (void)
{
  g_autoptr(OmOpportunityData) data = om_opportunity_data_new ("Plan", "Client", om_test_date ("2026-01-05"));
  g_autofree char *word = g_strnfill (100000, 'x');
  g_autofree char *lines = g_strconcat ("first line\nsecond line\x1b[31m", word, NULL);
  g_autoptr(OmTimelineLayout) layout = NULL;
  OmStageData *stage = om_stage_data_new (word, lines);

  g_free (stage->owner);
  stage->owner = g_strdup (lines);
  g_ptr_array_add (data->stages, stage);
  layout = om_timeline_layout_new (data, om_test_date ("2026-01-05"), 8.0, context);

  for (guint i = 0; i < layout->stages->len; i++)
    {
      const OmTimelineStage *s = &g_array_index (layout->stages, OmTimelineStage, i);
      g_autofree char *said = om_timeline_stage_describe (s, layout->stages->len);
      const char *texts[] = { s->activity, s->milestone, s->detail, said };

      for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
        {
          g_assert_null (strchr (texts[j], '\n'));
          g_assert_null (strchr (texts[j], '\x1b'));
          g_assert_cmpint (g_utf8_strlen (texts[j], -1), <=, 400);
        }
      g_assert_true (g_str_has_prefix (s->activity, "xxxx"));
      g_assert_true (g_str_has_suffix (s->activity, "…"));
      g_assert_true (g_str_has_prefix (s->milestone, "first line"));
      g_assert_cmpfloat (s->label_width, <=, OM_TIMELINE_LABEL_MAX);
    }
}

/* The schedule on the timeline: agreed milestones are marked, a baseline
 * that differs leaves a ghost where it was, and the client's deadline
 * gets its line within the axis */
static void
test_schedule_marks (void)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) data = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-05"));
  g_autoptr(OmTimelineLayout) layout = NULL;
  g_autoptr(OmTimelineLayout) plain = NULL;
  const OmTimelineStage *second, *third, *last;
  g_autofree char *said = NULL;

  plain = om_timeline_layout_new (data, om_test_date ("2026-01-06"), 5.0, context);
  g_assert_cmpfloat (plain->target_x, <, 0);
  for (guint i = 0; i < plain->stages->len; i++)
    {
      g_assert_false (g_array_index (plain->stages, OmTimelineStage, i).agreed);
      g_assert_cmpfloat (g_array_index (plain->stages, OmTimelineStage, i).baseline_x, <, 0);
    }

  /* the baseline as planned; then stage 2 agreed four days later
   * (19 Jan to 23 Jan): it and the stages after it move off it */
  for (guint i = 0; i < data->stages->len; i++)
    om_opportunity_data_get_writable_stage (data, i)->baseline_due = om_opportunity_data_get_due_date (data, i);
  om_opportunity_data_get_writable_stage (data, 1)->agreed_on = om_test_date ("2026-01-23");
  data->target_date = om_test_date ("2026-05-15");
  layout = om_timeline_layout_new (data, om_test_date ("2026-01-06"), 5.0, context);
  assert_well_laid_out (data, layout);

  second = &g_array_index (layout->stages, OmTimelineStage, 1);
  third = &g_array_index (layout->stages, OmTimelineStage, 2);
  last = &g_array_index (layout->stages, OmTimelineStage, 5);
  g_assert_true (second->agreed);
  g_assert_false (third->agreed);
  g_assert_false (g_array_index (layout->stages, OmTimelineStage, 0).agreed);
  /* the first stage is where its baseline is: no ghost */
  g_assert_cmpfloat (g_array_index (layout->stages, OmTimelineStage, 0).baseline_x, <, 0);
  g_assert_cmpfloat_with_epsilon (second->baseline_x, om_timeline_layout_date_x (layout, om_test_date ("2026-01-19")), 1e-9);
  g_assert_cmpfloat_with_epsilon (last->baseline_x, om_timeline_layout_date_x (layout, om_test_date ("2026-04-01")), 1e-9);
  g_assert_cmpfloat (last->baseline_x, <, last->milestone_x);
  g_assert_nonnull (strstr (second->detail, "agreed"));
  said = om_timeline_stage_describe (second, 6);
  g_assert_nonnull (strstr (said, "agreed with the client"));

  /* the deadline, after the close date, stretches the axis to show it */
  g_assert_cmpfloat_with_epsilon (layout->target_x, om_timeline_layout_date_x (layout, om_test_date ("2026-05-15")), 1e-9);
  g_assert_cmpuint (layout->last_date, >=, om_test_date ("2026-05-15"));
}

int
main (int   argc,
      char *argv[])
{
  PangoFontMap *fontmap;
  int status;

  g_test_init (&argc, &argv, NULL);
  fontmap = pango_cairo_font_map_new ();
  context = pango_font_map_create_context (fontmap);

  g_test_add_func ("/timeline-layout/recommended", test_recommended);
  g_test_add_func ("/timeline-layout/today-line", test_today_line);
  g_test_add_func ("/timeline-layout/zero-day-stages", test_zero_day_stages);
  g_test_add_func ("/timeline-layout/random-plans", test_random_plans);
  g_test_add_func ("/timeline-layout/hit-testing", test_hit_testing);
  g_test_add_func ("/timeline-layout/fit", test_fit);
  g_test_add_func ("/timeline-layout/zoom-is-capped", test_zoom_is_capped);
  g_test_add_func ("/timeline-layout/texts-are-excerpts", test_texts_are_excerpts);
  g_test_add_func ("/timeline-layout/schedule-marks", test_schedule_marks);
  status = g_test_run ();

  g_object_unref (context);
  g_object_unref (fontmap);
  return status;
}
