/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "dtype.h"
#include "knn.h"
#include "knnkern.h"
#include "par.h"
#include "util.h"

/*
 * The search is a matrix multiply S = Q R^T whose result is consumed tile
 * by tile instead of stored.
 *
 *   queries  packed once into panels of MR queries, d-major:
 *            qp[panel][k][MR]  (zero padded, cosine queries pre-scaled)
 *   rows     a block of NC rows (about 256 KB, so it stays in L2),
 *            packed per worker into panels of NR rows, d-major:
 *            rp[panel][k][NR] (AVX-512: 16 x 16 register transposes,
 *            F16/BF16 converted on the way, the squares summed for the
 *            norms when the caller has none)
 *   kernel   MR x NR accumulators in registers over the whole of d, then
 *            score = acc * sa[row] + ba[row] (cosine: 1/|r|, 0;
 *            dot: 1, 0; l2: 2, -|r|^2), compared with each query's heap
 *            threshold in the same registers: only the rows that beat it
 *            reach the scalar heap code.
 *
 * Each score is the sum over k = 0..d-1 of q[k] * r[k] accumulated by
 * one SIMD lane in order, so it does not depend on the thread count, the
 * block bounds or where a row falls in a panel.  Workers take row blocks
 * in any order and keep their own bounded heaps; the merge orders hits
 * by (score, lower id), a total order, so the top k is the same for any
 * number of threads.
 */
#define MR KNN_MR		/* queries per panel */
#define NR KNN_NR		/* rows per panel */
#define BLOCK_BYTES (256 * 1024)	/* packed row block, stays in L2 */

/*
 * Bounded heaps: per query a min-heap of k hits whose root is the worst
 * kept hit under the order "higher score, then lower id".
 */
static int
worse(float s1, uint32_t i1, float s2, uint32_t i2)
{
	return s1 < s2 || (s1 == s2 && i1 > i2);
}

static void
heap_push(struct knn_hit *h, size_t *cnt, size_t k, float s, uint32_t id)
{
	size_t i, n = *cnt;

	if (n < k) {
		i = n++;
		while (i > 0) {
			size_t p = (i - 1) / 2;

			if (!worse(s, id, h[p].score, h[p].id))
				break;
			h[i] = h[p];
			i = p;
		}
		h[i].score = s;
		h[i].id = id;
		*cnt = n;
		return;
	}
	if (!worse(h[0].score, h[0].id, s, id))
		return;
	i = 0;
	for (;;) {
		size_t l = 2 * i + 1, w;

		if (l >= n)
			break;
		w = l;
		if (l + 1 < n && worse(h[l + 1].score, h[l + 1].id,
		    h[l].score, h[l].id))
			w = l + 1;
		if (!worse(h[w].score, h[w].id, s, id))
			break;
		h[i] = h[w];
		i = w;
	}
	h[i].score = s;
	h[i].id = id;
}

int
knn_hit_cmp(const void *a, const void *b)
{
	const struct knn_hit *x = a, *y = b;

	if (worse(y->score, y->id, x->score, x->id))
		return -1;
	if (worse(x->score, x->id, y->score, y->id))
		return 1;
	return 0;
}

int
knn_hit_cmp_asc(const void *a, const void *b)
{
	const struct knn_hit *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* |q - r_id| in double precision; row: d floats of scratch */
static float
l2_exact(const struct knn_db *db, const float *q, uint32_t id, float *row)
{
	const float *r;
	double s = 0;
	size_t k;

	if (db->dt == DT_F32)
		r = (const float *)db->rows + (size_t)id * db->d;
	else {
		dtype_to_f32(db->dt, (const unsigned char *)db->rows +
		    (size_t)id * db->d * dtype_size(db->dt), row, db->d);
		r = row;
	}
	for (k = 0; k < db->d; k++) {
		double t = (double)q[k] - r[k];

		s += t * t;
	}
	return (float)sqrt(s);
}

/* shared state of one search or dot-block call */
struct job {
	const struct knn_db *db;
	int isa;
	enum knn_metric metric;
	size_t d, k;
	const float *qp;	/* packed queries */
	size_t nq, npan;
	size_t b, e, nc, nblocks;	/* rows [b, e) in blocks of nc */
	const int32_t *excl;
	size_t nexcl;
	float *dense;		/* knn_dot_block output, or NULL */
	size_t ld;
	pthread_mutex_t mu;
	size_t next;		/* next block to take */
};

struct worker {
	struct job *j;
	float *rp, *sa, *ba, *row, *c;
	struct knn_hit *heap;	/* nq x k */
	size_t *cnt;		/* nq */
	float *thr;		/* npan x MR thresholds */
	size_t bad;		/* lowest row with NaN or Inf, or SIZE_MAX */
	int fail;
};

static size_t
take_block(struct job *j)
{
	size_t b;

	pthread_mutex_lock(&j->mu);
	b = j->next++;
	pthread_mutex_unlock(&j->mu);
	return b;
}

/* does row i hold only finite values?  (buf: d floats of scratch) */
static int
row_finite(const struct knn_db *db, size_t i, float *buf)
{
	const float *r;

	if (db->dt == DT_F32)
		r = (const float *)db->rows + i * db->d;
	else {
		dtype_to_f32(db->dt, (const unsigned char *)db->rows +
		    i * db->d * dtype_size(db->dt), buf, db->d);
		r = buf;
	}
	return f32_finite(r, db->d);
}

/*
 * Pack rows [r0, r1) into NR-row panels with their epilogue factors.  The
 * packing sees every value once, so it also sums the squares: the row
 * norms when the caller gave none.
 */
static void
pack_rows(struct worker *w, size_t r0, size_t r1)
{
	struct job *j = w->j;
	const struct knn_db *db = j->db;
	size_t d = j->d, n = r1 - r0, np = (n + NR - 1) / NR, r;
	float *sq = w->ba;	/* squared norms, then the offsets */

	knnkern_pack(j->isa, db->rows, db->dt, r0, n, d, j->e, w->rp, sq,
	    w->row);
	/* a NaN or Inf makes the sum so; so does a finite overflow: look */
	for (r = 0; r < n && r0 + r < w->bad; r++)
		if (!isfinite(sq[r]) && !row_finite(db, r0 + r, w->row))
			w->bad = r0 + r;
	for (r = 0; r < np * NR; r++) {
		float sa = 1, ba = 0, nr;

		if (r < n && j->metric != KNN_DOT) {
			nr = db->norms != NULL ? db->norms[r0 + r] :
			    sqrtf(sq[r]);
			if (j->metric == KNN_COSINE)
				sa = nr > 0 ? 1 / nr : 0;
			else {
				sa = 2;
				ba = db->norms != NULL ? -nr * nr : -sq[r];
			}
		}
		w->sa[r] = sa;
		w->ba[r] = ba;
	}
}

static int
excluded(const struct job *j, size_t qi, uint32_t id)
{
	const int32_t *x;
	size_t i;

	if (j->excl == NULL)
		return 0;
	x = j->excl + qi * j->nexcl;
	for (i = 0; i < j->nexcl; i++)
		if (x[i] >= 0 && (uint32_t)x[i] == id)
			return 1;
	return 0;
}

static void
do_block(struct worker *w, size_t blk)
{
	struct job *j = w->j;
	size_t r0 = j->b + blk * j->nc, r1 = r0 + j->nc;
	size_t d = j->d, np, p, rpn;
	uint32_t mask[MR];

	if (r1 > j->e)
		r1 = j->e;
	np = (r1 - r0 + NR - 1) / NR;
	pack_rows(w, r0, r1);
	for (p = 0; p < j->npan; p++) {
		const float *qp = j->qp + p * d * MR;
		size_t q0 = p * MR;
		int mr = (int)(j->nq - q0 < MR ? j->nq - q0 : MR);

		for (rpn = 0; rpn < np; rpn++) {
			size_t base = r0 + rpn * NR, nv = r1 - base;
			uint32_t valid = nv >= NR ? 0xffffffffu :
			    ((uint32_t)1 << nv) - 1;
			float *thr = j->dense != NULL ? NULL : w->thr + q0;
			int i;

			knnkern_tile(j->isa, mr, qp, w->rp + rpn * d * NR, d,
			    w->sa + rpn * NR, w->ba + rpn * NR, thr, w->c,
			    mask);
			if (j->dense != NULL) {
				size_t cols = nv < NR ? nv : NR;

				for (i = 0; i < mr; i++)
					memcpy(j->dense + (q0 + i) * j->ld +
					    (base - j->b), w->c + i * NR,
					    cols * sizeof(float));
				continue;
			}
			for (i = 0; i < mr; i++) {
				uint32_t m = mask[i] & valid;
				size_t qi = q0 + i;
				struct knn_hit *h = w->heap + qi * j->k;

				while (m != 0) {
					int b = __builtin_ctz(m);
					uint32_t id = (uint32_t)(base + b);
					float s = w->c[i * NR + b];

					m &= m - 1;
					if (s < w->thr[qi] || excluded(j, qi, id))
						continue;
					heap_push(h, &w->cnt[qi], j->k, s, id);
					if (w->cnt[qi] == j->k)
						w->thr[qi] = h[0].score;
				}
			}
		}
	}
}

/* workers [b, e) take blocks until none is left (lib/par.h) */
static void
work(void *arg, size_t b, size_t e)
{
	struct worker *ws = arg;
	size_t blk;

	for (; b < e; b++)
		while ((blk = take_block(ws[b].j)) < ws[b].j->nblocks)
			do_block(&ws[b], blk);
}

static void
worker_free(struct worker *w)
{
	free(w->rp);
	free(w->sa);
	free(w->ba);
	free(w->row);
	free(w->c);
	free(w->heap);
	free(w->cnt);
	free(w->thr);
}

static int
worker_init(struct worker *w, struct job *j)
{
	size_t rows = (j->nc + NR - 1) / NR * NR, i;

	memset(w, 0, sizeof(*w));
	w->j = j;
	w->bad = SIZE_MAX;
	if (posix_memalign((void **)&w->rp, 64,
	    rows * j->d * sizeof(float)) != 0) {
		w->rp = NULL;
		return -1;
	}
	w->sa = malloc(rows * sizeof(float));
	/* zeroed: the analyzers do not see pack512 fill it */
	w->ba = calloc(rows, sizeof(float));
	w->row = malloc((j->d ? j->d : 1) * sizeof(float));
	w->c = malloc(MR * NR * sizeof(float));
	if (w->sa == NULL || w->ba == NULL || w->row == NULL ||
	    w->c == NULL)
		return -1;
	if (j->dense == NULL) {
		size_t nh;

		if (size_mul(j->nq, j->k, &nh) != 0 ||
		    size_mul(nh + 1, sizeof(*w->heap), &nh) != 0)
			return -1;
		w->heap = malloc(nh);
		w->cnt = calloc(j->nq ? j->nq : 1, sizeof(*w->cnt));
		w->thr = malloc(j->npan * MR * sizeof(*w->thr));
		if (w->heap == NULL || w->cnt == NULL || w->thr == NULL)
			return -1;
		for (i = 0; i < j->npan * MR; i++)
			w->thr[i] = -INFINITY;
	}
	return 0;
}

/* run the job on up to nt workers (the caller's thread is one of them) */
static int
run(struct job *j, int nt, struct worker **wsp)
{
	struct worker *ws;
	int i;

	nt = par_threads(nt);
	if ((size_t)nt > j->nblocks)
		nt = j->nblocks ? (int)j->nblocks : 1;
	if (nt < 1)
		nt = 1;
	ws = calloc((size_t)nt, sizeof(*ws));
	if (ws == NULL)
		return -1;
	for (i = 0; i < nt; i++)
		if (worker_init(&ws[i], j) != 0) {
			for (; i >= 0; i--)
				worker_free(&ws[i]);
			free(ws);
			return -1;
		}
	pthread_mutex_init(&j->mu, NULL);
	j->next = 0;
	par_run(nt, (size_t)nt, work, ws);
	pthread_mutex_destroy(&j->mu);
	*wsp = ws;
	return nt;
}

/* pack queries into MR-query panels; scale[i] multiplies query i */
static float *
pack_queries(const float *q, size_t nq, size_t d, const float *scale,
    size_t *npan)
{
	size_t np = (nq + MR - 1) / MR, i, k;
	float *qp;

	*npan = np;
	if (posix_memalign((void **)&qp, 64,
	    (np ? np : 1) * MR * (d ? d : 1) * sizeof(float)) != 0)
		return NULL;
	memset(qp, 0, np * MR * d * sizeof(float));
	for (i = 0; i < nq; i++) {
		float *dst = qp + (i / MR) * d * MR + i % MR;
		float s = scale != NULL ? scale[i] : 1;

		for (k = 0; k < d; k++)
			dst[k * MR] = q[i * d + k] * s;
	}
	return qp;
}

static void
job_rows(struct job *j, const struct knn_db *db, size_t b, size_t e)
{
	size_t per = BLOCK_BYTES / ((db->d ? db->d : 1) * sizeof(float));

	j->db = db;
	j->d = db->d;
	j->isa = cpu_isa();
	j->b = b;
	j->e = e < b ? b : e;
	per = per / NR * NR;
	if (per < NR)
		per = NR;
	j->nc = per;
	j->nblocks = (j->e - j->b + per - 1) / per;
}

int
knn_search(const struct knn_db *db, const float *q, size_t nq,
    const struct knn_opts *o, const int32_t *excl, size_t nexcl,
    struct knn_hit *out)
{
	struct job j;
	struct worker *ws = NULL;
	float *scale = NULL, *row = NULL;
	struct knn_hit *all = NULL;
	size_t b, e, i, t, k = o->k, d = db->d;
	int nt = 0, rc = -1;

	if (o->nonfinite != NULL)
		*o->nonfinite = -1;
	if (nq == 0 || k == 0)
		return 0;
	memset(&j, 0, sizeof(j));
	e = o->row_end != 0 && o->row_end < db->n ? o->row_end : db->n;
	if (o->restrict_n != 0 && o->restrict_n < e)
		e = o->restrict_n;
	b = o->row_begin < e ? o->row_begin : e;
	job_rows(&j, db, b, e);
	j.metric = o->metric;
	j.k = k;
	j.nq = nq;
	j.excl = excl;
	j.nexcl = excl != NULL ? nexcl : 0;
	scale = malloc(nq * sizeof(float));
	if (scale == NULL)
		goto fail;
	for (i = 0; i < nq; i++) {
		double s = 0;

		for (t = 0; t < d; t++)
			s += (double)q[i * d + t] * q[i * d + t];
		scale[i] = o->metric == KNN_COSINE ?
		    (s > 0 ? (float)(1 / sqrt(s)) : 0) : 1;
	}
	if ((j.qp = pack_queries(q, nq, d, scale, &j.npan)) == NULL)
		goto fail;
	if ((nt = run(&j, o->threads, &ws)) < 0)
		goto fail;
	for (t = 0; t < (size_t)nt && o->nonfinite != NULL; t++)
		if (ws[t].bad != SIZE_MAX && (*o->nonfinite < 0 ||
		    ws[t].bad < (size_t)*o->nonfinite))
			*o->nonfinite = (long)ws[t].bad;
	/* merge the workers' heaps */
	all = malloc(((size_t)nt * k + 1) * sizeof(*all));
	row = malloc((d ? d : 1) * sizeof(float));
	if (all == NULL || row == NULL)
		goto fail;
	for (i = 0; i < nq; i++) {
		size_t m = 0, x;

		for (t = 0; t < (size_t)nt; t++) {
			memcpy(all + m, ws[t].heap + i * k,
			    ws[t].cnt[i] * sizeof(*all));
			m += ws[t].cnt[i];
		}
		qsort(all, m, sizeof(*all), knn_hit_cmp);
		for (x = 0; x < k; x++) {
			struct knn_hit *h = out + i * k + x;

			if (x >= m) {
				h->score = 0;
				h->id = UINT32_MAX;
				continue;
			}
			*h = all[x];
			if (o->metric == KNN_L2)
				h->score = l2_exact(db, q + i * d, h->id, row);
		}
		/*
		 * The ranking used |q|^2 + |r|^2 - 2<q,r>, which cancels
		 * badly for close rows: report the distances computed
		 * directly, in their order.
		 */
		if (o->metric == KNN_L2)
			qsort(out + i * k, m < k ? m : k, sizeof(*out),
			    knn_hit_cmp_asc);
	}
	rc = 0;
fail:
	if (ws != NULL) {
		for (t = 0; t < (size_t)nt; t++)
			worker_free(&ws[t]);
		free(ws);
	}
	free(all);
	free(row);
	free((void *)j.qp);
	free(scale);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}

int
knn_dot_block(const struct knn_db *db, const float *q, size_t nq,
    size_t begin, size_t end, int threads, float *out)
{
	struct job j;
	struct worker *ws = NULL;
	int nt, t;

	if (end > db->n)
		end = db->n;
	if (nq == 0 || begin >= end)
		return 0;
	memset(&j, 0, sizeof(j));
	job_rows(&j, db, begin, end);
	j.metric = KNN_DOT;
	j.nq = nq;
	j.dense = out;
	j.ld = end - begin;
	if ((j.qp = pack_queries(q, nq, db->d, NULL, &j.npan)) == NULL)
		return -1;
	if ((nt = run(&j, threads, &ws)) < 0) {
		free((void *)j.qp);
		return -1;
	}
	for (t = 0; t < nt; t++)
		worker_free(&ws[t]);
	free(ws);
	free((void *)j.qp);
	return 0;
}

struct normjob {
	const struct knn_db *db;
	float *norms;
	int isa;
};

/* the norms of rows [b, e) (lib/par.h) */
static void
norms_work(void *arg, size_t b, size_t e)
{
	struct normjob *j = arg;

	knnkern_norms(j->isa, j->db->rows, j->db->dt, j->db->d, b, e,
	    j->norms);
}

void
knn_norms(const struct knn_db *db, float *norms, int threads)
{
	struct normjob job;
	int nt = par_threads(threads);

	/* a thread per 4096 rows at most */
	if ((size_t)nt > db->n / 4096 + 1)
		nt = (int)(db->n / 4096 + 1);
	job.db = db;
	job.norms = norms;
	job.isa = cpu_isa();
	par_run(nt, db->n, norms_work, &job);
}

double
knn_score(enum knn_metric metric, const float *u, const float *v,
    size_t d, int *zero)
{
	double uv = 0, uu = 0, vv = 0;
	size_t i;

	*zero = 0;
	if (metric == KNN_L2) {
		for (i = 0; i < d; i++) {
			double t = (double)u[i] - v[i];

			uv += t * t;
		}
		return sqrt(uv);
	}
	for (i = 0; i < d; i++) {
		uv += (double)u[i] * v[i];
		uu += (double)u[i] * u[i];
		vv += (double)v[i] * v[i];
	}
	if (metric == KNN_DOT)
		return uv;
	if (uu == 0 || vv == 0) {
		*zero = 1;
		return 0;
	}
	return uv / (sqrt(uu) * sqrt(vv));
}

int
knn_metric_byname(const char *name, enum knn_metric *out)
{
	if (strcmp(name, "cosine") == 0)
		*out = KNN_COSINE;
	else if (strcmp(name, "dot") == 0)
		*out = KNN_DOT;
	else if (strcmp(name, "l2") == 0)
		*out = KNN_L2;
	else
		return -1;
	return 0;
}
