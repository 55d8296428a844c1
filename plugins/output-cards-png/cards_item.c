/*
 * One item: its card's name, the cache check, the avatar, rendering and
 * writing.  Runs in consume(), on the callback's thread: every host call
 * of the plugin is made here or in cards_plugin.c.
 *
 * Contract:
 *  - The card is named from the item id, sanitised (cards_util.c), and
 *    written with output_write_item, so the host records it as the item's
 *    and deletes it when the item may no longer be shown.
 *  - Cache: a fingerprint of everything the card shows (the renderer's
 *    version, size, DPI, theme, fonts, logo and footer; the item's content
 *    hash, credit and the fields drawn; the avatar file's size and time) is
 *    kept per item with cursor_set.  When it is unchanged and the file is
 *    still there (output_keep_item), the card is kept and not rendered.
 *  - Avatars: the item's avatar, through the job's avatar_map when it is
 *    a URL (nothing is fetched); a local path is read relative to the job
 *    file.  Missing, broken or oversized files give an initials badge and
 *    a warning naming the item and the file.
 *  - A quote that does not fit even at the theme's minimum size makes no
 *    card: a warning names the item and what to do, and consume() returns
 *    KUDOS_SKIP.
 */
#include "cards.h"

#include <kudos/plugin.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

void cards_avatars_free(struct cards_ctx *cx)
{
	for (int i = 0; i < AVATAR_SLOTS; i++) {
		free(cx->av[i].path);
		free(cx->av[i].why);
		image_free(&cx->av[i].im);
		memset(&cx->av[i], 0, sizeof cx->av[i]);
	}
	for (size_t i = 0; i < cx->n_names; i++) {
		free(cx->names[i]);
		free(cx->name_ids[i]);
	}
	free(cx->names);
	free(cx->name_ids);
	cx->names = cx->name_ids = NULL;
	cx->n_names = cx->cap_names = 0;
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

/* The avatar slot for `path` at `st`, decoding it on first use. */
static struct avatar_slot *avatar_get(struct cards_ctx *cx, const char *path,
                                      const struct stat *st)
{
	int dia = (int)(cx->theme.avatar_size * cx->env.s + 0.5);
	int64_t mt = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	struct avatar_slot *a;
	unsigned char *data = NULL;
	size_t len = 0;
	struct image full = {0};
	char msg[400];

	for (int i = 0; i < AVATAR_SLOTS; i++) {
		a = &cx->av[i];
		if (a->path && strcmp(a->path, path) == 0 && a->size == st->st_size &&
		    a->mtime_ns == mt)
			return a;
	}
	a = &cx->av[cx->av_next];
	cx->av_next = (cx->av_next + 1) % AVATAR_SLOTS;
	free(a->path);
	free(a->why);
	image_free(&a->im);
	memset(a, 0, sizeof *a);
	a->path = strdup(path);
	a->size = st->st_size;
	a->mtime_ns = mt;
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
static int unique_name(struct cards_ctx *cx, const char *id, char *name, size_t size)
{
	card_file_name(id, 0, name, size);
	for (size_t i = 0; i < cx->n_names; i++)
		if (strcmp(cx->names[i], name) == 0 && strcmp(cx->name_ids[i], id) != 0) {
			card_file_name(id, 1, name, size);
			break;
		}
	if (cx->n_names == cx->cap_names) {
		size_t cap = cx->cap_names ? cx->cap_names * 2 : 64;
		char **a = realloc(cx->names, cap * sizeof *a);
		char **b = a ? realloc(cx->name_ids, cap * sizeof *b) : NULL;
		if (a)
			cx->names = a;
		if (b == NULL)
			return -1;
		cx->name_ids = b;
		cx->cap_names = cap;
	}
	cx->names[cx->n_names] = strdup(name);
	cx->name_ids[cx->n_names] = strdup(id);
	if (!cx->names[cx->n_names] || !cx->name_ids[cx->n_names]) {
		free(cx->names[cx->n_names]);
		free(cx->name_ids[cx->n_names]);
		return -1;
	}
	cx->n_names++;
	return 0;
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

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int write_card(const struct kudos_host *host, struct kudos_instance *self,
                      struct cards_ctx *cx, const struct kudos_item *item,
                      const char *id, const char *name, const struct card_result *r)
{
	int rc = host->output_write_item(self, item, name, r->png.data, r->png.len);
	if (rc == KUDOS_OK && r->boxes_json) {
		char side[300];
		snprintf(side, sizeof side, "%.*s.boxes.json", (int)(strlen(name) - 4), name);
		rc = host->output_write_item(self, item, side, r->boxes_json,
		                             strlen(r->boxes_json));
	}
	if (rc == KUDOS_EPATH)
		host->set_error(self, "item %s: refused to write its card %s outside the "
		                "output folder; this is a bug in cards-png, please report it",
		                id, name);
	if (rc == KUDOS_OK)
		cx->bytes += r->png.len;
	return rc;
}

int cards_consume_item(const struct kudos_host *host, struct kudos_instance *self,
                       struct cards_ctx *cx, const struct kudos_item *item)
{
	struct card_in in = {0};
	struct card_result res;
	struct avatar_slot *av = NULL;
	struct stat st;
	uint64_t h[2] = {cx->base[0], cx->base[1]};
	char name[200], key[600], fp[300], msg[600], num[64];
	const char *ref, *prev;
	char *path = NULL;
	int url = 0, rc;
	double t0;

	if (host->should_stop(self))
		return KUDOS_ESTOP;
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
	in.has_rating = host->item_get_rating(item, &in.rating, &in.scale);
	if (unique_name(cx, in.id, name, sizeof name) < 0)
		goto nomem;

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
		host->log(self, KUDOS_LOG_DEBUG, "item %s: unchanged, kept %s", in.id, name);
		free(path);
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

	t0 = now_ms();
	if (card_render(&cx->env, &in, cx->debug, &res, msg, sizeof msg) < 0) {
		host->set_error(self, "item %s: %s", in.id, msg);
		return KUDOS_ENOMEM;
	}
	cx->render_ms += now_ms() - t0;
	if (!res.fitted) {
		cx->not_fitted++;
		host->log(self, KUDOS_LOG_WARN, "item %s: the quote (%zu characters) does not "
		          "fit a %dx%d card even at the theme's smallest size (quote_min "
		          "%g px), and a quote is never cut: no card was made for it; use "
		          "a larger preset (\"story\", \"a5\") or lower the theme's "
		          "quote_min", in.id, chars(in.text), cx->env.w, cx->env.h,
		          cx->theme.quote_min);
		card_result_free(&res);
		return KUDOS_SKIP;
	}
	if (res.notdef)
		cx->tofu++;
	rc = write_card(host, self, cx, item, in.id, name, &res);
	card_result_free(&res);
	if (rc != KUDOS_OK)
		return rc;
	cx->rendered++;
	rc = host->cursor_set(self, key, fp);
	return rc == KUDOS_EINVAL ? KUDOS_OK : rc; /* a key it refuses: no cache */

nomem:
	free(path);
	host->set_error(self, "out of memory preparing the card of item %s", in.id);
	return KUDOS_ENOMEM;
}
