/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "om-opportunity-summary.h"

G_BEGIN_DECLS

typedef enum
{
  OM_CHANGE_OPPORTUNITY,
  OM_CHANGE_TEMPLATE,
} OmChangeKind;

/**
 * OmChange:
 * @before: the values before (an #OmOpportunityData or #OmTemplateData), or %NULL for an insertion
 * @after: the values after, or %NULL for a removal
 *
 * One record's change within an edit.
 *
 * The contract of revisions and ids (SPEC 8, rule R7), the same for
 * every backend (SQLite today, a server later):
 *
 * - An opportunity's @before carries the revision it was read at; the
 *   backend writes the change only if the stored opportunity still has
 *   that revision, and refuses the whole edit otherwise (another writer
 *   changed or removed it meanwhile), keeping nothing.
 * - On success the backend sets @after's revision to the stored one,
 *   higher than the base, and one that no opportunity ever had under
 *   that id (an id freed by a removal and given again never brings back
 *   a revision a stale reader holds); and it gives
 *   every record and stage of @after whose id is 0 the id it stored it
 *   under, inside the same transaction: ids never come from a counter
 *   of the process, so two processes never take the same one. An
 *   insertion whose id is set (an undone removal) keeps it if it is
 *   free and gets a new one otherwise; so do its stages.
 * - A backend that keeps nothing (a test's) may leave ids and
 *   revisions alone; the repository numbers them then.
 */
typedef struct
{
  OmChangeKind     kind;
  gpointer         before;
  gpointer         after;
  OmDerivedValues *derived;   /* of an opportunity's @after, or %NULL: as the
                               * repository derived them, for the backend to
                               * keep what lists show without reading the
                               * stages again */
} OmChange;

OmChange *om_change_new  (OmChangeKind  kind,
                          gconstpointer before,
                          gconstpointer after);
OmChange *om_change_new_inverse (const OmChange *change);
void      om_change_free (OmChange     *self);

#define OM_TYPE_BACKEND (om_backend_get_type ())
G_DECLARE_INTERFACE (OmBackend, om_backend, OM, BACKEND, GObject)

/**
 * OmBackendInterface:
 * @apply: makes every change of one edit durable, all or none, if
 *   every opportunity it changes is still at the revision its change
 *   was made on (see #OmChange); fills in the ids and revisions kept
 * @get_read_only_reason: (nullable): why no edit can be kept, for a
 *   backend that only reads (its @apply then refuses every edit), or
 *   %NULL; the vfunc itself is optional
 * @list_ids: the ids of the opportunities a query selects, in its
 *   order (#OmOpportunitySummary defines it), answered without reading
 *   a stage; a #GArray of gint64
 * @get_summaries: for each of @ids, its #OmOpportunitySummary as now
 *   kept, or %NULL where there is none any more
 * @load_opportunity: everything about one opportunity, checked by the
 *   model's rules; %OM_MODEL_ERROR_NOT_FOUND when it is not there
 * @load_templates: every template the user made
 * @list_agenda: the pending stages of open opportunities an
 *   #OmAgendaQuery selects, earliest due first, then by opportunity id
 *   and stage (#OmAgendaItem), answered from an index on the stages'
 *   due dates
 * @get_pipeline: open opportunities by currency and month of close
 *   date (#OmPipelineRow), earliest month first, currencies in
 *   alphabetical order; sums of minor units
 * @list_names: the distinct non-empty names of one kind, sorted by
 *   their folded text, for the filters to offer
 * @check_writable: (optional): whether this user may change the
 *   opportunity @id at all, as the store's own rules of who may write
 *   say (a server's policies); %FALSE with the reason in @error. Without
 *   it, every opportunity may be written (the rules of SPEC 3 are the
 *   model's, asked of each edit)
 * @set_watching: while %TRUE, the backend emits #OmBackend::changed
 *   (from the thread-default main context) within two seconds of a
 *   change another writer made
 *
 * Where the model's edits are kept, and what it reads back: the
 * backend is the source of truth, and the model keeps in memory only
 * what is shown. The model calls @apply before it shows an edit, so an
 * edit that cannot be kept is never shown.
 *
 * A backend that keeps nothing (a test's) implements @apply only; the
 * repository then keeps the values in memory itself.
 */
struct _OmBackendInterface
{
  GTypeInterface parent_iface;

  gboolean            (*apply)                (OmBackend                *self,
                                               GPtrArray                *changes,
                                               GError                  **error);
  const char *        (*get_read_only_reason) (OmBackend                *self);

  GArray *            (*list_ids)             (OmBackend                *self,
                                               const OmOpportunityQuery *query,
                                               GError                  **error);
  GPtrArray *         (*get_summaries)        (OmBackend                *self,
                                               const gint64             *ids,
                                               guint                     n_ids,
                                               GError                  **error);
  OmOpportunityData * (*load_opportunity)     (OmBackend                *self,
                                               gint64                    id,
                                               GError                  **error);
  GPtrArray *         (*load_templates)       (OmBackend                *self,
                                               GError                  **error);
  void                (*set_watching)         (OmBackend                *self,
                                               gboolean                  watching);
  GPtrArray *         (*list_agenda)          (OmBackend                *self,
                                               const OmAgendaQuery      *query,
                                               GError                  **error);
  GPtrArray *         (*get_pipeline)         (OmBackend                *self,
                                               GError                  **error);
  GStrv               (*list_names)           (OmBackend                *self,
                                               OmNameKind                kind,
                                               GError                  **error);
  gboolean            (*check_writable)       (OmBackend                *self,
                                               gint64                    id,
                                               GError                  **error);
};

gboolean    om_backend_apply                (OmBackend *self,
                                             GPtrArray *changes,
                                             GError   **error);
const char *om_backend_get_read_only_reason (OmBackend *self);
gboolean    om_backend_can_read             (OmBackend *self);
GArray     *om_backend_list_ids             (OmBackend                *self,
                                             const OmOpportunityQuery *query,
                                             GError                  **error);
GPtrArray  *om_backend_get_summaries        (OmBackend                *self,
                                             const gint64             *ids,
                                             guint                     n_ids,
                                             GError                  **error);
OmOpportunityData *om_backend_load_opportunity (OmBackend             *self,
                                             gint64                    id,
                                             GError                  **error);
GPtrArray  *om_backend_load_templates       (OmBackend                *self,
                                             GError                  **error);
void        om_backend_set_watching         (OmBackend                *self,
                                             gboolean                  watching);
GPtrArray  *om_backend_list_agenda           (OmBackend                *self,
                                             const OmAgendaQuery      *query,
                                             GError                  **error);
GPtrArray  *om_backend_get_pipeline          (OmBackend                *self,
                                             GError                  **error);
GStrv       om_backend_list_names            (OmBackend                *self,
                                             OmNameKind                kind,
                                             GError                  **error);
gboolean    om_backend_check_writable       (OmBackend                *self,
                                             gint64                    id,
                                             GError                  **error);
void        om_backend_emit_changed         (OmBackend                *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmChange, om_change_free)

G_END_DECLS
