/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-repository"

#include "config.h"

#include <string.h>

#include "om-model.h"
#include "om-test-support.h"

/*
 * The repository: creating and removing opportunities, undo and redo of
 * every kind of edit, import as one edit, and what happens when the
 * backend (the database, in the application) cannot keep an edit.
 */

/* Helpers: plans */

static OmOpportunity *
create (OmRepository *repo,
        const char   *title,
        guint         n_stages)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new (title, n_stages);

  return om_test_create (repo, data);
}

static void
win_ok (OmOpportunity *opp,
        guint          index)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_opportunity_win_stage (opp, index, "yes", &error));
  g_assert_no_error (error);
}

static void
undo_ok (OmRepository *repo)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_repository_undo (repo, &error));
  g_assert_no_error (error);
}

static void
redo_ok (OmRepository *repo)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (om_repository_redo (repo, &error));
  g_assert_no_error (error);
}

static void
set_notes (OmOpportunity *opp,
           const char    *notes)
{
  g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_autoptr(GError) error = NULL;

  g_free (edited->notes);
  edited->notes = g_strdup (notes);
  g_assert_true (om_opportunity_edit (opp, edited, &error));
  g_assert_no_error (error);
}

static OmOpportunity *
opportunity_at (OmRepository *repo,
                guint         position)
{
  g_autoptr(OmOpportunity) opp = g_list_model_get_item (om_repository_get_opportunities (repo), position);

  return opp; /* the list keeps it */
}

static guint
n_opportunities (OmRepository *repo)
{
  return g_list_model_get_n_items (om_repository_get_opportunities (repo));
}

/* Helpers: recording signals */

static void
recorder_tap_opportunity (OmTestRecorder      *self,
                          OmOpportunity *opp,
                          const char    *label)
{
  g_autofree char *stages_label = g_strdup_printf ("%s.stages", label);

  om_test_recorder_watch_notify (self, opp, label);
  om_test_recorder_watch_items (self, om_opportunity_get_stages (opp), stages_label);
  for (guint i = 0; i < om_opportunity_get_n_stages (opp); i++)
    {
      g_autofree char *stage_label = g_strdup_printf ("%s.s%u", label, i);
      om_test_recorder_watch_notify (self, om_opportunity_get_stage (opp, i), stage_label);
    }
}

/* Watches the whole repository: its properties, its lists, each
 * opportunity (o0, o1, ...) with its stages, and each template. */
static OmTestRecorder *
recorder_new (OmRepository *repo)
{
  OmTestRecorder *self = om_test_recorder_new ();
  GListModel *templates = om_repository_get_templates (repo);

  om_test_recorder_watch_notify (self, repo, "repo");
  om_test_recorder_watch_items (self, om_repository_get_opportunities (repo), "opps");
  om_test_recorder_watch_items (self, templates, "templates");
  for (guint i = 0; i < n_opportunities (repo); i++)
    {
      g_autofree char *label = g_strdup_printf ("o%u", i);
      recorder_tap_opportunity (self, opportunity_at (repo, i), label);
    }
  for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(GObject) template = g_list_model_get_item (templates, i);
      g_autofree char *label = g_strdup_printf ("t%u", i);
      om_test_recorder_watch_notify (self, template, label);
    }
  return self;
}


/* Helpers: the whole visible state of a repository */

typedef struct
{
  GPtrArray *opportunities;   /* OmOpportunity, in list order */
  GPtrArray *data;            /* OmOpportunityData copies */
  GPtrArray *stages;          /* GPtrArray of OmStage, per opportunity */
  GPtrArray *templates;       /* OmTemplate */
  GPtrArray *template_data;   /* OmTemplateData copies */
  gboolean   can_undo;
  gboolean   can_redo;
  char      *undo_label;
  char      *redo_label;
} Snapshot;

static Snapshot *
snapshot_new (OmRepository *repo)
{
  Snapshot *self = g_new0 (Snapshot, 1);
  GListModel *templates = om_repository_get_templates (repo);

  self->opportunities = g_ptr_array_new_with_free_func (g_object_unref);
  self->data = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->templates = g_ptr_array_new_with_free_func (g_object_unref);
  self->template_data = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);

  for (guint i = 0; i < n_opportunities (repo); i++)
    {
      OmOpportunity *opp = opportunity_at (repo, i);
      GPtrArray *stages = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (self->opportunities, g_object_ref (opp));
      g_ptr_array_add (self->data, om_opportunity_data_copy (om_opportunity_get_data (opp)));
      for (guint j = 0; j < om_opportunity_get_n_stages (opp); j++)
        g_ptr_array_add (stages, g_object_ref (om_opportunity_get_stage (opp, j)));
      g_ptr_array_add (self->stages, stages);
    }
  for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
    {
      OmTemplate *template = g_list_model_get_item (templates, i);

      g_ptr_array_add (self->template_data, om_template_data_copy (om_template_get_data (template)));
      g_ptr_array_add (self->templates, template);
    }
  self->can_undo = om_repository_get_can_undo (repo);
  self->can_redo = om_repository_get_can_redo (repo);
  self->undo_label = g_strdup (om_repository_get_undo_label (repo));
  self->redo_label = g_strdup (om_repository_get_redo_label (repo));
  return self;
}

static void
snapshot_free (Snapshot *self)
{
  g_ptr_array_unref (self->opportunities);
  g_ptr_array_unref (self->data);
  g_ptr_array_unref (self->stages);
  g_ptr_array_unref (self->templates);
  g_ptr_array_unref (self->template_data);
  g_free (self->undo_label);
  g_free (self->redo_label);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

/* The repository shows exactly what it showed: the same objects in the
 * same places with the same values, and the same undo history. */
static void
snapshot_assert_same (const Snapshot *self,
                      OmRepository   *repo)
{
  GListModel *templates = om_repository_get_templates (repo);

  g_assert_cmpuint (n_opportunities (repo), ==, self->opportunities->len);
  for (guint i = 0; i < self->opportunities->len; i++)
    {
      OmOpportunity *opp = opportunity_at (repo, i);
      GPtrArray *stages = g_ptr_array_index (self->stages, i);

      g_assert_true (opp == g_ptr_array_index (self->opportunities, i));
      g_assert_true (om_opportunity_data_equal (g_ptr_array_index (self->data, i),
                                                om_opportunity_get_data (opp), TRUE));
      g_assert_cmpuint (om_opportunity_get_n_stages (opp), ==, stages->len);
      g_assert_cmpuint (g_list_model_get_n_items (om_opportunity_get_stages (opp)), ==, stages->len);
      for (guint j = 0; j < stages->len; j++)
        g_assert_true (om_opportunity_get_stage (opp, j) == g_ptr_array_index (stages, j));
    }
  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, self->templates->len);
  for (guint i = 0; i < self->templates->len; i++)
    {
      g_autoptr(OmTemplate) template = g_list_model_get_item (templates, i);

      g_assert_true (template == g_ptr_array_index (self->templates, i));
      g_assert_true (om_template_data_equal (g_ptr_array_index (self->template_data, i),
                                             om_template_get_data (template)));
      g_assert_cmpint (om_template_get_data (template)->id, ==,
                       ((OmTemplateData *) g_ptr_array_index (self->template_data, i))->id);
    }
  g_assert_cmpint (om_repository_get_can_undo (repo), ==, self->can_undo);
  g_assert_cmpint (om_repository_get_can_redo (repo), ==, self->can_redo);
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, self->undo_label);
  g_assert_cmpstr (om_repository_get_redo_label (repo), ==, self->redo_label);
}

/* Edits, each as a function of the standard setting: "Deal", five
 * stages of which the first two are won. */

typedef gboolean (*EditFunc) (OmRepository  *repo,
                              OmOpportunity *opp,
                              GError       **error);

static gboolean
edit_add (OmRepository  *repo,
          OmOpportunity *opp,
          GError       **error)
{
  g_autoptr(OmStageData) stage = om_test_stage_new (6);

  return om_opportunity_add_stage (opp, 3, stage, error);
}

static gboolean
edit_remove (OmRepository  *repo,
             OmOpportunity *opp,
             GError       **error)
{
  return om_opportunity_remove_stage (opp, 3, error);
}

static gboolean
edit_move_up (OmRepository  *repo,
              OmOpportunity *opp,
              GError       **error)
{
  return om_opportunity_move_stage (opp, 4, 2, error);
}

static gboolean
edit_move_down (OmRepository  *repo,
                OmOpportunity *opp,
                GError       **error)
{
  return om_opportunity_move_stage (opp, 2, 4, error);
}

static gboolean
edit_win (OmRepository  *repo,
          OmOpportunity *opp,
          GError       **error)
{
  return om_opportunity_win_stage (opp, 2, "signed the letter of intent", error);
}

static gboolean
edit_lose (OmRepository  *repo,
           OmOpportunity *opp,
           GError       **error)
{
  return om_opportunity_lose_stage (opp, 2, "budget cut", error);
}

static gboolean
edit_reopen (OmRepository  *repo,
             OmOpportunity *opp,
             GError       **error)
{
  return om_opportunity_reopen (opp, "too early", error);
}

static gboolean
edit_stage (OmRepository  *repo,
            OmOpportunity *opp,
            GError       **error)
{
  g_autoptr(OmStageData) edited = om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (opp, 3)));

  g_free (edited->owner);
  edited->owner = g_strdup ("Bob");
  edited->probability = 0.3;
  edited->duration_days = 21;
  return om_opportunity_edit_stage (opp, 3, edited, error);
}

static gboolean
edit_opportunity (OmRepository  *repo,
                  OmOpportunity *opp,
                  GError       **error)
{
  g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (om_opportunity_get_data (opp));

  g_free (edited->title);
  edited->title = g_strdup ("Big deal");
  edited->value = 125000000;
  g_free (edited->currency);
  edited->currency = g_strdup ("USD");
  return om_opportunity_edit (opp, edited, error);
}

static gboolean
edit_create (OmRepository  *repo,
             OmOpportunity *opp,
             GError       **error)
{
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("New deal", 3);

  return om_repository_create_opportunity (repo, data, error) != NULL;
}

static gboolean
edit_remove_opportunity (OmRepository  *repo,
                         OmOpportunity *opp,
                         GError       **error)
{
  return om_repository_remove_opportunity (repo, opp, error);
}

static gboolean
edit_import (OmRepository  *repo,
             OmOpportunity *opp,
             GError       **error)
{
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  g_autoptr(OmTemplateData) template = om_template_data_new ("Short process");
  g_autoptr(GPtrArray) created = NULL;

  g_ptr_array_add (opportunities, om_test_plan_new ("Imported 1", 2));
  g_ptr_array_add (opportunities, om_test_plan_new ("Imported 2", 0));
  g_ptr_array_add (template->stages, om_test_stage_new (1));
  g_ptr_array_add (templates, g_steal_pointer (&template));
  created = om_test_import (repo, opportunities, templates, error);
  return created != NULL;
}

typedef struct
{
  const char *name;
  EditFunc    func;
  const char *label;
} EditCase;

static const EditCase edit_cases[] = {
  { "add", edit_add, "Add Stage" },
  { "remove", edit_remove, "Remove Stage" },
  { "move-up", edit_move_up, "Move Stage" },
  { "move-down", edit_move_down, "Move Stage" },
  { "win", edit_win, "Mark Won" },
  { "lose", edit_lose, "Mark Lost" },
  { "reopen", edit_reopen, "Reopen" },
  { "edit-stage", edit_stage, "Edit Stage" },
  { "edit", edit_opportunity, "Edit Opportunity" },
  { "create", edit_create, NULL },
  { "remove-opportunity", edit_remove_opportunity, "Remove Opportunity" },
  { "import", edit_import, "Import" },
};

/* The standard setting: "Other" (untouched by the edits), then "Deal"
 * with five stages, the first two won. */
static OmOpportunity *
setting_new (OmRepository *repo)
{
  OmOpportunity *opp;

  create (repo, "Other", 2);
  opp = create (repo, "Deal", 5);
  win_ok (opp, 0);
  win_ok (opp, 1);
  return opp;
}

static gboolean
has_stage_id (const OmOpportunityData *data,
              gint64                   id)
{
  for (guint i = 0; i < data->stages->len; i++)
    if (((const OmStageData *) g_ptr_array_index (data->stages, i))->id == id)
      return TRUE;
  return FALSE;
}

/* Finds the data of the opportunity with this id in a snapshot */
static const OmOpportunityData *
snapshot_find (const Snapshot *self,
               gint64          id,
               guint          *position)
{
  for (guint i = 0; i < self->data->len; i++)
    {
      const OmOpportunityData *data = g_ptr_array_index (self->data, i);

      if (data->id == id)
        {
          if (position)
            *position = i;
          return data;
        }
    }
  return NULL;
}

static OmStage *
find_stage_object (GPtrArray *stages,
                   gint64     id)
{
  for (guint i = 0; i < stages->len; i++)
    if (om_stage_get_id (g_ptr_array_index (stages, i)) == id)
      return g_ptr_array_index (stages, i);
  return NULL;
}

/*
 * The repository shows exactly the opportunities and templates of
 * @target, values and ids included. What was shown in @previous (just
 * before the step) and is still there is the same object: the same
 * OmOpportunity, and the same OmStage for each stage it kept, wherever
 * that stage now is.
 */
static void
assert_shows (OmRepository   *repo,
              const Snapshot *target,
              const Snapshot *previous)
{
  GListModel *templates = om_repository_get_templates (repo);

  g_assert_cmpuint (n_opportunities (repo), ==, target->data->len);
  for (guint i = 0; i < target->data->len; i++)
    {
      const OmOpportunityData *data = g_ptr_array_index (target->data, i);
      OmOpportunity *opp = om_repository_find (repo, data->id);
      guint position;

      g_assert_nonnull (opp);
      g_assert_true (om_opportunity_data_equal (data, om_opportunity_get_data (opp), TRUE));
      g_assert_cmpuint (g_list_model_get_n_items (om_opportunity_get_stages (opp)), ==, data->stages->len);
      for (guint j = 0; j < data->stages->len; j++)
        g_assert_cmpint (om_stage_get_id (om_opportunity_get_stage (opp, j)), ==,
                         ((OmStageData *) g_ptr_array_index (data->stages, j))->id);

      if (snapshot_find (previous, data->id, &position) == NULL)
        continue;
      g_assert_true (opp == g_ptr_array_index (previous->opportunities, position));
      for (guint j = 0; j < data->stages->len; j++)
        {
          OmStage *stage = om_opportunity_get_stage (opp, j);
          OmStage *was = find_stage_object (g_ptr_array_index (previous->stages, position),
                                            om_stage_get_id (stage));

          g_assert_true (was == NULL || was == stage);
        }
    }

  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, target->template_data->len);
  for (guint i = 0; i < target->template_data->len; i++)
    {
      g_autoptr(OmTemplate) template = g_list_model_get_item (templates, i);
      const OmTemplateData *data = g_ptr_array_index (target->template_data, i);

      g_assert_true (om_template_data_equal (data, om_template_get_data (template)));
      g_assert_cmpint (om_template_get_data (template)->id, ==, data->id);
    }
}

static void
undo_and_check (OmRepository   *repo,
                const Snapshot *target)
{
  g_autoptr(Snapshot) previous = snapshot_new (repo);

  undo_ok (repo);
  assert_shows (repo, target, previous);
}

static void
redo_and_check (OmRepository   *repo,
                const Snapshot *target)
{
  g_autoptr(Snapshot) previous = snapshot_new (repo);

  redo_ok (repo);
  assert_shows (repo, target, previous);
}

/* The backend was handed one edit: the changes that turn @from into @to */
static void
assert_backend_saw (OmTestBackend    *backend,
                    const Snapshot *from,
                    const Snapshot *to)
{
  GPtrArray *changes;
  guint n_expected = 0;

  g_assert_cmpuint (backend->n_attempts, ==, 1);
  g_assert_cmpuint (backend->calls->len, ==, 1);
  changes = g_ptr_array_index (backend->calls, 0);

  for (guint i = 0; i < changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);

      if (change->kind == OM_CHANGE_OPPORTUNITY)
        {
          const OmOpportunityData *before = change->before;
          const OmOpportunityData *after = change->after;
          gint64 id = before ? before->id : after->id;

          g_assert_true (before != NULL || after != NULL);
          if (before)
            g_assert_true (om_opportunity_data_equal (before, snapshot_find (from, id, NULL), TRUE));
          else
            g_assert_null (snapshot_find (from, id, NULL));
          if (after)
            g_assert_true (om_opportunity_data_equal (after, snapshot_find (to, id, NULL), TRUE));
          else
            g_assert_null (snapshot_find (to, id, NULL));
        }
    }

  /* one change for each opportunity that differs */
  for (guint i = 0; i < to->data->len; i++)
    {
      const OmOpportunityData *data = g_ptr_array_index (to->data, i);
      const OmOpportunityData *was = snapshot_find (from, data->id, NULL);

      if (was == NULL || !om_opportunity_data_equal (was, data, TRUE))
        n_expected++;
    }
  for (guint i = 0; i < from->data->len; i++)
    if (snapshot_find (to, ((OmOpportunityData *) g_ptr_array_index (from->data, i))->id, NULL) == NULL)
      n_expected++;
  n_expected += (guint) ABS ((int) to->template_data->len - (int) from->template_data->len);
  g_assert_cmpuint (changes->len, ==, n_expected);
}

/* Undo and redo */

static void
test_undo_redo (gconstpointer user_data)
{
  const EditCase *ec = user_data;
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(Snapshot) before = NULL;
  g_autoptr(Snapshot) after = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  om_test_set_today (0);
  repo = om_repository_new (OM_BACKEND (backend));
  opp = setting_new (repo);
  before = snapshot_new (repo);
  om_test_backend_reset (backend);

  om_test_set_today (3);
  g_assert_true (ec->func (repo, opp, &error));
  g_assert_no_error (error);
  after = snapshot_new (repo);
  if (ec->label != NULL)
    g_assert_cmpstr (om_repository_get_undo_label (repo), ==, ec->label);
  g_assert_true (om_repository_get_can_undo (repo));
  g_assert_false (om_repository_get_can_redo (repo));
  g_assert_null (om_repository_get_redo_label (repo));
  assert_backend_saw (backend, before, after);
  om_test_backend_reset (backend);

  /* the edit did something */
  g_assert_true (after->data->len != before->data->len ||
                 after->template_data->len != before->template_data->len ||
                 !om_opportunity_data_equal (g_ptr_array_index (before->data, 1),
                                             g_ptr_array_index (after->data, 1), TRUE));

  /* stages the edit kept are the same objects, moved or not */
  assert_shows (repo, after, before);

  om_test_set_today (7);
  undo_and_check (repo, before);
  assert_backend_saw (backend, after, before);
  om_test_backend_reset (backend);
  g_assert_true (om_repository_get_can_redo (repo));
  g_assert_cmpstr (om_repository_get_redo_label (repo), ==, after->undo_label);
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, before->undo_label);

  /* what the edit kept is back in its place, as the same objects */
  for (guint i = 0; i < before->data->len; i++)
    {
      const OmOpportunityData *data = g_ptr_array_index (before->data, i);
      const OmOpportunityData *later = snapshot_find (after, data->id, NULL);
      OmOpportunity *now = om_repository_find (repo, data->id);

      if (later == NULL)
        continue;
      g_assert_true (now == g_ptr_array_index (before->opportunities, i));
      for (guint j = 0; j < data->stages->len; j++)
        {
          OmStage *was = g_ptr_array_index ((GPtrArray *) g_ptr_array_index (before->stages, i), j);

          if (has_stage_id (later, om_stage_get_id (was)))
            g_assert_true (om_opportunity_get_stage (now, j) == was);
        }
    }

  redo_and_check (repo, after);
  assert_backend_saw (backend, before, after);
  om_test_backend_reset (backend);
  g_assert_false (om_repository_get_can_redo (repo));
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, after->undo_label);

  /* and again */
  undo_and_check (repo, before);
  redo_and_check (repo, after);
}

static void
test_undo_redo_sequence (void)
{
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) snapshot_free);
  OmOpportunity *opp;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  opp = setting_new (repo);
  g_ptr_array_add (states, snapshot_new (repo));

  for (guint i = 0; i < G_N_ELEMENTS (edit_cases); i++)
    {
      g_autoptr(GError) error = NULL;

      /* each edit in turn on what the previous ones left; those that
       * need the setting as it was are skipped */
      if (edit_cases[i].func == edit_lose || edit_cases[i].func == edit_remove_opportunity)
        continue;
      g_assert_true (edit_cases[i].func (repo, opp, &error));
      g_assert_no_error (error);
      g_ptr_array_add (states, snapshot_new (repo));
    }

  for (guint i = states->len - 1; i > 0; i--)
    undo_and_check (repo, g_ptr_array_index (states, i - 1));
  /* back to the setting, whose last edit was a win */
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Mark Won");

  for (guint i = 1; i < states->len; i++)
    redo_and_check (repo, g_ptr_array_index (states, i));
  g_assert_false (om_repository_get_can_redo (repo));
}

static void
test_undo_nothing (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(OmTestRecorder) recorder = recorder_new (repo);
  g_autoptr(GError) error = NULL;

  g_assert_false (om_repository_get_can_undo (repo));
  g_assert_false (om_repository_get_can_redo (repo));
  g_assert_null (om_repository_get_undo_label (repo));
  g_assert_null (om_repository_get_redo_label (repo));

  g_assert_false (om_repository_undo (repo, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);
  g_assert_false (om_repository_redo (repo, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOTHING_TO_REDO);
  g_clear_error (&error);
  g_assert_cmpuint (backend->n_attempts, ==, 0);
  om_test_assert_events (recorder, NULL, "");
}

static void
test_redo_cleared (void)
{
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(Snapshot) snap = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  opp = create (repo, "Deal", 3);
  win_ok (opp, 0);
  undo_ok (repo);
  g_assert_true (om_repository_get_can_redo (repo));
  g_assert_cmpstr (om_repository_get_redo_label (repo), ==, "Mark Won");

  /* a new edit: the undone one cannot come back */
  set_notes (opp, "new plan");
  g_assert_false (om_repository_get_can_redo (repo));
  g_assert_null (om_repository_get_redo_label (repo));
  snap = snapshot_new (repo);
  g_assert_false (om_repository_redo (repo, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOTHING_TO_REDO);
  snapshot_assert_same (snap, repo);
  g_assert_cmpint (om_opportunity_get_n_won (opp), ==, 0);

  /* undo goes back over the new edit, then the creation */
  undo_ok (repo);
  g_assert_cmpstr (om_opportunity_get_notes (opp), ==, "");
  g_assert_cmpint (om_opportunity_get_n_won (opp), ==, 0);
  g_assert_cmpstr (om_repository_get_redo_label (repo), ==, "Edit Opportunity");
}

static void
test_history_properties (void)
{
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  OmOpportunity *opp;
  gboolean can_undo, can_redo;
  g_autofree char *undo_label = NULL;
  g_autofree char *redo_label = NULL;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  recorder = recorder_new (repo);

  opp = create (repo, "Deal", 3);
  /* the redo label stays empty: not notified */
  om_test_assert_events (recorder, "repo", "can-undo undo-label");

  win_ok (opp, 0);
  /* can-undo stays TRUE: no notification for it */
  {
    g_autofree char *got = om_test_recorder_take (recorder, "repo");
    g_assert_null (strstr (got, "can-undo"));
    g_assert_null (strstr (got, "can-redo"));
    g_assert_nonnull (strstr (got, "undo-label"));
  }
  g_object_get (repo, "can-undo", &can_undo, "can-redo", &can_redo, "undo-label", &undo_label,
                "redo-label", &redo_label, NULL);
  g_assert_true (can_undo);
  g_assert_false (can_redo);
  g_assert_cmpstr (undo_label, ==, "Mark Won");
  g_assert_null (redo_label);
  g_clear_pointer (&undo_label, g_free);

  undo_ok (repo);
  {
    g_autofree char *got = om_test_recorder_take (recorder, "repo");
    g_assert_nonnull (strstr (got, "can-redo"));
    g_assert_null (strstr (got, "can-undo"));
    g_assert_nonnull (strstr (got, "undo-label"));
    g_assert_nonnull (strstr (got, "redo-label"));
  }
  g_object_get (repo, "can-redo", &can_redo, "undo-label", &undo_label, "redo-label", &redo_label, NULL);
  g_assert_true (can_redo);
  g_assert_cmpstr (redo_label, ==, "Mark Won");
  g_assert_cmpstr (undo_label, ==, om_repository_get_undo_label (repo));
  g_assert_nonnull (undo_label);

  /* undoing the creation too empties the undo history */
  undo_ok (repo);
  {
    g_autofree char *got = om_test_recorder_take (recorder, "repo");
    g_assert_nonnull (strstr (got, "can-undo"));
    g_assert_null (strstr (got, "can-redo"));
  }
  g_assert_false (om_repository_get_can_undo (repo));
  g_assert_null (om_repository_get_undo_label (repo));
  g_assert_cmpuint (n_opportunities (repo), ==, 0);

  redo_ok (repo);
  redo_ok (repo);
  {
    g_autofree char *got = om_test_recorder_take (recorder, "repo");
    g_assert_nonnull (strstr (got, "can-undo"));
    g_assert_nonnull (strstr (got, "can-redo"));
  }
  g_assert_false (om_repository_get_can_redo (repo));
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Mark Won");
}

static void
test_history_labels_notify (void)
{
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  OmOpportunity *opp;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  opp = create (repo, "Deal", 3);
  win_ok (opp, 0);
  recorder = recorder_new (repo);

  /* same label, nothing to redo before or after */
  win_ok (opp, 1);
  om_test_assert_events (recorder, "repo", "");
}

/* Creating and removing */

static void
test_create (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(OmTestRecorder) recorder = recorder_new (repo);
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 3);
  g_autoptr(OmOpportunityData) pristine = om_opportunity_data_copy (data);
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp, *second;
  const OmChange *change;

  om_test_set_today (0);
  opp = om_repository_create_opportunity (repo, data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opp);
  om_test_assert_events (recorder, "opps", "items-changed(0,0,1)");
  g_assert_cmpuint (n_opportunities (repo), ==, 1);
  g_assert_true (opportunity_at (repo, 0) == opp);
  g_assert_true (om_repository_find (repo, om_opportunity_get_id (opp)) == opp);
  g_assert_true (om_repository_get_can_undo (repo));

  /* the values are taken as they are, and given ids */
  g_assert_true (om_opportunity_data_equal (pristine, data, TRUE));
  g_assert_true (om_opportunity_data_equal (data, om_opportunity_get_data (opp), FALSE));
  g_assert_cmpint (om_opportunity_get_id (opp), >, 0);
  for (guint i = 0; i < 3; i++)
    {
      gint64 id = om_stage_get_id (om_opportunity_get_stage (opp, i));

      g_assert_cmpint (id, >, 0);
      for (guint j = 0; j < i; j++)
        g_assert_cmpint (id, !=, om_stage_get_id (om_opportunity_get_stage (opp, j)));
    }

  change = om_test_backend_single_change (backend);
  g_assert_cmpint (change->kind, ==, OM_CHANGE_OPPORTUNITY);
  g_assert_null (change->before);
  g_assert_true (om_opportunity_data_equal (change->after, om_opportunity_get_data (opp), TRUE));
  om_test_backend_reset (backend);

  second = om_repository_create_opportunity (repo, data, &error);
  g_assert_no_error (error);
  g_assert_true (second != opp);
  g_assert_cmpint (om_opportunity_get_id (second), !=, om_opportunity_get_id (opp));
  for (guint i = 0; i < 3; i++)
    g_assert_false (has_stage_id (om_opportunity_get_data (opp),
                                  om_stage_get_id (om_opportunity_get_stage (second, i))));
  g_assert_true (opportunity_at (repo, 1) == second);
  g_assert_null (om_repository_find (repo, 12345));
}

static void
test_create_invalid (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(Snapshot) snap = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(OmOpportunityData) data = NULL;
  g_autoptr(GError) error = NULL;

  om_test_set_today (0);
  create (repo, "Other", 1);
  om_test_backend_reset (backend);
  snap = snapshot_new (repo);
  recorder = recorder_new (repo);

  data = om_test_plan_new (" ", 2);
  g_assert_null (om_repository_create_opportunity (repo, data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_EMPTY_TITLE);
  g_clear_error (&error);
  g_clear_pointer (&data, om_opportunity_data_free);

  data = om_test_plan_new ("Deal", 2);
  om_opportunity_data_get_writable_stage (data, 1)->probability = 2.0;
  g_assert_null (om_repository_create_opportunity (repo, data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_PROBABILITY);
  g_clear_error (&error);

  /* a stage won after a pending one */
  om_opportunity_data_get_writable_stage (data, 1)->probability = 0.5;
  om_opportunity_data_get_writable_stage (data, 1)->status = OM_STAGE_STATUS_WON;
  om_opportunity_data_get_writable_stage (data, 1)->decided_on = om_test_day (1);
  g_assert_null (om_repository_create_opportunity (repo, data, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_OUT_OF_ORDER);

  snapshot_assert_same (snap, repo);
  om_test_assert_events (recorder, NULL, "");
  g_assert_cmpuint (backend->n_attempts, ==, 0);
}

static void
test_create_label (void)
{
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) created = NULL;
  g_autofree char *import_label = NULL;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  g_ptr_array_add (opportunities, om_test_plan_new ("Imported", 1));
  created = om_test_import (repo, opportunities, NULL, NULL);
  g_assert_nonnull (created);
  import_label = g_strdup (om_repository_get_undo_label (repo));
  create (repo, "Deal", 1);
  g_assert_nonnull (om_repository_get_undo_label (repo));
  g_assert_cmpstr (om_repository_get_undo_label (repo), !=, import_label);
}

static void
test_load (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  OmOpportunityData *a = om_test_plan_new ("Kept A", 1);
  OmOpportunityData *b = om_test_plan_new ("Kept B", 2);
  OmOpportunity *opp;

  om_test_set_today (0);
  a->id = 5;
  om_opportunity_data_get_writable_stage (a, 0)->id = 40;
  b->id = 9;
  om_opportunity_data_get_writable_stage (b, 0)->id = 41;
  om_opportunity_data_get_writable_stage (b, 1)->id = 17;
  g_ptr_array_add (opportunities, a);
  g_ptr_array_add (opportunities, b);

  om_repository_load (repo, opportunities, NULL);
  g_assert_cmpuint (n_opportunities (repo), ==, 2);
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (om_repository_find (repo, 9)), b, TRUE));
  /* shown, not edited */
  g_assert_cmpuint (backend->n_attempts, ==, 0);
  g_assert_false (om_repository_get_can_undo (repo));

  /* new ids are the backend's, given when it keeps them (R7): the
   * repository holds no counter of its own that another process could
   * not see */
  backend->next_id = 20;
  backend->next_stage_id = 60;
  opp = create (repo, "Deal", 2);
  g_assert_cmpint (om_opportunity_get_id (opp), ==, 21);
  g_assert_cmpint (om_opportunity_get_data (opp)->revision, ==, 1);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (om_stage_get_id (om_opportunity_get_stage (opp, i)), ==, 61 + i);
}

/* A repository kept in memory only numbers what it shows itself: new ids
 * do not collide with loaded ones */
static void
test_load_in_memory (void)
{
  g_autoptr(OmRepository) repo = om_repository_new (NULL);
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  OmOpportunityData *b = om_test_plan_new ("Kept B", 2);
  OmOpportunity *opp;

  om_test_set_today (0);
  b->id = 9;
  om_opportunity_data_get_writable_stage (b, 0)->id = 41;
  om_opportunity_data_get_writable_stage (b, 1)->id = 17;
  g_ptr_array_add (opportunities, b);
  om_repository_load (repo, opportunities, NULL);

  opp = create (repo, "Deal", 2);
  g_assert_cmpint (om_opportunity_get_id (opp), >, 9);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (om_stage_get_id (om_opportunity_get_stage (opp, i)), >, 41);
}

static void
assert_detached (OmRepository  *repo,
                 OmOpportunity *opp)
{
  g_autoptr(OmOpportunityData) before = om_opportunity_data_copy (om_opportunity_get_data (opp));
  g_autoptr(OmOpportunityData) edited = om_opportunity_data_copy (before);
  g_autoptr(OmStageData) stage = om_test_stage_new (9);
  g_autoptr(OmTestRecorder) recorder = recorder_new (repo);
  g_autoptr(Snapshot) snap = snapshot_new (repo);
  g_autoptr(GError) error = NULL;
  int current = om_opportunity_get_current_stage (opp);
  guint n = om_opportunity_get_n_stages (opp);

  recorder_tap_opportunity (recorder, opp, "detached");

  /* each of these would be accepted on an opportunity of the repository */
  g_assert_cmpint (current, >=, 0);
  g_assert_cmpuint (n, >, (guint) current + 1);
  g_assert_false (om_opportunity_win_stage (opp, (guint) current, NULL, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (om_opportunity_lose_stage (opp, (guint) current, "gone", &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (om_opportunity_add_stage (opp, n, stage, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (om_opportunity_move_stage (opp, n - 1, (guint) current, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (om_opportunity_remove_stage (opp, n - 1, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (om_opportunity_edit_stage (opp, n - 1, stage, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_free (edited->notes);
  edited->notes = g_strdup ("still here?");
  g_assert_false (om_opportunity_edit (opp, edited, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* removing it from the repository: see /repository/detached/remove */

  g_assert_true (om_opportunity_data_equal (before, om_opportunity_get_data (opp), TRUE));
  snapshot_assert_same (snap, repo);
  om_test_assert_events (recorder, NULL, "");
}

static void
test_remove (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(OmOpportunity) opp = NULL;
  g_autoptr(OmOpportunityData) data = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *other, *back;
  const OmChange *change;
  gint64 id;

  om_test_set_today (0);
  opp = g_object_ref (create (repo, "Deal", 3));
  other = create (repo, "Other", 1);
  win_ok (opp, 0);
  id = om_opportunity_get_id (opp);
  data = om_opportunity_data_copy (om_opportunity_get_data (opp));
  om_test_backend_reset (backend);
  recorder = recorder_new (repo);

  g_assert_true (om_repository_remove_opportunity (repo, opp, &error));
  g_assert_no_error (error);
  om_test_assert_events (recorder, "opps", "items-changed(0,1,0)");
  g_assert_cmpuint (n_opportunities (repo), ==, 1);
  g_assert_true (opportunity_at (repo, 0) == other);
  g_assert_null (om_repository_find (repo, id));
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Remove Opportunity");
  change = om_test_backend_single_change (backend);
  g_assert_true (om_opportunity_data_equal (change->before, data, TRUE));
  g_assert_null (change->after);
  om_test_backend_reset (backend);

  /* what a window still holding it can do with it: nothing */
  assert_detached (repo, opp);
  g_assert_false (om_repository_remove_opportunity (repo, opp, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (n_opportunities (repo), ==, 1);
  g_assert_cmpuint (backend->n_attempts, ==, 0);

  undo_ok (repo);
  back = om_repository_find (repo, id);
  g_assert_nonnull (back);
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (back), data, TRUE));
  change = om_test_backend_single_change (backend);
  g_assert_null (change->before);
  g_assert_true (om_opportunity_data_equal (change->after, data, TRUE));
  /* the old object stays detached; the restored one works */
  assert_detached (repo, opp);
  win_ok (back, 1);
}

static void
test_remove_undo_position (void)
{
  g_autoptr(OmRepository) repo = NULL;
  OmOpportunity *first;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  first = create (repo, "First", 1);
  create (repo, "Second", 1);
  g_assert_true (om_repository_remove_opportunity (repo, first, NULL));
  undo_ok (repo);
  g_assert_cmpstr (om_opportunity_get_title (opportunity_at (repo, 0)), ==, "First");
  g_assert_cmpstr (om_opportunity_get_title (opportunity_at (repo, 1)), ==, "Second");
}

static void
test_undo_create_detaches (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(OmOpportunity) opp = NULL;
  g_autoptr(OmOpportunityData) data = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  const OmChange *change;
  OmOpportunity *again;
  gint64 id;

  om_test_set_today (0);
  opp = g_object_ref (create (repo, "Deal", 2));
  id = om_opportunity_get_id (opp);
  data = om_opportunity_data_copy (om_opportunity_get_data (opp));
  om_test_backend_reset (backend);
  recorder = recorder_new (repo);

  undo_ok (repo);
  om_test_assert_events (recorder, "opps", "items-changed(0,1,0)");
  g_assert_cmpuint (n_opportunities (repo), ==, 0);
  g_assert_null (om_repository_find (repo, id));
  g_assert_false (om_repository_get_can_undo (repo));
  change = om_test_backend_single_change (backend);
  g_assert_true (om_opportunity_data_equal (change->before, data, TRUE));
  g_assert_null (change->after);
  om_test_backend_reset (backend);

  assert_detached (repo, opp);
  g_assert_false (om_repository_remove_opportunity (repo, opp, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  redo_ok (repo);
  again = om_repository_find (repo, id);
  g_assert_nonnull (again);
  g_assert_true (om_opportunity_data_equal (om_opportunity_get_data (again), data, TRUE));
  assert_detached (repo, opp);
  win_ok (again, 0);
}

static void
test_detached_dry_run (void)
{
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(OmOpportunity) opp = NULL;
  g_autoptr(GError) error = NULL;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  opp = g_object_ref (create (repo, "Deal", 2));
  g_assert_true (om_repository_remove_opportunity (repo, opp, NULL));

  g_assert_false (om_opportunity_can_win_stage (opp, 0, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (om_opportunity_can_add_stage (opp, 0, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (om_opportunity_can_remove_stage (opp, 0, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
}

static void
test_detached_remove (void)
{
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(OmOpportunity) stale = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *live;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  stale = g_object_ref (create (repo, "Deal", 2));
  g_assert_true (om_repository_remove_opportunity (repo, stale, NULL));
  undo_ok (repo);
  live = om_repository_find (repo, om_opportunity_get_id (stale));
  g_assert_nonnull (live);
  g_assert_true (live != stale);

  g_assert_false (om_repository_remove_opportunity (repo, stale, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_assert_true (om_repository_find (repo, om_opportunity_get_id (stale)) == live);
}

static void
test_dispose_detaches (void)
{
  g_autoptr(OmOpportunity) opp = NULL;
  g_autoptr(GError) error = NULL;
  OmRepository *repo;

  om_test_set_today (0);
  repo = om_repository_new (NULL);
  opp = g_object_ref (create (repo, "Deal", 2));
  g_object_unref (repo);

  g_assert_false (om_opportunity_win_stage (opp, 0, NULL, &error));
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_NOT_FOUND);
  g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 0)), ==, OM_STAGE_STATUS_PENDING);
}

/* Import */

static void
test_import_one_step (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  g_autoptr(OmTemplateData) template = om_template_data_new ("Short process");
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(Snapshot) before = NULL;
  g_autoptr(Snapshot) after = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *changes;
  guint n_opp_changes = 0, n_template_changes = 0;

  om_test_set_today (0);
  create (repo, "Other", 1);
  before = snapshot_new (repo);
  om_test_backend_reset (backend);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("Imported %u", i + 1);
      OmOpportunityData *data = om_test_plan_new (title, i + 1);

      /* ids in a document are not ours */
      data->id = 1;
      for (guint j = 0; j < data->stages->len; j++)
        om_opportunity_data_get_writable_stage (data, j)->id = 1;
      g_ptr_array_add (opportunities, data);
    }
  /* history comes along */
  om_opportunity_data_get_writable_stage (g_ptr_array_index (opportunities, 2), 0)->status = OM_STAGE_STATUS_WON;
  om_opportunity_data_get_writable_stage (g_ptr_array_index (opportunities, 2), 0)->decided_on = om_test_day (2);
  g_ptr_array_add (((OmOpportunityData *) g_ptr_array_index (opportunities, 2))->history,
                   om_history_entry_new (0, OM_STAGE_STATUS_PENDING, OM_STAGE_STATUS_WON, om_test_day (2), "ok"));
  g_ptr_array_add (template->stages, om_test_stage_new (1));
  g_ptr_array_add (templates, om_template_data_copy (template));

  created = om_test_import (repo, opportunities, templates, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpuint (created->len, ==, 3);
  g_assert_cmpuint (n_opportunities (repo), ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      OmOpportunity *opp = g_ptr_array_index (created, i);

      g_assert_true (om_repository_find (repo, om_opportunity_get_id (opp)) == opp);
      g_assert_true (om_opportunity_data_equal (g_ptr_array_index (opportunities, i),
                                                om_opportunity_get_data (opp), FALSE));
      g_assert_cmpint (om_opportunity_get_id (opp), !=, 1);
      for (guint j = 0; j < i; j++)
        g_assert_cmpint (om_opportunity_get_id (opp), !=,
                         om_opportunity_get_id (g_ptr_array_index (created, j)));
    }
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (repo)), ==, 2);

  /* one edit, handed to the backend in one call */
  g_assert_cmpuint (backend->n_attempts, ==, 1);
  changes = g_ptr_array_index (backend->calls, 0);
  for (guint i = 0; i < changes->len; i++)
    {
      const OmChange *change = g_ptr_array_index (changes, i);

      g_assert_null (change->before);
      if (change->kind == OM_CHANGE_OPPORTUNITY)
        n_opp_changes++;
      else
        n_template_changes++;
    }
  g_assert_cmpuint (n_opp_changes, ==, 3);
  g_assert_cmpuint (n_template_changes, ==, 1);
  om_test_backend_reset (backend);
  after = snapshot_new (repo);

  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Import");
  undo_and_check (repo, before);
  g_assert_cmpuint (backend->n_attempts, ==, 1);
  g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (backend->calls, 0))->len, ==, 4);
  /* what is left to undo is the creation before the import */
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, before->undo_label);

  redo_and_check (repo, after);
}

static void
test_import_refused (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(GPtrArray) opportunities = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(Snapshot) snap = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunityData *bad;

  om_test_set_today (0);
  create (repo, "Other", 1);
  snap = snapshot_new (repo);
  recorder = recorder_new (repo);
  om_test_backend_reset (backend);

  g_ptr_array_add (opportunities, om_test_plan_new ("Good", 2));
  bad = om_test_plan_new ("Bad", 2);
  g_free (om_opportunity_data_get_stage (bad, 1)->milestone);
  om_opportunity_data_get_writable_stage (bad, 1)->milestone = g_strdup ("");
  g_ptr_array_add (opportunities, bad);

  created = om_test_import (repo, opportunities, NULL, &error);
  g_assert_null (created);
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_EMPTY_MILESTONE);
  g_clear_error (&error);

  /* a bad template spoils the import too */
  g_free (om_opportunity_data_get_stage (bad, 1)->milestone);
  om_opportunity_data_get_writable_stage (bad, 1)->milestone = g_strdup ("Fixed");
  g_ptr_array_add (templates, om_template_data_new (""));
  created = om_test_import (repo, opportunities, templates, &error);
  g_assert_null (created);
  g_assert_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_EMPTY_TITLE);

  snapshot_assert_same (snap, repo);
  om_test_assert_events (recorder, NULL, "");
  g_assert_cmpuint (backend->n_attempts, ==, 0);
}

static void
test_import_replaces_template (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) om_template_data_free);
  g_autoptr(OmTemplateData) first = om_template_data_new ("Short process");
  g_autoptr(OmTemplateData) second = NULL;
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(OmTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  const OmChange *change;

  om_test_set_today (0);
  g_ptr_array_add (first->stages, om_test_stage_new (1));
  second = om_template_data_copy (first);
  g_ptr_array_add (second->stages, om_test_stage_new (2));

  g_ptr_array_add (templates, om_template_data_copy (first));
  created = om_test_import (repo, none, templates, &error);
  g_assert_no_error (error);
  g_clear_pointer (&created, g_ptr_array_unref);
  template = g_list_model_get_item (om_repository_get_templates (repo), 1);
  g_assert_false (om_template_get_builtin (template));
  g_assert_cmpuint (om_template_get_n_stages (template), ==, 1);
  om_test_backend_reset (backend);

  g_ptr_array_set_size (templates, 0);
  g_ptr_array_add (templates, om_template_data_copy (second));
  created = om_test_import (repo, none, templates, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (repo)), ==, 2);
  g_assert_cmpuint (om_template_get_n_stages (template), ==, 2);
  change = om_test_backend_single_change (backend);
  g_assert_cmpint (change->kind, ==, OM_CHANGE_TEMPLATE);
  g_assert_true (om_template_data_equal (change->before, first));
  g_assert_true (om_template_data_equal (change->after, second));
  g_assert_cmpint (((OmTemplateData *) change->before)->id, ==, ((OmTemplateData *) change->after)->id);

  undo_ok (repo);
  g_assert_cmpuint (om_template_get_n_stages (template), ==, 1);
  undo_ok (repo);
  g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_templates (repo)), ==, 1);
}

/* Templates of the user's (issue 13) */

static OmTemplate *
template_at (OmRepository *repo,
             guint         position)
{
  g_autoptr(OmTemplate) template = g_list_model_get_item (om_repository_get_templates (repo), position);

  return template; /* the list keeps it */
}

static guint
n_templates (OmRepository *repo)
{
  return g_list_model_get_n_items (om_repository_get_templates (repo));
}

/* A plan as a template: what plans the stages, never what belongs to
 * this one sale (owners, dates, notes, decisions) */
static void
test_template_from_opportunity (void)
{
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Fleet renewal", 3);
  g_autoptr(OmTemplateData) template = NULL;
  g_autoptr(GError) error = NULL;
  OmStageData *stage;

  om_test_set_today (30);
  stage = g_ptr_array_index (plan->stages, 1);
  stage->kind = OM_STAGE_KIND_PROCESS_AGREEMENT;
  stage->duration_days = 12;
  stage->probability = 0.25;
  g_free (stage->client_description);
  stage->client_description = g_strdup ("We agree how we decide");
  g_free (stage->client_owner);
  stage->client_owner = g_strdup ("Bea");
  g_free (stage->notes);
  stage->notes = g_strdup ("Internal: they hesitate");
  stage->agreed_on = om_test_day (20);
  g_assert_true (om_opportunity_data_win_stage (plan, 0, om_test_day (3), "done", &error));
  g_assert_no_error (error);

  template = om_template_data_new_from_opportunity (plan, "Ferries");
  g_assert_cmpstr (template->name, ==, "Ferries");
  g_assert_cmpuint (template->stages->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const OmStageData *from = g_ptr_array_index (plan->stages, i);
      const OmStageData *to = g_ptr_array_index (template->stages, i);

      g_assert_cmpstr (to->activity, ==, from->activity);
      g_assert_cmpstr (to->milestone, ==, from->milestone);
      g_assert_cmpint (to->kind, ==, from->kind);
      g_assert_cmpuint (to->duration_days, ==, from->duration_days);
      g_assert_cmpfloat (to->probability, ==, from->probability);
      g_assert_cmpstr (to->client_description, ==, from->client_description);
      /* the won first stage too: a template's stages are all pending */
      g_assert_cmpint (to->status, ==, OM_STAGE_STATUS_PENDING);
      g_assert_cmpuint (to->decided_on, ==, 0);
      g_assert_cmpuint (to->agreed_on, ==, 0);
      g_assert_cmpuint (to->baseline_due, ==, 0);
      g_assert_cmpstr (to->owner, ==, "");
      g_assert_cmpstr (to->client_owner, ==, "");
      g_assert_cmpstr (to->notes, ==, "");
      g_assert_cmpstr (to->lost_reason, ==, "");
    }
  g_assert_cmpstr (((OmStageData *) g_ptr_array_index (template->stages, 1))->client_description, ==,
                   "We agree how we decide");
  g_assert_true (om_template_data_validate (template, &error));
  g_assert_no_error (error);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

/* Add, rename, reorder and remove: each one edit, with its own label,
 * undone and redone in place */
static void
test_template_edits (void)
{
  g_autoptr(OmRepository) repo = om_repository_new (NULL);
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Fleet renewal", 3);
  g_autoptr(OmTemplateData) data = om_template_data_new_from_opportunity (plan, "  Ferries ");
  g_autoptr(OmTemplateData) renamed = NULL;
  g_autoptr(OmTemplateData) moved = NULL;
  g_autoptr(OmTemplateData) second = NULL;
  g_autoptr(GError) error = NULL;
  OmTemplate *template;
  OmTemplate *other;
  guint n_changed = 0;
  gint64 id;

  template = om_repository_add_template (repo, data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (template);
  g_assert_true (template_at (repo, 1) == template);
  g_assert_false (om_template_get_builtin (template));
  /* kept trimmed, under an id of its own */
  g_assert_cmpstr (om_template_get_name (template), ==, "Ferries");
  id = om_template_get_data (template)->id;
  g_assert_cmpint (id, >, 0);
  g_assert_true (om_repository_find_template (repo, id) == template);
  g_assert_true (om_template_get_builtin (om_repository_find_template (repo, 0)));
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "New Template");

  undo_ok (repo);
  g_assert_cmpuint (n_templates (repo), ==, 1);
  g_assert_null (om_repository_find_template (repo, id));
  redo_ok (repo);
  g_assert_cmpuint (n_templates (repo), ==, 2);
  template = template_at (repo, 1);
  g_assert_cmpint (om_template_get_data (template)->id, ==, id);

  renamed = om_template_data_copy (om_template_get_data (template));
  g_free (renamed->name);
  renamed->name = g_strdup ("Ferries, short");
  g_assert_true (om_repository_edit_template (repo, template, renamed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (om_template_get_name (template), ==, "Ferries, short");
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Rename Template");

  /* the last stage first, and the middle one out; whoever shows the
   * stages hears of it */
  moved = om_template_data_copy (om_template_get_data (template));
  g_ptr_array_insert (moved->stages, 0, g_ptr_array_steal_index (moved->stages, 2));
  g_ptr_array_remove_index (moved->stages, 2);
  g_signal_connect_swapped (template, "changed", G_CALLBACK (count_cb), &n_changed);
  g_assert_true (om_repository_edit_template (repo, template, moved, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Edit Template");
  g_assert_cmpuint (om_template_get_n_stages (template), ==, 2);
  g_assert_cmpstr (((OmStageData *) g_ptr_array_index (om_template_get_data (template)->stages, 0))->activity,
                   ==, "Activity 3");
  g_assert_cmpstr (((OmStageData *) g_ptr_array_index (om_template_get_data (template)->stages, 1))->activity,
                   ==, "Activity 1");
  /* the same again is no edit */
  g_assert_true (om_repository_edit_template (repo, template, moved, &error));
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Edit Template");
  undo_ok (repo);
  g_assert_cmpuint (n_changed, ==, 2);
  g_assert_cmpuint (om_template_get_n_stages (template), ==, 3);
  g_assert_cmpstr (om_template_get_name (template), ==, "Ferries, short");
  undo_ok (repo);
  g_assert_cmpstr (om_template_get_name (template), ==, "Ferries");
  redo_ok (repo);
  redo_ok (repo);
  g_assert_cmpuint (om_template_get_n_stages (template), ==, 2);

  /* removed, and back where it was, before a later one */
  second = om_template_data_new_from_opportunity (plan, "Second");
  other = om_repository_add_template (repo, second, &error);
  g_assert_no_error (error);
  g_assert_true (template_at (repo, 2) == other);
  g_assert_true (om_repository_remove_template (repo, template, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Remove Template");
  g_assert_cmpuint (n_templates (repo), ==, 2);
  g_assert_true (template_at (repo, 1) == other);
  undo_ok (repo);
  g_assert_cmpuint (n_templates (repo), ==, 3);
  g_assert_cmpint (om_template_get_data (template_at (repo, 1))->id, ==, id);
  g_assert_cmpstr (om_template_get_name (template_at (repo, 1)), ==, "Ferries, short");
  g_assert_true (template_at (repo, 2) == other);
}

#define assert_refused(call, code) \
  G_STMT_START { \
    g_autoptr(GError) _error = NULL; \
    guint _n = n_templates (repo); \
    const char *_label = om_repository_get_undo_label (repo); \
    g_assert_false (call); \
    g_assert_error (_error, OM_MODEL_ERROR, (code)); \
    g_assert_cmpuint (n_templates (repo), ==, _n); \
    g_assert_true (om_repository_get_undo_label (repo) == _label); \
  } G_STMT_END

/* The rules of stages, a name of its own, and the built-in recommended
 * process as it is; each refusal keeps nothing */
static void
test_template_refused (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Fleet renewal", 2);
  g_autoptr(OmTemplateData) data = om_template_data_new_from_opportunity (plan, "Ferries");
  g_autoptr(OmTemplateData) bad = NULL;
  g_autoptr(OmTemplateData) recommended = om_template_data_new_recommended ();
  g_autoptr(OmTemplate) builtin = g_object_ref (template_at (repo, 0));
  g_autoptr(OmTemplate) gone = NULL;
  g_autoptr(GError) error = NULL;
  OmTemplate *template;
  guint attempts;

  template = om_repository_add_template (repo, data, &error);
  g_assert_no_error (error);
  attempts = backend->n_attempts;

  bad = om_template_data_copy (data);
  g_free (bad->name);
  bad->name = g_strdup (" \t");
  assert_refused (om_repository_add_template (repo, bad, &_error) != NULL, OM_MODEL_ERROR_EMPTY_TITLE);
  assert_refused (om_repository_edit_template (repo, template, bad, &_error), OM_MODEL_ERROR_EMPTY_TITLE);

  g_clear_pointer (&bad, om_template_data_free);
  bad = om_template_data_new_from_opportunity (plan, "Other");
  g_free (((OmStageData *) g_ptr_array_index (bad->stages, 1))->milestone);
  ((OmStageData *) g_ptr_array_index (bad->stages, 1))->milestone = g_strdup ("  ");
  assert_refused (om_repository_add_template (repo, bad, &_error) != NULL, OM_MODEL_ERROR_EMPTY_MILESTONE);
  g_free (((OmStageData *) g_ptr_array_index (bad->stages, 1))->milestone);
  ((OmStageData *) g_ptr_array_index (bad->stages, 1))->milestone = g_strdup ("Signed");
  ((OmStageData *) g_ptr_array_index (bad->stages, 1))->probability = 1.5;
  assert_refused (om_repository_edit_template (repo, template, bad, &_error), OM_MODEL_ERROR_INVALID_PROBABILITY);

  /* a name is one template's: the user's, and the built-in one's */
  assert_refused (om_repository_add_template (repo, data, &_error) != NULL, OM_MODEL_ERROR_DUPLICATE_NAME);
  assert_refused (om_repository_add_template (repo, recommended, &_error) != NULL, OM_MODEL_ERROR_DUPLICATE_NAME);
  assert_refused (om_repository_edit_template (repo, template, recommended, &_error), OM_MODEL_ERROR_DUPLICATE_NAME);

  assert_refused (om_repository_edit_template (repo, builtin, data, &_error), OM_MODEL_ERROR_BUILT_IN);
  assert_refused (om_repository_remove_template (repo, builtin, &_error), OM_MODEL_ERROR_BUILT_IN);
  assert_refused (om_repository_can_change_template (repo, builtin, &_error), OM_MODEL_ERROR_BUILT_IN);
  g_assert_true (om_repository_can_change_template (repo, template, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (backend->n_attempts, ==, attempts);

  /* one removed (and brought back by undo as another object) is gone */
  gone = g_object_ref (template);
  g_assert_true (om_repository_remove_template (repo, template, &error));
  undo_ok (repo);
  assert_refused (om_repository_remove_template (repo, gone, &_error), OM_MODEL_ERROR_NOT_FOUND);
  assert_refused (om_repository_edit_template (repo, gone, data, &_error), OM_MODEL_ERROR_NOT_FOUND);
}

/* A backend that cannot keep the edit: nothing shown, nothing to undo */
static void
test_template_backend_failure (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(OmOpportunityData) plan = om_test_plan_new ("Fleet renewal", 2);
  g_autoptr(OmTemplateData) data = om_template_data_new_from_opportunity (plan, "Ferries");
  g_autoptr(GError) error = NULL;

  om_test_backend_set_failing (backend, TRUE);
  g_assert_null (om_repository_add_template (repo, data, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, OM_TEST_BACKEND_FAILURE);
  g_assert_cmpuint (n_templates (repo), ==, 1);
  g_assert_false (om_repository_get_can_undo (repo));
}

/* The backend */

/* No-op edits are not edits: nothing to keep, nothing to undo. */
static void
test_backend_no_op (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(Snapshot) snap = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(OmStageData) same = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  om_test_set_today (0);
  opp = create (repo, "Deal", 3);
  set_notes (opp, "x");
  snap = snapshot_new (repo);
  recorder = recorder_new (repo);
  om_test_backend_reset (backend);

  g_assert_true (om_opportunity_move_stage (opp, 1, 1, &error));
  g_assert_no_error (error);
  same = om_stage_data_copy (om_stage_get_data (om_opportunity_get_stage (opp, 2)));
  g_assert_true (om_opportunity_edit_stage (opp, 2, same, &error));
  g_assert_no_error (error);
  set_notes (opp, "x");

  g_assert_cmpuint (backend->n_attempts, ==, 0);
  snapshot_assert_same (snap, repo);
  om_test_assert_events (recorder, NULL, "");
}

typedef struct
{
  const char *name;
  EditFunc    func;
} FailureCase;

static gboolean
do_undo (OmRepository  *repo,
         OmOpportunity *opp,
         GError       **error)
{
  return om_repository_undo (repo, error);
}

static gboolean
do_redo (OmRepository  *repo,
         OmOpportunity *opp,
         GError       **error)
{
  return om_repository_redo (repo, error);
}

static const FailureCase failure_cases[] = {
  { "add", edit_add },
  { "remove", edit_remove },
  { "move-up", edit_move_up },
  { "move-down", edit_move_down },
  { "win", edit_win },
  { "lose", edit_lose },
  { "reopen", edit_reopen },
  { "edit-stage", edit_stage },
  { "edit", edit_opportunity },
  { "create", edit_create },
  { "remove-opportunity", edit_remove_opportunity },
  { "import", edit_import },
  { "undo", do_undo },
  { "redo", do_redo },
};

/*
 * The backend cannot keep the edit: the operation returns the backend's
 * error, and nothing changes: no value, no list, no signal, no undo
 * history. The history is proved intact by using it afterwards.
 */
static void
test_backend_failure (gconstpointer user_data)
{
  const FailureCase *fc = user_data;
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = NULL;
  g_autoptr(Snapshot) snap = NULL;
  g_autoptr(OmTestRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  om_test_set_today (0);
  repo = om_repository_new (OM_BACKEND (backend));
  opp = setting_new (repo);
  set_notes (opp, "before the failure");
  if (fc->func == do_redo)
    {
      win_ok (opp, 2);
      undo_ok (repo);
    }
  snap = snapshot_new (repo);
  recorder = recorder_new (repo);
  om_test_backend_reset (backend);

  om_test_backend_set_failing (backend, TRUE);
  om_test_set_today (3);
  g_assert_false (fc->func (repo, opp, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (error->message, ==, OM_TEST_BACKEND_FAILURE);
  g_assert_cmpuint (backend->n_attempts, ==, 1);
  g_assert_cmpuint (backend->calls->len, ==, 0);

  snapshot_assert_same (snap, repo);
  om_test_assert_events (recorder, NULL, "");

  /* the same history is there to use */
  om_test_backend_set_failing (backend, FALSE);
  if (fc->func == do_redo)
    {
      redo_ok (repo);
      g_assert_cmpint (om_stage_get_status (om_opportunity_get_stage (opp, 2)), ==, OM_STAGE_STATUS_WON);
      g_assert_false (om_repository_get_can_redo (repo));
    }
  else
    {
      g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Edit Opportunity");
      undo_ok (repo);
      g_assert_cmpstr (om_opportunity_get_notes (opp), ==, "");
      g_assert_cmpstr (om_repository_get_undo_label (repo), ==, "Mark Won");
      g_assert_cmpstr (om_repository_get_redo_label (repo), ==, "Edit Opportunity");
    }

  /* and the operation works once the backend does */
  if (fc->func != do_undo && fc->func != do_redo)
    {
      g_autoptr(GError) again = NULL;

      om_test_backend_reset (backend);
      g_assert_true (fc->func (repo, opp, &again));
      g_assert_no_error (again);
      g_assert_cmpuint (backend->calls->len, ==, 1);
    }
}

/* A failed write shows nothing, even to a repository with other
 * opportunities and templates watching. */
static void
test_backend_failure_create_ids (void)
{
  g_autoptr(OmTestBackend) backend = om_test_backend_new ();
  g_autoptr(OmRepository) repo = om_repository_new (OM_BACKEND (backend));
  g_autoptr(OmOpportunityData) data = om_test_plan_new ("Deal", 2);
  g_autoptr(GError) error = NULL;
  OmOpportunity *opp;

  om_test_set_today (0);
  om_test_backend_set_failing (backend, TRUE);
  g_assert_null (om_repository_create_opportunity (repo, data, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (n_opportunities (repo), ==, 0);
  g_assert_false (om_repository_get_can_undo (repo));

  om_test_backend_set_failing (backend, FALSE);
  opp = create (repo, "Deal", 2);
  g_assert_cmpint (om_opportunity_get_id (opp), ==, 1);
}

/* Undo keeps full copies of what each step changed: on a long plan the
 * oldest steps go, by how many stages they hold, not only by count;
 * the newest step is always kept */
static void
test_undo_bounded_by_stages (void)
{
  g_autoptr(OmRepository) repo = om_repository_new (NULL);
  OmOpportunity *opp;
  guint n_undone = 0;

  om_test_set_today (0);
  opp = create (repo, "Long plan", 30000);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (om_opportunity_move_stage (opp, 29999, 29998, &error));
      g_assert_no_error (error);
    }
  /* each move holds 60,000 stages (before and after): three fit in 200,000 */
  while (om_repository_get_can_undo (repo))
    {
      undo_ok (repo);
      n_undone++;
    }
  g_assert_cmpuint (n_undone, ==, 3);

  /* one step larger than the bound is still kept */
  {
    g_autoptr(OmRepository) other = om_repository_new (NULL);
    g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) om_opportunity_data_free);
    g_autoptr(GPtrArray) created = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 5; i++)
      g_ptr_array_add (many, om_test_plan_new ("Big", 50000));
    created = om_test_import (other, many, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (om_repository_get_can_undo (other));
    undo_ok (other);
    g_assert_cmpuint (g_list_model_get_n_items (om_repository_get_opportunities (other)), ==, 0);
  }
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

/* A window's list reads its first rows at once and the rest when the
 * main loop is idle, announced as added; looking for one not read yet
 * reads the rest first */
static void
test_list_first (void)
{
  g_autoptr(OmRepository) repo = om_repository_new (NULL);
  g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, NULL, OM_ORDER_ID);
  g_autoptr(OmOpportunityList) list = NULL;
  g_autoptr(OmOpportunityList) other = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  gint64 ids[10];

  om_test_set_today (0);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *title = g_strdup_printf ("Opportunity %u", i);
      ids[i] = om_opportunity_get_id (create (repo, title, 1));
    }

  list = om_repository_list_first (repo, query, 3);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpint (om_opportunity_list_get_id (list, 2), ==, ids[2]);
  /* the rest waits until asked for (a window asks after its first frame) */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpuint (om_opportunity_list_find_read (list, ids[2]), ==, 2);
  g_assert_cmpuint (om_opportunity_list_find_read (list, ids[8]), ==, G_MAXUINT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  om_opportunity_list_read_rest (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  g_assert_cmpstr (log->str, ==, "3-0+7 ");
  g_assert_cmpint (om_opportunity_list_get_id (list, 9), ==, ids[9]);
  om_opportunity_list_read_rest (list);
  g_assert_cmpstr (log->str, ==, "3-0+7 ");

  /* found before the rest is read: it is read then */
  other = om_repository_list_first (repo, query, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 3);
  g_assert_cmpuint (om_opportunity_list_find (other, ids[8]), ==, 8);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 10);
  g_assert_cmpuint (om_opportunity_list_find (other, 12345), ==, G_MAXUINT);
}

/* The earliest and latest close date of what @query selects, from the
 * whole list, as a view would find them by reading it all */
static void
close_range_of_list (OmRepository             *repo,
                     const OmOpportunityQuery *query,
                     OmDate                   *first,
                     OmDate                   *last)
{
  g_autoptr(OmOpportunityList) list = om_repository_list (repo, query);

  *first = *last = 0;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(OmOpportunity) opp = g_list_model_get_item (G_LIST_MODEL (list), i);
      OmDate close = om_opportunity_get_summary (opp)->close_date;

      if (close == 0)
        continue;
      *first = *first == 0 ? close : MIN (*first, close);
      *last = MAX (*last, close);
    }
}

/* The ends of the close dates, read from two rows of the backend: the
 * same as the whole list's, with any filter; a plan without stages has
 * none, and one that only such plans match gives none */
static void
test_close_range (void)
{
  g_autoptr(OmRepository) repo = om_repository_new (NULL);
  g_autoptr(GError) error = NULL;
  const int statuses[] = { -1, OM_OPPORTUNITY_STATUS_OPEN, OM_OPPORTUNITY_STATUS_WON };
  OmDate first, last, expected_first, expected_last;

  om_test_set_today (0);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *title = g_strdup_printf ("Opportunity %u", i);
      g_autoptr(OmOpportunityData) data = om_test_plan_new (title, i % 4);
      OmOpportunity *opp;

      data->start_date = om_test_day (-((int) (i * 5) % 17));
      opp = om_test_create (repo, data);
      if (i % 4 == 1)
        win_ok (opp, 0);
    }

  for (guint k = 0; k < G_N_ELEMENTS (statuses); k++)
    {
      g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (statuses[k], NULL, OM_ORDER_VALUE);

      om_repository_get_close_range (repo, query, &first, &last);
      close_range_of_list (repo, query, &expected_first, &expected_last);
      g_assert_cmpint (first, !=, 0);
      /* the won ones were all won today, their close date */
      if (statuses[k] != OM_OPPORTUNITY_STATUS_WON)
        g_assert_cmpint (last, >, first);
      g_assert_cmpint (first, ==, expected_first);
      g_assert_cmpint (last, ==, expected_last);
    }

  /* only plans without stages: no close date at either end */
  {
    g_autoptr(OmOpportunityQuery) query = om_opportunity_query_new (-1, "opportunity 8", OM_ORDER_SHOWN);

    om_repository_get_close_range (repo, query, &first, &last);
    g_assert_cmpint (first, ==, 0);
    g_assert_cmpint (last, ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/repository/create", test_create);
  g_test_add_func ("/repository/list/first", test_list_first);
  g_test_add_func ("/repository/list/close-range", test_close_range);
  g_test_add_func ("/repository/create/invalid", test_create_invalid);
  g_test_add_func ("/repository/create/undo-label", test_create_label);
  g_test_add_func ("/repository/load", test_load);
  g_test_add_func ("/repository/load/in-memory", test_load_in_memory);
  g_test_add_func ("/repository/remove", test_remove);
  g_test_add_func ("/repository/remove/undo-position", test_remove_undo_position);
  g_test_add_func ("/repository/detached/undo-create", test_undo_create_detaches);
  g_test_add_func ("/repository/detached/dry-run", test_detached_dry_run);
  g_test_add_func ("/repository/detached/remove", test_detached_remove);
  g_test_add_func ("/repository/detached/dispose", test_dispose_detaches);

  for (guint i = 0; i < G_N_ELEMENTS (edit_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/repository/undo-redo/%s", edit_cases[i].name);
      g_test_add_data_func (path, &edit_cases[i], test_undo_redo);
    }
  g_test_add_func ("/repository/undo-redo/sequence", test_undo_redo_sequence);
  g_test_add_func ("/repository/undo-redo/nothing", test_undo_nothing);
  g_test_add_func ("/repository/undo-redo/bounded-by-stages", test_undo_bounded_by_stages);
  g_test_add_func ("/repository/undo-redo/redo-cleared", test_redo_cleared);
  g_test_add_func ("/repository/undo-redo/properties", test_history_properties);
  g_test_add_func ("/repository/undo-redo/labels-notify", test_history_labels_notify);

  g_test_add_func ("/repository/import/one-step", test_import_one_step);
  g_test_add_func ("/repository/import/refused", test_import_refused);
  g_test_add_func ("/repository/import/replaces-template", test_import_replaces_template);

  g_test_add_func ("/repository/template/from-opportunity", test_template_from_opportunity);
  g_test_add_func ("/repository/template/edits", test_template_edits);
  g_test_add_func ("/repository/template/refused", test_template_refused);
  g_test_add_func ("/repository/template/backend-failure", test_template_backend_failure);

  g_test_add_func ("/repository/backend/no-op", test_backend_no_op);
  for (guint i = 0; i < G_N_ELEMENTS (failure_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/repository/backend/failure/%s", failure_cases[i].name);
      g_test_add_data_func (path, &failure_cases[i], test_backend_failure);
    }
  g_test_add_func ("/repository/backend/failure/create-ids", test_backend_failure_create_ids);

  return g_test_run ();
}
