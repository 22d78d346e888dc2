/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "om-calendar-file.h"
#include "om-export-file.h"

/*
 * Milestones in everyone's calendar (SPEC 7, issue 12): an iCalendar
 * file as RFC 5545 has it, byte for byte, since calendars differ in
 * what they forgive:
 *
 * - lines end in CRLF and are folded at 75 octets, never inside a UTF-8
 *   sequence, a continuation line starting with one space;
 * - TEXT escapes backslash, semicolon, comma and line breaks (\n). RFC
 *   5545 has no escape for a carriage return: a CRLF or a lone CR in a
 *   value is a line break (\n) like LF. Other control characters, which
 *   TEXT cannot hold, are left out;
 * - each event's UID is made of the opportunity's id and the stage's,
 *   which the store keeps across edits, moves and undo (a stage keeps
 *   its row and id; opportunity ids are never given twice), so that
 *   importing the file again updates the events instead of adding
 *   them twice. SEQUENCE is the opportunity's revision, which every
 *   write raises, so that a calendar takes the newer event.
 */

#define PRODID "-//com.example.OppManager//Opportunity Manager " PACKAGE_VERSION "//EN"
#define UID_DOMAIN "com.example.OppManager"
#define FOLD_OCTETS 75
#define FLUSH_BYTES (64 * 1024)

struct _OmCalendarWriter
{
  GOutputStream *stream;
  GString       *out;
  GString       *line;
  char          *stamp;      /* DTSTAMP's value: the export's time, UTC */
  gboolean       started;
};

/**
 * om_calendar_writer_new:
 * @stream: where the calendar goes
 * @stamp: when the export is made (DTSTAMP), in any time zone
 *
 * Returns: (transfer full): a writer; om_calendar_writer_finish() ends
 *   the calendar
 */
OmCalendarWriter *
om_calendar_writer_new (GOutputStream *stream,
                        GDateTime     *stamp)
{
  OmCalendarWriter *self;
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (stamp != NULL, NULL);

  utc = g_date_time_to_utc (stamp);
  self = g_new0 (OmCalendarWriter, 1);
  self->stream = g_object_ref (stream);
  self->out = g_string_new (NULL);
  self->line = g_string_new (NULL);
  self->stamp = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  return self;
}

void
om_calendar_writer_free (OmCalendarWriter *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->stream);
  g_string_free (self->out, TRUE);
  g_string_free (self->line, TRUE);
  g_free (self->stamp);
  g_free (self);
}

/* self->line, folded, onto the output */
static void
end_line (OmCalendarWriter *self)
{
  const char *text = self->line->str;
  gsize length = self->line->len;
  gsize start = 0;
  gsize limit = FOLD_OCTETS;

  while (length - start > limit)
    {
      gsize cut = start + limit;

      /* a continuation byte starts no line */
      while (cut > start && ((guchar) text[cut] & 0xC0) == 0x80)
        cut--;
      g_string_append_len (self->out, text + start, cut - start);
      g_string_append (self->out, "\r\n ");
      start = cut;
      limit = FOLD_OCTETS - 1;   /* the space counts */
    }
  g_string_append_len (self->out, text + start, length - start);
  g_string_append (self->out, "\r\n");
  g_string_truncate (self->line, 0);
}

static void
add_line (OmCalendarWriter *self,
          const char       *name_and_value)
{
  g_string_append (self->line, name_and_value);
  end_line (self);
}

/* RFC 5545 3.3.11 */
static void
append_text (GString    *line,
             const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (const char *p = valid; *p != '\0'; p++)
    switch (*p)
      {
      case '\\':
      case ';':
      case ',':
        g_string_append_c (line, '\\');
        g_string_append_c (line, *p);
        break;

      case '\r':
        if (p[1] == '\n')
          p++;
        G_GNUC_FALLTHROUGH;
      case '\n':
        g_string_append (line, "\\n");
        break;

      default:
        if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7F)
          break;
        g_string_append_c (line, *p);
      }
}

static void
add_text (OmCalendarWriter *self,
          const char       *name,
          const char       *text)
{
  g_string_append (self->line, name);
  g_string_append_c (self->line, ':');
  append_text (self->line, text);
  end_line (self);
}

static void
add_date (OmCalendarWriter *self,
          const char       *name,
          OmDate            date)
{
  g_autofree char *iso = om_date_to_iso (date);

  /* YYYY-MM-DD, always four digits of year (R5) */
  g_string_append_printf (self->line, "%s;VALUE=DATE:%.4s%.2s%.2s", name, iso, iso + 5, iso + 8);
  end_line (self);
}

/**
 * om_calendar_stage_uid:
 *
 * The UID of the event of stage @stage (its id) of opportunity
 * @opportunity: the same in every export, whatever was edited or moved.
 *
 * Returns: (transfer full): the UID
 */
char *
om_calendar_stage_uid (gint64 opportunity,
                       gint64 stage)
{
  return g_strdup_printf ("opportunity-%" G_GINT64_FORMAT "-stage-%" G_GINT64_FORMAT "@" UID_DOMAIN,
                          opportunity, stage);
}

static void
start (OmCalendarWriter *self)
{
  if (self->started)
    return;
  self->started = TRUE;
  add_line (self, "BEGIN:VCALENDAR");
  add_line (self, "VERSION:2.0");
  add_line (self, "PRODID:" PRODID);
  add_line (self, "CALSCALE:GREGORIAN");
  add_line (self, "METHOD:PUBLISH");
}

static gboolean
flush (OmCalendarWriter *self,
       GError          **error)
{
  gboolean ok = g_output_stream_write_all (self->stream, self->out->str, self->out->len, NULL, NULL, error);

  g_string_truncate (self->out, 0);
  return ok;
}

/* The event's description: what the milestone ends, who conducts it on
 * each side, and whose sale it is */
static char *
describe (const OmOpportunityData *data,
          guint                    index)
{
  const OmStageData *stage = om_opportunity_data_get_stage (data, index);
  GString *text = g_string_new (stage->activity);

  if (!om_str_is_blank (stage->owner))
    {
      g_string_append_c (text, '\n');
      /* Translators: in a calendar event; %s is the salesperson */
      g_string_append_printf (text, _("Owner: %s"), stage->owner);
    }
  if (!om_str_is_blank (stage->client_owner))
    {
      g_string_append_c (text, '\n');
      /* Translators: in a calendar event; %s is who conducts the stage on the client's side */
      g_string_append_printf (text, _("Client owner: %s"), stage->client_owner);
    }
  g_string_append_c (text, '\n');
  /* Translators: in a calendar event; the opportunity's title, then its client */
  g_string_append_printf (text, _("Opportunity: %s (%s)"), data->title, data->client);
  g_string_append_c (text, '\n');
  /* Translators: in a calendar event */
  g_string_append_printf (text, _("Stage %u of %u"), index + 1, data->stages->len);
  return g_string_free (text, FALSE);
}

static gboolean
owner_matches (const OmStageData *stage,
               const char        *folded_owner)
{
  g_autofree char *folded = NULL;

  if (folded_owner == NULL)
    return TRUE;
  folded = om_text_fold (stage->owner);
  return strcmp (folded, folded_owner) == 0;
}

/**
 * om_calendar_writer_add:
 * @data: an opportunity, read in full
 * @owner: (nullable): only the stages of this salesperson (compared
 *   folded, as a search does), or %NULL for everyone's
 *
 * Adds an event for each pending milestone of @data if it is open,
 * on the due date the model gives it.
 */
gboolean
om_calendar_writer_add (OmCalendarWriter        *self,
                        const OmOpportunityData *data,
                        const char              *owner,
                        GError                 **error)
{
  g_autofree OmStageSchedule *schedule = NULL;
  g_autofree char *folded_owner = NULL;
  gint64 sequence;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  start (self);
  if (om_opportunity_data_get_status (data) != OM_OPPORTUNITY_STATUS_OPEN)
    return TRUE;

  schedule = om_opportunity_data_get_schedule (data, om_date_today ());
  folded_owner = owner != NULL ? om_text_fold (owner) : NULL;
  sequence = CLAMP (data->revision, 0, G_MAXINT32);

  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = om_opportunity_data_get_stage (data, i);
      g_autofree char *uid = NULL;
      g_autofree char *description = NULL;

      if (stage->status != OM_STAGE_STATUS_PENDING || !owner_matches (stage, folded_owner))
        continue;
      g_warn_if_fail (stage->id != 0);

      uid = om_calendar_stage_uid (data->id, stage->id);
      description = describe (data, i);
      add_line (self, "BEGIN:VEVENT");
      add_text (self, "UID", uid);
      g_string_append_printf (self->line, "DTSTAMP:%s", self->stamp);
      end_line (self);
      add_date (self, "DTSTART", schedule[i].due);
      /* the day after, but for the last day there is: an all-day event
       * without an end lasts its one day (RFC 5545 3.6.1) */
      if (schedule[i].due < OM_DATE_MAX)
        add_date (self, "DTEND", schedule[i].due + 1);
      add_text (self, "SUMMARY", stage->milestone);
      add_text (self, "DESCRIPTION", description);
      add_line (self, stage->agreed_on != 0 ? "STATUS:CONFIRMED" : "STATUS:TENTATIVE");
      g_string_append_printf (self->line, "SEQUENCE:%" G_GINT64_FORMAT, sequence);
      end_line (self);
      add_line (self, "TRANSP:TRANSPARENT");
      add_line (self, "END:VEVENT");
    }

  return self->out->len < FLUSH_BYTES || flush (self, error);
}

/**
 * om_calendar_writer_finish:
 *
 * Ends the calendar (a calendar with no event is still one) and writes
 * what is left into the stream, which stays open.
 */
gboolean
om_calendar_writer_finish (OmCalendarWriter *self,
                           GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  start (self);
  add_line (self, "END:VCALENDAR");
  return flush (self, error);
}

typedef struct
{
  OmCalendarWriter  *writer;
  OmBackend         *backend;
  OmOpportunityData *only;    /* read already, or NULL for all */
  const char        *owner;
} Export;

static gboolean
add_cb (const OmOpportunityData *data,
        gpointer                 user_data,
        GError                 **error)
{
  Export *export = user_data;

  return om_calendar_writer_add (export->writer, data, export->owner, error);
}

static gboolean
write_calendar (GOutputStream *stream,
                gpointer       user_data,
                GError       **error)
{
  Export *export = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(OmCalendarWriter) writer = om_calendar_writer_new (stream, now);

  export->writer = writer;
  if (export->only != NULL)
    {
      if (!om_calendar_writer_add (writer, export->only, export->owner, error))
        return FALSE;
    }
  else if (!om_export_each_opportunity (export->backend, OM_OPPORTUNITY_STATUS_OPEN, add_cb, export, error))
    return FALSE;
  return om_calendar_writer_finish (writer, error);
}

/**
 * om_export_calendar:
 * @path: where to write, as om_export_file_write() takes it ("-" is
 *   standard output)
 * @opportunity: the id of the one opportunity to write, or 0 for all
 * @owner: (nullable): only this salesperson's stages, or %NULL
 *
 * Writes the calendar of @backend's open opportunities, one at a time:
 * the command line's `--export-ics` and the window's Export to
 * Calendar. A failure leaves no file.
 */
gboolean
om_export_calendar (OmBackend  *backend,
                    const char *path,
                    gint64      opportunity,
                    const char *owner,
                    GError    **error)
{
  g_autoptr(OmOpportunityData) only = NULL;
  Export export = { NULL, backend, NULL, owner };

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
  return om_export_file_write (path, write_calendar, &export, error);
}
