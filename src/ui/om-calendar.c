/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include "om-calendar.h"

/*
 * A calendar whose chosen day is an edit (a start date, an agreed date)
 * must not commit every day the arrow keys pass over on the way to the
 * one meant, should the calendar select, and say so, as the keys move.
 * Such a calendar is "browsing" while a key other than Space is down;
 * Space chooses the day the keys reached, as a click does (GtkCalendar's
 * own key for it).
 */

#define BROWSING "om-calendar-browsing"

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkCalendar           *calendar)
{
  if (keyval == GDK_KEY_space || keyval == GDK_KEY_KP_Space)
    {
      /* the calendar selects the day the keys reached, and says so */
      g_object_set_data (G_OBJECT (calendar), BROWSING, NULL);
      return GDK_EVENT_PROPAGATE;
    }
  g_object_set_data (G_OBJECT (calendar), BROWSING, GINT_TO_POINTER (TRUE));
  return GDK_EVENT_PROPAGATE;
}

static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkCalendar           *calendar)
{
  g_object_set_data (G_OBJECT (calendar), BROWSING, NULL);
}

/**
 * om_calendar_choose_by_click_or_enter:
 *
 * Makes @calendar tell its "day-selected" handlers, through
 * om_calendar_is_browsing(), whether a day was chosen (a click, Space)
 * or only passed over with the keys.
 */
void
om_calendar_choose_by_click_or_enter (GtkCalendar *calendar)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_return_if_fail (GTK_IS_CALENDAR (calendar));

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), calendar);
  g_signal_connect (keys, "key-released", G_CALLBACK (key_released_cb), calendar);
  gtk_widget_add_controller (GTK_WIDGET (calendar), keys);
}

/**
 * om_calendar_is_browsing:
 *
 * Returns: whether the day @calendar just selected was only passed over
 *   with the arrow keys, not chosen
 */
gboolean
om_calendar_is_browsing (GtkCalendar *calendar)
{
  g_return_val_if_fail (GTK_IS_CALENDAR (calendar), FALSE);

  return g_object_get_data (G_OBJECT (calendar), BROWSING) != NULL;
}
