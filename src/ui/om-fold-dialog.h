/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_FOLD_DIALOG (om_fold_dialog_get_type ())
G_DECLARE_FINAL_TYPE (OmFoldDialog, om_fold_dialog, OM, FOLD_DIALOG, GtkWindow)

GtkWidget *om_fold_dialog_new       (GtkWindow     *parent,
                                     OmOpportunity *opportunity,
                                     guint          first,
                                     guint          last);
void       om_fold_dialog_set_run   (OmFoldDialog  *self,
                                     guint          first,
                                     guint          last);
gboolean   om_fold_dialog_confirm   (OmFoldDialog  *self);

G_END_DECLS
