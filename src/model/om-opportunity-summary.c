/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <math.h>
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
  self->value = data->value;
  self->currency = g_strdup (data->currency);
  self->close_date = derived->close_date;
  self->weighted_value = om_weighted_minor (data->value, derived->chain_probability);
  self->first_pending_due = derived->first_pending_due;
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
  copy->currency = g_strdup (self->currency);
  copy->changed_by = g_strdup (self->changed_by);
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
  g_free (self->currency);
  g_free (self->changed_by);
  g_free (self);
}

/* Whether @name, as stored, is @wanted once both are folded */
static gboolean
folded_equal (const char *name,
              const char *wanted)
{
  g_autofree char *a = om_text_fold (name);
  g_autofree char *b = om_text_fold (wanted);

  return strcmp (a, b) == 0;
}

/**
 * om_opportunity_summary_matches:
 *
 * Whether @self passes @query's filters that the summary answers: all
 * but the owner filter, and a search that looks into title, client and
 * coordinator only. om_opportunity_query_matches() answers the whole
 * query from the stages too.
 */
gboolean
om_opportunity_summary_matches (const OmOpportunitySummary *self,
                                const OmOpportunityQuery   *query)
{
  if (query->status >= 0 && (int) self->status != query->status)
    return FALSE;
  if (query->client != NULL && !folded_equal (self->client, query->client))
    return FALSE;
  if (query->coordinator != NULL && !folded_equal (self->coordinator, query->coordinator))
    return FALSE;
  if (query->overdue_only &&
      !(self->status == OM_OPPORTUNITY_STATUS_OPEN && self->first_pending_due != 0 &&
        self->first_pending_due < query->today))
    return FALSE;
  if ((query->close_from != 0 || query->close_to != 0) &&
      (self->close_date == 0 || (query->close_from != 0 && self->close_date < query->close_from) ||
       (query->close_to != 0 && self->close_date > query->close_to)))
    return FALSE;
  return query->search == NULL || *query->search == '\0' ||
         strstr (self->search_text, query->search) != NULL;
}

/**
 * om_opportunity_query_matches:
 * @data: the opportunity @summary sums up, with its stages
 *
 * The whole of @query: a search also looks into every stage's owner,
 * client owner, activity and milestone, and the owner filter into
 * every stage's owner. What a backend answers from its indexes.
 */
gboolean
om_opportunity_query_matches (const OmOpportunityQuery   *query,
                              const OmOpportunitySummary *summary,
                              const OmOpportunityData    *data)
{
  OmOpportunityQuery without_search = *query;
  gboolean found;

  without_search.search = NULL;
  if (!om_opportunity_summary_matches (summary, &without_search))
    return FALSE;
  if (query->owner != NULL)
    {
      found = FALSE;
      for (guint i = 0; !found && i < data->stages->len; i++)
        found = folded_equal (((const OmStageData *) g_ptr_array_index (data->stages, i))->owner, query->owner);
      if (!found)
        return FALSE;
    }
  if (query->search == NULL || *query->search == '\0' || strstr (summary->search_text, query->search) != NULL)
    return TRUE;
  found = FALSE;
  for (guint i = 0; !found && i < data->stages->len; i++)
    {
      g_autofree char *text = om_stage_search_text (g_ptr_array_index (data->stages, i));
      found = strstr (text, query->search) != NULL;
    }
  return found;
}

static int
compare_dates_none_last (OmDate a,
                         OmDate b)
{
  if (a == b)
    return 0;
  if (a == 0 || b == 0)
    return a == 0 ? 1 : -1;
  return a < b ? -1 : 1;
}

int
om_opportunity_summary_compare (const OmOpportunitySummary *a,
                                const OmOpportunitySummary *b,
                                OmOrder                     order)
{
  int c = 0;

  switch (order)
    {
    case OM_ORDER_SHOWN:
      c = strcmp (a->sort_key, b->sort_key);
      break;
    case OM_ORDER_CLOSE_DATE:
      c = compare_dates_none_last (a->close_date, b->close_date);
      break;
    case OM_ORDER_NEXT_DUE:
      c = compare_dates_none_last (a->next_due, b->next_due);
      break;
    case OM_ORDER_VALUE:
      c = a->value > b->value ? -1 : a->value < b->value;
      break;
    case OM_ORDER_WEIGHTED:
      c = a->weighted_value > b->weighted_value ? -1 : a->weighted_value < b->weighted_value;
      break;
    case OM_ORDER_CHAIN_PROBABILITY:
      c = a->chain_probability > b->chain_probability ? -1 : a->chain_probability < b->chain_probability;
      break;
    case OM_ORDER_CLOSE_DATE_BACKWARDS:
      return -om_opportunity_summary_compare (a, b, OM_ORDER_CLOSE_DATE);
    case OM_ORDER_ID:
    default:
      break;
    }

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
  copy->owner = g_strdup (self->owner);
  copy->client = g_strdup (self->client);
  copy->coordinator = g_strdup (self->coordinator);
  return copy;
}

void
om_opportunity_query_free (OmOpportunityQuery *self)
{
  if (self == NULL)
    return;
  g_free (self->search);
  g_free (self->owner);
  g_free (self->client);
  g_free (self->coordinator);
  g_free (self);
}

gboolean
om_opportunity_query_equal (const OmOpportunityQuery *a,
                            const OmOpportunityQuery *b)
{
  return a->status == b->status && a->order == b->order && a->limit == b->limit &&
         g_strcmp0 (a->search, b->search) == 0 && g_strcmp0 (a->owner, b->owner) == 0 &&
         g_strcmp0 (a->client, b->client) == 0 && g_strcmp0 (a->coordinator, b->coordinator) == 0 &&
         a->overdue_only == b->overdue_only && (!a->overdue_only || a->today == b->today) &&
         a->close_from == b->close_from && a->close_to == b->close_to;
}

/**
 * om_weighted_minor:
 *
 * The weighted value (SPEC 2) in whole minor units, rounded half away
 * from zero, so that sums of it are sums of integers.
 */
gint64
om_weighted_minor (gint64 value,
                   double chain_probability)
{
  return (gint64) round ((double) value * chain_probability);
}

/**
 * om_stage_search_text:
 *
 * What a search looks into of a stage, folded: its owner, client owner,
 * activity and milestone, a newline between them so that no search
 * spans two fields.
 */
char *
om_stage_search_text (const OmStageData *stage)
{
  g_autofree char *o = om_text_fold (stage->owner);
  g_autofree char *c = om_text_fold (stage->client_owner);
  g_autofree char *a = om_text_fold (stage->activity);
  g_autofree char *m = om_text_fold (stage->milestone);

  return g_strjoin ("\n", o, c, a, m, NULL);
}

G_DEFINE_BOXED_TYPE (OmAgendaItem, om_agenda_item, om_agenda_item_copy, om_agenda_item_free)
G_DEFINE_BOXED_TYPE (OmPipelineRow, om_pipeline_row, om_pipeline_row_copy, om_pipeline_row_free)

OmAgendaItem *
om_agenda_item_copy (const OmAgendaItem *self)
{
  OmAgendaItem *copy = g_memdup2 (self, sizeof *self);

  copy->title = g_strdup (self->title);
  copy->client = g_strdup (self->client);
  copy->owner = g_strdup (self->owner);
  copy->client_owner = g_strdup (self->client_owner);
  copy->activity = g_strdup (self->activity);
  copy->milestone = g_strdup (self->milestone);
  return copy;
}

void
om_agenda_item_free (OmAgendaItem *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->client);
  g_free (self->owner);
  g_free (self->client_owner);
  g_free (self->activity);
  g_free (self->milestone);
  g_free (self);
}

/* The agenda's order: earliest due first, then opportunity id, then stage */
int
om_agenda_item_compare (const OmAgendaItem *a,
                        const OmAgendaItem *b)
{
  if (a->due != b->due)
    return a->due < b->due ? -1 : 1;
  if (a->opportunity_id != b->opportunity_id)
    return a->opportunity_id < b->opportunity_id ? -1 : 1;
  return a->stage < b->stage ? -1 : a->stage > b->stage;
}

/**
 * om_agenda_items_of:
 *
 * Returns: (transfer full) (element-type OmAgendaItem): the pending
 *   stages of @data that @query selects, in plan order; none unless
 *   @data is open
 */
GPtrArray *
om_agenda_items_of (const OmOpportunityData *data,
                    const OmAgendaQuery     *query)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_item_free);
  g_autofree OmDate *due = NULL;

  if (om_opportunity_data_get_status (data) != OM_OPPORTUNITY_STATUS_OPEN)
    return items;
  due = om_opportunity_data_get_due_dates (data);
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);
      OmAgendaItem *item;

      if (stage->status != OM_STAGE_STATUS_PENDING ||
          (query->from != 0 && due[i] < query->from) || (query->until != 0 && due[i] > query->until) ||
          (query->owner != NULL && !folded_equal (stage->owner, query->owner)))
        continue;
      item = g_new0 (OmAgendaItem, 1);
      item->opportunity_id = data->id;
      item->title = g_strdup (data->title);
      item->client = g_strdup (data->client);
      item->stage = i;
      item->n_stages = data->stages->len;
      item->due = due[i];
      item->agreed = stage->agreed_on != 0;
      item->owner = g_strdup (stage->owner);
      item->client_owner = g_strdup (stage->client_owner);
      item->activity = g_strdup (stage->activity);
      item->milestone = g_strdup (stage->milestone);
      g_ptr_array_add (items, item);
    }
  return items;
}

OmPipelineRow *
om_pipeline_row_copy (const OmPipelineRow *self)
{
  OmPipelineRow *copy = g_memdup2 (self, sizeof *self);

  copy->currency = g_strdup (self->currency);
  return copy;
}

void
om_pipeline_row_free (OmPipelineRow *self)
{
  if (self == NULL)
    return;
  g_free (self->currency);
  g_free (self);
}

/**
 * om_agenda_query_new:
 * @owner: (nullable): a stage owner as typed (compared folded), or %NULL for any
 */
OmAgendaQuery *
om_agenda_query_new (const char *owner,
                     OmDate      from,
                     OmDate      until)
{
  OmAgendaQuery *self = g_new0 (OmAgendaQuery, 1);

  self->owner = g_strdup (owner);
  self->from = from;
  self->until = until;
  return self;
}

void
om_agenda_query_free (OmAgendaQuery *self)
{
  if (self == NULL)
    return;
  g_free (self->owner);
  g_free (self);
}
