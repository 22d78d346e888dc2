/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "om-accessible.h"
#include "om-calendar.h"
#include "om-stage-editor.h"

/**
 * OmStageEditor:
 *
 * The panel under the timeline that edits one stage of an opportunity:
 * the stage at a position, followed live as the model changes. Each field
 * is committed on its own (Enter, leaving the field, or a new value in a
 * spin button or drop-down) through om_opportunity_edit_stage(), so every
 * accepted change is one undoable step; a refused one is reported with
 * #OmStageEditor::refused and the field shows the model's value again.
 */

/* The fields edited as text: single-line entries and two text views */
typedef enum
{
  TEXT_ACTIVITY,
  TEXT_MILESTONE,
  TEXT_OWNER,
  TEXT_CLIENT_OWNER,
  TEXT_DECIDED_ON,
  TEXT_LOST_REASON,
  TEXT_DESCRIPTION,
  TEXT_NOTES,
  N_TEXT_FIELDS
} TextField;

struct _OmStageEditor
{
  GtkWidget       parent_instance;

  OmOpportunity  *opportunity;
  GListModel     *stages;
  OmStage        *stage;
  int             position;

  /* Non-zero while the editor writes to its own fields or commits, so
   * that the signals this causes do not commit anything. */
  guint           busy;
  /* What each text field was last given from the model: a focused field
   * that differs from it holds the user's typing, which a refresh keeps. */
  char           *shown[N_TEXT_FIELDS];

  GtkStack       *stack;
  GtkLabel       *heading_label;
  GtkLabel       *status_label;
  GtkEntry       *activity_entry;
  GtkEntry       *milestone_entry;
  GtkDropDown    *kind_dropdown;
  GtkEntry       *owner_entry;
  GtkEntry       *client_owner_entry;
  GtkSpinButton  *duration_spin;
  GtkSpinButton  *probability_spin;
  GtkWidget      *decided_label;
  GtkWidget      *decided_box;
  GtkEntry       *decided_entry;
  GtkCalendar    *decided_calendar;
  GtkPopover     *decided_popover;
  GtkWidget      *agreed_title;
  GtkWidget      *agreed_box;
  GtkLabel       *agreed_label;
  GtkMenuButton  *reschedule_button;
  GtkPopover     *agreed_popover;
  GtkCalendar    *agreed_calendar;
  GtkEntry       *agreed_note_entry;
  GtkWidget      *unpin_button;
  GtkWidget      *lost_reason_label;
  GtkEntry       *lost_reason_entry;
  GtkTextView    *description_view;
  GtkTextView    *notes_view;
  GtkButton      *win_button;
  GtkButton      *lose_button;
  GtkButton      *reopen_button;
  GtkButton      *move_earlier_button;
  GtkButton      *move_later_button;
  GtkButton      *add_after_button;
  GtkButton      *remove_button;
};

G_DEFINE_FINAL_TYPE (OmStageEditor, om_stage_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_OPPORTUNITY,
  PROP_POSITION,
  N_PROPS
};

enum {
  REFUSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const struct
{
  glong widget;   /* offset in OmStageEditor */
  glong data;     /* offset of the string in OmStageData, or -1 */
} text_fields[N_TEXT_FIELDS] = {
  [TEXT_ACTIVITY] = { G_STRUCT_OFFSET (OmStageEditor, activity_entry), G_STRUCT_OFFSET (OmStageData, activity) },
  [TEXT_MILESTONE] = { G_STRUCT_OFFSET (OmStageEditor, milestone_entry), G_STRUCT_OFFSET (OmStageData, milestone) },
  [TEXT_OWNER] = { G_STRUCT_OFFSET (OmStageEditor, owner_entry), G_STRUCT_OFFSET (OmStageData, owner) },
  [TEXT_CLIENT_OWNER] = { G_STRUCT_OFFSET (OmStageEditor, client_owner_entry), G_STRUCT_OFFSET (OmStageData, client_owner) },
  [TEXT_DECIDED_ON] = { G_STRUCT_OFFSET (OmStageEditor, decided_entry), -1 },
  [TEXT_LOST_REASON] = { G_STRUCT_OFFSET (OmStageEditor, lost_reason_entry), G_STRUCT_OFFSET (OmStageData, lost_reason) },
  [TEXT_DESCRIPTION] = { G_STRUCT_OFFSET (OmStageEditor, description_view), G_STRUCT_OFFSET (OmStageData, client_description) },
  [TEXT_NOTES] = { G_STRUCT_OFFSET (OmStageEditor, notes_view), G_STRUCT_OFFSET (OmStageData, notes) },
};

/* The buttons' actions, and what each does when the model allows it */
static const struct
{
  const char *action_name;
  glong       button;     /* offset in OmStageEditor */
  const char *description;
} action_buttons[] = {
  { "win.stage-win", G_STRUCT_OFFSET (OmStageEditor, win_button),
    N_("Mark the current stage won (the client agreed to its milestone)") },
  { "win.stage-lose", G_STRUCT_OFFSET (OmStageEditor, lose_button),
    N_("Mark the current stage lost, with the reason: this loses the whole opportunity") },
  { "win.stage-reopen", G_STRUCT_OFFSET (OmStageEditor, reopen_button),
    N_("Reopen this stage: undo its decision, the most recent one in the plan") },
  { "win.stage-move-earlier", G_STRUCT_OFFSET (OmStageEditor, move_earlier_button),
    N_("Move this stage one place earlier in the chain") },
  { "win.stage-move-later", G_STRUCT_OFFSET (OmStageEditor, move_later_button),
    N_("Move this stage one place later in the chain") },
  { "win.stage-add-after", G_STRUCT_OFFSET (OmStageEditor, add_after_button),
    N_("Add a new pending stage after this one") },
  { "win.stage-remove", G_STRUCT_OFFSET (OmStageEditor, remove_button),
    N_("Remove this stage from the plan") },
};

static void refresh (OmStageEditor *self,
                     gboolean       force);

/* Fields */

static GtkWidget *
text_field_widget (OmStageEditor *self,
                   TextField      field)
{
  return G_STRUCT_MEMBER (GtkWidget *, self, text_fields[field].widget);
}

static TextField
text_field_for_widget (OmStageEditor *self,
                       GtkWidget     *widget)
{
  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    if (text_field_widget (self, i) == widget)
      return i;
  g_return_val_if_reached (N_TEXT_FIELDS);
}

/* What the field holds; single-line fields trimmed, as the model keeps them */
static char *
text_field_get (OmStageEditor *self,
                TextField      field)
{
  GtkWidget *widget = text_field_widget (self, field);

  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }

  return om_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (widget)));
}

static void
text_field_set (OmStageEditor *self,
                TextField      field,
                const char    *text)
{
  GtkWidget *widget = text_field_widget (self, field);

  /* The model's value is where the field's own undo history starts:
   * Ctrl+Z undoes what was typed since, and never goes back past it (it
   * once brought back the empty field of before, which leaving it then
   * saved); what was committed is undone by the window's history. */
  self->busy++;
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));

      /* a huge word is wrapped by character: by word it takes minutes */
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (widget),
                                   om_text_has_long_word (text) ? GTK_WRAP_CHAR : GTK_WRAP_WORD_CHAR);
      /* an irreversible action also forgets the history before it */
      gtk_text_buffer_begin_irreversible_action (buffer);
      gtk_text_buffer_set_text (buffer, text, -1);
      gtk_text_buffer_end_irreversible_action (buffer);
    }
  else
    {
      /* turning the history off forgets it */
      gtk_editable_set_enable_undo (GTK_EDITABLE (widget), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (widget), text);
      gtk_editable_set_enable_undo (GTK_EDITABLE (widget), TRUE);
    }
  self->busy--;
}

static char *
text_field_from_model (const OmStageData *data,
                       TextField          field)
{
  const char *value;

  if (field == TEXT_DECIDED_ON)
    return data->decided_on != 0 ? om_date_to_iso (data->decided_on) : g_strdup ("");

  value = G_STRUCT_MEMBER (const char *, data, text_fields[field].data);
  return g_strdup (value != NULL ? value : "");
}

static gboolean
text_field_apply (OmStageData  *edited,
                  TextField     field,
                  const char   *text,
                  GError      **error)
{
  char **slot;

  if (field == TEXT_DECIDED_ON)
    {
      OmDate date;

      if (!om_date_parse (text, &date))
        {
          g_set_error (error, OM_MODEL_ERROR, OM_MODEL_ERROR_INVALID_DATE,
                       _("“%s” is not a date. Type the day of the decision as YYYY-MM-DD, for example 2025-03-14."),
                       text);
          return FALSE;
        }
      edited->decided_on = date;
      return TRUE;
    }

  slot = &G_STRUCT_MEMBER (char *, edited, text_fields[field].data);
  g_free (*slot);
  *slot = g_strdup (text);
  return TRUE;
}

static gboolean
widget_contains_focus (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Shows the model's value, unless @force is FALSE and the user is typing
 * something else into the field. */
static void
text_field_show_model (OmStageEditor *self,
                       TextField      field,
                       gboolean       force)
{
  g_autofree char *value = text_field_from_model (om_stage_get_data (self->stage), field);

  if (!force && widget_contains_focus (text_field_widget (self, field)))
    {
      g_autofree char *text = text_field_get (self, field);

      if (g_strcmp0 (text, self->shown[field]) != 0)
        return;
    }

  text_field_set (self, field, value);
  /* what the field holds: an entry keeps at most 65,535 characters of a
   * longer value, and showing less of it is no edit */
  g_free (self->shown[field]);
  self->shown[field] = text_field_get (self, field);
}

static int
probability_to_percent (double probability)
{
  return (int) round (probability * 100.0);
}

/* Model to fields */

static char *
describe_status (OmStage *stage)
{
  OmStageStatus status = om_stage_get_status (stage);

  if (status == OM_STAGE_STATUS_WON)
    {
      g_autofree char *on = om_date_format (om_stage_get_decided_on (stage));
      return g_strdup_printf (_("Won on %s"), on);
    }
  if (status == OM_STAGE_STATUS_LOST)
    {
      g_autofree char *on = om_date_format (om_stage_get_decided_on (stage));
      g_autofree char *reason = om_text_excerpt (om_stage_get_lost_reason (stage));
      return g_strdup_printf (_("Lost on %s: %s"), on, reason);
    }
  else
    {
      g_autofree char *due = om_date_format (om_stage_get_due_date (stage));

      if (om_stage_get_overdue (stage))
        return g_strdup_printf (_("Overdue since %s"), due);
      if (om_stage_get_current (stage))
        return g_strdup_printf (_("Current stage, due %s"), due);
      return g_strdup_printf (_("Pending, due %s"), due);
    }
}

/* What the person reads of a pending stage's date: agreed with the
 * client, or proposed (derived from the stages before it); its slip
 * against the baseline; and a date the chain cannot keep */
static char *
describe_agreed (OmStage *stage)
{
  g_autofree char *due = om_date_format (om_stage_get_due_date (stage));
  g_autofree char *text = NULL;
  GString *out = g_string_new (NULL);
  int slip = om_stage_get_slip (stage);

  if (om_stage_get_agreed_on (stage) != 0)
    text = g_strdup_printf (_("Agreed with the client for %s"), due);
  else
    text = g_strdup_printf (_("Proposed for %s, not agreed with the client yet"), due);
  g_string_append (out, text);
  if (om_stage_get_baseline_due (stage) != 0 && slip != 0)
    {
      g_string_append (out, " · ");
      if (slip > 0)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%d day later than the baseline",
                                                  "%d days later than the baseline", slip), slip);
      else
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%d day earlier than the baseline",
                                                  "%d days earlier than the baseline", -slip), -slip);
    }
  if (om_stage_get_conflict (stage))
    {
      g_string_append (out, " · ");
      g_string_append (out, _("the stage before it is due later"));
    }
  return g_string_free (out, FALSE);
}

static void
set_css_class (GtkWidget  *widget,
               const char *css_class,
               gboolean    set)
{
  if (set)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}

static void
show_status (OmStageEditor *self)
{
  OmStageStatus status = om_stage_get_status (self->stage);
  g_autofree char *heading = NULL;
  g_autofree char *text = describe_status (self->stage);
  g_autofree char *activity = om_text_excerpt (om_stage_get_activity (self->stage));
  gboolean bad = status == OM_STAGE_STATUS_LOST ||
                 (status == OM_STAGE_STATUS_PENDING && om_stage_get_overdue (self->stage));

  /* Translators: the stage's number in the chain, and its activity */
  heading = g_strdup_printf (_("Stage %u: %s"), om_stage_get_position (self->stage) + 1, activity);
  gtk_label_set_text (self->heading_label, heading);
  gtk_label_set_text (self->status_label, text);

  set_css_class (GTK_WIDGET (self->status_label), "success", status == OM_STAGE_STATUS_WON);
  set_css_class (GTK_WIDGET (self->status_label), "error", bad);
  set_css_class (GTK_WIDGET (self->status_label), "dim-label",
                 status == OM_STAGE_STATUS_PENDING && !bad);
}

static void
show_spin (OmStageEditor *self,
           GtkSpinButton *spin,
           double         value)
{
  /* setting the same value would also throw away what is being typed */
  if (gtk_spin_button_get_value (spin) == value)
    return;
  self->busy++;
  gtk_spin_button_set_value (spin, value);
  self->busy--;
}

static void
refresh (OmStageEditor *self,
         gboolean       force)
{
  OmStageStatus status;

  if (self->stage == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->busy++;

  status = om_stage_get_status (self->stage);
  show_status (self);

  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    text_field_show_model (self, i, force);

  if (gtk_drop_down_get_selected (self->kind_dropdown) != (guint) om_stage_get_kind (self->stage))
    gtk_drop_down_set_selected (self->kind_dropdown, om_stage_get_kind (self->stage));
  show_spin (self, self->duration_spin, om_stage_get_duration_days (self->stage));
  show_spin (self, self->probability_spin, probability_to_percent (om_stage_get_probability (self->stage)));

  gtk_widget_set_visible (self->decided_label, status != OM_STAGE_STATUS_PENDING);
  gtk_widget_set_visible (self->decided_box, status != OM_STAGE_STATUS_PENDING);
  if (status != OM_STAGE_STATUS_PENDING)
    {
      /* the calendar opens on the day decided; only a person's choice
       * is an edit */
      g_autoptr(GDateTime) day = om_date_to_date_time (om_stage_get_decided_on (self->stage));

      self->busy++;
      if (day != NULL)
        gtk_calendar_select_day (self->decided_calendar, day);
      self->busy--;
    }
  gtk_widget_set_visible (self->agreed_title, status == OM_STAGE_STATUS_PENDING);
  gtk_widget_set_visible (self->agreed_box, status == OM_STAGE_STATUS_PENDING);
  if (status == OM_STAGE_STATUS_PENDING)
    {
      g_autofree char *agreed = describe_agreed (self->stage);
      g_autoptr(GDateTime) day = om_date_to_date_time (om_stage_get_due_date (self->stage));
      gboolean can = om_opportunity_can_agree_date (self->opportunity, (guint) self->position, NULL);

      gtk_label_set_text (self->agreed_label, agreed);
      set_css_class (GTK_WIDGET (self->agreed_label), "warning", om_stage_get_conflict (self->stage));
      gtk_widget_set_sensitive (GTK_WIDGET (self->reschedule_button), can);
      gtk_widget_set_visible (self->unpin_button, om_stage_get_agreed_on (self->stage) != 0);
      gtk_widget_set_sensitive (self->unpin_button, can);
      /* the calendar opens on the day it is due now */
      if (day != NULL && !gtk_widget_get_visible (GTK_WIDGET (self->agreed_popover)))
        gtk_calendar_select_day (self->agreed_calendar, day);
    }
  gtk_widget_set_visible (self->lost_reason_label, status == OM_STAGE_STATUS_LOST);
  gtk_widget_set_visible (GTK_WIDGET (self->lost_reason_entry), status == OM_STAGE_STATUS_LOST);

  gtk_stack_set_visible_child_name (self->stack, "stage");

  self->busy--;
}

static void
stage_notify_cb (OmStageEditor *self,
                 GParamSpec    *pspec,
                 OmStage       *stage)
{
  refresh (self, FALSE);
}

static void
set_position (OmStageEditor *self,
              int            position)
{
  if (self->position == position)
    return;
  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

/* Follows whatever stage is now at the position: a move, an insertion
 * or an undo can put another stage there, or none. */
static void
bind_stage (OmStageEditor *self)
{
  g_autoptr(OmStage) stage = NULL;

  if (self->stages != NULL && self->position >= 0)
    stage = g_list_model_get_item (self->stages, self->position);
  if (stage == NULL)
    set_position (self, -1);

  if (stage == self->stage)
    {
      refresh (self, FALSE);
      return;
    }

  if (self->stage != NULL)
    g_signal_handlers_disconnect_by_func (self->stage, stage_notify_cb, self);
  g_set_object (&self->stage, stage);
  if (self->stage != NULL)
    g_signal_connect_object (self->stage, "notify", G_CALLBACK (stage_notify_cb), self,
                             G_CONNECT_SWAPPED);

  /* another stage: what was typed for the previous one does not belong here */
  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    g_clear_pointer (&self->shown[i], g_free);
  refresh (self, TRUE);
}

static void
stages_changed_cb (OmStageEditor *self,
                   guint          position,
                   guint          removed,
                   guint          added,
                   GListModel    *stages)
{
  bind_stage (self);
}

/* Fields to model */

static void
refuse (OmStageEditor *self,
        const GError  *error)
{
  /* Closing the window takes the focus from a field, which commits what
   * was typed there; if that is refused, there is no one left to tell. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  g_signal_emit (self, signals[REFUSED], 0, error->message);
}

/* Returns the index of the edited stage, or -1 when there is nothing to
 * commit to (no stage, or the editor is filling its own fields). */
static int
commit_index (OmStageEditor *self)
{
  if (self->busy > 0 || self->stage == NULL || self->opportunity == NULL)
    return -1;
  return self->position;
}

static gboolean
commit (OmStageEditor     *self,
        int                index,
        const OmStageData *edited)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->busy++;
  ok = om_opportunity_edit_stage (self->opportunity, index, edited, &error);
  self->busy--;

  if (!ok)
    {
      /* Put the model's value back first: whatever the window does to
       * show the message (and the focus change it may cause) then finds
       * nothing left to commit. */
      refresh (self, TRUE);
      refuse (self, error);
    }
  return ok;
}

static void
commit_text_field (OmStageEditor *self,
                   TextField      field)
{
  int index = commit_index (self);
  g_autofree char *text = NULL;
  g_autofree char *current = NULL;
  g_autoptr(OmStageData) edited = NULL;
  g_autoptr(GError) error = NULL;

  if (index < 0 || field >= N_TEXT_FIELDS)
    return;

  text = text_field_get (self, field);
  current = text_field_from_model (om_stage_get_data (self->stage), field);
  if (g_strcmp0 (text, self->shown[field]) != 0 && g_strcmp0 (text, current) != 0)
    {
      edited = om_stage_data_copy (om_stage_get_data (self->stage));
      if (!text_field_apply (edited, field, text, &error))
        {
          text_field_show_model (self, field, TRUE);
          refuse (self, error);
          return;
        }
      if (!commit (self, index, edited))
        return;
    }

  /* the model's value as it is kept, trimmed */
  text_field_show_model (self, field, TRUE);
}

/* A day chosen in the calendar: written into the field, and committed
 * as if typed there (the same rules, refusals and undo) */
static void
decided_day_selected_cb (OmStageEditor *self,
                         GtkCalendar   *calendar)
{
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *iso = NULL;

  if (self->busy > 0 || self->stage == NULL || om_calendar_is_browsing (calendar))
    return;
  day = gtk_calendar_get_date (calendar);
  iso = om_date_to_iso (om_date_from_date_time (day));
  gtk_editable_set_text (GTK_EDITABLE (self->decided_entry), iso);
  gtk_popover_popdown (self->decided_popover);
  commit_text_field (self, TEXT_DECIDED_ON);
}

/* Reschedule: the day chosen is agreed at once (two clicks: the
 * button, the day), with the note typed above it if any */
static void
agree_date (OmStageEditor *self,
            OmDate         date)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = om_strdup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->agreed_note_entry)));
  int index = commit_index (self);

  if (index < 0)
    return;
  gtk_popover_popdown (self->agreed_popover);
  self->busy++;
  if (om_opportunity_agree_date (self->opportunity, (guint) index, date, note, &error))
    gtk_editable_set_text (GTK_EDITABLE (self->agreed_note_entry), "");
  self->busy--;
  refresh (self, FALSE);
  if (error != NULL)
    refuse (self, error);
}

static void
agreed_day_selected_cb (OmStageEditor *self,
                        GtkCalendar   *calendar)
{
  g_autoptr(GDateTime) day = NULL;

  /* passing over days with the arrow keys agrees nothing; Enter does */
  if (self->busy > 0 || om_calendar_is_browsing (calendar))
    return;
  day = gtk_calendar_get_date (calendar);
  agree_date (self, om_date_from_date_time (day));
}

static void
unpin_clicked_cb (OmStageEditor *self)
{
  agree_date (self, 0);
}

static void
text_entry_activate_cb (OmStageEditor *self,
                        GtkEntry      *entry)
{
  commit_text_field (self, text_field_for_widget (self, GTK_WIDGET (entry)));
}

static void
text_field_leave_cb (OmStageEditor           *self,
                     GtkEventControllerFocus *controller)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  commit_text_field (self, text_field_for_widget (self, widget));
}

/* Escape gives up what was typed: the field shows the model's value */
static gboolean
text_field_key_pressed_cb (GtkEventControllerKey *controller,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           OmStageEditor         *self)
{
  TextField field = text_field_for_widget (self, gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  g_autofree char *text = NULL;

  if (keyval != GDK_KEY_Escape || self->stage == NULL || field >= N_TEXT_FIELDS)
    return GDK_EVENT_PROPAGATE;
  text = text_field_get (self, field);
  if (g_strcmp0 (text, self->shown[field]) == 0)
    return GDK_EVENT_PROPAGATE;
  text_field_show_model (self, field, TRUE);
  return GDK_EVENT_STOP;
}

static void
spin_value_changed_cb (OmStageEditor *self,
                       GtkSpinButton *spin)
{
  int index = commit_index (self);
  int value = gtk_spin_button_get_value_as_int (spin);
  g_autoptr(OmStageData) edited = NULL;

  if (index < 0)
    return;

  edited = om_stage_data_copy (om_stage_get_data (self->stage));
  if (spin == self->duration_spin)
    {
      if ((guint) value == edited->duration_days)
        return;
      edited->duration_days = value;
    }
  else
    {
      /* whole percent: an unchanged percentage keeps a finer probability */
      if (value == probability_to_percent (edited->probability))
        return;
      edited->probability = value / 100.0;
    }

  commit (self, index, edited);
}

static void
kind_selected_cb (OmStageEditor *self,
                  GParamSpec    *pspec,
                  GtkDropDown   *dropdown)
{
  int index = commit_index (self);
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autoptr(OmStageData) edited = NULL;

  if (index < 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected == (guint) om_stage_get_kind (self->stage))
    return;

  edited = om_stage_data_copy (om_stage_get_data (self->stage));
  edited->kind = selected;
  commit (self, index, edited);
}

/* GObject */

static void
om_stage_editor_dispose (GObject *object)
{
  OmStageEditor *self = (OmStageEditor *) object;

  /* first, so that a focus change while the children go commits nothing */
  if (self->stages != NULL)
    g_signal_handlers_disconnect_by_func (self->stages, stages_changed_cb, self);
  if (self->stage != NULL)
    g_signal_handlers_disconnect_by_func (self->stage, stage_notify_cb, self);
  g_clear_object (&self->stage);
  g_clear_object (&self->stages);
  g_clear_object (&self->opportunity);

  gtk_widget_dispose_template (GTK_WIDGET (self), OM_TYPE_STAGE_EDITOR);

  G_OBJECT_CLASS (om_stage_editor_parent_class)->dispose (object);
}

static void
om_stage_editor_finalize (GObject *object)
{
  OmStageEditor *self = (OmStageEditor *) object;

  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    g_free (self->shown[i]);

  G_OBJECT_CLASS (om_stage_editor_parent_class)->finalize (object);
}

static void
om_stage_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OmStageEditor *self = OM_STAGE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_OPPORTUNITY:
      g_value_set_object (value, self->opportunity);
      break;
    case PROP_POSITION:
      g_value_set_int (value, self->position);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_stage_editor_class_init (OmStageEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_stage_editor_dispose;
  object_class->finalize = om_stage_editor_finalize;
  object_class->get_property = om_stage_editor_get_property;

  /**
   * OmStageEditor:opportunity:
   *
   * The opportunity whose stage is edited, or %NULL.
   */
  properties[PROP_OPPORTUNITY] =
    g_param_spec_object ("opportunity", NULL, NULL, OM_TYPE_OPPORTUNITY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * OmStageEditor:position:
   *
   * The index of the edited stage, or -1 when no stage is shown.
   */
  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmStageEditor::refused:
   * @message: why, written for the user
   *
   * The model refused an edit; the field shows the model's value again.
   */
  signals[REFUSED] =
    g_signal_new ("refused",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/OppManager/om-stage-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, heading_label);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, activity_entry);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, milestone_entry);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, owner_entry);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, client_owner_entry);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, probability_spin);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, decided_label);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, decided_box);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, decided_entry);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, decided_calendar);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, decided_popover);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, agreed_title);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, agreed_box);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, agreed_label);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, reschedule_button);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, agreed_popover);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, agreed_calendar);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, agreed_note_entry);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, unpin_button);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, lost_reason_label);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, lost_reason_entry);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, description_view);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, win_button);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, lose_button);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, move_earlier_button);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, move_later_button);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, add_after_button);
  gtk_widget_class_bind_template_child (widget_class, OmStageEditor, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, text_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, decided_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, agreed_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, unpin_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_field_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_selected_cb);

  gtk_widget_class_set_css_name (widget_class, "stageeditor");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* The wheel over a spin button that does not have the focus scrolls the
 * page, as the person scrolling means, and leaves the value alone. */
static gboolean
spin_scroll_cb (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy,
                gpointer                  user_data)
{
  GtkWidget *spin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *scrolled;
  GtkAdjustment *adj;

  if (gtk_widget_get_focus_child (spin) != NULL || gtk_widget_has_focus (spin))
    return FALSE;

  scrolled = gtk_widget_get_ancestor (spin, GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled != NULL)
    {
      adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + dy * 50);
    }
  return TRUE;
}

static void
guard_spin (GtkSpinButton *spin)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (spin_scroll_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (spin), scroll);
}

/* The flow boxes only lay out, so that the editor fits a small window:
 * Tab goes to the fields and buttons, not to the boxes around them, and
 * passes over a disabled or hidden button (a box it cannot enter would
 * keep the focus) */
static void
lay_out_only (GtkWidget *flow_box)
{
  for (GtkWidget *child = gtk_widget_get_first_child (flow_box); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *content = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      gtk_widget_set_focusable (child, FALSE);
      g_object_bind_property (content, "sensitive", child, "sensitive", G_BINDING_SYNC_CREATE);
      g_object_bind_property (content, "visible", child, "visible", G_BINDING_SYNC_CREATE);
    }
}

static void
om_stage_editor_init (OmStageEditor *self)
{
  const char *kinds[] = {
    om_stage_kind_to_label (OM_STAGE_KIND_STANDARD),
    om_stage_kind_to_label (OM_STAGE_KIND_PROCESS_AGREEMENT),
    om_stage_kind_to_label (OM_STAGE_KIND_FEASIBILITY_STUDY),
    NULL
  };
  g_autoptr(GtkStringList) kind_labels = gtk_string_list_new (kinds);

  self->position = -1;

  /* no commits from the template's own initial values */
  self->busy++;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kind_labels));
  self->busy--;

  lay_out_only (gtk_widget_get_ancestor (GTK_WIDGET (self->activity_entry), GTK_TYPE_FLOW_BOX));
  lay_out_only (gtk_widget_get_ancestor (GTK_WIDGET (self->win_button), GTK_TYPE_FLOW_BOX));

  for (guint i = 0; i < G_N_ELEMENTS (action_buttons); i++)
    om_stage_editor_set_action_reason (self, action_buttons[i].action_name, NULL);

  guard_spin (self->duration_spin);
  guard_spin (self->probability_spin);
  om_calendar_choose_by_click_or_enter (self->decided_calendar);
  om_calendar_choose_by_click_or_enter (self->agreed_calendar);
  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    {
      GtkEventController *keys = gtk_event_controller_key_new ();

      g_signal_connect (keys, "key-pressed", G_CALLBACK (text_field_key_pressed_cb), self);
      gtk_widget_add_controller (text_field_widget (self, i), keys);
    }

  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Public API */

/**
 * om_stage_editor_new:
 *
 * Returns: (transfer floating): a new editor that shows no stage
 */
GtkWidget *
om_stage_editor_new (void)
{
  return g_object_new (OM_TYPE_STAGE_EDITOR, NULL);
}

/**
 * om_stage_editor_set_stage:
 * @opportunity: (nullable): the opportunity, or %NULL to edit nothing
 * @position: the stage's index, or -1 for none
 *
 * Edits the stage at @position of @opportunity, and keeps following the
 * stage at that position.
 */
void
om_stage_editor_set_stage (OmStageEditor *self,
                           OmOpportunity *opportunity,
                           int            position)
{
  g_return_if_fail (OM_IS_STAGE_EDITOR (self));
  g_return_if_fail (opportunity == NULL || OM_IS_OPPORTUNITY (opportunity));
  g_return_if_fail (position >= -1);

  if (opportunity == NULL)
    position = -1;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->opportunity != opportunity)
    {
      if (self->stages != NULL)
        g_signal_handlers_disconnect_by_func (self->stages, stages_changed_cb, self);
      g_clear_object (&self->stages);

      g_set_object (&self->opportunity, opportunity);
      if (opportunity != NULL)
        {
          self->stages = g_object_ref (om_opportunity_get_stages (opportunity));
          g_signal_connect_object (self->stages, "items-changed",
                                   G_CALLBACK (stages_changed_cb), self, G_CONNECT_SWAPPED);
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPPORTUNITY]);
    }

  set_position (self, position);
  bind_stage (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * om_stage_editor_get_opportunity:
 *
 * Returns: (transfer none) (nullable): the opportunity being edited
 */
OmOpportunity *
om_stage_editor_get_opportunity (OmStageEditor *self)
{
  g_return_val_if_fail (OM_IS_STAGE_EDITOR (self), NULL);

  return self->opportunity;
}

/**
 * om_stage_editor_get_position:
 *
 * Returns: the index of the stage being edited, or -1 for none
 */
int
om_stage_editor_get_position (OmStageEditor *self)
{
  g_return_val_if_fail (OM_IS_STAGE_EDITOR (self), -1);

  return self->position;
}

/**
 * om_stage_editor_set_action_reason:
 * @action_name: the action of one of the editor's buttons, e.g. "win.stage-win"
 * @reason: (nullable): why the model would refuse the action, or %NULL
 *   when it is allowed
 *
 * Explains a button: the reason it cannot be used, or what it does.
 */
void
om_stage_editor_set_action_reason (OmStageEditor *self,
                                   const char    *action_name,
                                   const char    *reason)
{
  g_return_if_fail (OM_IS_STAGE_EDITOR (self));
  g_return_if_fail (action_name != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (action_buttons); i++)
    {
      GtkWidget *button;
      const char *text;

      if (g_strcmp0 (action_name, action_buttons[i].action_name) != 0)
        continue;

      button = G_STRUCT_MEMBER (GtkWidget *, self, action_buttons[i].button);
      text = reason != NULL ? reason : _(action_buttons[i].description);
      om_accessible_set_tooltip (button, text);
      return;
    }

  g_critical ("%s: no button for the action “%s”", G_STRFUNC, action_name);
}

/**
 * om_stage_editor_focus_first:
 *
 * Moves the keyboard focus to the first field, when a stage is shown.
 */
void
om_stage_editor_focus_first (OmStageEditor *self)
{
  g_return_if_fail (OM_IS_STAGE_EDITOR (self));

  if (self->stage != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->activity_entry));
}

/**
 * om_stage_editor_focus_field:
 *
 * Moves the keyboard focus to @field of the stage shown (what a remedy
 * of a health warning asks the person to fill in).
 *
 * Returns: whether a stage is shown and the field took the focus
 */
gboolean
om_stage_editor_focus_field (OmStageEditor      *self,
                             OmStageEditorField  field)
{
  GtkWidget *widget;

  g_return_val_if_fail (OM_IS_STAGE_EDITOR (self), FALSE);

  if (self->stage == NULL)
    return FALSE;
  switch (field)
    {
    case OM_STAGE_EDITOR_FIELD_OWNER:
      widget = GTK_WIDGET (self->owner_entry);
      break;
    case OM_STAGE_EDITOR_FIELD_PROBABILITY:
      widget = GTK_WIDGET (self->probability_spin);
      break;
    case OM_STAGE_EDITOR_FIELD_ACTIVITY:
    default:
      widget = GTK_WIDGET (self->activity_entry);
      break;
    }
  return gtk_widget_grab_focus (widget);
}

/**
 * om_stage_editor_reschedule:
 *
 * Opens Reschedule on the stage shown: its calendar, with the focus on
 * the day it is due, to agree a day with the client.
 *
 * Returns: whether it opened (a pending stage of an open plan)
 */
gboolean
om_stage_editor_reschedule (OmStageEditor *self)
{
  g_return_val_if_fail (OM_IS_STAGE_EDITOR (self), FALSE);

  if (self->stage == NULL || !gtk_widget_get_visible (self->agreed_box) ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->reschedule_button)))
    return FALSE;
  gtk_menu_button_popup (self->reschedule_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->agreed_calendar));
  return TRUE;
}

/**
 * om_stage_editor_commit_pending:
 *
 * Commits what is being typed into a field, before an action that is
 * not a focus change (a keyboard shortcut) changes the stage or moves
 * the selection away from it.
 */
void
om_stage_editor_commit_pending (OmStageEditor *self)
{
  g_return_if_fail (OM_IS_STAGE_EDITOR (self));

  for (guint i = 0; i < N_TEXT_FIELDS; i++)
    if (widget_contains_focus (text_field_widget (self, i)))
      commit_text_field (self, i);
}
