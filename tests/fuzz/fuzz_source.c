/*
 * libFuzzer harness for one source plugin.  The GNUmakefile builds it once
 * per plugins/source-* folder, linked with that plugin's sources and the
 * engine core, all instrumented: each input becomes the file the job's
 * "path" names, and the plugin collects it into an in-memory store inside
 * a transaction that is rolled back.  Whatever the bytes, the plugin must
 * return a status and never crash, leak or read out of bounds; what it
 * collects then goes through curation's analyses, which must hold too.
 *
 * The job entry comes from tests/fuzz/jobs/<plugin folder>.json when that
 * exists (for plugins with required keys beyond "path"), with "@INPUT@"
 * standing for the input file; otherwise {"plugin": NAME, "path": INPUT}.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "fsutil.h"
#include "instance.h"
#include "job.h"
#include "json_arena.h"
#include "store.h"

const struct kudos_plugin *kudos_plugin_entry(void);

static struct kudos_store *store;
static struct kudos_job job;
static struct kudos_plugin_lib lib;
static char *input_path;

static char *replace_input(const char *tmpl, const char *path)
{
	const char *at = strstr(tmpl, "@INPUT@");
	char *out = NULL;
	if (!at)
		return strdup(tmpl);
	if (asprintf(&out, "%.*s%s%s", (int)(at - tmpl), tmpl, path, at + 7) < 0)
		return NULL;
	return out;
}

static void setup(void)
{
	struct kudos_error err = {0};
	char dir[] = "/tmp/kudos-fuzz-XXXXXX", *tmpl = NULL, *entry = NULL, *job_text = NULL;
	char *job_path = NULL;
	size_t len;
	if (sodium_init() < 0 || !mkdtemp(dir))
		abort();
	/* As main() does: pages read on worker threads parse into arenas. */
	kudos_json_arena_install();
	kudos_store_init_process();
	if (asprintf(&input_path, "%s/input", dir) < 0 || asprintf(&job_path, "%s/job.json", dir) < 0)
		abort();
	lib.path = "(linked in)";
	memcpy(&lib.desc, kudos_plugin_entry(), sizeof lib.desc);
	if (kudos_read_file(KUDOS_SRC_DIR "/tests/fuzz/jobs/" FUZZ_PLUGIN_DIR ".json", "fuzz job",
	                    &tmpl, &len, &err) == 0) {
		entry = replace_input(tmpl, input_path);
	} else if (asprintf(&entry, "{\"plugin\": \"%s\", \"path\": \"%s\"}", lib.desc.name,
	                    input_path) < 0) {
		entry = NULL;
	}
	if (!entry || asprintf(&job_text, "{\"name\": \"fuzz\", \"sources\": [%s]}", entry) < 0)
		abort();
	kudos_error_clear(&err);
	if (kudos_write_atomic(job_path, job_text, strlen(job_text), &err) ||
	    kudos_job_load(job_path, &job, &err) || kudos_store_open(":memory:", &store, &err)) {
		fprintf(stderr, "fuzz setup: %s\n", err.msg);
		abort();
	}
	free(tmpl);
	free(entry);
	free(job_text);
	free(job_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kudos_error err = {0};
	struct kudos_instance *in = NULL;
	if (!store)
		setup();
	/* A plain write: fsync'ing every input (as kudos_write_atomic does)
	 * would cut the fuzzer's pace by half or more. */
	FILE *f = fopen(input_path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	if (kudos_instance_new(&lib, &job, &job.sources[0], store, &in, &err) == 0) {
		in->verbosity = 0;
		if (kudos_store_begin(store, &err) == 0) {
			/* Whatever was collected goes through curation's analyses
			 * too: they read the same untrusted text. */
			long flagged;
			if (kudos_instance_init(in, &err) == 0 &&
			    lib.desc.collect(&kudos_host_table, in, in->ctx) == KUDOS_OK)
				kudos_analyze(store, &job, NULL, &flagged, &err);
			kudos_store_rollback(store);
		}
	}
	kudos_instance_free(in);
	return 0;
}
