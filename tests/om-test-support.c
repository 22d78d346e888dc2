/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* setresuid */
#define G_LOG_DOMAIN "om-test-support"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "om-test-support.h"

/*
 * What the tests share below the window. Every helper asserts what it
 * needs, so that a test reads as the steps a user takes.
 */

/* Dates */

/**
 * om_test_date:
 * @iso: a date as YYYY-MM-DD, which must be valid
 *
 * Returns: the date
 */
OmDate
om_test_date (const char *iso)
{
  OmDate d = 0;

  g_assert_true (om_date_parse (iso, &d));
  return d;
}

/**
 * om_test_day:
 *
 * Returns: the day @offset days after %OM_TEST_START (before, when negative)
 */
OmDate
om_test_day (int offset)
{
  return (OmDate) ((gint64) om_test_date (OM_TEST_START) + offset);
}

/**
 * om_test_set_today:
 *
 * Makes the model take om_test_day (@offset) for today.
 */
void
om_test_set_today (int offset)
{
  om_date_set_today (om_test_day (offset));
}

/* Plans */

/**
 * om_test_stage_new:
 *
 * Returns: (transfer full): pending stage "Activity @n" ("Milestone @n"),
 *   owned by Ann, 7 days long and 90% likely
 */
OmStageData *
om_test_stage_new (guint n)
{
  g_autofree char *activity = g_strdup_printf ("Activity %u", n);
  g_autofree char *milestone = g_strdup_printf ("Milestone %u", n);
  OmStageData *stage = om_stage_data_new (activity, milestone);

  g_free (stage->owner);
  stage->owner = g_strdup ("Ann");
  stage->probability = 0.9;
  return stage;
}

/**
 * om_test_plan_new:
 *
 * Returns: (transfer full): opportunity @title for client ACME, starting
 *   on %OM_TEST_START, of @n_stages stages om_test_stage_new (1)...
 */
OmOpportunityData *
om_test_plan_new (const char *title,
                  guint       n_stages)
{
  OmOpportunityData *data = om_opportunity_data_new (title, "ACME", om_test_date (OM_TEST_START));

  for (guint i = 0; i < n_stages; i++)
    g_ptr_array_add (data->stages, om_test_stage_new (i + 1));
  return data;
}

/**
 * om_test_create:
 * @data: an opportunity that @repository must accept
 *
 * Returns: (transfer none): the opportunity made of @data in @repository
 */
OmOpportunity *
om_test_create (OmRepository            *repository,
                const OmOpportunityData *data)
{
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp = om_repository_create_opportunity (repository, data, &error);

  g_assert_no_error (error);
  g_assert_true (OM_IS_OPPORTUNITY (opp));
  return opp;
}

/* Files and folders */

/**
 * om_test_make_dir:
 * @name: what the folder is for ("cli", "database"...)
 *
 * Returns: (transfer full): a new private folder under the temporary
 *   folder, "om-test-@name-XXXXXX"; om_test_remove_tree() removes it
 */
char *
om_test_make_dir (const char *name)
{
  g_autofree char *tmpl = g_strdup_printf ("om-test-%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

/**
 * om_test_remove_tree:
 *
 * Removes @path and whatever it holds, quietly: what cannot be removed
 * stays (a test's leftovers never fail another test).
 */
void
om_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        om_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * om_test_list_dir:
 * @path: a folder that must exist
 * @ignored_prefix: (nullable): names that begin with it are left out
 *
 * Returns: (transfer full): the names in @path, sorted, separated by
 *   spaces
 */
char *
om_test_list_dir (const char *path,
                  const char *ignored_prefix)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (ignored_prefix == NULL || !g_str_has_prefix (name, ignored_prefix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/**
 * om_test_read_file:
 *
 * Returns: (transfer full): the contents of @path, which must be readable
 */
char *
om_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/**
 * om_test_read_bytes:
 *
 * Returns: (transfer full): the bytes of @path, which must be readable
 */
GBytes *
om_test_read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static gpointer
read_file_thread (gpointer path)
{
  g_autofree char *owned = path;

  return om_test_read_file (owned);
}

/**
 * om_test_read_file_in_thread:
 * @path: a file to read, a pipe usually, whose writer is yet to come
 *
 * Returns: (transfer full): the thread reading @path; g_thread_join()
 *   returns what om_test_read_file() would (free it with g_free())
 */
GThread *
om_test_read_file_in_thread (const char *path)
{
  return g_thread_new ("om-test-reader", read_file_thread, g_strdup (path));
}

/* Signals, recorded */

struct _OmTestRecorder
{
  GPtrArray *objects;   /* watched instances, a ref each */
  GArray    *handlers;  /* gulong, one per object */
  GPtrArray *events;    /* "label:what" */
};

typedef struct
{
  OmTestRecorder *recorder;
  char           *label;
} Tap;

static void
tap_free (gpointer  data,
          GClosure *closure)
{
  Tap *tap = data;

  g_free (tap->label);
  g_free (tap);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           Tap        *tap)
{
  g_ptr_array_add (tap->recorder->events, g_strdup_printf ("%s:%s", tap->label, pspec->name));
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Tap        *tap)
{
  g_ptr_array_add (tap->recorder->events,
                   g_strdup_printf ("%s:items-changed(%u,%u,%u)", tap->label, position, removed, added));
}

static void
recorder_tap (OmTestRecorder *self,
              gpointer        instance,
              const char     *signal,
              GCallback       callback,
              const char     *label)
{
  Tap *tap = g_new0 (Tap, 1);
  gulong id;

  tap->recorder = self;
  tap->label = g_strdup (label);
  id = g_signal_connect_data (instance, signal, callback, tap, tap_free, 0);
  g_ptr_array_add (self->objects, g_object_ref (instance));
  g_array_append_val (self->handlers, id);
}

/**
 * om_test_recorder_new:
 *
 * Returns: (transfer full): a recorder that watches nothing yet
 */
OmTestRecorder *
om_test_recorder_new (void)
{
  OmTestRecorder *self = g_new0 (OmTestRecorder, 1);

  self->objects = g_ptr_array_new_with_free_func (g_object_unref);
  self->handlers = g_array_new (FALSE, FALSE, sizeof (gulong));
  self->events = g_ptr_array_new_with_free_func (g_free);
  return self;
}

/**
 * om_test_recorder_free:
 *
 * Stops watching and frees @self.
 */
void
om_test_recorder_free (OmTestRecorder *self)
{
  for (guint i = 0; i < self->objects->len; i++)
    g_signal_handler_disconnect (g_ptr_array_index (self->objects, i),
                                 g_array_index (self->handlers, gulong, i));
  g_ptr_array_unref (self->objects);
  g_array_unref (self->handlers);
  g_ptr_array_unref (self->events);
  g_free (self);
}

/**
 * om_test_recorder_watch_notify:
 *
 * Records each notification of @object as "@label:property".
 */
void
om_test_recorder_watch_notify (OmTestRecorder *self,
                               gpointer        object,
                               const char     *label)
{
  recorder_tap (self, object, "notify", G_CALLBACK (notify_cb), label);
}

/**
 * om_test_recorder_watch_items:
 *
 * Records each change of @model as "@label:items-changed(position,removed,added)".
 */
void
om_test_recorder_watch_items (OmTestRecorder *self,
                              GListModel     *model,
                              const char     *label)
{
  recorder_tap (self, model, "items-changed", G_CALLBACK (items_changed_cb), label);
}

/**
 * om_test_recorder_take:
 * @label: (nullable): whose events; %NULL for all
 *
 * Takes the events of @label, sorted and joined by spaces, without the
 * label. Notifications come in no defined order, hence the sorting.
 *
 * Returns: (transfer full): the events
 */
char *
om_test_recorder_take (OmTestRecorder *self,
                       const char     *label)
{
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prefix = label ? g_strconcat (label, ":", NULL) : NULL;
  GString *out = g_string_new (NULL);

  for (guint i = self->events->len; i > 0; i--)
    {
      const char *event = g_ptr_array_index (self->events, i - 1);

      if (prefix == NULL || g_str_has_prefix (event, prefix))
        g_ptr_array_add (taken, g_ptr_array_steal_index (self->events, i - 1));
    }
  g_ptr_array_sort (taken, compare_strings);
  for (guint i = 0; i < taken->len; i++)
    {
      const char *event = g_ptr_array_index (taken, i);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, prefix ? event + strlen (prefix) : event);
    }
  return g_string_free (out, FALSE);
}

/**
 * om_test_recorder_clear:
 *
 * Forgets the events recorded so far.
 */
void
om_test_recorder_clear (OmTestRecorder *self)
{
  g_ptr_array_set_size (self->events, 0);
}

/* A backend that keeps nothing: it records the edits it is handed and
 * fails on demand, as a full disk does. It numbers what it accepts as a
 * database does: a new opportunity or stage gets the next id, and every
 * written opportunity the revision after the one it was read at. */

static void om_test_backend_iface_init (OmBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmTestBackend, om_test_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OM_TYPE_BACKEND, om_test_backend_iface_init))

static gboolean
om_test_backend_apply (OmBackend  *backend,
                       GPtrArray  *changes,
                       GError    **error)
{
  OmTestBackend *self = OM_TEST_BACKEND (backend);
  GPtrArray *copy;

  self->n_attempts++;
  if (self->failure != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failure));
      return FALSE;
    }

  /* the contract of OmChange: ids and revisions are the backend's */
  for (guint i = 0; i < changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);
      const OmOpportunityData *before = change->before;
      OmOpportunityData *after = change->after;

      if (change->kind != OM_CHANGE_OPPORTUNITY || after == NULL)
        continue;
      if (after->id == 0)
        after->id = ++self->next_id;
      after->revision = before != NULL ? before->revision + 1 : 1;
      for (guint j = 0; j < after->stages->len; j++)
        {
          const OmStageData *stage = g_ptr_array_index (after->stages, j);

          if (stage->id == 0)
            om_opportunity_data_get_writable_stage (after, j)->id = ++self->next_stage_id;
        }
    }

  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  for (guint i = 0; i < changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);
      g_ptr_array_add (copy, om_change_new (change->kind, change->before, change->after));
    }
  g_ptr_array_add (self->calls, copy);
  return TRUE;
}

static void
om_test_backend_iface_init (OmBackendInterface *iface)
{
  iface->apply = om_test_backend_apply;
}

static void
om_test_backend_finalize (GObject *object)
{
  OmTestBackend *self = OM_TEST_BACKEND (object);

  g_clear_pointer (&self->calls, g_ptr_array_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (om_test_backend_parent_class)->finalize (object);
}

static void
om_test_backend_class_init (OmTestBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = om_test_backend_finalize;
}

static void
om_test_backend_init (OmTestBackend *self)
{
  self->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

/**
 * om_test_backend_new:
 *
 * Returns: (transfer full): a backend that accepts every edit
 */
OmTestBackend *
om_test_backend_new (void)
{
  return g_object_new (OM_TEST_TYPE_BACKEND, NULL);
}

/**
 * om_test_backend_set_failing:
 *
 * From now on, refuses every edit as a full disk does
 * (%G_IO_ERROR_NO_SPACE, %OM_TEST_BACKEND_FAILURE), or accepts them again.
 */
void
om_test_backend_set_failing (OmTestBackend *self,
                             gboolean       failing)
{
  g_clear_error (&self->failure);
  if (failing)
    self->failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NO_SPACE, OM_TEST_BACKEND_FAILURE);
}

/**
 * om_test_backend_reset:
 *
 * Forgets the edits seen so far.
 */
void
om_test_backend_reset (OmTestBackend *self)
{
  g_ptr_array_set_size (self->calls, 0);
  self->n_attempts = 0;
}

/**
 * om_test_backend_single_change:
 *
 * Returns: the one change of the one edit since the last reset, which
 *   must be all there was
 */
const OmChange *
om_test_backend_single_change (OmTestBackend *self)
{
  GPtrArray *changes;

  g_assert_cmpuint (self->n_attempts, ==, 1);
  g_assert_cmpuint (self->calls->len, ==, 1);
  changes = g_ptr_array_index (self->calls, 0);
  g_assert_cmpuint (changes->len, ==, 1);
  return g_ptr_array_index (changes, 0);
}

/* Other programs */

/**
 * om_test_oppmanager:
 *
 * Returns: the path of the oppmanager executable, which meson gives
 *   the command-line tests as $OPPMANAGER
 */
const char *
om_test_oppmanager (void)
{
  const char *binary = g_getenv ("OPPMANAGER");

  g_assert_nonnull (binary);
  return binary;
}

/**
 * om_test_cli_launcher_new:
 * @flags: what to do with the child's output
 * @today: the day the child takes for today, YYYY-MM-DD
 *
 * Returns: (transfer full): a launcher for the command line as a user
 *   runs it in a terminal with no display of any kind
 */
GSubprocessLauncher *
om_test_cli_launcher_new (GSubprocessFlags  flags,
                          const char       *today)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  g_subprocess_launcher_setenv (launcher, "OM_TODAY", today, TRUE);
  return launcher;
}

typedef struct
{
  rlim_t   file_size_limit;
  gboolean as_nobody;
} Restriction;

/* Runs in the child between fork and exec: nothing that allocates */
static void
restrict_child_cb (gpointer data)
{
  const Restriction *r = data;

  if (r->file_size_limit > 0)
    {
      struct rlimit limit = { r->file_size_limit, r->file_size_limit };

      /* a write past the limit fails with EFBIG instead of killing */
      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, &limit);
    }
  if (r->as_nobody && getuid () == 0 &&
      (setresgid (65534, 65534, 65534) != 0 || setresuid (65534, 65534, 65534) != 0))
    _exit (99);
}

/**
 * om_test_launcher_restrict:
 * @file_size_limit: when not 0, the child may write files of this many
 *   bytes at most: a full disk that works as root
 * @as_nobody: whether the child runs as nobody when the test runs as
 *   root: an ordinary user, for whom permission bits count
 *
 * Restricts the children that @launcher spawns from now on.
 */
void
om_test_launcher_restrict (GSubprocessLauncher *launcher,
                           rlim_t               file_size_limit,
                           gboolean             as_nobody)
{
  Restriction *r = g_new0 (Restriction, 1);

  r->file_size_limit = file_size_limit;
  r->as_nobody = as_nobody;
  g_subprocess_launcher_set_child_setup (launcher, restrict_child_cb, r, g_free);
}

/**
 * om_test_cli_spawn_valist:
 * @launcher: from om_test_cli_launcher_new()
 * @first: (nullable): the first argument
 * @args: the other arguments, up to %NULL
 *
 * Returns: (transfer full): oppmanager started with the arguments
 */
GSubprocess *
om_test_cli_spawn_valist (GSubprocessLauncher *launcher,
                          const char          *first,
                          va_list              args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) om_test_oppmanager ());
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/**
 * om_test_cli_spawn:
 * @launcher: from om_test_cli_launcher_new()
 * @first: (nullable): the first argument, then the others up to %NULL
 *
 * Returns: (transfer full): oppmanager started with the arguments
 */
GSubprocess *
om_test_cli_spawn (GSubprocessLauncher *launcher,
                   const char          *first,
                   ...)
{
  GSubprocess *process;
  va_list args;

  va_start (args, first);
  process = om_test_cli_spawn_valist (launcher, first, args);
  va_end (args);
  return process;
}

/**
 * om_test_run:
 * @argv: a program and its arguments; it must succeed
 *
 * Returns: (transfer full): what the program wrote on its standard output
 */
char *
om_test_run (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed", argv[0]);
  return out;
}

/**
 * om_test_pdf_n_pages:
 * @info: (out) (optional): what pdfinfo says of @pdf
 *
 * Returns: how many pages @pdf has, as pdfinfo reads it
 */
guint
om_test_pdf_n_pages (const char  *pdf,
                     char       **info)
{
  const char *argv[] = { "pdfinfo", pdf, NULL };
  g_autofree char *out = om_test_run (argv);
  const char *pages = strstr (out, "Pages:");

  g_assert_nonnull (pages);
  if (info != NULL)
    *info = g_strdup (out);
  return (guint) g_ascii_strtoull (pages + strlen ("Pages:"), NULL, 10);
}

/**
 * om_test_pdf_text:
 * @page: a page, from 1; 0 for every page
 *
 * Returns: (transfer full): the text of @pdf as pdftotext reads it,
 *   a wrapped table cell's lines together
 */
char *
om_test_pdf_text (const char *pdf,
                  guint       page)
{
  g_autofree char *number = g_strdup_printf ("%u", page);
  const char *one_page[] = { "pdftotext", "-f", number, "-l", number, pdf, "-", NULL };
  const char *all_pages[] = { "pdftotext", pdf, "-", NULL };

  return om_test_run (page > 0 ? one_page : all_pages);
}

/**
 * om_test_found:
 * @ids: (transfer full) (nullable): as om_repository_import() gives them
 *
 * Returns: (transfer full) (element-type OmOpportunity) (nullable): the
 *   opportunities, %NULL for %NULL
 */
GPtrArray *
om_test_found (OmRepository *repository,
               GArray       *ids)
{
  g_autoptr(GArray) owned = ids;
  GPtrArray *found;

  if (owned == NULL)
    return NULL;
  found = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < owned->len; i++)
    {
      OmOpportunity *opportunity = om_repository_find (repository, g_array_index (owned, gint64, i));

      g_assert_nonnull (opportunity);
      g_ptr_array_add (found, g_object_ref (opportunity));
    }
  return found;
}

GPtrArray *
om_test_import (OmRepository *repository,
                GPtrArray    *opportunities,
                GPtrArray    *templates,
                GError      **error)
{
  return om_test_found (repository, om_repository_import (repository, opportunities, templates, error));
}

gboolean
om_test_edit_text (OmOpportunity *opportunity,
                   gsize          offset,
                   const char    *text,
                   GError       **error)
{
  g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (om_opportunity_get_data (opportunity));
  char **field = G_STRUCT_MEMBER_P (edited, offset);

  g_free (*field);
  *field = g_strdup (text);
  return om_opportunity_edit (opportunity, edited, error);
}
