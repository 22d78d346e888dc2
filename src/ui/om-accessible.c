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
