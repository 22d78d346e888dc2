/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-render"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <langinfo.h>
#endif
#include <pango/pangocairo.h>

#include "om-model.h"
#include "om-page.h"

/**
 * om_page_init_default:
 *
 * The paper of the user's locale (A4 unless LC_PAPER says otherwise), in
 * portrait, with a printer's usual margins.
 */
void
om_page_init_default (OmPage *page)
{
  /* A4 unless the locale says otherwise (LC_PAPER, as GTK reads it) */
  double width_mm = 210, height_mm = 297;
  const double pt_per_mm = 72.0 / 25.4;

  g_return_if_fail (page != NULL);

#ifdef __GLIBC__
  {
    union { unsigned int word; char *string; } w, h;

    w.string = nl_langinfo (_NL_PAPER_WIDTH);
    h.string = nl_langinfo (_NL_PAPER_HEIGHT);
    if (w.word > 0 && h.word > 0 && w.word < 2000 && h.word < 2000)
      {
        width_mm = w.word;
        height_mm = h.word;
      }
  }
#endif
  page->width = width_mm * pt_per_mm;
  page->height = height_mm * pt_per_mm;
  /* the usual margins of a printer's paper (GTK's), within which a
   * document keeps its own */
  page->margin_top = 0.25 * 72;
  page->margin_bottom = 0.56 * 72;
  page->margin_left = 0.25 * 72;
  page->margin_right = 0.25 * 72;
}

/**
 * om_page_keep_margins:
 *
 * Widens @page's margins to OM_PAGE_MIN_MARGIN where they are narrower:
 * a print dialog's default margins are narrower than a PDF's, and Print
 * and Export must give the same pages for the same paper.
 */
void
om_page_keep_margins (OmPage *page)
{
  g_return_if_fail (page != NULL);

  page->margin_top = MAX (page->margin_top, OM_PAGE_MIN_MARGIN);
  page->margin_bottom = MAX (page->margin_bottom, OM_PAGE_MIN_MARGIN);
  page->margin_left = MAX (page->margin_left, OM_PAGE_MIN_MARGIN);
  page->margin_right = MAX (page->margin_right, OM_PAGE_MIN_MARGIN);
}

double
om_page_text_width (const OmPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->width - page->margin_left - page->margin_right;
}

/* Where text stops: the footer has its own room under it */
double
om_page_bottom (const OmPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->height - page->margin_bottom - OM_PAGE_FOOTER_ROOM;
}

/**
 * om_page_text_layout:
 * @width: in points; -1 for no wrapping
 *
 * Returns: (transfer full): @text in the documents' font, wrapped by
 *   word in @width, never cut
 */
PangoLayout *
om_page_text_layout (PangoContext *context,
                     const char   *text,
                     double        size,
                     gboolean      bold,
                     double        width)
{
  PangoLayout *layout;
  PangoFontDescription *desc;

  g_return_val_if_fail (PANGO_IS_CONTEXT (context), NULL);

  layout = pango_layout_new (context);
  desc = pango_font_description_from_string ("Sans");
  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text ? text : "", -1);
  pango_layout_set_width (layout, width < 0 ? -1 : (int) (width * PANGO_SCALE));
  /* a huge word is wrapped by character: by word it takes minutes */
  pango_layout_set_wrap (layout, om_text_has_long_word (text) ? PANGO_WRAP_CHAR : PANGO_WRAP_WORD_CHAR);
  return layout;
}

double
om_page_layout_height (PangoLayout *layout)
{
  int height = 0;

  g_return_val_if_fail (PANGO_IS_LAYOUT (layout), 0);

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/**
 * om_page_draw_footer:
 * @number: the page, from 1
 *
 * Draws "Page N of M" centred under the text, in the current colour.
 */
void
om_page_draw_footer (cairo_t      *cr,
                     PangoContext *context,
                     const OmPage *page,
                     guint         number,
                     guint         n_pages)
{
  g_autoptr(PangoLayout) footer = NULL;
  g_autofree char *text = NULL;
  int w;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (page != NULL);

  /* Translators: the footer of each printed page */
  text = g_strdup_printf (_("Page %u of %u"), number, n_pages);
  footer = om_page_text_layout (context, text, OM_PAGE_SMALL_SIZE, FALSE, -1);
  pango_layout_get_pixel_size (footer, &w, NULL);
  cairo_move_to (cr, (page->width - w) / 2, page->height - page->margin_bottom - 10);
  pango_cairo_show_layout (cr, footer);
}

/**
 * om_page_set_up_context:
 *
 * Gives @context the documents' default font.
 */
void
om_page_set_up_context (PangoContext *context)
{
  PangoFontDescription *desc = pango_font_description_from_string ("Sans 9");

  g_return_if_fail (PANGO_IS_CONTEXT (context));

  pango_context_set_font_description (context, desc);
  pango_font_description_free (desc);
}

typedef struct
{
  GOutputStream *stream;
  GError        *error;   /* the stream's, kept for the message */
} PdfStream;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  PdfStream *out = closure;

  if (out->error != NULL ||
      !g_output_stream_write_all (out->stream, data, length, NULL, NULL, &out->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/**
 * om_page_write_pdf:
 * @title: the document's title, in its metadata
 *
 * Writes every page of @document into @stream as PDF, fonts embedded
 * and text selectable: the writer of om_export_file_write()'s callers.
 */
gboolean
om_page_write_pdf (GOutputStream  *stream,
                   const char     *title,
                   const OmPage   *page,
                   OmPagePaginate  paginate,
                   OmPageDraw      draw,
                   gpointer        document,
                   GError        **error)
{
  PdfStream out = { stream, NULL };
  PangoContext *context;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint n;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  surface = cairo_pdf_surface_create_for_stream (write_cb, &out, page->width, page->height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title ? title : "");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Opportunity Manager");
  cr = cairo_create (surface);
  context = pango_cairo_create_context (cr);
  /* points, not pixels */
  pango_cairo_context_set_resolution (context, 72);
  om_page_set_up_context (context);

  n = paginate (document, context, page);
  for (guint i = 0; i < n && cairo_status (cr) == CAIRO_STATUS_SUCCESS; i++)
    {
      draw (document, cr, context, i);
      cairo_show_page (cr);
    }
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (out.error != NULL)
    {
      g_propagate_error (error, out.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
