/* See LICENSE file for copyright and license details. */
#ifndef EMB_TRAINOPTS_H
#define EMB_TRAINOPTS_H

#include <stddef.h>

#include "err.h"
#include "table.h"
#include "train.h"
#include "vocab.h"

/*
 * emb-train's command line checked as a whole, once getopt has read each
 * option on its own: what the options say together, and what they say
 * with --init's model and the tokenizer.  A mismatch of options is a
 * usage error (TRAINOPTS_USAGE; the message names the options and what
 * to give instead); one with a file is that file's error (-1).
 */
#define TRAINOPTS_USAGE (-2)

/*
 * The rows of an --ids model.  *rows is -V, 0 when not given: then
 * init's row count (init NULL: no --init, else read from initpath), else
 * the tokenizer's vocabulary size.  With the tokenizer spec tok (-t or
 * $EMB_TOKENIZER; may be NULL) names (empty) gets the rows' names
 * (tokvocab_names) and *rows must fit the tokenizer (vocab_fits).
 * Returns 0; TRAINOPTS_USAGE when -V does not fit the tokenizer, or
 * nothing gives the rows; -1 when tok cannot be opened or init's rows do
 * not fit it (e names initpath).
 */
int trainopts_rows(size_t *rows, struct vocab *names, const char *tok,
    const struct table *init, const char *initpath, struct emb_err *e);

/*
 * What o says on its own, before any file is read (so that a mistyped
 * option is not reported after reading a large --init): with ids no
 * subword option; --bucket 0 not with --minn or --maxn; an --alpha
 * given above 0 and --min-alpha not above it; negative 0 only with
 * hierarchical softmax.  Returns 0, or -1 with e (a usage error).
 */
int trainopts_args(const struct train_opts *o, int ids, struct emb_err *e);

/*
 * Complete o and check it (trainopts_args, then what needs init), with
 * init (--init's model, may be NULL) read and ids (--ids) known:
 * - subwords: o's minn, maxn and bucket (-1: not given) as train_table
 *   wants them: those not given are init's when init has n-grams, else
 *   fastText's defaults (3, 6, 2000000) when one is given; none given
 *   and no n-grams in init: all 0, the word model.  maxn 0 or bucket 0
 *   given is the word model too (also from a subword init), unless the
 *   other asks for n-grams (bucket 0 with maxn above 0, or with minn
 *   and no maxn).  They must fit together (subword_check) and, when
 *   init has n-grams and subwords stay on, match init's in train_table.
 *   With ids none may be given (n-grams of decimal IDs mean nothing)
 *   and init's n-grams are not used.
 * - the learning rates: o->alpha (-1: train_default_alpha) above 0,
 *   o->min_alpha (-1: alpha * 1e-4) not above it.
 * - negative 0 only with hierarchical softmax.
 * Returns 0, or -1 with e: every failure is a usage error.
 */
int trainopts_check(struct train_opts *o, const struct table *init,
    int ids, struct emb_err *e);

#endif
