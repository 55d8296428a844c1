#include "analyze.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cores.h"
#include "curation/blocklist.h"
#include "curation/dupes.h"
#include "curation/fold.h"
#include "curation/pii.h"
#include "curation/question.h"
#include "curation/sentiment.h"
#include "fsutil.h"

#ifndef KUDOS_DATA_DIR
#define KUDOS_DATA_DIR "/usr/local/share/kudos"
#endif

/* VADER's own cut: compound at or below -0.05 reads as negative. */
#define NEGATIVE_AT -0.05

/* One item as curation reads it (copied out of the store's row) and what
 * it found.  Items are read first, analysed on several threads, then
 * grouped and saved in the order they were read, so the outcome does not
 * depend on the threads. */
struct finding {
	/* input, and what was saved last time: strings in one allocation,
	 * `strings` (100,000 items read meant 900,000 mallocs and frees, on
	 * the one thread that reads and saves) */
	char *strings;
	const char *id, *text, *language, *author_name, *author_handle, *filter_results;
	unsigned badges;
	int has_created;
	int64_t created;
	int edited;
	const char *old_flags, *old_detail, *old_dup;
	int old_has_sentiment;
	double old_sentiment;
	/* output */
	cJSON *detail; /* flag -> what was found */
	char *flags;   /* "pii,question"; NULL: none yet */
	int has_sentiment;
	double sentiment;
	struct kudos_dupe_sig sig;
	int oom;
};

struct run {
	struct kudos_blocklist *blocklist;
	struct kudos_sentiment *lexicon;
	const struct kudos_job *job;
	struct finding *v;
	size_t n, cap;
};

/* Analysis threads at most, and the fewest items worth a thread. */
#define MAX_THREADS 8
#define ITEMS_PER_THREAD 512

/* The lexicon: $KUDOS_DATA_DIR, the installed folder, or the source tree
 * the program was built in (build/kudos -> engine/curation/). */
static struct kudos_sentiment *load_lexicon(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	const char *env = getenv("KUDOS_DATA_DIR");
	struct kudos_error err = {0};
	const char *dirs[4] = {env && *env ? env : NULL, KUDOS_DATA_DIR, NULL, NULL};
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *tree = NULL, *tree2 = NULL;
	if (n > 0) {
		/* build/kudos, or build/<variant>/kudos (the sanitizer build). */
		exe[n] = '\0';
		char *bin = kudos_path_dirname(exe);
		tree = bin ? kudos_path_resolve(bin, "../engine/curation") : NULL;
		tree2 = bin ? kudos_path_resolve(bin, "../../engine/curation") : NULL;
		free(bin);
		dirs[2] = tree;
		dirs[3] = tree2;
	}
	struct kudos_sentiment *lex = NULL;
	for (size_t i = 0; i < 4 && !lex; i++) {
		if (!dirs[i])
			continue;
		snprintf(path, sizeof path, "%s/vader_lexicon.txt", dirs[i]);
		if (access(path, R_OK) == 0) {
			lex = kudos_sentiment_load(path, &err);
			kudos_error_clear(&err);
		}
	}
	free(tree);
	free(tree2);
	return lex;
}

static int build_blocklist(struct run *r, struct kudos_error *err)
{
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(r->job->root, "curation");
	const cJSON *words = cJSON_GetObjectItemCaseSensitive(cur, "blocklist");
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(cur, "blocklist_files"), *e;
	if (!words && !files)
		return 0;
	if (!(r->blocklist = kudos_blocklist_new()))
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	cJSON_ArrayForEach(e, words) if (kudos_blocklist_add(r->blocklist, e->valuestring, err))
		return -1;
	cJSON_ArrayForEach(e, files)
	{
		char *path = kudos_path_resolve(r->job->dir, e->valuestring);
		int rc = path ? kudos_blocklist_add_file(r->blocklist, path, err)
		              : kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		free(path);
		if (rc)
			return -1;
	}
	return 0;
}

/* Whether the author is on one of the job's lists (by name or handle). */
static int on_list(const struct kudos_job *job, const char *key, const struct finding *f)
{
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(job->root, "curation");
	const cJSON *e;
	const char *name = f->author_name;
	const char *handle = f->author_handle;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(cur, key))
	{
		if ((name && !strcmp(name, e->valuestring)) ||
		    (handle && !strcasecmp(handle, e->valuestring)))
			return 1;
	}
	return 0;
}

static int has_flag(const struct finding *f, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = f->flags ? f->flags : ""; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* Add a flag; out of memory sets f->oom.  Most items have none, so the
 * list is allocated only for those that do. */
static void flag(struct finding *f, const char *name, const char *detail)
{
	size_t len = f->flags ? strlen(f->flags) : 0, add = strlen(name) + 2;
	char *grown = realloc(f->flags, len + add);
	if (!grown) {
		f->oom = 1;
		return;
	}
	snprintf(grown + len, add, "%s%s", len ? "," : "", name);
	f->flags = grown;
	if (detail && !cJSON_AddStringToObject(f->detail, name, detail))
		f->oom = 1;
}

/* The flags filter plugins raised (engine/filter.h), each with the
 * filter's name in its detail; a flag kudos raised itself keeps kudos's
 * detail.  RETURN VALUE 0, or -1 when out of memory. */
static int merge_filter_flags(struct finding *f, const char *results)
{
	/* Most findings are tags and scores: no need to parse those here. */
	if (!strstr(results, "\"flags\""))
		return 0;
	cJSON *root = cJSON_Parse(results), *filter, *e;
	if (!root)
		return strcmp(results, "{}") == 0 ? 0 : -1;
	cJSON_ArrayForEach(filter, root)
	{
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(filter, "flags"))
		{
			char detail[300];
			if (has_flag(f, e->string))
				continue;
			if (cJSON_IsString(e))
				snprintf(detail, sizeof detail, "filter %s: %s", filter->string,
				         e->valuestring);
			else
				snprintf(detail, sizeof detail, "filter %s", filter->string);
			flag(f, e->string, detail);
		}
	}
	cJSON_Delete(root);
	return 0;
}

/* The lexicon is VADER's English one: in another language it would read
 * words it does not know as neutral and the few English-looking ones at
 * random, so an item known to be in another language gets no sentiment
 * (and no `negative` flag) rather than a wrong one.  Unknown language:
 * scored, since most brands' mentions are English. */
static int lexicon_reads(const char *language)
{
	if (!language || !*language || !strcasecmp(language, "und"))
		return 1;
	return !strncasecmp(language, "en", 2) && (language[2] == '\0' || language[2] == '-');
}

/* A short excerpt of text[start, end) for the detail, whole UTF-8 only. */
static void excerpt(const char *text, size_t start, size_t end, char *buf, size_t size)
{
	size_t n = end - start < size - 1 ? end - start : size - 1;
	while (n > 0 && ((unsigned char)text[start + n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, text + start, n);
	buf[n] = '\0';
}

static void finding_release(struct finding *f)
{
	free(f->strings);
	free(f->flags);
	cJSON_Delete(f->detail);
}

/* kudos_store_each_for_analysis's callback: keep the row. */
static int read_one(void *ud, const struct kudos_analysis_row *row)
{
	struct run *r = ud;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct finding *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return 1;
		r->v = v;
		r->cap = cap;
	}
	struct finding *f = &r->v[r->n];
	memset(f, 0, sizeof *f);
	const char *in[] = {row->id, row->text ? row->text : "", row->language,
	                    row->author_name, row->author_handle, row->filter_results,
	                    row->flags, row->flag_detail, row->duplicate_of};
	const char **out[] = {&f->id, &f->text, &f->language, &f->author_name,
	                      &f->author_handle, &f->filter_results, &f->old_flags,
	                      &f->old_detail, &f->old_dup};
	size_t len[sizeof in / sizeof in[0]], total = 0;
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		total += (len[i] = in[i] ? strlen(in[i]) : 0) + 1;
	int oom = !(f->strings = malloc(total));
	for (size_t i = 0, at = 0; !oom && i < sizeof in / sizeof in[0]; i++) {
		if (!in[i])
			continue;
		*out[i] = memcpy(f->strings + at, in[i], len[i] + 1);
		at += len[i] + 1;
	}
	f->badges = row->badges;
	f->has_created = row->has_created;
	f->created = row->has_created ? row->created : 0;
	f->edited = row->edited;
	f->old_has_sentiment = row->has_sentiment;
	f->old_sentiment = row->sentiment;
	r->n++; /* counted even half-filled, so that it is released */
	return oom;
}

/* Every analysis of one item; runs on any thread with its own scratch.
 * Failures (out of memory) set f->oom. */
static void analyse_one(const struct run *r, struct finding *f, struct kudos_fold *fold,
                        struct kudos_dupes_scratch *scratch)
{
	const char *text = f->text;
	size_t len = strlen(text);
	char buf[160];
	if (!(f->detail = cJSON_CreateObject()) || kudos_fold(fold, text, len)) {
		f->oom = 1;
		return;
	}
	struct kudos_pii hits[4];
	int n_pii = kudos_pii_scan_folded(text, len, fold, hits, 4);
	if (n_pii > 0) {
		char what[200];
		excerpt(text, hits[0].start, hits[0].end, buf, 64);
		snprintf(what, sizeof what, "%s: %s", kudos_pii_kind_name(hits[0].kind), buf);
		flag(f, "pii", what);
	}
	struct kudos_block_match m;
	if (r->blocklist && kudos_blocklist_match_folded(r->blocklist, fold, &m)) {
		excerpt(text, m.start, m.end, buf, sizeof buf);
		flag(f, "blocked_word", buf);
	}
	if (r->lexicon && lexicon_reads(f->language)) {
		size_t words;
		if (kudos_sentiment_score_folded(r->lexicon, text, fold, &f->sentiment, &words) == 0)
			f->has_sentiment = 1;
		if (f->has_sentiment && f->sentiment <= NEGATIVE_AT)
			flag(f, "negative", NULL);
	}
	if (kudos_question_like_folded(text, len, fold))
		flag(f, "question", NULL);
	if ((f->badges & KUDOS_BADGE_INCENTIVIZED) || on_list(r->job, "incentivized", f))
		flag(f, "incentivized", NULL);
	if ((f->badges & KUDOS_BADGE_EMPLOYEE) || on_list(r->job, "employees", f))
		flag(f, "employee", NULL);
	if (f->filter_results && merge_filter_flags(f, f->filter_results))
		f->oom = 1;
	if (f->edited)
		flag(f, "edited_upstream", NULL);
	if (kudos_dupes_sign(scratch, text, len, fold, &f->sig))
		f->oom = 1;
}

struct slice {
	const struct run *r;
	size_t from, to;
};

static void *analyse_slice(void *arg)
{
	struct slice *sl = arg;
	struct kudos_fold fold;
	struct kudos_dupes_scratch scratch = {0};
	kudos_fold_init(&fold);
	for (size_t i = sl->from; i < sl->to; i++)
		analyse_one(sl->r, &sl->r->v[i], &fold, &scratch);
	kudos_fold_release(&fold);
	kudos_dupes_scratch_release(&scratch);
	return NULL;
}

/* Analyse every finding, on as many threads as there are cores (and
 * enough items to share); the calling thread takes the first slice. */
static int analyse_all(const struct run *r, struct kudos_error *err)
{
	size_t threads = (size_t)kudos_cores();
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads > r->n / ITEMS_PER_THREAD)
		threads = r->n / ITEMS_PER_THREAD ? r->n / ITEMS_PER_THREAD : 1;
	struct slice slices[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	size_t started = 1;
	for (size_t t = 0; t < threads; t++)
		slices[t] = (struct slice){r, r->n * t / threads, r->n * (t + 1) / threads};
	for (; started < threads; started++)
		if (pthread_create(&tid[started], NULL, analyse_slice, &slices[started]) != 0)
			break;
	/* Slices whose thread did not start are done here. */
	analyse_slice(&slices[0]);
	for (size_t t = started; t < threads; t++)
		analyse_slice(&slices[t]);
	for (size_t t = 1; t < started; t++)
		pthread_join(tid[t], NULL);
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].oom)
			return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	return 0;
}

static int same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* kudos_store_each's order, which grouping follows (the newest copy
 * represents its group): undated last, then newest first, then by id. */
static int by_listing_order(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	if (a->has_created != b->has_created)
		return a->has_created ? -1 : 1;
	if (a->created != b->created)
		return a->created > b->created ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Save item i's findings if they differ from what was saved last time;
 * `dup_of`: the representative of its duplicate group, or NULL. */
static int save_one(struct run *r, size_t i, const char *dup_of, struct kudos_store *s,
                    struct kudos_error *err)
{
	struct finding *f = &r->v[i];
	if (dup_of)
		flag(f, "duplicate", dup_of);
	if (f->oom)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	char *detail = cJSON_PrintUnformatted(f->detail);
	if (!detail)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	const char *flags = f->flags ? f->flags : "";
	int unchanged = same_text(flags, f->old_flags) && same_text(detail, f->old_detail) &&
	                same_text(dup_of, f->old_dup) &&
	                f->has_sentiment == f->old_has_sentiment &&
	                (!f->has_sentiment || f->sentiment == f->old_sentiment);
	int rc = unchanged ? 0
	                   : kudos_store_set_analysis(s, f->id, flags, detail, f->has_sentiment,
	                                              f->sentiment, dup_of, err);
	free(detail);
	return rc ? -1 : 0;
}

static const char *duplicate_of(const struct run *r, const struct kudos_dupes *dupes, size_t i)
{
	const char *rep = kudos_dupes_representative(dupes, i);
	return rep && strcmp(rep, r->v[i].id) != 0 ? rep : NULL;
}

struct stored_at {
	const char *id;
	size_t i;
};

static int by_id(const void *pa, const void *pb)
{
	const struct stored_at *a = pa, *b = pb;
	return strcmp(a->id, b->id);
}

struct grouping {
	struct kudos_dupes *dupes;
	struct kudos_error err;
	int rc;
};

static void *group_all(void *p)
{
	struct grouping *g = p;
	g->rc = kudos_dupes_group(g->dupes, &g->err);
	return NULL;
}

/* Group duplicates and save what changed since the last analysis: a run
 * over items nothing happened to writes nothing.  Grouping (a third of
 * this, on one thread) runs beside the saving: items that were no
 * duplicate last time are saved as none now, those that were wait; once
 * the groups are known, the duplicates and the waiting items are saved
 * (an item that became a duplicate is written twice).  Findings are
 * written in item id order, their table's, so that the page cache meets
 * each of its pages once.  The items' signatures are added in the order
 * they were read (listing order), which decides the groups. */
static int group_and_save(struct run *r, struct kudos_dupes *dupes, struct kudos_store *s,
                          long *flagged, struct kudos_error *err)
{
	struct grouping g = {.dupes = dupes};
	pthread_t thread;
	int threaded = 0, rc = 0;
	struct stored_at *order = malloc((r->n ? r->n : 1) * sizeof *order);
	if (!order)
		return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < r->n; i++) {
		if (kudos_dupes_add_signed(dupes, r->v[i].id, r->v[i].created, &r->v[i].sig, NULL,
		                           err)) {
			free(order);
			return -1;
		}
		order[i] = (struct stored_at){r->v[i].id, i};
	}
	qsort(order, r->n, sizeof *order, by_id);
	threaded = pthread_create(&thread, NULL, group_all, &g) == 0;
	if (!threaded)
		group_all(&g);
	for (size_t k = 0; k < r->n && rc == 0; k++)
		if (!r->v[order[k].i].old_dup)
			rc = save_one(r, order[k].i, NULL, s, err);
	if (threaded)
		pthread_join(thread, NULL);
	if (rc == 0 && g.rc) {
		*err = g.err;
		rc = -1;
	}
	for (size_t k = 0; k < r->n && rc == 0; k++) {
		size_t i = order[k].i;
		const char *dup = duplicate_of(r, dupes, i);
		if (dup || r->v[i].old_dup)
			rc = save_one(r, i, dup, s, err);
	}
	for (size_t i = 0; i < r->n; i++)
		*flagged += r->v[i].flags != NULL;
	free(order);
	return rc;
}

int kudos_analyze(struct kudos_store *s, const struct kudos_job *job,
                  const char *const *sources, long *flagged, struct kudos_error *err)
{
	struct run r = {.job = job};
	struct kudos_dupes *dupes = NULL;
	int rc = -1, in_tx = 0;
	*flagged = 0;
	if (build_blocklist(&r, err))
		goto done;
	if (!(dupes = kudos_dupes_new(0))) {
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		goto done;
	}
	r.lexicon = load_lexicon();
	if (!r.lexicon)
		fprintf(stderr, "kudos: warning: the sentiment lexicon (vader_lexicon.txt) was not "
		                "found; set KUDOS_DATA_DIR to its folder: items get no sentiment and "
		                "no `negative` flag\n");
	if (kudos_store_begin(s, err))
		goto done;
	in_tx = 1;
	int read = kudos_store_each_for_analysis(s, sources, read_one, &r, err);
	if (read > 0)
		kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
	/* Read as stored; grouped in listing order. */
	if (!read && r.n > 1)
		qsort(r.v, r.n, sizeof *r.v, by_listing_order);
	if (read || analyse_all(&r, err) || group_and_save(&r, dupes, s, flagged, err) ||
	    kudos_store_commit(s, err))
		goto done;
	in_tx = 0;
	rc = 0;
done:
	if (in_tx)
		kudos_store_rollback(s);
	for (size_t i = 0; i < r.n; i++)
		finding_release(&r.v[i]);
	free(r.v);
	kudos_dupes_free(dupes);
	kudos_blocklist_free(r.blocklist);
	kudos_sentiment_free(r.lexicon);
	return rc;
}
