/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-fold-dialog.h"

/**
 * OmFoldDialog:
 *
 * Simplify with a Feasibility Study (issue 15): the person chooses the
 * run of stages the study replaces, sees the plan now and afterwards
 * (pending stages, chain probability) as the model's dry run says, and
 * confirms the one edit. What the model refuses is said, and Simplify
 * is greyed out with the reason.
 */
struct _OmFoldDialog
{
  GtkWindow      parent_instance;

  OmOpportunity *opportunity;
  GtkStringList *stage_names;
  gboolean       filling;

  GtkDropDown   *first_dropdown;
  GtkDropDown   *last_dropdown;
  GtkLabel      *pending_before_label;
  GtkLabel      *pending_after_label;
  GtkLabel      *chain_before_label;
  GtkLabel      *chain_after_label;
  GtkLabel      *reason_label;
  GtkWidget     *confirm_button;
};

G_DEFINE_FINAL_TYPE (OmFoldDialog, om_fold_dialog, GTK_TYPE_WINDOW)

enum {
  FOLDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_percent (double p)
{
  /* Translators: a probability as a percentage */
  return g_strdup_printf (_("%.0f %%"), p * 100.0);
}

static char *
format_count (guint n)
{
  return g_strdup_printf ("%u", n);
}

/* Before and after, from the model's dry run of the run chosen */
static void
update (OmFoldDialog *self)
{
  guint first = gtk_drop_down_get_selected (self->first_dropdown);
  guint last = gtk_drop_down_get_selected (self->last_dropdown);
  guint n_pending = om_opportunity_get_n_stages (self->opportunity) - om_opportunity_get_n_won (self->opportunity);
  g_autofree char *pending_before = format_count (n_pending);
  g_autofree char *chain_before = format_percent (om_opportunity_get_chain_probability (self->opportunity));
  g_autoptr(GError) error = NULL;
  OmDerivedValues after;
  gboolean can;

  gtk_label_set_text (self->pending_before_label, pending_before);
  gtk_label_set_text (self->chain_before_label, chain_before);

  can = first != GTK_INVALID_LIST_POSITION && last != GTK_INVALID_LIST_POSITION &&
        om_opportunity_can_fold_feasibility (self->opportunity, first, last, &after, &error);
  if (can)
    {
      /* the run, all pending, becomes two pending stages */
      g_autofree char *pending_after = format_count (n_pending - (last - first + 1) + 2);
      g_autofree char *chain_after = format_percent (after.chain_probability);

      gtk_label_set_text (self->pending_after_label, pending_after);
      gtk_label_set_text (self->chain_after_label, chain_after);
      om_accessible_set_tooltip (self->confirm_button,
                                 _("Replace the stages chosen by a Feasibility Study, in one edit that Undo takes back"));
    }
  else
    {
      gtk_label_set_text (self->pending_after_label, "—");
      gtk_label_set_text (self->chain_after_label, "—");
      om_accessible_set_tooltip (self->confirm_button, error != NULL ? error->message : NULL);
    }
  gtk_label_set_text (self->reason_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), !can);
  gtk_widget_set_sensitive (self->confirm_button, can);
}

/* The stages to choose from, as messages name them */
static void
fill_stages (OmFoldDialog *self)
{
  const OmOpportunityData *data = om_opportunity_get_data (self->opportunity);
  guint first = gtk_drop_down_get_selected (self->first_dropdown);
  guint last = gtk_drop_down_get_selected (self->last_dropdown);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < data->stages->len; i++)
    g_ptr_array_add (names, om_stage_data_describe (om_opportunity_data_get_stage (data, i), i));
  g_ptr_array_add (names, NULL);

  self->filling = TRUE;
  gtk_string_list_splice (self->stage_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->stage_names)),
                          (const char * const *) names->pdata);
  if (first != GTK_INVALID_LIST_POSITION && first < data->stages->len)
    gtk_drop_down_set_selected (self->first_dropdown, first);
  if (last != GTK_INVALID_LIST_POSITION && last < data->stages->len)
    gtk_drop_down_set_selected (self->last_dropdown, last);
  self->filling = FALSE;
  update (self);
}

static void
selected_cb (OmFoldDialog *self)
{
  if (!self->filling)
    update (self);
}

/**
 * om_fold_dialog_confirm:
 *
 * Folds the run chosen, as Simplify does; on success the dialog closes.
 *
 * Returns: whether the model accepted it (otherwise the dialog says why)
 */
gboolean
om_fold_dialog_confirm (OmFoldDialog *self)
{
  guint first = gtk_drop_down_get_selected (self->first_dropdown);
  guint last = gtk_drop_down_get_selected (self->last_dropdown);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (OM_IS_FOLD_DIALOG (self), FALSE);

  if (!om_opportunity_fold_feasibility (self->opportunity, first, last, &error))
    {
      gtk_label_set_text (self->reason_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), TRUE);
      return FALSE;
    }
  g_signal_emit (self, signals[FOLDED], 0, first);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

static void
confirm_clicked_cb (OmFoldDialog *self)
{
  om_fold_dialog_confirm (self);
}

static void
om_fold_dialog_dispose (GObject *object)
{
  OmFoldDialog *self = (OmFoldDialog *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OM_TYPE_FOLD_DIALOG);
  g_clear_object (&self->opportunity);
  g_clear_object (&self->stage_names);

  G_OBJECT_CLASS (om_fold_dialog_parent_class)->dispose (object);
}

static void
om_fold_dialog_class_init (OmFoldDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_fold_dialog_dispose;

  /**
   * OmFoldDialog::folded:
   * @first: where the Feasibility Study proposal now is; the study follows
   */
  signals[FOLDED] = g_signal_new ("folded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/OppManager/om-fold-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmFoldDialog, first_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OmFoldDialog, last_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OmFoldDialog, pending_before_label);
  gtk_widget_class_bind_template_child (widget_class, OmFoldDialog, pending_after_label);
  gtk_widget_class_bind_template_child (widget_class, OmFoldDialog, chain_before_label);
  gtk_widget_class_bind_template_child (widget_class, OmFoldDialog, chain_after_label);
  gtk_widget_class_bind_template_child (widget_class, OmFoldDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, OmFoldDialog, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, confirm_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
om_fold_dialog_init (OmFoldDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->stage_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->first_dropdown, G_LIST_MODEL (self->stage_names));
  gtk_drop_down_set_model (self->last_dropdown, G_LIST_MODEL (self->stage_names));
  g_signal_connect_swapped (self->first_dropdown, "notify::selected", G_CALLBACK (selected_cb), self);
  g_signal_connect_swapped (self->last_dropdown, "notify::selected", G_CALLBACK (selected_cb), self);
}

/**
 * om_fold_dialog_new:
 * @first: the first stage proposed (om_opportunity_data_propose_fold())
 * @last: the last one
 *
 * Returns: (transfer none): the dialog, to present; it follows changes
 *   of @opportunity made meanwhile (another window, another process)
 */
GtkWidget *
om_fold_dialog_new (GtkWindow     *parent,
                    OmOpportunity *opportunity,
                    guint          first,
                    guint          last)
{
  OmFoldDialog *self;

  g_return_val_if_fail (OM_IS_OPPORTUNITY (opportunity), NULL);

  self = g_object_new (OM_TYPE_FOLD_DIALOG, "transient-for", parent, NULL);
  self->opportunity = g_object_ref (opportunity);
  g_signal_connect_object (opportunity, "changed", G_CALLBACK (fill_stages), self, G_CONNECT_SWAPPED);
  fill_stages (self);
  om_fold_dialog_set_run (self, first, last);
  return GTK_WIDGET (self);
}

/**
 * om_fold_dialog_set_run:
 *
 * Chooses the run as the drop-downs do.
 */
void
om_fold_dialog_set_run (OmFoldDialog *self,
                        guint         first,
                        guint         last)
{
  g_return_if_fail (OM_IS_FOLD_DIALOG (self));

  self->filling = TRUE;
  gtk_drop_down_set_selected (self->first_dropdown, first);
  gtk_drop_down_set_selected (self->last_dropdown, last);
  self->filling = FALSE;
  update (self);
}
