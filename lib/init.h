/* See LICENSE file for copyright and license details. */
#ifndef EMB_INIT_H
#define EMB_INIT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "table.h"
#include "vocab.h"

/*
 * Making tables: random initialisers, and rows taken from a pretrained
 * table for a given vocabulary (vocabularies counted from a corpus come
 * from lib/corpus.h).
 *
 * Row i is always drawn from its own stream rng_seed(seed, i), so a row's
 * values depend only on (seed, i, d, initialiser): the same for any V,
 * any thread count and whichever rows are filled.
 */
enum init_kind { INIT_NORMAL, INIT_UNIFORM, INIT_XAVIER, INIT_ZEROS };

struct init_opts {
	enum init_kind kind;
	double std;		/* normal: N(0, std^2) */
	double range;		/* uniform: U(-range, range); <= 0: 0.5 / d */
	uint64_t seed;
};

void init_opts_init(struct init_opts *o);	/* normal, std 1, seed 1 */
int init_byname(const char *name, enum init_kind *k);
const char *init_name(enum init_kind k);
/* describe o for the metadata ("normal std=1 seed=1"); buf of 128 */
void init_describe(const struct init_opts *o, size_t V, size_t d, char *buf,
    size_t size);

/*
 * Fill rows [from, to) of t.  xavier is Glorot uniform as
 * torch.nn.init.xavier_uniform_ on a [V, d] weight (fan_in = d,
 * fan_out = V): U(-a, a), a = sqrt(6 / (V + d)), V = t->V.
 */
void init_rows(struct table *t, size_t from, size_t to,
    const struct init_opts *o);
/* fill one row of d values as row i of a table of V rows */
void init_row(float *row, size_t d, size_t i, size_t V,
    const struct init_opts *o);

/*
 * dst (initialised) gets one row per token of voc, in voc's order: the
 * row of src holding that token, or a random row (o, row index in dst)
 * for tokens src lacks, counted in *missing.  dst's counts come from voc
 * when it has them, else from src.  A subword model src (fastText's)
 * gives dst its n-gram rows (src loses them) and its word rows; a token
 * src lacks gets its n-gram vector as its word row, so its vector is
 * fastText's vector for an unseen word (random only without n-grams).
 */
int init_select(struct table *dst, struct table *src,
    const struct vocab *voc, const struct init_opts *o, size_t *missing,
    struct emb_err *e);

/*
 * A vocabulary: a tokenizer (tokvocab_is_tokenizer: its tokens' readable
 * names, one per ID, tokvocab.h), a vocab.json (by its extension) or
 * vocab_load's lines.
 */
int init_load_vocab(struct vocab *v, const char *path, struct emb_err *e);
/* are a's tokens the first a->n tokens of b, in order (a->n > 0)? */
int init_is_prefix(const struct vocab *a, const struct vocab *b);
/* is tab v's tokens and then unnamed rows (a table padded past v)? */
int init_is_padded(const struct vocab *v, const struct vocab *tab);

#endif
