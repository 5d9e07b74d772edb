/* See LICENSE file for copyright and license details. */
#ifndef EMB_PCA_H
#define EMB_PCA_H

#include <stddef.h>

#include "err.h"

/*
 * Principal component analysis of n rows of dimension d: the rows are
 * centred, their d x d covariance is formed in double precision and
 * decomposed exactly (Householder tridiagonalisation, then implicit QL).
 * Each axis is a unit vector whose component of largest magnitude is
 * positive (the lowest index among equals), so results are deterministic.
 */
struct pca {
	size_t d, k;
	double *mean;		/* d */
	double *axes;		/* k x d, by decreasing variance */
	double *var;		/* k variances (covariance eigenvalues) */
};

/* fit k <= d axes; threads 0 = all cores; -1 with e on bad input */
int pca_fit(struct pca *p, const float *x, size_t n, size_t d, size_t k,
    int threads, struct emb_err *e);
/* out[n x k] = (x - mean) . axes^T */
void pca_project(const struct pca *p, const float *x, size_t n, float *out);
void pca_free(struct pca *p);

/* eigen decomposition of the symmetric n x n matrix a (row-major,
 * overwritten by the eigenvectors, one per ROW); w gets the eigenvalues in
 * ascending order, row i of a being the vector of w[i] */
void pca_eigen(double *a, size_t n, double *w);

#endif
