/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-save-template-dialog.h"

/**
 * OmSaveTemplateDialog:
 *
 * Save as Template: asks the name of a template made of the shown
 * opportunity's plan (its title to begin with) and keeps it through
 * om_repository_add_template(). A refused name is explained under the
 * entry, and what was typed stays there to be corrected.
 */
struct _OmSaveTemplateDialog
{
  GtkWindow      parent_instance;

  OmRepository  *repository;
  OmOpportunity *opportunity;

  GtkEntry      *name_entry;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (OmSaveTemplateDialog, om_save_template_dialog, GTK_TYPE_WINDOW)

static void
om_save_template_dialog_dispose (GObject *object)
{
  OmSaveTemplateDialog *self = (OmSaveTemplateDialog *) object;

  g_clear_object (&self->repository);
  g_clear_object (&self->opportunity);
  gtk_widget_dispose_template (GTK_WIDGET (self), OM_TYPE_SAVE_TEMPLATE_DIALOG);

  G_OBJECT_CLASS (om_save_template_dialog_parent_class)->dispose (object);
}

static void
show_error (OmSaveTemplateDialog *self,
            const char           *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->name_entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
}

static void
save_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  OmSaveTemplateDialog *self = OM_SAVE_TEMPLATE_DIALOG (widget);
  g_autoptr(OmTemplateData) data = NULL;
  g_autoptr(GError) error = NULL;

  if (!om_opportunity_load (self->opportunity, &error))
    {
      show_error (self, error->message);
      return;
    }
  data = om_template_data_new_from_opportunity (om_opportunity_get_data (self->opportunity),
                                                gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  if (om_repository_add_template (self->repository, data, &error) == NULL)
    {
      show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
text_changed_cb (OmSaveTemplateDialog *self)
{
  show_error (self, NULL);
}

static void
om_save_template_dialog_class_init (OmSaveTemplateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_save_template_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/OppManager/om-save-template-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OmSaveTemplateDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, OmSaveTemplateDialog, error_label);
  gtk_widget_class_install_action (widget_class, "template.save", NULL, save_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
om_save_template_dialog_init (OmSaveTemplateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->name_entry, "changed", G_CALLBACK (text_changed_cb), self);
}

/**
 * om_save_template_dialog_new:
 * @opportunity: whose plan becomes the template, as it is when saved
 *
 * Returns: (transfer none): the dialog, shown by the caller
 */
OmSaveTemplateDialog *
om_save_template_dialog_new (GtkWindow     *parent,
                             OmRepository  *repository,
                             OmOpportunity *opportunity)
{
  OmSaveTemplateDialog *self;

  g_return_val_if_fail (OM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (OM_IS_OPPORTUNITY (opportunity), NULL);

  self = g_object_new (OM_TYPE_SAVE_TEMPLATE_DIALOG, "transient-for", parent, NULL);
  self->repository = g_object_ref (repository);
  self->opportunity = g_object_ref (opportunity);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), om_opportunity_get_title (opportunity));
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0, -1);
  return self;
}

GtkEditable *
om_save_template_dialog_get_entry (OmSaveTemplateDialog *self)
{
  g_return_val_if_fail (OM_IS_SAVE_TEMPLATE_DIALOG (self), NULL);

  return GTK_EDITABLE (self->name_entry);
}

/**
 * om_save_template_dialog_get_error:
 *
 * Returns: (nullable): why the name was refused, while it is shown
 */
const char *
om_save_template_dialog_get_error (OmSaveTemplateDialog *self)
{
  g_return_val_if_fail (OM_IS_SAVE_TEMPLATE_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
