/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "om-database.h"
#include "om-test-support.h"
#include "om-window.h"

/*
 * End to end: the window on a test database, a real pointer moved by
 * xdotool through the X server, real GTK drag-and-drop, real keys; then
 * the order of the stages read back from the file.
 */

static char *dir;
static char *path;
static OmRepository *repository;
static OmWindow *window;
static gint64 opp_id;
static int win_x, win_y;

static OmDate
date (const char *iso)
{
  OmDate d = 0;
  g_assert_true (om_date_parse (iso, &d));
  return d;
}

static GPtrArray *
activities_on_disk (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = om_database_open (path, &error);
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_assert_true (om_database_load (db, &opportunities, &templates, &error));
  for (guint i = 0; i < opportunities->len; i++)
    {
      OmOpportunityData *data = g_ptr_array_index (opportunities, i);
      if (data->id != opp_id)
        continue;
      for (guint j = 0; j < data->stages->len; j++)
        g_ptr_array_add (names, g_strdup (((OmStageData *) g_ptr_array_index (data->stages, j))->activity));
    }
  return names;
}

static void
assert_order (const char *expected)
{
  g_autoptr(GPtrArray) names = activities_on_disk ();
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (got, "%s%s", i ? " " : "", (char *) g_ptr_array_index (names, i));
  g_assert_cmpstr (got->str, ==, expected);
}

static OmTimeline *
timeline (void)
{
  return om_opportunity_view_get_timeline (om_window_get_view (window));
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

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (timeline ()), GTK_WIDGET (window), &in, &out));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &tx, &ty);
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
  message = om_window_get_banner_message (window);
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
  g_assert_cmpint (om_opportunity_view_get_selected (om_window_get_view (window)), ==, 3);

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
  g_autofree char *geometry = NULL;
  g_auto(GStrv) lines = NULL;
  const char *names = "ABCDEFGH";
  OmOpportunity *opp;

  om_date_set_today (date ("2026-01-20"));
  dir = g_dir_make_tmp ("om-test-dnd-XXXXXX", NULL);
  path = g_build_filename (dir, "dnd.db", NULL);
  repository = om_database_open_repository (path, &error);
  g_assert_no_error (error);

  plan = om_opportunity_data_new ("Drag me", "Client", date ("2026-01-05"));
  for (guint i = 0; i < 8; i++)
    {
      char activity[2] = { names[i], 0 };
      OmStageData *stage = om_stage_data_new (activity, "Client agrees");
      stage->duration_days = 6;
      g_ptr_array_add (plan->stages, stage);
    }
  g_assert_true (om_opportunity_data_win_stage (plan, 0, date ("2026-01-08"), NULL, NULL));
  g_assert_true (om_opportunity_data_win_stage (plan, 1, date ("2026-01-12"), NULL, NULL));
  opp = om_repository_create_opportunity (repository, plan, &error);
  g_assert_no_error (error);
  opp_id = om_opportunity_get_id (opp);

  window = om_window_new (NULL, repository, NULL);
  gtk_window_set_title (GTK_WINDOW (window), "om-test-dnd");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  om_test_iterate_for (1500);

  geometry = om_test_xdotool ("search", "--sync", "--name", "^om-test-dnd$", "getwindowgeometry", "--shell", NULL);
  lines = g_strsplit (geometry, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (g_str_has_prefix (lines[i], "X="))
        win_x = atoi (lines[i] + 2);
      else if (g_str_has_prefix (lines[i], "Y="))
        win_y = atoi (lines[i] + 2);
    }
  g_free (om_test_xdotool ("search", "--name", "^om-test-dnd$", "windowraise", NULL));
  g_free (om_test_xdotool ("search", "--name", "^om-test-dnd$", "windowfocus", "--sync", NULL));
  om_test_iterate_for (300);
  assert_order ("A B C D E F G H");
}

int
main (int   argc,
      char *argv[])
{
  int status;
  const char *files[] = { "dnd.db", "dnd.db-wal", "dnd.db-shm" };

  gtk_test_init (&argc, &argv, NULL);
  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and om_test_xdotool (build-aux/test provides both)");
      return g_test_run ();
    }

  set_up ();
  /* in order: each starts from where the previous one left the plan */
  g_test_add_func ("/dnd/drag-between-pending-stages", test_drag_between_pending_stages);
  g_test_add_func ("/dnd/drop-before-won-stage-is-refused", test_drop_before_won_stage_is_refused);
  g_test_add_func ("/dnd/keyboard-move-and-undo", test_keyboard_move_and_undo);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  om_test_iterate_for (100);
  g_clear_object (&repository);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *file = g_build_filename (dir, files[i], NULL);
      g_remove (file);
    }
  g_rmdir (dir);
  return status;
}
