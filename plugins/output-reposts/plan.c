/*
 * plan.c: which item goes out where and when.
 *
 * Contract: rp_plan() takes the saved plan (state.c), the items consume()
 * kept (put in the job's "order" first) and the slot instances
 * (slots.c), and leaves in ctx->posts every post of the plan and in
 * ctx->cancels every cancellation still worth telling a scheduling tool
 * about.  Whether an item may go out at a time is never decided here: the
 * render gate answers it (host->gate_check_at).
 *
 *  1. A saved post whose time has passed is history: kept (for
 *     repeat_after_days and the author rule) while repeat_after_days can
 *     still need it, or forever when that is 0.  If its item is gone, it is
 *     listed as cancelled once, so the brand can take the post down.
 *  2. A saved future post is kept, at its slot, unless its platform left
 *     the job, its slot left the plan (start, days, slots or timezone
 *     changed), its item is no longer handed to consume() (revoked, denied,
 *     expired, unapproved, author opted out), the render gate refuses it
 *     at its time (the grant's window no longer covers it), or its text no
 *     longer fits: then it is cancelled (SEQUENCE + 1) with the reason.  A
 *     kept post whose text changed (an edit upstream) keeps its slot and id
 *     with SEQUENCE + 1.
 *  3. Free slots are filled, per platform, in time order: a slot is free
 *     when nothing is planned there, the day has fewer than max_per_day
 *     posts on that platform and the nearest posts are min_gap_minutes
 *     away.  The item chosen: its text fits the platform, it was not
 *     posted there within repeat_after_days, its author is not the author
 *     of the post just before or just after, and the render gate lets it
 *     through at the slot's time; among those, the one posted least often
 *     on that platform, then from the source used longest ago there, then
 *     the first in the job's "order" (newest approval first by default).
 * A post's id is platform, UTC time and a hash of the job and item, so a
 * refilled slot gets a new calendar UID and a re-granted item on its old
 * slot gets its old one back with a higher SEQUENCE.
 */
#include "reposts.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static int cmp_item(const void *a, const void *b)
{
	return strcmp((*(struct rp_item *const *)a)->id, (*(struct rp_item *const *)b)->id);
}

static struct rp_item *find_item(struct rp_item **sorted, size_t n, const char *id)
{
	struct rp_item key = {.id = (char *)id}, *kp = &key;
	struct rp_item **hit = bsearch(&kp, sorted, n, sizeof *sorted, cmp_item);
	return hit ? *hit : NULL;
}

static char *hash_text(const char *s)
{
	char buf[17];
	snprintf(buf, sizeof buf, "%016" PRIx64, rp_fnv64(s, strlen(s), RP_FNV_INIT));
	return rp_strdup(buf);
}

static char *post_id(const struct rp_ctx *ctx, int p, int64_t utc, const char *item)
{
	char when[32], compact[32];
	rp_fmt_utc(utc, when);
	/* 2030-03-31T07:00:00Z -> 20300331T070000Z */
	snprintf(compact, sizeof compact, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", when, when + 5, when + 8,
	         when + 11, when + 14, when + 17);
	uint64_t h = rp_fnv64(ctx->job_name, strlen(ctx->job_name), RP_FNV_INIT);
	h = rp_fnv64("\x1f", 1, h);
	h = rp_fnv64(item, strlen(item), h);
	char *id = NULL;
	if (asprintf(&id, "%s-%s-%012" PRIx64, rp_platforms[p].name, compact,
	             (uint64_t)(h & 0xFFFFFFFFFFFFu)) < 0)
		return NULL;
	return id;
}

static int add_time(struct rp_item *it, int p, int64_t utc)
{
	int64_t *t = realloc(it->times[p], (it->ntimes[p] + 1) * sizeof *t);
	if (!t)
		return -1;
	it->times[p] = t;
	t[it->ntimes[p]++] = utc;
	return 0;
}

static void free_post(struct rp_post *x)
{
	free(x->id);
	free(x->item);
	free(x->hash);
	free(x->author);
	free(x->source);
	memset(x, 0, sizeof *x);
}

static int cancel(struct rp_ctx *ctx, const struct rp_post *x, char *reason)
{
	if (!reason || rp_grow((void **)&ctx->cancels, &ctx->capcancels, ctx->ncancels,
	                       sizeof *ctx->cancels)) {
		free(reason);
		return -1;
	}
	struct rp_cancel *c = &ctx->cancels[ctx->ncancels];
	*c = (struct rp_cancel){rp_strdup(x->id), rp_strdup(x->item), reason, x->platform,
	                        x->seq + 1, 1, x->utc, ctx->now};
	if (!c->id || !c->item) {
		free(c->id);
		free(c->item);
		free(reason);
		return -1;
	}
	ctx->ncancels++;
	return 0;
}

static int slot_at(const struct rp_ctx *ctx, int64_t utc)
{
	size_t lo = 0, hi = ctx->nslotsi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ctx->slots[mid].utc < utc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ctx->nslotsi && ctx->slots[lo].utc == utc ? (int)lo : -1;
}

/* Why a saved future post cannot stay, or NULL (transfer full). */
static char *why_cancel(const struct kudos_host *host, struct kudos_instance *self,
                        const struct rp_ctx *ctx, const struct rp_post *x)
{
	char *r = NULL, when[32];
	const char *refused = NULL;
	const struct rp_item *it = x->it;
	int p = x->platform;
	if (!ctx->enabled[p])
		return asprintf(&r, "%s is no longer in the job's platforms",
		                rp_platforms[p].display) < 0 ? NULL : r;
	if (slot_at(ctx, x->utc) < 0)
		return rp_strdup("the slot is no longer in the plan (the job's start, days, "
		                 "slots or timezone changed)");
	if (!it)
		return rp_strdup("the item no longer passes the render gate (revoked, denied, "
		                 "expired, no longer approved, or its author opted out)");
	if (!host->gate_check_at(self, x->item, x->utc, &refused)) {
		/* the gate decided; the window only words the reason */
		int ended = it->until && x->utc >= it->until, early = it->from && x->utc < it->from;
		if (!ended && !early)
			return asprintf(&r, "the render gate refuses it at this slot: %s",
			                refused ? refused : "refused") < 0 ? NULL : r;
		rp_fmt_utc(ended ? it->until : it->from, when);
		return asprintf(&r, ended ? "the grant ends %s, before this slot"
		                          : "the grant starts %s, after this slot", when) < 0 ? NULL : r;
	}
	if (!it->post[p].fits)
		return asprintf(&r, "the post no longer fits: %s",
		                it->post[p].why ? it->post[p].why : "too long") < 0 ? NULL : r;
	return NULL;
}

/* Step 1 and 2: the saved posts. */
static int resolve(const struct kudos_host *host, struct kudos_instance *self,
                   struct rp_ctx *ctx, struct rp_item **sorted)
{
	size_t w = 0;
	for (size_t i = 0; i < ctx->nposts; i++) {
		struct rp_post *x = &ctx->posts[i];
		int dup = 0;
		for (size_t k = 0; k < w; k++)
			dup |= ctx->posts[k].platform == x->platform && ctx->posts[k].utc == x->utc;
		x->it = find_item(sorted, ctx->nitems, x->item);
		char *reason = NULL;
		int keep = !dup;
		if (keep && x->utc < ctx->now) {
			x->status = RP_PAST;
			if (!x->it) {
				if (asprintf(&reason, "the item no longer passes the render gate; the post "
				             "was due already: take it down on %s if it went out",
				             rp_platforms[x->platform].display) < 0)
					return -1;
				keep = 0;
			} else if (ctx->repeat_after_days &&
			           x->utc < ctx->now - ctx->repeat_after_days * DAY) {
				keep = 0; /* old enough to forget */
			}
		} else if (keep) {
			reason = why_cancel(host, self, ctx, x);
			keep = reason == NULL;
			if (keep) {
				char *h = hash_text(x->it->post[x->platform].text);
				if (!h)
					return -1;
				if (strcmp(h, x->hash)) {
					x->seq++;
					x->status = RP_UPDATED;
				}
				free(x->hash);
				x->hash = h;
				/* who wrote it, as credited now (a changed preference) */
				char *a = rp_strdup(x->it->author ? x->it->author : "");
				if (!a)
					return -1;
				free(x->author);
				x->author = a;
			}
		}
		if (reason && cancel(ctx, x, reason))
			return -1;
		if (!keep) {
			free_post(x);
			continue;
		}
		if (x->it && add_time(x->it, x->platform, x->utc))
			return -1;
		if (w != i)
			ctx->posts[w] = *x;
		w++;
	}
	ctx->nposts = w;
	return 0;
}

struct lane {
	size_t *idx; /* posts on one platform, by time */
	size_t n;
};

static int lane_insert(struct lane *l, size_t at, size_t post)
{
	size_t *d = realloc(l->idx, (l->n + 1) * sizeof *d);
	if (!d)
		return -1;
	l->idx = d;
	memmove(d + at + 1, d + at, (l->n - at) * sizeof *d);
	d[at] = post;
	l->n++;
	return 0;
}

static int same(const char *a, const char *b)
{
	return a && b && *a && *b && !strcmp(a, b);
}

static int new_post(struct rp_ctx *ctx, struct rp_item *it, int p, int64_t utc)
{
	if (rp_grow((void **)&ctx->posts, &ctx->capposts, ctx->nposts, sizeof *ctx->posts))
		return -1;
	struct rp_post *x = &ctx->posts[ctx->nposts];
	memset(x, 0, sizeof *x);
	x->id = post_id(ctx, p, utc, it->id);
	x->item = rp_strdup(it->id);
	x->hash = hash_text(it->post[p].text);
	x->author = rp_strdup(it->author ? it->author : "");
	x->source = rp_strdup(it->source);
	x->platform = p;
	x->utc = utc;
	x->status = RP_NEW;
	x->it = it;
	ctx->nposts++;
	if (!x->id || !x->item || !x->hash || !x->author || !x->source)
		return -1;
	/* a cancelled post coming back: its UID again, a higher SEQUENCE */
	for (size_t c = 0; c < ctx->ncancels; c++) {
		if (strcmp(ctx->cancels[c].id, x->id))
			continue;
		x->seq = ctx->cancels[c].seq + 1;
		free(ctx->cancels[c].id);
		free(ctx->cancels[c].item);
		free(ctx->cancels[c].reason);
		ctx->cancels[c--] = ctx->cancels[--ctx->ncancels];
	}
	return add_time(it, p, utc);
}

/* Step 3 for one platform. */
static int fill(const struct kudos_host *host, struct kudos_instance *self, struct rp_ctx *ctx,
                int p, const char **sources, size_t nsources, int *src_of)
{
	struct lane l = {0};
	int64_t *last = calloc(nsources + 1, sizeof *last);
	int *per_day = calloc((size_t)ctx->days + 1, sizeof *per_day);
	int64_t max = ctx->max_per_day ? ctx->max_per_day : (int64_t)ctx->nslots;
	int64_t gap = ctx->min_gap_minutes * 60, repeat = ctx->repeat_after_days * DAY;
	int rc = -1;
	if (!last || !per_day)
		goto done;
	for (size_t i = 0; i < ctx->nposts; i++) {
		if (ctx->posts[i].platform != p)
			continue;
		size_t at = l.n;
		while (at && ctx->posts[l.idx[at - 1]].utc > ctx->posts[i].utc)
			at--;
		if (lane_insert(&l, at, i))
			goto done;
		int s = slot_at(ctx, ctx->posts[i].utc);
		if (s >= 0 && ctx->posts[i].status != RP_PAST)
			per_day[ctx->slots[s].day]++;
	}
	for (size_t k = 0; k <= nsources; k++)
		last[k] = INT64_MIN;
	size_t k = 0;
	for (size_t s = 0; s < ctx->nslotsi; s++) {
		const struct rp_slot *sl = &ctx->slots[s];
		while (k < l.n && ctx->posts[l.idx[k]].utc < sl->utc) {
			const char *src = ctx->posts[l.idx[k]].source;
			for (size_t j = 0; j < nsources; j++)
				if (!strcmp(sources[j], src))
					last[j] = ctx->posts[l.idx[k]].utc;
			k++;
		}
		if (sl->utc < ctx->now || (k < l.n && ctx->posts[l.idx[k]].utc == sl->utc) ||
		    per_day[sl->day] >= max)
			continue;
		const struct rp_post *prev = k ? &ctx->posts[l.idx[k - 1]] : NULL;
		const struct rp_post *next = k < l.n ? &ctx->posts[l.idx[k]] : NULL;
		if (gap && ((prev && sl->utc - prev->utc < gap) || (next && next->utc - sl->utc < gap)))
			continue;
		struct rp_item *best = NULL;
		for (size_t i = 0; i < ctx->nitems; i++) {
			struct rp_item *it = &ctx->items[i];
			if (!it->post[p].text || !it->post[p].fits)
				continue;
			int clash = 0;
			for (size_t t = 0; t < it->ntimes[p] && !clash; t++) {
				int64_t d = it->times[p][t] - sl->utc;
				clash = !repeat || (d < 0 ? -d : d) < repeat;
			}
			if (clash || (prev && same(prev->author, it->author)) ||
			    (next && same(next->author, it->author)))
				continue;
			if (best && (it->ntimes[p] > best->ntimes[p] ||
			             (it->ntimes[p] == best->ntimes[p] &&
			              last[src_of[i]] >= last[src_of[best - ctx->items]])))
				continue; /* items come in the job's order: ties keep the first */
			/* the gate last: it is asked only about a real candidate */
			if (host->gate_check_at(self, it->id, sl->utc, NULL))
				best = it;
		}
		if (!best) {
			ctx->empty_slots[p]++;
			continue;
		}
		if (new_post(ctx, best, p, sl->utc) || lane_insert(&l, k, ctx->nposts - 1))
			goto done;
		per_day[sl->day]++;
	}
	rc = 0;
done:
	free(l.idx);
	free(last);
	free(per_day);
	return rc;
}

static int cmp_post(const void *a, const void *b, void *order)
{
	const struct rp_post *x = a, *y = b;
	const int *ord = order;
	if (x->utc != y->utc)
		return x->utc < y->utc ? -1 : 1;
	return ord[x->platform] - ord[y->platform];
}

static int cmp_cancel(const void *a, const void *b)
{
	const struct rp_cancel *x = a, *y = b;
	if (x->utc != y->utc)
		return x->utc < y->utc ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The job's "order"; an item without the value sought goes after those
 * with it, and consume order (newest created first) breaks ties. */
static int cmp_order(const void *a, const void *b, void *kind)
{
	const struct rp_item *x = a, *y = b;
	int k = *(const int *)kind;
	if (k == RP_ORDER_NEWEST_APPROVED || k == RP_ORDER_OLDEST_APPROVED) {
		if (x->has_approved != y->has_approved)
			return x->has_approved ? -1 : 1;
		if (x->has_approved && x->approved != y->approved)
			return (x->approved > y->approved) == (k == RP_ORDER_NEWEST_APPROVED) ? -1 : 1;
	} else if (k == RP_ORDER_HIGHEST_RATED) {
		if (x->has_rating != y->has_rating)
			return x->has_rating ? -1 : 1;
		if (x->has_rating && x->rating != y->rating)
			return x->rating > y->rating ? -1 : 1;
		if (x->has_approved != y->has_approved)
			return x->has_approved ? -1 : 1;
		if (x->has_approved && x->approved != y->approved)
			return x->approved > y->approved ? -1 : 1;
	}
	return (x->order > y->order) - (x->order < y->order);
}

int rp_plan(const struct kudos_host *host, struct kudos_instance *self, struct rp_ctx *ctx)
{
	struct rp_item **sorted = calloc(ctx->nitems + 1, sizeof *sorted);
	const char **sources = calloc(ctx->nitems + 1, sizeof *sources);
	int *src_of = calloc(ctx->nitems + 1, sizeof *src_of);
	size_t nsources = 0;
	int rc = -1;
	if (!sorted || !sources || !src_of)
		goto done;
	/* before anything points into ctx->items */
	if (ctx->nitems > 1)
		qsort_r(ctx->items, ctx->nitems, sizeof *ctx->items, cmp_order, &ctx->order_kind);
	for (size_t i = 0; i < ctx->nitems; i++) {
		sorted[i] = &ctx->items[i];
		size_t j = 0;
		while (j < nsources && strcmp(sources[j], ctx->items[i].source))
			j++;
		if (j == nsources)
			sources[nsources++] = ctx->items[i].source;
		src_of[i] = (int)j;
	}
	if (ctx->nitems > 1)
		qsort(sorted, ctx->nitems, sizeof *sorted, cmp_item);
	if (resolve(host, self, ctx, sorted))
		goto done;
	for (int i = 0; i < ctx->nplatforms; i++)
		if (fill(host, self, ctx, ctx->platforms[i], sources, nsources, src_of))
			goto done;
	int order[RP_NPLATFORMS] = {0};
	for (int i = 0; i < ctx->nplatforms; i++)
		order[ctx->platforms[i]] = i;
	if (ctx->nposts > 1)
		qsort_r(ctx->posts, ctx->nposts, sizeof *ctx->posts, cmp_post, order);
	/* cancellations: this run's, and those whose slot is still ahead */
	size_t w = 0;
	for (size_t c = 0; c < ctx->ncancels; c++) {
		struct rp_cancel *x = &ctx->cancels[c];
		if (x->fresh || x->utc >= ctx->now) {
			ctx->cancels[w++] = *x;
			continue;
		}
		free(x->id);
		free(x->item);
		free(x->reason);
	}
	ctx->ncancels = w;
	if (ctx->ncancels > 1)
		qsort(ctx->cancels, ctx->ncancels, sizeof *ctx->cancels, cmp_cancel);
	for (int i = 0; i < ctx->nplatforms; i++) {
		int p = ctx->platforms[i];
		if (ctx->empty_slots[p])
			host->log(self, KUDOS_LOG_INFO, "%s: %ld slot%s left empty: no item could go "
			          "there (grant windows, repeat_after_days, min_gap_minutes, or no "
			          "author twice in a row)", rp_platforms[p].name, ctx->empty_slots[p],
			          ctx->empty_slots[p] == 1 ? "" : "s");
	}
	rc = 0;
done:
	if (rc)
		host->set_error(self, "out of memory planning the reposts");
	free(sorted);
	free(sources);
	free(src_of);
	return rc ? KUDOS_ENOMEM : KUDOS_OK;
}
