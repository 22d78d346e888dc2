/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "om-opportunity-data.h"

G_BEGIN_DECLS

#define OM_TYPE_TEMPLATE (om_template_get_type ())
G_DECLARE_FINAL_TYPE (OmTemplate, om_template, OM, TEMPLATE, GObject)

OmTemplate           *om_template_new         (const OmTemplateData *data,
                                               gboolean              builtin);
const OmTemplateData *om_template_get_data    (OmTemplate           *self);
const char           *om_template_get_name    (OmTemplate           *self);
guint                 om_template_get_n_stages (OmTemplate          *self);
gboolean              om_template_get_builtin (OmTemplate           *self);
void                  _om_template_set_data   (OmTemplate           *self,
                                               const OmTemplateData *data);

G_END_DECLS
