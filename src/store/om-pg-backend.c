/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-store"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "om-database.h"
#include "om-pg-backend.h"
#include "om-write-plan.h"

/**
 * OmPgBackend:
 *
 * A team's PostgreSQL server as the model's backend (SPEC section 9):
 * the same operations, revisions (R7) and messages as the SQLite file,
 * one transaction per edit. Ids come from the server's sequences inside
 * the edit's transaction; every value a list shows is the model's, kept
 * in columns beside each row, as in the SQLite file. Who may write what
 * is the server's to say (roles and row-level security, created by
 * om_pg_backend_init_server()); a refusal is shown with its reason.
 *
 * The location given may hold a password: it is only ever shown
 * through om_pg_location_shown().
 */
struct _OmPgBackend
{
  GObject  parent_instance;

  char    *location;      /* as given: may hold a password, never shown */
  char    *shown;         /* the location without its password */
  char    *password;      /* hidden from every message the server sends, or NULL */
  PGconn  *conn;

  /* the last failure of run(): the server's reason */
  char    *failed_state;  /* SQLSTATE, or NULL */
  char    *failed_reason;
  gboolean failed_lost;   /* the connection is gone */

  gboolean tracing;       /* G_MESSAGES_DEBUG=om-sql: every statement is logged */

  /* an edit's statements whose results nothing reads, not sent yet: they
   * go with the next statement that is (Statement) */
  GArray  *pending;

  gboolean watching;
  GSource *socket_watch;  /* the server's notifications, as they come */
  GSource *queue_watch;   /* those libpq read during our own queries */
};

/* A statement to send in a pipeline: its text (a literal) and values */
typedef struct
{
  const char *sql;
  GPtrArray  *params;   /* or NULL */
} Statement;

static void
statement_clear (Statement *statement)
{
  g_clear_pointer (&statement->params, g_ptr_array_unref);
}

static GArray *
statements_new (void)
{
  GArray *statements = g_array_new (FALSE, FALSE, sizeof (Statement));

  g_array_set_clear_func (statements, (GDestroyNotify) statement_clear);
  return statements;
}

static void
statements_add (GArray     *statements,
                const char *sql,
                GPtrArray  *params)
{
  Statement statement = { sql, params != NULL ? g_ptr_array_ref (params) : NULL };

  g_array_append_val (statements, statement);
}

static void om_pg_backend_backend_init (OmBackendInterface *iface);
static gboolean om_pg_backend_check_writable (OmBackend *backend,
                                              gint64     id,
                                              GError   **error);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmPgBackend, om_pg_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OM_TYPE_BACKEND, om_pg_backend_backend_init))

#define CHANNEL "oppmanager"
#define QUEUE_INTERVAL_MS 500

/* Schema 1. Text that is ordered or compared (sort keys, folded text,
 * names, currencies) is in the "C" collation: the model's order is
 * bytewise, whatever the server's locale. Dates are dates. The derived
 * columns are those of the SQLite file's schema 8, set by every write
 * from what the model derived; search goes through trigram indexes of
 * the model's folded text. */
static const char schema_v1[] =
  "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
  "CREATE SEQUENCE om_revisions;"
  "CREATE TABLE opportunities ("
  "  id bigserial PRIMARY KEY,"
  "  revision bigint NOT NULL CHECK (revision >= 1),"
  "  title text NOT NULL,"
  "  client text COLLATE \"C\" NOT NULL,"
  "  coordinator text COLLATE \"C\" NOT NULL DEFAULT '',"
  "  value_minor bigint NOT NULL DEFAULT 0 CHECK (value_minor >= 0),"
  "  currency text COLLATE \"C\" NOT NULL DEFAULT 'EUR',"
  "  start_date date NOT NULL,"
  "  notes text NOT NULL DEFAULT '',"
  "  target_date date,"
  "  status integer NOT NULL,"
  "  n_won integer NOT NULL,"
  "  n_stages integer NOT NULL,"
  "  chain_probability double precision NOT NULL,"
  "  next_due date,"
  "  sort_key text COLLATE \"C\" NOT NULL,"
  "  search_text text COLLATE \"C\" NOT NULL,"
  "  health bigint,"
  "  close_date date,"
  "  weighted_minor bigint NOT NULL,"
  "  first_pending_due date,"
  "  client_key text COLLATE \"C\" NOT NULL,"
  "  coordinator_key text COLLATE \"C\" NOT NULL);"
  "CREATE TABLE stages ("
  "  id bigserial PRIMARY KEY,"
  "  opportunity_id bigint NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  activity text NOT NULL,"
  "  milestone text NOT NULL,"
  "  kind text NOT NULL,"
  "  owner text COLLATE \"C\" NOT NULL,"
  "  client_owner text NOT NULL,"
  "  duration_days integer NOT NULL CHECK (duration_days >= 0),"
  "  probability double precision NOT NULL CHECK (probability BETWEEN 0 AND 1),"
  "  status text NOT NULL,"
  "  decided_on date,"
  "  lost_reason text NOT NULL,"
  "  client_description text NOT NULL,"
  "  notes text NOT NULL,"
  "  agreed_date date,"
  "  baseline_due_date date,"
  "  due_date date,"
  "  owner_key text COLLATE \"C\" NOT NULL,"
  "  search_text text COLLATE \"C\" NOT NULL,"
  "  UNIQUE (opportunity_id, position));"
  "CREATE TABLE history ("
  "  opportunity_id bigint NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  "  seq integer NOT NULL,"
  "  stage_index integer NOT NULL,"
  "  from_status text NOT NULL,"
  "  to_status text NOT NULL,"
  "  on_date date NOT NULL,"
  "  note text NOT NULL,"
  "  PRIMARY KEY (opportunity_id, seq));"
  "CREATE TABLE schedule_history ("
  "  opportunity_id bigint NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  what text NOT NULL,"
  "  stage integer,"
  "  from_date date,"
  "  to_date date,"
  "  on_date date NOT NULL,"
  "  note text NOT NULL,"
  "  PRIMARY KEY (opportunity_id, position));"
  "CREATE TABLE templates ("
  "  id bigserial PRIMARY KEY,"
  "  name text NOT NULL);"
  "CREATE TABLE template_stages ("
  "  template_id bigint NOT NULL REFERENCES templates (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  activity text NOT NULL,"
  "  milestone text NOT NULL,"
  "  kind text NOT NULL,"
  "  duration_days integer NOT NULL,"
  "  probability double precision NOT NULL,"
  "  client_description text NOT NULL,"
  "  PRIMARY KEY (template_id, position));"
  /* the lists' orders, each ending in id as the model's ties do (nulls
   * sort last in ascending order: "none last") */
  "CREATE INDEX opportunities_shown ON opportunities (sort_key, id);"
  "CREATE INDEX opportunities_status_shown ON opportunities (status, sort_key, id);"
  "CREATE INDEX opportunities_by_close ON opportunities (close_date, id);"
  "CREATE INDEX opportunities_by_next_due ON opportunities (next_due, id);"
  "CREATE INDEX opportunities_by_value ON opportunities (value_minor DESC, id);"
  "CREATE INDEX opportunities_by_weighted ON opportunities (weighted_minor DESC, id);"
  "CREATE INDEX opportunities_by_chain ON opportunities (chain_probability DESC, id);"
  "CREATE INDEX opportunities_by_client ON opportunities (client_key);"
  "CREATE INDEX opportunities_by_coordinator ON opportunities (coordinator_key);"
  "CREATE INDEX opportunities_overdue ON opportunities (first_pending_due) WHERE status = 0;"
  "CREATE INDEX opportunities_pipeline ON opportunities (status, close_date, currency);"
  "CREATE INDEX opportunities_search ON opportunities USING gin (search_text gin_trgm_ops);"
  "CREATE INDEX stages_by_owner ON stages (owner_key, opportunity_id);"
  "CREATE INDEX stages_agenda ON stages (due_date, opportunity_id, position) WHERE status = 'pending';"
  "CREATE INDEX stages_search ON stages USING gin (search_text gin_trgm_ops);"
  /* every committed change is announced, whoever made it (psql too):
   * what changed, its id and revision */
  "CREATE FUNCTION om_notify_change () RETURNS trigger LANGUAGE plpgsql AS $$"
  " DECLARE row jsonb := to_jsonb (CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);"
  " BEGIN"
  "  PERFORM pg_notify ('" CHANNEL "', TG_TABLE_NAME || ' ' || (row ->> 'id') || ' '"
  "                     || coalesce (row ->> 'revision', '0'));"
  "  RETURN NULL;"
  " END $$;"
  "CREATE TRIGGER opportunities_notify AFTER INSERT OR UPDATE OR DELETE ON opportunities"
  "  FOR EACH ROW EXECUTE FUNCTION om_notify_change ();"
  "CREATE TRIGGER templates_notify AFTER INSERT OR UPDATE OR DELETE ON templates"
  "  FOR EACH ROW EXECUTE FUNCTION om_notify_change ();"
  /* Who may write what (SPEC 9): everyone of the three reads; a
   * coordinator writes the opportunities whose coordinator is their
   * role name, and their stages and histories through them; admin
   * writes everything; sales writes nothing (no privilege at all) */
  "ALTER TABLE opportunities ENABLE ROW LEVEL SECURITY;"
  "ALTER TABLE stages ENABLE ROW LEVEL SECURITY;"
  "ALTER TABLE history ENABLE ROW LEVEL SECURITY;"
  "ALTER TABLE schedule_history ENABLE ROW LEVEL SECURITY;"
  "CREATE POLICY everyone_reads ON opportunities FOR SELECT USING (true);"
  "CREATE POLICY coordinator_inserts ON opportunities FOR INSERT TO oppmanager_coordinator"
  "  WITH CHECK (coordinator = current_user);"
  "CREATE POLICY coordinator_updates ON opportunities FOR UPDATE TO oppmanager_coordinator"
  "  USING (coordinator = current_user) WITH CHECK (coordinator = current_user);"
  "CREATE POLICY coordinator_deletes ON opportunities FOR DELETE TO oppmanager_coordinator"
  "  USING (coordinator = current_user);"
  "CREATE POLICY admin_writes ON opportunities TO oppmanager_admin USING (true) WITH CHECK (true);"
  "CREATE POLICY everyone_reads ON stages FOR SELECT USING (true);"
  "CREATE POLICY coordinator_writes ON stages TO oppmanager_coordinator"
  "  USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id AND o.coordinator = current_user))"
  "  WITH CHECK (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id AND o.coordinator = current_user));"
  "CREATE POLICY admin_writes ON stages TO oppmanager_admin USING (true) WITH CHECK (true);"
  "CREATE POLICY everyone_reads ON history FOR SELECT USING (true);"
  "CREATE POLICY coordinator_writes ON history TO oppmanager_coordinator"
  "  USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id AND o.coordinator = current_user))"
  "  WITH CHECK (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id AND o.coordinator = current_user));"
  "CREATE POLICY admin_writes ON history TO oppmanager_admin USING (true) WITH CHECK (true);"
  "CREATE POLICY everyone_reads ON schedule_history FOR SELECT USING (true);"
  "CREATE POLICY coordinator_writes ON schedule_history TO oppmanager_coordinator"
  "  USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id AND o.coordinator = current_user))"
  "  WITH CHECK (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id AND o.coordinator = current_user));"
  "CREATE POLICY admin_writes ON schedule_history TO oppmanager_admin USING (true) WITH CHECK (true);";

/* Schema 2: who made the last change to an opportunity, and who
 * removed one, so that a conflict names them (R7). The server sets both
 * (a write through psql too): the login that made the change. */
static const char schema_v2[] =
  "ALTER TABLE opportunities ADD COLUMN changed_by text NOT NULL DEFAULT '';"
  "CREATE FUNCTION om_note_change () RETURNS trigger LANGUAGE plpgsql AS $$"
  " BEGIN NEW.changed_by := session_user; RETURN NEW; END $$;"
  "CREATE TRIGGER opportunities_changed_by BEFORE INSERT OR UPDATE ON opportunities"
  "  FOR EACH ROW EXECUTE FUNCTION om_note_change ();"
  "CREATE TABLE removed_opportunities ("
  "  id bigint PRIMARY KEY,"
  "  removed_by text NOT NULL,"
  "  removed_at timestamptz NOT NULL DEFAULT now ());"
  /* written by the trigger's owner: nobody writes the table directly */
  "CREATE FUNCTION om_note_removal () RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
  "  SET search_path = pg_catalog, pg_temp AS $$"
  " BEGIN"
  "  EXECUTE format ('INSERT INTO %I.removed_opportunities (id, removed_by) VALUES ($1, $2)"
  "                   ON CONFLICT (id) DO UPDATE SET removed_by = excluded.removed_by, removed_at = now ()',"
  "                  TG_TABLE_SCHEMA) USING OLD.id, session_user;"
  "  RETURN NULL;"
  " END $$;"
  "CREATE TRIGGER opportunities_removed AFTER DELETE ON opportunities"
  "  FOR EACH ROW EXECUTE FUNCTION om_note_removal ();";

static const char *const migrations[] = {
  schema_v1,   /* to schema 1 */
  schema_v2,   /* to schema 2 */
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == OM_PG_SCHEMA_VERSION);

/* Roles are the cluster's, not the database's: another database of the
 * same server may have made them already */
static const char make_roles[] =
  "DO $$ BEGIN"
  " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'oppmanager_coordinator') THEN"
  "  CREATE ROLE oppmanager_coordinator NOLOGIN; END IF;"
  " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'oppmanager_sales') THEN"
  "  CREATE ROLE oppmanager_sales NOLOGIN; END IF;"
  " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'oppmanager_admin') THEN"
  "  CREATE ROLE oppmanager_admin NOLOGIN; END IF;"
  " END $$;";

/* Given again on every --init-server: granting twice is harmless */
static const char grants[] =
  "GRANT SELECT ON om_schema, opportunities, stages, history, schedule_history, templates, template_stages,"
  "  removed_opportunities TO oppmanager_coordinator, oppmanager_sales, oppmanager_admin;"
  "GRANT INSERT, UPDATE, DELETE ON opportunities, stages, history, schedule_history, templates, template_stages"
  "  TO oppmanager_coordinator, oppmanager_admin;"
  "GRANT USAGE ON opportunities_id_seq, stages_id_seq, templates_id_seq"
  "  TO oppmanager_coordinator, oppmanager_admin;"
  /* every edit takes its revision first: sales is refused by the table
   * it would write, which says so more plainly than a sequence */
  "GRANT USAGE ON om_revisions TO oppmanager_coordinator, oppmanager_sales, oppmanager_admin;";

/* Locations */

/**
 * om_pg_location_is_server:
 *
 * Returns: whether @location names a PostgreSQL server (a
 *   `postgresql://` or `postgres://` URI, or a libpq `key=value`
 *   connection string) rather than a file
 */
gboolean
om_pg_location_is_server (const char *location)
{
  PQconninfoOption *options;

  g_return_val_if_fail (location != NULL, FALSE);

  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    return TRUE;
  if (strchr (location, '=') == NULL)
    return FALSE;
  options = PQconninfoParse (location, NULL);
  if (options == NULL)
    return FALSE;
  PQconninfoFree (options);
  return TRUE;
}

/* A URI without the password of its user part nor a password parameter */
static char *
uri_shown (const char *uri)
{
  g_autoptr(GString) shown = g_string_new (NULL);
  const char *authority = strstr (uri, "://") + 3;
  const char *end = authority + strcspn (authority, "/?");
  const char *at = NULL;
  const char *query;

  g_string_append_len (shown, uri, authority - uri);
  for (const char *p = authority; p < end; p++)
    if (*p == '@')
      at = p;
  if (at != NULL)
    {
      const char *colon = memchr (authority, ':', at - authority);
      g_string_append_len (shown, authority, (colon != NULL ? colon : at) - authority);
      authority = at;
    }
  query = strchr (end, '?');
  g_string_append_len (shown, authority, (query != NULL ? query : end + strlen (end)) - authority);
  if (query != NULL)
    {
      g_auto(GStrv) parameters = g_strsplit (query + 1, "&", -1);
      gboolean first = TRUE;

      for (guint i = 0; parameters[i] != NULL; i++)
        {
          if (g_str_has_prefix (parameters[i], "password="))
            continue;
          g_string_append_c (shown, first ? '?' : '&');
          g_string_append (shown, parameters[i]);
          first = FALSE;
        }
    }
  return g_string_free (g_steal_pointer (&shown), FALSE);
}

/**
 * om_pg_location_shown:
 *
 * Returns: (transfer full): @location as messages show it: without a
 *   password, wherever it was written
 */
char *
om_pg_location_shown (const char *location)
{
  g_autoptr(GString) shown = NULL;
  PQconninfoOption *options;

  g_return_val_if_fail (location != NULL, NULL);

  if (strstr (location, "://") != NULL)
    return uri_shown (location);

  options = PQconninfoParse (location, NULL);
  if (options == NULL)
    return g_strdup (_("(a connection string that cannot be read)"));
  shown = g_string_new (NULL);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL || g_str_equal (o->keyword, "password"))
        continue;
      if (shown->len > 0)
        g_string_append_c (shown, ' ');
      g_string_append_printf (shown, "%s=", o->keyword);
      if (*o->val == '\0' || strpbrk (o->val, " '\\") != NULL)
        {
          g_string_append_c (shown, '\'');
          for (const char *p = o->val; *p != '\0'; p++)
            {
              if (*p == '\'' || *p == '\\')
                g_string_append_c (shown, '\\');
              g_string_append_c (shown, *p);
            }
          g_string_append_c (shown, '\'');
        }
      else
        g_string_append (shown, o->val);
    }
  PQconninfoFree (options);
  return g_string_free (g_steal_pointer (&shown), FALSE);
}

static char *
location_password (const char *location)
{
  PQconninfoOption *options = PQconninfoParse (location, NULL);
  char *password = NULL;

  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL && *o->val != '\0')
      password = g_strdup (o->val);
  PQconninfoFree (options);
  return password;
}

/* The server's words, on one line, without the password should they
 * ever repeat it */
static char *
reason_shown (const char *password,
              const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL && *text != '\0' ? text : _("no reason given")));
  g_auto(GStrv) lines = g_strsplit (trimmed, "\n", -1);
  g_autofree char *joined = g_strjoinv ("; ", lines);
  gsize length = strlen (joined);

  /* the messages around it end their sentences themselves */
  if (length > 0 && joined[length - 1] == '.')
    joined[length - 1] = '\0';
  if (password != NULL && strstr (joined, password) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (joined, password, -1);
      g_free (joined);
      joined = g_strjoinv ("***", parts);
    }
  return om_text_escape_line (joined);
}

/* Object */

static void
stop_watching (OmPgBackend *self)
{
  if (self->socket_watch != NULL)
    g_source_destroy (self->socket_watch);
  g_clear_pointer (&self->socket_watch, g_source_unref);
  if (self->queue_watch != NULL)
    g_source_destroy (self->queue_watch);
  g_clear_pointer (&self->queue_watch, g_source_unref);
}

static void
om_pg_backend_finalize (GObject *object)
{
  OmPgBackend *self = (OmPgBackend *) object;

  stop_watching (self);
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->failed_state, g_free);
  g_clear_pointer (&self->failed_reason, g_free);
  g_clear_pointer (&self->pending, g_array_unref);

  G_OBJECT_CLASS (om_pg_backend_parent_class)->finalize (object);
}

static void
om_pg_backend_class_init (OmPgBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = om_pg_backend_finalize;
}

static void
om_pg_backend_init (OmPgBackend *self)
{
  /* what a command sends can be seen, as with the SQLite file; only
   * then: otherwise it costs nothing */
  self->tracing = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "om-sql");
  self->pending = statements_new ();
}

const char *
om_pg_backend_get_shown (OmPgBackend *self)
{
  g_return_val_if_fail (OM_IS_PG_BACKEND (self), NULL);

  return self->shown;
}

/* Statements: text parameters, NULL for SQL NULL */

static GPtrArray *
params_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static void
add_text (GPtrArray  *params,
          const char *text)
{
  g_ptr_array_add (params, g_strdup (text != NULL ? text : ""));
}

static void
add_owned (GPtrArray *params,
           char      *text)
{
  g_ptr_array_add (params, text);
}

static void
add_int (GPtrArray *params,
         gint64     value)
{
  g_ptr_array_add (params, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

static void
add_double (GPtrArray *params,
            double     value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* shortest text that reads back as the same double */
  g_ptr_array_add (params, g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)));
}

static void
add_date (GPtrArray *params,
          OmDate     date)
{
  g_ptr_array_add (params, date == 0 ? NULL : om_date_to_iso (date));
}

/* "$n" of the parameter just added */
static void
append_param (GString   *sql,
              GPtrArray *params)
{
  g_string_append_printf (sql, "$%u", params->len);
}

static void
forget_failure (OmPgBackend *self)
{
  g_clear_pointer (&self->failed_state, g_free);
  g_clear_pointer (&self->failed_reason, g_free);
  self->failed_lost = FALSE;
}

static void
remember_failure (OmPgBackend    *self,
                  const PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  forget_failure (self);
  self->failed_state = g_strdup (state);
  self->failed_reason = reason_shown (self->password, primary != NULL ? primary : PQerrorMessage (self->conn));
  /* a session the server ended (shut down, restarted: SQLSTATE 57P..),
   * or a connection that broke (08...), even before libpq notices */
  self->failed_lost = PQstatus (self->conn) != CONNECTION_OK ||
                      (state != NULL && (g_str_has_prefix (state, "57P") || g_str_has_prefix (state, "08")));
}

/* A connection left in a state no statement can follow (a pipeline cut
 * short): closed, so that the next statement connects again */
static void
abandon_connection (OmPgBackend *self)
{
  stop_watching (self);
  g_clear_pointer (&self->conn, PQfinish);
  self->failed_lost = TRUE;
}

/* How many statements run_statements() sends before it reads their
 * results: few enough that neither side's socket buffer fills meanwhile */
#define BATCH 64

/*
 * Runs @statements in order, sent BATCH at a time in libpq's pipeline
 * mode: one round trip to the server per batch rather than per
 * statement. Returns their results in order; %NULL when one failed (the
 * server's reason is remembered, and the transaction is to be rolled
 * back).
 */
static GPtrArray *
run_statements (OmPgBackend *self,
                GArray      *statements)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_full (statements->len, (GDestroyNotify) PQclear);
  gboolean ok = TRUE;

  if (statements->len == 0)
    return g_steal_pointer (&results);
  if (!PQenterPipelineMode (self->conn))
    {
      remember_failure (self, NULL);
      return NULL;
    }
  for (guint first = 0; ok && first < statements->len; first += BATCH)
    {
      guint end = MIN (statements->len, first + BATCH);
      PGresult *sync;

      for (guint i = first; ok && i < end; i++)
        {
          const Statement *statement = &g_array_index (statements, Statement, i);
          GPtrArray *params = statement->params;

          if (self->tracing)
            g_log ("om-sql", G_LOG_LEVEL_DEBUG, "%s", statement->sql);
          ok = PQsendQueryParams (self->conn, statement->sql, params != NULL ? (int) params->len : 0, NULL,
                                  params != NULL ? (const char * const *) params->pdata : NULL,
                                  NULL, NULL, 0) == 1;
        }
      ok = PQpipelineSync (self->conn) == 1 && ok;
      if (!ok)
        {
          remember_failure (self, NULL);
          abandon_connection (self);
          return NULL;
        }
      for (guint i = first; i < end; i++)
        {
          PGresult *result = PQgetResult (self->conn);
          ExecStatusType status = PQresultStatus (result);

          if (result == NULL)
            {
              remember_failure (self, NULL);
              return NULL;
            }
          if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
            g_ptr_array_add (results, result);
          else
            {
              /* the first failure says why; those after it were not run */
              if (ok)
                remember_failure (self, result);
              ok = FALSE;
              PQclear (result);
            }
          /* each statement's results end with NULL */
          PQclear (PQgetResult (self->conn));
        }
      sync = PQgetResult (self->conn);
      if (PQresultStatus (sync) != PGRES_PIPELINE_SYNC)
        {
          if (ok)
            remember_failure (self, sync);
          PQclear (sync);
          abandon_connection (self);
          return NULL;
        }
      PQclear (sync);
    }
  if (!PQexitPipelineMode (self->conn))
    {
      if (ok)
        remember_failure (self, NULL);
      abandon_connection (self);
      return NULL;
    }
  return ok ? g_steal_pointer (&results) : NULL;
}

/* The statements queued so far, taken: the queue is empty after */
static GArray *
take_pending (OmPgBackend *self)
{
  GArray *pending = g_steal_pointer (&self->pending);

  self->pending = statements_new ();
  return pending;
}

/* Queues @sql (a literal) with @params, to be sent with the next
 * statement whose result is read (run(), run_many()), or with the
 * COMMIT: an edit's writes that return nothing share one round trip. A
 * failure is reported there; the transaction is then rolled back, and
 * the queue emptied, by roll_back(). */
static void
queue (OmPgBackend *self,
       const char  *sql,
       GPtrArray   *params)
{
  statements_add (self->pending, sql, params);
}

/* The result of @sql when it succeeded; otherwise %NULL, and the
 * server's reason is remembered. The statements queued before it go
 * first, in the same round trip. */
static PGresult *
run (OmPgBackend *self,
     const char  *sql,
     GPtrArray   *params)
{
  PGresult *result;
  ExecStatusType status;

  if (self->pending->len > 0)
    {
      g_autoptr(GArray) statements = take_pending (self);
      g_autoptr(GPtrArray) results = NULL;

      statements_add (statements, sql, params);
      results = run_statements (self, statements);
      return results != NULL ? g_ptr_array_steal_index (results, results->len - 1) : NULL;
    }
  if (self->tracing)
    g_log ("om-sql", G_LOG_LEVEL_DEBUG, "%s", sql);
  result = PQexecParams (self->conn, sql, params != NULL ? (int) params->len : 0, NULL,
                                   params != NULL ? (const char * const *) params->pdata : NULL,
                                   NULL, NULL, 0);
  status = PQresultStatus (result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;
  remember_failure (self, result);
  PQclear (result);
  return NULL;
}

static gboolean
run_done (OmPgBackend *self,
          const char  *sql,
          GPtrArray   *params)
{
  PGresult *result = run (self, sql, params);

  PQclear (result);
  return result != NULL;
}

/*
 * Runs @sql (a literal) once per parameter list of @rows, in one
 * pipeline with the statements queued before them: a new plan's stages
 * cost a round trip per BATCH, not per row. Returns the results of
 * @rows in order; %NULL when one failed, as run_statements().
 */
static GPtrArray *
run_many (OmPgBackend *self,
          const char  *sql,
          GPtrArray   *rows)
{
  g_autoptr(GArray) statements = NULL;
  GPtrArray *results;
  guint queued;

  if (rows->len == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) PQclear);
  statements = take_pending (self);
  queued = statements->len;
  for (guint i = 0; i < rows->len; i++)
    statements_add (statements, sql, g_ptr_array_index (rows, i));
  results = run_statements (self, statements);
  if (results != NULL)
    g_ptr_array_remove_range (results, 0, queued);
  return results;
}

/* Statements without parameters, several at once (schemas) */
static gboolean
run_script (OmPgBackend *self,
            const char  *sql)
{
  PGresult *result = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (result);
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

  if (!ok)
    remember_failure (self, result);
  PQclear (result);
  return ok;
}

/* Opens a write's transaction and takes its revision from the server's
 * sequence, in one round trip: the result of the SELECT (a simple query
 * of several statements answers with its last), or %NULL with the
 * server's reason remembered */
static PGresult *
begin_revision (OmPgBackend *self)
{
  const char *sql = "BEGIN; SELECT nextval ('om_revisions')";
  PGresult *result;

  if (self->tracing)
    g_log ("om-sql", G_LOG_LEVEL_DEBUG, "%s", sql);
  result = PQexec (self->conn, sql);
  if (PQresultStatus (result) == PGRES_TUPLES_OK)
    return result;
  remember_failure (self, result);
  PQclear (result);
  return NULL;
}

static void
roll_back (OmPgBackend *self)
{
  g_array_set_size (self->pending, 0);
  if (PQstatus (self->conn) == CONNECTION_OK)
    PQclear (PQexec (self->conn, "ROLLBACK"));
}

static const char *
get_text (const PGresult *result,
          int             row,
          int             column)
{
  return PQgetvalue (result, row, column);
}

static gint64
get_int (const PGresult *result,
         int             row,
         int             column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static double
get_double (const PGresult *result,
            int             row,
            int             column)
{
  return g_ascii_strtod (PQgetvalue (result, row, column), NULL);
}

/* A date column: 0 for NULL when @nullable */
static gboolean
get_date (const PGresult *result,
          int             row,
          int             column,
          gboolean        nullable,
          OmDate         *date)
{
  *date = 0;
  if (PQgetisnull (result, row, column))
    return nullable;
  return om_date_parse (PQgetvalue (result, row, column), date);
}

static void
quiet_notice_cb (void       *arg,
                 const char *message)
{
  /* "relation already exists, skipping" and the like: nothing for the user */
  g_debug ("server notice: %s", message);
}

/* Connecting */

static gboolean listen_again (OmPgBackend *self);

/* Connected, or connected again after the connection was lost (the
 * server restarted, the network came back); otherwise the failure is
 * remembered as a lost connection */
static gboolean
connect_server (OmPgBackend *self)
{
  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;

  forget_failure (self);
  if (self->conn == NULL)
    {
      self->conn = PQconnectdb (self->location);
      PQsetNoticeProcessor (self->conn, quiet_notice_cb, NULL);
    }
  else
    PQreset (self->conn);

  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      self->failed_reason = reason_shown (self->password, PQerrorMessage (self->conn));
      self->failed_lost = TRUE;
      return FALSE;
    }
  /* dates as YYYY-MM-DD, text as UTF-8, whatever the server's defaults */
  if (!run_script (self, "SET datestyle = 'ISO, YMD'; SET client_encoding = 'UTF8'; SET intervalstyle = 'iso_8601'"))
    return FALSE;
  return !self->watching || listen_again (self);
}

static void
set_unreachable (OmPgBackend *self,
                 GError     **error)
{
  g_autofree char *shown = om_text_escape_line (self->shown);

  g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_UNREACHABLE,
               _("The server “%s” cannot be reached: %s."), shown, self->failed_reason);
}

/* A read that failed */
static void
set_read_error (OmPgBackend *self,
                GError     **error)
{
  g_autofree char *shown = om_text_escape_line (self->shown);

  if (self->failed_lost)
    set_unreachable (self, error);
  else
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_IO,
                 _("Could not read from the server “%s”: %s."), shown, self->failed_reason);
}

static gboolean
damaged_opportunity (OmPgBackend             *self,
                     const OmOpportunityData *opp,
                     const char              *what,
                     GError                 **error)
{
  g_autofree char *shown = om_text_escape_line (self->shown);
  g_autofree char *title = om_text_excerpt (opp->title);
  g_autofree char *detail = om_text_escape_line (what);

  g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED,
               _("The opportunity “%s” on the server “%s” is damaged (%s). Nothing was changed; "
                 "ask the server's administrator to restore it."),
               title, shown, detail);
  return FALSE;
}

/* Writing */

typedef enum
{
  WRITE_OK,
  WRITE_FAILED,     /* the server's reason is remembered */
  WRITE_CONFLICT,   /* changed or removed meanwhile (R7) */
  WRITE_DENIED,     /* the row is there, at its revision, but the server's
                     * policies hide it from this user's writes */
} WriteResult;

/* A stage's own values, in the order of the stage statements below:
 * activity, milestone, kind, owner, client_owner, duration_days,
 * probability, status, decided_on, lost_reason, client_description,
 * notes, agreed_date, baseline_due_date */
static void
add_stage_values (GPtrArray         *params,
                  const OmStageData *s)
{
  add_text (params, s->activity);
  add_text (params, s->milestone);
  add_text (params, om_stage_kind_to_string (s->kind));
  add_text (params, s->owner);
  add_text (params, s->client_owner);
  add_int (params, s->duration_days);
  add_double (params, s->probability);
  add_text (params, om_stage_status_to_string (s->status));
  add_date (params, s->decided_on);
  add_text (params, s->lost_reason);
  add_text (params, s->client_description);
  add_text (params, s->notes);
  add_date (params, s->agreed_on);
  add_date (params, s->baseline_due);
}

/* The columns of a stage row, as stage_row() gives their values */
#define STAGE_COLUMNS \
  "id, opportunity_id, position, activity, milestone, kind, owner, client_owner, duration_days, probability," \
  " status, decided_on, lost_reason, client_description, notes, agreed_date, baseline_due_date, due_date," \
  " owner_key, search_text"
static const char *const stage_types[] = {
  "bigint", "bigint", "integer", "text", "text", "text", "text", "text", "integer", "double precision",
  "text", "date", "text", "text", "text", "date", "date", "date", "text", "text", NULL,
};

#define INSERT_STAGE \
  "INSERT INTO stages (" STAGE_COLUMNS ")" \
  " VALUES (coalesce ($1::bigint, nextval ('stages_id_seq')), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12," \
  " $13, $14, $15, $16, $17, $18, $19, $20)" \
  " ON CONFLICT (id) DO NOTHING RETURNING id"

/* The parameters of INSERT_STAGE for stage @i of @data, with its own id
 * or none (the server gives one) */
static GPtrArray *
stage_row (const OmOpportunityData *data,
           guint                    i,
           gboolean                 own_id,
           const OmDate            *due)
{
  const OmStageData *s = g_ptr_array_index (data->stages, i);
  GPtrArray *params = params_new ();

  if (own_id && s->id != 0)
    add_int (params, s->id);
  else
    g_ptr_array_add (params, NULL);
  add_int (params, data->id);
  add_int (params, i);
  add_stage_values (params, s);
  add_date (params, due[i]);
  add_owned (params, om_text_fold (s->owner));
  add_owned (params, om_stage_search_text (s));
  return params;
}

/* The stages of @data at @indices, as new rows, sent together: each
 * keeps its id where that is free, and gets one of the server's
 * otherwise (asked again, one by one: an undone removal whose ids were
 * taken meanwhile) */
static gboolean
insert_stages (OmPgBackend       *self,
               OmOpportunityData *data,
               GArray            *indices,
               const OmDate      *due)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) results = NULL;

  for (guint k = 0; k < indices->len; k++)
    g_ptr_array_add (rows, stage_row (data, g_array_index (indices, guint, k), TRUE, due));
  results = run_many (self, INSERT_STAGE, rows);
  if (results == NULL)
    return FALSE;
  for (guint k = 0; k < indices->len; k++)
    {
      guint i = g_array_index (indices, guint, k);
      PGresult *result = g_ptr_array_index (results, k);
      g_autoptr(GPtrArray) again = NULL;

      if (PQntuples (result) == 1)
        {
          om_opportunity_data_get_writable_stage (data, i)->id = get_int (result, 0, 0);
          continue;
        }
      again = stage_row (data, i, FALSE, due);
      result = run (self, INSERT_STAGE, again);
      if (result == NULL)
        return FALSE;
      if (PQntuples (result) != 1)
        {
          PQclear (result);
          return FALSE;
        }
      om_opportunity_data_get_writable_stage (data, i)->id = get_int (result, 0, 0);
      PQclear (result);
    }
  return TRUE;
}

#define HISTORY_COLUMNS "opportunity_id, seq, stage_index, from_status, to_status, on_date, note"
static const char *const history_types[] = {
  "bigint", "integer", "integer", "text", "text", "date", "text", NULL,
};

/* The values of HISTORY_COLUMNS for history entry @i of @data */
static GPtrArray *
history_row (const OmOpportunityData *data,
             guint                    i)
{
  const OmHistoryEntry *h = g_ptr_array_index (data->history, i);
  GPtrArray *params = params_new ();

  add_int (params, data->id);
  add_int (params, i);
  add_int (params, h->stage);
  add_text (params, om_stage_status_to_string (h->from));
  add_text (params, om_stage_status_to_string (h->to));
  add_date (params, h->on);
  add_text (params, h->note);
  return params;
}

/* The parameters of one row about entry @i of @data */
typedef GPtrArray *(*EntryRow) (const OmOpportunityData *data,
                                guint                    i);

/* Entries @from to before @end of @data, each a row of @row by @sql
 * (a literal), queued */
static void
queue_entries (OmPgBackend             *self,
               const char              *sql,
               const OmOpportunityData *data,
               guint                    from,
               guint                    end,
               EntryRow                 row)
{
  for (guint i = from; i < end; i++)
    {
      g_autoptr(GPtrArray) params = row (data, i);

      queue (self, sql, params);
    }
}

#define SCHEDULE_COLUMNS "opportunity_id, position, what, stage, from_date, to_date, on_date, note"
static const char *const schedule_types[] = {
  "bigint", "integer", "text", "integer", "date", "date", "date", "text", NULL,
};

/* The values of SCHEDULE_COLUMNS for schedule history entry @i of @data */
static GPtrArray *
schedule_row (const OmOpportunityData *data,
              guint                    i)
{
  const OmScheduleEntry *e = g_ptr_array_index (data->schedule, i);
  GPtrArray *params = params_new ();

  add_int (params, data->id);
  add_int (params, i);
  add_text (params, om_schedule_what_to_string (e->what));
  /* only an agreed date is about one stage */
  if (e->stage < 0)
    g_ptr_array_add (params, NULL);
  else
    add_int (params, e->stage);
  add_date (params, e->from);
  add_date (params, e->to);
  add_date (params, e->on);
  add_text (params, e->note);
  return params;
}

/* @sql (a literal) about the row or rows of @id, queued */
static void
queue_on_id (OmPgBackend *self,
             const char  *sql,
             gint64       id)
{
  g_autoptr(GPtrArray) params = params_new ();

  add_int (params, id);
  queue (self, sql, params);
}

/* The values of stage @s over its row, queued */
static void
queue_stage (OmPgBackend       *self,
             const OmStageData *s)
{
  g_autoptr(GPtrArray) params = params_new ();

  add_int (params, s->id);
  add_stage_values (params, s);
  add_owned (params, om_text_fold (s->owner));
  add_owned (params, om_stage_search_text (s));
  queue (self,
         "UPDATE stages SET activity = $2, milestone = $3, kind = $4, owner = $5, client_owner = $6,"
         " duration_days = $7, probability = $8, status = $9, decided_on = $10, lost_reason = $11,"
         " client_description = $12, notes = $13, agreed_date = $14, baseline_due_date = $15,"
         " owner_key = $16, search_text = $17 WHERE id = $1",
         params);
}

/* An array parameter of @n integers, in the server's text form */
static void
add_int_array (GPtrArray    *params,
               const gint64 *values,
               guint         n)
{
  GString *text = g_string_new ("{");

  for (guint k = 0; k < n; k++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, k > 0 ? "," : "", values[k]);
  g_string_append_c (text, '}');
  g_ptr_array_add (params, g_string_free (text, FALSE));
}

/* The ids of @data's stages at @indices, as an array parameter
 * (add_due_array() gives their due dates) */
static void
add_id_array (GPtrArray               *params,
              const OmOpportunityData *data,
              GArray                  *indices)
{
  g_autofree gint64 *ids = g_new (gint64, indices->len + 1);

  for (guint k = 0; k < indices->len; k++)
    ids[k] = ((const OmStageData *) g_ptr_array_index (data->stages, g_array_index (indices, guint, k)))->id;
  add_int_array (params, ids, indices->len);
}

static void
add_due_array (GPtrArray    *params,
               const OmDate *due,
               GArray       *indices)
{
  GString *text = g_string_new ("{");

  for (guint k = 0; k < indices->len; k++)
    {
      OmDate date = due[g_array_index (indices, guint, k)];
      g_autofree char *iso = date != 0 ? om_date_to_iso (date) : NULL;

      g_string_append_printf (text, "%s%s", k > 0 ? "," : "", iso != NULL ? iso : "NULL");
    }
  g_string_append_c (text, '}');
  g_ptr_array_add (params, g_string_free (text, FALSE));
}

/*
 * Brings the stage and history rows of @before (as stored, at the
 * revision just checked) to @after, writing only the rows that changed
 * (OmWritePlan), each kind of change in one statement where it can be.
 * They are queued: they go to the server with the new stages, whose ids
 * come back, or with the COMMIT, in one round trip however long the plan.
 */
static gboolean
write_rows (OmPgBackend             *self,
            const OmOpportunityData *before,
            OmOpportunityData       *after,
            const OmDate            *due,
            gboolean                 indices)
{
  g_autoptr(OmWritePlan) plan = om_write_plan_new (before, after, due, indices);

  if (plan->replace && before != NULL)
    queue_on_id (self, "DELETE FROM stages WHERE opportunity_id = $1", before->id);
  if (plan->removed->len > 0)
    {
      g_autoptr(GPtrArray) params = params_new ();

      add_int (params, before->id);
      add_int_array (params, (const gint64 *) plan->removed->data, plan->removed->len);
      queue (self, "DELETE FROM stages WHERE opportunity_id = $1 AND id = ANY ($2::bigint[])", params);
    }
  if (plan->moved->len > 0)
    {
      g_autoptr(GPtrArray) params = params_new ();
      g_autofree gint64 *places = g_new (gint64, plan->moved->len);

      /* through negative positions, then turned back: no two rows share one */
      for (guint k = 0; k < plan->moved->len; k++)
        places[k] = -1 - (gint64) g_array_index (plan->moved, guint, k);
      add_int (params, before->id);
      add_id_array (params, after, plan->moved);
      add_int_array (params, places, plan->moved->len);
      /* its due date moves with it: in the same row write */
      add_due_array (params, due, plan->moved);
      queue (self,
             "UPDATE stages AS s SET position = m.position, due_date = m.due"
             " FROM unnest ($2::bigint[], $3::integer[], $4::date[]) AS m (id, position, due)"
             " WHERE s.id = m.id AND s.opportunity_id = $1", params);
      queue_on_id (self, "UPDATE stages SET position = -1 - position WHERE opportunity_id = $1 AND position < 0",
                   before->id);
    }
  for (guint k = 0; k < plan->edited->len; k++)
    queue_stage (self, g_ptr_array_index (after->stages, g_array_index (plan->edited, guint, k)));
  if (!insert_stages (self, after, plan->inserted, due))
    return FALSE;
  if (plan->redated->len > 0)
    {
      g_autoptr(GPtrArray) params = params_new ();

      add_int (params, after->id);
      add_id_array (params, after, plan->redated);
      add_due_array (params, due, plan->redated);
      queue (self,
             "UPDATE stages AS s SET due_date = m.due FROM unnest ($2::bigint[], $3::date[]) AS m (id, due)"
             " WHERE s.id = m.id AND s.opportunity_id = $1", params);
    }

  if (plan->clear_history)
    queue_on_id (self, "DELETE FROM history WHERE opportunity_id = $1", after->id);
  queue_entries (self, "INSERT INTO history (" HISTORY_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 after, plan->history_from, after->history->len, history_row);
  if (plan->clear_schedule)
    queue_on_id (self, "DELETE FROM schedule_history WHERE opportunity_id = $1", after->id);
  queue_entries (self, "INSERT INTO schedule_history (" SCHEDULE_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                 after, plan->schedule_from, after->schedule->len, schedule_row);
  return TRUE;
}

/* Why a conditional write of @before wrote nothing: it is gone or at
 * another revision (R7), or it is there as it was and the server's
 * policies kept it from this user */
static WriteResult
why_unwritten (OmPgBackend             *self,
               const OmOpportunityData *before)
{
  g_autoptr(GPtrArray) params = params_new ();
  PGresult *result;
  WriteResult why;

  add_int (params, before->id);
  result = run (self, "SELECT revision FROM opportunities WHERE id = $1", params);
  if (result == NULL)
    return WRITE_FAILED;
  why = PQntuples (result) == 1 && get_int (result, 0, 0) == before->revision ? WRITE_DENIED : WRITE_CONFLICT;
  PQclear (result);
  return why;
}

/* The columns of an opportunity's row that a write sets: its id, then
 * those add_opportunity_values() gives */
#define OPPORTUNITY_WRITTEN \
  "id, title, client, coordinator, value_minor, currency, start_date, notes, target_date, revision, status," \
  " n_won, n_stages, chain_probability, next_due, sort_key, search_text, health, close_date, weighted_minor," \
  " first_pending_due, client_key, coordinator_key"
static const char *const opportunity_types[] = {
  "bigint", "text", "text", "text", "bigint", "text", "date", "text", "date", "bigint", "integer",
  "integer", "integer", "double precision", "date", "text", "text", "bigint", "date", "bigint",
  "date", "text", "text", NULL,
};

/* The values of @after's row after its id, at @revision, with what
 * @summary derived of it */
static void
add_opportunity_values (GPtrArray                  *params,
                        const OmOpportunityData    *after,
                        const OmOpportunitySummary *summary,
                        gint64                      revision)
{
  add_text (params, after->title);
  add_text (params, after->client);
  add_text (params, after->coordinator);
  add_int (params, after->value);
  add_text (params, after->currency);
  add_date (params, after->start_date);
  add_text (params, after->notes);
  add_date (params, after->target_date);
  add_int (params, revision);
  add_int (params, summary->status);
  add_int (params, summary->n_won);
  add_int (params, summary->n_stages);
  add_double (params, summary->chain_probability);
  add_date (params, summary->next_due);
  add_text (params, summary->sort_key);
  add_text (params, summary->search_text);
  if (summary->health == OM_HEALTH_UNKNOWN)
    g_ptr_array_add (params, NULL);
  else
    add_int (params, summary->health);
  add_date (params, summary->close_date);
  add_int (params, summary->weighted_value);
  add_date (params, summary->first_pending_due);
  add_owned (params, om_text_fold (summary->client));
  add_owned (params, om_text_fold (summary->coordinator));
}

/*
 * Writes @after in place of @before (%NULL: a new opportunity) if the
 * stored one is still at @before's revision. The stages and histories
 * are written again only when they changed. Fills in @after's id, its
 * stages' ids and its revision.
 */
static WriteResult
write_opportunity (OmPgBackend             *self,
                   const OmOpportunityData *before,
                   OmOpportunityData       *after,
                   const OmDerivedValues   *derived,
                   gint64                   revision)
{
  g_autoptr(OmOpportunitySummary) summary = derived != NULL ? om_opportunity_summary_new_derived (after, derived)
                                                            : om_opportunity_summary_new (after);
  g_autofree OmDate *due = om_write_plan_stored_dues (after);
  gint64 asked = before != NULL ? before->id : after->id;
  gboolean indices = FALSE;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GPtrArray) params = params_new ();
      PGresult *result;
      gboolean written;

      if (attempt == 0 && asked != 0)
        add_int (params, asked);
      else
        g_ptr_array_add (params, NULL);
      add_opportunity_values (params, after, summary, revision);

      if (before == NULL)
        result = run (self,
                      "INSERT INTO opportunities (" OPPORTUNITY_WRITTEN ")"
                      " VALUES (coalesce ($1::bigint, nextval ('opportunities_id_seq')), $2, $3, $4, $5, $6, $7,"
                      " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)"
                      " ON CONFLICT (id) DO NOTHING RETURNING id",
                      params);
      else
        {
          add_int (params, before->revision);
          add_int (params, (gint64) before->stages->len - 1);
          result = run (self,
                        "UPDATE opportunities SET title = $2, client = $3, coordinator = $4, value_minor = $5,"
                        " currency = $6, start_date = $7, notes = $8, target_date = $9, revision = $10,"
                        " status = $11, n_won = $12, n_stages = $13, chain_probability = $14, next_due = $15,"
                        " sort_key = $16, search_text = $17, health = $18, close_date = $19,"
                        " weighted_minor = $20, first_pending_due = $21, client_key = $22, coordinator_key = $23"
                        " WHERE id = $1 AND revision = $24"
                        /* whether the stored stage rows have the positions
                         * 0..n-1, as this application writes them (they
                         * are unique in a plan, so the first and the last
                         * say it): read in the same round trip */
                        " RETURNING id, (SELECT coalesce (min (position), 0) = 0 AND"
                        " coalesce (max (position), -1) = $25 FROM stages WHERE opportunity_id = $1)",
                        params);
        }
      if (result == NULL)
        return WRITE_FAILED;
      written = PQntuples (result) == 1;
      if (written)
        {
          gint64 id = get_int (result, 0, 0);

          if (before != NULL)
            indices = g_strcmp0 (PQgetvalue (result, 0, 1), "t") == 0;
          /* an id asked for and taken meanwhile: a new one, and new stages */
          if (before == NULL && id != after->id)
            for (guint i = 0; i < after->stages->len; i++)
              om_opportunity_data_get_writable_stage (after, i)->id = 0;
          after->id = id;
        }
      PQclear (result);
      if (written)
        break;
      if (before != NULL)
        return why_unwritten (self, before);
      if (attempt == 1)
        return WRITE_FAILED;
    }
  after->revision = revision;

  return write_rows (self, before, after, due, indices) ? WRITE_OK : WRITE_FAILED;
}

/* Many new opportunities at once (an import) */

/* How many new opportunities write_new_opportunities() writes with one
 * statement per table, and how many stages at most: each column is one
 * parameter, and long plans with long texts must stay far from the
 * server's limit on one value */
#define BULK 500
#define BULK_STAGES 5000

/* Column @c of @rows (parameter lists of one length), as one array
 * parameter: each value quoted, a missing one NULL */
static char *
column_array (GPtrArray *rows,
              guint      c)
{
  GString *text = g_string_new ("{");

  for (guint r = 0; r < rows->len; r++)
    {
      const char *value = g_ptr_array_index ((GPtrArray *) g_ptr_array_index (rows, r), c);

      if (r > 0)
        g_string_append_c (text, ',');
      if (value == NULL)
        {
          g_string_append (text, "NULL");
          continue;
        }
      g_string_append_c (text, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (text, '\\');
          g_string_append_c (text, *p);
        }
      g_string_append_c (text, '"');
    }
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

/* @rows into @table's @columns (of @types, NULL-terminated), in one
 * statement: each column one array parameter, unnested together */
static gboolean
insert_rows (OmPgBackend       *self,
             const char        *table,
             const char        *columns,
             const char *const *types,
             GPtrArray         *rows)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) params = params_new ();

  if (rows->len == 0)
    return TRUE;
  g_string_printf (sql, "INSERT INTO %s (%s) SELECT * FROM unnest (", table, columns);
  for (guint c = 0; types[c] != NULL; c++)
    {
      add_owned (params, column_array (rows, c));
      if (c > 0)
        g_string_append (sql, ", ");
      append_param (sql, params);
      g_string_append_printf (sql, "::%s[]", types[c]);
    }
  g_string_append_c (sql, ')');
  return run_done (self, sql->str, params);
}

/* @n new values of @sequence, taken in one statement; %NULL when that failed */
static gint64 *
take_ids (OmPgBackend *self,
          const char  *sequence,
          guint        n)
{
  g_autoptr(GPtrArray) params = params_new ();
  g_autofree gint64 *ids = g_new0 (gint64, n + 1);
  PGresult *result;
  gboolean ok;

  if (n == 0)
    return g_steal_pointer (&ids);
  add_text (params, sequence);
  add_int (params, n);
  result = run (self, "SELECT nextval ($1::regclass) FROM generate_series (1, $2::integer)", params);
  if (result == NULL)
    return NULL;
  ok = PQntuples (result) == (int) n;
  for (guint i = 0; ok && i < n; i++)
    ids[i] = get_int (result, (int) i, 0);
  PQclear (result);
  return ok ? g_steal_pointer (&ids) : NULL;
}

/* Whether @change adds an opportunity that asks for no id of its own,
 * nor for its stages: an imported one */
static gboolean
is_new_opportunity (const OmChange *change)
{
  const OmOpportunityData *after = change->after;

  if (change->kind != OM_CHANGE_OPPORTUNITY || change->before != NULL || after == NULL || after->id != 0)
    return FALSE;
  for (guint i = 0; i < after->stages->len; i++)
    if (((const OmStageData *) g_ptr_array_index (after->stages, i))->id != 0)
      return FALSE;
  return TRUE;
}

/*
 * The new opportunities of @changes from @first to before @end (each
 * is_new_opportunity()), at @revision: their ids and their stages' are
 * taken from the sequences first, then each table's rows go in one
 * statement. An import of 100,000 opportunities then costs a few round
 * trips per BULK of them, where writing each one costs three.
 */
static gboolean
write_new_opportunities (OmPgBackend *self,
                         GPtrArray   *changes,
                         guint        first,
                         guint        end,
                         gint64       revision)
{
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) stages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) schedule = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autofree gint64 *ids = NULL;
  g_autofree gint64 *stage_ids = NULL;
  guint n_stages = 0, next_stage = 0;

  for (guint k = first; k < end; k++)
    n_stages += ((OmOpportunityData *) ((OmChange *) g_ptr_array_index (changes, k))->after)->stages->len;
  /* a role that may not add opportunities is refused by the table, as
   * one by one, not by the sequence the ids come from */
  if (!run_done (self, "INSERT INTO opportunities SELECT * FROM opportunities WHERE false", NULL))
    return FALSE;
  ids = take_ids (self, "opportunities_id_seq", end - first);
  stage_ids = ids != NULL ? take_ids (self, "stages_id_seq", n_stages) : NULL;
  if (stage_ids == NULL)
    return FALSE;

  for (guint k = first; k < end; k++)
    {
      OmChange *change = g_ptr_array_index (changes, k);
      OmOpportunityData *after = change->after;
      g_autoptr(OmOpportunitySummary) summary = change->derived != NULL
                                                ? om_opportunity_summary_new_derived (after, change->derived)
                                                : om_opportunity_summary_new (after);
      g_autofree OmDate *due = om_write_plan_stored_dues (after);
      GPtrArray *row = params_new ();

      after->id = ids[k - first];
      after->revision = revision;
      add_int (row, after->id);
      add_opportunity_values (row, after, summary, revision);
      g_ptr_array_add (opportunities, row);
      for (guint i = 0; i < after->stages->len; i++)
        {
          om_opportunity_data_get_writable_stage (after, i)->id = stage_ids[next_stage++];
          g_ptr_array_add (stages, stage_row (after, i, TRUE, due));
        }
      for (guint i = 0; i < after->history->len; i++)
        g_ptr_array_add (history, history_row (after, i));
      for (guint i = 0; i < after->schedule->len; i++)
        g_ptr_array_add (schedule, schedule_row (after, i));
    }

  return insert_rows (self, "opportunities", OPPORTUNITY_WRITTEN, opportunity_types, opportunities) &&
         insert_rows (self, "stages", STAGE_COLUMNS, stage_types, stages) &&
         insert_rows (self, "history", HISTORY_COLUMNS, history_types, history) &&
         insert_rows (self, "schedule_history", SCHEDULE_COLUMNS, schedule_types, schedule);
}

static WriteResult
delete_opportunity (OmPgBackend             *self,
                    const OmOpportunityData *before)
{
  g_autoptr(GPtrArray) params = params_new ();
  PGresult *result;
  gboolean deleted;

  add_int (params, before->id);
  add_int (params, before->revision);
  result = run (self, "DELETE FROM opportunities WHERE id = $1 AND revision = $2 RETURNING id", params);
  if (result == NULL)
    return WRITE_FAILED;
  deleted = PQntuples (result) == 1;
  PQclear (result);
  return deleted ? WRITE_OK : why_unwritten (self, before);
}

static gboolean
write_template (OmPgBackend    *self,
                OmTemplateData *data)
{
  g_autoptr(GPtrArray) params = params_new ();
  PGresult *result;

  if (data->id != 0)
    add_int (params, data->id);
  else
    g_ptr_array_add (params, NULL);
  add_text (params, data->name);
  result = run (self,
                "INSERT INTO templates (id, name) VALUES (coalesce ($1::bigint, nextval ('templates_id_seq')), $2)"
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name RETURNING id",
                params);
  if (result == NULL)
    return FALSE;
  data->id = get_int (result, 0, 0);
  PQclear (result);
  queue_on_id (self, "DELETE FROM template_stages WHERE template_id = $1", data->id);
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *s = g_ptr_array_index (data->stages, i);
      g_autoptr(GPtrArray) stage = params_new ();

      add_int (stage, data->id);
      add_int (stage, i);
      add_text (stage, s->activity);
      add_text (stage, s->milestone);
      add_text (stage, om_stage_kind_to_string (s->kind));
      add_int (stage, s->duration_days);
      add_double (stage, s->probability);
      add_text (stage, s->client_description);
      queue (self,
             "INSERT INTO template_stages (template_id, position, activity, milestone, kind,"
             " duration_days, probability, client_description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
             stage);
    }
  return TRUE;
}

static WriteResult
write_change (OmPgBackend *self,
              OmChange    *change,
              gint64       revision)
{
  if (change->kind == OM_CHANGE_OPPORTUNITY)
    {
      if (change->after == NULL)
        return delete_opportunity (self, change->before);
      return write_opportunity (self, change->before, change->after, change->derived, revision);
    }
  if (change->after == NULL)
    {
      queue_on_id (self, "DELETE FROM templates WHERE id = $1", ((OmTemplateData *) change->before)->id);
      return WRITE_OK;
    }
  return write_template (self, change->after) ? WRITE_OK : WRITE_FAILED;
}

/* The words of the SQLite file's (R7), with who made the other change
 * where the server knows it: a name, or "you" in another window */
static void
set_conflict_error (OmPgBackend             *self,
                    const OmOpportunityData *before,
                    GError                 **error)
{
  g_autoptr(GPtrArray) params = params_new ();
  g_autofree char *title = om_text_excerpt (before->title);
  g_autofree char *who = NULL;
  PGresult *result;
  gboolean removed = FALSE;
  gboolean me = FALSE;

  add_int (params, before->id);
  result = run (self,
                "SELECT NOT EXISTS (SELECT 1 FROM opportunities WHERE id = $1),"
                " coalesce ((SELECT changed_by FROM opportunities WHERE id = $1),"
                "           (SELECT removed_by FROM removed_opportunities WHERE id = $1), ''),"
                " session_user::text",
                params);
  if (result != NULL)
    {
      removed = g_str_equal (get_text (result, 0, 0), "t");
      if (*get_text (result, 0, 1) != '\0')
        {
          who = om_text_excerpt (get_text (result, 0, 1));
          me = g_str_equal (get_text (result, 0, 1), get_text (result, 0, 2));
        }
      PQclear (result);
    }

  if (removed && who == NULL)
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT,
                 _("Someone else removed the opportunity “%s” meanwhile. Your change was not saved, "
                   "and nothing else was changed."), title);
  else if (removed && me)
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT,
                 /* TRANSLATORS: %s: the user's own login name on the server */
                 _("You (%s) removed the opportunity “%s” meanwhile, in another window or on another computer. "
                   "Your change was not saved, and nothing else was changed."), who, title);
  else if (removed)
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT,
                 /* TRANSLATORS: %s: another user's login name on the server */
                 _("%s removed the opportunity “%s” meanwhile. Your change was not saved, "
                   "and nothing else was changed."), who, title);
  else if (who == NULL)
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT,
                 _("Someone else changed the opportunity “%s” meanwhile. Your change was not saved: "
                   "their version is shown now; make your change again if it is still needed."), title);
  else if (me)
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT,
                 _("You (%s) changed the opportunity “%s” meanwhile, in another window or on another computer. "
                   "This change was not saved: that version is shown now; make this change again if it is "
                   "still needed."), who, title);
  else
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT,
                 _("%s changed the opportunity “%s” meanwhile. Your change was not saved: their version is "
                   "shown now; make your change again if it is still needed."), who, title);
}

/* A write the server refused: its reason, said as such */
static void
set_write_error (OmPgBackend *self,
                 GError     **error)
{
  g_autofree char *shown = om_text_escape_line (self->shown);

  if (self->failed_lost)
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_UNREACHABLE,
                 _("The change could not be saved: the server “%s” cannot be reached (%s). Nothing was changed; "
                   "the next change connects again."), shown, self->failed_reason);
  else if (g_strcmp0 (self->failed_state, "42501") == 0)
    /* insufficient privilege: a missing grant, or a row-level security policy */
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DENIED,
                 _("The server “%s” refused the change: %s. Your role may not make it; nothing was changed."),
                 shown, self->failed_reason);
  else
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE,
                 _("The change could not be saved to “%s”: %s. Nothing was changed."), shown, self->failed_reason);
}

static gboolean
om_pg_backend_apply (OmBackend *backend,
                     GPtrArray *changes,
                     GError   **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  PGresult *result;
  gint64 revision;

  if (!connect_server (self))
    {
      set_write_error (self, error);
      return FALSE;
    }
  /* a connection that was lost while idle is only found out now: nothing
   * was written yet, so it is opened again and the edit goes ahead */
  result = begin_revision (self);
  if (result == NULL && self->failed_lost && connect_server (self))
    result = begin_revision (self);
  if (result == NULL)
    goto failed;
  revision = get_int (result, 0, 0);
  PQclear (result);

  for (guint i = 0; i < changes->len; i++)
    {
      OmChange *change = g_ptr_array_index (changes, i);
      guint end = i;

      guint n_stages = 0;

      /* new opportunities by the hundred, an import's, in bulk */
      while (end < changes->len && end - i < BULK && n_stages < BULK_STAGES &&
             is_new_opportunity (g_ptr_array_index (changes, end)))
        n_stages += ((OmOpportunityData *) ((OmChange *) g_ptr_array_index (changes, end++))->after)->stages->len;
      if (end - i > 1)
        {
          if (!write_new_opportunities (self, changes, i, end, revision))
            goto failed;
          i = end - 1;
          continue;
        }

      switch (write_change (self, change, revision))
        {
        case WRITE_OK:
          continue;
        case WRITE_CONFLICT:
          set_conflict_error (self, change->before, error);
          roll_back (self);
          return FALSE;
        case WRITE_DENIED:
          {
            g_autofree char *title = om_text_excerpt (((OmOpportunityData *) change->before)->title);
            g_autofree char *shown = om_text_escape_line (self->shown);

            roll_back (self);
            g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DENIED,
                         _("The server “%s” refused the change to the opportunity “%s”: its row-level security "
                           "policy lets only its coordinator or an administrator change it. Nothing was changed."),
                         shown, title);
            return FALSE;
          }
        case WRITE_FAILED:
        default:
          goto failed;
        }
    }
  if (run_done (self, "COMMIT", NULL))
    return TRUE;

failed:
  set_write_error (self, error);
  roll_back (self);
  return FALSE;
}

/* Reading */

/* The columns read_opportunity() reads */
#define OPPORTUNITY_COLUMNS "id, title, client, coordinator, value_minor, currency, start_date, notes, revision," \
                            " target_date"

/* Row @row of a stage query, added to @opp; %FALSE for a value this
 * application does not know */
static gboolean
read_stage_row (const PGresult    *result,
                int                row,
                OmOpportunityData *opp)
{
  OmStageData *s = om_stage_data_new (get_text (result, row, 1), get_text (result, row, 2));

  g_ptr_array_add (opp->stages, s);
  s->id = get_int (result, row, 0);
  g_free (s->owner);
  s->owner = g_strdup (get_text (result, row, 4));
  g_free (s->client_owner);
  s->client_owner = g_strdup (get_text (result, row, 5));
  s->duration_days = (guint) CLAMP (get_int (result, row, 6), 0, G_MAXINT);
  s->probability = get_double (result, row, 7);
  g_free (s->lost_reason);
  s->lost_reason = g_strdup (get_text (result, row, 10));
  g_free (s->client_description);
  s->client_description = g_strdup (get_text (result, row, 11));
  g_free (s->notes);
  s->notes = g_strdup (get_text (result, row, 12));
  return om_stage_kind_from_string (get_text (result, row, 3), &s->kind) &&
         om_stage_status_from_string (get_text (result, row, 8), &s->status) &&
         get_date (result, row, 9, TRUE, &s->decided_on) &&
         get_date (result, row, 13, TRUE, &s->agreed_on) &&
         get_date (result, row, 14, TRUE, &s->baseline_due);
}

static gboolean
read_history_row (const PGresult    *result,
                  int                row,
                  OmOpportunityData *opp)
{
  OmStageStatus from, to;
  OmDate on;
  gint64 stage = get_int (result, row, 0);

  if (stage < 0 || stage > G_MAXINT ||
      !om_stage_status_from_string (get_text (result, row, 1), &from) ||
      !om_stage_status_from_string (get_text (result, row, 2), &to) ||
      !get_date (result, row, 3, FALSE, &on))
    return FALSE;
  g_ptr_array_add (opp->history, om_history_entry_new ((guint) stage, from, to, on, get_text (result, row, 4)));
  return TRUE;
}

static gboolean
read_schedule_row (const PGresult    *result,
                   int                row,
                   OmOpportunityData *opp)
{
  OmScheduleWhat what;
  OmDate from, to, on;
  gboolean no_stage = PQgetisnull (result, row, 1);
  gint64 stage = no_stage ? -1 : get_int (result, row, 1);
  OmScheduleEntry *e;

  if ((!no_stage && (stage < 0 || stage > G_MAXINT)) ||
      !om_schedule_what_from_string (get_text (result, row, 0), &what) ||
      !get_date (result, row, 2, TRUE, &from) ||
      !get_date (result, row, 3, TRUE, &to) ||
      !get_date (result, row, 4, FALSE, &on))
    return FALSE;
  e = om_schedule_entry_new (what, (int) stage, from, to, on, get_text (result, row, 5));
  /* as stored: a stage named where none belongs is for the rules to refuse */
  e->stage = (int) stage;
  g_ptr_array_add (opp->schedule, e);
  return TRUE;
}

/* The rows @sql gives for @opp's id, each added to it by @read_row; a
 * row it does not take makes the opportunity damaged, saying @damage */
static gboolean
read_rows (OmPgBackend       *self,
           OmOpportunityData *opp,
           const char        *sql,
           gboolean         (*read_row) (const PGresult *, int, OmOpportunityData *),
           const char        *damage,
           GError           **error)
{
  g_autoptr(GPtrArray) params = params_new ();
  PGresult *result;

  add_int (params, opp->id);
  result = run (self, sql, params);
  if (result == NULL)
    {
      set_read_error (self, error);
      return FALSE;
    }
  for (int row = 0; row < PQntuples (result); row++)
    if (!read_row (result, row, opp))
      {
        PQclear (result);
        return damaged_opportunity (self, opp, damage, error);
      }
  PQclear (result);
  return TRUE;
}

/* Row @row of OPPORTUNITY_COLUMNS, with its stages and histories,
 * checked by the model's rules: a row written around the application
 * (psql) that breaks them is refused, never shown */
static OmOpportunityData *
read_opportunity (OmPgBackend    *self,
                  const PGresult *result,
                  int             row,
                  GError        **error)
{
  g_autoptr(OmOpportunityData) opp = om_opportunity_data_new (get_text (result, row, 1),
                                                              get_text (result, row, 2), 0);
  g_autoptr(GError) invalid = NULL;

  opp->id = get_int (result, row, 0);
  g_free (opp->coordinator);
  opp->coordinator = g_strdup (get_text (result, row, 3));
  opp->value = get_int (result, row, 4);
  g_free (opp->currency);
  opp->currency = g_strdup (get_text (result, row, 5));
  g_free (opp->notes);
  opp->notes = g_strdup (get_text (result, row, 7));
  opp->revision = get_int (result, row, 8);
  if (!get_date (result, row, 6, FALSE, &opp->start_date))
    {
      damaged_opportunity (self, opp, _("it has no valid start date"), error);
      return NULL;
    }
  if (!get_date (result, row, 9, TRUE, &opp->target_date))
    {
      damaged_opportunity (self, opp, _("its target date is not a date"), error);
      return NULL;
    }
  if (!read_rows (self, opp,
                  "SELECT id, activity, milestone, kind, owner, client_owner, duration_days, probability, status,"
                  " decided_on, lost_reason, client_description, notes, agreed_date, baseline_due_date"
                  " FROM stages WHERE opportunity_id = $1 ORDER BY position",
                  read_stage_row, _("a stage has values this application does not know"), error) ||
      !read_rows (self, opp,
                  "SELECT stage_index, from_status, to_status, on_date, note"
                  " FROM history WHERE opportunity_id = $1 ORDER BY seq",
                  read_history_row, _("the decision history has values this application does not know"), error) ||
      !read_rows (self, opp,
                  "SELECT what, stage, from_date, to_date, on_date, note"
                  " FROM schedule_history WHERE opportunity_id = $1 ORDER BY position",
                  read_schedule_row, _("the schedule history has values this application does not know"), error))
    return NULL;
  if (!om_opportunity_data_validate_full (opp, NULL, &invalid))
    {
      damaged_opportunity (self, opp, invalid->message, error);
      return NULL;
    }
  return g_steal_pointer (&opp);
}

/* A read of several statements, all of one moment */
static gboolean
begin_read (OmPgBackend *self,
            GError     **error)
{
  if (!connect_server (self) ||
      (!run_done (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL) &&
       (!self->failed_lost || !connect_server (self) ||
        !run_done (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL))))
    {
      set_read_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
end_read (OmPgBackend *self)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    PQclear (PQexec (self->conn, "COMMIT"));
}

/* One statement's result, connecting again first if needed */
static PGresult *
read_once (OmPgBackend *self,
           const char  *sql,
           GPtrArray   *params,
           GError     **error)
{
  PGresult *result = NULL;

  if (connect_server (self))
    {
      result = run (self, sql, params);
      if (result == NULL && self->failed_lost && connect_server (self))
        result = run (self, sql, params);
    }
  if (result == NULL)
    set_read_error (self, error);
  return result;
}

static OmOpportunityData *
om_pg_backend_load_opportunity (OmBackend *backend,
                                gint64     id,
                                GError   **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  g_autoptr(GPtrArray) params = params_new ();
  OmOpportunityData *opp = NULL;
  PGresult *result;

  if (!begin_read (self, error))
    return NULL;
  add_int (params, id);
  result = run (self, "SELECT " OPPORTUNITY_COLUMNS " FROM opportunities WHERE id = $1", params);
  if (result == NULL)
    set_read_error (self, error);
  else if (PQntuples (result) == 1)
    opp = read_opportunity (self, result, 0, error);
  else
    {
      g_autofree char *shown = om_text_escape_line (self->shown);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                   _("“%s” holds no opportunity %s: it may have been removed meanwhile."), shown, number);
    }
  PQclear (result);
  end_read (self);
  return opp;
}

static GPtrArray *
read_templates (OmPgBackend *self,
                GError     **error)
{
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  PGresult *result = run (self, "SELECT id, name FROM templates ORDER BY id", NULL);

  if (result == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }
  for (int row = 0; row < PQntuples (result); row++)
    {
      OmTemplateData *data = om_template_data_new (get_text (result, row, 1));

      data->id = get_int (result, row, 0);
      g_ptr_array_add (templates, data);
      g_hash_table_insert (by_id, &data->id, data);
    }
  PQclear (result);

  result = run (self,
                "SELECT template_id, activity, milestone, kind, duration_days, probability, client_description"
                " FROM template_stages ORDER BY template_id, position", NULL);
  if (result == NULL)
    {
      set_read_error (self, error);
      return NULL;
    }
  for (int row = 0; row < PQntuples (result); row++)
    {
      gint64 id = get_int (result, row, 0);
      OmTemplateData *data = g_hash_table_lookup (by_id, &id);
      OmStageData *s;

      if (data == NULL)
        continue;
      s = om_stage_data_new (get_text (result, row, 1), get_text (result, row, 2));
      g_ptr_array_add (data->stages, s);
      s->duration_days = (guint) CLAMP (get_int (result, row, 4), 0, G_MAXINT);
      s->probability = get_double (result, row, 5);
      g_free (s->client_description);
      s->client_description = g_strdup (get_text (result, row, 6));
      if (!om_stage_kind_from_string (get_text (result, row, 3), &s->kind))
        s->kind = OM_STAGE_KIND_STANDARD;
    }
  PQclear (result);
  for (guint i = 0; i < templates->len; i++)
    if (!om_template_data_validate (g_ptr_array_index (templates, i), NULL))
      {
        g_autofree char *shown = om_text_escape_line (self->shown);
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED,
                     _("A template on the server “%s” breaks the rules. Nothing was changed; "
                       "ask the server's administrator to restore it."), shown);
        return NULL;
      }
  return g_steal_pointer (&templates);
}

static GPtrArray *
om_pg_backend_load_templates (OmBackend *backend,
                              GError   **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  GPtrArray *templates;

  if (!begin_read (self, error))
    return NULL;
  templates = read_templates (self, error);
  end_read (self);
  return templates;
}

/**
 * om_pg_backend_load:
 *
 * Reads every opportunity and template on the server, each checked as
 * om_backend_load_opportunity() checks it, all of one moment.
 */
gboolean
om_pg_backend_load (OmPgBackend *self,
                    GPtrArray  **opportunities,
                    GPtrArray  **templates,
                    GError     **error)
{
  g_autoptr(GPtrArray) opps = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) tpls = NULL;
  PGresult *result;

  g_return_val_if_fail (OM_IS_PG_BACKEND (self), FALSE);

  if (!begin_read (self, error))
    return FALSE;
  result = run (self, "SELECT " OPPORTUNITY_COLUMNS " FROM opportunities ORDER BY id", NULL);
  if (result == NULL)
    {
      set_read_error (self, error);
      end_read (self);
      return FALSE;
    }
  for (int row = 0; row < PQntuples (result); row++)
    {
      OmOpportunityData *opp = read_opportunity (self, result, row, error);

      if (opp == NULL)
        {
          PQclear (result);
          end_read (self);
          return FALSE;
        }
      g_ptr_array_add (opps, opp);
    }
  PQclear (result);
  tpls = read_templates (self, error);
  end_read (self);
  if (tpls == NULL)
    return FALSE;
  *opportunities = g_steal_pointer (&opps);
  *templates = g_steal_pointer (&tpls);
  return TRUE;
}

/* @folded as a LIKE pattern that finds it anywhere */
static char *
substring_pattern (const char *folded)
{
  g_autoptr(GString) pattern = g_string_new ("%");

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

static void
add_condition (GString    *sql,
               const char *condition)
{
  g_string_append (sql, strstr (sql->str, " WHERE ") != NULL ? " AND " : " WHERE ");
  g_string_append (sql, condition);
}

/* Answered from the indexes, as the SQLite file's are; the values
 * compared are the model's. A search is a substring of the model's
 * folded text, found through the trigram indexes. */
static GArray *
om_pg_backend_list_ids (OmBackend                *backend,
                        const OmOpportunityQuery *query,
                        GError                  **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  g_autoptr(GString) sql = g_string_new ("SELECT id FROM opportunities");
  g_autoptr(GPtrArray) params = params_new ();
  GArray *ids;
  PGresult *result;

  if (query->status >= 0)
    {
      add_int (params, query->status);
      add_condition (sql, "status = ");
      append_param (sql, params);
    }
  if (query->search != NULL && *query->search != '\0')
    {
      add_owned (params, substring_pattern (query->search));
      add_condition (sql, "(search_text LIKE ");
      append_param (sql, params);
      g_string_append (sql, " OR id IN (SELECT opportunity_id FROM stages WHERE search_text LIKE ");
      append_param (sql, params);
      g_string_append (sql, "))");
    }
  if (query->owner != NULL)
    {
      add_owned (params, om_text_fold (query->owner));
      add_condition (sql, "id IN (SELECT opportunity_id FROM stages WHERE owner_key = ");
      append_param (sql, params);
      g_string_append (sql, ")");
    }
  if (query->client != NULL)
    {
      add_owned (params, om_text_fold (query->client));
      add_condition (sql, "client_key = ");
      append_param (sql, params);
    }
  if (query->coordinator != NULL)
    {
      add_owned (params, om_text_fold (query->coordinator));
      add_condition (sql, "coordinator_key = ");
      append_param (sql, params);
    }
  if (query->overdue_only)
    {
      add_date (params, query->today);
      add_condition (sql, "status = 0 AND first_pending_due < ");
      append_param (sql, params);
    }
  if (query->close_from != 0)
    {
      add_date (params, query->close_from);
      add_condition (sql, "close_date >= ");
      append_param (sql, params);
    }
  if (query->close_to != 0)
    {
      add_date (params, query->close_to);
      add_condition (sql, "close_date <= ");
      append_param (sql, params);
    }

  switch (query->order)
    {
    case OM_ORDER_ID:
      g_string_append (sql, " ORDER BY id");
      break;
    case OM_ORDER_CLOSE_DATE:
      g_string_append (sql, " ORDER BY close_date, id");
      break;
    case OM_ORDER_CLOSE_DATE_BACKWARDS:
      g_string_append (sql, " ORDER BY close_date DESC NULLS FIRST, id DESC");
      break;
    case OM_ORDER_NEXT_DUE:
      g_string_append (sql, " ORDER BY next_due, id");
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
      g_string_append (sql, " ORDER BY sort_key, id");
      break;
    }
  if (query->limit > 0)
    {
      add_int (params, query->limit);
      g_string_append (sql, " LIMIT ");
      append_param (sql, params);
    }

  result = read_once (self, sql->str, params, error);
  if (result == NULL)
    return NULL;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PQntuples (result));
  for (int row = 0; row < PQntuples (result); row++)
    {
      gint64 id = get_int (result, row, 0);
      g_array_append_val (ids, id);
    }
  PQclear (result);
  return ids;
}

static GPtrArray *
om_pg_backend_get_summaries (OmBackend    *backend,
                             const gint64 *ids,
                             guint         n_ids,
                             GError      **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  g_autoptr(GPtrArray) summaries = g_ptr_array_new_full (n_ids, (GDestroyNotify) om_opportunity_summary_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                       (GDestroyNotify) om_opportunity_summary_free);
  g_autoptr(GPtrArray) params = params_new ();
  PGresult *result;

  add_int_array (params, ids, n_ids);
  result = read_once (self,
                      "SELECT id, revision, title, client, coordinator, status, n_won, n_stages,"
                      " chain_probability, next_due, sort_key, search_text, health,"
                      " value_minor, currency, close_date, weighted_minor, first_pending_due,"
                      /* schema 2: "" before it, not known */
                      " CASE WHEN changed_by = '' THEN NULL WHEN changed_by = session_user THEN ''"
                      "  ELSE changed_by END"
                      " FROM opportunities WHERE id = ANY ($1::bigint[])", params, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      OmOpportunitySummary *summary = g_new0 (OmOpportunitySummary, 1);

      /* as the model derived them when it was written */
      summary->id = get_int (result, row, 0);
      summary->revision = get_int (result, row, 1);
      summary->title = g_strdup (get_text (result, row, 2));
      summary->client = g_strdup (get_text (result, row, 3));
      summary->coordinator = g_strdup (get_text (result, row, 4));
      summary->status = (OmOpportunityStatus) get_int (result, row, 5);
      summary->n_won = (guint) CLAMP (get_int (result, row, 6), 0, G_MAXUINT);
      summary->n_stages = (guint) CLAMP (get_int (result, row, 7), 0, G_MAXUINT);
      summary->chain_probability = get_double (result, row, 8);
      get_date (result, row, 9, TRUE, &summary->next_due);
      summary->sort_key = g_strdup (get_text (result, row, 10));
      summary->search_text = g_strdup (get_text (result, row, 11));
      summary->health = PQgetisnull (result, row, 12) ? OM_HEALTH_UNKNOWN
                        : (guint) CLAMP (get_int (result, row, 12), 0, G_MAXUINT - 1);
      summary->value = get_int (result, row, 13);
      summary->currency = g_strdup (get_text (result, row, 14));
      get_date (result, row, 15, TRUE, &summary->close_date);
      summary->weighted_value = get_int (result, row, 16);
      get_date (result, row, 17, TRUE, &summary->first_pending_due);
      if (!PQgetisnull (result, row, 18))
        summary->changed_by = g_strdup (get_text (result, row, 18));
      g_hash_table_replace (by_id, &summary->id, summary);
    }
  PQclear (result);
  for (guint i = 0; i < n_ids; i++)
    {
      const OmOpportunitySummary *summary = g_hash_table_lookup (by_id, &ids[i]);
      g_ptr_array_add (summaries, summary != NULL ? om_opportunity_summary_copy (summary) : NULL);
    }
  return g_steal_pointer (&summaries);
}

/* From the stages' due dates as the model derived them, through the
 * partial index of pending stages */
static GPtrArray *
om_pg_backend_list_agenda (OmBackend           *backend,
                           const OmAgendaQuery *query,
                           GError             **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  g_autoptr(GString) sql = g_string_new ("SELECT s.opportunity_id, o.title, o.client, s.position, o.n_stages,"
                                         " s.due_date, s.agreed_date IS NOT NULL, s.owner, s.client_owner,"
                                         " s.activity, s.milestone"
                                         " FROM stages AS s JOIN opportunities AS o ON o.id = s.opportunity_id"
                                         " WHERE s.status = 'pending' AND o.status = 0"
                                         /* an open plan's pending stages are those not won */
                                         " AND o.n_stages - o.n_won <= " G_STRINGIFY (OM_STORED_DUES));
  g_autoptr(GPtrArray) params = params_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_item_free);
  g_autoptr(GArray) long_plans = NULL;
  PGresult *result;

  if (query->owner != NULL)
    {
      add_owned (params, om_text_fold (query->owner));
      g_string_append (sql, " AND s.owner_key = ");
      append_param (sql, params);
    }
  if (query->from != 0)
    {
      add_date (params, query->from);
      g_string_append (sql, " AND s.due_date >= ");
      append_param (sql, params);
    }
  if (query->until != 0)
    {
      add_date (params, query->until);
      g_string_append (sql, " AND s.due_date <= ");
      append_param (sql, params);
    }
  g_string_append (sql, " ORDER BY s.due_date, s.opportunity_id, s.position");

  result = read_once (self, sql->str, params, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      OmAgendaItem *item = g_new0 (OmAgendaItem, 1);

      g_ptr_array_add (items, item);
      item->opportunity_id = get_int (result, row, 0);
      item->title = g_strdup (get_text (result, row, 1));
      item->client = g_strdup (get_text (result, row, 2));
      item->stage = (guint) CLAMP (get_int (result, row, 3), 0, G_MAXUINT);
      item->n_stages = (guint) CLAMP (get_int (result, row, 4), 0, G_MAXUINT);
      item->agreed = g_str_equal (get_text (result, row, 6), "t");
      item->owner = g_strdup (get_text (result, row, 7));
      item->client_owner = g_strdup (get_text (result, row, 8));
      item->activity = g_strdup (get_text (result, row, 9));
      item->milestone = g_strdup (get_text (result, row, 10));
      if (!get_date (result, row, 5, FALSE, &item->due))
        {
          g_autofree char *shown = om_text_escape_line (self->shown);

          PQclear (result);
          g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED,
                       _("A stage on the server “%s” has no valid due date. Nothing was changed; "
                         "ask the server's administrator to restore it."), shown);
          return NULL;
        }
    }
  PQclear (result);

  /* the plans whose later due dates are not kept: through the model */
  result = read_once (self, "SELECT id FROM opportunities WHERE status = 0"
                            " AND n_stages - n_won > " G_STRINGIFY (OM_STORED_DUES), NULL, error);
  if (result == NULL)
    return NULL;
  long_plans = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int row = 0; row < PQntuples (result); row++)
    {
      gint64 id = get_int (result, row, 0);
      g_array_append_val (long_plans, id);
    }
  PQclear (result);
  if (!om_agenda_add_long_plans (backend, query, (const gint64 *) long_plans->data, long_plans->len, items, error))
    return NULL;
  return g_steal_pointer (&items);
}

/* Sums of integer minor units (numeric on the server: never rounded) */
static GPtrArray *
om_pg_backend_get_pipeline (OmBackend *backend,
                            GError   **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) om_pipeline_row_free);
  PGresult *result = read_once (self,
                                "SELECT currency, to_char (close_date, 'YYYY-MM') AS month, count (*),"
                                " sum (value_minor), sum (weighted_minor)"
                                " FROM opportunities WHERE status = 0 AND close_date IS NOT NULL"
                                " GROUP BY month, currency ORDER BY month, currency", NULL, error);

  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      OmPipelineRow *line = g_new0 (OmPipelineRow, 1);
      const char *month = get_text (result, row, 1);

      g_ptr_array_add (rows, line);
      line->currency = g_strdup (get_text (result, row, 0));
      line->year = (int) g_ascii_strtoll (month, NULL, 10);
      line->month = strlen (month) == 7 ? (int) g_ascii_strtoll (month + 5, NULL, 10) : 0;
      line->n = (guint) CLAMP (get_int (result, row, 2), 0, G_MAXUINT);
      line->value = get_int (result, row, 3);
      line->weighted = get_int (result, row, 4);
    }
  PQclear (result);
  return g_steal_pointer (&rows);
}

/* One spelling of each name, the lowest, as the other backends give it */
static GStrv
om_pg_backend_list_names (OmBackend  *backend,
                          OmNameKind  kind,
                          GError    **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char *sql = kind == OM_NAME_OWNER
                    ? "SELECT min (owner) FROM stages WHERE owner_key <> '' GROUP BY owner_key ORDER BY owner_key"
                    : kind == OM_NAME_CLIENT
                    ? "SELECT min (client) FROM opportunities WHERE client_key <> ''"
                      " GROUP BY client_key ORDER BY client_key"
                    : "SELECT min (coordinator) FROM opportunities WHERE coordinator_key <> ''"
                      " GROUP BY coordinator_key ORDER BY coordinator_key";
  PGresult *result = read_once (self, sql, NULL, error);

  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_strv_builder_add (names, get_text (result, row, 0));
  PQclear (result);
  return g_strv_builder_end (names);
}

/* Watching: the server's notifications of committed changes */

/* Whether another connection's change was announced: our own are
 * known to the caller already */
static gboolean
take_notifications (OmPgBackend *self)
{
  gboolean others = FALSE;
  PGnotify *notify;
  int mine = PQbackendPID (self->conn);

  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      if (notify->be_pid != mine)
        others = TRUE;
      PQfreemem (notify);
    }
  return others;
}

static void
announce (OmPgBackend *self)
{
  g_autoptr(OmPgBackend) alive = g_object_ref (self);

  om_backend_emit_changed (OM_BACKEND (self));
}

static gboolean
socket_cb (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  OmPgBackend *self = user_data;

  if (!PQconsumeInput (self->conn))
    {
      /* the connection is gone: the next read or edit connects again,
       * and listens again */
      g_clear_pointer (&self->socket_watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  if (take_notifications (self))
    announce (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
queue_cb (gpointer user_data)
{
  OmPgBackend *self = user_data;

  if (PQstatus (self->conn) == CONNECTION_OK && take_notifications (self))
    announce (self);
  return G_SOURCE_CONTINUE;
}

/* LISTEN on the current connection, and its socket watched from the
 * thread-default main context */
static gboolean
listen_again (OmPgBackend *self)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  if (!run_script (self, "LISTEN " CHANNEL))
    return FALSE;
  stop_watching (self);
  self->socket_watch = g_unix_fd_source_new (PQsocket (self->conn), G_IO_IN);
  g_source_set_callback (self->socket_watch, G_SOURCE_FUNC (socket_cb), self, NULL);
  g_source_set_static_name (self->socket_watch, "[oppmanager] server notifications");
  g_source_attach (self->socket_watch, context);
  /* what libpq read while we waited for our own statements */
  self->queue_watch = g_timeout_source_new (QUEUE_INTERVAL_MS);
  g_source_set_callback (self->queue_watch, queue_cb, self, NULL);
  g_source_set_static_name (self->queue_watch, "[oppmanager] server notifications read");
  g_source_attach (self->queue_watch, context);
  return TRUE;
}

static void
om_pg_backend_set_watching (OmBackend *backend,
                            gboolean   watching)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);

  if (watching == self->watching)
    return;
  self->watching = watching;
  if (!watching)
    {
      stop_watching (self);
      if (PQstatus (self->conn) == CONNECTION_OK)
        run_script (self, "UNLISTEN " CHANNEL);
      return;
    }
  if (connect_server (self))
    listen_again (self);
}

static void
om_pg_backend_backend_init (OmBackendInterface *iface)
{
  iface->apply = om_pg_backend_apply;
  iface->list_ids = om_pg_backend_list_ids;
  iface->get_summaries = om_pg_backend_get_summaries;
  iface->load_opportunity = om_pg_backend_load_opportunity;
  iface->load_templates = om_pg_backend_load_templates;
  iface->set_watching = om_pg_backend_set_watching;
  iface->list_agenda = om_pg_backend_list_agenda;
  iface->get_pipeline = om_pg_backend_get_pipeline;
  iface->list_names = om_pg_backend_list_names;
  iface->check_writable = om_pg_backend_check_writable;
}

/* Asked of the server, whose policies decide (SPEC 9): a row lock needs
 * the privilege to update and passes the row through the update
 * policies, as a change would, but fires no trigger and writes no
 * index; rolled back. Zero rows means row-level security hides the row
 * from this user's writes */
static gboolean
om_pg_backend_check_writable (OmBackend *backend,
                              gint64     id,
                              GError   **error)
{
  OmPgBackend *self = OM_PG_BACKEND (backend);
  g_autoptr(GPtrArray) params = params_new ();
  g_autofree char *shown = NULL;
  PGresult *result;
  gboolean writable;

  if (!connect_server (self) || !run_done (self, "BEGIN", NULL))
    {
      set_read_error (self, error);
      return FALSE;
    }
  add_int (params, id);
  result = run (self, "SELECT id FROM opportunities WHERE id = $1::bigint FOR KEY SHARE", params);
  roll_back (self);
  shown = om_text_escape_line (self->shown);
  if (result == NULL)
    {
      if (self->failed_lost)
        set_unreachable (self, error);
      else
        g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DENIED,
                     _("The server “%s” lets you read this opportunity but not change it: %s."),
                     shown, self->failed_reason);
      return FALSE;
    }
  writable = PQntuples (result) > 0;
  PQclear (result);
  if (!writable)
    g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DENIED,
                 _("The server “%s” lets you read this opportunity but not change it: only its coordinator or "
                   "an administrator may."), shown);
  return writable;
}

/* Opening */

static OmPgBackend *
backend_new (const char *location)
{
  OmPgBackend *self = g_object_new (OM_TYPE_PG_BACKEND, NULL);

  self->location = g_strdup (location);
  self->shown = om_pg_location_shown (location);
  self->password = location_password (location);
  return self;
}

static gboolean
set_connect_error (OmPgBackend *self,
                   GError     **error)
{
  g_autofree char *shown = om_text_escape_line (self->shown);

  g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_UNREACHABLE,
               _("Could not connect to the server “%s”: %s."), shown, self->failed_reason);
  return FALSE;
}

/* The version of the schema on the server: 0 when there is none */
static gboolean
read_schema_version (OmPgBackend *self,
                     int         *version)
{
  PGresult *result = run (self, "SELECT to_regclass ('om_schema') IS NOT NULL", NULL);
  gboolean exists;

  if (result == NULL)
    return FALSE;
  exists = g_str_equal (get_text (result, 0, 0), "t");
  PQclear (result);
  *version = 0;
  if (!exists)
    return TRUE;
  result = run (self, "SELECT coalesce (max (version), 0) FROM om_schema", NULL);
  if (result == NULL)
    return FALSE;
  *version = (int) get_int (result, 0, 0);
  PQclear (result);
  return TRUE;
}

static gboolean
set_too_new (OmPgBackend *self,
             int          version,
             GError     **error)
{
  g_autofree char *shown = om_text_escape_line (self->shown);

  g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_TOO_NEW,
               _("The server “%s” was set up by a newer version of Opportunity Manager (schema %d; this version "
                 "knows up to %d). It was left unchanged; update Opportunity Manager to use it."),
               shown, version, OM_PG_SCHEMA_VERSION);
  return FALSE;
}

/**
 * om_pg_backend_open:
 * @location: a libpq connection string or `postgresql://` URI
 *
 * Connects to a server that --init-server set up at this version. One
 * that has no schema of ours, an older one or a newer one is refused
 * with what to do, and left unchanged.
 *
 * Returns: (transfer full) (nullable): the backend
 */
OmPgBackend *
om_pg_backend_open (const char  *location,
                    GError     **error)
{
  g_autoptr(OmPgBackend) self = NULL;
  g_autofree char *shown = NULL;
  int version = 0;

  g_return_val_if_fail (location != NULL, NULL);

  self = backend_new (location);
  shown = om_text_escape_line (self->shown);
  if (!connect_server (self))
    {
      set_connect_error (self, error);
      return NULL;
    }
  if (!read_schema_version (self, &version))
    {
      set_read_error (self, error);
      return NULL;
    }
  if (version == 0)
    {
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_FOREIGN,
                   _("The server database “%s” is not set up for Opportunity Manager. Its administrator sets it up "
                     "with: oppmanager --database=… --init-server"), shown);
      return NULL;
    }
  if (version > OM_PG_SCHEMA_VERSION)
    {
      set_too_new (self, version, error);
      return NULL;
    }
  if (version < OM_PG_SCHEMA_VERSION)
    {
      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_MIGRATION,
                   _("The server database “%s” was set up by an earlier version of Opportunity Manager. Its "
                     "administrator updates it with: oppmanager --database=… --init-server"), shown);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * om_pg_backend_init_server:
 *
 * Creates or migrates the server's schema, the three roles (where
 * missing) and their privileges and policies, in one transaction: run
 * again, it changes nothing; a schema newer than this version's is
 * refused, untouched. Two at once take turns.
 */
gboolean
om_pg_backend_init_server (const char  *location,
                           GError     **error)
{
  g_autoptr(OmPgBackend) self = NULL;
  int version = 0;

  g_return_val_if_fail (location != NULL, FALSE);

  self = backend_new (location);
  if (!connect_server (self))
    return set_connect_error (self, error);

  if (!run_script (self, "BEGIN; SELECT pg_advisory_xact_lock (hashtext ('oppmanager --init-server'));"
                         " CREATE TABLE IF NOT EXISTS om_schema (version integer NOT NULL)") ||
      !read_schema_version (self, &version))
    goto failed;
  if (version > OM_PG_SCHEMA_VERSION)
    {
      roll_back (self);
      return set_too_new (self, version, error);
    }
  if (!run_script (self, make_roles))
    goto failed;
  for (int v = version; v < OM_PG_SCHEMA_VERSION; v++)
    if (!run_script (self, migrations[v]))
      goto failed;
  if (version != OM_PG_SCHEMA_VERSION)
    {
      g_autoptr(GPtrArray) params = params_new ();

      add_int (params, OM_PG_SCHEMA_VERSION);
      if (!run_done (self, "DELETE FROM om_schema", NULL) ||
          !run_done (self, "INSERT INTO om_schema (version) VALUES ($1)", params))
        goto failed;
    }
  if (!run_script (self, grants) || !run_script (self, "COMMIT"))
    goto failed;
  return TRUE;

failed:
  {
    g_autofree char *shown = om_text_escape_line (self->shown);

    roll_back (self);
    if (self->failed_lost)
      return set_connect_error (self, error);
    g_set_error (error, OM_STORE_ERROR, g_strcmp0 (self->failed_state, "42501") == 0 ? OM_STORE_ERROR_DENIED
                                                                                      : OM_STORE_ERROR_MIGRATION,
                 _("Could not set up the server database “%s”: %s. Nothing was changed."),
                 shown, self->failed_reason);
    return FALSE;
  }
}
