/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_TEMPLATE_MANAGER (om_template_manager_get_type ())
G_DECLARE_FINAL_TYPE (OmTemplateManager, om_template_manager, OM, TEMPLATE_MANAGER, GtkWindow)

OmTemplateManager *om_template_manager_new            (GtkWindow         *parent,
                                                       OmRepository      *repository);
void               om_template_manager_select         (OmTemplateManager *self,
                                                       guint              position);
OmTemplate        *om_template_manager_get_selected   (OmTemplateManager *self);
GtkEditable       *om_template_manager_get_name_entry (OmTemplateManager *self);
GtkListBox        *om_template_manager_get_stage_list (OmTemplateManager *self);
const char        *om_template_manager_get_message    (OmTemplateManager *self);
gboolean           om_template_manager_import_file    (OmTemplateManager *self,
                                                       GFile             *file);
gboolean           om_template_manager_export_file    (OmTemplateManager *self,
                                                       GFile             *file);

G_END_DECLS
