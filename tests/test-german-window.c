/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "om-test-window.h"
#include "om-window.h"

/*
 * The window in German (issue 13): under a German locale, with the
 * catalogue built in the build tree, what the window says is German.
 */

typedef OmTestWindow Fixture;

static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

static void
test_window_in_german (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = NULL;
  OmOpportunity *opp;

  om_test_window_set_up (&f, "german", "2026-01-10");
  plan = om_template_data_instantiate (tpl, "Flottenerneuerung", "Nordic Ferries", om_test_date ("2026-01-05"));
  opp = om_repository_create_opportunity (f.repository, plan, &error);
  g_assert_no_error (error);
  f.id = om_opportunity_get_id (opp);
  om_test_window_present (&f, 1280, 800);
  g_assert_true (om_window_select_opportunity (f.window, f.id));
  om_test_iterate_for (500);

  /* the line of key figures, while the details are folded */
  g_assert_true (om_test_shows_label (GTK_WIDGET (f.window), "Nordic Ferries · "));
  g_assert_true (om_test_shows_label (GTK_WIDGET (f.window), " · Kette "));
  g_assert_true (om_test_shows_label (GTK_WIDGET (f.window), " · gewichtet "));
  g_assert_true (om_test_shows_label (GTK_WIDGET (f.window), " · Abschluss "));
  g_assert_false (om_test_shows_label (GTK_WIDGET (f.window), "chain"));

  /* the page's labels, the plan's headings, with the details shown */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.details-key", NULL));
  om_test_iterate_for (500);
  g_assert_true (shows_label (GTK_WIDGET (f.window), "Kunde"));
  g_assert_true (shows_label (GTK_WIDGET (f.window), "Abschlussdatum"));
  g_assert_true (shows_label (GTK_WIDGET (f.window), "Gewichteter Wert"));
  g_assert_false (shows_label (GTK_WIDGET (f.window), "Client"));
  g_assert_false (shows_label (GTK_WIDGET (f.window), "Close date"));
  /* the recommended process is German too */
  g_assert_cmpstr (om_stage_get_activity (om_opportunity_get_stage (opp, 0)), !=, "Initial appointment");
  om_test_window_tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  const char *catalogues = g_getenv ("OPPMANAGER_LOCALEDIR");

  gtk_test_init (&argc, &argv, NULL);
  /* after gtk_test_init(), which sets an English locale */
  g_setenv ("LANGUAGE", "de", TRUE);
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    g_error ("the locale de_DE.UTF-8 is not installed (build-aux/deps.sh installs it)");
  g_assert_nonnull (catalogues);
  bindtextdomain (GETTEXT_PACKAGE, catalogues);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/german/window", test_window_in_german);
  return g_test_run ();
}
