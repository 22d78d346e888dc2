/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* setresuid */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include "om-export-file.h"
#include "om-test-support.h"

/*
 * SPEC section 8: exports write through their target, create new files
 * for their owner only, and leave no partial file when they fail. The
 * tests run as root, where permission bits stop nothing: failures come
 * from a writer that fails half-way, /dev/full, and a child that drops
 * its privileges.
 */

static void
assert_one_line (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_new_file_private (void)
{
  g_autofree char *dir = om_test_make_dir ("export");
  g_autofree char *path = g_build_filename (dir, "export.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  om_export_file_set_contents (path, "{\"new\": 1}\n", 11, &error);
  g_assert_no_error (error);
  contents = om_test_read_file (path);
  g_assert_cmpstr (contents, ==, "{\"new\": 1}\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_true (S_ISREG (st.st_mode));

  /* nothing else was left in the folder */
  {
    g_autofree char *names = om_test_list_dir (dir, NULL);
    g_assert_cmpstr (names, ==, "export.json");
  }
  om_test_remove_tree (dir);
}

static void
test_existing_file_keeps_mode (void)
{
  g_autofree char *dir = om_test_make_dir ("export");
  g_autofree char *path = g_build_filename (dir, "shared.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (path, "a much longer old content than the new one", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);

  om_export_file_set_contents (path, "new", 3, &error);
  g_assert_no_error (error);
  contents = om_test_read_file (path);
  g_assert_cmpstr (contents, ==, "new");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  om_test_remove_tree (dir);
}

static void
test_symlink_stays (void)
{
  g_autofree char *dir = om_test_make_dir ("export");
  g_autofree char *real = g_build_filename (dir, "real.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  g_autofree char *chain = g_build_filename (dir, "chain.json", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.json", NULL);
  g_autofree char *created = g_build_filename (dir, "created.json", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (real, "old", -1, NULL));
  /* a relative link, and a link to that link */
  g_assert_cmpint (symlink ("real.json", link), ==, 0);
  g_assert_cmpint (symlink (link, chain), ==, 0);

  om_export_file_set_contents (chain, "through", 7, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_lstat (chain, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  {
    g_autofree char *contents = om_test_read_file (real);
    g_assert_cmpstr (contents, ==, "through");
  }

  /* a link to a file that does not exist yet creates that file */
  g_assert_cmpint (symlink ("created.json", dangling), ==, 0);
  om_export_file_set_contents (dangling, "made", 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_lstat (dangling, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (created, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  {
    g_autofree char *contents = om_test_read_file (created);
    g_assert_cmpstr (contents, ==, "made");
  }
  om_test_remove_tree (dir);
}

static void
test_fifo (void)
{
  g_autofree char *dir = om_test_make_dir ("export");
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_autofree char *received = NULL;
  g_autoptr(GError) error = NULL;
  GThread *reader;
  GStatBuf st;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  reader = om_test_read_file_in_thread (fifo);
  om_export_file_set_contents (fifo, "into the pipe", 13, &error);
  g_assert_no_error (error);
  received = g_thread_join (reader);
  g_assert_cmpstr (received, ==, "into the pipe");

  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  om_test_remove_tree (dir);
}

static void
test_directory_refused (void)
{
  g_autofree char *dir = om_test_make_dir ("export");
  g_autoptr(GError) error = NULL;

  g_assert_false (om_export_file_set_contents (dir, "x", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  assert_one_line (error);
  {
    g_autofree char *names = om_test_list_dir (dir, NULL);
    g_assert_cmpstr (names, ==, "");
  }
  om_test_remove_tree (dir);
}

static gboolean
fail_half_way (GOutputStream *stream,
               gpointer       user_data,
               GError       **error)
{
  if (!g_output_stream_write_all (stream, "partial content", 15, NULL, NULL, error))
    return FALSE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "No space left on device");
  return FALSE;
}

static void
test_failure_leaves_nothing (void)
{
  g_autofree char *dir = om_test_make_dir ("export");
  g_autofree char *existing = g_build_filename (dir, "existing.json", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.json", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;

  g_assert_true (g_file_set_contents (existing, "old content", -1, NULL));
  g_assert_cmpint (g_stat (existing, &before), ==, 0);

  g_assert_false (om_export_file_write (existing, fail_half_way, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  assert_one_line (error);
  g_assert_nonnull (strstr (error->message, "existing.json"));
  g_clear_error (&error);

  g_assert_false (om_export_file_write (fresh, fail_half_way, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);

  /* the old file as it was, the same file, and no temporary file */
  {
    g_autofree char *contents = om_test_read_file (existing);
    g_autofree char *names = om_test_list_dir (dir, NULL);

    g_assert_cmpstr (contents, ==, "old content");
    g_assert_cmpint (g_stat (existing, &after), ==, 0);
    g_assert_cmpuint (before.st_ino, ==, after.st_ino);
    g_assert_cmpstr (names, ==, "existing.json");
  }
  om_test_remove_tree (dir);
}

/* A device is written into, never replaced, and its error is reported.
 * A copy of /dev/full, so that a mistake cannot replace the real one. */
static void
test_device_full (void)
{
  g_autofree char *dir = om_test_make_dir ("export");
  g_autofree char *full = g_build_filename (dir, "full", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (mknod (full, S_IFCHR | 0600, makedev (1, 7)) != 0)
    {
      g_test_skip ("cannot make a device here");
      om_test_remove_tree (dir);
      return;
    }
  g_assert_false (om_export_file_set_contents (full, "x", 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  assert_one_line (error);
  g_assert_cmpint (g_lstat (full, &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  om_test_remove_tree (dir);
}

static void
drop_privileges (void)
{
  if (setresgid (65534, 65534, 65534) != 0 || setresuid (65534, 65534, 65534) != 0)
    g_error ("could not become nobody: %s", g_strerror (errno));
}

static char *child_dir;

/* The folder is another user's: the file in it could be written in place,
 * but not replaced as a whole, and nothing may be left half-written */
static void
test_read_only_folder (void)
{
  g_autofree char *existing = g_build_filename (child_dir, "existing.json", NULL);

  g_assert_true (g_file_set_contents (existing, "old content", -1, NULL));
  g_assert_cmpint (g_chmod (existing, 0666), ==, 0);
  /* as root, the child becomes nobody; otherwise the folder is made
   * read-only for its owner too */
  g_assert_cmpint (g_chmod (child_dir, getuid () == 0 ? 0755 : 0555), ==, 0);

  g_test_trap_subprocess ("/export-file/read-only-folder/child", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_assert_cmpint (g_chmod (child_dir, 0700), ==, 0);
  g_test_trap_assert_passed ();

  {
    g_autofree char *contents = om_test_read_file (existing);
    g_autofree char *names = om_test_list_dir (child_dir, NULL);

    g_assert_cmpstr (contents, ==, "old content");
    g_assert_cmpstr (names, ==, "existing.json");
  }
  g_remove (existing);
}


static void
test_read_only_folder_child (void)
{
  g_autofree char *existing = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    return;
  existing = g_build_filename (child_dir, "existing.json", NULL);
  if (getuid () == 0)
    drop_privileges ();

  /* the file could be written in place, but not replaced as a whole */
  g_assert_false (om_export_file_set_contents (existing, "new", 3, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  assert_one_line (error);
}

static void
test_standard_output (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;

      /* the pipe belongs to the parent; an ordinary user cannot open
       * /dev/stdout anew, but can write into it */
      if (getuid () == 0)
        drop_privileges ();
      om_export_file_set_contents ("-", "dash|", 5, &error);
      g_assert_no_error (error);
      om_export_file_set_contents ("/dev/stdout", "dev-stdout|", 11, &error);
      g_assert_no_error (error);
      om_export_file_set_contents ("/dev/fd/1", "dev-fd-1", 8, &error);
      g_assert_no_error (error);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("dash|dev-stdout|dev-fd-1");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* the child of the read-only test finds its folder here */
  if (g_getenv ("OM_TEST_EXPORT_DIR") == NULL)
    {
      child_dir = om_test_make_dir ("export");
      g_setenv ("OM_TEST_EXPORT_DIR", child_dir, TRUE);
    }
  else
    child_dir = g_strdup (g_getenv ("OM_TEST_EXPORT_DIR"));

  g_test_add_func ("/export-file/new-file-private", test_new_file_private);
  g_test_add_func ("/export-file/existing-file-keeps-mode", test_existing_file_keeps_mode);
  g_test_add_func ("/export-file/symlink-stays", test_symlink_stays);
  g_test_add_func ("/export-file/fifo", test_fifo);
  g_test_add_func ("/export-file/directory-refused", test_directory_refused);
  g_test_add_func ("/export-file/failure-leaves-nothing", test_failure_leaves_nothing);
  g_test_add_func ("/export-file/device-full", test_device_full);
  g_test_add_func ("/export-file/read-only-folder", test_read_only_folder);
  g_test_add_func ("/export-file/read-only-folder/child", test_read_only_folder_child);
  g_test_add_func ("/export-file/standard-output", test_standard_output);
  status = g_test_run ();

  if (!g_test_subprocess ())
    om_test_remove_tree (child_dir);
  g_free (child_dir);
  return status;
}
