/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "om-test-support.h"

/*
 * The client-facing summary as the client gets it: written by the real
 * command line with no display, read back with pdftotext.
 */

static char *dir;
static char *db_option;

/* When set, the child may write files of this many bytes at most: a full
 * disk that works as root */
static rlim_t file_size_limit;

/* When set, the child reads its preferences from this keyfile folder
 * (XDG_CONFIG_HOME): the memory backend is the child's own */
static char *config_home;

static GSubprocessLauncher *
launcher_new (void)
{
  GSubprocessLauncher *launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                            G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                                            "2026-02-01");

  if (file_size_limit > 0)
    om_test_launcher_restrict (launcher, file_size_limit, FALSE);
  if (config_home != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
    }
  return launcher;
}

static char *
run (const char * const *argv,
     int                *status)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

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
    const char *argv[] = { om_test_oppmanager (), db_option, option, NULL };
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
  int status;

  {
    const char *argv[] = { om_test_oppmanager (), db_option, pdf_option, id_option, NULL };
    out = run (argv, &status);
  }
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (status, ==, 0);

  *n_pages = om_test_pdf_n_pages (pdf, NULL);

  {
    const char *argv[] = { "pdffonts", pdf, NULL };
    g_autofree char *fonts = om_test_run (argv);
    /* every font is embedded: the "emb" column says yes */
    g_assert_null (strstr (fonts, " no  "));
  }
  return g_steal_pointer (&pdf);
}

static char *flat_text (const char *pdf);

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
  char *text = om_test_pdf_text (pdf, 0);
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

  /* in the table of steps, every milestone, in plan order (a cell's
   * text wraps in its column) */
  g_free (text);
  text = flat_text (pdf);
  table = strstr (text, "The steps");
  g_assert_nonnull (table);
  at = table;
  for (guint i = 0; i < G_N_ELEMENTS (milestones); i++)
    {
      const char *found = strstr (at, milestones[i]);
      g_assert_nonnull (found);
      at = found;
    }
  g_free (text);
}

/* The text of @pdf, each run of white space (no-break spaces too) one
 * space: a table cell's lines wrap */
static char *
flat_text (const char *pdf)
{
  g_autofree char *text = om_test_pdf_text (pdf, 0);
  g_autoptr(GRegex) space = g_regex_new ("[\\s\\x{a0}]+", 0, 0, NULL);

  return g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);
}

/* On 1 February 2026 (the launcher's today), a step that was due on 16
 * January and is still pending is not shown for that date: a new one is
 * to be agreed; the step after it is our proposal, the won one as it was */
static void
test_past_date_to_be_agreed (void)
{
  gint64 id = import ("{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                      "\"title\": \"Fleet renewal\", \"client\": \"Nordic Ferries\", \"start_date\": \"2026-01-05\","
                      "\"stages\": ["
                      "{\"activity\": \"Meet\", \"milestone\": \"Milestone Alpha\", \"duration_days\": 4,"
                      " \"status\": \"won\", \"decided_on\": \"2026-01-09\"},"
                      "{\"activity\": \"Process\", \"milestone\": \"Milestone Bravo\", \"duration_days\": 7},"
                      "{\"activity\": \"Sign\", \"milestone\": \"Milestone Charlie\", \"duration_days\": 30}]}]}");
  guint n_pages;
  g_autofree char *pdf = summary (id, &n_pages);
  g_autofree char *text = flat_text (pdf);
  g_autofree char *past = om_date_format (om_test_date ("2026-01-16"));
  g_autofree char *next = om_date_format (om_test_date ("2026-02-15"));
  g_autofree char *proposed = g_strdup_printf ("Proposed: %s", next);
  g_autofree char *won = om_date_format (om_test_date ("2026-01-09"));
  const char *table = strstr (text, "The steps");

  g_assert_nonnull (table);
  if (strstr (text, past) != NULL)
    g_error ("the client's summary shows the past date %s: %s", past, text);
  g_assert_nonnull (strstr (table, "To be agreed"));
  g_assert_nonnull (strstr (table, proposed));
  g_assert_nonnull (strstr (table, won));
  g_assert_null (strstr (text, "Planned"));
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
      g_autofree char *text = om_test_pdf_text (pdf, page);
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
          g_autofree char *text = om_test_pdf_text (pdf, page);
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

/* A client-facing description that is one 60,000-character word: Pango
 * wrapping it by word takes time that grows with the square of its
 * length (21 s here, 106 s for 100,000); wrapped by character it takes
 * a moment */
static void
test_long_word (void)
{
  g_autofree char *word = g_strnfill (60000, 'x');
  g_autofree char *json = g_strdup_printf ("{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                                           "\"title\": \"Long word\", \"client\": \"Client\","
                                           "\"start_date\": \"2026-01-05\", \"stages\": ["
                                           "{\"activity\": \"Step\", \"milestone\": \"Agreed\","
                                           " \"client_description\": \"%s\"}]}]}", word);
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize n = 0;
  guint n_pages;
  gint64 start;
  gint64 id;

  id = import (json);
  start = g_get_monotonic_time ();
  pdf = summary (id, &n_pages);
  g_test_message ("written in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  /* the word is printed, in lines of nothing but x (all of it:
   * test_row_longer_than_page()) */
  text = om_test_pdf_text (pdf, 0);
  lines = g_strsplit_set (text, "\n\f", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && strspn (lines[i], "x") == strlen (lines[i]))
      n += strlen (lines[i]);
  g_assert_cmpuint (n, >=, 1000);
}

/* Words of @pdf drawn over other words, found as
 * /work/shared/tools/pdf-text-check.py finds them: from pdftotext's
 * boxes, two words of a page whose boxes overlap by more than a fifth
 * of the smaller one */
typedef struct
{
  double x0, y0, x1, y1;
} Box;

static int
box_compare (gconstpointer a,
             gconstpointer b)
{
  const Box *x = a, *y = b;

  return (x->x0 > y->x0) - (x->x0 < y->x0);
}

static guint
count_overlaps (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-bbox", pdf, "-", NULL };
  g_autofree char *html = om_test_run (argv);
  g_auto(GStrv) pages = g_strsplit (html, "<page ", -1);
  g_autoptr(GRegex) word = g_regex_new ("<word xMin=\"([\\d.]+)\" yMin=\"([\\d.]+)\" xMax=\"([\\d.]+)\" "
                                        "yMax=\"([\\d.]+)\">", 0, 0, NULL);
  guint overlaps = 0;

  for (guint p = 1; pages[p] != NULL; p++)
    {
      g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (Box));
      g_autoptr(GMatchInfo) match = NULL;

      for (g_regex_match (word, pages[p], 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          Box box;
          double *v[] = { &box.x0, &box.y0, &box.x1, &box.y1 };

          for (guint i = 0; i < G_N_ELEMENTS (v); i++)
            {
              g_autofree char *number = g_match_info_fetch (match, i + 1);
              *v[i] = g_ascii_strtod (number, NULL);
            }
          g_array_append_val (boxes, box);
        }
      g_array_sort (boxes, box_compare);
      for (guint i = 0; i < boxes->len; i++)
        {
          const Box *a = &g_array_index (boxes, Box, i);

          for (guint j = i + 1; j < boxes->len; j++)
            {
              const Box *b = &g_array_index (boxes, Box, j);
              double ix, iy, small;

              if (b->x0 >= a->x1)
                break;
              ix = MIN (a->x1, b->x1) - MAX (a->x0, b->x0);
              iy = MIN (a->y1, b->y1) - MAX (a->y0, b->y0);
              if (ix <= 0.5 || iy <= 0.5)
                continue;
              small = MIN ((a->x1 - a->x0) * (a->y1 - a->y0), (b->x1 - b->x0) * (b->y1 - b->y0));
              if (small > 0 && ix * iy > 0.2 * small)
                overlaps++;
            }
        }
    }
  return overlaps;
}

/* Every page says "Page N of M", with its own N and the right M */
static void
assert_pages_numbered (const char *pdf,
                       guint       n_pages)
{
  for (guint page = 1; page <= n_pages; page++)
    {
      g_autofree char *text = om_test_pdf_text (pdf, page);
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", page, n_pages);

      if (strstr (text, footer) == NULL)
        g_error ("page %u does not say “%s”", page, footer);
    }
}

/* A step whose client description is longer than a page holds goes on
 * over the next pages: all of its 60,000 characters are printed, as
 * words or as one huge word, and the step after it too */
static void
test_row_longer_than_page (void)
{
  g_autoptr(GString) words = g_string_new (NULL);
  g_autofree char *word = g_strnfill (60000, 'x');
  g_autofree char *json = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) tokens = NULL;
  g_autofree guint *seen = NULL;
  guint n_words = 0;
  gsize n_x = 0;
  guint n_pages;

  /* distinct words, "w00000 w00001 ...", exactly 60,000 characters */
  while (words->len + 7 <= 60000)
    g_string_append_printf (words, "%sw%05u", words->len > 0 ? " " : "", n_words++);
  while (words->len < 60000)
    g_string_append_c (words, 'z');
  g_assert_cmpuint (words->len, ==, 60000);

  json = g_strdup_printf ("{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                          "\"title\": \"Long rows\", \"client\": \"Client\","
                          "\"start_date\": \"2026-01-05\", \"stages\": ["
                          "{\"activity\": \"Words\", \"milestone\": \"Agreed\", \"client_description\": \"%s\"},"
                          "{\"activity\": \"Word\", \"milestone\": \"Agreed\", \"client_description\": \"%s\"},"
                          "{\"activity\": \"Closing\", \"milestone\": \"Done\", \"client_description\": \"last\"}"
                          "]}]}", words->str, word);
  pdf = summary (import (json), &n_pages);
  text = om_test_pdf_text (pdf, 0);

  /* every word once; the huge word's x's all there, whatever its
   * lines end with */
  seen = g_new0 (guint, n_words);
  tokens = g_strsplit_set (text, " \n\f", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *t = tokens[i];

      if (t[0] == 'w' && strlen (t) >= 6 && strspn (t + 1, "0123456789") == 5)
        {
          guint n = (guint) g_ascii_strtoull (t + 1, NULL, 10);

          g_assert_cmpuint (n, <, n_words);
          seen[n]++;
        }
      else if (strlen (t) >= 2 && strspn (t, "x-") == strlen (t))
        for (const char *c = t; *c != '\0'; c++)
          n_x += *c == 'x';
    }
  for (guint n = 0; n < n_words; n++)
    if (seen[n] != 1)
      g_error ("word w%05u is printed %u times", n, seen[n]);
  g_assert_cmpuint (n_x, ==, 60000);
  g_assert_nonnull (strstr (text, "Closing"));
  g_assert_nonnull (strstr (text, "last"));

  assert_pages_numbered (pdf, n_pages);
  g_assert_cmpuint (count_overlaps (pdf), ==, 0);
}

/* A title and client name of 60,000 characters: printed whole in the
 * title block and the agreement sentence, cut to four lines in the
 * page's header, nothing drawn over anything */
static void
test_long_title_and_client (void)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) client = g_string_new (NULL);
  g_autofree char *json = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) tokens = NULL;
  guint n_title = 0, n_client = 0;
  guint title_words = 0, client_words = 0;
  guint n_pages;

  while (title->len + 7 <= 60000)
    g_string_append_printf (title, "%st%05u", title->len > 0 ? " " : "", n_title++);
  while (client->len + 7 <= 60000)
    g_string_append_printf (client, "%sc%05u", client->len > 0 ? " " : "", n_client++);

  json = g_strdup_printf ("{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                          "\"title\": \"%s\", \"client\": \"%s\","
                          "\"start_date\": \"2026-01-05\", \"stages\": ["
                          "{\"kind\": \"process-agreement\", \"activity\": \"Agree\", \"milestone\": \"Agreed\"}"
                          "]}]}", title->str, client->str);
  pdf = summary (import (json), &n_pages);
  text = om_test_pdf_text (pdf, 0);
  tokens = g_strsplit_set (text, " \n\f", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      title_words += tokens[i][0] == 't' && strlen (tokens[i]) == 6 && strspn (tokens[i] + 1, "0123456789") == 5;
      client_words += tokens[i][0] == 'c' && strlen (tokens[i]) == 6 && strspn (tokens[i] + 1, "0123456789") == 5;
    }
  /* the title once whole, the client twice ("Prepared for", the
   * agreement), and a few lines of each in every page's header (it
   * stops at four lines: the title block prints them whole) */
  g_assert_cmpuint (title_words, >=, n_title);
  g_assert_cmpuint (title_words, <=, n_title + 40 * n_pages);
  g_assert_cmpuint (client_words, >=, 2 * n_client);
  g_assert_cmpuint (client_words, <=, 2 * n_client + 40 * n_pages);
  g_assert_nonnull (strstr (text, "Signature"));

  assert_pages_numbered (pdf, n_pages);
  g_assert_cmpuint (count_overlaps (pdf), ==, 0);
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
  pending_text = om_test_pdf_text (pending_pdf, 0);
  g_assert_nonnull (strstr (pending_text, "Agreement to the process"));
  g_assert_nonnull (strstr (pending_text, "Signature"));

  {
    g_autofree char *won_pdf = summary (import (won_json), &n);
    won_text = om_test_pdf_text (won_pdf, 0);
  }
  g_assert_null (strstr (won_text, "Agreement to the process"));
  g_assert_null (strstr (won_text, "Signature"));
}

/* A plan of @n steps, each with a client description */
static gint64
import_plan (guint n)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                                          "\"title\": \"Long plan\", \"client\": \"Big Client\","
                                          "\"start_date\": \"2026-01-05\", \"stages\": [");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (json, "%s{\"activity\": \"Activity%04u\", \"milestone\": \"Agreement%04u\","
                                  " \"owner\": \"Owner%04u\", \"duration_days\": %u,"
                                  " \"client_description\": \"Description%04u of this step, long enough to wrap"
                                  " onto a second line in its column of the table.\"}",
                            i > 1 ? "," : "", i, i, i, i % 5, i);
  g_string_append (json, "]}]}");
  return import (json->str);
}

static char *
summary_option (gint64 id)
{
  return g_strdup_printf ("--opportunity=%" G_GINT64_FORMAT, id);
}

/* The names in the test's folder, sorted, separated by spaces */
static char *
list_dir (void)
{
  /* what a killed process leaves of SQLite is its business */
  return om_test_list_dir (dir, "summary.db-");
}

/* Each step is on exactly one page, in plan order, under the table's
 * header, which every page the table continues on repeats. Drawing
 * a page from where pagination says it starts must give this. */
static void
test_pages_hold_every_step_once (void)
{
  guint n = 300;
  gint64 id = import_plan (n);
  guint n_pages;
  g_autofree char *pdf = summary (id, &n_pages);
  guint next = 1;

  g_assert_cmpuint (n_pages, >=, 10);
  for (guint page = 1; page <= n_pages; page++)
    {
      g_autofree char *text = om_test_pdf_text (pdf, page);
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", page, n_pages);
      /* the table, under its header (which wraps in its column) */
      const char *at = strstr (text, "Step and what we");

      g_assert_nonnull (strstr (text, footer));
      if (at == NULL)
        continue;
      while ((at = strstr (at, "Agreement")) != NULL)
        {
          guint step = (guint) g_ascii_strtoull (at + 9, NULL, 10);

          at += 9;
          if (step == 0)
            continue;  /* "Agreement to the process" */
          g_assert_cmpuint (step, ==, next);
          next++;
        }
    }
  g_assert_cmpuint (next, ==, n + 1);
}

/* The "No." column is as wide as the plan's largest step number needs:
 * a four-digit number is one word, not "100" over "0" */
static void
test_numbers_stay_whole (void)
{
  guint n = 1200;
  gint64 id = import_plan (n);
  guint n_pages;
  g_autofree char *pdf = summary (id, &n_pages);
  g_autofree char *text = om_test_pdf_text (pdf, 0);
  g_auto(GStrv) words = g_strsplit_set (text, " \n\f\t", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; words[i] != NULL; i++)
    g_hash_table_add (seen, words[i]);
  for (guint step = 1000; step <= n; step++)
    {
      g_autofree char *number = g_strdup_printf ("%u", step);

      if (!g_hash_table_contains (seen, number))
        g_error ("step %u's number is not one word in the summary", step);
    }
}

/* SPEC 8: through a symlink, private when new */
static void
test_write_through_symlink (void)
{
  gint64 id = import_plan (3);
  g_autofree char *real = g_build_filename (dir, "real.pdf", NULL);
  g_autofree char *link = g_build_filename (dir, "link.pdf", NULL);
  g_autofree char *pdf_option = g_strdup_printf ("--summary-pdf=%s", link);
  g_autofree char *id_option = summary_option (id);
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;
  int status;

  g_assert_cmpint (symlink ("real.pdf", link), ==, 0);
  {
    const char *argv[] = { om_test_oppmanager (), db_option, pdf_option, id_option, NULL };
    out = run (argv, &status);
  }
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (real, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_remove (link);
  g_remove (real);
}

/* A summary that fails half-way (the disk is full) keeps the old file and
 * leaves nothing beside it */
static void
test_failure_keeps_old (void)
{
  gint64 id = import_plan (300);
  g_autofree char *target = g_build_filename (dir, "old.pdf", NULL);
  g_autofree char *pdf_option = g_strdup_printf ("--summary-pdf=%s", target);
  g_autofree char *id_option = summary_option (id);
  g_autofree char *out = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *contents = NULL;
  int status;

  g_assert_true (g_file_set_contents (target, "the old summary", -1, NULL));
  before = list_dir ();

  /* room for SQLite's shared memory, not for the summary */
  file_size_limit = 40000;
  {
    const char *argv[] = { om_test_oppmanager (), db_option, pdf_option, id_option, NULL };
    out = run (argv, &status);
  }
  file_size_limit = 0;

  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_str_has_prefix (out, "oppmanager: "));
  g_assert_nonnull (strstr (out, "old.pdf"));
  g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the old summary");
  after = list_dir ();
  g_assert_cmpstr (after, ==, before);
  g_remove (target);
}

/* Whether process @pid has a file open in the test's folder other than
 * the database: the summary being written */
static gboolean
writing_in_dir (const char *pid)
{
  g_autofree char *fds = g_build_filename ("/proc", pid, "fd", NULL);
  g_autoptr(GDir) d = g_dir_open (fds, 0, NULL);
  g_autofree char *prefix = g_strconcat (dir, "/", NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *fd = g_build_filename (fds, name, NULL);
      g_autofree char *target = g_file_read_link (fd, NULL);

      if (target != NULL && g_str_has_prefix (target, prefix) && strstr (target, "summary.db") == NULL)
        return TRUE;
    }
  return FALSE;
}

/* Killed while the PDF is being written: the old file stays whole, and
 * no partial file is left */
static void
test_interrupted_keeps_old (void)
{
  gint64 id = import_plan (2000);
  g_autofree char *target = g_build_filename (dir, "old.pdf", NULL);
  g_autofree char *pdf_option = g_strdup_printf ("--summary-pdf=%s", target);
  g_autofree char *id_option = summary_option (id);
  g_autoptr(GSubprocessLauncher) launcher = launcher_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *contents = NULL;
  gboolean caught = FALSE;

  g_assert_true (g_file_set_contents (target, "the old summary", -1, NULL));
  before = list_dir ();

  {
    const char *argv[] = { om_test_oppmanager (), db_option, pdf_option, id_option, NULL };
    process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  }
  g_assert_no_error (error);
  /* until it has the new file open, then not a moment longer */
  for (guint i = 0; i < 60000 && !caught; i++)
    {
      const char *pid = g_subprocess_get_identifier (process);

      if (pid == NULL)
        break;
      caught = writing_in_dir (pid);
      if (!caught)
        g_usleep (500);
    }
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (caught);
  g_assert_true (g_subprocess_get_if_signaled (process));

  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the old summary");
  after = list_dir ();
  g_assert_cmpstr (after, ==, before);
  g_remove (target);
}


/* The y of the page header's rule on @page: the first line of half a
 * point that the page draws (pdftocairo's SVG keeps cairo's paths) */
static double
header_rule_y (const char *pdf,
               guint       page)
{
  g_autofree char *svg = g_build_filename (dir, "page.svg", NULL);
  g_autofree char *number = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftocairo", "-svg", "-f", number, "-l", number, pdf, svg, NULL };
  g_autofree char *out = om_test_run (argv);
  g_autofree char *text = NULL;
  g_autoptr(GRegex) rule = g_regex_new ("stroke-width:0.5;[^>]*d=\"M [\\d.]+ ([\\d.]+) L [\\d.]+ ([\\d.]+) \"[^>]*"
                                        "matrix\\(([\\d.]+),0,0,([\\d.]+),([\\d.-]+),([\\d.-]+)\\)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *y = NULL, *scale = NULL, *dy = NULL;

  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_true (g_regex_match (rule, text, 0, &match));
  y = g_match_info_fetch (match, 1);
  scale = g_match_info_fetch (match, 4);
  dy = g_match_info_fetch (match, 6);
  return g_ascii_strtod (y, NULL) * g_ascii_strtod (scale, NULL) + g_ascii_strtod (dy, NULL);
}

/* Issue 11: a 16-stage plan with 100-character milestones and a
 * 120-character client. Every milestone in full, no ellipsis anywhere,
 * the page header (title and client, wrapped) over its rule on every
 * page, nothing drawn over anything, and who prepared it from the
 * preferences, without the lines left empty */
static void
test_issue11_long_names (void)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *client = NULL;
  g_autofree char *settings_dir = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *bbox = NULL;
  g_autoptr(GRegex) word = g_regex_new ("<word xMin=\"[\\d.]+\" yMin=\"([\\d.]+)\" xMax=\"[\\d.]+\" "
                                        "yMax=\"([\\d.]+)\">([^<]*)</word>", 0, 0, NULL);
  g_auto(GStrv) pages = NULL;
  guint n_pages;

  config_home = g_build_filename (dir, "config", NULL);
  settings_dir = g_build_filename (config_home, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  {
    g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
    g_assert_true (g_file_set_contents (keyfile,
                                        "[com/example/OppManager]\n"
                                        "company-name='Acme Sales GmbH'\n"
                                        "contact-name='Jane Doe'\n"
                                        "contact-email='jane@acme.example'\n", -1, NULL));
  }

  client = g_strdup_printf ("%-116sZulu", "Worldwide Consolidated Manufacturing and Distribution Holdings of the Northern Hemisphere");
  for (char *c = client; *c != '\0'; c++)
    if (*c == ' ' && c > client + 89)
      *c = 'x';
  g_assert_cmpuint (strlen (client), ==, 120);
  g_string_append_printf (json, "{\"format\": \"oppmanager/2\", \"opportunities\": [{\"title\": \"Fleet renewal "
                          "for the whole northern network\", \"client\": \"%s\", \"start_date\": \"2026-01-05\","
                          " \"target_date\": \"2026-06-01\", \"stages\": [", client);
  for (guint i = 1; i <= 16; i++)
    {
      g_autofree char *milestone = g_strdup_printf ("M%02u the client agrees that this milestone is printed in full, "
                                                    "every word of it, to the last: A End%02u", i, i);

      g_assert_cmpuint (strlen (milestone), ==, 100);
      g_string_append_printf (json, "%s{\"activity\": \"Step %u\", \"milestone\": \"%s\"%s}", i > 1 ? "," : "", i,
                              milestone, i == 2 ? ", \"kind\": \"process-agreement\"" : "");
    }
  g_string_append (json, "]}]}");
  pdf = summary (import (json->str), &n_pages);
  g_clear_pointer (&config_home, g_free);

  raw = om_test_pdf_text (pdf, 0);
  flat = flat_text (pdf);
  g_assert_null (strstr (raw, "..."));
  g_assert_null (strstr (raw, "…"));
  for (guint i = 1; i <= 16; i++)
    {
      g_autofree char *milestone = g_strdup_printf ("M%02u the client agrees that this milestone is printed in full, "
                                                    "every word of it, to the last: A End%02u", i, i);
      if (strstr (flat, milestone) == NULL)
        g_error ("milestone %u is not printed in full", i);
    }
  g_assert_nonnull (strstr (flat, "Prepared by Acme Sales GmbH Jane Doe E-mail: jane@acme.example"));
  g_assert_null (strstr (flat, "Phone:"));
  assert_pages_numbered (pdf, n_pages);
  g_assert_cmpuint (count_overlaps (pdf), ==, 0);

  /* the header: the client's name to its last word above the rule,
   * and no word across it */
  {
    const char *argv[] = { "pdftotext", "-bbox", pdf, "-", NULL };
    bbox = om_test_run (argv);
  }
  pages = g_strsplit (bbox, "<page ", -1);
  for (guint p = 1; pages[p] != NULL; p++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      double rule = header_rule_y (pdf, p);
      gboolean last_word_above = FALSE;

      for (g_regex_match (word, pages[p], 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *y0 = g_match_info_fetch (match, 1);
          g_autofree char *y1 = g_match_info_fetch (match, 2);
          g_autofree char *w = g_match_info_fetch (match, 3);
          double top = g_ascii_strtod (y0, NULL), bottom = g_ascii_strtod (y1, NULL);

          if (top < rule && bottom > rule)
            g_error ("page %u: “%s” (%g to %g) crosses the header's rule at %g", p, w, top, bottom, rule);
          if (bottom <= rule && g_str_has_suffix (w, "Zulu"))
            last_word_above = TRUE;
        }
      if (!last_word_above)
        g_error ("page %u: the client's name is not whole above the header's rule", p);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = om_test_make_dir ("summary");
  db = g_build_filename (dir, "summary.db", NULL);
  db_option = g_strdup_printf ("--database=%s", db);

  g_test_add_func ("/summary/content", test_content);
  g_test_add_func ("/summary/issue11/long-names", test_issue11_long_names);
  g_test_add_func ("/summary/past-date-to-be-agreed", test_past_date_to_be_agreed);
  g_test_add_func ("/summary/long-plan", test_long_plan);
  g_test_add_func ("/summary/long-word", test_long_word);
  g_test_add_func ("/summary/agreement-block", test_agreement_block);
  g_test_add_func ("/summary/row-longer-than-page", test_row_longer_than_page);
  g_test_add_func ("/summary/long-title-and-client", test_long_title_and_client);
  g_test_add_func ("/summary/pages-hold-every-step-once", test_pages_hold_every_step_once);
  g_test_add_func ("/summary/numbers-stay-whole", test_numbers_stay_whole);
  g_test_add_func ("/summary/write-through-symlink", test_write_through_symlink);
  g_test_add_func ("/summary/failure-keeps-old", test_failure_keeps_old);
  g_test_add_func ("/summary/interrupted-keeps-old", test_interrupted_keeps_old);
  status = g_test_run ();

  om_test_remove_tree (dir);
  g_free (dir);
  g_free (db_option);
  return status;
}
