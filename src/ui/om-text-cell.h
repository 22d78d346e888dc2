/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OM_TYPE_TEXT_CELL (om_text_cell_get_type ())
G_DECLARE_FINAL_TYPE (OmTextCell, om_text_cell, OM, TEXT_CELL, GtkWidget)

GtkWidget   *om_text_cell_new          (const char *name,
                                        guint       width_chars,
                                        guint       max_width_chars,
                                        float       xalign);
void         om_text_cell_set_text     (OmTextCell *self,
                                        const char *text);
const char  *om_text_cell_get_text     (OmTextCell *self);
gboolean     om_text_cell_revert       (OmTextCell *self);
gboolean     om_text_cell_get_editing  (OmTextCell *self);
GtkEditable *om_text_cell_get_editable (OmTextCell *self);

G_END_DECLS
