#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int kudos_read_file_into(const char *path, const char *what, char **buf, size_t *cap,
                         size_t *len, struct kudos_error *err)
{
	size_t used = 0;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s %s: %s", what, path, strerror(errno));
	/* Room for the file's size plus one byte, to see the end without a
	 * second read; a file that grows meanwhile still reads. */
	size_t want = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	for (;;) {
		if (!*buf || used == *cap || *cap < want) {
			size_t ncap = *cap < want ? want : *cap * 2;
			char *n = realloc(*buf, ncap + 1);
			if (!n) {
				kudos_fail(err, KUDOS_EXIT_FAIL, "%s %s: out of memory", what, path);
				goto fail;
			}
			*buf = n;
			*cap = ncap;
		}
		ssize_t got = read(fd, *buf + used, *cap - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			kudos_fail(err, KUDOS_EXIT_INPUT, "%s %s: read error: %s", what, path,
			           strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		used += (size_t)got;
	}
	close(fd);
	(*buf)[used] = '\0';
	*len = used;
	return 0;
fail:
	close(fd);
	return -1;
}

int kudos_read_file(const char *path, const char *what, char **data, size_t *len,
                    struct kudos_error *err)
{
	char *buf = NULL;
	size_t cap = 0;
	if (kudos_read_file_into(path, what, &buf, &cap, len, err)) {
		free(buf);
		return -1;
	}
	*data = buf;
	return 0;
}

int kudos_mkdirs(const char *dir, struct kudos_error *err)
{
	char tmp[PATH_MAX];
	size_t n = strlen(dir);
	if (n == 0)
		return 0;
	if (n >= sizeof tmp)
		return kudos_fail(err, KUDOS_EXIT_INPUT, "%s: path too long", dir);
	memcpy(tmp, dir, n + 1);
	for (char *p = tmp + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			*p = '\0';
			if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
				return kudos_fail(err, KUDOS_EXIT_FAIL,
				                  "cannot create folder %s: %s", tmp,
				                  strerror(errno));
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	return 0;
}

int kudos_write_temp(const char *path, const void *data, size_t len, int sync, char **tmp,
                     struct kudos_error *err)
{
	char *dir = kudos_path_dirname(path);
	const char *base = strrchr(path, '/');
	int fd = -1;
	*tmp = NULL;
	if (!dir || kudos_mkdirs(dir, err) != 0)
		goto fail;
	/* Hidden, so that a web build listing the folder while kudos writes
	 * does not pick the temporary up. */
	if (asprintf(tmp, "%s/.%s.tmp-XXXXXX", dir, base ? base + 1 : path) < 0) {
		*tmp = NULL;
		kudos_fail(err, KUDOS_EXIT_FAIL, "%s: out of memory", path);
		goto fail;
	}
	fd = mkstemp(*tmp);
	if (fd < 0) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "cannot create a temporary file beside %s: %s",
		           path, strerror(errno));
		goto fail;
	}
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			kudos_fail(err, KUDOS_EXIT_FAIL, "cannot write %s: %s", path,
			           strerror(errno));
			goto fail_unlink;
		}
		p += w;
		left -= (size_t)w;
	}
	/* Files we publish are meant to be read by others (web builds). */
	if (fchmod(fd, 0644) != 0 || (sync && fsync(fd) != 0)) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "cannot write %s: %s", path, strerror(errno));
		goto fail_unlink;
	}
	int closed = close(fd);
	fd = -1;
	if (closed != 0) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "cannot write %s: %s", path, strerror(errno));
		goto fail_unlink;
	}
	free(dir);
	return 0;
fail_unlink:
	unlink(*tmp);
fail:
	if (fd >= 0)
		close(fd);
	free(*tmp);
	*tmp = NULL;
	free(dir);
	return -1;
}

int kudos_write_atomic(const char *path, const void *data, size_t len,
                       struct kudos_error *err)
{
	char *tmp;
	if (kudos_write_temp(path, data, len, 1, &tmp, err))
		return -1;
	int rc = 0;
	if (rename(tmp, path) != 0) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "cannot replace %s: %s", path, strerror(errno));
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	return rc;
}

char *kudos_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

char *kudos_path_resolve(const char *base, const char *rel)
{
	char *joined;
	if (rel[0] == '/' || !base || !*base)
		joined = strdup(rel);
	else if (asprintf(&joined, "%s/%s", base, rel) < 0)
		joined = NULL;
	if (!joined)
		return NULL;

	/* Normalise in place: a stack of segment starts. */
	int absolute = joined[0] == '/';
	char *out = malloc(strlen(joined) + 2);
	if (!out) {
		free(joined);
		return NULL;
	}
	size_t o = 0;
	if (absolute)
		out[o++] = '/';
	size_t root = o;
	char *save = NULL;
	for (char *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			/* Drop the last segment unless there is none (or it is a
			 * leading ".." of a relative path, which must stay). */
			size_t end = o;
			if (end > root && out[end - 1] == '/')
				end--;
			size_t start = end;
			while (start > root && out[start - 1] != '/')
				start--;
			int last_is_dotdot = end - start == 2 && out[start] == '.' &&
			                     out[start + 1] == '.';
			if (end > root && !last_is_dotdot) {
				o = start;
				continue;
			}
			if (absolute)
				continue; /* "/.." is "/" */
		}
		size_t n = strlen(seg);
		if (o > root && out[o - 1] != '/')
			out[o++] = '/';
		memcpy(out + o, seg, n);
		o += n;
	}
	if (o > root && out[o - 1] == '/')
		o--;
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	free(joined);
	return out;
}

int kudos_path_is_confined(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/')
		return 0;
	int depth = 0;
	const char *p = rel;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 0;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return depth > 0;
}

char *kudos_path_relative(const char *from, const char *to)
{
	size_t flen = strlen(from);
	if (flen && from[flen - 1] == '/')
		flen--; /* "/" itself */
	if (strncmp(from, to, flen) == 0 && (to[flen] == '/' || to[flen] == '\0'))
		return strdup(to[flen] && to[flen + 1] ? to + flen + 1 : ".");
	/* The common folder prefix, by whole segments; `from` goes on past
	 * it, so climb once per segment left in `from`. */
	size_t common = 0;
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	int ups = 0;
	for (const char *p = from + common; *p; p++)
		if (*p != '/' && (p == from + common || p[-1] == '/'))
			ups++;
	size_t rest = strlen(to + common);
	char *out = malloc((size_t)ups * 3 + rest + 1), *o = out;
	if (!out)
		return NULL;
	for (int i = 0; i < ups; i++) {
		memcpy(o, "../", 3);
		o += 3;
	}
	memcpy(o, to + common, rest + 1);
	return out;
}
