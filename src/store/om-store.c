/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "om-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "om-database.h"
#include "om-pg-backend.h"
#include "om-store.h"

/*
 * Where the opportunities are kept: a SQLite file (SPEC 8) or a team's
 * PostgreSQL server (SPEC 9). The command line and the window ask here,
 * so that a location means the same thing to both.
 */

/**
 * om_store_location_is_server:
 *
 * Returns: whether @location names a server (a `postgresql://` or
 *   `postgres://` URI, or a libpq `key=value` connection string); every
 *   other location is a file
 */
gboolean
om_store_location_is_server (const char *location)
{
  g_return_val_if_fail (location != NULL, FALSE);

  return om_pg_location_is_server (location);
}

/**
 * om_store_location_shown:
 *
 * Returns: (transfer full): @location as it may be shown or logged: a
 *   server's without its password
 */
char *
om_store_location_shown (const char *location)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (om_store_location_is_server (location))
    return om_pg_location_shown (location);
  return g_strdup (location);
}

/* "scheme://…": a URI, never a file name (a folder named "scheme:"
 * would be made otherwise) */
static gboolean
looks_like_uri (const char *location)
{
  const char *colon = strstr (location, "://");

  if (colon == NULL || colon == location || !g_ascii_isalpha (*location))
    return FALSE;
  for (const char *p = location; p < colon; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
settings_schema_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL && g_settings_schema_has_key (schema, "database-uri");
}

/**
 * om_store_get_default_location:
 *
 * Returns: (transfer full): the `database-uri` setting when it is set,
 *   otherwise the SQLite file in the user's data directory
 */
char *
om_store_get_default_location (void)
{
  if (settings_schema_installed ())
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_autofree char *uri = g_settings_get_string (settings, "database-uri");

      if (!om_str_is_blank (uri))
        return g_strstrip (g_steal_pointer (&uri));
    }
  return om_database_get_default_path ();
}

/**
 * om_store_open_backend:
 * @location: a file, or a server (om_store_location_is_server())
 *
 * Returns: (transfer full) (nullable): the backend keeping @location's
 *   opportunities
 */
OmBackend *
om_store_open_backend (const char  *location,
                       GError     **error)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (om_store_location_is_server (location))
    return (OmBackend *) om_pg_backend_open (location, error);
  if (looks_like_uri (location))
    {
      g_autofree char *scheme = g_strndup (location, strstr (location, "://") - location);
      g_autofree char *shown = om_text_excerpt (scheme);

      g_set_error (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_REGULAR,
                   _("“%s://” is not a kind of database Opportunity Manager knows: give a file, or a server "
                     "as postgresql://USER@HOST/DATABASE."), shown);
      return NULL;
    }
  return (OmBackend *) om_database_open (location, error);
}

static void
open_backend_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  OmBackend *backend = om_store_open_backend (task_data, &error);

  if (backend == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, backend, g_object_unref);
}

/**
 * om_store_open_backend_async:
 *
 * Opens @location in a thread of its own: connecting to a server takes
 * as long as the network does, and the window goes on meanwhile. A
 * cancelled open answers at once; the connection still being made is
 * dropped when it is.
 */
void
om_store_open_backend_async (const char          *location,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (location != NULL);

  g_task_set_source_tag (task, om_store_open_backend_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_strdup (location), g_free);
  g_task_run_in_thread (task, open_backend_thread);
}

/**
 * om_store_open_backend_finish:
 *
 * Returns: (transfer full) (nullable): the backend, or %NULL with
 *   @error set (%G_IO_ERROR_CANCELLED when it was cancelled)
 */
OmBackend *
om_store_open_backend_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * om_store_open_repository:
 *
 * Returns: (transfer full) (nullable): a repository showing what
 *   @location keeps and keeping every edit there
 */
OmRepository *
om_store_open_repository (const char  *location,
                          GError     **error)
{
  g_autoptr(OmBackend) backend = om_store_open_backend (location, error);

  /* it reads what it shows, when it shows it (SPEC 8) */
  if (backend == NULL)
    return NULL;
  return om_repository_new (backend);
}

/**
 * om_store_init_server:
 *
 * Creates or updates the schema, roles and policies on the server
 * @location (SPEC 9); a file is refused.
 */
gboolean
om_store_init_server (const char  *location,
                      GError     **error)
{
  g_return_val_if_fail (location != NULL, FALSE);

  if (!om_store_location_is_server (location))
    {
      g_set_error_literal (error, OM_STORE_ERROR, OM_STORE_ERROR_NOT_REGULAR,
                           _("--init-server sets up a server: give it as --database=postgresql://USER@HOST/DATABASE "
                             "or a libpq connection string."));
      return FALSE;
    }
  return om_pg_backend_init_server (location, error);
}
