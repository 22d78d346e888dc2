/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "om-test-database.h"

/*
 * Issue 14, done when: three people on three machines plan, decide and
 * reorder stages on one server; each sees the others' changes within
 * two seconds; nobody's edit is lost or silently overwritten; nobody
 * writes what their role may not.
 *
 * The three are three processes (tests/team-member.c), each with the
 * repository a window has, logged in under its own role, on one
 * database of the test server: alice coordinates the shared
 * opportunity, ada is an admin, sam is in sales.
 */

#define TODAY "2026-01-10"
#define SEEN_WITHIN_MS 2000

typedef struct
{
  const char       *name;
  GSubprocess      *process;
  GDataInputStream *answers;
} Member;

static Member *
member_new (const char *location,
            const char *name)
{
  g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE, TODAY);
  g_autofree char *as_member = om_test_pg_location (location, name);
  const char *program = g_getenv ("OM_TEAM_MEMBER");
  g_autoptr(GError) error = NULL;
  Member *self = g_new0 (Member, 1);

  g_assert_nonnull (program);
  self->name = name;
  self->process = g_subprocess_launcher_spawn (launcher, &error, program, as_member, NULL);
  g_assert_no_error (error);
  self->answers = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  return self;
}

/* Ends the member, which must end well (the sanitizers' reports make
 * it fail) */
static void
member_free (Member *self)
{
  GOutputStream *commands = g_subprocess_get_stdin_pipe (self->process);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (commands, "quit\n", 5, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (self->process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (self->process));
  g_assert_cmpint (g_subprocess_get_exit_status (self->process), ==, 0);
  g_object_unref (self->answers);
  g_object_unref (self->process);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Member, member_free)

/* Sends one command, and returns the member's answer */
static char *
ask (Member     *self,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static char *
ask (Member     *self,
     const char *format,
     ...)
{
  GOutputStream *commands = g_subprocess_get_stdin_pipe (self->process);
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  char *answer;
  va_list args;

  va_start (args, format);
  command = g_strdup_vprintf (format, args);
  va_end (args);

  g_assert_true (g_output_stream_printf (commands, NULL, NULL, &error, "%s\n", command));
  g_assert_no_error (error);
  answer = g_data_input_stream_read_line_utf8 (self->answers, NULL, NULL, &error);
  g_assert_no_error (error);
  if (answer == NULL)
    {
      g_subprocess_wait (self->process, NULL, NULL);
      g_error ("%s ended without answering “%s”: %s %d", self->name, command,
               g_subprocess_get_if_signaled (self->process) ? "signal" : "exit status",
               g_subprocess_get_if_signaled (self->process) ? g_subprocess_get_term_sig (self->process)
                                                            : g_subprocess_get_exit_status (self->process));
    }
  g_test_message ("%s: %s -> %s", self->name, command, answer);
  return answer;
}

/* The revision of an answer "ok [ID] REVISION" */
static gint64
assert_ok (const char *answer)
{
  g_auto(GStrv) words = g_strsplit (answer, " ", 0);
  guint n = g_strv_length (words);
  gint64 revision = 0;

  g_assert_cmpstr (words[0], ==, "ok");
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (n, <=, 3);
  g_assert_true (g_ascii_string_to_signed (words[n - 1], 10, 1, G_MAXINT64, &revision, NULL));
  return revision;
}

/* The id of an answer "ok ID REVISION" */
static gint64
assert_created (const char *answer)
{
  g_auto(GStrv) words = g_strsplit (answer, " ", 0);
  gint64 id = 0;

  g_assert_cmpuint (g_strv_length (words), ==, 3);
  g_assert_cmpstr (words[0], ==, "ok");
  g_assert_true (g_ascii_string_to_signed (words[1], 10, 1, G_MAXINT64, &id, NULL));
  return id;
}

/* An answer "refused DOMAIN CODE MESSAGE" with @code of the store's */
static void
assert_refused (const char *answer,
                int         code,
                const char *reason)
{
  g_autofree char *prefix = g_strdup_printf ("refused %s %d ", g_quark_to_string (OM_STORE_ERROR), code);

  g_assert_true (g_str_has_prefix (answer, prefix));
  g_assert_nonnull (strstr (answer, reason));
}

/* @member's copy of @id shows @revision within two seconds of @since,
 * when the edit that made it was sent */
static void
assert_seen (Member *member,
             gint64  id,
             gint64  since,
             gint64  revision)
{
  g_autofree char *seen = ask (member, "wait %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                               id, since, revision);
  gint64 ms;

  g_assert_cmpstr (seen, !=, "timeout");
  g_assert_true (g_str_has_prefix (seen, "seen "));
  ms = g_ascii_strtoll (seen + strlen ("seen "), NULL, 10);
  g_test_message ("%s saw revision %" G_GINT64_FORMAT " after %" G_GINT64_FORMAT " ms", member->name, revision, ms);
  g_assert_cmpint (ms, >=, 0);
  g_assert_cmpint (ms, <, SEEN_WITHIN_MS);
}

/* Every member's copy of @id is what the server holds */
static void
assert_all_show_server (Member **members,
                        guint    n_members,
                        gint64   id)
{
  g_autofree char *kept = ask (members[0], "server %" G_GINT64_FORMAT, id);

  g_assert_true (g_str_has_prefix (kept, "revision "));
  for (guint i = 0; i < n_members; i++)
    {
      g_autofree char *shown = ask (members[i], "dump %" G_GINT64_FORMAT, id);
      g_assert_cmpstr (shown, ==, kept);
    }
}

static OmStageStatus
status_on_server (const OmOpportunityData *data,
                  guint                    index)
{
  return ((const OmStageData *) g_ptr_array_index (data->stages, index))->status;
}

static char *
order_on_server (const OmOpportunityData *data)
{
  g_autoptr(GStrvBuilder) activities = g_strv_builder_new ();
  g_auto(GStrv) all = NULL;

  for (guint i = 0; i < data->stages->len; i++)
    g_strv_builder_add (activities, ((const OmStageData *) g_ptr_array_index (data->stages, i))->activity);
  all = g_strv_builder_end (activities);
  return g_strjoinv (",", all);
}

/* Three people, three roles, one server */
static void
test_three_people (void)
{
  g_autofree char *location = om_test_pg_new_database ();
  g_autoptr(Member) alice = member_new (location, OM_TEST_PG_COORDINATOR);
  g_autoptr(Member) ada = member_new (location, OM_TEST_PG_ADMIN);
  g_autoptr(Member) sam = member_new (location, OM_TEST_PG_SALES);
  Member *everyone[] = { alice, ada, sam };
  g_autoptr(OmOpportunityData) before = NULL;
  g_autoptr(OmOpportunityData) after = NULL;
  g_autoptr(OmOpportunityData) kept = NULL;
  g_autofree char *order = NULL;
  g_autofree char *answer = NULL;
  gint64 id, bobs, revision, since;

  /* 1. alice plans an opportunity of her own; everyone opens it */
  answer = ask (alice, "create 5 " OM_TEST_PG_COORDINATOR " Harbour cranes");
  id = assert_created (answer);
  g_clear_pointer (&answer, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (everyone); i++)
    {
      answer = ask (everyone[i], "load %" G_GINT64_FORMAT, id);
      assert_ok (answer);
      g_clear_pointer (&answer, g_free);
    }

  /* 2. alice decides her first stage: ada and sam see it */
  since = g_get_monotonic_time ();
  answer = ask (alice, "win %" G_GINT64_FORMAT " 0", id);
  revision = assert_ok (answer);
  g_clear_pointer (&answer, g_free);
  assert_seen (ada, id, since, revision);
  assert_seen (sam, id, since, revision);
  kept = om_test_database_get (location, id);
  g_assert_cmpint (status_on_server (kept, 0), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (kept->revision, ==, revision);
  assert_all_show_server (everyone, G_N_ELEMENTS (everyone), id);
  g_clear_pointer (&kept, om_opportunity_data_free);

  /* 3. ada reorders two stages still to come: alice and sam see it */
  since = g_get_monotonic_time ();
  answer = ask (ada, "move %" G_GINT64_FORMAT " 3 4", id);
  revision = assert_ok (answer);
  g_clear_pointer (&answer, g_free);
  assert_seen (alice, id, since, revision);
  assert_seen (sam, id, since, revision);
  kept = om_test_database_get (location, id);
  order = order_on_server (kept);
  g_assert_cmpstr (order, ==, "Activity 1,Activity 2,Activity 3,Activity 5,Activity 4");
  assert_all_show_server (everyone, G_N_ELEMENTS (everyone), id);
  g_clear_pointer (&kept, om_opportunity_data_free);

  /* 4. sam, in sales, may read and write nothing, and the server says so;
   * alice writes nothing of another coordinator's */
  before = om_test_database_get (location, id);
  answer = ask (sam, "win %" G_GINT64_FORMAT " 1", id);
  assert_refused (answer, OM_STORE_ERROR_DENIED, "permission denied");
  g_clear_pointer (&answer, g_free);
  answer = ask (sam, "move %" G_GINT64_FORMAT " 2 3", id);
  assert_refused (answer, OM_STORE_ERROR_DENIED, "permission denied");
  g_clear_pointer (&answer, g_free);
  answer = ask (sam, "retitle %" G_GINT64_FORMAT " Sam's cranes", id);
  assert_refused (answer, OM_STORE_ERROR_DENIED, "permission denied");
  g_clear_pointer (&answer, g_free);
  answer = ask (sam, "create 2 " OM_TEST_PG_SALES " Sam's own");
  assert_refused (answer, OM_STORE_ERROR_DENIED, "permission denied");
  g_clear_pointer (&answer, g_free);

  answer = ask (ada, "create 3 " OM_TEST_PG_OTHER_COORDINATOR " Bob's ferries");
  bobs = assert_created (answer);
  g_clear_pointer (&answer, g_free);
  answer = ask (alice, "load %" G_GINT64_FORMAT, bobs);
  assert_ok (answer);
  g_clear_pointer (&answer, g_free);
  answer = ask (alice, "win %" G_GINT64_FORMAT " 0", bobs);
  assert_refused (answer, OM_STORE_ERROR_DENIED, "row-level security");
  g_clear_pointer (&answer, g_free);
  kept = om_test_database_get (location, bobs);
  g_assert_cmpint (status_on_server (kept, 0), ==, OM_STAGE_STATUS_PENDING);
  g_clear_pointer (&kept, om_opportunity_data_free);

  after = om_test_database_get (location, id);
  g_assert_true (om_opportunity_data_equal (before, after, TRUE));
  g_assert_cmpint (after->revision, ==, before->revision);
  g_clear_pointer (&after, om_opportunity_data_free);
  assert_all_show_server (everyone, G_N_ELEMENTS (everyone), id);

  /* 5. ada and alice edit the same revision: alice's copy has not
   * applied ada's edit yet when she makes hers. Hers is refused with
   * the conflict, she sees ada's, makes hers again, and it is kept. */
  answer = ask (alice, "hold");
  g_assert_cmpstr (answer, ==, "ok");
  g_clear_pointer (&answer, g_free);
  since = g_get_monotonic_time ();
  answer = ask (ada, "retitle %" G_GINT64_FORMAT " Harbour cranes, phase 2", id);
  revision = assert_ok (answer);
  g_clear_pointer (&answer, g_free);
  assert_seen (sam, id, since, revision);
  {
    g_autofree char *stale = ask (alice, "dump %" G_GINT64_FORMAT, id);
    g_assert_nonnull (strstr (stale, "| Harbour cranes |"));
  }
  answer = ask (alice, "win %" G_GINT64_FORMAT " 1", id);
  assert_refused (answer, OM_STORE_ERROR_CONFLICT, OM_TEST_PG_ADMIN " changed the opportunity");
  g_clear_pointer (&answer, g_free);
  kept = om_test_database_get (location, id);
  g_assert_cmpint (kept->revision, ==, revision);
  g_assert_cmpstr (kept->title, ==, "Harbour cranes, phase 2");
  g_assert_cmpint (status_on_server (kept, 1), ==, OM_STAGE_STATUS_PENDING);
  g_clear_pointer (&kept, om_opportunity_data_free);
  /* she shows ada's version now, without a notification */
  assert_all_show_server (everyone, G_N_ELEMENTS (everyone), id);

  since = g_get_monotonic_time ();
  answer = ask (alice, "win %" G_GINT64_FORMAT " 1", id);
  revision = assert_ok (answer);
  g_clear_pointer (&answer, g_free);
  assert_seen (ada, id, since, revision);
  assert_seen (sam, id, since, revision);
  answer = ask (alice, "release");
  g_assert_cmpstr (answer, ==, "ok");
  g_clear_pointer (&answer, g_free);

  /* and alice, watching again, sees ada's next decision */
  since = g_get_monotonic_time ();
  answer = ask (ada, "win %" G_GINT64_FORMAT " 2", id);
  revision = assert_ok (answer);
  g_clear_pointer (&answer, g_free);
  assert_seen (alice, id, since, revision);
  assert_seen (sam, id, since, revision);

  /* 6. the server has every accepted edit, and everyone shows it */
  kept = om_test_database_get (location, id);
  g_clear_pointer (&order, g_free);
  order = order_on_server (kept);
  g_assert_cmpstr (kept->title, ==, "Harbour cranes, phase 2");
  g_assert_cmpstr (kept->coordinator, ==, OM_TEST_PG_COORDINATOR);
  g_assert_cmpstr (order, ==, "Activity 1,Activity 2,Activity 3,Activity 5,Activity 4");
  g_assert_cmpint (status_on_server (kept, 0), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (status_on_server (kept, 1), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (status_on_server (kept, 2), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (status_on_server (kept, 3), ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpint (status_on_server (kept, 4), ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpuint (kept->history->len, ==, 3);
  g_assert_cmpint (kept->revision, ==, revision);
  assert_all_show_server (everyone, G_N_ELEMENTS (everyone), id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (om_test_pg_unavailable () != NULL)
    {
      g_test_message ("no test server: %s", om_test_pg_unavailable ());
      g_test_add_data_func ("/team/skipped", om_test_pg_unavailable (), (GTestDataFunc) g_test_skip);
      return g_test_run ();
    }
  g_test_add_func ("/team/three-people", test_three_people);
  return g_test_run ();
}
