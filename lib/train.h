/* See LICENSE file for copyright and license details. */
#ifndef EMB_TRAIN_H
#define EMB_TRAIN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "err.h"
#include "table.h"

/*
 * word2vec training: skip-gram or CBOW, negative sampling or hierarchical
 * softmax, over a corpus held as token IDs (corpus.h).  The formulas are
 * word2vec.c's (subsampling, linear learning-rate decay, dynamic window,
 * unigram^0.75 noise, Huffman codes); the skip-gram update is batched per
 * target word as in pWord2Vec (Ji et al. 2016): the negatives are shared
 * by the whole window, so one step is two small matrix products.
 */
enum train_model { TRAIN_SKIPGRAM, TRAIN_CBOW };
enum train_loss { TRAIN_NS, TRAIN_HS };

/* a snapshot for the progress callback */
struct train_progress {
	double frac;		/* 0..1 of all epochs */
	double elapsed;		/* seconds */
	double eta;		/* seconds left, < 0 unknown */
	double wps;		/* corpus words per second, all threads */
	double alpha;		/* current learning rate */
	double loss;		/* mean loss per prediction since last call */
	uint64_t words;		/* corpus words processed */
	int epoch;		/* 1-based, of the slowest thread begun; done: epochs */
	int threads;
	int done;		/* the final call */
	/* phases timed for the replicas; those run with them */
	unsigned rep_phases, rep_with;
};

struct train_opts {
	enum train_model model;
	enum train_loss loss;
	size_t window;		/* max window (effective one ~ U{1..window}) */
	size_t negative;	/* noise words per target (ns) */
	double sample;		/* subsampling threshold, 0 = none */
	double alpha;		/* start learning rate, < 0 = by model */
	double min_alpha;	/* floor, < 0 = alpha * 1e-4 */
	int epochs;
	int threads;
	uint64_t seed;
	/* fastText's subwords: n-grams of minn..maxn characters hashed into
	 * bucket rows; -1 = not given (trainopts_check), maxn 0 = off */
	long minn, maxn, bucket;
	/* called about every interval seconds from the calling thread */
	void (*progress)(const struct train_progress *p, void *arg);
	void *progress_arg;
	double interval;
	/* training stops soon after *stop becomes non-zero (may be NULL) */
	volatile sig_atomic_t *stop;
};

void train_opts_init(struct train_opts *o);
/*
 * The default start rate: 0.025 for skip-gram (word2vec.c's), 0.05 for
 * CBOW and for the subword model (fastText's; on a 1M-word corpus its
 * skip-gram lost 17 analogy points at 0.025)
 */
double train_default_alpha(const struct train_opts *o);
const char *train_model_name(enum train_model m);
const char *train_loss_name(enum train_loss l);
int train_model_byname(const char *name, enum train_model *m);
int train_loss_byname(const char *name, enum train_loss *l);

/*
 * The training's settings as t's metadata (emb.tool, emb.arch, emb.loss,
 * emb.window, emb.negative, emb.sample, emb.alpha, emb.min_alpha,
 * emb.epochs, emb.min_count, emb.max_vocab (0: all), emb.seed,
 * emb.corpus_words; emb.init when initpath is not NULL;
 * emb.interrupted_at with stopped's fraction when stopped is not NULL).
 */
void train_meta(struct table *t, const struct train_opts *o,
    long min_count, size_t max_vocab, uint64_t corpus_words,
    const char *initpath, const struct train_progress *stopped);

/*
 * p as one progress line into buf (size bytes, cut to fit):
 * "emb-train:  12.5%  epoch 1  1.23M words/s (615k/thread)  lr ...  loss
 * ...  eta 1:02" (then "  replicas 10/12" when phases were timed: see
 * rep_tick in trainstep.h), for a terminal (tty non-zero: starts with '\r', ends
 * clearing the line) or as a plain line ending in '\n'.
 */
void train_progress_line(char *buf, size_t size,
    const struct train_progress *p, int tty);

/*
 * Make the table to train with o (its model and loss): the corpus
 * vocabulary with its counts, input rows drawn per row from
 * rng_seed(seed, row), U[-0.5/d, 0.5/d) for skip-gram (word2vec.c's and
 * gensim's range) and U[-1/d, 1/d) for CBOW (fastText's), output rows
 * zero.  With init (may be NULL), rows whose token init has take its
 * input row (and its output row when init has outputs of the same loss,
 * for hs only if the vocabularies are equal); *matched counts them.
 * With o->maxn > 0 (trainopts_check) t gets fastText's subword model
 * (Bojanowski et al. 2017): t->words the word rows, t->ngrams init's
 * n-gram rows when init has them, else NULL and train_run draws them
 * (row V + j from rng_seed(seed, V + j), U[-0.5/d, 0.5/d)) in its own
 * buffer, so the model is held once; train_run leaves t->ngrams the
 * n-gram rows and t->vec the word vectors (the mean of a word's row and
 * its n-gram rows, as fastText's print-word-vectors).  The word model's
 * t->vec and t->out are made with room for train_run to train their rows
 * in place at a padded stride.
 */
int train_table(struct table *t, const struct corpus *c, size_t d,
    uint64_t seed, const struct table *init, const struct train_opts *o,
    size_t *matched, struct emb_err *e);

/*
 * Train t (from train_table, nothing else: the word model's rows are
 * trained in the room it made) on c.  Returns 0 when done, 1 when stopped
 * through o->stop (t then holds the partly trained vectors), -1 on error.
 * Deterministic for threads == 1 and a given seed.
 */
int train_run(struct table *t, const struct corpus *c,
    const struct train_opts *o, struct train_progress *last,
    struct emb_err *e);

#endif
