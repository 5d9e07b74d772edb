/* See LICENSE file for copyright and license details. */
#ifndef EMB_POOL_H
#define EMB_POOL_H

#include <stddef.h>

/*
 * Pooling: many rows of dimension d in, one vector of dimension d out
 * (sentence vectors, multi-token queries).  Rows are added one at a time
 * with pool_add; pool_get gives the result.  The modes:
 *
 *   mean   the mean of the L2-normalised rows, rows of norm 0 left out:
 *          fastText's print-sentence-vectors for unsupervised models
 *          (FastText::getSentenceVector, fastText 0.9.2), and gensim's
 *          KeyedVectors.get_mean_vector with its default pre_normalize
 *          (which gives NaN on a zero row, where this skips it).  The
 *          arithmetic is fastText's, in float32 and in its order: the norm
 *          summed in float, the row scaled by (float)(1.0 / norm), summed,
 *          the sum scaled by (float)(1.0 / count).
 *   avg    the arithmetic mean of the rows (get_mean_vector with
 *          pre_normalize=False)
 *   sum    the sum of the rows
 *   max    the element-wise maximum
 *   first  the first row, last  the last row
 *
 * No rows (or, for mean, only zero rows) give the zero vector.
 */
enum pool_mode { POOL_MEAN, POOL_AVG, POOL_SUM, POOL_MAX, POOL_FIRST,
    POOL_LAST };

struct pool {
	enum pool_mode mode;
	size_t d;
	size_t n;		/* rows that count so far */
	float *acc;		/* d floats */
};

/* the mode named name ("mean", "avg", ...): 0, or -1 if unknown */
int pool_byname(const char *name, enum pool_mode *m);
const char *pool_name(enum pool_mode m);
/* the names, for messages: "mean, avg, sum, max, first, last" */
extern const char pool_names[];

void pool_init(struct pool *p, enum pool_mode m, size_t d);
void pool_free(struct pool *p);
/* start a new group of rows */
void pool_reset(struct pool *p);
/* add one row of d floats */
void pool_add(struct pool *p, const float *row);
/* the pooled vector into out[d]; returns the number of rows that counted */
size_t pool_get(const struct pool *p, float *out);

/*
 * gensim's KeyedVectors.doesnt_match: of n rows of d floats (rows[i]),
 * the one least like the others: the lowest dot product of its
 * L2-normalised row with the normalised mean of all the normalised rows
 * (float32 throughout, as gensim).  Ties go to the smaller label in byte
 * order (gensim sorts (score, word) pairs), when labels is not NULL.
 * Returns its index, or -1 when n is 0 or a row has norm 0 (gensim
 * would score it NaN); the scores go to score[n] when score is not NULL.
 */
long pool_odd_one_out(const float *const *rows, size_t n, size_t d,
    const char *const *labels, float *score);

#endif
