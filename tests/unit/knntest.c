/* See LICENSE file for copyright and license details. */
/*
 * knn kernel against a naive double-precision reference: every
 * instruction set the CPU has, every metric, F32/F16/BF16 rows, 1..3
 * threads, odd sizes (partial panels), row ranges, restrict, exclusions,
 * k larger than the rows, and dense dot blocks.  Exit 0 when all agree.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "dtype.h"
#include "knn.h"

static int fails;

static double
urand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0 * 2 - 1;
}

/* reference score of query qi vs row r, metric m (l2: distance) */
static double
ref(const float *q, const float *rows, size_t d, size_t qi, size_t r,
    enum knn_metric m)
{
	double dot = 0, qq = 0, rr = 0;
	size_t k;

	for (k = 0; k < d; k++) {
		double a = q[qi * d + k], b = rows[r * d + k];

		dot += a * b;
		qq += a * a;
		rr += b * b;
	}
	if (m == KNN_DOT)
		return dot;
	if (m == KNN_COSINE)
		return qq > 0 && rr > 0 ? dot / sqrt(qq * rr) : 0;
	return sqrt(qq + rr - 2 * dot > 0 ? qq + rr - 2 * dot : 0);
}

static void
check(const char *what, int cond)
{
	if (!cond) {
		fprintf(stderr, "knntest: FAIL %s\n", what);
		fails++;
	}
}

static void
one(uint64_t seed, size_t n, size_t d, size_t nq, size_t k,
    enum knn_metric m, enum dtype dt, const char *isa)
{
	uint64_t s = seed;
	float *rows = malloc(n * d * sizeof(float) + 4);
	float *rq = malloc(n * d * sizeof(float) + 4);
	unsigned char *raw = malloc(n * d * 4 + 4);
	float *q = malloc(nq * d * sizeof(float) + 4);
	float *norms = malloc(n * sizeof(float) + 4);
	struct knn_hit *o1 = malloc(nq * k * sizeof(*o1) + 8);
	struct knn_hit *o2 = malloc(nq * k * sizeof(*o2) + 8);
	int32_t *ex = malloc(nq * 2 * sizeof(int32_t) + 8);
	struct knn_db db;
	struct knn_opts o;
	size_t i, j, x, b, e;
	char msg[256];

	for (i = 0; i < n * d; i++)
		rows[i] = (float)urand(&s);
	/* a duplicate row to force a tie */
	if (n > 3)
		memcpy(rows + 3 * d, rows + 1 * d, d * sizeof(float));
	dtype_from_f32(dt, rows, raw, n * d);
	dtype_to_f32(dt, raw, rq, n * d);
	for (i = 0; i < nq * d; i++)
		q[i] = (float)urand(&s);
	for (i = 0; i < nq; i++) {
		ex[2 * i] = (int32_t)(i % n);
		ex[2 * i + 1] = -1;
	}
	db.rows = raw;
	db.dt = dt;
	db.n = n;
	db.d = d;
	db.norms = norms;
	knn_norms(&db, norms, 1);
	memset(&o, 0, sizeof(o));
	o.k = k;
	o.metric = m;
	o.threads = 1;
	b = n > 10 ? 3 : 0;
	e = n > 10 ? n - 2 : n;
	o.row_begin = b;
	o.row_end = e;
	if (knn_search(&db, q, nq, &o, ex, 2, o1) != 0) {
		check("search", 0);
		goto out;
	}
	for (i = 0; i < nq; i++) {
		size_t want = 0;

		for (x = b; x < e; x++)
			want += x != i % n;
		for (j = 0; j < k; j++) {
			struct knn_hit *h = o1 + i * k + j;

			snprintf(msg, sizeof(msg), "isa %s n %zu d %zu nq %zu "
			    "k %zu metric %d dt %d q %zu hit %zu", isa, n, d,
			    nq, k, (int)m, (int)dt, i, j);
			if (j >= want) {
				check(msg, h->id == UINT32_MAX);
				continue;
			}
			check(msg, h->id >= b && h->id < e &&
			    h->id != i % n);
			if (h->id >= n)
				continue;
			check(msg, fabs(h->score - ref(q, rq, d, i, h->id,
			    m)) < 1e-4 * (m == KNN_COSINE ? 1 : sqrt(d) + 1));
			/* no better row was left out */
			for (x = b; x < e; x++) {
				double r = ref(q, rq, d, i, x, m);
				double hs = ref(q, rq, d, i, h->id, m);
				int better = m == KNN_L2 ? r < hs - 1e-4 :
				    r > hs + 1e-4;
				size_t y;
				int found = 0;

				if (!better || x == i % n)
					continue;
				for (y = 0; y < j; y++)
					found |= o1[i * k + y].id == x;
				check(msg, found);
			}
			if (j > 0) {
				struct knn_hit *p = h - 1;

				check(msg, m == KNN_L2 ?
				    (p->score < h->score || (p->score ==
				    h->score && p->id < h->id)) :
				    (p->score > h->score || (p->score ==
				    h->score && p->id < h->id)));
			}
		}
	}
	/* any thread count gives the same bits */
	for (o.threads = 2; o.threads <= 3; o.threads++) {
		knn_search(&db, q, nq, &o, ex, 2, o2);
		check("threads", memcmp(o1, o2, nq * k * sizeof(*o1)) == 0);
	}
	/* restrict = row_end */
	o.threads = 2;
	o.row_end = 0;
	o.restrict_n = e;
	knn_search(&db, q, nq, &o, ex, 2, o2);
	check("restrict", memcmp(o1, o2, nq * k * sizeof(*o1)) == 0);
	/* no norms given: computed while packing, to float precision */
	o.restrict_n = 0;
	o.row_end = e;
	db.norms = NULL;
	o.threads = 1;
	knn_search(&db, q, nq, &o, ex, 2, o2);
	for (i = 0; i < nq * k; i++)
		check("null norms", o1[i].id == UINT32_MAX ?
		    o2[i].id == UINT32_MAX :
		    fabs(o1[i].score - o2[i].score) < 1e-5 *
		    (fabs(o1[i].score) + 1));
	{
		struct knn_hit *o3 = malloc(nq * k * sizeof(*o3) + 8);

		o.threads = 3;
		knn_search(&db, q, nq, &o, ex, 2, o3);
		check("null norms threads",
		    memcmp(o2, o3, nq * k * sizeof(*o2)) == 0);
		free(o3);
	}
	db.norms = norms;
	/* dense dot block */
	{
		float *dense = malloc(nq * n * sizeof(float) + 4);

		knn_dot_block(&db, q, nq, 0, n, 2, dense);
		for (i = 0; i < nq; i++)
			for (x = 0; x < n; x++) {
				double r = ref(q, rq, d, i, x, KNN_DOT);

				if (fabs(dense[i * n + x] - r) > 1e-4 *
				    (sqrt(d) + 1)) {
					check("dot block", 0);
					i = nq;
					break;
				}
			}
		free(dense);
	}
out:
	free(rows);
	free(rq);
	free(raw);
	free(q);
	free(norms);
	free(o1);
	free(o2);
	free(ex);
}

/*
 * knn_search reports the lowest searched row holding NaN or Inf, whatever
 * the ISA, dtype and thread count; a finite row whose squares overflow
 * float is no such row.
 */
static void
nonfinite(const char *isa, enum dtype dt, int threads)
{
	size_t n = 5000, d = 37, nq = 3, k = 4, i;
	float *rows = malloc(n * d * sizeof(float));
	unsigned char *raw = malloc(n * d * 4);
	float q[3 * 37];
	struct knn_hit out[3 * 4];
	struct knn_db db;
	struct knn_opts o;
	uint64_t s = 99;
	long bad = -2;
	char msg[128];

	for (i = 0; i < n * d; i++)
		rows[i] = (float)urand(&s);
	for (i = 0; i < nq * d; i++)
		q[i] = (float)urand(&s);
	for (i = 0; i < d; i++)
		rows[1234 * d + i] = dt == DT_F16 ? 6e4f : 3e30f;
	rows[4321 * d + 5] = NAN;
	rows[2500 * d + 36] = -INFINITY;
	dtype_from_f32(dt, rows, raw, n * d);
	memset(&db, 0, sizeof(db));
	db.rows = raw;
	db.dt = dt;
	db.n = n;
	db.d = d;
	memset(&o, 0, sizeof(o));
	o.k = k;
	o.threads = threads;
	o.nonfinite = &bad;
	snprintf(msg, sizeof(msg), "nonfinite isa %s dt %d threads %d", isa,
	    (int)dt, threads);
	check(msg, knn_search(&db, q, nq, &o, NULL, 0, out) == 0 &&
	    bad == 2500);
	/* rows [3000, 5000): the NaN only */
	o.row_begin = 3000;
	check(msg, knn_search(&db, q, nq, &o, NULL, 0, out) == 0 &&
	    bad == 4321);
	/* rows [0, 2000): none, though row 1234's squares overflow */
	o.row_begin = 0;
	o.row_end = 2000;
	check(msg, knn_search(&db, q, nq, &o, NULL, 0, out) == 0 &&
	    bad == -1);
	free(rows);
	free(raw);
}

/* cpu.h: names, ordering, forcing and its refusals */
static void
cpu(void)
{
	enum cpu_isa best = cpu_isa_best(), isa;

	check("cpu byname", cpu_isa_byname("avx2", &isa) == 0 &&
	    isa == CPU_AVX2 && cpu_isa_byname("AVX2", &isa) == -1 &&
	    cpu_isa_byname("sse", &isa) == -1);
	check("cpu names", strcmp(cpu_isa_name(CPU_SCALAR), "scalar") == 0 &&
	    strcmp(cpu_isa_name(CPU_AVX512), "avx512") == 0);
	check("cpu force scalar", cpu_force("scalar") == 0 &&
	    cpu_isa() == CPU_SCALAR);
	check("cpu force unknown", cpu_force("neon") == -1 &&
	    cpu_isa() == CPU_SCALAR);
	check("cpu force beyond", best == CPU_AVX512 ||
	    (cpu_force("avx512") == -1 && cpu_isa() == CPU_SCALAR));
	check("cpu auto", cpu_force("auto") == 0 && cpu_isa() == best);
	check("cpu force best", cpu_force(cpu_isa_name(best)) == 0 &&
	    cpu_isa() == best && cpu_force(NULL) == 0 && cpu_isa() == best);
}

int
main(void)
{
	static const char *isas[] = { "scalar", "avx2", "avx512" };
	static const size_t shapes[][4] = {
		/* n, d, nq, k */
		{ 1, 1, 1, 1 }, { 5, 3, 2, 10 }, { 40, 7, 13, 5 },
		{ 100, 33, 25, 10 }, { 300, 64, 3, 7 }, { 1000, 17, 30, 3 },
		{ 3000, 100, 1, 10 }, { 70, 300, 12, 70 },
	};
	size_t i, a;
	int m, t;

	cpu();
	for (a = 0; a < 3; a++) {
		if (cpu_force(isas[a]) != 0)
			continue;
		for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
			for (m = 0; m < 3; m++)
				for (t = 0; t < 3; t++)
					one(i * 31 + (size_t)m + 7, shapes[i][0],
					    shapes[i][1], shapes[i][2],
					    shapes[i][3], (enum knn_metric)m,
					    (enum dtype)t, isas[a]);
		for (t = 0; t < 3; t++) {
			nonfinite(isas[a], (enum dtype)t, 1);
			nonfinite(isas[a], (enum dtype)t, 2);
		}
	}
	cpu_force(NULL);
	if (fails)
		fprintf(stderr, "knntest: %d failures\n", fails);
	return fails != 0;
}
