/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-test-database"

#include "config.h"

#include <glib/gstdio.h>

#include "om-pg-backend.h"
#include "om-store.h"
#include "om-test-database.h"

/**
 * om_test_database_open_repository:
 * @path: a database file, made when missing, or a test server's
 *   database (om_test_pg_new_database()); it must open
 *
 * Returns: (transfer full): the repository kept in @path
 */
OmRepository *
om_test_database_open_repository (const char *path)
{
  g_autoptr(GError) error = NULL;
  OmRepository *repository = om_store_open_repository (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (repository);
  return repository;
}

/**
 * om_test_database_load:
 * @path: a database file that must load
 * @templates: (out) (optional): its templates
 *
 * Reads @path on a connection of its own, as another program would.
 *
 * Returns: (transfer full): its opportunities, as #OmOpportunityData
 */
GPtrArray *
om_test_database_load (const char  *path,
                       GPtrArray  **templates)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OmBackend) db = om_store_open_backend (path, &error);
  g_autoptr(GPtrArray) tpls = NULL;
  GPtrArray *opportunities = NULL;

  g_assert_no_error (error);
  if (OM_IS_PG_BACKEND (db))
    g_assert_true (om_pg_backend_load (OM_PG_BACKEND (db), &opportunities, &tpls, &error));
  else
    g_assert_true (om_database_load (OM_DATABASE (db), &opportunities, &tpls, &error));
  g_assert_no_error (error);
  if (templates != NULL)
    *templates = g_steal_pointer (&tpls);
  return opportunities;
}

/**
 * om_test_database_get:
 * @id: an opportunity that @path must hold
 *
 * Returns: (transfer full): opportunity @id as another program reading
 *   @path would see it
 */
OmOpportunityData *
om_test_database_get (const char *path,
                      gint64      id)
{
  g_autoptr(GPtrArray) opportunities = om_test_database_load (path, NULL);

  for (guint i = 0; i < opportunities->len; i++)
    {
      const OmOpportunityData *data = g_ptr_array_index (opportunities, i);

      if (data->id == id)
        return om_opportunity_data_copy (data);
    }
  g_error ("%s holds no opportunity %" G_GINT64_FORMAT, path, id);
}

/**
 * om_test_database_remove:
 *
 * Removes the database file @path and whatever SQLite keeps beside it.
 */
void
om_test_database_remove (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
}

/**
 * om_test_database_apply:
 * @db: an #OmBackend
 * @before: (nullable): the opportunity as @db keeps it, or %NULL to create
 * @after: (nullable): what it becomes, or %NULL to remove it
 *
 * One edit of one opportunity, written by @db's backend as the model
 * writes it; it must be kept.
 *
 * Returns: (transfer full) (nullable): @after as kept (its ids and
 *   revision), %NULL for a removal
 */
OmOpportunityData *
om_test_database_apply (gpointer                 db,
                        const OmOpportunityData *before,
                        const OmOpportunityData *after)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) om_change_free);
  g_autoptr(GError) error = NULL;
  OmChange *change = om_change_new (OM_CHANGE_OPPORTUNITY, before, after);

  g_ptr_array_add (changes, change);
  g_assert_true (om_backend_apply (OM_BACKEND (db), changes, &error));
  g_assert_no_error (error);
  return change->after != NULL ? om_opportunity_data_copy (change->after) : NULL;
}

/* The statements a database runs, from its "om-sql" debug log */
static GPtrArray *captured;

static void
capture_handler (const char     *domain,
                 GLogLevelFlags  level,
                 const char     *message,
                 gpointer        user_data)
{
  if (captured != NULL)
    g_ptr_array_add (captured, g_strdup (message));
}

/**
 * om_test_sql_capture_start:
 *
 * From here, a database or server backend opened logs the statements it
 * runs (G_MESSAGES_DEBUG=om-sql, read when it is opened), and they are
 * kept until om_test_sql_capture_stop().
 */
void
om_test_sql_capture_start (void)
{
  static gsize handler;

  if (g_once_init_enter (&handler))
    g_once_init_leave (&handler, g_log_set_handler ("om-sql", G_LOG_LEVEL_DEBUG, capture_handler, NULL));
  g_assert_null (captured);
  g_setenv ("G_MESSAGES_DEBUG", "om-sql", TRUE);
  captured = g_ptr_array_new_with_free_func (g_free);
}

/**
 * om_test_sql_capture_stop:
 *
 * Returns: (transfer full): the statements logged since
 *   om_test_sql_capture_start()
 */
GPtrArray *
om_test_sql_capture_stop (void)
{
  g_unsetenv ("G_MESSAGES_DEBUG");
  return g_steal_pointer (&captured);
}
