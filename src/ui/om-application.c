/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "om-application.h"
#include "om-cli.h"
#include "om-store.h"
#include "om-window.h"

/**
 * OmApplication:
 *
 * Opens the window, or runs one command of the command line without any
 * display (SPEC section 7) from local_command_line, before GTK starts.
 */
struct _OmApplication
{
  GtkApplication  parent_instance;

  OmCliOptions    options;
  char           *database_path;
  OmRepository   *repository;
  GError         *open_error;
};

G_DEFINE_FINAL_TYPE (OmApplication, om_application, GTK_TYPE_APPLICATION)

static gboolean
settings_schema_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL;
}

static gboolean
om_application_local_command_line (GApplication   *app,
                                   char         ***arguments,
                                   int            *exit_status)
{
  OmApplication *self = OM_APPLICATION (app);
  g_auto(GStrv) args = g_strdupv (*arguments);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &self->options.database,
      N_("Use this database file, or this server (postgresql://USER@HOST/DATABASE), instead of the default"),
      N_("PATH") },
    { "init-server", 0, 0, G_OPTION_ARG_NONE, &self->options.init_server,
      N_("Create or update the schema, roles and policies on the --database server"), NULL },
    { "import", 0, 0, G_OPTION_ARG_FILENAME, &self->options.import_file,
      N_("Import a JSON document (- for standard input) and print the new opportunities’ ids"), N_("FILE") },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &self->options.export_file,
      N_("Write the opportunities and templates as JSON (- for standard output)"), N_("FILE") },
    { "export-ics", 0, 0, G_OPTION_ARG_FILENAME, &self->options.export_ics,
      N_("Write the pending milestones of open opportunities as a calendar (- for standard output)"), N_("FILE") },
    { "export-csv", 0, 0, G_OPTION_ARG_FILENAME, &self->options.export_csv,
      N_("Write one row per stage as CSV (- for standard output)"), N_("FILE") },
    { "opportunity", 0, 0, G_OPTION_ARG_INT64, &self->options.opportunity,
      N_("The opportunity that --check, --export, --export-ics, --export-csv or --summary-pdf works on"), N_("ID") },
    { "summary-pdf", 0, 0, G_OPTION_ARG_FILENAME, &self->options.summary_pdf,
      N_("Write the client-facing summary of --opportunity as PDF"), N_("FILE") },
    { "list", 0, 0, G_OPTION_ARG_NONE, &self->options.list,
      N_("List the opportunities: id, status, won/total, chain probability, title"), NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &self->options.check,
      N_("Print the process-health warnings of an opportunity"), NULL },
    { "agenda", 0, 0, G_OPTION_ARG_NONE, &self->options.agenda,
      N_("List the pending milestones that are overdue or due within --days (default 14)"), NULL },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &self->options.owner,
      N_("Only the milestones of this salesperson (--agenda, --export-ics)"), N_("NAME") },
    { "days", 0, 0, G_OPTION_ARG_STRING, &self->options.days,
      N_("How many days ahead --agenda looks"), N_("N") },
    { "pipeline", 0, 0, G_OPTION_ARG_NONE, &self->options.pipeline,
      N_("Value and weighted value of open opportunities by month of close date and currency"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &self->options.version,
      N_("Print the version"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) plain = g_ptr_array_new ();
  gboolean service = FALSE;

  /* Translators: the command line's arguments when no option is given */
  context = g_option_context_new (_("[FILE…]"));
  g_option_context_set_summary (context, _("Plan and win major sales opportunities, one milestone at a time."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* GApplication's own option, which the session bus gives when it
   * starts the application (D-Bus activation): passed on to it */
  for (guint i = 1; args[i] != NULL; i++)
    if (g_strcmp0 (args[i], "--gapplication-service") == 0)
      {
        service = TRUE;
        g_free (args[i]);
        memmove (&args[i], &args[i + 1], (g_strv_length (args + i + 1) + 1) * sizeof (char *));
        break;
      }

  /* Our own parse, so that wrong usage exits with 2 as SPEC section 7 says */
  if (!g_option_context_parse_strv (context, &args, &error) ||
      !om_cli_options_validate (&self->options, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      *exit_status = OM_CLI_EXIT_USAGE;
      return TRUE;
    }
  if (g_strv_length (args) > 1 && om_cli_options_has_command (&self->options))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), _("Unexpected argument; see --help."));
      *exit_status = OM_CLI_EXIT_USAGE;
      return TRUE;
    }

  if (om_cli_options_has_command (&self->options))
    {
      if (settings_schema_installed ())
        {
          g_autoptr(GSettings) settings = g_settings_new (APP_ID);
          self->options.too_complex_threshold = g_settings_get_uint (settings, "too-complex-threshold");
        }
      *exit_status = om_cli_run (&self->options);
      return TRUE;
    }

  /* A window on another database is another instance */
  if (self->options.database != NULL)
    {
      self->database_path = g_strdup (self->options.database);
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  else
    self->database_path = om_store_get_default_location ();

  /* GApplication opens the files given (SPEC 7: the window offers to
   * import each), in the window already running if there is one */
  g_ptr_array_add (plain, (*arguments)[0]);
  if (service)
    g_ptr_array_add (plain, g_strdup ("--gapplication-service"));   /* its parse frees it */
  for (guint i = 1; args[i] != NULL; i++)
    g_ptr_array_add (plain, args[i]);
  g_ptr_array_add (plain, NULL);
  {
    char **argv = (char **) plain->pdata;

    return G_APPLICATION_CLASS (om_application_parent_class)->local_command_line (app, &argv, exit_status);
  }
}

static void
om_application_startup (GApplication *app)
{
  OmApplication *self = OM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (om_application_parent_class)->startup (app);

  g_set_application_name (_("Opportunity Manager"));
  gtk_window_set_default_icon_name (APP_ID);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  /* GtkWindow's own action: it closes the window as its close button does */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);

  /* a file opens at once; a server in a thread, while the window says
   * that it waits and lets the person give up (om_application_activate) */
  if (!om_store_location_is_server (self->database_path))
    self->repository = om_store_open_repository (self->database_path, &self->open_error);

  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (css, "/com/example/OppManager/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
}

typedef struct
{
  OmApplication *app;
  OmWindow      *window;   /* weak */
} Connecting;

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Connecting *connecting = user_data;
  OmApplication *self = connecting->app;
  g_autoptr(OmBackend) backend = om_store_open_backend_finish (result, &self->open_error);

  if (backend != NULL)
    self->repository = om_repository_new (backend);
  if (connecting->window != NULL && self->repository != NULL)
    om_window_set_repository (connecting->window, self->repository);
  else if (connecting->window != NULL)
    {
      if (g_error_matches (self->open_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *shown = om_store_location_shown (self->database_path);
          g_autofree char *where = om_text_excerpt (shown);

          g_clear_error (&self->open_error);
          g_set_error (&self->open_error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("Not connected: you stopped connecting to “%s”."), where);
        }
      om_window_show_error (connecting->window, self->open_error);
    }
  g_clear_weak_pointer (&connecting->window);
  g_application_release (G_APPLICATION (self));
  g_object_unref (self);
  g_free (connecting);
}

static void
om_application_activate (GApplication *app)
{
  OmApplication *self = OM_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      gboolean waiting = self->repository == NULL && self->open_error == NULL;

      window = GTK_WINDOW (om_window_new (GTK_APPLICATION (app), self->repository, self->open_error));
      if (waiting)
        {
          g_autoptr(GCancellable) cancellable = g_cancellable_new ();
          g_autofree char *shown = om_store_location_shown (self->database_path);
          Connecting *connecting = g_new0 (Connecting, 1);

          connecting->app = g_object_ref (self);
          g_set_weak_pointer (&connecting->window, OM_WINDOW (window));
          om_window_show_connecting (OM_WINDOW (window), shown, cancellable);
          /* the application runs until the connection is made or given up */
          g_application_hold (app);
          om_store_open_backend_async (self->database_path, cancellable, connected_cb, connecting);
        }
    }
  gtk_window_present (window);
}

static void
om_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GtkWindow *window;

  g_application_activate (app);
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  for (int i = 0; i < n_files && OM_IS_WINDOW (window); i++)
    om_window_offer_import (OM_WINDOW (window), files[i]);
}

static void
om_application_finalize (GObject *object)
{
  OmApplication *self = (OmApplication *) object;

  om_cli_options_clear (&self->options);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_object (&self->repository);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (om_application_parent_class)->finalize (object);
}

static void
quit_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* closed like the close button, so each keeps its size and state */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *authors[] = { "The Opportunity Manager developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", _("Opportunity Manager"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Plan and win major sales opportunities, one milestone at a time."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         /* Translators: your name and e-mail address, one
                          * translator a line; shown in the About dialog */
                         "translator-credits", _("translator-credits"),
                         "website", "https://example.com/oppmanager",
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_cb },
  { "about", about_cb },
};

static void
om_application_class_init (OmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = om_application_finalize;
  app_class->local_command_line = om_application_local_command_line;
  app_class->startup = om_application_startup;
  app_class->activate = om_application_activate;
  app_class->open = om_application_open;
}

static void
om_application_init (OmApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
}

OmApplication *
om_application_new (void)
{
  return g_object_new (OM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
