/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "om-stage-widget.h"
#include "om-timeline-paint.h"
#include "om-timeline.h"

/**
 * OmTimeline:
 *
 * The plan from left to right on a date axis: each stage an activity bar
 * ending in its milestone diamond, with the today line. Every stage is a
 * focusable #OmStageWidget child. Place it in a #GtkScrolledWindow: it
 * asks for the width its zoom needs.
 *
 * A long plan is hundreds of thousands of pixels wide, far past what one
 * drawing can be (cairo stops at 32,767, GTK's GL renderer at 16,384),
 * so the timeline paints only what is in view, stages included, in
 * drawings at most %MAX_DRAWING_WIDTH wide; the stage widgets draw
 * nothing themselves.
 */
struct _OmTimeline
{
  GtkWidget         parent_instance;

  OmOpportunity    *opportunity;
  GPtrArray        *children;     /* OmStageWidget, in chain order */
  OmTimelineLayout *layout;
  double            px_per_day;
  int               selected;
  gboolean          fit_pending;
  gboolean          fit_readable;
  guint             fit_tick;

  /* drag and drop */
  int               drag_from;      /* the dragged stage, or -1 */
  double            marker_x;       /* where a drop would land, or < 0 */
  gboolean          marker_allowed;
  char             *marker_reason;  /* why not, when not */
  double            autoscroll_speed;
  double            pointer_in_view;
  guint             autoscroll_id;

  GtkAdjustment    *hadjustment;  /* the scrolling followed while mapped */

  GtkWidget        *menu;
  GtkWidget        *menu_stage;    /* weak: where the menu was opened */
  GtkDragSource    *active_drag;   /* weak: the drag in progress */
};

G_DEFINE_FINAL_TYPE (OmTimeline, om_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_OPPORTUNITY,
  PROP_SELECTED,
  PROP_PX_PER_DAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REFUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define DEFAULT_PX_PER_DAY 8.0
#define AUTOSCROLL_EDGE 56.0
#define READABLE_STAGE_SPACING 110.0
/* the widest one drawing may be: at a scale of 2 still half of what
 * GTK's GL renderer takes as one texture */
#define MAX_DRAWING_WIDTH 4096.0

static void
invalidate (OmTimeline *self)
{
  g_clear_pointer (&self->layout, om_timeline_layout_free);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
ensure_layout (OmTimeline *self)
{
  g_autoptr(OmOpportunityData) empty = NULL;
  const OmOpportunityData *data;

  if (self->layout != NULL)
    return;

  if (self->opportunity != NULL)
    data = om_opportunity_get_data (self->opportunity);
  else
    data = empty = om_opportunity_data_new ("", "", om_date_today ());

  self->layout = om_timeline_layout_new (data, om_date_today (), self->px_per_day,
                                         gtk_widget_get_pango_context (GTK_WIDGET (self)));
  for (guint i = 0; i < self->children->len && i < self->layout->stages->len; i++)
    om_stage_widget_set_layout (g_ptr_array_index (self->children, i),
                                &g_array_index (self->layout->stages, OmTimelineStage, i),
                                self->layout->stages->len,
                                (int) i == self->selected);
}

/* What part of the timeline is in view, in its own coordinates: the
 * scrolled window's, or all of it without one. */
static void
visible_range (OmTimeline *self,
               double     *x0,
               double     *x1)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  *x0 = 0;
  *x1 = gtk_widget_get_width (widget);
  if (scrolled != NULL && gtk_widget_compute_bounds (scrolled, widget, &bounds))
    {
      *x0 = MAX (*x0, floor (bounds.origin.x));
      *x1 = MIN (*x1, ceil (bounds.origin.x + bounds.size.width));
    }
  *x1 = MAX (*x0, *x1);
}

static void
stage_activated_cb (OmStageWidget *child,
                    OmTimeline    *self)
{
  for (guint i = 0; i < self->children->len; i++)
    if (g_ptr_array_index (self->children, i) == child)
      om_timeline_set_selected (self, (int) i);
}


static int
child_position (OmTimeline *self,
                GtkWidget  *child)
{
  guint position;

  if (g_ptr_array_find (self->children, child, &position))
    return (int) position;
  return -1;
}

static void
refuse (OmTimeline   *self,
        const GError *error)
{
  g_signal_emit (self, signals[REFUSED], 0, error->message);
}

/* Drag source */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 OmTimeline    *self)
{
  GtkWidget *child = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  int position = child_position (self, child);
  g_autoptr(GError) error = NULL;

  if (position < 0 || self->opportunity == NULL)
    return NULL;

  /* a won stage, or a closed plan, does not move: say so at once */
  if (!om_opportunity_can_move_stage (self->opportunity, (guint) position, (guint) position, &error))
    {
      refuse (self, error);
      return NULL;
    }

  self->drag_from = position;
  g_set_weak_pointer (&self->active_drag, source);
  return gdk_content_provider_new_typed (OM_TYPE_STAGE, om_stage_widget_get_stage (OM_STAGE_WIDGET (child)));
}

/* The stage as it looks on the timeline, on an opaque card: drag icons
 * are not always composited, and transparency would show as black. */
static GdkTexture *
make_drag_icon (OmTimeline *self,
                int         position,
                int        *hot_x,
                int        *hot_y)
{
  OmTimelineStage stage = g_array_index (om_timeline_get_layout (self)->stages, OmTimelineStage, position);
  OmTimelinePalette palette;
  double x0, x1, y0, y1;
  int width, height;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;

  om_timeline_palette_init_for_widget (&palette, GTK_WIDGET (self));

  /* its label goes right under it, whatever row it has on the timeline */
  stage.row = 0;
  stage.label_y = OM_TIMELINE_LABEL_Y;
  x0 = MIN (stage.bar_x0, stage.label_x) - 6;
  x1 = MAX (stage.milestone_x + OM_TIMELINE_DIAMOND, stage.label_x + stage.label_width) + 6;
  /* a long stage at a close zoom is far wider than a card needs, or
   * than cairo can draw: its end is enough */
  x0 = MAX (x0, x1 - 480);
  y0 = OM_TIMELINE_BAR_Y - OM_TIMELINE_DIAMOND / 2 - 12;
  y1 = stage.label_y + OM_TIMELINE_LABEL_HEIGHT;
  width = (int) ceil (x1 - x0);
  height = (int) ceil (y1 - y0);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgba (cr, palette.background.red, palette.background.green, palette.background.blue, 1);
  cairo_paint (cr);
  cairo_set_source_rgba (cr, palette.current.red, palette.current.green, palette.current.blue, 1);
  cairo_set_line_width (cr, 2);
  cairo_rectangle (cr, 1, 1, width - 2, height - 2);
  cairo_stroke (cr);
  cairo_translate (cr, -x0, -y0);
  om_timeline_paint_stage (cr, &stage, &palette, gtk_widget_get_pango_context (GTK_WIDGET (self)),
                           OM_TIMELINE_PAINT_NONE);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes,
                                    (gsize) cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);

  /* held by its top left corner, so the card does not hide the marker */
  *hot_x = 0;
  *hot_y = 0;
  return texture;
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               OmTimeline    *self)
{
  GtkWidget *child = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  int hot_x, hot_y;
  g_autoptr(GdkTexture) icon = make_drag_icon (self, child_position (self, child), &hot_x, &hot_y);

  /* the stage itself follows the pointer; its place shows it is moving */
  gtk_drag_source_set_icon (source, GDK_PAINTABLE (icon), hot_x, hot_y);
  gtk_widget_add_css_class (child, "dragged");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
stop_autoscroll (OmTimeline *self)
{
  self->autoscroll_speed = 0;
  g_clear_handle_id (&self->autoscroll_id, g_source_remove);
}

static void
clear_marker (OmTimeline *self)
{
  self->marker_x = -1;
  g_clear_pointer (&self->marker_reason, g_free);
  stop_autoscroll (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             OmTimeline    *self)
{
  GtkWidget *child = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));

  /* released where the model refuses the stage: nothing moves, and the
   * window says why */
  if (!delete_data && self->marker_x >= 0 && !self->marker_allowed && self->marker_reason != NULL)
    g_signal_emit (self, signals[REFUSED], 0, self->marker_reason);

  gtk_widget_remove_css_class (child, "dragged");
  gtk_widget_queue_draw (GTK_WIDGET (self));
  self->drag_from = -1;
  g_clear_weak_pointer (&self->active_drag);
  clear_marker (self);
}

/**
 * om_timeline_cancel_drag:
 *
 * Cancels a stage's drag in progress (Escape): nothing moves.
 *
 * Returns: whether there was one
 */
gboolean
om_timeline_cancel_drag (OmTimeline *self)
{
  if (self->active_drag == NULL)
    return FALSE;
  /* a cancelled drag is no refused drop: nothing to explain */
  g_clear_pointer (&self->marker_reason, g_free);
  gtk_drag_source_drag_cancel (self->active_drag);
  return TRUE;
}

/* Drop target */

/* The chain index a stage moved from @from and dropped at @x would take */
static int
target_position (OmTimeline *self,
                 int         from,
                 double      x)
{
  int insertion = om_timeline_layout_insertion_at (self->layout, x);

  return insertion > from ? insertion - 1 : insertion;
}

static double
insertion_x (OmTimeline *self,
             double      x)
{
  guint insertion = (guint) om_timeline_layout_insertion_at (self->layout, x);
  GArray *stages = self->layout->stages;

  if (insertion < stages->len)
    return g_array_index (stages, OmTimelineStage, insertion).bar_x0;
  return g_array_index (stages, OmTimelineStage, stages->len - 1).milestone_x + OM_TIMELINE_DIAMOND / 2 + 4;
}

static void update_marker (OmTimeline *self,
                           double      x);

static gboolean
autoscroll_cb (gpointer user_data)
{
  OmTimeline *self = user_data;
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;

  if (scrolled == NULL || self->autoscroll_speed == 0)
    {
      self->autoscroll_id = 0;
      return G_SOURCE_REMOVE;
    }
  adj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + self->autoscroll_speed);
  /* the pointer stays still while the plan moves under it */
  if (self->drag_from >= 0 && self->opportunity != NULL)
    update_marker (self, gtk_adjustment_get_value (adj) + self->pointer_in_view);
  return G_SOURCE_CONTINUE;
}

/* Near an edge of what is in view, the timeline scrolls by itself, the
 * closer the faster. */
static void
update_autoscroll (OmTimeline *self,
                   double      x)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;
  double in_view, page;

  self->autoscroll_speed = 0;
  if (scrolled != NULL)
    {
      adj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
      in_view = x - gtk_adjustment_get_value (adj);
      self->pointer_in_view = in_view;
      page = gtk_adjustment_get_page_size (adj);
      if (in_view < AUTOSCROLL_EDGE)
        self->autoscroll_speed = -(AUTOSCROLL_EDGE - in_view) / 3;
      else if (in_view > page - AUTOSCROLL_EDGE)
        self->autoscroll_speed = (in_view - (page - AUTOSCROLL_EDGE)) / 3;
    }

  if (self->autoscroll_speed != 0 && self->autoscroll_id == 0)
    self->autoscroll_id = g_timeout_add (16, autoscroll_cb, self);
  else if (self->autoscroll_speed == 0)
    g_clear_handle_id (&self->autoscroll_id, g_source_remove);
}

/* Where a drop at @x would land, and whether the model allows it */
static void
update_marker (OmTimeline *self,
               double      x)
{
  g_autoptr(GError) error = NULL;
  int to;

  ensure_layout (self);
  to = target_position (self, self->drag_from, x);
  self->marker_x = insertion_x (self, x);
  self->marker_allowed = om_opportunity_can_move_stage (self->opportunity, (guint) self->drag_from, (guint) to, &error);
  g_free (self->marker_reason);
  self->marker_reason = error ? g_strdup (error->message) : NULL;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static GdkDragAction
drop_motion_cb (GtkDropTarget *target,
                double         x,
                double         y,
                OmTimeline    *self)
{
  if (self->drag_from < 0 || self->opportunity == NULL)
    return 0;

  update_marker (self, x);
  update_autoscroll (self, x);
  return self->marker_allowed ? GDK_ACTION_MOVE : 0;
}

static void
drop_leave_cb (GtkDropTarget *target,
               OmTimeline    *self)
{
  clear_marker (self);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         OmTimeline    *self)
{
  OmStage *stage = g_value_get_object (value);
  g_autoptr(GError) error = NULL;
  guint from;
  int to;

  clear_marker (self);
  if (self->opportunity == NULL || stage == NULL ||
      !g_list_store_find (G_LIST_STORE (om_opportunity_get_stages (self->opportunity)), stage, &from))
    return FALSE;

  ensure_layout (self);
  to = target_position (self, (int) from, x);
  /* one call, one transaction, one undo step */
  if (!om_opportunity_move_stage (self->opportunity, from, (guint) to, &error))
    {
      refuse (self, error);
      return FALSE;
    }
  om_timeline_set_selected (self, to);
  om_timeline_focus_stage (self, (guint) to);
  return TRUE;
}

static void
paint_marker (OmTimeline *self,
              cairo_t    *cr,
              double      visible_x0,
              double      visible_x1)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  double x = floor (self->marker_x) + 0.5;

  cairo_save (cr);
  if (self->marker_allowed)
    cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
  else
    cairo_set_source_rgb (cr, 0.75, 0.11, 0.16);
  cairo_set_line_width (cr, 3);
  if (!self->marker_allowed)
    {
      double dash[] = { 5, 4 };
      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_move_to (cr, x, OM_TIMELINE_AXIS_HEIGHT);
  cairo_line_to (cr, x, self->layout->height - 4);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (self->marker_allowed)
    {
      /* an arrow head: it goes here */
      cairo_move_to (cr, x - 7, OM_TIMELINE_AXIS_HEIGHT - 8);
      cairo_line_to (cr, x + 7, OM_TIMELINE_AXIS_HEIGHT - 8);
      cairo_line_to (cr, x, OM_TIMELINE_AXIS_HEIGHT);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
  else
    {
      g_autoptr(PangoLayout) text = pango_layout_new (context);
      int tw, th;
      double bx, by;

      /* "not allowed": a barred circle, and the model's reason */
      cairo_set_line_width (cr, 2.5);
      cairo_arc (cr, x, OM_TIMELINE_BAR_Y, 9, 0, 2 * G_PI);
      cairo_move_to (cr, x - 6.4, OM_TIMELINE_BAR_Y - 6.4);
      cairo_line_to (cr, x + 6.4, OM_TIMELINE_BAR_Y + 6.4);
      cairo_stroke (cr);

      pango_layout_set_text (text, self->marker_reason ? self->marker_reason : "", -1);
      pango_layout_set_width (text, 320 * PANGO_SCALE);
      pango_layout_set_wrap (text, PANGO_WRAP_WORD_CHAR);
      pango_layout_get_pixel_size (text, &tw, &th);
      /* at the bottom, clear of the dragged card that hangs from the
       * pointer, and in view */
      bx = MIN (x + 14, visible_x1 - tw - 12);
      bx = MAX (bx, visible_x0 + 10);
      by = self->layout->height - th - 10;
      cairo_rectangle (cr, bx - 6, by - 4, tw + 12, th + 8);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, bx, by);
      pango_cairo_show_layout (cr, text);
    }
  cairo_restore (cr);
}

/* Context menu */

/* back to the stage the menu was opened on, unless an action moved on */
static gboolean
refocus_stage_cb (gpointer user_data)
{
  OmTimeline *self = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (self->menu_stage != NULL && gtk_widget_get_parent (self->menu_stage) == GTK_WIDGET (self) &&
      (focus == NULL || focus == self->menu || gtk_widget_is_ancestor (focus, self->menu)))
    gtk_widget_grab_focus (self->menu_stage);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
menu_closed_cb (OmTimeline *self)
{
  g_idle_add (refocus_stage_cb, g_object_ref (self));
}

static void
stage_context_menu_cb (OmStageWidget *child,
                       OmTimeline    *self)
{
  graphene_rect_t rect;
  GdkRectangle pointing;
  double x0, x1;

  if (self->menu == NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      g_autoptr(GMenu) decide = g_menu_new ();
      g_autoptr(GMenu) move = g_menu_new ();
      g_autoptr(GMenu) edit = g_menu_new ();

      g_menu_append (decide, _("Mark _Won"), "win.stage-win");
      g_menu_append (decide, _("Mark _Lost…"), "win.stage-lose");
      g_menu_append (move, _("Move _Earlier"), "win.stage-move-earlier");
      g_menu_append (move, _("Move _Later"), "win.stage-move-later");
      g_menu_append (edit, _("_Add Stage After"), "win.stage-add-after");
      g_menu_append (edit, _("_Remove Stage"), "win.stage-remove");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (decide));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (move));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
      self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), TRUE);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
      g_signal_connect_swapped (self->menu, "closed", G_CALLBACK (menu_closed_cb), self);
    }
  g_set_weak_pointer (&self->menu_stage, GTK_WIDGET (child));

  om_stage_widget_get_rect (&g_array_index (om_timeline_get_layout (self)->stages, OmTimelineStage,
                                            child_position (self, GTK_WIDGET (child))), &rect);
  /* a long stage reaches far out of view: point at the part in view */
  visible_range (self, &x0, &x1);
  x0 = MAX (x0, rect.origin.x);
  x1 = MIN (x1, rect.origin.x + rect.size.width);
  if (x1 <= x0)
    x0 = x1 = rect.origin.x + rect.size.width;
  pointing.x = (int) x0;
  pointing.y = (int) rect.origin.y;
  pointing.width = MAX (1, (int) (x1 - x0));
  pointing.height = (int) rect.size.height;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &pointing);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* One child per stage, kept by stage: a moved stage keeps its widget,
 * and with it the keyboard focus. */
static void
sync_children (OmTimeline *self)
{
  g_autoptr(GPtrArray) next = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) unused = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  GtkWidget *gone;
  GListModel *stages = self->opportunity ? om_opportunity_get_stages (self->opportunity) : NULL;
  guint n = stages ? g_list_model_get_n_items (stages) : 0;
  GtkWidget *previous = NULL;
  GtkWidget *selected_child = NULL;
  guint position;
  int was_selected;
  int now_selected;

  if (self->selected >= 0 && (guint) self->selected < self->children->len)
    selected_child = g_ptr_array_index (self->children, self->selected);

  /* a child per stage, found by its stage: a scan per stage made every
   * change of a 10,000-stage plan cost 50 million comparisons */
  for (guint j = 0; j < self->children->len; j++)
    {
      GtkWidget *child = g_ptr_array_index (self->children, j);
      g_hash_table_insert (unused, om_stage_widget_get_stage (OM_STAGE_WIDGET (child)), child);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OmStage) stage = g_list_model_get_item (stages, i);
      GtkWidget *child = g_hash_table_lookup (unused, stage);

      if (child != NULL)
        g_hash_table_remove (unused, stage);

      if (child == NULL)
        {
          GtkDragSource *source = gtk_drag_source_new ();

          child = om_stage_widget_new (stage);
          g_signal_connect_object (child, "activate", G_CALLBACK (stage_activated_cb), self, 0);
          g_signal_connect_object (child, "context-menu", G_CALLBACK (stage_context_menu_cb), self, 0);
          gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
          g_signal_connect_object (source, "prepare", G_CALLBACK (drag_prepare_cb), self, 0);
          g_signal_connect_object (source, "drag-begin", G_CALLBACK (drag_begin_cb), self, 0);
          g_signal_connect_object (source, "drag-end", G_CALLBACK (drag_end_cb), self, 0);
          gtk_widget_add_controller (child, GTK_EVENT_CONTROLLER (source));
          gtk_widget_insert_after (child, GTK_WIDGET (self), previous);
        }
      else
        gtk_widget_insert_after (child, GTK_WIDGET (self), previous);
      g_ptr_array_add (next, g_object_ref (child));
      previous = child;
    }

  g_hash_table_iter_init (&iter, unused);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &gone))
    gtk_widget_unparent (gone);

  /* self->selected indexes the old children: clear it before they go */
  if (selected_child != NULL)
    om_stage_widget_set_selected (OM_STAGE_WIDGET (selected_child), FALSE);
  was_selected = self->selected;
  self->selected = -1;
  g_ptr_array_unref (self->children);
  self->children = g_steal_pointer (&next);

  /* the selection follows its stage when the plan is reordered, by a
   * drop, a move or an undo; a removed stage leaves it where it was */
  if (selected_child != NULL && g_ptr_array_find (self->children, selected_child, &position))
    now_selected = (int) position;
  else if (was_selected >= (int) n)
    now_selected = n > 0 ? (int) n - 1 : -1;
  else
    now_selected = was_selected;
  if (now_selected >= 0)
    om_stage_widget_set_selected (g_ptr_array_index (self->children, now_selected), TRUE);
  self->selected = now_selected;
  if (now_selected != was_selected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  invalidate (self);
}

static void
stages_changed_cb (OmTimeline *self)
{
  sync_children (self);
}

static void
opportunity_notify_cb (OmTimeline *self)
{
  /* dates, names, states: the picture changes, the children do not */
  invalidate (self);
}

static void
om_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  OmTimeline *self = OM_TIMELINE (widget);

  ensure_layout (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = (int) ceil (self->layout->width);
  else
    *minimum = *natural = (int) ceil (self->layout->height);

  /* children are measured too, as GTK requires before allocating them */
  for (guint i = 0; i < self->children->len; i++)
    gtk_widget_measure (g_ptr_array_index (self->children, i), orientation, -1, NULL, NULL, NULL, NULL);
}

static gboolean
fit_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  OmTimeline *self = OM_TIMELINE (widget);
  GtkWidget *viewport = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  int available = viewport ? gtk_widget_get_width (viewport) : gtk_widget_get_width (widget);

  self->fit_tick = 0;
  if (available <= 1)
    return G_SOURCE_REMOVE;

  self->fit_pending = FALSE;
  if (self->opportunity != NULL)
    {
      const OmOpportunityData *data = om_opportunity_get_data (self->opportunity);
      double ppd = om_timeline_layout_fit_px_per_day (data, om_date_today (), available);

      /* a newly shown long plan opens readable, to be scrolled, rather
       * than squeezed; "fit" squeezes it on request */
      if (self->fit_readable && data->stages->len > 0)
        {
          g_autofree OmDate *dues = om_opportunity_data_get_due_dates (data);
          double days = MAX (1.0, (double) (dues[data->stages->len - 1] - data->start_date));
          ppd = MAX (ppd, READABLE_STAGE_SPACING * data->stages->len / days);
        }
      self->fit_readable = FALSE;
      om_timeline_set_px_per_day (self, ppd);
    }
  return G_SOURCE_REMOVE;
}

static void
om_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  OmTimeline *self = OM_TIMELINE (widget);

  /* fitting needs the width we were given: done on the next frame */
  if (self->fit_pending && self->fit_tick == 0)
    self->fit_tick = gtk_widget_add_tick_callback (widget, fit_tick_cb, NULL, NULL);

  ensure_layout (self);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
  for (guint i = 0; i < self->children->len && i < self->layout->stages->len; i++)
    {
      graphene_rect_t rect;
      GtkAllocation allocation;

      om_stage_widget_get_rect (&g_array_index (self->layout->stages, OmTimelineStage, i), &rect);
      allocation.x = (int) floor (rect.origin.x);
      allocation.y = (int) floor (rect.origin.y);
      allocation.width = (int) ceil (rect.size.width);
      allocation.height = (int) ceil (rect.size.height);
      gtk_widget_size_allocate (g_ptr_array_index (self->children, i), &allocation, -1);
    }
}

/* The keyboard's place: a ring around the stage's bar and diamond */
static void
paint_focus_ring (cairo_t                 *cr,
                  const OmTimelineStage   *stage,
                  const OmTimelinePalette *palette)
{
  graphene_rect_t rect;
  double r = 3, x, y, w, h;

  om_stage_widget_get_rect (stage, &rect);
  x = rect.origin.x + 1;
  y = rect.origin.y + 1;
  w = rect.size.width - 2;
  h = rect.size.height - 2;
  cairo_save (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, palette->current.red, palette->current.green, palette->current.blue, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Everything between @x0 and @x1: the axis, the stages that reach into
 * it as their widgets' states say, the today line and the drop marker */
static void
paint_range (OmTimeline              *self,
             cairo_t                 *cr,
             const OmTimelinePalette *palette,
             double                   x0,
             double                   x1,
             double                   visible_x0,
             double                   visible_x1)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));

  om_timeline_paint_axis (cr, self->layout, palette, context);
  /* under the stages: their text stays readable over it */
  om_timeline_paint_target (cr, self->layout, palette, context);
  for (guint i = 0; i < self->children->len && i < self->layout->stages->len; i++)
    {
      const OmTimelineStage *stage = &g_array_index (self->layout->stages, OmTimelineStage, i);
      GtkWidget *child = g_ptr_array_index (self->children, i);
      OmTimelinePaintFlags flags = OM_TIMELINE_PAINT_NONE;
      double s0, s1;

      om_timeline_stage_get_extent (stage, &s0, &s1);
      if (s1 < x0 || s0 > x1)
        continue;
      if ((int) i == self->selected)
        flags |= OM_TIMELINE_PAINT_SELECTED;
      if (gtk_widget_has_visible_focus (child))
        flags |= OM_TIMELINE_PAINT_FOCUSED;
      if (gtk_widget_has_css_class (child, "dragged"))
        flags |= OM_TIMELINE_PAINT_DRAGGED;
      om_timeline_paint_stage (cr, stage, palette, context, flags);
      if (flags & OM_TIMELINE_PAINT_FOCUSED)
        paint_focus_ring (cr, stage, palette);
    }
  om_timeline_paint_today (cr, self->layout, palette, context);
  if (self->marker_x >= 0)
    paint_marker (self, cr, visible_x0, visible_x1);
}

static void
om_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  OmTimeline *self = OM_TIMELINE (widget);
  OmTimelinePalette palette;
  double x0, x1;

  ensure_layout (self);
  om_timeline_palette_init_for_widget (&palette, widget);

  /* only what is in view, in pieces that a renderer can hold */
  visible_range (self, &x0, &x1);
  for (double x = x0; x < x1; x += MAX_DRAWING_WIDTH)
    {
      double width = MIN (MAX_DRAWING_WIDTH, x1 - x);
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                               &GRAPHENE_RECT_INIT (x, 0, width, gtk_widget_get_height (widget)));

      paint_range (self, cr, &palette, x, x + width, x0, x1);
      cairo_destroy (cr);
    }
}

static void
om_timeline_map (GtkWidget *widget)
{
  OmTimeline *self = OM_TIMELINE (widget);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);

  GTK_WIDGET_CLASS (om_timeline_parent_class)->map (widget);

  /* scrolling moves the timeline without drawing it again: what comes
   * into view must be painted */
  if (scrolled != NULL)
    {
      g_set_object (&self->hadjustment, gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled)));
      g_signal_connect_object (self->hadjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->hadjustment, "changed", G_CALLBACK (gtk_widget_queue_draw),
                               self, G_CONNECT_SWAPPED);
    }
}

static void
om_timeline_unmap (GtkWidget *widget)
{
  OmTimeline *self = OM_TIMELINE (widget);

  if (self->hadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->hadjustment, self);
      g_clear_object (&self->hadjustment);
    }
  GTK_WIDGET_CLASS (om_timeline_parent_class)->unmap (widget);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           OmTimeline               *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || dy == 0)
    return FALSE;
  om_timeline_zoom (self, dy < 0 ? 1.25 : 0.8);
  return TRUE;
}

static void
om_timeline_dispose (GObject *object)
{
  OmTimeline *self = (OmTimeline *) object;

  om_timeline_set_opportunity (self, NULL);
  if (self->fit_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_tick);
      self->fit_tick = 0;
    }
  g_clear_pointer (&self->layout, om_timeline_layout_free);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_weak_pointer (&self->menu_stage);
  g_clear_weak_pointer (&self->active_drag);
  g_clear_pointer (&self->marker_reason, g_free);
  stop_autoscroll (self);
  if (self->hadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->hadjustment, self);
      g_clear_object (&self->hadjustment);
    }
  if (self->children != NULL)
    {
      for (guint i = 0; i < self->children->len; i++)
        gtk_widget_unparent (g_ptr_array_index (self->children, i));
      g_clear_pointer (&self->children, g_ptr_array_unref);
    }

  G_OBJECT_CLASS (om_timeline_parent_class)->dispose (object);
}

static void
om_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OmTimeline *self = OM_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_OPPORTUNITY:
      g_value_set_object (value, self->opportunity);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    case PROP_PX_PER_DAY:
      g_value_set_double (value, self->px_per_day);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  OmTimeline *self = OM_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_OPPORTUNITY:
      om_timeline_set_opportunity (self, g_value_get_object (value));
      break;
    case PROP_SELECTED:
      om_timeline_set_selected (self, g_value_get_int (value));
      break;
    case PROP_PX_PER_DAY:
      om_timeline_set_px_per_day (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_timeline_class_init (OmTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_timeline_dispose;
  object_class->get_property = om_timeline_get_property;
  object_class->set_property = om_timeline_set_property;
  widget_class->measure = om_timeline_measure;
  widget_class->size_allocate = om_timeline_size_allocate;
  widget_class->snapshot = om_timeline_snapshot;
  widget_class->map = om_timeline_map;
  widget_class->unmap = om_timeline_unmap;

  properties[PROP_OPPORTUNITY] =
    g_param_spec_object ("opportunity", NULL, NULL, OM_TYPE_OPPORTUNITY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PX_PER_DAY] =
    g_param_spec_double ("px-per-day", NULL, NULL, 0, 120, DEFAULT_PX_PER_DAY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmTimeline::refused:
   * @message: the model's reason
   *
   * A drag or a drop the model refused.
   */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
om_timeline_init (OmTimeline *self)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkDropTarget *target;

  self->children = g_ptr_array_new_with_free_func (g_object_unref);
  self->px_per_day = DEFAULT_PX_PER_DAY;
  self->selected = -1;

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  self->drag_from = -1;
  self->marker_x = -1;
  target = gtk_drop_target_new (OM_TYPE_STAGE, GDK_ACTION_MOVE);
  g_signal_connect (target, "motion", G_CALLBACK (drop_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline of the stages"),
                                  -1);
}

/**
 * om_timeline_palette_init_for_widget:
 *
 * The timeline's colours for @widget's theme, light or dark.
 */
void
om_timeline_palette_init_for_widget (OmTimelinePalette *palette,
                                     GtkWidget         *widget)
{
  GdkRGBA fg;
  OmRgba foreground;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  foreground = (OmRgba) { fg.red, fg.green, fg.blue, fg.alpha };
  /* a light text colour means a dark theme */
  om_timeline_palette_init_from (palette, &foreground, fg.red + fg.green + fg.blue > 1.5);
}

GtkWidget *
om_timeline_new (void)
{
  return g_object_new (OM_TYPE_TIMELINE, NULL);
}

/**
 * om_timeline_set_opportunity:
 *
 * Shows @opportunity's plan, zoomed to fit, and follows its edits.
 */
void
om_timeline_set_opportunity (OmTimeline    *self,
                             OmOpportunity *opportunity)
{
  if (self->opportunity == opportunity)
    return;

  if (self->opportunity != NULL)
    {
      g_signal_handlers_disconnect_by_data (om_opportunity_get_stages (self->opportunity), self);
      g_signal_handlers_disconnect_by_data (self->opportunity, self);
    }
  g_set_object (&self->opportunity, opportunity);
  if (opportunity != NULL)
    {
      g_signal_connect_swapped (om_opportunity_get_stages (opportunity), "items-changed",
                                G_CALLBACK (stages_changed_cb), self);
      g_signal_connect_swapped (opportunity, "changed", G_CALLBACK (opportunity_notify_cb), self);
      self->fit_pending = TRUE;
      self->fit_readable = TRUE;
    }

  self->selected = -1;
  if (self->children != NULL)
    sync_children (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPPORTUNITY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

OmOpportunity *
om_timeline_get_opportunity (OmTimeline *self)
{
  return self->opportunity;
}

int
om_timeline_get_selected (OmTimeline *self)
{
  return self->selected;
}

void
om_timeline_set_selected (OmTimeline *self,
                          int         position)
{
  if (position >= (int) self->children->len)
    position = -1;
  if (self->selected == position)
    return;
  /* the picture changes, not where anything is: no new layout for
   * thousands of stages at each click */
  if (self->selected >= 0)
    om_stage_widget_set_selected (g_ptr_array_index (self->children, self->selected), FALSE);
  self->selected = MAX (position, -1);
  if (self->selected >= 0)
    om_stage_widget_set_selected (g_ptr_array_index (self->children, self->selected), TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

double
om_timeline_get_px_per_day (OmTimeline *self)
{
  return self->px_per_day;
}

void
om_timeline_set_px_per_day (OmTimeline *self,
                            double      px_per_day)
{
  if (self->opportunity != NULL)
    px_per_day = om_timeline_layout_clamp_px_per_day (om_opportunity_get_data (self->opportunity),
                                                      om_date_today (), px_per_day);
  else
    px_per_day = CLAMP (px_per_day, 0.25, 120);
  if (self->px_per_day == px_per_day)
    return;
  self->px_per_day = px_per_day;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PX_PER_DAY]);
}

/**
 * om_timeline_zoom:
 * @factor: above 1 zooms in
 *
 * Zooms around the middle of what is in view, so the dates there stay.
 */
void
om_timeline_zoom (OmTimeline *self,
                  double      factor)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj = scrolled ? gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled)) : NULL;
  double old;
  double centre = 0;

  /* from the zoom the plan is drawn at, which its length may have capped */
  ensure_layout (self);
  old = self->layout->px_per_day;
  if (adj != NULL)
    centre = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) / 2;

  om_timeline_set_px_per_day (self, old * factor);

  if (adj != NULL && old > 0)
    {
      double day;
      double x;

      ensure_layout (self);
      day = (centre - OM_TIMELINE_MARGIN) / old;
      x = OM_TIMELINE_MARGIN + day * self->layout->px_per_day;
      gtk_adjustment_set_upper (adj, MAX (gtk_adjustment_get_upper (adj), self->layout->width));
      gtk_adjustment_set_value (adj, x - gtk_adjustment_get_page_size (adj) / 2);
    }
}

/**
 * om_timeline_zoom_to_fit:
 *
 * Zooms so the whole plan shows in the space the timeline has.
 */
void
om_timeline_zoom_to_fit (OmTimeline *self)
{
  self->fit_pending = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/**
 * om_timeline_get_layout:
 *
 * Returns: (transfer none): where everything is drawn, for tests and
 *   for the drop target
 */
const OmTimelineLayout *
om_timeline_get_layout (OmTimeline *self)
{
  ensure_layout (self);
  return self->layout;
}

GtkWidget *
om_timeline_get_stage_widget (OmTimeline *self,
                              guint       position)
{
  if (position >= self->children->len)
    return NULL;
  return g_ptr_array_index (self->children, position);
}

gboolean
om_timeline_focus_stage (OmTimeline *self,
                         guint       position)
{
  GtkWidget *child = om_timeline_get_stage_widget (self, position);

  return child != NULL && gtk_widget_grab_focus (child);
}

/**
 * om_timeline_refresh:
 *
 * Lays the timeline out again, for a new day: the today line moves.
 */
void
om_timeline_refresh (OmTimeline *self)
{
  invalidate (self);
}
