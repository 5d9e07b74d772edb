/* See LICENSE file for copyright and license details. */
/*
 * The search kernel alone, in process: knn_search (cosine, k = 10) of nq
 * random queries over a random V x d float32 table, best of 3 runs after
 * a warm-up.  Prints seconds and GFLOP/s (2 V d flops per query), with
 * process CPU time.  Benchmarks only.
 *
 *   cc -O2 -std=c99 -D_POSIX_C_SOURCE=200809L -Ilib -pthread \
 *       -o knnbench tests/bench/knnbench.c lib/libemb.a -lm
 *   ./knnbench V d nq [threads [isa]]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu.h"
#include "knn.h"

static double
secs(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int
main(int argc, char *argv[])
{
	struct knn_db db;
	struct knn_opts o;
	struct knn_hit *out;
	float *rows, *q;
	uint64_t s = 1;
	size_t V, d, nq, i;
	double best = 1e30, bestc = 0;
	int r;

	if (argc < 4) {
		fputs("usage: knnbench V d nq [threads [isa]]\n", stderr);
		return 2;
	}
	V = strtoul(argv[1], NULL, 10);
	d = strtoul(argv[2], NULL, 10);
	nq = strtoul(argv[3], NULL, 10);
	if (argc > 5 && cpu_force(argv[5]) != 0) {
		fprintf(stderr, "knnbench: no %s here\n", argv[5]);
		return 1;
	}
	rows = malloc(V * d * sizeof(float));
	q = malloc(nq * d * sizeof(float));
	out = malloc(nq * 10 * sizeof(*out));
	if (rows == NULL || q == NULL || out == NULL)
		return 1;
	for (i = 0; i < V * d; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		rows[i] = (float)((double)(s >> 40) / 16777216.0 - 0.5);
	}
	for (i = 0; i < nq * d; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		q[i] = (float)((double)(s >> 40) / 16777216.0 - 0.5);
	}
	memset(&db, 0, sizeof(db));
	db.rows = rows;
	db.dt = DT_F32;
	db.n = V;
	db.d = d;
	memset(&o, 0, sizeof(o));
	o.k = 10;
	o.metric = KNN_COSINE;
	o.threads = argc > 4 ? atoi(argv[4]) : 0;
	knn_search(&db, q, nq, &o, NULL, 0, out);
	for (r = 0; r < 3; r++) {
		double t0 = secs(CLOCK_MONOTONIC);
		double c0 = secs(CLOCK_PROCESS_CPUTIME_ID);

		knn_search(&db, q, nq, &o, NULL, 0, out);
		if (secs(CLOCK_MONOTONIC) - t0 < best) {
			best = secs(CLOCK_MONOTONIC) - t0;
			bestc = secs(CLOCK_PROCESS_CPUTIME_ID) - c0;
		}
	}
	printf("%s V %zu d %zu nq %zu: %.4f s, %.1f GFLOP/s; CPU %.4f s, "
	    "%.1f GFLOP per CPU-second\n", cpu_isa_name(cpu_isa()), V, d, nq, best,
	    2.0 * (double)V * d * nq / best / 1e9, bestc,
	    2.0 * (double)V * d * nq / bestc / 1e9);
	free(rows);
	free(q);
	free(out);
	return 0;
}
