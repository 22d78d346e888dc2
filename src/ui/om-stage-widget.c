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
 * its activity bar and milestone. The timeline draws it, with its label,
 * its selection and its focus ring, as it draws only what is in view.
 */
struct _OmStageWidget
{
  GtkWidget        parent_instance;

  OmStage         *stage;
  OmTimelineStage  layout;      /* a copy; strings owned */
  char            *description; /* its tooltip and accessible name */
  gboolean         has_layout;
  gboolean         selected;
  gboolean         selected_told;
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
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (om_stage_widget_parent_class)->dispose (object);
}

/* The allocation, in timeline coordinates: the bar and the diamond */
void
om_stage_widget_get_rect (const OmTimelineStage *layout,
                          graphene_rect_t       *rect)
{
  double x, y, width, height;

  om_timeline_stage_get_box (layout, &x, &y, &width, &height);
  graphene_rect_init (rect, (float) x, (float) y, (float) width, (float) height);
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

/* the focus ring is drawn by the timeline */
static void
om_stage_widget_state_flags_changed (GtkWidget     *widget,
                                     GtkStateFlags  previous)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  GTK_WIDGET_CLASS (om_stage_widget_parent_class)->state_flags_changed (widget, previous);
  if (parent != NULL)
    gtk_widget_queue_draw (parent);
}

static void
om_stage_widget_class_init (OmStageWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_stage_widget_dispose;
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
  graphene_rect_t before, after;
  gboolean moved;

  om_stage_widget_get_rect (layout, &after);
  if (self->has_layout)
    om_stage_widget_get_rect (&self->layout, &before);
  moved = !self->has_layout || !graphene_rect_equal (&before, &after);

  clear_layout (self);
  self->layout = *layout;
  self->layout.activity = g_strdup (layout->activity);
  self->layout.milestone = g_strdup (layout->milestone);
  self->layout.detail = g_strdup (layout->detail);
  self->has_layout = TRUE;

  /* a zoom lays out every stage of a long plan again: only what changed
   * is told to GTK (the layout's texts are bounded excerpts) */
  description = om_timeline_stage_describe (layout, n_stages);
  if (g_strcmp0 (description, self->description) != 0)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                      -1);
      g_free (self->description);
      self->description = g_steal_pointer (&description);
    }
  om_stage_widget_set_selected (self, selected);
  if (moved)
    gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * om_stage_widget_set_selected:
 *
 * Tells screen readers whether the stage is the one the editor shows.
 */
void
om_stage_widget_set_selected (OmStageWidget *self,
                              gboolean       selected)
{
  g_return_if_fail (OM_IS_STAGE_WIDGET (self));

  selected = !!selected;
  if (self->selected == selected && self->selected_told)
    return;
  self->selected = selected;
  self->selected_told = TRUE;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_SELECTED, selected,
                               -1);
}
