/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <string.h>

#include "om-opportunity-list.h"
#include "om-opportunity-private.h"

/**
 * OmOpportunityList:
 *
 * The opportunities a query selects, in its order, as a #GListModel of
 * #OmOpportunity. It holds their ids only; an item is made when it is
 * asked for, from what the backend keeps of it for lists (its summary),
 * so a list of 100,000 costs what is on screen. The repository updates
 * it after every edit and every change another writer made, in place:
 * an item that stays is the same object.
 */
struct _OmOpportunityList
{
  GObject             parent_instance;

  OmRepository       *repository;  /* weak */
  OmOpportunityQuery *query;
  GArray             *ids;         /* gint64 */
  gboolean            updating;
  guint               first;       /* read first, the rest when asked; 0: all at once */
  gboolean            partial;     /* the rest is not read yet */
};

static void om_opportunity_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OmOpportunityList, om_opportunity_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, om_opportunity_list_model_init))

enum {
  UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
om_opportunity_list_finalize (GObject *object)
{
  OmOpportunityList *self = (OmOpportunityList *) object;

  g_clear_weak_pointer (&self->repository);
  g_clear_pointer (&self->query, om_opportunity_query_free);
  g_clear_pointer (&self->ids, g_array_unref);

  G_OBJECT_CLASS (om_opportunity_list_parent_class)->finalize (object);
}

static void
om_opportunity_list_class_init (OmOpportunityListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = om_opportunity_list_finalize;

  /**
   * OmOpportunityList::updated:
   *
   * Emitted after the items-changed signals of one update (an edit,
   * another writer's change, a new query), when the list is whole
   * again: a view that lost its selection in between finds it here.
   */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
om_opportunity_list_init (OmOpportunityList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static GType
om_opportunity_list_get_item_type (GListModel *model)
{
  return OM_TYPE_OPPORTUNITY;
}

static guint
om_opportunity_list_get_n_items (GListModel *model)
{
  return OM_OPPORTUNITY_LIST (model)->ids->len;
}

static gpointer
om_opportunity_list_get_item (GListModel *model,
                              guint       position)
{
  OmOpportunityList *self = OM_OPPORTUNITY_LIST (model);

  if (position >= self->ids->len || self->repository == NULL)
    return NULL;
  return _om_repository_lookup (self->repository, (const gint64 *) self->ids->data + position,
                                self->ids->len - position);
}

static void
om_opportunity_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = om_opportunity_list_get_item_type;
  iface->get_n_items = om_opportunity_list_get_n_items;
  iface->get_item = om_opportunity_list_get_item;
}

/*
 * @first: how many to read at once (the rest is read when asked, see
 *   om_opportunity_list_read_rest()), or 0 for all of them
 */
OmOpportunityList *
_om_opportunity_list_new (OmRepository             *repository,
                          const OmOpportunityQuery *query,
                          guint                     first)
{
  OmOpportunityList *self = g_object_new (OM_TYPE_OPPORTUNITY_LIST, NULL);

  g_set_weak_pointer (&self->repository, repository);
  self->query = om_opportunity_query_copy (query);
  self->query->limit = 0;
  self->first = first;
  _om_opportunity_list_refresh (self);
  return self;
}

/* Whether every id is read (not only the first ones) */
static gboolean
is_complete (OmOpportunityList *self)
{
  return !self->partial;
}

/**
 * om_opportunity_list_read_rest:
 *
 * Reads the ids after the first ones of a list made by
 * om_repository_list_first(), if they are not read yet, and announces
 * them as added. A window asks once its first frame is on screen.
 */
void
om_opportunity_list_read_rest (OmOpportunityList *self)
{
  g_return_if_fail (OM_IS_OPPORTUNITY_LIST (self));

  if (is_complete (self))
    return;
  _om_opportunity_list_refresh (self);
}

static gboolean
same_ids (const gint64 *a,
          const gint64 *b,
          guint         n)
{
  return n == 0 || memcmp (a, b, n * sizeof (gint64)) == 0;
}

/*
 * Announces the change from @old to the list's ids: the span between
 * the common start and end, or, where one item moved within a long
 * span, its removal and its insertion, so that a view does not rebuild
 * the rows between.
 */
static void
announce (OmOpportunityList *self,
          GArray            *old)
{
  const gint64 *o = (const gint64 *) old->data;
  const gint64 *n = (const gint64 *) self->ids->data;
  guint n_old = old->len;
  guint n_new = self->ids->len;
  guint prefix = 0, suffix = 0;
  guint removed, added;

  while (prefix < n_old && prefix < n_new && o[prefix] == n[prefix])
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix &&
         o[n_old - 1 - suffix] == n[n_new - 1 - suffix])
    suffix++;
  removed = n_old - prefix - suffix;
  added = n_new - prefix - suffix;
  if (removed == 0 && added == 0)
    return;

  if (removed == added && removed > 2)
    {
      const gint64 *om = o + prefix;
      const gint64 *nm = n + prefix;
      guint span = removed;

      /* the first one moved to the end of the span, or the last to its start */
      if (om[0] == nm[span - 1] && same_ids (om + 1, nm, span - 1))
        {
          GArray *ids = self->ids;
          g_autoptr(GArray) between = g_array_copy (old);

          g_array_remove_index (between, prefix);
          self->ids = between;
          g_list_model_items_changed (G_LIST_MODEL (self), prefix, 1, 0);
          self->ids = ids;
          g_list_model_items_changed (G_LIST_MODEL (self), prefix + span - 1, 0, 1);
          return;
        }
      if (om[span - 1] == nm[0] && same_ids (om, nm + 1, span - 1))
        {
          GArray *ids = self->ids;
          g_autoptr(GArray) between = g_array_copy (old);

          g_array_remove_index (between, prefix + span - 1);
          self->ids = between;
          g_list_model_items_changed (G_LIST_MODEL (self), prefix + span - 1, 1, 0);
          self->ids = ids;
          g_list_model_items_changed (G_LIST_MODEL (self), prefix, 0, 1);
          return;
        }
    }
  g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
}

/*
 * Asks the backend again. Returns whether the list could be read; when
 * it cannot (a busy or vanished file), it keeps showing what it had.
 */
gboolean
_om_opportunity_list_refresh (OmOpportunityList *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) old = NULL;

  if (self->repository == NULL)
    return FALSE;

  /* the first ones only, the first time: a window shows its first rows
   * without waiting for 100,000 ids */
  if (self->first > 0)
    {
      g_autoptr(OmOpportunityQuery) first = om_opportunity_query_copy (self->query);

      first->limit = self->first;
      self->first = 0;
      ids = _om_repository_list_ids (self->repository, first, &error);
      self->partial = ids != NULL && ids->len == first->limit;
    }
  else
    {
      self->partial = FALSE;
      ids = _om_repository_list_ids (self->repository, self->query, &error);
    }
  if (ids == NULL)
    {
      g_warning ("Could not read the list of opportunities: %s", error->message);
      return FALSE;
    }

  old = self->ids;
  self->ids = g_steal_pointer (&ids);
  self->updating = TRUE;
  announce (self, old);
  self->updating = FALSE;
  g_signal_emit (self, signals[UPDATED], 0);
  return TRUE;
}

const OmOpportunityQuery *
om_opportunity_list_get_query (OmOpportunityList *self)
{
  return self->query;
}

/**
 * om_opportunity_list_set_query:
 *
 * Shows what another query selects (a search, a filter): the database
 * answers it.
 */
void
om_opportunity_list_set_query (OmOpportunityList        *self,
                               const OmOpportunityQuery *query)
{
  g_return_if_fail (OM_IS_OPPORTUNITY_LIST (self));

  if (om_opportunity_query_equal (self->query, query))
    return;
  om_opportunity_query_free (self->query);
  self->query = om_opportunity_query_copy (query);
  self->query->limit = 0;
  _om_opportunity_list_refresh (self);
}

/**
 * om_opportunity_list_find:
 *
 * Returns: the position of the opportunity with @id, or
 *   %GTK_INVALID_LIST_POSITION (%G_MAXUINT)
 */
guint
om_opportunity_list_find (OmOpportunityList *self,
                          gint64             id)
{
  for (guint pass = 0; pass < 2; pass++)
    {
      const gint64 *ids = (const gint64 *) self->ids->data;

      for (guint i = 0; i < self->ids->len; i++)
        if (ids[i] == id)
          return i;
      /* perhaps among those not read yet */
      if (is_complete (self))
        break;
      om_opportunity_list_read_rest (self);
    }
  return G_MAXUINT;
}

/**
 * om_opportunity_list_find_read:
 *
 * Like om_opportunity_list_find(), among the ids read so far only.
 *
 * Returns: the position of the opportunity with @id, or %G_MAXUINT
 */
guint
om_opportunity_list_find_read (OmOpportunityList *self,
                               gint64             id)
{
  const gint64 *ids = (const gint64 *) self->ids->data;

  for (guint i = 0; i < self->ids->len; i++)
    if (ids[i] == id)
      return i;
  return G_MAXUINT;
}

gint64
om_opportunity_list_get_id (OmOpportunityList *self,
                            guint              position)
{
  g_return_val_if_fail (position < self->ids->len, 0);

  return g_array_index (self->ids, gint64, position);
}

/**
 * om_opportunity_list_is_updating:
 *
 * Returns: whether the list is between the items-changed signals of one
 *   update: an item missing now may come back before #OmOpportunityList::updated
 */
gboolean
om_opportunity_list_is_updating (OmOpportunityList *self)
{
  return self->updating;
}
