/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "pca.h"
#include "util.h"

#define PCA_BLOCK 64	/* rows per covariance block */

/*
 * Householder reduction of the symmetric matrix v (n x n, row-major) to
 * tridiagonal form: d gets the diagonal, e the subdiagonal (e[0] = 0) and
 * v the accumulated transformation (columns).  After EISPACK tred2.
 */
static void
tred2(double *v, size_t n, double *d, double *e)
{
	size_t i, j, k;
	double f, g, h, hh, scale;

#define V(r, c) v[(r) * n + (c)]
	for (j = 0; j < n; j++)
		d[j] = V(n - 1, j);
	for (i = n - 1; i > 0; i--) {
		scale = 0.0;
		h = 0.0;
		for (k = 0; k < i; k++)
			scale += fabs(d[k]);
		if (scale == 0.0) {
			e[i] = d[i - 1];
			for (j = 0; j < i; j++) {
				d[j] = V(i - 1, j);
				V(i, j) = 0.0;
				V(j, i) = 0.0;
			}
		} else {
			for (k = 0; k < i; k++) {
				d[k] /= scale;
				h += d[k] * d[k];
			}
			f = d[i - 1];
			g = sqrt(h);
			if (f > 0)
				g = -g;
			e[i] = scale * g;
			h -= f * g;
			d[i - 1] = f - g;
			for (j = 0; j < i; j++)
				e[j] = 0.0;
			for (j = 0; j < i; j++) {
				f = d[j];
				V(j, i) = f;
				g = e[j] + V(j, j) * f;
				for (k = j + 1; k < i; k++) {
					g += V(k, j) * d[k];
					e[k] += V(k, j) * f;
				}
				e[j] = g;
			}
			f = 0.0;
			for (j = 0; j < i; j++) {
				e[j] /= h;
				f += e[j] * d[j];
			}
			hh = f / (h + h);
			for (j = 0; j < i; j++)
				e[j] -= hh * d[j];
			for (j = 0; j < i; j++) {
				f = d[j];
				g = e[j];
				for (k = j; k < i; k++)
					V(k, j) -= f * e[k] + g * d[k];
				d[j] = V(i - 1, j);
				V(i, j) = 0.0;
			}
		}
		d[i] = h;
	}
	for (i = 0; i + 1 < n; i++) {
		V(n - 1, i) = V(i, i);
		V(i, i) = 1.0;
		h = d[i + 1];
		if (h != 0.0) {
			for (k = 0; k <= i; k++)
				d[k] = V(k, i + 1) / h;
			for (j = 0; j <= i; j++) {
				g = 0.0;
				for (k = 0; k <= i; k++)
					g += V(k, i + 1) * V(k, j);
				for (k = 0; k <= i; k++)
					V(k, j) -= g * d[k];
			}
		}
		for (k = 0; k <= i; k++)
			V(k, i + 1) = 0.0;
	}
	for (j = 0; j < n; j++) {
		d[j] = V(n - 1, j);
		V(n - 1, j) = 0.0;
	}
	V(n - 1, n - 1) = 1.0;
	e[0] = 0.0;
#undef V
}

/*
 * Implicit QL on the tridiagonal (d, e); w holds the transformation
 * TRANSPOSED (vectors as rows) so that each rotation runs over two
 * contiguous rows.  After EISPACK tql2.
 */
static void
tql2(double *w, size_t n, double *d, double *e)
{
	size_t i, k, l, m;
	double f = 0.0, tst1 = 0.0, eps = ldexp(1.0, -52);

	for (i = 1; i < n; i++)
		e[i - 1] = e[i];
	e[n - 1] = 0.0;
	for (l = 0; l < n; l++) {
		if (fabs(d[l]) + fabs(e[l]) > tst1)
			tst1 = fabs(d[l]) + fabs(e[l]);
		m = l;
		while (m < n - 1 && fabs(e[m]) > eps * tst1)
			m++;
		if (m > l) {
			int iter = 0;

			do {
				double g, p, r, dl1, h, c, c2, c3, el1, s, s2;

				iter++;
				g = d[l];
				p = (d[l + 1] - g) / (2.0 * e[l]);
				r = hypot(p, 1.0);
				if (p < 0)
					r = -r;
				d[l] = e[l] / (p + r);
				d[l + 1] = e[l] * (p + r);
				dl1 = d[l + 1];
				h = g - d[l];
				for (i = l + 2; i < n; i++)
					d[i] -= h;
				f += h;
				p = d[m];
				c = 1.0;
				c2 = c;
				c3 = c;
				el1 = e[l + 1];
				s = 0.0;
				s2 = 0.0;
				for (i = m; i-- > l;) {
					double *wi = w + i * n, *wj = wi + n;

					c3 = c2;
					c2 = c;
					s2 = s;
					g = c * e[i];
					h = c * p;
					r = hypot(p, e[i]);
					e[i + 1] = s * r;
					s = e[i] / r;
					c = p / r;
					p = c * d[i] - s * g;
					d[i + 1] = h + s * (c * g + s * d[i]);
					for (k = 0; k < n; k++) {
						h = wj[k];
						wj[k] = s * wi[k] + c * h;
						wi[k] = c * wi[k] - s * h;
					}
				}
				p = -s * s2 * c3 * el1 * e[l] / dl1;
				e[l] = s * p;
				d[l] = c * p;
			} while (fabs(e[l]) > eps * tst1 && iter < 100);
		}
		d[l] += f;
		e[l] = 0.0;
	}
}

void
pca_eigen(double *a, size_t n, double *w)
{
	double *e, *t, *v;
	size_t i, j, *idx;

	if (n == 0)
		return;
	e = xcalloc(n, sizeof(double));
	t = xmalloc(n * n * sizeof(double));
	tred2(a, n, w, e);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			t[i * n + j] = a[j * n + i];
	tql2(t, n, w, e);
	/* selection sort by eigenvalue, ascending (n is small next to n^3) */
	idx = xmalloc(n * sizeof(size_t));
	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = 0; i < n; i++) {
		size_t best = i;

		for (j = i + 1; j < n; j++)
			if (w[idx[j]] < w[idx[best]])
				best = j;
		j = idx[i];
		idx[i] = idx[best];
		idx[best] = j;
	}
	v = e;
	for (i = 0; i < n; i++)
		v[i] = w[idx[i]];
	memcpy(w, v, n * sizeof(double));
	for (i = 0; i < n; i++)
		memcpy(a + i * n, t + idx[i] * n, n * sizeof(double));
	free(idx);
	free(t);
	free(e);
}

struct covjob {
	const float *x;
	const double *mean;
	size_t n, d;
	size_t nt;		/* part t owns rows a of C with a % nt == t */
	double *c;		/* d x d, upper triangle */
};

/* C[a][b] += sum over a block of rows of xc[r][a] * xc[r][b], b >= a */
static void
cov_part(const struct covjob *j, size_t t, double *tb)
{
	size_t d = j->d, r0, r, a, b;

	for (r0 = 0; r0 < j->n; r0 += PCA_BLOCK) {
		size_t nb = j->n - r0 < PCA_BLOCK ? j->n - r0 : PCA_BLOCK;

		/* tb: d x nb, the block centred and transposed */
		for (r = 0; r < nb; r++) {
			const float *xr = j->x + (r0 + r) * d;

			for (a = 0; a < d; a++)
				tb[a * PCA_BLOCK + r] = (double)xr[a] - j->mean[a];
		}
		for (a = t; a < d; a += j->nt) {
			const double *ta = tb + a * PCA_BLOCK;
			double *ca = j->c + a * d;

			for (b = a; b < d; b++) {
				const double *tbb = tb + b * PCA_BLOCK;
				double s0 = 0, s1 = 0, s2 = 0, s3 = 0;

				for (r = 0; r + 4 <= nb; r += 4) {
					s0 += ta[r] * tbb[r];
					s1 += ta[r + 1] * tbb[r + 1];
					s2 += ta[r + 2] * tbb[r + 2];
					s3 += ta[r + 3] * tbb[r + 3];
				}
				for (; r < nb; r++)
					s0 += ta[r] * tbb[r];
				ca[b] += (s0 + s1) + (s2 + s3);
			}
		}
	}
}

/* parts [b, e) of the covariance, on one thread (lib/par.h) */
static void
cov_parts(void *arg, size_t b, size_t e)
{
	const struct covjob *j = arg;
	double *tb = xmalloc(j->d * PCA_BLOCK * sizeof(double));

	for (; b < e; b++)
		cov_part(j, b, tb);
	free(tb);
}

/*
 * Fit: O(n d^2) for the covariance (threads split its rows, so the sums
 * do not depend on the thread count) plus O(d^3) for the eigensolver.
 */
int
pca_fit(struct pca *p, const float *x, size_t n, size_t d, size_t k,
    int threads, struct emb_err *e)
{
	double *c, *w;
	struct covjob job;
	size_t i, a, b, nt;

	memset(p, 0, sizeof(*p));
	if (n < 2) {
		err_set(e, NULL, 0, "PCA needs at least 2 points, got %zu", n);
		return -1;
	}
	if (k == 0 || k > d) {
		err_set(e, NULL, 0, "cannot keep %zu components of %zu-dimensional "
		    "vectors", k, d);
		return -1;
	}
	p->d = d;
	p->k = k;
	p->mean = xcalloc(d, sizeof(double));
	for (i = 0; i < n; i++)
		for (a = 0; a < d; a++)
			p->mean[a] += x[i * d + a];
	for (a = 0; a < d; a++)
		p->mean[a] /= (double)n;
	c = xcalloc(d * d, sizeof(double));
	nt = (size_t)par_threads(threads);
	if (nt > d)
		nt = d;
	job.x = x;
	job.mean = p->mean;
	job.n = n;
	job.d = d;
	job.nt = nt;
	job.c = c;
	par_run((int)nt, nt, cov_parts, &job);
	for (a = 0; a < d; a++)
		for (b = a; b < d; b++) {
			c[a * d + b] /= (double)(n - 1);
			c[b * d + a] = c[a * d + b];
		}
	w = xmalloc(d * sizeof(double));
	pca_eigen(c, d, w);
	p->axes = xmalloc(k * d * sizeof(double));
	p->var = xmalloc(k * sizeof(double));
	for (i = 0; i < k; i++) {
		const double *v = c + (d - 1 - i) * d;
		double *ax = p->axes + i * d;
		size_t big = 0;

		p->var[i] = w[d - 1 - i];
		for (a = 1; a < d; a++)
			if (fabs(v[a]) > fabs(v[big]))
				big = a;
		for (a = 0; a < d; a++)
			ax[a] = v[big] < 0 ? -v[a] : v[a];
	}
	free(w);
	free(c);
	return 0;
}

void
pca_project(const struct pca *p, const float *x, size_t n, float *out)
{
	size_t i, j, a, d = p->d;

	for (i = 0; i < n; i++) {
		const float *xi = x + i * d;

		for (j = 0; j < p->k; j++) {
			const double *ax = p->axes + j * d;
			double s = 0.0;

			for (a = 0; a < d; a++)
				s += ((double)xi[a] - p->mean[a]) * ax[a];
			out[i * p->k + j] = (float)s;
		}
	}
}

void
pca_free(struct pca *p)
{
	free(p->mean);
	free(p->axes);
	free(p->var);
	memset(p, 0, sizeof(*p));
}
