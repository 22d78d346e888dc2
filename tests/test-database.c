/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <sched.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "om-memory-backend.h"
#include "om-test-database.h"
#include "om-write-plan.h"

typedef struct
{
  char    *dir;
  char    *path;     /* the file, or the test server's database */
  gboolean server;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = om_test_make_dir ("database");
  f->path = g_build_filename (f->dir, "opportunities.db", NULL);
  om_date_set_today (0);
}

/* The same test on a database of the test server (SPEC 9) */
static void
server_set_up (Fixture       *f,
               gconstpointer  data)
{
  f->server = TRUE;
  f->path = om_test_pg_new_database ();
  om_date_set_today (0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir != NULL)
    om_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

#define STAGE_OF(opp, i) ((const OmStageData *) g_ptr_array_index ((opp)->stages, (i)))

/* An opportunity that uses every field */
static OmOpportunityData *
make_full_opportunity (void)
{
  OmOpportunityData *opp = om_opportunity_data_new ("Fleet renewal — Ålesund", "Nordic Ferries AS", om_test_date ("2026-01-05"));
  const char *kinds[] = { "standard", "process-agreement", "feasibility-study", "standard" };

  g_free (opp->coordinator);
  opp->coordinator = g_strdup ("Kari Nordmann");
  opp->value = 125000050;
  g_free (opp->currency);
  opp->currency = g_strdup ("NOK");
  g_free (opp->notes);
  opp->notes = g_strdup ("Internal: budget approved in Q1.\nSecond line.");

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *activity = g_strdup_printf ("Activity %u", i + 1);
      g_autofree char *milestone = g_strdup_printf ("Milestone %u “quoted”", i + 1);
      OmStageData *s = om_stage_data_new (activity, milestone);

      g_assert_true (om_stage_kind_from_string (kinds[i], &s->kind));
      g_free (s->owner);
      s->owner = g_strdup_printf ("Owner %u", i);
      g_free (s->client_owner);
      s->client_owner = g_strdup_printf ("Client owner %u", i);
      s->duration_days = 3 * i;
      s->probability = 0.125 * (i + 1);
      g_free (s->client_description);
      s->client_description = g_strdup_printf ("What the client sees %u", i);
      g_free (s->notes);
      s->notes = g_strdup_printf ("Internal note %u", i);
      g_ptr_array_add (opp->stages, s);
    }

  g_assert_true (om_opportunity_data_win_stage (opp, 0, om_test_date ("2026-01-09"), "went well", NULL));
  g_assert_true (om_opportunity_data_win_stage (opp, 1, om_test_date ("2026-01-20"), "", NULL));
  g_assert_true (om_opportunity_data_reopen (opp, om_test_date ("2026-01-21"), "signed the wrong paper", NULL));
  g_assert_true (om_opportunity_data_win_stage (opp, 1, om_test_date ("2026-01-22"), "signed", NULL));
  g_assert_true (om_opportunity_data_lose_stage (opp, 2, om_test_date ("2026-02-01"), "Budget frozen", NULL));
  return opp;
}

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(OmRepository) repository = NULL;
  g_autofree char *nested = g_build_filename (f->dir, "a", "b", "c.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = NULL;
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt = NULL;
  GStatBuf st;

  repository = om_test_database_open_repository (f->path);
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_opportunities (repository)), ==, 0);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (sqlite3_open_v2 (f->path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, OM_DATABASE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (raw);

  /* Missing folders are made, private to the user */
  db = om_database_open (nested, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_clear_object (&db);
  {
    g_autofree char *folder = g_path_get_dirname (nested);
    g_autofree char *parent = g_path_get_dirname (folder);
    g_assert_cmpint (g_stat (folder, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
    g_remove (nested);
    g_rmdir (folder);
    g_rmdir (parent);
  }
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(OmOpportunityData) full = make_full_opportunity ();
  g_autoptr(OmOpportunityData) empty = om_opportunity_data_new ("Empty", "Someone", om_test_date ("2026-03-01"));
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new ();
  g_autoptr(GPtrArray) templates = g_ptr_array_new ();
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) loaded_templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);

  g_free (tpl->name);
  tpl->name = g_strdup ("Our usual way");
  g_ptr_array_add (opportunities, full);
  g_ptr_array_add (opportunities, empty);
  g_ptr_array_add (templates, tpl);
  created = om_test_import (repository, opportunities, templates, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (created->len, ==, 2);

  loaded = om_test_database_load (f->path, &loaded_templates);
  g_assert_cmpuint (loaded->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      OmOpportunity *opp = g_ptr_array_index (created, i);
      /* every field, ids included */
      g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (opp), g_ptr_array_index (loaded, i), TRUE));
    }
  g_assert_true (om_opportunity_data_equal (full, g_ptr_array_index (loaded, 0), FALSE));
  g_assert_cmpuint (((OmOpportunityData *) g_ptr_array_index (loaded, 0))->history->len, ==, 5);

  g_assert_cmpuint (loaded_templates->len, ==, 1);
  g_assert_cmpstr (((OmTemplateData *) g_ptr_array_index (loaded_templates, 0))->name, ==, "Our usual way");
  tpl->id = ((OmTemplateData *) g_ptr_array_index (loaded_templates, 0))->id;
  g_assert_true (om_template_data_equal (tpl, g_ptr_array_index (loaded_templates, 0)));
}

/* The user's templates on disk: what the window shows after each
 * edit, undo and redo is what the file holds at once */
static void
assert_templates_on_disk (Fixture    *f,
                          OmRepository *repository)
{
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) opportunities = om_test_database_load (f->path, &loaded);
  GListModel *shown = om_repository_get_templates (repository);
  g_autoptr(OmRepository) reopened = om_test_database_open_repository (f->path);

  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, loaded->len + 1);
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (reopened)), ==, loaded->len + 1);
  for (guint i = 0; i < loaded->len; i++)
    {
      g_autoptr(OmTemplate) template = g_list_model_get_item (shown, i + 1);
      g_autoptr(OmTemplate) again = g_list_model_get_item (om_repository_get_templates (reopened), i + 1);
      const OmTemplateData *kept = g_ptr_array_index (loaded, i);

      g_assert_true (om_template_data_equal (om_template_get_data (template), kept));
      g_assert_cmpint (om_template_get_data (template)->id, ==, kept->id);
      g_assert_true (om_template_data_equal (om_template_get_data (again), kept));
    }
}

static void
test_templates_durable (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-01"));
  g_autoptr(OmTemplateData) saved = NULL;
  g_autoptr(OmTemplateData) edited = NULL;
  g_autoptr(GError) error = NULL;
  OmStageData *stage = g_ptr_array_index (plan->stages, 2);
  OmTemplate *template;
  gint64 id;

  g_free (stage->client_description);
  stage->client_description = g_strdup ("You decide on the study");
  stage->duration_days = 21;
  saved = om_template_data_new_from_opportunity (plan, "Our usual way");
  template = om_repository_add_template (repository, saved, &error);
  g_assert_no_error (error);
  id = om_template_get_data (template)->id;
  assert_templates_on_disk (f, repository);
  {
    g_autoptr(GPtrArray) loaded = NULL;
    g_autoptr(GPtrArray) opportunities = om_test_database_load (f->path, &loaded);
    const OmStageData *kept = g_ptr_array_index (((OmTemplateData *) g_ptr_array_index (loaded, 0))->stages, 2);

    g_assert_cmpstr (kept->client_description, ==, "You decide on the study");
    g_assert_cmpuint (kept->duration_days, ==, 21);
  }

  edited = om_template_data_copy (om_template_get_data (template));
  g_free (edited->name);
  edited->name = g_strdup ("Our short way");
  g_ptr_array_remove_range (edited->stages, 2, 2);
  g_ptr_array_add (edited->stages, g_ptr_array_steal_index (edited->stages, 0));
  g_assert_true (om_repository_edit_template (repository, template, edited, &error));
  g_assert_no_error (error);
  assert_templates_on_disk (f, repository);

  g_assert_true (om_repository_remove_template (repository, template, &error));
  g_assert_no_error (error);
  assert_templates_on_disk (f, repository);

  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (om_repository_undo (repository, &error));
      g_assert_no_error (error);
      assert_templates_on_disk (f, repository);
    }
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (repository)), ==, 1);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (om_repository_redo (repository, &error));
      g_assert_no_error (error);
      assert_templates_on_disk (f, repository);
    }
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (repository)), ==, 1);
  g_assert_true (om_repository_undo (repository, &error));
  template = om_repository_find_template (repository, id);
  g_assert_nonnull (template);
  g_assert_cmpstr (om_template_get_name (template), ==, "Our short way");
  g_assert_cmpuint (om_template_get_n_stages (template), ==, 4);
}

static void
test_edits_are_durable (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-01"));
  g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  OmOpportunity *opp;
  const OmOpportunityData *on_disk;

  om_date_set_today (om_test_date ("2026-01-10"));
  opp = om_repository_create_opportunity (repository, plan, &error);
  g_assert_no_error (error);
  g_assert_true (om_opportunity_win_stage (opp, 0, "ok", &error));
  g_assert_true (om_opportunity_move_stage (opp, 5, 1, &error));
  g_assert_true (om_opportunity_remove_stage (opp, 3, &error));
  g_assert_no_error (error);

  /* each edit is on disk at once, with no save step */
  loaded = om_test_database_load (f->path, NULL);
  on_disk = g_ptr_array_index (loaded, 0);
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (opp), on_disk, TRUE));
  g_assert_cmpstr (((OmStageData *) g_ptr_array_index (on_disk->stages, 1))->activity, ==, "Contract");
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* undo is an edit too */
  g_assert_true (om_repository_undo (repository, &error));
  g_assert_true (om_repository_undo (repository, &error));
  g_assert_no_error (error);
  loaded = om_test_database_load (f->path, NULL);
  on_disk = g_ptr_array_index (loaded, 0);
  g_assert_cmpuint (on_disk->stages->len, ==, 6);
  g_assert_cmpstr (((OmStageData *) g_ptr_array_index (on_disk->stages, 1))->activity, ==, "Process meeting");
  g_assert_cmpint (((OmStageData *) g_ptr_array_index (on_disk->stages, 0))->status, ==, OM_STAGE_STATUS_WON);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  g_assert_true (om_repository_remove_opportunity (repository, opp, &error));
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 0);
}

/* The schedule (SPEC 2, R6) */

/* What the file holds of @opp is what the model holds, every field */
static void
assert_on_disk (Fixture       *f,
                OmOpportunity *opp)
{
  g_autoptr(OmOpportunityData) on_disk = om_test_database_get (f->path, om_opportunity_get_id (opp));

  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (opp), on_disk, TRUE));
}

/* One text of the file, as another program reads it */
static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static gboolean
has_schedule_entry (const OmOpportunityData *data,
                    OmScheduleWhat           what)
{
  for (guint i = 0; i < data->schedule->len; i++)
    if (((const OmScheduleEntry *) g_ptr_array_index (data->schedule, i))->what == what)
      return TRUE;
  return FALSE;
}

/* Agreed dates, baselines, the target date and the schedule history of
 * all three kinds are kept by every write, undo and redo included */
static void
test_schedule_round_trip (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-01"));
  g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(OmOpportunityData) now = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;
  guint n_edits = 0;

  om_date_set_today (om_test_date ("2026-01-05"));
  plan->target_date = om_test_date ("2026-05-01");
  /* a plan that comes with an agreed date and its history (an import) */
  om_opportunity_data_get_writable_stage (plan, 4)->agreed_on = om_test_date ("2026-03-20");
  g_ptr_array_add (plan->schedule, om_schedule_entry_new (OM_SCHEDULE_AGREED_DATE, 4, 0, om_test_date ("2026-03-20"),
                                                          om_test_date ("2026-01-02"), "set at the kick-off"));
  opp = om_repository_create_opportunity (repository, plan, &error);
  g_assert_no_error (error);
  assert_on_disk (f, opp);

  /* agreed dates, earlier and later than derived: the close date moves */
  g_assert_true (om_opportunity_agree_date (opp, 0, om_test_date ("2026-01-06"), "Tuesday suits them", &error));
  n_edits++;
  assert_on_disk (f, opp);
  g_assert_true (om_opportunity_win_stage (opp, 0, "ok", &error));
  n_edits++;
  g_assert_true (om_opportunity_agree_date (opp, 1, om_test_date ("2026-01-20"), "their CFO is away", &error));
  n_edits++;
  assert_on_disk (f, opp);
  /* winning the process agreement takes the baseline */
  g_assert_true (om_opportunity_win_stage (opp, 1, "agreed", &error));
  n_edits++;
  assert_on_disk (f, opp);
  g_assert_true (om_opportunity_agree_date (opp, 2, om_test_date ("2026-02-10"), "after the board", &error));
  n_edits++;
  g_assert_true (om_opportunity_set_baseline (opp, "re-planned with the client", &error));
  n_edits++;
  assert_on_disk (f, opp);
  /* the pinned proposal slips: the close date moves with it */
  g_assert_true (om_opportunity_agree_date (opp, 4, om_test_date ("2026-04-01"), "they need more time", &error));
  n_edits++;
  assert_on_disk (f, opp);
  /* a stage removed and brought back by its undo is inserted again,
   * baseline and all */
  g_assert_true (om_opportunity_remove_stage (opp, 3, &error));
  g_assert_no_error (error);
  n_edits++;
  assert_on_disk (f, opp);
  g_assert_true (om_repository_undo (repository, &error));
  g_assert_no_error (error);
  n_edits--;
  assert_on_disk (f, opp);
  g_assert_cmpuint (STAGE_OF (om_opportunity_get_data (opp), 3)->baseline_due, !=, 0);
  edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  edited->target_date = om_test_date ("2026-04-15");
  g_assert_true (om_opportunity_edit (opp, edited, &error));
  n_edits++;
  g_assert_no_error (error);
  assert_on_disk (f, opp);
  /* the study and the pinned proposal folded into a new study: new
   * stages, the proposal's agreed date and its entry gone, the fold in
   * the schedule history */
  g_assert_true (om_opportunity_fold_feasibility (opp, 3, 4, &error));
  g_assert_no_error (error);
  n_edits++;
  assert_on_disk (f, opp);
  g_assert_cmpuint (STAGE_OF (om_opportunity_get_data (opp), 4)->agreed_on, ==, 0);

  now = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_assert_true (has_schedule_entry (now, OM_SCHEDULE_FOLD));
  g_assert_true (has_schedule_entry (now, OM_SCHEDULE_AGREED_DATE));
  g_assert_true (has_schedule_entry (now, OM_SCHEDULE_CLOSE_DATE));
  g_assert_true (has_schedule_entry (now, OM_SCHEDULE_BASELINE));
  g_assert_cmpuint (STAGE_OF (now, 2)->agreed_on, ==, om_test_date ("2026-02-10"));
  g_assert_cmpuint (STAGE_OF (now, 5)->baseline_due, !=, 0);
  g_assert_cmpuint (now->target_date, ==, om_test_date ("2026-04-15"));

  /* dates are YYYY-MM-DD text in the file, as every date; dates on a server */
  if (f->server)
    {
      g_autofree char *agreed = om_test_pg_query_text (f->path, "SELECT agreed_date FROM stages WHERE position = 2");
      g_autofree char *target = om_test_pg_query_text (f->path, "SELECT target_date FROM opportunities");
      g_autofree char *whats = om_test_pg_query_text (f->path, "SELECT string_agg (DISTINCT what, ' ' ORDER BY what)"
                                                               " FROM schedule_history");

      g_assert_cmpstr (agreed, ==, "2026-02-10");
      g_assert_cmpstr (target, ==, "2026-04-15");
      g_assert_cmpstr (whats, ==, "agreed-date baseline close-date fold");
    }
  else
  {
    g_autofree char *agreed = query_text (f->path, "SELECT agreed_date FROM stages WHERE position = 2");
    g_autofree char *target = query_text (f->path, "SELECT target_date FROM opportunities");
    g_autofree char *whats = query_text (f->path, "SELECT group_concat (what, ' ') FROM"
                                                  " (SELECT DISTINCT what FROM schedule_history ORDER BY what)");

    g_assert_cmpstr (agreed, ==, "2026-02-10");
    g_assert_cmpstr (target, ==, "2026-04-15");
    g_assert_cmpstr (whats, ==, "agreed-date baseline close-date fold");
  }

  /* undo is an edit too, and so is redo */
  for (guint i = 0; i < n_edits; i++)
    {
      g_assert_true (om_repository_undo (repository, &error));
      g_assert_no_error (error);
      assert_on_disk (f, opp);
    }
  g_assert_cmpuint (om_opportunity_get_data (opp)->schedule->len, ==, 1);
  g_assert_cmpuint (om_opportunity_get_data (opp)->target_date, ==, om_test_date ("2026-05-01"));
  for (guint i = 0; i < n_edits; i++)
    {
      g_assert_true (om_repository_redo (repository, &error));
      g_assert_no_error (error);
      assert_on_disk (f, opp);
    }
  /* the same plan as before the undos, at a later revision */
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (opp), now, FALSE));
}

static void
test_write_failure (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-01"));
  g_autoptr(OmDatabase) db = NULL;
  g_autoptr(OmRepository) repository = NULL;
  g_autoptr(OmOpportunityData) before = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;
  sqlite3 *other = NULL;

  om_date_set_today (om_test_date ("2026-01-10"));
  db = om_database_open (f->path, &error);
  g_assert_no_error (error);
  repository = om_repository_new (OM_BACKEND (db));
  opp = om_repository_create_opportunity (repository, plan, &error);
  g_assert_no_error (error);
  before = om_opportunity_data_copy (om_opportunity_get_data (opp));

  /* Another program holds the write lock: the write fails */
  om_database_set_busy_timeout (db, 20);
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_false (om_opportunity_win_stage (opp, 0, NULL, &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  g_assert_false (om_opportunity_move_stage (opp, 4, 2, &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE);
  g_clear_error (&error);

  /* the model is as it was, and there is nothing to undo */
  g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_OPEN);
  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 0);
  g_assert_false (om_repository_get_can_undo (repository) &&
                  g_strcmp0 (om_repository_get_undo_label (repository), "Mark Won") == 0);

  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);

  loaded = om_test_database_load (f->path, NULL);
  g_assert_true (om_opportunity_data_equal (before, g_ptr_array_index (loaded, 0), TRUE));

  /* and once the lock is gone, the same edit goes through */
  g_assert_true (om_opportunity_win_stage (opp, 0, NULL, &error));
  g_assert_no_error (error);
}

/* Refusals */

static void
assert_no_sidecars (Fixture *f)
{
  const char *suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (f->path, suffixes[i], NULL);
      g_assert_false (g_file_test (side, G_FILE_TEST_EXISTS));
    }
}

static void
assert_refused_unchanged (Fixture    *f,
                          int         code,
                          const char *fragment)
{
  g_autoptr(GBytes) before = om_test_read_bytes (f->path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmRepository) repository = NULL;
  GStatBuf st_before, st_after;

  g_assert_cmpint (g_stat (f->path, &st_before), ==, 0);
  repository = om_database_open_repository (f->path, &error);
  g_assert_null (repository);
  g_assert_error (error, OM_STORE_ERROR, code);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, fragment));
  /* one clear line */
  g_assert_null (strchr (error->message, '\n'));

  after = om_test_read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpint (g_stat (f->path, &st_after), ==, 0);
  g_assert_cmpint (st_before.st_mode, ==, st_after.st_mode);
  assert_no_sidecars (f);
}

/*
 * A file of this version is judged by its header when it is opened
 * (SPEC 8: opening takes the same time whatever it holds): damage inside
 * it is said when what it damaged is read, in one line naming the file
 * (and @title, the opportunity, unless %NULL), and nothing is written.
 */
static void
assert_damaged_when_read (Fixture    *f,
                          const char *title,
                          const char *fragment)
{
  g_autoptr(GBytes) before = om_test_read_bytes (f->path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) first = NULL;
  g_autoptr(OmDatabase) db = NULL;
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, NULL, OM_ORDER_ID);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) summaries = NULL;

  db = om_database_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);

  /* the list shows them all ... */
  ids = om_backend_list_ids (OM_BACKEND (db), query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, >, 0);
  summaries = om_backend_get_summaries (OM_BACKEND (db), (const gint64 *) (gpointer) ids->data, ids->len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < summaries->len; i++)
    g_assert_nonnull (g_ptr_array_index (summaries, i));

  /* ... and each opportunity read on its own: the damaged one says so */
  for (guint i = 0; i < ids->len && first == NULL; i++)
    {
      g_autoptr(OmOpportunityData) opp = om_backend_load_opportunity (OM_BACKEND (db), g_array_index (ids, gint64, i), &first);

      g_assert_true ((opp == NULL) == (first != NULL));
    }
  g_assert_error (first, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (first->message, f->path));
  g_assert_nonnull (strstr (first->message, fragment));
  g_assert_nonnull (strstr (first->message, "restore it from a backup"));
  g_assert_null (strchr (first->message, '\n'));
  if (title != NULL)
    {
      g_autofree char *quoted = g_strdup_printf ("“%s”", title);
      g_assert_nonnull (strstr (first->message, quoted));
    }

  /* and so does reading everything */
  g_assert_false (om_database_load (db, &opportunities, &templates, &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED);
  g_assert_null (strchr (error->message, '\n'));
  g_clear_object (&db);

  after = om_test_read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
  assert_no_sidecars (f);
}

static void
exec_raw (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
test_refuse_foreign (Fixture       *f,
                     gconstpointer  data)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_raw (db, "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Blue');");
  sqlite3_close (db);

  assert_refused_unchanged (f, OM_STORE_ERROR_FOREIGN, "another application");
}

static void
test_refuse_random_bytes (Fixture       *f,
                          gconstpointer  data)
{
  guint8 bytes[4096];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (f->path, (const char *) bytes, sizeof bytes, NULL));

  assert_refused_unchanged (f, OM_STORE_ERROR_NOT_DATABASE, "not an Opportunity Manager database");
}

static void
fill_database (Fixture *f,
               guint    n)
{
  g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Opportunity %u with a rather long title to take room", i);
      g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, title, "Client", om_test_date ("2026-01-01"));
      g_autoptr(GError) error = NULL;

      g_free (plan->notes);
      plan->notes = g_strnfill (300, 'n');
      g_assert_nonnull (om_repository_create_opportunity (repository, plan, &error));
      g_assert_no_error (error);
    }
}

static void
test_refuse_truncated (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) whole = NULL;
  gsize size;

  fill_database (f, 60);
  whole = om_test_read_bytes (f->path);
  size = g_bytes_get_size (whole);
  g_assert_cmpuint (size, >, 8 * 4096);

  /* cut at a page boundary halfway, as a full disk or a killed copy would */
  g_assert_true (g_file_set_contents (f->path, g_bytes_get_data (whole, NULL), (size / 2) & ~(gsize) 4095, NULL));

  assert_refused_unchanged (f, OM_STORE_ERROR_DAMAGED, "damaged");
}

static void
test_refuse_newer (Fixture       *f,
                   gconstpointer  data)
{
  sqlite3 *db = NULL;

  fill_database (f, 1);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_raw (db, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;");
  sqlite3_close (db);

  assert_refused_unchanged (f, OM_STORE_ERROR_TOO_NEW, "newer version");
}

static void
test_refuse_rule_breaking (Fixture       *f,
                           gconstpointer  data)
{
  sqlite3 *db = NULL;

  fill_database (f, 1);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  /* a won stage after a pending one: the model would never write it */
  exec_raw (db, "UPDATE stages SET status = 'won', decided_on = '2026-02-01' WHERE position = 3;");
  sqlite3_close (db);

  assert_damaged_when_read (f, "Opportunity 0 with a rather long title to take room", "Stage 4");
}

/* A date of the schedule that is not a date was not written by us: the
 * opportunity is refused as damaged, naming it, and the file is left
 * as it is */
static void
test_refuse_damaged_schedule (Fixture       *f,
                              gconstpointer  data)
{
  static const struct {
    const char *sql;
    const char *fragment;
  } damages[] = {
    { "UPDATE stages SET agreed_date = '2026-02-30' WHERE position = 2;", "a stage has values" },
    { "UPDATE stages SET agreed_date = 'next week' WHERE position = 2;", "a stage has values" },
    { "UPDATE stages SET baseline_due_date = '2026-1-05' WHERE position = 3;", "a stage has values" },
    { "UPDATE opportunities SET target_date = '' WHERE id = 1;", "target date" },
    { "INSERT INTO schedule_history VALUES (1, 0, 'baseline', NULL, NULL, '2026-03-01', '0000-00-00', '');",
      "schedule history" },
    { "INSERT INTO schedule_history VALUES (1, 0, 'moved', NULL, NULL, NULL, '2026-01-05', '');",
      "schedule history" },
    /* well-formed, but against the rules: the model's message */
    { "INSERT INTO schedule_history VALUES (1, 0, 'agreed-date', 9, NULL, '2026-03-01', '2026-01-05', '');",
      "Entry 1 of the schedule history is about stage 10" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (damages); i++)
    {
      sqlite3 *db = NULL;

      g_remove (f->path);
      fill_database (f, 1);
      g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
      exec_raw (db, damages[i].sql);
      sqlite3_close (db);

      assert_damaged_when_read (f, "Opportunity 0 with a rather long title to take room", damages[i].fragment);
    }
}

/* Damage that SQLite describes on many lines: one line for the user */
static void
test_refuse_damaged_one_line (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GBytes) whole = NULL;
  g_autofree guint8 *bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = NULL;
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  gsize size;

  fill_database (f, 60);
  whole = om_test_read_bytes (f->path);
  size = g_bytes_get_size (whole);
  bytes = g_memdup2 (g_bytes_get_data (whole, NULL), size);
  g_assert_cmpuint (size, >, 8 * 4096);

  /* scribble over the cells of a few b-tree pages, headers intact */
  for (gsize page = 3; page < 7; page++)
    memset (bytes + page * 4096 + 200, 0x7a, 3000);
  g_assert_true (g_file_set_contents (f->path, (const char *) bytes, size, NULL));

  /* what SQLite says is many lines ... */
  {
    g_autofree char *uri = g_strconcat ("file:", f->path, "?immutable=1", NULL);
    sqlite3 *raw = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (uri, &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA quick_check", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_nonnull (strchr ((const char *) sqlite3_column_text (stmt, 0), '\n'));
    sqlite3_finalize (stmt);
    sqlite3_close (raw);
  }

  /* ... what the user reads when it is read is one, and says what to do
   * (the file opens: only its header is read then) */
  assert_damaged_when_read (f, NULL, "restore it from a backup");
  db = om_database_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (om_database_load (db, &opportunities, &templates, &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED);
  g_assert_null (strstr (error->message, "***"));
  g_assert_null (strstr (error->message, "Page "));
}

/* Files left by a killed process */

typedef enum
{
  REFUSE_FOREIGN,
  REFUSE_NEWER,
  REFUSE_DAMAGED,
  REFUSE_RULES,
} RefusalKind;

/* A database whose last write is still in its -wal (and -shm), as a
 * process killed before closing it leaves it; that write makes it one
 * to refuse. */
static void
make_left_over_wal (Fixture     *f,
                    RefusalKind  kind)
{
  static const char *const writes[] = {
    [REFUSE_FOREIGN] = "PRAGMA application_id = 42;",
    [REFUSE_NEWER] = "PRAGMA user_version = 99;",
    [REFUSE_DAMAGED] = "UPDATE opportunities SET notes = 'x' WHERE id = 1;",
    [REFUSE_RULES] = "UPDATE stages SET status = 'won', decided_on = '2026-02-01' WHERE position = 3;",
  };
  int status = 0;
  pid_t pid;

  fill_database (f, kind == REFUSE_DAMAGED ? 60 : 1);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      sqlite3 *db = NULL;

      if (sqlite3_open (f->path, &db) != SQLITE_OK ||
          sqlite3_exec (db, "PRAGMA wal_autocheckpoint = 0;", NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (db, writes[kind], NULL, NULL, NULL) != SQLITE_OK)
        _exit (1);
      _exit (0);  /* killed: no close, no checkpoint */
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  if (kind == REFUSE_DAMAGED)
    {
      /* the main file is damaged where the -wal does not cover it */
      g_autoptr(GBytes) whole = om_test_read_bytes (f->path);
      gsize size = g_bytes_get_size (whole);
      g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (whole, NULL), size);
      int fd;

      for (gsize page = 3; page < 7; page++)
        memset (bytes + page * 4096 + 200, 0x7a, 3000);
      /* in place: the -wal and -shm belong to this very file */
      fd = g_open (f->path, O_WRONLY, 0);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, bytes, size), ==, (gssize) size);
      g_close (fd, NULL);
    }
}

typedef struct
{
  const char *suffix;
  GBytes     *bytes;
} Side;

static void
assert_refused_keeps_sidecars (Fixture *f,
                               int      code)
{
  Side sides[] = { { "" }, { "-wal" }, { "-shm" }, { "-journal" } };
  g_autoptr(GError) error = NULL;
  g_autoptr(OmRepository) repository = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      g_autofree char *side = g_strconcat (f->path, sides[i].suffix, NULL);
      if (g_file_test (side, G_FILE_TEST_EXISTS))
        sides[i].bytes = om_test_read_bytes (side);
    }
  g_assert_nonnull (sides[1].bytes);
  g_assert_cmpuint (g_bytes_get_size (sides[1].bytes), >, 0);

  repository = om_database_open_repository (f->path, &error);
  g_assert_null (repository);
  g_assert_error (error, OM_STORE_ERROR, code);
  g_assert_null (strchr (error->message, '\n'));

  /* not a byte written, nothing made, nothing taken away */
  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    {
      g_autofree char *side = g_strconcat (f->path, sides[i].suffix, NULL);

      if (sides[i].bytes == NULL)
        g_assert_false (g_file_test (side, G_FILE_TEST_EXISTS));
      else
        {
          g_autoptr(GBytes) after = NULL;

          g_assert_true (g_file_test (side, G_FILE_TEST_EXISTS));
          after = om_test_read_bytes (side);
          g_assert_true (g_bytes_equal (sides[i].bytes, after));
        }
      g_clear_pointer (&sides[i].bytes, g_bytes_unref);
    }
}

static void
assert_left_over_wal_refused (Fixture     *f,
                              RefusalKind  kind,
                              gboolean     keep_shm,
                              int          code)
{
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  make_left_over_wal (f, kind);
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  if (!keep_shm)
    g_assert_cmpint (g_remove (shm), ==, 0);
  assert_refused_keeps_sidecars (f, code);
}

static void
test_left_over_wal_foreign (Fixture       *f,
                            gconstpointer  data)
{
  assert_left_over_wal_refused (f, REFUSE_FOREIGN, GPOINTER_TO_INT (data), OM_STORE_ERROR_FOREIGN);
}

static void
test_left_over_wal_newer (Fixture       *f,
                          gconstpointer  data)
{
  assert_left_over_wal_refused (f, REFUSE_NEWER, GPOINTER_TO_INT (data), OM_STORE_ERROR_TOO_NEW);
}

static void
test_left_over_wal_damaged (Fixture       *f,
                            gconstpointer  data)
{
  assert_left_over_wal_refused (f, REFUSE_DAMAGED, GPOINTER_TO_INT (data), OM_STORE_ERROR_DAMAGED);
}

/* the statements a database runs (below) */
static gboolean   any_touches   (GPtrArray  *statements,
                                 const char *table);

/* What a killed writer committed that breaks the rules is judged like a
 * rule-breaking row of the file itself: the file opens (its structure
 * checked, its rows not read: opening stays quick after a crash), and
 * the opportunity is refused, naming it, when it is read */
static void
test_left_over_wal_rules (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autoptr(OmRepository) repository = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  OmOpportunity *broken;

  make_left_over_wal (f, REFUSE_RULES);
  if (!GPOINTER_TO_INT (data))
    g_assert_cmpint (g_remove (shm), ==, 0);

  om_test_sql_capture_start ();
  repository = om_database_open_repository (f->path, &error);
  g_assert_no_error (error);
  statements = om_test_sql_capture_stop ();
  g_assert_true (any_touches (statements, "quick_check"));
  g_assert_false (any_touches (statements, "FROM stages"));

  broken = om_repository_find (repository, 1);
  g_assert_nonnull (broken);
  g_assert_false (om_opportunity_load (broken, &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED);
  g_assert_null (strchr (error->message, '\n'));
}

/* ... and what it committed is there once the file is accepted */
static void
test_left_over_wal_accepted (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) loaded = NULL;
  int status = 0;
  pid_t pid;

  fill_database (f, 1);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      sqlite3 *db = NULL;

      if (sqlite3_open (f->path, &db) != SQLITE_OK ||
          sqlite3_exec (db, "PRAGMA wal_autocheckpoint = 0;"
                            "UPDATE opportunities SET title = 'Written before the kill';",
                        NULL, NULL, NULL) != SQLITE_OK)
        _exit (1);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  if (!GPOINTER_TO_INT (data))
    {
      g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
      g_assert_cmpint (g_remove (shm), ==, 0);
    }

  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (((OmOpportunityData *) g_ptr_array_index (loaded, 0))->title, ==, "Written before the kill");
}

/* A writer killed between the -wal's header and its first frame leaves
 * a -shm that SQLite cannot read without rebuilding it: the file is
 * still judged (the kill test found this), and nothing is written until
 * it is accepted */
static void
test_left_over_wal_header_only (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autoptr(GBytes) shm_before = NULL;
  g_autoptr(GBytes) wal_header = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = NULL;

  make_left_over_wal (f, REFUSE_NEWER);
  g_assert_cmpint (truncate (wal, 32), ==, 0);
  shm_before = om_test_read_bytes (shm);
  wal_header = om_test_read_bytes (wal);

  /* refused or accepted, the verdict is on what the file holds: its
   * version 99 never reached the main file */
  db = om_database_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_clear_object (&db);
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 1);

  /* and a foreign file in that state is refused untouched */
  g_clear_pointer (&loaded, g_ptr_array_unref);
  {
    sqlite3 *raw = NULL;

    g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
    exec_raw (raw, "PRAGMA journal_mode = DELETE; PRAGMA application_id = 42; PRAGMA journal_mode = WAL;");
    sqlite3_close (raw);
  }
  g_assert_true (g_file_set_contents (wal, g_bytes_get_data (wal_header, NULL), 32, NULL));
  g_assert_true (g_file_set_contents (shm, g_bytes_get_data (shm_before, NULL), g_bytes_get_size (shm_before), NULL));
  assert_refused_keeps_sidecars (f, OM_STORE_ERROR_FOREIGN);
}

/* Only regular files */

static void
assert_not_regular (const char *path,
                    const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmRepository) repository = NULL;
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gboolean had_journal = g_file_test (journal, G_FILE_TEST_EXISTS);
  gboolean had_wal = g_file_test (wal, G_FILE_TEST_EXISTS);

  repository = om_database_open_repository (path, &error);
  g_assert_null (repository);
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_REGULAR);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, fragment));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS) == had_journal);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS) == had_wal);
}

static void
test_refuse_not_regular (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "fifo", NULL);
  g_autofree char *folder = g_build_filename (f->dir, "folder.db", NULL);
  g_autofree char *link = g_build_filename (f->dir, "link.db", NULL);
  g_autoptr(OmRepository) repository = NULL;
  GStatBuf st;

  assert_not_regular ("/dev/null", "device");
  g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  assert_not_regular (folder, "folder");

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  assert_not_regular (fifo, "FIFO");

  /* a link to a database is the database */
  g_clear_object (&repository);
  fill_database (f, 2);
  g_assert_cmpint (symlink (f->path, link), ==, 0);
  repository = om_database_open_repository (link, NULL);
  g_assert_nonnull (repository);
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_opportunities (repository)), ==, 2);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));

  g_clear_object (&repository);
  g_remove (fifo);
  g_remove (link);
  g_rmdir (folder);
}

/* Schema 1, as version 0.0 of the application wrote it */
static const char schema_v1[] =
  "PRAGMA application_id = 1332768845;"
  "PRAGMA user_version = 1;"
  "CREATE TABLE opportunities (id INTEGER PRIMARY KEY, title TEXT NOT NULL, client TEXT NOT NULL,"
  " coordinator TEXT NOT NULL DEFAULT '', value_minor INTEGER NOT NULL DEFAULT 0 CHECK (value_minor >= 0),"
  " currency TEXT NOT NULL DEFAULT 'EUR', start_date TEXT NOT NULL, notes TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE stages (id INTEGER PRIMARY KEY,"
  " opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  " position INTEGER NOT NULL, activity TEXT NOT NULL, milestone TEXT NOT NULL,"
  " kind TEXT NOT NULL DEFAULT 'standard', owner TEXT NOT NULL DEFAULT '',"
  " duration_days INTEGER NOT NULL DEFAULT 7 CHECK (duration_days >= 0),"
  " probability REAL NOT NULL DEFAULT 0.5 CHECK (probability BETWEEN 0 AND 1),"
  " status TEXT NOT NULL DEFAULT 'pending', decided_on TEXT, lost_reason TEXT NOT NULL DEFAULT '',"
  " notes TEXT NOT NULL DEFAULT '', UNIQUE (opportunity_id, position));"
  "CREATE TABLE history (opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  " seq INTEGER NOT NULL, stage_index INTEGER NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL,"
  " on_date TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', PRIMARY KEY (opportunity_id, seq));"
  "INSERT INTO opportunities VALUES (7, 'Old plan', 'Old client', 'Coord', 150000, 'USD', '2025-06-01', 'old notes');"
  "INSERT INTO stages VALUES (11, 7, 0, 'Meet', 'Agree to meet', 'standard', 'Ann', 5, 0.9, 'won', '2025-06-03', '', 'n1');"
  "INSERT INTO stages VALUES (12, 7, 1, 'Process', 'Agree process', 'process-agreement', 'Bob', 7, 0.4, 'pending', NULL, '', '');"
  "INSERT INTO history VALUES (7, 0, 0, 'pending', 'won', '2025-06-03', 'first');";

/* Read-only places and full disks: what they are, never "damaged" */

static void
assert_place_refusal (const GError *error,
                      int           code,
                      const char   *fragment)
{
  g_assert_error (error, OM_STORE_ERROR, code);
  g_assert_nonnull (strstr (error->message, fragment));
  g_assert_null (strstr (error->message, "damaged"));
  g_assert_null (strstr (error->message, "backup"));
  g_assert_null (strchr (error->message, '\n'));
}

/* Root ignores permission bits, and tests often run as root: the
 * opening is then tried as 'nobody' */
static void
drop_privileges (void)
{
  if (geteuid () != 0)
    return;
  if (setgroups (0, NULL) != 0 || setresgid (65534, 65534, 65534) != 0 || setresuid (65534, 65534, 65534) != 0)
    g_error ("Could not become nobody: %s", g_strerror (errno));
}

typedef enum
{
  READ_ONLY_FILE,
  READ_ONLY_FOLDER,
  UNREADABLE_FILE,
  READ_ONLY_OLD_FILE,
} Place;

/* Every edit of a file opened read-only is refused by the database, the
 * model showing nothing changed */
static void
assert_edits_refused (OmRepository *repository)
{
  GListModel *opportunities = om_repository_get_opportunities (repository);
  g_autoptr(OmOpportunity) opp = g_list_model_get_item (opportunities, 0);
  g_autoptr(OmOpportunityData) was = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "New", "Client", om_test_date ("2026-01-01"));
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (opportunities);

  g_assert_false (om_opportunity_win_stage (opp, 0, "", &error));
  assert_place_refusal (error, OM_STORE_ERROR_READ_ONLY, "is read-only: nothing can be saved in it");
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (opp), was, TRUE));
  g_assert_false (om_repository_get_can_undo (repository));
  g_clear_error (&error);

  g_assert_null (om_repository_create_opportunity (repository, plan, &error));
  assert_place_refusal (error, OM_STORE_ERROR_READ_ONLY, "Nothing was changed");
  g_assert_cmpuint (g_list_model_get_n_items (opportunities), ==, n);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  Place place = GPOINTER_TO_INT (data);
  gboolean folder = place == READ_ONLY_FOLDER;
  g_autofree char *backup = g_strconcat (f->path, ".schema-1.bak", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OmRepository) repository = NULL;

      drop_privileges ();
      repository = om_database_open_repository (g_getenv ("OM_TEST_DATABASE"), &error);
      if (place == UNREADABLE_FILE)
        {
          g_assert_null (repository);
          assert_place_refusal (error, OM_STORE_ERROR_IO, g_strerror (EACCES));
        }
      else if (place == READ_ONLY_OLD_FILE)
        {
          /* it cannot be shown before it is updated, and cannot be updated */
          g_assert_null (repository);
          assert_place_refusal (error, OM_STORE_ERROR_READ_ONLY, "earlier version");
          g_assert_nonnull (strstr (error->message, "read-only"));
        }
      else
        {
          /* read: what it holds is shown, and said to be read-only once */
          g_assert_no_error (error);
          g_assert_nonnull (repository);
          g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_opportunities (repository)), ==, 2);
          g_assert_nonnull (om_repository_get_read_only_reason (repository));
          g_assert_nonnull (strstr (om_repository_get_read_only_reason (repository), "is read-only"));
          g_assert_null (strchr (om_repository_get_read_only_reason (repository), '\n'));
          assert_edits_refused (repository);

          /* and read on demand, as the list and the plan view read it */
          {
            g_autoptr(OmDatabase) db = om_database_open (g_getenv ("OM_TEST_DATABASE"), &error);
            g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, NULL, OM_ORDER_SHOWN);
            g_autoptr(GArray) ids = NULL;
            g_autoptr(GPtrArray) tpls = NULL;

            g_assert_no_error (error);
            g_assert_nonnull (om_database_get_read_only (db));
            ids = om_backend_list_ids (OM_BACKEND (db), query, &error);
            g_assert_no_error (error);
            g_assert_cmpuint (ids->len, ==, 2);
            for (guint i = 0; i < ids->len; i++)
              {
                g_autoptr(OmOpportunityData) opp = om_backend_load_opportunity (OM_BACKEND (db), g_array_index (ids, gint64, i), &error);

                g_assert_no_error (error);
                g_assert_cmpuint (opp->stages->len, >, 0);
              }
            tpls = om_backend_load_templates (OM_BACKEND (db), &error);
            g_assert_no_error (error);
          }
        }
      return;
    }

  if (place == READ_ONLY_OLD_FILE)
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
      exec_raw (db, schema_v1);
      exec_raw (db, "INSERT INTO opportunities VALUES (8, 'Second', 'Client', '', 0, 'EUR', '2025-06-01', '');");
      sqlite3_close (db);
    }
  else
    fill_database (f, 2);
  before = om_test_read_bytes (f->path);
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  if (geteuid () == 0)
    {
      /* nobody may read the file; may write it, or its folder, not both */
      if (folder)
        g_assert_cmpint (chown (f->path, 65534, 65534), ==, 0);
      else
        {
          g_assert_cmpint (chown (f->dir, 65534, 65534), ==, 0);
          g_assert_cmpint (g_chmod (f->path, place == UNREADABLE_FILE ? 0600 : 0644), ==, 0);
        }
    }
  else if (place == UNREADABLE_FILE)
    g_assert_cmpint (g_chmod (f->path, 0200), ==, 0);
  else
    g_assert_cmpint (g_chmod (folder ? f->dir : f->path, folder ? 0555 : 0444), ==, 0);

  g_setenv ("OM_TEST_DATABASE", f->path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_assert_cmpint (g_chmod (f->dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (f->path, 0600), ==, 0);
  after = om_test_read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
  assert_no_sidecars (f);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
}

/* A small disk of this process's own, gone with it: room for a few
 * opportunities and the -wal their writes grow (every write touches a
 * page of each index of schema 8) */
static gboolean
enter_small_disk (const char *dir)
{
  return unshare (CLONE_NEWNS) == 0 &&
         mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
         mount ("tmpfs", dir, "tmpfs", 0, "size=2m,mode=0700") == 0;
}

static gboolean
can_make_small_disk (const char *dir)
{
  int status = 0;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (enter_small_disk (dir) ? 0 : 1);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
fill_disk (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "filler", NULL);
  static const char block[4096];
  int fd = g_open (path, O_WRONLY | O_CREAT, 0600);

  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  while (write (fd, block, 1) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  g_close (fd, NULL);
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *disk = g_build_filename (f->dir, "disk", NULL);

  g_assert_cmpint (g_mkdir (disk, 0700), ==, 0);
  if (g_test_subprocess ())
    {
      g_autofree char *path = g_build_filename (disk, "opportunities.db", NULL);
      g_autofree char *folder = g_build_filename (disk, "new", NULL);
      g_autofree char *new_path = g_build_filename (folder, "deeper", "opportunities.db", NULL);
      g_autoptr(GBytes) before = NULL;
      g_autoptr(GBytes) after = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(OmRepository) repository = NULL;

      g_assert_true (enter_small_disk (disk));

      /* a healthy database, on a disk that then fills up */
      g_free (f->path);
      f->path = g_strdup (path);
      fill_database (f, 3);
      before = om_test_read_bytes (path);
      fill_disk (disk);

      repository = om_database_open_repository (path, &error);
      g_assert_null (repository);
      assert_place_refusal (error, OM_STORE_ERROR_DISK_FULL, "disk is full");
      after = om_test_read_bytes (path);
      g_assert_true (g_bytes_equal (before, after));
      g_clear_error (&error);

      /* a new one: nothing left behind, folders included */
      repository = om_database_open_repository (new_path, &error);
      g_assert_null (repository);
      assert_place_refusal (error, OM_STORE_ERROR_DISK_FULL, "disk is full");
      g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
      g_clear_error (&error);

      /* an edit on a disk that filled up while the file was open */
      {
        g_autofree char *filler = g_build_filename (disk, "filler", NULL);
        g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
        g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Big", "Client", om_test_date ("2026-01-01"));

        g_assert_cmpint (g_remove (filler), ==, 0);
        repository = om_database_open_repository (path, &error);
        g_assert_no_error (error);
        fill_disk (disk);
        g_free (plan->notes);
        plan->notes = g_strnfill (400000, 'n');
        g_assert_null (om_repository_create_opportunity (repository, plan, &error));
        g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DISK_FULL);
        g_assert_nonnull (strstr (error->message, "disk is full"));
        g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_opportunities (repository)), ==, 3);
        g_clear_object (&repository);
      }
      return;
    }

  if (!can_make_small_disk (disk))
    {
      g_test_skip ("No full disk to test on: mounting a small tmpfs in a private mount namespace "
                   "needs CAP_SYS_ADMIN, which this process does not have");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_migrate_from_v1 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *backup = g_strconcat (f->path, ".schema-1.bak", NULL);
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  const OmOpportunityData *opp;
  const OmStageData *stage;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_raw (db, schema_v1);
  sqlite3_close (db);
  original = om_test_read_bytes (f->path);

  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 1);
  opp = g_ptr_array_index (loaded, 0);
  g_assert_cmpint (opp->id, ==, 7);
  g_assert_cmpstr (opp->title, ==, "Old plan");
  g_assert_cmpint (opp->value, ==, 150000);
  g_assert_cmpstr (opp->currency, ==, "USD");
  g_assert_cmpuint (opp->stages->len, ==, 2);
  stage = g_ptr_array_index (opp->stages, 0);
  g_assert_cmpint (stage->id, ==, 11);
  g_assert_cmpint (stage->status, ==, OM_STAGE_STATUS_WON);
  g_assert_cmpuint (stage->decided_on, ==, om_test_date ("2025-06-03"));
  g_assert_cmpstr (stage->client_owner, ==, "");
  g_assert_cmpstr (stage->client_description, ==, "");
  stage = g_ptr_array_index (opp->stages, 1);
  g_assert_cmpint (stage->kind, ==, OM_STAGE_KIND_PROCESS_AGREEMENT);
  g_assert_cmpfloat (stage->probability, ==, 0.4);
  g_assert_cmpuint (opp->history->len, ==, 1);

  /* the file is now schema 2 ... */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, OM_DATABASE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* ... and a copy of schema 1 was kept, with the same contents */
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sqlite3_open_v2 (backup, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT (SELECT user_version FROM pragma_user_version),"
                                           " (SELECT count(*) FROM stages), (SELECT title FROM opportunities)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 2);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "Old plan");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* the migrated file takes new fields */
  {
    g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);
    OmOpportunity *migrated = om_repository_find (repository, 7);
    g_autoptr(OmStageData) edited = om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (migrated, 1)));
    g_autoptr(GError) error = NULL;

    g_free (edited->client_owner);
    edited->client_owner = g_strdup ("Their CFO");
    g_assert_true (om_opportunity_edit_stage (migrated, 1, edited, &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = om_test_database_load (f->path, NULL);
  opp = g_ptr_array_index (loaded, 0);
  g_assert_cmpstr (((OmStageData *) g_ptr_array_index (opp->stages, 1))->client_owner, ==, "Their CFO");
}

/* Schema 2, as the release before the stricter rules wrote it, with
 * what that release let through and the rules now refuse */
static const char schema_v2[] =
  "PRAGMA application_id = 1332768845;"
  "CREATE TABLE opportunities (id INTEGER PRIMARY KEY, title TEXT NOT NULL, client TEXT NOT NULL,"
  " coordinator TEXT NOT NULL DEFAULT '', value_minor INTEGER NOT NULL DEFAULT 0 CHECK (value_minor >= 0),"
  " currency TEXT NOT NULL DEFAULT 'EUR', start_date TEXT NOT NULL, notes TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE stages (id INTEGER PRIMARY KEY,"
  " opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  " position INTEGER NOT NULL, activity TEXT NOT NULL, milestone TEXT NOT NULL,"
  " kind TEXT NOT NULL DEFAULT 'standard', owner TEXT NOT NULL DEFAULT '',"
  " duration_days INTEGER NOT NULL DEFAULT 7 CHECK (duration_days >= 0),"
  " probability REAL NOT NULL DEFAULT 0.5 CHECK (probability BETWEEN 0 AND 1),"
  " status TEXT NOT NULL DEFAULT 'pending', decided_on TEXT, lost_reason TEXT NOT NULL DEFAULT '',"
  " notes TEXT NOT NULL DEFAULT '', client_owner TEXT NOT NULL DEFAULT '',"
  " client_description TEXT NOT NULL DEFAULT '', UNIQUE (opportunity_id, position));"
  "CREATE TABLE history (opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  " seq INTEGER NOT NULL, stage_index INTEGER NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL,"
  " on_date TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', PRIMARY KEY (opportunity_id, seq));"
  "CREATE TABLE templates (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
  "CREATE TABLE template_stages (template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,"
  " position INTEGER NOT NULL, activity TEXT NOT NULL, milestone TEXT NOT NULL,"
  " kind TEXT NOT NULL DEFAULT 'standard', duration_days INTEGER NOT NULL DEFAULT 7,"
  " probability REAL NOT NULL DEFAULT 0.5, client_description TEXT NOT NULL DEFAULT '',"
  " PRIMARY KEY (template_id, position));";

/* stages: id, opportunity, position, status, decided on, lost reason */
#define STAGE_ROW(id, opp, pos, status, on, reason) \
  "INSERT INTO stages (id, opportunity_id, position, activity, milestone, status, decided_on, lost_reason)" \
  " VALUES (" #id ", " #opp ", " #pos ", 'Activity', 'Milestone', '" status "', " on ", '" reason "');"
#define ENTRY(opp, seq, stage, from, to, on, note) \
  "INSERT INTO history VALUES (" #opp ", " #seq ", " #stage ", '" from "', '" to "', '" on "', '" note "');"

/* One opportunity for each thing the release before allowed */
static const char *const broken_cases[] = {
  /* 1: a decided date edited backwards, before the previous stage's */
  "INSERT INTO opportunities (id, title, client, start_date) VALUES (1, 'Edited back', 'C', '2025-01-01');"
  STAGE_ROW (11, 1, 0, "won", "'2025-03-10'", "")
  STAGE_ROW (12, 1, 1, "won", "'2025-03-01'", "")
  STAGE_ROW (13, 1, 2, "pending", "NULL", "")
  ENTRY (1, 0, 0, "pending", "won", "2025-03-10", "first")
  ENTRY (1, 1, 1, "pending", "won", "2025-03-12", "second"),
  /* 2: a stage won on a date before the previous one was decided (the
   * check was against the start date only): its entry is out of order */
  "INSERT INTO opportunities (id, title, client, start_date) VALUES (2, 'Won early', 'C', '2025-01-01');"
  STAGE_ROW (21, 2, 0, "won", "'2025-03-10'", "")
  STAGE_ROW (22, 2, 1, "lost", "'2025-03-05'", "Budget")
  ENTRY (2, 0, 0, "pending", "won", "2025-03-10", "first")
  ENTRY (2, 1, 1, "pending", "lost", "2025-03-05", "Budget"),
  /* 3: a win dated before the reopening above it */
  "INSERT INTO opportunities (id, title, client, start_date) VALUES (3, 'Reopened', 'C', '2025-01-01');"
  STAGE_ROW (31, 3, 0, "won", "'2025-03-01'", "")
  STAGE_ROW (32, 3, 1, "won", "'2025-03-15'", "")
  ENTRY (3, 0, 0, "pending", "won", "2025-03-01", "")
  ENTRY (3, 1, 1, "pending", "won", "2025-03-05", "")
  ENTRY (3, 2, 1, "won", "pending", "2025-03-20", "wrong paper")
  ENTRY (3, 3, 1, "pending", "won", "2025-03-15", "signed"),
  /* 4: lost reasons left on stages that are not lost */
  "INSERT INTO opportunities (id, title, client, start_date) VALUES (4, 'Left reasons', 'C', '2025-01-01');"
  STAGE_ROW (41, 4, 0, "won", "'2025-03-01'", "Was lost once")
  STAGE_ROW (42, 4, 1, "pending", "NULL", "Stale")
  ENTRY (4, 0, 0, "pending", "won", "2025-03-01", "kept"),
  /* 5: a history that does not replay: an imported "history": [] */
  "INSERT INTO opportunities (id, title, client, start_date) VALUES (5, 'No history', 'C', '2025-01-01');"
  STAGE_ROW (51, 5, 0, "won", "'2025-04-01'", "")
  STAGE_ROW (52, 5, 1, "lost", "'2025-04-02'", "Too expensive"),
};

static const char healthy_case[] =
  "INSERT INTO opportunities (id, title, client, start_date) VALUES (6, 'Healthy', 'C', '2025-01-01');"
  STAGE_ROW (61, 6, 0, "won", "'2025-02-01'", "")
  STAGE_ROW (62, 6, 1, "pending", "NULL", "")
  ENTRY (6, 0, 0, "pending", "won", "2025-02-01", "fine");

/* What schema 5 added: the values lists show (the rows written here
 * keep the defaults, which is what a file of this version never holds
 * once written by the application) */
static const char schema_v5_columns[] =
  "ALTER TABLE opportunities ADD COLUMN status INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN n_won INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN n_stages INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN chain_probability REAL NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN next_due TEXT;"
  "ALTER TABLE opportunities ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE opportunities ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
  "CREATE INDEX opportunities_shown ON opportunities (sort_key, id);"
  "CREATE INDEX opportunities_status_shown ON opportunities (status, sort_key, id);";

/* What schema 7 added: the schedule */
static const char schema_v7_columns[] =
  "ALTER TABLE stages ADD COLUMN agreed_date TEXT;"
  "ALTER TABLE stages ADD COLUMN baseline_due_date TEXT;"
  "ALTER TABLE opportunities ADD COLUMN target_date TEXT;"
  "ALTER TABLE opportunities ADD COLUMN health INTEGER;"
  "CREATE TABLE schedule_history (opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,"
  " position INTEGER NOT NULL, what TEXT NOT NULL, stage INTEGER, from_date TEXT, to_date TEXT,"
  " on_date TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', PRIMARY KEY (opportunity_id, position));";

/* What schema 8 added: the views across opportunities */
static const char schema_v8_columns[] =
  "ALTER TABLE opportunities ADD COLUMN close_date TEXT;"
  "ALTER TABLE opportunities ADD COLUMN weighted_minor INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE opportunities ADD COLUMN first_pending_due TEXT;"
  "ALTER TABLE opportunities ADD COLUMN client_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE opportunities ADD COLUMN coordinator_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE stages ADD COLUMN due_date TEXT;"
  "ALTER TABLE stages ADD COLUMN owner_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE stages ADD COLUMN search_text TEXT NOT NULL DEFAULT '';"
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
  "END;";

/* What a file of this version loses to be as schema 7 had it */
static const char schema_v8_dropped[] =
  "DROP TRIGGER opportunity_search_insert; DROP TRIGGER opportunity_search_delete;"
  "DROP TRIGGER opportunity_search_update; DROP TRIGGER stage_search_insert;"
  "DROP TRIGGER stage_search_delete; DROP TRIGGER stage_search_update;"
  "DROP TABLE opportunity_search; DROP TABLE stage_search;"
  "DROP INDEX opportunities_by_close; DROP INDEX opportunities_by_next_due;"
  "DROP INDEX opportunities_by_value; DROP INDEX opportunities_by_weighted;"
  "DROP INDEX opportunities_by_chain; DROP INDEX opportunities_by_client;"
  "DROP INDEX opportunities_by_coordinator; DROP INDEX opportunities_overdue;"
  "DROP INDEX opportunities_pipeline; DROP INDEX stages_by_owner;"
  "DROP INDEX stages_agenda; DROP INDEX stages_agenda_by_owner;"
  "ALTER TABLE opportunities DROP COLUMN close_date;"
  "ALTER TABLE opportunities DROP COLUMN weighted_minor;"
  "ALTER TABLE opportunities DROP COLUMN first_pending_due;"
  "ALTER TABLE opportunities DROP COLUMN client_key;"
  "ALTER TABLE opportunities DROP COLUMN coordinator_key;"
  "ALTER TABLE stages DROP COLUMN due_date;"
  "ALTER TABLE stages DROP COLUMN owner_key;"
  "ALTER TABLE stages DROP COLUMN search_text;";

/* What a file of schema 7 loses to be as schema 6 had it (the
 * columns schema 7 added are its last ones) */
static const char schema_v7_dropped[] =
  "ALTER TABLE stages DROP COLUMN agreed_date;"
  "ALTER TABLE stages DROP COLUMN baseline_due_date;"
  "ALTER TABLE opportunities DROP COLUMN target_date;"
  "ALTER TABLE opportunities DROP COLUMN health;"
  "DROP TABLE schedule_history;";

static void
write_old_file (const char *path,
                int         version,
                const char *contents)
{
  g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d;", version);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_raw (db, schema_v2);
  if (version >= 4)
    exec_raw (db, "ALTER TABLE opportunities ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
                  "CREATE TABLE revision_counter (last INTEGER NOT NULL);"
                  "INSERT INTO revision_counter (last) VALUES (1);");
  if (version >= 5)
    exec_raw (db, schema_v5_columns);
  if (version >= 6)
    exec_raw (db, "CREATE TABLE id_counter (last INTEGER NOT NULL); INSERT INTO id_counter (last) VALUES (0);");
  if (version >= 7)
    exec_raw (db, schema_v7_columns);
  if (version >= 8)
    exec_raw (db, schema_v8_columns);
  exec_raw (db, pragma);
  exec_raw (db, contents);
  /* a file of this version is in WAL mode, as the application keeps it */
  if (version >= 5)
    exec_raw (db, "PRAGMA journal_mode = WAL;");
  sqlite3_close (db);
}

static const OmOpportunityData *
find_loaded (GPtrArray *loaded,
             gint64     id)
{
  for (guint i = 0; i < loaded->len; i++)
    if (((OmOpportunityData *) g_ptr_array_index (loaded, i))->id == id)
      return g_ptr_array_index (loaded, i);
  g_assert_not_reached ();
}

static void
assert_entry (const OmOpportunityData *opp,
              guint                    k,
              guint                    stage,
              OmStageStatus            to,
              const char              *on,
              const char              *note)
{
  const OmHistoryEntry *h = g_ptr_array_index (opp->history, k);

  g_assert_cmpuint (h->stage, ==, stage);
  g_assert_cmpint (h->to, ==, to);
  g_assert_cmpuint (h->on, ==, om_test_date (on));
  g_assert_cmpstr (h->note, ==, note);
}

/* What the upgrade made of each case: the least change that brings it
 * within the rules */
static void
assert_repaired (GPtrArray *loaded)
{
  const OmOpportunityData *opp;

  g_assert_cmpuint (loaded->len, ==, 6);

  opp = find_loaded (loaded, 1);
  g_assert_cmpuint (STAGE_OF (opp, 0)->decided_on, ==, om_test_date ("2025-03-10"));
  g_assert_cmpuint (STAGE_OF (opp, 1)->decided_on, ==, om_test_date ("2025-03-10"));
  g_assert_cmpuint (opp->history->len, ==, 2);
  assert_entry (opp, 1, 1, OM_STAGE_STATUS_WON, "2025-03-12", "second");

  opp = find_loaded (loaded, 2);
  g_assert_cmpuint (STAGE_OF (opp, 1)->decided_on, ==, om_test_date ("2025-03-10"));
  g_assert_cmpstr (STAGE_OF (opp, 1)->lost_reason, ==, "Budget");
  g_assert_cmpuint (opp->history->len, ==, 2);
  assert_entry (opp, 0, 0, OM_STAGE_STATUS_WON, "2025-03-10", "first");
  assert_entry (opp, 1, 1, OM_STAGE_STATUS_LOST, "2025-03-10", "Budget");

  opp = find_loaded (loaded, 3);
  g_assert_cmpuint (STAGE_OF (opp, 1)->decided_on, ==, om_test_date ("2025-03-15"));
  g_assert_cmpuint (opp->history->len, ==, 4);
  assert_entry (opp, 2, 1, OM_STAGE_STATUS_PENDING, "2025-03-20", "wrong paper");
  assert_entry (opp, 3, 1, OM_STAGE_STATUS_WON, "2025-03-20", "signed");

  opp = find_loaded (loaded, 4);
  g_assert_cmpstr (STAGE_OF (opp, 0)->lost_reason, ==, "");
  g_assert_cmpstr (STAGE_OF (opp, 1)->lost_reason, ==, "");
  g_assert_cmpuint (opp->history->len, ==, 1);
  assert_entry (opp, 0, 0, OM_STAGE_STATUS_WON, "2025-03-01", "kept");

  opp = find_loaded (loaded, 5);
  g_assert_cmpuint (opp->history->len, ==, 2);
  assert_entry (opp, 0, 0, OM_STAGE_STATUS_WON, "2025-04-01", "Repaired on upgrade");
  assert_entry (opp, 1, 1, OM_STAGE_STATUS_LOST, "2025-04-02", "Repaired on upgrade");
  g_assert_cmpstr (STAGE_OF (opp, 1)->lost_reason, ==, "Too expensive");

  opp = find_loaded (loaded, 6);
  g_assert_cmpuint (opp->history->len, ==, 1);
  assert_entry (opp, 0, 0, OM_STAGE_STATUS_WON, "2025-02-01", "fine");
  for (guint i = 0; i < loaded->len; i++)
    g_assert_true (om_opportunity_data_validate (g_ptr_array_index (loaded, i), NULL));
}

/* A file updated to schema 7 has the schedule's columns and table, and
 * nothing in them: no plan of an earlier version was agreed nor
 * baselined */
static void
assert_schedule_added_empty (const char *path,
                             GPtrArray  *loaded)
{
  g_autofree char *n_set = query_text (path,
                                       "SELECT (SELECT count (*) FROM stages"
                                       "        WHERE agreed_date IS NOT NULL OR baseline_due_date IS NOT NULL)"
                                       " + (SELECT count (*) FROM opportunities WHERE target_date IS NOT NULL)"
                                       " + (SELECT count (*) FROM schedule_history)");
  g_autofree char *columns = query_text (path,
                                         "SELECT group_concat (name, ' ') FROM"
                                         " (SELECT name FROM pragma_table_info ('schedule_history') ORDER BY cid)");

  g_assert_cmpstr (n_set, ==, "0");
  g_assert_cmpstr (columns, ==, "opportunity_id position what stage from_date to_date on_date note");
  for (guint i = 0; i < loaded->len; i++)
    {
      const OmOpportunityData *opp = g_ptr_array_index (loaded, i);

      g_assert_cmpuint (opp->target_date, ==, 0);
      g_assert_cmpuint (opp->schedule->len, ==, 0);
      for (guint k = 0; k < opp->stages->len; k++)
        {
          g_assert_cmpuint (STAGE_OF (opp, k)->agreed_on, ==, 0);
          g_assert_cmpuint (STAGE_OF (opp, k)->baseline_due, ==, 0);
        }
    }
}

/* A file of the release before is repaired in its upgrade, after a
 * backup copy of it as it was */
static void
test_migrate_repairs (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *backup = g_strconcat (f->path, ".schema-2.bak", NULL);
  g_autofree char *all = g_strconcat (broken_cases[0], broken_cases[1], broken_cases[2], broken_cases[3],
                                      broken_cases[4], healthy_case, NULL);
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  G_STATIC_ASSERT (G_N_ELEMENTS (broken_cases) == 5);
  write_old_file (f->path, 2, all);
  original = om_test_read_bytes (f->path);

  g_test_expect_message ("om-store", G_LOG_LEVEL_MESSAGE, "*repaired 5 opportunities*");
  loaded = om_test_database_load (f->path, NULL);
  g_test_assert_expected_messages ();
  assert_repaired (loaded);

  /* the backup is the file as it was, byte for byte */
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  copy = om_test_read_bytes (backup);
  g_assert_true (g_bytes_equal (original, copy));

  /* the repairs were written, in the file's new version: read again,
   * without a migration, they are there */
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, OM_DATABASE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = om_test_database_load (f->path, NULL);
  assert_repaired (loaded);
  assert_schedule_added_empty (f->path, loaded);
}

/* The same contents in a file of this version were not written by an
 * earlier release: refused as damaged, left as they are */
static void
test_current_version_not_repaired (Fixture       *f,
                                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_remove (f->path);
      write_old_file (f->path, OM_DATABASE_SCHEMA_VERSION, broken_cases[i]);
      assert_damaged_when_read (f, NULL, "damaged");
    }
}

/* A process killed in the middle of a transaction on a file in rollback
 * mode (schema 1, as version 0.0 left it) leaves a hot -journal and a
 * half-written main file. Rolling it back writes the file: only once it
 * is accepted. */
static void
make_hot_journal (Fixture *f,
                  int      application_id)
{
  g_autofree char *journal = g_strconcat (f->path, "-journal", NULL);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA application_id = %d;", application_id);
  sqlite3 *db = NULL;
  int status = 0;
  pid_t pid;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_raw (db, schema_v1);
  exec_raw (db, pragma);
  exec_raw (db, "CREATE TABLE filler (x TEXT);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                " INSERT INTO filler SELECT printf('%0500d', i) FROM n;");
  sqlite3_close (db);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* a small cache spills the change into the main file before the
       * commit that never comes */
      if (sqlite3_open (f->path, &db) != SQLITE_OK ||
          sqlite3_exec (db, "PRAGMA cache_size = 2; BEGIN;"
                            "UPDATE filler SET x = upper(x) || 'changed';"
                            "UPDATE opportunities SET title = 'Never committed';",
                        NULL, NULL, NULL) != SQLITE_OK)
        _exit (1);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
}

static void
test_hot_journal_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *journal = g_strconcat (f->path, "-journal", NULL);
  g_autoptr(GBytes) main_before = NULL;
  g_autoptr(GBytes) journal_before = NULL;
  g_autoptr(GBytes) main_after = NULL;
  g_autoptr(GBytes) journal_after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = NULL;

  make_hot_journal (f, 42);
  main_before = om_test_read_bytes (f->path);
  journal_before = om_test_read_bytes (journal);

  db = om_database_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_FOREIGN);

  main_after = om_test_read_bytes (f->path);
  journal_after = om_test_read_bytes (journal);
  g_assert_true (g_bytes_equal (main_before, main_after));
  g_assert_true (g_bytes_equal (journal_before, journal_after));
}

static void
test_hot_journal_accepted (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) loaded = NULL;

  make_hot_journal (f, 1332768845);
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (((OmOpportunityData *) g_ptr_array_index (loaded, 0))->title, ==, "Old plan");
}

/* Two writers on one file (R7) */

static OmOpportunity *
create_plain (OmRepository *repository,
              const char   *title,
              guint         n_stages)
{
  g_autoptr(OmOpportunityData) data = om_opportunity_data_new (title, "Client", om_test_date ("2026-01-05"));
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  for (guint i = 0; i < n_stages; i++)
    g_ptr_array_add (data->stages, om_stage_data_new ("Activity", "Milestone"));
  opp = om_repository_create_opportunity (repository, data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opp);
  return opp;
}

static void
assert_conflict (GError     *error,
                 const char *verb,
                 const char *title)
{
  g_autofree char *quoted = g_strdup_printf ("“%s”", title);

  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, verb));
  g_assert_nonnull (strstr (error->message, quoted));
  g_assert_null (strchr (error->message, '\n'));
  /* and that nothing was kept of it */
  g_assert_nonnull (strstr (error->message, "not saved"));
}

static void
test_two_writers_stale_edit (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(OmRepository) a = om_test_database_open_repository (f->path);
  g_autoptr(OmRepository) b = NULL;
  g_autoptr(OmOpportunityData) b_saw = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *in_a, *in_b;
  gint64 id, created;

  om_date_set_today (om_test_date ("2026-01-10"));
  in_a = create_plain (a, "Shared deal", 3);
  id = om_opportunity_get_id (in_a);
  created = om_opportunity_get_data (in_a)->revision;
  g_assert_cmpint (created, >, 0);
  b = om_test_database_open_repository (f->path);
  in_b = om_repository_find (b, id);
  g_assert_nonnull (in_b);
  g_assert_cmpint (om_opportunity_get_data (in_b)->revision, ==, created);

  /* A writes first */
  g_assert_true (om_opportunity_win_stage (in_a, 0, "yes", &error));
  g_assert_no_error (error);
  g_assert_cmpint (om_opportunity_get_data (in_a)->revision, >, created);

  /* B's edit on the revision it read is refused and writes nothing;
   * B then shows what the file holds (R7: "the window shows the
   * current version") */
  b_saw = om_opportunity_data_copy (om_opportunity_get_data (in_b));
  g_assert_false (om_test_retitle (in_b, "B's title", &error));
  assert_conflict (error, "changed", "Shared deal");
  g_clear_error (&error);
  g_assert_false (om_opportunity_data_equal (om_opportunity_get_data (in_b), b_saw, TRUE));
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (in_b), om_opportunity_get_data (in_a), TRUE));
  g_assert_true (om_repository_find (b, id) == in_b);
  g_assert_false (om_repository_get_can_undo (b));

  /* every kind of edit is refused the same way */
  g_assert_true (om_test_renote (in_a, "A's note", &error));
  g_assert_no_error (error);
  g_assert_false (om_opportunity_remove_stage (in_b, 2, &error));
  assert_conflict (error, "changed", "Shared deal");
  g_clear_error (&error);
  g_assert_true (om_test_renote (in_a, "A's second note", &error));
  g_assert_no_error (error);
  g_assert_false (om_repository_remove_opportunity (b, in_b, &error));
  assert_conflict (error, "changed", "Shared deal");
  g_clear_error (&error);
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (in_b), om_opportunity_get_data (in_a), TRUE));
  g_assert_false (om_repository_get_can_undo (b));

  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_true (om_opportunity_data_equal (find_loaded (loaded, id), om_opportunity_get_data (in_a), TRUE));
  g_assert_cmpint (find_loaded (loaded, id)->revision, ==, om_opportunity_get_data (in_a)->revision);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* A writes once more, unseen by B */
  g_assert_true (om_test_renote (in_a, "A's last note", &error));
  g_assert_no_error (error);

  /* removed by A: B is told so */
  g_assert_true (om_repository_remove_opportunity (a, in_a, &error));
  g_assert_false (om_test_retitle (in_b, "B's title", &error));
  assert_conflict (error, "removed", "Shared deal");
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 0);
}

static void
test_two_writers_ids (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OmRepository) a = om_test_database_open_repository (f->path);
  g_autoptr(OmRepository) b = om_test_database_open_repository (f->path);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) stage_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;

  /* both loaded an empty file: a counter of either would start at 1 */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *title = g_strdup_printf ("%c-%u", i % 2 ? 'B' : 'A', i);
      OmOpportunity *opp = create_plain (i % 2 ? b : a, title, 2);

      g_ptr_array_add (shown, opp);
      /* and a new stage in an existing one */
      if (i >= 2)
        {
          OmOpportunity *earlier = g_ptr_array_index (shown, i - 2);
          g_autoptr(OmStageData) stage = om_stage_data_new ("Added", "Added");
          g_assert_true (om_opportunity_add_stage (earlier, 2, stage, &error));
          g_assert_no_error (error);
        }
    }

  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 6);
  for (guint i = 0; i < shown->len; i++)
    {
      const OmOpportunityData *mine = om_opportunity_get_data (g_ptr_array_index (shown, i));
      const OmOpportunityData *on_disk = find_loaded (loaded, mine->id);

      g_assert_false (g_hash_table_contains (ids, &mine->id));
      g_hash_table_add (ids, (gpointer) &mine->id);
      /* what each shows is what the file holds, stage ids included */
      g_assert_nonnull (on_disk);
      g_assert_true (om_opportunity_data_equal (mine, on_disk, TRUE));
      for (guint j = 0; j < mine->stages->len; j++)
        {
          const OmStageData *stage = g_ptr_array_index (mine->stages, j);
          g_assert_false (g_hash_table_contains (stage_ids, &stage->id));
          g_hash_table_add (stage_ids, (gpointer) &stage->id);
        }
    }
}

static void
test_two_writers_undo (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(OmRepository) a = om_test_database_open_repository (f->path);
  g_autoptr(OmRepository) b = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *in_a, *in_b, *other, *back;
  gint64 id;

  in_a = create_plain (a, "Undone", 2);
  id = om_opportunity_get_id (in_a);
  g_assert_true (om_test_retitle (in_a, "Undone, A's title", &error));
  g_assert_no_error (error);

  /* B changes it after A's edit: A's undo is refused, and stays
   * offered (nothing changed, the list of edits neither); A shows B's
   * change now */
  b = om_test_database_open_repository (f->path);
  in_b = om_repository_find (b, id);
  g_assert_true (om_test_retitle (in_b, "B's title", &error));
  g_assert_no_error (error);
  g_assert_false (om_repository_undo (a, &error));
  assert_conflict (error, "changed", "Undone, A's title");
  g_clear_error (&error);
  g_assert_true (om_repository_get_can_undo (a));
  g_assert_cmpstr (om_opportunity_get_title (in_a), ==, "B's title");
  /* and still refused: it would be applied over B's change */
  g_assert_false (om_repository_undo (a, &error));
  assert_conflict (error, "changed", "Undone, A's title");
  g_clear_error (&error);
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpstr (find_loaded (loaded, id)->title, ==, "B's title");
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* B's own undo is on the revision it wrote: accepted */
  g_assert_true (om_repository_undo (b, &error));
  g_assert_no_error (error);
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpstr (find_loaded (loaded, id)->title, ==, "Undone, A's title");
  g_assert_cmpint (find_loaded (loaded, id)->revision, ==, om_opportunity_get_data (in_b)->revision);
  g_assert_cmpint (find_loaded (loaded, id)->revision, >, om_opportunity_get_data (in_a)->revision);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_clear_object (&b);

  /* an undone removal whose id another writer took meanwhile comes back
   * under a new one, and the other's opportunity is left alone */
  other = create_plain (a, "Last", 1);
  g_assert_true (om_repository_remove_opportunity (a, other, &error));
  b = om_test_database_open_repository (f->path);
  in_b = create_plain (b, "Taken by B", 1);
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  g_assert_true (om_repository_undo (a, &error));
  g_assert_no_error (error);
  back = om_repository_find (a, om_repository_get_redo_opportunity (a));
  g_assert_nonnull (back);
  g_assert_cmpstr (om_opportunity_get_title (back), ==, "Last");
  g_assert_cmpint (om_opportunity_get_id (back), !=, om_opportunity_get_id (in_b));
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 3);
  g_assert_cmpstr (find_loaded (loaded, om_opportunity_get_id (in_b))->title, ==, "Taken by B");
  g_assert_true (om_opportunity_data_equal (find_loaded (loaded, om_opportunity_get_id (back)),
                                            om_opportunity_get_data (back), TRUE));
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* and redo removes it, not B's */
  g_assert_true (om_repository_redo (a, &error));
  g_assert_no_error (error);
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_nonnull (find_loaded (loaded, om_opportunity_get_id (in_b)));
}

/* Schema 4 gave each opportunity a revision (R7): what a file of schema
 * 3 holds starts at revision 1, after a backup of the file as it was */
static void
test_migrate_from_v3 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *backup = g_strconcat (f->path, ".schema-3.bak", NULL);
  g_autoptr(OmRepository) repository = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  write_old_file (f->path, 3, healthy_case);
  repository = om_test_database_open_repository (f->path);
  opp = om_repository_find (repository, 6);
  g_assert_nonnull (opp);
  g_assert_cmpint (om_opportunity_get_data (opp)->revision, ==, 1);
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));

  /* and the first write names it */
  g_assert_true (om_test_retitle (opp, "Healthy, edited", &error));
  g_assert_no_error (error);
  g_assert_cmpint (om_opportunity_get_data (opp)->revision, ==, 2);
  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpint (find_loaded (loaded, 6)->revision, ==, 2);
  g_assert_cmpuint (find_loaded (loaded, 6)->stages->len, ==, 2);
  g_assert_cmpuint (find_loaded (loaded, 6)->history->len, ==, 1);
}

/* An edit writes the stage rows it changed, not the whole plan */

/* The stage rows written since the last call: "inserts updates deletes" */
static char *
stage_writes (Fixture *f)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n[3] = { 0 };
  const char *what[] = { "insert", "update", "delete" };

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM test_log WHERE what = ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < 3; i++)
    {
      sqlite3_bind_text (stmt, 1, what[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      n[i] = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  exec_raw (db, "DELETE FROM test_log");
  sqlite3_close (db);
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, n[0], n[1], n[2]);
}

static void
test_stage_rows_written (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmStageData) edited = NULL;
  OmOpportunity *opp = create_plain (repository, "Long plan", 10);
  sqlite3 *db = NULL;
  char *writes;

  /* the file counts its own row writes */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_raw (db,
            "CREATE TABLE test_log (what TEXT);"
            "CREATE TRIGGER test_ins AFTER INSERT ON stages BEGIN INSERT INTO test_log VALUES ('insert'); END;"
            "CREATE TRIGGER test_upd AFTER UPDATE ON stages BEGIN INSERT INTO test_log VALUES ('update'); END;"
            "CREATE TRIGGER test_del AFTER DELETE ON stages BEGIN INSERT INTO test_log VALUES ('delete'); END;");
  sqlite3_close (db);

  /* a move of one stage by one place: the two rows that changed places,
   * each set twice (through a free position) */
  g_assert_true (om_opportunity_move_stage (opp, 8, 9, &error));
  g_assert_no_error (error);
  writes = stage_writes (f);
  g_assert_cmpstr (writes, ==, "0 4 0");
  g_free (writes);

  /* an edit of one stage: its row */
  edited = om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (opp, 3)));
  g_free (edited->owner);
  edited->owner = g_strdup ("Someone");
  g_assert_true (om_opportunity_edit_stage (opp, 3, edited, &error));
  g_assert_no_error (error);
  writes = stage_writes (f);
  g_assert_cmpstr (writes, ==, "0 1 0");
  g_free (writes);

  /* an edit of the opportunity alone: no stage row */
  g_assert_true (om_test_retitle (opp, "Long plan, renamed", &error));
  g_assert_no_error (error);
  writes = stage_writes (f);
  g_assert_cmpstr (writes, ==, "0 0 0");
  g_free (writes);

  /* a removed stage: its row, and each after it moves up (twice) */
  g_assert_true (om_opportunity_remove_stage (opp, 0, &error));
  g_assert_no_error (error);
  writes = stage_writes (f);
  g_assert_cmpstr (writes, ==, "0 18 1");
  g_free (writes);

  /* a new stage at the end: one row */
  {
    g_autoptr(OmStageData) stage = om_stage_data_new ("New", "New");
    g_assert_true (om_opportunity_add_stage (opp, 9, stage, &error));
    g_assert_no_error (error);
  }
  writes = stage_writes (f);
  g_assert_cmpstr (writes, ==, "1 0 0");
  g_free (writes);

  loaded = om_test_database_load (f->path, NULL);
  g_assert_true (om_opportunity_data_equal (find_loaded (loaded, om_opportunity_get_id (opp)),
                                            om_opportunity_get_data (opp), TRUE));
}

/* An opportunity removed, then another created: it never takes the
 * removed one's id (schema 6; SQLite alone gives the highest id again
 * once its row is gone). A window still showing the first is told it was
 * removed, and then no longer finds it, nor a stranger under its id.
 * An undone removal takes its id back. */
static void
test_two_writers_id_given_again (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(OmRepository) a = om_test_database_open_repository (f->path);
  g_autoptr(OmRepository) b = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *first, *stale, *second, *back;
  gint64 first_id;

  first = create_plain (a, "First", 2);
  first_id = om_opportunity_get_id (first);
  b = om_test_database_open_repository (f->path);
  stale = om_repository_find (b, first_id);
  g_assert_nonnull (stale);
  /* shown in full, as a window shows it */
  g_assert_true (om_opportunity_load (stale, &error));
  g_assert_no_error (error);

  g_assert_true (om_repository_remove_opportunity (a, first, &error));
  g_assert_no_error (error);
  second = create_plain (a, "Second", 1);
  g_assert_cmpint (om_opportunity_get_id (second), >, first_id);

  g_assert_false (om_test_retitle (stale, "First, edited", &error));
  assert_conflict (error, "removed", "First");
  g_clear_error (&error);
  g_assert_null (om_repository_find (b, first_id));

  loaded = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_true (om_opportunity_data_equal (find_loaded (loaded, om_opportunity_get_id (second)),
                                            om_opportunity_get_data (second), TRUE));
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* the removal undone: the first comes back under its own id, and a
   * new one after that still takes a new id */
  g_assert_true (om_repository_undo (a, &error));   /* the creation of the second */
  g_assert_no_error (error);
  g_assert_true (om_repository_undo (a, &error));   /* the removal of the first */
  g_assert_no_error (error);
  back = om_repository_find (a, first_id);
  g_assert_nonnull (back);
  g_assert_cmpstr (om_opportunity_get_title (back), ==, "First");
  g_assert_cmpint (om_opportunity_get_id (create_plain (a, "Third", 1)), >, om_opportunity_get_id (second));
}

/* What lists show, kept beside each opportunity (schema 5, issue 9) */

/* Whether one of @statements names @table (a word: n_stages is a
 * column of opportunities) */
static gboolean
any_touches (GPtrArray  *statements,
             const char *table)
{
  g_autofree char *pattern = g_strdup_printf ("\\b%s\\b", table);

  for (guint i = 0; i < statements->len; i++)
    if (g_regex_match_simple (pattern, g_ptr_array_index (statements, i), G_REGEX_CASELESS, 0))
      return TRUE;
  return FALSE;
}

/* The stored summary of @id is what the model derives from what @db
 * reads back of it, in its columns and through get_summaries() */
static void
assert_summary_kept (Fixture    *f,
                     OmDatabase *db,
                     gint64      id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmOpportunityData) loaded = om_backend_load_opportunity (OM_BACKEND (db), id, &error);
  g_autoptr(OmOpportunitySummary) expected = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  const OmOpportunitySummary *got;
  g_autofree char *due = NULL;
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  expected = om_opportunity_summary_new (loaded);
  due = expected->next_due != 0 ? om_date_to_iso (expected->next_due) : NULL;

  /* the columns, as another program reading the file sees them */
  g_assert_cmpint (sqlite3_open_v2 (f->path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw,
                                       "SELECT status, n_won, n_stages, chain_probability, next_due, sort_key,"
                                       " search_text FROM opportunities WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, expected->status);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, expected->n_won);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, expected->n_stages);
  g_assert_cmpfloat (sqlite3_column_double (stmt, 3), ==, expected->chain_probability);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, due);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 5), ==, expected->sort_key);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, expected->search_text);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);

  /* and as the backend hands them out */
  summaries = om_backend_get_summaries (OM_BACKEND (db), &id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summaries->len, ==, 1);
  got = g_ptr_array_index (summaries, 0);
  g_assert_nonnull (got);
  g_assert_cmpint (got->id, ==, id);
  g_assert_cmpint (got->revision, ==, loaded->revision);
  g_assert_cmpstr (got->title, ==, expected->title);
  g_assert_cmpstr (got->client, ==, expected->client);
  g_assert_cmpstr (got->coordinator, ==, expected->coordinator);
  g_assert_cmpint (got->status, ==, expected->status);
  g_assert_cmpuint (got->n_won, ==, expected->n_won);
  g_assert_cmpuint (got->n_stages, ==, expected->n_stages);
  g_assert_cmpfloat (got->chain_probability, ==, expected->chain_probability);
  g_assert_cmpuint (got->next_due, ==, expected->next_due);
  g_assert_cmpstr (got->sort_key, ==, expected->sort_key);
  g_assert_cmpstr (got->search_text, ==, expected->search_text);
  g_assert_cmpint (got->value, ==, expected->value);
  g_assert_cmpstr (got->currency, ==, expected->currency);
  g_assert_cmpuint (got->close_date, ==, expected->close_date);
  g_assert_cmpint (got->weighted_value, ==, expected->weighted_value);
  g_assert_cmpuint (got->first_pending_due, ==, expected->first_pending_due);
}

static OmOpportunityData *
win_next (const OmOpportunityData *data,
          const char              *on)
{
  OmOpportunityData *copy = om_opportunity_data_copy (data);
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_data_win_stage (copy, (guint) om_opportunity_data_get_current (copy),
                                                om_test_date (on), "", &error));
  g_assert_no_error (error);
  return copy;
}

static void
test_summary_kept (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = om_database_open (f->path, &error);
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Straße deal", 3);
  g_autoptr(OmOpportunityData) created = NULL;
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(OmOpportunityData) decided = NULL;
  g_autoptr(OmOpportunityData) undone = NULL;
  g_autoptr(OmOpportunityData) won = NULL;
  g_autoptr(OmOpportunityData) lost = NULL;
  g_autoptr(OmOpportunityData) empty = NULL;
  g_autoptr(OmOpportunitySummary) before_undo = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  gint64 ids[2];

  g_assert_no_error (error);

  /* created */
  created = om_test_database_apply (db, NULL, plan);
  assert_summary_kept (f, db, created->id);

  /* edited: the title, the coordinator, a stage's length and place */
  {
    g_autoptr(OmOpportunityData) after = om_opportunity_data_copy (created);

    g_free (after->title);
    after->title = g_strdup ("Fleet renewal");
    g_free (after->coordinator);
    after->coordinator = g_strdup ("Kari");
    om_opportunity_data_get_writable_stage (after, 0)->duration_days = 30;
    g_assert_true (om_opportunity_data_move_stage (after, 2, 1, NULL));
    edited = om_test_database_apply (db, created, after);
  }
  assert_summary_kept (f, db, edited->id);

  /* decided: the next due date moves on */
  {
    g_autoptr(OmOpportunityData) after = win_next (edited, "2024-01-20");
    decided = om_test_database_apply (db, edited, after);
  }
  assert_summary_kept (f, db, decided->id);
  before_undo = om_opportunity_summary_new (decided);
  g_assert_cmpuint (before_undo->n_won, ==, 1);

  /* undone, as the repository undoes: the inverse change */
  {
    g_autoptr(OmOpportunityData) after = om_opportunity_data_copy (edited);
    undone = om_test_database_apply (db, decided, after);
  }
  assert_summary_kept (f, db, undone->id);
  summaries = om_backend_get_summaries (OM_BACKEND (db), &undone->id, 1, NULL);
  g_assert_cmpuint (((OmOpportunitySummary *) g_ptr_array_index (summaries, 0))->n_won, ==, 0);
  g_assert_cmpstr (((OmOpportunitySummary *) g_ptr_array_index (summaries, 0))->sort_key, !=, before_undo->sort_key);

  /* won all, then lost: closed ones sort after the open */
  {
    g_autoptr(OmOpportunityData) a = win_next (undone, "2024-01-20");
    g_autoptr(OmOpportunityData) b = win_next (a, "2024-01-21");
    g_autoptr(OmOpportunityData) c = win_next (b, "2024-01-22");
    won = om_test_database_apply (db, undone, c);
  }
  assert_summary_kept (f, db, won->id);
  {
    g_autoptr(OmOpportunityData) other = om_test_plan_new ("Lost one", 2);
    g_autoptr(OmOpportunityData) kept = om_test_database_apply (db, NULL, other);
    g_autoptr(OmOpportunityData) after = om_opportunity_data_copy (kept);

    g_assert_true (om_opportunity_data_lose_stage (after, 0, om_test_date ("2024-01-05"), "Budget", NULL));
    lost = om_test_database_apply (db, kept, after);
  }
  assert_summary_kept (f, db, lost->id);
  {
    g_autoptr(OmOpportunityData) other = om_test_plan_new ("No stages yet", 0);
    empty = om_test_database_apply (db, NULL, other);
  }
  assert_summary_kept (f, db, empty->id);

  /* a removed one has no summary any more */
  ids[0] = lost->id;
  ids[1] = empty->id;
  g_assert_null (om_test_database_apply (db, lost, NULL));
  g_clear_pointer (&summaries, g_ptr_array_unref);
  summaries = om_backend_get_summaries (OM_BACKEND (db), ids, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summaries->len, ==, 2);
  g_assert_null (g_ptr_array_index (summaries, 0));
  g_assert_nonnull (g_ptr_array_index (summaries, 1));
  g_assert_null (om_backend_load_opportunity (OM_BACKEND (db), lost->id, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
}

/* A file of schema 4: the migration derives each one's summary */
static void
test_migrate_from_v4 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *backup = g_strconcat (f->path, ".schema-4.bak", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = NULL;
  g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, NULL, OM_ORDER_ID);
  g_autoptr(GArray) ids = NULL;

  g_autofree char *contents = g_strconcat (healthy_case,
                                           "INSERT INTO opportunities (id, title, client, start_date)"
                                           " VALUES (9, 'Ärger GmbH', 'C', '2025-01-01');"
                                           STAGE_ROW (91, 9, 0, "pending", "NULL", ""), NULL);

  write_old_file (f->path, 4, contents);
  db = om_database_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));

  ids = om_backend_list_ids (OM_BACKEND (db), query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  assert_summary_kept (f, db, 6);
  assert_summary_kept (f, db, 9);
}

/* Schema 6: the highest id ever given is kept, from the highest one the
 * file holds when it is updated */
static void
test_migrate_from_v5 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *backup = g_strconcat (f->path, ".schema-5.bak", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("New", 1);
  g_autoptr(GPtrArray) statements = NULL;
  OmOpportunity *highest, *created;
  gint64 highest_id = 0;
  sqlite3 *db = NULL;

  /* a file as version 5 wrote it: this version's, without the counter */
  for (guint i = 0; i < 3; i++)
    highest_id = om_opportunity_get_id (create_plain (repository, "Written by version 5", 1));
  g_clear_object (&repository);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_raw (db, schema_v8_dropped);
  exec_raw (db, schema_v7_dropped);
  exec_raw (db, "DROP TABLE id_counter; PRAGMA user_version = 5;");
  sqlite3_close (db);

  om_test_sql_capture_start ();
  repository = om_database_open_repository (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  /* checked; and read, for what schema 8 keeps of each plan, which
   * only the model derives */
  statements = om_test_sql_capture_stop ();
  g_assert_true (any_touches (statements, "quick_check"));
  g_assert_true (any_touches (statements, "FROM stages"));

  highest = om_repository_find (repository, highest_id);
  g_assert_nonnull (highest);
  g_assert_true (om_repository_remove_opportunity (repository, highest, &error));
  g_assert_no_error (error);
  created = om_repository_create_opportunity (repository, plan, &error);
  g_assert_no_error (error);
  g_assert_cmpint (om_opportunity_get_id (created), ==, highest_id + 1);
}

/* Schema 7: the schedule. A file of schema 6 gets its columns and table,
 * empty, after a backup of it as it was; the update is SQL alone, and
 * what the file held is read back unchanged */
static void
test_migrate_from_v6 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *backup = g_strconcat (f->path, ".schema-6.bak", NULL);
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Written by version 6", "Client",
                                                                    om_test_date ("2026-01-01"));
  g_autoptr(OmRepository) repository = om_test_database_open_repository (f->path);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;
  sqlite3 *db = NULL;

  /* a file as version 6 wrote it: decisions and their history, nothing
   * of a schedule */
  om_date_set_today (om_test_date ("2026-01-10"));
  g_assert_true (om_opportunity_data_win_stage (plan, 0, om_test_date ("2026-01-06"), "went well", NULL));
  g_assert_true (om_opportunity_data_lose_stage (plan, 1, om_test_date ("2026-01-08"), "No budget", NULL));
  g_assert_true (om_opportunity_data_reopen (plan, om_test_date ("2026-01-09"), "budget found", NULL));
  om_test_create (repository, plan);
  create_plain (repository, "Another", 2);
  g_clear_object (&repository);
  before = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (before->len, ==, 2);
  g_assert_cmpuint (find_loaded (before, 1)->history->len, ==, 3);
  assert_schedule_added_empty (f->path, before);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  exec_raw (db, schema_v8_dropped);
  exec_raw (db, schema_v7_dropped);
  exec_raw (db, "PRAGMA user_version = 6;");
  sqlite3_close (db);
  original = om_test_read_bytes (f->path);

  om_test_sql_capture_start ();
  repository = om_database_open_repository (f->path, &error);
  g_assert_no_error (error);
  statements = om_test_sql_capture_stop ();
  /* checked; and read, for what schema 8 keeps of each plan */
  g_assert_true (any_touches (statements, "quick_check"));
  g_assert_true (any_touches (statements, "FROM stages"));

  /* the backup is the file as it was, byte for byte */
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  copy = om_test_read_bytes (backup);
  g_assert_true (g_bytes_equal (original, copy));
  {
    g_autofree char *version = query_text (f->path, "PRAGMA user_version");
    g_autofree char *was = query_text (backup, "PRAGMA user_version");

    g_assert_cmpstr (version, ==, G_STRINGIFY (OM_DATABASE_SCHEMA_VERSION));
    g_assert_cmpstr (was, ==, "6");
  }

  /* what it held is unchanged, ids and revisions included; the new
   * fields are empty */
  after = om_test_database_load (f->path, NULL);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (om_opportunity_data_equal (g_ptr_array_index (before, i), g_ptr_array_index (after, i), TRUE));
  assert_schedule_added_empty (f->path, after);

  /* and the updated file keeps a schedule */
  opp = om_repository_find (repository, 1);
  g_assert_nonnull (opp);
  /* the count of warnings a list row shows: derived from the plan the
   * migration read (schema 8 reads every plan) */
  {
    g_autoptr(GPtrArray) warnings = om_opportunity_check_health (opp);
    g_assert_cmpint (om_opportunity_get_n_warnings (opp), ==, (int) warnings->len);
  }
  g_assert_true (om_opportunity_agree_date (opp, 1, om_test_date ("2026-01-20"), "agreed by phone", &error));
  g_assert_no_error (error);
  assert_on_disk (f, opp);
  g_assert_cmpuint (om_opportunity_get_data (opp)->schedule->len, >, 0);
  {
    g_autoptr(GPtrArray) warnings = om_opportunity_check_health (opp);
    g_autofree char *health = query_text (f->path, "SELECT health FROM opportunities WHERE id = 1");

    g_assert_cmpint (om_opportunity_get_n_warnings (opp), ==, (int) warnings->len);
    g_assert_cmpstr (health, !=, "");
  }
  /* a list reading the file again knows it without reading the plan */
  {
    g_autoptr(OmRepository) again = om_database_open_repository (f->path, &error);
    OmOpportunity *listed;
    g_autoptr(GPtrArray) warnings = NULL;

    g_assert_no_error (error);
    listed = om_repository_find (again, 1);
    g_assert_nonnull (listed);
    g_clear_pointer (&statements, g_ptr_array_unref);
    om_test_sql_capture_start ();
    g_assert_cmpint (om_opportunity_get_n_warnings (listed), >=, 0);
    statements = om_test_sql_capture_stop ();
    g_assert_false (any_touches (statements, "FROM stages"));
    warnings = om_opportunity_check_health (listed);
    g_assert_cmpint (om_opportunity_get_n_warnings (listed), ==, (int) warnings->len);
  }
}

/* list_ids: filters, a folded search and both orders, answered by SQL
 * as the model would answer them from every summary */
static char *
query_plan (const char *path,
            const char *sql)
{
  g_autoptr(GString) plan = g_string_new ("");
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s;", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return g_string_free (g_steal_pointer (&plan), FALSE);
}

static int
compare_summaries (gconstpointer a,
                   gconstpointer b,
                   gpointer      order)
{
  return om_opportunity_summary_compare (*(OmOpportunitySummary **) a, *(OmOpportunitySummary **) b,
                                         GPOINTER_TO_INT (order));
}

/* Every filter and order of a query, as the model answers it from the
 * plans (om_opportunity_query_matches()), by the database and by the
 * memory backend alike */
static void
test_list_ids (Fixture       *f,
               gconstpointer  data)
{
  static const char *const titles[] = { "Straße", "Zeta", "alpha", "STRASSENBAU", "Beta", "Érable", "beta" };
  static const char *const searches[] = { NULL, "STRASSE", "strasse", "client 1", "e", "nothing like it",
                                          "JOSÉ", "jo", "milestone 2" };
  static const char *const owners[] = { "José", "jose", "Mia", "" };
  g_autoptr(GError) error = NULL;
  g_autoptr(OmBackend) db = NULL;
  g_autoptr(OmMemoryBackend) memory = om_memory_backend_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_summary_free);
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();
  guint n_checked = 0, n_queries = 0;
  guint n_statuses[3] = { 0 };

  om_test_sql_capture_start ();
  db = om_store_open_backend (f->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 28; i++)
    {
      g_autoptr(OmOpportunityData) plan = om_test_plan_new (titles[i % G_N_ELEMENTS (titles)], i % 4);

      g_free (plan->client);
      plan->client = g_strdup_printf ("Client %u", i % 3);
      g_free (plan->coordinator);
      plan->coordinator = g_strdup (i % 2 ? "Ana" : "ANA");
      plan->value = (gint64) ((i * 7919) % 23) * 10000;
      plan->start_date = om_test_day ((int) (i * 7) % 40);
      for (guint k = 0; k < plan->stages->len; k++)
        {
          OmStageData *stage = om_opportunity_data_get_writable_stage (plan, k);
          g_free (stage->owner);
          stage->owner = g_strdup (owners[(i + k) % G_N_ELEMENTS (owners)]);
          stage->probability = 0.1 * (double) ((i + k) % 9 + 1);
        }
      if (plan->stages->len > 0 && i % 3 == 1)
        {
          /* won */
          for (guint k = 0; k < plan->stages->len; k++)
            g_assert_true (om_opportunity_data_win_stage (plan, k, om_test_day (60), "", NULL));
        }
      else if (plan->stages->len > 0 && i % 5 == 0)
        g_assert_true (om_opportunity_data_lose_stage (plan, 0, om_test_day (60), "Budget", NULL));
      else if (plan->stages->len > 1 && i % 2 == 0)
        g_assert_true (om_opportunity_data_win_stage (plan, 0, om_test_day (60), "", NULL));
      g_ptr_array_add (plans, om_test_database_apply (db, NULL, plan));
      g_ptr_array_add (all, om_opportunity_summary_new (g_ptr_array_index (plans, i)));
    }
  om_memory_backend_load (memory, plans, NULL);
  g_ptr_array_unref (om_test_sql_capture_stop ());
  om_test_sql_capture_start ();

  for (guint filter = 0; filter < 7; filter++)
    for (int status = -1; status <= OM_OPPORTUNITY_STATUS_LOST; status++)
      for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
        for (int order = OM_ORDER_SHOWN; order <= OM_ORDER_CLOSE_DATE_BACKWARDS; order++)
          {
            g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (status, searches[s], order);
            g_autoptr(GArray) ids = NULL;
            g_autoptr(GArray) in_memory = NULL;
            g_autoptr(GPtrArray) expected = g_ptr_array_new ();

            /* each filter with every status and order; searches with the first */
            if (filter > 0 && s > 1)
              continue;
            switch (filter)
              {
              case 1: query->owner = g_strdup ("JOSE"); break;
              case 2: query->owner = g_strdup ("José"); break;
              case 3: query->client = g_strdup ("client 2"); break;
              case 4: query->coordinator = g_strdup ("ana"); break;
              case 5: query->overdue_only = TRUE; query->today = om_test_day (30); break;
              case 6: query->close_from = om_test_day (20); query->close_to = om_test_day (50); break;
              default: break;
              }
            ids = om_backend_list_ids (OM_BACKEND (db), query, &error);
            g_assert_no_error (error);
            in_memory = om_backend_list_ids (OM_BACKEND (memory), query, &error);
            g_assert_no_error (error);
            n_queries++;
            for (guint i = 0; i < all->len; i++)
              if (om_opportunity_query_matches (query, g_ptr_array_index (all, i), g_ptr_array_index (plans, i)))
                g_ptr_array_add (expected, g_ptr_array_index (all, i));
            g_ptr_array_sort_with_data (expected, compare_summaries, GINT_TO_POINTER (order));

            g_assert_cmpuint (ids->len, ==, expected->len);
            g_assert_cmpuint (in_memory->len, ==, expected->len);
            for (guint i = 0; i < ids->len; i++)
              {
                gint64 id = ((OmOpportunitySummary *) g_ptr_array_index (expected, i))->id;
                g_assert_cmpint (g_array_index (ids, gint64, i), ==, id);
                g_assert_cmpint (g_array_index (in_memory, gint64, i), ==, id);
              }
            n_checked += ids->len;
          }
  g_assert_cmpuint (n_checked, >, 1000);
  queries = om_test_sql_capture_stop ();
  for (guint i = 0; i < all->len; i++)
    n_statuses[((OmOpportunitySummary *) g_ptr_array_index (all, i))->status]++;
  g_assert_cmpuint (n_statuses[OM_OPPORTUNITY_STATUS_OPEN], >, 3);
  g_assert_cmpuint (n_statuses[OM_OPPORTUNITY_STATUS_WON], >, 3);
  g_assert_cmpuint (n_statuses[OM_OPPORTUNITY_STATUS_LOST], >, 1);

  /* the folded search finds "Straße" and "STRASSENBAU"; a stage owner's
   * name finds the opportunities where that salesperson works */
  {
    g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, "STRASSE", OM_ORDER_ID);
    g_autoptr(GArray) ids = om_backend_list_ids (OM_BACKEND (db), query, &error);
    g_autoptr(OmOpportunityQuery) by_owner = om_opportunity_query_new (-1, "mia", OM_ORDER_ID);
    g_autoptr(GArray) found = om_backend_list_ids (OM_BACKEND (db), by_owner, &error);

    g_assert_cmpuint (ids->len, ==, 8);
    g_assert_cmpuint (found->len, >, 5);
  }
  /* what follows is SQLite's query plans */
  if (f->server)
    return;

  /* answered from the indexes, in their order: what list_ids ran, as
   * its log shows it (not FTS5's own statements), needs no sort of the
   * table when nothing narrows it, and a filter reads its own index */
  for (guint i = 0; i < queries->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (queries, i), "SELECT id FROM opportunities"))
      g_ptr_array_add (ours, g_ptr_array_index (queries, i));
  g_assert_cmpuint (ours->len, ==, n_queries);
  for (guint i = 0; i < ours->len; i++)
    {
      const char *sql = g_ptr_array_index (ours, i);
      g_autofree char *plan = query_plan (f->path, sql);

      if (strstr (sql, "MATCH") != NULL)
        {
          /* a search of three characters or more: the trigram indexes */
          g_assert_nonnull (strstr (plan, "VIRTUAL TABLE INDEX"));
        }
      else if (strstr (sql, "WHERE") == NULL ||
               (g_str_has_prefix (sql, "SELECT id FROM opportunities WHERE status = ") && strstr (sql, " AND ") == NULL))
        {
          static const char *const indexes[][2] = {
            { "ORDER BY sort_key", "opportunities_s" },
            { "ORDER BY close_date", "opportunities_by_close" },
            { "ORDER BY next_due", "opportunities_by_next_due" },
            { "ORDER BY value_minor", "opportunities_by_value" },
            { "ORDER BY weighted_minor", "opportunities_by_weighted" },
            { "ORDER BY chain_probability", "opportunities_by_chain" },
            { "ORDER BY id", "" },
          };
          gboolean known = FALSE;

          for (guint k = 0; k < G_N_ELEMENTS (indexes); k++)
            if (strstr (sql, indexes[k][0]) != NULL)
              {
                known = TRUE;
                /* by status, the index of the list's own order */
                if (strstr (sql, "WHERE status") == NULL || k == 0)
                  {
                    if (strstr (plan, "TEMP B-TREE") != NULL)
                      g_error ("%s: %s", sql, plan);
                    g_assert_nonnull (strstr (plan, indexes[k][1]));
                  }
              }
          g_assert_true (known);
        }
      else if (strstr (sql, "owner_key") != NULL)
        g_assert_nonnull (strstr (plan, "stages_by_owner"));
      else if (strstr (sql, "client_key") != NULL)
        g_assert_nonnull (strstr (plan, "opportunities_by_client"));
      else if (strstr (sql, "coordinator_key") != NULL)
        g_assert_nonnull (strstr (plan, "opportunities_by_coordinator"));
    }
}

/* The views across opportunities (SPEC 7, issue 12): the same answers
 * from the database, read from its indexes, and from the memory backend */

static char *
agenda_text (GPtrArray *items)
{
  GString *text = g_string_new ("");

  for (guint i = 0; i < items->len; i++)
    {
      const OmAgendaItem *item = g_ptr_array_index (items, i);
      g_autofree char *due = om_date_to_iso (item->due);

      g_string_append_printf (text, "%s%s #%" G_GINT64_FORMAT " %u/%u %s %s %s%s", i ? "; " : "", due,
                              item->opportunity_id, item->stage + 1, item->n_stages, item->owner,
                              item->milestone, item->title, item->agreed ? " agreed" : "");
    }
  return g_string_free (text, FALSE);
}

static char *
pipeline_text (GPtrArray *rows)
{
  GString *text = g_string_new ("");

  for (guint i = 0; i < rows->len; i++)
    {
      const OmPipelineRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (text, "%s%s %04d-%02d %u %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, i ? "; " : "",
                              row->currency, row->year, row->month, row->n, row->value, row->weighted);
    }
  return g_string_free (text, FALSE);
}

/* @query's agenda from both backends, which must agree */
static char *
both_agendas (OmBackend  *db,
              OmBackend  *memory,
              const char *owner,
              const char *from,
              const char *until)
{
  g_autoptr(OmAgendaQuery) query = om_agenda_query_new (owner, from ? om_test_date (from) : 0,
                                                        until ? om_test_date (until) : 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = om_backend_list_agenda (db, query, &error);
  g_autoptr(GPtrArray) b = NULL;
  g_autofree char *in_db = NULL;
  g_autofree char *in_memory = NULL;

  g_assert_no_error (error);
  b = om_backend_list_agenda (memory, query, &error);
  g_assert_no_error (error);
  in_db = agenda_text (a);
  in_memory = agenda_text (b);
  g_assert_cmpstr (in_db, ==, in_memory);
  return g_steal_pointer (&in_db);
}

static char *
both_names (OmBackend  *db,
            OmBackend  *memory,
            OmNameKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) a = om_backend_list_names (db, kind, &error);
  g_auto(GStrv) b = NULL;

  g_assert_no_error (error);
  b = om_backend_list_names (memory, kind, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (a, b);
  return g_strjoinv ("|", a);
}

static char *
both_pipelines (OmBackend *db,
                OmBackend *memory)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = om_backend_get_pipeline (db, &error);
  g_autoptr(GPtrArray) b = NULL;
  g_autofree char *in_memory = NULL;
  char *in_db;

  g_assert_no_error (error);
  b = om_backend_get_pipeline (memory, &error);
  g_assert_no_error (error);
  in_db = pipeline_text (a);
  in_memory = pipeline_text (b);
  g_assert_cmpstr (in_db, ==, in_memory);
  return in_db;
}

static GArray *
both_ids (OmBackend                *db,
          OmBackend                *memory,
          const OmOpportunityQuery *query)
{
  g_autoptr(GError) error = NULL;
  GArray *a = om_backend_list_ids (db, query, &error);
  g_autoptr(GArray) b = NULL;

  g_assert_no_error (error);
  b = om_backend_list_ids (memory, query, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (a->data, a->len * sizeof (gint64), b->data, b->len * sizeof (gint64));
  return a;
}

/* One edit kept by both backends; returns it as the database kept it */
static OmOpportunityData *
apply_both (OmBackend               *db,
            OmMemoryBackend         *memory,
            const OmOpportunityData *before,
            const OmOpportunityData *after)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  OmOpportunityData *kept = om_test_database_apply (db, before, after);

  g_ptr_array_add (changes, om_change_new (OM_CHANGE_OPPORTUNITY, before, kept));
  g_assert_true (om_backend_apply (OM_BACKEND (memory), changes, NULL));
  return kept;
}

static OmOpportunityData *
across_plan (const char         *title,
             const char         *currency,
             gint64              value,
             const char * const *owners,
             double              probability)
{
  OmOpportunityData *plan = om_test_plan_new (title, g_strv_length ((GStrv) owners));

  g_free (plan->currency);
  plan->currency = g_strdup (currency);
  plan->value = value;
  for (guint i = 0; owners[i] != NULL; i++)
    {
      OmStageData *stage = om_opportunity_data_get_writable_stage (plan, i);

      g_free (stage->owner);
      stage->owner = g_strdup (owners[i]);
      stage->probability = probability;
    }
  return plan;
}

/* A plan with more pending stages than a store keeps due dates of
 * (OM_STORED_DUES): a decision that moves every later date rewrites the
 * kept ones only, and the agenda, which reads the others through the
 * model, is the model's all the same, before and after */
static void
test_agenda_long_plan (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmBackend) db = NULL;
  g_autoptr(OmMemoryBackend) memory = om_memory_backend_new ();
  g_autoptr(OmOpportunityData) long_plan = om_test_plan_new ("Long", 300);
  g_autoptr(OmOpportunityData) short_plan = om_test_plan_new ("Short", 3);
  g_autoptr(OmOpportunityData) almost = om_test_plan_new ("Almost", OM_STORED_DUES + 6);
  g_autoptr(OmOpportunityData) kept_long = NULL;
  g_autoptr(OmOpportunityData) kept_short = NULL;
  g_autoptr(OmOpportunityData) kept_almost = NULL;
  g_autoptr(OmOpportunityData) decided = NULL;
  g_autoptr(OmOpportunityData) kept_decided = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  OmBackend *m = OM_BACKEND (memory);
  const char *const windows[][3] = {
    { NULL, NULL, NULL }, { NULL, "2024-03-01", "2024-06-30" }, { "Owner 3", NULL, NULL },
    { NULL, "2025-01-01", NULL },
  };
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  guint n_updates = 0;

  /* a backend logs its statements if it is opened logging */
  om_test_sql_capture_start ();
  db = om_store_open_backend (f->path, &error);
  g_assert_no_error (error);
  om_memory_backend_load (memory, none, NULL);
  for (guint i = 0; i < long_plan->stages->len; i++)
    {
      OmStageData *stage = om_opportunity_data_get_writable_stage (long_plan, i);

      g_free (stage->owner);
      stage->owner = g_strdup_printf ("Owner %u", i % 5);
    }
  /* six won: the rest fits in what is kept */
  for (guint i = 0; i < 6; i++)
    g_assert_true (om_opportunity_data_win_stage (almost, i, om_test_date ("2024-01-02"), "", NULL));
  kept_long = apply_both (db, memory, NULL, long_plan);
  kept_short = apply_both (db, memory, NULL, short_plan);
  kept_almost = apply_both (db, memory, NULL, almost);
  for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
    g_free (both_agendas (db, m, windows[w][0], windows[w][1], windows[w][2]));

  /* won a month late: all 299 later dates move; the rows keep a few */
  decided = om_opportunity_data_copy (kept_long);
  g_assert_true (om_opportunity_data_win_stage (decided, 0, om_test_date ("2024-02-05"), "late", NULL));
  g_ptr_array_unref (om_test_sql_capture_stop ());
  om_test_sql_capture_start ();
  kept_decided = apply_both (db, memory, kept_long, decided);
  statements = om_test_sql_capture_stop ();
  for (guint i = 0; i < statements->len; i++)
    n_updates += g_str_has_prefix (g_ptr_array_index (statements, i), "UPDATE stages");
  g_assert_cmpuint (n_updates, >=, 1);
  /* the kept dates, the decided row, and the next one kept now */
  g_assert_cmpuint (n_updates, <=, OM_STORED_DUES + 4);
  for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
    g_free (both_agendas (db, m, windows[w][0], windows[w][1], windows[w][2]));
}

static void
test_across (Fixture       *f,
             gconstpointer  data)
{
  static const char *const a_owners[] = { "Ann", "José", "Mia", NULL };
  static const char *const b_owners[] = { "jose", "Ann", NULL };
  static const char *const c_owners[] = { "Ann", "Ann", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(OmBackend) db = NULL;
  g_autoptr(OmMemoryBackend) memory = om_memory_backend_new ();
  g_autoptr(OmOpportunityData) a = across_plan ("Alpha", "EUR", 100000, a_owners, 0.5);
  g_autoptr(OmOpportunityData) b = across_plan ("Beta", "USD", 20000, b_owners, 0.9);
  g_autoptr(OmOpportunityData) c = across_plan ("Gamma", "EUR", 33333, c_owners, 0.9);
  g_autoptr(OmOpportunityData) won = across_plan ("Won deal", "EUR", 500, c_owners, 0.9);
  g_autoptr(OmOpportunityData) lost = across_plan ("Lost deal", "EUR", 700, c_owners, 0.9);
  g_autoptr(OmOpportunityData) empty = om_test_plan_new ("Empty", 0);
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  OmBackend *d, *m = OM_BACKEND (memory);
  OmOpportunityData *kept[6], *after;
  char *text;

  /* its statements are logged, to be looked at */
  om_test_sql_capture_start ();
  db = om_store_open_backend (f->path, &error);
  g_assert_no_error (error);
  d = OM_BACKEND (db);
  om_memory_backend_load (memory, none, NULL);
  g_free (a->coordinator);
  a->coordinator = g_strdup ("Ana");
  g_free (b->coordinator);
  b->coordinator = g_strdup ("ANA");
  g_free (b->client);
  b->client = g_strdup ("Bolt");
  /* Beta's last milestone is agreed with the client: it is due then */
  om_opportunity_data_get_writable_stage (b, 1)->agreed_on = om_test_date ("2024-02-20");
  g_assert_true (om_opportunity_data_win_stage (c, 0, om_test_date ("2024-01-03"), "", NULL));
  g_assert_true (om_opportunity_data_win_stage (won, 0, om_test_date ("2024-01-03"), "", NULL));
  g_assert_true (om_opportunity_data_win_stage (won, 1, om_test_date ("2024-01-04"), "", NULL));
  g_assert_true (om_opportunity_data_lose_stage (lost, 0, om_test_date ("2024-01-03"), "Budget", NULL));
  kept[0] = apply_both (db, memory, NULL, a);
  kept[1] = apply_both (db, memory, NULL, b);
  kept[2] = apply_both (db, memory, NULL, c);
  kept[3] = apply_both (db, memory, NULL, won);
  kept[4] = apply_both (db, memory, NULL, lost);
  kept[5] = apply_both (db, memory, NULL, empty);

  /* pending stages of open ones only: earliest first, then by id and
   * stage; read from the stages' due-date index, in its order */
  text = both_agendas (d, m, NULL, NULL, NULL);
  g_free (both_agendas (d, m, "Ann", NULL, "2024-01-10"));
  {
    g_autoptr(GPtrArray) statements = om_test_sql_capture_stop ();
    guint n_agendas = 0;

    for (guint i = 0; i < statements->len && !f->server; i++)
      if (g_str_has_prefix (g_ptr_array_index (statements, i), "SELECT s.opportunity_id"))
        {
          g_autofree char *plan = query_plan (f->path, g_ptr_array_index (statements, i));

          g_assert_nonnull (strstr (plan, "USING INDEX stages_agenda"));
          g_assert_null (strstr (plan, "TEMP B-TREE"));
          g_assert_null (strstr (plan, "SCAN o"));
          n_agendas++;
        }
    g_assert_cmpuint (n_agendas, ==, f->server ? 0 : 2);
  }
  g_assert_cmpstr (text, ==,
                   "2024-01-08 #1 1/3 Ann Milestone 1 Alpha; "
                   "2024-01-08 #2 1/2 jose Milestone 1 Beta; "
                   "2024-01-10 #3 2/2 Ann Milestone 2 Gamma; "
                   "2024-01-15 #1 2/3 José Milestone 2 Alpha; "
                   "2024-01-22 #1 3/3 Mia Milestone 3 Alpha; "
                   "2024-02-20 #2 2/2 Ann Milestone 2 Beta agreed");
  g_free (text);
  /* a salesperson's, however the name is written; a window */
  text = both_agendas (d, m, "JOSE", NULL, NULL);
  g_assert_cmpstr (text, ==, "2024-01-08 #2 1/2 jose Milestone 1 Beta");
  g_free (text);
  text = both_agendas (d, m, "josé", NULL, NULL);
  g_assert_cmpstr (text, ==, "2024-01-15 #1 2/3 José Milestone 2 Alpha");
  g_free (text);
  text = both_agendas (d, m, NULL, "2024-01-09", "2024-01-20");
  g_assert_cmpstr (text, ==,
                   "2024-01-10 #3 2/2 Ann Milestone 2 Gamma; 2024-01-15 #1 2/3 José Milestone 2 Alpha");
  g_free (text);
  text = both_agendas (d, m, "nobody", NULL, NULL);
  g_assert_cmpstr (text, ==, "");
  g_free (text);

  /* open ones with a close date, by month then currency; integer sums
   * of rounded weighted values (Gamma: 29,999.7 hundredths is 30,000) */
  text = both_pipelines (d, m);
  g_assert_cmpstr (text, ==, "EUR 2024-01 2 133333 42500; USD 2024-02 1 20000 16200");
  g_free (text);

  /* one spelling of each name, sorted folded; empty ones left out (an
   * accent makes another name, as for the filter: "José" is not "jose") */
  text = both_names (d, m, OM_NAME_OWNER);
  g_assert_cmpstr (text, ==, "Ann|jose|José|Mia");
  g_free (text);
  text = both_names (d, m, OM_NAME_COORDINATOR);
  g_assert_cmpstr (text, ==, "ANA");
  g_free (text);
  text = both_names (d, m, OM_NAME_CLIENT);
  g_assert_cmpstr (text, ==, "ACME|Bolt");
  g_free (text);

  /* a search finds a salesperson, a client owner, an activity */
  {
    g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, "MIA", OM_ORDER_ID);
    g_autoptr(GArray) ids = both_ids (d, m, query);

    g_assert_cmpuint (ids->len, ==, 1);
    g_assert_cmpint (g_array_index (ids, gint64, 0), ==, kept[0]->id);
  }

  /* winning Alpha's first stage early moves its unpinned stages: the
   * agenda follows (the stored due dates), and Beta's agreed one stays */
  edited = om_opportunity_data_copy (kept[0]);
  g_assert_true (om_opportunity_data_win_stage (edited, 0, om_test_date ("2024-01-02"), "", NULL));
  after = apply_both (db, memory, kept[0], edited);
  om_opportunity_data_free (kept[0]);
  kept[0] = after;
  g_clear_pointer (&edited, om_opportunity_data_free);
  edited = om_opportunity_data_copy (kept[1]);
  g_assert_true (om_opportunity_data_move_stage (edited, 1, 0, NULL));
  after = apply_both (db, memory, kept[1], edited);
  om_opportunity_data_free (kept[1]);
  kept[1] = after;
  text = both_agendas (d, m, NULL, NULL, NULL);
  g_assert_cmpstr (text, ==,
                   "2024-01-09 #1 2/3 José Milestone 2 Alpha; "
                   "2024-01-10 #3 2/2 Ann Milestone 2 Gamma; "
                   "2024-01-16 #1 3/3 Mia Milestone 3 Alpha; "
                   "2024-02-20 #2 1/2 Ann Milestone 2 Beta agreed; "
                   "2024-02-27 #2 2/2 jose Milestone 1 Beta");
  g_free (text);

  /* a removal leaves no stage in the agenda nor in the search index */
  g_assert_null (apply_both (db, memory, kept[0], NULL));
  text = both_agendas (d, m, "Mia", NULL, NULL);
  g_assert_cmpstr (text, ==, "");
  g_free (text);
  {
    g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, "MIA", OM_ORDER_ID);
    g_autoptr(GArray) ids = both_ids (d, m, query);
    sqlite3 *raw = NULL;

    g_assert_cmpuint (ids->len, ==, 0);
    if (f->server)
      goto done;
    g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
    exec_raw (raw, "INSERT INTO opportunity_search (opportunity_search) VALUES ('integrity-check');"
                   "INSERT INTO stage_search (stage_search) VALUES ('integrity-check');");
    sqlite3_close (raw);
  }
done:
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    g_clear_pointer (&kept[i], om_opportunity_data_free);
}

/* Schema 8: a file of schema 7 gets what the views across opportunities
 * read, derived by the model from every plan the migration read: the
 * stages' due dates (the agenda), the search of the stages, the values
 * the portfolio sorts and the pipeline sums */
static void
test_migrate_from_v7 (Fixture       *f,
                      gconstpointer  data)
{
  static const char *const owners[] = { "Ann", "Mia", NULL };
  g_autofree char *backup = g_strconcat (f->path, ".schema-7.bak", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = om_database_open (f->path, &error);
  g_autoptr(OmMemoryBackend) memory = om_memory_backend_new ();
  g_autoptr(OmOpportunityData) plan = across_plan ("Old one", "EUR", 100000, owners, 0.5);
  g_autoptr(OmOpportunityData) kept = NULL;
  g_autoptr(GPtrArray) plans = g_ptr_array_new ();
  g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, "mia", OM_ORDER_WEIGHTED);
  g_autoptr(GArray) ids = NULL;
  sqlite3 *raw = NULL;
  char *text;

  g_assert_no_error (error);
  kept = om_test_database_apply (db, NULL, plan);
  g_clear_object (&db);
  g_ptr_array_add (plans, kept);
  om_memory_backend_load (memory, plans, NULL);
  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  exec_raw (raw, schema_v8_dropped);
  exec_raw (raw, "PRAGMA user_version = 7;");
  sqlite3_close (raw);

  db = om_database_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  text = both_agendas (OM_BACKEND (db), OM_BACKEND (memory), NULL, NULL, NULL);
  g_assert_cmpstr (text, ==, "2024-01-08 #1 1/2 Ann Milestone 1 Old one; 2024-01-15 #1 2/2 Mia Milestone 2 Old one");
  g_free (text);
  text = both_pipelines (OM_BACKEND (db), OM_BACKEND (memory));
  g_assert_cmpstr (text, ==, "EUR 2024-01 1 100000 25000");
  g_free (text);
  ids = both_ids (OM_BACKEND (db), OM_BACKEND (memory), query);
  g_assert_cmpuint (ids->len, ==, 1);
  assert_summary_kept (f, db, kept->id);
}

/* SPEC 8: opening, listing and showing a page of the list read no
 * stage: they take the same time for 100 or 100,000 opportunities */
static void
test_open_reads_no_stage (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) db = om_database_open (f->path, &error);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, NULL, OM_ORDER_SHOWN);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  g_autoptr(OmOpportunityData) one = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *title = g_strdup_printf ("Opportunity %04u", i);
      g_autoptr(OmOpportunityData) plan = om_test_plan_new (title, 6);

      g_ptr_array_add (changes, om_change_new (OM_CHANGE_OPPORTUNITY, NULL, plan));
    }
  /* one transaction */
  g_assert_true (om_backend_apply (OM_BACKEND (db), changes, &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  om_test_sql_capture_start ();
  db = om_database_open (f->path, &error);
  g_assert_no_error (error);
  ids = om_backend_list_ids (OM_BACKEND (db), query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2000);
  summaries = om_backend_get_summaries (OM_BACKEND (db), (const gint64 *) (gpointer) ids->data, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summaries->len, ==, 50);
  g_assert_cmpstr (((OmOpportunitySummary *) g_ptr_array_index (summaries, 0))->title, ==, "Opportunity 0000");
  g_assert_cmpuint (((OmOpportunitySummary *) g_ptr_array_index (summaries, 49))->n_stages, ==, 6);
  statements = om_test_sql_capture_stop ();

  /* the log is there, and shows neither stages nor history read, nor the
   * whole file checked */
  g_assert_cmpuint (statements->len, >, 50);
  g_assert_true (any_touches (statements, "FROM opportunities"));
  g_assert_false (any_touches (statements, "stages"));
  g_assert_false (any_touches (statements, "history"));
  g_assert_false (any_touches (statements, "quick_check"));

  /* opening one reads its stages */
  g_clear_pointer (&statements, g_ptr_array_unref);
  om_test_sql_capture_start ();
  one = om_backend_load_opportunity (OM_BACKEND (db), g_array_index (ids, gint64, 7), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->stages->len, ==, 6);
  statements = om_test_sql_capture_stop ();
  g_assert_true (any_touches (statements, "FROM stages"));
  g_assert_true (any_touches (statements, "FROM history"));
}

/* A file another connection is using, with its transactions still in
 * the -wal (the window open while the command line runs): opening it
 * too reads no stage; the -wal is that writer's work, not a killed
 * writer's leftover (the left-over-wal tests keep those checked whole) */
static void
test_open_in_use_reads_no_stage (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmDatabase) writer = om_database_open (f->path, &error);
  g_autoptr(OmDatabase) second = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  g_autoptr(GPtrArray) statements = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  GStatBuf st;

  g_assert_no_error (error);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *title = g_strdup_printf ("Opportunity %04u", i);
      g_autoptr(OmOpportunityData) plan = om_test_plan_new (title, 6);

      g_ptr_array_add (changes, om_change_new (OM_CHANGE_OPPORTUNITY, NULL, plan));
    }
  g_assert_true (om_backend_apply (OM_BACKEND (writer), changes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 4096);

  om_test_sql_capture_start ();
  second = om_database_open (f->path, &error);
  g_assert_no_error (error);
  statements = om_test_sql_capture_stop ();
  g_assert_true (any_touches (statements, "PRAGMA user_version"));
  g_assert_false (any_touches (statements, "stages"));
  g_assert_false (any_touches (statements, "quick_check"));
}


/* What another program left that cannot be read (stages breaking the
 * rules, written behind the app's back under a new revision): an
 * opportunity shown in full stays as it was shown when the watch sees
 * the change; one only listed reads as having no stage, with a valid
 * start date, and says why; nothing fails on the way */
static void
test_unreadable_after_other_writer (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(OmRepository) a = om_test_database_open_repository (f->path);
  g_autoptr(OmRepository) b = NULL;
  g_autoptr(OmOpportunity) shown = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *listed;
  gint64 start;
  sqlite3 *raw = NULL;

  shown = g_object_ref (create_plain (a, "Shown in full", 3));
  g_assert_cmpuint (om_opportunity_get_n_stages (shown), ==, 3);
  om_repository_set_watching (a, TRUE);

  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  exec_raw (raw, "UPDATE stages SET lost_reason = 'Price';"
                 "UPDATE opportunities SET revision = revision + 100;");
  sqlite3_close (raw);

  /* the watch sees it and reads the opportunity again, which fails */
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 1500 * G_TIME_SPAN_MILLISECOND)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
  om_repository_set_watching (a, FALSE);
  g_assert_cmpstr (om_opportunity_get_title (shown), ==, "Shown in full");
  g_assert_cmpuint (om_opportunity_get_n_stages (shown), ==, 3);
  g_assert_nonnull (om_opportunity_get_stage (shown, 2));

  /* only listed, in another window */
  b = om_test_database_open_repository (f->path);
  listed = om_repository_find (b, om_opportunity_get_id (shown));
  g_assert_nonnull (listed);
  g_assert_false (om_opportunity_load (listed, &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DAMAGED);
  g_assert_cmpuint (om_opportunity_get_n_stages (listed), ==, 0);
  g_assert_null (om_opportunity_get_stage (listed, 0));
  g_assert_true (om_date_is_valid (om_opportunity_get_start_date (listed)));
}

/* Another process's writes are seen within 2 seconds; one's own are
 * not announced */
static void
on_changed (OmBackend *backend,
            guint     *n)
{
  (*n)++;
}

/* Runs the main loop for @ms, or until *@n > 0; returns the time taken */
static gint64
iterate_until_changed (guint *n,
                       guint  ms)
{
  gint64 start = g_get_monotonic_time ();

  while (*n == 0 && g_get_monotonic_time () - start < ms * G_TIME_SPAN_MILLISECOND)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
  return (g_get_monotonic_time () - start) / G_TIME_SPAN_MILLISECOND;
}

static void
test_watch_other_writer (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmBackend) a = om_store_open_backend (f->path, &error);
  g_autoptr(OmBackend) b = NULL;
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Shared", 3);
  g_autoptr(OmOpportunityData) kept = NULL;
  g_autoptr(OmOpportunityData) in_b = NULL;
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(OmOpportunityData) again = NULL;
  guint n = 0;

  g_assert_no_error (error);
  kept = om_test_database_apply (a, NULL, plan);
  g_signal_connect (a, "changed", G_CALLBACK (on_changed), &n);
  om_backend_set_watching (OM_BACKEND (a), TRUE);

  /* its own write: nothing to announce */
  {
    g_autoptr(OmOpportunityData) after = win_next (kept, "2024-01-10");
    g_autoptr(OmOpportunityData) mine = om_test_database_apply (a, kept, after);
  }
  iterate_until_changed (&n, 1200);
  g_assert_cmpuint (n, ==, 0);

  /* another's: within 2 seconds */
  b = om_store_open_backend (f->path, &error);
  g_assert_no_error (error);
  in_b = om_backend_load_opportunity (OM_BACKEND (b), kept->id, &error);
  g_assert_no_error (error);
  {
    g_autoptr(OmOpportunityData) after = om_opportunity_data_copy (in_b);

    g_free (after->title);
    after->title = g_strdup ("Shared, renamed by B");
    edited = om_test_database_apply (b, in_b, after);
  }
  g_assert_cmpint (iterate_until_changed (&n, 2000), <, 2000);
  g_assert_cmpuint (n, ==, 1);

  /* and A reads it */
  {
    g_autoptr(OmOpportunityData) seen = om_backend_load_opportunity (OM_BACKEND (a), kept->id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (seen->title, ==, "Shared, renamed by B");
  }

  /* no longer watching: nothing */
  om_backend_set_watching (OM_BACKEND (a), FALSE);
  {
    g_autoptr(OmOpportunityData) after = om_opportunity_data_copy (edited);

    g_free (after->title);
    after->title = g_strdup ("Renamed again");
    again = om_test_database_apply (b, edited, after);
  }
  iterate_until_changed (&n, 1200);
  g_assert_cmpuint (n, ==, 1);

  /* watching again, then gone while watching */
  om_backend_set_watching (OM_BACKEND (a), TRUE);
  g_clear_object (&a);
  iterate_until_changed (&n, 700);
}

static void
skip_server (gconstpointer data)
{
  g_test_skip_printf ("no test server: %s", (const char *) data);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/database/create", test_create);
  ADD ("/database/round-trip", test_round_trip);
  ADD ("/database/edits-are-durable", test_edits_are_durable);
  ADD ("/database/templates/durable", test_templates_durable);
  ADD ("/database/schedule/round-trip", test_schedule_round_trip);
  ADD ("/database/write-failure", test_write_failure);
  ADD ("/database/two-writers/stale-edit", test_two_writers_stale_edit);
  ADD ("/database/two-writers/ids", test_two_writers_ids);
  ADD ("/database/two-writers/undo", test_two_writers_undo);
  ADD ("/database/two-writers/id-given-again", test_two_writers_id_given_again);
  ADD ("/database/stage-rows-written", test_stage_rows_written);
  ADD ("/database/migrate-from-v1", test_migrate_from_v1);
  ADD ("/database/migrate-repairs", test_migrate_repairs);
  ADD ("/database/migrate-from-v3", test_migrate_from_v3);
  ADD ("/database/migrate-from-v5", test_migrate_from_v5);
  ADD ("/database/migrate-from-v4", test_migrate_from_v4);
  ADD ("/database/migrate-from-v6", test_migrate_from_v6);
  ADD ("/database/summary/kept", test_summary_kept);
  ADD ("/database/summary/list-ids", test_list_ids);
  ADD ("/database/across/agenda-pipeline-names", test_across);
  ADD ("/database/across/agenda-long-plan", test_agenda_long_plan);
  ADD ("/database/migrate/from-v7", test_migrate_from_v7);
  ADD ("/database/lazy/open-reads-no-stage", test_open_reads_no_stage);
  ADD ("/database/lazy/open-in-use-reads-no-stage", test_open_in_use_reads_no_stage);
  ADD ("/database/lazy/unreadable-after-other-writer", test_unreadable_after_other_writer);
  ADD ("/database/two-writers/watch", test_watch_other_writer);
  ADD ("/database/refuse/current-version-not-repaired", test_current_version_not_repaired);
  ADD ("/database/refuse/foreign", test_refuse_foreign);
  ADD ("/database/refuse/random-bytes", test_refuse_random_bytes);
  ADD ("/database/refuse/truncated", test_refuse_truncated);
  ADD ("/database/refuse/newer", test_refuse_newer);
  ADD ("/database/refuse/rule-breaking", test_refuse_rule_breaking);
  ADD ("/database/refuse/damaged-one-line", test_refuse_damaged_one_line);
  ADD ("/database/refuse/damaged-schedule", test_refuse_damaged_schedule);
  ADD ("/database/refuse/not-regular", test_refuse_not_regular);
  ADD ("/database/left-over-wal/header-only", test_left_over_wal_header_only);
  ADD ("/database/hot-journal/refused", test_hot_journal_refused);
  ADD ("/database/hot-journal/accepted", test_hot_journal_accepted);
  ADD ("/database/place/read-only-file", test_read_only);
  g_test_add ("/database/place/read-only-folder", Fixture, GINT_TO_POINTER (READ_ONLY_FOLDER),
              fixture_set_up, test_read_only, fixture_tear_down);
  g_test_add ("/database/place/unreadable-file", Fixture, GINT_TO_POINTER (UNREADABLE_FILE),
              fixture_set_up, test_read_only, fixture_tear_down);
  g_test_add ("/database/place/read-only-old-file", Fixture, GINT_TO_POINTER (READ_ONLY_OLD_FILE),
              fixture_set_up, test_read_only, fixture_tear_down);
  ADD ("/database/place/disk-full", test_disk_full);
  for (int shm = 0; shm <= 1; shm++)
    {
#define ADD_WAL(name, fn) \
  { \
    g_autofree char *test_path = g_strdup_printf ("/database/left-over-wal/%s/%s", shm ? "with-shm" : "no-shm", name); \
    g_test_add (test_path, Fixture, GINT_TO_POINTER (shm), fixture_set_up, fn, fixture_tear_down); \
  }
      ADD_WAL ("foreign", test_left_over_wal_foreign);
      ADD_WAL ("newer", test_left_over_wal_newer);
      ADD_WAL ("damaged", test_left_over_wal_damaged);
      ADD_WAL ("rules", test_left_over_wal_rules);
      ADD_WAL ("accepted", test_left_over_wal_accepted);
#undef ADD_WAL
    }
#undef ADD

  /* the same, on the test server's databases (SPEC 9) */
  if (om_test_pg_unavailable () != NULL)
    g_test_add_data_func ("/database/server/skipped", om_test_pg_unavailable (), skip_server);
  else
    {
#define ADD_SERVER(path, fn) g_test_add ("/database/server" path, Fixture, NULL, server_set_up, fn, fixture_tear_down)
      ADD_SERVER ("/round-trip", test_round_trip);
      ADD_SERVER ("/edits-are-durable", test_edits_are_durable);
      ADD_SERVER ("/schedule/round-trip", test_schedule_round_trip);
      ADD_SERVER ("/two-writers/stale-edit", test_two_writers_stale_edit);
      ADD_SERVER ("/two-writers/ids", test_two_writers_ids);
      ADD_SERVER ("/two-writers/undo", test_two_writers_undo);
      ADD_SERVER ("/two-writers/id-given-again", test_two_writers_id_given_again);
      ADD_SERVER ("/summary/list-ids", test_list_ids);
      ADD_SERVER ("/across/agenda-pipeline-names", test_across);
      ADD_SERVER ("/across/agenda-long-plan", test_agenda_long_plan);
      ADD_SERVER ("/two-writers/watch", test_watch_other_writer);
#undef ADD_SERVER
    }

  return g_test_run ();
}
