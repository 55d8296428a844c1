/*
 * Rendering several cards at once: worker threads, each with its own
 * renderer (fonts, glyph cache, canvas, encoder), taking jobs in the order
 * they were queued, and the callback's thread taking the finished jobs
 * back in that same order.
 *
 * Contract: pool_submit() queues a job (at most `depth` are queued or
 * unclaimed at a time: claim some with pool_take() first); a worker runs
 * fn(worker, job) with its own worker pointer.  pool_take() returns the
 * oldest job once it is done, waiting for it; pool_take_ready() only if it
 * is already done.  The mutex orders everything a worker wrote before the
 * job is taken.  Workers never call the host.  Take every job back before
 * pool_free().  A pool of 0 threads runs
 * fn(workers[0], job) inside pool_submit(), on the caller's thread.
 */
#include "cards.h"

#include <pthread.h>
#include <stdlib.h>

struct pool {
	int threads;
	pthread_t *tid;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	int quit;
	void (*fn)(void *worker, void *job);
	void *const *workers;
	void **ring;               /* job of counter c at ring[c % depth] */
	unsigned char *finished;
	size_t depth;
	size_t submitted, claimed, taken; /* counters */
};

struct start {
	struct pool *p;
	void *worker;
};

static void *worker_main(void *vp)
{
	struct pool *p = ((struct start *)vp)->p;
	void *w = ((struct start *)vp)->worker;

	free(vp);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->claimed == p->submitted)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit)
			break;
		size_t c = p->claimed++;
		void *job = p->ring[c % p->depth];
		pthread_mutex_unlock(&p->mu);
		p->fn(w, job);
		pthread_mutex_lock(&p->mu);
		p->finished[c % p->depth] = 1;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pool *pool_new(int threads, size_t depth, void (*fn)(void *worker, void *job),
                      void *const *workers)
{
	struct pool *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->fn = fn;
	p->workers = workers;
	p->depth = depth < 1 ? 1 : depth;
	p->ring = calloc(p->depth, sizeof *p->ring);
	p->finished = calloc(p->depth, 1);
	if (p->ring == NULL || p->finished == NULL)
		goto fail;
	if (threads <= 0)
		return p;
	p->tid = calloc((size_t)threads, sizeof *p->tid);
	if (p->tid == NULL || pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->threads = threads;
	for (int i = 0; i < threads; i++) {
		struct start *s = malloc(sizeof *s);
		if (s == NULL)
			break;
		*s = (struct start){p, workers[i]};
		if (pthread_create(&p->tid[i], NULL, worker_main, s) != 0) {
			free(s);
			break;
		}
		p->started++;
	}
	if (p->started == 0) { /* no thread at all: render inline */
		pthread_cond_destroy(&p->work);
		pthread_cond_destroy(&p->done);
		pthread_mutex_destroy(&p->mu);
		free(p->tid);
		p->tid = NULL;
		p->threads = 0;
	}
	return p;
fail:
	free(p->tid);
	free(p->ring);
	free(p->finished);
	free(p);
	return NULL;
}

int pool_threads(const struct pool *p)
{
	return p ? p->started : 0;
}

size_t pool_pending(const struct pool *p)
{
	return p->submitted - p->taken;
}

int pool_submit(struct pool *p, void *job)
{
	if (p->submitted - p->taken >= p->depth)
		return -1;
	if (p->started == 0) {
		p->ring[p->submitted % p->depth] = job;
		p->fn(p->workers[0], job);
		p->finished[p->submitted % p->depth] = 1;
		p->submitted++;
		p->claimed = p->submitted;
		return 0;
	}
	pthread_mutex_lock(&p->mu);
	p->ring[p->submitted % p->depth] = job;
	p->finished[p->submitted % p->depth] = 0;
	p->submitted++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

static void *take(struct pool *p, int wait)
{
	void *job = NULL;
	size_t slot = p->taken % p->depth;

	if (p->taken == p->submitted)
		return NULL;
	if (p->started == 0) {
		p->taken++;
		return p->ring[slot];
	}
	pthread_mutex_lock(&p->mu);
	while (wait && !p->finished[slot])
		pthread_cond_wait(&p->done, &p->mu);
	if (p->finished[slot]) {
		job = p->ring[slot];
		p->finished[slot] = 0;
		p->taken++;
	}
	pthread_mutex_unlock(&p->mu);
	return job;
}

void *pool_take(struct pool *p)
{
	return take(p, 1);
}

void *pool_take_ready(struct pool *p)
{
	return take(p, 0);
}

void pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	if (p->started) {
		/* The caller took every job back first (pool_take until NULL):
		 * the workers are idle. */
		pthread_mutex_lock(&p->mu);
		p->quit = 1;
		pthread_cond_broadcast(&p->work);
		pthread_mutex_unlock(&p->mu);
		for (int i = 0; i < p->started; i++)
			pthread_join(p->tid[i], NULL);
		pthread_cond_destroy(&p->work);
		pthread_cond_destroy(&p->done);
		pthread_mutex_destroy(&p->mu);
	}
	free(p->tid);
	free(p->ring);
	free(p->finished);
	free(p);
}
