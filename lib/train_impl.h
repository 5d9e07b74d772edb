/* See LICENSE file for copyright and license details. */
#ifndef EMB_TRAIN_IMPL_H
#define EMB_TRAIN_IMPL_H

/*
 * The insides of training shared by train.c (the word model) and
 * trainsub.c (fastText's subword model): not an API for other modules.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "err.h"
#include "table.h"
#include "train.h"
#include "trainkern.h"

#define MAXSENT		10000	/* corpus words per sentence */
#define MAXCODE		64	/* Huffman code length bound */
#define SIG_N		1024	/* sigmoid table entries over [-SIG_MAX, SIG_MAX] */
#define SIG_MAX		6.0f
#define LR_EVERY	10000	/* words between learning-rate updates */
/* the floats between rows in training: d rounded up to 64 bytes */
#define STRIDE(d)	(((d) + 15) / 16 * 16)

extern float sig_tab[SIG_N + 1];	/* sigmoid */
extern float lsig_tab[SIG_N + 1];	/* -log(sigmoid) */

/* the inline generator of the hot loop (splitmix64), seeded from lib/rng */
static inline uint64_t
fast_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* the noise distribution count^0.75 as an alias table (Vose) */
struct noise {
	/* per slot: acceptance threshold in 2^-32 units, then the alias */
	uint32_t *tab;
	uint32_t n;
};

void noise_make(struct noise *nz, const int64_t *count, size_t n);

static inline uint32_t
noise_slot(const struct noise *nz, uint64_t r)
{
	return (uint32_t)(((r >> 32) * nz->n) >> 32);
}

static inline uint32_t
noise_pick(const struct noise *nz, uint64_t r)
{
	uint32_t i = noise_slot(nz, r);
	uint32_t m = -(uint32_t)((uint32_t)r < nz->tab[2 * i]);

	/* branch-free: which of the two is taken is a coin flip */
	return (i & m) | (nz->tab[2 * i + 1] & ~m);
}

/* Huffman codes as word2vec.c's CreateBinaryTree (counts descending) */
struct huff {
	uint32_t *point;	/* V * MAXCODE inner-node rows, root first */
	uint8_t *code;		/* V * MAXCODE bits */
	uint8_t *len;
};

int huff_make(struct huff *h, const int64_t *count, size_t V,
    struct emb_err *e);
void huff_free(struct huff *h);

/* a thread's part of the corpus, read once per epoch */
struct range {
	size_t from, to;	/* c->ids[from, to) */
	size_t pos;		/* the next sentence starts here */
	int ep;			/* in this epoch (epochs: done) */
};

struct shared {
	const struct corpus *c;
	const struct train_opts *o;
	const struct train_kern *k;
	float *syn0, *syn1;	/* V x dp */
	size_t V, dp;
	uint32_t *keep;		/* subsampling: keep if rand32 < keep[w] */
	struct noise nz;
	struct huff hf;
	double alpha0, min_alpha;
	uint64_t total;		/* epochs * nwords */
	/* per thread, written by the thread, read by the monitor */
	uint64_t *words;	/* corpus words read */
	double *loss;		/* summed loss */
	uint64_t *npred;	/* predictions the loss sums over */
	int *epoch;
	struct range *rg;	/* nthreads; others help when one's is done */
	pthread_mutex_t rmu;	/* held while a sentence is taken from them */
	int nthreads;
	int ndone;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* subwords (trainsub.c): syn0 holds V word rows, then the n-grams */
	uint32_t *sub_off;	/* V + 1 offsets into sub_ids, or NULL */
	uint32_t *sub_ids;	/* per word: rows of syn0, the word's first */
	size_t maxsub;		/* the longest list */
};

struct worker {
	struct shared *sh;
	int id;
};

uint64_t words_all(struct shared *sh);
double alpha_at(struct shared *sh, uint64_t done);

/*
 * The gradient of one score f with label l, times alpha; the loss goes to
 * *loss.  A score beyond +-6 gives no update, as in gensim and in
 * word2vec.c's hierarchical softmax (its negative sampling clips instead:
 * on the 100M benchmark corpus skipping gave CBOW +0.5 analogy points and
 * +0.008 WordSim rho).
 */
static inline float
grad1(float f, float l, float alpha, double *loss)
{
	int i;

	if (f >= SIG_MAX) {
		*loss += l > 0 ? 0 : f;
		return 0;
	}
	if (f <= -SIG_MAX) {
		*loss += l > 0 ? -f : 0;
		return 0;
	}
	i = (int)((f + SIG_MAX) * (SIG_N / 2 / SIG_MAX));
	*loss += l > 0 ? lsig_tab[i] : lsig_tab[SIG_N - i];
	return (l - sig_tab[i]) * alpha;
}

/* G = (label - sigmoid(S)) * alpha in place, S B x K, label per column */
static inline double
grads(float *S, size_t B, size_t K, const float *label, float alpha)
{
	double loss = 0;
	size_t j, k;

	for (j = 0; j < B; j++)
		for (k = 0; k < K; k++)
			S[j * K + k] = grad1(S[j * K + k], label[k], alpha, &loss);
	return loss;
}

static inline void
prefetch_row(const float *p, size_t dp)
{
	size_t i;

	for (i = 0; i < dp; i += 16)
		__builtin_prefetch(p + i, 1, 3);
}

/* one worker: its random stream, noise pipeline and buffers */
struct wstate {
	struct shared *sh;
	const struct train_kern *kn;
	size_t dp, win, neg;
	uint64_t rs;		/* the hot loop's generator state */
	float alpha;
	double loss;		/* summed loss */
	uint64_t npred;		/* predictions the loss sums over */
	uint32_t *nxt;		/* noise words, a ring of 4 slots of neg */
	uint64_t *rr;		/* their random numbers, the same ring */
	size_t q;		/* steps taken, for the ring */
	float **in, **out;	/* one step's input and output rows */
	float *label, *S, *nb, *h;
	uint32_t *pos;		/* subword skip-gram: the window's words */
};

void wstate_init(struct wstate *ws, struct shared *sh, int id);
void wstate_free(struct wstate *ws);
/* this step's noise words (the pipeline of ws) */
const uint32_t *noise_next(struct wstate *ws);
/* the next sentence (subsampled) into sen; returns corpus words read */
size_t read_sentence(struct wstate *ws, size_t *pos, size_t to,
    uint32_t *sen, size_t *len);
/* publish this worker's counts for the monitor and the learning rate */
void publish(struct wstate *ws, int id, uint64_t words);

/* trainsub.c: the lists of rows of each word; one subword step */
/*
 * CBOW's update (word2vec.c, fastText): h = the mean of the n rows in
 * ws->in, scored against the K outputs ws->out with ws->label, the
 * outputs updated and h's whole gradient added to each of the n rows
 */
void step_mean(struct wstate *ws, size_t n, size_t K);
/*
 * train_run's subword set-up: t's n-gram rows (or new ones drawn) into
 * sh->syn0 after its V word rows, t->ngrams freed, the words' row lists
 * made; and after training, the n-gram rows back into t (t->ngrams takes
 * sh->syn0) and t->vec composed (table_compose)
 */
/* V rows of d floats copied between strides dsrc and ddst, padding 0 */
void restride(float *dst, size_t ddst, const float *src, size_t dsrc,
    size_t V, size_t d);
void trainsub_begin(struct shared *sh, struct table *t, uint64_t seed);
void trainsub_end(struct shared *sh, struct table *t);
void trainsub_lists(struct shared *sh, const struct table *t);
void trainsub_step(struct wstate *ws, const uint32_t *sen, size_t i,
    size_t lo, size_t hi);
/* t (train_table's) made a subword model as train_table says */
int trainsub_table(struct table *t, const struct train_opts *o,
    const struct table *init, struct emb_err *e);
/* bucket n-gram rows of stride dp drawn as train_table says */
void trainsub_draw(float *rows, size_t dp, size_t d, size_t V, size_t bucket,
    uint64_t seed);

#endif
