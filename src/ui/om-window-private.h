/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "om-window.h"
#include "om-agenda-view.h"
#include "om-portfolio-view.h"

G_BEGIN_DECLS

struct _OmWindow
{
  GtkApplicationWindow  parent_instance;

  OmRepository         *repository;
  GSettings            *settings;
  OmOpportunityList    *list;     /* the sidebar's: the database answers its search and filter */
  OmOpportunity        *watched;  /* the one on show, whose changes change what can be done */
  gulong                watched_handler;
  gboolean              requerying;  /* the list is being asked a new query */
  GtkSingleSelection   *selection;
  GHashTable           *rows;     /* the sidebar's bound OmOpportunityRows */
  guint                 banner_timeout;
  guint                 day_timeout;
  guint                 rest_source;  /* reads the rest of the list, after the first frame */
  OmDate                today;

  GtkRevealer          *banner;
  GtkLabel             *banner_label;
  GtkWidget            *read_only_bar;
  GtkLabel             *read_only_label;
  char                 *denied;    /* why the opportunity on show may be read and not changed, or NULL */
  GtkStack             *stack;
  GtkLabel             *error_label;
  GtkSpinner           *connecting_spinner;
  GtkLabel             *connecting_label;
  GCancellable         *connecting;  /* while the window waits for a server */
  GtkWidget            *sidebar;
  GtkWidget            *sidebar_button;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *status_filter;
  GtkListView          *list_view;
  GtkWidget            *list_scroller;
  GtkWidget            *no_match_box;
  GtkLabel             *no_match_label;
  GtkStack             *content_stack;
  GtkLabel             *none_label;
  OmOpportunityView    *view;
  GtkStack             *views;
  GtkWidget            *view_switcher;
  OmPortfolioView      *portfolio;
  OmAgendaView         *agenda;
  GMenu                *template_menu;  /* New > From Template */
};

void _om_window_class_init_actions (GtkWidgetClass *widget_class);
void _om_window_update_actions     (OmWindow       *self);
void _om_window_import_file        (OmWindow       *self,
                                    GFile          *file);

G_END_DECLS
