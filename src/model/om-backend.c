/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include "om-backend.h"
#include "om-opportunity-data.h"

G_DEFINE_INTERFACE (OmBackend, om_backend, G_TYPE_OBJECT)

static void
om_backend_default_init (OmBackendInterface *iface)
{
  /**
   * OmBackend::changed:
   *
   * Another writer changed what the backend keeps (emitted only while
   * watching). Edits made here are not announced: the caller knows.
   */
  g_signal_new ("changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/**
 * om_backend_can_read:
 *
 * Returns: whether the backend reads back what it keeps (a test's
 *   backend that keeps nothing does not)
 */
gboolean
om_backend_can_read (OmBackend *self)
{
  g_return_val_if_fail (OM_IS_BACKEND (self), FALSE);

  return OM_BACKEND_GET_IFACE (self)->list_ids != NULL;
}

/**
 * om_backend_list_ids:
 *
 * Returns: (transfer full) (element-type gint64) (nullable): the ids
 *   @query selects, in its order
 */
GArray *
om_backend_list_ids (OmBackend                *self,
                     const OmOpportunityQuery *query,
                     GError                  **error)
{
  g_return_val_if_fail (om_backend_can_read (self), NULL);

  return OM_BACKEND_GET_IFACE (self)->list_ids (self, query, error);
}

/**
 * om_backend_get_summaries:
 *
 * Returns: (transfer full) (element-type OmOpportunitySummary) (nullable):
 *   one element per id, %NULL for an id no longer there
 */
GPtrArray *
om_backend_get_summaries (OmBackend    *self,
                          const gint64 *ids,
                          guint         n_ids,
                          GError      **error)
{
  g_return_val_if_fail (om_backend_can_read (self), NULL);

  return OM_BACKEND_GET_IFACE (self)->get_summaries (self, ids, n_ids, error);
}

/**
 * om_backend_load_opportunity:
 *
 * Returns: (transfer full) (nullable): the opportunity, or %NULL with
 *   %OM_MODEL_ERROR_NOT_FOUND or the backend's reason
 */
OmOpportunityData *
om_backend_load_opportunity (OmBackend *self,
                             gint64     id,
                             GError   **error)
{
  g_return_val_if_fail (om_backend_can_read (self), NULL);

  return OM_BACKEND_GET_IFACE (self)->load_opportunity (self, id, error);
}

/**
 * om_backend_load_templates:
 *
 * Returns: (transfer full) (element-type OmTemplateData) (nullable):
 *   the user's templates
 */
GPtrArray *
om_backend_load_templates (OmBackend *self,
                           GError   **error)
{
  g_return_val_if_fail (om_backend_can_read (self), NULL);

  return OM_BACKEND_GET_IFACE (self)->load_templates (self, error);
}

/**
 * om_backend_list_agenda:
 *
 * Returns: (transfer full) (element-type OmAgendaItem) (nullable): the
 *   pending stages of open opportunities @query selects, earliest due
 *   first, then by opportunity id and stage
 */
GPtrArray *
om_backend_list_agenda (OmBackend           *self,
                        const OmAgendaQuery *query,
                        GError             **error)
{
  g_return_val_if_fail (om_backend_can_read (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return OM_BACKEND_GET_IFACE (self)->list_agenda (self, query, error);
}

/**
 * om_backend_get_pipeline:
 *
 * Returns: (transfer full) (element-type OmPipelineRow) (nullable): one
 *   row per currency and month of close date of the open opportunities,
 *   earliest month first, currencies in alphabetical order
 */
GPtrArray *
om_backend_get_pipeline (OmBackend *self,
                         GError   **error)
{
  g_return_val_if_fail (om_backend_can_read (self), NULL);

  return OM_BACKEND_GET_IFACE (self)->get_pipeline (self, error);
}

/**
 * om_backend_list_names:
 *
 * Returns: (transfer full) (nullable): the distinct non-empty names of
 *   @kind (one spelling of those that fold alike), sorted by folded text
 */
GStrv
om_backend_list_names (OmBackend  *self,
                       OmNameKind  kind,
                       GError    **error)
{
  g_return_val_if_fail (om_backend_can_read (self), NULL);

  return OM_BACKEND_GET_IFACE (self)->list_names (self, kind, error);
}

void
om_backend_set_watching (OmBackend *self,
                         gboolean   watching)
{
  OmBackendInterface *iface;

  g_return_if_fail (OM_IS_BACKEND (self));

  iface = OM_BACKEND_GET_IFACE (self);
  if (iface->set_watching != NULL)
    iface->set_watching (self, watching);
}

/* For implementations: another writer changed something */
void
om_backend_emit_changed (OmBackend *self)
{
  g_signal_emit_by_name (self, "changed");
}

/**
 * om_backend_apply:
 * @changes: (element-type OmChange): the changes of one edit
 *
 * Returns: %TRUE if every change is durable, %FALSE (and nothing
 *   changed) otherwise
 */
gboolean
om_backend_apply (OmBackend *self,
                  GPtrArray *changes,
                  GError   **error)
{
  g_return_val_if_fail (OM_IS_BACKEND (self), FALSE);

  return OM_BACKEND_GET_IFACE (self)->apply (self, changes, error);
}

/**
 * om_backend_get_read_only_reason:
 *
 * Returns: (nullable): a sentence for the user saying why nothing can
 *   be saved, or %NULL when edits are kept
 */
const char *
om_backend_get_read_only_reason (OmBackend *self)
{
  OmBackendInterface *iface;

  g_return_val_if_fail (OM_IS_BACKEND (self), NULL);

  iface = OM_BACKEND_GET_IFACE (self);
  return iface->get_read_only_reason != NULL ? iface->get_read_only_reason (self) : NULL;
}

static gpointer
copy_values (OmChangeKind  kind,
             gconstpointer values)
{
  if (values == NULL)
    return NULL;
  if (kind == OM_CHANGE_OPPORTUNITY)
    return om_opportunity_data_copy (values);
  return om_template_data_copy (values);
}

static void
free_values (OmChangeKind kind,
             gpointer     values)
{
  if (kind == OM_CHANGE_OPPORTUNITY)
    om_opportunity_data_free (values);
  else
    om_template_data_free (values);
}

/**
 * om_change_new:
 *
 * Returns: (transfer full): a change holding copies of @before and @after
 */
OmChange *
om_change_new (OmChangeKind  kind,
               gconstpointer before,
               gconstpointer after)
{
  OmChange *self = g_new0 (OmChange, 1);

  self->kind = kind;
  self->before = copy_values (kind, before);
  self->after = copy_values (kind, after);
  return self;
}

OmChange *
om_change_new_inverse (const OmChange *change)
{
  return om_change_new (change->kind, change->after, change->before);
}

void
om_change_free (OmChange *self)
{
  if (self == NULL)
    return;
  free_values (self->kind, self->before);
  free_values (self->kind, self->after);
  g_free (self->derived);
  g_free (self);
}

/**
 * om_backend_check_writable:
 *
 * Returns: whether this user may change the opportunity @id, as the
 *   store decides who may write; %FALSE with the reason in @error
 */
gboolean
om_backend_check_writable (OmBackend *self,
                           gint64     id,
                           GError   **error)
{
  OmBackendInterface *iface;

  g_return_val_if_fail (OM_IS_BACKEND (self), FALSE);

  iface = OM_BACKEND_GET_IFACE (self);
  return iface->check_writable != NULL ? iface->check_writable (self, id, error) : TRUE;
}
