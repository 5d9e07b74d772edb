/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "util.h"

struct ranked {
	double v;
	size_t i;
};

static int
cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->v < b->v)
		return -1;
	if (a->v > b->v)
		return 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * Sort (value, index) pairs, then give each run of equal values the mean
 * of the ranks it spans: (first + last) / 2 with 1-based ranks.
 * O(n log n).
 */
void
stats_rank(const double *x, size_t n, double *rank)
{
	struct ranked *r;
	size_t i, j, k;

	if (n == 0)
		return;
	r = xreallocarray(NULL, n, sizeof(*r));
	for (i = 0; i < n; i++) {
		r[i].v = x[i];
		r[i].i = i;
	}
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (i = 0; i < n; i = j) {
		double avg;

		for (j = i + 1; j < n && r[j].v == r[i].v; j++)
			;
		avg = ((double)(i + 1) + (double)j) / 2.0;
		for (k = i; k < j; k++)
			rank[r[k].i] = avg;
	}
	free(r);
}

/*
 * Centre both inputs, then r = <x', y'> / (|x'| |y'|), clipped to
 * [-1, 1] against rounding (as scipy does).
 */
double
stats_pearson(const double *x, const double *y, size_t n)
{
	double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0, r;
	size_t i;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	for (i = 0; i < n; i++) {
		double dx = x[i] - mx, dy = y[i] - my;

		sxy += dx * dy;
		sxx += dx * dx;
		syy += dy * dy;
	}
	if (sxx == 0 || syy == 0)
		return NAN;
	r = sxy / (sqrt(sxx) * sqrt(syy));
	if (r > 1)
		r = 1;
	if (r < -1)
		r = -1;
	return r;
}

double
stats_spearman(const double *x, const double *y, size_t n)
{
	double *rx, *ry, r;

	if (n < 2)
		return NAN;
	rx = xreallocarray(NULL, n, sizeof(*rx));
	ry = xreallocarray(NULL, n, sizeof(*ry));
	stats_rank(x, n, rx);
	stats_rank(y, n, ry);
	r = stats_pearson(rx, ry, n);
	free(rx);
	free(ry);
	return r;
}

#define LENTZ_TINY 1e-300

/*
 * One step of the modified Lentz method with partial numerator aa: the
 * new c and d, and the factor the fraction's value is multiplied by
 */
static double
lentz(double aa, double *c, double *d)
{
	*d = 1 + aa * *d;
	if (fabs(*d) < LENTZ_TINY)
		*d = LENTZ_TINY;
	*c = 1 + aa / *c;
	if (fabs(*c) < LENTZ_TINY)
		*c = LENTZ_TINY;
	*d = 1 / *d;
	return *d * *c;
}

/*
 * Continued fraction for the regularised incomplete beta function
 * (modified Lentz; Numerical Recipes' betacf), valid for
 * x < (a + 1) / (a + b + 2): two steps per m, the even and odd terms.
 */
static double
betacf(double a, double b, double x)
{
	const double eps = 1e-15;
	double c = 1, d, h, del;
	int m;

	d = 1 - (a + b) * x / (a + 1);
	if (fabs(d) < LENTZ_TINY)
		d = LENTZ_TINY;
	d = 1 / d;
	h = d;
	for (m = 1; m <= 10000; m++) {
		double m2 = 2.0 * m;

		h *= lentz(m * (b - m) * x / ((a + m2 - 1) * (a + m2)), &c, &d);
		del = lentz(-(a + m) * (a + b + m) * x / ((a + m2) *
		    (a + m2 + 1)), &c, &d);
		h *= del;
		if (fabs(del - 1) < eps)
			break;
	}
	return h;
}

/* I_x(a, b) */
static double
betai(double a, double b, double x)
{
	double lbt;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
	    b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lbt) * betacf(a, b, x) / a;
	return 1 - exp(lbt) * betacf(b, a, 1 - x) / b;
}

/*
 * With df = n - 2 and t^2 = r^2 df / (1 - r^2), the two-sided tail of
 * Student's t is I_{df / (df + t^2)}(df / 2, 1 / 2) = I_{1 - r^2}(df/2, 1/2).
 */
double
stats_corr_pvalue(double r, size_t n)
{
	double df;

	if (n < 3 || isnan(r))
		return NAN;
	if (fabs(r) >= 1)
		return 0;
	df = (double)(n - 2);
	return betai(df / 2, 0.5, 1 - r * r);
}
