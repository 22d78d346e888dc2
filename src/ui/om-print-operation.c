/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "om-agenda-print.h"
#include "om-print-operation.h"
#include "om-summary.h"

/**
 * OmPrintOperation:
 *
 * Prints a document of the render layer (an opportunity's client-facing
 * summary, an agenda) on the paper, orientation and margins of the page
 * setup: the same pages as its PDF.
 */
struct _OmPrintOperation
{
  GtkPrintOperation  parent_instance;

  gpointer           document;
  OmPagePaginate     paginate;
  OmPageDraw         draw;
  GDestroyNotify     document_free;
  PangoContext      *context;
};

G_DEFINE_FINAL_TYPE (OmPrintOperation, om_print_operation, GTK_TYPE_PRINT_OPERATION)

static void
om_print_operation_begin_print (GtkPrintOperation *operation,
                                GtkPrintContext   *context)
{
  OmPrintOperation *self = OM_PRINT_OPERATION (operation);
  GtkPageSetup *setup = gtk_print_context_get_page_setup (context);
  OmPage page;

  /* already turned for the orientation */
  page.width = gtk_page_setup_get_paper_width (setup, GTK_UNIT_POINTS);
  page.height = gtk_page_setup_get_paper_height (setup, GTK_UNIT_POINTS);
  page.margin_top = gtk_page_setup_get_top_margin (setup, GTK_UNIT_POINTS);
  page.margin_bottom = gtk_page_setup_get_bottom_margin (setup, GTK_UNIT_POINTS);
  page.margin_left = gtk_page_setup_get_left_margin (setup, GTK_UNIT_POINTS);
  page.margin_right = gtk_page_setup_get_right_margin (setup, GTK_UNIT_POINTS);

  g_clear_object (&self->context);
  self->context = gtk_print_context_create_pango_context (context);
  om_page_set_up_context (self->context);

  gtk_print_operation_set_n_pages (operation, (int) self->paginate (self->document, self->context, &page));
}

static void
om_print_operation_draw_page (GtkPrintOperation *operation,
                              GtkPrintContext   *context,
                              int                page_nr)
{
  OmPrintOperation *self = OM_PRINT_OPERATION (operation);

  self->draw (self->document, gtk_print_context_get_cairo_context (context), self->context, (guint) page_nr);
}

static void
om_print_operation_finalize (GObject *object)
{
  OmPrintOperation *self = (OmPrintOperation *) object;

  if (self->document != NULL)
    g_clear_pointer (&self->document, self->document_free);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (om_print_operation_parent_class)->finalize (object);
}

/* Where the last print settings are kept: the printer, the paper and
 * its orientation come back at the next print, even in the next run */
static char *
settings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "oppmanager", "print-settings.ini", NULL);
}

/**
 * om_print_operation_load_settings:
 *
 * Returns: (transfer full) (nullable): the print settings last used, or
 *   %NULL when there are none (or they cannot be read)
 */
GtkPrintSettings *
om_print_operation_load_settings (void)
{
  g_autofree char *path = settings_path ();
  g_autoptr(GError) error = NULL;
  GtkPrintSettings *settings;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  settings = gtk_print_settings_new_from_file (path, &error);
  if (settings == NULL)
    g_debug ("The print settings in %s are not read: %s", path, error->message);
  return settings;
}

/**
 * om_print_operation_save_settings:
 *
 * Keeps @settings for the next print. A failure is not the print's: it
 * is logged, and the next print starts from the defaults.
 */
void
om_print_operation_save_settings (GtkPrintSettings *settings)
{
  g_autofree char *path = settings_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 || !gtk_print_settings_to_file (settings, path, &error))
    g_warning ("The print settings could not be kept in %s: %s", path,
               error != NULL ? error->message : g_strerror (errno));
}

static void
om_print_operation_done (GtkPrintOperation       *operation,
                         GtkPrintOperationResult  result)
{
  GtkPrintSettings *settings = gtk_print_operation_get_print_settings (operation);

  if (result == GTK_PRINT_OPERATION_RESULT_APPLY && settings != NULL)
    om_print_operation_save_settings (settings);
}

static void
om_print_operation_class_init (OmPrintOperationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkPrintOperationClass *print_class = GTK_PRINT_OPERATION_CLASS (klass);

  object_class->finalize = om_print_operation_finalize;
  print_class->begin_print = om_print_operation_begin_print;
  print_class->draw_page = om_print_operation_draw_page;
  print_class->done = om_print_operation_done;
}

static void
om_print_operation_init (OmPrintOperation *self)
{
  g_autoptr(GtkPrintSettings) settings = om_print_operation_load_settings ();

  /* the summary places everything itself, margins included */
  gtk_print_operation_set_use_full_page (GTK_PRINT_OPERATION (self), TRUE);
  gtk_print_operation_set_unit (GTK_PRINT_OPERATION (self), GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (GTK_PRINT_OPERATION (self), TRUE);

  if (settings != NULL)
    {
      g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
      GtkPaperSize *paper = gtk_print_settings_get_paper_size (settings);

      /* the page as last chosen: the dialog shows it, and printing
       * without the dialog uses it */
      if (paper != NULL)
        gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
      gtk_page_setup_set_orientation (setup, gtk_print_settings_get_orientation (settings));
      g_clear_pointer (&paper, gtk_paper_size_free);
      gtk_print_operation_set_print_settings (GTK_PRINT_OPERATION (self), settings);
      gtk_print_operation_set_default_page_setup (GTK_PRINT_OPERATION (self), setup);
    }
}

static guint
summary_paginate_cb (gpointer      document,
                     PangoContext *context,
                     const OmPage *page)
{
  return om_summary_paginate (document, context, page);
}

static void
summary_draw_cb (gpointer      document,
                 cairo_t      *cr,
                 PangoContext *context,
                 guint         page)
{
  om_summary_draw_page (document, cr, context, page);
}

/**
 * om_print_operation_new:
 *
 * Returns: (transfer full): the printing of @opportunity's summary
 */
OmPrintOperation *
om_print_operation_new (OmOpportunity *opportunity)
{
  OmPrintOperation *self = g_object_new (OM_TYPE_PRINT_OPERATION, NULL);
  g_autofree char *name = g_strdup_printf (_("%s — process summary"), om_opportunity_get_title (opportunity));
  g_auto(OmSummarySender) sender = { 0 };
  OmSummary *summary = om_summary_new (om_opportunity_get_data (opportunity), om_date_today ());

  om_summary_sender_load (&sender);
  om_summary_set_sender (summary, &sender);
  self->document = summary;
  self->paginate = summary_paginate_cb;
  self->draw = summary_draw_cb;
  self->document_free = (GDestroyNotify) om_summary_free;
  gtk_print_operation_set_job_name (GTK_PRINT_OPERATION (self), name);
  return self;
}

static guint
agenda_paginate_cb (gpointer      document,
                    PangoContext *context,
                    const OmPage *page)
{
  return om_agenda_print_paginate (document, context, page);
}

static void
agenda_draw_cb (gpointer      document,
                cairo_t      *cr,
                PangoContext *context,
                guint         page)
{
  om_agenda_print_draw_page (document, cr, context, page);
}

/**
 * om_print_operation_new_for_agenda:
 * @items: (element-type OmAgendaItem): the agenda shown
 *
 * Returns: (transfer full): the printing of the agenda, the same pages
 *   as om_agenda_write_pdf() writes
 */
OmPrintOperation *
om_print_operation_new_for_agenda (GPtrArray           *items,
                                   const OmAgendaShown *shown)
{
  OmPrintOperation *self = g_object_new (OM_TYPE_PRINT_OPERATION, NULL);
  g_autofree char *name = om_agenda_title (shown->owner);

  self->document = om_agenda_print_new (items, shown);
  self->paginate = agenda_paginate_cb;
  self->draw = agenda_draw_cb;
  self->document_free = (GDestroyNotify) om_agenda_print_free;
  gtk_print_operation_set_job_name (GTK_PRINT_OPERATION (self), name);
  return self;
}
