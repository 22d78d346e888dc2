/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "om-enums.h"
#include "om-opportunity-private.h"
#include "om-stage-private.h"

/* An operation tried on a plan without being done, and its answer */
typedef struct
{
  OmOpportunityData *data;   /* the plan it was tried on, held */
  OmDate             today;
  guint              a;
  guint              b;
  OmDate             date;
  char              *text;
  gboolean           ok;
  GError            *error;
} DryRun;

/**
 * OmOpportunity:
 *
 * One major sale. Its values and derived values are read-only
 * properties; its stages are a #GListModel of #OmStage. All changes go
 * through the operations below, which enforce SPEC section 3.
 */
struct _OmOpportunity
{
  GObject            parent_instance;

  OmRepository      *repository;   /* weak: the repository owns us */
  OmOpportunitySummary *summary;   /* what lists show; always there */
  OmOpportunityData *data;         /* everything; read when first asked */
  GError            *load_error;   /* why it could not be read */
  gboolean           quiet;        /* reading what the list showed: nothing to announce */
  GListStore        *stages;
  GPtrArray         *shown_stages; /* OmStage: the items of @stages, to reach by index at once */
  gboolean           stages_asked;  /* whether anyone asked for @stages: until then it is empty */

  /* derived values, kept to notify only on change */
  OmOpportunityStatus status;
  guint              n_won;
  int                current;
  double             chain_probability;
  int                weakest;
  double             weighted_value;
  OmDate             next_due_date;
  gboolean           overdue;
  OmDate             close_date;
  OmDate             baseline_close_date;
  guint              pushes;

  DryRun            *dry_runs;     /* the last of each operation, for perform() */
};

G_DEFINE_FINAL_TYPE (OmOpportunity, om_opportunity, G_TYPE_OBJECT)

static void forget_dry_runs (OmOpportunity *self);

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_CLIENT,
  PROP_COORDINATOR,
  PROP_VALUE,
  PROP_CURRENCY,
  PROP_START_DATE,
  PROP_NOTES,
  PROP_N_STAGES,
  PROP_STATUS,
  PROP_N_WON,
  PROP_CURRENT_STAGE,
  PROP_CHAIN_PROBABILITY,
  PROP_WEAKEST_LINK,
  PROP_WEIGHTED_VALUE,
  PROP_NEXT_DUE_DATE,
  PROP_OVERDUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
om_opportunity_finalize (GObject *object)
{
  OmOpportunity *self = (OmOpportunity *) object;

  g_clear_weak_pointer (&self->repository);
  g_clear_pointer (&self->summary, om_opportunity_summary_free);
  g_clear_pointer (&self->data, om_opportunity_data_free);
  g_clear_error (&self->load_error);
  g_clear_object (&self->stages);
  g_clear_pointer (&self->shown_stages, g_ptr_array_unref);
  forget_dry_runs (self);

  G_OBJECT_CLASS (om_opportunity_parent_class)->finalize (object);
}

static void
om_opportunity_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OmOpportunity *self = OM_OPPORTUNITY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, om_opportunity_get_id (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, om_opportunity_get_title (self));
      break;
    case PROP_CLIENT:
      g_value_set_string (value, om_opportunity_get_client (self));
      break;
    case PROP_COORDINATOR:
      g_value_set_string (value, om_opportunity_get_coordinator (self));
      break;
    case PROP_VALUE:
      g_value_set_int64 (value, om_opportunity_get_value (self));
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, om_opportunity_get_currency (self));
      break;
    case PROP_START_DATE:
      g_value_set_uint (value, om_opportunity_get_start_date (self));
      break;
    case PROP_NOTES:
      g_value_set_string (value, om_opportunity_get_notes (self));
      break;
    case PROP_N_STAGES:
      g_value_set_uint (value, om_opportunity_get_n_stages (self));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_N_WON:
      g_value_set_uint (value, self->n_won);
      break;
    case PROP_CURRENT_STAGE:
      g_value_set_int (value, om_opportunity_get_current_stage (self));
      break;
    case PROP_CHAIN_PROBABILITY:
      g_value_set_double (value, self->chain_probability);
      break;
    case PROP_WEAKEST_LINK:
      g_value_set_int (value, om_opportunity_get_weakest_link (self));
      break;
    case PROP_WEIGHTED_VALUE:
      g_value_set_double (value, om_opportunity_get_weighted_value (self));
      break;
    case PROP_NEXT_DUE_DATE:
      g_value_set_uint (value, self->next_due_date);
      break;
    case PROP_OVERDUE:
      g_value_set_boolean (value, self->overdue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_opportunity_class_init (OmOpportunityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = om_opportunity_finalize;
  object_class->get_property = om_opportunity_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", flags);
  properties[PROP_CLIENT] = g_param_spec_string ("client", NULL, NULL, "", flags);
  properties[PROP_COORDINATOR] = g_param_spec_string ("coordinator", NULL, NULL, "", flags);
  /* in minor units (cents) */
  properties[PROP_VALUE] = g_param_spec_int64 ("value", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, "EUR", flags);
  properties[PROP_START_DATE] = g_param_spec_uint ("start-date", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, "", flags);
  properties[PROP_N_STAGES] = g_param_spec_uint ("n-stages", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, OM_TYPE_OPPORTUNITY_STATUS,
                                               OM_OPPORTUNITY_STATUS_OPEN, flags);
  properties[PROP_N_WON] = g_param_spec_uint ("n-won", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_CURRENT_STAGE] = g_param_spec_int ("current-stage", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_CHAIN_PROBABILITY] = g_param_spec_double ("chain-probability", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_WEAKEST_LINK] = g_param_spec_int ("weakest-link", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_WEIGHTED_VALUE] = g_param_spec_double ("weighted-value", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_NEXT_DUE_DATE] = g_param_spec_uint ("next-due-date", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_OVERDUE] = g_param_spec_boolean ("overdue", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmOpportunity::changed:
   *
   * Emitted after every change the opportunity shows, its stages' own
   * fields included, once all its properties and stages are up to date.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
om_opportunity_init (OmOpportunity *self)
{
  self->stages = g_list_store_new (OM_TYPE_STAGE);
  self->shown_stages = g_ptr_array_new_with_free_func (g_object_unref);
  self->current = -1;
  self->weakest = -1;
}

#define NOTIFY_IF(cond, prop) \
  G_STMT_START { if ((cond) && !self->quiet) g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); } G_STMT_END

OmOpportunity *
_om_opportunity_new (OmRepository            *repository,
                     const OmOpportunityData *data)
{
  OmOpportunity *self = g_object_new (OM_TYPE_OPPORTUNITY, NULL);

  g_set_weak_pointer (&self->repository, repository);
  self->data = om_opportunity_data_new ("", "", 0);
  self->summary = om_opportunity_summary_new (self->data);
  _om_opportunity_apply (self, data);
  return self;
}

static gboolean
compute_overdue (const OmOpportunitySummary *summary,
                 OmDate                      today)
{
  /* the current stage (pending, while open) is due first: if it is not
   * overdue, none is */
  return om_is_overdue (summary->status, OM_STAGE_STATUS_PENDING, summary->next_due, today);
}

/*
 * An opportunity as a list shows it: its stages are read when something
 * first asks for them (om_opportunity_load()).
 */
/* Shows what a list knows of the opportunity: its summary */
static void
take_summary (OmOpportunity              *self,
              const OmOpportunitySummary *summary)
{
  self->summary = om_opportunity_summary_copy (summary);
  self->status = summary->status;
  self->n_won = summary->n_won;
  self->chain_probability = summary->chain_probability;
  self->next_due_date = summary->next_due;
  self->overdue = compute_overdue (summary, om_date_today ());
}

OmOpportunity *
_om_opportunity_new_from_summary (OmRepository               *repository,
                                  const OmOpportunitySummary *summary)
{
  OmOpportunity *self = g_object_new (OM_TYPE_OPPORTUNITY, NULL);

  g_set_weak_pointer (&self->repository, repository);
  take_summary (self, summary);
  return self;
}

/* A substitute that shows what the list showed, with no stages, so
 * that nothing that asks for an unreadable opportunity's values fails;
 * every operation on it is refused with the reason. */
static OmOpportunityData *
placeholder_data (const OmOpportunitySummary *summary)
{
  OmOpportunityData *data = om_opportunity_data_new (summary->title, summary->client, om_date_today ());

  data->id = summary->id;
  data->revision = summary->revision;
  g_free (data->coordinator);
  data->coordinator = g_strdup (summary->coordinator);
  return data;
}

/**
 * om_opportunity_load:
 *
 * Reads everything about the opportunity (its stages and history), if
 * that was not done yet. What is shown of an opportunity in a list
 * needs none of it; every other value does, and reads it when first
 * asked; call this first to learn why it cannot be read.
 *
 * Returns: whether everything about it could be read
 */
gboolean
om_opportunity_load (OmOpportunity *self,
                     GError       **error)
{
  g_autoptr(OmOpportunityData) data = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  if (self->data != NULL && self->load_error == NULL)
    return TRUE;
  /* asked again: tried again (the file may have been busy) */
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->data, om_opportunity_data_free);

  if (self->repository != NULL)
    data = _om_repository_read (self->repository, self->summary->id, &local_error);
  else
    g_set_error_literal (&local_error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                         _("This opportunity has been removed and can no longer change."));
  if (data != NULL)
    {
      /* announced only if it changed since the list showed it */
      self->quiet = data->revision == self->summary->revision;
      self->data = om_opportunity_data_new ("", "", 0);
      _om_opportunity_apply (self, data);
      self->quiet = FALSE;
      return TRUE;
    }
  self->load_error = g_steal_pointer (&local_error);
  self->data = placeholder_data (self->summary);
  if (error != NULL)
    *error = g_error_copy (self->load_error);
  return FALSE;
}

/* The values, read if need be */
static const OmOpportunityData *
get_data (OmOpportunity *self)
{
  if (self->data == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!om_opportunity_load (self, &error))
        g_debug ("Opportunity %" G_GINT64_FORMAT " cannot be read: %s", self->summary->id, error->message);
    }
  return self->data;
}

/**
 * om_opportunity_get_summary:
 *
 * Returns: (transfer none): what lists show of it
 */
const OmOpportunitySummary *
om_opportunity_get_summary (OmOpportunity *self)
{
  return self->summary;
}

/* Whether its values have been read (something shows more than a list does) */
gboolean
_om_opportunity_is_loaded (OmOpportunity *self)
{
  return self->data != NULL && self->load_error == NULL;
}

/*
 * What another writer changed, as a list shows it; one that is loaded
 * is read again instead (_om_opportunity_apply()).
 */
void
_om_opportunity_set_summary (OmOpportunity              *self,
                             const OmOpportunitySummary *summary)
{
  g_autoptr(OmOpportunitySummary) old = NULL;
  gboolean old_overdue = self->overdue;

  g_return_if_fail (self->data == NULL || self->load_error != NULL);
  old = self->summary;

  take_summary (self, summary);
  /* read again when asked */
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->data, om_opportunity_data_free);

  g_object_freeze_notify (G_OBJECT (self));
  NOTIFY_IF (g_strcmp0 (old->title, summary->title) != 0, PROP_TITLE);
  NOTIFY_IF (g_strcmp0 (old->client, summary->client) != 0, PROP_CLIENT);
  NOTIFY_IF (g_strcmp0 (old->coordinator, summary->coordinator) != 0, PROP_COORDINATOR);
  NOTIFY_IF (old->n_stages != summary->n_stages, PROP_N_STAGES);
  NOTIFY_IF (old->status != summary->status, PROP_STATUS);
  NOTIFY_IF (old->n_won != summary->n_won, PROP_N_WON);
  NOTIFY_IF (old->chain_probability != summary->chain_probability, PROP_CHAIN_PROBABILITY);
  NOTIFY_IF (old->next_due != summary->next_due, PROP_NEXT_DUE_DATE);
  NOTIFY_IF (old_overdue != self->overdue, PROP_OVERDUE);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

/* Whether @stage shows @data's stage of the same id */
static gboolean
same_stage (OmStage           *stage,
            const OmStageData *data)
{
  const OmStageData *shown = om_stage_get_data (stage);

  return shown == data || (data->id != 0 && shown->id == data->id);
}

/* Shows the stages of @data: existing OmStage objects are kept by id, so
 * a moved stage is the same object at its new place, and the list model
 * reports the smallest span that changed in one items-changed. The work
 * grows with that span, not with the plan: the stages are compared from
 * both ends, and only those in between are looked up by id. */
static void
apply_stages (OmOpportunity *self,
              const OmStageSchedule *schedule)
{
  const OmOpportunityData *data = self->data;
  GPtrArray *shown = self->shown_stages;
  guint n_old = shown->len;
  guint n_new = data->stages->len;
  guint prefix = 0, suffix = 0, n_removed, n_added;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  while (prefix < n_old && prefix < n_new &&
         same_stage (g_ptr_array_index (shown, prefix), g_ptr_array_index (data->stages, prefix)))
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix &&
         same_stage (g_ptr_array_index (shown, n_old - 1 - suffix),
                     g_ptr_array_index (data->stages, n_new - 1 - suffix)))
    suffix++;
  n_removed = n_old - prefix - suffix;
  n_added = n_new - prefix - suffix;

  if (n_added > 0)
    {
      g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

      for (guint i = prefix; i < prefix + n_removed; i++)
        {
          OmStage *stage = g_ptr_array_index (shown, i);
          g_hash_table_insert (by_id, (gpointer) &om_stage_get_data (stage)->id, stage);
        }
      for (guint i = prefix; i < prefix + n_added; i++)
        {
          const OmStageData *sd = g_ptr_array_index (data->stages, i);
          OmStage *stage = sd->id != 0 ? g_hash_table_lookup (by_id, &sd->id) : NULL;

          g_ptr_array_add (added, stage ? g_object_ref (stage) : _om_stage_new (sd));
        }
    }

  /* the objects in their new order */
  if (n_removed == n_added)
    for (guint i = 0; i < n_added; i++)
      {
        OmStage *stage = g_object_ref (g_ptr_array_index (added, i));
        g_object_unref (g_ptr_array_index (shown, prefix + i));
        g_ptr_array_index (shown, prefix + i) = stage;
      }
  else
    {
      GPtrArray *next = g_ptr_array_new_full (n_new, g_object_unref);

      for (guint i = 0; i < prefix; i++)
        g_ptr_array_add (next, g_object_ref (g_ptr_array_index (shown, i)));
      for (guint i = 0; i < n_added; i++)
        g_ptr_array_add (next, g_object_ref (g_ptr_array_index (added, i)));
      for (guint i = n_old - suffix; i < n_old; i++)
        g_ptr_array_add (next, g_object_ref (g_ptr_array_index (shown, i)));
      g_ptr_array_unref (shown);
      self->shown_stages = shown = next;
    }

  /* Values first, so that whoever reacts to items-changed or notify
   * sees every stage as it now is. */
  {
    OmDate start = data->start_date;

    for (guint i = 0; i < n_new; i++)
      {
        const OmStageData *sd = g_ptr_array_index (data->stages, i);
        OmStageDerived derived = {
          .position = i,
          .start_date = start,
          .due_date = schedule[i].due,
          .current = (int) i == self->current,
          .overdue = schedule[i].overdue,
          .weakest = (int) i == self->weakest,
          .conflict = schedule[i].conflict,
          .slip = schedule[i].slip,
        };
        start = derived.due_date;
        _om_stage_update (g_ptr_array_index (shown, i), sd, &derived);
      }
  }

  if (n_removed > 0 || n_added > 0)
    g_list_store_splice (self->stages, prefix, n_removed, added->pdata, n_added);
}

/*
 * Shows new values: recomputes what is derived, updates the stages, and
 * notifies what changed.
 */
void
_om_opportunity_apply (OmOpportunity           *self,
                       const OmOpportunityData *data)
{
  _om_opportunity_apply_derived (self, data, NULL);
}

/* Like _om_opportunity_apply(), with what om_opportunity_data_derive()
 * says of @data, or %NULL to derive it */
void
_om_opportunity_apply_derived (OmOpportunity           *self,
                               const OmOpportunityData *data,
                               const OmDerivedValues   *given)
{
  g_autoptr(OmOpportunityData) old = self->data ? self->data : om_opportunity_data_new ("", "", 0);
  OmOpportunityStatus old_status = self->status;
  guint old_n_won = self->n_won;
  int old_current = self->current;
  double old_chain = self->chain_probability;
  int old_weakest = self->weakest;
  double old_weighted = self->weighted_value;
  OmDate old_next_due = self->next_due_date;
  gboolean old_overdue = self->overdue;
  OmDate today = om_date_today ();
  g_autofree OmStageSchedule *schedule = self->stages_asked ? om_opportunity_data_get_schedule (data, today) : NULL;

  g_autoptr(OmOpportunitySummary) old_summary = self->summary;

  OmDerivedValues derived;

  if (given != NULL)
    derived = *given;
  else
    om_opportunity_data_derive (data, &derived);
  /* kept as they are: nobody changes values once shown */
  self->data = om_opportunity_data_ref (data);
  self->summary = om_opportunity_summary_new_derived (data, &derived);
  g_clear_error (&self->load_error);
  self->status = derived.status;
  self->n_won = derived.n_won;
  self->current = derived.current;
  self->chain_probability = derived.chain_probability;
  self->weakest = derived.weakest;
  self->weighted_value = derived.weighted_value;
  self->next_due_date = self->summary->next_due;
  self->overdue = compute_overdue (self->summary, today);
  self->close_date = derived.close_date;
  self->baseline_close_date = derived.baseline_close_date;
  self->pushes = derived.pushes;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->stages_asked)
    apply_stages (self, schedule);

  NOTIFY_IF (old->id != data->id, PROP_ID);
  NOTIFY_IF (g_strcmp0 (old->title, data->title) != 0, PROP_TITLE);
  NOTIFY_IF (g_strcmp0 (old->client, data->client) != 0, PROP_CLIENT);
  NOTIFY_IF (g_strcmp0 (old->coordinator, data->coordinator) != 0, PROP_COORDINATOR);
  NOTIFY_IF (old->value != data->value, PROP_VALUE);
  NOTIFY_IF (g_strcmp0 (old->currency, data->currency) != 0, PROP_CURRENCY);
  NOTIFY_IF (old->start_date != data->start_date, PROP_START_DATE);
  NOTIFY_IF (g_strcmp0 (old->notes, data->notes) != 0, PROP_NOTES);
  NOTIFY_IF (old->stages->len != data->stages->len, PROP_N_STAGES);
  NOTIFY_IF (old_status != self->status, PROP_STATUS);
  NOTIFY_IF (old_n_won != self->n_won, PROP_N_WON);
  NOTIFY_IF (old_current != self->current, PROP_CURRENT_STAGE);
  NOTIFY_IF (old_chain != self->chain_probability, PROP_CHAIN_PROBABILITY);
  NOTIFY_IF (old_weakest != self->weakest, PROP_WEAKEST_LINK);
  NOTIFY_IF (old_weighted != self->weighted_value, PROP_WEIGHTED_VALUE);
  NOTIFY_IF (old_next_due != self->next_due_date, PROP_NEXT_DUE_DATE);
  NOTIFY_IF (old_overdue != self->overdue, PROP_OVERDUE);

  g_object_thaw_notify (G_OBJECT (self));

  if ((!om_opportunity_data_equal (old, data, TRUE) || old_overdue != self->overdue) && !self->quiet)
    g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * om_opportunity_refresh:
 *
 * Recomputes what depends on today's date (overdue stages), for a
 * window left open past midnight.
 */
void
om_opportunity_refresh (OmOpportunity *self)
{
  g_autoptr(OmOpportunityData) data = NULL;
  gboolean old_overdue = self->overdue;

  if (!_om_opportunity_is_loaded (self))
    {
      self->overdue = compute_overdue (self->summary, om_date_today ());
      if (old_overdue != self->overdue)
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERDUE]);
          g_signal_emit (self, signals[CHANGED], 0);
        }
      return;
    }
  data = om_opportunity_data_copy (self->data);
  _om_opportunity_apply (self, data);
}

const OmOpportunityData *om_opportunity_get_data (OmOpportunity *self) { return get_data (self); }
/* what the list said until it is read, and what was read after (none,
 * when it could not be read) */
guint om_opportunity_get_n_stages (OmOpportunity *self) { return self->data ? self->data->stages->len : self->summary->n_stages; }
gint64 om_opportunity_get_id (OmOpportunity *self) { return self->summary->id; }
const char *om_opportunity_get_title (OmOpportunity *self) { return self->summary->title; }
const char *om_opportunity_get_client (OmOpportunity *self) { return self->summary->client; }
const char *om_opportunity_get_coordinator (OmOpportunity *self) { return self->summary->coordinator; }
gint64 om_opportunity_get_value (OmOpportunity *self) { return get_data (self)->value; }
const char *om_opportunity_get_currency (OmOpportunity *self) { return get_data (self)->currency; }
OmDate om_opportunity_get_start_date (OmOpportunity *self) { return get_data (self)->start_date; }
const char *om_opportunity_get_notes (OmOpportunity *self) { return get_data (self)->notes; }
OmOpportunityStatus om_opportunity_get_status (OmOpportunity *self) { return self->status; }
guint om_opportunity_get_n_won (OmOpportunity *self) { return self->n_won; }
int om_opportunity_get_current_stage (OmOpportunity *self) { get_data (self); return self->current; }
double om_opportunity_get_chain_probability (OmOpportunity *self) { return self->chain_probability; }
int om_opportunity_get_weakest_link (OmOpportunity *self) { get_data (self); return self->weakest; }
double om_opportunity_get_weighted_value (OmOpportunity *self) { get_data (self); return self->weighted_value; }
OmDate om_opportunity_get_next_due_date (OmOpportunity *self) { return self->next_due_date; }
gboolean om_opportunity_get_overdue (OmOpportunity *self) { return self->overdue; }

/**
 * om_opportunity_get_n_warnings:
 *
 * How many process-health warnings om_opportunity_check_health() gives
 * today, answered from what a list knows (the plan is not read).
 *
 * Returns: the count, or -1 when it is not known (a file upgraded from
 *   an earlier version, until the opportunity is next changed or read)
 */
int
om_opportunity_get_n_warnings (OmOpportunity *self)
{
  const OmOpportunitySummary *summary;
  guint threshold;

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), -1);

  summary = self->summary;
  if (summary->health == OM_HEALTH_UNKNOWN)
    return -1;
  threshold = self->repository ? om_repository_get_too_complex_threshold (self->repository)
                               : OM_DEFAULT_TOO_COMPLEX_THRESHOLD;
  return (int) om_health_count (summary->health, summary->status, summary->n_stages - summary->n_won,
                                threshold, self->overdue);
}

/* The schedule (SPEC 2): what the plan's dates say as a whole */
OmDate
om_opportunity_get_target_date (OmOpportunity *self)
{
  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), 0);
  return get_data (self)->target_date;
}

OmDate
om_opportunity_get_close_date (OmOpportunity *self)
{
  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), 0);
  get_data (self);
  return self->close_date;
}

OmDate
om_opportunity_get_baseline_close_date (OmOpportunity *self)
{
  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), 0);
  get_data (self);
  return self->baseline_close_date;
}

guint
om_opportunity_get_pushes (OmOpportunity *self)
{
  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), 0);
  get_data (self);
  return self->pushes;
}

/**
 * om_opportunity_get_stages:
 *
 * The stages as objects, made when first asked for: an opportunity that
 * only changes (the command line, an undo of one not on show) never
 * makes one object per stage of a long plan.
 *
 * Returns: (transfer none): a #GListModel of #OmStage
 */
GListModel *
om_opportunity_get_stages (OmOpportunity *self)
{
  get_data (self);
  if (!self->stages_asked)
    {
      self->stages_asked = TRUE;
      if (self->data != NULL)
        {
          g_autofree OmStageSchedule *schedule = om_opportunity_data_get_schedule (self->data, om_date_today ());
          apply_stages (self, schedule);
        }
    }
  return G_LIST_MODEL (self->stages);
}

/**
 * om_opportunity_get_stage:
 *
 * Returns: (transfer none): the stage at @index
 */
OmStage *
om_opportunity_get_stage (OmOpportunity *self,
                          guint          index)
{
  g_autoptr(OmStage) stage = g_list_model_get_item (om_opportunity_get_stages (self), index);

  return stage; /* the list keeps it alive */
}

/**
 * om_opportunity_check_health:
 *
 * Returns: (transfer full) (element-type OmHealthWarning): the process
 *   health warnings of SPEC section 4
 */
GPtrArray *
om_opportunity_check_health (OmOpportunity *self)
{
  guint threshold = self->repository ? om_repository_get_too_complex_threshold (self->repository)
                                     : OM_DEFAULT_TOO_COMPLEX_THRESHOLD;

  return om_opportunity_data_check_health (get_data (self), threshold, om_date_today ());
}

/* Operations */

typedef enum
{
  OP_ADD,
  OP_REMOVE,
  OP_MOVE,
  OP_WIN,
  OP_LOSE,
  OP_REOPEN,
  OP_REOPEN_STAGE,
  OP_EDIT_STAGE,
  OP_EDIT,
  OP_AGREE_DATE,
  OP_SET_BASELINE,
  OP_FOLD,
  OP_ADD_PROCESS_AGREEMENT,
  N_OP_KINDS
} OpKind;

typedef struct
{
  OpKind                   kind;
  guint                    a;
  guint                    b;
  const char              *text;
  OmDate                   date;      /* a decision's day (0: today), an agreed date */
  const OmStageData       *stage;
  const OmOpportunityData *edited;
  guint                   *place;     /* out: where a stage was added, or NULL */
  OmDerivedValues         *after;     /* out: the plan's derived values afterwards, or NULL */
} Op;

static const char *
op_label (OpKind kind)
{
  switch (kind)
    {
    case OP_ADD: return _("Add Stage");
    case OP_REMOVE: return _("Remove Stage");
    case OP_MOVE: return _("Move Stage");
    case OP_WIN: return _("Mark Won");
    case OP_LOSE: return _("Mark Lost");
    case OP_REOPEN:
    case OP_REOPEN_STAGE: return _("Reopen");
    case OP_EDIT_STAGE: return _("Edit Stage");
    case OP_AGREE_DATE: return _("Reschedule");
    case OP_SET_BASELINE: return _("Set Baseline");
    case OP_FOLD: return _("Simplify with a Feasibility Study");
    case OP_ADD_PROCESS_AGREEMENT: return _("Add Process Meeting");
    case OP_EDIT: default: return _("Edit Opportunity");
    }
}

static void
forget_dry_runs (OmOpportunity *self)
{
  if (self->dry_runs == NULL)
    return;
  for (guint i = 0; i < N_OP_KINDS; i++)
    {
      g_clear_pointer (&self->dry_runs[i].data, om_opportunity_data_free);
      g_free (self->dry_runs[i].text);
      g_clear_error (&self->dry_runs[i].error);
    }
  g_clear_pointer (&self->dry_runs, g_free);
}

/* A dry run of @op asked before about the same plan on the same day:
 * its answer in @ok and @error. The window asks its actions again on
 * every change of the selection, and a dry run copies what it changes
 * (taking a baseline: every stage of the plan). Only operations given
 * by values, that answer yes or no, are remembered. */
static gboolean
recall_dry_run (OmOpportunity *self,
                const Op      *op,
                OmDate         today,
                gboolean      *ok,
                GError       **error)
{
  const DryRun *run = self->dry_runs != NULL ? &self->dry_runs[op->kind] : NULL;

  if (run == NULL || run->data != self->data || run->today != today || run->a != op->a || run->b != op->b ||
      run->date != op->date || g_strcmp0 (run->text, op->text) != 0 || op->stage != NULL || op->edited != NULL ||
      op->after != NULL || op->place != NULL)
    return FALSE;
  *ok = run->ok;
  if (run->error != NULL)
    g_propagate_error (error, g_error_copy (run->error));
  return TRUE;
}

static void
remember_dry_run (OmOpportunity *self,
                  const Op      *op,
                  OmDate         today,
                  gboolean       ok,
                  GError       **error)
{
  DryRun *run;

  /* nor those that answer more than yes or no */
  if (op->stage != NULL || op->edited != NULL || op->after != NULL || op->place != NULL)
    return;
  if (self->dry_runs == NULL)
    self->dry_runs = g_new0 (DryRun, N_OP_KINDS);
  run = &self->dry_runs[op->kind];
  g_clear_pointer (&run->data, om_opportunity_data_free);
  g_clear_pointer (&run->text, g_free);
  g_clear_error (&run->error);
  run->data = om_opportunity_data_ref (self->data);
  run->today = today;
  run->a = op->a;
  run->b = op->b;
  run->date = op->date;
  run->text = g_strdup (op->text);
  run->ok = ok;
  if (error != NULL && *error != NULL)
    run->error = g_error_copy (*error);
}

/* One path for every operation: it is tried on a copy; a dry run stops
 * there, a real one hands the copy to the repository to keep and show. */
static gboolean
try_operation (OmOpportunity *self,
               const Op      *op,
               OmDate         today,
               gboolean       dry_run,
               GError       **error)
{
  g_autoptr(OmOpportunityData) next = NULL;
  gboolean ok = FALSE;
  OmDerivedValues derived;

  next = om_opportunity_data_copy (self->data);

  switch (op->kind)
    {
    case OP_ADD:
      ok = om_opportunity_data_add_stage (next, op->a, om_stage_data_copy (op->stage), error);
      break;
    case OP_REMOVE:
      ok = om_opportunity_data_remove_stage (next, op->a, error);
      break;
    case OP_MOVE:
      ok = om_opportunity_data_move_stage (next, op->a, op->b, error);
      break;
    case OP_WIN:
      ok = om_opportunity_data_win_stage (next, op->a, op->date ? op->date : today, op->text, error);
      break;
    case OP_LOSE:
      ok = om_opportunity_data_lose_stage (next, op->a, op->date ? op->date : today, op->text, error);
      break;
    case OP_AGREE_DATE:
      ok = om_opportunity_data_agree_date (next, op->a, op->date, today, op->text, error);
      break;
    case OP_SET_BASELINE:
      ok = om_opportunity_data_set_baseline (next, today, op->text, error);
      break;
    case OP_REOPEN:
      ok = om_opportunity_data_reopen (next, today, op->text, error);
      break;
    case OP_REOPEN_STAGE:
      ok = om_opportunity_data_reopen_stage (next, op->a, today, op->text, error);
      break;
    case OP_EDIT_STAGE:
      ok = om_opportunity_data_edit_stage (next, op->a, op->stage, error);
      break;
    case OP_EDIT:
      ok = om_opportunity_data_edit (next, op->edited, error);
      break;
    case OP_FOLD:
      ok = om_opportunity_data_fold_feasibility (next, op->a, op->b, today, error);
      break;
    case OP_ADD_PROCESS_AGREEMENT:
      ok = om_opportunity_data_add_process_agreement (next, op->place, error);
      break;
    default:
      g_assert_not_reached ();
    }

  /* the whole plan afterwards, so that a dry run answers exactly as the
   * real operation will: winning today may, say, carry the due dates
   * after it past the end of the calendar */
  if (!ok || !om_opportunity_data_validate_derived (next, &derived, error))
    return FALSE;

  /* R6: whatever the edit, a move of the close date is recorded, with
   * the note the person gave, or else what they did */
  om_opportunity_data_record_close_date (next, self->close_date, &derived, today,
                                         op->kind != OP_LOSE && !om_str_is_blank (op->text) ? op->text
                                                                                          : op_label (op->kind));

  if (self->repository == NULL)
    {
      g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                           _("This opportunity has been removed and can no longer change."));
      return FALSE;
    }
  if (op->after != NULL)
    *op->after = derived;
  if (dry_run)
    return TRUE;
  /* asked once, for the list's row and the database's column alike */
  derived.health = om_opportunity_data_get_lasting_health_derived (next, &derived);

  return _om_repository_commit (self->repository, self, g_steal_pointer (&next), &derived,
                                op_label (op->kind), error);
}

/* Every operation and its dry run, through try_operation(); a dry run
 * asked again about the same plan on the same day answers as before */
static gboolean
perform (OmOpportunity *self,
         const Op      *op,
         gboolean       dry_run,
         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  OmDate today = om_date_today ();
  gboolean ok;

  if (!om_opportunity_load (self, error))
    return FALSE;
  if (!dry_run || self->repository == NULL)
    return try_operation (self, op, today, dry_run, error);
  if (recall_dry_run (self, op, today, &ok, error))
    return ok;
  ok = try_operation (self, op, today, TRUE, &local_error);
  remember_dry_run (self, op, today, ok, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

/**
 * om_opportunity_add_stage:
 * @position: where the stage goes; 0 to the number of stages
 * @stage: the new stage's values; it is added pending
 */
gboolean
om_opportunity_add_stage (OmOpportunity     *self,
                          guint              position,
                          const OmStageData *stage,
                          GError           **error)
{
  Op op = { OP_ADD, .a = position, .stage = stage };
  return perform (self, &op, FALSE, error);
}

gboolean
om_opportunity_can_add_stage (OmOpportunity *self,
                              guint          position,
                              GError       **error)
{
  g_autoptr(OmStageData) probe = om_stage_data_new (_("New stage"), _("Milestone"));
  Op op = { OP_ADD, .a = position, .stage = probe };
  return perform (self, &op, TRUE, error);
}

gboolean
om_opportunity_remove_stage (OmOpportunity *self,
                             guint          index,
                             GError       **error)
{
  Op op = { OP_REMOVE, .a = index };
  return perform (self, &op, FALSE, error);
}

gboolean
om_opportunity_can_remove_stage (OmOpportunity *self,
                                 guint          index,
                                 GError       **error)
{
  Op op = { OP_REMOVE, .a = index };
  return perform (self, &op, TRUE, error);
}

/**
 * om_opportunity_move_stage:
 * @from: the stage's place now
 * @to: its place afterwards
 *
 * Moves one stage in one edit and one transaction.
 */
gboolean
om_opportunity_move_stage (OmOpportunity *self,
                           guint          from,
                           guint          to,
                           GError       **error)
{
  Op op = { OP_MOVE, .a = from, .b = to };
  return perform (self, &op, FALSE, error);
}

gboolean
om_opportunity_can_move_stage (OmOpportunity *self,
                               guint          from,
                               guint          to,
                               GError       **error)
{
  Op op = { OP_MOVE, .a = from, .b = to };
  return perform (self, &op, TRUE, error);
}

/**
 * om_opportunity_win_stage:
 * @note: (nullable): a note for the decision history
 *
 * Marks the current stage won today.
 */
gboolean
om_opportunity_win_stage (OmOpportunity *self,
                          guint          index,
                          const char    *note,
                          GError       **error)
{
  Op op = { OP_WIN, .a = index, .text = note };
  return perform (self, &op, FALSE, error);
}

gboolean
om_opportunity_can_win_stage (OmOpportunity *self,
                              guint          index,
                              GError       **error)
{
  Op op = { OP_WIN, .a = index };
  return perform (self, &op, TRUE, error);
}

/**
 * om_opportunity_decide_stage:
 * @status: %OM_STAGE_STATUS_WON or %OM_STAGE_STATUS_LOST
 * @on: the day it was decided
 * @text: (nullable): a note for the decision history; for a lost stage,
 *   the reason, which is required
 *
 * Marks the current stage won or lost on the day the person says.
 */
gboolean
om_opportunity_decide_stage (OmOpportunity *self,
                             guint          index,
                             OmStageStatus  status,
                             OmDate         on,
                             const char    *text,
                             GError       **error)
{
  Op op = { status == OM_STAGE_STATUS_LOST ? OP_LOSE : OP_WIN, .a = index, .text = text, .date = on };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);
  g_return_val_if_fail (status != OM_STAGE_STATUS_PENDING, FALSE);
  g_return_val_if_fail (on != 0, FALSE);

  return perform (self, &op, FALSE, error);
}

/**
 * om_opportunity_agree_date:
 * @date: the day agreed with the client, or 0 to unpin the stage
 * @note: (nullable): for the schedule history
 *
 * Reschedules a pending stage: pins it to the day agreed with the
 * client, or unpins it (see om_opportunity_data_agree_date()).
 */
gboolean
om_opportunity_agree_date (OmOpportunity *self,
                           guint          index,
                           OmDate         date,
                           const char    *note,
                           GError       **error)
{
  Op op = { OP_AGREE_DATE, .a = index, .date = date, .text = note };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, FALSE, error);
}

/**
 * om_opportunity_can_agree_date:
 *
 * Whether the stage can be rescheduled at all (any date from the start
 * date would do).
 */
gboolean
om_opportunity_can_agree_date (OmOpportunity *self,
                               guint          index,
                               GError       **error)
{
  Op op = { OP_AGREE_DATE, .a = index };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  if (!om_opportunity_load (self, error))
    return FALSE;
  op.date = self->data->start_date;
  return perform (self, &op, TRUE, error);
}

/**
 * om_opportunity_set_baseline:
 * @note: why, for the schedule history
 *
 * Takes the plan as it stands as the plan of record.
 */
gboolean
om_opportunity_set_baseline (OmOpportunity *self,
                             const char    *note,
                             GError       **error)
{
  Op op = { OP_SET_BASELINE, .text = note };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, FALSE, error);
}

gboolean
om_opportunity_can_set_baseline (OmOpportunity *self,
                                 GError       **error)
{
  Op op = { OP_SET_BASELINE };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, TRUE, error);
}

/**
 * om_opportunity_lose_stage:
 * @reason: why the stage was lost; required
 *
 * Marks the current stage lost today, which loses the opportunity.
 */
gboolean
om_opportunity_lose_stage (OmOpportunity *self,
                           guint          index,
                           const char    *reason,
                           GError       **error)
{
  Op op = { OP_LOSE, .a = index, .text = reason };
  return perform (self, &op, FALSE, error);
}

/**
 * om_opportunity_can_lose_stage:
 *
 * Whether the stage can be marked lost, given a reason.
 */
gboolean
om_opportunity_can_lose_stage (OmOpportunity *self,
                               guint          index,
                               GError       **error)
{
  Op op = { OP_LOSE, .a = index, .text = "-" };
  return perform (self, &op, TRUE, error);
}

gboolean
om_opportunity_reopen (OmOpportunity *self,
                       const char    *note,
                       GError       **error)
{
  Op op = { OP_REOPEN, .text = note };
  return perform (self, &op, FALSE, error);
}

gboolean
om_opportunity_can_reopen (OmOpportunity *self,
                           GError       **error)
{
  Op op = { OP_REOPEN };
  return perform (self, &op, TRUE, error);
}

/**
 * om_opportunity_get_reopen_stage:
 *
 * Which stage om_opportunity_reopen() would give back to pending (R4:
 * the lost stage, or else the last won one): what a window names and
 * offers Reopen on.
 *
 * Returns: its index, or -1 when no stage is decided
 */
int
om_opportunity_get_reopen_stage (OmOpportunity *self)
{
  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), -1);

  return om_opportunity_data_get_reopen_stage (get_data (self));
}

/**
 * om_opportunity_reopen_stage:
 * @index: the stage to reopen
 *
 * Reopens @index, and only if it is the stage om_opportunity_reopen()
 * would reopen; refuses otherwise, naming the stage that would be.
 */
gboolean
om_opportunity_reopen_stage (OmOpportunity *self,
                             guint          index,
                             const char    *note,
                             GError       **error)
{
  Op op = { OP_REOPEN_STAGE, .a = index, .text = note };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, FALSE, error);
}

/**
 * om_opportunity_can_reopen_stage:
 *
 * Whether om_opportunity_reopen_stage() would accept @index now.
 */
gboolean
om_opportunity_can_reopen_stage (OmOpportunity *self,
                                 guint          index,
                                 GError       **error)
{
  Op op = { OP_REOPEN_STAGE, .a = index };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, TRUE, error);
}

/**
 * om_opportunity_edit_stage:
 * @edited: the stage's values after the edit
 *
 * Changes a stage's plan fields (and a decided stage's date and lost
 * reason); its status changes only through decisions.
 */
gboolean
om_opportunity_edit_stage (OmOpportunity     *self,
                           guint              index,
                           const OmStageData *edited,
                           GError           **error)
{
  Op op = { OP_EDIT_STAGE, .a = index, .stage = edited };
  return perform (self, &op, FALSE, error);
}

/**
 * om_opportunity_edit:
 * @edited: the opportunity's values after the edit; its stages are ignored
 */
gboolean
om_opportunity_edit (OmOpportunity           *self,
                     const OmOpportunityData *edited,
                     GError                 **error)
{
  Op op = { OP_EDIT, .edited = edited };
  return perform (self, &op, FALSE, error);
}

/**
 * om_opportunity_fold_feasibility:
 * @first: the first of the pending stages to replace
 * @last: the last of them
 *
 * Simplifies the plan in one edit: replaces stages @first to @last by a
 * Feasibility Study (see om_opportunity_data_fold_feasibility()).
 */
gboolean
om_opportunity_fold_feasibility (OmOpportunity *self,
                                 guint          first,
                                 guint          last,
                                 GError       **error)
{
  Op op = { OP_FOLD, .a = first, .b = last };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, FALSE, error);
}

/**
 * om_opportunity_can_fold_feasibility:
 * @after: (out) (optional): what the plan would be like afterwards (its
 *   pending stages, its chain probability), when it would be accepted
 *
 * Whether om_opportunity_fold_feasibility() would accept the run, and
 * why not; the dry run that a dialog shows before and after from.
 */
gboolean
om_opportunity_can_fold_feasibility (OmOpportunity   *self,
                                     guint            first,
                                     guint            last,
                                     OmDerivedValues *after,
                                     GError         **error)
{
  Op op = { OP_FOLD, .a = first, .b = last, .after = after };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, TRUE, error);
}

/**
 * om_opportunity_add_process_agreement:
 * @position: (out) (optional): where the stage was added
 *
 * Adds the recommended process meeting among the first two stages, at
 * the earliest place the rules allow (see
 * om_opportunity_data_get_process_agreement_place()).
 */
gboolean
om_opportunity_add_process_agreement (OmOpportunity *self,
                                      guint         *position,
                                      GError       **error)
{
  Op op = { OP_ADD_PROCESS_AGREEMENT, .place = position };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, FALSE, error);
}

gboolean
om_opportunity_can_add_process_agreement (OmOpportunity *self,
                                          GError       **error)
{
  Op op = { OP_ADD_PROCESS_AGREEMENT };

  g_return_val_if_fail (OM_IS_OPPORTUNITY (self), FALSE);

  return perform (self, &op, TRUE, error);
}

/* Called when the repository lets the opportunity go (removed, or its
 * creation undone): any later operation on it is refused. */
void
_om_opportunity_detach (OmOpportunity *self)
{
  g_clear_weak_pointer (&self->repository);
}
