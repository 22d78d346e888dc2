/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "om-model.h"

G_BEGIN_DECLS

/**
 * OmJsonError:
 *
 * Why a JSON document (format `oppmanager/2` or `oppmanager/1`, SPEC
 * section 6) was refused. The message always says where: the JSON path
 * of the problem (`opportunities[0].stages[2].status`), or the line and
 * column of a syntax error.
 */
typedef enum
{
  OM_JSON_ERROR_IO,
  OM_JSON_ERROR_ENCODING,
  OM_JSON_ERROR_SYNTAX,
  OM_JSON_ERROR_FORMAT,
  OM_JSON_ERROR_UNKNOWN_KEY,
  OM_JSON_ERROR_MISSING_KEY,
  OM_JSON_ERROR_TYPE,
  OM_JSON_ERROR_VALUE,
  OM_JSON_ERROR_RULE,
} OmJsonError;

#define OM_JSON_ERROR (om_json_error_quark ())
GQuark     om_json_error_quark        (void);

gboolean   om_json_parse              (const char    *text,
                                       gssize         length,
                                       GPtrArray    **opportunities,
                                       GPtrArray    **templates,
                                       GError       **error);
gboolean   om_json_parse_file         (const char    *path,
                                       GPtrArray    **opportunities,
                                       GPtrArray    **templates,
                                       GError       **error);
gboolean   om_json_parse_gfile        (GFile         *file,
                                       GPtrArray    **opportunities,
                                       GPtrArray    **templates,
                                       GError       **error);
char      *om_json_write              (GPtrArray     *opportunities,
                                       GPtrArray     *templates,
                                       gsize         *length);
GArray    *om_json_import_file        (OmRepository  *repository,
                                       const char    *path,
                                       GError       **error);
GArray    *om_json_import_gfile       (OmRepository  *repository,
                                       GFile         *file,
                                       GError       **error);
gboolean   om_json_export_file        (OmRepository  *repository,
                                       const char    *path,
                                       gint64         only_id,
                                       GError       **error);
gboolean   om_json_export_templates_file (OmRepository *repository,
                                       const char    *path,
                                       GError       **error);
gboolean   om_json_import_templates_gfile (OmRepository *repository,
                                       GFile         *file,
                                       guint         *n_imported,
                                       GError       **error);
char      *om_json_export_repository  (OmRepository  *repository,
                                       gint64         only_id,
                                       gsize         *length,
                                       GError       **error);
char      *om_json_format_number      (double         value);

G_END_DECLS
