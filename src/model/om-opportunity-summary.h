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
  gint64              value;             /* minor units */
  char               *currency;
  OmDate              close_date;        /* the last stage's due date; 0 without stages */
  gint64              weighted_value;    /* value × chain probability, minor units, rounded half away */
  OmDate              first_pending_due; /* earliest due date of a pending stage while open, or 0:
                                          * the opportunity is overdue when it is before today */
  char               *changed_by;        /* who made the change it is at, where the backend knows:
                                          * a login name, "" for this user's own login (another
                                          * window, another computer), NULL when not known */
} OmOpportunitySummary;

/* What a list shows: a filter and an order */
typedef enum
{
  OM_ORDER_SHOWN,   /* open ones by next due date, closed ones after, then by title */
  OM_ORDER_ID,      /* oldest first, as the command line lists them */
  OM_ORDER_CLOSE_DATE,        /* earliest close date first, none last */
  OM_ORDER_NEXT_DUE,          /* earliest next due date first, none last */
  OM_ORDER_VALUE,             /* highest value first */
  OM_ORDER_WEIGHTED,          /* highest weighted value first */
  OM_ORDER_CHAIN_PROBABILITY, /* highest chain probability first */
  OM_ORDER_CLOSE_DATE_BACKWARDS, /* OM_ORDER_CLOSE_DATE backwards: none first, then the latest
                                  * close date, ties by the latest id (its index, read backwards) */
} OmOrder;                    /* every other order breaks ties by id */

typedef struct
{
  int      status;       /* an OmOpportunityStatus, or -1 for any */
  char    *search;       /* folded with om_text_fold(), or NULL for everything */
  OmOrder  order;
  guint    limit;        /* at most this many, the first ones in order; 0 for all */
  /* exact matches, compared folded (om_text_fold()); NULL for any */
  char    *owner;        /* a stage's owner (salesperson), any stage */
  char    *client;
  char    *coordinator;
  gboolean overdue_only; /* open, first_pending_due before @today */
  OmDate   today;
  OmDate   close_from;   /* close date window, inclusive; 0: open end */
  OmDate   close_to;
} OmOpportunityQuery;

/* What the filters offer to choose from (om_backend_list_names()) */
typedef enum
{
  OM_NAME_OWNER,
  OM_NAME_COORDINATOR,
  OM_NAME_CLIENT,
} OmNameKind;

/* The agenda: pending stages of open opportunities (SPEC 7 --agenda) */
typedef struct
{
  char  *owner;   /* as typed, compared folded (om_text_fold()); NULL for any */
  OmDate until;   /* due on or before; 0 for no end */
  OmDate from;    /* due on or after; 0 for no start (the overdue ones too) */
} OmAgendaQuery;

typedef struct
{
  gint64   opportunity_id;
  char    *title;
  char    *client;
  guint    stage;         /* 0-based */
  guint    n_stages;
  OmDate   due;
  gboolean agreed;        /* the due date is an agreed date */
  char    *owner;
  char    *client_owner;
  char    *activity;
  char    *milestone;
} OmAgendaItem;

/* The pipeline: open opportunities by currency and month of close date */
typedef struct
{
  char   *currency;
  int     year;
  int     month;          /* 1..12 */
  guint   n;
  gint64  value;          /* minor units */
  gint64  weighted;       /* sum of each one's weighted_value, minor units */
} OmPipelineRow;

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
gboolean              om_opportunity_query_matches    (const OmOpportunityQuery   *query,
                                                       const OmOpportunitySummary *summary,
                                                       const OmOpportunityData    *data);
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
char                 *om_stage_search_text            (const OmStageData          *stage);
gint64                om_weighted_minor               (gint64                      value,
                                                       double                      chain_probability);

#define OM_TYPE_AGENDA_ITEM  (om_agenda_item_get_type ())
#define OM_TYPE_PIPELINE_ROW (om_pipeline_row_get_type ())

GType                 om_agenda_item_get_type         (void) G_GNUC_CONST;
OmAgendaItem         *om_agenda_item_copy             (const OmAgendaItem         *self);
void                  om_agenda_item_free             (OmAgendaItem               *self);
int                   om_agenda_item_compare          (const OmAgendaItem         *a,
                                                       const OmAgendaItem         *b);
GPtrArray            *om_agenda_items_of              (const OmOpportunityData    *data,
                                                       const OmAgendaQuery        *query);
GType                 om_pipeline_row_get_type        (void) G_GNUC_CONST;
OmPipelineRow        *om_pipeline_row_copy            (const OmPipelineRow        *self);
void                  om_pipeline_row_free            (OmPipelineRow              *self);

OmAgendaQuery        *om_agenda_query_new             (const char                 *owner,
                                                       OmDate                      from,
                                                       OmDate                      until);
void                  om_agenda_query_free            (OmAgendaQuery              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmOpportunitySummary, om_opportunity_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmOpportunityQuery, om_opportunity_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmAgendaItem, om_agenda_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmAgendaQuery, om_agenda_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmPipelineRow, om_pipeline_row_free)

G_END_DECLS
