#include "host_files.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>

#include "cores.h"
#include "fsutil.h"
#include "json_arena.h"

/* Pages a worker may read ahead of the one being handed on, per worker:
 * enough to keep every core busy while one slow page is parsed, few
 * enough that memory stays a handful of pages. */
#define AHEAD_PER_WORKER 4
#define MAX_WORKERS 8

typedef int (*serial_fn)(void *, const char *, const char *, size_t);
typedef int (*parallel_fn)(void *, struct kudos_instance *, const char *, const char *,
                           size_t);

static int stopped(const struct kudos_instance *self)
{
	return self->stop && *self->stop;
}

/* ---- batches ------------------------------------------------------------ */

void kudos_batch_item(struct kudos_file_batch *b, struct kudos_item *it)
{
	if (b->n_items == b->cap_items) {
		size_t cap = b->cap_items ? b->cap_items * 2 : 64;
		struct kudos_item **v = realloc(b->items, cap * sizeof *v);
		if (!v) {
			kudos_item_free(it);
			b->oom = 1;
			return;
		}
		b->items = v;
		b->cap_items = cap;
	}
	b->items[b->n_items++] = it;
}

void kudos_batch_line(struct kudos_file_batch *b, const char *line)
{
	char *copy = strdup(line);
	if (!copy || b->n_lines == b->cap_lines) {
		size_t cap = b->cap_lines ? b->cap_lines * 2 : 8;
		char **v = copy ? realloc(b->lines, cap * sizeof *v) : NULL;
		if (!v) {
			free(copy);
			b->oom = 1;
			return;
		}
		b->lines = v;
		b->cap_lines = cap;
	}
	b->lines[b->n_lines++] = copy;
}

static void batch_clear(struct kudos_file_batch *b)
{
	for (size_t i = 0; i < b->n_items; i++)
		kudos_item_free(b->items[i]);
	for (size_t i = 0; i < b->n_lines; i++)
		free(b->lines[i]);
	free(b->items);
	free(b->lines);
	memset(b, 0, sizeof *b);
}

/* ---- listing and reading ------------------------------------------------ */

static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static void free_list(char **files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

/* The files `path` names: itself, or the visible regular files of a
 * folder in name order.  RETURN VALUE KUDOS_OK with *files (transfer
 * full), or KUDOS_EINVAL / KUDOS_EIO / KUDOS_ENOMEM with the error set. */
static int list_files(struct kudos_instance *self, const char *path, char ***files,
                      size_t *count)
{
	struct stat st;
	struct dirent **names = NULL;
	char **v = NULL;
	size_t n = 0;
	int rc = KUDOS_OK;
	*files = NULL;
	*count = 0;
	if (stat(path, &st) != 0) {
		int missing = errno == ENOENT || errno == ENOTDIR;
		snprintf(self->error, sizeof self->error,
		         "%s: %s; check the source's \"path\" in the job", path, strerror(errno));
		return missing ? KUDOS_EINVAL : KUDOS_EIO;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (!(v = malloc(sizeof *v)) || !(v[0] = strdup(path))) {
			free(v);
			return KUDOS_ENOMEM;
		}
		*files = v;
		*count = 1;
		return KUDOS_OK;
	}
	/* alphasort is strcmp order here: kudos never sets a locale. */
	int found = scandir(path, &names, visible, alphasort);
	if (found < 0) {
		snprintf(self->error, sizeof self->error, "%s: cannot list the folder: %s", path,
		         strerror(errno));
		return KUDOS_EIO;
	}
	if (found && !(v = calloc((size_t)found, sizeof *v)))
		rc = KUDOS_ENOMEM;
	for (int i = 0; i < found; i++) {
		char *file = NULL;
		if (rc == KUDOS_OK && asprintf(&file, "%s/%s", path, names[i]->d_name) < 0) {
			file = NULL;
			rc = KUDOS_ENOMEM;
		}
		if (file && stat(file, &st) == 0 && S_ISREG(st.st_mode))
			v[n++] = file;
		else
			free(file);
		free(names[i]);
	}
	free(names);
	if (rc != KUDOS_OK) {
		free_list(v, n);
		return rc;
	}
	*files = v;
	*count = n;
	return KUDOS_OK;
}

/* Read `file` whole into *buf (kept from file to file: see
 * kudos_read_file_into); RETURN VALUE KUDOS_OK or KUDOS_EIO with the error
 * set. */
static int read_whole(struct kudos_instance *self, const char *file, char **buf,
                      size_t *cap, size_t *len)
{
	struct kudos_error err = {0};
	if (kudos_read_file_into(file, "source file", buf, cap, len, &err)) {
		snprintf(self->error, sizeof self->error, "%s", err.msg);
		return KUDOS_EIO;
	}
	return KUDOS_OK;
}

int kudos_host_each_file(struct kudos_instance *self, const char *path, serial_fn fn,
                         void *ud)
{
	char **files, *buf = NULL;
	size_t n, cap = 0, len;
	if (!path || !fn)
		return KUDOS_EINVAL;
	int rc = list_files(self, path, &files, &n);
	for (size_t i = 0; rc == KUDOS_OK && i < n; i++) {
		if (stopped(self))
			rc = KUDOS_ESTOP;
		else if ((rc = read_whole(self, files[i], &buf, &cap, &len)) == KUDOS_OK)
			rc = fn(ud, files[i], buf, len);
	}
	free(buf);
	free_list(files, n);
	return rc;
}

/* ---- the parallel reader ------------------------------------------------ */

struct slot {
	int done, rc;
	struct kudos_instance file_self; /* the callback's view of the instance */
	struct kudos_file_batch batch;
};

struct pool {
	struct kudos_instance *self;
	char **files;
	size_t n;
	parallel_fn fn;
	void *ud;
	pthread_mutex_t lock;
	pthread_cond_t ready, room;
	size_t next;      /* the next file a worker takes */
	size_t delivered; /* files handed on so far */
	size_t window;    /* slots: files in flight at most */
	int abort;
	struct slot *slots;
};

/* The instance as a callback for one file sees it: only what does not
 * change while collect() runs (the writer thread updates the counts), and
 * the file's own batch. */
static void file_view(struct kudos_instance *v, const struct kudos_instance *self,
                      struct kudos_file_batch *batch)
{
	memset(v, 0, sizeof *v);
	v->desc = self->desc;
	v->job = self->job;
	v->jp = self->jp;
	memcpy(v->label, self->label, sizeof v->label);
	v->ctx = self->ctx;
	v->verbosity = self->verbosity;
	v->stop = self->stop;
	v->run_time = self->run_time;
	v->batch = batch;
}

/* What a worker keeps from file to file. */
struct worker_mem {
	char *buf; /* the read buffer */
	size_t cap;
	struct kudos_json_arena json; /* the callback's cJSON trees */
};

/* Run the callback for file i with the worker's memory `m`. */
static int run_file(struct pool *p, size_t i, struct slot *s, struct worker_mem *m)
{
	size_t len;
	if (stopped(p->self))
		return KUDOS_ESTOP;
	int rc = read_whole(&s->file_self, p->files[i], &m->buf, &m->cap, &len);
	if (rc != KUDOS_OK)
		return rc;
	kudos_json_arena_open(&m->json);
	rc = p->fn(p->ud, &s->file_self, p->files[i], m->buf, len);
	kudos_json_arena_close(&m->json);
	/* Outside the arena: what sealing makes outlives the page.  An item
	 * that fails to seal is sealed by the store instead. */
	for (size_t k = 0; rc == KUDOS_OK && k < s->batch.n_items; k++)
		(void)kudos_item_seal(s->batch.items[k]);
	if (rc == KUDOS_OK && s->batch.oom) {
		snprintf(s->file_self.error, sizeof s->file_self.error,
		         "%s: out of memory while reading it", p->files[i]);
		rc = KUDOS_ENOMEM;
	}
	return rc;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct worker_mem mem = {0};
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->abort && p->next < p->n && p->next >= p->delivered + p->window)
			pthread_cond_wait(&p->room, &p->lock);
		if (p->abort || p->next >= p->n)
			break;
		size_t i = p->next++;
		struct slot *s = &p->slots[i % p->window];
		/* The slot's previous file has been handed on and cleared. */
		s->done = 0;
		file_view(&s->file_self, p->self, &s->batch);
		pthread_mutex_unlock(&p->lock);
		int rc = run_file(p, i, s, &mem);
		pthread_mutex_lock(&p->lock);
		s->rc = rc;
		s->done = 1;
		pthread_cond_broadcast(&p->ready);
	}
	pthread_mutex_unlock(&p->lock);
	free(mem.buf);
	kudos_json_arena_free(&mem.json);
	return NULL;
}

/* Hand file k's batch on as if the callback had run here. */
static int deliver(struct pool *p, struct slot *s)
{
	struct kudos_instance *self = p->self;
	struct kudos_file_batch *b = &s->batch;
	int rc = s->rc;
	for (size_t i = 0; i < b->n_lines; i++)
		fputs(b->lines[i], stderr);
	self->n_invalid += b->n_invalid;
	for (size_t i = 0; i < b->n_items; i++) {
		struct kudos_item *it = b->items[i];
		b->items[i] = NULL;
		if (rc == KUDOS_OK && kudos_instance_emit(self, it))
			rc = KUDOS_EFAIL;
		else if (rc != KUDOS_OK)
			kudos_item_free(it);
	}
	b->n_items = 0;
	if (rc != KUDOS_OK && s->file_self.error[0])
		memcpy(self->error, s->file_self.error, sizeof self->error);
	batch_clear(b);
	return rc;
}

static size_t worker_count(size_t files)
{
	size_t n = (size_t)kudos_cores();
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	return n < files ? n : files;
}

int kudos_host_each_file_parallel(struct kudos_instance *self, const char *path,
                                  parallel_fn fn, void *ud)
{
	struct pool p = {.self = self, .fn = fn, .ud = ud};
	pthread_t threads[MAX_WORKERS];
	size_t started = 0;
	int rc;
	if (!path || !fn || self->batch)
		return KUDOS_EINVAL;
	if ((rc = list_files(self, path, &p.files, &p.n)) != KUDOS_OK)
		return rc;
	size_t workers = worker_count(p.n);
	if (workers == 0)
		goto done;
	/* libxml2 sets up its globals here, once, before threads use it
	 * (html_to_text). */
	xmlInitParser();
	p.window = workers * AHEAD_PER_WORKER;
	if (!(p.slots = calloc(p.window, sizeof *p.slots))) {
		rc = KUDOS_ENOMEM;
		goto done;
	}
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.room, NULL);
	for (; started < workers; started++)
		if (pthread_create(&threads[started], NULL, worker, &p) != 0)
			break;
	if (started == 0) {
		snprintf(self->error, sizeof self->error, "cannot start a thread to read %s",
		         path);
		rc = KUDOS_EFAIL;
	}
	for (size_t k = 0; started && k < p.n; k++) {
		struct slot *s = &p.slots[k % p.window];
		pthread_mutex_lock(&p.lock);
		while (!s->done)
			pthread_cond_wait(&p.ready, &p.lock);
		pthread_mutex_unlock(&p.lock);
		rc = deliver(&p, s);
		pthread_mutex_lock(&p.lock);
		s->done = 0;
		p.delivered++;
		if (rc != KUDOS_OK)
			p.abort = 1;
		pthread_cond_broadcast(&p.room);
		pthread_mutex_unlock(&p.lock);
		if (rc != KUDOS_OK)
			break;
	}
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	/* Files read ahead of a failure are dropped with what they held. */
	for (size_t i = 0; i < p.window; i++)
		batch_clear(&p.slots[i].batch);
	pthread_cond_destroy(&p.room);
	pthread_cond_destroy(&p.ready);
	pthread_mutex_destroy(&p.lock);
done:
	free(p.slots);
	free_list(p.files, p.n);
	return rc;
}
