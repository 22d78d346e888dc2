/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

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
  OmChangeKind kind;
  gpointer     before;
  gpointer     after;
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
 *
 * Where the model's edits are kept. The model calls it before it shows
 * an edit, so an edit that cannot be kept is never shown.
 */
struct _OmBackendInterface
{
  GTypeInterface parent_iface;

  gboolean     (*apply)                (OmBackend *self,
                                        GPtrArray *changes,
                                        GError   **error);
  const char * (*get_read_only_reason) (OmBackend *self);
};

gboolean    om_backend_apply                (OmBackend *self,
                                             GPtrArray *changes,
                                             GError   **error);
const char *om_backend_get_read_only_reason (OmBackend *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmChange, om_change_free)

G_END_DECLS
