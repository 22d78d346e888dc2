/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-model.h"

G_BEGIN_DECLS

/**
 * OmStoreError:
 *
 * Why a database was refused or a write failed. A refused file is left
 * byte-for-byte as it was.
 *
 * %OM_STORE_ERROR_READ_ONLY and %OM_STORE_ERROR_DISK_FULL are about where
 * the file is, not about the file: a healthy database gets them, and no
 * backup needs restoring. %OM_STORE_ERROR_NOT_REGULAR: the path names a
 * folder, a device or a FIFO. %OM_STORE_ERROR_CONFLICT: another writer
 * changed or removed an opportunity since the edit's revision of it
 * (R7); nothing was written. %OM_STORE_ERROR_DENIED: a team server
 * refused the write to this user (its roles and row-level security
 * policies); %OM_STORE_ERROR_UNREACHABLE: the server could not be
 * reached. Nothing was written either way.
 */
typedef enum
{
  OM_STORE_ERROR_IO,
  OM_STORE_ERROR_NOT_DATABASE,
  OM_STORE_ERROR_FOREIGN,
  OM_STORE_ERROR_DAMAGED,
  OM_STORE_ERROR_TOO_NEW,
  OM_STORE_ERROR_MIGRATION,
  OM_STORE_ERROR_WRITE,
  OM_STORE_ERROR_READ_ONLY,
  OM_STORE_ERROR_DISK_FULL,
  OM_STORE_ERROR_NOT_REGULAR,
  OM_STORE_ERROR_CONFLICT,
  OM_STORE_ERROR_DENIED,
  OM_STORE_ERROR_UNREACHABLE,
} OmStoreError;

#define OM_STORE_ERROR (om_store_error_quark ())
GQuark om_store_error_quark (void);

#define OM_DATABASE_SCHEMA_VERSION 8

#define OM_TYPE_DATABASE (om_database_get_type ())
G_DECLARE_FINAL_TYPE (OmDatabase, om_database, OM, DATABASE, GObject)

char         *om_database_get_default_path  (void);
OmDatabase   *om_database_open              (const char  *path,
                                             GError     **error);
const char   *om_database_get_path          (OmDatabase  *self);
const char   *om_database_get_read_only     (OmDatabase  *self);
gboolean      om_database_load              (OmDatabase  *self,
                                             GPtrArray  **opportunities,
                                             GPtrArray  **templates,
                                             GError     **error);
OmRepository *om_database_open_repository   (const char  *path,
                                             GError     **error);
void          om_database_set_busy_timeout  (OmDatabase  *self,
                                             guint        milliseconds);

G_END_DECLS
