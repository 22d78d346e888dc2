/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-calendar-file.h"
#include "om-csv-file.h"
#include "om-export-file.h"
#include "om-json.h"
#include "om-preferences.h"
#include "om-print-operation.h"
#include "om-save-template-dialog.h"
#include "om-summary.h"
#include "om-stage-editor.h"
#include "om-template-manager.h"
#include "om-window-private.h"

/*
 * The window's actions. Each asks the model whether it may run (the
 * can_ dry runs), so a refused action is insensitive and its tooltip
 * gives the model's reason; when run, it calls the same model operation
 * and shows any failure in the window.
 */

static OmOpportunity *
current_opportunity (OmWindow *self)
{
  return om_opportunity_view_get_opportunity (self->view);
}

static int
selected_stage (OmWindow *self)
{
  return om_opportunity_view_get_selected (self->view);
}

/* Called first by every stage action: a shortcut pressed while a field
 * of the stage editor has the focus must not lose what was typed. */
static void
begin_stage_action (OmWindow *self)
{
  om_stage_editor_commit_pending (OM_STAGE_EDITOR (om_opportunity_view_get_editor (self->view)));
}

static void
report (OmWindow     *self,
        const GError *error)
{
  om_window_show_message (self, error->message);
}

/* Creating */

static void
create_from (OmWindow             *self,
             const OmTemplateData *template)
{
  g_autoptr(OmOpportunityData) data = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;
  gint64 id;
  OmDate today = om_date_today ();

  if (self->repository == NULL)
    return;

  if (template != NULL)
    data = om_template_data_instantiate (template, _("New Opportunity"), _("New client"), today);
  else
    data = om_opportunity_data_new (_("New Opportunity"), _("New client"), today);
  if (self->settings != NULL)
    {
      g_autofree char *currency = g_settings_get_string (self->settings, "default-currency");

      /* Preferences keeps only valid codes; one set with dconf may not be */
      if (om_currency_is_valid (currency))
        {
          g_free (data->currency);
          data->currency = g_steal_pointer (&currency);
        }
    }

  opp = om_repository_create_opportunity (self->repository, data, &error);
  if (opp == NULL)
    {
      report (self, error);
      return;
    }
  id = om_opportunity_get_id (opp);

  gtk_drop_down_set_selected (self->status_filter, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  om_window_select_opportunity (self, id);
  /* its client, value and dates are to be filled in */
  om_opportunity_view_set_show_details (self->view, TRUE);
  om_opportunity_view_focus_title (self->view);
}

static void
new_opportunity_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  g_autoptr(OmTemplate) recommended = NULL;

  if (self->repository == NULL)
    return;
  /* the built-in recommended process is always the first template */
  recommended = g_list_model_get_item (om_repository_get_templates (self->repository), 0);
  create_from (self, om_template_get_data (recommended));
}

static void
new_empty_opportunity_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  create_from (OM_WINDOW (widget), NULL);
}

/* New > From Template: the item's template by id (0: the built-in
 * one), which may have gone since the menu was opened */
static void
new_from_template_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  OmTemplate *template;

  if (self->repository == NULL)
    return;
  template = om_repository_find_template (self->repository, g_variant_get_int64 (parameter));
  if (template == NULL)
    {
      om_window_show_message (self, _("This template has been removed meanwhile."));
      return;
    }
  create_from (self, om_template_get_data (template));
}

static void
save_as_template_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  OmOpportunity *opp = current_opportunity (self);

  if (self->repository == NULL || opp == NULL)
    return;
  /* what is being typed in the stage editor belongs to the plan saved */
  begin_stage_action (self);
  gtk_window_present (GTK_WINDOW (om_save_template_dialog_new (GTK_WINDOW (self), self->repository, opp)));
}

static void
templates_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);

  if (self->repository == NULL)
    return;
  gtk_window_present (GTK_WINDOW (om_template_manager_new (GTK_WINDOW (self), self->repository)));
}

static void
remove_opportunity_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  OmOpportunity *opp = current_opportunity (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *title = NULL;

  if (opp == NULL)
    return;
  title = om_text_excerpt (om_opportunity_get_title (opp));
  message = g_strdup_printf (_("“%s” was removed. Undo (Ctrl+Z) brings it back."), title);
  if (!om_repository_remove_opportunity (self->repository, opp, &error))
    report (self, error);
  else
    om_window_show_message (self, message);
}

/* Sample */

/* The sample is written as of 2026-03-02; its dates move with today so
 * that it always shows won, current, pending and overdue stages. */
#define SAMPLE_AS_OF "2026-03-02"

static void
shift_dates (OmOpportunityData *data,
             gint64             days)
{
  data->start_date = (OmDate) (data->start_date + days);
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);
      if (stage->decided_on != 0)
        om_opportunity_data_get_writable_stage (data, i)->decided_on = (OmDate) (stage->decided_on + days);
    }
  for (guint i = 0; i < data->history->len; i++)
    {
      OmHistoryEntry *h = om_opportunity_data_get_writable_entry (data, i);
      h->on = (OmDate) (h->on + days);
    }
}

static void
open_sample_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GArray) created = NULL;
  g_autoptr(GError) error = NULL;
  OmDate as_of = 0;

  bytes = g_resources_lookup_data ("/com/example/OppManager/sample.json", G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL ||
      !om_json_parse (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                      &opportunities, &templates, &error))
    {
      report (self, error);
      return;
    }

  om_date_parse (SAMPLE_AS_OF, &as_of);
  for (guint i = 0; i < opportunities->len; i++)
    shift_dates (g_ptr_array_index (opportunities, i), (gint64) om_date_today () - (gint64) as_of);

  created = om_repository_import (self->repository, opportunities, templates, &error);
  if (created == NULL)
    {
      report (self, error);
      return;
    }
  if (created->len > 0)
    {
      gtk_drop_down_set_selected (self->status_filter, 0);
      om_window_select_opportunity (self, g_array_index (created, gint64, 0));
    }
}

/* Import and export */

/**
 * _om_window_import_file:
 *
 * Imports a document, all or nothing, and says what happened.
 */
void
_om_window_import_file (OmWindow *self,
                        GFile    *file)
{
  g_autoptr(GArray) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  created = om_json_import_gfile (self->repository, file, &error);
  if (created == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      message = g_strdup_printf (_("Nothing was imported from “%s”: %s"), name, error->message);
      om_window_show_message (self, message);
      return;
    }

  message = g_strdup_printf (g_dngettext (NULL, "%u opportunity imported.", "%u opportunities imported.",
                                          created->len), created->len);
  om_window_show_message (self, message);
  if (created->len > 0)
    {
      gtk_drop_down_set_selected (self->status_filter, 0);
      om_window_select_opportunity (self, g_array_index (created, gint64, 0));
    }
}

static void
offer_response_cb (GtkDialog *dialog,
                   int        response,
                   OmWindow  *self)
{
  GFile *file = g_object_get_data (G_OBJECT (dialog), "file");

  if (response == GTK_RESPONSE_ACCEPT)
    _om_window_import_file (self, file);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/**
 * om_window_offer_import:
 * @file: a document given to the application (from a file manager, or
 *   on the command line)
 *
 * Asks whether to import @file into the window's database (SPEC 7),
 * and does it, through the same path as the Import menu item.
 *
 * Returns: (transfer none): the question, a dialog of the window
 */
GtkWidget *
om_window_offer_import (OmWindow *self,
                        GFile    *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *shown = om_text_excerpt (name);
  GtkWidget *dialog;
  GtkWidget *import;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Import the opportunities of “%s”?"), shown);
  gtk_window_set_title (GTK_WINDOW (dialog), _("Import"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("They are added to this database, beside the ones "
                                              "already here. Undo takes them out again."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  import = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Import"), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (import, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (offer_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
import_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    OmWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      _om_window_import_file (self, file);
    }
  g_object_unref (dialog);
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
import_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = json_filter ();

  dialog = gtk_file_chooser_native_new (_("Import Opportunities"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}


/* Exports: the same writers as the command line's --export,
 * --export-ics and --export-csv, on what the dialog was opened for */
typedef enum
{
  EXPORT_JSON,
  EXPORT_CALENDAR,
  EXPORT_CSV,
} ExportKind;

typedef struct
{
  OmWindow  *window;
  ExportKind kind;
  gint64     opportunity;  /* 0: all of them */
  char      *owner;        /* a salesperson's stages only, or NULL */
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->owner);
  g_free (job);
}

static gboolean
export_job_to_path (const char *path,
                    gpointer    user_data,
                    GError    **error)
{
  ExportJob *job = user_data;
  OmRepository *repository = job->window->repository;
  OmBackend *backend = om_repository_get_backend (repository);

  switch (job->kind)
    {
    case EXPORT_JSON:
      return om_json_export_file (repository, path, job->opportunity, error);
    case EXPORT_CALENDAR:
      return om_export_calendar (backend, path, job->opportunity, job->owner, error);
    case EXPORT_CSV:
    default:
      return om_export_csv (backend, path, job->opportunity, error);
    }
}

static void
export_file_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         ExportJob       *job)
{
  OmWindow *self = job->window;

  if (response == GTK_RESPONSE_ACCEPT && self->repository != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!om_export_file_to_gfile (file, export_job_to_path, job, &error))
        report (self, error);
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("Exported to “%s”."), name);
          om_window_show_message (self, message);
        }
    }
  g_object_unref (dialog);
}

/* Asks where to save a calendar or a spreadsheet, and writes it there.
 */
static void
export_file (OmWindow   *self,
             ExportKind  kind,
             gint64      opportunity,
             const char *owner,
             const char *name)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = kind == EXPORT_JSON ? json_filter () : gtk_file_filter_new ();
  ExportJob *job = g_new0 (ExportJob, 1);

  job->window = self;
  job->kind = kind;
  job->opportunity = opportunity;
  job->owner = g_strdup (owner);
  if (kind == EXPORT_CALENDAR)
    {
      gtk_file_filter_set_name (filter, _("Calendars (iCalendar)"));
      gtk_file_filter_add_mime_type (filter, "text/calendar");
      gtk_file_filter_add_suffix (filter, "ics");
    }
  else if (kind == EXPORT_CSV)
    {
      gtk_file_filter_set_name (filter, _("Spreadsheets (CSV)"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_suffix (filter, "csv");
    }
  dialog = gtk_file_chooser_native_new (kind == EXPORT_JSON ? _("Export Opportunities")
                                        : kind == EXPORT_CALENDAR ? _("Export to Calendar") : _("Export as CSV"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data_full (G_OBJECT (dialog), "om-export-job", job, export_job_free);
  g_signal_connect (dialog, "response", G_CALLBACK (export_file_response_cb), job);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* a file name stays within what a file system and the chooser take */
static char *
file_name_for (const char *what,
               const char *ending)
{
  g_autofree char *shown = om_text_excerpt (what);

  g_strdelimit (shown, "/\\", '-');
  return g_strconcat (shown, ending, NULL);
}

static void
export_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  /* the ending a file manager knows as ours (the MIME type in data/) */
  export_file (OM_WINDOW (widget), EXPORT_JSON, 0, NULL, _("opportunities.oppmanager.json"));
}

static void
export_calendar_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  OmOpportunity *opp = current_opportunity (self);
  g_autofree char *name = NULL;

  if (opp == NULL)
    return;
  name = file_name_for (om_opportunity_get_title (opp), ".ics");
  export_file (self, EXPORT_CALENDAR, om_opportunity_get_id (opp), NULL, name);
}

/* A salesperson's agenda, or everyone's for "" */
static void
export_agenda_calendar_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  const char *owner = g_variant_get_string (parameter, NULL);
  g_autofree char *name = NULL;

  /* Translators: file name of an exported calendar; %s is a salesperson */
  name = *owner != '\0' ? file_name_for (owner, _(" — milestones.ics")) : g_strdup (_("milestones.ics"));
  export_file (self, EXPORT_CALENDAR, 0, *owner != '\0' ? owner : NULL, name);
}

static void
export_csv_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  /* Translators: file name of the spreadsheet of every opportunity's stages */
  export_file (OM_WINDOW (widget), EXPORT_CSV, 0, NULL, _("opportunities.csv"));
}

/* A search or filter that found nothing is undone in one step */
static void
clear_search_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->status_filter, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
preferences_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);

  if (self->settings == NULL)
    return;
  gtk_window_present (GTK_WINDOW (om_preferences_new (GTK_WINDOW (self), self->settings)));
}

/* The client-facing summary */

static void
print_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  OmOpportunity *opp = current_opportunity (self);
  g_autoptr(OmPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (opp == NULL)
    return;
  operation = om_print_operation_new (opp);
  if (gtk_print_operation_run (GTK_PRINT_OPERATION (operation), GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    report (self, error);
}

static gboolean
summary_to_path (const char *path,
                 gpointer    user_data,
                 GError    **error)
{
  g_auto(OmSummarySender) sender = { 0 };
  OmSummaryPage page;

  om_summary_sender_load (&sender);
  om_summary_page_init_default (&page);
  return om_summary_write_pdf (om_opportunity_get_data (user_data), &sender, &page, path, error);
}

static void
export_summary_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            OmWindow        *self)
{
  OmOpportunity *opp = current_opportunity (self);

  if (response == GTK_RESPONSE_ACCEPT && opp != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!om_export_file_to_gfile (file, summary_to_path, opp, &error))
        report (self, error);
      else
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("The summary was saved as “%s”."), name);
          om_window_show_message (self, message);
        }
    }
  g_object_unref (dialog);
}

static void
export_summary_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  OmOpportunity *opp = current_opportunity (self);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (opp == NULL)
    return;
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  dialog = gtk_file_chooser_native_new (_("Export Summary as PDF"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* a file name stays within what a file system and the chooser take */
  title = om_text_excerpt (om_opportunity_get_title (opp));
  /* Translators: file name of an exported summary; %s is the opportunity's title */
  name = g_strdup_printf (_("%s — summary.pdf"), title);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (export_summary_response_cb), self);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Undo */

/* Undo and redo show what they change: the opportunity comes into view,
 * and a message names the edit. */
static void
step_history (OmWindow *self,
              gboolean  undo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strdup (undo ? om_repository_get_undo_label (self->repository)
                                          : om_repository_get_redo_label (self->repository));
  gint64 id = undo ? om_repository_get_undo_opportunity (self->repository)
                   : om_repository_get_redo_opportunity (self->repository);
  /* by id, not by pointer: the step may remove the opportunity on show,
   * and with it the last reference to the object (an undone creation, a
   * redone removal) */
  gint64 shown_id = current_opportunity (self) ? om_opportunity_get_id (current_opportunity (self)) : 0;
  gboolean ok;

  ok = undo ? om_repository_undo (self->repository, &error)
            : om_repository_redo (self->repository, &error);
  if (!ok)
    {
      report (self, error);
      return;
    }

  if (id != 0 && id != shown_id)
    {
      g_autofree char *message = NULL;
      OmOpportunity *changed = om_repository_find (self->repository, id);

      if (changed != NULL)
        {
          gtk_drop_down_set_selected (self->status_filter, 0);
          gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
          om_window_select_opportunity (self, id);
        }
      /* Translators: after undo or redo of an edit in another opportunity */
      message = g_strdup_printf (undo ? _("Undone: %s") : _("Redone: %s"), label ? label : "");
      om_window_show_message (self, message);
    }
  if (gtk_single_selection_get_selected_item (self->selection) == NULL &&
           g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
}

static void
undo_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  step_history (OM_WINDOW (widget), TRUE);
}

static void
redo_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  step_history (OM_WINDOW (widget), FALSE);
}

/* Stages */

/* Deciding a stage and taking a baseline ask the person first: the day
 * of the decision (today unless they say otherwise) and a note, or the
 * reason a stage was lost. One dialog for the three, one path each into
 * the model. */
typedef enum
{
  ASK_WIN,
  ASK_LOSE,
  ASK_BASELINE,
} AskKind;

typedef struct
{
  AskKind    kind;
  OmWindow  *window;
  GtkWidget *dialog;
  GtkWidget *entry;
  GtkWidget *confirm;
  GtkWidget *date_button;
  GtkWidget *calendar;
  OmDate     date;
  guint      position;
} AskDialog;

static void
ask_dialog_free (AskDialog *data)
{
  g_object_unref (data->window);
  g_free (data);
}

static void
ask_text_changed_cb (GtkEditable *entry,
                     AskDialog   *data)
{
  /* a lost stage needs its reason; a note is welcome, never required */
  gtk_widget_set_sensitive (data->confirm, data->kind != ASK_LOSE ||
                                           !om_str_is_blank (gtk_editable_get_text (entry)));
}

static void
ask_show_date (AskDialog *data)
{
  g_autofree char *label = om_date_format (data->date);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (data->date_button), label);
}

static void
ask_day_selected_cb (GtkCalendar *calendar,
                     AskDialog   *data)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);

  data->date = om_date_from_date_time (day);
  ask_show_date (data);
}

static void
ask_confirm_cb (GtkWidget *button,
                AskDialog *data)
{
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp = current_opportunity (data->window);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (data->entry));
  gboolean ok = TRUE;

  if (opp != NULL)
    switch (data->kind)
      {
      case ASK_WIN:
        ok = om_opportunity_decide_stage (opp, data->position, OM_STAGE_STATUS_WON, data->date, text, &error);
        break;
      case ASK_LOSE:
        ok = om_opportunity_decide_stage (opp, data->position, OM_STAGE_STATUS_LOST, data->date, text, &error);
        break;
      case ASK_BASELINE:
      default:
        ok = om_opportunity_set_baseline (opp, text, &error);
        break;
      }
  if (!ok)
    report (data->window, error);
  else if (data->kind == ASK_WIN && om_opportunity_get_current_stage (opp) >= 0)
    /* on to the next minor opportunity */
    om_opportunity_view_select_stage (data->window->view, om_opportunity_get_current_stage (opp));
  gtk_window_destroy (GTK_WINDOW (data->dialog));
}

static void
ask_cancel_cb (GtkWidget *button,
               AskDialog *data)
{
  gtk_window_destroy (GTK_WINDOW (data->dialog));
}

static void
ask (OmWindow *self,
     AskKind   kind)
{
  OmOpportunity *opp = current_opportunity (self);
  AskDialog *data = g_new0 (AskDialog, 1);
  GtkWidget *box, *buttons, *cancel, *label, *explanation;
  g_autofree char *question = NULL;
  const char *title, *confirm, *placeholder, *text;

  begin_stage_action (self);

  data->kind = kind;
  data->window = g_object_ref (self);
  data->position = (guint) MAX (0, selected_stage (self));
  data->date = om_date_today ();
  if (kind == ASK_BASELINE)
    {
      title = _("Set Baseline");
      question = g_strdup (_("Take the plan as it stands as the plan of record?"));
      text = _("Each stage’s due date becomes its baseline; slips are measured against it from now on. "
               "The note says why, in the opportunity’s history.");
      placeholder = _("Note, such as “Re-planned with the client”");
      confirm = _("_Set Baseline");
    }
  else
    {
      OmStage *stage = om_opportunity_get_stage (opp, data->position);
      g_autofree char *activity = om_text_excerpt (om_stage_get_activity (stage));

      if (kind == ASK_LOSE)
        {
          title = _("Mark Stage Lost");
          question = g_strdup_printf (_("Why was stage %u “%s” lost?"), data->position + 1, activity);
          text = _("Losing any stage loses the whole opportunity. The reason is kept in its history; "
                   "Reopen undoes the decision.");
          placeholder = _("Reason");
          confirm = _("_Mark Lost");
        }
      else
        {
          title = _("Mark Stage Won");
          question = g_strdup_printf (_("When did the client agree to stage %u “%s”?"), data->position + 1, activity);
          text = _("The day of the decision moves the stages after it that have no agreed date.");
          placeholder = _("Note for the history (optional)");
          confirm = _("_Mark Won");
        }
    }

  data->dialog = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (data->dialog), title);
  gtk_window_set_transient_for (GTK_WINDOW (data->dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (data->dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (data->dialog), 420, -1);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (data->dialog), TRUE);
  g_object_set_data_full (G_OBJECT (data->dialog), "om-ask", data, (GDestroyNotify) ask_dialog_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  label = gtk_label_new (question);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  explanation = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (explanation), TRUE);
  gtk_label_set_xalign (GTK_LABEL (explanation), 0);
  gtk_widget_add_css_class (explanation, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), explanation);

  if (kind != ASK_BASELINE)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *date_label = gtk_label_new_with_mnemonic (_("_Decided on"));
      GtkWidget *popover = gtk_popover_new ();
      g_autoptr(GDateTime) today = om_date_to_date_time (data->date);

      data->date_button = gtk_menu_button_new ();
      data->calendar = gtk_calendar_new ();
      if (today != NULL)
        gtk_calendar_select_day (GTK_CALENDAR (data->calendar), today);
      gtk_accessible_update_property (GTK_ACCESSIBLE (data->calendar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Decided on"), -1);
      gtk_popover_set_child (GTK_POPOVER (popover), data->calendar);
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (data->date_button), popover);
      gtk_label_set_mnemonic_widget (GTK_LABEL (date_label), data->date_button);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (data->date_button), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      date_label, NULL, -1);
      ask_show_date (data);
      gtk_box_append (GTK_BOX (row), date_label);
      gtk_box_append (GTK_BOX (row), data->date_button);
      gtk_box_append (GTK_BOX (box), row);
      g_signal_connect (data->calendar, "day-selected", G_CALLBACK (ask_day_selected_cb), data);
    }

  data->entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (data->entry), placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  kind == ASK_LOSE ? _("Reason") : _("Note"), -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (data->entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
  gtk_entry_set_activates_default (GTK_ENTRY (data->entry), TRUE);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  data->confirm = gtk_button_new_with_mnemonic (confirm);
  gtk_widget_add_css_class (data->confirm, kind == ASK_LOSE ? "destructive-action" : "suggested-action");
  gtk_widget_set_sensitive (data->confirm, kind != ASK_LOSE);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), data->confirm);

  gtk_box_append (GTK_BOX (box), data->entry);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (GTK_WINDOW (data->dialog), box);
  om_accessible_name_buttons_by_label (box);
  gtk_window_set_default_widget (GTK_WINDOW (data->dialog), data->confirm);
  {
    /* Escape cancels, as in any dialog */
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (data->dialog, shortcuts);
  }

  g_signal_connect (data->entry, "changed", G_CALLBACK (ask_text_changed_cb), data);
  g_signal_connect (data->confirm, "clicked", G_CALLBACK (ask_confirm_cb), data);
  g_signal_connect (cancel, "clicked", G_CALLBACK (ask_cancel_cb), data);
  gtk_window_present (GTK_WINDOW (data->dialog));
  gtk_widget_grab_focus (data->entry);
}

static void
stage_win_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  /* the keys answer even where the button would be greyed out: why not */
  if (!om_opportunity_can_win_stage (current_opportunity (self), (guint) MAX (0, selected_stage (self)), &error))
    {
      report (self, error);
      return;
    }
  ask (self, ASK_WIN);
}

/* Losing a stage loses the sale: ask why, and make the person say it. */
static void
stage_lose_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ask (OM_WINDOW (widget), ASK_LOSE);
}

static void
set_baseline_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ask (OM_WINDOW (widget), ASK_BASELINE);
}

/* Simplify with a Feasibility Study (issue 15): the dialog on the run
 * the too-complex warning proposes, or on the stage selected */
static void
simplify_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);

  begin_stage_action (self);
  om_opportunity_view_simplify (self->view);
}

static void
stage_reopen_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  begin_stage_action (self);

  /* the stage the button was offered on: the model refuses any other */
  if (selected_stage (self) < 0)
    return;
  if (!om_opportunity_reopen_stage (current_opportunity (self), (guint) selected_stage (self), NULL, &error))
    report (self, error);
  else
    om_opportunity_view_select_stage (self->view, om_opportunity_get_current_stage (current_opportunity (self)));
}

static void
stage_add_after_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(OmStageData) stage = om_stage_data_new (_("New stage"), _("Client agrees to the next step"));
  OmOpportunity *opp = current_opportunity (self);
  /* after the selected stage, or at the end of the plan */
  guint position = selected_stage (self) >= 0 ? (guint) selected_stage (self) + 1 : om_opportunity_get_n_stages (opp);

  begin_stage_action (self);

  if (!om_opportunity_add_stage (opp, position, stage, &error))
    {
      report (self, error);
      return;
    }
  om_opportunity_view_select_stage (self->view, (int) position);
  om_stage_editor_focus_first (OM_STAGE_EDITOR (om_opportunity_view_get_editor (self->view)));
}

static void
stage_remove_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  int position = selected_stage (self);

  begin_stage_action (self);

  OmPlanTable *table = om_opportunity_view_get_table (self->view);
  gboolean had_focus = om_plan_table_has_focus (table);
  int next;

  if (!om_opportunity_remove_stage (current_opportunity (self), (guint) position, &error))
    {
      report (self, error);
      return;
    }
  next = MIN (position, (int) om_opportunity_get_n_stages (current_opportunity (self)) - 1);
  om_opportunity_view_select_stage (self->view, next);
  /* the keyboard stays in the table, on the stage that took its place */
  if (had_focus && next >= 0)
    om_plan_table_focus_stage (table, (guint) next);
}

static gboolean can_move_earlier (OmOpportunity *opp, guint index, GError **error);
static gboolean can_move_later (OmOpportunity *opp, guint index, GError **error);

static void
move_selected (OmWindow *self,
               int       delta)
{
  OmOpportunity *opp = current_opportunity (self);
  OmPlanTable *table = om_opportunity_view_get_table (self->view);
  g_autoptr(GError) error = NULL;
  int from = selected_stage (self);
  int to = from + delta;
  gboolean had_focus;

  begin_stage_action (self);

  had_focus = om_plan_table_has_focus (table);
  if ((delta < 0 && !can_move_earlier (opp, (guint) from, &error)) ||
      (delta > 0 && !can_move_later (opp, (guint) from, &error)) ||
      !om_opportunity_move_stage (opp, (guint) from, (guint) to, &error))
    {
      report (self, error);
      return;
    }
  om_opportunity_view_select_stage (self->view, to);
  /* the keyboard moves with the stage, to its row at its new place */
  if (had_focus)
    om_plan_table_focus_stage (table, (guint) to);
}

static void
stage_move_earlier_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  move_selected (OM_WINDOW (widget), -1);
}

static void
stage_move_later_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  move_selected (OM_WINDOW (widget), +1);
}

/* Zoom and search */

static void
zoom_in_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);

  /* the time axis of the view shown */
  if (g_strcmp0 (om_window_get_view_name (self), "portfolio") == 0)
    om_portfolio_view_zoom (self->portfolio, 1);
  else
    om_plan_table_zoom (om_opportunity_view_get_table (self->view), 1.25);
}

static void
zoom_out_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);

  if (g_strcmp0 (om_window_get_view_name (self), "portfolio") == 0)
    om_portfolio_view_zoom (self->portfolio, -1);
  else
    om_plan_table_zoom (om_opportunity_view_get_table (self->view), 0.8);
}

static void
zoom_fit_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  om_plan_table_zoom_to_fit (om_opportunity_view_get_table (OM_WINDOW (widget)->view));
}

static void
search_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);

  /* the list may have been hidden to make room */
  gtk_widget_set_visible (self->sidebar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
focus_timeline_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);
  int position = selected_stage (self);

  /* the table is where the keyboard works on the plan */
  om_plan_table_focus_stage (om_opportunity_view_get_table (self->view), (guint) MAX (position, 0));
}

/* Alt+Return wherever the focus is: what the toggle before the title
 * does, through its action */
static void
details_key_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OmWindow *self = OM_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->view), "view.show-details", NULL);
}

/* Sensitivity */

typedef gboolean (*StageCheck) (OmOpportunity *opp,
                                guint          index,
                                GError       **error);

static void
set_stage_action (OmWindow   *self,
                  const char *name,
                  gboolean    enabled,
                  const char *reason)
{
  g_autofree char *detailed = g_strconcat ("win.", name, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), detailed, enabled);
  om_stage_editor_set_action_reason (OM_STAGE_EDITOR (om_opportunity_view_get_editor (self->view)), detailed,
                                     enabled ? NULL : reason);
}

static void
check_stage_action (OmWindow   *self,
                    const char *name,
                    StageCheck  check,
                    guint       index)
{
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp = current_opportunity (self);
  gboolean ok = check (opp, index, &error);

  set_stage_action (self, name, ok, error ? error->message : NULL);
}

static gboolean
can_move_earlier (OmOpportunity *opp,
                  guint          index,
                  GError       **error)
{
  if (index == 0)
    {
      g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_INDEX, _("This stage is already the first one."));
      return FALSE;
    }
  return om_opportunity_can_move_stage (opp, index, index - 1, error);
}

static gboolean
can_move_later (OmOpportunity *opp,
                guint          index,
                GError       **error)
{
  if (index + 1 >= om_opportunity_get_n_stages (opp))
    {
      g_set_error_literal (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_INDEX, _("This stage is already the last one."));
      return FALSE;
    }
  return om_opportunity_can_move_stage (opp, index, index + 1, error);
}

static gboolean
can_add_after (OmOpportunity *opp,
               guint          index,
               GError       **error)
{
  return om_opportunity_can_add_stage (opp, index + 1, error);
}

/**
 * _om_window_update_actions:
 *
 * Enables what the model would accept now, and tells why not otherwise.
 */
void
_om_window_update_actions (OmWindow *self)
{
  /* what acts on the plan's opportunity acts while the plan is shown */
  gboolean in_plan = g_strcmp0 (om_window_get_view_name (self), "plan") == 0;
  OmOpportunity *opp = self->repository && in_plan ? current_opportunity (self) : NULL;
  int position = opp ? selected_stage (self) : -1;
  gboolean have_repo = self->repository != NULL;
  GtkWidget *widget = GTK_WIDGET (self);
  static const struct { const char *name; StageCheck check; } stage_actions[] = {
    { "stage-win", om_opportunity_can_win_stage },
    { "stage-lose", om_opportunity_can_lose_stage },
    { "stage-reopen", om_opportunity_can_reopen_stage },
    { "stage-add-after", can_add_after },
    { "stage-remove", om_opportunity_can_remove_stage },
    { "stage-move-earlier", can_move_earlier },
    { "stage-move-later", can_move_later },
  };

  gtk_widget_action_set_enabled (widget, "win.new-opportunity", have_repo);
  gtk_widget_action_set_enabled (widget, "win.new-empty-opportunity", have_repo);
  gtk_widget_action_set_enabled (widget, "win.new-from-template", have_repo);
  gtk_widget_action_set_enabled (widget, "win.save-as-template", opp != NULL);
  gtk_widget_action_set_enabled (widget, "win.templates", have_repo);
  gtk_widget_action_set_enabled (widget, "win.open-sample", have_repo);
  gtk_widget_action_set_enabled (widget, "win.import", have_repo);
  gtk_widget_action_set_enabled (widget, "win.export", have_repo);
  gtk_widget_action_set_enabled (widget, "win.undo", have_repo && om_repository_get_can_undo (self->repository));
  gtk_widget_action_set_enabled (widget, "win.redo", have_repo && om_repository_get_can_redo (self->repository));
  gtk_widget_action_set_enabled (widget, "win.remove-opportunity", opp != NULL && self->denied == NULL);
  gtk_widget_action_set_enabled (widget, "win.print", opp != NULL);
  gtk_widget_action_set_enabled (widget, "win.preferences", self->settings != NULL);
  gtk_widget_action_set_enabled (widget, "win.set-baseline", opp != NULL && self->denied == NULL &&
                                 om_opportunity_can_set_baseline (opp, NULL));
  gtk_widget_action_set_enabled (widget, "win.simplify", opp != NULL && self->denied == NULL &&
                                 om_opportunity_view_can_simplify (self->view, NULL));
  gtk_widget_action_set_enabled (widget, "win.export-summary", opp != NULL);
  gtk_widget_action_set_enabled (widget, "win.export-calendar", opp != NULL);
  gtk_widget_action_set_enabled (widget, "win.export-agenda-calendar", have_repo);
  gtk_widget_action_set_enabled (widget, "win.export-csv", have_repo);
  gtk_widget_action_set_enabled (widget, "win.zoom-in", opp != NULL || g_strcmp0 (om_window_get_view_name (self), "portfolio") == 0);
  gtk_widget_action_set_enabled (widget, "win.zoom-out", opp != NULL || g_strcmp0 (om_window_get_view_name (self), "portfolio") == 0);
  gtk_widget_action_set_enabled (widget, "win.zoom-fit", opp != NULL);
  gtk_widget_action_set_enabled (widget, "win.focus-timeline", opp != NULL && om_opportunity_get_n_stages (opp) > 0);
  gtk_widget_action_set_enabled (widget, "win.move-earlier-key", opp != NULL && position >= 0);
  gtk_widget_action_set_enabled (widget, "win.win-key", opp != NULL && position >= 0);
  gtk_widget_action_set_enabled (widget, "win.add-key", opp != NULL);
  gtk_widget_action_set_enabled (widget, "win.details-key", opp != NULL);
  gtk_widget_action_set_enabled (widget, "win.remove-key", opp != NULL && position >= 0);
  gtk_widget_action_set_enabled (widget, "win.move-later-key", opp != NULL && position >= 0);

  for (guint i = 0; i < G_N_ELEMENTS (stage_actions); i++)
    {
      if (opp != NULL && position < 0 && stage_actions[i].check == can_add_after && self->denied == NULL)
        /* with nothing selected, a stage goes at the end */
        check_stage_action (self, stage_actions[i].name, stage_actions[i].check,
                            om_opportunity_get_n_stages (opp) - 1);
      else if (opp != NULL && self->denied != NULL)
        set_stage_action (self, stage_actions[i].name, FALSE, self->denied);
      else if (opp == NULL || position < 0)
        set_stage_action (self, stage_actions[i].name, FALSE, _("Select a stage in the plan first."));
      else
        check_stage_action (self, stage_actions[i].name, stage_actions[i].check, (guint) position);
    }
}

void
_om_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-opportunity", NULL, new_opportunity_cb);
  gtk_widget_class_install_action (widget_class, "win.new-empty-opportunity", NULL, new_empty_opportunity_cb);
  gtk_widget_class_install_action (widget_class, "win.new-from-template", "x", new_from_template_cb);
  gtk_widget_class_install_action (widget_class, "win.save-as-template", NULL, save_as_template_cb);
  gtk_widget_class_install_action (widget_class, "win.templates", NULL, templates_cb);
  gtk_widget_class_install_action (widget_class, "win.remove-opportunity", NULL, remove_opportunity_cb);
  gtk_widget_class_install_action (widget_class, "win.open-sample", NULL, open_sample_cb);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_cb);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_cb);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_cb);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_cb);
  gtk_widget_class_install_action (widget_class, "win.export-summary", NULL, export_summary_cb);
  gtk_widget_class_install_action (widget_class, "win.export-calendar", NULL, export_calendar_cb);
  gtk_widget_class_install_action (widget_class, "win.export-agenda-calendar", "s", export_agenda_calendar_cb);
  gtk_widget_class_install_action (widget_class, "win.export-csv", NULL, export_csv_cb);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_cb);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_cb);
  gtk_widget_class_install_action (widget_class, "win.stage-win", NULL, stage_win_cb);
  gtk_widget_class_install_action (widget_class, "win.stage-lose", NULL, stage_lose_cb);
  gtk_widget_class_install_action (widget_class, "win.stage-reopen", NULL, stage_reopen_cb);
  gtk_widget_class_install_action (widget_class, "win.set-baseline", NULL, set_baseline_cb);
  gtk_widget_class_install_action (widget_class, "win.simplify", NULL, simplify_cb);
  gtk_widget_class_install_action (widget_class, "win.stage-add-after", NULL, stage_add_after_cb);
  gtk_widget_class_install_action (widget_class, "win.stage-remove", NULL, stage_remove_cb);
  gtk_widget_class_install_action (widget_class, "win.stage-move-earlier", NULL, stage_move_earlier_cb);
  gtk_widget_class_install_action (widget_class, "win.stage-move-later", NULL, stage_move_later_cb);
  /* the keys always answer: a refused move says why in the window */
  gtk_widget_class_install_action (widget_class, "win.move-earlier-key", NULL, stage_move_earlier_cb);
  gtk_widget_class_install_action (widget_class, "win.win-key", NULL, stage_win_cb);
  gtk_widget_class_install_action (widget_class, "win.add-key", NULL, stage_add_after_cb);
  gtk_widget_class_install_action (widget_class, "win.remove-key", NULL, stage_remove_cb);
  gtk_widget_class_install_action (widget_class, "win.move-later-key", NULL, stage_move_later_cb);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_in_cb);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_out_cb);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_fit_cb);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_cb);
  gtk_widget_class_install_action (widget_class, "win.clear-search", NULL, clear_search_cb);
  gtk_widget_class_install_property_action (widget_class, "win.view", "view");
  gtk_widget_class_install_action (widget_class, "win.focus-timeline", NULL, focus_timeline_cb);
  gtk_widget_class_install_action (widget_class, "win.details-key", NULL, details_key_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-opportunity", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.win-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_W, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.win-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_CONTROL_MASK, "win.add-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK, "win.remove-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.move-earlier-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.move-later-key", NULL);
  /* in the plan's rows, earlier is up */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.move-earlier-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "win.move-later-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.focus-timeline", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK, "win.details-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_ALT_MASK, "win.details-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.view", "s", "plan");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.view", "s", "portfolio");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "win.view", "s", "agenda");
}
