/*
 * Plugin conformance: every plugin the build ships (every *.so in
 * KT_PLUGINS), plus the good test plugins (a source, an output, a filter)
 * so the suite checks its own fixtures, must
 *   - load through kudos_plugin_open(),
 *   - have a well-formed descriptor (name, version, description, a config
 *     table that validates, help text for every key),
 *   - pass `kudos plugin check FILE` through the real binary,
 *   - survive init()/exit() 50 times through the engine's instance API
 *     (under AddressSanitizer this finds what init() leaks past exit()),
 *   - and, for filters, run filter() on texts of every kind (empty, emoji,
 *     scripts, a long one) without failing, saying only what the host
 *     accepts.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "filter.h"
#include "helpers.h"
#include "leakcheck.h"
#include "instance.h"
#include "job.h"
#include "loader.h"
#include "store.h"

#define INIT_ROUNDS 50


static void setup(void)
{
	cr_assert_geq(sodium_init(), 0, "libsodium could not initialise");
}

TestSuite(conformance, .init = setup);

static int is_so(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 3 && strcmp(e->d_name + n - 3, ".so") == 0;
}

/* The plugin files under test (transfer full; NULL-terminated). */
static char **plugin_files(size_t *count)
{
	struct dirent **names = NULL;
	int n = scandir(KT_PLUGINS, &names, is_so, alphasort);
	cr_assert(n > 0,
	          "no plugins to check in %s (%s): build them first "
	          "(make B=... all); this suite cannot run without them",
	          KT_PLUGINS, n < 0 ? "the folder does not exist" : "no *.so files");
	const char *extra[] = {"good-source.so", "good-output.so", "good-filter.so"};
	const size_t n_extra = sizeof extra / sizeof extra[0];
	size_t total = (size_t)n + n_extra;
	char **files = calloc(total + 1, sizeof *files);
	cr_assert_not_null(files);
	for (int i = 0; i < n; i++) {
		files[i] = kt_path(KT_PLUGINS, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	for (size_t i = 0; i < n_extra; i++) {
		files[n + i] = kt_path(KT_TEST_PLUGINS, extra[i]);
		struct stat st;
		cr_assert_eq(stat(files[n + i], &st), 0, "%s is missing: build the test plugins",
		             files[n + i]);
	}
	*count = total;
	return files;
}

static void files_free(char **files)
{
	for (size_t i = 0; files[i]; i++)
		free(files[i]);
	free(files);
}

static struct kudos_plugin_lib *open_ok(const char *file)
{
	struct kudos_plugin_lib *lib = NULL;
	struct kudos_error err = {0};
	int rc = kudos_plugin_open(file, &lib, &err);
	cr_assert_eq(rc, 0, "%s does not load: %s", file, err.msg);
	cr_assert_not_null(lib);
	return lib;
}

Test(conformance, every_plugin_loads)
{
	size_t n;
	char **files = plugin_files(&n);
	for (size_t i = 0; i < n; i++) {
		struct kudos_plugin_lib *lib = open_ok(files[i]);
		cr_log_info("%s: %s plugin '%s' %s", files[i], kudos_plugin_kind_name(lib->desc.kind),
		            lib->desc.name, lib->desc.version);
		kudos_plugin_close(lib);
	}
	files_free(files);
	KT_ASSERT_NO_LEAKS();
}

Test(conformance, descriptor_well_formed)
{
	size_t n;
	char **files = plugin_files(&n);
	for (size_t i = 0; i < n; i++) {
		struct kudos_plugin_lib *lib = open_ok(files[i]);
		const struct kudos_plugin *d = &lib->desc;
		struct kudos_error err = {0};
		const char *f = files[i];
		cr_assert(d->name && *d->name, "%s: no name", f);
		cr_assert(d->version && *d->version, "%s: no version", f);
		cr_assert(d->description && *d->description, "%s: no description", f);
		cr_assert_eq(d->abi_version >> 16, KUDOS_ABI_MAJOR, "%s: ABI major", f);
		cr_assert(d->kind == KUDOS_PLUGIN_SOURCE || d->kind == KUDOS_PLUGIN_OUTPUT ||
		                  d->kind == KUDOS_PLUGIN_FILTER,
		          "%s: kind %d", f, d->kind);
		if (d->kind == KUDOS_PLUGIN_FILTER)
			cr_assert_not_null(d->filter, "%s: a filter without filter()", f);
		cr_assert_eq(kudos_config_table_validate(d, f, &err), 0, "%s", err.msg);
		int has_scope = 0;
		for (const struct kudos_config_entry *e = d->config; e && e->type; e++) {
			cr_assert(e->help && *e->help, "%s: config key '%s' has no help text", f, e->key);
			cr_assert_null(strchr(e->help, '\n'), "%s: help of '%s' is not one line", f,
			               e->key);
			has_scope |= strcmp(e->key, "scope") == 0;
		}
		if (d->kind == KUDOS_PLUGIN_OUTPUT)
			cr_assert(has_scope, "%s: an output without a 'scope' key", f);
		/* What `kudos plugins` shows must be printable on one line. */
		cr_assert_null(strchr(d->description, '\n'), "%s: description spans lines", f);
		kudos_plugin_close(lib);
	}
	files_free(files);
	KT_ASSERT_NO_LEAKS();
}

Test(conformance, plugin_check_via_cli)
{
	size_t n;
	char **files = plugin_files(&n);
	for (size_t i = 0; i < n; i++) {
		struct kt_run r = kt_kudos(NULL, "plugin", "check", files[i], NULL);
		cr_assert_eq(r.status, 0, "kudos plugin check %s: exit %d\n%s", files[i], r.status,
		             r.err);
		cr_assert(strstr(r.out, "ok: kudos can load this"), "%s: %s", files[i], r.out);
		cr_assert(strstr(r.out, files[i]), "check output does not name the file: %s", r.out);
		kt_run_free(&r);
	}
	files_free(files);
	KT_ASSERT_NO_LEAKS();
}

/* A job value for a required key of type `type`. */
static cJSON *required_value(const struct kudos_plugin *d, const struct kudos_config_entry *e)
{
	switch (e->type) {
	case KUDOS_CONFIG_PATH:
		if (strcmp(e->key, "dir") == 0)
			return cJSON_CreateString("out");
		/* A source reads an existing (empty) CSV; an output writes in out/. */
		return cJSON_CreateString(d->kind == KUDOS_PLUGIN_SOURCE ? "empty.csv"
		                                                         : "out/conformance.out");
	case KUDOS_CONFIG_STRING:
		return cJSON_CreateString("x");
	case KUDOS_CONFIG_INT:
	case KUDOS_CONFIG_DOUBLE:
		return cJSON_CreateNumber(1);
	case KUDOS_CONFIG_BOOL:
		return cJSON_CreateFalse();
	case KUDOS_CONFIG_STRING_LIST:
		return cJSON_Parse("[\"web\"]");
	default:
		return cJSON_CreateObject();
	}
}

/* Write dir/job.json with one entry for the plugin (its required keys
 * filled) and load it. */
static void make_job(const char *dir, const struct kudos_plugin *d, struct kudos_job *job)
{
	cJSON *root = cJSON_CreateObject(), *entry = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "name", "conformance");
	cJSON_AddStringToObject(root, "store", "kudos.db");
	cJSON_AddStringToObject(entry, "plugin", d->name);
	for (const struct kudos_config_entry *e = d->config; e && e->type; e++)
		if (e->required)
			cJSON_AddItemToObject(entry, e->key, required_value(d, e));
	cJSON *list = cJSON_AddArrayToObject(root, d->kind == KUDOS_PLUGIN_SOURCE   ? "sources"
	                                           : d->kind == KUDOS_PLUGIN_FILTER ? "filters"
	                                                                            : "outputs");
	cJSON_AddItemToArray(list, entry);
	char *text = cJSON_Print(root);
	char *path = kt_job(dir, text);
	struct kudos_error err = {0};
	cr_assert_eq(kudos_job_load(path, job, &err), 0, "job for %s: %s\n%s", d->name, err.msg,
	             text);
	free(text);
	free(path);
	cJSON_Delete(root);
}

/* The output's scope as the runner works it out: the job's value, else the
 * default of the plugin's "scope" key. */
static const char *scope_of(struct kudos_instance *in)
{
	const char *s = kudos_config_text(&in->cs, in->jp->entry, "scope");
	for (const struct kudos_config_entry *e = in->desc->config; !s && e && e->type; e++)
		if (strcmp(e->key, "scope") == 0)
			s = e->default_value;
	return s;
}

/* INIT_ROUNDS x (instance_new, init, free -> exit).  RETURN VALUE 1 when
 * init() ran, 0 when it refused the minimal configuration (warned). */
static int init_exit_rounds(const char *file)
{
	struct kudos_plugin_lib *lib = open_ok(file);
	char *dir = kt_tmpdir(), *csv = kt_path(dir, "empty.csv"), *out = kt_path(dir, "out");
	char *db = kt_path(dir, "kudos.db");
	kt_write(csv, "text\n");
	cr_assert_eq(mkdir(out, 0777), 0);
	struct kudos_job job;
	make_job(dir, &lib->desc, &job);
	struct kudos_store *store = NULL;
	struct kudos_error err = {0};
	cr_assert_eq(kudos_store_open(db, &store, &err), 0, "%s", err.msg);
	int source = lib->desc.kind == KUDOS_PLUGIN_SOURCE;
	int output = lib->desc.kind == KUDOS_PLUGIN_OUTPUT;
	const struct kudos_job_plugin *jp = source ? &job.sources[0]
	                                    : output ? &job.outputs[0]
	                                             : &job.filters[0];
	int ran = 1;
	for (int round = 0; round < INIT_ROUNDS; round++) {
		struct kudos_instance *in = NULL;
		cr_assert_eq(kudos_instance_new(lib, &job, jp, store, &in, &err), 0,
		             "%s: the minimal job is refused: %s", file, err.msg);
		in->verbosity = 0;
		in->run_time = 1700000000;
		cr_assert(asprintf(&in->state_key, "%s/%s", job.name, jp->where) > 0);
		if (output) {
			in->scope = scope_of(in);
			in->output_dir = strdup(out);
			cr_assert_not_null(in->output_dir);
		}
		if (kudos_instance_init(in, &err)) {
			/* init() failed: only a refusal of our made-up settings
			 * (KUDOS_EINVAL, reported as exit status 2) is excusable. */
			cr_assert_eq(round, 0, "%s: init failed on round %d only: %s", file, round,
			             err.msg);
			cr_assert_eq(err.status, KUDOS_EXIT_INPUT,
			             "%s: init failed with a run failure: %s", file, err.msg);
			cr_assert_eq(in->initialized, 0);
			cr_log_warn("%s: init() refuses the minimal configuration, init/exit "
			            "not exercised: %s", file, err.msg);
			kudos_instance_free(in);
			ran = 0;
			break;
		}
		cr_assert_eq(in->initialized, 1);
		kudos_instance_free(in); /* calls exit() */
	}
	kudos_store_close(store);
	kudos_job_free(&job);
	kudos_plugin_close(lib);
	kt_rmtree(dir);
	free(dir), free(csv), free(out), free(db);
	return ran;
}

Test(conformance, init_exit_repeated)
{
	size_t n, ran = 0;
	char **files = plugin_files(&n);
	for (size_t i = 0; i < n; i++) {
		ran += init_exit_rounds(files[i]);
		KT_ASSERT_NO_LEAKS("across init/exit of %s", files[i]);
	}
	/* A skipped plugin is warned about above; the good test plugins
	 * always run, so at least those three must have. */
	cr_assert_geq(ran, 3, "init/exit ran for only %zu of %zu plugins (see the warnings)",
	              ran, n);
	cr_log_info("init/exit x%d ran for %zu of %zu plugins", INIT_ROUNDS, ran, n);
	files_free(files);
	KT_ASSERT_NO_LEAKS();
}

/* Texts a filter must take without failing. */
static const char *const sample_texts[] = {
	"",
	"👍🏽👍🏽👍🏽",
	"5/5",
	"Great grinder, I love it.",
	"Sehr gutes Produkt, danke!",
	"最高のコーヒーミルです。",
	"منتج ممتاز جدا",
	"Отличный товар",
	"e\xcc\x81\xcc\x81\xcc\x81 \xe2\x80\x8b\xef\xbb\xbf",
	NULL, /* a long text, built below */
};

Test(conformance, filters_take_every_kind_of_text)
{
	size_t n, ran = 0;
	char **files = plugin_files(&n);
	char *long_text = malloc(64 * 1024 + 1);
	cr_assert_not_null(long_text);
	for (size_t i = 0; i < 64 * 1024; i++)
		long_text[i] = "abc def, "[i % 9];
	long_text[64 * 1024] = '\0';
	for (size_t f = 0; f < n; f++) {
		struct kudos_plugin_lib *lib = open_ok(files[f]);
		if (lib->desc.kind != KUDOS_PLUGIN_FILTER) {
			kudos_plugin_close(lib);
			continue;
		}
		char *dir = kt_tmpdir();
		struct kudos_job job;
		make_job(dir, &lib->desc, &job);
		struct kudos_instance *in = NULL;
		struct kudos_error err = {0};
		cr_assert_eq(kudos_instance_new(lib, &job, &job.filters[0], NULL, &in, &err), 0,
		             "%s: %s", files[f], err.msg);
		in->verbosity = 0;
		cr_assert_eq(kudos_instance_init(in, &err), 0, "%s: %s", files[f], err.msg);
		for (size_t t = 0; t < sizeof sample_texts / sizeof sample_texts[0]; t++) {
			const char *text = sample_texts[t] ? sample_texts[t] : long_text;
			struct kudos_item *it = kudos_item_new("conformance", "1");
			cr_assert_not_null(it);
			cr_assert_eq(kudos_item_put(it, KUDOS_FIELD_TEXT, text), 0);
			cJSON *found = NULL;
			int rc = kudos_filter_apply(in, it, &found);
			cr_assert_eq(rc, KUDOS_OK, "%s: filter() failed (%d) on sample %zu: %s", files[f],
			             rc, t, in->error);
			/* Only what the host took is there: tags are strings,
			 * scores numbers. */
			const cJSON *e;
			cJSON_ArrayForEach(e, cJSON_GetObjectItem(found, "tags"))
				cr_assert(cJSON_IsString(e));
			cJSON_ArrayForEach(e, cJSON_GetObjectItem(found, "scores"))
				cr_assert(cJSON_IsNumber(e));
			cJSON_Delete(found);
			kudos_item_free(it);
		}
		ran++;
		kudos_instance_free(in);
		kudos_job_free(&job);
		kudos_plugin_close(lib);
		kt_rmtree(dir);
		free(dir);
		KT_ASSERT_NO_LEAKS("across filter() of %s", files[f]);
	}
	cr_assert_geq(ran, 2, "the shipped language filter and good-filter at least");
	free(long_text);
	files_free(files);
	KT_ASSERT_NO_LEAKS();
}
