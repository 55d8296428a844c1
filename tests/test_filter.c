/*
 * Filter plugins: the host services a filter calls (what they accept and
 * refuse), the store's filter results, and through the real binary the
 * step itself: rules using what a filter set, only new or changed items
 * filtered again, a failing filter failing the run with the store kept as
 * it was, and the job's "filters" refused when wrong.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filter.h"
#include "helpers.h"
#include "instance.h"
#include "job.h"
#include "leakcheck.h"
#include "loader.h"
#include "store.h"

static void setup(void)
{
	cr_assert_geq(sodium_init(), 0);
}

TestSuite(filter_services, .init = setup);
TestSuite(filter_store, .init = setup);
TestSuite(filter_run, .init = setup);

/* ---- the host services, called from a filter() ------------------------ */

/* The filter under test: its callback runs the checks of `probe`. */
static void (*probe)(const struct kudos_host *h, struct kudos_instance *self,
                     const struct kudos_item *item);

static int probe_filter(const struct kudos_host *h, struct kudos_instance *self, void *ctx,
                        const struct kudos_item *item)
{
	(void)ctx;
	probe(h, self, item);
	return KUDOS_OK;
}

struct rig {
	char *dir;
	struct kudos_job job;
	struct kudos_plugin_lib lib;
	struct kudos_instance *in;
};

/* An instance of an inline filter plugin named "probe" in a loaded job. */
static void rig_up(struct rig *r)
{
	struct kudos_error err = {0};
	r->dir = kt_tmpdir();
	char *job = kt_job(r->dir, "{\"name\": \"p\", \"filters\": [{\"plugin\": \"probe\"}]}");
	cr_assert_eq(kudos_job_load(job, &r->job, &err), 0, "%s", err.msg);
	free(job);
	r->lib = (struct kudos_plugin_lib){0};
	r->lib.desc = (struct kudos_plugin){
		.struct_size = sizeof(struct kudos_plugin),
		.abi_version = KUDOS_ABI_VERSION,
		.kind = KUDOS_PLUGIN_FILTER,
		.name = "probe",
		.version = "1",
		.description = "test",
		.filter = probe_filter,
	};
	cr_assert_eq(kudos_plugin_validate(&r->lib.desc, "probe.so", &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_instance_new(&r->lib, &r->job, &r->job.filters[0], NULL, &r->in, &err),
	             0, "%s", err.msg);
	r->in->verbosity = 0;
	cr_assert_eq(kudos_instance_init(r->in, &err), 0, "%s", err.msg);
}

static void rig_down(struct rig *r)
{
	kudos_instance_free(r->in);
	kudos_job_free(&r->job);
	kt_rmtree(r->dir);
	free(r->dir);
}

static struct kudos_item *new_item(const char *ext, const char *text, const char *language)
{
	struct kudos_item *it = kudos_item_new("csv", ext);
	cr_assert_not_null(it);
	cr_assert_eq(kudos_item_put(it, KUDOS_FIELD_TEXT, text), 0);
	cr_assert_eq(kudos_item_put(it, KUDOS_FIELD_LANGUAGE, language), 0);
	return it;
}

static const struct kudos_item *other_item;

static void check_refusals(const struct kudos_host *h, struct kudos_instance *self,
                           const struct kudos_item *item)
{
	char long_tag[66], long_detail[202], name33[34];
	memset(long_tag, 't', 65);
	long_tag[65] = '\0';
	memset(long_detail, 'd', 201);
	long_detail[201] = '\0';
	memset(name33, 'n', 33);
	name33[33] = '\0';
	/* Not the item filter() was handed. */
	cr_assert_eq(h->filter_tag(self, other_item, "x"), KUDOS_EINVAL);
	cr_assert_eq(h->filter_flag(self, NULL, "x", NULL), KUDOS_EINVAL);
	/* Tags. */
	const char *bad_tags[] = {"", " lead", "trail ", "a,b", "tab\there", "\x7f", "\xff\xfe",
	                          long_tag, NULL};
	for (size_t i = 0; i < sizeof bad_tags / sizeof *bad_tags; i++)
		cr_assert_eq(h->filter_tag(self, item, bad_tags[i]), KUDOS_EINVAL, "tag #%zu", i);
	long_tag[64] = '\0';
	cr_assert_eq(h->filter_tag(self, item, long_tag), KUDOS_OK, "64 bytes is allowed");
	cr_assert_eq(h->filter_tag(self, item, "日本語"), KUDOS_OK);
	cr_assert_eq(h->filter_tag(self, item, "日本語"), KUDOS_OK, "again: no change");
	for (int i = 0; i < 30; i++) {
		char t[16];
		snprintf(t, sizeof t, "t%d", i);
		cr_assert_eq(h->filter_tag(self, item, t), KUDOS_OK, "tag %d", i);
	}
	cr_assert_eq(h->filter_tag(self, item, "t-one-too-many"), KUDOS_EINVAL, "33rd tag");
	/* Flags. */
	const char *bad_flags[] = {"", "Pii", "a-b", "a b", "é", name33, NULL};
	for (size_t i = 0; i < sizeof bad_flags / sizeof *bad_flags; i++)
		cr_assert_eq(h->filter_flag(self, item, bad_flags[i], NULL), KUDOS_EINVAL, "flag #%zu",
		             i);
	cr_assert_eq(h->filter_flag(self, item, "ok", long_detail), KUDOS_EINVAL);
	cr_assert_eq(h->filter_flag(self, item, "ok", "\xc3("), KUDOS_EINVAL, "bad UTF-8");
	long_detail[200] = '\0';
	cr_assert_eq(h->filter_flag(self, item, "ok", long_detail), KUDOS_OK);
	cr_assert_eq(h->filter_flag(self, item, "ok", "replaced"), KUDOS_OK);
	for (int i = 1; i < 16; i++) {
		char f[16];
		snprintf(f, sizeof f, "f%d", i);
		cr_assert_eq(h->filter_flag(self, item, f, NULL), KUDOS_OK, "flag %d", i);
	}
	cr_assert_eq(h->filter_flag(self, item, "f_too_many", NULL), KUDOS_EINVAL, "17th flag");
	cr_assert_eq(h->filter_flag(self, item, "ok", "still replaceable"), KUDOS_OK);
	/* Scores. */
	cr_assert_eq(h->filter_score(self, item, "p", NAN), KUDOS_EINVAL);
	cr_assert_eq(h->filter_score(self, item, "p", INFINITY), KUDOS_EINVAL);
	cr_assert_eq(h->filter_score(self, item, "P", 1), KUDOS_EINVAL);
	cr_assert_eq(h->filter_score(self, item, "p", 0.25), KUDOS_OK);
	cr_assert_eq(h->filter_score(self, item, "p", -3.5), KUDOS_OK, "replaced");
	/* Language: malformed tags, then the item has none: set, then kept. */
	const char *bad_lang[] = {"d", "de_DE", "123", "de-", "-de", "de--at", "dé", "toolonglang",
	                          "de-abcdefghi", NULL};
	for (size_t i = 0; i < sizeof bad_lang / sizeof *bad_lang; i++)
		cr_assert_eq(h->filter_set_language(self, item, bad_lang[i]), KUDOS_EINVAL,
		             "language #%zu", i);
	cr_assert_null(h->item_get(item, KUDOS_FIELD_LANGUAGE));
	cr_assert_eq(h->filter_set_language(self, item, "pt-BR"), KUDOS_OK);
	cr_assert_str_eq(h->item_get(item, KUDOS_FIELD_LANGUAGE), "pt-BR",
	                 "the filter (and those after it) read what it set");
	cr_assert_eq(h->filter_set_language(self, item, "es"), KUDOS_SKIP, "first one stands");
	cr_assert_str_eq(h->item_get(item, KUDOS_FIELD_LANGUAGE), "pt-BR");
}

Test(filter_services, accept_and_refuse_what_the_abi_says)
{
	struct rig r;
	rig_up(&r);
	struct kudos_item *it = new_item("1", "text", NULL);
	struct kudos_item *other = new_item("2", "other", NULL);
	other_item = other;
	/* Outside filter(): refused. */
	cr_assert_eq(kudos_host_table.filter_tag(r.in, it, "x"), KUDOS_EINVAL);
	cr_assert_eq(kudos_host_table.filter_set_language(r.in, it, "de"), KUDOS_EINVAL);
	cr_assert_null(it->field[KUDOS_FIELD_LANGUAGE]);

	probe = check_refusals;
	cJSON *found = NULL;
	cr_assert_eq(kudos_filter_apply(r.in, it, &found), KUDOS_OK);
	cr_assert_not_null(found);
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(found, "tags");
	cJSON *flags = cJSON_GetObjectItemCaseSensitive(found, "flags");
	cJSON *scores = cJSON_GetObjectItemCaseSensitive(found, "scores");
	cr_assert_eq(cJSON_GetArraySize(tags), 32);
	cr_assert_eq(cJSON_GetArraySize(flags), 16);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(flags, "ok")),
	                 "still replaceable");
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(flags, "f1")), "a flag without detail");
	cr_assert_eq(cJSON_GetArraySize(scores), 1);
	cr_assert_eq(cJSON_GetNumberValue(cJSON_GetObjectItem(scores, "p")), -3.5);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(found, "language")), "pt-BR");
	cr_assert_str_eq(it->field[KUDOS_FIELD_LANGUAGE], "pt-BR");
	cJSON_Delete(found);
	/* Afterwards: refused again, and nothing of the call is left over. */
	cr_assert_eq(kudos_host_table.filter_tag(r.in, it, "late"), KUDOS_EINVAL);
	cr_assert_null(r.in->found);
	cr_assert_null(r.in->filtering);
	kudos_item_free(it);
	kudos_item_free(other);
	rig_down(&r);
	KT_ASSERT_NO_LEAKS();
}

static void set_language_de(const struct kudos_host *h, struct kudos_instance *self,
                            const struct kudos_item *item)
{
	cr_assert_eq(h->filter_set_language(self, item, "de"), KUDOS_SKIP);
}

static void say_nothing(const struct kudos_host *h, struct kudos_instance *self,
                        const struct kudos_item *item)
{
	(void)h, (void)self, (void)item;
}

Test(filter_services, the_sources_language_stands_and_silence_is_no_finding)
{
	struct rig r;
	rig_up(&r);
	struct kudos_item *it = new_item("1", "Great grinder", "en-GB");
	cJSON *found = NULL;
	probe = set_language_de;
	cr_assert_eq(kudos_filter_apply(r.in, it, &found), KUDOS_OK);
	cr_assert_null(found, "a filter that only tried to set a language found nothing");
	cr_assert_str_eq(it->field[KUDOS_FIELD_LANGUAGE], "en-GB");
	probe = say_nothing;
	cr_assert_eq(kudos_filter_apply(r.in, it, &found), KUDOS_OK);
	cr_assert_null(found);
	kudos_item_free(it);
	rig_down(&r);
	KT_ASSERT_NO_LEAKS();
}

/* ---- the store ---------------------------------------------------------- */

struct seen {
	char ids[256];
};

static int note_id(void *ud, struct kudos_item *it)
{
	struct seen *s = ud;
	strcat(s->ids, it->field[KUDOS_FIELD_ID]);
	strcat(s->ids, " ");
	return 0;
}

static const char *ids_of(struct kudos_store *store, const struct kudos_query *q,
                          struct seen *s)
{
	struct kudos_error err = {0};
	s->ids[0] = '\0';
	cr_assert_eq(kudos_store_each(store, q, note_id, s, &err), 0, "%s", err.msg);
	return s->ids;
}

Test(filter_store, results_saved_read_queried_and_cleared)
{
	struct kudos_error err = {0};
	char *dir = kt_tmpdir(), *db = kt_path(dir, "k.db");
	struct kudos_store *store = NULL;
	cr_assert_eq(kudos_store_open(db, &store, &err), 0, "%s", err.msg);
	struct kudos_item *a = new_item("a", "Sehr gut", NULL), *b = new_item("b", "Great", "en");
	a->has_time[KUDOS_TIME_CREATED] = b->has_time[KUDOS_TIME_CREATED] = 1;
	a->time[KUDOS_TIME_CREATED] = 2000;
	b->time[KUDOS_TIME_CREATED] = 1000;
	int outcome;
	cr_assert_eq(kudos_store_begin(store, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_upsert(store, a, "csv", NULL, 1, &outcome, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_upsert(store, b, "csv", NULL, 1, &outcome, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0, "%s", err.msg);
	char hash_a[65], hash_b[65];
	kudos_item_content_hash(a, hash_a);
	kudos_item_content_hash(b, hash_b);

	struct seen s;
	struct kudos_query unfiltered = {.unfiltered = "setup-1"};
	cr_assert_str_eq(ids_of(store, &unfiltered, &s), "csv:a csv:b ", "nothing filtered yet");

	cr_assert_eq(kudos_store_begin(store, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_set_filter_results(
	                     store, "csv:a",
	                     "{\"language\": {\"tags\": [\"lang:de\"], \"scores\": {\"confidence\": 0.83},"
	                     " \"language\": \"de\"}}",
	                     "de", "setup-1", hash_a, &err),
	             0, "%s", err.msg);
	/* b's source said "en": a filter's language is never stored for it. */
	cr_assert_eq(kudos_store_set_filter_results(store, "csv:b", "{}", NULL, "setup-1", hash_b,
	                                            &err),
	             0, "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0, "%s", err.msg);

	cr_assert_str_eq(ids_of(store, &unfiltered, &s), "", "both seen as they are");
	struct kudos_query other_setup = {.unfiltered = "setup-2"};
	cr_assert_str_eq(ids_of(store, &other_setup, &s), "csv:a csv:b ", "other filters");
	struct kudos_query tagged = {.tag = "lang:de"};
	cr_assert_str_eq(ids_of(store, &tagged, &s), "csv:a ");
	struct kudos_query untagged = {.tag = "lang"};
	cr_assert_str_eq(ids_of(store, &untagged, &s), "", "tags match whole");

	struct kudos_item *back = NULL;
	cr_assert_eq(kudos_store_get(store, "csv:a", &back, &err), 0, "%s", err.msg);
	cr_assert_str_eq(back->field[KUDOS_FIELD_LANGUAGE], "de");
	cr_assert_eq(back->language_guessed, 1);
	cr_assert_eq(back->n_tags, 1);
	double conf = 0;
	cr_assert(kudos_item_score(back, "language.confidence", &conf));
	cr_assert_float_eq(conf, 0.83, 1e-9);
	kudos_item_free(back);
	cr_assert_eq(kudos_store_get(store, "csv:b", &back, &err), 0, "%s", err.msg);
	cr_assert_str_eq(back->field[KUDOS_FIELD_LANGUAGE], "en");
	cr_assert_eq(back->language_guessed, 0);
	kudos_item_free(back);

	/* An edit upstream: a is to be filtered again, b is not. */
	cr_assert_eq(kudos_item_put(a, KUDOS_FIELD_TEXT, "Sehr gut, danke"), 0);
	cr_assert_eq(kudos_store_begin(store, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_upsert(store, a, "csv", NULL, 2, &outcome, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0, "%s", err.msg);
	cr_assert_eq(outcome, KUDOS_UPSERT_UPDATED);
	cr_assert_str_eq(ids_of(store, &unfiltered, &s), "csv:a ");
	cr_assert_eq(kudos_store_get(store, "csv:a", &back, &err), 0, "%s", err.msg);
	cr_assert_str_eq(back->field[KUDOS_FIELD_LANGUAGE], "de",
	                 "the old guess stands until the filters run again");
	kudos_item_free(back);

	/* A job without filters forgets, but only for its own sources. */
	const char *other_sources[] = {"mastodon", NULL};
	cr_assert_eq(kudos_store_begin(store, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_clear_filter_results(store, other_sources, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0, "%s", err.msg);
	cr_assert_str_eq(ids_of(store, &tagged, &s), "csv:a ");
	const char *sources[] = {"csv", NULL};
	cr_assert_eq(kudos_store_begin(store, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_clear_filter_results(store, sources, &err), 0, "%s", err.msg);
	cr_assert_eq(kudos_store_commit(store, &err), 0, "%s", err.msg);
	cr_assert_str_eq(ids_of(store, &tagged, &s), "");
	cr_assert_eq(kudos_store_get(store, "csv:a", &back, &err), 0, "%s", err.msg);
	cr_assert_null(back->field[KUDOS_FIELD_LANGUAGE]);
	cr_assert_eq(back->language_guessed, 0);
	cr_assert_null(back->filter_results);
	kudos_item_free(back);

	kudos_item_free(a);
	kudos_item_free(b);
	kudos_store_close(store);
	kt_rmtree(dir);
	free(db);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}

/* ---- through the binary ------------------------------------------------- */

/* A folder with good-filter and good-source side by side, for
 * --plugin-path (transfer full; "plugins" inside `dir`). */
static char *plugin_dir(const char *dir)
{
	char *p = kt_path(dir, "plugins");
	const char *names[] = {"good-source", "good-filter"};
	cr_assert_eq(mkdir(p, 0777), 0);
	for (size_t i = 0; i < 2; i++) {
		char *src = NULL, *dst = NULL;
		cr_assert(asprintf(&src, "%s/%s.so", KT_TEST_PLUGINS, names[i]) > 0);
		cr_assert(asprintf(&dst, "%s/%s.so", p, names[i]) > 0);
		cr_assert_eq(symlink(src, dst), 0, "%s", dst);
		free(src);
		free(dst);
	}
	return p;
}

/* The plugin path: the test plugins, then the build's own. */
static char *search_path(const char *plugins)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s:%s", plugins, KT_PLUGINS) > 0);
	return p;
}

static cJSON *list_json(const char *dir, const char *store)
{
	struct kt_run r = kt_kudos(dir, "list", "--json", "--store", store, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cJSON *items = cJSON_Parse(r.out);
	cr_assert(cJSON_IsArray(items), "%s", r.out);
	kt_run_free(&r);
	return items;
}

static const cJSON *by_id(const cJSON *items, const char *id)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, items)
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "id")), id) == 0)
			return e;
	}
	cr_assert_fail("no item %s", id);
	return NULL;
}

static int has_string(const cJSON *arr, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr) if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0) return 1;
	return 0;
}

/* How many "looked at" lines good-filter logged (it logs at INFO: -v). */
static int looked_at(const char *err)
{
	int n = 0;
	for (const char *p = err; (p = strstr(p, "good-filter: looked at ")); p++)
		n++;
	return n;
}

struct e2e {
	char *dir, *plugins, *path, *store, *job;
};

static void e2e_up(struct e2e *e)
{
	e->dir = kt_tmpdir();
	e->plugins = plugin_dir(e->dir);
	e->path = search_path(e->plugins);
	e->store = kt_path(e->dir, "k.db");
	e->job = NULL;
}

static void e2e_job(struct e2e *e, const char *json)
{
	free(e->job);
	e->job = kt_job(e->dir, json);
}

static struct kt_run e2e_kudos(struct e2e *e, const char *cmd)
{
	return kt_kudos(e->dir, cmd, e->job, "-v", "--plugin-path", e->path, NULL);
}

static void e2e_down(struct e2e *e)
{
	kt_rmtree(e->dir);
	free(e->dir);
	free(e->plugins);
	free(e->path);
	free(e->store);
	free(e->job);
}

#define JOB_HEAD                                                                          \
	"{\"name\": \"f\", \"store\": \"k.db\","                                              \
	" \"sources\": [{\"plugin\": \"good-source\", \"count\": %d}],"

Test(filter_run, rules_use_what_a_filter_set, .timeout = 60)
{
	struct e2e e;
	char json[1024];
	e2e_up(&e);
	snprintf(json, sizeof json,
	         JOB_HEAD " \"filters\": [{\"plugin\": \"good-filter\", \"word\": \"Testimonial 2\","
	                  "               \"language\": \"de\"}],"
	                  " \"curation\": {\"auto_reject\": [{\"name\": \"long\", \"all\":"
	                  "   {\"min_score\": {\"good-filter.length\": 1000}}}],"
	                  "  \"auto_approve\": [{\"name\": \"keyword\", \"all\":"
	                  "   {\"tags\": [\"keyword\"], \"languages\": [\"de\"]}}]}}",
	         3);
	e2e_job(&e, json);
	struct kt_run r = e2e_kudos(&e, "run");
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "filters looked at 3 new or changed items"), "%s", r.out);
	cr_assert(strstr(r.out, "approved 1 item by the job's rules"), "%s", r.out);
	cr_assert_eq(looked_at(r.err), 3, "%s", r.err);
	kt_run_free(&r);

	cJSON *items = list_json(e.dir, e.store);
	const cJSON *two = by_id(items, "good-source:g-2"), *one = by_id(items, "good-source:g-1");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(two, "curation")), "approved");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(one, "curation")), "new");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(one, "language")), "de");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(one, "language_guessed")));
	cr_assert(has_string(cJSON_GetObjectItem(two, "tags"), "keyword"));
	cr_assert(has_string(cJSON_GetObjectItem(two, "tags"), "seen"));
	cr_assert_not(has_string(cJSON_GetObjectItem(one, "tags"), "keyword"));
	cr_assert(has_string(cJSON_GetObjectItem(two, "flags"), "keyword"));
	double len = cJSON_GetNumberValue(
		cJSON_GetObjectItem(cJSON_GetObjectItem(two, "scores"), "good-filter.length"));
	cr_assert_eq(len, (double)strlen("Testimonial 2 from the good source."));
	cJSON_Delete(items);

	/* show: the flag's detail names the filter; who found what. */
	r = kt_kudos(e.dir, "show", "good-source:g-2", "--json", "--store", e.store, NULL);
	cJSON *shown = cJSON_Parse(r.out);
	cr_assert(shown, "%s", r.out);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(
	                         cJSON_GetObjectItem(shown, "flag_detail"), "keyword")),
	                 "filter good-filter: Testimonial 2");
	const cJSON *mine = cJSON_GetObjectItem(cJSON_GetObjectItem(shown, "filters"), "good-filter");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(mine, "language")), "de");
	cJSON_Delete(shown);
	kt_run_free(&r);
	r = kt_kudos(e.dir, "show", "good-source:g-1", "--store", e.store, NULL);
	cr_assert(strstr(r.out, "de (guessed by a filter)"), "%s", r.out);
	cr_assert(strstr(r.out, "seen"), "%s", r.out);
	cr_assert(strstr(r.out, "good-filter.length 35"), "%s", r.out);
	kt_run_free(&r);

	/* list --tag, list --flag, export. */
	r = kt_kudos(e.dir, "list", "--tag", "keyword", "--store", e.store, NULL);
	cr_assert(strstr(r.out, "good-source:g-2") && !strstr(r.out, "good-source:g-1"), "%s",
	          r.out);
	kt_run_free(&r);
	r = kt_kudos(e.dir, "list", "--flag", "keyword", "--store", e.store, NULL);
	cr_assert(strstr(r.out, "good-source:g-2") && !strstr(r.out, "good-source:g-3"), "%s",
	          r.out);
	kt_run_free(&r);
	r = kt_kudos(e.dir, "export", "--format", "csv", "--store", e.store, NULL);
	cr_assert(strstr(r.out, ",scopes,language,flags,tags\r\n"), "%s", r.out);
	cr_assert(strstr(r.out, ",de,\"keyword,") && strstr(r.out, ",\"seen,keyword\"\r\n"), "%s",
	          r.out);
	kt_run_free(&r);
	e2e_down(&e);
}

Test(filter_run, only_new_or_changed_items_are_filtered_again, .timeout = 60)
{
	struct e2e e;
	char json[512];
	e2e_up(&e);
	const char *tail = " \"filters\": [{\"plugin\": \"good-filter\"}]}";
	snprintf(json, sizeof json, JOB_HEAD "%s", 3, tail);
	e2e_job(&e, json);
	struct kt_run r = e2e_kudos(&e, "run");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(looked_at(r.err), 3, "%s", r.err);
	kt_run_free(&r);

	r = e2e_kudos(&e, "run");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(looked_at(r.err), 0, "nothing changed: %s", r.err);
	cr_assert(strstr(r.out, "filters looked at 0 new or changed items"), "%s", r.out);
	kt_run_free(&r);

	/* One more item: only it. */
	snprintf(json, sizeof json, JOB_HEAD "%s", 4, tail);
	e2e_job(&e, json);
	r = e2e_kudos(&e, "run");
	cr_assert_eq(looked_at(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "looked at good-source:g-4"), "%s", r.err);
	kt_run_free(&r);

	/* Other settings for the filter: every item again. */
	tail = " \"filters\": [{\"plugin\": \"good-filter\", \"word\": \"source\"}]}";
	snprintf(json, sizeof json, JOB_HEAD "%s", 4, tail);
	e2e_job(&e, json);
	r = e2e_kudos(&e, "run");
	cr_assert_eq(looked_at(r.err), 4, "%s", r.err);
	kt_run_free(&r);
	r = kt_kudos(e.dir, "list", "--flag", "keyword", "--store", e.store, NULL);
	cr_assert(strstr(r.out, "good-source:g-1") && strstr(r.out, "good-source:g-4"), "%s", r.out);
	kt_run_free(&r);

	/* A render alone runs no filter. */
	r = e2e_kudos(&e, "render");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(looked_at(r.err), 0, "%s", r.err);
	kt_run_free(&r);

	/* collect alone runs no filter; curate filters what it left. */
	snprintf(json, sizeof json, JOB_HEAD "%s", 5, tail);
	e2e_job(&e, json);
	r = e2e_kudos(&e, "collect");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(looked_at(r.err), 0, "%s", r.err);
	kt_run_free(&r);
	r = e2e_kudos(&e, "curate");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(looked_at(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "looked at good-source:g-5"), "%s", r.err);
	cr_assert(strstr(r.out, "filters looked at 1 new or changed item\n"), "%s", r.out);
	kt_run_free(&r);

	/* No filters any more: what they found is forgotten. */
	snprintf(json, sizeof json, JOB_HEAD " \"filters\": []}", 4);
	e2e_job(&e, json);
	r = e2e_kudos(&e, "run");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.out, "filters looked at"), "%s", r.out);
	kt_run_free(&r);
	r = kt_kudos(e.dir, "list", "--flag", "keyword", "--store", e.store, NULL);
	cr_assert_null(strstr(r.out, "good-source:"), "%s", r.out);
	kt_run_free(&r);
	r = kt_kudos(e.dir, "list", "--tag", "seen", "--store", e.store, NULL);
	cr_assert_null(strstr(r.out, "good-source:"), "%s", r.out);
	kt_run_free(&r);
	e2e_down(&e);
}

Test(filter_run, a_failing_filter_fails_the_run_and_keeps_the_store, .timeout = 60)
{
	struct e2e e;
	char json[512];
	e2e_up(&e);
	snprintf(json, sizeof json,
	         JOB_HEAD " \"filters\": [{\"plugin\": \"good-filter\"}],"
	                  " \"curation\": {\"auto_approve\": [{\"name\": \"all\", \"all\":"
	                  "   {\"min_rating\": 0}}]}}",
	         2);
	e2e_job(&e, json);
	struct kt_run r = e2e_kudos(&e, "run");
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	r = kt_kudos(e.dir, "reject", "good-source:g-1", "good-source:g-2", "--store", e.store,
	             NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	kt_run_free(&r);
	cJSON *before = list_json(e.dir, e.store);

	/* Newest first: g-4 and g-3 are filtered, then g-2 fails. */
	snprintf(json, sizeof json,
	         JOB_HEAD " \"filters\": [{\"plugin\": \"good-filter\", \"fail_on\": \"monial 2 \"}],"
	                  " \"curation\": {\"auto_approve\": [{\"name\": \"all\", \"all\":"
	                  "   {\"min_rating\": 0}}]},"
	                  " \"outputs\": [{\"plugin\": \"widget-json\", \"path\": \"out/w.json\"}]}",
	         4);
	e2e_job(&e, json);
	r = e2e_kudos(&e, "run");
	cr_assert_eq(r.status, 1, "want a failed run (1), got %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "kudos: filters[0] (good-filter): item good-source:g-2: the text "
	                        "contains 'monial 2 ', which this filter refuses"),
	          "%s", r.err);
	cr_assert_eq(looked_at(r.err), 3, "%s", r.err);
	kt_run_free(&r);
	char *widget = kt_path(e.dir, "out/w.json"), *text = kt_read(widget);
	cr_assert_null(text, "no output after a failed filter");
	free(widget);

	/* Collected items are kept (collect commits per source); nothing the
	 * filters said in the failed run is, and no rule ran. */
	cJSON *after = list_json(e.dir, e.store);
	cr_assert_eq(cJSON_GetArraySize(after), 4);
	for (int n = 1; n <= 2; n++) {
		char id[32];
		snprintf(id, sizeof id, "good-source:g-%d", n);
		char *was = cJSON_PrintUnformatted(by_id(before, id));
		char *is = cJSON_PrintUnformatted(by_id(after, id));
		cr_assert_str_eq(is, was, "%s changed in a failed run", id);
		free(was);
		free(is);
	}
	for (int n = 3; n <= 4; n++) {
		char id[32];
		snprintf(id, sizeof id, "good-source:g-%d", n);
		const cJSON *it = by_id(after, id);
		cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(it, "tags")), 0,
		             "%s kept a finding of the failed run", id);
		cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(it, "curation")), "new");
	}
	cJSON_Delete(before);
	cJSON_Delete(after);
	r = kt_kudos(e.dir, "audit", "verify", "--store", e.store, NULL);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	kt_run_free(&r);

	/* Back to the first settings: g-1 and g-2 were filtered with them,
	 * so only the two new items are left to filter. */
	snprintf(json, sizeof json, JOB_HEAD " \"filters\": [{\"plugin\": \"good-filter\"}]}", 4);
	e2e_job(&e, json);
	r = e2e_kudos(&e, "run");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(looked_at(r.err), 2, "%s", r.err);
	cr_assert(strstr(r.err, "looked at good-source:g-3") && strstr(r.err, "looked at good-source:g-4"),
	          "%s", r.err);
	kt_run_free(&r);
	e2e_down(&e);
}

Test(filter_run, a_dry_run_keeps_no_finding, .timeout = 60)
{
	struct e2e e;
	char json[512];
	e2e_up(&e);
	snprintf(json, sizeof json, JOB_HEAD " \"filters\": [{\"plugin\": \"good-filter\"}]}", 2);
	e2e_job(&e, json);
	struct kt_run r = e2e_kudos(&e, "run");
	kt_run_free(&r);
	snprintf(json, sizeof json,
	         JOB_HEAD " \"filters\": [{\"plugin\": \"good-filter\", \"word\": \"good\"}]}", 2);
	e2e_job(&e, json);
	r = kt_kudos(e.dir, "run", e.job, "--dry-run", "-v", "--plugin-path", e.path, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(looked_at(r.err), 2, "%s", r.err);
	kt_run_free(&r);
	r = kt_kudos(e.dir, "list", "--flag", "keyword", "--store", e.store, NULL);
	cr_assert_null(strstr(r.out, "good-source:"), "the dry run's flags were kept: %s", r.out);
	kt_run_free(&r);
	e2e_down(&e);
}

/* Job mistakes are refused before anything runs, naming the entry. */
Test(filter_run, bad_filter_entries_are_refused, .timeout = 60)
{
	struct e2e e;
	e2e_up(&e);
	static const char *const cases[][2] = {
		{"[{\"plugin\": \"no-such-filter\"}]",
		 "filters[0] (no-such-filter): no filter plugin named 'no-such-filter'"},
		{"[{\"plugin\": \"good-filter\"}, {\"plugin\": \"good-filter\"}]",
		 "filters[1] names plugin 'good-filter' again (as filters[0])"},
		{"[{\"plugin\": \"good-filter\", \"colour\": 1}]", "'colour'"},
		{"[{\"plugin\": \"language\", \"min_confidence\": 7}]", "min_confidence 7"},
		{"{\"plugin\": \"language\"}", "filters must be a list of plugin entries"},
		{"[{\"plugin\": \"good-source\"}]", "no filter plugin named 'good-source'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char json[512];
		snprintf(json, sizeof json, JOB_HEAD " \"filters\": %s}", 1, cases[i][0]);
		e2e_job(&e, json);
		struct kt_run r = e2e_kudos(&e, "run");
		cr_assert_eq(r.status, 2, "case %zu: exit %d: %s", i, r.status, r.err);
		cr_assert(strstr(r.err, cases[i][1]), "case %zu: %s", i, r.err);
		cr_assert_null(strstr(r.out, "collected"), "case %zu collected: %s", i, r.out);
		kt_run_free(&r);
	}
	e2e_down(&e);
}

Test(filter_run, plugins_lists_and_checks_filters, .timeout = 60)
{
	struct e2e e;
	e2e_up(&e);
	struct kt_run r = kt_kudos(NULL, "plugins", "--json", "--plugin-path", e.path, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cJSON *o = cJSON_Parse(r.out), *p;
	int filters = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(o, "plugins"))
	{
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(p, "kind"));
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(p, "name"));
		if (strcmp(name, "good-filter") == 0 || strcmp(name, "language") == 0) {
			cr_assert_str_eq(kind, "filter", "%s", name);
			filters++;
		}
	}
	cr_assert_eq(filters, 2, "%s", r.out);
	cJSON_Delete(o);
	kt_run_free(&r);
	r = kt_kudos(NULL, "plugins", "--plugin-path", e.path, NULL);
	cr_assert(strstr(r.out, "filter   good-filter"), "%s", r.out);
	kt_run_free(&r);

	char *good = kt_path(e.plugins, "good-filter.so");
	r = kt_kudos(NULL, "plugin", "check", good, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "ok: kudos can load this filter plugin"), "%s", r.out);
	kt_run_free(&r);
	free(good);
	r = kt_kudos(NULL, "plugin", "check", KT_TEST_PLUGINS "/bad-no-filter.so", NULL);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "a filter plugin must have a filter callback"), "%s", r.err);
	kt_run_free(&r);
	e2e_down(&e);
}
