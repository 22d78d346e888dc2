/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "om-chain-strip.h"
#include "om-style.h"

/**
 * OmChainStrip:
 *
 * The whole chain of stages at a glance, above the plan table: one
 * linked segment per stage (won, current, pending, lost; an overdue
 * stage is underlined, a date agreed with the client doubles the
 * outline, so that neither depends on colour alone), numbered where the
 * number fits, always as wide as the strip is. There are no labels, so
 * there is nothing to cut: the tooltip names the stage under the
 * pointer, the accessible name sums up the chain.
 *
 * When the stages are too many for a segment each, stages that fall on
 * the same few pixels are drawn as one run in the state most of them
 * are in (the current stage always shows on its own). What is drawn is
 * a list of segments laid out for the width, bounded by the width and
 * not by the number of stages; the stages' states are counted once per
 * change of the plan, so that a run's state takes no pass over its
 * stages.
 *
 * It is no keyboard stop of its own: the table below is where the
 * keyboard selects and moves stages, and it shows the same selection.
 * A click on a segment selects its stage (the "stage-activated"
 * signal), which the table follows.
 */

typedef enum
{
  CLASS_WON,
  CLASS_CURRENT,
  CLASS_PENDING,
  CLASS_OVERDUE,   /* pending, not current, past its date */
  CLASS_LOST,
  N_CLASSES
} StageClass;

/* counts of the stages before a position, one entry per position */
typedef struct
{
  guint32 of_class[N_CLASSES];
  guint32 agreed;
} Counts;

typedef struct
{
  guint      first;
  guint      n_stages;
  double     x;
  double     width;
  StageClass klass;
  gboolean   overdue;   /* the current stage may be overdue too */
  gboolean   agreed;
} Segment;

struct _OmChainStrip
{
  GtkWidget      parent_instance;

  OmOpportunity *opportunity;
  int            selected;
  int            current;
  Counts        *counts;      /* n + 1 entries, or NULL */
  guint          n_stages;
  GArray        *segments;    /* Segment, for the width laid out */
  int            laid_out_width;
  gboolean       per_stage;   /* one segment a stage, or runs */
};

G_DEFINE_FINAL_TYPE (OmChainStrip, om_chain_strip, GTK_TYPE_WIDGET)

enum {
  STAGE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define STRIP_HEIGHT   28.0
#define BODY_Y         6.0
#define BODY_HEIGHT    16.0
#define GAP            4.0   /* between linked segments, the link shows */
#define MIN_SEGMENT    8.0   /* narrower than this, stages form runs */
#define BUCKET         3.0   /* the width of the smallest run */

/* The counts */

static StageClass
classify (OmStage  *stage,
          gboolean *overdue)
{
  *overdue = om_stage_get_overdue (stage);
  switch (om_stage_get_status (stage))
    {
    case OM_STAGE_STATUS_WON:
      return CLASS_WON;
    case OM_STAGE_STATUS_LOST:
      return CLASS_LOST;
    case OM_STAGE_STATUS_PENDING:
    default:
      if (om_stage_get_current (stage))
        return CLASS_CURRENT;
      return *overdue ? CLASS_OVERDUE : CLASS_PENDING;
    }
}

static guint
count_in (OmChainStrip *self,
          StageClass    klass,
          guint         first,
          guint         end)
{
  return self->counts[end].of_class[klass] - self->counts[first].of_class[klass];
}

/* The chain in one sentence, for screen readers: "6 stages: 2 won,
 * current stage 3, 2 pending, 1 lost" */
static char *
describe_chain (OmChainStrip *self)
{
  GString *text = g_string_new (NULL);
  guint n = self->n_stages;
  guint won, pending, overdue, lost;

  if (n == 0)
    {
      g_string_append (text, _("No stages"));
      return g_string_free (text, FALSE);
    }
  won = count_in (self, CLASS_WON, 0, n);
  pending = count_in (self, CLASS_PENDING, 0, n);
  overdue = count_in (self, CLASS_OVERDUE, 0, n);
  lost = count_in (self, CLASS_LOST, 0, n);

  /* Translators: the start of the chain strip's summary */
  g_string_append_printf (text, ngettext ("%u stage", "%u stages", n), n);
  g_string_append (text, ": ");
  /* Translators: parts of the chain strip's summary, joined by commas */
  g_string_append_printf (text, ngettext ("%u won", "%u won", won), won);
  if (self->current >= 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, _("current stage %d"), self->current + 1);
    }
  if (pending > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, ngettext ("%u more pending", "%u more pending", pending), pending);
    }
  if (overdue > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, ngettext ("%u pending and overdue", "%u pending and overdue", overdue), overdue);
    }
  if (lost > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, ngettext ("%u lost", "%u lost", lost), lost);
    }
  return g_string_free (text, FALSE);
}

/* one pass over the stages, on each change of the plan (never per frame) */
static void
recount (OmChainStrip *self)
{
  g_clear_pointer (&self->counts, g_free);
  self->n_stages = 0;
  self->current = -1;
  self->laid_out_width = -1;

  if (self->opportunity != NULL)
    {
      self->n_stages = om_opportunity_get_n_stages (self->opportunity);
      self->current = om_opportunity_get_current_stage (self->opportunity);
      self->counts = g_new0 (Counts, self->n_stages + 1);
      for (guint i = 0; i < self->n_stages; i++)
        {
          OmStage *stage = om_opportunity_get_stage (self->opportunity, i);
          gboolean overdue;
          StageClass klass = classify (stage, &overdue);

          self->counts[i + 1] = self->counts[i];
          self->counts[i + 1].of_class[klass]++;
          if (om_stage_get_status (stage) == OM_STAGE_STATUS_PENDING && om_stage_get_agreed_on (stage) != 0)
            self->counts[i + 1].agreed++;
        }
    }
  {
    g_autofree char *summary = describe_chain (self);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
  }
}

/* The layout: segments for a width */

static void
add_segment (OmChainStrip *self,
             guint         first,
             guint         end,
             double        x,
             double        width)
{
  Segment segment = { first, end - first, x, width, CLASS_PENDING, FALSE, FALSE };
  guint best = 0;

  if (self->current >= 0 && (guint) self->current >= first && (guint) self->current < end)
    {
      OmStage *stage = om_opportunity_get_stage (self->opportunity, (guint) self->current);

      segment.klass = CLASS_CURRENT;
      segment.overdue = om_stage_get_overdue (stage);
    }
  else
    /* a run is in the state most of its stages are in */
    for (StageClass c = 0; c < N_CLASSES; c++)
      if (count_in (self, c, first, end) > best)
        {
          best = count_in (self, c, first, end);
          segment.klass = c;
        }
  if (segment.klass == CLASS_OVERDUE)
    segment.overdue = TRUE;
  segment.agreed = 2 * (self->counts[end].agreed - self->counts[first].agreed) > end - first;
  g_array_append_val (self->segments, segment);
}

static void
ensure_layout (OmChainStrip *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  guint n = self->n_stages;

  if (self->laid_out_width == width)
    return;
  self->laid_out_width = width;
  g_array_set_size (self->segments, 0);
  if (n == 0 || width <= 0)
    return;

  self->per_stage = (width + GAP) / n >= MIN_SEGMENT + GAP;
  if (self->per_stage)
    {
      double step = (width + GAP) / n;

      for (guint i = 0; i < n; i++)
        add_segment (self, i, i + 1, i * step, step - GAP);
      return;
    }

  /* runs: buckets of a few pixels, merged while their state holds */
  {
    guint n_buckets = MAX (1, (guint) (width / BUCKET));
    double bucket = (double) width / n_buckets;

    for (guint k = 0; k < n_buckets; k++)
      {
        guint first = (guint) ((guint64) k * n / n_buckets);
        guint end = (guint) ((guint64) (k + 1) * n / n_buckets);
        Segment *last;

        if (end <= first)
          continue;
        add_segment (self, first, end, k * bucket, bucket);
        if (self->segments->len < 2)
          continue;
        last = &g_array_index (self->segments, Segment, self->segments->len - 1);
        if (last[-1].klass == last->klass && last->klass != CLASS_CURRENT &&
            last[-1].overdue == last->overdue && last[-1].agreed == last->agreed)
          {
            last[-1].n_stages += last->n_stages;
            last[-1].width = last->x + last->width - last[-1].x;
            g_array_set_size (self->segments, self->segments->len - 1);
          }
      }
  }
}

/* Drawing: colour and border nodes, and the numbers as text */

static void
append_rect (GtkSnapshot  *snapshot,
             const OmRgba *color,
             double        x,
             double        y,
             double        width,
             double        height)
{
  GdkRGBA rgba = { color->red, color->green, color->blue, color->alpha };

  gtk_snapshot_append_color (snapshot, &rgba, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
append_outline (GtkSnapshot  *snapshot,
                const OmRgba *color,
                double        x,
                double        y,
                double        width,
                double        height,
                double        line)
{
  GdkRGBA rgba = { color->red, color->green, color->blue, color->alpha };
  GskRoundedRect rect;

  line = MIN (line, MIN (width, height) / 2);
  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (x, y, width, height), 0);
  gtk_snapshot_append_border (snapshot, &rect, (float[4]) { line, line, line, line },
                              (GdkRGBA[4]) { rgba, rgba, rgba, rgba });
}

static const OmRgba *
class_color (const OmTimelinePalette *palette,
             StageClass               klass)
{
  switch (klass)
    {
    case CLASS_WON: return &palette->won;
    case CLASS_CURRENT: return &palette->current;
    case CLASS_OVERDUE: return &palette->overdue;
    case CLASS_LOST: return &palette->lost;
    case CLASS_PENDING:
    default: return &palette->pending;
    }
}

static void
draw_segment (GtkSnapshot             *snapshot,
              const OmTimelinePalette *palette,
              const Segment           *s)
{
  const OmRgba *color = class_color (palette, s->klass);
  OmRgba tint = *color;
  double y = BODY_Y, height = BODY_HEIGHT;
  double width = MAX (s->width, 1);

  switch (s->klass)
    {
    case CLASS_WON:
      /* done: solid */
      append_rect (snapshot, color, s->x, y, width, height);
      break;
    case CLASS_CURRENT:
      /* where the sale is: taller than the rest, solid, outlined */
      y = 2;
      height = STRIP_HEIGHT - 4;
      append_rect (snapshot, color, s->x, y, width, height);
      if (width >= 4)
        append_outline (snapshot, &palette->foreground, s->x, y, width, height, 1.5);
      break;
    case CLASS_LOST:
      /* lost: faint, struck through */
      tint.alpha = 0.35f;
      append_rect (snapshot, &tint, s->x, y, width, height);
      append_rect (snapshot, color, s->x, y + height / 2 - 1, width, 2);
      break;
    case CLASS_PENDING:
    case CLASS_OVERDUE:
    default:
      /* to come: open, outlined */
      tint.alpha = 0.2f;
      append_rect (snapshot, &tint, s->x, y, width, height);
      if (width >= 3)
        append_outline (snapshot, color, s->x, y, width, height, 1.5);
      break;
    }
  /* agreed with the client: a second outline inside the first */
  if (s->agreed && width >= 10)
    append_outline (snapshot, &palette->foreground, s->x + 3, y + 3, width - 6, height - 6, 1);
  /* overdue: underlined, below the segment */
  if (s->overdue)
    append_rect (snapshot, &palette->overdue, s->x, STRIP_HEIGHT - 3, width, 3);
}

static void
om_chain_strip_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  OmChainStrip *self = OM_CHAIN_STRIP (widget);
  OmTimelinePalette palette;
  PangoLayout *layout = NULL;
  int number_width = 0;

  ensure_layout (self);
  if (self->segments->len == 0)
    return;
  om_timeline_palette_init_for_widget (&palette, widget);

  if (self->per_stage)
    {
      g_autofree char *widest = g_strdup_printf ("%u", self->n_stages);

      layout = gtk_widget_create_pango_layout (widget, widest);
      pango_layout_get_pixel_size (layout, &number_width, NULL);
    }

  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *s = &g_array_index (self->segments, Segment, i);

      /* the link to the next stage */
      if (self->per_stage && i + 1 < self->segments->len)
        append_rect (snapshot, &palette.dim, s->x + s->width, BODY_Y + BODY_HEIGHT / 2 - 1, GAP, 2);
      draw_segment (snapshot, &palette, s);

      if (layout != NULL && s->width >= number_width + 6)
        {
          g_autofree char *number = g_strdup_printf ("%u", s->first + 1);
          gboolean solid = s->klass == CLASS_WON || s->klass == CLASS_CURRENT;
          const OmRgba *ink = solid ? &palette.background : &palette.foreground;
          GdkRGBA rgba = { ink->red, ink->green, ink->blue, 1 };
          int w, h;

          pango_layout_set_text (layout, number, -1);
          pango_layout_get_pixel_size (layout, &w, &h);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) floor (s->x + (s->width - w) / 2),
                                                                  (float) floor ((STRIP_HEIGHT - h) / 2)));
          gtk_snapshot_append_layout (snapshot, layout, &rgba);
          gtk_snapshot_restore (snapshot);
        }
    }

  /* the selected stage, framed */
  if (self->selected >= 0 && (guint) self->selected < self->n_stages)
    for (guint i = 0; i < self->segments->len; i++)
      {
        const Segment *s = &g_array_index (self->segments, Segment, i);

        if ((guint) self->selected >= s->first && (guint) self->selected < s->first + s->n_stages)
          {
            append_outline (snapshot, &palette.selection, s->x - 2, 0, MAX (s->width, 1) + 4, STRIP_HEIGHT, 2);
            break;
          }
      }
  g_clear_object (&layout);
}

/* Events */

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            OmChainStrip    *self)
{
  int stage = om_chain_strip_stage_at (self, x);

  if (stage < 0)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[STAGE_ACTIVATED], 0, stage);
}

static const char *
state_text (OmStage *stage)
{
  switch (om_stage_get_status (stage))
    {
    case OM_STAGE_STATUS_WON: return _("Won");
    case OM_STAGE_STATUS_LOST: return _("Lost");
    case OM_STAGE_STATUS_PENDING:
    default:
      if (om_stage_get_overdue (stage))
        return om_stage_get_current (stage) ? _("Current, overdue") : _("Pending, overdue");
      return om_stage_get_current (stage) ? _("Current") : _("Pending");
    }
}

static gboolean
om_chain_strip_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard,
                              GtkTooltip *tooltip)
{
  g_autofree char *text = om_chain_strip_describe_at (OM_CHAIN_STRIP (widget), x);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
om_chain_strip_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  /* as wide as it is given: it never asks for more */
  *minimum = *natural = orientation == GTK_ORIENTATION_VERTICAL ? (int) STRIP_HEIGHT : 48;
}

static void
om_chain_strip_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  OM_CHAIN_STRIP (widget)->laid_out_width = -1;
}

/* GObject */

static void
plan_changed_cb (OmChainStrip *self)
{
  recount (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
om_chain_strip_dispose (GObject *object)
{
  OmChainStrip *self = OM_CHAIN_STRIP (object);

  om_chain_strip_set_opportunity (self, NULL);
  G_OBJECT_CLASS (om_chain_strip_parent_class)->dispose (object);
}

static void
om_chain_strip_finalize (GObject *object)
{
  OmChainStrip *self = OM_CHAIN_STRIP (object);

  g_clear_pointer (&self->counts, g_free);
  g_clear_pointer (&self->segments, g_array_unref);
  G_OBJECT_CLASS (om_chain_strip_parent_class)->finalize (object);
}

static void
om_chain_strip_class_init (OmChainStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = om_chain_strip_dispose;
  object_class->finalize = om_chain_strip_finalize;
  widget_class->snapshot = om_chain_strip_snapshot;
  widget_class->measure = om_chain_strip_measure;
  widget_class->size_allocate = om_chain_strip_size_allocate;
  widget_class->query_tooltip = om_chain_strip_query_tooltip;

  /**
   * OmChainStrip::stage-activated:
   * @position: the stage clicked
   */
  signals[STAGE_ACTIVATED] = g_signal_new ("stage-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "chainstrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
om_chain_strip_init (OmChainStrip *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->selected = -1;
  self->current = -1;
  self->laid_out_width = -1;
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  /* not a keyboard stop: the table is where the keyboard works */
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  recount (self);
}

GtkWidget *
om_chain_strip_new (void)
{
  return g_object_new (OM_TYPE_CHAIN_STRIP, NULL);
}

/**
 * om_chain_strip_set_opportunity:
 * @opportunity: (nullable): whose chain to show
 */
void
om_chain_strip_set_opportunity (OmChainStrip  *self,
                                OmOpportunity *opportunity)
{
  g_return_if_fail (OM_IS_CHAIN_STRIP (self));

  if (self->opportunity == opportunity)
    return;
  if (self->opportunity != NULL)
    {
      g_signal_handlers_disconnect_by_data (om_opportunity_get_stages (self->opportunity), self);
      g_signal_handlers_disconnect_by_data (self->opportunity, self);
    }
  g_set_object (&self->opportunity, opportunity);
  if (opportunity != NULL)
    {
      g_signal_connect_swapped (om_opportunity_get_stages (opportunity), "items-changed",
                                G_CALLBACK (plan_changed_cb), self);
      g_signal_connect_swapped (opportunity, "changed", G_CALLBACK (plan_changed_cb), self);
    }
  self->selected = -1;
  plan_changed_cb (self);
}

/**
 * om_chain_strip_set_selected:
 * @position: the stage selected, or -1
 *
 * Frames the selected stage's segment (or the run that holds it).
 */
void
om_chain_strip_set_selected (OmChainStrip *self,
                             int           position)
{
  g_return_if_fail (OM_IS_CHAIN_STRIP (self));

  if (self->selected == position)
    return;
  self->selected = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * om_chain_strip_stage_at:
 * @x: in the strip's coordinates
 *
 * Returns: the stage drawn at @x (in a run: the stage at that point of
 *   the run), or -1 for none
 */
int
om_chain_strip_stage_at (OmChainStrip *self,
                         double        x)
{
  int width;
  int position;

  g_return_val_if_fail (OM_IS_CHAIN_STRIP (self), -1);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  if (self->n_stages == 0 || width <= 0 || x < 0 || x >= width)
    return -1;
  ensure_layout (self);
  if (self->per_stage)
    position = (int) (x / ((width + GAP) / self->n_stages));
  else
    position = (int) (x * self->n_stages / width);
  return CLAMP (position, 0, (int) self->n_stages - 1);
}

/**
 * om_chain_strip_get_n_segments:
 *
 * Returns: how many segments (a stage each, or runs of stages) are
 *   drawn at the strip's width
 */
guint
om_chain_strip_get_n_segments (OmChainStrip *self)
{
  g_return_val_if_fail (OM_IS_CHAIN_STRIP (self), 0);

  ensure_layout (self);
  return self->segments->len;
}

/**
 * om_chain_strip_get_segment:
 *
 * Where segment @index is and which stages it stands for.
 */
void
om_chain_strip_get_segment (OmChainStrip *self,
                            guint         index,
                            guint        *first_stage,
                            guint        *n_stages,
                            double       *x,
                            double       *width)
{
  const Segment *s;

  g_return_if_fail (OM_IS_CHAIN_STRIP (self));
  ensure_layout (self);
  g_return_if_fail (index < self->segments->len);

  s = &g_array_index (self->segments, Segment, index);
  if (first_stage != NULL)
    *first_stage = s->first;
  if (n_stages != NULL)
    *n_stages = s->n_stages;
  if (x != NULL)
    *x = s->x;
  if (width != NULL)
    *width = s->width;
}

/**
 * om_chain_strip_describe_at:
 * @x: in the strip's coordinates
 *
 * Returns: (transfer full) (nullable): the tooltip at @x: the stage
 *   there, its number, activity (briefly) and state
 */
char *
om_chain_strip_describe_at (OmChainStrip *self,
                            double        x)
{
  int position;
  OmStage *stage;
  g_autofree char *activity = NULL;

  g_return_val_if_fail (OM_IS_CHAIN_STRIP (self), NULL);

  position = om_chain_strip_stage_at (self, x);
  if (position < 0)
    return NULL;
  stage = om_opportunity_get_stage (self->opportunity, (guint) position);
  activity = om_text_excerpt (om_stage_get_activity (stage));
  /* Translators: the stage under the pointer on the chain strip: number, count, activity, state */
  return g_strdup_printf (_("Stage %u of %u: %s. %s"), (guint) position + 1, self->n_stages, activity,
                          state_text (stage));
}
