/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "om-csv-file.h"
#include "om-export-file.h"
#include "om-json.h"

/*
 * The stages as a spreadsheet (SPEC 7): RFC 4180 with CRLF line ends,
 * UTF-8 without a byte order mark, a header row of the JSON exchange
 * format's names, one row per stage. The values are those --export
 * writes: dates as YYYY-MM-DD (empty when there is none), kind and
 * status by their exchange names, the probability as the JSON number,
 * the due date as the model derives it.
 *
 * A field is quoted when it holds a comma, a quote, a CR or an LF (a
 * quote doubled), and also when it begins with = + - @, a tab or a CR,
 * the characters a spreadsheet takes for the start of a formula. The
 * text itself is never changed (no apostrophe or space put before it),
 * so that a CSV reader gets back exactly what the opportunity holds;
 * the quotes let a spreadsheet that keeps quoted fields as text (such
 * as LibreOffice's "Format quoted field as text" on import) show the
 * cell instead of running it. A spreadsheet that evaluates quoted
 * fields anyway must be told to import the columns as text.
 */

#define FLUSH_BYTES (64 * 1024)

static const char *const columns[] = {
  "opportunity_id", "title", "client", "stage", "activity", "milestone", "kind", "owner", "client_owner",
  "status", "due_date", "agreed_date", "baseline_due_date", "probability", "decided_on",
};

struct _OmCsvWriter
{
  GOutputStream *stream;
  GString       *out;
  gboolean       started;
};

/**
 * om_csv_writer_new:
 * @stream: where the table goes
 *
 * Returns: (transfer full): a writer; om_csv_writer_finish() ends the
 *   table
 */
OmCsvWriter *
om_csv_writer_new (GOutputStream *stream)
{
  OmCsvWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (OmCsvWriter, 1);
  self->stream = g_object_ref (stream);
  self->out = g_string_new (NULL);
  return self;
}

void
om_csv_writer_free (OmCsvWriter *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->stream);
  g_string_free (self->out, TRUE);
  g_free (self);
}

static gboolean
needs_quotes (const char *text)
{
  return strchr ("=+-@\t\r", text[0]) != NULL ||
         strpbrk (text, ",\"\r\n") != NULL;
}

static void
add_field (OmCsvWriter *self,
           gboolean     first,
           const char  *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  if (!first)
    g_string_append_c (self->out, ',');
  if (valid[0] == '\0' || !needs_quotes (valid))
    {
      g_string_append (self->out, valid);
      return;
    }
  g_string_append_c (self->out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (self->out, '"');
      g_string_append_c (self->out, *p);
    }
  g_string_append_c (self->out, '"');
}

static void
add_date (OmCsvWriter *self,
          OmDate       date)
{
  g_autofree char *iso = date != 0 ? om_date_to_iso (date) : NULL;

  add_field (self, FALSE, iso);
}

static void
start (OmCsvWriter *self)
{
  if (self->started)
    return;
  self->started = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    add_field (self, i == 0, columns[i]);
  g_string_append (self->out, "\r\n");
}

static gboolean
flush (OmCsvWriter *self,
       GError     **error)
{
  gboolean ok = g_output_stream_write_all (self->stream, self->out->str, self->out->len, NULL, NULL, error);

  g_string_truncate (self->out, 0);
  return ok;
}

/**
 * om_csv_writer_add:
 * @data: an opportunity, read in full
 *
 * Adds a row for each stage of @data, in the plan's order.
 */
gboolean
om_csv_writer_add (OmCsvWriter             *self,
                   const OmOpportunityData *data,
                   GError                 **error)
{
  g_autofree OmStageSchedule *schedule = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  start (self);
  schedule = om_opportunity_data_get_schedule (data, om_date_today ());
  id = g_strdup_printf ("%" G_GINT64_FORMAT, data->id);
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = om_opportunity_data_get_stage (data, i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      g_autofree char *probability = om_json_format_number (stage->probability);

      add_field (self, TRUE, id);
      add_field (self, FALSE, data->title);
      add_field (self, FALSE, data->client);
      add_field (self, FALSE, number);
      add_field (self, FALSE, stage->activity);
      add_field (self, FALSE, stage->milestone);
      add_field (self, FALSE, om_stage_kind_to_string (stage->kind));
      add_field (self, FALSE, stage->owner);
      add_field (self, FALSE, stage->client_owner);
      add_field (self, FALSE, om_stage_status_to_string (stage->status));
      add_date (self, schedule[i].due);
      add_date (self, stage->agreed_on);
      add_date (self, stage->baseline_due);
      add_field (self, FALSE, probability);
      add_date (self, stage->status != OM_STAGE_STATUS_PENDING ? stage->decided_on : 0);
      g_string_append (self->out, "\r\n");
    }
  return self->out->len < FLUSH_BYTES || flush (self, error);
}

/**
 * om_csv_writer_finish:
 *
 * Writes what is left (at least the header row) into the stream, which
 * stays open.
 */
gboolean
om_csv_writer_finish (OmCsvWriter *self,
                      GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  start (self);
  return flush (self, error);
}

typedef struct
{
  OmCsvWriter       *writer;
  OmBackend         *backend;
  OmOpportunityData *only;    /* read already, or NULL for all */
} Export;

static gboolean
add_cb (const OmOpportunityData *data,
        gpointer                 user_data,
        GError                 **error)
{
  Export *export = user_data;

  return om_csv_writer_add (export->writer, data, error);
}

static gboolean
write_csv (GOutputStream *stream,
           gpointer       user_data,
           GError       **error)
{
  Export *export = user_data;
  g_autoptr(OmCsvWriter) writer = om_csv_writer_new (stream);

  export->writer = writer;
  if (export->only != NULL)
    {
      if (!om_csv_writer_add (writer, export->only, error))
        return FALSE;
    }
  else if (!om_export_each_opportunity (export->backend, -1, add_cb, export, error))
    return FALSE;
  return om_csv_writer_finish (writer, error);
}

/**
 * om_export_csv:
 * @path: where to write, as om_export_file_write() takes it ("-" is
 *   standard output)
 * @opportunity: the id of the one opportunity to write, or 0 for all
 *
 * Writes the stages of @backend's opportunities as CSV, one opportunity
 * at a time: the command line's `--export-csv` and the window's Export
 * as CSV. A failure leaves no file.
 */
gboolean
om_export_csv (OmBackend  *backend,
               const char *path,
               gint64      opportunity,
               GError    **error)
{
  g_autoptr(OmOpportunityData) only = NULL;
  Export export = { NULL, backend, NULL };

  g_return_val_if_fail (OM_IS_BACKEND (backend), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* what cannot be written is said before anything is */
  if (opportunity > 0)
    {
      only = om_export_load_opportunity (backend, opportunity, error);
      if (only == NULL)
        return FALSE;
      export.only = only;
    }
  return om_export_file_write (path, write_csv, &export, error);
}
