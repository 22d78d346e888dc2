/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "om-test-database.h"

/*
 * Random operations on a few opportunities, through the same calls the
 * window and the command line make. After each one the rules R1-R3 must
 * hold and every derived value must equal a recomputation from scratch
 * (written here again, independently of the model); at the end the
 * database read back from disk must equal the model. The seed comes from
 * GTest: replay a failure with --seed.
 *
 * A second connection (another process, as far as the file can tell)
 * writes the same file in between (R7): its own opportunities and the
 * first one's. A write made on a revision the other changed meanwhile is
 * refused and changes nothing; the refused side then opens the file
 * again, as a user would. Every write either side was told succeeded
 * must be in the file at the end, as it was acknowledged.
 */

#define N_OPERATIONS 10000
#define N_OPPORTUNITIES 3

/* Recomputations from scratch */

static OmOpportunityStatus
expected_status (const OmOpportunityData *d)
{
  guint won = 0;

  for (guint i = 0; i < d->stages->len; i++)
    {
      const OmStageData *s = g_ptr_array_index (d->stages, i);
      if (s->status == OM_STAGE_STATUS_LOST)
        return OM_OPPORTUNITY_STATUS_LOST;
      won += s->status == OM_STAGE_STATUS_WON;
    }
  return d->stages->len > 0 && won == d->stages->len ? OM_OPPORTUNITY_STATUS_WON : OM_OPPORTUNITY_STATUS_OPEN;
}

static void
check_rules (const OmOpportunityData *d)
{
  guint i = 0;
  guint n = d->stages->len;

  /* R2/R3: won stages form a prefix; at most one lost stage, right after it */
  while (i < n && ((OmStageData *) g_ptr_array_index (d->stages, i))->status == OM_STAGE_STATUS_WON)
    i++;
  if (i < n && ((OmStageData *) g_ptr_array_index (d->stages, i))->status == OM_STAGE_STATUS_LOST)
    i++;
  for (; i < n; i++)
    g_assert_cmpint (((OmStageData *) g_ptr_array_index (d->stages, i))->status, ==, OM_STAGE_STATUS_PENDING);

  for (i = 0; i < n; i++)
    {
      const OmStageData *s = g_ptr_array_index (d->stages, i);
      g_assert_true ((s->status == OM_STAGE_STATUS_PENDING) == (s->decided_on == 0));
      g_assert_true (s->status != OM_STAGE_STATUS_LOST || *s->lost_reason != '\0');
      g_assert_true (s->decided_on == 0 || s->decided_on >= d->start_date);
      /* R5: an agreed date on a pending stage only, from the start date */
      g_assert_true (s->agreed_on == 0 || (s->status == OM_STAGE_STATUS_PENDING && s->agreed_on >= d->start_date));
    }
  /* R6: the schedule history oldest first, about stages that exist */
  for (i = 0; i < d->schedule->len; i++)
    {
      const OmScheduleEntry *e = g_ptr_array_index (d->schedule, i);
      g_assert_true (i == 0 || e->on >= ((OmScheduleEntry *) g_ptr_array_index (d->schedule, i - 1))->on);
      g_assert_true (e->what == OM_SCHEDULE_AGREED_DATE ? e->stage >= 0 && (guint) e->stage < n : e->stage == -1);
    }
  g_assert_no_error (NULL);
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (om_opportunity_data_validate (d, &error));
  }
}

static void
check_derived (OmOpportunity *opp,
               OmDate         today)
{
  const OmOpportunityData *d = om_opportunity_get_data (opp);
  OmOpportunityStatus status = expected_status (d);
  double chain = status == OM_OPPORTUNITY_STATUS_WON ? 1.0 : 0.0;
  int current = -1, weakest = -1;
  guint won = 0;
  OmDate due = d->start_date;
  OmDate baseline_close = 0;
  guint pushes = 0;
  GListModel *stages = om_opportunity_get_stages (opp);

  if (status == OM_OPPORTUNITY_STATUS_OPEN && d->stages->len > 0)
    {
      chain = 1.0;
      for (guint i = 0; i < d->stages->len; i++)
        {
          const OmStageData *s = g_ptr_array_index (d->stages, i);
          if (s->status == OM_STAGE_STATUS_PENDING)
            {
              chain *= s->probability;
              if (weakest < 0 || s->probability < ((OmStageData *) g_ptr_array_index (d->stages, weakest))->probability)
                weakest = (int) i;
              if (current < 0)
                current = (int) i;
            }
        }
    }

  g_assert_cmpint (om_opportunity_get_status (opp), ==, status);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_chain_probability (opp), chain, 1e-12);
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, current);
  g_assert_cmpint (om_opportunity_get_weakest_link (opp), ==, weakest);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_weighted_value (opp), d->value * chain, 1e-6);
  g_assert_cmpuint (g_list_model_get_n_items (stages), ==, d->stages->len);
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, d->stages->len);

  /* the warnings the list counts, kept at each edit from what the
   * derivation found, are those the full health check words (all but
   * too-complex and overdue, which do not last) */
  {
    /* the bits of the mask the database keeps, in their fixed order */
    static const char *const codes[] = {
      "no-process-agreement", "too-complex", "no-owner", "overdue", "weak-link",
      "past-target", "pinned-conflict", "next-not-agreed", "pushed", "slipped",
    };
    g_autoptr(GPtrArray) warnings = om_opportunity_data_check_health (d, G_MAXUINT, 0);
    guint health = om_opportunity_get_summary (opp)->health;
    guint worded = 0;

    for (guint w = 0; w < warnings->len; w++)
      for (guint k = 0; k < G_N_ELEMENTS (codes); k++)
        if (g_str_equal (((OmHealthWarning *) g_ptr_array_index (warnings, w))->code, codes[k]))
          worded |= 1u << k;
    g_assert_cmpuint (health, ==, worded);
  }

  for (guint i = 0; i < d->stages->len; i++)
    {
      const OmStageData *s = g_ptr_array_index (d->stages, i);
      g_autoptr(OmStage) stage = g_list_model_get_item (stages, i);
      OmDate start = due;

      won += s->status == OM_STAGE_STATUS_WON;
      if (s->status != OM_STAGE_STATUS_PENDING)
        due = s->decided_on;
      else if (s->agreed_on != 0)
        due = s->agreed_on;
      else
        due = due + s->duration_days;
      baseline_close = MAX (baseline_close, s->baseline_due);

      g_assert_true (om_stage_data_equal (om_stage_get_data (stage), s));
      g_assert_cmpuint (om_stage_get_position (stage), ==, i);
      g_assert_cmpuint (om_stage_get_start_date (stage), ==, start);
      g_assert_cmpuint (om_stage_get_due_date (stage), ==, due);
      g_assert_cmpint (om_stage_get_overdue (stage), ==,
                       status == OM_OPPORTUNITY_STATUS_OPEN && s->status == OM_STAGE_STATUS_PENDING && due < today);
      g_assert_cmpint (om_stage_get_current (stage), ==, (int) i == current);
      g_assert_cmpint (om_stage_get_weakest (stage), ==, (int) i == weakest);
      g_assert_cmpint (om_stage_get_slip (stage), ==, s->baseline_due ? (int) due - (int) s->baseline_due : 0);
      g_assert_cmpint (om_stage_get_conflict (stage), ==,
                       status == OM_OPPORTUNITY_STATUS_OPEN && s->status == OM_STAGE_STATUS_PENDING &&
                       s->agreed_on != 0 && i > 0 && s->agreed_on < start);
    }
  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, won);
  g_assert_cmpuint (om_opportunity_get_close_date (opp), ==, d->stages->len > 0 ? due : 0);
  g_assert_cmpuint (om_opportunity_get_baseline_close_date (opp), ==, baseline_close);
  for (guint k = 0; k < d->schedule->len; k++)
    {
      const OmScheduleEntry *e = g_ptr_array_index (d->schedule, k);
      pushes += e->what == OM_SCHEDULE_CLOSE_DATE && e->from != 0 && e->to > e->from;
    }
  g_assert_cmpuint (om_opportunity_get_pushes (opp), ==, pushes);
}

/* Random operations */

static char *
random_text (const char *prefix)
{
  static const char *words[] = { "client", "agrees", "to", "the", "study", "Ålesund", "€", "“quote”", "plan" };
  GString *text = g_string_new (prefix);

  for (int n = g_test_rand_int_range (0, 4); n > 0; n--)
    g_string_append_printf (text, " %s", words[g_test_rand_int_range (0, G_N_ELEMENTS (words))]);
  return g_string_free (text, FALSE);
}

static OmStageData *
random_stage (void)
{
  g_autofree char *activity = random_text ("Act");
  g_autofree char *milestone = random_text ("Ms");
  OmStageData *s = om_stage_data_new (activity, milestone);

  s->kind = (OmStageKind) g_test_rand_int_range (0, 3);
  s->duration_days = (guint) g_test_rand_int_range (0, 40);
  s->probability = g_test_rand_int_range (0, 101) / 100.0;
  g_free (s->owner);
  s->owner = g_test_rand_bit () ? random_text ("Owner") : g_strdup ("");
  return s;
}

/* Returns the index to operate on: mostly valid, sometimes past the end */
static guint
random_index (OmOpportunity *opp)
{
  return (guint) g_test_rand_int_range (0, (int) om_opportunity_get_n_stages (opp) + 2);
}

/* Returns whether it was refused because of the other writer */
static gboolean
random_operation (OmRepository  *repository,
                  OmOpportunity *opp,
                  guint         *n_accepted)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmOpportunityData) before = om_opportunity_data_copy (om_opportunity_get_data (opp));
  gboolean accepted = FALSE;
  gboolean dry_run = FALSE;
  gboolean undo_like = FALSE;
  guint index = random_index (opp);

  int kind = g_test_rand_int_range (0, 16);

  /* keep plans to a realistic length: long ones get pruned instead */
  if (kind < 2 && om_opportunity_get_n_stages (opp) >= 30)
    kind = 2;

  switch (kind)
    {
    case 0:
    case 1:
      {
        g_autoptr(OmStageData) s = random_stage ();
        dry_run = om_opportunity_can_add_stage (opp, index, NULL);
        accepted = om_opportunity_add_stage (opp, index, s, &error);
      }
      break;
    case 2:
      dry_run = om_opportunity_can_remove_stage (opp, index, NULL);
      accepted = om_opportunity_remove_stage (opp, index, &error);
      break;
    case 3:
    case 4:
      {
        guint to = random_index (opp);
        dry_run = om_opportunity_can_move_stage (opp, index, to, NULL);
        accepted = om_opportunity_move_stage (opp, index, to, &error);
      }
      break;
    case 5:
      if (g_test_rand_bit ())
        index = (guint) MAX (0, om_opportunity_get_current_stage (opp));
      dry_run = om_opportunity_can_win_stage (opp, index, NULL);
      accepted = om_opportunity_win_stage (opp, index, "won", &error);
      break;
    case 6:
      if (g_test_rand_int_range (0, 4) == 0)
        {
          dry_run = om_opportunity_can_lose_stage (opp, index, NULL);
          accepted = om_opportunity_lose_stage (opp, index, g_test_rand_bit () ? "No budget" : "  ", &error);
          if (!accepted && dry_run && !g_error_matches (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT))
            g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NO_LOST_REASON);
          dry_run = accepted;
        }
      break;
    case 7:
      dry_run = om_opportunity_can_reopen (opp, NULL);
      accepted = om_opportunity_reopen (opp, "reopened", &error);
      break;
    case 8:
      undo_like = TRUE;
      accepted = om_repository_undo (repository, &error);
      break;
    case 9:
      undo_like = TRUE;
      accepted = om_repository_redo (repository, &error);
      break;
    case 10:
      if (index < om_opportunity_get_n_stages (opp))
        {
          g_autoptr(OmStageData) edited = om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (opp, index)));
          g_autoptr(OmStageData) random = random_stage ();

          g_free (edited->milestone);
          edited->milestone = g_test_rand_int_range (0, 5) == 0 ? g_strdup (" ") : g_strdup (random->milestone);
          edited->probability = g_test_rand_int_range (-10, 111) / 100.0;
          edited->duration_days = random->duration_days;
          g_free (edited->owner);
          edited->owner = g_strdup (random->owner);
          accepted = om_opportunity_edit_stage (opp, index, edited, &error);
          dry_run = accepted;
        }
      break;
    case 11:
      {
        g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (before);
        edited->value = g_test_rand_int_range (-1, 1000000);
        g_free (edited->coordinator);
        edited->coordinator = random_text ("Coordinator");
        if (g_test_rand_int_range (0, 6) == 0)
          edited->start_date += (OmDate) g_test_rand_int_range (0, 90);
        accepted = om_opportunity_edit (opp, edited, &error);
        dry_run = accepted;
      }
      break;
    case 12:
      {
        /* agree a date (now and then before the start, or unpin) */
        OmDate date = g_test_rand_int_range (0, 5) == 0 ? 0
                      : before->start_date + (OmDate) g_test_rand_int_range (-5, 300);
        if (g_test_rand_bit ())
          index = (guint) MAX (0, om_opportunity_get_current_stage (opp));
        dry_run = om_opportunity_can_agree_date (opp, index, NULL);
        accepted = om_opportunity_agree_date (opp, index, date, "agreed", &error);
        if (!accepted && dry_run && !g_error_matches (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT))
          g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_AGREED_BEFORE_START);
        dry_run = accepted;
      }
      break;
    case 13:
      if (g_test_rand_int_range (0, 3) == 0)
        {
          dry_run = om_opportunity_can_set_baseline (opp, NULL);
          accepted = om_opportunity_set_baseline (opp, "baseline", &error);
        }
      break;
    case 14:
      {
        /* a fold: what the too-complex warning proposes, or any run
         * (backwards, of one stage, past the end, over won stages) */
        guint first = index, last = random_index (opp);

        if (g_test_rand_bit ())
          om_opportunity_data_propose_fold (before, &first, &last);
        dry_run = om_opportunity_can_fold_feasibility (opp, first, last, NULL, NULL);
        accepted = om_opportunity_fold_feasibility (opp, first, last, &error);
        if (accepted)
          {
            const OmStageData *study = om_opportunity_data_get_stage (om_opportunity_get_data (opp), first + 1);
            guint days = 0;

            for (guint i = first; i <= last; i++)
              days += om_opportunity_data_get_stage (before, i)->duration_days;
            g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, before->stages->len - (last - first + 1) + 2);
            g_assert_cmpint (study->kind, ==, OM_STAGE_KIND_FEASIBILITY_STUDY);
            g_assert_cmpuint (study->duration_days, ==, days);
          }
      }
      break;
    case 15:
      if (g_test_rand_int_range (0, 3) == 0)
        {
          dry_run = om_opportunity_can_add_process_agreement (opp, NULL);
          accepted = om_opportunity_add_process_agreement (opp, NULL, &error);
        }
      break;
    default:
      g_assert_not_reached ();
    }

  if (accepted)
    {
      g_assert_no_error (error);
      (*n_accepted)++;
      /* R6: a move of the close date is recorded, once */
      if (!undo_like)
        {
          const OmOpportunityData *after = om_opportunity_get_data (opp);
          OmDerivedValues was, now;

          om_opportunity_data_derive (before, &was);
          om_opportunity_data_derive (after, &now);
          if (was.close_date != now.close_date)
            {
              const OmScheduleEntry *last = g_ptr_array_index (after->schedule, after->schedule->len - 1);
              g_assert_cmpint (last->what, ==, OM_SCHEDULE_CLOSE_DATE);
              g_assert_cmpuint (last->from, ==, was.close_date);
              g_assert_cmpuint (last->to, ==, now.close_date);
            }
          else
            g_assert_cmpuint (after->schedule->len, <=, before->schedule->len + 1);
        }
    }
  else if (g_error_matches (error, OM_STORE_ERROR, OM_STORE_ERROR_CONFLICT))
    {
      /* the other writer changed it: refused, nothing written (the
       * acknowledged writes say so at the end), and what is shown is
       * what the other wrote, or it is gone if the other removed it */
      g_assert_cmpstr (error->message, !=, "");
      if (!undo_like)
        {
          OmOpportunity *now = om_repository_find (repository, before->id);

          if (now != NULL)
            {
              g_assert_true (now == opp);
              g_assert_cmpint (om_opportunity_get_data (opp)->revision, >, before->revision);
            }
        }
      return TRUE;
    }
  else if (error != NULL)
    {
      /* a refusal names its reason and changes nothing */
      g_assert_true (error->domain == OM_MODEL_ERROR);
      g_assert_cmpstr (error->message, !=, "");
      if (!undo_like)
        g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));
    }
  /* the dry run the window asks answers like the real thing */
  if (!undo_like)
    g_assert_cmpint (dry_run, ==, accepted);
  return FALSE;
}

/* The second writer */

/* id -> revision of what @repository shows */
static GHashTable *
revisions (OmRepository *repository)
{
  GListModel *list = om_repository_get_opportunities (repository);
  GHashTable *table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (list, i);
      const OmOpportunityData *data = om_opportunity_get_data (opp);

      g_hash_table_insert (table, g_memdup2 (&data->id, sizeof data->id),
                           g_memdup2 (&data->revision, sizeof data->revision));
    }
  return table;
}

/* Records in @acknowledged (id -> OmOpportunityData) what @repository
 * was told it kept since @was: what it shows at a new revision, and
 * what it no longer shows. */
static void
acknowledge (GHashTable   *acknowledged,
             OmRepository *repository,
             GHashTable   *was)
{
  GListModel *list = om_repository_get_opportunities (repository);
  g_autoptr(GHashTable) now = revisions (repository);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (list, i);
      const OmOpportunityData *data = om_opportunity_get_data (opp);
      const gint64 *old = g_hash_table_lookup (was, &data->id);

      if (old == NULL || *old != data->revision)
        g_hash_table_insert (acknowledged, g_memdup2 (&data->id, sizeof data->id),
                             om_opportunity_data_copy (data));
    }
  g_hash_table_iter_init (&iter, was);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (now, key))
      g_hash_table_remove (acknowledged, key);
}

static OmRepository *
open_again (OmRepository **repository,
            const char    *path)
{
  g_clear_object (repository);
  *repository = om_test_database_open_repository (path);
  return *repository;
}

static void
check_all (OmRepository *repository,
           OmDate        today)
{
  GListModel *list = om_repository_get_opportunities (repository);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(OmOpportunity) each = g_list_model_get_item (list, i);
      check_rules (om_opportunity_get_data (each));
      check_derived (each, today);
    }
}

/* What lists, filters and the agenda read without loading a plan, kept
 * beside it, must be what the model derives from the plan as stored:
 * an edit writes those of them that are indexed only when they change
 * (src/store/om-database.c), and a change they missed shows here */
static void
check_kept_values (const char *path,
                   gboolean    server,
                   GPtrArray  *loaded)
{
  g_autoptr(OmRepository) fresh = om_test_database_open_repository (path);
  GListModel *list = om_repository_get_opportunities (fresh);
  sqlite3 *db = NULL;
  sqlite3_stmt *opportunity = NULL;
  sqlite3_stmt *stage = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, loaded->len);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (list, i);
      const OmOpportunitySummary *kept = om_opportunity_get_summary (opp);
      const OmOpportunityData *data = NULL;
      g_autoptr(OmOpportunitySummary) derived = NULL;

      for (guint k = 0; k < loaded->len && data == NULL; k++)
        if (((const OmOpportunityData *) g_ptr_array_index (loaded, k))->id == kept->id)
          data = g_ptr_array_index (loaded, k);
      g_assert_nonnull (data);
      derived = om_opportunity_summary_new (data);
      g_assert_cmpint (kept->status, ==, derived->status);
      g_assert_cmpuint (kept->n_won, ==, derived->n_won);
      g_assert_cmpuint (kept->n_stages, ==, derived->n_stages);
      g_assert_cmpfloat (kept->chain_probability, ==, derived->chain_probability);
      g_assert_cmpuint (kept->next_due, ==, derived->next_due);
      g_assert_cmpstr (kept->sort_key, ==, derived->sort_key);
      g_assert_cmpuint (kept->health, ==, derived->health);
      g_assert_cmpint (kept->value, ==, derived->value);
      g_assert_cmpstr (kept->currency, ==, derived->currency);
      g_assert_cmpuint (kept->close_date, ==, derived->close_date);
      g_assert_cmpint (kept->weighted_value, ==, derived->weighted_value);
      g_assert_cmpuint (kept->first_pending_due, ==, derived->first_pending_due);
    }

  if (server)
    return;
  /* the filters' and the agenda's keys, which no list shows */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT client_key, coordinator_key, search_text FROM opportunities"
                                           " WHERE id = ?1", -1, &opportunity, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT owner_key, search_text, status FROM stages WHERE id = ?1",
                                       -1, &stage, NULL), ==, SQLITE_OK);
  for (guint k = 0; k < loaded->len; k++)
    {
      const OmOpportunityData *data = g_ptr_array_index (loaded, k);
      g_autoptr(OmOpportunitySummary) derived = om_opportunity_summary_new (data);
      g_autofree char *client = om_text_fold (data->client);
      g_autofree char *coordinator = om_text_fold (data->coordinator);

      sqlite3_bind_int64 (opportunity, 1, data->id);
      g_assert_cmpint (sqlite3_step (opportunity), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (opportunity, 0), ==, client);
      g_assert_cmpstr ((const char *) sqlite3_column_text (opportunity, 1), ==, coordinator);
      g_assert_cmpstr ((const char *) sqlite3_column_text (opportunity, 2), ==, derived->search_text);
      sqlite3_reset (opportunity);
      for (guint i = 0; i < data->stages->len; i++)
        {
          const OmStageData *s = g_ptr_array_index (data->stages, i);
          g_autofree char *owner = om_text_fold (s->owner);
          g_autofree char *search = om_stage_search_text (s);

          sqlite3_bind_int64 (stage, 1, s->id);
          g_assert_cmpint (sqlite3_step (stage), ==, SQLITE_ROW);
          g_assert_cmpstr ((const char *) sqlite3_column_text (stage, 0), ==, owner);
          g_assert_cmpstr ((const char *) sqlite3_column_text (stage, 1), ==, search);
          g_assert_cmpstr ((const char *) sqlite3_column_text (stage, 2), ==, om_stage_status_to_string (s->status));
          sqlite3_reset (stage);
        }
    }
  sqlite3_finalize (opportunity);
  sqlite3_finalize (stage);
  sqlite3_close (db);
}

/* @data: TRUE on a database of the test server (SPEC 9), else a file */
static void
test_random_operations (gconstpointer data)
{
  gboolean server = GPOINTER_TO_INT (data);
  g_autofree char *dir = server ? NULL : om_test_make_dir ("random");
  g_autofree char *path = server ? om_test_pg_new_database () : g_build_filename (dir, "random.db", NULL);
  g_autoptr(OmRepository) repository = NULL;
  g_autoptr(OmRepository) other = NULL;
  g_autoptr(OmTemplateData) tpl = om_template_data_new_recommended ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                              (GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GHashTable) was = NULL;
  OmDate today = om_test_date ("2026-03-01");
  guint n_accepted = 0;
  guint n_other = 0;
  guint n_conflicts = 0;

  om_date_set_today (today);
  repository = om_test_database_open_repository (path);
  was = revisions (repository);
  for (guint i = 0; i < N_OPPORTUNITIES; i++)
    {
      g_autofree char *title = g_strdup_printf ("Opportunity %u", i);
      g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, title, "Client", om_test_date ("2026-01-01"));

      plan->value = 100000 * (i + 1);
      g_assert_nonnull (om_repository_create_opportunity (repository, plan, &error));
      g_assert_no_error (error);
    }
  acknowledge (acknowledged, repository, was);
  g_clear_pointer (&was, g_hash_table_unref);
  open_again (&other, path);

  for (guint n = 0; n < N_OPERATIONS; n++)
    {
      /* one operation in twenty is the other writer's */
      gboolean by_other = g_test_rand_int_range (0, 20) == 0;
      OmRepository **actor = by_other ? &other : &repository;
      GListModel *opportunities = om_repository_get_opportunities (*actor);
      guint n_opps = g_list_model_get_n_items (opportunities);
      g_autoptr(OmOpportunity) opp = NULL;

      was = revisions (*actor);

      /* undo can take an opportunity away (its creation): put a new one;
       * the other writer makes some of its own */
      if (n_opps == 0 || (by_other && g_test_rand_int_range (0, 10) == 0))
        {
          g_autoptr(OmOpportunityData) plan = om_template_data_instantiate (tpl, by_other ? "Other's" : "Again",
                                                                           "Client", om_test_date ("2026-01-01"));
          g_assert_nonnull (om_repository_create_opportunity (*actor, plan, &error));
          g_assert_no_error (error);
          n_opps = g_list_model_get_n_items (opportunities);
        }
      if (g_test_rand_int_range (0, 200) == 0)
        {
          /* a new day: what is overdue is recomputed, as the window does */
          today += 1;
          om_date_set_today (today);
          for (guint w = 0; w < 2; w++)
            {
              GListModel *list = om_repository_get_opportunities (w == 0 ? repository : other);

              for (guint i = 0; i < g_list_model_get_n_items (list); i++)
                {
                  g_autoptr(OmOpportunity) each = g_list_model_get_item (list, i);
                  om_opportunity_refresh (each);
                }
            }
        }

      opp = g_list_model_get_item (opportunities, (guint) g_test_rand_int_range (0, (int) n_opps));
      if (by_other)
        n_other++;
      if (random_operation (*actor, opp, &n_accepted))
        {
          n_conflicts++;
          acknowledge (acknowledged, *actor, was);
          /* refused: it sees the file as it is now by opening it again */
          g_clear_object (&opp);
          open_again (actor, path);
        }
      else
        acknowledge (acknowledged, *actor, was);
      g_clear_pointer (&was, g_hash_table_unref);

      /* and the other writer looks again now and then */
      if (by_other && g_test_rand_int_range (0, 10) == 0)
        {
          g_clear_object (&opp);
          open_again (&other, path);
        }

      check_all (repository, today);
      check_all (other, today);
    }

  g_test_message ("%u operations accepted, %u by the other writer, %u conflicts",
                  n_accepted, n_other, n_conflicts);
  /* many operations must actually have gone through, and the two
   * writers must have met */
  g_assert_cmpuint (n_accepted, >, N_OPERATIONS / 5);
  g_assert_cmpuint (n_other, >, N_OPERATIONS / 40);
  g_assert_cmpuint (n_conflicts, >, 10);

  /* no acknowledged write of either writer is lost, and nothing refused
   * was kept */
  loaded = om_test_database_load (path, NULL);
  g_assert_cmpuint (loaded->len, ==, g_hash_table_size (acknowledged));
  for (guint i = 0; i < loaded->len; i++)
    {
      const OmOpportunityData *on_disk = g_ptr_array_index (loaded, i);
      const OmOpportunityData *expected = g_hash_table_lookup (acknowledged, &on_disk->id);

      g_assert_nonnull (expected);
      g_assert_cmpint (on_disk->revision, ==, expected->revision);
      g_assert_true (om_opportunity_data_equal (expected, on_disk, TRUE));
    }
  check_kept_values (path, server, loaded);

  g_clear_object (&repository);
  g_clear_object (&other);
  if (dir != NULL)
    om_test_remove_tree (dir);
}

static void
skip_server (gconstpointer data)
{
  g_test_skip_printf ("no test server: %s", (const char *) data);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/random/operations", GINT_TO_POINTER (FALSE), test_random_operations);
  if (om_test_pg_unavailable () != NULL)
    g_test_add_data_func ("/random/server/skipped", om_test_pg_unavailable (), skip_server);
  else
    g_test_add_data_func ("/random/server/operations", GINT_TO_POINTER (TRUE), test_random_operations);
  return g_test_run ();
}
