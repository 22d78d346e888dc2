/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "om-agenda-print.h"
#include "om-model.h"

G_BEGIN_DECLS

#define OM_TYPE_PRINT_OPERATION (om_print_operation_get_type ())
G_DECLARE_FINAL_TYPE (OmPrintOperation, om_print_operation, OM, PRINT_OPERATION, GtkPrintOperation)

OmPrintOperation *om_print_operation_new           (OmOpportunity    *opportunity);
OmPrintOperation *om_print_operation_new_for_agenda (GPtrArray           *items,
                                                     const OmAgendaShown *shown);
GtkPrintSettings *om_print_operation_load_settings (void);
void              om_print_operation_save_settings (GtkPrintSettings *settings);

G_END_DECLS
