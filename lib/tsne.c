/* See LICENSE file for copyright and license details. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "knn.h"
#include "par.h"
#include "pca.h"
#include "rng.h"
#include "tsne.h"
#include "util.h"

#define TSNE_EXPLORE 250	/* exaggerated iterations */
#define TSNE_CHECK 50		/* gradient norm checked this often */
#define TSNE_MIN_GRAD 1e-7
#define TSNE_MIN_GAIN 0.01
#define TSNE_TOL 1e-5		/* entropy tolerance of the calibration */
#define TSNE_STEPS 100		/* calibration steps */
#define TREE_MAXDEPTH 48	/* deeper cells just pile points up */
#define TREE_STACK (TREE_MAXDEPTH * 8 + 16)

struct tnode {
	double com[TSNE_MAX_BH_DIM];	/* centre of mass */
	double ctr[TSNE_MAX_BH_DIM];	/* cell centre */
	double half;			/* half the cell width */
	size_t count;
	size_t child;			/* first of 2^k children, 0 = leaf */
	size_t point;			/* a point of a leaf */
};

struct tree {
	struct tnode *nd;
	size_t nn, cap;
};

struct tsne {
	size_t n, k;
	const float *x;
	size_t d;
	double perp;
	int exact;
	double theta;
	double *y;		/* n x k */
	double *pd;		/* exact: n x n joint probabilities */
	size_t *rp;		/* Barnes-Hut: CSR of the joint probabilities */
	uint32_t *col;
	double *val;
	struct knn_hit *hits;	/* n x nk neighbours */
	size_t nk;
	double *attr, *rep, *sumq;	/* per point: n x k, n x k, n */
	struct tree tree;
	int threads;
};

void
tsne_defaults(struct tsne_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->k = 2;
	o->perplexity = 30.0;
	o->iterations = 1000;
	o->theta = -1.0;
	o->exaggeration = 12.0;
	o->init = TSNE_INIT_PCA;
	o->seed = 1;
}

/* a point's perplexity is at most its number of neighbours, n - 1 */
double
tsne_max_perplexity(size_t n)
{
	return n > 1 ? (double)(n - 1) : 0.0;
}

/*
 * Conditional probabilities p[m] of one point from its squared distances,
 * with the Gaussian's precision found by bisection so that the entropy is
 * log(perplexity) (scikit-learn's _binary_search_perplexity).  Distances
 * are shifted by their minimum, which leaves p unchanged but keeps exp()
 * from underflowing.
 */
static void
calibrate(const double *dist, size_t m, double perp, double *p)
{
	double beta = 1.0, bmin = -HUGE_VAL, bmax = HUGE_VAL;
	double target = log(perp), dmin = HUGE_VAL;
	size_t j;
	int step;

	for (j = 0; j < m; j++)
		if (dist[j] < dmin)
			dmin = dist[j];
	for (step = 0; step < TSNE_STEPS; step++) {
		double sum = 0.0, sdp = 0.0, diff;

		for (j = 0; j < m; j++) {
			p[j] = exp(-(dist[j] - dmin) * beta);
			sum += p[j];
		}
		for (j = 0; j < m; j++) {
			p[j] /= sum;
			sdp += (dist[j] - dmin) * p[j];
		}
		diff = log(sum) + beta * sdp - target;
		if (fabs(diff) <= TSNE_TOL)
			break;
		if (diff > 0) {
			bmin = beta;
			beta = bmax == HUGE_VAL ? beta * 2 : (beta + bmax) / 2;
		} else {
			bmax = beta;
			beta = bmin == -HUGE_VAL ? beta / 2 : (beta + bmin) / 2;
		}
	}
}

/* exact: row i of pd gets the squared distances, then p(j|i) */
static void
exact_rows(void *ctx, size_t b, size_t e)
{
	struct tsne *t = ctx;
	size_t i, j, a, n = t->n, d = t->d;
	double *dist = xmalloc(n * sizeof(double));
	double *p = xmalloc(n * sizeof(double));

	for (i = b; i < e; i++) {
		const float *xi = t->x + i * d;
		double *row = t->pd + i * n;
		size_t m = 0;

		for (j = 0; j < n; j++) {
			const float *xj = t->x + j * d;
			double s = 0.0;

			if (j == i)
				continue;
			for (a = 0; a < d; a++) {
				double df = (double)xi[a] - xj[a];

				s += df * df;
			}
			dist[m++] = s;
		}
		calibrate(dist, m, t->perp, p);
		for (j = 0, m = 0; j < n; j++)
			row[j] = j == i ? 0.0 : p[m++];
	}
	free(dist);
	free(p);
}

/* symmetric joint probabilities, summing to 1 over ordered pairs */
static void
exact_affinities(struct tsne *t)
{
	size_t i, j, n = t->n;
	double sum = 0.0;

	t->pd = xmalloc(n * n * sizeof(double));
	par_run(t->threads, n, exact_rows, t);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			double v = t->pd[i * n + j] + t->pd[j * n + i];

			t->pd[i * n + j] = t->pd[j * n + i] = v;
			sum += 2 * v;
		}
	if (sum < DBL_EPSILON)
		sum = DBL_EPSILON;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			double v = t->pd[i * n + j] / sum;

			t->pd[i * n + j] = i == j ? 0.0 :
			    v > DBL_EPSILON ? v : DBL_EPSILON;
		}
}

/* Barnes-Hut: p(j|i) over the neighbours, into hits' scores as doubles */
static void
sparse_rows(void *ctx, size_t b, size_t e)
{
	struct tsne *t = ctx;
	size_t i, j, nk = t->nk;
	double *dist = xmalloc(nk * sizeof(double));

	for (i = b; i < e; i++) {
		const struct knn_hit *h = t->hits + i * nk;
		double *p = t->val + i * nk;

		for (j = 0; j < nk; j++)
			dist[j] = (double)h[j].score * h[j].score;
		calibrate(dist, nk, t->perp, p);
	}
	free(dist);
}

struct trip {
	uint32_t i, j;
	double v;
};

static int
trip_cmp(const void *a, const void *b)
{
	const struct trip *x = a, *y = b;

	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	if (x->j != y->j)
		return x->j < y->j ? -1 : 1;
	return 0;
}

static int
sparse_affinities(struct tsne *t, struct emb_err *e)
{
	struct knn_db db;
	struct knn_opts ko;
	int32_t *excl;
	struct trip *tr;
	double *cond, sum = 0.0;
	size_t i, j, m, n = t->n, nk;

	nk = (size_t)floor(3.0 * t->perp + 1.0);
	if (nk > n - 1)
		nk = n - 1;
	t->nk = nk;
	memset(&db, 0, sizeof(db));
	db.rows = t->x;
	db.dt = DT_F32;
	db.n = n;
	db.d = t->d;
	memset(&ko, 0, sizeof(ko));
	ko.k = nk;
	ko.metric = KNN_L2;
	ko.threads = t->threads;
	excl = xmalloc(n * sizeof(int32_t));
	for (i = 0; i < n; i++)
		excl[i] = (int32_t)i;
	t->hits = xmalloc(n * nk * sizeof(*t->hits));
	if (knn_search(&db, t->x, n, &ko, excl, 1, t->hits) < 0) {
		free(excl);
		err_set(e, NULL, 0, "out of memory for the neighbour search");
		return -1;
	}
	free(excl);
	cond = t->val = xmalloc(n * nk * sizeof(double));
	par_run(t->threads, n, sparse_rows, t);
	/* P + P^T as sorted triplets, then CSR */
	tr = xmalloc(2 * n * nk * sizeof(*tr));
	for (i = 0, m = 0; i < n; i++)
		for (j = 0; j < nk; j++) {
			uint32_t c = t->hits[i * nk + j].id;

			tr[m].i = (uint32_t)i;
			tr[m].j = c;
			tr[m++].v = cond[i * nk + j];
			tr[m].i = c;
			tr[m].j = (uint32_t)i;
			tr[m++].v = cond[i * nk + j];
		}
	qsort(tr, m, sizeof(*tr), trip_cmp);
	t->rp = xcalloc(n + 1, sizeof(size_t));
	t->col = xmalloc(m * sizeof(uint32_t));
	t->val = xmalloc(m * sizeof(double));
	for (i = 0, j = 0; i < m; i++) {
		if (j > 0 && tr[i - 1].i == tr[i].i &&
		    t->col[j - 1] == tr[i].j) {
			t->val[j - 1] += tr[i].v;
			continue;
		}
		t->col[j] = tr[i].j;
		t->val[j] = tr[i].v;
		t->rp[tr[i].i + 1]++;
		j++;
	}
	for (i = 0; i < n; i++)
		t->rp[i + 1] += t->rp[i];
	for (i = 0; i < j; i++)
		sum += t->val[i];
	if (sum < DBL_EPSILON)
		sum = DBL_EPSILON;
	for (i = 0; i < j; i++)
		t->val[i] /= sum;
	free(tr);
	free(cond);
	free(t->hits);
	t->hits = NULL;
	return 0;
}

/* ---- the space-partitioning tree (quadtree for k = 2) ---- */

static size_t
tree_child(const struct tnode *nd, const double *p, size_t k)
{
	size_t j, c = 0;

	for (j = 0; j < k; j++)
		if (p[j] > nd->ctr[j])
			c |= (size_t)1 << j;
	return c;
}

static void
tree_insert(struct tree *tr, const double *y, size_t k, size_t i)
{
	const double *p = y + i * k;
	size_t cur = 0, depth = 0, j, nch = (size_t)1 << k;

	for (;;) {
		struct tnode *nd = &tr->nd[cur];
		size_t c = nd->count, first, q, oc;

		for (j = 0; j < k; j++)
			nd->com[j] += (p[j] - nd->com[j]) / (double)(c + 1);
		nd->count = c + 1;
		if (nd->child != 0) {
			cur = nd->child + tree_child(nd, p, k);
			depth++;
			continue;
		}
		if (c == 0) {
			nd->point = i;
			return;
		}
		q = nd->point;
		if (depth >= TREE_MAXDEPTH ||
		    memcmp(p, y + q * k, k * sizeof(double)) == 0)
			return;		/* a pile of equal points */
		/* split: the old points (all at y[q]) move to one child */
		if (tr->nn + nch > tr->cap) {
			tr->cap = 2 * (tr->nn + nch);
			tr->nd = xreallocarray(tr->nd, tr->cap, sizeof(*tr->nd));
			nd = &tr->nd[cur];
		}
		first = tr->nn;
		tr->nn += nch;
		for (oc = 0; oc < nch; oc++) {
			struct tnode *ch = &tr->nd[first + oc];

			memset(ch, 0, sizeof(*ch));
			ch->half = nd->half / 2;
			for (j = 0; j < k; j++)
				ch->ctr[j] = nd->ctr[j] + ((oc >> j & 1) ?
				    ch->half : -ch->half);
		}
		nd->child = first;
		oc = first + tree_child(nd, y + q * k, k);
		tr->nd[oc].count = c;
		tr->nd[oc].point = q;
		memcpy(tr->nd[oc].com, y + q * k, k * sizeof(double));
		cur = first + tree_child(nd, p, k);
		depth++;
	}
}

static void
tree_build(struct tree *tr, const double *y, size_t n, size_t k)
{
	double lo[TSNE_MAX_BH_DIM], hi[TSNE_MAX_BH_DIM], half = 0.0;
	size_t i, j;

	if (tr->cap < 1) {
		tr->cap = 2 * n + 8;
		tr->nd = xreallocarray(NULL, tr->cap, sizeof(*tr->nd));
	}
	for (j = 0; j < k; j++)
		lo[j] = hi[j] = y[j];
	for (i = 1; i < n; i++)
		for (j = 0; j < k; j++) {
			if (y[i * k + j] < lo[j])
				lo[j] = y[i * k + j];
			if (y[i * k + j] > hi[j])
				hi[j] = y[i * k + j];
		}
	memset(&tr->nd[0], 0, sizeof(tr->nd[0]));
	for (j = 0; j < k; j++) {
		tr->nd[0].ctr[j] = (lo[j] + hi[j]) / 2;
		if ((hi[j] - lo[j]) / 2 > half)
			half = (hi[j] - lo[j]) / 2;
	}
	tr->nd[0].half = half * (1 + 1e-3) + 1e-12;
	tr->nn = 1;
	for (i = 0; i < n; i++)
		tree_insert(tr, y, k, i);
}

/* ---- gradients ---- */

/* per point: attractive force (P not exaggerated), repulsive force and
 * its share of the normalisation Z */
static void
grad_exact(void *ctx, size_t b, size_t e)
{
	struct tsne *t = ctx;
	size_t i, j, a, n = t->n, k = t->k;
	double diff[16];

	for (i = b; i < e; i++) {
		const double *yi = t->y + i * k, *pi = t->pd + i * n;
		double *at = t->attr + i * k, *re = t->rep + i * k, sq = 0.0;

		for (a = 0; a < k; a++)
			at[a] = re[a] = 0.0;
		for (j = 0; j < n; j++) {
			const double *yj = t->y + j * k;
			double d2 = 0.0, w;

			if (j == i)
				continue;
			for (a = 0; a < k; a++) {
				diff[a] = yi[a] - yj[a];
				d2 += diff[a] * diff[a];
			}
			w = 1.0 / (1.0 + d2);
			sq += w;
			for (a = 0; a < k; a++) {
				at[a] += pi[j] * w * diff[a];
				re[a] += w * w * diff[a];
			}
		}
		t->sumq[i] = sq;
	}
}

static void
grad_bh(void *ctx, size_t b, size_t e)
{
	struct tsne *t = ctx;
	size_t i, s, a, k = t->k, nch = (size_t)1 << t->k;
	size_t stack[TREE_STACK];
	double diff[TSNE_MAX_BH_DIM], th2 = t->theta * t->theta;

	for (i = b; i < e; i++) {
		const double *yi = t->y + i * k;
		double *at = t->attr + i * k, *re = t->rep + i * k, sq = 0.0;
		size_t sp = 0;

		for (a = 0; a < k; a++)
			at[a] = re[a] = 0.0;
		for (s = t->rp[i]; s < t->rp[i + 1]; s++) {
			const double *yj = t->y + (size_t)t->col[s] * k;
			double d2 = 0.0, w;

			for (a = 0; a < k; a++) {
				diff[a] = yi[a] - yj[a];
				d2 += diff[a] * diff[a];
			}
			w = t->val[s] / (1.0 + d2);
			for (a = 0; a < k; a++)
				at[a] += w * diff[a];
		}
		stack[sp++] = 0;
		while (sp > 0) {
			const struct tnode *nd = &t->tree.nd[stack[--sp]];
			double d2 = 0.0, w, wc, width;

			if (nd->count == 0)
				continue;
			for (a = 0; a < k; a++) {
				diff[a] = yi[a] - nd->com[a];
				d2 += diff[a] * diff[a];
			}
			width = 2 * nd->half;
			if (nd->child != 0 && !(width * width < th2 * d2)) {
				for (s = 0; s < nch; s++)
					stack[sp++] = nd->child + s;
				continue;
			}
			if (nd->child == 0 && d2 == 0.0) {
				sq += (double)(nd->count - 1);	/* i itself */
				continue;
			}
			w = 1.0 / (1.0 + d2);
			wc = (double)nd->count * w;
			sq += wc;
			for (a = 0; a < k; a++)
				re[a] += wc * w * diff[a];
		}
		t->sumq[i] = sq;
	}
}

/* grad = 4 (exag * attr - rep / Z) */
static void
gradient(struct tsne *t, double exag, double *grad)
{
	size_t i, a, n = t->n, k = t->k;
	double z = 0.0;

	if (t->exact)
		par_run(t->threads, n, grad_exact, t);
	else {
		tree_build(&t->tree, t->y, n, k);
		par_run(t->threads, n, grad_bh, t);
	}
	for (i = 0; i < n; i++)
		z += t->sumq[i];
	if (z < DBL_EPSILON)
		z = DBL_EPSILON;
	for (i = 0; i < n; i++)
		for (a = 0; a < k; a++)
			grad[i * k + a] = 4.0 * (exag * t->attr[i * k + a] -
			    t->rep[i * k + a] / z);
}

/* iterations [from, to) of gradient descent with momentum and gains */
static void
descend(struct tsne *t, long from, long to, double momentum, double exag,
    double lr)
{
	size_t i, m = t->n * t->k;
	double *grad = xmalloc(m * sizeof(double));
	double *upd = xcalloc(m, sizeof(double));
	double *gain = xmalloc(m * sizeof(double));
	long it;

	for (i = 0; i < m; i++)
		gain[i] = 1.0;
	for (it = from; it < to; it++) {
		double norm = 0.0;

		gradient(t, exag, grad);
		for (i = 0; i < m; i++) {
			double g = grad[i];

			if (upd[i] * g < 0.0)
				gain[i] += 0.2;
			else
				gain[i] *= 0.8;
			if (gain[i] < TSNE_MIN_GAIN)
				gain[i] = TSNE_MIN_GAIN;
			g *= gain[i];
			norm += g * g;
			upd[i] = momentum * upd[i] - lr * g;
			t->y[i] += upd[i];
		}
		if ((it + 1) % TSNE_CHECK == 0 && sqrt(norm) <= TSNE_MIN_GRAD)
			break;
	}
	free(grad);
	free(upd);
	free(gain);
}

/* scikit-learn's init='pca': the PCA scores scaled so that the first
 * axis has standard deviation 1e-4; random N(0, 1e-4^2) otherwise */
static int
init_y(struct tsne *t, const struct tsne_opts *o, struct emb_err *e)
{
	size_t i, n = t->n, k = t->k;
	double mean = 0.0, var = 0.0;

	if (o->init == TSNE_INIT_PCA && k <= t->d) {
		struct pca p;
		float *f = xmalloc(n * k * sizeof(float));

		if (pca_fit(&p, t->x, n, t->d, k, o->threads, e) < 0) {
			free(f);
			return -1;
		}
		pca_project(&p, t->x, n, f);
		pca_free(&p);
		for (i = 0; i < n; i++)
			mean += f[i * k];
		mean /= (double)n;
		for (i = 0; i < n; i++)
			var += (f[i * k] - mean) * (f[i * k] - mean);
		var /= (double)n;
		if (var > 0) {
			double sc = 1e-4 / sqrt(var);

			for (i = 0; i < n * k; i++)
				t->y[i] = (double)f[i] * sc;
			free(f);
			return 0;
		}
		free(f);	/* all points equal along the axis: random */
	}
	{
		struct rng r;

		rng_seed(&r, o->seed, 0);
		for (i = 0; i < n * k; i++)
			t->y[i] = 1e-4 * rng_normal(&r);
	}
	return 0;
}

int
tsne_run(const float *x, size_t n, size_t d, const struct tsne_opts *o,
    float *y, struct emb_err *e)
{
	struct tsne t;
	double lr;
	long explore;
	size_t i;
	int r = -1;

	if (n < 2) {
		err_set(e, NULL, 0, "t-SNE needs at least 2 points, got %zu", n);
		return -1;
	}
	if (!(o->perplexity < tsne_max_perplexity(n))) {
		err_set(e, NULL, 0, "perplexity %g is too large for %zu points "
		    "(it must be less than %g)", o->perplexity, n,
		    tsne_max_perplexity(n));
		return -1;
	}
	memset(&t, 0, sizeof(t));
	t.n = n;
	t.k = o->k;
	t.x = x;
	t.d = d;
	t.perp = o->perplexity;
	t.threads = par_threads(o->threads);
	t.theta = o->theta;
	if (t.theta < 0)
		t.theta = n < TSNE_EXACT_BELOW ? 0.0 : 0.5;
	t.exact = t.theta == 0.0;
	if (!t.exact && t.k > TSNE_MAX_BH_DIM) {
		err_set(e, NULL, 0, "Barnes-Hut t-SNE works in at most %d "
		    "dimensions, not %zu (use the exact method, theta 0)",
		    TSNE_MAX_BH_DIM, t.k);
		return -1;
	}
	if (t.exact && t.k > 16) {
		err_set(e, NULL, 0, "t-SNE into %zu dimensions: at most 16",
		    t.k);
		return -1;
	}
	t.y = xmalloc(n * t.k * sizeof(double));
	t.attr = xmalloc(n * t.k * sizeof(double));
	t.rep = xmalloc(n * t.k * sizeof(double));
	t.sumq = xmalloc(n * sizeof(double));
	if (t.exact)
		exact_affinities(&t);
	else if (sparse_affinities(&t, e) < 0)
		goto out;
	if (init_y(&t, o, e) < 0)
		goto out;
	lr = o->learning_rate;
	if (lr <= 0) {
		lr = (double)n / o->exaggeration / 4;
		if (lr < 50)
			lr = 50;
	}
	explore = o->iterations < TSNE_EXPLORE ? o->iterations : TSNE_EXPLORE;
	descend(&t, 0, explore, 0.5, o->exaggeration, lr);
	if (o->iterations > explore)
		descend(&t, explore, o->iterations, 0.8, 1.0, lr);
	for (i = 0; i < n * t.k; i++)
		y[i] = (float)t.y[i];
	r = 0;
out:
	free(t.y);
	free(t.attr);
	free(t.rep);
	free(t.sumq);
	free(t.pd);
	free(t.rp);
	free(t.col);
	free(t.val);
	free(t.hits);
	free(t.tree.nd);
	return r;
}
