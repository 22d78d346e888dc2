/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-json.h"
#include "om-export-file.h"
#include "om-template-manager.h"

/**
 * OmTemplateManager:
 *
 * Templates…: the user's templates beside the built-in recommended
 * process (shown, never changed), to rename, delete, reorder or remove
 * their stages, and to share through documents of templates alone.
 * Every change is one om_repository_edit_template() or
 * om_repository_remove_template(), so the main window's Undo takes it
 * back; a refusal is said here and changes nothing.
 */
struct _OmTemplateManager
{
  GtkWindow     parent_instance;

  OmRepository *repository;
  GSignalGroup *selected_signals;  /* the selected template's */

  GtkListBox   *template_list;
  GtkLabel     *read_only_label;
  GtkEntry     *name_entry;
  GtkListBox   *stage_list;
  GtkLabel     *message_label;
};

G_DEFINE_FINAL_TYPE (OmTemplateManager, om_template_manager, GTK_TYPE_WINDOW)

static void
say (OmTemplateManager *self,
     const char        *message,
     gboolean           is_error)
{
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

/**
 * om_template_manager_get_selected:
 *
 * Returns: (transfer none) (nullable): the template shown
 */
OmTemplate *
om_template_manager_get_selected (OmTemplateManager *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (OM_IS_TEMPLATE_MANAGER (self), NULL);

  row = gtk_list_box_get_selected_row (self->template_list);
  if (row == NULL || self->repository == NULL)
    return NULL;
  {
    g_autoptr(OmTemplate) template = g_list_model_get_item (om_repository_get_templates (self->repository),
                                                            (guint) gtk_list_box_row_get_index (row));
    return template; /* the list keeps it */
  }
}

/* The stages */

static GtkWidget *
stage_button (const char *icon,
              const char *action,
              guint       index,
              const char *tooltip,
              const char *accessible,
              gboolean    sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_uint32 (index));
  om_accessible_set_tooltip (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_set_sensitive (button, sensitive);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* @changeable: the buttons' actions follow the template, but a button
 * with a target does not show its action disabled, so it is said here */
static GtkWidget *
stage_row (const OmStageData *stage,
           guint              index,
           guint              n,
           gboolean           changeable)
{
  g_autofree char *text = g_strdup_printf (_("%u. %s — %s"), index + 1, stage->activity, stage->milestone);
  g_autofree char *up = g_strdup_printf (_("Move stage %u up"), index + 1);
  g_autofree char *down = g_strdup_printf (_("Move stage %u down"), index + 1);
  g_autofree char *remove = g_strdup_printf (_("Remove stage %u"), index + 1);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_margin_start (box, 8);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), stage_button ("go-up-symbolic", "manager.stage-up", index,
                                               _("Move Up (Alt+Up)"), up, changeable && index > 0));
  gtk_box_append (GTK_BOX (box), stage_button ("go-down-symbolic", "manager.stage-down", index,
                                               _("Move Down (Alt+Down)"), down, changeable && index + 1 < n));
  gtk_box_append (GTK_BOX (box), stage_button ("list-remove-symbolic", "manager.stage-remove", index,
                                               _("Remove (Delete)"), remove, changeable));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return row;
}

/* Shows the selected template as it is now; @focus_stage (or -1) is
 * selected, and given the focus, after a move */
static void
show_selected (OmTemplateManager *self,
               int                focus_stage)
{
  OmTemplate *template = om_template_manager_get_selected (self);
  g_autoptr(GError) reason = NULL;
  gboolean changeable;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stage_list))) != NULL)
    gtk_list_box_remove (self->stage_list, child);

  changeable = template != NULL && om_repository_can_change_template (self->repository, template, &reason);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manager.rename", changeable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manager.delete", changeable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manager.stage-up", changeable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manager.stage-down", changeable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manager.stage-remove", changeable);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_entry), changeable);
  gtk_label_set_text (self->read_only_label, reason != NULL ? reason->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->read_only_label), reason != NULL && template != NULL);

  if (template == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), om_template_get_name (template));
  for (guint i = 0; i < om_template_get_n_stages (template); i++)
    gtk_list_box_append (self->stage_list,
                         stage_row (g_ptr_array_index (om_template_get_data (template)->stages, i),
                                    i, om_template_get_n_stages (template), changeable));
  if (focus_stage >= 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->stage_list, focus_stage);

      if (row != NULL)
        {
          gtk_list_box_select_row (self->stage_list, row);
          gtk_widget_grab_focus (GTK_WIDGET (row));
        }
    }
}

static void
template_changed_cb (OmTemplateManager *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->stage_list);

  show_selected (self, row != NULL ? gtk_list_box_row_get_index (row) : -1);
}

static void
template_selected_cb (OmTemplateManager *self)
{
  g_signal_group_set_target (self->selected_signals, om_template_manager_get_selected (self));
  say (self, NULL, FALSE);
  show_selected (self, -1);
}

/* Edits: each one is the template's data changed, and kept */

static gboolean
keep (OmTemplateManager    *self,
      OmTemplate           *template,
      const OmTemplateData *data)
{
  g_autoptr(GError) error = NULL;

  if (!om_repository_edit_template (self->repository, template, data, &error))
    {
      say (self, error->message, TRUE);
      return FALSE;
    }
  say (self, NULL, FALSE);
  return TRUE;
}

static void
move_stage (OmTemplateManager *self,
            guint              index,
            int                delta)
{
  OmTemplate *template = om_template_manager_get_selected (self);
  g_autoptr(OmTemplateData) data = NULL;
  int to = (int) index + delta;

  if (template == NULL || to < 0 || (guint) to >= om_template_get_n_stages (template) ||
      index >= om_template_get_n_stages (template))
    return;
  data = om_template_data_copy (om_template_get_data (template));
  g_ptr_array_insert (data->stages, to, g_ptr_array_steal_index (data->stages, index));
  if (keep (self, template, data))
    show_selected (self, to);
}

static void
remove_stage (OmTemplateManager *self,
              guint              index)
{
  OmTemplate *template = om_template_manager_get_selected (self);
  g_autoptr(OmTemplateData) data = NULL;

  if (template == NULL || index >= om_template_get_n_stages (template))
    return;
  data = om_template_data_copy (om_template_get_data (template));
  g_ptr_array_remove_index (data->stages, index);
  if (keep (self, template, data) && om_template_get_n_stages (template) > 0)
    show_selected (self, (int) MIN (index, om_template_get_n_stages (template) - 1));
}

static void
stage_up_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  move_stage (OM_TEMPLATE_MANAGER (widget), g_variant_get_uint32 (parameter), -1);
}

static void
stage_down_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  move_stage (OM_TEMPLATE_MANAGER (widget), g_variant_get_uint32 (parameter), +1);
}

static void
stage_remove_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  remove_stage (OM_TEMPLATE_MANAGER (widget), g_variant_get_uint32 (parameter));
}

/* The keys on the stage list act on its selected stage, through the
 * same actions as its buttons */
static gboolean
stage_key_cb (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  OmTemplateManager *self = OM_TEMPLATE_MANAGER (gtk_widget_get_root (widget));
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->stage_list);
  const char *action = user_data;

  if (row == NULL)
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), action, "u", (guint32) gtk_list_box_row_get_index (row));
}

static void
rename_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  OmTemplateManager *self = OM_TEMPLATE_MANAGER (widget);
  OmTemplate *template = om_template_manager_get_selected (self);
  g_autoptr(OmTemplateData) data = NULL;

  if (template == NULL)
    return;
  data = om_template_data_copy (om_template_get_data (template));
  g_free (data->name);
  data->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  keep (self, template, data);
}

static void
name_activate_cb (OmTemplateManager *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "manager.rename", NULL);
}

static void
delete_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  OmTemplateManager *self = OM_TEMPLATE_MANAGER (widget);
  OmTemplate *template = om_template_manager_get_selected (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (template == NULL)
    return;
  name = om_text_excerpt (om_template_get_name (template));
  if (!om_repository_remove_template (self->repository, template, &error))
    {
      say (self, error->message, TRUE);
      return;
    }
  message = g_strdup_printf (_("Template “%s” deleted. Undo in the main window brings it back."), name);
  say (self, message, FALSE);
}

/* Sharing */

/**
 * om_template_manager_import_file:
 *
 * Adds the templates of the document in @file (a templates-only one,
 * or a whole export), as one edit, and says what happened.
 */
gboolean
om_template_manager_import_file (OmTemplateManager *self,
                                 GFile             *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  g_return_val_if_fail (OM_IS_TEMPLATE_MANAGER (self), FALSE);

  if (!om_json_import_templates_gfile (self->repository, file, &n, &error))
    {
      g_autofree char *name = g_file_get_basename (file);

      message = g_strdup_printf (_("Nothing was imported from “%s”: %s"), name, error->message);
      say (self, message, TRUE);
      return FALSE;
    }
  message = g_strdup_printf (g_dngettext (NULL, "%u template imported.", "%u templates imported.", n), n);
  say (self, message, FALSE);
  return TRUE;
}

/**
 * om_template_manager_export_file:
 *
 * Writes the user's templates alone to @file, and says so.
 */
static gboolean
templates_to_path (const char *path,
                   gpointer    repository,
                   GError    **error)
{
  return om_json_export_templates_file (repository, path, error);
}

gboolean
om_template_manager_export_file (OmTemplateManager *self,
                                 GFile             *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  g_return_val_if_fail (OM_IS_TEMPLATE_MANAGER (self), FALSE);

  if (!om_export_file_to_gfile (file, templates_to_path, self->repository, &error))
    {
      say (self, error->message, TRUE);
      return FALSE;
    }
  message = g_strdup_printf (_("Templates exported to “%s”."), name);
  say (self, message, FALSE);
  return TRUE;
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Opportunity Manager documents (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/x-oppmanager+json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  return filter;
}

static void
chooser_response_cb (GtkNativeDialog   *dialog,
                     int                response,
                     OmTemplateManager *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE)
        om_template_manager_export_file (self, file);
      else
        om_template_manager_import_file (self, file);
    }
  g_object_unref (dialog);
}

static void
choose_file (OmTemplateManager    *self,
             GtkFileChooserAction  action)
{
  g_autoptr(GtkFileFilter) filter = json_filter ();
  GtkFileChooserNative *dialog;
  gboolean save = action == GTK_FILE_CHOOSER_ACTION_SAVE;

  dialog = gtk_file_chooser_native_new (save ? _("Export Templates") : _("Import Templates"),
                                        GTK_WINDOW (self), action,
                                        save ? _("_Export") : _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("templates.oppmanager.json"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
import_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  choose_file (OM_TEMPLATE_MANAGER (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  choose_file (OM_TEMPLATE_MANAGER (widget), GTK_FILE_CHOOSER_ACTION_SAVE);
}

/* The list of templates */

static GtkWidget *
create_template_row (gpointer item,
                     gpointer user_data)
{
  OmTemplate *template = item;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  g_object_bind_property (template, "name", name, "label", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), name);
  if (om_template_get_builtin (template))
    {
      GtkWidget *note = gtk_label_new (_("Built in"));

      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_widget_add_css_class (note, "dim-label");
      gtk_widget_add_css_class (note, "caption");
      gtk_box_append (GTK_BOX (box), note);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  om_template_get_name (template), -1);
  return row;
}

/* A removed template's row goes: the one in its place is shown */
static void
templates_changed_cb (OmTemplateManager *self,
                      guint              position,
                      guint              removed,
                      guint              added)
{
  if (gtk_list_box_get_selected_row (self->template_list) == NULL)
    {
      guint n = g_list_model_get_n_items (om_repository_get_templates (self->repository));

      om_template_manager_select (self, MIN (position, n - 1));
    }
}

/**
 * om_template_manager_select:
 * @position: in om_repository_get_templates()
 */
void
om_template_manager_select (OmTemplateManager *self,
                            guint              position)
{
  GtkListBoxRow *row;

  g_return_if_fail (OM_IS_TEMPLATE_MANAGER (self));

  row = gtk_list_box_get_row_at_index (self->template_list, (int) position);
  if (row != NULL)
    gtk_list_box_select_row (self->template_list, row);
}

GtkEditable *
om_template_manager_get_name_entry (OmTemplateManager *self)
{
  g_return_val_if_fail (OM_IS_TEMPLATE_MANAGER (self), NULL);

  return GTK_EDITABLE (self->name_entry);
}

GtkListBox *
om_template_manager_get_stage_list (OmTemplateManager *self)
{
  g_return_val_if_fail (OM_IS_TEMPLATE_MANAGER (self), NULL);

  return self->stage_list;
}

/**
 * om_template_manager_get_message:
 *
 * Returns: (nullable): what the manager says now: what it did, or why
 *   it did not
 */
const char *
om_template_manager_get_message (OmTemplateManager *self)
{
  g_return_val_if_fail (OM_IS_TEMPLATE_MANAGER (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

static void
om_template_manager_dispose (GObject *object)
{
  OmTemplateManager *self = (OmTemplateManager *) object;

  if (self->selected_signals != NULL)
    g_signal_group_set_target (self->selected_signals, NULL);
  g_clear_object (&self->selected_signals);
  /* nothing is shown any more while the rows go */
  if (self->template_list != NULL)
    g_signal_handlers_disconnect_by_data (self->template_list, self);
  if (self->repository != NULL)
    g_signal_handlers_disconnect_by_data (om_repository_get_templates (self->repository), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), OM_TYPE_TEMPLATE_MANAGER);
  g_clear_object (&self->repository);

  G_OBJECT_CLASS (om_template_manager_parent_class)->dispose (object);
}

static void
om_template_manager_class_init (OmTemplateManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_template_manager_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/OppManager/om-template-manager.ui");
  gtk_widget_class_bind_template_child (widget_class, OmTemplateManager, template_list);
  gtk_widget_class_bind_template_child (widget_class, OmTemplateManager, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, OmTemplateManager, name_entry);
  gtk_widget_class_bind_template_child (widget_class, OmTemplateManager, stage_list);
  gtk_widget_class_bind_template_child (widget_class, OmTemplateManager, message_label);

  gtk_widget_class_install_action (widget_class, "manager.rename", NULL, rename_cb);
  gtk_widget_class_install_action (widget_class, "manager.delete", NULL, delete_cb);
  gtk_widget_class_install_action (widget_class, "manager.stage-up", "u", stage_up_cb);
  gtk_widget_class_install_action (widget_class, "manager.stage-down", "u", stage_down_cb);
  gtk_widget_class_install_action (widget_class, "manager.stage-remove", "u", stage_remove_cb);
  gtk_widget_class_install_action (widget_class, "manager.import", NULL, import_cb);
  gtk_widget_class_install_action (widget_class, "manager.export", NULL, export_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
om_template_manager_init (OmTemplateManager *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  static const struct {
    guint key;
    GdkModifierType mods;
    const char *action;
  } stage_keys[] = {
    { GDK_KEY_Up, GDK_ALT_MASK, "manager.stage-up" },
    { GDK_KEY_Down, GDK_ALT_MASK, "manager.stage-down" },
    { GDK_KEY_Delete, 0, "manager.stage-remove" },
    { GDK_KEY_KP_Delete, 0, "manager.stage-remove" },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selected_signals = g_signal_group_new (OM_TYPE_TEMPLATE);
  g_signal_group_connect_swapped (self->selected_signals, "changed", G_CALLBACK (template_changed_cb), self);
  g_signal_connect_swapped (self->template_list, "row-selected", G_CALLBACK (template_selected_cb), self);
  g_signal_connect_swapped (self->name_entry, "activate", G_CALLBACK (name_activate_cb), self);

  for (guint i = 0; i < G_N_ELEMENTS (stage_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (stage_keys[i].key, stage_keys[i].mods),
                                                            gtk_callback_action_new (stage_key_cb,
                                                                                     (gpointer) stage_keys[i].action,
                                                                                     NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->stage_list), keys);
}

/**
 * om_template_manager_new:
 *
 * Returns: (transfer none): the manager, the first template selected,
 *   shown by the caller
 */
OmTemplateManager *
om_template_manager_new (GtkWindow    *parent,
                         OmRepository *repository)
{
  OmTemplateManager *self;

  g_return_val_if_fail (OM_IS_REPOSITORY (repository), NULL);

  self = g_object_new (OM_TYPE_TEMPLATE_MANAGER, "transient-for", parent, NULL);
  self->repository = g_object_ref (repository);
  gtk_list_box_bind_model (self->template_list, om_repository_get_templates (repository),
                           create_template_row, NULL, NULL);
  g_signal_connect_object (om_repository_get_templates (repository), "items-changed",
                           G_CALLBACK (templates_changed_cb), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  om_template_manager_select (self, 0);
  return self;
}
