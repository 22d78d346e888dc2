/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "om-test-window.h"
#include "om-text-cell.h"
#include "om-timeline-layout.h"

/*
 * Plans that are too long, or texts that are too long, for one drawing:
 * the window opens them, zooms to its limits and scrolls to their end
 * without aborting, and neither the plan table's Gantt column nor the
 * chain strip above it ever makes a drawing larger than a renderer holds.
 * GTK's GL renderer aborts on a drawing past 16,384 pixels and cairo
 * cannot make one past 32,767; under Xvfb GTK may use either, so the
 * sizes of the drawings are checked too.
 */

/* what one drawing of the plan may measure, in either direction */
#define MAX_DRAWING 4096.0

typedef OmTestWindow Fixture;

/* Lets the window lay out and paint, if it has anything to paint: the
 * drawings checked are the ones GTK kept from painting the window */
static void
iterate (Fixture *f)
{
  om_test_wait_for_paint (GTK_WIDGET (f->window));
}

static void
open_window (Fixture           *f,
             OmOpportunityData *plan)
{
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;
  gint64 start;

  om_test_window_set_up (f, "long-plan", "2026-03-10");
  opp = om_repository_create_opportunity (f->repository, plan, &error);
  g_assert_no_error (error);
  f->id = om_opportunity_get_id (opp);

  start = g_get_monotonic_time ();
  om_test_window_present (f, 1280, 800);
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  iterate (f);
  g_test_message ("shown in %.3f s", (g_get_monotonic_time () - start) / 1e6);
}

static void
long_plan_set_up (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OmOpportunityData) plan = om_opportunity_data_new ("Long plan", "Client", om_test_date ("2026-01-05"));

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *activity = g_strdup_printf ("Activity %u", i + 1);
      g_autofree char *milestone = g_strdup_printf ("Client agrees to step %u", i + 1);
      OmStageData *stage = om_stage_data_new (activity, milestone);

      stage->duration_days = 7;
      g_free (stage->owner);
      stage->owner = g_strdup ("Ann");
      g_ptr_array_add (plan->stages, stage);
    }
  open_window (f, plan);
}

/* 2,000 stages nobody conducts yet: every stage is in the same warning */
static void
unowned_plan_set_up (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OmOpportunityData) plan = om_opportunity_data_new ("Unowned plan", "Client", om_test_date ("2026-01-05"));

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *activity = g_strdup_printf ("Activity %u", i + 1);
      OmStageData *stage = om_stage_data_new (activity, "Client agrees");

      stage->duration_days = 7;
      g_ptr_array_add (plan->stages, stage);
    }
  open_window (f, plan);
}

static void
long_word_set_up (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(OmOpportunityData) plan = om_opportunity_data_new ("One long word", "Client", om_test_date ("2026-01-05"));
  g_autofree char *word = g_strnfill (100000, 'x');
  OmStageData *stage;

  /* no owner: the warning quotes the activity; the stage editor shows
   * the description and the notes in full */
  stage = om_stage_data_new (word, word);
  stage->duration_days = 7;
  g_free (stage->client_description);
  stage->client_description = g_strdup (word);
  g_free (stage->notes);
  stage->notes = g_strdup (word);
  g_ptr_array_add (plan->stages, stage);
  stage = om_stage_data_new ("Second", "Client agrees");
  g_free (stage->owner);
  stage->owner = g_strdup (word);
  g_ptr_array_add (plan->stages, stage);
  open_window (f, plan);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  om_test_window_tear_down (f);
}

static OmPlanTable *
table_of (Fixture *f)
{
  return om_opportunity_view_get_table (om_window_get_view (f->window));
}

static GtkAdjustment *
hadjustment_of (Fixture *f)
{
  return gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (om_plan_table_get_column_view (table_of (f))));
}

/* Every node a renderer turns into an image of its own size is bounded;
 * the drawings' horizontal extents, in the root's coordinates, are
 * added to @covered. */
static void
check_node (GskRenderNode *node,
            GskTransform  *transform,
            GArray        *covered)
{
  graphene_rect_t bounds, placed;

  gsk_render_node_get_bounds (node, &bounds);
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        check_node (gsk_container_node_get_child (node, i), transform, covered);
      return;
    case GSK_TRANSFORM_NODE:
      {
        g_autoptr(GskTransform) inner = gsk_transform_transform (gsk_transform_ref (transform),
                                                                 gsk_transform_node_get_transform (node));

        check_node (gsk_transform_node_get_child (node), inner, covered);
      }
      return;
    case GSK_CLIP_NODE:
      check_node (gsk_clip_node_get_child (node), transform, covered);
      return;
    case GSK_ROUNDED_CLIP_NODE:
      check_node (gsk_rounded_clip_node_get_child (node), transform, covered);
      return;
    case GSK_DEBUG_NODE:
      check_node (gsk_debug_node_get_child (node), transform, covered);
      return;
    case GSK_CAIRO_NODE:
    case GSK_TEXTURE_NODE:
      g_assert_cmpfloat (bounds.size.width, <=, MAX_DRAWING);
      g_assert_cmpfloat (bounds.size.height, <=, MAX_DRAWING);
      if (transform != NULL)
        gsk_transform_transform_bounds (transform, &bounds, &placed);
      else
        placed = bounds;
      g_array_append_val (covered, placed);
      return;
    case GSK_OPACITY_NODE:
    case GSK_COLOR_MATRIX_NODE:
    case GSK_BLUR_NODE:
    case GSK_SHADOW_NODE:
    case GSK_BLEND_NODE:
    case GSK_CROSS_FADE_NODE:
    case GSK_REPEAT_NODE:
      /* drawn offscreen, at their size */
      g_assert_cmpfloat (bounds.size.width, <=, MAX_DRAWING);
      g_assert_cmpfloat (bounds.size.height, <=, MAX_DRAWING);
      return;
    default:
      /* colours, borders, text: drawn without an image of their size */
      return;
    }
}

/* What @widget draws now: each drawing bounded */
static void
assert_widget_bounded (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GArray) covered = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    check_node (node, NULL, covered);
}

/* The table and the strip as drawn now: each drawing bounded, and the
 * Gantt column has rows in view to draw */
static void
assert_drawn_in_view (Fixture *f)
{
  OmOpportunityView *view = om_window_get_view (f->window);

  assert_widget_bounded (GTK_WIDGET (om_opportunity_view_get_table (view)));
  assert_widget_bounded (GTK_WIDGET (om_opportunity_view_get_strip (view)));
  g_assert_true (om_plan_table_shows_stage (table_of (f)));
}

/* The whole window's picture: no image past what a renderer takes */
static void
assert_window_bounded (Fixture *f)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (f->window));
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GArray) covered = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

  /* a window still being laid out again (a zoom fits the plan on the
   * next frame) has no picture yet: a slow machine waits a few frames */
  for (guint tries = 0; node == NULL && tries < 20; tries++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (tries > 0)
        iterate (f);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                              gtk_widget_get_width (GTK_WIDGET (f->window)),
                              gtk_widget_get_height (GTK_WIDGET (f->window)));
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  check_node (node, NULL, covered);
}

/* Ctrl+plus (or minus) until the zoom stops changing, checking the
 * drawing at each step */
static double
zoom_to_limit (Fixture    *f,
               const char *action)
{
  OmPlanTable *table = table_of (f);
  double before = -1;
  guint steps = 0;

  while (om_plan_table_get_px_per_day (table) != before)
    {
      before = om_plan_table_get_px_per_day (table);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
      iterate (f);
      assert_drawn_in_view (f);
      /* a limit is reached, in steps of 25 % */
      g_assert_cmpuint (++steps, <, 100);
    }
  assert_window_bounded (f);
  return before;
}

static void
scroll_to (Fixture *f,
           double   fraction)
{
  GtkAdjustment *adj = hadjustment_of (f);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_lower (adj) +
                                 fraction * (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)));
  iterate (f);
  assert_drawn_in_view (f);
}

static void
test_long_plan_zoom_and_scroll (Fixture       *f,
                                gconstpointer  data)
{
  OmPlanTable *table = table_of (f);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  OmChainStrip *strip = om_opportunity_view_get_strip (om_window_get_view (f->window));
  double most, least;

  /* it opened, and the strip shows all its stages in runs */
  g_assert_true (om_opportunity_view_get_opportunity (om_window_get_view (f->window)) == opp);
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 2000);
  g_assert_cmpuint (om_chain_strip_get_n_segments (strip), <, 2000);
  /* its last pixel stands for the last few stages */
  g_assert_cmpint (om_chain_strip_stage_at (strip, gtk_widget_get_width (GTK_WIDGET (strip)) - 1), >=,
                   2000 - 2000 / gtk_widget_get_width (GTK_WIDGET (strip)) - 1);
  assert_drawn_in_view (f);
  assert_window_bounded (f);

  most = zoom_to_limit (f, "win.zoom-in");
  /* the zoom stops where the plan's dates span no more than a set width */
  g_assert_cmpfloat (most * (om_opportunity_get_close_date (opp) - om_opportunity_get_start_date (opp)), <=,
                     OM_TIMELINE_MAX_EXTENT + 1e-6);
  g_assert_cmpfloat (most, >, 1);
  scroll_to (f, 1.0);
  scroll_to (f, 0.5);
  scroll_to (f, 0.0);

  least = zoom_to_limit (f, "win.zoom-out");
  g_assert_cmpfloat (least, <, most);
  scroll_to (f, 1.0);
  scroll_to (f, 0.25);

  /* Ctrl+0: the whole plan, as far as it can be squeezed */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-fit", NULL));
  iterate (f);
  assert_drawn_in_view (f);
  scroll_to (f, 1.0);
  assert_window_bounded (f);

  /* and in again, at the end of the plan */
  zoom_to_limit (f, "win.zoom-in");
  scroll_to (f, 1.0);
  g_assert_true (om_plan_table_focus_stage (table, 1999));
  iterate (f);
  iterate (f);
  assert_drawn_in_view (f);
  g_assert_cmpint (om_opportunity_view_get_selected (om_window_get_view (f->window)), ==, 1999);
  g_assert_nonnull (om_plan_table_get_cell (table, 1999, OM_PLAN_TABLE_NUMBER));
  g_assert_true (om_plan_table_has_focus (table));
}

static void
test_long_word (Fixture       *f,
                gconstpointer  data)
{
  OmChainStrip *strip = om_opportunity_view_get_strip (om_window_get_view (f->window));
  GtkWidget *activity = om_plan_table_get_cell (table_of (f), 0, OM_PLAN_TABLE_ACTIVITY);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  g_autofree char *tooltip = NULL;
  g_autofree char *undo = NULL;
  double x, width;

  /* the strip draws no text of the stage: nothing 100,000 characters
   * long to measure; its tooltip quotes the activity briefly */
  g_assert_cmpuint (om_chain_strip_get_n_segments (strip), ==, 2);
  om_chain_strip_get_segment (strip, 0, NULL, NULL, &x, &width);
  tooltip = om_chain_strip_describe_at (strip, x + width / 2);
  g_assert_nonnull (tooltip);
  g_assert_nonnull (strstr (tooltip, "xxxxxxxxxx"));
  g_assert_cmpint (g_utf8_strlen (tooltip, -1), <=, 400);
  g_assert_nonnull (activity);

  /* into the cell and out again, as Tab does: its entry holds 65,535
   * characters of the activity, which is no edit */
  undo = g_strdup (om_repository_get_undo_label (f->repository));
  g_assert_true (gtk_widget_grab_focus (activity));
  iterate (f);
  g_assert_nonnull (om_text_cell_get_editable (OM_TEXT_CELL (activity)));
  g_assert_true (om_plan_table_focus_stage (table_of (f), 1));
  iterate (f);
  g_assert_cmpuint (strlen (om_stage_get_activity (om_opportunity_get_stage (opp, 0))), ==, 100000);
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, undo);
  /* the entry goes with the keyboard */
  g_assert_null (om_text_cell_get_editable (OM_TEXT_CELL (activity)));

  assert_drawn_in_view (f);
  zoom_to_limit (f, "win.zoom-in");
  scroll_to (f, 1.0);
  zoom_to_limit (f, "win.zoom-out");
  g_assert_true (om_plan_table_focus_stage (table_of (f), 1));
  iterate (f);
  assert_drawn_in_view (f);
}

/* The longest text any label of @root shows, in characters */
static glong
longest_label (GtkWidget *root)
{
  glong longest = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        longest = MAX (longest, g_utf8_strlen (gtk_label_get_text (GTK_LABEL (child)), -1));
      longest = MAX (longest, longest_label (child));
    }
  return longest;
}

/* Adds the text of every warning row below @root to @texts: the first
 * label of each row of the view's list box */
static void
collect_warning_rows (GtkWidget *root,
                      GPtrArray *texts)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child))
        {
          GtkWidget *label = gtk_widget_get_first_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child)));

          while (label != NULL && !GTK_IS_LABEL (label))
            label = gtk_widget_get_next_sibling (label);
          g_assert_nonnull (label);
          g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (label)));
          continue;
        }
      collect_warning_rows (child, texts);
    }
}

/* A warning about thousands of stages names a few and counts the rest:
 * a label listing 2,000 numbers fills the page and pushes the plan out
 * of view. The window shows the model's warnings as they are, one row
 * each: it has no rule of its own for grouping them. */
static void
test_unowned_plan_warnings (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *view = GTK_WIDGET (om_window_get_view (f->window));
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  g_autoptr(GPtrArray) warnings = om_opportunity_check_health (opp);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint unowned = 0, overdue = 0;

  g_assert_cmpint (longest_label (view), <=, 200);

  /* every stage has no owner, and the first nine are overdue (today is
   * 10 March): one warning each, about the first stage */
  for (guint i = 0; i < warnings->len; i++)
    {
      const OmHealthWarning *w = g_ptr_array_index (warnings, i);

      if (g_strcmp0 (w->code, "no-owner") == 0)
        unowned++;
      if (g_strcmp0 (w->code, "overdue") == 0)
        {
          overdue++;
          g_assert_nonnull (strstr (w->message, "8 later stages are overdue"));
        }
    }
  g_assert_cmpuint (unowned, ==, 1);
  g_assert_cmpuint (overdue, ==, 1);

  collect_warning_rows (view, rows);
  g_assert_cmpuint (rows->len, ==, warnings->len);
  for (guint i = 0; i < warnings->len; i++)
    g_assert_cmpstr (g_ptr_array_index (rows, i), ==, ((OmHealthWarning *) g_ptr_array_index (warnings, i))->message);
}

int
main (int   argc,
      char *argv[])
{
  /* the accessible names are read back through GTK's test context */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/long-plan/zoom-and-scroll", Fixture, NULL,
              long_plan_set_up, test_long_plan_zoom_and_scroll, fixture_tear_down);
  g_test_add ("/long-plan/unowned-warnings", Fixture, NULL,
              unowned_plan_set_up, test_unowned_plan_warnings, fixture_tear_down);
  g_test_add ("/long-plan/long-word", Fixture, NULL,
              long_word_set_up, test_long_word, fixture_tear_down);

  return g_test_run ();
}
