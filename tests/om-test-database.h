/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "om-database.h"
#include "om-store.h"
#include "om-test-pg.h"
#include "om-test-support.h"

G_BEGIN_DECLS

/*
 * A test database, and what another program reading the file would see.
 */

OmRepository      *om_test_database_open_repository (const char  *path);
GPtrArray         *om_test_database_load            (const char  *path,
                                                     GPtrArray  **templates);
OmOpportunityData *om_test_database_get             (const char  *path,
                                                     gint64       id);
void               om_test_database_remove          (const char  *path);
OmOpportunityData *om_test_database_apply           (gpointer                 db,
                                                     const OmOpportunityData *before,
                                                     const OmOpportunityData *after);
void               om_test_sql_capture_start        (void);
GPtrArray         *om_test_sql_capture_stop         (void);

G_END_DECLS
