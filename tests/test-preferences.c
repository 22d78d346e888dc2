/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "om-preferences.h"
#include "om-print-operation.h"
#include "om-summary.h"
#include "om-test-window.h"
#include "om-opportunity-view.h"

/*
 * Preferences (issue 11, item 7) as a user reaches them: from the
 * window, typed into their fields, and then in what the window does:
 * the summary says who prepared it, a new opportunity takes the default
 * currency, and a currency that is no code is refused with a reason.
 *
 * And Print against Export (item 6): the print operation's pages are
 * the pages of Export Summary as PDF and of --summary-pdf.
 */

typedef struct
{
  OmTestWindow w;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* the memory backend outlives a test: each starts from the defaults */
  for (const char * const *key = (const char * const[]) { "company-name", "contact-name", "contact-phone",
                                                          "contact-email", "default-currency", NULL };
       *key != NULL; key++)
    g_settings_reset (settings, *key);
  om_test_window_set_up (&f->w, "preferences", "2026-01-10");
  om_test_window_present (&f->w, -1, -1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  om_test_window_tear_down (&f->w);
}

/* Opens Preferences the way Ctrl+comma and the menu do */
static OmPreferences *
open_preferences (Fixture *f)
{
  GtkWindow *found = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->w.window), "win.preferences", NULL));
  om_test_flush_events ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (OM_IS_PREFERENCES (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = window;
    }
  g_assert_nonnull (found);
  g_assert_true (gtk_window_get_transient_for (found) == GTK_WINDOW (f->w.window));
  return OM_PREFERENCES (found);
}

/* The field labelled @label (its mnemonic label, as a user reads it) */
static GtkWidget *
field (GtkWidget  *root,
       const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), label) == 0)
        {
          g_assert_true (gtk_label_get_use_underline (GTK_LABEL (child)));
          g_assert_nonnull (gtk_label_get_mnemonic_widget (GTK_LABEL (child)));
          return gtk_label_get_mnemonic_widget (GTK_LABEL (child));
        }
      if ((found = field (child, label)) != NULL)
        return found;
    }
  return NULL;
}

static void
type_into (GtkWidget  *entry,
           const char *text)
{
  g_assert_nonnull (entry);
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_editable_insert_text (GTK_EDITABLE (entry), text, -1, &(int) { 0 });
  om_test_flush_events ();
}

static char *
summary_text (Fixture *f)
{
  OmOpportunity *opp = om_opportunity_view_get_opportunity (om_window_get_view (f->w.window));
  g_autofree char *pdf = g_build_filename (f->w.dir, "summary.pdf", NULL);
  g_auto(OmSummarySender) sender = { 0 };
  g_autoptr(GError) error = NULL;
  OmSummaryPage page;
  const char *argv[] = { "pdftotext", pdf, "-", NULL };

  g_assert_nonnull (opp);
  /* what Export Summary as PDF does */
  om_summary_sender_load (&sender);
  om_summary_page_init_default (&page);
  g_assert_true (om_summary_write_pdf (om_opportunity_get_data (opp), &sender, &page, pdf, &error));
  g_assert_no_error (error);
  return om_test_run (argv);
}

static void
test_company_on_summary (Fixture       *f,
                         gconstpointer  data)
{
  OmPreferences *prefs;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->w.window), "win.new-opportunity", NULL));
  om_test_flush_events ();
  before = summary_text (f);
  g_assert_null (strstr (before, "Prepared by"));

  prefs = open_preferences (f);
  type_into (field (GTK_WIDGET (prefs), "_Company name"), "Acme Sales GmbH");
  type_into (field (GTK_WIDGET (prefs), "_E-mail"), "jane@acme.example");
  gtk_window_close (GTK_WINDOW (prefs));
  om_test_flush_events ();

  after = summary_text (f);
  g_assert_nonnull (strstr (after, "Prepared by Acme Sales GmbH"));
  g_assert_nonnull (strstr (after, "E-mail: jane@acme.example"));
  /* an empty field prints no line */
  g_assert_null (strstr (after, "Phone:"));
}

static const char *
new_currency (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->w.window), "win.new-empty-opportunity", NULL));
  om_test_flush_events ();
  return om_opportunity_get_data (om_opportunity_view_get_opportunity (om_window_get_view (f->w.window)))->currency;
}

static void
test_default_currency (Fixture       *f,
                       gconstpointer  data)
{
  OmPreferences *prefs = open_preferences (f);
  GtkWidget *currency = field (GTK_WIDGET (prefs), "Default c_urrency");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (currency)), ==, "EUR");
  type_into (currency, "CHF");
  gtk_window_close (GTK_WINDOW (prefs));
  om_test_flush_events ();
  g_assert_cmpstr (new_currency (f), ==, "CHF");
}

/* A code that is none is not kept, and the field says why */
static void
test_invalid_currency_refused (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  OmPreferences *prefs = open_preferences (f);
  GtkWidget *currency = field (GTK_WIDGET (prefs), "Default c_urrency");
  g_autofree char *kept = NULL;
  GtkWidget *message = NULL;

  type_into (currency, "USD");
  type_into (currency, "dollars");
  kept = g_settings_get_string (settings, "default-currency");
  g_assert_cmpstr (kept, ==, "USD");
  g_assert_true (gtk_widget_has_css_class (currency, "error"));
  /* the reason, shown beside the field */
  for (GtkWidget *w = gtk_widget_get_next_sibling (currency); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w) && gtk_widget_get_visible (w) && strstr (gtk_label_get_text (GTK_LABEL (w)), "dollars"))
      message = w;
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "not a currency code"));
  gtk_window_close (GTK_WINDOW (prefs));
  om_test_flush_events ();
  g_assert_cmpstr (new_currency (f), ==, "USD");
}

static guint
pdf_pages (const char *pdf)
{
  return om_test_pdf_n_pages (pdf, NULL);
}

/* Print (through the print operation's own export, the same pages a
 * printer gets) and Export Summary as PDF give the same pages for the
 * same paper: the print dialog's default margins are narrower */
static void
test_print_pages_as_export (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OmOpportunityData) plan = om_opportunity_data_new ("Print and export", "Client", om_test_date ("2026-01-05"));
  OmOpportunity *opp;  /* the repository's */
  g_autoptr(OmPrintOperation) operation = NULL;
  g_autofree char *printed = g_build_filename (f->w.dir, "printed.pdf", NULL);
  g_autofree char *exported = g_build_filename (f->w.dir, "exported.pdf", NULL);
  g_autoptr(GError) error = NULL;
  OmSummaryPage page;

  for (guint i = 1; i <= 26; i++)
    {
      g_autofree char *activity = g_strdup_printf ("Activity %u", i);
      g_autofree char *milestone = g_strdup_printf ("The client agrees to milestone %u of the plan", i);

      g_ptr_array_add (plan->stages, om_stage_data_new (activity, milestone));
    }
  opp = om_repository_create_opportunity (f->w.repository, plan, &error);
  g_assert_no_error (error);

  operation = om_print_operation_new (opp);
  gtk_print_operation_set_export_filename (GTK_PRINT_OPERATION (operation), printed);
  g_assert_cmpint (gtk_print_operation_run (GTK_PRINT_OPERATION (operation), GTK_PRINT_OPERATION_ACTION_EXPORT,
                                            NULL, &error), ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);

  om_summary_page_init_default (&page);
  g_assert_true (om_summary_write_pdf (om_opportunity_get_data (opp), NULL, &page, exported, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (pdf_pages (printed), >=, 2);
  g_assert_cmpuint (pdf_pages (printed), ==, pdf_pages (exported));
  /* the same text on each page, wrapped at the same words */
  for (guint p = 1; p <= pdf_pages (printed); p++)
    {
      g_autofree char *a = om_test_pdf_text (printed, p);
      g_autofree char *b = om_test_pdf_text (exported, p);

      g_assert_cmpstr (a, ==, b);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = g_dir_make_tmp ("oppmanager-test-config.XXXXXX", NULL);

  /* the print settings go to a scratch folder, set before GTK reads it */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/preferences/company-on-summary", test_company_on_summary);
  ADD ("/preferences/default-currency", test_default_currency);
  ADD ("/preferences/invalid-currency-refused", test_invalid_currency_refused);
  ADD ("/summary/print-pages-as-export", test_print_pages_as_export);
  return g_test_run ();
}
