/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "om-model.h"
#include "om-preferences.h"

/**
 * OmPreferences:
 *
 * The application's preferences: who prepares the client summary (our
 * company and contact details, printed under its title), the
 * too-complex threshold of the process-health check and the currency of
 * new opportunities. Every field is the GSettings key itself: a change
 * is kept as it is typed, and the summary printed next reads it.
 */
struct _OmPreferences
{
  GtkWindow       parent_instance;

  GSettings      *settings;

  GtkEntry       *company_entry;
  GtkEntry       *contact_entry;
  GtkEntry       *phone_entry;
  GtkEntry       *email_entry;
  GtkEntry       *currency_entry;
  GtkLabel       *currency_error;
  GtkSpinButton  *threshold_spin;
};

G_DEFINE_FINAL_TYPE (OmPreferences, om_preferences, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The currency is kept only when it is a code: a half-typed or wrong one
 * stays in the field with the reason beside it, and new opportunities
 * go on using the last valid one */
static void
currency_changed_cb (OmPreferences *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->currency_entry))));

  if (om_currency_is_valid (text))
    {
      g_autofree char *kept = g_settings_get_string (self->settings, "default-currency");

      gtk_widget_remove_css_class (GTK_WIDGET (self->currency_entry), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->currency_error), FALSE);
      gtk_label_set_text (self->currency_error, "");
      if (g_strcmp0 (kept, text) != 0)
        g_settings_set_string (self->settings, "default-currency", text);
    }
  else
    {
      g_autofree char *kept = g_settings_get_string (self->settings, "default-currency");
      g_autofree char *excerpt = om_text_excerpt (text);
      g_autofree char *message =
        /* Translators: under the default currency in Preferences; the
         * first %s is what was typed, the second the code still in use */
        g_strdup_printf (_("“%s” is not a currency code: type three capital letters, such as EUR or USD. "
                           "New opportunities still use %s."), excerpt, kept);

      gtk_widget_add_css_class (GTK_WIDGET (self->currency_entry), "error");
      gtk_label_set_text (self->currency_error, message);
      gtk_widget_set_visible (GTK_WIDGET (self->currency_error), TRUE);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->currency_entry),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, gtk_label_get_text (self->currency_error), -1);
}

/* Set elsewhere (another window, the command line's dconf): shown here */
static void
currency_setting_changed_cb (OmPreferences *self)
{
  g_autofree char *kept = g_settings_get_string (self->settings, "default-currency");

  if (g_strcmp0 (kept, gtk_editable_get_text (GTK_EDITABLE (self->currency_entry))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->currency_entry), kept);
}

static void
om_preferences_constructed (GObject *object)
{
  OmPreferences *self = OM_PREFERENCES (object);
  const struct { const char *key; GtkEntry *entry; } entries[] = {
    { "company-name", self->company_entry },
    { "contact-name", self->contact_entry },
    { "contact-phone", self->phone_entry },
    { "contact-email", self->email_entry },
  };

  G_OBJECT_CLASS (om_preferences_parent_class)->constructed (object);

  g_return_if_fail (self->settings != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_settings_bind (self->settings, entries[i].key, entries[i].entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "too-complex-threshold", self->threshold_spin, "value", G_SETTINGS_BIND_DEFAULT);

  currency_setting_changed_cb (self);
  g_signal_connect_object (self->settings, "changed::default-currency", G_CALLBACK (currency_setting_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->currency_entry, "changed", G_CALLBACK (currency_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
om_preferences_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  OmPreferences *self = OM_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_preferences_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OmPreferences *self = OM_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
om_preferences_dispose (GObject *object)
{
  OmPreferences *self = OM_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OM_TYPE_PREFERENCES);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (om_preferences_parent_class)->dispose (object);
}

static void
om_preferences_class_init (OmPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = om_preferences_constructed;
  object_class->dispose = om_preferences_dispose;
  object_class->get_property = om_preferences_get_property;
  object_class->set_property = om_preferences_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/OppManager/om-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, OmPreferences, company_entry);
  gtk_widget_class_bind_template_child (widget_class, OmPreferences, contact_entry);
  gtk_widget_class_bind_template_child (widget_class, OmPreferences, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, OmPreferences, email_entry);
  gtk_widget_class_bind_template_child (widget_class, OmPreferences, currency_entry);
  gtk_widget_class_bind_template_child (widget_class, OmPreferences, currency_error);
  gtk_widget_class_bind_template_child (widget_class, OmPreferences, threshold_spin);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
om_preferences_init (OmPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * om_preferences_new:
 * @settings: the application's settings, which the fields edit
 *
 * Returns: (transfer full): the Preferences window, over @parent
 */
OmPreferences *
om_preferences_new (GtkWindow *parent,
                    GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (OM_TYPE_PREFERENCES, "transient-for", parent, "settings", settings, NULL);
}
