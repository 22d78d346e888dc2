/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "om-opportunity-data.h"

G_DEFINE_BOXED_TYPE (OmStageData, om_stage_data, om_stage_data_copy, om_stage_data_free)
G_DEFINE_BOXED_TYPE (OmOpportunityData, om_opportunity_data, om_opportunity_data_copy, om_opportunity_data_free)
G_DEFINE_BOXED_TYPE (OmTemplateData, om_template_data, om_template_data_copy, om_template_data_free)

/* A long plan's stages are read in order, each in memory of its own:
 * asking for the one a few places ahead while reading one keeps the
 * reads from waiting on memory one after the other */
#ifndef PREFETCH_AHEAD
#define PREFETCH_AHEAD 16
#endif
#if defined(__GNUC__)
#define PREFETCH_STAGE(d, i) \
  G_STMT_START { if ((i) + PREFETCH_AHEAD < (d)->stages->len) __builtin_prefetch (STAGE_BOX (g_ptr_array_index ((d)->stages, (i) + PREFETCH_AHEAD))); } G_STMT_END
#else
#define PREFETCH_STAGE(d, i) G_STMT_START { } G_STMT_END
#endif

/* Read-only: a stage may be shared with other copies of the plan */
#define STAGE(d, i) ((const OmStageData *) g_ptr_array_index ((d)->stages, (i)))
/* Writable: the stage is made this plan's own first */
#define WSTAGE(d, i) om_opportunity_data_get_writable_stage ((d), (i))

/*
 * Stages and history entries are shared between copies of a plan: a copy
 * takes a reference to each, and whoever changes one in a plan first
 * takes its own copy (om_opportunity_data_get_writable_stage()). So an
 * edit of one stage in a 10,000-stage plan copies one stage, not 10,000,
 * and a stage that is the same object in two versions of a plan is
 * known to be unchanged without comparing it.
 *
 * The versions of a plan, and so their stages, belong to one thread (the
 * window's, or a command's): a stage's count is a plain integer. Every
 * edit of a long plan counts each of its stages up once (the copy) and
 * down once (the oldest undo step let go of), and an atomic count would
 * make that a fifth of the edit's time.
 */
typedef struct
{
  gint        ref;
  gboolean    checked;          /* passed validate_stage() while shared... */
  OmDate      checked_start;    /* ...in a plan starting then */
  guint8      owner_known;      /* owner_is_blank() asked while shared... */
  guint8      owner_blank;      /* ...and its answer */
  OmStageData data;
} StageBox;

typedef struct
{
  gint           ref;
  OmHistoryEntry entry;
} EntryBox;

/* An opportunity's values are shared whole, too, by whoever only keeps
 * them: the one on show and the undo history hold the same values */
typedef struct
{
  gint              ref;
  OmOpportunityData data;
} DataBox;

#define DATA_BOX(d) ((DataBox *) ((char *) (d) - G_STRUCT_OFFSET (DataBox, data)))
#define STAGE_BOX(s) ((StageBox *) ((char *) (s) - G_STRUCT_OFFSET (StageBox, data)))
#define ENTRY_BOX(e) ((EntryBox *) ((char *) (e) - G_STRUCT_OFFSET (EntryBox, entry)))

/* The built-in recommended process of SPEC section 5: the template, and
 * the stages that the remedies of the health warnings put into a plan */
typedef enum
{
  RECOMMENDED_INITIAL_APPOINTMENT,
  RECOMMENDED_PROCESS_MEETING,
  RECOMMENDED_STUDY_PROPOSAL,
  RECOMMENDED_STUDY,
  RECOMMENDED_PROPOSAL,
  RECOMMENDED_CONTRACT,
} RecommendedStep;

static const struct
{
  const char *activity;
  const char *milestone;
  OmStageKind kind;
  guint       days;
  double      p;
} recommended_steps[] = {
  [RECOMMENDED_INITIAL_APPOINTMENT] = { N_("Initial appointment"), N_("Client agrees to explore the opportunity with us"), OM_STAGE_KIND_STANDARD, 7, 0.8 },
  [RECOMMENDED_PROCESS_MEETING] = { N_("Process meeting"), N_("Client agrees to the opportunity-management process"), OM_STAGE_KIND_PROCESS_AGREEMENT, 7, 0.8 },
  [RECOMMENDED_STUDY_PROPOSAL] = { N_("Feasibility Study proposal"), N_("Client commissions the Feasibility Study"), OM_STAGE_KIND_FEASIBILITY_STUDY, 14, 0.6 },
  [RECOMMENDED_STUDY] = { N_("Feasibility Study"), N_("Client accepts the study's recommendation"), OM_STAGE_KIND_FEASIBILITY_STUDY, 30, 0.7 },
  [RECOMMENDED_PROPOSAL] = { N_("Proposal"), N_("Client accepts the proposal"), OM_STAGE_KIND_STANDARD, 14, 0.7 },
  [RECOMMENDED_CONTRACT] = { N_("Contract"), N_("Contract signed"), OM_STAGE_KIND_STANDARD, 14, 0.9 },
};

static OmStageData *recommended_stage (RecommendedStep step);

/* Stage */

static OmStageData *
stage_data_alloc (void)
{
  /* the box and the first fields of the stage in one cache line */
  StageBox *box = g_aligned_alloc0 (1, sizeof (StageBox), 64);

  box->ref = 1;
  return &box->data;
}

OmStageData *
om_stage_data_new (const char *activity,
                   const char *milestone)
{
  OmStageData *self = stage_data_alloc ();

  self->activity = g_strdup (activity ? activity : "");
  self->milestone = g_strdup (milestone ? milestone : "");
  self->kind = OM_STAGE_KIND_STANDARD;
  self->owner = g_strdup ("");
  self->client_owner = g_strdup ("");
  self->duration_days = 7;
  self->probability = 0.5;
  self->status = OM_STAGE_STATUS_PENDING;
  self->lost_reason = g_strdup ("");
  self->client_description = g_strdup ("");
  self->notes = g_strdup ("");
  return self;
}

/**
 * om_stage_data_copy:
 *
 * Returns: (transfer full): a copy of @self of its own, to change
 */
OmStageData *
om_stage_data_copy (const OmStageData *self)
{
  OmStageData *copy = stage_data_alloc ();

  *copy = *self;
  copy->activity = g_strdup (self->activity);
  copy->milestone = g_strdup (self->milestone);
  copy->owner = g_strdup (self->owner);
  copy->client_owner = g_strdup (self->client_owner);
  copy->lost_reason = g_strdup (self->lost_reason);
  copy->client_description = g_strdup (self->client_description);
  copy->notes = g_strdup (self->notes);
  return copy;
}

/**
 * om_stage_data_ref:
 *
 * Shares @self: neither holder may change it any more, see
 * om_opportunity_data_get_writable_stage().
 *
 * Returns: (transfer full): @self
 */
OmStageData *
om_stage_data_ref (const OmStageData *self)
{
  STAGE_BOX (self)->ref++;
  return (OmStageData *) self;
}

/* Whether another holder shares @self */
static gboolean
stage_is_shared (const OmStageData *self)
{
  return STAGE_BOX (self)->ref > 1;
}

/**
 * om_stage_data_free:
 *
 * Drops a reference to @self, and frees it with the last one.
 */
void
om_stage_data_free (OmStageData *self)
{
  if (self == NULL || --STAGE_BOX (self)->ref > 0)
    return;
  g_free (self->activity);
  g_free (self->milestone);
  g_free (self->owner);
  g_free (self->client_owner);
  g_free (self->lost_reason);
  g_free (self->client_description);
  g_free (self->notes);
  g_aligned_free (STAGE_BOX (self));
}

gboolean
om_stage_data_equal (const OmStageData *a,
                     const OmStageData *b)
{
  if (a == b)
    return TRUE;
  return a->id == b->id &&
         g_strcmp0 (a->activity, b->activity) == 0 &&
         g_strcmp0 (a->milestone, b->milestone) == 0 &&
         a->kind == b->kind &&
         g_strcmp0 (a->owner, b->owner) == 0 &&
         g_strcmp0 (a->client_owner, b->client_owner) == 0 &&
         a->duration_days == b->duration_days &&
         a->probability == b->probability &&
         a->status == b->status &&
         a->decided_on == b->decided_on &&
         a->agreed_on == b->agreed_on &&
         a->baseline_due == b->baseline_due &&
         g_strcmp0 (a->lost_reason, b->lost_reason) == 0 &&
         g_strcmp0 (a->client_description, b->client_description) == 0 &&
         g_strcmp0 (a->notes, b->notes) == 0;
}

/**
 * om_stage_data_describe:
 *
 * Returns: how messages name a stage: its number and (an excerpt of) its
 *   activity, on one line.
 */
char *
om_stage_data_describe (const OmStageData *self,
                        guint              index)
{
  g_autofree char *activity = om_text_excerpt (self->activity);

  /* Translators: a stage in a message: its number and its activity */
  return g_strdup_printf (_("Stage %u “%s”"), index + 1, activity);
}

/* History */

OmHistoryEntry *
om_history_entry_new (guint         stage,
                      OmStageStatus from,
                      OmStageStatus to,
                      OmDate        on,
                      const char   *note)
{
  EntryBox *box = g_new0 (EntryBox, 1);
  OmHistoryEntry *self = &box->entry;

  box->ref = 1;

  self->stage = stage;
  self->from = from;
  self->to = to;
  self->on = on;
  self->note = g_strdup (note ? note : "");
  return self;
}

/* Drops a reference to @self, and frees it with the last one */
void
om_history_entry_free (OmHistoryEntry *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&ENTRY_BOX (self)->ref))
    return;
  g_free (self->note);
  g_free (ENTRY_BOX (self));
}

static OmHistoryEntry *
history_entry_ref (const OmHistoryEntry *self)
{
  g_atomic_int_inc (&ENTRY_BOX (self)->ref);
  return (OmHistoryEntry *) self;
}

/* Schedule history */

OmScheduleEntry *
om_schedule_entry_new (OmScheduleWhat what,
                       int            stage,
                       OmDate         from,
                       OmDate         to,
                       OmDate         on,
                       const char    *note)
{
  OmScheduleEntry *self = g_new0 (OmScheduleEntry, 1);

  self->what = what;
  self->stage = what == OM_SCHEDULE_AGREED_DATE ? stage : -1;
  self->from = from;
  self->to = to;
  self->on = on;
  self->note = g_strdup (note ? note : "");
  return self;
}

OmScheduleEntry *
om_schedule_entry_copy (const OmScheduleEntry *self)
{
  OmScheduleEntry *copy = om_schedule_entry_new (self->what, self->stage, self->from, self->to,
                                                 self->on, self->note);

  copy->stage = self->stage;
  return copy;
}

void
om_schedule_entry_free (OmScheduleEntry *self)
{
  if (self == NULL)
    return;
  g_free (self->note);
  g_free (self);
}

static gboolean
schedule_entry_equal (const OmScheduleEntry *a,
                      const OmScheduleEntry *b)
{
  return a->what == b->what && a->stage == b->stage && a->from == b->from && a->to == b->to &&
         a->on == b->on && g_strcmp0 (a->note, b->note) == 0;
}

/* Opportunity */

OmOpportunityData *
om_opportunity_data_new (const char *title,
                         const char *client,
                         OmDate      start_date)
{
  DataBox *box = g_new0 (DataBox, 1);
  OmOpportunityData *self = &box->data;

  box->ref = 1;
  self->title = g_strdup (title ? title : "");
  self->client = g_strdup (client ? client : "");
  self->coordinator = g_strdup ("");
  self->currency = g_strdup ("EUR");
  self->start_date = start_date;
  self->notes = g_strdup ("");
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) om_stage_data_free);
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) om_history_entry_free);
  self->schedule = g_ptr_array_new_with_free_func ((GDestroyNotify) om_schedule_entry_free);
  return self;
}

OmOpportunityData *
om_opportunity_data_copy (const OmOpportunityData *self)
{
  OmOpportunityData *copy = om_opportunity_data_new (self->title, self->client, self->start_date);

  copy->id = self->id;
  copy->revision = self->revision;
  g_free (copy->coordinator);
  copy->coordinator = g_strdup (self->coordinator);
  copy->value = self->value;
  copy->target_date = self->target_date;
  g_free (copy->currency);
  copy->currency = g_strdup (self->currency);
  g_free (copy->notes);
  copy->notes = g_strdup (self->notes);
  g_ptr_array_set_size (copy->stages, (int) self->stages->len);
  for (guint i = 0; i < self->stages->len; i++)
    {
      PREFETCH_STAGE (self, i);
      g_ptr_array_index (copy->stages, i) = om_stage_data_ref (STAGE (self, i));
    }
  g_ptr_array_set_size (copy->history, (int) self->history->len);
  for (guint i = 0; i < self->history->len; i++)
    g_ptr_array_index (copy->history, i) = history_entry_ref (g_ptr_array_index (self->history, i));
  for (guint i = 0; i < self->schedule->len; i++)
    g_ptr_array_add (copy->schedule, om_schedule_entry_copy (g_ptr_array_index (self->schedule, i)));
  return copy;
}

/**
 * om_opportunity_data_get_writable_stage:
 *
 * The stage at @index, made @self's own first if it is shared with
 * another copy of the plan: the one way to change a stage of a plan.
 *
 * Returns: (transfer none): the stage at @index
 */
OmStageData *
om_opportunity_data_get_writable_stage (OmOpportunityData *self,
                                        guint              index)
{
  OmStageData *stage;

  g_return_val_if_fail (index < self->stages->len, NULL);
  stage = g_ptr_array_index (self->stages, index);
  if (stage_is_shared (stage))
    {
      OmStageData *own = om_stage_data_copy (stage);

      g_ptr_array_index (self->stages, index) = own;
      om_stage_data_free (stage);
      return own;
    }
  /* its holder may change it now */
  STAGE_BOX (stage)->checked = FALSE;
  STAGE_BOX (stage)->owner_known = FALSE;
  return stage;
}

/**
 * om_opportunity_data_get_writable_entry:
 *
 * Like om_opportunity_data_get_writable_stage(), for history entry @index.
 *
 * Returns: (transfer none): the entry at @index
 */
OmHistoryEntry *
om_opportunity_data_get_writable_entry (OmOpportunityData *self,
                                        guint              index)
{
  OmHistoryEntry *entry;

  g_return_val_if_fail (index < self->history->len, NULL);
  entry = g_ptr_array_index (self->history, index);
  if (g_atomic_int_get (&ENTRY_BOX (entry)->ref) > 1)
    {
      OmHistoryEntry *own = om_history_entry_new (entry->stage, entry->from, entry->to, entry->on, entry->note);

      g_ptr_array_index (self->history, index) = own;
      om_history_entry_free (entry);
      return own;
    }
  return entry;
}

void
om_opportunity_data_free (OmOpportunityData *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&DATA_BOX (self)->ref))
    return;
  g_free (self->title);
  g_free (self->client);
  g_free (self->coordinator);
  g_free (self->currency);
  g_free (self->notes);
  /* each stage let go of with the next ones' boxes on their way: the
   * undo history drops a long plan's old version at every edit */
  for (guint i = 0; i < self->stages->len; i++)
    {
      PREFETCH_STAGE (self, i);
      om_stage_data_free (g_ptr_array_index (self->stages, i));
    }
  g_ptr_array_set_free_func (self->stages, NULL);
  g_ptr_array_unref (self->stages);
  g_ptr_array_unref (self->history);
  g_ptr_array_unref (self->schedule);
  g_free (DATA_BOX (self));
}

/**
 * om_opportunity_data_ref:
 *
 * Shares @self whole with a holder that only reads it: no holder may
 * change it any more (om_opportunity_data_copy() gives one to change).
 *
 * Returns: (transfer full): @self
 */
OmOpportunityData *
om_opportunity_data_ref (const OmOpportunityData *self)
{
  g_atomic_int_inc (&DATA_BOX (self)->ref);
  return (OmOpportunityData *) self;
}

/**
 * om_opportunity_data_equal:
 * @compare_ids: whether the opportunity's and stages' ids must match too
 */
gboolean
om_opportunity_data_equal (const OmOpportunityData *a,
                           const OmOpportunityData *b,
                           gboolean                 compare_ids)
{
  if ((compare_ids && a->id != b->id) ||
      g_strcmp0 (a->title, b->title) != 0 ||
      g_strcmp0 (a->client, b->client) != 0 ||
      g_strcmp0 (a->coordinator, b->coordinator) != 0 ||
      a->value != b->value ||
      g_strcmp0 (a->currency, b->currency) != 0 ||
      a->start_date != b->start_date ||
      a->target_date != b->target_date ||
      g_strcmp0 (a->notes, b->notes) != 0 ||
      a->stages->len != b->stages->len ||
      a->history->len != b->history->len ||
      a->schedule->len != b->schedule->len)
    return FALSE;

  for (guint i = 0; i < a->schedule->len; i++)
    if (!schedule_entry_equal (g_ptr_array_index (a->schedule, i), g_ptr_array_index (b->schedule, i)))
      return FALSE;

  for (guint i = 0; i < a->stages->len; i++)
    {
      OmStageData sa, sb;

      if (STAGE (a, i) == STAGE (b, i))
        continue;
      sa = *STAGE (a, i);
      sb = *STAGE (b, i);
      if (!compare_ids)
        sa.id = sb.id = 0;
      if (!om_stage_data_equal (&sa, &sb))
        return FALSE;
    }

  for (guint i = 0; i < a->history->len; i++)
    {
      const OmHistoryEntry *ha = g_ptr_array_index (a->history, i);
      const OmHistoryEntry *hb = g_ptr_array_index (b->history, i);

      if (ha == hb)
        continue;
      if (ha->stage != hb->stage || ha->from != hb->from || ha->to != hb->to ||
          ha->on != hb->on || g_strcmp0 (ha->note, hb->note) != 0)
        return FALSE;
    }

  return TRUE;
}

const OmStageData *
om_opportunity_data_get_stage (const OmOpportunityData *self,
                               guint                    index)
{
  g_return_val_if_fail (index < self->stages->len, NULL);
  return STAGE (self, index);
}

guint
om_opportunity_data_get_n_stages (const OmOpportunityData *self)
{
  return self->stages->len;
}

/* Derived values */

/* SPEC 2, the one place of the rule: the due date of @stage, after a
 * stage due on @previous (or a plan starting then). A decided stage is
 * due on the day it was decided; a pending one with an agreed date on
 * that date, whatever comes before it; any other pending one its
 * duration after the one before it. So winning a stage early moves the
 * unpinned stages after it, never an agreed one. */
static inline OmDate
due_after (OmDate             previous,
           const OmStageData *stage)
{
  if (stage->status != OM_STAGE_STATUS_PENDING)
    return stage->decided_on;
  if (stage->agreed_on != 0)
    return stage->agreed_on;
  return om_date_add_days (previous, stage->duration_days);
}

/**
 * om_opportunity_data_derive:
 * @values: (out): what is derived from the stages
 *
 * The values of SPEC section 2 that follow from the stages, in one pass
 * over them: the one place where they are worked out (the functions
 * below that return one of them ask it).
 *
 * R1: the opportunity is won if and only if there is at least one stage
 * and every stage is won; lost if any stage is lost; open otherwise. Its
 * current stage is the first that is not won, while it is open; its
 * chain probability is the product of its pending stages' (1 when won,
 * 0 when lost or without stages); its weakest link is the pending stage
 * with the lowest probability (the first on ties), while it is open;
 * its weighted value is its value times its chain probability.
 */
/* The codes of SPEC 4, in a fixed order: their bits in a mask */
typedef enum
{
  HEALTH_NO_PROCESS_AGREEMENT,
  HEALTH_TOO_COMPLEX,
  HEALTH_NO_OWNER,
  HEALTH_OVERDUE,
  HEALTH_WEAK_LINK,
  HEALTH_PAST_TARGET,
  HEALTH_PINNED_CONFLICT,
  HEALTH_NEXT_NOT_AGREED,
  HEALTH_PUSHED,
  HEALTH_SLIPPED,
} HealthCode;

/* What om_opportunity_data_derive() gathers, stage by stage: a pass
 * that reads the stages for another reason (validation) derives the
 * values in the same pass, with the same steps */
typedef struct
{
  guint    n;
  guint    n_won;
  gboolean lost;
  int      first_not_won;
  int      weakest;
  double   weakest_p;
  OmDate   due;
  OmDate   first_not_won_due;
  OmDate   first_pending_due;
  OmDate   baseline_close;
  /* the pending stages' chances: the distinct values in ascending
   * order, each with how often it comes (see pending_product()) */
  double   chances[32];
  guint    chance_counts[32];
  guint    n_chances;
  gboolean many_chances;     /* more distinct values than that */
  /* what the health check says of the stages (SPEC 4) */
  gboolean lacks_owner;      /* a pending stage nobody conducts */
  gboolean agreed_early;     /* a pending stage agreed before the one before it is due */
  gboolean agreed_process;   /* a process agreement among the won stages... */
  gboolean next_not_agreed;  /* ...and the first stage after them has no agreed date */
} Derivation;

/* SPEC 2: a push is a recorded move of the close date to later */
static guint
count_pushes (const OmOpportunityData *self)
{
  guint pushes = 0;

  for (guint k = 0; k < self->schedule->len; k++)
    {
      const OmScheduleEntry *e = g_ptr_array_index (self->schedule, k);

      if (e->what == OM_SCHEDULE_CLOSE_DATE && e->from != 0 && e->to > e->from)
        pushes++;
    }
  return pushes;
}

static inline void
derivation_start (Derivation              *d,
                  const OmOpportunityData *self)
{
  d->n = 0;
  d->n_won = 0;
  d->lost = FALSE;
  d->first_not_won = -1;
  d->weakest = -1;
  d->weakest_p = 0.0;
  d->due = self->start_date;
  d->first_not_won_due = 0;
  d->first_pending_due = 0;
  d->baseline_close = 0;
  d->n_chances = 0;
  d->many_chances = FALSE;
  d->lacks_owner = FALSE;
  d->agreed_early = FALSE;
  d->agreed_process = FALSE;
  d->next_not_agreed = FALSE;
}

/* Counts chance @x among the distinct values of @d */
static inline void
count_chance (Derivation *d,
              double      x)
{
  guint lo = 0, hi = d->n_chances;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (d->chances[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < d->n_chances && d->chances[lo] == x)
    {
      d->chance_counts[lo]++;
      return;
    }
  if (d->n_chances == G_N_ELEMENTS (d->chances))
    {
      d->many_chances = TRUE;
      return;
    }
  memmove (d->chances + lo + 1, d->chances + lo, (d->n_chances - lo) * sizeof *d->chances);
  memmove (d->chance_counts + lo + 1, d->chance_counts + lo, (d->n_chances - lo) * sizeof *d->chance_counts);
  d->chances[lo] = x;
  d->chance_counts[lo] = 1;
  d->n_chances++;
}

/* Stage @i, after the stages before it */
static inline gboolean stage_lacks_owner (const OmStageData *stage);
static inline gboolean agreed_too_early  (const OmStageData *stage,
                                          guint              i,
                                          OmDate             previous);

static inline void
derivation_step (Derivation        *d,
                 const OmStageData *stage,
                 guint              i)
{
  d->n++;
  if (stage->status == OM_STAGE_STATUS_PENDING)
    {
      d->lacks_owner = d->lacks_owner || stage_lacks_owner (stage);
      d->agreed_early = d->agreed_early || agreed_too_early (stage, i, d->due);
    }
  d->due = due_after (d->due, stage);
  if (stage->baseline_due > d->baseline_close)
    d->baseline_close = stage->baseline_due;
  if (stage->status == OM_STAGE_STATUS_PENDING)
    {
      if (d->first_pending_due == 0 || d->due < d->first_pending_due)
        d->first_pending_due = d->due;
      if (d->weakest < 0 || stage->probability < d->weakest_p)
        {
          d->weakest = (int) i;
          d->weakest_p = stage->probability;
        }
      if (!d->many_chances)
        count_chance (d, stage->probability);
    }

  if (stage->status == OM_STAGE_STATUS_WON)
    {
      d->n_won++;
      if (d->first_not_won < 0 && stage->kind == OM_STAGE_KIND_PROCESS_AGREEMENT)
        d->agreed_process = TRUE;
    }
  else if (d->first_not_won < 0)
    {
      d->first_not_won = (int) i;
      d->first_not_won_due = d->due;
      d->next_not_agreed = d->agreed_process && stage->agreed_on == 0;
    }
  if (stage->status == OM_STAGE_STATUS_LOST)
    d->lost = TRUE;
}

static int
compare_probabilities (gconstpointer a,
                       gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* SPEC 7: the product of the pending stages' probabilities taken in an
 * order of their values, not of the plan's, so that reordering the plan
 * never changes the chain probability (nor the weighted value) by the
 * last bit a floating-point product rounds differently. Plans have few
 * distinct values (chances are set in percent): multiplying each value
 * its number of times, in ascending order, is the product of the sorted
 * values, to the bit, without sorting every stage's; the pass that
 * derives the rest counts them. */
static double
pending_product (const Derivation        *d,
                 const OmOpportunityData *self)
{
  g_autofree double *all = NULL;
  double p = 1.0;
  guint n = 0;

  if (!d->many_chances)
    {
      for (guint k = 0; k < d->n_chances; k++)
        for (guint c = 0; c < d->chance_counts[k]; c++)
          p *= d->chances[k];
      return p;
    }

  /* too many distinct values: sort them all */
  all = g_new (double, self->stages->len);
  for (guint i = 0; i < self->stages->len; i++)
    if (STAGE (self, i)->status == OM_STAGE_STATUS_PENDING)
      all[n++] = STAGE (self, i)->probability;
  qsort (all, n, sizeof (double), compare_probabilities);
  for (guint i = 0; i < n; i++)
    p *= all[i];
  return p;
}

static void
derivation_finish (const Derivation        *d,
                   const OmOpportunityData *self,
                   OmDerivedValues         *values)
{
  values->n_won = d->n_won;
  if (d->lost)
    values->status = OM_OPPORTUNITY_STATUS_LOST;
  else if (d->n > 0 && d->n_won == d->n)
    values->status = OM_OPPORTUNITY_STATUS_WON;
  else
    values->status = OM_OPPORTUNITY_STATUS_OPEN;

  switch (values->status)
    {
    case OM_OPPORTUNITY_STATUS_WON:
      values->chain_probability = 1.0;
      break;
    case OM_OPPORTUNITY_STATUS_LOST:
      values->chain_probability = 0.0;
      break;
    case OM_OPPORTUNITY_STATUS_OPEN:
    default:
      values->chain_probability = d->n > 0 ? pending_product (d, self) : 0.0;
      break;
    }
  values->weighted_value = (double) self->value * values->chain_probability;
  values->close_date = d->n > 0 ? d->due : 0;
  values->baseline_close_date = d->baseline_close;
  values->pushes = count_pushes (self);
  values->health = OM_HEALTH_UNKNOWN;
  values->stage_health = 0;
  if (values->status == OM_OPPORTUNITY_STATUS_OPEN)
    {
      if (d->lacks_owner)
        values->stage_health |= 1u << HEALTH_NO_OWNER;
      if (d->agreed_early)
        values->stage_health |= 1u << HEALTH_PINNED_CONFLICT;
      if (d->next_not_agreed)
        values->stage_health |= 1u << HEALTH_NEXT_NOT_AGREED;
    }

  if (values->status == OM_OPPORTUNITY_STATUS_OPEN)
    {
      values->current = d->first_not_won;
      values->weakest = d->weakest;
      values->next_due = d->first_not_won >= 0 ? d->first_not_won_due : 0;
      values->first_pending_due = d->first_pending_due;
    }
  else
    {
      values->current = -1;
      values->weakest = -1;
      values->next_due = 0;
      values->first_pending_due = 0;
    }
}

void
om_opportunity_data_derive (const OmOpportunityData *self,
                            OmDerivedValues         *values)
{
  Derivation d;

  derivation_start (&d, self);
  for (guint i = 0; i < self->stages->len; i++)
    {
      PREFETCH_STAGE (self, i);
      derivation_step (&d, STAGE (self, i), i);
    }
  derivation_finish (&d, self, values);
}

guint
om_opportunity_data_get_n_won (const OmOpportunityData *self)
{
  OmDerivedValues values;

  om_opportunity_data_derive (self, &values);
  return values.n_won;
}

OmOpportunityStatus
om_opportunity_data_get_status (const OmOpportunityData *self)
{
  OmDerivedValues values;

  om_opportunity_data_derive (self, &values);
  return values.status;
}

/**
 * om_opportunity_data_get_current:
 *
 * Returns: the index of the first stage that is not won while the
 *   opportunity is open, or -1.
 */
int
om_opportunity_data_get_current (const OmOpportunityData *self)
{
  OmDerivedValues values;

  om_opportunity_data_derive (self, &values);
  return values.current;
}

/**
 * om_opportunity_data_get_due_date:
 *
 * A decided stage is due on the day it was decided. A pending stage is
 * due on the last decided stage's date before it (or the start date),
 * plus the durations of the pending stages from there up to and including
 * this one.
 */
OmDate
om_opportunity_data_get_due_date (const OmOpportunityData *self,
                                  guint                    index)
{
  g_autofree OmDate *dates = NULL;

  g_return_val_if_fail (index < self->stages->len, 0);

  dates = om_opportunity_data_get_due_dates (self);
  return dates[index];
}

/**
 * om_opportunity_data_get_due_dates:
 *
 * Returns: (transfer full): the due date of every stage, in one pass
 */
OmDate *
om_opportunity_data_get_due_dates (const OmOpportunityData *self)
{
  OmDate *dates = g_new (OmDate, self->stages->len + 1);
  OmDate due = self->start_date;

  for (guint i = 0; i < self->stages->len; i++)
    {
      due = due_after (due, STAGE (self, i));
      dates[i] = due;
    }
  return dates;
}

/**
 * om_opportunity_data_get_pending_dues:
 * @max_pending: how many pending stages to date
 *
 * Like om_opportunity_data_get_due_dates(), for the first @max_pending
 * pending stages only: it stops reading the plan after them.
 *
 * Returns: (transfer full): per stage, its due date if it is one of
 *   the first @max_pending pending stages, or else 0
 */
OmDate *
om_opportunity_data_get_pending_dues (const OmOpportunityData *self,
                                      guint                    max_pending)
{
  OmDate *dates = g_new0 (OmDate, self->stages->len + 1);
  OmDate due = self->start_date;
  guint n_pending = 0;

  for (guint i = 0; i < self->stages->len && n_pending < max_pending; i++)
    {
      const OmStageData *stage = STAGE (self, i);

      due = due_after (due, stage);
      if (stage->status == OM_STAGE_STATUS_PENDING)
        {
          dates[i] = due;
          n_pending++;
        }
    }
  return dates;
}

/* Stage @i's place in the schedule, @previous the due date of the
 * stage before it (or the start date): the one place of each value */
static inline OmStageSchedule
schedule_step (const OmStageData   *stage,
               guint                i,
               OmDate               previous,
               OmOpportunityStatus  status,
               OmDate               today)
{
  OmStageSchedule entry;

  entry.due = due_after (previous, stage);
  entry.slip = stage->baseline_due != 0 ? (int) ((gint64) entry.due - (gint64) stage->baseline_due) : 0;
  entry.overdue = om_is_overdue (status, stage->status, entry.due, today);
  entry.conflict = status == OM_OPPORTUNITY_STATUS_OPEN && agreed_too_early (stage, i, previous);
  return entry;
}

/**
 * om_opportunity_data_get_schedule:
 * @today: the day the plan is looked at
 *
 * Where each stage stands in the schedule, in one pass: its due date,
 * its slip against the baseline, whether it is overdue (SPEC 4) and
 * whether its agreed date comes before the stage before it is due (the
 * chain cannot be kept: `pinned-conflict`). What the timeline, the
 * health check, the stage editor and the summary show.
 *
 * Returns: (transfer full): one entry per stage
 */
OmStageSchedule *
om_opportunity_data_get_schedule (const OmOpportunityData *self,
                                  OmDate                   today)
{
  OmStageSchedule *schedule = g_new0 (OmStageSchedule, self->stages->len + 1);
  OmOpportunityStatus status = om_opportunity_data_get_status (self);
  OmDate due = self->start_date;

  for (guint i = 0; i < self->stages->len; i++)
    {
      PREFETCH_STAGE (self, i);
      schedule[i] = schedule_step (STAGE (self, i), i, due, status, today);
      due = schedule[i].due;
    }
  return schedule;
}

/**
 * om_is_overdue:
 * @status: the opportunity's status
 * @stage_status: the stage's
 * @due: the stage's due date
 *
 * SPEC 4, the one place of the rule: a pending stage of an open
 * opportunity is overdue once the day it was due has passed; on a
 * closed opportunity nothing is late any more.
 */
gboolean
om_is_overdue (OmOpportunityStatus status,
               OmStageStatus       stage_status,
               OmDate              due,
               OmDate              today)
{
  return status == OM_OPPORTUNITY_STATUS_OPEN && stage_status == OM_STAGE_STATUS_PENDING &&
         due != 0 && due < today;
}

gboolean
om_opportunity_data_is_overdue (const OmOpportunityData *self,
                                guint                    index,
                                OmDate                   today)
{
  g_return_val_if_fail (index < self->stages->len, FALSE);

  return om_is_overdue (om_opportunity_data_get_status (self), STAGE (self, index)->status,
                        om_opportunity_data_get_due_date (self, index), today);
}

double
om_opportunity_data_get_chain_probability (const OmOpportunityData *self)
{
  OmDerivedValues values;

  om_opportunity_data_derive (self, &values);
  return values.chain_probability;
}

/**
 * om_opportunity_data_get_weakest_link:
 *
 * Returns: the pending stage with the lowest probability (the first on
 *   ties) of an open opportunity, or -1.
 */
int
om_opportunity_data_get_weakest_link (const OmOpportunityData *self)
{
  OmDerivedValues values;

  om_opportunity_data_derive (self, &values);
  return values.weakest;
}

/**
 * om_opportunity_data_get_weighted_value:
 *
 * Returns: value × chain probability, in minor units.
 */
double
om_opportunity_data_get_weighted_value (const OmOpportunityData *self)
{
  OmDerivedValues values;

  om_opportunity_data_derive (self, &values);
  return values.weighted_value;
}

/* Health */

void
om_health_warning_free (OmHealthWarning *self)
{
  if (self == NULL)
    return;
  g_free (self->code);
  g_free (self->message);
  g_free (self);
}


static const char *const health_codes[] = {
  [HEALTH_NO_PROCESS_AGREEMENT] = "no-process-agreement",
  [HEALTH_TOO_COMPLEX] = "too-complex",
  [HEALTH_NO_OWNER] = "no-owner",
  [HEALTH_OVERDUE] = "overdue",
  [HEALTH_WEAK_LINK] = "weak-link",
  [HEALTH_PAST_TARGET] = "past-target",
  [HEALTH_PINNED_CONFLICT] = "pinned-conflict",
  [HEALTH_NEXT_NOT_AGREED] = "next-not-agreed",
  [HEALTH_PUSHED] = "pushed",
  [HEALTH_SLIPPED] = "slipped",
};

/* The warnings found: their bits, and their words when asked for */
typedef struct
{
  GPtrArray *warnings;          /* NULL: the bits only */
  guint      mask;
} Health;

/* Warning @code applies: counted in the mask; whether its words are wanted */
static inline gboolean
warn (Health     *h,
      HealthCode  code)
{
  h->mask |= 1u << code;
  return h->warnings != NULL;
}

static void
add_warning (Health     *h,
             HealthCode  code,
             int         stage,
             char       *message)
{
  OmHealthWarning *w = g_new0 (OmHealthWarning, 1);

  w->code = g_strdup (health_codes[code]);
  w->stage = stage;
  w->message = message;
  g_ptr_array_add (h->warnings, w);
}

/* How many other stages a warning about several stages names: past it,
 * it names one fewer and counts the rest, so that a plan of thousands of
 * stages still gets a warning of one line, which never ends on "and 1
 * more" */
#define MAX_LISTED_STAGES 9

/* "3", "3 and 5", "2, 3, … 9 and 1991 more": the numbers of the first
 * @n_listed of @n stages, whose indices are @listed */
static char *
describe_stage_numbers (const guint *listed,
                        guint        n)
{
  GString *text = g_string_new (NULL);
  guint n_named = n > MAX_LISTED_STAGES ? MAX_LISTED_STAGES - 1 : n;

  for (guint i = 0; i < n_named; i++)
    {
      if (i > 0)
        /* Translators: between the numbers of a list of stages, and before the last */
        g_string_append (text, i + 1 == n ? _(" and ") : _(", "));
      g_string_append_printf (text, "%u", listed[i] + 1);
    }
  if (n_named < n)
    {
      guint rest = n - n_named;

      /* Translators: ends a list of stages too long to name in full,
       * e.g. "2, 3, 4 and 1997 more" */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " and %u more", " and %u more", rest), rest);
    }
  return g_string_free (text, FALSE);
}

/* Whether nobody conducts @stage. A shared stage never changes (see
 * validate_stage()), so its answer is kept: the health of a long plan,
 * asked at every edit, then reads the text of the stages edited only. */
static inline gboolean
owner_is_blank (const OmStageData *stage)
{
  StageBox *box = STAGE_BOX (stage);
  gboolean shared = stage_is_shared (stage);
  gboolean blank;

  if (shared && box->owner_known)
    return box->owner_blank;
  blank = om_str_is_blank (stage->owner);
  if (shared)
    {
      box->owner_blank = blank;
      box->owner_known = TRUE;
    }
  return blank;
}

/* SPEC 4, `no-owner`: a pending stage that nobody conducts */
static inline gboolean
stage_lacks_owner (const OmStageData *stage)
{
  return stage->status == OM_STAGE_STATUS_PENDING && owner_is_blank (stage);
}

/* SPEC 4, `pinned-conflict`: a pending stage agreed for a day before
 * the stage before it is due (@previous), which the chain cannot keep */
static inline gboolean
agreed_too_early (const OmStageData *stage,
                  guint              i,
                  OmDate             previous)
{
  return stage->status == OM_STAGE_STATUS_PENDING && stage->agreed_on != 0 && i > 0 &&
         stage->agreed_on < previous;
}

/* Some stages a warning is about: the first, and the indices of a few
 * others with how many there are */
typedef struct
{
  int   first;
  guint listed[MAX_LISTED_STAGES];
  guint n_others;
} StageList;

static inline void
stage_list_add (StageList *list,
                guint      i)
{
  if (list->first < 0)
    list->first = (int) i;
  else
    {
      if (list->n_others < MAX_LISTED_STAGES)
        list->listed[list->n_others] = i;
      list->n_others++;
    }
}

/* What the warnings about an open plan's stages need, gathered in one
 * pass over them */
typedef struct
{
  guint     n_pending;
  StageList no_owner;           /* pending stages nobody conducts */
  StageList conflicts;          /* agreed before the stage before is due */
  OmDate    before_conflict;    /* the due date of the stage before the first */
  gboolean  current_overdue;
  OmDate    current_due;
  guint     n_later_overdue;    /* overdue stages after the current one */
} StageFacts;

static void
gather_stage_facts (const OmOpportunityData *self,
                    const OmDerivedValues   *derived,
                    OmDate                   today,
                    StageFacts              *f)
{
  OmDate due = self->start_date;

  *f = (StageFacts) { .no_owner.first = -1, .conflicts.first = -1 };
  for (guint i = 0; i < self->stages->len; i++)
    {
      const OmStageData *stage = STAGE (self, i);
      OmStageSchedule entry;

      PREFETCH_STAGE (self, i);
      entry = schedule_step (stage, i, due, derived->status, today);
      if (stage->status == OM_STAGE_STATUS_PENDING)
        f->n_pending++;
      if (stage_lacks_owner (stage))
        stage_list_add (&f->no_owner, i);
      if (entry.conflict)
        {
          if (f->conflicts.first < 0)
            f->before_conflict = due;
          stage_list_add (&f->conflicts, i);
        }
      if (entry.overdue && (int) i == derived->current)
        {
          f->current_overdue = TRUE;
          f->current_due = entry.due;
        }
      else if (entry.overdue && (int) i > derived->current)
        f->n_later_overdue++;
      due = entry.due;
    }
}

/* One warning for every pending stage that nobody conducts, shown with
 * the first: one line on the command line and one row in the window,
 * however many stages it is about */
static void
check_owners (const OmOpportunityData *self,
              const StageFacts        *f,
              Health                  *h)
{
  g_autofree char *name = NULL;
  g_autofree char *others = NULL;
  int first = f->no_owner.first;
  guint n_others = f->no_owner.n_others;

  if (first < 0 || !warn (h, HEALTH_NO_OWNER))
    return;

  name = om_stage_data_describe (STAGE (self, first), (guint) first);
  if (n_others == 0)
    {
      add_warning (h, HEALTH_NO_OWNER, first,
                   g_strdup_printf (_("Nobody conducts %s: give it an owner."), name));
      return;
    }
  others = describe_stage_numbers (f->no_owner.listed, n_others);
  /* Translators: a stage named with its activity, then the numbers of
   * the other stages, e.g. "Stage 1 “Proposal” and stages 3 and 4" */
  add_warning (h, HEALTH_NO_OWNER, first,
               g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Nobody conducts %s and stage %s: give them owners.",
                                             "Nobody conducts %s and stages %s: give them owners.",
                                             n_others),
                                name, others));
}

/* SPEC 4: one warning when the current stage is overdue. The later
 * stages that are not pinned are due after it, so those overdue are
 * overdue because of it: the warning counts them. */
static void
check_overdue (const OmOpportunityData *self,
               const StageFacts        *f,
               int                      current,
               Health                  *h)
{
  g_autofree char *name = NULL;
  g_autofree char *due = NULL;
  guint n_later = f->n_later_overdue;

  if (current < 0 || !f->current_overdue || !warn (h, HEALTH_OVERDUE))
    return;

  name = om_stage_data_describe (STAGE (self, current), (guint) current);
  due = om_date_format (f->current_due);
  if (n_later == 0)
    add_warning (h, HEALTH_OVERDUE, current,
                 g_strdup_printf (_("%s was due on %s and is not decided yet: decide it, "
                                    "or agree a new date with the client."), name, due));
  else
    add_warning (h, HEALTH_OVERDUE, current,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s was due on %s and is not decided yet; %u later stage is overdue because of it. "
                                               "Decide it, or agree a new date with the client.",
                                               "%s was due on %s and is not decided yet; %u later stages are overdue because of it. "
                                               "Decide it, or agree a new date with the client.",
                                               n_later),
                                  name, due, n_later));
}

/* SPEC 4: one warning for the agreed dates the chain cannot keep, shown
 * with the first of them */
static void
check_conflicts (const OmOpportunityData *self,
                 const StageFacts        *f,
                 Health                  *h)
{
  g_autofree char *name = NULL;
  g_autofree char *agreed = NULL;
  g_autofree char *before = NULL;
  int first = f->conflicts.first;
  guint n_others = f->conflicts.n_others;

  if (first < 0 || !warn (h, HEALTH_PINNED_CONFLICT))
    return;

  name = om_stage_data_describe (STAGE (self, first), (guint) first);
  agreed = om_date_format (STAGE (self, first)->agreed_on);
  before = om_date_format (f->before_conflict);
  if (n_others == 0)
    add_warning (h, HEALTH_PINNED_CONFLICT, first,
                 g_strdup_printf (_("%s is agreed for %s, but the stage before it is due on %s: "
                                    "agree a new date, or shorten the stages before it."),
                                  name, agreed, before));
  else
    {
      g_autofree char *others = describe_stage_numbers (f->conflicts.listed, n_others);
      add_warning (h, HEALTH_PINNED_CONFLICT, first,
                   g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%s is agreed for %s, but the stage before it is due on %s "
                                                 "(and so is stage %s): agree new dates, or shorten the stages before them.",
                                                 "%s is agreed for %s, but the stage before it is due on %s "
                                                 "(and so are stages %s): agree new dates, or shorten the stages before them.",
                                                 n_others),
                                    name, agreed, before, others));
    }
}

/* SPEC 4: what the schedule says of the plan as a whole */
static void
check_schedule (const OmOpportunityData *self,
                const OmDerivedValues   *derived,
                Health                  *h)
{
  if (self->target_date != 0 && derived->close_date > self->target_date && warn (h, HEALTH_PAST_TARGET))
    {
      g_autofree char *close = om_date_format (derived->close_date);
      g_autofree char *target = om_date_format (self->target_date);
      add_warning (h, HEALTH_PAST_TARGET, -1,
                   g_strdup_printf (_("The plan closes on %s, after the client’s target date of %s: "
                                      "shorten the plan, or agree a new target with the client."),
                                    close, target));
    }

  /* a process agreement among the stages won before the current one,
   * which has no agreed date */
  if ((derived->stage_health & (1u << HEALTH_NEXT_NOT_AGREED)) && warn (h, HEALTH_NEXT_NOT_AGREED))
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, derived->current), derived->current);
      add_warning (h, HEALTH_NEXT_NOT_AGREED, derived->current,
                   g_strdup_printf (_("Agree a date for the next appointment with the client: "
                                      "%s has no agreed date."), name));
    }

  if (derived->pushes >= OM_PUSHED_TIMES && warn (h, HEALTH_PUSHED))
    add_warning (h, HEALTH_PUSHED, -1,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "The close date has been pushed back %u time: "
                                               "ask the client what really decides the date.",
                                               "The close date has been pushed back %u times: "
                                               "ask the client what really decides the date.",
                                               derived->pushes),
                                  derived->pushes));

  if (derived->baseline_close_date != 0 && derived->close_date != 0 &&
      (gint64) derived->close_date - (gint64) derived->baseline_close_date > OM_SLIPPED_DAYS &&
      warn (h, HEALTH_SLIPPED))
    {
      guint days = derived->close_date - derived->baseline_close_date;
      g_autofree char *baseline = om_date_format (derived->baseline_close_date);
      add_warning (h, HEALTH_SLIPPED, -1,
                   g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "The close date has slipped %u day past the baseline’s %s: "
                                                 "re-plan with the client, or set a new baseline.",
                                                 "The close date has slipped %u days past the baseline’s %s: "
                                                 "re-plan with the client, or set a new baseline.",
                                                 days),
                                    days, baseline));
    }
}

/* Every warning of SPEC 4 about @self, derived as @derived says */
static void
check_health (const OmOpportunityData *self,
              const OmDerivedValues   *derived,
              guint                    too_complex_threshold,
              OmDate                   today,
              Health                  *h)
{
  gboolean has_agreement = FALSE;
  int weakest;
  StageFacts f;

  for (guint i = 0; i < MIN (2, self->stages->len); i++)
    if (STAGE (self, i)->kind == OM_STAGE_KIND_PROCESS_AGREEMENT)
      has_agreement = TRUE;
  if (!has_agreement && warn (h, HEALTH_NO_PROCESS_AGREEMENT))
    add_warning (h, HEALTH_NO_PROCESS_AGREEMENT, -1,
                 g_strdup (_("Neither of the first two stages is the client’s agreement to the process.")));

  if (derived->status != OM_OPPORTUNITY_STATUS_OPEN)
    return;
  if (h->warnings != NULL)
    {
      /* which stages, for the words */
      gather_stage_facts (self, derived, today, &f);

      if (f.n_pending > too_complex_threshold && warn (h, HEALTH_TOO_COMPLEX))
        add_warning (h, HEALTH_TOO_COMPLEX, -1,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u stage is still pending (more than %u): consider selling the client a Feasibility Study to simplify the sale.",
                                                   "%u stages are still pending (more than %u): consider selling the client a Feasibility Study to simplify the sale.",
                                                   f.n_pending),
                                      f.n_pending, too_complex_threshold));

      check_owners (self, &f, h);
      check_overdue (self, &f, derived->current, h);
      check_conflicts (self, &f, h);
    }
  else
    /* the lasting bits only: what the derivation found, with no pass
     * over the stages (neither too-complex nor overdue lasts) */
    h->mask |= derived->stage_health;

  weakest = derived->weakest;
  if (weakest >= 0 && STAGE (self, weakest)->probability < 0.5 && warn (h, HEALTH_WEAK_LINK))
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, weakest), weakest);

      add_warning (h, HEALTH_WEAK_LINK, weakest,
                   g_strdup_printf (_("%s is the weakest link: its chance of being won is %.0f%%."),
                                    name, STAGE (self, weakest)->probability * 100.0));
    }

  check_schedule (self, derived, h);
}

/**
 * om_opportunity_data_check_health:
 *
 * The warnings of SPEC section 4. Warnings about pending work (too
 * complex, no owner, overdue, weak link) concern open opportunities only:
 * on a won or lost opportunity there is no work left to plan.
 *
 * Returns: (transfer full) (element-type OmHealthWarning): the warnings
 */
GPtrArray *
om_opportunity_data_check_health (const OmOpportunityData *self,
                                  guint                    too_complex_threshold,
                                  OmDate                   today)
{
  Health h = { g_ptr_array_new_with_free_func ((GDestroyNotify) om_health_warning_free), 0 };
  OmDerivedValues derived;

  om_opportunity_data_derive (self, &derived);
  check_health (self, &derived, too_complex_threshold, today, &h);
  return h.warnings;
}

/**
 * om_opportunity_data_get_lasting_health:
 *
 * The warnings of om_opportunity_data_check_health() that depend on the
 * plan alone, as a mask of bits: those that depend on the day (overdue)
 * or on a setting (too-complex) are left out, for om_health_count() to
 * add. What a list keeps beside each opportunity, so that it can count
 * the warnings of a plan it has not read.
 */
guint
om_opportunity_data_get_lasting_health (const OmOpportunityData *self)
{
  OmDerivedValues derived;

  om_opportunity_data_derive (self, &derived);
  return om_opportunity_data_get_lasting_health_derived (self, &derived);
}

/**
 * om_opportunity_data_get_lasting_health_derived:
 * @derived: what om_opportunity_data_derive() says of @self
 *
 * Like om_opportunity_data_get_lasting_health(), for a caller that has
 * derived @self's values already: the derivation found what the stages
 * say (@derived's stage_health), so this reads no stage after the first
 * two, and words no warning.
 */
guint
om_opportunity_data_get_lasting_health_derived (const OmOpportunityData *self,
                                                const OmDerivedValues   *derived)
{
  Health h = { NULL, 0 };

  check_health (self, derived, G_MAXUINT, 0, &h);
  return h.mask;
}

/**
 * om_health_count:
 * @lasting: om_opportunity_data_get_lasting_health()
 * @n_pending: the plan's pending stages
 * @overdue: whether its current stage is overdue today
 *
 * Returns: how many warnings om_opportunity_data_check_health() gives
 *   the plan today with @too_complex_threshold
 */
guint
om_health_count (guint               lasting,
                 OmOpportunityStatus status,
                 guint               n_pending,
                 guint               too_complex_threshold,
                 gboolean            overdue)
{
  guint n = (guint) __builtin_popcount (lasting);

  if (status == OM_OPPORTUNITY_STATUS_OPEN && n_pending > too_complex_threshold)
    n++;
  if (status == OM_OPPORTUNITY_STATUS_OPEN && overdue)
    n++;
  return n;
}

/* Rules */

/* The rule of SPEC section 3 that a refusal enforces */
static guint
rule_of (OmModelError code)
{
  switch (code)
    {
    case OM_MODEL_ERROR_OUT_OF_ORDER:
      return 2;
    case OM_MODEL_ERROR_FROZEN:
      return 3;
    case OM_MODEL_ERROR_CLOSED:
    case OM_MODEL_ERROR_NOTHING_TO_REOPEN:
      return 4;
    case OM_MODEL_ERROR_INVALID_HISTORY:
      return 6;
    default:
      return 5;
    }
}

static gboolean
refuse_at (GError      **error,
           OmViolation  *violation,
           int           stage,
           int           entry,
           OmField       field,
           OmModelError  code,
           const char   *format,
           ...) G_GNUC_PRINTF (7, 8);

/* Refuses, and says where: @stage and @entry are indices or -1 */
static gboolean
refuse_at (GError      **error,
           OmViolation  *violation,
           int           stage,
           int           entry,
           OmField       field,
           OmModelError  code,
           const char   *format,
           ...)
{
  va_list args;
  g_autofree char *message = NULL;

  if (violation != NULL)
    {
      violation->rule = rule_of (code);
      violation->stage = stage;
      violation->entry = entry;
      violation->field = field;
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, OM_MODEL_ERROR, code, message);
  return FALSE;
}

#define refuse(error, code, ...) refuse_at ((error), NULL, -1, -1, OM_FIELD_NONE, (code), __VA_ARGS__)

/* The bounds of R5 as a person reads them, for messages */
static char *
describe_date_range (void)
{
  g_autofree char *min = om_date_to_iso (OM_DATE_MIN);
  g_autofree char *max = om_date_to_iso (OM_DATE_MAX);

  /* Translators: the first and the last day a date can be */
  return g_strdup_printf (_("%s to %s"), min, max);
}

static gboolean validate_stage_values (const OmStageData *stage,
                                       guint              index,
                                       OmDate             start_date,
                                       OmViolation       *v,
                                       GError           **error);

/* R5 for one stage, the parts that do not depend on its neighbours. A
 * shared stage never changes (whoever changes a stage of a plan takes
 * its own copy first), so its verdict for a start date is kept: an edit
 * of one stage in a long plan reads the text of that stage only. A stage
 * only one plan holds may be changed in place by its holder, and is
 * judged every time. */
static inline gboolean
validate_stage (const OmStageData *stage,
                guint              index,
                OmDate             start_date,
                OmViolation       *v,
                GError           **error)
{
  StageBox *box = STAGE_BOX (stage);
  gboolean shared = stage_is_shared (stage);

  if (shared && box->checked && box->checked_start == start_date)
    return TRUE;
  if (!validate_stage_values (stage, index, start_date, v, error))
    return FALSE;
  if (shared)
    {
      box->checked = TRUE;
      box->checked_start = start_date;
    }
  return TRUE;
}

static gboolean
validate_stage_values (const OmStageData *stage,
                       guint              index,
                       OmDate             start_date,
                       OmViolation       *v,
                       GError           **error)
{
  g_autofree char *name = NULL;
  int i = (int) index;

  /* named only when refused: a long plan is validated at every edit */
#define NAME (name = om_stage_data_describe (stage, index))

  if (om_str_is_blank (stage->activity))
    return refuse_at (error, v, i, -1, OM_FIELD_ACTIVITY, OM_MODEL_ERROR_EMPTY_ACTIVITY,
                      _("Stage %u needs an activity."), index + 1);
  if (om_str_is_blank (stage->milestone))
    return refuse_at (error, v, i, -1, OM_FIELD_MILESTONE, OM_MODEL_ERROR_EMPTY_MILESTONE,
                      _("%s needs a milestone: the client’s agreement that ends it."), NAME);
  if (!(stage->probability >= 0.0 && stage->probability <= 1.0))
    return refuse_at (error, v, i, -1, OM_FIELD_PROBABILITY, OM_MODEL_ERROR_INVALID_PROBABILITY,
                      _("The probability of %s must be between 0 and 100%%."), NAME);
  if (stage->duration_days > 36500)
    return refuse_at (error, v, i, -1, OM_FIELD_DURATION, OM_MODEL_ERROR_INVALID_DURATION,
                      _("The duration of %s must be a whole number of days from 0 to 36500."), NAME);

  if (stage->status != OM_STAGE_STATUS_LOST && !om_str_is_blank (stage->lost_reason))
    return refuse_at (error, v, i, -1, OM_FIELD_LOST_REASON, OM_MODEL_ERROR_UNEXPECTED_LOST_REASON,
                      _("%s is not lost, so it cannot have a reason for losing it."), NAME);

  if (stage->baseline_due != 0 && !om_date_is_valid (stage->baseline_due))
    {
      g_autofree char *range = describe_date_range ();
      return refuse_at (error, v, i, -1, OM_FIELD_BASELINE_DUE, OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                        _("%s has a baseline due date outside %s."), NAME, range);
    }

  if (stage->status == OM_STAGE_STATUS_PENDING)
    {
      if (stage->decided_on != 0)
        return refuse_at (error, v, i, -1, OM_FIELD_DECIDED_ON, OM_MODEL_ERROR_INVALID_DATE,
                          _("%s is pending and cannot have a decision date."), NAME);
      if (stage->agreed_on != 0 && !om_date_is_valid (stage->agreed_on))
        {
          g_autofree char *range = describe_date_range ();
          return refuse_at (error, v, i, -1, OM_FIELD_AGREED_DATE, OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                            _("%s has an agreed date outside %s."), NAME, range);
        }
      if (stage->agreed_on != 0 && stage->agreed_on < start_date)
        {
          g_autofree char *start = om_date_format (start_date);
          return refuse_at (error, v, i, -1, OM_FIELD_AGREED_DATE, OM_MODEL_ERROR_AGREED_BEFORE_START,
                            _("%s cannot be agreed for a day before the opportunity starts on %s."),
                            NAME, start);
        }
      return TRUE;
    }

  if (stage->agreed_on != 0)
    return refuse_at (error, v, i, -1, OM_FIELD_AGREED_DATE, OM_MODEL_ERROR_AGREED_NOT_PENDING,
                      _("%s is decided, so it has no agreed date any more: only a pending stage has one."),
                      NAME);

  if (stage->decided_on == 0)
    return refuse_at (error, v, i, -1, OM_FIELD_DECIDED_ON, OM_MODEL_ERROR_INVALID_DATE,
                      _("%s is decided and needs the date it was decided on."), NAME);
  if (!om_date_is_valid (stage->decided_on))
    {
      g_autofree char *range = describe_date_range ();
      return refuse_at (error, v, i, -1, OM_FIELD_DECIDED_ON, OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                        _("%s has a decision date outside %s."), NAME, range);
    }
  if (stage->decided_on < start_date)
    {
      g_autofree char *start = om_date_format (start_date);
      return refuse_at (error, v, i, -1, OM_FIELD_DECIDED_ON, OM_MODEL_ERROR_DECIDED_BEFORE_START,
                        _("%s cannot be decided before the opportunity starts on %s."), NAME, start);
    }
  if (stage->status == OM_STAGE_STATUS_LOST && om_str_is_blank (stage->lost_reason))
    return refuse_at (error, v, i, -1, OM_FIELD_LOST_REASON, OM_MODEL_ERROR_NO_LOST_REASON,
                      _("%s is lost and needs the reason why."), NAME);
  return TRUE;
#undef NAME
}

/* R2 and R3 for stage @index, knowing the stages before it (@b: the
 * first of them that is not won, or @index): the won stages form a
 * prefix, and at most one stage is lost, right after it */
static gboolean refuse_order (const OmOpportunityData *self,
                              guint                    index,
                              guint                    b,
                              OmViolation             *v,
                              GError                 **error);

static inline gboolean
validate_order (const OmOpportunityData *self,
                guint                    index,
                guint                    b,
                OmViolation             *v,
                GError                 **error)
{
  if (STAGE (self, index)->status == OM_STAGE_STATUS_PENDING || b >= index)
    return TRUE;
  return refuse_order (self, index, b, v, error);
}

/* Says why stage @index breaks R2 or R3 (see validate_order()) */
static gboolean
refuse_order (const OmOpportunityData *self,
              guint                    index,
              guint                    b,
              OmViolation             *v,
              GError                 **error)
{
  const OmStageData *stage = STAGE (self, index);
  const OmStageData *before;
  g_autofree char *name = NULL;
  g_autofree char *before_name = NULL;
  int i = (int) index;

  before = STAGE (self, b);
  name = om_stage_data_describe (stage, index);
  before_name = om_stage_data_describe (before, b);
  if (stage->status == OM_STAGE_STATUS_WON && before->status == OM_STAGE_STATUS_PENDING)
    return refuse_at (error, v, i, -1, OM_FIELD_STATUS, OM_MODEL_ERROR_OUT_OF_ORDER,
                      _("%s is won, but %s before it is pending: stages are won in order, "
                        "so the won stages come first."), name, before_name);
  if (stage->status == OM_STAGE_STATUS_WON)
    return refuse_at (error, v, i, -1, OM_FIELD_STATUS, OM_MODEL_ERROR_OUT_OF_ORDER,
                      _("%s is won, but %s before it is lost: nothing is decided after a lost stage."),
                      name, before_name);
  if (before->status == OM_STAGE_STATUS_PENDING)
    return refuse_at (error, v, i, -1, OM_FIELD_STATUS, OM_MODEL_ERROR_OUT_OF_ORDER,
                      _("%s is lost, but %s before it is pending: only the first stage "
                        "that is not won can be decided."), name, before_name);
  return refuse_at (error, v, i, -1, OM_FIELD_STATUS, OM_MODEL_ERROR_OUT_OF_ORDER,
                    _("%s is lost, but %s is lost already: an opportunity has at most one lost stage, "
                      "and nothing is decided after it."), name, before_name);
}

typedef enum
{
  DATES_HOLD,
  DATES_DECIDED_BEFORE_PREVIOUS,
  DATES_PAST_THE_CALENDAR,
} DatesFault;

/* R5 at stage @stage, after @previous (%NULL for the first), due on
 * @due: whether its decided date goes back before the one before it,
 * or its due date leaves the calendar */
static inline DatesFault
dates_break_at (const OmStageData *previous,
                const OmStageData *stage,
                OmDate             due)
{
  if (previous != NULL && stage->status != OM_STAGE_STATUS_PENDING &&
      previous->status != OM_STAGE_STATUS_PENDING && stage->decided_on < previous->decided_on)
    return DATES_DECIDED_BEFORE_PREVIOUS;
  if (!om_date_is_valid (due))
    return DATES_PAST_THE_CALENDAR;
  return DATES_HOLD;
}

/* R5: the decided dates go forward along the chain, and every due date
 * stays within the calendar, given or derived */
static gboolean
validate_dates (const OmOpportunityData *self,
                OmViolation             *v,
                GError                 **error)
{
  OmDate due = self->start_date;

  for (guint i = 0; i < self->stages->len; i++)
    {
      const OmStageData *stage = STAGE (self, i);
      const OmStageData *previous = i > 0 ? STAGE (self, i - 1) : NULL;

      DatesFault fault;

      due = due_after (due, stage);
      fault = dates_break_at (previous, stage, due);
      if (fault == DATES_HOLD)
        continue;

      if (fault == DATES_DECIDED_BEFORE_PREVIOUS)
        {
          g_autofree char *name = om_stage_data_describe (stage, i);
          g_autofree char *before = om_stage_data_describe (previous, i - 1);
          g_autofree char *on = om_date_format (stage->decided_on);
          g_autofree char *previous_on = om_date_format (previous->decided_on);

          return refuse_at (error, v, (int) i, -1, OM_FIELD_DECIDED_ON, OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS,
                            _("%s cannot be decided on %s, before %s was decided on %s: "
                              "stages are decided in order."), name, on, before, previous_on);
        }
      else
        {
          g_autofree char *name = om_stage_data_describe (stage, i);
          g_autofree char *last = om_date_to_iso (OM_DATE_MAX);

          /* the duration is what carries the plan past the end */
          return refuse_at (error, v, (int) i, -1, OM_FIELD_DURATION, OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                            _("%s would be due after %s, the last day a date can be: "
                              "shorten the plan or start it earlier."), name, last);
        }
    }
  return TRUE;
}

/* R6: entry @k of a history (the schedule's, or the decisions') is
 * dated, and no earlier than the one above it, dated @previous */
static gboolean
validate_entry_date (OmDate       on,
                     OmDate       previous,
                     guint        k,
                     gboolean     schedule,
                     OmViolation *v,
                     GError     **error)
{
  OmField field = schedule ? OM_FIELD_SCHEDULE_ON : OM_FIELD_ENTRY_ON;

  if (on == 0 || !om_date_is_valid (on))
    {
      g_autofree char *range = describe_date_range ();
      return refuse_at (error, v, -1, (int) k, field, OM_MODEL_ERROR_INVALID_HISTORY,
                        schedule ? _("Entry %u of the schedule history needs a date from %s.")
                                 : _("Entry %u of the decision history needs a date from %s."),
                        k + 1, range);
    }
  if (on < previous)
    {
      g_autofree char *on_text = om_date_format (on);
      g_autofree char *before = om_date_format (previous);
      return refuse_at (error, v, -1, (int) k, field, OM_MODEL_ERROR_INVALID_HISTORY,
                        schedule ? _("Entry %u of the schedule history is dated %s, before the entry above it (%s): "
                                     "the history is kept oldest first.")
                                 : _("Entry %u of the decision history is dated %s, before the entry above it (%s): "
                                     "the history is kept oldest first."),
                        k + 1, on_text, before);
    }
  return TRUE;
}

/* R6: replayed from all stages pending, the history leads exactly to the
 * stages' statuses, one real change at a time, oldest first. It does not
 * ask R2's order of the past: a reopened stage may have moved since. */
static gboolean
validate_history (const OmOpportunityData *self,
                  int                      n_decided,
                  OmViolation             *v,
                  GError                 **error)
{
  guint n = self->stages->len;
  guint m = 0;     /* the stages before m are those the history names */
  guint m_decided = 0;
  g_autofree OmStageStatus *status = NULL;
  g_autofree int *last = NULL;
  OmDate previous = 0;

  for (guint k = 0; k < self->history->len; k++)
    {
      const OmHistoryEntry *h = g_ptr_array_index (self->history, k);
      if (h->stage < n)
        m = MAX (m, h->stage + 1);
    }
  status = g_new (OmStageStatus, m + 1);
  last = g_new (int, m + 1);
  for (guint i = 0; i < m; i++)
    {
      status[i] = OM_STAGE_STATUS_PENDING;
      last[i] = -1;
    }

  for (guint k = 0; k < self->history->len; k++)
    {
      const OmHistoryEntry *h = g_ptr_array_index (self->history, k);
      int e = (int) k;

      if (h->stage >= n)
        {
          g_autofree char *stage = g_strdup_printf ("%u", h->stage + 1);
          return refuse_at (error, v, -1, e, OM_FIELD_ENTRY_STAGE, OM_MODEL_ERROR_INVALID_HISTORY,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Entry %u of the decision history is about stage %s, but the plan has %u stage.",
                                         "Entry %u of the decision history is about stage %s, but the plan has %u stages.",
                                         n),
                            k + 1, stage, n);
        }
      if (!validate_entry_date (h->on, previous, k, FALSE, v, error))
        return FALSE;
      /* a decision is taken on a pending stage, and reopening makes it
       * pending again: nothing else ever happens to a status */
      if (h->from == h->to ||
          (h->from != OM_STAGE_STATUS_PENDING && h->to != OM_STAGE_STATUS_PENDING))
        {
          g_autofree char *name = om_stage_data_describe (STAGE (self, h->stage), h->stage);
          return refuse_at (error, v, -1, e, OM_FIELD_ENTRY_TO, OM_MODEL_ERROR_INVALID_HISTORY,
                            _("Entry %u of the decision history changes %s from “%s” to “%s”, which never happens: "
                              "a pending stage is won or lost, and a decided one is reopened."),
                            k + 1, name, om_stage_status_to_string (h->from), om_stage_status_to_string (h->to));
        }
      if (h->from != status[h->stage])
        {
          g_autofree char *name = om_stage_data_describe (STAGE (self, h->stage), h->stage);
          return refuse_at (error, v, -1, e, OM_FIELD_ENTRY_FROM, OM_MODEL_ERROR_INVALID_HISTORY,
                            _("Entry %u of the decision history changes %s from “%s”, but at that point it was “%s”."),
                            k + 1, name, om_stage_status_to_string (h->from),
                            om_stage_status_to_string (status[h->stage]));
        }
      status[h->stage] = h->to;
      last[h->stage] = e;
      previous = h->on;
    }

  /* the stages the history names, then the others: pending, unless
   * the count of decided stages says otherwise */
  for (guint i = 0; i < n; i++)
    {
      const OmStageData *stage;
      OmStageStatus replayed = i < m ? status[i] : OM_STAGE_STATUS_PENDING;
      g_autofree char *name = NULL;

      if (i == m && n_decided >= 0 && (guint) n_decided == m_decided)
        break;
      stage = STAGE (self, i);
      if (stage->status != OM_STAGE_STATUS_PENDING)
        m_decided++;
      if (replayed == stage->status)
        continue;
      name = om_stage_data_describe (stage, i);
      if (i >= m || last[i] < 0)
        return refuse_at (error, v, (int) i, -1, OM_FIELD_HISTORY, OM_MODEL_ERROR_INVALID_HISTORY,
                          _("%s is %s, but the decision history has no entry for that decision."),
                          name, om_stage_status_to_string (stage->status));
      return refuse_at (error, v, (int) i, last[i], OM_FIELD_ENTRY_TO, OM_MODEL_ERROR_INVALID_HISTORY,
                        _("The decision history leaves %s “%s”, but it is “%s”."),
                        name, om_stage_status_to_string (replayed), om_stage_status_to_string (stage->status));
    }
  return TRUE;
}

/* R6 for the schedule history: oldest first, each entry a real date,
 * and an agreed date's entry about a stage of the plan */
static gboolean
validate_schedule (const OmOpportunityData *self,
                   OmViolation             *v,
                   GError                 **error)
{
  guint n = self->stages->len;
  OmDate previous = 0;

  for (guint k = 0; k < self->schedule->len; k++)
    {
      const OmScheduleEntry *e = g_ptr_array_index (self->schedule, k);
      int ek = (int) k;

      if (!validate_entry_date (e->on, previous, k, TRUE, v, error))
        return FALSE;
      if (e->what == OM_SCHEDULE_AGREED_DATE && (e->stage < 0 || (guint) e->stage >= n))
        {
          g_autofree char *stage = g_strdup_printf ("%d", e->stage + 1);
          return refuse_at (error, v, -1, ek, OM_FIELD_SCHEDULE_STAGE, OM_MODEL_ERROR_INVALID_HISTORY,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "Entry %u of the schedule history is about stage %s, but the plan has %u stage.",
                                         "Entry %u of the schedule history is about stage %s, but the plan has %u stages.",
                                         n),
                            k + 1, stage, n);
        }
      if (e->what != OM_SCHEDULE_AGREED_DATE && e->stage != -1)
        return refuse_at (error, v, -1, ek, OM_FIELD_SCHEDULE_STAGE, OM_MODEL_ERROR_INVALID_HISTORY,
                          _("Entry %u of the schedule history is about the whole plan and names no stage."),
                          k + 1);
      if ((e->from != 0 && !om_date_is_valid (e->from)) || (e->to != 0 && !om_date_is_valid (e->to)))
        {
          g_autofree char *range = describe_date_range ();
          return refuse_at (error, v, -1, ek, e->from != 0 && !om_date_is_valid (e->from) ? OM_FIELD_SCHEDULE_FROM
                                                                                      : OM_FIELD_SCHEDULE_TO,
                            OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                            _("Entry %u of the schedule history has a date outside %s."), k + 1, range);
        }
      previous = e->on;
    }
  return TRUE;
}

static gboolean judge (const OmOpportunityData *self,
                       OmViolation             *violation,
                       OmDerivedValues         *derived,
                       GError                 **error);

/**
 * om_opportunity_data_validate_full:
 * @violation: (out) (optional): where the first broken rule is, when
 *   the opportunity is refused
 *
 * Checks a whole opportunity against the rules of SPEC section 3 that
 * concern its values: R2 and R3 (the won stages form a prefix, at most
 * one stage is lost and it comes right after them), R5 (every field is
 * well-formed, the decided dates go forward, every date given or derived
 * is in the calendar) and R6 (the history replays to the statuses).
 * This is the one judge of a plan, whoever made it: an operation, a JSON
 * document or a database file.
 */
gboolean
om_opportunity_data_validate_full (const OmOpportunityData *self,
                                   OmViolation             *violation,
                                   GError                 **error)
{
  return judge (self, violation, NULL, error);
}

/**
 * om_opportunity_data_validate_derived:
 * @derived: (out): on success, what om_opportunity_data_derive() says
 *   of @self
 *
 * Like om_opportunity_data_validate(), and derives the values of @self
 * in the same pass over its stages: for a caller that needs both of a
 * long plan.
 */
gboolean
om_opportunity_data_validate_derived (const OmOpportunityData *self,
                                      OmDerivedValues         *derived,
                                      GError                 **error)
{
  return judge (self, NULL, derived, error);
}

static gboolean
judge (const OmOpportunityData *self,
       OmViolation             *violation,
       OmDerivedValues         *derived,
       GError                 **error)
{
  OmViolation unused;
  OmViolation *v = violation != NULL ? violation : &unused;
  OmDate due = self->start_date;
  const OmStageData *previous = NULL;
  gboolean dates_break = FALSE;
  int n_decided = 0;
  Derivation d;

  *v = (OmViolation) { 0, -1, -1, OM_FIELD_NONE };

  if (om_str_is_blank (self->title))
    return refuse_at (error, v, -1, -1, OM_FIELD_TITLE, OM_MODEL_ERROR_EMPTY_TITLE,
                      _("The opportunity needs a title."));
  if (om_str_is_blank (self->client))
    return refuse_at (error, v, -1, -1, OM_FIELD_CLIENT, OM_MODEL_ERROR_EMPTY_CLIENT,
                      _("The opportunity needs a client."));
  if (!om_currency_is_valid (self->currency))
    {
      g_autofree char *currency = om_text_excerpt (self->currency);
      return refuse_at (error, v, -1, -1, OM_FIELD_CURRENCY, OM_MODEL_ERROR_INVALID_CURRENCY,
                        _("“%s” is not a currency code: use three capital letters, such as EUR."),
                        currency);
    }
  if (self->value < 0)
    return refuse_at (error, v, -1, -1, OM_FIELD_VALUE, OM_MODEL_ERROR_INVALID_VALUE,
                      _("The value must be zero or more."));
  if (self->value > G_MAXINT64 / 1000)
    return refuse_at (error, v, -1, -1, OM_FIELD_VALUE, OM_MODEL_ERROR_INVALID_VALUE,
                      _("The value is too large."));
  if (self->start_date == 0)
    return refuse_at (error, v, -1, -1, OM_FIELD_START_DATE, OM_MODEL_ERROR_INVALID_DATE,
                      _("The opportunity needs a valid start date."));
  if (!om_date_is_valid (self->start_date))
    {
      g_autofree char *range = describe_date_range ();
      return refuse_at (error, v, -1, -1, OM_FIELD_START_DATE, OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                        _("The opportunity needs a start date from %s."), range);
    }
  if (self->target_date != 0 && !om_date_is_valid (self->target_date))
    {
      g_autofree char *range = describe_date_range ();
      return refuse_at (error, v, -1, -1, OM_FIELD_TARGET_DATE, OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                        _("The client’s target date must be a date from %s."), range);
    }

  /* every rule that reads the stages one by one, in one pass; the
   * dates are told only once the fields and the order hold */
  derivation_start (&d, self);
  for (guint i = 0, first_not_won = self->stages->len; i < self->stages->len; i++)
    {
      const OmStageData *stage = STAGE (self, i);

      PREFETCH_STAGE (self, i);
      if (!validate_stage (stage, i, self->start_date, v, error) ||
          !validate_order (self, i, MIN (first_not_won, i), v, error))
        return FALSE;
      if (stage->status != OM_STAGE_STATUS_WON && first_not_won > i)
        first_not_won = i;
      if (stage->status != OM_STAGE_STATUS_PENDING)
        n_decided++;
      due = due_after (due, stage);
      dates_break = dates_break || dates_break_at (previous, stage, due) != DATES_HOLD;
      previous = stage;
      if (derived != NULL)
        derivation_step (&d, stage, i);
    }

  if (dates_break)
    return validate_dates (self, v, error);
  if (!validate_history (self, n_decided, v, error) || !validate_schedule (self, v, error))
    return FALSE;
  if (derived != NULL)
    derivation_finish (&d, self, derived);
  return TRUE;
}

/**
 * om_opportunity_data_validate:
 *
 * Like om_opportunity_data_validate_full(), for callers that need only
 * the message.
 */
gboolean
om_opportunity_data_validate (const OmOpportunityData *self,
                              GError                 **error)
{
  return om_opportunity_data_validate_full (self, NULL, error);
}

/**
 * om_opportunity_data_repair:
 * @note: the note of each decision in a rebuilt history
 *
 * Brings a plan kept by an earlier version, whose rules were looser,
 * within the rules with the least change: a lost reason on a stage that
 * is not lost is cleared (R5); a decided date before the previous
 * stage's is raised to it (R5); a history entry dated before the one
 * above it is raised to its date (R6). A history that still does not
 * replay to the statuses (R6) is rebuilt as one entry per decided stage
 * on its decided date, with @note: the decided dates now go forward, so
 * that history is in date order.
 *
 * It repairs nothing else: a plan that breaks another rule stays as it
 * is, for om_opportunity_data_validate() to refuse.
 *
 * Returns: whether anything changed
 */
gboolean
om_opportunity_data_repair (OmOpportunityData *self,
                            const char        *note)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->stages->len; i++)
    {
      const OmStageData *stage = STAGE (self, i);
      const OmStageData *previous = i > 0 ? STAGE (self, i - 1) : NULL;

      if (stage->status != OM_STAGE_STATUS_LOST && !om_str_is_blank (stage->lost_reason))
        {
          OmStageData *own = WSTAGE (self, i);

          g_free (own->lost_reason);
          own->lost_reason = g_strdup ("");
          stage = own;
          changed = TRUE;
        }
      if (previous != NULL &&
          stage->status != OM_STAGE_STATUS_PENDING && previous->status != OM_STAGE_STATUS_PENDING &&
          stage->decided_on < previous->decided_on)
        {
          WSTAGE (self, i)->decided_on = previous->decided_on;
          changed = TRUE;
        }
    }

  for (guint k = 1; k < self->history->len; k++)
    {
      const OmHistoryEntry *entry = g_ptr_array_index (self->history, k);
      const OmHistoryEntry *above = g_ptr_array_index (self->history, k - 1);

      if (entry->on < above->on)
        {
          om_opportunity_data_get_writable_entry (self, k)->on = above->on;
          changed = TRUE;
        }
    }

  if (!validate_history (self, -1, NULL, NULL))
    {
      g_ptr_array_set_size (self->history, 0);
      for (guint i = 0; i < self->stages->len; i++)
        {
          const OmStageData *stage = STAGE (self, i);

          if (stage->status != OM_STAGE_STATUS_PENDING)
            g_ptr_array_add (self->history,
                             om_history_entry_new (i, OM_STAGE_STATUS_PENDING, stage->status,
                                                   stage->decided_on, note));
        }
      changed = TRUE;
    }
  return changed;
}

/* How far a plan has come: what the operations ask before they change it */
typedef struct
{
  OmOpportunityStatus status;
  guint               n_won;
  int                 current;        /* -1 unless open */
} Progress;

/* The progress om_opportunity_data_derive() tells, read from the first
 * stages only, up to the first that is not won: on a plan that keeps R2
 * and R3, as every plan an operation is given does (it is the plan of
 * record; the operation's result is judged whole afterwards), that stage
 * tells the status. So an edit of a long plan does not read it all
 * before it starts. */
static void
get_progress (const OmOpportunityData *self,
              Progress                *progress)
{
  guint n = self->stages->len;
  guint i = 0;

  while (i < n && STAGE (self, i)->status == OM_STAGE_STATUS_WON)
    i++;
  progress->n_won = i;
  progress->current = -1;
  if (i < n && STAGE (self, i)->status == OM_STAGE_STATUS_LOST)
    progress->status = OM_OPPORTUNITY_STATUS_LOST;
  else if (n > 0 && i == n)
    progress->status = OM_OPPORTUNITY_STATUS_WON;
  else
    {
      progress->status = OM_OPPORTUNITY_STATUS_OPEN;
      progress->current = i < n ? (int) i : -1;
    }
}

static gboolean
check_open (const OmOpportunityData *self,
            Progress                *progress,
            GError                 **error)
{
  g_autofree char *title = NULL;
  Progress unused;

  if (progress == NULL)
    progress = &unused;
  get_progress (self, progress);
  switch (progress->status)
    {
    case OM_OPPORTUNITY_STATUS_WON:
      title = om_text_excerpt (self->title);
      return refuse (error, OM_MODEL_ERROR_CLOSED,
                     _("“%s” is won and its plan can no longer change. Reopen it first."),
                     title);
    case OM_OPPORTUNITY_STATUS_LOST:
      title = om_text_excerpt (self->title);
      return refuse (error, OM_MODEL_ERROR_CLOSED,
                     _("“%s” is lost and its plan can no longer change. Reopen it first."),
                     title);
    case OM_OPPORTUNITY_STATUS_OPEN:
    default:
      return TRUE;
    }
}

static gboolean
check_index (const OmOpportunityData *self,
             guint                    index,
             GError                 **error)
{
  if (index < self->stages->len)
    return TRUE;
  return refuse (error, OM_MODEL_ERROR_INVALID_INDEX,
                 _("There is no stage %u: the plan has %u stages."),
                 index + 1, self->stages->len);
}

/**
 * om_opportunity_data_add_stage:
 * @position: where the new stage goes, 0 to the number of stages
 * @stage: (transfer full): a pending stage
 *
 * R3 and R4: only an open opportunity takes new stages, and never
 * before or between won ones.
 */
gboolean
om_opportunity_data_add_stage (OmOpportunityData *self,
                               guint              position,
                               OmStageData       *stage,
                               GError           **error)
{
  g_autoptr(OmStageData) owned = stage;
  guint n_won;

  if (!check_open (self, NULL, error))
    return FALSE;
  if (position > self->stages->len)
    return refuse (error, OM_MODEL_ERROR_INVALID_INDEX,
                   _("A stage cannot be added at place %u: the plan has %u stages."),
                   position + 1, self->stages->len);

  n_won = om_opportunity_data_get_n_won (self);
  if (position < n_won)
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, position), position);
      return refuse (error, OM_MODEL_ERROR_FROZEN,
                     _("A stage cannot be placed before %s: it is won, and won stages are history."),
                     name);
    }

  owned->status = OM_STAGE_STATUS_PENDING;
  owned->decided_on = 0;
  /* its date is agreed with the client afterwards, where it is
   * recorded; and it was not in the plan of record */
  owned->agreed_on = 0;
  owned->baseline_due = 0;
  g_clear_pointer (&owned->lost_reason, g_free);
  owned->lost_reason = g_strdup ("");
  if (!validate_stage (owned, position, self->start_date, NULL, error))
    return FALSE;

  g_ptr_array_insert (self->stages, position, g_steal_pointer (&owned));
  /* its duration may carry the plan past the end of the calendar */
  if (!validate_dates (self, NULL, error))
    {
      g_ptr_array_remove_index (self->stages, position);
      return FALSE;
    }
  for (guint i = 0; i < self->history->len; i++)
    {
      const OmHistoryEntry *h = g_ptr_array_index (self->history, i);
      if (h->stage >= position)
        om_opportunity_data_get_writable_entry (self, i)->stage++;
    }
  for (guint i = 0; i < self->schedule->len; i++)
    {
      OmScheduleEntry *e = g_ptr_array_index (self->schedule, i);
      if (e->stage >= (int) position)
        e->stage++;
    }
  return TRUE;
}

static gboolean
check_pending_stage (const OmOpportunityData *self,
                     guint                    index,
                     gboolean                 moving,
                     GError                 **error)
{
  g_autofree char *name = NULL;

  if (STAGE (self, index)->status != OM_STAGE_STATUS_WON)
    return TRUE;

  name = om_stage_data_describe (STAGE (self, index), index);
  if (moving)
    return refuse (error, OM_MODEL_ERROR_FROZEN,
                   _("%s cannot be moved: it is won, and won stages are history."), name);
  return refuse (error, OM_MODEL_ERROR_FROZEN,
                 _("%s cannot be removed: it is won, and won stages are history."), name);
}

/* Where stage @i goes when stage @from moves to @to (@to == -1: when
 * stage @from is removed; then it goes nowhere, -1) */
static int
index_after_change (guint i,
                    guint from,
                    int   to)
{
  if (i == from)
    return to;
  if (to < 0)
    return i < from ? (int) i : (int) i - 1;
  if (from < (guint) to && i > from && i <= (guint) to)
    return (int) i - 1;
  if ((guint) to < from && i >= (guint) to && i < from)
    return (int) i + 1;
  return (int) i;
}

/* Keeps the history pointing at the same stages when the chain changes
 * (see index_after_change()). Only pending stages move, and the history
 * names decided ones, but a stage that was reopened keeps its past and
 * may move later. */
static void
remap_history (OmOpportunityData *self,
               guint              from,
               int                to)
{
  for (guint i = 0; i < self->history->len; i++)
    {
      const OmHistoryEntry *h = g_ptr_array_index (self->history, i);
      int now = index_after_change (h->stage, from, to);

      if (now >= 0 && (guint) now != h->stage)
        om_opportunity_data_get_writable_entry (self, i)->stage = (guint) now;
    }
  for (guint i = 0; i < self->schedule->len; i++)
    {
      OmScheduleEntry *e = g_ptr_array_index (self->schedule, i);

      if (e->stage >= 0)
        e->stage = index_after_change ((guint) e->stage, from, to);
    }
}

gboolean
om_opportunity_data_remove_stage (OmOpportunityData *self,
                                  guint              index,
                                  GError           **error)
{
  if (!check_open (self, NULL, error) || !check_index (self, index, error) ||
      !check_pending_stage (self, index, FALSE, error))
    return FALSE;

  /* A removed stage takes its history with it: the entries named a
   * decision that was reopened, and the stage is gone now. */
  for (guint i = self->history->len; i > 0; i--)
    {
      const OmHistoryEntry *h = g_ptr_array_index (self->history, i - 1);
      if (h->stage == index)
        g_ptr_array_remove_index (self->history, i - 1);
    }
  for (guint i = self->schedule->len; i > 0; i--)
    {
      const OmScheduleEntry *e = g_ptr_array_index (self->schedule, i - 1);
      if (e->stage == (int) index)
        g_ptr_array_remove_index (self->schedule, i - 1);
    }

  remap_history (self, index, -1);
  g_ptr_array_remove_index (self->stages, index);
  return TRUE;
}

/**
 * om_opportunity_data_move_stage:
 * @from: the stage's index now
 * @to: its index afterwards
 *
 * R3 and R4: only pending stages of an open opportunity move, and only
 * among pending stages.
 */
gboolean
om_opportunity_data_move_stage (OmOpportunityData *self,
                                guint              from,
                                guint              to,
                                GError           **error)
{
  guint n_won;
  OmStageData *stage;
  Progress progress;

  if (!check_open (self, &progress, error) || !check_index (self, from, error) ||
      !check_index (self, to, error) ||
      !check_pending_stage (self, from, TRUE, error))
    return FALSE;

  n_won = progress.n_won;
  if (to < n_won)
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, from), from);
      g_autofree char *won = om_stage_data_describe (STAGE (self, to), to);
      return refuse (error, OM_MODEL_ERROR_FROZEN,
                     _("%s cannot be moved before %s: won stages are history."), name, won);
    }

  if (from == to)
    return TRUE;

  remap_history (self, from, (int) to);

  stage = g_ptr_array_steal_index (self->stages, from);
  g_ptr_array_insert (self->stages, to, stage);
  return TRUE;
}

/* Simplifying: the Feasibility Study (SPEC 1) and the process meeting */

static void replace_string   (char             **field,
                              const char        *value);
static void add_schedule_entry (OmOpportunityData *self,
                                OmScheduleWhat     what,
                                int                stage,
                                OmDate             from,
                                OmDate             to,
                                OmDate             on,
                                const char        *note);

/* The one name that every folded stage that names one agrees on, or ""
 * when they name none or disagree */
static char *
agreed_name (const OmOpportunityData *self,
             guint                    first,
             guint                    last,
             glong                    offset)
{
  g_autofree char *agreed = NULL;

  for (guint i = first; i <= last; i++)
    {
      const char *name = G_STRUCT_MEMBER (const char *, STAGE (self, i), offset);
      g_autofree char *trimmed = om_strdup_trimmed (name);

      if (*trimmed == '\0')
        continue;
      if (agreed == NULL)
        agreed = g_steal_pointer (&trimmed);
      else if (strcmp (agreed, trimmed) != 0)
        return g_strdup ("");
    }
  return agreed != NULL ? g_steal_pointer (&agreed) : g_strdup ("");
}

/* What the study is to decide for the client: the activities and
 * milestones of the stages it replaces, one a line */
static char *
describe_scope (const OmOpportunityData *self,
                guint                    first,
                guint                    last)
{
  GString *scope = g_string_new (_("The study decides, for the client, what these steps would have decided one by one:"));

  for (guint i = first; i <= last; i++)
    {
      const OmStageData *stage = STAGE (self, i);

      g_string_append_c (scope, '\n');
      /* Translators: one step in the scope of a Feasibility Study: its
       * activity, then its milestone */
      g_string_append_printf (scope, _("• %s: %s"), stage->activity, stage->milestone);
    }
  return g_string_free (scope, FALSE);
}

/* The internal notes of the folded stages, kept with the study */
static char *
gather_notes (const OmOpportunityData *self,
              guint                    first,
              guint                    last)
{
  GString *notes = g_string_new (NULL);

  for (guint i = first; i <= last; i++)
    {
      const OmStageData *stage = STAGE (self, i);

      if (om_str_is_blank (stage->notes))
        continue;
      if (notes->len > 0)
        g_string_append (notes, "\n\n");
      /* Translators: a folded stage's internal notes, kept with the
       * Feasibility Study: its activity, then its notes */
      g_string_append_printf (notes, _("%s: %s"), stage->activity, stage->notes);
    }
  return g_string_free (notes, FALSE);
}

/* The stages a fold replaces, as the schedule history names them */
static char *
describe_folded (const OmOpportunityData *self,
                 guint                    first,
                 guint                    last)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = first; i <= last; i++)
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, i), i);

      if (i > first)
        /* Translators: between the stages a Feasibility Study replaces */
        g_string_append (text, _(", "));
      g_string_append (text, name);
    }
  /* Translators: the note of a fold in the history: the stages it replaced */
  return g_strdup_printf (_("Folded into a Feasibility Study: %s"), text->str);
}

/* Whether stages @first to @last can be replaced by a Feasibility Study:
 * a run of at least two pending stages of an open plan */
static gboolean
check_fold (const OmOpportunityData *self,
            guint                    first,
            guint                    last,
            GError                 **error)
{
  if (!check_open (self, NULL, error) || !check_index (self, first, error) ||
      !check_index (self, last, error))
    return FALSE;
  if (first == last)
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, first), first);
      return refuse (error, OM_MODEL_ERROR_INVALID_RUN,
                     _("%s alone is nothing to simplify: choose at least two stages for the "
                       "Feasibility Study to replace."), name);
    }
  if (last < first)
    {
      g_autofree char *from = om_stage_data_describe (STAGE (self, first), first);
      g_autofree char *to = om_stage_data_describe (STAGE (self, last), last);
      return refuse (error, OM_MODEL_ERROR_INVALID_RUN,
                     _("The stages to simplify run from %s to %s, which comes before it: "
                       "choose the first stage, then a later one."), from, to);
    }
  for (guint i = first; i <= last; i++)
    {
      const OmStageData *stage = STAGE (self, i);
      g_autofree char *name = NULL;

      if (stage->status == OM_STAGE_STATUS_PENDING)
        continue;
      name = om_stage_data_describe (stage, i);
      /* R3: only an open plan gets here, so a decided stage is won */
      return refuse (error, OM_MODEL_ERROR_FROZEN,
                     _("%s cannot be folded into a Feasibility Study: it is won, "
                       "and won stages are history."), name);
    }
  return TRUE;
}

/**
 * om_opportunity_data_fold_feasibility:
 * @first: the first stage of the run to replace
 * @last: its last stage, after @first
 * @on: the day of the edit, for the schedule history
 *
 * Simplifies the plan (SPEC 1): replaces the pending stages @first to
 * @last by the recommended process's two Feasibility Study stages, the
 * proposal (the client commissions the study) and the study (the client
 * accepts its recommendation).
 *
 * The proposal is the template's. The study's client description lists
 * the folded activities and milestones as its scope, its duration is
 * the sum of theirs (the work is still done, by us), its baseline due
 * date the last folded stage's (it ends where the run ended in the plan
 * of record), and its internal notes keep theirs. An owner or client
 * owner that the folded stages agree on (those that name one) carries
 * over to both stages; otherwise they have none.
 *
 * The probabilities are the template's, not worked out from the folded
 * stages': the client now takes two decisions of another kind
 * (commission a study, accept its recommendation), whose odds do not
 * follow from those of the decisions it replaces. Their product would
 * make every fold a wash, and the lowest one times the product would
 * make every fold look worse; with the template's, the chain probability
 * before and after shows whether this fold pays (a long run of likely
 * stages does), and the person edits them afterwards as for any stage.
 *
 * Refused, with the reason, on a closed plan (R4), for a run of fewer
 * than two stages or one that ends before it starts, and for a run that
 * holds a won stage (R3). The schedule history records the fold, with
 * the folded stages in its note (R6).
 */
gboolean
om_opportunity_data_fold_feasibility (OmOpportunityData *self,
                                      guint              first,
                                      guint              last,
                                      OmDate             on,
                                      GError           **error)
{
  g_autoptr(OmOpportunityData) next = NULL;
  g_autoptr(OmStageData) proposal = NULL;
  g_autoptr(OmStageData) study = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *client_owner = NULL;
  g_autofree char *note = NULL;
  guint n_folded = last - first + 1;
  guint64 days = 0;
  OmDerivedValues before;
  OmDerivedValues after;

  if (!check_fold (self, first, last, error))
    return FALSE;
  om_opportunity_data_derive (self, &before);
  if (on == 0 || !om_date_is_valid (on))
    return refuse (error, OM_MODEL_ERROR_INVALID_DATE, _("A schedule change needs a valid date."));

  for (guint i = first; i <= last; i++)
    days += STAGE (self, i)->duration_days;
  if (days > OM_DATE_MAX)
    {
      g_autofree char *end = om_date_to_iso (OM_DATE_MAX);
      return refuse (error, OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                     _("The Feasibility Study would be due after %s, the last day a date can be: "
                       "shorten the stages it replaces."), end);
    }

  owner = agreed_name (self, first, last, G_STRUCT_OFFSET (OmStageData, owner));
  client_owner = agreed_name (self, first, last, G_STRUCT_OFFSET (OmStageData, client_owner));
  proposal = recommended_stage (RECOMMENDED_STUDY_PROPOSAL);
  study = recommended_stage (RECOMMENDED_STUDY);
  for (OmStageData **s = (OmStageData *[]) { proposal, study, NULL }; *s != NULL; s++)
    {
      replace_string (&(*s)->owner, owner);
      replace_string (&(*s)->client_owner, client_owner);
    }
  study->duration_days = (guint) days;
  study->baseline_due = STAGE (self, last)->baseline_due;
  g_free (study->client_description);
  study->client_description = describe_scope (self, first, last);
  g_free (study->notes);
  study->notes = gather_notes (self, first, last);
  note = describe_folded (self, first, last);

  /* made on a copy, so that a refusal below leaves @self as it was */
  next = om_opportunity_data_copy (self);
  /* the folded stages take their past with them, as removed ones do; the
   * stages after them move up */
  for (guint i = next->history->len; i > 0; i--)
    {
      const OmHistoryEntry *h = g_ptr_array_index (next->history, i - 1);

      if (h->stage >= first && h->stage <= last)
        g_ptr_array_remove_index (next->history, i - 1);
      else if (h->stage > last)
        om_opportunity_data_get_writable_entry (next, i - 1)->stage -= n_folded - 2;
    }
  for (guint i = next->schedule->len; i > 0; i--)
    {
      OmScheduleEntry *e = g_ptr_array_index (next->schedule, i - 1);

      if (e->stage >= (int) first && e->stage <= (int) last)
        g_ptr_array_remove_index (next->schedule, i - 1);
      else if (e->stage > (int) last)
        e->stage -= (int) n_folded - 2;
    }
  g_ptr_array_remove_range (next->stages, first, n_folded);
  g_ptr_array_insert (next->stages, (int) first, g_steal_pointer (&proposal));
  g_ptr_array_insert (next->stages, (int) first + 1, g_steal_pointer (&study));
  if (!validate_stage (STAGE (next, first), first, next->start_date, NULL, error) ||
      !validate_stage (STAGE (next, first + 1), first + 1, next->start_date, NULL, error) ||
      !validate_dates (next, NULL, error))
    return FALSE;

  om_opportunity_data_derive (next, &after);
  add_schedule_entry (next, OM_SCHEDULE_FOLD, -1, before.close_date, after.close_date, on, note);

  /* the plan is @next's now */
  {
    GPtrArray *stages = self->stages, *history = self->history, *schedule = self->schedule;

    self->stages = next->stages;
    self->history = next->history;
    self->schedule = next->schedule;
    next->stages = stages;
    next->history = history;
    next->schedule = schedule;
  }
  return TRUE;
}

/**
 * om_opportunity_data_propose_fold:
 * @first: (out): the first stage of the proposed run
 * @last: (out): its last stage
 *
 * What the `too-complex` warning proposes to replace by a Feasibility
 * Study: the pending stages after the process agreement up to the last
 * one before the proposal and the contract. No kind marks a proposal or
 * a contract (SPEC 2 has three kinds), so they are the plan's last two
 * stages, where the recommended process has them. Without a process
 * agreement the run starts at the current stage.
 *
 * Returns: whether there is such a run of at least two stages that
 *   om_opportunity_data_fold_feasibility() would take
 */
gboolean
om_opportunity_data_propose_fold (const OmOpportunityData *self,
                                  guint                   *first,
                                  guint                   *last)
{
  OmDerivedValues derived;
  guint start;
  guint n = self->stages->len;

  g_return_val_if_fail (first != NULL && last != NULL, FALSE);

  om_opportunity_data_derive (self, &derived);
  if (derived.status != OM_OPPORTUNITY_STATUS_OPEN || n < 4)
    return FALSE;
  start = derived.n_won;
  for (guint i = 0; i < n - 2; i++)
    if (STAGE (self, i)->kind == OM_STAGE_KIND_PROCESS_AGREEMENT)
      start = MAX (start, i + 1);
  if (start + 1 > n - 3)
    return FALSE;
  *first = start;
  *last = n - 3;
  return TRUE;
}

/**
 * om_opportunity_data_get_process_agreement_place:
 * @position: (out): where the process meeting goes
 *
 * SPEC 4, `no-process-agreement`: the earliest place the rules allow for
 * the recommended process meeting, which is among the first two stages:
 * before the first pending stage (R3: never before won ones).
 *
 * Returns: whether there is such a place; refused, with the reason, on
 *   a closed plan (R4) and when the first two stages are won already
 */
gboolean
om_opportunity_data_get_process_agreement_place (const OmOpportunityData *self,
                                                 guint                   *position,
                                                 GError                 **error)
{
  Progress progress;

  if (!check_open (self, &progress, error))
    return FALSE;
  if (progress.n_won >= 2)
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, 1), 1);
      return refuse (error, OM_MODEL_ERROR_FROZEN,
                     _("The process meeting cannot be among the first two stages any more: "
                       "%s is won, and won stages are history."), name);
    }
  *position = progress.n_won;
  return TRUE;
}

/**
 * om_opportunity_data_add_process_agreement:
 * @position: (out) (optional): where it was added
 *
 * Adds the recommended process meeting (SPEC 5) where
 * om_opportunity_data_get_process_agreement_place() says.
 */
gboolean
om_opportunity_data_add_process_agreement (OmOpportunityData *self,
                                           guint             *position,
                                           GError           **error)
{
  guint place;

  if (!om_opportunity_data_get_process_agreement_place (self, &place, error) ||
      !om_opportunity_data_add_stage (self, place, recommended_stage (RECOMMENDED_PROCESS_MEETING), error))
    return FALSE;
  if (position != NULL)
    *position = place;
  return TRUE;
}

/* R6: the history is oldest first, so a decision or a reopening cannot
 * be dated before the last one recorded (a clock put back, a date typed) */
static gboolean
check_after_history (const OmOpportunityData *self,
                     OmDate                   on,
                     GError                 **error)
{
  const OmHistoryEntry *last;
  g_autofree char *on_text = NULL;
  g_autofree char *last_text = NULL;

  if (self->history->len == 0)
    return TRUE;
  last = g_ptr_array_index (self->history, self->history->len - 1);
  if (on >= last->on)
    return TRUE;

  on_text = om_date_format (on);
  last_text = om_date_format (last->on);
  return refuse (error, OM_MODEL_ERROR_INVALID_HISTORY,
                 _("A decision cannot be recorded on %s: the last one was recorded on %s, "
                   "and the history is kept oldest first."), on_text, last_text);
}

static gboolean
check_decidable (const OmOpportunityData *self,
                 guint                    index,
                 OmDate                   on,
                 GError                 **error)
{
  int current;
  g_autofree char *name = NULL;
  Progress progress;

  if (!check_open (self, &progress, error) || !check_index (self, index, error))
    return FALSE;

  current = progress.current;
  name = om_stage_data_describe (STAGE (self, index), index);
  if (STAGE (self, index)->status == OM_STAGE_STATUS_WON)
    return refuse (error, OM_MODEL_ERROR_FROZEN,
                   _("%s is already won. Reopen it to change the decision."), name);
  if ((int) index != current)
    {
      g_autofree char *cur = om_stage_data_describe (STAGE (self, current), current);
      return refuse (error, OM_MODEL_ERROR_OUT_OF_ORDER,
                     _("%s cannot be decided yet: %s comes first and is not won."), name, cur);
    }
  if (on == 0 || !om_date_is_valid (on))
    return refuse (error, OM_MODEL_ERROR_INVALID_DATE,
                   _("%s needs a valid decision date."), name);
  if (on < self->start_date)
    {
      g_autofree char *start = om_date_format (self->start_date);
      return refuse (error, OM_MODEL_ERROR_DECIDED_BEFORE_START,
                     _("%s cannot be decided before the opportunity starts on %s."), name, start);
    }
  if (index > 0 && on < STAGE (self, index - 1)->decided_on)
    {
      g_autofree char *previous = om_stage_data_describe (STAGE (self, index - 1), index - 1);
      g_autofree char *previous_on = om_date_format (STAGE (self, index - 1)->decided_on);
      g_autofree char *on_text = om_date_format (on);
      return refuse (error, OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS,
                     _("%s cannot be decided on %s, before %s was decided on %s: "
                       "stages are decided in order."), name, on_text, previous, previous_on);
    }
  return check_after_history (self, on, error);
}

/* Records a schedule change; dated no earlier than the entry above it,
 * so that the history stays oldest first whatever the clock says */
static void
add_schedule_entry (OmOpportunityData *self,
                    OmScheduleWhat     what,
                    int                stage,
                    OmDate             from,
                    OmDate             to,
                    OmDate             on,
                    const char        *note)
{
  if (self->schedule->len > 0)
    {
      const OmScheduleEntry *last = g_ptr_array_index (self->schedule, self->schedule->len - 1);
      on = MAX (on, last->on);
    }
  g_ptr_array_add (self->schedule, om_schedule_entry_new (what, stage, from, to, on, note));
}

static gboolean
has_baseline (const OmOpportunityData *self)
{
  for (guint i = 0; i < self->stages->len; i++)
    if (STAGE (self, i)->baseline_due != 0)
      return TRUE;
  return FALSE;
}

/* Every stage's due date as it stands becomes its baseline due date */
static void
take_baseline (OmOpportunityData *self,
               OmDate             on,
               const char        *note)
{
  OmDerivedValues before;
  OmDate due = self->start_date;
  OmDate close = 0;

  om_opportunity_data_derive (self, &before);
  for (guint i = 0; i < self->stages->len; i++)
    {
      due = due_after (due, STAGE (self, i));
      close = MAX (close, due);
      if (STAGE (self, i)->baseline_due != due)
        WSTAGE (self, i)->baseline_due = due;
    }
  add_schedule_entry (self, OM_SCHEDULE_BASELINE, -1, before.baseline_close_date, close, on, note);
}

/**
 * om_opportunity_data_set_baseline:
 * @on: the day it is taken
 * @note: why, for the schedule history
 *
 * Takes the plan as it stands as the plan of record ("Set Baseline"):
 * each stage's due date becomes its baseline due date, and the
 * schedule history records it (R6). Only an open plan is re-planned.
 */
gboolean
om_opportunity_data_set_baseline (OmOpportunityData *self,
                                  OmDate             on,
                                  const char        *note,
                                  GError           **error)
{
  if (!check_open (self, NULL, error))
    return FALSE;
  if (self->stages->len == 0)
    return refuse (error, OM_MODEL_ERROR_INVALID_INDEX,
                   _("A plan without stages has no dates to take as a baseline."));
  if (on == 0 || !om_date_is_valid (on))
    return refuse (error, OM_MODEL_ERROR_INVALID_DATE, _("A baseline needs a valid date."));
  take_baseline (self, on, note);
  return TRUE;
}

/**
 * om_opportunity_data_agree_date:
 * @date: the day agreed with the client, or 0 to unpin the stage
 * @on: the day it is recorded
 * @note: (nullable): for the schedule history
 *
 * Pins a pending stage of an open plan to the day the client agreed to
 * (R5: no earlier than the start date), or unpins it; the stages after
 * it that are not pinned follow. Recorded in the schedule history (R6).
 * An agreed date before the previous stage is due is accepted (the
 * client's word comes first) and shown as a `pinned-conflict`.
 */
gboolean
om_opportunity_data_agree_date (OmOpportunityData *self,
                                guint              index,
                                OmDate             date,
                                OmDate             on,
                                const char        *note,
                                GError           **error)
{
  const OmStageData *stage;
  OmStageData *own;

  if (!check_open (self, NULL, error) || !check_index (self, index, error))
    return FALSE;
  stage = STAGE (self, index);
  if (stage->status != OM_STAGE_STATUS_PENDING)
    {
      g_autofree char *name = om_stage_data_describe (stage, index);
      return refuse (error, OM_MODEL_ERROR_AGREED_NOT_PENDING,
                     _("%s is decided already: only a pending stage gets an agreed date."), name);
    }
  if (date != 0 && !om_date_is_valid (date))
    {
      g_autofree char *name = om_stage_data_describe (stage, index);
      g_autofree char *range = describe_date_range ();
      return refuse (error, OM_MODEL_ERROR_DATE_OUT_OF_RANGE,
                     _("%s needs an agreed date from %s."), name, range);
    }
  if (date != 0 && date < self->start_date)
    {
      g_autofree char *name = om_stage_data_describe (stage, index);
      g_autofree char *start = om_date_format (self->start_date);
      return refuse (error, OM_MODEL_ERROR_AGREED_BEFORE_START,
                     _("%s cannot be agreed for a day before the opportunity starts on %s."), name, start);
    }
  if (on == 0 || !om_date_is_valid (on))
    return refuse (error, OM_MODEL_ERROR_INVALID_DATE, _("A schedule change needs a valid date."));
  if (date == stage->agreed_on)
    return TRUE;

  own = WSTAGE (self, index);
  add_schedule_entry (self, OM_SCHEDULE_AGREED_DATE, (int) index, own->agreed_on, date, on, note);
  own->agreed_on = date;
  return TRUE;
}

/**
 * om_opportunity_data_record_close_date:
 * @was: the close date before an edit
 * @derived: what om_opportunity_data_derive() says of @self after it;
 *   its push count is brought up to date
 * @on: the day of the edit
 * @note: (nullable): for the schedule history
 *
 * R6: records in @self's schedule history that an edit moved the close
 * date, if it did. The one place where a committed edit is looked at
 * for it, whatever the edit was.
 */
void
om_opportunity_data_record_close_date (OmOpportunityData *self,
                                       OmDate             was,
                                       OmDerivedValues   *derived,
                                       OmDate             on,
                                       const char        *note)
{
  if (was == derived->close_date)
    return;
  add_schedule_entry (self, OM_SCHEDULE_CLOSE_DATE, -1, was, derived->close_date, on, note);
  derived->pushes = count_pushes (self);
}

/**
 * om_opportunity_data_win_stage:
 *
 * R2: only the current stage is won, and the decision is recorded (R6).
 */
gboolean
om_opportunity_data_win_stage (OmOpportunityData *self,
                               guint              index,
                               OmDate             on,
                               const char        *note,
                               GError           **error)
{
  OmStageData *stage;

  if (!check_decidable (self, index, on, error))
    return FALSE;

  stage = WSTAGE (self, index);
  stage->status = OM_STAGE_STATUS_WON;
  stage->decided_on = on;
  stage->agreed_on = 0;
  g_ptr_array_add (self->history,
                   om_history_entry_new (index, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, on, note));

  /* SPEC 2: the client agreed to the process, so the plan as it stands
   * is the plan of record, unless there is one already */
  if (stage->kind == OM_STAGE_KIND_PROCESS_AGREEMENT && !has_baseline (self))
    take_baseline (self, on, _("Taken when the client agreed to the process"));
  return TRUE;
}

gboolean
om_opportunity_data_lose_stage (OmOpportunityData *self,
                                guint              index,
                                OmDate             on,
                                const char        *reason,
                                GError           **error)
{
  OmStageData *stage;

  if (!check_decidable (self, index, on, error))
    return FALSE;

  if (om_str_is_blank (reason))
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, index), index);
      return refuse (error, OM_MODEL_ERROR_NO_LOST_REASON,
                     _("%s can only be marked lost with the reason why."), name);
    }

  stage = WSTAGE (self, index);
  stage->status = OM_STAGE_STATUS_LOST;
  stage->decided_on = on;
  stage->agreed_on = 0;
  g_free (stage->lost_reason);
  stage->lost_reason = om_strdup_trimmed (reason);
  g_ptr_array_add (self->history,
                   om_history_entry_new (index, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_LOST,
                                         on, stage->lost_reason));
  return TRUE;
}

/**
 * om_opportunity_data_get_reopen_stage:
 *
 * R4: the stage that reopening would give back to pending: the lost
 * stage, or else the last won one.
 *
 * Returns: its index, or -1 when no stage is decided
 */
int
om_opportunity_data_get_reopen_stage (const OmOpportunityData *self)
{
  Progress progress;

  g_return_val_if_fail (self != NULL, -1);

  /* the decided stages come first (R2, R3): the lost one after the won */
  get_progress (self, &progress);
  if (progress.status == OM_OPPORTUNITY_STATUS_LOST)
    return (int) progress.n_won;
  return (int) progress.n_won - 1;
}

/**
 * om_opportunity_data_reopen:
 *
 * R4: undoes the most recent decision (the lost stage, or else the last
 * won one) and records that it did so.
 */
gboolean
om_opportunity_data_reopen (OmOpportunityData *self,
                            OmDate             on,
                            const char        *note,
                            GError           **error)
{
  int last = om_opportunity_data_get_reopen_stage (self);

  if (last < 0)
    {
      g_autofree char *title = om_text_excerpt (self->title);
      return refuse (error, OM_MODEL_ERROR_NOTHING_TO_REOPEN,
                     _("“%s” has no decided stage to reopen."), title);
    }
  return om_opportunity_data_reopen_stage (self, (guint) last, on, note, error);
}

/**
 * om_opportunity_data_reopen_stage:
 * @index: the stage the caller means to reopen
 *
 * Reopens @index, which must be the stage om_opportunity_data_reopen()
 * would reopen: a person who asks for one stage never gets another.
 */
gboolean
om_opportunity_data_reopen_stage (OmOpportunityData *self,
                                  guint              index,
                                  OmDate             on,
                                  const char        *note,
                                  GError           **error)
{
  int last;
  OmStageData *stage;
  OmStageStatus was;

  if (!check_index (self, index, error))
    return FALSE;

  last = om_opportunity_data_get_reopen_stage (self);
  if (STAGE (self, index)->status == OM_STAGE_STATUS_PENDING)
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, index), index);
      g_autofree char *latest = NULL;

      if (last < 0)
        return refuse (error, OM_MODEL_ERROR_NOTHING_TO_REOPEN,
                       _("%s is not decided: there is nothing to reopen."), name);
      latest = om_stage_data_describe (STAGE (self, last), (guint) last);
      return refuse (error, OM_MODEL_ERROR_NOTHING_TO_REOPEN,
                     /* Translators: two stages; reopening undoes the latest decision only */
                     _("%s is not decided: Reopen applies to %s, the most recent decision."), name, latest);
    }
  if ((int) index != last)
    {
      g_autofree char *name = om_stage_data_describe (STAGE (self, index), index);
      g_autofree char *latest = om_stage_data_describe (STAGE (self, last), (guint) last);
      return refuse (error, OM_MODEL_ERROR_OUT_OF_ORDER,
                     /* Translators: two stages; reopening undoes the latest decision only */
                     _("%s cannot be reopened while %s, decided after it, stands."), name, latest);
    }
  if (on == 0 || !om_date_is_valid (on))
    return refuse (error, OM_MODEL_ERROR_INVALID_DATE, _("Reopening needs a valid date."));
  if (!check_after_history (self, on, error))
    return FALSE;

  stage = WSTAGE (self, index);
  was = stage->status;
  stage->status = OM_STAGE_STATUS_PENDING;
  stage->decided_on = 0;
  g_free (stage->lost_reason);
  stage->lost_reason = g_strdup ("");
  g_ptr_array_add (self->history,
                   om_history_entry_new (index, was, OM_STAGE_STATUS_PENDING, on, note));
  return TRUE;
}

static void
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value ? value : "");
}

/**
 * om_opportunity_data_edit_stage:
 * @edited: the stage's new fields
 *
 * Changes what a person edits: the plan fields, and for a decided stage
 * its date and lost reason. The status only changes through decisions.
 */
gboolean
om_opportunity_data_edit_stage (OmOpportunityData *self,
                                guint              index,
                                const OmStageData *edited,
                                GError           **error)
{
  g_autoptr(OmStageData) next = NULL;
  const OmStageData *stage;

  if (!check_index (self, index, error))
    return FALSE;

  stage = STAGE (self, index);
  next = om_stage_data_copy (stage);
  replace_string (&next->activity, edited->activity);
  replace_string (&next->milestone, edited->milestone);
  next->kind = edited->kind;
  replace_string (&next->owner, edited->owner);
  replace_string (&next->client_owner, edited->client_owner);
  next->duration_days = edited->duration_days;
  next->probability = edited->probability;
  replace_string (&next->client_description, edited->client_description);
  replace_string (&next->notes, edited->notes);
  if (stage->status != OM_STAGE_STATUS_PENDING)
    next->decided_on = edited->decided_on;
  if (stage->status == OM_STAGE_STATUS_LOST)
    replace_string (&next->lost_reason, edited->lost_reason);

  if (!validate_stage (next, index, self->start_date, NULL, error))
    return FALSE;

  /* the new duration or date may move the dates of the whole chain */
  g_ptr_array_index (self->stages, index) = next;
  if (!validate_dates (self, NULL, error))
    {
      g_ptr_array_index (self->stages, index) = (gpointer) stage;
      return FALSE;
    }
  g_steal_pointer (&next);
  om_stage_data_free ((OmStageData *) stage);
  return TRUE;
}

/**
 * om_opportunity_data_edit:
 * @edited: the opportunity's new fields; its stages are not looked at
 */
gboolean
om_opportunity_data_edit (OmOpportunityData       *self,
                          const OmOpportunityData *edited,
                          GError                 **error)
{
  g_autoptr(OmOpportunityData) next = om_opportunity_data_copy (self);

  replace_string (&next->title, edited->title);
  replace_string (&next->client, edited->client);
  replace_string (&next->coordinator, edited->coordinator);
  next->value = edited->value;
  replace_string (&next->currency, edited->currency);
  next->start_date = edited->start_date;
  next->target_date = edited->target_date;
  replace_string (&next->notes, edited->notes);

  if (!om_opportunity_data_validate (next, error))
    return FALSE;

  replace_string (&self->title, next->title);
  replace_string (&self->client, next->client);
  replace_string (&self->coordinator, next->coordinator);
  self->value = next->value;
  replace_string (&self->currency, next->currency);
  self->start_date = next->start_date;
  self->target_date = next->target_date;
  replace_string (&self->notes, next->notes);
  return TRUE;
}

/* Templates */

OmTemplateData *
om_template_data_new (const char *name)
{
  OmTemplateData *self = g_new0 (OmTemplateData, 1);

  self->name = g_strdup (name ? name : "");
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) om_stage_data_free);
  return self;
}

/* A stage of the recommended process, its texts in the user's language */
static OmStageData *
recommended_stage (RecommendedStep step)
{
  OmStageData *stage = om_stage_data_new (_(recommended_steps[step].activity),
                                          _(recommended_steps[step].milestone));

  stage->kind = recommended_steps[step].kind;
  stage->duration_days = recommended_steps[step].days;
  stage->probability = recommended_steps[step].p;
  return stage;
}

/**
 * om_template_data_new_recommended:
 *
 * The built-in recommended process of SPEC section 5.
 */
OmTemplateData *
om_template_data_new_recommended (void)
{
  OmTemplateData *self = om_template_data_new (_("Recommended process"));

  for (guint i = 0; i < G_N_ELEMENTS (recommended_steps); i++)
    g_ptr_array_add (self->stages, recommended_stage (i));
  return self;
}

/**
 * om_template_data_new_from_opportunity:
 * @name: the template's name
 *
 * A template of @data's plan: each stage's activity, milestone, kind,
 * duration, probability and client description, pending. Nothing that
 * belongs to this one sale (owners, dates, notes, decisions) goes in.
 *
 * Returns: (transfer full): the template, not checked by the rules
 */
OmTemplateData *
om_template_data_new_from_opportunity (const OmOpportunityData *data,
                                       const char              *name)
{
  OmTemplateData *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = om_template_data_new (name);
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *from = g_ptr_array_index (data->stages, i);
      OmStageData *stage = om_stage_data_new (from->activity, from->milestone);

      stage->kind = from->kind;
      stage->duration_days = from->duration_days;
      stage->probability = from->probability;
      g_free (stage->client_description);
      stage->client_description = g_strdup (from->client_description);
      g_ptr_array_add (self->stages, stage);
    }
  return self;
}

OmTemplateData *
om_template_data_copy (const OmTemplateData *self)
{
  OmTemplateData *copy = om_template_data_new (self->name);

  copy->id = self->id;
  for (guint i = 0; i < self->stages->len; i++)
    g_ptr_array_add (copy->stages, om_stage_data_copy (g_ptr_array_index (self->stages, i)));
  return copy;
}

void
om_template_data_free (OmTemplateData *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_ptr_array_unref (self->stages);
  g_free (self);
}

gboolean
om_template_data_equal (const OmTemplateData *a,
                        const OmTemplateData *b)
{
  if (g_strcmp0 (a->name, b->name) != 0 || a->stages->len != b->stages->len)
    return FALSE;
  for (guint i = 0; i < a->stages->len; i++)
    if (!om_stage_data_equal (g_ptr_array_index (a->stages, i), g_ptr_array_index (b->stages, i)))
      return FALSE;
  return TRUE;
}

/**
 * om_template_data_validate_full:
 * @violation: (out) (optional): where the first broken rule is
 *
 * A template's stages follow R5 and are all pending.
 */
gboolean
om_template_data_validate_full (const OmTemplateData *self,
                                OmViolation          *violation,
                                GError              **error)
{
  OmViolation unused;
  OmViolation *v = violation != NULL ? violation : &unused;

  *v = (OmViolation) { 0, -1, -1, OM_FIELD_NONE };
  if (om_str_is_blank (self->name))
    return refuse_at (error, v, -1, -1, OM_FIELD_TITLE, OM_MODEL_ERROR_EMPTY_TITLE,
                      _("A template needs a name."));
  for (guint i = 0; i < self->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (self->stages, i);
      if (!validate_stage (stage, i, 0, v, error))
        return FALSE;
      if (stage->status != OM_STAGE_STATUS_PENDING)
        return refuse_at (error, v, (int) i, -1, OM_FIELD_STATUS, OM_MODEL_ERROR_INVALID_STATUS,
                          _("Stage %u of a template cannot be decided."), i + 1);
    }
  return TRUE;
}

gboolean
om_template_data_validate (const OmTemplateData *self,
                           GError              **error)
{
  return om_template_data_validate_full (self, NULL, error);
}

/**
 * om_template_data_instantiate:
 *
 * Returns: (transfer full): a new opportunity planned from the template
 */
OmOpportunityData *
om_template_data_instantiate (const OmTemplateData *self,
                              const char           *title,
                              const char           *client,
                              OmDate                start_date)
{
  OmOpportunityData *opp = om_opportunity_data_new (title, client, start_date);

  for (guint i = 0; i < self->stages->len; i++)
    {
      OmStageData *stage = om_stage_data_copy (g_ptr_array_index (self->stages, i));
      stage->id = 0;
      g_ptr_array_add (opp->stages, stage);
    }
  return opp;
}
