/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "om-accessible.h"
#include "om-database.h"
#include "om-opportunity-row.h"
#include "om-style.h"
#include "om-test-window.h"
#include "om-window.h"

/*
 * What the window shows of what people typed or imported: sizes that
 * stay within the window whatever the text, Reopen offered where it
 * applies, status colours readable in light and dark style, and names
 * that a screen reader can read.
 */

#define HUGE_CHARS 100000
/* the window's size: the smallest one supported, or the default one */
typedef struct
{
  int width;
  int height;
} Size;

static const Size small = { 800, 600 };
static const Size normal = { 1280, 800 };

typedef struct
{
  char         *dir;
  char         *path;
  OmRepository *repository;
  OmWindow     *window;
  gint64        long_id;
  gint64        plain_id;
} Fixture;



/* One word of @n characters */
static char *
word (char c,
      gsize n)
{
  char *text = g_malloc (n + 1);

  memset (text, c, n);
  text[n] = '\0';
  return text;
}

/* @n characters in lines of 30,000 */
static char *
lines (gsize n)
{
  char *text = word ('T', n);

  for (gsize i = 30000; i < n; i += 30000)
    text[i] = '\n';
  return text;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) huge = NULL;
  g_autoptr(OmOpportunityData) plain = NULL;
  g_autofree char *title = lines (HUGE_CHARS);
  g_autofree char *client = word ('C', HUGE_CHARS);
  OmStageData *stage;
  OmOpportunity *opp;

  om_date_set_today (om_test_date ("2026-01-10"));
  f->dir = g_dir_make_tmp ("om-test-labels-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "labels.db", NULL);
  f->repository = om_database_open_repository (f->path, &error);
  g_assert_no_error (error);

  /* two won stages: Reopen applies to the second only */
  plain = om_template_data_instantiate (tpl, "Fleet renewal", "Nordic Ferries", om_test_date ("2026-01-05"));
  opp = om_repository_create_opportunity (f->repository, plain, &error);
  g_assert_no_error (error);
  f->plain_id = om_opportunity_get_id (opp);
  g_assert_true (om_opportunity_win_stage (opp, 0, NULL, &error));
  g_assert_true (om_opportunity_win_stage (opp, 1, NULL, &error));
  g_assert_no_error (error);

  /* one import of one very long word, overdue, owned by nobody: the
   * health warnings quote it */
  huge = om_opportunity_data_new (title, client, om_test_date ("2025-01-01"));
  g_free (huge->coordinator);
  huge->coordinator = word ('K', HUGE_CHARS);
  g_free (huge->notes);
  huge->notes = word ('N', HUGE_CHARS);
  stage = om_stage_data_new ("x", "y");
  g_free (stage->activity);
  stage->activity = word ('W', HUGE_CHARS);
  g_free (stage->milestone);
  stage->milestone = word ('M', HUGE_CHARS);
  g_free (stage->client_description);
  /* words: Pango wraps one word of this length in quadratic time */
  stage->client_description = word ('D', HUGE_CHARS);
  for (gsize i = 7; i < HUGE_CHARS; i += 8)
    stage->client_description[i] = ' ';
  stage->probability = 0.3;
  g_ptr_array_add (huge->stages, stage);
  stage = om_stage_data_new ("Second", "Agreed");
  g_free (stage->owner);
  stage->owner = word ('O', HUGE_CHARS);
  /* and one word: the text views that show these must not wrap it in
   * quadratic time (the window froze for minutes) */
  g_free (stage->client_description);
  stage->client_description = word ('E', HUGE_CHARS);
  g_free (stage->notes);
  stage->notes = word ('F', HUGE_CHARS);
  g_ptr_array_add (huge->stages, stage);
  opp = om_repository_create_opportunity (f->repository, huge, &error);
  g_assert_no_error (error);
  f->long_id = om_opportunity_get_id (opp);

  f->window = om_window_new (NULL, f->repository, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), ((const Size *) data)->width, ((const Size *) data)->height);
  gtk_window_present (GTK_WINDOW (f->window));
  om_test_flush_events ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", FALSE, NULL);
  gtk_window_destroy (GTK_WINDOW (f->window));
  om_test_flush_events ();
  g_clear_object (&f->repository);
  om_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
show (Fixture *f,
      gint64   id,
      int      stage)
{
  g_assert_true (om_window_select_opportunity (f->window, id));
  om_test_flush_events ();
  om_opportunity_view_select_stage (om_window_get_view (f->window), stage);
  om_test_flush_events ();
}

/* Every widget of @type under @root, @root included, depth first */
static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GPtrArray *
all_of (GtkWidget *root,
        GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, found);
  return found;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *prefix)
{
  g_autoptr(GPtrArray) labels = all_of (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)), prefix))
      return g_ptr_array_index (labels, i);
  return NULL;
}

/* Whether @widget is (partly) scrolled out of a view that scrolls
 * sideways (the plan table's columns): reachable, not cut off */
static gboolean
scrolled_away (Fixture               *f,
               GtkWidget             *widget,
               const graphene_rect_t *bounds)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkPolicyType h;
      graphene_rect_t view;

      if (!GTK_IS_SCROLLED_WINDOW (w))
        continue;
      gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (w), &h, NULL);
      if (h == GTK_POLICY_NEVER || !gtk_widget_compute_bounds (w, GTK_WIDGET (f->window), &view))
        continue;
      return bounds->origin.x < view.origin.x ||
             bounds->origin.x + bounds->size.width > view.origin.x + view.size.width;
    }
  return FALSE;
}

/* Where a widget sits in the window, or FALSE when it is not shown */
static gboolean
window_bounds (Fixture         *f,
               GtkWidget       *widget,
               graphene_rect_t *bounds)
{
  return gtk_widget_get_mapped (widget) &&
         gtk_widget_compute_bounds (widget, GTK_WIDGET (f->window), bounds);
}

/* The window keeps the size it was given, and no label and no text
 * field is taller than it or wider than @max_label_width; with @inside,
 * none reaches out of the window either. (At 800 pixels the page is wider
 * than its room beside the sidebar, whatever the text, and scrolls
 * sideways.) */
static void
assert_within_window (Fixture  *f,
                      int       max_width,
                      int       max_height,
                      int       max_label_width,
                      gboolean  inside)
{
  GType types[] = { GTK_TYPE_LABEL, GTK_TYPE_TEXT };
  int width = gtk_widget_get_width (GTK_WIDGET (f->window));
  int height = gtk_widget_get_height (GTK_WIDGET (f->window));
  guint checked = 0;

  /* the window kept the size it was given: nothing asked for more */
  g_assert_cmpint (width, <=, max_width);
  g_assert_cmpint (height, <=, max_height);

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GPtrArray) widgets = all_of (GTK_WIDGET (f->window), types[t]);

      for (guint i = 0; i < widgets->len; i++)
        {
          GtkWidget *widget = g_ptr_array_index (widgets, i);
          graphene_rect_t b;

          if (!window_bounds (f, widget, &b))
            continue;
          checked++;
          if (b.size.width > max_label_width || b.size.height > height ||
              (inside && !scrolled_away (f, widget, &b) && (b.origin.x < 0 || b.origin.x + b.size.width > width)))
            g_error ("%s “%.40s” is %.0f×%.0f at x %.0f, in a window of %d×%d",
                     G_OBJECT_TYPE_NAME (widget),
                     GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget))
                                           : gtk_editable_get_text (GTK_EDITABLE (widget)),
                     b.size.width, b.size.height, b.origin.x, width, height);
        }
    }
  g_assert_cmpuint (checked, >, 20);
}

static void
test_long_word (Fixture       *f,
                gconstpointer  data)
{
  const Size *size = data;
  /* at 800 pixels, the page is wider than its room beside the sidebar,
   * whatever the text, and scrolls sideways */
  gboolean fits = size->width >= normal.width;
  OmOpportunityView *view = om_window_get_view (f->window);
  GtkWidget *warning;

  show (f, f->long_id, 0);
  assert_within_window (f, size->width, size->height, fits ? size->width : 1000, fits);

  /* the warning that quotes the word is shown, once the warnings' summary
   * line is opened */
  {
    g_autoptr(GPtrArray) toggles = all_of (GTK_WIDGET (view), GTK_TYPE_TOGGLE_BUTTON);

    for (guint i = 0; i < toggles->len; i++)
      if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (toggles, i)), "warnings") == 0)
        gtk_toggle_button_set_active (g_ptr_array_index (toggles, i), TRUE);
    for (guint i = 0; i < 50; i++)
      {
        g_usleep (10000);
        om_test_flush_events ();
      }
  }
  warning = find_label (GTK_WIDGET (view), "Nobody conducts");
  g_assert_nonnull (warning);
  g_assert_true (gtk_widget_get_mapped (warning));

  /* the entries hold the value, within their own width */
  om_opportunity_view_select_stage (view, 1);
  om_test_flush_events ();
  assert_within_window (f, size->width, size->height, fits ? size->width : 1000, fits);
}

static GtkWidget *
find_entry (GtkWidget  *root,
            const char *prefix)
{
  g_autoptr(GPtrArray) entries = all_of (root, GTK_TYPE_ENTRY);

  for (guint i = 0; i < entries->len; i++)
    if (g_str_has_prefix (gtk_editable_get_text (g_ptr_array_index (entries, i)), prefix))
      return g_ptr_array_index (entries, i);
  return NULL;
}

/* An entry keeps at most 65,535 characters: that it shows less of a
 * value is no edit, and passing through the field keeps the value whole */
static void
test_long_value_kept (Fixture       *f,
                      gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->long_id);
  GtkWidget *activity, *title;

  show (f, f->long_id, 0);
  activity = find_entry (om_opportunity_view_get_editor (view), "WWW");
  title = find_entry (GTK_WIDGET (view), "TTT");
  g_assert_nonnull (activity);
  g_assert_nonnull (title);

  /* into the fields and out again, as Tab does */
  g_assert_true (gtk_widget_grab_focus (activity));
  om_test_flush_events ();
  g_assert_true (gtk_widget_grab_focus (title));
  om_test_flush_events ();
  g_assert_true (gtk_widget_grab_focus (activity));
  om_test_flush_events ();
  /* and away to another opportunity */
  show (f, f->plain_id, 0);

  g_assert_cmpuint (strlen (om_opportunity_get_title (opp)), ==, HUGE_CHARS);
  g_assert_cmpuint (strlen (om_stage_get_activity (om_opportunity_get_stage (opp, 0))), ==, HUGE_CHARS);
}

/* The sidebar shows a title of many lines on one line */
static void
test_sidebar_one_line (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = all_of (GTK_WIDGET (f->window), OM_TYPE_OPPORTUNITY_ROW);
  guint seen = 0;

  g_assert_cmpuint (rows->len, >=, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *title = find_label (g_ptr_array_index (rows, i), "TTT");
      graphene_rect_t b;

      if (title == NULL)
        continue;
      seen++;
      g_assert_null (strchr (gtk_label_get_text (GTK_LABEL (title)), '\n'));
      g_assert_true (window_bounds (f, title, &b));
      g_assert_cmpfloat (b.size.height, <, 40);
    }
  g_assert_cmpuint (seen, ==, 1);
}


/* Reopen is offered on the stage it reopens, and nowhere else */
static void
test_reopen_where_it_applies (Fixture       *f,
                              gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  OmOpportunity *opp = om_repository_find (f->repository, f->plain_id);
  GtkWidget *reopen;
  const char *why;

  show (f, f->plain_id, 0);
  reopen = om_test_find_action_button (om_opportunity_view_get_editor (view), "win.stage-reopen");
  g_assert_nonnull (reopen);
  g_assert_cmpint (om_opportunity_get_reopen_stage (opp), ==, 1);

  for (guint i = 0; i < om_opportunity_get_n_stages (opp); i++)
    {
      om_opportunity_view_select_stage (view, (int) i);
      om_test_flush_events ();
      g_assert_cmpint (gtk_widget_is_sensitive (reopen), ==, i == 1);
    }

  /* an earlier won stage says which one Reopen would undo */
  om_opportunity_view_select_stage (view, 0);
  om_test_flush_events ();
  why = om_accessible_get_tooltip (reopen);
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, "Process meeting"));
  /* shown on hover, and read by a screen reader as the description */
  g_assert_true (gtk_widget_get_has_tooltip (reopen));
  {
    g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (reopen),
                                                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why);
    g_assert_null (wrong);
  }
  /* so does a pending one */
  om_opportunity_view_select_stage (view, 3);
  om_test_flush_events ();
  g_assert_nonnull (strstr (om_accessible_get_tooltip (reopen), "Process meeting"));
  om_opportunity_view_select_stage (view, 0);
  om_test_flush_events ();
  /* the action itself refuses there: nothing changes */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-reopen", NULL);
  om_test_flush_events ();
  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 2);

  /* on the stage it names, it reopens that stage */
  om_opportunity_view_select_stage (view, 1);
  om_test_flush_events ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-reopen", NULL));
  om_test_flush_events ();
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 1)), ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (om_opportunity_view_get_selected (view), ==, 1);
  /* now the first one is the latest decision */
  g_assert_false (gtk_widget_is_sensitive (reopen));
  om_opportunity_view_select_stage (view, 0);
  om_test_flush_events ();
  g_assert_true (gtk_widget_is_sensitive (reopen));
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color)
{
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    g_error ("the theme has no colour “%s”", name);
}

static void
assert_readable (GtkWidget  *label,
                 const char *style)
{
  const char *backgrounds[] = { "theme_bg_color", "theme_base_color" };
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (label), &fg);
  for (guint i = 0; i < G_N_ELEMENTS (backgrounds); i++)
    {
      GdkRGBA bg;
      double contrast;

      lookup_color (label, backgrounds[i], &bg);
      contrast = om_style_contrast (&fg, &bg);
      if (contrast < OM_STYLE_MIN_CONTRAST)
        g_error ("%s style: “%s” has a contrast of %.2f:1 on %s", style,
                 gtk_label_get_text (GTK_LABEL (label)), contrast, backgrounds[i]);
    }
}

/* "Overdue since" and the sidebar's "Overdue", light and dark (WCAG AA) */
static void
test_status_contrast (Fixture       *f,
                      gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  GtkWidget *editor = om_opportunity_view_get_editor (view);
  const gboolean dark[] = { FALSE, TRUE };

  show (f, f->long_id, 0);
  for (guint d = 0; d < G_N_ELEMENTS (dark); d++)
    {
      const char *style = dark[d] ? "dark" : "light";
      GtkWidget *since, *overdue = NULL;
      g_autoptr(GPtrArray) rows = all_of (GTK_WIDGET (f->window), OM_TYPE_OPPORTUNITY_ROW);
      GdkRGBA theme_fg, fg;

      g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark[d], NULL);
      om_test_flush_events ();

      /* the theme did change: its text is light on dark */
      lookup_color (editor, "theme_fg_color", &theme_fg);
      g_assert_cmpint (theme_fg.red + theme_fg.green + theme_fg.blue > 1.5, ==, dark[d]);

      since = find_label (editor, "Overdue since");
      g_assert_nonnull (since);
      g_assert_true (gtk_widget_has_css_class (since, "error"));
      assert_readable (since, style);
      /* still the theme's red, not its text colour */
      gtk_style_context_get_color (gtk_widget_get_style_context (since), &fg);
      g_assert_cmpfloat (fg.red, >, fg.green + 0.1);

      for (guint i = 0; i < rows->len && overdue == NULL; i++)
        overdue = find_label (g_ptr_array_index (rows, i), "Overdue");
      g_assert_nonnull (overdue);
      g_assert_true (gtk_widget_has_css_class (overdue, "warning"));
      assert_readable (overdue, style);
    }
}

/* The contrast of two colours as WCAG 2 defines it */
static void
test_contrast_ratio (void)
{
  GdkRGBA black = { 0, 0, 0, 1 }, white = { 1, 1, 1, 1 }, red = { 0.8, 0, 0, 1 };
  GdkRGBA dark_bg = { 0.208, 0.208, 0.208, 1 }, readable;

  g_assert_cmpfloat_with_epsilon (om_style_contrast (&black, &white), 21.0, 0.01);
  g_assert_cmpfloat_with_epsilon (om_style_contrast (&white, &white), 1.0, 0.001);
  /* the red that was used on a dark background */
  g_assert_cmpfloat_with_epsilon (om_style_contrast (&red, &dark_bg), 2.08, 0.05);

  om_style_readable_color (&red, &white, &dark_bg, 1, &readable);
  g_assert_cmpfloat (om_style_contrast (&readable, &dark_bg), >=, OM_STYLE_MIN_CONTRAST);
  g_assert_cmpfloat (readable.red, >, readable.green);
  /* a colour already readable stays as it is */
  om_style_readable_color (&red, &black, &white, 1, &readable);
  g_assert_true (gdk_rgba_equal (&readable, &red));
}

/* What a screen reader reads for @widget, computed as GTK 4.8 does: its
 * label, then the labels that label it (its mnemonic labels) */
static char *
accessible_name (GtkWidget *widget)
{
  GString *name = g_string_new (NULL);
  GList *labels = gtk_widget_list_mnemonic_labels (widget);

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* returns the value when it differs from the one given */
      g_autofree char *label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "\x01");
      g_string_append (name, label);
    }
  for (GList *l = labels; l != NULL; l = l->next)
    {
      g_autofree char *inner = accessible_name (l->data);

      if (name->len > 0 && inner[0] != '\0')
        g_string_append_c (name, ' ');
      g_string_append (name, inner);
    }
  g_list_free (labels);
  return g_string_free (name, FALSE);
}

static void
assert_name (GtkWidget  *widget,
             const char *expected)
{
  g_autofree char *name = accessible_name (widget);

  g_assert_cmpstr (name, ==, expected);
}

static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  OmOpportunityView *view = om_window_get_view (f->window);
  g_autoptr(GPtrArray) buttons = all_of (GTK_WIDGET (f->window), GTK_TYPE_BUTTON);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) model = NULL;
  guint named = 0;

  show (f, f->long_id, 0);

  /* a button is named by what it shows: once, without the mnemonic */
  assert_name (om_test_find_action_button (GTK_WIDGET (f->window), "win.new-opportunity"), "New Opportunity");
  assert_name (om_test_find_action_button (GTK_WIDGET (f->window), "win.open-sample"), "Open the Sample");
  assert_name (om_test_find_action_button (GTK_WIDGET (view), "win.stage-add-after"), "Add Stage");
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      g_autofree char *name = accessible_name (button);
      gsize half = strlen (name) / 2;

      if (gtk_button_get_label (GTK_BUTTON (button)) == NULL)
        continue;
      named++;
      g_assert_null (strchr (name, '_'));
      /* not the same text twice over, "Add Stage Add Stage" */
      if (strlen (name) % 2 == 1 && name[half] == ' ')
        g_assert_false (strncmp (name, name + half + 1, half) == 0);
    }
  g_assert_cmpuint (named, >, 5);

  /* a sidebar row reads the opportunity: title, client, status, progress */
  rows = all_of (GTK_WIDGET (f->window), OM_TYPE_OPPORTUNITY_ROW);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *item = gtk_widget_get_parent (row);
      g_autofree char *name = accessible_name (item);

      if (find_label (row, "TTT") == NULL)
        continue;
      g_assert_true (g_str_has_prefix (name, "TTTT"));
      g_assert_nonnull (strstr (name, "CCCC"));
      g_assert_nonnull (strstr (name, "Open, overdue"));
      g_assert_nonnull (strstr (name, "0 of 2 won"));
      /* one line, and not a hundred thousand characters read aloud */
      g_assert_null (strchr (name, '\n'));
      g_assert_cmpuint (strlen (name), <, 400);
    }

  /* a warning row reads the warning: the model's, one row each (both
   * stages are overdue, one warning says so) */
  warnings = all_of (GTK_WIDGET (view), GTK_TYPE_LIST_BOX_ROW);
  model = om_opportunity_check_health (om_repository_find (f->repository, f->long_id));
  g_assert_cmpuint (model->len, >=, 3);
  g_assert_cmpuint (warnings->len, ==, model->len);
  for (guint i = 0; i < warnings->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (warnings, i);
      g_autofree char *name = accessible_name (row);
      GtkWidget *label = find_label (row, "");
      const OmHealthWarning *w = g_ptr_array_index (model, i);

      g_assert_nonnull (label);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, w->message);
      g_assert_true (g_str_has_prefix (name, "Warning: "));
      g_assert_cmpstr (name + strlen ("Warning: "), ==, gtk_label_get_text (GTK_LABEL (label)));
    }
}

/* A tooltip set by the app: shown on hover, said as the description,
 * and gone, both, when there is none */
static void
test_tooltip (void)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new ("Weakest link"));
  g_autofree char *wrong = NULL;

  g_assert_null (om_accessible_get_tooltip (label));
  g_assert_false (gtk_widget_get_has_tooltip (label));

  om_accessible_set_tooltip (label, "3. Feasibility Study (60 %)");
  g_assert_cmpstr (om_accessible_get_tooltip (label), ==, "3. Feasibility Study (60 %)");
  g_assert_true (gtk_widget_get_has_tooltip (label));
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                              "3. Feasibility Study (60 %)");
  g_assert_null (wrong);

  /* the same text again changes nothing; a new one replaces it */
  om_accessible_set_tooltip (label, "3. Feasibility Study (60 %)");
  g_assert_cmpstr (om_accessible_get_tooltip (label), ==, "3. Feasibility Study (60 %)");
  om_accessible_set_tooltip (label, "4. Proposal (70 %)");
  g_assert_cmpstr (om_accessible_get_tooltip (label), ==, "4. Proposal (70 %)");
  wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                              "4. Proposal (70 %)");
  g_assert_null (wrong);

  /* an empty text is none, as for GTK's own tooltips */
  om_accessible_set_tooltip (label, "");
  g_assert_null (om_accessible_get_tooltip (label));
  g_assert_false (gtk_widget_get_has_tooltip (label));
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));

  om_accessible_set_tooltip (label, "4. Proposal (70 %)");
  om_accessible_set_tooltip (label, NULL);
  g_assert_null (om_accessible_get_tooltip (label));
  g_assert_false (gtk_widget_get_has_tooltip (label));
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_object_unref (label);
}

int
main (int   argc,
      char *argv[])
{
  /* the test backend keeps the accessible properties the names come from */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, &normal, fixture_set_up, fn, fixture_tear_down)
  g_test_add ("/labels/long-word/800x600", Fixture, &small, fixture_set_up, test_long_word, fixture_tear_down);
  ADD ("/labels/long-word/1280x800", test_long_word);
  ADD ("/labels/long-value-kept", test_long_value_kept);
  ADD ("/labels/sidebar-one-line", test_sidebar_one_line);
  ADD ("/labels/reopen-where-it-applies", test_reopen_where_it_applies);
  ADD ("/labels/status-contrast", test_status_contrast);
  ADD ("/labels/accessible-names", test_accessible_names);
#undef ADD
  g_test_add_func ("/labels/contrast-ratio", test_contrast_ratio);
  g_test_add_func ("/labels/tooltip", test_tooltip);

  return g_test_run ();
}
