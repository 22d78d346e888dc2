/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "om-store.h"

/*
 * The "one edit committed" row of build-aux/bench (SPEC section 10):
 * times edits made through the app's own path (OmOpportunity, the
 * repository, its backend, one transaction each), then a raw SQLite
 * transaction writing the rows such an edit changes, on the same file.
 *
 *   bench-edit DATABASE OPPORTUNITY-ID N
 *
 * DATABASE is a SQLite file or a PostgreSQL server's location (SPEC 9,
 * as --database takes it); on a server the raw transactions are sent
 * with libpq on a connection of their own, made before the timing
 * starts, as the app's is.
 *
 * prints, for each kind of edit, the median seconds of N edits through
 * the app and of N raw transactions:
 *
 *   move APP RAW
 *   decide APP RAW
 *
 * A move swaps the last two stages (back and forth); a decision wins
 * the current stage, then reopens it. The raw transactions do the same
 * to the same rows and give the opportunity a new revision, checked
 * against the one it had, as every committed edit must (SPEC R7): from
 * the file's revision counter or the server's sequence, as the app
 * takes it. That is what a minimal client would write
 * for the same change, not the values the app derives and keeps beside
 * them. A decision moves the close date, so it also records that move
 * in the schedule history, as R6 asks of every edit that moves it (its
 * dates here are today's: the row costs the same). It runs the app's edits first and
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

/* The opportunity's new revision, checked against the one it had (R7),
 * as the app takes it: from the file's revision counter */
static void
touch (sqlite3_stmt *counter,
       sqlite3_stmt *revise,
       gint64        id,
       gint64       *revision)
{
  sqlite3 *db = sqlite3_db_handle (revise);

  run (counter);
  sqlite3_bind_int64 (revise, 1, id);
  sqlite3_bind_int64 (revise, 2, *revision);
  check_sql (db, sqlite3_step (revise), sqlite3_sql (revise));
  *revision = sqlite3_column_int64 (revise, 0);
  if (sqlite3_step (revise) != SQLITE_DONE || sqlite3_changes (db) != 1)
    {
      g_printerr ("bench-edit: opportunity %" G_GINT64_FORMAT " was changed meanwhile\n", id);
      exit (2);
    }
  sqlite3_reset (revise);
  sqlite3_clear_bindings (revise);
}

static void
raw_edits (const char *path,
           gint64      id,
           guint       n,
           GArray     *moves,
           GArray     *decisions)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *last_two, *first_pending, *position, *status, *history, *moved, *counter, *revise, *read_revision;
  gint64 stage_ids[2] = { 0, 0 };
  gint64 revision = 0;
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
  moved = prepare (db, "INSERT INTO schedule_history (opportunity_id, position, what, stage, from_date, to_date,"
                       " on_date, note) SELECT ?1, coalesce (max (position) + 1, 0), 'close-date', NULL, ?2, ?2, ?2,"
                       " 'bench' FROM schedule_history WHERE opportunity_id = ?1");
  counter = prepare (db, "UPDATE revision_counter SET last = last + 1");
  revise = prepare (db, "UPDATE opportunities SET revision = (SELECT last FROM revision_counter)"
                        " WHERE id = ?1 AND revision = ?2 RETURNING revision");
  read_revision = prepare (db, "SELECT revision FROM opportunities WHERE id = ?1");

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
  sqlite3_bind_int64 (read_revision, 1, id);
  if (sqlite3_step (read_revision) == SQLITE_ROW)
    revision = sqlite3_column_int64 (read_revision, 0);
  sqlite3_finalize (read_revision);
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
      touch (counter, revise, id, &revision);
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
      sqlite3_bind_int64 (moved, 1, id);
      sqlite3_bind_text (moved, 2, today, -1, SQLITE_STATIC);
      run (moved);
      touch (counter, revise, id, &revision);
      exec (db, "COMMIT");
      record (decisions, start);
    }

  sqlite3_finalize (last_two);
  sqlite3_finalize (first_pending);
  sqlite3_finalize (position);
  sqlite3_finalize (status);
  sqlite3_finalize (history);
  sqlite3_finalize (moved);
  sqlite3_finalize (counter);
  sqlite3_finalize (revise);
  sqlite3_close (db);
}

/* Raw libpq, on a server: the statements a minimal client sends */

static PGresult *
pg_run (PGconn            *conn,
        const char        *sql,
        int                n_params,
        const char *const *params)
{
  PGresult *result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      g_printerr ("bench-edit: %s: %s\n", sql, PQresultErrorMessage (result));
      exit (2);
    }
  return result;
}

static void
pg_exec (PGconn            *conn,
         const char        *sql,
         int                n_params,
         const char *const *params)
{
  PQclear (pg_run (conn, sql, n_params, params));
}

/* The opportunity's new revision, checked against the one it had (R7),
 * as the app takes it: from the server's sequence */
static void
pg_touch (PGconn     *conn,
          const char *id,
          char      **revision)
{
  const char *params[] = { id, *revision };
  PGresult *result = pg_run (conn,
                             "UPDATE opportunities SET revision = nextval ('om_revisions')"
                             " WHERE id = $1 AND revision = $2 RETURNING revision",
                             2, params);

  if (PQntuples (result) != 1)
    {
      g_printerr ("bench-edit: opportunity %s was changed meanwhile\n", id);
      exit (2);
    }
  g_free (*revision);
  *revision = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
}

static void
raw_edits_pg (const char *location,
              gint64      opportunity,
              guint       n,
              GArray     *moves,
              GArray     *decisions)
{
  PGconn *conn = PQconnectdb (location);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, opportunity);
  g_autofree char *today = om_date_to_iso (om_date_today ());
  g_autofree char *revision = NULL;
  char *stage_ids[2] = { NULL, NULL };
  char *positions[2] = { NULL, NULL };
  g_autofree char *current = NULL;
  g_autofree char *current_position = NULL;
  const char *one[] = { id };
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_printerr ("bench-edit: %s", PQerrorMessage (conn));
      exit (2);
    }

  result = pg_run (conn, "SELECT revision FROM opportunities WHERE id = $1", 1, one);
  if (PQntuples (result) == 1)
    revision = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  result = pg_run (conn, "SELECT id, position FROM stages WHERE opportunity_id = $1 ORDER BY position DESC LIMIT 2",
                   1, one);
  for (int i = 0; i < 2 && i < PQntuples (result); i++)
    {
      stage_ids[i] = g_strdup (PQgetvalue (result, i, 0));
      positions[i] = g_strdup (PQgetvalue (result, i, 1));
    }
  PQclear (result);
  result = pg_run (conn, "SELECT id, position FROM stages WHERE opportunity_id = $1 AND status = 'pending'"
                         " ORDER BY position LIMIT 1", 1, one);
  if (PQntuples (result) == 1)
    {
      current = g_strdup (PQgetvalue (result, 0, 0));
      current_position = g_strdup (PQgetvalue (result, 0, 1));
    }
  PQclear (result);
  if (revision == NULL || stage_ids[1] == NULL || current == NULL)
    {
      g_printerr ("bench-edit: opportunity %s needs two stages, one pending\n", id);
      exit (2);
    }

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      /* positions are unique: one row steps aside while the other moves */
      const char *steps[][2] = {
        { stage_ids[0], "-1" }, { stage_ids[1], positions[0] }, { stage_ids[0], positions[1] },
      };

      pg_exec (conn, "BEGIN", 0, NULL);
      for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
        pg_exec (conn, "UPDATE stages SET position = $2 WHERE id = $1", 2, steps[s]);
      pg_touch (conn, id, &revision);
      pg_exec (conn, "COMMIT", 0, NULL);
      record (moves, start);
      {
        char *swap = positions[0];
        positions[0] = positions[1];
        positions[1] = swap;
      }
    }

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gboolean win = i % 2 == 0;
      const char *status[] = { current, win ? "won" : "pending", win ? today : NULL };
      const char *history[] = { id, current_position, win ? "pending" : "won", win ? "won" : "pending", today };
      const char *moved[] = { id, today };

      pg_exec (conn, "BEGIN", 0, NULL);
      pg_exec (conn, "UPDATE stages SET status = $2, decided_on = $3 WHERE id = $1", 3, status);
      pg_exec (conn, "INSERT INTO history (opportunity_id, seq, stage_index, from_status, to_status, on_date, note)"
                     " SELECT $1, coalesce (max (seq) + 1, 0), $2, $3, $4, $5, 'bench'"
                     " FROM history WHERE opportunity_id = $1", 5, history);
      pg_exec (conn, "INSERT INTO schedule_history (opportunity_id, position, what, stage, from_date, to_date,"
                     " on_date, note) SELECT $1, coalesce (max (position) + 1, 0), 'close-date', NULL, $2, $2, $2,"
                     " 'bench' FROM schedule_history WHERE opportunity_id = $1", 2, moved);
      pg_touch (conn, id, &revision);
      pg_exec (conn, "COMMIT", 0, NULL);
      record (decisions, start);
    }

  for (guint i = 0; i < 2; i++)
    {
      g_free (stage_ids[i]);
      g_free (positions[i]);
    }
  PQfinish (conn);
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

  repository = om_store_open_repository (argv[1], &error);
  check (repository != NULL, error);
  opp = om_repository_find (repository, id);
  if (opp == NULL || om_opportunity_get_n_stages (opp) < 2)
    {
      g_printerr ("bench-edit: no opportunity %" G_GINT64_FORMAT " with two stages or more\n", id);
      return 2;
    }
  app_edits (opp, n, app_moves, app_decisions);
  g_clear_object (&repository);

  if (om_store_location_is_server (argv[1]))
    raw_edits_pg (argv[1], id, n, raw_moves, raw_decisions);
  else
    raw_edits (argv[1], id, n, raw_moves, raw_decisions);

  g_print ("move %.6f %.6f\n", median (app_moves), median (raw_moves));
  g_print ("decide %.6f %.6f\n", median (app_decisions), median (raw_decisions));
  return 0;
}
