/*
 * The host service table (struct kudos_host, <kudos/plugin.h>) is built
 * in host.c from services kept by concern:
 *   host.c         logging, configuration, building and reading items,
 *                  cursors, text and time helpers; the table; instances
 *   host_output.c  what outputs call: confined writes, per-item files and
 *                  placements, the gate per time, progress, the aggregate
 *   host_filter.c  what filters call: flags, tags, scores, a language
 *   host_files.c   reading a source's pages (host_files.h)
 * Each service's contract is the one <kudos/plugin.h> states for its
 * member; these declarations only join the files.  Not for plugins.
 */
#ifndef KUDOS_ENGINE_HOST_SERVICES_H
#define KUDOS_ENGINE_HOST_SERVICES_H

#include <stddef.h>
#include <stdint.h>

#include "instance.h"

/* host.c, shared with the other service files */
void kudos_host_log(struct kudos_instance *self, int level, const char *fmt, ...)
	KUDOS_PRINTF(3, 4);
void kudos_host_set_error(struct kudos_instance *self, const char *fmt, ...)
	KUDOS_PRINTF(2, 3);
/* 1 if s is valid UTF-8. */
int kudos_host_text_ok(const char *s);

/* host_output.c */
const char *kudos_host_output_dir(struct kudos_instance *self);
int kudos_host_output_write(struct kudos_instance *self, const char *relative,
                            const void *data, size_t len);
int kudos_host_output_write_report(struct kudos_instance *self, const char *relative,
                                   const void *data, size_t len);
int kudos_host_output_place(struct kudos_instance *self, const char *item_id,
                            const char *relative);
int kudos_host_output_write_item(struct kudos_instance *self, const struct kudos_item *item,
                                 const char *relative, const void *data, size_t len);
int kudos_host_output_keep_item(struct kudos_instance *self, const struct kudos_item *item,
                                const char *relative);
int kudos_host_output_write_item_id(struct kudos_instance *self, const char *item_id,
                                    const char *relative, const void *data, size_t len);
int kudos_host_output_leave_out(struct kudos_instance *self, const char *item_id);
void kudos_host_output_progress(struct kudos_instance *self, int64_t done, int64_t total);
int kudos_host_jobs(struct kudos_instance *self);
const char *kudos_host_item_excerpt(const struct kudos_item *it);
const char *kudos_host_item_artifact(struct kudos_instance *self,
                                     const struct kudos_item *item, const char *plugin);
int kudos_host_item_grant_window(const struct kudos_item *item, int64_t *from,
                                 int64_t *until);
int kudos_host_output_horizon(struct kudos_instance *self, int64_t from, int64_t until);
int kudos_host_gate_check_at(struct kudos_instance *self, const char *item_id, int64_t at,
                             const char **reason);
int64_t kudos_host_aggregate_rating(struct kudos_instance *self, double *average);

/* host_filter.c */
int kudos_host_filter_flag(struct kudos_instance *self, const struct kudos_item *item,
                           const char *flag, const char *detail);
int kudos_host_filter_tag(struct kudos_instance *self, const struct kudos_item *item,
                          const char *tag);
int kudos_host_filter_score(struct kudos_instance *self, const struct kudos_item *item,
                            const char *name, double value);
int kudos_host_filter_set_language(struct kudos_instance *self,
                                   const struct kudos_item *item, const char *language);

#endif
