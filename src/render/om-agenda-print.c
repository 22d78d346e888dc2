/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-render"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "om-agenda-print.h"
#include "om-export-file.h"

/* Groups */

void
om_agenda_group_free (OmAgendaGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->name);
  g_free (group->detail);
  g_clear_pointer (&group->items, g_ptr_array_unref);
  g_free (group);
}

typedef struct
{
  OmAgendaGroup *group;
  char          *key;      /* what the group is found by */
  char          *order;    /* the groups' order: collated */
  gint64         id;
} Building;

static void
building_free (Building *b)
{
  om_agenda_group_free (b->group);
  g_free (b->key);
  g_free (b->order);
  g_free (b);
}

static int
building_compare (gconstpointer a,
                  gconstpointer b)
{
  const Building *x = *(const Building * const *) a;
  const Building *y = *(const Building * const *) b;
  int c;

  /* the stages nobody owns come after everyone's */
  if ((x->key[0] == '\0') != (y->key[0] == '\0'))
    return x->key[0] == '\0' ? 1 : -1;
  c = strcmp (x->order, y->order);
  if (c != 0)
    return c;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int
item_compare (gconstpointer a,
              gconstpointer b)
{
  return om_agenda_item_compare (*(const OmAgendaItem * const *) a, *(const OmAgendaItem * const *) b);
}

/**
 * om_agenda_group_items:
 * @items: (element-type OmAgendaItem): the agenda
 *
 * Groups @items by salesperson (names compared as the model compares
 * them, om_text_fold(); in the locale's alphabetical order, the
 * unassigned ones last) or by opportunity (by title, then id). Each
 * group lists its items earliest first.
 *
 * Returns: (transfer full) (element-type OmAgendaGroup): the groups,
 *   whose items are @items' own: @items must outlive them
 */
GPtrArray *
om_agenda_group_items (GPtrArray        *items,
                       OmAgendaGrouping  grouping)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) building = g_ptr_array_new_with_free_func ((GDestroyNotify) building_free);
  GPtrArray *groups;

  g_return_val_if_fail (items != NULL, NULL);

  for (guint i = 0; i < items->len; i++)
    {
      OmAgendaItem *item = g_ptr_array_index (items, i);
      g_autofree char *key = NULL;
      Building *b;

      if (grouping == OM_AGENDA_BY_OWNER)
        key = om_str_is_blank (item->owner) ? g_strdup ("") : om_text_fold (item->owner);
      else
        key = g_strdup_printf ("%" G_GINT64_FORMAT, item->opportunity_id);

      b = g_hash_table_lookup (by_key, key);
      if (b == NULL)
        {
          b = g_new0 (Building, 1);
          b->group = g_new0 (OmAgendaGroup, 1);
          b->group->items = g_ptr_array_new ();
          if (grouping == OM_AGENDA_BY_OWNER)
            {
              b->group->name = key[0] == '\0' ? g_strdup (_("No salesperson")) : om_strdup_trimmed (item->owner);
              b->order = g_utf8_collate_key (b->group->name, -1);
            }
          else
            {
              b->group->name = g_strdup (item->title);
              b->group->detail = g_strdup (item->client);
              b->order = g_utf8_collate_key (item->title ? item->title : "", -1);
              b->id = item->opportunity_id;
            }
          /* an opportunity's key (its id) is never empty: only nobody's sorts last */
          b->key = g_strdup (key);
          g_hash_table_insert (by_key, b->key, b);
          g_ptr_array_add (building, b);
        }
      g_ptr_array_add (b->group->items, item);
    }

  g_ptr_array_sort (building, building_compare);
  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_group_free);
  for (guint i = 0; i < building->len; i++)
    {
      Building *b = g_ptr_array_index (building, i);

      g_ptr_array_sort (b->group->items, item_compare);
      g_ptr_array_add (groups, g_steal_pointer (&b->group));
    }
  return groups;
}

/* Words */

/**
 * om_agenda_item_is_overdue:
 *
 * The model's rule (om_is_overdue()): an agenda lists pending stages of
 * open opportunities only.
 */
gboolean
om_agenda_item_is_overdue (const OmAgendaItem *item,
                           OmDate              today)
{
  g_return_val_if_fail (item != NULL, FALSE);

  return om_is_overdue (OM_OPPORTUNITY_STATUS_OPEN, OM_STAGE_STATUS_PENDING, item->due, today);
}

/**
 * om_agenda_item_state:
 *
 * Returns: (transfer full): "Overdue" or "Due", saying when the date is
 *   agreed with the client
 */
char *
om_agenda_item_state (const OmAgendaItem *item,
                      OmDate              today)
{
  gboolean overdue;

  g_return_val_if_fail (item != NULL, NULL);

  overdue = om_agenda_item_is_overdue (item, today);
  if (item->agreed)
    /* Translators: an agenda item's state: its date is agreed with the client */
    return g_strdup (overdue ? _("Overdue, agreed") : _("Due, agreed"));
  return g_strdup (overdue ? _("Overdue") : _("Due"));
}

/**
 * om_agenda_item_stage:
 *
 * Returns: (transfer full): "N of M"
 */
char *
om_agenda_item_stage (const OmAgendaItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);

  /* Translators: a stage's place in its plan, e.g. "3 of 6" */
  return g_strdup_printf (_("%u of %u"), item->stage + 1, item->n_stages);
}

/**
 * om_agenda_describe_window:
 * @from: 0 for the overdue ones and those due until @until
 *
 * Returns: (transfer full): the dates an agenda covers, in words
 */
char *
om_agenda_describe_window (OmDate from,
                           OmDate until)
{
  g_autofree char *end = om_date_format (until);

  if (from == 0)
    /* Translators: %s is a date */
    return g_strdup_printf (_("Overdue, and due by %s"), end);
  else
    {
      g_autofree char *start = om_date_format (from);

      /* Translators: both are dates */
      return g_strdup_printf (_("Due from %s to %s"), start, end);
    }
}

/**
 * om_agenda_title:
 * @owner: (nullable): the salesperson, %NULL for everyone
 *
 * Returns: (transfer full): the agenda's title
 */
char *
om_agenda_title (const char *owner)
{
  if (owner == NULL)
    return g_strdup (_("Agenda of everyone"));
  /* Translators: %s is a salesperson */
  return g_strdup_printf (_("Agenda of %s"), owner);
}

/* Pages */

enum
{
  COL_DUE,
  COL_STATE,
  COL_OPPORTUNITY,
  COL_STAGE,
  COL_MILESTONE,
  COL_OWNER,
  COL_CLIENT_OWNER,
  N_COLUMNS
};
/* How the width left by the date, the state and the stage (as wide as
 * their longest text) is shared by the names' columns: each gets at
 * least its longest word when the page has room for them all, so that
 * names wrap between words */
static const double name_shares[N_COLUMNS] = { 0, 0, 0.3, 0, 0.3, 0.2, 0.2 };

#define CELL_PADDING   3.0
#define ROW_PADDING    4.0
#define TITLE_SIZE     16
#define GAP            10.0

/* One line of the table: a group's header, or one of its items */
typedef struct
{
  guint group;
  int   item;      /* in the group; -1 for the group's header */
} Entry;

struct _OmAgendaPrint
{
  GPtrArray    *items;
  GPtrArray    *groups;
  char         *owner;
  OmAgendaShown shown;
  GArray       *entries;
  OmPage        page;
  double        page_header_height;
  GArray       *page_starts;   /* the first entry of each page */
  double        widths[N_COLUMNS];
  guint         n_pages;
};

typedef struct
{
  OmAgendaPrint *print;
  PangoContext  *context;
  cairo_t       *cr;       /* NULL while measuring */
  guint          target;
  guint          page;
  double         y;
  gboolean       fresh;    /* no row on this page yet */
} Pass;

/**
 * om_agenda_print_new:
 * @items: (element-type OmAgendaItem): the agenda shown, kept
 *
 * Returns: (transfer full): the agenda's printed pages, to paginate
 */
OmAgendaPrint *
om_agenda_print_new (GPtrArray           *items,
                     const OmAgendaShown *shown)
{
  OmAgendaPrint *self;

  g_return_val_if_fail (items != NULL, NULL);
  g_return_val_if_fail (shown != NULL, NULL);

  self = g_new0 (OmAgendaPrint, 1);
  self->items = g_ptr_array_ref (items);
  self->shown = *shown;
  self->owner = g_strdup (shown->owner);
  self->shown.owner = self->owner;
  self->groups = om_agenda_group_items (items, shown->grouping);
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  for (guint g = 0; g < self->groups->len; g++)
    {
      OmAgendaGroup *group = g_ptr_array_index (self->groups, g);
      Entry header = { g, -1 };

      g_array_append_val (self->entries, header);
      for (guint i = 0; i < group->items->len; i++)
        {
          Entry row = { g, (int) i };

          g_array_append_val (self->entries, row);
        }
    }
  self->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  return self;
}

void
om_agenda_print_free (OmAgendaPrint *self)
{
  if (self == NULL)
    return;
  /* the groups borrow the items */
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->page_starts, g_array_unref);
  g_free (self->owner);
  g_free (self);
}

static gboolean
drawing (Pass *pass)
{
  return pass->cr != NULL && pass->page == pass->target;
}

static void
show (Pass        *pass,
      PangoLayout *layout,
      double       x,
      double       y)
{
  if (!drawing (pass))
    return;
  cairo_move_to (pass->cr, x, y);
  pango_cairo_show_layout (pass->cr, layout);
}

static void
rule (Pass   *pass,
      double  y,
      double  width,
      double  grey)
{
  const OmPage *page = &pass->print->page;

  if (!drawing (pass))
    return;
  cairo_save (pass->cr);
  cairo_set_source_rgb (pass->cr, grey, grey, grey);
  cairo_set_line_width (pass->cr, width);
  cairo_move_to (pass->cr, page->margin_left, y);
  cairo_line_to (pass->cr, page->width - page->margin_right, y);
  cairo_stroke (pass->cr);
  cairo_restore (pass->cr);
}

/* The page's header: the title on the left, the window on the right,
 * each wrapped in its half */
static void
page_header_layouts (Pass         *pass,
                     PangoLayout **title,
                     PangoLayout **window)
{
  OmAgendaPrint *self = pass->print;
  double half = om_page_text_width (&self->page) / 2 - 6;
  g_autofree char *title_text = om_agenda_title (self->owner);
  g_autofree char *window_text = om_agenda_describe_window (self->shown.from, self->shown.until);

  *title = om_page_text_layout (pass->context, title_text, OM_PAGE_SMALL_SIZE, TRUE, half);
  *window = om_page_text_layout (pass->context, window_text, OM_PAGE_SMALL_SIZE, FALSE, half);
  pango_layout_set_alignment (*window, PANGO_ALIGN_RIGHT);
}

static double
column_x (const OmAgendaPrint *self,
          guint                column)
{
  double x = self->page.margin_left;

  for (guint i = 0; i < column; i++)
    x += self->widths[i];
  return x;
}

static double
column_width (const OmAgendaPrint *self,
              guint                column)
{
  return self->widths[column] - 2 * CELL_PADDING;
}

static void
cell_texts (OmAgendaPrint      *self,
            const OmAgendaItem *item,
            char               *texts[N_COLUMNS])
{
  texts[COL_DUE] = om_date_format (item->due);
  texts[COL_STATE] = om_agenda_item_state (item, self->shown.today);
  texts[COL_OPPORTUNITY] = g_strdup (item->title);
  texts[COL_STAGE] = om_agenda_item_stage (item);
  texts[COL_MILESTONE] = g_strdup (item->milestone);
  texts[COL_OWNER] = g_strdup (item->owner);
  texts[COL_CLIENT_OWNER] = g_strdup (item->client_owner);
}

/* The width of @text's longest word, or of all of it when @whole */
static double
text_need (PangoContext *context,
           const char   *text,
           gboolean      bold,
           gboolean      whole)
{
  g_auto(GStrv) words = NULL;
  double need = 0;

  if (text == NULL)
    return 0;
  words = whole ? g_strsplit (text, "\n", -1) : g_strsplit_set (text, " \n\t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      int w;

      if (words[i][0] == '\0')
        continue;
      layout = om_page_text_layout (context, words[i], OM_PAGE_BODY_SIZE - 1, bold, -1);
      pango_layout_get_size (layout, &w, NULL);
      need = MAX (need, (double) w / PANGO_SCALE);
    }
  return need;
}

static const char *
header_text (guint column)
{
  switch (column)
    {
    case COL_DUE: return _("Due");
    case COL_STATE: return _("State");
    case COL_OPPORTUNITY: return _("Opportunity");
    case COL_STAGE: return _("Stage");
    case COL_MILESTONE: return _("Milestone");
    /* Translators: the salesperson who conducts the stage */
    case COL_OWNER: return _("Our side");
    /* Translators: the client's person for the stage */
    case COL_CLIENT_OWNER: return _("Client side");
    default: g_return_val_if_reached (NULL);
    }
}

/* The date, the state and the stage as wide as their longest text; the
 * rest shared by the names (name_shares) */
static void
size_columns (OmAgendaPrint *self,
              PangoContext  *context)
{
  double need[N_COLUMNS] = { 0 };
  double width = om_page_text_width (&self->page);
  double fixed = 0, wanted = 0, rest;

  for (guint c = 0; c < N_COLUMNS; c++)
    need[c] = text_need (context, header_text (c), TRUE, name_shares[c] == 0);
  for (guint i = 0; i < self->items->len; i++)
    {
      char *texts[N_COLUMNS];

      cell_texts (self, g_ptr_array_index (self->items, i), texts);
      for (guint c = 0; c < N_COLUMNS; c++)
        {
          /* the state may wrap after its comma */
          need[c] = MAX (need[c], text_need (context, texts[c], FALSE, name_shares[c] == 0 && c != COL_STATE));
          g_free (texts[c]);
        }
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    if (name_shares[c] == 0)
      {
        self->widths[c] = MIN (need[c] + 2 * CELL_PADDING, width / 6);
        fixed += self->widths[c];
      }
  rest = MAX (width - fixed, 0);
  for (guint c = 0; c < N_COLUMNS; c++)
    if (name_shares[c] > 0)
      {
        self->widths[c] = rest * name_shares[c];
        wanted += MAX (need[c] + 2 * CELL_PADDING - self->widths[c], 0);
      }
  /* the columns that need more for their longest word take it from
   * those that have room to spare, when there is room enough */
  if (wanted > 0)
    {
      double spare = 0;

      for (guint c = 0; c < N_COLUMNS; c++)
        if (name_shares[c] > 0)
          spare += MAX (self->widths[c] - need[c] - 2 * CELL_PADDING, 0);
      if (spare >= wanted)
        for (guint c = 0; c < N_COLUMNS; c++)
          if (name_shares[c] > 0)
            {
              double own = need[c] + 2 * CELL_PADDING;

              if (own > self->widths[c])
                self->widths[c] = own;
              else
                self->widths[c] -= (self->widths[c] - own) / spare * wanted;
            }
    }
}

/* Lays out a row's cells; returns its height */
static double
row_layouts (Pass        *pass,
             const char  *texts[N_COLUMNS],
             gboolean     bold,
             PangoLayout *layouts[N_COLUMNS])
{
  double height = 0;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      layouts[c] = om_page_text_layout (pass->context, texts[c], OM_PAGE_BODY_SIZE - 1, bold,
                                        column_width (pass->print, c));
      height = MAX (height, om_page_layout_height (layouts[c]));
    }
  return height + 2 * ROW_PADDING;
}

static void
draw_row (Pass        *pass,
          PangoLayout *layouts[N_COLUMNS],
          double       height)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      show (pass, layouts[c], column_x (pass->print, c) + CELL_PADDING, pass->y + ROW_PADDING);
      g_object_unref (layouts[c]);
    }
  pass->y += height;
}

static void
table_header (Pass *pass)
{
  const char *texts[N_COLUMNS];
  PangoLayout *layouts[N_COLUMNS];
  double height;

  for (guint c = 0; c < N_COLUMNS; c++)
    texts[c] = header_text (c);
  height = row_layouts (pass, texts, TRUE, layouts);
  draw_row (pass, layouts, height);
  rule (pass, pass->y, 0.8, 0.2);
}

static PangoLayout *
group_layout (Pass     *pass,
              guint     index,
              gboolean  continued)
{
  OmAgendaGroup *group = g_ptr_array_index (pass->print->groups, index);
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u milestone", "%u milestones",
                                                          group->items->len),
                                            group->items->len);
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (group->detail != NULL)
    /* Translators: an opportunity's title and its client */
    name = g_strdup_printf (_("%s — %s"), group->name, group->detail);
  else
    name = g_strdup (group->name);
  if (continued)
    /* Translators: a group of the agenda going on from the page before */
    text = g_strdup_printf (_("%s (continued)"), name);
  else
    /* Translators: a group of the agenda and how many milestones it has */
    text = g_strdup_printf (_("%s · %s"), name, count);
  return om_page_text_layout (pass->context, text, OM_PAGE_BODY_SIZE, TRUE,
                              om_page_text_width (&pass->print->page) - 2 * CELL_PADDING);
}

static double
group_height (PangoLayout *layout)
{
  return om_page_layout_height (layout) + 2 * ROW_PADDING + 4;
}

static void
draw_group (Pass        *pass,
            PangoLayout *layout)
{
  double height = group_height (layout);

  show (pass, layout, pass->print->page.margin_left + CELL_PADDING, pass->y + ROW_PADDING + 4);
  pass->y += height;
  rule (pass, pass->y, 0.4, 0.5);
}

static double
item_layouts (Pass        *pass,
              const Entry *entry,
              PangoLayout *layouts[N_COLUMNS])
{
  OmAgendaGroup *group = g_ptr_array_index (pass->print->groups, entry->group);
  char *texts[N_COLUMNS];
  double height;

  cell_texts (pass->print, g_ptr_array_index (group->items, entry->item), texts);
  height = row_layouts (pass, (const char **) texts, FALSE, layouts);
  for (guint c = 0; c < N_COLUMNS; c++)
    g_free (texts[c]);
  return height;
}

static double
entry_height (Pass        *pass,
              const Entry *entry)
{
  PangoLayout *layouts[N_COLUMNS];
  double height;

  if (entry->item < 0)
    {
      g_autoptr(PangoLayout) layout = group_layout (pass, entry->group, FALSE);

      return group_height (layout);
    }
  height = item_layouts (pass, entry, layouts);
  for (guint c = 0; c < N_COLUMNS; c++)
    g_object_unref (layouts[c]);
  return height;
}

static void
decorate_page (Pass *pass)
{
  OmAgendaPrint *self = pass->print;
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) window = NULL;

  page_header_layouts (pass, &title, &window);
  if (drawing (pass))
    {
      cairo_save (pass->cr);
      cairo_set_source_rgb (pass->cr, 0.35, 0.35, 0.38);
      show (pass, title, self->page.margin_left, self->page.margin_top);
      show (pass, window, self->page.margin_left + om_page_text_width (&self->page) / 2 + 6,
            self->page.margin_top);
      om_page_draw_footer (pass->cr, pass->context, &self->page, pass->page + 1, self->n_pages);
      cairo_restore (pass->cr);
    }
  self->page_header_height = MAX (om_page_layout_height (title), om_page_layout_height (window));
  pass->y = self->page.margin_top + self->page_header_height + 3;
  rule (pass, pass->y, 0.5, 0.35);
  pass->y += 8;
}

/* The first page's title block: the title, the window, the day it was
 * printed and how many milestones */
static void
title_block (Pass *pass)
{
  OmAgendaPrint *self = pass->print;
  double width = om_page_text_width (&self->page);
  g_autofree char *title_text = om_agenda_title (self->owner);
  g_autofree char *window_text = om_agenda_describe_window (self->shown.from, self->shown.until);
  g_autofree char *today = om_date_format (self->shown.today);
  g_autofree char *printed = NULL;
  g_autofree char *count = NULL;
  g_autofree char *line = NULL;
  g_autoptr(PangoLayout) title = om_page_text_layout (pass->context, title_text, TITLE_SIZE, TRUE, width);
  g_autoptr(PangoLayout) sub = NULL;

  /* Translators: %s is a date */
  printed = g_strdup_printf (_("Printed on %s"), today);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u milestone", "%u milestones", self->items->len),
                           self->items->len);
  line = g_strdup_printf ("%s\n%s · %s", window_text, count, printed);
  sub = om_page_text_layout (pass->context, line, OM_PAGE_BODY_SIZE, FALSE, width);

  show (pass, title, self->page.margin_left, pass->y);
  pass->y += om_page_layout_height (title) + 4;
  show (pass, sub, self->page.margin_left, pass->y);
  pass->y += om_page_layout_height (sub) + GAP;
}

static void
start_page (Pass  *pass,
            guint  entry)
{
  pass->fresh = TRUE;
  if (pass->cr == NULL)
    g_array_append_val (pass->print->page_starts, entry);
  decorate_page (pass);
  if (pass->page == 0)
    title_block (pass);
  if (pass->print->entries->len == 0)
    return;
  table_header (pass);
  /* a group that goes on from the page before is named again */
  if (entry < pass->print->entries->len)
    {
      const Entry *e = &g_array_index (pass->print->entries, Entry, entry);

      if (e->item >= 0)
        {
          g_autoptr(PangoLayout) layout = group_layout (pass, e->group, TRUE);

          draw_group (pass, layout);
        }
    }
}

/* Lays the entries out from @first, drawing page @pass->target when
 * there is a cairo context; stops after it */
static void
run (Pass  *pass,
     guint  first)
{
  OmAgendaPrint *self = pass->print;
  double bottom = om_page_bottom (&self->page);

  start_page (pass, first);
  if (self->entries->len == 0)
    {
      g_autoptr(PangoLayout) empty = om_page_text_layout (pass->context, _("Nothing is due in this window."),
                                                          OM_PAGE_BODY_SIZE, FALSE,
                                                          om_page_text_width (&self->page));

      show (pass, empty, self->page.margin_left, pass->y);
      return;
    }

  for (guint i = first; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);
      double height = entry_height (pass, entry);
      double needed = height;

      /* a group's header stays with its first row */
      if (entry->item < 0 && i + 1 < self->entries->len)
        needed += entry_height (pass, &g_array_index (self->entries, Entry, i + 1));
      if (pass->y + needed > bottom && !pass->fresh)
        {
          if (pass->cr != NULL && pass->page == pass->target)
            return;
          pass->page++;
          start_page (pass, i);
        }
      if (pass->cr != NULL && pass->page > pass->target)
        return;

      if (entry->item < 0)
        {
          g_autoptr(PangoLayout) layout = group_layout (pass, entry->group, FALSE);

          draw_group (pass, layout);
        }
      else
        {
          PangoLayout *layouts[N_COLUMNS];
          double h = item_layouts (pass, entry, layouts);

          draw_row (pass, layouts, h);
          rule (pass, pass->y, 0.3, 0.75);
        }
      pass->fresh = FALSE;
    }
}

/**
 * om_agenda_print_paginate:
 *
 * Lays the agenda out on pages of @page's size (margins at least
 * OM_PAGE_MIN_MARGIN), in @context's fonts.
 *
 * Returns: the number of pages
 */
guint
om_agenda_print_paginate (OmAgendaPrint *self,
                          PangoContext  *context,
                          const OmPage  *page)
{
  Pass pass = { .print = self, .context = context };

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (page != NULL, 0);

  self->page = *page;
  om_page_keep_margins (&self->page);
  size_columns (self, context);
  g_array_set_size (self->page_starts, 0);
  run (&pass, 0);
  self->n_pages = pass.page + 1;
  return self->n_pages;
}

/**
 * om_agenda_print_draw_page:
 * @page: from 0
 *
 * Draws one page, as paginated: only the rows on it are laid out again.
 */
void
om_agenda_print_draw_page (OmAgendaPrint *self,
                           cairo_t       *cr,
                           PangoContext  *context,
                           guint          page)
{
  Pass pass = { .print = self, .context = context, .cr = cr, .target = page, .page = page };

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page < self->page_starts->len);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  run (&pass, g_array_index (self->page_starts, guint, page));
  cairo_restore (cr);
}

typedef struct
{
  GPtrArray           *items;
  const OmAgendaShown *shown;
  const OmPage        *page;
} PdfWrite;

static guint
paginate_cb (gpointer      document,
             PangoContext *context,
             const OmPage *page)
{
  return om_agenda_print_paginate (document, context, page);
}

static void
draw_page_cb (gpointer      document,
              cairo_t      *cr,
              PangoContext *context,
              guint         page)
{
  om_agenda_print_draw_page (document, cr, context, page);
}

static gboolean
write_pdf_cb (GOutputStream *stream,
              gpointer       user_data,
              GError       **error)
{
  PdfWrite *write = user_data;
  g_autoptr(OmAgendaPrint) print = om_agenda_print_new (write->items, write->shown);
  g_autofree char *title = om_agenda_title (write->shown->owner);

  return om_page_write_pdf (stream, title, write->page, paginate_cb, draw_page_cb, print, error);
}

/**
 * om_agenda_write_pdf:
 * @items: (element-type OmAgendaItem): the agenda shown
 * @shown: whose agenda, which window, grouped how
 *
 * Writes the agenda as a PDF file through om_export_file_write(): a
 * file is replaced only once the whole document is written, and a
 * failure leaves it as it was.
 */
gboolean
om_agenda_write_pdf (GPtrArray            *items,
                     const OmAgendaShown  *shown,
                     const OmPage         *page,
                     const char           *path,
                     GError              **error)
{
  PdfWrite write = { items, shown, page };

  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (shown != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return om_export_file_write (path, write_pdf_cb, &write, error);
}
