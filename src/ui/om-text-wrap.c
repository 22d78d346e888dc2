/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include "om-text-wrap.h"

/**
 * om_text_wrap_mode:
 * @text: user text about to be laid out in a width
 *
 * Pango's word-then-character wrapping looks for a word break over the
 * whole rest of a run for every line it makes, so a run of 100,000
 * characters without a space takes minutes to lay out (a text field that
 * opens with it freezes the window). Text with such a run is wrapped by
 * character, which is linear; any other text by word, then character.
 *
 * Returns: how to wrap @text
 */
PangoWrapMode
om_text_wrap_mode (const char *text)
{
  guint run = 0;

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        run = 0;
      else if (++run > OM_TEXT_WRAP_LONG_RUN)
        return PANGO_WRAP_CHAR;
    }
  return PANGO_WRAP_WORD_CHAR;
}
