/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"
#include "om-opportunity-view.h"

G_BEGIN_DECLS

#define OM_TYPE_WINDOW (om_window_get_type ())
G_DECLARE_FINAL_TYPE (OmWindow, om_window, OM, WINDOW, GtkApplicationWindow)

OmWindow          *om_window_new                  (GtkApplication *application,
                                                   OmRepository   *repository,
                                                   const GError   *open_error);
OmOpportunityView *om_window_get_view             (OmWindow       *self);
gboolean           om_window_select_opportunity   (OmWindow       *self,
                                                   gint64          id);
const char        *om_window_get_banner_message   (OmWindow       *self);
const char        *om_window_get_read_only_message (OmWindow      *self);
void               om_window_show_message         (OmWindow       *self,
                                                   const char     *message);
GtkWidget         *om_window_offer_import         (OmWindow       *self,
                                                   GFile          *file);
const char        *om_window_get_view_name        (OmWindow       *self);
void               om_window_set_view_name        (OmWindow       *self,
                                                   const char     *name);
GtkWidget         *om_window_get_portfolio        (OmWindow       *self);
GtkWidget         *om_window_get_agenda           (OmWindow       *self);
void               om_window_show_connecting      (OmWindow       *self,
                                                   const char     *shown,
                                                   GCancellable   *cancellable);
void               om_window_set_repository       (OmWindow       *self,
                                                   OmRepository   *repository);
void               om_window_show_error           (OmWindow       *self,
                                                   const GError   *error);

G_END_DECLS
