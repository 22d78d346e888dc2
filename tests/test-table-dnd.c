/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>

#include "om-plan-table.h"
#include "om-test-window.h"
#include "om-text-cell.h"

/*
 * The plan table's rows reordered end to end, as test-dnd does on the
 * timeline: the window on a test database, a real pointer moved by
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

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type,
             const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if ((type == G_TYPE_NONE || G_TYPE_CHECK_INSTANCE_TYPE (child, type)) &&
          (css_class == NULL || gtk_widget_has_css_class (child, css_class)))
        return child;
      if ((found = find_widget (child, type, css_class)) != NULL)
        return found;
    }
  return NULL;
}

static OmPlanTable *
table (void)
{
  GtkWidget *found = find_widget (GTK_WIDGET (w.window), OM_TYPE_PLAN_TABLE, NULL);

  g_assert_nonnull (found);
  return OM_PLAN_TABLE (found);
}

/* The row a cell is in: the whole width of the table */
static GtkWidget *
row_of (GtkWidget *cell)
{
  GtkWidget *row = gtk_widget_get_parent (gtk_widget_get_parent (cell));

  g_assert_cmpstr (gtk_widget_get_css_name (row), ==, "row");
  return row;
}

static GtkWidget *
row_widget (guint row)
{
  GtkWidget *cell = om_plan_table_get_cell (table (), row, OM_PLAN_TABLE_NUMBER);

  g_assert_nonnull (cell);
  return row_of (cell);
}

/* Where on the screen a point of row @row's handle is, at @fraction of
 * the row's height: the handle is the stage number's cell */
static void
screen_point (guint   row,
              double  fraction,
              char  **sx,
              char  **sy)
{
  GtkWidget *cell = om_plan_table_get_cell (table (), row, OM_PLAN_TABLE_NUMBER);
  GtkWidget *row_widget;
  graphene_point_t in, out;
  double tx, ty;
  int x, y;

  g_assert_nonnull (cell);
  row_widget = row_of (cell);
  /* across from the handle's middle, at the height asked of the row */
  g_assert_true (gtk_widget_compute_point (cell, row_widget,
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (cell) / 2.0, 0), &in));
  in.y = (float) (gtk_widget_get_height (row_widget) * fraction);
  g_assert_true (gtk_widget_compute_point (row_widget, GTK_WIDGET (w.window), &in, &out));
  gtk_native_get_surface_transform (GTK_NATIVE (w.window), &tx, &ty);
  x = (int) (out.x + tx);
  y = (int) (out.y + ty);
  /* a point the pointer can reach: the window is on screen */
  g_assert_cmpint (x, >, 0);
  g_assert_cmpint (y, >, 0);
  g_assert_cmpint (x, <, gtk_widget_get_width (GTK_WIDGET (w.window)));
  g_assert_cmpint (y, <, gtk_widget_get_height (GTK_WIDGET (w.window)));
  *sx = g_strdup_printf ("%d", win_x + x);
  *sy = g_strdup_printf ("%d", win_y + y);
}

/* What the table shows during a drag, just before the release */
typedef enum {
  EXPECT_LINE_ABOVE,  /* the row @to shows where the stage lands */
  EXPECT_REFUSAL,     /* the row @to shows it cannot land there, and why */
} Expect;

static void scroll_to_table (void);

/* A real drag: press on row @from's handle, move in steps to the upper
 * quarter of row @to (just below the line between @to - 1 and @to),
 * check what the table shows there, then release, after Escape if
 * @escape */
static void
drag_row (guint       from,
          guint       to,
          Expect      expect,
          const char *reason,
          gboolean    escape)
{
  g_autofree char *x0 = NULL, *y0 = NULL, *x1 = NULL, *y1 = NULL;
  g_autofree char *out = NULL;
  GtkWidget *target_row;
  GtkWidget *label;
  int ix0, iy0, ix1, iy1;

  /* the rows in view, as a person scrolls the plan's side to them (a
   * message above the page may have pushed them down) */
  scroll_to_table ();
  screen_point (from, 0.5, &x0, &y0);
  screen_point (to, 0.25, &x1, &y1);
  ix0 = atoi (x0), iy0 = atoi (y0), ix1 = atoi (x1), iy1 = atoi (y1);
  target_row = row_widget (to);

  out = om_test_xdotool ("mousemove", "--sync", x0, y0, "sleep", "0.2", "mousedown", "1", "sleep", "0.2", NULL);
  for (int step = 1; step <= 10; step++)
    {
      g_autofree char *mx = g_strdup_printf ("%d", ix0 + (ix1 - ix0) * step / 10);
      g_autofree char *my = g_strdup_printf ("%d", iy0 + (iy1 - iy0) * step / 10);
      g_autofree char *moved = om_test_xdotool ("mousemove", mx, my, "sleep", "0.08", NULL);
    }
  g_free (out);
  out = om_test_xdotool ("sleep", "0.3", NULL);
  om_test_iterate_for (200);

  /* the line above the row under the pointer, in the theme's colour for
   * a drop or for a refusal; the refusal says why where the pointer is */
  g_assert_true (gtk_widget_has_css_class (target_row, "drop-above"));
  g_assert_false (gtk_widget_has_css_class (target_row, "drop-below"));
  label = find_widget (GTK_WIDGET (table ()), GTK_TYPE_LABEL, "drop-reason");
  g_assert_nonnull (label);
  if (expect == EXPECT_REFUSAL)
    {
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_has_css_class (target_row, "drop-refused"));
      g_assert_true (gtk_widget_get_visible (label));
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), reason));
      /* beside the pointer, not somewhere in the window */
      g_assert_true (gtk_widget_compute_bounds (label, GTK_WIDGET (w.window), &bounds));
      g_assert_cmpfloat (fabs (bounds.origin.y - (iy1 - win_y)), <, 80);
    }
  else
    {
      g_assert_false (gtk_widget_has_css_class (target_row, "drop-refused"));
      g_assert_false (gtk_widget_get_visible (label));
    }

  g_free (out);
  /* GTK 4.8's X11 drag grabs Escape on the root window with no modifier,
   * and drops what comes to the root: a plain Escape is lost (the same
   * for a person). With Num Lock on, the key comes to the window, and
   * the drag takes it. */
  if (escape)
    out = om_test_xdotool ("key", "Num_Lock", "key", "Escape", "key", "Num_Lock", "sleep", "0.3", "mouseup", "1", "sleep", "0.3", NULL);
  else
    out = om_test_xdotool ("mouseup", "1", "sleep", "0.3", NULL);
  om_test_iterate_for (500);

  /* the marker goes with the drag */
  for (guint i = 0; i < 8; i++)
    {
      GtkWidget *row = row_widget (i);

      g_assert_false (gtk_widget_has_css_class (row, "drop-above"));
      g_assert_false (gtk_widget_has_css_class (row, "drop-below"));
      g_assert_false (gtk_widget_has_css_class (row, "drop-refused"));
      g_assert_false (gtk_widget_has_css_class (row, "dragged"));
    }
  g_assert_false (gtk_widget_get_visible (label));
}

static void
test_drag_between_pending_stages (void)
{
  /* F (row 5) goes above D (row 3): one move, one step to undo, and the
   * moved stage stays selected at its new place */
  drag_row (5, 3, EXPECT_LINE_ABOVE, NULL, FALSE);
  assert_order ("A B C F D E G H");
  g_assert_cmpstr (om_repository_get_undo_label (w.repository), ==, "Move Stage");
  g_assert_cmpint (om_plan_table_get_selected (table ()), ==, 3);
  g_assert_cmpint (om_opportunity_view_get_selected (om_window_get_view (w.window)), ==, 3);
  g_assert_null (om_window_get_banner_message (w.window));
}

static void
test_drop_above_won_stage_is_refused (void)
{
  const char *message;

  /* above B, which is won: refused while dragging and on the drop */
  drag_row (4, 1, EXPECT_REFUSAL, "won", FALSE);
  assert_order ("A B C F D E G H");
  g_assert_cmpstr (om_repository_get_undo_label (w.repository), ==, "Move Stage");
  message = om_window_get_banner_message (w.window);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "won"));
}

static void
test_escape_cancels_drag (void)
{

  /* G above C would be allowed: Escape gives it up, nothing moves */
  drag_row (6, 2, EXPECT_LINE_ABOVE, NULL, TRUE);
  assert_order ("A B C F D E G H");
}

/* The keyboard is on the row of stage @position: its number cell and
 * the focus share a row */
static void
assert_focus_on_row (guint position)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (w.window));
  GtkWidget *cell = om_plan_table_get_cell (table (), position, OM_PLAN_TABLE_NUMBER);
  GtkWidget *row;

  g_assert_nonnull (focus);
  g_assert_nonnull (cell);
  for (row = cell; row != NULL && g_strcmp0 (gtk_widget_get_css_name (row), "row") != 0; row = gtk_widget_get_parent (row))
    ;
  g_assert_nonnull (row);
  g_assert_true (focus == row || gtk_widget_is_ancestor (focus, row));
}

static void
test_keyboard_move_and_undo (void)
{
  GtkWidget *due = om_plan_table_get_cell (table (), 4, OM_PLAN_TABLE_DUE);
  graphene_point_t out;
  double tx, ty;
  g_autofree char *sx = NULL, *sy = NULL;
  g_autofree char *out_text = NULL;

  /* a click on D's row selects it */
  g_assert_nonnull (due);
  g_assert_true (gtk_widget_compute_point (due, GTK_WIDGET (w.window),
                                           &GRAPHENE_POINT_INIT (4, gtk_widget_get_height (due) / 2.0), &out));
  gtk_native_get_surface_transform (GTK_NATIVE (w.window), &tx, &ty);
  sx = g_strdup_printf ("%d", win_x + (int) (out.x + tx));
  sy = g_strdup_printf ("%d", win_y + (int) (out.y + ty));
  out_text = om_test_xdotool ("mousemove", "--sync", sx, sy, "sleep", "0.1", "click", "1", "sleep", "0.3", NULL);
  om_test_iterate_for (300);
  g_assert_cmpint (om_plan_table_get_selected (table ()), ==, 4);

  /* the keyboard on D's row, as a click on it or Tab would put it */
  g_assert_true (om_plan_table_focus_stage (table (), 4));
  om_test_iterate_for (200);
  g_assert_true (om_plan_table_has_focus (table ()));

  g_free (out_text);
  out_text = om_test_xdotool ("key", "--clearmodifiers", "alt+Up", "sleep", "0.3", NULL);
  om_test_iterate_for (400);
  assert_order ("A B C D F E G H");
  g_assert_cmpint (om_plan_table_get_selected (table ()), ==, 3);
  /* the keyboard moved with the stage, to its row at its new place */
  assert_focus_on_row (3);

  /* Alt+Right is kept as Alt+Down's alias */
  g_free (out_text);
  out_text = om_test_xdotool ("key", "--clearmodifiers", "alt+Right", "sleep", "0.3", NULL);
  om_test_iterate_for (400);
  assert_order ("A B C F D E G H");
  g_assert_cmpint (om_plan_table_get_selected (table ()), ==, 4);
  assert_focus_on_row (4);

  /* undone step by step: the keys' moves, then the drop's */
  g_free (out_text);
  out_text = om_test_xdotool ("key", "--clearmodifiers", "ctrl+z", "sleep", "0.3", NULL);
  om_test_iterate_for (400);
  assert_order ("A B C D F E G H");
  g_free (out_text);
  out_text = om_test_xdotool ("key", "--clearmodifiers", "ctrl+z", "sleep", "0.3", NULL);
  om_test_iterate_for (400);
  assert_order ("A B C F D E G H");
  g_free (out_text);
  out_text = om_test_xdotool ("key", "--clearmodifiers", "ctrl+z", "sleep", "0.3", NULL);
  om_test_iterate_for (400);
  assert_order ("A B C D E F G H");
}

/* The handle says what it is for, to those who cannot see it */
static void
test_handle_is_described (void)
{
  GtkWidget *cell = om_plan_table_get_cell (table (), 3, OM_PLAN_TABLE_NUMBER);
  g_autofree char *description = NULL;

  g_assert_nonnull (cell);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                    "Drag the row, or press Alt+Up or Alt+Down, to move the stage");
  g_assert_null (description);
}

/* The table's rows in view, as a person would scroll the page to them */
static void
scroll_to_table (void)
{
  GtkWidget *page = gtk_widget_get_ancestor (gtk_widget_get_parent (GTK_WIDGET (table ())), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;
  graphene_point_t top;

  g_assert_nonnull (page);
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (page));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (table ()), page, &GRAPHENE_POINT_INIT (0, 0), &top));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + top.y - 12);
  om_test_iterate_for (300);
}

static void
css_error_cb (GtkCssProvider *provider,
              GtkCssSection  *section,
              const GError   *error,
              gpointer        user_data)
{
  g_autofree char *where = gtk_css_section_to_string (section);

  g_error ("style.css: %s: %s", where, error->message);
}

/* The app's style sheet, as the application loads it: the line's and
 * the reason's colours are the theme's, all of them defined */
static void
load_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  g_signal_connect (css, "parsing-error", G_CALLBACK (css_error_cb), NULL);
  gtk_css_provider_load_from_resource (css, "/com/example/OppManager/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmOpportunityData) plan = NULL;
  const char *names = "ABCDEFGH";
  OmOpportunity *opp;

  load_style ();
  om_test_window_set_up (&w, "table-dnd", "2026-01-20");
  plan = om_opportunity_data_new ("Drag my rows", "Client", om_test_date ("2026-01-05"));
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
  gtk_window_set_title (GTK_WINDOW (w.window), "om-test-table-dnd");
  om_test_iterate_for (1500);
  om_test_window_get_position ("om-test-table-dnd", &win_x, &win_y);
  g_assert_true (om_test_window_take_keyboard (&w, "om-test-table-dnd"));
  scroll_to_table ();
  assert_order ("A B C D E F G H");
}

/* Where on the screen the point @x of @widget is, halfway down */
static void
widget_screen_point (GtkWidget  *widget,
                     double      x,
                     char      **sx,
                     char      **sy)
{
  graphene_point_t out;
  double tx, ty;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (w.window),
                                           &GRAPHENE_POINT_INIT ((float) x, gtk_widget_get_height (widget) / 2.0f), &out));
  gtk_native_get_surface_transform (GTK_NATIVE (w.window), &tx, &ty);
  *sx = g_strdup_printf ("%d", win_x + (int) (out.x + tx));
  *sy = g_strdup_printf ("%d", win_y + (int) (out.y + ty));
}

static const char *
milestone (guint position)
{
  return om_stage_get_milestone (om_opportunity_get_stage (om_repository_find (w.repository, w.id), position));
}

/* A click on a cell of text types into it, as into an entry, where it
 * was clicked: Enter keeps what was typed, as one edit; Ctrl+Z with
 * nothing more typed undoes it; the entry the cell was typed into goes
 * with the keyboard */
static void
test_click_edits_cell (void)
{
  GtkWidget *cell = om_plan_table_get_cell (table (), 5, OM_PLAN_TABLE_MILESTONE);
  GtkWidget *due = om_plan_table_get_cell (table (), 4, OM_PLAN_TABLE_DUE);
  g_autofree char *before = g_strdup (milestone (5));
  g_autofree char *sx = NULL, *sy = NULL;
  g_autofree char *out = NULL;
  GtkEditable *editable;

  g_assert_true (OM_IS_TEXT_CELL (cell));
  g_assert_null (om_text_cell_get_editable (OM_TEXT_CELL (cell)));
  /* a few characters in: "Cl|ient agrees" */
  widget_screen_point (cell, 22, &sx, &sy);
  out = om_test_xdotool ("mousemove", "--sync", sx, sy, "sleep", "0.1", "click", "1", "sleep", "0.3", NULL);
  om_test_iterate_for (300);
  editable = om_text_cell_get_editable (OM_TEXT_CELL (cell));
  g_assert_nonnull (editable);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (w.window)), cell));
  g_assert_false (gtk_editable_get_selection_bounds (editable, NULL, NULL));
  g_assert_cmpint (gtk_editable_get_position (editable), >, 0);
  g_assert_cmpint (gtk_editable_get_position (editable), <, 6);

  g_free (out);
  out = om_test_xdotool ("key", "--clearmodifiers", "ctrl+a", "type", "Contract signed", NULL);
  g_free (out);
  out = om_test_xdotool ("key", "--clearmodifiers", "Return", "sleep", "0.3", NULL);
  om_test_iterate_for (300);
  g_assert_cmpstr (milestone (5), ==, "Contract signed");
  g_assert_cmpstr (om_text_cell_get_text (OM_TEXT_CELL (cell)), ==, "Contract signed");
  g_assert_cmpstr (om_repository_get_undo_label (w.repository), ==, "Edit Stage");

  g_free (out);
  out = om_test_xdotool ("key", "--clearmodifiers", "ctrl+z", "sleep", "0.3", NULL);
  om_test_iterate_for (300);
  g_assert_cmpstr (milestone (5), ==, before);
  g_assert_cmpstr (om_text_cell_get_text (OM_TEXT_CELL (cell)), ==, before);

  /* away: the cell is text again */
  g_clear_pointer (&sx, g_free);
  g_clear_pointer (&sy, g_free);
  widget_screen_point (due, 4, &sx, &sy);
  g_free (out);
  out = om_test_xdotool ("mousemove", "--sync", sx, sy, "sleep", "0.1", "click", "1", "sleep", "0.3", NULL);
  om_test_iterate_for (300);
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (w.window)), cell));
  g_assert_null (om_text_cell_get_editable (OM_TEXT_CELL (cell)));
  g_assert_cmpstr (milestone (5), ==, before);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* accessible properties kept where the test can read them (the
   * suite's "none" keeps none) */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and xdotool (build-aux/test provides both)");
      return g_test_run ();
    }

  set_up ();
  /* in order: each starts from where the previous one left the plan */
  g_test_add_func ("/table-dnd/handle-is-described", test_handle_is_described);
  g_test_add_func ("/table-dnd/drag-between-pending-stages", test_drag_between_pending_stages);
  g_test_add_func ("/table-dnd/drop-above-won-stage-is-refused", test_drop_above_won_stage_is_refused);
  g_test_add_func ("/table-dnd/escape-cancels-drag", test_escape_cancels_drag);
  g_test_add_func ("/table-dnd/keyboard-move-and-undo", test_keyboard_move_and_undo);
  g_test_add_func ("/table-dnd/click-edits-cell", test_click_edits_cell);
  status = g_test_run ();

  om_test_window_tear_down (&w);
  return status;
}
