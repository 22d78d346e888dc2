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
 * @apply: makes every change of one edit durable, all or none
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
