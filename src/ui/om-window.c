/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "om-accessible.h"
#include "om-opportunity-row.h"
#include "om-style.h"
#include "om-template-menu.h"
#include "om-window-private.h"

G_DEFINE_FINAL_TYPE (OmWindow, om_window, GTK_TYPE_APPLICATION_WINDOW)

#define BANNER_SECONDS 8

static void
banner_close_cb (OmWindow *self)
{
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  g_clear_handle_id (&self->banner_timeout, g_source_remove);
  gtk_revealer_set_reveal_child (self->banner, FALSE);
}

static gboolean
banner_timeout_cb (gpointer user_data)
{
  OmWindow *self = user_data;

  self->banner_timeout = 0;
  gtk_revealer_set_reveal_child (self->banner, FALSE);
  return G_SOURCE_REMOVE;
}

/**
 * om_window_show_message:
 *
 * Shows a message in the window for a few seconds: a refused edit's
 * reason, a failed write, an import's outcome.
 */
void
om_window_show_message (OmWindow   *self,
                        const char *message)
{
  gtk_label_set_text (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner, TRUE);
  g_clear_handle_id (&self->banner_timeout, g_source_remove);
  self->banner_timeout = g_timeout_add_seconds (BANNER_SECONDS, banner_timeout_cb, self);
}

const char *
om_window_get_banner_message (OmWindow *self)
{
  if (!gtk_revealer_get_reveal_child (self->banner))
    return NULL;
  return gtk_label_get_text (self->banner_label);
}

/**
 * om_window_get_read_only_message:
 *
 * Returns: (nullable): what the window says about a database opened
 *   read-only, or %NULL when it says nothing
 */
const char *
om_window_get_read_only_message (OmWindow *self)
{
  g_return_val_if_fail (OM_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (self->read_only_bar))
    return NULL;
  return gtk_label_get_text (self->read_only_label);
}

static void
view_refused_cb (OmWindow   *self,
                 const char *message)
{
  om_window_show_message (self, message);
}

/* Sidebar */

/* What the search entry and the status filter ask for: the database
 * answers it (SPEC 8), in the order lists show. */
static OmOpportunityQuery *
current_query (OmWindow *self)
{
  guint status = gtk_drop_down_get_selected (self->status_filter);

  /* 0: all; then open, won, lost in OmOpportunityStatus order */
  return om_opportunity_query_new (status > 0 && status != GTK_INVALID_LIST_POSITION ? (int) status - 1 : -1,
                                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                   OM_ORDER_SHOWN);
}

static void
opportunity_changed_cb (OmWindow *self)
{
  _om_window_update_actions (self);
}

static void
update_page (OmWindow *self)
{
  const OmOpportunityQuery *query = self->list ? om_opportunity_list_get_query (self->list) : NULL;

  if (self->repository == NULL && self->connecting != NULL)
    gtk_stack_set_visible_child_name (self->stack, "connecting");
  else if (self->repository == NULL)
    gtk_stack_set_visible_child_name (self->stack, "error");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0 && query->status < 0 && query->search == NULL)
    gtk_stack_set_visible_child_name (self->stack, "welcome");
  else
    gtk_stack_set_visible_child_name (self->stack, "main");

  /* a search or a filter that finds nothing says so, and what to do */
  if (self->list != NULL)
    {
      gboolean none = g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0;

      if (none)
        {
          g_autofree char *searched = om_text_excerpt (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
          g_autofree char *text = NULL;

          if (query->search != NULL && query->status >= 0)
            text = g_strdup_printf (_("No opportunity with this status matches “%s”."), searched);
          else if (query->search != NULL)
            text = g_strdup_printf (_("No opportunity matches “%s”."), searched);
          else
            text = g_strdup (_("No opportunity has this status."));

          gtk_label_set_text (self->no_match_label, text);
        }
      gtk_widget_set_visible (self->no_match_box, none);
      /* the page beside an empty list does not ask to choose in it */
      gtk_label_set_text (self->none_label, none ? _("Nothing to show: no opportunity is in the list.")
                                                 : _("Choose an opportunity in the list to see its plan."));
      gtk_widget_set_visible (self->list_scroller, !none);
    }
  /* only the plan has a list to hide, and views to switch between is
   * the main page's */
  gtk_widget_set_visible (self->sidebar_button, g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0 &&
                          g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "plan") == 0);
  gtk_widget_set_visible (self->view_switcher, g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0);
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

/* What can be done depends on the opportunity on show only: its
 * changes are followed, not those of every row (a list of 100,000 makes
 * a row only when it is shown). */
static void
watch_shown (OmWindow      *self,
             OmOpportunity *opportunity)
{
  if (self->watched == opportunity)
    return;
  if (self->watched != NULL)
    g_clear_signal_handler (&self->watched_handler, self->watched);
  g_set_object (&self->watched, opportunity);
  if (opportunity != NULL)
    self->watched_handler = g_signal_connect_object (opportunity, "changed", G_CALLBACK (opportunity_changed_cb),
                                                     self, G_CONNECT_SWAPPED);
}

static void show_opportunity (OmWindow      *self,
                              OmOpportunity *opp);

static void
selection_changed_cb (OmWindow *self)
{
  OmOpportunity *opp = gtk_single_selection_get_selected_item (self->selection);

  if (opp == om_opportunity_view_get_opportunity (self->view))
    return;
  /* between the steps of one update of the list, or while the list is
   * asked again: the opportunity on show may come back at another place
   * (list_updated_cb) */
  if (om_opportunity_list_is_updating (self->list) || self->requerying)
    return;
  show_opportunity (self, opp);
}

/* A plan this user may read and not change (a team server's policies):
 * said once above it, and its actions say why they are greyed out */
static void
show_denied (OmWindow      *self,
             OmOpportunity *opp)
{
  g_autoptr(GError) error = NULL;
  const char *whole = om_repository_get_read_only_reason (self->repository);

  g_clear_pointer (&self->denied, g_free);
  if (opp != NULL && whole == NULL &&
      !om_repository_check_writable (self->repository, om_opportunity_get_id (opp), &error))
    self->denied = g_strdup (error->message);
  if (whole != NULL || self->denied != NULL)
    gtk_label_set_text (self->read_only_label, whole != NULL ? whole : self->denied);
  gtk_widget_set_visible (self->read_only_bar, whole != NULL || self->denied != NULL);
}

static void
show_opportunity (OmWindow      *self,
                  OmOpportunity *opp)
{
  g_autoptr(GError) error = NULL;

  /* its stages are read now: one that cannot be read (damaged) is said
   * so, and not shown half */
  if (opp != NULL && !om_opportunity_load (opp, &error))
    {
      om_window_show_message (self, error->message);
      opp = NULL;
    }

  watch_shown (self, opp);
  show_denied (self, opp);
  om_opportunity_view_set_opportunity (self->view, opp);
  gtk_stack_set_visible_child_name (self->content_stack, opp ? "opportunity" : "none");
  if (opp != NULL && self->settings != NULL)
    g_settings_set_int64 (self->settings, "last-opportunity", om_opportunity_get_id (opp));
  _om_window_update_actions (self);
}

static void list_updated_cb (OmWindow *self);

static void
search_changed_cb (OmWindow *self)
{
  g_autoptr(OmOpportunityQuery) query = NULL;

  if (self->list == NULL)
    return;
  query = current_query (self);
  if (om_opportunity_query_equal (query, om_opportunity_list_get_query (self->list)))
    return;

  /* Unselected while the list is asked again: otherwise GtkSingleSelection
   * looks for the selected item among every new row (making each one);
   * the opportunity on show is selected again where it now is */
  self->requerying = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  om_opportunity_list_set_query (self->list, query);
  self->requerying = FALSE;
  list_updated_cb (self);
}

/*
 * After an edit, another writer's change or a new search: the
 * opportunity on show stays selected where it now is, and stays on show
 * (with its editor and the focus in it) as long as it exists.
 */
static void
list_updated_cb (OmWindow *self)
{
  OmOpportunity *shown = om_opportunity_view_get_opportunity (self->view);
  guint position;

  if (self->requerying)
    return;

  if (shown != NULL && gtk_single_selection_get_selected_item (self->selection) != shown)
    {
      position = om_opportunity_list_find (self->list, om_opportunity_get_id (shown));
      if (position != GTK_INVALID_LIST_POSITION)
        {
          g_autoptr(OmOpportunity) there = g_list_model_get_item (G_LIST_MODEL (self->list), position);

          if (there == shown)
            {
              gtk_single_selection_set_selected (self->selection, position);
              /* its row in sight, as when it was chosen */
              gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
              update_page (self);
              return;
            }
        }
    }
  selection_changed_cb (self);
  update_page (self);
}

static void
changed_elsewhere_cb (OmWindow      *self,
                      OmOpportunity *opportunity,
                      const char    *who)
{
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (opportunity != om_opportunity_view_get_opportunity (self->view))
    return;
  title = om_text_excerpt (om_opportunity_get_title (opportunity));
  if (who == NULL)
    message = g_strdup_printf (_("“%s” was changed by someone else: it now shows what they saved."), title);
  else if (*who == '\0')
    message = g_strdup_printf (_("“%s” was changed in another window or on another computer where you are signed "
                                 "in: it now shows what was saved there."), title);
  else
    {
      name = om_text_excerpt (who);
      /* TRANSLATORS: the first %s is another user's login name on the team server */
      message = g_strdup_printf (_("%s changed “%s”: it now shows what they saved."), name, title);
    }
  om_window_show_message (self, message);
}

/* The row of the opportunity on show previews what is typed in its
 * title and client fields: the fields commit when left, and the sidebar
 * must not lag behind the page meanwhile. */
static void
show_draft (OmWindow         *self,
            OmOpportunityRow *row,
            OmOpportunity    *opportunity)
{
  g_autofree char *title = NULL;
  g_autofree char *client = NULL;

  if (opportunity != NULL && opportunity == om_opportunity_view_get_opportunity (self->view))
    om_opportunity_view_get_draft (self->view, &title, &client);
  om_opportunity_row_set_draft (row, title, client);
}

static void
draft_changed_cb (OmWindow *self)
{
  GHashTableIter iter;
  gpointer row, opportunity;

  if (self->rows == NULL)
    return;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, &opportunity))
    show_draft (self, row, opportunity);
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  gtk_list_item_set_child (item, om_opportunity_row_new ());
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             OmWindow                 *self)
{
  OmOpportunityRow *row = OM_OPPORTUNITY_ROW (gtk_list_item_get_child (item));

  om_opportunity_row_set_opportunity (row, gtk_list_item_get_item (item));
  if (self->rows == NULL)
    return;
  g_hash_table_insert (self->rows, row, gtk_list_item_get_item (item));
  show_draft (self, row, gtk_list_item_get_item (item));
}

static void
row_unbind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               OmWindow                 *self)
{
  OmOpportunityRow *row = OM_OPPORTUNITY_ROW (gtk_list_item_get_child (item));

  if (self->rows != NULL)
    g_hash_table_remove (self->rows, row);
  om_opportunity_row_set_opportunity (row, NULL);
}

/**
 * om_window_select_opportunity:
 *
 * Returns: whether an opportunity with @id is in the list and now shown
 */
gboolean
om_window_select_opportunity (OmWindow *self,
                              gint64    id)
{
  guint position = self->list ? om_opportunity_list_find (self->list, id) : GTK_INVALID_LIST_POSITION;

  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

/* No row of the sidebar is shorter than this: two lines of text */
#define ROW_MIN_HEIGHT 40

/* How many of the sidebar's rows the first frame can show: as many as
 * the window is tall, or the tallest screen when it opens maximised */
static guint
first_rows (OmWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  /* asked to open maximised: the window manager may not have done it yet */
  if (gtk_window_is_maximized (GTK_WINDOW (self)) || height <= 0 ||
      (self->settings != NULL && g_settings_get_boolean (self->settings, "window-maximized")))
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));

      height = MAX (height, 800);
      for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
        {
          g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
          GdkRectangle area;

          gdk_monitor_get_geometry (monitor, &area);
          height = MAX (height, area.height);
        }
    }
  return (guint) height / ROW_MIN_HEIGHT + 1;
}

static gboolean
read_rest_cb (gpointer user_data)
{
  OmWindow *self = user_data;

  self->rest_source = 0;
  if (self->list != NULL)
    om_opportunity_list_read_rest (self->list);
  return G_SOURCE_REMOVE;
}

/* The rest of the sidebar's list is read once the window is on screen,
 * when nothing else waits */
static void
first_frame_cb (GdkFrameClock *clock,
                OmWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  if (self->rest_source == 0)
    self->rest_source = g_idle_add_full (G_PRIORITY_LOW, read_rest_cb, self, NULL);
}

static void
window_map_cb (OmWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, window_map_cb, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (first_frame_cb), self, 0);
}

/* Shows the opportunity last on show, as the window opens. Its row may
 * be among those not read yet: it is shown at once all the same, and
 * its row is selected once the rest is read (list_updated_cb). */
static void
show_last (OmWindow *self,
           gint64    last)
{
  guint position = om_opportunity_list_find_read (self->list, last);
  OmOpportunity *opp;

  if (position != GTK_INVALID_LIST_POSITION)
    {
      gtk_single_selection_set_selected (self->selection, position);
      return;
    }
  opp = om_repository_find (self->repository, last);
  if (opp != NULL && om_opportunity_summary_matches (om_opportunity_get_summary (opp),
                                                     om_opportunity_list_get_query (self->list)))
    show_opportunity (self, opp);
}

static void
threshold_changed_cb (OmWindow *self)
{
  if (self->repository != NULL)
    om_repository_set_too_complex_threshold (self->repository,
                                             g_settings_get_uint (self->settings, "too-complex-threshold"));
}

static void
show_repository (OmWindow     *self,
                 OmRepository *repository)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(OmOpportunityQuery) query = NULL;
  GListModel *opportunities;

  self->repository = g_object_ref (repository);
  om_template_menu_bind (self->template_menu, om_repository_get_templates (repository));
  /* other processes' changes show within two seconds: watched from
   * before the list is read, so that none falls in between */
  om_repository_set_watching (repository, TRUE);
  query = current_query (self);
  /* A windowful now, the rest once the window is shown: before its
   * first allocation GtkListView makes a row for every item up to 200,
   * each one read and laid out */
  self->list = om_repository_list_first (repository, query, first_rows (self));
  opportunities = G_LIST_MODEL (self->list);

  /* Said once, up front; each edit is still tried, and refused by the
   * backend through the same path as any other refusal */
  if (om_repository_get_read_only_reason (repository) != NULL)
    {
      gtk_label_set_text (self->read_only_label, om_repository_get_read_only_reason (repository));
      gtk_widget_set_visible (self->read_only_bar, TRUE);
    }

  self->selection = gtk_single_selection_new (g_object_ref (opportunities));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (row_bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (row_unbind_cb), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (opportunities, "items-changed", G_CALLBACK (opportunities_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (opportunities, "updated", G_CALLBACK (list_updated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repository, "changed-elsewhere", G_CALLBACK (changed_elsewhere_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repository, "notify::can-undo", G_CALLBACK (_om_window_update_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repository, "notify::can-redo", G_CALLBACK (_om_window_update_actions),
                           self, G_CONNECT_SWAPPED);
  opportunities_changed_cb (self, 0, 0, g_list_model_get_n_items (opportunities), opportunities);

  if (self->settings != NULL)
    {
      gint64 last = g_settings_get_int64 (self->settings, "last-opportunity");
      om_repository_set_too_complex_threshold (repository, g_settings_get_uint (self->settings, "too-complex-threshold"));
      /* changed in Preferences: the next check uses it */
      g_signal_connect_object (self->settings, "changed::too-complex-threshold", G_CALLBACK (threshold_changed_cb),
                               self, G_CONNECT_SWAPPED);
      if (last != 0)
        show_last (self, last);
    }
  if (om_opportunity_view_get_opportunity (self->view) == NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    first_frame_cb (gtk_widget_get_frame_clock (GTK_WIDGET (self)), self);
  else
    g_signal_connect (self, "map", G_CALLBACK (window_map_cb), NULL);
}

/* A window left open past midnight: what is overdue, and where today
 * is, change with the date. */
static gboolean
day_check_cb (gpointer user_data)
{
  OmWindow *self = user_data;

  if (self->repository == NULL || om_date_today () == self->today)
    return G_SOURCE_CONTINUE;

  self->today = om_date_today ();
  om_repository_refresh_today (self->repository);
  /* the today line moves */
  gtk_widget_queue_draw (GTK_WIDGET (self->view));
  return G_SOURCE_CONTINUE;
}

/* A .json file dropped from a file manager: offer to import it */

static void
import_dropped_response_cb (GtkDialog *dialog,
                            int        response,
                            OmWindow  *self)
{
  GFile *file = g_object_get_data (G_OBJECT (dialog), "om-file");

  if (response == GTK_RESPONSE_ACCEPT)
    _om_window_import_file (self, file);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
file_drop_cb (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              OmWindow      *self)
{
  GSList *files = g_value_get_boxed (value);
  GFile *file = files ? files->data : NULL;
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  if (file == NULL || self->repository == NULL)
    return FALSE;

  name = g_file_get_basename (file);
  if (!g_str_has_suffix (name, ".json"))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not an Opportunity Manager document: only .json files can be imported."), name);
      om_window_show_message (self, message);
      return FALSE;
    }

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Import the opportunities in “%s”?"), name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("Everything in the file is added, or nothing if any of it is refused. "
                                              "Undo removes it again."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Import"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data_full (G_OBJECT (dialog), "om-file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (import_dropped_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static gboolean
present_dialog_cb (gpointer user_data)
{
  g_autoptr(GtkWindow) dialog = user_data;

  gtk_window_present (dialog);
  return G_SOURCE_REMOVE;
}

/* Shown once the window is on screen, so that the dialog is over it even
 * where no window manager stacks transient dialogs */
static void
present_open_error_cb (GtkWidget *widget,
                       gpointer   user_data)
{
  g_signal_handlers_disconnect_by_func (widget, present_open_error_cb, user_data);
  g_timeout_add (300, present_dialog_cb, g_object_ref (user_data));
}

static void
show_open_error (OmWindow     *self,
                 const GError *error)
{
  GtkWidget *dialog;
  /* The store's message says what is wrong and what to do about it
   * (restore a backup only when the file is damaged) */
  g_autofree char *text = g_strdup_printf ("%s\n\n%s", error->message,
                                           _("To use another file, start Opportunity Manager "
                                             "with --database=PATH."));

  gtk_label_set_text (self->error_label, text);
  update_page (self);
  /* given up by the person: the page says so, no dialog insists */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                   "%s", _("The Database Could Not Be Opened"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", text);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  /* over the window, once it is on screen */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    g_timeout_add (300, present_dialog_cb, g_object_ref (dialog));
  else
    g_signal_connect_after (self, "map", G_CALLBACK (present_open_error_cb), dialog);
}

static gboolean
close_request_cb (GtkWindow *window)
{
  OmWindow *self = OM_WINDOW (window);

  if (self->settings != NULL && !gtk_window_is_maximized (window))
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GDK_EVENT_PROPAGATE;
}

/* The views across opportunities (issue 12) */

enum {
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * om_window_get_view_name:
 *
 * Returns: the view shown: "plan", "portfolio" or "agenda"
 */
const char *
om_window_get_view_name (OmWindow *self)
{
  g_return_val_if_fail (OM_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->views);
}

/**
 * om_window_set_view_name:
 *
 * Shows the view named @name ("plan", "portfolio" or "agenda"), as the
 * switcher in the header bar and Ctrl+1, 2, 3 do.
 */
void
om_window_set_view_name (OmWindow   *self,
                         const char *name)
{
  g_return_if_fail (OM_IS_WINDOW (self));

  if (name != NULL && gtk_stack_get_child_by_name (self->views, name) != NULL)
    gtk_stack_set_visible_child_name (self->views, name);
}

/**
 * om_window_get_portfolio:
 *
 * Returns: (transfer none): the portfolio view
 */
GtkWidget *
om_window_get_portfolio (OmWindow *self)
{
  g_return_val_if_fail (OM_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->portfolio);
}

/**
 * om_window_get_agenda:
 *
 * Returns: (transfer none): the agenda view
 */
GtkWidget *
om_window_get_agenda (OmWindow *self)
{
  g_return_val_if_fail (OM_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->agenda);
}

static void
view_shown_cb (OmWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->views);

  /* a view reads the database when it is first shown, not as the window
   * opens, and names what it offers as the database has them now */
  if (g_strcmp0 (name, "portfolio") == 0 && self->repository != NULL)
    {
      om_portfolio_view_set_repository (self->portfolio, self->repository);
      om_portfolio_view_refresh_names (self->portfolio);
    }
  else if (g_strcmp0 (name, "agenda") == 0 && self->repository != NULL)
    {
      om_agenda_view_set_repository (self->agenda, self->repository);
      om_agenda_view_refresh (self->agenda);
    }
  update_page (self);
  _om_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

/* A row of the portfolio opens in the plan; a search that hides it
 * from the list is cleared first */
static void
portfolio_activated_cb (OmWindow *self,
                        gint64    id)
{
  if (!om_window_select_opportunity (self, id))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.clear-search", NULL);
      if (!om_window_select_opportunity (self, id))
        return;
    }
  om_window_set_view_name (self, "plan");
}

/* A milestone of the agenda opens on its stage in the plan */
static void
agenda_activated_cb (OmWindow *self,
                     gint64    id,
                     guint     stage)
{
  portfolio_activated_cb (self, id);
  if (om_opportunity_view_get_opportunity (self->view) != NULL &&
      om_opportunity_get_id (om_opportunity_view_get_opportunity (self->view)) == id)
    om_opportunity_view_select_stage (self->view, (int) stage);
}

static void
om_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  OmWindow *self = OM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, om_window_get_view_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  OmWindow *self = OM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      om_window_set_view_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void connecting_cancel_cb (OmWindow *self);

static void
om_window_dispose (GObject *object)
{
  OmWindow *self = (OmWindow *) object;

  /* what is being typed is committed while the window can still show
   * the change; later, the sidebar it would update is gone */
  if (self->view != NULL)
    om_opportunity_view_set_opportunity (self->view, NULL);
  watch_shown (self, NULL);
  g_clear_handle_id (&self->banner_timeout, g_source_remove);
  g_clear_handle_id (&self->day_timeout, g_source_remove);
  g_clear_handle_id (&self->rest_source, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  if (self->repository != NULL)
    om_repository_set_watching (self->repository, FALSE);
  g_clear_object (&self->repository);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->denied, g_free);

  G_OBJECT_CLASS (om_window_parent_class)->dispose (object);
}

static void
om_window_class_init (OmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = om_window_dispose;
  object_class->get_property = om_window_get_property;
  object_class->set_property = om_window_set_property;
  window_class->close_request = close_request_cb;

  /**
   * OmWindow:view:
   *
   * The view shown: "plan", "portfolio" or "agenda" (the win.view action)
   */
  properties[PROP_VIEW] = g_param_spec_string ("view", NULL, NULL, "plan",
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (OM_TYPE_OPPORTUNITY_VIEW);
  g_type_ensure (OM_TYPE_PORTFOLIO_VIEW);
  g_type_ensure (OM_TYPE_AGENDA_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/OppManager/om-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OmWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, template_menu);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, read_only_bar);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, connecting_label);
  gtk_widget_class_bind_template_callback (widget_class, connecting_cancel_cb);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, status_filter);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, no_match_box);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, no_match_label);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, none_label);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, view);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, views);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, portfolio);
  gtk_widget_class_bind_template_callback (widget_class, portfolio_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, OmWindow, agenda);
  gtk_widget_class_bind_template_callback (widget_class, agenda_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, banner_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_refused_cb);

  _om_window_class_init_actions (widget_class);
}

/* A window larger than the screen cannot show its far side, and not every
 * window manager makes it smaller: open no larger than the smallest screen
 * (which screen it opens on is not known yet) */
static void
fit_default_size (OmWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      GdkRectangle area;

      gdk_monitor_get_geometry (monitor, &area);
      width = MIN (width, area.width);
      height = MIN (height, area.height);
    }
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

static gboolean
schema_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  return schema != NULL;
}

/* Ctrl+Z (Ctrl+Shift+Z) in a text field: first the field's own typing,
 * then, once the field has nothing left to undo (redo), the window's
 * history. GtkText and GtkTextView keep these keys for themselves even
 * when they have nothing to undo, so they are asked here first. */
static gboolean
step_history_from_field (OmWindow *self,
                         gboolean  undo)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (GTK_IS_TEXT_VIEW (focus))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus));

      if (undo && gtk_text_buffer_get_can_undo (buffer))
        gtk_text_buffer_undo (buffer);
      else if (!undo && gtk_text_buffer_get_can_redo (buffer))
        gtk_text_buffer_redo (buffer);
      else
        gtk_widget_activate_action (GTK_WIDGET (self), undo ? "win.undo" : "win.redo", NULL);
      return GDK_EVENT_STOP;
    }

  if (GTK_IS_TEXT (focus))
    {
      g_autofree char *before = g_strdup (gtk_editable_get_text (GTK_EDITABLE (focus)));

      /* GTK 4.8 cannot tell whether a GtkText can undo: every step it
       * keeps changes the text, so an unchanged text means it had none */
      gtk_widget_activate_action (focus, undo ? "text.undo" : "text.redo", NULL);
      if (g_strcmp0 (before, gtk_editable_get_text (GTK_EDITABLE (focus))) == 0)
        gtk_widget_activate_action (GTK_WIDGET (self), undo ? "win.undo" : "win.redo", NULL);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

/* Keys the window sees before the focused widget: undo and redo in a
 * text field. (Escape, which cancels a row's drag wherever the keyboard
 * focus is, is the plan table's own, on the window while a drag lasts.) */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                OmWindow              *self)
{
  GdkModifierType mods = state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK | GDK_SUPER_MASK);

  if (gdk_keyval_to_lower (keyval) == GDK_KEY_z && mods == GDK_CONTROL_MASK)
    return step_history_from_field (self, TRUE);
  if (gdk_keyval_to_lower (keyval) == GDK_KEY_z && mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK))
    return step_history_from_field (self, FALSE);
  /* Escape during a drag of a row: the table listens for it itself */
  return GDK_EVENT_PROPAGATE;
}

/* Benchmark hook: build-aux/bench times the window to its first frame
 * and to the first frame that shows a stage by reading these debug
 * lines (G_MESSAGES_DEBUG=om-bench), instead of sleeping. Nothing is
 * connected unless that domain's debug messages are shown. */
#define BENCH_DOMAIN "om-bench"

/* a stage's row of the plan table on screen */
static gboolean
shows_stage (GtkWidget *window)
{
  OmOpportunityView *view = OM_WINDOW (window)->view;

  return gtk_widget_get_mapped (GTK_WIDGET (view)) &&
         om_plan_table_shows_stage (om_opportunity_view_get_table (view));
}

static void
bench_first_frame_cb (GdkFrameClock *clock,
                      GtkWidget     *window)
{
  g_signal_handlers_disconnect_by_func (clock, bench_first_frame_cb, window);
  g_log (BENCH_DOMAIN, G_LOG_LEVEL_DEBUG, "first frame");
}

static void
bench_first_stage_cb (GdkFrameClock *clock,
                      GtkWidget     *window)
{
  if (!shows_stage (window))
    return;
  g_signal_handlers_disconnect_by_func (clock, bench_first_stage_cb, window);
  g_log (BENCH_DOMAIN, G_LOG_LEVEL_DEBUG, "first stage");
}

static void
bench_realize_cb (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (bench_first_frame_cb), window, 0);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (bench_first_stage_cb), window, 0);
}

static void
om_window_init (OmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  om_accessible_name_buttons_by_label (GTK_WIDGET (self));
  om_style_init_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

  if (schema_installed ())
    {
      self->settings = g_settings_new (APP_ID);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_settings_bind (self->settings, "show-details", self->view, "show-details", G_SETTINGS_BIND_DEFAULT);
    }
  fit_default_size (self);

  g_signal_connect_object (self->views, "notify::visible-child-name", G_CALLBACK (view_shown_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->status_filter, "notify::selected", G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "notify::selected", G_CALLBACK (_om_window_update_actions), self, G_CONNECT_SWAPPED);
  self->rows = g_hash_table_new (NULL, NULL);
  g_signal_connect_object (self->view, "draft-changed", G_CALLBACK (draft_changed_cb), self, G_CONNECT_SWAPPED);
  self->today = om_date_today ();
  self->day_timeout = g_timeout_add_seconds (60, day_check_cb, self);

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  {
    GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
    g_signal_connect (target, "drop", G_CALLBACK (file_drop_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  }
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, BENCH_DOMAIN))
    g_signal_connect (self, "realize", G_CALLBACK (bench_realize_cb), NULL);
}

/**
 * om_window_new:
 * @repository: (nullable): the opportunities, or %NULL when the
 *   database could not be opened
 * @open_error: (nullable): why it could not
 */
OmWindow *
om_window_new (GtkApplication *application,
               OmRepository   *repository,
               const GError   *open_error)
{
  OmWindow *self = g_object_new (OM_TYPE_WINDOW, "application", application, NULL);

  if (repository != NULL)
    show_repository (self, repository);
  else if (open_error != NULL)
    show_open_error (self, open_error);
  update_page (self);
  _om_window_update_actions (self);
  return self;
}

/**
 * om_window_show_connecting:
 * @shown: the server, as it may be shown (without a password)
 * @cancellable: what Cancel cancels
 *
 * Says that the window waits for @shown; om_window_set_repository() or
 * om_window_show_error() ends the wait.
 */
void
om_window_show_connecting (OmWindow     *self,
                           const char   *shown,
                           GCancellable *cancellable)
{
  g_autofree char *where = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (OM_IS_WINDOW (self));

  where = om_text_excerpt (shown);
  text = g_strdup_printf (_("Connecting to “%s”…"), where);
  gtk_label_set_text (self->connecting_label, text);
  g_set_object (&self->connecting, cancellable);
  gtk_spinner_start (self->connecting_spinner);
  update_page (self);
  _om_window_update_actions (self);
}

static void
stop_connecting (OmWindow *self)
{
  g_clear_object (&self->connecting);
  gtk_spinner_stop (self->connecting_spinner);
}

static void
connecting_cancel_cb (OmWindow *self)
{
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
}

/**
 * om_window_set_repository:
 *
 * Shows @repository, once the window has waited for it.
 */
void
om_window_set_repository (OmWindow     *self,
                          OmRepository *repository)
{
  g_return_if_fail (OM_IS_WINDOW (self));
  g_return_if_fail (self->repository == NULL);

  stop_connecting (self);
  show_repository (self, repository);
  update_page (self);
  _om_window_update_actions (self);
}

/**
 * om_window_show_error:
 *
 * Says why no database could be opened (nor the server reached).
 */
void
om_window_show_error (OmWindow     *self,
                      const GError *error)
{
  g_return_if_fail (OM_IS_WINDOW (self));

  stop_connecting (self);
  show_open_error (self, error);
  update_page (self);
  _om_window_update_actions (self);
}

OmOpportunityView *
om_window_get_view (OmWindow *self)
{
  return self->view;
}
