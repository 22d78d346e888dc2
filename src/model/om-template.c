/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-model"

#include "config.h"

#include "om-template.h"

/**
 * OmTemplate:
 *
 * A reusable plan: a named chain of stages that a new opportunity can
 * start from. The recommended process is built in; the others are the
 * user's, saved from an opportunity or imported.
 */
struct _OmTemplate
{
  GObject         parent_instance;

  OmTemplateData *data;
  gboolean        builtin;
};

G_DEFINE_FINAL_TYPE (OmTemplate, om_template, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_N_STAGES,
  PROP_BUILTIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
om_template_finalize (GObject *object)
{
  OmTemplate *self = (OmTemplate *) object;

  g_clear_pointer (&self->data, om_template_data_free);

  G_OBJECT_CLASS (om_template_parent_class)->finalize (object);
}

static void
om_template_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OmTemplate *self = OM_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->data->name);
      break;
    case PROP_N_STAGES:
      g_value_set_uint (value, self->data->stages->len);
      break;
    case PROP_BUILTIN:
      g_value_set_boolean (value, self->builtin);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_template_class_init (OmTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = om_template_finalize;
  object_class->get_property = om_template_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_N_STAGES] = g_param_spec_uint ("n-stages", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_BUILTIN] = g_param_spec_boolean ("builtin", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OmTemplate::changed:
   *
   * Its values changed: its name, or its stages (also when only their
   * order did, which no property says).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
om_template_init (OmTemplate *self)
{
}

OmTemplate *
om_template_new (const OmTemplateData *data,
                 gboolean              builtin)
{
  OmTemplate *self = g_object_new (OM_TYPE_TEMPLATE, NULL);

  self->data = om_template_data_copy (data);
  self->builtin = builtin;
  return self;
}

void
_om_template_set_data (OmTemplate           *self,
                       const OmTemplateData *data)
{
  g_autoptr(OmTemplateData) old = self->data;

  if (om_template_data_equal (old, data))
    {
      self->data = g_steal_pointer (&old);
      return;
    }
  self->data = om_template_data_copy (data);
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (old->name, data->name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  if (old->stages->len != data->stages->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STAGES]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

const OmTemplateData *
om_template_get_data (OmTemplate *self)
{
  g_return_val_if_fail (OM_IS_TEMPLATE (self), NULL);

  return self->data;
}

const char *
om_template_get_name (OmTemplate *self)
{
  g_return_val_if_fail (OM_IS_TEMPLATE (self), NULL);

  return self->data->name;
}

guint
om_template_get_n_stages (OmTemplate *self)
{
  g_return_val_if_fail (OM_IS_TEMPLATE (self), 0);

  return self->data->stages->len;
}

gboolean
om_template_get_builtin (OmTemplate *self)
{
  g_return_val_if_fail (OM_IS_TEMPLATE (self), FALSE);

  return self->builtin;
}
