/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "om-test-database.h"

/*
 * The command-line import of a large document, killed with SIGKILL at
 * random moments of its run (seeded by GTest: --seed replays a failure).
 * Whatever moment the kill comes, the file opens, holds what it held
 * before or all of the import, never part of it, and passes the checks.
 */

#define N_IMPORTED 2000
#define N_STAGES 6
#define N_KILLS 100
#define N_BEFORE 2

typedef struct
{
  char *dir;
  char *db;
  char *base;
  char *document;
} Fixture;

static char *
big_document (void)
{
  GString *json = g_string_new ("{\"format\": \"oppmanager/1\", \"opportunities\": [\n");

  for (guint i = 0; i < N_IMPORTED; i++)
    {
      g_string_append_printf (json,
                              "%s{\"title\": \"Imported %u\", \"client\": \"Client %u\", \"value\": \"%u.50\","
                              " \"start_date\": \"2026-01-05\", \"notes\": \"%s\", \"stages\": [",
                              i ? ",\n" : "", i, i % 97, 1000 + i, "Internal notes that take some room.");
      for (guint s = 0; s < N_STAGES; s++)
        g_string_append_printf (json,
                                "%s{\"activity\": \"Activity %u of %u\", \"milestone\": \"Milestone %u\","
                                " \"owner\": \"Owner %u\", \"probability\": 0.75, \"duration_days\": %u%s}",
                                s ? ", " : "", s + 1, i, s + 1, s % 3, 7 + s,
                                s == 0 ? ", \"status\": \"won\", \"decided_on\": \"2026-01-09\"" :
                                s == 1 ? ", \"status\": \"won\", \"decided_on\": \"2026-01-20\"" : "");
      g_string_append (json, "]}");
    }
  g_string_append (json, "\n]}\n");
  return g_string_free (json, FALSE);
}

static const char small_document[] =
  "{\"format\": \"oppmanager/1\", \"opportunities\": ["
  "{\"title\": \"Before 1\", \"client\": \"A\", \"start_date\": \"2026-01-01\", \"stages\": ["
  "{\"activity\": \"Meet\", \"milestone\": \"Agree to meet\"}]},"
  "{\"title\": \"Before 2\", \"client\": \"B\", \"start_date\": \"2026-01-02\", \"stages\": []}]}";

/* The command line, started with the arguments up to %NULL */
static GSubprocess *
spawn_valist (const char *first,
              va_list     args)
{
  g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                                      "2026-03-01");

  return om_test_cli_spawn_valist (launcher, first, args);
}

static GSubprocess *
spawn (const char *first,
       ...)
{
  GSubprocess *process;
  va_list args;

  va_start (args, first);
  process = spawn_valist (first, args);
  va_end (args);
  return process;
}

/* Runs the command to its end; returns its standard output */
static char *
run_ok (const char *first,
        ...)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list args;

  va_start (args, first);
  process = spawn_valist (first, args);
  va_end (args);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("oppmanager %s: %s", first, err);
  return out;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
  g_assert_cmpint (g_chmod (to, 0600), ==, 0);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *big = big_document ();
  g_autofree char *small = NULL;
  g_autofree char *db_option = NULL;
  g_autofree char *import_option = NULL;
  g_autofree char *out = NULL;

  f->dir = om_test_make_dir ("kill");
  f->db = g_build_filename (f->dir, "killed.db", NULL);
  f->base = g_build_filename (f->dir, "base.db", NULL);
  f->document = g_build_filename (f->dir, "big.json", NULL);
  g_assert_true (g_file_set_contents (f->document, big, -1, NULL));

  /* the database as it is before the import: a few opportunities */
  small = g_build_filename (f->dir, "small.json", NULL);
  g_assert_true (g_file_set_contents (small, small_document, -1, NULL));
  db_option = g_strdup_printf ("--database=%s", f->base);
  import_option = g_strdup_printf ("--import=%s", small);
  out = run_ok (db_option, import_option, NULL);
  g_assert_cmpstr (out, ==, "1\n2\n");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  om_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->base);
  g_free (f->document);
}

static void
restore_base (Fixture *f)
{
  om_test_database_remove (f->db);
  copy_file (f->base, f->db);
}

/* SQLite's own view of the file, through a connection that writes nothing */
static void
assert_sqlite_consistent (const char *path)
{
  g_autofree char *uri = g_strdup_printf ("file:%s?mode=ro", path);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/*
 * Opens the file as the application does (every opportunity validated
 * by the model) and checks the all-or-nothing invariant: the opportunities
 * from before, and either none of the import or all of it, each whole.
 * Returns whether the import is there.
 */
static gboolean
assert_all_or_nothing (Fixture *f)
{
  g_autoptr(GPtrArray) opportunities = om_test_database_load (f->db, NULL);
  g_autofree gboolean *seen = g_new0 (gboolean, N_IMPORTED);

  g_assert_true (opportunities->len == N_BEFORE || opportunities->len == N_BEFORE + N_IMPORTED);

  for (guint i = 0; i < opportunities->len; i++)
    {
      const OmOpportunityData *opp = g_ptr_array_index (opportunities, i);
      guint n;

      g_assert_true (om_opportunity_data_validate (opp, NULL));
      if (i < N_BEFORE)
        {
          g_autofree char *title = g_strdup_printf ("Before %u", i + 1);
          g_assert_cmpstr (opp->title, ==, title);
          continue;
        }
      g_assert_true (sscanf (opp->title, "Imported %u", &n) == 1 && n < N_IMPORTED);
      g_assert_false (seen[n]);
      seen[n] = TRUE;
      g_assert_cmpuint (opp->stages->len, ==, N_STAGES);
      g_assert_cmpuint (opp->history->len, ==, 2);
    }
  return opportunities->len == N_BEFORE + N_IMPORTED;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* The same invariant, read from --list: id, status, won/total,
 * probability, title */
static gboolean
assert_list_all_or_nothing (const char *list)
{
  g_auto(GStrv) lines = g_strsplit (list, "\n", -1);
  g_autofree gboolean *seen = g_new0 (gboolean, N_IMPORTED);
  guint n_lines = g_strv_length (lines) - 1;

  g_assert_cmpstr (lines[n_lines], ==, "");
  g_assert_true (n_lines == N_BEFORE || n_lines == N_BEFORE + N_IMPORTED);
  for (guint i = N_BEFORE; i < n_lines; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
      guint n;

      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      g_assert_cmpstr (fields[1], ==, "open");
      g_assert_cmpstr (fields[2], ==, "2/6");
      g_assert_true (sscanf (fields[4], "Imported %u", &n) == 1 && n < N_IMPORTED);
      g_assert_false (seen[n]);
      seen[n] = TRUE;
    }
  return n_lines > N_BEFORE;
}

static void
test_kill_import (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *db_option = g_strdup_printf ("--database=%s", f->db);
  g_autofree char *import_option = g_strdup_printf ("--import=%s", f->document);
  guint killed = 0, none = 0, all = 0;
  gint64 duration = G_MAXINT64;

  /* how long a whole import takes here: the kills are spread over it.
   * The quickest of three, as the others were slowed by someone else. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *out = NULL;
      gint64 start;

      restore_base (f);
      start = g_get_monotonic_time ();
      out = run_ok (db_option, import_option, NULL);
      duration = MIN (duration, g_get_monotonic_time () - start);
      g_assert_cmpuint (count_lines (out), ==, N_IMPORTED);
    }
  g_test_message ("a whole import takes %.3f s", duration / 1e6);
  g_assert_true (assert_all_or_nothing (f));

  for (guint i = 0; i < N_KILLS; i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *list = NULL;
      g_autofree char *check = NULL;
      /* past the end too, so that the last moments are hit: a run under
       * load (a shared CI machine) takes longer than the quickest of
       * three, and the moments after the commit (writing the ids,
       * closing the file) are short */
      gint64 delay = (gint64) g_test_rand_double_range (0, duration * 1.5);

      restore_base (f);
      process = spawn (db_option, import_option, NULL);
      g_usleep ((gulong) delay);
      g_subprocess_force_exit (process);
      g_assert_true (g_subprocess_wait (process, NULL, NULL));
      if (g_subprocess_get_if_signaled (process))
        killed++;
      else
        g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

      /* the command line opens it (every opportunity validated by the
       * model on the way) and lists all of the import or none */
      list = run_ok (db_option, "--list", NULL);
      if (assert_list_all_or_nothing (list))
        all++;
      else
        none++;
      assert_sqlite_consistent (f->db);

      /* now and then, the same through --check and the library itself */
      if (i % 10 == 0)
        {
          check = run_ok (db_option, "--check", "--opportunity=1", NULL);
          g_assert_true (assert_all_or_nothing (f) == (count_lines (list) > N_BEFORE));
        }
    }

  g_test_message ("%u kills: %u killed while running; %u left none of the import, %u all of it",
                  N_KILLS, killed, none, all);
  /* the kills did land during the import, before and after its commit */
  g_assert_cmpuint (killed, >=, N_KILLS / 3);
  g_assert_cmpuint (none, >, 0);
  g_assert_cmpuint (all, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kill/import", Fixture, NULL, fixture_set_up, test_kill_import, fixture_tear_down);

  return g_test_run ();
}
