#include "analyze.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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

struct finding {
	char *id;
	cJSON *detail; /* flag -> what was found */
	char flags[1024];
	int has_sentiment;
	double sentiment;
	size_t dupe_index;
};

struct run {
	struct kudos_blocklist *blocklist;
	struct kudos_sentiment *lexicon;
	struct kudos_fold fold;
	struct kudos_dupes *dupes;
	const struct kudos_job *job;
	struct kudos_store *store;
	struct finding *v;
	size_t n, cap;
	int failed;
	struct kudos_error *err;
};

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
static int on_list(const struct kudos_job *job, const char *key, const struct kudos_item *it)
{
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(job->root, "curation");
	const cJSON *e;
	const char *name = it->field[KUDOS_FIELD_AUTHOR_NAME];
	const char *handle = it->field[KUDOS_FIELD_AUTHOR_HANDLE];
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
	for (const char *p = f->flags; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

static void flag(struct finding *f, const char *name, const char *detail)
{
	size_t len = strlen(f->flags);
	/* Never half a name: a flag that no longer fits is left out (only
	 * filters raising dozens of flags on one item get here). */
	if (len + strlen(name) + 2 > sizeof f->flags)
		return;
	snprintf(f->flags + len, sizeof f->flags - len, "%s%s", len ? "," : "", name);
	if (detail)
		cJSON_AddStringToObject(f->detail, name, detail);
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

static int analyse_one(void *ud, struct kudos_item *it)
{
	struct run *r = ud;
	const char *text = it->field[KUDOS_FIELD_TEXT];
	size_t len = strlen(text);
	char buf[160];
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct finding *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			goto oom;
		r->v = v;
		r->cap = cap;
	}
	struct finding *f = &r->v[r->n];
	memset(f, 0, sizeof *f);
	if (!(f->id = strdup(it->field[KUDOS_FIELD_ID])) || !(f->detail = cJSON_CreateObject()))
		goto oom_f;
	if (kudos_fold(&r->fold, text, len))
		goto oom_f;

	struct kudos_pii hits[4];
	int n_pii = kudos_pii_scan_folded(text, len, &r->fold, hits, 4);
	if (n_pii > 0) {
		char what[200];
		excerpt(text, hits[0].start, hits[0].end, buf, 64);
		snprintf(what, sizeof what, "%s: %s", kudos_pii_kind_name(hits[0].kind), buf);
		flag(f, "pii", what);
	}
	struct kudos_block_match m;
	if (r->blocklist && kudos_blocklist_match_folded(r->blocklist, &r->fold, &m)) {
		excerpt(text, m.start, m.end, buf, sizeof buf);
		flag(f, "blocked_word", buf);
	}
	if (r->lexicon && lexicon_reads(it->field[KUDOS_FIELD_LANGUAGE])) {
		size_t words;
		if (kudos_sentiment_score_folded(r->lexicon, text, &r->fold, &f->sentiment, &words) == 0)
			f->has_sentiment = 1;
		if (f->has_sentiment && f->sentiment <= NEGATIVE_AT)
			flag(f, "negative", NULL);
	}
	if (kudos_question_like_folded(text, len, &r->fold))
		flag(f, "question", NULL);
	if ((it->badges & KUDOS_BADGE_INCENTIVIZED) || on_list(r->job, "incentivized", it))
		flag(f, "incentivized", NULL);
	if ((it->badges & KUDOS_BADGE_EMPLOYEE) || on_list(r->job, "employees", it))
		flag(f, "employee", NULL);
	if (it->filter_results && merge_filter_flags(f, it->filter_results))
		goto oom_f;
	int edited;
	if (kudos_store_edited(r->store, f->id, &edited, r->err))
		goto fail_f;
	if (edited)
		flag(f, "edited_upstream", NULL);
	int64_t created = it->has_time[KUDOS_TIME_CREATED] ? it->time[KUDOS_TIME_CREATED] : 0;
	if (kudos_dupes_add_folded(r->dupes, f->id, text, len, &r->fold, created, &f->dupe_index,
	                           r->err))
		goto fail_f;
	r->n++;
	return 0;
oom_f:
	kudos_fail(r->err, KUDOS_EXIT_FAIL, "out of memory");
fail_f:
	free(f->id);
	cJSON_Delete(f->detail);
	r->failed = 1;
	return 1;
oom:
	kudos_fail(r->err, KUDOS_EXIT_FAIL, "out of memory");
	r->failed = 1;
	return 1;
}

static int save(struct run *r, long *flagged, struct kudos_error *err)
{
	for (size_t i = 0; i < r->n; i++) {
		struct finding *f = &r->v[i];
		const char *rep = kudos_dupes_representative(r->dupes, f->dupe_index);
		const char *dup_of = rep && strcmp(rep, f->id) != 0 ? rep : NULL;
		if (dup_of)
			flag(f, "duplicate", dup_of);
		char *detail = cJSON_PrintUnformatted(f->detail);
		if (!detail)
			return kudos_fail(err, KUDOS_EXIT_FAIL, "out of memory");
		int rc = kudos_store_set_analysis(r->store, f->id, f->flags, detail, f->has_sentiment,
		                                  f->sentiment, dup_of, err);
		free(detail);
		if (rc)
			return -1;
		*flagged += f->flags[0] != '\0';
	}
	return 0;
}

int kudos_analyze(struct kudos_store *s, const struct kudos_job *job,
                  const char *const *sources, long *flagged, struct kudos_error *err)
{
	struct run r = {.job = job, .store = s, .err = err};
	struct kudos_query q = {.sources = sources};
	int rc = -1, in_tx = 0;
	*flagged = 0;
	kudos_fold_init(&r.fold);
	if (build_blocklist(&r, err))
		goto done;
	if (!(r.dupes = kudos_dupes_new(0))) {
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
	if (kudos_store_each(s, &q, analyse_one, &r, err) < 0 || r.failed)
		goto done;
	if (kudos_dupes_group(r.dupes, err) || save(&r, flagged, err) ||
	    kudos_store_commit(s, err))
		goto done;
	in_tx = 0;
	rc = 0;
done:
	if (in_tx)
		kudos_store_rollback(s);
	for (size_t i = 0; i < r.n; i++) {
		free(r.v[i].id);
		cJSON_Delete(r.v[i].detail);
	}
	free(r.v);
	kudos_fold_release(&r.fold);
	kudos_dupes_free(r.dupes);
	kudos_blocklist_free(r.blocklist);
	kudos_sentiment_free(r.lexicon);
	return rc;
}
