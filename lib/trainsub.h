/* See LICENSE file for copyright and license details. */
#ifndef EMB_TRAINSUB_H
#define EMB_TRAINSUB_H

/*
 * fastText's subword model in training (Bojanowski et al. 2017; fastText's
 * src/model.cc): a word's rows are its own and its n-grams' buckets.
 * Private to training (train.c); the steps go through trainstep.
 */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "table.h"
#include "train.h"
#include "trainstep.h"

/*
 * train_run's subword set-up: t's n-gram rows (or new ones drawn) into
 * sh->syn0 after its V word rows, t->ngrams freed, the words' row lists
 * made; and after training, the n-gram rows back into t (t->ngrams takes
 * sh->syn0) and t->vec composed (table_compose)
 */
void trainsub_begin(struct shared *sh, struct table *t, uint64_t seed);
void trainsub_end(struct shared *sh, struct table *t);
/* the rows of each word (its own, then its n-grams' buckets) */
void trainsub_lists(struct shared *sh, const struct table *t);
/* one position i of sen, its window [lo, hi], over the words' rows */
void trainsub_step(struct wstate *ws, const uint32_t *sen, size_t i,
    size_t lo, size_t hi);
/* t (train_table's) made a subword model as train_table says */
int trainsub_table(struct table *t, const struct train_opts *o,
    const struct table *init, struct emb_err *e);
/* bucket n-gram rows of stride dp drawn as train_table says */
void trainsub_draw(float *rows, size_t dp, size_t d, size_t V, size_t bucket,
    uint64_t seed);

#endif
