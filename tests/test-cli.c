/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* setresuid */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "om-json.h"
#include "om-test-database.h"

/*
 * The command line of SPEC section 7, run as a user runs it: the real
 * executable, in a process of its own, with no display at all.
 */

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static const char good_document[] =
  "{\n"
  "  \"format\": \"oppmanager/1\",\n"
  "  \"opportunities\": [\n"
  "    {\n"
  "      \"title\": \"Fleet renewal\",\n"
  "      \"client\": \"Nordic Ferries\",\n"
  "      \"coordinator\": \"Kari\",\n"
  "      \"value\": \"1250000.00\",\n"
  "      \"start_date\": \"2026-01-05\",\n"
  "      \"notes\": \"INTERNAL-NOTE\",\n"
  "      \"stages\": [\n"
  "        { \"activity\": \"Initial appointment\", \"milestone\": \"Client agrees to explore\", \"owner\": \"Ann\",\n"
  "          \"probability\": 0.8, \"status\": \"won\", \"decided_on\": \"2026-01-09\" },\n"
  "        { \"activity\": \"Process meeting\", \"milestone\": \"Client agrees to the process\",\n"
  "          \"kind\": \"process-agreement\", \"owner\": \"Ann\", \"probability\": 0.5 },\n"
  "        { \"activity\": \"Proposal\", \"milestone\": \"Client accepts the proposal\", \"probability\": 0.4 }\n"
  "      ]\n"
  "    },\n"
  "    {\n"
  "      \"title\": \"Tab\\there\",\n"
  "      \"client\": \"Second client\",\n"
  "      \"start_date\": \"2026-02-01\",\n"
  "      \"stages\": []\n"
  "    }\n"
  "  ]\n"
  "}\n";

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = om_test_make_dir ("cli");
  f->db = g_build_filename (f->dir, "cli.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  om_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* When set, the child may write files of this many bytes at most: a full
 * disk that works as root */
static rlim_t file_size_limit;
/* When set, the child runs as nobody: an ordinary user, even as root */
static gboolean as_nobody;

static void
run (Fixture    *f,
     Result     *r,
     const char *first,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = om_test_cli_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                                      "2026-03-01");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_build_filename (f->dir, "data-home", NULL);
  va_list args;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  if (file_size_limit > 0 || as_nobody)
    om_test_launcher_restrict (launcher, file_size_limit, as_nobody);

  va_start (args, first);
  process = om_test_cli_spawn_valist (launcher, first, args);
  va_end (args);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static char *
option (const char *name,
        const char *value)
{
  return g_strdup_printf ("--%s=%s", name, value);
}

static void
assert_one_line_refusal (const Result *r,
                         int           status)
{
  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "oppmanager: "));
  /* one line */
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
}

static void
import_good (Fixture *f)
{
  g_autofree char *file = write_file (f, "good.json", good_document, -1);
  g_autofree char *db = option ("database", f->db);
  g_autofree char *import = option ("import", file);
  g_auto(Result) r = { 0 };

  run (f, &r, db, import, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "1\n2\n");
  g_assert_cmpstr (r.err, ==, "");
}

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Result) r = { 0 };

  run (f, &r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "oppmanager " PACKAGE_VERSION "\n");
}

static void
test_default_database (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *expected = g_build_filename (f->dir, "data-home", "oppmanager", "opportunities.db", NULL);
  g_auto(Result) r = { 0 };

  run (f, &r, "--list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
}

static void
test_import_list_check (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *db = option ("database", f->db);
  g_auto(Result) list = { 0 };
  g_auto(Result) check = { 0 };
  g_auto(Result) check_empty = { 0 };

  import_good (f);

  run (f, &list, db, "--list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  /* id, status, won/total, chain probability (0.5 × 0.4), title on one line */
  g_assert_cmpstr (list.out, ==,
                   "1\topen\t1/3\t0.200\tFleet renewal\n"
                   "2\topen\t0/0\t0.000\tTab\\there\n");

  run (f, &check, db, "--check", "--opportunity=1", NULL);
  g_assert_cmpint (check.status, ==, 0);
  {
    g_auto(GStrv) lines = g_strsplit (check.out, "\n", -1);
    /* stage 3 has no owner, and is the weakest link at 0.4; stage 2, the
     * current one, is overdue (due 2026-01-16, today 2026-03-01), and
     * stage 3 is because of it: one line says both */
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_true (g_str_has_prefix (lines[0], "no-owner\t"));
    g_assert_nonnull (strstr (lines[0], "Proposal"));
    g_assert_true (g_str_has_prefix (lines[1], "overdue\tStage 2 “Process meeting” was due on "));
    g_assert_true (g_str_has_suffix (lines[1], " and is not decided yet; 1 later stage is overdue because of it. "
                                      "Decide it, or agree a new date with the client."));
    g_assert_true (g_str_has_prefix (lines[2], "weak-link\t"));
    g_assert_nonnull (strstr (lines[2], "Proposal"));
    g_assert_cmpstr (lines[3], ==, "");
  }

  run (f, &check_empty, db, "--check", "--opportunity=2", NULL);
  g_assert_cmpint (check_empty.status, ==, 0);
  g_assert_cmpstr (check_empty.out, ==, "no-process-agreement\tNeither of the first two stages is the client’s agreement to the process.\n");
}

/* Titles and messages that hold line breaks or terminal escapes are
 * printed escaped, one line per record */
static void
test_list_check_escape (Fixture       *f,
                        gconstpointer  data)
{
  static const char document[] =
    "{\"format\": \"oppmanager/1\", \"opportunities\": ["
    "  {\"title\": \"Evil\\n\\u001b[2Jtitle\\r\\u0085\", \"client\": \"C\", \"start_date\": \"2026-01-05\","
    "   \"stages\": [{\"activity\": \"Act\\u001b]0;pwned\\u0007\\nive\", \"milestone\": \"M\"}]}]}";
  g_autofree char *file = write_file (f, "evil.json", document, -1);
  g_autofree char *db = option ("database", f->db);
  g_autofree char *import = option ("import", file);
  g_auto(Result) imported = { 0 };
  g_auto(Result) list = { 0 };
  g_auto(Result) check = { 0 };

  run (f, &imported, db, import, NULL);
  g_assert_cmpint (imported.status, ==, 0);

  run (f, &list, db, "--list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpstr (list.out, ==, "1\topen\t0/1\t0.500\tEvil\\n\\x1b[2Jtitle\\r\\x85\n");

  run (f, &check, db, "--check", "--opportunity=1", NULL);
  g_assert_cmpint (check.status, ==, 0);
  g_assert_null (strchr (check.out, '\x1b'));
  g_assert_null (strchr (check.out, '\x07'));
  /* the model quotes the activity escaped, and --check escapes the
   * whole message again: its backslashes are doubled */
  g_assert_nonnull (strstr (check.out, "Act\\\\x1b]0;pwned\\\\x07\\\\nive"));
  {
    g_auto(GStrv) lines = g_strsplit (check.out, "\n", -1);

    /* no process agreement, no owner, overdue, each on its line */
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
      g_assert_cmpuint (g_strv_length (g_strsplit (lines[i], "\t", -1)), ==, 2);
  }
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *db = option ("database", f->db);
  g_autofree char *out_path = g_build_filename (f->dir, "one.json", NULL);
  g_autofree char *export_file = option ("export", out_path);
  g_auto(Result) all = { 0 };
  g_auto(Result) one = { 0 };
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  import_good (f);

  run (f, &all, db, "--export=-", NULL);
  g_assert_cmpint (all.status, ==, 0);
  g_assert_true (om_json_parse (all.out, -1, &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (opportunities->len, ==, 2);
  g_clear_pointer (&opportunities, g_ptr_array_unref);
  g_clear_pointer (&templates, g_ptr_array_unref);

  run (f, &one, db, export_file, "--opportunity=2", NULL);
  g_assert_cmpint (one.status, ==, 0);
  g_assert_cmpstr (one.out, ==, "");
  g_assert_true (g_file_get_contents (out_path, &contents, NULL, NULL));
  g_assert_true (om_json_parse (contents, -1, &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (opportunities->len, ==, 1);
  g_assert_cmpstr (((OmOpportunityData *) g_ptr_array_index (opportunities, 0))->client, ==, "Second client");
}

static void
assert_export_of_all (const char *json)
{
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (om_json_parse (json, -1, &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (opportunities->len, ==, 2);
}

/* SPEC 8: an export writes through its target, whatever it is */
static void
test_export_through (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *db = option ("database", f->db);
  g_autofree char *real = write_file (f, "real.json", "old", -1);
  g_autofree char *link = g_build_filename (f->dir, "link.json", NULL);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.json", NULL);
  g_autofree char *fifo = g_build_filename (f->dir, "pipe", NULL);
  GStatBuf st;

  import_good (f);
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  {
    g_autofree char *export = option ("export", link);
    g_autofree char *contents = NULL;
    g_auto(Result) r = { 0 };

    run (f, &r, db, export, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (g_lstat (link, &st), ==, 0);
    g_assert_true (S_ISLNK (st.st_mode));
    g_assert_true (g_file_get_contents (real, &contents, NULL, NULL));
    assert_export_of_all (contents);
  }
  {
    /* internal notes in it: for the owner's eyes only */
    g_autofree char *export = option ("export", fresh);
    g_auto(Result) r = { 0 };

    run (f, &r, db, export, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpint (g_stat (fresh, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  }
  {
    g_autofree char *export = option ("export", fifo);
    g_autofree char *received = NULL;
    GThread *reader = om_test_read_file_in_thread (fifo);
    g_auto(Result) r = { 0 };

    run (f, &r, db, export, NULL);
    g_assert_cmpint (r.status, ==, 0);
    received = g_thread_join (reader);
    assert_export_of_all (received);
    g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
    g_assert_true (S_ISFIFO (st.st_mode));
  }
  {
    /* a folder and a full device are refused in one line; the device is
     * a copy of /dev/full, so that a mistake cannot replace the real one */
    g_autofree char *export = option ("export", f->dir);
    g_autofree char *full_path = g_build_filename (f->dir, "full", NULL);
    g_autofree char *export_full = option ("export", full_path);
    g_auto(Result) dir = { 0 };
    g_auto(Result) full = { 0 };

    run (f, &dir, db, export, NULL);
    assert_one_line_refusal (&dir, 1);
    if (mknod (full_path, S_IFCHR | 0600, makedev (1, 7)) == 0)
      {
        run (f, &full, db, export_full, NULL);
        assert_one_line_refusal (&full, 1);
        g_assert_cmpint (g_lstat (full_path, &st), ==, 0);
        g_assert_true (S_ISCHR (st.st_mode));
      }
  }
}

/* An ordinary user cannot create files in /dev: standard output is
 * written into, not replaced. (As nobody, so that a mistake cannot replace
 * the real /dev/stdout when the tests run as root.) */
static void
test_export_stdout (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *home = g_build_filename (f->dir, "nobody", NULL);
  g_autofree char *nobody_db = g_build_filename (home, "nobody.db", NULL);
  g_autofree char *db = option ("database", nobody_db);
  g_auto(Result) r = { 0 };

  g_assert_cmpint (g_mkdir (home, 0777), ==, 0);
  g_assert_cmpint (g_chmod (home, 0777), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0711), ==, 0);

  as_nobody = TRUE;
  run (f, &r, db, "--export=/dev/stdout", NULL);
  as_nobody = FALSE;

  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "{"));
  g_assert_nonnull (strstr (r.out, "\"opportunities\""));
}

/* An export that fails half-way (the disk is full) keeps the old file and
 * leaves no partial one */
static void
test_export_failure_keeps_old (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *db = option ("database", f->db);
  g_autofree char *big_notes = g_strnfill (200000, 'n');
  g_autofree char *document = g_strdup_printf ("{\"format\": \"oppmanager/1\", \"opportunities\": [{"
                                               "\"title\": \"Big\", \"client\": \"C\", \"start_date\": \"2026-01-05\","
                                               "\"notes\": \"%s\", \"stages\": []}]}", big_notes);
  g_autofree char *in = write_file (f, "big.json", document, -1);
  g_autofree char *import = option ("import", in);
  g_autofree char *target = write_file (f, "target.json", "old content", -1);
  g_autofree char *export = option ("export", target);
  g_autofree char *before = NULL;
  g_autofree char *contents = NULL;
  g_auto(Result) imported = { 0 };
  g_auto(Result) r = { 0 };

  run (f, &imported, db, import, NULL);
  g_assert_cmpint (imported.status, ==, 0);
  before = om_test_list_dir (f->dir, NULL);

  /* room for SQLite's shared memory, not for the export */
  file_size_limit = 100000;
  run (f, &r, db, export, NULL);
  file_size_limit = 0;

  assert_one_line_refusal (&r, 1);
  g_assert_nonnull (strstr (r.err, "target.json"));
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old content");
  {
    g_autofree char *after = om_test_list_dir (f->dir, NULL);
    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *db = option ("database", f->db);
  g_autofree char *bad = write_file (f, "bad.json",
                                     "{\"format\": \"oppmanager/1\", \"opportunities\": ["
                                     "{\"title\": \"A\", \"client\": \"B\", \"start_date\": \"2026-01-01\", \"stages\": ["
                                     "{\"activity\": \"x\", \"milestone\": \"y\", \"status\": \"lost\", \"decided_on\": \"2026-01-02\"}]}]}",
                                     -1);
  g_autofree char *not_json = write_file (f, "not.json", "{ \"format\": ", -1);
  g_autofree char *garbage_db = write_file (f, "garbage.db", "this is not a database at all, not even close, no no no"
                                                             "................................................", -1);
  g_autofree char *import_bad = option ("import", bad);
  g_autofree char *import_not_json = option ("import", not_json);
  g_autofree char *import_missing = option ("import", "/nonexistent/file.json");
  g_autofree char *garbage = option ("database", garbage_db);
  g_autofree char *export_unwritable = option ("export", "/nonexistent/dir/out.json");
  g_autoptr(GBytes) db_before = NULL;
  g_autoptr(GBytes) garbage_before = om_test_read_bytes (garbage_db);
  g_autoptr(GBytes) after = NULL;
  g_auto(Result) export_before = { 0 };
  g_auto(Result) export_after = { 0 };

  import_good (f);
  db_before = om_test_read_bytes (f->db);
  run (f, &export_before, db, "--export=-", NULL);

  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, import_bad, NULL);
    assert_one_line_refusal (&r, 1);
    g_assert_nonnull (strstr (r.err, "opportunities[0].stages[0]"));
  }
  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, import_not_json, NULL);
    assert_one_line_refusal (&r, 1);
  }
  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, import_missing, NULL);
    assert_one_line_refusal (&r, 1);
  }
  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, "--check", "--opportunity=99", NULL);
    assert_one_line_refusal (&r, 1);
  }
  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, export_unwritable, NULL);
    assert_one_line_refusal (&r, 1);
  }
  {
    g_auto(Result) r = { 0 };
    run (f, &r, garbage, "--list", NULL);
    assert_one_line_refusal (&r, 1);
    g_assert_nonnull (strstr (r.err, "not an Opportunity Manager database"));
    after = om_test_read_bytes (garbage_db);
    g_assert_true (g_bytes_equal (garbage_before, after));
    g_clear_pointer (&after, g_bytes_unref);
  }

  /* nothing changed */
  after = om_test_read_bytes (f->db);
  g_assert_true (g_bytes_equal (db_before, after));
  run (f, &export_after, db, "--export=-", NULL);
  g_assert_cmpstr (export_before.out, ==, export_after.out);
}

/* A backup on a read-only disk, a colleague's file: read, exported and
 * checked as it is; an import is refused in one line, and the file stays
 * byte for byte as it was. As nobody, for whom the permission bits
 * count even when the tests run as root. */
static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->dir, "read-only", NULL);
  g_autofree char *path = g_build_filename (folder, "colleague.db", NULL);
  g_autofree char *db = option ("database", path);
  g_autofree char *file = write_file (f, "good.json", good_document, -1);
  g_autofree char *import = option ("import", file);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_auto(Result) list_before = { 0 };
  g_auto(Result) export_before = { 0 };
  g_autoptr(GDir) dir = NULL;

  import_good (f);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (g_rename (f->db, path), ==, 0);
  run (f, &list_before, db, "--list", NULL);
  run (f, &export_before, db, "--export=-", NULL);
  g_assert_cmpint (list_before.status, ==, 0);
  before = om_test_read_bytes (path);

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0711), ==, 0);
  g_assert_cmpint (g_chmod (file, 0644), ==, 0);

  as_nobody = TRUE;
  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, "--list", NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, list_before.out);
  }
  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, "--export=-", NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, export_before.out);
  }
  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, "--check", "--opportunity=1", NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Result) r = { 0 };
    run (f, &r, db, import, NULL);
    assert_one_line_refusal (&r, 1);
    g_assert_nonnull (strstr (r.err, path));
    g_assert_nonnull (strstr (r.err, "is read-only"));
    g_assert_nonnull (strstr (r.err, "Nothing was changed"));
  }
  as_nobody = FALSE;

  after = om_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  /* nothing beside it either: no -wal, -shm or backup */
  dir = g_dir_open (folder, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "colleague.db");
  g_assert_null (g_dir_read_name (dir));
  g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
}

/* SPEC 8: only regular files are opened; nothing is made beside the others */
static void
test_refuse_not_a_file (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (f->dir, "fifo", NULL);
  g_autofree char *folder = g_build_filename (f->dir, "folder", NULL);
  const char *paths[] = { "/dev/null", folder, fifo };
  const char *says[] = { "device", "folder", "FIFO" };
  gboolean had_journal = g_file_test ("/dev/null-journal", G_FILE_TEST_EXISTS);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *db = option ("database", paths[i]);
      g_auto(Result) r = { 0 };

      run (f, &r, db, "--list", NULL);
      assert_one_line_refusal (&r, 1);
      g_assert_nonnull (strstr (r.err, paths[i]));
      g_assert_nonnull (strstr (r.err, says[i]));
    }
  g_assert_true (g_file_test ("/dev/null-journal", G_FILE_TEST_EXISTS) == had_journal);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  {
    g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
    g_assert_null (g_dir_read_name (dir));
  }
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  const char *cases[][3] = {
    { "--check", NULL, NULL },
    { "--list", "--check", NULL },
    { "--list", "--export=-", NULL },
    { "--bogus", NULL, NULL },
    { "--list", "extra", NULL },
    { "--check", "--opportunity=abc", NULL },
    { "--list", "--opportunity=1", NULL },
    { "--import", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) r = { 0 };
      g_autofree char *db = option ("database", f->db);

      run (f, &r, db, cases[i][0], cases[i][1], cases[i][2], NULL);
      assert_one_line_refusal (&r, 2);
    }

  /* no database was made by wrong usage */
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

/* A document of @n opportunities titled PREFIX-i, two stages each */
static char *
numbered_document (const char *prefix,
                   guint       n)
{
  GString *doc = g_string_new ("{ \"format\": \"oppmanager/1\", \"opportunities\": [\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (doc,
                            "%s{ \"title\": \"%s-%u\", \"client\": \"C\", \"start_date\": \"2026-01-05\","
                            " \"stages\": [ { \"activity\": \"A\", \"milestone\": \"M\" },"
                            " { \"activity\": \"B\", \"milestone\": \"N\" } ] }\n",
                            i > 0 ? "," : "", prefix, i);
  g_string_append (doc, "] }\n");
  return g_string_free (doc, FALSE);
}

static gint64
count_rows (sqlite3    *db,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* The ids an import printed, one a line, as a set */
static void
collect_ids (const Result *r,
             GHashTable   *seen)
{
  g_auto(GStrv) lines = g_strsplit (r->out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      /* no id is printed by both */
      g_assert_false (g_hash_table_contains (seen, lines[i]));
      g_hash_table_add (seen, g_strdup (lines[i]));
    }
}

static void
spawn_import (Fixture      *f,
              const char   *file,
              GSubprocess **process)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *data_home = g_build_filename (f->dir, "data-home", NULL);
  g_autofree char *db = option ("database", f->db);
  g_autofree char *import = option ("import", file);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  *process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("OPPMANAGER"), db, import, NULL);
  g_assert_no_error (error);
}

static void
finish_import (GSubprocess *process,
               Result      *r)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r->status = g_subprocess_get_exit_status (process);
}

/* R7: two imports into one file at once. Each either lands whole, with
 * ids of its own, or is refused with status 1 and leaves no trace;
 * neither is ever silently replaced by the other. */
static void
test_concurrent_imports (Fixture       *f,
                         gconstpointer  data)
{
  const guint n = 150;
  g_autofree char *doc_a = numbered_document ("A", n);
  g_autofree char *doc_b = numbered_document ("B", n);
  g_autofree char *file_a = write_file (f, "a.json", doc_a, -1);
  g_autofree char *file_b = write_file (f, "b.json", doc_b, -1);
  g_autofree char *db_option = option ("database", f->db);

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GSubprocess) a = NULL;
      g_autoptr(GSubprocess) b = NULL;
      g_auto(Result) ra = { 0 };
      g_auto(Result) rb = { 0 };
      g_auto(Result) created = { 0 };
      g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      sqlite3 *db = NULL;
      gint64 expected = 0;

      g_remove (f->db);
      run (f, &created, db_option, "--list", NULL);
      g_assert_cmpint (created.status, ==, 0);

      spawn_import (f, file_a, &a);
      spawn_import (f, file_b, &b);
      finish_import (a, &ra);
      finish_import (b, &rb);

      g_assert_true (ra.status == 0 || ra.status == 1);
      g_assert_true (rb.status == 0 || rb.status == 1);
      collect_ids (&ra, ids);
      collect_ids (&rb, ids);

      g_assert_cmpint (sqlite3_open_v2 (f->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      g_assert_cmpint (count_rows (db, "SELECT count(*) FROM opportunities WHERE title LIKE ?1", "A-%"),
                       ==, ra.status == 0 ? n : 0);
      g_assert_cmpint (count_rows (db, "SELECT count(*) FROM opportunities WHERE title LIKE ?1", "B-%"),
                       ==, rb.status == 0 ? n : 0);
      expected = (ra.status == 0 ? n : 0) + (rb.status == 0 ? n : 0);
      g_assert_cmpint (g_hash_table_size (ids), ==, expected);
      g_assert_cmpint (count_rows (db, "SELECT count(*) FROM opportunities", NULL), ==, expected);
      g_assert_cmpint (count_rows (db, "SELECT count(*) FROM stages", NULL), ==, 2 * expected);
      /* every stage is its own opportunity's */
      g_assert_cmpint (count_rows (db, "SELECT count(*) FROM (SELECT opportunity_id FROM stages"
                                       " GROUP BY opportunity_id HAVING count(*) != 2)", NULL), ==, 0);
      sqlite3_close (db);
    }
}

/* The peak memory (KB) of the command line run with @argv */
static long
peak_kb (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_environ_unsetenv (g_get_environ (), "DISPLAY");
  GPid pid;
  struct rusage usage;
  int status = 0;

  g_assert_true (g_spawn_async (NULL, (char **) argv, env,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return usage.ru_maxrss;
}

/* --export writes one opportunity at a time (issue 9): exporting 4,000
 * takes about the memory of exporting 40, far less than the document */
static void
test_export_streams (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GString) document = g_string_new ("{\"format\": \"oppmanager/1\", \"opportunities\": [");
  g_autofree char *json = g_build_filename (f->dir, "many.json", NULL);
  g_autofree char *small_db = g_build_filename (f->dir, "small.db", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out.json", NULL);
  g_autofree char *small_out = g_build_filename (f->dir, "small-out.json", NULL);
  g_autofree char *many_opt = g_strconcat ("--database=", f->db, NULL);
  g_autofree char *small_opt = g_strconcat ("--database=", small_db, NULL);
  g_autofree char *out_opt = g_strconcat ("--export=", out, NULL);
  g_autofree char *small_out_opt = g_strconcat ("--export=", small_out, NULL);
  g_autofree char *json_opt = g_strconcat ("--import=", json, NULL);
  const char *import_many[] = { om_test_oppmanager (), many_opt, json_opt, NULL };
  const char *export_small[] = { om_test_oppmanager (), small_opt, small_out_opt, NULL };
  const char *export_many[] = { om_test_oppmanager (), many_opt, out_opt, NULL };
  long small_kb, many_kb;
  GStatBuf st;

  for (guint i = 0; i < 4000; i++)
    {
      g_autofree char *title = g_strdup_printf ("Opportunity %u with a title long enough to count", i);

      g_string_append_printf (document, "%s{\"title\": \"%s\", \"client\": \"Client %u\", \"start_date\": \"2026-01-05\","
                              " \"notes\": \"%0500d\", \"stages\": [", i ? "," : "", title, i, 0);
      for (guint j = 0; j < 6; j++)
        g_string_append_printf (document, "%s{\"activity\": \"Activity %u\", \"milestone\": \"Milestone %u\"}",
                                j ? "," : "", j, j);
      g_string_append (document, "]}");
    }
  g_string_append (document, "]}");
  g_assert_true (g_file_set_contents (json, document->str, document->len, NULL));
  peak_kb (import_many);
  {
    g_autofree char *head = g_strndup (document->str, strstr (document->str, ",{\"title\": \"Opportunity 40 ") - document->str);
    g_autofree char *small_json = g_build_filename (f->dir, "small.json", NULL);
    g_autofree char *small_json_opt = g_strconcat ("--import=", small_json, NULL);
    const char *import_small[] = { om_test_oppmanager (), small_opt, small_json_opt, NULL };
    g_autofree char *closed = g_strconcat (head, "]}", NULL);

    g_assert_true (g_file_set_contents (small_json, closed, -1, NULL));
    peak_kb (import_small);
  }

  small_kb = peak_kb (export_small);
  many_kb = peak_kb (export_many);
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_test_message ("export peak: %ld KB for 40, %ld KB for 4,000; the document is %ld KB",
                  small_kb, many_kb, (long) st.st_size / 1024);
  g_assert_cmpint (st.st_size / 1024, >, 4000);
  /* SQLite's page cache and the last opportunities read: a few MB, not the document */
  g_assert_cmpint (many_kb - small_kb, <, st.st_size / 1024 / 2);
}

/* Another program holds the write lock past the busy timeout: the
 * import says so in one line, and the file is as it was */
static void
test_import_busy (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *file = write_file (f, "good.json", good_document, -1);
  g_autofree char *db = option ("database", f->db);
  g_autofree char *import = option ("import", file);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_auto(Result) r = { 0 };
  sqlite3 *holder = NULL;

  import_good (f);
  g_assert_cmpint (sqlite3_open (f->db, &holder), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
  before = om_test_read_bytes (f->db);

  run (f, &r, db, import, NULL);
  assert_one_line_refusal (&r, 1);
  g_assert_nonnull (strstr (r.err, "busy"));
  g_assert_nonnull (strstr (r.err, "try again"));
  g_assert_null (strstr (r.err, "rollback"));

  after = om_test_read_bytes (f->db);
  g_assert_true (g_bytes_equal (before, after));
  sqlite3_exec (holder, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (holder);
}

/* Issue 12: the views across opportunities from the command line, on a
 * fixed database (today is 2026-03-01 for every run): several
 * currencies, won and lost opportunities (left out), overdue
 * milestones, an agreed one, and the window's edges */
static const char across_document[] =
  "{\"format\": \"oppmanager/2\", \"opportunities\": [\n"
  " {\"title\": \"Fleet renewal\", \"client\": \"Nordic Ferries\", \"value\": \"1000.00\", \"currency\": \"EUR\",\n"
  "  \"start_date\": \"2026-02-01\", \"stages\": [\n"
  "   {\"activity\": \"A1\", \"milestone\": \"Explore\", \"owner\": \"Ann\", \"status\": \"won\", \"decided_on\": \"2026-02-05\"},\n"
  "   {\"activity\": \"A2\", \"milestone\": \"Process agreed\", \"owner\": \"José\", \"duration_days\": 7, \"probability\": 0.5},\n"
  "   {\"activity\": \"A3\", \"milestone\": \"Study\\tcommissioned\", \"owner\": \"Ann\", \"duration_days\": 14, \"probability\": 0.5},\n"
  "   {\"activity\": \"A4\", \"milestone\": \"Proposal accepted\", \"owner\": \"Mia\", \"duration_days\": 14, \"probability\": 0.8},\n"
  "   {\"activity\": \"A5\", \"milestone\": \"Contract signed\", \"owner\": \"Ann\", \"duration_days\": 10, \"probability\": 0.9}]},\n"
  " {\"title\": \"Harbour cranes\", \"client\": \"Port\", \"value\": \"2500.50\", \"currency\": \"USD\",\n"
  "  \"start_date\": \"2026-02-20\", \"stages\": [\n"
  "   {\"activity\": \"B1\", \"milestone\": \"Site visit\", \"owner\": \"ann\", \"duration_days\": 9, \"probability\": 0.6},\n"
  "   {\"activity\": \"B2\", \"milestone\": \"Order placed\", \"owner\": \"Bo\", \"agreed_date\": \"2026-03-15\", \"probability\": 0.5}]},\n"
  " {\"title\": \"Won deal\", \"client\": \"C\", \"value\": \"10.00\", \"start_date\": \"2026-02-01\", \"stages\": [\n"
  "   {\"activity\": \"W1\", \"milestone\": \"Won\", \"owner\": \"Ann\", \"status\": \"won\", \"decided_on\": \"2026-02-10\"}]},\n"
  " {\"title\": \"Lost deal\", \"client\": \"C\", \"value\": \"50.00\", \"start_date\": \"2026-02-01\", \"stages\": [\n"
  "   {\"activity\": \"L1\", \"milestone\": \"Lost\", \"owner\": \"Ann\", \"status\": \"lost\", \"decided_on\": \"2026-02-10\",\n"
  "    \"lost_reason\": \"Budget\"},\n"
  "   {\"activity\": \"L2\", \"milestone\": \"Never\", \"owner\": \"Ann\", \"duration_days\": 20}]},\n"
  " {\"title\": \"Tokyo office\", \"client\": \"K\", \"value\": \"3000000\", \"currency\": \"JPY\",\n"
  "  \"start_date\": \"2026-03-01\", \"stages\": [\n"
  "   {\"activity\": \"T1\", \"milestone\": \"Agreed\", \"owner\": \"Ann\", \"duration_days\": 45, \"probability\": 0.25}]},\n"
  " {\"title\": \"Spring fair\", \"client\": \"F\", \"value\": \"99.99\", \"currency\": \"EUR\",\n"
  "  \"start_date\": \"2026-03-01\", \"stages\": [\n"
  "   {\"activity\": \"S1\", \"milestone\": \"Booked\", \"owner\": \"Mia\", \"duration_days\": 40, \"probability\": 0.5}]}\n"
  "]}\n";

static void
import_across (Fixture *f)
{
  g_autofree char *file = write_file (f, "across.json", across_document, -1);
  g_autofree char *db = option ("database", f->db);
  g_autofree char *import = option ("import", file);
  g_auto(Result) r = { 0 };

  run (f, &r, db, import, NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "1\n2\n3\n4\n5\n6\n");
}

static void
assert_output (Fixture    *f,
               const char *expected,
               const char *first,
               ...)
{
  g_autofree char *db = option ("database", f->db);
  const char *args[5] = { NULL };
  g_auto(Result) r = { 0 };
  va_list ap;

  va_start (ap, first);
  args[0] = first;
  for (guint i = 1; i < G_N_ELEMENTS (args) - 1 && args[i - 1] != NULL; i++)
    args[i] = va_arg (ap, const char *);
  va_end (ap);
  run (f, &r, db, args[0], args[1], args[2], args[3], NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, expected);
}

static void
test_agenda (Fixture       *f,
             gconstpointer  data)
{
  import_across (f);

  /* 14 days by default: up to 2026-03-15, that day included; the
   * overdue ones first; won and lost opportunities left out */
  assert_output (f,
                 "2026-02-12\toverdue\t1\t2\tJosé\tFleet renewal\tProcess agreed\n"
                 "2026-02-26\toverdue\t1\t3\tAnn\tFleet renewal\tStudy\\tcommissioned\n"
                 "2026-03-01\tdue\t2\t1\tann\tHarbour cranes\tSite visit\n"
                 "2026-03-12\tdue\t1\t4\tMia\tFleet renewal\tProposal accepted\n"
                 "2026-03-15\tdue\t2\t2\tBo\tHarbour cranes\tOrder placed\n",
                 "--agenda", NULL);
  /* a salesperson's, however the name is cased */
  assert_output (f,
                 "2026-02-26\toverdue\t1\t3\tAnn\tFleet renewal\tStudy\\tcommissioned\n"
                 "2026-03-01\tdue\t2\t1\tann\tHarbour cranes\tSite visit\n",
                 "--agenda", "--owner=ANN", NULL);
  /* a shorter and a longer window */
  assert_output (f,
                 "2026-02-12\toverdue\t1\t2\tJosé\tFleet renewal\tProcess agreed\n"
                 "2026-02-26\toverdue\t1\t3\tAnn\tFleet renewal\tStudy\\tcommissioned\n"
                 "2026-03-01\tdue\t2\t1\tann\tHarbour cranes\tSite visit\n",
                 "--agenda", "--days=1", NULL);
  assert_output (f,
                 "2026-02-26\toverdue\t1\t3\tAnn\tFleet renewal\tStudy\\tcommissioned\n"
                 "2026-03-01\tdue\t2\t1\tann\tHarbour cranes\tSite visit\n"
                 "2026-03-22\tdue\t1\t5\tAnn\tFleet renewal\tContract signed\n",
                 "--agenda", "--days=30", "--owner=ann", NULL);
  assert_output (f, "", "--agenda", "--owner=Nobody", NULL);
}

static void
test_pipeline (Fixture       *f,
               gconstpointer  data)
{
  import_across (f);

  /* by month of close date, then currency; never a sum of two
   * currencies; weighted with the chain probability, rounded to the
   * cent (Spring fair: 49.995 is 50.00) */
  assert_output (f,
                 "EUR\t2026-03\t1\t1000.00\t180.00\n"
                 "USD\t2026-03\t1\t2500.50\t750.15\n"
                 "EUR\t2026-04\t1\t99.99\t50.00\n"
                 "JPY\t2026-04\t1\t3000000.00\t750000.00\n",
                 "--pipeline", NULL);
}

static void
test_agenda_usage (Fixture       *f,
                   gconstpointer  data)
{
  const char *cases[][3] = {
    { "--agenda", "--days=0", NULL },
    { "--agenda", "--days=-3", NULL },
    { "--agenda", "--days=abc", NULL },
    { "--agenda", "--days=1.5", NULL },
    { "--agenda", "--days=+2", NULL },
    { "--agenda", "--days=", NULL },
    { "--agenda", "--days=99999999999", NULL },
    { "--agenda", "--owner=", NULL },
    { "--agenda", "--owner=  ", NULL },
    { "--agenda", "--owner", NULL },
    { "--list", "--owner=Ann", NULL },
    { "--pipeline", "--days=3", NULL },
    { "--agenda", "--pipeline", NULL },
    { "--pipeline", "--opportunity=1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) r = { 0 };
      g_autofree char *db = option ("database", f->db);

      run (f, &r, db, cases[i][0], cases[i][1], cases[i][2], NULL);
      assert_one_line_refusal (&r, 2);
    }
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/cli/export/streams", test_export_streams);
  ADD ("/cli/import/busy", test_import_busy);
  ADD ("/cli/version", test_version);
  ADD ("/cli/default-database", test_default_database);
  ADD ("/cli/import-list-check", test_import_list_check);
  ADD ("/cli/list-check-escape", test_list_check_escape);
  ADD ("/cli/export", test_export);
  ADD ("/cli/export/through-target", test_export_through);
  ADD ("/cli/export/stdout", test_export_stdout);
  ADD ("/cli/export/failure-keeps-old", test_export_failure_keeps_old);
  ADD ("/cli/refusals", test_refusals);
  ADD ("/cli/usage", test_usage);
  ADD ("/cli/refuse-not-a-file", test_refuse_not_a_file);
  ADD ("/cli/read-only", test_read_only);
  ADD ("/cli/concurrent-imports", test_concurrent_imports);
  ADD ("/cli/agenda", test_agenda);
  ADD ("/cli/pipeline", test_pipeline);
  ADD ("/cli/agenda/usage", test_agenda_usage);
#undef ADD

  return g_test_run ();
}
