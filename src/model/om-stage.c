/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include "om-enums.h"
#include "om-stage-private.h"

/**
 * OmStage:
 *
 * One minor opportunity of an opportunity's chain, as the opportunity
 * shows it: read-only properties that notify when an edit of the
 * opportunity changes them. Edits go through #OmOpportunity.
 */
struct _OmStage
{
  GObject         parent_instance;

  OmStageData    *data;
  OmStageDerived  derived;
};

G_DEFINE_FINAL_TYPE (OmStage, om_stage, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ACTIVITY,
  PROP_MILESTONE,
  PROP_KIND,
  PROP_OWNER,
  PROP_CLIENT_OWNER,
  PROP_DURATION_DAYS,
  PROP_PROBABILITY,
  PROP_STATUS,
  PROP_DECIDED_ON,
  PROP_LOST_REASON,
  PROP_CLIENT_DESCRIPTION,
  PROP_NOTES,
  PROP_POSITION,
  PROP_START_DATE,
  PROP_DUE_DATE,
  PROP_CURRENT,
  PROP_OVERDUE,
  PROP_WEAKEST,
  PROP_AGREED_ON,
  PROP_BASELINE_DUE,
  PROP_CONFLICT,
  PROP_SLIP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
om_stage_finalize (GObject *object)
{
  OmStage *self = (OmStage *) object;

  g_clear_pointer (&self->data, om_stage_data_free);

  G_OBJECT_CLASS (om_stage_parent_class)->finalize (object);
}

static void
om_stage_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  OmStage *self = OM_STAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->data->id);
      break;
    case PROP_ACTIVITY:
      g_value_set_string (value, self->data->activity);
      break;
    case PROP_MILESTONE:
      g_value_set_string (value, self->data->milestone);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->data->kind);
      break;
    case PROP_OWNER:
      g_value_set_string (value, self->data->owner);
      break;
    case PROP_CLIENT_OWNER:
      g_value_set_string (value, self->data->client_owner);
      break;
    case PROP_DURATION_DAYS:
      g_value_set_uint (value, self->data->duration_days);
      break;
    case PROP_PROBABILITY:
      g_value_set_double (value, self->data->probability);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->data->status);
      break;
    case PROP_DECIDED_ON:
      g_value_set_uint (value, self->data->decided_on);
      break;
    case PROP_LOST_REASON:
      g_value_set_string (value, self->data->lost_reason);
      break;
    case PROP_CLIENT_DESCRIPTION:
      g_value_set_string (value, self->data->client_description);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->data->notes);
      break;
    case PROP_POSITION:
      g_value_set_uint (value, self->derived.position);
      break;
    case PROP_START_DATE:
      g_value_set_uint (value, self->derived.start_date);
      break;
    case PROP_DUE_DATE:
      g_value_set_uint (value, self->derived.due_date);
      break;
    case PROP_CURRENT:
      g_value_set_boolean (value, self->derived.current);
      break;
    case PROP_OVERDUE:
      g_value_set_boolean (value, self->derived.overdue);
      break;
    case PROP_AGREED_ON:
      g_value_set_uint (value, self->data->agreed_on);
      break;
    case PROP_BASELINE_DUE:
      g_value_set_uint (value, self->data->baseline_due);
      break;
    case PROP_CONFLICT:
      g_value_set_boolean (value, self->derived.conflict);
      break;
    case PROP_SLIP:
      g_value_set_int (value, self->derived.slip);
      break;
    case PROP_WEAKEST:
      g_value_set_boolean (value, self->derived.weakest);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_prop (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
uint_prop (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
bool_prop (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
om_stage_class_init (OmStageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = om_stage_finalize;
  object_class->get_property = om_stage_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ACTIVITY] = string_prop ("activity");
  properties[PROP_MILESTONE] = string_prop ("milestone");
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, OM_TYPE_STAGE_KIND,
                                             OM_STAGE_KIND_STANDARD, flags);
  properties[PROP_OWNER] = string_prop ("owner");
  properties[PROP_CLIENT_OWNER] = string_prop ("client-owner");
  properties[PROP_DURATION_DAYS] = uint_prop ("duration-days");
  properties[PROP_PROBABILITY] = g_param_spec_double ("probability", NULL, NULL, 0.0, 1.0, 0.5, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, OM_TYPE_STAGE_STATUS,
                                               OM_STAGE_STATUS_PENDING, flags);
  /* Dates are Julian day numbers, 0 for none */
  properties[PROP_DECIDED_ON] = uint_prop ("decided-on");
  properties[PROP_LOST_REASON] = string_prop ("lost-reason");
  properties[PROP_CLIENT_DESCRIPTION] = string_prop ("client-description");
  properties[PROP_NOTES] = string_prop ("notes");
  properties[PROP_POSITION] = uint_prop ("position");
  properties[PROP_START_DATE] = uint_prop ("start-date");
  properties[PROP_DUE_DATE] = uint_prop ("due-date");
  properties[PROP_CURRENT] = bool_prop ("current");
  properties[PROP_OVERDUE] = bool_prop ("overdue");
  properties[PROP_WEAKEST] = bool_prop ("weakest");
  properties[PROP_AGREED_ON] = uint_prop ("agreed-on");
  properties[PROP_BASELINE_DUE] = uint_prop ("baseline-due");
  properties[PROP_CONFLICT] = bool_prop ("conflict");
  properties[PROP_SLIP] = g_param_spec_int ("slip", NULL, NULL, G_MININT, G_MAXINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
om_stage_init (OmStage *self)
{
}

OmStage *
_om_stage_new (const OmStageData *data)
{
  OmStage *self = g_object_new (OM_TYPE_STAGE, NULL);

  self->data = om_stage_data_ref (data);
  return self;
}

#define NOTIFY_IF(cond, prop) \
  G_STMT_START { if (cond) g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); } G_STMT_END

/*
 * Takes the stage's new values and notifies each property that changed,
 * after all of them are in place so that a handler sees a whole stage.
 */
void
_om_stage_update (OmStage              *self,
                  const OmStageData    *data,
                  const OmStageDerived *derived)
{
  g_autoptr(OmStageData) old = NULL;
  OmStageDerived was = self->derived;

  /* the same values: a shared stage is never changed in place */
  if (self->data == data && was.position == derived->position && was.start_date == derived->start_date &&
      was.due_date == derived->due_date && was.current == derived->current &&
      was.overdue == derived->overdue && was.weakest == derived->weakest &&
      was.conflict == derived->conflict && was.slip == derived->slip)
    return;

  old = self->data;
  self->data = om_stage_data_ref (data);
  self->derived = *derived;

  g_object_freeze_notify (G_OBJECT (self));
  if (old == data)
    goto derived;   /* the same values, shared */
  NOTIFY_IF (old->id != data->id, PROP_ID);
  NOTIFY_IF (g_strcmp0 (old->activity, data->activity) != 0, PROP_ACTIVITY);
  NOTIFY_IF (g_strcmp0 (old->milestone, data->milestone) != 0, PROP_MILESTONE);
  NOTIFY_IF (old->kind != data->kind, PROP_KIND);
  NOTIFY_IF (g_strcmp0 (old->owner, data->owner) != 0, PROP_OWNER);
  NOTIFY_IF (g_strcmp0 (old->client_owner, data->client_owner) != 0, PROP_CLIENT_OWNER);
  NOTIFY_IF (old->duration_days != data->duration_days, PROP_DURATION_DAYS);
  NOTIFY_IF (old->probability != data->probability, PROP_PROBABILITY);
  NOTIFY_IF (old->status != data->status, PROP_STATUS);
  NOTIFY_IF (old->decided_on != data->decided_on, PROP_DECIDED_ON);
  NOTIFY_IF (old->agreed_on != data->agreed_on, PROP_AGREED_ON);
  NOTIFY_IF (old->baseline_due != data->baseline_due, PROP_BASELINE_DUE);
  NOTIFY_IF (g_strcmp0 (old->lost_reason, data->lost_reason) != 0, PROP_LOST_REASON);
  NOTIFY_IF (g_strcmp0 (old->client_description, data->client_description) != 0, PROP_CLIENT_DESCRIPTION);
  NOTIFY_IF (g_strcmp0 (old->notes, data->notes) != 0, PROP_NOTES);
derived:
  NOTIFY_IF (was.position != derived->position, PROP_POSITION);
  NOTIFY_IF (was.start_date != derived->start_date, PROP_START_DATE);
  NOTIFY_IF (was.due_date != derived->due_date, PROP_DUE_DATE);
  NOTIFY_IF (was.current != derived->current, PROP_CURRENT);
  NOTIFY_IF (was.overdue != derived->overdue, PROP_OVERDUE);
  NOTIFY_IF (was.weakest != derived->weakest, PROP_WEAKEST);
  NOTIFY_IF (was.conflict != derived->conflict, PROP_CONFLICT);
  NOTIFY_IF (was.slip != derived->slip, PROP_SLIP);
  g_object_thaw_notify (G_OBJECT (self));
}

const OmStageData *om_stage_get_data (OmStage *self) { return self->data; }
gint64 om_stage_get_id (OmStage *self) { return self->data->id; }
const char *om_stage_get_activity (OmStage *self) { return self->data->activity; }
const char *om_stage_get_milestone (OmStage *self) { return self->data->milestone; }
OmStageKind om_stage_get_kind (OmStage *self) { return self->data->kind; }
const char *om_stage_get_owner (OmStage *self) { return self->data->owner; }
const char *om_stage_get_client_owner (OmStage *self) { return self->data->client_owner; }
guint om_stage_get_duration_days (OmStage *self) { return self->data->duration_days; }
double om_stage_get_probability (OmStage *self) { return self->data->probability; }
OmStageStatus om_stage_get_status (OmStage *self) { return self->data->status; }
OmDate om_stage_get_decided_on (OmStage *self) { return self->data->decided_on; }
const char *om_stage_get_lost_reason (OmStage *self) { return self->data->lost_reason; }
const char *om_stage_get_client_description (OmStage *self) { return self->data->client_description; }
const char *om_stage_get_notes (OmStage *self) { return self->data->notes; }
guint om_stage_get_position (OmStage *self) { return self->derived.position; }
/* The day the stage's activity starts: the previous milestone's due date */
OmDate om_stage_get_start_date (OmStage *self) { return self->derived.start_date; }
OmDate om_stage_get_due_date (OmStage *self) { return self->derived.due_date; }
gboolean om_stage_get_current (OmStage *self) { return self->derived.current; }
gboolean om_stage_get_overdue (OmStage *self) { return self->derived.overdue; }
gboolean om_stage_get_weakest (OmStage *self) { return self->derived.weakest; }

/* The day agreed with the client (it pins the stage), or 0 */
OmDate
om_stage_get_agreed_on (OmStage *self)
{
  g_return_val_if_fail (OM_IS_STAGE (self), 0);
  return self->data->agreed_on;
}

/* Its due date in the plan of record, or 0 */
OmDate
om_stage_get_baseline_due (OmStage *self)
{
  g_return_val_if_fail (OM_IS_STAGE (self), 0);
  return self->data->baseline_due;
}

/* Whether its agreed date comes before the stage before it is due */
gboolean
om_stage_get_conflict (OmStage *self)
{
  g_return_val_if_fail (OM_IS_STAGE (self), FALSE);
  return self->derived.conflict;
}

/* Its due date minus its baseline due date, in days; 0 without one */
int
om_stage_get_slip (OmStage *self)
{
  g_return_val_if_fail (OM_IS_STAGE (self), 0);
  return self->derived.slip;
}
