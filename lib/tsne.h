/* See LICENSE file for copyright and license details. */
#ifndef EMB_TSNE_H
#define EMB_TSNE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * t-SNE (van der Maaten and Hinton 2008) the way scikit-learn runs it:
 * perplexity calibrated by binary search on squared Euclidean distances,
 * early exaggeration 12 for 250 iterations with momentum 0.5, then
 * momentum 0.8, gains (+0.2 / x0.8, at least 0.01), learning rate
 * max(n / exaggeration / 4, 50), PCA initialisation scaled to a standard
 * deviation of 1e-4 in the first axis.  Exact gradients (O(n^2) per
 * iteration), or Barnes-Hut (theta > 0: a 2^k-ary space tree, O(n log n)
 * per iteration, affinities over the 3 * perplexity nearest neighbours).
 */
enum tsne_init { TSNE_INIT_PCA, TSNE_INIT_RANDOM };

#define TSNE_EXACT_BELOW 1000	/* automatic method: exact under this */
#define TSNE_MAX_BH_DIM 3	/* Barnes-Hut trees for k <= 3 */

struct tsne_opts {
	size_t k;		/* output dimension */
	double perplexity;	/* 30 */
	long iterations;	/* 1000, the first 250 exaggerated */
	double theta;		/* Barnes-Hut angle; 0 = exact; < 0 = auto */
	double exaggeration;	/* 12 */
	double learning_rate;	/* 0 = auto */
	enum tsne_init init;
	uint64_t seed;		/* for TSNE_INIT_RANDOM */
	int threads;		/* 0 = all cores */
};

void tsne_defaults(struct tsne_opts *o);
/* the largest perplexity n points allow (a value must be below it) */
double tsne_max_perplexity(size_t n);
/* embed n x d rows of x into y (n x o->k); -1 with e on bad input */
int tsne_run(const float *x, size_t n, size_t d, const struct tsne_opts *o,
    float *y, struct emb_err *e);

#endif
