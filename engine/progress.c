#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kudos_progress_start(struct kudos_progress *p, const char *label, int want)
{
	p->enabled = want && isatty(STDERR_FILENO);
	p->label = label;
	p->last_ms = 0;
	p->drawn = 0;
}

void kudos_progress_update(struct kudos_progress *p, long count)
{
	if (!p->enabled)
		return;
	int64_t t = now_ms();
	if (p->drawn && t - p->last_ms < 100)
		return;
	p->last_ms = t;
	p->drawn = 1;
	fprintf(stderr, "\r\033[K%s: %ld items", p->label, count);
	fflush(stderr);
}

void kudos_progress_end(struct kudos_progress *p)
{
	if (p->enabled && p->drawn) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	p->drawn = 0;
}
