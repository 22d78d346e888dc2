/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

#include "om-portfolio-view.h"
#include "om-test-window.h"
#include "om-window.h"

/*
 * The views across opportunities (issue 12), in the window on a real
 * database: switching views with the keys, the portfolio's filters by
 * salesperson and by overdue, and a row opened in the plan.
 */

typedef OmTestWindow Fixture;

typedef struct
{
  const char *title;
  const char *owner;
  int         won;       /* stages won, from the first; -1: lost */
} Sale;

/* today is 2026-03-01: Fleet renewal's second stage was due in February */
static const Sale sales[] = {
  { "Fleet renewal", "Ann Berg", 1 },
  { "Harbour cranes", "Bob Lund", 2 },
  { "Head office move", "Ann Berg", -1 },
  { "Ferry terminal", "Cleo Dahl", 0 },
};

static gint64 ids[G_N_ELEMENTS (sales)];

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  om_test_window_set_up (f, "views", "2026-03-01");
  for (guint k = 0; k < G_N_ELEMENTS (sales); k++)
    {
      g_autoptr(OmOpportunityData) plan = NULL;
      g_autoptr(GError) error = NULL;
      OmOpportunity *opp;
      /* Ferry terminal starts later: nothing of it is due yet */
      OmDate start = om_test_date (k == 3 ? "2026-02-25" : "2026-01-05");

      plan = om_opportunity_data_new (sales[k].title, "Nordic Ferries", start);
      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *activity = g_strdup_printf ("Step %u", i + 1);
          OmStageData *stage = om_stage_data_new (activity, "Client agrees");

          g_free (stage->owner);
          stage->owner = g_strdup (sales[k].owner);
          stage->duration_days = 14;
          g_ptr_array_add (plan->stages, stage);
        }
      for (int i = 0; i < sales[k].won; i++)
        g_assert_true (om_opportunity_data_win_stage (plan, (guint) i, start + 14 * (i + 1), NULL, NULL));
      if (sales[k].won < 0)
        g_assert_true (om_opportunity_data_lose_stage (plan, 0, start + 10, "Went elsewhere", NULL));
      opp = om_repository_create_opportunity (f->repository, plan, &error);
      g_assert_no_error (error);
      ids[k] = om_opportunity_get_id (opp);
    }
  f->id = ids[0];
  om_test_window_present (f, 1280, 800);
  gtk_window_set_title (GTK_WINDOW (f->window), "om-test-views");
  om_test_iterate_for (500);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  om_test_window_tear_down (f);
}

static OmPortfolioView *
portfolio (Fixture *f)
{
  return OM_PORTFOLIO_VIEW (om_window_get_portfolio (f->window));
}

/* The titles the portfolio shows, in order */
static char *
shown (Fixture *f)
{
  GListModel *list = om_portfolio_view_get_shown (portfolio (f));
  GString *titles = g_string_new (NULL);

  g_assert_nonnull (list);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (list, i);

      if (i > 0)
        g_string_append (titles, ", ");
      g_string_append (titles, om_opportunity_get_title (opp));
    }
  return g_string_free (titles, FALSE);
}

static void
press (const char *keys)
{
  g_free (om_test_xdotool ("key", "--clearmodifiers", keys, NULL));
  om_test_iterate_for (400);
}

/* Ctrl+1, Ctrl+2: the views, as the switcher shows them */
static void
test_switch_views (Fixture       *f,
                   gconstpointer  data)
{
  if (!om_test_window_take_keyboard (f, "om-test-views"))
    return;
  g_assert_cmpstr (om_window_get_view_name (f->window), ==, "plan");
  press ("ctrl+2");
  g_assert_cmpstr (om_window_get_view_name (f->window), ==, "portfolio");
  g_assert_true (gtk_widget_get_mapped (om_window_get_portfolio (f->window)));
  /* the plan's keys do not reach into another view: nothing to print */
  g_assert_false (gtk_widget_get_sensitive (om_test_find_action_button (GTK_WIDGET (f->window), "win.print")));
  press ("ctrl+3");
  g_assert_cmpstr (om_window_get_view_name (f->window), ==, "agenda");
  g_assert_true (gtk_widget_get_mapped (om_window_get_agenda (f->window)));
  press ("ctrl+1");
  g_assert_cmpstr (om_window_get_view_name (f->window), ==, "plan");
  g_assert_true (gtk_widget_get_sensitive (om_test_find_action_button (GTK_WIDGET (f->window), "win.print")));
  g_assert_false (gtk_widget_get_mapped (om_window_get_portfolio (f->window)));
}

/* Open ones by close date at first; by salesperson; overdue only */
static void
test_portfolio_filters (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *all = NULL;
  g_autofree char *ann = NULL;
  g_autofree char *overdue = NULL;
  g_autofree char *everyone = NULL;

  om_window_set_view_name (f->window, "portfolio");
  om_test_iterate_for (300);
  all = shown (f);
  /* the lost one is closed; the others by close date */
  g_assert_cmpstr (all, ==, "Fleet renewal, Harbour cranes, Ferry terminal");

  g_assert_true (om_portfolio_view_set_filter_name (portfolio (f), OM_NAME_OWNER, "Ann Berg"));
  om_test_iterate_for (200);
  ann = shown (f);
  g_assert_cmpstr (ann, ==, "Fleet renewal");

  g_assert_true (om_portfolio_view_set_filter_name (portfolio (f), OM_NAME_OWNER, NULL));
  om_portfolio_view_set_overdue_only (portfolio (f), TRUE);
  om_test_iterate_for (200);
  overdue = shown (f);
  /* Fleet renewal's second stage was due on 2 Feb, Harbour cranes'
   * third on 16 Feb; Ferry terminal's first is due on 11 March */
  g_assert_cmpstr (overdue, ==, "Fleet renewal, Harbour cranes");

  om_portfolio_view_set_overdue_only (portfolio (f), FALSE);
  om_portfolio_view_set_order (portfolio (f), OM_ORDER_CHAIN_PROBABILITY);
  om_test_iterate_for (200);
  everyone = shown (f);
  /* two stages left at 50 % each, then three, then four */
  g_assert_cmpstr (everyone, ==, "Harbour cranes, Fleet renewal, Ferry terminal");
  /* a month of close dates, as the pipeline's bars choose one */
  om_portfolio_view_set_close_window (portfolio (f), om_test_date ("2026-04-01"), om_test_date ("2026-04-30"));
  om_test_iterate_for (200);
  g_free (everyone);
  everyone = shown (f);
  g_assert_cmpstr (everyone, ==, "Ferry terminal");
  om_portfolio_view_set_close_window (portfolio (f), 0, 0);
  om_test_iterate_for (200);
  g_assert_cmpuint (g_list_model_get_n_items (om_portfolio_view_get_shown (portfolio (f))), ==, 3);
  /* a month of the pipeline, chosen there */
  g_signal_emit_by_name (om_portfolio_view_get_pipeline (portfolio (f)), "month-activated", 2026, 3, "EUR");
  om_test_iterate_for (200);
  g_free (everyone);
  everyone = shown (f);
  g_assert_cmpstr (everyone, ==, "Harbour cranes, Fleet renewal");
  om_portfolio_view_set_close_window (portfolio (f), 0, 0);
  /* a name nobody has is not offered */
  g_assert_false (om_portfolio_view_set_filter_name (portfolio (f), OM_NAME_OWNER, "Nobody"));
}

/* A row's chain says what it shows, and Enter on the row opens it in
 * the plan */
static void
test_portfolio_opens_plan (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *chain;
  GtkWidget *row;
  g_autofree char *said = NULL;

  if (!om_test_window_take_keyboard (f, "om-test-views"))
    return;
  om_window_set_view_name (f->window, "portfolio");
  om_test_iterate_for (500);
  chain = om_portfolio_view_get_row_widget (portfolio (f), 1);
  g_assert_nonnull (chain);
  said = gtk_test_accessible_check_property (GTK_ACCESSIBLE (chain), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                             "Harbour cranes for Nordic Ferries: Overdue · 2 of 4 won, "
                                             "closes 2 Mar 2026, EUR\u00a00.00 at 25 %");
  g_assert_null (said);

  /* the keyboard on the second row, as Tab and the arrows put it */
  row = gtk_widget_get_parent (chain);
  while (row != NULL && !gtk_widget_get_focusable (row))
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_grab_focus (row));
  om_test_iterate_for (200);
  press ("Return");
  g_assert_cmpstr (om_window_get_view_name (f->window), ==, "plan");
  g_assert_cmpint (om_opportunity_get_id (om_opportunity_view_get_opportunity (om_window_get_view (f->window))),
                   ==, ids[1]);
}

/* A milestone of the agenda opens its opportunity in the plan, on its
 * stage */
static void
test_agenda_opens_stage (Fixture       *f,
                         gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);

  om_window_set_view_name (f->window, "agenda");
  om_test_iterate_for (300);
  g_signal_emit_by_name (om_window_get_agenda (f->window), "stage-activated", ids[3], 1u);
  om_test_iterate_for (300);
  g_assert_cmpstr (om_window_get_view_name (f->window), ==, "plan");
  g_assert_cmpint (om_opportunity_get_id (om_opportunity_view_get_opportunity (view)), ==, ids[3]);
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = g_dir_make_tmp ("oppmanager-test-config.XXXXXX", NULL);
  int status;

  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  /* accessible properties kept where the test can read them */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/views/switch", test_switch_views);
  ADD ("/views/portfolio/filters", test_portfolio_filters);
  ADD ("/views/portfolio/opens-plan", test_portfolio_opens_plan);
  ADD ("/views/agenda/opens-stage", test_agenda_opens_stage);
#undef ADD

  status = g_test_run ();
  om_test_remove_tree (config);
  return status;
}
