/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "om-export-file.h"
#include "om-summary.h"
#include "om-timeline-paint.h"

/* Table columns, as fractions of the text width; the step number's
 * and the state's columns grow to fit their longest word
 * (size_columns()). The date's is wide enough for "Proposed:" over a
 * whole date. The last column is the schedule: the step's activity as a
 * bar and its milestone as a diamond on the plan's dates. */
enum
{
  COL_NUMBER,
  COL_STEP,
  COL_OURS,
  COL_YOURS,
  COL_DATE,
  COL_STATE,
  COL_GANTT,
};
static const double column_shares[] = { 0.05, 0.36, 0.11, 0.11, 0.13, 0.10, 0.14 };
#define N_COLUMNS       G_N_ELEMENTS (column_shares)
#define CELL_PADDING    3.0
/* the milestone's diamond, and the second outline of an agreed one */
#define MARK_RADIUS     4.0
#define MARK_ROOM       (MARK_RADIUS + 3.5)
/* a page header of absurd length stops after this many lines: the
 * title block prints it whole */
#define HEADER_MAX_LINES 4

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
  OmSummarySender    sender;
  OmDate             axis_start;                /* the schedule column's dates */
  OmDate             axis_end;
  double             page_header_height;        /* title and client, set by pagination */
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
  UNIT_SENDER,
  UNIT_CONTACT,
  UNIT_DEADLINE,
  UNIT_DATE,
  UNIT_INTRO_HEADING,
  UNIT_INTRO_TEXT,
  UNIT_LEGEND,
  UNIT_STEPS_HEADING,
  UNIT_FIRST_STEP,
  /* then one unit per step, the end of the table, the agreement block */
};

#define BODY_SIZE       OM_PAGE_BODY_SIZE
#define SMALL_SIZE      OM_PAGE_SMALL_SIZE
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

  /* the schedule column spans the plan and the client's deadline */
  self->axis_start = self->data->start_date;
  self->axis_end = self->data->start_date;
  for (guint i = 0; i < self->data->stages->len; i++)
    self->axis_end = MAX (self->axis_end, self->schedule[i].due);
  if (self->data->target_date != 0)
    {
      self->axis_start = MIN (self->axis_start, self->data->target_date);
      self->axis_end = MAX (self->axis_end, self->data->target_date);
    }
  if (self->axis_end == self->axis_start)
    self->axis_end = self->axis_start + 1;
  return self;
}

/**
 * om_summary_set_sender:
 * @sender: (nullable): who prepared the summary; %NULL for no one
 *
 * The lines under the title that say who prepared the summary: our
 * company and contact details. Empty fields print no line.
 */
void
om_summary_set_sender (OmSummary             *self,
                       const OmSummarySender *sender)
{
  g_return_if_fail (self != NULL);

  om_summary_sender_clear (&self->sender);
  if (sender == NULL)
    return;
  self->sender.company = g_strdup (sender->company);
  self->sender.contact = g_strdup (sender->contact);
  self->sender.phone = g_strdup (sender->phone);
  self->sender.email = g_strdup (sender->email);
}

/**
 * om_summary_sender_load:
 *
 * Fills @sender from the preferences (GSettings, which needs no display:
 * the command line reads the same keys as the window). Without the
 * application's schema installed, @sender stays empty.
 */
void
om_summary_sender_load (OmSummarySender *sender)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;

  g_return_if_fail (sender != NULL);

  memset (sender, 0, sizeof *sender);
  /* an older schema, installed before these keys, is as good as none */
  if (schema == NULL || !g_settings_schema_has_key (schema, "company-name"))
    return;
  settings = g_settings_new_full (schema, NULL, NULL);
  sender->company = g_settings_get_string (settings, "company-name");
  sender->contact = g_settings_get_string (settings, "contact-name");
  sender->phone = g_settings_get_string (settings, "contact-phone");
  sender->email = g_settings_get_string (settings, "contact-email");
}

void
om_summary_sender_clear (OmSummarySender *sender)
{
  g_return_if_fail (sender != NULL);

  g_clear_pointer (&sender->company, g_free);
  g_clear_pointer (&sender->contact, g_free);
  g_clear_pointer (&sender->phone, g_free);
  g_clear_pointer (&sender->email, g_free);
}

void
om_summary_free (OmSummary *self)
{
  if (self == NULL)
    return;
  om_opportunity_data_free (self->data);
  om_summary_sender_clear (&self->sender);
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
  om_page_init_default (page);
}

/* Text */

static PangoLayout *
text_layout (Pass       *pass,
             const char *text,
             double      size,
             gboolean    bold,
             double      width)
{
  return om_page_text_layout (pass->context, text, size, bold, width);
}

static double
layout_height (PangoLayout *layout)
{
  return om_page_layout_height (layout);
}

static double
text_width (const OmSummary *s)
{
  return om_page_text_width (&s->page);
}

static double
bottom (const OmSummary *s)
{
  return om_page_bottom (&s->page);
}

/* Under the page's header: its text, then its rule */
static double
header_rule_y (const OmSummary *s)
{
  return s->page.margin_top + s->page_header_height + 3;
}

static double
top (const OmSummary *s)
{
  return header_rule_y (s) + 8;
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

/* @text wrapped in @width. A text that needs more than
 * HEADER_MAX_LINES lines (a title of thousands of words) stops there
 * with an ellipsis: the page's header is a reminder, and the title
 * block prints the text whole. */
static PangoLayout *
header_layout (Pass       *pass,
               const char *text,
               gboolean    bold,
               double      width)
{
  const char *full = text ? text : "";
  /* more than the lines can hold, without laying out a huge text */
  g_autofree char *head = g_utf8_substring (full, 0, MIN (g_utf8_strlen (full, -1), 2000));
  PangoLayout *layout = text_layout (pass, head, SMALL_SIZE, bold, width);
  PangoLayoutLine *last;
  glong n;

  if (pango_layout_get_line_count (layout) <= HEADER_MAX_LINES && strlen (head) == strlen (full))
    return layout;

  last = pango_layout_get_line_readonly (layout, HEADER_MAX_LINES - 1);
  n = g_utf8_pointer_to_offset (head, head + last->start_index + last->length);
  for (; n >= 0; n--)
    {
      g_autofree char *start = g_utf8_substring (head, 0, n);
      g_autofree char *cut = g_strconcat (g_strchomp (start), "…", NULL);

      pango_layout_set_text (layout, cut, -1);
      if (pango_layout_get_line_count (layout) <= HEADER_MAX_LINES)
        break;
    }
  return layout;
}

/* The client's name on the left, the title on the right, each wrapped in
 * its own half of the width */
static void
header_layouts (Pass         *pass,
                PangoLayout **client,
                PangoLayout **title)
{
  OmSummary *s = pass->summary;
  double half = text_width (s) / 2 - 6;

  *client = header_layout (pass, s->data->client, TRUE, half);
  *title = header_layout (pass, s->data->title, FALSE, half);
  pango_layout_set_alignment (*title, PANGO_ALIGN_RIGHT);
}

/* The header's height is the same on every page: measured once */
static void
size_page_header (Pass *pass)
{
  g_autoptr(PangoLayout) client = NULL;
  g_autoptr(PangoLayout) title = NULL;

  header_layouts (pass, &client, &title);
  pass->summary->page_header_height = MAX (layout_height (client), layout_height (title));
}

/* Header and footer: the client's name and the title, and "Page N of M" */
static void
decorate_page (Pass *pass)
{
  OmSummary *s = pass->summary;
  g_autoptr(PangoLayout) client = NULL;
  g_autoptr(PangoLayout) title = NULL;

  if (!drawing (pass))
    return;

  cairo_set_source_rgb (pass->cr, 0.35, 0.35, 0.38);
  header_layouts (pass, &client, &title);
  show_layout (pass, client, s->page.margin_left, s->page.margin_top);
  show_layout (pass, title, s->page.margin_left + text_width (s) / 2 + 6, s->page.margin_top);
  /* under the taller of the two, whatever their lengths */
  cairo_set_line_width (pass->cr, 0.5);
  cairo_move_to (pass->cr, s->page.margin_left, header_rule_y (s));
  cairo_line_to (pass->cr, s->page.width - s->page.margin_right, header_rule_y (s));
  cairo_stroke (pass->cr);

  om_page_draw_footer (pass->cr, pass->context, &s->page, pass->page + 1, s->n_pages);
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
  else if (unit == UNIT_SENDER)
    {
      g_autoptr(GString) lines = g_string_new (NULL);
      const char *company = s->sender.company, *contact = s->sender.contact;
      const char *phone = s->sender.phone, *email = s->sender.email;

      if (!om_str_is_blank (company))
        {
          g_autofree char *name = g_strstrip (g_strdup (company));

          /* Translators: under the title of the client summary: our company */
          g_string_append_printf (lines, _("Prepared by %s"), name);
        }
      if (!om_str_is_blank (contact))
        {
          g_autofree char *name = g_strstrip (g_strdup (contact));

          if (lines->len > 0)
            g_string_append_printf (lines, "\n%s", name);
          else
            g_string_append_printf (lines, _("Prepared by %s"), name);
        }
      if (!om_str_is_blank (phone))
        {
          g_autofree char *number = g_strstrip (g_strdup (phone));

          if (lines->len > 0)
            g_string_append_c (lines, '\n');
          /* Translators: our contact's phone number, in the summary */
          g_string_append_printf (lines, _("Phone: %s"), number);
        }
      if (!om_str_is_blank (email))
        {
          g_autofree char *address = g_strstrip (g_strdup (email));

          if (lines->len > 0)
            g_string_append_c (lines, '\n');
          /* Translators: our contact's e-mail address, in the summary */
          g_string_append_printf (lines, _("E-mail: %s"), address);
        }
      if (lines->len > 0)
        paragraph (pass, lines->str, BODY_SIZE, FALSE, 6);
    }
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

static double column_x (const OmSummary *s,
                        guint            column);

/* The schedule column: a bar for each step's activity, from the end of
 * the step before it to its milestone, and a diamond for the milestone,
 * on dates shared by every row */

typedef enum
{
  MARK_WON,
  MARK_CURRENT,
  MARK_PENDING,
  MARK_LOST,
} MarkState;

static MarkState
mark_state (const OmSummary *s,
            guint            index)
{
  const OmStageData *stage = g_ptr_array_index (s->data->stages, index);

  if (stage->status == OM_STAGE_STATUS_WON)
    return MARK_WON;
  if (stage->status == OM_STAGE_STATUS_LOST)
    return MARK_LOST;
  return (int) index == s->current ? MARK_CURRENT : MARK_PENDING;
}

static const OmRgba *
mark_color (const OmTimelinePalette *palette,
            MarkState                state)
{
  switch (state)
    {
    case MARK_WON:
      return &palette->won;
    case MARK_LOST:
      return &palette->lost;
    case MARK_CURRENT:
      return &palette->current;
    case MARK_PENDING:
    default:
      return &palette->pending;
    }
}

/* The marks of the window's timeline (om-timeline-paint.c), in shapes
 * that do not depend on colour: a decided milestone filled, a pending
 * one hollow, the current one larger with a thicker outline, a date
 * agreed with the client with a second outline */
static void
paint_mark (cairo_t                 *cr,
            const OmTimelinePalette *palette,
            MarkState                state,
            gboolean                 agreed,
            double                   cx,
            double                   cy)
{
  const OmRgba *color = mark_color (palette, state);
  double r = MARK_RADIUS + (state == MARK_CURRENT ? 1 : 0);

  cairo_save (cr);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
  if (agreed && (state == MARK_CURRENT || state == MARK_PENDING))
    {
      om_timeline_diamond_path (cr, cx, cy, r + 2.5);
      cairo_set_line_width (cr, 0.9);
      cairo_stroke (cr);
    }
  om_timeline_diamond_path (cr, cx, cy, r);
  if (state == MARK_WON || state == MARK_LOST)
    cairo_fill_preserve (cr);
  else
    {
      cairo_set_source_rgba (cr, palette->background.red, palette->background.green, palette->background.blue, palette->background.alpha);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
    }
  cairo_set_line_width (cr, state == MARK_CURRENT ? 2.0 : 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The client's deadline: a dashed line across the row */
static void
paint_deadline (cairo_t                 *cr,
                const OmTimelinePalette *palette,
                double                   x,
                double                   y0,
                double                   y1)
{
  const double dash[] = { 2, 1.5 };

  cairo_save (cr);
  cairo_set_source_rgba (cr, palette->overdue.red, palette->overdue.green, palette->overdue.blue, palette->overdue.alpha);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  cairo_move_to (cr, x, y0);
  cairo_line_to (cr, x, y1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static double
gantt_x (const OmSummary *s,
         OmDate           date)
{
  double x0 = column_x (s, COL_GANTT) + CELL_PADDING + MARK_ROOM;
  double width = s->column_widths[COL_GANTT] - 2 * (CELL_PADDING + MARK_ROOM);

  return x0 + width * (double) (date - s->axis_start) / (double) (s->axis_end - s->axis_start);
}

/* Where the first line of a row's text is, for the marks to sit on */
#define MARK_Y(y)       ((y) + ROW_PADDING + 6.5)

/* A step's part of the schedule column, in its row from @y, @height tall */
static void
paint_gantt (Pass   *pass,
             guint   index,
             double  y,
             double  height)
{
  OmSummary *s = pass->summary;
  OmTimelinePalette palette;
  OmDate begin = index == 0 ? s->data->start_date : s->schedule[index - 1].due;
  OmDate due = s->schedule[index].due;
  const OmStageData *stage = g_ptr_array_index (s->data->stages, index);
  MarkState state = mark_state (s, index);
  double cy = MARK_Y (y);
  double x0, x1;

  if (!drawing (pass))
    return;

  om_timeline_palette_init_light (&palette);
  if (s->data->target_date != 0)
    paint_deadline (pass->cr, &palette, gantt_x (s, s->data->target_date), y, y + height);

  x0 = gantt_x (s, MIN (begin, due));
  x1 = gantt_x (s, due);
  cairo_save (pass->cr);
  {
    const OmRgba *mark = mark_color (&palette, state);
    cairo_set_source_rgba (pass->cr, mark->red, mark->green, mark->blue, mark->alpha);
  }
  cairo_rectangle (pass->cr, x0, cy - 2.5, MAX (x1 - x0, 0.75), 5);
  if (state == MARK_PENDING)
    {
      /* what is still ahead, lighter than what is under way or done */
      cairo_save (pass->cr);
      cairo_clip_preserve (pass->cr);
      cairo_paint_with_alpha (pass->cr, 0.25);
      cairo_restore (pass->cr);
      cairo_set_line_width (pass->cr, 0.6);
      cairo_stroke (pass->cr);
    }
  else
    cairo_fill (pass->cr);
  cairo_restore (pass->cr);

  /* a date gone by is no plan: no milestone where it was */
  if (!to_be_agreed (s, index))
    paint_mark (pass->cr, &palette, state, stage->agreed_on != 0, x1, cy);
}

/* What the marks of the schedule column mean, before the table */
static void
legend_block (Pass *pass)
{
  OmSummary *s = pass->summary;
  OmTimelinePalette palette;
  static const struct { MarkState state; gboolean agreed; gboolean deadline; const char *label; } items[] = {
    /* Translators: the legend of the summary's schedule column */
    { MARK_WON, FALSE, FALSE, N_("Done") },
    { MARK_CURRENT, FALSE, FALSE, N_("Next step") },
    { MARK_PENDING, FALSE, FALSE, N_("Upcoming") },
    { MARK_LOST, FALSE, FALSE, N_("Closed") },
    { MARK_PENDING, TRUE, FALSE, N_("Date agreed with you") },
    { MARK_PENDING, FALSE, TRUE, N_("Your deadline") },
  };
  g_autoptr(PangoLayout) intro = NULL;
  PangoLayout *labels[G_N_ELEMENTS (items)];
  double xs[G_N_ELEMENTS (items)], ys[G_N_ELEMENTS (items)];
  double width = text_width (s), x = 0, y, line = 0, h;

  if (s->data->stages->len == 0)
    return;

  intro = text_layout (pass, _("In the schedule column, a bar is a step’s work and a diamond its milestone:"),
                       SMALL_SIZE, FALSE, width);
  y = layout_height (intro) + 4;
  /* the items side by side, as many as fit on a line */
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      double w;
      int lw, lh;

      labels[i] = NULL;
      /* no deadline, no line to explain */
      if (items[i].deadline && s->data->target_date == 0)
        continue;

      labels[i] = text_layout (pass, _(items[i].label), SMALL_SIZE, FALSE, width - 20);
      pango_layout_get_size (labels[i], &lw, &lh);
      w = 20 + (double) lw / PANGO_SCALE + 14;
      if (x > 0 && x + w > width)
        {
          x = 0;
          y += line + 3;
          line = 0;
        }
      xs[i] = x;
      ys[i] = y;
      x += w;
      line = MAX (line, MAX ((double) lh / PANGO_SCALE, 12));
    }
  h = y + line;

  reserve (pass, h + GAP);
  show_layout (pass, intro, s->page.margin_left, pass->y);
  if (drawing (pass))
    om_timeline_palette_init_light (&palette);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      double mx = s->page.margin_left + xs[i] + 8, my = pass->y + ys[i] + 6;

      if (labels[i] == NULL)
        continue;
      if (drawing (pass))
        {
          if (items[i].deadline)
            paint_deadline (pass->cr, &palette, mx, my - 6, my + 6);
          else
            paint_mark (pass->cr, &palette, items[i].state, items[i].agreed, mx, my);
          cairo_set_source_rgb (pass->cr, 0, 0, 0);
        }
      show_layout (pass, labels[i], s->page.margin_left + xs[i] + 20, pass->y + ys[i]);
      g_object_unref (labels[i]);
    }
  advance (pass, h + GAP);
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
  int          step;      /* the step whose marks the row shows; -1 for the header */
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
  if (!header && row->step >= 0)
    paint_gantt (pass, (guint) row->step, pass->y, row->height);
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

  const char *states[] = { _("Done"), _("Closed"), _("Next"), _("Upcoming"), C_("column", "State") };
  double state = column_shares[COL_STATE] * width;
  double shares = 1 - column_shares[COL_NUMBER] - column_shares[COL_STATE];

  pango_layout_get_size (layout, &number_width, NULL);
  /* a point to spare: a layout's width is whole Pango units */
  number = MAX (column_shares[0] * width, ceil ((double) number_width / PANGO_SCALE) + 2 * CELL_PADDING + 1);
  /* a state is one word, never broken: its column fits the longest */
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr(PangoLayout) word = text_layout (pass, states[i], BODY_SIZE - 0.5, TRUE, -1);
      int w;

      pango_layout_get_size (word, &w, NULL);
      state = MAX (state, ceil ((double) w / PANGO_SCALE) + 2 * CELL_PADDING + 1);
    }
  s->column_widths[COL_NUMBER] = number;
  s->column_widths[COL_STATE] = state;
  for (guint i = 0; i < N_COLUMNS; i++)
    if (i != COL_NUMBER && i != COL_STATE)
      s->column_widths[i] = column_shares[i] / shares * (width - number - state);

  /* a date is never broken (step_date()): its column fits the widest
   * proposed one, the day and year as wide as they come, in any month */
  {
    GDateYear year = 2000;
    double date = s->column_widths[COL_DATE];

    for (guint month = 1; month <= 12; month++)
      {
        GDate d;
        OmDate day;
        g_autofree char *formatted = NULL;
        g_auto(GStrv) words = NULL;
        g_autofree char *joined = NULL;
        g_autoptr(PangoLayout) measured = NULL;
        int w;

        g_date_clear (&d, 1);
        g_date_set_dmy (&d, 28, (GDateMonth) month, year);
        day = (OmDate) g_date_get_julian (&d);
        formatted = om_date_format (day);
        words = g_strsplit (formatted, " ", -1);
        joined = g_strjoinv ("\u00a0", words);
        g_autofree char *proposed = g_strdup_printf (_("Proposed: %s"), joined);

        /* "Proposed: 15 Feb 2026" on one line reads as one thing */
        measured = text_layout (pass, proposed, BODY_SIZE - 0.5, FALSE, -1);
        pango_layout_get_size (measured, &w, NULL);
        date = MAX (date, ceil ((double) w / PANGO_SCALE) + 2 * CELL_PADDING + 1);
      }
    /* what the date's column takes, the step's gives */
    s->column_widths[COL_STEP] -= date - s->column_widths[COL_DATE];
    s->column_widths[COL_DATE] = date;
  }

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
  OmSummary *s = pass->summary;
  g_autofree char *from = om_date_format (s->axis_start);
  g_autofree char *to = om_date_format (s->axis_end);
  /* Translators: heading of the schedule column, over the first and the
   * last date it shows */
  g_autofree char *schedule = g_strdup_printf (C_("column", "Schedule\n%s to %s"), from, to);
  const char *cells[] = {
    /* Translators: column headings of the table of steps */
    C_("column", "No."), C_("column", "Step and what we will have agreed"), C_("column", "Our side"),
    C_("column", "Your side"), C_("column", "Date"), C_("column", "State"), schedule,
  };

  make_row (pass, row, cells, NULL, TRUE);
  row->step = -1;
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
  const char *header_cells[N_COLUMNS] = { "", "", "", "", "", "", "" };

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

typedef struct
{
  const char *number;
  guint       index;
} SplitStep;

/* The rule under a row's part on a page; on the pages it goes on to,
 * its number again, and a word at the foot of the page it goes on from */
static void
row_frame (Pass     *pass,
           double    height,
           gboolean  last,
           gpointer  data)
{
  OmSummary *s = pass->summary;
  const SplitStep *step = data;
  const char *number = step->number;

  if (!drawing (pass))
    return;

  /* the marks where the step starts */
  if (!pass->resumed)
    paint_gantt (pass, step->index, pass->y, height);

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
split_row (Pass      *pass,
           Flowed    *flowed,
           SplitStep *step)
{
  /* it starts where it is, unless only a few lines would fit there */
  if (!pass->resumed)
    reserve (pass, MIN_FLOW_ROOM + 2 * ROW_PADDING);
  flow (pass, flowed->columns, flowed->n_columns, ROW_PADDING, row_frame, step);
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
  const char *cells[] = { number, what, stage->owner, stage->client_owner, when, step_state (s, i), "" };
  Flowed *flowed = flowed_lookup (pass);
  SplitStep split = { number, i };

  if (flowed == NULL)
    {
      Row row = { 0 };

      make_row (pass, &row, cells, stage->client_description, FALSE);
      row.step = (int) i;
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
  split_row (pass, flowed, &split);
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
  else if (unit == UNIT_LEGEND)
    legend_block (pass);
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

  /* the page setup's margins, but never less than the summary needs:
   * a print dialog's default margins are narrower than a PDF's, and
   * Print and Export must give the same pages for the same paper */
  self->page = *page;
  om_page_keep_margins (&self->page);
  g_array_set_size (self->page_starts, 0);
  g_clear_pointer (&self->flowed, flowed_free);
  size_page_header (&pass);
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
  const OmSummarySender   *sender;
  const OmSummaryPage     *page;
} PdfWrite;

static guint
paginate_cb (gpointer      document,
             PangoContext *context,
             const OmPage *page)
{
  return om_summary_paginate (document, context, page);
}

static void
draw_page_cb (gpointer      document,
              cairo_t      *cr,
              PangoContext *context,
              guint         page)
{
  om_summary_draw_page (document, cr, context, page);
}

static gboolean
write_pdf_cb (GOutputStream *stream,
              gpointer       user_data,
              GError       **error)
{
  PdfWrite *write = user_data;
  g_autoptr(OmSummary) summary = om_summary_new (write->data, om_date_today ());

  om_summary_set_sender (summary, write->sender);
  return om_page_write_pdf (stream, write->data->title, write->page, paginate_cb, draw_page_cb, summary, error);
}

/**
 * om_summary_write_pdf:
 *
 * @sender: (nullable): who prepared it, printed under the title
 *
 * Writes the summary as a PDF file, fonts embedded and text selectable,
 * through om_export_file_write(): a file is replaced only once the whole
 * document is written, and a failure leaves it as it was.
 */
gboolean
om_summary_write_pdf (const OmOpportunityData *data,
                      const OmSummarySender   *sender,
                      const OmSummaryPage     *page,
                      const char              *path,
                      GError                 **error)
{
  PdfWrite write = { data, sender, page };

  return om_export_file_write (path, write_pdf_cb, &write, error);
}
