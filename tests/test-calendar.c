/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "om-calendar-file.h"
#include "om-json.h"
#include "om-test-database.h"

/*
 * --export-ics and --export-csv (SPEC 7, issue 12), run as a user runs
 * them, and read back by independent implementations: Debian's
 * python3-icalendar after a strict line-level check of RFC 5545, and
 * Python's csv module (tests/check-files.py). No part is skipped: a
 * missing module fails the test.
 */

#define TODAY "2026-03-01"

/* every character a calendar or a spreadsheet must escape or quote */
#define TRICKY "semi;colon, comma \"quote\" back\\slash\r\nCRLF\rCR\nLF tab\t é€😀"

typedef struct
{
  char          *dir;
  char          *db;
  OmRepository  *repository;
  OmOpportunity *tricky;      /* open: every field tricky, one stage won */
  OmOpportunity *formulas;    /* open: cells a spreadsheet would run */
  OmOpportunity *won;
  OmOpportunity *lost;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static OmStageData *
stage_new (const char *activity,
           const char *milestone,
           const char *owner,
           const char *client_owner)
{
  OmStageData *stage = om_stage_data_new (activity, milestone);

  g_free (stage->owner);
  stage->owner = g_strdup (owner);
  g_free (stage->client_owner);
  stage->client_owner = g_strdup (client_owner);
  stage->probability = 0.7;
  return stage;
}

/* A milestone long enough to be folded several times, of characters of
 * one to four octets, so that folds fall inside characters */
static char *
long_text (void)
{
  GString *text = g_string_new ("Long");

  for (guint i = 0; i < 40; i++)
    g_string_append (text, " aé€😀");
  return g_string_free (text, FALSE);
}

static OmOpportunity *
create (Fixture    *f,
        const char *title,
        const char *client,
        ...)
{
  g_autoptr(OmOpportunityData) data = om_opportunity_data_new (title, client, om_test_date ("2026-01-05"));
  OmStageData *stage;
  va_list args;

  va_start (args, client);
  while ((stage = va_arg (args, OmStageData *)) != NULL)
    g_ptr_array_add (data->stages, stage);
  va_end (args);
  return om_test_create (f->repository, data);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  unused)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_milestone = long_text ();

  om_date_set_today (om_test_date (TODAY));
  f->dir = om_test_make_dir ("calendar");
  f->db = g_build_filename (f->dir, "calendar.db", NULL);
  f->repository = om_test_database_open_repository (f->db);

  f->tricky = create (f, "Title " TRICKY, "Client " TRICKY,
                      stage_new ("First", "First agreed", "Ann", ""),
                      stage_new ("Activity " TRICKY, "Milestone " TRICKY, "Owner " TRICKY, "Client owner " TRICKY),
                      stage_new ("Long one", long_milestone, "Ann", "Zoë"),
                      stage_new ("Last", "Last milestone", "ÅSA", ""),
                      NULL);
  f->formulas = create (f, "=HYPERLINK(\"x\")", "+Client",
                        stage_new ("+1", "=SUM(A1:A2)", "åsa", "-minus"),
                        stage_new ("@Bob", "-2", "Bob\rcarriage return only", "@at"),
                        NULL);
  f->won = create (f, "Won, sale", "Won client", stage_new ("Won", "Won milestone", "Ann", ""), NULL);
  f->lost = create (f, "Lost sale", "Lost client",
                    stage_new ("Lost", "Lost milestone", "Ann", ""),
                    stage_new ("Never", "Never reached", "Ann", ""),
                    NULL);

  /* a won stage, a baseline, an agreed date: every column has a value */
  g_assert_true (om_opportunity_win_stage (f->tricky, 0, "ok", &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_set_baseline (f->tricky, "plan of record", &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_agree_date (f->tricky, 1, om_test_date ("2026-03-20"), "agreed", &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_win_stage (f->won, 0, "ok", &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_lose_stage (f->lost, 0, "too dear", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  unused)
{
  g_clear_object (&f->repository);
  om_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static void
run_valist (Fixture    *f,
            Result     *r,
            const char *first,
            va_list     args)
{
  g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                                      TODAY);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (f->dir, "data-home", NULL);
  g_autofree char *database = g_strdup_printf ("--database=%s", f->db);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_ptr_array_add (argv, (gpointer) om_test_oppmanager ());
  g_ptr_array_add (argv, database);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
}

/* Runs the command line on the fixture's database */
static void
run (Fixture    *f,
     Result     *r,
     const char *first,
     ...)
{
  va_list args;

  va_start (args, first);
  run_valist (f, r, first, args);
  va_end (args);
}

static void
run_ok (Fixture    *f,
        const char *first,
        ...)
{
  g_auto(Result) r = { 0 };
  va_list args;

  va_start (args, first);
  run_valist (f, &r, first, args);
  va_end (args);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
}

/* What tests/check-files.py makes of @path */
static JsonNode *
check_file (const char *kind,
            const char *path)
{
  const char *python = g_getenv ("OM_PYTHON");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "check-files.py", NULL);
  const char *argv[] = { python != NULL ? python : "python3", script, kind, path, NULL };
  g_autofree char *out = om_test_run (argv);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (out, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
export_ics (Fixture    *f,
            const char *name,
            const char *option)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *target = g_strdup_printf ("--export-ics=%s", path);

  run_ok (f, target, option, NULL);
  return path;
}

/* The events of a calendar file, by UID */
static GHashTable *
read_events (const char *path)
{
  g_autoptr(JsonNode) root = check_file ("ics", path);
  JsonArray *events = json_object_get_array_member (json_node_get_object (root), "events");
  GHashTable *by_uid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *uid = json_object_get_string_member (event, "uid");

      g_assert_false (g_hash_table_contains (by_uid, uid));   /* unique */
      g_hash_table_insert (by_uid, g_strdup (uid), json_object_ref (event));
    }
  return by_uid;
}

/* RFC 5545 cannot hold a carriage return: a line break is \n */
static char *
as_calendar_text (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);

  g_string_replace (s, "\r\n", "\n", 0);
  g_string_replace (s, "\r", "\n", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  g_autofree char *expected = as_calendar_text (needle);

  if (strstr (haystack, expected) == NULL)
    g_error ("“%s” does not hold “%s”", haystack, expected);
}

static char *
iso (OmDate date)
{
  return om_date_to_iso (date);
}

/* Asserts that @events are exactly the pending milestones of the open
 * opportunities among @opportunities (of @owner's stages when set), on
 * the model's due dates, with their texts */
static void
assert_events (GHashTable    *events,
               OmOpportunity *opportunities[],
               const char    *owner)
{
  guint expected = 0;

  for (guint k = 0; opportunities[k] != NULL; k++)
    {
      const OmOpportunityData *data = om_opportunity_get_data (opportunities[k]);
      g_autofree OmStageSchedule *schedule = om_opportunity_data_get_schedule (data, om_date_today ());

      for (guint i = 0; i < data->stages->len; i++)
        {
          const OmStageData *stage = om_opportunity_data_get_stage (data, i);
          g_autofree char *uid = om_calendar_stage_uid (data->id, stage->id);
          JsonObject *event = g_hash_table_lookup (events, uid);
          g_autofree char *start = iso (schedule[i].due);
          g_autofree char *end = iso (schedule[i].due + 1);
          g_autofree char *summary = as_calendar_text (stage->milestone);
          g_autofree char *folded_owner = owner != NULL ? om_text_fold (owner) : NULL;
          g_autofree char *folded = om_text_fold (stage->owner);
          gboolean wanted = om_opportunity_data_get_status (data) == OM_OPPORTUNITY_STATUS_OPEN &&
                            stage->status == OM_STAGE_STATUS_PENDING &&
                            (owner == NULL || g_str_equal (folded, folded_owner));
          const char *description;

          if (!wanted)
            {
              g_assert_null (event);
              continue;
            }
          expected++;
          if (event == NULL)
            g_error ("no event for stage %u of “%s”", i + 1, data->title);
          g_assert_cmpstr (json_object_get_string_member (event, "dtstart"), ==, start);
          g_assert_cmpstr (json_object_get_string_member (event, "dtend"), ==, end);
          g_assert_cmpstr (json_object_get_string_member (event, "summary"), ==, summary);
          g_assert_cmpstr (json_object_get_string_member (event, "status"), ==,
                           stage->agreed_on != 0 ? "CONFIRMED" : "TENTATIVE");
          g_assert_cmpint (json_object_get_int_member (event, "sequence"), ==, data->revision);
          g_assert_true (g_str_has_suffix (json_object_get_string_member (event, "dtstamp"), "+00:00"));
          description = json_object_get_string_member (event, "description");
          assert_contains (description, stage->activity);
          assert_contains (description, stage->owner);
          assert_contains (description, stage->client_owner);
          assert_contains (description, data->title);
          assert_contains (description, data->client);
        }
    }
  g_assert_cmpuint (g_hash_table_size (events), ==, expected);
}

static void
test_calendar_every_field (Fixture       *f,
                           gconstpointer  unused)
{
  g_autofree char *path = export_ics (f, "all.ics", NULL);
  g_autoptr(GHashTable) events = read_events (path);
  OmOpportunity *all[] = { f->tricky, f->formulas, f->won, f->lost, NULL };

  /* 3 pending of the tricky one, 2 of the other; none of the closed */
  g_assert_cmpuint (g_hash_table_size (events), ==, 5);
  assert_events (events, all, NULL);
}

static void
test_calendar_owner (Fixture       *f,
                     gconstpointer  unused)
{
  g_autofree char *path = export_ics (f, "asa.ics", "--owner=åSA");
  g_autoptr(GHashTable) events = read_events (path);
  g_autofree char *one_path = export_ics (f, "one.ics", NULL);
  g_autofree char *option = g_strdup_printf ("--opportunity=%" G_GINT64_FORMAT, om_opportunity_get_id (f->formulas));
  g_autofree char *only_path = export_ics (f, "only.ics", option);
  g_autoptr(GHashTable) only = read_events (only_path);
  OmOpportunity *all[] = { f->tricky, f->formulas, f->won, f->lost, NULL };
  OmOpportunity *formulas[] = { f->formulas, NULL };

  /* "ÅSA" and "åsa", in two opportunities */
  g_assert_cmpuint (g_hash_table_size (events), ==, 2);
  assert_events (events, all, "åSA");
  g_assert_cmpuint (g_hash_table_size (only), ==, 2);
  assert_events (only, formulas, NULL);

  /* a closed opportunity has no milestone to come: a calendar without events */
  for (guint i = 0; i < 2; i++)
    {
      OmOpportunity *closed = i == 0 ? f->won : f->lost;
      g_autofree char *closed_option = g_strdup_printf ("--opportunity=%" G_GINT64_FORMAT, om_opportunity_get_id (closed));
      g_autofree char *closed_path = export_ics (f, "closed.ics", closed_option);
      g_autoptr(GHashTable) none = read_events (closed_path);

      g_assert_cmpuint (g_hash_table_size (none), ==, 0);
    }
}

/* The same stage keeps its UID whatever is edited or moved, so that a
 * calendar importing the file again updates its events */
static void
test_calendar_uids_stable (Fixture       *f,
                           gconstpointer  unused)
{
  g_autofree char *before_path = export_ics (f, "before.ics", NULL);
  g_autoptr(GHashTable) before = read_events (before_path);
  g_autofree char *after_path = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmStageData) edited = om_stage_data_copy (om_opportunity_data_get_stage (om_opportunity_get_data (f->tricky), 3));
  g_autofree char *renamed_uid = NULL;
  GHashTableIter iter;
  gpointer uid, event;
  OmOpportunity *all[] = { f->tricky, f->formulas, f->won, f->lost, NULL };

  /* an edit of a stage, a reorder, an edit of the opportunity */
  g_free (edited->milestone);
  edited->milestone = g_strdup ("Last milestone, renamed");
  g_assert_true (om_opportunity_edit_stage (f->tricky, 3, edited, &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_move_stage (f->tricky, 3, 2, &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_move_stage (f->formulas, 1, 0, &error));
  g_assert_no_error (error);
  g_assert_true (om_test_retitle (f->tricky, "Retitled", &error));
  g_assert_no_error (error);

  after_path = export_ics (f, "after.ics", NULL);
  after = read_events (after_path);

  /* the same UIDs, each still the same stage (found by its activity) */
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &uid, &event))
    {
      JsonObject *now = g_hash_table_lookup (after, uid);
      const char *was_description = json_object_get_string_member (event, "description");
      const char *description;

      g_assert_nonnull (now);
      description = json_object_get_string_member (now, "description");
      g_assert_true (strncmp (was_description, description, strcspn (was_description, "\n")) == 0);
      g_assert_cmpint (json_object_get_int_member (now, "sequence"), >=, json_object_get_int_member (event, "sequence"));
    }
  /* the renamed stage: the same event, renamed, and newer for a calendar */
  renamed_uid = om_calendar_stage_uid (om_opportunity_get_id (f->tricky),
                                       om_opportunity_data_get_stage (om_opportunity_get_data (f->tricky), 2)->id);
  g_assert_cmpstr (json_object_get_string_member (g_hash_table_lookup (before, renamed_uid), "summary"), ==,
                   "Last milestone");
  g_assert_cmpstr (json_object_get_string_member (g_hash_table_lookup (after, renamed_uid), "summary"), ==,
                   "Last milestone, renamed");
  g_assert_cmpint (json_object_get_int_member (g_hash_table_lookup (after, renamed_uid), "sequence"), >,
                   json_object_get_int_member (g_hash_table_lookup (before, renamed_uid), "sequence"));
  /* and everything else follows the edits */
  assert_events (after, all, NULL);
}

static void
test_calendar_usage (Fixture       *f,
                     gconstpointer  unused)
{
  /* in a folder that is not there: a usage error that wrote would fail
   * with 1, and leave nothing behind */
  const char *const usages[][3] = {
    { "--export-ics", NULL },
    { "--export-ics=", NULL },
    { "--export-csv", NULL },
    { "--export-ics=/nonexistent/x.ics", "--owner" },
    { "--export-ics=/nonexistent/x.ics", "--owner=" },
    { "--export-ics=/nonexistent/x.ics", "--owner= " },
    { "--export-csv=/nonexistent/x.csv", "--owner=Ann" },
    { "--owner=Ann", NULL },
    { "--export-ics=/nonexistent/x.ics", "--export-csv=/nonexistent/x.csv" },
    { "--export-ics=/nonexistent/x.ics", "--list" },
  };
  g_autofree char *both = g_build_filename (f->dir, "both.ics", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.ics", NULL);
  g_autofree char *missing_csv = g_build_filename (f->dir, "missing.csv", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (usages); i++)
    {
      g_auto(Result) r = { 0 };

      run (f, &r, usages[i][0], usages[i][1], NULL);
      g_test_message ("%s %s: %s", usages[i][0], usages[i][1], r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_true (g_str_has_suffix (r.err, "\n"));
      g_assert_true (strchr (r.err, '\n') == r.err + strlen (r.err) - 1);   /* one line */
    }

  {
    g_auto(Result) r = { 0 };
    g_autofree char *target = g_strdup_printf ("--export-ics=%s", both);

    run (f, &r, target, "--owner=Ann", "--opportunity=1", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_false (g_file_test (both, G_FILE_TEST_EXISTS));
  }

  /* an opportunity that is not there: refused, and no file */
  {
    g_auto(Result) r = { 0 };
    g_autofree char *target = g_strdup_printf ("--export-ics=%s", missing);

    run (f, &r, target, "--opportunity=999", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "999"));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Result) r = { 0 };
    g_autofree char *target = g_strdup_printf ("--export-csv=%s", missing_csv);

    run (f, &r, target, "--opportunity=999", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_false (g_file_test (missing_csv, G_FILE_TEST_EXISTS));
  }
}

/* "-" is standard output, as for --export */
static void
test_calendar_stdout (Fixture       *f,
                      gconstpointer  unused)
{
  g_auto(Result) r = { 0 };
  g_autofree char *path = g_build_filename (f->dir, "stdout.ics", NULL);
  g_autoptr(GHashTable) events = NULL;
  OmOpportunity *all[] = { f->tricky, f->formulas, f->won, f->lost, NULL };

  run (f, &r, "--export-ics=-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_file_set_contents (path, r.out, -1, NULL));
  events = read_events (path);
  assert_events (events, all, NULL);
}

static const char *
member_or_empty (JsonObject *object,
                 const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_string_member (object, name) : "";
}

/* One row per stage, the values --export writes, the text exactly as
 * the opportunity holds it (a CR too: CSV quotes it) */
static void
test_csv_same_as_export (Fixture       *f,
                         gconstpointer  unused)
{
  static const char *const header[] = {
    "opportunity_id", "title", "client", "stage", "activity", "milestone", "kind", "owner", "client_owner",
    "status", "due_date", "agreed_date", "baseline_due_date", "probability", "decided_on",
  };
  g_autofree char *csv = g_build_filename (f->dir, "all.csv", NULL);
  g_autofree char *json = g_build_filename (f->dir, "all.json", NULL);
  g_autofree char *csv_option = g_strdup_printf ("--export-csv=%s", csv);
  g_autofree char *json_option = g_strdup_printf ("--export=%s", json);
  g_autoptr(JsonNode) rows_node = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *rows, *opportunities;
  guint row = 1;

  run_ok (f, csv_option, NULL);
  run_ok (f, json_option, NULL);
  rows_node = check_file ("csv", csv);
  rows = json_node_get_array (rows_node);
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  g_assert_no_error (error);
  opportunities = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "opportunities");

  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (rows, 0)), ==, G_N_ELEMENTS (header));
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 0), i), ==, header[i]);

  for (guint k = 0; k < json_array_get_length (opportunities); k++)
    {
      JsonObject *opp = json_array_get_object_element (opportunities, k);
      JsonArray *stages = json_object_get_array_member (opp, "stages");
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (opp, "id"));

      for (guint i = 0; i < json_array_get_length (stages); i++, row++)
        {
          JsonObject *stage = json_array_get_object_element (stages, i);
          JsonArray *cells;
          g_autofree char *number = g_strdup_printf ("%u", i + 1);
          const char *expected[G_N_ELEMENTS (header)];

          g_assert_cmpuint (row, <, json_array_get_length (rows));
          cells = json_array_get_array_element (rows, row);
          g_assert_cmpuint (json_array_get_length (cells), ==, G_N_ELEMENTS (header));
          expected[0] = id;
          expected[1] = json_object_get_string_member (opp, "title");
          expected[2] = json_object_get_string_member (opp, "client");
          expected[3] = number;
          expected[4] = json_object_get_string_member (stage, "activity");
          expected[5] = json_object_get_string_member (stage, "milestone");
          expected[6] = json_object_get_string_member (stage, "kind");
          expected[7] = json_object_get_string_member (stage, "owner");
          expected[8] = json_object_get_string_member (stage, "client_owner");
          expected[9] = json_object_get_string_member (stage, "status");
          expected[10] = json_object_get_string_member (stage, "due_date");
          expected[11] = member_or_empty (stage, "agreed_date");
          expected[12] = member_or_empty (stage, "baseline_due_date");
          expected[13] = NULL;   /* a number: below */
          expected[14] = member_or_empty (stage, "decided_on");
          for (guint c = 0; c < G_N_ELEMENTS (header); c++)
            if (expected[c] != NULL)
              g_assert_cmpstr (json_array_get_string_element (cells, c), ==, expected[c]);
          g_assert_cmpfloat (g_ascii_strtod (json_array_get_string_element (cells, 13), NULL), ==,
                             json_object_get_double_member (stage, "probability"));
        }
    }
  /* one row per stage of every opportunity, won and lost too */
  g_assert_cmpuint (row, ==, json_array_get_length (rows));
  g_assert_cmpuint (row - 1, ==, 4 + 2 + 1 + 2);
}

/* Each column holds its value: not merely the same as --export */
static void
test_csv_values (Fixture       *f,
                 gconstpointer  unused)
{
  g_autofree char *csv = g_build_filename (f->dir, "one.csv", NULL);
  g_autofree char *csv_option = g_strdup_printf ("--export-csv=%s", csv);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, om_opportunity_get_id (f->tricky));
  g_autofree char *option = g_strdup_printf ("--opportunity=%s", id);
  g_autoptr(JsonNode) rows_node = NULL;
  JsonArray *rows;
  const char *const first[] = { id, "Title " TRICKY, "Client " TRICKY, "1", "First", "First agreed", "standard",
                                "Ann", "", "won", TODAY, "", TODAY, "0.7", TODAY };
  const char *const second[] = { id, "Title " TRICKY, "Client " TRICKY, "2", "Activity " TRICKY,
                                 "Milestone " TRICKY, "standard", "Owner " TRICKY, "Client owner " TRICKY,
                                 "pending", "2026-03-20", "2026-03-20", "2026-03-08", "0.7", "" };

  run_ok (f, csv_option, option, NULL);
  rows_node = check_file ("csv", csv);
  rows = json_node_get_array (rows_node);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1 + 4);
  for (guint c = 0; c < G_N_ELEMENTS (first); c++)
    {
      g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 1), c), ==, first[c]);
      g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 2), c), ==, second[c]);
    }
}

/* A cell a spreadsheet would run is quoted, never changed */
static void
test_csv_formulas (Fixture       *f,
                   gconstpointer  unused)
{
  g_autofree char *csv = g_build_filename (f->dir, "formulas.csv", NULL);
  g_autofree char *csv_option = g_strdup_printf ("--export-csv=%s", csv);
  g_autofree char *option = g_strdup_printf ("--opportunity=%" G_GINT64_FORMAT, om_opportunity_get_id (f->formulas));
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) rows_node = NULL;
  JsonArray *row;
  const char *const quoted[] = { "\"=HYPERLINK(\"\"x\"\")\"", "\"+Client\"", "\"+1\"", "\"=SUM(A1:A2)\"",
                                 "\"-minus\"", "\"@Bob\"", "\"-2\"", "\"@at\"" };

  run_ok (f, csv_option, option, NULL);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (quoted); i++)
    if (strstr (contents, quoted[i]) == NULL)
      g_error ("%s is not quoted in %s", quoted[i], contents);

  rows_node = check_file ("csv", csv);
  row = json_array_get_array_element (json_node_get_array (rows_node), 1);
  g_assert_cmpstr (json_array_get_string_element (row, 1), ==, "=HYPERLINK(\"x\")");
  g_assert_cmpstr (json_array_get_string_element (row, 2), ==, "+Client");
  g_assert_cmpstr (json_array_get_string_element (row, 4), ==, "+1");
  g_assert_cmpstr (json_array_get_string_element (row, 5), ==, "=SUM(A1:A2)");
  g_assert_cmpstr (json_array_get_string_element (row, 8), ==, "-minus");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/calendar/every-field", test_calendar_every_field);
  ADD ("/calendar/owner-and-opportunity", test_calendar_owner);
  ADD ("/calendar/uids-stable", test_calendar_uids_stable);
  ADD ("/calendar/usage", test_calendar_usage);
  ADD ("/calendar/stdout", test_calendar_stdout);
  ADD ("/csv/same-as-export", test_csv_same_as_export);
  ADD ("/csv/values", test_csv_values);
  ADD ("/csv/formulas", test_csv_formulas);
#undef ADD

  return g_test_run ();
}
