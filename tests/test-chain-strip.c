/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "om-test-window.h"

/*
 * The chain strip above the plan table: a segment a stage, in plan
 * order, for a short plan; runs of stages, bounded by the strip's width
 * and with no widget a stage, for a plan of 10,000; a click selects a
 * stage everywhere; the tooltip and the accessible name say in words
 * what the segments show.
 */

typedef OmTestWindow Fixture;

static OmChainStrip *
strip_of (Fixture *f)
{
  return om_opportunity_view_get_strip (om_window_get_view (f->window));
}

static void
open_plan (Fixture *f,
           guint    n_stages,
           guint    n_won)
{
  g_autoptr(GError) error = NULL;
  /* today is 20 January: nothing is overdue yet */
  g_autoptr(OmOpportunityData) plan = om_opportunity_data_new ("Chain", "Client", om_test_date ("2026-01-15"));
  OmOpportunity *opp;

  om_test_window_set_up (f, "chain-strip", "2026-01-20");
  for (guint i = 0; i < n_stages; i++)
    {
      g_autofree char *activity = g_strdup_printf ("Step %c", 'A' + (i % 26));
      OmStageData *stage = om_stage_data_new (activity, "Client agrees");

      stage->duration_days = 10;
      g_ptr_array_add (plan->stages, stage);
    }
  for (guint i = 0; i < n_won; i++)
    g_assert_true (om_opportunity_data_win_stage (plan, i, om_test_date ("2026-01-16"), NULL, NULL));
  opp = om_repository_create_opportunity (f->repository, plan, &error);
  g_assert_no_error (error);
  f->id = om_opportunity_get_id (opp);

  om_test_window_present (f, 1280, 800);
  gtk_window_set_title (GTK_WINDOW (f->window), "om-test-chain-strip");
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_wait_for_paint (GTK_WIDGET (f->window));
}

static void
six_set_up (Fixture       *f,
            gconstpointer  data)
{
  open_plan (f, 6, 2);
}

static void
long_set_up (Fixture       *f,
             gconstpointer  data)
{
  open_plan (f, 10000, 40);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  om_test_window_tear_down (f);
}

/* A segment a stage, left to right in plan order, apart, within the strip */
static void
test_segments (Fixture       *f,
               gconstpointer  data)
{
  OmChainStrip *strip = strip_of (f);
  double width = gtk_widget_get_width (GTK_WIDGET (strip));
  double end = -1;

  g_assert_cmpfloat (width, >, 100);
  g_assert_cmpuint (om_chain_strip_get_n_segments (strip), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      guint first, n;
      double x, w;

      om_chain_strip_get_segment (strip, i, &first, &n, &x, &w);
      g_assert_cmpuint (first, ==, i);
      g_assert_cmpuint (n, ==, 1);
      g_assert_cmpfloat (x, >, end);
      g_assert_cmpfloat (w, >=, 8);
      g_assert_cmpfloat (x + w, <=, width + 1e-6);
      g_assert_cmpint (om_chain_strip_stage_at (strip, x + w / 2), ==, (int) i);
      end = x + w;
    }
  /* it fills the width it has */
  g_assert_cmpfloat (end, >=, width - 1);
  /* it is no keyboard stop: the table is */
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (strip)));
}

/* The tooltip names the stage under the pointer; the accessible name
 * sums up the chain */
static void
test_words (Fixture       *f,
            gconstpointer  data)
{
  OmChainStrip *strip = strip_of (f);
  double x, w;
  g_autofree char *tooltip = NULL;
  g_autofree char *wrong = NULL;

  om_chain_strip_get_segment (strip, 4, NULL, NULL, &x, &w);
  tooltip = om_chain_strip_describe_at (strip, x + w / 2);
  g_assert_cmpstr (tooltip, ==, "Stage 5 of 6: Step E. Pending");
  g_free (tooltip);
  om_chain_strip_get_segment (strip, 2, NULL, NULL, &x, &w);
  tooltip = om_chain_strip_describe_at (strip, x + w / 2);
  g_assert_cmpstr (tooltip, ==, "Stage 3 of 6: Step C. Current");
  g_assert_null (om_chain_strip_describe_at (strip, -5));

  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (strip), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "6 stages: 2 won, current stage 3, 3 more pending");
  g_assert_null (wrong);

  /* and follows the plan: the current stage won */
  g_assert_true (om_opportunity_win_stage (om_repository_find (f->repository, f->id), 2, NULL, NULL));
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (strip), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "6 stages: 3 won, current stage 4, 2 more pending");
  g_assert_null (wrong);
}

/* A real click on a segment selects its stage: the view's selection,
 * which the table and the editor follow */
static void
test_click_selects (Fixture       *f,
                    gconstpointer  data)
{
  OmChainStrip *strip = strip_of (f);
  OmOpportunityView *view = om_window_get_view (f->window);
  graphene_point_t out;
  double x, w, tx, ty;
  int win_x, win_y;
  g_autofree char *sx = NULL, *sy = NULL, *said = NULL;

  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and xdotool (build-aux/test provides both)");
      return;
    }
  om_test_window_get_position ("om-test-chain-strip", &win_x, &win_y);
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 2);

  om_chain_strip_get_segment (strip, 4, NULL, NULL, &x, &w);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (strip), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (x + w / 2, gtk_widget_get_height (GTK_WIDGET (strip)) / 2.0),
                                           &out));
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &tx, &ty);
  sx = g_strdup_printf ("%d", win_x + (int) (out.x + tx));
  sy = g_strdup_printf ("%d", win_y + (int) (out.y + ty));
  said = om_test_xdotool ("mousemove", "--sync", sx, sy, "sleep", "0.1", "click", "1", "sleep", "0.3", NULL);
  om_test_iterate_for (300);

  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 4);
  g_assert_cmpint (om_plan_table_get_selected (om_opportunity_view_get_table (view)), ==, 4);
}

static guint
count_nodes (GskRenderNode *node)
{
  guint n = 1;

  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_nodes (gsk_container_node_get_child (node, i));
      break;
    case GSK_TRANSFORM_NODE:
      n += count_nodes (gsk_transform_node_get_child (node));
      break;
    case GSK_CAIRO_NODE:
      g_error ("the strip draws with colour, border and text nodes only");
      break;
    default:
      break;
    }
  return n;
}

/* 10,000 stages: runs, as many as the width allows at most, no widget a
 * stage, and a drawing whose size is the width's, not the plan's */
static void
test_thousands_aggregate (Fixture       *f,
                          gconstpointer  data)
{
  OmChainStrip *strip = strip_of (f);
  int width = gtk_widget_get_width (GTK_WIDGET (strip));
  guint n_segments = om_chain_strip_get_n_segments (strip);
  guint covered = 0;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (strip));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *wrong = NULL;

  g_assert_cmpint (width, >, 100);
  g_assert_cmpuint (n_segments, >=, 2);
  g_assert_cmpuint (n_segments, <=, (guint) width / 3);
  for (guint i = 0; i < n_segments; i++)
    {
      guint first, n;

      om_chain_strip_get_segment (strip, i, &first, &n, NULL, NULL);
      g_assert_cmpuint (first, ==, covered);
      covered += n;
    }
  g_assert_cmpuint (covered, ==, 10000);
  g_assert_null (gtk_widget_get_first_child (GTK_WIDGET (strip)));
  /* the last pixel stands for the last few stages */
  g_assert_cmpint (om_chain_strip_stage_at (strip, width - 1), >=, 10000 - 10000 / width - 1);
  g_assert_cmpint (om_chain_strip_stage_at (strip, 0), ==, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, gtk_widget_get_height (GTK_WIDGET (strip)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  g_assert_cmpuint (count_nodes (node), <=, 8 * n_segments + 16);

  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (strip), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "10000 stages: 40 won, current stage 41, 9959 more pending");
  g_assert_null (wrong);
}

int
main (int   argc,
      char *argv[])
{
  /* the accessible names are read back through GTK's test context */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/chain-strip/segments", Fixture, NULL, six_set_up, test_segments, tear_down);
  g_test_add ("/chain-strip/words", Fixture, NULL, six_set_up, test_words, tear_down);
  g_test_add ("/chain-strip/click-selects", Fixture, NULL, six_set_up, test_click_selects, tear_down);
  g_test_add ("/chain-strip/thousands-aggregate", Fixture, NULL, long_set_up, test_thousands_aggregate, tear_down);

  return g_test_run ();
}
