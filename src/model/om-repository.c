/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "om-memory-backend.h"
#include "om-opportunity-private.h"
#include "om-repository.h"

#define RECENT 256    /* opportunities kept alive after they were last handed out */
#define PREFETCH 64   /* summaries read in one request when a list asks for a row */

/**
 * OmRepository:
 *
 * Every opportunity and template the user has, the undo history of
 * their edits, and the backend that keeps them. Each edit is made
 * durable by the backend first and shown afterwards, so a failed write
 * leaves the model as it was.
 */
struct _OmRepository
{
  GObject            parent_instance;

  OmBackend         *backend;         /* where edits are kept; may be NULL */
  OmBackend         *reader;          /* what is read back: @backend, or memory */
  OmMemoryBackend   *memory;          /* when @backend keeps nothing */
  GHashTable        *live;            /* gint64 id -> OmOpportunity, weak */
  OmOpportunity     *recent[RECENT];  /* the last ones handed out, kept alive */
  guint              recent_next;
  GPtrArray         *lists;           /* OmOpportunityList, weak */
  OmOpportunityList *all;
  GListStore        *templates;
  GQueue             undo;            /* Edit, newest first */
  GQueue             redo;
  GHashTable        *own_revisions;   /* gint64 id -> gint64: the last this repository wrote */
  gboolean           quiet;           /* refreshing after a refused edit: that says it already */
  guint              too_complex_threshold;
};

typedef struct
{
  char      *label;
  GPtrArray *changes;     /* OmChange */
  gboolean   stale;       /* another writer changed what it changed since */
  gsize      weight;      /* how many stages its copies hold */
} Edit;

#define MAX_UNDO 1000
/* What undo keeps is each edit's values before and after. Versions
 * share the stages they have in common, but each holds a place for
 * every stage, and what an edit changed is a copy: for a plan of 10,000
 * stages, 1,000 steps would hold 20 million places. The oldest steps go
 * once the steps kept hold more stages than this (the newest one is
 * always kept, an import of any size included). */
#define MAX_UNDO_STAGES 200000

G_DEFINE_FINAL_TYPE (OmRepository, om_repository, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_TOO_COMPLEX_THRESHOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED_ELSEWHERE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
edit_free (Edit *edit)
{
  g_free (edit->label);
  g_ptr_array_unref (edit->changes);
  g_free (edit);
}

/* An opportunity in memory, by id (the key is @id) */
typedef struct
{
  gint64         id;
  OmOpportunity *opportunity;   /* weak */
  OmRepository  *repository;
} Live;

static void
live_gone_cb (gpointer  user_data,
              GObject  *where_the_object_was)
{
  Live *live = user_data;

  g_hash_table_remove (live->repository->live, &live->id);
}

static void
list_gone_cb (gpointer  user_data,
              GObject  *where_the_object_was)
{
  OmRepository *self = user_data;

  g_ptr_array_remove_fast (self->lists, where_the_object_was);
}

static void
om_repository_dispose (GObject *object)
{
  OmRepository *self = (OmRepository *) object;

  for (guint i = 0; i < RECENT; i++)
    g_clear_object (&self->recent[i]);
  g_clear_object (&self->all);
  if (self->live != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Live *live = value;

          g_object_weak_unref (G_OBJECT (live->opportunity), live_gone_cb, live);
          _om_opportunity_detach (live->opportunity);
        }
      g_clear_pointer (&self->live, g_hash_table_unref);
    }
  if (self->lists != NULL)
    {
      for (guint i = 0; i < self->lists->len; i++)
        g_object_weak_unref (g_ptr_array_index (self->lists, i), list_gone_cb, self);
      g_clear_pointer (&self->lists, g_ptr_array_unref);
    }
  if (self->reader != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reader, self);
      om_backend_set_watching (self->reader, FALSE);
    }
  g_clear_object (&self->templates);
  g_clear_object (&self->backend);
  g_clear_object (&self->reader);
  g_clear_object (&self->memory);
  g_clear_pointer (&self->own_revisions, g_hash_table_unref);
  g_queue_clear_full (&self->undo, (GDestroyNotify) edit_free);
  g_queue_clear_full (&self->redo, (GDestroyNotify) edit_free);

  G_OBJECT_CLASS (om_repository_parent_class)->dispose (object);
}

static void
om_repository_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OmRepository *self = OM_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, om_repository_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, om_repository_get_can_redo (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, om_repository_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, om_repository_get_redo_label (self));
      break;
    case PROP_TOO_COMPLEX_THRESHOLD:
      g_value_set_uint (value, self->too_complex_threshold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_repository_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  OmRepository *self = OM_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_TOO_COMPLEX_THRESHOLD:
      om_repository_set_too_complex_threshold (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_repository_class_init (OmRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = om_repository_dispose;
  object_class->get_property = om_repository_get_property;
  object_class->set_property = om_repository_set_property;

  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, flags);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL, flags);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL, flags);
  properties[PROP_TOO_COMPLEX_THRESHOLD] =
    g_param_spec_uint ("too-complex-threshold", NULL, NULL, 1, 1000, OM_DEFAULT_TOO_COMPLEX_THRESHOLD,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmRepository::changed-elsewhere:
   * @opportunity: the opportunity, now showing the values kept
   * @who: (nullable): who changed it, where the backend knows: a login
   *   name, or "" for this user's own login elsewhere
   *
   * Another writer changed an opportunity that is shown in full (an
   * editor may show it): it now shows what was kept.
   */
  signals[CHANGED_ELSEWHERE] = g_signal_new ("changed-elsewhere", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 2, OM_TYPE_OPPORTUNITY,
                                             G_TYPE_STRING);
}

static void
om_repository_init (OmRepository *self)
{
  g_autoptr(OmTemplateData) recommended = om_template_data_new_recommended ();
  g_autoptr(OmTemplate) builtin = om_template_new (recommended, TRUE);

  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->lists = g_ptr_array_new ();
  self->own_revisions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->templates = g_list_store_new (OM_TYPE_TEMPLATE);
  g_list_store_append (self->templates, builtin);
  self->too_complex_threshold = OM_DEFAULT_TOO_COMPLEX_THRESHOLD;
}

static void refresh (OmRepository *self);

static void
backend_changed_cb (OmRepository *self)
{
  refresh (self);
}

static void
show_templates (OmRepository *self,
                GPtrArray    *templates)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->templates));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < templates->len; i++)
    g_ptr_array_add (items, om_template_new (g_ptr_array_index (templates, i), FALSE));
  /* after the built-in one */
  g_list_store_splice (self->templates, 1, n - 1, items->pdata, items->len);
}

/**
 * om_repository_new:
 * @backend: (nullable): where edits are kept; %NULL keeps them in memory
 *
 * A repository shows what @backend keeps, reading it when it is asked
 * for: opening one costs the same for 100 or 100,000 opportunities.
 */
OmRepository *
om_repository_new (OmBackend *backend)
{
  OmRepository *self = g_object_new (OM_TYPE_REPOSITORY, NULL);
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  g_set_object (&self->backend, backend);
  if (backend != NULL && om_backend_can_read (backend))
    self->reader = g_object_ref (backend);
  else
    {
      self->memory = om_memory_backend_new ();
      self->reader = g_object_ref (OM_BACKEND (self->memory));
    }

  templates = om_backend_load_templates (self->reader, &error);
  if (templates != NULL)
    show_templates (self, templates);
  else
    g_warning ("Could not read the templates: %s", error->message);

  g_signal_connect_swapped (self->reader, "changed", G_CALLBACK (backend_changed_cb), self);
  return self;
}

/**
 * om_repository_get_backend:
 *
 * What the repository reads from: its backend, or the memory that
 * keeps its values when the backend keeps none. For whoever reads many
 * opportunities one at a time without showing them (the exports).
 *
 * Returns: (transfer none): the backend read
 */
OmBackend *
om_repository_get_backend (OmRepository *self)
{
  g_return_val_if_fail (OM_IS_REPOSITORY (self), NULL);

  return self->reader;
}

/**
 * om_repository_set_watching:
 *
 * While @watching, what other writers change is shown within two
 * seconds: the lists update in place, and an opportunity shown in full
 * shows its new values (#OmRepository::changed-elsewhere).
 */
void
om_repository_set_watching (OmRepository *self,
                            gboolean      watching)
{
  g_return_if_fail (OM_IS_REPOSITORY (self));

  om_backend_set_watching (self->reader, watching);
}

static void
track_list (OmRepository      *self,
            OmOpportunityList *list)
{
  g_ptr_array_add (self->lists, list);
  g_object_weak_ref (G_OBJECT (list), list_gone_cb, self);
}

/**
 * om_repository_get_opportunities:
 *
 * Returns: (transfer none): every opportunity, oldest first
 */
GListModel *
om_repository_get_opportunities (OmRepository *self)
{
  if (self->all == NULL)
    {
      g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, NULL, OM_ORDER_ID);

      self->all = _om_opportunity_list_new (self, query, 0);
      track_list (self, self->all);
    }
  return G_LIST_MODEL (self->all);
}

/**
 * om_repository_list:
 *
 * Returns: (transfer full): the opportunities @query selects, kept up
 *   to date with every edit and every other writer's change
 */
OmOpportunityList *
om_repository_list (OmRepository             *self,
                    const OmOpportunityQuery *query)
{
  return om_repository_list_first (self, query, 0);
}

/**
 * om_repository_list_first:
 * @first: how many ids to read now; the rest are read when asked
 *   (om_opportunity_list_read_rest()), and announced as added then.
 *   0 reads them all now.
 *
 * A list for a window: its first rows are on screen without waiting
 * for the ids of 100,000 opportunities, which it asks for once they
 * are. Looking for an opportunity in it (om_opportunity_list_find())
 * reads the rest first.
 *
 * Returns: (transfer full): like om_repository_list()
 */
OmOpportunityList *
om_repository_list_first (OmRepository             *self,
                          const OmOpportunityQuery *query,
                          guint                     first)
{
  OmOpportunityList *list = _om_opportunity_list_new (self, query, first);

  track_list (self, list);
  return list;
}

/**
 * om_repository_get_templates:
 *
 * Returns: (transfer none): the templates, the built-in recommended
 *   process first
 */
GListModel *
om_repository_get_templates (OmRepository *self)
{
  return G_LIST_MODEL (self->templates);
}

static gboolean
find_template (OmRepository *self,
               gint64        id,
               guint        *position)
{
  GListModel *model = G_LIST_MODEL (self->templates);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(OmTemplate) item = g_list_model_get_item (model, i);

      if (om_template_get_data (item)->id == id)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Where a template with @id goes: the user's templates are in the
 * order of their ids, as every backend reads them back, so that an
 * undone removal puts one back where it was */
static guint
template_position (OmRepository *self,
                   gint64        id)
{
  GListModel *model = G_LIST_MODEL (self->templates);
  guint n = g_list_model_get_n_items (model);
  guint i;

  for (i = 1; i < n; i++)
    {
      g_autoptr(OmTemplate) item = g_list_model_get_item (model, i);

      if (om_template_get_data (item)->id > id)
        break;
    }
  return i;
}

/**
 * om_repository_find_template:
 * @id: a template's id, or 0 for the built-in recommended process
 *
 * Returns: (transfer none) (nullable): the template, or %NULL when
 *   there is none with @id (any more)
 */
OmTemplate *
om_repository_find_template (OmRepository *self,
                             gint64        id)
{
  g_autoptr(OmTemplate) item = NULL;
  guint position = 0;

  g_return_val_if_fail (OM_IS_REPOSITORY (self), NULL);

  if (id != 0 && !find_template (self, id, &position))
    return NULL;
  item = g_list_model_get_item (G_LIST_MODEL (self->templates), position);
  return item; /* the list keeps it */
}

/* Keeps a handed-out opportunity alive a while, so that what a caller
 * got without a reference, or a list just showed, is not read again at
 * once. */
static void
keep_recent (OmRepository  *self,
             OmOpportunity *opportunity)
{
  g_set_object (&self->recent[self->recent_next], opportunity);
  self->recent_next = (self->recent_next + 1) % RECENT;
}

/* It is gone from the backend: it can no longer change, and is no
 * longer found */
static void
forget_live (OmRepository *self,
             gint64        id)
{
  Live *live = g_hash_table_lookup (self->live, &id);

  if (live == NULL)
    return;
  g_object_weak_unref (G_OBJECT (live->opportunity), live_gone_cb, live);
  _om_opportunity_detach (live->opportunity);
  g_hash_table_remove (self->live, &id);
}

/* Returns: (transfer none): @opportunity, alive while it is recent or
 * someone holds it */
static OmOpportunity *
make_live (OmRepository  *self,
           OmOpportunity *opportunity)   /* transfer full */
{
  Live *live = g_new (Live, 1);

  live->id = om_opportunity_get_id (opportunity);
  forget_live (self, live->id);
  live->opportunity = opportunity;
  live->repository = self;
  g_object_weak_ref (G_OBJECT (opportunity), live_gone_cb, live);
  g_hash_table_replace (self->live, &live->id, live);
  keep_recent (self, opportunity);
  /* the recent ones keep it alive now, and whoever takes it after */
  g_object_unref (opportunity);
  return opportunity;
}

static OmOpportunity *
get_live (OmRepository *self,
          gint64        id)
{
  Live *live = g_hash_table_lookup (self->live, &id);

  return live ? live->opportunity : NULL;
}



/*
 * The opportunity @ids[0] as lists show it: the one shown already, or
 * one made from its summary. Those after it that are not shown yet are
 * read in the same request, since a list asks for its rows in turn.
 */
OmOpportunity *
_om_repository_lookup (OmRepository *self,
                       const gint64 *ids,
                       guint         n_ids)
{
  OmOpportunity *found = get_live (self, ids[0]);
  g_autoptr(GArray) wanted = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;

  if (found != NULL)
    {
      keep_recent (self, found);
      return g_object_ref (found);
    }

  wanted = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n_ids && wanted->len < PREFETCH; i++)
    if (i == 0 || get_live (self, ids[i]) == NULL)
      g_array_append_val (wanted, ids[i]);

  summaries = om_backend_get_summaries (self->reader, (const gint64 *) wanted->data, wanted->len, &error);
  if (summaries == NULL)
    g_warning ("Could not read the list of opportunities: %s", error->message);

  for (guint i = 0; summaries != NULL && i < summaries->len; i++)
    {
      const OmOpportunitySummary *summary = g_ptr_array_index (summaries, i);

      if (summary != NULL)
        make_live (self, _om_opportunity_new_from_summary (self, summary));
    }

  found = get_live (self, ids[0]);
  if (found == NULL)
    {
      /* gone meanwhile (another writer removed it): the list shows
       * what it was asked for until it is told */
      g_autoptr(OmOpportunityData) gone = om_opportunity_data_new ("", "", 0);
      g_autoptr(OmOpportunitySummary) summary = NULL;

      gone->id = ids[0];
      summary = om_opportunity_summary_new (gone);
      return _om_opportunity_new_from_summary (NULL, summary);
    }
  return g_object_ref (found);
}

GArray *
_om_repository_list_ids (OmRepository             *self,
                         const OmOpportunityQuery *query,
                         GError                  **error)
{
  return om_backend_list_ids (self->reader, query, error);
}

/**
 * om_repository_get_close_range:
 * @query: what is shown (its order and limit do not matter)
 * @first: (out): the earliest close date of the opportunities @query
 *   selects, or 0 when none has one
 * @last: (out): the latest, or 0
 *
 * Reads the two ends of the close-date order only (a row of its index
 * each way), not the whole list: of the opportunities that have a close
 * date (any date at all is a close-date filter). A backend that cannot
 * be read gives 0.
 */
void
om_repository_get_close_range (OmRepository             *self,
                               const OmOpportunityQuery *query,
                               OmDate                   *first,
                               OmDate                   *last)
{
  const OmOrder orders[] = { OM_ORDER_CLOSE_DATE, OM_ORDER_CLOSE_DATE_BACKWARDS };
  OmDate *ends[] = { first, last };

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autoptr(OmOpportunityQuery) end = om_opportunity_query_copy (query);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = NULL;
      g_autoptr(GPtrArray) summaries = NULL;

      *ends[i] = 0;
      end->order = orders[i];
      end->limit = 1;
      end->close_from = MAX (end->close_from, 1);
      ids = om_backend_list_ids (self->reader, end, &error);
      if (ids != NULL && ids->len > 0)
        summaries = om_backend_get_summaries (self->reader, (const gint64 *) ids->data, 1, &error);
      if (summaries != NULL && g_ptr_array_index (summaries, 0) != NULL)
        *ends[i] = ((const OmOpportunitySummary *) g_ptr_array_index (summaries, 0))->close_date;
      else if (error != NULL)
        g_message ("Could not read the close dates: %s", error->message);
    }
}

OmOpportunityData *
_om_repository_read (OmRepository *self,
                     gint64        id,
                     GError      **error)
{
  return om_backend_load_opportunity (self->reader, id, error);
}

/**
 * om_repository_find:
 *
 * Returns: (transfer none) (nullable): the opportunity with this id; it
 *   stays alive a while (take a reference to keep it)
 */
OmOpportunity *
om_repository_find (OmRepository *self,
                    gint64        id)
{
  OmOpportunity *found = get_live (self, id);
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;

  if (found != NULL)
    {
      keep_recent (self, found);
      return found;
    }

  summaries = om_backend_get_summaries (self->reader, &id, 1, &error);
  if (summaries == NULL)
    {
      g_warning ("Could not read opportunity %" G_GINT64_FORMAT ": %s", id, error->message);
      return NULL;
    }
  if (g_ptr_array_index (summaries, 0) == NULL)
    return NULL;
  return make_live (self, _om_opportunity_new_from_summary (self, g_ptr_array_index (summaries, 0)));
}

/**
 * om_repository_load:
 * @opportunities: (element-type OmOpportunityData): with their ids
 * @templates: (element-type OmTemplateData) (nullable): likewise
 *
 * For a repository that keeps its values in memory (no backend, or one
 * that keeps nothing): holds these as already kept. Nothing is written
 * and nothing can be undone.
 */
void
om_repository_load (OmRepository *self,
                    GPtrArray    *opportunities,
                    GPtrArray    *templates)
{
  g_autoptr(GPtrArray) all_templates = NULL;

  g_return_if_fail (self->memory != NULL);

  om_memory_backend_load (self->memory, opportunities, templates);
  all_templates = om_backend_load_templates (self->reader, NULL);
  show_templates (self, all_templates);
  refresh (self);
}

static void
refresh_lists (OmRepository *self)
{
  /* a copy: a handler may drop a list */
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->lists->len; i++)
    g_ptr_array_add (lists, g_object_ref (g_ptr_array_index (self->lists, i)));
  for (guint i = 0; i < lists->len; i++)
    _om_opportunity_list_refresh (g_ptr_array_index (lists, i));
}

static gboolean
edit_touches (Edit   *edit,
              gint64  id)
{
  for (guint i = 0; i < edit->changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (edit->changes, i);
      const OmOpportunityData *values;

      if (change->kind != OM_CHANGE_OPPORTUNITY)
        continue;
      values = change->before ? change->before : change->after;
      if (values->id == id)
        return TRUE;
    }
  return FALSE;
}

/*
 * Another writer changed @id after this repository last wrote it at
 * @revision: the edits here that changed it can no longer be undone or
 * redone over that change (R7).
 */
static void
saw_revision (OmRepository *self,
              gint64        id,
              gint64        revision)
{
  const gint64 *own = g_hash_table_lookup (self->own_revisions, &id);

  if (own == NULL || *own == revision)
    return;
  for (GList *l = self->undo.head; l != NULL; l = l->next)
    if (edit_touches (l->data, id))
      ((Edit *) l->data)->stale = TRUE;
  for (GList *l = self->redo.head; l != NULL; l = l->next)
    if (edit_touches (l->data, id))
      ((Edit *) l->data)->stale = TRUE;
}

/*
 * Shows what the backend keeps now: another writer's changes, or the
 * state after a refused edit. Every opportunity shown is checked by its
 * revision; one that changed shows its new values, one removed is let
 * go, and the lists follow.
 */
static void
refresh (OmRepository *self)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Live *live = value;

      g_array_append_val (ids, live->id);
      g_ptr_array_add (shown, g_object_ref (live->opportunity));
    }

  summaries = ids->len > 0 ? om_backend_get_summaries (self->reader, (const gint64 *) ids->data, ids->len, &error)
                           : g_ptr_array_new ();
  if (summaries == NULL)
    {
      /* not a fault of the program: a server that cannot be reached
       * (the edit just refused said so) is read again at the next
       * change; what is shown stays as it was meanwhile */
      g_message ("Could not read what changed: %s", error->message);
      return;
    }

  for (guint i = 0; i < shown->len; i++)
    {
      OmOpportunity *opportunity = g_ptr_array_index (shown, i);
      const OmOpportunitySummary *summary = g_ptr_array_index (summaries, i);

      if (summary == NULL)
        {
          forget_live (self, g_array_index (ids, gint64, i));
          continue;
        }
      if (summary->revision == om_opportunity_get_summary (opportunity)->revision)
        continue;
      saw_revision (self, summary->id, summary->revision);
      if (_om_opportunity_is_loaded (opportunity))
        {
          g_autoptr(OmOpportunityData) data = om_backend_load_opportunity (self->reader, summary->id, &error);

          if (data != NULL)
            {
              _om_opportunity_apply (opportunity, data);
              if (!self->quiet)
                g_signal_emit (self, signals[CHANGED_ELSEWHERE], 0, opportunity, summary->changed_by);
            }
          else
            {
              /* it stays as it is shown, and is read again at the next
               * change (a busy file, or a removal in between) */
              g_debug ("Reading opportunity %" G_GINT64_FORMAT " again: %s", summary->id, error->message);
              g_clear_error (&error);
            }
          continue;
        }
      _om_opportunity_set_summary (opportunity, summary);
    }

  templates = om_backend_load_templates (self->reader, NULL);
  if (templates != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->templates));
      gboolean same = n - 1 == templates->len;

      for (guint i = 0; same && i < templates->len; i++)
        {
          g_autoptr(OmTemplate) t = g_list_model_get_item (G_LIST_MODEL (self->templates), i + 1);
          same = om_template_data_equal (om_template_get_data (t), g_ptr_array_index (templates, i)) &&
                 om_template_get_data (t)->id == ((OmTemplateData *) g_ptr_array_index (templates, i))->id;
        }
      if (!same)
        show_templates (self, templates);
    }

  refresh_lists (self);
}

/**
 * om_repository_refresh_today:
 *
 * Recomputes what depends on today's date (what is overdue) for every
 * opportunity in memory, for a window left open past midnight; the
 * others are made with the new date when they are shown.
 */
void
om_repository_refresh_today (OmRepository *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  /* a copy: a handler may let one go */
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (shown, g_object_ref (((Live *) value)->opportunity));
  for (guint i = 0; i < shown->len; i++)
    om_opportunity_refresh (g_ptr_array_index (shown, i));
}

/* An undone removal that the backend kept under a new id (another
 * writer took the old one meanwhile): the edits still to undo or redo
 * name it by its new id. */
static void
renumber_in (GQueue *queue,
             gint64  old_id,
             gint64  new_id)
{
  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      Edit *edit = l->data;

      for (guint i = 0; i < edit->changes->len; i++)
        {
          OmChange *change = g_ptr_array_index (edit->changes, i);

          if (change->kind != OM_CHANGE_OPPORTUNITY)
            continue;
          /* values may be shared: renamed in copies of their own */
          for (guint side = 0; side < 2; side++)
            {
              gpointer *values = side == 0 ? &change->before : &change->after;
              OmOpportunityData *own;

              if (*values == NULL || ((OmOpportunityData *) *values)->id != old_id)
                continue;
              own = om_opportunity_data_copy (*values);
              own->id = new_id;
              om_opportunity_data_free (*values);
              *values = own;
            }
        }
    }
}

/* Whether a list may show a change other than in its rows: an
 * opportunity added or removed, or one that sorts or matches otherwise.
 * A row shows the rest itself (the opportunity notifies it). */
static gboolean
summary_moves_rows (const OmOpportunitySummary *before,
                    const OmOpportunitySummary *after)
{
  return before->status != after->status || strcmp (before->sort_key, after->sort_key) != 0 ||
         strcmp (before->search_text, after->search_text) != 0 ||
         before->close_date != after->close_date || before->next_due != after->next_due ||
         before->first_pending_due != after->first_pending_due || before->value != after->value ||
         before->weighted_value != after->weighted_value ||
         before->chain_probability != after->chain_probability;
}

/* Whether what a search or the owner filter finds in the stages changed */
static gboolean
stage_texts_differ (const OmOpportunityData *before,
                    const OmOpportunityData *after)
{
  if (before->stages->len != after->stages->len)
    return TRUE;
  for (guint i = 0; i < before->stages->len; i++)
    {
      const OmStageData *a = g_ptr_array_index (before->stages, i);
      const OmStageData *b = g_ptr_array_index (after->stages, i);

      if (a != b && (g_strcmp0 (a->owner, b->owner) != 0 || g_strcmp0 (a->client_owner, b->client_owner) != 0 ||
                     g_strcmp0 (a->activity, b->activity) != 0 || g_strcmp0 (a->milestone, b->milestone) != 0))
        return TRUE;
    }
  return FALSE;
}

/* Shows a change the backend has kept; a new opportunity of a small
 * edit is about to be shown in full, and is made so at once. Returns
 * whether lists may show it other than in its rows. */
static gboolean
show_change (OmRepository   *self,
             const OmChange *change,
             gboolean        small)
{
  if (change->kind == OM_CHANGE_TEMPLATE)
    {
      const OmTemplateData *before = change->before;
      const OmTemplateData *after = change->after;
      guint position;

      if (before == NULL)
        {
          g_autoptr(OmTemplate) item = om_template_new (after, FALSE);
          g_list_store_insert (self->templates, template_position (self, after->id), item);
        }
      else if (find_template (self, before->id, &position))
        {
          if (after == NULL)
            g_list_store_remove (self->templates, position);
          else
            {
              g_autoptr(OmTemplate) item = g_list_model_get_item (G_LIST_MODEL (self->templates), position);
              _om_template_set_data (item, after);
            }
        }
      return FALSE;
    }
  else
    {
      const OmOpportunityData *before = change->before;
      const OmOpportunityData *after = change->after;
      OmOpportunity *shown = get_live (self, before ? before->id : after->id);

      if (after != NULL)
        {
          gint64 *key = g_new (gint64, 1);
          gint64 *revision = g_new (gint64, 1);

          *key = after->id;
          *revision = after->revision;
          g_hash_table_replace (self->own_revisions, key, revision);
          if (shown != NULL)
            {
              /* what it showed and shows now are at hand */
              g_autoptr(OmOpportunitySummary) was = om_opportunity_summary_copy (om_opportunity_get_summary (shown));

              _om_opportunity_apply_derived (shown, after, change->derived);
              return before == NULL || summary_moves_rows (was, om_opportunity_get_summary (shown)) ||
                     stage_texts_differ (before, after);
            }
          else if (before == NULL)
            {
              if (small)
                make_live (self, _om_opportunity_new (self, after));
              return TRUE;
            }
          else
            {
              g_autoptr(OmOpportunitySummary) was = om_opportunity_summary_new (before);
              g_autoptr(OmOpportunitySummary) now = om_opportunity_summary_new (after);

              return summary_moves_rows (was, now) || stage_texts_differ (before, after);
            }
        }
      else
        {
          g_hash_table_remove (self->own_revisions, &before->id);
          forget_live (self, before->id);
          return TRUE;
        }
    }
}

/*
 * An undo or redo is made on the revision this repository last wrote
 * of each opportunity it changes (R7): if another writer changed one
 * since, the backend refuses it, and it is never written over the
 * other change.
 */
static void
rebase_on_own (OmRepository *self,
               GPtrArray    *changes,
               gboolean      stale)
{
  for (guint i = 0; i < changes->len; i++)
    {
      OmChange *change = g_ptr_array_index (changes, i);
      OmOpportunityData *before = change->before;
      const gint64 *own;

      if (change->kind != OM_CHANGE_OPPORTUNITY)
        continue;
      if (change->after != NULL)
        ((OmOpportunityData *) change->after)->revision = 0;
      if (before == NULL)
        continue;
      own = g_hash_table_lookup (self->own_revisions, &before->id);
      if (stale)
        before->revision = -1;   /* no revision: the backend refuses it as changed elsewhere */
      else if (own != NULL)
        before->revision = *own;
    }
}

static gboolean
keep_and_show (OmRepository *self,
               GPtrArray    *changes,
               GError      **error)
{
  g_autofree gint64 *asked_ids = g_new0 (gint64, changes->len + 1);
  gboolean moves_rows = FALSE;

  for (guint i = 0; i < changes->len; i++)
    {
      OmChange *change = g_ptr_array_index (changes, i);

      if (change->kind != OM_CHANGE_OPPORTUNITY || change->after == NULL)
        continue;
      if (change->before == NULL)
        asked_ids[i] = ((OmOpportunityData *) change->after)->id;
      /* derived once, for the backend to keep and the window to show */
      if (change->derived == NULL)
        {
          change->derived = g_new (OmDerivedValues, 1);
          om_opportunity_data_derive (change->after, change->derived);
        }
    }

  if (self->backend != NULL && !om_backend_apply (self->backend, changes, error))
    {
      /* refused, perhaps because another writer changed something:
       * what is shown becomes what is kept (the refusal says why) */
      self->quiet = TRUE;
      refresh (self);
      self->quiet = FALSE;
      return FALSE;
    }
  if (self->memory != NULL && !om_backend_apply (OM_BACKEND (self->memory), changes, error))
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);
      gint64 kept_id = change->after && change->kind == OM_CHANGE_OPPORTUNITY
                       ? ((OmOpportunityData *) change->after)->id : 0;

      if (asked_ids[i] != 0 && kept_id != asked_ids[i])
        {
          renumber_in (&self->undo, asked_ids[i], kept_id);
          renumber_in (&self->redo, asked_ids[i], kept_id);
        }
      if (show_change (self, change, changes->len <= 16))
        moves_rows = TRUE;
    }
  if (moves_rows)
    refresh_lists (self);
  return TRUE;
}

typedef struct
{
  gboolean  can_undo;
  gboolean  can_redo;
  char     *undo_label;
  char     *redo_label;
} HistoryState;

static void
history_state_save (OmRepository *self,
                    HistoryState *state)
{
  state->can_undo = om_repository_get_can_undo (self);
  state->can_redo = om_repository_get_can_redo (self);
  state->undo_label = g_strdup (om_repository_get_undo_label (self));
  state->redo_label = g_strdup (om_repository_get_redo_label (self));
}

/* Notifies what changed since @was, and only that */
static void
notify_history (OmRepository *self,
                HistoryState *was)
{
  if (was->can_undo != om_repository_get_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (was->can_redo != om_repository_get_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  if (g_strcmp0 (was->undo_label, om_repository_get_undo_label (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_LABEL]);
  if (g_strcmp0 (was->redo_label, om_repository_get_redo_label (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDO_LABEL]);
  g_free (was->undo_label);
  g_free (was->redo_label);
}

static gsize
weigh (GPtrArray *changes)
{
  gsize weight = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);

      weight++;
      if (change->kind != OM_CHANGE_OPPORTUNITY)
        continue;
      if (change->before != NULL)
        weight += ((OmOpportunityData *) change->before)->stages->len;
      if (change->after != NULL)
        weight += ((OmOpportunityData *) change->after)->stages->len;
    }
  return weight;
}

/* At most MAX_UNDO steps, and at most MAX_UNDO_STAGES stages in them */
static void
trim_undo (OmRepository *self)
{
  gsize total = 0;
  guint kept = 0;

  for (GList *l = self->undo.head; l != NULL; l = l->next, kept++)
    {
      total += ((Edit *) l->data)->weight;
      if (kept > 0 && (kept >= MAX_UNDO || total > MAX_UNDO_STAGES))
        break;
    }
  while (self->undo.length > kept)
    edit_free (g_queue_pop_tail (&self->undo));
}

/* One accepted edit: kept, shown, and recorded for undo. */
static gboolean
run_edit (OmRepository *self,
          GPtrArray    *changes,
          const char   *label,
          GError      **error)
{
  HistoryState was;
  Edit *edit;

  if (!keep_and_show (self, changes, error))
    return FALSE;

  history_state_save (self, &was);

  edit = g_new0 (Edit, 1);
  edit->label = g_strdup (label);
  edit->changes = g_ptr_array_ref (changes);
  edit->weight = weigh (changes);
  g_queue_push_head (&self->undo, edit);
  trim_undo (self);
  g_queue_clear_full (&self->redo, (GDestroyNotify) edit_free);

  notify_history (self, &was);
  return TRUE;
}

gboolean
_om_repository_commit (OmRepository          *self,
                       OmOpportunity         *opportunity,
                       OmOpportunityData     *next,
                       const OmDerivedValues *derived,
                       const char            *label,
                       GError               **error)
{
  g_autoptr(OmOpportunityData) owned = next;
  g_autoptr(GPtrArray) changes = NULL;
  const OmOpportunityData *before = om_opportunity_get_data (opportunity);

  /* perform() has judged @next by the rules already */
  if (om_opportunity_data_equal (before, owned, TRUE))
    return TRUE;

  /* made on what is shown: if another writer's change is shown, the
   * edits before it can no longer be undone over it */
  saw_revision (self, before->id, before->revision);
  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  /* the values shown before are kept as they are for undo, and the new
   * ones are the change's own until the backend has filled in their ids */
  g_ptr_array_add (changes, om_change_new (OM_CHANGE_OPPORTUNITY, NULL, NULL));
  ((OmChange *) g_ptr_array_index (changes, 0))->before = om_opportunity_data_ref (before);
  ((OmChange *) g_ptr_array_index (changes, 0))->after = g_steal_pointer (&owned);
  ((OmChange *) g_ptr_array_index (changes, 0))->derived = g_memdup2 (derived, sizeof *derived);
  return run_edit (self, changes, label, error);
}

static GArray *add_all (OmRepository *self,
                           GPtrArray    *opportunities,
                           GPtrArray    *templates,
                           const char   *label,
                           GError      **error);

/**
 * om_repository_create_opportunity:
 *
 * Returns: (transfer none) (nullable): the new opportunity
 */
OmOpportunity *
om_repository_create_opportunity (OmRepository            *self,
                                  const OmOpportunityData *data,
                                  GError                 **error)
{
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new ();
  g_autoptr(GArray) created = NULL;

  g_ptr_array_add (opportunities, (gpointer) data);
  created = add_all (self, opportunities, NULL, _("New Opportunity"), error);
  if (created == NULL)
    return NULL;
  return om_repository_find (self, g_array_index (created, gint64, 0));
}

gboolean
om_repository_remove_opportunity (OmRepository  *self,
                                  OmOpportunity *opportunity,
                                  GError       **error)
{
  g_autoptr(GPtrArray) changes = NULL;

  /* the very object: a removed one whose removal was undone has a
   * successor with the same id, and must not stand for it */
  if (get_live (self, om_opportunity_get_id (opportunity)) != opportunity)
    {
      g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                           _("This opportunity has already been removed."));
      return FALSE;
    }

  if (!om_opportunity_load (opportunity, error))
    return FALSE;
  saw_revision (self, om_opportunity_get_id (opportunity), om_opportunity_get_data (opportunity)->revision);
  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  g_ptr_array_add (changes, om_change_new (OM_CHANGE_OPPORTUNITY, om_opportunity_get_data (opportunity), NULL));
  return run_edit (self, changes, _("Remove Opportunity"), error);
}

/**
 * om_repository_import:
 * @opportunities: (element-type OmOpportunityData): new opportunities
 * @templates: (element-type OmTemplateData) (nullable): templates; one
 *   with the name of a template already there replaces it
 *
 * Adds everything in one edit, or nothing.
 *
 * Returns: (transfer full) (element-type gint64) (nullable): the new
 *   opportunities' ids, in order
 */
static GArray *
add_all (OmRepository *self,
         GPtrArray    *opportunities,
         GPtrArray    *templates,
         const char   *label,
         GError      **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  GArray *created;

  for (guint i = 0; i < opportunities->len; i++)
    {
      g_autoptr(OmOpportunityData) data = om_opportunity_data_copy (g_ptr_array_index (opportunities, i));

      data->id = 0;
      for (guint j = 0; j < data->stages->len; j++)
        if (((const OmStageData *) g_ptr_array_index (data->stages, j))->id != 0)
          om_opportunity_data_get_writable_stage (data, j)->id = 0;
      if (!om_opportunity_data_validate (data, error))
        return NULL;
      g_ptr_array_add (changes, om_change_new (OM_CHANGE_OPPORTUNITY, NULL, data));
    }

  for (guint i = 0; templates && i < templates->len; i++)
    {
      g_autoptr(OmTemplateData) data = om_template_data_copy (g_ptr_array_index (templates, i));
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->templates));
      OmTemplate *existing = NULL;

      if (!om_template_data_validate (data, error))
        return NULL;

      for (guint j = 0; j < n && existing == NULL; j++)
        {
          g_autoptr(OmTemplate) t = g_list_model_get_item (G_LIST_MODEL (self->templates), j);
          if (!om_template_get_builtin (t) && g_strcmp0 (om_template_get_name (t), data->name) == 0)
            existing = t;
        }

      if (existing != NULL)
        {
          data->id = om_template_get_data (existing)->id;
          if (!om_template_data_equal (om_template_get_data (existing), data))
            g_ptr_array_add (changes, om_change_new (OM_CHANGE_TEMPLATE, om_template_get_data (existing), data));
        }
      else
        {
          data->id = 0;   /* given by the backend */
          g_ptr_array_add (changes, om_change_new (OM_CHANGE_TEMPLATE, NULL, data));
        }
    }

  if (changes->len > 0 && !run_edit (self, changes, label, error))
    return NULL;

  /* by the ids the backend gave them */
  created = g_array_sized_new (FALSE, FALSE, sizeof (gint64), opportunities->len);
  for (guint i = 0; i < opportunities->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);

      g_array_append_val (created, ((OmOpportunityData *) change->after)->id);
    }
  return created;
}

GArray *
om_repository_import (OmRepository *self,
                      GPtrArray    *opportunities,
                      GPtrArray    *templates,
                      GError      **error)
{
  return add_all (self, opportunities, templates, _("Import"), error);
}

/* Templates */

/**
 * om_repository_can_change_template:
 *
 * Whether @template can be edited or removed: not the built-in one,
 * and not one removed meanwhile. The dry run of
 * om_repository_edit_template() and om_repository_remove_template().
 */
gboolean
om_repository_can_change_template (OmRepository *self,
                                   OmTemplate   *template,
                                   GError      **error)
{
  g_return_val_if_fail (OM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (OM_IS_TEMPLATE (template), FALSE);

  if (om_template_get_builtin (template))
    {
      g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_BUILT_IN,
                           _("The recommended process is built in and cannot be changed; "
                             "save an opportunity planned from it as a template of your own instead."));
      return FALSE;
    }
  /* the very object: one whose removal was undone has a successor */
  if (om_repository_find_template (self, om_template_get_data (template)->id) != template)
    {
      g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                           _("This template has already been removed."));
      return FALSE;
    }
  return TRUE;
}

/* @data as it would be kept in place of @replaced (or as a new one):
 * its name trimmed, checked by the rules of stages, and a name no other
 * template has, since templates are chosen and imported by name */
static OmTemplateData *
prepare_template (OmRepository         *self,
                  const OmTemplateData *data,
                  OmTemplate           *replaced,
                  GError              **error)
{
  g_autoptr(OmTemplateData) prepared = om_template_data_copy (data);
  GListModel *model = G_LIST_MODEL (self->templates);

  g_strstrip (prepared->name);
  prepared->id = replaced != NULL ? om_template_get_data (replaced)->id : 0;
  for (guint i = 0; i < prepared->stages->len; i++)
    ((OmStageData *) g_ptr_array_index (prepared->stages, i))->id = 0;
  if (!om_template_data_validate (prepared, error))
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OmTemplate) other = g_list_model_get_item (model, i);

      if (other != replaced && g_strcmp0 (om_template_get_name (other), prepared->name) == 0)
        {
          g_autofree char *shown = om_text_excerpt (prepared->name);

          g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_DUPLICATE_NAME,
                       _("There is a template named “%s” already; choose another name."), shown);
          return NULL;
        }
    }
  return g_steal_pointer (&prepared);
}

/* One edit of one template; @kept_id is the id it is kept under (a
 * new one's, from the backend) */
static gboolean
run_template_edit (OmRepository         *self,
                   const OmTemplateData *before,
                   const OmTemplateData *after,
                   const char           *label,
                   gint64               *kept_id,
                   GError              **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  const OmChange *change;

  g_ptr_array_add (changes, om_change_new (OM_CHANGE_TEMPLATE, before, after));
  if (!run_edit (self, changes, label, error))
    return FALSE;
  change = g_ptr_array_index (changes, 0);
  if (kept_id != NULL)
    *kept_id = change->after != NULL ? ((const OmTemplateData *) change->after)->id : 0;
  return TRUE;
}

/**
 * om_repository_add_template:
 * @data: the new template; its id is ignored
 *
 * Keeps a new template of the user's, as one edit that can be undone.
 * Refused, with nothing kept, when it breaks the rules of stages or
 * when another template has its name.
 *
 * Returns: (transfer none) (nullable): the new template
 */
OmTemplate *
om_repository_add_template (OmRepository         *self,
                            const OmTemplateData *data,
                            GError              **error)
{
  g_autoptr(OmTemplateData) prepared = NULL;
  gint64 id;

  g_return_val_if_fail (OM_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  prepared = prepare_template (self, data, NULL, error);
  if (prepared == NULL || !run_template_edit (self, NULL, prepared, _("New Template"), &id, error))
    return NULL;
  return om_repository_find_template (self, id);
}

/**
 * om_repository_edit_template:
 * @data: what @template becomes: its name and its stages
 *
 * Renames @template or changes its stages, as one edit that can be
 * undone. Refused for the built-in template, and like
 * om_repository_add_template().
 */
gboolean
om_repository_edit_template (OmRepository         *self,
                             OmTemplate           *template,
                             const OmTemplateData *data,
                             GError              **error)
{
  g_autoptr(OmTemplateData) prepared = NULL;
  const OmTemplateData *before;
  gboolean renamed, restaged;

  g_return_val_if_fail (OM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (OM_IS_TEMPLATE (template), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!om_repository_can_change_template (self, template, error))
    return FALSE;
  prepared = prepare_template (self, data, template, error);
  if (prepared == NULL)
    return FALSE;

  before = om_template_get_data (template);
  renamed = g_strcmp0 (before->name, prepared->name) != 0;
  restaged = before->stages->len != prepared->stages->len;
  for (guint i = 0; !restaged && i < before->stages->len; i++)
    restaged = !om_stage_data_equal (g_ptr_array_index (before->stages, i),
                                     g_ptr_array_index (prepared->stages, i));
  if (!renamed && !restaged)
    return TRUE;
  return run_template_edit (self, before, prepared,
                            renamed && !restaged ? _("Rename Template") : _("Edit Template"), NULL, error);
}

/**
 * om_repository_remove_template:
 *
 * Removes a template of the user's, as one edit that can be undone.
 * Refused for the built-in template.
 */
gboolean
om_repository_remove_template (OmRepository *self,
                               OmTemplate   *template,
                               GError      **error)
{
  g_return_val_if_fail (OM_IS_REPOSITORY (self), FALSE);
  g_return_val_if_fail (OM_IS_TEMPLATE (template), FALSE);

  return om_repository_can_change_template (self, template, error) &&
         run_template_edit (self, om_template_get_data (template), NULL, _("Remove Template"), NULL, error);
}

static gboolean
step (OmRepository *self,
      GQueue       *from,
      GQueue       *to,
      OmModelError  empty_code,
      const char   *empty_message,
      GError      **error)
{
  HistoryState was;
  Edit *edit = g_queue_peek_head (from);
  g_autoptr(GPtrArray) inverse = NULL;

  if (edit == NULL)
    {
      g_set_error_literal (error, OM_MODEL_ERROR, empty_code, empty_message);
      return FALSE;
    }

  inverse = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  for (guint i = edit->changes->len; i > 0; i--)
    g_ptr_array_add (inverse, om_change_new_inverse (g_ptr_array_index (edit->changes, i - 1)));

  rebase_on_own (self, inverse, edit->stale);
  if (!keep_and_show (self, inverse, error))
    return FALSE;

  history_state_save (self, &was);
  g_queue_pop_head (from);
  g_ptr_array_unref (edit->changes);
  edit->changes = g_steal_pointer (&inverse);
  g_queue_push_head (to, edit);

  notify_history (self, &was);
  return TRUE;
}

/**
 * om_repository_undo:
 *
 * Undoes the most recent edit, durably, as an edit of its own.
 */
gboolean
om_repository_undo (OmRepository *self,
                    GError      **error)
{
  return step (self, &self->undo, &self->redo, OM_MODEL_ERROR_NOTHING_TO_UNDO,
               _("There is nothing to undo."), error);
}

gboolean
om_repository_redo (OmRepository *self,
                    GError      **error)
{
  return step (self, &self->redo, &self->undo, OM_MODEL_ERROR_NOTHING_TO_REDO,
               _("There is nothing to redo."), error);
}

gboolean
om_repository_get_can_undo (OmRepository *self)
{
  return self->undo.length > 0;
}

gboolean
om_repository_get_can_redo (OmRepository *self)
{
  return self->redo.length > 0;
}

const char *
om_repository_get_undo_label (OmRepository *self)
{
  Edit *edit = g_queue_peek_head (&self->undo);
  return edit ? edit->label : NULL;
}

const char *
om_repository_get_redo_label (OmRepository *self)
{
  Edit *edit = g_queue_peek_head (&self->redo);
  return edit ? edit->label : NULL;
}

static gint64
edit_opportunity (Edit *edit)
{
  for (guint i = 0; edit != NULL && i < edit->changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (edit->changes, i);
      if (change->kind == OM_CHANGE_OPPORTUNITY)
        return ((OmOpportunityData *) (change->after ? change->after : change->before))->id;
    }
  return 0;
}

/**
 * om_repository_get_undo_opportunity:
 *
 * Returns: the id of the (first) opportunity that undo would change,
 *   so that it can be shown; 0 if none
 */
gint64
om_repository_get_undo_opportunity (OmRepository *self)
{
  return edit_opportunity (g_queue_peek_head (&self->undo));
}

gint64
om_repository_get_redo_opportunity (OmRepository *self)
{
  return edit_opportunity (g_queue_peek_head (&self->redo));
}

guint
om_repository_get_too_complex_threshold (OmRepository *self)
{
  return self->too_complex_threshold;
}

void
om_repository_set_too_complex_threshold (OmRepository *self,
                                         guint         threshold)
{
  g_return_if_fail (threshold > 0);

  if (self->too_complex_threshold == threshold)
    return;
  self->too_complex_threshold = threshold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOO_COMPLEX_THRESHOLD]);
}

/**
 * om_repository_get_read_only_reason:
 *
 * Every edit is refused by a backend that only reads (a read-only
 * file): this says so once, up front, in the backend's words.
 *
 * Returns: (nullable): why no edit can be kept, or %NULL
 */
const char *
om_repository_get_read_only_reason (OmRepository *self)
{
  g_return_val_if_fail (OM_IS_REPOSITORY (self), NULL);

  return self->backend != NULL ? om_backend_get_read_only_reason (self->backend) : NULL;
}

/**
 * om_repository_list_agenda:
 *
 * What om_backend_list_agenda() answers, from the backend the
 * repository reads.
 *
 * Returns: (transfer full) (element-type OmAgendaItem) (nullable)
 */
GPtrArray *
om_repository_list_agenda (OmRepository        *self,
                           const OmAgendaQuery *query,
                           GError             **error)
{
  g_return_val_if_fail (OM_IS_REPOSITORY (self), NULL);

  return om_backend_list_agenda (self->reader, query, error);
}

/**
 * om_repository_get_pipeline:
 *
 * Returns: (transfer full) (element-type OmPipelineRow) (nullable):
 *   what om_backend_get_pipeline() answers
 */
GPtrArray *
om_repository_get_pipeline (OmRepository *self,
                            GError      **error)
{
  g_return_val_if_fail (OM_IS_REPOSITORY (self), NULL);

  return om_backend_get_pipeline (self->reader, error);
}

/**
 * om_repository_list_names:
 *
 * Returns: (transfer full) (nullable): what om_backend_list_names()
 *   answers
 */
GStrv
om_repository_list_names (OmRepository *self,
                          OmNameKind    kind,
                          GError      **error)
{
  g_return_val_if_fail (OM_IS_REPOSITORY (self), NULL);

  return om_backend_list_names (self->reader, kind, error);
}

/**
 * om_repository_check_writable:
 *
 * Whether this user may change the opportunity @id at all (a team
 * server lets only its coordinator and administrators write it), asked
 * of the store, which decides it: a window shows such an opportunity as
 * one to read, with the reason, rather than failing on the first edit.
 *
 * Returns: %FALSE with the reason in @error when the store refuses
 */
gboolean
om_repository_check_writable (OmRepository *self,
                              gint64        id,
                              GError      **error)
{
  g_return_val_if_fail (OM_IS_REPOSITORY (self), FALSE);

  if (self->backend == NULL)
    return TRUE;
  return om_backend_check_writable (self->backend, id, error);
}
