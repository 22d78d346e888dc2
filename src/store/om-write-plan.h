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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmWritePlan, om_write_plan_free)

G_END_DECLS
