/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-opportunity-row.h"

/**
 * OmOpportunityRow:
 *
 * An opportunity in the sidebar: title, client, status, how many
 * process-health warnings it has, progress and chain probability, kept
 * up to date as the opportunity changes.
 */
struct _OmOpportunityRow
{
  GtkWidget      parent_instance;

  OmOpportunity *opportunity;
  char          *draft_title;   /* being typed, not yet committed */
  char          *draft_client;
  GtkWidget     *box;
  GtkWidget     *title;
  GtkWidget     *client;
  GtkWidget     *status;
  GtkWidget     *progress;
  GtkWidget     *chance;
  GtkWidget     *warnings;      /* the health warnings' count, with its icon */
  GtkWidget     *n_warnings;
};

G_DEFINE_FINAL_TYPE (OmOpportunityRow, om_opportunity_row, GTK_TYPE_WIDGET)

/* GTK 4.8's list items have no accessible label of their own (GTK 4.12
 * added gtk_list_item_set_accessible_label()): the list item widget
 * around the row is what a screen reader lands on, so it gets the name;
 * the row itself only when it stands alone. */
static GtkAccessible *
named_accessible (OmOpportunityRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  return GTK_ACCESSIBLE (parent != NULL ? parent : GTK_WIDGET (self));
}

static void
update (OmOpportunityRow *self)
{
  OmOpportunity *opp = self->opportunity;
  g_autofree char *title = NULL;
  g_autofree char *client = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *chance = NULL;
  g_autofree char *status = NULL;
  g_autofree char *spoken_status = NULL;
  g_autofree char *description = NULL;
  g_autofree char *warnings = NULL;
  OmOpportunityStatus st;
  gboolean overdue;
  int n_warnings;

  if (opp == NULL)
    return;

  /* a list row shows one line of a name, however long or multi-line;
   * while the name is being typed, what is typed */
  title = om_text_excerpt (self->draft_title ? self->draft_title : om_opportunity_get_title (opp));
  client = om_text_excerpt (self->draft_client ? self->draft_client : om_opportunity_get_client (opp));
  st = om_opportunity_get_status (opp);
  overdue = st == OM_OPPORTUNITY_STATUS_OPEN && om_opportunity_get_overdue (opp);
  gtk_label_set_text (GTK_LABEL (self->title), title);
  gtk_label_set_text (GTK_LABEL (self->client), client);

  if (overdue)
    {
      /* Translators: status of an open opportunity whose current stage is late */
      status = g_strdup (_("Overdue"));
      /* Translators: how a screen reader reads the status of an open, late opportunity */
      spoken_status = g_strdup_printf (_("%s, overdue"), om_opportunity_status_to_label (st));
    }
  else
    {
      status = g_strdup (om_opportunity_status_to_label (st));
      spoken_status = g_strdup (status);
    }
  gtk_label_set_text (GTK_LABEL (self->status), status);
  gtk_widget_remove_css_class (self->status, "success");
  gtk_widget_remove_css_class (self->status, "error");
  gtk_widget_remove_css_class (self->status, "warning");
  if (st == OM_OPPORTUNITY_STATUS_WON)
    gtk_widget_add_css_class (self->status, "success");
  else if (st == OM_OPPORTUNITY_STATUS_LOST)
    gtk_widget_add_css_class (self->status, "error");
  else if (overdue)
    gtk_widget_add_css_class (self->status, "warning");

  /* Translators: progress of an opportunity, e.g. "3 of 6 won" */
  progress = g_strdup_printf (_("%u of %u won"), om_opportunity_get_n_won (opp), om_opportunity_get_n_stages (opp));
  gtk_label_set_text (GTK_LABEL (self->progress), progress);
  chance = g_strdup_printf (_("%.0f %%"), om_opportunity_get_chain_probability (opp) * 100);
  gtk_label_set_text (GTK_LABEL (self->chance), chance);

  /* not known for a plan an upgraded file has not rewritten yet: then
   * nothing is said rather than a wrong number */
  n_warnings = om_opportunity_get_n_warnings (opp);
  gtk_widget_set_visible (self->warnings, n_warnings > 0);
  if (n_warnings > 0)
    {
      g_autofree char *count = g_strdup_printf ("%d", n_warnings);

      gtk_label_set_text (GTK_LABEL (self->n_warnings), count);
      warnings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d process warning", "%d process warnings", n_warnings),
                                  n_warnings);
      om_accessible_set_tooltip (self->warnings, warnings);
    }
  else
    warnings = g_strdup (n_warnings == 0 ? _("no process warnings") : "");

  /* Translators: a sidebar row read aloud: title, client, status, progress, chain probability, warnings */
  description = g_strdup_printf (_("%s, %s. %s, %s, chain probability %s. %s"),
                                 title, client, spoken_status, progress, chance, warnings);
  gtk_accessible_update_property (named_accessible (self), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

static GtkWidget *
make_label (const char *css,
            float       xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css)
    gtk_widget_add_css_class (label, css);
  return label;
}

static void
om_opportunity_row_dispose (GObject *object)
{
  OmOpportunityRow *self = (OmOpportunityRow *) object;

  om_opportunity_row_set_opportunity (self, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->draft_title, g_free);
  g_clear_pointer (&self->draft_client, g_free);

  G_OBJECT_CLASS (om_opportunity_row_parent_class)->dispose (object);
}

static void
om_opportunity_row_class_init (OmOpportunityRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = om_opportunity_row_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
om_opportunity_row_init (OmOpportunityRow *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (self->box, 10);
  gtk_widget_set_margin_end (self->box, 10);
  gtk_widget_set_margin_top (self->box, 8);
  gtk_widget_set_margin_bottom (self->box, 8);

  self->title = make_label ("heading", 0);
  gtk_widget_set_hexpand (self->title, TRUE);
  self->status = make_label ("caption-heading", 1);
  self->client = make_label ("dim-label", 0);
  gtk_widget_set_hexpand (self->client, TRUE);
  self->progress = make_label ("caption", 1);
  self->chance = make_label ("caption", 1);
  gtk_label_set_width_chars (GTK_LABEL (self->chance), 5);

  gtk_box_append (GTK_BOX (top), self->title);
  gtk_box_append (GTK_BOX (top), self->status);
  self->warnings = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  self->n_warnings = make_label ("caption", 1);
  gtk_box_append (GTK_BOX (self->warnings), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_box_append (GTK_BOX (self->warnings), self->n_warnings);
  gtk_widget_add_css_class (self->warnings, "warning");

  gtk_box_append (GTK_BOX (bottom), self->client);
  gtk_box_append (GTK_BOX (bottom), self->warnings);
  gtk_box_append (GTK_BOX (bottom), self->progress);
  gtk_box_append (GTK_BOX (bottom), self->chance);
  gtk_box_append (GTK_BOX (self->box), top);
  gtk_box_append (GTK_BOX (self->box), bottom);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

GtkWidget *
om_opportunity_row_new (void)
{
  return g_object_new (OM_TYPE_OPPORTUNITY_ROW, NULL);
}

void
om_opportunity_row_set_opportunity (OmOpportunityRow *self,
                                    OmOpportunity    *opportunity)
{
  if (self->opportunity == opportunity)
    return;
  if (self->opportunity != NULL)
    g_signal_handlers_disconnect_by_data (self->opportunity, self);
  g_clear_pointer (&self->draft_title, g_free);
  g_clear_pointer (&self->draft_client, g_free);
  g_set_object (&self->opportunity, opportunity);
  if (opportunity != NULL)
    g_signal_connect_swapped (opportunity, "changed", G_CALLBACK (update), self);
  update (self);
}

/**
 * om_opportunity_row_set_draft:
 * @title: (nullable): the title being typed for the opportunity, or
 *   %NULL to show its own
 * @client: (nullable): likewise for the client
 *
 * Shows what is being typed in the opportunity's page before it is
 * committed, so the row is never behind the page.
 */
void
om_opportunity_row_set_draft (OmOpportunityRow *self,
                              const char       *title,
                              const char       *client)
{
  g_return_if_fail (OM_IS_OPPORTUNITY_ROW (self));

  if (g_strcmp0 (self->draft_title, title) == 0 && g_strcmp0 (self->draft_client, client) == 0)
    return;
  g_free (self->draft_title);
  self->draft_title = g_strdup (title);
  g_free (self->draft_client);
  self->draft_client = g_strdup (client);
  update (self);
}
