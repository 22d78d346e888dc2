/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-fuzz"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "om-database.h"
#include "om-json.h"
#include "om-test-database.h"

/*
 * The import fuzzed (issue 8): thousands of documents, each made from a
 * random valid one by breaking it (byte flips, truncation, deep nesting,
 * huge numbers and strings, NUL bytes and invalid UTF-8, repeated keys,
 * values of the wrong type, and each rule of SPEC section 3 broken on
 * purpose), imported into a real SQLite database file.
 *
 * A refused document must be refused with one clean line. An accepted
 * one must export to a document that keeps every rule of SPEC section 3,
 * as checked here by reading the export with json-glib and replaying the
 * rules independently of the model (so that a mistake of the model's
 * validation shows), and that export must import and export again to the
 * same text. The file must open again at the end and hold the same.
 *
 * All randomness comes from GTest: a failure replays with --seed.
 * OM_FUZZ_DOCUMENTS=N runs more (or fewer) documents.
 */

#define N_DOCUMENTS 5000

static guint
rnd (guint n)
{
  return n == 0 ? 0 : (guint) g_test_rand_int_range (0, (gint32) n);
}

static gboolean
chance (guint percent)
{
  return rnd (100) < percent;
}

#define PICK(array) ((array)[rnd (G_N_ELEMENTS (array))])

/* Julian days, through GDate and not the model's helpers */
static guint32
julian (guint y,
        guint m,
        guint d)
{
  GDate gd;

  g_date_clear (&gd, 1);
  g_date_set_dmy (&gd, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_julian (&gd);
}

static char *
iso (guint32 day)
{
  GDate gd;

  g_date_clear (&gd, 1);
  g_date_set_julian (&gd, day);
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&gd), g_date_get_month (&gd), g_date_get_day (&gd));
}

/* Seeds: random valid documents */

static const char * const texts[] = {
  "Meet", "Process meeting", "Client agrees", "Café ☕", "Ünïcödé", "tab\there", "quote \" and \\ backslash",
  "line\nbreak", "\x1b[31mred\x1b[0m", "日本語のテキスト", "𝄞 clef", "x", "  padded  ", "\xc2\x85next line",
};

static void
add_string (JsonBuilder *b,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

static void
add_date (JsonBuilder *b,
          const char  *key,
          guint32      day)
{
  g_autofree char *text = iso (day);

  add_string (b, key, text);
}

static void
add_entry (JsonBuilder *b,
           guint        stage,
           const char  *from,
           const char  *to,
           guint32      on)
{
  json_builder_begin_object (b);
  add_int (b, "stage", stage);
  add_string (b, "from", from);
  add_string (b, "to", to);
  add_date (b, "on", on);
  if (chance (50))
    add_string (b, "note", PICK (texts));
  json_builder_end_object (b);
}

static void
build_opportunity (JsonBuilder *b)
{
  static const char * const kinds[] = { "standard", "process-agreement", "feasibility-study" };
  static const char * const currencies[] = { "EUR", "USD", "JPY", "CHF" };
  guint n = rnd (8);
  guint n_won = rnd (n + 1);
  gboolean lost = n_won < n && chance (30);
  guint32 start;
  guint32 decided[8];
  guint32 day;

  switch (rnd (20))
    {
    case 0:
      start = julian (1, 1, 1);
      break;
    case 1:
      /* near the end of the calendar, with room for short stages */
      start = julian (9999, 1, 1) + rnd (30);
      break;
    default:
      start = julian (2020, 1, 1) + rnd (3000);
    }

  json_builder_begin_object (b);
  if (chance (30))
    add_int (b, "id", rnd (1000));
  add_string (b, "title", PICK (texts));
  add_string (b, "client", PICK (texts));
  if (chance (50))
    add_string (b, "coordinator", PICK (texts));
  if (chance (70))
    {
      g_autofree char *value = g_strdup_printf ("%u.%02u", rnd (10000000), rnd (100));
      add_string (b, "value", value);
    }
  if (chance (70))
    add_string (b, "currency", PICK (currencies));
  add_date (b, "start_date", start);
  if (chance (40))
    add_string (b, "status", lost ? "lost" : n > 0 && n_won == n ? "won" : "open");
  if (chance (20))
    {
      json_builder_set_member_name (b, "chain_probability");
      json_builder_add_double_value (b, 0.25);
    }
  if (chance (50))
    add_string (b, "notes", PICK (texts));

  json_builder_set_member_name (b, "stages");
  json_builder_begin_array (b);
  day = start;
  for (guint i = 0; i < n; i++)
    {
      gboolean is_won = i < n_won;
      gboolean is_lost = lost && i == n_won;

      json_builder_begin_object (b);
      add_string (b, "activity", PICK (texts));
      add_string (b, "milestone", PICK (texts));
      if (chance (60))
        add_string (b, "kind", PICK (kinds));
      if (chance (60))
        add_string (b, "owner", PICK (texts));
      if (chance (30))
        add_string (b, "client_owner", PICK (texts));
      if (chance (80))
        add_int (b, "duration_days", chance (10) ? 0 : rnd (60));
      if (chance (80))
        {
          json_builder_set_member_name (b, "probability");
          json_builder_add_double_value (b, rnd (101) / 100.0);
        }
      if (is_won || is_lost)
        {
          day += rnd (5);
          decided[i] = day;
          add_string (b, "status", is_won ? "won" : "lost");
          add_date (b, "decided_on", day);
          if (is_lost)
            add_string (b, "lost_reason", PICK (texts));
        }
      else if (chance (30))
        add_string (b, "status", "pending");
      if (chance (30))
        add_string (b, "client_description", PICK (texts));
      if (chance (30))
        add_string (b, "notes", PICK (texts));
      if (chance (20))
        add_string (b, "due_date", "2026-01-01");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  /* a history that replays, with reopenings on the way; or none */
  if (chance (80))
    {
      guint32 last = start;

      json_builder_set_member_name (b, "history");
      json_builder_begin_array (b);
      for (guint i = 0; i < n_won + (lost ? 1 : 0); i++)
        {
          const char *to = i < n_won ? "won" : "lost";

          if (chance (20))
            {
              add_entry (b, i, "pending", to, decided[i]);
              add_entry (b, i, to, "pending", decided[i]);
            }
          add_entry (b, i, "pending", to, decided[i]);
          last = decided[i];
        }
      /* a pending stage that was won once, and reopened */
      if (n_won < n && !lost && chance (20))
        {
          add_entry (b, n_won, "pending", "won", last);
          add_entry (b, n_won, "won", "pending", last + rnd (3));
        }
      json_builder_end_array (b);
    }

  json_builder_end_object (b);
}

static JsonNode *
build_document (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n_templates = rnd (3);

  json_builder_begin_object (b);
  add_string (b, "format", "oppmanager/1");
  json_builder_set_member_name (b, "opportunities");
  json_builder_begin_array (b);
  for (guint i = rnd (3) + 1; i > 0; i--)
    build_opportunity (b);
  json_builder_end_array (b);

  if (n_templates > 0 || chance (20))
    {
      json_builder_set_member_name (b, "templates");
      json_builder_begin_array (b);
      for (guint i = 0; i < n_templates; i++)
        {
          g_autofree char *name = g_strdup_printf ("Template %u %s", i, PICK (texts));

          json_builder_begin_object (b);
          add_string (b, "name", name);
          json_builder_set_member_name (b, "stages");
          json_builder_begin_array (b);
          for (guint j = rnd (4); j > 0; j--)
            {
              json_builder_begin_object (b);
              add_string (b, "activity", PICK (texts));
              add_string (b, "milestone", PICK (texts));
              if (chance (50))
                add_int (b, "duration_days", rnd (30));
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* Mutations of the tree */

typedef struct
{
  JsonNode   *node;
  JsonObject *parent_object;   /* the node is a member of this... */
  const char *key;
  JsonArray  *parent_array;    /* ...or an element of this */
  guint       index;
} Place;

static void
collect (JsonNode   *node,
         GArray     *places,
         JsonObject *parent_object,
         const char *key,
         JsonArray  *parent_array,
         guint       index)
{
  Place place = { node, parent_object, key, parent_array, index };

  g_array_append_val (places, place);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        collect (json_object_get_member (object, l->data), places, object, l->data, NULL, 0);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect (json_array_get_element (array, i), places, NULL, NULL, array, i);
    }
}

static void
replace (const Place *place,
         JsonNode    *node)
{
  if (place->parent_object != NULL)
    json_object_set_member (place->parent_object, place->key, node);
  else if (place->parent_array != NULL)
    {
      /* json-glib 1.6 has no "replace element": rebuild the tail */
      g_autoptr(GList) tail = NULL;
      guint n = json_array_get_length (place->parent_array);

      for (guint i = place->index + 1; i < n; i++)
        tail = g_list_append (tail, json_node_copy (json_array_get_element (place->parent_array, i)));
      for (guint i = n; i > place->index; i--)
        json_array_remove_element (place->parent_array, i - 1);
      json_array_add_element (place->parent_array, node);
      for (GList *l = tail; l != NULL; l = l->next)
        json_array_add_element (place->parent_array, l->data);
    }
  else
    json_node_unref (node);
}

static char *
huge_text (void)
{
  gsize size = chance (5) ? 1000000 : 1000 + rnd (100000);
  GString *text = g_string_sized_new (size + 16);

  while (text->len < size)
    g_string_append (text, PICK (texts));
  return g_string_free (text, FALSE);
}

static JsonNode *
value_of_any_type (void)
{
  JsonNode *node;

  switch (rnd (11))
    {
    case 0:
      return json_node_new (JSON_NODE_NULL);
    case 1:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, chance (50));
      return node;
    case 2:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, (gint64) rnd (5) - 1);
      return node;
    case 3:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, 1.5);
      return node;
    case 4:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, PICK (texts));
      return node;
    case 5:
      {
        g_autofree char *text = huge_text ();

        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, text);
        return node;
      }
    case 6:
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, json_array_new ());
      return node;
    case 7:
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
      return node;
    case 8:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, G_MAXINT64);
      return node;
    case 9:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, -0.0);
      return node;
    default:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, "");
      return node;
    }
}

/* Values that sit on the edge of a rule */
static JsonNode *
edge_value (const char *key)
{
  static const char * const dates[] = {
    "0001-01-01", "9999-12-31", "9999-12-30", "2019-12-31", "2026-01-01", "2026-02-29", "2024-02-29",
    "10000-01-01", "0000-12-31", "2026-13-01", "", "2026-1-1",
  };
  static const char * const statuses[] = { "pending", "won", "lost", "open", "WON", "" };
  static const char * const values[] = { "0", "0.001", "1.5", "999999999999999", "9999999999999999999", "-1", "1e3", "" };
  static const char * const currencies[] = { "EUR", "eur", "EURO", "E1R", "" };
  static const gint64 integers[] = { 0, 1, 7, 36500, 36501, -1, 100000, G_MAXINT32, 2 };
  static const double doubles[] = { 0.0, 1.0, 0.5, 1.0000001, -0.0001, 1e-300, 1.5 };
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (g_str_equal (key, "start_date") || g_str_equal (key, "decided_on") || g_str_equal (key, "on") ||
      g_str_equal (key, "due_date"))
    json_node_set_string (node, PICK (dates));
  else if (g_str_equal (key, "status") || g_str_equal (key, "from") || g_str_equal (key, "to"))
    json_node_set_string (node, PICK (statuses));
  else if (g_str_equal (key, "value"))
    json_node_set_string (node, PICK (values));
  else if (g_str_equal (key, "currency"))
    json_node_set_string (node, PICK (currencies));
  else if (g_str_equal (key, "duration_days") || g_str_equal (key, "stage") || g_str_equal (key, "id"))
    json_node_set_int (node, PICK (integers));
  else if (g_str_equal (key, "probability") || g_str_equal (key, "chain_probability"))
    json_node_set_double (node, PICK (doubles));
  else
    json_node_set_string (node, chance (50) ? "" : chance (50) ? " \t " : PICK (texts));
  return node;
}

static const char * const all_keys[] = {
  "format", "opportunities", "templates", "id", "title", "client", "coordinator", "value", "currency",
  "start_date", "status", "chain_probability", "notes", "stages", "history", "activity", "milestone",
  "kind", "owner", "client_owner", "duration_days", "probability", "decided_on", "lost_reason",
  "client_description", "due_date", "stage", "from", "to", "on", "note", "name",
};

static void
shuffle_array (JsonArray *array)
{
  guint n = json_array_get_length (array);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();

  if (n < 2)
    return;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (nodes, json_node_copy (json_array_get_element (array, i)));
  for (guint i = n; i > 1; i--)
    {
      guint j = rnd (i);
      gpointer t = nodes->pdata[i - 1];
      nodes->pdata[i - 1] = nodes->pdata[j];
      nodes->pdata[j] = t;
    }
  for (guint i = n; i > 0; i--)
    json_array_remove_element (array, i - 1);
  for (guint i = 0; i < n; i++)
    json_array_add_element (array, nodes->pdata[i]);
}

static const char * const strangers[] = { "extra", "Title", "stagess", "histroy", "" };

static void
mutate_tree (JsonNode *root)
{
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (Place));
  /* references: a change may free a part of the tree that comes later */
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) arrays = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);
  const Place *place;

  collect (root, places, NULL, NULL, NULL, 0);
  for (guint i = 0; i < places->len; i++)
    {
      JsonNode *node = g_array_index (places, Place, i).node;

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (objects, json_object_ref (json_node_get_object (node)));
      else if (JSON_NODE_HOLDS_ARRAY (node))
        g_ptr_array_add (arrays, json_array_ref (json_node_get_array (node)));
    }
  place = &g_array_index (places, Place, rnd (places->len));

  switch (rnd (8))
    {
    case 0:
    case 1:
    case 2:
      /* a rule broken, or nearly: a known key set to a value on the edge */
      {
        JsonObject *object = g_ptr_array_index (objects, rnd (objects->len));
        g_autoptr(GList) members = json_object_get_members (object);
        const char *key = members != NULL && chance (80) ? g_list_nth_data (members, rnd (g_list_length (members)))
                                                         : PICK (all_keys);

        json_object_set_member (object, key, edge_value (key));
      }
      break;
    case 3:
      /* a value of the wrong type, or huge */
      replace (place, value_of_any_type ());
      break;
    case 4:
      /* a key missing, or one that is not ours */
      {
        JsonObject *object = g_ptr_array_index (objects, rnd (objects->len));
        g_autoptr(GList) members = json_object_get_members (object);

        if (members != NULL && chance (50))
          json_object_remove_member (object, g_list_nth_data (members, rnd (g_list_length (members))));
        else
          json_object_set_int_member (object, PICK (strangers), 1);
      }
      break;
    case 5:
      /* stages or history entries reordered, dropped or repeated */
      if (arrays->len > 0)
        {
          JsonArray *array = g_ptr_array_index (arrays, rnd (arrays->len));
          guint n = json_array_get_length (array);

          if (n > 0 && chance (30))
            json_array_remove_element (array, rnd (n));
          else if (n > 0 && chance (40))
            json_array_add_element (array, json_node_copy (json_array_get_element (array, rnd (n))));
          else
            shuffle_array (array);
        }
      break;
    case 6:
      /* the history emptied, or taken away */
      for (guint i = 0; i < objects->len; i++)
        if (json_object_has_member (g_ptr_array_index (objects, i), "history") && chance (50))
          {
            if (chance (50))
              json_object_remove_member (g_ptr_array_index (objects, i), "history");
            else
              json_object_set_array_member (g_ptr_array_index (objects, i), "history", json_array_new ());
          }
      break;
    default:
      /* a plan pushed towards the end of the calendar */
      for (guint i = 0; i < objects->len; i++)
        {
          JsonObject *object = g_ptr_array_index (objects, i);

          if (json_object_has_member (object, "start_date") && chance (50))
            json_object_set_string_member (object, "start_date", chance (50) ? "9999-12-01" : "9900-01-01");
          if (json_object_has_member (object, "milestone") && chance (50))
            json_object_set_int_member (object, "duration_days", chance (50) ? 36500 : 30);
        }
    }
}

/* Mutations of the text */

static void
mutate_text (GString *text)
{
  static const char * const numbers[] = {
    "1e400", "-1e400", "18446744073709551616", "9223372036854775808", "-9223372036854775809", "1e-400",
    "0.0000000000000000000001", "-0", "1E+2", "01", "1.", ".5", "+1", "NaN", "Infinity", "0x10",
    "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
  };
  static const char * const bytes[] = {
    "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\\u0000", "\\ud800", "\\udc00x",
    "\xef\xbb\xbf", "\\", "\"", "\x01", "\x7f", "\xe2\x80\xa8", "/*", "'",
  };
  static const char * const keys[] = { "\"activity\":", "\"title\":", "\"status\":", "\"stage\":", "\"format\":" };
  gsize at = text->len > 0 ? rnd ((guint) text->len) : 0;

  switch (rnd (7))
    {
    case 0:
      /* bits flipped */
      for (guint i = rnd (8) + 1; i > 0 && text->len > 0; i--)
        text->str[rnd ((guint) text->len)] ^= (char) (1u << rnd (8));
      break;
    case 1:
      g_string_truncate (text, at);
      break;
    case 2:
      /* nested deeply */
      {
        static const guint depths[] = { 31, 33, 1000, 100000 };
        guint depth = PICK (depths);
        g_autofree char *open = g_strnfill (depth, '[');
        g_autofree char *close = g_strnfill (depth, ']');
        const char *colon = strchr (text->str + at, ':');

        if (colon != NULL)
          {
            gboolean closed = chance (70);

            at = colon - text->str + 1;
            if (closed)
              g_string_insert (text, at, close);
            g_string_insert (text, at, open);
            if (closed && chance (70))
              g_string_insert (text, at + depth * 2, ",\"x\":");
          }
      }
      break;
    case 3:
      /* a huge or impossible number where a number is */
      {
        const char *digit = text->str + at;

        while (*digit != '\0' && !g_ascii_isdigit (*digit))
          digit++;
        if (*digit != '\0')
          {
            gsize start = digit - text->str;
            gsize len = 0;

            while (g_ascii_isdigit (text->str[start + len]) || text->str[start + len] == '.' ||
                   text->str[start + len] == '-')
              len++;
            g_string_erase (text, start, len);
            g_string_insert (text, start, PICK (numbers));
          }
      }
      break;
    case 4:
      /* NUL bytes, invalid UTF-8, broken escapes */
      if (chance (30))
        g_string_insert_len (text, at, "\0", 1);
      else
        g_string_insert (text, at, PICK (bytes));
      break;
    case 5:
      /* a key repeated in its object */
      {
        const char *key = PICK (keys);
        const char *found = strstr (text->str + at, key);

        if (found == NULL)
          found = strstr (text->str, key);
        if (found != NULL)
          g_string_insert (text, found - text->str, chance (50) ? "\"activity\":\"again\"," : "\"status\":\"won\",");
      }
      break;
    default:
      /* a byte replaced by a character that matters to JSON */
      {
        static const char specials[] = { '{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0' };

        if (text->len > 0)
          text->str[at] = PICK (specials);
      }
    }
}

/* The invariants of SPEC section 3, read from an export */

static gboolean
blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static const char *
string_member (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("“%s” is not text in the export", key);
  return json_node_get_string (node);
}

static double
number_member (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    g_error ("“%s” is not a number in the export", key);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  return json_node_get_double (node);
}

/* R5: a real day from 0001-01-01 to 9999-12-31 */
static guint32
day_member (JsonObject *object,
            const char *key)
{
  const char *text = string_member (object, key);
  guint y, m, d;

  if (strlen (text) != 10 || sscanf (text, "%4u-%2u-%2u", &y, &m, &d) != 3 || text[4] != '-' || text[7] != '-' ||
      y < 1 || y > 9999 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    g_error ("“%s” of %s is not a day from 0001-01-01 to 9999-12-31", text, key);
  return julian (y, m, d);
}

static int
status_of (const char *text)
{
  if (g_str_equal (text, "pending"))
    return 0;
  if (g_str_equal (text, "won"))
    return 1;
  if (g_str_equal (text, "lost"))
    return 2;
  g_error ("“%s” is not a status", text);
}

static void
check_opportunity (JsonObject *opp)
{
  JsonArray *stages = json_object_get_array_member (opp, "stages");
  JsonArray *history = json_object_get_array_member (opp, "history");
  guint n = json_array_get_length (stages);
  g_autofree int *status = g_new0 (int, n + 1);
  g_autofree int *replayed = g_new0 (int, n + 1);
  guint32 start = day_member (opp, "start_date");
  guint32 due = start;
  guint32 previous_decided = 0;
  guint32 previous_on = 0;
  guint n_won = 0, n_lost = 0;
  double chain = 1.0;
  const char *value = string_member (opp, "value");
  const char *currency = string_member (opp, "currency");
  const char *derived;

  /* R5 on the opportunity */
  g_assert_false (blank (string_member (opp, "title")));
  g_assert_false (blank (string_member (opp, "client")));
  g_assert_true (g_regex_match_simple ("^[0-9]+\\.[0-9][0-9]$", value, 0, 0));
  g_assert_cmpuint (strlen (currency), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_ascii_isupper (currency[i]));

  for (guint i = 0; i < n; i++)
    {
      JsonObject *stage = json_array_get_object_element (stages, i);
      double duration = number_member (stage, "duration_days");
      double probability = number_member (stage, "probability");
      guint32 stage_due = day_member (stage, "due_date");

      /* R5 on the stage */
      g_assert_false (blank (string_member (stage, "activity")));
      g_assert_false (blank (string_member (stage, "milestone")));
      g_assert_true (probability >= 0.0 && probability <= 1.0);
      g_assert_true (duration >= 0 && duration <= 36500 && floor (duration) == duration);
      g_assert_true (g_strv_contains ((const char * const[]) { "standard", "process-agreement", "feasibility-study", NULL },
                                      string_member (stage, "kind")));
      status[i] = status_of (string_member (stage, "status"));

      /* R2, R3: won stages first, then at most one lost one, then pending */
      if (status[i] == 1)
        g_assert_cmpuint (n_won, ==, i);
      if (status[i] == 2)
        g_assert_cmpuint (n_won, ==, i);
      if (i > 0 && status[i - 1] == 2)
        g_assert_cmpint (status[i], ==, 0);
      n_won += status[i] == 1;
      n_lost += status[i] == 2;

      if (status[i] != 0)
        {
          guint32 decided = day_member (stage, "decided_on");

          /* R5: no earlier than the start, nor than the stage before */
          g_assert_cmpuint (decided, >=, start);
          g_assert_cmpuint (decided, >=, previous_decided);
          previous_decided = decided;
          due = decided;
        }
      else
        {
          g_assert_false (json_object_has_member (stage, "decided_on"));
          due += (guint32) duration;
          chain *= probability;
        }
      /* R5: only a lost stage has a reason, and it has one */
      if (status[i] == 2)
        g_assert_false (blank (string_member (stage, "lost_reason")));
      else
        g_assert_false (json_object_has_member (stage, "lost_reason"));

      /* the derived due date, worked out here again; R5 bounds it */
      g_assert_cmpuint (stage_due, ==, due);
    }

  /* R1 */
  derived = n_lost > 0 ? "lost" : n > 0 && n_won == n ? "won" : "open";
  g_assert_cmpstr (string_member (opp, "status"), ==, derived);
  if (g_str_equal (derived, "lost") || n == 0)
    chain = 0.0;
  else if (g_str_equal (derived, "won"))
    chain = 1.0;
  g_assert_cmpfloat_with_epsilon (number_member (opp, "chain_probability"), chain, 1e-9);

  /* R6: replayed from all pending, oldest first, to exactly the statuses */
  for (guint k = 0; k < json_array_get_length (history); k++)
    {
      JsonObject *entry = json_array_get_object_element (history, k);
      double stage = number_member (entry, "stage");
      int from = status_of (string_member (entry, "from"));
      int to = status_of (string_member (entry, "to"));
      guint32 on = day_member (entry, "on");
      guint s;

      g_assert_true (stage >= 0 && stage < n && floor (stage) == stage);
      s = (guint) stage;
      g_assert_cmpint (from, ==, replayed[s]);
      g_assert_cmpint (from, !=, to);
      g_assert_true (from == 0 || to == 0);
      g_assert_cmpuint (on, >=, previous_on);
      previous_on = on;
      replayed[s] = to;
    }
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (replayed[i], ==, status[i]);
}

static void
check_export (const char *document)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *opportunities;

  g_assert_true (json_parser_load_from_data (parser, document, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "oppmanager/2");
  opportunities = json_object_get_array_member (root, "opportunities");
  for (guint i = 0; i < json_array_get_length (opportunities); i++)
    check_opportunity (json_array_get_object_element (opportunities, i));
}

/* One line, no control characters, a bounded length */
static void
check_refusal (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), <, 1000);
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029)
        g_error ("control character U+%04X in “%s”", c, error->message);
    }
}

/* The created opportunities as a document, without the ids the
 * database gave them */
static char *
export_created (GPtrArray *created)
{
  g_autoptr(GPtrArray) data = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);

  for (guint i = 0; i < created->len; i++)
    {
      OmOpportunityData *copy = om_opportunity_data_copy (om_opportunity_get_data (g_ptr_array_index (created, i)));

      /* as a new document would give them: no id, no revision */
      copy->id = 0;
      copy->revision = 0;
      g_ptr_array_add (data, copy);
    }
  return om_json_write (data, NULL, NULL);
}

/* Accepted documents, imported into the file a few at a time: every
 * commit waits for the disk, and a thousand of them would be most of
 * the test's time */
typedef struct
{
  GPtrArray *opportunities;   /* OmOpportunityData, of every document */
  GPtrArray *templates;       /* OmTemplateData, names unique in the batch */
  GArray    *sizes;           /* how many opportunities each document has */
} Batch;

#define BATCH_DOCUMENTS 16

static void
batch_init (Batch *batch)
{
  batch->opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  batch->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  batch->sizes = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->opportunities, g_ptr_array_unref);
  g_clear_pointer (&batch->templates, g_ptr_array_unref);
  g_clear_pointer (&batch->sizes, g_array_unref);
}

static void
batch_add (Batch     *batch,
           GPtrArray *opportunities,
           GPtrArray *templates)
{
  guint size = opportunities->len;

  for (guint i = 0; i < opportunities->len; i++)
    g_ptr_array_add (batch->opportunities, g_steal_pointer (&opportunities->pdata[i]));
  /* two documents may each have a template of the same name */
  for (guint i = 0; i < templates->len; i++)
    {
      OmTemplateData *template = templates->pdata[i];
      gboolean taken = FALSE;

      for (guint j = 0; j < batch->templates->len && !taken; j++)
        taken = g_str_equal (((OmTemplateData *) batch->templates->pdata[j])->name, template->name);
      if (!taken)
        g_ptr_array_add (batch->templates, g_steal_pointer (&templates->pdata[i]));
    }
  g_array_append_val (batch->sizes, size);
}

/* Imports the batch into the file; then each document's opportunities
 * must export to a document that keeps the rules and reads back to
 * itself */
static void
batch_flush (Batch        *batch,
             OmRepository *repository,
             OmRepository *scratch)
{
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  guint offset = 0;

  if (batch->sizes->len == 0)
    return;

  created = om_test_import (repository, batch->opportunities, batch->templates, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpuint (created->len, ==, batch->opportunities->len);

  for (guint d = 0; d < batch->sizes->len; d++)
    {
      guint size = g_array_index (batch->sizes, guint, d);
      g_autoptr(GPtrArray) mine = g_ptr_array_new ();
      g_autoptr(GPtrArray) again = NULL;
      g_autoptr(GPtrArray) again_templates = NULL;
      g_autoptr(GPtrArray) created_again = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;

      for (guint i = 0; i < size; i++)
        g_ptr_array_add (mine, created->pdata[offset + i]);
      offset += size;

      first = export_created (mine);
      check_export (first);

      /* in memory: the file had its turn */
      if (!om_json_parse (first, -1, &again, &again_templates, &error))
        g_error ("the export of an accepted document is refused: %s\n%s", error->message, first);
      created_again = om_test_import (scratch, again, NULL, &error);
      g_assert_no_error (error);
      second = export_created (created_again);
      g_assert_cmpstr (first, ==, second);
    }

  batch_clear (batch);
  batch_init (batch);
}

static void
test_fuzz_import (void)
{
  g_autofree char *dir = om_test_make_dir ("fuzz");
  g_autofree char *path = g_build_filename (dir, "fuzz.db", NULL);
  g_autoptr(OmRepository) repository = NULL;
  g_autoptr(OmRepository) reopened = NULL;
  g_autoptr(OmRepository) scratch = om_repository_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *live = NULL;
  g_autofree char *on_disk = NULL;
  const char *env = g_getenv ("OM_FUZZ_DOCUMENTS");
  guint n_documents = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : N_DOCUMENTS;
  guint n_accepted = 0;
  guint n_rule_refusals = 0;
  Batch batch;

  batch_init (&batch);
  om_date_set_today (julian (2026, 3, 1));
  repository = om_test_database_open_repository (path);

  for (guint n = 0; n < n_documents; n++)
    {
      g_autoptr(JsonNode) root = build_document ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GString) text = NULL;
      g_autoptr(GPtrArray) opportunities = NULL;
      g_autoptr(GPtrArray) templates = NULL;
      g_autoptr(GError) refused = NULL;
      guint n_mutations = chance (15) ? 0 : rnd (2) + 1;
      guint n_in_text = 0;

      for (guint i = 0; i < n_mutations; i++)
        if (chance (60))
          mutate_tree (root);
        else
          n_in_text++;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, chance (30));
      {
        gsize length = 0;
        g_autofree char *generated = json_generator_to_data (generator, &length);

        text = g_string_new_len (generated, (gssize) length);
      }
      for (guint i = 0; i < n_in_text; i++)
        mutate_text (text);

      if (!om_json_parse (text->str, (gssize) text->len, &opportunities, &templates, &refused))
        {
          g_assert_error (refused, OM_JSON_ERROR, refused->code);
          check_refusal (refused);
          n_rule_refusals += refused->code == OM_JSON_ERROR_RULE;
          continue;
        }
      n_accepted++;

      /* the model takes what the reader took, into the file */
      batch_add (&batch, opportunities, templates);
      if (batch.sizes->len == BATCH_DOCUMENTS)
        batch_flush (&batch, repository, scratch);
    }
  batch_flush (&batch, repository, scratch);
  batch_clear (&batch);

  g_test_message ("%u documents, %u accepted, %u refused for a rule", n_documents, n_accepted, n_rule_refusals);
  /* the documents must reach every stage of the reader */
  if (n_documents >= N_DOCUMENTS)
    {
      g_assert_cmpuint (n_accepted, >, n_documents / 10);
      g_assert_cmpuint (n_rule_refusals, >, n_documents / 20);
    }

  /* the file opens again, holding the same, every rule kept */
  live = om_json_export_repository (repository, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&repository);
  reopened = om_test_database_open_repository (path);
  on_disk = om_json_export_repository (reopened, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (live, ==, on_disk);
  check_export (on_disk);
  g_clear_object (&reopened);

  om_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/fuzz/import", test_fuzz_import);
  return g_test_run ();
}
