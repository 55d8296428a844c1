/*
 * Reading a source's "path" for the host's each_file and
 * each_file_parallel services (see <kudos/plugin.h>).
 *
 * each_file_parallel hands files to worker threads.  While a worker runs
 * the plugin's callback for one file, the callback talks to the host
 * through a per-file copy of the instance whose `batch` is set: items it
 * emits and lines it logs are kept in the batch instead of being stored
 * or printed.  The calling thread takes the batches in file name order
 * and hands them on (kudos_instance_emit, stderr), so the outcome is the
 * same as reading the files one after the other.
 *
 * Each worker keeps a read buffer and a cJSON arena (json_arena.h) from
 * file to file; the arena is open only while the callback runs.  Once it
 * is closed the worker seals the file's items (kudos_item_seal), so the
 * single store writer finds their hash and JSON made.
 */
#ifndef KUDOS_ENGINE_HOST_FILES_H
#define KUDOS_ENGINE_HOST_FILES_H

#include <stddef.h>

#include "instance.h"

struct kudos_file_batch {
	struct kudos_item **items;
	size_t n_items, cap_items;
	char **lines;            /* formatted log lines, printed as they are */
	size_t n_lines, cap_lines;
	long n_invalid;          /* items the host refused while emitting */
	int oom;                 /* something could not be kept */
};

/* Keep an emitted item (transfer full) / a log line (copied).  Out of
 * memory frees the item and sets b->oom, which fails the file. */
void kudos_batch_item(struct kudos_file_batch *b, struct kudos_item *it);
void kudos_batch_line(struct kudos_file_batch *b, const char *line);

int kudos_host_each_file(struct kudos_instance *self, const char *path,
                         int (*fn)(void *, const char *, const char *, size_t), void *ud);
int kudos_host_each_file_parallel(struct kudos_instance *self, const char *path,
                                  int (*fn)(void *, struct kudos_instance *, const char *,
                                            const char *, size_t),
                                  void *ud);

#endif
