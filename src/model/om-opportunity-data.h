/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "om-types.h"

G_BEGIN_DECLS

/*
 * Plain values of an opportunity and its stages, with the rules of
 * SPEC section 3 as functions over them. The GObjects (OmOpportunity,
 * OmStage) show one of these to the world; every operation is made on a
 * copy, checked, persisted and only then shown, so a refusal or a failed
 * write never leaves anything half-changed.
 *
 * A copy of an opportunity shares its stages and history entries with
 * the original, so copying a long plan is cheap: change a stage or an
 * entry of a plan only through om_opportunity_data_get_writable_stage()
 * or om_opportunity_data_get_writable_entry(). A holder that only keeps
 * an opportunity's values may share them whole (om_opportunity_data_ref());
 * they never change after that.
 */

typedef struct
{
  /* what the rules over the whole chain read first, together: a check
   * of a long plan reads one cache line of each stage */
  OmStageStatus  status;
  OmDate         decided_on;    /* 0 while pending */
  OmDate         agreed_on;     /* the agreed date (pins the stage), or 0; pending only */
  OmDate         baseline_due;  /* its due date in the plan of record, or 0 */
  guint          duration_days;
  OmStageKind    kind;
  double         probability;
  gint64         id;            /* 0 until the repository assigns one */
  char          *activity;
  char          *milestone;
  char          *owner;
  char          *client_owner;
  char          *lost_reason;
  char          *client_description;
  char          *notes;
} OmStageData;

typedef struct
{
  guint          stage;         /* index in the chain */
  OmStageStatus  from;
  OmStageStatus  to;
  OmDate         on;
  char          *note;
} OmHistoryEntry;

/* R6: a change of the schedule, dated the day it was recorded */
typedef struct
{
  OmScheduleWhat what;
  int            stage;         /* index in the chain (agreed dates), or -1 */
  OmDate         from;          /* 0: none */
  OmDate         to;            /* 0: none */
  OmDate         on;
  char          *note;
} OmScheduleEntry;

typedef struct
{
  gint64     id;
  gint64     revision;          /* as read from the backend (R7): 0 until kept */
  char      *title;
  char      *client;
  char      *coordinator;
  gint64     value;             /* minor units */
  char      *currency;
  OmDate     start_date;
  OmDate     target_date;       /* the client's deadline, or 0 */
  char      *notes;
  GPtrArray *stages;            /* OmStageData */
  GPtrArray *history;           /* OmHistoryEntry, oldest first */
  GPtrArray *schedule;          /* OmScheduleEntry, oldest first */
} OmOpportunityData;

typedef struct
{
  gint64     id;
  char      *name;
  GPtrArray *stages;            /* OmStageData: plan fields only */
} OmTemplateData;

typedef struct
{
  char *code;
  char *message;
  int   stage;                  /* index, or -1 when about the whole plan */
} OmHealthWarning;

/*
 * Where a plan breaks a rule, so that a caller can point at it (the JSON
 * reader turns it into a path such as opportunities[0].stages[2].status).
 */
typedef enum
{
  OM_FIELD_NONE,
  /* the opportunity's */
  OM_FIELD_TITLE,                /* (or a template's name) */
  OM_FIELD_CLIENT,
  OM_FIELD_VALUE,
  OM_FIELD_CURRENCY,
  OM_FIELD_START_DATE,
  OM_FIELD_HISTORY,             /* the history as a whole: an entry is missing */
  /* a stage's (OmViolation.stage says which) */
  OM_FIELD_ACTIVITY,
  OM_FIELD_MILESTONE,
  OM_FIELD_DURATION,
  OM_FIELD_PROBABILITY,
  OM_FIELD_STATUS,
  OM_FIELD_DECIDED_ON,
  OM_FIELD_LOST_REASON,
  /* a history entry's (OmViolation.entry says which) */
  OM_FIELD_ENTRY_STAGE,
  OM_FIELD_ENTRY_FROM,
  OM_FIELD_ENTRY_TO,
  OM_FIELD_ENTRY_ON,
  /* schedule (version 2): the opportunity's, a stage's, then a schedule
   * history entry's (OmViolation.entry says which) */
  OM_FIELD_TARGET_DATE,
  OM_FIELD_AGREED_DATE,
  OM_FIELD_BASELINE_DUE,
  OM_FIELD_SCHEDULE_STAGE,
  OM_FIELD_SCHEDULE_FROM,
  OM_FIELD_SCHEDULE_TO,
  OM_FIELD_SCHEDULE_ON,
} OmField;

typedef struct
{
  guint   rule;                 /* the rule of SPEC section 3: 2 for R2... */
  int     stage;                /* the stage at fault, or -1 */
  int     entry;                /* the history entry at fault, or -1 */
  OmField field;                /* the field at fault, or OM_FIELD_NONE */
} OmViolation;

/* om_opportunity_data_get_lasting_health() of a plan not read yet */
#define OM_HEALTH_UNKNOWN G_MAXUINT

/* What follows from the stages (SPEC section 2), worked out together */
typedef struct
{
  OmOpportunityStatus status;
  guint               n_won;
  int                 current;           /* -1 unless open */
  double              chain_probability;
  double              weighted_value;    /* value × chain probability, in minor units */
  int                 weakest;           /* -1 unless open */
  OmDate              next_due;          /* the current stage's due date, or 0 */
  OmDate              close_date;        /* the last stage's due date, or 0 */
  OmDate              first_pending_due; /* the earliest due date of a pending stage
                                          * while open (overdue: before today), or 0 */
  OmDate              baseline_close_date; /* the latest baseline due date, or 0 */
  guint               pushes;            /* close-date moves later, in the schedule history */
  guint               stage_health;      /* the lasting warnings that single out stages
                                          * (no-owner, pinned-conflict, next-not-agreed),
                                          * as bits of om_opportunity_data_get_lasting_health() */
  guint               health;            /* OM_HEALTH_UNKNOWN, or what
                                          * om_opportunity_data_get_lasting_health()
                                          * said, for whoever asked it already */
} OmDerivedValues;

/* One stage's place in the schedule (SPEC 2 and 4), for whoever shows it */
typedef struct
{
  OmDate   due;
  int      slip;                /* due − baseline due, in days; 0 without a baseline */
  gboolean overdue;
  gboolean conflict;            /* agreed before the previous stage is due */
} OmStageSchedule;

/* SPEC 4: the close date slips too far past its baseline beyond this */
#define OM_SLIPPED_DAYS 14
/* SPEC 4: the close date pushed this often is a warning */
#define OM_PUSHED_TIMES 3

#define OM_DEFAULT_TOO_COMPLEX_THRESHOLD 8


#define OM_TYPE_STAGE_DATA       (om_stage_data_get_type ())
#define OM_TYPE_OPPORTUNITY_DATA (om_opportunity_data_get_type ())
#define OM_TYPE_TEMPLATE_DATA    (om_template_data_get_type ())

GType               om_stage_data_get_type               (void) G_GNUC_CONST;
OmStageData        *om_stage_data_new                    (const char              *activity,
                                                          const char              *milestone);
OmStageData        *om_stage_data_copy                   (const OmStageData       *self);
OmStageData        *om_stage_data_ref                    (const OmStageData       *self);
void                om_stage_data_free                   (OmStageData             *self);
gboolean            om_stage_data_equal                  (const OmStageData       *a,
                                                          const OmStageData       *b);
char               *om_stage_data_describe               (const OmStageData       *self,
                                                          guint                    index);

OmHistoryEntry     *om_history_entry_new                 (guint                    stage,
                                                          OmStageStatus            from,
                                                          OmStageStatus            to,
                                                          OmDate                   on,
                                                          const char              *note);
void                om_history_entry_free                (OmHistoryEntry          *self);

OmScheduleEntry    *om_schedule_entry_new                (OmScheduleWhat           what,
                                                          int                      stage,
                                                          OmDate                   from,
                                                          OmDate                   to,
                                                          OmDate                   on,
                                                          const char              *note);
OmScheduleEntry    *om_schedule_entry_copy               (const OmScheduleEntry   *self);
void                om_schedule_entry_free               (OmScheduleEntry         *self);

GType               om_opportunity_data_get_type         (void) G_GNUC_CONST;
OmOpportunityData  *om_opportunity_data_new              (const char              *title,
                                                          const char              *client,
                                                          OmDate                   start_date);
OmOpportunityData  *om_opportunity_data_copy             (const OmOpportunityData *self);
OmOpportunityData  *om_opportunity_data_ref              (const OmOpportunityData *self);
void                om_opportunity_data_free             (OmOpportunityData       *self);
gboolean            om_opportunity_data_equal            (const OmOpportunityData *a,
                                                          const OmOpportunityData *b,
                                                          gboolean                 compare_ids);
const OmStageData  *om_opportunity_data_get_stage        (const OmOpportunityData *self,
                                                          guint                    index);
OmStageData        *om_opportunity_data_get_writable_stage (OmOpportunityData     *self,
                                                          guint                    index);
OmHistoryEntry     *om_opportunity_data_get_writable_entry (OmOpportunityData     *self,
                                                          guint                    index);
guint               om_opportunity_data_get_n_stages     (const OmOpportunityData *self);

/* Derived values (SPEC section 2) */
void                om_opportunity_data_derive           (const OmOpportunityData *self,
                                                          OmDerivedValues         *values);
OmOpportunityStatus om_opportunity_data_get_status       (const OmOpportunityData *self);
guint               om_opportunity_data_get_n_won        (const OmOpportunityData *self);
int                 om_opportunity_data_get_current      (const OmOpportunityData *self);
OmDate              om_opportunity_data_get_due_date     (const OmOpportunityData *self,
                                                          guint                    index);
OmDate             *om_opportunity_data_get_due_dates    (const OmOpportunityData *self);
OmDate             *om_opportunity_data_get_pending_dues (const OmOpportunityData *self,
                                                          guint                    max_pending);
OmStageSchedule    *om_opportunity_data_get_schedule     (const OmOpportunityData *self,
                                                          OmDate                   today);
gboolean            om_is_overdue                        (OmOpportunityStatus      status,
                                                          OmStageStatus            stage_status,
                                                          OmDate                   due,
                                                          OmDate                   today);
gboolean            om_opportunity_data_is_overdue       (const OmOpportunityData *self,
                                                          guint                    index,
                                                          OmDate                   today);
double              om_opportunity_data_get_chain_probability (const OmOpportunityData *self);
int                 om_opportunity_data_get_weakest_link (const OmOpportunityData *self);
double              om_opportunity_data_get_weighted_value (const OmOpportunityData *self);
GPtrArray          *om_opportunity_data_check_health     (const OmOpportunityData *self,
                                                          guint                    too_complex_threshold,
                                                          OmDate                   today);
guint               om_opportunity_data_get_lasting_health (const OmOpportunityData *self);
guint               om_opportunity_data_get_lasting_health_derived (const OmOpportunityData *self,
                                                                    const OmDerivedValues   *derived);
guint               om_health_count                      (guint                    lasting,
                                                          OmOpportunityStatus      status,
                                                          guint                    n_pending,
                                                          guint                    too_complex_threshold,
                                                          gboolean                 overdue);

/* Rules (SPEC section 3): each checks, then changes @self only on success */
gboolean            om_opportunity_data_validate         (const OmOpportunityData *self,
                                                          GError                 **error);
gboolean            om_opportunity_data_validate_full    (const OmOpportunityData *self,
                                                          OmViolation             *violation,
                                                          GError                 **error);
gboolean            om_opportunity_data_validate_derived (const OmOpportunityData *self,
                                                          OmDerivedValues         *derived,
                                                          GError                 **error);
gboolean            om_opportunity_data_repair           (OmOpportunityData       *self,
                                                          const char              *note);
gboolean            om_opportunity_data_add_stage        (OmOpportunityData       *self,
                                                          guint                    position,
                                                          OmStageData             *stage,
                                                          GError                 **error);
gboolean            om_opportunity_data_remove_stage     (OmOpportunityData       *self,
                                                          guint                    index,
                                                          GError                 **error);
gboolean            om_opportunity_data_move_stage       (OmOpportunityData       *self,
                                                          guint                    from,
                                                          guint                    to,
                                                          GError                 **error);
gboolean            om_opportunity_data_fold_feasibility (OmOpportunityData     *self,
                                                          guint                    first,
                                                          guint                    last,
                                                          OmDate                   on,
                                                          GError                 **error);
gboolean            om_opportunity_data_propose_fold     (const OmOpportunityData *self,
                                                          guint                   *first,
                                                          guint                   *last);
gboolean            om_opportunity_data_get_process_agreement_place (const OmOpportunityData *self,
                                                          guint                   *position,
                                                          GError                 **error);
gboolean            om_opportunity_data_add_process_agreement (OmOpportunityData *self,
                                                          guint                   *position,
                                                          GError                 **error);
gboolean            om_opportunity_data_win_stage        (OmOpportunityData       *self,
                                                          guint                    index,
                                                          OmDate                   on,
                                                          const char              *note,
                                                          GError                 **error);
gboolean            om_opportunity_data_lose_stage       (OmOpportunityData       *self,
                                                          guint                    index,
                                                          OmDate                   on,
                                                          const char              *reason,
                                                          GError                 **error);
gboolean            om_opportunity_data_reopen           (OmOpportunityData       *self,
                                                          OmDate                   on,
                                                          const char              *note,
                                                          GError                 **error);
gboolean            om_opportunity_data_reopen_stage     (OmOpportunityData       *self,
                                                          guint                    index,
                                                          OmDate                   on,
                                                          const char              *note,
                                                          GError                 **error);
int                 om_opportunity_data_get_reopen_stage (const OmOpportunityData *self);
gboolean            om_opportunity_data_agree_date       (OmOpportunityData       *self,
                                                          guint                    index,
                                                          OmDate                   date,
                                                          OmDate                   on,
                                                          const char              *note,
                                                          GError                 **error);
gboolean            om_opportunity_data_set_baseline     (OmOpportunityData       *self,
                                                          OmDate                   on,
                                                          const char              *note,
                                                          GError                 **error);
void                om_opportunity_data_record_close_date (OmOpportunityData      *self,
                                                          OmDate                   was,
                                                          OmDerivedValues         *derived,
                                                          OmDate                   on,
                                                          const char              *note);
gboolean            om_opportunity_data_edit_stage       (OmOpportunityData       *self,
                                                          guint                    index,
                                                          const OmStageData       *edited,
                                                          GError                 **error);
gboolean            om_opportunity_data_edit             (OmOpportunityData       *self,
                                                          const OmOpportunityData *edited,
                                                          GError                 **error);

void                om_health_warning_free               (OmHealthWarning         *self);

GType               om_template_data_get_type            (void) G_GNUC_CONST;
OmTemplateData     *om_template_data_new                 (const char              *name);
OmTemplateData     *om_template_data_new_recommended     (void);
OmTemplateData     *om_template_data_new_from_opportunity (const OmOpportunityData *data,
                                                          const char              *name);
OmTemplateData     *om_template_data_copy                (const OmTemplateData    *self);
void                om_template_data_free                (OmTemplateData          *self);
gboolean            om_template_data_equal               (const OmTemplateData    *a,
                                                          const OmTemplateData    *b);
gboolean            om_template_data_validate            (const OmTemplateData    *self,
                                                          GError                 **error);
gboolean            om_template_data_validate_full       (const OmTemplateData    *self,
                                                          OmViolation             *violation,
                                                          GError                 **error);
OmOpportunityData  *om_template_data_instantiate         (const OmTemplateData    *self,
                                                          const char              *title,
                                                          const char              *client,
                                                          OmDate                   start_date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmStageData, om_stage_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmHistoryEntry, om_history_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmScheduleEntry, om_schedule_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmOpportunityData, om_opportunity_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmTemplateData, om_template_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmHealthWarning, om_health_warning_free)

G_END_DECLS
