/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-pipeline-view.h"
#include "om-portfolio-view.h"
#include "om-style.h"

/**
 * OmPortfolioView:
 *
 * Every opportunity on one date axis (issue 12): one row each, its chain
 * of stages drawn as linked segments (won, current, pending, overdue,
 * lost; agreed dates doubly outlined; the client's deadline and today
 * as lines), with its title, client, coordinator, status, chain
 * probability and value beside it. Filters and orders are the
 * database's (#OmOpportunityQuery): the list holds ids, and only the
 * rows in view read their stages, so 100,000 opportunities scroll as
 * ten do. Activating a row (Enter, a double click) asks the window to
 * open it in the plan ("opportunity-activated").
 */

#define DAY_WIDTHS_N 6
static const double day_widths[DAY_WIDTHS_N] = { 0.5, 1, 1.5, 3, 6, 12 };
#define DEFAULT_ZOOM 3
#define AXIS_BEFORE_TODAY 120   /* days shown before today, without a window */
#define AXIS_AFTER_TODAY  540
#define WINDOW_MARGIN     14    /* days after the last close date */
#define CHAIN_HEIGHT      22

/* the chain beside the names, the numbers after it: at 800 pixels the
 * calendar is in view, and the table scrolls sideways to the rest */
typedef enum
{
  COLUMN_OPPORTUNITY,
  COLUMN_CHAIN,
  COLUMN_STATUS,
  COLUMN_CHANCE,
  COLUMN_VALUE,
  COLUMN_WEIGHTED,
  COLUMN_CLOSE,
  COLUMN_COORDINATOR,
  N_COLUMNS
} Column;

/* the orders offered, in the drop-down's order */
static const OmOrder orders[] = {
  OM_ORDER_CLOSE_DATE,
  OM_ORDER_NEXT_DUE,
  OM_ORDER_VALUE,
  OM_ORDER_WEIGHTED,
  OM_ORDER_CHAIN_PROBABILITY,
};

struct _OmPortfolioView
{
  GtkWidget            parent_instance;

  OmRepository        *repository;
  OmOpportunityList   *list;
  GtkSingleSelection  *selection;
  GHashTable          *chains;       /* the chain cells alive, to draw again */

  GtkWidget           *box;
  GtkWidget           *filters;
  GtkDropDown         *status;
  GtkDropDown         *names[3];     /* by OmNameKind */
  GtkToggleButton     *overdue;
  GtkDropDown         *order;
  GtkWidget           *window_box;
  GtkLabel            *window_label;
  GtkWidget           *window_button;
  GtkCalendar         *from_calendar;
  GtkCalendar         *to_calendar;
  GtkLabel            *count_label;
  GtkWidget           *pipeline_slot;
  OmPipelineView      *pipeline;
  GtkWidget           *empty_label;
  GtkWidget           *scroller;
  GtkColumnView       *view;
  GtkColumnViewColumn *chain_column;

  OmDate               close_from;
  OmDate               close_to;
  OmDate               axis_first;
  OmDate               axis_last;
  guint                zoom;
  gboolean             filling;
};

G_DEFINE_FINAL_TYPE (OmPortfolioView, om_portfolio_view, GTK_TYPE_WIDGET)

enum {
  OPPORTUNITY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static double
px_per_day (OmPortfolioView *self)
{
  return day_widths[self->zoom];
}

static double
date_x (OmPortfolioView *self,
        OmDate           date)
{
  return ((double) CLAMP (date, self->axis_first, self->axis_last) - self->axis_first) * px_per_day (self);
}

static int
axis_width (OmPortfolioView *self)
{
  return (int) ceil ((self->axis_last - self->axis_first + 1) * px_per_day (self));
}

/* The chain of one opportunity, on the shared axis */

#define OM_TYPE_PORTFOLIO_CHAIN (om_portfolio_chain_get_type ())
G_DECLARE_FINAL_TYPE (OmPortfolioChain, om_portfolio_chain, OM, PORTFOLIO_CHAIN, GtkWidget)

struct _OmPortfolioChain
{
  GtkWidget        parent_instance;
  OmPortfolioView *portfolio;   /* weak */
  OmOpportunity   *opportunity;
};

G_DEFINE_FINAL_TYPE (OmPortfolioChain, om_portfolio_chain, GTK_TYPE_WIDGET)

static void
om_portfolio_chain_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  OmPortfolioChain *self = OM_PORTFOLIO_CHAIN (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = self->portfolio != NULL ? axis_width (self->portfolio) : 0;
  else
    *minimum = *natural = CHAIN_HEIGHT;
}

static const OmRgba *
stage_color (OmStage                 *stage,
             const OmTimelinePalette *palette)
{
  switch (om_stage_get_status (stage))
    {
    case OM_STAGE_STATUS_WON: return &palette->won;
    case OM_STAGE_STATUS_LOST: return &palette->lost;
    case OM_STAGE_STATUS_PENDING:
    default:
      if (om_stage_get_overdue (stage))
        return &palette->overdue;
      return om_stage_get_current (stage) ? &palette->current : &palette->pending;
    }
}

static void
om_portfolio_chain_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  OmPortfolioChain *self = OM_PORTFOLIO_CHAIN (widget);
  OmPortfolioView *portfolio = self->portfolio;
  OmTimelinePalette palette;
  double height = gtk_widget_get_height (widget);
  double cy = height / 2;
  OmDate today = om_date_today (), target;
  guint n;

  if (portfolio == NULL || self->opportunity == NULL)
    return;
  om_timeline_palette_init_for_widget (&palette, widget);

  /* the months, faintly, so that rows read against one axis */
  {
    OmRgba tick = palette.dim;
    GDateTime *month;
    g_autoptr(GDateTime) first = om_date_to_date_time (portfolio->axis_first);

    tick.alpha = 0.25f;
    month = g_date_time_new_local (g_date_time_get_year (first), g_date_time_get_month (first), 1, 0, 0, 0);
    while (month != NULL)
      {
        OmDate day = om_date_from_date_time (month);
        GDateTime *next;

        if (day > portfolio->axis_last)
          break;
        if (day >= portfolio->axis_first)
          om_snapshot_rect (snapshot, &tick, floor (date_x (portfolio, day)), 0, 1, height);
        next = g_date_time_add_months (month, 1);
        g_date_time_unref (month);
        month = next;
      }
    g_clear_pointer (&month, g_date_time_unref);
  }

  target = om_opportunity_get_summary (self->opportunity)->status == OM_OPPORTUNITY_STATUS_OPEN
           ? om_opportunity_get_target_date (self->opportunity) : 0;
  if (target != 0 && target >= portfolio->axis_first && target <= portfolio->axis_last)
    om_snapshot_rect (snapshot, &palette.foreground, floor (date_x (portfolio, target)), 2, 2, height - 4);
  if (today >= portfolio->axis_first && today <= portfolio->axis_last)
    om_snapshot_rect (snapshot, &palette.today, floor (date_x (portfolio, today)) - 1, 0, 2, height);

  n = om_opportunity_get_n_stages (self->opportunity);
  for (guint i = 0; i < n; i++)
    {
      OmStage *stage = om_opportunity_get_stage (self->opportunity, i);
      const OmRgba *color = stage_color (stage, &palette);
      OmDate start = om_stage_get_start_date (stage);
      OmDate due = om_stage_get_due_date (stage);
      double x0 = date_x (portfolio, MIN (start, due));
      double x1 = date_x (portfolio, due);
      OmRgba tint = *color;

      /* linked segments: a pixel apart where they meet */
      tint.alpha = om_stage_get_status (stage) == OM_STAGE_STATUS_PENDING ? 0.35f : 1.0f;
      if (x1 - x0 >= 2)
        om_snapshot_rect (snapshot, &tint, x0 + 1, cy - 4, x1 - x0 - 1, 8);
      if (om_stage_get_current (stage) || om_stage_get_overdue (stage))
        om_snapshot_outline (snapshot, color, x0, cy - 5, MAX (x1 - x0, 2), 10, 1);
      /* an overdue stage is underlined: not colour alone */
      if (om_stage_get_overdue (stage))
        om_snapshot_rect (snapshot, color, x0, cy + 7, MAX (x1 - x0, 2), 2);
      if (om_stage_get_agreed_on (stage) != 0)
        om_snapshot_diamond (snapshot, x1, cy, 7, NULL, color, 1.5);
      om_snapshot_diamond (snapshot, x1, cy, 4,
                           om_stage_get_status (stage) == OM_STAGE_STATUS_PENDING ? &palette.background : color,
                           color, 1.5);
    }
}

/* The stage under @x, in words */
static char *
describe_stage_at (OmPortfolioChain *self,
                   double            x)
{
  OmPortfolioView *portfolio = self->portfolio;
  guint n = om_opportunity_get_n_stages (self->opportunity);

  for (guint i = 0; i < n; i++)
    {
      OmStage *stage = om_opportunity_get_stage (self->opportunity, i);
      double x0 = date_x (portfolio, MIN (om_stage_get_start_date (stage), om_stage_get_due_date (stage)));
      double x1 = date_x (portfolio, om_stage_get_due_date (stage));

      if (x >= x0 - 4 && x <= x1 + 4)
        {
          g_autofree char *due = om_date_format (om_stage_get_due_date (stage));
          g_autofree char *activity = om_text_excerpt (om_stage_get_activity (stage));
          g_autofree char *milestone = om_text_excerpt (om_stage_get_milestone (stage));
          const char *state;

          if (om_stage_get_status (stage) == OM_STAGE_STATUS_WON)
            state = _("won");
          else if (om_stage_get_status (stage) == OM_STAGE_STATUS_LOST)
            state = _("lost");
          else if (om_stage_get_overdue (stage))
            state = _("overdue");
          else if (om_stage_get_agreed_on (stage) != 0)
            state = _("date agreed with the client");
          else
            state = _("pending");
          /* Translators: stage N of M: activity, milestone, state, date */
          return g_strdup_printf (_("Stage %u of %u: %s. Milestone: %s. %s, %s"),
                                  i + 1, n, activity, milestone, state, due);
        }
    }
  return NULL;
}

static gboolean
om_portfolio_chain_query_tooltip (GtkWidget  *widget,
                                  int         x,
                                  int         y,
                                  gboolean    keyboard,
                                  GtkTooltip *tooltip)
{
  OmPortfolioChain *self = OM_PORTFOLIO_CHAIN (widget);
  g_autofree char *text = NULL;

  if (self->portfolio == NULL || self->opportunity == NULL || keyboard)
    return FALSE;
  text = describe_stage_at (self, x);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
om_portfolio_chain_dispose (GObject *object)
{
  OmPortfolioChain *self = OM_PORTFOLIO_CHAIN (object);

  if (self->portfolio != NULL && self->portfolio->chains != NULL)
    g_hash_table_remove (self->portfolio->chains, self);
  g_clear_weak_pointer (&self->portfolio);
  g_clear_object (&self->opportunity);
  G_OBJECT_CLASS (om_portfolio_chain_parent_class)->dispose (object);
}

static void
om_portfolio_chain_class_init (OmPortfolioChainClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = om_portfolio_chain_dispose;
  widget_class->measure = om_portfolio_chain_measure;
  widget_class->snapshot = om_portfolio_chain_snapshot;
  widget_class->query_tooltip = om_portfolio_chain_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "portfoliochain");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
om_portfolio_chain_init (OmPortfolioChain *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

/* What a row says of its opportunity, from what the list keeps of it */

static char *
status_text (const OmOpportunitySummary *summary)
{
  switch (summary->status)
    {
    case OM_OPPORTUNITY_STATUS_WON:
      return g_strdup (_("Won"));
    case OM_OPPORTUNITY_STATUS_LOST:
      return g_strdup (_("Lost"));
    case OM_OPPORTUNITY_STATUS_OPEN:
    default:
      if (summary->first_pending_due != 0 && summary->first_pending_due < om_date_today ())
        /* Translators: an open opportunity with an overdue stage; %u of %u stages won */
        return g_strdup_printf (_("Overdue · %u of %u won"), summary->n_won, summary->n_stages);
      /* Translators: %u of %u stages won */
      return g_strdup_printf (_("Open · %u of %u won"), summary->n_won, summary->n_stages);
    }
}

static char *
cell_text (const OmOpportunitySummary *summary,
           Column                      column)
{
  switch (column)
    {
    case COLUMN_COORDINATOR:
      return g_strdup (summary->coordinator);
    case COLUMN_STATUS:
      return status_text (summary);
    case COLUMN_CHANCE:
      /* Translators: a chain probability in percent */
      return g_strdup_printf (_("%.0f %%"), summary->chain_probability * 100);
    case COLUMN_VALUE:
      return om_money_format (summary->value, summary->currency);
    case COLUMN_WEIGHTED:
      return om_money_format (summary->weighted_value, summary->currency);
    case COLUMN_CLOSE:
      return summary->close_date != 0 ? om_date_format (summary->close_date) : g_strdup (_("No stages"));
    case COLUMN_OPPORTUNITY:
    case COLUMN_CHAIN:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The whole row in words: for the row's accessible name and the chain's */
static char *
describe_opportunity (const OmOpportunitySummary *summary)
{
  g_autofree char *status = status_text (summary);
  g_autofree char *close = summary->close_date != 0 ? om_date_format (summary->close_date) : NULL;
  g_autofree char *value = om_money_format (summary->value, summary->currency);

  if (close != NULL)
    /* Translators: title, client, status, close date, value, chain probability */
    return g_strdup_printf (_("%s for %s: %s, closes %s, %s at %.0f %%"), summary->title, summary->client,
                            status, close, value, summary->chain_probability * 100);
  return g_strdup_printf (_("%s for %s: %s, %s"), summary->title, summary->client, status, value);
}

#define COLUMN_KEY "om-column"

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          OmPortfolioView          *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), COLUMN_KEY));
  GtkWidget *cell;

  switch (column)
    {
    case COLUMN_OPPORTUNITY:
      {
        GtkWidget *title = gtk_label_new (NULL);
        GtkWidget *client = gtk_label_new (NULL);

        cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
        gtk_label_set_xalign (GTK_LABEL (title), 0);
        gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
        gtk_label_set_width_chars (GTK_LABEL (title), 18);
        gtk_widget_add_css_class (title, "heading");
        gtk_label_set_xalign (GTK_LABEL (client), 0);
        gtk_label_set_ellipsize (GTK_LABEL (client), PANGO_ELLIPSIZE_END);
        gtk_widget_add_css_class (client, "dim-label");
        gtk_box_append (GTK_BOX (cell), title);
        gtk_box_append (GTK_BOX (cell), client);
      }
      break;
    case COLUMN_CHAIN:
      cell = g_object_new (OM_TYPE_PORTFOLIO_CHAIN, NULL);
      g_set_weak_pointer (&OM_PORTFOLIO_CHAIN (cell)->portfolio, self);
      g_hash_table_add (self->chains, cell);
      break;
    default:
      cell = gtk_label_new (NULL);
      /* short values, never cut; a long coordinator's name is, and
       * shows in full in its tooltip */
      if (column == COLUMN_COORDINATOR)
        {
          gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_END);
          gtk_label_set_width_chars (GTK_LABEL (cell), 12);
        }
      gtk_label_set_xalign (GTK_LABEL (cell), column == COLUMN_CHANCE || column == COLUMN_VALUE ||
                                              column == COLUMN_WEIGHTED ? 1 : 0);
      if (column != COLUMN_COORDINATOR && column != COLUMN_STATUS)
        gtk_widget_add_css_class (cell, "numeric");
      break;
    }
  gtk_list_item_set_child (item, cell);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         OmPortfolioView          *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), COLUMN_KEY));
  OmOpportunity *opp = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  const OmOpportunitySummary *summary;
  g_autofree char *said = NULL;

  if (opp == NULL)
    return;
  summary = om_opportunity_get_summary (opp);
  switch (column)
    {
    case COLUMN_OPPORTUNITY:
      {
        GtkWidget *title = gtk_widget_get_first_child (cell);
        g_autofree char *names = g_strdup_printf ("%s\n%s", summary->title, summary->client);

        gtk_label_set_text (GTK_LABEL (title), summary->title);
        gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (title)), summary->client);
        /* the names in full where the column is too narrow for them */
        om_accessible_set_tooltip (cell, names);
        said = describe_opportunity (summary);
        gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, said, -1);
      }
      break;
    case COLUMN_CHAIN:
      g_set_object (&OM_PORTFOLIO_CHAIN (cell)->opportunity, opp);
      said = describe_opportunity (summary);
      gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, said, -1);
      gtk_widget_queue_draw (cell);
      break;
    default:
      {
        g_autofree char *text = cell_text (summary, column);

        gtk_label_set_text (GTK_LABEL (cell), text);
        if (column == COLUMN_COORDINATOR)
          om_accessible_set_tooltip (cell, text);
        if (column == COLUMN_STATUS)
          {
            gboolean overdue = summary->status == OM_OPPORTUNITY_STATUS_OPEN && summary->first_pending_due != 0 &&
                               summary->first_pending_due < om_date_today ();

            if (overdue)
              gtk_widget_add_css_class (cell, "warning");
            else
              gtk_widget_remove_css_class (cell, "warning");
          }
      }
      break;
    }
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           OmPortfolioView          *self)
{
  GtkWidget *cell = gtk_list_item_get_child (item);

  if (OM_IS_PORTFOLIO_CHAIN (cell))
    g_clear_object (&OM_PORTFOLIO_CHAIN (cell)->opportunity);
}

static const char *
column_title (Column column)
{
  switch (column)
    {
    case COLUMN_OPPORTUNITY: return C_("portfolio", "Opportunity");
    case COLUMN_COORDINATOR: return C_("portfolio", "Coordinator");
    case COLUMN_STATUS: return C_("portfolio", "Status");
    case COLUMN_CHANCE: return C_("portfolio", "Chance");
    case COLUMN_VALUE: return C_("portfolio", "Value");
    case COLUMN_WEIGHTED: return C_("portfolio", "Weighted");
    case COLUMN_CLOSE: return C_("portfolio", "Close date");
    case COLUMN_CHAIN: default: return C_("portfolio", "Calendar");
    }
}

static void update_count (OmPortfolioView *self);

/* The axis: around today, or around the chosen window of close dates */

static void
redraw_chains (OmPortfolioView *self)
{
  GHashTableIter iter;
  gpointer cell;

  g_hash_table_iter_init (&iter, self->chains);
  while (g_hash_table_iter_next (&iter, &cell, NULL))
    {
      gtk_widget_queue_resize (cell);
      gtk_widget_queue_draw (cell);
    }
}

/* The earliest and the latest close date of what is shown, 0 when none
 * has one: the database reads the two ends of its close-date index */
static void
close_date_range (OmPortfolioView *self,
                  OmDate          *first,
                  OmDate          *last)
{
  *first = *last = 0;
  if (self->list == NULL || self->repository == NULL)
    return;
  om_repository_get_close_range (self->repository, om_opportunity_list_get_query (self->list), first, last);
}

static void
update_axis (OmPortfolioView *self)
{
  OmDate today = om_date_today ();
  OmDate first_close, last_close;

  close_date_range (self, &first_close, &last_close);
  if (self->close_from != 0)
    first_close = MAX (first_close, self->close_from);
  if (self->close_to != 0 && last_close != 0)
    last_close = MIN (last_close, self->close_to);
  if (first_close == 0 || last_close == 0)
    {
      self->axis_first = today - AXIS_BEFORE_TODAY;
      self->axis_last = today + AXIS_AFTER_TODAY;
    }
  else
    {
      /* the stages run back from their close dates; today shows where
       * it is near */
      self->axis_first = first_close - AXIS_BEFORE_TODAY;
      self->axis_last = last_close + WINDOW_MARGIN;
      if (today >= self->axis_first - AXIS_BEFORE_TODAY && today < self->axis_first)
        self->axis_first = today - WINDOW_MARGIN;
      if (today <= self->axis_last + AXIS_BEFORE_TODAY && today > self->axis_last)
        self->axis_last = today + WINDOW_MARGIN;
    }
  gtk_column_view_column_set_fixed_width (self->chain_column, axis_width (self));
  redraw_chains (self);
  update_count (self);
}

/* The query the filters make */

static char *
chosen_name (OmPortfolioView *self,
             OmNameKind       kind)
{
  GtkDropDown *drop = self->names[kind];
  guint selected = gtk_drop_down_get_selected (drop);
  GtkStringObject *item;

  /* 0: anyone */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  item = g_list_model_get_item (gtk_drop_down_get_model (drop), selected);
  if (item == NULL)
    return NULL;
  {
    char *name = g_strdup (gtk_string_object_get_string (item));
    g_object_unref (item);
    return name;
  }
}

static OmOpportunityQuery *
make_query (OmPortfolioView *self)
{
  guint status = gtk_drop_down_get_selected (self->status);
  guint order = gtk_drop_down_get_selected (self->order);
  OmOpportunityQuery *query;

  query = om_opportunity_query_new (status > 0 && status != GTK_INVALID_LIST_POSITION ? (int) status - 1 : -1,
                                    NULL, order < G_N_ELEMENTS (orders) ? orders[order] : OM_ORDER_CLOSE_DATE);
  query->coordinator = chosen_name (self, OM_NAME_COORDINATOR);
  query->owner = chosen_name (self, OM_NAME_OWNER);
  query->client = chosen_name (self, OM_NAME_CLIENT);
  query->overdue_only = gtk_toggle_button_get_active (self->overdue);
  query->today = om_date_today ();
  query->close_from = self->close_from;
  query->close_to = self->close_to;
  return query;
}

static void
update_count (OmPortfolioView *self)
{
  guint n = self->list != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;
  g_autofree char *first = om_date_format (self->axis_first);
  g_autofree char *last = om_date_format (self->axis_last);
  /* Translators: how many rows, and the dates the calendar column spans */
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u opportunity shown, on a calendar from %s to %s",
                                                        "%u opportunities shown, on a calendar from %s to %s", n),
                                           n, first, last);

  gtk_label_set_text (self->count_label, text);
  gtk_widget_set_visible (self->empty_label, self->list != NULL && n == 0);
  gtk_widget_set_visible (self->scroller, n > 0);
}

static void
requery (OmPortfolioView *self)
{
  g_autoptr(OmOpportunityQuery) query = NULL;

  if (self->filling || self->repository == NULL)
    return;
  query = make_query (self);
  if (self->list == NULL)
    {
      self->list = om_repository_list (self->repository, query);
      g_signal_connect_object (self->list, "items-changed", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
      /* an edit, here or by another writer, moves the pipeline too */
      g_signal_connect_object (self->list, "updated", G_CALLBACK (om_pipeline_view_refresh), self->pipeline,
                               G_CONNECT_SWAPPED);
      gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->list));
    }
  else if (!om_opportunity_query_equal (query, om_opportunity_list_get_query (self->list)))
    om_opportunity_list_set_query (self->list, query);
  update_count (self);
  update_axis (self);
}

/* The names the filters offer: those in the database now */
static void
fill_names (OmPortfolioView *self,
            OmNameKind       kind)
{
  static const char *const anyone[] = {
    [OM_NAME_OWNER] = N_("Every salesperson"),
    [OM_NAME_COORDINATOR] = N_("Every coordinator"),
    [OM_NAME_CLIENT] = N_("Every client"),
  };
  g_autofree char *chosen = chosen_name (self, kind);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  gtk_string_list_append (model, _(anyone[kind]));
  if (self->repository != NULL)
    names = om_repository_list_names (self->repository, kind, &error);
  if (error != NULL)
    g_warning ("Could not read the names to filter by: %s", error->message);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      gtk_string_list_append (model, names[i]);
      if (chosen != NULL && g_strcmp0 (chosen, names[i]) == 0)
        selected = i + 1;
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->names[kind], G_LIST_MODEL (model));
  gtk_drop_down_set_selected (self->names[kind], selected);
  self->filling = FALSE;
}

/**
 * om_portfolio_view_refresh_names:
 *
 * Offers the coordinators, salespeople and clients the database holds
 * now (what was chosen stays chosen while it is there), and the
 * pipeline as it is now.
 */
void
om_portfolio_view_refresh_names (OmPortfolioView *self)
{
  g_return_if_fail (OM_IS_PORTFOLIO_VIEW (self));

  for (OmNameKind kind = OM_NAME_OWNER; kind <= OM_NAME_CLIENT; kind++)
    fill_names (self, kind);
  om_pipeline_view_refresh (self->pipeline);
  requery (self);
}

static void
activate_cb (GtkColumnView   *view,
             guint            position,
             OmPortfolioView *self)
{
  g_autoptr(OmOpportunity) opp = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (opp != NULL)
    g_signal_emit (self, signals[OPPORTUNITY_ACTIVATED], 0, om_opportunity_get_id (opp));
}

static OmDate
calendar_date (GtkCalendar *calendar)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);

  return om_date_from_date_time (day);
}

/* The close dates chosen in the popover: from the first day to the last,
 * either way round */
static void
window_apply_cb (OmPortfolioView *self)
{
  OmDate from = calendar_date (self->from_calendar);
  OmDate to = calendar_date (self->to_calendar);

  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->window_button));
  om_portfolio_view_set_close_window (self, MIN (from, to), MAX (from, to));
}

/* A month of the pipeline: the opportunities that close in it */
static void
month_activated_cb (OmPortfolioView *self,
                    int              year,
                    int              month,
                    const char      *currency)
{
  g_autoptr(GDateTime) first = g_date_time_new_local (year, month, 1, 0, 0, 0);
  g_autoptr(GDateTime) next = first != NULL ? g_date_time_add_months (first, 1) : NULL;

  if (first == NULL || next == NULL)
    return;
  om_portfolio_view_set_close_window (self, om_date_from_date_time (first), om_date_from_date_time (next) - 1);
}

static void
window_clear_cb (OmPortfolioView *self)
{
  om_portfolio_view_set_close_window (self, 0, 0);
}

static void
zoom_in_cb (OmPortfolioView *self)
{
  om_portfolio_view_zoom (self, 1);
}

static void
zoom_out_cb (OmPortfolioView *self)
{
  om_portfolio_view_zoom (self, -1);
}

static GtkDropDown *
drop_down (GtkWidget  *box,
           const char *const *items,
           const char *label)
{
  GtkWidget *drop = gtk_drop_down_new_from_strings (items);

  om_accessible_set_tooltip (drop, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_flow_box_append (GTK_FLOW_BOX (box), drop);
  return GTK_DROP_DOWN (drop);
}

static GtkWidget *
icon_button (const char *icon,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  om_accessible_set_tooltip (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static void
om_portfolio_view_dispose (GObject *object)
{
  OmPortfolioView *self = OM_PORTFOLIO_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->chains, g_hash_table_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->repository);
  G_OBJECT_CLASS (om_portfolio_view_parent_class)->dispose (object);
}

static void
om_portfolio_view_class_init (OmPortfolioViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = om_portfolio_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "portfolio");

  /**
   * OmPortfolioView::opportunity-activated:
   * @id: the opportunity's id
   *
   * A row was activated: the window shows it in the plan.
   */
  signals[OPPORTUNITY_ACTIVATED] = g_signal_new ("opportunity-activated", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
om_portfolio_view_init (OmPortfolioView *self)
{
  static const char *const statuses[] = { N_("All opportunities"), N_("Open"), N_("Won"), N_("Lost"), NULL };
  static const char *const order_names[] = {
    N_("By close date"), N_("By next due date"), N_("By value"), N_("By weighted value"),
    N_("By chain probability"), NULL,
  };
  const char *translated[G_N_ELEMENTS (order_names)];
  const char *status_items[G_N_ELEMENTS (statuses)];
  const char *const empty[] = { NULL };
  GtkWidget *bar, *zoom_in, *zoom_out, *clear, *zooms;

  self->zoom = DEFAULT_ZOOM;
  self->chains = g_hash_table_new (NULL, NULL);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);

  /* the filters reflow into fewer columns as the window narrows */
  self->filters = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->filters), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->filters), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->filters), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->filters), 6);
  gtk_box_append (GTK_BOX (self->box), self->filters);

  for (guint i = 0; statuses[i] != NULL; i++)
    status_items[i] = _(statuses[i]);
  status_items[G_N_ELEMENTS (statuses) - 1] = NULL;
  self->status = drop_down (self->filters, status_items, _("Status"));
  gtk_drop_down_set_selected (self->status, 1);
  self->names[OM_NAME_COORDINATOR] = drop_down (self->filters, empty, _("Coordinator"));
  self->names[OM_NAME_OWNER] = drop_down (self->filters, empty, _("Salesperson"));
  self->names[OM_NAME_CLIENT] = drop_down (self->filters, empty, _("Client"));
  for (OmNameKind kind = OM_NAME_OWNER; kind <= OM_NAME_CLIENT; kind++)
    gtk_drop_down_set_enable_search (self->names[kind], TRUE);

  self->overdue = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("_Overdue Only")));
  om_accessible_set_tooltip (GTK_WIDGET (self->overdue), _("Only open opportunities with a stage past its date"));
  gtk_flow_box_append (GTK_FLOW_BOX (self->filters), GTK_WIDGET (self->overdue));

  for (guint i = 0; order_names[i] != NULL; i++)
    translated[i] = _(order_names[i]);
  translated[G_N_ELEMENTS (order_names) - 1] = NULL;
  self->order = drop_down (self->filters, translated, _("Order"));

  /* a window of close dates, as a month of the pipeline chooses it */
  self->window_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->window_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->window_label, TRUE);
  clear = icon_button ("edit-clear-symbolic", _("Show Every Close Date"));
  gtk_widget_add_css_class (clear, "flat");
  g_signal_connect_swapped (clear, "clicked", G_CALLBACK (window_clear_cb), self);
  gtk_box_append (GTK_BOX (self->window_box), GTK_WIDGET (self->window_label));
  gtk_box_append (GTK_BOX (self->window_box), clear);
  gtk_widget_set_visible (self->window_box, FALSE);

  /* or as chosen here */
  {
    GtkWidget *popover = gtk_popover_new ();
    GtkWidget *grid = gtk_grid_new ();
    GtkWidget *from_label = gtk_label_new_with_mnemonic (_("Closing _from"));
    GtkWidget *to_label = gtk_label_new_with_mnemonic (_("_Until"));
    GtkWidget *apply = gtk_button_new_with_mnemonic (_("_Show These Close Dates"));

    self->window_button = gtk_menu_button_new ();
    gtk_menu_button_set_label (GTK_MENU_BUTTON (self->window_button), _("Close Dates…"));
    om_accessible_set_tooltip (self->window_button, _("Show only the opportunities that close between two days"));
    self->from_calendar = GTK_CALENDAR (gtk_calendar_new ());
    self->to_calendar = GTK_CALENDAR (gtk_calendar_new ());
    gtk_label_set_mnemonic_widget (GTK_LABEL (from_label), GTK_WIDGET (self->from_calendar));
    gtk_label_set_mnemonic_widget (GTK_LABEL (to_label), GTK_WIDGET (self->to_calendar));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->from_calendar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("First close date"), -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->to_calendar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Last close date"), -1);
    gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
    gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
    gtk_grid_attach (GTK_GRID (grid), from_label, 0, 0, 1, 1);
    gtk_grid_attach (GTK_GRID (grid), to_label, 1, 0, 1, 1);
    gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->from_calendar), 0, 1, 1, 1);
    gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->to_calendar), 1, 1, 1, 1);
    gtk_widget_set_halign (apply, GTK_ALIGN_END);
    gtk_widget_add_css_class (apply, "suggested-action");
    gtk_grid_attach (GTK_GRID (grid), apply, 0, 2, 2, 1);
    g_signal_connect_swapped (apply, "clicked", G_CALLBACK (window_apply_cb), self);
    gtk_popover_set_child (GTK_POPOVER (popover), grid);
    gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->window_button), popover);
    gtk_flow_box_append (GTK_FLOW_BOX (self->filters), self->window_button);
  }
  gtk_flow_box_append (GTK_FLOW_BOX (self->filters), self->window_box);

  /* the pipeline by month: a month chosen there shows its opportunities */
  self->pipeline_slot = gtk_expander_new_with_mnemonic (_("_Pipeline"));
  gtk_expander_set_expanded (GTK_EXPANDER (self->pipeline_slot), TRUE);
  self->pipeline = OM_PIPELINE_VIEW (om_pipeline_view_new ());
  gtk_widget_set_margin_top (GTK_WIDGET (self->pipeline), 6);
  gtk_expander_set_child (GTK_EXPANDER (self->pipeline_slot), GTK_WIDGET (self->pipeline));
  g_signal_connect_swapped (self->pipeline, "month-activated", G_CALLBACK (month_activated_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->pipeline_slot);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->count_label, 0);
  gtk_label_set_wrap (self->count_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->count_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->count_label));
  zooms = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (zooms, "linked");
  zoom_out = icon_button ("zoom-out-symbolic", _("Show More Time"));
  zoom_in = icon_button ("zoom-in-symbolic", _("Show Less Time, in More Detail"));
  g_signal_connect_swapped (zoom_out, "clicked", G_CALLBACK (zoom_out_cb), self);
  g_signal_connect_swapped (zoom_in, "clicked", G_CALLBACK (zoom_in_cb), self);
  gtk_box_append (GTK_BOX (zooms), zoom_out);
  gtk_box_append (GTK_BOX (zooms), zoom_in);
  gtk_box_append (GTK_BOX (bar), zooms);
  gtk_box_append (GTK_BOX (self->box), bar);

  self->empty_label = gtk_label_new (_("No opportunity matches these filters."));
  gtk_widget_add_css_class (self->empty_label, "dim-label");
  gtk_widget_set_vexpand (self->empty_label, TRUE);
  gtk_widget_set_visible (self->empty_label, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->empty_label);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_column_view_set_show_row_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Opportunities on the calendar"), -1);
  g_signal_connect (self->view, "activate", G_CALLBACK (activate_cb), self);
  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), COLUMN_KEY, GINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
      column = gtk_column_view_column_new (column_title (c), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (c == COLUMN_CHAIN)
        self->chain_column = column;
      gtk_column_view_append_column (self->view, column);
      g_object_unref (column);
    }

  self->scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_box_append (GTK_BOX (self->box), self->scroller);

  update_axis (self);
  g_signal_connect_swapped (self->status, "notify::selected", G_CALLBACK (requery), self);
  g_signal_connect_swapped (self->order, "notify::selected", G_CALLBACK (requery), self);
  g_signal_connect_swapped (self->overdue, "toggled", G_CALLBACK (requery), self);
  for (OmNameKind kind = OM_NAME_OWNER; kind <= OM_NAME_CLIENT; kind++)
    g_signal_connect_swapped (self->names[kind], "notify::selected", G_CALLBACK (requery), self);
}

GtkWidget *
om_portfolio_view_new (void)
{
  return g_object_new (OM_TYPE_PORTFOLIO_VIEW, NULL);
}

/**
 * om_portfolio_view_set_repository:
 *
 * Shows @repository's opportunities (none for %NULL). The list is asked
 * of the database when the view is first given one.
 */
void
om_portfolio_view_set_repository (OmPortfolioView *self,
                                  OmRepository    *repository)
{
  g_return_if_fail (OM_IS_PORTFOLIO_VIEW (self));

  if (self->repository == repository)
    return;
  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->list);
  g_set_object (&self->repository, repository);
  om_pipeline_view_set_repository (self->pipeline, repository);
  om_portfolio_view_refresh_names (self);
}

/**
 * om_portfolio_view_get_shown:
 *
 * Returns: (transfer none) (nullable): the opportunities shown, in order
 */
GListModel *
om_portfolio_view_get_shown (OmPortfolioView *self)
{
  g_return_val_if_fail (OM_IS_PORTFOLIO_VIEW (self), NULL);

  return G_LIST_MODEL (self->list);
}

/**
 * om_portfolio_view_set_filter_name:
 * @name: (nullable): a coordinator, salesperson or client, or %NULL for anyone
 *
 * Chooses @name in the filter of @kind, as a person does in its list.
 *
 * Returns: whether @name is among those offered
 */
gboolean
om_portfolio_view_set_filter_name (OmPortfolioView *self,
                                   OmNameKind       kind,
                                   const char      *name)
{
  GListModel *model;

  g_return_val_if_fail (OM_IS_PORTFOLIO_VIEW (self), FALSE);

  if (name == NULL)
    {
      gtk_drop_down_set_selected (self->names[kind], 0);
      return TRUE;
    }
  model = gtk_drop_down_get_model (self->names[kind]);
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), name) == 0)
        {
          gtk_drop_down_set_selected (self->names[kind], i);
          return TRUE;
        }
    }
  return FALSE;
}

void
om_portfolio_view_set_overdue_only (OmPortfolioView *self,
                                    gboolean         overdue_only)
{
  g_return_if_fail (OM_IS_PORTFOLIO_VIEW (self));

  gtk_toggle_button_set_active (self->overdue, overdue_only);
}

void
om_portfolio_view_set_order (OmPortfolioView *self,
                             OmOrder          order)
{
  g_return_if_fail (OM_IS_PORTFOLIO_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    if (orders[i] == order)
      gtk_drop_down_set_selected (self->order, i);
}

/**
 * om_portfolio_view_set_close_window:
 * @from: the first close date shown, or 0
 * @to: the last, or 0
 *
 * Shows only the opportunities that close between @from and @to (a
 * month of the pipeline), and the time around them; 0 and 0 show every
 * close date again.
 */
void
om_portfolio_view_set_close_window (OmPortfolioView *self,
                                    OmDate           from,
                                    OmDate           to)
{
  g_return_if_fail (OM_IS_PORTFOLIO_VIEW (self));

  self->close_from = from;
  self->close_to = to;
  if (from != 0 || to != 0)
    {
      g_autofree char *first = from != 0 ? om_date_format (from) : NULL;
      g_autofree char *last = to != 0 ? om_date_format (to) : NULL;
      g_autofree char *text = NULL;

      if (first != NULL && last != NULL)
        /* Translators: a window of close dates */
        text = g_strdup_printf (_("Closing %s to %s"), first, last);
      else if (first != NULL)
        text = g_strdup_printf (_("Closing from %s"), first);
      else
        text = g_strdup_printf (_("Closing by %s"), last);
      gtk_label_set_text (self->window_label, text);
    }
  gtk_widget_set_visible (self->window_box, from != 0 || to != 0);
  requery (self);
}

/**
 * om_portfolio_view_get_row_widget:
 *
 * Returns: (transfer none) (nullable): the chain cell of the row at
 *   @position, while it is made
 */
/**
 * om_portfolio_view_get_pipeline:
 *
 * Returns: (transfer none): the pipeline chart above the rows
 */
GtkWidget *
om_portfolio_view_get_pipeline (OmPortfolioView *self)
{
  g_return_val_if_fail (OM_IS_PORTFOLIO_VIEW (self), NULL);

  return GTK_WIDGET (self->pipeline);
}

GtkWidget *
om_portfolio_view_get_row_widget (OmPortfolioView *self,
                                  guint            position)
{
  GHashTableIter iter;
  gpointer cell;

  g_return_val_if_fail (OM_IS_PORTFOLIO_VIEW (self), NULL);

  if (self->list == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->list)))
    return NULL;
  g_hash_table_iter_init (&iter, self->chains);
  while (g_hash_table_iter_next (&iter, &cell, NULL))
    {
      OmOpportunity *opp = OM_PORTFOLIO_CHAIN (cell)->opportunity;

      if (opp != NULL && om_opportunity_get_id (opp) == om_opportunity_list_get_id (self->list, position))
        return cell;
    }
  return NULL;
}

/**
 * om_portfolio_view_zoom:
 * @steps: more detail for positive steps, more time for negative ones
 */
void
om_portfolio_view_zoom (OmPortfolioView *self,
                        int              steps)
{
  int zoom;

  g_return_if_fail (OM_IS_PORTFOLIO_VIEW (self));

  zoom = CLAMP ((int) self->zoom + steps, 0, DAY_WIDTHS_N - 1);
  if ((guint) zoom == self->zoom)
    return;
  self->zoom = (guint) zoom;
  update_axis (self);
}
