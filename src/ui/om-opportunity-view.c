/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-calendar.h"
#include "om-fold-dialog.h"
#include "om-opportunity-view.h"
#include "om-plan-table.h"
#include "om-stage-editor.h"

/**
 * OmOpportunityView:
 *
 * One opportunity: its fields, its derived values (all of them, or one
 * line of the key ones while the details are folded), its process-health
 * warnings, the chain of its stages, the table of its stages and the
 * editor of the selected stage. Edits go
 * to the model as they are made; a refused one is reported through the
 * "refused" signal and the field shows the model's value again.
 */
struct _OmOpportunityView
{
  GtkWidget        parent_instance;

  OmOpportunity   *opportunity;
  gboolean         filling;

  GtkWidget       *paned;
  double           plan_share;    /* of the height, above the divider */
  int              paned_max;
  gboolean         placing;
  GtkWidget       *scroller;
  GtkEntry        *title_entry;
  gboolean         show_details;
  GtkWidget       *details_button;
  GtkImage        *details_arrow;
  GtkLabel        *digest_label;
  GtkRevealer     *details_revealer;
  GtkWidget       *fields_box;
  GtkEntry        *client_entry;
  GtkEntry        *coordinator_entry;
  GtkEntry        *value_entry;
  GtkEntry        *currency_entry;
  GtkMenuButton   *start_button;
  GtkCalendar     *start_calendar;
  GtkLabel        *status_label;
  GtkLabel        *chain_label;
  GtkLabel        *weakest_label;
  GtkLabel        *weighted_label;
  GtkLabel        *close_label;
  GtkLabel        *slip_label;
  GtkLabel        *pushes_label;
  GtkWidget       *summary_box;
  GtkMenuButton   *target_button;
  GtkPopover      *target_popover;
  GtkCalendar     *target_calendar;
  GtkWidget       *target_clear_button;
  GtkWidget       *warnings_box;
  GtkToggleButton *warnings_button;
  GtkImage        *warnings_arrow;
  GtkLabel        *warnings_count_label;
  GtkLabel        *warnings_first_label;
  GtkListBox      *warnings_list;
  GtkListBox      *history_list;
  GtkExpander     *history_expander;
  OmChainStrip    *strip;
  int              selected;  /* the table selects it once its rows settle */
  OmPlanTable     *table;
  OmStageEditor   *editor;
};

G_DEFINE_FINAL_TYPE (OmOpportunityView, om_opportunity_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_OPPORTUNITY,
  PROP_SELECTED,
  PROP_SHOW_DETAILS,
  N_PROPS
};

enum {
  REFUSED,
  DRAFT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Shows the model's value, but leaves alone what the user is typing: a
 * focused field that no longer holds what was last shown in it.
 *
 * The model's value is where the field's own undo history starts: Ctrl+Z
 * undoes what was typed since, and never goes back past it (it once
 * brought back the empty field of before, which leaving it then saved);
 * what was committed is undone by the window's history. */
static void
set_entry (GtkEntry   *entry,
           const char *text,
           gboolean    force)
{
  const char *shown = g_object_get_data (G_OBJECT (entry), "om-shown");
  const char *current = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *value = g_strdup (text); /* @text may be @shown */

  if (!force && gtk_widget_get_focus_child (GTK_WIDGET (entry)) != NULL && g_strcmp0 (current, shown) != 0)
    return;
  /* turning the history off forgets it */
  gtk_editable_set_enable_undo (GTK_EDITABLE (entry), FALSE);
  if (g_strcmp0 (current, value) != 0)
    gtk_editable_set_text (GTK_EDITABLE (entry), value);
  gtk_editable_set_enable_undo (GTK_EDITABLE (entry), TRUE);
  /* what the entry holds, which is less than a value past its 65,535
   * characters: that the field shows less is no edit */
  g_object_set_data_full (G_OBJECT (entry), "om-shown",
                          g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))), g_free);
}

/* The field's value to commit: the model's own while nothing was typed */
static void
take_entry (GtkEntry  *entry,
            char     **field)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (g_strcmp0 (text, g_object_get_data (G_OBJECT (entry), "om-shown")) == 0)
    return;
  g_free (*field);
  *field = om_strdup_trimmed (text);
}

static char *
format_percent (double p)
{
  /* Translators: a probability as a percentage */
  return g_strdup_printf (_("%.0f %%"), p * 100.0);
}

/* Remedies: what each health warning (SPEC 4) offers to do about it */

static void set_selected (OmOpportunityView *self,
                          int                position);

typedef enum
{
  REMEDY_NONE,
  REMEDY_FOLD,                  /* too-complex */
  REMEDY_ADD_PROCESS_MEETING,   /* no-process-agreement */
  REMEDY_OWNER,                 /* no-owner */
  REMEDY_RESCHEDULE,            /* overdue, pinned-conflict, next-not-agreed */
  REMEDY_PROBABILITY,           /* weak-link */
  REMEDY_HISTORY,               /* past-target, pushed, slipped */
} Remedy;

static Remedy
remedy_of (const char *code)
{
  static const struct
  {
    const char *code;
    Remedy      remedy;
  } remedies[] = {
    { "too-complex", REMEDY_FOLD },
    { "no-process-agreement", REMEDY_ADD_PROCESS_MEETING },
    { "no-owner", REMEDY_OWNER },
    { "overdue", REMEDY_RESCHEDULE },
    { "pinned-conflict", REMEDY_RESCHEDULE },
    { "next-not-agreed", REMEDY_RESCHEDULE },
    { "weak-link", REMEDY_PROBABILITY },
    { "past-target", REMEDY_HISTORY },
    { "pushed", REMEDY_HISTORY },
    { "slipped", REMEDY_HISTORY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (remedies); i++)
    if (g_strcmp0 (code, remedies[i].code) == 0)
      return remedies[i].remedy;
  return REMEDY_NONE;
}

static void
fold_done_cb (OmFoldDialog      *dialog,
              guint              first,
              OmOpportunityView *self)
{
  /* the study, whose scope and owners the person may want to check */
  set_selected (self, (int) first + 1);
}

/* The run to simplify: the rows chosen with Shift in the table, or what
 * the too-complex warning proposes, or else the stage selected (the
 * current one if none) and the next */
static void
fold_run (OmOpportunityView *self,
          guint             *first,
          guint             *last)
{
  int from = self->selected >= 0 ? self->selected : om_opportunity_get_current_stage (self->opportunity);

  /* the rows chosen with Shift in the table, first */
  if (om_plan_table_get_range (self->table, first, last))
    return;
  if (om_opportunity_data_propose_fold (om_opportunity_get_data (self->opportunity), first, last))
    return;
  *first = (guint) MAX (0, from);
  *last = *first + 1;
}

/* Opens the dialog on fold_run() */
static void
open_fold_dialog (OmOpportunityView *self)
{
  guint first = 0, last = 1;
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  fold_run (self, &first, &last);
  dialog = om_fold_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->opportunity, first, last);
  g_signal_connect_object (dialog, "folded", G_CALLBACK (fold_done_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_process_meeting (OmOpportunityView *self)
{
  g_autoptr(GError) error = NULL;
  guint position = 0;

  if (!om_opportunity_add_process_agreement (self->opportunity, &position, &error))
    {
      g_signal_emit (self, signals[REFUSED], 0, error->message);
      return;
    }
  /* to be made this client's: its activity first */
  set_selected (self, (int) position);
  om_stage_editor_focus_field (self->editor, OM_STAGE_EDITOR_FIELD_ACTIVITY);
}

static void
remedy_clicked_cb (GtkButton         *button,
                   OmOpportunityView *self)
{
  Remedy remedy = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "remedy"));
  int stage = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "stage"));

  switch (remedy)
    {
    case REMEDY_FOLD:
      open_fold_dialog (self);
      break;
    case REMEDY_ADD_PROCESS_MEETING:
      add_process_meeting (self);
      break;
    case REMEDY_OWNER:
      set_selected (self, stage);
      om_stage_editor_focus_field (self->editor, OM_STAGE_EDITOR_FIELD_OWNER);
      break;
    case REMEDY_PROBABILITY:
      set_selected (self, stage);
      om_stage_editor_focus_field (self->editor, OM_STAGE_EDITOR_FIELD_PROBABILITY);
      break;
    case REMEDY_RESCHEDULE:
      set_selected (self, stage);
      om_stage_editor_reschedule (self->editor);
      break;
    case REMEDY_HISTORY:
      gtk_expander_set_expanded (self->history_expander, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->history_expander));
      break;
    case REMEDY_NONE:
    default:
      set_selected (self, stage);
      om_plan_table_focus_stage (self->table, (guint) stage);
      break;
    }
}

/* The button that offers @w's remedy: its label, and what it will do as
 * its tooltip and accessible name (or why it cannot, greyed out) */
static GtkWidget *
remedy_button (OmOpportunityView     *self,
               const OmHealthWarning *w)
{
  Remedy remedy = remedy_of (w->code);
  int n = w->stage + 1;
  g_autoptr(GError) refusal = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = g_strconcat ("remedy-", w->code, NULL);
  const char *label;
  GtkWidget *button;

  switch (remedy)
    {
    case REMEDY_FOLD:
      label = _("Simplify…");
      name = g_strdup (_("Simplify the plan: replace stages by a Feasibility Study"));
      break;
    case REMEDY_ADD_PROCESS_MEETING:
      label = _("Add Process Meeting");
      name = g_strdup (_("Add the process meeting among the first two stages"));
      om_opportunity_can_add_process_agreement (self->opportunity, &refusal);
      break;
    case REMEDY_OWNER:
      label = _("Give an Owner");
      name = g_strdup_printf (_("Give stage %d an owner"), n);
      break;
    case REMEDY_RESCHEDULE:
      label = _("Reschedule…");
      name = g_strdup_printf (_("Reschedule stage %d: agree a date with the client"), n);
      om_opportunity_can_agree_date (self->opportunity, (guint) w->stage, &refusal);
      break;
    case REMEDY_PROBABILITY:
      label = _("Review Probability");
      name = g_strdup_printf (_("Review the probability of stage %d, the weakest link"), n);
      break;
    case REMEDY_HISTORY:
      label = _("Show History");
      name = g_strdup (_("Show the history of the plan’s dates"));
      break;
    case REMEDY_NONE:
    default:
      if (w->stage < 0)
        return NULL;
      label = _("Show Stage");
      name = g_strdup_printf (_("Show stage %d"), n);
      break;
    }

  button = gtk_button_new_with_label (label);
  gtk_widget_set_name (button, id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  om_accessible_set_tooltip (button, refusal != NULL ? refusal->message : name);
  gtk_widget_set_sensitive (button, refusal == NULL);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "remedy", GINT_TO_POINTER (remedy));
  g_object_set_data (G_OBJECT (button), "stage", GINT_TO_POINTER (w->stage));
  g_signal_connect (button, "clicked", G_CALLBACK (remedy_clicked_cb), self);
  return button;
}

static void
add_warning_row (OmOpportunityView     *self,
                 const OmHealthWarning *w)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (w->message);
  GtkWidget *button;
  /* Translators: how a screen reader reads a process-health warning */
  g_autofree char *name = g_strdup_printf (_("Warning: %s"), w->message);

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 6);
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* a quoted value may be one long word: it breaks where it must */
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), label);
  button = remedy_button (self, w);
  if (button != NULL)
    gtk_box_append (GTK_BOX (row), button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), row);
  /* the row is read, its button is what Tab reaches */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_list_box_append (self->warnings_list, list_row);
}

/* Open, the list says the first warning again: the line only counts */
static void
warnings_toggled_cb (OmOpportunityView *self)
{
  gboolean open = gtk_toggle_button_get_active (self->warnings_button);

  gtk_widget_set_visible (GTK_WIDGET (self->warnings_first_label), !open);
  gtk_image_set_from_icon_name (self->warnings_arrow, open ? "pan-down-symbolic" : "pan-end-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->warnings_button), GTK_ACCESSIBLE_STATE_EXPANDED, open, -1);
}

/* The model's warnings as they are, one row each: a warning about
 * several stages is already one warning, with the stage to show. The
 * summary line counts them and quotes the first. */
static void
fill_warnings (OmOpportunityView *self)
{
  g_autoptr(GPtrArray) warnings = om_opportunity_check_health (self->opportunity);
  g_autofree char *count = NULL;
  g_autofree char *name = NULL;
  const char *first;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_list))) != NULL)
    gtk_list_box_remove (self->warnings_list, child);

  for (guint i = 0; i < warnings->len; i++)
    {
      const OmHealthWarning *w = g_ptr_array_index (warnings, i);

      add_warning_row (self, w);
    }
  gtk_widget_set_visible (self->warnings_box, warnings->len > 0);
  if (warnings->len == 0)
    return;

  first = ((const OmHealthWarning *) g_ptr_array_index (warnings, 0))->message;
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings->len), warnings->len);
  gtk_label_set_text (self->warnings_count_label, count);
  gtk_label_set_text (self->warnings_first_label, first);
  om_accessible_set_tooltip (GTK_WIDGET (self->warnings_first_label), first);
  /* Translators: how a screen reader reads the warnings' summary line,
   * e.g. "Process health: 3 warnings. First: Nobody conducts stage 5" */
  name = g_strdup_printf (_("Process health: %s. First: %s"), count, first);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->warnings_button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* What the dates say of the plan as a whole: the close date, how far
 * it slipped against the baseline, how often it was pushed, and the
 * client's deadline */
static void
fill_schedule (OmOpportunityView *self)
{
  OmOpportunity *opp = self->opportunity;
  OmDate close = om_opportunity_get_close_date (opp);
  OmDate baseline = om_opportunity_get_baseline_close_date (opp);
  OmDate target = om_opportunity_get_target_date (opp);
  guint pushes = om_opportunity_get_pushes (opp);
  g_autofree char *close_text = close ? om_date_format (close) : g_strdup (_("No stages"));
  g_autofree char *slip_text = NULL;
  g_autofree char *pushes_text = NULL;
  g_autofree char *target_text = target ? om_date_format (target) : g_strdup (_("None"));

  gtk_label_set_text (self->close_label, close_text);
  if (baseline == 0 || close == 0)
    slip_text = g_strdup (_("No baseline"));
  else if (close == baseline)
    slip_text = g_strdup (_("On the baseline"));
  else if (close > baseline)
    slip_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day later", "%u days later", close - baseline),
                                 close - baseline);
  else
    slip_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day earlier", "%u days earlier", baseline - close),
                                 baseline - close);
  gtk_label_set_text (self->slip_label, slip_text);
  if (baseline != 0)
    {
      g_autofree char *b = om_date_format (baseline);
      g_autofree char *tip = g_strdup_printf (_("The baseline closes on %s"), b);
      om_accessible_set_tooltip (GTK_WIDGET (self->slip_label), tip);
    }
  else
    om_accessible_set_tooltip (GTK_WIDGET (self->slip_label), NULL);
  pushes_text = pushes == 0 ? g_strdup (_("Never"))
                            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u time", "%u times", pushes), pushes);
  gtk_label_set_text (self->pushes_label, pushes_text);

  gtk_menu_button_set_label (self->target_button, target_text);
  {
    g_autoptr(GDateTime) dt = om_date_to_date_time (target ? target : (close ? close : om_date_today ()));

    if (dt != NULL)
      gtk_calendar_select_day (self->target_calendar, dt);
  }
  gtk_widget_set_sensitive (self->target_clear_button, target != 0);
}

#define DIGEST_CLIENT_CHARS 32

/* The line under the title while the details are folded: the client
 * and the key figures, in the words the figures' own labels show */
static void
fill_digest (OmOpportunityView *self)
{
  OmOpportunity *opp = self->opportunity;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  const char *client = om_opportunity_get_client (opp);

  /* the client as the list of opportunities shows it, in short: the
   * figures are what the line is for, and all of a long name is one key
   * away */
  if (client != NULL && client[0] != '\0')
    {
      g_autofree char *excerpt = om_text_excerpt (client);

      if (g_utf8_strlen (excerpt, -1) > DIGEST_CLIENT_CHARS)
        {
          g_autofree char *start = g_utf8_substring (excerpt, 0, DIGEST_CLIENT_CHARS - 1);

          g_ptr_array_add (parts, g_strconcat (start, "…", NULL));
        }
      else
        g_ptr_array_add (parts, g_steal_pointer (&excerpt));
    }
  g_ptr_array_add (parts, g_strdup (gtk_label_get_text (self->status_label)));
  /* Translators: in the line of key figures, e.g. "chain 17 %" */
  g_ptr_array_add (parts, g_strdup_printf (_("chain %s"), gtk_label_get_text (self->chain_label)));
  /* Translators: in the line of key figures, e.g. "weighted EUR 114,340.39" */
  g_ptr_array_add (parts, g_strdup_printf (_("weighted %s"), gtk_label_get_text (self->weighted_label)));
  if (om_opportunity_get_close_date (opp) != 0)
    /* Translators: in the line of key figures, e.g. "closes 28 Mar 2025" */
    g_ptr_array_add (parts, g_strdup_printf (_("closes %s"), gtk_label_get_text (self->close_label)));
  if (om_opportunity_get_target_date (opp) != 0)
    /* Translators: in the line of key figures, e.g. "client’s deadline 1 Mar 2025" */
    g_ptr_array_add (parts, g_strdup_printf (_("client’s deadline %s"),
                                             gtk_menu_button_get_label (self->target_button)));
  g_ptr_array_add (parts, NULL);
  /* Translators: what separates the key figures on their line */
  line = g_strjoinv (_(" · "), (char **) parts->pdata);
  gtk_label_set_text (self->digest_label, line);
}

/* History */

typedef struct
{
  OmDate      on;
  guint       order;       /* within a day: as recorded */
  char       *what;
  const char *note;
  int         reopen;      /* the stage Reopen would undo here, or -1 */
} HistoryRow;

static void
history_reopen_clicked_cb (GtkButton         *button,
                           OmOpportunityView *self)
{
  g_autoptr(GError) error = NULL;
  int stage = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "stage"));

  if (!om_opportunity_reopen_stage (self->opportunity, (guint) stage, NULL, &error))
    g_signal_emit (self, signals[REFUSED], 0, error->message);
}

static char *
describe_decision (const OmOpportunityData *data,
                   const OmHistoryEntry    *h)
{
  const OmStageData *stage = om_opportunity_data_get_stage (data, h->stage);
  g_autofree char *name = om_stage_data_describe (stage, h->stage);

  if (h->to == OM_STAGE_STATUS_WON)
    return g_strdup_printf (_("%s won"), name);
  if (h->to == OM_STAGE_STATUS_LOST)
    return g_strdup_printf (_("%s lost"), name);
  return g_strdup_printf (_("%s reopened"), name);
}

static char *
describe_schedule (const OmOpportunityData *data,
                   const OmScheduleEntry   *e)
{
  g_autofree char *from = e->from ? om_date_format (e->from) : NULL;
  g_autofree char *to = e->to ? om_date_format (e->to) : NULL;

  switch (e->what)
    {
    case OM_SCHEDULE_AGREED_DATE:
      {
        const OmStageData *stage = om_opportunity_data_get_stage (data, (guint) e->stage);
        g_autofree char *name = om_stage_data_describe (stage, (guint) e->stage);

        if (to == NULL)
          return g_strdup_printf (_("%s no longer agreed for %s"), name, from);
        if (from == NULL)
          return g_strdup_printf (_("%s agreed with the client for %s"), name, to);
        return g_strdup_printf (_("%s agreed for %s instead of %s"), name, to, from);
      }
    case OM_SCHEDULE_FOLD:
      if (e->from == e->to || from == NULL || to == NULL)
        return g_strdup (_("Simplified with a Feasibility Study"));
      return g_strdup_printf (_("Simplified with a Feasibility Study: the plan closes on %s instead of %s"), to, from);
    case OM_SCHEDULE_BASELINE:
      if (from == NULL)
        return g_strdup_printf (_("Baseline taken: the plan closes on %s"), to);
      return g_strdup_printf (_("Baseline taken again: the plan closes on %s instead of %s"), to, from);
    case OM_SCHEDULE_CLOSE_DATE:
    default:
      if (from == NULL)
        return g_strdup_printf (_("Close date set to %s"), to);
      if (to == NULL)
        return g_strdup_printf (_("Close date %s removed: the plan has no stages"), from);
      if (e->to > e->from)
        return g_strdup_printf (_("Close date pushed from %s to %s"), from, to);
      return g_strdup_printf (_("Close date brought forward from %s to %s"), from, to);
    }
}

static int
history_row_compare (gconstpointer a,
                     gconstpointer b)
{
  const HistoryRow *ra = a, *rb = b;

  /* newest first */
  if (ra->on != rb->on)
    return ra->on > rb->on ? -1 : 1;
  return ra->order > rb->order ? -1 : ra->order < rb->order;
}

static GtkWidget *
history_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  return label;
}

/* Every decision and schedule change, dated, newest first; Reopen on
 * the decision it would undo */
static void
fill_history (OmOpportunityView *self)
{
  const OmOpportunityData *data = om_opportunity_get_data (self->opportunity);
  int reopen = om_opportunity_get_reopen_stage (self->opportunity);
  int reopen_entry = -1;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (HistoryRow));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  /* a long story is told when someone opens it */
  if (!gtk_expander_get_expanded (self->history_expander))
    return;

  for (guint k = 0; reopen >= 0 && k < data->history->len; k++)
    {
      const OmHistoryEntry *h = g_ptr_array_index (data->history, k);
      if ((int) h->stage == reopen && h->to != OM_STAGE_STATUS_PENDING)
        reopen_entry = (int) k;
    }
  /* within a day, a schedule change is told as coming after the
   * decisions: a decision moves the close date and may take the
   * baseline, on the day it is taken */
  for (guint k = 0; k < data->history->len; k++)
    {
      const OmHistoryEntry *h = g_ptr_array_index (data->history, k);
      HistoryRow row = { h->on, k, describe_decision (data, h), h->note, (int) k == reopen_entry ? reopen : -1 };
      g_array_append_val (rows, row);
    }
  for (guint k = 0; k < data->schedule->len; k++)
    {
      const OmScheduleEntry *e = g_ptr_array_index (data->schedule, k);
      HistoryRow row = { e->on, G_MAXUINT / 2 + k, describe_schedule (data, e), e->note, -1 };
      g_array_append_val (rows, row);
    }
  g_array_sort (rows, history_row_compare);

  for (guint i = 0; i < rows->len; i++)
    {
      HistoryRow *row = &g_array_index (rows, HistoryRow, i);
      GtkWidget *list_row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *on = om_date_format (row->on);
      GtkWidget *date = gtk_label_new (on);
      g_autofree char *name = NULL;

      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 6);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_add_css_class (date, "dim-label");
      gtk_widget_add_css_class (date, "numeric");
      gtk_label_set_xalign (GTK_LABEL (date), 0);
      gtk_label_set_width_chars (GTK_LABEL (date), 12);
      gtk_widget_set_hexpand (text, TRUE);
      gtk_box_append (GTK_BOX (text), history_label (row->what));
      if (!om_str_is_blank (row->note))
        {
          GtkWidget *note = history_label (row->note);

          gtk_widget_add_css_class (note, "dim-label");
          gtk_box_append (GTK_BOX (text), note);
          name = g_strdup_printf ("%s: %s (%s)", on, row->what, row->note);
        }
      else
        name = g_strdup_printf ("%s: %s", on, row->what);
      gtk_box_append (GTK_BOX (box), date);
      gtk_box_append (GTK_BOX (box), text);
      if (row->reopen >= 0)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Reopen"));
          /* Translators: what the Reopen button of a history entry does */
          g_autofree char *label = g_strdup_printf (_("Reopen stage %d: undo this decision"), row->reopen + 1);

          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          om_accessible_set_tooltip (button, label);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (button), "stage", GINT_TO_POINTER (row->reopen));
          g_signal_connect (button, "clicked", G_CALLBACK (history_reopen_clicked_cb), self);
          gtk_box_append (GTK_BOX (box), button);
        }
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_list_box_append (self->history_list, list_row);
      g_free (row->what);
    }
  if (rows->len == 0)
    {
      GtkWidget *empty = gtk_label_new (_("Nothing decided or rescheduled yet."));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_list_box_append (self->history_list, empty);
    }
}

static void
history_expanded_cb (OmOpportunityView *self)
{
  if (self->opportunity != NULL)
    fill_history (self);
}

static void
fill_fields (OmOpportunityView *self,
             gboolean           force)
{
  OmOpportunity *opp = self->opportunity;
  /* as the user's locale writes money: "1.250.000,00" in German */
  g_autofree char *value = om_money_format_number (om_opportunity_get_value (opp), om_opportunity_get_currency (opp));

  self->filling = TRUE;
  set_entry (self->title_entry, om_opportunity_get_title (opp), force);
  set_entry (self->client_entry, om_opportunity_get_client (opp), force);
  set_entry (self->coordinator_entry, om_opportunity_get_coordinator (opp), force);
  set_entry (self->value_entry, value, force);
  set_entry (self->currency_entry, om_opportunity_get_currency (opp), force);
  self->filling = FALSE;
}

static void
fill (OmOpportunityView *self)
{
  OmOpportunity *opp = self->opportunity;
  g_autofree char *start = NULL;
  g_autofree char *chain = NULL;
  g_autofree char *weighted = NULL;
  g_autofree char *weakest = NULL;
  g_autofree char *status = NULL;
  int weak;

  if (opp == NULL)
    return;

  fill_fields (self, FALSE);
  self->filling = TRUE;

  start = om_date_format (om_opportunity_get_start_date (opp));
  gtk_menu_button_set_label (self->start_button, start);
  {
    g_autoptr(GDateTime) dt = om_date_to_date_time (om_opportunity_get_start_date (opp));

    if (dt != NULL)
      gtk_calendar_select_day (self->start_calendar, dt);
  }

  /* Translators: status, then how many stages are won, e.g. "Open · 2 of 6 won" */
  status = g_strdup_printf (_("%s · %u of %u won"),
                            om_opportunity_status_to_label (om_opportunity_get_status (opp)),
                            om_opportunity_get_n_won (opp), om_opportunity_get_n_stages (opp));
  gtk_label_set_text (self->status_label, status);
  chain = format_percent (om_opportunity_get_chain_probability (opp));
  gtk_label_set_text (self->chain_label, chain);
  weak = om_opportunity_get_weakest_link (opp);
  if (weak >= 0)
    {
      OmStage *stage = om_opportunity_get_stage (opp, (guint) weak);
      g_autofree char *p = format_percent (om_stage_get_probability (stage));
      g_autofree char *activity = om_text_excerpt (om_stage_get_activity (stage));
      weakest = g_strdup_printf (_("%d. %s (%s)"), weak + 1, activity, p);
    }
  gtk_label_set_text (self->weakest_label, weakest ? weakest : _("None"));
  om_accessible_set_tooltip (GTK_WIDGET (self->weakest_label), weakest);
  weighted = om_money_format ((gint64) om_opportunity_get_weighted_value (opp), om_opportunity_get_currency (opp));
  gtk_label_set_text (self->weighted_label, weighted);

  fill_schedule (self);
  fill_digest (self);
  fill_warnings (self);
  fill_history (self);
  self->filling = FALSE;
}

static void set_selected (OmOpportunityView *self,
                          int                position);

static void
opportunity_notify_cb (OmOpportunityView *self)
{
  /* a stage removed may have been the one selected */
  set_selected (self, self->selected);
  fill (self);
  /* what was typed may be committed now, or undone */
  g_signal_emit (self, signals[DRAFT_CHANGED], 0);
}

static void
refuse (OmOpportunityView *self,
        const GError      *error)
{
  g_signal_emit (self, signals[REFUSED], 0, error->message);
  /* the fields show what the model holds */
  fill_fields (self, TRUE);
}

/* One path for every field: copy, change, hand to the model. */
/* @start_date, @target_date: a day chosen in a calendar, or NULL to
 * keep the one shown (a target of 0: no deadline) */
static void
commit_fields (OmOpportunityView *self,
               const OmDate      *start_date,
               const OmDate      *target_date)
{
  g_autoptr(OmOpportunityData) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value_text = NULL;

  if (self->filling || self->opportunity == NULL)
    return;

  edited = om_opportunity_data_copy (om_opportunity_get_data (self->opportunity));
  take_entry (self->title_entry, &edited->title);
  take_entry (self->client_entry, &edited->client);
  take_entry (self->coordinator_entry, &edited->coordinator);
  g_free (edited->currency);
  edited->currency = g_ascii_strup (gtk_editable_get_text (GTK_EDITABLE (self->currency_entry)), -1);
  if (start_date != NULL)
    edited->start_date = *start_date;
  if (target_date != NULL)
    edited->target_date = *target_date;

  value_text = om_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->value_entry)));
  if (!om_money_parse_locale (value_text, edited->currency, &edited->value, &error))
    {
      /* said, and what was typed stays in the field to be put right */
      g_signal_emit (self, signals[REFUSED], 0, error->message);
      return;
    }

  /* nothing typed: nothing to commit, not even to an opportunity that
   * an undo has just removed */
  if (om_opportunity_data_equal (om_opportunity_get_data (self->opportunity), edited, TRUE))
    fill_fields (self, TRUE);
  else if (!om_opportunity_edit (self->opportunity, edited, &error))
    refuse (self, error);
  else
    /* as the model keeps it: "eur" becomes "EUR", "12.5" becomes "12.50" */
    fill_fields (self, TRUE);
}

static void
draft_changed_cb (OmOpportunityView *self)
{
  g_signal_emit (self, signals[DRAFT_CHANGED], 0);
}

static void
entry_activate_cb (GtkEntry          *entry,
                   OmOpportunityView *self)
{
  commit_fields (self, NULL, NULL);
}

static void
entry_leave_cb (GtkEventControllerFocus *controller,
                OmOpportunityView       *self)
{
  commit_fields (self, NULL, NULL);
}

/* Escape gives up what was typed: the field shows the model's value */
static gboolean
entry_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      OmOpportunityView     *self)
{
  GtkEntry *entry = GTK_ENTRY (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  const char *shown = g_object_get_data (G_OBJECT (entry), "om-shown");

  if (keyval != GDK_KEY_Escape || self->opportunity == NULL ||
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), shown) == 0)
    return GDK_EVENT_PROPAGATE;

  set_entry (entry, shown, TRUE);
  return GDK_EVENT_STOP;
}

static void
day_selected_cb (GtkCalendar       *calendar,
                 OmOpportunityView *self)
{
  g_autoptr(GDateTime) dt = gtk_calendar_get_date (calendar);

  OmDate start = om_date_from_date_time (dt);

  if (self->filling || om_calendar_is_browsing (calendar))
    return;
  commit_fields (self, &start, NULL);
  gtk_menu_button_popdown (self->start_button);
}

static void
target_day_selected_cb (GtkCalendar       *calendar,
                        OmOpportunityView *self)
{
  g_autoptr(GDateTime) dt = gtk_calendar_get_date (calendar);
  OmDate target = om_date_from_date_time (dt);

  if (self->filling || om_calendar_is_browsing (calendar))
    return;
  gtk_popover_popdown (self->target_popover);
  commit_fields (self, NULL, &target);
}

static void
target_clear_clicked_cb (GtkButton         *button,
                         OmOpportunityView *self)
{
  OmDate none = 0;

  gtk_popover_popdown (self->target_popover);
  commit_fields (self, NULL, &none);
}

/* The stage selected, everywhere: the table's row, the strip's segment,
 * the editor. Kept here as well as in the table, which selects a row
 * only once the stages have settled after a change. */
static void
set_selected (OmOpportunityView *self,
              int                position)
{
  guint n = self->opportunity != NULL ? om_opportunity_get_n_stages (self->opportunity) : 0;

  if (position < 0 || (guint) position >= n)
    position = -1;
  if (om_plan_table_get_selected (self->table) != position)
    om_plan_table_set_selected (self->table, position);
  if (self->selected == position)
    return;
  self->selected = position;
  om_chain_strip_set_selected (self->strip, position);
  om_stage_editor_set_stage (self->editor, self->opportunity, position);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* a row chosen in the table is the stage selected, everywhere */
static void
table_selected_cb (OmOpportunityView *self)
{
  int selected = om_plan_table_get_selected (self->table);

  /* none: the rows are changing under the selection, or it was taken
   * away from a row; the stage stays selected */
  if (selected >= 0 && selected != self->selected)
    set_selected (self, selected);
}

static void
strip_stage_activated_cb (OmChainStrip      *strip,
                          int                position,
                          OmOpportunityView *self)
{
  om_opportunity_view_select_stage (self, position);
}

/* the editor's and the table's refusals, passed on to the window */
static void
child_refused_cb (GtkWidget         *child,
                  const char        *message,
                  OmOpportunityView *self)
{
  g_signal_emit (self, signals[REFUSED], 0, message);
}

static void
watch_entry (OmOpportunityView *self,
             GtkEntry          *entry)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (entry, "activate", G_CALLBACK (entry_activate_cb), self);
  g_signal_connect (focus, "leave", G_CALLBACK (entry_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (entry), focus);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (entry), keys);
}

static void
om_opportunity_view_dispose (GObject *object)
{
  OmOpportunityView *self = (OmOpportunityView *) object;

  om_opportunity_view_set_opportunity (self, NULL);
  g_clear_pointer (&self->paned, gtk_widget_unparent);

  G_OBJECT_CLASS (om_opportunity_view_parent_class)->dispose (object);
}

static void
om_opportunity_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OmOpportunityView *self = OM_OPPORTUNITY_VIEW (object);

  switch (prop_id)
    {
    case PROP_OPPORTUNITY:
      g_value_set_object (value, self->opportunity);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, om_opportunity_view_get_selected (self));
      break;
    case PROP_SHOW_DETAILS:
      g_value_set_boolean (value, self->show_details);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_opportunity_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  OmOpportunityView *self = OM_OPPORTUNITY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_DETAILS:
      om_opportunity_view_set_show_details (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_opportunity_view_class_init (OmOpportunityViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_opportunity_view_dispose;
  object_class->get_property = om_opportunity_view_get_property;
  object_class->set_property = om_opportunity_view_set_property;

  properties[PROP_OPPORTUNITY] =
    g_param_spec_object ("opportunity", NULL, NULL, OM_TYPE_OPPORTUNITY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * OmOpportunityView:show-details:
   *
   * Whether the opportunity's fields and all its figures are shown above
   * the plan, or folded into one line of its key figures under the title
   * (the view.show-details action; the window keeps it in GSettings).
   */
  properties[PROP_SHOW_DETAILS] =
    g_param_spec_boolean ("show-details", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmOpportunityView::refused:
   * @message: the model's explanation
   */
  signals[REFUSED] = g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * OmOpportunityView::draft-changed:
   *
   * What is typed into the title or client field changed, or was
   * committed, or another opportunity is shown: see
   * om_opportunity_view_get_draft().
   */
  signals[DRAFT_CHANGED] = g_signal_new ("draft-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (OM_TYPE_CHAIN_STRIP);
  g_type_ensure (OM_TYPE_PLAN_TABLE);
  g_type_ensure (OM_TYPE_STAGE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/OppManager/om-opportunity-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, paned);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, scroller);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, title_entry);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, details_button);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, details_arrow);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, digest_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, details_revealer);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, fields_box);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, summary_box);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, client_entry);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, coordinator_entry);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, value_entry);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, currency_entry);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, start_button);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, start_calendar);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, status_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, chain_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, weakest_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, weighted_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, warnings_button);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, warnings_arrow);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, warnings_count_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, warnings_first_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, close_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, slip_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, pushes_label);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, target_button);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, target_popover);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, target_calendar);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, target_clear_button);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, history_list);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, history_expander);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, strip);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, table);
  gtk_widget_class_bind_template_child (widget_class, OmOpportunityView, editor);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_property_action (widget_class, "view.show-details", "show-details");
}

/* The details shown, or folded into the line under the title */
static void
show_details_changed (OmOpportunityView *self)
{
  /* folded, it takes no room, not even the page's spacing around it */
  if (self->show_details)
    gtk_widget_set_visible (GTK_WIDGET (self->details_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->details_revealer, self->show_details);
  gtk_widget_set_visible (GTK_WIDGET (self->digest_label), !self->show_details);
  gtk_image_set_from_icon_name (self->details_arrow, self->show_details ? "pan-down-symbolic" : "pan-end-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->details_button), GTK_ACCESSIBLE_STATE_EXPANDED,
                               self->show_details, -1);
}

static void
details_revealed_cb (OmOpportunityView *self)
{
  if (!gtk_revealer_get_child_revealed (self->details_revealer) && !self->show_details)
    gtk_widget_set_visible (GTK_WIDGET (self->details_revealer), FALSE);
}

/* The header's flow boxes only lay out, so that they fit a small window:
 * Tab goes to the fields and values, not to the boxes around them */
static void
layout_only (GtkWidget *flow_box)
{
  for (GtkWidget *child = gtk_widget_get_first_child (flow_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

/* The plan's side of the window takes most of its height, the chosen
 * stage's details the rest; where the person moves the divider, it
 * keeps that share as the window changes size */
static void
paned_max_cb (OmOpportunityView *self)
{
  int max = 0;

  /* GTK 4.8 has these as properties only */
  g_object_get (self->paned, "max-position", &max, NULL);
  self->paned_max = max;
  if (max <= 0)
    return;
  self->placing = TRUE;
  gtk_paned_set_position (GTK_PANED (self->paned),
                          MIN (max, (int) (gtk_widget_get_height (self->paned) * self->plan_share)));
  self->placing = FALSE;
}

static void
paned_position_cb (OmOpportunityView *self)
{
  int max = 0;

  g_object_get (self->paned, "max-position", &max, NULL);
  /* a move of the divider, not of the window's edge */
  if (!self->placing && max > 0 && max == self->paned_max)
    self->plan_share = CLAMP ((double) gtk_paned_get_position (GTK_PANED (self->paned)) /
                              MAX (1, gtk_widget_get_height (self->paned)), 0.2, 0.9);
}

static void
range_changed_cb (OmOpportunityView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
om_opportunity_view_init (OmOpportunityView *self)
{
  self->selected = -1;
  self->plan_share = 0.66;
  gtk_widget_init_template (GTK_WIDGET (self));
  om_accessible_name_buttons_by_label (GTK_WIDGET (self));

  layout_only (self->fields_box);
  layout_only (self->summary_box);
  g_signal_connect_swapped (self->paned, "notify::max-position", G_CALLBACK (paned_max_cb), self);
  g_signal_connect_swapped (self->paned, "notify::position", G_CALLBACK (paned_position_cb), self);

  watch_entry (self, self->title_entry);
  watch_entry (self, self->client_entry);
  watch_entry (self, self->coordinator_entry);
  watch_entry (self, self->value_entry);
  watch_entry (self, self->currency_entry);
  g_signal_connect_swapped (self->title_entry, "changed", G_CALLBACK (draft_changed_cb), self);
  g_signal_connect_swapped (self->client_entry, "changed", G_CALLBACK (draft_changed_cb), self);
  om_calendar_choose_by_click_or_enter (self->start_calendar);
  om_calendar_choose_by_click_or_enter (self->target_calendar);
  g_signal_connect (self->start_calendar, "day-selected", G_CALLBACK (day_selected_cb), self);
  g_signal_connect (self->target_calendar, "day-selected", G_CALLBACK (target_day_selected_cb), self);
  g_signal_connect (self->target_clear_button, "clicked", G_CALLBACK (target_clear_clicked_cb), self);
  g_signal_connect_swapped (self->history_expander, "notify::expanded", G_CALLBACK (history_expanded_cb), self);
  g_signal_connect_swapped (self->warnings_button, "toggled", G_CALLBACK (warnings_toggled_cb), self);
  warnings_toggled_cb (self);
  g_signal_connect_swapped (self->details_revealer, "notify::child-revealed", G_CALLBACK (details_revealed_cb), self);
  show_details_changed (self);
  g_signal_connect (self->strip, "stage-activated", G_CALLBACK (strip_stage_activated_cb), self);
  g_signal_connect_swapped (self->table, "notify::selected", G_CALLBACK (table_selected_cb), self);
  /* what can be simplified follows the run chosen */
  g_signal_connect_swapped (self->table, "range-changed", G_CALLBACK (range_changed_cb), self);
  g_signal_connect (self->table, "refused", G_CALLBACK (child_refused_cb), self);
  g_signal_connect (self->editor, "refused", G_CALLBACK (child_refused_cb), self);
}

GtkWidget *
om_opportunity_view_new (void)
{
  return g_object_new (OM_TYPE_OPPORTUNITY_VIEW, NULL);
}

void
om_opportunity_view_set_opportunity (OmOpportunityView *self,
                                     OmOpportunity     *opportunity)
{
  if (self->opportunity == opportunity)
    return;

  /* what is being typed belongs to the opportunity it was typed for */
  if (self->opportunity != NULL)
    {
      commit_fields (self, NULL, NULL);
      om_stage_editor_commit_pending (self->editor);
      /* the commit may have made the window show another one already */
      if (self->opportunity == opportunity)
        return;
    }
  if (self->opportunity != NULL)
    g_signal_handlers_disconnect_by_data (self->opportunity, self);
  g_set_object (&self->opportunity, opportunity);
  if (opportunity != NULL)
    g_signal_connect_swapped (opportunity, "changed", G_CALLBACK (opportunity_notify_cb), self);

  om_chain_strip_set_opportunity (self->strip, opportunity);
  om_plan_table_set_opportunity (self->table, opportunity);
  /* a plan opens whole, as the timeline opened it */
  if (opportunity != NULL)
    om_plan_table_zoom_to_fit (self->table);
  self->selected = -1;
  om_stage_editor_set_stage (self->editor, opportunity, -1);
  if (opportunity != NULL)
    {
      int selected = om_opportunity_get_current_stage (opportunity);

      /* a closed plan opens on its last decision, the one Reopen undoes */
      if (selected < 0)
        for (guint i = 0; i < om_opportunity_get_n_stages (opportunity); i++)
          if (om_stage_get_status (om_opportunity_get_stage (opportunity, i)) != OM_STAGE_STATUS_PENDING)
            selected = (int) i;
      set_selected (self, selected);
      fill_fields (self, TRUE);
    }
  fill (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPPORTUNITY]);
  g_signal_emit (self, signals[DRAFT_CHANGED], 0);
}

/* the field's text, trimmed, when it is not blank and not the model's */
static char *
draft_of (GtkEntry   *entry,
          const char *committed)
{
  g_autofree char *text = om_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (entry)));

  if (*text == '\0' || g_strcmp0 (text, committed) == 0)
    return NULL;
  return g_steal_pointer (&text);
}

/**
 * om_opportunity_view_get_draft:
 * @title: (out) (transfer full) (nullable): the title being typed, or
 *   %NULL when the field holds the opportunity's title (or nothing,
 *   which would be refused)
 * @client: (out) (transfer full) (nullable): likewise for the client
 *
 * What is typed and not yet committed, for a preview elsewhere: the
 * fields commit when left or on Enter, so that one edit is one undo step
 * and Escape can still give it up.
 */
void
om_opportunity_view_get_draft (OmOpportunityView  *self,
                               char              **title,
                               char              **client)
{
  g_return_if_fail (OM_IS_OPPORTUNITY_VIEW (self));

  *title = self->opportunity ? draft_of (self->title_entry, om_opportunity_get_title (self->opportunity)) : NULL;
  *client = self->opportunity ? draft_of (self->client_entry, om_opportunity_get_client (self->opportunity)) : NULL;
}

OmOpportunity *
om_opportunity_view_get_opportunity (OmOpportunityView *self)
{
  return self->opportunity;
}

OmPlanTable *
om_opportunity_view_get_table (OmOpportunityView *self)
{
  g_return_val_if_fail (OM_IS_OPPORTUNITY_VIEW (self), NULL);
  return self->table;
}

OmChainStrip *
om_opportunity_view_get_strip (OmOpportunityView *self)
{
  g_return_val_if_fail (OM_IS_OPPORTUNITY_VIEW (self), NULL);
  return self->strip;
}

GtkWidget *
om_opportunity_view_get_editor (OmOpportunityView *self)
{
  return GTK_WIDGET (self->editor);
}

int
om_opportunity_view_get_selected (OmOpportunityView *self)
{
  return self->selected;
}

void
om_opportunity_view_select_stage (OmOpportunityView *self,
                                  int                position)
{
  set_selected (self, position);
}

/**
 * om_opportunity_view_can_simplify:
 *
 * Whether the model would fold the run that Simplify offers first (see
 * om_opportunity_view_simplify()), and why not.
 */
gboolean
om_opportunity_view_can_simplify (OmOpportunityView  *self,
                                  GError            **error)
{
  guint first = 0, last = 1;

  g_return_val_if_fail (OM_IS_OPPORTUNITY_VIEW (self), FALSE);

  if (self->opportunity == NULL)
    return FALSE;
  fold_run (self, &first, &last);
  return om_opportunity_can_fold_feasibility (self->opportunity, first, last, NULL, error);
}

/**
 * om_opportunity_view_simplify:
 *
 * Opens the dialog that replaces stages by a Feasibility Study, on the
 * run the too-complex warning proposes, or else on the stage selected
 * and the next.
 */
void
om_opportunity_view_simplify (OmOpportunityView *self)
{
  g_return_if_fail (OM_IS_OPPORTUNITY_VIEW (self));

  if (self->opportunity != NULL)
    open_fold_dialog (self);
}

/**
 * om_opportunity_view_set_show_details:
 * @show: whether to show the opportunity's fields and all its figures
 *
 * Shows them above the plan, or folds them into one line of the key
 * figures under the title, which leaves the plan in view.
 */
void
om_opportunity_view_set_show_details (OmOpportunityView *self,
                                      gboolean           show)
{
  g_return_if_fail (OM_IS_OPPORTUNITY_VIEW (self));

  show = !!show;
  if (self->show_details == show)
    return;
  self->show_details = show;
  show_details_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_DETAILS]);
}

gboolean
om_opportunity_view_get_show_details (OmOpportunityView *self)
{
  g_return_val_if_fail (OM_IS_OPPORTUNITY_VIEW (self), FALSE);

  return self->show_details;
}

void
om_opportunity_view_focus_title (OmOpportunityView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
}
