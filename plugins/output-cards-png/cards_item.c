/*
 * One item: its card's name, the cache check, the avatar, queueing it for
 * a renderer, and writing the finished card.  consume() and flush() run on
 * the callback's thread: every host call of the plugin is made here or in
 * cards_plugin.c; cards_render_job() runs on a worker and calls nothing of
 * the host.
 *
 * Contract:
 *  - The card is named from the item id, sanitised (cards_util.c), and
 *    written with output_write_item_id once rendered (in a later consume()
 *    or in flush(), in the order the items came), so the host records it
 *    as the item's and deletes it when the item may no longer be shown.
 *  - Cache: a fingerprint of everything the card shows (the renderer's
 *    version, size, DPI, theme, fonts, logo and footer; the item's content
 *    hash, credit, the fields drawn and the curator's excerpt; the avatar
 *    file's size and time) is kept per item with cursor_set.  When it is
 *    unchanged and the file is still there (output_keep_item), the card is
 *    kept and not rendered.
 *  - Avatars: the item's avatar, through the job's avatar_map when it is
 *    a URL (nothing is fetched); a local path is read relative to the job
 *    file.  Each file is decoded once, on the callback's thread, and lent
 *    to the renderers.  Missing, broken or oversized files give an initials
 *    badge and a warning naming the item and the file.
 *  - A quote that does not fit even at the theme's minimum size is drawn
 *    from the curator's excerpt (kudos excerpt) when there is one that
 *    fits; otherwise no card is made: a warning names the item and what to
 *    do, and the item is left out (output_leave_out).
 *  - Progress: one step per card kept or written (output_progress).
 */
#include "cards.h"

#include <kudos/plugin.h>

#include <inttypes.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>


static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static void name_free(void *v);

void cards_avatars_free(struct cards_ctx *cx)
{
	for (int i = 0; i < cx->n_av; i++) {
		free(cx->av[i].path);
		free(cx->av[i].why);
		image_free(&cx->av[i].im);
	}
	free(cx->av);
	cx->av = NULL;
	cx->n_av = 0;
	tdestroy(cx->names, name_free);
	cx->names = NULL;
}

/* The local file for an avatar reference, or NULL (*url set when it is a
 * URL the job does not map).  (transfer full) */
static char *avatar_path(const struct kudos_host *host, struct kudos_instance *self,
                         struct cards_ctx *cx, const char *ref, int *url)
{
	const char *file = NULL, *dir = host->job_dir(self);
	char *out;

	*url = 0;
	for (const char *const *m = cx->avatar_map; m && m[0]; m += 2)
		if (strcmp(m[0], ref) == 0) {
			file = m[1];
			break;
		}
	if (file == NULL) {
		if (strncmp(ref, "http://", 7) == 0 || strncmp(ref, "https://", 8) == 0) {
			*url = 1;
			return NULL;
		}
		file = strncmp(ref, "file://", 7) == 0 ? ref + 7 : ref;
	}
	if (file[0] == '/')
		return strdup(file);
	out = malloc(strlen(dir) + strlen(file) + 2);
	if (out)
		sprintf(out, "%s/%s", dir, file);
	return out;
}

/* A slot to decode a new avatar into: the one used longest ago that no
 * card in flight draws.  The slots are allocated once, more than the
 * cards that can be in flight, so there always is one and a job's pointer
 * to its slot stays valid. */
static struct avatar_slot *avatar_slot(struct cards_ctx *cx)
{
	struct avatar_slot *best = NULL;

	for (int i = 0; i < cx->n_av; i++) {
		struct avatar_slot *a = &cx->av[i];
		if (a->refs == 0 && (best == NULL || a->used < best->used))
			best = a;
	}
	return best;
}

/* The avatar slot for `path` at `st`, decoding it on first use.  The
 * caller takes a reference (refs++). */
static struct avatar_slot *avatar_get(struct cards_ctx *cx, const char *path,
                                      const struct stat *st)
{
	int dia = (int)(cx->theme.avatar_size * cx->base_env.s + 0.5);
	int64_t mt = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	struct avatar_slot *a;
	unsigned char *data = NULL;
	size_t len = 0;
	struct image full = {0};
	char msg[400];

	if (cx->av == NULL) {
		/* Every card in flight holds at most one slot, so this many
		 * always leaves one free. */
		cx->n_av = AVATAR_SLOTS + (int)CARDS_IN_FLIGHT(cx->n_env) + 1;
		if ((cx->av = calloc((size_t)cx->n_av, sizeof *cx->av)) == NULL) {
			cx->n_av = 0;
			return NULL;
		}
	}
	cx->av_clock++;
	for (int i = 0; i < cx->n_av; i++) {
		a = &cx->av[i];
		if (a->path && strcmp(a->path, path) == 0 && a->size == st->st_size &&
		    a->mtime_ns == mt) {
			a->used = cx->av_clock;
			return a;
		}
	}
	if ((a = avatar_slot(cx)) == NULL)
		return NULL;
	free(a->path);
	free(a->why);
	image_free(&a->im);
	memset(a, 0, sizeof *a);
	a->path = strdup(path);
	a->size = st->st_size;
	a->mtime_ns = mt;
	a->used = cx->av_clock;
	if (a->path == NULL)
		return NULL;
	if (read_file(path, 64u << 20, &data, &len, msg, sizeof msg) == 0 &&
	    image_decode(data, len, cx->max_pixels, dia, &full, msg, sizeof msg) == 0 &&
	    image_circle(&full, dia, &a->im) < 0)
		snprintf(msg, sizeof msg, "out of memory scaling it");
	free(data);
	image_free(&full);
	if (a->im.px == NULL)
		a->why = strdup(msg);
	return a;
}

static void fp_str(uint64_t h[2], const char *s)
{
	static const char sep = 0x1f;
	if (s) {
		h[0] = fnv1a(h[0], s, strlen(s));
		h[1] = fnv1a(h[1], s, strlen(s));
	}
	h[0] = fnv1a(h[0], &sep, 1);
	h[1] = fnv1a(h[1], &sep, 1);
}

/* The card's file name, unique among this run's cards. */
struct name_entry {
	char *name, *id;
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct name_entry *)a)->name, ((const struct name_entry *)b)->name);
}

static void name_free(void *v)
{
	struct name_entry *e = v;
	free(e->name);
	free(e->id);
	free(e);
}

static int unique_name(struct cards_ctx *cx, const char *id, char *name, size_t size)
{
	struct name_entry key = {name, NULL}, *e, **hit;

	card_file_name(id, 0, name, size);
	hit = tfind(&key, &cx->names, cmp_name);
	if (hit && strcmp((*hit)->id, id) != 0)
		card_file_name(id, 1, name, size);
	if ((e = calloc(1, sizeof *e)) == NULL || (e->name = strdup(name)) == NULL ||
	    (e->id = strdup(id)) == NULL) {
		if (e)
			name_free(e);
		return -1;
	}
	hit = tsearch(e, &cx->names, cmp_name);
	if (hit == NULL || *hit != e)
		name_free(e); /* out of memory, or already there */
	return hit ? 0 : -1;
}

/* The card (and its debug sidecar) an earlier run wrote is still there:
 * keep it recorded. */
static int keep(const struct kudos_host *host, struct kudos_instance *self,
                struct cards_ctx *cx, const struct kudos_item *item, const char *name)
{
	char side[300];

	if (host->output_keep_item(self, item, name) != KUDOS_OK)
		return 0;
	if (!cx->debug)
		return 1;
	snprintf(side, sizeof side, "%.*s.boxes.json", (int)(strlen(name) - 4), name);
	return host->output_keep_item(self, item, side) == KUDOS_OK;
}


static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

void card_job_free(struct card_job *j)
{
	if (j == NULL)
		return;
	for (size_t i = 0; i < sizeof j->own / sizeof j->own[0]; i++)
		free(j->own[i]);
	if (j->av)
		j->av->refs--;
	card_result_free(&j->res);
	free(j);
}

void cards_render_job(void *env, void *vjob)
{
	struct card_job *j = vjob;
	double t0 = cpu_ms();

	j->rc = card_render(env, &j->in, j->debug, &j->res, j->msg, sizeof j->msg);
	j->ms = cpu_ms() - t0;
}

static void progress(const struct kudos_host *host, struct kudos_instance *self,
                     struct cards_ctx *cx)
{
	if (KUDOS_HOST_HAS(host, output_progress))
		host->output_progress(self, cx->finished, cx->consumed);
}

/* A card came back from its renderer: write it, or say why there is none.
 * Takes the job. */
static int retire(const struct kudos_host *host, struct kudos_instance *self,
                  struct cards_ctx *cx, struct card_job *j)
{
	const struct card_result *r = &j->res;
	const char *id = j->in.id;
	int rc = KUDOS_OK;

	cx->finished++;
	if (j->rc < 0) {
		host->set_error(self, "item %s: %s", id, j->msg);
		rc = KUDOS_ENOMEM;
		goto done;
	}
	cx->render_ms += j->ms;
	if (!r->fitted) {
		cx->not_fitted++;
		if (j->in.excerpt)
			host->log(self, KUDOS_LOG_WARN, "item %s: neither the quote (%zu "
			          "characters) nor its excerpt (%zu) fits a %dx%d card even at "
			          "the theme's smallest size (quote_min %g px), and a quote is "
			          "never cut: no card was made for it; approve a shorter excerpt "
			          "(kudos excerpt %s --text \"...\"), use a larger preset "
			          "(\"story\", \"a5\") or lower the theme's quote_min", id,
			          chars(j->in.text), chars(j->in.excerpt), cx->base_env.w,
			          cx->base_env.h, cx->theme.quote_min, id);
		else
			host->log(self, KUDOS_LOG_WARN, "item %s: the quote (%zu characters) "
			          "does not fit a %dx%d card even at the theme's smallest size "
			          "(quote_min %g px), and a quote is never cut: no card was made "
			          "for it; use a larger preset (\"story\", \"a5\"), lower the "
			          "theme's quote_min, or approve an excerpt of its own words "
			          "(kudos excerpt %s --text \"first words … last words\")", id,
			          chars(j->in.text), cx->base_env.w, cx->base_env.h,
			          cx->theme.quote_min, id);
		rc = host->output_leave_out(self, id);
		goto done;
	}
	if (r->excerpt) {
		cx->by_excerpt++;
		host->log(self, KUDOS_LOG_INFO, "item %s: the whole quote does not fit; the "
		          "card shows the curator's excerpt", id);
	}
	if (r->notdef)
		cx->tofu++;
	rc = host->output_write_item_id(self, id, j->name, r->png.data, r->png.len);
	if (rc == KUDOS_OK && r->boxes_json) {
		char side[300];
		snprintf(side, sizeof side, "%.*s.boxes.json", (int)(strlen(j->name) - 4),
		         j->name);
		rc = host->output_write_item_id(self, id, side, r->boxes_json,
		                                strlen(r->boxes_json));
	}
	if (rc == KUDOS_EPATH)
		host->set_error(self, "item %s: refused to write its card %s outside the "
		                "output folder; this is a bug in cards-png, please report it",
		                id, j->name);
	if (rc != KUDOS_OK)
		goto done;
	cx->bytes += r->png.len;
	cx->rendered++;
	rc = host->cursor_set(self, j->key, j->fp);
	if (rc == KUDOS_EINVAL)
		rc = KUDOS_OK; /* a key it refuses: no cache */
done:
	card_job_free(j);
	progress(host, self, cx);
	return rc;
}

/* Write the cards that are ready; with `wait`, wait for all of them. */
static int drain(const struct kudos_host *host, struct kudos_instance *self,
                 struct cards_ctx *cx, int wait)
{
	struct card_job *j;
	int rc;

	while ((j = wait ? pool_take(cx->pool) : pool_take_ready(cx->pool)) != NULL) {
		if ((rc = retire(host, self, cx, j)) != KUDOS_OK)
			return rc;
		if (wait && host->should_stop(self))
			return KUDOS_ESTOP;
	}
	return KUDOS_OK;
}

int cards_finish(const struct kudos_host *host, struct kudos_instance *self,
                 struct cards_ctx *cx)
{
	return drain(host, self, cx, 1);
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*oom = 1;
	return d;
}

/* A job with copies of what the card shows (the host's item is only valid
 * during consume()). */
static struct card_job *job_new(const struct card_in *in, int debug)
{
	struct card_job *j = calloc(1, sizeof *j);
	int oom = 0;

	if (j == NULL)
		return NULL;
	j->debug = debug;
	j->in = *in;
	j->in.id = j->own[0] = dup_or_null(in->id, &oom);
	j->in.text = j->own[1] = dup_or_null(in->text, &oom);
	j->in.title = j->own[2] = dup_or_null(in->title, &oom);
	j->in.name = j->own[3] = dup_or_null(in->name, &oom);
	j->in.role = j->own[4] = dup_or_null(in->role, &oom);
	j->in.source = j->own[5] = dup_or_null(in->source, &oom);
	j->in.lang = j->own[6] = dup_or_null(in->lang, &oom);
	j->in.excerpt = j->own[7] = dup_or_null(in->excerpt, &oom);
	if (oom) {
		card_job_free(j);
		return NULL;
	}
	return j;
}

int cards_consume_item(const struct kudos_host *host, struct kudos_instance *self,
                       struct cards_ctx *cx, const struct kudos_item *item)
{
	struct card_in in = {0};
	struct card_job *job = NULL;
	struct avatar_slot *av = NULL;
	struct stat st;
	uint64_t h[2] = {cx->base[0], cx->base[1]};
	char name[200], key[600], fp[300], num[64];
	const char *ref, *prev;
	char *path = NULL;
	int url = 0, rc;

	if (host->should_stop(self))
		return KUDOS_ESTOP;
	/* Cards finished meanwhile are written first, in order. */
	if ((rc = drain(host, self, cx, 0)) != KUDOS_OK)
		return rc;
	in.id = host->item_get(item, KUDOS_FIELD_ID);
	in.text = host->item_get(item, KUDOS_FIELD_TEXT);
	if (in.id == NULL || in.text == NULL) {
		host->set_error(self, "an item without id or text reached cards-png; "
		                "this is a bug in kudos, please report it");
		return KUDOS_EFAIL;
	}
	in.title = nonempty(host->item_get(item, KUDOS_FIELD_TITLE));
	in.name = nonempty(host->item_get(item, KUDOS_FIELD_AUTHOR_NAME));
	if (in.name == NULL)
		in.name = nonempty(cx->theme.anonymous_label);
	in.role = nonempty(host->item_get(item, KUDOS_FIELD_AUTHOR_ROLE));
	in.source = host->item_get(item, KUDOS_FIELD_SOURCE);
	in.lang = nonempty(host->item_get(item, KUDOS_FIELD_LANGUAGE));
	text_language_prepare(in.lang);
	in.excerpt = KUDOS_HOST_HAS(host, item_excerpt) ? nonempty(host->item_excerpt(item))
	                                                : NULL;
	in.has_rating = host->item_get_rating(item, &in.rating, &in.scale);
	if (unique_name(cx, in.id, name, sizeof name) < 0)
		goto nomem;
	cx->consumed++;

	/* The avatar: which file, and its identity for the fingerprint. */
	ref = nonempty(host->item_get(item, KUDOS_FIELD_AUTHOR_AVATAR));
	if (cx->theme.avatar && in.name && ref) {
		path = avatar_path(host, self, cx, ref, &url);
		if (path == NULL && !url)
			goto nomem;
	}
	fp_str(h, in.id);
	fp_str(h, host->item_get(item, KUDOS_FIELD_CONTENT_HASH));
	fp_str(h, host->item_get(item, KUDOS_FIELD_CREDIT));
	fp_str(h, in.text);
	fp_str(h, in.title);
	fp_str(h, in.name);
	fp_str(h, in.role);
	fp_str(h, in.source);
	fp_str(h, in.lang);
	fp_str(h, in.excerpt);
	snprintf(num, sizeof num, "%d %.17g %.17g", in.has_rating, in.rating, in.scale);
	fp_str(h, num);
	fp_str(h, path);
	if (path && stat(path, &st) == 0) {
		snprintf(num, sizeof num, "%" PRId64 " %" PRId64 ".%09ld", (int64_t)st.st_size,
		         (int64_t)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
		fp_str(h, num);
	}
	snprintf(fp, sizeof fp, "%016" PRIx64 "%016" PRIx64 " %s", h[0], h[1], name);
	snprintf(key, sizeof key, "card %s", in.id);
	prev = host->cursor_get(self, key);
	if (prev && strcmp(prev, fp) == 0 && keep(host, self, cx, item, name)) {
		cx->kept++;
		cx->finished++;
		host->log(self, KUDOS_LOG_DEBUG, "item %s: unchanged, kept %s", in.id, name);
		free(path);
		progress(host, self, cx);
		return KUDOS_OK;
	}

	if (url) {
		cx->unmapped++;
		host->log(self, KUDOS_LOG_INFO, "item %s: avatar %s is a URL not in "
		          "avatar_map; showing initials", in.id, ref);
	} else if (path) {
		if (stat(path, &st) != 0) {
			cx->broken++;
			host->log(self, KUDOS_LOG_WARN, "item %s: avatar file %s does not "
			          "exist; showing initials instead (fix the path, or what "
			          "avatar_map gives for %s)", in.id, path, ref);
		} else if ((av = avatar_get(cx, path, &st)) == NULL) {
			goto nomem;
		} else if (av->im.px == NULL) {
			cx->broken++;
			host->log(self, KUDOS_LOG_WARN, "item %s: avatar %s: %s; showing "
			          "initials instead (replace it with a whole JPEG or PNG of "
			          "at most %.0f megapixels)", in.id, path,
			          av->why ? av->why : "unreadable", cx->max_pixels / 1e6);
		}
	}
	in.avatar = av && av->im.px ? &av->im : NULL;
	free(path);
	path = NULL;

	if ((job = job_new(&in, cx->debug)) == NULL)
		goto nomem;
	if (in.avatar) {
		job->av = av;
		av->refs++;
	}
	snprintf(job->name, sizeof job->name, "%s", name);
	snprintf(job->key, sizeof job->key, "%s", key);
	snprintf(job->fp, sizeof job->fp, "%s", fp);
	/* A full queue: write the oldest card first (waiting for it). */
	while (pool_pending(cx->pool) >= CARDS_IN_FLIGHT(cx->n_env)) {
		struct card_job *done = pool_take(cx->pool);
		if ((rc = retire(host, self, cx, done)) != KUDOS_OK) {
			card_job_free(job);
			return rc;
		}
	}
	if (pool_submit(cx->pool, job) < 0) {
		card_job_free(job);
		host->set_error(self, "item %s: the render queue is full; this is a bug in "
		                "cards-png, please report it", in.id);
		return KUDOS_EFAIL;
	}
	/* Not written before this call returns, even when already rendered:
	 * the host knows the item as placed only then. */
	progress(host, self, cx);
	return KUDOS_OK;

nomem:
	free(path);
	host->set_error(self, "out of memory preparing the card of item %s", in.id);
	return KUDOS_ENOMEM;
}
