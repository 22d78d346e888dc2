/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-window.h"

struct _OmWindow
{
  GtkApplicationWindow  parent_instance;

  GtkStack             *stack;
  GtkLabel             *error_label;
  GtkListView          *list_view;
};

G_DEFINE_FINAL_TYPE (OmWindow, om_window, GTK_TYPE_APPLICATION_WINDOW)

static void
update_page (OmWindow *self)
{
  OmApplication *app = OM_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  OmRepository *repository = om_application_get_repository (app);

  if (repository == NULL)
    {
      gtk_label_set_text (self->error_label, om_application_get_open_error (app)->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  if (g_list_model_get_n_items (om_repository_get_opportunities (repository)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
opportunities_changed_cb (OmWindow   *self,
                          guint       position,
                          guint       removed,
                          guint       added,
                          GListModel *model)
{
  update_page (self);
}

static void
show_repository (OmWindow      *self,
                 OmApplication *app)
{
  OmRepository *repository = om_application_get_repository (app);

  if (repository != NULL)
    {
      GListModel *opportunities = om_repository_get_opportunities (repository);
      g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (opportunities));

      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
      g_signal_connect_object (opportunities, "items-changed",
                               G_CALLBACK (opportunities_changed_cb), self, G_CONNECT_SWAPPED);
    }
  update_page (self);
}

static void
om_window_class_init (OmWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (OM_TYPE_OPPORTUNITY);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/OppManager/om-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OmWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, list_view);
}

static void
om_window_init (OmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

OmWindow *
om_window_new (OmApplication *application)
{
  OmWindow *self = g_object_new (OM_TYPE_WINDOW, "application", application, NULL);

  show_repository (self, application);
  return self;
}
