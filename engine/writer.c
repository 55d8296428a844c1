#include "writer.h"

#include <pthread.h>
#include <stdlib.h>

/* Handing items over costs a lock and, when the other side sleeps, a
 * wake-up: the writer takes everything queued at once, and each side only
 * signals the other when it is actually waiting. */
struct kudos_writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full, idle;
	struct kudos_item **ring, **batch;
	size_t cap, head, count;
	int writer_waits, pusher_waits, syncers;
	int busy;    /* the writer is storing a batch */
	int closing;
	int failed;
	kudos_writer_fn fn;
	void *ud;
};

static void *run(void *arg)
{
	struct kudos_writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->count == 0 && !w->closing) {
			w->writer_waits = 1;
			pthread_cond_wait(&w->not_empty, &w->lock);
			w->writer_waits = 0;
		}
		if (w->count == 0)
			break;
		size_t n = w->count;
		for (size_t i = 0; i < n; i++)
			w->batch[i] = w->ring[(w->head + i) % w->cap];
		w->head = (w->head + n) % w->cap;
		w->count = 0;
		w->busy = 1;
		int failed = w->failed;
		if (w->pusher_waits)
			pthread_cond_signal(&w->not_full);
		pthread_mutex_unlock(&w->lock);
		/* After a failure, items are only dropped: the source's
		 * transaction will be rolled back anyway. */
		for (size_t i = 0; i < n; i++) {
			if (failed)
				kudos_item_free(w->batch[i]);
			else if (w->fn(w->ud, w->batch[i]))
				failed = 1;
		}
		pthread_mutex_lock(&w->lock);
		w->busy = 0;
		w->failed |= failed;
		if (w->failed && w->pusher_waits)
			pthread_cond_signal(&w->not_full);
		if (w->syncers && w->count == 0)
			pthread_cond_broadcast(&w->idle);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int kudos_writer_start(struct kudos_writer **out, kudos_writer_fn fn, void *ud,
                       size_t capacity)
{
	struct kudos_writer *w = calloc(1, sizeof *w);
	if (!w || !(w->ring = calloc(capacity, sizeof *w->ring)) ||
	    !(w->batch = calloc(capacity, sizeof *w->batch)))
		goto fail;
	w->cap = capacity;
	w->fn = fn;
	w->ud = ud;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->not_empty, NULL);
	pthread_cond_init(&w->not_full, NULL);
	pthread_cond_init(&w->idle, NULL);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->not_empty);
		pthread_cond_destroy(&w->not_full);
		pthread_cond_destroy(&w->idle);
		goto fail;
	}
	*out = w;
	return 0;
fail:
	if (w) {
		free(w->ring);
		free(w->batch);
	}
	free(w);
	return -1;
}

int kudos_writer_push(struct kudos_writer *w, struct kudos_item *it)
{
	pthread_mutex_lock(&w->lock);
	while (w->count == w->cap && !w->failed) {
		w->pusher_waits = 1;
		pthread_cond_wait(&w->not_full, &w->lock);
		w->pusher_waits = 0;
	}
	if (w->failed) {
		pthread_mutex_unlock(&w->lock);
		kudos_item_free(it);
		return -1;
	}
	w->ring[(w->head + w->count) % w->cap] = it;
	w->count++;
	if (w->writer_waits)
		pthread_cond_signal(&w->not_empty);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void kudos_writer_sync(struct kudos_writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->syncers++;
	while (w->count > 0 || w->busy)
		pthread_cond_wait(&w->idle, &w->lock);
	w->syncers--;
	pthread_mutex_unlock(&w->lock);
}

int kudos_writer_finish(struct kudos_writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->closing = 1;
	pthread_cond_signal(&w->not_empty);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	int failed = w->failed;
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->not_empty);
	pthread_cond_destroy(&w->not_full);
	pthread_cond_destroy(&w->idle);
	free(w->ring);
	free(w->batch);
	free(w);
	return failed ? -1 : 0;
}
