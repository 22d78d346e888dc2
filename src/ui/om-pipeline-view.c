/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-pipeline-paint.h"
#include "om-pipeline-view.h"

/**
 * OmPipelineView:
 *
 * The pipeline (issue 12): open opportunities by month of close date,
 * their value and chain-weighted value, in one currency at a time,
 * chosen in a drop-down (amounts in two currencies are never summed):
 * a bar chart, and beside it (under it, when narrow) the same numbers
 * in a table that the keyboard walks.
 *
 * A click on a month's bar, or activating its row (Enter, or a double
 * click), emits "month-activated" with the month and currency, which the
 * window uses to filter the portfolio to that month. The numbers are
 * om_repository_get_pipeline()'s, the command line's --pipeline: asked
 * again on om_pipeline_view_refresh().
 */

/* A row of the table: one month of the currency shown */

#define OM_TYPE_PIPELINE_MONTH (om_pipeline_month_get_type ())
G_DECLARE_FINAL_TYPE (OmPipelineMonth, om_pipeline_month, OM, PIPELINE_MONTH, GObject)

struct _OmPipelineMonth
{
  GObject        parent_instance;

  OmPipelineRow *row;
};

G_DEFINE_FINAL_TYPE (OmPipelineMonth, om_pipeline_month, G_TYPE_OBJECT)

static void
om_pipeline_month_finalize (GObject *object)
{
  g_clear_pointer (&OM_PIPELINE_MONTH (object)->row, om_pipeline_row_free);
  G_OBJECT_CLASS (om_pipeline_month_parent_class)->finalize (object);
}

static void
om_pipeline_month_class_init (OmPipelineMonthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = om_pipeline_month_finalize;
}

static void
om_pipeline_month_init (OmPipelineMonth *self)
{
}

static OmPipelineMonth *
om_pipeline_month_new (const OmPipelineRow *row)
{
  OmPipelineMonth *self = g_object_new (OM_TYPE_PIPELINE_MONTH, NULL);

  self->row = om_pipeline_row_copy (row);
  return self;
}

/* The view */

typedef enum
{
  COLUMN_MONTH,
  COLUMN_COUNT,
  COLUMN_VALUE,
  COLUMN_WEIGHTED,
  N_COLUMNS
} Column;

struct _OmPipelineView
{
  GtkWidget          parent_instance;

  OmRepository      *repository;
  GPtrArray         *rows;        /* OmPipelineRow, every currency */
  char              *currency;    /* the one shown, or NULL */

  GtkWidget         *header;
  GtkWidget         *currency_label;
  GtkDropDown       *currencies;
  GtkStringList     *currency_list;
  OmPipelineChart   *chart;
  GtkWidget         *scroller;
  GtkColumnView     *table;
  GListStore        *months;      /* OmPipelineMonth, of the currency shown */
  GtkSingleSelection *selection;
  GtkLabel          *empty;
  gboolean           updating;
};

G_DEFINE_FINAL_TYPE (OmPipelineView, om_pipeline_view, GTK_TYPE_WIDGET)

enum {
  MONTH_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define SPACING         12
#define TABLE_STACKED   150  /* the table's height under the chart */
#define CHART_BESIDE    320  /* the narrowest chart beside the table */

/* The table */

static char *
cell_text (const OmPipelineRow *row,
           Column               column)
{
  switch (column)
    {
    case COLUMN_MONTH:
      return om_pipeline_month_name (row->year, row->month);
    case COLUMN_COUNT:
      return g_strdup_printf ("%u", row->n);
    case COLUMN_VALUE:
      return om_money_format (row->value, row->currency);
    case COLUMN_WEIGHTED:
    default:
      return om_money_format (row->weighted, row->currency);
    }
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  Column column = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);

  /* numbers to the right, so that their digits line up */
  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_MONTH ? 0 : 1);
  if (column != COLUMN_MONTH)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  OmPipelineMonth *month = gtk_list_item_get_item (item);
  g_autofree char *text = cell_text (month->row, GPOINTER_TO_INT (data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
add_column (OmPipelineView *self,
            const char     *title,
            Column          column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, column == COLUMN_MONTH);
  gtk_column_view_append_column (self->table, view_column);
}

static OmPipelineMonth *
month_at (OmPipelineView *self,
          guint           position)
{
  OmPipelineMonth *month = g_list_model_get_item (G_LIST_MODEL (self->months), position);

  /* the store keeps it */
  if (month != NULL)
    g_object_unref (month);
  return month;
}

static void
emit_month (OmPipelineView *self,
            guint           position)
{
  OmPipelineMonth *month = month_at (self, position);

  if (month == NULL || self->currency == NULL)
    return;
  g_signal_emit (self, signals[MONTH_ACTIVATED], 0, month->row->year, month->row->month, self->currency);
}

static void
row_activated_cb (GtkColumnView  *table,
                  guint           position,
                  OmPipelineView *self)
{
  emit_month (self, position);
}

static void
selection_changed_cb (OmPipelineView *self)
{
  OmPipelineMonth *month = gtk_single_selection_get_selected_item (self->selection);

  if (month != NULL)
    om_pipeline_chart_set_highlighted (self->chart, month->row->year, month->row->month);
  else
    om_pipeline_chart_set_highlighted (self->chart, 0, 0);
}

/* GtkColumnView (GTK 4.8) has no call to scroll to a row: its list's
 * own action does it */
static void
scroll_to (OmPipelineView *self,
           guint           position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->table));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static void
month_clicked_cb (OmPipelineChart *chart,
                  int              year,
                  int              month,
                  OmPipelineView  *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->months));

  for (guint i = 0; i < n; i++)
    {
      OmPipelineMonth *item = month_at (self, i);

      if (item->row->year == year && item->row->month == month)
        {
          gtk_single_selection_set_selected (self->selection, i);
          scroll_to (self, i);
          emit_month (self, i);
          return;
        }
    }
}

/* What is shown */

static void
show_currency (OmPipelineView *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean empty = self->currency == NULL;

  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      const OmPipelineRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (row->currency, self->currency) == 0)
        g_ptr_array_add (items, om_pipeline_month_new (row));
    }
  g_list_store_splice (self->months, 0, g_list_model_get_n_items (G_LIST_MODEL (self->months)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  om_pipeline_chart_set_rows (self->chart, self->rows, self->currency);

  if (self->currency != NULL)
    {
      /* Translators: the pipeline table's accessible name; %s is a currency code */
      g_autofree char *label = g_strdup_printf (_("Pipeline in %s, month by month"), self->currency);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->table), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->currencies), !empty);
  gtk_widget_set_visible (self->currency_label, !empty);
  gtk_widget_set_visible (GTK_WIDGET (self->chart), !empty);
  gtk_widget_set_visible (self->scroller, !empty);
  gtk_widget_set_visible (GTK_WIDGET (self->empty), empty);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
currency_selected_cb (OmPipelineView *self)
{
  guint position = gtk_drop_down_get_selected (self->currencies);

  if (self->updating || position == GTK_INVALID_LIST_POSITION)
    return;
  g_free (self->currency);
  self->currency = g_strdup (gtk_string_list_get_string (self->currency_list, position));
  show_currency (self);
}

/* Layout: the table beside the chart when both fit, under it otherwise */

static gboolean
is_beside (OmPipelineView *self,
           int             width)
{
  int table_natural = 0;

  gtk_widget_measure (self->scroller, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &table_natural, NULL, NULL);
  return width >= table_natural + SPACING + CHART_BESIDE;
}

static int
height_of (GtkWidget *child,
           int        width)
{
  int height = 0;

  if (!gtk_widget_should_layout (child))
    return 0;
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  return height;
}

static int
content_height (OmPipelineView *self,
                int             width)
{
  if (gtk_widget_should_layout (GTK_WIDGET (self->empty)))
    return height_of (GTK_WIDGET (self->empty), width);
  if (is_beside (self, width))
    return (int) OM_PIPELINE_CHART_HEIGHT;
  return (int) OM_PIPELINE_CHART_HEIGHT + SPACING + TABLE_STACKED;
}

static void
om_pipeline_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  OmPipelineView *self = OM_PIPELINE_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int min = 0, nat = 0, chart_nat = 0, table_nat = 0;

      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        {
          int child_min = 0, child_nat = 0;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
          min = MAX (min, child_min);
          nat = MAX (nat, child_nat);
          if (child == GTK_WIDGET (self->chart))
            chart_nat = child_nat;
          else if (child == self->scroller)
            table_nat = child_nat;
        }
      if (chart_nat > 0 && table_nat > 0)
        nat = MAX (nat, chart_nat + SPACING + table_nat);
      *minimum = min;
      *natural = nat;
    }
  else
    {
      int width = for_size;
      int height;

      if (width < 0)
        gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
      height = height_of (self->header, width) + SPACING + content_height (self, width);
      *minimum = *natural = height;
    }
}

static GtkSizeRequestMode
om_pipeline_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
allocate (GtkWidget *child,
          int        x,
          int        y,
          int        width,
          int        height)
{
  if (gtk_widget_should_layout (child))
    gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, MAX (width, 0), MAX (height, 0) }, -1);
}

static void
om_pipeline_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  OmPipelineView *self = OM_PIPELINE_VIEW (widget);
  int header = height_of (self->header, width);
  int y = header + SPACING;
  int chart_h = (int) OM_PIPELINE_CHART_HEIGHT;

  allocate (self->header, 0, 0, width, header);
  allocate (GTK_WIDGET (self->empty), 0, y, width, height - y);
  if (is_beside (self, width))
    {
      int table_min = 0, table_nat = 0, table_w;

      gtk_widget_measure (self->scroller, GTK_ORIENTATION_HORIZONTAL, -1, &table_min, &table_nat, NULL, NULL);
      table_w = MAX (table_min, MIN (table_nat, width - CHART_BESIDE - SPACING));
      allocate (GTK_WIDGET (self->chart), 0, y, width - table_w - SPACING, chart_h);
      allocate (self->scroller, width - table_w, y, table_w, MAX (chart_h, height - y));
    }
  else
    {
      allocate (GTK_WIDGET (self->chart), 0, y, width, chart_h);
      allocate (self->scroller, 0, y + chart_h + SPACING, width, height - y - chart_h - SPACING);
    }
}

/* The keyboard's way in is the table, whose rows it walks */
static gboolean
om_pipeline_view_grab_focus (GtkWidget *widget)
{
  OmPipelineView *self = OM_PIPELINE_VIEW (widget);

  if (!gtk_widget_should_layout (self->scroller))
    return FALSE;
  return gtk_widget_grab_focus (GTK_WIDGET (self->table));
}

/* GObject */

static void
om_pipeline_view_dispose (GObject *object)
{
  OmPipelineView *self = OM_PIPELINE_VIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->repository);
  g_clear_object (&self->months);
  g_clear_object (&self->selection);
  g_clear_object (&self->currency_list);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->currency, g_free);
  G_OBJECT_CLASS (om_pipeline_view_parent_class)->dispose (object);
}

static void
om_pipeline_view_class_init (OmPipelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_pipeline_view_dispose;
  widget_class->measure = om_pipeline_view_measure;
  widget_class->size_allocate = om_pipeline_view_size_allocate;
  widget_class->get_request_mode = om_pipeline_view_get_request_mode;
  widget_class->grab_focus = om_pipeline_view_grab_focus;

  /**
   * OmPipelineView::month-activated:
   * @year: the month's year
   * @month: the month, 1 to 12
   * @currency: the currency shown
   *
   * A month's bar clicked, or its row activated.
   */
  signals[MONTH_ACTIVATED] = g_signal_new ("month-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                           G_TYPE_INT, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "pipelineview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
om_pipeline_view_init (OmPipelineView *self)
{
  GtkWidget *title;

  /* the heading, and the currency shown */
  self->header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  title = gtk_label_new (_("Pipeline by month of close date"));
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_box_append (GTK_BOX (self->header), title);

  self->currency_list = gtk_string_list_new (NULL);
  self->currencies = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->currency_list)), NULL));
  self->currency_label = gtk_label_new_with_mnemonic (_("C_urrency"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->currency_label), GTK_WIDGET (self->currencies));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->currencies), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Currency"), -1);
  /* the tooltip is its description too */
  om_accessible_set_tooltip (GTK_WIDGET (self->currencies),
                             _("The pipeline shows one currency at a time: amounts in two are never added up"));
  gtk_widget_set_valign (GTK_WIDGET (self->currencies), GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->currencies, "notify::selected", G_CALLBACK (currency_selected_cb), self);
  gtk_box_append (GTK_BOX (self->header), self->currency_label);
  gtk_box_append (GTK_BOX (self->header), GTK_WIDGET (self->currencies));
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->chart = OM_PIPELINE_CHART (om_pipeline_chart_new ());
  g_signal_connect (self->chart, "month-clicked", G_CALLBACK (month_clicked_cb), self);
  gtk_widget_set_parent (GTK_WIDGET (self->chart), GTK_WIDGET (self));

  /* the same numbers, which the keyboard walks */
  self->months = g_list_store_new (OM_TYPE_PIPELINE_MONTH);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->months)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  self->table = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_column_view_set_show_column_separators (self->table, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->table), "data-table");
  /* Translators: the pipeline table's columns */
  add_column (self, _("Month"), COLUMN_MONTH);
  add_column (self, _("Opportunities"), COLUMN_COUNT);
  add_column (self, _("Value"), COLUMN_VALUE);
  add_column (self, _("Weighted value"), COLUMN_WEIGHTED);
  g_signal_connect (self->table, "activate", G_CALLBACK (row_activated_cb), self);

  self->scroller = gtk_scrolled_window_new ();
  /* never cut sideways: the table is as wide as its numbers */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->table));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  self->empty = GTK_LABEL (gtk_label_new (_("No open opportunities with a close date")));
  gtk_label_set_wrap (self->empty, TRUE);
  gtk_label_set_justify (self->empty, GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->empty), "dim-label");
  gtk_widget_set_parent (GTK_WIDGET (self->empty), GTK_WIDGET (self));

  show_currency (self);
}

/**
 * om_pipeline_view_new:
 *
 * Returns: a pipeline view with no repository: empty until one is set
 */
GtkWidget *
om_pipeline_view_new (void)
{
  return g_object_new (OM_TYPE_PIPELINE_VIEW, NULL);
}

/**
 * om_pipeline_view_set_repository:
 * @repository: (nullable): whose open opportunities to show
 *
 * Shows @repository's pipeline, asked at once.
 */
void
om_pipeline_view_set_repository (OmPipelineView *self,
                                 OmRepository   *repository)
{
  g_return_if_fail (OM_IS_PIPELINE_VIEW (self));
  g_return_if_fail (repository == NULL || OM_IS_REPOSITORY (repository));

  if (g_set_object (&self->repository, repository))
    om_pipeline_view_refresh (self);
}

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * om_pipeline_view_refresh:
 *
 * Asks the repository for the pipeline again and shows it, in the same
 * currency as before while it still has open opportunities.
 */
void
om_pipeline_view_refresh (OmPipelineView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) currencies = g_ptr_array_new ();
  g_autofree char *previous = NULL;
  guint selected = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (OM_IS_PIPELINE_VIEW (self));

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  if (self->repository != NULL)
    self->rows = om_repository_get_pipeline (self->repository, &error);

  if (error != NULL)
    {
      /* Translators: %s says why the database could not be read */
      g_autofree char *message = g_strdup_printf (_("The pipeline could not be read: %s"), error->message);

      gtk_label_set_text (self->empty, message);
    }
  else
    gtk_label_set_text (self->empty, _("No open opportunities with a close date"));

  /* its currencies, in alphabetical order */
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      const OmPipelineRow *row = g_ptr_array_index (self->rows, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < currencies->len && !seen; j++)
        seen = g_strcmp0 (g_ptr_array_index (currencies, j), row->currency) == 0;
      if (!seen)
        g_ptr_array_add (currencies, row->currency);
    }
  g_ptr_array_sort (currencies, compare_codes);
  g_ptr_array_add (currencies, NULL);

  previous = g_steal_pointer (&self->currency);
  for (guint j = 0; j + 1 < currencies->len; j++)
    if (g_strcmp0 (g_ptr_array_index (currencies, j), previous) == 0)
      selected = j;
  if (selected == GTK_INVALID_LIST_POSITION && currencies->len > 1)
    selected = 0;
  if (selected != GTK_INVALID_LIST_POSITION)
    self->currency = g_strdup (g_ptr_array_index (currencies, selected));

  self->updating = TRUE;
  gtk_string_list_splice (self->currency_list, 0, g_list_model_get_n_items (G_LIST_MODEL (self->currency_list)),
                          (const char * const *) currencies->pdata);
  gtk_drop_down_set_selected (self->currencies, selected);
  self->updating = FALSE;
  show_currency (self);
}

/**
 * om_pipeline_view_get_currency:
 *
 * Returns: (nullable): the currency shown, or %NULL when nothing is
 */
const char *
om_pipeline_view_get_currency (OmPipelineView *self)
{
  g_return_val_if_fail (OM_IS_PIPELINE_VIEW (self), NULL);

  return self->currency;
}

/**
 * om_pipeline_view_set_currency:
 *
 * Shows @currency's months, as choosing it in the drop-down does.
 *
 * Returns: whether the pipeline has open opportunities in @currency
 */
gboolean
om_pipeline_view_set_currency (OmPipelineView *self,
                               const char     *currency)
{
  guint n;

  g_return_val_if_fail (OM_IS_PIPELINE_VIEW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->currency_list));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->currency_list, i), currency) == 0)
      {
        gtk_drop_down_set_selected (self->currencies, i);
        return TRUE;
      }
  return FALSE;
}

/**
 * om_pipeline_view_get_chart:
 *
 * Returns: (transfer none): the bar chart
 */
OmPipelineChart *
om_pipeline_view_get_chart (OmPipelineView *self)
{
  g_return_val_if_fail (OM_IS_PIPELINE_VIEW (self), NULL);

  return self->chart;
}

/**
 * om_pipeline_view_get_table:
 *
 * Returns: (transfer none): the table of the same numbers
 */
GtkColumnView *
om_pipeline_view_get_table (OmPipelineView *self)
{
  g_return_val_if_fail (OM_IS_PIPELINE_VIEW (self), NULL);

  return self->table;
}

/**
 * om_pipeline_view_get_currencies:
 *
 * Returns: (transfer none): the currency drop-down
 */
GtkDropDown *
om_pipeline_view_get_currencies (OmPipelineView *self)
{
  g_return_val_if_fail (OM_IS_PIPELINE_VIEW (self), NULL);

  return self->currencies;
}

/**
 * om_pipeline_view_get_empty_label:
 *
 * Returns: (transfer none): what shows when there is nothing to chart
 */
GtkLabel *
om_pipeline_view_get_empty_label (OmPipelineView *self)
{
  g_return_val_if_fail (OM_IS_PIPELINE_VIEW (self), NULL);

  return self->empty;
}

/**
 * om_pipeline_view_get_beside:
 *
 * Returns: whether the table is beside the chart (or under it) at the
 *   view's width
 */
gboolean
om_pipeline_view_get_beside (OmPipelineView *self)
{
  g_return_val_if_fail (OM_IS_PIPELINE_VIEW (self), FALSE);

  return is_beside (self, gtk_widget_get_width (GTK_WIDGET (self)));
}
