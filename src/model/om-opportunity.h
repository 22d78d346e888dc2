/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-opportunity-data.h"
#include "om-opportunity-summary.h"
#include "om-stage.h"

G_BEGIN_DECLS

#define OM_TYPE_OPPORTUNITY (om_opportunity_get_type ())
G_DECLARE_FINAL_TYPE (OmOpportunity, om_opportunity, OM, OPPORTUNITY, GObject)

gboolean                 om_opportunity_load                (OmOpportunity           *self,
                                                             GError                 **error);
const OmOpportunitySummary *om_opportunity_get_summary      (OmOpportunity           *self);
const OmOpportunityData *om_opportunity_get_data            (OmOpportunity           *self);
GListModel              *om_opportunity_get_stages          (OmOpportunity           *self);
OmStage                 *om_opportunity_get_stage           (OmOpportunity           *self,
                                                             guint                    index);
guint                    om_opportunity_get_n_stages        (OmOpportunity           *self);
gint64                   om_opportunity_get_id              (OmOpportunity           *self);
const char              *om_opportunity_get_title           (OmOpportunity           *self);
const char              *om_opportunity_get_client          (OmOpportunity           *self);
const char              *om_opportunity_get_coordinator     (OmOpportunity           *self);
gint64                   om_opportunity_get_value           (OmOpportunity           *self);
const char              *om_opportunity_get_currency        (OmOpportunity           *self);
OmDate                   om_opportunity_get_start_date      (OmOpportunity           *self);
const char              *om_opportunity_get_notes           (OmOpportunity           *self);
OmOpportunityStatus      om_opportunity_get_status          (OmOpportunity           *self);
guint                    om_opportunity_get_n_won           (OmOpportunity           *self);
int                      om_opportunity_get_current_stage   (OmOpportunity           *self);
double                   om_opportunity_get_chain_probability (OmOpportunity         *self);
int                      om_opportunity_get_weakest_link    (OmOpportunity           *self);
double                   om_opportunity_get_weighted_value  (OmOpportunity           *self);
OmDate                   om_opportunity_get_next_due_date   (OmOpportunity           *self);
gboolean                 om_opportunity_get_overdue         (OmOpportunity           *self);
int                      om_opportunity_get_n_warnings      (OmOpportunity           *self);
OmDate                   om_opportunity_get_target_date     (OmOpportunity           *self);
OmDate                   om_opportunity_get_close_date      (OmOpportunity           *self);
OmDate                   om_opportunity_get_baseline_close_date (OmOpportunity       *self);
guint                    om_opportunity_get_pushes          (OmOpportunity           *self);
GPtrArray               *om_opportunity_check_health        (OmOpportunity           *self);
void                     om_opportunity_refresh             (OmOpportunity           *self);

/* Operations: each is checked by the model's rules, made durable through
 * the repository's backend, recorded for undo, and only then shown. The
 * can_ variants answer whether the operation would be accepted, and why
 * not, without doing it. */
gboolean om_opportunity_add_stage      (OmOpportunity           *self,
                                        guint                    position,
                                        const OmStageData       *stage,
                                        GError                 **error);
gboolean om_opportunity_can_add_stage  (OmOpportunity           *self,
                                        guint                    position,
                                        GError                 **error);
gboolean om_opportunity_remove_stage   (OmOpportunity           *self,
                                        guint                    index,
                                        GError                 **error);
gboolean om_opportunity_can_remove_stage (OmOpportunity         *self,
                                        guint                    index,
                                        GError                 **error);
gboolean om_opportunity_move_stage     (OmOpportunity           *self,
                                        guint                    from,
                                        guint                    to,
                                        GError                 **error);
gboolean om_opportunity_can_move_stage (OmOpportunity           *self,
                                        guint                    from,
                                        guint                    to,
                                        GError                 **error);
gboolean om_opportunity_win_stage      (OmOpportunity           *self,
                                        guint                    index,
                                        const char              *note,
                                        GError                 **error);
gboolean om_opportunity_can_win_stage  (OmOpportunity           *self,
                                        guint                    index,
                                        GError                 **error);
gboolean om_opportunity_lose_stage     (OmOpportunity           *self,
                                        guint                    index,
                                        const char              *reason,
                                        GError                 **error);
gboolean om_opportunity_can_lose_stage (OmOpportunity           *self,
                                        guint                    index,
                                        GError                 **error);
gboolean om_opportunity_decide_stage   (OmOpportunity           *self,
                                        guint                    index,
                                        OmStageStatus            status,
                                        OmDate                   on,
                                        const char              *text,
                                        GError                 **error);
gboolean om_opportunity_agree_date     (OmOpportunity           *self,
                                        guint                    index,
                                        OmDate                   date,
                                        const char              *note,
                                        GError                 **error);
gboolean om_opportunity_can_agree_date (OmOpportunity           *self,
                                        guint                    index,
                                        GError                 **error);
gboolean om_opportunity_set_baseline   (OmOpportunity           *self,
                                        const char              *note,
                                        GError                 **error);
gboolean om_opportunity_can_set_baseline (OmOpportunity         *self,
                                        GError                 **error);
gboolean om_opportunity_reopen         (OmOpportunity           *self,
                                        const char              *note,
                                        GError                 **error);
gboolean om_opportunity_can_reopen     (OmOpportunity           *self,
                                        GError                 **error);
gboolean om_opportunity_reopen_stage   (OmOpportunity           *self,
                                        guint                    index,
                                        const char              *note,
                                        GError                 **error);
gboolean om_opportunity_can_reopen_stage (OmOpportunity         *self,
                                        guint                    index,
                                        GError                 **error);
int      om_opportunity_get_reopen_stage (OmOpportunity         *self);
gboolean om_opportunity_edit_stage     (OmOpportunity           *self,
                                        guint                    index,
                                        const OmStageData       *edited,
                                        GError                 **error);
gboolean om_opportunity_fold_feasibility (OmOpportunity         *self,
                                        guint                    first,
                                        guint                    last,
                                        GError                 **error);
gboolean om_opportunity_can_fold_feasibility (OmOpportunity     *self,
                                        guint                    first,
                                        guint                    last,
                                        OmDerivedValues         *after,
                                        GError                 **error);
gboolean om_opportunity_add_process_agreement (OmOpportunity    *self,
                                        guint                   *position,
                                        GError                 **error);
gboolean om_opportunity_can_add_process_agreement (OmOpportunity *self,
                                        GError                 **error);
gboolean om_opportunity_edit           (OmOpportunity           *self,
                                        const OmOpportunityData *edited,
                                        GError                 **error);

G_END_DECLS
