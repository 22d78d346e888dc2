/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include "om-text-cell.h"

/**
 * OmTextCell:
 *
 * A text typed into in place, made for the rows of a list: a long plan
 * shows two hundred rows of six such cells, and with a #GtkEntry each
 * (a text widget, its controllers, its layout) showing them took four
 * times as long as showing labels. So the cell shows its text with a
 * #GtkInscription, and holds an entry only while the keyboard is in it:
 * the entry is made when the cell takes the focus (Tab or Shift+Tab
 * into it, a click, gtk_widget_grab_focus()) and dropped once the
 * focus has left it.
 *
 * #OmTextCell::commit is emitted on Enter and when the keyboard leaves
 * the cell; Escape puts back the text last set, and
 * #OmTextCell::key-pressed offers the owner every key typed in the cell
 * first.
 */

struct _OmTextCell
{
  GtkWidget  parent_instance;

  GtkWidget *inscription;
  GtkWidget *entry;       /* while edited, until dropped */
  char      *text;        /* the value, as last set */
  char      *given;       /* what the entry was given of it */
  char      *name;        /* what the entry is called */
  float      xalign;
  int        click_position; /* for the caret, once the entry is laid out */
  guint      drop_source;
};

G_DEFINE_FINAL_TYPE (OmTextCell, om_text_cell, GTK_TYPE_WIDGET)

/* More than a line of any screen. GtkInscription wraps the whole of its
 * text to find out whether it fits on one line: a text of 100,000
 * characters took minutes; what no column can show is not laid out */
#define SHOWN_CHARS 1000

enum {
  COMMIT,
  KEY_PRESSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Whether the keyboard focus is in the cell */
static gboolean
has_keyboard (OmTextCell *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
}

/* The text as a value, not as typing: Ctrl+Z in a cell with nothing
 * typed then has nothing of its own to undo, and the window undoes the
 * last edit instead */
static void
set_entry_text (OmTextCell *self,
                const char *text)
{
  GtkEditable *editable = GTK_EDITABLE (self->entry);

  gtk_editable_set_enable_undo (editable, FALSE);
  gtk_editable_set_text (editable, text);
  gtk_editable_set_enable_undo (editable, TRUE);
  /* an entry keeps at most 65,535 characters of a longer value: that it
   * holds less of it is no typing */
  g_free (self->given);
  self->given = g_strdup (gtk_editable_get_text (editable));
}

/* Whether something was typed in the cell's entry */
static gboolean
typed (OmTextCell *self)
{
  return self->entry != NULL && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), self->given) != 0;
}

static void
drop_entry (OmTextCell *self)
{
  g_clear_handle_id (&self->drop_source, g_source_remove);
  if (self->entry == NULL)
    return;
  g_clear_pointer (&self->entry, gtk_widget_unparent);
  self->click_position = -1;
  gtk_accessible_reset_state (GTK_ACCESSIBLE (self->inscription), GTK_ACCESSIBLE_STATE_HIDDEN);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
drop_entry_cb (gpointer data)
{
  OmTextCell *self = data;

  self->drop_source = 0;
  /* the keyboard may have come back in the meantime */
  if (!has_keyboard (self))
    drop_entry (self);
  return G_SOURCE_REMOVE;
}

static void
entry_activate_cb (OmTextCell *self)
{
  g_signal_emit (self, signals[COMMIT], 0);
}

/* Leaving the cell commits what was typed, as Enter does. The entry
 * goes later: GTK is still using it (focus changes go on to its text,
 * GtkText's own handlers run after this one) */
static void
entry_leave_cb (OmTextCell *self)
{
  g_signal_emit (self, signals[COMMIT], 0);
  if (self->entry != NULL && self->drop_source == 0)
    self->drop_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, drop_entry_cb,
                                         g_object_ref (self), g_object_unref);
}

static gboolean
entry_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      OmTextCell            *self)
{
  gboolean handled = FALSE;

  g_signal_emit (self, signals[KEY_PRESSED], 0, keyval, state, &handled);
  if (handled)
    return GDK_EVENT_STOP;
  /* Escape gives up what was typed; with nothing typed, it is the
   * window's */
  if (keyval == GDK_KEY_Escape && om_text_cell_revert (self))
    return GDK_EVENT_STOP;
  return GDK_EVENT_PROPAGATE;
}

static void
start_editing (OmTextCell *self)
{
  GtkEventController *focus;
  GtkEventController *keys;

  g_clear_handle_id (&self->drop_source, g_source_remove);
  if (self->entry != NULL)
    return;

  /* a flat entry, no wider than the text it replaces */
  self->entry = gtk_entry_new ();
  gtk_widget_add_css_class (self->entry, "flat");
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 1);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->entry), 1);
  gtk_editable_set_alignment (GTK_EDITABLE (self->entry), self->xalign);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, self->name, -1);
  set_entry_text (self, self->text);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (entry_leave_cb), self);
  gtk_widget_add_controller (self->entry, focus);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (self->entry, keys);

  /* over the text, which stays to keep the cell's size */
  gtk_widget_set_parent (self->entry, GTK_WIDGET (self));
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->inscription), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Into the cell: into its entry */
static gboolean
om_text_cell_grab_focus (GtkWidget *widget)
{
  OmTextCell *self = OM_TEXT_CELL (widget);
  gboolean had_entry = self->entry != NULL;

  start_editing (self);
  if (gtk_widget_grab_focus (self->entry))
    return TRUE;
  /* the keyboard cannot come in (an insensitive row): no entry that
   * the keyboard would never leave to drop it */
  if (!had_entry)
    drop_entry (self);
  return FALSE;
}

static gboolean
om_text_cell_focus (GtkWidget        *widget,
                    GtkDirectionType  direction)
{
  OmTextCell *self = OM_TEXT_CELL (widget);

  /* in the cell: on, out of it */
  if (self->entry != NULL && has_keyboard (self))
    return gtk_widget_child_focus (self->entry, direction);
  /* to the cell, by Tab, Shift+Tab or an arrow */
  return gtk_widget_grab_focus (widget);
}

/* The place in the entry's text of the character at @x of the cell,
 * where the text is laid out as the inscription shows it */
static int
position_at (OmTextCell *self,
             double      x)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (self->inscription));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (self->inscription, text);
  graphene_point_t point;
  int width, room, index, trailing;

  if (text == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (self), self->inscription, &GRAPHENE_POINT_INIT ((float) x, 0), &point))
    return -1;
  pango_layout_get_pixel_size (layout, &width, NULL);
  room = gtk_widget_get_width (self->inscription);
  if (width < room)
    point.x -= self->xalign * (room - width);
  pango_layout_xy_to_index (layout, (int) (point.x * PANGO_SCALE), 0, &index, &trailing);
  return (int) g_utf8_pointer_to_offset (text, text + index) + trailing;
}

/* A click edits the cell, as a click in an entry does, with the caret
 * where it was clicked: the click is the cell's, not the row's, whose
 * own would take the keyboard away */
static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            OmTextCell      *self)
{
  int position;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (self->entry != NULL)
    return;
  position = position_at (self, x);
  start_editing (self);
  /* an entry not laid out yet would scroll its text to the caret */
  if (gtk_entry_grab_focus_without_selecting (GTK_ENTRY (self->entry)))
    self->click_position = position;
  else
    drop_entry (self);
}

/* The text, and the entry over it while there is one */
static void
om_text_cell_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  OmTextCell *self = OM_TEXT_CELL (widget);

  gtk_widget_measure (self->inscription, orientation, for_size, minimum, natural, NULL, NULL);
  if (self->entry != NULL)
    {
      int entry_minimum, entry_natural;

      gtk_widget_measure (self->entry, orientation, for_size, &entry_minimum, &entry_natural, NULL, NULL);
      *minimum = MAX (*minimum, entry_minimum);
      *natural = MAX (*natural, entry_natural);
    }
}

static void
om_text_cell_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  OmTextCell *self = OM_TEXT_CELL (widget);

  gtk_widget_allocate (self->inscription, width, height, -1, NULL);
  if (self->entry == NULL)
    return;
  gtk_widget_allocate (self->entry, width, height, -1, NULL);
  if (self->click_position >= 0)
    {
      gtk_editable_set_position (GTK_EDITABLE (self->entry), self->click_position);
      self->click_position = -1;
    }
}

/* The entry shows the text while it edits it */
static void
om_text_cell_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  OmTextCell *self = OM_TEXT_CELL (widget);

  gtk_widget_snapshot_child (widget, self->entry != NULL ? self->entry : self->inscription, snapshot);
}

static void
om_text_cell_dispose (GObject *object)
{
  OmTextCell *self = OM_TEXT_CELL (object);

  drop_entry (self);
  g_clear_pointer (&self->inscription, gtk_widget_unparent);
  G_OBJECT_CLASS (om_text_cell_parent_class)->dispose (object);
}

static void
om_text_cell_finalize (GObject *object)
{
  OmTextCell *self = OM_TEXT_CELL (object);

  g_free (self->text);
  g_free (self->given);
  g_free (self->name);
  G_OBJECT_CLASS (om_text_cell_parent_class)->finalize (object);
}

static void
om_text_cell_class_init (OmTextCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_text_cell_dispose;
  object_class->finalize = om_text_cell_finalize;
  widget_class->grab_focus = om_text_cell_grab_focus;
  widget_class->focus = om_text_cell_focus;
  widget_class->snapshot = om_text_cell_snapshot;
  widget_class->measure = om_text_cell_measure;
  widget_class->size_allocate = om_text_cell_size_allocate;

  /**
   * OmTextCell::commit:
   *
   * Enter was pressed in the cell, or the keyboard left it: what was
   * typed (om_text_cell_get_text()) is to be kept.
   */
  signals[COMMIT] = g_signal_new ("commit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * OmTextCell::key-pressed:
   * @keyval: the key
   * @state: the modifiers
   *
   * A key typed in the cell, before the cell's entry sees it.
   *
   * Returns: %TRUE if the key was handled
   */
  signals[KEY_PRESSED] = g_signal_new ("key-pressed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, g_signal_accumulator_true_handled, NULL, NULL,
                                       G_TYPE_BOOLEAN, 2, G_TYPE_UINT, GDK_TYPE_MODIFIER_TYPE);

  gtk_widget_class_set_css_name (widget_class, "textcell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
om_text_cell_init (OmTextCell *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->text = g_strdup ("");
  self->click_position = -1;
  self->inscription = gtk_inscription_new (NULL);
  gtk_widget_set_can_target (self->inscription, FALSE);
  gtk_widget_set_parent (self->inscription, GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

/**
 * om_text_cell_new:
 * @name: what the text is, for assistive technologies: a column's title
 * @width_chars: how many characters the cell is wide at least
 * @max_width_chars: and how many it would be wide
 * @xalign: 0 for text read from the left, 1 for numbers
 */
GtkWidget *
om_text_cell_new (const char *name,
                  guint       width_chars,
                  guint       max_width_chars,
                  float       xalign)
{
  OmTextCell *self = g_object_new (OM_TYPE_TEXT_CELL, NULL);

  self->name = g_strdup (name);
  self->xalign = xalign;
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (self->inscription), width_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (self->inscription), MAX (width_chars, max_width_chars));
  gtk_inscription_set_xalign (GTK_INSCRIPTION (self->inscription), xalign);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return GTK_WIDGET (self);
}

/**
 * om_text_cell_set_text:
 * @text: (nullable): the value to show
 *
 * Shows @text. While the cell is edited, what is typed stays until it is
 * committed or given up; where nothing was typed yet, the entry shows
 * @text too.
 */
void
om_text_cell_set_text (OmTextCell *self,
                       const char *text)
{
  gboolean untouched;

  g_return_if_fail (OM_IS_TEXT_CELL (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->text, text) == 0)
    return;
  untouched = self->entry != NULL && !typed (self);
  g_free (self->text);
  self->text = g_strdup (text);
  if (g_utf8_strlen (text, SHOWN_CHARS + 1) > SHOWN_CHARS)
    {
      g_autofree char *shown = g_utf8_substring (text, 0, SHOWN_CHARS);

      gtk_inscription_set_text (GTK_INSCRIPTION (self->inscription), shown);
    }
  else
    gtk_inscription_set_text (GTK_INSCRIPTION (self->inscription), text);
  if (untouched)
    set_entry_text (self, text);
}

/**
 * om_text_cell_get_text:
 *
 * Returns: what the cell holds: the text last set, or what was typed
 *   in it since
 */
const char *
om_text_cell_get_text (OmTextCell *self)
{
  g_return_val_if_fail (OM_IS_TEXT_CELL (self), NULL);

  return typed (self) ? gtk_editable_get_text (GTK_EDITABLE (self->entry)) : self->text;
}

/**
 * om_text_cell_revert:
 *
 * Gives up what was typed: the cell shows the text last set again.
 *
 * Returns: whether something typed was given up
 */
gboolean
om_text_cell_revert (OmTextCell *self)
{
  g_return_val_if_fail (OM_IS_TEXT_CELL (self), FALSE);

  if (!typed (self))
    return FALSE;
  set_entry_text (self, self->text);
  return TRUE;
}

/**
 * om_text_cell_get_editing:
 *
 * Returns: whether the keyboard is in the cell, typing
 */
gboolean
om_text_cell_get_editing (OmTextCell *self)
{
  g_return_val_if_fail (OM_IS_TEXT_CELL (self), FALSE);

  return self->entry != NULL && has_keyboard (self);
}

/**
 * om_text_cell_get_editable:
 *
 * Returns: (transfer none) (nullable): the entry the cell is edited
 *   with, while it is
 */
GtkEditable *
om_text_cell_get_editable (OmTextCell *self)
{
  g_return_val_if_fail (OM_IS_TEXT_CELL (self), NULL);

  return self->entry != NULL ? GTK_EDITABLE (self->entry) : NULL;
}
