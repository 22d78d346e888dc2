/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "om-json.h"
#include "om-save-template-dialog.h"
#include "om-template-manager.h"
#include "om-test-window.h"

/*
 * Templates in the window (issue 13): Save as Template, New > From
 * Template, and the template manager, driven through their actions and
 * keys, checked in the repository and in the file.
 */

typedef OmTestWindow Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = NULL;
  g_autoptr(GError) error = NULL;
  OmStageData *stage;
  OmOpportunity *opp;

  om_test_window_set_up (f, "templates", "2026-01-10");
  plan = om_template_data_instantiate (tpl, "Fleet renewal", "Nordic Ferries", om_test_date ("2026-01-05"));
  stage = g_ptr_array_index (plan->stages, 2);
  g_free (stage->owner);
  stage->owner = g_strdup ("Ann");
  g_free (stage->notes);
  stage->notes = g_strdup ("They hesitate");
  g_free (stage->client_description);
  stage->client_description = g_strdup ("You decide whether to commission the study");
  stage->duration_days = 21;
  opp = om_repository_create_opportunity (f->repository, plan, &error);
  g_assert_no_error (error);
  f->id = om_opportunity_get_id (opp);
  om_test_window_present (f, -1, -1);
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  om_test_flush_events ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  om_test_window_tear_down (f);
}

static guint
n_templates (Fixture *f)
{
  return g_list_model_get_n_items (om_repository_get_templates (f->repository));
}

static OmTemplate *
template_at (Fixture *f,
             guint    position)
{
  g_autoptr(OmTemplate) template = g_list_model_get_item (om_repository_get_templates (f->repository), position);

  return template; /* the list keeps it */
}

static void
activate (GtkWidget  *widget,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (widget), action, NULL));
  om_test_flush_events ();
}

/* The window's menus, as a person opens them: each item of New > From
 * Template as "label=id" */
static void
collect_template_items (GMenuModel *model,
                        GString    *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *linked;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
          g_strcmp0 (action, "win.new-from-template") == 0)
        {
          g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET,
                                                                              G_VARIANT_TYPE_INT64);

          g_assert_true (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
          g_string_append_printf (out, "%s%s=%" G_GINT64_FORMAT, out->len > 0 ? "|" : "", label,
                                  g_variant_get_int64 (target));
        }
      while (g_menu_link_iter_get_next (links, NULL, &linked))
        {
          collect_template_items (linked, out);
          g_object_unref (linked);
        }
    }
}

static void
collect_menus (GtkWidget *root,
               GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_MENU_BUTTON (child) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (child)) != NULL)
        collect_template_items (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (child)), out);
      collect_menus (child, out);
    }
}

static char *
from_template_items (Fixture *f)
{
  GString *out = g_string_new (NULL);

  collect_menus (GTK_WIDGET (f->window), out);
  return g_string_free (out, FALSE);
}

/* Every control says what it is to a screen reader */
static void
assert_controls_named (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL));
      if (GTK_IS_ENTRY (child) || GTK_IS_LIST_BOX (child))
        g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL));
      assert_controls_named (child);
    }
}

static OmSaveTemplateDialog *
open_save_dialog (Fixture *f)
{
  GtkWindow *dialog;

  activate (GTK_WIDGET (f->window), "win.save-as-template");
  dialog = om_test_window_find_dialog ("Save as Template");
  g_assert_nonnull (dialog);
  g_assert_true (OM_IS_SAVE_TEMPLATE_DIALOG (dialog));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (f->window));
  return OM_SAVE_TEMPLATE_DIALOG (dialog);
}

/* Save as Template: the name asked (the title to begin with), a refused
 * name explained with the typed text kept; the template in New > From
 * Template; a new opportunity from it has its stages and nothing of the
 * sale it came from */
static void
test_save_and_new_from (Fixture       *f,
                        gconstpointer  data)
{
  OmSaveTemplateDialog *dialog;
  OmOpportunity *made;
  OmTemplate *saved;
  g_autofree char *items = NULL;
  g_autofree char *expected = NULL;
  OmOpportunity *source = om_repository_find (f->repository, f->id);

  items = from_template_items (f);
  g_assert_cmpstr (items, ==, "Recommended process=0");
  g_clear_pointer (&items, g_free);

  dialog = open_save_dialog (f);
  assert_controls_named (GTK_WIDGET (dialog));
  g_assert_cmpstr (gtk_editable_get_text (om_save_template_dialog_get_entry (dialog)), ==, "Fleet renewal");

  gtk_editable_set_text (om_save_template_dialog_get_entry (dialog), "   ");
  activate (GTK_WIDGET (dialog), "template.save");
  g_assert_cmpstr (om_save_template_dialog_get_error (dialog), ==, "A template needs a name.");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (gtk_editable_get_text (om_save_template_dialog_get_entry (dialog)), ==, "   ");

  gtk_editable_set_text (om_save_template_dialog_get_entry (dialog), "Recommended process");
  g_assert_null (om_save_template_dialog_get_error (dialog));
  activate (GTK_WIDGET (dialog), "template.save");
  g_assert_nonnull (strstr (om_save_template_dialog_get_error (dialog), "“Recommended process” already"));
  g_assert_cmpstr (gtk_editable_get_text (om_save_template_dialog_get_entry (dialog)), ==, "Recommended process");
  g_assert_cmpuint (n_templates (f), ==, 1);

  gtk_editable_set_text (om_save_template_dialog_get_entry (dialog), "Ferries");
  activate (GTK_WIDGET (dialog), "template.save");
  g_assert_null (om_test_window_find_dialog ("Save as Template"));
  g_assert_cmpuint (n_templates (f), ==, 2);
  saved = template_at (f, 1);
  g_assert_cmpstr (om_template_get_name (saved), ==, "Ferries");
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, "New Template");

  /* in the New menu, by id */
  items = from_template_items (f);
  expected = g_strdup_printf ("Recommended process=0|Ferries=%" G_GINT64_FORMAT, om_template_get_data (saved)->id);
  g_assert_cmpstr (items, ==, expected);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-from-template", "x",
                                             om_template_get_data (saved)->id));
  om_test_flush_events ();
  made = om_opportunity_view_get_opportunity (om_window_get_view (f->window));
  g_assert_nonnull (made);
  g_assert_true (made != source);
  g_assert_cmpuint (om_opportunity_get_n_stages (made), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      const OmStageData *from = om_opportunity_data_get_stage (om_opportunity_get_data (source), i);
      const OmStageData *to = om_opportunity_data_get_stage (om_opportunity_get_data (made), i);

      g_assert_cmpstr (to->activity, ==, from->activity);
      g_assert_cmpstr (to->milestone, ==, from->milestone);
      g_assert_cmpuint (to->duration_days, ==, from->duration_days);
      g_assert_cmpstr (to->client_description, ==, from->client_description);
      g_assert_cmpstr (to->owner, ==, "");
      g_assert_cmpstr (to->notes, ==, "");
    }
  g_assert_cmpuint (om_opportunity_data_get_stage (om_opportunity_get_data (made), 2)->duration_days, ==, 21);

  /* the built-in one is there too, and one removed meanwhile is said */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-from-template", "x", (gint64) 0));
  om_test_flush_events ();
  g_assert_cmpuint (om_opportunity_get_n_stages (om_opportunity_view_get_opportunity (om_window_get_view (f->window))),
                    ==, 6);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-from-template", "x", (gint64) 9999));
  om_test_flush_events ();
  g_assert_cmpstr (om_window_get_banner_message (f->window), ==, "This template has been removed meanwhile.");

  /* undone: gone from the menu, and from the file */
  g_assert_true (om_repository_undo (f->repository, NULL));
  g_assert_true (om_repository_undo (f->repository, NULL));
  g_assert_true (om_repository_undo (f->repository, NULL));
  g_assert_cmpuint (n_templates (f), ==, 1);
  g_clear_pointer (&items, g_free);
  items = from_template_items (f);
  g_assert_cmpstr (items, ==, "Recommended process=0");
  {
    g_autoptr(GPtrArray) on_disk = NULL;
    g_autoptr(GPtrArray) opportunities = om_test_database_load (f->path, &on_disk);

    g_assert_cmpuint (on_disk->len, ==, 0);
  }
}

static OmTemplateManager *
open_manager (Fixture *f)
{
  GtkWindow *manager;

  activate (GTK_WIDGET (f->window), "win.templates");
  manager = om_test_window_find_dialog ("Templates");
  g_assert_nonnull (manager);
  g_assert_true (OM_IS_TEMPLATE_MANAGER (manager));
  om_test_wait_for_paint (GTK_WIDGET (manager));
  return OM_TEMPLATE_MANAGER (manager);
}

static OmTemplate *
save_plan_as (Fixture    *f,
              const char *name,
              guint       n_stages)
{
  g_autoptr(OmTemplateData) data = om_template_data_new_from_opportunity (
    om_opportunity_get_data (om_repository_find (f->repository, f->id)), name);
  g_autoptr(GError) error = NULL;
  OmTemplate *template;

  g_ptr_array_set_size (data->stages, n_stages);
  template = om_repository_add_template (f->repository, data, &error);
  g_assert_no_error (error);
  return template;
}

static const char *
stage_activity (OmTemplate *template,
                guint       index)
{
  return ((const OmStageData *) g_ptr_array_index (om_template_get_data (template)->stages, index))->activity;
}

/* The manager: the built-in one shown and left alone; rename, stages
 * moved and removed (buttons and keys), delete, each undone from the
 * main window and followed by the manager */
static void
test_manager_edits (Fixture       *f,
                    gconstpointer  data)
{
  OmTemplate *template = save_plan_as (f, "Ferries", 3);
  OmTemplateManager *manager = open_manager (f);
  GtkListBox *stages = om_template_manager_get_stage_list (manager);
  GtkListBoxRow *row;

  assert_controls_named (GTK_WIDGET (manager));

  /* the built-in one: shown, not changed */
  g_assert_true (om_template_get_builtin (om_template_manager_get_selected (manager)));
  g_assert_nonnull (gtk_list_box_get_row_at_index (stages, 5));
  g_assert_false (gtk_widget_is_sensitive (om_test_find_action_button (GTK_WIDGET (manager), "manager.rename")));
  g_assert_false (gtk_widget_is_sensitive (om_test_find_action_button (GTK_WIDGET (manager), "manager.delete")));
  g_assert_false (gtk_widget_is_sensitive (om_test_find_action_button (GTK_WIDGET (manager), "manager.stage-remove")));
  gtk_editable_set_text (om_template_manager_get_name_entry (manager), "Mine now");
  gtk_widget_activate_action (GTK_WIDGET (manager), "manager.rename", NULL);
  gtk_widget_activate_action (GTK_WIDGET (manager), "manager.delete", NULL);
  gtk_widget_activate_action (GTK_WIDGET (manager), "manager.stage-remove", "u", 0);
  om_test_flush_events ();
  g_assert_cmpuint (n_templates (f), ==, 2);
  g_assert_cmpstr (om_template_get_name (template_at (f, 0)), ==, "Recommended process");
  g_assert_cmpuint (om_template_get_n_stages (template_at (f, 0)), ==, 6);
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, "New Template");

  om_template_manager_select (manager, 1);
  om_test_flush_events ();
  g_assert_true (om_template_manager_get_selected (manager) == template);
  g_assert_cmpstr (gtk_editable_get_text (om_template_manager_get_name_entry (manager)), ==, "Ferries");
  g_assert_true (gtk_widget_is_sensitive (om_test_find_action_button (GTK_WIDGET (manager), "manager.stage-remove")));

  /* renamed; a refused name is explained and kept */
  gtk_editable_set_text (om_template_manager_get_name_entry (manager), "Recommended process");
  activate (GTK_WIDGET (manager), "manager.rename");
  g_assert_nonnull (strstr (om_template_manager_get_message (manager), "already"));
  g_assert_cmpstr (gtk_editable_get_text (om_template_manager_get_name_entry (manager)), ==, "Recommended process");
  g_assert_cmpstr (om_template_get_name (template), ==, "Ferries");
  gtk_editable_set_text (om_template_manager_get_name_entry (manager), "Ferries, short");
  activate (GTK_WIDGET (manager), "manager.rename");
  g_assert_null (om_template_manager_get_message (manager));
  g_assert_cmpstr (om_template_get_name (template), ==, "Ferries, short");
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, "Rename Template");
  {
    g_autofree char *items = from_template_items (f);
    g_assert_nonnull (strstr (items, "|Ferries, short="));
  }
  activate (GTK_WIDGET (f->window), "win.undo");
  g_assert_cmpstr (om_template_get_name (template), ==, "Ferries");
  g_assert_cmpstr (gtk_editable_get_text (om_template_manager_get_name_entry (manager)), ==, "Ferries");

  /* stages: the buttons' actions */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "manager.stage-down", "u", 0));
  om_test_flush_events ();
  g_assert_cmpstr (stage_activity (template, 0), ==, "Process meeting");
  g_assert_cmpstr (stage_activity (template, 1), ==, "Initial appointment");
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, "Edit Template");
  row = gtk_list_box_get_selected_row (stages);
  g_assert_nonnull (row);
  g_assert_cmpint (gtk_list_box_row_get_index (row), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (manager), "manager.stage-remove", "u", 2));
  om_test_flush_events ();
  g_assert_cmpuint (om_template_get_n_stages (template), ==, 2);
  g_assert_null (gtk_list_box_get_row_at_index (stages, 2));
  activate (GTK_WIDGET (f->window), "win.undo");
  activate (GTK_WIDGET (f->window), "win.undo");
  g_assert_cmpstr (stage_activity (template, 0), ==, "Initial appointment");
  g_assert_nonnull (gtk_list_box_get_row_at_index (stages, 2));

  /* and the keys, on the selected stage */
  if (om_test_can_drive_x ())
    {
      g_autofree char *pattern = NULL;

      gtk_window_set_title (GTK_WINDOW (manager), "om-test-templates");
      om_test_iterate_for (300);
      g_free (om_test_xdotool ("search", "--sync", "--name", "^om-test-templates$", "windowraise", NULL));
      g_free (om_test_xdotool ("search", "--sync", "--name", "^om-test-templates$", "windowfocus", "--sync", NULL));
      om_test_iterate_for (300);
      row = gtk_list_box_get_row_at_index (stages, 0);
      gtk_list_box_select_row (stages, row);
      gtk_widget_grab_focus (GTK_WIDGET (row));
      om_test_iterate_for (100);
      g_free (om_test_xdotool ("key", "--clearmodifiers", "alt+Down", NULL));
      om_test_iterate_for (300);
      g_assert_cmpstr (stage_activity (template, 1), ==, "Initial appointment");
      g_free (om_test_xdotool ("key", "--clearmodifiers", "alt+Down", NULL));
      om_test_iterate_for (300);
      g_assert_cmpstr (stage_activity (template, 2), ==, "Initial appointment");
      g_free (om_test_xdotool ("key", "--clearmodifiers", "alt+Up", NULL));
      om_test_iterate_for (300);
      g_assert_cmpstr (stage_activity (template, 1), ==, "Initial appointment");
      g_free (om_test_xdotool ("key", "--clearmodifiers", "Delete", NULL));
      om_test_iterate_for (300);
      g_assert_cmpuint (om_template_get_n_stages (template), ==, 2);
      g_assert_cmpstr (stage_activity (template, 1), ==, "Feasibility Study proposal");
      gtk_window_set_title (GTK_WINDOW (manager), "Templates");
    }

  /* deleted, and back by undo */
  activate (GTK_WIDGET (manager), "manager.delete");
  g_assert_cmpuint (n_templates (f), ==, 1);
  g_assert_cmpstr (om_repository_get_undo_label (f->repository), ==, "Remove Template");
  g_assert_nonnull (strstr (om_template_manager_get_message (manager), "“Ferries” deleted"));
  g_assert_true (om_template_get_builtin (om_template_manager_get_selected (manager)));
  activate (GTK_WIDGET (f->window), "win.undo");
  g_assert_cmpuint (n_templates (f), ==, 2);
  g_assert_cmpstr (om_template_get_name (template_at (f, 1)), ==, "Ferries");

  gtk_window_destroy (GTK_WINDOW (manager));
  om_test_flush_events ();
}

/* Export and import of templates alone, through the manager */
static void
test_manager_export_import (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "ours.oppmanager.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(OmTemplateData) first = NULL;
  g_autoptr(OmTemplateData) second = NULL;
  g_autofree char *text = NULL;
  OmTemplateManager *manager;

  save_plan_as (f, "Ferries", 3);
  save_plan_as (f, "Ferries, long", 6);
  first = om_template_data_copy (om_template_get_data (template_at (f, 1)));
  second = om_template_data_copy (om_template_get_data (template_at (f, 2)));
  manager = open_manager (f);

  g_assert_true (om_template_manager_export_file (manager, file));
  g_assert_cmpstr (om_template_manager_get_message (manager), ==, "Templates exported to “ours.oppmanager.json”.");
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_null (strstr (text, "\"opportunities\""));
  g_assert_null (strstr (text, "Ann"));
  g_assert_nonnull (strstr (text, "\"Ferries, long\""));

  om_template_manager_select (manager, 1);
  activate (GTK_WIDGET (manager), "manager.delete");
  om_template_manager_select (manager, 1);
  activate (GTK_WIDGET (manager), "manager.delete");
  g_assert_cmpuint (n_templates (f), ==, 1);

  g_assert_true (om_template_manager_import_file (manager, file));
  g_assert_cmpstr (om_template_manager_get_message (manager), ==, "2 templates imported.");
  g_assert_cmpuint (n_templates (f), ==, 3);
  g_assert_true (om_template_data_equal (om_template_get_data (template_at (f, 1)), first));
  g_assert_true (om_template_data_equal (om_template_get_data (template_at (f, 2)), second));
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_opportunities (f->repository)), ==, 1);

  /* what is not a document is said, and nothing changes */
  g_assert_true (g_file_set_contents (path, "Shopping list", -1, NULL));
  g_assert_false (om_template_manager_import_file (manager, file));
  g_assert_nonnull (strstr (om_template_manager_get_message (manager), "Nothing was imported from “ours.oppmanager.json”"));
  g_assert_cmpuint (n_templates (f), ==, 3);

  gtk_window_destroy (GTK_WINDOW (manager));
  om_test_flush_events ();
}

int
main (int   argc,
      char *argv[])
{
  /* accessible names are kept where a test can read them back */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/templates/save-and-new-from", test_save_and_new_from);
  ADD ("/templates/manager/edits", test_manager_edits);
  ADD ("/templates/manager/export-import", test_manager_export_import);

  return g_test_run ();
}
