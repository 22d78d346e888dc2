/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "om-accessible.h"
#include "om-agenda-view.h"
#include "om-test-window.h"

/*
 * The agenda view (issue 12) on a real database: the milestones of the
 * open opportunities grouped by salesperson and by opportunity, the
 * date windows, the salesperson filter, the empty state, Enter on a
 * milestone, and its exports.
 *
 * Today is Tuesday 10 March 2026. "Harbour cranes" (from 1 March):
 * Alice 6 Mar (overdue), Bob 11 Mar, Alice 21 Mar, Bob 5 Apr. "Ward
 * beds" (from 5 March): Bob 8 Mar (agreed, overdue), nobody 18 Mar.
 * "Lost deal" is lost: never shown.
 */

typedef struct
{
  char         *dir;
  char         *path;
  OmRepository *repository;
  GtkWidget    *window;
  OmAgendaView *view;
  gint64        cranes;
  gint64        beds;
  GString      *said;
} Fixture;

static OmStageData *
stage_new (const char *milestone,
           const char *owner,
           guint       days)
{
  OmStageData *stage = om_stage_data_new ("Meeting", milestone);

  g_free (stage->owner);
  stage->owner = g_strdup (owner);
  g_free (stage->client_owner);
  stage->client_owner = g_strdup ("Carol Client");
  stage->duration_days = days;
  return stage;
}

static void
activated_cb (OmAgendaView *view,
              gint64        id,
              guint         stage,
              Fixture      *f)
{
  g_string_append_printf (f->said, "activated %" G_GINT64_FORMAT ".%u;", id, stage + 1);
}

static void
message_cb (OmAgendaView *view,
            const char   *text,
            Fixture      *f)
{
  g_string_append_printf (f->said, "message %s;", text);
}

static void
calendar_cb (GSimpleAction *action,
             GVariant      *parameter,
             Fixture       *f)
{
  g_string_append_printf (f->said, "calendar '%s';", g_variant_get_string (parameter, NULL));
}

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(OmOpportunityData) cranes = om_opportunity_data_new ("Harbour cranes", "Port Authority",
                                                                 om_test_date ("2026-03-01"));
  g_autoptr(OmOpportunityData) beds = om_opportunity_data_new ("Ward beds", "City Hospital",
                                                               om_test_date ("2026-03-05"));
  g_autoptr(OmOpportunityData) lost = om_opportunity_data_new ("Lost deal", "Gone Ltd", om_test_date ("2026-03-01"));
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("export-agenda-calendar", G_VARIANT_TYPE_STRING);
  OmStageData *agreed;

  om_date_set_today (om_test_date ("2026-03-10"));
  f->said = g_string_new (NULL);
  f->dir = om_test_make_dir ("agenda-view");
  f->path = g_build_filename (f->dir, "agenda.db", NULL);
  f->repository = om_test_database_open_repository (f->path);

  g_ptr_array_add (cranes->stages, stage_new ("Site visit agreed", "Alice", 5));
  g_ptr_array_add (cranes->stages, stage_new ("Process agreed", "Bob", 5));
  g_ptr_array_add (cranes->stages, stage_new ("Study commissioned", "alice", 10));
  g_ptr_array_add (cranes->stages, stage_new ("Proposal accepted", "Bob", 15));
  f->cranes = om_opportunity_get_id (om_test_create (f->repository, cranes));

  agreed = stage_new ("Demo booked", "Bob", 10);
  agreed->agreed_on = om_test_date ("2026-03-08");
  g_ptr_array_add (beds->stages, agreed);
  g_ptr_array_add (beds->stages, stage_new ("Budget confirmed", NULL, 10));
  f->beds = om_opportunity_get_id (om_test_create (f->repository, beds));

  g_ptr_array_add (lost->stages, stage_new ("Never", "Alice", 5));
  g_assert_true (om_opportunity_data_lose_stage (lost, 0, om_test_date ("2026-03-02"), "Too dear", NULL));
  om_test_create (f->repository, lost);

  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "om-test-agenda-view");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  g_signal_connect (action, "activate", G_CALLBACK (calendar_cb), f);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (f->window, "win", G_ACTION_GROUP (group));
  f->view = OM_AGENDA_VIEW (om_agenda_view_new ());
  g_signal_connect (f->view, "stage-activated", G_CALLBACK (activated_cb), f);
  g_signal_connect (f->view, "message", G_CALLBACK (message_cb), f);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  om_agenda_view_set_repository (f->view, f->repository);
  gtk_window_present (GTK_WINDOW (f->window));
  om_test_wait_for_paint (f->window);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  om_test_flush_events ();
  g_clear_object (&f->repository);
  om_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_string_free (f->said, TRUE);
}

static void
collect_rows (GtkWidget *widget,
              GString   *out)
{
  if (gtk_widget_has_css_class (widget, "om-agenda-row"))
    {
      GtkWidget *header = gtk_widget_get_first_child (widget);

      if (gtk_widget_get_visible (header))
        g_string_append_printf (out, "# %s\n", gtk_label_get_text (GTK_LABEL (header)));
      else
        {
          const char *sep = "";

          for (GtkWidget *column = gtk_widget_get_next_sibling (header); column;
               column = gtk_widget_get_next_sibling (column))
            for (GtkWidget *label = gtk_widget_get_first_child (column); label;
                 label = gtk_widget_get_next_sibling (label))
              {
                g_string_append_printf (out, "%s%s", sep, gtk_label_get_text (GTK_LABEL (label)));
                sep = " | ";
              }
          g_string_append_c (out, '\n');
        }
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, out);
}

/* What the list shows, a line a row, after the view has laid it out */
static char *
shown (Fixture *f)
{
  GString *out = g_string_new (NULL);

  om_test_wait_for_paint (f->window);
  collect_rows (f->window, out);
  return g_string_free (out, FALSE);
}

static GtkWidget *
find_kind (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_kind (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
summary_text (Fixture *f)
{
  /* the filters, the summary and actions, the list or what says it is empty */
  GtkWidget *stack = gtk_widget_get_last_child (GTK_WIDGET (f->view));
  GtkWidget *actions = gtk_widget_get_prev_sibling (stack);

  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (actions)));
}

#define ALICE_14 \
  "# Alice · 2 milestones\n" \
  "6 Mar 2026 | Overdue | Harbour cranes | Stage 1 of 4: Site visit agreed | Our side: Alice | Client side: Carol Client\n" \
  "21 Mar 2026 | Due | Harbour cranes | Stage 3 of 4: Study commissioned | Our side: alice | Client side: Carol Client\n"
#define BOB_14 \
  "# Bob · 2 milestones\n" \
  "8 Mar 2026 | Overdue, agreed | Ward beds | Stage 1 of 2: Demo booked | Our side: Bob | Client side: Carol Client\n" \
  "11 Mar 2026 | Due | Harbour cranes | Stage 2 of 4: Process agreed | Our side: Bob | Client side: Carol Client\n"

/* Next 14 days by default, by salesperson: the names as the model
 * compares them, nobody's last, earliest first; the lost one never */
static void
test_by_salesperson (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *rows = shown (f);

  g_assert_cmpstr (rows, ==,
                   ALICE_14 BOB_14
                   "# No salesperson · 1 milestone\n"
                   "18 Mar 2026 | Due | Ward beds | Stage 2 of 2: Budget confirmed | Our side: no one | Client side: Carol Client\n");
  g_assert_cmpstr (summary_text (f), ==, "Overdue, and due by 24 Mar 2026: 5 milestones");
  g_assert_null (om_agenda_view_get_owner (f->view));
}

static void
test_by_opportunity (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *rows = NULL;

  om_agenda_view_set_by_opportunity (f->view, TRUE);
  rows = shown (f);
  g_assert_cmpstr (rows, ==,
                   "# Harbour cranes — Port Authority · 3 milestones\n"
                   "6 Mar 2026 | Overdue | Harbour cranes | Stage 1 of 4: Site visit agreed | Our side: Alice | Client side: Carol Client\n"
                   "11 Mar 2026 | Due | Harbour cranes | Stage 2 of 4: Process agreed | Our side: Bob | Client side: Carol Client\n"
                   "21 Mar 2026 | Due | Harbour cranes | Stage 3 of 4: Study commissioned | Our side: alice | Client side: Carol Client\n"
                   "# Ward beds — City Hospital · 2 milestones\n"
                   "8 Mar 2026 | Overdue, agreed | Ward beds | Stage 1 of 2: Demo booked | Our side: Bob | Client side: Carol Client\n"
                   "18 Mar 2026 | Due | Ward beds | Stage 2 of 2: Budget confirmed | Our side: no one | Client side: Carol Client\n");
}

/* This week ends on Sunday 15 March; 30 days take in 5 April; a chosen
 * range shows what is due in it, overdue or not */
static void
test_windows (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *week = NULL;
  g_autofree char *range = NULL;

  om_agenda_view_set_window (f->view, OM_AGENDA_WINDOW_THIS_WEEK);
  week = shown (f);
  g_assert_cmpstr (summary_text (f), ==, "Overdue, and due by 15 Mar 2026: 3 milestones");
  g_assert_null (strstr (week, "21 Mar 2026"));
  g_assert_nonnull (strstr (week, "11 Mar 2026"));

  om_agenda_view_set_window (f->view, OM_AGENDA_WINDOW_30_DAYS);
  g_assert_cmpstr (summary_text (f), ==, "Overdue, and due by 9 Apr 2026: 6 milestones");

  om_agenda_view_set_range (f->view, om_test_date ("2026-03-07"), om_test_date ("2026-03-18"));
  range = shown (f);
  g_assert_cmpstr (summary_text (f), ==, "Due from 7 Mar 2026 to 18 Mar 2026: 3 milestones");
  g_assert_null (strstr (range, "6 Mar 2026"));
  g_assert_nonnull (strstr (range, "8 Mar 2026 | Overdue, agreed"));
  g_assert_nonnull (strstr (range, "18 Mar 2026"));
}

/* The salesperson filter offers everyone and each name once; choosing
 * Bob shows his stages only, and Export to Calendar says whose */
static void
test_owner_filter (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *export = find_button (GTK_WIDGET (f->view), "Export to _Calendar…");
  g_autofree char *rows = NULL;

  g_assert_nonnull (export);
  g_signal_emit_by_name (export, "clicked");
  g_assert_cmpstr (f->said->str, ==, "calendar '';");
  g_string_truncate (f->said, 0);

  om_agenda_view_set_owner (f->view, "Bob");
  g_assert_cmpstr (om_agenda_view_get_owner (f->view), ==, "Bob");
  rows = shown (f);
  g_assert_cmpstr (rows, ==, BOB_14);
  g_signal_emit_by_name (export, "clicked");
  g_assert_cmpstr (f->said->str, ==, "calendar 'Bob';");

  /* the filter stays across a refresh, and everyone again */
  om_agenda_view_refresh (f->view);
  g_assert_cmpstr (om_agenda_view_get_owner (f->view), ==, "Bob");
  om_agenda_view_set_owner (f->view, NULL);
  g_assert_null (om_agenda_view_get_owner (f->view));
  g_free (rows);
  rows = shown (f);
  g_assert_cmpstr (rows, ==,
                   ALICE_14 BOB_14
                   "# No salesperson · 1 milestone\n"
                   "18 Mar 2026 | Due | Ward beds | Stage 2 of 2: Budget confirmed | Our side: no one | Client side: Carol Client\n");
}

/* A window with nothing in it says so */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *stack = gtk_widget_get_last_child (GTK_WIDGET (f->view));
  GtkWidget *empty;
  g_autofree char *rows = NULL;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "list");
  om_agenda_view_set_range (f->view, om_test_date ("2026-06-01"), om_test_date ("2026-06-30"));
  rows = shown (f);
  g_assert_cmpstr (rows, ==, "");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  empty = gtk_stack_get_visible_child (GTK_STACK (stack));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (empty))), ==, "Nothing Due");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (empty))), ==,
                   "Nothing is due from 1 Jun 2026 to 30 Jun 2026.");
  g_assert_true (gtk_widget_get_mapped (empty));

  /* without a repository, too */
  om_agenda_view_set_window (f->view, OM_AGENDA_WINDOW_14_DAYS);
  om_agenda_view_set_repository (f->view, NULL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (empty))), ==,
                   "Nothing is overdue, and nothing is due by 24 Mar 2026.");
}

/* Enter on a milestone opens its stage; a group's header opens nothing */
static void
test_activate (Fixture       *f,
               gconstpointer  data)
{
  /* the agenda's list, not a drop-down's */
  GtkWidget *list = find_kind (gtk_widget_get_last_child (GTK_WIDGET (f->view)), GTK_TYPE_LIST_VIEW);
  g_autofree char *expected = g_strdup_printf ("activated %" G_GINT64_FORMAT ".1;", f->beds);
  g_autofree char *rows = shown (f);

  /* the list view's own action for Enter and double click */
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u", 3));
  g_assert_cmpstr (f->said->str, ==, "");   /* row 3 is Bob's header */
  g_assert_true (gtk_widget_activate_action (list, "list.activate-item", "u", 4));
  g_assert_cmpstr (f->said->str, ==, expected);

  if (om_test_can_drive_x ())
    {
      g_autofree char *first = g_strdup_printf ("activated %" G_GINT64_FORMAT ".1;", f->cranes);
      const char *pattern = "^om-test-agenda-view$";

      g_string_truncate (f->said, 0);
      g_free (om_test_xdotool ("search", "--sync", "--name", pattern, "windowraise", NULL));
      g_free (om_test_xdotool ("search", "--sync", "--name", pattern, "windowfocus", "--sync", NULL));
      om_test_iterate_for (300);
      /* the keys: into the list, on Alice's header, down to her first
       * milestone, Enter; Enter on the header opens nothing */
      gtk_widget_grab_focus (list);
      om_test_iterate_for (200);
      g_free (om_test_xdotool ("key", "Return", "sleep", "0.2", NULL));
      om_test_iterate_for (300);
      g_assert_cmpstr (f->said->str, ==, "");
      g_free (om_test_xdotool ("key", "Down", "sleep", "0.2", "key", "Return", "sleep", "0.2", NULL));
      om_test_iterate_for (300);
      g_assert_cmpstr (f->said->str, ==, first);
    }
}

/* Export as PDF writes the agenda shown: Bob's, grouped by opportunity */
static void
test_pdf (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "bob.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  om_agenda_view_set_owner (f->view, "Bob");
  om_agenda_view_set_by_opportunity (f->view, TRUE);
  g_assert_true (om_agenda_view_write_pdf (f->view, pdf, &error));
  g_assert_no_error (error);
  text = om_test_pdf_text (pdf, 0);
  g_assert_nonnull (strstr (text, "Agenda of Bob"));
  g_assert_nonnull (strstr (text, "Ward beds — City Hospital · 1 milestone"));
  g_assert_nonnull (strstr (text, "Demo booked"));
  g_assert_null (strstr (text, "Site visit agreed"));
  g_assert_nonnull (strstr (text, "Page 1 of 1"));
}

/* Every control has a name; at 800 pixels wide the filters and the
 * actions fit */
static void
test_names_and_width (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *drop = find_kind (GTK_WIDGET (f->view), GTK_TYPE_DROP_DOWN);
  const char *buttons[] = { "Export to _Calendar…", "Export as _PDF…", "P_rint…" };

  g_assert_cmpstr (om_accessible_get_tooltip (drop), ==, "Dates");
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = find_button (GTK_WIDGET (f->view), buttons[i]);

      g_assert_nonnull (button);
      g_assert_true (gtk_widget_get_mapped (button));
      g_assert_cmpint (gtk_widget_get_width (button), >, 0);
    }
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->view)), <=, 800);
  if (g_getenv ("OM_AGENDA_SCREENSHOT") != NULL)
    om_test_iterate_for (4000);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/agenda-view/by-salesperson", Fixture, NULL, set_up, test_by_salesperson, tear_down);
  g_test_add ("/agenda-view/by-opportunity", Fixture, NULL, set_up, test_by_opportunity, tear_down);
  g_test_add ("/agenda-view/windows", Fixture, NULL, set_up, test_windows, tear_down);
  g_test_add ("/agenda-view/owner-filter", Fixture, NULL, set_up, test_owner_filter, tear_down);
  g_test_add ("/agenda-view/empty", Fixture, NULL, set_up, test_empty, tear_down);
  g_test_add ("/agenda-view/activate", Fixture, NULL, set_up, test_activate, tear_down);
  g_test_add ("/agenda-view/pdf", Fixture, NULL, set_up, test_pdf, tear_down);
  g_test_add ("/agenda-view/names-and-width", Fixture, NULL, set_up, test_names_and_width, tear_down);

  return g_test_run ();
}
