/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "om-accessible.h"
#include "om-database.h"
#include "om-test-window.h"
#include "om-window.h"

/*
 * The window on the small screens our users have (800x600 and 1280x800),
 * with 100-character names and with every string of the window about 40 %
 * longer, as German makes them: its minimum size fits the screen, and at
 * that size no control sticks out of what shows it, so nothing is cut off
 * and everything is reachable (by scrolling where the window scrolls).
 */

typedef struct
{
  char         *dir;
  char         *path;
  OmRepository *repository;
  OmWindow     *window;
  gint64        id;
} Fixture;

typedef struct
{
  gboolean    long_strings;   /* lengthen the window's own strings */
  const char *name;           /* every user text */
} Variant;

/* a realistic name of 100 characters, and one that cannot wrap */
#define LONG_NAME "Erneuerung der gesamten Fährflotte für Nordsee- und Ostseelinien einschließlich Wartungsvertrag 2027"
static const Variant long_names = { FALSE, LONG_NAME };
static const Variant long_strings = { TRUE, LONG_NAME };
static const Variant long_words = { TRUE, "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW" };



/* lets the window take a new layout, which may take a few frames */
static void
settle (void)
{
  for (guint i = 0; i < 10; i++)
    {
      g_usleep (10000);
      om_test_flush_events ();
    }
}

static void
replace (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const Variant *variant = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = NULL;
  g_autoptr(OmOpportunityData) other = NULL;
  OmOpportunity *opp;

  g_assert_cmpint (g_utf8_strlen (variant->name, -1), ==, 100);
  om_date_set_today (om_test_date ("2026-01-10"));
  f->dir = g_dir_make_tmp ("om-test-window-size-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "size.db", NULL);
  f->repository = om_database_open_repository (f->path, &error);
  g_assert_no_error (error);

  other = om_opportunity_data_new (variant->name, variant->name, om_test_date ("2026-01-01"));
  g_assert_nonnull (om_repository_create_opportunity (f->repository, other, &error));
  plan = om_template_data_instantiate (tpl, variant->name, variant->name, om_test_date ("2026-01-05"));
  replace (&plan->coordinator, variant->name);
  for (guint i = 0; i < plan->stages->len; i++)
    {
      OmStageData *stage = om_opportunity_data_get_writable_stage (plan, i);

      replace (&stage->activity, variant->name);
      replace (&stage->milestone, variant->name);
      replace (&stage->client_owner, variant->name);
      replace (&stage->client_description, variant->name);
      /* the first has nobody, so that a warning names it */
      replace (&stage->owner, i == 0 ? NULL : variant->name);
    }
  /* and more warnings: a weak link, and a deadline the plan misses */
  om_opportunity_data_get_writable_stage (plan, 1)->probability = 0.3;
  plan->target_date = om_test_date ("2026-01-20");
  opp = om_repository_create_opportunity (f->repository, plan, &error);
  g_assert_no_error (error);
  f->id = om_opportunity_get_id (opp);

  /* each test starts as a first start does (the settings are in memory,
   * shared by the tests of this process) */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_reset (settings, "show-details");
  }
  f->window = om_window_new (NULL, f->repository, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  om_test_flush_events ();
  g_clear_object (&f->repository);
  om_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A stand-in for a translation: every label 40 % longer, made of its own
 * letters so that it is as wide per character as the original */
static void
lengthen_labels (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));
      glong length = g_utf8_strlen (text, -1);

      if (length > 0)
        {
          g_autofree char *start = g_utf8_substring (text, 0, (length * 2 + 4) / 5);
          g_autofree char *longer = g_strconcat (gtk_label_get_label (GTK_LABEL (widget)), start, NULL);

          if (gtk_label_get_use_markup (GTK_LABEL (widget)))
            gtk_label_set_use_markup (GTK_LABEL (widget), FALSE);
          gtk_label_set_label (GTK_LABEL (widget), longer);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (!GTK_IS_NATIVE (child))
      lengthen_labels (child);
}

static void
show_window (Fixture       *f,
             const Variant *variant,
             int            width,
             int            height)
{
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_present (GTK_WINDOW (f->window));
  settle ();
  g_assert_true (om_window_select_opportunity (f->window, f->id));
  settle ();
  om_opportunity_view_select_stage (om_window_get_view (f->window), 0);
  settle ();
  if (variant->long_strings)
    {
      lengthen_labels (GTK_WIDGET (f->window));
      gtk_widget_queue_resize (GTK_WIDGET (f->window));
      settle ();
    }
}

/* Names the widgets that ask for the most width, to say what to change */
static void
list_widest (GtkWidget *widget,
             int        limit,
             int        depth,
             GString   *out)
{
  int minimum;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum < limit)
    return;
  g_string_append_printf (out, "\n%*s%s %s: %d px", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
                          GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "", minimum);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (!GTK_IS_NATIVE (child))
      list_widest (child, limit, depth + 1, out);
}

static void
assert_minimum_fits (Fixture *f,
                     int      width,
                     int      height)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  int min_width, min_height;

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, min_width, &min_height, NULL, NULL, NULL);
  g_test_message ("minimum size %dx%d", min_width, min_height);
  if (min_width > width)
    {
      g_autoptr(GString) widest = g_string_new (NULL);

      list_widest (window, width * 2 / 3, 0, widest);
      g_test_message ("widest widgets:%s", widest->str);
    }
  g_assert_cmpint (min_width, <=, width);
  g_assert_cmpint (min_height, <=, height);
}

/* what a user reads or operates: buttons (menu buttons hold one), check
 * buttons and switches, every editable (entries, spin buttons, editable
 * labels), drop-downs, text views and labels */
static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) ||
         GTK_IS_SWITCH (widget) || GTK_IS_EDITABLE (widget) || GTK_IS_DROP_DOWN (widget) ||
         GTK_IS_TEXT_VIEW (widget) || GTK_IS_LABEL (widget);
}

static const char *
describe (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)))
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_EDITABLE (widget))
    return gtk_editable_get_text (GTK_EDITABLE (widget));
  /* the app's own tooltips, or one its .ui files give */
  return om_accessible_get_tooltip (widget) ? om_accessible_get_tooltip (widget) : gtk_widget_get_tooltip_text (widget);
}

/* where a list or text view scrolls itself, what it shows may lie
 * anywhere: it scrolls the row or the line into view */
#define UNBOUNDED 1e9

/* Every control lies within each widget that shows it. Along a direction
 * in which a scrolled window around it scrolls, it lies within what the
 * scrolled window scrolls (its viewport's child), so that scrolling
 * brings it into view; a list or text view scrolls itself. */
static void
check_within (GtkWidget             *window,
              GtkWidget             *widget,
              const graphene_rect_t *clip,
              gboolean               scrolls_x,
              gboolean               scrolls_y,
              guint                 *n_checked)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget) || !gtk_widget_compute_bounds (widget, window, &bounds))
    return;
  if (is_control (widget) && bounds.size.width > 0 && bounds.size.height > 0)
    {
      double left = bounds.origin.x, right = left + bounds.size.width;
      double top = bounds.origin.y, bottom = top + bounds.size.height;
      double clip_right = clip->origin.x + clip->size.width;
      double clip_bottom = clip->origin.y + clip->size.height;
      const char *what = describe (widget);

      if (left < clip->origin.x - 0.5 || right > clip_right + 0.5)
        g_test_fail_printf ("%s \"%s\" spans x %.0f..%.0f, shown in %.0f..%.0f: cut off",
                            G_OBJECT_TYPE_NAME (widget), what, left, right, clip->origin.x, clip_right);
      if (top < clip->origin.y - 0.5 || bottom > clip_bottom + 0.5)
        g_test_fail_printf ("%s \"%s\" spans y %.0f..%.0f, shown in %.0f..%.0f: cut off",
                            G_OBJECT_TYPE_NAME (widget), what, top, bottom, clip->origin.y, clip_bottom);
      (*n_checked)++;
      if (!GTK_IS_TEXT_VIEW (widget))
        return;
    }

  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkWidget *scrolled = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget));
      GtkPolicyType x, y;
      graphene_rect_t area;

      gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (widget), &x, &y);
      if (GTK_IS_VIEWPORT (scrolled) && gtk_viewport_get_child (GTK_VIEWPORT (scrolled)) != NULL &&
          gtk_widget_compute_bounds (gtk_viewport_get_child (GTK_VIEWPORT (scrolled)), window, &area))
        {
          /* the viewport's child is what scrolls into view: nothing
           * outside it ever does */
          graphene_rect_t inner = *clip;

          if (x != GTK_POLICY_NEVER && !scrolls_x)
            inner.origin.x = area.origin.x, inner.size.width = area.size.width;
          if (y != GTK_POLICY_NEVER && !scrolls_y)
            inner.origin.y = area.origin.y, inner.size.height = area.size.height;
          check_within (window, gtk_viewport_get_child (GTK_VIEWPORT (scrolled)), &inner,
                        scrolls_x, scrolls_y, n_checked);
          return;
        }
      scrolls_x = scrolls_x || x != GTK_POLICY_NEVER;
      scrolls_y = scrolls_y || y != GTK_POLICY_NEVER;
      if (scrolls_x || scrolls_y)
        {
          graphene_rect_t inner = *clip;

          if (scrolls_x)
            inner.origin.x = -UNBOUNDED, inner.size.width = 2 * UNBOUNDED;
          if (scrolls_y)
            inner.origin.y = -UNBOUNDED, inner.size.height = 2 * UNBOUNDED;
          for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
            if (!GTK_IS_NATIVE (child))
              check_within (window, child, &inner, scrolls_x, scrolls_y, n_checked);
          return;
        }
    }
  /* a child is shown only where its parent is, but inside a list that
   * scrolls itself */
  {
    double x0 = MAX (clip->origin.x, bounds.origin.x);
    double y0 = MAX (clip->origin.y, bounds.origin.y);
    double x1 = MIN (clip->origin.x + clip->size.width, bounds.origin.x + bounds.size.width);
    double y1 = MIN (clip->origin.y + clip->size.height, bounds.origin.y + bounds.size.height);
    graphene_rect_t inner;

    if (scrolls_x)
      x0 = clip->origin.x, x1 = clip->origin.x + clip->size.width;
    if (scrolls_y)
      y0 = clip->origin.y, y1 = clip->origin.y + clip->size.height;
    graphene_rect_init (&inner, x0, y0, MAX (0, x1 - x0), MAX (0, y1 - y0));
    for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
      if (!GTK_IS_NATIVE (child))
        check_within (window, child, &inner, scrolls_x, scrolls_y, n_checked);
  }
}

static void
assert_nothing_cut_off (Fixture *f,
                        int      width,
                        int      height)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkWidget *editor = om_opportunity_view_get_editor (om_window_get_view (f->window));
  GtkWidget *page;
  GtkAdjustment *scroll;
  graphene_rect_t bounds;
  guint n_checked = 0;

  g_test_message ("window %dx%d on a %dx%d screen", gtk_widget_get_width (window),
                  gtk_widget_get_height (window), width, height);
  g_assert_cmpint (gtk_widget_get_width (window), <=, width);
  g_assert_cmpint (gtk_widget_get_height (window), <=, height);

  /* the page fits the width it has: only the plan's timeline scrolls
   * sideways, a form that did would hide half of it */
  page = gtk_widget_get_ancestor (editor, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (page);
  scroll = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (page));
  g_assert_cmpfloat (gtk_adjustment_get_upper (scroll), <=, gtk_adjustment_get_page_size (scroll) + 0.5);

  /* the stage editor's controls are shown, and checked */
  g_assert_true (gtk_widget_get_mapped (editor));
  g_assert_true (gtk_widget_compute_bounds (window, window, &bounds));
  check_within (window, window, &bounds, FALSE, FALSE, &n_checked);
  g_test_message ("%u controls within the window", n_checked);
  g_assert_cmpuint (n_checked, >, 40);
}

static void show_details (Fixture  *f,
                          gboolean  show);

/* with the opportunity's details folded, as it opens, and shown */
static void
test_fits (Fixture       *f,
           gconstpointer  data,
           int            width,
           int            height)
{
  show_window (f, data, width, height);
  g_assert_false (om_opportunity_view_get_show_details (om_window_get_view (f->window)));
  assert_minimum_fits (f, width, height);
  assert_nothing_cut_off (f, width, height);
  show_details (f, TRUE);
  assert_minimum_fits (f, width, height);
  assert_nothing_cut_off (f, width, height);
}

static void
test_fits_800x600 (Fixture       *f,
                   gconstpointer  data)
{
  test_fits (f, data, 800, 600);
}

static void
test_fits_1280x800 (Fixture       *f,
                    gconstpointer  data)
{
  test_fits (f, data, 1280, 800);
}

static void
test_fits_1024x640 (Fixture       *f,
                    gconstpointer  data)
{
  test_fits (f, data, 1024, 640);
}

static void
test_fits_1920x1200 (Fixture       *f,
                     gconstpointer  data)
{
  test_fits (f, data, 1920, 1200);
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* a widget named for assistive technologies, as the list of warnings */
static gboolean
is_labelled (GtkWidget     *widget,
             gconstpointer  name)
{
  g_autofree char *label = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  /* returns the value when it differs from the one given */
  label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, "\x01");
  return g_strcmp0 (label, name) == 0;
}

static gboolean
has_name (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static gboolean
is_entry (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_ENTRY (widget);
}

static GtkWidget *
find_widget (GtkWidget     *widget,
             gboolean     (*match) (GtkWidget *, gconstpointer),
             gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = GTK_IS_NATIVE (child) ? NULL : find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* the field that a caption such as "Client" names, as a reader finds it */
static GtkWidget *
field_of (GtkWidget  *root,
          const char *caption)
{
  GtkWidget *label = find_widget (root, is_label, caption);

  g_assert_nonnull (label);
  g_assert_nonnull (gtk_label_get_mnemonic_widget (GTK_LABEL (label)));
  return gtk_label_get_mnemonic_widget (GTK_LABEL (label));
}

static graphene_rect_t
bounds_of (Fixture   *f,
           GtkWidget *widget)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (f->window), &bounds));
  return bounds;
}

/* The toggle before the title, as a user presses it: the opportunity's
 * fields and figures are there once it has slid open, and gone (with no
 * room kept for them) once it has closed */
static void
show_details (Fixture  *f,
              gboolean  show)
{
  GtkWidget *view = GTK_WIDGET (om_window_get_view (f->window));
  GtkWidget *toggle = find_widget (view, has_name, "details");
  GtkWidget *details = find_widget (view, has_name, "details-fields");
  GtkWidget *client = find_widget (details, is_entry, NULL);

  g_assert_true (GTK_IS_TOGGLE_BUTTON (toggle));
  g_assert_true (GTK_IS_REVEALER (details));
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)) != show)
    g_assert_true (gtk_widget_activate (toggle));
  for (guint i = 0; i < 200; i++)
    {
      if (show ? gtk_revealer_get_child_revealed (GTK_REVEALER (details)) : !gtk_widget_get_visible (details))
        break;
      settle ();
    }
  settle ();
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)) == show);
  g_assert_true (gtk_widget_get_mapped (client) == show);
}

/* The opportunity's fields take fewer columns on a narrow page rather
 * than squeezing a name into a few letters: each text field shows at
 * least 16 characters, and all four share one line when there is room */
static void
test_fields_reflow (Fixture       *f,
                    gconstpointer  data)
{
  static const struct { int width, height; gboolean one_line; } sizes[] = {
    { 800, 600, FALSE }, { 1024, 640, FALSE }, { 1280, 800, TRUE }, { 1920, 1200, TRUE },
  };
  GtkWidget *view = GTK_WIDGET (om_window_get_view (f->window));

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GtkWidget *client, *coordinator, *value, *start;
      graphene_rect_t c, o, v, s;
      PangoFontMetrics *metrics;
      double sixteen;

      show_window (f, data, sizes[i].width, sizes[i].height);
      show_details (f, TRUE);
      client = field_of (view, "Client");
      coordinator = field_of (view, "Coordinator");
      value = field_of (view, "Value");
      start = field_of (view, "Start date");
      c = bounds_of (f, client);
      o = bounds_of (f, coordinator);
      v = bounds_of (f, value);
      s = bounds_of (f, start);
      metrics = pango_context_get_metrics (gtk_widget_get_pango_context (client), NULL, NULL);
      sixteen = 16.0 * pango_font_metrics_get_approximate_char_width (metrics) / PANGO_SCALE;
      pango_font_metrics_unref (metrics);
      g_test_message ("%dx%d: client %.0f px at %.0f,%.0f, coordinator %.0f px at %.0f,%.0f, "
                      "value at %.0f,%.0f, start at %.0f,%.0f; 16 characters are %.0f px",
                      sizes[i].width, sizes[i].height, c.size.width, c.origin.x, c.origin.y,
                      o.size.width, o.origin.x, o.origin.y, v.origin.x, v.origin.y, s.origin.x, s.origin.y, sixteen);
      g_assert_cmpfloat (c.size.width, >=, sixteen);
      g_assert_cmpfloat (o.size.width, >=, sixteen);
      g_assert_cmpfloat (v.size.width, >=, sixteen * 10 / 16);
      /* in reading order, wherever the line breaks */
      g_assert_true (c.origin.y < o.origin.y || (c.origin.y == o.origin.y && c.origin.x < o.origin.x));
      g_assert_true (o.origin.y < v.origin.y || (o.origin.y == v.origin.y && o.origin.x < v.origin.x));
      if (sizes[i].one_line)
        g_assert_cmpfloat (s.origin.y, ==, c.origin.y);
    }
}

/* Several process-health warnings take one line, which counts them and
 * quotes the first; opened from the keyboard, it lists every one with
 * the button of its remedy, in the model's order */
static void
test_warnings_summary (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *view = GTK_WIDGET (om_window_get_view (f->window));
  g_autoptr(GPtrArray) warnings = om_opportunity_check_health (om_repository_find (f->repository, f->id));
  const OmHealthWarning *first;
  g_autofree char *count = NULL;
  g_autofree char *name = NULL;
  GtkWidget *summary, *list, *focus, *deadline;
  GtkWidget *shown_first = NULL, *shown_count = NULL;
  graphene_rect_t line;
  guint n_rows = 0;

  for (guint i = 0; i < warnings->len; i++)
    g_test_message ("warning: %s", ((const OmHealthWarning *) g_ptr_array_index (warnings, i))->message);
  show_window (f, data, 1024, 640);
  show_details (f, TRUE);
  g_assert_cmpuint (warnings->len, >=, 3);
  first = g_ptr_array_index (warnings, 0);
  count = g_strdup_printf ("%u warnings", warnings->len);

  summary = find_widget (view, has_name, "warnings");
  g_assert_nonnull (summary);
  g_assert_true (GTK_IS_TOGGLE_BUTTON (summary));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (summary)));
  shown_count = find_widget (summary, is_label, count);
  shown_first = find_widget (summary, is_label, first->message);
  g_assert_nonnull (shown_count);
  g_assert_nonnull (shown_first);
  g_assert_true (gtk_widget_get_mapped (shown_count));
  g_assert_true (gtk_widget_get_mapped (shown_first));
  /* one line: no taller than two lines of the count's text */
  line = bounds_of (f, summary);
  g_test_message ("the summary is %.0f px high, the count %d px", line.size.height, gtk_widget_get_height (shown_count));
  g_assert_cmpfloat (line.size.height, <, 2 * gtk_widget_get_height (shown_count));

  /* read out as it shows, and as closed */
  name = gtk_test_accessible_check_property (GTK_ACCESSIBLE (summary), GTK_ACCESSIBLE_PROPERTY_LABEL, "\x01");
  g_assert_nonnull (name);
  g_assert_nonnull (strstr (name, count));
  g_assert_nonnull (strstr (name, first->message));
  gtk_test_accessible_assert_state (summary, GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);

  /* no row shows while it is closed */
  list = find_widget (view, is_labelled, "Process health warnings");
  g_assert_true (GTK_IS_LIST_BOX (list));
  g_assert_false (gtk_widget_get_mapped (list));

  /* Tab from the client's deadline reaches it, and Enter opens it */
  deadline = field_of (view, "Client’s deadline");
  g_assert_true (gtk_widget_grab_focus (deadline));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == summary);
  g_assert_true (gtk_widget_activate (summary));
  for (guint i = 0; i < 100 && !gtk_widget_get_mapped (list); i++)
    settle ();
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (summary)));
  gtk_test_accessible_assert_state (summary, GTK_ACCESSIBLE_STATE_EXPANDED, TRUE);
  g_assert_true (gtk_widget_get_mapped (list));
  /* open, the line only counts: the list says the first one */
  g_assert_false (gtk_widget_get_mapped (shown_first));

  /* every warning, in the model's order, with the button of its remedy,
   * named for what it does; those about a stage show it */
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      const OmHealthWarning *w;
      g_autofree char *remedy_name = NULL;
      g_autofree char *remedy = NULL;
      GtkWidget *button;

      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      g_assert_cmpuint (n_rows, <, warnings->len);
      w = g_ptr_array_index (warnings, n_rows++);
      g_assert_nonnull (find_widget (row, is_label, w->message));
      g_assert_true (gtk_widget_get_mapped (find_widget (row, is_label, w->message)));
      remedy = g_strconcat ("remedy-", w->code, NULL);
      button = find_widget (row, has_name, remedy);
      g_assert_true (GTK_IS_BUTTON (button));
      g_assert_true (gtk_widget_get_mapped (button));
      g_assert_true (gtk_widget_get_focusable (button));
      remedy_name = gtk_test_accessible_check_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "\x01");
      g_assert_nonnull (remedy_name);
      g_test_message ("%s: %s", w->code, remedy_name);
      if (w->stage < 0 || !gtk_widget_is_sensitive (button))
        continue;
      /* (activating a button clicks it a moment later: a click is the same) */
      g_signal_emit_by_name (button, "clicked");
      settle ();
      g_assert_cmpint (om_opportunity_view_get_selected (om_window_get_view (f->window)), ==, w->stage);
    }
  g_assert_cmpuint (n_rows, ==, warnings->len);
  assert_nothing_cut_off (f, 1024, 640);
}

/* @widget shows whole within @area as things are scrolled now */
static void
assert_shown_within (Fixture    *f,
                     GtkWidget  *widget,
                     GtkWidget  *area,
                     const char *what)
{
  graphene_rect_t w = bounds_of (f, widget);
  graphene_rect_t a = bounds_of (f, area);

  g_test_message ("%s spans y %.0f..%.0f, shown in %.0f..%.0f", what, w.origin.y, w.origin.y + w.size.height,
                  a.origin.y, a.origin.y + a.size.height);
  g_assert_cmpfloat (w.origin.y, >=, a.origin.y - 0.5);
  g_assert_cmpfloat (w.origin.y + w.size.height, <=, a.origin.y + a.size.height + 0.5);
}

/* The plan is what the page is for. With the opportunity's details
 * folded, as a first start has them, a small screen shows the title and
 * the first rows of the plan without scrolling, and the line under the
 * title gives the client and the key figures. The toggle before the
 * title, or Alt+Return wherever the focus is, shows the details; the
 * choice is kept for the next window. */
static void
test_plan_in_view (Fixture       *f,
                   gconstpointer  data)
{
  /* with these names, all in full in the title and the table */
  static const struct { int width, height; guint rows; } sizes[] = { { 800, 600, 2 }, { 1280, 800, 6 } };
  const Variant *variant = data;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *client = g_utf8_substring (variant->name, 0, 20);
  OmOpportunityView *view = om_window_get_view (f->window);
  OmPlanTable *table = om_opportunity_view_get_table (view);
  GtkWidget *digest = find_widget (GTK_WIDGET (view), has_name, "digest");
  GtkWidget *toggle = find_widget (GTK_WIDGET (view), has_name, "details");
  GtkWidget *title = find_widget (GTK_WIDGET (view), is_entry, NULL);
  OmWindow *next;

  g_assert_true (GTK_IS_LABEL (digest));
  g_assert_false (g_settings_get_boolean (settings, "show-details"));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GtkWidget *page;

      show_window (f, data, sizes[i].width, sizes[i].height);
      g_assert_false (om_opportunity_view_get_show_details (view));
      page = gtk_widget_get_ancestor (GTK_WIDGET (table), GTK_TYPE_SCROLLED_WINDOW);
      assert_shown_within (f, title, page, "the title");
      for (guint row = 0; row < sizes[i].rows; row++)
        {
          GtkWidget *cell = om_plan_table_get_cell (table, row, OM_PLAN_TABLE_ACTIVITY);
          g_autofree char *what = g_strdup_printf ("%dx%d: row %u", sizes[i].width, sizes[i].height, row + 1);

          g_assert_nonnull (cell);
          /* within the page, and within the table's own scrolling */
          assert_shown_within (f, cell, page, what);
          assert_shown_within (f, cell, gtk_widget_get_ancestor (cell, GTK_TYPE_SCROLLED_WINDOW), what);
        }
      g_assert_true (gtk_widget_get_mapped (digest));
      assert_shown_within (f, digest, page, "the key figures");
    }
  g_test_message ("key figures: %s", gtk_label_get_text (GTK_LABEL (digest)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (digest)), client));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (digest)), "0 of 6 won"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (digest)), " · chain 6 % · "));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (digest)), " · closes 1 Apr 2026 · "));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (digest)), " · client’s deadline 20 Jan 2026"));
  gtk_test_accessible_assert_state (toggle, GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);
  g_assert_true (is_labelled (toggle, "Details"));

  /* Alt+Return, a real key, with the focus in the search of the list */
  {
    OmTestWindow keyboard = { .window = f->window };

    if (!om_test_window_take_keyboard (&keyboard, "om-test-plan-in-view"))
      return;
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  settle ();
  g_free (om_test_xdotool ("key", "alt+Return", NULL));
  for (guint i = 0; i < 100 && !om_opportunity_view_get_show_details (view); i++)
    settle ();
  show_details (f, TRUE);
  g_assert_true (om_opportunity_view_get_show_details (view));
  g_assert_false (gtk_widget_get_mapped (digest));
  gtk_test_accessible_assert_state (toggle, GTK_ACCESSIBLE_STATE_EXPANDED, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "show-details"));
  next = om_window_new (NULL, f->repository, NULL);
  g_assert_true (om_opportunity_view_get_show_details (om_window_get_view (next)));
  gtk_window_destroy (GTK_WINDOW (next));

  /* the toggle folds them again, and that is kept too */
  show_details (f, FALSE);
  g_assert_true (gtk_widget_get_mapped (digest));
  gtk_test_accessible_assert_state (toggle, GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "show-details"));
}

/* The window can be made smaller, but not so small that nothing is
 * usable; at its smallest nothing is out of reach */
#define MIN_WIDTH 720
#define MIN_HEIGHT 500

static void
test_minimum_size (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  int min_width, min_height;

  show_window (f, data, 400, 300);
  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, min_width, &min_height, NULL, NULL, NULL);
  g_test_message ("minimum %dx%d, shown at %dx%d", min_width, min_height,
                  gtk_widget_get_width (window), gtk_widget_get_height (window));
  g_assert_cmpint (min_width, >=, MIN_WIDTH);
  g_assert_cmpint (min_height, >=, MIN_HEIGHT);
  g_assert_cmpint (gtk_widget_get_width (window), >=, MIN_WIDTH);
  g_assert_cmpint (gtk_widget_get_height (window), >=, MIN_HEIGHT);
  /* and it still fits the smallest screen we support, the details
   * folded and shown */
  assert_minimum_fits (f, 800, 600);
  assert_nothing_cut_off (f, 800, 600);
  show_details (f, TRUE);
  assert_minimum_fits (f, 800, 600);
  assert_nothing_cut_off (f, 800, 600);
}

static GtkWidget *
find_toggle (GtkWidget  *root,
             const char *icon_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_TOGGLE_BUTTON (child) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (child)), icon_name) == 0)
        return child;
      if ((found = find_toggle (child, icon_name)) != NULL)
        return found;
    }
  return NULL;
}

/* The list of opportunities makes way for the plan, and comes back to
 * search */
static void
test_hide_sidebar (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *view = GTK_WIDGET (om_window_get_view (f->window));
  GtkWidget *toggle = find_toggle (GTK_WIDGET (f->window), "sidebar-show-symbolic");
  GtkWidget *focus;
  int width;

  show_window (f, data, 800, 600);
  g_assert_nonnull (toggle);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  width = gtk_widget_get_width (view);

  /* as F9 does; a button shows itself pressed for a moment first */
  g_assert_true (gtk_widget_activate (toggle));
  for (guint i = 0; i < 200 && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)); i++)
    {
      g_usleep (10000);
      om_test_flush_events ();
    }
  settle ();
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_test_message ("the plan is %d px wide with the list, %d px without", width, gtk_widget_get_width (view));
  g_assert_cmpint (gtk_widget_get_width (view), >=, width + 150);
  assert_nothing_cut_off (f, 800, 600);

  /* Ctrl+F */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  settle ();
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_cmpint (gtk_widget_get_width (view), ==, width);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (GTK_IS_SEARCH_ENTRY (focus) || GTK_IS_SEARCH_ENTRY (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY)));
}


/* The stage's buttons flow onto several rows in a small window; Tab still
 * goes from one enabled button to the next, in both directions */
static void
test_tab_through_buttons (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *editor = om_opportunity_view_get_editor (om_window_get_view (f->window));
  GtkWidget *lose = om_test_find_action_button (editor, "win.stage-lose");
  GtkWidget *earlier = om_test_find_action_button (editor, "win.stage-move-earlier");
  GtkWidget *later = om_test_find_action_button (editor, "win.stage-move-later");
  graphene_rect_t lose_bounds, later_bounds;

  show_window (f, data, 800, 600);
  g_assert_nonnull (lose);
  g_assert_nonnull (later);
  /* the first stage cannot move earlier */
  g_assert_false (gtk_widget_is_sensitive (earlier));
  g_assert_true (gtk_widget_compute_bounds (lose, GTK_WIDGET (f->window), &lose_bounds));
  g_assert_true (gtk_widget_compute_bounds (later, GTK_WIDGET (f->window), &later_bounds));
  g_assert_cmpfloat (later_bounds.origin.y, >, lose_bounds.origin.y);

  g_assert_true (gtk_widget_grab_focus (lose));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == later);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_BACKWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == lose);
}

/* The question that names the stage wraps rather than widening its dialog */
static void
test_lose_dialog (Fixture       *f,
                  gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *dialog = NULL;
  int min_width, min_height;

  show_window (f, data, 800, 600);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stage-lose", NULL));
  settle ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (f->window))
        dialog = GTK_WIDGET (window);
    }
  g_assert_nonnull (dialog);
  gtk_widget_measure (dialog, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (dialog, GTK_ORIENTATION_VERTICAL, min_width, &min_height, NULL, NULL, NULL);
  g_test_message ("the dialog's minimum size is %dx%d", min_width, min_height);
  g_assert_cmpint (min_width, <=, 800);
  g_assert_cmpint (min_height, <=, 600);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A size restored from a larger screen, or the default, never opens the
 * window larger than the screen */
static void
test_opens_within_screen (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (gdk_display_get_monitors (gdk_display_get_default ()), 0);
  GdkRectangle screen;
  OmWindow *window;
  int width, height;

  gdk_monitor_get_geometry (monitor, &screen);
  g_settings_set_int (settings, "window-width", screen.width + 1000);
  g_settings_set_int (settings, "window-height", screen.height + 1000);
  window = om_window_new (NULL, f->repository, NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_test_message ("opens at %dx%d on a %dx%d screen", width, height, screen.width, screen.height);
  g_assert_cmpint (width, <=, screen.width);
  g_assert_cmpint (height, <=, screen.height);

  gtk_window_present (GTK_WINDOW (window));
  settle ();
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, screen.width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, screen.height);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

int
main (int   argc,
      char *argv[])
{
  /* the test backend keeps the accessible properties read back */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, variant, fn) g_test_add (path, Fixture, &variant, fixture_set_up, fn, fixture_tear_down)
  ADD ("/window-size/800x600/long-names", long_names, test_fits_800x600);
  ADD ("/window-size/800x600/long-strings", long_strings, test_fits_800x600);
  ADD ("/window-size/800x600/long-words", long_words, test_fits_800x600);
  ADD ("/window-size/1280x800/long-strings", long_strings, test_fits_1280x800);
  ADD ("/window-size/1280x800/long-words", long_words, test_fits_1280x800);
  ADD ("/window-size/1024x640/long-names", long_names, test_fits_1024x640);
  ADD ("/window-size/1024x640/long-strings", long_strings, test_fits_1024x640);
  ADD ("/window-size/1024x640/long-words", long_words, test_fits_1024x640);
  ADD ("/window-size/1920x1200/long-strings", long_strings, test_fits_1920x1200);
  ADD ("/window-size/fields-reflow", long_names, test_fields_reflow);
  ADD ("/window-size/plan-in-view", long_names, test_plan_in_view);
  ADD ("/window-size/warnings-summary", long_names, test_warnings_summary);
  ADD ("/window-size/minimum-size", long_names, test_minimum_size);
  ADD ("/window-size/800x600/hide-sidebar", long_names, test_hide_sidebar);
  ADD ("/window-size/800x600/lose-dialog", long_words, test_lose_dialog);
  ADD ("/window-size/800x600/tab-through-buttons", long_names, test_tab_through_buttons);
  ADD ("/window-size/opens-within-the-screen", long_names, test_opens_within_screen);
#undef ADD

  return g_test_run ();
}
