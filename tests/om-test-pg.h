/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A PostgreSQL server of the tests' own (SPEC 9): initdb and pg_ctl in a
 * temporary folder, listening on a socket there only, run as an
 * unprivileged user (initdb refuses root: as root, Debian's `postgres`
 * user runs it), stopped when the test program ends, however it ends.
 *
 * Its login roles: "postgres" (superuser, who sets databases up), and
 * OM_TEST_PG_COORDINATOR, OM_TEST_PG_OTHER_COORDINATOR, OM_TEST_PG_SALES
 * and OM_TEST_PG_ADMIN, members of the application's roles.
 */

#define OM_TEST_PG_COORDINATOR       "alice"
#define OM_TEST_PG_OTHER_COORDINATOR "bob"
#define OM_TEST_PG_SALES             "sam"
#define OM_TEST_PG_ADMIN             "ada"

const char *om_test_pg_unavailable   (void);
char       *om_test_pg_new_empty_database (void);
char       *om_test_pg_new_database  (void);
char       *om_test_pg_location      (const char *location,
                                      const char *user);
char       *om_test_pg_tcp_location  (const char *location,
                                      const char *user,
                                      const char *sslmode);
void        om_test_pg_stop          (void);
void        om_test_pg_stop_immediate (void);
void        om_test_pg_start         (void);
char       *om_test_pg_exec          (const char *location,
                                      const char *sql);
char       *om_test_pg_query_text    (const char *location,
                                      const char *sql);

G_END_DECLS
