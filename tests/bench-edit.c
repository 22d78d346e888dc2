/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "om-database.h"

/*
 * The "one edit committed" row of build-aux/bench (SPEC section 10):
 * times edits made through the app's own path (OmOpportunity, the
 * repository, its backend, one transaction each), then a raw SQLite
 * transaction writing the rows such an edit changes, on the same file.
 *
 *   bench-edit DATABASE OPPORTUNITY-ID N
 *
 * prints, for each kind of edit, the median seconds of N edits through
 * the app and of N raw transactions:
 *
 *   move APP RAW
 *   decide APP RAW
 *
 * A move swaps the last two stages (back and forth); a decision wins
 * the current stage, then reopens it. The raw transactions do the same
 * to the same rows and touch the opportunity's row, as every committed
 * edit must (its revision, SPEC R7). It runs the app's edits first and
 * the raw ones after, so the app never works on rows it did not write.
 */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *seconds)
{
  g_array_sort (seconds, compare_doubles);
  return g_array_index (seconds, double, seconds->len / 2);
}

static void
record (GArray *seconds,
        gint64  start)
{
  double elapsed = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  g_array_append_val (seconds, elapsed);
}

static void
check (gboolean      ok,
       const GError *error)
{
  if (!ok)
    {
      g_printerr ("bench-edit: %s\n", error ? error->message : "failed");
      exit (2);
    }
}

static void
check_sql (sqlite3    *db,
           int         rc,
           const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_printerr ("bench-edit: %s: %s\n", what, sqlite3_errmsg (db));
      exit (2);
    }
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  check_sql (db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), sql);
  return stmt;
}

static void
run (sqlite3_stmt *stmt)
{
  check_sql (sqlite3_db_handle (stmt), sqlite3_step (stmt), sqlite3_sql (stmt));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  check_sql (db, sqlite3_exec (db, sql, NULL, NULL, NULL), sql);
}

/* Through the app */

static void
app_edits (OmOpportunity *opp,
           guint          n,
           GArray        *moves,
           GArray        *decisions)
{
  guint n_stages = om_opportunity_get_n_stages (opp);
  GError *error = NULL;

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();

      check (om_opportunity_move_stage (opp, n_stages - 1, n_stages - 2, &error), error);
      record (moves, start);
    }
  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (i % 2 == 0)
        check (om_opportunity_win_stage (opp, (guint) om_opportunity_get_current_stage (opp), "bench", &error),
               error);
      else
        check (om_opportunity_reopen (opp, "bench", &error), error);
      record (decisions, start);
    }
}

/* Raw SQLite, on the rows those edits change */

static void
raw_edits (const char *path,
           gint64      id,
           guint       n,
           GArray     *moves,
           GArray     *decisions)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *last_two, *first_pending, *position, *status, *history, *touch;
  gint64 stage_ids[2] = { 0, 0 };
  int positions[2] = { 0, 0 };
  gint64 current = 0;
  int current_position = 0;
  g_autofree char *today = om_date_to_iso (om_date_today ());

  check_sql (db, sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), path);
  /* as the app's own connection */
  exec (db, "PRAGMA foreign_keys = ON");
  exec (db, "PRAGMA synchronous = FULL");
  sqlite3_busy_timeout (db, 5000);

  last_two = prepare (db, "SELECT id, position FROM stages WHERE opportunity_id = ?1 ORDER BY position DESC LIMIT 2");
  first_pending = prepare (db, "SELECT id, position FROM stages WHERE opportunity_id = ?1 AND status = 'pending'"
                               " ORDER BY position LIMIT 1");
  position = prepare (db, "UPDATE stages SET position = ?2 WHERE id = ?1");
  status = prepare (db, "UPDATE stages SET status = ?2, decided_on = ?3 WHERE id = ?1");
  history = prepare (db, "INSERT INTO history (opportunity_id, seq, stage_index, from_status, to_status, on_date, note)"
                         " SELECT ?1, coalesce (max (seq) + 1, 0), ?2, ?3, ?4, ?5, 'bench'"
                         " FROM history WHERE opportunity_id = ?1");
  touch = prepare (db, "UPDATE opportunities SET title = title WHERE id = ?1");

  sqlite3_bind_int64 (last_two, 1, id);
  for (guint i = 0; i < 2 && sqlite3_step (last_two) == SQLITE_ROW; i++)
    {
      stage_ids[i] = sqlite3_column_int64 (last_two, 0);
      positions[i] = sqlite3_column_int (last_two, 1);
    }
  sqlite3_reset (last_two);
  sqlite3_bind_int64 (first_pending, 1, id);
  if (sqlite3_step (first_pending) == SQLITE_ROW)
    {
      current = sqlite3_column_int64 (first_pending, 0);
      current_position = sqlite3_column_int (first_pending, 1);
    }
  sqlite3_reset (first_pending);
  if (stage_ids[1] == 0 || current == 0)
    {
      g_printerr ("bench-edit: opportunity %" G_GINT64_FORMAT " needs two stages, one pending\n", id);
      exit (2);
    }

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      /* positions are unique: one row steps aside while the other moves */
      const int steps[][2] = { { 0, -1 }, { 1, positions[0] }, { 0, positions[1] } };

      exec (db, "BEGIN IMMEDIATE");
      for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
        {
          sqlite3_bind_int64 (position, 1, stage_ids[steps[s][0]]);
          sqlite3_bind_int (position, 2, steps[s][1]);
          run (position);
        }
      sqlite3_bind_int64 (touch, 1, id);
      run (touch);
      exec (db, "COMMIT");
      record (moves, start);
      {
        int swap = positions[0];
        positions[0] = positions[1];
        positions[1] = swap;
      }
    }

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gboolean win = i % 2 == 0;

      exec (db, "BEGIN IMMEDIATE");
      sqlite3_bind_int64 (status, 1, current);
      sqlite3_bind_text (status, 2, win ? "won" : "pending", -1, SQLITE_STATIC);
      if (win)
        sqlite3_bind_text (status, 3, today, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (status, 3);
      run (status);
      sqlite3_bind_int64 (history, 1, id);
      sqlite3_bind_int (history, 2, current_position);
      sqlite3_bind_text (history, 3, win ? "pending" : "won", -1, SQLITE_STATIC);
      sqlite3_bind_text (history, 4, win ? "won" : "pending", -1, SQLITE_STATIC);
      sqlite3_bind_text (history, 5, today, -1, SQLITE_STATIC);
      run (history);
      sqlite3_bind_int64 (touch, 1, id);
      run (touch);
      exec (db, "COMMIT");
      record (decisions, start);
    }

  sqlite3_finalize (last_two);
  sqlite3_finalize (first_pending);
  sqlite3_finalize (position);
  sqlite3_finalize (status);
  sqlite3_finalize (history);
  sqlite3_finalize (touch);
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OmRepository) repository = NULL;
  g_autoptr(GArray) app_moves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app_decisions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) raw_moves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) raw_decisions = g_array_new (FALSE, FALSE, sizeof (double));
  GError *error = NULL;
  OmOpportunity *opp;
  gint64 id;
  guint n;

  if (argc != 4)
    {
      g_printerr ("usage: bench-edit DATABASE OPPORTUNITY-ID N\n");
      return 2;
    }
  id = g_ascii_strtoll (argv[2], NULL, 10);
  /* an even number leaves the plan as it was */
  n = MAX (2, (guint) g_ascii_strtoull (argv[3], NULL, 10) & ~1u);

  repository = om_database_open_repository (argv[1], &error);
  check (repository != NULL, error);
  opp = om_repository_find (repository, id);
  if (opp == NULL || om_opportunity_get_n_stages (opp) < 2)
    {
      g_printerr ("bench-edit: no opportunity %" G_GINT64_FORMAT " with two stages or more\n", id);
      return 2;
    }
  app_edits (opp, n, app_moves, app_decisions);
  g_clear_object (&repository);

  raw_edits (argv[1], id, n, raw_moves, raw_decisions);

  g_print ("move %.6f %.6f\n", median (app_moves), median (raw_moves));
  g_print ("decide %.6f %.6f\n", median (app_decisions), median (raw_decisions));
  return 0;
}
