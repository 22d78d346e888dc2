/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "om-model.h"
#include "om-page.h"

G_BEGIN_DECLS

/*
 * The client-facing summary of an opportunity's process: a title block
 * (with the client's deadline, when they gave one, and who prepared
 * it), how the process works, a legend, the table of steps with its
 * schedule column and, while the client has not
 * yet agreed to the process, a block for their signature. A pending
 * step's date reads as agreed with the client or as proposed; one
 * already past reads "To be agreed". It never holds anything internal:
 * no notes, probabilities, weighted value, lost reasons, health
 * warnings, baseline, slip, pushes or schedule history.
 *
 * One code lays out and draws the pages, for the print dialog, for
 * "Export Summary as PDF" and for the command line alike. Sizes are in
 * points.
 */

typedef OmPage OmSummaryPage;

/* Who prepared the summary (Preferences): each field may be NULL or
 * empty, and then prints no line */
typedef struct
{
  char *company;
  char *contact;
  char *phone;
  char *email;
} OmSummarySender;

typedef struct _OmSummary OmSummary;

void       om_summary_sender_load   (OmSummarySender         *sender);
void       om_summary_sender_clear  (OmSummarySender         *sender);

OmSummary *om_summary_new           (const OmOpportunityData *data,
                                     OmDate                   printed_on);
void       om_summary_free          (OmSummary               *self);
void       om_summary_set_sender    (OmSummary               *self,
                                     const OmSummarySender   *sender);
guint      om_summary_paginate      (OmSummary               *self,
                                     PangoContext            *context,
                                     const OmSummaryPage     *page);
void       om_summary_draw_page     (OmSummary               *self,
                                     cairo_t                 *cr,
                                     PangoContext            *context,
                                     guint                    page);
void       om_summary_page_init_default (OmSummaryPage       *page);
gboolean   om_summary_write_pdf     (const OmOpportunityData *data,
                                     const OmSummarySender   *sender,
                                     const OmSummaryPage     *page,
                                     const char              *path,
                                     GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmSummary, om_summary_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OmSummarySender, om_summary_sender_clear)

G_END_DECLS
