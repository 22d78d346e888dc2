/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <limits.h>
#include <locale.h>
#include <string.h>

#include "om-types.h"

G_DEFINE_QUARK (om-model-error-quark, om_model_error)

static OmDate today_override;

static const char *kind_names[] = { "standard", "process-agreement", "feasibility-study" };
static const char *status_names[] = { "pending", "won", "lost" };
static const char *opp_status_names[] = { "open", "won", "lost" };

/* The index of @str among the @n @names (an enum's value), or -1 */
static int
name_index (const char        *str,
            const char *const *names,
            guint              n)
{
  for (guint i = 0; str != NULL && i < n; i++)
    if (strcmp (str, names[i]) == 0)
      return (int) i;
  return -1;
}

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
  int i = name_index (str, kind_names, G_N_ELEMENTS (kind_names));

  if (i < 0)
    return FALSE;
  *kind = (OmStageKind) i;
  return TRUE;
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
  int i = name_index (str, status_names, G_N_ELEMENTS (status_names));

  if (i < 0)
    return FALSE;
  *status = (OmStageStatus) i;
  return TRUE;
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

static const char *const schedule_what_names[] = { "agreed-date", "close-date", "baseline", "fold" };

/* The name of @what in the exchange format (SPEC 6, version 2) */
const char *
om_schedule_what_to_string (OmScheduleWhat what)
{
  g_return_val_if_fail (what <= OM_SCHEDULE_FOLD, NULL);
  return schedule_what_names[what];
}

gboolean
om_schedule_what_from_string (const char     *str,
                              OmScheduleWhat *what)
{
  int i = name_index (str, schedule_what_names, G_N_ELEMENTS (schedule_what_names));

  if (i < 0)
    return FALSE;
  *what = (OmScheduleWhat) i;
  return TRUE;
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

/**
 * om_date_to_date_time:
 *
 * Returns: (transfer full) (nullable): noon of @date in local time, for
 *   a calendar widget; %NULL for no date (0)
 */
GDateTime *
om_date_to_date_time (OmDate date)
{
  GDate gd;

  if (date == 0 || !om_date_is_valid (date))
    return NULL;
  g_date_clear (&gd, 1);
  g_date_set_julian (&gd, date);
  return g_date_time_new_local (g_date_get_year (&gd), g_date_get_month (&gd), g_date_get_day (&gd), 12, 0, 0);
}

/**
 * om_date_from_date_time:
 *
 * Returns: the day of @date_time (as a calendar widget gives it)
 */
OmDate
om_date_from_date_time (GDateTime *date_time)
{
  GDate gd;

  g_date_clear (&gd, 1);
  g_date_set_dmy (&gd, (GDateDay) g_date_time_get_day_of_month (date_time),
                  (GDateMonth) g_date_time_get_month (date_time), (GDateYear) g_date_time_get_year (date_time));
  return g_date_get_julian (&gd);
}

/**
 * om_currency_decimals:
 *
 * Returns: how many decimals the currency's amounts have (ISO 4217):
 *   0 for the yen, 3 for the Kuwaiti dinar, 2 for most
 */
guint
om_currency_decimals (const char *currency)
{
  static const char *const none[] = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
    "XAF", "XOF", "XPF",
  };
  static const char *const three[] = { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };

  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (none); i++)
    if (strcmp (currency, none[i]) == 0)
      return 0;
  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (three); i++)
    if (strcmp (currency, three[i]) == 0)
      return 3;
  return 2;
}

/* The locale's monetary marks; the C locale has none: "." and no grouping */
typedef struct
{
  const char *decimal;
  const char *group;
  const char *grouping;
  gboolean    code_first;
  gboolean    code_spaced;
} Marks;

static void
money_marks (Marks *marks)
{
  const struct lconv *lc = localeconv ();

  marks->decimal = lc->mon_decimal_point != NULL && *lc->mon_decimal_point ? lc->mon_decimal_point : ".";
  marks->group = lc->mon_thousands_sep != NULL ? lc->mon_thousands_sep : "";
  marks->grouping = lc->mon_grouping != NULL ? lc->mon_grouping : "";
  /* where the international (ISO) code goes; unspecified: first */
  marks->code_first = lc->int_p_cs_precedes != 0;
  marks->code_spaced = lc->int_p_sep_by_space != 0 || lc->int_p_cs_precedes == CHAR_MAX;
}

/**
 * om_money_format_number:
 * @minor: an amount in hundredths, as the model keeps it
 * @currency: its currency, for its number of decimals
 *
 * The amount as the user's locale writes money, without the currency:
 * "1,250,000.00" in American English, "1.250.000,00" in German,
 * "1 250 000,00" in French, "1,250,000" for yen. Never for files or the
 * command line (om_money_to_string()).
 */
char *
om_money_format_number (gint64      minor,
                        const char *currency)
{
  guint decimals = om_currency_decimals (currency);
  gint64 whole = minor / 100;
  gint64 frac = minor % 100;          /* hundredths */
  g_autofree char *digits = NULL;
  GString *out = g_string_new (NULL);
  Marks marks;
  guint len, group, next;
  const char *grouping;

  g_return_val_if_fail (minor >= 0, g_strdup ("0"));

  money_marks (&marks);
  if (decimals == 0 && frac >= 50)
    whole++;                          /* the model keeps cents; the yen has none */
  digits = g_strdup_printf ("%" G_GINT64_FORMAT, whole);
  len = (guint) strlen (digits);

  /* the groups, from the right, as mon_grouping says: each byte a size,
   * the last repeated, CHAR_MAX or 0 for no more grouping */
  grouping = marks.grouping;
  group = *grouping > 0 && *grouping != CHAR_MAX && *marks.group ? (guint) *grouping : 0;
  {
    g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
    guint end = len;

    while (group > 0 && end > group)
      {
        g_ptr_array_insert (parts, 0, g_strndup (digits + end - group, group));
        end -= group;
        if (grouping[1] != 0)
          {
            grouping++;
            next = *grouping == CHAR_MAX ? 0 : (guint) *grouping;
            group = next;
          }
      }
    g_ptr_array_insert (parts, 0, g_strndup (digits, end));
    for (guint i = 0; i < parts->len; i++)
      {
        if (i > 0)
          g_string_append (out, marks.group);
        g_string_append (out, g_ptr_array_index (parts, i));
      }
  }

  if (decimals > 0)
    {
      g_string_append (out, marks.decimal);
      g_string_append_printf (out, "%02d", (int) frac);
      if (decimals == 3)
        g_string_append_c (out, '0');
    }
  return g_string_free (out, FALSE);
}

/**
 * om_money_format:
 *
 * Like om_money_format_number(), with the currency's code where the
 * locale puts it: "EUR 1,250,000.00" in American English,
 * "1.250.000,00 EUR" in German.
 */
char *
om_money_format (gint64      minor,
                 const char *currency)
{
  g_autofree char *number = om_money_format_number (minor, currency);
  Marks marks;
  /* a no-break space: the code never ends a line alone */
  const char *space = "\u00a0";

  money_marks (&marks);
  if (marks.code_first)
    return g_strconcat (currency, marks.code_spaced ? space : "", number, NULL);
  return g_strconcat (number, marks.code_spaced ? space : "", currency, NULL);
}

/* Whether @c, a character of an amount, separates its groups: the
 * locale's mark, or any space where the locale's mark is one */
static gboolean
is_group_mark (gunichar    c,
               const char *group)
{
  gunichar mark = *group ? g_utf8_get_char (group) : 0;

  if (mark == 0)
    return FALSE;
  if (c == mark)
    return TRUE;
  return g_unichar_isspace (mark) || mark == 0x202f || mark == 0xa0 ?
         (g_unichar_isspace (c) || c == 0x202f || c == 0xa0) : FALSE;
}

/**
 * om_money_parse_locale:
 * @currency: the amount's currency: its code may be typed with it, and
 *   it has as many decimals as this currency has (at most two)
 * @minor: (out): the amount in hundredths
 *
 * Reads an amount as the user's locale writes it ("1.250.000,50" in
 * German, "1,250,000.50" in American English, with or without the
 * currency's code) or as files write it ("1250000.50").
 *
 * Returns: %FALSE, with a message that shows what is expected in this
 *   locale, when @text is not an amount
 */
gboolean
om_money_parse_locale (const char  *text,
                       const char  *currency,
                       gint64      *minor,
                       GError     **error)
{
  g_autofree char *trimmed = om_strdup_trimmed (text);
  g_autoptr(GString) plain = g_string_new (NULL);
  guint decimals = MIN (om_currency_decimals (currency), 2);
  const char *p = trimmed;
  const char *dot;
  gboolean decimal_seen = FALSE;
  gboolean ok = TRUE;
  Marks marks;

  money_marks (&marks);

  /* the code, before or after, with spaces */
  if (currency != NULL && *currency && g_str_has_suffix (trimmed, currency))
    trimmed[strlen (trimmed) - strlen (currency)] = '\0';
  if (currency != NULL && *currency && g_str_has_prefix (p, currency))
    p += strlen (currency);
  while (*p != '\0' && is_group_mark (g_utf8_get_char (p), " "))
    p = g_utf8_next_char (p);
  g_strchomp (trimmed);
  while (*trimmed && g_str_has_suffix (trimmed, "\u00a0"))
    trimmed[strlen (trimmed) - strlen ("\u00a0")] = '\0';
  while (*trimmed && g_str_has_suffix (trimmed, "\u202f"))
    trimmed[strlen (trimmed) - strlen ("\u202f")] = '\0';

  /* As files write it ("1250000.50"), also where "." groups: there, a
   * single dot followed by one or two digits is a decimal point, by
   * three a group mark ("1.250") */
  dot = strchr (p, '.');
  if (strcmp (marks.group, ".") == 0 && strstr (p, marks.decimal) == NULL && dot != NULL &&
      strchr (dot + 1, '.') == NULL && strlen (dot + 1) <= 2)
    g_string_append (plain, p);
  else
    {
      /* groups as the locale makes them: the first of one digit up to
       * the group's size, every later one exactly that size */
      guint size = *marks.grouping > 0 && *marks.grouping != CHAR_MAX ? (guint) *marks.grouping : 3;
      guint run = 0;
      gboolean grouped = FALSE;

      for (; *p != '\0' && ok; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          gboolean decimal_mark = !decimal_seen && (g_str_has_prefix (p, marks.decimal) ||
                                                    (c == '.' && strcmp (marks.group, ".") != 0));

          if (g_ascii_isdigit (*p))
            {
              g_string_append_c (plain, *p);
              run++;
            }
          else if (decimal_mark)
            {
              ok = !grouped || run == size;
              g_string_append_c (plain, '.');
              decimal_seen = TRUE;
              if (g_str_has_prefix (p, marks.decimal))
                p += strlen (marks.decimal) - 1;
            }
          else if (!decimal_seen && is_group_mark (c, marks.group))
            {
              ok = run > 0 && (grouped ? run == size : run <= size);
              grouped = TRUE;
              run = 0;
            }
          else
            ok = FALSE;
        }
      if (!decimal_seen && grouped && run != size)
        ok = FALSE;
    }

  dot = strchr (plain->str, '.');
  if (ok && dot != NULL && strlen (dot + 1) > decimals)
    ok = FALSE;
  if (ok && om_money_parse (plain->str, minor))
    return TRUE;

  {
    g_autofree char *example = om_money_format_number (decimals == 0 ? 125000000 : 125000050, currency);
    g_autofree char *shown = om_text_excerpt (text);

    if (decimals == 0)
      g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_VALUE,
                   _("“%s” is not an amount in %s: write it as %s, without decimals."), shown, currency, example);
    else
      g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_VALUE,
                   _("“%s” is not an amount in %s: write it as %s, with at most two decimals."),
                   shown, currency, example);
  }
  return FALSE;
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
