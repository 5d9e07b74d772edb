/* See LICENSE file for copyright and license details. */
#ifndef EMB_STATS_H
#define EMB_STATS_H

#include <stddef.h>

/*
 * Correlation statistics for word-similarity evaluation, computed in
 * double precision the way scipy.stats computes them.
 */

/* ranks 1..n of x; tied values get the average of their ranks
 * (scipy.stats.rankdata, method "average") */
void stats_rank(const double *x, size_t n, double *rank);
/* Pearson r of x and y; NaN when n < 2 or either input is constant */
double stats_pearson(const double *x, const double *y, size_t n);
/* Spearman rho: the Pearson r of the average ranks */
double stats_spearman(const double *x, const double *y, size_t n);
/*
 * Two-sided p-value of a correlation r over n pairs under the null
 * hypothesis of no correlation (Student t with n - 2 degrees of freedom,
 * as scipy's pearsonr and spearmanr report); NaN when n < 3 or r is NaN.
 */
double stats_corr_pvalue(double r, size_t n);

#endif
