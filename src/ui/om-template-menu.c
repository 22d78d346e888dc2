/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include "om-model.h"
#include "om-template-menu.h"

/*
 * New > From Template: one item per template, the built-in recommended
 * process first, each starting win.new-from-template with the
 * template's id (0 for the built-in one), so that an item chosen after
 * the list changed never starts another template than it names.
 */

static GMenuItem *
item_for (OmTemplate *template)
{
  const OmTemplateData *data = om_template_get_data (template);
  g_autoptr(GMenuItem) item = NULL;

  item = g_menu_item_new (om_template_get_name (template), NULL);
  g_menu_item_set_action_and_target_value (item, "win.new-from-template",
                                           g_variant_new_int64 (om_template_get_builtin (template) ? 0 : data->id));
  return g_steal_pointer (&item);
}

static void
name_changed_cb (OmTemplate *template,
                 GParamSpec *pspec,
                 GMenu      *menu);

static void
insert_item (GMenu      *menu,
             GListModel *templates,
             guint       position)
{
  g_autoptr(OmTemplate) template = g_list_model_get_item (templates, position);
  g_autoptr(GMenuItem) item = item_for (template);

  g_menu_insert_item (menu, (int) position, item);
  g_signal_connect_object (template, "notify::name", G_CALLBACK (name_changed_cb), menu, 0);
}

static void
items_changed_cb (GListModel *templates,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GMenu      *menu)
{
  for (guint i = 0; i < removed; i++)
    g_menu_remove (menu, (int) position);
  for (guint i = 0; i < added; i++)
    insert_item (menu, templates, position + i);
}

/* A renamed template keeps its place: its item is made again there */
static void
name_changed_cb (OmTemplate *template,
                 GParamSpec *pspec,
                 GMenu      *menu)
{
  GListModel *templates = g_object_get_data (G_OBJECT (menu), "om-templates");
  guint n = g_list_model_get_n_items (templates);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OmTemplate) item = g_list_model_get_item (templates, i);

      if (item == template)
        {
          g_autoptr(GMenuItem) renamed = item_for (template);

          g_menu_remove (menu, (int) i);
          g_menu_insert_item (menu, (int) i, renamed);
          return;
        }
    }
}

/**
 * om_template_menu_bind:
 * @menu: an empty menu, for the templates' items
 * @templates: (element-type OmTemplate): om_repository_get_templates()
 *
 * Keeps @menu in step with @templates for as long as @menu lives.
 */
void
om_template_menu_bind (GMenu      *menu,
                       GListModel *templates)
{
  g_return_if_fail (G_IS_MENU (menu));
  g_return_if_fail (G_IS_LIST_MODEL (templates));

  g_menu_remove_all (menu);
  g_object_set_data_full (G_OBJECT (menu), "om-templates", g_object_ref (templates), g_object_unref);
  items_changed_cb (templates, 0, 0, g_list_model_get_n_items (templates), menu);
  g_signal_connect_object (templates, "items-changed", G_CALLBACK (items_changed_cb), menu, 0);
}
