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
  const char *localedir;

  /* The command line runs without GTK, which would otherwise do this */
  setlocale (LC_ALL, "");
  /* build-aux/run and the tests point this at the catalogues built in
   * the build tree (po/LANG/LC_MESSAGES), which are not installed yet */
  localedir = g_getenv ("OPPMANAGER_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = om_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
