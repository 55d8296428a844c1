#include "staged.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

int kudos_stage_file(struct kudos_staged *st, const char *path, const void *data, size_t len,
                     struct kudos_error *err)
{
	char *tmp = NULL, *copy = NULL;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		struct kudos_staged_file *v = realloc(st->files, cap * sizeof *v);
		if (!v)
			goto oom;
		st->files = v;
		st->cap = cap;
	}
	if (!(copy = strdup(path)))
		goto oom;
	if (kudos_write_temp(path, data, len, 0, &tmp, err)) {
		free(copy);
		return -1;
	}
	st->files[st->n++] = (struct kudos_staged_file){tmp, copy};
	return 0;
oom:
	return kudos_fail(err, KUDOS_EXIT_FAIL, "%s: out of memory", path);
}

/* The distinct folders of the staged files, opened: fds[0..*n).
 * RETURN VALUE 0, or -1 with the error set and nothing left open. */
static int open_folders(const struct kudos_staged *st, int *fds, char **names, size_t *n,
                        struct kudos_error *err)
{
	*n = 0;
	for (size_t i = 0; i < st->n; i++) {
		char *dir = kudos_path_dirname(st->files[i].path);
		if (!dir)
			goto oom;
		size_t k = 0;
		while (k < *n && strcmp(names[k], dir) != 0)
			k++;
		if (k < *n) {
			free(dir);
			continue;
		}
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "cannot open folder %s: %s", dir,
			           strerror(errno));
			free(dir);
			goto fail;
		}
		fds[*n] = fd;
		names[(*n)++] = dir;
	}
	return 0;
oom:
	kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
fail:
	for (size_t k = 0; k < *n; k++) {
		close(fds[k]);
		free(names[k]);
	}
	*n = 0;
	return -1;
}

/* Remove the temporaries from `from` on and empty `st`. */
static void drop_from(struct kudos_staged *st, size_t from)
{
	for (size_t i = 0; i < st->n; i++) {
		if (i >= from)
			unlink(st->files[i].tmp);
		free(st->files[i].tmp);
		free(st->files[i].path);
	}
	st->n = 0;
}

int kudos_staged_commit(struct kudos_staged *st, struct kudos_error *err)
{
	if (st->n == 0)
		return 0;
	int rc = -1, *fds = calloc(st->n, sizeof *fds);
	char **names = calloc(st->n, sizeof *names);
	size_t n_dirs = 0, done = 0;
	if (!fds || !names) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto out;
	}
	if (open_folders(st, fds, names, &n_dirs, err))
		goto out;
	/* One flush per file system writes every staged file's data before
	 * any of them replaces its target. */
	for (size_t k = 0; k < n_dirs; k++)
		if (syncfs(fds[k]) != 0) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "cannot write the files in %s: %s",
			           names[k], strerror(errno));
			goto out;
		}
	for (; done < st->n; done++)
		if (rename(st->files[done].tmp, st->files[done].path) != 0) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "cannot replace %s: %s",
			           st->files[done].path, strerror(errno));
			goto out;
		}
	/* The renames themselves live in the folders. */
	for (size_t k = 0; k < n_dirs; k++)
		if (fsync(fds[k]) != 0) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "cannot write folder %s: %s", names[k],
			           strerror(errno));
			goto out;
		}
	rc = 0;
out:
	drop_from(st, done);
	for (size_t k = 0; k < n_dirs; k++) {
		close(fds[k]);
		free(names[k]);
	}
	free(fds);
	free(names);
	return rc;
}

void kudos_staged_discard(struct kudos_staged *st)
{
	drop_from(st, 0);
	free(st->files);
	st->files = NULL;
	st->cap = 0;
}
