/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "om-agenda-print.h"
#include "om-test-support.h"

/*
 * The agenda's pages (issue 12): a fixed agenda with long names written
 * as PDF and read back with pdftotext: every name in full, nothing cut
 * with an ellipsis, the table's header and "Page N of M" on every page,
 * no row split between pages; its groups, by salesperson and by
 * opportunity, in order; and the words for the state and the window.
 */

#define TODAY "2026-03-10"

static OmAgendaItem *
item_new (gint64      id,
          const char *title,
          guint       stage,
          const char *due,
          gboolean    agreed,
          const char *owner,
          const char *client_owner,
          const char *milestone)
{
  OmAgendaItem *item = g_new0 (OmAgendaItem, 1);

  item->opportunity_id = id;
  item->title = g_strdup (title);
  item->client = g_strdup_printf ("Client of %s", title);
  item->stage = stage;
  item->n_stages = 6;
  item->due = om_test_date (due);
  item->agreed = agreed;
  item->owner = g_strdup (owner);
  item->client_owner = g_strdup (client_owner);
  item->activity = g_strdup ("Meeting");
  item->milestone = g_strdup (milestone);
  return item;
}

static GPtrArray *
long_agenda (guint n)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_item_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Opportunity%03u for the Northern Regional Transport "
                                                "Authority's fleet renewal programme", i);
      g_autofree char *owner = g_strdup_printf ("Salesperson%u Maximiliana Bartholomew Featherstonehaugh", i % 3);
      g_autofree char *client_owner = g_strdup_printf ("Clientowner%03u Konstantinos Papadopoulos Wetherington", i);
      g_autofree char *milestone = g_strdup_printf ("Milestone%03u the procurement board signs the "
                                                    "framework agreement and its annexes", i);
      g_autofree char *due = om_date_to_iso (om_test_date (TODAY) + (int) i - 5);

      g_ptr_array_add (items, item_new (100 + i, title, i % 6, due, i % 4 == 0, owner, client_owner, milestone));
    }
  return items;
}

/* pdftotext's text, white space collapsed: a wrapped name reads whole */
static char *
flat_text (const char *pdf,
           guint       page)
{
  g_autofree char *text = om_test_pdf_text (pdf, page);
  g_auto(GStrv) words = g_strsplit_set (text, " \n\t\f", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", words[i]);
  return g_string_free (out, FALSE);
}

/* Whether @text holds @name's words in order, starting with its first
 * and within a few lines of it: pdftotext may read two table cells
 * side by side line by line, but a name cut short lacks its last words */
static gboolean
has_name (const char *text,
          const char *name)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_auto(GStrv) wanted = g_strsplit (name, " ", -1);
  guint n_wanted = g_strv_length (wanted);

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint w = 0;

      if (strcmp (words[i], wanted[0]) != 0)
        continue;
      for (guint j = i; words[j] != NULL && j < i + 4 * n_wanted && w < n_wanted; j++)
        if (strcmp (words[j], wanted[w]) == 0)
          w++;
      if (w == n_wanted)
        return TRUE;
    }
  return FALSE;
}

static GStrv
page_texts (const char *pdf,
            guint       n_pages)
{
  GStrv texts = g_new0 (char *, n_pages + 1);

  for (guint p = 0; p < n_pages; p++)
    texts[p] = flat_text (pdf, p + 1);
  return texts;
}

static void
assert_once_in_pdf (GStrv       texts,
                    const char *name)
{
  guint found = 0;

  for (guint p = 0; texts[p] != NULL; p++)
    if (has_name (texts[p], name))
      found++;
  if (found != 1)
    g_error ("“%s” is on %u pages, not on one", name, found);
}

static void
test_pdf_long_names (void)
{
  g_autoptr(GPtrArray) items = long_agenda (40);
  g_autofree char *dir = om_test_make_dir ("agenda-print");
  g_autofree char *pdf = g_build_filename (dir, "agenda.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  g_autofree char *all = NULL;
  g_auto(GStrv) texts = NULL;
  OmAgendaShown shown = { NULL, 0, om_test_date ("2026-03-24"), om_test_date (TODAY), OM_AGENDA_BY_OWNER };
  OmPage page = { 595.28, 841.89, 20, 20, 20, 20 };
  guint n_pages;

  om_date_set_today (om_test_date (TODAY));
  g_assert_true (om_agenda_write_pdf (items, &shown, &page, pdf, &error));
  g_assert_no_error (error);

  n_pages = om_test_pdf_n_pages (pdf, &info);
  g_assert_cmpuint (n_pages, >=, 3);
  g_assert_nonnull (strstr (info, "Page size:       595.28 x 841.89 pts"));
  g_assert_nonnull (strstr (info, "Title:           Agenda of everyone"));

  all = om_test_pdf_text (pdf, 0);
  g_assert_null (strstr (all, "…"));
  g_assert_null (strstr (all, "..."));

  for (guint p = 1; p <= n_pages; p++)
    {
      g_autofree char *text = flat_text (pdf, p);
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", p, n_pages);

      g_assert_nonnull (strstr (text, footer));
      /* the table's header and the page's, on every page */
      g_assert_nonnull (strstr (text, "Our side"));
      g_assert_nonnull (strstr (text, "Client side"));
      g_assert_nonnull (strstr (text, "Agenda of everyone"));
      g_assert_nonnull (strstr (text, "Overdue, and due by 24 Mar 2026"));
    }

  /* every name whole, and each row on one page only: never split */
  texts = page_texts (pdf, n_pages);
  for (guint i = 0; i < 40; i++)
    {
      const OmAgendaItem *item = g_ptr_array_index (items, i);

      assert_once_in_pdf (texts, item->title);
      assert_once_in_pdf (texts, item->milestone);
      assert_once_in_pdf (texts, item->client_owner);
    }
  /* the salespeople, as groups with their count; a group going on over
   * a page is named again there */
  {
    g_autofree char *first = flat_text (pdf, 1);
    g_autofree char *second = flat_text (pdf, 2);

    g_assert_nonnull (strstr (first, "Salesperson0 Maximiliana Bartholomew Featherstonehaugh · 14 milestones"));
    g_assert_true (has_name (first, "Salesperson0 Maximiliana Bartholomew Featherstonehaugh"));
    g_assert_nonnull (strstr (first, "40 milestones"));
    g_assert_nonnull (strstr (first, "Printed on 10 Mar 2026"));
    g_assert_nonnull (strstr (second, "(continued)"));
  }
}

/* Landscape as well as portrait, grouped by opportunity: the page's
 * size is the one asked for, each page has its footer, every title is
 * there whole on one page */
static void
test_pdf_landscape_and_letter (void)
{
  g_autoptr(GPtrArray) items = long_agenda (40);
  g_autofree char *dir = om_test_make_dir ("agenda-paper");
  g_autofree char *a4 = g_build_filename (dir, "a4.pdf", NULL);
  g_autofree char *landscape = g_build_filename (dir, "landscape.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  g_auto(GStrv) texts = NULL;
  OmAgendaShown shown = { "Alice", 0, om_test_date ("2026-03-24"), om_test_date (TODAY), OM_AGENDA_BY_OPPORTUNITY };
  OmPage portrait = { 595.28, 841.89, 42, 42, 42, 42 };
  OmPage wide = { 841.89, 595.28, 42, 42, 42, 42 };
  guint n_portrait, n_wide;

  g_assert_true (om_agenda_write_pdf (items, &shown, &portrait, a4, &error));
  g_assert_no_error (error);
  g_assert_true (om_agenda_write_pdf (items, &shown, &wide, landscape, &error));
  g_assert_no_error (error);
  n_portrait = om_test_pdf_n_pages (a4, NULL);
  n_wide = om_test_pdf_n_pages (landscape, &info);
  g_assert_nonnull (strstr (info, "Page size:       841.89 x 595.28 pts"));
  g_assert_nonnull (strstr (info, "Title:           Agenda of Alice"));
  g_assert_cmpuint (n_wide, >=, 2);
  for (guint p = 1; p <= n_wide; p++)
    {
      g_autofree char *text = flat_text (landscape, p);
      g_autofree char *footer = g_strdup_printf ("Page %u of %u", p, n_wide);

      g_assert_nonnull (strstr (text, footer));
    }
  g_assert_cmpuint (n_portrait, >=, 2);
  texts = page_texts (landscape, n_wide);
  for (guint i = 0; i < 40; i++)
    assert_once_in_pdf (texts, ((OmAgendaItem *) g_ptr_array_index (items, i))->title);
}

/* Nothing due: the page says so */
static void
test_pdf_empty (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_item_free);
  g_autofree char *dir = om_test_make_dir ("agenda-empty");
  g_autofree char *pdf = g_build_filename (dir, "empty.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  OmAgendaShown shown = { "Bob", om_test_date ("2026-04-01"), om_test_date ("2026-04-30"),
                          om_test_date (TODAY), OM_AGENDA_BY_OWNER };
  OmPage page = { 612, 792, 42, 42, 42, 42 };

  g_assert_true (om_agenda_write_pdf (items, &shown, &page, pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (om_test_pdf_n_pages (pdf, NULL), ==, 1);
  text = flat_text (pdf, 1);
  g_assert_nonnull (strstr (text, "Agenda of Bob"));
  g_assert_nonnull (strstr (text, "Due from 1 Apr 2026 to 30 Apr 2026"));
  g_assert_nonnull (strstr (text, "Nothing is due in this window."));
  g_assert_nonnull (strstr (text, "Page 1 of 1"));
  g_assert_null (strstr (text, "Our side"));
}

/* A file that cannot be written: refused, nothing left behind */
static void
test_pdf_refused (void)
{
  g_autoptr(GPtrArray) items = long_agenda (3);
  g_autoptr(GError) error = NULL;
  OmAgendaShown shown = { NULL, 0, om_test_date ("2026-03-24"), om_test_date (TODAY), OM_AGENDA_BY_OWNER };
  OmPage page = { 612, 792, 42, 42, 42, 42 };

  g_assert_false (om_agenda_write_pdf (items, &shown, &page, "/nonexistent-folder/agenda.pdf", &error));
  g_assert_nonnull (error);
}

static const char *
group_names (GPtrArray *groups)
{
  static char buf[512];
  GString *s = g_string_new (NULL);

  for (guint g = 0; g < groups->len; g++)
    {
      OmAgendaGroup *group = g_ptr_array_index (groups, g);

      g_string_append_printf (s, "%s%s:", g > 0 ? " | " : "", group->name);
      for (guint i = 0; i < group->items->len; i++)
        {
          OmAgendaItem *item = g_ptr_array_index (group->items, i);

          g_string_append_printf (s, " %" G_GINT64_FORMAT ".%u", item->opportunity_id, item->stage + 1);
        }
    }
  g_strlcpy (buf, s->str, sizeof buf);
  g_string_free (s, TRUE);
  return buf;
}

/* By salesperson: names as the model compares them (case folded), in
 * alphabetical order, nobody's last; by opportunity: by title, then id;
 * earliest first within each */
static void
test_groups (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_item_free);
  g_autoptr(GPtrArray) by_owner = NULL;
  g_autoptr(GPtrArray) by_opportunity = NULL;

  g_ptr_array_add (items, item_new (1, "Zeta", 0, "2026-03-01", FALSE, "bob", "X", "M"));
  g_ptr_array_add (items, item_new (2, "Alpha", 2, "2026-03-05", TRUE, "Alice", "X", "M"));
  g_ptr_array_add (items, item_new (3, "Alpha", 1, "2026-03-06", FALSE, NULL, "X", "M"));
  g_ptr_array_add (items, item_new (1, "Zeta", 1, "2026-03-08", FALSE, "Bob", "X", "M"));
  g_ptr_array_add (items, item_new (2, "Alpha", 3, "2026-03-12", FALSE, "  ", "X", "M"));
  g_ptr_array_add (items, item_new (1, "Zeta", 2, "2026-03-20", FALSE, "Alice", "X", "M"));

  by_owner = om_agenda_group_items (items, OM_AGENDA_BY_OWNER);
  g_assert_cmpstr (group_names (by_owner), ==, "Alice: 2.3 1.3 | bob: 1.1 1.2 | No salesperson: 3.2 2.4");
  by_opportunity = om_agenda_group_items (items, OM_AGENDA_BY_OPPORTUNITY);
  g_assert_cmpstr (group_names (by_opportunity), ==, "Alpha: 2.3 2.4 | Alpha: 3.2 | Zeta: 1.1 1.2 1.3");
  g_assert_cmpstr (((OmAgendaGroup *) g_ptr_array_index (by_opportunity, 0))->detail, ==, "Client of Alpha");
}

/* The words: the model's overdue, the agreed date, "N of M", the window */
static void
test_words (void)
{
  g_autoptr(OmAgendaItem) late = item_new (1, "T", 2, "2026-03-09", FALSE, "A", "B", "M");
  g_autoptr(OmAgendaItem) today = item_new (1, "T", 3, TODAY, TRUE, "A", "B", "M");
  g_autofree char *s1 = om_agenda_item_state (late, om_test_date (TODAY));
  g_autofree char *s2 = om_agenda_item_state (today, om_test_date (TODAY));
  g_autofree char *stage = om_agenda_item_stage (late);
  g_autofree char *w1 = om_agenda_describe_window (0, om_test_date ("2026-03-15"));
  g_autofree char *w2 = om_agenda_describe_window (om_test_date ("2026-04-01"), om_test_date ("2026-04-30"));
  g_autofree char *t1 = om_agenda_title (NULL);
  g_autofree char *t2 = om_agenda_title ("Alice");

  g_assert_cmpstr (s1, ==, "Overdue");
  g_assert_cmpstr (s2, ==, "Due, agreed");
  g_assert_cmpstr (stage, ==, "3 of 6");
  g_assert_cmpstr (w1, ==, "Overdue, and due by 15 Mar 2026");
  g_assert_cmpstr (w2, ==, "Due from 1 Apr 2026 to 30 Apr 2026");
  g_assert_cmpstr (t1, ==, "Agenda of everyone");
  g_assert_cmpstr (t2, ==, "Agenda of Alice");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/agenda-print/groups", test_groups);
  g_test_add_func ("/agenda-print/words", test_words);
  g_test_add_func ("/agenda-print/pdf/long-names", test_pdf_long_names);
  g_test_add_func ("/agenda-print/pdf/paper", test_pdf_landscape_and_letter);
  g_test_add_func ("/agenda-print/pdf/empty", test_pdf_empty);
  g_test_add_func ("/agenda-print/pdf/refused", test_pdf_refused);

  return g_test_run ();
}
