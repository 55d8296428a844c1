#include "progress.h"

#include <stdio.h>
#include <string.h>
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

/* Whether to draw now: always the first time and when `force`, else ten
 * times a second. */
static int due(struct kudos_progress *p, int force)
{
	if (!p->enabled)
		return 0;
	int64_t t = now_ms();
	if (p->drawn && !force && t - p->last_ms < 100)
		return 0;
	p->last_ms = t;
	p->drawn = 1;
	return 1;
}

void kudos_progress_update(struct kudos_progress *p, long count)
{
	if (!due(p, 0))
		return;
	fprintf(stderr, "\r\033[K%s: %ld items", p->label, count);
	fflush(stderr);
}

void kudos_progress_bar(struct kudos_progress *p, int64_t done, int64_t total)
{
	enum { WIDTH = 20 };
	char bar[WIDTH + 1];
	if (total <= 0) {
		kudos_progress_update(p, (long)done);
		return;
	}
	/* The last step is always drawn: the bar ends full before it goes. */
	if (!due(p, done >= total))
		return;
	int64_t fill = done >= total ? WIDTH : done * WIDTH / total;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '.', (size_t)(WIDTH - fill));
	bar[WIDTH] = 0;
	fprintf(stderr, "\r\033[K%s: [%s] %lld/%lld", p->label, bar, (long long)done,
	        (long long)total);
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
