/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "om-test-window.h"

/*
 * End to end: the window on a test database, a real pointer moved by
 * xdotool through the X server, real GTK drag-and-drop, real keys; then
 * the order of the stages read back from the file.
 */

/* the window on the plan dragged, one for all the tests */
static OmTestWindow w;
static int win_x, win_y;

static void
assert_order (const char *expected)
{
  g_autoptr(OmOpportunityData) on_disk = om_test_database_get (w.path, w.id);
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < on_disk->stages->len; i++)
    g_string_append_printf (got, "%s%s", i ? " " : "",
                            ((OmStageData *) g_ptr_array_index (on_disk->stages, i))->activity);
  g_assert_cmpstr (got->str, ==, expected);
}

static OmTimeline *
timeline (void)
{
  return om_opportunity_view_get_timeline (om_window_get_view (w.window));
}

/* Where on the screen a point of the timeline is */
static void
screen_point (double  x,
              double  y,
              char  **sx,
              char  **sy)
{
  graphene_point_t in = GRAPHENE_POINT_INIT (x, y), out;
  double tx, ty;

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (timeline ()), GTK_WIDGET (w.window), &in, &out));
  gtk_native_get_surface_transform (GTK_NATIVE (w.window), &tx, &ty);
  *sx = g_strdup_printf ("%d", win_x + (int) (out.x + tx));
  *sy = g_strdup_printf ("%d", win_y + (int) (out.y + ty));
}

static const OmTimelineStage *
stage_layout (guint i)
{
  return &g_array_index (om_timeline_get_layout (timeline ())->stages, OmTimelineStage, i);
}

/* A real drag: press on stage @from's bar, move in steps, release at @to_x */
static void
drag_stage (guint  from,
            double to_x)
{
  const OmTimelineStage *s = stage_layout (from);
  double x0 = (s->bar_x0 + s->milestone_x) / 2;
  double y = OM_TIMELINE_BAR_Y;
  g_autofree char *sx = NULL, *sy = NULL;
  g_autofree char *out = NULL;

  screen_point (x0, y, &sx, &sy);
  out = om_test_xdotool ("mousemove", "--sync", sx, sy, "sleep", "0.2", "mousedown", "1", "sleep", "0.2", NULL);
  for (int step = 1; step <= 10; step++)
    {
      g_autofree char *mx = NULL, *my = NULL;
      g_autofree char *moved = NULL;

      screen_point (x0 + (to_x - x0) * step / 10.0, y + 3, &mx, &my);
      moved = om_test_xdotool ("mousemove", mx, my, "sleep", "0.08", NULL);
    }
  g_free (out);
  out = om_test_xdotool ("sleep", "0.3", "mouseup", "1", "sleep", "0.3", NULL);
  om_test_iterate_for (500);
}

static void
test_drag_between_pending_stages (void)
{
  /* stage 6 (index 5) goes before stage 4 (index 3): drop just right of
   * the boundary between stages 3 and 4 */
  drag_stage (5, stage_layout (3)->bar_x0 + 3);
  assert_order ("A B C F D E G H");
}

static void
test_drop_before_won_stage_is_refused (void)
{
  const char *message;

  /* before stage 2, which is won */
  drag_stage (4, stage_layout (1)->bar_x0 + 2);
  assert_order ("A B C F D E G H");
  message = om_window_get_banner_message (w.window);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "won"));
}

static void
test_keyboard_move_and_undo (void)
{
  GtkWidget *stage_widget = om_timeline_get_stage_widget (timeline (), 3);
  g_autofree char *out = NULL;
  g_autofree char *wid = NULL;

  /* focus on stage 4 (now "F"), as Tab or a click would put it */
  g_assert_true (om_timeline_focus_stage (timeline (), 3));
  g_assert_true (gtk_widget_activate (stage_widget));
  om_test_iterate_for (200);
  g_assert_cmpint (om_opportunity_view_get_selected (om_window_get_view (w.window)), ==, 3);

  out = om_test_xdotool ("key", "--clearmodifiers", "alt+Right", "sleep", "0.3", NULL);
  om_test_iterate_for (400);
  assert_order ("A B C D F E G H");
  /* focus stayed on the moved stage, at its new place */
  g_assert_true (gtk_widget_has_focus (stage_widget));
  g_assert_true (om_timeline_get_stage_widget (timeline (), 4) == stage_widget);

  g_free (out);
  out = om_test_xdotool ("key", "--clearmodifiers", "ctrl+z", "sleep", "0.3", NULL);
  om_test_iterate_for (400);
  assert_order ("A B C F D E G H");
  g_free (out);
  out = om_test_xdotool ("key", "--clearmodifiers", "ctrl+z", "sleep", "0.3", NULL);
  om_test_iterate_for (400);
  assert_order ("A B C D E F G H");
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmOpportunityData) plan = NULL;
  const char *names = "ABCDEFGH";
  OmOpportunity *opp;

  om_test_window_set_up (&w, "dnd", "2026-01-20");
  plan = om_opportunity_data_new ("Drag me", "Client", om_test_date ("2026-01-05"));
  for (guint i = 0; i < 8; i++)
    {
      char activity[2] = { names[i], 0 };
      OmStageData *stage = om_stage_data_new (activity, "Client agrees");
      stage->duration_days = 6;
      g_ptr_array_add (plan->stages, stage);
    }
  g_assert_true (om_opportunity_data_win_stage (plan, 0, om_test_date ("2026-01-08"), NULL, NULL));
  g_assert_true (om_opportunity_data_win_stage (plan, 1, om_test_date ("2026-01-12"), NULL, NULL));
  opp = om_repository_create_opportunity (w.repository, plan, &error);
  g_assert_no_error (error);
  w.id = om_opportunity_get_id (opp);

  om_test_window_present (&w, 1280, 800);
  gtk_window_set_title (GTK_WINDOW (w.window), "om-test-dnd");
  om_test_iterate_for (1500);
  om_test_window_get_position ("om-test-dnd", &win_x, &win_y);
  g_assert_true (om_test_window_take_keyboard (&w, "om-test-dnd"));
  assert_order ("A B C D E F G H");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and xdotool (build-aux/test provides both)");
      return g_test_run ();
    }

  set_up ();
  /* in order: each starts from where the previous one left the plan */
  g_test_add_func ("/dnd/drag-between-pending-stages", test_drag_between_pending_stages);
  g_test_add_func ("/dnd/drop-before-won-stage-is-refused", test_drop_before_won_stage_is_refused);
  g_test_add_func ("/dnd/keyboard-move-and-undo", test_keyboard_move_and_undo);
  status = g_test_run ();

  om_test_window_tear_down (&w);
  return status;
}
