/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "om-memory-backend.h"
#include "om-types.h"

/**
 * OmMemoryBackend:
 *
 * Keeps opportunities and templates in memory, for a repository without
 * a database (or with a test's backend that keeps nothing): it answers
 * the same reads as a database does, gives ids and revisions as one
 * does, and forgets everything when it goes.
 */
struct _OmMemoryBackend
{
  GObject     parent_instance;

  GHashTable *opportunities;  /* gint64 id -> OmOpportunityData */
  GHashTable *summaries;      /* gint64 id -> OmOpportunitySummary */
  GHashTable *templates;      /* gint64 id -> OmTemplateData */
  gint64      last_id;
  gint64      last_stage_id;
  gint64      last_template_id;
  gint64      last_revision;
};

static void om_memory_backend_backend_init (OmBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmMemoryBackend, om_memory_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (OM_TYPE_BACKEND, om_memory_backend_backend_init))

static void
om_memory_backend_finalize (GObject *object)
{
  OmMemoryBackend *self = (OmMemoryBackend *) object;

  g_hash_table_unref (self->opportunities);
  g_hash_table_unref (self->summaries);
  g_hash_table_unref (self->templates);

  G_OBJECT_CLASS (om_memory_backend_parent_class)->finalize (object);
}

static void
om_memory_backend_class_init (OmMemoryBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = om_memory_backend_finalize;
}

static void
om_memory_backend_init (OmMemoryBackend *self)
{
  self->opportunities = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                               (GDestroyNotify) om_opportunity_data_free);
  self->summaries = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                           (GDestroyNotify) om_opportunity_summary_free);
  self->templates = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                           (GDestroyNotify) om_template_data_free);
}

OmMemoryBackend *
om_memory_backend_new (void)
{
  return g_object_new (OM_TYPE_MEMORY_BACKEND, NULL);
}

static void
keep_opportunity (OmMemoryBackend         *self,
                  const OmOpportunityData *data)
{
  OmOpportunityData *copy = om_opportunity_data_copy (data);

  self->last_id = MAX (self->last_id, data->id);
  self->last_revision = MAX (self->last_revision, data->revision);
  for (guint i = 0; i < data->stages->len; i++)
    self->last_stage_id = MAX (self->last_stage_id, ((OmStageData *) g_ptr_array_index (data->stages, i))->id);
  g_hash_table_replace (self->summaries, &copy->id, om_opportunity_summary_new (copy));
  g_hash_table_replace (self->opportunities, &copy->id, copy);
}

static void
keep_template (OmMemoryBackend      *self,
               const OmTemplateData *data)
{
  OmTemplateData *copy = om_template_data_copy (data);

  self->last_template_id = MAX (self->last_template_id, data->id);
  g_hash_table_replace (self->templates, &copy->id, copy);
}

/**
 * om_memory_backend_load:
 * @opportunities: (element-type OmOpportunityData): with their ids
 * @templates: (element-type OmTemplateData) (nullable): likewise
 *
 * Holds these as if they had been kept before.
 */
void
om_memory_backend_load (OmMemoryBackend *self,
                        GPtrArray       *opportunities,
                        GPtrArray       *templates)
{
  for (guint i = 0; i < opportunities->len; i++)
    {
      g_autoptr(OmOpportunityData) data = om_opportunity_data_copy (g_ptr_array_index (opportunities, i));

      if (data->id == 0)
        data->id = self->last_id + 1;
      if (data->revision == 0)
        data->revision = ++self->last_revision;
      keep_opportunity (self, data);
    }
  for (guint i = 0; templates && i < templates->len; i++)
    keep_template (self, g_ptr_array_index (templates, i));
}

/* Ids and revisions as a database gives them: an id asked for (an
 * undone removal's) if it is free, else a new one. */
static gboolean
om_memory_backend_apply (OmBackend *backend,
                         GPtrArray *changes,
                         GError   **error)
{
  OmMemoryBackend *self = OM_MEMORY_BACKEND (backend);

  for (guint i = 0; i < changes->len; i++)
    {
      OmChange *change = g_ptr_array_index (changes, i);

      if (change->kind == OM_CHANGE_TEMPLATE)
        {
          OmTemplateData *before = change->before;
          OmTemplateData *after = change->after;

          if (before != NULL)
            g_hash_table_remove (self->templates, &before->id);
          if (after == NULL)
            continue;
          if (after->id == 0 || (before == NULL && g_hash_table_contains (self->templates, &after->id)))
            after->id = ++self->last_template_id;
          keep_template (self, after);
        }
      else
        {
          OmOpportunityData *before = change->before;
          OmOpportunityData *after = change->after;

          if (before != NULL && after == NULL)
            {
              g_hash_table_remove (self->summaries, &before->id);
              g_hash_table_remove (self->opportunities, &before->id);
              continue;
            }
          if (after->id == 0 || (before == NULL && g_hash_table_contains (self->opportunities, &after->id)))
            {
              after->id = ++self->last_id;
              /* a new id: its stages are new too */
              for (guint j = 0; j < after->stages->len; j++)
                om_opportunity_data_get_writable_stage (after, j)->id = 0;
            }
          if (after->revision == 0 || (before != NULL && after->revision <= before->revision))
            after->revision = ++self->last_revision;
          for (guint j = 0; j < after->stages->len; j++)
            {
              const OmStageData *stage = g_ptr_array_index (after->stages, j);
              if (stage->id == 0)
                om_opportunity_data_get_writable_stage (after, j)->id = ++self->last_stage_id;
            }
          keep_opportunity (self, after);
        }
    }
  return TRUE;
}

static int
compare_summaries (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const OmOpportunityQuery *query = user_data;

  return om_opportunity_summary_compare (*(OmOpportunitySummary **) a, *(OmOpportunitySummary **) b,
                                         query->order);
}

static GArray *
om_memory_backend_list_ids (OmBackend                *backend,
                            const OmOpportunityQuery *query,
                            GError                  **error)
{
  OmMemoryBackend *self = OM_MEMORY_BACKEND (backend);
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->summaries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const OmOpportunitySummary *summary = value;

      if (om_opportunity_query_matches (query, summary, g_hash_table_lookup (self->opportunities, &summary->id)))
        g_ptr_array_add (selected, value);
    }
  g_ptr_array_sort_with_data (selected, compare_summaries, (gpointer) query);
  for (guint i = 0; i < selected->len && (query->limit == 0 || i < query->limit); i++)
    g_array_append_val (ids, ((OmOpportunitySummary *) g_ptr_array_index (selected, i))->id);
  return ids;
}

static GPtrArray *
om_memory_backend_get_summaries (OmBackend    *backend,
                                 const gint64 *ids,
                                 guint         n_ids,
                                 GError      **error)
{
  OmMemoryBackend *self = OM_MEMORY_BACKEND (backend);
  GPtrArray *summaries = g_ptr_array_new_full (n_ids, (GDestroyNotify) om_opportunity_summary_free);

  for (guint i = 0; i < n_ids; i++)
    {
      const OmOpportunitySummary *summary = g_hash_table_lookup (self->summaries, &ids[i]);
      g_ptr_array_add (summaries, summary ? om_opportunity_summary_copy (summary) : NULL);
    }
  return summaries;
}

static OmOpportunityData *
om_memory_backend_load_opportunity (OmBackend *backend,
                                    gint64     id,
                                    GError   **error)
{
  OmMemoryBackend *self = OM_MEMORY_BACKEND (backend);
  const OmOpportunityData *data = g_hash_table_lookup (self->opportunities, &id);

  if (data == NULL)
    {
      g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                           _("This opportunity has already been removed."));
      return NULL;
    }
  return om_opportunity_data_copy (data);
}

static int
compare_template_ids (gconstpointer a,
                      gconstpointer b)
{
  gint64 ia = (*(OmTemplateData **) a)->id;
  gint64 ib = (*(OmTemplateData **) b)->id;

  return ia < ib ? -1 : ia > ib;
}

static GPtrArray *
om_memory_backend_load_templates (OmBackend *backend,
                                  GError   **error)
{
  OmMemoryBackend *self = OM_MEMORY_BACKEND (backend);
  GPtrArray *templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->templates);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (templates, om_template_data_copy (value));
  g_ptr_array_sort (templates, compare_template_ids);
  return templates;
}

static int
compare_agenda_items (gconstpointer a,
                      gconstpointer b)
{
  return om_agenda_item_compare (*(OmAgendaItem **) a, *(OmAgendaItem **) b);
}

static GPtrArray *
om_memory_backend_list_agenda (OmBackend           *backend,
                               const OmAgendaQuery *query,
                               GError             **error)
{
  OmMemoryBackend *self = OM_MEMORY_BACKEND (backend);
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_item_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->opportunities);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autoptr(GPtrArray) some = om_agenda_items_of (value, query);

      g_ptr_array_set_free_func (some, NULL);
      g_ptr_array_extend_and_steal (items, g_steal_pointer (&some));
    }
  g_ptr_array_sort (items, compare_agenda_items);
  return items;
}

static int
compare_pipeline_rows (gconstpointer a,
                       gconstpointer b)
{
  const OmPipelineRow *x = *(OmPipelineRow **) a;
  const OmPipelineRow *y = *(OmPipelineRow **) b;

  if (x->year != y->year)
    return x->year < y->year ? -1 : 1;
  if (x->month != y->month)
    return x->month < y->month ? -1 : 1;
  return strcmp (x->currency, y->currency);
}

static GPtrArray *
om_memory_backend_get_pipeline (OmBackend *backend,
                                GError   **error)
{
  OmMemoryBackend *self = OM_MEMORY_BACKEND (backend);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *pipeline = g_ptr_array_new_with_free_func ((GDestroyNotify) om_pipeline_row_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->summaries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const OmOpportunitySummary *summary = value;
      g_autofree char *iso = NULL;
      char *key;
      OmPipelineRow *row;

      if (summary->status != OM_OPPORTUNITY_STATUS_OPEN || summary->close_date == 0)
        continue;
      iso = om_date_to_iso (summary->close_date);
      key = g_strdup_printf ("%s %.7s", summary->currency, iso);
      row = g_hash_table_lookup (rows, key);
      if (row == NULL)
        {
          row = g_new0 (OmPipelineRow, 1);
          row->currency = g_strdup (summary->currency);
          row->year = atoi (iso);
          row->month = atoi (iso + 5);
          g_ptr_array_add (pipeline, row);
          g_hash_table_insert (rows, key, row);
        }
      else
        g_free (key);
      row->n++;
      row->value += summary->value;
      row->weighted += summary->weighted_value;
    }
  g_ptr_array_sort (pipeline, compare_pipeline_rows);
  return pipeline;
}

static GStrv
om_memory_backend_list_names (OmBackend  *backend,
                              OmNameKind  kind,
                              GError    **error)
{
  OmMemoryBackend *self = OM_MEMORY_BACKEND (backend);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GList *keys;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->opportunities);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const OmOpportunityData *data = value;
      guint n = kind == OM_NAME_OWNER ? data->stages->len : 1;

      for (guint i = 0; i < n; i++)
        {
          const char *name = kind == OM_NAME_OWNER ? ((const OmStageData *) g_ptr_array_index (data->stages, i))->owner
                             : kind == OM_NAME_CLIENT ? data->client
                             : data->coordinator;
          char *folded = om_text_fold (name);
          const char *kept;

          /* of the spellings that fold alike, the lowest, as the database keeps it */
          kept = g_hash_table_lookup (names, folded);
          if (*folded == '\0' || (kept != NULL && strcmp (kept, name) <= 0))
            g_free (folded);
          else
            g_hash_table_replace (names, folded, (gpointer) name);
        }
    }
  keys = g_list_sort (g_hash_table_get_keys (names), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    g_strv_builder_add (builder, g_hash_table_lookup (names, l->data));
  g_list_free (keys);
  return g_strv_builder_end (builder);
}

static void
om_memory_backend_backend_init (OmBackendInterface *iface)
{
  iface->list_agenda = om_memory_backend_list_agenda;
  iface->get_pipeline = om_memory_backend_get_pipeline;
  iface->list_names = om_memory_backend_list_names;
  iface->apply = om_memory_backend_apply;
  iface->list_ids = om_memory_backend_list_ids;
  iface->get_summaries = om_memory_backend_get_summaries;
  iface->load_opportunity = om_memory_backend_load_opportunity;
  iface->load_templates = om_memory_backend_load_templates;
}
