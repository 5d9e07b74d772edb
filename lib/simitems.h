/* See LICENSE file for copyright and license details. */
#ifndef EMB_SIMITEMS_H
#define EMB_SIMITEMS_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "knn.h"
#include "model.h"
#include "points.h"
#include "tokvocab.h"

/*
 * emb-sim's items: what is compared, read from operands or a stream and
 * held as labelled points (lib/points.h), then scored two at a time or
 * all against all.  An item is a token of a model (its row, or for a
 * model with subwords an unseen word's n-gram vector, model_vector), a
 * row ID, a word or phrase through a tokenizer (tokquery_vector), or a
 * row of a vector stream (lib/vstream.h).  Scores are knn_score's, so
 * they agree with emb-nn's to the last bit.
 *
 * Pairs: each two items are written as a hit line "a, b, score"
 * (hits_write) as soon as the second arrives, then forgotten, so a pair
 * stream costs O(d) memory.  Matrix: all items are kept (n x d floats)
 * and simitems_matrix writes the n x n scores.
 *
 * Errors: the functions return 0, -1 with e filled ("file:line: ...",
 * or no place for operands): an unknown token, an ID that is not a row,
 * a tokenizer error, a row with NaN or Inf, a zero vector under cosine,
 * a line that is not a pair, an odd number of vectors; or
 * SIMITEMS_EWRITE when writing failed (errno is the write's: EPIPE means
 * the reader went away).
 */
#define SIMITEMS_EWRITE (-2)

struct simitems_opts {
	enum knn_metric metric;
	int matrix;		/* keep every item for simitems_matrix */
	int ids;		/* tokens are row IDs */
	int csv;		/* write CSV */
	int odd;		/* each line, or the operands, is a group: write
				 * its odd one out (pool_odd_one_out) */
	struct tokquery *text;	/* items are words and phrases, or NULL */
};

struct simitems {
	struct points it;	/* the items: labels and vectors */
	/* private */
	struct simitems_opts o;
	struct model *m;	/* NULL: items come from a vector stream */
	FILE *out;
	float *v;		/* d floats of scratch */
};

/*
 * Get ready to compare items of m (NULL for simitems_vectors; m must
 * outlive s) and write the scores to out.
 */
void simitems_init(struct simitems *s, struct model *m,
    const struct simitems_opts *o, FILE *out);
void simitems_free(struct simitems *s);

/*
 * One item: a token (with opts.ids a row ID, with opts.text a word or
 * phrase); file and line (NULL, 0: none) name it in messages.  The pair
 * is written when this is its second item.
 */
int simitems_add(struct simitems *s, const char *tok, const char *file,
    size_t line, struct emb_err *e);
/* the operands as items, in order (with opts.odd: one group) */
int simitems_args(struct simitems *s, char *const *args, size_t n,
    struct emb_err *e);
/*
 * Items from a stream of lines (path "-" = stdin): "a b" lines of two
 * tokens (blank lines skipped), or with opts.matrix any number of tokens
 * a line; with opts.text the fields are separated by tabs, not blanks.
 */
int simitems_stream(struct simitems *s, const char *path, struct emb_err *e);
/*
 * Items from a vector stream (text or binary, "-" = stdin), labelled by
 * their labels, else by their row numbers; without opts.matrix an odd
 * number of rows is an error.
 */
int simitems_vectors(struct simitems *s, const char *path,
    struct emb_err *e);

/*
 * Write the n x n scores of all n items, labelled on the rows and
 * columns: aligned columns (the width of the widest label or score,
 * "%.6f"), or CSV (a header row starting with an empty cell; fields
 * quoted as lib/csvio.h does).  Nothing for no items.  O(n^2 d) time,
 * O(n^2) memory.
 */
int simitems_matrix(struct simitems *s, struct emb_err *e);

#endif
