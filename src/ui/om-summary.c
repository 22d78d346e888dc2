/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "om-export-file.h"
#include "om-summary.h"
#include "om-timeline-paint.h"

/* Table columns, as fractions of the text width; the step number's
 * column grows to fit the plan's largest number (size_columns()). The
 * date's is wide enough for "Proposed:" over a whole date. */
static const double column_shares[] = { 0.05, 0.36, 0.14, 0.14, 0.18, 0.13 };
#define N_COLUMNS       G_N_ELEMENTS (column_shares)
#define CELL_PADDING    3.0

/* Where a page starts: drawing one page lays out only what is on it,
 * which keeps a long plan's summary linear in its length. A unit taller
 * than a page goes on over pages: @resumed says the page goes on with
 * @unit, from line @lines[i] of each of its columns. */
typedef struct
{
  guint    unit;
  gboolean in_table;
  gboolean resumed;
  guint    lines[N_COLUMNS];
} PageStart;

typedef struct _Flowed Flowed;
static void flowed_free (Flowed *self);

struct _OmSummary
{
  OmOpportunityData *data;
  OmDate             printed_on;
  OmStageSchedule   *schedule;                  /* as of printed_on */
  int                current;
  OmSummaryPage      page;
  GArray            *page_starts;
  guint              n_pages;
  double             column_widths[N_COLUMNS];  /* in points, set by pagination */
  double             header_height;             /* the table's header row, likewise */
  Flowed            *flowed;                    /* the last unit that went on over pages */
};

/* The summary is a sequence of units, each placed whole: the paragraphs
 * of the title and introduction, the timeline, the heading of the table,
 * one unit per step, the table's end and the agreement block. A page
 * break happens only at the start of a unit. */
enum
{
  UNIT_TITLE,
  UNIT_PREPARED,
  UNIT_CONTACT,
  UNIT_DEADLINE,
  UNIT_DATE,
  UNIT_INTRO_HEADING,
  UNIT_INTRO_TEXT,
  UNIT_TIMELINE,
  UNIT_STEPS_HEADING,
  UNIT_FIRST_STEP,
  /* then one unit per step, the end of the table, the agreement block */
};

#define BODY_SIZE       10
#define SMALL_SIZE      8.5
#define GAP             12.0
#define ROW_PADDING     5.0

typedef struct
{
  OmSummary    *summary;
  PangoContext *context;
  cairo_t      *cr;        /* NULL while measuring */
  guint         target;    /* the page to draw */
  guint         page;      /* the page being laid out */
  double        y;
  guint         unit;      /* the unit being laid out */
  gboolean      in_table;  /* a new page repeats the table's header */
  gboolean      fresh;     /* nothing placed on this page yet */
  gboolean      resumed;   /* the unit goes on from an earlier page */
  guint         lines[N_COLUMNS];  /* ... from these lines of its columns */
} Pass;

/* The plan as the client may see it: what is internal is left out of
 * the summary's copy, so that nothing drawn from it (the table, or the
 * timeline that the window shares) can show it. The copy is for showing
 * only: without its lost reasons it is no valid plan. */
static OmOpportunityData *
client_copy (const OmOpportunityData *data)
{
  OmOpportunityData *copy = om_opportunity_data_copy (data);

  g_clear_pointer (&copy->notes, g_free);
  /* the schedule history (its notes, the pushes) and the decisions' notes */
  g_ptr_array_set_size (copy->schedule, 0);
  for (guint i = 0; i < copy->history->len; i++)
    g_clear_pointer (&om_opportunity_data_get_writable_entry (copy, i)->note, g_free);
  for (guint i = 0; i < copy->stages->len; i++)
    {
      OmStageData *stage = om_opportunity_data_get_writable_stage (copy, i);

      g_clear_pointer (&stage->notes, g_free);
      g_clear_pointer (&stage->lost_reason, g_free);
      /* no baseline, hence no slip */
      stage->baseline_due = 0;
    }
  return copy;
}

OmSummary *
om_summary_new (const OmOpportunityData *data,
                OmDate                   printed_on)
{
  OmSummary *self = g_new0 (OmSummary, 1);

  self->data = client_copy (data);
  self->printed_on = printed_on;
  self->schedule = om_opportunity_data_get_schedule (self->data, printed_on);
  self->current = om_opportunity_data_get_current (self->data);
  self->page_starts = g_array_new (FALSE, FALSE, sizeof (PageStart));
  return self;
}

void
om_summary_free (OmSummary *self)
{
  if (self == NULL)
    return;
  om_opportunity_data_free (self->data);
  flowed_free (self->flowed);
  g_free (self->schedule);
  g_array_unref (self->page_starts);
  g_free (self);
}

/**
 * om_summary_page_init_default:
 *
 * The paper of the user's locale (A4 or US Letter), portrait, with its
 * usual margins.
 */
void
om_summary_page_init_default (OmSummaryPage *page)
{
  GtkPaperSize *paper = gtk_paper_size_new (gtk_paper_size_get_default ());

  page->width = gtk_paper_size_get_width (paper, GTK_UNIT_POINTS);
  page->height = gtk_paper_size_get_height (paper, GTK_UNIT_POINTS);
  page->margin_top = MAX (gtk_paper_size_get_default_top_margin (paper, GTK_UNIT_POINTS), 42);
  page->margin_bottom = MAX (gtk_paper_size_get_default_bottom_margin (paper, GTK_UNIT_POINTS), 42);
  page->margin_left = MAX (gtk_paper_size_get_default_left_margin (paper, GTK_UNIT_POINTS), 42);
  page->margin_right = MAX (gtk_paper_size_get_default_right_margin (paper, GTK_UNIT_POINTS), 42);
  gtk_paper_size_free (paper);
}

/* Text */

static PangoLayout *
text_layout (Pass       *pass,
             const char *text,
             double      size,
             gboolean    bold,
             double      width)
{
  PangoLayout *layout = pango_layout_new (pass->context);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text ? text : "", -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  /* a huge word is wrapped by character: by word it takes minutes */
  pango_layout_set_wrap (layout, om_text_has_long_word (text) ? PANGO_WRAP_CHAR : PANGO_WRAP_WORD_CHAR);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height = 0;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static double
text_width (const OmSummary *s)
{
  return s->page.width - s->page.margin_left - s->page.margin_right;
}

static double
bottom (const OmSummary *s)
{
  /* the footer has its own room under the text */
  return s->page.height - s->page.margin_bottom - 18;
}

static double
top (const OmSummary *s)
{
  return s->page.margin_top + 22;
}

static gboolean
drawing (Pass *pass)
{
  return pass->cr != NULL && pass->page == pass->target;
}

static void
show_layout (Pass        *pass,
             PangoLayout *layout,
             double       x,
             double       y)
{
  if (!drawing (pass))
    return;
  cairo_move_to (pass->cr, x, y);
  pango_cairo_show_layout (pass->cr, layout);
}

/* One line of @text in @width, cut with an ellipsis if it needs more: a
 * page's header has room for no more */
static PangoLayout *
one_line_layout (Pass       *pass,
                 const char *text,
                 double      size,
                 gboolean    bold,
                 double      width)
{
  /* more than a line can hold, without laying out a huge text */
  g_autofree char *head = g_utf8_substring (text ? text : "", 0, MIN (g_utf8_strlen (text ? text : "", -1), 400));
  PangoLayout *layout = text_layout (pass, head, size, bold, width);
  glong n;

  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (pango_layout_get_line_count (layout) <= 1 && strlen (head) == strlen (text ? text : ""))
    return layout;

  n = g_utf8_pointer_to_offset (head, head + pango_layout_get_line_readonly (layout, 0)->length);
  for (; n >= 0; n--)
    {
      g_autofree char *start = g_utf8_substring (head, 0, n);
      g_autofree char *cut = g_strconcat (g_strchomp (start), "…", NULL);

      pango_layout_set_text (layout, cut, -1);
      if (pango_layout_get_line_count (layout) <= 1)
        break;
    }
  return layout;
}

/* Header and footer: the client's name, and "Page N of M" */
static void
decorate_page (Pass *pass)
{
  OmSummary *s = pass->summary;
  g_autoptr(PangoLayout) client = NULL;
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) footer = NULL;
  g_autofree char *page_text = NULL;
  int w;

  if (!drawing (pass))
    return;

  cairo_set_source_rgb (pass->cr, 0.35, 0.35, 0.38);
  client = one_line_layout (pass, s->data->client, SMALL_SIZE, TRUE, text_width (s) / 2 - 6);
  show_layout (pass, client, s->page.margin_left, s->page.margin_top);
  title = one_line_layout (pass, s->data->title, SMALL_SIZE, FALSE, text_width (s) / 2 - 6);
  pango_layout_set_alignment (title, PANGO_ALIGN_RIGHT);
  show_layout (pass, title, s->page.margin_left + text_width (s) / 2 + 6, s->page.margin_top);
  cairo_set_line_width (pass->cr, 0.5);
  cairo_move_to (pass->cr, s->page.margin_left, s->page.margin_top + 14);
  cairo_line_to (pass->cr, s->page.width - s->page.margin_right, s->page.margin_top + 14);
  cairo_stroke (pass->cr);

  /* Translators: the footer of each printed page */
  page_text = g_strdup_printf (_("Page %u of %u"), pass->page + 1, s->n_pages);
  footer = text_layout (pass, page_text, SMALL_SIZE, FALSE, -1);
  pango_layout_get_pixel_size (footer, &w, NULL);
  show_layout (pass, footer, (s->page.width - w) / 2, s->page.height - s->page.margin_bottom - 10);
  cairo_set_source_rgb (pass->cr, 0, 0, 0);
}

static void table_header (Pass *pass);

static void
start_page (Pass *pass)
{
  pass->y = top (pass->summary);
  pass->fresh = TRUE;
  if (pass->cr == NULL)
    {
      PageStart start = { pass->unit, pass->in_table, pass->resumed, { 0 } };

      memcpy (start.lines, pass->lines, sizeof start.lines);
      g_array_append_val (pass->summary->page_starts, start);
    }
  decorate_page (pass);
  if (pass->in_table)
    table_header (pass);
}

static void
new_page (Pass *pass)
{
  pass->page++;
  start_page (pass);
}

/* Makes room for a block that must not be split; a block taller than a
 * page starts one and runs over its bottom */
static void
reserve (Pass   *pass,
         double  height)
{
  if (pass->y + height > bottom (pass->summary) && !pass->fresh)
    new_page (pass);
}

/* Something was placed: a block that does not fit now starts a page */
static void
advance (Pass   *pass,
         double  height)
{
  pass->y += height;
  pass->fresh = FALSE;
}

/* The room for text on a page that has nothing on it yet */
static double
page_room (Pass *pass)
{
  OmSummary *s = pass->summary;

  return bottom (s) - top (s) - (pass->in_table ? s->header_height : 0);
}

/* Text taller than a page goes on over the next pages, line by line. A
 * column holds the lines of one or more layouts, one under the other;
 * the columns of a unit are placed side by side, each going on from the
 * line where it stopped. */
typedef struct
{
  PangoLayoutLine *line;      /* owned by its layout */
  double           top;       /* from the top of the column, in points */
  double           bottom;
  double           baseline;
  gboolean         dim;
} Line;

typedef struct
{
  GArray *lines;
  double  x;
} Column;

static void
column_init (Column *column,
             double  x)
{
  column->lines = g_array_new (FALSE, FALSE, sizeof (Line));
  column->x = x;
}

/* A unit that goes on over pages is laid out once, and kept while its
 * pages are drawn: laying out all of its text again for each page
 * would take time that grows with the square of its length */
struct _Flowed
{
  guint         unit;
  PangoContext *context;
  guint         serial;
  GPtrArray    *layouts;    /* the lines' layouts, kept alive */
  Column        columns[N_COLUMNS];
  guint         n_columns;
};

static void
flowed_free (Flowed *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_columns; i++)
    g_array_unref (self->columns[i].lines);
  g_ptr_array_unref (self->layouts);
  g_object_unref (self->context);
  g_free (self);
}

/* The unit being laid out, if it is the one kept */
static Flowed *
flowed_lookup (Pass *pass)
{
  Flowed *flowed = pass->summary->flowed;

  if (flowed != NULL && flowed->unit == pass->unit && flowed->context == pass->context &&
      flowed->serial == pango_context_get_serial (pass->context))
    return flowed;
  return NULL;
}

/* Keeps the unit being laid out, in place of the one kept before */
static Flowed *
flowed_new (Pass *pass)
{
  Flowed *flowed = g_new0 (Flowed, 1);

  flowed_free (pass->summary->flowed);
  flowed->unit = pass->unit;
  flowed->context = g_object_ref (pass->context);
  flowed->serial = pango_context_get_serial (pass->context);
  flowed->layouts = g_ptr_array_new_with_free_func (g_object_unref);
  pass->summary->flowed = flowed;
  return flowed;
}

static void column_add (Column      *column,
                        PangoLayout *layout,
                        double       y,
                        gboolean     dim);

/* Adds @layout's lines to @column, from @y down */
static void
flowed_add (Flowed      *self,
            guint        column,
            double       x,
            PangoLayout *layout,
            double       y,
            gboolean     dim)
{
  g_assert (column < N_COLUMNS);
  for (; self->n_columns <= column; self->n_columns++)
    column_init (&self->columns[self->n_columns], x);
  g_ptr_array_add (self->layouts, g_object_ref (layout));
  column_add (&self->columns[column], layout, y, dim);
}

static void
column_add (Column      *column,
            PangoLayout *layout,
            double       y,
            gboolean     dim)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      Line line = { pango_layout_iter_get_line_readonly (iter), 0, 0, 0, dim };
      int y0, y1;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      line.top = y + (double) y0 / PANGO_SCALE;
      line.bottom = y + (double) y1 / PANGO_SCALE;
      line.baseline = y + (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
      g_array_append_val (column->lines, line);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/* Draws what frames one page's part of a flowed unit, @height tall;
 * @last when the unit ends on this page */
typedef void (*FrameFunc) (Pass     *pass,
                           double    height,
                           gboolean  last,
                           gpointer  data);

/* Places the lines of @columns from pass->lines on, as many as fit on
 * each page, with @padding above and under them; a page holds at least
 * a line of each column, so the text always goes on */
static void
flow (Pass      *pass,
      Column    *columns,
      guint      n_columns,
      double     padding,
      FrameFunc  frame,
      gpointer   data)
{
  OmSummary *s = pass->summary;

  g_assert (n_columns <= N_COLUMNS);
  for (;;)
    {
      double room = bottom (s) - pass->y - 2 * padding;
      guint next[N_COLUMNS] = { 0 };
      double tops[N_COLUMNS] = { 0 };
      double height = 0;
      gboolean done = TRUE;

      for (guint c = 0; c < n_columns; c++)
        {
          GArray *lines = columns[c].lines;
          guint first = MIN (pass->lines[c], lines->len);
          guint k = first;

          tops[c] = first < lines->len ? g_array_index (lines, Line, first).top : 0;
          while (k < lines->len && g_array_index (lines, Line, k).bottom - tops[c] <= room)
            k++;
          if (k == first && k < lines->len && pass->fresh)
            k++;
          if (k > first)
            height = MAX (height, g_array_index (lines, Line, k - 1).bottom - tops[c]);
          next[c] = k;
          done = done && k == lines->len;
        }

      if (height > 0 || done)
        {
          if (drawing (pass))
            {
              for (guint c = 0; c < n_columns; c++)
                for (guint k = pass->lines[c]; k < next[c]; k++)
                  {
                    const Line *line = &g_array_index (columns[c].lines, Line, k);

                    if (line->dim)
                      cairo_set_source_rgb (pass->cr, 0.3, 0.3, 0.33);
                    else
                      cairo_set_source_rgb (pass->cr, 0, 0, 0);
                    cairo_move_to (pass->cr, columns[c].x, pass->y + padding + line->baseline - tops[c]);
                    pango_cairo_show_layout_line (pass->cr, line->line);
                  }
              cairo_set_source_rgb (pass->cr, 0, 0, 0);
            }
          if (frame != NULL)
            frame (pass, height + 2 * padding, done, data);
          memcpy (pass->lines, next, sizeof next);
          if (done)
            {
              advance (pass, height + 2 * padding);
              return;
            }
        }
      /* the next page goes on with this unit */
      pass->resumed = TRUE;
      new_page (pass);
      if (pass->cr != NULL && pass->page > pass->target)
        return;
    }
}

/* The room a unit that goes on over pages wants at least where it
 * starts, or it starts a page */
#define MIN_FLOW_ROOM   48.0

static void
paragraph (Pass       *pass,
           const char *text,
           double      size,
           gboolean    bold,
           double      space_after)
{
  OmSummary *s = pass->summary;
  Flowed *flowed = flowed_lookup (pass);

  if (flowed == NULL)
    {
      g_autoptr(PangoLayout) layout = text_layout (pass, text, size, bold, text_width (s));
      double h = layout_height (layout);

      if (h <= page_room (pass) && !pass->resumed)
        {
          reserve (pass, h);
          show_layout (pass, layout, s->page.margin_left, pass->y);
          advance (pass, h + space_after);
          return;
        }
      flowed = flowed_new (pass);
      flowed_add (flowed, 0, s->page.margin_left, layout, 0, FALSE);
    }

  /* taller than a page: it goes on over pages */
  if (!pass->resumed)
    reserve (pass, MIN_FLOW_ROOM);
  flow (pass, flowed->columns, flowed->n_columns, 0, NULL, NULL);
  pass->y += space_after;
}

/* Blocks */

static void
title_block (Pass  *pass,
             guint  unit)
{
  OmSummary *s = pass->summary;

  if (unit == UNIT_TITLE)
    paragraph (pass, s->data->title, 20, TRUE, 4);
  else if (unit == UNIT_PREPARED)
    {
      g_autofree char *prepared = g_strdup_printf (_("Prepared for %s"), s->data->client);

      paragraph (pass, prepared, 12, FALSE, 2);
    }
  else if (unit == UNIT_CONTACT && !om_str_is_blank (s->data->coordinator))
    {
      g_autofree char *by = g_strdup_printf (_("Your contact: %s"), s->data->coordinator);

      paragraph (pass, by, BODY_SIZE, FALSE, 2);
    }
  else if (unit == UNIT_DEADLINE && s->data->target_date != 0)
    {
      g_autofree char *date = om_date_format (s->data->target_date);
      /* Translators: the client's own deadline (their target date), near
       * the top of the summary printed for them */
      g_autofree char *deadline = g_strdup_printf (_("Your deadline: %s"), date);

      paragraph (pass, deadline, BODY_SIZE, TRUE, 2);
    }
  else if (unit == UNIT_DATE)
    {
      g_autofree char *printed = om_date_format (s->printed_on);
      g_autofree char *on = g_strdup_printf (_("Date: %s"), printed);

      paragraph (pass, on, BODY_SIZE, FALSE, GAP * 1.5);
    }
}

static void
introduction (Pass  *pass,
              guint  unit)
{
  if (unit == UNIT_INTRO_HEADING)
    {
      paragraph (pass, _("How we will work together"), 12, TRUE, 4);
      return;
    }
  paragraph (pass,
             _("We propose to reach a decision together through a short series of steps. Each step is one "
               "meeting or piece of work, and it ends at a milestone: a point both of us agree has been "
               "reached before we go on to the next step. The plan below shows the steps in order, what we "
               "will have agreed at the end of each, who takes part on each side, and when."),
             BODY_SIZE, FALSE, GAP * 1.5);
}

/* A pending step whose date has already gone by: that date is no plan
 * any more, whether derived or once agreed, so the client reads that a
 * new one is to be agreed */
static gboolean
to_be_agreed (const OmSummary *s,
              guint            index)
{
  const OmStageData *stage = g_ptr_array_index (s->data->stages, index);

  return stage->status == OM_STAGE_STATUS_PENDING && s->schedule[index].due < s->printed_on;
}

/* A step's date for the client: a decided step's as it was decided; a
 * pending step's as agreed with them, or as we propose it. The date
 * itself is never broken over two lines ("Proposed: 15 Feb" over
 * "2026"): its spaces are no-break spaces. */
static char *
step_date (const OmSummary *s,
           guint            index)
{
  const OmStageData *stage = g_ptr_array_index (s->data->stages, index);
  g_autofree char *formatted = om_date_format (s->schedule[index].due);
  g_auto(GStrv) words = g_strsplit (formatted, " ", -1);
  g_autofree char *date = g_strjoinv ("\u00a0", words);

  if (stage->status != OM_STAGE_STATUS_PENDING)
    return g_steal_pointer (&date);
  if (to_be_agreed (s, index))
    /* Translators: the date of a step in the client's summary, when the
     * date it had is past and a new one must be agreed with them */
    return g_strdup (_("To be agreed"));
  if (stage->agreed_on != 0)
    /* Translators: the date of a step, as agreed with the client */
    return g_strdup_printf (_("Agreed: %s"), date);
  /* Translators: the date of a step, derived from the plan: our proposal */
  return g_strdup_printf (_("Proposed: %s"), date);
}

static void
timeline_block (Pass *pass)
{
  OmSummary *s = pass->summary;
  OmTimelinePalette palette;
  g_autoptr(OmTimelineLayout) layout = NULL;
  double width = text_width (s);
  double scale;

  if (s->data->stages->len == 0)
    return;

  /* the same layout and drawing as the window, in the page's fonts,
   * laid out a little wider than the page and scaled down to it: paper
   * reads smaller type than a screen */
  layout = om_timeline_layout_new (s->data, s->printed_on,
                                   om_timeline_layout_fit_px_per_day (s->data, s->printed_on, width * 1.3),
                                   pass->context);
  for (guint i = 0; i < layout->stages->len; i++)
    {
      OmTimelineStage *stage = &g_array_index (layout->stages, OmTimelineStage, i);

      /* lateness is for the coordinator, not for the client */
      stage->overdue = FALSE;
      /* and a date gone by is not shown as the plan (the label is cut
       * to the width it had, so it overlaps nothing) */
      if (to_be_agreed (s, i))
        {
          const OmStageData *sd = g_ptr_array_index (s->data->stages, i);
          g_autofree char *owner = om_str_is_blank (sd->owner) ? NULL : om_text_excerpt (sd->owner);

          g_free (stage->detail);
          stage->detail = owner == NULL ? g_strdup (_("To be agreed"))
                                        /* Translators: under a milestone: who conducts the stage · its date */
                                        : g_strdup_printf (_("%s · %s"), owner, _("To be agreed"));
        }
    }
  scale = MIN (1.0, width / layout->width);

  reserve (pass, layout->height * scale + GAP);
  if (drawing (pass))
    {
      om_timeline_palette_init_light (&palette);
      cairo_save (pass->cr);
      cairo_translate (pass->cr, s->page.margin_left, pass->y);
      cairo_scale (pass->cr, scale, scale);
      om_timeline_paint (pass->cr, layout, &palette, pass->context);
      cairo_restore (pass->cr);
    }
  advance (pass, layout->height * scale + GAP);
}

static const char *
step_state (const OmSummary *s,
            guint            index)
{
  const OmStageData *stage = g_ptr_array_index (s->data->stages, index);

  switch (stage->status)
    {
    case OM_STAGE_STATUS_WON:
      /* Translators: state of a step in the client's summary */
      return _("Done");
    case OM_STAGE_STATUS_LOST:
      return _("Closed");
    case OM_STAGE_STATUS_PENDING:
    default:
      return (int) index == s->current ? _("Next") : _("Upcoming");
    }
}

typedef struct
{
  PangoLayout *cells[N_COLUMNS];
  PangoLayout *description;
  double       height;
} Row;

static void
row_clear (Row *row)
{
  for (guint i = 0; i < G_N_ELEMENTS (row->cells); i++)
    g_clear_object (&row->cells[i]);
  g_clear_object (&row->description);
}

static double
column_x (const OmSummary *s,
          guint            column)
{
  double x = s->page.margin_left;

  for (guint i = 0; i < column; i++)
    x += s->column_widths[i];
  return x;
}

static void
make_row (Pass       *pass,
          Row        *row,
          const char *cells[],
          const char *description,
          gboolean    bold)
{
  OmSummary *s = pass->summary;
  double h = 0;

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      double w = s->column_widths[i] - 2 * CELL_PADDING;
      row->cells[i] = text_layout (pass, cells[i], bold ? SMALL_SIZE : BODY_SIZE - 0.5, bold || i == 1, w);
      h = MAX (h, layout_height (row->cells[i]) + (i == 1 && description ? 0 : 0));
    }
  if (description != NULL && *description != '\0')
    {
      row->description = text_layout (pass, description, SMALL_SIZE, FALSE, s->column_widths[1] - 2 * CELL_PADDING);
      h = MAX (h, layout_height (row->cells[1]) + 2 + layout_height (row->description));
    }
  row->height = h + 2 * ROW_PADDING;
}

/* Draws @row; the table's header does not count as content: a step that
 * does not fit under it stays there anyway */
static void
draw_row (Pass     *pass,
          Row      *row,
          gboolean  header)
{
  OmSummary *s = pass->summary;

  if (drawing (pass))
    {
      if (header)
        {
          cairo_set_source_rgb (pass->cr, 0.92, 0.93, 0.95);
          cairo_rectangle (pass->cr, s->page.margin_left, pass->y, text_width (s), row->height);
          cairo_fill (pass->cr);
        }
      cairo_set_source_rgb (pass->cr, 0.75, 0.75, 0.78);
      cairo_set_line_width (pass->cr, 0.5);
      cairo_move_to (pass->cr, s->page.margin_left, pass->y + row->height);
      cairo_line_to (pass->cr, s->page.margin_left + text_width (s), pass->y + row->height);
      cairo_stroke (pass->cr);
      cairo_set_source_rgb (pass->cr, 0, 0, 0);
    }

  for (guint i = 0; i < N_COLUMNS; i++)
    show_layout (pass, row->cells[i], column_x (s, i) + CELL_PADDING, pass->y + ROW_PADDING);
  if (row->description != NULL)
    {
      if (drawing (pass))
        cairo_set_source_rgb (pass->cr, 0.3, 0.3, 0.33);
      show_layout (pass, row->description, column_x (s, 1) + CELL_PADDING,
                   pass->y + ROW_PADDING + layout_height (row->cells[1]) + 2);
      if (drawing (pass))
        cairo_set_source_rgb (pass->cr, 0, 0, 0);
    }
  if (header)
    pass->y += row->height;
  else
    advance (pass, row->height);
}

static void make_header (Pass *pass,
                         Row  *row);

/* The number column is as wide as the plan's largest step number
 * needs, so that 1000 or 10000 is never broken over two lines; the
 * other columns share what is left in their proportions. Measured once
 * per pagination, in the cells' font. */
static void
size_columns (Pass *pass)
{
  OmSummary *s = pass->summary;
  g_autofree char *largest = g_strdup_printf ("%u", MAX (s->data->stages->len, 1));
  g_autoptr(PangoLayout) layout = text_layout (pass, largest, BODY_SIZE - 0.5, FALSE, -1);
  double width = text_width (s);
  double number;
  int number_width;

  pango_layout_get_size (layout, &number_width, NULL);
  /* a point to spare: a layout's width is whole Pango units */
  number = MAX (column_shares[0] * width, ceil ((double) number_width / PANGO_SCALE) + 2 * CELL_PADDING + 1);
  s->column_widths[0] = number;
  for (guint i = 1; i < N_COLUMNS; i++)
    s->column_widths[i] = column_shares[i] / (1 - column_shares[0]) * (width - number);

  {
    Row header = { 0 };

    make_header (pass, &header);
    s->header_height = header.height;
    row_clear (&header);
  }
}

static void
make_header (Pass *pass,
             Row  *row)
{
  const char *cells[] = {
    /* Translators: column headings of the table of steps */
    C_("column", "No."), C_("column", "Step and what we will have agreed"), C_("column", "Our side"),
    C_("column", "Your side"), C_("column", "Date"), C_("column", "State"),
  };

  make_row (pass, row, cells, NULL, TRUE);
}

static void
table_header (Pass *pass)
{
  Row row = { 0 };

  make_header (pass, &row);
  draw_row (pass, &row, TRUE);
  row_clear (&row);
}

static void
steps_heading (Pass *pass)
{
  Row header = { 0 };
  const char *header_cells[N_COLUMNS] = { "", "", "", "", "", "" };

  if (pass->summary->data->stages->len == 0)
    return;

  /* the heading stays with the header row and the first step */
  make_row (pass, &header, header_cells, NULL, TRUE);
  reserve (pass, 24 + header.height * 3);
  row_clear (&header);
  paragraph (pass, _("The steps"), 12, TRUE, 6);
  table_header (pass);
  pass->in_table = TRUE;
}

/* The rule under a row's part on a page; on the pages it goes on to,
 * its number again, and a word at the foot of the page it goes on from */
static void
row_frame (Pass     *pass,
           double    height,
           gboolean  last,
           gpointer  data)
{
  OmSummary *s = pass->summary;
  const char *number = data;

  if (!drawing (pass))
    return;

  cairo_set_source_rgb (pass->cr, 0.75, 0.75, 0.78);
  cairo_set_line_width (pass->cr, 0.5);
  cairo_move_to (pass->cr, s->page.margin_left, pass->y + height);
  cairo_line_to (pass->cr, s->page.margin_left + text_width (s), pass->y + height);
  cairo_stroke (pass->cr);

  cairo_set_source_rgb (pass->cr, 0.45, 0.45, 0.48);
  if (pass->resumed)
    {
      g_autoptr(PangoLayout) again = text_layout (pass, number, BODY_SIZE - 0.5, FALSE,
                                                  s->column_widths[0] - 2 * CELL_PADDING);

      show_layout (pass, again, column_x (s, 0) + CELL_PADDING, pass->y + ROW_PADDING);
    }
  if (!last)
    {
      /* Translators: at the foot of a page, when a step's text goes on
       * over the next page */
      g_autoptr(PangoLayout) more = text_layout (pass, _("Continued on the next page"), SMALL_SIZE, FALSE,
                                                 text_width (s) / 3);

      pango_layout_set_alignment (more, PANGO_ALIGN_RIGHT);
      show_layout (pass, more, s->page.margin_left + text_width (s) * 2 / 3,
                   s->page.height - s->page.margin_bottom - 10);
    }
  cairo_set_source_rgb (pass->cr, 0, 0, 0);
}

/* A row taller than a page's room goes on over the next pages */
static void
split_row (Pass       *pass,
           Flowed     *flowed,
           const char *number)
{
  /* it starts where it is, unless only a few lines would fit there */
  if (!pass->resumed)
    reserve (pass, MIN_FLOW_ROOM + 2 * ROW_PADDING);
  flow (pass, flowed->columns, flowed->n_columns, ROW_PADDING, row_frame, (gpointer) number);
}

static void
step_row (Pass  *pass,
          guint  i)
{
  OmSummary *s = pass->summary;
  const OmStageData *stage = g_ptr_array_index (s->data->stages, i);
  g_autofree char *number = g_strdup_printf ("%u", i + 1);
  g_autofree char *what = g_strdup_printf ("%s — %s", stage->activity, stage->milestone);
  g_autofree char *when = step_date (s, i);
  const char *cells[] = { number, what, stage->owner, stage->client_owner, when, step_state (s, i) };
  Flowed *flowed = flowed_lookup (pass);

  if (flowed == NULL)
    {
      Row row = { 0 };

      make_row (pass, &row, cells, stage->client_description, FALSE);
      if (row.height <= page_room (pass) && !pass->resumed)
        {
          /* a row that fits on a page is not split: one that does not
           * fit on this one starts a page, with the table's header again */
          reserve (pass, row.height);
          draw_row (pass, &row, FALSE);
          row_clear (&row);
          return;
        }
      /* one taller than a page is split line by line, each cell going
       * on in its column */
      flowed = flowed_new (pass);
      for (guint c = 0; c < N_COLUMNS; c++)
        flowed_add (flowed, c, column_x (s, c) + CELL_PADDING, row.cells[c], 0, FALSE);
      if (row.description != NULL)
        flowed_add (flowed, 1, column_x (s, 1) + CELL_PADDING, row.description,
                    layout_height (row.cells[1]) + 2, TRUE);
      row_clear (&row);
    }
  split_row (pass, flowed, number);
}

static void
steps_end (Pass *pass)
{
  if (pass->summary->data->stages->len == 0)
    return;
  pass->in_table = FALSE;
  advance (pass, GAP * 1.5);
}

static gboolean
agreement_pending (const OmOpportunityData *data)
{
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);
      if (stage->kind == OM_STAGE_KIND_PROCESS_AGREEMENT && stage->status == OM_STAGE_STATUS_PENDING)
        return TRUE;
    }
  return FALSE;
}

/* While the client has not agreed to the process, the summary is how
 * they agree to it. */
static void
agreement_block (Pass *pass)
{
  OmSummary *s = pass->summary;
  const char *fields[] = { _("Name"), _("Signature"), _("Date") };
  g_autoptr(PangoLayout) heading = NULL;
  g_autoptr(PangoLayout) text = NULL;
  g_autofree char *sentence = NULL;
  Flowed *flowed;
  double h, y;

  if (!agreement_pending (s->data))
    return;

  heading = text_layout (pass, _("Agreement to the process"), 12, TRUE, text_width (s));
  flowed = flowed_lookup (pass);
  if (flowed == NULL)
    {
      sentence = g_strdup_printf (_("On behalf of %s, I agree to work through the steps above as described."),
                                  s->data->client);
      text = text_layout (pass, sentence, BODY_SIZE, FALSE, text_width (s));
      h = layout_height (heading) + 6 + layout_height (text) + 12 + G_N_ELEMENTS (fields) * 30;
    }

  if (flowed == NULL && h <= page_room (pass) && !pass->resumed)
    {
      reserve (pass, h);
      y = pass->y;
      show_layout (pass, heading, s->page.margin_left, y);
      y += layout_height (heading) + 6;
      show_layout (pass, text, s->page.margin_left, y);
      y += layout_height (text) + 12;
    }
  else
    {
      /* a client's name that fills pages: the sentence goes on over
       * them, the fields stay together after it */
      if (flowed == NULL)
        {
          flowed = flowed_new (pass);
          flowed_add (flowed, 0, s->page.margin_left, text, 0, FALSE);
        }
      if (!pass->resumed)
        {
          reserve (pass, layout_height (heading) + 6 + MIN_FLOW_ROOM);
          show_layout (pass, heading, s->page.margin_left, pass->y);
          advance (pass, layout_height (heading) + 6);
        }
      flow (pass, flowed->columns, flowed->n_columns, 0, NULL, NULL);
      pass->y += 12;
      h = G_N_ELEMENTS (fields) * 30;
      reserve (pass, h);
      y = pass->y;
    }
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(PangoLayout) label = text_layout (pass, fields[i], BODY_SIZE, FALSE, 80);

      show_layout (pass, label, s->page.margin_left, y + 10);
      if (drawing (pass))
        {
          cairo_set_line_width (pass->cr, 0.6);
          cairo_move_to (pass->cr, s->page.margin_left + 80, y + 24);
          cairo_line_to (pass->cr, s->page.margin_left + MIN (text_width (s), 380), y + 24);
          cairo_stroke (pass->cr);
        }
      y += 30;
    }
  advance (pass, h);
}

static guint
n_units (const OmSummary *s)
{
  return UNIT_FIRST_STEP + s->data->stages->len + 2;
}

static void
run_unit (Pass  *pass,
          guint  unit)
{
  guint n = pass->summary->data->stages->len;

  pass->unit = unit;
  if (unit <= UNIT_DATE)
    title_block (pass, unit);
  else if (unit <= UNIT_INTRO_TEXT)
    introduction (pass, unit);
  else if (unit == UNIT_TIMELINE)
    timeline_block (pass);
  else if (unit == UNIT_STEPS_HEADING)
    steps_heading (pass);
  else if (unit < UNIT_FIRST_STEP + n)
    step_row (pass, unit - UNIT_FIRST_STEP);
  else if (unit == UNIT_FIRST_STEP + n)
    steps_end (pass);
  else
    agreement_block (pass);
  /* the next unit starts from its beginning */
  pass->resumed = FALSE;
  memset (pass->lines, 0, sizeof pass->lines);
}

/**
 * om_summary_paginate:
 *
 * Lays the summary out on pages of @page's size, in @context's fonts,
 * and remembers where each page starts.
 *
 * Returns: the number of pages
 */
guint
om_summary_paginate (OmSummary           *self,
                     PangoContext        *context,
                     const OmSummaryPage *page)
{
  Pass pass = { .summary = self, .context = context };

  g_return_val_if_fail (self != NULL, 0);

  self->page = *page;
  g_array_set_size (self->page_starts, 0);
  g_clear_pointer (&self->flowed, flowed_free);
  size_columns (&pass);
  start_page (&pass);
  for (guint unit = 0; unit < n_units (self); unit++)
    run_unit (&pass, unit);
  self->n_pages = pass.page + 1;
  g_assert (self->page_starts->len == self->n_pages);
  return self->n_pages;
}

/**
 * om_summary_draw_page:
 * @page: from 0
 *
 * Draws one page, as paginated: only the units on that page are laid
 * out again.
 */
void
om_summary_draw_page (OmSummary    *self,
                      cairo_t      *cr,
                      PangoContext *context,
                      guint         page)
{
  const PageStart *start;
  Pass pass = { .summary = self, .context = context, .cr = cr, .target = page, .page = page };

  g_return_if_fail (self != NULL);
  g_return_if_fail (page < self->page_starts->len);

  start = &g_array_index (self->page_starts, PageStart, page);
  pass.unit = start->unit;
  pass.in_table = start->in_table;
  pass.resumed = start->resumed;
  memcpy (pass.lines, start->lines, sizeof pass.lines);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  start_page (&pass);
  /* the unit that starts the next page is laid out, not drawn */
  for (guint unit = start->unit; unit < n_units (self) && pass.page == page; unit++)
    run_unit (&pass, unit);
  cairo_restore (cr);
}

typedef struct
{
  const OmOpportunityData *data;
  const OmSummaryPage     *page;
  GOutputStream           *stream;
  GError                  *error;   /* the stream's, kept for the message */
} PdfWrite;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  PdfWrite *write = closure;

  if (write->error != NULL ||
      !g_output_stream_write_all (write->stream, data, length, NULL, NULL, &write->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
write_pdf_cb (GOutputStream *stream,
              gpointer       user_data,
              GError       **error)
{
  PdfWrite *write = user_data;
  g_autoptr(OmSummary) summary = om_summary_new (write->data, om_date_today ());
  PangoContext *context;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint n;

  write->stream = stream;
  surface = cairo_pdf_surface_create_for_stream (write_cb, write, write->page->width, write->page->height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, write->data->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Opportunity Manager");
  cr = cairo_create (surface);
  context = pango_cairo_create_context (cr);
  /* points, not pixels */
  pango_cairo_context_set_resolution (context, 72);
  {
    PangoFontDescription *desc = pango_font_description_from_string ("Sans 9");
    pango_context_set_font_description (context, desc);
    pango_font_description_free (desc);
  }

  n = om_summary_paginate (summary, context, write->page);
  for (guint i = 0; i < n && cairo_status (cr) == CAIRO_STATUS_SUCCESS; i++)
    {
      om_summary_draw_page (summary, cr, context, i);
      cairo_show_page (cr);
    }
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (write->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&write->error));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * om_summary_write_pdf:
 *
 * Writes the summary as a PDF file, fonts embedded and text selectable,
 * through om_export_file_write(): a file is replaced only once the whole
 * document is written, and a failure leaves it as it was.
 */
gboolean
om_summary_write_pdf (const OmOpportunityData *data,
                      const OmSummaryPage     *page,
                      const char              *path,
                      GError                 **error)
{
  PdfWrite write = { data, page, NULL, NULL };
  gboolean ok;

  ok = om_export_file_write (path, write_pdf_cb, &write, error);
  g_clear_error (&write.error);
  return ok;
}
