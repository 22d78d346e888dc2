/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-agenda-print.h"
#include "om-agenda-view.h"
#include "om-export-file.h"
#include "om-calendar.h"
#include "om-print-operation.h"

/**
 * OmAgendaView:
 *
 * Every pending milestone of the open opportunities that is overdue or
 * due within a window of dates, grouped by salesperson or by
 * opportunity, earliest first in each group (issue 12). A flat list of
 * group headers and milestones in a virtualised GtkListView (GTK 4.8
 * has no list sections). Activating a milestone emits
 * #OmAgendaView::stage-activated; what cannot be read is said through
 * #OmAgendaView::message.
 */

/* One line of the list: a group's header, or a milestone */
#define OM_TYPE_AGENDA_ROW (om_agenda_row_get_type ())
G_DECLARE_FINAL_TYPE (OmAgendaRow, om_agenda_row, OM, AGENDA_ROW, GObject)

struct _OmAgendaRow
{
  GObject       parent_instance;
  OmAgendaItem *item;     /* NULL for a header */
  char         *name;     /* a header's */
  char         *detail;
  guint         count;
};

G_DEFINE_FINAL_TYPE (OmAgendaRow, om_agenda_row, G_TYPE_OBJECT)

static void
om_agenda_row_finalize (GObject *object)
{
  OmAgendaRow *self = OM_AGENDA_ROW (object);

  g_clear_pointer (&self->item, om_agenda_item_free);
  g_free (self->name);
  g_free (self->detail);
  G_OBJECT_CLASS (om_agenda_row_parent_class)->finalize (object);
}

static void
om_agenda_row_class_init (OmAgendaRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = om_agenda_row_finalize;
}

static void
om_agenda_row_init (OmAgendaRow *self)
{
}

struct _OmAgendaView
{
  GtkWidget       parent_instance;

  OmRepository   *repository;
  GPtrArray      *items;          /* (element-type OmAgendaItem): shown */
  GListStore     *rows;
  OmDate          from;           /* as shown; 0: the overdue ones too */
  OmDate          until;
  OmDate          today;
  OmDate          range_from;     /* the chosen range's */
  OmDate          range_until;
  char           *owner;

  GtkWidget      *window_drop;
  GtkWidget      *from_button;
  GtkWidget      *until_button;
  GtkWidget      *from_calendar;
  GtkWidget      *until_calendar;
  GtkWidget      *group_drop;
  GtkWidget      *owner_drop;
  GtkStringList  *owner_names;
  GtkWidget      *summary;
  GtkWidget      *stack;
  GtkWidget      *list;
  GtkWidget      *empty_title;
  GtkWidget      *empty_text;
  gboolean        updating;       /* the filters set from code, not chosen */
};

G_DEFINE_FINAL_TYPE (OmAgendaView, om_agenda_view, GTK_TYPE_WIDGET)

enum
{
  STAGE_ACTIVATED,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Dates */

static OmDate
end_of_window (OmAgendaWindow window,
               OmDate         today)
{
  GDate date;

  switch (window)
    {
    case OM_AGENDA_WINDOW_THIS_WEEK:
      /* today to Sunday */
      g_date_clear (&date, 1);
      g_date_set_julian (&date, today);
      return om_date_add_days (today, G_DATE_SUNDAY - g_date_get_weekday (&date));
    case OM_AGENDA_WINDOW_14_DAYS:
      return om_date_add_days (today, 14);
    case OM_AGENDA_WINDOW_30_DAYS:
      return om_date_add_days (today, 30);
    case OM_AGENDA_WINDOW_RANGE:
    default:
      g_return_val_if_reached (today);
    }
}

static void
set_calendar (GtkWidget *calendar,
              OmDate     date)
{
  g_autoptr(GDateTime) dt = om_date_to_date_time (date);

  gtk_calendar_select_day (GTK_CALENDAR (calendar), dt);
}

static void
label_date_button (GtkWidget *button,
                   gboolean   start,
                   OmDate     date)
{
  g_autofree char *day = om_date_format (date);
  /* Translators: %s is a date, the start or the end of the agenda's range */
  g_autofree char *text = start ? g_strdup_printf (_("From %s"), day) : g_strdup_printf (_("Until %s"), day);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), day);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  om_accessible_set_tooltip (button, text);
}

/* Rows */

static OmAgendaRow *
header_row (const OmAgendaGroup *group)
{
  OmAgendaRow *row = g_object_new (OM_TYPE_AGENDA_ROW, NULL);

  row->name = g_strdup (group->name);
  row->detail = g_strdup (group->detail);
  row->count = group->items->len;
  return row;
}

static OmAgendaRow *
item_row (const OmAgendaItem *item)
{
  OmAgendaRow *row = g_object_new (OM_TYPE_AGENDA_ROW, NULL);

  row->item = om_agenda_item_copy (item);
  return row;
}

static char *
header_text (const OmAgendaRow *row)
{
  g_autofree char *count = g_strdup_printf (ngettext ("%u milestone", "%u milestones", row->count), row->count);

  if (row->detail != NULL)
    /* Translators: an opportunity's title, its client, how many milestones */
    return g_strdup_printf (_("%s — %s · %s"), row->name, row->detail, count);
  /* Translators: a salesperson and how many milestones */
  return g_strdup_printf (_("%s · %s"), row->name, count);
}

/* What a screen reader says of a milestone: everything the row shows */
static char *
item_description (const OmAgendaRow *row,
                  OmDate             today)
{
  const OmAgendaItem *item = row->item;
  g_autofree char *due = om_date_format (item->due);
  g_autofree char *state = om_agenda_item_state (item, today);
  g_autofree char *stage = om_agenda_item_stage (item);

  /* Translators: a milestone of the agenda, as a screen reader says it:
   * date, state, opportunity, stage "N of M", milestone, owners */
  return g_strdup_printf (_("%s, %s: %s, stage %s: %s. Our side: %s. Client side: %s"),
                          due, state, item->title, stage, item->milestone,
                          om_str_is_blank (item->owner) ? _("no one") : item->owner,
                          om_str_is_blank (item->client_owner) ? _("no one") : item->client_owner);
}

static GtkWidget *
wrapping_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* A row's widget: the header's name, or the milestone's date and state,
 * opportunity and stage, milestone, and both sides' owners */
static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          OmAgendaView             *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *when = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *what = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *who = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = wrapping_label ("heading");

  gtk_widget_add_css_class (box, "om-agenda-row");
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_size_request (when, 110, -1);
  gtk_box_append (GTK_BOX (when), wrapping_label ("numeric"));
  gtk_box_append (GTK_BOX (when), wrapping_label ("caption"));
  gtk_widget_set_hexpand (what, TRUE);
  gtk_box_append (GTK_BOX (what), wrapping_label ("heading"));
  gtk_box_append (GTK_BOX (what), wrapping_label (NULL));
  gtk_widget_set_size_request (who, 200, -1);
  gtk_box_append (GTK_BOX (who), wrapping_label (NULL));
  gtk_box_append (GTK_BOX (who), wrapping_label ("dim-label"));
  gtk_widget_set_hexpand (header, TRUE);
  gtk_widget_set_margin_top (header, 8);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), when);
  gtk_box_append (GTK_BOX (box), what);
  gtk_box_append (GTK_BOX (box), who);
  gtk_list_item_set_child (list_item, box);
}

static void
set_label (GtkWidget  *label,
           const char *text)
{
  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         OmAgendaView             *self)
{
  OmAgendaRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *header = gtk_widget_get_first_child (box);
  GtkWidget *when = gtk_widget_get_next_sibling (header);
  GtkWidget *what = gtk_widget_get_next_sibling (when);
  GtkWidget *who = gtk_widget_get_next_sibling (what);
  gboolean is_header = row->item == NULL;

  gtk_widget_set_visible (header, is_header);
  gtk_widget_set_visible (when, !is_header);
  gtk_widget_set_visible (what, !is_header);
  gtk_widget_set_visible (who, !is_header);
  /* a header is no stop for the keys, nor something to open */
  gtk_list_item_set_activatable (list_item, !is_header);
  gtk_list_item_set_selectable (list_item, !is_header);

  if (is_header)
    {
      g_autofree char *text = header_text (row);

      set_label (header, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
    }
  else
    {
      const OmAgendaItem *item = row->item;
      g_autofree char *due = om_date_format (item->due);
      g_autofree char *state = om_agenda_item_state (item, self->today);
      g_autofree char *stage = om_agenda_item_stage (item);
      g_autofree char *stage_line = NULL;
      g_autofree char *ours = NULL;
      g_autofree char *theirs = NULL;
      g_autofree char *description = item_description (row, self->today);
      GtkWidget *state_label = gtk_widget_get_last_child (when);

      /* Translators: the stage "N of M" and its milestone */
      stage_line = g_strdup_printf (_("Stage %s: %s"), stage, item->milestone);
      /* Translators: the salesperson of a stage */
      ours = g_strdup_printf (_("Our side: %s"), om_str_is_blank (item->owner) ? _("no one") : item->owner);
      /* Translators: the client's person for a stage */
      theirs = g_strdup_printf (_("Client side: %s"),
                                om_str_is_blank (item->client_owner) ? _("no one") : item->client_owner);
      set_label (gtk_widget_get_first_child (when), due);
      set_label (state_label, state);
      if (om_agenda_item_is_overdue (item, self->today))
        gtk_widget_add_css_class (state_label, "error");
      else
        gtk_widget_remove_css_class (state_label, "error");
      set_label (gtk_widget_get_first_child (what), item->title);
      set_label (gtk_widget_get_last_child (what), stage_line);
      set_label (gtk_widget_get_first_child (who), ours);
      set_label (gtk_widget_get_last_child (who), theirs);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
    }
}

static void
activate_cb (GtkListView  *list,
             guint         position,
             OmAgendaView *self)
{
  g_autoptr(OmAgendaRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  if (row != NULL && row->item != NULL)
    g_signal_emit (self, signals[STAGE_ACTIVATED], 0, row->item->opportunity_id, row->item->stage);
}

/* Reading */

static OmAgendaWindow
current_window (OmAgendaView *self)
{
  return (OmAgendaWindow) gtk_drop_down_get_selected (GTK_DROP_DOWN (self->window_drop));
}

static gboolean
by_opportunity (OmAgendaView *self)
{
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (self->group_drop)) == 1;
}

static void
show_empty (OmAgendaView *self,
            const char   *title,
            const char   *text)
{
  gtk_label_set_text (GTK_LABEL (self->empty_title), title);
  gtk_label_set_text (GTK_LABEL (self->empty_text), text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
}

/* The owners the filter offers: everyone, then the names the database
 * has, the one chosen kept when it is still there */
static void
reload_owners (OmAgendaView *self)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keep = g_strdup (self->owner);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->owner_names));
  guint selected = 0;

  if (self->repository != NULL)
    names = om_repository_list_names (self->repository, OM_NAME_OWNER, &error);
  if (error != NULL)
    g_signal_emit (self, signals[MESSAGE], 0, error->message);

  self->updating = TRUE;
  gtk_string_list_splice (self->owner_names, 1, n_old - 1, (const char * const *) names);
  for (guint i = 0; names != NULL && keep != NULL && names[i] != NULL; i++)
    if (g_strcmp0 (names[i], keep) == 0)
      selected = i + 1;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->owner_drop), selected);
  g_free (self->owner);
  self->owner = selected > 0 ? g_strdup (names[selected - 1]) : NULL;
  self->updating = FALSE;
}

static void
reload (OmAgendaView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmAgendaQuery) query = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *window = NULL;
  g_autofree char *summary = NULL;
  OmAgendaWindow which = current_window (self);

  self->today = om_date_today ();
  if (which == OM_AGENDA_WINDOW_RANGE)
    {
      self->from = self->range_from;
      self->until = self->range_until;
    }
  else
    {
      self->from = 0;
      self->until = end_of_window (which, self->today);
    }
  gtk_widget_set_visible (self->from_button, which == OM_AGENDA_WINDOW_RANGE);
  gtk_widget_set_visible (self->until_button, which == OM_AGENDA_WINDOW_RANGE);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  if (self->repository != NULL)
    {
      query = om_agenda_query_new (self->owner, self->from, self->until);
      self->items = om_repository_list_agenda (self->repository, query, &error);
    }
  if (self->items == NULL)
    self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) om_agenda_item_free);

  groups = om_agenda_group_items (self->items, by_opportunity (self) ? OM_AGENDA_BY_OPPORTUNITY : OM_AGENDA_BY_OWNER);
  for (guint g = 0; g < groups->len; g++)
    {
      OmAgendaGroup *group = g_ptr_array_index (groups, g);

      g_ptr_array_add (rows, header_row (group));
      for (guint i = 0; i < group->items->len; i++)
        g_ptr_array_add (rows, item_row (g_ptr_array_index (group->items, i)));
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), rows->pdata, rows->len);

  window = om_agenda_describe_window (self->from, self->until);
  summary = g_strdup_printf (ngettext ("%s: %u milestone", "%s: %u milestones", self->items->len),
                             window, self->items->len);
  gtk_label_set_text (GTK_LABEL (self->summary), summary);

  if (error != NULL)
    {
      show_empty (self, _("The Agenda Could Not Be Read"), error->message);
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
    }
  else if (self->items->len == 0)
    {
      g_autofree char *text = NULL;

      if (self->from == 0)
        {
          g_autofree char *end = om_date_format (self->until);

          /* Translators: %s is a date */
          text = g_strdup_printf (_("Nothing is overdue, and nothing is due by %s."), end);
        }
      else
        {
          g_autofree char *start = om_date_format (self->from);
          g_autofree char *end = om_date_format (self->until);

          /* Translators: both are dates */
          text = g_strdup_printf (_("Nothing is due from %s to %s."), start, end);
        }
      show_empty (self, self->owner != NULL ? _("Nothing Due for This Salesperson") : _("Nothing Due"), text);
    }
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

/* Filters */

static void
window_changed_cb (OmAgendaView *self)
{
  if (!self->updating)
    reload (self);
}

static void
owner_changed_cb (OmAgendaView *self)
{
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->owner_drop));

  if (self->updating)
    return;
  g_free (self->owner);
  self->owner = selected == 0 || selected == GTK_INVALID_LIST_POSITION
                  ? NULL
                  : g_strdup (gtk_string_list_get_string (self->owner_names, selected));
  reload (self);
}

static void
set_range (OmAgendaView *self,
           OmDate        from,
           OmDate        until)
{
  /* a range ends no earlier than it starts */
  self->range_from = from;
  self->range_until = MAX (from, until);
  self->updating = TRUE;
  set_calendar (self->from_calendar, self->range_from);
  set_calendar (self->until_calendar, self->range_until);
  self->updating = FALSE;
  label_date_button (self->from_button, TRUE, self->range_from);
  label_date_button (self->until_button, FALSE, self->range_until);
}

static void
day_selected_cb (GtkCalendar  *calendar,
                 OmAgendaView *self)
{
  g_autoptr(GDateTime) dt = NULL;
  OmDate date;
  gboolean is_from = GTK_WIDGET (calendar) == self->from_calendar;

  if (self->updating || om_calendar_is_browsing (calendar))
    return;
  dt = gtk_calendar_get_date (calendar);
  date = om_date_from_date_time (dt);
  if (is_from)
    set_range (self, date, MAX (date, self->range_until));
  else
    set_range (self, MIN (self->range_from, date), date);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (is_from ? self->from_button : self->until_button));
  reload (self);
}

static GtkWidget *
date_button (OmAgendaView  *self,
             GtkWidget    **calendar)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();

  *calendar = gtk_calendar_new ();
  om_calendar_choose_by_click_or_enter (GTK_CALENDAR (*calendar));
  g_signal_connect (*calendar, "day-selected", G_CALLBACK (day_selected_cb), self);
  gtk_popover_set_child (GTK_POPOVER (popover), *calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

/* Exports */

static OmAgendaShown
shown (OmAgendaView *self)
{
  OmAgendaShown shown = {
    self->owner, self->from, self->until, self->today,
    by_opportunity (self) ? OM_AGENDA_BY_OPPORTUNITY : OM_AGENDA_BY_OWNER,
  };

  return shown;
}

static void
export_calendar_cb (OmAgendaView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.export-agenda-calendar", "s",
                              self->owner != NULL ? self->owner : "");
}

static void
print_cb (OmAgendaView *self)
{
  OmAgendaShown what = shown (self);
  g_autoptr(OmPrintOperation) operation = om_print_operation_new_for_agenda (self->items, &what);
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (gtk_print_operation_run (GTK_PRINT_OPERATION (operation), GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_signal_emit (self, signals[MESSAGE], 0, error->message);
}

/**
 * om_agenda_view_write_pdf:
 *
 * Writes the agenda shown (its salesperson, window and grouping) as a
 * PDF file on the locale's paper, as "Export as PDF…" does.
 */
gboolean
om_agenda_view_write_pdf (OmAgendaView  *self,
                          const char    *path,
                          GError       **error)
{
  OmAgendaShown what;
  OmPage page;

  g_return_val_if_fail (OM_IS_AGENDA_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  what = shown (self);
  om_page_init_default (&page);
  return om_agenda_write_pdf (self->items, &what, &page, path, error);
}

/* om_agenda_view_write_pdf() as an OmPathExport */
static gboolean
om_agenda_view_write_pdf_to (const char *path,
                             gpointer    self,
                             GError    **error)
{
  return om_agenda_view_write_pdf (self, path, error);
}

static void
export_pdf_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        OmAgendaView    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *name = g_file_get_basename (file);
      g_autoptr(GError) error = NULL;

      if (!om_export_file_to_gfile (file, om_agenda_view_write_pdf_to, self, &error))
        g_signal_emit (self, signals[MESSAGE], 0, error->message);
      else
        {
          /* Translators: %s is a file name */
          g_autofree char *message = g_strdup_printf (_("The agenda was saved as “%s”."), name);

          g_signal_emit (self, signals[MESSAGE], 0, message);
        }
    }
  g_object_unref (dialog);
}

static void
export_pdf_cb (OmAgendaView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *title = om_agenda_title (self->owner);
  g_autofree char *short_title = om_text_excerpt (title);
  g_autofree char *name = g_strconcat (short_title, ".pdf", NULL);

  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  dialog = gtk_file_chooser_native_new (_("Export Agenda as PDF"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_pdf_response_cb), self, 0);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Building */

static GtkWidget *
drop_down (const char * const *choices,
           const char         *name)
{
  GtkWidget *drop = gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (choices)), NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (drop), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  om_accessible_set_tooltip (drop, name);
  return drop;
}

static GtkWidget *
button (const char *label,
        GCallback   callback,
        gpointer    self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_signal_connect_swapped (button, "clicked", callback, self);
  return button;
}

static void
om_agenda_view_dispose (GObject *object)
{
  OmAgendaView *self = OM_AGENDA_VIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->repository);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->owner, g_free);

  G_OBJECT_CLASS (om_agenda_view_parent_class)->dispose (object);
}

static void
om_agenda_view_class_init (OmAgendaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_agenda_view_dispose;

  /**
   * OmAgendaView::stage-activated:
   * @opportunity_id: the milestone's opportunity
   * @stage: its stage, from 0
   *
   * A milestone was activated (Enter, double click): open it.
   */
  signals[STAGE_ACTIVATED] = g_signal_new ("stage-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_UINT);
  /**
   * OmAgendaView::message:
   * @text: what the window's banner should say
   *
   * The agenda could not be read or written, or was exported.
   */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "agenda");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
om_agenda_view_init (OmAgendaView *self)
{
  const char *windows[] = { N_("This week"), N_("Next 14 days"), N_("Next 30 days"), N_("Chosen range"), NULL };
  const char *groupings[] = { N_("By salesperson"), N_("By opportunity"), NULL };
  const char *everyone[] = { N_("Everyone"), NULL };
  const char *shown_windows[G_N_ELEMENTS (windows)];
  const char *shown_groupings[G_N_ELEMENTS (groupings)];
  const char *shown_everyone[] = { _(everyone[0]), NULL };
  GtkWidget *filters = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *empty = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;
  OmDate today = om_date_today ();

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    shown_windows[i] = windows[i] ? _(windows[i]) : NULL;
  for (guint i = 0; i < G_N_ELEMENTS (groupings); i++)
    shown_groupings[i] = groupings[i] ? _(groupings[i]) : NULL;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Agenda"), -1);

  /* the filters: the window (and its range), the grouping, the salesperson */
  self->window_drop = drop_down (shown_windows, _("Dates"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->window_drop), OM_AGENDA_WINDOW_14_DAYS);
  self->from_button = date_button (self, &self->from_calendar);
  self->until_button = date_button (self, &self->until_calendar);
  self->group_drop = drop_down (shown_groupings, _("Group"));
  self->owner_names = gtk_string_list_new (shown_everyone);
  self->owner_drop = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->owner_names)), NULL);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (self->owner_drop), TRUE);
  {
    /* the drop-down takes a reference of its own */
    g_autoptr(GtkExpression) name = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

    gtk_drop_down_set_expression (GTK_DROP_DOWN (self->owner_drop), name);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->owner_drop), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Salesperson"), -1);
  om_accessible_set_tooltip (self->owner_drop, _("Salesperson: only the stages they conduct"));
  gtk_widget_set_margin_start (filters, 6);
  gtk_widget_set_margin_end (filters, 6);
  gtk_widget_set_margin_top (filters, 6);
  gtk_box_append (GTK_BOX (filters), self->window_drop);
  gtk_box_append (GTK_BOX (filters), self->from_button);
  gtk_box_append (GTK_BOX (filters), self->until_button);
  gtk_box_append (GTK_BOX (filters), self->group_drop);
  gtk_box_append (GTK_BOX (filters), self->owner_drop);
  gtk_widget_set_parent (filters, GTK_WIDGET (self));

  /* what is shown, and what can be done with it */
  self->summary = wrapping_label ("dim-label");
  gtk_widget_set_hexpand (self->summary, TRUE);
  gtk_label_set_yalign (GTK_LABEL (self->summary), 0.5);
  gtk_widget_set_margin_start (actions, 6);
  gtk_widget_set_margin_end (actions, 6);
  gtk_widget_set_margin_top (actions, 6);
  gtk_widget_set_margin_bottom (actions, 6);
  gtk_box_append (GTK_BOX (actions), self->summary);
  gtk_box_append (GTK_BOX (actions), button (_("Export to _Calendar…"), G_CALLBACK (export_calendar_cb), self));
  gtk_box_append (GTK_BOX (actions), button (_("Export as _PDF…"), G_CALLBACK (export_pdf_cb), self));
  gtk_box_append (GTK_BOX (actions), button (_("P_rint…"), G_CALLBACK (print_cb), self));
  gtk_widget_set_parent (actions, GTK_WIDGET (self));

  /* the list, or what says it is empty */
  self->rows = g_list_store_new (OM_TYPE_AGENDA_ROW);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  self->list = gtk_list_view_new (GTK_SELECTION_MODEL (selection), factory);
  gtk_widget_add_css_class (self->list, "rich-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Milestones due"), -1);
  g_signal_connect (self->list, "activate", G_CALLBACK (activate_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list);

  self->empty_title = wrapping_label ("title-2");
  self->empty_text = wrapping_label (NULL);
  gtk_label_set_justify (GTK_LABEL (self->empty_title), GTK_JUSTIFY_CENTER);
  gtk_label_set_justify (GTK_LABEL (self->empty_text), GTK_JUSTIFY_CENTER);
  gtk_label_set_xalign (GTK_LABEL (self->empty_title), 0.5);
  gtk_label_set_xalign (GTK_LABEL (self->empty_text), 0.5);
  gtk_widget_set_valign (empty, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (empty, 24);
  gtk_widget_set_margin_end (empty, 24);
  gtk_box_append (GTK_BOX (empty), self->empty_title);
  gtk_box_append (GTK_BOX (empty), self->empty_text);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "list");
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  set_range (self, today, om_date_add_days (today, 14));
  om_accessible_name_buttons_by_label (GTK_WIDGET (self));
  g_signal_connect_swapped (self->window_drop, "notify::selected", G_CALLBACK (window_changed_cb), self);
  g_signal_connect_swapped (self->group_drop, "notify::selected", G_CALLBACK (window_changed_cb), self);
  g_signal_connect_swapped (self->owner_drop, "notify::selected", G_CALLBACK (owner_changed_cb), self);
  reload (self);
}

GtkWidget *
om_agenda_view_new (void)
{
  return g_object_new (OM_TYPE_AGENDA_VIEW, NULL);
}

/**
 * om_agenda_view_set_repository:
 * @repository: (nullable): where the agenda is read from
 */
void
om_agenda_view_set_repository (OmAgendaView *self,
                               OmRepository *repository)
{
  g_return_if_fail (OM_IS_AGENDA_VIEW (self));
  g_return_if_fail (repository == NULL || OM_IS_REPOSITORY (repository));

  if (!g_set_object (&self->repository, repository))
    return;
  om_agenda_view_refresh (self);
}

/**
 * om_agenda_view_refresh:
 *
 * Reads the agenda and the salespeople again, keeping the filters: the
 * window calls it when the repository changed.
 */
void
om_agenda_view_refresh (OmAgendaView *self)
{
  g_return_if_fail (OM_IS_AGENDA_VIEW (self));

  reload_owners (self);
  reload (self);
}

/**
 * om_agenda_view_get_owner:
 *
 * Returns: (nullable): the salesperson whose stages are shown, %NULL for
 *   everyone's
 */
const char *
om_agenda_view_get_owner (OmAgendaView *self)
{
  g_return_val_if_fail (OM_IS_AGENDA_VIEW (self), NULL);

  return self->owner;
}

/**
 * om_agenda_view_set_owner:
 * @owner: (nullable): one of the salespeople offered, %NULL for everyone
 *
 * Chooses the salesperson as the drop-down does; a name it does not
 * offer chooses everyone.
 */
void
om_agenda_view_set_owner (OmAgendaView *self,
                          const char   *owner)
{
  guint n, selected = 0;

  g_return_if_fail (OM_IS_AGENDA_VIEW (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->owner_names));
  for (guint i = 1; owner != NULL && i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->owner_names, i), owner) == 0)
      selected = i;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->owner_drop), selected);
}

/**
 * om_agenda_view_set_window:
 *
 * Chooses the window of dates as the drop-down does.
 */
void
om_agenda_view_set_window (OmAgendaView   *self,
                           OmAgendaWindow  window)
{
  g_return_if_fail (OM_IS_AGENDA_VIEW (self));
  g_return_if_fail (window <= OM_AGENDA_WINDOW_RANGE);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->window_drop), window);
}

/**
 * om_agenda_view_set_range:
 *
 * Sets the chosen range as its calendars do (an end before the start is
 * the start), and shows it.
 */
void
om_agenda_view_set_range (OmAgendaView *self,
                          OmDate        from,
                          OmDate        until)
{
  g_return_if_fail (OM_IS_AGENDA_VIEW (self));
  g_return_if_fail (om_date_is_valid (from) && om_date_is_valid (until));

  set_range (self, from, until);
  if (current_window (self) == OM_AGENDA_WINDOW_RANGE)
    reload (self);
  else
    om_agenda_view_set_window (self, OM_AGENDA_WINDOW_RANGE);
}

/**
 * om_agenda_view_set_by_opportunity:
 *
 * Groups by opportunity, or by salesperson, as the drop-down does.
 */
void
om_agenda_view_set_by_opportunity (OmAgendaView *self,
                                   gboolean      by_opportunity)
{
  g_return_if_fail (OM_IS_AGENDA_VIEW (self));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->group_drop), by_opportunity ? 1 : 0);
}
