/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pango.h>

G_BEGIN_DECLS

/* Longer runs without a space than this are wrapped by character */
#define OM_TEXT_WRAP_LONG_RUN 200

PangoWrapMode om_text_wrap_mode (const char *text);

G_END_DECLS
