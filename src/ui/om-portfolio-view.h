/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_PORTFOLIO_VIEW (om_portfolio_view_get_type ())
G_DECLARE_FINAL_TYPE (OmPortfolioView, om_portfolio_view, OM, PORTFOLIO_VIEW, GtkWidget)

GtkWidget         *om_portfolio_view_new               (void);
void               om_portfolio_view_set_repository    (OmPortfolioView *self,
                                                        OmRepository    *repository);
void               om_portfolio_view_refresh_names     (OmPortfolioView *self);
GListModel        *om_portfolio_view_get_shown         (OmPortfolioView *self);
gboolean           om_portfolio_view_set_filter_name   (OmPortfolioView *self,
                                                        OmNameKind       kind,
                                                        const char      *name);
void               om_portfolio_view_set_overdue_only  (OmPortfolioView *self,
                                                        gboolean         overdue_only);
void               om_portfolio_view_set_close_window  (OmPortfolioView *self,
                                                        OmDate           from,
                                                        OmDate           to);
void               om_portfolio_view_set_order         (OmPortfolioView *self,
                                                        OmOrder          order);
GtkWidget         *om_portfolio_view_get_pipeline      (OmPortfolioView *self);
GtkWidget         *om_portfolio_view_get_row_widget    (OmPortfolioView *self,
                                                        guint            position);
void               om_portfolio_view_zoom              (OmPortfolioView *self,
                                                        int              steps);

G_END_DECLS
