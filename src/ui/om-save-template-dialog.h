/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_SAVE_TEMPLATE_DIALOG (om_save_template_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmSaveTemplateDialog, om_save_template_dialog, OM, SAVE_TEMPLATE_DIALOG, GtkWindow)

OmSaveTemplateDialog *om_save_template_dialog_new         (GtkWindow            *parent,
                                                          OmRepository         *repository,
                                                          OmOpportunity        *opportunity);
GtkEditable          *om_save_template_dialog_get_entry   (OmSaveTemplateDialog *self);
const char           *om_save_template_dialog_get_error   (OmSaveTemplateDialog *self);

G_END_DECLS
