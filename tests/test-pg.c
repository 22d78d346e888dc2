/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "om-pg-backend.h"
#include "om-test-database.h"

/*
 * The team server (SPEC 9, issue 14) on a server of the tests' own:
 * what only a server does. The backend's shared behaviour runs in
 * test-database and test-random on both backends.
 */

#define PASSWORD "Sekr1t-pw-4711"
#define TODAY "2026-01-10"

/* The command line, to the end: its exit status and what it wrote */
static int
run_cli_valist (const char *input,
                char      **out,
                char      **err,
                const char *first,
                va_list     args)
{
  g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                                                      (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0),
                                                                      TODAY);
  g_autoptr(GSubprocess) process = om_test_cli_spawn_valist (launcher, first, args);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static int
run_cli (const char *input,
         char      **out,
         char      **err,
         const char *first,
         ...)
{
  va_list args;
  int status;

  va_start (args, first);
  status = run_cli_valist (input, out, err, first, args);
  va_end (args);
  return status;
}

/* A plan of @n stages whose coordinator is @coordinator */
static OmOpportunity *
create_as (OmRepository *repository,
           const char   *title,
           const char   *coordinator,
           GError      **error)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new (title, 3);

  g_free (data->coordinator);
  data->coordinator = g_strdup (coordinator);
  return om_repository_create_opportunity (repository, data, error);
}

static char *
title_on_server (const char *location,
                 gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT title FROM opportunities WHERE id = %" G_GINT64_FORMAT, id);

  return om_test_pg_query_text (location, sql);
}

/* --init-server: versioned, idempotent, refusing a newer schema; a
 * database without it is refused with what to do */
static void
test_init_server (void)
{
  g_autofree char *location = om_test_pg_new_empty_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OmBackend) backend = NULL;

  backend = om_store_open_backend (location, &error);
  g_assert_null (backend);
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_FOREIGN);
  g_assert_nonnull (strstr (error->message, "--init-server"));
  g_clear_error (&error);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *database = g_strdup_printf ("--database=%s", location);

      g_assert_cmpint (run_cli (NULL, &out, &err, database, "--init-server", NULL), ==, 0);
      g_assert_cmpstr (err, ==, "");
      g_assert_nonnull (strstr (out, "is set up"));
    }
  {
    g_autofree char *version = om_test_pg_query_text (location, "SELECT string_agg (version::text, ',') FROM om_schema");
    g_autofree char *roles = om_test_pg_query_text (location, "SELECT count (*) FROM pg_roles WHERE rolname IN"
                                                              " ('oppmanager_coordinator', 'oppmanager_sales',"
                                                              " 'oppmanager_admin') AND NOT rolcanlogin");
    g_autofree char *secured = om_test_pg_query_text (location, "SELECT count (*) FROM pg_class WHERE relrowsecurity"
                                                                " AND relname IN ('opportunities', 'stages', 'history',"
                                                                " 'schedule_history')");

    g_assert_cmpstr (version, ==, G_STRINGIFY (OM_PG_SCHEMA_VERSION));
    g_assert_cmpstr (roles, ==, "3");
    g_assert_cmpstr (secured, ==, "4");
  }
  backend = om_store_open_backend (location, &error);
  g_assert_no_error (error);
  g_clear_object (&backend);

  /* a schema newer than this version's: refused by both, untouched */
  g_assert_null (om_test_pg_exec (location, "UPDATE om_schema SET version = 99"));
  g_assert_false (om_store_init_server (location, &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_clear_error (&error);
  {
    g_autofree char *version = om_test_pg_query_text (location, "SELECT version FROM om_schema");
    g_assert_cmpstr (version, ==, "99");
  }
  backend = om_store_open_backend (location, &error);
  g_assert_null (backend);
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_TOO_NEW);
}

/* A location that names a server is never a file, whatever happens */
static void
test_location (void)
{
  static const char *const servers[] = {
    "postgresql://nobody@/oppm?host=/nonexistent-om-socket",
    "postgres://nobody@/oppm?host=/nonexistent-om-socket",
    "host=/nonexistent-om-socket dbname=oppm user=nobody",
    "postgresq://typo/oppm",
  };
  g_autofree char *dir = om_test_make_dir ("location");
  g_autofree char *uri = om_pg_location_shown ("postgresql://alice:" PASSWORD "@db.example.com:5433/sales"
                                               "?sslmode=require&password=" PASSWORD);
  g_autofree char *pairs = om_pg_location_shown ("host=db.example.com user=alice password=" PASSWORD " dbname=sales");

  g_assert_true (om_store_location_is_server ("postgresql://alice@db.example.com/sales"));
  g_assert_true (om_store_location_is_server ("postgres://db.example.com/sales"));
  g_assert_true (om_store_location_is_server ("host=db.example.com dbname=sales"));
  g_assert_false (om_store_location_is_server ("plan.db"));
  g_assert_false (om_store_location_is_server ("plans/a=b.db"));
  g_assert_false (om_store_location_is_server ("/home/me/postgresql/plan.db"));

  g_assert_cmpstr (uri, ==, "postgresql://alice@db.example.com:5433/sales?sslmode=require");
  g_assert_null (strstr (pairs, PASSWORD));
  g_assert_nonnull (strstr (pairs, "dbname=sales"));

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE, TODAY);
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *database = g_strdup_printf ("--database=%s", servers[i]);
      g_autofree char *err = NULL;
      g_autofree char *listing = NULL;
      g_autoptr(GError) error = NULL;

      g_subprocess_launcher_set_cwd (launcher, dir);
      process = om_test_cli_spawn (launcher, database, "--list", NULL);
      g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
      /* one line, saying what went wrong */
      g_assert_cmpuint (strlen (err), >, 0);
      g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
      listing = om_test_list_dir (dir, NULL);
      g_assert_cmpstr (listing, ==, "");
    }
  om_test_remove_tree (dir);
}

/* Two clients on one opportunity: the second is refused, the first's
 * edit is kept, and the second's made again on what it now shows is
 * kept too (R7) */
static void
test_two_clients (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *alice = om_test_pg_location (location, OM_TEST_PG_COORDINATOR);
  g_autoptr(OmRepository) a = om_test_database_open_repository (alice);
  g_autoptr(OmRepository) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmOpportunityData) kept = NULL;
  OmOpportunity *in_a, *in_b;

  om_date_set_today (om_test_date (TODAY));
  in_a = create_as (a, "Shared", OM_TEST_PG_COORDINATOR, &error);
  g_assert_no_error (error);
  b = om_test_database_open_repository (alice);
  in_b = om_repository_find (b, om_opportunity_get_id (in_a));
  g_assert_true (om_opportunity_load (in_b, &error));

  g_assert_true (om_test_retitle (in_a, "Shared, renamed by A", &error));
  g_assert_no_error (error);
  g_assert_false (om_opportunity_win_stage (in_b, 0, "by B", &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT);
  /* the same login, in another window: said so */
  g_assert_nonnull (strstr (error->message, "You (" OM_TEST_PG_COORDINATOR ") changed the opportunity “Shared”"));
  g_clear_error (&error);
  g_assert_cmpstr (om_opportunity_get_title (in_b), ==, "Shared, renamed by A");

  g_assert_true (om_opportunity_win_stage (in_b, 0, "by B", &error));
  g_assert_no_error (error);
  kept = om_test_database_get (alice, om_opportunity_get_id (in_a));
  g_assert_cmpstr (kept->title, ==, "Shared, renamed by A");
  g_assert_cmpint (((OmStageData *) g_ptr_array_index (kept->stages, 0))->status, ==, OM_STAGE_STATUS_WON);
}

/* A conflict names who made the other change, as the server knows it:
 * the admin's edit and removal, and an edit made with psql */
static void
test_conflict_names_who (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *alice = om_test_pg_location (location, OM_TEST_PG_COORDINATOR);
  g_autofree char *ada = om_test_pg_location (location, OM_TEST_PG_ADMIN);
  g_autoptr(OmRepository) mine = om_test_database_open_repository (alice);
  g_autoptr(OmRepository) theirs = om_test_database_open_repository (ada);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  OmOpportunity *opp, *in_theirs;

  om_date_set_today (om_test_date (TODAY));
  opp = create_as (mine, "Named", OM_TEST_PG_COORDINATOR, &error);
  g_assert_no_error (error);
  g_assert_true (om_opportunity_load (opp, &error));
  in_theirs = om_repository_find (theirs, om_opportunity_get_id (opp));
  g_assert_true (om_opportunity_load (in_theirs, &error));

  g_assert_true (om_test_retitle (in_theirs, "Named, by the admin", &error));
  g_assert_no_error (error);
  g_assert_false (om_opportunity_win_stage (opp, 0, "mine", &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT);
  g_assert_true (g_str_has_prefix (error->message, OM_TEST_PG_ADMIN " changed the opportunity “Named”"));
  g_clear_error (&error);

  /* by hand, as the superuser: the server knows that too */
  sql = g_strdup_printf ("UPDATE opportunities SET notes = 'by hand', revision = nextval ('om_revisions')"
                         " WHERE id = %" G_GINT64_FORMAT, om_opportunity_get_id (opp));
  g_assert_null (om_test_pg_exec (location, sql));
  g_assert_false (om_opportunity_win_stage (opp, 0, "mine", &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT);
  g_assert_true (g_str_has_prefix (error->message, "postgres changed the opportunity “Named, by the admin”"));
  g_clear_error (&error);

  /* removed by the admin, from a window opened since */
  g_clear_object (&theirs);
  theirs = om_test_database_open_repository (ada);
  in_theirs = om_repository_find (theirs, om_opportunity_get_id (opp));
  g_assert_true (om_repository_remove_opportunity (theirs, in_theirs, &error));
  g_assert_no_error (error);
  g_assert_false (om_opportunity_win_stage (opp, 0, "mine", &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT);
  g_assert_true (g_str_has_prefix (error->message, OM_TEST_PG_ADMIN " removed the opportunity “Named, by the admin”"));
  g_assert_nonnull (strstr (error->message, "nothing else was changed"));
}

static void
on_changed_elsewhere (OmRepository  *repository,
                      OmOpportunity *opportunity,
                      const char    *who,
                      char         **seen)
{
  g_free (*seen);
  *seen = g_strdup (who != NULL ? who : "(unknown)");
}

/* An edit from elsewhere names who made it, as the window says it: the
 * other person's login, or "" for one's own login in another window */
static void
test_changed_elsewhere_names_who (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *alice = om_test_pg_location (location, OM_TEST_PG_COORDINATOR);
  g_autofree char *ada = om_test_pg_location (location, OM_TEST_PG_ADMIN);
  g_autoptr(OmRepository) mine = om_test_database_open_repository (alice);
  g_autoptr(OmRepository) theirs = om_test_database_open_repository (ada);
  g_autoptr(OmRepository) my_other_window = om_test_database_open_repository (alice);
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  OmOpportunity *opp, *in_theirs, *in_other;
  gint64 start;

  om_date_set_today (om_test_date (TODAY));
  opp = create_as (mine, "Watched", OM_TEST_PG_COORDINATOR, &error);
  g_assert_no_error (error);
  g_assert_true (om_opportunity_load (opp, &error));
  g_signal_connect (mine, "changed-elsewhere", G_CALLBACK (on_changed_elsewhere), &seen);
  om_repository_set_watching (mine, TRUE);

  in_theirs = om_repository_find (theirs, om_opportunity_get_id (opp));
  g_assert_true (om_opportunity_load (in_theirs, &error));
  g_assert_true (om_test_retitle (in_theirs, "Watched, by the admin", &error));
  g_assert_no_error (error);
  for (start = g_get_monotonic_time (); seen == NULL && g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
  g_assert_cmpstr (seen, ==, OM_TEST_PG_ADMIN);
  g_assert_cmpstr (om_opportunity_get_title (opp), ==, "Watched, by the admin");
  g_clear_pointer (&seen, g_free);

  in_other = om_repository_find (my_other_window, om_opportunity_get_id (opp));
  g_assert_true (om_opportunity_load (in_other, &error));
  g_assert_true (om_test_retitle (in_other, "Watched, from my laptop", &error));
  g_assert_no_error (error);
  for (start = g_get_monotonic_time (); seen == NULL && g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
  g_assert_cmpstr (seen, ==, "");
}

/* Schema 1, as the first version wrote it: refused until --init-server
 * brings it to this version's, keeping what it held */
static void
test_migrate_from_v1 (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autoptr(OmRepository) repository = om_test_database_open_repository (location);
  g_autoptr(OmOpportunityData) before = NULL;
  g_autoptr(OmOpportunityData) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmBackend) backend = NULL;
  g_autofree char *database = g_strdup_printf ("--database=%s", location);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  OmOpportunity *opp;

  om_date_set_today (om_test_date (TODAY));
  opp = create_as (repository, "Written by schema 1", "", &error);
  g_assert_no_error (error);
  g_assert_true (om_opportunity_load (opp, &error));
  before = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_clear_object (&repository);
  g_assert_null (om_test_pg_exec (location,
                                  "DROP TRIGGER opportunities_changed_by ON opportunities;"
                                  "DROP TRIGGER opportunities_removed ON opportunities;"
                                  "DROP FUNCTION om_note_change (); DROP FUNCTION om_note_removal ();"
                                  "DROP TABLE removed_opportunities;"
                                  "ALTER TABLE opportunities DROP COLUMN changed_by;"
                                  "UPDATE om_schema SET version = 1;"));

  backend = om_store_open_backend (location, &error);
  g_assert_null (backend);
  g_assert_nonnull (strstr (error->message, "--init-server"));
  g_clear_error (&error);

  g_assert_cmpint (run_cli (NULL, &out, &err, database, "--init-server", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  {
    g_autofree char *version = om_test_pg_query_text (location, "SELECT version FROM om_schema");
    g_autofree char *columns = om_test_pg_query_text (location, "SELECT count (*) FROM information_schema.columns"
                                                                " WHERE table_name = 'opportunities'"
                                                                " AND column_name = 'changed_by'");
    g_assert_cmpstr (version, ==, G_STRINGIFY (OM_PG_SCHEMA_VERSION));
    g_assert_cmpstr (columns, ==, "1");
  }
  after = om_test_database_get (location, before->id);
  g_assert_true (om_opportunity_data_equal (before, after, TRUE));
}

/* @n plans, coordinated by @coordinator */
static char *
import_document (guint       n,
                 const char *prefix,
                 const char *coordinator)
{
  g_autoptr(GString) json = g_string_new ("{\"format\": \"oppmanager/1\", \"opportunities\": [");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json,
                            "%s{\"title\": \"%s %u\", \"client\": \"Client\", \"coordinator\": \"%s\","
                            " \"start_date\": \"2026-01-05\","
                            " \"value\": \"%u.50\", \"stages\": [{\"activity\": \"Meet\", \"milestone\": \"Agree\","
                            " \"owner\": \"Mia\"}, {\"activity\": \"Propose\", \"milestone\": \"Accept\","
                            " \"status\": \"pending\"}]}",
                            i > 0 ? ", " : "", prefix, i, coordinator, i * 1000);
  g_string_append (json, "]}");
  return g_string_free (g_steal_pointer (&json), FALSE);
}

/* Two imports at the same moment: every opportunity lands, each under
 * an id of its own */
static void
test_two_imports (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *database = g_strdup_printf ("--database=%s", location);
  g_autofree char *dir = om_test_make_dir ("imports");
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSubprocess *processes[2];
  char *files[2];

  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *json = import_document (40, k == 0 ? "First" : "Second", "");
      g_autofree char *import = NULL;
      g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, TODAY);

      files[k] = g_strdup_printf ("%s/import-%u.json", dir, k);
      g_assert_true (g_file_set_contents (files[k], json, -1, NULL));
      import = g_strdup_printf ("--import=%s", files[k]);
      processes[k] = om_test_cli_spawn (launcher, database, import, NULL);
    }
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) lines = NULL;

      g_subprocess_communicate_utf8 (processes[k], NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (processes[k]));
      lines = g_strsplit (g_strstrip (out), "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 40);
      for (guint i = 0; lines[i] != NULL; i++)
        g_assert_true (g_hash_table_add (ids, g_strdup (lines[i])));
      g_object_unref (processes[k]);
      g_free (files[k]);
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 80);
  {
    g_autofree char *n = om_test_pg_query_text (location, "SELECT count (*) FROM opportunities");
    g_autofree char *stages = om_test_pg_query_text (location, "SELECT count (DISTINCT id) FROM stages");
    g_assert_cmpstr (n, ==, "80");
    g_assert_cmpstr (stages, ==, "160");
  }
  om_test_remove_tree (dir);
}

static void
assert_denied (GError     *error,
               const char *reason)
{
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_nonnull (strstr (error->message, "othing was changed"));
  g_assert_null (strchr (error->message, '\n'));
}

/* A plan this user may read and not change, and why */
static void
assert_read_only (GError     *error,
                  const char *reason)
{
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "lets you read this opportunity but not change it"));
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_null (strchr (error->message, '\n'));
}

/* Who may write what is the server's to say: a coordinator writes their
 * own, sales nothing (through the app or by hand), admin everything */
static void
test_row_level_security (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *alice = om_test_pg_location (location, OM_TEST_PG_COORDINATOR);
  g_autofree char *bob = om_test_pg_location (location, OM_TEST_PG_OTHER_COORDINATOR);
  g_autofree char *sam = om_test_pg_location (location, OM_TEST_PG_SALES);
  g_autofree char *ada = om_test_pg_location (location, OM_TEST_PG_ADMIN);
  g_autoptr(OmRepository) as_alice = om_test_database_open_repository (alice);
  g_autoptr(OmRepository) as_bob = NULL;
  g_autoptr(OmRepository) as_sam = NULL;
  g_autoptr(OmRepository) as_ada = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmOpportunityData) before = NULL;
  OmOpportunity *mine, *seen;
  gint64 id;

  om_date_set_today (om_test_date (TODAY));
  mine = create_as (as_alice, "Alice's deal", OM_TEST_PG_COORDINATOR, &error);
  g_assert_no_error (error);
  id = om_opportunity_get_id (mine);
  g_assert_true (om_opportunity_win_stage (mine, 0, "agreed", &error));
  g_assert_no_error (error);

  /* not one in another coordinator's name */
  g_assert_null (create_as (as_alice, "In Bob's name", OM_TEST_PG_OTHER_COORDINATOR, &error));
  assert_denied (error, "row-level security");
  g_clear_error (&error);

  /* the window asks the server before offering to edit: hers */
  g_assert_true (om_repository_check_writable (as_alice, id, &error));
  g_assert_no_error (error);

  /* another coordinator reads it, and changes nothing of it */
  as_bob = om_test_database_open_repository (bob);
  g_assert_false (om_repository_check_writable (as_bob, id, &error));
  assert_read_only (error, "only its coordinator");
  g_clear_error (&error);
  seen = om_repository_find (as_bob, id);
  g_assert_true (om_opportunity_load (seen, &error));
  before = om_opportunity_data_copy (om_opportunity_get_data (seen));
  g_assert_false (om_test_retitle (seen, "Bob's now", &error));
  assert_denied (error, "row-level security");
  g_clear_error (&error);
  g_assert_false (om_opportunity_win_stage (seen, 1, "", &error));
  assert_denied (error, "row-level security");
  g_clear_error (&error);
  g_assert_false (om_repository_remove_opportunity (as_bob, seen, &error));
  assert_denied (error, "row-level security");
  g_clear_error (&error);
  g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (seen), TRUE));
  /* and by hand, his statements find no row of hers to change */
  g_assert_null (om_test_pg_exec (bob, "UPDATE opportunities SET title = 'by hand'"));
  g_assert_null (om_test_pg_exec (bob, "DELETE FROM stages"));
  {
    g_autofree char *title = title_on_server (location, id);
    g_autofree char *n = om_test_pg_query_text (location, "SELECT count (*) FROM stages");
    g_assert_cmpstr (title, ==, "Alice's deal");
    g_assert_cmpstr (n, ==, "3");
  }

  /* sales reads everything and writes nothing, through the app ... */
  as_sam = om_test_database_open_repository (sam);
  g_assert_false (om_repository_check_writable (as_sam, id, &error));
  assert_read_only (error, "permission denied");
  g_clear_error (&error);
  seen = om_repository_find (as_sam, id);
  g_assert_nonnull (seen);
  g_assert_false (om_test_retitle (seen, "Sam's now", &error));
  assert_denied (error, "permission denied");
  g_clear_error (&error);
  g_assert_null (create_as (as_sam, "Sam's own", OM_TEST_PG_SALES, &error));
  assert_denied (error, "permission denied");
  g_clear_error (&error);
  /* an import, in bulk, is refused by the table too */
  {
    g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
    g_autoptr(GArray) ids = NULL;

    g_ptr_array_add (plans, om_test_plan_new ("Sam's first", 2));
    g_ptr_array_add (plans, om_test_plan_new ("Sam's second", 2));
    ids = om_repository_import (as_sam, plans, NULL, &error);
    g_assert_null (ids);
    assert_denied (error, "permission denied for table opportunities");
    g_clear_error (&error);
  }
  /* ... nor by hand under the role */
  {
    static const char *const statements[] = {
      "UPDATE opportunities SET title = 'by hand'",
      "DELETE FROM opportunities",
      "UPDATE stages SET owner = 'Sam'",
      "INSERT INTO templates (name) VALUES ('Sam''s')",
      "DELETE FROM history",
    };

    for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
      {
        g_autofree char *reason = om_test_pg_exec (sam, statements[i]);
        g_assert_nonnull (reason);
        g_assert_nonnull (strstr (reason, "permission denied"));
      }
  }
  {
    g_autofree char *title = title_on_server (location, id);
    g_assert_cmpstr (title, ==, "Alice's deal");
  }

  /* admin writes everything */
  as_ada = om_test_database_open_repository (ada);
  g_assert_true (om_repository_check_writable (as_ada, id, &error));
  g_assert_no_error (error);
  seen = om_repository_find (as_ada, id);
  g_assert_true (om_test_retitle (seen, "Renamed by the admin", &error));
  g_assert_no_error (error);
  {
    g_autofree char *title = title_on_server (location, id);
    g_assert_cmpstr (title, ==, "Renamed by the admin");
  }
  g_assert_nonnull (create_as (as_ada, "For Bob", OM_TEST_PG_OTHER_COORDINATOR, &error));
  g_assert_no_error (error);
}

static void
on_changed (OmBackend *backend,
            guint     *n)
{
  (*n)++;
}

/* Milliseconds until "changed", iterating the main context, or @limit */
static gint64
wait_changed (guint *n,
              guint  was,
              gint64 limit)
{
  gint64 start = g_get_monotonic_time ();

  while (*n == was && g_get_monotonic_time () - start < limit * G_TIME_SPAN_MILLISECOND)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
  return (g_get_monotonic_time () - start) / G_TIME_SPAN_MILLISECOND;
}

/* A change made around the application (psql) is announced too: the
 * server's trigger sends it, with the id and revision */
static void
test_notify_by_hand (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OmBackend) backend = om_store_open_backend (location, &error);
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Watched", 2);
  g_autoptr(OmOpportunityData) kept = NULL;
  g_autoptr(OmOpportunityData) mine = NULL;
  g_autofree char *sql = NULL;
  guint n = 0;

  g_assert_no_error (error);
  kept = om_test_database_apply (backend, NULL, plan);
  g_signal_connect (backend, "changed", G_CALLBACK (on_changed), &n);
  om_backend_set_watching (backend, TRUE);

  /* its own edit: the caller knows, nothing is announced */
  {
    g_autoptr(OmOpportunityData) after = om_opportunity_data_copy (kept);

    g_free (after->notes);
    after->notes = g_strdup ("mine");
    mine = om_test_database_apply (backend, kept, after);
  }
  wait_changed (&n, 0, 1200);
  g_assert_cmpuint (n, ==, 0);

  sql = g_strdup_printf ("UPDATE opportunities SET notes = 'by hand', revision = nextval ('om_revisions')"
                         " WHERE id = %" G_GINT64_FORMAT, kept->id);
  g_assert_null (om_test_pg_exec (location, sql));
  g_assert_cmpint (wait_changed (&n, 0, 2000), <, 2000);
  g_assert_cmpuint (n, ==, 1);
}

/* A new opportunity of @title in @repository, loaded, with a copy of
 * what it holds in @before */
static OmOpportunity *
create_loaded (OmRepository       *repository,
               const char         *title,
               OmOpportunityData **before)
{
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp = create_as (repository, title, "", &error);

  g_assert_no_error (error);
  g_assert_true (om_opportunity_load (opp, &error));
  g_assert_no_error (error);
  *before = om_opportunity_data_copy (om_opportunity_get_data (opp));
  return opp;
}

/* After a refused edit: the model still shows @before, and so does the
 * server */
static void
assert_unchanged (const char              *location,
                  OmOpportunity           *opp,
                  const OmOpportunityData *before)
{
  g_autoptr(OmOpportunityData) kept = om_test_database_get (location, om_opportunity_get_id (opp));

  g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));
  g_assert_true (om_opportunity_data_equal (before, kept, TRUE));
}

/* The next edit, the first stage won with @note, is kept: the server
 * holds what the model shows */
static void
assert_next_edit_kept (const char    *location,
                       OmOpportunity *opp,
                       const char    *note)
{
  g_autoptr(OmOpportunityData) kept = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_win_stage (opp, 0, note, &error));
  g_assert_no_error (error);
  kept = om_test_database_get (location, om_opportunity_get_id (opp));
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (opp), kept, TRUE));
  g_assert_cmpint (((OmStageData *) g_ptr_array_index (kept->stages, 0))->status, ==, OM_STAGE_STATUS_WON);
}

/* An edit refused because the server went (@error): the message says
 * so on one line, the model still shows @before, the server holds
 * @before once it is back, and the next edit connects again and is kept */
static void
assert_refused_then_kept (const char              *location,
                          OmOpportunity           *opp,
                          const OmOpportunityData *before,
                          GError                  *error)
{
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "cannot be reached"));
  g_assert_nonnull (strstr (error->message, "Nothing was changed"));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));

  om_test_pg_start ();
  assert_unchanged (location, opp, before);
  assert_next_edit_kept (location, opp, "after the restart");
}

/* The server stopped during a session: the edit is refused with a
 * message and nothing is half-written; after the restart the next
 * edit connects again and is kept */
static void
test_server_restarted (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autoptr(OmRepository) repository = om_test_database_open_repository (location);
  g_autoptr(OmOpportunityData) before = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  om_date_set_today (om_test_date (TODAY));
  opp = create_loaded (repository, "Before the restart", &before);

  om_test_pg_stop ();
  g_assert_false (om_opportunity_win_stage (opp, 0, "while down", &error));
  assert_refused_then_kept (location, opp, before, error);
}

/* Holds the history table locked, waits until an edit of the app is
 * blocked on it mid-transaction (its earlier rows written), notes that
 * statement, and stops the server at once. Not a fast stop: the session
 * holding the lock may end first, and the edit, whose COMMIT is already
 * on its way in the same pipeline, would then finish before its own
 * session is told to end. */
typedef struct
{
  PGconn *conn;    /* holding the lock, from before the edit starts */
  char   *blocked; /* the statement the app was in when the server stopped */
} Stopper;

static gpointer
stop_mid_edit (gpointer data)
{
  Stopper *stopper = data;
  PGconn *conn = stopper->conn;
  gint64 start = g_get_monotonic_time ();

  while (stopper->blocked == NULL && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    {
      PGresult *result;

      /* the view is read once per transaction unless told otherwise */
      PQclear (PQexec (conn, "SELECT pg_stat_clear_snapshot ()"));
      result = PQexec (conn, "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                             " AND datname = current_database () AND pid <> pg_backend_pid ()");

      if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) > 0)
        stopper->blocked = g_strdup (PQgetvalue (result, 0, 0));
      PQclear (result);
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  om_test_pg_stop_immediate ();
  PQfinish (conn);
  return NULL;
}

/* The server stopped while an edit is in flight, between its writes:
 * the edit is refused with a message, nothing of it is left on the
 * server, the model shows what it showed, and after the restart the
 * next edit is kept */
static void
test_server_stopped_mid_edit (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autoptr(OmRepository) repository = om_test_database_open_repository (location);
  g_autoptr(OmOpportunityData) before = NULL;
  g_autoptr(GError) error = NULL;
  Stopper stopper = { PQconnectdb (location), NULL };
  GThread *thread;
  OmOpportunity *opp;

  om_date_set_today (om_test_date (TODAY));
  opp = create_loaded (repository, "In flight", &before);

  g_assert_cmpint (PQstatus (stopper.conn), ==, CONNECTION_OK);
  PQclear (PQexec (stopper.conn, "BEGIN"));
  PQclear (PQexec (stopper.conn, "LOCK TABLE history IN EXCLUSIVE MODE"));
  thread = g_thread_new ("stopper", stop_mid_edit, &stopper);
  /* its revision, the stage and the due dates are written; its history
   * entry waits for the lock, and the server goes */
  g_assert_false (om_opportunity_win_stage (opp, 0, "in flight", &error));
  g_thread_join (thread);
  g_assert_nonnull (stopper.blocked);
  g_assert_true (g_str_has_prefix (stopper.blocked, "INSERT INTO history"));
  g_clear_pointer (&stopper.blocked, g_free);
  assert_refused_then_kept (location, opp, before, error);
}

/* How many of the statements @sent begin with @prefix */
static guint
count_sent (GPtrArray  *sent,
            const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < sent->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (sent, i), prefix);
  return n;
}

/* An edit of a long plan writes the rows it changes, in a few
 * statements, not the plan (SPEC 10: one edit within 3x of the same
 * statements sent by hand), and the server then holds what the model
 * shows */
static void
test_edit_writes_what_changed (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autoptr(OmRepository) repository = NULL;
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Long", 300);
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  om_date_set_today (om_test_date (TODAY));
  /* the backend decides at its start whether it logs */
  om_test_sql_capture_start ();
  repository = om_test_database_open_repository (location);
  opp = om_repository_create_opportunity (repository, plan, &error);
  g_assert_no_error (error);
  g_assert_true (om_opportunity_load (opp, &error));

  /* a move of the last two stages */
  g_ptr_array_unref (om_test_sql_capture_stop ());
  om_test_sql_capture_start ();
  g_assert_true (om_opportunity_move_stage (opp, 299, 298, &error));
  g_assert_no_error (error);
  sent = om_test_sql_capture_stop ();
  g_assert_cmpuint (count_sent (sent, "UPDATE opportunities"), ==, 1);
  g_assert_cmpuint (count_sent (sent, "INSERT INTO stages"), ==, 0);
  g_assert_cmpuint (count_sent (sent, "DELETE FROM"), ==, 0);
  g_assert_cmpuint (count_sent (sent, "INSERT INTO history"), ==, 0);
  g_assert_cmpuint (sent->len, <=, 8);
  g_clear_pointer (&sent, g_ptr_array_unref);

  /* a decision: that stage, and one more history entry */
  om_test_sql_capture_start ();
  g_assert_true (om_opportunity_win_stage (opp, 0, "went well", &error));
  g_assert_no_error (error);
  sent = om_test_sql_capture_stop ();
  g_assert_cmpuint (count_sent (sent, "UPDATE stages SET activity"), ==, 1);
  g_assert_cmpuint (count_sent (sent, "INSERT INTO stages"), ==, 0);
  g_assert_cmpuint (count_sent (sent, "INSERT INTO history"), ==, 1);
  g_assert_cmpuint (count_sent (sent, "DELETE FROM"), ==, 0);
  g_assert_cmpuint (sent->len, <=, 10);
  g_clear_pointer (&sent, g_ptr_array_unref);

  /* a removal in the middle and a stage added: what the server holds is
   * what the model shows */
  g_assert_true (om_opportunity_remove_stage (opp, 150, &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_move_stage (opp, 10, 200, &error));
  g_assert_no_error (error);
  {
    g_autoptr(OmStageData) added = om_stage_data_new ("Workshop", "Scope agreed");

    g_assert_true (om_opportunity_add_stage (opp, 100, added, &error));
    g_assert_no_error (error);
  }
  /* the removal undone: the stage comes back as the row it was */
  g_assert_true (om_repository_undo (repository, &error));
  g_assert_no_error (error);
  g_assert_true (om_repository_undo (repository, &error));
  g_assert_no_error (error);
  g_assert_true (om_repository_undo (repository, &error));
  g_assert_no_error (error);
  {
    g_autoptr(OmOpportunityData) kept = om_test_database_get (location, om_opportunity_get_id (opp));

    g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (opp), kept, TRUE));
  }
}

/* An edit's writes that return nothing go to the server together, with
 * its COMMIT: one the server refuses there (a rule added by hand to the
 * history table) refuses the whole edit with the server's reason, writes
 * none of it, and leaves the connection ready for the next edit */
static void
test_refused_with_the_commit (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autoptr(OmRepository) repository = om_test_database_open_repository (location);
  g_autoptr(OmOpportunityData) before = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  om_date_set_today (om_test_date (TODAY));
  opp = create_loaded (repository, "Checked by hand", &before);
  g_assert_null (om_test_pg_exec (location, "ALTER TABLE history ADD CONSTRAINT no_secrets CHECK (note <> 'secret')"));

  /* the stage and its due dates come before the history entry */
  g_assert_false (om_opportunity_win_stage (opp, 0, "secret", &error));
  g_assert_error (error, OM_STORE_ERROR, OM_STORE_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "no_secrets"));
  g_assert_nonnull (strstr (error->message, "Nothing was changed"));
  g_assert_null (strchr (error->message, '\n'));
  assert_unchanged (location, opp, before);

  /* the next edit goes through on the same connection */
  assert_next_edit_kept (location, opp, "told");
}

/* An import of many opportunities goes in bulk: a few statements per
 * table however many there are (SPEC 10: --import within 4x of the same
 * rows sent as plain SQL), and the server then holds each one exactly,
 * with text that array parameters must quote, its history and its
 * schedule history */
static void
test_import_in_bulk (void)
{
  static const char *const awkward[] = {
    "\"Quoted\" and \\back\\slashed", "{braces}, commas, and (parentheses)", "NULL", "",
    "two\nlines\tand a tab", "Größe – ✓ 日本語", "a'quote",
  };
  g_autofree char *location = om_test_pg_new_database ();
  g_autoptr(OmRepository) repository = NULL;
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GError) error = NULL;
  const guint n = 1100;

  om_date_set_today (om_test_date (TODAY));
  for (guint i = 0; i < n; i++)
    {
      const char *text = awkward[i % G_N_ELEMENTS (awkward)];
      g_autofree char *title = g_strdup_printf ("Sale %u %s", i, text);
      OmOpportunityData *plan = om_test_plan_new (title, 1 + i % 5);
      OmStageData *first = om_opportunity_data_get_writable_stage (plan, 0);

      g_free (plan->notes);
      plan->notes = g_strdup (text);
      g_free (first->client_description);
      first->client_description = g_strdup (text);
      g_free (first->owner);
      first->owner = g_strdup (i % 3 == 0 ? "" : text);
      if (i % 4 == 1)
        g_assert_true (om_opportunity_data_win_stage (plan, 0, om_test_date (OM_TEST_START), text, &error));
      if (i % 4 == 2 && plan->stages->len > 1)
        g_assert_true (om_opportunity_data_agree_date (plan, 1, om_test_date ("2026-03-02"), om_test_date (TODAY),
                                                       text, &error));
      g_assert_no_error (error);
      g_ptr_array_add (plans, plan);
    }

  om_test_sql_capture_start ();
  repository = om_test_database_open_repository (location);
  created = om_test_import (repository, plans, NULL, &error);
  g_assert_no_error (error);
  sent = om_test_sql_capture_stop ();
  g_assert_cmpuint (created->len, ==, n);
  /* 500 at a time: three of each */
  g_assert_cmpuint (count_sent (sent, "INSERT INTO opportunities ("), ==, 3);
  g_assert_cmpuint (count_sent (sent, "INSERT INTO stages"), ==, 3);
  g_assert_cmpuint (count_sent (sent, "INSERT INTO history"), ==, 3);
  g_assert_cmpuint (count_sent (sent, "INSERT INTO schedule_history"), ==, 3);

  /* what another client reads is what was imported, id for id */
  kept = om_test_database_load (location, NULL);
  g_assert_cmpuint (kept->len, ==, n);
  for (guint i = 0; i < kept->len; i++)
    {
      OmOpportunityData *data = g_ptr_array_index (kept, i);
      g_hash_table_insert (by_id, &data->id, data);
    }
  for (guint i = 0; i < created->len; i++)
    {
      OmOpportunity *opp = g_ptr_array_index (created, i);
      const OmOpportunityData *shown = om_opportunity_get_data (opp);
      const OmOpportunityData *read = g_hash_table_lookup (by_id, &shown->id);

      g_assert_nonnull (read);
      g_assert_true (om_opportunity_data_equal (shown, read, TRUE));
      g_assert_cmpint (read->revision, ==, shown->revision);
      g_assert_cmpstr (read->title, ==, ((OmOpportunityData *) g_ptr_array_index (plans, i))->title);
    }

  /* and each edits as any other: the ids it was given are the rows' */
  g_assert_true (om_opportunity_win_stage (g_ptr_array_index (created, 0), 0, "signed", &error));
  g_assert_no_error (error);
  {
    OmOpportunity *edited = g_ptr_array_index (created, 0);
    g_autoptr(OmOpportunityData) read = om_test_database_get (location, om_opportunity_get_id (edited));

    g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (edited), read, TRUE));
  }
}

/* A test program that dies, even by SIGKILL, where no handler of its
 * own runs, takes its server with it (the guardian of om-test-pg.c): a
 * machine that runs the suite again and again keeps no servers */
static void
test_server_goes_with_program (void)
{
  g_autofree char *made = NULL;
  g_autofree char *told = NULL;
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      g_autofree char *location = om_test_pg_new_database ();
      PQconninfoOption *options = PQconninfoParse (location, NULL);

      for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
        if (g_str_equal (o->keyword, "host"))
          g_assert_true (g_file_set_contents (g_getenv ("OM_TEST_SERVER_DIR_FILE"), o->val, -1, NULL));
      PQconninfoFree (options);
      kill (getpid (), SIGKILL);
    }

  made = om_test_make_dir ("guardian");
  told = g_build_filename (made, "server-dir", NULL);
  g_setenv ("OM_TEST_SERVER_DIR_FILE", told, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("OM_TEST_SERVER_DIR_FILE");
  g_test_trap_assert_failed ();
  g_assert_true (g_file_get_contents (told, &dir, NULL, NULL));
  g_assert_true (g_str_has_prefix (dir, g_get_tmp_dir ()));
  /* stopped, then removed: within ten seconds */
  for (guint i = 0; i < 200 && g_file_test (dir, G_FILE_TEST_EXISTS); i++)
    g_usleep (50 * 1000);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  om_test_remove_tree (made);
}

/* TLS where the server offers it (libpq's "prefer"), required where the
 * location says so, and a certificate that cannot be checked refused
 * with the reason: over TCP, as on a network */
static void
test_tls (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *required = om_test_pg_tcp_location (location, OM_TEST_PG_COORDINATOR, "require");
  g_autofree char *preferred = om_test_pg_tcp_location (location, OM_TEST_PG_ADMIN, NULL);
  g_autofree char *verified = om_test_pg_tcp_location (location, OM_TEST_PG_COORDINATOR, "verify-full");
  /* the server was restarted on its new port: the superuser's location
   * of now */
  g_autofree char *admin = om_test_pg_location (location, "postgres");
  g_autoptr(OmRepository) alice = NULL;
  g_autoptr(OmRepository) ada = NULL;
  g_autoptr(OmBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *encrypted = NULL;
  OmOpportunity *opp, *in_ada;

  om_date_set_today (om_test_date (TODAY));
  alice = om_test_database_open_repository (required);
  opp = create_as (alice, "Over TLS", OM_TEST_PG_COORDINATOR, &error);
  g_assert_no_error (error);
  ada = om_test_database_open_repository (preferred);
  in_ada = om_repository_find (ada, om_opportunity_get_id (opp));
  g_assert_nonnull (in_ada);
  g_assert_true (om_opportunity_load (in_ada, &error));
  g_assert_true (om_opportunity_win_stage (in_ada, 0, "over TLS", &error));
  g_assert_no_error (error);

  encrypted = om_test_pg_query_text (admin, "SELECT count (*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)"
                                            " WHERE s.ssl AND a.datname = current_database ()"
                                            " AND a.usename IN ('" OM_TEST_PG_COORDINATOR "', '"
                                            OM_TEST_PG_ADMIN "')");
  g_assert_cmpint (atoi (encrypted), >=, 2);

  /* no root certificate to check the server's against: refused, saying why */
  backend = om_store_open_backend (verified, &error);
  g_assert_null (backend);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "root certificate"));
  g_assert_null (strchr (error->message, '\n'));
}

/* The location with a password, as a user might give it */
static char *
with_password (const char *location,
               const char *user,
               const char *dbname)
{
  PQconninfoOption *options = PQconninfoParse (location, NULL);
  const char *host = NULL, *port = NULL;
  char *uri;

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "host"))
      host = o->val;
    else if (g_str_equal (o->keyword, "port"))
      port = o->val;
  uri = g_strdup_printf ("postgresql://%s:" PASSWORD "@/%s?host=%s&port=%s", user, dbname, host, port);
  PQconninfoFree (options);
  return uri;
}

/* No output of the application ever shows the password */
static void
test_no_password_shown (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *empty = om_test_pg_new_empty_database ();
  g_autofree char *dbname = om_test_pg_query_text (location, "SELECT current_database ()");
  g_autofree char *empty_name = om_test_pg_query_text (empty, "SELECT current_database ()");
  g_autofree char *alice = with_password (location, OM_TEST_PG_COORDINATOR, dbname);
  g_autofree char *sam = with_password (location, OM_TEST_PG_SALES, dbname);
  g_autofree char *nowhere = with_password (location, OM_TEST_PG_COORDINATOR, "no_such_database");
  g_autofree char *not_set_up = with_password (location, OM_TEST_PG_COORDINATOR, empty_name);
  g_autofree char *sam_on_empty = with_password (location, OM_TEST_PG_SALES, empty_name);
  g_autofree char *pairs = g_strdup_printf ("%s password=" PASSWORD " dbname=no_such_database", location);
  g_autofree char *dir = om_test_make_dir ("password");
  g_autofree char *bad = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *good = g_build_filename (dir, "good.json", NULL);
  g_autofree char *json = import_document (2, "Deal", OM_TEST_PG_COORDINATOR);
  g_autoptr(GString) all = g_string_new (NULL);
  const char *const *runs[] = {
    (const char *[]) { alice, "--list", NULL },
    (const char *[]) { alice, "--import", good, NULL },
    (const char *[]) { alice, "--import", bad, NULL },
    (const char *[]) { sam, "--import", good, NULL },
    (const char *[]) { alice, "--check", "--opportunity=999", NULL },
    (const char *[]) { nowhere, "--list", NULL },
    (const char *[]) { not_set_up, "--list", NULL },
    (const char *[]) { sam_on_empty, "--init-server", NULL },
    (const char *[]) { pairs, "--pipeline", NULL },
  };
  guint n_refused = 0;

  g_assert_true (g_file_set_contents (good, json, -1, NULL));
  g_assert_true (g_file_set_contents (bad, "{\"format\": \"oppmanager/1\", \"opportunities\": [{}]}", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *database = g_strdup_printf ("--database=%s", runs[i][0]);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *import = NULL;
      const char *second = runs[i][1];
      int status;

      if (g_str_equal (second, "--import"))
        second = import = g_strdup_printf ("--import=%s", runs[i][2]);
      status = run_cli (NULL, &out, &err, database, second,
                        g_str_equal (runs[i][1], "--import") ? NULL : runs[i][2], NULL);
      g_test_message ("%s %s: %d %s%s", runs[i][1], runs[i][2] ? runs[i][2] : "", status, out, err);
      g_string_append_printf (all, "%s%s", out, err);
      if (status != 0)
        {
          n_refused++;
          g_assert_cmpuint (strlen (err), >, 0);
        }
    }
  /* the refusals name the server, without the password */
  g_assert_cmpuint (n_refused, ==, 7);
  g_assert_nonnull (strstr (all->str, "postgresql://" OM_TEST_PG_COORDINATOR "@/no_such_database"));
  g_assert_nonnull (strstr (all->str, "permission denied"));
  g_assert_null (strstr (all->str, PASSWORD));
  om_test_remove_tree (dir);
}

/* Moving to the server: the file's export, piped into the server's
 * import, gives the same plans */
static void
test_move_to_server (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *dir = om_test_make_dir ("move");
  g_autofree char *file = g_build_filename (dir, "plan.db", NULL);
  g_autofree char *json_file = g_build_filename (dir, "plans.json", NULL);
  g_autofree char *json = import_document (5, "Moved", "");
  g_autofree char *on_file = g_strdup_printf ("--database=%s", file);
  g_autofree char *on_server = g_strdup_printf ("--database=%s", location);
  g_autofree char *import = g_strdup_printf ("--import=%s", json_file);
  g_autofree char *exported = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *pdftotext = NULL;
  const char *const commands[][2] = {
    { "--list", NULL }, { "--pipeline", NULL }, { "--agenda", NULL }, { "--check", "--opportunity=3" },
    { "--export-csv=-", NULL },
  };

  g_assert_true (g_file_set_contents (json_file, json, -1, NULL));
  g_assert_cmpint (run_cli (NULL, NULL, NULL, on_file, import, NULL), ==, 0);
  g_assert_cmpint (run_cli (NULL, &exported, NULL, on_file, "--export=-", NULL), ==, 0);
  g_assert_cmpint (run_cli (exported, &imported, NULL, on_server, "--import=-", NULL), ==, 0);
  g_assert_cmpstr (imported, ==, "1\n2\n3\n4\n5\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *from_file = NULL;
      g_autofree char *from_server = NULL;

      g_assert_cmpint (run_cli (NULL, &from_file, NULL, on_file, commands[i][0], commands[i][1], NULL), ==, 0);
      g_assert_cmpint (run_cli (NULL, &from_server, NULL, on_server, commands[i][0], commands[i][1], NULL), ==, 0);
      g_assert_cmpstr (from_server, ==, from_file);
      g_assert_cmpuint (strlen (from_file), >, 0);
    }

  /* the client's summary reads the same from either */
  pdftotext = g_find_program_in_path ("pdftotext");
  if (pdftotext != NULL)
    {
      char *texts[2] = { NULL, NULL };
      const char *places[2] = { on_file, on_server };

      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *pdf = g_build_filename (dir, i == 0 ? "file.pdf" : "server.pdf", NULL);
          g_autofree char *option = g_strdup_printf ("--summary-pdf=%s", pdf);
          const char *argv[] = { "pdftotext", pdf, "-", NULL };
          int status = 0;

          g_assert_cmpint (run_cli (NULL, NULL, NULL, places[i], option, "--opportunity=2", NULL), ==, 0);
          g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                       NULL, &texts[i], NULL, &status, NULL));
          g_assert_true (g_spawn_check_wait_status (status, NULL));
        }
      g_assert_nonnull (strstr (texts[0], "Moved 1"));
      g_assert_cmpstr (texts[1], ==, texts[0]);
      g_free (texts[0]);
      g_free (texts[1]);
    }
  om_test_remove_tree (dir);
}

/* With no --database, the database-uri setting names the database */
static void
test_default_from_settings (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autofree char *dir = om_test_make_dir ("settings");
  g_autofree char *folder = g_build_filename (dir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (folder, "keyfile", NULL);
  g_autofree char *contents = g_strdup_printf ("[com/example/OppManager]\ndatabase-uri='%s'\n", location);
  g_autofree char *json = g_build_filename (dir, "plans.json", NULL);
  g_autofree char *document = import_document (2, "From the setting", "");
  g_autofree char *import = g_strdup_printf ("--import=%s", json);
  g_autofree char *out = NULL;
  g_autofree char *n = NULL;
  g_autofree char *default_folder = g_build_filename (dir, "oppmanager", NULL);
  g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, TODAY);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, contents, -1, NULL));
  g_assert_true (g_file_set_contents (json, document, -1, NULL));
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", dir, TRUE);
  /* and no file is made where the default file would be */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", dir, TRUE);
  process = om_test_cli_spawn (launcher, import, NULL);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  g_assert_cmpstr (out, ==, "1\n2\n");
  n = om_test_pg_query_text (location, "SELECT count (*) FROM opportunities");
  g_assert_cmpstr (n, ==, "2");
  g_assert_false (g_file_test (default_folder, G_FILE_TEST_EXISTS));
  om_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (om_test_pg_unavailable () != NULL)
    {
      g_test_message ("no test server: %s", om_test_pg_unavailable ());
      g_test_add_data_func ("/server/skipped", om_test_pg_unavailable (), (GTestDataFunc) g_test_skip);
      return g_test_run ();
    }
  g_test_add_func ("/server/init-server", test_init_server);
  g_test_add_func ("/server/location", test_location);
  g_test_add_func ("/server/two-clients/conflict", test_two_clients);
  g_test_add_func ("/server/two-clients/imports", test_two_imports);
  g_test_add_func ("/server/conflict-names-who", test_conflict_names_who);
  g_test_add_func ("/server/changed-elsewhere-names-who", test_changed_elsewhere_names_who);
  g_test_add_func ("/server/migrate-from-1", test_migrate_from_v1);
  g_test_add_func ("/server/row-level-security", test_row_level_security);
  g_test_add_func ("/server/notify/by-hand", test_notify_by_hand);
  g_test_add_func ("/server/restarted", test_server_restarted);
  g_test_add_func ("/server/stopped-mid-edit", test_server_stopped_mid_edit);
  g_test_add_func ("/server/edit-writes-what-changed", test_edit_writes_what_changed);
  g_test_add_func ("/server/refused-with-the-commit", test_refused_with_the_commit);
  g_test_add_func ("/server/import-in-bulk", test_import_in_bulk);
  g_test_add_func ("/server/goes-with-program", test_server_goes_with_program);
  g_test_add_func ("/server/no-password-shown", test_no_password_shown);
  g_test_add_func ("/server/tls", test_tls);
  g_test_add_func ("/server/move-to-server", test_move_to_server);
  g_test_add_func ("/server/default-from-settings", test_default_from_settings);
  return g_test_run ();
}
