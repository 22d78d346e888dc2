/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-test-database.h"
#include "om-window.h"

G_BEGIN_DECLS

/*
 * What the window tests share: the window on a test database, the main
 * loop, and real keys and pointer moves through the X server.
 */

typedef struct
{
  char         *dir;
  char         *path;        /* the test database, in @dir */
  OmRepository *repository;  /* kept in @path */
  OmWindow     *window;
  gint64        id;          /* the opportunity the test is about */
} OmTestWindow;

void      om_test_window_set_up         (OmTestWindow *self,
                                         const char   *name,
                                         const char   *today);
void      om_test_window_present        (OmTestWindow *self,
                                         int           width,
                                         int           height);
void      om_test_window_tear_down      (OmTestWindow *self);
gboolean  om_test_window_take_keyboard  (OmTestWindow *self,
                                         const char   *title);
void      om_test_window_get_position   (const char   *title,
                                         int          *x,
                                         int          *y);

void      om_test_flush_events          (void);
GtkWidget *om_test_find_action_button   (GtkWidget    *root,
                                         const char   *action);
gboolean  om_test_shows_label           (GtkWidget    *root,
                                         const char   *text);
void      om_test_wait_for_paint        (GtkWidget    *widget);
void      om_test_iterate_for           (guint         ms);

char     *om_test_xdotool               (const char   *first,
                                         ...) G_GNUC_NULL_TERMINATED;
gboolean  om_test_can_drive_x           (void);
GtkWindow *om_test_window_find_dialog   (const char   *title);
void      om_test_window_confirm        (const char   *title);

G_END_DECLS
