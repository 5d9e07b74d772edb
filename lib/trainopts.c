/* See LICENSE file for copyright and license details. */
#include <stddef.h>
#include <stdio.h>

#include "subword.h"
#include "tokenizer.h"
#include "tokvocab.h"
#include "train.h"
#include "trainopts.h"
#include "vocab.h"

int
trainopts_rows(size_t *rows, struct vocab *names, const char *tok,
    const struct table *init, const char *initpath, struct emb_err *e)
{
	struct tokenizer *t;
	char pad[96];
	size_t n, given = *rows;
	int rc = -1;

	if (*rows == 0 && init != NULL)
		*rows = init->V;
	if (tok == NULL) {
		if (*rows > 0)
			return 0;
		err_set(e, NULL, 0, "--ids needs -V, -t or --init");
		return TRAINOPTS_USAGE;
	}
	if ((t = tokenizer_open(tok, NULL, e)) == NULL)
		return -1;
	n = tokenizer_vocab_size(t);
	if (*rows == 0)
		*rows = n;
	if (vocab_fits(n, *rows) >= 0)
		rc = tokvocab_names(names, t, *rows, NULL, e);
	else if (given > 0) {
		/* vocab_fits: a padded table has rows in 8s up to the max */
		snprintf(pad, sizeof(pad), " or a multiple of 8 above it up "
		    "to %zu (a padded table)", vocab_fits_max(n));
		err_set(e, NULL, 0, "-V %zu does not fit the tokenizer %s, "
		    "which has %zu tokens: leave -V out, or give %zu%s", given,
		    tokenizer_name(t), n, n, vocab_fits_max(n) > n ? pad : "");
		rc = TRAINOPTS_USAGE;
	} else
		err_set(e, initpath, 0, "--init's table has %zu rows, not one "
		    "per token ID of the tokenizer %s (%zu): with --ids -t, "
		    "--init must be a model of that tokenizer's IDs, as "
		    "emb-train --ids -t %s writes, not a word-level model",
		    *rows, tokenizer_name(t), n, tok);
	tokenizer_free(t);
	return rc;
}

/* o's subword options completed and checked (trainopts_args first) */
static int
subwords(struct train_opts *o, const struct table *init, int ids,
    struct emb_err *e)
{
	int has = init != NULL && init->ngrams != NULL;

	/* the word model, also from a subword --init */
	if (ids || o->maxn == 0 || o->bucket == 0 || (o->minn < 0 &&
	    o->maxn < 0 && o->bucket < 0 && !has)) {
		o->minn = o->maxn = o->bucket = 0;
		return 0;
	}
	if (o->minn < 0)
		o->minn = has ? init->minn : 3;
	if (o->maxn < 0)
		o->maxn = has ? init->maxn : 6;
	if (o->bucket < 0)
		o->bucket = has ? (long)init->bucket : 2000000;
	return subword_check(o->minn, o->maxn, o->bucket, NULL, e);
}

int
trainopts_args(const struct train_opts *o, int ids, struct emb_err *e)
{
	/* n-grams asked for on the command line (maxn's default is 6) */
	int asked = o->maxn > 0 || (o->minn >= 0 && o->maxn < 0);

	if (ids && (o->minn >= 0 || o->maxn >= 0 || o->bucket >= 0)) {
		err_set(e, NULL, 0, "%s does not go with --ids: subwords are "
		    "the character n-grams of words, not of token IDs",
		    o->minn >= 0 ? "--minn" : o->maxn >= 0 ? "--maxn" :
		    "--bucket");
		return -1;
	}
	if (o->bucket == 0 && asked) {
		err_set(e, NULL, 0, "--bucket 0 means no subwords, but --minn "
		    "or --maxn asks for n-grams: give --bucket the number of "
		    "n-gram rows (2000000 by default), or leave out --minn "
		    "and --maxn");
		return -1;
	}
	if (o->alpha == 0) {
		err_set(e, NULL, 0, "--alpha must be above 0: a learning rate "
		    "of 0 trains nothing");
		return -1;
	}
	if (o->alpha > 0 && o->min_alpha > o->alpha) {
		err_set(e, NULL, 0, "--min-alpha %g is above --alpha %g: the "
		    "rate falls from --alpha to --min-alpha, so give a "
		    "--min-alpha at most --alpha", o->min_alpha, o->alpha);
		return -1;
	}
	if (o->negative == 0 && o->loss != TRAIN_HS) {
		err_set(e, NULL, 0, "--negative 0 goes with --loss hs");
		return -1;
	}
	return 0;
}

int
trainopts_check(struct train_opts *o, const struct table *init, int ids,
    struct emb_err *e)
{
	double alpha;

	if (trainopts_args(o, ids, e) < 0 || subwords(o, init, ids, e) < 0)
		return -1;
	/* the default rate depends on the model and on subwords */
	alpha = o->alpha >= 0 ? o->alpha : train_default_alpha(o);
	if (o->min_alpha > alpha) {
		err_set(e, NULL, 0, "--min-alpha %g is above %g, the default "
		    "--alpha %s: give a smaller --min-alpha, or an --alpha "
		    "at least as large", o->min_alpha, alpha,
		    o->maxn > 0 ? "with subwords" : o->model == TRAIN_CBOW ?
		    "for cbow" : "for skipgram");
		return -1;
	}
	return 0;
}
