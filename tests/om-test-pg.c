/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-test-pg"

#include "config.h"

#include <glib/gstdio.h>
#include <glib-unix.h>
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "om-pg-backend.h"
#include "om-test-pg.h"
#include "om-test-support.h"

#define DEFAULT_BINDIR "/usr/lib/postgresql/15/bin"
#define SERVER_USER "postgres"

static char *server_dir;      /* the socket's folder; the data and log inside */
static int   server_port;
static gboolean running;
static gboolean over_tls;     /* also on a TCP port of 127.0.0.1, with TLS */
static guint n_databases;

static const char *
bindir (void)
{
  const char *dir = g_getenv ("OM_TEST_PG_BINDIR");

  return dir != NULL ? dir : DEFAULT_BINDIR;
}

static char *
program (const char *name)
{
  return g_build_filename (bindir (), name, NULL);
}

/**
 * om_test_pg_unavailable:
 *
 * Returns: (nullable): why no server can be started here (its programs
 *   are missing), or %NULL when one can
 */
const char *
om_test_pg_unavailable (void)
{
  static char *reason;
  g_autofree char *initdb = program ("initdb");
  g_autofree char *pg_ctl = program ("pg_ctl");

  if (reason != NULL)
    return reason;
  if (!g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE) || !g_file_test (pg_ctl, G_FILE_TEST_IS_EXECUTABLE))
    reason = g_strdup_printf ("no PostgreSQL server programs in %s (Debian: apt-get install postgresql; "
                              "build-aux/deps.sh installs it)", bindir ());
  else if (geteuid () == 0)
    {
      g_autofree char *runuser = g_find_program_in_path ("runuser");

      if (getpwnam (SERVER_USER) == NULL || runuser == NULL)
        reason = g_strdup ("running as root, with no user \"" SERVER_USER "\" (or no runuser) to run the test server as");
    }
  return reason;
}

/* Runs a server program as the unprivileged user; its output in the
 * test's log when it fails */
static gboolean
run_server_program (const char *const *args,
                    gboolean            must)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (geteuid () == 0)
    {
      g_ptr_array_add (argv, (gpointer) "runuser");
      g_ptr_array_add (argv, (gpointer) "-u");
      g_ptr_array_add (argv, (gpointer) SERVER_USER);
      g_ptr_array_add (argv, (gpointer) "--");
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      if (must)
        g_error ("%s failed: %s%s%s", args[0], error ? error->message : "", out ? out : "", err ? err : "");
      return FALSE;
    }
  return TRUE;
}

static void
stop_now (const char *mode)
{
  g_autofree char *pg_ctl = program ("pg_ctl");
  g_autofree char *data = g_build_filename (server_dir, "data", NULL);
  const char *args[] = { pg_ctl, "-D", data, "-m", mode, "-w", "stop", NULL };

  if (!running)
    return;
  running = FALSE;
  run_server_program (args, FALSE);
}

static void
clean_up (void)
{
  if (server_dir == NULL)
    return;
  stop_now ("immediate");
  om_test_remove_tree (server_dir);
  g_clear_pointer (&server_dir, g_free);
}

/* The server goes with the test program however it ends: a failed
 * assertion, a crash or SIGKILL, where no handler of its own can be
 * trusted to run. A process of its own, forked now and out of the
 * program's process group, waits for the end of a pipe only the program
 * holds (closed on exec, so no program it starts holds it too); once the
 * program is gone it stops the server and removes its folder. After a
 * normal exit (clean_up()) there is nothing left for it to do. */
static void
start_guardian (void)
{
  g_autofree char *pg_ctl = program ("pg_ctl");
  g_autofree char *data = g_build_filename (server_dir, "data", NULL);
  g_autofree char *quoted_ctl = g_shell_quote (pg_ctl);
  g_autofree char *quoted_data = g_shell_quote (data);
  g_autofree char *quoted_dir = g_shell_quote (server_dir);
  g_autofree char *script = g_strdup_printf ("%s%s -D %s -m immediate -w stop; rm -rf %s",
                                             geteuid () == 0 ? "runuser -u " SERVER_USER " -- " : "",
                                             quoted_ctl, quoted_data, quoted_dir);
  int ends[2];
  pid_t pid;

  /* closed on exec from the start: no program another thread starts
   * meanwhile holds it */
  g_assert_true (g_unix_open_pipe (ends, FD_CLOEXEC, NULL));
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* only what is safe in the child of a threaded program */
      int devnull = open ("/dev/null", O_RDWR);
      char byte;
      ssize_t got;

      close (ends[1]);
      dup2 (devnull, STDIN_FILENO);
      dup2 (devnull, STDOUT_FILENO);
      dup2 (devnull, STDERR_FILENO);
      setsid ();
      do
        got = read (ends[0], &byte, 1);
      while (got < 0 && errno == EINTR);
      execl ("/bin/sh", "sh", "-c", script, (char *) NULL);
      _exit (127);
    }
  close (ends[0]);
}

/**
 * om_test_pg_start:
 *
 * Starts the test program's server (made at the first call), or starts
 * it again after om_test_pg_stop(), on the same socket.
 */
void
om_test_pg_start (void)
{
  g_autofree char *pg_ctl = program ("pg_ctl");
  g_autofree char *data = NULL;
  g_autofree char *log = NULL;
  g_autofree char *options = NULL;

  g_assert_null (om_test_pg_unavailable ());
  if (running)
    return;
  if (server_dir == NULL)
    {
      g_autofree char *initdb = program ("initdb");
      g_autoptr(GError) error = NULL;
      g_autofree char *fresh = NULL;
      const char *args[] = { initdb, "-D", NULL, "-U", SERVER_USER, "-A", "trust", "-E", "UTF8", "--no-sync", NULL };

      server_dir = g_dir_make_tmp ("om-pg-XXXXXX", &error);
      g_assert_no_error (error);
      if (geteuid () == 0)
        {
          struct passwd *user = getpwnam (SERVER_USER);
          g_assert_cmpint (chown (server_dir, user->pw_uid, user->pw_gid), ==, 0);
        }
      atexit (clean_up);
      start_guardian ();
      fresh = g_build_filename (server_dir, "data", NULL);
      args[2] = fresh;
      run_server_program (args, TRUE);
      /* the socket is in a folder of its own: any port number is free there */
      server_port = 20000 + (int) (getpid () % 30000);
    }
  data = g_build_filename (server_dir, "data", NULL);
  log = g_build_filename (server_dir, "server.log", NULL);
  if (over_tls)
    options = g_strdup_printf ("-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
                               " -c ssl=on -c ssl_cert_file=%s/server.crt -c ssl_key_file=%s/server.key",
                               server_dir, server_port, server_dir, server_dir);
  else
    options = g_strdup_printf ("-k %s -p %d -c listen_addresses='' -c fsync=off -c full_page_writes=off",
                               server_dir, server_port);
  {
    const char *args[] = { pg_ctl, "-D", data, "-l", log, "-o", options, "-w", "start", NULL };
    run_server_program (args, TRUE);
  }
  running = TRUE;
}

/* A TCP port of 127.0.0.1 that is free now */
static int
free_tcp_port (void)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = 0 };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int port;

  g_assert_cmpint (fd, >=, 0);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length), ==, 0);
  port = ntohs (address.sin_port);
  close (fd);
  return port;
}

/**
 * om_test_pg_tcp_location:
 * @location: a location of om_test_pg_new_database()
 * @user: the login role
 * @sslmode: (nullable): libpq's sslmode, or %NULL for its default
 *   ("prefer")
 *
 * The test server listens on its socket only, where TLS does not apply.
 * The first call restarts it listening on a TCP port of 127.0.0.1 too,
 * with TLS on (a self-signed certificate made for it), as a server on
 * a network does; the data stays.
 *
 * Returns: (transfer full): @location over TCP, as @user
 */
char *
om_test_pg_tcp_location (const char *location,
                         const char *user,
                         const char *sslmode)
{
  PQconninfoOption *options = PQconninfoParse (location, NULL);
  char *tcp = NULL;

  if (!over_tls)
    {
      g_autofree char *key = g_build_filename (server_dir, "server.key", NULL);
      g_autofree char *crt = g_build_filename (server_dir, "server.crt", NULL);
      const char *args[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                             "-out", crt, "-days", "2", "-subj", "/CN=localhost", NULL };

      stop_now ("fast");
      run_server_program (args, TRUE);
      /* the server refuses a key others may read */
      g_assert_cmpint (g_chmod (key, 0600), ==, 0);
      server_port = free_tcp_port ();
      over_tls = TRUE;
      om_test_pg_start ();
    }
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "dbname"))
      tcp = g_strdup_printf ("host=127.0.0.1 port=%d user=%s dbname=%s%s%s", server_port, user, o->val,
                             sslmode != NULL ? " sslmode=" : "", sslmode != NULL ? sslmode : "");
  PQconninfoFree (options);
  g_assert_nonnull (tcp);
  return tcp;
}

/**
 * om_test_pg_stop:
 *
 * Stops the server, as its administrator would (sessions are cut).
 */
void
om_test_pg_stop (void)
{
  stop_now ("fast");
}

/**
 * om_test_pg_stop_immediate:
 *
 * Stops the test server as a crash would (pg_ctl's immediate mode): no
 * session finishes what it was doing, and no lock is let go on the way,
 * so a statement waiting for one never runs. The next start recovers.
 */
void
om_test_pg_stop_immediate (void)
{
  stop_now ("immediate");
}

static char *
location_of (const char *database,
             const char *user)
{
  return g_strdup_printf ("host=%s port=%d user=%s dbname=%s", server_dir, server_port, user, database);
}

static PGconn *
connect_to (const char *location)
{
  PGconn *conn = PQconnectdb (location);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test server: %s", PQerrorMessage (conn));
  return conn;
}

/**
 * om_test_pg_exec:
 *
 * Runs @sql on @location as plain SQL, as psql would.
 *
 * Returns: (nullable): the server's reason if it refused, %NULL if not
 */
char *
om_test_pg_exec (const char *location,
                 const char *sql)
{
  PGconn *conn = connect_to (location);
  PGresult *result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);
  char *reason = NULL;

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    reason = g_strdup (PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
  PQclear (result);
  PQfinish (conn);
  return reason;
}

/**
 * om_test_pg_query_text:
 *
 * Returns: (transfer full): the first value @sql gives on @location
 */
char *
om_test_pg_query_text (const char *location,
                       const char *sql)
{
  PGconn *conn = connect_to (location);
  PGresult *result = PQexec (conn, sql);
  char *text;

  if (PQresultStatus (result) != PGRES_TUPLES_OK || PQntuples (result) < 1)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  text = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  PQfinish (conn);
  return text;
}

/**
 * om_test_pg_new_empty_database:
 *
 * Returns: (transfer full): the location of a new, empty database on
 *   the test server, for "postgres", as createdb leaves it
 */
char *
om_test_pg_new_empty_database (void)
{
  g_autofree char *name = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *create = NULL;
  g_autofree char *reason = NULL;

  om_test_pg_start ();
  name = g_strdup_printf ("om_test_%u", ++n_databases);
  admin = location_of ("postgres", SERVER_USER);
  create = g_strdup_printf ("CREATE DATABASE %s", name);
  reason = om_test_pg_exec (admin, create);
  g_assert_null (reason);
  return location_of (name, SERVER_USER);
}

/**
 * om_test_pg_new_database:
 *
 * A database of its own on the test server, set up by --init-server's
 * code as the superuser, with the tests' login roles.
 *
 * Returns: (transfer full): its location, for "postgres"
 */
char *
om_test_pg_new_database (void)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  char *location = om_test_pg_new_empty_database ();

  g_assert_true (om_pg_backend_init_server (location, &error));
  g_assert_no_error (error);
  reason = om_test_pg_exec (location,
                            "DO $$ BEGIN"
                            " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" OM_TEST_PG_COORDINATOR "') THEN"
                            "  CREATE ROLE " OM_TEST_PG_COORDINATOR " LOGIN IN ROLE oppmanager_coordinator;"
                            "  CREATE ROLE " OM_TEST_PG_OTHER_COORDINATOR " LOGIN IN ROLE oppmanager_coordinator;"
                            "  CREATE ROLE " OM_TEST_PG_SALES " LOGIN IN ROLE oppmanager_sales;"
                            "  CREATE ROLE " OM_TEST_PG_ADMIN " LOGIN IN ROLE oppmanager_admin;"
                            " END IF; END $$");
  g_assert_null (reason);
  return location;
}

/**
 * om_test_pg_location:
 *
 * Returns: (transfer full): @location (of om_test_pg_new_database())
 *   as @user
 */
char *
om_test_pg_location (const char *location,
                     const char *user)
{
  PQconninfoOption *options = PQconninfoParse (location, NULL);
  char *as_user = NULL;

  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "dbname"))
      as_user = location_of (o->val, user);
  PQconninfoFree (options);
  g_assert_nonnull (as_user);
  return as_user;
}
