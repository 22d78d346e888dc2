/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "om-export-file.h"
#include "om-json.h"

/*
 * The JSON exchange format of SPEC section 6. Reading is strict on
 * purpose: a document is either taken whole or refused with a message
 * that names the JSON path of the first problem, so that a person can
 * find and fix it. Writing produces the same document again after a
 * round trip, ids and revisions aside.
 *
 * Version 2 adds the schedule (agreed dates, the target date, the
 * baseline and the schedule history). A version 1 document is read as
 * it always was: the keys of version 2 are unknown keys in it.
 */

#define FORMAT_V1    "oppmanager/1"
#define FORMAT_V2    "oppmanager/2"

/* Our documents nest five levels deep; anything much deeper is not one
 * of ours, and json-glib 1.6 recurses without a limit. */
#define MAX_DEPTH    32

#define MAX_DURATION 36500

/* The model's own limit, so that a value it would refuse is refused here
 * with a message about the value. */
#define MAX_VALUE    (G_MAXINT64 / 1000)

G_DEFINE_QUARK (om-json-error-quark, om_json_error)

static gboolean fail (GError     **error,
                      OmJsonError  code,
                      const char  *path,
                      const char  *format,
                      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError     **error,
      OmJsonError  code,
      const char  *path,
      const char  *format,
      ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: where the problem is in the document (a JSON path such
   * as opportunities[0].stages[2].status, or a line and column), then
   * what the problem is */
  g_set_error (error, OM_JSON_ERROR, code, _("%s: %s"), path, detail);
  return FALSE;
}

/**
 * om_json_format_number:
 *
 * A number as the JSON export writes it (a probability, say): as short
 * as it can be written and still read back exactly, 0.8 and not
 * 0.80000000000000004, whatever the locale. The other exports (CSV)
 * write numbers with it so that they say the same.
 *
 * Returns: (transfer full): the number
 */
char *
om_json_format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}

/* Syntax
 *
 * json-glib 1.6 is lenient where a strict importer must not be: it
 * accepts text after the document, comments, single quotes, hexadecimal
 * numbers and repeated keys (keeping the last), silently wraps integers
 * that do not fit, fails on some errors without saying why, and crashes
 * on deep nesting. So the text is first checked against the JSON grammar
 * (RFC 8259) here, and json-glib only builds the tree of a document
 * known to be well-formed.
 */

typedef struct
{
  const char *p;
  const char *end;
  const char *line_start;
  guint       line;
  guint       depth;
} Scanner;

static gboolean scan_value (Scanner  *s,
                            GError  **error);

static gboolean syntax_error (const Scanner  *s,
                              GError        **error,
                              const char     *format,
                              ...) G_GNUC_PRINTF (3, 4);

static gboolean
syntax_error (const Scanner  *s,
              GError        **error,
              const char     *format,
              ...)
{
  va_list args;
  g_autofree char *detail = NULL;
  glong column = g_utf8_strlen (s->line_start, s->p - s->line_start) + 1;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: where a syntax error is, then what it is */
  g_set_error (error, OM_JSON_ERROR, OM_JSON_ERROR_SYNTAX,
               _("line %u, column %ld: %s"), s->line, column, detail);
  return FALSE;
}

/* What the scanner sees, for "expected …, found …" */
static char *
describe_here (const Scanner *s)
{
  const char *q = s->p;
  gunichar c;

  if (s->p >= s->end)
    return g_strdup (_("the end of the document"));

  /* a bare word such as True, NaN or undefined, whole */
  while (q < s->end && (g_ascii_isalnum (*q) || *q == '_'))
    q++;
  if (q > s->p)
    return g_strdup_printf ("“%.*s”", (int) MIN (q - s->p, 20), s->p);

  c = g_utf8_get_char (s->p);
  if (c < 0x20 || c == 0x7f)
    return g_strdup_printf ("U+%04X", c);
  {
    g_autofree char *one = g_strndup (s->p, g_utf8_next_char (s->p) - s->p);
    g_autofree char *shown = om_text_excerpt (one);

    return g_strdup_printf ("“%s”", shown);
  }
}

static void
skip_whitespace (Scanner *s)
{
  for (; s->p < s->end; s->p++)
    {
      if (*s->p == '\n')
        {
          s->line++;
          s->line_start = s->p + 1;
        }
      else if (*s->p != ' ' && *s->p != '\t' && *s->p != '\r')
        break;
    }
}

static gboolean
at (const Scanner *s,
    char           c)
{
  return s->p < s->end && *s->p == c;
}

static gboolean
at_digit (const Scanner *s)
{
  return s->p < s->end && g_ascii_isdigit (*s->p);
}

static int
read_hex4 (const Scanner *s,
           const char    *from)
{
  int value = 0;

  if (s->end - from < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (from[i]))
        return -1;
      value = value * 16 + g_ascii_xdigit_value (from[i]);
    }
  return value;
}

/* @out: (nullable): receives the decoded text */
static gboolean
scan_string (Scanner  *s,
             GString  *out,
             GError  **error)
{
  Scanner start = *s;

  s->p++;
  for (;;)
    {
      const char *escape = s->p;
      gunichar c;

      if (s->p >= s->end)
        return syntax_error (&start, error,
                             _("this text in quotes is never closed: a closing \" is missing."));

      if (*s->p == '"')
        {
          s->p++;
          return TRUE;
        }

      if (*s->p == '\n')
        return syntax_error (s, error,
                             _("text in quotes cannot continue on the next line: "
                               "close it with \", or write the line break as \\n."));

      if ((guchar) *s->p < 0x20)
        return syntax_error (s, error,
                             _("a control character (U+%04X) in text must be written as an escape such as \\t."),
                             (guint) (guchar) *s->p);

      if (*s->p != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, *s->p);
          s->p++;
          continue;
        }

      s->p++;
      if (s->p >= s->end)
        return syntax_error (&start, error,
                             _("this text in quotes is never closed: a closing \" is missing."));

      switch (*s->p)
        {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          {
            int unit = read_hex4 (s, s->p + 1);

            s->p = escape;
            if (unit < 0)
              return syntax_error (s, error,
                                   _("“\\u” must be followed by four hexadecimal digits."));
            if (unit == 0)
              return syntax_error (s, error,
                                   _("the character \\u0000 is not allowed in text."));
            if (unit >= 0xDC00 && unit <= 0xDFFF)
              return syntax_error (s, error,
                                   _("“\\u%04X” is the second half of a character whose first half is missing."),
                                   (guint) unit);
            c = (gunichar) unit;
            s->p = escape + 6;
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                int low = -1;

                if (s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u')
                  low = read_hex4 (s, s->p + 2);
                if (low < 0xDC00 || low > 0xDFFF)
                  {
                    s->p = escape;
                    return syntax_error (s, error,
                                         _("“\\u%04X” is the first half of a character and must be followed by its second half, \\uDC00 to \\uDFFF."),
                                         (guint) unit);
                  }
                c = 0x10000 + (((gunichar) unit - 0xD800) << 10) + ((gunichar) low - 0xDC00);
                s->p += 6;
              }
            if (out != NULL)
              g_string_append_unichar (out, c);
            continue;
          }
        default:
          {
            g_autofree char *written = NULL;
            g_autofree char *found = NULL;

            s->p = escape;
            written = g_strndup (escape, g_utf8_next_char (escape + 1) - escape);
            found = om_text_excerpt (written);
            return syntax_error (s, error,
                                 _("“%s” is not an escape: use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t, "
                                   "or \\u and four hexadecimal digits."),
                                 found);
          }
        }

      if (out != NULL)
        g_string_append_c (out, (char) c);
      s->p++;
    }
}

static gboolean
scan_number (Scanner  *s,
             GError  **error)
{
  Scanner start = *s;
  gboolean integer = TRUE;
  gboolean too_large;
  g_autofree char *number = NULL;

  if (at (s, '-'))
    s->p++;
  if (!at_digit (s))
    return syntax_error (s, error, _("expected a digit after “-”."));
  if (at (s, '0'))
    {
      s->p++;
      if (at_digit (s))
        return syntax_error (&start, error,
                             _("a number cannot begin with 0 followed by other digits."));
    }
  while (at_digit (s))
    s->p++;

  if (at (s, '.'))
    {
      integer = FALSE;
      s->p++;
      if (!at_digit (s))
        return syntax_error (s, error, _("expected a digit after the decimal point."));
      while (at_digit (s))
        s->p++;
    }

  if (at (s, 'e') || at (s, 'E'))
    {
      integer = FALSE;
      s->p++;
      if (at (s, '+') || at (s, '-'))
        s->p++;
      if (!at_digit (s))
        return syntax_error (s, error, _("expected a digit in the exponent."));
      while (at_digit (s))
        s->p++;
    }

  /* json-glib would wrap these around, or make them infinite */
  number = g_strndup (start.p, s->p - start.p);
  if (integer)
    {
      errno = 0;
      g_ascii_strtoll (number, NULL, 10);
      too_large = errno == ERANGE;
    }
  else
    too_large = isinf (g_ascii_strtod (number, NULL));
  if (too_large)
    {
      g_autofree char *shown = om_text_excerpt (number);
      return syntax_error (&start, error, _("the number %s is too large."), shown);
    }

  return TRUE;
}

static gboolean
scan_literal (Scanner     *s,
              const char  *word,
              GError     **error)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || strncmp (s->p, word, len) != 0)
    {
      g_autofree char *found = describe_here (s);
      return syntax_error (s, error, _("expected a value, found %s."), found);
    }
  s->p += len;
  return TRUE;
}

static gboolean
enter (Scanner  *s,
       GError  **error)
{
  if (++s->depth > MAX_DEPTH)
    return syntax_error (s, error, _("the document is nested too deeply."));
  s->p++;
  return TRUE;
}

static gboolean
scan_object (Scanner  *s,
             GError  **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!enter (s, error))
    return FALSE;

  skip_whitespace (s);
  if (at (s, '}'))
    {
      s->p++;
      s->depth--;
      return TRUE;
    }

  for (;;)
    {
      g_autoptr(GString) key = g_string_new (NULL);
      Scanner at_key;

      skip_whitespace (s);
      if (!at (s, '"'))
        {
          g_autofree char *found = describe_here (s);
          return syntax_error (s, error, _("expected a key in double quotes, found %s."), found);
        }

      at_key = *s;
      if (!scan_string (s, key, error))
        return FALSE;
      if (!g_hash_table_add (keys, g_strdup (key->str)))
        {
          g_autofree char *shown = om_text_excerpt (key->str);
          return syntax_error (&at_key, error,
                               _("the key “%s” appears twice in the same object."), shown);
        }

      skip_whitespace (s);
      if (!at (s, ':'))
        {
          g_autofree char *found = describe_here (s);
          return syntax_error (s, error, _("expected “:” after the key, found %s."), found);
        }
      s->p++;

      if (!scan_value (s, error))
        return FALSE;

      skip_whitespace (s);
      if (at (s, '}'))
        break;
      if (!at (s, ','))
        {
          g_autofree char *found = describe_here (s);
          return syntax_error (s, error,
                               _("expected “,” or “}” after a member of an object, found %s."), found);
        }
      s->p++;
      skip_whitespace (s);
      if (at (s, '}'))
        return syntax_error (s, error, _("a comma must be followed by another member: remove the comma before “}”."));
    }

  s->p++;
  s->depth--;
  return TRUE;
}

static gboolean
scan_array (Scanner  *s,
            GError  **error)
{
  if (!enter (s, error))
    return FALSE;

  skip_whitespace (s);
  if (at (s, ']'))
    {
      s->p++;
      s->depth--;
      return TRUE;
    }

  for (;;)
    {
      if (!scan_value (s, error))
        return FALSE;

      skip_whitespace (s);
      if (at (s, ']'))
        break;
      if (!at (s, ','))
        {
          g_autofree char *found = describe_here (s);
          return syntax_error (s, error,
                               _("expected “,” or “]” after an element of a list, found %s."), found);
        }
      s->p++;
      skip_whitespace (s);
      if (at (s, ']'))
        return syntax_error (s, error, _("a comma must be followed by another element: remove the comma before “]”."));
    }

  s->p++;
  s->depth--;
  return TRUE;
}

static gboolean
scan_value (Scanner  *s,
            GError  **error)
{
  skip_whitespace (s);
  if (s->p >= s->end)
    return syntax_error (s, error, _("expected a value, found the end of the document."));

  switch (*s->p)
    {
    case '{':
      return scan_object (s, error);
    case '[':
      return scan_array (s, error);
    case '"':
      return scan_string (s, NULL, error);
    case 't':
      return scan_literal (s, "true", error);
    case 'f':
      return scan_literal (s, "false", error);
    case 'n':
      return scan_literal (s, "null", error);
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s, error);
      {
        g_autofree char *found = describe_here (s);
        return syntax_error (s, error, _("expected a value, found %s."), found);
      }
    }
}

static gboolean
check_syntax (const char  *text,
              gsize        length,
              GError     **error)
{
  Scanner s = { text, text + length, text, 1, 0 };

  skip_whitespace (&s);
  if (s.p >= s.end)
    return syntax_error (&s, error, _("the document is empty."));
  if (!scan_value (&s, error))
    return FALSE;
  skip_whitespace (&s);
  if (s.p < s.end)
    {
      g_autofree char *found = describe_here (&s);
      return syntax_error (&s, error, _("the document should end here, but %s follows."), found);
    }
  return TRUE;
}

static gboolean
check_encoding (const char  *text,
                gsize        length,
                GError     **error)
{
  const char *bad;
  const char *line_start = text;
  guint line = 1;

  if (g_utf8_validate (text, (gssize) length, &bad))
    return TRUE;

  for (const char *p = text; p < bad; p++)
    if (*p == '\n')
      {
        line++;
        line_start = p + 1;
      }

  g_set_error (error, OM_JSON_ERROR, OM_JSON_ERROR_ENCODING,
               _("line %u, column %ld (byte offset %lu): the document is not valid UTF-8 text. "
                 "Save it as UTF-8 and try again."),
               line, g_utf8_strlen (line_start, bad - line_start) + 1, (gulong) (bad - text));
  return FALSE;
}

/* Reading the tree */

typedef enum
{
  SHAPE_DOCUMENT,
  SHAPE_OPPORTUNITY,
  SHAPE_STAGE,
  SHAPE_HISTORY,
  SHAPE_SCHEDULE,
  SHAPE_TEMPLATE,
  SHAPE_TEMPLATE_STAGE,
} Shape;

static const char * const document_keys[] = {
  "format", "opportunities", "templates", NULL
};
static const char * const opportunity_keys[] = {
  "id", "title", "client", "coordinator", "value", "currency", "start_date", "status",
  "chain_probability", "notes", "stages", "history", NULL
};
static const char * const opportunity_keys_v2[] = {
  "id", "title", "client", "coordinator", "value", "currency", "start_date", "target_date", "status",
  "chain_probability", "close_date", "baseline_close_date", "pushes", "revision", "notes", "stages",
  "history", "schedule_history", NULL
};
static const char * const stage_keys[] = {
  "activity", "milestone", "kind", "owner", "client_owner", "duration_days", "probability",
  "status", "decided_on", "lost_reason", "client_description", "notes", "due_date", NULL
};
static const char * const stage_keys_v2[] = {
  "activity", "milestone", "kind", "owner", "client_owner", "duration_days", "probability",
  "status", "decided_on", "lost_reason", "agreed_date", "client_description", "notes", "due_date",
  "baseline_due_date", NULL
};
static const char * const history_keys[] = {
  "stage", "from", "to", "on", "note", NULL
};
static const char * const schedule_keys[] = {
  "on", "what", "stage", "from", "to", "note", NULL
};
static const char * const template_keys[] = {
  "name", "stages", NULL
};
static const char * const template_stage_keys[] = {
  "activity", "milestone", "kind", "duration_days", "probability", "client_description", NULL
};

/* An object of the document being read, and where it is */
typedef struct
{
  JsonObject *object;
  const char *path;
  Shape       shape;
  guint       version;     /* of the format: 1 or 2 */
} Members;

static const char * const *
shape_keys (Shape shape,
            guint version)
{
  switch (shape)
    {
    case SHAPE_DOCUMENT:
      return document_keys;
    case SHAPE_OPPORTUNITY:
      return version >= 2 ? opportunity_keys_v2 : opportunity_keys;
    case SHAPE_STAGE:
      return version >= 2 ? stage_keys_v2 : stage_keys;
    case SHAPE_HISTORY:
      return history_keys;
    case SHAPE_SCHEDULE:
      return schedule_keys;
    case SHAPE_TEMPLATE:
      return template_keys;
    case SHAPE_TEMPLATE_STAGE:
    default:
      return template_stage_keys;
    }
}

static char *
member_path (const char *parent,
             const char *key)
{
  if (parent == NULL || *parent == '\0')
    return g_strdup (key);
  return g_strdup_printf ("%s.%s", parent, key);
}

static char *
element_path (const char *parent,
              const char *key,
              guint       index)
{
  if (parent == NULL || *parent == '\0')
    return g_strdup_printf ("%s[%u]", key, index);
  return g_strdup_printf ("%s.%s[%u]", parent, key, index);
}

static const char *
describe_node (JsonNode *node)
{
  GType type;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("a list");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return _("text");
  if (type == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? "true" : "false";
  return _("a number");
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static double
number_of (JsonNode *node)
{
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return json_node_get_double (node);
}

/* Optimal string alignment distance, for "did you mean" */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *d = g_new0 (guint, (la + 1) * (lb + 1));

#define D(i, j) d[(i) * (lb + 1) + (j)]
  for (gsize i = 0; i <= la; i++)
    D (i, 0) = i;
  for (gsize j = 0; j <= lb; j++)
    D (0, j) = j;
  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
        guint best = MIN (D (i - 1, j) + 1, D (i, j - 1) + 1);

        best = MIN (best, D (i - 1, j - 1) + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, D (i - 2, j - 2) + 1);
        D (i, j) = best;
      }
  return D (la, lb);
#undef D
}

static const char *
closest_key (const char * const *keys,
             const char         *key)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;
  gsize len = strlen (key);

  if (len > 64)
    return NULL;
  for (guint i = 0; keys[i] != NULL; i++)
    {
      guint distance = edit_distance (keys[i], key);
      if (distance < best_distance)
        {
          best = keys[i];
          best_distance = distance;
        }
    }

  if (best_distance == 0 || (best_distance == 1 && len >= 2) || (best_distance == 2 && len >= 5))
    return best;
  return NULL;
}

static gboolean
fail_unknown (const Members  *m,
              const char     *key,
              GError        **error)
{
  const char * const *keys = shape_keys (m->shape, m->version);
  g_autofree char *shown = om_text_excerpt (key);
  g_autofree char *path = member_path (m->path, shown);
  g_autofree char *list = g_strjoinv (", ", (char **) keys);
  const char *suggestion = closest_key (keys, key);

  /* the usual mistake: a key of the schedule in a document that still
   * says it is of the first version */
  if (m->version < 2 && g_strv_contains (shape_keys (m->shape, 2), key))
    return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                 _("unknown key in an \"%s\" document; it is a key of \"%s\": "
                   "change the document's format to that to use it."),
                 FORMAT_V1, FORMAT_V2);

  if (suggestion != NULL)
    return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                 _("unknown key; did you mean “%s”?"), suggestion);

  switch (m->shape)
    {
    case SHAPE_DOCUMENT:
      return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                   _("unknown key; the document can only have %s."), list);
    case SHAPE_OPPORTUNITY:
      return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                   _("unknown key; an opportunity can only have %s."), list);
    case SHAPE_STAGE:
      return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                   _("unknown key; a stage can only have %s."), list);
    case SHAPE_HISTORY:
      return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                   _("unknown key; a history entry can only have %s."), list);
    case SHAPE_SCHEDULE:
      return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                   _("unknown key; a schedule history entry can only have %s."), list);
    case SHAPE_TEMPLATE:
      return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                   _("unknown key; a template can only have %s."), list);
    case SHAPE_TEMPLATE_STAGE:
    default:
      return fail (error, OM_JSON_ERROR_UNKNOWN_KEY, path,
                   _("unknown key; a stage of a template can only have %s."), list);
    }
}

static gboolean
fail_missing (const Members  *m,
              const char     *key,
              GError        **error)
{
  g_autofree char *path = member_path (m->path, key);

  switch (m->shape)
    {
    case SHAPE_DOCUMENT:
      return fail (error, OM_JSON_ERROR_MISSING_KEY, path,
                   _("missing; the document needs this key."));
    case SHAPE_OPPORTUNITY:
      return fail (error, OM_JSON_ERROR_MISSING_KEY, path,
                   _("missing; every opportunity needs this key."));
    case SHAPE_HISTORY:
      return fail (error, OM_JSON_ERROR_MISSING_KEY, path,
                   _("missing; every history entry needs this key."));
    case SHAPE_SCHEDULE:
      return fail (error, OM_JSON_ERROR_MISSING_KEY, path,
                   _("missing; every schedule history entry needs this key."));
    case SHAPE_TEMPLATE:
      return fail (error, OM_JSON_ERROR_MISSING_KEY, path,
                   _("missing; every template needs this key."));
    case SHAPE_STAGE:
    case SHAPE_TEMPLATE_STAGE:
    default:
      return fail (error, OM_JSON_ERROR_MISSING_KEY, path,
                   _("missing; every stage needs this key."));
    }
}

static gboolean
check_keys (const Members  *m,
            GError        **error)
{
  g_autoptr(GList) names = json_object_get_members (m->object);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (shape_keys (m->shape, m->version), l->data))
      return fail_unknown (m, l->data, error);
  return TRUE;
}

static gboolean
want_object (JsonNode    *node,
             const char  *path,
             GError     **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  return fail (error, OM_JSON_ERROR_TYPE, path,
               _("expected an object in braces, found %s."), describe_node (node));
}

/* Each getter leaves @out untouched when the key is absent, so the
 * defaults are those of the freshly made model structs. */

static gboolean
lookup (const Members  *m,
        const char     *key,
        gboolean        required,
        JsonNode      **node,
        GError        **error)
{
  *node = json_object_get_member (m->object, key);
  if (*node == NULL && required)
    return fail_missing (m, key, error);
  return TRUE;
}

static gboolean
get_string (const Members  *m,
            const char     *key,
            gboolean        required,
            char          **out,
            GError        **error)
{
  JsonNode *node;

  if (!lookup (m, key, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!is_string (node))
    {
      g_autofree char *path = member_path (m->path, key);
      return fail (error, OM_JSON_ERROR_TYPE, path,
                   _("expected text in double quotes, found %s."), describe_node (node));
    }

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* A string that must say something: a title, a client, an activity… */
static gboolean
get_text (const Members  *m,
          const char     *key,
          char          **out,
          GError        **error)
{
  if (!get_string (m, key, TRUE, out, error))
    return FALSE;

  if (om_str_is_blank (*out))
    {
      g_autofree char *path = member_path (m->path, key);
      return fail (error, OM_JSON_ERROR_VALUE, path,
                   _("this text is empty, and it must say something."));
    }
  return TRUE;
}

static gboolean
get_date (const Members  *m,
          const char     *key,
          gboolean        required,
          OmDate         *out,
          GError        **error)
{
  g_autofree char *text = NULL;

  if (!get_string (m, key, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  if (!om_date_parse (text, out))
    {
      g_autofree char *path = member_path (m->path, key);
      g_autofree char *shown = om_text_excerpt (text);
      return fail (error, OM_JSON_ERROR_VALUE, path,
                   _("“%s” is not a date: write a real day from 0001-01-01 to 9999-12-31 as YYYY-MM-DD, "
                     "such as 2026-01-31."),
                   shown);
    }
  return TRUE;
}

/* A date that may be null (no date): 0 for null */
static gboolean
get_date_or_null (const Members  *m,
                  const char     *key,
                  gboolean        required,
                  OmDate         *out,
                  GError        **error)
{
  JsonNode *node;

  if (!lookup (m, key, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = 0;
      return TRUE;
    }
  if (!is_string (node))
    {
      g_autofree char *path = member_path (m->path, key);
      return fail (error, OM_JSON_ERROR_TYPE, path,
                   _("expected a date in double quotes, or null, found %s."), describe_node (node));
    }
  return get_date (m, key, required, out, error);
}

/* A date that the document may give, or null, but that is worked out anew */
static gboolean
check_ignored_date (const Members  *m,
                    const char     *key,
                    GError        **error)
{
  JsonNode *node;

  if (!lookup (m, key, FALSE, &node, error))
    return FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || is_string (node))
    return TRUE;

  {
    g_autofree char *path = member_path (m->path, key);
    return fail (error, OM_JSON_ERROR_TYPE, path,
                 _("expected a date in double quotes, or null, found %s."), describe_node (node));
  }
}

/* @present: (nullable): whether the key is there */
static gboolean
get_number (const Members  *m,
            const char     *key,
            gboolean        required,
            double         *out,
            gboolean       *present,
            GError        **error)
{
  JsonNode *node;

  if (present != NULL)
    *present = FALSE;
  if (!lookup (m, key, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!is_number (node))
    {
      g_autofree char *path = member_path (m->path, key);
      return fail (error, OM_JSON_ERROR_TYPE, path,
                   _("expected a number, without quotes, found %s."), describe_node (node));
    }

  *out = number_of (node);
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

static gboolean
is_whole (double value)
{
  return isfinite (value) && floor (value) == value;
}

/* An integer that the document may give but that is worked out anew */
static gboolean
check_ignored_integer (const Members  *m,
                       const char     *key,
                       GError        **error)
{
  double value = 0;
  gboolean present;

  if (!get_number (m, key, FALSE, &value, &present, error))
    return FALSE;
  if (present && !is_whole (value))
    {
      g_autofree char *path = member_path (m->path, key);
      g_autofree char *text = om_json_format_number (value);
      return fail (error, OM_JSON_ERROR_VALUE, path, _("%s is not a whole number."), text);
    }
  return TRUE;
}

static gboolean
get_array (const Members  *m,
           const char     *key,
           gboolean        required,
           JsonArray     **out,
           GError        **error)
{
  JsonNode *node;

  *out = NULL;
  if (!lookup (m, key, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *path = member_path (m->path, key);
      return fail (error, OM_JSON_ERROR_TYPE, path,
                   _("expected a list in square brackets, found %s."), describe_node (node));
    }
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
get_kind (const Members  *m,
          OmStageKind    *out,
          GError        **error)
{
  g_autofree char *text = NULL;

  if (!get_string (m, "kind", FALSE, &text, error))
    return FALSE;
  if (text != NULL && !om_stage_kind_from_string (text, out))
    {
      g_autofree char *path = member_path (m->path, "kind");
      g_autofree char *shown = om_text_excerpt (text);
      return fail (error, OM_JSON_ERROR_VALUE, path,
                   _("“%s” is not a kind of stage; use standard, process-agreement or feasibility-study."),
                   shown);
    }
  return TRUE;
}

static gboolean
get_status (const Members  *m,
            const char     *key,
            gboolean        required,
            OmStageStatus  *out,
            GError        **error)
{
  g_autofree char *text = NULL;

  if (!get_string (m, key, required, &text, error))
    return FALSE;
  if (text != NULL && !om_stage_status_from_string (text, out))
    {
      g_autofree char *path = member_path (m->path, key);
      g_autofree char *shown = om_text_excerpt (text);
      return fail (error, OM_JSON_ERROR_VALUE, path,
                   _("“%s” is not a stage status; use pending, won or lost."), shown);
    }
  return TRUE;
}

static gboolean
get_duration (const Members  *m,
              guint          *out,
              GError        **error)
{
  double value = 0;
  gboolean present;

  if (!get_number (m, "duration_days", FALSE, &value, &present, error))
    return FALSE;
  if (!present)
    return TRUE;

  if (!is_whole (value) || value < 0 || value > MAX_DURATION)
    {
      g_autofree char *path = member_path (m->path, "duration_days");
      g_autofree char *text = om_json_format_number (value);
      return fail (error, OM_JSON_ERROR_VALUE, path,
                   _("%s is not a duration: use a whole number of days from 0 to 36500."), text);
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
get_probability (const Members  *m,
                 double         *out,
                 GError        **error)
{
  double value = 0;
  gboolean present;

  if (!get_number (m, "probability", FALSE, &value, &present, error))
    return FALSE;
  if (!present)
    return TRUE;

  if (!(value >= 0.0 && value <= 1.0))
    {
      g_autofree char *path = member_path (m->path, "probability");
      g_autofree char *text = om_json_format_number (value);
      return fail (error, OM_JSON_ERROR_VALUE, path,
                   _("%s is not a probability: use a number from 0 to 1, such as 0.8."), text);
    }
  /* + 0.0 turns -0 into 0, which writes back the same way */
  *out = value + 0.0;
  return TRUE;
}

static gboolean
get_value (const Members  *m,
           gint64         *out,
           GError        **error)
{
  JsonNode *node;
  g_autofree char *path = NULL;
  g_autofree char *shown = NULL;
  const char *text;
  gint64 minor;

  if (!lookup (m, "value", FALSE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  path = member_path (m->path, "value");
  if (!is_string (node))
    return fail (error, OM_JSON_ERROR_TYPE, path,
                 _("expected the amount as text in double quotes, such as \"1250000.00\", found %s."),
                 describe_node (node));

  text = json_node_get_string (node);
  shown = om_text_excerpt (text);
  if (text[0] == '-')
    return fail (error, OM_JSON_ERROR_VALUE, path,
                 _("“%s” is negative; the value must be zero or more."), shown);
  if (!om_money_parse (text, &minor))
    {
      gsize n_whole = strspn (text, "0123456789");

      if (n_whole > 15 && (text[n_whole] == '\0' || text[n_whole] == '.'))
        return fail (error, OM_JSON_ERROR_VALUE, path, _("“%s” is too large an amount."), shown);
      return fail (error, OM_JSON_ERROR_VALUE, path,
                   _("“%s” is not an amount: write digits with at most two decimals after a point, such as \"1250000.00\"."),
                   shown);
    }
  if (minor > MAX_VALUE)
    return fail (error, OM_JSON_ERROR_VALUE, path, _("“%s” is too large an amount."), shown);

  *out = minor;
  return TRUE;
}

static gboolean
get_currency (const Members  *m,
              char          **out,
              GError        **error)
{
  if (!get_string (m, "currency", FALSE, out, error))
    return FALSE;
  if (!om_currency_is_valid (*out))
    {
      g_autofree char *path = member_path (m->path, "currency");
      g_autofree char *shown = om_text_excerpt (*out);
      return fail (error, OM_JSON_ERROR_VALUE, path,
                   _("“%s” is not a currency code: use three capital letters, such as EUR."), shown);
    }
  return TRUE;
}

/* The key of the document that holds a field of the model */
static const char *
field_key (OmField field)
{
  switch (field)
    {
    case OM_FIELD_TITLE: return "title";
    case OM_FIELD_CLIENT: return "client";
    case OM_FIELD_VALUE: return "value";
    case OM_FIELD_CURRENCY: return "currency";
    case OM_FIELD_START_DATE: return "start_date";
    case OM_FIELD_HISTORY: return "history";
    case OM_FIELD_ACTIVITY: return "activity";
    case OM_FIELD_MILESTONE: return "milestone";
    case OM_FIELD_DURATION: return "duration_days";
    case OM_FIELD_PROBABILITY: return "probability";
    case OM_FIELD_STATUS: return "status";
    case OM_FIELD_DECIDED_ON: return "decided_on";
    case OM_FIELD_LOST_REASON: return "lost_reason";
    case OM_FIELD_ENTRY_STAGE: return "stage";
    case OM_FIELD_ENTRY_FROM: return "from";
    case OM_FIELD_ENTRY_TO: return "to";
    case OM_FIELD_ENTRY_ON: return "on";
    case OM_FIELD_TARGET_DATE: return "target_date";
    case OM_FIELD_AGREED_DATE: return "agreed_date";
    case OM_FIELD_BASELINE_DUE: return "baseline_due_date";
    case OM_FIELD_SCHEDULE_STAGE: return "stage";
    case OM_FIELD_SCHEDULE_FROM: return "from";
    case OM_FIELD_SCHEDULE_TO: return "to";
    case OM_FIELD_SCHEDULE_ON: return "on";
    case OM_FIELD_NONE:
    default:
      return NULL;
    }
}

/* The list of the document a field of the model is in, if any: a
 * stage's, a history entry's or a schedule history entry's */
static const char *
field_list (OmField field)
{
  switch (field)
    {
    case OM_FIELD_ACTIVITY:
    case OM_FIELD_MILESTONE:
    case OM_FIELD_DURATION:
    case OM_FIELD_PROBABILITY:
    case OM_FIELD_STATUS:
    case OM_FIELD_DECIDED_ON:
    case OM_FIELD_LOST_REASON:
    case OM_FIELD_AGREED_DATE:
    case OM_FIELD_BASELINE_DUE:
      return "stages";
    case OM_FIELD_ENTRY_STAGE:
    case OM_FIELD_ENTRY_FROM:
    case OM_FIELD_ENTRY_TO:
    case OM_FIELD_ENTRY_ON:
      return "history";
    case OM_FIELD_SCHEDULE_STAGE:
    case OM_FIELD_SCHEDULE_FROM:
    case OM_FIELD_SCHEDULE_TO:
    case OM_FIELD_SCHEDULE_ON:
      return "schedule_history";
    case OM_FIELD_TITLE:
    case OM_FIELD_CLIENT:
    case OM_FIELD_VALUE:
    case OM_FIELD_CURRENCY:
    case OM_FIELD_START_DATE:
    case OM_FIELD_HISTORY:
    case OM_FIELD_TARGET_DATE:
    case OM_FIELD_NONE:
    default:
      return NULL;
    }
}

/* Where in the document the model found a rule broken, under @path (an
 * opportunity's or a template's): opportunities[0].stages[2].status,
 * opportunities[0].history[1].from, opportunities[0].schedule_history[0].on,
 * opportunities[0].history... */
static char *
violation_path (const char        *path,
                const OmViolation *v)
{
  const char *key = field_key (v->field);
  const char *list = field_list (v->field);
  g_autofree char *parent = NULL;

  if (list != NULL && g_str_equal (list, "stages"))
    {
      if (v->stage >= 0)
        parent = element_path (path, list, (guint) v->stage);
    }
  else if (list != NULL)
    {
      if (v->entry >= 0)
        parent = element_path (path, list, (guint) v->entry);
    }
  else if (v->entry >= 0 && v->field == OM_FIELD_NONE)
    parent = element_path (path, "history", (guint) v->entry);

  if (parent == NULL)
    parent = g_strdup (path);
  return key != NULL ? member_path (parent, key) : g_steal_pointer (&parent);
}

static OmStageData *
parse_stage (JsonNode    *node,
             const char  *path,
             gboolean     template,
             guint        version,
             GError     **error)
{
  g_autoptr(OmStageData) stage = om_stage_data_new ("", "");
  Members m = { NULL, path, template ? SHAPE_TEMPLATE_STAGE : SHAPE_STAGE, version };
  g_autofree char *due_date = NULL;

  if (!want_object (node, path, error))
    return NULL;
  m.object = json_node_get_object (node);

  /* The keys a template's stage may not have are refused here, so the
   * getters below find them only in an opportunity's stage. */
  if (!check_keys (&m, error) ||
      !get_text (&m, "activity", &stage->activity, error) ||
      !get_text (&m, "milestone", &stage->milestone, error) ||
      !get_kind (&m, &stage->kind, error) ||
      !get_string (&m, "owner", FALSE, &stage->owner, error) ||
      !get_string (&m, "client_owner", FALSE, &stage->client_owner, error) ||
      !get_duration (&m, &stage->duration_days, error) ||
      !get_probability (&m, &stage->probability, error) ||
      !get_status (&m, "status", FALSE, &stage->status, error) ||
      !get_date (&m, "decided_on", FALSE, &stage->decided_on, error) ||
      !get_string (&m, "lost_reason", FALSE, &stage->lost_reason, error) ||
      /* version 2 (check_keys refused them in version 1); on which
       * stages they may be is for the model to judge */
      !get_date (&m, "agreed_date", FALSE, &stage->agreed_on, error) ||
      !get_string (&m, "client_description", FALSE, &stage->client_description, error) ||
      !get_string (&m, "notes", FALSE, &stage->notes, error) ||
      /* derived: checked for its type, then worked out anew */
      !get_string (&m, "due_date", FALSE, &due_date, error) ||
      !get_date (&m, "baseline_due_date", FALSE, &stage->baseline_due, error))
    return NULL;

  /* a blank reason says nothing; whether the stage may have a reason at
   * all is for the model to judge */
  if (om_str_is_blank (stage->lost_reason))
    {
      g_free (stage->lost_reason);
      stage->lost_reason = g_strdup ("");
    }

  return g_steal_pointer (&stage);
}

/* The "stage" of a history entry at @path is a stage's index: whether
 * that stage exists is for the model to judge */
static gboolean
check_stage_index (const char *path,
                   double      stage,
                   GError    **error)
{
  g_autofree char *key_path = NULL;
  g_autofree char *text = NULL;

  if (is_whole (stage) && stage >= 0 && stage <= G_MAXINT)
    return TRUE;
  key_path = member_path (path, "stage");
  text = om_json_format_number (stage);
  fail (error, OM_JSON_ERROR_VALUE, key_path,
        _("%s is not the index of a stage: the stages are numbered from 0 (the first)."), text);
  return FALSE;
}

static OmHistoryEntry *
parse_history_entry (JsonNode    *node,
                     const char  *path,
                     GError     **error)
{
  Members m = { NULL, path, SHAPE_HISTORY };
  double stage = 0;
  OmStageStatus from = OM_STAGE_STATUS_PENDING;
  OmStageStatus to = OM_STAGE_STATUS_PENDING;
  OmDate on = 0;
  g_autofree char *note = NULL;

  if (!want_object (node, path, error))
    return NULL;
  m.object = json_node_get_object (node);

  if (!check_keys (&m, error) ||
      !get_number (&m, "stage", TRUE, &stage, NULL, error))
    return NULL;

  /* whether there is such a stage, and whether the entry fits the
   * others, is for the model to judge */
  if (!check_stage_index (path, stage, error))
    return NULL;

  if (!get_status (&m, "from", TRUE, &from, error) ||
      !get_status (&m, "to", TRUE, &to, error) ||
      !get_date (&m, "on", TRUE, &on, error) ||
      !get_string (&m, "note", FALSE, &note, error))
    return NULL;

  return om_history_entry_new ((guint) stage, from, to, on, note);
}

static OmScheduleEntry *
parse_schedule_entry (JsonNode    *node,
                      const char  *path,
                      GError     **error)
{
  Members m = { NULL, path, SHAPE_SCHEDULE, 2 };
  g_autofree char *what_text = NULL;
  OmScheduleWhat what = OM_SCHEDULE_AGREED_DATE;
  double stage = -1;
  gboolean has_stage = FALSE;
  OmDate from = 0;
  OmDate to = 0;
  OmDate on = 0;
  g_autofree char *note = NULL;
  OmScheduleEntry *entry;

  if (!want_object (node, path, error))
    return NULL;
  m.object = json_node_get_object (node);

  if (!check_keys (&m, error) ||
      !get_date (&m, "on", TRUE, &on, error) ||
      !get_string (&m, "what", TRUE, &what_text, error))
    return NULL;

  if (!om_schedule_what_from_string (what_text, &what))
    {
      g_autofree char *key_path = member_path (path, "what");
      g_autofree char *shown = om_text_excerpt (what_text);

      fail (error, OM_JSON_ERROR_VALUE, key_path,
            _("“%s” is not a change of the schedule; use agreed-date, close-date, baseline or fold."), shown);
      return NULL;
    }

  /* an agreed date is always a stage's; whether there is such a stage,
   * and whether an entry about the whole plan may name one, is for the
   * model to judge */
  if (!get_number (&m, "stage", FALSE, &stage, &has_stage, error))
    return NULL;
  if (!has_stage && what == OM_SCHEDULE_AGREED_DATE)
    {
      g_autofree char *key_path = member_path (path, "stage");

      fail (error, OM_JSON_ERROR_MISSING_KEY, key_path,
            _("missing; an agreed-date entry names the stage whose date was agreed."));
      return NULL;
    }
  if (has_stage && !check_stage_index (path, stage, error))
    return NULL;

  if (!get_date_or_null (&m, "from", TRUE, &from, error) ||
      !get_date_or_null (&m, "to", TRUE, &to, error) ||
      !get_string (&m, "note", FALSE, &note, error))
    return NULL;

  entry = om_schedule_entry_new (what, has_stage ? (int) stage : -1, from, to, on, note);
  /* as the document says, even on an entry about the whole plan */
  entry->stage = has_stage ? (int) stage : -1;
  return entry;
}

/* R6 for a document written by hand: one entry per decision it shows,
 * on its date. The model refuses decided dates that go backwards along
 * the chain (R5), so the chain's order is the order of the dates. */
static void
synthesize_history (OmOpportunityData *data)
{
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);

      if (stage->status == OM_STAGE_STATUS_PENDING)
        continue;
      g_ptr_array_add (data->history,
                       om_history_entry_new (i, OM_STAGE_STATUS_PENDING, stage->status, stage->decided_on,
                                             /* Translators: the note of a decision that came
                                              * with an imported document, without its history */
                                             _("Imported")));
    }
}

static gboolean
opportunity_status_from_string (const char          *text,
                                OmOpportunityStatus *status)
{
  for (OmOpportunityStatus s = OM_OPPORTUNITY_STATUS_OPEN; s <= OM_OPPORTUNITY_STATUS_LOST; s++)
    if (g_strcmp0 (text, om_opportunity_status_to_string (s)) == 0)
      {
        *status = s;
        return TRUE;
      }
  return FALSE;
}

static OmOpportunityData *
parse_opportunity (JsonNode    *node,
                   const char  *path,
                   guint        version,
                   GError     **error)
{
  g_autoptr(OmOpportunityData) data = om_opportunity_data_new ("", "", 0);
  g_autoptr(GError) invalid = NULL;
  OmViolation violation;
  Members m = { NULL, path, SHAPE_OPPORTUNITY, version };
  g_autofree char *status_text = NULL;
  OmOpportunityStatus status = OM_OPPORTUNITY_STATUS_OPEN;
  OmOpportunityStatus derived;
  double chain_probability = 0;
  JsonArray *stages;
  JsonArray *history;
  JsonArray *schedule;

  if (!want_object (node, path, error))
    return NULL;
  m.object = json_node_get_object (node);

  if (!check_keys (&m, error) ||
      /* ids are given anew on import */
      !check_ignored_integer (&m, "id", error) ||
      !get_text (&m, "title", &data->title, error) ||
      !get_text (&m, "client", &data->client, error) ||
      !get_string (&m, "coordinator", FALSE, &data->coordinator, error) ||
      !get_value (&m, &data->value, error) ||
      !get_currency (&m, &data->currency, error) ||
      !get_date (&m, "start_date", TRUE, &data->start_date, error) ||
      /* version 2 (check_keys refused it in version 1) */
      !get_date (&m, "target_date", FALSE, &data->target_date, error) ||
      !get_string (&m, "status", FALSE, &status_text, error))
    return NULL;

  if (status_text != NULL && !opportunity_status_from_string (status_text, &status))
    {
      g_autofree char *key_path = member_path (path, "status");
      g_autofree char *shown = om_text_excerpt (status_text);
      fail (error, OM_JSON_ERROR_VALUE, key_path,
            _("“%s” is not the status of an opportunity; use open, won or lost."), shown);
      return NULL;
    }

  if (!get_number (&m, "chain_probability", FALSE, &chain_probability, NULL, error) ||
      /* version 2's derived values: checked for their type, then worked
       * out anew (check_keys refused them in version 1) */
      !check_ignored_date (&m, "close_date", error) ||
      !check_ignored_date (&m, "baseline_close_date", error) ||
      !check_ignored_integer (&m, "pushes", error) ||
      !check_ignored_integer (&m, "revision", error) ||
      !get_string (&m, "notes", FALSE, &data->notes, error) ||
      !get_array (&m, "stages", FALSE, &stages, error) ||
      !get_array (&m, "history", FALSE, &history, error) ||
      !get_array (&m, "schedule_history", FALSE, &schedule, error))
    return NULL;

  for (guint i = 0; stages != NULL && i < json_array_get_length (stages); i++)
    {
      g_autofree char *stage_path = element_path (path, "stages", i);
      OmStageData *stage = parse_stage (json_array_get_element (stages, i), stage_path, FALSE, version, error);

      if (stage == NULL)
        return NULL;
      g_ptr_array_add (data->stages, stage);
    }

  if (history == NULL)
    synthesize_history (data);
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      g_autofree char *entry_path = element_path (path, "history", i);
      OmHistoryEntry *entry = parse_history_entry (json_array_get_element (history, i), entry_path, error);
      if (entry == NULL)
        return NULL;
      g_ptr_array_add (data->history, entry);
    }

  /* R6: unlike decisions, a schedule history cannot be told from the
   * plan; without one, the plan was never re-planned */
  for (guint i = 0; schedule != NULL && i < json_array_get_length (schedule); i++)
    {
      g_autofree char *entry_path = element_path (path, "schedule_history", i);
      OmScheduleEntry *entry = parse_schedule_entry (json_array_get_element (schedule, i), entry_path, error);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (data->schedule, entry);
    }

  /* The model is the one judge of the rules; it says where it looked */
  if (!om_opportunity_data_validate_full (data, &violation, &invalid))
    {
      g_autofree char *where = violation_path (path, &violation);

      fail (error, OM_JSON_ERROR_RULE, where, "%s", invalid->message);
      return NULL;
    }

  /* R1: the status is derived; a document may only repeat it */
  derived = om_opportunity_data_get_status (data);
  if (status_text != NULL && status != derived)
    {
      g_autofree char *key_path = member_path (path, "status");
      fail (error, OM_JSON_ERROR_RULE, key_path,
            _("the document says “%s”, but its stages make the opportunity %s: the status follows from the stages "
              "(won only when every stage is won, lost when one is lost)."),
            status_text, om_opportunity_status_to_string (derived));
      return NULL;
    }

  return g_steal_pointer (&data);
}

static OmTemplateData *
parse_template (JsonNode    *node,
                const char  *path,
                GError     **error)
{
  g_autoptr(OmTemplateData) data = om_template_data_new ("");
  g_autoptr(GError) invalid = NULL;
  OmViolation violation;
  Members m = { NULL, path, SHAPE_TEMPLATE };
  JsonArray *stages;

  if (!want_object (node, path, error))
    return NULL;
  m.object = json_node_get_object (node);

  if (!check_keys (&m, error) ||
      !get_text (&m, "name", &data->name, error) ||
      !get_array (&m, "stages", FALSE, &stages, error))
    return NULL;

  for (guint i = 0; stages != NULL && i < json_array_get_length (stages); i++)
    {
      g_autofree char *stage_path = element_path (path, "stages", i);
      OmStageData *stage = parse_stage (json_array_get_element (stages, i), stage_path, TRUE, 1, error);

      if (stage == NULL)
        return NULL;
      g_ptr_array_add (data->stages, stage);
    }

  if (!om_template_data_validate_full (data, &violation, &invalid))
    {
      g_autofree char *where = violation_path (path, &violation);

      /* a template's name stands where an opportunity's title does */
      if (violation.field == OM_FIELD_TITLE)
        where = member_path (path, "name");
      fail (error, OM_JSON_ERROR_RULE, where, "%s", invalid->message);
      return NULL;
    }

  return g_steal_pointer (&data);
}

static gboolean
parse_document (JsonNode   *root,
                GPtrArray  *opportunities,
                GPtrArray  *templates,
                GError    **error)
{
  Members m = { NULL, "", SHAPE_DOCUMENT, 1 };
  JsonNode *format;
  JsonArray *opportunity_nodes;
  JsonArray *template_nodes;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, OM_JSON_ERROR_FORMAT, _("top level"),
                 _("this is not an Opportunity Manager document: expected an object with "
                   "\"format\": \"%s\", found %s."), FORMAT_V2, describe_node (root));
  m.object = json_node_get_object (root);

  /* Before anything else: a document that is not ours, or from a newer
   * version, would otherwise be refused for its first unknown key. */
  format = json_object_get_member (m.object, "format");
  if (format == NULL)
    return fail (error, OM_JSON_ERROR_FORMAT, "format",
                 _("missing; this is not an Opportunity Manager document, which starts with "
                   "\"format\": \"%s\"."), FORMAT_V2);
  if (!is_string (format))
    return fail (error, OM_JSON_ERROR_FORMAT, "format",
                 _("expected the text \"%s\" or \"%s\", found %s."), FORMAT_V2, FORMAT_V1,
                 describe_node (format));
  if (g_strcmp0 (json_node_get_string (format), FORMAT_V2) == 0)
    m.version = 2;
  else if (g_strcmp0 (json_node_get_string (format), FORMAT_V1) != 0)
    {
      g_autofree char *shown = om_text_excerpt (json_node_get_string (format));
      return fail (error, OM_JSON_ERROR_FORMAT, "format",
                   _("“%s” is not a format this version can read; it reads \"%s\" and \"%s\"."),
                   shown, FORMAT_V2, FORMAT_V1);
    }

  /* Version 2 also shares templates alone: a document of only
   * "templates" (the template manager's export) */
  if (!check_keys (&m, error) ||
      !get_array (&m, "opportunities",
                  m.version < 2 || !json_object_has_member (m.object, "templates"),
                  &opportunity_nodes, error) ||
      !get_array (&m, "templates", FALSE, &template_nodes, error))
    return FALSE;

  for (guint i = 0; opportunity_nodes != NULL && i < json_array_get_length (opportunity_nodes); i++)
    {
      g_autofree char *path = element_path ("", "opportunities", i);
      OmOpportunityData *data = parse_opportunity (json_array_get_element (opportunity_nodes, i), path,
                                                   m.version, error);

      if (data == NULL)
        return FALSE;
      g_ptr_array_add (opportunities, data);
    }

  for (guint i = 0; template_nodes != NULL && i < json_array_get_length (template_nodes); i++)
    {
      g_autofree char *path = element_path ("", "templates", i);
      OmTemplateData *data = parse_template (json_array_get_element (template_nodes, i), path, error);

      if (data == NULL)
        return FALSE;
      g_ptr_array_add (templates, data);

      /* the repository replaces a template by name: two of the same name
       * in one document would leave it to chance which one wins */
      for (guint j = 0; j < i; j++)
        {
          const OmTemplateData *other = g_ptr_array_index (templates, j);

          if (g_strcmp0 (other->name, data->name) == 0)
            {
              g_autofree char *name_path = member_path (path, "name");
              g_autofree char *shown = om_text_excerpt (data->name);
              return fail (error, OM_JSON_ERROR_RULE, name_path,
                           _("templates[%u] already has the name “%s”; each template needs a name of its own."),
                           j, shown);
            }
        }
    }

  return TRUE;
}

/**
 * om_json_parse:
 * @text: the document
 * @length: its length in bytes, or -1 if it ends with a nul byte
 * @opportunities: (out) (transfer container) (element-type OmOpportunityData):
 *   the opportunities, without ids
 * @templates: (out) (transfer container) (element-type OmTemplateData): the templates
 *
 * Reads a whole `oppmanager/2` or `oppmanager/1` document (SPEC
 * section 6), checking the rules of SPEC section 3 on the way. All or
 * nothing: on error both outs are %NULL, and the message starts with
 * where the problem is.
 */
gboolean
om_json_parse (const char  *text,
               gssize       length,
               GPtrArray  **opportunities,
               GPtrArray  **templates,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) opps = NULL;
  g_autoptr(GPtrArray) tmpls = NULL;
  g_autoptr(GError) local = NULL;
  gsize len;

  if (opportunities != NULL)
    *opportunities = NULL;
  if (templates != NULL)
    *templates = NULL;
  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  len = length < 0 ? strlen (text) : (gsize) length;
  if (!check_encoding (text, len, error))
    return FALSE;

  /* a byte-order mark says nothing in UTF-8 */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      len -= 3;
    }

  if (!check_syntax (text, len, error))
    return FALSE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      guint line, column;
      int consumed = 0;

      /* not expected after check_syntax(), but json-glib has the last word */
      g_autofree char *reason = om_text_excerpt (local != NULL ? local->message : _("no reason given"));

      if (local != NULL &&
          sscanf (local->message, "<data>:%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
        {
          g_free (reason);
          reason = om_text_excerpt (local->message + consumed);
          g_set_error (error, OM_JSON_ERROR, OM_JSON_ERROR_SYNTAX,
                       _("line %u, column %u: %s"), line, column, reason);
        }
      else
        g_set_error (error, OM_JSON_ERROR, OM_JSON_ERROR_SYNTAX,
                     _("line 1, column 1: the document is not valid JSON (%s)."), reason);
      return FALSE;
    }

  opps = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  tmpls = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  if (!parse_document (json_parser_get_root (parser), opps, tmpls, error))
    return FALSE;

  if (opportunities != NULL)
    *opportunities = g_steal_pointer (&opps);
  if (templates != NULL)
    *templates = g_steal_pointer (&tmpls);
  return TRUE;
}

/* Standard input, whole: what `--export=-` of another database gives */
static gboolean
parse_standard_input (GPtrArray **opportunities,
                      GPtrArray **templates,
                      GError    **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  const char *data;
  gsize size;

  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &local) < 0)
    {
      g_autofree char *message = om_text_escape_line (local->message);

      g_set_error (error, OM_JSON_ERROR, OM_JSON_ERROR_IO, _("Could not read standard input: %s"), message);
      return FALSE;
    }
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  data = g_bytes_get_data (bytes, &size);
  return om_json_parse (data != NULL ? data : "", (gssize) size, opportunities, templates, error);
}

/**
 * om_json_parse_file:
 * @path: a file, or `-` for standard input
 *
 * Like om_json_parse(), for the document in the file at @path.
 */
gboolean
om_json_parse_file (const char  *path,
                    GPtrArray  **opportunities,
                    GPtrArray  **templates,
                    GError     **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  if (strcmp (path, "-") == 0)
    return parse_standard_input (opportunities, templates, error);
  file = g_file_new_for_path (path);
  return om_json_parse_gfile (file, opportunities, templates, error);
}

/**
 * om_json_parse_gfile:
 *
 * Like om_json_parse_file(), for a file anywhere GIO reaches (what a
 * file chooser or a file manager gives).
 */
gboolean
om_json_parse_gfile (GFile      *file,
                     GPtrArray **opportunities,
                     GPtrArray **templates,
                     GError    **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  gsize length;

  if (opportunities != NULL)
    *opportunities = NULL;
  if (templates != NULL)
    *templates = NULL;
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* GIO's message names the file and says why */
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local))
    {
      /* the file's name may hold anything */
      g_autofree char *message = om_text_escape_line (local->message);

      g_set_error_literal (error, OM_JSON_ERROR, OM_JSON_ERROR_IO, message);
      return FALSE;
    }

  return om_json_parse (contents, (gssize) length, opportunities, templates, error);
}

/* Writing */

typedef struct
{
  GString *out;
  guint    depth;
  gboolean first;     /* nothing written yet in the open container */
} Writer;

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_autofree char *valid = NULL;

  /* whatever the database holds, the document stays readable */
  if (!g_utf8_validate (str, -1, NULL))
    str = valid = g_utf8_make_valid (str, -1);

  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
writer_newline (Writer *w)
{
  g_string_append_c (w->out, '\n');
  for (guint i = 0; i < w->depth; i++)
    g_string_append (w->out, "  ");
}

/* @key: (nullable): %NULL for an element of a list */
static void
writer_key (Writer     *w,
            const char *key)
{
  if (w->depth > 0)
    {
      if (!w->first)
        g_string_append_c (w->out, ',');
      writer_newline (w);
    }
  w->first = FALSE;
  if (key != NULL)
    {
      append_json_string (w->out, key);
      g_string_append (w->out, ": ");
    }
}

static void
writer_open (Writer     *w,
             const char *key,
             char        bracket)
{
  writer_key (w, key);
  g_string_append_c (w->out, bracket);
  w->depth++;
  w->first = TRUE;
}

static void
writer_close (Writer *w,
              char    bracket)
{
  gboolean empty = w->first;

  w->depth--;
  if (!empty)
    writer_newline (w);
  g_string_append_c (w->out, bracket);
  w->first = FALSE;
}

static void
writer_string (Writer     *w,
               const char *key,
               const char *value)
{
  writer_key (w, key);
  append_json_string (w->out, value != NULL ? value : "");
}

static void
writer_date (Writer     *w,
             const char *key,
             OmDate      date)
{
  g_autofree char *iso = om_date_to_iso (date);

  writer_string (w, key, iso);
}

/* 0, no date, is written as null */
static void
writer_date_or_null (Writer     *w,
                     const char *key,
                     OmDate      date)
{
  if (date != 0)
    writer_date (w, key, date);
  else
    {
      writer_key (w, key);
      g_string_append (w->out, "null");
    }
}

static void
writer_int (Writer     *w,
            const char *key,
            gint64      value)
{
  writer_key (w, key);
  g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
}

static void
writer_double (Writer     *w,
               const char *key,
               double      value)
{
  g_autofree char *text = NULL;

  /* JSON has no infinities; the model never makes them */
  if (!isfinite (value))
    value = 0;
  text = om_json_format_number (value);
  writer_key (w, key);
  g_string_append (w->out, text);
}

static void
write_plan_stage (Writer            *w,
                  const OmStageData *stage,
                  gboolean           template)
{
  writer_string (w, "activity", stage->activity);
  writer_string (w, "milestone", stage->milestone);
  writer_string (w, "kind", om_stage_kind_to_string (stage->kind));
  if (!template)
    {
      writer_string (w, "owner", stage->owner);
      writer_string (w, "client_owner", stage->client_owner);
    }
  writer_int (w, "duration_days", stage->duration_days);
  writer_double (w, "probability", stage->probability);
}

static void
write_opportunity (Writer                  *w,
                   const OmOpportunityData *data)
{
  g_autofree char *value = om_money_to_string (data->value);
  g_autofree OmDate *dues = om_opportunity_data_get_due_dates (data);
  OmDerivedValues derived;

  /* the model's one derivation: nothing here is worked out again */
  om_opportunity_data_derive (data, &derived);

  writer_open (w, NULL, '{');
  writer_int (w, "id", data->id);
  writer_string (w, "title", data->title);
  writer_string (w, "client", data->client);
  writer_string (w, "coordinator", data->coordinator);
  writer_string (w, "value", value);
  writer_string (w, "currency", data->currency);
  writer_date (w, "start_date", data->start_date);
  if (data->target_date != 0)
    writer_date (w, "target_date", data->target_date);
  writer_string (w, "status", om_opportunity_status_to_string (derived.status));
  writer_double (w, "chain_probability", derived.chain_probability);
  writer_date_or_null (w, "close_date", derived.close_date);
  writer_date_or_null (w, "baseline_close_date", derived.baseline_close_date);
  writer_int (w, "pushes", derived.pushes);
  writer_int (w, "revision", data->revision);
  writer_string (w, "notes", data->notes);

  writer_open (w, "stages", '[');
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);

      writer_open (w, NULL, '{');
      write_plan_stage (w, stage, FALSE);
      writer_string (w, "status", om_stage_status_to_string (stage->status));
      if (stage->status != OM_STAGE_STATUS_PENDING)
        writer_date (w, "decided_on", stage->decided_on);
      if (stage->status == OM_STAGE_STATUS_LOST)
        writer_string (w, "lost_reason", stage->lost_reason);
      if (stage->agreed_on != 0)
        writer_date (w, "agreed_date", stage->agreed_on);
      writer_string (w, "client_description", stage->client_description);
      writer_string (w, "notes", stage->notes);
      writer_date (w, "due_date", dues[i]);
      if (stage->baseline_due != 0)
        writer_date (w, "baseline_due_date", stage->baseline_due);
      writer_close (w, '}');
    }
  writer_close (w, ']');

  writer_open (w, "history", '[');
  for (guint i = 0; i < data->history->len; i++)
    {
      const OmHistoryEntry *entry = g_ptr_array_index (data->history, i);

      writer_open (w, NULL, '{');
      writer_int (w, "stage", entry->stage);
      writer_string (w, "from", om_stage_status_to_string (entry->from));
      writer_string (w, "to", om_stage_status_to_string (entry->to));
      writer_date (w, "on", entry->on);
      writer_string (w, "note", entry->note);
      writer_close (w, '}');
    }
  writer_close (w, ']');

  writer_open (w, "schedule_history", '[');
  for (guint i = 0; i < data->schedule->len; i++)
    {
      const OmScheduleEntry *entry = g_ptr_array_index (data->schedule, i);

      writer_open (w, NULL, '{');
      writer_date (w, "on", entry->on);
      writer_string (w, "what", om_schedule_what_to_string (entry->what));
      if (entry->what == OM_SCHEDULE_AGREED_DATE)
        writer_int (w, "stage", entry->stage);
      writer_date_or_null (w, "from", entry->from);
      writer_date_or_null (w, "to", entry->to);
      writer_string (w, "note", entry->note);
      writer_close (w, '}');
    }
  writer_close (w, ']');

  writer_close (w, '}');
}

static void
write_template (Writer               *w,
                const OmTemplateData *data)
{
  writer_open (w, NULL, '{');
  writer_string (w, "name", data->name);
  writer_open (w, "stages", '[');
  for (guint i = 0; i < data->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (data->stages, i);

      writer_open (w, NULL, '{');
      write_plan_stage (w, stage, TRUE);
      writer_string (w, "client_description", stage->client_description);
      writer_close (w, '}');
    }
  writer_close (w, ']');
  writer_close (w, '}');
}

/**
 * om_json_write:
 * @opportunities: (element-type OmOpportunityData): what to write
 * @templates: (element-type OmTemplateData) (nullable): likewise
 * @length: (out) (optional): the length of the document in bytes
 *
 * Writes an `oppmanager/2` document, indented by two spaces, with the
 * derived values (status, chain probability, close date, baseline close
 * date, pushes, due dates) filled in.
 *
 * Returns: (transfer full): the document, ending with a newline
 */
char *
om_json_write (GPtrArray *opportunities,
               GPtrArray *templates,
               gsize     *length)
{
  Writer w = { g_string_new (NULL), 0, TRUE };

  writer_open (&w, NULL, '{');
  writer_string (&w, "format", FORMAT_V2);

  writer_open (&w, "opportunities", '[');
  for (guint i = 0; opportunities != NULL && i < opportunities->len; i++)
    write_opportunity (&w, g_ptr_array_index (opportunities, i));
  writer_close (&w, ']');

  writer_open (&w, "templates", '[');
  for (guint i = 0; templates != NULL && i < templates->len; i++)
    write_template (&w, g_ptr_array_index (templates, i));
  writer_close (&w, ']');

  writer_close (&w, '}');
  g_string_append_c (w.out, '\n');

  if (length != NULL)
    *length = w.out->len;
  return g_string_free (w.out, FALSE);
}

/* The repository */

/**
 * om_json_import_file:
 *
 * Reads the document at @path and adds what it holds to @repository in
 * one edit (which can be undone), or adds nothing.
 *
 * Returns: (transfer full) (element-type gint64) (nullable): the new
 *   opportunities' ids, in the document's order
 */
GArray *
om_json_import_file (OmRepository  *repository,
                     const char    *path,
                     GError       **error)
{
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  g_return_val_if_fail (OM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!om_json_parse_file (path, &opportunities, &templates, error))
    return NULL;
  return om_repository_import (repository, opportunities, templates, error);
}

/**
 * om_json_import_gfile:
 *
 * Like om_json_import_file(), for a file anywhere GIO reaches.
 */
GArray *
om_json_import_gfile (OmRepository  *repository,
                      GFile         *file,
                      GError       **error)
{
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  g_return_val_if_fail (OM_IS_REPOSITORY (repository), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!om_json_parse_gfile (file, &opportunities, &templates, error))
    return NULL;
  return om_repository_import (repository, opportunities, templates, error);
}

/* Hands what the writer holds to @stream, so that it never holds more
 * than one opportunity */
static gboolean
writer_flush (Writer        *w,
              GOutputStream *stream,
              GError       **error)
{
  gboolean ok = g_output_stream_write_all (stream, w->out->str, w->out->len, NULL, NULL, error);

  g_string_truncate (w->out, 0);
  return ok;
}

typedef struct
{
  OmRepository  *repository;
  OmOpportunity *only;       /* the one to write, read already; or NULL for all */
  gboolean       templates_only;
} Export;

/* The one opportunity to export, read: what cannot be written is said
 * before anything is */
static gboolean
export_init (Export        *export,
             OmRepository  *repository,
             gint64         only_id,
             GError       **error)
{
  export->repository = repository;
  export->only = NULL;
  export->templates_only = FALSE;
  if (only_id <= 0)
    return TRUE;

  export->only = om_repository_find (repository, only_id);
  if (export->only == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, only_id);

      g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND,
                   _("There is no opportunity with id %s."), id);
      return FALSE;
    }
  return om_opportunity_load (export->only, error);
}

static gboolean
write_export (GOutputStream *stream,
              gpointer       user_data,
              GError       **error)
{
  const Export *export = user_data;
  Writer w = { g_string_new (NULL), 0, TRUE };
  g_autoptr(GString) out = w.out;
  GListModel *model;
  OmOpportunity *only = export->only;

  writer_open (&w, NULL, '{');
  writer_string (&w, "format", FORMAT_V2);
  /* a document of templates alone has no "opportunities" at all */
  if (!export->templates_only)
    {
      writer_open (&w, "opportunities", '[');
      if (only != NULL)
        write_opportunity (&w, om_opportunity_get_data (only));
      else
        {
          /* read one at a time, written, and let go: the repository keeps
           * only what is shown; the list is the export's own, and goes with
           * it */
          g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, NULL, OM_ORDER_ID);
          g_autoptr(OmOpportunityList) all = om_repository_list (export->repository, query);

          for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (all)); i++)
            {
              g_autoptr(OmOpportunity) opportunity = g_list_model_get_item (G_LIST_MODEL (all), i);
              g_autoptr(GError) local_error = NULL;

              if (!om_opportunity_load (opportunity, &local_error))
                {
                  /* removed by another program meanwhile: not part of the file any more */
                  if (g_error_matches (local_error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND))
                    continue;
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              write_opportunity (&w, om_opportunity_get_data (opportunity));
              if (w.out->len > 64 * 1024 && !writer_flush (&w, stream, error))
                return FALSE;
            }
        }
      writer_close (&w, ']');
    }

  writer_open (&w, "templates", '[');
  model = om_repository_get_templates (export->repository);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OmTemplate) template = g_list_model_get_item (model, i);

      if (!om_template_get_builtin (template))
        write_template (&w, om_template_get_data (template));
    }
  writer_close (&w, ']');
  writer_close (&w, '}');
  g_string_append_c (w.out, '\n');
  return writer_flush (&w, stream, error);
}

/**
 * om_json_export_file:
 * @path: where to write, as om_export_file_write() takes it ("-" is
 *   standard output)
 * @only_id: the id of the one opportunity to write, or 0 for all of them
 *
 * Writes the opportunities of @repository and its templates (but not
 * the built-in one) as an `oppmanager/2` document, one opportunity at a
 * time: a file of 100,000 is written in the memory of one. A failure
 * leaves no file.
 */
gboolean
om_json_export_file (OmRepository  *repository,
                     const char    *path,
                     gint64         only_id,
                     GError       **error)
{
  Export export;

  g_return_val_if_fail (OM_IS_REPOSITORY (repository), FALSE);

  return export_init (&export, repository, only_id, error) &&
         om_export_file_write (path, write_export, &export, error);
}

/**
 * om_json_export_templates_file:
 * @path: where to write, as om_json_export_file() takes it
 *
 * Writes the user's templates (not the built-in one) alone, as an
 * `oppmanager/2` document of only "templates", for sharing them.
 */
gboolean
om_json_export_templates_file (OmRepository  *repository,
                               const char    *path,
                               GError       **error)
{
  Export export;

  g_return_val_if_fail (OM_IS_REPOSITORY (repository), FALSE);

  export_init (&export, repository, 0, NULL);
  export.templates_only = TRUE;
  return om_export_file_write (path, write_export, &export, error);
}

/**
 * om_json_import_templates_gfile:
 * @n_imported: (out) (optional): how many templates it held
 *
 * Adds the templates of the document in @file to @repository in one
 * edit, as om_json_import_gfile() does, and nothing else: the
 * opportunities of a whole export are left out. A template with the
 * name of one already there replaces it. A document without templates
 * is refused.
 */
gboolean
om_json_import_templates_gfile (OmRepository  *repository,
                                GFile         *file,
                                guint         *n_imported,
                                GError       **error)
{
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GArray) created = NULL;

  g_return_val_if_fail (OM_IS_REPOSITORY (repository), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!om_json_parse_gfile (file, &opportunities, &templates, error))
    return FALSE;
  if (templates->len == 0)
    {
      g_set_error_literal (error, OM_JSON_ERROR, OM_JSON_ERROR_MISSING_KEY,
                           _("This document holds no templates."));
      return FALSE;
    }
  created = om_repository_import (repository, none, templates, error);
  if (created == NULL)
    return FALSE;
  if (n_imported != NULL)
    *n_imported = templates->len;
  return TRUE;
}

/**
 * om_json_export_repository:
 * @only_id: the id of the one opportunity to write, or 0 for all of them
 * @length: (out) (optional): the length of the document in bytes
 *
 * The document om_json_export_file() writes, in memory.
 *
 * Returns: (transfer full) (nullable): the document
 */
char *
om_json_export_repository (OmRepository  *repository,
                           gint64         only_id,
                           gsize         *length,
                           GError       **error)
{
  Export export;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();

  g_return_val_if_fail (OM_IS_REPOSITORY (repository), NULL);

  if (!export_init (&export, repository, only_id, error) ||
      !write_export (memory, &export, error) ||
      !g_output_stream_write_all (memory, "", 1, NULL, NULL, error) ||   /* the terminating NUL */
      !g_output_stream_close (memory, NULL, error))
    return NULL;
  if (length != NULL)
    *length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)) - 1;
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory));
}
