/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "om-opportunity-data.h"

G_BEGIN_DECLS

/*
 * What a list of opportunities shows of each one, without its stages:
 * the values a backend keeps in columns beside the opportunity and
 * updates on every write, so that listing, searching, filtering and
 * sorting never read a stage (SPEC 8). Every derived value here is
 * computed by om_opportunity_summary_new() from the full values, the one
 * place that derives them.
 */
typedef struct
{
  gint64              id;
  gint64              revision;
  char               *title;
  char               *client;
  char               *coordinator;
  OmOpportunityStatus status;
  guint               n_won;
  guint               n_stages;
  double              chain_probability;
  OmDate              next_due;          /* the current stage's due date; 0 when none */
  char               *sort_key;          /* the order lists show: compare bytewise, then id */
  char               *search_text;       /* what a search looks into, folded */
  guint               health;            /* om_opportunity_data_get_lasting_health(), or OM_HEALTH_UNKNOWN */
} OmOpportunitySummary;

/* What a list shows: a filter and an order */
typedef enum
{
  OM_ORDER_SHOWN,   /* open ones by next due date, closed ones after, then by title */
  OM_ORDER_ID,      /* oldest first, as the command line lists them */
} OmOrder;

typedef struct
{
  int      status;  /* an OmOpportunityStatus, or -1 for any */
  char    *search;  /* folded with om_text_fold(), or NULL for everything */
  OmOrder  order;
  guint    limit;   /* at most this many, the first ones in order; 0 for all */
} OmOpportunityQuery;

#define OM_TYPE_OPPORTUNITY_SUMMARY (om_opportunity_summary_get_type ())

GType                 om_opportunity_summary_get_type (void) G_GNUC_CONST;
OmOpportunitySummary *om_opportunity_summary_new      (const OmOpportunityData    *data);
OmOpportunitySummary *om_opportunity_summary_new_derived (const OmOpportunityData  *data,
                                                        const OmDerivedValues    *derived);
OmOpportunitySummary *om_opportunity_summary_copy     (const OmOpportunitySummary *self);
void                  om_opportunity_summary_free     (OmOpportunitySummary       *self);
char                 *om_opportunity_summary_sort_key (OmOpportunityStatus         status,
                                                       OmDate                      next_due,
                                                       const char                 *title);
char                 *om_opportunity_summary_search_text (const char              *title,
                                                          const char              *client,
                                                          const char              *coordinator);
gboolean              om_opportunity_summary_matches  (const OmOpportunitySummary *self,
                                                       const OmOpportunityQuery   *query);
int                   om_opportunity_summary_compare  (const OmOpportunitySummary *a,
                                                       const OmOpportunitySummary *b,
                                                       OmOrder                     order);

OmOpportunityQuery   *om_opportunity_query_new        (int                         status,
                                                       const char                 *search,
                                                       OmOrder                     order);
OmOpportunityQuery   *om_opportunity_query_copy       (const OmOpportunityQuery   *self);
void                  om_opportunity_query_free       (OmOpportunityQuery         *self);
gboolean              om_opportunity_query_equal      (const OmOpportunityQuery   *a,
                                                       const OmOpportunityQuery   *b);

char                 *om_text_fold                    (const char                 *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmOpportunitySummary, om_opportunity_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmOpportunityQuery, om_opportunity_query_free)

G_END_DECLS
