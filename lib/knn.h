/* See LICENSE file for copyright and license details. */
#ifndef EMB_KNN_H
#define EMB_KNN_H

#include <stddef.h>
#include <stdint.h>

#include "dtype.h"

/*
 * Exact top-k search over a table of n rows of dimension d.  Queries are
 * searched in blocks (queries x rows tiles that stay in cache), with the
 * inner products vectorised (runtime dispatch AVX-512/AVX2/scalar) and the
 * blocks spread over threads.  Results are deterministic: equal scores are
 * ordered by lower row id, whatever the thread count.
 */
enum knn_metric { KNN_COSINE, KNN_DOT, KNN_L2 };

/* "cosine", "dot", "l2" -> 0 and *out; -1 if unknown */
int knn_metric_byname(const char *name, enum knn_metric *out);
/*
 * The score of one pair, in double precision: u and v are d floats.
 * *zero is set when cosine meets a zero vector (the score is then 0, as
 * gensim's unitvec gives).  O(d); for many pairs use knn_search.
 */
double knn_score(enum knn_metric metric, const float *u, const float *v,
    size_t d, int *zero);

struct knn_db {
	const void *rows;	/* n x d values of type dt, row-major */
	enum dtype dt;
	size_t n, d;
	const float *norms;	/* n row norms for cosine and l2, or NULL:
				 * knn_search then sums the squares as it
				 * packs the rows (no extra pass) */
};

struct knn_hit {
	float score;		/* cosine/dot: higher is better; l2: distance */
	uint32_t id;
};

/*
 * The order of hits, as qsort(3) comparators of struct knn_hit: best
 * first, higher scores before lower (knn_hit_cmp_asc: lower before
 * higher, for distances), equal scores by lower row id.  knn_search
 * returns its hits in this order; every list of hits is sorted by it.
 */
int knn_hit_cmp(const void *a, const void *b);
int knn_hit_cmp_asc(const void *a, const void *b);

struct knn_opts {
	size_t k;		/* hits per query */
	enum knn_metric metric;
	int threads;		/* 0 = all cores */
	size_t restrict_n;	/* search rows [0, restrict_n) only, 0 = all */
	size_t row_begin, row_end;	/* search rows [begin, end), end 0 = n */
	long *nonfinite;	/* if not NULL: set to the lowest searched
				 * row holding NaN or Inf, or -1 (the
				 * packing sees every value: no extra pass) */
};

/*
 * Search nq queries (nq x d float32, row-major).  For cosine the queries
 * need not be normalised.  excl holds nexcl row ids per query to leave out
 * (-1 = unused slot), or is NULL.  out receives nq * k hits, best first;
 * when fewer than k rows qualify the rest have id UINT32_MAX.
 * Returns 0, or -1 when out of memory for the work buffers.
 */
int knn_search(const struct knn_db *db, const float *q, size_t nq,
    const struct knn_opts *o, const int32_t *excl, size_t nexcl,
    struct knn_hit *out);

/*
 * Dense scores: out[i * (end - begin) + j] = <q_i, row_{begin + j}>
 * (raw inner products), blocked and threaded like knn_search.
 */
int knn_dot_block(const struct knn_db *db, const float *q, size_t nq,
    size_t begin, size_t end, int threads, float *out);

/* L2 norms of n rows */
void knn_norms(const struct knn_db *db, float *norms, int threads);

/*
 * The kernels use the instruction set cpu_isa() names (cpu.h).  Scores
 * can differ in the last bits between instruction sets (FMA or not),
 * never between thread counts.
 */

#endif
