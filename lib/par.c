/* See LICENSE file for copyright and license details. */
#include <pthread.h>
#include <stddef.h>

#include "par.h"
#include "util.h"

#define PAR_MAX 64

int
par_threads(int n)
{
	return n > 0 ? n : ncores();
}

struct range {
	void (*fn)(void *, size_t, size_t);
	void *ctx;
	size_t b, e;
	int started;
};

static void *
range_run(void *arg)
{
	struct range *r = arg;

	r->fn(r->ctx, r->b, r->e);
	return NULL;
}

void
par_run(int nt, size_t n, void (*fn)(void *ctx, size_t b, size_t e),
    void *ctx)
{
	struct range r[PAR_MAX];
	pthread_t tid[PAR_MAX];
	int t;

	nt = par_threads(nt);
	if (nt > PAR_MAX)
		nt = PAR_MAX;
	if ((size_t)nt > n)
		nt = n > 0 ? (int)n : 1;
	for (t = 0; t < nt; t++) {
		r[t].fn = fn;
		r[t].ctx = ctx;
		r[t].b = n * (size_t)t / (size_t)nt;
		r[t].e = n * (size_t)(t + 1) / (size_t)nt;
		r[t].started = t > 0 &&
		    pthread_create(&tid[t], NULL, range_run, &r[t]) == 0;
	}
	for (t = 0; t < nt; t++)
		if (!r[t].started)
			fn(ctx, r[t].b, r[t].e);
	for (t = 1; t < nt; t++)
		if (r[t].started)
			pthread_join(tid[t], NULL);
}
