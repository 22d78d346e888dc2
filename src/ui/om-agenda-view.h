/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_AGENDA_VIEW (om_agenda_view_get_type ())
G_DECLARE_FINAL_TYPE (OmAgendaView, om_agenda_view, OM, AGENDA_VIEW, GtkWidget)

/* The date windows the view offers, in its drop-down's order */
typedef enum
{
  OM_AGENDA_WINDOW_THIS_WEEK,
  OM_AGENDA_WINDOW_14_DAYS,
  OM_AGENDA_WINDOW_30_DAYS,
  OM_AGENDA_WINDOW_RANGE,
} OmAgendaWindow;

GtkWidget  *om_agenda_view_new            (void);
void        om_agenda_view_set_repository (OmAgendaView   *self,
                                           OmRepository   *repository);
void        om_agenda_view_refresh        (OmAgendaView   *self);
const char *om_agenda_view_get_owner      (OmAgendaView   *self);
void        om_agenda_view_set_owner      (OmAgendaView   *self,
                                           const char     *owner);
void        om_agenda_view_set_window     (OmAgendaView   *self,
                                           OmAgendaWindow  window);
void        om_agenda_view_set_range      (OmAgendaView   *self,
                                           OmDate          from,
                                           OmDate          until);
void        om_agenda_view_set_by_opportunity (OmAgendaView *self,
                                           gboolean        by_opportunity);
gboolean    om_agenda_view_write_pdf      (OmAgendaView   *self,
                                           const char     *path,
                                           GError        **error);

G_END_DECLS
