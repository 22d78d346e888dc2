/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "om-plan-table.h"
#include "om-style.h"
#include "om-text-cell.h"
#include "om-timeline-layout.h"

/**
 * OmPlanTable:
 *
 * The plan as rows, one per stage in plan order, as project planners lay
 * out a Gantt chart: number and state, activity, milestone, owner,
 * client owner, duration, due date, probability, and a Gantt column on
 * a date axis shared by every row. Each text is edited in its cell
 * (Enter or leaving the cell commits it, Escape gives it up), through the
 * same model operation as the stage editor, with the same refusals and
 * undo. Only the rows in view exist, so a plan of thousands of stages
 * scrolls as one of ten.
 *
 * A pending row is dragged by its number (or its due date or schedule,
 * which have nothing to click) to another place in the plan: a line
 * above or below the row under the pointer shows where it lands, or, in
 * the colour of an error and with the model's reason beside the pointer,
 * why it cannot. The drop is one move, one step to undo.
 */

typedef OmPlanTableColumn Column;

#define COLUMN_NUMBER       OM_PLAN_TABLE_NUMBER
#define COLUMN_ACTIVITY     OM_PLAN_TABLE_ACTIVITY
#define COLUMN_MILESTONE    OM_PLAN_TABLE_MILESTONE
#define COLUMN_OWNER        OM_PLAN_TABLE_OWNER
#define COLUMN_CLIENT_OWNER OM_PLAN_TABLE_CLIENT_OWNER
#define COLUMN_DURATION     OM_PLAN_TABLE_DURATION
#define COLUMN_DUE          OM_PLAN_TABLE_DUE
#define COLUMN_PROBABILITY  OM_PLAN_TABLE_PROBABILITY
#define COLUMN_GANTT        OM_PLAN_TABLE_GANTT
#define N_COLUMNS           (OM_PLAN_TABLE_GANTT + 1)

struct _OmPlanTable
{
  GtkWidget           parent_instance;

  GtkWidget          *scroller;
  GtkColumnView      *view;
  GtkSingleSelection *selection;
  GtkColumnViewColumn *gantt;       /* as wide as the axis */
  OmOpportunity      *opportunity;
  double              px_per_day;
  OmDate              first_date;   /* the Gantt column's axis */
  OmDate              last_date;
  int                 filling;      /* cells showing the model: nothing to commit */
  int                 pending;      /* a row to select once the stages settle */
  guint               select_source;
  double              scroll_to_x;  /* where the view goes once laid out; < 0: stays */
  int                 focus_pending; /* a row to focus once it is in view; -1: none */
  int                 focus_pending_column; /* and its cell to focus, or -1 for the row */
  GtkSliceListModel  *slice;          /* the first rows only, until the first frame is drawn */
  guint               all_rows_source;
  int                 range_anchor;  /* Shift+click or Shift+arrows: where a run of rows starts; -1: none */
  gboolean            extending;     /* the selection moves to extend the run */
  guint               fit_tick;
  guint               pending_source;
  guint               fit_waited;    /* frames without a row in view */

  /* drag and drop of rows */
  int                 drag_from;     /* the dragged stage, or -1 */
  GtkDragSource      *active_drag;   /* weak: the drag in progress */
  GtkWidget          *dragged_row;   /* weak: shown as moving */
  GtkWidget          *marked_row;    /* weak: shows the insertion line */
  int                 insertion;     /* a drop goes before this stage; -1: none */
  gboolean            drop_allowed;
  char               *drop_reason;   /* why not, when not */
  GtkWidget          *reason_label;  /* says it beside the pointer */
  double              pointer_x;     /* in the view, for the label and autoscroll */
  double              pointer_y;
  double              autoscroll_speed;
  guint               autoscroll_id;
  GtkEventController *escape;        /* on the window while a drag lasts */
};

G_DEFINE_FINAL_TYPE (OmPlanTable, om_plan_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

enum {
  REFUSED,
  RANGE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define GANTT_HEIGHT 26.0
#define GANTT_MARGIN 12.0
#define AUTOSCROLL_EDGE 32.0
#define STAGE_KEY "om-stage"
#define TABLE_KEY "om-plan-table"
#define COLUMN_KEY "om-column"

/* The Gantt column's cells */

#define OM_TYPE_GANTT_CELL (om_gantt_cell_get_type ())
G_DECLARE_FINAL_TYPE (OmGanttCell, om_gantt_cell, OM, GANTT_CELL, GtkWidget)

struct _OmGanttCell
{
  GtkWidget    parent_instance;
  OmPlanTable *table;   /* weak: the table owns its cells */
  OmStage     *stage;
};

G_DEFINE_FINAL_TYPE (OmGanttCell, om_gantt_cell, GTK_TYPE_WIDGET)

/* The zoom, kept where the axis spans at most what the timeline may
 * (%OM_TIMELINE_MAX_EXTENT pixels) */
static double
px_per_day (OmPlanTable *table)
{
  double days = MAX (1.0, (double) table->last_date - (double) table->first_date);

  return MIN (table->px_per_day, OM_TIMELINE_MAX_EXTENT / days);
}

static double
date_x (OmPlanTable *table,
        OmDate       date)
{
  return GANTT_MARGIN + ((double) date - (double) table->first_date) * px_per_day (table);
}

static double
axis_width (OmPlanTable *table)
{
  if (table->last_date <= table->first_date)
    return 2 * GANTT_MARGIN;
  return date_x (table, table->last_date) + GANTT_MARGIN;
}

static void
om_gantt_cell_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    /* the column is as wide as the axis (size_gantt()): a width of the
     * cell's own would be measured once, and outlive a zoom */
    *minimum = *natural = 0;
  else
    *minimum = *natural = (int) GANTT_HEIGHT;
}

/*
 * Colour nodes only, no cairo: a row of a plan that spans years at a
 * close zoom is hundreds of thousands of pixels wide, which no texture
 * holds; these nodes cost nothing where they are not in view.
 */
static void
om_gantt_cell_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  OmGanttCell *self = OM_GANTT_CELL (widget);
  OmPlanTable *table = self->table;
  OmTimelinePalette palette;
  OmStageStatus status;
  OmDate start, due, today, target, baseline;
  double height = gtk_widget_get_height (widget);
  double cy = height / 2;
  double x0, x1;
  const OmRgba *color;
  OmRgba tint;

  if (table == NULL || self->stage == NULL || table->opportunity == NULL)
    return;

  om_timeline_palette_init_for_widget (&palette, widget);
  status = om_stage_get_status (self->stage);
  start = om_stage_get_start_date (self->stage);
  due = om_stage_get_due_date (self->stage);
  today = om_date_today ();
  target = om_opportunity_get_target_date (table->opportunity);
  baseline = om_stage_get_baseline_due (self->stage);

  if (status == OM_STAGE_STATUS_WON)
    color = &palette.won;
  else if (status == OM_STAGE_STATUS_LOST)
    color = &palette.lost;
  else if (om_stage_get_overdue (self->stage))
    color = &palette.overdue;
  else if (om_stage_get_current (self->stage))
    color = &palette.current;
  else
    color = &palette.pending;

  /* the client's deadline and today, as on the timeline */
  if (target != 0 && target >= table->first_date && target <= table->last_date)
    om_snapshot_rect (snapshot, &palette.dim, floor (date_x (table, target)), 0, 1, height);
  if (today >= table->first_date && today <= table->last_date)
    om_snapshot_rect (snapshot, &palette.today, floor (date_x (table, today)) - 1, 0, 2, height);

  /* the activity: from the previous milestone to its own */
  x0 = date_x (table, MIN (start, due));
  x1 = date_x (table, due);
  tint = *color;
  tint.alpha = status == OM_STAGE_STATUS_WON ? 1.0f : 0.25f;
  if (x1 - x0 >= 1)
    {
      om_snapshot_rect (snapshot, &tint, x0, cy - 6, x1 - x0, 12);
      if (status != OM_STAGE_STATUS_WON)
        om_snapshot_outline (snapshot, color, x0, cy - 6, x1 - x0, 12, 1);
    }

  /* where the plan of record had the milestone: a faint ghost */
  if (baseline != 0 && baseline != due)
    {
      OmRgba ghost = palette.foreground;

      ghost.alpha = 0.4f;
      om_snapshot_diamond (snapshot, date_x (table, baseline), cy, 5, NULL, &ghost, 1);
    }

  /* the milestone; agreed with the client: a second outline */
  if (status == OM_STAGE_STATUS_PENDING && om_stage_get_agreed_on (self->stage) != 0)
    om_snapshot_diamond (snapshot, x1, cy, 11, NULL, color, 1.5);
  om_snapshot_diamond (snapshot, x1, cy, 7, status == OM_STAGE_STATUS_PENDING ? &palette.background : color, color, 2);
}

static void
om_gantt_cell_dispose (GObject *object)
{
  OmGanttCell *self = OM_GANTT_CELL (object);

  g_clear_weak_pointer (&self->table);
  g_clear_object (&self->stage);
  G_OBJECT_CLASS (om_gantt_cell_parent_class)->dispose (object);
}

static void
om_gantt_cell_class_init (OmGanttCellClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = om_gantt_cell_dispose;
  widget_class->measure = om_gantt_cell_measure;
  widget_class->snapshot = om_gantt_cell_snapshot;
  gtk_widget_class_set_css_name (widget_class, "ganttcell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
om_gantt_cell_init (OmGanttCell *self)
{
}

/* Cells */

static const char *
column_title (Column column)
{
  switch (column)
    {
    /* Translators: column headers of the plan table */
    case COLUMN_NUMBER: return C_("plan table", "Stage");
    case COLUMN_ACTIVITY: return C_("plan table", "Activity");
    case COLUMN_MILESTONE: return C_("plan table", "Milestone");
    case COLUMN_OWNER: return C_("plan table", "Our side");
    case COLUMN_CLIENT_OWNER: return C_("plan table", "Client side");
    case COLUMN_DURATION: return C_("plan table", "Days");
    case COLUMN_DUE: return C_("plan table", "Due");
    case COLUMN_PROBABILITY: return C_("plan table", "Chance");
    case COLUMN_GANTT: default: return C_("plan table", "Schedule");
    }
}

/* What a cell of @column shows of @stage */
static char *
cell_text (OmStage *stage,
           Column   column)
{
  switch (column)
    {
    case COLUMN_ACTIVITY: return g_strdup (om_stage_get_activity (stage));
    case COLUMN_MILESTONE: return g_strdup (om_stage_get_milestone (stage));
    case COLUMN_OWNER: return g_strdup (om_stage_get_owner (stage));
    case COLUMN_CLIENT_OWNER: return g_strdup (om_stage_get_client_owner (stage));
    case COLUMN_DURATION: return g_strdup_printf ("%u", om_stage_get_duration_days (stage));
    case COLUMN_PROBABILITY:
      /* Translators: a probability in the plan table */
      return g_strdup_printf (_("%.0f %%"), round (om_stage_get_probability (stage) * 100.0));
    case COLUMN_DUE:
      {
        g_autofree char *due = om_date_format (om_stage_get_due_date (stage));

        if (om_stage_get_status (stage) == OM_STAGE_STATUS_WON)
          /* Translators: the due column of a won stage: the day it was won */
          return g_strdup_printf (_("%s, won"), due);
        if (om_stage_get_status (stage) == OM_STAGE_STATUS_LOST)
          return g_strdup_printf (_("%s, lost"), due);
        if (om_stage_get_agreed_on (stage) != 0)
          /* Translators: the due column of a stage whose date the client agreed */
          return g_strdup_printf (_("%s, agreed"), due);
        return g_strdup (due);
      }
    case COLUMN_NUMBER:
    case COLUMN_GANTT:
    default:
      return g_strdup_printf ("%u", om_stage_get_position (stage) + 1);
    }
}

static const char *
state_icon (OmStage *stage)
{
  switch (om_stage_get_status (stage))
    {
    case OM_STAGE_STATUS_WON: return "object-select-symbolic";
    case OM_STAGE_STATUS_LOST: return "process-stop-symbolic";
    case OM_STAGE_STATUS_PENDING:
    default:
      if (om_stage_get_overdue (stage) || om_stage_get_conflict (stage))
        return "dialog-warning-symbolic";
      if (om_stage_get_current (stage))
        return "media-record-symbolic";
      return NULL;
    }
}

/* The stage read out in one sentence, as the timeline reads it */
static char *
describe_stage (OmPlanTable *self,
                OmStage     *stage)
{
  g_autofree char *due = om_date_format (om_stage_get_due_date (stage));
  guint n = om_opportunity_get_n_stages (self->opportunity);
  const char *state;

  switch (om_stage_get_status (stage))
    {
    case OM_STAGE_STATUS_WON: state = _("Won"); break;
    case OM_STAGE_STATUS_LOST: state = _("Lost"); break;
    case OM_STAGE_STATUS_PENDING:
    default:
      if (om_stage_get_overdue (stage))
        state = om_stage_get_current (stage) ? _("Current, overdue") : _("Pending, overdue");
      else
        state = om_stage_get_current (stage) ? _("Current") : _("Pending");
      break;
    }
  if (om_stage_get_status (stage) == OM_STAGE_STATUS_PENDING && om_stage_get_agreed_on (stage) != 0)
    return g_strdup_printf (_("Stage %u of %u: %s. Milestone: %s. %s, agreed with the client for %s."),
                            om_stage_get_position (stage) + 1, n, om_stage_get_activity (stage),
                            om_stage_get_milestone (stage), state, due);
  if (om_stage_get_status (stage) == OM_STAGE_STATUS_PENDING)
    return g_strdup_printf (_("Stage %u of %u: %s. Milestone: %s. %s, due %s."),
                            om_stage_get_position (stage) + 1, n, om_stage_get_activity (stage),
                            om_stage_get_milestone (stage), state, due);
  return g_strdup_printf (_("Stage %u of %u: %s. Milestone: %s. %s on %s."),
                          om_stage_get_position (stage) + 1, n, om_stage_get_activity (stage),
                          om_stage_get_milestone (stage), state, due);
}

static void focus_cell (OmPlanTable *self,
                        guint        position,
                        int          column);
static GtkWidget *row_at (OmPlanTable *self,
                          guint        position);

/* A long plan opens on its first rows: GTK 4.8's lists make a widget
 * for each of the first two hundred rows before they draw, which is
 * what made a long plan slow to show. The first frame gets as many as
 * the scroller can show at its tallest; the rest joins once the first
 * frame is drawn, or as soon as something asks for a row after them. */
#define MAX_HEIGHT 420     /* the table's scroller: no taller, however long the plan */
#define ROW_MIN_HEIGHT 24  /* one line of text: no row is shorter */
#define FIRST_ROWS (MAX_HEIGHT / ROW_MIN_HEIGHT + 2)

static void
show_all_rows (OmPlanTable *self)
{
  g_clear_handle_id (&self->all_rows_source, g_source_remove);
  if (gtk_slice_list_model_get_size (self->slice) != G_MAXUINT)
    gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
}

static gboolean
all_rows_cb (gpointer data)
{
  OmPlanTable *self = data;

  self->all_rows_source = 0;
  show_all_rows (self);
  return G_SOURCE_REMOVE;
}

/* The first rows are on screen: the rest, when nothing else waits */
static void
first_rows_painted_cb (GdkFrameClock *clock,
                       OmPlanTable   *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_rows_painted_cb, self);
  if (gtk_slice_list_model_get_size (self->slice) != G_MAXUINT && self->all_rows_source == 0)
    self->all_rows_source = g_idle_add_full (G_PRIORITY_LOW, all_rows_cb, self, NULL);
}

static void
wait_for_first_rows (OmPlanTable *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (first_rows_painted_cb), self, 0);
  else
    /* not on screen yet: once it is */
    g_signal_connect (self, "map", G_CALLBACK (wait_for_first_rows), NULL);
}

/* Row @position is there to select or to focus */
static void
ensure_row (OmPlanTable *self,
            guint        position)
{
  if (position >= gtk_slice_list_model_get_size (self->slice))
    show_all_rows (self);
}

/* Shows the model's values in @cell */
static void
show_cell (GtkWidget *cell)
{
  OmPlanTable *self = g_object_get_data (G_OBJECT (cell), TABLE_KEY);
  OmStage *stage = g_object_get_data (G_OBJECT (cell), STAGE_KEY);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), COLUMN_KEY));
  g_autofree char *text = NULL;

  if (self == NULL || stage == NULL || self->opportunity == NULL)
    return;

  text = cell_text (stage, column);
  if (text == NULL)
    text = g_strdup ("");
  self->filling++;
  if (column == COLUMN_GANTT)
    {
      g_autofree char *said = describe_stage (self, stage);

      gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, said, -1);
      gtk_widget_queue_draw (cell);
    }
  else if (column == COLUMN_NUMBER)
    {
      GtkWidget *label = gtk_widget_get_last_child (cell);
      GtkWidget *icon = gtk_widget_get_prev_sibling (label);
      const char *name = state_icon (stage);
      g_autofree char *said = describe_stage (self, stage);

      gtk_label_set_text (GTK_LABEL (label), text);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), name);
      gtk_widget_set_opacity (icon, name != NULL ? 1 : 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, said, -1);
    }
  else if (OM_IS_TEXT_CELL (cell))
    om_text_cell_set_text (OM_TEXT_CELL (cell), text);
  else
    gtk_label_set_text (GTK_LABEL (cell), text);
  self->filling--;
}

/* A cell's tooltip: the stage, for its handle; the text in full where
 * the column is too narrow for it. Worked out when the pointer rests on
 * the cell, not for every row shown (a long plan shows two hundred) */
static gboolean
cell_query_tooltip_cb (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip)
{
  OmPlanTable *self = g_object_get_data (G_OBJECT (cell), TABLE_KEY);
  OmStage *stage = g_object_get_data (G_OBJECT (cell), STAGE_KEY);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), COLUMN_KEY));
  g_autofree char *text = NULL;

  if (self == NULL || stage == NULL || self->opportunity == NULL)
    return FALSE;
  if (column == COLUMN_NUMBER)
    text = describe_stage (self, stage);
  else
    text = cell_text (stage, column);
  if (text == NULL || *text == '\0')
    return FALSE;
  if (g_utf8_strlen (text, -1) > OM_TEXT_LONG_WORD_CHARS && OM_IS_TEXT_CELL (cell))
    {
      g_autofree char *line = om_text_excerpt (text);
      gtk_tooltip_set_text (tooltip, line);
    }
  else
    gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
stage_notify_cb (OmStage    *stage,
                 GParamSpec *pspec,
                 GtkWidget  *cell)
{
  show_cell (cell);
}

/* Reads what was typed into @edited's field of @column */
static gboolean
take_text (OmStageData *edited,
           Column       column,
           const char  *text,
           GError     **error)
{
  g_autofree char *trimmed = om_strdup_trimmed (text);

  char **field = NULL;

  switch (column)
    {
    case COLUMN_ACTIVITY: field = &edited->activity; break;
    case COLUMN_MILESTONE: field = &edited->milestone; break;
    case COLUMN_OWNER: field = &edited->owner; break;
    case COLUMN_CLIENT_OWNER: field = &edited->client_owner; break;
    default: break;
    }
  if (field != NULL)
    {
      g_free (*field);
      *field = g_steal_pointer (&trimmed);
      return TRUE;
    }

  switch (column)
    {
    case COLUMN_DURATION:
      {
        guint64 days;

        if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT, &days, NULL))
          {
            g_autofree char *shown = om_text_excerpt (trimmed);
            g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_DURATION,
                         _("“%s” is not a number of days: type a whole number, such as 14."), shown);
            return FALSE;
          }
        edited->duration_days = (guint) days;
        return TRUE;
      }
    case COLUMN_PROBABILITY:
      {
        g_autofree char *number = g_strdup (trimmed);
        char *end = NULL;
        double percent;

        g_strdelimit (number, "%", ' ');
        g_strstrip (number);
        g_strdelimit (number, ",", '.');
        percent = g_ascii_strtod (number, &end);
        if (*number == '\0' || end == NULL || *end != '\0' || !isfinite (percent))
          {
            g_autofree char *shown = om_text_excerpt (trimmed);
            g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_PROBABILITY,
                         _("“%s” is not a chance: type a percentage from 0 to 100, such as 80."), shown);
            return FALSE;
          }
        edited->probability = percent / 100.0;
        return TRUE;
      }
    case COLUMN_NUMBER:
    case COLUMN_DUE:
    case COLUMN_GANTT:
    default:
      g_assert_not_reached ();
    }
}

/* One path for every cell: the stage as it is, with the cell's field
 * as typed, handed to the model; a refusal puts the model's value back
 * and says why */
static void
commit_cell (GtkWidget *cell)
{
  OmPlanTable *self = g_object_get_data (G_OBJECT (cell), TABLE_KEY);
  OmStage *stage = g_object_get_data (G_OBJECT (cell), STAGE_KEY);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), COLUMN_KEY));
  g_autoptr(OmStageData) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  const char *typed;

  if (self == NULL || stage == NULL || self->opportunity == NULL || self->filling > 0)
    return;

  typed = om_text_cell_get_text (OM_TEXT_CELL (cell));
  shown = cell_text (stage, column);
  if (g_strcmp0 (typed, shown) == 0)
    return;

  edited = om_stage_data_copy (om_stage_get_data (stage));
  if (!take_text (edited, column, typed, &error) ||
      (om_stage_data_equal (edited, om_stage_get_data (stage)) ? FALSE
       : !om_opportunity_edit_stage (self->opportunity, om_stage_get_position (stage), edited, &error)))
    {
      show_cell (cell);
      /* the cell still edited shows the model's value too */
      om_text_cell_revert (OM_TEXT_CELL (cell));
      if (error != NULL)
        g_signal_emit (self, signals[REFUSED], 0, error->message);
      return;
    }
  /* as the model keeps it: trimmed, "80" as "80 %" */
  show_cell (cell);
  om_text_cell_revert (OM_TEXT_CELL (cell));
}

/* Enter, or the keyboard leaving the cell */
static void
cell_commit_cb (OmTextCell *cell)
{
  commit_cell (GTK_WIDGET (cell));
}

static gboolean
cell_key_pressed_cb (OmTextCell      *cell,
                     guint            keyval,
                     GdkModifierType  state)
{
  OmStage *stage = g_object_get_data (G_OBJECT (cell), STAGE_KEY);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), COLUMN_KEY));

  if (stage == NULL)
    return GDK_EVENT_PROPAGATE;
  /* Tab from a row's last cell goes on to the next row's first, and
   * Shift+Tab back, as in a spreadsheet: a plan is typed in one go */
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0 &&
      ((keyval == GDK_KEY_Tab && column == COLUMN_PROBABILITY) ||
       (keyval == GDK_KEY_ISO_Left_Tab && column == COLUMN_ACTIVITY)))
    {
      OmPlanTable *self = g_object_get_data (G_OBJECT (cell), TABLE_KEY);
      guint position = om_stage_get_position (stage);
      gboolean forward = keyval == GDK_KEY_Tab;

      if (self == NULL || self->opportunity == NULL ||
          (forward ? position + 1 >= om_opportunity_get_n_stages (self->opportunity) : position == 0))
        return GDK_EVENT_PROPAGATE;
      focus_cell (self, forward ? position + 1 : position - 1,
                  forward ? COLUMN_ACTIVITY : COLUMN_PROBABILITY);
      return GDK_EVENT_STOP;
    }
  /* Escape is the cell's own: it gives up what was typed */
  return GDK_EVENT_PROPAGATE;
}

/* Reordering rows by drag and drop */

/* The row @widget is in: what spans the table's width, and what the
 * insertion line is drawn on */
static GtkWidget *
row_of (OmPlanTable *self,
        GtkWidget   *widget)
{
  for (GtkWidget *w = widget; w != NULL && w != GTK_WIDGET (self->view); w = gtk_widget_get_parent (w))
    if (g_strcmp0 (gtk_widget_get_css_name (w), "row") == 0)
      return w;
  return NULL;
}

/* A cell showing a stage at most @depth levels below @widget */
/* A cell of a stage at most @depth levels under @widget; with @shown,
 * only one that is mapped and laid out */
static GtkWidget *
stage_cell_below (GtkWidget *widget,
                  int        depth,
                  gboolean   shown)
{
  if (shown && !gtk_widget_get_mapped (widget))
    return NULL;
  if (g_object_get_data (G_OBJECT (widget), STAGE_KEY) != NULL && (!shown || gtk_widget_get_width (widget) > 0))
    return widget;
  if (depth == 0)
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = stage_cell_below (child, depth - 1, shown);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The cell of a stage at (@x, @y) of the view, whichever column: the
 * point may be in a cell's padding, where only the row is */
static GtkWidget *
stage_cell_at (OmPlanTable *self,
               double       x,
               double       y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->view), x, y, GTK_PICK_INSENSITIVE | GTK_PICK_NON_TARGETABLE);

  for (GtkWidget *w = picked; w != NULL && w != GTK_WIDGET (self->view); w = gtk_widget_get_parent (w))
    {
      if (g_object_get_data (G_OBJECT (w), STAGE_KEY) != NULL)
        return w;
      if (g_strcmp0 (gtk_widget_get_css_name (w), "row") == 0)
        return stage_cell_below (w, 2, FALSE);
    }
  return NULL;
}

static void
set_row_marker (GtkWidget  *row,
                const char *where,
                gboolean    refused)
{
  if (row == NULL)
    return;
  if (g_strcmp0 (where, "drop-above") == 0)
    gtk_widget_add_css_class (row, "drop-above");
  else
    gtk_widget_remove_css_class (row, "drop-above");
  if (g_strcmp0 (where, "drop-below") == 0)
    gtk_widget_add_css_class (row, "drop-below");
  else
    gtk_widget_remove_css_class (row, "drop-below");
  if (where != NULL && refused)
    gtk_widget_add_css_class (row, "drop-refused");
  else
    gtk_widget_remove_css_class (row, "drop-refused");
}

static void
stop_autoscroll (OmPlanTable *self)
{
  self->autoscroll_speed = 0;
  g_clear_handle_id (&self->autoscroll_id, g_source_remove);
}

static void
clear_marker (OmPlanTable *self)
{
  set_row_marker (self->marked_row, NULL, FALSE);
  g_clear_weak_pointer (&self->marked_row);
  self->insertion = -1;
  self->drop_allowed = FALSE;
  g_clear_pointer (&self->drop_reason, g_free);
  gtk_widget_set_visible (self->reason_label, FALSE);
  stop_autoscroll (self);
}

/* The place in the plan a stage moved from @from before stage
 * @insertion takes */
static int
target_position (int from,
                 int insertion)
{
  return insertion > from ? insertion - 1 : insertion;
}

/* Where a drop at (@x, @y) of the view would land, whether the model
 * allows it, and the line or the reason that say so */
static void
update_marker (OmPlanTable *self,
               double       x,
               double       y)
{
  g_autoptr(GError) error = NULL;
  guint n = self->opportunity != NULL ? om_opportunity_get_n_stages (self->opportunity) : 0;
  GtkWidget *cell = stage_cell_at (self, x, y);
  GtkWidget *row = NULL;
  const char *where = NULL;
  int insertion = -1;

  self->pointer_x = x;
  self->pointer_y = y;
  if (cell != NULL && (row = row_of (self, cell)) != NULL)
    {
      OmStage *stage = g_object_get_data (G_OBJECT (cell), STAGE_KEY);
      graphene_point_t in_row;

      if (!gtk_widget_compute_point (GTK_WIDGET (self->view), row, &GRAPHENE_POINT_INIT ((float) x, (float) y), &in_row))
        in_row.y = 0;
      /* the upper half of a row: before its stage; the lower: after */
      insertion = (int) om_stage_get_position (stage) + (in_row.y >= gtk_widget_get_height (row) / 2.0 ? 1 : 0);
      where = insertion == (int) om_stage_get_position (stage) ? "drop-above" : "drop-below";
    }
  else if (n > 0 && (cell = om_plan_table_get_cell (self, n - 1, COLUMN_NUMBER)) != NULL &&
           (row = row_of (self, cell)) != NULL)
    {
      graphene_point_t in_row;

      /* below the last row: at the end */
      if (gtk_widget_compute_point (GTK_WIDGET (self->view), row, &GRAPHENE_POINT_INIT ((float) x, (float) y), &in_row) &&
          in_row.y >= gtk_widget_get_height (row))
        {
          insertion = (int) n;
          where = "drop-below";
        }
      else
        row = NULL;
    }

  if (row != self->marked_row)
    {
      set_row_marker (self->marked_row, NULL, FALSE);
      g_set_weak_pointer (&self->marked_row, row);
    }
  g_clear_pointer (&self->drop_reason, g_free);
  self->insertion = insertion;
  if (insertion < 0)
    self->drop_allowed = FALSE;
  else
    {
      self->drop_allowed = om_opportunity_can_move_stage (self->opportunity, (guint) self->drag_from,
                                                          (guint) target_position (self->drag_from, insertion), &error);
      if (error != NULL)
        self->drop_reason = g_strdup (error->message);
    }
  set_row_marker (row, where, !self->drop_allowed);

  gtk_widget_set_visible (self->reason_label, self->drop_reason != NULL);
  if (self->drop_reason != NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->reason_label), self->drop_reason);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
}

static gboolean
autoscroll_cb (gpointer user_data)
{
  OmPlanTable *self = user_data;
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));

  if (adj == NULL || self->autoscroll_speed == 0 || self->drag_from < 0)
    {
      self->autoscroll_id = 0;
      self->autoscroll_speed = 0;
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + self->autoscroll_speed);
  /* the pointer stays still while the rows move under it */
  update_marker (self, self->pointer_x, self->pointer_y);
  return G_SOURCE_CONTINUE;
}

/* Near the top or the bottom of the rows in view, the table scrolls by
 * itself, the closer the faster: a stage can go anywhere in a long plan */
static void
update_autoscroll (OmPlanTable *self,
                   double       y)
{
  GtkWidget *list = NULL;
  graphene_point_t in_list;
  double height;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->view)); child; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_css_name (child), "listview") == 0)
      list = child;

  self->autoscroll_speed = 0;
  if (list != NULL &&
      gtk_widget_compute_point (GTK_WIDGET (self->view), list, &GRAPHENE_POINT_INIT (0, (float) y), &in_list))
    {
      height = gtk_widget_get_height (list);
      if (in_list.y < AUTOSCROLL_EDGE)
        self->autoscroll_speed = -(AUTOSCROLL_EDGE - MAX (in_list.y, 0)) / 3;
      else if (in_list.y > height - AUTOSCROLL_EDGE)
        self->autoscroll_speed = (MIN (in_list.y, height) - (height - AUTOSCROLL_EDGE)) / 3;
    }

  if (self->autoscroll_speed != 0 && self->autoscroll_id == 0)
    self->autoscroll_id = g_timeout_add (16, autoscroll_cb, self);
  else if (self->autoscroll_speed == 0)
    g_clear_handle_id (&self->autoscroll_id, g_source_remove);
}

/* Escape gives the drag up wherever the keyboard focus is, where the
 * backend passes keys on during a drag (X11's GDK takes them itself) */
static gboolean
escape_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   OmPlanTable           *self)
{
  if (keyval != GDK_KEY_Escape || self->active_drag == NULL)
    return GDK_EVENT_PROPAGATE;
  /* a drag given up is no refused drop: nothing to explain */
  clear_marker (self);
  gtk_drag_source_drag_cancel (self->active_drag);
  return GDK_EVENT_STOP;
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 OmPlanTable   *self)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  OmStage *stage = g_object_get_data (G_OBJECT (cell), STAGE_KEY);
  g_autoptr(GError) error = NULL;
  guint position;

  if (stage == NULL || self->opportunity == NULL)
    return NULL;

  /* a won stage, or a closed plan, does not move: say so at once */
  position = om_stage_get_position (stage);
  if (!om_opportunity_can_move_stage (self->opportunity, position, position, &error))
    {
      g_signal_emit (self, signals[REFUSED], 0, error->message);
      return NULL;
    }

  self->drag_from = (int) position;
  g_set_weak_pointer (&self->active_drag, source);
  return gdk_content_provider_new_typed (OM_TYPE_STAGE, stage);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               OmPlanTable   *self)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  OmStage *stage = g_object_get_data (G_OBJECT (cell), STAGE_KEY);
  GtkWidget *icon = gtk_drag_icon_get_for_drag (drag);
  GtkWidget *card;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *said = NULL;

  /* the stage itself follows the pointer, on a card in the theme's
   * colours; held by its top left corner, clear of the line */
  said = stage != NULL ? g_strdup_printf ("%u  %s", om_stage_get_position (stage) + 1,
                                          om_stage_get_activity (stage)) : g_strdup ("");
  card = gtk_label_new (said);
  gtk_label_set_ellipsize (GTK_LABEL (card), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (card), 40);
  gtk_widget_add_css_class (card, "drag-card");
  gtk_drag_icon_set_child (GTK_DRAG_ICON (icon), card);
  gdk_drag_set_hotspot (drag, -12, -12);

  /* its place shows it is moving */
  g_set_weak_pointer (&self->dragged_row, row_of (self, cell));
  if (self->dragged_row != NULL)
    gtk_widget_add_css_class (self->dragged_row, "dragged");

  if (root != NULL && self->escape == NULL)
    {
      self->escape = gtk_event_controller_key_new ();
      gtk_event_controller_set_propagation_phase (self->escape, GTK_PHASE_CAPTURE);
      g_signal_connect_object (self->escape, "key-pressed", G_CALLBACK (escape_pressed_cb), self, 0);
      g_object_add_weak_pointer (G_OBJECT (self->escape), (gpointer *) &self->escape);
      gtk_widget_add_controller (GTK_WIDGET (root), self->escape);
    }
}

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             OmPlanTable   *self)
{
  /* released where the model refuses the stage: nothing moves, and the
   * window says why */
  if (!delete_data && self->insertion >= 0 && !self->drop_allowed && self->drop_reason != NULL)
    g_signal_emit (self, signals[REFUSED], 0, self->drop_reason);

  if (self->dragged_row != NULL)
    gtk_widget_remove_css_class (self->dragged_row, "dragged");
  g_clear_weak_pointer (&self->dragged_row);
  if (self->escape != NULL)
    {
      GtkEventController *escape = self->escape;

      g_object_remove_weak_pointer (G_OBJECT (escape), (gpointer *) &self->escape);
      self->escape = NULL;
      gtk_widget_remove_controller (gtk_event_controller_get_widget (escape), escape);
    }
  self->drag_from = -1;
  g_clear_weak_pointer (&self->active_drag);
  clear_marker (self);
}

static void
add_drag_source (OmPlanTable *self,
                 GtkWidget   *cell)
{
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (drag_prepare_cb), self, 0);
  g_signal_connect_object (source, "drag-begin", G_CALLBACK (drag_begin_cb), self, 0);
  g_signal_connect_object (source, "drag-end", G_CALLBACK (drag_end_cb), self, 0);
  gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (source));
}

static GdkDragAction
drop_motion_cb (GtkDropTarget *target,
                double         x,
                double         y,
                OmPlanTable   *self)
{
  if (self->drag_from < 0 || self->opportunity == NULL)
    return 0;

  update_marker (self, x, y);
  update_autoscroll (self, y);
  return self->drop_allowed ? GDK_ACTION_MOVE : 0;
}

static void
drop_leave_cb (GtkDropTarget *target,
               OmPlanTable   *self)
{
  clear_marker (self);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         OmPlanTable   *self)
{
  OmStage *stage = g_value_get_object (value);
  g_autoptr(GError) error = NULL;
  guint from;
  int to;

  if (self->drag_from >= 0 && self->opportunity != NULL)
    update_marker (self, x, y);
  to = self->insertion;
  clear_marker (self);
  if (self->opportunity == NULL || stage == NULL || to < 0 ||
      !g_list_store_find (G_LIST_STORE (om_opportunity_get_stages (self->opportunity)), stage, &from))
    return FALSE;

  to = target_position ((int) from, to);
  if ((guint) to == from)
    return TRUE;
  /* one call, one transaction, one undo step */
  if (!om_opportunity_move_stage (self->opportunity, from, (guint) to, &error))
    {
      g_signal_emit (self, signals[REFUSED], 0, error->message);
      return FALSE;
    }
  om_plan_table_set_selected (self, to);
  return TRUE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          OmPlanTable              *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), COLUMN_KEY));
  GtkWidget *cell;

  switch (column)
    {
    case COLUMN_NUMBER:
      /* the row's handle: a grip, the state, the number */
      cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      gtk_box_append (GTK_BOX (cell), gtk_image_new_from_icon_name ("list-drag-handle-symbolic"));
      gtk_widget_add_css_class (gtk_widget_get_first_child (cell), "dim-label");
      gtk_box_append (GTK_BOX (cell), gtk_image_new ());
      gtk_box_append (GTK_BOX (cell), gtk_label_new (NULL));
      gtk_widget_add_css_class (gtk_widget_get_last_child (cell), "numeric");
      gtk_widget_set_cursor_from_name (cell, "grab");
      /* the label reads the stage (set when bound), the description how
       * to move it */
      gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("Drag the row, or press Alt+Up or Alt+Down, to move the stage"), -1);
      add_drag_source (self, cell);
      break;
    case COLUMN_GANTT:
      cell = g_object_new (OM_TYPE_GANTT_CELL, NULL);
      g_set_weak_pointer (&OM_GANTT_CELL (cell)->table, self);
      add_drag_source (self, cell);
      break;
    case COLUMN_DUE:
      cell = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (cell), 0);
      gtk_widget_add_css_class (cell, "numeric");
      add_drag_source (self, cell);
      break;
    default:
      {
        gboolean number = column == COLUMN_DURATION || column == COLUMN_PROBABILITY;

        /* flat text, typed into in place (Tab goes on to the next cell,
         * Enter or leaving it commits, Escape gives it up), through an
         * entry that exists only while it is typed in: two hundred rows
         * are shown at once; a long name is cut at its column's edge,
         * and shows in full in the cell's tooltip. Wide enough for most
         * names; a column can be widened */
        cell = om_text_cell_new (column_title (column),
                                 number ? 5 : column == COLUMN_MILESTONE ? 28 : column == COLUMN_ACTIVITY ? 20 : 14,
                                 number ? 6 : 40,
                                 number ? 1 : 0);
        g_signal_connect (cell, "commit", G_CALLBACK (cell_commit_cb), NULL);
        g_signal_connect (cell, "key-pressed", G_CALLBACK (cell_key_pressed_cb), NULL);
      }
      break;
    }
  g_object_set_data (G_OBJECT (cell), COLUMN_KEY, GINT_TO_POINTER (column));
  g_object_set_data (G_OBJECT (cell), TABLE_KEY, self);
  if (column != COLUMN_GANTT)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (item, cell);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         OmPlanTable              *self)
{
  GtkWidget *cell = gtk_list_item_get_child (item);
  OmStage *stage = gtk_list_item_get_item (item);

  g_object_set_data_full (G_OBJECT (cell), STAGE_KEY, g_object_ref (stage), g_object_unref);
  if (OM_IS_GANTT_CELL (cell))
    g_set_object (&OM_GANTT_CELL (cell)->stage, stage);
  g_signal_connect_object (stage, "notify", G_CALLBACK (stage_notify_cb), cell, 0);
  show_cell (cell);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           OmPlanTable              *self)
{
  GtkWidget *cell = gtk_list_item_get_child (item);
  OmStage *stage = g_object_get_data (G_OBJECT (cell), STAGE_KEY);

  /* what was typed into a row scrolled away is committed, not lost */
  if (OM_IS_TEXT_CELL (cell) && om_text_cell_get_editing (OM_TEXT_CELL (cell)))
    commit_cell (cell);
  if (stage != NULL)
    g_signal_handlers_disconnect_by_func (stage, stage_notify_cb, cell);
  if (OM_IS_GANTT_CELL (cell))
    g_clear_object (&OM_GANTT_CELL (cell)->stage);
  g_object_set_data (G_OBJECT (cell), STAGE_KEY, NULL);
}

/* The axis */

/* The dates every row's Gantt cell spans: from the start to the last
 * date the plan, its baseline, the client's deadline or today reach */
static void
update_axis (OmPlanTable *self)
{
  OmOpportunity *opp = self->opportunity;
  OmDate first, last, today = om_date_today ();

  if (opp == NULL)
    return;
  first = om_opportunity_get_start_date (opp);
  last = MAX (first, om_opportunity_get_close_date (opp));
  last = MAX (last, om_opportunity_get_baseline_close_date (opp));
  if (om_opportunity_get_target_date (opp) != 0)
    last = MAX (last, om_opportunity_get_target_date (opp));
  /* decided stages are due when they were decided, never past the end */
  if (today + 60 >= first && today <= last + 60)
    {
      first = MIN (first, today);
      last = MAX (last, today);
    }
  first -= 2;
  last += 2;
  if (first == self->first_date && last == self->last_date)
    return;
  self->first_date = first;
  self->last_date = last;
}

/* The Gantt column as wide as the axis: its cells are laid out anew,
 * and so drawn anew */
static void
size_gantt (OmPlanTable *self)
{
  gtk_column_view_column_set_fixed_width (self->gantt, (int) ceil (axis_width (self)));
}

static void
opportunity_changed_cb (OmPlanTable *self)
{
  OmDate first = self->first_date, last = self->last_date;

  update_axis (self);
  if (first != self->first_date || last != self->last_date)
    size_gantt (self);
}

/* Selection */

/* A run of rows, from where Shift was first used to the row selected:
 * what a Feasibility Study may replace */
static gboolean
get_range (OmPlanTable *self,
           guint       *first,
           guint       *last)
{
  int selected = om_plan_table_get_selected (self);

  if (self->range_anchor < 0 || selected < 0 || selected == self->range_anchor)
    return FALSE;
  *first = (guint) MIN (selected, self->range_anchor);
  *last = (guint) MAX (selected, self->range_anchor);
  return TRUE;
}

/* Marks the rows in view that are in the run */
static void
mark_range (OmPlanTable *self)
{
  guint first = 1, last = 0;
  GtkWidget *list;

  get_range (self, &first, &last);
  for (list = gtk_widget_get_first_child (GTK_WIDGET (self->view)); list != NULL; list = gtk_widget_get_next_sibling (list))
    if (GTK_IS_LIST_VIEW (list))
      for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
        {
          GtkWidget *cell = stage_cell_below (row, 3, FALSE);
          OmStage *stage = cell != NULL ? g_object_get_data (G_OBJECT (cell), STAGE_KEY) : NULL;
          guint position = stage != NULL ? om_stage_get_position (stage) : G_MAXUINT;

          if (stage != NULL && position >= first && position <= last)
            gtk_widget_add_css_class (row, "in-range");
          else
            gtk_widget_remove_css_class (row, "in-range");
        }
}

static void
set_range_anchor (OmPlanTable *self,
                  int          anchor)
{
  if (self->range_anchor == anchor)
    return;
  self->range_anchor = anchor;
  mark_range (self);
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

static void
selected_cb (OmPlanTable *self)
{
  /* a move of the selection without Shift ends the run */
  if (!self->extending && self->range_anchor >= 0)
    {
      self->range_anchor = -1;
      g_signal_emit (self, signals[RANGE_CHANGED], 0);
    }
  mark_range (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* Extends the run to @position, from the row selected before */
static void
extend_range_to (OmPlanTable *self,
                 guint        position)
{
  int selected = om_plan_table_get_selected (self);

  if (self->opportunity == NULL || position >= om_opportunity_get_n_stages (self->opportunity))
    return;
  if (self->range_anchor < 0)
    self->range_anchor = selected >= 0 ? selected : (int) position;
  ensure_row (self, position);
  self->extending = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->extending = FALSE;
  mark_range (self);
  g_signal_emit (self, signals[RANGE_CHANGED], 0);
}

/* Shift+Up, Shift+Down: the run grows or shrinks by a row */
static gboolean
extend_range_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   data)
{
  OmPlanTable *self = data;
  int selected = om_plan_table_get_selected (self);
  int step = g_variant_get_int32 (args);
  GtkWidget *row;

  if (selected < 0 || selected + step < 0)
    return TRUE;
  extend_range_to (self, (guint) (selected + step));
  if ((row = row_at (self, (guint) om_plan_table_get_selected (self))) != NULL)
    {
      self->extending = TRUE;
      gtk_widget_grab_focus (row);
      self->extending = FALSE;
    }
  return TRUE;
}

/* Shift+click on a row: the run from the row selected to it */
static void
shift_click_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                OmPlanTable     *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *picked;
  GtkWidget *row;
  GtkWidget *cell;
  OmStage *stage;

  if (!(state & GDK_SHIFT_MASK))
    return;
  picked = gtk_widget_pick (GTK_WIDGET (self->view), x, y, GTK_PICK_DEFAULT);
  row = picked != NULL ? row_of (self, picked) : NULL;
  cell = row != NULL ? stage_cell_below (row, 3, FALSE) : NULL;
  stage = cell != NULL ? g_object_get_data (G_OBJECT (cell), STAGE_KEY) : NULL;
  if (stage == NULL)
    return;
  extend_range_to (self, om_stage_get_position (stage));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static GtkWidget *find_cell (GtkWidget *widget,
                             guint      row,
                             Column     column);

/* GObject */

static void
om_plan_table_dispose (GObject *object)
{
  OmPlanTable *self = OM_PLAN_TABLE (object);

  om_plan_table_set_opportunity (self, NULL);
  g_clear_handle_id (&self->select_source, g_source_remove);
  g_clear_handle_id (&self->pending_source, g_source_remove);
  if (self->fit_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_tick);
  self->fit_tick = 0;
  stop_autoscroll (self);
  g_clear_weak_pointer (&self->active_drag);
  g_clear_weak_pointer (&self->dragged_row);
  g_clear_weak_pointer (&self->marked_row);
  g_clear_pointer (&self->drop_reason, g_free);
  if (self->escape != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->escape), (gpointer *) &self->escape);
      gtk_widget_remove_controller (gtk_event_controller_get_widget (self->escape), self->escape);
      self->escape = NULL;
    }
  g_clear_pointer (&self->reason_label, gtk_widget_unparent);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_handle_id (&self->all_rows_source, g_source_remove);
  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  G_OBJECT_CLASS (om_plan_table_parent_class)->dispose (object);
}

static void
om_plan_table_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OmPlanTable *self = OM_PLAN_TABLE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_int (value, om_plan_table_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GtkAdjustment *
hadjustment (OmPlanTable *self)
{
  return gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->view));
}

static GtkWidget *
row_at (OmPlanTable *self,
        guint        position)
{
  GtkWidget *cell = find_cell (GTK_WIDGET (self->view), position, COLUMN_NUMBER);

  return cell != NULL ? row_of (self, cell) : NULL;
}

/* What a zoom or a scroll to a row asked for, once the view has the
 * width or the rows it needed */
static gboolean
apply_pending_cb (gpointer data)
{
  OmPlanTable *self = data;

  self->pending_source = 0;
  if (self->scroll_to_x >= 0)
    {
      GtkAdjustment *adj = hadjustment (self);

      gtk_adjustment_set_value (adj, MIN (self->scroll_to_x,
                                          gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj)));
      self->scroll_to_x = -1;
    }
  if (self->focus_pending >= 0)
    {
      GtkWidget *row = row_at (self, (guint) self->focus_pending);
      GtkWidget *cell = NULL;

      if (row != NULL && self->focus_pending_column >= 0)
        cell = om_plan_table_get_cell (self, (guint) self->focus_pending, self->focus_pending_column);
      if (row != NULL)
        {
          self->focus_pending = -1;
          gtk_widget_grab_focus (cell != NULL ? cell : row);
        }
    }
  return G_SOURCE_REMOVE;
}

/* after the layout, not in it: scrolling the view lays it out again */
static void
apply_pending (OmPlanTable *self)
{
  if ((self->scroll_to_x >= 0 || self->focus_pending >= 0) && self->pending_source == 0)
    self->pending_source = g_idle_add (apply_pending_cb, self);
}

/* Layout: the table, and over it, beside the pointer, why a drop there
 * is refused */

static void
om_plan_table_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  OmPlanTable *self = OM_PLAN_TABLE (widget);

  gtk_widget_measure (self->scroller, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
om_plan_table_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  OmPlanTable *self = OM_PLAN_TABLE (widget);
  graphene_point_t pointer;
  int label_width, label_height, x, y;

  gtk_widget_allocate (self->scroller, width, height, baseline, NULL);
  apply_pending (self);
  if (!gtk_widget_get_visible (self->reason_label))
    return;

  gtk_widget_measure (self->reason_label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &label_width, NULL, NULL);
  label_width = MIN (label_width, MAX (width - 8, 1));
  gtk_widget_measure (self->reason_label, GTK_ORIENTATION_VERTICAL, label_width, &label_height, NULL, NULL, NULL);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->view), widget,
                                 &GRAPHENE_POINT_INIT ((float) self->pointer_x, (float) self->pointer_y), &pointer))
    pointer = GRAPHENE_POINT_INIT (0, 0);
  /* above the pointer, right of it, clear of the card the pointer
   * drags below it; below the card where the table has no room above */
  x = (int) pointer.x + 16;
  y = (int) pointer.y - label_height - 10;
  if (y < 0)
    y = (int) pointer.y + 36;
  x = CLAMP (x, 4, MAX (width - label_width - 4, 4));
  y = CLAMP (y, 0, MAX (height - label_height, 0));
  gtk_widget_size_allocate (self->reason_label,
                            &(GtkAllocation) { x, y, label_width, label_height }, -1);
}

static void
om_plan_table_class_init (OmPlanTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_plan_table_dispose;
  object_class->get_property = om_plan_table_get_property;
  widget_class->measure = om_plan_table_measure;
  widget_class->size_allocate = om_plan_table_size_allocate;

  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmPlanTable::refused:
   * @message: the model's explanation
   */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * OmPlanTable::range-changed:
   *
   * The run of rows chosen with Shift (om_plan_table_get_range()) changed.
   */
  signals[RANGE_CHANGED] = g_signal_new ("range-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "plantable");
}

/* F2, or Enter on a row: the keyboard into the row's first text cell,
 * to type there (Tab goes on to the next cell) */
static gboolean
edit_row_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   data)
{
  OmPlanTable *self = data;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  int row = om_plan_table_get_selected (self);
  GtkWidget *cell;

  /* in a cell already: Enter is the cell's own */
  if (focus != NULL && (GTK_IS_TEXT (focus) || GTK_IS_ENTRY (focus)))
    return FALSE;
  if (row < 0 || (cell = om_plan_table_get_cell (self, (guint) row, COLUMN_ACTIVITY)) == NULL)
    return FALSE;
  return gtk_widget_grab_focus (cell);
}

static void
om_plan_table_init (OmPlanTable *self)
{
  GtkDropTarget *drop;

  self->px_per_day = 4.0;
  self->pending = -1;
  self->scroll_to_x = -1;
  self->focus_pending = -1;
  self->focus_pending_column = -1;
  self->range_anchor = -1;
  self->drag_from = -1;
  self->insertion = -1;
  self->slice = gtk_slice_list_model_new (NULL, 0, G_MAXUINT);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->slice)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selected_cb), self);

  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_column_view_set_show_row_separators (self->view, TRUE);
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Stages of the plan"), -1);

  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), COLUMN_KEY, GINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
      column = gtk_column_view_column_new (column_title (c), factory);
      gtk_column_view_column_set_resizable (column, c != COLUMN_NUMBER);
      if (c == COLUMN_ACTIVITY || c == COLUMN_MILESTONE)
        gtk_column_view_column_set_expand (column, TRUE);
      if (c == COLUMN_GANTT)
        self->gantt = column;
      gtk_column_view_append_column (self->view, column);
      g_object_unref (column);
    }

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->scroller), 240);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroller), MAX_HEIGHT);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  {
    GtkEventController *keys = gtk_shortcut_controller_new ();
    GtkShortcutAction *edit = gtk_callback_action_new (edit_row_cb, self, NULL);

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F2, 0),
                                                            g_object_ref (edit)));
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, 0), edit));
    /* a run of rows, for a Feasibility Study to replace */
    {
      GtkShortcutAction *extend = gtk_callback_action_new (extend_range_cb, self, NULL);
      GtkShortcut *up = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Up, GDK_SHIFT_MASK), g_object_ref (extend));
      GtkShortcut *down = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Down, GDK_SHIFT_MASK), extend);

      gtk_shortcut_set_arguments (up, g_variant_new_int32 (-1));
      gtk_shortcut_set_arguments (down, g_variant_new_int32 (1));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys), up);
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys), down);
    }
    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_widget_add_controller (GTK_WIDGET (self->view), keys);
  }
  {
    GtkGesture *click = gtk_gesture_click_new ();

    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect (click, "pressed", G_CALLBACK (shift_click_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->view), GTK_EVENT_CONTROLLER (click));
  }

  /* one drop target for all rows: the line moves from row to row
   * without leaving and entering at each */
  drop = gtk_drop_target_new (OM_TYPE_STAGE, GDK_ACTION_MOVE);
  g_signal_connect (drop, "enter", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (drop, "motion", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (drop, "leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->view), GTK_EVENT_CONTROLLER (drop));

  /* not a target itself: the rows under it stay where the drop goes */
  self->reason_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->reason_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->reason_label), 40);
  gtk_label_set_xalign (GTK_LABEL (self->reason_label), 0);
  gtk_widget_add_css_class (self->reason_label, "drop-reason");
  gtk_widget_set_can_target (self->reason_label, FALSE);
  gtk_widget_set_visible (self->reason_label, FALSE);
  gtk_widget_set_parent (self->reason_label, GTK_WIDGET (self));
}

GtkWidget *
om_plan_table_new (void)
{
  return g_object_new (OM_TYPE_PLAN_TABLE, NULL);
}

/**
 * om_plan_table_set_opportunity:
 * @opportunity: (nullable): whose stages to show
 */
void
om_plan_table_set_opportunity (OmPlanTable   *self,
                               OmOpportunity *opportunity)
{
  g_return_if_fail (OM_IS_PLAN_TABLE (self));

  if (self->opportunity == opportunity)
    return;
  if (self->opportunity != NULL)
    g_signal_handlers_disconnect_by_data (self->opportunity, self);
  g_set_object (&self->opportunity, opportunity);
  self->first_date = self->last_date = 0;
  if (opportunity != NULL)
    {
      update_axis (self);
      size_gantt (self);
      g_signal_connect_swapped (opportunity, "changed", G_CALLBACK (opportunity_changed_cb), self);
    }
  g_clear_handle_id (&self->all_rows_source, g_source_remove);
  gtk_slice_list_model_set_model (self->slice, NULL);
  if (opportunity != NULL && om_opportunity_get_n_stages (opportunity) > FIRST_ROWS)
    {
      gtk_slice_list_model_set_size (self->slice, FIRST_ROWS);
      g_signal_handlers_disconnect_by_func (self, wait_for_first_rows, NULL);
      wait_for_first_rows (self);
    }
  else
    gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
  gtk_slice_list_model_set_model (self->slice, opportunity ? om_opportunity_get_stages (opportunity) : NULL);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

int
om_plan_table_get_selected (OmPlanTable *self)
{
  guint selected;

  g_return_val_if_fail (OM_IS_PLAN_TABLE (self), -1);

  selected = gtk_single_selection_get_selected (self->selection);
  return selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected;
}

static gboolean
select_pending_cb (gpointer data)
{
  OmPlanTable *self = data;
  guint n;

  self->select_source = 0;
  if (self->pending >= 0)
    ensure_row (self, (guint) self->pending);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (self->pending >= 0 && (guint) self->pending < n)
    gtk_single_selection_set_selected (self->selection, (guint) self->pending);
  else if (self->pending < 0)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  return G_SOURCE_REMOVE;
}

/**
 * om_plan_table_set_selected:
 * @position: the stage's row, or -1 for none
 *
 * Selects the row once the stages have settled: the stage selected
 * elsewhere may follow a change of the stages that the table's own
 * selection has not taken in yet.
 */
void
om_plan_table_set_selected (OmPlanTable *self,
                            int          position)
{
  g_return_if_fail (OM_IS_PLAN_TABLE (self));

  self->pending = position;
  if (self->select_source == 0)
    self->select_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, select_pending_cb, self, NULL);
}

/**
 * om_plan_table_set_px_per_day:
 *
 * The zoom of the Gantt column, the timeline's
 */
void
om_plan_table_set_px_per_day (OmPlanTable *self,
                              double       px_per_day)
{
  g_return_if_fail (OM_IS_PLAN_TABLE (self));

  if (px_per_day <= 0 || self->px_per_day == px_per_day)
    return;
  self->px_per_day = px_per_day;
  if (self->opportunity != NULL)
    size_gantt (self);
}

GtkColumnView *
om_plan_table_get_column_view (OmPlanTable *self)
{
  g_return_val_if_fail (OM_IS_PLAN_TABLE (self), NULL);
  return self->view;
}

static GtkWidget *
find_cell (GtkWidget *widget,
           guint      row,
           Column     column)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      OmStage *stage = g_object_get_data (G_OBJECT (child), STAGE_KEY);
      GtkWidget *found;

      if (stage != NULL && om_stage_get_position (stage) == row &&
          GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), COLUMN_KEY)) == (int) column)
        return child;
      if ((found = find_cell (child, row, column)) != NULL)
        return found;
    }
  return NULL;
}

/**
 * om_plan_table_get_cell:
 *
 * Returns: (transfer none) (nullable): the cell of @column in @row, if
 *   that row is in view (only rows in view exist)
 */
GtkWidget *
om_plan_table_get_cell (OmPlanTable       *self,
                        guint              row,
                        OmPlanTableColumn  column)
{
  g_return_val_if_fail (OM_IS_PLAN_TABLE (self), NULL);
  return find_cell (GTK_WIDGET (self->view), row, column);
}

/**
 * om_plan_table_get_px_per_day:
 *
 * Returns: the zoom the Gantt column is drawn at, which the plan's
 *   length may have capped
 */
double
om_plan_table_get_px_per_day (OmPlanTable *self)
{
  g_return_val_if_fail (OM_IS_PLAN_TABLE (self), 0);
  return px_per_day (self);
}

static GtkWidget *
any_gantt_cell (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (OM_IS_GANTT_CELL (child) && OM_GANTT_CELL (child)->stage != NULL)
        return child;
      if ((found = any_gantt_cell (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Where the Gantt column starts in the view's content, or -1 while no
 * row is in view */
static double
gantt_x (OmPlanTable *self)
{
  GtkWidget *cell = any_gantt_cell (GTK_WIDGET (self->view));
  graphene_point_t point;

  if (cell == NULL ||
      !gtk_widget_compute_point (cell, GTK_WIDGET (self->view), &GRAPHENE_POINT_INIT (0, 0), &point))
    return -1;
  return point.x + gtk_adjustment_get_value (hadjustment (self));
}

static void
zoom_to (OmPlanTable *self,
         double       zoom,
         double       centre)
{
  double old = px_per_day (self);
  double gx = gantt_x (self);

  zoom = om_timeline_layout_clamp_px_per_day (om_opportunity_get_data (self->opportunity), om_date_today (), zoom);
  om_plan_table_set_px_per_day (self, zoom);
  /* the date that was at @centre stays there */
  if (gx >= 0 && old > 0 && centre >= gx)
    {
      GtkAdjustment *adj = hadjustment (self);
      double day = (centre - gx - GANTT_MARGIN) / old;
      double offset = centre - gtk_adjustment_get_value (adj);

      self->scroll_to_x = MAX (0, gx + GANTT_MARGIN + day * px_per_day (self) - offset);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
}

/**
 * om_plan_table_zoom:
 * @factor: above 1 zooms in
 *
 * Zooms the Gantt column around the middle of what is in view of it,
 * within the timeline's limits (om_timeline_layout_clamp_px_per_day()).
 */
void
om_plan_table_zoom (OmPlanTable *self,
                    double       factor)
{
  GtkAdjustment *adj;
  double gx, centre;

  g_return_if_fail (OM_IS_PLAN_TABLE (self));
  if (self->opportunity == NULL)
    return;
  adj = hadjustment (self);
  gx = gantt_x (self);
  /* the middle of the Gantt column's part of the view */
  centre = MAX (gtk_adjustment_get_value (adj), gx) / 2 +
           (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)) / 2;
  zoom_to (self, px_per_day (self) * factor, centre);
}

/* The fit, once rows are in view to say where the Gantt column starts */
static gboolean
fit_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  OmPlanTable *self = OM_PLAN_TABLE (widget);
  GtkAdjustment *adj = hadjustment (self);
  double page = gtk_adjustment_get_page_size (adj);
  double gx = gantt_x (self);
  double available, days;

  if (self->opportunity == NULL)
    {
      self->fit_tick = 0;
      return G_SOURCE_REMOVE;
    }
  /* not laid out yet, or no row in view yet */
  if (page <= 1 || (gx < 0 && om_opportunity_get_n_stages (self->opportunity) > 0 && ++self->fit_waited < 10))
    return G_SOURCE_CONTINUE;
  self->fit_tick = 0;
  self->fit_waited = 0;

  available = gx >= 0 ? page - gx : page / 2;
  if (available < page / 3)
    available = page;
  days = MAX (1.0, (double) self->last_date - (double) self->first_date);
  /* not om_timeline_layout_fit_px_per_day(): that keeps room for the
   * timeline's last label, which the Gantt column does not draw */
  om_plan_table_set_px_per_day (self, om_timeline_layout_clamp_px_per_day (om_opportunity_get_data (self->opportunity),
                                                                           om_date_today (),
                                                                           (available - 2 * GANTT_MARGIN - 2) / days));
  return G_SOURCE_REMOVE;
}

/**
 * om_plan_table_zoom_to_fit:
 *
 * Zooms so that the plan's dates fill the width the Gantt column has in
 * view beside the other columns (or the view's width, if they leave it
 * too little: scrolled to, it then shows whole), within
 * the timeline's limits. Done on the next frame, when the table has its
 * width.
 */
void
om_plan_table_zoom_to_fit (OmPlanTable *self)
{
  g_return_if_fail (OM_IS_PLAN_TABLE (self));

  if (self->opportunity == NULL || self->fit_tick != 0)
    return;
  self->fit_waited = 0;
  self->fit_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), fit_tick_cb, NULL, NULL);
}

/**
 * om_plan_table_focus_stage:
 * @position: a row
 *
 * Selects the row, scrolls it into view and puts the keyboard on it
 * (at once if it is in view, else once it is).
 *
 * Returns: whether @position is a row
 */
gboolean
om_plan_table_focus_stage (OmPlanTable *self,
                           guint        position)
{
  g_return_val_if_fail (OM_IS_PLAN_TABLE (self), FALSE);

  if (self->opportunity == NULL || position >= om_opportunity_get_n_stages (self->opportunity))
    return FALSE;
  focus_cell (self, position, -1);
  return TRUE;
}

/* Selects the row at @position and puts the keyboard in its cell of
 * @column (or in the row, for -1), once it is in view */
static void
focus_cell (OmPlanTable *self,
            guint        position,
            int          column)
{
  GtkWidget *list;
  GtkWidget *row;
  GtkWidget *cell = NULL;

  ensure_row (self, position);
  om_plan_table_set_selected (self, (int) position);
  row = row_at (self, position);
  if (row != NULL && column >= 0)
    cell = om_plan_table_get_cell (self, position, column);
  if (row != NULL && gtk_widget_grab_focus (cell != NULL ? cell : row))
    return;
  /* GTK 4.8 has no gtk_column_view_scroll_to(): its list scrolls to an
   * item on this action */
  for (list = gtk_widget_get_first_child (GTK_WIDGET (self->view)); list != NULL; list = gtk_widget_get_next_sibling (list))
    if (GTK_IS_LIST_VIEW (list))
      gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
  self->focus_pending = (int) position;
  self->focus_pending_column = column;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/**
 * om_plan_table_has_focus:
 *
 * Returns: whether the keyboard is in the table
 */
gboolean
om_plan_table_has_focus (OmPlanTable *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (OM_IS_PLAN_TABLE (self), FALSE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
}

/**
 * om_plan_table_shows_stage:
 *
 * Returns: whether a row of a stage is on screen (for the benchmark's
 *   "first stage shown")
 */
gboolean
om_plan_table_shows_stage (OmPlanTable *self)
{
  GtkWidget *cell;

  g_return_val_if_fail (OM_IS_PLAN_TABLE (self), FALSE);

  if (self->opportunity == NULL || om_opportunity_get_n_stages (self->opportunity) == 0)
    return FALSE;
  cell = stage_cell_below (GTK_WIDGET (self->view), 6, TRUE);
  return cell != NULL;
}

/**
 * om_plan_table_get_range:
 * @first: (out): the run's first row
 * @last: (out): its last row
 *
 * The run of rows chosen with Shift+click or Shift+Up/Down, from where
 * Shift was first used to the row selected.
 *
 * Returns: whether there is a run of two rows or more
 */
gboolean
om_plan_table_get_range (OmPlanTable *self,
                         guint       *first,
                         guint       *last)
{
  g_return_val_if_fail (OM_IS_PLAN_TABLE (self), FALSE);

  return get_range (self, first, last);
}

/**
 * om_plan_table_set_range:
 *
 * Chooses the run @first to @last, as Shift+click on @last after a click
 * on @first does.
 */
void
om_plan_table_set_range (OmPlanTable *self,
                         guint        first,
                         guint        last)
{
  g_return_if_fail (OM_IS_PLAN_TABLE (self));

  ensure_row (self, MAX (first, last));
  self->extending = TRUE;
  gtk_single_selection_set_selected (self->selection, first);
  self->extending = FALSE;
  set_range_anchor (self, (int) first);
  extend_range_to (self, last);
}
