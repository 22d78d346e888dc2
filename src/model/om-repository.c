/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "om-opportunity-private.h"
#include "om-repository.h"

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
  GObject     parent_instance;

  OmBackend  *backend;
  GListStore *opportunities;
  GListStore *templates;
  GQueue      undo;       /* Edit, newest first */
  GQueue      redo;
  gint64      next_opportunity_id;
  gint64      next_stage_id;
  gint64      next_template_id;
  guint       too_complex_threshold;
};

typedef struct
{
  char      *label;
  GPtrArray *changes;     /* OmChange */
} Edit;

#define MAX_UNDO 1000

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

static void
edit_free (Edit *edit)
{
  g_free (edit->label);
  g_ptr_array_unref (edit->changes);
  g_free (edit);
}

static void
detach_all (GListStore *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (G_LIST_MODEL (store), i);
      _om_opportunity_detach (opp);
    }
}

static void
om_repository_dispose (GObject *object)
{
  OmRepository *self = (OmRepository *) object;

  if (self->opportunities)
    detach_all (self->opportunities);
  g_clear_object (&self->opportunities);
  g_clear_object (&self->templates);
  g_clear_object (&self->backend);
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
}

static void
om_repository_init (OmRepository *self)
{
  g_autoptr(OmTemplateData) recommended = om_template_data_new_recommended ();
  g_autoptr(OmTemplate) builtin = om_template_new (recommended, TRUE);

  self->opportunities = g_list_store_new (OM_TYPE_OPPORTUNITY);
  self->templates = g_list_store_new (OM_TYPE_TEMPLATE);
  g_list_store_append (self->templates, builtin);
  self->next_opportunity_id = 1;
  self->next_stage_id = 1;
  self->next_template_id = 1;
  self->too_complex_threshold = OM_DEFAULT_TOO_COMPLEX_THRESHOLD;
}

/**
 * om_repository_new:
 * @backend: (nullable): where edits are kept; %NULL keeps them in memory
 */
OmRepository *
om_repository_new (OmBackend *backend)
{
  OmRepository *self = g_object_new (OM_TYPE_REPOSITORY, NULL);

  g_set_object (&self->backend, backend);
  return self;
}

GListModel *
om_repository_get_opportunities (OmRepository *self)
{
  return G_LIST_MODEL (self->opportunities);
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
find_in (GListModel *model,
         gint64      id,
         gboolean    templates,
         guint      *position)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      gint64 item_id = templates ? om_template_get_data (OM_TEMPLATE (item))->id
                                 : om_opportunity_get_id (OM_OPPORTUNITY (item));

      if (item_id == id && !(templates && om_template_get_builtin (OM_TEMPLATE (item))))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * om_repository_find:
 *
 * Returns: (transfer none) (nullable): the opportunity with this id
 */
OmOpportunity *
om_repository_find (OmRepository *self,
                    gint64        id)
{
  guint position;
  g_autoptr(OmOpportunity) opp = NULL;

  if (!find_in (G_LIST_MODEL (self->opportunities), id, FALSE, &position))
    return NULL;
  opp = g_list_model_get_item (G_LIST_MODEL (self->opportunities), position);
  return opp; /* the store keeps it alive */
}

static void
see_ids (OmRepository            *self,
         const OmOpportunityData *data)
{
  self->next_opportunity_id = MAX (self->next_opportunity_id, data->id + 1);
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);
      self->next_stage_id = MAX (self->next_stage_id, stage->id + 1);
    }
}

/**
 * om_repository_load:
 * @opportunities: (element-type OmOpportunityData): as the backend keeps them
 * @templates: (element-type OmTemplateData) (nullable): likewise
 *
 * Shows what the backend already holds: nothing is written and nothing
 * can be undone.
 */
void
om_repository_load (OmRepository *self,
                    GPtrArray    *opportunities,
                    GPtrArray    *templates)
{
  for (guint i = 0; i < opportunities->len; i++)
    {
      const OmOpportunityData *data = g_ptr_array_index (opportunities, i);
      g_autoptr(OmOpportunity) opp = _om_opportunity_new (self, data);

      see_ids (self, data);
      g_list_store_append (self->opportunities, opp);
    }

  for (guint i = 0; templates && i < templates->len; i++)
    {
      const OmTemplateData *data = g_ptr_array_index (templates, i);
      g_autoptr(OmTemplate) template = om_template_new (data, FALSE);

      self->next_template_id = MAX (self->next_template_id, data->id + 1);
      g_list_store_append (self->templates, template);
    }
}

/* For a backend that keeps nothing and so numbers nothing (a test's,
 * or none): the database gives ids inside its transaction instead. */
static void
number_unnumbered (OmRepository   *self,
                   const OmChange *change)
{
  OmOpportunityData *data;

  if (change->after == NULL)
    return;

  if (change->kind == OM_CHANGE_TEMPLATE)
    {
      OmTemplateData *template = change->after;

      if (template->id == 0)
        template->id = self->next_template_id++;
      self->next_template_id = MAX (self->next_template_id, template->id + 1);
      return;
    }

  data = change->after;
  if (data->id == 0)
    data->id = self->next_opportunity_id++;
  if (data->revision == 0)
    data->revision = change->before ? ((OmOpportunityData *) change->before)->revision + 1 : 1;
  for (guint i = 0; i < data->stages->len; i++)
    {
      OmStageData *stage = g_ptr_array_index (data->stages, i);
      if (stage->id == 0)
        stage->id = self->next_stage_id++;
    }
  see_ids (self, data);
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
          if (change->before && ((OmOpportunityData *) change->before)->id == old_id)
            ((OmOpportunityData *) change->before)->id = new_id;
          if (change->after && ((OmOpportunityData *) change->after)->id == old_id)
            ((OmOpportunityData *) change->after)->id = new_id;
        }
    }
}

/* Shows changes the backend has kept. */
static void
show_change (OmRepository   *self,
             const OmChange *change)
{
  gboolean templates = change->kind == OM_CHANGE_TEMPLATE;
  GListStore *store = templates ? self->templates : self->opportunities;
  gint64 id = templates ? ((OmTemplateData *) (change->before ? change->before : change->after))->id
                        : ((OmOpportunityData *) (change->before ? change->before : change->after))->id;
  guint position;
  g_autoptr(GObject) item = NULL;

  if (change->before == NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

      if (templates)
        item = G_OBJECT (om_template_new (change->after, FALSE));
      else
        item = G_OBJECT (_om_opportunity_new (self, change->after));

      /* kept in id order, as loading from disk gives them, so that an
       * undone removal comes back to its place */
      for (position = 0; position < n; position++)
        {
          g_autoptr(GObject) other = g_list_model_get_item (G_LIST_MODEL (store), position);
          gint64 other_id = templates ? om_template_get_data (OM_TEMPLATE (other))->id
                                      : om_opportunity_get_id (OM_OPPORTUNITY (other));
          if (other_id > id && !(templates && om_template_get_builtin (OM_TEMPLATE (other))))
            break;
        }
      g_list_store_insert (store, position, item);
      return;
    }

  if (!find_in (G_LIST_MODEL (store), id, templates, &position))
    g_return_if_reached ();

  item = g_list_model_get_item (G_LIST_MODEL (store), position);
  if (change->after == NULL)
    {
      if (!templates)
        _om_opportunity_detach (OM_OPPORTUNITY (item));
      g_list_store_remove (store, position);
    }
  else if (templates)
    _om_template_set_data (OM_TEMPLATE (item), change->after);
  else
    _om_opportunity_apply (OM_OPPORTUNITY (item), change->after);
}

/*
 * Each change of an existing opportunity is made on what this window
 * shows of it, at the revision it was read at or last written at: an
 * undo after another writer's change then names the revision before
 * that change and is refused (R7), never written over it.
 */
static gboolean
rebase (OmRepository *self,
        GPtrArray    *changes,
        GError      **error)
{
  for (guint i = 0; i < changes->len; i++)
    {
      OmChange *change = g_ptr_array_index (changes, i);
      OmOpportunityData *before = change->before;
      OmOpportunity *shown;

      if (change->after != NULL && change->kind == OM_CHANGE_OPPORTUNITY)
        ((OmOpportunityData *) change->after)->revision = 0;
      if (before == NULL || change->kind != OM_CHANGE_OPPORTUNITY)
        continue;

      shown = om_repository_find (self, before->id);
      if (shown == NULL)
        {
          g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                               _("This opportunity has already been removed."));
          return FALSE;
        }
      change->before = om_opportunity_data_copy (om_opportunity_get_data (shown));
      om_opportunity_data_free (before);
    }
  return TRUE;
}

static gboolean
keep_and_show (OmRepository *self,
               GPtrArray    *changes,
               GError      **error)
{
  g_autofree gint64 *asked_ids = g_new0 (gint64, changes->len + 1);

  if (!rebase (self, changes, error))
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);
      if (change->kind == OM_CHANGE_OPPORTUNITY && change->before == NULL)
        asked_ids[i] = ((OmOpportunityData *) change->after)->id;
    }

  if (self->backend != NULL && !om_backend_apply (self->backend, changes, error))
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);
      gint64 kept_id;

      number_unnumbered (self, change);
      kept_id = change->after ? ((OmOpportunityData *) change->after)->id : 0;
      if (asked_ids[i] != 0 && kept_id != asked_ids[i])
        {
          renumber_in (&self->undo, asked_ids[i], kept_id);
          renumber_in (&self->redo, asked_ids[i], kept_id);
        }
      show_change (self, change);
    }
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
  g_queue_push_head (&self->undo, edit);
  while (self->undo.length > MAX_UNDO)
    edit_free (g_queue_pop_tail (&self->undo));
  g_queue_clear_full (&self->redo, (GDestroyNotify) edit_free);

  notify_history (self, &was);
  return TRUE;
}

gboolean
_om_repository_commit (OmRepository      *self,
                       OmOpportunity     *opportunity,
                       OmOpportunityData *next,
                       const char        *label,
                       GError           **error)
{
  g_autoptr(OmOpportunityData) owned = next;
  g_autoptr(GPtrArray) changes = NULL;
  const OmOpportunityData *before = om_opportunity_get_data (opportunity);

  if (om_opportunity_data_equal (before, owned, TRUE))
    return TRUE;
  if (!om_opportunity_data_validate (owned, error))
    return FALSE;

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  g_ptr_array_add (changes, om_change_new (OM_CHANGE_OPPORTUNITY, before, owned));
  return run_edit (self, changes, label, error);
}

static GPtrArray *add_all (OmRepository *self,
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
  g_autoptr(GPtrArray) created = NULL;

  g_ptr_array_add (opportunities, (gpointer) data);
  created = add_all (self, opportunities, NULL, _("New Opportunity"), error);
  if (created == NULL)
    return NULL;
  return g_ptr_array_index (created, 0);
}

gboolean
om_repository_remove_opportunity (OmRepository  *self,
                                  OmOpportunity *opportunity,
                                  GError       **error)
{
  g_autoptr(GPtrArray) changes = NULL;
  guint position;

  /* the very object: a removed one whose removal was undone has a
   * successor with the same id, and must not stand for it */
  if (!g_list_store_find (self->opportunities, opportunity, &position))
    {
      g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                           _("This opportunity has already been removed."));
      return FALSE;
    }

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
 * Returns: (transfer container) (element-type OmOpportunity) (nullable):
 *   the new opportunities, in order
 */
static GPtrArray *
add_all (OmRepository *self,
         GPtrArray    *opportunities,
         GPtrArray    *templates,
         const char   *label,
         GError      **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  GPtrArray *created;

  for (guint i = 0; i < opportunities->len; i++)
    {
      g_autoptr(OmOpportunityData) data = om_opportunity_data_copy (g_ptr_array_index (opportunities, i));

      data->id = 0;
      for (guint j = 0; j < data->stages->len; j++)
        ((OmStageData *) g_ptr_array_index (data->stages, j))->id = 0;
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
  created = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < opportunities->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);
      OmOpportunity *opp = om_repository_find (self, ((OmOpportunityData *) change->after)->id);

      g_ptr_array_add (created, g_object_ref (opp));
    }
  return created;
}

GPtrArray *
om_repository_import (OmRepository *self,
                      GPtrArray    *opportunities,
                      GPtrArray    *templates,
                      GError      **error)
{
  return add_all (self, opportunities, templates, _("Import"), error);
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
