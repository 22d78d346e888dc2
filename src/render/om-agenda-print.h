/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "om-model.h"
#include "om-page.h"

G_BEGIN_DECLS

/*
 * The agenda as shown and as printed: its groups (by salesperson or by
 * opportunity), the words for an item's state and for the date window,
 * and its pages: a title with the salesperson and the window, then the
 * groups and their milestones as a table whose header every page
 * repeats. Names wrap, never cut; a row is never split between pages;
 * every page says "Page N of M". Sizes are in points.
 */

typedef enum
{
  OM_AGENDA_BY_OWNER,
  OM_AGENDA_BY_OPPORTUNITY,
} OmAgendaGrouping;

typedef struct
{
  char      *name;   /* the salesperson, or the opportunity's title */
  char      *detail; /* the opportunity's client; NULL by salesperson */
  GPtrArray *items;  /* (element-type OmAgendaItem): borrowed, earliest first */
} OmAgendaGroup;

/* What is shown: the salesperson (NULL for everyone) and the window.
 * @from 0: the overdue milestones, and those due from @today to @until */
typedef struct
{
  const char      *owner;
  OmDate           from;
  OmDate           until;
  OmDate           today;
  OmAgendaGrouping grouping;
} OmAgendaShown;

typedef struct _OmAgendaPrint OmAgendaPrint;

GPtrArray     *om_agenda_group_items        (GPtrArray            *items,
                                             OmAgendaGrouping      grouping);
void           om_agenda_group_free         (OmAgendaGroup        *group);
gboolean       om_agenda_item_is_overdue    (const OmAgendaItem   *item,
                                             OmDate                today);
char          *om_agenda_item_state         (const OmAgendaItem   *item,
                                             OmDate                today);
char          *om_agenda_item_stage         (const OmAgendaItem   *item);
char          *om_agenda_describe_window    (OmDate                from,
                                             OmDate                until);
char          *om_agenda_title              (const char           *owner);

OmAgendaPrint *om_agenda_print_new          (GPtrArray            *items,
                                             const OmAgendaShown  *shown);
void           om_agenda_print_free         (OmAgendaPrint        *self);
guint          om_agenda_print_paginate     (OmAgendaPrint        *self,
                                             PangoContext         *context,
                                             const OmPage         *page);
void           om_agenda_print_draw_page    (OmAgendaPrint        *self,
                                             cairo_t              *cr,
                                             PangoContext         *context,
                                             guint                 page);
gboolean       om_agenda_write_pdf          (GPtrArray            *items,
                                             const OmAgendaShown  *shown,
                                             const OmPage         *page,
                                             const char           *path,
                                             GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmAgendaPrint, om_agenda_print_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmAgendaGroup, om_agenda_group_free)

G_END_DECLS
