/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-opportunity"

#include "config.h"

#include <locale.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "om-model.h"
#include "om-test-support.h"

/*
 * The rules of SPEC sections 2-5 as a user meets them: through the
 * operations of OmOpportunity on an opportunity of an in-memory
 * repository, and through the plain-data functions they are built on.
 * Every refusal is checked for its exact error, for leaving the data as
 * it was, for emitting nothing, and against its can_ dry run.
 */

/* Helpers: plans */

static OmRepository *
repo_new (void)
{
  om_test_set_today (0);
  return om_repository_new (NULL);
}

static void
win_ok (OmOpportunity *opp,
        guint          index)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_win_stage (opp, index, NULL, &error));
  g_assert_no_error (error);
}

static void
lose_ok (OmOpportunity *opp,
         guint          index,
         const char    *reason)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_lose_stage (opp, index, reason, &error));
  g_assert_no_error (error);
}

static void
reopen_ok (OmOpportunity *opp,
           const char    *note)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_reopen (opp, note, &error));
  g_assert_no_error (error);
}

/* @n_stages stages of which the first @n_won are won */
static OmOpportunity *
create_plan (OmRepository *repo,
             guint         n_stages,
             guint         n_won)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", n_stages);
  OmOpportunity *opp = om_test_create (repo, data);

  for (guint i = 0; i < n_won; i++)
    win_ok (opp, i);
  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, n_won);
  return opp;
}

static void
edit_stage_ok (OmOpportunity     *opp,
               guint              index,
               const OmStageData *edited)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_edit_stage (opp, index, edited, &error));
  g_assert_no_error (error);
}

static OmStageData *
stage_copy (OmOpportunity *opp,
            guint          index)
{
  return om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (opp, index)));
}

static void
set_probability (OmOpportunity *opp,
                 guint          index,
                 double         p)
{
  g_autoptr(OmStageData) edited = stage_copy (opp, index);

  edited->probability = p;
  edit_stage_ok (opp, index, edited);
}

static void
set_owner (OmOpportunity *opp,
           guint          index,
           const char    *owner)
{
  g_autoptr(OmStageData) edited = stage_copy (opp, index);

  g_free (edited->owner);
  edited->owner = g_strdup (owner);
  edit_stage_ok (opp, index, edited);
}

static void
set_kind (OmOpportunity *opp,
          guint          index,
          OmStageKind    kind)
{
  g_autoptr(OmStageData) edited = stage_copy (opp, index);

  edited->kind = kind;
  edit_stage_ok (opp, index, edited);
}

static const char *
activity_of (OmOpportunity *opp,
             guint          index)
{
  return om_stage_get_activity (om_opportunity_get_stage (opp, index));
}

/* Helpers: recording signals */

/*
 * Watches everything a view of @opp would see: the repository's
 * properties and list, the opportunity's properties, its stages list and
 * each of its stages (labelled s0, s1, ... by their place now).
 */
static OmTestRecorder *
recorder_new (OmRepository  *repo,
              OmOpportunity *opp)
{
  OmTestRecorder *self = om_test_recorder_new ();

  om_test_recorder_watch_notify (self, repo, "repo");
  om_test_recorder_watch_items (self, om_repository_get_opportunities (repo), "opps");
  if (opp == NULL)
    return self;

  om_test_recorder_watch_notify (self, opp, "opp");
  om_test_recorder_watch_items (self, om_opportunity_get_stages (opp), "stages");
  for (guint i = 0; i < om_opportunity_get_n_stages (opp); i++)
    {
      g_autofree char *label = g_strdup_printf ("s%u", i);
      om_test_recorder_watch_notify (self, om_opportunity_get_stage (opp, i), label);
    }
  return self;
}


/* Helpers: operations described as values, so that one function can run
 * an operation, its dry run, and check a refusal. */

typedef enum
{
  TEST_OP_ADD,
  TEST_OP_REMOVE,
  TEST_OP_MOVE,
  TEST_OP_WIN,
  TEST_OP_LOSE,
  TEST_OP_REOPEN,
  TEST_OP_REOPEN_STAGE,
  TEST_OP_EDIT_STAGE,
  TEST_OP_EDIT,
  TEST_OP_AGREE,
  TEST_OP_BASELINE,
  TEST_OP_FOLD,
  TEST_OP_ADD_PROCESS_AGREEMENT,
} TestOpKind;

typedef struct
{
  TestOpKind               kind;
  guint                    a;
  guint                    b;
  const char              *text;
  const OmStageData       *stage;
  const OmOpportunityData *edited;
} TestOp;

#define OP_ADD(pos, st)        (&(TestOp) { TEST_OP_ADD, .a = (pos), .stage = (st) })
#define OP_REMOVE(i)           (&(TestOp) { TEST_OP_REMOVE, .a = (i) })
#define OP_MOVE(from, to)      (&(TestOp) { TEST_OP_MOVE, .a = (from), .b = (to) })
#define OP_WIN(i)              (&(TestOp) { TEST_OP_WIN, .a = (i), .text = "note" })
#define OP_LOSE(i, reason)     (&(TestOp) { TEST_OP_LOSE, .a = (i), .text = (reason) })
#define OP_REOPEN()            (&(TestOp) { TEST_OP_REOPEN, .text = "note" })
#define OP_REOPEN_STAGE(i)     (&(TestOp) { TEST_OP_REOPEN_STAGE, .a = (i), .text = "note" })
#define OP_EDIT_STAGE(i, st)   (&(TestOp) { TEST_OP_EDIT_STAGE, .a = (i), .stage = (st) })
#define OP_EDIT(ed)            (&(TestOp) { TEST_OP_EDIT, .edited = (ed) })
#define OP_AGREE(i, day)       (&(TestOp) { TEST_OP_AGREE, .a = (i), .b = (day), .text = "note" })
#define OP_BASELINE()          (&(TestOp) { TEST_OP_BASELINE, .text = "note" })
#define OP_FOLD(first, last)   (&(TestOp) { TEST_OP_FOLD, .a = (first), .b = (last) })
#define OP_ADD_PROCESS_AGREEMENT() (&(TestOp) { TEST_OP_ADD_PROCESS_AGREEMENT })

static gboolean
op_run (OmOpportunity *opp,
        const TestOp  *op,
        GError       **error)
{
  switch (op->kind)
    {
    case TEST_OP_ADD:
      return om_opportunity_add_stage (opp, op->a, op->stage, error);
    case TEST_OP_REMOVE:
      return om_opportunity_remove_stage (opp, op->a, error);
    case TEST_OP_MOVE:
      return om_opportunity_move_stage (opp, op->a, op->b, error);
    case TEST_OP_WIN:
      return om_opportunity_win_stage (opp, op->a, op->text, error);
    case TEST_OP_LOSE:
      return om_opportunity_lose_stage (opp, op->a, op->text, error);
    case TEST_OP_REOPEN:
      return om_opportunity_reopen (opp, op->text, error);
    case TEST_OP_REOPEN_STAGE:
      return om_opportunity_reopen_stage (opp, op->a, op->text, error);
    case TEST_OP_EDIT_STAGE:
      return om_opportunity_edit_stage (opp, op->a, op->stage, error);
    case TEST_OP_EDIT:
      return om_opportunity_edit (opp, op->edited, error);
    case TEST_OP_AGREE:
      return om_opportunity_agree_date (opp, op->a, op->b, op->text, error);
    case TEST_OP_BASELINE:
      return om_opportunity_set_baseline (opp, op->text, error);
    case TEST_OP_FOLD:
      return om_opportunity_fold_feasibility (opp, op->a, op->b, error);
    case TEST_OP_ADD_PROCESS_AGREEMENT:
      return om_opportunity_add_process_agreement (opp, NULL, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
op_can (OmOpportunity *opp,
        const TestOp  *op,
        GError       **error)
{
  switch (op->kind)
    {
    case TEST_OP_ADD:
      return om_opportunity_can_add_stage (opp, op->a, error);
    case TEST_OP_REMOVE:
      return om_opportunity_can_remove_stage (opp, op->a, error);
    case TEST_OP_MOVE:
      return om_opportunity_can_move_stage (opp, op->a, op->b, error);
    case TEST_OP_WIN:
      return om_opportunity_can_win_stage (opp, op->a, error);
    case TEST_OP_LOSE:
      return om_opportunity_can_lose_stage (opp, op->a, error);
    case TEST_OP_REOPEN:
      return om_opportunity_can_reopen (opp, error);
    case TEST_OP_REOPEN_STAGE:
      return om_opportunity_can_reopen_stage (opp, op->a, error);
    case TEST_OP_AGREE:
      return om_opportunity_can_agree_date (opp, op->a, error);
    case TEST_OP_BASELINE:
      return om_opportunity_can_set_baseline (opp, error);
    case TEST_OP_FOLD:
      return om_opportunity_can_fold_feasibility (opp, op->a, op->b, NULL, error);
    case TEST_OP_ADD_PROCESS_AGREEMENT:
      return om_opportunity_can_add_process_agreement (opp, error);
    case TEST_OP_EDIT_STAGE:
    case TEST_OP_EDIT:
    default:
      g_assert_not_reached ();
    }
}

typedef enum
{
  CAN_SAME,     /* the dry run refuses with the same error */
  CAN_ACCEPTS,  /* the dry run does not see what was wrong (the stage's
                 * values, the lost reason) and accepts */
  CAN_NONE,     /* the operation has no dry run */
} CanExpect;

/*
 * Runs @op on @opp, which must refuse it with @code and a message
 * containing @needle (the stage's activity, usually), and checks that
 * nothing changed and nothing was emitted, and what the dry run says.
 */
static void
assert_refused (OmRepository  *repo,
                OmOpportunity *opp,
                const TestOp  *op,
                OmModelError   code,
                const char    *needle,
                CanExpect      can)
{
  g_autoptr(OmOpportunityData) before = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_autoptr(GPtrArray) stages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *undo_label = g_strdup (om_repository_get_undo_label (repo));
  gboolean could_undo = om_repository_get_can_undo (repo);
  gboolean could_redo = om_repository_get_can_redo (repo);
  g_autoptr(OmTestRecorder) recorder = recorder_new (repo, opp);
  g_autoptr(GError) error = NULL;
  GListModel *list = om_opportunity_get_stages (opp);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    g_ptr_array_add (stages, g_list_model_get_item (list, i));

  g_assert_false (op_run (opp, op, &error));
  g_assert_error (error, OM_MODEL_ERROR, (int) code);
  g_assert_nonnull (error->message);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("“%s” does not name “%s”", error->message, needle);

  g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, stages->len);
  for (guint i = 0; i < stages->len; i++)
    {
      g_autoptr(OmStage) stage = g_list_model_get_item (list, i);
      g_assert_true (stage == g_ptr_array_index (stages, i));
    }
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, undo_label);
  g_assert_cmpint (om_repository_get_can_undo (repo), ==, could_undo);
  g_assert_cmpint (om_repository_get_can_redo (repo), ==, could_redo);

  if (can != CAN_NONE)
    {
      g_autoptr(GError) can_error = NULL;
      gboolean can_ok = op_can (opp, op, &can_error);

      if (can == CAN_SAME)
        {
          g_assert_false (can_ok);
          g_assert_error (can_error, OM_MODEL_ERROR, (int) code);
          g_assert_cmpstr (can_error->message, ==, error->message);
        }
      else
        {
          g_assert_no_error (can_error);
          g_assert_true (can_ok);
        }
      g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));
    }

  om_test_assert_events (recorder, NULL, "");
}

/* Helpers: health */

/* The warnings as "code" or "code@stage", in the model's order, after
 * checking that each has a message naming its stage. */
static char *
health_of (OmOpportunity *opp)
{
  g_autoptr(GPtrArray) warnings = om_opportunity_check_health (opp);
  GString *out = g_string_new (NULL);

  /* what a list row counts without reading the plan says the same
   * (once told the day changed, as the window tells it at midnight) */
  om_opportunity_refresh (opp);
  g_assert_cmpint (om_opportunity_get_n_warnings (opp), ==, (int) warnings->len);

  for (guint i = 0; i < warnings->len; i++)
    {
      const OmHealthWarning *w = g_ptr_array_index (warnings, i);

      g_assert_false (om_str_is_blank (w->message));
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, w->code);
      if (w->stage >= 0)
        {
          g_assert_cmpint (w->stage, <, (int) om_opportunity_get_n_stages (opp));
          g_assert_nonnull (strstr (w->message, activity_of (opp, (guint) w->stage)));
          g_string_append_printf (out, "@%d", w->stage);
        }
    }
  return g_string_free (out, FALSE);
}

/* The message of the one warning @code, which must exist: a warning
 * about several stages is one warning, not one per stage */
static char *
message_of (OmOpportunity *opp,
            const char    *code)
{
  g_autoptr(GPtrArray) warnings = om_opportunity_check_health (opp);
  char *message = NULL;

  for (guint i = 0; i < warnings->len; i++)
    {
      const OmHealthWarning *w = g_ptr_array_index (warnings, i);

      if (g_strcmp0 (w->code, code) != 0)
        continue;
      g_assert_null (message);
      message = g_strdup (w->message);
    }
  g_assert_nonnull (message);
  return message;
}

#define assert_message(opp, code, expected) \
  G_STMT_START { \
    g_autofree char *_got = message_of ((opp), (code)); \
    g_assert_cmpstr (_got, ==, (expected)); \
  } G_STMT_END

#define agree_ok(opp, index, date) \
  G_STMT_START { \
    g_autoptr(GError) _error = NULL; \
    g_assert_true (om_opportunity_agree_date ((opp), (index), (date), NULL, &_error)); \
    g_assert_no_error (_error); \
  } G_STMT_END

#define assert_health(opp, expected) \
  G_STMT_START { \
    g_autofree char *_got = health_of (opp); \
    g_assert_cmpstr (_got, ==, (expected)); \
  } G_STMT_END

/* R1 */

static void
test_status_empty (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 0);
  OmOpportunity *opp = om_test_create (repo, data);

  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_OPEN);
  g_assert_cmpfloat (om_opportunity_get_chain_probability (opp), ==, 0.0);
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, -1);
  g_assert_cmpint (om_opportunity_get_weakest_link (opp), ==, -1);
  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 0);
  g_assert_cmpfloat (om_opportunity_data_get_chain_probability (data), ==, 0.0);
  g_assert_cmpint (om_opportunity_data_get_status (data), ==, OM_OPPORTUNITY_STATUS_OPEN);

  /* nothing has been decided, so there is nothing to reopen */
  assert_refused (repo, opp, OP_REOPEN (), OM_MODEL_ERROR_NOTHING_TO_REOPEN, "Deal", CAN_SAME);
}

static void
test_status_derived (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  OmOpportunity *lost = create_plan (repo, 3, 1);

  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_OPEN);
  win_ok (opp, 0);
  win_ok (opp, 1);
  /* all but one won is still open */
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_OPEN);
  g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 2);
  win_ok (opp, 2);
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_WON);
  g_assert_cmpfloat (om_opportunity_get_chain_probability (opp), ==, 1.0);
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, -1);

  lose_ok (lost, 1, "budget cut");
  g_assert_cmpint (om_opportunity_get_status (lost), ==, OM_OPPORTUNITY_STATUS_LOST);
  g_assert_cmpfloat (om_opportunity_get_chain_probability (lost), ==, 0.0);
  g_assert_cmpint (om_opportunity_get_current_stage (lost), ==, -1);

  {
    GValue value = G_VALUE_INIT;

    g_value_init (&value, OM_TYPE_OPPORTUNITY_STATUS);
    g_object_get_property (G_OBJECT (lost), "status", &value);
    g_assert_cmpint (g_value_get_enum (&value), ==, OM_OPPORTUNITY_STATUS_LOST);
    g_value_unset (&value);
  }
}

static void
test_status_data (void)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 3);

  g_assert_cmpint (om_opportunity_data_get_status (data), ==, OM_OPPORTUNITY_STATUS_OPEN);

  for (guint i = 0; i < 3; i++)
    {
      OmStageData *stage = om_opportunity_data_get_writable_stage (data, i);
      stage->status = OM_STAGE_STATUS_WON;
      stage->decided_on = om_test_day (1);
      g_assert_cmpint (om_opportunity_data_get_status (data), ==,
                       i < 2 ? OM_OPPORTUNITY_STATUS_OPEN : OM_OPPORTUNITY_STATUS_WON);
    }
  g_assert_cmpuint (om_opportunity_data_get_n_won (data), ==, 3);

  /* any lost stage loses the whole sale */
  om_opportunity_data_get_writable_stage (data, 2)->status = OM_STAGE_STATUS_LOST;
  g_assert_cmpint (om_opportunity_data_get_status (data), ==, OM_OPPORTUNITY_STATUS_LOST);
  om_opportunity_data_get_writable_stage (data, 0)->status = OM_STAGE_STATUS_LOST;
  g_assert_cmpint (om_opportunity_data_get_status (data), ==, OM_OPPORTUNITY_STATUS_LOST);
}

/* R2 */

static void
test_win_in_order (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 0);

  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, (int) i);
      g_assert_true (om_stage_get_current (om_opportunity_get_stage (opp, i)));
      g_assert_true (om_opportunity_can_win_stage (opp, i, NULL));
      win_ok (opp, i);
      g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, i)), ==, OM_STAGE_STATUS_WON);
      g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, i)), ==, om_test_day (0));
      g_assert_false (om_stage_get_current (om_opportunity_get_stage (opp, i)));
    }
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_WON);
}

/* A dry run answers for the plan as it is when asked: asked again once
 * the plan changed, or went back by undo, it does not repeat its last
 * answer, and it gives the refusal the operation itself gives */
static void
test_dry_run_follows_plan (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) done_error = NULL;

  g_assert_true (om_opportunity_can_win_stage (opp, 0, NULL));
  g_assert_true (om_opportunity_can_set_baseline (opp, NULL));
  win_ok (opp, 0);
  g_assert_false (om_opportunity_can_win_stage (opp, 0, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_FROZEN);
  g_clear_error (&error);
  /* asked again: the same refusal */
  g_assert_false (om_opportunity_can_win_stage (opp, 0, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_true (om_opportunity_can_win_stage (opp, 1, NULL));

  /* closed: no baseline, for the reason the operation gives */
  lose_ok (opp, 1, "Budget cut");
  g_assert_false (om_opportunity_can_set_baseline (opp, &error));
  g_assert_false (om_opportunity_set_baseline (opp, "note", &done_error));
  g_assert_nonnull (error);
  g_assert_nonnull (done_error);
  g_assert_cmpstr (error->message, ==, done_error->message);
  g_clear_error (&error);

  /* open again by undo */
  g_assert_true (om_repository_undo (repo, &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_can_set_baseline (opp, NULL));
  g_assert_true (om_opportunity_can_win_stage (opp, 1, NULL));
}

static void
test_win_out_of_order (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 0);

  for (guint i = 1; i < 4; i++)
    assert_refused (repo, opp, OP_WIN (i), OM_MODEL_ERROR_OUT_OF_ORDER, activity_of (opp, i), CAN_SAME);

  win_ok (opp, 0);
  assert_refused (repo, opp, OP_WIN (2), OM_MODEL_ERROR_OUT_OF_ORDER, "Activity 3", CAN_SAME);
  assert_refused (repo, opp, OP_WIN (3), OM_MODEL_ERROR_OUT_OF_ORDER, "Activity 4", CAN_SAME);
  /* a won stage is history: deciding it again is refused as frozen */
  assert_refused (repo, opp, OP_WIN (0), OM_MODEL_ERROR_FROZEN, "Activity 1", CAN_SAME);
  assert_refused (repo, opp, OP_LOSE (0, "changed their mind"), OM_MODEL_ERROR_FROZEN,
                  "Activity 1", CAN_SAME);
  win_ok (opp, 1);
}

static void
test_lose_out_of_order (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 1);

  assert_refused (repo, opp, OP_LOSE (2, "budget cut"), OM_MODEL_ERROR_OUT_OF_ORDER, "Activity 3", CAN_SAME);
  assert_refused (repo, opp, OP_LOSE (3, "budget cut"), OM_MODEL_ERROR_OUT_OF_ORDER, "Activity 4", CAN_SAME);
  lose_ok (opp, 1, "budget cut");
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_LOST);
}

static void
test_invalid_index (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  g_autoptr(OmStageData) stage = om_test_stage_new (9);

  assert_refused (repo, opp, OP_ADD (4, stage), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);
  assert_refused (repo, opp, OP_REMOVE (3), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);
  assert_refused (repo, opp, OP_MOVE (3, 0), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);
  assert_refused (repo, opp, OP_MOVE (0, 3), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);
  assert_refused (repo, opp, OP_WIN (3), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);
  assert_refused (repo, opp, OP_LOSE (G_MAXUINT, "x"), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);
  assert_refused (repo, opp, OP_EDIT_STAGE (3, stage), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_NONE);
}

/* R3 */

static void
test_frozen_remove (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 6, 2);

  assert_refused (repo, opp, OP_REMOVE (0), OM_MODEL_ERROR_FROZEN, "Activity 1", CAN_SAME);
  assert_refused (repo, opp, OP_REMOVE (1), OM_MODEL_ERROR_FROZEN, "Activity 2", CAN_SAME);
  assert_refused (repo, opp, OP_REMOVE (6), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);

  for (guint i = 2; i < 6; i++)
    {
      g_autoptr(OmRepository) r = repo_new ();
      OmOpportunity *o = create_plan (r, 6, 2);
      gint64 removed_id = om_stage_get_id (om_opportunity_get_stage (o, i));
      g_autoptr(OmTestRecorder) recorder = recorder_new (r, o);
      g_autofree char *expected = g_strdup_printf ("items-changed(%u,1,0)", i);
      g_autoptr(GError) error = NULL;

      g_assert_true (om_opportunity_can_remove_stage (o, i, NULL));
      g_assert_true (om_opportunity_remove_stage (o, i, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (om_opportunity_get_n_stages (o), ==, 5);
      for (guint j = 0; j < 5; j++)
        g_assert_cmpint (om_stage_get_id (om_opportunity_get_stage (o, j)), !=, removed_id);
      om_test_assert_events (recorder, "stages", expected);
      g_assert_cmpuint (om_opportunity_get_n_won (o), ==, 2);
    }
}

static void
test_frozen_add (void)
{
  for (guint position = 0; position <= 7; position++)
    {
      g_autoptr(OmRepository) repo = repo_new ();
      OmOpportunity *opp = create_plan (repo, 6, 2);
      g_autoptr(OmStageData) stage = om_test_stage_new (7);
      g_autoptr(GError) error = NULL;
      g_autoptr(OmTestRecorder) recorder = NULL;
      g_autofree char *expected = NULL;
      OmStage *added;

      if (position < 2)
        {
          /* before the first won stage, or between the two */
          assert_refused (repo, opp, OP_ADD (position, stage), OM_MODEL_ERROR_FROZEN,
                          activity_of (opp, position), CAN_SAME);
          continue;
        }
      if (position > 6)
        {
          assert_refused (repo, opp, OP_ADD (position, stage), OM_MODEL_ERROR_INVALID_INDEX,
                          NULL, CAN_SAME);
          continue;
        }

      recorder = recorder_new (repo, opp);
      g_assert_true (om_opportunity_can_add_stage (opp, position, NULL));
      g_assert_true (om_opportunity_add_stage (opp, position, stage, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 7);
      added = om_opportunity_get_stage (opp, position);
      g_assert_cmpstr (om_stage_get_activity (added), ==, "Activity 7");
      g_assert_cmpint (om_stage_get_status (added), ==, OM_STAGE_STATUS_PENDING);
      g_assert_cmpint (om_stage_get_id (added), >, 0);
      g_assert_cmpuint (om_stage_get_position (added), ==, position);
      expected = g_strdup_printf ("items-changed(%u,0,1)", position);
      om_test_assert_events (recorder, "stages", expected);
      g_assert_cmpuint (om_opportunity_get_n_won (opp), ==, 2);
    }
}

/* A stage is added pending, whatever its values say. */
static void
test_add_is_pending (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 2, 0);
  g_autoptr(OmStageData) stage = om_test_stage_new (3);
  g_autoptr(GError) error = NULL;

  stage->status = OM_STAGE_STATUS_LOST;
  stage->decided_on = om_test_day (1);
  g_free (stage->lost_reason);
  stage->lost_reason = g_strdup ("already lost");
  g_assert_true (om_opportunity_add_stage (opp, 0, stage, &error));
  g_assert_no_error (error);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, 0)), ==, 0);
  g_assert_cmpstr (om_stage_get_lost_reason (om_opportunity_get_stage (opp, 0)), ==, "");
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_OPEN);
}

/* Every move of a 6-stage plan whose first 2 stages are won. */
static void
test_frozen_move_all (void)
{
  const guint n = 6, n_won = 2;
  guint n_legal = 0, n_frozen = 0, n_invalid = 0;

  for (guint from = 0; from <= n; from++)
    for (guint to = 0; to <= n; to++)
      {
        g_autoptr(OmRepository) repo = repo_new ();
        OmOpportunity *opp = create_plan (repo, n, n_won);
        GListModel *list = om_opportunity_get_stages (opp);
        OmStage *order[6];
        g_autoptr(OmOpportunityData) before = NULL;
        g_autoptr(OmTestRecorder) recorder = NULL;
        g_autoptr(GError) error = NULL;

        if (from >= n || to >= n)
          {
            assert_refused (repo, opp, OP_MOVE (from, to), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);
            n_invalid++;
            continue;
          }
        if (from < n_won || to < n_won)
          {
            /* a won stage cannot move, nor can a pending one go before it */
            assert_refused (repo, opp, OP_MOVE (from, to), OM_MODEL_ERROR_FROZEN,
                            activity_of (opp, from), CAN_SAME);
            n_frozen++;
            continue;
          }

        n_legal++;
        for (guint i = 0; i < n; i++)
          order[i] = om_opportunity_get_stage (opp, i);
        before = om_opportunity_data_copy (om_opportunity_get_data (opp));
        recorder = recorder_new (repo, opp);

        g_assert_true (om_opportunity_can_move_stage (opp, from, to, NULL));
        g_assert_true (om_opportunity_move_stage (opp, from, to, &error));
        g_assert_no_error (error);

        if (from == to)
          {
            /* nothing to do, nothing to record */
            g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));
            g_assert_cmpstr (om_repository_get_undo_label (repo), !=, "Move Stage");
            om_test_assert_events (recorder, NULL, "");
            continue;
          }

        {
          OmStage *moved = order[from];
          g_autofree char *expected = NULL;
          guint lo = MIN (from, to), span = (from > to ? from - to : to - from) + 1;

          if (from < to)
            memmove (&order[from], &order[from + 1], (to - from) * sizeof *order);
          else
            memmove (&order[to + 1], &order[to], (from - to) * sizeof *order);
          order[to] = moved;

          g_assert_cmpuint (g_list_model_get_n_items (list), ==, n);
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(OmStage) stage = g_list_model_get_item (list, i);
              const OmStageData *sd = om_opportunity_data_get_stage (om_opportunity_get_data (opp), i);

              g_assert_true (stage == order[i]);
              g_assert_cmpint (sd->id, ==, om_stage_get_id (stage));
              g_assert_cmpuint (om_stage_get_position (stage), ==, i);
              g_assert_cmpint (om_stage_get_status (stage), ==,
                               i < n_won ? OM_STAGE_STATUS_WON : OM_STAGE_STATUS_PENDING);
            }
          expected = g_strdup_printf ("items-changed(%u,%u,%u)", lo, span, span);
          om_test_assert_events (recorder, "stages", expected);
          g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Move Stage");
        }
      }

  g_assert_cmpuint (n_legal, ==, 16);
  g_assert_cmpuint (n_frozen, ==, 20);
  g_assert_cmpuint (n_invalid, ==, 13);
}

/* R4 */

static void
assert_closed_refuses (OmRepository  *repo,
                       OmOpportunity *opp)
{
  guint n = om_opportunity_get_n_stages (opp);
  g_autoptr(OmStageData) stage = om_test_stage_new (9);

  for (guint i = 0; i <= n; i++)
    assert_refused (repo, opp, OP_ADD (i, stage), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
  for (guint i = 0; i < n; i++)
    {
      assert_refused (repo, opp, OP_REMOVE (i), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
      assert_refused (repo, opp, OP_WIN (i), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
      assert_refused (repo, opp, OP_LOSE (i, "reason"), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
      for (guint j = 0; j < n; j++)
        assert_refused (repo, opp, OP_MOVE (i, j), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
    }
}

static void
test_closed_won (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 3);

  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_WON);
  assert_closed_refuses (repo, opp);
}

static void
test_closed_lost (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 1);

  lose_ok (opp, 1, "went with a competitor");
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_LOST);
  assert_closed_refuses (repo, opp);
}

static void
test_closed_field_edits (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *won = create_plan (repo, 2, 2);
  OmOpportunity *lost = create_plan (repo, 2, 0);
  g_autoptr(GError) error = NULL;

  lose_ok (lost, 0, "no budget");

  for (guint k = 0; k < 2; k++)
    {
      OmOpportunity *opp = k == 0 ? won : lost;
      OmOpportunityStatus status = om_opportunity_get_status (opp);
      g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (om_opportunity_get_data (opp));

      g_free (edited->notes);
      edited->notes = g_strdup ("Send a thank-you note");
      g_assert_true (om_opportunity_edit (opp, edited, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (om_opportunity_get_notes (opp), ==, "Send a thank-you note");

      set_owner (opp, 0, "Bob");
      g_assert_cmpstr (om_stage_get_owner (om_opportunity_get_stage (opp, 0)), ==, "Bob");
      set_owner (opp, 1, "Carol");
      g_assert_cmpstr (om_stage_get_owner (om_opportunity_get_stage (opp, 1)), ==, "Carol");
      g_assert_cmpint (om_opportunity_get_status (opp), ==, status);
    }
}

static void
test_reopen_lost (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 1);
  OmStage *stage = om_opportunity_get_stage (opp, 1);
  const OmHistoryEntry *h;
  const OmOpportunityData *data;

  lose_ok (opp, 1, "budget cut");
  g_assert_cmpstr (om_stage_get_lost_reason (stage), ==, "budget cut");
  g_assert_true (om_opportunity_can_reopen (opp, NULL));

  om_test_set_today (5);
  reopen_ok (opp, "budget found");
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_OPEN);
  g_assert_true (om_opportunity_get_stage (opp, 1) == stage);
  g_assert_cmpint (om_stage_get_status (stage), ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpuint (om_stage_get_decided_on (stage), ==, 0);
  g_assert_cmpstr (om_stage_get_lost_reason (stage), ==, "");
  /* only the lost stage: the won one before it stays won */
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, 1);

  data = om_opportunity_get_data (opp);
  g_assert_cmpuint (data->history->len, ==, 3);
  h = g_ptr_array_index (data->history, 2);
  g_assert_cmpuint (h->stage, ==, 1);
  g_assert_cmpint (h->from, ==, OM_STAGE_STATUS_LOST);
  g_assert_cmpint (h->to, ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpuint (h->on, ==, om_test_day (5));
  g_assert_cmpstr (h->note, ==, "budget found");

  /* and it can be worked on again */
  win_ok (opp, 1);
}

static void
test_reopen_won (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 3);
  const OmOpportunityData *data;
  const OmHistoryEntry *h;

  om_test_set_today (2);
  reopen_ok (opp, "contract not countersigned");
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_OPEN);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 2)), ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 1)), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, 2)), ==, 0);
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, 2);

  data = om_opportunity_get_data (opp);
  g_assert_cmpuint (data->history->len, ==, 4);
  h = g_ptr_array_index (data->history, 3);
  g_assert_cmpuint (h->stage, ==, 2);
  g_assert_cmpint (h->from, ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (h->to, ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpuint (h->on, ==, om_test_day (2));
  g_assert_cmpstr (h->note, ==, "contract not countersigned");

  /* reopening again undoes the decision before: the last won stage */
  reopen_ok (opp, NULL);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 1)), ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, 1);
  g_assert_cmpuint (om_opportunity_get_data (opp)->history->len, ==, 5);
}

/* Reopen asked for one stage reopens that stage or nothing: a window
 * offers it on the stage the model names, never on another one. */
static void
test_reopen_stage (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 2);

  g_assert_cmpint (om_opportunity_get_reopen_stage (opp), ==, 1);
  /* a pending stage: nothing to reopen there, though stage 2 could be */
  assert_refused (repo, opp, OP_REOPEN_STAGE (2), OM_MODEL_ERROR_NOTHING_TO_REOPEN, "Activity 3", CAN_SAME);
  assert_refused (repo, opp, OP_REOPEN_STAGE (2), OM_MODEL_ERROR_NOTHING_TO_REOPEN, "Activity 2", CAN_SAME);
  /* an earlier decision stays while a later one stands; both are named */
  assert_refused (repo, opp, OP_REOPEN_STAGE (0), OM_MODEL_ERROR_OUT_OF_ORDER, "Activity 1", CAN_SAME);
  assert_refused (repo, opp, OP_REOPEN_STAGE (0), OM_MODEL_ERROR_OUT_OF_ORDER, "Activity 2", CAN_SAME);
  assert_refused (repo, opp, OP_REOPEN_STAGE (7), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);

  g_assert_true (om_opportunity_can_reopen_stage (opp, 1, NULL));
  g_assert_true (om_opportunity_reopen_stage (opp, 1, "wrong person", NULL));
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 1)), ==, OM_STAGE_STATUS_PENDING);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_WON);
  g_assert_cmpint (om_opportunity_get_reopen_stage (opp), ==, 0);

  /* a lost stage is the most recent decision */
  lose_ok (opp, 1, "budget cut");
  g_assert_cmpint (om_opportunity_get_reopen_stage (opp), ==, 1);
  assert_refused (repo, opp, OP_REOPEN_STAGE (0), OM_MODEL_ERROR_OUT_OF_ORDER, "Activity 2", CAN_SAME);
  g_assert_true (om_opportunity_reopen_stage (opp, 1, NULL, NULL));
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_OPEN);

  reopen_ok (opp, NULL);
  g_assert_cmpint (om_opportunity_get_reopen_stage (opp), ==, -1);
  assert_refused (repo, opp, OP_REOPEN_STAGE (0), OM_MODEL_ERROR_NOTHING_TO_REOPEN, "Activity 1", CAN_SAME);
}

static void
test_reopen_nothing (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);

  assert_refused (repo, opp, OP_REOPEN (), OM_MODEL_ERROR_NOTHING_TO_REOPEN, "Deal", CAN_SAME);

  /* and after everything was reopened */
  win_ok (opp, 0);
  reopen_ok (opp, NULL);
  assert_refused (repo, opp, OP_REOPEN (), OM_MODEL_ERROR_NOTHING_TO_REOPEN, "Deal", CAN_SAME);
}

/* R5 */

static void
test_valid_activity (void)
{
  const char *blanks[] = { "", " ", "\t\n ", "\xc2\xa0" };
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 2, 0);

  for (guint i = 0; i < G_N_ELEMENTS (blanks); i++)
    {
      g_autoptr(OmStageData) stage = om_test_stage_new (3);
      g_autoptr(OmStageData) edited = stage_copy (opp, 1);

      g_free (stage->activity);
      stage->activity = g_strdup (blanks[i]);
      /* the stage has no activity to be named by: its number instead */
      assert_refused (repo, opp, OP_ADD (2, stage), OM_MODEL_ERROR_EMPTY_ACTIVITY, "3", CAN_ACCEPTS);

      g_free (edited->activity);
      edited->activity = g_strdup (blanks[i]);
      assert_refused (repo, opp, OP_EDIT_STAGE (1, edited), OM_MODEL_ERROR_EMPTY_ACTIVITY, "2", CAN_NONE);
    }
}

static void
test_valid_milestone (void)
{
  const char *blanks[] = { "", "   ", "\n" };
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 2, 1);

  for (guint i = 0; i < G_N_ELEMENTS (blanks); i++)
    {
      g_autoptr(OmStageData) stage = om_test_stage_new (3);
      g_autoptr(OmStageData) edited = stage_copy (opp, 0);

      g_free (stage->milestone);
      stage->milestone = g_strdup (blanks[i]);
      assert_refused (repo, opp, OP_ADD (1, stage), OM_MODEL_ERROR_EMPTY_MILESTONE, "Activity 3", CAN_ACCEPTS);

      /* also on a won stage */
      g_free (edited->milestone);
      edited->milestone = g_strdup (blanks[i]);
      assert_refused (repo, opp, OP_EDIT_STAGE (0, edited), OM_MODEL_ERROR_EMPTY_MILESTONE,
                      "Activity 1", CAN_NONE);
    }
}

static void
test_valid_probability (void)
{
  const double bad[] = { -0.1, 1.1, NAN, INFINITY, -INFINITY, 1.0000001 };
  const double good[] = { 0.0, 1.0, 0.5 };
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 2, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(OmStageData) stage = om_test_stage_new (3);
      g_autoptr(OmStageData) edited = stage_copy (opp, 1);

      stage->probability = bad[i];
      assert_refused (repo, opp, OP_ADD (2, stage), OM_MODEL_ERROR_INVALID_PROBABILITY,
                      "Activity 3", CAN_ACCEPTS);
      edited->probability = bad[i];
      assert_refused (repo, opp, OP_EDIT_STAGE (1, edited), OM_MODEL_ERROR_INVALID_PROBABILITY,
                      "Activity 2", CAN_NONE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(OmStageData) stage = om_test_stage_new (3);
      g_autoptr(GError) error = NULL;

      stage->probability = good[i];
      g_assert_true (om_opportunity_add_stage (opp, 2, stage, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (om_stage_get_probability (om_opportunity_get_stage (opp, 2)), ==, good[i]);
      set_probability (opp, 0, good[i]);
      g_assert_cmpfloat (om_stage_get_probability (om_opportunity_get_stage (opp, 0)), ==, good[i]);
    }
}

static void
test_valid_duration (void)
{
  const guint bad[] = { 36501, 100000, G_MAXUINT };
  const guint good[] = { 0, 1, 36500 };
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 2, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(OmStageData) stage = om_test_stage_new (3);
      g_autoptr(OmStageData) edited = stage_copy (opp, 0);

      stage->duration_days = bad[i];
      assert_refused (repo, opp, OP_ADD (0, stage), OM_MODEL_ERROR_INVALID_DURATION,
                      "Activity 3", CAN_ACCEPTS);
      edited->duration_days = bad[i];
      assert_refused (repo, opp, OP_EDIT_STAGE (0, edited), OM_MODEL_ERROR_INVALID_DURATION,
                      "Activity 1", CAN_NONE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(OmStageData) stage = om_test_stage_new (3);
      g_autoptr(GError) error = NULL;

      stage->duration_days = good[i];
      g_assert_true (om_opportunity_add_stage (opp, 0, stage, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (om_stage_get_duration_days (om_opportunity_get_stage (opp, 0)), ==, good[i]);
    }
}

static void
test_valid_lost_reason (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 1);
  g_autoptr(OmStageData) edited = NULL;

  /* the dry run answers for a stage given a reason */
  assert_refused (repo, opp, OP_LOSE (1, NULL), OM_MODEL_ERROR_NO_LOST_REASON, "Activity 2", CAN_ACCEPTS);
  assert_refused (repo, opp, OP_LOSE (1, ""), OM_MODEL_ERROR_NO_LOST_REASON, "Activity 2", CAN_ACCEPTS);
  assert_refused (repo, opp, OP_LOSE (1, " \t "), OM_MODEL_ERROR_NO_LOST_REASON, "Activity 2", CAN_ACCEPTS);

  /* the rule itself, on plain values */
  {
    g_autoptr(OmOpportunityData) data = om_opportunity_data_copy (om_opportunity_get_data (opp));
    g_autoptr(OmOpportunityData) pristine = om_opportunity_data_copy (data);
    g_autoptr(GError) error = NULL;

    g_assert_false (om_opportunity_data_lose_stage (data, 1, om_test_day (1), " ", &error));
    g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NO_LOST_REASON);
    g_assert_true (om_opportunity_data_equal (data, pristine, TRUE));
    g_clear_error (&error);
    g_assert_true (om_opportunity_data_lose_stage (data, 1, om_test_day (1), "no", &error));
    g_assert_no_error (error);
    g_assert_cmpint (om_opportunity_data_get_status (data), ==, OM_OPPORTUNITY_STATUS_LOST);
  }

  lose_ok (opp, 1, "  chose a competitor  ");
  g_assert_cmpstr (om_stage_get_lost_reason (om_opportunity_get_stage (opp, 1)), ==, "chose a competitor");

  /* the reason cannot be edited away either */
  edited = stage_copy (opp, 1);
  g_free (edited->lost_reason);
  edited->lost_reason = g_strdup (" ");
  assert_refused (repo, opp, OP_EDIT_STAGE (1, edited), OM_MODEL_ERROR_NO_LOST_REASON, "Activity 2", CAN_NONE);
}

static void
test_valid_decided_before_start (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  g_autoptr(OmStageData) edited = NULL;
  g_autoptr(OmOpportunityData) moved = NULL;

  om_test_set_today (-1);
  assert_refused (repo, opp, OP_WIN (0), OM_MODEL_ERROR_DECIDED_BEFORE_START, "Activity 1", CAN_SAME);
  assert_refused (repo, opp, OP_LOSE (0, "too early"), OM_MODEL_ERROR_DECIDED_BEFORE_START,
                  "Activity 1", CAN_SAME);

  /* on the start date itself is fine */
  om_test_set_today (0);
  win_ok (opp, 0);
  om_test_set_today (3);
  win_ok (opp, 1);

  /* a decided date cannot be edited to before the start */
  edited = stage_copy (opp, 1);
  edited->decided_on = om_test_day (-1);
  assert_refused (repo, opp, OP_EDIT_STAGE (1, edited), OM_MODEL_ERROR_DECIDED_BEFORE_START,
                  "Activity 2", CAN_NONE);

  /* nor can the start move after a decision */
  moved = om_opportunity_data_copy (om_opportunity_get_data (opp));
  moved->start_date = om_test_day (1);
  assert_refused (repo, opp, OP_EDIT (moved), OM_MODEL_ERROR_DECIDED_BEFORE_START, "Activity 1", CAN_NONE);

  moved->start_date = 0;
  assert_refused (repo, opp, OP_EDIT (moved), OM_MODEL_ERROR_INVALID_DATE, NULL, CAN_NONE);
}

static void
test_valid_pending_date (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 2, 0);
  g_autoptr(OmStageData) edited = stage_copy (opp, 0);
  g_autoptr(GError) error = NULL;

  /* the decided-on date of a pending stage is not a field to edit */
  edited->decided_on = om_test_day (3);
  g_assert_true (om_opportunity_edit_stage (opp, 0, edited, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (om_stage_get_decided_on (om_opportunity_get_stage (opp, 0)), ==, 0);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_PENDING);
}

static void
test_valid_opportunity (void)
{
  const char *bad_currencies[] = { "", "eur", "EU", "EURO", "E1R", "Eur", " EUR" };
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 2, 0);
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(GError) error = NULL;

  edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_free (edited->title);
  edited->title = g_strdup ("  ");
  assert_refused (repo, opp, OP_EDIT (edited), OM_MODEL_ERROR_EMPTY_TITLE, NULL, CAN_NONE);
  g_clear_pointer (&edited, om_opportunity_data_free);

  edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_free (edited->client);
  edited->client = g_strdup ("");
  assert_refused (repo, opp, OP_EDIT (edited), OM_MODEL_ERROR_EMPTY_CLIENT, NULL, CAN_NONE);
  g_clear_pointer (&edited, om_opportunity_data_free);

  for (guint i = 0; i < G_N_ELEMENTS (bad_currencies); i++)
    {
      edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
      g_free (edited->currency);
      edited->currency = g_strdup (bad_currencies[i]);
      assert_refused (repo, opp, OP_EDIT (edited), OM_MODEL_ERROR_INVALID_CURRENCY, NULL, CAN_NONE);
      g_clear_pointer (&edited, om_opportunity_data_free);
    }

  edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  edited->value = -1;
  assert_refused (repo, opp, OP_EDIT (edited), OM_MODEL_ERROR_INVALID_VALUE, NULL, CAN_NONE);
  edited->value = G_MININT64;
  assert_refused (repo, opp, OP_EDIT (edited), OM_MODEL_ERROR_INVALID_VALUE, NULL, CAN_NONE);

  /* the accepted edit, for contrast; the edited stages are ignored */
  edited->value = 125000000;
  g_free (edited->currency);
  edited->currency = g_strdup ("USD");
  g_ptr_array_set_size (edited->stages, 0);
  g_assert_true (om_opportunity_edit (opp, edited, &error));
  g_assert_no_error (error);
  g_assert_cmpint (om_opportunity_get_value (opp), ==, 125000000);
  g_assert_cmpstr (om_opportunity_get_currency (opp), ==, "USD");
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 2);
}

/* R6 */

static void
assert_history (const OmOpportunityData *data,
                guint                    i,
                guint                    stage,
                OmStageStatus            from,
                OmStageStatus            to,
                OmDate                   on,
                const char              *note)
{
  const OmHistoryEntry *h;

  g_assert_cmpuint (i, <, data->history->len);
  h = g_ptr_array_index (data->history, i);
  g_assert_cmpuint (h->stage, ==, stage);
  g_assert_cmpint (h->from, ==, from);
  g_assert_cmpint (h->to, ==, to);
  g_assert_cmpuint (h->on, ==, on);
  g_assert_cmpstr (h->note, ==, note);
}

static void
test_history (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  const OmOpportunityData *data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (om_opportunity_get_data (opp)->history->len, ==, 0);

  om_test_set_today (2);
  g_assert_true (om_opportunity_win_stage (opp, 0, "kick-off went well", &error));
  g_assert_no_error (error);
  om_test_set_today (9);
  lose_ok (opp, 1, "budget cut");
  om_test_set_today (20);
  reopen_ok (opp, "budget found");
  om_test_set_today (25);
  win_ok (opp, 1);

  data = om_opportunity_get_data (opp);
  g_assert_cmpuint (data->history->len, ==, 4);
  assert_history (data, 0, 0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_day (2), "kick-off went well");
  assert_history (data, 1, 1, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_LOST, om_test_day (9), "budget cut");
  assert_history (data, 2, 1, OM_STAGE_STATUS_LOST, OM_STAGE_STATUS_PENDING, om_test_day (20), "budget found");
  assert_history (data, 3, 1, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_day (25), "");

  /* refusals record nothing */
  assert_refused (repo, opp, OP_WIN (0), OM_MODEL_ERROR_FROZEN, "Activity 1", CAN_SAME);
  g_assert_cmpuint (om_opportunity_get_data (opp)->history->len, ==, 4);
}

/* The history keeps naming the same stage when the chain changes. */
static void
test_history_follows_stage (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 0);
  gint64 id = om_stage_get_id (om_opportunity_get_stage (opp, 0));
  g_autoptr(OmStageData) stage = om_test_stage_new (5);
  const OmOpportunityData *data;
  g_autoptr(GError) error = NULL;

  win_ok (opp, 0);
  reopen_ok (opp, "too soon");
  g_assert_true (om_opportunity_move_stage (opp, 0, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (om_stage_get_id (om_opportunity_get_stage (opp, 2)), ==, id);
  data = om_opportunity_get_data (opp);
  assert_history (data, 0, 2, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_day (0), "");
  assert_history (data, 1, 2, OM_STAGE_STATUS_WON, OM_STAGE_STATUS_PENDING, om_test_day (0), "too soon");

  /* a stage added in its place pushes it on */
  g_assert_true (om_opportunity_add_stage (opp, 2, stage, &error));
  g_assert_no_error (error);
  g_assert_cmpint (om_stage_get_id (om_opportunity_get_stage (opp, 3)), ==, id);
  data = om_opportunity_get_data (opp);
  assert_history (data, 0, 3, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_day (0), "");
  assert_history (data, 1, 3, OM_STAGE_STATUS_WON, OM_STAGE_STATUS_PENDING, om_test_day (0), "too soon");

  g_assert_true (om_opportunity_remove_stage (opp, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (om_stage_get_id (om_opportunity_get_stage (opp, 2)), ==, id);
  data = om_opportunity_get_data (opp);
  assert_history (data, 0, 2, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_day (0), "");
  assert_history (data, 1, 2, OM_STAGE_STATUS_WON, OM_STAGE_STATUS_PENDING, om_test_day (0), "too soon");
  g_assert_true (om_opportunity_data_validate (data, NULL));
}

/* Derived values */

static void
test_derived_due_dates (void)
{
  const guint days[] = { 3, 5, 0, 10 };
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 4);
  OmOpportunity *opp;

  for (guint i = 0; i < 4; i++)
    om_opportunity_data_get_writable_stage (plan, i)->duration_days = days[i];
  opp = om_test_create (repo, plan);

  {
    const int expected[] = { 3, 8, 8, 18 };
    for (guint i = 0; i < 4; i++)
      {
        g_assert_cmpuint (om_opportunity_data_get_due_date (om_opportunity_get_data (opp), i), ==, om_test_day (expected[i]));
        g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, i)), ==, om_test_day (expected[i]));
        /* a stage starts when the one before it is due */
        g_assert_cmpuint (om_stage_get_start_date (om_opportunity_get_stage (opp, i)), ==,
                          i == 0 ? om_test_day (0) : om_test_day (expected[i - 1]));
      }
    g_assert_cmpuint (om_opportunity_get_next_due_date (opp), ==, om_test_day (3));
  }

  /* decided late: the plan after it shifts */
  om_test_set_today (4);
  win_ok (opp, 0);
  {
    const int expected[] = { 4, 9, 9, 19 };
    for (guint i = 0; i < 4; i++)
      g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, i)), ==, om_test_day (expected[i]));
    g_assert_cmpuint (om_opportunity_get_next_due_date (opp), ==, om_test_day (9));
  }

  /* decided early: shifts back */
  om_test_set_today (6);
  win_ok (opp, 1);
  {
    const int expected[] = { 4, 6, 6, 16 };
    for (guint i = 0; i < 4; i++)
      g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, i)), ==, om_test_day (expected[i]));
  }

  /* a lost stage is due on the day it was lost */
  om_test_set_today (7);
  lose_ok (opp, 2, "no");
  g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, 2)), ==, om_test_day (7));
  g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, 3)), ==, om_test_day (17));
  g_assert_cmpuint (om_opportunity_get_next_due_date (opp), ==, 0);
}

static void
test_derived_overdue (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  const OmOpportunityData *data = om_opportunity_get_data (opp);

  /* due on day 7, 14 and 21 */
  g_assert_false (om_opportunity_get_overdue (opp));
  g_assert_false (om_opportunity_data_is_overdue (data, 0, om_test_day (7)));
  g_assert_true (om_opportunity_data_is_overdue (data, 0, om_test_day (8)));
  g_assert_false (om_opportunity_data_is_overdue (data, 1, om_test_day (14)));
  g_assert_true (om_opportunity_data_is_overdue (data, 1, om_test_day (15)));

  om_test_set_today (7);
  om_opportunity_refresh (opp);
  g_assert_false (om_opportunity_get_overdue (opp));
  g_assert_false (om_stage_get_overdue (om_opportunity_get_stage (opp, 0)));

  om_test_set_today (8);
  om_opportunity_refresh (opp);
  g_assert_true (om_opportunity_get_overdue (opp));
  g_assert_true (om_stage_get_overdue (om_opportunity_get_stage (opp, 0)));
  g_assert_false (om_stage_get_overdue (om_opportunity_get_stage (opp, 1)));

  /* a decided stage is never overdue: winning it late moves the plan on */
  win_ok (opp, 0);
  g_assert_false (om_stage_get_overdue (om_opportunity_get_stage (opp, 0)));
  g_assert_false (om_opportunity_data_is_overdue (om_opportunity_get_data (opp), 0, om_test_day (100)));
  g_assert_false (om_opportunity_get_overdue (opp));
  g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, 1)), ==, om_test_day (15));

  om_test_set_today (16);
  om_opportunity_refresh (opp);
  g_assert_true (om_opportunity_get_overdue (opp));
  g_assert_true (om_stage_get_overdue (om_opportunity_get_stage (opp, 1)));
  g_assert_false (om_stage_get_overdue (om_opportunity_get_stage (opp, 2)));

  /* on a closed opportunity nothing is late any more, whoever asks: the
   * opportunity, its stages and the plan's values say the same */
  lose_ok (opp, 1, "Price");
  om_test_set_today (100);
  om_opportunity_refresh (opp);
  g_assert_false (om_opportunity_get_overdue (opp));
  g_assert_false (om_stage_get_overdue (om_opportunity_get_stage (opp, 2)));
  g_assert_false (om_opportunity_data_is_overdue (om_opportunity_get_data (opp), 2, om_test_day (100)));
  g_assert_false (om_is_overdue (OM_OPPORTUNITY_STATUS_LOST, OM_STAGE_STATUS_PENDING, om_test_day (1),
                                 om_test_day (100)));
  g_assert_true (om_is_overdue (OM_OPPORTUNITY_STATUS_OPEN, OM_STAGE_STATUS_PENDING, om_test_day (1),
                                om_test_day (100)));
}

static void
test_derived_chain_probability (void)
{
  const double p[] = { 0.5, 0.8, 0.9 };
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  double value;

  for (guint i = 0; i < 3; i++)
    set_probability (opp, i, p[i]);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_chain_probability (opp), 0.36, 1e-12);
  g_assert_cmpfloat_with_epsilon (om_opportunity_data_get_chain_probability (om_opportunity_get_data (opp)),
                                  0.36, 1e-12);
  g_object_get (opp, "chain-probability", &value, NULL);
  g_assert_cmpfloat_with_epsilon (value, 0.36, 1e-12);

  /* won stages count 1 */
  win_ok (opp, 0);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_chain_probability (opp), 0.72, 1e-12);
  win_ok (opp, 1);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_chain_probability (opp), 0.9, 1e-12);
  lose_ok (opp, 2, "no");
  g_assert_cmpfloat (om_opportunity_get_chain_probability (opp), ==, 0.0);
  reopen_ok (opp, NULL);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_chain_probability (opp), 0.9, 1e-12);
  win_ok (opp, 2);
  g_assert_cmpfloat (om_opportunity_get_chain_probability (opp), ==, 1.0);

  /* a stage that cannot be won makes the chain impossible */
  {
    g_autoptr(OmRepository) r = repo_new ();
    OmOpportunity *o = create_plan (r, 3, 0);

    set_probability (o, 1, 0.0);
    g_assert_cmpfloat (om_opportunity_get_chain_probability (o), ==, 0.0);
  }
}

static void
test_derived_weakest_link (void)
{
  const double p[] = { 0.9, 0.4, 0.4, 0.7 };
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 0);

  for (guint i = 0; i < 4; i++)
    set_probability (opp, i, p[i]);

  /* the first of the two weakest */
  g_assert_cmpint (om_opportunity_get_weakest_link (opp), ==, 1);
  g_assert_cmpint (om_opportunity_data_get_weakest_link (om_opportunity_get_data (opp)), ==, 1);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (om_stage_get_weakest (om_opportunity_get_stage (opp, i)), ==, i == 1);

  win_ok (opp, 0);
  win_ok (opp, 1);
  g_assert_cmpint (om_opportunity_get_weakest_link (opp), ==, 2);
  g_assert_false (om_stage_get_weakest (om_opportunity_get_stage (opp, 1)));
  g_assert_true (om_stage_get_weakest (om_opportunity_get_stage (opp, 2)));

  /* only pending stages count: a won 0.1 is no weakness */
  {
    g_autoptr(OmRepository) r = repo_new ();
    OmOpportunity *o = create_plan (r, 3, 0);

    set_probability (o, 0, 0.1);
    set_probability (o, 2, 0.6);
    g_assert_cmpint (om_opportunity_get_weakest_link (o), ==, 0);
    win_ok (o, 0);
    g_assert_cmpint (om_opportunity_get_weakest_link (o), ==, 2);
  }

  win_ok (opp, 2);
  win_ok (opp, 3);
  g_assert_cmpint (om_opportunity_get_weakest_link (opp), ==, -1);
}

static void
test_derived_weighted_value (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 2);
  OmOpportunity *opp;

  plan->value = 100000;  /* 1000.00 */
  om_opportunity_data_get_writable_stage (plan, 0)->probability = 0.5;
  om_opportunity_data_get_writable_stage (plan, 1)->probability = 0.8;
  g_assert_cmpfloat_with_epsilon (om_opportunity_data_get_weighted_value (plan), 40000.0, 1e-6);
  opp = om_test_create (repo, plan);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_weighted_value (opp), 40000.0, 1e-6);
  win_ok (opp, 0);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_weighted_value (opp), 80000.0, 1e-6);
  win_ok (opp, 1);
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_weighted_value (opp), 100000.0, 1e-6);
  reopen_ok (opp, NULL);
  lose_ok (opp, 1, "no");
  g_assert_cmpfloat (om_opportunity_get_weighted_value (opp), ==, 0.0);
}

/* SPEC 7: reordering the plan never changes the chain probability, nor
 * the weighted value by a cent, whatever order a floating-point product
 * would have rounded in: compared bit for bit over every order of the
 * pending stages that moves allow, and after random moves */
static void
test_derived_chain_order_independent (void)
{
  static const double awkward[] = { 0.1, 0.7, 0.3, 0.9, 0.33, 0.77, 0.123, 0.999 };
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", G_N_ELEMENTS (awkward) + 1);
  OmDerivedValues first, reordered;
  guint n_differ_naive = 0;

  plan->value = 123456789;
  for (guint i = 0; i < G_N_ELEMENTS (awkward); i++)
    om_opportunity_data_get_writable_stage (plan, i + 1)->probability = awkward[i];
  /* a won stage first: only the pending ones count */
  g_assert_true (om_opportunity_data_win_stage (plan, 0, om_test_day (1), "", NULL));
  om_opportunity_data_derive (plan, &first);

  for (guint round = 0; round < 200; round++)
    {
      guint from = 1 + (guint) g_test_rand_int_range (0, G_N_ELEMENTS (awkward));
      guint to = 1 + (guint) g_test_rand_int_range (0, G_N_ELEMENTS (awkward));
      double naive = 1.0;
      g_autoptr(OmOpportunitySummary) summary = NULL;
      g_autoptr(OmOpportunitySummary) summary_first = om_opportunity_summary_new_derived (plan, &first);

      g_assert_true (om_opportunity_data_move_stage (plan, from, to, NULL));
      om_opportunity_data_derive (plan, &reordered);
      g_assert_true (memcmp (&first.chain_probability, &reordered.chain_probability, sizeof (double)) == 0);
      g_assert_true (memcmp (&first.weighted_value, &reordered.weighted_value, sizeof (double)) == 0);
      summary = om_opportunity_summary_new (plan);
      g_assert_cmpint (summary->weighted_value, ==, summary_first->weighted_value);

      /* the plan's own order would have differed: the test can fail */
      for (guint i = 1; i < plan->stages->len; i++)
        naive *= om_opportunity_data_get_stage (plan, i)->probability;
      if (naive != first.chain_probability)
        n_differ_naive++;
    }
  g_assert_cmpuint (n_differ_naive, >, 0);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The chain probability is the product of the pending chances in
 * ascending order, to the bit: with a few values repeated (counted, not
 * sorted) and with many distinct ones (sorted) */
static void
test_derived_chain_sorted_product (void)
{
  for (guint n_distinct = 3; n_distinct <= 48; n_distinct += 45)
    {
      g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 200);
      g_autoptr(GArray) chances = g_array_new (FALSE, FALSE, sizeof (double));
      OmDerivedValues derived;
      double expected = 1.0;

      for (guint i = 0; i < plan->stages->len; i++)
        {
          double p = 0.5 + 0.49 * (double) ((i * 7919) % n_distinct) / (double) n_distinct;

          om_opportunity_data_get_writable_stage (plan, i)->probability = p;
          g_array_append_val (chances, p);
        }
      g_array_sort (chances, compare_doubles);
      for (guint i = 0; i < chances->len; i++)
        expected *= g_array_index (chances, double, i);
      om_opportunity_data_derive (plan, &derived);
      g_assert_true (memcmp (&expected, &derived.chain_probability, sizeof (double)) == 0);
    }
}

/* The weighted value as sums keep it: whole minor units, half away */
static void
test_derived_weighted_minor (void)
{
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 1);
  g_autoptr(OmOpportunitySummary) summary = NULL;

  plan->value = 5;  /* 0.05 */
  om_opportunity_data_get_writable_stage (plan, 0)->probability = 0.5;
  summary = om_opportunity_summary_new (plan);
  g_assert_cmpint (summary->weighted_value, ==, 3);  /* 2.5 hundredths: half away from zero */
  g_assert_cmpint (summary->value, ==, 5);
  g_assert_cmpstr (summary->currency, ==, plan->currency);
  g_assert_cmpint (summary->close_date, ==, om_opportunity_data_get_due_date (plan, 0));
  g_assert_cmpint (summary->first_pending_due, ==, om_opportunity_data_get_due_date (plan, 0));
  g_assert_cmpint (om_weighted_minor (7, 0.5), ==, 4);
  g_assert_cmpint (om_weighted_minor (6, 0.25), ==, 2);
}

/* A list is found again by its query: every filter tells two apart */
static void
test_query_copy_equal (void)
{
  g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, "x", OM_ORDER_WEIGHTED);
  g_autoptr(OmOpportunityQuery) plain = om_opportunity_query_new (-1, "x", OM_ORDER_WEIGHTED);

  g_assert_null (query->owner);
  g_assert_null (query->client);
  g_assert_null (query->coordinator);
  g_assert_false (query->overdue_only);
  g_assert_cmpuint (query->close_from, ==, 0);
  g_assert_cmpuint (query->close_to, ==, 0);
  g_assert_true (om_opportunity_query_equal (query, plain));
  for (guint field = 0; field < 6; field++)
    {
      g_autoptr(OmOpportunityQuery) changed = om_opportunity_query_copy (plain);
      g_autoptr(OmOpportunityQuery) copy = NULL;

      switch (field)
        {
        case 0: changed->owner = g_strdup ("Ann"); break;
        case 1: changed->client = g_strdup ("ACME"); break;
        case 2: changed->coordinator = g_strdup ("Ana"); break;
        case 3: changed->overdue_only = TRUE; changed->today = 5; break;
        case 4: changed->close_from = 5; break;
        default: changed->close_to = 5; break;
        }
      g_assert_false (om_opportunity_query_equal (changed, plain));
      copy = om_opportunity_query_copy (changed);
      g_assert_true (om_opportunity_query_equal (copy, changed));
    }
}

static void
test_derived_current_stage (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  gint current;

  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, 0);
  win_ok (opp, 0);
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, 1);
  g_assert_cmpint (om_opportunity_data_get_current (om_opportunity_get_data (opp)), ==, 1);
  g_object_get (opp, "current-stage", &current, NULL);
  g_assert_cmpint (current, ==, 1);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (om_stage_get_current (om_opportunity_get_stage (opp, i)), ==, i == 1);

  lose_ok (opp, 1, "no");
  g_assert_cmpint (om_opportunity_get_current_stage (opp), ==, -1);
  for (guint i = 0; i < 3; i++)
    g_assert_false (om_stage_get_current (om_opportunity_get_stage (opp, i)));
}

/* Derived properties notify when their value changes, and only then. */
static void
test_derived_notify (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 3);
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(OmStageData) stage = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  /* due on day 7, 14 and 21 */
  om_opportunity_data_get_writable_stage (plan, 0)->probability = 0.5;
  om_opportunity_data_get_writable_stage (plan, 1)->probability = 1.0;
  om_opportunity_data_get_writable_stage (plan, 2)->probability = 0.8;
  opp = om_test_create (repo, plan);
  recorder = recorder_new (repo, opp);

  /* a field no derived value depends on */
  edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_free (edited->notes);
  edited->notes = g_strdup ("call back in spring");
  g_assert_true (om_opportunity_edit (opp, edited, &error));
  g_assert_no_error (error);
  om_test_assert_events (recorder, "opp", "notes");
  om_test_assert_events (recorder, "stages", "");
  om_test_assert_events (recorder, "s0", "");
  om_test_assert_events (recorder, "s1", "");
  om_test_assert_events (recorder, "s2", "");
  om_test_recorder_clear (recorder);

  edited->value = 1000000;
  g_assert_true (om_opportunity_edit (opp, edited, &error));
  g_assert_no_error (error);
  om_test_assert_events (recorder, "opp", "value weighted-value");
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_weighted_value (opp), 400000.0, 1e-6);
  om_test_recorder_clear (recorder);

  /* 0.5 × 1.0 × 0.8 becomes 1.0 × 0.8, the weakest link moves to the
   * last stage; the plan moves 7 days earlier, so the next due date (now
   * stage 2's) stays day 7 */
  win_ok (opp, 0);
  om_test_assert_events (recorder, "opp", "chain-probability current-stage n-won weakest-link weighted-value");
  om_test_assert_events (recorder, "s0", "current decided-on due-date status weakest");
  om_test_assert_events (recorder, "s1", "current due-date start-date");
  om_test_assert_events (recorder, "s2", "due-date start-date weakest");
  om_test_assert_events (recorder, "stages", "");
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_chain_probability (opp), 0.8, 1e-12);
  g_assert_cmpint (om_opportunity_get_weakest_link (opp), ==, 2);
  g_assert_cmpuint (om_opportunity_get_next_due_date (opp), ==, om_test_day (7));
  om_test_recorder_clear (recorder);

  /* winning a sure stage leaves the chain probability and the weakest
   * link; winning it on day 3 moves the next due date from 7 to 10 */
  om_test_set_today (3);
  win_ok (opp, 1);
  om_test_assert_events (recorder, "opp", "current-stage n-won next-due-date");
  om_test_assert_events (recorder, "s0", "");
  om_test_assert_events (recorder, "s1", "current decided-on due-date status");
  om_test_assert_events (recorder, "s2", "current due-date start-date");
  g_assert_cmpuint (om_opportunity_get_next_due_date (opp), ==, om_test_day (10));
  om_test_recorder_clear (recorder);

  /* the same probability: no derived value changes */
  stage = stage_copy (opp, 2);
  g_free (stage->owner);
  stage->owner = g_strdup ("Dora");
  edit_stage_ok (opp, 2, stage);
  om_test_assert_events (recorder, "opp", "");
  om_test_assert_events (recorder, "s2", "owner");
  om_test_recorder_clear (recorder);

  stage->probability = 0.4;
  edit_stage_ok (opp, 2, stage);
  om_test_assert_events (recorder, "opp", "chain-probability weighted-value");
  om_test_assert_events (recorder, "s2", "probability");
  om_test_recorder_clear (recorder);

  /* today moves on: only a refresh notices, and only once */
  om_test_set_today (30);
  om_opportunity_refresh (opp);
  om_test_assert_events (recorder, "opp", "overdue");
  om_test_assert_events (recorder, "s2", "overdue");
  om_test_assert_events (recorder, NULL, "");
  om_opportunity_refresh (opp);
  om_test_assert_events (recorder, NULL, "");

  win_ok (opp, 2);
  om_test_assert_events (recorder, "opp",
                 "chain-probability current-stage n-won next-due-date overdue status weakest-link weighted-value");
  om_test_assert_events (recorder, "s2", "current decided-on due-date overdue status weakest");
  g_assert_cmpint (om_opportunity_get_status (opp), ==, OM_OPPORTUNITY_STATUS_WON);
  g_assert_cmpuint (om_opportunity_get_next_due_date (opp), ==, 0);
  g_assert_false (om_opportunity_get_overdue (opp));
}

/* The stages list model */

static void
test_stages_add (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  GListModel *list = om_opportunity_get_stages (opp);
  OmStage *old[3];
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(OmStageData) stage = om_test_stage_new (4);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    old[i] = om_opportunity_get_stage (opp, i);
  recorder = recorder_new (repo, opp);

  g_assert_true (om_opportunity_add_stage (opp, 1, stage, &error));
  g_assert_no_error (error);
  om_test_assert_events (recorder, "stages", "items-changed(1,0,1)");
  /* one more 90% stage in the chain */
  om_test_assert_events (recorder, "opp", "chain-probability n-stages");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  g_assert_true (om_opportunity_get_stage (opp, 0) == old[0]);
  g_assert_true (om_opportunity_get_stage (opp, 2) == old[1]);
  g_assert_true (om_opportunity_get_stage (opp, 3) == old[2]);
  g_assert_cmpstr (activity_of (opp, 1), ==, "Activity 4");
  g_assert_cmpuint (om_stage_get_position (old[1]), ==, 2);

  g_assert_true (om_opportunity_add_stage (opp, 4, stage, &error));
  g_assert_no_error (error);
  om_test_assert_events (recorder, "stages", "items-changed(4,0,1)");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
  /* two stages from the same values are two stages */
  g_assert_cmpint (om_stage_get_id (om_opportunity_get_stage (opp, 4)), !=,
                   om_stage_get_id (om_opportunity_get_stage (opp, 1)));
}

static void
test_stages_remove (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 0);
  OmStage *kept[3];
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;

  kept[0] = om_opportunity_get_stage (opp, 0);
  kept[1] = om_opportunity_get_stage (opp, 2);
  kept[2] = om_opportunity_get_stage (opp, 3);
  recorder = recorder_new (repo, opp);

  g_assert_true (om_opportunity_remove_stage (opp, 1, &error));
  g_assert_no_error (error);
  om_test_assert_events (recorder, "stages", "items-changed(1,1,0)");
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (om_opportunity_get_stage (opp, i) == kept[i]);
  g_assert_cmpuint (om_stage_get_position (kept[2]), ==, 2);
}

static void
test_stages_move (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 5, 0);
  OmStage *moved = om_opportunity_get_stage (opp, 3);
  OmStage *first = om_opportunity_get_stage (opp, 0);
  g_autoptr(OmTestRecorder) recorder = recorder_new (repo, opp);
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_move_stage (opp, 3, 0, &error));
  g_assert_no_error (error);
  om_test_assert_events (recorder, "stages", "items-changed(0,4,4)");
  g_assert_true (om_opportunity_get_stage (opp, 0) == moved);
  g_assert_true (om_opportunity_get_stage (opp, 1) == first);
  g_assert_cmpuint (om_stage_get_position (moved), ==, 0);
  g_assert_true (om_stage_get_current (moved));
  g_assert_false (om_stage_get_current (first));
  /* all are 90%: the weakest link is the first, whichever it is */
  om_test_assert_events (recorder, "s3", "current due-date position start-date weakest");
  om_test_assert_events (recorder, "s0", "current due-date position start-date weakest");
  om_test_assert_events (recorder, "s1", "due-date position start-date");
  om_test_assert_events (recorder, "s2", "due-date position start-date");
  om_test_assert_events (recorder, "opp", "");
  /* stage 4 keeps its place and its dates */
  om_test_assert_events (recorder, "s4", "");
}

static void
test_stages_edit (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 3, 0);
  g_autoptr(OmTestRecorder) recorder = recorder_new (repo, opp);

  set_owner (opp, 1, "Bob");
  om_test_assert_events (recorder, "stages", "");
  om_test_assert_events (recorder, "s1", "owner");
  om_test_assert_events (recorder, "s0", "");
  om_test_assert_events (recorder, "s2", "");
  om_test_assert_events (recorder, "opp", "");

  win_ok (opp, 0);
  om_test_assert_events (recorder, "stages", "");
}

/* Health (SPEC section 4) */

static void
test_health_process_agreement (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 0);
  g_autoptr(OmOpportunityData) empty = om_test_plan_new ("Deal", 0);
  OmOpportunity *none = om_test_create (repo, empty);

  assert_health (none, "no-process-agreement");
  assert_health (opp, "no-process-agreement");

  set_kind (opp, 0, OM_STAGE_KIND_PROCESS_AGREEMENT);
  assert_health (opp, "");
  set_kind (opp, 0, OM_STAGE_KIND_FEASIBILITY_STUDY);
  assert_health (opp, "no-process-agreement");
  set_kind (opp, 1, OM_STAGE_KIND_PROCESS_AGREEMENT);
  assert_health (opp, "");
  set_kind (opp, 1, OM_STAGE_KIND_STANDARD);
  /* third is too late */
  set_kind (opp, 2, OM_STAGE_KIND_PROCESS_AGREEMENT);
  assert_health (opp, "no-process-agreement");

  /* a single stage that is the agreement */
  {
    g_autoptr(OmOpportunityData) single = om_test_plan_new ("Deal", 1);
    OmOpportunity *one;

    om_opportunity_data_get_writable_stage (single, 0)->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
    one = om_test_create (repo, single);
    assert_health (one, "");
  }
}

static OmOpportunity *
create_agreed_plan (OmRepository *repo,
                    guint         n_stages)
{
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", n_stages);

  if (n_stages > 0)
    om_opportunity_data_get_writable_stage (plan, 0)->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  return om_test_create (repo, plan);
}

static void
test_health_too_complex (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *eight = create_agreed_plan (repo, 8);
  OmOpportunity *nine = create_agreed_plan (repo, 9);
  guint threshold;

  g_assert_cmpuint (om_repository_get_too_complex_threshold (repo), ==, OM_DEFAULT_TOO_COMPLEX_THRESHOLD);
  g_assert_cmpuint (OM_DEFAULT_TOO_COMPLEX_THRESHOLD, ==, 8);
  assert_health (eight, "");
  assert_health (nine, "too-complex");

  /* pending stages count, not all of them; the process is agreed, so
   * the next appointment needs a date */
  win_ok (nine, 0);
  assert_health (nine, "next-not-agreed@1");
  agree_ok (nine, 1, om_stage_get_due_date (om_opportunity_get_stage (nine, 1)));
  assert_health (nine, "");

  {
    g_autoptr(OmTestRecorder) recorder = recorder_new (repo, NULL);

    om_repository_set_too_complex_threshold (repo, 3);
    om_test_assert_events (recorder, "repo", "too-complex-threshold");
    om_repository_set_too_complex_threshold (repo, 3);
    om_test_assert_events (recorder, "repo", "");
  }
  g_object_get (repo, "too-complex-threshold", &threshold, NULL);
  g_assert_cmpuint (threshold, ==, 3);
  assert_health (eight, "too-complex");
  assert_health (nine, "too-complex");

  g_object_set (repo, "too-complex-threshold", 8, NULL);
  assert_health (nine, "");
  assert_health (eight, "");
}

/* One warning lists the stages nobody conducts, shown with the first:
 * one line on the command line and in the window, however many */
static void
test_health_no_owner (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_agreed_plan (repo, 4);

  set_owner (opp, 0, "");
  set_owner (opp, 2, " \t");
  assert_health (opp, "no-owner@0");
  assert_message (opp, "no-owner", "Nobody conducts Stage 1 “Activity 1” and stage 3: give them owners.");
  set_owner (opp, 3, "");
  assert_message (opp, "no-owner", "Nobody conducts Stage 1 “Activity 1” and stages 3 and 4: give them owners.");
  set_owner (opp, 3, "Ann");

  /* a decided stage needs nobody any more */
  win_ok (opp, 0);
  assert_health (opp, "no-owner@2 next-not-agreed@1");
  assert_message (opp, "no-owner", "Nobody conducts Stage 3 “Activity 3”: give it an owner.");
  set_owner (opp, 2, "Bob");
  assert_health (opp, "next-not-agreed@1");
}

/* A plan of 2,000 stages whose stages @from..@to (numbers) have no owner */
static OmOpportunity *
create_unowned_plan (OmRepository *repo,
                     guint         from,
                     guint         to)
{
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 2000);

  om_opportunity_data_get_writable_stage (plan, 0)->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  for (guint i = from - 1; i < to; i++)
    g_clear_pointer (&om_opportunity_data_get_writable_stage (plan, i)->owner, g_free);
  return om_test_create (repo, plan);
}

/* Thousands of stages nobody conducts: the warning names a few and
 * counts the rest, rather than listing thousands of numbers */
static void
test_health_no_owner_many (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *all = create_unowned_plan (repo, 1, 2000);
  OmOpportunity *ten = create_unowned_plan (repo, 1, 10);
  OmOpportunity *eleven = create_unowned_plan (repo, 1, 11);

  assert_health (all, "too-complex no-owner@0");
  assert_message (all, "no-owner",
                  "Nobody conducts Stage 1 “Activity 1” and stages 2, 3, 4, 5, 6, 7, 8, 9 and 1991 more: give them owners.");
  /* ten stages are all named; past ten, nine are, and the rest counted */
  assert_message (ten, "no-owner",
                  "Nobody conducts Stage 1 “Activity 1” and stages 2, 3, 4, 5, 6, 7, 8, 9 and 10: give them owners.");
  assert_message (eleven, "no-owner",
                  "Nobody conducts Stage 1 “Activity 1” and stages 2, 3, 4, 5, 6, 7, 8, 9 and 2 more: give them owners.");
}

/* SPEC 4: one warning, about the current stage, that counts the later
 * stages overdue because of it */
static void
test_health_overdue (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_agreed_plan (repo, 3);
  g_autofree char *day_7 = om_date_format (om_test_day (7));
  g_autofree char *day_29 = om_date_format (om_test_day (29));
  g_autofree char *expected = NULL;

  /* due on day 7, 14 and 21 */
  om_test_set_today (7);
  assert_health (opp, "");
  om_test_set_today (14);
  assert_health (opp, "overdue@0");
  expected = g_strdup_printf ("Stage 1 “Activity 1” was due on %s and is not decided yet: "
                              "decide it, or agree a new date with the client.", day_7);
  assert_message (opp, "overdue", expected);
  om_test_set_today (15);
  assert_health (opp, "overdue@0");
  g_free (expected);
  expected = g_strdup_printf ("Stage 1 “Activity 1” was due on %s and is not decided yet; "
                              "1 later stage is overdue because of it. "
                              "Decide it, or agree a new date with the client.", day_7);
  assert_message (opp, "overdue", expected);
  om_test_set_today (22);
  assert_health (opp, "overdue@0");
  g_free (expected);
  expected = g_strdup_printf ("Stage 1 “Activity 1” was due on %s and is not decided yet; "
                              "2 later stages are overdue because of it. "
                              "Decide it, or agree a new date with the client.", day_7);
  assert_message (opp, "overdue", expected);

  win_ok (opp, 0);
  /* decided today: the plan after it moves to day 29 and 36 (the
   * process is agreed: the next appointment wants a date) */
  assert_health (opp, "next-not-agreed@1");
  om_test_set_today (37);
  assert_health (opp, "overdue@1 next-not-agreed@1");
  g_free (expected);
  expected = g_strdup_printf ("Stage 2 “Activity 2” was due on %s and is not decided yet; "
                              "1 later stage is overdue because of it. "
                              "Decide it, or agree a new date with the client.", day_29);
  assert_message (opp, "overdue", expected);
}

/* Thousands of overdue stages: one warning of one short line */
static void
test_health_overdue_many (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_agreed_plan (repo, 2000);
  g_autofree char *message = NULL;

  om_test_set_today (7 * 2000 + 1);
  assert_health (opp, "too-complex overdue@0");
  message = message_of (opp, "overdue");
  g_assert_nonnull (strstr (message, "1999 later stages are overdue"));
  g_assert_cmpuint (strlen (message), <, 200);
}

static void
test_health_weak_link (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_agreed_plan (repo, 4);

  set_probability (opp, 2, 0.5);
  assert_health (opp, "");
  set_probability (opp, 2, 0.49);
  assert_health (opp, "weak-link@2");
  /* one warning, for the first of the weakest */
  set_probability (opp, 1, 0.2);
  set_probability (opp, 3, 0.2);
  assert_health (opp, "weak-link@1");
  win_ok (opp, 0);
  win_ok (opp, 1);
  assert_health (opp, "weak-link@3 next-not-agreed@2");
  set_probability (opp, 3, 0.5);
  assert_health (opp, "weak-link@2 next-not-agreed@2");
}

/* On a won or lost opportunity there is no pending work to warn about. */
static void
test_health_closed (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 12);
  OmOpportunity *lost, *won;

  for (guint i = 0; i < 12; i++)
    {
      OmStageData *stage = om_opportunity_data_get_writable_stage (plan, i);
      g_free (stage->owner);
      stage->owner = g_strdup ("");
      stage->probability = 0.1;
    }
  lost = om_test_create (repo, plan);
  om_test_set_today (200);
  {
    g_autofree char *open = health_of (lost);
    g_assert_nonnull (strstr (open, "too-complex"));
    g_assert_cmpstr (open, ==, "no-process-agreement too-complex no-owner@0 overdue@0 weak-link@0");
    g_assert_nonnull (strstr (open, "weak-link@0"));
  }
  lose_ok (lost, 0, "no");
  assert_health (lost, "no-process-agreement");

  g_ptr_array_set_size (plan->stages, 2);
  won = om_test_create (repo, plan);
  win_ok (won, 0);
  win_ok (won, 1);
  assert_health (won, "no-process-agreement");
}

/* Templates (SPEC section 5) */

static const struct
{
  const char  *activity;
  const char  *milestone;
  OmStageKind  kind;
  guint        days;
  double       p;
} recommended[] = {
  { "Initial appointment", "Client agrees to explore the opportunity with us", OM_STAGE_KIND_STANDARD, 7, 0.8 },
  { "Process meeting", "Client agrees to the opportunity-management process", OM_STAGE_KIND_PROCESS_AGREEMENT, 7, 0.8 },
  { "Feasibility Study proposal", "Client commissions the Feasibility Study", OM_STAGE_KIND_FEASIBILITY_STUDY, 14, 0.6 },
  { "Feasibility Study", "Client accepts the study's recommendation", OM_STAGE_KIND_FEASIBILITY_STUDY, 30, 0.7 },
  { "Proposal", "Client accepts the proposal", OM_STAGE_KIND_STANDARD, 14, 0.7 },
  { "Contract", "Contract signed", OM_STAGE_KIND_STANDARD, 14, 0.9 },
};

static void
test_template_recommended (void)
{
  g_autoptr(OmTemplateData) tmpl = om_template_data_new_recommended ();

  g_assert_cmpstr (tmpl->name, ==, "Recommended process");
  g_assert_cmpuint (tmpl->stages->len, ==, G_N_ELEMENTS (recommended));
  g_assert_true (om_template_data_validate (tmpl, NULL));

  for (guint i = 0; i < tmpl->stages->len; i++)
    {
      const OmStageData *stage = g_ptr_array_index (tmpl->stages, i);

      g_assert_cmpstr (stage->activity, ==, recommended[i].activity);
      /* stage 4's milestone: see /template/recommended/milestone-text */
      if (i != 3)
        g_assert_cmpstr (stage->milestone, ==, recommended[i].milestone);
      g_assert_cmpint (stage->kind, ==, recommended[i].kind);
      g_assert_cmpuint (stage->duration_days, ==, recommended[i].days);
      g_assert_cmpfloat (stage->probability, ==, recommended[i].p);
      g_assert_cmpint (stage->status, ==, OM_STAGE_STATUS_PENDING);
      g_assert_cmpuint (stage->decided_on, ==, 0);
    }
}

static void
test_template_recommended_milestone_text (void)
{
  g_autoptr(OmTemplateData) tmpl = om_template_data_new_recommended ();
  const OmStageData *stage = g_ptr_array_index (tmpl->stages, 3);

  g_assert_cmpstr (stage->milestone, ==, recommended[3].milestone);
}

static void
test_template_instantiate (void)
{
  g_autoptr(OmTemplateData) tmpl = om_template_data_new_recommended ();
  g_autoptr(OmTemplateData) pristine = om_template_data_copy (tmpl);
  g_autoptr(OmOpportunityData) data = NULL;
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp;
  double chain = 1.0;
  int due = 0;

  data = om_template_data_instantiate (tmpl, "Fleet renewal", "Northwind", om_test_date (OM_TEST_START));
  g_assert_cmpstr (data->title, ==, "Fleet renewal");
  g_assert_cmpstr (data->client, ==, "Northwind");
  g_assert_cmpuint (data->start_date, ==, om_test_date (OM_TEST_START));
  g_assert_cmpint (data->id, ==, 0);
  g_assert_cmpint (data->value, ==, 0);
  g_assert_cmpstr (data->currency, ==, "EUR");
  g_assert_cmpuint (data->history->len, ==, 0);
  g_assert_cmpuint (data->stages->len, ==, tmpl->stages->len);
  for (guint i = 0; i < data->stages->len; i++)
    {
      OmStageData copy = *(OmStageData *) g_ptr_array_index (tmpl->stages, i);

      copy.id = 0;
      g_assert_true (om_stage_data_equal (g_ptr_array_index (data->stages, i), &copy));
    }
  g_assert_true (om_opportunity_data_validate (data, NULL));

  /* the opportunity has its own copy of the plan */
  g_free (om_opportunity_data_get_stage (data, 0)->activity);
  om_opportunity_data_get_writable_stage (data, 0)->activity = g_strdup ("Changed");
  g_assert_true (om_template_data_equal (tmpl, pristine));
  g_free (om_opportunity_data_get_stage (data, 0)->activity);
  om_opportunity_data_get_writable_stage (data, 0)->activity = g_strdup (recommended[0].activity);

  opp = om_test_create (repo, data);
  for (guint i = 0; i < G_N_ELEMENTS (recommended); i++)
    {
      chain *= recommended[i].p;
      due += (int) recommended[i].days;
      g_assert_cmpuint (om_stage_get_due_date (om_opportunity_get_stage (opp, i)), ==, om_test_day (due));
    }
  g_assert_cmpfloat_with_epsilon (om_opportunity_get_chain_probability (opp), chain, 1e-12);
  g_assert_cmpint (om_opportunity_get_weakest_link (opp), ==, 2);
  /* the recommended process is healthy, but nobody has been named yet */
  assert_health (opp, "no-owner@0");
}

static void
test_template_builtin (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  GListModel *templates = om_repository_get_templates (repo);
  g_autoptr(OmTemplate) first = g_list_model_get_item (templates, 0);
  g_autoptr(OmTemplateData) recommended_data = om_template_data_new_recommended ();

  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 1);
  g_assert_true (om_template_get_builtin (first));
  g_assert_cmpuint (om_template_get_n_stages (first), ==, 6);
  g_assert_true (om_template_data_equal (om_template_get_data (first), recommended_data));
}

/* Plain data */

static void
test_data_validate (void)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 3);
  g_autoptr(GError) error = NULL;
  OmStageData *s0 = om_opportunity_data_get_writable_stage (data, 0);
  OmStageData *s1 = om_opportunity_data_get_writable_stage (data, 1);

  g_assert_true (om_opportunity_data_validate (data, &error));
  g_assert_no_error (error);

  /* R2/R3: a decided stage after one not won */
  s1->status = OM_STAGE_STATUS_WON;
  s1->decided_on = om_test_day (1);
  g_assert_false (om_opportunity_data_validate (data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);

  s0->status = OM_STAGE_STATUS_LOST;
  s0->decided_on = om_test_day (1);
  g_free (s0->lost_reason);
  s0->lost_reason = g_strdup ("no");
  g_assert_false (om_opportunity_data_validate (data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_OUT_OF_ORDER);
  g_clear_error (&error);

  s1->status = OM_STAGE_STATUS_PENDING;
  s1->decided_on = 0;
  /* R6: the loss is recorded */
  g_assert_false (om_opportunity_data_validate (data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_HISTORY);
  g_clear_error (&error);
  g_ptr_array_add (data->history, om_history_entry_new (0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_LOST,
                                                        om_test_day (1), "no"));
  g_assert_true (om_opportunity_data_validate (data, NULL));

  /* a decided stage needs its date, a pending one has none */
  s0->decided_on = 0;
  g_assert_false (om_opportunity_data_validate (data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_DATE);
  g_clear_error (&error);
  s0->decided_on = om_test_day (1);
  s1->decided_on = om_test_day (1);
  g_assert_false (om_opportunity_data_validate (data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_DATE);
  g_clear_error (&error);
  s1->decided_on = 0;

  g_free (s0->lost_reason);
  s0->lost_reason = g_strdup (" ");
  g_assert_false (om_opportunity_data_validate (data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NO_LOST_REASON);
  g_clear_error (&error);
  g_free (s0->lost_reason);
  s0->lost_reason = g_strdup ("no");

  s0->decided_on = om_test_day (-1);
  g_assert_false (om_opportunity_data_validate (data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_DECIDED_BEFORE_START);
  g_clear_error (&error);
  s0->decided_on = om_test_day (1);

  /* a history entry about a stage that is not there */
  g_ptr_array_add (data->history, om_history_entry_new (3, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON,
                                                        om_test_day (1), NULL));
  g_assert_false (om_opportunity_data_validate (data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_HISTORY);
  g_clear_error (&error);
}

static void
test_data_copy_equal (void)
{
  g_autoptr(OmOpportunityData) a = om_test_plan_new ("Deal", 3);
  g_autoptr(OmOpportunityData) b = NULL;

  a->id = 7;
  om_opportunity_data_get_writable_stage (a, 1)->id = 11;
  g_ptr_array_add (a->history, om_history_entry_new (0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON,
                                                     om_test_day (1), "yes"));
  b = om_opportunity_data_copy (a);
  g_assert_true (om_opportunity_data_equal (a, b, TRUE));

  b->id = 8;
  g_assert_false (om_opportunity_data_equal (a, b, TRUE));
  g_assert_true (om_opportunity_data_equal (a, b, FALSE));
  b->id = 7;

  om_opportunity_data_get_writable_stage (b, 1)->id = 12;
  g_assert_false (om_opportunity_data_equal (a, b, TRUE));
  g_assert_true (om_opportunity_data_equal (a, b, FALSE));
  om_opportunity_data_get_writable_stage (b, 1)->id = 11;

  g_free (om_opportunity_data_get_writable_entry (b, 0)->note);
  om_opportunity_data_get_writable_entry (b, 0)->note = g_strdup ("no");
  g_assert_false (om_opportunity_data_equal (a, b, FALSE));
}

/* A copy shares its stages and history entries; changing one of them
 * through the copy gives the copy its own and leaves the original as it
 * was */
static void
test_data_copy_shares (void)
{
  g_autoptr(OmOpportunityData) a = om_test_plan_new ("Deal", 3);
  g_autoptr(OmOpportunityData) b = NULL;
  g_autoptr(OmOpportunityData) before = NULL;
  OmStageData *own;

  g_ptr_array_add (a->history, om_history_entry_new (0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON,
                                                     om_test_day (1), "yes"));
  b = om_opportunity_data_copy (a);
  before = om_opportunity_data_copy (a);
  for (guint i = 0; i < 3; i++)
    g_assert_true (om_opportunity_data_get_stage (a, i) == om_opportunity_data_get_stage (b, i));
  g_assert_true (g_ptr_array_index (a->history, 0) == g_ptr_array_index (b->history, 0));

  own = om_opportunity_data_get_writable_stage (b, 1);
  g_assert_true (own != om_opportunity_data_get_stage (a, 1));
  g_free (own->activity);
  own->activity = g_strdup ("Changed in the copy");
  own->probability = 0.25;
  om_opportunity_data_get_writable_entry (b, 0)->on = om_test_day (2);
  g_assert_cmpstr (om_opportunity_data_get_stage (a, 1)->activity, ==, "Activity 2");
  g_assert_cmpfloat (om_opportunity_data_get_stage (a, 1)->probability, !=, 0.25);
  g_assert_cmpuint (((OmHistoryEntry *) g_ptr_array_index (a->history, 0))->on, ==, om_test_day (1));
  g_assert_true (om_opportunity_data_equal (a, before, TRUE));

  /* a stage only the copy holds is changed in place */
  g_assert_true (om_opportunity_data_get_writable_stage (b, 1) == own);

  /* an operation on the copy leaves the original's order */
  g_assert_true (om_opportunity_data_move_stage (b, 2, 1, NULL));
  g_assert_cmpstr (om_opportunity_data_get_stage (a, 2)->activity, ==, "Activity 3");
  g_assert_true (om_opportunity_data_equal (a, before, TRUE));
}

/* A stage judged while shared keeps its verdict; once only one plan
 * holds it and that plan asks to change it, it is judged again */
static void
test_data_validate_after_change (void)
{
  g_autoptr(OmOpportunityData) a = om_test_plan_new ("Deal", 2);
  g_autoptr(OmOpportunityData) c = NULL;
  g_autoptr(GError) error = NULL;
  OmStageData *stage;

  {
    g_autoptr(OmOpportunityData) b = om_opportunity_data_copy (a);

    g_assert_true (om_opportunity_data_validate (a, NULL));
    g_assert_true (om_opportunity_data_validate (b, NULL));
  }
  /* a's stages are its own again */
  stage = om_opportunity_data_get_writable_stage (a, 0);
  g_free (stage->activity);
  stage->activity = g_strdup ("  ");
  g_assert_false (om_opportunity_data_validate (a, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_EMPTY_ACTIVITY);
  g_clear_error (&error);
  /* and still once it is shared again */
  {
    g_autoptr(OmOpportunityData) b = om_opportunity_data_copy (a);

    g_assert_false (om_opportunity_data_validate (a, &error));
    g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_EMPTY_ACTIVITY);
    g_clear_error (&error);
    g_assert_false (om_opportunity_data_validate (b, NULL));
  }
  stage = om_opportunity_data_get_writable_stage (a, 0);

  /* a shared stage changed through a copy: the copy is judged on its
   * own stage, the original on the one it keeps */
  g_free (stage->activity);
  stage->activity = g_strdup ("Call");
  c = om_opportunity_data_copy (a);
  g_assert_true (om_opportunity_data_validate (a, NULL));
  om_opportunity_data_get_writable_stage (c, 1)->probability = 2.0;
  g_assert_false (om_opportunity_data_validate (c, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_PROBABILITY);
  g_assert_true (om_opportunity_data_validate (a, NULL));
}

/* Validating and deriving in one pass says what deriving says */
static void
test_data_validate_derived (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *plans[] = {
    create_plan (repo, 4, 0), create_plan (repo, 4, 2), create_plan (repo, 3, 3), create_plan (repo, 1, 0),
  };

  lose_ok (plans[3], 0, "Price");
  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    {
      const OmOpportunityData *data = om_opportunity_get_data (plans[i]);
      OmDerivedValues derived, checked;
      g_autoptr(GError) error = NULL;

      om_opportunity_data_derive (data, &derived);
      memset (&checked, 0xff, sizeof checked);
      g_assert_true (om_opportunity_data_validate_derived (data, &checked, &error));
      g_assert_no_error (error);
      g_assert_cmpint (checked.status, ==, derived.status);
      g_assert_cmpuint (checked.n_won, ==, derived.n_won);
      g_assert_cmpint (checked.current, ==, derived.current);
      g_assert_cmpfloat (checked.chain_probability, ==, derived.chain_probability);
      g_assert_cmpfloat (checked.weighted_value, ==, derived.weighted_value);
      g_assert_cmpint (checked.weakest, ==, derived.weakest);
      g_assert_cmpuint (checked.next_due, ==, derived.next_due);
      g_assert_cmpint (derived.status, ==, om_opportunity_get_status (plans[i]));
    }
}

/* An edit of a long plan copies what it changes and shares the rest
 * with the version before it, which undo keeps */
static void
test_edit_shares_unchanged_stages (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 1000, 0);
  g_autoptr(OmOpportunityData) was = om_opportunity_data_ref (om_opportunity_get_data (opp));
  g_autoptr(GError) error = NULL;
  const OmOpportunityData *now;

  g_assert_true (om_opportunity_move_stage (opp, 999, 998, &error));
  g_assert_no_error (error);
  now = om_opportunity_get_data (opp);
  for (guint i = 0; i < 998; i++)
    g_assert_true (om_opportunity_data_get_stage (now, i) == om_opportunity_data_get_stage (was, i));
  g_assert_true (om_opportunity_data_get_stage (now, 998) == om_opportunity_data_get_stage (was, 999));
  g_assert_true (om_opportunity_data_get_stage (now, 999) == om_opportunity_data_get_stage (was, 998));

  g_clear_pointer (&was, om_opportunity_data_free);
  was = om_opportunity_data_ref (om_opportunity_get_data (opp));
  win_ok (opp, 0);
  now = om_opportunity_get_data (opp);
  g_assert_true (om_opportunity_data_get_stage (now, 0) != om_opportunity_data_get_stage (was, 0));
  g_assert_cmpint (om_opportunity_data_get_stage (was, 0)->status, ==, OM_STAGE_STATUS_PENDING);
  for (guint i = 1; i < 1000; i++)
    g_assert_true (om_opportunity_data_get_stage (now, i) == om_opportunity_data_get_stage (was, i));

  /* undo gives back the version before */
  g_assert_true (om_repository_undo (repo, &error));
  g_assert_no_error (error);
  now = om_opportunity_get_data (opp);
  g_assert_true (om_opportunity_data_equal (now, was, TRUE));
  g_assert_cmpint (om_opportunity_data_get_stage (now, 0)->status, ==, OM_STAGE_STATUS_PENDING);
}

/* Types */

static void
test_date_parse (void)
{
  const char *good[] = { "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2024-12-31" };
  const char *bad[] = {
    "", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
    "2024-04-31", "2024-1-01", "2024-01-1", "24-01-01", "2024/01/01", "20240101", " 2024-01-01",
    "2024-01-01 ", "2024-01-01T00:00", "0000-01-01", "+024-01-01", "2024-0a-01", "2024-01-01\n",
    "2024\xe2\x80\x90" "01-01",
  };
  OmDate d;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *iso = NULL;
      GDate gd;

      d = 0;
      g_assert_true (om_date_parse (good[i], &d));
      g_assert_cmpuint (d, !=, 0);
      iso = om_date_to_iso (d);
      g_assert_cmpstr (iso, ==, good[i]);
      g_date_clear (&gd, 1);
      g_date_set_julian (&gd, d);
      g_assert_cmpuint (g_date_get_year (&gd), ==, (guint) atoi (good[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      d = 12345;
      if (om_date_parse (bad[i], &d))
        g_error ("“%s” was accepted as a date", bad[i]);
      g_assert_cmpuint (d, ==, 12345);
    }
  g_assert_false (om_date_parse (NULL, &d));

  g_assert_cmpuint (om_date_add_days (om_test_date ("2024-02-28"), 2), ==, om_test_date ("2024-03-01"));
  {
    g_autofree char *none = om_date_to_iso (0);
    g_assert_cmpstr (none, ==, "");
  }
}

/* Money as each locale writes it (SPEC: displays follow the locale,
 * files and the command line never do). build-aux/deps.sh makes these
 * locales. */
static void
test_money_locale (void)
{
  static const struct
  {
    const char *locale;
    const char *number;     /* 1250000.50 EUR, no code */
    const char *with_code;  /* the same with the code where the locale puts it */
    const char *yen;        /* 1250000 JPY */
    const char *grouped;    /* another way the locale writes 1250000.50 */
    const char *wrong;      /* not an amount there */
  } cases[] = {
    { "C", "1250000.50", "EUR\u00a01250000.50", "JPY\u00a01250000", "1250000.5", "1,250,000.50" },
    { "en_US.UTF-8", "1,250,000.50", "EUR\u00a01,250,000.50", "JPY\u00a01,250,000", "EUR 1,250,000.50", "1.250.000,50" },
    { "de_DE.UTF-8", "1.250.000,50", "1.250.000,50\u00a0EUR", "1.250.000\u00a0JPY", "1.250.000,50 EUR", "1,250,000.50" },
    { "fr_FR.UTF-8", "1\u202f250\u202f000,50", "1\u202f250\u202f000,50\u00a0EUR", "1\u202f250\u202f000\u00a0JPY",
      "1 250 000,50", "1.250.000,50" },
    { "ja_JP.UTF-8", "1,250,000.50", "EUR\u00a01,250,000.50", "JPY\u00a01,250,000", "1,250,000.5", "1.250.000,50" },
  };
  g_autofree char *was = g_strdup (setlocale (LC_MONETARY, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = NULL;
      g_autofree char *with_code = NULL;
      g_autofree char *yen = NULL;
      g_autofree char *kwd = NULL;
      g_autoptr(GError) error = NULL;
      gint64 minor = -1;

      g_test_message ("%s", cases[i].locale);
      g_assert_nonnull (setlocale (LC_MONETARY, cases[i].locale));
      number = om_money_format_number (125000050, "EUR");
      with_code = om_money_format (125000050, "EUR");
      yen = om_money_format (125000000, "JPY");
      kwd = om_money_format_number (125000050, "KWD");
      g_assert_cmpstr (number, ==, cases[i].number);
      g_assert_cmpstr (with_code, ==, cases[i].with_code);
      g_assert_cmpstr (yen, ==, cases[i].yen);
      g_assert_true (g_str_has_suffix (kwd, "500"));   /* three decimals */

      /* what is shown reads back; so does the plain form of files */
      g_assert_true (om_money_parse_locale (number, "EUR", &minor, NULL));
      g_assert_cmpint (minor, ==, 125000050);
      g_assert_true (om_money_parse_locale (with_code, "EUR", &minor, NULL));
      g_assert_cmpint (minor, ==, 125000050);
      g_assert_true (om_money_parse_locale (cases[i].grouped, "EUR", &minor, NULL));
      g_assert_cmpint (minor, ==, 125000050);
      g_assert_true (om_money_parse_locale ("1250000.50", "EUR", &minor, NULL));
      g_assert_cmpint (minor, ==, 125000050);
      g_assert_true (om_money_parse_locale (yen, "JPY", &minor, NULL));
      g_assert_cmpint (minor, ==, 125000000);

      /* refused with the expected form, nothing set */
      minor = -1;
      g_assert_false (om_money_parse_locale (cases[i].wrong, "EUR", &minor, &error));
      g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, cases[i].number));
      g_clear_error (&error);
      g_assert_false (om_money_parse_locale ("12,34,5", "EUR", &minor, NULL));
      g_assert_false (om_money_parse_locale ("1250.505", "EUR", &minor, NULL));
      g_assert_false (om_money_parse_locale ("1250.5", "JPY", &minor, &error));
      g_assert_nonnull (strstr (error->message, "without decimals"));
      g_assert_cmpint (minor, ==, -1);
    }

  /* files and the command line stay as they were */
  g_assert_nonnull (setlocale (LC_MONETARY, "de_DE.UTF-8"));
  {
    g_autofree char *file = om_money_to_string (125000050);
    g_assert_cmpstr (file, ==, "1250000.50");
  }
  setlocale (LC_MONETARY, was);
}

static void
test_money_parse (void)
{
  const struct { const char *text; gint64 minor; } good[] = {
    { "0", 0 }, { "12", 1200 }, { "12.5", 1250 }, { "12.50", 1250 }, { "0.05", 5 },
    { "1250000.00", 125000000 },
  };
  const char *bad[] = {
    "", "1.234", "-1", "1e3", "1.", ".5", " 1", "1 ", "+1", "1,5", "abc", "1.2.3", "0x10",
    "99999999999999999999",
  };
  gint64 minor;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      minor = -1;
      g_assert_true (om_money_parse (good[i].text, &minor));
      g_assert_cmpint (minor, ==, good[i].minor);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      minor = -7;
      if (om_money_parse (bad[i], &minor))
        g_error ("“%s” was accepted as an amount", bad[i]);
      g_assert_cmpint (minor, ==, -7);
    }
  g_assert_false (om_money_parse (NULL, &minor));

  {
    g_autofree char *text = om_money_to_string (125000005);
    g_assert_cmpstr (text, ==, "1250000.05");
    g_assert_true (om_money_parse (text, &minor));
    g_assert_cmpint (minor, ==, 125000005);
  }
}

static void
test_currency (void)
{
  const char *good[] = { "EUR", "USD", "CHF", "XAU" };
  const char *bad[] = { "", "eur", "Eur", "EU", "EURO", "E1R", " EU", "EU ", "\xc3\x89UR" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (om_currency_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (om_currency_is_valid (bad[i]))
      g_error ("“%s” was accepted as a currency", bad[i]);
  g_assert_false (om_currency_is_valid (NULL));
}

/* Messages quote values on one line and at a bounded length (SPEC 6) */
static void
test_text_escape_line (void)
{
  g_autofree char *plain = om_text_escape_line ("Déjà vu");
  g_autofree char *controls = om_text_escape_line ("a\nb\r\tc\x1b[31md\x7f\\");
  g_autofree char *c1 = om_text_escape_line ("x\xc2\x9by\xe2\x80\xa8z");
  g_autofree char *invalid = om_text_escape_line ("ok\xff\xfe!");

  g_assert_cmpstr (plain, ==, "Déjà vu");
  g_assert_cmpstr (controls, ==, "a\\nb\\r\\tc\\x1b[31md\\x7f\\\\");
  g_assert_cmpstr (c1, ==, "x\\x9by\\u2028z");

  /* a right-to-left override would make the rest of a message read backwards */
  {
    g_autofree char *bidi = om_text_escape_line ("a\xe2\x80\xae" "b\xe2\x81\xa6" "c");

    g_assert_cmpstr (bidi, ==, "a\\u202eb\\u2066c");
  }
  g_assert_cmpstr (invalid, ==, "ok\\xff\\xfe!");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
}

/* A run of more than OM_TEXT_LONG_WORD_CHARS characters without white
 * space, counted in characters, not bytes */
static void
test_text_long_word (void)
{
  g_autofree char *limit = g_strnfill (OM_TEXT_LONG_WORD_CHARS, 'x');
  g_autofree char *over = g_strnfill (OM_TEXT_LONG_WORD_CHARS + 1, 'x');
  g_autoptr(GString) spaced = g_string_new (NULL);
  g_autoptr(GString) accents = g_string_new (NULL);
  g_autofree char *tail = g_strconcat ("A few words, then ", over, NULL);

  for (guint i = 0; i < 1000; i++)
    g_string_append (spaced, i % 2 ? "\n" : "word word ");
  for (guint i = 0; i < OM_TEXT_LONG_WORD_CHARS; i++)
    g_string_append (accents, "é");

  g_assert_false (om_text_has_long_word (NULL));
  g_assert_false (om_text_has_long_word (""));
  g_assert_false (om_text_has_long_word (limit));
  g_assert_true (om_text_has_long_word (over));
  g_assert_true (om_text_has_long_word (tail));
  g_assert_false (om_text_has_long_word (spaced->str));
  g_assert_false (om_text_has_long_word (accents->str));
}

static void
test_text_excerpt (void)
{
  g_autofree char *huge = g_strnfill (1000000, 'w');
  g_autofree char *excerpt = om_text_excerpt (huge);
  g_autofree char *exact = g_strnfill (OM_TEXT_EXCERPT_CHARS, 'e');
  g_autofree char *exact_excerpt = om_text_excerpt (exact);
  g_autofree char *multi = NULL;
  GString *accents = g_string_new (NULL);

  g_assert_cmpuint (g_utf8_strlen (excerpt, -1), ==, OM_TEXT_EXCERPT_CHARS + 1);
  g_assert_true (g_str_has_suffix (excerpt, "…"));
  g_assert_cmpstr (exact_excerpt, ==, exact);

  /* counted in characters, never cut inside one */
  for (guint i = 0; i < 100; i++)
    g_string_append (accents, "é");
  multi = om_text_excerpt (accents->str);
  g_assert_true (g_utf8_validate (multi, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (multi, -1), ==, OM_TEXT_EXCERPT_CHARS + 1);
  g_string_free (accents, TRUE);
}

static void
test_describe_long_activity (void)
{
  g_autofree char *word = g_strnfill (100000, 'x');
  g_autoptr(OmStageData) stage = om_stage_data_new (word, "Milestone\nsecond line");
  g_autofree char *name = NULL;

  g_free (stage->activity);
  stage->activity = g_strconcat ("line one\n", word, NULL);
  name = om_stage_data_describe (stage, 0);
  g_assert_null (strchr (name, '\n'));
  g_assert_cmpuint (strlen (name), <, 200);
}

/* Issue 8: one judge of the rules, which says where they broke */

/* Checks that @data is refused with @code, at the place given */
static void
assert_invalid_at (const OmOpportunityData *data,
                   OmModelError             code,
                   guint                    rule,
                   int                      stage,
                   int                      entry,
                   OmField                  field)
{
  g_autoptr(GError) error = NULL;
  OmViolation v = { 99, 99, 99, OM_FIELD_NONE };

  g_assert_false (om_opportunity_data_validate_full (data, &v, &error));
  g_assert_error (error, OM_MODEL_ERROR, (int) code);
  g_test_message ("%s", error->message);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_cmpuint (v.rule, ==, rule);
  g_assert_cmpint (v.stage, ==, stage);
  g_assert_cmpint (v.entry, ==, entry);
  g_assert_cmpint (v.field, ==, field);
}

static void
assert_valid (const OmOpportunityData *data)
{
  g_autoptr(GError) error = NULL;
  OmViolation v;

  g_assert_true (om_opportunity_data_validate_full (data, &v, &error));
  g_assert_no_error (error);
}

static void
decide (OmOpportunityData *data,
        guint              index,
        OmStageStatus      status,
        OmDate             on)
{
  OmStageData *stage = om_opportunity_data_get_writable_stage (data, index);

  stage->status = status;
  stage->decided_on = on;
  if (status == OM_STAGE_STATUS_LOST)
    {
      g_free (stage->lost_reason);
      stage->lost_reason = g_strdup ("Price");
    }
}

static void
add_entry (OmOpportunityData *data,
           guint              stage,
           OmStageStatus      from,
           OmStageStatus      to,
           OmDate             on)
{
  g_ptr_array_add (data->history, om_history_entry_new (stage, from, to, on, NULL));
}

/* R6: replayed from all pending, the history leads to the statuses */
static void
test_history_replay (void)
{
  const OmStageStatus P = OM_STAGE_STATUS_PENDING, W = OM_STAGE_STATUS_WON, L = OM_STAGE_STATUS_LOST;
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 3);
  g_autoptr(OmOpportunityData) good = NULL;

  decide (data, 0, W, om_test_day (1));
  decide (data, 1, L, om_test_day (3));

  /* an empty history: no decision was ever taken */
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, 0, -1, OM_FIELD_HISTORY);

  /* a decided stage without its entry */
  add_entry (data, 0, P, W, om_test_day (1));
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, 1, -1, OM_FIELD_HISTORY);

  /* with a detour through a reopening, and the same day twice */
  add_entry (data, 0, W, P, om_test_day (2));
  add_entry (data, 0, P, W, om_test_day (2));
  add_entry (data, 1, P, L, om_test_day (3));
  assert_valid (data);
  good = om_opportunity_data_copy (data);

  /* a change that never happened: stage 3 is pending */
  add_entry (data, 2, P, W, om_test_day (4));
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, 2, 4, OM_FIELD_ENTRY_TO);
  g_ptr_array_set_size (data->history, 4);

  /* out of date order */
  om_opportunity_data_get_writable_entry (data, 2)->on = om_test_day (0);
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, -1, 2, OM_FIELD_ENTRY_ON);
  om_opportunity_data_get_writable_entry (data, 2)->on = om_test_day (2);

  /* a "from" that is not what the stage was at that point */
  om_opportunity_data_get_writable_entry (data, 1)->from = L;
  om_opportunity_data_get_writable_entry (data, 1)->to = P;
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, -1, 1, OM_FIELD_ENTRY_FROM);
  om_opportunity_data_get_writable_entry (data, 1)->from = W;

  /* won straight to lost never happens, nor the same status again */
  om_opportunity_data_get_writable_entry (data, 1)->to = L;
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, -1, 1, OM_FIELD_ENTRY_TO);
  om_opportunity_data_get_writable_entry (data, 1)->to = W;
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, -1, 1, OM_FIELD_ENTRY_TO);
  om_opportunity_data_get_writable_entry (data, 1)->to = P;
  g_assert_true (om_opportunity_data_equal (data, good, TRUE));

  /* an entry about a stage that is not there, or without a date */
  add_entry (data, 3, P, W, om_test_day (5));
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, -1, 4, OM_FIELD_ENTRY_STAGE);
  om_opportunity_data_get_writable_entry (data, 4)->stage = 2;
  om_opportunity_data_get_writable_entry (data, 4)->on = OM_DATE_MAX + 1;
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_HISTORY, 6, -1, 4, OM_FIELD_ENTRY_ON);
}

/* Every history the app itself writes replays, whatever happened to
 * the plan since: reopenings, moves, removals, undo */
static void
test_history_app_made (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 0);
  g_autoptr(GError) error = NULL;

  om_test_set_today (1);
  win_ok (opp, 0);
  om_test_set_today (2);
  win_ok (opp, 1);
  reopen_ok (opp, "not yet");
  reopen_ok (opp, "not yet either");
  assert_valid (om_opportunity_get_data (opp));

  /* the reopened stage moves, and is decided again in its new place */
  g_assert_true (om_opportunity_move_stage (opp, 0, 3, &error));
  g_assert_no_error (error);
  om_test_set_today (3);
  win_ok (opp, 0);
  lose_ok (opp, 1, "Price");
  assert_valid (om_opportunity_get_data (opp));
  om_test_set_today (4);
  reopen_ok (opp, "they called back");
  assert_valid (om_opportunity_get_data (opp));

  /* the history stays oldest first, whatever the clock says */
  om_test_set_today (3);
  assert_refused (repo, opp, OP_WIN (1), OM_MODEL_ERROR_INVALID_HISTORY, NULL, CAN_SAME);
  om_test_set_today (4);

  /* undoing a decision takes its entry away */
  win_ok (opp, 1);
  g_assert_true (om_repository_undo (repo, &error));
  g_assert_no_error (error);
  assert_valid (om_opportunity_get_data (opp));

  /* a stage that was once decided goes, and its past with it */
  g_assert_true (om_opportunity_remove_stage (opp, 1, &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_remove_stage (opp, 2, &error));
  g_assert_no_error (error);
  assert_valid (om_opportunity_get_data (opp));
  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 2);
  win_ok (opp, 1);
  assert_valid (om_opportunity_get_data (opp));
}

/* R5: decided dates do not go backwards along the chain */
static void
test_valid_decided_in_order (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = NULL;
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 3);
  g_autoptr(OmStageData) edited = NULL;

  decide (data, 0, OM_STAGE_STATUS_WON, om_test_day (5));
  decide (data, 1, OM_STAGE_STATUS_WON, om_test_day (3));
  add_entry (data, 1, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_day (3));
  add_entry (data, 0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_day (5));
  assert_invalid_at (data, OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS, 5, 1, -1, OM_FIELD_DECIDED_ON);
  decide (data, 1, OM_STAGE_STATUS_LOST, om_test_day (4));
  assert_invalid_at (data, OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS, 5, 1, -1, OM_FIELD_DECIDED_ON);

  /* through the operations: a decision, and an edit of its date */
  om_test_set_today (5);
  opp = create_plan (repo, 3, 1);
  edited = stage_copy (opp, 0);
  edited->decided_on = om_test_day (8);
  edit_stage_ok (opp, 0, edited);
  assert_refused (repo, opp, OP_WIN (1), OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS, "Activity 2", CAN_SAME);
  assert_refused (repo, opp, OP_LOSE (1, "Price"), OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS, "Activity 2", CAN_SAME);
  om_test_set_today (8);
  win_ok (opp, 1);
  g_clear_pointer (&edited, om_stage_data_free);
  edited = stage_copy (opp, 1);
  edited->decided_on = om_test_day (7);
  assert_refused (repo, opp, OP_EDIT_STAGE (1, edited), OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS, "Activity 2", CAN_NONE);
  g_clear_pointer (&edited, om_stage_data_free);
  edited = stage_copy (opp, 0);
  edited->decided_on = om_test_day (9);
  assert_refused (repo, opp, OP_EDIT_STAGE (0, edited), OM_MODEL_ERROR_DECIDED_BEFORE_PREVIOUS, "Activity 2", CAN_NONE);
}

/* R5: every date, given or derived, lies in 0001-01-01..9999-12-31 */
static void
test_valid_date_range (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 2);
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(OmStageData) long_stage = om_test_stage_new (3);
  g_autoptr(OmStageData) edited_stage = NULL;
  OmOpportunity *opp;
  OmDate d = 0;

  g_assert_true (om_date_parse ("9999-12-31", &d));
  g_assert_cmpuint (d, ==, OM_DATE_MAX);
  g_assert_true (om_date_parse ("0001-01-01", &d));
  g_assert_cmpuint (d, ==, OM_DATE_MIN);
  g_assert_true (om_date_is_valid (OM_DATE_MAX));
  g_assert_false (om_date_is_valid (OM_DATE_MAX + 1));
  g_assert_false (om_date_is_valid (0));
  /* arithmetic past the end stays past the end, never wraps around */
  g_assert_cmpuint (om_date_add_days (G_MAXUINT32 - 3, 36500), >, OM_DATE_MAX);

  /* the durations carry the last due date past 9999-12-31 */
  data->start_date = om_test_date ("9999-12-01");
  om_opportunity_data_get_writable_stage (data, 1)->duration_days = 36500;
  assert_invalid_at (data, OM_MODEL_ERROR_DATE_OUT_OF_RANGE, 5, 1, -1, OM_FIELD_DURATION);
  data->start_date = OM_DATE_MAX + 1;
  assert_invalid_at (data, OM_MODEL_ERROR_DATE_OUT_OF_RANGE, 5, -1, -1, OM_FIELD_START_DATE);
  om_opportunity_data_get_writable_stage (data, 1)->duration_days = 7;
  data->start_date = om_test_date ("9999-12-01");
  assert_valid (data);
  decide (data, 0, OM_STAGE_STATUS_WON, OM_DATE_MAX + 1);
  add_entry (data, 0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_date ("9999-12-02"));
  assert_invalid_at (data, OM_MODEL_ERROR_DATE_OUT_OF_RANGE, 5, 0, -1, OM_FIELD_DECIDED_ON);

  /* every operation that moves the dates is refused past the end */
  om_test_set_today (0);
  data = (om_opportunity_data_free (data), om_test_plan_new ("Deal", 2));
  data->start_date = om_test_date ("9999-12-01");
  opp = om_test_create (repo, data);
  long_stage->duration_days = 36500;
  assert_refused (repo, opp, OP_ADD (2, long_stage), OM_MODEL_ERROR_DATE_OUT_OF_RANGE, "Activity 3", CAN_ACCEPTS);
  edited_stage = stage_copy (opp, 0);
  edited_stage->duration_days = 30;
  assert_refused (repo, opp, OP_EDIT_STAGE (0, edited_stage), OM_MODEL_ERROR_DATE_OUT_OF_RANGE, "Activity 2",
                  CAN_NONE);
  edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  edited->start_date = om_test_date ("9999-12-25");
  assert_refused (repo, opp, OP_EDIT (edited), OM_MODEL_ERROR_DATE_OUT_OF_RANGE, "Activity 1", CAN_NONE);

  /* winning late moves the pending stages after it: past the end too */
  om_date_set_today (om_test_date ("9999-12-30"));
  assert_refused (repo, opp, OP_WIN (0), OM_MODEL_ERROR_DATE_OUT_OF_RANGE, "Activity 2", CAN_SAME);
  om_date_set_today (om_test_date ("9999-12-20"));
  win_ok (opp, 0);
  g_assert_cmpuint (om_opportunity_data_get_due_date (om_opportunity_get_data (opp), 1), ==, om_test_date ("9999-12-27"));
}

/* R5: only a lost stage has a lost reason, whoever made the plan */
static void
test_valid_lost_reason_when_not_lost (void)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 2);
  OmStageData *stage = om_opportunity_data_get_writable_stage (data, 1);

  g_free (stage->lost_reason);
  stage->lost_reason = g_strdup ("Price");
  assert_invalid_at (data, OM_MODEL_ERROR_UNEXPECTED_LOST_REASON, 5, 1, -1, OM_FIELD_LOST_REASON);
  g_free (stage->lost_reason);
  stage->lost_reason = g_strdup (" ");
  assert_valid (data);
}

/* Which stage, which field, which rule */
static void
test_validate_where (void)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 3);
  OmStageData *third = om_opportunity_data_get_writable_stage (data, 2);

  g_free (data->currency);
  data->currency = g_strdup ("eur");
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_CURRENCY, 5, -1, -1, OM_FIELD_CURRENCY);
  g_free (data->currency);
  data->currency = g_strdup ("EUR");
  data->value = -1;
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_VALUE, 5, -1, -1, OM_FIELD_VALUE);
  data->value = 0;
  g_free (data->client);
  data->client = g_strdup (" ");
  assert_invalid_at (data, OM_MODEL_ERROR_EMPTY_CLIENT, 5, -1, -1, OM_FIELD_CLIENT);
  g_free (data->client);
  data->client = g_strdup ("ACME");

  g_free (third->milestone);
  third->milestone = g_strdup ("");
  assert_invalid_at (data, OM_MODEL_ERROR_EMPTY_MILESTONE, 5, 2, -1, OM_FIELD_MILESTONE);
  g_free (third->milestone);
  third->milestone = g_strdup ("M");
  third->probability = 2;
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_PROBABILITY, 5, 2, -1, OM_FIELD_PROBABILITY);
  third->probability = 1;

  /* R2: won after a pending stage */
  decide (data, 2, OM_STAGE_STATUS_WON, om_test_day (1));
  assert_invalid_at (data, OM_MODEL_ERROR_OUT_OF_ORDER, 2, 2, -1, OM_FIELD_STATUS);
  decide (data, 2, OM_STAGE_STATUS_PENDING, 0);
  decide (data, 0, OM_STAGE_STATUS_WON, 0);
  assert_invalid_at (data, OM_MODEL_ERROR_INVALID_DATE, 5, 0, -1, OM_FIELD_DECIDED_ON);
}

/* Messages quote at most 80 characters of a value, on one line */
static void
test_messages_quote_safely (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(GString) hostile = g_string_new ("E\nU\x1b[31mR");
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 1);
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;
  const char *messages[3] = { NULL };
  g_autoptr(GError) closed = NULL;
  g_autoptr(GError) nothing = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (hostile, 'x');

  g_free (data->currency);
  data->currency = g_strdup (hostile->str);
  g_assert_false (om_opportunity_data_validate (data, &error));
  messages[0] = error->message;

  g_free (data->currency);
  data->currency = g_strdup ("EUR");
  g_free (data->title);
  data->title = g_strdup (hostile->str);
  opp = om_test_create (repo, data);
  g_assert_false (om_opportunity_reopen (opp, NULL, &nothing));
  messages[1] = nothing->message;
  win_ok (opp, 0);
  g_assert_false (om_opportunity_add_stage (opp, 1, om_opportunity_data_get_stage (data, 0), &closed));
  messages[2] = closed->message;

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_test_message ("%s", messages[i]);
      g_assert_null (strchr (messages[i], '\n'));
      g_assert_null (strchr (messages[i], '\x1b'));
      g_assert_nonnull (strstr (messages[i], "E\\nU\\x1b[31mR"));
      g_assert_cmpuint (g_utf8_strlen (messages[i], -1), <, 300);
    }
}

/* What an earlier version let into a file: repaired with the least
 * change; a plan within the rules, or one broken otherwise, untouched */
static void
test_repair (void)
{
  g_autoptr(OmOpportunityData) healthy = om_test_plan_new ("Deal", 3);
  g_autoptr(OmOpportunityData) copy = NULL;
  g_autoptr(OmOpportunityData) broken = om_test_plan_new ("Deal", 3);
  g_autoptr(OmOpportunityData) out_of_order = om_test_plan_new ("Deal", 3);
  OmStageData *s0, *s1;

  g_assert_true (om_opportunity_data_win_stage (healthy, 0, om_test_day (3), "met", NULL));
  g_assert_true (om_opportunity_data_reopen (healthy, om_test_day (4), "too soon", NULL));
  g_assert_true (om_opportunity_data_win_stage (healthy, 0, om_test_day (5), "met again", NULL));
  copy = om_opportunity_data_copy (healthy);
  g_assert_false (om_opportunity_data_repair (copy, "Repaired"));
  g_assert_true (om_opportunity_data_equal (copy, healthy, TRUE));

  /* a second decision dated before the first, its entry too; a stale
   * lost reason: dates raised, reason cleared, notes kept */
  g_assert_true (om_opportunity_data_win_stage (broken, 0, om_test_day (10), "first", NULL));
  g_assert_true (om_opportunity_data_win_stage (broken, 1, om_test_day (12), "second", NULL));
  s0 = om_opportunity_data_get_writable_stage (broken, 0);
  s1 = om_opportunity_data_get_writable_stage (broken, 1);
  s1->decided_on = om_test_day (8);
  om_opportunity_data_get_writable_entry (broken, 1)->on = om_test_day (8);
  g_free (s0->lost_reason);
  s0->lost_reason = g_strdup ("stale");
  g_assert_false (om_opportunity_data_validate (broken, NULL));
  g_assert_true (om_opportunity_data_repair (broken, "Repaired"));
  g_assert_true (om_opportunity_data_validate (broken, NULL));
  g_assert_cmpuint (s1->decided_on, ==, om_test_day (10));
  g_assert_cmpstr (s0->lost_reason, ==, "");
  g_assert_cmpuint (broken->history->len, ==, 2);
  g_assert_cmpuint (((OmHistoryEntry *) g_ptr_array_index (broken->history, 1))->on, ==, om_test_day (10));
  g_assert_cmpstr (((OmHistoryEntry *) g_ptr_array_index (broken->history, 1))->note, ==, "second");

  /* no history at all: rebuilt from the decisions, with the note */
  g_ptr_array_set_size (broken->history, 0);
  g_assert_true (om_opportunity_data_repair (broken, "Repaired"));
  g_assert_true (om_opportunity_data_validate (broken, NULL));
  g_assert_cmpuint (broken->history->len, ==, 2);
  g_assert_cmpstr (((OmHistoryEntry *) g_ptr_array_index (broken->history, 0))->note, ==, "Repaired");
  g_assert_cmpuint (((OmHistoryEntry *) g_ptr_array_index (broken->history, 1))->on, ==, om_test_day (10));

  /* a won stage after a pending one is not the earlier version's doing:
   * still refused */
  s1 = om_opportunity_data_get_writable_stage (out_of_order, 1);
  s1->status = OM_STAGE_STATUS_WON;
  s1->decided_on = om_test_day (2);
  om_opportunity_data_repair (out_of_order, "Repaired");
  g_assert_false (om_opportunity_data_validate (out_of_order, NULL));
}

/* The schedule (SPEC 2, R5, R6) */

/* The due dates as day offsets from the start: "7 14 30 37" */
static char *
dues_of (OmOpportunity *opp)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < om_opportunity_get_n_stages (opp); i++)
    {
      OmStage *stage = om_opportunity_get_stage (opp, i);
      g_string_append_printf (out, "%s%d%s", i > 0 ? " " : "",
                              (int) om_stage_get_due_date (stage) - (int) om_test_day (0),
                              om_stage_get_agreed_on (stage) != 0 ? "*" : "");
    }
  return g_string_free (out, FALSE);
}

#define assert_dues(opp, expected) \
  G_STMT_START { \
    g_autofree char *_got = dues_of (opp); \
    g_assert_cmpstr (_got, ==, (expected)); \
  } G_STMT_END

/* The schedule history as "what:stage:from>to@on" with day offsets, "-" for none */
static char *
schedule_of (OmOpportunity *opp)
{
  const OmOpportunityData *data = om_opportunity_get_data (opp);
  GString *out = g_string_new (NULL);

  for (guint k = 0; k < data->schedule->len; k++)
    {
      const OmScheduleEntry *e = g_ptr_array_index (data->schedule, k);
      g_autofree char *from = e->from ? g_strdup_printf ("%d", (int) e->from - (int) om_test_day (0)) : g_strdup ("-");
      g_autofree char *to = e->to ? g_strdup_printf ("%d", (int) e->to - (int) om_test_day (0)) : g_strdup ("-");

      g_string_append_printf (out, "%s%s:%d:%s>%s@%d", k > 0 ? " " : "", om_schedule_what_to_string (e->what),
                              e->stage, from, to, (int) e->on - (int) om_test_day (0));
    }
  return g_string_free (out, FALSE);
}

#define assert_schedule(opp, expected) \
  G_STMT_START { \
    g_autofree char *_got = schedule_of (opp); \
    g_assert_cmpstr (_got, ==, (expected)); \
  } G_STMT_END

static void
decide_ok (OmOpportunity *opp,
           guint          index,
           OmStageStatus  status,
           int            day)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_decide_stage (opp, index, status, om_test_day (day),
                                              status == OM_STAGE_STATUS_LOST ? "Too dear" : NULL, &error));
  g_assert_no_error (error);
}

/* An agreed date pins its stage; the stages after it that are not
 * pinned follow; winning early or late moves them, never a pinned one */
static void
test_schedule_pinned (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 4);
  OmOpportunity *opp = om_test_create (repo, plan);

  om_test_set_today (1);
  assert_dues (opp, "7 14 21 28");
  agree_ok (opp, 2, om_test_day (30));
  assert_dues (opp, "7 14 30* 37");
  g_assert_cmpuint (om_opportunity_get_close_date (opp), ==, om_test_day (37));

  /* won early: stage 2 follows, the agreed one stays */
  decide_ok (opp, 0, OM_STAGE_STATUS_WON, 3);
  assert_dues (opp, "3 10 30* 37");
  /* won late: the same */
  decide_ok (opp, 1, OM_STAGE_STATUS_WON, 20);
  assert_dues (opp, "3 20 30* 37");

  /* decided: due on the day it was decided, and no longer agreed */
  decide_ok (opp, 2, OM_STAGE_STATUS_WON, 33);
  assert_dues (opp, "3 20 33 40");
  g_assert_cmpuint (om_opportunity_get_data (opp)->stages->len, ==, 4);
  g_assert_cmpuint (om_opportunity_data_get_stage (om_opportunity_get_data (opp), 2)->agreed_on, ==, 0);

  /* unpinned: it follows again */
  agree_ok (opp, 3, om_test_day (50));
  assert_dues (opp, "3 20 33 50*");
  agree_ok (opp, 3, 0);
  assert_dues (opp, "3 20 33 40");
}

/* A pinned stage after an overdue one is due on its own date */
static void
test_schedule_pinned_after_overdue (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 3);
  OmOpportunity *opp;

  om_opportunity_data_get_writable_stage (plan, 0)->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  opp = om_test_create (repo, plan);
  agree_ok (opp, 1, om_test_day (40));
  om_test_set_today (30);
  /* stage 1 (due 7) is late; stage 2 is agreed for day 40 and is not;
   * stage 3 follows the agreed one */
  assert_dues (opp, "7 40* 47");
  assert_health (opp, "overdue@0");
  g_assert_true (om_stage_get_overdue (om_opportunity_get_stage (opp, 0)));
  g_assert_false (om_stage_get_overdue (om_opportunity_get_stage (opp, 1)));
  g_assert_false (om_stage_get_overdue (om_opportunity_get_stage (opp, 2)));
  {
    g_autofree char *message = message_of (opp, "overdue");
    g_assert_null (strstr (message, "later stage"));
  }
}

/* R5 and R4: what Reschedule refuses */
static void
test_schedule_refused (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) deal = om_test_plan_new ("Deal", 3);
  OmOpportunity *opp = om_test_create (repo, deal);

  decide_ok (opp, 0, OM_STAGE_STATUS_WON, 2);
  assert_refused (repo, opp, OP_AGREE (0, om_test_day (9)), OM_MODEL_ERROR_AGREED_NOT_PENDING, "Activity 1", CAN_SAME);
  assert_refused (repo, opp, OP_AGREE (1, om_test_day (-1)), OM_MODEL_ERROR_AGREED_BEFORE_START, "Activity 2",
                  CAN_ACCEPTS);
  assert_refused (repo, opp, OP_AGREE (1, OM_DATE_MAX + 1), OM_MODEL_ERROR_DATE_OUT_OF_RANGE, "Activity 2",
                  CAN_ACCEPTS);
  assert_refused (repo, opp, OP_AGREE (7, om_test_day (9)), OM_MODEL_ERROR_INVALID_INDEX, NULL, CAN_SAME);
  decide_ok (opp, 1, OM_STAGE_STATUS_LOST, 3);
  assert_refused (repo, opp, OP_AGREE (2, om_test_day (9)), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
  assert_refused (repo, opp, OP_BASELINE (), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);

  /* and the judge of a whole plan: an agreed date on a decided stage */
  {
    g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 2);
    g_autoptr(GError) error = NULL;
    OmViolation v;
    OmStageData *stage = om_opportunity_data_get_writable_stage (plan, 0);

    stage->status = OM_STAGE_STATUS_WON;
    stage->decided_on = om_test_day (3);
    stage->agreed_on = om_test_day (4);
    g_ptr_array_add (plan->history, om_history_entry_new (0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON,
                                                          om_test_day (3), ""));
    g_assert_false (om_opportunity_data_validate_full (plan, &v, &error));
    g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_AGREED_NOT_PENDING);
    g_assert_cmpint (v.stage, ==, 0);
    g_assert_cmpint (v.field, ==, OM_FIELD_AGREED_DATE);
    g_clear_error (&error);

    stage->agreed_on = 0;
    om_opportunity_data_get_writable_stage (plan, 1)->agreed_on = om_test_day (-3);
    g_assert_false (om_opportunity_data_validate_full (plan, &v, &error));
    g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_AGREED_BEFORE_START);
    g_assert_cmpint (v.stage, ==, 1);
    g_clear_error (&error);

    om_opportunity_data_get_writable_stage (plan, 1)->agreed_on = om_test_day (30);
    plan->target_date = OM_DATE_MAX + 5;
    g_assert_false (om_opportunity_data_validate_full (plan, &v, &error));
    g_assert_cmpint (v.field, ==, OM_FIELD_TARGET_DATE);
    g_clear_error (&error);
    plan->target_date = 0;

    /* R6: the schedule history oldest first, about stages that exist */
    g_ptr_array_add (plan->schedule, om_schedule_entry_new (OM_SCHEDULE_AGREED_DATE, 1, 0, om_test_day (30),
                                                            om_test_day (5), ""));
    g_ptr_array_add (plan->schedule, om_schedule_entry_new (OM_SCHEDULE_CLOSE_DATE, -1, om_test_day (14),
                                                            om_test_day (30), om_test_day (4), ""));
    g_assert_false (om_opportunity_data_validate_full (plan, &v, &error));
    g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_HISTORY);
    g_assert_cmpint (v.entry, ==, 1);
    g_assert_cmpint (v.field, ==, OM_FIELD_SCHEDULE_ON);
    g_clear_error (&error);
    ((OmScheduleEntry *) g_ptr_array_index (plan->schedule, 1))->on = om_test_day (5);
    ((OmScheduleEntry *) g_ptr_array_index (plan->schedule, 0))->stage = 2;
    g_assert_false (om_opportunity_data_validate_full (plan, &v, &error));
    g_assert_cmpint (v.entry, ==, 0);
    g_assert_cmpint (v.field, ==, OM_FIELD_SCHEDULE_STAGE);
    g_clear_error (&error);
    ((OmScheduleEntry *) g_ptr_array_index (plan->schedule, 0))->stage = 1;
    g_assert_true (om_opportunity_data_validate_full (plan, &v, &error));
    g_assert_no_error (error);
  }
}

/* R6: each schedule change recorded once; undo and redo restore it */
static void
test_schedule_history (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 3);
  OmOpportunity *opp = om_test_create (repo, plan);
  g_autoptr(GError) error = NULL;

  om_test_set_today (2);
  assert_schedule (opp, "");
  /* an agreed date that moves the close date: both recorded */
  g_assert_true (om_opportunity_agree_date (opp, 1, om_test_day (20), "Client call", &error));
  g_assert_no_error (error);
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2");
  /* with the note the person gave */
  g_assert_cmpstr (((OmScheduleEntry *) g_ptr_array_index (om_opportunity_get_data (opp)->schedule, 0))->note, ==,
                   "Client call");
  g_assert_cmpstr (((OmScheduleEntry *) g_ptr_array_index (om_opportunity_get_data (opp)->schedule, 1))->note, ==,
                   "Client call");
  /* the same date again changes nothing */
  agree_ok (opp, 1, om_test_day (20));
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2");
  /* an edit of a duration that moves the close date */
  {
    g_autoptr(OmStageData) edited = om_stage_data_copy (om_opportunity_data_get_stage (om_opportunity_get_data (opp), 2));
    edited->duration_days = 10;
    g_assert_true (om_opportunity_edit_stage (opp, 2, edited, &error));
    g_assert_no_error (error);
  }
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2 close-date:-1:27>30@2");
  g_assert_cmpuint (om_opportunity_get_pushes (opp), ==, 2);
  /* an edit that does not move it is not recorded */
  set_owner (opp, 2, "Bob");
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2 close-date:-1:27>30@2");

  /* the baseline */
  om_test_set_today (3);
  g_assert_true (om_opportunity_set_baseline (opp, "Agreed with the board", &error));
  g_assert_no_error (error);
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2 close-date:-1:27>30@2 baseline:-1:->30@3");
  g_assert_cmpuint (om_opportunity_get_baseline_close_date (opp), ==, om_test_day (30));
  g_assert_cmpuint (om_stage_get_baseline_due (om_opportunity_get_stage (opp, 1)), ==, om_test_day (20));
  /* unpinned: recorded as cleared, and the close date moves back */
  agree_ok (opp, 1, 0);
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2 close-date:-1:27>30@2 baseline:-1:->30@3 "
                        "agreed-date:1:20>-@3 close-date:-1:30>24@3");
  g_assert_cmpint (om_stage_get_slip (om_opportunity_get_stage (opp, 2)), ==, -6);
  g_assert_cmpuint (om_opportunity_get_pushes (opp), ==, 2);

  /* undo and redo restore the history with the plan */
  g_assert_true (om_repository_undo (repo, &error));
  g_assert_no_error (error);
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2 close-date:-1:27>30@2 baseline:-1:->30@3");
  assert_dues (opp, "7 20* 30");
  g_assert_true (om_repository_undo (repo, &error));
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2 close-date:-1:27>30@2");
  g_assert_cmpuint (om_stage_get_baseline_due (om_opportunity_get_stage (opp, 1)), ==, 0);
  g_assert_true (om_repository_redo (repo, &error));
  g_assert_true (om_repository_redo (repo, &error));
  g_assert_no_error (error);
  assert_schedule (opp, "agreed-date:1:->20@2 close-date:-1:21>27@2 close-date:-1:27>30@2 baseline:-1:->30@3 "
                        "agreed-date:1:20>-@3 close-date:-1:30>24@3");

  /* the stage an entry names follows it when stages move, and its
   * entries go with it when it is removed */
  g_assert_true (om_opportunity_move_stage (opp, 1, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (((OmScheduleEntry *) g_ptr_array_index (om_opportunity_get_data (opp)->schedule, 0))->stage, ==, 2);
  g_assert_true (om_opportunity_remove_stage (opp, 2, &error));
  g_assert_no_error (error);
  {
    const OmOpportunityData *data = om_opportunity_get_data (opp);
    for (guint k = 0; k < data->schedule->len; k++)
      g_assert_cmpint (((OmScheduleEntry *) g_ptr_array_index (data->schedule, k))->what, !=, OM_SCHEDULE_AGREED_DATE);
  }
}

/* The baseline is taken when the client agrees to the process, once */
static void
test_schedule_baseline_on_agreement (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Deal", 3);
  OmOpportunity *opp;
  g_autoptr(GError) error = NULL;

  om_opportunity_data_get_writable_stage (plan, 1)->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  opp = om_test_create (repo, plan);
  decide_ok (opp, 0, OM_STAGE_STATUS_WON, 7);
  g_assert_cmpuint (om_opportunity_get_baseline_close_date (opp), ==, 0);
  decide_ok (opp, 1, OM_STAGE_STATUS_WON, 12);
  /* the plan as it stands after the agreement: 7, 12, 19 */
  g_assert_cmpuint (om_opportunity_get_baseline_close_date (opp), ==, om_test_day (19));
  g_assert_cmpuint (om_stage_get_baseline_due (om_opportunity_get_stage (opp, 1)), ==, om_test_day (12));
  /* (the close date's move recorded after it, and never dated before it) */
  assert_schedule (opp, "baseline:-1:->19@12 close-date:-1:21>19@12");

  /* reopened and won again: the baseline stays the first one */
  om_test_set_today (13);
  g_assert_true (om_opportunity_reopen (opp, "wrong", &error));
  g_assert_no_error (error);
  decide_ok (opp, 1, OM_STAGE_STATUS_WON, 15);
  g_assert_cmpuint (om_opportunity_get_baseline_close_date (opp), ==, om_test_day (19));
  g_assert_cmpint (om_stage_get_slip (om_opportunity_get_stage (opp, 2)), ==, 3);
}

/* SPEC 4: each schedule warning appears, and goes when the cause does */
static void
test_schedule_health (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_agreed_plan (repo, 4);
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(GError) error = NULL;

  om_test_set_today (1);
  assert_health (opp, "");

  /* pinned-conflict: agreed before the stage before it is due (allowed;
   * the close date moves from 21 to 17, and back: one push) */
  agree_ok (opp, 2, om_test_day (10));
  assert_health (opp, "pinned-conflict@2");
  g_assert_true (om_stage_get_conflict (om_opportunity_get_stage (opp, 2)));
  agree_ok (opp, 2, om_test_day (14));
  assert_health (opp, "");
  g_assert_false (om_stage_get_conflict (om_opportunity_get_stage (opp, 2)));

  /* past-target: the close date (21) after the client's deadline */
  edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  edited->target_date = om_test_day (20);
  g_assert_true (om_opportunity_edit (opp, edited, &error));
  g_assert_no_error (error);
  assert_health (opp, "past-target");
  g_assert_cmpuint (om_opportunity_get_target_date (opp), ==, om_test_day (20));
  edited->target_date = om_test_day (21);
  g_assert_true (om_opportunity_edit (opp, edited, &error));
  assert_health (opp, "");

  /* next-not-agreed: the process is agreed, the next one has no date */
  decide_ok (opp, 0, OM_STAGE_STATUS_WON, 7);
  assert_health (opp, "next-not-agreed@1");
  agree_ok (opp, 1, om_test_day (14));
  assert_health (opp, "");

  /* slipped: more than 14 days past the baseline (taken on winning
   * the agreement: close date 21) */
  g_assert_cmpuint (om_opportunity_get_baseline_close_date (opp), ==, om_test_day (21));
  g_assert_cmpuint (om_opportunity_get_pushes (opp), ==, 1);
  agree_ok (opp, 3, om_test_day (35));
  g_assert_cmpuint (om_opportunity_get_pushes (opp), ==, 2);
  assert_health (opp, "past-target");
  /* pushed: the close date moved later three times (17 > 21 > 35 > 36) */
  agree_ok (opp, 3, om_test_day (36));
  g_assert_cmpuint (om_opportunity_get_pushes (opp), ==, 3);
  assert_health (opp, "past-target pushed slipped");
  {
    g_autofree char *message = message_of (opp, "slipped");
    g_assert_nonnull (strstr (message, "15 days"));
  }
  /* pulled in: no longer slipped or past the target, still pushed */
  agree_ok (opp, 3, om_test_day (21));
  assert_health (opp, "pushed");

  /* a won opportunity has nothing left to warn about */
  decide_ok (opp, 1, OM_STAGE_STATUS_WON, 14);
  decide_ok (opp, 2, OM_STAGE_STATUS_WON, 14);
  decide_ok (opp, 3, OM_STAGE_STATUS_WON, 14);
  assert_health (opp, "");
}

/* Simplifying with a Feasibility Study (issue 15) */

static const OmStageData *
stage_of (OmOpportunity *opp,
          guint          index)
{
  return om_opportunity_data_get_stage (om_opportunity_get_data (opp), index);
}

static guint
n_pending (OmOpportunity *opp)
{
  return om_opportunity_get_n_stages (opp) - om_opportunity_get_n_won (opp);
}

static void
fold_ok (OmOpportunity *opp,
         guint          first,
         guint          last)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_fold_feasibility (opp, first, last, &error));
  g_assert_no_error (error);
}

/* Ten stages of 7 days, 90 % likely, owned by Ann; the second is the
 * process agreement and the first is won: nine pending, too complex */
static OmOpportunity *
create_complex_plan (OmRepository *repo)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 10);
  OmOpportunity *opp;

  ((OmStageData *) g_ptr_array_index (data->stages, 1))->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  for (guint i = 0; i < data->stages->len; i++)
    ((OmStageData *) g_ptr_array_index (data->stages, i))->duration_days = i + 1;
  opp = om_test_create (repo, data);
  win_ok (opp, 0);
  return opp;
}

static void
test_fold_stages (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_complex_plan (repo);
  g_autoptr(OmOpportunityData) before = NULL;
  g_autoptr(OmOpportunityData) after = NULL;
  g_autoptr(GError) error = NULL;
  OmDerivedValues preview;
  const OmStageData *proposal, *study;
  const OmScheduleEntry *entry;
  double chain_before, chain_after;
  guint first = 0, last = 0;

  {
    g_autoptr(OmStageData) edited = stage_copy (opp, 4);
    g_free (edited->notes);
    edited->notes = g_strdup ("They want a demo");
    edit_stage_ok (opp, 4, edited);
  }
  g_assert_cmpuint (n_pending (opp), ==, 9);
  assert_health (opp, "too-complex");
  chain_before = om_opportunity_get_chain_probability (opp);
  g_assert_cmpfloat_with_epsilon (chain_before, pow (0.9, 9), 1e-9);

  /* the warning proposes what follows the process agreement, up to the
   * last stage before the proposal and the contract (the last two) */
  g_assert_true (om_opportunity_data_propose_fold (om_opportunity_get_data (opp), &first, &last));
  g_assert_cmpuint (first, ==, 2);
  g_assert_cmpuint (last, ==, 7);

  /* the dry run says what the plan will be like */
  g_assert_true (om_opportunity_can_fold_feasibility (opp, first, last, &preview, &error));
  g_assert_no_error (error);

  before = om_opportunity_data_copy (om_opportunity_get_data (opp));
  fold_ok (opp, first, last);

  g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, 6);
  g_assert_cmpuint (n_pending (opp), ==, 5);
  g_assert_cmpstr (activity_of (opp, 0), ==, "Activity 1");
  g_assert_cmpstr (activity_of (opp, 1), ==, "Activity 2");
  g_assert_cmpstr (activity_of (opp, 4), ==, "Activity 9");
  g_assert_cmpstr (activity_of (opp, 5), ==, "Activity 10");

  proposal = stage_of (opp, 2);
  g_assert_cmpstr (proposal->activity, ==, "Feasibility Study proposal");
  g_assert_cmpstr (proposal->milestone, ==, "Client commissions the Feasibility Study");
  g_assert_cmpint (proposal->kind, ==, OM_STAGE_KIND_FEASIBILITY_STUDY);
  g_assert_cmpuint (proposal->duration_days, ==, 14);
  g_assert_cmpfloat (proposal->probability, ==, 0.6);
  g_assert_cmpstr (proposal->owner, ==, "Ann");
  g_assert_cmpint (proposal->status, ==, OM_STAGE_STATUS_PENDING);

  study = stage_of (opp, 3);
  g_assert_cmpstr (study->activity, ==, "Feasibility Study");
  g_assert_cmpstr (study->milestone, ==, "Client accepts the study's recommendation");
  g_assert_cmpint (study->kind, ==, OM_STAGE_KIND_FEASIBILITY_STUDY);
  /* the work of stages 3 to 8 is still to be done: 3 + 4 + ... + 8 days */
  g_assert_cmpuint (study->duration_days, ==, 33);
  g_assert_cmpfloat (study->probability, ==, 0.7);
  g_assert_cmpstr (study->owner, ==, "Ann");
  /* its scope, for the client: each folded activity and milestone */
  for (guint i = 3; i <= 8; i++)
    {
      g_autofree char *line = g_strdup_printf ("• Activity %u: Milestone %u", i, i);
      g_assert_nonnull (strstr (study->client_description, line));
    }
  g_assert_null (strstr (study->client_description, "Activity 2:"));
  g_assert_null (strstr (study->client_description, "Activity 9"));
  g_assert_cmpstr (study->notes, ==, "Activity 5: They want a demo");

  /* fewer, other decisions: here the chain is weaker (0.9³ × 0.6 × 0.7
   * against 0.9⁹), as the dry run said */
  chain_after = om_opportunity_get_chain_probability (opp);
  g_assert_cmpfloat_with_epsilon (chain_after, pow (0.9, 3) * 0.6 * 0.7, 1e-9);
  g_assert_cmpfloat (preview.chain_probability, ==, chain_after);
  g_assert_cmpuint (om_opportunity_get_n_stages (opp) - preview.n_won, ==, 5);
  g_assert_cmpint (preview.current, ==, 1);
  assert_health (opp, "");

  /* the history says what was folded; the close date moved (stage 1 won
   * on the start date): 2 + ... + 10 days before, 2 + 14 + 33 + 9 + 10
   * after */
  assert_schedule (opp, "close-date:-1:55>54@0 fold:-1:54>68@0 close-date:-1:54>68@0");
  entry = g_ptr_array_index (om_opportunity_get_data (opp)->schedule, 1);
  g_assert_nonnull (strstr (entry->note, "Stage 3 “Activity 3”"));
  g_assert_nonnull (strstr (entry->note, "Stage 8 “Activity 8”"));
  g_assert_null (strstr (entry->note, "Activity 9"));
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Simplify with a Feasibility Study");

  /* one edit: undone and redone exactly */
  after = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_assert_true (om_repository_undo (repo, &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));
  g_assert_cmpfloat (om_opportunity_get_chain_probability (opp), ==, chain_before);
  g_assert_true (om_repository_redo (repo, &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_data_equal (after, om_opportunity_get_data (opp), TRUE));
}

/* Owners carry over only when the folded stages agree on one */
static void
test_fold_owners (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 8, 0);

  /* one without an owner does not disagree */
  set_owner (opp, 1, "");
  set_owner (opp, 5, "Bob");
  {
    g_autoptr(OmStageData) edited = stage_copy (opp, 2);
    g_free (edited->client_owner);
    edited->client_owner = g_strdup ("Carla");
    edit_stage_ok (opp, 2, edited);
  }
  fold_ok (opp, 0, 2);
  g_assert_cmpstr (stage_of (opp, 0)->owner, ==, "Ann");
  g_assert_cmpstr (stage_of (opp, 1)->owner, ==, "Ann");
  g_assert_cmpstr (stage_of (opp, 0)->client_owner, ==, "Carla");
  g_assert_cmpstr (stage_of (opp, 1)->client_owner, ==, "Carla");

  /* now the study (Ann) and Bob's stage 6 (at 5 after the fold) disagree */
  g_assert_cmpstr (activity_of (opp, 4), ==, "Activity 6");
  fold_ok (opp, 1, 4);
  g_assert_cmpstr (stage_of (opp, 1)->owner, ==, "");
  g_assert_cmpstr (stage_of (opp, 2)->owner, ==, "");
  assert_health (opp, "no-process-agreement no-owner@1");
}

/* The history follows the stages: the folded stages' past goes with
 * them, the later stages' entries move up */
static void
test_fold_history (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 8, 2);
  g_autoptr(GError) error = NULL;
  const OmOpportunityData *data;

  reopen_ok (opp, "Not so fast");
  g_assert_true (om_opportunity_agree_date (opp, 6, om_test_day (60), NULL, &error));
  g_assert_no_error (error);
  /* stage 2 was reopened: it is pending, and has a past */
  fold_ok (opp, 1, 3);
  data = om_opportunity_get_data (opp);
  g_assert_cmpuint (data->history->len, ==, 1);
  g_assert_cmpuint (((OmHistoryEntry *) g_ptr_array_index (data->history, 0))->stage, ==, 0);
  for (guint k = 0; k < data->schedule->len; k++)
    {
      const OmScheduleEntry *e = g_ptr_array_index (data->schedule, k);
      g_assert_cmpint (e->stage, ==, e->what == OM_SCHEDULE_AGREED_DATE ? 5 : -1);
    }
  g_assert_cmpuint (stage_of (opp, 5)->agreed_on, ==, om_test_day (60));
  g_assert_true (om_opportunity_data_validate (data, NULL));
}

/* Every selection the rules forbid is refused, with the reason, and
 * the dry run says the same */
static void
test_fold_refused (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 6, 2);

  /* a single stage */
  assert_refused (repo, opp, OP_FOLD (3, 3), OM_MODEL_ERROR_INVALID_RUN, "Activity 4", CAN_SAME);
  /* backwards */
  assert_refused (repo, opp, OP_FOLD (4, 2), OM_MODEL_ERROR_INVALID_RUN, "Activity 3", CAN_SAME);
  /* a won stage in it (R3) */
  assert_refused (repo, opp, OP_FOLD (1, 3), OM_MODEL_ERROR_FROZEN, "Activity 2", CAN_SAME);
  assert_refused (repo, opp, OP_FOLD (0, 5), OM_MODEL_ERROR_FROZEN, "Activity 1", CAN_SAME);
  /* no such stage */
  assert_refused (repo, opp, OP_FOLD (4, 6), OM_MODEL_ERROR_INVALID_INDEX, "7", CAN_SAME);

  /* a closed plan takes no fold (R4), won or lost */
  lose_ok (opp, 2, "Budget cut");
  assert_refused (repo, opp, OP_FOLD (3, 5), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
  assert_refused (repo, opp, OP_FOLD (2, 3), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
  reopen_ok (opp, NULL);
  for (guint i = 2; i < 6; i++)
    win_ok (opp, i);
  assert_refused (repo, opp, OP_FOLD (2, 5), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
}

/* What the too-complex warning proposes */
static void
test_fold_proposal (void)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 10);
  guint first = 99, last = 99;

  /* no process agreement: from the current stage */
  g_assert_true (om_opportunity_data_propose_fold (data, &first, &last));
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (last, ==, 7);
  /* after the process agreement, wherever it is */
  ((OmStageData *) g_ptr_array_index (data->stages, 3))->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  g_assert_true (om_opportunity_data_propose_fold (data, &first, &last));
  g_assert_cmpuint (first, ==, 4);
  g_assert_cmpuint (last, ==, 7);
  /* nothing to propose when fewer than two stages are left between */
  ((OmStageData *) g_ptr_array_index (data->stages, 6))->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  g_assert_false (om_opportunity_data_propose_fold (data, &first, &last));
  g_ptr_array_set_size (data->stages, 3);
  g_assert_false (om_opportunity_data_propose_fold (data, &first, &last));
}

/* The no-process-agreement warning's remedy */
static void
test_add_process_agreement (void)
{
  g_autoptr(OmRepository) repo = repo_new ();
  OmOpportunity *opp = create_plan (repo, 4, 1);
  g_autoptr(OmOpportunityData) before = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_autoptr(GError) error = NULL;
  guint position = 99;

  assert_health (opp, "no-process-agreement");
  g_assert_true (om_opportunity_can_add_process_agreement (opp, &error));
  g_assert_no_error (error);
  g_assert_true (om_opportunity_add_process_agreement (opp, &position, &error));
  g_assert_no_error (error);
  /* right after the won stage, before the first pending one */
  g_assert_cmpuint (position, ==, 1);
  g_assert_cmpstr (activity_of (opp, 1), ==, "Process meeting");
  g_assert_cmpstr (stage_of (opp, 1)->milestone, ==, "Client agrees to the opportunity-management process");
  g_assert_cmpint (stage_of (opp, 1)->kind, ==, OM_STAGE_KIND_PROCESS_AGREEMENT);
  g_assert_cmpstr (activity_of (opp, 2), ==, "Activity 2");
  /* it has no owner yet: the next warning says so */
  assert_health (opp, "no-owner@1");
  g_assert_true (om_repository_undo (repo, &error));
  g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));

  /* with nothing won, first */
  {
    OmOpportunity *fresh = create_plan (repo, 2, 0);
    g_assert_true (om_opportunity_add_process_agreement (fresh, &position, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (position, ==, 0);
  }

  /* never before won stages: with the first two won, it cannot be
   * among them any more */
  win_ok (opp, 1);
  assert_refused (repo, opp, OP_ADD_PROCESS_AGREEMENT (), OM_MODEL_ERROR_FROZEN, "Activity 2", CAN_SAME);
  win_ok (opp, 2);
  win_ok (opp, 3);
  assert_refused (repo, opp, OP_ADD_PROCESS_AGREEMENT (), OM_MODEL_ERROR_CLOSED, "Deal", CAN_SAME);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/escape-line", test_text_escape_line);
  g_test_add_func ("/text/excerpt", test_text_excerpt);
  g_test_add_func ("/text/long-word", test_text_long_word);
  g_test_add_func ("/opportunity/describe/long-activity", test_describe_long_activity);
  g_test_add_func ("/opportunity/status/empty", test_status_empty);
  g_test_add_func ("/opportunity/dry-run/follows-plan", test_dry_run_follows_plan);
  g_test_add_func ("/opportunity/status/derived", test_status_derived);
  g_test_add_func ("/opportunity/status/data", test_status_data);

  g_test_add_func ("/opportunity/win/in-order", test_win_in_order);
  g_test_add_func ("/opportunity/win/out-of-order", test_win_out_of_order);
  g_test_add_func ("/opportunity/lose/out-of-order", test_lose_out_of_order);
  g_test_add_func ("/opportunity/invalid-index", test_invalid_index);

  g_test_add_func ("/opportunity/frozen/remove", test_frozen_remove);
  g_test_add_func ("/opportunity/frozen/add", test_frozen_add);
  g_test_add_func ("/opportunity/frozen/move-all", test_frozen_move_all);
  g_test_add_func ("/opportunity/add/is-pending", test_add_is_pending);

  g_test_add_func ("/opportunity/closed/won", test_closed_won);
  g_test_add_func ("/opportunity/closed/lost", test_closed_lost);
  g_test_add_func ("/opportunity/closed/field-edits", test_closed_field_edits);
  g_test_add_func ("/opportunity/reopen/lost", test_reopen_lost);
  g_test_add_func ("/opportunity/reopen/won", test_reopen_won);
  g_test_add_func ("/opportunity/reopen/nothing", test_reopen_nothing);
  g_test_add_func ("/opportunity/reopen/stage", test_reopen_stage);

  g_test_add_func ("/opportunity/valid/activity", test_valid_activity);
  g_test_add_func ("/opportunity/valid/milestone", test_valid_milestone);
  g_test_add_func ("/opportunity/valid/probability", test_valid_probability);
  g_test_add_func ("/opportunity/valid/duration", test_valid_duration);
  g_test_add_func ("/opportunity/valid/lost-reason", test_valid_lost_reason);
  g_test_add_func ("/opportunity/valid/decided-before-start", test_valid_decided_before_start);
  g_test_add_func ("/opportunity/valid/pending-date", test_valid_pending_date);
  g_test_add_func ("/opportunity/valid/opportunity", test_valid_opportunity);

  g_test_add_func ("/opportunity/history/decisions", test_history);
  g_test_add_func ("/opportunity/history/follows-stage", test_history_follows_stage);

  g_test_add_func ("/opportunity/derived/due-dates", test_derived_due_dates);
  g_test_add_func ("/opportunity/derived/overdue", test_derived_overdue);
  g_test_add_func ("/opportunity/derived/chain-probability", test_derived_chain_probability);
  g_test_add_func ("/opportunity/derived/weakest-link", test_derived_weakest_link);
  g_test_add_func ("/opportunity/derived/weighted-value", test_derived_weighted_value);
  g_test_add_func ("/opportunity/derived/chain-order-independent", test_derived_chain_order_independent);
  g_test_add_func ("/opportunity/derived/chain-sorted-product", test_derived_chain_sorted_product);
  g_test_add_func ("/opportunity/derived/weighted-minor", test_derived_weighted_minor);
  g_test_add_func ("/opportunity/query/copy-equal", test_query_copy_equal);
  g_test_add_func ("/opportunity/derived/current-stage", test_derived_current_stage);
  g_test_add_func ("/opportunity/derived/notify", test_derived_notify);

  g_test_add_func ("/opportunity/stages/add", test_stages_add);
  g_test_add_func ("/opportunity/stages/remove", test_stages_remove);
  g_test_add_func ("/opportunity/stages/move", test_stages_move);
  g_test_add_func ("/opportunity/stages/edit", test_stages_edit);

  g_test_add_func ("/opportunity/health/no-process-agreement", test_health_process_agreement);
  g_test_add_func ("/opportunity/health/too-complex", test_health_too_complex);
  g_test_add_func ("/opportunity/health/no-owner", test_health_no_owner);
  g_test_add_func ("/opportunity/health/no-owner/many", test_health_no_owner_many);
  g_test_add_func ("/opportunity/health/overdue", test_health_overdue);
  g_test_add_func ("/opportunity/health/overdue/many", test_health_overdue_many);
  g_test_add_func ("/opportunity/health/weak-link", test_health_weak_link);
  g_test_add_func ("/opportunity/health/closed", test_health_closed);
  g_test_add_func ("/opportunity/schedule/pinned", test_schedule_pinned);
  g_test_add_func ("/opportunity/schedule/pinned-after-overdue", test_schedule_pinned_after_overdue);
  g_test_add_func ("/opportunity/schedule/refused", test_schedule_refused);
  g_test_add_func ("/opportunity/schedule/history", test_schedule_history);
  g_test_add_func ("/opportunity/schedule/baseline-on-agreement", test_schedule_baseline_on_agreement);
  g_test_add_func ("/opportunity/schedule/health", test_schedule_health);

  g_test_add_func ("/opportunity/fold/stages", test_fold_stages);
  g_test_add_func ("/opportunity/fold/owners", test_fold_owners);
  g_test_add_func ("/opportunity/fold/history", test_fold_history);
  g_test_add_func ("/opportunity/fold/refused", test_fold_refused);
  g_test_add_func ("/opportunity/fold/proposal", test_fold_proposal);
  g_test_add_func ("/opportunity/add-process-agreement", test_add_process_agreement);

  g_test_add_func ("/template/recommended", test_template_recommended);
  g_test_add_func ("/template/recommended/milestone-text", test_template_recommended_milestone_text);
  g_test_add_func ("/template/instantiate", test_template_instantiate);
  g_test_add_func ("/template/builtin", test_template_builtin);

  g_test_add_func ("/opportunity-data/validate", test_data_validate);
  g_test_add_func ("/opportunity-data/copy-equal", test_data_copy_equal);
  g_test_add_func ("/opportunity-data/copy-shares", test_data_copy_shares);
  g_test_add_func ("/opportunity-data/validate/after-change", test_data_validate_after_change);
  g_test_add_func ("/opportunity-data/validate/derived", test_data_validate_derived);
  g_test_add_func ("/opportunity/edit/shares-unchanged-stages", test_edit_shares_unchanged_stages);

  g_test_add_func ("/opportunity/history/replay", test_history_replay);
  g_test_add_func ("/opportunity/history/app-made", test_history_app_made);
  g_test_add_func ("/opportunity/valid/decided-in-order", test_valid_decided_in_order);
  g_test_add_func ("/opportunity/valid/date-range", test_valid_date_range);
  g_test_add_func ("/opportunity/valid/lost-reason-when-not-lost", test_valid_lost_reason_when_not_lost);
  g_test_add_func ("/opportunity-data/validate/where", test_validate_where);
  g_test_add_func ("/opportunity-data/repair", test_repair);
  g_test_add_func ("/opportunity/messages/quote-safely", test_messages_quote_safely);

  g_test_add_func ("/types/date-parse", test_date_parse);
  g_test_add_func ("/types/money-parse", test_money_parse);
  g_test_add_func ("/types/money-locale", test_money_locale);
  g_test_add_func ("/types/currency", test_currency);

  return g_test_run ();
}
