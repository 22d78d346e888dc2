/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "om-json.h"
#include "om-pipeline-paint.h"
#include "om-pipeline-view.h"
#include "om-test-window.h"

/*
 * The pipeline view (issue 12, item 4) on a real database: the table
 * has the command line's --pipeline numbers, one currency at a time; a
 * click on a month's bar and Enter on its row say which month; the
 * chart and the table say in words what they show; an empty pipeline
 * says so; the table goes under the chart when the view is narrow.
 */

#define TITLE "om-test-pipeline"

/* Today is 2026-03-01. Open: EUR in March (two), April and June (May
 * has none), USD in March, JPY in April; a won and a lost one, left out */
static const char document[] =
  "{\"format\": \"oppmanager/2\", \"opportunities\": [\n"
  " {\"title\": \"Ferries\", \"client\": \"N\", \"value\": \"1000.00\", \"currency\": \"EUR\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"duration_days\": 10, \"probability\": 0.5}]},\n"
  " {\"title\": \"Cranes\", \"client\": \"P\", \"value\": \"2500.00\", \"currency\": \"EUR\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"duration_days\": 40, \"probability\": 0.8}]},\n"
  " {\"title\": \"Fair\", \"client\": \"F\", \"value\": \"99.99\", \"currency\": \"EUR\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"duration_days\": 100, \"probability\": 0.5}]},\n"
  " {\"title\": \"Docks\", \"client\": \"D\", \"value\": \"2500.50\", \"currency\": \"USD\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"duration_days\": 20, \"probability\": 0.6}]},\n"
  " {\"title\": \"Tokyo\", \"client\": \"K\", \"value\": \"3000000\", \"currency\": \"JPY\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"duration_days\": 45, \"probability\": 0.25}]},\n"
  " {\"title\": \"Won\", \"client\": \"C\", \"value\": \"10.00\", \"currency\": \"EUR\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"status\": \"won\", \"decided_on\": \"2026-03-05\"}]},\n"
  " {\"title\": \"Lost\", \"client\": \"C\", \"value\": \"50.00\", \"currency\": \"EUR\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"status\": \"lost\", \"decided_on\": \"2026-03-05\",\n"
  "   \"lost_reason\": \"Budget\"}, {\"activity\": \"B\", \"milestone\": \"N\", \"duration_days\": 5}]},\n"
  " {\"title\": \"Bridge\", \"client\": \"B\", \"value\": \"400.00\", \"currency\": \"EUR\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"duration_days\": 5, \"probability\": 1}]}\n"
  "]}\n";

/* Closed ones only */
static const char closed_document[] =
  "{\"format\": \"oppmanager/2\", \"opportunities\": [\n"
  " {\"title\": \"Won\", \"client\": \"C\", \"value\": \"10.00\", \"currency\": \"EUR\", \"start_date\": \"2026-03-01\",\n"
  "  \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"status\": \"won\", \"decided_on\": \"2026-03-05\"}]}\n"
  "]}\n";

typedef struct
{
  OmTestWindow    base;
  GtkWindow      *window;
  OmPipelineView *view;
  GString        *said;   /* "month-activated" as it was emitted */
} Fixture;

static void
month_activated_cb (OmPipelineView *view,
                    int             year,
                    int             month,
                    const char     *currency,
                    Fixture        *f)
{
  g_string_append_printf (f->said, "%04d-%02d %s;", year, month, currency);
}

static void
import (Fixture    *f,
        const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->base.dir, "pipeline.json", NULL);
  g_autoptr(GArray) ids = NULL;

  g_assert_true (g_file_set_contents (file, text, -1, &error));
  ids = om_json_import_file (f->base.repository, file, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
}

static void
show (Fixture *f,
      int      width)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (f->window, TITLE);
  gtk_window_set_default_size (f->window, width, 480);
  f->view = OM_PIPELINE_VIEW (om_pipeline_view_new ());
  g_signal_connect (f->view, "month-activated", G_CALLBACK (month_activated_cb), f);
  gtk_widget_set_valign (GTK_WIDGET (f->view), GTK_ALIGN_START);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  om_pipeline_view_set_repository (f->view, f->base.repository);
  gtk_window_present (f->window);
  om_test_wait_for_paint (GTK_WIDGET (f->window));
}

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  om_test_window_set_up (&f->base, "pipeline-view", "2026-03-01");
  f->said = g_string_new (NULL);
  import (f, data != NULL ? data : document);
  show (f, 1000);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_string_free (f->said, TRUE);
  om_test_window_tear_down (&f->base);
}

/* What the table's rows show, their labels' texts, a row a line with
 * tabs between the columns: what a screen reader reads */
static void
collect_labels (GtkWidget *widget,
                GString   *line)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        g_string_append_printf (line, "%s%s", line->len > 0 ? "\t" : "", gtk_label_get_text (GTK_LABEL (child)));
      else
        collect_labels (child, line);
    }
}

static char *
table_text (Fixture *f)
{
  GtkWidget *table = GTK_WIDGET (om_pipeline_view_get_table (f->view));
  GString *text = g_string_new (NULL);

  om_test_wait_for_paint (GTK_WIDGET (f->window));
  for (GtkWidget *list = gtk_widget_get_first_child (table); list; list = gtk_widget_get_next_sibling (list))
    {
      if (!GTK_IS_LIST_VIEW (list))
        continue;
      for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
        {
          g_autoptr(GString) line = g_string_new (NULL);

          if (!gtk_widget_get_child_visible (row))
            continue;
          collect_labels (row, line);
          if (line->len > 0)
            g_string_append_printf (text, "%s\n", line->str);
        }
    }
  return g_string_free (text, FALSE);
}

/* --pipeline on the same file, by another process */
static char *
cli_pipeline (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, "2026-03-01");
  g_autofree char *database = g_strconcat ("--database=", f->base.path, NULL);
  g_autoptr(GSubprocess) process = om_test_cli_spawn (launcher, database, "--pipeline", NULL);
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

/* The command line's lines of @currency, as the table writes them */
static char *
expected_table (const char *cli,
                const char *currency)
{
  g_auto(GStrv) lines = g_strsplit (cli, "\n", -1);
  GString *text = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      int year, month;
      gint64 value, weighted;
      g_autofree char *name = NULL, *value_text = NULL, *weighted_text = NULL;

      if (g_strv_length (fields) != 5 || strcmp (fields[0], currency) != 0)
        continue;
      g_assert_cmpint (sscanf (fields[1], "%d-%d", &year, &month), ==, 2);
      g_assert_true (om_money_parse (fields[3], &value));
      g_assert_true (om_money_parse (fields[4], &weighted));
      name = om_pipeline_month_name (year, month);
      value_text = om_money_format (value, currency);
      weighted_text = om_money_format (weighted, currency);
      g_string_append_printf (text, "%s\t%s\t%s\t%s\n", name, fields[2], value_text, weighted_text);
    }
  return g_string_free (text, FALSE);
}

/* The table has the command line's numbers, one currency at a time,
 * chosen in the drop-down; the chart a bar for each of its months */
static void
test_table_equals_cli (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *cli = cli_pipeline (f);
  GtkDropDown *currencies = om_pipeline_view_get_currencies (f->view);
  GListModel *codes = gtk_drop_down_get_model (currencies);
  const char *expected_codes[] = { "EUR", "JPY", "USD" };
  g_autofree char *eur = NULL;

  /* the fixed database, as --pipeline sees it */
  g_assert_cmpstr (cli, ==,
                   "EUR\t2026-03\t2\t1400.00\t900.00\n"
                   "USD\t2026-03\t1\t2500.50\t1500.30\n"
                   "EUR\t2026-04\t1\t2500.00\t2000.00\n"
                   "JPY\t2026-04\t1\t3000000.00\t750000.00\n"
                   "EUR\t2026-06\t1\t99.99\t50.00\n");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (currencies)));
  g_assert_cmpuint (g_list_model_get_n_items (codes), ==, G_N_ELEMENTS (expected_codes));
  for (guint i = 0; i < G_N_ELEMENTS (expected_codes); i++)
    {
      g_autofree char *table = NULL;
      g_autofree char *expected = expected_table (cli, expected_codes[i]);
      guint n_rows;

      g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (codes), i), ==, expected_codes[i]);
      gtk_drop_down_set_selected (currencies, i);
      table = table_text (f);
      g_assert_cmpstr (om_pipeline_view_get_currency (f->view), ==, expected_codes[i]);
      g_assert_cmpstr (table, ==, expected);
      /* a bar a row */
      n_rows = 0;
      for (const char *c = expected; *c; c++)
        n_rows += *c == '\n';
      g_assert_cmpuint (n_rows, >, 0);
      g_assert_cmpuint (om_pipeline_chart_get_n_bars (om_pipeline_view_get_chart (f->view)), ==, n_rows);
    }

  /* in words, as the locale writes them (gtk_test_init()'s is American
   * English): no month without opportunities */
  gtk_drop_down_set_selected (currencies, 0);
  eur = table_text (f);
  g_assert_cmpstr (eur, ==,
                   "March 2026\t2\tEUR\u00a01,400.00\tEUR\u00a0900.00\n"
                   "April 2026\t1\tEUR\u00a02,500.00\tEUR\u00a02,000.00\n"
                   "June 2026\t1\tEUR\u00a099.99\tEUR\u00a050.00\n");
}

/* The chart says what it shows, for the currency shown */
static void
test_words (Fixture       *f,
            gconstpointer  data)
{
  OmPipelineChart *chart = om_pipeline_view_get_chart (f->view);
  graphene_rect_t bounds;
  g_autofree char *tooltip = NULL;
  char *wrong;

  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "Pipeline in EUR by month of close date");
  g_assert_null (wrong);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                              "3 months from March 2026 to June 2026, 4 opportunities, "
                                              "value EUR\u00a03,999.99, weighted EUR\u00a02,950.00. Largest month: "
                                              "April 2026: 1 opportunity, value EUR\u00a02,500.00, weighted EUR\u00a02,000.00.");
  g_assert_null (wrong);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (om_pipeline_view_get_table (f->view)),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "Pipeline in EUR, month by month");
  g_assert_null (wrong);
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (om_pipeline_view_get_currencies (f->view)),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "Currency");
  g_assert_null (wrong);

  /* the tooltip of a bar: its month's numbers */
  g_assert_true (om_pipeline_chart_get_bar (chart, 0, NULL, NULL, &bounds));
  tooltip = om_pipeline_chart_describe_at (chart, bounds.origin.x + bounds.size.width / 2,
                                           bounds.origin.y + bounds.size.height / 2);
  g_assert_cmpstr (tooltip, ==, "March 2026: 2 opportunities, value EUR\u00a01,400.00, weighted EUR\u00a0900.00");

  /* another currency, other words */
  g_assert_true (om_pipeline_view_set_currency (f->view, "USD"));
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "Pipeline in USD by month of close date");
  g_assert_null (wrong);
  g_assert_false (om_pipeline_view_set_currency (f->view, "GBP"));
  g_assert_cmpstr (om_pipeline_view_get_currency (f->view), ==, "USD");
}

/* A click on a month's bar emits its month and currency and selects
 * its row; a click on a month with nothing emits nothing */
static void
test_click (Fixture       *f,
            gconstpointer  data)
{
  OmPipelineChart *chart = om_pipeline_view_get_chart (f->view);
  GtkSelectionModel *selection = gtk_column_view_get_model (om_pipeline_view_get_table (f->view));
  graphene_rect_t march, april, june;
  int year, month;

  g_assert_cmpuint (om_pipeline_chart_get_n_bars (chart), ==, 3);
  g_assert_true (om_pipeline_chart_get_bar (chart, 0, &year, &month, &march));
  g_assert_cmpint (month, ==, 3);
  g_assert_true (om_pipeline_chart_get_bar (chart, 1, &year, &month, &april));
  g_assert_cmpint (month, ==, 4);
  g_assert_true (om_pipeline_chart_get_bar (chart, 2, &year, &month, &june));
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (month, ==, 6);
  /* June's value is the smallest: the shortest bar; April's the tallest */
  g_assert_cmpfloat (june.size.height, <, march.size.height);
  g_assert_cmpfloat (march.size.height, <, april.size.height);

  g_assert_true (om_pipeline_chart_click_at (chart, april.origin.x + april.size.width / 2,
                                             april.origin.y + april.size.height / 2));
  g_assert_cmpstr (f->said->str, ==, "2026-04 EUR;");
  g_assert_true (gtk_selection_model_is_selected (selection, 1));

  /* May, between April and June: no opportunities, no bar, nothing said */
  g_string_truncate (f->said, 0);
  g_assert_cmpint (om_pipeline_chart_bar_at (chart, (april.origin.x + june.origin.x) / 2 + april.size.width / 2,
                                             april.origin.y + april.size.height - 2), ==, -1);
  g_assert_false (om_pipeline_chart_click_at (chart, (april.origin.x + june.origin.x) / 2 + april.size.width / 2,
                                              april.origin.y + april.size.height - 2));
  g_assert_cmpstr (f->said->str, ==, "");

  /* and a real click, where the X server is there to take one */
  if (om_test_can_drive_x ())
    {
      graphene_point_t out;
      double tx, ty;
      int win_x, win_y;
      g_autofree char *sx = NULL, *sy = NULL;

      om_test_window_get_position (TITLE, &win_x, &win_y);
      g_assert_true (gtk_widget_compute_point (GTK_WIDGET (chart), GTK_WIDGET (f->window),
                                               &GRAPHENE_POINT_INIT (june.origin.x + june.size.width / 2,
                                                                     june.origin.y + june.size.height - 1),
                                               &out));
      gtk_native_get_surface_transform (GTK_NATIVE (f->window), &tx, &ty);
      sx = g_strdup_printf ("%d", win_x + (int) (out.x + tx));
      sy = g_strdup_printf ("%d", win_y + (int) (out.y + ty));
      g_free (om_test_xdotool ("mousemove", "--sync", sx, sy, "sleep", "0.1", "click", "1", "sleep", "0.3", NULL));
      om_test_iterate_for (300);
      g_assert_cmpstr (f->said->str, ==, "2026-06 EUR;");
      g_assert_true (gtk_selection_model_is_selected (selection, 2));
    }
}

/* The keyboard: the table's rows, Enter on one emits its month */
static void
test_enter (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *pattern = g_strdup_printf ("^%s$", TITLE);

  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and xdotool (build-aux/test provides both)");
      return;
    }
  g_assert_true (om_pipeline_view_set_currency (f->view, "EUR"));
  g_free (om_test_xdotool ("search", "--sync", "--name", pattern, "windowraise", NULL));
  g_free (om_test_xdotool ("search", "--sync", "--name", pattern, "windowfocus", "--sync", NULL));
  om_test_iterate_for (300);
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (f->view)));
  om_test_iterate_for (100);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f->window)) ||
                 gtk_widget_is_ancestor (gtk_window_get_focus (f->window),
                                         GTK_WIDGET (om_pipeline_view_get_table (f->view))));

  g_free (om_test_xdotool ("key", "--delay", "80", "Home", "Down", "Down", "Return", NULL));
  om_test_iterate_for (300);
  g_assert_cmpstr (f->said->str, ==, "2026-06 EUR;");

  g_string_truncate (f->said, 0);
  g_free (om_test_xdotool ("key", "--delay", "80", "Up", "Return", NULL));
  om_test_iterate_for (300);
  g_assert_cmpstr (f->said->str, ==, "2026-04 EUR;");
}

/* Nothing open: it says so, with no chart, table or currency to choose;
 * a refresh after an open opportunity is added shows it, in the
 * currency chosen before while it still has some */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  GtkLabel *empty = om_pipeline_view_get_empty_label (f->view);
  g_autoptr(OmOpportunityData) plan = om_opportunity_data_new ("New", "Client", om_test_date ("2026-03-01"));
  g_autoptr(GError) error = NULL;
  OmStageData *stage = om_stage_data_new ("Talk", "Agreed");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (empty)));
  g_assert_cmpstr (gtk_label_get_text (empty), ==, "No open opportunities with a close date");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (om_pipeline_view_get_chart (f->view))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (om_pipeline_view_get_currencies (f->view))));
  g_assert_null (om_pipeline_view_get_currency (f->view));

  g_free (plan->currency);
  plan->currency = g_strdup ("USD");
  plan->value = 70000;
  stage->duration_days = 60;
  g_ptr_array_add (plan->stages, stage);
  g_assert_nonnull (om_repository_create_opportunity (f->base.repository, plan, &error));
  g_assert_no_error (error);

  /* not until asked */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (empty)));
  om_pipeline_view_refresh (f->view);
  om_test_wait_for_paint (GTK_WIDGET (f->window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (empty)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (om_pipeline_view_get_chart (f->view))));
  g_assert_cmpstr (om_pipeline_view_get_currency (f->view), ==, "USD");
  {
    g_autofree char *table = table_text (f);

    g_assert_cmpstr (table, ==, "April 2026\t1\tUSD\u00a0700.00\tUSD\u00a0350.00\n");
  }

  /* another currency comes first in the alphabet: the one chosen stays */
  import (f, document);
  om_pipeline_view_refresh (f->view);
  g_assert_cmpstr (om_pipeline_view_get_currency (f->view), ==, "USD");
  g_assert_cmpuint (gtk_drop_down_get_selected (om_pipeline_view_get_currencies (f->view)), ==, 2);

  /* no repository: nothing */
  om_pipeline_view_set_repository (f->view, NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (empty)));
  g_assert_null (om_pipeline_view_get_currency (f->view));
}

/* Wide, the table beside the chart; narrow (800 px and less), under it;
 * the chart compact, the table never narrower than its numbers */
static void
assert_layout (Fixture  *f,
               int       width,
               gboolean  beside)
{
  GtkWidget *chart = GTK_WIDGET (om_pipeline_view_get_chart (f->view));
  GtkWidget *table = GTK_WIDGET (om_pipeline_view_get_table (f->view));
  graphene_rect_t chart_box, table_box;
  int table_min;

  gtk_window_set_default_size (f->window, width, 480);
  om_test_iterate_for (300);
  om_test_wait_for_paint (GTK_WIDGET (f->window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->view)), <=, width);
  g_assert_cmpint (om_pipeline_view_get_beside (f->view), ==, beside);
  g_assert_true (gtk_widget_compute_bounds (chart, GTK_WIDGET (f->view), &chart_box));
  g_assert_true (gtk_widget_compute_bounds (table, GTK_WIDGET (f->view), &table_box));
  g_assert_cmpfloat (chart_box.size.height, ==, OM_PIPELINE_CHART_HEIGHT);
  g_assert_cmpfloat (chart_box.size.width, >=, OM_PIPELINE_CHART_MIN_WIDTH);
  gtk_widget_measure (table, GTK_ORIENTATION_HORIZONTAL, -1, &table_min, NULL, NULL, NULL);
  g_assert_cmpfloat (table_box.size.width, >=, table_min);
  if (beside)
    {
      g_assert_cmpfloat (chart_box.origin.x + chart_box.size.width, <=, table_box.origin.x);
      g_assert_cmpfloat (table_box.origin.x + table_box.size.width, <=, width);
    }
  else
    g_assert_cmpfloat (chart_box.origin.y + chart_box.size.height, <=, table_box.origin.y);
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  assert_layout (f, 1000, TRUE);
  assert_layout (f, 800, TRUE);
  assert_layout (f, 600, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  /* the accessible names are read back through GTK's test context */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/pipeline-view/table-equals-cli", Fixture, NULL, set_up, test_table_equals_cli, tear_down);
  g_test_add ("/pipeline-view/words", Fixture, NULL, set_up, test_words, tear_down);
  g_test_add ("/pipeline-view/click", Fixture, NULL, set_up, test_click, tear_down);
  g_test_add ("/pipeline-view/enter", Fixture, NULL, set_up, test_enter, tear_down);
  g_test_add ("/pipeline-view/empty", Fixture, closed_document, set_up, test_empty, tear_down);
  g_test_add ("/pipeline-view/narrow", Fixture, NULL, set_up, test_narrow, tear_down);

  return g_test_run ();
}
