/* See LICENSE file for copyright and license details. */
/*
 * The machine's mode for multi-threaded training: the round trip of one
 * cache line between two threads (each writes it in turn and waits for
 * the other's write), in ns.  On the 2-vCPU benchmark machine it is
 * 100-240 ns in some minutes and 450-700 ns in others (the vCPUs on one
 * or on two core complexes, as far as can be told from inside), and the
 * cost of rows shared between emb-train's threads follows it; the
 * benchmarks print it beside each round.  Benchmarks only.
 *
 * usage: pingpong [round trips]   (default 200000)
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) uint64_t line[8];	/* one cache line */
static uint64_t trips;

/* the second thread: answers odd values with the next even one */
static void *
pong(void *arg)
{
	uint64_t i;

	(void)arg;
	for (i = 1; i <= trips; i++) {
		while (__atomic_load_n(&line[0], __ATOMIC_ACQUIRE) != 2 * i - 1)
			;
		__atomic_store_n(&line[0], 2 * i, __ATOMIC_RELEASE);
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct timespec a, b;
	pthread_t t;
	uint64_t i;

	trips = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
	if (trips == 0 || pthread_create(&t, NULL, pong, NULL) != 0) {
		fprintf(stderr, "usage: pingpong [round trips]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 1; i <= trips; i++) {
		__atomic_store_n(&line[0], 2 * i - 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&line[0], __ATOMIC_ACQUIRE) != 2 * i)
			;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	pthread_join(t, NULL);
	printf("%.1f\n", ((double)(b.tv_sec - a.tv_sec) * 1e9 +
	    (double)(b.tv_nsec - a.tv_nsec)) / (double)trips);
	return 0;
}
