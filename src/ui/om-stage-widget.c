/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include "om-stage-widget.h"
#include "om-timeline.h"

/**
 * OmStageWidget:
 *
 * One stage on the timeline: the focusable, clickable object that
 * pointer, keyboard, tooltips and screen readers share. It is allocated
 * its activity bar and milestone; its label, placed by the timeline's
 * layout below, is drawn beyond that allocation.
 */
struct _OmStageWidget
{
  GtkWidget        parent_instance;

  OmStage         *stage;
  OmTimelineStage  layout;      /* a copy; strings owned */
  gboolean         has_layout;
  gboolean         selected;
};

G_DEFINE_FINAL_TYPE (OmStageWidget, om_stage_widget, GTK_TYPE_WIDGET)

enum {
  ACTIVATE,
  CONTEXT_MENU,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_layout (OmStageWidget *self)
{
  g_clear_pointer (&self->layout.activity, g_free);
  g_clear_pointer (&self->layout.milestone, g_free);
  g_clear_pointer (&self->layout.detail, g_free);
  self->has_layout = FALSE;
}

static void
om_stage_widget_dispose (GObject *object)
{
  OmStageWidget *self = (OmStageWidget *) object;

  g_clear_object (&self->stage);
  clear_layout (self);

  G_OBJECT_CLASS (om_stage_widget_parent_class)->dispose (object);
}

/* The allocation, in timeline coordinates: the bar and the diamond */
void
om_stage_widget_get_rect (const OmTimelineStage *layout,
                          graphene_rect_t       *rect)
{
  double x0 = MIN (layout->bar_x0, layout->milestone_x - OM_TIMELINE_DIAMOND / 2);
  double x1 = layout->milestone_x + OM_TIMELINE_DIAMOND / 2 + 2;
  double y0 = OM_TIMELINE_BAR_Y - OM_TIMELINE_DIAMOND / 2 - 3;

  graphene_rect_init (rect, x0, y0, x1 - x0, OM_TIMELINE_DIAMOND + 6);
}

static void
om_stage_widget_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  OmStageWidget *self = OM_STAGE_WIDGET (widget);
  OmTimelinePalette palette;
  graphene_rect_t rect, bounds;
  cairo_t *cr;
  OmTimelinePaintFlags flags = OM_TIMELINE_PAINT_NONE;

  if (!self->has_layout)
    return;

  om_timeline_palette_init_for_widget (&palette, widget);

  om_stage_widget_get_rect (&self->layout, &rect);
  /* what the stage draws, its label included, in its own coordinates */
  graphene_rect_init (&bounds,
                      MIN (self->layout.bar_x0, self->layout.label_x) - rect.origin.x - 4,
                      -rect.origin.y,
                      MAX (rect.origin.x + rect.size.width, self->layout.label_x + self->layout.label_width) -
                        MIN (self->layout.bar_x0, self->layout.label_x) + 12,
                      self->layout.label_y + OM_TIMELINE_LABEL_HEIGHT);

  if (self->selected)
    flags |= OM_TIMELINE_PAINT_SELECTED;
  if (gtk_widget_has_visible_focus (widget))
    flags |= OM_TIMELINE_PAINT_FOCUSED;
  if (gtk_widget_has_css_class (widget, "dragged"))
    flags |= OM_TIMELINE_PAINT_DRAGGED;

  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_translate (cr, -rect.origin.x, -rect.origin.y);
  om_timeline_paint_stage (cr, &self->layout, &palette, gtk_widget_get_pango_context (widget), flags);
  cairo_destroy (cr);

  if (flags & OM_TIMELINE_PAINT_FOCUSED)
    {
      GskRoundedRect outline;
      GdkRGBA ring = palette.current;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA colors[4] = { ring, ring, ring, ring };

      gsk_rounded_rect_init_from_rect (&outline,
                                       &GRAPHENE_RECT_INIT (0, 0, rect.size.width, rect.size.height), 4);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }
}

static void
om_stage_widget_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  OmStageWidget *self = OM_STAGE_WIDGET (widget);
  graphene_rect_t rect = GRAPHENE_RECT_INIT (0, 0, OM_TIMELINE_DIAMOND, OM_TIMELINE_DIAMOND);

  if (self->has_layout)
    om_stage_widget_get_rect (&self->layout, &rect);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = (int) ceil (rect.size.width);
  else
    *minimum = *natural = (int) ceil (rect.size.height);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  OmStageWidget   *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  g_signal_emit (self, signals[ACTIVATE], 0);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      OmStageWidget   *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  g_signal_emit (self, signals[ACTIVATE], 0);
  g_signal_emit (self, signals[CONTEXT_MENU], 0);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
menu_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  g_signal_emit (widget, signals[ACTIVATE], 0);
  g_signal_emit (widget, signals[CONTEXT_MENU], 0);
}

static void
activate_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[ACTIVATE], 0);
}

/* the focus ring and the selection are drawn by the stage itself */
static void
om_stage_widget_state_flags_changed (GtkWidget     *widget,
                                     GtkStateFlags  previous)
{
  GTK_WIDGET_CLASS (om_stage_widget_parent_class)->state_flags_changed (widget, previous);
  gtk_widget_queue_draw (widget);
}

static void
om_stage_widget_class_init (OmStageWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_stage_widget_dispose;
  widget_class->snapshot = om_stage_widget_snapshot;
  widget_class->measure = om_stage_widget_measure;
  widget_class->state_flags_changed = om_stage_widget_state_flags_changed;

  /**
   * OmStageWidget::activate:
   *
   * The stage was clicked, or Enter or Space was pressed on it.
   */
  signals[ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_activate_signal (widget_class, signals[ACTIVATE]);

  /**
   * OmStageWidget::context-menu:
   *
   * The stage's menu was asked for: right click, the Menu key or
   * Shift+F10.
   */
  signals[CONTEXT_MENU] = g_signal_new ("context-menu", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_install_action (widget_class, "stage.menu", NULL, menu_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "stage.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "stage.menu", NULL);

  gtk_widget_class_install_action (widget_class, "stage.activate", NULL, activate_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "stage.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "stage.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "stage.activate", NULL);

  gtk_widget_class_set_css_name (widget_class, "stage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
om_stage_widget_init (OmStageWidget *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_VISIBLE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
om_stage_widget_new (OmStage *stage)
{
  OmStageWidget *self = g_object_new (OM_TYPE_STAGE_WIDGET, NULL);

  self->stage = g_object_ref (stage);
  return GTK_WIDGET (self);
}

OmStage *
om_stage_widget_get_stage (OmStageWidget *self)
{
  return self->stage;
}

/**
 * om_stage_widget_set_layout:
 *
 * Takes the stage's place and look from the timeline's layout, and
 * reads it out for screen readers and tooltips.
 */
void
om_stage_widget_set_layout (OmStageWidget         *self,
                            const OmTimelineStage *layout,
                            guint                  n_stages,
                            gboolean               selected)
{
  g_autofree char *description = NULL;

  clear_layout (self);
  self->layout = *layout;
  self->layout.activity = g_strdup (layout->activity);
  self->layout.milestone = g_strdup (layout->milestone);
  self->layout.detail = g_strdup (layout->detail);
  self->has_layout = TRUE;
  self->selected = selected;

  description = om_timeline_stage_describe (layout, n_stages);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_SELECTED, selected,
                               -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
