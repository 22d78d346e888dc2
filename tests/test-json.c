/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "om-database.h"
#include "om-json.h"
#include "om-test-database.h"

static char *tmp_dir;

static char *
write_document (const char *contents,
                gssize      length)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  char *path = g_strdup_printf ("%s/document-%u.json", tmp_dir, counter++);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static char *
export_all (OmRepository *repository)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  char *document = om_json_export_repository (repository, 0, &length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_assert_cmpuint (length, ==, strlen (document));
  return document;
}

static guint
n_opportunities (OmRepository *repository)
{
  return g_list_model_get_n_items (om_repository_get_opportunities (repository));
}

static guint
n_templates (OmRepository *repository)
{
  return g_list_model_get_n_items (om_repository_get_templates (repository));
}

static OmOpportunityData *
get_data (OmRepository *repository,
          guint         position)
{
  g_autoptr(OmOpportunity) opportunity =
    g_list_model_get_item (om_repository_get_opportunities (repository), position);

  /* the repository keeps the object alive */
  return (OmOpportunityData *) om_opportunity_get_data (opportunity);
}

static OmStageData *
stage_new (const char  *activity,
           const char  *milestone,
           OmStageKind  kind,
           guint        days,
           double       probability)
{
  OmStageData *stage = om_stage_data_new (activity, milestone);

  stage->kind = kind;
  stage->duration_days = days;
  stage->probability = probability;
  return stage;
}

/* The repository that every refused import must leave alone */
static OmRepository *
repository_with_one (void)
{
  OmRepository *repository = om_repository_new (NULL);
  g_autoptr(OmOpportunityData) data = om_opportunity_data_new ("Existing deal", "Initech", om_test_date ("2026-01-02"));
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (data->stages, stage_new ("Call", "Client agrees to meet", OM_STAGE_KIND_STANDARD, 5, 0.9));
  g_assert_nonnull (om_repository_create_opportunity (repository, data, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_opportunities (repository), ==, 1);
  return repository;
}

/* Removes the opportunities' ids and revisions, which an import gives
 * anew, and counts the ids so that a test cannot compare documents
 * without any. */
static char *
without_ids (const char *document,
             guint      *n_removed)
{
  g_auto(GStrv) lines = g_strsplit (document, "\n", -1);
  GString *out = g_string_new (NULL);

  *n_removed = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_regex_match_simple ("^      \"id\": [0-9]+,$", lines[i], 0, 0))
        {
          (*n_removed)++;
          continue;
        }
      if (g_regex_match_simple ("^      \"revision\": [0-9]+,$", lines[i], 0, 0))
        continue;
      g_string_append (out, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* The message of a refusal starts with where the problem is */
static void
assert_refused (const GError *error,
                OmJsonError   code,
                const char   *where)
{
  g_assert_error (error, OM_JSON_ERROR, (int) code);
  g_test_message ("%s", error->message);
  /* the message starts with where the problem is */
  if (!g_str_has_prefix (error->message, where) || strncmp (error->message + strlen (where), ": ", 2) != 0)
    g_error ("“%s” does not start with “%s: ”", error->message, where);
  /* and goes on to say what it is */
  g_assert_cmpuint (strlen (error->message), >, strlen (where) + 10);
}

/* Writing */

static void
test_write_layout (void)
{
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  OmOpportunityData *data = om_opportunity_data_new ("Deal", "ACME", om_test_date ("2026-01-05"));
  OmTemplateData *template = om_template_data_new ("T");
  OmStageData *stage;
  g_autofree char *document = NULL;
  gsize length = 0;
  const char *expected =
    "{\n"
    "  \"format\": \"oppmanager/2\",\n"
    "  \"opportunities\": [\n"
    "    {\n"
    "      \"id\": 7,\n"
    "      \"title\": \"Deal\",\n"
    "      \"client\": \"ACME\",\n"
    "      \"coordinator\": \"Ann\",\n"
    "      \"value\": \"1500.00\",\n"
    "      \"currency\": \"EUR\",\n"
    "      \"start_date\": \"2026-01-05\",\n"
    "      \"target_date\": \"2026-03-01\",\n"
    "      \"status\": \"open\",\n"
    "      \"chain_probability\": 0.5,\n"
    "      \"close_date\": \"2026-01-20\",\n"
    "      \"baseline_close_date\": \"2026-01-18\",\n"
    "      \"pushes\": 1,\n"
    "      \"revision\": 3,\n"
    "      \"notes\": \"n\",\n"
    "      \"stages\": [\n"
    "        {\n"
    "          \"activity\": \"Meet\",\n"
    "          \"milestone\": \"Agrees\",\n"
    "          \"kind\": \"process-agreement\",\n"
    "          \"owner\": \"Bob\",\n"
    "          \"client_owner\": \"Eve\",\n"
    "          \"duration_days\": 3,\n"
    "          \"probability\": 0.8,\n"
    "          \"status\": \"won\",\n"
    "          \"decided_on\": \"2026-01-07\",\n"
    "          \"client_description\": \"cd\",\n"
    "          \"notes\": \"sn\",\n"
    "          \"due_date\": \"2026-01-07\",\n"
    "          \"baseline_due_date\": \"2026-01-08\"\n"
    "        },\n"
    "        {\n"
    "          \"activity\": \"Sign\",\n"
    "          \"milestone\": \"Signed\",\n"
    "          \"kind\": \"standard\",\n"
    "          \"owner\": \"\",\n"
    "          \"client_owner\": \"\",\n"
    "          \"duration_days\": 10,\n"
    "          \"probability\": 0.5,\n"
    "          \"status\": \"pending\",\n"
    "          \"agreed_date\": \"2026-01-20\",\n"
    "          \"client_description\": \"\",\n"
    "          \"notes\": \"q\\\"b\\\\s\\nl\\tt\\u0001 é😀\",\n"
    "          \"due_date\": \"2026-01-20\",\n"
    "          \"baseline_due_date\": \"2026-01-18\"\n"
    "        }\n"
    "      ],\n"
    "      \"history\": [\n"
    "        {\n"
    "          \"stage\": 0,\n"
    "          \"from\": \"pending\",\n"
    "          \"to\": \"won\",\n"
    "          \"on\": \"2026-01-07\",\n"
    "          \"note\": \"ok\"\n"
    "        }\n"
    "      ],\n"
    "      \"schedule_history\": [\n"
    "        {\n"
    "          \"on\": \"2026-01-06\",\n"
    "          \"what\": \"baseline\",\n"
    "          \"from\": null,\n"
    "          \"to\": \"2026-01-18\",\n"
    "          \"note\": \"Plan of record\"\n"
    "        },\n"
    "        {\n"
    "          \"on\": \"2026-01-07\",\n"
    "          \"what\": \"agreed-date\",\n"
    "          \"stage\": 1,\n"
    "          \"from\": null,\n"
    "          \"to\": \"2026-01-20\",\n"
    "          \"note\": \"\"\n"
    "        },\n"
    "        {\n"
    "          \"on\": \"2026-01-07\",\n"
    "          \"what\": \"close-date\",\n"
    "          \"from\": \"2026-01-18\",\n"
    "          \"to\": \"2026-01-20\",\n"
    "          \"note\": \"Client asked\"\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ],\n"
    "  \"templates\": [\n"
    "    {\n"
    "      \"name\": \"T\",\n"
    "      \"stages\": [\n"
    "        {\n"
    "          \"activity\": \"A\",\n"
    "          \"milestone\": \"M\",\n"
    "          \"kind\": \"feasibility-study\",\n"
    "          \"duration_days\": 30,\n"
    "          \"probability\": 0.25,\n"
    "          \"client_description\": \"d\"\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n";

  data->id = 7;
  data->revision = 3;
  data->target_date = om_test_date ("2026-03-01");
  g_free (data->coordinator);
  data->coordinator = g_strdup ("Ann");
  data->value = 150000;
  g_free (data->notes);
  data->notes = g_strdup ("n");

  stage = stage_new ("Meet", "Agrees", OM_STAGE_KIND_PROCESS_AGREEMENT, 3, 0.8);
  g_free (stage->owner);
  stage->owner = g_strdup ("Bob");
  g_free (stage->client_owner);
  stage->client_owner = g_strdup ("Eve");
  stage->status = OM_STAGE_STATUS_WON;
  stage->decided_on = om_test_date ("2026-01-07");
  g_free (stage->client_description);
  stage->client_description = g_strdup ("cd");
  g_free (stage->notes);
  stage->notes = g_strdup ("sn");
  stage->baseline_due = om_test_date ("2026-01-08");
  g_ptr_array_add (data->stages, stage);

  stage = stage_new ("Sign", "Signed", OM_STAGE_KIND_STANDARD, 10, 0.5);
  g_free (stage->notes);
  stage->notes = g_strdup ("q\"b\\s\nl\tt\x01 é😀");
  stage->agreed_on = om_test_date ("2026-01-20");
  stage->baseline_due = om_test_date ("2026-01-18");
  g_ptr_array_add (data->stages, stage);

  g_ptr_array_add (data->schedule,
                   om_schedule_entry_new (OM_SCHEDULE_BASELINE, -1, 0, om_test_date ("2026-01-18"),
                                          om_test_date ("2026-01-06"), "Plan of record"));
  g_ptr_array_add (data->schedule,
                   om_schedule_entry_new (OM_SCHEDULE_AGREED_DATE, 1, 0, om_test_date ("2026-01-20"),
                                          om_test_date ("2026-01-07"), NULL));
  g_ptr_array_add (data->schedule,
                   om_schedule_entry_new (OM_SCHEDULE_CLOSE_DATE, -1, om_test_date ("2026-01-18"),
                                          om_test_date ("2026-01-20"), om_test_date ("2026-01-07"), "Client asked"));

  g_ptr_array_add (data->history,
                   om_history_entry_new (0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_date ("2026-01-07"), "ok"));
  g_ptr_array_add (opportunities, data);

  stage = stage_new ("A", "M", OM_STAGE_KIND_FEASIBILITY_STUDY, 30, 0.25);
  g_free (stage->client_description);
  stage->client_description = g_strdup ("d");
  g_ptr_array_add (template->stages, stage);
  g_ptr_array_add (templates, template);

  document = om_json_write (opportunities, templates, &length);
  g_assert_cmpstr (document, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
}

static void
test_write_empty (void)
{
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new ();
  g_autofree char *document = om_json_write (opportunities, NULL, NULL);

  /* the templates list is written even when there is none */
  g_assert_cmpstr (document, ==,
                   "{\n"
                   "  \"format\": \"oppmanager/2\",\n"
                   "  \"opportunities\": [],\n"
                   "  \"templates\": []\n"
                   "}\n");
}

/* Round trip */

static OmOpportunity *
create (OmRepository      *repository,
        OmOpportunityData *data)
{
  g_autoptr(GError) error = NULL;
  OmOpportunity *opportunity = om_repository_create_opportunity (repository, data, &error);

  g_assert_no_error (error);
  g_assert_nonnull (opportunity);
  om_opportunity_data_free (data);
  return opportunity;
}

static void
set_strings (OmStageData *stage,
             const char  *owner,
             const char  *client_owner,
             const char  *client_description,
             const char  *notes)
{
  g_free (stage->owner);
  stage->owner = g_strdup (owner);
  g_free (stage->client_owner);
  stage->client_owner = g_strdup (client_owner);
  g_free (stage->client_description);
  stage->client_description = g_strdup (client_description);
  g_free (stage->notes);
  stage->notes = g_strdup (notes);
}

/* Opportunities that between them use every field, status, kind and
 * kind of history entry */
static OmRepository *
repository_with_everything (void)
{
  OmRepository *repository = om_repository_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) no_opportunities = g_ptr_array_new ();
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  g_autoptr(GPtrArray) imported = NULL;
  OmOpportunityData *data;
  OmTemplateData *template;
  OmOpportunity *open, *lost, *won, *removed;
  OmStageData *stage;

  /* so that the ids here differ from those of a fresh repository */
  removed = create (repository, om_opportunity_data_new ("Removed", "Nobody", om_test_date ("2026-01-01")));
  g_assert_true (om_repository_remove_opportunity (repository, removed, &error));
  g_assert_no_error (error);

  data = om_opportunity_data_new ("Überseeprojekt “Nordlicht” \"quoted\" \\ back", "Ærø Ålesund & Søn 😀",
                                  om_test_date ("2026-01-05"));
  g_free (data->coordinator);
  data->coordinator = g_strdup ("Zoë Ångström");
  data->value = 125000050;
  g_free (data->currency);
  data->currency = g_strdup ("CHF");
  g_free (data->notes);
  data->notes = g_strdup ("Line one\nLine two\twith a tab\r\nand a bell \x07.");
  stage = stage_new ("Initial appointment", "Client agrees to explore", OM_STAGE_KIND_STANDARD, 0, 0.8);
  set_strings (stage, "Bob", "Mr. Müller", "We listen to your needs.", "Bring coffee ☕");
  g_ptr_array_add (data->stages, stage);
  stage = stage_new ("Process meeting", "Client agrees to the process", OM_STAGE_KIND_PROCESS_AGREEMENT, 7, 1.0);
  set_strings (stage, "Carol", "Ms. Ødegaard", "Together we agree on the steps.", "");
  g_ptr_array_add (data->stages, stage);
  stage = stage_new ("Study", "Client commissions the study", OM_STAGE_KIND_FEASIBILITY_STUDY, 36500, 0.1);
  g_ptr_array_add (data->stages, stage);
  stage = stage_new ("Contract", "Contract signed", OM_STAGE_KIND_STANDARD, 14, 0.123456789);
  set_strings (stage, "", "", "", "Last one");
  g_ptr_array_add (data->stages, stage);
  open = create (repository, data);

  om_date_set_today (om_test_date ("2026-01-10"));
  g_assert_true (om_opportunity_win_stage (open, 0, "Went well", &error));
  g_assert_no_error (error);
  om_date_set_today (om_test_date ("2026-01-20"));
  g_assert_true (om_opportunity_win_stage (open, 1, "Letter signed", &error));
  g_assert_no_error (error);
  om_date_set_today (om_test_date ("2026-01-21"));
  g_assert_true (om_opportunity_reopen (open, "Signed by the wrong person", &error));
  g_assert_no_error (error);
  om_date_set_today (om_test_date ("2026-01-25"));
  g_assert_true (om_opportunity_win_stage (open, 1, "Signed again “properly”", &error));
  g_assert_no_error (error);

  data = om_opportunity_data_new ("Lost deal", "Globex", om_test_date ("2026-02-01"));
  g_ptr_array_add (data->stages, stage_new ("Meet", "Agrees to meet", OM_STAGE_KIND_STANDARD, 3, 0.7));
  g_ptr_array_add (data->stages, stage_new ("Pitch", "Agrees to the pitch", OM_STAGE_KIND_STANDARD, 3, 0.6));
  g_ptr_array_add (data->stages, stage_new ("Close", "Signs", OM_STAGE_KIND_STANDARD, 3, 0.5));
  lost = create (repository, data);
  om_date_set_today (om_test_date ("2026-02-02"));
  g_assert_true (om_opportunity_win_stage (lost, 0, "", &error));
  g_assert_no_error (error);
  om_date_set_today (om_test_date ("2026-02-03"));
  g_assert_true (om_opportunity_lose_stage (lost, 1, "Budget cut — “no money” this year", &error));
  g_assert_no_error (error);

  data = om_opportunity_data_new ("Won deal", "Umbrella", om_test_date ("2026-03-01"));
  g_ptr_array_add (data->stages, stage_new ("Sign", "Signed", OM_STAGE_KIND_STANDARD, 1, 0.99));
  won = create (repository, data);
  om_date_set_today (om_test_date ("2026-03-01"));
  g_assert_true (om_opportunity_win_stage (won, 0, "Done", &error));
  g_assert_no_error (error);

  create (repository, om_opportunity_data_new ("Empty plan", "Hooli", om_test_date ("2026-04-01")));

  template = om_template_data_new ("Quick sale ✓");
  stage = stage_new ("Demo", "Client likes the demo", OM_STAGE_KIND_PROCESS_AGREEMENT, 2, 0.75);
  set_strings (stage, "", "", "A short demonstration.", "");
  g_ptr_array_add (template->stages, stage);
  g_ptr_array_add (template->stages, stage_new ("Trial", "Client runs a trial", OM_STAGE_KIND_FEASIBILITY_STUDY, 0, 0));
  g_ptr_array_add (template->stages, stage_new ("Order", "Client orders", OM_STAGE_KIND_STANDARD, 9, 1));
  g_ptr_array_add (templates, template);
  imported = om_test_import (repository, no_opportunities, templates, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);

  g_assert_cmpint (om_opportunity_get_status (open), ==, OM_OPPORTUNITY_STATUS_OPEN);
  g_assert_cmpint (om_opportunity_get_status (lost), ==, OM_OPPORTUNITY_STATUS_LOST);
  g_assert_cmpint (om_opportunity_get_status (won), ==, OM_OPPORTUNITY_STATUS_WON);
  g_assert_cmpuint (om_opportunity_get_data (open)->history->len, ==, 4);
  g_assert_cmpuint (n_opportunities (repository), ==, 4);
  g_assert_cmpuint (n_templates (repository), ==, 2);
  return repository;
}

static void
test_round_trip (void)
{
  g_autoptr(OmRepository) repository = repository_with_everything ();
  g_autoptr(OmRepository) fresh = om_repository_new (NULL);
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = export_all (repository);
  g_autofree char *path = write_document (first, -1);
  g_autofree char *second = NULL;
  g_autofree char *first_stripped = NULL;
  g_autofree char *second_stripped = NULL;
  guint n_first, n_second;

  /* what the document says is what the repository holds */
  g_assert_true (om_json_parse (first, -1, &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (opportunities->len, ==, 4);
  g_assert_cmpuint (templates->len, ==, 1);
  for (guint i = 0; i < opportunities->len; i++)
    {
      const OmOpportunityData *parsed = g_ptr_array_index (opportunities, i);

      g_assert_cmpint (parsed->id, ==, 0);
      g_assert_true (om_opportunity_data_equal (parsed, get_data (repository, i), FALSE));
    }
  {
    g_autoptr(OmTemplate) template = g_list_model_get_item (om_repository_get_templates (repository), 1);
    g_assert_true (om_template_data_equal (g_ptr_array_index (templates, 0), om_template_get_data (template)));
  }

  /* some of what the format promises, spelled out */
  g_assert_nonnull (strstr (first, "\"value\": \"1250000.50\""));
  g_assert_nonnull (strstr (first, "\"currency\": \"CHF\""));
  g_assert_nonnull (strstr (first, "\"lost_reason\": \"Budget cut — “no money” this year\""));
  g_assert_nonnull (strstr (first, "\"status\": \"lost\""));
  g_assert_nonnull (strstr (first, "\"status\": \"won\""));
  g_assert_nonnull (strstr (first, "\"probability\": 0.123456789,"));
  g_assert_nonnull (strstr (first, "\"from\": \"won\""));
  g_assert_nonnull (strstr (first, "\"title\": \"Überseeprojekt “Nordlicht” \\\"quoted\\\" \\\\ back\""));
  g_assert_null (strstr (first, "Recommended process"));

  created = om_test_found (fresh, om_json_import_file (fresh, path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpuint (created->len, ==, 4);
  g_assert_cmpstr (om_opportunity_get_title (g_ptr_array_index (created, 1)), ==, "Lost deal");
  g_assert_cmpuint (n_templates (fresh), ==, 2);

  second = export_all (fresh);
  first_stripped = without_ids (first, &n_first);
  second_stripped = without_ids (second, &n_second);
  g_assert_cmpuint (n_first, ==, 4);
  g_assert_cmpuint (n_second, ==, 4);
  /* the ids were given anew… */
  g_assert_cmpstr (first, !=, second);
  /* …and nothing else changed */
  g_assert_cmpstr (first_stripped, ==, second_stripped);
}

/* Version 2: the schedule */

/* A plan re-planned through the model: a target date, a baseline taken
 * before any was (its entry has no "from"), agreed dates, a decision,
 * and the close date moved by them */
static OmOpportunity *
create_scheduled (OmRepository *repository)
{
  g_autoptr(GError) error = NULL;
  OmOpportunityData *data = om_opportunity_data_new ("Scheduled", "Initech", om_test_date ("2026-01-05"));
  OmOpportunity *opportunity;

  data->target_date = om_test_date ("2026-03-31");
  g_ptr_array_add (data->stages, stage_new ("Meet", "Client agrees to meet", OM_STAGE_KIND_STANDARD, 7, 0.9));
  g_ptr_array_add (data->stages, stage_new ("Process", "Client agrees to the process",
                                            OM_STAGE_KIND_PROCESS_AGREEMENT, 7, 0.8));
  g_ptr_array_add (data->stages, stage_new ("Proposal", "Client accepts", OM_STAGE_KIND_STANDARD, 14, 0.7));
  g_ptr_array_add (data->stages, stage_new ("Contract", "Signed", OM_STAGE_KIND_STANDARD, 14, 0.9));
  opportunity = create (repository, data);

  om_date_set_today (om_test_date ("2026-01-06"));
  g_assert_true (om_opportunity_set_baseline (opportunity, "Plan of record", &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_agree_date (opportunity, 0, om_test_date ("2026-01-09"), "Set at the call", &error));
  g_assert_no_error (error);
  om_date_set_today (om_test_date ("2026-01-09"));
  g_assert_true (om_opportunity_decide_stage (opportunity, 0, OM_STAGE_STATUS_WON, om_test_date ("2026-01-09"),
                                              "Good meeting", &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_agree_date (opportunity, 1, om_test_date ("2026-01-20"), "Their board meets then",
                                            &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_agree_date (opportunity, 3, om_test_date ("2026-03-02"), NULL, &error));
  g_assert_no_error (error);
  om_date_set_today (om_test_date ("2026-06-01"));
  return opportunity;
}

static gboolean
has_entry (const OmOpportunityData *data,
           OmScheduleWhat           what,
           gboolean                 from_null)
{
  for (guint i = 0; i < data->schedule->len; i++)
    {
      const OmScheduleEntry *entry = g_ptr_array_index (data->schedule, i);

      if (entry->what == what && (entry->from == 0) == from_null)
        return TRUE;
    }
  return FALSE;
}

static void
test_v2_round_trip (void)
{
  g_autoptr(OmRepository) repository = om_repository_new (NULL);
  g_autoptr(OmRepository) fresh = om_repository_new (NULL);
  OmOpportunity *opportunity = create_scheduled (repository);   /* the repository's */
  const OmOpportunityData *data = om_opportunity_get_data (opportunity);
  g_autofree char *document = export_all (repository);
  g_autofree char *path = write_document (document, -1);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  const OmOpportunityData *imported;

  /* the plan has all there is to carry */
  g_assert_cmpuint (data->target_date, ==, om_test_date ("2026-03-31"));
  g_assert_cmpuint (om_opportunity_data_get_stage (data, 1)->agreed_on, ==, om_test_date ("2026-01-20"));
  g_assert_cmpuint (om_opportunity_data_get_stage (data, 3)->agreed_on, ==, om_test_date ("2026-03-02"));
  g_assert_cmpuint (om_opportunity_data_get_stage (data, 2)->agreed_on, ==, 0);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (om_opportunity_data_get_stage (data, i)->baseline_due, !=, 0);
  g_assert_true (has_entry (data, OM_SCHEDULE_BASELINE, TRUE));
  g_assert_true (has_entry (data, OM_SCHEDULE_AGREED_DATE, TRUE));
  g_assert_true (has_entry (data, OM_SCHEDULE_CLOSE_DATE, FALSE));

  g_assert_nonnull (strstr (document, "\"format\": \"oppmanager/2\""));
  g_assert_nonnull (strstr (document, "\"target_date\": \"2026-03-31\""));
  g_assert_nonnull (strstr (document, "\"agreed_date\": \"2026-01-20\""));
  g_assert_nonnull (strstr (document, "\"from\": null"));

  created = om_test_found (fresh, om_json_import_file (fresh, path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpuint (created->len, ==, 1);
  imported = om_opportunity_get_data (g_ptr_array_index (created, 0));
  g_assert_true (om_opportunity_data_equal (imported, data, FALSE));
  g_assert_cmpuint (imported->schedule->len, ==, data->schedule->len);
}

/* A fold (issue 15) needs nothing new of the format: its stages are
 * ordinary stages, and its entry in the schedule history is read back
 * as it was written */
static void
test_v2_fold_round_trip (void)
{
  g_autoptr(OmRepository) repository = om_repository_new (NULL);
  g_autoptr(OmRepository) fresh = om_repository_new (NULL);
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, "Plan", "Client", om_test_date ("2026-01-01"));
  OmOpportunity *opportunity;
  g_autofree char *document = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  const OmOpportunityData *data;
  const OmOpportunityData *imported;

  om_date_set_today (om_test_date ("2026-01-05"));
  opportunity = om_repository_create_opportunity (repository, plan, &error);
  g_assert_no_error (error);
  g_assert_true (om_opportunity_fold_feasibility (opportunity, 4, 5, &error));
  g_assert_no_error (error);
  data = om_opportunity_get_data (opportunity);
  g_assert_true (has_entry (data, OM_SCHEDULE_FOLD, FALSE));

  document = export_all (repository);
  g_assert_nonnull (strstr (document, "\"what\": \"fold\""));
  path = write_document (document, -1);
  created = om_test_found (fresh, om_json_import_file (fresh, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (created->len, ==, 1);
  imported = om_opportunity_get_data (g_ptr_array_index (created, 0));
  g_assert_true (om_opportunity_data_equal (imported, data, FALSE));
}

/* A version 1 document is read as it always was: the keys of version 2
 * are unknown keys in it, and the same keys are read in version 2 */
static void
test_v1_unchanged (void)
{
  static const struct
  {
    const char *members;
    const char *where;
  } keys[] = {
    { ", \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"agreed_date\": \"2026-01-20\"}]",
      "opportunities[0].stages[0].agreed_date" },
    { ", \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"baseline_due_date\": \"2026-01-20\"}]",
      "opportunities[0].stages[0].baseline_due_date" },
    { ", \"target_date\": \"2026-03-01\"", "opportunities[0].target_date" },
    { ", \"schedule_history\": []", "opportunities[0].schedule_history" },
    { ", \"close_date\": null", "opportunities[0].close_date" },
    { ", \"baseline_close_date\": null", "opportunities[0].baseline_close_date" },
    { ", \"pushes\": 0", "opportunities[0].pushes" },
    { ", \"revision\": 1", "opportunities[0].revision" },
  };
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  const OmOpportunityData *data;
  const OmStageData *stage;
  /* what version 1 wrote */
  const char *v1 =
    "{\"format\": \"oppmanager/1\", \"opportunities\": ["
    "  {\"id\": 3, \"title\": \"Deal\", \"client\": \"ACME\", \"start_date\": \"2026-01-05\","
    "   \"status\": \"open\", \"chain_probability\": 0.5, \"notes\": \"\","
    "   \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"status\": \"won\","
    "                 \"decided_on\": \"2026-01-07\", \"due_date\": \"2026-01-07\"},"
    "                {\"activity\": \"B\", \"milestone\": \"N\", \"duration_days\": 10, \"probability\": 0.5,"
    "                 \"due_date\": \"2026-01-17\"}]}]}";

  g_assert_true (om_json_parse (v1, -1, &opportunities, &templates, &error));
  g_assert_no_error (error);
  data = g_ptr_array_index (opportunities, 0);
  g_assert_cmpuint (data->target_date, ==, 0);
  g_assert_cmpuint (data->schedule->len, ==, 0);
  g_assert_cmpuint (data->history->len, ==, 1);
  stage = om_opportunity_data_get_stage (data, 1);
  g_assert_cmpuint (stage->agreed_on, ==, 0);
  g_assert_cmpuint (stage->baseline_due, ==, 0);
  g_assert_cmpuint (om_opportunity_data_get_due_date (data, 1), ==, om_test_date ("2026-01-17"));

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *in_v1 = g_strdup_printf ("{\"format\": \"oppmanager/1\", \"opportunities\": ["
                                                "{\"title\": \"Deal\", \"client\": \"ACME\","
                                                " \"start_date\": \"2026-01-05\"%s}]}", keys[i].members);
      g_autofree char *in_v2 = g_strdup_printf ("{\"format\": \"oppmanager/2\", \"opportunities\": ["
                                                "{\"title\": \"Deal\", \"client\": \"ACME\","
                                                " \"start_date\": \"2026-01-05\"%s}]}", keys[i].members);

      g_clear_pointer (&opportunities, g_ptr_array_unref);
      g_clear_pointer (&templates, g_ptr_array_unref);
      g_assert_false (om_json_parse (in_v1, -1, &opportunities, &templates, &error));
      assert_refused (error, OM_JSON_ERROR_UNKNOWN_KEY, keys[i].where);
      /* and says where the key belongs */
      g_assert_nonnull (strstr (error->message, "oppmanager/2"));
      g_clear_error (&error);

      g_assert_true (om_json_parse (in_v2, -1, &opportunities, &templates, &error));
      g_assert_no_error (error);
    }
}

/* Version 2: the derived keys are worked out anew, whatever the
 * document says, and a missing schedule history is an empty one */
static void
test_v2_derived_keys_ignored (void)
{
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  const OmOpportunityData *data;
  OmDerivedValues derived;
  const char *document =
    "{\"format\": \"oppmanager/2\", \"opportunities\": ["
    "  {\"title\": \"Deal\", \"client\": \"ACME\", \"start_date\": \"2026-01-05\","
    "   \"close_date\": \"1999-01-01\", \"baseline_close_date\": \"whenever\", \"pushes\": 42,"
    "   \"revision\": 7,"
    "   \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"duration_days\": 5,"
    "                 \"baseline_due_date\": \"2026-01-08\"}]},"
    "  {\"title\": \"Other\", \"client\": \"ACME\", \"start_date\": \"2026-01-05\","
    "   \"close_date\": null, \"baseline_close_date\": null, \"stages\": []}]}";

  g_assert_true (om_json_parse (document, -1, &opportunities, &templates, &error));
  g_assert_no_error (error);
  data = g_ptr_array_index (opportunities, 0);
  g_assert_cmpint (data->revision, ==, 0);
  g_assert_cmpuint (data->schedule->len, ==, 0);
  g_assert_cmpuint (om_opportunity_data_get_stage (data, 0)->baseline_due, ==, om_test_date ("2026-01-08"));
  om_opportunity_data_derive (data, &derived);
  g_assert_cmpuint (derived.close_date, ==, om_test_date ("2026-01-10"));
  g_assert_cmpuint (derived.baseline_close_date, ==, om_test_date ("2026-01-08"));
  g_assert_cmpuint (derived.pushes, ==, 0);
}

static JsonObject *
first_opportunity (JsonParser *parser,
                   const char *document)
{
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, document, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "oppmanager/2");
  return json_array_get_object_element (json_object_get_array_member (root, "opportunities"), 0);
}

/* The close date, its baseline and the pushes, against a plan whose
 * values are known */
static void
test_v2_export_derived (void)
{
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) bare_parser = json_parser_new ();
  OmOpportunityData *data = om_opportunity_data_new ("Deal", "ACME", om_test_date ("2026-01-05"));
  OmOpportunityData *bare = om_opportunity_data_new ("Bare", "ACME", om_test_date ("2026-01-05"));
  OmStageData *stage;
  g_autofree char *document = NULL;
  g_autofree char *bare_document = NULL;
  JsonObject *opp;
  JsonObject *first_stage;
  JsonArray *schedule;

  /* due 2026-01-12, then 2026-01-26: the close date */
  stage = stage_new ("Meet", "Agrees", OM_STAGE_KIND_STANDARD, 7, 0.8);
  stage->baseline_due = om_test_date ("2026-01-10");
  g_ptr_array_add (data->stages, stage);
  stage = stage_new ("Sign", "Signed", OM_STAGE_KIND_STANDARD, 14, 0.5);
  stage->baseline_due = om_test_date ("2026-01-20");
  g_ptr_array_add (data->stages, stage);
  /* two moves later, one earlier, and a first close date: 2 pushes */
  g_ptr_array_add (data->schedule, om_schedule_entry_new (OM_SCHEDULE_CLOSE_DATE, -1, 0, om_test_date ("2026-01-20"),
                                                          om_test_date ("2026-01-05"), ""));
  g_ptr_array_add (data->schedule, om_schedule_entry_new (OM_SCHEDULE_CLOSE_DATE, -1, om_test_date ("2026-01-20"),
                                                          om_test_date ("2026-01-24"), om_test_date ("2026-01-06"), ""));
  g_ptr_array_add (data->schedule, om_schedule_entry_new (OM_SCHEDULE_CLOSE_DATE, -1, om_test_date ("2026-01-24"),
                                                          om_test_date ("2026-01-22"), om_test_date ("2026-01-07"), ""));
  g_ptr_array_add (data->schedule, om_schedule_entry_new (OM_SCHEDULE_CLOSE_DATE, -1, om_test_date ("2026-01-22"),
                                                          om_test_date ("2026-01-26"), om_test_date ("2026-01-08"), ""));
  g_ptr_array_add (opportunities, data);

  document = om_json_write (opportunities, NULL, NULL);
  opp = first_opportunity (parser, document);
  g_assert_cmpstr (json_object_get_string_member (opp, "close_date"), ==, "2026-01-26");
  g_assert_cmpstr (json_object_get_string_member (opp, "baseline_close_date"), ==, "2026-01-20");
  g_assert_cmpint (json_object_get_int_member (opp, "pushes"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (opp, "revision"), ==, 0);
  /* no target date, no agreed date: not written */
  g_assert_false (json_object_has_member (opp, "target_date"));
  first_stage = json_array_get_object_element (json_object_get_array_member (opp, "stages"), 0);
  g_assert_false (json_object_has_member (first_stage, "agreed_date"));
  g_assert_cmpstr (json_object_get_string_member (first_stage, "baseline_due_date"), ==, "2026-01-10");
  schedule = json_object_get_array_member (opp, "schedule_history");
  g_assert_cmpuint (json_array_get_length (schedule), ==, 4);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (schedule, 0), "from"));
  g_assert_false (json_object_has_member (json_array_get_object_element (schedule, 0), "stage"));

  /* without stages nor baseline: null, null, 0 */
  g_ptr_array_remove_index (opportunities, 0);
  g_ptr_array_add (opportunities, bare);
  bare_document = om_json_write (opportunities, NULL, NULL);
  opp = first_opportunity (bare_parser, bare_document);
  g_assert_true (json_object_get_null_member (opp, "close_date"));
  g_assert_true (json_object_get_null_member (opp, "baseline_close_date"));
  g_assert_cmpint (json_object_get_int_member (opp, "pushes"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (opp, "schedule_history")), ==, 0);
}

/* Reading */

static void
test_defaults (void)
{
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  const char *document =
    "{\"format\": \"oppmanager/1\", \"opportunities\": ["
    "  {\"title\": \"Deal\", \"client\": \"ACME\", \"start_date\": \"2026-01-05\","
    "   \"stages\": [{\"activity\": \"First\", \"milestone\": \"One\"},"
    "                {\"activity\": \"Second\", \"milestone\": \"Two\", \"probability\": 0, \"duration_days\": 0},"
    "                {\"activity\": \"Third\", \"milestone\": \"Three\", \"probability\": 1}]},"
    "  {\"title\": \"No stages\", \"client\": \"ACME\", \"start_date\": \"2026-01-05\"}],"
    " \"templates\": [{\"name\": \"Bare\", \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\"}]}]}";
  const char *activities[] = { "First", "Second", "Third" };
  const OmOpportunityData *data;
  const OmStageData *stage;

  g_assert_true (om_json_parse (document, -1, &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (opportunities->len, ==, 2);

  data = g_ptr_array_index (opportunities, 0);
  g_assert_cmpstr (data->title, ==, "Deal");
  g_assert_cmpstr (data->client, ==, "ACME");
  g_assert_cmpstr (data->coordinator, ==, "");
  g_assert_cmpint (data->value, ==, 0);
  g_assert_cmpstr (data->currency, ==, "EUR");
  g_assert_cmpuint (data->start_date, ==, om_test_date ("2026-01-05"));
  g_assert_cmpstr (data->notes, ==, "");
  g_assert_cmpuint (data->history->len, ==, 0);
  g_assert_cmpuint (data->stages->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (((OmStageData *) g_ptr_array_index (data->stages, i))->activity, ==, activities[i]);

  stage = g_ptr_array_index (data->stages, 0);
  g_assert_cmpstr (stage->milestone, ==, "One");
  g_assert_cmpint (stage->kind, ==, OM_STAGE_KIND_STANDARD);
  g_assert_cmpstr (stage->owner, ==, "");
  g_assert_cmpstr (stage->client_owner, ==, "");
  g_assert_cmpuint (stage->duration_days, ==, 7);
  g_assert_cmpfloat (stage->probability, ==, 0.5);
  g_assert_cmpint (stage->status, ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpuint (stage->decided_on, ==, 0);
  g_assert_cmpstr (stage->lost_reason, ==, "");
  g_assert_cmpstr (stage->client_description, ==, "");
  g_assert_cmpstr (stage->notes, ==, "");

  /* given values are not taken for absent ones */
  stage = g_ptr_array_index (data->stages, 1);
  g_assert_cmpuint (stage->duration_days, ==, 0);
  g_assert_cmpfloat (stage->probability, ==, 0.0);
  stage = g_ptr_array_index (data->stages, 2);
  g_assert_cmpfloat (stage->probability, ==, 1.0);

  data = g_ptr_array_index (opportunities, 1);
  g_assert_cmpuint (data->stages->len, ==, 0);

  g_assert_cmpuint (templates->len, ==, 1);
  stage = g_ptr_array_index (((OmTemplateData *) g_ptr_array_index (templates, 0))->stages, 0);
  g_assert_cmpint (stage->kind, ==, OM_STAGE_KIND_STANDARD);
  g_assert_cmpuint (stage->duration_days, ==, 7);
  g_assert_cmpfloat (stage->probability, ==, 0.5);
  g_assert_cmpstr (stage->client_description, ==, "");
}

static void
test_derived_keys_accepted (void)
{
  g_autoptr(OmRepository) repository = om_repository_new (NULL);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *document =
    "{\"format\": \"oppmanager/1\", \"opportunities\": ["
    "  {\"id\": 41, \"title\": \"Won\", \"client\": \"A\", \"start_date\": \"2026-01-05\","
    "   \"status\": \"won\", \"chain_probability\": 0.123,"
    "   \"stages\": [{\"activity\": \"S\", \"milestone\": \"M\", \"status\": \"won\","
    "                 \"decided_on\": \"2026-01-05\", \"due_date\": \"whenever\"}]},"
    "  {\"id\": 41, \"title\": \"Lost\", \"client\": \"B\", \"start_date\": \"2026-01-05\","
    "   \"status\": \"lost\", \"chain_probability\": 1,"
    "   \"stages\": [{\"activity\": \"S\", \"milestone\": \"M\", \"status\": \"lost\","
    "                 \"decided_on\": \"2026-01-06\", \"lost_reason\": \"Price\"},"
    "                {\"activity\": \"T\", \"milestone\": \"N\", \"lost_reason\": \"\"}]},"
    "  {\"title\": \"Open\", \"client\": \"C\", \"start_date\": \"2026-01-05\", \"status\": \"open\","
    "   \"stages\": []}"
    "]}";

  path = write_document (document, -1);
  created = om_test_found (repository, om_json_import_file (repository, path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpuint (created->len, ==, 3);
  g_assert_cmpint (om_opportunity_get_status (g_ptr_array_index (created, 0)), ==, OM_OPPORTUNITY_STATUS_WON);
  g_assert_cmpint (om_opportunity_get_status (g_ptr_array_index (created, 1)), ==, OM_OPPORTUNITY_STATUS_LOST);
  g_assert_cmpint (om_opportunity_get_status (g_ptr_array_index (created, 2)), ==, OM_OPPORTUNITY_STATUS_OPEN);
  /* the ids of the document are not kept: both said 41 */
  g_assert_cmpint (om_opportunity_get_id (g_ptr_array_index (created, 0)), !=,
                   om_opportunity_get_id (g_ptr_array_index (created, 1)));
  g_assert_cmpfloat (om_opportunity_get_chain_probability (g_ptr_array_index (created, 0)), ==, 1.0);
  g_assert_cmpfloat (om_opportunity_get_chain_probability (g_ptr_array_index (created, 1)), ==, 0.0);
}

static void
test_history_synthesized (void)
{
  g_autoptr(OmRepository) repository = om_repository_new (NULL);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const OmOpportunityData *data;
  const OmHistoryEntry *entry;
  /* R6: one entry per decision, on its date, noted as imported */
  const char *document =
    "{\"format\": \"oppmanager/1\", \"opportunities\": ["
    "  {\"title\": \"Deal\", \"client\": \"ACME\", \"start_date\": \"2026-01-05\", \"stages\": ["
    "    {\"activity\": \"A\", \"milestone\": \"M\", \"status\": \"won\", \"decided_on\": \"2026-01-12\"},"
    "    {\"activity\": \"B\", \"milestone\": \"N\", \"status\": \"won\", \"decided_on\": \"2026-01-20\"},"
    "    {\"activity\": \"C\", \"milestone\": \"O\", \"status\": \"lost\", \"decided_on\": \"2026-01-25\","
    "     \"lost_reason\": \"Too expensive\"},"
    "    {\"activity\": \"D\", \"milestone\": \"P\"}]}]}";

  path = write_document (document, -1);
  created = om_test_found (repository, om_json_import_file (repository, path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (created);
  data = om_opportunity_get_data (g_ptr_array_index (created, 0));
  g_assert_cmpuint (data->history->len, ==, 3);

  entry = g_ptr_array_index (data->history, 0);
  g_assert_cmpuint (entry->stage, ==, 0);
  g_assert_cmpint (entry->from, ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpint (entry->to, ==, OM_STAGE_STATUS_WON);
  g_assert_cmpuint (entry->on, ==, om_test_date ("2026-01-12"));
  g_assert_cmpstr (entry->note, ==, "Imported");

  entry = g_ptr_array_index (data->history, 1);
  g_assert_cmpuint (entry->stage, ==, 1);
  g_assert_cmpint (entry->to, ==, OM_STAGE_STATUS_WON);
  g_assert_cmpuint (entry->on, ==, om_test_date ("2026-01-20"));

  entry = g_ptr_array_index (data->history, 2);
  g_assert_cmpuint (entry->stage, ==, 2);
  g_assert_cmpint (entry->from, ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpint (entry->to, ==, OM_STAGE_STATUS_LOST);
  g_assert_cmpuint (entry->on, ==, om_test_date ("2026-01-25"));
  g_assert_cmpstr (entry->note, ==, "Imported");
  g_assert_cmpstr (((OmStageData *) g_ptr_array_index (data->stages, 2))->lost_reason, ==, "Too expensive");
}

static void
test_history_given (void)
{
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  const OmOpportunityData *data;
  const OmHistoryEntry *entry;
  /* a given history is kept as it is, even an empty one where no
   * decision was taken */
  const char *document =
    "{\"format\": \"oppmanager/1\", \"opportunities\": ["
    "  {\"title\": \"Deal\", \"client\": \"ACME\", \"start_date\": \"2026-01-05\", \"stages\": ["
    "    {\"activity\": \"A\", \"milestone\": \"M\", \"status\": \"won\", \"decided_on\": \"2026-01-20\"}],"
    "   \"history\": [{\"stage\": 0, \"from\": \"pending\", \"to\": \"won\", \"on\": \"2026-01-07\"},"
    "                 {\"stage\": 0, \"from\": \"won\", \"to\": \"pending\", \"on\": \"2026-01-08\", \"note\": \"Oops\"},"
    "                 {\"stage\": 0, \"from\": \"pending\", \"to\": \"won\", \"on\": \"2026-01-20\", \"note\": \"Again\"}]},"
    "  {\"title\": \"Deal\", \"client\": \"ACME\", \"start_date\": \"2026-01-05\", \"stages\": ["
    "    {\"activity\": \"A\", \"milestone\": \"M\"}],"
    "   \"history\": []}]}";

  g_assert_true (om_json_parse (document, strlen (document), &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (templates->len, ==, 0);

  data = g_ptr_array_index (opportunities, 0);
  g_assert_cmpuint (data->history->len, ==, 3);
  entry = g_ptr_array_index (data->history, 1);
  g_assert_cmpint (entry->from, ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (entry->to, ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpuint (entry->on, ==, om_test_date ("2026-01-08"));
  g_assert_cmpstr (entry->note, ==, "Oops");
  entry = g_ptr_array_index (data->history, 0);
  g_assert_cmpstr (entry->note, ==, "");

  data = g_ptr_array_index (opportunities, 1);
  g_assert_cmpuint (data->history->len, ==, 0);
}

static void
test_byte_order_mark (void)
{
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (om_json_parse ("\xef\xbb\xbf{\"format\": \"oppmanager/1\", \"opportunities\": []}", -1,
                                &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (opportunities->len, ==, 0);
  g_assert_cmpuint (templates->len, ==, 0);
}

/* Refusals */

typedef struct
{
  const char  *name;
  const char  *document;
  gssize       length;
  OmJsonError  code;
  const char  *where;      /* what the message starts with, before ": " */
} Refusal;

#define DOC(opportunities) "{\"format\": \"oppmanager/1\", \"opportunities\": [" opportunities "]}"
#define OPP_AT(start, more) "{\"title\": \"Deal\", \"client\": \"ACME\", \"start_date\": \"" start "\"" more "}"
#define OPP(more) OPP_AT ("2026-01-05", more)
#define STAGES(list) ", \"stages\": [" list "]"
#define STAGE(more) "{\"activity\": \"Meet\", \"milestone\": \"Client agrees\"" more "}"
#define WON(on) STAGE (", \"status\": \"won\", \"decided_on\": \"" on "\"")
#define LOST(on) STAGE (", \"status\": \"lost\", \"decided_on\": \"" on "\", \"lost_reason\": \"Price\"")
#define HISTORY(entries) ", \"history\": [" entries "]"
#define ENTRY(stage, from, to, on) \
  "{\"stage\": " #stage ", \"from\": \"" from "\", \"to\": \"" to "\", \"on\": \"" on "\"}"
#define TEMPLATES(list) "{\"format\": \"oppmanager/1\", \"opportunities\": [], \"templates\": [" list "]}"
#define DOC2(opportunities) "{\"format\": \"oppmanager/2\", \"opportunities\": [" opportunities "]}"
#define SCHEDULE(entries) ", \"schedule_history\": [" entries "]"
#define CLOSE_MOVE(from, to, on) \
  "{\"on\": \"" on "\", \"what\": \"close-date\", \"from\": " from ", \"to\": " to "}"
#define AGREED_ENTRY(stage, on) \
  "{\"on\": \"" on "\", \"what\": \"agreed-date\", \"stage\": " #stage ", \"from\": null, \"to\": \"2026-01-20\"}"

static const Refusal refusals[] = {
  /* not JSON */
  { "syntax-error", "{\n  \"format\": \"oppmanager/1\"\n  \"opportunities\": []\n}", -1,
    OM_JSON_ERROR_SYNTAX, "line 3, column 3" },
  { "trailing-comma", DOC (OPP ("") ","), -1, OM_JSON_ERROR_SYNTAX, "line 1, column 110" },
  { "empty-document", "", -1, OM_JSON_ERROR_SYNTAX, "line 1, column 1" },
  { "blank-document", " \n\t ", -1, OM_JSON_ERROR_SYNTAX, "line 2, column 3" },
  { "text-after-document", DOC ("") "\n{}", -1, OM_JSON_ERROR_SYNTAX, "line 2, column 1" },
  { "comment", "// mine\n" DOC (""), -1, OM_JSON_ERROR_SYNTAX, "line 1, column 1" },
  { "single-quotes", "{'format': 'oppmanager/1', 'opportunities': []}", -1, OM_JSON_ERROR_SYNTAX, "line 1, column 2" },
  { "duplicate-key", "{\"format\": \"oppmanager/1\",\n \"format\": \"oppmanager/1\", \"opportunities\": []}", -1,
    OM_JSON_ERROR_SYNTAX, "line 2, column 2" },
  { "number-too-large", DOC (OPP (STAGES (STAGE (", \"duration_days\": 18446744073709551623")))), -1,
    OM_JSON_ERROR_SYNTAX, "line 1, column 189" },
  { "lone-surrogate", DOC (OPP (", \"notes\": \"\\ud83d\"")), -1, OM_JSON_ERROR_SYNTAX, "line 1, column 120" },
  { "nul-escape", DOC (OPP (", \"notes\": \"a\\u0000b\"")), -1, OM_JSON_ERROR_SYNTAX, "line 1, column 121" },
  { "invalid-utf8", "{\"format\": \"oppmanager/1\",\n \"opportunities\": [{\"title\": \"Caf\xe9\"}]}", -1,
    OM_JSON_ERROR_ENCODING, "line 2, column 34 (byte offset 60)" },
  { "nul-byte", "{\"format\": \"oppm\0anager/1\"}", 27, OM_JSON_ERROR_ENCODING, "line 1, column 17 (byte offset 16)" },

  /* not ours */
  { "top-level-array", "[]", -1, OM_JSON_ERROR_FORMAT, "top level" },
  { "wrong-format", "{\"format\": \"oppmanager/3\", \"opportunities\": []}", -1, OM_JSON_ERROR_FORMAT, "format" },
  { "missing-format", "{\"opportunities\": []}", -1, OM_JSON_ERROR_FORMAT, "format" },
  { "format-not-text", "{\"format\": 1, \"opportunities\": []}", -1, OM_JSON_ERROR_FORMAT, "format" },

  /* the document */
  { "unknown-top-level-key", "{\"format\": \"oppmanager/1\", \"opportunities\": [], \"extra\": true}", -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "extra" },
  { "missing-opportunities", "{\"format\": \"oppmanager/1\", \"templates\": []}", -1,
    OM_JSON_ERROR_MISSING_KEY, "opportunities" },
  /* version 2 shares templates alone, but a document holds something */
  { "v2-missing-opportunities-and-templates", "{\"format\": \"oppmanager/2\"}", -1,
    OM_JSON_ERROR_MISSING_KEY, "opportunities" },
  { "opportunities-not-list", "{\"format\": \"oppmanager/1\", \"opportunities\": {}}", -1,
    OM_JSON_ERROR_TYPE, "opportunities" },
  { "opportunity-not-object", DOC ("\"Deal\""), -1, OM_JSON_ERROR_TYPE, "opportunities[0]" },

  /* an opportunity */
  { "unknown-opportunity-key", DOC (OPP (", \"clinet\": \"ACME\"")), -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "opportunities[0].clinet" },
  { "title-missing", DOC ("{\"client\": \"ACME\", \"start_date\": \"2026-01-05\"}"), -1,
    OM_JSON_ERROR_MISSING_KEY, "opportunities[0].title" },
  { "title-blank", DOC ("{\"title\": \" \\t \", \"client\": \"ACME\", \"start_date\": \"2026-01-05\"}"), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].title" },
  { "client-wrong-type", DOC ("{\"title\": \"Deal\", \"client\": 42, \"start_date\": \"2026-01-05\"}"), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].client" },
  { "start-date-missing", DOC ("{\"title\": \"Deal\", \"client\": \"ACME\"}"), -1,
    OM_JSON_ERROR_MISSING_KEY, "opportunities[0].start_date" },
  { "start-date-not-a-day", DOC (OPP_AT ("2026-02-30", "")), -1, OM_JSON_ERROR_VALUE, "opportunities[0].start_date" },
  { "start-date-slashes", DOC (OPP_AT ("2026/01/01", "")), -1, OM_JSON_ERROR_VALUE, "opportunities[0].start_date" },
  { "value-three-decimals", DOC (OPP (", \"value\": \"10.123\"")), -1, OM_JSON_ERROR_VALUE, "opportunities[0].value" },
  { "value-negative", DOC (OPP (", \"value\": \"-5.00\"")), -1, OM_JSON_ERROR_VALUE, "opportunities[0].value" },
  { "value-number", DOC (OPP (", \"value\": 1000")), -1, OM_JSON_ERROR_TYPE, "opportunities[0].value" },
  { "value-too-large", DOC (OPP (", \"value\": \"99999999999999999999999\"")), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].value" },
  { "currency-lower-case", DOC (OPP (", \"currency\": \"eur\"")), -1, OM_JSON_ERROR_VALUE, "opportunities[0].currency" },
  { "notes-null", DOC (OPP (", \"notes\": null")), -1, OM_JSON_ERROR_TYPE, "opportunities[0].notes" },
  { "id-text", DOC (OPP (", \"id\": \"7\"")), -1, OM_JSON_ERROR_TYPE, "opportunities[0].id" },
  { "id-fraction", DOC (OPP (", \"id\": 7.5")), -1, OM_JSON_ERROR_VALUE, "opportunities[0].id" },
  { "chain-probability-text", DOC (OPP (", \"chain_probability\": \"0.5\"")), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].chain_probability" },
  { "unknown-opportunity-status", DOC (OPP (", \"status\": \"closed\"")), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].status" },
  { "status-contradicts-stages", DOC (OPP (", \"status\": \"won\"" STAGES (WON ("2026-01-10") "," STAGE ("")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].status" },
  { "status-won-without-stages", DOC (OPP (", \"status\": \"won\"")), -1, OM_JSON_ERROR_RULE, "opportunities[0].status" },
  { "stages-not-list", DOC (OPP (", \"stages\": \"none\"")), -1, OM_JSON_ERROR_TYPE, "opportunities[0].stages" },

  /* a stage */
  { "unknown-stage-key", DOC (OPP ("") "," OPP (STAGES (STAGE (", \"probabilty\": 0.5")))), -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "opportunities[1].stages[0].probabilty" },
  { "stage-not-object", DOC (OPP (STAGES ("\"Meet\""))), -1, OM_JSON_ERROR_TYPE, "opportunities[0].stages[0]" },
  { "activity-missing", DOC (OPP (STAGES ("{\"milestone\": \"M\"}"))), -1,
    OM_JSON_ERROR_MISSING_KEY, "opportunities[0].stages[0].activity" },
  { "milestone-blank", DOC (OPP (STAGES ("{\"activity\": \"A\", \"milestone\": \"\"}"))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].milestone" },
  { "probability-too-high", DOC (OPP (STAGES (STAGE (", \"probability\": 1.5")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].probability" },
  { "probability-negative", DOC (OPP (STAGES (STAGE (", \"probability\": -0.1")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].probability" },
  { "probability-text", DOC (OPP (STAGES (STAGE (", \"probability\": \"0.5\"")))), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].stages[0].probability" },
  { "duration-fraction", DOC (OPP (STAGES (STAGE ("") "," STAGE (", \"duration_days\": 1.5")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[1].duration_days" },
  { "duration-negative", DOC (OPP (STAGES (STAGE (", \"duration_days\": -1")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].duration_days" },
  { "duration-too-long", DOC (OPP (STAGES (STAGE (", \"duration_days\": 36501")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].duration_days" },
  { "duration-boolean", DOC (OPP (STAGES (STAGE (", \"duration_days\": true")))), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].stages[0].duration_days" },
  { "unknown-kind", DOC (OPP (STAGES (STAGE (", \"kind\": \"meeting\"")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].kind" },
  { "unknown-status", DOC (OPP (STAGES (STAGE ("") "," STAGE ("") "," STAGE (", \"status\": \"done\"")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[2].status" },
  { "decided-on-not-a-day", DOC (OPP (STAGES (STAGE (", \"status\": \"won\", \"decided_on\": \"2026-13-01\"")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].decided_on" },
  { "due-date-number", DOC (OPP (STAGES (STAGE (", \"due_date\": 20260110")))), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].stages[0].due_date" },

  /* the rules */
  { "won-after-pending", DOC (OPP (STAGES (STAGE ("") "," WON ("2026-01-10")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[1].status" },
  { "won-after-lost", DOC (OPP (STAGES (WON ("2026-01-06") "," LOST ("2026-01-07") "," WON ("2026-01-08")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[2].status" },
  { "lost-after-pending", DOC (OPP (STAGES (STAGE ("") "," LOST ("2026-01-07")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[1].status" },
  { "two-lost", DOC (OPP (STAGES (LOST ("2026-01-07") "," LOST ("2026-01-08")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[1].status" },
  { "lost-without-reason",
    DOC (OPP (STAGES (STAGE (", \"status\": \"lost\", \"decided_on\": \"2026-01-10\"")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[0].lost_reason" },
  { "lost-blank-reason",
    DOC (OPP (STAGES (STAGE (", \"status\": \"lost\", \"decided_on\": \"2026-01-10\", \"lost_reason\": \"  \"")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[0].lost_reason" },
  { "reason-when-not-lost", DOC (OPP (STAGES (STAGE (", \"lost_reason\": \"Price\"")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[0].lost_reason" },
  { "won-without-date", DOC (OPP (STAGES (STAGE (", \"status\": \"won\"")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[0].decided_on" },
  { "pending-with-date", DOC (OPP (STAGES (STAGE (", \"decided_on\": \"2026-01-10\"")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[0].decided_on" },
  { "decided-before-start", DOC (OPP (STAGES (WON ("2026-01-04")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[0].decided_on" },

  /* the history */
  { "history-stage-out-of-range",
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY ("{\"stage\": 1, \"from\": \"pending\", \"to\": \"won\", \"on\": \"2026-01-10\"}"))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].history[0].stage" },
  { "history-stage-negative",
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY ("{\"stage\": -1, \"from\": \"pending\", \"to\": \"won\", \"on\": \"2026-01-10\"}"))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].history[0].stage" },
  { "history-same-status",
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY ("{\"stage\": 0, \"from\": \"won\", \"to\": \"won\", \"on\": \"2026-01-10\"}"))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].history[0].to" },
  { "history-unknown-status",
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY ("{\"stage\": 0, \"from\": \"open\", \"to\": \"won\", \"on\": \"2026-01-10\"}"))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].history[0].from" },
  { "history-missing-date",
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY ("{\"stage\": 0, \"from\": \"pending\", \"to\": \"won\"}"))), -1,
    OM_JSON_ERROR_MISSING_KEY, "opportunities[0].history[0].on" },
  { "history-unknown-key",
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY ("{\"stage\": 0, \"from\": \"pending\", \"to\": \"won\", \"on\": \"2026-01-10\", \"by\": \"Ann\"}"))), -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "opportunities[0].history[0].by" },

  /* R6: the history replays to the statuses */
  { "history-empty-with-decisions", DOC (OPP (STAGES (WON ("2026-01-10") "," LOST ("2026-01-12")) HISTORY (""))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].history" },
  { "history-missing-entry",
    DOC (OPP (STAGES (WON ("2026-01-10") "," WON ("2026-01-12"))
              HISTORY (ENTRY (0, "pending", "won", "2026-01-10")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].history" },
  { "history-change-never-happened",
    DOC (OPP (STAGES (WON ("2026-01-10") "," STAGE (""))
              HISTORY (ENTRY (0, "pending", "won", "2026-01-10") "," ENTRY (1, "pending", "won", "2026-01-11")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].history[1].to" },
  { "history-out-of-date-order",
    DOC (OPP (STAGES (WON ("2026-01-10") "," WON ("2026-01-12"))
              HISTORY (ENTRY (0, "pending", "won", "2026-01-12") "," ENTRY (1, "pending", "won", "2026-01-10")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].history[1].on" },
  { "history-wrong-from",
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY (ENTRY (0, "won", "pending", "2026-01-10")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].history[0].from" },
  { "history-won-to-lost",
    DOC (OPP (STAGES (LOST ("2026-01-10"))
              HISTORY (ENTRY (0, "pending", "won", "2026-01-09") "," ENTRY (0, "won", "lost", "2026-01-10")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].history[1].to" },

  /* R5: decided dates go forward, every date stays in the calendar */
  { "decided-before-previous", DOC (OPP (STAGES (WON ("2026-01-10") "," WON ("2026-01-08")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[1].decided_on" },
  { "lost-before-previous", DOC (OPP (STAGES (WON ("2026-01-10") "," LOST ("2026-01-09")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[1].decided_on" },
  { "due-date-past-9999", DOC (OPP_AT ("9999-12-01", STAGES (STAGE (", \"duration_days\": 31")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[0].duration_days" },
  { "due-date-past-9999-down-the-chain",
    DOC (OPP_AT ("9850-01-01", STAGES (STAGE (", \"duration_days\": 36500") "," STAGE ("")
                                       "," STAGE (", \"duration_days\": 36500")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[2].duration_days" },
  { "decided-in-year-10000", DOC (OPP (STAGES (WON ("10000-01-01")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].decided_on" },

  /* version 2: the schedule (SPEC 6), syntax first, then the model's rules */
  { "v1-agreed-date", DOC (OPP (STAGES (STAGE (", \"agreed_date\": \"2026-01-20\"")))), -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "opportunities[0].stages[0].agreed_date" },
  { "v1-schedule-history", DOC (OPP (SCHEDULE (""))), -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "opportunities[0].schedule_history" },
  { "agreed-date-not-a-day", DOC2 (OPP (STAGES (STAGE (", \"agreed_date\": \"2026-02-30\"")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].agreed_date" },
  { "agreed-date-in-year-10000", DOC2 (OPP (STAGES (STAGE ("") "," STAGE (", \"agreed_date\": \"10000-01-01\"")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[1].agreed_date" },
  { "agreed-date-number", DOC2 (OPP (STAGES (STAGE (", \"agreed_date\": 20260120")))), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].stages[0].agreed_date" },
  { "baseline-due-not-a-day", DOC2 (OPP (STAGES (STAGE (", \"baseline_due_date\": \"soon\"")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].stages[0].baseline_due_date" },
  { "target-date-number", DOC2 (OPP (", \"target_date\": 12")), -1, OM_JSON_ERROR_TYPE, "opportunities[0].target_date" },
  { "target-date-not-a-day", DOC2 (OPP (", \"target_date\": \"next spring\"")), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].target_date" },
  { "close-date-number", DOC2 (OPP (", \"close_date\": 20260120")), -1, OM_JSON_ERROR_TYPE, "opportunities[0].close_date" },
  { "baseline-close-date-list", DOC2 (OPP (", \"baseline_close_date\": []")), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].baseline_close_date" },
  { "pushes-text", DOC2 (OPP (", \"pushes\": \"2\"")), -1, OM_JSON_ERROR_TYPE, "opportunities[0].pushes" },
  { "revision-fraction", DOC2 (OPP (", \"revision\": 1.5")), -1, OM_JSON_ERROR_VALUE, "opportunities[0].revision" },
  { "schedule-history-not-list", DOC2 (OPP (", \"schedule_history\": {}")), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].schedule_history" },
  { "schedule-entry-not-object", DOC2 (OPP (SCHEDULE ("\"moved\""))), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].schedule_history[0]" },
  { "schedule-unknown-what", DOC2 (OPP (SCHEDULE ("{\"on\": \"2026-01-06\", \"what\": \"moved\", \"from\": null, \"to\": null}"))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].schedule_history[0].what" },
  { "schedule-unknown-key",
    DOC2 (OPP (SCHEDULE ("{\"on\": \"2026-01-06\", \"what\": \"baseline\", \"from\": null, \"to\": null, \"by\": \"Ann\"}"))), -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "opportunities[0].schedule_history[0].by" },
  { "schedule-missing-on", DOC2 (OPP (SCHEDULE ("{\"what\": \"baseline\", \"from\": null, \"to\": null}"))), -1,
    OM_JSON_ERROR_MISSING_KEY, "opportunities[0].schedule_history[0].on" },
  { "schedule-from-not-a-day", DOC2 (OPP (STAGES (STAGE ("")) SCHEDULE (CLOSE_MOVE ("\"2026-13-01\"", "null", "2026-01-06")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].schedule_history[0].from" },
  { "schedule-to-number", DOC2 (OPP (STAGES (STAGE ("")) SCHEDULE (CLOSE_MOVE ("null", "5", "2026-01-06")))), -1,
    OM_JSON_ERROR_TYPE, "opportunities[0].schedule_history[0].to" },
  { "agreed-entry-without-stage",
    DOC2 (OPP (STAGES (STAGE ("")) SCHEDULE ("{\"on\": \"2026-01-06\", \"what\": \"agreed-date\", \"from\": null, \"to\": null}"))), -1,
    OM_JSON_ERROR_MISSING_KEY, "opportunities[0].schedule_history[0].stage" },
  { "agreed-entry-stage-negative", DOC2 (OPP (STAGES (STAGE ("")) SCHEDULE (AGREED_ENTRY (-1, "2026-01-06")))), -1,
    OM_JSON_ERROR_VALUE, "opportunities[0].schedule_history[0].stage" },
  { "agreed-on-won-stage",
    DOC2 (OPP (STAGES (STAGE (", \"status\": \"won\", \"decided_on\": \"2026-01-10\", \"agreed_date\": \"2026-01-12\"")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[0].agreed_date" },
  { "agreed-on-lost-stage",
    DOC2 (OPP (STAGES (WON ("2026-01-08") ","
                       STAGE (", \"status\": \"lost\", \"decided_on\": \"2026-01-10\", \"lost_reason\": \"Price\","
                              " \"agreed_date\": \"2026-01-12\"")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[1].agreed_date" },
  { "agreed-before-start", DOC2 (OPP (STAGES (STAGE ("") "," STAGE (", \"agreed_date\": \"2026-01-04\"")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].stages[1].agreed_date" },
  { "schedule-out-of-date-order",
    DOC2 (OPP (STAGES (STAGE ("")) SCHEDULE (CLOSE_MOVE ("null", "\"2026-01-12\"", "2026-01-08") ","
                                             CLOSE_MOVE ("\"2026-01-12\"", "\"2026-01-14\"", "2026-01-07")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].schedule_history[1].on" },
  { "schedule-stage-out-of-range", DOC2 (OPP (STAGES (STAGE ("")) SCHEDULE (AGREED_ENTRY (99, "2026-01-06")))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].schedule_history[0].stage" },
  { "schedule-stage-on-close-date",
    DOC2 (OPP (STAGES (STAGE ("")) SCHEDULE ("{\"on\": \"2026-01-06\", \"what\": \"close-date\", \"stage\": 0,"
                                             " \"from\": null, \"to\": \"2026-01-12\"}"))), -1,
    OM_JSON_ERROR_RULE, "opportunities[0].schedule_history[0].stage" },

  /* the templates */
  { "template-unknown-key",
    TEMPLATES ("{\"name\": \"T\", \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"owner\": \"Ann\"}]}"), -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "templates[0].stages[0].owner" },
  { "template-decided-stage",
    TEMPLATES ("{\"name\": \"T\", \"stages\": [{\"activity\": \"A\", \"milestone\": \"M\", \"status\": \"won\"}]}"), -1,
    OM_JSON_ERROR_UNKNOWN_KEY, "templates[0].stages[0].status" },
  { "template-name-missing", TEMPLATES ("{\"stages\": []}"), -1, OM_JSON_ERROR_MISSING_KEY, "templates[0].name" },
  { "template-same-name", TEMPLATES ("{\"name\": \"T\"}, {\"name\": \"T\"}"), -1, OM_JSON_ERROR_RULE, "templates[1].name" },
  { "templates-not-list", "{\"format\": \"oppmanager/1\", \"opportunities\": [], \"templates\": {}}", -1,
    OM_JSON_ERROR_TYPE, "templates" },
};

/* A fingerprint of the database file's bytes, its write-ahead log included */
static char *
file_bytes (const char *db)
{
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *main_contents = NULL;
  g_autofree char *wal_contents = NULL;
  g_autofree char *main_sum = NULL;
  g_autofree char *wal_sum = NULL;
  gsize main_length = 0, wal_length = 0;

  g_assert_true (g_file_get_contents (db, &main_contents, &main_length, NULL));
  main_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) main_contents, main_length);
  if (g_file_get_contents (wal, &wal_contents, &wal_length, NULL))
    wal_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) wal_contents, wal_length);
  return g_strdup_printf ("%s|%s", main_sum, wal_sum ? wal_sum : "no wal");
}

/* The repository that a refused import must leave alone, kept in a real
 * database so that the file can be checked too */
static OmRepository *
repository_on_disk (char **db)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmOpportunityData) data = om_opportunity_data_new ("Existing deal", "Initech", om_test_date ("2026-01-02"));
  OmRepository *repository;

  *db = g_strdup_printf ("%s/refusal-%u.db", tmp_dir, counter++);
  repository = om_test_database_open_repository (*db);
  g_ptr_array_add (data->stages, stage_new ("Call", "Client agrees to meet", OM_STAGE_KIND_STANDARD, 5, 0.9));
  g_assert_nonnull (om_repository_create_opportunity (repository, data, &error));
  g_assert_no_error (error);
  return repository;
}

static void
test_refusal (gconstpointer user_data)
{
  const Refusal *refusal = user_data;
  g_autofree char *db = NULL;
  g_autoptr(OmRepository) repository = repository_on_disk (&db);
  g_autofree char *disk_before = file_bytes (db);
  g_autofree char *disk_after = NULL;
  g_autofree char *before = export_all (repository);
  g_autofree char *after = NULL;
  g_autofree char *path = write_document (refusal->document, refusal->length);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *opportunities = (GPtrArray *) &error;   /* anything but NULL */
  GPtrArray *templates = (GPtrArray *) &error;
  GError *parse_error = NULL;

  g_assert_false (om_json_parse (refusal->document, refusal->length, &opportunities, &templates, &parse_error));
  g_assert_null (opportunities);
  g_assert_null (templates);
  assert_refused (parse_error, refusal->code, refusal->where);
  g_clear_error (&parse_error);

  created = om_test_found (repository, om_json_import_file (repository, path, &error));
  g_assert_null (created);
  assert_refused (error, refusal->code, refusal->where);

  g_assert_cmpuint (n_opportunities (repository), ==, 1);
  g_assert_cmpuint (n_templates (repository), ==, 1);
  after = export_all (repository);
  g_assert_cmpstr (before, ==, after);

  /* and the database is as it was, on disk */
  disk_after = file_bytes (db);
  g_assert_cmpstr (disk_before, ==, disk_after);
  {
    g_autoptr(GError) open_error = NULL;
    g_autoptr(OmRepository) reloaded = om_database_open_repository (db, &open_error);
    g_autofree char *reloaded_export = NULL;

    g_assert_no_error (open_error);
    reloaded_export = export_all (reloaded);
    g_assert_cmpstr (before, ==, reloaded_export);
  }
}

/* Every refusal is one line, quotes at most 80 characters of a value
 * and shows control characters escaped, whatever the document holds */
static void
test_refuse_messages_one_line (void)
{
  /* @ stands for a hostile value: line breaks, a terminal escape that
   * clears the screen, and a megabyte more */
  static const char * const documents[] = {
    DOC (OPP (STAGES (STAGE (", \"kind\": \"@\"")))),
    DOC (OPP (STAGES (STAGE (", \"status\": \"@\"")))),
    DOC (OPP (STAGES (STAGE (", \"status\": \"won\", \"decided_on\": \"@\"")))),
    DOC (OPP (", \"status\": \"@\"")),
    DOC (OPP (", \"currency\": \"@\"")),
    DOC (OPP_AT ("@", "")),
    DOC (OPP (", \"value\": \"@\"")),
    DOC (OPP (", \"value\": \"-@\"")),
    DOC (OPP (", \"@\": 1")),
    DOC (OPP (STAGES (STAGE (", \"@\": 1")))),
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY (ENTRY (0, "@", "won", "2026-01-10")))),
    DOC (OPP (STAGES (WON ("2026-01-10")) HISTORY (ENTRY (0, "pending", "won", "@")))),
    "{\"format\": \"@\", \"opportunities\": []}",
    "{\"format\": \"oppmanager/1\", \"opportunities\": [], \"@\": 1, \"@\": 2}",
    TEMPLATES ("{\"name\": \"@\"}, {\"name\": \"@\"}"),
    DOC2 (OPP (STAGES (STAGE (", \"agreed_date\": \"@\"")))),
    DOC2 (OPP (", \"target_date\": \"@\"")),
    DOC2 (OPP (SCHEDULE ("{\"on\": \"2026-01-06\", \"what\": \"@\", \"from\": null, \"to\": null}"))),
    DOC2 (OPP (SCHEDULE ("{\"on\": \"2026-01-06\", \"what\": \"baseline\", \"from\": \"@\", \"to\": null}"))),
  };
  g_autoptr(GString) hostile = g_string_new ("line\\nbreak\\r\\u001b[2J\\u0085\\u2028");

  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (hostile, 'x');

  for (guint i = 0; i < G_N_ELEMENTS (documents) + 3; i++)
    {
      g_autoptr(GString) document = NULL;
      g_autoptr(GPtrArray) opportunities = NULL;
      g_autoptr(GPtrArray) templates = NULL;
      g_autoptr(GError) error = NULL;

      if (i < G_N_ELEMENTS (documents))
        {
          document = g_string_new (documents[i]);
          g_string_replace (document, "@", hostile->str, 0);
        }
      else if (i == G_N_ELEMENTS (documents))
        {
          /* a huge number */
          g_autofree char *digits = g_strnfill (1000000, '9');

          document = g_string_new (DOC (OPP (STAGES (STAGE (", \"duration_days\": @")))));
          g_string_replace (document, "@", digits, 0);
        }
      else if (i == G_N_ELEMENTS (documents) + 1)
        /* an escape that is not one, of a C1 control character */
        document = g_string_new (DOC (OPP (", \"notes\": \"\\\xc2\x85\"")));
      else
        /* a line separator where a value should be */
        document = g_string_new ("{\"format\": \xe2\x80\xa8}");

      g_assert_false (om_json_parse (document->str, document->len, &opportunities, &templates, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 400);
      for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          g_assert_false (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029);
        }
    }
}

/* Item 7: a database file is judged by the same rules as a document */
static void
test_database_same_judge (void)
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OmRepository) reopened = NULL;
  sqlite3 *raw = NULL;
  char *message = NULL;

  {
    g_autoptr(OmRepository) repository = repository_on_disk (&db);
  }

  /* a lost reason on a pending stage, written behind the app's back */
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  if (sqlite3_exec (raw, "UPDATE stages SET lost_reason = 'Price'", NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  g_assert_cmpint (sqlite3_changes (raw), ==, 1);
  sqlite3_close (raw);

  /* the file opens (opening reads no stage), and the opportunity is
   * refused when it is read, by the same judge as the JSON reader */
  reopened = om_database_open_repository (db, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reopened);
  {
    GListModel *all = om_repository_get_opportunities (reopened);
    g_autoptr(OmOpportunity) opp = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (all), ==, 1);
    opp = g_list_model_get_item (all, 0);
    g_assert_false (om_opportunity_load (opp, &error));
  }
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "is not lost, so it cannot have a reason for losing it"));
}

static void
test_refuse_too_deep (void)
{
  g_autoptr(GString) document = g_string_new (DOC (OPP (", \"notes\": ")));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  /* json-glib 1.6 alone runs out of stack on this */
  g_string_truncate (document, document->len - 3);
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (document, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (document, ']');
  g_string_append (document, "}]}");

  g_assert_false (om_json_parse (document->str, document->len, &opportunities, &templates, &error));
  g_assert_error (error, OM_JSON_ERROR, OM_JSON_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "line 1, column "));
  g_assert_null (opportunities);
}

static void
test_refuse_unreadable (void)
{
  g_autoptr(OmRepository) repository = repository_with_one ();
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-file.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) created = om_test_found (repository, om_json_import_file (repository, path, &error));

  g_assert_null (created);
  g_assert_error (error, OM_JSON_ERROR, OM_JSON_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "no-such-file.json"));
  g_assert_cmpuint (n_opportunities (repository), ==, 1);
}

static void
test_all_or_nothing (void)
{
  g_autoptr(OmRepository) repository = repository_with_one ();
  g_autofree char *before = export_all (repository);
  g_autofree char *after = NULL;
  g_autofree char *good_path = NULL;
  g_autofree char *bad_path = NULL;
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  const char *good =
    "{\"format\": \"oppmanager/1\", \"opportunities\": ["
    OPP (STAGES (WON ("2026-01-06"))) "," OPP (STAGES (STAGE ("")))
    "], \"templates\": [{\"name\": \"T\", \"stages\": []}]}";
  const char *bad =
    "{\"format\": \"oppmanager/1\", \"opportunities\": ["
    OPP (STAGES (WON ("2026-01-06"))) "," OPP (STAGES (STAGE (""))) ","
    OPP (STAGES (STAGE (", \"status\": \"won\"")))
    "], \"templates\": [{\"name\": \"T\", \"stages\": []}]}";

  /* the same document without the third opportunity goes in whole… */
  {
    g_autoptr(OmRepository) other = repository_with_one ();

    good_path = write_document (good, -1);
    created = om_test_found (other, om_json_import_file (other, good_path, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (created->len, ==, 2);
    g_assert_cmpuint (n_opportunities (other), ==, 3);
    g_assert_cmpuint (n_templates (other), ==, 2);
    g_clear_pointer (&created, g_ptr_array_unref);
  }

  /* …and with it, not at all */
  bad_path = write_document (bad, -1);
  created = om_test_found (repository, om_json_import_file (repository, bad_path, &error));
  g_assert_null (created);
  assert_refused (error, OM_JSON_ERROR_RULE, "opportunities[2].stages[0].decided_on");
  g_assert_cmpuint (n_opportunities (repository), ==, 1);
  g_assert_cmpuint (n_templates (repository), ==, 1);
  after = export_all (repository);
  g_assert_cmpstr (before, ==, after);
}

static void
test_backend_failure (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repository = om_repository_new (OM_BACKEND (backend));
  g_autoptr(OmOpportunityData) data = om_opportunity_data_new ("Existing", "Initech", om_test_date ("2026-01-02"));
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_document (DOC (OPP ("") "," OPP ("")), -1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_nonnull (om_repository_create_opportunity (repository, data, &error));
  g_assert_no_error (error);
  before = export_all (repository);

  om_test_backend_set_failing (backend, TRUE);
  created = om_test_found (repository, om_json_import_file (repository, path, &error));
  g_assert_null (created);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (n_opportunities (repository), ==, 1);
  after = export_all (repository);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);

  /* and once the disk has room, the same file goes in */
  om_test_backend_set_failing (backend, FALSE);
  created = om_test_found (repository, om_json_import_file (repository, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (created->len, ==, 2);
  g_assert_cmpuint (n_opportunities (repository), ==, 3);
}

static void
test_export_one (void)
{
  g_autoptr(OmRepository) repository = repository_with_everything ();
  g_autoptr(OmOpportunity) lost = g_list_model_get_item (om_repository_get_opportunities (repository), 1);
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  g_autofree char *missing = NULL;
  gsize length = 0;

  document = om_json_export_repository (repository, om_opportunity_get_id (lost), &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, strlen (document));
  g_assert_true (om_json_parse (document, length, &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (opportunities->len, ==, 1);
  g_assert_true (om_opportunity_data_equal (g_ptr_array_index (opportunities, 0), om_opportunity_get_data (lost), FALSE));
  /* the templates go with it */
  g_assert_cmpuint (templates->len, ==, 1);

  missing = om_json_export_repository (repository, 999, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "999"));
}

/* The template manager's export: the user's templates alone, in a
 * document of only "templates", read back by import (issue 13) */
static void
test_templates_only_round_trip (void)
{
  g_autoptr(OmRepository) from = om_repository_new (NULL);
  g_autoptr(OmRepository) to = om_repository_new (NULL);
  g_autoptr(OmTemplateData) recommended = om_template_data_new_recommended ();
  g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (recommended, "Plan", "Client",
                                                                   om_test_date ("2026-01-01"));
  g_autoptr(OmTemplateData) ours = NULL;
  g_autoptr(OmTemplateData) short_one = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "ours.oppmanager.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *whole_path = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) whole_file = NULL;
  g_autoptr(GPtrArray) opportunities = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  guint n = 0;

  om_test_create (from, plan);
  g_free (((OmStageData *) g_ptr_array_index (plan->stages, 0))->client_description);
  ((OmStageData *) g_ptr_array_index (plan->stages, 0))->client_description = g_strdup ("We meet");
  ours = om_template_data_new_from_opportunity (plan, "Our way");
  g_assert_nonnull (om_repository_add_template (from, ours, &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (plan->stages, 2);
  short_one = om_template_data_new_from_opportunity (plan, "Short");
  g_assert_nonnull (om_repository_add_template (from, short_one, &error));

  g_assert_true (om_json_export_templates_file (from, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "oppmanager/2");
  /* only "templates": no opportunities, not the built-in template */
  g_assert_cmpuint (json_object_get_size (root), ==, 2);
  g_assert_false (json_object_has_member (root, "opportunities"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "templates")), ==, 2);

  g_assert_true (om_json_parse (text, -1, &opportunities, &templates, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (opportunities->len, ==, 0);
  g_assert_cmpuint (templates->len, ==, 2);

  /* imported as one edit, equal to what was exported */
  g_assert_true (om_json_import_templates_gfile (to, file, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (to)), ==, 3);
  for (guint i = 1; i < 3; i++)
    {
      g_autoptr(OmTemplate) a = g_list_model_get_item (om_repository_get_templates (from), i);
      g_autoptr(OmTemplate) b = g_list_model_get_item (om_repository_get_templates (to), i);

      g_assert_true (om_template_data_equal (om_template_get_data (a), om_template_get_data (b)));
    }
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_opportunities (to)), ==, 0);
  g_assert_true (om_repository_undo (to, &error));
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (to)), ==, 1);

  /* the whole database's export read by the template import: its
   * templates only */
  whole = export_all (from);
  whole_path = write_document (whole, -1);
  whole_file = g_file_new_for_path (whole_path);
  g_assert_true (om_json_import_templates_gfile (to, whole_file, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_opportunities (to)), ==, 0);

  /* and the main import takes a document of templates alone */
  g_assert_true (om_repository_undo (to, &error));
  {
    g_autoptr(GArray) created = om_json_import_gfile (to, file, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (created->len, ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (to)), ==, 3);
  }
}

/* A document without templates is no template to import */
static void
test_templates_only_refused (void)
{
  g_autoptr(OmRepository) repository = om_repository_new (NULL);
  g_autofree char *path = write_document ("{\"format\": \"oppmanager/2\", \"opportunities\": []}", -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (om_json_import_templates_gfile (repository, file, NULL, &error));
  g_assert_error (error, OM_JSON_ERROR, OM_JSON_ERROR_MISSING_KEY);
  g_assert_false (om_repository_get_can_undo (repository));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = om_test_make_dir ("json");
  om_date_set_today (om_test_date ("2026-06-01"));

  g_test_add_func ("/json/write/layout", test_write_layout);
  g_test_add_func ("/json/write/empty", test_write_empty);
  g_test_add_func ("/json/round-trip", test_round_trip);
  g_test_add_func ("/json/v2/round-trip", test_v2_round_trip);
  g_test_add_func ("/json/v2/fold-round-trip", test_v2_fold_round_trip);
  g_test_add_func ("/json/v2/derived-keys-ignored", test_v2_derived_keys_ignored);
  g_test_add_func ("/json/v2/export-derived", test_v2_export_derived);
  g_test_add_func ("/json/v1/unchanged", test_v1_unchanged);
  g_test_add_func ("/json/read/defaults", test_defaults);
  g_test_add_func ("/json/read/derived-keys", test_derived_keys_accepted);
  g_test_add_func ("/json/read/history-synthesized", test_history_synthesized);
  g_test_add_func ("/json/read/history-given", test_history_given);
  g_test_add_func ("/json/read/byte-order-mark", test_byte_order_mark);
  g_test_add_func ("/json/all-or-nothing", test_all_or_nothing);
  g_test_add_func ("/json/backend-failure", test_backend_failure);
  g_test_add_func ("/json/export/one", test_export_one);
  g_test_add_func ("/json/templates-only/round-trip", test_templates_only_round_trip);
  g_test_add_func ("/json/templates-only/refused", test_templates_only_refused);
  g_test_add_func ("/json/refuse/too-deep", test_refuse_too_deep);
  g_test_add_func ("/json/refuse/unreadable", test_refuse_unreadable);
  g_test_add_func ("/json/refuse/messages-one-line", test_refuse_messages_one_line);
  g_test_add_func ("/json/database-same-judge", test_database_same_judge);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *name = g_strdup_printf ("/json/refuse/%s", refusals[i].name);
      g_test_add_data_func (name, &refusals[i], test_refusal);
    }

  status = g_test_run ();
  om_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
