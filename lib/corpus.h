/* See LICENSE file for copyright and license details. */
#ifndef EMB_CORPUS_H
#define EMB_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "src.h"
#include "vocab.h"

/*
 * A training corpus read once into memory as token IDs.  Lines are
 * sentences: ids[] holds the in-vocabulary tokens in order, with
 * CORPUS_EOS after each non-empty sentence.  Tokens below min_count (or
 * past max_vocab) are dropped, so the window spans over them, as in
 * word2vec.c.
 */
#define CORPUS_EOS UINT32_MAX
/* returned when min_count (or max_vocab 0 of them) leaves no token */
#define CORPUS_EPRUNED (-2)

struct corpus {
	struct vocab vocab;	/* kept tokens, descending count, with counts */
	uint32_t *ids;		/* n entries: ids and CORPUS_EOS marks */
	size_t n;
	uint64_t ntokens;	/* every token read */
	uint64_t nwords;	/* tokens kept (the sum of the counts) */
};

struct corpus_opts {
	long min_count;		/* drop tokens seen fewer times */
	size_t max_vocab;	/* keep at most this many types, 0 = all */
	int ids;		/* input holds decimal token IDs */
	size_t nids;		/* ids: vocabulary size (IDs < nids) */
	const struct vocab *names;	/* ids: nids names (a tokenizer's
				 * readable tokens), or NULL: decimal */
	int threads;		/* corpus_read of one plain text file: read
				 * its parts on this many threads (0, 1: one) */
	size_t minpart;		/* the least bytes a thread reads (0: 4 MiB) */
};

void corpus_opts_init(struct corpus_opts *o);
void corpus_init(struct corpus *c);
void corpus_free(struct corpus *c);

/*
 * Read the files (npaths 0 or "-" = stdin; ".gz" by magic) into c.
 * Text: the vocabulary is counted, pruned and sorted by descending count
 * (ties by first appearance).  IDs: the vocabulary is the IDs 0..nids-1
 * in order, named by names or their decimal form, none pruned (IDs seen
 * fewer than min_count times, or past the max_vocab most frequent, keep
 * their row but are not trained).
 * Returns 0, -1 with e filled, or CORPUS_EPRUNED when min_count leaves
 * no token.
 */
int corpus_read(struct corpus *c, char *const *paths, size_t npaths,
    const struct corpus_opts *o, struct emb_err *e);
/* the same from n sources the caller opened (and closes) */
int corpus_read_srcs(struct corpus *c, struct src *const *srcs, size_t n,
    const struct corpus_opts *o, struct emb_err *e);
/*
 * Only the vocabulary: count the tokens of the files into v (which gets
 * counts), then keep the tokens as corpus_read does.  An empty input
 * gives an empty v.  Returns 0, -1 (e filled), or CORPUS_EPRUNED (v is
 * then empty too).
 */
int corpus_count(struct vocab *v, char *const *paths, size_t npaths,
    const struct corpus_opts *o, struct emb_err *e);

#endif
