/*
 * How fast cJSON alone parses a folder of pages on this machine: read
 * each file, cJSON_ParseWithLength it, count the top array's elements,
 * delete it.  No extraction, no store.  bench_collect.sh runs it on one
 * core beside `kudos collect` to put the absolute aim (items/s on
 * one core) in terms of this machine: ../shared/bench/README.md gives
 * the same measurement on the machine the aim was set on.
 *
 * usage: cjson_parse_bench PAGES_DIR   prints "FILES ITEMS SECONDS"
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_page(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	struct dirent **names = NULL;
	struct timespec t0, t1;
	long items = 0, files = 0;
	int n, rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PAGES_DIR\n", argv[0]);
		return 2;
	}
	n = scandir(argv[1], &names, is_page, alphasort);
	if (n < 0) {
		perror(argv[1]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		char path[4096];
		FILE *f = NULL;
		char *buf = NULL;
		long len;
		cJSON *root;
		snprintf(path, sizeof path, "%s/%s", argv[1], names[i]->d_name);
		if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
		    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)len + 1)) ||
		    fread(buf, 1, (size_t)len, f) != (size_t)len) {
			fprintf(stderr, "%s: cannot read\n", path);
			goto next;
		}
		if (!(root = cJSON_ParseWithLength(buf, (size_t)len))) {
			fprintf(stderr, "%s: not JSON\n", path);
			goto next;
		}
		items += cJSON_GetArraySize(root);
		files++;
		cJSON_Delete(root);
	next:
		free(buf);
		if (f)
			fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (files == n) {
		printf("%ld %ld %.3f\n", files, items,
		       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		rc = 0;
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}
