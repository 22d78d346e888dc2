/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sys/resource.h>

#include "om-model.h"

G_BEGIN_DECLS

/*
 * What the tests share below the window: GLib, GIO and the model only,
 * so that the model's and the store's tests link no GTK and run under
 * the sanitizers with it.
 */

/* Dates */

OmDate      om_test_date               (const char  *iso);

/* Plans: the start date of om_test_plan_new()'s opportunities */
#define OM_TEST_START "2024-01-01"

OmDate             om_test_day         (int         offset);
void               om_test_set_today   (int         offset);
OmStageData       *om_test_stage_new   (guint       n);
OmOpportunityData *om_test_plan_new    (const char *title,
                                        guint       n_stages);
OmOpportunity     *om_test_create      (OmRepository            *repository,
                                        const OmOpportunityData *data);

/* Files and folders */

char       *om_test_make_dir           (const char  *name);
void        om_test_remove_tree        (const char  *path);
char       *om_test_list_dir           (const char  *path,
                                        const char  *ignored_prefix);
char       *om_test_read_file          (const char  *path);
GBytes     *om_test_read_bytes         (const char  *path);
GThread    *om_test_read_file_in_thread (const char *path);

/* Signals, recorded */

typedef struct _OmTestRecorder OmTestRecorder;

OmTestRecorder *om_test_recorder_new          (void);
void            om_test_recorder_free         (OmTestRecorder *self);
void            om_test_recorder_watch_notify (OmTestRecorder *self,
                                               gpointer        object,
                                               const char     *label);
void            om_test_recorder_watch_items  (OmTestRecorder *self,
                                               GListModel     *model,
                                               const char     *label);
char           *om_test_recorder_take         (OmTestRecorder *self,
                                               const char     *label);
void            om_test_recorder_clear        (OmTestRecorder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OmTestRecorder, om_test_recorder_free)

/* Asserts the events of @label (all when %NULL) since the last take:
 * sorted, joined by spaces, without the label */
#define om_test_assert_events(recorder, label, expected) \
  G_STMT_START { \
    g_autofree char *_got = om_test_recorder_take ((recorder), (label)); \
    g_assert_cmpstr (_got, ==, (expected)); \
  } G_STMT_END

/* A backend that keeps nothing */

#define OM_TEST_BACKEND_FAILURE "The disk is full"

#define OM_TEST_TYPE_BACKEND (om_test_backend_get_type ())
G_DECLARE_FINAL_TYPE (OmTestBackend, om_test_backend, OM_TEST, BACKEND, GObject)

struct _OmTestBackend
{
  GObject    parent_instance;

  GPtrArray *calls;       /* one GPtrArray of OmChange copies per apply that succeeded */
  guint      n_attempts;  /* every apply, failed or not */
  GError    *failure;     /* when set, apply fails with a copy of it */
  gint64     next_id;     /* the last opportunity id it gave, as a database does */
  gint64     next_stage_id;
};

OmTestBackend  *om_test_backend_new           (void);
void            om_test_backend_set_failing   (OmTestBackend  *self,
                                               gboolean        failing);
void            om_test_backend_reset         (OmTestBackend  *self);
const OmChange *om_test_backend_single_change (OmTestBackend  *self);

/* An edit of one text of the opportunity (a field of OmOpportunityData
 * at @offset), through om_opportunity_edit() as the window makes it */
gboolean        om_test_edit_text           (OmOpportunity  *opportunity,
                                             gsize           offset,
                                             const char     *text,
                                             GError        **error);
#define om_test_retitle(opp, text, error) \
  om_test_edit_text ((opp), G_STRUCT_OFFSET (OmOpportunityData, title), (text), (error))
#define om_test_renote(opp, text, error) \
  om_test_edit_text ((opp), G_STRUCT_OFFSET (OmOpportunityData, notes), (text), (error))

/* What om_repository_import() gave, as the opportunities (with references) */
GPtrArray      *om_test_found               (OmRepository   *repository,
                                             GArray         *ids);
GPtrArray      *om_test_import              (OmRepository   *repository,
                                             GPtrArray      *opportunities,
                                             GPtrArray      *templates,
                                             GError        **error);

/* Other programs */

const char          *om_test_oppmanager        (void);
GSubprocessLauncher *om_test_cli_launcher_new  (GSubprocessFlags  flags,
                                                const char       *today);
void                 om_test_launcher_restrict (GSubprocessLauncher *launcher,
                                                rlim_t               file_size_limit,
                                                gboolean             as_nobody);
GSubprocess         *om_test_cli_spawn         (GSubprocessLauncher *launcher,
                                                const char          *first,
                                                ...) G_GNUC_NULL_TERMINATED;
GSubprocess         *om_test_cli_spawn_valist  (GSubprocessLauncher *launcher,
                                                const char          *first,
                                                va_list              args);
char                *om_test_run               (const char * const *argv);
guint                om_test_pdf_n_pages       (const char  *pdf,
                                                char       **info);
char                *om_test_pdf_text          (const char  *pdf,
                                                guint        page);

G_END_DECLS
