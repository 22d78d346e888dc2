/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define _GNU_SOURCE
#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <locale.h>
#include <gtk/gtk.h>
#include <sqlite3.h>
#include <unistd.h>

#include "om-accessible.h"
#include "om-database.h"
#include "om-print-operation.h"
#include "om-stage-editor.h"
#include "om-plan-table.h"
#include "om-text-cell.h"
#include "om-test-window.h"

/*
 * The window on a test database, driven through its actions as the
 * keyboard and the buttons drive it, checked on screen and on disk.
 */

typedef OmTestWindow Fixture;

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

  om_test_window_set_up (f, "window", "2026-01-10");
  other = om_opportunity_data_new ("Another sale", "Other client", om_test_date ("2026-01-01"));
  g_assert_nonnull (om_repository_create_opportunity (f->repository, other, &error));
  plan = om_template_data_instantiate (tpl, "Fleet renewal", "Nordic Ferries", om_test_date ("2026-01-05"));
  opp = om_repository_create_opportunity (f->repository, plan, &error);
  g_assert_no_error (error);
  f->id = om_opportunity_get_id (opp);

  om_test_window_present (f, -1, -1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  om_test_window_tear_down (f);
}

/* What another program reading the file would see */
static OmOpportunityData *
on_disk (Fixture *f)
{
  return om_test_database_get (f->path, f->id);
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
  OmPlanTable *table = om_opportunity_view_get_table (view);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  om_test_wait_for_paint (GTK_WIDGET (f->window));
  g_assert_true (om_opportunity_view_get_opportunity (view) == opp);
  /* a row each, and a segment each on the strip */
  for (guint i = 0; i < 6; i++)
    {
      GtkWidget *stage = om_plan_table_get_cell (table, i, OM_PLAN_TABLE_NUMBER);
      g_assert_nonnull (stage);
      g_assert_true (gtk_widget_get_mapped (stage));
      g_assert_cmpint (gtk_widget_get_width (stage), >, 0);
    }
  g_assert_null (om_plan_table_get_cell (table, 6, OM_PLAN_TABLE_NUMBER));
  g_assert_cmpuint (om_chain_strip_get_n_segments (om_opportunity_view_get_strip (view)), ==, 6);
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
  om_test_flush_events ();
  win_button = om_test_find_action_button (editor, "win.stage-win");
  g_assert_nonnull (win_button);

  /* a later stage cannot be won first: the button says why */
  om_opportunity_view_select_stage (view, 2);
  om_test_flush_events ();
  g_assert_false (gtk_widget_is_sensitive (win_button));
  g_assert_nonnull (strstr (om_accessible_get_tooltip (win_button), "Initial appointment"));

  /* the current one can */
  om_opportunity_view_select_stage (view, 0);
  om_test_flush_events ();
  g_assert_true (gtk_widget_is_sensitive (win_button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-win", NULL));
  om_test_window_confirm ("Mark Stage Won");

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
  om_test_flush_events ();
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
  om_test_flush_events ();
  before = om_opportunity_data_copy (om_opportunity_get_data (opp));

  /* removing is refused once the stage is won */
  g_assert_true (om_opportunity_win_stage (opp, 0, NULL, NULL));
  om_opportunity_view_select_stage (view, 0);
  om_test_flush_events ();
  g_assert_false (gtk_widget_is_sensitive (om_test_find_action_button (om_opportunity_view_get_editor (view), "win.stage-remove")));

  /* the move is insensitive, and says why */
  om_opportunity_view_select_stage (view, 1);
  om_test_flush_events ();
  g_assert_false (gtk_widget_is_sensitive (om_test_find_action_button (om_opportunity_view_get_editor (view), "win.stage-move-earlier")));
  g_assert_nonnull (strstr (om_accessible_get_tooltip (om_test_find_action_button (om_opportunity_view_get_editor (view),
                                                                      "win.stage-move-earlier")), "won"));
  g_assert_null (om_window_get_banner_message (f->window));

  /* Alt+Left all the same: the refusal reaches the window, not the terminal */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.move-earlier-key", NULL));
  om_test_flush_events ();
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
  om_test_flush_events ();
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 3);
  opp = om_opportunity_view_get_opportunity (view);
  g_assert_nonnull (opp);
  /* from the recommended process, starting today */
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 6);
  g_assert_cmpuint (om_opportunity_get_start_date (opp), ==, om_test_date ("2026-01-10"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-empty-opportunity", NULL));
  om_test_flush_events ();
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
  om_test_flush_events ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  om_test_flush_events ();
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
  om_test_flush_events ();
  om_opportunity_view_select_stage (view, 3);
  om_test_flush_events ();

  /* moved, by whoever: the selection goes with the stage */
  g_assert_true (om_opportunity_move_stage (opp, 3, 5, NULL));
  om_test_flush_events ();
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  om_test_flush_events ();
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 3);
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 3)), ==, "Feasibility Study");
}

/* Real keys */

static gboolean
take_keyboard (Fixture *f)
{
  return om_test_window_take_keyboard (f, "om-test-window");
}

/* One key or chord, xdotool's way ("ctrl+z", "Tab", "Escape") */
static void
press (const char *keys)
{
  g_free (om_test_xdotool ("key", "--clearmodifiers", keys, NULL));
  om_test_iterate_for (250);
}

static void
type (const char *text)
{
  g_free (om_test_xdotool ("type", "--clearmodifiers", "--delay", "20", text, NULL));
  om_test_iterate_for (250);
}

static GtkWidget *
focus_widget (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

/* The GtkEntry that has the keyboard focus (its GtkText has it really) */
static GtkEditable *
focused_entry (Fixture *f)
{
  GtkWidget *focus = focus_widget (f);
  GtkWidget *entry = focus ? gtk_widget_get_ancestor (focus, GTK_TYPE_ENTRY) : NULL;

  g_assert_nonnull (entry);
  return GTK_EDITABLE (entry);
}

/* The opportunity shown, which must be one the repository holds */
static OmOpportunity *
shown (Fixture *f)
{
  OmOpportunity *opp = om_opportunity_view_get_opportunity (om_window_get_view (f->window));

  if (opp != NULL)
    g_assert_true (om_repository_find (f->repository, om_opportunity_get_id (opp)) == opp);
  return opp;
}

static gboolean
has_title (Fixture    *f,
           const char *title)
{
  GListModel *opportunities = om_repository_get_opportunities (f->repository);

  for (guint i = 0; i < g_list_model_get_n_items (opportunities); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (opportunities, i);
      if (g_strcmp0 (om_opportunity_get_title (opp), title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Undo and redo (issue 8, item 1) */

/* Ctrl+N, a title, Tab, a client, Tab, then Ctrl+Z three times: the last
 * undo removes the opportunity on show; once a segmentation fault. The
 * new opportunity shows its details, folded before: its client is to be
 * filled in, and Tab goes there from the title. */
static void
test_keys_new_then_undo_three_times (Fixture       *f,
                                     gconstpointer  data)
{
  GListModel *opportunities = om_repository_get_opportunities (f->repository);
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp;

  if (!take_keyboard (f))
    return;

  om_opportunity_view_set_show_details (view, FALSE);
  press ("ctrl+n");
  g_assert_true (om_opportunity_view_get_show_details (view));
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 3);
  opp = shown (f);
  g_assert_nonnull (opp);
  type ("Harbour cranes");
  press ("Tab");
  type ("Port of Ghent");
  press ("Tab");
  g_assert_cmpstr (om_opportunity_get_title (opp), ==, "Harbour cranes");
  g_assert_cmpstr (om_opportunity_get_client (opp), ==, "Port of Ghent");

  press ("ctrl+z");
  g_assert_true (shown (f) == opp);
  g_assert_cmpstr (om_opportunity_get_client (opp), ==, "New client");
  press ("ctrl+z");
  g_assert_true (shown (f) == opp);
  g_assert_cmpstr (om_opportunity_get_title (opp), ==, "New Opportunity");
  press ("ctrl+z");
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 2);
  g_assert_false (has_title (f, "New Opportunity"));
  /* the window shows what is left, and no complaint about the removed one */
  g_assert_nonnull (shown (f));
  g_assert_null (strstr (om_window_get_banner_message (f->window) ? om_window_get_banner_message (f->window) : "",
                         "removed"));

  /* and all of it again */
  press ("ctrl+shift+z");
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 3);
  g_assert_cmpstr (om_opportunity_get_title (shown (f)), ==, "New Opportunity");
  press ("ctrl+shift+z");
  press ("ctrl+shift+z");
  g_assert_cmpstr (om_opportunity_get_title (shown (f)), ==, "Harbour cranes");
  g_assert_cmpstr (om_opportunity_get_client (shown (f)), ==, "Port of Ghent");
}

/* Remove the opportunity on show, Ctrl+Z, Ctrl+Shift+Z: the redo removes
 * the one the undo brought back, on show; once a segmentation fault. */
static void
test_keys_remove_undo_redo (Fixture       *f,
                            gconstpointer  data)
{
  GListModel *opportunities = om_repository_get_opportunities (f->repository);

  if (!take_keyboard (f))
    return;
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_iterate_for (200);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.remove-opportunity", NULL));
  om_test_iterate_for (200);
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 1);
  g_assert_null (om_repository_find (f->repository, f->id));

  press ("ctrl+z");
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 2);
  g_assert_nonnull (shown (f));
  g_assert_cmpint (om_opportunity_get_id (shown (f)), ==, f->id);
  g_assert_cmpstr (om_opportunity_get_title (shown (f)), ==, "Fleet renewal");

  press ("ctrl+shift+z");
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 1);
  g_assert_null (om_repository_find (f->repository, f->id));
  shown (f);

  /* and back and forth once more */
  press ("ctrl+z");
  g_assert_cmpint (om_opportunity_get_id (shown (f)), ==, f->id);
  press ("ctrl+shift+z");
  g_assert_null (om_repository_find (f->repository, f->id));
  shown (f);
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
  om_test_flush_events ();
}

/* A new opportunity, its title and client committed, then Undo three
 * times (the header bar's button): the last undo removes the opportunity
 * on show, which the window then read after it was freed */
static void
test_buttons_new_then_undo_three_times (Fixture       *f,
                                        gconstpointer  data)
{
  GListModel *opportunities = om_repository_get_opportunities (f->repository);
  OmOpportunity *opp;
  g_autoptr(OmOpportunityData) edited = NULL;

  activate (f, "win.new-opportunity");
  opp = shown (f);
  edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_free (edited->title);
  edited->title = g_strdup ("Harbour cranes");
  g_assert_true (om_opportunity_edit (opp, edited, NULL));
  g_free (edited->client);
  edited->client = g_strdup ("Port of Ghent");
  g_assert_true (om_opportunity_edit (opp, edited, NULL));
  om_test_flush_events ();

  activate (f, "win.undo");
  activate (f, "win.undo");
  g_assert_cmpstr (om_opportunity_get_title (shown (f)), ==, "New Opportunity");
  activate (f, "win.undo");
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, 2);
  g_assert_nonnull (shown (f));
  g_assert_null (strstr (om_window_get_banner_message (f->window) ? om_window_get_banner_message (f->window) : "",
                         "removed"));
  activate (f, "win.redo");
  g_assert_cmpstr (om_opportunity_get_title (shown (f)), ==, "New Opportunity");
  activate (f, "win.redo");
  activate (f, "win.redo");
  g_assert_cmpstr (om_opportunity_get_client (shown (f)), ==, "Port of Ghent");
}

/* Remove the opportunity on show, Undo, Redo, and again: the redo
 * removes the one the undo brought back, on show */
static void
test_buttons_remove_undo_redo (Fixture       *f,
                               gconstpointer  data)
{
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  for (guint i = 0; i < 3; i++)
    {
      activate (f, "win.remove-opportunity");
      g_assert_null (om_repository_find (f->repository, f->id));
      shown (f);
      activate (f, "win.undo");
      g_assert_cmpint (om_opportunity_get_id (shown (f)), ==, f->id);
      activate (f, "win.redo");
      g_assert_null (om_repository_find (f->repository, f->id));
      shown (f);
      activate (f, "win.undo");
      g_assert_cmpint (om_opportunity_get_id (shown (f)), ==, f->id);
    }
}

/* The @n-th widget of @type under @root, in the order of the tree */
static GtkWidget *
nth_of_type (GtkWidget *root,
             GType      type,
             guint     *n)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (*n)-- == 0)
        return child;
      if ((found = nth_of_type (child, type, n)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_nth (GtkWidget *root,
          GType      type,
          guint      n)
{
  GtkWidget *found = nth_of_type (root, type, &n);

  g_assert_nonnull (found);
  return found;
}

/* the page's fields, in the order of the page */
#define TITLE_ENTRY(f) find_nth (GTK_WIDGET (om_window_get_view ((f)->window)), GTK_TYPE_ENTRY, 0)
#define CLIENT_ENTRY(f) find_nth (GTK_WIDGET (om_window_get_view ((f)->window)), GTK_TYPE_ENTRY, 1)
#define ACTIVITY_ENTRY(f) find_nth (om_opportunity_view_get_editor (om_window_get_view ((f)->window)), GTK_TYPE_ENTRY, 0)
#define NOTES_VIEW(f) find_nth (om_opportunity_view_get_editor (om_window_get_view ((f)->window)), GTK_TYPE_TEXT_VIEW, 1)

static char *
buffer_text (GtkWidget *text_view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
sidebar_shows (Fixture    *f,
               const char *text)
{
  g_autofree char *sidebar = text_of (GTK_WIDGET (f->window));
  g_autofree char *label = g_strdup_printf ("|%s|", text);

  return strstr (sidebar, label) != NULL;
}

/* Typing in a field (issue 8, item 15) */

/* Ctrl+Z undoes the typing in the field first, then the window's history;
 * never past the value the field was given (it once emptied the field,
 * and leaving it saved that) */
static void
test_keys_field_undo_then_app_undo (Fixture       *f,
                                    gconstpointer  data)
{
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  GtkEditable *title;
  guint presses = 0;

  if (!take_keyboard (f))
    return;
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  g_free (edited->coordinator);
  edited->coordinator = g_strdup ("Ann Berg");
  g_assert_true (om_opportunity_edit (opp, edited, NULL));
  om_test_iterate_for (200);

  om_opportunity_view_focus_title (om_window_get_view (f->window));
  om_test_iterate_for (200);
  title = focused_entry (f);
  g_assert_true (GTK_WIDGET (title) == TITLE_ENTRY (f));
  press ("End");
  type ("Baltic");
  g_assert_cmpstr (gtk_editable_get_text (title), ==, "Fleet renewalBaltic");
  g_assert_cmpstr (om_opportunity_get_title (opp), ==, "Fleet renewal");

  /* the typing goes, step by step, and the window's history stays */
  while (g_strcmp0 (gtk_editable_get_text (title), "Fleet renewal") != 0)
    {
      g_assert_cmpuint (++presses, <=, 6);
      press ("ctrl+z");
      g_assert_cmpstr (om_opportunity_get_coordinator (opp), ==, "Ann Berg");
      g_assert_cmpstr (om_opportunity_get_title (opp), ==, "Fleet renewal");
    }
  g_assert_true (focused_entry (f) == title);

  /* nothing left in the field: the window's undo */
  press ("ctrl+z");
  g_assert_cmpstr (om_opportunity_get_coordinator (opp), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (title), ==, "Fleet renewal");
  /* and redo, the same way round */
  press ("ctrl+shift+z");
  g_assert_cmpstr (om_opportunity_get_coordinator (opp), ==, "Ann Berg");
  press ("ctrl+z");
  g_assert_cmpstr (om_opportunity_get_coordinator (opp), ==, "");

  /* the field was never emptied, and leaving it saves nothing */
  g_assert_cmpstr (gtk_editable_get_text (title), ==, "Fleet renewal");
  press ("Tab");
  g_assert_cmpstr (om_opportunity_get_title (opp), ==, "Fleet renewal");
  g_assert_null (om_window_get_banner_message (f->window));
}

/* The same in the stage editor, a single-line field and a text view */
static void
test_keys_stage_field_undo (Fixture       *f,
                            gconstpointer  data)
{
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  OmOpportunityView *view = om_window_get_view (f->window);
  GtkWidget *notes;
  g_autofree char *text = NULL;
  guint presses = 0;

  if (!take_keyboard (f))
    return;
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_iterate_for (200);
  /* stage 2's notes are in the window's history; stage 1 is shown after,
   * so the notes view was last given stage 1's (empty) notes */
  om_opportunity_view_select_stage (view, 1);
  om_test_iterate_for (100);
  gtk_widget_grab_focus (NOTES_VIEW (f));
  type ("Bring the fleet list");
  press ("Tab");
  g_assert_cmpstr (om_stage_get_notes (om_opportunity_get_stage (opp, 1)), ==, "Bring the fleet list");
  om_opportunity_view_select_stage (view, 0);
  om_test_iterate_for (200);

  notes = NOTES_VIEW (f);
  gtk_widget_grab_focus (notes);
  om_test_iterate_for (100);
  type ("Call first");
  text = buffer_text (notes);
  g_assert_cmpstr (text, ==, "Call first");
  while (TRUE)
    {
      g_autofree char *now = buffer_text (notes);

      if (*now == '\0')
        break;
      g_assert_cmpuint (++presses, <=, 6);
      press ("ctrl+z");
      g_assert_cmpstr (om_stage_get_notes (om_opportunity_get_stage (opp, 1)), ==, "Bring the fleet list");
    }
  /* the view does not go back to stage 2's notes: the window undoes them */
  press ("ctrl+z");
  g_clear_pointer (&text, g_free);
  text = buffer_text (notes);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (om_stage_get_notes (om_opportunity_get_stage (opp, 1)), ==, "");

  /* a single-line field */
  gtk_widget_grab_focus (ACTIVITY_ENTRY (f));
  om_test_iterate_for (100);
  press ("End");
  type ("Visit");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ACTIVITY_ENTRY (f))), ==, "Initial appointmentVisit");
  presses = 0;
  while (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (ACTIVITY_ENTRY (f))), "Initial appointment") != 0)
    {
      g_assert_cmpuint (++presses, <=, 6);
      press ("ctrl+z");
    }
  press ("Tab");
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 0)), ==, "Initial appointment");
  g_assert_null (om_window_get_banner_message (f->window));
}

/* Escape gives up what was typed, in every kind of field, and the
 * sidebar shows what is typed meanwhile */
static void
test_keys_escape_reverts (Fixture       *f,
                          gconstpointer  data)
{
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  const char *undo_label = om_repository_get_undo_label (f->repository);
  g_autofree char *notes = NULL;

  if (!take_keyboard (f))
    return;
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_iterate_for (200);

  gtk_widget_grab_focus (CLIENT_ENTRY (f));
  om_test_iterate_for (100);
  type ("Baltic Lines");
  g_assert_true (sidebar_shows (f, "Baltic Lines"));
  g_assert_false (sidebar_shows (f, "Nordic Ferries"));
  press ("Escape");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (CLIENT_ENTRY (f))), ==, "Nordic Ferries");
  g_assert_true (sidebar_shows (f, "Nordic Ferries"));
  g_assert_false (sidebar_shows (f, "Baltic Lines"));
  press ("Tab");
  g_assert_cmpstr (om_opportunity_get_client (opp), ==, "Nordic Ferries");

  gtk_widget_grab_focus (ACTIVITY_ENTRY (f));
  om_test_iterate_for (100);
  type ("Lunch");
  press ("Escape");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ACTIVITY_ENTRY (f))), ==, "Initial appointment");

  gtk_widget_grab_focus (NOTES_VIEW (f));
  om_test_iterate_for (100);
  type ("Not this");
  press ("Escape");
  notes = buffer_text (NOTES_VIEW (f));
  g_assert_cmpstr (notes, ==, "");
  press ("Tab");

  /* nothing was committed */
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, undo_label);
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 0)), ==, "Initial appointment");
  g_assert_null (om_window_get_banner_message (f->window));
}

/* The sidebar follows the typing, and what is committed, and an undo of
 * it: never a stale value */
static void
test_keys_sidebar_follows_typing (Fixture       *f,
                                  gconstpointer  data)
{
  OmOpportunity *opp = om_repository_find (f->repository, f->id);

  if (!take_keyboard (f))
    return;
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_iterate_for (200);
  om_opportunity_view_focus_title (om_window_get_view (f->window));
  om_test_iterate_for (100);
  type ("Harbour cranes");
  g_assert_cmpstr (om_opportunity_get_title (opp), ==, "Fleet renewal");
  g_assert_true (sidebar_shows (f, "Harbour cranes"));
  g_assert_false (sidebar_shows (f, "Fleet renewal"));
  press ("Tab");
  g_assert_cmpstr (om_opportunity_get_title (opp), ==, "Harbour cranes");
  g_assert_true (sidebar_shows (f, "Harbour cranes"));
  /* the window's undo, from the next field */
  press ("ctrl+z");
  g_assert_cmpstr (om_opportunity_get_title (opp), ==, "Fleet renewal");
  g_assert_true (sidebar_shows (f, "Fleet renewal"));
  g_assert_false (sidebar_shows (f, "Harbour cranes"));
  /* a title being typed for one opportunity stays with it */
  om_opportunity_view_focus_title (om_window_get_view (f->window));
  om_test_iterate_for (100);
  type ("Ferry");
  g_assert_true (sidebar_shows (f, "Ferry"));
  g_assert_true (sidebar_shows (f, "Another sale"));
}

/* Undo and redo that remove what the stage editor shows */
static void
test_undo_removes_edited_stage (Fixture       *f,
                                gconstpointer  data)
{
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  OmOpportunityView *view = om_window_get_view (f->window);
  OmStageEditor *editor = OM_STAGE_EDITOR (om_opportunity_view_get_editor (view));

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  om_opportunity_view_select_stage (view, 5);
  om_test_flush_events ();
  activate (f, "win.stage-add-after");
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 7);
  g_assert_cmpint (om_stage_editor_get_position (editor), ==, 6);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ACTIVITY_ENTRY (f))), ==, "New stage");

  /* the last stage, on show, goes: the editor shows none or another */
  activate (f, "win.undo");
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 6);
  g_assert_cmpint (om_stage_editor_get_position (editor), <, 6);
  activate (f, "win.redo");
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 7);

  /* a stage in the middle, on show, removed and brought back */
  om_opportunity_view_select_stage (view, 3);
  om_test_flush_events ();
  activate (f, "win.stage-remove");
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 6);
  activate (f, "win.undo");
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 7);
  om_opportunity_view_select_stage (view, 3);
  om_test_flush_events ();
  activate (f, "win.redo");
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 6);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ACTIVITY_ENTRY (f))), ==,
                   om_stage_get_activity (om_opportunity_get_stage (opp, (guint) om_stage_editor_get_position (editor))));

  /* the whole opportunity goes, with the stage on show */
  activate (f, "win.remove-opportunity");
  g_assert_null (shown (f));
  g_assert_null (om_stage_editor_get_opportunity (editor));
  activate (f, "win.undo");
  g_assert_cmpint (om_opportunity_get_id (shown (f)), ==, f->id);
  om_opportunity_view_select_stage (view, 2);
  om_test_flush_events ();
  activate (f, "win.redo");
  g_assert_null (om_repository_find (f->repository, f->id));
  shown (f);
  g_assert_null (om_window_get_banner_message (f->window) ? strstr (om_window_get_banner_message (f->window), "can no longer") : NULL);
}

static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/com/example/OppManager/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (overlay));
  om_test_flush_events ();
  gtk_window_destroy (GTK_WINDOW (overlay));
}

/* The real program, for a test: its data, config and settings in
 * @home (a scratch folder), none of the user's */
static GSubprocessLauncher *
app_launcher_new (const char       *home,
                  GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  return launcher;
}

/* Ctrl+W closes the window, as in every GNOME application: the real
 * program, driven with a real key through the X server */
static gboolean
process_exited_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
process_waited_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  process_exited_cb (data);
}

static void
test_close_with_control_w (void)
{
  g_autofree char *dir = om_test_make_dir ("close");
  g_autofree char *path = g_build_filename (dir, "close.db", NULL);
  g_autofree char *database = g_strdup_printf ("--database=%s", path);
  g_autoptr(GSubprocessLauncher) launcher = app_launcher_new (dir, G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *found = NULL;
  gboolean exited = FALSE;
  gboolean timed_out = FALSE;
  guint timeout;

  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and xdotool (build-aux/test provides both)");
      return;
    }
  app = g_subprocess_launcher_spawn (launcher, &error, om_test_oppmanager (), database, NULL);
  g_assert_no_error (error);
  pid = g_strdup (g_subprocess_get_identifier (app));
  found = om_test_xdotool ("search", "--sync", "--onlyvisible", "--pid", pid, "--name", "Opportunity Manager", NULL);
  g_assert_nonnull (found);
  g_assert_cmpstr (found, !=, "");
  g_free (om_test_xdotool ("search", "--sync", "--onlyvisible", "--pid", pid, "--name", "Opportunity Manager",
                           "windowraise", NULL));
  g_free (om_test_xdotool ("search", "--sync", "--onlyvisible", "--pid", pid, "--name", "Opportunity Manager",
                           "windowfocus", "--sync", NULL));
  om_test_iterate_for (300);
  g_free (om_test_xdotool ("key", "--clearmodifiers", "ctrl+w", NULL));

  g_subprocess_wait_async (app, NULL, process_waited_cb, &exited);
  timeout = g_timeout_add_seconds (10, process_exited_cb, &timed_out);
  while (!exited && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  else
    g_subprocess_force_exit (app);
  g_assert_false (timed_out);
  g_assert_true (g_subprocess_get_if_exited (app));
  g_assert_cmpint (g_subprocess_get_exit_status (app), ==, 0);
  om_test_remove_tree (dir);
}

/* A file that is fine but cannot be used (here: a folder) is not sent
 * to the backups: the window says what the store says, nothing more */
static void
test_open_error_not_damage (void)
{
  g_autofree char *dir = om_test_make_dir ("window");
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
  om_test_flush_events ();
  om_test_remove_tree (dir);
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
      om_test_flush_events ();

      g_assert_nonnull (om_window_get_read_only_message (window));
      g_assert_nonnull (strstr (om_window_get_read_only_message (window), "is read-only"));
      shown = text_of (GTK_WIDGET (window));
      g_assert_nonnull (strstr (shown, om_window_get_read_only_message (window)));
      g_assert_null (om_window_get_banner_message (window));

      opp = om_repository_find (repository, 1);
      g_assert_true (om_window_select_opportunity (window, 1));
      om_opportunity_view_select_stage (om_window_get_view (window), 0);
      om_test_flush_events ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stage-win", NULL));
      om_test_window_confirm ("Mark Stage Won");
      wait_frames (500);
      g_assert_nonnull (om_window_get_banner_message (window));
      g_assert_nonnull (strstr (om_window_get_banner_message (window), "nothing can be saved"));
      g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 0);
      g_assert_false (om_repository_get_can_undo (repository));

      gtk_window_destroy (GTK_WINDOW (window));
      om_test_flush_events ();
      return;
    }

  dir = g_dir_make_tmp ("om-test-window-XXXXXX", NULL);
  path = g_build_filename (dir, "colleague.db", NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OmRepository) repository = om_database_open_repository (path, &error);
    g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
    g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Fleet renewal", "Nordic Ferries",
                                                                       om_test_date ("2026-01-05"));

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
/* Another process and another connection write the file the window
 * shows (R7, SPEC 8) */

static gboolean
wait_until (gboolean (*done) (Fixture *f, gpointer data),
            Fixture   *f,
            gpointer   data,
            guint      ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (!done (f, data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  return TRUE;
}

/* The first widget in @widget's tree (itself included) that @match
 * accepts */
static GtkWidget *
find_widget (GtkWidget     *widget,
             gboolean     (*match) (GtkWidget *, gconstpointer),
             gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) type);
}

/* the sidebar's list, not a drop-down's */
static gboolean
is_sidebar_list (GtkWidget     *widget,
                 gconstpointer  data)
{
  g_autoptr(GObject) first = NULL;

  if (!GTK_IS_LIST_VIEW (widget) || gtk_list_view_get_model (GTK_LIST_VIEW (widget)) == NULL)
    return FALSE;
  first = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (widget))), 0);
  return OM_IS_OPPORTUNITY (first);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  return find_widget (widget, is_sidebar_list, NULL);
}

/* in the sidebar's list, as the user sees it */
static gboolean
listed (Fixture  *f,
        gpointer  data)
{
  gint64 id = *(gint64 *) data;
  GListModel *list = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (find_list_view (GTK_WIDGET (f->window)))));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (list, i);
      if (om_opportunity_get_id (opp) == id)
        return TRUE;
    }
  return FALSE;
}

static gboolean
shows_title (Fixture  *f,
             gpointer  data)
{
  OmOpportunity *shown = om_opportunity_view_get_opportunity (om_window_get_view (f->window));

  return shown != NULL && g_strcmp0 (om_opportunity_get_title (shown), data) == 0;
}

static void
test_other_writers (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *json = g_build_filename (f->dir, "one.json", NULL);
  g_autofree char *out = NULL;
  g_autoptr(OmRepository) other = NULL;
  g_autoptr(OmOpportunityData) kept = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *shown, *theirs, *created;
  gint64 imported, before_new;
  const char *argv[] = { om_test_oppmanager (), "--database", f->path, "--import", json, NULL };
  gint64 started;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  shown = om_opportunity_view_get_opportunity (om_window_get_view (f->window));
  g_assert_nonnull (shown);
  g_assert_cmpint (om_opportunity_get_id (shown), ==, f->id);

  /* another process imports: the window lists it within two seconds */
  g_assert_true (g_file_set_contents (json,
                                      "{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                                      "\"title\": \"From the command line\", \"client\": \"Elsewhere\","
                                      "\"start_date\": \"2026-01-08\", \"stages\": [{\"activity\": \"Call\","
                                      "\"milestone\": \"Meeting agreed\"}]}]}", -1, NULL));
  out = om_test_run (argv);
  imported = g_ascii_strtoll (out, NULL, 10);
  g_assert_cmpint (imported, >, f->id);
  started = g_get_monotonic_time ();
  g_assert_true (wait_until (listed, f, &imported, 2500));
  g_test_message ("listed after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - started) / 1000);
  /* the opportunity on show stayed on show */
  g_assert_true (om_opportunity_view_get_opportunity (om_window_get_view (f->window)) == shown);

  /* another connection edits the one on show: the window shows the new
   * title within two seconds, and says so */
  other = om_test_database_open_repository (f->path);
  theirs = om_repository_find (other, f->id);
  g_assert_nonnull (theirs);
  g_assert_true (om_test_retitle (theirs, "Fleet renewal (their title)", &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (shows_title, f, (gpointer) "Fleet renewal (their title)", 2500));
  g_assert_true (om_opportunity_view_get_opportunity (om_window_get_view (f->window)) == shown);
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "changed by someone else"));

  /* they edit again; an edit made in the window before it has seen
   * that is refused, changes nothing on disk, and the window then shows
   * their version */
  g_assert_true (om_test_retitle (theirs, "Fleet renewal (their second title)", &error));
  g_assert_no_error (error);
  g_assert_false (om_test_retitle (shown, "Fleet renewal (my title)", &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  kept = om_test_database_get (f->path, f->id);
  g_assert_cmpstr (kept->title, ==, "Fleet renewal (their second title)");
  g_assert_cmpstr (om_opportunity_get_title (shown), ==, "Fleet renewal (their second title)");

  /* a new opportunity made in the window takes an id no one took */
  before_new = MAX (imported, f->id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-opportunity", NULL));
  om_test_flush_events ();
  created = om_opportunity_view_get_opportunity (om_window_get_view (f->window));
  g_assert_nonnull (created);
  g_assert_cmpint (om_opportunity_get_id (created), >, before_new);
  g_clear_pointer (&kept, om_opportunity_data_free);
  kept = om_test_database_get (f->path, imported);
  g_assert_cmpstr (kept->title, ==, "From the command line");
}


static GtkWidget *
find_of_type (GtkWidget *widget,
              GType      type)
{
  return find_widget (widget, is_of_type, &type);
}

/* A search answered by the database: what it finds, and a clear word
 * when it finds nothing */
static void
test_search_finds_nothing (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *entry = find_of_type (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *list = find_list_view (GTK_WIDGET (f->window));
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));

  g_assert_nonnull (entry);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  gtk_editable_set_text (GTK_EDITABLE (entry), "NORDIC");
  om_test_iterate_for (500);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (gtk_widget_get_mapped (list));

  gtk_editable_set_text (GTK_EDITABLE (entry), "zebra crossing");
  om_test_iterate_for (500);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (om_test_shows_label (GTK_WIDGET (f->window), "No opportunity matches “zebra crossing”."));
  g_assert_false (om_test_shows_label (GTK_WIDGET (f->window), "Choose an opportunity"));
  g_assert_false (gtk_widget_get_mapped (list));

  /* a salesperson and a milestone are found too */
  {
    OmOpportunity *opp = om_repository_find (f->repository, f->id);
    g_autoptr(OmStageData) stage = om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (opp, 1)));
    g_autofree char *milestone = g_utf8_strdown (om_stage_get_milestone (om_opportunity_get_stage (opp, 2)), -1);

    g_free (stage->owner);
    stage->owner = g_strdup ("Jonas Lie");
    g_assert_true (om_opportunity_edit_stage (opp, 1, stage, NULL));
    gtk_editable_set_text (GTK_EDITABLE (entry), "JONAS");
    om_test_iterate_for (500);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
    gtk_editable_set_text (GTK_EDITABLE (entry), milestone);
  }
  om_test_iterate_for (500);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* nothing found offers to show everything again */
  gtk_editable_set_text (GTK_EDITABLE (entry), "zebra crossing");
  om_test_iterate_for (500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-search", NULL));
  om_test_iterate_for (500);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_false (om_test_shows_label (GTK_WIDGET (f->window), "No opportunity matches"));
  g_assert_true (gtk_widget_get_mapped (list));
}

/* An opportunity that cannot be read (its stages break the rules,
 * written behind the app's back): the list still shows it; choosing it
 * says why it cannot be shown, and shows nothing half */
static void
test_unreadable_opportunity (Fixture       *f,
                             gconstpointer  data)
{
  sqlite3 *raw = NULL;

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  om_test_flush_events ();
  g_clear_object (&f->repository);

  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE stages SET lost_reason = 'Price'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  f->repository = om_test_database_open_repository (f->path);
  om_test_window_present (f, -1, -1);
  om_window_select_opportunity (f->window, f->id);
  om_test_flush_events ();

  g_assert_null (om_opportunity_view_get_opportunity (om_window_get_view (f->window)));
  g_assert_nonnull (om_window_get_banner_message (f->window));
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "Fleet renewal"));
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "damaged"));

  /* the other one is shown as ever */
  {
    GListModel *list = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (find_list_view (GTK_WIDGET (f->window)))));
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  }
}

/* Closes the fixture's window and adds @n open opportunities, "Sale 000"
 * and on, of one stage each, for a window opened anew to list */
static void
close_and_add_sales (Fixture *f,
                     guint    n)
{
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  om_test_flush_events ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Sale %03u", i);
      g_ptr_array_add (many, om_test_plan_new (title, 1));
    }
  created = om_test_import (f->repository, many, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (created->len, ==, n);
}

/* The window opens on the opportunity last on show, at once, even when
 * its row is not among the first ones read; the rest of the list is read
 * after the first frame, and then its row is selected and in sight */
static void
test_opens_on_last_opportunity (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  OmOpportunity *last;
  GtkWidget *list;
  GListModel *model;
  gint64 last_id;
  int width, height;

  /* 250 open opportunities with a due date sort before "Another sale",
   * which has no stage */
  close_and_add_sales (f, 250);
  last = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (om_repository_get_opportunities (f->repository)); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (om_repository_get_opportunities (f->repository), i);
      if (g_strcmp0 (om_opportunity_get_title (opp), "Another sale") == 0)
        last = opp;
    }
  g_assert_nonnull (last);
  last_id = om_opportunity_get_id (last);
  g_settings_set_int64 (settings, "last-opportunity", last_id);

  f->window = om_window_new (NULL, f->repository, NULL);
  list = find_list_view (GTK_WIDGET (f->window));
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  /* shown before the rest of the list is read: a windowful, each row
   * at least 40 pixels tall */
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (height, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, 252);
  g_assert_cmpuint (g_list_model_get_n_items (model) * 40, >=, (guint) height);
  g_assert_cmpint (om_opportunity_get_id (om_opportunity_view_get_opportunity (om_window_get_view (f->window))),
                   ==, last_id);

  gtk_window_present (GTK_WINDOW (f->window));
  om_test_wait_for_paint (GTK_WIDGET (f->window));
  om_test_iterate_for (500);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 252);
  g_assert_cmpint (om_opportunity_get_id (gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model))),
                   ==, last_id);
  g_assert_true (om_test_shows_label (list, "Another sale"));
  g_assert_cmpint (om_opportunity_get_id (om_opportunity_view_get_opportunity (om_window_get_view (f->window))),
                   ==, last_id);
  g_settings_reset (settings, "last-opportunity");
}

/* A window asked to open maximised reads a screenful of the sidebar's
 * rows at once, however small the size it had before: the window
 * manager may maximise it only after its first frame is drawn */
static void
test_first_rows_maximised (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GListModel *monitors;
  GListModel *model;
  int tallest = 0;

  close_and_add_sales (f, 150);

  g_settings_set_int (settings, "window-height", 200);
  g_settings_set_boolean (settings, "window-maximized", TRUE);
  f->window = om_window_new (NULL, f->repository, NULL);
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (find_list_view (GTK_WIDGET (f->window)))));
  monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (f->window)));
  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      GdkRectangle area;

      gdk_monitor_get_geometry (monitor, &area);
      tallest = MAX (tallest, area.height);
    }
  g_assert_cmpint (tallest, >, 200);
  g_assert_cmpuint (g_list_model_get_n_items (model) * 40, >=, (guint) tallest);
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

#define ONE_DOCUMENT \
  "{\"format\": \"oppmanager/1\", \"opportunities\": [{\"title\": \"From the file manager\"," \
  " \"client\": \"Elsewhere\", \"start_date\": \"2026-01-08\", \"stages\": [{\"activity\": \"Call\"," \
  " \"milestone\": \"Meeting agreed\"}]}]}"

static guint
count_titled (OmRepository *repository,
              const char   *title)
{
  GListModel *all = om_repository_get_opportunities (repository);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (all, i);
      n += g_strcmp0 (om_opportunity_get_title (opp), title) == 0;
    }
  return n;
}

/* A document given to the application (from a file manager) is offered
 * for import: accepted, it is imported as the Import item does it;
 * declined, nothing changes; not a document, the window says so */
static void
test_offer_import (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "plan.oppmanager.json", NULL);
  g_autofree char *junk = g_build_filename (f->dir, "notes.oppmanager.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) junk_file = g_file_new_for_path (junk);
  GtkWidget *dialog;

  g_assert_true (g_file_set_contents (path, ONE_DOCUMENT, -1, NULL));
  g_assert_true (g_file_set_contents (junk, "Shopping list: milk, bread", -1, NULL));

  dialog = om_window_offer_import (f->window, file);
  om_test_flush_events ();
  g_assert_true (gtk_widget_get_mapped (dialog));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  om_test_flush_events ();
  g_assert_cmpuint (count_titled (f->repository, "From the file manager"), ==, 0);
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), !=, "Import");

  dialog = om_window_offer_import (f->window, file);
  om_test_flush_events ();
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  om_test_flush_events ();
  g_assert_cmpuint (count_titled (f->repository, "From the file manager"), ==, 1);
  g_assert_cmpstr (om_window_get_banner_message (f->window), ==, "1 opportunity imported.");
  g_assert_cmpstr (om_opportunity_get_title (om_opportunity_view_get_opportunity (om_window_get_view (f->window))),
                   ==, "From the file manager");

  dialog = om_window_offer_import (f->window, junk_file);
  om_test_flush_events ();
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  om_test_flush_events ();
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "Nothing was imported from “notes.oppmanager.json”"));
  g_assert_cmpuint (count_titled (f->repository, "From the file manager"), ==, 1);
}

/* oppmanager FILE with the window already running: the running window
 * offers the import (SPEC 7), and the second process ends at once. The
 * real program twice, on its default database in a scratch home. */
static void
test_open_file_in_running_window (void)
{
  g_autofree char *home = om_test_make_dir ("open-file");
  g_autofree char *path = g_build_filename (home, "plan.oppmanager.json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = app_launcher_new (home, G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocessLauncher) quiet = app_launcher_new (home, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GSubprocess) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *dialog = NULL;

  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and xdotool (build-aux/test provides both)");
      return;
    }
  g_assert_true (g_file_set_contents (path, ONE_DOCUMENT, -1, NULL));

  app = g_subprocess_launcher_spawn (launcher, &error, om_test_oppmanager (), NULL);
  g_assert_no_error (error);
  pid = g_strdup (g_subprocess_get_identifier (app));
  g_free (om_test_xdotool ("search", "--sync", "--onlyvisible", "--pid", pid, "--name", "Opportunity Manager", NULL));

  second = g_subprocess_launcher_spawn (launcher, &error, om_test_oppmanager (), path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (second, NULL, &error));
  g_assert_no_error (error);

  /* the running window asks; Return takes its default answer, Import */
  dialog = om_test_xdotool ("search", "--sync", "--onlyvisible", "--pid", pid, "--name", "^Import$", NULL);
  g_assert_cmpstr (g_strstrip (dialog), !=, "");
  g_free (om_test_xdotool ("windowfocus", "--sync", dialog, NULL));
  om_test_iterate_for (300);
  g_free (om_test_xdotool ("key", "--clearmodifiers", "Return", NULL));
  om_test_iterate_for (1000);

  list = g_subprocess_launcher_spawn (quiet, &error, om_test_oppmanager (), "--list", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (list, NULL, NULL, &listed, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (listed, "From the file manager"));

  g_subprocess_force_exit (app);
  g_subprocess_wait (app, NULL, NULL);
  om_test_remove_tree (home);
}

/* D-Bus activation, as GNOME Shell and a file manager start the app
 * (DBusActivatable=true): the session bus runs it as a service, Activate
 * opens the window and Open offers to import a file */
static void
test_dbus_activation (void)
{
  g_autofree char *home = om_test_make_dir ("dbus");
  g_autofree char *path = g_build_filename (home, "plan.oppmanager.json", NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GSubprocessLauncher) launcher = app_launcher_new (home, G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *found = NULL;
  GVariantBuilder uris;
  gboolean owned = FALSE;

  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and xdotool (build-aux/test provides both)");
      return;
    }
  g_assert_true (g_file_set_contents (path, ONE_DOCUMENT, -1, NULL));
  app = g_subprocess_launcher_spawn (launcher, &error, om_test_oppmanager (), "--gapplication-service", NULL);
  g_assert_no_error (error);
  pid = g_strdup (g_subprocess_get_identifier (app));

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100 && !owned; i++)
    {
      g_autoptr(GVariant) has = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                              "org.freedesktop.DBus", "NameHasOwner",
                                                              g_variant_new ("(s)", "com.example.OppManager"),
                                                              G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                                              -1, NULL, NULL);
      if (has != NULL)
        g_variant_get (has, "(b)", &owned);
      if (!owned)
        om_test_iterate_for (100);
    }
  g_assert_true (owned);
  /* a service shows nothing until it is asked (xdotool finds nothing) */
  {
    g_autofree char *command = g_strdup_printf ("xdotool search --onlyvisible --pid %s --name 'Opportunity Manager'", pid);
    int status = 0;

    g_assert_true (g_spawn_command_line_sync (command, &found, NULL, &status, NULL));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpstr (g_strstrip (found), ==, "");
  }

  reply = g_dbus_connection_call_sync (bus, "com.example.OppManager", "/com/example/OppManager",
                                       "org.freedesktop.Application", "Activate",
                                       g_variant_new ("(a{sv})", NULL), NULL, G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&found, g_free);
  found = om_test_xdotool ("search", "--sync", "--onlyvisible", "--pid", pid, "--name", "Opportunity Manager", NULL);
  g_assert_cmpstr (g_strstrip (found), !=, "");

  uri = g_filename_to_uri (path, NULL, NULL);
  g_variant_builder_init (&uris, G_VARIANT_TYPE ("as"));
  g_variant_builder_add (&uris, "s", uri);
  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, "com.example.OppManager", "/com/example/OppManager",
                                       "org.freedesktop.Application", "Open",
                                       g_variant_new ("(asa{sv})", &uris, NULL), NULL, G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&found, g_free);
  found = om_test_xdotool ("search", "--sync", "--onlyvisible", "--pid", pid, "--name", "^Import$", NULL);
  g_assert_cmpstr (g_strstrip (found), !=, "");

  g_subprocess_force_exit (app);
  g_subprocess_wait (app, NULL, NULL);
  om_test_remove_tree (home);
}

/* The paper and its orientation chosen for one print come back at the
 * next, in this run or the next one (kept in the user's config folder) */
static void
test_print_remembers_settings (Fixture       *f,
                               gconstpointer  data)
{
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  g_autofree char *pdf = g_build_filename (f->dir, "summary.pdf", NULL);
  g_autoptr(OmPrintOperation) first = om_print_operation_new (opp);
  g_autoptr(OmPrintOperation) second = NULL;
  g_autoptr(GtkPrintSettings) chosen = gtk_print_settings_new ();
  g_autoptr(GtkPaperSize) a5 = gtk_paper_size_new (GTK_PAPER_NAME_A5);
  g_autoptr(GError) error = NULL;
  GtkPrintSettings *kept;
  GtkPageSetup *setup;
  g_autoptr(GtkPaperSize) paper = NULL;

  gtk_print_settings_set_paper_size (chosen, a5);
  gtk_print_settings_set_orientation (chosen, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_print_settings (GTK_PRINT_OPERATION (first), chosen);
  gtk_print_operation_set_export_filename (GTK_PRINT_OPERATION (first), pdf);
  g_assert_cmpint (gtk_print_operation_run (GTK_PRINT_OPERATION (first), GTK_PRINT_OPERATION_ACTION_EXPORT,
                                            NULL, &error), ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));

  second = om_print_operation_new (opp);
  kept = gtk_print_operation_get_print_settings (GTK_PRINT_OPERATION (second));
  g_assert_nonnull (kept);
  paper = gtk_print_settings_get_paper_size (kept);
  g_assert_nonnull (paper);
  g_assert_cmpstr (gtk_paper_size_get_name (paper), ==, GTK_PAPER_NAME_A5);
  g_assert_cmpint (gtk_print_settings_get_orientation (kept), ==, GTK_PAGE_ORIENTATION_LANDSCAPE);
  setup = gtk_print_operation_get_default_page_setup (GTK_PRINT_OPERATION (second));
  g_assert_nonnull (setup);
  g_assert_cmpint (gtk_page_setup_get_orientation (setup), ==, GTK_PAGE_ORIENTATION_LANDSCAPE);
  g_assert_cmpstr (gtk_paper_size_get_name (gtk_page_setup_get_paper_size (setup)), ==, GTK_PAPER_NAME_A5);
}

static gboolean
is_label_of (GtkWidget     *widget,
             gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* The label whose text (with its mnemonic's underscore) is @text */
static GtkWidget *
find_mnemonic_label (GtkWidget  *widget,
                     const char *text)
{
  return find_widget (widget, is_label_of, text);
}

/* Amounts as a German user writes them: the value shows with the
 * locale's grouping and decimal comma, what they type that way is
 * kept, and what is not an amount stays in the field with a message
 * that shows the expected form; the weighted value puts the code where
 * the locale puts it */
static void
test_value_in_german (Fixture       *f,
                      gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  g_autofree char *was = g_strdup (setlocale (LC_MONETARY, NULL));
  GtkWidget *label, *entry;

  g_assert_nonnull (setlocale (LC_MONETARY, "de_DE.UTF-8"));
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  label = find_mnemonic_label (GTK_WIDGET (view), "_Value");
  g_assert_nonnull (label);
  entry = gtk_label_get_mnemonic_widget (GTK_LABEL (label));

  gtk_editable_set_text (GTK_EDITABLE (entry), "2.450.000,50");
  g_signal_emit_by_name (entry, "activate");
  om_test_flush_events ();
  g_assert_cmpint (om_opportunity_get_value (opp), ==, 245000050);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "2.450.000,50");
  {
    g_autofree char *weighted = om_money_format ((gint64) om_opportunity_get_weighted_value (opp), "EUR");

    /* "1.234.567,89 EUR": German marks, the code after */
    g_assert_true (g_str_has_suffix (weighted, "\u00a0EUR"));
    g_assert_nonnull (strchr (weighted, ','));
    g_assert_true (om_test_shows_label (GTK_WIDGET (view), weighted));
  }

  gtk_editable_set_text (GTK_EDITABLE (entry), "zwei Millionen");
  g_signal_emit_by_name (entry, "activate");
  om_test_flush_events ();
  g_assert_cmpint (om_opportunity_get_value (opp), ==, 245000050);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "zwei Millionen");
  g_assert_nonnull (om_window_get_banner_message (f->window));
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "1.250.000,50"));

  setlocale (LC_MONETARY, was);
}

static gboolean
is_editor_calendar (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_CALENDAR (widget) && gtk_widget_get_ancestor (widget, OM_TYPE_STAGE_EDITOR) != NULL;
}

/* The day of a decision is chosen in a calendar, not typed as ISO text:
 * the day picked is kept through the same path as a typed one, and
 * undone like it */
static void
test_decided_on_calendar (Fixture       *f,
                          gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(OmOpportunityData) disk = NULL;
  GtkWidget *calendar;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  om_opportunity_view_select_stage (view, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-win", NULL));
  om_test_window_confirm ("Mark Stage Won");
  om_opportunity_view_select_stage (view, 0);
  om_test_flush_events ();
  g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, 0)), ==, om_test_date ("2026-01-10"));

  calendar = find_widget (GTK_WIDGET (view), is_editor_calendar, NULL);
  g_assert_nonnull (calendar);
  /* it opens on the day decided */
  day = gtk_calendar_get_date (GTK_CALENDAR (calendar));
  g_assert_cmpuint (om_date_from_date_time (day), ==, om_test_date ("2026-01-10"));
  g_clear_pointer (&day, g_date_time_unref);

  day = om_date_to_date_time (om_test_date ("2026-01-08"));
  gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  om_test_flush_events ();
  g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, 0)), ==, om_test_date ("2026-01-08"));
  disk = on_disk (f);
  g_assert_cmpuint (((OmStageData *) g_ptr_array_index (disk->stages, 0))->decided_on, ==, om_test_date ("2026-01-08"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  om_test_flush_events ();
  g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, 0)), ==, om_test_date ("2026-01-10"));
}

static gboolean
has_name (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static void
pick_day (GtkWidget  *root,
          const char *name,
          const char *iso)
{
  GtkWidget *calendar = find_widget (root, has_name, name);
  g_autoptr(GDateTime) day = om_date_to_date_time (om_test_date (iso));

  g_assert_nonnull (calendar);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  om_test_flush_events ();
}

/* Reschedule: a day picked in the stage's calendar is agreed with the
 * client, the stages after it follow, and it is kept and undone like
 * any edit; Unpin lets it follow again */
static void
test_reschedule (Fixture       *f,
                 gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  GtkWidget *editor = om_opportunity_view_get_editor (view);
  g_autoptr(OmOpportunityData) disk = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *unpin;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  om_opportunity_view_select_stage (view, 1);
  om_test_flush_events ();
  shown = text_of (editor);
  g_assert_nonnull (strstr (shown, "not agreed with the client yet"));
  g_clear_pointer (&shown, g_free);
  unpin = find_widget (editor, has_name, "unpin");
  g_assert_false (gtk_widget_get_visible (unpin));

  /* due 19 Jan, agreed for the 23rd: the close date follows, 1 to 5 April */
  pick_day (editor, "agreed-calendar", "2026-01-23");
  g_assert_cmpuint (om_stage_get_agreed_on (om_opportunity_get_stage (opp, 1)), ==, om_test_date ("2026-01-23"));
  g_assert_cmpuint (om_opportunity_get_close_date (opp), ==, om_test_date ("2026-04-05"));
  disk = on_disk (f);
  g_assert_cmpuint (((OmStageData *) g_ptr_array_index (disk->stages, 1))->agreed_on, ==, om_test_date ("2026-01-23"));
  shown = text_of (editor);
  g_assert_nonnull (strstr (shown, "Agreed with the client for"));
  g_clear_pointer (&shown, g_free);
  shown = text_of (GTK_WIDGET (view));
  g_assert_nonnull (strstr (shown, "Close date"));
  g_assert_nonnull (strstr (shown, "1 time"));   /* pushed once */
  g_clear_pointer (&shown, g_free);

  /* winning the first stage early leaves the agreed one where it is */
  om_opportunity_view_select_stage (view, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-win", NULL));
  om_test_window_confirm ("Mark Stage Won");
  g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, 1)), ==, om_test_date ("2026-01-23"));

  /* Unpin: it follows the stage before it again */
  om_opportunity_view_select_stage (view, 1);
  om_test_flush_events ();
  g_assert_true (gtk_widget_get_visible (unpin));
  g_signal_emit_by_name (unpin, "clicked");
  om_test_flush_events ();
  g_assert_cmpuint (om_stage_get_agreed_on (om_opportunity_get_stage (opp, 1)), ==, 0);
  g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, 1)), ==, om_test_date ("2026-01-17"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  om_test_flush_events ();
  g_assert_cmpuint (om_stage_get_agreed_on (om_opportunity_get_stage (opp, 1)), ==, om_test_date ("2026-01-23"));

  /* a day before the start is refused, and said */
  om_opportunity_view_select_stage (view, 2);
  om_test_flush_events ();
  pick_day (editor, "agreed-calendar", "2025-12-20");
  g_assert_cmpuint (om_stage_get_agreed_on (om_opportunity_get_stage (opp, 2)), ==, 0);
  g_assert_nonnull (om_window_get_banner_message (f->window));
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "before the opportunity starts"));
}

/* Mark Won asks for the day, today unless the person picks another;
 * Cancel decides nothing */
static void
test_win_asks_date (Fixture       *f,
                    gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  GtkWindow *dialog;
  GtkWidget *calendar;
  g_autoptr(GDateTime) day = om_date_to_date_time (om_test_date ("2026-01-08"));
  const GType calendar_type = GTK_TYPE_CALENDAR;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  om_opportunity_view_select_stage (view, 0);
  om_test_flush_events ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-win", NULL));
  om_test_flush_events ();
  dialog = om_test_window_find_dialog ("Mark Stage Won");
  g_assert_nonnull (dialog);
  calendar = find_widget (GTK_WIDGET (dialog), is_of_type, &calendar_type);
  g_assert_nonnull (calendar);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  om_test_window_confirm ("Mark Stage Won");
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, 0)), ==, om_test_date ("2026-01-08"));

  /* cancelled: nothing decided */
  om_opportunity_view_select_stage (view, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-win", NULL));
  om_test_flush_events ();
  dialog = om_test_window_find_dialog ("Mark Stage Won");
  g_assert_nonnull (dialog);
  gtk_window_close (dialog);
  om_test_flush_events ();
  g_assert_null (om_test_window_find_dialog ("Mark Stage Won"));
  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 1);

  /* Mark Lost asks the day too, and the reason */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-lose", NULL));
  om_test_flush_events ();
  dialog = om_test_window_find_dialog ("Mark Stage Lost");
  g_assert_nonnull (dialog);
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  {
    const GType entry_type = GTK_TYPE_ENTRY;
    GtkWidget *entry = find_widget (GTK_WIDGET (dialog), is_of_type, &entry_type);

    gtk_editable_set_text (GTK_EDITABLE (entry), "Budget frozen");
  }
  om_test_window_confirm ("Mark Stage Lost");
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 1)), ==, OM_STAGE_STATUS_LOST);
  g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, 1)), ==, om_test_date ("2026-01-10"));
}

/* The client's deadline, the baseline and the history, on the page */
static void
test_deadline_baseline_history (Fixture       *f,
                                gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  GtkWidget *history;
  GtkWindow *dialog;
  g_autofree char *shown = NULL;
  const GType entry_type = GTK_TYPE_ENTRY;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();

  /* a deadline before the close date (1 April) is a warning */
  pick_day (GTK_WIDGET (view), "target-calendar", "2026-03-20");
  g_assert_cmpuint (om_opportunity_get_target_date (opp), ==, om_test_date ("2026-03-20"));
  shown = text_of (GTK_WIDGET (view));
  g_assert_nonnull (strstr (shown, "after the client’s target date"));
  g_clear_pointer (&shown, g_free);
  g_signal_emit_by_name (find_widget (GTK_WIDGET (view), has_name, "no-deadline"), "clicked");
  om_test_flush_events ();
  g_assert_cmpuint (om_opportunity_get_target_date (opp), ==, 0);
  shown = text_of (GTK_WIDGET (view));
  g_assert_null (strstr (shown, "after the client’s target date"));
  g_assert_nonnull (strstr (shown, "No baseline"));
  g_clear_pointer (&shown, g_free);

  /* Set Baseline asks for a note, and the page measures against it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.set-baseline", NULL));
  om_test_flush_events ();
  dialog = om_test_window_find_dialog ("Set Baseline");
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (dialog), is_of_type, &entry_type)),
                         "Plan agreed with the board");
  om_test_window_confirm ("Set Baseline");
  g_assert_cmpuint (om_opportunity_get_baseline_close_date (opp), ==, om_test_date ("2026-04-01"));
  shown = text_of (GTK_WIDGET (view));
  g_assert_nonnull (strstr (shown, "On the baseline"));
  g_clear_pointer (&shown, g_free);

  /* a decision two days later; the history tells both, newest first,
   * with Reopen on the decision */
  om_date_set_today (om_test_date ("2026-01-12"));
  om_opportunity_view_select_stage (view, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-win", NULL));
  om_test_window_confirm ("Mark Stage Won");
  history = find_widget (GTK_WIDGET (view), has_name, "history");
  g_assert_nonnull (history);
  gtk_expander_set_expanded (GTK_EXPANDER (history), TRUE);
  om_test_flush_events ();
  shown = text_of (history);
  g_assert_nonnull (strstr (shown, "Plan agreed with the board"));
  g_assert_nonnull (strstr (shown, "Baseline taken"));
  g_assert_nonnull (strstr (shown, "“Initial appointment” won"));
  g_assert_true (strstr (shown, "“Initial appointment” won") < strstr (shown, "Baseline taken"));
  g_clear_pointer (&shown, g_free);
  {
    const GType button_type = GTK_TYPE_BUTTON;
    GtkWidget *reopen = find_widget (history, is_of_type, &button_type);

    /* the one button: Reopen, on the decision it undoes */
    g_assert_nonnull (reopen);
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (reopen)), ==, "_Reopen");
    g_signal_emit_by_name (reopen, "clicked");
    om_test_flush_events ();
    g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_PENDING);
  }
}

/* With the keyboard, Reschedule's calendar agrees nothing while the
 * arrow keys pass over the days: Space agrees the day reached, once */
static void
test_keys_reschedule (Fixture       *f,
                      gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  GtkWidget *editor = om_opportunity_view_get_editor (view);
  GtkWidget *calendar;
  GtkWidget *popover;
  g_autoptr(GDateTime) chosen = NULL;
  const OmScheduleEntry *entry;

  if (!take_keyboard (f))
    return;
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_opportunity_view_select_stage (view, 1);
  om_test_iterate_for (200);

  /* Reschedule, from the keyboard: its calendar takes the keys */
  calendar = find_widget (editor, has_name, "agreed-calendar");
  popover = gtk_widget_get_ancestor (calendar, GTK_TYPE_POPOVER);
  gtk_widget_grab_focus (gtk_widget_get_parent (popover));
  om_test_iterate_for (100);
  press ("Return");
  g_assert_true (gtk_widget_get_visible (popover));
  if (!gtk_widget_has_focus (calendar))
    gtk_widget_grab_focus (calendar);
  om_test_iterate_for (100);

  press ("Right");
  press ("Right");
  press ("Down");
  /* passed over three days: nothing agreed */
  g_assert_cmpuint (om_stage_get_agreed_on (om_opportunity_get_stage (opp, 1)), ==, 0);
  g_assert_cmpuint (om_opportunity_get_data (opp)->schedule->len, ==, 0);

  /* Space agrees the day reached: one edit, the calendar closed */
  press ("space");
  chosen = gtk_calendar_get_date (GTK_CALENDAR (calendar));
  g_assert_cmpuint (om_stage_get_agreed_on (om_opportunity_get_stage (opp, 1)), ==, om_date_from_date_time (chosen));
  entry = g_ptr_array_index (om_opportunity_get_data (opp)->schedule, 0);
  g_assert_cmpint (entry->what, ==, OM_SCHEDULE_AGREED_DATE);
  g_assert_cmpuint (entry->to, ==, om_date_from_date_time (chosen));
  g_assert_false (gtk_widget_get_visible (popover));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  om_test_flush_events ();
  g_assert_cmpuint (om_stage_get_agreed_on (om_opportunity_get_stage (opp, 1)), ==, 0);
}

static OmPlanTable *
plan_table (Fixture *f)
{
  const GType type = OM_TYPE_PLAN_TABLE;
  GtkWidget *table = find_widget (GTK_WIDGET (om_window_get_view (f->window)), is_of_type, &type);

  g_assert_nonnull (table);
  return OM_PLAN_TABLE (table);
}

/* Puts the keyboard into a cell of the table, types into the entry it
 * is then edited with, and commits it as Enter does */
static void
edit_cell (OmPlanTable       *table,
           guint              row,
           OmPlanTableColumn  column,
           const char        *text)
{
  GtkWidget *cell = om_plan_table_get_cell (table, row, column);
  GtkEditable *editable;

  g_assert_nonnull (cell);
  g_assert_true (OM_IS_TEXT_CELL (cell));
  g_assert_true (gtk_widget_grab_focus (cell));
  editable = om_text_cell_get_editable (OM_TEXT_CELL (cell));
  g_assert_nonnull (editable);
  gtk_editable_set_text (editable, text);
  g_signal_emit_by_name (editable, "activate");
  om_test_flush_events ();
}

static const char *
cell_shows (OmPlanTable       *table,
            guint              row,
            OmPlanTableColumn  column)
{
  GtkWidget *cell = om_plan_table_get_cell (table, row, column);

  g_assert_nonnull (cell);
  return OM_IS_TEXT_CELL (cell) ? om_text_cell_get_text (OM_TEXT_CELL (cell)) : gtk_label_get_text (GTK_LABEL (cell));
}

/* The plan as rows, in plan order; a cell edited commits one model
 * edit, undone like any; a refused one shows the model's value again
 * and the window says why */
static void
test_table_edit_in_place (Fixture       *f,
                          gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  OmPlanTable *table;
  g_autoptr(OmOpportunityData) disk = NULL;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_iterate_for (200);
  table = plan_table (f);

  for (guint i = 0; i < om_opportunity_get_n_stages (opp); i++)
    {
      OmStage *stage = om_opportunity_get_stage (opp, i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *cell = om_plan_table_get_cell (table, i, OM_PLAN_TABLE_NUMBER);

      g_assert_cmpstr (cell_shows (table, i, OM_PLAN_TABLE_ACTIVITY), ==, om_stage_get_activity (stage));
      g_assert_cmpstr (cell_shows (table, i, OM_PLAN_TABLE_MILESTONE), ==, om_stage_get_milestone (stage));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (cell))), ==, number);
    }
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_DURATION), ==, "14");
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_PROBABILITY), ==, "60 %");

  /* one edit, kept, undone */
  edit_cell (table, 1, OM_PLAN_TABLE_MILESTONE, "  Client agrees to our plan  ");
  g_assert_cmpstr (om_stage_get_milestone (om_opportunity_get_stage (opp, 1)), ==, "Client agrees to our plan");
  g_assert_cmpstr (cell_shows (table, 1, OM_PLAN_TABLE_MILESTONE), ==, "Client agrees to our plan");
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, "Edit Stage");
  disk = on_disk (f);
  g_assert_cmpstr (((OmStageData *) g_ptr_array_index (disk->stages, 1))->milestone, ==, "Client agrees to our plan");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  om_test_flush_events ();
  g_assert_cmpstr (cell_shows (table, 1, OM_PLAN_TABLE_MILESTONE), ==,
                   "Client agrees to the opportunity-management process");

  /* a duration moves the dates after it */
  edit_cell (table, 2, OM_PLAN_TABLE_DURATION, "21");
  g_assert_cmpuint (om_stage_get_duration_days (om_opportunity_get_stage (opp, 2)), ==, 21);
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_DUE), ==, "9 Feb 2026");
  edit_cell (table, 2, OM_PLAN_TABLE_PROBABILITY, "75");
  g_assert_cmpfloat (om_stage_get_probability (om_opportunity_get_stage (opp, 2)), ==, 0.75);
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_PROBABILITY), ==, "75 %");

  /* refused: the model's value again, and why */
  edit_cell (table, 2, OM_PLAN_TABLE_DURATION, "three weeks");
  g_assert_cmpuint (om_stage_get_duration_days (om_opportunity_get_stage (opp, 2)), ==, 21);
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_DURATION), ==, "21");
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "not a number of days"));
  edit_cell (table, 2, OM_PLAN_TABLE_PROBABILITY, "150");
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_PROBABILITY), ==, "75 %");
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "between 0 and 100"));
  edit_cell (table, 0, OM_PLAN_TABLE_ACTIVITY, "   ");
  g_assert_cmpstr (cell_shows (table, 0, OM_PLAN_TABLE_ACTIVITY), ==, "Initial appointment");
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "needs an activity"));

  /* a row chosen in the table is the stage the page edits */
  om_plan_table_set_selected (table, 4);
  om_test_flush_events ();
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 4);
  om_opportunity_view_select_stage (view, 1);
  om_test_flush_events ();
  g_assert_cmpint (om_plan_table_get_selected (table), ==, 1);
}

/* In the plan's rows earlier is up: Alt+Up and Alt+Down move the
 * selected stage, as Alt+Left and Alt+Right do */
static void
test_keys_alt_up_down (Fixture       *f,
                       gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->id);

  if (!take_keyboard (f))
    return;
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_opportunity_view_select_stage (view, 3);
  om_test_iterate_for (200);
  press ("alt+Up");
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 2)), ==, "Feasibility Study");
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 2);
  press ("alt+Down");
  press ("alt+Down");
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 4)), ==, "Feasibility Study");
  press ("ctrl+z");
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 3)), ==, "Feasibility Study");
}

/* From the keyboard: F2 on a row goes into its first cell; what is
 * typed there is saved with Enter, as one edit */
static void
test_keys_table_f2 (Fixture       *f,
                    gconstpointer  data)
{
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  OmPlanTable *table;

  if (!take_keyboard (f))
    return;
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_iterate_for (200);
  table = plan_table (f);
  g_assert_true (om_plan_table_focus_stage (table, 2));
  om_test_iterate_for (200);

  press ("F2");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)),
                                         om_plan_table_get_cell (table, 2, OM_PLAN_TABLE_ACTIVITY)));
  press ("ctrl+a");
  type ("Scoping study proposal");
  press ("Tab");
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 2)), ==, "Scoping study proposal");
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, "Edit Stage");

  /* Tab from the row's last cell goes on to the next row's first, and
   * what was typed on the way is kept */
  g_assert_true (gtk_widget_is_ancestor (focus_widget (f),
                                         om_plan_table_get_cell (table, 2, OM_PLAN_TABLE_MILESTONE)));
  for (guint i = 0; i < 4; i++)
    press ("Tab");
  g_assert_true (gtk_widget_is_ancestor (focus_widget (f),
                                         om_plan_table_get_cell (table, 2, OM_PLAN_TABLE_PROBABILITY)));
  press ("ctrl+a");
  type ("65");
  press ("Tab");
  g_assert_cmpfloat_with_epsilon (om_stage_get_probability (om_opportunity_get_stage (opp, 2)), 0.65, 1e-9);
  g_assert_true (gtk_widget_is_ancestor (focus_widget (f),
                                         om_plan_table_get_cell (table, 3, OM_PLAN_TABLE_ACTIVITY)));
  g_assert_cmpint (om_plan_table_get_selected (table), ==, 3);
  press ("shift+Tab");
  g_assert_true (gtk_widget_is_ancestor (focus_widget (f),
                                         om_plan_table_get_cell (table, 2, OM_PLAN_TABLE_PROBABILITY)));

  /* Escape gives up what was typed; Ctrl+Z with nothing typed undoes
   * the plan's last edit, and the cell shows its value */
  press ("ctrl+a");
  type ("99");
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_PROBABILITY), ==, "99");
  press ("Escape");
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_PROBABILITY), ==, "65 %");
  press ("ctrl+z");
  g_assert_cmpfloat_with_epsilon (om_stage_get_probability (om_opportunity_get_stage (opp, 2)), 0.6, 1e-9);
  g_assert_cmpstr (cell_shows (table, 2, OM_PLAN_TABLE_PROBABILITY), ==, "60 %");
  g_assert_true (gtk_widget_is_ancestor (focus_widget (f),
                                         om_plan_table_get_cell (table, 2, OM_PLAN_TABLE_PROBABILITY)));
  press ("Tab");
  g_assert_cmpfloat_with_epsilon (om_stage_get_probability (om_opportunity_get_stage (opp, 2)), 0.6, 1e-9);
}

/* The chosen stage's details scroll on their own: reading its notes or
 * its history never scrolls the table away */
static void
test_details_keep_table (Fixture       *f,
                         gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  GtkWidget *editor = om_opportunity_view_get_editor (view);
  GtkWidget *details, *page;
  GtkAdjustment *adj;
  graphene_rect_t before, after;

  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_iterate_for (300);
  g_assert_true (om_plan_table_focus_stage (plan_table (f), 2));
  om_test_iterate_for (300);
  details = gtk_widget_get_ancestor (editor, GTK_TYPE_SCROLLED_WINDOW);
  page = gtk_widget_get_ancestor (GTK_WIDGET (plan_table (f)), GTK_TYPE_SCROLLED_WINDOW);
  page = gtk_widget_get_ancestor (gtk_widget_get_parent (page), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (details);
  g_assert_true (details != page);
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (plan_table (f)), details));

  /* where the table settles, once the keyboard in it has scrolled it
   * into view */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (plan_table (f)), GTK_WIDGET (f->window), &before));
  for (guint k = 0; k < 20; k++)
    {
      graphene_rect_t now;

      om_test_iterate_for (100);
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (plan_table (f)), GTK_WIDGET (f->window), &now));
      if (now.origin.y == before.origin.y)
        break;
      before = now;
    }
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (details));
  /* the details are longer than their side of the window */
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), >, gtk_adjustment_get_page_size (adj));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  om_test_iterate_for (300);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (plan_table (f)), GTK_WIDGET (f->window), &after));
  g_assert_cmpfloat (before.origin.y, ==, after.origin.y);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (plan_table (f))));
}

/* The file chooser a save action opened, answered as a person would:
 * @name in @dir, then Export */
static void
save_in_chooser (const char *dir,
                 const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  GtkWidget *chooser = NULL;

  for (guint k = 0; k < 20 && chooser == NULL; k++)
    {
      om_test_iterate_for (100);
      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && chooser == NULL; i++)
        {
          g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

          if (GTK_IS_FILE_CHOOSER (w) && gtk_widget_get_visible (w))
            chooser = w;
        }
    }
  g_assert_nonnull (chooser);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  /* the answer reaches the window from the main loop: until the file is
   * there (a slow build takes a while) */
  {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    for (guint k = 0; k < 100 && !g_file_test (path, G_FILE_TEST_EXISTS); k++)
      om_test_iterate_for (100);
    om_test_iterate_for (200);
  }
}

/* Export to Calendar, Export as CSV and Export write what the command
 * line writes: the opportunity's pending milestones, every stage, all */
static void
test_export_calendar_and_csv (Fixture       *f,
                              gconstpointer  data)
{
  OmOpportunity *opp = om_repository_find (f->repository, f->id);
  g_autofree char *ics_path = g_build_filename (f->dir, "plan.ics", NULL);
  g_autofree char *csv_path = g_build_filename (f->dir, "plan.csv", NULL);
  g_autofree char *ics = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  guint pending = 0;

#if defined(__SANITIZE_ADDRESS__)
  /* GTK 4.8's file chooser keeps objects of its threads and its recent
   * files at exit (no frame of ours allocates them); the ordinary build
   * runs this test */
  g_test_skip ("GTK's file chooser leaks in the sanitizer build");
  return;
#endif
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_iterate_for (200);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export-calendar", NULL));
  save_in_chooser (f->dir, "plan.ics");
  g_assert_true (g_file_get_contents (ics_path, &ics, NULL, NULL));
  g_assert_true (g_str_has_prefix (ics, "BEGIN:VCALENDAR\r\n"));
  for (guint i = 0; i < om_opportunity_get_n_stages (opp); i++)
    {
      OmStage *stage = om_opportunity_get_stage (opp, i);

      if (om_stage_get_status (stage) == OM_STAGE_STATUS_PENDING)
        {
          g_autofree char *summary = g_strdup_printf ("SUMMARY:%s", om_stage_get_milestone (stage));
          pending++;
          g_assert_nonnull (strstr (ics, summary));
        }
    }
  g_assert_cmpuint (pending, >, 0);
  g_assert_nonnull (strstr (om_window_get_banner_message (f->window), "plan.ics"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export-csv", NULL));
  save_in_chooser (f->dir, "plan.csv");
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\r\n", -1);
  /* a header, one row per stage of every opportunity, the last line end */
  g_assert_cmpuint (g_strv_length (lines), >=, om_opportunity_get_n_stages (opp) + 2);

  /* and the whole database as JSON, through the same dialog */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export", NULL));
  save_in_chooser (f->dir, "all.oppmanager.json");
  {
    g_autofree char *json_path = g_build_filename (f->dir, "all.oppmanager.json", NULL);
    g_autofree char *json = NULL;

    g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
    g_assert_nonnull (strstr (json, "\"oppmanager/2\""));
    g_assert_nonnull (strstr (json, om_opportunity_get_title (opp)));
  }
}

/* a mapped button with this label */
static gboolean
is_labelled (GtkWidget     *widget,
             gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(OmBackend) backend = om_store_open_backend_finish (result, error);

  g_assert_null (backend);
}

/* A server that takes the connection and never answers: the window
 * stays alive and says that it waits, Cancel gives up at once, and the
 * password is never shown */
static void
test_connecting_to_silent_server (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *cancel;
  OmWindow *window;
  guint16 port;
  gint64 start;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  location = g_strdup_printf ("postgresql://sales:s3cret-pw@127.0.0.1:%u/team?connect_timeout=30", port);
  window = om_window_new (NULL, NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  shown = om_store_location_shown (location);
  g_assert_null (strstr (shown, "s3cret"));
  om_window_show_connecting (window, shown, cancellable);
  om_store_open_backend_async (location, cancellable, opened_cb, &error);

  /* the window answers while the server does not */
  om_test_iterate_for (800);
  g_assert_true (om_test_shows_label (GTK_WIDGET (window), "Connecting to “postgresql://sales@127.0.0.1"));
  g_assert_false (om_test_shows_label (GTK_WIDGET (window), "s3cret"));
  g_assert_null (error);

  cancel = find_widget (GTK_WIDGET (window), is_labelled, "_Cancel");
  g_assert_nonnull (cancel);
  start = g_get_monotonic_time ();
  g_signal_emit_by_name (cancel, "clicked");
  while (error == NULL && g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  om_window_show_error (window, error);
  om_test_iterate_for (200);
  g_assert_false (om_test_shows_label (GTK_WIDGET (window), "Connecting to"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Remedies (issue 15): every health warning offers the step that fixes
 * it; the step takes the person to the right stage and field, and the
 * warning goes once the step is done */

static GtkWidget *
remedy (Fixture    *f,
        const char *code)
{
  g_autofree char *name = g_strconcat ("remedy-", code, NULL);

  return find_widget (GTK_WIDGET (om_window_get_view (f->window)), has_name, name);
}

/* Clicks the remedy of the warning @code, which must be offered */
static void
apply_remedy (Fixture    *f,
              const char *code)
{
  GtkWidget *button = remedy (f, code);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_focusable (button));
  g_signal_emit_by_name (button, "clicked");
  om_test_flush_events ();
}

static void
ok_or_fail (gboolean      ok,
            const GError *error)
{
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Whether the keyboard focus is in @widget */
static gboolean
focus_in (Fixture   *f,
          GtkWidget *widget)
{
  GtkWidget *focus = focus_widget (f);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static GtkWidget *
focus_ancestor (Fixture *f,
                GType    type)
{
  GtkWidget *focus = focus_widget (f);

  g_assert_nonnull (focus);
  return gtk_widget_get_ancestor (focus, type);
}

static OmOpportunity *
show_plan (Fixture *f)
{
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
  return om_repository_find (f->repository, f->id);
}

static void
test_remedy_fold (Fixture       *f,
                  gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = show_plan (f);
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;
  GtkWidget *confirm;
  GtkWidget *reason;
  GtkDropDown *first, *last;

  /* twelve stages: six more after the process meeting */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(OmStageData) stage = om_test_stage_new (i + 1);
      ok_or_fail (om_opportunity_add_stage (opp, 2 + i, stage, &error), error);
    }
  om_test_flush_events ();
  g_assert_null (remedy (f, "no-process-agreement"));

  /* the dialog proposes stages 3 to 10, before the proposal and contract */
  apply_remedy (f, "too-complex");
  dialog = om_test_window_find_dialog ("Simplify with a Feasibility Study");
  g_assert_nonnull (dialog);
  first = GTK_DROP_DOWN (find_widget (GTK_WIDGET (dialog), has_name, "fold-first"));
  last = GTK_DROP_DOWN (find_widget (GTK_WIDGET (dialog), has_name, "fold-last"));
  confirm = find_widget (GTK_WIDGET (dialog), has_name, "fold-confirm");
  reason = find_widget (GTK_WIDGET (dialog), has_name, "fold-reason");
  g_assert_cmpuint (gtk_drop_down_get_selected (first), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (last), ==, 9);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_widget (GTK_WIDGET (dialog), has_name, "fold-pending-after"))),
                   ==, "6");
  g_assert_true (gtk_widget_is_sensitive (confirm));

  /* a run that ends before it starts: refused, and said */
  gtk_drop_down_set_selected (last, 1);
  g_assert_false (gtk_widget_is_sensitive (confirm));
  g_assert_true (gtk_widget_get_visible (reason));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (reason)), "comes before it"));
  g_assert_cmpstr (om_accessible_get_tooltip (confirm), ==, gtk_label_get_text (GTK_LABEL (reason)));

  /* the six stages added, stages 3 to 8: eight pending afterwards, and
   * the chain probability the model's dry run gives */
  gtk_drop_down_set_selected (last, 7);
  g_assert_true (gtk_widget_is_sensitive (confirm));
  g_assert_false (gtk_widget_get_visible (reason));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_widget (GTK_WIDGET (dialog), has_name, "fold-pending-after"))),
                   ==, "8");
  {
    OmDerivedValues after;
    g_autofree char *chain = NULL;

    g_assert_true (om_opportunity_can_fold_feasibility (opp, 2, 7, &after, NULL));
    chain = g_strdup_printf ("%.0f %%", after.chain_probability * 100.0);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_widget (GTK_WIDGET (dialog), has_name, "fold-chain-after"))),
                     ==, chain);
  }

  om_test_window_confirm ("Simplify with a Feasibility Study");
  g_assert_null (om_test_window_find_dialog ("Simplify with a Feasibility Study"));
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 8);
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 3)), ==, "Feasibility Study");
  /* the study is shown, and the warning is gone */
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 3);
  g_assert_null (remedy (f, "too-complex"));
  /* the history tells what was folded */
  {
    GtkWidget *history = find_widget (GTK_WIDGET (view), has_name, "history");
    g_autofree char *told = NULL;

    gtk_expander_set_expanded (GTK_EXPANDER (history), TRUE);
    om_test_flush_events ();
    told = text_of (history);
    g_assert_nonnull (strstr (told, "Simplified with a Feasibility Study"));
    g_assert_nonnull (strstr (told, "Folded into a Feasibility Study: Stage 3 “Activity 1”"));
  }

  /* one edit, undone at once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  om_test_flush_events ();
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 12);
  g_assert_nonnull (remedy (f, "too-complex"));
}

static void
test_remedy_process_meeting (Fixture       *f,
                             gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = show_plan (f);
  GtkWidget *editor = om_opportunity_view_get_editor (view);
  g_autoptr(GError) error = NULL;

  ok_or_fail (om_opportunity_remove_stage (opp, 1, &error), error);
  ok_or_fail (om_opportunity_win_stage (opp, 0, NULL, &error), error);
  om_test_flush_events ();

  /* after the won stage, selected, its activity focused for editing */
  apply_remedy (f, "no-process-agreement");
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 1)), ==, "Process meeting");
  g_assert_cmpint (om_stage_get_kind (om_opportunity_get_stage (opp, 1)), ==, OM_STAGE_KIND_PROCESS_AGREEMENT);
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 1);
  g_assert_true (focus_in (f, editor));
  g_assert_cmpstr (gtk_editable_get_text (focused_entry (f)), ==, "Process meeting");
  g_assert_null (remedy (f, "no-process-agreement"));

  /* with the first two stages won, it can no longer be among them: the
   * button says why */
  ok_or_fail (om_opportunity_remove_stage (opp, 1, &error), error);
  ok_or_fail (om_opportunity_win_stage (opp, 1, NULL, &error), error);
  om_test_flush_events ();
  g_assert_nonnull (remedy (f, "no-process-agreement"));
  g_assert_false (gtk_widget_is_sensitive (remedy (f, "no-process-agreement")));
  g_assert_nonnull (strstr (om_accessible_get_tooltip (remedy (f, "no-process-agreement")), "won"));
}

static void
test_remedy_owner (Fixture       *f,
                   gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = show_plan (f);
  GtkWidget *editor = om_opportunity_view_get_editor (view);
  g_autoptr(GError) error = NULL;
  GtkEditable *owner;

  /* everyone has an owner but stage 3 */
  for (guint i = 0; i < om_opportunity_get_n_stages (opp); i++)
    if (i != 2)
      {
        g_autoptr(OmStageData) edited = om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (opp, i)));
        g_free (edited->owner);
        edited->owner = g_strdup ("Ann");
        ok_or_fail (om_opportunity_edit_stage (opp, i, edited, &error), error);
      }
  om_test_flush_events ();

  apply_remedy (f, "no-owner");
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 2);
  g_assert_true (focus_in (f, editor));
  owner = focused_entry (f);
  g_assert_cmpstr (gtk_editable_get_text (owner), ==, "");
  gtk_editable_set_text (owner, "Bob");
  g_signal_emit_by_name (owner, "activate");
  om_test_flush_events ();
  g_assert_cmpstr (om_stage_get_owner (om_opportunity_get_stage (opp, 2)), ==, "Bob");
  g_assert_null (remedy (f, "no-owner"));
}

/* Reschedule opens on the stage, its calendar focused; a day agreed
 * there clears the warning */
static void
reschedule_remedy (Fixture    *f,
                   const char *code,
                   int         stage,
                   const char *day)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  GtkWidget *editor = om_opportunity_view_get_editor (view);
  GtkWidget *calendar = find_widget (editor, has_name, "agreed-calendar");
  OmOpportunity *opp = om_opportunity_view_get_opportunity (view);

  apply_remedy (f, code);
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, stage);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (calendar, GTK_TYPE_POPOVER)));
  g_assert_true (focus_in (f, calendar));
  pick_day (editor, "agreed-calendar", day);
  g_assert_cmpuint (om_stage_get_agreed_on (om_opportunity_get_stage (opp, (guint) stage)), ==, om_test_date (day));
  g_assert_null (remedy (f, code));
}

static void
test_remedy_reschedule (Fixture       *f,
                        gconstpointer  data)
{
  OmOpportunity *opp = show_plan (f);
  g_autoptr(GError) error = NULL;

  /* an appointment agreed before the stage before it is due (2 Feb) */
  ok_or_fail (om_opportunity_agree_date (opp, 3, om_test_date ("2026-01-25"), NULL, &error), error);
  om_test_flush_events ();
  reschedule_remedy (f, "pinned-conflict", 3, "2026-03-02");

  /* the first stage, due on 12 January, is overdue on the 20th */
  om_date_set_today (om_test_date ("2026-01-20"));
  om_repository_refresh_today (f->repository);
  om_test_flush_events ();
  reschedule_remedy (f, "overdue", 0, "2026-01-22");

  /* the process agreed: the next appointment should be agreed too */
  ok_or_fail (om_opportunity_win_stage (opp, 0, NULL, &error), error);
  ok_or_fail (om_opportunity_win_stage (opp, 1, NULL, &error), error);
  om_test_flush_events ();
  reschedule_remedy (f, "next-not-agreed", 2, "2026-02-12");
}

static void
test_remedy_weak_link (Fixture       *f,
                       gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = show_plan (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmStageData) edited = om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (opp, 4)));
  GtkWidget *spin;

  edited->probability = 0.3;
  ok_or_fail (om_opportunity_edit_stage (opp, 4, edited, &error), error);
  om_test_flush_events ();

  apply_remedy (f, "weak-link");
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 4);
  spin = focus_ancestor (f, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_true (gtk_widget_is_ancestor (spin, om_opportunity_view_get_editor (view)));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 30);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 65);
  om_test_flush_events ();
  g_assert_cmpfloat (om_stage_get_probability (om_opportunity_get_stage (opp, 4)), ==, 0.65);
  g_assert_null (remedy (f, "weak-link"));
}

static void
test_remedy_history (Fixture       *f,
                     gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = show_plan (f);
  g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_autoptr(GError) error = NULL;
  GtkWidget *history = find_widget (GTK_WIDGET (view), has_name, "history");

  /* the close date (1 April) after the client's deadline */
  edited->target_date = om_test_date ("2026-03-01");
  ok_or_fail (om_opportunity_edit (opp, edited, &error), error);
  om_test_flush_events ();
  g_assert_false (gtk_expander_get_expanded (GTK_EXPANDER (history)));

  apply_remedy (f, "past-target");
  g_assert_true (gtk_expander_get_expanded (GTK_EXPANDER (history)));
  g_assert_true (focus_in (f, history));
}

/* Simplify (the window's menu): the same dialog without a warning, on
 * the run the model proposes; a closed plan offers none */
static void
test_simplify_action (Fixture       *f,
                      gconstpointer  data)
{
  OmOpportunity *opp = show_plan (f);
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.simplify", NULL));
  om_test_flush_events ();
  dialog = om_test_window_find_dialog ("Simplify with a Feasibility Study");
  g_assert_nonnull (dialog);
  /* between the process meeting and the proposal: the study and its proposal */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find_widget (GTK_WIDGET (dialog), has_name, "fold-first"))), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find_widget (GTK_WIDGET (dialog), has_name, "fold-last"))), ==, 3);
  gtk_window_close (dialog);
  om_test_flush_events ();
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 6);

  for (guint i = 0; i < 6; i++)
    ok_or_fail (om_opportunity_win_stage (opp, i, NULL, &error), error);
  om_test_flush_events ();
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.simplify", NULL);
  om_test_flush_events ();
  g_assert_null (om_test_window_find_dialog ("Simplify with a Feasibility Study"));
}

/* A run of rows chosen with Shift+Down in the table is what Simplify
 * offers to replace; a plain move of the selection ends the run */
static void
test_simplify_shift_run (Fixture       *f,
                         gconstpointer  data)
{
  OmOpportunity *opp = show_plan (f);
  OmPlanTable *table = plan_table (f);
  GtkWindow *dialog;
  guint first = 0, last = 0;

  if (!take_keyboard (f))
    return;
  g_assert_true (om_plan_table_focus_stage (table, 2));
  om_test_iterate_for (200);
  press ("shift+Down");
  press ("shift+Down");
  press ("shift+Down");
  g_assert_true (om_plan_table_get_range (table, &first, &last));
  g_assert_cmpuint (first, ==, 2);
  g_assert_cmpuint (last, ==, 5);
  press ("shift+Up");
  g_assert_true (om_plan_table_get_range (table, &first, &last));
  g_assert_cmpuint (last, ==, 4);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.simplify", NULL));
  om_test_flush_events ();
  dialog = om_test_window_find_dialog ("Simplify with a Feasibility Study");
  g_assert_nonnull (dialog);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find_widget (GTK_WIDGET (dialog), has_name, "fold-first"))), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find_widget (GTK_WIDGET (dialog), has_name, "fold-last"))), ==, 4);
  om_test_window_confirm ("Simplify with a Feasibility Study");
  /* three stages became two */
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 5);

  /* a move without Shift: no run any more */
  om_test_iterate_for (200);
  g_assert_true (om_plan_table_focus_stage (table, 1));
  om_test_iterate_for (200);
  g_assert_false (om_plan_table_get_range (table, &first, &last));
}

/* On a team server, a plan another coordinator runs shows as one to
 * read: the window says why above it, and its edits are greyed out with
 * that reason, before any edit fails */
static void
test_server_read_only (void)
{
  g_autofree char *location = NULL;
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autoptr(OmRepository) as_alice = NULL;
  g_autoptr(OmRepository) as_bob = NULL;
  g_autoptr(OmOpportunityData) plan = NULL;
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;
  OmWindow *window;
  GtkWidget *win_button;

  if (om_test_pg_unavailable () != NULL)
    {
      g_test_skip (om_test_pg_unavailable ());
      return;
    }
  location = om_test_pg_new_database ();
  alice = om_test_pg_location (location, OM_TEST_PG_COORDINATOR);
  bob = om_test_pg_location (location, OM_TEST_PG_OTHER_COORDINATOR);
  as_alice = om_test_database_open_repository (alice);
  plan = om_template_data_instantiate (tpl, "Alice's sale", "Nordic Ferries", om_test_date ("2026-01-05"));
  g_free (plan->coordinator);
  plan->coordinator = g_strdup (OM_TEST_PG_COORDINATOR);
  opp = om_repository_create_opportunity (as_alice, plan, &error);
  g_assert_no_error (error);

  as_bob = om_test_database_open_repository (bob);
  window = om_window_new (NULL, as_bob, NULL);
  gtk_window_present (GTK_WINDOW (window));
  om_test_iterate_for (300);
  g_assert_true (om_window_select_opportunity (window, om_opportunity_get_id (opp)));
  om_test_iterate_for (300);
  g_assert_nonnull (om_window_get_read_only_message (window));
  g_assert_nonnull (strstr (om_window_get_read_only_message (window), "lets you read this opportunity"));
  om_opportunity_view_select_stage (om_window_get_view (window), 0);
  om_test_iterate_for (300);
  win_button = om_test_find_action_button (om_opportunity_view_get_editor (om_window_get_view (window)),
                                           "win.stage-win");
  g_assert_nonnull (win_button);
  g_assert_false (gtk_widget_get_sensitive (win_button));
  g_assert_nonnull (strstr (om_accessible_get_tooltip (win_button), "only its coordinator"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = g_dir_make_tmp ("oppmanager-test-config.XXXXXX", NULL);
  int status;

  /* what the window keeps in the user's config folder (print settings)
   * goes to a scratch one, set before GTK reads the folder's name */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/window/select-shows-stages", test_select_shows_stages);
  ADD ("/window/remedy/fold", test_remedy_fold);
  ADD ("/window/remedy/process-meeting", test_remedy_process_meeting);
  ADD ("/window/remedy/owner", test_remedy_owner);
  ADD ("/window/remedy/reschedule", test_remedy_reschedule);
  ADD ("/window/remedy/weak-link", test_remedy_weak_link);
  ADD ("/window/remedy/history", test_remedy_history);
  ADD ("/window/simplify-action", test_simplify_action);
  ADD ("/window/mark-won-and-undo", test_mark_won_and_undo);
  ADD ("/window/refused-edit-is-explained", test_refused_edit_is_explained);
  ADD ("/window/new-opportunity", test_new_opportunity);
  ADD ("/window/undo-shows-what-it-changes", test_undo_shows_what_it_changes);
  ADD ("/window/selection-follows-stage", test_selection_follows_stage);
  ADD ("/window/keys/new-then-undo-three-times", test_keys_new_then_undo_three_times);
  ADD ("/window/keys/remove-undo-redo", test_keys_remove_undo_redo);
  ADD ("/window/buttons/new-then-undo-three-times", test_buttons_new_then_undo_three_times);
  ADD ("/window/buttons/remove-undo-redo", test_buttons_remove_undo_redo);
  ADD ("/window/undo-removes-edited-stage", test_undo_removes_edited_stage);
  ADD ("/window/keys/field-undo-then-app-undo", test_keys_field_undo_then_app_undo);
  ADD ("/window/keys/stage-field-undo", test_keys_stage_field_undo);
  ADD ("/window/keys/escape-reverts", test_keys_escape_reverts);
  ADD ("/window/keys/sidebar-follows-typing", test_keys_sidebar_follows_typing);
  ADD ("/window/other-writers", test_other_writers);
  ADD ("/window/search-finds-nothing", test_search_finds_nothing);
  ADD ("/window/unreadable-opportunity", test_unreadable_opportunity);
  ADD ("/window/opens-on-last-opportunity", test_opens_on_last_opportunity);
  ADD ("/window/first-rows-maximised", test_first_rows_maximised);
  ADD ("/window/offer-import", test_offer_import);
  ADD ("/window/print-remembers-settings", test_print_remembers_settings);
  ADD ("/window/value-in-german", test_value_in_german);
  ADD ("/window/decided-on-calendar", test_decided_on_calendar);
  ADD ("/window/reschedule", test_reschedule);
  ADD ("/window/keys/reschedule", test_keys_reschedule);
  ADD ("/window/table/edit-in-place", test_table_edit_in_place);
  ADD ("/window/keys/alt-up-down", test_keys_alt_up_down);
  ADD ("/window/keys/table-f2", test_keys_table_f2);
  ADD ("/window/details-keep-table", test_details_keep_table);
  ADD ("/window/simplify-shift-run", test_simplify_shift_run);
  ADD ("/window/export-calendar-and-csv", test_export_calendar_and_csv);
  ADD ("/window/win-asks-date", test_win_asks_date);
  ADD ("/window/deadline-baseline-history", test_deadline_baseline_history);
#undef ADD
  g_test_add_func ("/window/shortcuts", test_shortcuts_window);
  g_test_add_func ("/window/keys/close-with-control-w", test_close_with_control_w);
  g_test_add_func ("/window/open-file-in-running-window", test_open_file_in_running_window);
  g_test_add_func ("/window/dbus-activation", test_dbus_activation);
  g_test_add_func ("/window/open-error-not-damage", test_open_error_not_damage);
  g_test_add_func ("/window/read-only", test_read_only);
  g_test_add_func ("/window/connecting-to-silent-server", test_connecting_to_silent_server);
  g_test_add_func ("/window/server-read-only", test_server_read_only);

  status = g_test_run ();
  om_test_remove_tree (config);
  return status;
}
