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
  guint             fit_tick;
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

#define DEFAULT_PX_PER_DAY 8.0

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

static void
stage_activated_cb (OmStageWidget *child,
                    OmTimeline    *self)
{
  for (guint i = 0; i < self->children->len; i++)
    if (g_ptr_array_index (self->children, i) == child)
      om_timeline_set_selected (self, (int) i);
}

/* One child per stage, kept by stage: a moved stage keeps its widget,
 * and with it the keyboard focus. */
static void
sync_children (OmTimeline *self)
{
  g_autoptr(GPtrArray) next = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *stages = self->opportunity ? om_opportunity_get_stages (self->opportunity) : NULL;
  guint n = stages ? g_list_model_get_n_items (stages) : 0;
  GtkWidget *previous = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OmStage) stage = g_list_model_get_item (stages, i);
      GtkWidget *child = NULL;

      for (guint j = 0; j < self->children->len && child == NULL; j++)
        if (om_stage_widget_get_stage (g_ptr_array_index (self->children, j)) == stage)
          child = g_ptr_array_index (self->children, j);

      if (child == NULL)
        {
          child = om_stage_widget_new (stage);
          g_signal_connect_object (child, "activate", G_CALLBACK (stage_activated_cb), self, 0);
          gtk_widget_insert_after (child, GTK_WIDGET (self), previous);
        }
      else
        gtk_widget_insert_after (child, GTK_WIDGET (self), previous);
      g_ptr_array_add (next, g_object_ref (child));
      previous = child;
    }

  for (guint j = 0; j < self->children->len; j++)
    {
      GtkWidget *child = g_ptr_array_index (self->children, j);
      if (!g_ptr_array_find (next, child, NULL))
        gtk_widget_unparent (child);
    }

  g_ptr_array_unref (self->children);
  self->children = g_steal_pointer (&next);

  if (self->selected >= (int) n)
    om_timeline_set_selected (self, n > 0 ? (int) n - 1 : -1);
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
    om_timeline_set_px_per_day (self, om_timeline_layout_fit_px_per_day (om_opportunity_get_data (self->opportunity),
                                                                         om_date_today (), available));
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

static void
om_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  OmTimeline *self = OM_TIMELINE (widget);
  OmTimelinePalette palette;
  GdkRGBA fg;
  cairo_t *cr;
  PangoContext *context = gtk_widget_get_pango_context (widget);

  ensure_layout (self);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  om_timeline_palette_init_from (&palette, &fg, fg.red + fg.green + fg.blue > 1.5);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                                  gtk_widget_get_height (widget)));
  om_timeline_paint_axis (cr, self->layout, &palette, context);
  cairo_destroy (cr);

  for (guint i = 0; i < self->children->len; i++)
    gtk_widget_snapshot_child (widget, g_ptr_array_index (self->children, i), snapshot);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                                  gtk_widget_get_height (widget)));
  om_timeline_paint_today (cr, self->layout, &palette, context);
  cairo_destroy (cr);
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

  properties[PROP_OPPORTUNITY] =
    g_param_spec_object ("opportunity", NULL, NULL, OM_TYPE_OPPORTUNITY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PX_PER_DAY] =
    g_param_spec_double ("px-per-day", NULL, NULL, 0.25, 120, DEFAULT_PX_PER_DAY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
om_timeline_init (OmTimeline *self)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  self->children = g_ptr_array_new_with_free_func (g_object_unref);
  self->px_per_day = DEFAULT_PX_PER_DAY;
  self->selected = -1;

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Timeline of the stages"),
                                  -1);
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
      g_signal_connect_swapped (opportunity, "notify", G_CALLBACK (opportunity_notify_cb), self);
      self->fit_pending = TRUE;
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
  self->selected = MAX (position, -1);
  invalidate (self);
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
  double old = self->px_per_day;
  double centre = 0;

  if (adj != NULL)
    centre = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) / 2;

  om_timeline_set_px_per_day (self, old * factor);

  if (adj != NULL && old > 0)
    {
      double day = (centre - OM_TIMELINE_MARGIN) / old;
      double x = OM_TIMELINE_MARGIN + day * self->px_per_day;

      ensure_layout (self);
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
