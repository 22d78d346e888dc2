/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include "om-accessible.h"

/**
 * om_accessible_name_buttons_by_label:
 * @root: a widget whose buttons (itself included) are built
 *
 * GTK 4.8's GtkButton copies its label text, underscore included, into
 * its accessible label, while the label child that shows the mnemonic
 * also labels the button (labelled-by): a screen reader reads both,
 * "_Add Stage Add Stage". The copy is dropped, so that a button with a
 * mnemonic is named by what it shows, once and without the underscore.
 * Call it once the buttons have their labels.
 */
void
om_accessible_name_buttons_by_label (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    om_accessible_name_buttons_by_label (child);

  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
      gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static GQuark
tooltip_quark (void)
{
  return g_quark_from_static_string ("om-accessible-tooltip");
}

/* set on a widget once its ::query-tooltip handler is connected */
static GQuark
asked_quark (void)
{
  return g_quark_from_static_string ("om-accessible-tooltip-asked");
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  const char *text = g_object_get_qdata (G_OBJECT (widget), tooltip_quark ());

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * om_accessible_set_tooltip:
 * @widget: a widget
 * @text: (nullable): its tooltip, also its accessible description;
 *   %NULL or empty for none
 *
 * What gtk_widget_set_tooltip_text() does, without its cost on X11:
 * GTK 4.8 asks the display where the pointer is at every call, in case
 * a tooltip already showing must follow its new text, which is three
 * round trips to the X server per call, whether or not the widget is
 * on screen. A sidebar row paid them at every bind and a plan at every
 * edit, before the first frame too. Here the text is kept on the widget
 * and given to GTK when a tooltip is asked for (::query-tooltip); a
 * tooltip showing gets its new text when the pointer next moves. The
 * accessible description is set, as GTK sets it from a tooltip.
 * Setting the text it already has costs nothing.
 */
void
om_accessible_set_tooltip (GtkWidget  *widget,
                           const char *text)
{
  GObject *object;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  object = G_OBJECT (widget);
  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (text, g_object_get_qdata (object, tooltip_quark ())) == 0)
    return;

  if (g_object_get_qdata (object, asked_quark ()) == NULL)
    {
      g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
      g_object_set_qdata (object, asked_quark (), GINT_TO_POINTER (TRUE));
    }
  g_object_set_qdata_full (object, tooltip_quark (), g_strdup (text), g_free);
  gtk_widget_set_has_tooltip (widget, text != NULL);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/**
 * om_accessible_get_tooltip:
 * @widget: a widget
 *
 * Returns: (nullable): the tooltip om_accessible_set_tooltip() gave @widget
 */
const char *
om_accessible_get_tooltip (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  return g_object_get_qdata (G_OBJECT (widget), tooltip_quark ());
}
