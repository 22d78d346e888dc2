/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

/*
 * The client-facing summary as the client gets it: written by the real
 * command line with no display, read back with pdftotext.
 */

static char *dir;
static char *db_option;

static char *
run (const char * const *argv,
     int                *status)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "OM_TODAY", "2026-02-01", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (process);
  return out;
}

static gint64
import (const char *json)
{
  g_autofree char *file = g_build_filename (dir, "in.json", NULL);
  g_autofree char *option = NULL;
  g_autofree char *out = NULL;
  int status;

  g_assert_true (g_file_set_contents (file, json, -1, NULL));
  option = g_strdup_printf ("--import=%s", file);
  {
    const char *argv[] = { g_getenv ("OPPMANAGER"), db_option, option, NULL };
    out = run (argv, &status);
  }
  g_assert_cmpint (status, ==, 0);
  return g_ascii_strtoll (out, NULL, 10);
}

static char *
summary (gint64 id,
         guint *n_pages)
{
  g_autofree char *pdf = g_build_filename (dir, "summary.pdf", NULL);
  g_autofree char *pdf_option = g_strdup_printf ("--summary-pdf=%s", pdf);
  g_autofree char *id_option = g_strdup_printf ("--opportunity=%" G_GINT64_FORMAT, id);
  g_autofree char *out = NULL;
  g_autofree char *info = NULL;
  const char *pages;
  int status;

  {
    const char *argv[] = { g_getenv ("OPPMANAGER"), db_option, pdf_option, id_option, NULL };
    out = run (argv, &status);
  }
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (status, ==, 0);

  {
    const char *argv[] = { "pdfinfo", pdf, NULL };
    info = run (argv, &status);
  }
  g_assert_cmpint (status, ==, 0);
  pages = strstr (info, "Pages:");
  g_assert_nonnull (pages);
  *n_pages = (guint) g_ascii_strtoull (pages + 6, NULL, 10);

  {
    const char *argv[] = { "pdffonts", pdf, NULL };
    g_autofree char *fonts = run (argv, &status);
    /* every font is embedded: the "emb" column says yes */
    g_assert_null (strstr (fonts, " no  "));
  }
  return g_steal_pointer (&pdf);
}

static char *
page_text (const char *pdf,
           guint       page)
{
  g_autofree char *first = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-f", first, "-l", first, pdf, "-", NULL };
  int status;
  char *text = run (argv, &status);

  g_assert_cmpint (status, ==, 0);
  return text;
}

static char *
all_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", pdf, "-", NULL };
  int status;
  char *text = run (argv, &status);

  g_assert_cmpint (status, ==, 0);
  return text;
}

static void
test_content (void)
{
  gint64 id = import ("{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                      "\"title\": \"Fleet renewal\", \"client\": \"Nordic Ferries\", \"coordinator\": \"Kari\","
                      "\"value\": \"1250000.00\", \"start_date\": \"2026-01-05\", \"notes\": \"MARKER-OPP-NOTE\","
                      "\"stages\": ["
                      "{\"activity\": \"Meet\", \"milestone\": \"Milestone Alpha\", \"probability\": 0.37,"
                      " \"status\": \"won\", \"decided_on\": \"2026-01-09\", \"notes\": \"MARKER-STAGE-NOTE\","
                      " \"client_description\": \"What you get first\"},"
                      "{\"activity\": \"Process\", \"milestone\": \"Milestone Bravo\", \"kind\": \"process-agreement\","
                      " \"probability\": 0.42, \"status\": \"lost\", \"decided_on\": \"2026-01-20\","
                      " \"lost_reason\": \"MARKER-LOST-REASON\"},"
                      "{\"activity\": \"Study\", \"milestone\": \"Milestone Charlie\", \"probability\": 0.3},"
                      "{\"activity\": \"Sign\", \"milestone\": \"Milestone Delta\", \"probability\": 0.9}]}]}");
  guint n_pages;
  g_autofree char *pdf = summary (id, &n_pages);
  g_autofree char *text = all_text (pdf);
  const char *markers[] = { "MARKER-OPP-NOTE", "MARKER-STAGE-NOTE", "MARKER-LOST-REASON", "%", "0.37", "37",
                            "1250000", "weakest", "Weakest", "overdue", "Overdue" };
  const char *milestones[] = { "Milestone Alpha", "Milestone Bravo", "Milestone Charlie", "Milestone Delta" };
  const char *table;
  const char *at;

  g_assert_nonnull (strstr (text, "Nordic Ferries"));
  g_assert_nonnull (strstr (text, "What you get first"));
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    if (strstr (text, markers[i]) != NULL)
      g_error ("the client's summary shows “%s”", markers[i]);

  /* in the table of steps, every milestone, in plan order */
  table = strstr (text, "The steps");
  g_assert_nonnull (table);
  at = table;
  for (guint i = 0; i < G_N_ELEMENTS (milestones); i++)
    {
      const char *found = strstr (at, milestones[i]);
      g_assert_nonnull (found);
      at = found;
    }
}

static void
test_long_plan (void)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                                          "\"title\": \"Long plan\", \"client\": \"Big Client\","
                                          "\"start_date\": \"2026-01-05\", \"stages\": [");
  g_autofree char *pdf = NULL;
  guint n_pages;
  gint64 id;

  for (guint i = 1; i <= 60; i++)
    g_string_append_printf (json, "%s{\"activity\": \"Activity%02u\", \"milestone\": \"Agreement%02u\","
                                  " \"owner\": \"Owner%02u\", \"duration_days\": %u,"
                                  " \"client_description\": \"Description%02u of this step, long enough to wrap"
                                  " onto a second line in its column of the table.\"}",
                            i > 1 ? "," : "", i, i, i, i % 5, i);
  g_string_append (json, "]}]}");
  id = import (json->str);
  pdf = summary (id, &n_pages);
  g_assert_cmpuint (n_pages, >=, 3);

  for (guint page = 1; page <= n_pages; page++)
    {
      g_autofree char *text = page_text (pdf, page);
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", page, n_pages);

      g_assert_nonnull (strstr (text, footer));
      g_assert_nonnull (strstr (text, "Big Client"));
    }

  /* no row is split: each step's cells and description share one page */
  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *activity = g_strdup_printf ("Activity%02u", i);
      g_autofree char *description = g_strdup_printf ("Description%02u", i);
      g_autofree char *owner = g_strdup_printf ("Owner%02u", i);
      gboolean found = FALSE;

      for (guint page = 1; page <= n_pages && !found; page++)
        {
          g_autofree char *text = page_text (pdf, page);
          const char *table = strstr (text, "No.");

          if (table == NULL || strstr (table, activity) == NULL)
            continue;
          found = TRUE;
          g_assert_nonnull (strstr (table, description));
          g_assert_nonnull (strstr (table, owner));
        }
      g_assert_true (found);
    }
}

static void
test_agreement_block (void)
{
  const char *pending_json =
    "{\"format\": \"oppmanager/1\", \"opportunities\": [{"
    "\"title\": \"Agree\", \"client\": \"Client Co\", \"start_date\": \"2026-01-05\", \"stages\": ["
    "{\"activity\": \"Meet\", \"milestone\": \"M1\"},"
    "{\"activity\": \"Process\", \"milestone\": \"M2\", \"kind\": \"process-agreement\"},"
    "{\"activity\": \"Sign\", \"milestone\": \"M3\"}]}]}";
  const char *won_json =
    "{\"format\": \"oppmanager/1\", \"opportunities\": [{"
    "\"title\": \"Agree\", \"client\": \"Client Co\", \"start_date\": \"2026-01-05\", \"stages\": ["
    "{\"activity\": \"Meet\", \"milestone\": \"M1\", \"status\": \"won\", \"decided_on\": \"2026-01-08\"},"
    "{\"activity\": \"Process\", \"milestone\": \"M2\", \"kind\": \"process-agreement\","
    " \"status\": \"won\", \"decided_on\": \"2026-01-15\"},"
    "{\"activity\": \"Sign\", \"milestone\": \"M3\"}]}]}";
  g_autofree char *pending_pdf = NULL;
  g_autofree char *pending_text = NULL;
  g_autofree char *won_text = NULL;
  guint n;

  pending_pdf = summary (import (pending_json), &n);
  pending_text = all_text (pending_pdf);
  g_assert_nonnull (strstr (pending_text, "Agreement to the process"));
  g_assert_nonnull (strstr (pending_text, "Signature"));

  {
    g_autofree char *won_pdf = summary (import (won_json), &n);
    won_text = all_text (won_pdf);
  }
  g_assert_null (strstr (won_text, "Agreement to the process"));
  g_assert_null (strstr (won_text, "Signature"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("om-test-summary-XXXXXX", NULL);
  db = g_build_filename (dir, "summary.db", NULL);
  db_option = g_strdup_printf ("--database=%s", db);

  g_test_add_func ("/summary/content", test_content);
  g_test_add_func ("/summary/long-plan", test_long_plan);
  g_test_add_func ("/summary/agreement-block", test_agreement_block);
  status = g_test_run ();

  {
    const char *names[] = { "summary.db", "summary.db-wal", "summary.db-shm", "summary.pdf", "in.json" };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *file = g_build_filename (dir, names[i], NULL);
        g_remove (file);
      }
    g_rmdir (dir);
  }
  g_free (dir);
  g_free (db_option);
  return status;
}
