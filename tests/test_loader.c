/*
 * The plugin loader: every refusal of kudos_plugin_open() (exit status 2,
 * a message naming the file and the reason), descriptor checks, and the
 * registry's search path (order, name clashes, missing folders, never the
 * current directory).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "leakcheck.h"
#include "loader.h"

/* The absolute path of a test plugin (transfer full). */
static char *tp(const char *name)
{
	char *p = NULL;
	cr_assert(asprintf(&p, "%s/%s.so", KT_TEST_PLUGINS, name) > 0);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0, "test plugin %s is missing: build it first", p);
	return p;
}

/* dir/name.so -> the test plugin `target` (transfer full: the link's path). */
static char *link_plugin(const char *dir, const char *target, const char *name)
{
	char *src = tp(target), *dst = NULL;
	cr_assert(asprintf(&dst, "%s/%s.so", dir, name) > 0);
	cr_assert_eq(symlink(src, dst), 0, "symlink %s: %s", dst, strerror(errno));
	free(src);
	return dst;
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	cr_assert(in && out, "copy %s -> %s: %s", from, to, strerror(errno));
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		cr_assert_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	cr_assert_eq(fclose(out), 0);
}

/* Open `name` expecting a refusal whose message holds the file's path and
 * every NULL-terminated needle. */
static void expect_refused(const char *name, ...)
{
	char *path = tp(name);
	struct kudos_error err = {0};
	struct kudos_plugin_lib *lib = NULL;
	int rc = kudos_plugin_open(path, &lib, &err);
	cr_assert_eq(rc, -1, "%s was loaded but must be refused", path);
	cr_assert_null(lib, "a refused plugin must not be handed out");
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT, "%s: status %d, want %d (input)", name,
	             err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, path), "message does not name the file %s: %s", path, err.msg);
	cr_assert_null(strchr(err.msg, '\n'), "a refusal is one line: %s", err.msg);
	va_list ap;
	va_start(ap, name);
	for (const char *needle; (needle = va_arg(ap, const char *));)
		cr_assert(strstr(err.msg, needle), "%s: message lacks \"%s\": %s", name, needle,
		          err.msg);
	va_end(ap);
	free(path);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	static char bufs[8][128];
	static int next;
	char *b = bufs[next++ % 8];
	va_list ap;
	va_start(ap, f);
	vsnprintf(b, sizeof bufs[0], f, ap);
	va_end(ap);
	return b;
}

/* ---- kudos_plugin_open: refusals ------------------------------------- */

Test(loader_open, refuses_missing_entry_symbol)
{
	expect_refused("bad-no-entry", "no kudos_plugin_entry() entry symbol", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_unresolvable_symbol)
{
	expect_refused("bad-undefined", "cannot load", "kudos_test_no_such_function", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_other_major_with_both_versions)
{
	expect_refused("bad-major", "ABI 2.0", fmt("speaks %d.%d", KUDOS_ABI_MAJOR, KUDOS_ABI_MINOR),
	               "major", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_newer_minor_with_both_versions)
{
	expect_refused("bad-minor", fmt("ABI %d.%d", KUDOS_ABI_MAJOR, KUDOS_ABI_MINOR + 1),
	               fmt("(%d.%d)", KUDOS_ABI_MAJOR, KUDOS_ABI_MINOR), "newer", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_descriptor_larger_than_host)
{
	expect_refused("bad-size-large",
	               fmt("struct_size %zu is larger", sizeof(struct kudos_plugin) + 64),
	               fmt("(%zu,", sizeof(struct kudos_plugin)), NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_descriptor_smaller_than_abi_1_0)
{
	expect_refused("bad-size-small",
	               fmt("struct_size %zu is smaller", offsetof(struct kudos_plugin, exit)),
	               NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_source_without_collect)
{
	expect_refused("bad-no-collect", "(bad-no-collect)",
	               "source plugin must have a collect callback", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_output_without_consume)
{
	expect_refused("bad-no-consume", "(bad-no-consume)",
	               "output plugin must have a consume callback", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_filter_without_filter_callback)
{
	expect_refused("bad-no-filter", "(bad-no-filter)",
	               "a filter plugin must have a filter callback", NULL);
	KT_ASSERT_NO_LEAKS();
}

/* The descriptor sets .filter, but its struct_size ends before it: kudos
 * reads no further than struct_size, so the callback is absent. */
Test(loader_open, refuses_filter_whose_size_stops_before_the_callback)
{
	expect_refused("bad-filter-short", "(bad-filter-short)",
	               "a filter plugin must have a filter callback",
	               "sizeof(struct kudos_plugin)", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_output_without_scope_key)
{
	expect_refused("bad-no-scope", "(bad-no-scope)", "config key 'scope'", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_config_offset_outside_context)
{
	expect_refused("bad-config-offset", "config key 'n'", "outside the", "-byte context",
	               NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_duplicate_config_key)
{
	expect_refused("bad-config-dupkey", "config key 'n' appears twice", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_invalid_name)
{
	expect_refused("bad-name", "plugin name 'Bad Name' is not valid", NULL);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_bare_name)
{
	struct kudos_error err = {0};
	struct kudos_plugin_lib *lib = NULL;
	cr_assert_eq(kudos_plugin_open("good-source.so", &lib, &err), -1);
	cr_assert_null(lib);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "good-source.so: give a path"), "%s", err.msg);
	KT_ASSERT_NO_LEAKS();
}

Test(loader_open, refuses_missing_and_non_elf_files)
{
	char *dir = kt_tmpdir();
	char *missing = kt_path(dir, "nothing-here.so"), *junk = kt_path(dir, "junk.so");
	kt_write(junk, "this is not a shared object\n");
	const char *paths[] = {missing, junk};
	for (size_t i = 0; i < 2; i++) {
		struct kudos_error err = {0};
		struct kudos_plugin_lib *lib = NULL;
		cr_assert_eq(kudos_plugin_open(paths[i], &lib, &err), -1, "%s loaded", paths[i]);
		cr_assert_null(lib);
		cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
		cr_assert(strstr(err.msg, fmt("%s: cannot load", paths[i])), "%s", err.msg);
	}
	kt_rmtree(dir);
	free(missing);
	free(junk);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}

/* ---- kudos_plugin_open: good plugins ---------------------------------- */

Test(loader_open, loads_good_source_output_and_filter)
{
	const char *names[] = {"good-source", "good-output", "good-filter"};
	const char *want_name[] = {"good-source", "probe", "good-filter"};
	const int want_kind[] = {KUDOS_PLUGIN_SOURCE, KUDOS_PLUGIN_OUTPUT, KUDOS_PLUGIN_FILTER};
	for (size_t i = 0; i < 3; i++) {
		char *path = tp(names[i]);
		struct kudos_error err = {0};
		struct kudos_plugin_lib *lib = NULL;
		cr_assert_eq(kudos_plugin_open(path, &lib, &err), 0, "%s: %s", path, err.msg);
		cr_assert_eq(err.status, 0);
		cr_assert_not_null(lib);
		cr_assert_not_null(lib->handle);
		cr_assert_str_eq(lib->path, path);
		cr_assert_str_eq(lib->desc.name, want_name[i]);
		cr_assert_eq(lib->desc.kind, want_kind[i]);
		cr_assert_eq(lib->desc.abi_version, KUDOS_ABI_VERSION);
		cr_assert_eq(lib->desc.struct_size, sizeof(struct kudos_plugin));
		void *callback = want_kind[i] == KUDOS_PLUGIN_SOURCE   ? (void *)lib->desc.collect
		                 : want_kind[i] == KUDOS_PLUGIN_OUTPUT ? (void *)lib->desc.consume
		                                                       : (void *)lib->desc.filter;
		cr_assert_not_null(callback, "%s: its kind's callback is missing", names[i]);
		kudos_plugin_close(lib);
		free(path);
	}
	KT_ASSERT_NO_LEAKS();
}

/* ---- kudos_plugin_validate on inline descriptors ---------------------- */

static int nop_collect(const struct kudos_host *h, struct kudos_instance *s, void *c)
{
	(void)h, (void)s, (void)c;
	return KUDOS_OK;
}

static int nop_consume(const struct kudos_host *h, struct kudos_instance *s, void *c,
                       const struct kudos_item *it)
{
	(void)h, (void)s, (void)c, (void)it;
	return KUDOS_OK;
}

static int nop_filter(const struct kudos_host *h, struct kudos_instance *s, void *c,
                      const struct kudos_item *it)
{
	(void)h, (void)s, (void)c, (void)it;
	return KUDOS_OK;
}

static struct kudos_plugin base_source(void)
{
	return (struct kudos_plugin){
		.struct_size = sizeof(struct kudos_plugin),
		.abi_version = KUDOS_ABI_VERSION,
		.kind = KUDOS_PLUGIN_SOURCE,
		.name = "inline",
		.version = "1.0.0",
		.description = "inline",
		.collect = nop_collect,
	};
}

static void expect_invalid(const struct kudos_plugin *d, const char *needle)
{
	struct kudos_error err = {0};
	cr_assert_eq(kudos_plugin_validate(d, "/x/inline.so", &err), -1, "accepted; want \"%s\"",
	             needle);
	cr_assert_eq(err.status, KUDOS_EXIT_INPUT);
	cr_assert(strstr(err.msg, "/x/inline.so"), "%s", err.msg);
	cr_assert(strstr(err.msg, needle), "want \"%s\" in: %s", needle, err.msg);
}

Test(loader_validate, inline_descriptors)
{
	struct kudos_error err = {0};
	struct kudos_plugin d = base_source();
	cr_assert_eq(kudos_plugin_validate(&d, "/x/inline.so", &err), 0, "%s", err.msg);

	d = base_source();
	d.kind = KUDOS_PLUGIN_FILTER;
	expect_invalid(&d, "a filter plugin must have a filter callback");
	d.filter = nop_filter;
	cr_assert_eq(kudos_plugin_validate(&d, "/x/inline.so", &err), 0, "%s", err.msg);
	d.collect = NULL; /* a filter needs no collect */
	cr_assert_eq(kudos_plugin_validate(&d, "/x/inline.so", &err), 0, "%s", err.msg);
	d.kind = 7;
	expect_invalid(&d, "unknown plugin kind 7");

	d = base_source();
	d.name = NULL;
	expect_invalid(&d, "plugin name '(null)' is not valid");
	d.name = "";
	expect_invalid(&d, "plugin name '' is not valid");
	d.name = "x2345678901234567890123456789012345678901234567890123456789012345"; /* 65 */
	expect_invalid(&d, "is not valid");
	d.name = "UPPER";
	expect_invalid(&d, "is not valid");
	d.name = "a_b";
	expect_invalid(&d, "is not valid");

	d = base_source();
	d.version = "";
	expect_invalid(&d, "has no version");
	d.version = NULL;
	expect_invalid(&d, "has no version");
	KT_ASSERT_NO_LEAKS();
}

Test(loader_validate, output_scope_key)
{
	struct o { const char *scope; int64_t n; };
	static const struct kudos_config_entry int_scope[] = {
		{KUDOS_CONFIG_INT, "scope", "1", 0, offsetof(struct o, n), "h"}, {0}};
	static const struct kudos_config_entry bad_default[] = {
		{KUDOS_CONFIG_STRING, "scope", "everywhere", 0, offsetof(struct o, scope), "h"}, {0}};
	static const struct kudos_config_entry no_default[] = {
		{KUDOS_CONFIG_STRING, "scope", NULL, 0, offsetof(struct o, scope), "h"}, {0}};
	static const struct kudos_config_entry good[] = {
		{KUDOS_CONFIG_STRING, "scope", "print", 0, offsetof(struct o, scope), "h"}, {0}};
	struct kudos_plugin d = base_source();
	d.kind = KUDOS_PLUGIN_OUTPUT;
	d.collect = NULL;
	d.consume = nop_consume;
	d.context_size = sizeof(struct o);
	const struct kudos_config_entry *bad[] = {int_scope, bad_default, no_default, NULL};
	for (size_t i = 0; bad[i]; i++) {
		d.config = bad[i];
		expect_invalid(&d, "must declare a string config key 'scope'");
	}
	d.config = NULL;
	expect_invalid(&d, "must declare a string config key 'scope'");
	d.config = good;
	struct kudos_error err = {0};
	cr_assert_eq(kudos_plugin_validate(&d, "/x/inline.so", &err), 0, "%s", err.msg);
	KT_ASSERT_NO_LEAKS();
}

/* ---- the registry ----------------------------------------------------- */

static size_t find_refusal(const struct kudos_registry *reg, const char *needle)
{
	for (size_t i = 0; i < reg->n_refusals; i++)
		if (strstr(reg->refusals[i], needle))
			return i;
	return (size_t)-1;
}

static void dump(const struct kudos_registry *reg)
{
	for (size_t i = 0; i < reg->n; i++)
		cr_log_info("loaded: %s (%s)", reg->libs[i]->path, reg->libs[i]->desc.name);
	for (size_t i = 0; i < reg->n_refusals; i++)
		cr_log_info("refused: %s", reg->refusals[i]);
}

/* Plugins of the registry that came from `dir` (the installed folder may
 * hold others). */
static size_t count_from(const struct kudos_registry *reg, const char *dir)
{
	size_t n = 0, len = strlen(dir);
	for (size_t i = 0; i < reg->n; i++)
		n += strncmp(reg->libs[i]->path, dir, len) == 0 && reg->libs[i]->path[len] == '/';
	return n;
}

Test(registry, name_clash_in_one_folder)
{
	unsetenv("KUDOS_PLUGIN_PATH");
	char *dir = kt_tmpdir();
	char *a = link_plugin(dir, "clash-a", "clash-a"), *b = link_plugin(dir, "clash-b", "clash-b");
	struct kudos_registry reg = {0};
	struct kudos_error err = {0};
	cr_assert_eq(kudos_registry_scan(&reg, dir, &err), 0, "%s", err.msg);
	dump(&reg);
	cr_assert_eq(count_from(&reg, dir), 1, "exactly one of the pair loads");
	const struct kudos_plugin_lib *lib = kudos_registry_find(&reg, "clash", KUDOS_PLUGIN_SOURCE);
	cr_assert_not_null(lib);
	cr_assert_str_eq(lib->path, a, "the first in file-name order wins");
	cr_assert_str_eq(lib->desc.version, "a");
	size_t r = find_refusal(&reg, "name clash");
	cr_assert_neq(r, (size_t)-1, "no name-clash refusal");
	cr_assert(strstr(reg.refusals[r], b), "refusal lacks the refused file: %s", reg.refusals[r]);
	cr_assert(strstr(reg.refusals[r], a), "refusal lacks the winner: %s", reg.refusals[r]);
	cr_assert(strstr(reg.refusals[r], "'clash'"), "%s", reg.refusals[r]);
	cr_assert_eq(reg.n_refusals, 1);
	kudos_registry_free(&reg);
	cr_assert_eq(reg.n, 0);
	kt_rmtree(dir);
	free(a);
	free(b);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}

Test(registry, refusals_beside_good_plugins)
{
	unsetenv("KUDOS_PLUGIN_PATH");
	char *dir = kt_tmpdir();
	const char *names[] = {"good-source", "good-output", "bad-major", "bad-no-scope",
	                       "bad-undefined"};
	char *links[5];
	for (size_t i = 0; i < 5; i++)
		links[i] = link_plugin(dir, names[i], names[i]);
	char *junk = kt_path(dir, "junk.so"), *readme = kt_path(dir, "README");
	kt_write(junk, "not ELF\n");
	kt_write(readme, "not a plugin, not even named like one\n");
	struct kudos_registry reg = {0};
	struct kudos_error err = {0};
	cr_assert_eq(kudos_registry_scan(&reg, dir, &err), 0, "%s", err.msg);
	dump(&reg);
	cr_assert_eq(count_from(&reg, dir), 2);
	cr_assert_not_null(kudos_registry_find(&reg, "good-source", KUDOS_PLUGIN_SOURCE));
	cr_assert_not_null(kudos_registry_find(&reg, "probe", KUDOS_PLUGIN_OUTPUT));
	cr_assert_null(kudos_registry_find(&reg, "probe", KUDOS_PLUGIN_SOURCE), "kind matters");
	cr_assert_eq(reg.n_refusals, 4, "bad-major, bad-no-scope, bad-undefined, junk");
	size_t r = find_refusal(&reg, links[2]);
	cr_assert_neq(r, (size_t)-1);
	cr_assert(strstr(reg.refusals[r], "ABI 2.0"), "%s", reg.refusals[r]);
	cr_assert_neq(find_refusal(&reg, links[3]), (size_t)-1);
	cr_assert_neq(find_refusal(&reg, links[4]), (size_t)-1);
	cr_assert_neq(find_refusal(&reg, junk), (size_t)-1);
	cr_assert_eq(find_refusal(&reg, "README"), (size_t)-1, "only *.so files are tried");
	kudos_registry_free(&reg);
	kt_rmtree(dir);
	for (size_t i = 0; i < 5; i++)
		free(links[i]);
	free(junk);
	free(readme);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}

/* one/ holds clash-a, two/ holds clash-b: whichever folder comes first on
 * the search path provides "clash". */
struct two_dirs {
	char *root, *one, *two, *a, *b;
};

static struct two_dirs two_dirs(void)
{
	struct two_dirs t;
	t.root = kt_tmpdir();
	t.one = kt_path(t.root, "one");
	t.two = kt_path(t.root, "two");
	cr_assert_eq(mkdir(t.one, 0777), 0);
	cr_assert_eq(mkdir(t.two, 0777), 0);
	t.a = link_plugin(t.one, "clash-a", "clash");
	t.b = link_plugin(t.two, "clash-b", "clash");
	return t;
}

static void two_dirs_free(struct two_dirs *t)
{
	kt_rmtree(t->root);
	free(t->root), free(t->one), free(t->two), free(t->a), free(t->b);
}

/* Scan and check that `winner` provides "clash" and `loser` is refused
 * naming both. */
static void expect_clash_winner(struct kudos_registry *reg, const char *cli, const char *winner,
                                const char *loser)
{
	struct kudos_error err = {0};
	cr_assert_eq(kudos_registry_scan(reg, cli, &err), 0, "%s", err.msg);
	dump(reg);
	const struct kudos_plugin_lib *lib = kudos_registry_find(reg, "clash", KUDOS_PLUGIN_SOURCE);
	cr_assert_not_null(lib);
	cr_assert_str_eq(lib->path, winner);
	size_t r = find_refusal(reg, "name clash");
	cr_assert_neq(r, (size_t)-1);
	cr_assert(strstr(reg->refusals[r], loser) && strstr(reg->refusals[r], winner), "%s",
	          reg->refusals[r]);
}

Test(registry, cli_path_before_env)
{
	struct two_dirs t = two_dirs();
	struct kudos_registry reg = {0};
	cr_assert_eq(setenv("KUDOS_PLUGIN_PATH", t.one, 1), 0);
	expect_clash_winner(&reg, t.two, t.b, t.a);
	cr_assert_eq(reg.n_dirs, 3, "--plugin-path, KUDOS_PLUGIN_PATH, installed folder");
	cr_assert_str_eq(reg.dirs[0], t.two);
	cr_assert_str_eq(reg.dirs[1], t.one);
	kudos_registry_free(&reg);

	/* The other way round: the CLI folder still wins. */
	cr_assert_eq(setenv("KUDOS_PLUGIN_PATH", t.two, 1), 0);
	expect_clash_winner(&reg, t.one, t.a, t.b);
	cr_assert_str_eq(reg.dirs[0], t.one);
	cr_assert_str_eq(reg.dirs[1], t.two);
	kudos_registry_free(&reg);
	two_dirs_free(&t);
	KT_ASSERT_NO_LEAKS();
}

Test(registry, colon_separated_order)
{
	struct two_dirs t = two_dirs();
	struct kudos_registry reg = {0};
	char *list = NULL;
	unsetenv("KUDOS_PLUGIN_PATH");
	cr_assert(asprintf(&list, "%s:%s", t.two, t.one) > 0);
	expect_clash_winner(&reg, list, t.b, t.a);
	kudos_registry_free(&reg);
	free(list);

	cr_assert(asprintf(&list, "%s:%s", t.one, t.two) > 0);
	cr_assert_eq(setenv("KUDOS_PLUGIN_PATH", list, 1), 0);
	expect_clash_winner(&reg, NULL, t.a, t.b);
	cr_assert_str_eq(reg.dirs[0], t.one);
	cr_assert_str_eq(reg.dirs[1], t.two);
	kudos_registry_free(&reg);
	free(list);
	two_dirs_free(&t);
	KT_ASSERT_NO_LEAKS();
}

Test(registry, missing_folder_is_fine)
{
	struct two_dirs t = two_dirs();
	struct kudos_registry reg = {0};
	struct kudos_error err = {0};
	char *missing = kt_path(t.root, "does-not-exist"), *list = NULL;
	cr_assert(asprintf(&list, "%s:%s", missing, t.one) > 0);
	cr_assert_eq(setenv("KUDOS_PLUGIN_PATH", "/nonexistent/kudos/plugins", 1), 0);
	cr_assert_eq(kudos_registry_scan(&reg, list, &err), 0, "%s", err.msg);
	cr_assert_eq(err.status, 0);
	dump(&reg);
	cr_assert_str_eq(reg.dirs[0], missing, "the missing folder is still on the path");
	cr_assert_str_eq(reg.dirs[2], "/nonexistent/kudos/plugins");
	const struct kudos_plugin_lib *lib = kudos_registry_find(&reg, "clash", KUDOS_PLUGIN_SOURCE);
	cr_assert_not_null(lib, "the folder after the missing one is still scanned");
	cr_assert_str_eq(lib->path, t.a);
	cr_assert_eq(find_refusal(&reg, missing), (size_t)-1, "a missing folder is no refusal");
	cr_assert_eq(find_refusal(&reg, "nonexistent"), (size_t)-1);
	kudos_registry_free(&reg);
	free(missing);
	free(list);
	two_dirs_free(&t);
	KT_ASSERT_NO_LEAKS();
}

Test(registry, current_directory_not_searched)
{
	char *dir = kt_tmpdir(), *copy = kt_path(dir, "good-source.so"), *src = tp("good-source");
	char old[PATH_MAX];
	copy_file(src, copy);
	cr_assert_not_null(getcwd(old, sizeof old));
	cr_assert_eq(chdir(dir), 0);
	unsetenv("KUDOS_PLUGIN_PATH");
	struct kudos_registry reg = {0};
	struct kudos_error err = {0};

	/* Control: naming "." finds it, so the copy is loadable from here. */
	cr_assert_eq(kudos_registry_scan(&reg, ".", &err), 0, "%s", err.msg);
	cr_assert_not_null(kudos_registry_find(&reg, "good-source", KUDOS_PLUGIN_SOURCE),
	                   "the copy in the current folder should load when \".\" is named");
	kudos_registry_free(&reg);

	/* No path, empty path, empty components, an empty KUDOS_PLUGIN_PATH:
	 * none of them means the current folder. */
	const char *cli[] = {NULL, "", ":", "::", "/nonexistent-a::/nonexistent-b"};
	const char *env[] = {NULL, "", ":"};
	for (size_t i = 0; i < sizeof cli / sizeof *cli; i++) {
		for (size_t j = 0; j < sizeof env / sizeof *env; j++) {
			if (env[j])
				cr_assert_eq(setenv("KUDOS_PLUGIN_PATH", env[j], 1), 0);
			else
				unsetenv("KUDOS_PLUGIN_PATH");
			cr_assert_eq(kudos_registry_scan(&reg, cli[i], &err), 0, "%s", err.msg);
			cr_assert_null(kudos_registry_find(&reg, "good-source", KUDOS_PLUGIN_SOURCE),
			               "found in the current folder with --plugin-path \"%s\", "
			               "KUDOS_PLUGIN_PATH \"%s\"", cli[i] ? cli[i] : "(unset)",
			               env[j] ? env[j] : "(unset)");
			for (size_t k = 0; k < reg.n_dirs; k++)
				cr_assert(reg.dirs[k][0] == '/', "relative folder '%s' on the path",
				          reg.dirs[k]);
			kudos_registry_free(&reg);
		}
	}
	cr_assert_eq(chdir(old), 0);
	kt_rmtree(dir);
	free(dir);
	free(copy);
	free(src);
	KT_ASSERT_NO_LEAKS();
}

/* ---- regressions: a zero struct_size, and a folder named twice ---------- */

/* The same folder twice on the path (say --plugin-path and
 * KUDOS_PLUGIN_PATH both name it) makes every plugin in it clash with
 * itself.  Fix: skip a folder already on the path in add_dirs(). */
Test(registry, same_folder_twice_is_no_clash)
{
	char *dir = kt_tmpdir();
	char *a = link_plugin(dir, "good-source", "good-source");
	cr_assert_eq(setenv("KUDOS_PLUGIN_PATH", dir, 1), 0);
	struct kudos_registry reg = {0};
	struct kudos_error err = {0};
	cr_assert_eq(kudos_registry_scan(&reg, dir, &err), 0, "%s", err.msg);
	dump(&reg);
	cr_assert_not_null(kudos_registry_find(&reg, "good-source", KUDOS_PLUGIN_SOURCE));
	cr_assert_eq(find_refusal(&reg, "name clash"), (size_t)-1,
	             "a plugin clashes with itself: %s", reg.refusals[0]);
	kudos_registry_free(&reg);
	kt_rmtree(dir);
	free(a);
	free(dir);
	KT_ASSERT_NO_LEAKS();
}

/* A descriptor whose struct_size is 0 (forgotten) is refused as "built
 * for kudos ABI 0.0, this kudos speaks 1.0 (other major version)" because
 * kudos_plugin_open() copies only struct_size bytes, abi_version included.
 * Fix: always copy the fixed header (struct_size, abi_version). */
Test(loader_open, refuses_zero_struct_size_for_its_size)
{
	expect_refused("bad-size-zero", "struct_size 0 is smaller", NULL);
	KT_ASSERT_NO_LEAKS();
}
