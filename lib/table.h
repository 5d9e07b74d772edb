/* See LICENSE file for copyright and license details. */
#ifndef EMB_TABLE_H
#define EMB_TABLE_H

#include <stddef.h>

#include "subword.h"
#include "vocab.h"

/*
 * An embedding table in memory: V x d float32 rows (64-byte aligned),
 * the vocab (which may be empty: rows are then anonymous, labelled by
 * id), optional output (context) vectors, and free-form metadata pairs
 * carried into the safetensors __metadata__.  A fastText subword model
 * also holds its n-gram rows and its word rows as stored (subword.h):
 * vec then holds the word vectors, the mean of each word's row and its
 * n-gram rows.
 */
struct table {
	size_t V, d;
	float *vec;		/* V * d, row-major */
	float *out;		/* V * d or NULL */
	struct vocab vocab;	/* vocab.n == V, or 0 when unlabelled */
	char **meta;		/* key, value, key, value, ..., NULL */
	size_t nmeta;
	/* subwords: all NULL / 0 for a table without them */
	int minn, maxn;		/* n-gram lengths in characters */
	size_t bucket;		/* n-gram rows */
	float *ngrams;		/* bucket x d */
	float *words;		/* V x d, the word rows alone */
};

void table_init(struct table *t);
/* allocate V x d zeros; -1 with a message if V * d * 4 overflows */
int table_alloc(struct table *t, size_t V, size_t d, struct emb_err *e);
void table_free(struct table *t);
static inline float *
table_row(const struct table *t, size_t i)
{
	return t->vec + i * t->d;
}
/* the subword view of t (subword_on() false when t has none) */
void table_subword(const struct table *t, struct subword *sw);
/*
 * vec[i] = fastText's vector of word i (subword_vector): the mean of
 * words[i] and the n-gram rows of the word; t must have subwords
 */
void table_compose(struct table *t);
/* drop the n-gram and word rows (after vec was changed on its own) */
void table_drop_subwords(struct table *t);
/* set (or replace) a metadata pair */
void table_meta_set(struct table *t, const char *key, const char *value);
const char *table_meta_get(const struct table *t, const char *key);
/* scale every row to unit length; rows of norm 0 stay 0; subwords go */
void table_normalize(struct table *t);
/* first row holding NaN or Inf, or -1 */
long table_first_nonfinite(const struct table *t);
/*
 * The rows were unlabelled after all (textvec.h: every token is a
 * number): the tokens become column 0, d grows by one, the vocab goes.
 * -1 (naming name) if V x (d + 1) does not fit.
 */
int table_unlabel(struct table *t, const char *name, struct emb_err *e);

#endif
