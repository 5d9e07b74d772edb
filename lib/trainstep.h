/* See LICENSE file for copyright and license details. */
#ifndef EMB_TRAINSTEP_H
#define EMB_TRAINSTEP_H

/*
 * The insides of training: the state the workers share, one worker's
 * state and steps (trainstep.c), used by train.c (which runs the
 * workers) and trainsub.c (fastText's subword model): not an API for
 * other modules.
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
/*
 * Replicas of syn1 and syn0 (rep_plan, rep_merge): at most REP_BYTES per
 * thread and table (two copies of the rows); every LR_EVERY words a
 * thread merges the REP_HOT first rows (the most frequent: rows train in
 * count order, train.c) and the next block of the others, all of which
 * merge once a round: at most REP_ROUND_WORDS of the thread's corpus
 * words, and at most 1/REP_ROUNDS of all it trains.  The rows replicated
 * cost at most REP_COST floats merged per corpus word.
 */
#define REP_BYTES	((size_t)64 << 20)
#define REP_HOT		256
#define REP_ROUND_WORDS	640000
#define REP_ROUNDS	64
#define REP_COST	12
#define REP_PHASES	48	/* a thread's training in phases (rep_tick) */
#define REP_PHASE_MIN	200000
#define REP_PHASE_MAX	4000000	/* about a second: a long run still sees
				   a change of machine within a minute */
#define REP_PROBE	8	/* phases to the first probe; 16 after a probe
				   that kept the choice */
#define REP_MARGIN	0.97	/* a probe is taken if it cost less than this
				   times the mean of the last phases */
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

/*
 * Huffman codes as word2vec.c's CreateBinaryTree, for counts in any row
 * order (it needs them descending: huff_make sorts a copy); a count of 0
 * counts 1.  Codes longer than MAXCODE are an error.
 */
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
	/*
	 * The rows in training are in count order (row_order): corpus ID w
	 * trains row rank[w]; NULL when they are the corpus' own order
	 */
	uint32_t *rank;
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
	/*
	 * syn1's rows [0, rep_out) and syn0's [0, rep_in): every thread
	 * trains its own replicas of them (rep_merge); 0 for none.  repmu
	 * is held while one is merged.
	 */
	size_t rep_out, rep_in;
	size_t rep_round;	/* merges (LR_EVERY words apart) a round */
	pthread_mutex_t repmu;
	/*
	 * Whether the threads use their replicas now (rep_tick): thread 1
	 * times phases of rep_phase corpus words with and without them and
	 * sets it; the others follow at their next tick.
	 */
	int rep_on;
	uint64_t rep_phase;
	unsigned rep_phases, rep_with;	/* phases ended; with the replicas */
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

/* a thread's own copy of a table's first n rows (rep_merge) */
struct replica {
	float *shared;		/* the table's rows */
	float *rows;		/* as this thread has trained them */
	float *base;		/* as the table had them at their last merge */
	size_t n, next;		/* rows in use (REP_HOT or cap); the next cold row */
	size_t cap;		/* rows allocated */
	size_t round;		/* merges a round (every row merges once) */
	const struct train_kern *kn;
};

/*
 * Thread 1's timing of the replicas (rep_tick): phase k of sh->rep_phase
 * corpus words runs with or without them, and its thread CPU time per
 * position is kept as the cost of that choice.
 */
struct reptune {
	unsigned k;		/* the phase */
	int best;		/* the cheaper choice so far: 1 replicas */
	double cpu0;		/* thread CPU seconds at the phase's start */
	uint64_t words0, steps0;
	double cost[2];		/* phases 1-4: the costs without, with */
	double last[3];		/* the best choice's last three phases */
	unsigned nlast;
	unsigned probe, gap;	/* the next probe's phase; phases to it */
};

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
	struct replica ro;	/* of syn1's first sh->rep_out rows */
	struct replica ri;	/* of syn0's first sh->rep_in: context rows */
	uint64_t nstep;		/* positions trained (the kept words) */
	struct reptune *tune;	/* thread 1's timing of the replicas */
};

/* output row r: this thread's replica of it, or syn1's */
static inline float *
out_row(const struct wstate *ws, size_t r)
{
	return r < ws->ro.n ? ws->ro.rows + r * ws->dp :
	    ws->sh->syn1 + r * ws->dp;
}

/* input (context) row r: this thread's replica of it, or syn0's */
static inline float *
in_row(const struct wstate *ws, size_t r)
{
	return r < ws->ri.n ? ws->ri.rows + r * ws->dp :
	    ws->sh->syn0 + r * ws->dp;
}


/* ---- trainstep.c: one worker's steps ---- */

/* fill sig_tab and lsig_tab, once per process (thread-safe) */
void step_tables(void);
void wstate_init(struct wstate *ws, struct shared *sh, int id);
void wstate_free(struct wstate *ws);
/*
 * One position i of sen (len words) with its B context rows in ws->in:
 * skip-gram (one prediction per context word, the noise words shared by
 * the window) or CBOW (one prediction from the context mean)
 */
void step_word(struct wstate *ws, const uint32_t *sen, size_t len, size_t i,
    size_t B);
/*
 * The next sentence for thread id: [*a, *b) of c->ids, *ep its epoch;
 * 0 when every range is done (see trainstep.c for the sharing rule)
 */
int next_sentence(struct shared *sh, int id, size_t *a, size_t *b, int *ep);
/* this step's noise words (the pipeline of ws) */
const uint32_t *noise_next(struct wstate *ws);
/* the next sentence (subsampled) into sen; returns corpus words read */
size_t read_sentence(struct wstate *ws, size_t *pos, size_t to,
    uint32_t *sen, size_t *len);
/* publish this worker's counts for the monitor and the learning rate */
void publish(struct wstate *ws, int id, uint64_t words);
/*
 * With negative sampling and more than one thread, each thread but thread
 * 0 trains its own replica of the output rows of the most frequent words
 * (syn1's first rows: the vocabulary is in descending count order), and
 * with CBOW of their input rows (syn0's); thread 0 trains the tables
 * themselves.  Shared, those rows go back and forth between
 * the cores' caches at nearly every step: on the 2-core benchmark machine
 * that cost 1.35-1.7x the CPU per word, and CBOW's input rows alone about
 * 1.1x.  (Skip-gram's input replica was no faster and lost WS-353 rho.)
 * (Vuurens, Eickhoff and de Vries, "Efficient Parallel Learning of
 * Word2Vec", 2016, cache frequent words per thread; Ji et al., 2016,
 * merge the rows of frequent words more often.)
 *
 * Merge this thread's replicas into syn1 and syn0, under repmu: what the
 * thread added since its last merge is added to the table, and the
 * replica and its base take the table's rows, with the other threads'
 * work; so a merge loses no update of a replica (thread 0's writes race
 * with it as shared rows' writes race in word2vec.c: Hogwild).  all:
 * every row; else the REP_HOT first rows and the next block of the rest,
 * in turn, so each row merges at least once in its replica's round.
 */
void rep_merge(struct wstate *ws, int all);
/*
 * Every LR_EVERY words (words: the thread's corpus words so far): merge
 * as rep_merge(ws, 0), and follow sh->rep_on: with it, the replicas of
 * all rep_out rows (made afresh from the table when small); without,
 * only the REP_HOT first rows, merged whole at every tick (the rest
 * merged once and left).  On some machines the whole replica costs more
 * than the sharing it saves (the two vCPUs pass rows quickly, and the
 * copies take cache room), and which it is can change between runs, so
 * thread 1 decides at run time: phases 1-4 alternate with and without,
 * and the cheaper in thread CPU seconds per position trained is kept;
 * the other is tried again for one phase REP_PROBE phases later, then
 * every 2 * REP_PROBE, and taken if it cost less than REP_MARGIN times
 * the mean of the kept one's last three phases.
 */
void rep_tick(struct wstate *ws, uint64_t words);
/*
 * Thread 1's choice (rep_tick): a phase just ended that ran with (on 1)
 * or without the replicas and cost cost (thread CPU seconds per
 * position); returns whether the next phase uses them.
 */
int rep_choose(struct reptune *tu, int on, double cost);
/*
 * rp: a replica of shared's first n rows of dp floats (none if n is 0),
 * every row merged once in round merges
 */
void rep_make(struct replica *rp, float *shared, size_t n, size_t round,
    size_t dp);
/*
 * sh->rep_out and sh->rep_round for threads that each train words corpus
 * words (all epochs) of a V-row syn1: the rows whose merging costs at
 * most REP_COST floats a word in a round of at most REP_ROUND_WORDS and
 * 1/REP_ROUNDS of words; none with one thread (the caller's choice)
 */
void rep_plan(struct shared *sh, size_t V, uint64_t words);

/*
 * CBOW's update (word2vec.c, fastText): h = the mean of the n rows in
 * ws->in, scored against the K outputs ws->out with ws->label, the
 * outputs updated and h's whole gradient added to each of the n rows
 */
void step_mean(struct wstate *ws, size_t n, size_t K);
/* V rows of d floats copied between strides dsrc and ddst, padding 0 */
void restride(float *dst, size_t ddst, const float *src, size_t dsrc,
    size_t V, size_t d);
/*
 * V rows of d floats in place: spread from stride d to dp (the last row
 * first, the padding zeroed), packed back from dp to d; a holds V * dp
 */
void spread(float *a, size_t V, size_t d, size_t dp);
void pack(float *a, size_t V, size_t d, size_t dp);
/*
 * V rows of d floats in place: row r gets the row that was at from[r]
 * (from a permutation of 0..V-1), one cycle of it at a time
 */
void gather_rows(float *a, size_t V, size_t d, const uint32_t *from);

#endif
