/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "om-types.h"

G_DEFINE_QUARK (om-model-error-quark, om_model_error)

static OmDate today_override;

static const char *kind_names[] = { "standard", "process-agreement", "feasibility-study" };
static const char *status_names[] = { "pending", "won", "lost" };
static const char *opp_status_names[] = { "open", "won", "lost" };

const char *
om_stage_kind_to_string (OmStageKind kind)
{
  g_return_val_if_fail (kind <= OM_STAGE_KIND_FEASIBILITY_STUDY, NULL);
  return kind_names[kind];
}

gboolean
om_stage_kind_from_string (const char  *str,
                           OmStageKind *kind)
{
  for (guint i = 0; str && i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (str, kind_names[i]) == 0)
      {
        *kind = (OmStageKind) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * om_stage_kind_to_label:
 *
 * Returns: the kind as a person reads it, translated.
 */
const char *
om_stage_kind_to_label (OmStageKind kind)
{
  switch (kind)
    {
    case OM_STAGE_KIND_PROCESS_AGREEMENT:
      return _("Process agreement");
    case OM_STAGE_KIND_FEASIBILITY_STUDY:
      return _("Feasibility Study");
    case OM_STAGE_KIND_STANDARD:
    default:
      return _("Standard");
    }
}

const char *
om_stage_status_to_string (OmStageStatus status)
{
  g_return_val_if_fail (status <= OM_STAGE_STATUS_LOST, NULL);
  return status_names[status];
}

gboolean
om_stage_status_from_string (const char    *str,
                             OmStageStatus *status)
{
  for (guint i = 0; str && i < G_N_ELEMENTS (status_names); i++)
    if (strcmp (str, status_names[i]) == 0)
      {
        *status = (OmStageStatus) i;
        return TRUE;
      }
  return FALSE;
}

const char *
om_stage_status_to_label (OmStageStatus status)
{
  switch (status)
    {
    case OM_STAGE_STATUS_WON:
      return _("Won");
    case OM_STAGE_STATUS_LOST:
      return _("Lost");
    case OM_STAGE_STATUS_PENDING:
    default:
      return _("Pending");
    }
}

const char *
om_opportunity_status_to_string (OmOpportunityStatus status)
{
  g_return_val_if_fail (status <= OM_OPPORTUNITY_STATUS_LOST, NULL);
  return opp_status_names[status];
}

const char *
om_opportunity_status_to_label (OmOpportunityStatus status)
{
  switch (status)
    {
    case OM_OPPORTUNITY_STATUS_WON:
      return _("Won");
    case OM_OPPORTUNITY_STATUS_LOST:
      return _("Lost");
    case OM_OPPORTUNITY_STATUS_OPEN:
    default:
      return _("Open");
    }
}

/**
 * om_date_is_valid:
 *
 * Whether @date is a day the model accepts (R5): from 0001-01-01 to
 * 9999-12-31. 0 ("no date") is not.
 */
gboolean
om_date_is_valid (OmDate date)
{
  return date >= OM_DATE_MIN && date <= OM_DATE_MAX;
}

/**
 * om_date_parse:
 * @iso: a date written `YYYY-MM-DD`
 *
 * Strict: exactly four, two and two digits naming a real calendar day.
 */
gboolean
om_date_parse (const char *iso,
               OmDate     *date)
{
  guint y, m, d;
  GDate gd;

  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return FALSE;

  y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
  m = (iso[5] - '0') * 10 + (iso[6] - '0');
  d = (iso[8] - '0') * 10 + (iso[9] - '0');

  if (y < 1 || !g_date_valid_dmy (d, m, y))
    return FALSE;

  g_date_clear (&gd, 1);
  g_date_set_dmy (&gd, d, m, y);
  if (!om_date_is_valid (g_date_get_julian (&gd)))
    return FALSE;
  *date = g_date_get_julian (&gd);
  return TRUE;
}

char *
om_date_to_iso (OmDate date)
{
  GDate gd;

  if (date == 0 || !g_date_valid_julian (date))
    return g_strdup ("");
  g_date_clear (&gd, 1);
  g_date_set_julian (&gd, date);
  return g_strdup_printf ("%04u-%02u-%02u",
                          g_date_get_year (&gd),
                          g_date_get_month (&gd),
                          g_date_get_day (&gd));
}

/**
 * om_date_format:
 *
 * Returns: the date in the user's locale, as a medium-length date.
 */
char *
om_date_format (OmDate date)
{
  GDate gd;
  char buf[128];

  if (date == 0 || !g_date_valid_julian (date))
    return g_strdup ("");
  g_date_clear (&gd, 1);
  g_date_set_julian (&gd, date);
  /* Translators: a date as shown to the user (strftime format); put the
   * parts in your language's order */
  if (g_date_strftime (buf, sizeof buf, C_("date", "%e %b %Y"), &gd) == 0)
    return om_date_to_iso (date);
  return g_strstrip (g_strdup (buf));
}

/**
 * om_date_today:
 *
 * The local calendar day. Tests and scripted runs can pin it with
 * om_date_set_today() or the `OM_TODAY=YYYY-MM-DD` environment variable,
 * because "overdue" depends on it.
 */
OmDate
om_date_today (void)
{
  const char *env;
  GDate gd;
  OmDate parsed;

  if (today_override != 0)
    return today_override;

  env = g_getenv ("OM_TODAY");
  if (env != NULL && om_date_parse (env, &parsed))
    return parsed;

  g_date_clear (&gd, 1);
  g_date_set_time_t (&gd, time (NULL));
  return g_date_get_julian (&gd);
}

void
om_date_set_today (OmDate today)
{
  today_override = today;
}

/**
 * om_date_add_days:
 *
 * Returns: @date plus @days; past %OM_DATE_MAX it stays past it (never
 *   wraps around), so that validation can refuse it.
 */
OmDate
om_date_add_days (OmDate date,
                  guint  days)
{
  if (date > G_MAXUINT32 - days)
    return G_MAXUINT32;
  return date + days;
}

/**
 * om_money_parse:
 * @text: a non-negative decimal with at most two fraction digits
 * @minor: (out): the amount in minor units (cents)
 */
gboolean
om_money_parse (const char *text,
                gint64     *minor)
{
  gint64 whole = 0;
  gint64 frac = 0;
  guint n_whole = 0, n_frac = 0;
  const char *p = text;

  if (text == NULL)
    return FALSE;

  for (; g_ascii_isdigit (*p); p++, n_whole++)
    {
      if (whole > (G_MAXINT64 / 100 - 9) / 10)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (n_whole == 0)
    return FALSE;
  if (*p == '.')
    {
      p++;
      for (; g_ascii_isdigit (*p); p++, n_frac++)
        {
          if (n_frac >= 2)
            return FALSE;
          frac = frac * 10 + (*p - '0');
        }
      if (n_frac == 0)
        return FALSE;
      if (n_frac == 1)
        frac *= 10;
    }
  if (*p != '\0')
    return FALSE;

  *minor = whole * 100 + frac;
  return TRUE;
}

char *
om_money_to_string (gint64 minor)
{
  g_return_val_if_fail (minor >= 0, g_strdup ("0.00"));

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d",
                          minor / 100, (int) (minor % 100));
}

gboolean
om_currency_is_valid (const char *currency)
{
  return currency != NULL && strlen (currency) == 3 &&
         g_ascii_isupper (currency[0]) && g_ascii_isupper (currency[1]) &&
         g_ascii_isupper (currency[2]);
}

char *
om_strdup_trimmed (const char *str)
{
  return g_strstrip (g_strdup (str ? str : ""));
}

gboolean
om_str_is_blank (const char *str)
{
  /* most text starts with a visible ASCII character */
  if (str != NULL && (guchar) *str > ' ' && (guchar) *str < 0x7f)
    return FALSE;
  for (; str && *str; str = g_utf8_next_char (str))
    if (!g_unichar_isspace (g_utf8_get_char (str)))
      return FALSE;
  return TRUE;
}

static void
append_escaped_char (GString  *out,
                     gunichar  c)
{
  switch (c)
    {
    case '\n':
      g_string_append (out, "\\n");
      break;
    case '\r':
      g_string_append (out, "\\r");
      break;
    case '\t':
      g_string_append (out, "\\t");
      break;
    case '\\':
      g_string_append (out, "\\\\");
      break;
    default:
      /* C0, DEL, C1 and the Unicode line and paragraph separators: each
       * could start a new line or a terminal escape sequence; the
       * bidirectional embeddings, overrides and isolates could make the
       * rest of the line read in another order than it is */
      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029 ||
          (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
        {
          if (c <= 0xff)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_printf (out, "\\u%04x", c);
        }
      else
        g_string_append_unichar (out, c);
    }
}

/* Escapes at most @max_chars characters of @text; invalid UTF-8 bytes
 * count as one character each and show as \xNN. */
static char *
escape (const char *text,
        gsize       max_chars,
        gboolean   *clipped)
{
  GString *out = g_string_new (NULL);
  const char *p = text ? text : "";
  gsize n = 0;

  *clipped = FALSE;
  while (*p != '\0')
    {
      gunichar c;

      if (n == max_chars)
        {
          *clipped = TRUE;
          break;
        }
      c = g_utf8_get_char_validated (p, -1);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
        }
      else
        {
          append_escaped_char (out, c);
          p = g_utf8_next_char (p);
        }
      n++;
    }
  return g_string_free (out, FALSE);
}

/**
 * om_text_escape_line:
 * @text: any bytes, possibly not UTF-8
 *
 * Returns: @text on one line, for a terminal or a log: control
 *   characters and invalid UTF-8 shown escaped (\n, \t, \x1b), backslashes
 *   doubled so that the escapes cannot be confused with the text.
 */
char *
om_text_escape_line (const char *text)
{
  gboolean clipped;

  return escape (text, G_MAXSIZE, &clipped);
}

/**
 * om_text_excerpt:
 * @text: a value someone typed or a document held, possibly huge
 *
 * What a message quotes of a value: at most %OM_TEXT_EXCERPT_CHARS of
 * its characters, escaped as om_text_escape_line() does, and an ellipsis
 * when there was more.
 */
char *
om_text_excerpt (const char *text)
{
  gboolean clipped;
  char *excerpt = escape (text, OM_TEXT_EXCERPT_CHARS, &clipped);

  if (clipped)
    {
      char *longer = g_strconcat (excerpt, "…", NULL);

      g_free (excerpt);
      return longer;
    }
  return excerpt;
}

/**
 * om_text_has_long_word:
 * @text: a text shown in full, possibly huge
 *
 * Whether @text holds a run of more than %OM_TEXT_LONG_WORD_CHARS
 * characters without white space. Pango wraps such a run by word (and
 * then by character) in time that grows with the square of its length:
 * a description that is one 100,000-character word took minutes to lay
 * out. A text that has one is wrapped by character instead.
 */
gboolean
om_text_has_long_word (const char *text)
{
  gsize run = 0;

  for (const char *p = text ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        run = 0;
      else if (++run > OM_TEXT_LONG_WORD_CHARS)
        return TRUE;
    }
  return FALSE;
}
