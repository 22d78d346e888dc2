/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "om-cli.h"
#include "om-summary.h"
#include "om-calendar-file.h"
#include "om-csv-file.h"
#include "om-database.h"
#include "om-pg-backend.h"
#include "om-store.h"
#include "om-export-file.h"
#include "om-json.h"

/*
 * The commands of SPEC section 7. None of them needs a display: they
 * work on the database through the same model operations as the window.
 */

static guint
count_commands (const OmCliOptions *options)
{
  return (options->import_file != NULL) + (options->export_file != NULL) +
         (options->summary_pdf != NULL) + options->list + options->check + options->version +
         (options->export_ics != NULL) + (options->export_csv != NULL) + options->agenda + options->pipeline +
         options->init_server;
}

/* SPEC 7: --agenda shows this many days ahead unless --days says */
#define AGENDA_DEFAULT_DAYS 14

/* --days: a positive whole number, digits only */
static gboolean
parse_days (const char *text,
            guint      *days)
{
  guint64 n = 0;

  if (text == NULL)
    {
      *days = AGENDA_DEFAULT_DAYS;
      return TRUE;
    }
  if (!g_ascii_isdigit (*text) || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &n, NULL))
    return FALSE;
  *days = (guint) n;
  return TRUE;
}

/* The options of --agenda (issue 12), apart so that they read as one */
static gboolean
validate_agenda (const OmCliOptions *options,
                 GError            **error)
{
  guint days;

  if (options->owner != NULL && om_str_is_blank (options->owner))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--owner needs a name, as in --owner=NAME."));
      return FALSE;
    }
  /* --export-ics takes --owner too */
  if (options->owner != NULL && !options->agenda && options->export_ics == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--owner goes with --agenda or --export-ics."));
      return FALSE;
    }
  if (options->days != NULL && !options->agenda)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--days goes with --agenda."));
      return FALSE;
    }
  if (!parse_days (options->days, &days))
    {
      g_autofree char *shown = om_text_excerpt (options->days);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--days takes a positive whole number of days, not “%s”."), shown);
      return FALSE;
    }
  return TRUE;
}

gboolean
om_cli_options_has_command (const OmCliOptions *options)
{
  return count_commands (options) > 0;
}

/* --export-ics and --export-csv (SPEC 7) */
static gboolean
validate_files_options (const OmCliOptions *options,
                        GError            **error)
{
  if (options->export_ics != NULL && options->owner != NULL && options->opportunity != 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--export-ics takes --opportunity=ID or --owner=NAME, not both."));
      return FALSE;
    }
  return TRUE;
}

/**
 * om_cli_options_validate:
 *
 * Refuses combinations that make no sense, with a message that says
 * what to write instead.
 */
gboolean
om_cli_options_validate (const OmCliOptions *options,
                         GError            **error)
{
  if (count_commands (options) > 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give one command at a time: --import, --export, --export-ics, --export-csv, --list, --check, "
                             "--summary-pdf, --agenda, --pipeline, --init-server or --version."));
      return FALSE;
    }
  if (!validate_agenda (options, error))
    return FALSE;
  if (options->init_server && (options->database == NULL || !om_store_location_is_server (options->database)))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--init-server needs the server to set up, as --database=postgresql://USER@HOST/DATABASE "
                             "or a libpq connection string."));
      return FALSE;
    }
  if (options->check && options->opportunity == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--check needs --opportunity=ID (see --list for the ids)."));
      return FALSE;
    }
  if (options->summary_pdf != NULL && options->opportunity == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--summary-pdf needs --opportunity=ID (see --list for the ids)."));
      return FALSE;
    }
  if (options->opportunity != 0 && !options->check && options->export_file == NULL &&
      options->summary_pdf == NULL && options->export_ics == NULL && options->export_csv == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--opportunity goes with --check, --export, --export-ics, --export-csv or --summary-pdf."));
      return FALSE;
    }
  if (!validate_files_options (options, error))
    return FALSE;
  if (options->opportunity < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--opportunity takes a positive id."));
      return FALSE;
    }
  if ((options->import_file && !*options->import_file) ||
      (options->export_file && !*options->export_file) ||
      (options->summary_pdf && !*options->summary_pdf) ||
      (options->export_ics && !*options->export_ics) ||
      (options->export_csv && !*options->export_csv) ||
      (options->database && !*options->database))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("A file name cannot be empty."));
      return FALSE;
    }
  return TRUE;
}

static int
refuse (const GError *error)
{
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  return OM_CLI_EXIT_REFUSED;
}

static int
run_list (OmRepository *repository)
{
  GListModel *opportunities = om_repository_get_opportunities (repository);
  guint n = g_list_model_get_n_items (opportunities);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (opportunities, i);
      /* one line per record, whatever the title holds: tabs, line
       * breaks and terminal escapes are shown escaped */
      g_autofree char *title = om_text_escape_line (om_opportunity_get_title (opp));
      char probability[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (probability, sizeof probability, "%.3f", om_opportunity_get_chain_probability (opp));
      g_print ("%" G_GINT64_FORMAT "\t%s\t%u/%u\t%s\t%s\n",
               om_opportunity_get_id (opp),
               om_opportunity_status_to_string (om_opportunity_get_status (opp)),
               om_opportunity_get_n_won (opp),
               om_opportunity_get_n_stages (opp),
               probability,
               title);
    }
  return OM_CLI_EXIT_OK;
}

static OmOpportunity *
find_opportunity (OmRepository *repository,
                  gint64        id,
                  GError      **error)
{
  OmOpportunity *opp = om_repository_find (repository, id);

  if (opp == NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                   _("There is no opportunity with id %s (see --list)."), number);
    }
  return opp;
}

static int
run_check (OmRepository *repository,
           gint64        id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  OmOpportunity *opp = find_opportunity (repository, id, &error);

  if (opp == NULL || !om_opportunity_load (opp, &error))
    return refuse (error);

  warnings = om_opportunity_check_health (opp);
  for (guint i = 0; i < warnings->len; i++)
    {
      const OmHealthWarning *w = g_ptr_array_index (warnings, i);
      g_autofree char *message = om_text_escape_line (w->message);

      g_print ("%s\t%s\n", w->code, message);
    }
  return OM_CLI_EXIT_OK;
}

/*
 * --agenda: the pending milestones of open opportunities that are
 * overdue or due within the days asked from today (inclusive), as the
 * backend's agenda gives them, earliest first. "overdue" is the model's
 * rule (om_is_overdue()).
 */
static int
run_agenda (const OmCliOptions *options,
            OmRepository       *repository)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmAgendaQuery) query = NULL;
  g_autoptr(GPtrArray) items = NULL;
  OmDate today = om_date_today ();
  guint days = AGENDA_DEFAULT_DAYS;

  parse_days (options->days, &days);   /* checked by validate */
  query = om_agenda_query_new (options->owner, 0,
                               days >= OM_DATE_MAX - today ? OM_DATE_MAX : om_date_add_days (today, days));
  items = om_repository_list_agenda (repository, query, &error);
  if (items == NULL)
    return refuse (error);

  for (guint i = 0; i < items->len; i++)
    {
      const OmAgendaItem *item = g_ptr_array_index (items, i);
      g_autofree char *due = om_date_to_iso (item->due);
      g_autofree char *owner = om_text_escape_line (item->owner);
      g_autofree char *title = om_text_escape_line (item->title);
      g_autofree char *milestone = om_text_escape_line (item->milestone);
      gboolean overdue = om_is_overdue (OM_OPPORTUNITY_STATUS_OPEN, OM_STAGE_STATUS_PENDING, item->due, today);

      g_print ("%s\t%s\t%" G_GINT64_FORMAT "\t%u\t%s\t%s\t%s\n", due, overdue ? "overdue" : "due",
               item->opportunity_id, item->stage + 1, owner, title, milestone);
    }
  return OM_CLI_EXIT_OK;
}

/*
 * --pipeline: open opportunities by month of close date and currency,
 * with two decimals from the minor units the model keeps (hundredths,
 * whatever the currency), never a sum of two currencies.
 */
static int
run_pipeline (OmRepository *repository)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = om_repository_get_pipeline (repository, &error);

  if (rows == NULL)
    return refuse (error);

  for (guint i = 0; i < rows->len; i++)
    {
      const OmPipelineRow *row = g_ptr_array_index (rows, i);
      g_autofree char *currency = om_text_escape_line (row->currency);
      g_autofree char *value = om_money_to_string (row->value);
      g_autofree char *weighted = om_money_to_string (row->weighted);

      g_print ("%s\t%04d-%02d\t%u\t%s\t%s\n", currency, row->year, row->month, row->n, value, weighted);
    }
  return OM_CLI_EXIT_OK;
}

static int
run_import (OmRepository *repository,
            const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) created = om_json_import_file (repository, path, &error);

  if (created == NULL)
    return refuse (error);

  for (guint i = 0; i < created->len; i++)
    g_print ("%" G_GINT64_FORMAT "\n", g_array_index (created, gint64, i));
  return OM_CLI_EXIT_OK;
}

static int
run_export (OmRepository *repository,
            const char   *path,
            gint64        only_id)
{
  g_autoptr(GError) error = NULL;

  if (!om_json_export_file (repository, path, only_id, &error))
    return refuse (error);
  return OM_CLI_EXIT_OK;
}

/* The same calls as the window's Export to Calendar and Export as CSV */
static int
run_files_export (const OmCliOptions *options,
                  OmRepository       *repository)
{
  g_autoptr(GError) error = NULL;
  OmBackend *backend = om_repository_get_backend (repository);
  gboolean ok = options->export_ics != NULL
                  ? om_export_calendar (backend, options->export_ics, options->opportunity, options->owner, &error)
                  : om_export_csv (backend, options->export_csv, options->opportunity, &error);

  return ok ? OM_CLI_EXIT_OK : refuse (error);
}

static int
run_summary (const OmCliOptions *options,
             OmRepository       *repository)
{
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp = find_opportunity (repository, options->opportunity, &error);
  g_auto(OmSummarySender) sender = { 0 };
  OmSummaryPage page;

  /* the same pages as printing from the window, with the preferences of
   * the window's user (GSettings needs no display) */
  om_summary_sender_load (&sender);
  om_summary_page_init_default (&page);
  if (opp == NULL || !om_opportunity_load (opp, &error) ||
      !om_summary_write_pdf (om_opportunity_get_data (opp), &sender, &page, options->summary_pdf, &error))
    return refuse (error);
  return OM_CLI_EXIT_OK;
}

/* The schema, roles and policies of a team server (SPEC 9) */
static int
run_init_server (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  if (!om_store_init_server (location, &error))
    return refuse (error);
  shown = om_pg_location_shown (location);
  g_print (_("The server database “%s” is set up for Opportunity Manager.\n"), shown);
  return OM_CLI_EXIT_OK;
}

/**
 * om_cli_run:
 *
 * Runs the one command in @options (already validated).
 *
 * Returns: the process's exit status
 */
int
om_cli_run (const OmCliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmRepository) repository = NULL;
  g_autofree char *default_path = NULL;
  const char *path = options->database;

  if (options->version)
    {
      g_print ("%s %s\n", g_get_prgname (), PACKAGE_VERSION);
      return OM_CLI_EXIT_OK;
    }

  if (path == NULL)
    path = default_path = om_store_get_default_location ();

  if (options->init_server)
    return run_init_server (path);

  repository = om_store_open_repository (path, &error);
  if (repository == NULL)
    return refuse (error);
  if (options->too_complex_threshold > 0)
    om_repository_set_too_complex_threshold (repository, options->too_complex_threshold);

  if (options->list)
    return run_list (repository);
  if (options->check)
    return run_check (repository, options->opportunity);
  if (options->import_file)
    return run_import (repository, options->import_file);
  if (options->export_file)
    return run_export (repository, options->export_file, options->opportunity);
  if (options->summary_pdf)
    return run_summary (options, repository);
  if (options->export_ics || options->export_csv)
    return run_files_export (options, repository);
  if (options->agenda)
    return run_agenda (options, repository);
  if (options->pipeline)
    return run_pipeline (repository);

  g_return_val_if_reached (OM_CLI_EXIT_USAGE);
}

void
om_cli_options_clear (OmCliOptions *options)
{
  g_clear_pointer (&options->database, g_free);
  g_clear_pointer (&options->import_file, g_free);
  g_clear_pointer (&options->export_file, g_free);
  g_clear_pointer (&options->summary_pdf, g_free);
  g_clear_pointer (&options->export_ics, g_free);
  g_clear_pointer (&options->export_csv, g_free);
  g_clear_pointer (&options->owner, g_free);
  g_clear_pointer (&options->days, g_free);
}
