/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define _GNU_SOURCE
#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <gtk/gtk.h>
#include <unistd.h>

#include "om-database.h"
#include "om-stage-editor.h"
#include "om-window.h"

/*
 * The window on a test database, driven through its actions as the
 * keyboard and the buttons drive it, checked on screen and on disk.
 */

typedef struct
{
  char         *dir;
  char         *path;
  OmRepository *repository;
  OmWindow     *window;
  gint64        id;
} Fixture;

static OmDate
date (const char *iso)
{
  OmDate d = 0;
  g_assert_true (om_date_parse (iso, &d));
  return d;
}

static void
iterate (void)
{
  /* let the window lay out and draw */
  for (guint i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* lets the window run for @ms, its animations included (the banner
 * slides in over several frames, and each frame lays the window out) */
static void
wait_frames (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = NULL;
  g_autoptr(OmOpportunityData) other = NULL;
  OmOpportunity *opp;

  om_date_set_today (date ("2026-01-10"));
  f->dir = g_dir_make_tmp ("om-test-window-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "window.db", NULL);
  f->repository = om_database_open_repository (f->path, &error);
  g_assert_no_error (error);

  other = om_opportunity_data_new ("Another sale", "Other client", date ("2026-01-01"));
  g_assert_nonnull (om_repository_create_opportunity (f->repository, other, &error));
  plan = om_template_data_instantiate (tpl, "Fleet renewal", "Nordic Ferries", date ("2026-01-05"));
  opp = om_repository_create_opportunity (f->repository, plan, &error);
  g_assert_no_error (error);
  f->id = om_opportunity_get_id (opp);

  f->window = om_window_new (NULL, f->repository, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *names[] = { "window.db", "window.db-wal", "window.db-shm" };

  gtk_window_destroy (GTK_WINDOW (f->window));
  iterate ();
  g_clear_object (&f->repository);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file = g_build_filename (f->dir, names[i], NULL);
      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* What another program reading the file would see */
static OmOpportunityData *
on_disk (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = om_database_open (f->path, &error);
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  g_assert_no_error (error);
  g_assert_true (om_database_load (db, &opportunities, &templates, &error));
  for (guint i = 0; i < opportunities->len; i++)
    {
      OmOpportunityData *data = g_ptr_array_index (opportunities, i);
      if (data->id == f->id)
        return om_opportunity_data_copy (data);
    }
  g_assert_not_reached ();
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      if ((found = find_button (child, action)) != NULL)
        return found;
    }
  return NULL;
}

static char *
text_of (GtkWidget *root)
{
  GString *text = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *inner = NULL;

      if (GTK_IS_LABEL (child))
        g_string_append_printf (text, "%s|", gtk_label_get_text (GTK_LABEL (child)));
      inner = text_of (child);
      g_string_append (text, inner);
    }
  return g_string_free (text, FALSE);
}

static void
test_select_shows_stages (Fixture       *f,
                          gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmTimeline *timeline = om_opportunity_view_get_timeline (view);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  iterate ();
  g_assert_true (om_opportunity_view_get_opportunity (view) == opp);
  g_assert_true (om_timeline_get_opportunity (timeline) == opp);
  for (guint i = 0; i < 6; i++)
    {
      GtkWidget *stage = om_timeline_get_stage_widget (timeline, i);
      g_assert_nonnull (stage);
      g_assert_true (gtk_widget_get_mapped (stage));
      g_assert_cmpint (gtk_widget_get_width (stage), >, 0);
    }
  g_assert_null (om_timeline_get_stage_widget (timeline, 6));
  /* the current stage is selected to start with */
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 0);
}

static void
test_mark_won_and_undo (Fixture       *f,
                        gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  GtkWidget *editor = om_opportunity_view_get_editor (view);
  GtkWidget *win_button = NULL;
  g_autoptr(OmOpportunityData) disk = NULL;
  g_autofree char *sidebar = NULL;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  iterate ();
  win_button = find_button (editor, "win.stage-win");
  g_assert_nonnull (win_button);

  /* a later stage cannot be won first: the button says why */
  om_opportunity_view_select_stage (view, 2);
  iterate ();
  g_assert_false (gtk_widget_is_sensitive (win_button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (win_button), "Initial appointment"));

  /* the current one can */
  om_opportunity_view_select_stage (view, 0);
  iterate ();
  g_assert_true (gtk_widget_is_sensitive (win_button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-win", NULL));
  iterate ();

  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 1);
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, 1);
  disk = on_disk (f);
  g_assert_cmpint (((OmStageData *) g_ptr_array_index (disk->stages, 0))->status, ==, OM_STAGE_STATUS_WON);
  g_clear_pointer (&disk, om_opportunity_data_free);

  /* the sidebar row follows */
  sidebar = text_of (GTK_WIDGET (f->window));
  g_assert_nonnull (strstr (sidebar, "|1 of 6 won|"));
  g_clear_pointer (&sidebar, g_free);

  /* the selection moved on to the next stage, which can now be won */
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 1);
  g_assert_true (gtk_widget_is_sensitive (win_button));

  /* undo puts the database back */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  iterate ();
  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 0);
  disk = on_disk (f);
  g_assert_cmpint (((OmStageData *) g_ptr_array_index (disk->stages, 0))->status, ==, OM_STAGE_STATUS_PENDING);
  sidebar = text_of (GTK_WIDGET (f->window));
  g_assert_nonnull (strstr (sidebar, "|0 of 6 won|"));
}

static void
test_refused_edit_is_explained (Fixture       *f,
                                gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  g_autoptr(OmOpportunityData) before = NULL;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  iterate ();
  before = om_opportunity_data_copy (om_opportunity_get_data (opp));

  /* removing is refused once the stage is won */
  g_assert_true (om_opportunity_win_stage (opp, 0, NULL, NULL));
  om_opportunity_view_select_stage (view, 0);
  iterate ();
  g_assert_false (gtk_widget_is_sensitive (find_button (om_opportunity_view_get_editor (view), "win.stage-remove")));

  /* the move is insensitive, and says why */
  om_opportunity_view_select_stage (view, 1);
  iterate ();
  g_assert_false (gtk_widget_is_sensitive (find_button (om_opportunity_view_get_editor (view), "win.stage-move-earlier")));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (find_button (om_opportunity_view_get_editor (view),
                                                                      "win.stage-move-earlier")), "won"));
  g_assert_null (om_window_get_banner_message (f->window));

  /* Alt+Left all the same: the refusal reaches the window, not the terminal */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.move-earlier-key", NULL));
  iterate ();
  g_assert_nonnull (om_window_get_banner_message (f->window));
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "won"));
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 1)), ==, "Process meeting");
}

static void
test_new_opportunity (Fixture       *f,
                      gconstpointer  data)
{
  GListModel *opportunities = om_repository_get_opportunities (f->repository);
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp;

  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-opportunity", NULL));
  iterate ();
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 3);
  opp = om_opportunity_view_get_opportunity (view);
  g_assert_nonnull (opp);
  /* from the recommended process, starting today */
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 6);
  g_assert_cmpuint (om_opportunity_get_start_date (opp), ==, date ("2026-01-10"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-empty-opportunity", NULL));
  iterate ();
  g_assert_cmpuint (om_opportunity_get_n_stages (om_opportunity_view_get_opportunity (view)), ==, 0);
}

static void
test_undo_shows_what_it_changes (Fixture       *f,
                                 gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  GListModel *opportunities = om_repository_get_opportunities (f->repository);
  g_autoptr(OmOpportunity) other = g_list_model_get_item (opportunities, 0);
  g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (om_opportunity_get_data (other));

  g_assert_cmpstr (om_opportunity_get_title (other), ==, "Another sale");
  g_free (edited->coordinator);
  edited->coordinator = g_strdup ("Someone new");
  g_assert_true (om_opportunity_edit (other, edited, NULL));

  /* looking at another opportunity, undo brings the changed one into view */
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  iterate ();
  g_assert_cmpstr (om_opportunity_get_coordinator (other), ==, "");
  g_assert_true (om_opportunity_view_get_opportunity (view) == other);
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "Undone"));
}

static void
test_selection_follows_stage (Fixture       *f,
                              gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  iterate ();
  om_opportunity_view_select_stage (view, 3);
  iterate ();

  /* moved, by whoever: the selection goes with the stage */
  g_assert_true (om_opportunity_move_stage (opp, 3, 5, NULL));
  iterate ();
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  iterate ();
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 3);
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 3)), ==, "Feasibility Study");
}

static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/com/example/OppManager/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (overlay));
  iterate ();
  gtk_window_destroy (GTK_WINDOW (overlay));
}

/* A file that is fine but cannot be used (here: a folder) is not sent
 * to the backups: the window says what the store says, nothing more */
static void
test_open_error_not_damage (void)
{
  g_autofree char *dir = g_dir_make_tmp ("om-test-window-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmRepository) repository = om_database_open_repository (dir, &error);
  g_autofree char *text = NULL;
  OmWindow *window;

  g_assert_null (repository);
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_REGULAR);
  window = om_window_new (NULL, NULL, error);
  text = text_of (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, error->message));
  g_assert_null (strstr (text, "backup"));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  g_rmdir (dir);
}

/* A colleague's file, or a backup on a read-only disk: shown, said to be
 * read-only once, and every edit refused by the database through the
 * window's usual refusal, nothing changed. As nobody, whom the
 * permission bits stop even when the tests run as root. */
static void
test_read_only (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length = 0, after_length = 0;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OmRepository) repository = NULL;
      g_autofree char *shown = NULL;
      OmOpportunity *opp;
      OmWindow *window;

      if (geteuid () == 0 &&
          (setgroups (0, NULL) != 0 || setresgid (65534, 65534, 65534) != 0 ||
           setresuid (65534, 65534, 65534) != 0))
        g_error ("Could not become nobody: %s", g_strerror (errno));

      repository = om_database_open_repository (g_getenv ("OM_TEST_DATABASE"), &error);
      g_assert_no_error (error);
      window = om_window_new (NULL, repository, NULL);
      gtk_window_present (GTK_WINDOW (window));
      iterate ();

      g_assert_nonnull (om_window_get_read_only_message (window));
      g_assert_nonnull (strstr (om_window_get_read_only_message (window), "is read-only"));
      shown = text_of (GTK_WIDGET (window));
      g_assert_nonnull (strstr (shown, om_window_get_read_only_message (window)));
      g_assert_null (om_window_get_banner_message (window));

      opp = om_repository_find (repository, 1);
      g_assert_true (om_window_select_opportunity (window, 1));
      om_opportunity_view_select_stage (om_window_get_view (window), 0);
      iterate ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stage-win", NULL));
      wait_frames (500);
      g_assert_nonnull (om_window_get_banner_message (window));
      g_assert_nonnull (strstr (om_window_get_banner_message (window), "nothing can be saved"));
      g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 0);
      g_assert_false (om_repository_get_can_undo (repository));

      gtk_window_destroy (GTK_WINDOW (window));
      iterate ();
      return;
    }

  dir = g_dir_make_tmp ("om-test-window-XXXXXX", NULL);
  path = g_build_filename (dir, "colleague.db", NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OmRepository) repository = om_database_open_repository (path, &error);
    g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
    g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Fleet renewal", "Nordic Ferries",
                                                                       date ("2026-01-05"));

    g_assert_no_error (error);
    g_assert_nonnull (om_repository_create_opportunity (repository, plan, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (path, &before, &before_length, NULL));
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);

  g_setenv ("OM_TEST_DATABASE", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);
  g_assert_cmpint (g_remove (path), ==, 0);
  /* nothing was made beside it */
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/window/select-shows-stages", test_select_shows_stages);
  ADD ("/window/mark-won-and-undo", test_mark_won_and_undo);
  ADD ("/window/refused-edit-is-explained", test_refused_edit_is_explained);
  ADD ("/window/new-opportunity", test_new_opportunity);
  ADD ("/window/undo-shows-what-it-changes", test_undo_shows_what_it_changes);
  ADD ("/window/selection-follows-stage", test_selection_follows_stage);
#undef ADD
  g_test_add_func ("/window/shortcuts", test_shortcuts_window);
  g_test_add_func ("/window/open-error-not-damage", test_open_error_not_damage);
  g_test_add_func ("/window/read-only", test_read_only);

  return g_test_run ();
}
