/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-store"
#define _GNU_SOURCE /* O_TMPFILE */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "om-export-file.h"
#include "om-model.h"

/*
 * Every export (JSON, the summary PDF; from the command line or the
 * window) is written here, so that all of them keep the promises of SPEC
 * section 8:
 *
 * - the export is written *through* its target: a symbolic link stays a
 *   link and the file it names gets the content; a FIFO, a terminal or
 *   standard output (`-`, `/dev/stdout`) gets the bytes written into it;
 * - a regular file is replaced only once the whole export is on disk: it
 *   is written to an unnamed (or, where the file system cannot, hidden)
 *   file in the target's folder, synced, and renamed over the target.
 *   A failure or an interruption leaves the target as it was and no
 *   temporary file behind;
 * - a new file is readable by its owner only (exports hold internal
 *   notes); a file that existed keeps its permission bits.
 */

#define MAX_LINKS 40
#define TEMP_PREFIX   ".oppmanager-export-"
#define TEMP_TEMPLATE TEMP_PREFIX "XXXXXX"

static gboolean
fail_errno (GError    **error,
            int         saved_errno,
            const char *path)
{
  g_autofree char *shown = om_text_escape_line (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: %s is a file name, then the system's reason */
               _("Could not write “%s”: %s"), shown, g_strerror (saved_errno));
  return FALSE;
}

/* Standard output and its aliases name a descriptor we already hold;
 * opening them anew would fail for a pipe that another user's process
 * created, and would truncate a file that the shell opened to append. */
static int
descriptor_of (const char *path)
{
  const char *prefixes[] = { "/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/" };

  if (strcmp (path, "-") == 0 || strcmp (path, "/dev/stdout") == 0)
    return STDOUT_FILENO;
  if (strcmp (path, "/dev/stderr") == 0)
    return STDERR_FILENO;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (path, prefixes[i]))
      {
        const char *digits = path + strlen (prefixes[i]);
        guint64 fd;

        if (g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT, &fd, NULL))
          return (int) fd;
      }
  return -1;
}

/* Follows @path's symbolic links to the name of the file they lead to,
 * which need not exist yet (a dangling link creates its target). Sets
 * @fd when the chain leads to a descriptor of ours. */
static char *
resolve (const char *path,
         int        *fd,
         GError    **error)
{
  g_autofree char *current = g_strdup (path);

  *fd = -1;
  for (guint hops = 0; hops <= MAX_LINKS; hops++)
    {
      GStatBuf st;
      g_autofree char *target = NULL;

      *fd = descriptor_of (current);
      if (*fd >= 0)
        return g_steal_pointer (&current);
      if (g_lstat (current, &st) != 0)
        {
          int saved_errno = errno;

          if (saved_errno == ENOENT)
            return g_steal_pointer (&current);
          fail_errno (error, saved_errno, path);
          return NULL;
        }
      if (!S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);

      target = g_file_read_link (current, NULL);
      if (target == NULL)
        {
          fail_errno (error, errno, path);
          return NULL;
        }
      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_steal_pointer (&target);
        }
      else
        {
          g_autofree char *dir = g_path_get_dirname (current);

          g_free (current);
          current = g_build_filename (dir, target, NULL);
        }
    }
  fail_errno (error, ELOOP, path);
  return NULL;
}

/* Runs @writer on @fd, which stays open */
static gboolean
write_fd (int             fd,
          const char     *path,
          OmExportWriter  writer,
          gpointer        user_data,
          GError        **error)
{
  g_autoptr(GOutputStream) stream = g_unix_output_stream_new (fd, FALSE);
  g_autoptr(GError) local_error = NULL;

  if (!writer (stream, user_data, &local_error) ||
      !g_output_stream_close (stream, NULL, &local_error))
    {
      g_autofree char *shown = om_text_escape_line (path);

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not write “%s”: "), shown);
      return FALSE;
    }
  return TRUE;
}

/* A FIFO, a terminal, a device: what is written is the export, as it is
 * written; there is nothing to replace */
static gboolean
write_in_place (const char     *resolved,
                const char     *path,
                OmExportWriter  writer,
                gpointer        user_data,
                GError        **error)
{
  int fd = g_open (resolved, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return fail_errno (error, errno, path);
  ok = write_fd (fd, path, writer, user_data, error);
  if (close (fd) != 0 && ok)
    return fail_errno (error, errno, path);
  return ok;
}

/* A file with no name in @dir, which disappears with its descriptor
 * whatever happens to the process; -1 where the file system has none */
static int
open_unnamed (const char *dir,
              int        *saved_errno)
{
#ifdef O_TMPFILE
  int fd;

  /* giving it a name later goes through /proc */
  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    return -1;
  fd = g_open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    *saved_errno = errno;
  return fd;
#else
  return -1;
#endif
}

/* Gives the unnamed file @fd a hidden name in @dir */
static char *
name_unnamed (int         fd,
              const char *dir,
              int        *saved_errno)
{
  g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", fd);

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *name = g_strdup_printf (TEMP_PREFIX "%08x", g_random_int ());
      g_autofree char *temp = g_build_filename (dir, name, NULL);

      if (linkat (AT_FDCWD, proc, AT_FDCWD, temp, AT_SYMLINK_FOLLOW) == 0)
        return g_steal_pointer (&temp);
      if (errno != EEXIST)
        break;
    }
  *saved_errno = errno;
  return NULL;
}

static void
sync_dir (const char *dir)
{
  /* the rename itself is durable only once the folder is; a failure here
   * loses nothing that was there before, hence no error */
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* A regular file, or a new one: written beside it, then renamed over it */
static gboolean
replace (const char     *resolved,
         mode_t          mode,
         const char     *path,
         OmExportWriter  writer,
         gpointer        user_data,
         GError        **error)
{
  g_autofree char *dir = g_path_get_dirname (resolved);
  g_autofree char *temp = NULL;
  int saved_errno = 0;
  int fd;

  fd = open_unnamed (dir, &saved_errno);
  if (fd < 0 && saved_errno != 0)
    return fail_errno (error, saved_errno, path);
  if (fd < 0)
    {
      temp = g_build_filename (dir, TEMP_TEMPLATE, NULL);
      fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
      if (fd < 0)
        return fail_errno (error, errno, path);
    }

  /* exactly these bits, whatever the umask */
  if (fchmod (fd, mode) != 0)
    {
      saved_errno = errno;
      goto failed_errno;
    }
  if (!write_fd (fd, path, writer, user_data, error))
    goto failed;
  if (fsync (fd) != 0)
    {
      saved_errno = errno;
      goto failed_errno;
    }
  if (temp == NULL)
    {
      temp = name_unnamed (fd, dir, &saved_errno);
      if (temp == NULL)
        goto failed_errno;
    }
  if (close (fd) != 0)
    {
      fd = -1;
      saved_errno = errno;
      goto failed_errno;
    }
  fd = -1;
  if (g_rename (temp, resolved) != 0)
    {
      saved_errno = errno;
      goto failed_errno;
    }
  sync_dir (dir);
  return TRUE;

failed_errno:
  fail_errno (error, saved_errno, path);
failed:
  if (fd >= 0)
    close (fd);
  if (temp != NULL)
    g_unlink (temp);
  return FALSE;
}

/**
 * om_export_file_write:
 * @path: a file name; `-` is standard output
 * @writer: writes the export into the stream it is given
 * @user_data: for @writer
 * @error: why the export failed, in one line that names @path
 *
 * Writes an export through @path, as SPEC section 8 says: through its
 * symbolic links, into a FIFO or device as it is, and for a regular or new
 * file all at once or not at all, a new file readable by its owner only.
 * A folder is refused.
 *
 * Returns: %TRUE when the whole export was written
 */
gboolean
om_export_file_write (const char     *path,
                      OmExportWriter  writer,
                      gpointer        user_data,
                      GError        **error)
{
  g_autofree char *resolved = NULL;
  GStatBuf st;
  int fd = -1;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  resolved = resolve (path, &fd, error);
  if (resolved == NULL)
    return FALSE;
  if (fd >= 0)
    return write_fd (fd, path, writer, user_data, error);

  if (g_stat (resolved, &st) != 0)
    {
      if (errno != ENOENT)
        return fail_errno (error, errno, path);
      return replace (resolved, 0600, path, writer, user_data, error);
    }
  if (S_ISDIR (st.st_mode))
    {
      g_autofree char *shown = om_text_escape_line (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("Could not write “%s”: it is a folder; give the name of a file."), shown);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    return write_in_place (resolved, path, writer, user_data, error);
  /* the permission bits, not set-id or sticky ones */
  return replace (resolved, st.st_mode & 0777, path, writer, user_data, error);
}

typedef struct
{
  const char *contents;
  gsize       length;
} Contents;

static gboolean
write_contents (GOutputStream *stream,
                gpointer       user_data,
                GError       **error)
{
  Contents *contents = user_data;

  return g_output_stream_write_all (stream, contents->contents, contents->length, NULL, NULL, error);
}

/**
 * om_export_file_set_contents:
 *
 * om_export_file_write() for an export that is already in memory.
 */
gboolean
om_export_file_set_contents (const char  *path,
                             const char  *contents,
                             gsize        length,
                             GError     **error)
{
  Contents c = { contents, length };

  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  return om_export_file_write (path, write_contents, &c, error);
}

/**
 * om_export_each_opportunity:
 * @status: the #OmOpportunityStatus of those to export, or -1 for all
 *
 * Calls @each on every opportunity of @backend (with @status), oldest
 * first, reading one at a time and letting it go before the next: an
 * export of 100,000 opportunities takes the memory of one and their
 * ids. One removed by another program meanwhile is not part of the
 * export any more.
 */
gboolean
om_export_each_opportunity (OmBackend    *backend,
                            int           status,
                            OmExportEach  each,
                            gpointer      user_data,
                            GError      **error)
{
  g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (status, NULL, OM_ORDER_ID);
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (OM_IS_BACKEND (backend), FALSE);
  g_return_val_if_fail (each != NULL, FALSE);

  ids = om_backend_list_ids (backend, query, error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(OmOpportunityData) data = om_backend_load_opportunity (backend, g_array_index (ids, gint64, i),
                                                                       &local_error);

      if (data == NULL)
        {
          if (g_error_matches (local_error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!each (data, user_data, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * om_export_load_opportunity:
 *
 * Reads the one opportunity an export is asked for, before anything is
 * written, so that a wrong id leaves no file.
 *
 * Returns: (transfer full) (nullable): opportunity @id
 */
OmOpportunityData *
om_export_load_opportunity (OmBackend *backend,
                            gint64     id,
                            GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  OmOpportunityData *data;

  g_return_val_if_fail (OM_IS_BACKEND (backend), NULL);

  data = om_backend_load_opportunity (backend, id, &local_error);
  if (data == NULL && g_error_matches (local_error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                   _("There is no opportunity with id %s."), number);
    }
  else if (data == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return data;
}

/**
 * om_export_file_to_gfile:
 * @file: where the person chose to save, on this computer or not (a
 *   network share, a phone: whatever the file chooser offers)
 * @export: writes the export to a local path
 *
 * A local file is written by @export itself (through its target, with
 * no partial file left, see om_export_file_write()). Elsewhere, the
 * export is written to a private file of this computer first, then
 * copied over @file as a whole, so that a failure on the way leaves
 * @file as it was.
 */
gboolean
om_export_file_to_gfile (GFile         *file,
                         OmPathExport   export,
                         gpointer       user_data,
                         GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *local = NULL;
  g_autoptr(GFile) copy = NULL;
  gboolean ok;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path != NULL)
    return export (path, user_data, error);

  dir = g_dir_make_tmp ("oppmanager-export-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  name = g_file_get_basename (file);
  local = g_build_filename (dir, name != NULL && *name != '\0' && *name != '/' ? name : "export", NULL);
  ok = export (local, user_data, error);
  if (ok)
    {
      copy = g_file_new_for_path (local);
      ok = g_file_copy (copy, file, G_FILE_COPY_OVERWRITE | G_FILE_COPY_TARGET_DEFAULT_PERMS, NULL, NULL, NULL,
                        error);
    }
  g_unlink (local);
  g_rmdir (dir);
  return ok;
}
