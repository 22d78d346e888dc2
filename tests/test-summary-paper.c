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

  g_assert_true (om_summary_write_pdf (data, &page, pdf, &error));
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
  om_date_set_today (739000);
  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/summary-paper/%s", papers[i].name);
      g_test_add_data_func (path, &papers[i], test_paper);
    }
  return g_test_run ();
}
