/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <pango/pango.h>

G_BEGIN_DECLS

/*
 * What every printed document shares (the client summary, the agenda):
 * the page's size and margins, the text, the footer and the way the
 * pages become a PDF. Sizes are in points.
 */

typedef struct
{
  double width;
  double height;
  double margin_top;
  double margin_bottom;
  double margin_left;
  double margin_right;
} OmPage;

/* the margins a document keeps at least, whatever the page setup says:
 * the same paper gives the same pages from the print dialog and from a
 * PDF export */
#define OM_PAGE_MIN_MARGIN  42.0
#define OM_PAGE_BODY_SIZE   10
#define OM_PAGE_SMALL_SIZE  8.5
/* the room the footer takes under the text */
#define OM_PAGE_FOOTER_ROOM 18.0

/**
 * OmPagePaginate:
 * @document: what is printed
 *
 * Lays @document out on pages of @page's size.
 *
 * Returns: the number of pages
 */
typedef guint (*OmPagePaginate) (gpointer       document,
                                 PangoContext  *context,
                                 const OmPage  *page);

/**
 * OmPageDraw:
 * @page: from 0
 *
 * Draws one page of @document, as paginated.
 */
typedef void  (*OmPageDraw)     (gpointer       document,
                                 cairo_t       *cr,
                                 PangoContext  *context,
                                 guint          page);

void         om_page_init_default   (OmPage        *page);
void         om_page_keep_margins   (OmPage        *page);
double       om_page_text_width     (const OmPage  *page);
double       om_page_bottom         (const OmPage  *page);
PangoLayout *om_page_text_layout    (PangoContext  *context,
                                     const char    *text,
                                     double         size,
                                     gboolean       bold,
                                     double         width);
double       om_page_layout_height  (PangoLayout   *layout);
void         om_page_draw_footer    (cairo_t       *cr,
                                     PangoContext  *context,
                                     const OmPage  *page,
                                     guint          number,
                                     guint          n_pages);
void         om_page_set_up_context (PangoContext  *context);
gboolean     om_page_write_pdf      (GOutputStream *stream,
                                     const char    *title,
                                     const OmPage  *page,
                                     OmPagePaginate paginate,
                                     OmPageDraw     draw,
                                     gpointer       document,
                                     GError       **error);

G_END_DECLS
