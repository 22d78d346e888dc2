/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "om-database.h"
#include "om-write-plan.h"

/**
 * OmDatabase:
 *
 * The SQLite file that keeps the user's opportunities (SPEC section 8).
 * It is the model's backend: each edit arrives as a list of changes and
 * is written in one transaction, or not at all.
 *
 * A file is looked at read-only first. Anything that is not ours, is
 * damaged, or is newer than we understand is refused before a single
 * byte of it could be written.
 */
struct _OmDatabase
{
  GObject    parent_instance;

  char      *path;
  sqlite3   *db;
  int        schema_version;  /* of the file being read */
  GPtrArray *migrated;        /* while migrating: every opportunity, as read */
  GPtrArray *repaired;        /* borrowed: read from an earlier schema, to rewrite */
  char      *read_only;       /* why nothing can be saved, or NULL */
  char      *copy_dir;        /* a read-only file's private copy, read for the object's lifetime */

  sqlite3_stmt *summary_stmt;       /* get_summaries(), prepared once */
  sqlite3_stmt *data_version_stmt;  /* the watch's, prepared once */
  GSource      *watch;              /* while watching for other writers */
  gint64        data_version;       /* the last one the watch saw */
};

static void om_database_backend_init (OmBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmDatabase, om_database, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OM_TYPE_BACKEND, om_database_backend_init))

G_DEFINE_QUARK (om-store-error-quark, om_store_error)

/* "OppM": marks a file as ours */
#define APPLICATION_ID 0x4F70704D
#define BUSY_TIMEOUT_MS 5000

static const char schema_v1[] =
  "CREATE TABLE opportunities ("
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  client TEXT NOT NULL,"
  "  coordinator TEXT NOT NULL DEFAULT '',"
  "  value_minor INTEGER NOT NULL DEFAULT 0 CHECK (value_minor >= 0),"
  "  currency TEXT NOT NULL DEFAULT 'EUR',"
  "  start_date TEXT NOT NULL,"
  "  notes TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE stages ("
  "  id INTEGER PRIMARY KEY,"
  "  opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  activity TEXT NOT NULL,"
  "  milestone TEXT NOT NULL,"
  "  kind TEXT NOT NULL DEFAULT 'standard',"
  "  owner TEXT NOT NULL DEFAULT '',"
  "  duration_days INTEGER NOT NULL DEFAULT 7 CHECK (duration_days >= 0),"
  "  probability REAL NOT NULL DEFAULT 0.5 CHECK (probability BETWEEN 0 AND 1),"
  "  status TEXT NOT NULL DEFAULT 'pending',"
  "  decided_on TEXT,"
  "  lost_reason TEXT NOT NULL DEFAULT '',"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  UNIQUE (opportunity_id, position));"
  "CREATE TABLE history ("
  "  opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  stage_index INTEGER NOT NULL,"
  "  from_status TEXT NOT NULL,"
  "  to_status TEXT NOT NULL,"
  "  on_date TEXT NOT NULL,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (opportunity_id, seq));";

/* Schema 2: the client's side of a stage (who, and what we tell them),
 * and templates. */
static const char migrate_v1_to_v2[] =
  "ALTER TABLE stages ADD COLUMN client_owner TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE stages ADD COLUMN client_description TEXT NOT NULL DEFAULT '';"
  "CREATE TABLE templates ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL);"
  "CREATE TABLE template_stages ("
  "  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  activity TEXT NOT NULL,"
  "  milestone TEXT NOT NULL,"
  "  kind TEXT NOT NULL DEFAULT 'standard',"
  "  duration_days INTEGER NOT NULL DEFAULT 7,"
  "  probability REAL NOT NULL DEFAULT 0.5,"
  "  client_description TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (template_id, position));";

/* Schema 3: no table changes. The rules got stricter (decided dates go
 * forward, the history replays, only a lost stage has a lost reason),
 * and what earlier versions let into the file is repaired in the same
 * transaction (om_opportunity_data_repair(), called while the file is
 * inspected), so that an upgrade never turns a pipeline into a
 * "damaged" file. */
static const char migrate_v2_to_v3[] = "";

/* Schema 4: each opportunity's revision (R7), which every write names
 * and raises; what a file already holds starts at 1. A revision is the
 * number of the write that made it, counted over the whole file, so that
 * an opportunity removed and another created under its id never have a
 * revision the first had: a window still showing the first is refused. */
static const char migrate_v3_to_v4[] =
  "ALTER TABLE opportunities ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);"
  "CREATE TABLE revision_counter (last INTEGER NOT NULL);"
  "INSERT INTO revision_counter (last) VALUES (1);";

/* Schema 5: what a list shows of each opportunity, kept beside it so
 * that listing, searching, filtering and sorting read no stage (SPEC 8).
 * Every value is derived by the model (om_opportunity_summary_new()),
 * never here: every write sets them from it, and the migration from
 * what it read of each opportunity (set_up()). */
static const char migrate_v4_to_v5[] =
  "ALTER TABLE opportunities ADD COLUMN status INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN n_won INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN n_stages INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN chain_probability REAL NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN next_due TEXT;"
  "ALTER TABLE opportunities ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE opportunities ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  "CREATE INDEX opportunities_shown ON opportunities (sort_key, id);"
  "CREATE INDEX opportunities_status_shown ON opportunities (status, sort_key, id);";

/* Schema 6: opportunity ids are never given twice. SQLite gives the
 * highest id plus one, so the id of the newest opportunity came back
 * once it was removed, and a window still showing the removed one then
 * showed a stranger under its number (and --check --opportunity=ID
 * named another sale). The highest id ever given is kept here. */
static const char migrate_v5_to_v6[] =
  "CREATE TABLE id_counter (last INTEGER NOT NULL);"
  "INSERT INTO id_counter (last) SELECT coalesce (max (id), 0) FROM opportunities;";

/* Schema 7: the schedule (SPEC 2, R6). A stage's agreed date, which
 * pins it, and its due date in the plan of record (the baseline); the
 * client's target date; and the schedule history, kept in order like
 * the decision history. Dates are YYYY-MM-DD or NULL, as decided_on;
 * what a file already holds has none of them, as a plan that was never
 * agreed nor baselined, so the migration reads no row. */
static const char migrate_v6_to_v7[] =
  "ALTER TABLE stages ADD COLUMN agreed_date TEXT;"
  "ALTER TABLE stages ADD COLUMN baseline_due_date TEXT;"
  "ALTER TABLE opportunities ADD COLUMN target_date TEXT;"
  /* the warnings that depend on the plan alone, as the model counts
   * them (om_opportunity_data_get_lasting_health()); NULL until the
   * opportunity is next written */
  "ALTER TABLE opportunities ADD COLUMN health INTEGER;"
  "CREATE TABLE schedule_history ("
  "  opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  what TEXT NOT NULL,"
  "  stage INTEGER,"
  "  from_date TEXT,"
  "  to_date TEXT,"
  "  on_date TEXT NOT NULL,"
  "  note TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (opportunity_id, position));";

/* Schema 8: the views across opportunities (portfolio, agenda,
 * pipeline) and a search that covers the stages, all answered from
 * indexes (SPEC 8). Beside each opportunity, more of what the model
 * derives (close date, weighted value in minor units, the earliest due
 * date of a pending stage) and its client and coordinator folded, for
 * exact filters; beside each stage, its due date (the agenda), its
 * owner folded (the salesperson filter) and what a search finds in it.
 * The values are the model's, derived from what the migration read of
 * each opportunity (set_up()): SQL holds no copy of the chain's rule.
 * Search goes through FTS5 trigram indexes of the folded text (the
 * model folds it, so the tokenizer compares codepoints as they are):
 * a phrase of trigrams is a substring, as instr() was. */
static const char migrate_v7_to_v8[] =
  "ALTER TABLE opportunities ADD COLUMN close_date TEXT;"
  "ALTER TABLE opportunities ADD COLUMN weighted_minor INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN first_pending_due TEXT;"
  "ALTER TABLE opportunities ADD COLUMN client_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE opportunities ADD COLUMN coordinator_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE stages ADD COLUMN due_date TEXT;"
  "ALTER TABLE stages ADD COLUMN owner_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE stages ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  /* the portfolio's orders, each ending in id as the model's ties do;
   * "none last" as an indexed expression */
  "CREATE INDEX opportunities_by_close ON opportunities (close_date IS NULL, close_date, id);"
  "CREATE INDEX opportunities_by_next_due ON opportunities (next_due IS NULL, next_due, id);"
  "CREATE INDEX opportunities_by_value ON opportunities (value_minor DESC, id);"
  "CREATE INDEX opportunities_by_weighted ON opportunities (weighted_minor DESC, id);"
  "CREATE INDEX opportunities_by_chain ON opportunities (chain_probability DESC, id);"
  "CREATE INDEX opportunities_by_client ON opportunities (client_key);"
  "CREATE INDEX opportunities_by_coordinator ON opportunities (coordinator_key);"
  "CREATE INDEX opportunities_overdue ON opportunities (first_pending_due) WHERE status = 0;"
  "CREATE INDEX opportunities_pipeline ON opportunities (status, close_date, currency, value_minor, weighted_minor);"
  "CREATE INDEX stages_by_owner ON stages (owner_key, opportunity_id);"
  "CREATE INDEX stages_agenda ON stages (due_date, opportunity_id, position) WHERE status = 'pending';"
  "CREATE INDEX stages_agenda_by_owner ON stages (owner_key, due_date, opportunity_id, position)"
  "  WHERE status = 'pending';"
  "CREATE VIRTUAL TABLE opportunity_search USING fts5 (search_text, content = 'opportunities',"
  "  content_rowid = 'id', tokenize = 'trigram case_sensitive 1');"
  "CREATE VIRTUAL TABLE stage_search USING fts5 (search_text, content = 'stages',"
  "  content_rowid = 'id', tokenize = 'trigram case_sensitive 1');"
  /* the indexes follow the rows, whoever writes them */
  "CREATE TRIGGER opportunity_search_insert AFTER INSERT ON opportunities BEGIN"
  "  INSERT INTO opportunity_search (rowid, search_text) VALUES (new.id, new.search_text);"
  "END;"
  "CREATE TRIGGER opportunity_search_delete AFTER DELETE ON opportunities BEGIN"
  "  INSERT INTO opportunity_search (opportunity_search, rowid, search_text)"
  "  VALUES ('delete', old.id, old.search_text);"
  "END;"
  "CREATE TRIGGER opportunity_search_update AFTER UPDATE OF search_text ON opportunities"
  "  WHEN old.search_text IS NOT new.search_text BEGIN"
  "  INSERT INTO opportunity_search (opportunity_search, rowid, search_text)"
  "  VALUES ('delete', old.id, old.search_text);"
  "  INSERT INTO opportunity_search (rowid, search_text) VALUES (new.id, new.search_text);"
  "END;"
  "CREATE TRIGGER stage_search_insert AFTER INSERT ON stages BEGIN"
  "  INSERT INTO stage_search (rowid, search_text) VALUES (new.id, new.search_text);"
  "END;"
  "CREATE TRIGGER stage_search_delete AFTER DELETE ON stages BEGIN"
  "  INSERT INTO stage_search (stage_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
  "END;"
  "CREATE TRIGGER stage_search_update AFTER UPDATE OF search_text ON stages"
  "  WHEN old.search_text IS NOT new.search_text BEGIN"
  "  INSERT INTO stage_search (stage_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
  "  INSERT INTO stage_search (rowid, search_text) VALUES (new.id, new.search_text);"
  "END;"
  /* what the file holds: indexed as it is now, derived values after */
  "INSERT INTO opportunity_search (opportunity_search) VALUES ('rebuild');"
  "INSERT INTO stage_search (stage_search) VALUES ('rebuild');";

static const char *const migrations[] = {
  NULL,               /* to schema 1: schema_v1 itself */
  migrate_v1_to_v2,   /* 1 -> 2 */
  migrate_v2_to_v3,   /* 2 -> 3 */
  migrate_v3_to_v4,   /* 3 -> 4 */
  migrate_v4_to_v5,   /* 4 -> 5 */
  migrate_v5_to_v6,   /* 5 -> 6 */
  migrate_v6_to_v7,   /* 6 -> 7 */
  migrate_v7_to_v8,   /* 7 -> 8 */
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == OM_DATABASE_SCHEMA_VERSION);

/* Updating a file from a version below this one reads every
 * opportunity (to repair it, schema 3, and to derive what lists show,
 * schemas 5 and 8); from this one on, a migration is SQL alone, and
 * updating 100,000 opportunities takes a backup and a check, not a full
 * read. Schema 8 keeps values only the model derives (the chain's due
 * dates): deriving them in SQL would be a second copy of its rule. */
#define LAST_MIGRATION_READING_ROWS 8

static void remove_copy (char *copy_dir);

static void close_db (sqlite3 *db);

static void
om_database_finalize (GObject *object)
{
  OmDatabase *self = (OmDatabase *) object;

  if (self->watch != NULL)
    g_source_destroy (self->watch);
  g_clear_pointer (&self->watch, g_source_unref);
  g_clear_pointer (&self->summary_stmt, sqlite3_finalize);
  g_clear_pointer (&self->data_version_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, close_db);
  remove_copy (g_steal_pointer (&self->copy_dir));
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->migrated, g_ptr_array_unref);
  g_clear_pointer (&self->repaired, g_ptr_array_unref);
  g_clear_pointer (&self->read_only, g_free);

  G_OBJECT_CLASS (om_database_parent_class)->finalize (object);
}

static void
om_database_class_init (OmDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = om_database_finalize;
}

static void
om_database_init (OmDatabase *self)
{
}

/**
 * om_database_get_default_path:
 *
 * Returns: (transfer full): `oppmanager/opportunities.db` in the user's
 *   data directory
 */
char *
om_database_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "oppmanager", "opportunities.db", NULL);
}

const char *
om_database_get_path (OmDatabase *self)
{
  return self->path;
}

void
om_database_set_busy_timeout (OmDatabase *self,
                              guint       milliseconds)
{
  g_return_if_fail (OM_IS_DATABASE (self));

  if (self->db != NULL)
    sqlite3_busy_timeout (self->db, (int) milliseconds);
}

/**
 * om_database_get_read_only:
 *
 * Returns: (nullable): why nothing can be saved in this database (it
 *   was opened read-only), or %NULL when edits are saved
 */
const char *
om_database_get_read_only (OmDatabase *self)
{
  g_return_val_if_fail (OM_IS_DATABASE (self), NULL);

  return self->read_only;
}

/* Statements */

static gboolean
exec_sql (OmDatabase  *self,
          sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;

  g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE,
               _("Could not write to “%s”: %s"), self->path, message ? message : sqlite3_errmsg (db));
  sqlite3_free (message);
  return FALSE;
}

/*
 * Statements are kept between uses, one idle copy per SQL text and
 * connection: an edit runs the same few statements every time, and
 * parsing them again cost more than writing the rows. Used from the
 * main thread only, as every connection here.
 */
static GHashTable *kept_statements;   /* sqlite3 * → (SQL text → idle sqlite3_stmt *) */

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  GHashTable *idle = kept_statements != NULL ? g_hash_table_lookup (kept_statements, db) : NULL;
  sqlite3_stmt *stmt = idle != NULL ? g_hash_table_lookup (idle, sql) : NULL;

  if (stmt != NULL)
    {
      g_hash_table_steal (idle, sql);   /* in use until released */
      return stmt;
    }
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Done with a statement of prepare(): kept, reset, for the next time
 * the same SQL is asked for on its connection (one idle copy of each) */
static void
release (sqlite3_stmt *stmt)
{
  sqlite3 *db;
  GHashTable *idle;

  if (stmt == NULL)
    return;
  db = sqlite3_db_handle (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (kept_statements == NULL)
    kept_statements = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);
  idle = g_hash_table_lookup (kept_statements, db);
  if (idle == NULL)
    {
      idle = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
      g_hash_table_insert (kept_statements, db, idle);
    }
  if (g_hash_table_contains (idle, sqlite3_sql (stmt)))
    sqlite3_finalize (stmt);
  else
    g_hash_table_insert (idle, (gpointer) sqlite3_sql (stmt), stmt);
}

/* Closes a connection with the statements kept for it */
static void
close_db (sqlite3 *db)
{
  if (kept_statements != NULL)
    g_hash_table_remove (kept_statements, db);
  sqlite3_close_v2 (db);
}

static int
trace_cb (unsigned int  type,
          void         *context,
          void         *p,
          void         *x)
{
  char *sql = sqlite3_expanded_sql (p);

  g_log ("om-sql", G_LOG_LEVEL_DEBUG, "%s", sql ? sql : sqlite3_sql (p));
  sqlite3_free (sql);
  return 0;
}

/* With G_MESSAGES_DEBUG=om-sql, every statement @db runs is logged: what
 * a command reads can be seen (opening reads no stage, SPEC 8). Only
 * then: otherwise it costs nothing. */
static void
trace_statements (sqlite3 *db)
{
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "om-sql"))
    sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, trace_cb, NULL);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text ? text : "", -1, SQLITE_TRANSIENT);
}

static void
bind_date (sqlite3_stmt *stmt,
           int           index,
           OmDate        date)
{
  if (date == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, om_date_to_iso (date), -1, g_free);
}

/* A stage's values, at @index.. @index + 13: activity, milestone, kind,
 * owner, client_owner, duration_days, probability, status, decided_on,
 * lost_reason, client_description, notes, agreed_date, baseline_due_date */
static void
bind_stage_values (sqlite3_stmt      *stmt,
                   int                index,
                   const OmStageData *s)
{
  bind_text (stmt, index, s->activity);
  bind_text (stmt, index + 1, s->milestone);
  bind_text (stmt, index + 2, om_stage_kind_to_string (s->kind));
  bind_text (stmt, index + 3, s->owner);
  bind_text (stmt, index + 4, s->client_owner);
  sqlite3_bind_int (stmt, index + 5, (int) s->duration_days);
  sqlite3_bind_double (stmt, index + 6, s->probability);
  bind_text (stmt, index + 7, om_stage_status_to_string (s->status));
  bind_date (stmt, index + 8, s->decided_on);
  bind_text (stmt, index + 9, s->lost_reason);
  bind_text (stmt, index + 10, s->client_description);
  bind_text (stmt, index + 11, s->notes);
  bind_date (stmt, index + 12, s->agreed_on);
  bind_date (stmt, index + 13, s->baseline_due);
}

/* A stage's own values for the agenda, the owner filter and the search,
 * at @index.. @index + 2: due_date, owner_key, search_text */
static void
bind_stage_derived (sqlite3_stmt      *stmt,
                    int                index,
                    const OmStageData *s,
                    OmDate             due)
{
  bind_date (stmt, index, due);
  sqlite3_bind_text (stmt, index + 1, om_text_fold (s->owner), -1, g_free);
  sqlite3_bind_text (stmt, index + 2, om_stage_search_text (s), -1, g_free);
}

static gboolean
step_done (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE;
}

/* Runs @sql, a statement without parameters that this file runs often
 * (kept prepared, as prepare() keeps them): SQLITE_OK, or the error,
 * which sqlite3_extended_errcode() and sqlite3_errmsg() then tell as
 * after sqlite3_exec() */
static int
exec_kept (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  int rc;

  if (stmt == NULL)
    return sqlite3_errcode (db);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    rc = SQLITE_OK;
  sqlite3_reset (stmt);
  release (stmt);
  return rc;
}

static int
query_int (sqlite3    *db,
           const char *sql,
           gboolean   *ok)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  int value = 0;

  *ok = stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW;
  if (*ok)
    value = sqlite3_column_int (stmt, 0);
  release (stmt);
  return value;
}

/* 0 when there is no row */
static gint64
query_int64 (sqlite3    *db,
             const char *sql)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  gint64 value = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  release (stmt);
  return value;
}

/* Where a failure came from, when it was not the file's contents */
typedef enum
{
  PLACE_OK,
  PLACE_READ_ONLY,
  PLACE_DISK_FULL,
} PlaceFailure;

static PlaceFailure
place_failure_from_errno (int saved)
{
  switch (saved)
    {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return PLACE_DISK_FULL;
    case EROFS:
    case EACCES:
    case EPERM:
      return PLACE_READ_ONLY;
    default:
      return PLACE_OK;
    }
}

static PlaceFailure
place_failure_from_sqlite (sqlite3 *db,
                           int      rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return PLACE_DISK_FULL;
    case SQLITE_READONLY:
      return PLACE_READ_ONLY;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      /* e.g. a -shm that cannot grow on a full disk; the errno of
       * another kind of failure may be stale */
      return place_failure_from_errno (db ? sqlite3_system_errno (db) : 0);
    default:
      return PLACE_OK;
    }
}

/* Writing */

static gboolean
id_is_free (sqlite3    *db,
            const char *sql,
            gint64      id,
            gboolean   *ok)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  int rc;

  if (stmt == NULL)
    {
      *ok = FALSE;
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  release (stmt);
  *ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
  return rc == SQLITE_DONE;
}

/* A new opportunity's id, given in this transaction (R7): the id it had
 * before (an undone removal) while no other row has it, else one never
 * given before in this file (schema 6) */
static gboolean
bind_opportunity_id (sqlite3      *db,
                     sqlite3_stmt *stmt,
                     gint64        id)
{
  gboolean ok = TRUE;

  if (id != 0 && id_is_free (db, "SELECT 1 FROM opportunities WHERE id = ?1", id, &ok))
    {
      sqlite3_bind_int64 (stmt, 1, id);
      return TRUE;
    }
  if (!ok ||
      sqlite3_exec (db, "UPDATE id_counter SET last = max (last, (SELECT coalesce (max (id), 0) FROM opportunities)) + 1",
                    NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, query_int64 (db, "SELECT last FROM id_counter"));
  return TRUE;
}

/* The stages of @data at @indices that are not rows of opportunity
 * @data->id yet. Those that keep their ids go first, so that an id given
 * to a new stage is never one a kept stage is about to take back. */
static gboolean
insert_stages (sqlite3           *db,
               OmOpportunityData *data,
               GArray            *indices,
               const OmDate      *due)
{
  sqlite3_stmt *stage = prepare (db,
                                 "INSERT INTO stages (id, opportunity_id, position, activity, milestone, kind, owner,"
                                 " client_owner, duration_days, probability, status, decided_on, lost_reason,"
                                 " client_description, notes, agreed_date, baseline_due_date, due_date, owner_key,"
                                 " search_text)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                                 " ?16, ?17, ?18, ?19, ?20)");
  g_autofree gboolean *keeps = g_new0 (gboolean, data->stages->len + 1);
  gboolean ok = FALSE;

  if (stage == NULL)
    return FALSE;

  for (guint k = 0; k < indices->len; k++)
    {
      guint i = g_array_index (indices, guint, k);
      const OmStageData *s = g_ptr_array_index (data->stages, i);
      gboolean query_ok = TRUE;

      keeps[i] = s->id != 0 && id_is_free (db, "SELECT 1 FROM stages WHERE id = ?1", s->id, &query_ok);
      if (!query_ok)
        goto out;
    }

  for (guint pass = 0; pass < 2; pass++)
    for (guint k = 0; k < indices->len; k++)
      {
        guint i = g_array_index (indices, guint, k);
        const OmStageData *s = g_ptr_array_index (data->stages, i);
        gint64 id;

        if (keeps[i] != (pass == 0))
          continue;
        if (keeps[i])
          sqlite3_bind_int64 (stage, 1, s->id);
        else
          sqlite3_bind_null (stage, 1);
        sqlite3_bind_int64 (stage, 2, data->id);
        sqlite3_bind_int (stage, 3, (int) i);
        bind_stage_values (stage, 4, s);
        bind_stage_derived (stage, 18, s, due[i]);
        if (!step_done (stage))
          goto out;
        id = sqlite3_last_insert_rowid (db);
        if (s->id != id)
          om_opportunity_data_get_writable_stage (data, i)->id = id;
      }
  ok = TRUE;

out:
  release (stage);
  return ok;
}

/* History entries @from.. of @data */
static gboolean
insert_history (sqlite3                 *db,
                const OmOpportunityData *data,
                guint                    from)
{
  sqlite3_stmt *history = prepare (db,
                                   "INSERT INTO history (opportunity_id, seq, stage_index, from_status, to_status, on_date, note)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  gboolean ok = FALSE;

  if (history == NULL)
    return FALSE;
  for (guint i = from; i < data->history->len; i++)
    {
      const OmHistoryEntry *h = g_ptr_array_index (data->history, i);

      sqlite3_bind_int64 (history, 1, data->id);
      sqlite3_bind_int (history, 2, (int) i);
      sqlite3_bind_int (history, 3, (int) h->stage);
      bind_text (history, 4, om_stage_status_to_string (h->from));
      bind_text (history, 5, om_stage_status_to_string (h->to));
      bind_date (history, 6, h->on);
      bind_text (history, 7, h->note);
      if (!step_done (history))
        goto out;
    }
  ok = TRUE;

out:
  release (history);
  return ok;
}

/* Schedule history entries @from.. of @data */
static gboolean
insert_schedule (sqlite3                 *db,
                 const OmOpportunityData *data,
                 guint                    from)
{
  sqlite3_stmt *schedule = prepare (db,
                                    "INSERT INTO schedule_history (opportunity_id, position, what, stage, from_date,"
                                    " to_date, on_date, note)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  gboolean ok = FALSE;

  if (schedule == NULL)
    return FALSE;
  for (guint i = from; i < data->schedule->len; i++)
    {
      const OmScheduleEntry *e = g_ptr_array_index (data->schedule, i);

      sqlite3_bind_int64 (schedule, 1, data->id);
      sqlite3_bind_int (schedule, 2, (int) i);
      bind_text (schedule, 3, om_schedule_what_to_string (e->what));
      /* only an agreed date is about one stage */
      if (e->stage < 0)
        sqlite3_bind_null (schedule, 4);
      else
        sqlite3_bind_int (schedule, 4, e->stage);
      bind_date (schedule, 5, e->from);
      bind_date (schedule, 6, e->to);
      bind_date (schedule, 7, e->on);
      bind_text (schedule, 8, e->note);
      if (!step_done (schedule))
        goto out;
    }
  ok = TRUE;

out:
  release (schedule);
  return ok;
}

static gboolean
run_on_id (sqlite3    *db,
           const char *sql,
           gint64      id)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  ok = step_done (stmt);
  release (stmt);
  return ok;
}

static gboolean
run_on_ids (sqlite3    *db,
            const char *sql,
            gint64      first,
            gint64      second)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, second);
  ok = step_done (stmt);
  release (stmt);
  return ok;
}

/* An UPDATE that sets @always and those of @indexed ("column = ?N")
 * whose stored values differ from the new ones, as @changed says: a
 * bound SELECT of one row, with a truth value for each of @indexed (no
 * row: nothing of @indexed is set). %NULL on an error of the database. */
static char *
update_changed_sql (sqlite3_stmt      *changed,
                    const char        *always,
                    const char *const *indexed,
                    guint              n_indexed,
                    const char        *where)
{
  GString *sql = g_string_new (always);
  int rc = sqlite3_step (changed);

  for (guint k = 0; rc == SQLITE_ROW && k < n_indexed; k++)
    if (sqlite3_column_int (changed, (int) k) != 0)
      g_string_append_printf (sql, ", %s", indexed[k]);
  g_string_append_printf (sql, " %s", where);
  release (changed);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_string_free (sql, TRUE);
      return NULL;
    }
  return g_string_free (sql, FALSE);
}

/* A stage's row, at ?2.. ?17 (?1 is its id): its values, then its
 * owner's key and its search text */
static void
bind_stage (sqlite3_stmt      *stmt,
            const OmStageData *s)
{
  bind_stage_values (stmt, 2, s);
  sqlite3_bind_text (stmt, 16, om_text_fold (s->owner), -1, g_free);
  sqlite3_bind_text (stmt, 17, om_stage_search_text (s), -1, g_free);
}

/* The columns of a stage's row that its indexes read (the agenda's
 * are partial, on the status), set only when they change, as
 * INDEXED_COLUMNS are. The owner's key is set when the owner changes:
 * it is derived of the owner alone, so the SELECT compares the names
 * and folds nothing. */
static const char *const INDEXED_STAGE_COLUMNS[] = { "status = ?9", "owner_key = ?16" };

static gboolean
update_stage (sqlite3           *db,
              const OmStageData *s)
{
  sqlite3_stmt *changed = prepare (db, "SELECT status IS NOT ?2, owner IS NOT ?3 FROM stages WHERE id = ?1");
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (changed == NULL)
    return FALSE;
  sqlite3_bind_int64 (changed, 1, s->id);
  bind_text (changed, 2, om_stage_status_to_string (s->status));
  bind_text (changed, 3, s->owner);
  sql = update_changed_sql (changed,
                            "UPDATE stages SET activity = ?2, milestone = ?3, kind = ?4, owner = ?5,"
                            " client_owner = ?6, duration_days = ?7, probability = ?8,"
                            " decided_on = ?10, lost_reason = ?11, client_description = ?12, notes = ?13,"
                            " agreed_date = ?14, baseline_due_date = ?15, search_text = ?17",
                            INDEXED_STAGE_COLUMNS, G_N_ELEMENTS (INDEXED_STAGE_COLUMNS),
                            "WHERE id = ?1");
  stmt = sql != NULL ? prepare (db, sql) : NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, s->id);
  bind_stage (stmt, s);
  ok = step_done (stmt);
  release (stmt);
  return ok;
}

static gboolean
positions_are_indices (sqlite3                 *db,
                       const OmOpportunityData *before)
{
  /* @before is what is stored (its revision was just checked), so the
   * rows are its stages; positions are unique in an opportunity, so the
   * first and the last say whether they are 0..n-1, each read from the
   * index at once */
  sqlite3_stmt *stmt = prepare (db, "SELECT coalesce ((SELECT min (position) FROM stages WHERE opportunity_id = ?1), 0),"
                                    " coalesce ((SELECT max (position) FROM stages WHERE opportunity_id = ?1), -1)");
  gboolean ok = FALSE;
  gint64 n = before->stages->len;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ok = sqlite3_column_int64 (stmt, 0) == 0 && sqlite3_column_int64 (stmt, 1) == n - 1;
  release (stmt);
  return ok;
}

/* The values a list shows of @data, at @index.. @index + 6, as the
 * model derives them (@derived: what it derived already, or %NULL):
 * status, n_won, n_stages, chain_probability, next_due, sort_key,
 * search_text */
static void
bind_summary (sqlite3_stmt               *stmt,
              int                         index,
              const OmOpportunitySummary *summary)
{
  sqlite3_bind_int (stmt, index, (int) summary->status);
  sqlite3_bind_int64 (stmt, index + 1, summary->n_won);
  sqlite3_bind_int64 (stmt, index + 2, summary->n_stages);
  sqlite3_bind_double (stmt, index + 3, summary->chain_probability);
  bind_date (stmt, index + 4, summary->next_due);
  bind_text (stmt, index + 5, summary->sort_key);
  bind_text (stmt, index + 6, summary->search_text);
}

/* The values the views across opportunities filter and sort on (schema
 * 8), at @index.. @index + 4: close_date, weighted_minor,
 * first_pending_due, client_key, coordinator_key */
static void
bind_across (sqlite3_stmt               *stmt,
             int                         index,
             const OmOpportunitySummary *summary)
{
  bind_date (stmt, index, summary->close_date);
  sqlite3_bind_int64 (stmt, index + 1, summary->weighted_value);
  bind_date (stmt, index + 2, summary->first_pending_due);
  sqlite3_bind_text (stmt, index + 3, om_text_fold (summary->client), -1, g_free);
  sqlite3_bind_text (stmt, index + 4, om_text_fold (summary->coordinator), -1, g_free);
}

/* Sets the values a list shows of @data, and those its stages keep,
 * stored as it is (a migration) */
static gboolean
write_summary (sqlite3                 *db,
               const OmOpportunityData *data)
{
  sqlite3_stmt *stmt = prepare (db,
                                "UPDATE opportunities SET status = ?2, n_won = ?3, n_stages = ?4,"
                                " chain_probability = ?5, next_due = ?6, sort_key = ?7, search_text = ?8,"
                                " health = ?9, close_date = ?10, weighted_minor = ?11, first_pending_due = ?12,"
                                " client_key = ?13, coordinator_key = ?14 WHERE id = ?1");
  sqlite3_stmt *stage = NULL;
  g_autofree OmDate *due = om_write_plan_stored_dues (data);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->id);
  {
    g_autoptr(OmOpportunitySummary) summary = om_opportunity_summary_new (data);
    bind_summary (stmt, 2, summary);
    sqlite3_bind_int64 (stmt, 9, summary->health);
    bind_across (stmt, 10, summary);
  }
  ok = step_done (stmt);
  release (stmt);
  if (!ok)
    return FALSE;

  stage = prepare (db, "UPDATE stages SET due_date = ?2, owner_key = ?3, search_text = ?4 WHERE id = ?1");
  if (stage == NULL)
    return FALSE;
  for (guint i = 0; ok && i < data->stages->len; i++)
    {
      const OmStageData *s = g_ptr_array_index (data->stages, i);

      sqlite3_bind_int64 (stage, 1, s->id);
      bind_stage_derived (stage, 2, s, due[i]);
      ok = step_done (stage);
    }
  release (stage);
  return ok;
}

static gboolean
move_stage (sqlite3 *db,
            gint64   id,
            gint64   position,
            OmDate   due)
{
  /* its due date moves with it: in the same row write */
  sqlite3_stmt *move = prepare (db, "UPDATE stages SET position = ?2, due_date = ?3 WHERE id = ?1");
  gboolean ok;

  if (move == NULL)
    return FALSE;
  sqlite3_bind_int64 (move, 1, id);
  sqlite3_bind_int64 (move, 2, position);
  bind_date (move, 3, due);
  ok = step_done (move);
  release (move);
  return ok;
}

/*
 * Brings the stage and history rows of @before (as stored, at the
 * revision just checked) to @after, writing only the rows that changed
 * (OmWritePlan): the work grows with what changed, not with the plan.
 */
static gboolean
write_rows (sqlite3                 *db,
            const OmOpportunityData *before,
            OmOpportunityData       *after,
            const OmDate            *due)
{
  /* positions are the indices, as this application writes them; a file
   * that has them otherwise gets them rewritten whole */
  g_autoptr(OmWritePlan) plan = om_write_plan_new (before, after, due,
                                                   before != NULL && positions_are_indices (db, before));

  if (plan->replace && before != NULL && !run_on_id (db, "DELETE FROM stages WHERE opportunity_id = ?1", before->id))
    return FALSE;
  for (guint k = 0; k < plan->removed->len; k++)
    if (!run_on_ids (db, "DELETE FROM stages WHERE id = ?1 AND opportunity_id = ?2",
                     g_array_index (plan->removed, gint64, k), before->id))
      return FALSE;
  for (guint k = 0; k < plan->moved->len; k++)
    {
      guint i = g_array_index (plan->moved, guint, k);

      if (!move_stage (db, ((const OmStageData *) g_ptr_array_index (after->stages, i))->id, -1 - (gint64) i, due[i]))
        return FALSE;
    }
  if (plan->moved->len > 0 &&
      !run_on_ids (db, "UPDATE stages SET position = -1 - position WHERE opportunity_id = ?1 AND position < ?2",
                   before->id, 0))
    return FALSE;
  for (guint k = 0; k < plan->edited->len; k++)
    if (!update_stage (db, g_ptr_array_index (after->stages, g_array_index (plan->edited, guint, k))))
      return FALSE;
  if (!insert_stages (db, after, plan->inserted, due))
    return FALSE;
  for (guint k = 0; k < plan->redated->len; k++)
    {
      guint i = g_array_index (plan->redated, guint, k);
      const OmStageData *s = g_ptr_array_index (after->stages, i);
      sqlite3_stmt *stmt = prepare (db, "UPDATE stages SET due_date = ?2 WHERE id = ?1");
      gboolean ok;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, s->id);
      bind_date (stmt, 2, due[i]);
      ok = step_done (stmt);
      release (stmt);
      if (!ok)
        return FALSE;
    }

  if (plan->clear_history && !run_on_id (db, "DELETE FROM history WHERE opportunity_id = ?1", after->id))
    return FALSE;
  if (!insert_history (db, after, plan->history_from))
    return FALSE;
  if (plan->clear_schedule && !run_on_id (db, "DELETE FROM schedule_history WHERE opportunity_id = ?1", after->id))
    return FALSE;
  return insert_schedule (db, after, plan->schedule_from);
}

/* An opportunity's row, at ?2.. ?24 (?1 is its id, ?9 the revision
 * it was read at): its own values and what the lists derive of it. A
 * statement may use some of them only: SQLite refuses a parameter past
 * its last one (SQLITE_RANGE) and frees the text it was given. */
static void
bind_opportunity (sqlite3_stmt               *stmt,
                  const OmOpportunityData    *data,
                  const OmOpportunitySummary *summary,
                  gint64                      revision)
{
  bind_text (stmt, 2, data->title);
  bind_text (stmt, 3, data->client);
  bind_text (stmt, 4, data->coordinator);
  sqlite3_bind_int64 (stmt, 5, data->value);
  bind_text (stmt, 6, data->currency);
  bind_date (stmt, 7, data->start_date);
  bind_text (stmt, 8, data->notes);
  sqlite3_bind_int64 (stmt, 10, revision);
  bind_summary (stmt, 11, summary);
  bind_date (stmt, 18, data->target_date);
  sqlite3_bind_int64 (stmt, 19, summary->health);
  bind_across (stmt, 20, summary);
}

/* The columns of an opportunities row that its indexes read, as set
 * from bind_opportunity()'s parameters. SQLite rewrites the index
 * entries of every column an UPDATE sets, whatever its value, so these
 * are set only when they change: an edit that leaves the lists' order
 * and filters alone writes no index page. */
static const char *const INDEXED_COLUMNS[] = {
  "status = ?11", "sort_key = ?16", "value_minor = ?5", "currency = ?6",
  "chain_probability = ?14", "next_due = ?15", "close_date = ?20",
  "weighted_minor = ?21", "first_pending_due = ?22", "client_key = ?23",
  "coordinator_key = ?24",
};

/* The UPDATE of an opportunity's row at the revision ?9 (no row when
 * another is stored, which the UPDATE finds too). The client's and the
 * coordinator's keys are derived of their names alone: they are set
 * when the names change, so that the SELECT folds nothing. */
static char *
opportunity_update_sql (sqlite3                    *db,
                        const OmOpportunityData    *before,
                        const OmOpportunityData    *after,
                        const OmOpportunitySummary *summary,
                        gint64                      revision)
{
  sqlite3_stmt *changed = prepare (db,
                                   "SELECT status IS NOT ?11, sort_key IS NOT ?16, value_minor IS NOT ?5,"
                                   " currency IS NOT ?6, chain_probability IS NOT ?14, next_due IS NOT ?15,"
                                   " close_date IS NOT ?20, weighted_minor IS NOT ?21,"
                                   " first_pending_due IS NOT ?22, client IS NOT ?3,"
                                   " coordinator IS NOT ?4"
                                   " FROM opportunities WHERE id = ?1 AND revision = ?9");

  G_STATIC_ASSERT (G_N_ELEMENTS (INDEXED_COLUMNS) == 11);
  if (changed == NULL)
    return NULL;
  sqlite3_bind_int64 (changed, 1, before->id);
  bind_text (changed, 3, after->client);
  bind_text (changed, 4, after->coordinator);
  sqlite3_bind_int64 (changed, 5, after->value);
  bind_text (changed, 6, after->currency);
  sqlite3_bind_int64 (changed, 9, before->revision);
  bind_summary (changed, 11, summary);
  bind_date (changed, 20, summary->close_date);
  sqlite3_bind_int64 (changed, 21, summary->weighted_value);
  bind_date (changed, 22, summary->first_pending_due);
  return update_changed_sql (changed,
                             "UPDATE opportunities SET title = ?2, client = ?3, coordinator = ?4,"
                             " start_date = ?7, notes = ?8, revision = ?10, n_won = ?12, n_stages = ?13,"
                             " search_text = ?17, target_date = ?18, health = ?19",
                             INDEXED_COLUMNS, G_N_ELEMENTS (INDEXED_COLUMNS),
                             "WHERE id = ?1 AND revision = ?9");
}

/*
 * Writes @after in place of @before (%NULL: a new opportunity), if the
 * stored one is still at @before's revision; otherwise *@conflict is
 * set and nothing is written. Only what changed is rewritten: the
 * indexed columns whose values changed, the stage rows that changed,
 * each history from its first new entry.
 * Fills in @after's id, stage ids and @revision.
 */
static gboolean
write_opportunity (sqlite3                 *db,
                   const OmOpportunityData *before,
                   OmOpportunityData       *after,
                   const OmDerivedValues   *derived,
                   gint64                   revision,
                   gboolean                *conflict)
{
  g_autoptr(OmOpportunitySummary) summary = derived != NULL ? om_opportunity_summary_new_derived (after, derived)
                                                            : om_opportunity_summary_new (after);
  sqlite3_stmt *opp = NULL;
  g_autofree OmDate *due = NULL;
  gboolean ok = FALSE;

  if (before == NULL)
    opp = prepare (db,
                   "INSERT INTO opportunities (id, title, client, coordinator, value_minor, currency,"
                   " start_date, notes, revision, status, n_won, n_stages, chain_probability, next_due,"
                   " sort_key, search_text, target_date, health, close_date, weighted_minor,"
                   " first_pending_due, client_key, coordinator_key)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
                   " ?20, ?21, ?22, ?23, ?24)");
  else
    {
      g_autofree char *sql = opportunity_update_sql (db, before, after, summary, revision);

      opp = sql != NULL ? prepare (db, sql) : NULL;
    }
  if (opp == NULL)
    return FALSE;

  if (before == NULL)
    {
      if (!bind_opportunity_id (db, opp, after->id))
        goto out;
    }
  else
    {
      sqlite3_bind_int64 (opp, 1, before->id);
      sqlite3_bind_int64 (opp, 9, before->revision);
    }
  bind_opportunity (opp, after, summary, revision);
  if (!step_done (opp))
    goto out;

  after->revision = revision;
  if (before == NULL)
    after->id = sqlite3_last_insert_rowid (db);
  else if (sqlite3_changes (db) == 0)
    {
      *conflict = TRUE;
      goto out;
    }
  else
    after->id = before->id;

  due = om_write_plan_stored_dues (after);
  if (!write_rows (db, before, after, due))
    goto out;

  ok = TRUE;

out:
  release (opp);
  return ok;
}

/* An opportunity repaired on upgrade, rewritten in place */
static gboolean
rewrite_repaired (sqlite3                 *db,
                  const OmOpportunityData *data)
{
  g_autoptr(OmOpportunityData) before = om_opportunity_data_copy (data);
  g_autoptr(OmOpportunityData) after = om_opportunity_data_copy (data);
  gboolean conflict = FALSE;

  /* what the file holds of its plan is what was repaired: all of it is
   * written again. The file is locked for the migration, so it is still
   * at the revision read. */
  if (!run_on_id (db, "DELETE FROM stages WHERE opportunity_id = ?1", data->id) ||
      !run_on_id (db, "DELETE FROM history WHERE opportunity_id = ?1", data->id) ||
      !run_on_id (db, "DELETE FROM schedule_history WHERE opportunity_id = ?1", data->id))
    return FALSE;
  g_ptr_array_set_size (before->stages, 0);
  g_ptr_array_set_size (before->history, 0);
  g_ptr_array_set_size (before->schedule, 0);
  return write_opportunity (db, before, after, NULL, data->revision, &conflict);
}

static gboolean
write_template (sqlite3        *db,
                OmTemplateData *data)
{
  sqlite3_stmt *tpl = NULL, *clear = NULL, *stage = NULL;
  gboolean ok = FALSE;

  tpl = prepare (db, "INSERT INTO templates (id, name) VALUES (?1, ?2)"
                     " ON CONFLICT (id) DO UPDATE SET name = ?2");
  clear = prepare (db, "DELETE FROM template_stages WHERE template_id = ?1");
  stage = prepare (db,
                   "INSERT INTO template_stages (template_id, position, activity, milestone, kind,"
                   " duration_days, probability, client_description)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!tpl || !clear || !stage)
    goto out;

  if (data->id != 0)
    sqlite3_bind_int64 (tpl, 1, data->id);
  else
    sqlite3_bind_null (tpl, 1);
  bind_text (tpl, 2, data->name);
  if (!step_done (tpl))
    goto out;
  if (data->id == 0)
    data->id = sqlite3_last_insert_rowid (db);
  sqlite3_bind_int64 (clear, 1, data->id);
  if (!step_done (clear))
    goto out;

  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *s = g_ptr_array_index (data->stages, i);

      sqlite3_bind_int64 (stage, 1, data->id);
      sqlite3_bind_int (stage, 2, (int) i);
      bind_text (stage, 3, s->activity);
      bind_text (stage, 4, s->milestone);
      bind_text (stage, 5, om_stage_kind_to_string (s->kind));
      sqlite3_bind_int (stage, 6, (int) s->duration_days);
      sqlite3_bind_double (stage, 7, s->probability);
      bind_text (stage, 8, s->client_description);
      if (!step_done (stage))
        goto out;
    }
  ok = TRUE;

out:
  release (tpl);
  release (clear);
  release (stage);
  return ok;
}

/* Removes the opportunity @before if it is still at its revision */
static gboolean
delete_opportunity (sqlite3                 *db,
                    const OmOpportunityData *before,
                    gboolean                *conflict)
{
  sqlite3_stmt *stmt = prepare (db, "DELETE FROM opportunities WHERE id = ?1 AND revision = ?2");
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before->id);
  sqlite3_bind_int64 (stmt, 2, before->revision);
  ok = step_done (stmt);
  release (stmt);
  if (ok && sqlite3_changes (db) == 0)
    {
      *conflict = TRUE;
      return FALSE;
    }
  return ok;
}

static gboolean
write_change (sqlite3  *db,
              OmChange *change,
              gint64    revision,
              gboolean *conflict)
{
  if (change->kind == OM_CHANGE_OPPORTUNITY)
    {
      if (change->after == NULL)
        return delete_opportunity (db, change->before, conflict);
      return write_opportunity (db, change->before, change->after, change->derived, revision, conflict);
    }

  if (change->after == NULL)
    return run_on_id (db, "DELETE FROM templates WHERE id = ?1",
                      ((OmTemplateData *) change->before)->id);
  return write_template (db, change->after);
}

/* R7: someone else changed or removed @before meanwhile */
static void
set_conflict_error (sqlite3                 *db,
                    const OmOpportunityData *before,
                    GError                 **error)
{
  g_autofree char *title = om_text_excerpt (before->title);
  gboolean ok = TRUE;

  if (id_is_free (db, "SELECT 1 FROM opportunities WHERE id = ?1", before->id, &ok) && ok)
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT,
                 _("Someone else removed the opportunity “%s” meanwhile. Your change was not saved, "
                   "and nothing else was changed."), title);
  else
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT,
                 _("Someone else changed the opportunity “%s” meanwhile. Your change was not saved: "
                   "their version is shown now; make your change again if it is still needed."), title);
}

static gboolean
om_database_apply (OmBackend *backend,
                   GPtrArray *changes,
                   GError   **error)
{
  OmDatabase *self = OM_DATABASE (backend);
  g_autofree char *shown = NULL;
  gint64 revision;
  int rc;

  if (self->read_only != NULL)
    {
      shown = om_text_escape_line (self->path);
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_READ_ONLY,
                   _("“%s” is read-only: nothing can be saved in it. Nothing was changed."), shown);
      return FALSE;
    }

  /* one edit, one transaction: its statements are kept prepared */
  if (exec_kept (self->db, "BEGIN IMMEDIATE") != SQLITE_OK ||
      exec_kept (self->db, "UPDATE revision_counter SET last = last + 1") != SQLITE_OK)
    goto failed;
  revision = query_int64 (self->db, "SELECT last FROM revision_counter");
  if (revision <= 0)
    goto failed;

  for (guint i = 0; i < changes->len; i++)
    {
      OmChange *change = g_ptr_array_index (changes, i);
      gboolean conflict = FALSE;

      if (write_change (self->db, change, revision, &conflict))
        continue;
      if (!conflict)
        goto failed;
      set_conflict_error (self->db, change->before, error);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  if (exec_kept (self->db, "COMMIT") == SQLITE_OK)
    return TRUE;

failed:
  rc = sqlite3_extended_errcode (self->db);
  shown = om_text_escape_line (self->path);
  switch (place_failure_from_sqlite (self->db, rc))
    {
    case PLACE_DISK_FULL:
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DISK_FULL,
                   _("The change could not be saved to “%s”: the disk is full. Nothing was changed."), shown);
      break;
    case PLACE_READ_ONLY:
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_READ_ONLY,
                   _("The change could not be saved to “%s”: it has become read-only. Nothing was changed."), shown);
      break;
    case PLACE_OK:
    default:
      if ((rc & 0xff) == SQLITE_BUSY)
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE,
                     _("The change could not be saved to “%s”: another program kept it busy too long. "
                       "Nothing was changed; try again in a moment."), shown);
      else
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE,
                     _("The change could not be saved to “%s”: %s. Nothing was changed."),
                     shown, sqlite3_errmsg (self->db));
      break;
    }
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static const char *
om_database_get_read_only_reason (OmBackend *backend)
{
  return OM_DATABASE (backend)->read_only;
}

/* Reading */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  return text ? text : "";
}

static gboolean
column_date (sqlite3_stmt *stmt,
             int           column,
             gboolean      nullable,
             OmDate       *date)
{
  *date = 0;
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return nullable;
  return om_date_parse (column_text (stmt, column), date);
}

static gboolean
damaged (OmDatabase  *self,
         const char  *what,
         GError     **error)
{
  g_autofree char *shown = om_text_escape_line (self->path);
  g_autofree char *detail = om_text_escape_line (what);

  g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED,
               _("“%s” is damaged (%s). It was left unchanged; restore it from a backup."),
               shown, detail);
  return FALSE;
}

/* Damage found while reading one opportunity: which one, and where */
static gboolean
damaged_opportunity (OmDatabase              *self,
                     const OmOpportunityData *opp,
                     const char              *what,
                     GError                 **error)
{
  g_autofree char *shown = om_text_escape_line (self->path);
  g_autofree char *title = om_text_excerpt (opp->title);
  g_autofree char *detail = om_text_escape_line (what);

  g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED,
               _("The opportunity “%s” in “%s” is damaged (%s). The file was left unchanged; restore it from a backup."),
               title, shown, detail);
  return FALSE;
}

static gboolean
read_stages (OmDatabase        *self,
             OmOpportunityData *opp,
             GError           **error)
{
  /* schema 1, inspected before its migration, has no client side, and
   * those before 7 no schedule */
  sqlite3_stmt *stmt = prepare (self->db,
                                self->schema_version >= 7
                                ? "SELECT id, activity, milestone, kind, owner, client_owner, duration_days,"
                                  " probability, status, decided_on, lost_reason, client_description, notes,"
                                  " agreed_date, baseline_due_date"
                                  " FROM stages WHERE opportunity_id = ?1 ORDER BY position"
                                : self->schema_version >= 2
                                ? "SELECT id, activity, milestone, kind, owner, client_owner, duration_days,"
                                  " probability, status, decided_on, lost_reason, client_description, notes,"
                                  " NULL, NULL"
                                  " FROM stages WHERE opportunity_id = ?1 ORDER BY position"
                                : "SELECT id, activity, milestone, kind, owner, '', duration_days,"
                                  " probability, status, decided_on, lost_reason, '', notes, NULL, NULL"
                                  " FROM stages WHERE opportunity_id = ?1 ORDER BY position");
  int rc;

  if (stmt == NULL)
    return damaged_opportunity (self, opp, sqlite3_errmsg (self->db), error);

  sqlite3_bind_int64 (stmt, 1, opp->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OmStageData *s = om_stage_data_new (column_text (stmt, 1), column_text (stmt, 2));
      gint64 duration = sqlite3_column_int64 (stmt, 6);

      g_ptr_array_add (opp->stages, s);
      s->id = sqlite3_column_int64 (stmt, 0);
      g_free (s->owner);
      s->owner = g_strdup (column_text (stmt, 4));
      g_free (s->client_owner);
      s->client_owner = g_strdup (column_text (stmt, 5));
      s->probability = sqlite3_column_double (stmt, 7);
      g_free (s->lost_reason);
      s->lost_reason = g_strdup (column_text (stmt, 10));
      g_free (s->client_description);
      s->client_description = g_strdup (column_text (stmt, 11));
      g_free (s->notes);
      s->notes = g_strdup (column_text (stmt, 12));

      if (!om_stage_kind_from_string (column_text (stmt, 3), &s->kind) ||
          !om_stage_status_from_string (column_text (stmt, 8), &s->status) ||
          !column_date (stmt, 9, TRUE, &s->decided_on) ||
          !column_date (stmt, 13, TRUE, &s->agreed_on) ||
          !column_date (stmt, 14, TRUE, &s->baseline_due) ||
          duration < 0 || duration > G_MAXINT)
        {
          release (stmt);
          return damaged_opportunity (self, opp, _("a stage has values this application does not know"), error);
        }
      s->duration_days = (guint) duration;
    }
  release (stmt);
  if (rc != SQLITE_DONE)
    return damaged_opportunity (self, opp, sqlite3_errmsg (self->db), error);
  return TRUE;
}

static gboolean
read_history (OmDatabase        *self,
              OmOpportunityData *opp,
              GError           **error)
{
  sqlite3_stmt *stmt = prepare (self->db,
                                "SELECT stage_index, from_status, to_status, on_date, note"
                                " FROM history WHERE opportunity_id = ?1 ORDER BY seq");
  int rc;

  if (stmt == NULL)
    return damaged_opportunity (self, opp, sqlite3_errmsg (self->db), error);

  sqlite3_bind_int64 (stmt, 1, opp->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OmStageStatus from, to;
      OmDate on;
      int stage = sqlite3_column_int (stmt, 0);

      if (stage < 0 ||
          !om_stage_status_from_string (column_text (stmt, 1), &from) ||
          !om_stage_status_from_string (column_text (stmt, 2), &to) ||
          !column_date (stmt, 3, FALSE, &on))
        {
          release (stmt);
          return damaged_opportunity (self, opp, _("the decision history has values this application does not know"), error);
        }
      g_ptr_array_add (opp->history, om_history_entry_new ((guint) stage, from, to, on, column_text (stmt, 4)));
    }
  release (stmt);
  if (rc != SQLITE_DONE)
    return damaged_opportunity (self, opp, sqlite3_errmsg (self->db), error);
  return TRUE;
}

static gboolean
read_schedule (OmDatabase        *self,
               OmOpportunityData *opp,
               GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* before schema 7, inspected before its migration, there is none */
  if (self->schema_version < 7)
    return TRUE;
  stmt = prepare (self->db,
                  "SELECT what, stage, from_date, to_date, on_date, note"
                  " FROM schedule_history WHERE opportunity_id = ?1 ORDER BY position");
  if (stmt == NULL)
    return damaged_opportunity (self, opp, sqlite3_errmsg (self->db), error);

  sqlite3_bind_int64 (stmt, 1, opp->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OmScheduleWhat what;
      OmDate from, to, on;
      gboolean no_stage = sqlite3_column_type (stmt, 1) == SQLITE_NULL;
      gint64 stage = sqlite3_column_int64 (stmt, 1);
      OmScheduleEntry *e;

      if ((!no_stage && (stage < 0 || stage > G_MAXINT)) ||
          !om_schedule_what_from_string (column_text (stmt, 0), &what) ||
          !column_date (stmt, 2, TRUE, &from) ||
          !column_date (stmt, 3, TRUE, &to) ||
          !column_date (stmt, 4, FALSE, &on))
        {
          release (stmt);
          return damaged_opportunity (self, opp, _("the schedule history has values this application does not know"), error);
        }
      e = om_schedule_entry_new (what, no_stage ? -1 : (int) stage, from, to, on, column_text (stmt, 5));
      /* as stored: a stage named where none belongs is for the rules to refuse */
      e->stage = no_stage ? -1 : (int) stage;
      g_ptr_array_add (opp->schedule, e);
    }
  release (stmt);
  if (rc != SQLITE_DONE)
    return damaged_opportunity (self, opp, sqlite3_errmsg (self->db), error);
  return TRUE;
}

/* The columns read_opportunity() reads; then the revision; then, from
 * schema 5, SUMMARY_COLUMNS; then, from schema 7, TARGET_COLUMN */
#define OPPORTUNITY_COLUMNS "id, title, client, coordinator, value_minor, currency, start_date, notes"
#define SUMMARY_COLUMNS "status, n_won, n_stages, chain_probability, next_due, sort_key, search_text"
#define TARGET_COLUMN "target_date"
#define TARGET_INDEX 16

/* Whether the SUMMARY_COLUMNS at @index.. that come from the stages are
 * what the model derives from @data's stages (those from the title are
 * left alone: a title edited by hand is no damage) */
static gboolean
summary_matches (sqlite3_stmt            *stmt,
                 int                      index,
                 const OmOpportunityData *data)
{
  g_autoptr(OmOpportunitySummary) summary = om_opportunity_summary_new (data);
  OmDate next_due = 0;

  return sqlite3_column_int64 (stmt, index) == (gint64) summary->status &&
         sqlite3_column_int64 (stmt, index + 1) == (gint64) summary->n_won &&
         sqlite3_column_int64 (stmt, index + 2) == (gint64) summary->n_stages &&
         sqlite3_column_double (stmt, index + 3) == summary->chain_probability &&
         column_date (stmt, index + 4, TRUE, &next_due) && next_due == summary->next_due;
}

/* One row of OPPORTUNITY_COLUMNS and its revision, with its stages and
 * history, checked by the model's rules; those of an earlier version
 * are repaired first (self->repaired), to be written by the migration */
static OmOpportunityData *
read_opportunity (OmDatabase    *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(OmOpportunityData) opp = om_opportunity_data_new (column_text (stmt, 1), column_text (stmt, 2), 0);
  g_autoptr(GError) invalid = NULL;
  gboolean repaired;

  opp->id = sqlite3_column_int64 (stmt, 0);
  opp->revision = sqlite3_column_int64 (stmt, 8);
  g_free (opp->coordinator);
  opp->coordinator = g_strdup (column_text (stmt, 3));
  opp->value = sqlite3_column_int64 (stmt, 4);
  g_free (opp->currency);
  opp->currency = g_strdup (column_text (stmt, 5));
  g_free (opp->notes);
  opp->notes = g_strdup (column_text (stmt, 7));

  if (!column_date (stmt, 6, FALSE, &opp->start_date))
    {
      damaged_opportunity (self, opp, _("it has no valid start date"), error);
      return NULL;
    }
  if (self->schema_version >= 7 && !column_date (stmt, TARGET_INDEX, TRUE, &opp->target_date))
    {
      damaged_opportunity (self, opp, _("its target date is not a date"), error);
      return NULL;
    }
  if (!read_stages (self, opp, error) || !read_history (self, opp, error) ||
      !read_schedule (self, opp, error))
    return NULL;

  /* An earlier version allowed what the rules now refuse: repaired
   * on the way to this version, and written by the migration */
  repaired = self->repaired != NULL &&
             om_opportunity_data_repair (opp,
                                         /* Translators: the note of each decision in a
                                          * decision history rebuilt when a database
                                          * of an earlier version was updated */
                                         _("Repaired on upgrade"));

  /* A file that breaks the rules was not written by us: refuse it
   * rather than show a plan the model would never have allowed. */
  if (!om_opportunity_data_validate_full (opp, NULL, &invalid))
    {
      damaged_opportunity (self, opp, invalid->message, error);
      return NULL;
    }
  /* Every write keeps the row's summary with its stages, so they differ
   * only where the file was damaged: a broken index page, for one, can
   * hide stages without SQLite noticing. Opening no longer checks the
   * whole file, reading an opportunity checks what it read. */
  if (self->schema_version >= 5 && !summary_matches (stmt, 9, opp))
    {
      damaged_opportunity (self, opp, _("its stages do not match what the file says of them"), error);
      return NULL;
    }
  if (repaired)
    g_ptr_array_add (self->repaired, opp);
  return g_steal_pointer (&opp);
}

static gboolean
read_opportunities (OmDatabase *self,
                    GPtrArray  *out,
                    GError    **error)
{
  /* schema 3 and earlier, inspected before their migration, have no
   * revisions: each opportunity starts at 1 */
  sqlite3_stmt *stmt = prepare (self->db,
                                self->schema_version >= 7
                                ? "SELECT " OPPORTUNITY_COLUMNS ", revision, " SUMMARY_COLUMNS ", " TARGET_COLUMN
                                  " FROM opportunities ORDER BY id"
                                : self->schema_version >= 5
                                ? "SELECT " OPPORTUNITY_COLUMNS ", revision, " SUMMARY_COLUMNS
                                  " FROM opportunities ORDER BY id"
                                : self->schema_version >= 4
                                ? "SELECT " OPPORTUNITY_COLUMNS ", revision FROM opportunities ORDER BY id"
                                : "SELECT " OPPORTUNITY_COLUMNS ", 1 FROM opportunities ORDER BY id");
  int rc;

  if (stmt == NULL)
    return damaged (self, sqlite3_errmsg (self->db), error);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OmOpportunityData *opp = read_opportunity (self, stmt, error);

      if (opp == NULL)
        {
          release (stmt);
          return FALSE;
        }
      g_ptr_array_add (out, opp);
    }
  release (stmt);
  if (rc != SQLITE_DONE)
    return damaged (self, sqlite3_errmsg (self->db), error);
  return TRUE;
}

static gboolean
read_templates (OmDatabase *self,
                GPtrArray  *out,
                GError    **error)
{
  sqlite3_stmt *tpl = NULL;
  sqlite3_stmt *stage = NULL;
  gboolean ok = FALSE;
  int rc;

  /* templates came with schema 2 */
  if (self->schema_version < 2)
    return TRUE;

  tpl = prepare (self->db, "SELECT id, name FROM templates ORDER BY id");
  stage = prepare (self->db,
                   "SELECT activity, milestone, kind, duration_days, probability, client_description"
                   " FROM template_stages WHERE template_id = ?1 ORDER BY position");

  if (tpl == NULL || stage == NULL)
    {
      damaged (self, sqlite3_errmsg (self->db), error);
      goto out;
    }

  while ((rc = sqlite3_step (tpl)) == SQLITE_ROW)
    {
      OmTemplateData *data = om_template_data_new (column_text (tpl, 1));

      data->id = sqlite3_column_int64 (tpl, 0);
      g_ptr_array_add (out, data);
      sqlite3_bind_int64 (stage, 1, data->id);
      while (sqlite3_step (stage) == SQLITE_ROW)
        {
          OmStageData *s = om_stage_data_new (column_text (stage, 0), column_text (stage, 1));

          g_ptr_array_add (data->stages, s);
          s->duration_days = (guint) CLAMP (sqlite3_column_int64 (stage, 3), 0, G_MAXINT);
          s->probability = sqlite3_column_double (stage, 4);
          g_free (s->client_description);
          s->client_description = g_strdup (column_text (stage, 5));
          if (!om_stage_kind_from_string (column_text (stage, 2), &s->kind))
            {
              damaged (self, _("a template has values this application does not know"), error);
              goto out;
            }
        }
      sqlite3_reset (stage);
      if (!om_template_data_validate (data, NULL))
        {
          damaged (self, _("a template breaks the rules"), error);
          goto out;
        }
    }
  if (rc != SQLITE_DONE)
    {
      damaged (self, sqlite3_errmsg (self->db), error);
      goto out;
    }
  ok = TRUE;

out:
  release (tpl);
  release (stage);
  return ok;
}

/* Reading on demand (the backend's reads): what a list shows, one
 * opportunity, the templates. Nothing here writes. */

#define WATCH_INTERVAL_MS 500

/* A read that failed: damage said as such, anything else as what it is */
static void
set_read_error (OmDatabase  *self,
                GError     **error)
{
  int rc = sqlite3_errcode (self->db);

  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
    damaged (self, sqlite3_errmsg (self->db), error);
  else
    {
      g_autofree char *shown = om_text_escape_line (self->path);
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                   _("Could not read “%s”: %s. It was left unchanged."), shown, sqlite3_errmsg (self->db));
    }
}

/* A search for @folded as FTS5 phrase syntax: the whole text, quoted */
static char *
search_phrase (const char *folded)
{
  g_autoptr(GString) phrase = g_string_new ("\"");

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (g_steal_pointer (&phrase), FALSE);
}

static void
add_condition (GString    *sql,
               const char *condition)
{
  g_string_append (sql, strstr (sql->str, " WHERE ") != NULL ? " AND " : " WHERE ");
  g_string_append (sql, condition);
}

static GArray *
om_database_list_ids (OmBackend                *backend,
                      const OmOpportunityQuery *query,
                      GError                  **error)
{
  OmDatabase *self = OM_DATABASE (backend);
  g_autoptr(GString) sql = g_string_new ("SELECT id FROM opportunities");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean by_status = query->status >= 0;
  gboolean searching = query->search != NULL && *query->search != '\0';
  /* a trigram index finds three characters or more; a shorter search
   * reads every row's folded text, as every search did before schema 8 */
  gboolean indexed_search = searching && g_utf8_strlen (query->search, -1) >= 3;
  gboolean filtering_more = query->owner != NULL || query->client != NULL ||
                            query->coordinator != NULL || query->overdue_only ||
                            query->close_from != 0 || query->close_to != 0;
  sqlite3_stmt *stmt;
  int rc;

  /* Answered from the indexes, one per order (schemas 5 and 8); the
   * values compared are the model's. A search with no other filter is
   * answered by the full-text indexes and sorted: what matches is read
   * in the order of the ids it found. */
  /* a status selects a large part of the file: with anything narrower
   * ("+") it is only checked, and the narrower index is read */
  if (by_status)
    g_string_append (sql, searching || filtering_more ? " WHERE +status = ?1" : " WHERE status = ?1");
  if (indexed_search)
    add_condition (sql, "(id IN (SELECT rowid FROM opportunity_search WHERE opportunity_search MATCH ?2)"
                        " OR id IN (SELECT opportunity_id FROM stages WHERE id IN"
                        " (SELECT rowid FROM stage_search WHERE stage_search MATCH ?2)))");
  else if (searching)
    add_condition (sql, "(instr(search_text, ?2) > 0"
                        " OR id IN (SELECT opportunity_id FROM stages WHERE instr(search_text, ?2) > 0))");
  if (query->owner != NULL)
    add_condition (sql, "id IN (SELECT opportunity_id FROM stages WHERE owner_key = ?4)");
  if (query->client != NULL)
    add_condition (sql, "client_key = ?5");
  if (query->coordinator != NULL)
    add_condition (sql, "coordinator_key = ?6");
  if (query->overdue_only)
    add_condition (sql, "status = 0 AND first_pending_due < ?7");
  if (query->close_from != 0)
    add_condition (sql, "close_date >= ?8");
  if (query->close_to != 0)
    add_condition (sql, "close_date <= ?9");

  switch (query->order)
    {
    case OM_ORDER_ID:
      g_string_append (sql, " ORDER BY id");
      break;
    case OM_ORDER_CLOSE_DATE:
      g_string_append (sql, " ORDER BY close_date IS NULL, close_date, id");
      break;
    case OM_ORDER_CLOSE_DATE_BACKWARDS:
      g_string_append (sql, " ORDER BY close_date IS NULL DESC, close_date DESC, id DESC");
      break;
    case OM_ORDER_NEXT_DUE:
      g_string_append (sql, " ORDER BY next_due IS NULL, next_due, id");
      break;
    case OM_ORDER_VALUE:
      g_string_append (sql, " ORDER BY value_minor DESC, id");
      break;
    case OM_ORDER_WEIGHTED:
      g_string_append (sql, " ORDER BY weighted_minor DESC, id");
      break;
    case OM_ORDER_CHAIN_PROBABILITY:
      g_string_append (sql, " ORDER BY chain_probability DESC, id");
      break;
    case OM_ORDER_SHOWN:
    default:
      g_string_append (sql, searching || filtering_more ? " ORDER BY +sort_key, id"
                                                                 : " ORDER BY sort_key, id");
      break;
    }
  if (query->limit > 0)
    g_string_append (sql, " LIMIT ?3");

  stmt = prepare (self->db, sql->str);
  if (stmt == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }
  if (by_status)
    sqlite3_bind_int (stmt, 1, query->status);
  if (indexed_search)
    sqlite3_bind_text (stmt, 2, search_phrase (query->search), -1, g_free);
  else if (searching)
    sqlite3_bind_text (stmt, 2, query->search, -1, SQLITE_STATIC);
  if (query->limit > 0)
    sqlite3_bind_int64 (stmt, 3, query->limit);
  if (query->owner != NULL)
    sqlite3_bind_text (stmt, 4, om_text_fold (query->owner), -1, g_free);
  if (query->client != NULL)
    sqlite3_bind_text (stmt, 5, om_text_fold (query->client), -1, g_free);
  if (query->coordinator != NULL)
    sqlite3_bind_text (stmt, 6, om_text_fold (query->coordinator), -1, g_free);
  if (query->overdue_only)
    bind_date (stmt, 7, query->today);
  if (query->close_from != 0)
    bind_date (stmt, 8, query->close_from);
  if (query->close_to != 0)
    bind_date (stmt, 9, query->close_to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      set_read_error (self, error);
      release (stmt);
      return NULL;
    }
  release (stmt);
  return g_steal_pointer (&ids);
}

static OmOpportunitySummary *
read_summary (sqlite3_stmt *stmt)
{
  g_autoptr(OmOpportunitySummary) summary = g_new0 (OmOpportunitySummary, 1);

  /* as om_opportunity_summary_new() derived them when it was written */
  summary->id = sqlite3_column_int64 (stmt, 0);
  summary->revision = sqlite3_column_int64 (stmt, 1);
  summary->title = g_strdup (column_text (stmt, 2));
  summary->client = g_strdup (column_text (stmt, 3));
  summary->coordinator = g_strdup (column_text (stmt, 4));
  summary->status = (OmOpportunityStatus) sqlite3_column_int (stmt, 5);
  summary->n_won = (guint) CLAMP (sqlite3_column_int64 (stmt, 6), 0, G_MAXUINT);
  summary->n_stages = (guint) CLAMP (sqlite3_column_int64 (stmt, 7), 0, G_MAXUINT);
  summary->chain_probability = sqlite3_column_double (stmt, 8);
  if (!column_date (stmt, 9, TRUE, &summary->next_due))
    summary->next_due = 0;
  summary->sort_key = g_strdup (column_text (stmt, 10));
  summary->search_text = g_strdup (column_text (stmt, 11));
  /* not known until it is next written, when a file was upgraded */
  if (sqlite3_column_type (stmt, 12) == SQLITE_NULL)
    summary->health = OM_HEALTH_UNKNOWN;
  else
    summary->health = (guint) CLAMP (sqlite3_column_int64 (stmt, 12), 0, G_MAXUINT - 1);
  summary->value = sqlite3_column_int64 (stmt, 13);
  summary->currency = g_strdup (column_text (stmt, 14));
  if (!column_date (stmt, 15, TRUE, &summary->close_date))
    summary->close_date = 0;
  summary->weighted_value = sqlite3_column_int64 (stmt, 16);
  if (!column_date (stmt, 17, TRUE, &summary->first_pending_due))
    summary->first_pending_due = 0;
  return g_steal_pointer (&summary);
}

static GPtrArray *
om_database_get_summaries (OmBackend    *backend,
                           const gint64 *ids,
                           guint         n_ids,
                           GError      **error)
{
  OmDatabase *self = OM_DATABASE (backend);
  g_autoptr(GPtrArray) summaries = g_ptr_array_new_full (n_ids, (GDestroyNotify) om_opportunity_summary_free);

  if (self->summary_stmt == NULL)
    self->summary_stmt = prepare (self->db,
                                  "SELECT id, revision, title, client, coordinator, status, n_won, n_stages,"
                                  " chain_probability, next_due, sort_key, search_text, health,"
                                  " value_minor, currency, close_date, weighted_minor, first_pending_due"
                                  " FROM opportunities WHERE id = ?1");
  if (self->summary_stmt == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }

  for (guint i = 0; i < n_ids; i++)
    {
      int rc;

      sqlite3_bind_int64 (self->summary_stmt, 1, ids[i]);
      rc = sqlite3_step (self->summary_stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (summaries, read_summary (self->summary_stmt));
      else if (rc == SQLITE_DONE)
        g_ptr_array_add (summaries, NULL);
      else
        set_read_error (self, error);
      /* a statement left stepping would hold its snapshot of the file */
      sqlite3_reset (self->summary_stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return NULL;
    }
  return g_steal_pointer (&summaries);
}

/* The agenda from the stages' due dates as the model derived them
 * (schema 8), through the partial index of pending stages: by due date,
 * or by owner and due date */
static GPtrArray *
om_database_list_agenda (OmBackend           *backend,
                         const OmAgendaQuery *query,
                         GError             **error)
{
  OmDatabase *self = OM_DATABASE (backend);
  g_autoptr(GString) sql = g_string_new ("SELECT s.opportunity_id, o.title, o.client, s.position, o.n_stages,"
                                         " s.due_date, s.agreed_date IS NOT NULL, s.owner, s.client_owner,"
                                         " s.activity, s.milestone"
                                         " FROM stages AS s JOIN opportunities AS o ON o.id = s.opportunity_id"
                                         /* "+": the stages' index, in the agenda's order, is
                                          * read; every open opportunity's stages are not */
                                         " WHERE s.status = 'pending' AND +o.status = 0"
                                         /* an open plan's pending stages are those not won */
                                         " AND o.n_stages - o.n_won <= " G_STRINGIFY (OM_STORED_DUES));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_item_free);
  g_autoptr(GArray) long_plans = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (query->owner != NULL)
    g_string_append (sql, " AND s.owner_key = ?1");
  if (query->from != 0)
    g_string_append (sql, " AND s.due_date >= ?2");
  if (query->until != 0)
    g_string_append (sql, " AND s.due_date <= ?3");
  g_string_append (sql, " ORDER BY s.due_date, s.opportunity_id, s.position");

  stmt = prepare (self->db, sql->str);
  if (stmt == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }
  if (query->owner != NULL)
    sqlite3_bind_text (stmt, 1, om_text_fold (query->owner), -1, g_free);
  if (query->from != 0)
    bind_date (stmt, 2, query->from);
  if (query->until != 0)
    bind_date (stmt, 3, query->until);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OmAgendaItem *item = g_new0 (OmAgendaItem, 1);

      g_ptr_array_add (items, item);
      item->opportunity_id = sqlite3_column_int64 (stmt, 0);
      item->title = g_strdup (column_text (stmt, 1));
      item->client = g_strdup (column_text (stmt, 2));
      item->stage = (guint) CLAMP (sqlite3_column_int64 (stmt, 3), 0, G_MAXUINT);
      item->n_stages = (guint) CLAMP (sqlite3_column_int64 (stmt, 4), 0, G_MAXUINT);
      item->agreed = sqlite3_column_int (stmt, 6) != 0;
      item->owner = g_strdup (column_text (stmt, 7));
      item->client_owner = g_strdup (column_text (stmt, 8));
      item->activity = g_strdup (column_text (stmt, 9));
      item->milestone = g_strdup (column_text (stmt, 10));
      if (!column_date (stmt, 5, FALSE, &item->due))
        {
          release (stmt);
          damaged (self, _("a stage has no valid due date"), error);
          return NULL;
        }
    }
  release (stmt);
  if (rc != SQLITE_DONE)
    {
      set_read_error (self, error);
      return NULL;
    }

  /* the plans whose later due dates are not kept: through the model */
  stmt = prepare (self->db, "SELECT id FROM opportunities WHERE status = 0"
                            " AND n_stages - n_won > " G_STRINGIFY (OM_STORED_DUES));
  if (stmt == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (long_plans, id);
    }
  release (stmt);
  if (rc != SQLITE_DONE)
    {
      set_read_error (self, error);
      return NULL;
    }
  if (!om_agenda_add_long_plans (backend, query, (const gint64 *) long_plans->data, long_plans->len, items, error))
    return NULL;
  return g_steal_pointer (&items);
}

/* Sums of integer minor units, per currency and month, by SQLite's
 * integer sum (which refuses to overflow rather than round) */
static GPtrArray *
om_database_get_pipeline (OmBackend *backend,
                          GError   **error)
{
  OmDatabase *self = OM_DATABASE (backend);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) om_pipeline_row_free);
  sqlite3_stmt *stmt = prepare (self->db,
                                "SELECT currency, substr (close_date, 1, 7) AS month, count (*),"
                                " sum (value_minor), sum (weighted_minor)"
                                " FROM opportunities WHERE status = 0 AND close_date IS NOT NULL"
                                " GROUP BY month, currency ORDER BY month, currency");
  int rc;

  if (stmt == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OmPipelineRow *row = g_new0 (OmPipelineRow, 1);
      const char *month = column_text (stmt, 1);

      g_ptr_array_add (rows, row);
      row->currency = g_strdup (column_text (stmt, 0));
      row->year = (int) g_ascii_strtoll (month, NULL, 10);
      row->month = strlen (month) == 7 ? (int) g_ascii_strtoll (month + 5, NULL, 10) : 0;
      row->n = (guint) CLAMP (sqlite3_column_int64 (stmt, 2), 0, G_MAXUINT);
      row->value = sqlite3_column_int64 (stmt, 3);
      row->weighted = sqlite3_column_int64 (stmt, 4);
    }
  release (stmt);
  if (rc != SQLITE_DONE)
    {
      set_read_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* From the indexes on the folded names: one spelling of each, the
 * lowest, as the memory backend gives it */
static GStrv
om_database_list_names (OmBackend  *backend,
                        OmNameKind  kind,
                        GError    **error)
{
  OmDatabase *self = OM_DATABASE (backend);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char *sql = kind == OM_NAME_OWNER
                    ? "SELECT min (owner) FROM stages WHERE owner_key <> '' GROUP BY owner_key ORDER BY owner_key"
                    : kind == OM_NAME_CLIENT
                    ? "SELECT min (client) FROM opportunities WHERE client_key <> ''"
                      " GROUP BY client_key ORDER BY client_key"
                    : "SELECT min (coordinator) FROM opportunities WHERE coordinator_key <> ''"
                      " GROUP BY coordinator_key ORDER BY coordinator_key";
  sqlite3_stmt *stmt = prepare (self->db, sql);
  int rc;

  if (stmt == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, column_text (stmt, 0));
  release (stmt);
  if (rc != SQLITE_DONE)
    {
      set_read_error (self, error);
      return NULL;
    }
  return g_strv_builder_end (names);
}

static OmOpportunityData *
om_database_load_opportunity (OmBackend *backend,
                              gint64     id,
                              GError   **error)
{
  OmDatabase *self = OM_DATABASE (backend);
  sqlite3_stmt *stmt = prepare (self->db,
                                "SELECT " OPPORTUNITY_COLUMNS ", revision, " SUMMARY_COLUMNS ", " TARGET_COLUMN
                                " FROM opportunities WHERE id = ?1");
  OmOpportunityData *opp = NULL;
  int rc;

  if (stmt == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }

  /* one transaction, so that the row, its stages and its history are of
   * the same moment even while another process writes */
  sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL);
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    opp = read_opportunity (self, stmt, error);
  else if (rc == SQLITE_DONE)
    {
      g_autofree char *shown = om_text_escape_line (self->path);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                   _("“%s” holds no opportunity %s: it may have been removed meanwhile."), shown, number);
    }
  else
    set_read_error (self, error);
  release (stmt);
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  return opp;
}

static GPtrArray *
om_database_load_templates (OmBackend *backend,
                            GError   **error)
{
  OmDatabase *self = OM_DATABASE (backend);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);

  if (!read_templates (self, templates, error))
    return NULL;
  return g_steal_pointer (&templates);
}

/* PRAGMA data_version: changes when another connection commits */
static gboolean
read_data_version (OmDatabase *self,
                   gint64     *version)
{
  gboolean ok;

  if (self->data_version_stmt == NULL)
    self->data_version_stmt = prepare (self->db, "PRAGMA data_version");
  if (self->data_version_stmt == NULL)
    return FALSE;
  ok = sqlite3_step (self->data_version_stmt) == SQLITE_ROW;
  if (ok)
    *version = sqlite3_column_int64 (self->data_version_stmt, 0);
  sqlite3_reset (self->data_version_stmt);
  return ok;
}

static gboolean
watch_cb (gpointer user_data)
{
  OmDatabase *self = user_data;
  gint64 version = 0;

  if (read_data_version (self, &version) && version != self->data_version)
    {
      g_autoptr(OmDatabase) alive = g_object_ref (self);

      self->data_version = version;
      om_backend_emit_changed (OM_BACKEND (self));
    }
  return G_SOURCE_CONTINUE;
}

static void
om_database_set_watching (OmBackend *backend,
                          gboolean   watching)
{
  OmDatabase *self = OM_DATABASE (backend);
  g_autoptr(GMainContext) context = NULL;

  if (watching == (self->watch != NULL))
    return;
  if (!watching)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
      return;
    }
  if (self->db == NULL || !read_data_version (self, &self->data_version))
    return;

  /* Writes of this connection leave data_version as it is, those of
   * every other one change it: exactly "another writer changed it" */
  context = g_main_context_ref_thread_default ();
  self->watch = g_timeout_source_new (WATCH_INTERVAL_MS);
  g_source_set_callback (self->watch, watch_cb, self, NULL);
  g_source_set_static_name (self->watch, "[oppmanager] database watch");
  g_source_attach (self->watch, context);
}

static void
om_database_backend_init (OmBackendInterface *iface)
{
  iface->list_agenda = om_database_list_agenda;
  iface->get_pipeline = om_database_get_pipeline;
  iface->list_names = om_database_list_names;
  iface->apply = om_database_apply;
  iface->get_read_only_reason = om_database_get_read_only_reason;
  iface->list_ids = om_database_list_ids;
  iface->get_summaries = om_database_get_summaries;
  iface->load_opportunity = om_database_load_opportunity;
  iface->load_templates = om_database_load_templates;
  iface->set_watching = om_database_set_watching;
}

/* Opening */

/* A full disk or a read-only place said as such, so that nobody
 * restores a backup of a healthy file. */
static gboolean
set_place_error (GError       **error,
                 PlaceFailure   failure,
                 gboolean       creating,
                 const char    *path)
{
  g_autofree char *shown = om_text_escape_line (path);

  if (failure == PLACE_DISK_FULL)
    {
      if (creating)
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DISK_FULL,
                     _("Could not create “%s”: the disk is full. Free some space, then try again."), shown);
      else
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DISK_FULL,
                     _("Could not open “%s”: the disk is full. Free some space, then try again. The file was left unchanged."),
                     shown);
      return TRUE;
    }
  if (failure == PLACE_READ_ONLY)
    {
      if (creating)
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_READ_ONLY,
                     _("Could not create “%s”: its folder is read-only. Choose a folder you can write to."), shown);
      else
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_READ_ONLY,
                     _("“%s” is read-only, and Opportunity Manager saves every change at once. Make the file and its folder writable, or copy it to a folder you can write to. It was left unchanged."),
                     shown);
      return TRUE;
    }
  return FALSE;
}

/* Makes the missing folders of @dir, private to the user, and lists
 * those it made, so that a failed creation can take them away again. */
static gboolean
make_folders (const char  *dir,
              GPtrArray   *made,
              GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (dir);

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (strcmp (parent, dir) != 0 && !make_folders (parent, made, error))
    return FALSE;
  if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
    {
      int saved = errno;
      g_autofree char *shown = om_text_escape_line (dir);

      if (!set_place_error (error, place_failure_from_errno (saved), TRUE, dir))
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                     _("Could not create the folder “%s”: %s"), shown, g_strerror (saved));
      return FALSE;
    }
  g_ptr_array_add (made, g_strdup (dir));
  return TRUE;
}

static gboolean
create_file (const char  *path,
             GPtrArray   *made_folders,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (!make_folders (dir, made_folders, error))
    return FALSE;

  /* Only its owner may read the user's pipeline */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *shown = om_text_escape_line (path);

      if (!set_place_error (error, place_failure_from_errno (saved), TRUE, path))
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                     _("Could not create “%s”: %s"), shown, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);
  return TRUE;
}

/* A new database that could not be set up leaves nothing behind: not
 * the file, not what SQLite made beside it, not the folders made for it. */
static void
remove_created (const char *path,
                GPtrArray  *made_folders)
{
  const char *suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (path, suffixes[i], NULL);
      g_remove (side);
    }
  g_remove (path);
  for (guint i = made_folders->len; i > 0; i--)
    g_rmdir (g_ptr_array_index (made_folders, i - 1));
}

/*
 * Only stat() looks at the file directly: opening and closing a
 * descriptor on a database file drops every POSIX lock this process
 * holds on it, SQLite's included, which can cost another connection its
 * data. The rest is read through SQLite.
 *
 * Only a regular file (or a link to one) is a database: SQLite takes
 * /dev/null for an empty one and a FIFO blocks the first read.
 */
static gboolean
check_file_kind (const char  *path,
                 gboolean    *exists,
                 gboolean    *empty,
                 GError     **error)
{
  g_autofree char *shown = om_text_escape_line (path);
  GStatBuf st;

  *exists = FALSE;
  *empty = FALSE;
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        return TRUE;
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                   _("Could not open “%s”: %s"), shown, g_strerror (saved));
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_REGULAR,
                 _("“%s” is a folder, not a database file. Give the path of a database file."), shown);
  else if (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode))
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_REGULAR,
                 _("“%s” is a device, not a database file. Give the path of a database file."), shown);
  else if (S_ISFIFO (st.st_mode))
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_REGULAR,
                 _("“%s” is a pipe (FIFO), not a database file. Give the path of a database file."), shown);
  else if (!S_ISREG (st.st_mode))
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_REGULAR,
                 _("“%s” is not a regular file, so it cannot be a database. Give the path of a database file."), shown);
  else
    {
      *exists = TRUE;
      *empty = st.st_size == 0;
      return TRUE;
    }
  return FALSE;
}

/* Saving needs the file and its folder (for the -wal and -shm files)
 * writable. Said before anything is written, backups included. */
static gboolean
check_writable (const char  *path,
                GError     **error)
{
  g_autofree char *real = realpath (path, NULL);
  g_autofree char *dir = g_path_get_dirname (real ? real : path);

  if (g_access (real ? real : path, W_OK) != 0 || g_access (dir, W_OK) != 0)
    {
      int saved = errno;

      if (set_place_error (error, place_failure_from_errno (saved), FALSE, path))
        return FALSE;
      set_place_error (error, PLACE_READ_ONLY, FALSE, path);
      return FALSE;
    }
  return TRUE;
}

static char *
backup_path_for (const char *path,
                 int         version)
{
  char *candidate = g_strdup_printf ("%s.schema-%d.bak", path, version);

  for (guint i = 2; g_file_test (candidate, G_FILE_TEST_EXISTS); i++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s.schema-%d.%u.bak", path, version, i);
    }
  return candidate;
}

static goffset file_size (const char *path);

/* a -wal this size or smaller holds no transaction */
#define WAL_HEADER_SIZE 32

/* The file as it is, byte for byte, when it holds all of the database.
 * (Closing this descriptor drops this process's locks on the file, see
 * check_file_kind(): only the inspection's read-only connection has it
 * open at this point, and it is closed next.) */
static gboolean
copy_bytes (const char  *path,
            const char  *backup_path,
            GError     **error)
{
  g_autoptr(GFile) from = g_file_new_for_path (path);
  g_autoptr(GFile) to = g_file_new_for_path (backup_path);
  g_autoptr(GError) local = NULL;
  g_autofree char *shown = om_text_escape_line (path);

  if (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &local))
    {
      g_chmod (backup_path, 0600);
      return TRUE;
    }

  g_remove (backup_path);
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DISK_FULL,
                 _("Could not make a backup of “%s” before updating it: the disk is full. Free some space, then try again. It was left unchanged."),
                 shown);
  else if (!(g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) &&
             set_place_error (error, PLACE_READ_ONLY, FALSE, path)))
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_MIGRATION,
                 _("Could not make a backup of “%s” before updating it: %s. It was left unchanged."),
                 shown, local->message);
  return FALSE;
}

/* Copies the file as it was before a migration: byte for byte when the
 * main file holds all of it, else a consistent snapshot through SQLite
 * (the transactions in a -wal included, a killed process's -journal
 * rolled back). */
static gboolean
take_backup (sqlite3     *source,
             const char  *path,
             int          version,
             GError     **error)
{
  g_autofree char *backup_path = backup_path_for (path, version);
  g_autofree char *real = realpath (path, NULL);
  g_autofree char *wal = g_strconcat (real ? real : path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (real ? real : path, "-journal", NULL);
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  PlaceFailure failure;
  int rc;

  if (file_size (wal) <= WAL_HEADER_SIZE && file_size (journal) <= 0)
    return copy_bytes (real ? real : path, backup_path, error);

  rc = sqlite3_open_v2 (backup_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (dest, "main", source, "main");
      if (backup != NULL)
        {
          rc = sqlite3_backup_step (backup, -1);
          sqlite3_backup_finish (backup);
          rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
      else
        rc = sqlite3_errcode (dest);
    }
  if (rc == SQLITE_OK)
    {
      close_db (dest);
      g_chmod (backup_path, 0600);
      return TRUE;
    }

  failure = place_failure_from_sqlite (dest, rc);
  if (failure == PLACE_DISK_FULL)
    {
      g_autofree char *shown = om_text_escape_line (path);
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DISK_FULL,
                   _("Could not make a backup of “%s” before updating it: the disk is full. Free some space, then try again. It was left unchanged."),
                   shown);
    }
  else if (!set_place_error (error, failure, FALSE, path))
    {
      g_autofree char *shown = om_text_escape_line (path);
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_MIGRATION,
                   _("Could not make a backup of “%s” before updating it: %s. It was left unchanged."),
                   shown, dest ? sqlite3_errmsg (dest) : sqlite3_errstr (rc));
    }
  close_db (dest);
  g_remove (backup_path);
  return FALSE;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (goffset) st.st_size : -1;
}

static char *
file_uri (const char *path,
          const char *parameter)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *escaped = g_uri_escape_string (absolute, "/", FALSE);

  return g_strconcat ("file:", escaped, "?", parameter, NULL);
}

/*
 * A connection that reads the file as it is, without writing a byte of
 * it, of its -wal or of its -shm (SPEC 8). Even a read-only connection
 * normally rebuilds the -shm, creates a missing -wal and -shm, and the
 * first read-write one checkpoints on close:
 *
 *  - with a -shm: `readonly_shm` maps it read-only (another process may
 *    be using the file; this reads what it committed);
 *  - with no frame in a -wal and no -journal (or when a -shm left by a
 *    killed process cannot be used read-only, @use_shm %FALSE): the main
 *    file is all of it: `immutable`;
 *  - with frames in a -wal but no usable -shm, or a hot -journal (a
 *    process was killed): reading them needs a writable -shm or a
 *    rollback, so a private copy of the files is inspected instead, in
 *    *@copy_dir.
 */
static sqlite3 *
open_for_inspection (const char  *path,
                     gboolean     use_shm,
                     char       **copy_dir,
                     GError     **error)
{
  g_autofree char *real = realpath (path, NULL);
  const char *base = real ? real : path;
  g_autofree char *wal = g_strconcat (base, "-wal", NULL);
  g_autofree char *shm = g_strconcat (base, "-shm", NULL);
  g_autofree char *journal = g_strconcat (base, "-journal", NULL);
  g_autofree char *uri = NULL;
  sqlite3 *db = NULL;
  int rc;

  *copy_dir = NULL;
  if ((use_shm && g_file_test (shm, G_FILE_TEST_EXISTS) && file_size (journal) <= 0) ||
      (file_size (wal) <= WAL_HEADER_SIZE && file_size (journal) <= 0))
    {
      if (use_shm && g_file_test (shm, G_FILE_TEST_EXISTS))
        uri = file_uri (path, "readonly_shm=1");
      else
        uri = file_uri (path, "immutable=1");
      rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    }
  else
    {
      const char *suffixes[] = { "", "-wal", "-journal" };
      g_autofree char *copy = NULL;

      *copy_dir = g_dir_make_tmp ("oppmanager-inspect-XXXXXX", error);
      if (*copy_dir == NULL)
        return NULL;
      copy = g_build_filename (*copy_dir, "copy.db", NULL);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *from_path = g_strconcat (base, suffixes[i], NULL);
          g_autofree char *to_path = g_strconcat (copy, suffixes[i], NULL);
          g_autoptr(GFile) from = g_file_new_for_path (from_path);
          g_autoptr(GFile) to = g_file_new_for_path (to_path);
          g_autoptr(GError) local = NULL;

          if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &local) &&
              !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            {
              g_autofree char *shown = om_text_escape_line (path);
              g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                           _("Could not read “%s”: %s. It was left unchanged."), shown, local->message);
              return NULL;
            }
        }
      /* read-write: SQLite may roll back the copy's journal */
      rc = sqlite3_open_v2 (copy, &db, SQLITE_OPEN_READWRITE, NULL);
    }

  if (rc != SQLITE_OK)
    {
      g_autofree char *shown = om_text_escape_line (path);
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                   _("Could not open “%s”: %s"), shown, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      close_db (db);
      return NULL;
    }
  trace_statements (db);
  /* belt and braces: this connection never checkpoints */
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  return db;
}

static void
remove_copy (char *copy_dir)
{
  GDir *dir;
  const char *name;

  if (copy_dir == NULL)
    return;
  dir = g_dir_open (copy_dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (copy_dir, name, NULL);
      g_remove (child);
    }
  if (dir)
    g_dir_close (dir);
  g_rmdir (copy_dir);
  g_free (copy_dir);
}

/* Whether a writer left a transaction beside the file: frames in its
 * -wal (a killed process, or one still using the file) or a -journal */
static gboolean
has_left_over (const char *path)
{
  g_autofree char *real = realpath (path, NULL);
  g_autofree char *wal = g_strconcat (real ? real : path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (real ? real : path, "-journal", NULL);

  return file_size (wal) > WAL_HEADER_SIZE || file_size (journal) > 0;
}

/*
 * Whether another connection has the file open now: then what its -wal
 * holds is that writer's work in progress, not a killed writer's
 * leftover. Every open connection keeps a shared lock on the "dead man
 * switch" byte of the -shm (byte 128, as SQLite's os_unix.c places it).
 * The test runs in a child process, because closing a descriptor of
 * the -shm here would drop the locks this very process holds on it
 * (POSIX locks belong to the process), and because a lock this process
 * holds is also "another connection" for this purpose. Whatever goes
 * wrong counts as "not in use": the file is then checked whole.
 */
#define SHM_DMS_BYTE 128

static gboolean
wal_in_use (const char *path)
{
  g_autofree char *real = realpath (path, NULL);
  g_autofree char *shm = g_strconcat (real ? real : path, "-shm", NULL);
  int status = 0;
  pid_t pid;

  if (!g_file_test (shm, G_FILE_TEST_IS_REGULAR))
    return FALSE;

  pid = fork ();
  if (pid < 0)
    return FALSE;
  if (pid == 0)
    {
      /* only async-signal-safe calls here */
      struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = SHM_DMS_BYTE, .l_len = 1 };
      int fd = open (shm, O_RDONLY | O_CLOEXEC);

      if (fd < 0 || fcntl (fd, F_GETLK, &probe) != 0)
        _exit (2);
      _exit (probe.l_type == F_UNLCK ? 1 : 0);
    }
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return FALSE;
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* Judges an existing file, contents included, without writing to it:
 * only a file accepted here is ever opened for writing, and a healthy
 * one that cannot be written is kept read-only. What it read is what
 * the file will hold: a migration only adds what has defaults, and
 * writes the opportunities repaired here (self->repaired) as read. */
static gboolean
inspect (OmDatabase  *self,
         int         *version,
         gboolean    *read_all,
         GPtrArray   *opportunities,
         GPtrArray   *templates,
         GError     **error)
{
  g_autofree char *shown = om_text_escape_line (self->path);
  g_autofree char *copy_dir = NULL;
  g_autofree char *check = NULL;
  g_autoptr(GError) not_writable = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int app_id = 0;
  int n_tables = 0;

  g_assert (self->db == NULL);
  *read_all = FALSE;
  for (int attempt = 0; attempt < 2; attempt++)
    {
      self->db = open_for_inspection (self->path, attempt == 0, &copy_dir, error);
      if (self->db == NULL)
        goto out;

      app_id = query_int (self->db, "PRAGMA application_id", &ok);
      if (ok)
        *version = query_int (self->db, "PRAGMA user_version", &ok);
      if (ok)
        n_tables = query_int (self->db, "SELECT count(*) FROM sqlite_master", &ok);
      if (ok || sqlite3_errcode (self->db) == SQLITE_NOTADB)
        break;

      /* A -shm left by a killed process may not be readable without
       * rebuilding it (SQLITE_PROTOCOL): judge the files without it */
      g_debug ("Reading %s through its -shm: %s", self->path, sqlite3_errmsg (self->db));
      if (attempt == 0)
        {
          g_clear_pointer (&self->db, close_db);
          remove_copy (g_steal_pointer (&copy_dir));
        }
    }
  if (!ok && sqlite3_errcode (self->db) == SQLITE_NOTADB)
    {
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_DATABASE,
                   _("“%s” is not an Opportunity Manager database. It was left unchanged."), shown);
      goto out;
    }
  if (!ok)
    {
      g_debug ("Reading the header of %s: %s", self->path, sqlite3_errmsg (self->db));
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED,
                   _("“%s” is damaged: it is incomplete or broken and cannot be read. It was left unchanged; restore it from a backup."),
                   shown);
      goto out;
    }
  ok = FALSE;

  if (app_id == 0 && n_tables == 0)
    {
      *version = 0;  /* an empty SQLite file: ours to set up */
      ok = TRUE;
      goto out;
    }
  if (app_id != APPLICATION_ID)
    {
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_FOREIGN,
                   _("“%s” is a database of another application, not of Opportunity Manager. It was left unchanged."),
                   shown);
      goto out;
    }
  if (*version > OM_DATABASE_SCHEMA_VERSION)
    {
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Opportunity Manager (database version %d; this version reads up to %d). Update the application to open it. It was left unchanged."),
                   shown, *version, OM_DATABASE_SCHEMA_VERSION);
      goto out;
    }
  if (*version < 1)
    {
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED,
                   _("“%s” is damaged (it has no database version). It was left unchanged; restore it from a backup."),
                   shown);
      goto out;
    }

  /* A file at this version, closed cleanly (or in use by another
   * process), is judged by its header alone: checking or reading it
   * whole would make opening as slow as the file is large (SPEC 8).
   * What is damaged inside it is found, and said, when it is read, and
   * nothing is written then. One that needs migrating is checked, and
   * read when the migration needs its rows; one left with a transaction
   * in its -wal or -journal by a killed writer has its structure checked
   * before it is opened for writing, since that opening would write what
   * it left into the file; a -wal another process is using now (the
   * window, while the command line runs) is that process's to write. */
  *read_all = *version < LAST_MIGRATION_READING_ROWS;
  self->schema_version = *version;
  if (!*read_all && *version == OM_DATABASE_SCHEMA_VERSION && copy_dir == NULL &&
      !(has_left_over (self->path) && !wal_in_use (self->path)))
    {
      ok = TRUE;
      goto out;
    }

  /* SQLite's report is many lines for a developer: the log gets it, the
   * user one line that says what to do. */
  stmt = prepare (self->db, "PRAGMA quick_check");
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    check = g_strdup (column_text (stmt, 0));
  else
    check = g_strdup (sqlite3_errmsg (self->db));
  release (stmt);
  if (g_strcmp0 (check, "ok") != 0)
    {
      g_debug ("quick_check of %s: %.2000s", self->path, check);
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED,
                   _("“%s” is damaged: its internal structure is broken. It was left unchanged; restore it from a backup."),
                   shown);
      goto out;
    }

  /* a migration that only adds a table, and a file a killed writer left
   * a transaction beside, are checked, not read: what is inside is
   * judged when it is read, as for any file (a rule-breaking row is
   * refused then, naming it) */
  if (!*read_all)
    {
      ok = TRUE;
      goto out;
    }

  /* Contents that break the rules are refused here too, before the file
   * is opened for writing; those of an earlier version are repaired
   * first, to be written by the migration */
  if (*version < OM_DATABASE_SCHEMA_VERSION)
    self->repaired = g_ptr_array_new ();
  if (!read_opportunities (self, opportunities, error) ||
      !read_templates (self, templates, error))
    goto out;

  ok = TRUE;

out:
  if (ok && !check_writable (self->path, &not_writable))
    {
      /* A backup on a read-only disk, a colleague's file: it can be
       * looked at and exported as it is. One that needs updating cannot
       * be shown until it is updated. */
      if (*version == OM_DATABASE_SCHEMA_VERSION)
        self->read_only = g_strdup_printf (_("“%s” is read-only: you can look at it and export it, "
                                             "but no change can be saved in it. To change it, make "
                                             "the file and its folder writable, or copy it to a "
                                             "folder you can write to."), shown);
      else if (*version != 0)
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_READ_ONLY,
                     _("“%s” was written by an earlier version of Opportunity Manager and needs "
                       "updating, but it is read-only. Make the file and its folder writable, or "
                       "copy it to a folder you can write to. It was left unchanged."), shown);
      else
        g_propagate_error (error, g_steal_pointer (&not_writable));
      ok = self->read_only != NULL;
    }
  if (ok && *version != 0 && *version < OM_DATABASE_SCHEMA_VERSION &&
      !take_backup (self->db, self->path, *version, error))
    ok = FALSE;
  if (ok && self->read_only != NULL)
    {
      /* read from as it is shown: kept for the object's lifetime */
      self->copy_dir = g_steal_pointer (&copy_dir);
      return TRUE;
    }
  g_clear_pointer (&self->db, close_db);
  remove_copy (g_steal_pointer (&copy_dir));
  return ok;
}

static gboolean
set_up (OmDatabase  *self,
        int          version,
        GError     **error)
{
  int from = version;

  if (version == 0)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA application_id = %d", APPLICATION_ID);

      if (!exec_sql (self, self->db, schema_v1, error) ||
          !exec_sql (self, self->db, pragma, error))
        return FALSE;
      version = 1;
    }

  for (int v = version; v < OM_DATABASE_SCHEMA_VERSION; v++)
    if (!exec_sql (self, self->db, migrations[v], error))
      {
        g_prefix_error (error, _("Could not update the database to version %d: "), v + 1);
        return FALSE;
      }

  for (guint i = 0; self->repaired != NULL && i < self->repaired->len; i++)
    if (!rewrite_repaired (self->db, g_ptr_array_index (self->repaired, i)))
      {
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE,
                     _("Could not update the database to version %d: %s"),
                     OM_DATABASE_SCHEMA_VERSION, sqlite3_errmsg (self->db));
        return FALSE;
      }

  /* Schemas 5 and 8 keep what lists and views show: derived by the
   * model from each opportunity as the inspection read it (repaired, if
   * it was) */
  for (guint i = 0; from < 8 && self->migrated != NULL && i < self->migrated->len; i++)
    if (!write_summary (self->db, g_ptr_array_index (self->migrated, i)))
      {
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE,
                     _("Could not update the database to version %d: %s"),
                     OM_DATABASE_SCHEMA_VERSION, sqlite3_errmsg (self->db));
        return FALSE;
      }

  if (version != OM_DATABASE_SCHEMA_VERSION)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", OM_DATABASE_SCHEMA_VERSION);
      if (!exec_sql (self, self->db, pragma, error))
        return FALSE;
    }
  self->schema_version = OM_DATABASE_SCHEMA_VERSION;
  return TRUE;
}

/* Opens the accepted (or new) file for writing, and migrates it in one
 * transaction. */
static gboolean
open_for_writing (OmDatabase  *self,
                  int          version,
                  gboolean     creating,
                  GError     **error)
{
  g_autofree char *reason = NULL;
  gboolean ok = FALSE;
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      if (!set_place_error (error, place_failure_from_sqlite (self->db, rc), creating, self->path))
        {
          g_autofree char *shown = om_text_escape_line (self->path);
          g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO, _("Could not open “%s”: %s"),
                       shown, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
        }
      return FALSE;
    }
  trace_statements (self->db);
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* A write lock is taken on a WAL-mode file, so on a full disk this is
   * where its -wal or -shm cannot grow. */
  if (sqlite3_exec (self->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    goto failed;

  /* Judged at that version: another copy of the application that
   * updated it meanwhile may have written it since */
  if (version != 0 && query_int (self->db, "PRAGMA user_version", &ok) != version && ok)
    {
      g_autofree char *shown = om_text_escape_line (self->path);

      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_MIGRATION,
                   _("“%s” was updated by another copy of Opportunity Manager while it was being opened. Open it again."),
                   shown);
      return FALSE;
    }

  if (!set_up (self, version, error))
    {
      PlaceFailure failure = place_failure_from_sqlite (self->db, sqlite3_extended_errcode (self->db));

      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      if (failure != PLACE_OK && error && *error)
        {
          g_clear_error (error);
          set_place_error (error, failure, creating, self->path);
        }
      return FALSE;
    }
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
    goto failed;
  if (self->repaired != NULL && self->repaired->len > 0)
    g_message ("Updating %s to database version %d repaired %u opportunities that earlier versions "
               "allowed and the rules now refuse; the file as it was is kept beside it as a backup",
               self->path, OM_DATABASE_SCHEMA_VERSION, self->repaired->len);
  g_clear_pointer (&self->repaired, g_ptr_array_unref);
  return TRUE;

failed:
  rc = sqlite3_extended_errcode (self->db);
  /* the reason is the failed statement's, not the rollback's */
  reason = g_strdup (sqlite3_errmsg (self->db));
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  if (!set_place_error (error, place_failure_from_sqlite (self->db, rc), creating, self->path))
    {
      g_autofree char *shown = om_text_escape_line (self->path);

      if ((rc & 0xff) == SQLITE_BUSY)
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                     _("Could not open “%s”: another program kept it busy too long. It was left unchanged; "
                       "try again in a moment."), shown);
      else
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO, _("Could not open “%s”: %s"), shown, reason);
    }
  return FALSE;
}

/**
 * om_database_open:
 * @path: the database file; created when missing
 *
 * Opens (or creates) the database and migrates it forward in one
 * transaction after a backup copy. A file at the current version is
 * only judged by its header, so that opening takes the same time
 * whatever it holds (SPEC 8): damage inside it is reported when what it
 * damaged is read. One that needs migrating or was left by a killed
 * process is read and checked whole, as the migration reads it anyway. A file
 * that is not ours, is damaged or is too new is refused and left
 * byte-for-byte unchanged, and so is a healthy one that cannot be
 * written (read-only, disk full: said as such). Only a regular file is
 * a database.
 */
OmDatabase *
om_database_open (const char  *path,
                  GError     **error)
{
  g_autoptr(OmDatabase) self = NULL;
  g_autoptr(GPtrArray) made_folders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  gboolean exists = FALSE;
  gboolean empty = FALSE;
  gboolean read_all = FALSE;
  int version = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!check_file_kind (path, &exists, &empty, error))
    return NULL;

  self = g_object_new (OM_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  if (!exists)
    {
      if (!create_file (path, made_folders, error))
        {
          remove_created (path, made_folders);
          return NULL;
        }
    }
  else if (empty)
    {
      if (!check_writable (path, error))
        return NULL;
    }
  else if (g_access (path, R_OK) != 0)
    {
      int saved = errno;
      g_autofree char *shown = om_text_escape_line (path);

      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                   _("Could not read “%s”: %s. It was left unchanged."), shown, g_strerror (saved));
      return NULL;
    }
  else if (!inspect (self, &version, &read_all, opportunities, templates, error))
    return NULL;

  if (self->read_only != NULL)
    {
      g_info ("%s", self->read_only);
      return g_steal_pointer (&self);
    }

  /* what a migration read is what it derives each summary from; then it
   * is let go: only what is shown is kept in memory (SPEC 8) */
  if (read_all)
    self->migrated = g_steal_pointer (&opportunities);
  if (!open_for_writing (self, version, !exists, error))
    {
      g_clear_pointer (&self->db, close_db);
      if (!exists)
        remove_created (path, made_folders);
      return NULL;
    }
  g_clear_pointer (&self->migrated, g_ptr_array_unref);

  return g_steal_pointer (&self);
}

/**
 * om_database_load:
 * @opportunities: (out) (transfer full) (element-type OmOpportunityData)
 * @templates: (out) (transfer full) (element-type OmTemplateData)
 *
 * Reads every opportunity and template in the file, each checked as
 * om_backend_load_opportunity() checks it.
 */
gboolean
om_database_load (OmDatabase  *self,
                  GPtrArray  **opportunities,
                  GPtrArray  **templates,
                  GError     **error)
{
  g_autoptr(GPtrArray) opps = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) tpls = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);

  if (!read_opportunities (self, opps, error) || !read_templates (self, tpls, error))
    return FALSE;
  *opportunities = g_steal_pointer (&opps);
  *templates = g_steal_pointer (&tpls);
  return TRUE;
}

/**
 * om_database_open_repository:
 *
 * Returns: (transfer full): a repository showing the database's
 *   contents and keeping every edit in it
 */
OmRepository *
om_database_open_repository (const char  *path,
                             GError     **error)
{
  g_autoptr(OmDatabase) db = om_database_open (path, error);

  /* it reads what it shows, when it shows it (SPEC 8) */
  if (db == NULL)
    return NULL;
  return om_repository_new (OM_BACKEND (db));
}
