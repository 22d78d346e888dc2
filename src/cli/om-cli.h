/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "om-model.h"

G_BEGIN_DECLS

/* Exit statuses of SPEC section 7 */
#define OM_CLI_EXIT_OK      0
#define OM_CLI_EXIT_REFUSED 1
#define OM_CLI_EXIT_USAGE   2

typedef struct
{
  char    *database;
  char    *summary_pdf;
  char    *import_file;
  char    *export_file;
  char    *export_ics;
  char    *export_csv;
  gint64   opportunity;     /* 0 when not given */
  gboolean list;
  gboolean check;
  gboolean version;
  gboolean agenda;
  gboolean pipeline;
  gboolean init_server;     /* --init-server: set up the --database server */
  char    *owner;           /* --owner: a salesperson, NULL when not given */
  char    *days;            /* --days as given, checked by validate; NULL: 14 */
  guint    too_complex_threshold;
} OmCliOptions;

gboolean om_cli_options_has_command (const OmCliOptions *options);
gboolean om_cli_options_validate    (const OmCliOptions *options,
                                     GError            **error);
int      om_cli_run                 (const OmCliOptions *options);
void     om_cli_options_clear       (OmCliOptions       *options);

G_END_DECLS
