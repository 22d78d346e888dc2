/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-backend.h"
#include "om-opportunity.h"
#include "om-opportunity-list.h"
#include "om-template.h"

G_BEGIN_DECLS

#define OM_TYPE_REPOSITORY (om_repository_get_type ())
G_DECLARE_FINAL_TYPE (OmRepository, om_repository, OM, REPOSITORY, GObject)

OmRepository  *om_repository_new                      (OmBackend               *backend);
GListModel    *om_repository_get_opportunities        (OmRepository            *self);
GListModel    *om_repository_get_templates            (OmRepository            *self);
void               om_repository_get_close_range      (OmRepository             *self,
                                                       const OmOpportunityQuery *query,
                                                       OmDate                   *first,
                                                       OmDate                   *last);
OmOpportunityList *om_repository_list                 (OmRepository             *self,
                                                       const OmOpportunityQuery *query);
OmOpportunityList *om_repository_list_first           (OmRepository             *self,
                                                       const OmOpportunityQuery *query,
                                                       guint                     first);
void           om_repository_refresh_today            (OmRepository            *self);
void           om_repository_set_watching             (OmRepository            *self,
                                                       gboolean                 watching);
OmOpportunity *om_repository_find                     (OmRepository            *self,
                                                       gint64                   id);
void           om_repository_load                     (OmRepository            *self,
                                                       GPtrArray               *opportunities,
                                                       GPtrArray               *templates);
OmOpportunity *om_repository_create_opportunity       (OmRepository            *self,
                                                       const OmOpportunityData *data,
                                                       GError                 **error);
gboolean       om_repository_remove_opportunity       (OmRepository            *self,
                                                       OmOpportunity           *opportunity,
                                                       GError                 **error);
GArray        *om_repository_import                   (OmRepository            *self,
                                                       GPtrArray               *opportunities,
                                                       GPtrArray               *templates,
                                                       GError                 **error);
OmTemplate    *om_repository_find_template            (OmRepository            *self,
                                                       gint64                   id);
gboolean       om_repository_can_change_template      (OmRepository            *self,
                                                       OmTemplate              *template,
                                                       GError                 **error);
OmTemplate    *om_repository_add_template             (OmRepository            *self,
                                                       const OmTemplateData    *data,
                                                       GError                 **error);
gboolean       om_repository_edit_template            (OmRepository            *self,
                                                       OmTemplate              *template,
                                                       const OmTemplateData    *data,
                                                       GError                 **error);
gboolean       om_repository_remove_template          (OmRepository            *self,
                                                       OmTemplate              *template,
                                                       GError                 **error);
gboolean       om_repository_undo                     (OmRepository            *self,
                                                       GError                 **error);
gboolean       om_repository_redo                     (OmRepository            *self,
                                                       GError                 **error);
gboolean       om_repository_get_can_undo             (OmRepository            *self);
gboolean       om_repository_get_can_redo             (OmRepository            *self);
const char    *om_repository_get_undo_label           (OmRepository            *self);
gint64         om_repository_get_undo_opportunity     (OmRepository            *self);
gint64         om_repository_get_redo_opportunity     (OmRepository            *self);
const char    *om_repository_get_redo_label           (OmRepository            *self);
guint          om_repository_get_too_complex_threshold (OmRepository           *self);
void           om_repository_set_too_complex_threshold (OmRepository           *self,
                                                       guint                    threshold);
const char    *om_repository_get_read_only_reason     (OmRepository            *self);
OmBackend     *om_repository_get_backend              (OmRepository            *self);
gboolean       om_repository_check_writable           (OmRepository            *self,
                                                       gint64                   id,
                                                       GError                 **error);
GPtrArray     *om_repository_list_agenda              (OmRepository            *self,
                                                       const OmAgendaQuery     *query,
                                                       GError                 **error);
GPtrArray     *om_repository_get_pipeline             (OmRepository            *self,
                                                       GError                 **error);
GStrv          om_repository_list_names               (OmRepository            *self,
                                                       OmNameKind               kind,
                                                       GError                 **error);

G_END_DECLS
