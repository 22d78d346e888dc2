/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <math.h>

#include "om-style.h"

/*
 * The colours of status text (error, warning, success) come from the
 * theme, made readable on the theme's own backgrounds: GTK 4.8's Adwaita
 * keeps its light red for .error in dark style, 2.1:1 on the window's
 * background, and does not colour .warning labels at all.
 */

static double
channel (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * channel (c->red) + 0.7152 * channel (c->green) + 0.0722 * channel (c->blue);
}

/* what a translucent colour looks like over @under */
static GdkRGBA
over (const GdkRGBA *c,
      const GdkRGBA *under)
{
  GdkRGBA out = {
    c->red * c->alpha + under->red * (1 - c->alpha),
    c->green * c->alpha + under->green * (1 - c->alpha),
    c->blue * c->alpha + under->blue * (1 - c->alpha),
    1,
  };
  return out;
}

static GdkRGBA
mix (const GdkRGBA *a,
     const GdkRGBA *b,
     double         t)
{
  GdkRGBA out = {
    a->red + (b->red - a->red) * t,
    a->green + (b->green - a->green) * t,
    a->blue + (b->blue - a->blue) * t,
    a->alpha + (b->alpha - a->alpha) * t,
  };
  return out;
}

/**
 * om_style_contrast:
 * @a: a text colour
 * @b: the opaque background it is drawn on
 *
 * Returns: the WCAG 2 contrast ratio of @a on @b, from 1 to 21
 */
double
om_style_contrast (const GdkRGBA *a,
                   const GdkRGBA *b)
{
  GdkRGBA seen = over (a, b);
  double la = luminance (&seen);
  double lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static double
worst_contrast (const GdkRGBA *color,
                const GdkRGBA *backgrounds,
                guint          n_backgrounds)
{
  double worst = 21;

  for (guint i = 0; i < n_backgrounds; i++)
    worst = MIN (worst, om_style_contrast (color, &backgrounds[i]));
  return worst;
}

/**
 * om_style_readable_color:
 * @color: the theme's colour for a kind of text, e.g. its error colour
 * @foreground: the theme's text colour, readable on @backgrounds
 * @backgrounds: (array length=n_backgrounds): where the text may appear
 * @readable: (out): @color, moved towards @foreground as little as needed
 *   for %OM_STYLE_MIN_CONTRAST on every background
 *
 * Keeps as much of the theme's hue as the contrast allows; a theme whose
 * own colour is readable gets it unchanged.
 */
void
om_style_readable_color (const GdkRGBA *color,
                         const GdkRGBA *foreground,
                         const GdkRGBA *backgrounds,
                         guint          n_backgrounds,
                         GdkRGBA       *readable)
{
  g_return_if_fail (color != NULL && foreground != NULL && readable != NULL);
  g_return_if_fail (backgrounds != NULL || n_backgrounds == 0);

  for (guint step = 0; step <= 20; step++)
    {
      *readable = mix (color, foreground, step / 20.0);
      if (worst_contrast (readable, backgrounds, n_backgrounds) >= OM_STYLE_MIN_CONTRAST)
        return;
    }
  /* a theme whose own text is not readable: its text colour is all there is */
  *readable = *foreground;
}

static gboolean
lookup (GtkStyleContext *context,
        const char      *name,
        GdkRGBA         *color)
{
  return gtk_style_context_lookup_color (context, name, color);
}

static void
update_css (GtkCssProvider *provider)
{
  static const struct { const char *css_class; const char *color; } kinds[] = {
    { "error", "error_color" },
    { "warning", "warning_color" },
    { "success", "success_color" },
  };
  g_autoptr(GtkWidget) probe = g_object_ref_sink (gtk_label_new (NULL));
  GtkStyleContext *context = gtk_widget_get_style_context (probe);
  g_autoptr(GString) css = g_string_new (NULL);
  GdkRGBA backgrounds[2];
  guint n_backgrounds = 0;
  GdkRGBA fg;

  /* the window's background and the lists' and views' */
  if (lookup (context, "theme_bg_color", &backgrounds[n_backgrounds]))
    n_backgrounds++;
  if (lookup (context, "theme_base_color", &backgrounds[n_backgrounds]))
    n_backgrounds++;
  if (!lookup (context, "theme_fg_color", &fg))
    gtk_style_context_get_color (context, &fg);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GdkRGBA color, readable;
      g_autofree char *text = NULL;

      if (!lookup (context, kinds[i].color, &color))
        continue;
      om_style_readable_color (&color, &fg, backgrounds, n_backgrounds, &readable);
      text = gdk_rgba_to_string (&readable);
      g_string_append_printf (css, "label.%s { color: %s; }\n", kinds[i].css_class, text);
    }
  gtk_css_provider_load_from_data (provider, css->str, -1);
}

static void
theme_changed_cb (GtkSettings    *settings,
                  GParamSpec     *pspec,
                  GtkCssProvider *provider)
{
  update_css (provider);
}

/**
 * om_style_init_for_display:
 *
 * Gives @display's status text (labels of class error, warning and
 * success) the theme's colours, readable on its backgrounds, and keeps
 * them so when the theme or its dark style changes. Once per display.
 */
void
om_style_init_for_display (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;
  GtkSettings *settings;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_object_get_data (G_OBJECT (display), "om-style") != NULL)
    return;

  provider = gtk_css_provider_new ();
  /* above the application's own style sheet, which may use these classes */
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  g_object_set_data_full (G_OBJECT (display), "om-style", g_object_ref (provider), g_object_unref);

  settings = gtk_settings_get_for_display (display);
  g_signal_connect_object (settings, "notify::gtk-theme-name", G_CALLBACK (theme_changed_cb), provider,
                           G_CONNECT_AFTER);
  g_signal_connect_object (settings, "notify::gtk-application-prefer-dark-theme", G_CALLBACK (theme_changed_cb),
                           provider, G_CONNECT_AFTER);
  update_css (provider);
}

/**
 * om_timeline_palette_init_for_widget:
 *
 * The plan's colours (the chain strip's, the Gantt column's, the
 * summary's) for @widget's theme, light or dark.
 */
void
om_timeline_palette_init_for_widget (OmTimelinePalette *palette,
                                     GtkWidget         *widget)
{
  GdkRGBA fg;
  OmRgba foreground;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  foreground = (OmRgba) { fg.red, fg.green, fg.blue, fg.alpha };
  /* a light text colour means a dark theme */
  om_timeline_palette_init_from (palette, &foreground, fg.red + fg.green + fg.blue > 1.5);
}

/* Colour nodes for the plan's drawings (the Gantt column, the portfolio's
 * chains): no cairo, so that a row hundreds of thousands of pixels wide
 * costs nothing where it is not in view */

void
om_snapshot_rect (GtkSnapshot   *snapshot,
                  const OmRgba  *color,
                  double         x,
                  double         y,
                  double         width,
                  double         height)
{
  graphene_rect_t rect = GRAPHENE_RECT_INIT ((float) x, (float) y, (float) width, (float) height);
  GdkRGBA rgba = { color->red, color->green, color->blue, color->alpha };

  gtk_snapshot_append_color (snapshot, &rgba, &rect);
}

void
om_snapshot_outline (GtkSnapshot   *snapshot,
                     const OmRgba  *color,
                     double         x,
                     double         y,
                     double         width,
                     double         height,
                     double         line)
{
  GskRoundedRect outline;
  float widths[4] = { (float) line, (float) line, (float) line, (float) line };
  GdkRGBA rgba = { color->red, color->green, color->blue, color->alpha };
  GdkRGBA colors[4] = { rgba, rgba, rgba, rgba };

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) width, (float) height), 0);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

/* A diamond of half-diagonal @r at (@cx, @cy): a square turned a quarter */
void
om_snapshot_diamond (GtkSnapshot   *snapshot,
                     double         cx,
                     double         cy,
                     double         r,
                     const OmRgba  *fill,
                     const OmRgba  *line,
                     double         line_width)
{
  double side = r * G_SQRT2;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) cx, (float) cy));
  gtk_snapshot_rotate (snapshot, 45);
  if (fill != NULL)
    om_snapshot_rect (snapshot, fill, -side / 2, -side / 2, side, side);
  if (line != NULL)
    om_snapshot_outline (snapshot, line, -side / 2, -side / 2, side, side, line_width);
  gtk_snapshot_restore (snapshot);
}
