/*
 * A fixed set of worker threads that run one indexed loop at a time
 * (pool_run), with the calling thread taking part.
 *
 * Contract: the workers never call the host; the functions they run touch
 * only memory the caller gave them, one index each.  pool_run returns when
 * every index is done, so whatever the loop wrote is visible to the caller
 * afterwards (the mutex orders it).  A pool of 1 thread starts none and
 * runs the loop inline.
 */
#include "cards.h"

#include <pthread.h>
#include <stdlib.h>

struct pool {
	int threads;              /* including the caller */
	pthread_t *tid;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	unsigned long generation;
	int quit;
	void (*fn)(void *, int);
	void *arg;
	int next, n, finished;
};

/* Take indexes until none is left.  Called with the mutex held; returns
 * with it held. */
static void drain(struct pool *p)
{
	while (p->next < p->n) {
		int i = p->next++;
		void (*fn)(void *, int) = p->fn;
		void *arg = p->arg;
		pthread_mutex_unlock(&p->mu);
		fn(arg, i);
		pthread_mutex_lock(&p->mu);
		if (++p->finished == p->n)
			pthread_cond_broadcast(&p->done);
	}
}

static void *worker(void *vp)
{
	struct pool *p = vp;
	unsigned long seen = 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->generation == seen)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit)
			break;
		seen = p->generation;
		drain(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pool *pool_new(int threads)
{
	struct pool *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->threads = threads < 1 ? 1 : threads;
	if (p->threads == 1)
		return p;
	p->tid = calloc((size_t)p->threads - 1, sizeof *p->tid);
	if (p->tid == NULL || pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p->tid);
		free(p);
		return NULL;
	}
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (int i = 0; i < p->threads - 1; i++) {
		if (pthread_create(&p->tid[i], NULL, worker, p) != 0)
			break;
		p->started++;
	}
	p->threads = p->started + 1;
	return p;
}

void pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	if (p->tid) {
		pthread_mutex_lock(&p->mu);
		p->quit = 1;
		pthread_cond_broadcast(&p->work);
		pthread_mutex_unlock(&p->mu);
		for (int i = 0; i < p->started; i++)
			pthread_join(p->tid[i], NULL);
		pthread_cond_destroy(&p->work);
		pthread_cond_destroy(&p->done);
		pthread_mutex_destroy(&p->mu);
		free(p->tid);
	}
	free(p);
}

int pool_threads(const struct pool *p)
{
	return p ? p->threads : 1;
}

void pool_run(struct pool *p, int n, void (*fn)(void *arg, int i), void *arg)
{
	if (p == NULL || p->threads == 1 || n <= 1) {
		for (int i = 0; i < n; i++)
			fn(arg, i);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->fn = fn;
	p->arg = arg;
	p->next = 0;
	p->n = n;
	p->finished = 0;
	p->generation++;
	pthread_cond_broadcast(&p->work);
	drain(p);
	while (p->finished < p->n)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}
