/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "om-model.h"

G_BEGIN_DECLS

/**
 * OmWritePlan:
 * @replace: every stage row of the opportunity is written anew: the
 *   stored ones (if any) are deleted, then all of @after's inserted
 * @removed: (element-type gint64): ids of stored stage rows that go
 * @moved: (element-type guint): indices in @after of kept stage rows at
 *   another place; each is first given the position -1 - index (and its
 *   due date), then every negative position is turned back, so that no
 *   two rows of the plan ever share a position
 * @edited: (element-type guint): indices in @after of kept stage rows
 *   whose values changed
 * @inserted: (element-type guint): indices in @after of stages that are
 *   no stored row yet, in order
 * @redated: (element-type guint): indices in @after of kept stage rows,
 *   not moved, whose due date changed (an edit of one stage moves the
 *   unpinned ones after it)
 * @history_from: the first history entry to write: those before it are
 *   stored already
 * @clear_history: the stored history goes first (it is not a beginning
 *   of @after's)
 * @schedule_from: the same for the schedule history
 * @clear_schedule: the same for the schedule history
 *
 * What a conditional write of an opportunity changes in its rows (R7,
 * SPEC 8): only what changed, so that the work grows with the edit, not
 * with the plan. One description, made here; each backend writes it in
 * its own SQL, in this order: @removed, @moved then the positions
 * turned back, @edited, @inserted, @redated, then the histories.
 */
typedef struct
{
  gboolean  replace;
  GArray   *removed;
  GArray   *moved;
  GArray   *edited;
  GArray   *inserted;
  GArray   *redated;
  guint     history_from;
  gboolean  clear_history;
  guint     schedule_from;
  gboolean  clear_schedule;
} OmWritePlan;

OmWritePlan *om_write_plan_new  (const OmOpportunityData *before,
                                 const OmOpportunityData *after,
                                 const OmDate            *due,
                                 gboolean                 positions_are_indices);
void         om_write_plan_free (OmWritePlan             *plan);

/*
 * The due dates a store keeps in its stage rows, for the agenda's index:
 * those of a plan's first OM_STORED_DUES pending stages. Any more would
 * make one edit of a long plan rewrite a row per stage (a decision moves
 * every unpinned date after it, SPEC 10: one edit within 3x of its own
 * rows); an open plan with more pending stages than that has its agenda
 * read through the model (om_agenda_add_long_plans()). 16 is twice the
 * pending stages after which the health check calls a plan too complex
 * by default (SPEC 4): real plans are kept whole.
 */
#define OM_STORED_DUES 16

OmDate      *om_write_plan_stored_dues (const OmOpportunityData *data);
gboolean     om_agenda_add_long_plans  (OmBackend               *backend,
                                        const OmAgendaQuery     *query,
                                        const gint64            *ids,
                                        guint                    n_ids,
                                        GPtrArray               *items,
                                        GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmWritePlan, om_write_plan_free)

G_END_DECLS
