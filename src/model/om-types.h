/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  OM_STAGE_KIND_STANDARD,
  OM_STAGE_KIND_PROCESS_AGREEMENT,
  OM_STAGE_KIND_FEASIBILITY_STUDY,
} OmStageKind;

typedef enum
{
  OM_STAGE_STATUS_PENDING,
  OM_STAGE_STATUS_WON,
  OM_STAGE_STATUS_LOST,
} OmStageStatus;

/* What a schedule history entry records (R6) */
typedef enum
{
  OM_SCHEDULE_AGREED_DATE,      /* a stage's agreed date set, changed or cleared */
  OM_SCHEDULE_CLOSE_DATE,       /* the close date moved */
  OM_SCHEDULE_BASELINE,         /* a baseline taken */
  OM_SCHEDULE_FOLD,             /* stages folded into a Feasibility Study: the
                                 * close date before and after, the folded
                                 * stages named in the note */
} OmScheduleWhat;

typedef enum
{
  OM_OPPORTUNITY_STATUS_OPEN,
  OM_OPPORTUNITY_STATUS_WON,
  OM_OPPORTUNITY_STATUS_LOST,
} OmOpportunityStatus;

/**
 * OmModelError:
 *
 * Why the model refused an operation. Every refusal leaves the model
 * (and, through the backend, the database) exactly as it was.
 */
typedef enum
{
  OM_MODEL_ERROR_INVALID_INDEX,
  OM_MODEL_ERROR_EMPTY_TITLE,
  OM_MODEL_ERROR_EMPTY_CLIENT,
  OM_MODEL_ERROR_INVALID_CURRENCY,
  OM_MODEL_ERROR_INVALID_VALUE,
  OM_MODEL_ERROR_EMPTY_ACTIVITY,
  OM_MODEL_ERROR_EMPTY_MILESTONE,
  OM_MODEL_ERROR_INVALID_PROBABILITY,
  OM_MODEL_ERROR_INVALID_DURATION,
  OM_MODEL_ERROR_INVALID_DATE,
  OM_MODEL_ERROR_DECIDED_BEFORE_START,
  OM_MODEL_ERROR_NO_LOST_REASON,
  OM_MODEL_ERROR_OUT_OF_ORDER,      /* R2 */
  OM_MODEL_ERROR_FROZEN,            /* R3 */
  OM_MODEL_ERROR_CLOSED,            /* R4 */
  OM_MODEL_ERROR_NOTHING_TO_REOPEN,
  OM_MODEL_ERROR_INVALID_STATUS,
  OM_MODEL_ERROR_NOTHING_TO_UNDO,
  OM_MODEL_ERROR_NOTHING_TO_REDO,
  OM_MODEL_ERROR_NOT_FOUND,
  OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS, /* R5: decided dates go forward */
  OM_MODEL_ERROR_DATE_OUT_OF_RANGE,       /* R5: 0001-01-01 to 9999-12-31 */
  OM_MODEL_ERROR_UNEXPECTED_LOST_REASON,  /* R5: only a lost stage has one */
  OM_MODEL_ERROR_INVALID_HISTORY,         /* R6 */
  OM_MODEL_ERROR_AGREED_NOT_PENDING,      /* R5: only a pending stage has an agreed date */
  OM_MODEL_ERROR_AGREED_BEFORE_START,     /* R5 */
  OM_MODEL_ERROR_INVALID_RUN,             /* a fold of fewer than two stages, or backwards */
  OM_MODEL_ERROR_DUPLICATE_NAME,          /* templates: a name is one template's */
  OM_MODEL_ERROR_BUILT_IN,                /* the recommended process cannot change */
} OmModelError;

#define OM_MODEL_ERROR (om_model_error_quark ())
GQuark om_model_error_quark (void);

/* Dates are Julian day numbers (GDate's), 0 meaning "no date". */
typedef guint32 OmDate;

/* R5: every date, given or derived, lies between 0001-01-01 (day 1) and
 * 9999-12-31, so that it is written with four digits and GDate can do
 * calendar arithmetic on it. */
#define OM_DATE_MIN ((OmDate) 1)
#define OM_DATE_MAX ((OmDate) 3652059)

const char  *om_stage_kind_to_string          (OmStageKind         kind);
gboolean     om_stage_kind_from_string        (const char         *str,
                                               OmStageKind        *kind);
const char  *om_stage_kind_to_label           (OmStageKind         kind);
const char  *om_stage_status_to_string        (OmStageStatus       status);
gboolean     om_stage_status_from_string      (const char         *str,
                                               OmStageStatus      *status);
const char  *om_stage_status_to_label         (OmStageStatus       status);
const char  *om_schedule_what_to_string       (OmScheduleWhat      what);
gboolean     om_schedule_what_from_string     (const char         *str,
                                               OmScheduleWhat     *what);
const char  *om_opportunity_status_to_string  (OmOpportunityStatus status);
const char  *om_opportunity_status_to_label   (OmOpportunityStatus status);

gboolean     om_date_parse                    (const char         *iso,
                                               OmDate             *date);
char        *om_date_to_iso                   (OmDate              date);
char        *om_date_format                   (OmDate              date);
OmDate       om_date_today                    (void);
void         om_date_set_today                (OmDate              today);

/* The two date functions that the model's pass over a long plan calls
 * for every stage: inline, so that it does not call out for each */

/**
 * om_date_is_valid:
 *
 * Whether @date is a day the model accepts (R5): from 0001-01-01 to
 * 9999-12-31. 0 ("no date") is not.
 */
static inline gboolean
om_date_is_valid (OmDate date)
{
  return date >= OM_DATE_MIN && date <= OM_DATE_MAX;
}

/**
 * om_date_add_days:
 *
 * Returns: @date plus @days; past %OM_DATE_MAX it stays past it (never
 *   wraps around), so that validation can refuse it.
 */
static inline OmDate
om_date_add_days (OmDate date,
                  guint  days)
{
  if (date > G_MAXUINT32 - days)
    return G_MAXUINT32;
  return date + days;
}

gboolean     om_money_parse                   (const char         *text,
                                               gint64             *minor);
char        *om_money_to_string               (gint64              minor);
gboolean     om_currency_is_valid             (const char         *currency);
guint        om_currency_decimals             (const char         *currency);
GDateTime   *om_date_to_date_time             (OmDate              date);
OmDate       om_date_from_date_time           (GDateTime          *date_time);
char        *om_money_format_number           (gint64              minor,
                                               const char         *currency);
char        *om_money_format                  (gint64              minor,
                                               const char         *currency);
gboolean     om_money_parse_locale            (const char         *text,
                                               const char         *currency,
                                               gint64             *minor,
                                               GError            **error);

char        *om_strdup_trimmed                (const char         *str);
gboolean     om_str_is_blank                  (const char         *str);

#define OM_TEXT_EXCERPT_CHARS 80

char        *om_text_escape_line              (const char         *text);
char        *om_text_excerpt                  (const char         *text);

/* The longest run of characters without white space that a text shown
 * in full is still wrapped by word for */
#define OM_TEXT_LONG_WORD_CHARS 500

gboolean     om_text_has_long_word            (const char         *text);

G_END_DECLS
