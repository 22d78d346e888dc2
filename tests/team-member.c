/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "team-member"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>

#include "om-test-database.h"

/*
 * One person of test-team: `team-member LOCATION` opens the repository
 * at LOCATION (a test server's database, as that person's login role)
 * as the window does, watching other people's edits, and takes commands
 * on standard input while its main loop runs, one answer line each on
 * standard output:
 *
 *   create N COORDINATOR TITLE  ok ID REVISION        (a plan of N stages)
 *   load ID                     ok REVISION
 *   win ID STAGE                ok REVISION | refused DOMAIN CODE MESSAGE
 *   move ID FROM TO             likewise
 *   retitle ID TITLE            likewise
 *   wait ID SINCE REVISION      seen MS | early | timeout
 *   hold / release              ok: stop and start applying others' edits
 *   dump ID                     its copy, as describe() writes it
 *   server ID                   what the server holds now, read afresh
 *   quit                        (or the end of input)
 *
 * "wait" answers once its copy of ID shows REVISION or a later one
 * through another person's edit (#OmRepository::changed-elsewhere), in
 * milliseconds since SINCE (g_get_monotonic_time(), the same clock in
 * every process of the machine), or "timeout" after 5 seconds. Its copy
 * showing it already before SINCE answers "early".
 */

#define WAIT_LIMIT_MS 5000

typedef struct
{
  OmOpportunity *opportunity;
  gint64         changed_at;  /* the last edit of another applied to it, or 0 */
} Shown;

typedef struct
{
  GMainLoop        *loop;
  char             *location;
  OmRepository     *repository;
  GDataInputStream *input;
  GHashTable       *shown;       /* gint64 id -> Shown */
  Shown            *waiting;     /* the copy a "wait" watches, or NULL */
  gint64            wait_revision;
  gint64            wait_since;
  guint             wait_timeout;
} Member;

static void read_command (Member *self);

static void
shown_free (Shown *shown)
{
  g_object_unref (shown->opportunity);
  g_free (shown);
}

static void
answer (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static void
answer (const char *format,
        ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

/* One line: the revision, title and coordinator, each stage's activity
 * and status in chain order, and the number of decisions recorded */
static char *
describe (const OmOpportunityData *data)
{
  GString *line = g_string_new (NULL);

  g_string_append_printf (line, "revision %" G_GINT64_FORMAT " | %s | %s |", data->revision, data->title,
                          data->coordinator);
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);

      g_string_append_printf (line, "%s %s: %s", i > 0 ? "," : "", stage->activity,
                              om_stage_status_to_string (stage->status));
    }
  g_string_append_printf (line, " | %u decisions", data->history->len);
  return g_string_free (line, FALSE);
}

static void
answer_refused (const GError *error)
{
  answer ("refused %s %d %s", g_quark_to_string (error->domain), error->code, error->message);
}

static void
answer_done (Shown        *shown,
             gboolean      done,
             const GError *error)
{
  if (done)
    answer ("ok %" G_GINT64_FORMAT, om_opportunity_get_data (shown->opportunity)->revision);
  else
    answer_refused (error);
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 n;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &n, NULL))
    return FALSE;
  *id = (gint64) n;
  return TRUE;
}

static gboolean
parse_index (const char *text,
             guint      *index)
{
  guint64 n;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &n, NULL))
    return FALSE;
  *index = (guint) n;
  return TRUE;
}

/* The copy of @id this person has loaded, or NULL */
static Shown *
find_shown (Member     *self,
            const char *id_text)
{
  gint64 id;

  if (!parse_id (id_text, &id))
    return NULL;
  return g_hash_table_lookup (self->shown, &id);
}

static Shown *
show (Member        *self,
      OmOpportunity *opportunity)
{
  Shown *shown = g_new0 (Shown, 1);
  gint64 *id = g_new (gint64, 1);

  *id = om_opportunity_get_id (opportunity);
  shown->opportunity = g_object_ref (opportunity);
  g_hash_table_replace (self->shown, id, shown);
  return shown;
}

static void
end_wait (Member     *self,
          const char *result)
{
  answer ("%s", result);
  self->waiting = NULL;
  g_clear_handle_id (&self->wait_timeout, g_source_remove);
  read_command (self);
}

static gboolean
wait_over (Member *self)
{
  const Shown *shown = self->waiting;
  g_autofree char *seen = NULL;

  if (om_opportunity_get_data (shown->opportunity)->revision < self->wait_revision)
    return FALSE;
  if (shown->changed_at < self->wait_since)
    {
      end_wait (self, "early");
      return TRUE;
    }
  seen = g_strdup_printf ("seen %" G_GINT64_FORMAT, (shown->changed_at - self->wait_since) / G_TIME_SPAN_MILLISECOND);
  end_wait (self, seen);
  return TRUE;
}

static gboolean
wait_timeout_cb (gpointer user_data)
{
  Member *self = user_data;

  self->wait_timeout = 0;
  end_wait (self, "timeout");
  return G_SOURCE_REMOVE;
}

/* Another person's edit, now shown */
static void
changed_elsewhere_cb (OmRepository  *repository,
                      OmOpportunity *opportunity,
                      const char    *who,
                      Member        *self)
{
  gint64 id = om_opportunity_get_id (opportunity);
  Shown *shown = g_hash_table_lookup (self->shown, &id);

  if (shown == NULL)
    return;
  shown->changed_at = g_get_monotonic_time ();
  if (self->waiting == shown)
    wait_over (self);
}

static void
create (Member     *self,
        const char *arguments)
{
  g_auto(GStrv) words = g_strsplit (arguments, " ", 3);
  g_autoptr(OmOpportunityData) data = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *created;
  guint n;

  if (g_strv_length (words) != 3 || !parse_index (words[0], &n))
    {
      answer ("bad command");
      return;
    }
  data = om_test_plan_new (words[2], n);
  g_free (data->coordinator);
  data->coordinator = g_strdup (words[1]);
  created = om_repository_create_opportunity (self->repository, data, &error);
  if (created == NULL)
    {
      answer_refused (error);
      return;
    }
  show (self, created);
  answer ("ok %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, om_opportunity_get_id (created),
          om_opportunity_get_data (created)->revision);
}

static void
load (Member     *self,
      const char *id_text)
{
  g_autoptr(GError) error = NULL;
  OmOpportunity *opportunity;
  gint64 id;

  if (!parse_id (id_text, &id))
    {
      answer ("bad command");
      return;
    }
  opportunity = om_repository_find (self->repository, id);
  if (opportunity == NULL)
    {
      answer ("not found");
      return;
    }
  if (!om_opportunity_load (opportunity, &error))
    {
      answer_refused (error);
      return;
    }
  answer ("ok %" G_GINT64_FORMAT, om_opportunity_get_data (show (self, opportunity)->opportunity)->revision);
}

static void
read_afresh (Member     *self,
             const char *id_text)
{
  g_autoptr(OmBackend) backend = NULL;
  g_autoptr(OmOpportunityData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gint64 id;

  if (!parse_id (id_text, &id))
    {
      answer ("bad command");
      return;
    }
  backend = om_store_open_backend (self->location, &error);
  if (backend != NULL)
    data = om_backend_load_opportunity (backend, id, &error);
  if (data == NULL)
    {
      answer_refused (error);
      return;
    }
  line = describe (data);
  answer ("%s", line);
}

/* Runs @line; FALSE once there is nothing more to do */
static gboolean
run (Member     *self,
     const char *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", 2);
  const char *command = words[0] != NULL ? words[0] : "";
  const char *rest = words[0] != NULL && words[1] != NULL ? words[1] : "";
  g_auto(GStrv) arguments = g_strsplit (rest, " ", 0);
  g_autoptr(GError) error = NULL;
  Shown *shown = NULL;
  guint a, b;

  if (g_str_equal (command, "quit"))
    return FALSE;
  if (g_str_equal (command, "create"))
    create (self, rest);
  else if (g_str_equal (command, "load"))
    load (self, arguments[0]);
  else if (g_str_equal (command, "server"))
    read_afresh (self, arguments[0]);
  else if (g_str_equal (command, "hold") || g_str_equal (command, "release"))
    {
      om_repository_set_watching (self->repository, g_str_equal (command, "release"));
      answer ("ok");
    }
  else if ((shown = find_shown (self, arguments[0])) == NULL)
    answer ("not loaded");
  else if (g_str_equal (command, "win") && g_strv_length (arguments) == 2 && parse_index (arguments[1], &a))
    {
      gboolean done = om_opportunity_win_stage (shown->opportunity, a, "", &error);
      answer_done (shown, done, error);
    }
  else if (g_str_equal (command, "move") && g_strv_length (arguments) == 3 && parse_index (arguments[1], &a) &&
           parse_index (arguments[2], &b))
    {
      gboolean done = om_opportunity_move_stage (shown->opportunity, a, b, &error);
      answer_done (shown, done, error);
    }
  else if (g_str_equal (command, "retitle") && strchr (rest, ' ') != NULL)
    {
      gboolean done = om_test_retitle (shown->opportunity, strchr (rest, ' ') + 1, &error);
      answer_done (shown, done, error);
    }
  else if (g_str_equal (command, "dump"))
    {
      g_autofree char *description = describe (om_opportunity_get_data (shown->opportunity));
      answer ("%s", description);
    }
  else if (g_str_equal (command, "wait") && g_strv_length (arguments) == 3 &&
           g_ascii_string_to_signed (arguments[1], 10, 0, G_MAXINT64, &self->wait_since, NULL) &&
           g_ascii_string_to_signed (arguments[2], 10, 1, G_MAXINT64, &self->wait_revision, NULL))
    {
      /* answered when it is over: no command is read meanwhile */
      self->waiting = shown;
      if (!wait_over (self))
        self->wait_timeout = g_timeout_add (WAIT_LIMIT_MS, wait_timeout_cb, self);
      return TRUE;
    }
  else
    answer ("bad command");
  read_command (self);
  return TRUE;
}

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Member *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish (self->input, result, NULL, &error);

  if (error != NULL)
    g_printerr ("team-member: cannot read a command: %s\n", error->message);
  if (line == NULL || !run (self, line))
    g_main_loop_quit (self->loop);
}

static void
read_command (Member *self)
{
  g_data_input_stream_read_line_async (self->input, G_PRIORITY_DEFAULT, NULL, line_read_cb, self);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GInputStream) stdin_stream = NULL;
  Member self = { 0 };

  if (argc != 2)
    {
      g_printerr ("Usage: team-member LOCATION\n");
      return 2;
    }
  self.loop = g_main_loop_new (NULL, FALSE);
  self.location = g_strdup (argv[1]);
  self.repository = om_test_database_open_repository (self.location);
  self.shown = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) shown_free);
  g_signal_connect (self.repository, "changed-elsewhere", G_CALLBACK (changed_elsewhere_cb), &self);
  om_repository_set_watching (self.repository, TRUE);

  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  self.input = g_data_input_stream_new (stdin_stream);
  g_data_input_stream_set_newline_type (self.input, G_DATA_STREAM_NEWLINE_TYPE_LF);
  read_command (&self);
  g_main_loop_run (self.loop);

  g_clear_handle_id (&self.wait_timeout, g_source_remove);
  g_clear_pointer (&self.shown, g_hash_table_unref);
  g_clear_object (&self.input);
  g_clear_object (&self.repository);
  g_clear_pointer (&self.location, g_free);
  g_clear_pointer (&self.loop, g_main_loop_unref);
  return 0;
}
