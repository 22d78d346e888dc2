/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "om-write-plan.h"

/* How many entries of @after's history are @before's, unchanged */
static guint
kept_history (const OmOpportunityData *before,
              const OmOpportunityData *after)
{
  guint n = 0;

  if (before->history->len > after->history->len)
    return 0;
  for (; n < before->history->len; n++)
    {
      const OmHistoryEntry *x = g_ptr_array_index (before->history, n);
      const OmHistoryEntry *y = g_ptr_array_index (after->history, n);

      if (x == y)
        continue;
      if (x->stage != y->stage || x->from != y->from || x->to != y->to || x->on != y->on ||
          g_strcmp0 (x->note, y->note) != 0)
        return 0;
    }
  return n;
}

/* How many entries of @after's schedule history are @before's, unchanged */
static guint
kept_schedule (const OmOpportunityData *before,
               const OmOpportunityData *after)
{
  guint n = 0;

  if (before->schedule->len > after->schedule->len)
    return 0;
  for (; n < before->schedule->len; n++)
    {
      const OmScheduleEntry *x = g_ptr_array_index (before->schedule, n);
      const OmScheduleEntry *y = g_ptr_array_index (after->schedule, n);

      if (x == y)
        continue;
      if (x->what != y->what || x->stage != y->stage || x->from != y->from || x->to != y->to ||
          x->on != y->on || g_strcmp0 (x->note, y->note) != 0)
        return 0;
    }
  return n;
}

static void
add_index (GArray *indices,
           guint   i)
{
  g_array_append_val (indices, i);
}

/* Whether stage @i of @before is stage @j of @after: the same one,
 * shared, or the same stored row */
static gboolean
same_stage (const OmOpportunityData *before,
            guint                    i,
            const OmOpportunityData *after,
            guint                    j)
{
  const OmStageData *x = g_ptr_array_index (before->stages, i);
  const OmStageData *y = g_ptr_array_index (after->stages, j);

  return x == y || (x->id != 0 && x->id == y->id);
}

/* The stage rows: the stages that keep their place at either end are
 * only compared (a stage both versions share is unchanged), and only
 * those in between are matched by id */
static void
plan_stages (OmWritePlan             *plan,
             const OmOpportunityData *before,
             const OmOpportunityData *after,
             const OmDate            *due)
{
  g_autoptr(GHashTable) old_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree OmDate *was_due = om_write_plan_stored_dues (before);
  guint n_before = before->stages->len, n_after = after->stages->len, prefix = 0, suffix = 0;

  while (prefix < n_before && prefix < n_after && same_stage (before, prefix, after, prefix))
    prefix++;
  /* at the end, a stage keeps its place only if the plan keeps its length */
  if (n_before == n_after)
    while (suffix < n_before - prefix && same_stage (before, n_before - 1 - suffix, after, n_after - 1 - suffix))
      suffix++;

  for (guint i = prefix; i < n_before - suffix; i++)
    {
      const OmStageData *s = g_ptr_array_index (before->stages, i);
      g_hash_table_insert (old_index, (gpointer) &s->id, GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < n_after; i++)
    {
      const OmStageData *s = g_ptr_array_index (after->stages, i);
      guint was = i;

      if (i >= prefix && i < n_after - suffix)
        {
          was = s->id != 0 ? GPOINTER_TO_UINT (g_hash_table_lookup (old_index, &s->id)) : 0;
          if (was == 0)
            {
              add_index (plan->inserted, i);
              continue;
            }
          /* matched: no other stage of @after takes this row */
          g_hash_table_remove (old_index, &s->id);
          was--;
          if (was != i)
            add_index (plan->moved, i);
        }
      if (g_ptr_array_index (before->stages, was) != s &&
          !om_stage_data_equal (g_ptr_array_index (before->stages, was), s))
        add_index (plan->edited, i);
      if (was == i && was_due[was] != due[i])
        add_index (plan->redated, i);
    }

  /* what is left in between was not matched: it goes */
  for (guint i = prefix; i < n_before - suffix; i++)
    {
      const OmStageData *s = g_ptr_array_index (before->stages, i);

      if (g_hash_table_contains (old_index, &s->id))
        g_array_append_val (plan->removed, s->id);
    }
}

/**
 * om_write_plan_new:
 * @before: (nullable): the opportunity as stored, at the revision just
 *   checked; %NULL for a new one
 * @after: what is written in its place
 * @due: @after's stored due dates (om_write_plan_stored_dues())
 * @positions_are_indices: whether the stored stage rows have the
 *   positions 0..n-1, as this application writes them (a file written
 *   otherwise gets its rows written anew)
 *
 * Returns: (transfer full): what changes in the rows
 */
OmWritePlan *
om_write_plan_new (const OmOpportunityData *before,
                   const OmOpportunityData *after,
                   const OmDate            *due,
                   gboolean                 positions_are_indices)
{
  OmWritePlan *plan = g_new0 (OmWritePlan, 1);

  plan->removed = g_array_new (FALSE, FALSE, sizeof (gint64));
  plan->moved = g_array_new (FALSE, FALSE, sizeof (guint));
  plan->edited = g_array_new (FALSE, FALSE, sizeof (guint));
  plan->inserted = g_array_new (FALSE, FALSE, sizeof (guint));
  plan->redated = g_array_new (FALSE, FALSE, sizeof (guint));

  plan->replace = before == NULL || !positions_are_indices;
  if (plan->replace)
    for (guint i = 0; i < after->stages->len; i++)
      add_index (plan->inserted, i);
  else
    plan_stages (plan, before, after, due);

  if (before != NULL)
    {
      /* @before's entries are the stored rows: none, nothing to clear */
      plan->history_from = kept_history (before, after);
      plan->clear_history = plan->history_from == 0 && before->history->len > 0;
      plan->schedule_from = kept_schedule (before, after);
      plan->clear_schedule = plan->schedule_from == 0 && before->schedule->len > 0;
    }
  return plan;
}

void
om_write_plan_free (OmWritePlan *plan)
{
  g_array_unref (plan->removed);
  g_array_unref (plan->moved);
  g_array_unref (plan->edited);
  g_array_unref (plan->inserted);
  g_array_unref (plan->redated);
  g_free (plan);
}

/**
 * om_write_plan_stored_dues:
 *
 * Returns: (transfer full): per stage of @data, the due date its row
 *   keeps: the model's, for the first %OM_STORED_DUES pending stages;
 *   0 (none) for the others
 */
OmDate *
om_write_plan_stored_dues (const OmOpportunityData *data)
{
  return om_opportunity_data_get_pending_dues (data, OM_STORED_DUES);
}

static int
compare_agenda_items (gconstpointer a,
                      gconstpointer b)
{
  return om_agenda_item_compare (*(OmAgendaItem **) a, *(OmAgendaItem **) b);
}

/**
 * om_agenda_add_long_plans:
 * @ids: the open opportunities with more than %OM_STORED_DUES pending
 *   stages, whose stored due dates @items leaves out
 * @items: the agenda of the others, in its order
 *
 * Adds the milestones of @ids that @query selects, read through the
 * model, and keeps @items in the agenda's order.
 */
gboolean
om_agenda_add_long_plans (OmBackend           *backend,
                          const OmAgendaQuery *query,
                          const gint64        *ids,
                          guint                n_ids,
                          GPtrArray           *items,
                          GError             **error)
{
  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(OmOpportunityData) data = om_backend_load_opportunity (backend, ids[i], error);
      g_autoptr(GPtrArray) some = NULL;

      if (data == NULL)
        return FALSE;
      some = om_agenda_items_of (data, query);
      g_ptr_array_set_free_func (some, NULL);
      g_ptr_array_extend_and_steal (items, g_steal_pointer (&some));
    }
  if (n_ids > 0)
    g_ptr_array_sort (items, compare_agenda_items);
  return TRUE;
}
