/* See LICENSE file for copyright and license details. */
#ifndef EMB_SIMEVAL_H
#define EMB_SIMEVAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "knn.h"
#include "model.h"
#include "vocab.h"

/*
 * Word-similarity evaluation against human judgements (WordSim-353,
 * SimLex-999, MEN): the figures gensim's
 * KeyedVectors.evaluate_word_pairs reports for the same table.
 */

/*
 * Case folding of evaluation words and of the table's tokens.  ASCII
 * only: bytes >= 0x80 are kept as they are.
 */
enum simeval_fold { SIMEVAL_FOLD_NONE, SIMEVAL_FOLD_UPPER, SIMEVAL_FOLD_LOWER };
int simeval_fold_byname(const char *name, enum simeval_fold *out);

/*
 * The evaluation vocabulary: the first n = min(restrict, V) rows of a
 * model, looked up by folded token; when several rows fold to the same
 * key the first (most frequent) wins, as in compute-accuracy.c and gensim.
 */
struct simeval_vocab {
	struct model *m;
	size_t n;		/* rows [0, n) take part */
	enum simeval_fold fold;
	struct vocab keys;	/* folded keys, in order of first row */
	uint32_t *row;		/* key id -> first row with that key */
	uint32_t *canon;	/* row -> first row with the same key */
	char *buf;		/* fold scratch */
	size_t cap;
};

/* restrict 0 = all rows */
void simeval_vocab_init(struct simeval_vocab *ev, struct model *m,
    size_t restrict_n, enum simeval_fold fold);
void simeval_vocab_free(struct simeval_vocab *ev);
/* row of the word (folded), or -1 */
long simeval_vocab_find(struct simeval_vocab *ev, const char *tok, size_t len);

/* a word-similarity set: "w1 w2 score" lines */
struct simeval_pair {
	char *a, *b;
	double gold;
	size_t line;
};

struct simeval_set {
	char *name;
	struct simeval_pair *p;
	size_t n, cap;
};

/*
 * Read a set: fields separated by tabs if the line has one, else by
 * commas if it has one, else by blanks; exactly three fields, the third a
 * finite number.  Blank lines and lines starting with '#' are skipped.
 * Errors carry file:line; an empty set is an error.
 */
int simeval_load(struct simeval_set *s, const char *path, struct emb_err *e);
/* the same from an open source */
int simeval_read(struct simeval_set *s, struct src *src, struct emb_err *e);
void simeval_set_free(struct simeval_set *s);

struct simeval_result {
	size_t total;		/* pairs in the set */
	size_t used;		/* pairs in the correlation */
	size_t oov;		/* pairs with a word outside the vocabulary */
	size_t oov_scored;	/* of those, scored by n-grams (SIMEVAL_OOV_SUBWORD) */
	size_t zero;		/* pairs with a zero vector (cosine 0) */
	double oov_ratio;	/* percent: oov / total * 100 */
	double spearman, spearman_p;
	double pearson, pearson_p;
};

/* what a pair with a word outside the vocabulary gets */
enum simeval_oov {
	SIMEVAL_OOV_SKIP,	/* left out (gensim's default) */
	SIMEVAL_OOV_ZERO,	/* scored 0 (gensim's dummy4unknown) */
	SIMEVAL_OOV_SUBWORD	/* the unseen word's n-gram vector (model_vector),
				 * on a model with subwords; else left out */
};

/*
 * Score every pair whose words are both in ev; a pair with an unknown word
 * is treated as oov says.  Fails when no pair is left.
 */
int simeval_run(const struct simeval_set *s, struct simeval_vocab *ev,
    enum knn_metric metric, enum simeval_oov oov, struct simeval_result *r,
    struct emb_err *e);

/*
 * The whole evaluation of m on the set in path (simeval_load,
 * simeval_vocab_init with restrict_n and fold, simeval_run): 0 with *r
 * filled, or -1 with e.
 */
int simeval_eval(struct model *m, const char *path, size_t restrict_n,
    enum simeval_fold fold, enum knn_metric metric, enum simeval_oov oov,
    struct simeval_result *r, struct emb_err *e);
/*
 * Write r as "name<TAB>value" lines, as emb-sim --eval prints it: pairs,
 * used, oov, oov_ratio (%.6f), spearman and pearson (%.6f) with their
 * p-values (%.6g), and oov_scored when oov is SIMEVAL_OOV_SUBWORD.
 * 0, or -1 on a write error.
 */
int simeval_write_result(FILE *f, const struct simeval_result *r,
    enum simeval_oov oov);

#endif
