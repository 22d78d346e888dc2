/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <string.h>

#include "om-opportunity-summary.h"

G_DEFINE_BOXED_TYPE (OmOpportunitySummary, om_opportunity_summary,
                     om_opportunity_summary_copy, om_opportunity_summary_free)

/**
 * om_text_fold:
 *
 * Text as a search compares it: normalised and case-folded, so that
 * "Straße", "STRASSE" and a decomposed "é" find each other.
 *
 * Returns: (transfer full): the folded text; "" for %NULL
 */
char *
om_text_fold (const char *text)
{
  g_autofree char *normal = NULL;

  if (text == NULL)
    return g_strdup ("");
  normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (normal == NULL)   /* not UTF-8: nothing the model lets in, but never crash */
    return g_strdup ("");
  return g_utf8_casefold (normal, -1);
}

/**
 * om_opportunity_summary_sort_key:
 *
 * The order of SPEC's lists, as a string compared byte by byte (and
 * then by id), so that a database answers it from an index: open
 * opportunities first, by the due date of their next milestone (the
 * overdue ones are the earliest), those without one after them; then
 * the closed ones; within each, by title.
 */
char *
om_opportunity_summary_sort_key (OmOpportunityStatus status,
                                 OmDate              next_due,
                                 const char         *title)
{
  g_autofree char *folded = om_text_fold (title);
  g_autofree char *due = next_due != 0 ? om_date_to_iso (next_due) : NULL;
  /* '1' open with a due date, '2' open without, '3' closed; the unit
   * separator sorts before every character a title can hold */
  char group = status != OM_OPPORTUNITY_STATUS_OPEN ? '3' : due != NULL ? '1' : '2';

  return g_strdup_printf ("%c%s\x1f%s", group, due ? due : "", folded);
}

char *
om_opportunity_summary_search_text (const char *title,
                                    const char *client,
                                    const char *coordinator)
{
  g_autofree char *t = om_text_fold (title);
  g_autofree char *c = om_text_fold (client);
  g_autofree char *o = om_text_fold (coordinator);

  /* a newline between them, so that no search spans two fields */
  return g_strjoin ("\n", t, c, o, NULL);
}

/**
 * om_opportunity_summary_new:
 *
 * Derives what lists show from the full values.
 */
OmOpportunitySummary *
om_opportunity_summary_new (const OmOpportunityData *data)
{
  OmDerivedValues derived;

  om_opportunity_data_derive (data, &derived);
  return om_opportunity_summary_new_derived (data, &derived);
}

/**
 * om_opportunity_summary_new_derived:
 * @derived: what om_opportunity_data_derive() says of @data
 *
 * Like om_opportunity_summary_new(), for a caller that has derived
 * @data's values already.
 */
OmOpportunitySummary *
om_opportunity_summary_new_derived (const OmOpportunityData *data,
                                    const OmDerivedValues   *derived)
{
  OmOpportunitySummary *self = g_new0 (OmOpportunitySummary, 1);

  self->id = data->id;
  self->revision = data->revision;
  self->title = g_strdup (data->title);
  self->client = g_strdup (data->client);
  self->coordinator = g_strdup (data->coordinator);
  self->status = derived->status;
  self->n_won = derived->n_won;
  self->n_stages = data->stages->len;
  self->chain_probability = derived->chain_probability;
  self->next_due = derived->next_due;
  self->sort_key = om_opportunity_summary_sort_key (self->status, self->next_due, self->title);
  self->search_text = om_opportunity_summary_search_text (self->title, self->client, self->coordinator);
  self->health = derived->health != OM_HEALTH_UNKNOWN ? derived->health
                                                     : om_opportunity_data_get_lasting_health (data);
  return self;
}

OmOpportunitySummary *
om_opportunity_summary_copy (const OmOpportunitySummary *self)
{
  OmOpportunitySummary *copy = g_memdup2 (self, sizeof *self);

  copy->title = g_strdup (self->title);
  copy->client = g_strdup (self->client);
  copy->coordinator = g_strdup (self->coordinator);
  copy->sort_key = g_strdup (self->sort_key);
  copy->search_text = g_strdup (self->search_text);
  return copy;
}

void
om_opportunity_summary_free (OmOpportunitySummary *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->client);
  g_free (self->coordinator);
  g_free (self->sort_key);
  g_free (self->search_text);
  g_free (self);
}

gboolean
om_opportunity_summary_matches (const OmOpportunitySummary *self,
                                const OmOpportunityQuery   *query)
{
  if (query->status >= 0 && (int) self->status != query->status)
    return FALSE;
  return query->search == NULL || *query->search == '\0' ||
         strstr (self->search_text, query->search) != NULL;
}

int
om_opportunity_summary_compare (const OmOpportunitySummary *a,
                                const OmOpportunitySummary *b,
                                OmOrder                     order)
{
  int c = order == OM_ORDER_SHOWN ? strcmp (a->sort_key, b->sort_key) : 0;

  if (c != 0)
    return c;
  return a->id < b->id ? -1 : a->id > b->id;
}

/**
 * om_opportunity_query_new:
 * @status: an #OmOpportunityStatus, or -1 for any
 * @search: (nullable): what to look for, as typed: it is folded and
 *   trimmed here
 */
OmOpportunityQuery *
om_opportunity_query_new (int         status,
                          const char *search,
                          OmOrder     order)
{
  OmOpportunityQuery *self = g_new0 (OmOpportunityQuery, 1);
  g_autofree char *folded = om_text_fold (search);

  self->status = status;
  g_strstrip (folded);
  self->search = *folded != '\0' ? g_steal_pointer (&folded) : NULL;
  self->order = order;
  return self;
}

OmOpportunityQuery *
om_opportunity_query_copy (const OmOpportunityQuery *self)
{
  OmOpportunityQuery *copy = g_memdup2 (self, sizeof *self);

  copy->search = g_strdup (self->search);
  return copy;
}

void
om_opportunity_query_free (OmOpportunityQuery *self)
{
  if (self == NULL)
    return;
  g_free (self->search);
  g_free (self);
}

gboolean
om_opportunity_query_equal (const OmOpportunityQuery *a,
                            const OmOpportunityQuery *b)
{
  return a->status == b->status && a->order == b->order && a->limit == b->limit &&
         g_strcmp0 (a->search, b->search) == 0;
}
