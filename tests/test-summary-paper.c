/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "om-summary.h"
#include "om-test-support.h"

/*
 * The summary on A4 and US Letter, portrait and landscape, with the
 * margins of the page setup: every page is the paper's size, carries its
 * footer, and no step of the plan is split between two pages.
 *
 * And the schedule as the client reads it (issue 10): agreed dates as
 * agreed, derived ones as proposed, no date gone by as the plan, their
 * deadline, and nothing of the schedule that is ours alone.
 */

static OmOpportunityData *
long_plan (void)
{
  OmOpportunityData *data = om_opportunity_data_new ("Paper plan", "Paper Client", om_test_date ("2026-01-05"));

  for (guint i = 1; i <= 40; i++)
    {
      g_autofree char *activity = g_strdup_printf ("Activity%02u", i);
      g_autofree char *milestone = g_strdup_printf ("Agreement%02u", i);
      OmStageData *stage = om_stage_data_new (activity, milestone);

      g_free (stage->client_description);
      stage->client_description = g_strdup_printf ("Description%02u, a text long enough to wrap over more than "
                                                   "one line of its column in the table of steps.", i);
      stage->duration_days = i % 4;
      g_ptr_array_add (data->stages, stage);
    }
  return data;
}

typedef struct
{
  const char *name;
  double      width;
  double      height;
  double      margin;
} Paper;

static void
test_paper (gconstpointer user_data)
{
  const Paper *paper = user_data;
  g_autoptr(OmOpportunityData) data = long_plan ();
  g_autofree char *dir = om_test_make_dir ("paper");
  g_autofree char *pdf = g_build_filename (dir, "summary.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  g_autofree char *size = NULL;
  OmSummaryPage page = { paper->width, paper->height, paper->margin, paper->margin, paper->margin, paper->margin };
  guint n_pages;

  om_date_set_today (739000);
  g_assert_true (om_summary_write_pdf (data, NULL, &page, pdf, &error));
  g_assert_no_error (error);

  n_pages = om_test_pdf_n_pages (pdf, &info);
  g_assert_cmpuint (n_pages, >=, 2);
  size = g_strdup_printf ("Page size:       %g x %g pts", paper->width, paper->height);
  g_assert_nonnull (strstr (info, size));

  for (guint i = 1; i <= 40; i++)
    {
      g_autofree char *activity = g_strdup_printf ("Activity%02u", i);
      g_autofree char *description = g_strdup_printf ("Description%02u", i);
      gboolean found = FALSE;

      for (guint p = 1; p <= n_pages && !found; p++)
        {
          g_autofree char *text = om_test_pdf_text (pdf, p);
          g_autofree char *footer = g_strdup_printf ("Page %u of %u", p, n_pages);
          const char *table = strstr (text, "No.");

          g_assert_nonnull (strstr (text, footer));
          if (table == NULL || strstr (table, activity) == NULL)
            continue;
          found = TRUE;
          g_assert_nonnull (strstr (table, description));
        }
      g_assert_true (found);
    }

  om_test_remove_tree (dir);
}

/* The schedule */

static void
add_stage (OmOpportunityData *data,
           const char        *activity,
           const char        *milestone,
           guint              duration_days)
{
  OmStageData *stage = om_stage_data_new (activity, milestone);

  stage->duration_days = duration_days;
  g_ptr_array_add (data->stages, stage);
}

static void
decide (OmOpportunityData *data,
        guint              index,
        OmStageStatus      status,
        const char        *on)
{
  OmStageData *stage = om_opportunity_data_get_writable_stage (data, index);

  stage->status = status;
  stage->decided_on = om_test_date (on);
  g_ptr_array_add (data->history, om_history_entry_new (index, OM_STAGE_STATUS_PENDING, status, stage->decided_on,
                                                        "MARKER-DECISION-NOTE"));
}

static void
agree (OmOpportunityData *data,
       guint              index,
       const char        *on)
{
  om_opportunity_data_get_writable_stage (data, index)->agreed_on = om_test_date (on);
}

/* Fleet renewal from 5 January 2026: "Milestone Alpha" won on the 9th,
 * the process agreed ("Milestone Bravo") on the 20th, three steps to go */
static OmOpportunityData *
schedule_plan (void)
{
  OmOpportunityData *data = om_opportunity_data_new ("Fleet renewal", "Nordic Ferries", om_test_date ("2026-01-05"));

  add_stage (data, "Meet", "Milestone Alpha", 4);
  add_stage (data, "Process", "Milestone Bravo", 7);
  add_stage (data, "Study", "Milestone Charlie", 7);
  add_stage (data, "Proposal", "Milestone Delta", 14);
  add_stage (data, "Sign", "Milestone Echo", 14);
  om_opportunity_data_get_writable_stage (data, 1)->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  decide (data, 0, OM_STAGE_STATUS_WON, "2026-01-09");
  decide (data, 1, OM_STAGE_STATUS_WON, "2026-01-20");
  return data;
}

/* The summary of @data printed on @today, as pdftotext reads it, each
 * run of white space (no-break spaces too) one space: a table cell's
 * lines wrap */
static char *
summary_text (const OmOpportunityData *data,
              const char              *today)
{
  g_autofree char *dir = om_test_make_dir ("schedule");
  g_autofree char *pdf = g_build_filename (dir, "summary.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GRegex) space = g_regex_new ("[\\s\\x{a0}]+", 0, 0, NULL);
  g_autoptr(GError) error = NULL;
  OmSummaryPage page = { 595.276, 841.89, 56.7, 56.7, 56.7, 56.7 };
  char *flat;

  om_date_set_today (om_test_date (today));
  g_assert_true (om_summary_write_pdf (data, NULL, &page, pdf, &error));
  g_assert_no_error (error);
  text = om_test_pdf_text (pdf, 0);
  flat = g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);
  om_test_remove_tree (dir);
  return flat;
}

static void
assert_shows (const char *text,
              const char *what)
{
  if (strstr (text, what) == NULL)
    g_error ("the client's summary does not show “%s”: %s", what, text);
}

static void
assert_hides (const char *text,
              const char *what)
{
  if (strstr (text, what) != NULL)
    g_error ("the client's summary shows “%s”: %s", what, text);
}

/* "Agreed: <date>" or "Proposed: <date>" */
static char *
dated (const char *prefix,
       const char *iso)
{
  g_autofree char *date = om_date_format (om_test_date (iso));

  return prefix == NULL ? g_steal_pointer (&date) : g_strdup_printf ("%s: %s", prefix, date);
}

/* Each step's date as the client reads it, in the table: a date agreed
 * with them as agreed, one the plan derives as our proposal, a decided
 * step's as it is */
static void
test_agreed_or_proposed (void)
{
  g_autoptr(OmOpportunityData) data = schedule_plan ();
  g_autofree char *text = NULL;
  const char *table;
  struct
  {
    const char *milestone;
    const char *prefix;   /* NULL: decided, the date alone */
    const char *iso;
  } steps[] = {
    { "Milestone Alpha", NULL, "2026-01-09" },
    { "Milestone Bravo", NULL, "2026-01-20" },
    { "Milestone Charlie", "Agreed", "2026-02-12" },
    { "Milestone Delta", "Proposed", "2026-02-26" },
    { "Milestone Echo", "Agreed", "2026-03-20" },
  };

  agree (data, 2, "2026-02-12");
  agree (data, 4, "2026-03-20");
  text = summary_text (data, "2026-01-25");

  table = strstr (text, "The steps");
  g_assert_nonnull (table);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *shown = dated (steps[i].prefix, steps[i].iso);
      g_autofree char *as_agreed = dated ("Agreed", steps[i].iso);
      g_autofree char *as_proposed = dated ("Proposed", steps[i].iso);

      assert_shows (table, steps[i].milestone);
      assert_shows (table, shown);
      if (g_strcmp0 (steps[i].prefix, "Agreed") != 0)
        assert_hides (text, as_agreed);
      if (g_strcmp0 (steps[i].prefix, "Proposed") != 0)
        assert_hides (text, as_proposed);
    }
  assert_hides (text, "To be agreed");
  assert_hides (text, "Planned");
}

/* A pending step whose date has gone by, derived or once agreed, is not
 * shown for that date: a new one is to be agreed. The steps after it
 * keep their own dates. */
static void
test_past_date_to_be_agreed (void)
{
  g_autoptr(OmOpportunityData) data = schedule_plan ();
  g_autofree char *text = NULL;
  g_autofree char *derived = dated (NULL, "2026-01-27");
  g_autofree char *agreed = dated (NULL, "2026-02-10");
  g_autofree char *proposed = dated ("Proposed", "2026-02-24");
  const char *table;
  const char *at;
  guint n = 0;

  /* Charlie was due on 27 January (7 days after Bravo), Delta agreed
   * for 10 February; Echo follows 14 days later */
  agree (data, 3, "2026-02-10");
  text = summary_text (data, "2026-02-20");

  assert_hides (text, derived);
  assert_hides (text, agreed);
  assert_shows (text, proposed);
  assert_hides (text, "Planned");
  table = strstr (text, "The steps");
  g_assert_nonnull (table);
  for (at = table; (at = strstr (at, "To be agreed")) != NULL; at++)
    n++;
  g_assert_cmpuint (n, ==, 2);
}

/* The client's own deadline, near the top, when there is one */
static void
test_deadline (void)
{
  g_autoptr(OmOpportunityData) data = schedule_plan ();
  g_autofree char *without = summary_text (data, "2026-01-25");
  g_autofree char *deadline = dated ("Your deadline", "2026-06-30");
  g_autofree char *with = NULL;
  const char *at;

  assert_hides (without, "deadline");
  assert_hides (without, "30 Jun");

  data->target_date = om_test_date ("2026-06-30");
  with = summary_text (data, "2026-01-25");
  at = strstr (with, deadline);
  if (at == NULL)
    g_error ("the client's summary does not show “%s”: %s", deadline, with);
  g_assert_true (at < strstr (with, "How we will work together"));
}

/* Nothing of the schedule that is ours alone: not the notes of its
 * history (agreed dates, moves of the close date, baselines), not the
 * baseline's dates or the slip against them, not the pushes; nor the
 * internal notes, the decisions' notes or a lost reason */
static void
test_nothing_internal (void)
{
  g_autoptr(OmOpportunityData) open = schedule_plan ();
  g_autoptr(OmOpportunityData) lost = schedule_plan ();
  const char *baselines[] = { "2026-01-06", "2026-01-13", "2026-02-03", "2026-02-17", "2026-03-03" };
  const char *hidden[] = { "marker", "baseline", "slip", "push", "moved", "late", "overdue", "history" };
  g_autofree char *text = NULL;
  g_autofree char *lost_text = NULL;
  g_autofree char *lower = NULL;

  g_free (open->notes);
  open->notes = g_strdup ("MARKER-OPP-NOTE");
  for (guint i = 0; i < open->stages->len; i++)
    {
      OmStageData *stage = om_opportunity_data_get_writable_stage (open, i);

      g_free (stage->notes);
      stage->notes = g_strdup_printf ("MARKER-STAGE-NOTE-%u", i);
      stage->baseline_due = om_test_date (baselines[i]);
    }
  agree (open, 2, "2026-02-12");
  g_ptr_array_add (open->schedule, om_schedule_entry_new (OM_SCHEDULE_BASELINE, -1, 0, 0,
                                                          om_test_date ("2026-01-20"), "MARKER-BASELINE-NOTE"));
  g_ptr_array_add (open->schedule, om_schedule_entry_new (OM_SCHEDULE_AGREED_DATE, 2, 0,
                                                          om_test_date ("2026-02-12"), om_test_date ("2026-01-21"),
                                                          "MARKER-AGREED-NOTE"));
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (open->schedule,
                     om_schedule_entry_new (OM_SCHEDULE_CLOSE_DATE, -1, om_test_date ("2026-04-01") + 10 * i,
                                            om_test_date ("2026-04-11") + 10 * i, om_test_date ("2026-01-22"),
                                            "MARKER-PUSH-NOTE"));
  text = summary_text (open, "2026-01-25");

  {
    OmStageData *stage = om_opportunity_data_get_writable_stage (lost, 2);

    decide (lost, 2, OM_STAGE_STATUS_LOST, "2026-01-24");
    g_free (stage->lost_reason);
    stage->lost_reason = g_strdup ("MARKER-LOST-REASON");
  }
  lost_text = summary_text (lost, "2026-01-25");

  /* what the client does see, so that the test reads a summary */
  assert_shows (text, "Milestone Echo");
  assert_shows (lost_text, "Milestone Echo");
  lower = g_utf8_strdown (text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    assert_hides (lower, hidden[i]);
  for (guint i = 0; i < G_N_ELEMENTS (baselines); i++)
    {
      g_autofree char *date = dated (NULL, baselines[i]);

      assert_hides (text, date);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *date = om_date_format (om_test_date ("2026-04-01") + 10 * i);

      assert_hides (text, date);
    }
  g_free (lower);
  lower = g_utf8_strdown (lost_text, -1);
  assert_hides (lower, "marker");
}

int
main (int   argc,
      char *argv[])
{
  static const Paper papers[] = {
    { "a4-portrait", 595.276, 841.89, 56.7 },
    { "a4-landscape", 841.89, 595.276, 56.7 },
    { "letter-portrait", 612, 792, 72 },
    { "letter-landscape", 792, 612, 72 },
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/summary-paper/%s", papers[i].name);
      g_test_add_data_func (path, &papers[i], test_paper);
    }
  g_test_add_func ("/summary/schedule/agreed-or-proposed", test_agreed_or_proposed);
  g_test_add_func ("/summary/schedule/past-date-to-be-agreed", test_past_date_to_be_agreed);
  g_test_add_func ("/summary/schedule/deadline", test_deadline);
  g_test_add_func ("/summary/schedule/nothing-internal", test_nothing_internal);
  return g_test_run ();
}
