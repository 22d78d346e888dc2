/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-test-window"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "om-test-window.h"

/*
 * What the window tests share: the window on a test database, running
 * the main loop until the window has done its part, and real keys and
 * pointer moves through the X server with xdotool.
 */

/* The window on a test database */

/**
 * om_test_window_set_up:
 * @name: what the test is ("window", "dnd"...)
 * @today: the day the model takes for today, YYYY-MM-DD
 *
 * Opens a new database, @name.db in a new folder, for @self: no window
 * yet, so that the test can fill the database first.
 */
void
om_test_window_set_up (OmTestWindow *self,
                       const char   *name,
                       const char   *today)
{
  g_autofree char *file = g_strconcat (name, ".db", NULL);

  om_date_set_today (om_test_date (today));
  self->dir = om_test_make_dir (name);
  self->path = g_build_filename (self->dir, file, NULL);
  self->repository = om_test_database_open_repository (self->path);
  self->window = NULL;
  self->id = 0;
}

/**
 * om_test_window_present:
 * @width: the window's default width, or -1 for its own
 * @height: the window's default height, or -1 for its own
 *
 * Shows the window on @self's repository and waits until it has painted.
 */
void
om_test_window_present (OmTestWindow *self,
                        int           width,
                        int           height)
{
  g_assert_null (self->window);
  self->window = om_window_new (NULL, self->repository, NULL);
  gtk_window_set_default_size (GTK_WINDOW (self->window), width, height);
  gtk_window_present (GTK_WINDOW (self->window));
  om_test_wait_for_paint (GTK_WIDGET (self->window));
}

/**
 * om_test_window_tear_down:
 *
 * Closes the window, lets it go, and removes the database and its folder.
 */
void
om_test_window_tear_down (OmTestWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (self->window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->window));
  self->window = NULL;
  /* and the dialogs the test left open (Preferences is not the window's
   * child): what they hold is freed before the next test, or the exit */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  om_test_flush_events ();
  g_clear_object (&self->repository);
  om_test_remove_tree (self->dir);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->dir, g_free);
}

/**
 * om_test_window_take_keyboard:
 * @title: a title no other window has
 *
 * Gives the window the X keyboard focus, so that xdotool's keys reach it
 * as a person's would.
 *
 * Returns: %FALSE, the test skipped, without a display that xdotool
 *   can drive
 */
gboolean
om_test_window_take_keyboard (OmTestWindow *self,
                              const char   *title)
{
  g_autofree char *pattern = g_strdup_printf ("^%s$", title);

  if (!om_test_can_drive_x ())
    {
      g_test_skip ("needs an X display and xdotool (build-aux/test provides both)");
      return FALSE;
    }
  gtk_window_set_title (GTK_WINDOW (self->window), title);
  om_test_iterate_for (300);
  g_free (om_test_xdotool ("search", "--sync", "--name", pattern, "windowraise", NULL));
  g_free (om_test_xdotool ("search", "--sync", "--name", pattern, "windowfocus", "--sync", NULL));
  om_test_iterate_for (300);
  return TRUE;
}

/**
 * om_test_window_get_position:
 * @title: the title of a window shown
 *
 * Where the X server put the window called @title, in screen coordinates.
 */
void
om_test_window_get_position (const char *title,
                             int        *x,
                             int        *y)
{
  g_autofree char *pattern = g_strdup_printf ("^%s$", title);
  g_autofree char *geometry = om_test_xdotool ("search", "--sync", "--name", pattern,
                                               "getwindowgeometry", "--shell", NULL);
  g_auto(GStrv) lines = g_strsplit (geometry, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "X="))
        *x = atoi (lines[i] + 2);
      else if (g_str_has_prefix (lines[i], "Y="))
        *y = atoi (lines[i] + 2);
    }
}

/* The main loop */

/**
 * om_test_flush_events:
 *
 * Dispatches what is pending, a few rounds over, so that what one round
 * queues (a relayout, a redraw) is done too.
 */
void
om_test_flush_events (void)
{
  for (guint i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

/**
 * om_test_shows_label:
 * @text: what a label says, or part of it
 *
 * Returns: whether a label below @root that is on screen says @text
 */
gboolean
om_test_shows_label (GtkWidget  *root,
                     const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (om_test_shows_label (child, text))
      return TRUE;
  return FALSE;
}

/**
 * om_test_find_action_button:
 * @action: a detailed action name, such as "win.stage-reopen"
 *
 * Returns: (transfer none) (nullable): the first widget below @root, depth
 *   first, that activates @action
 */
GtkWidget *
om_test_find_action_button (GtkWidget  *root,
                            const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      if ((found = om_test_find_action_button (child, action)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  gboolean painted;
  guint    timeout;
} Wait;

static void
painted_cb (GdkFrameClock *clock,
            Wait          *wait)
{
  wait->painted = TRUE;
}

static gboolean
time_out_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->timeout = 0;
  return G_SOURCE_REMOVE;
}

/**
 * om_test_wait_for_paint:
 * @widget: a widget of a window shown
 *
 * Lets the window of @widget lay out and paint, if it has anything to
 * paint (a second at most), then dispatches what is pending.
 */
void
om_test_wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  Wait wait = { FALSE, 0 };
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &wait);
  wait.timeout = g_timeout_add (1000, time_out_cb, &wait);
  while (!wait.painted && wait.timeout != 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  g_clear_handle_id (&wait.timeout, g_source_remove);
  om_test_flush_events ();
}

/**
 * om_test_iterate_for:
 *
 * Lets the main loop run for @ms milliseconds, so that the window lays
 * out, draws and answers what the X server sent it.
 */
void
om_test_iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      /* bounded too: an animation (a spinner) always has a frame to do */
      while (g_get_monotonic_time () < end && g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

/* Real keys and pointer moves */

/**
 * om_test_xdotool:
 *
 * Runs xdotool with the arguments up to %NULL while the main loop keeps
 * answering events, so a window of this process sees the keys as it
 * would see a person's.
 *
 * Returns: (transfer full): what xdotool printed
 */
char *
om_test_xdotool (const char *first,
                 ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("xdotool"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  while (g_subprocess_get_identifier (process) != NULL)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
  g_subprocess_communicate (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

/**
 * om_test_can_drive_x:
 *
 * Returns: whether there is an X display and xdotool to drive it
 */
gboolean
om_test_can_drive_x (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  return xdotool != NULL && g_getenv ("DISPLAY") != NULL;
}

/**
 * om_test_window_find_dialog:
 * @title: the dialog's title
 *
 * Returns: (transfer none) (nullable): the window of that title that
 *   is shown, if any
 */
GtkWindow *
om_test_window_find_dialog (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (window), title) == 0 && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;   /* GTK keeps it while it is shown */
    }
  return NULL;
}

/**
 * om_test_window_confirm:
 * @title: the dialog's title
 *
 * Answers the dialog of that title with its default button, the one
 * Enter presses, and lets the window take what follows.
 */
void
om_test_window_confirm (const char *title)
{
  GtkWindow *dialog;
  GtkWidget *button;

  om_test_flush_events ();
  dialog = om_test_window_find_dialog (title);
  g_assert_nonnull (dialog);
  button = gtk_window_get_default_widget (dialog);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* (activating a button clicks it after a moment: a click is the same) */
  g_signal_emit_by_name (button, "clicked");
  om_test_flush_events ();
  g_assert_null (om_test_window_find_dialog (title));
}
