/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "oppmanager"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "om-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OmApplication) app = NULL;

  /* The command line runs without GTK, which would otherwise do this */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = om_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
