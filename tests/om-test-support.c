/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "om-test-support.h"

/*
 * What the window tests share: running the main loop for a while, and
 * real keys and pointer moves through the X server with xdotool.
 */

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
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

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
