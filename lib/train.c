/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus.h"
#include "err.h"
#include "init.h"
#include "par.h"
#include "table.h"
#include "train.h"
#include "trainstep.h"
#include "trainsub.h"
#include "trainkern.h"
#include "util.h"
#include "vocab.h"

/* ---- options ---- */

void
train_opts_init(struct train_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->model = TRAIN_SKIPGRAM;
	o->loss = TRAIN_NS;
	o->window = 5;
	o->negative = 5;
	o->sample = 1e-3;
	o->alpha = -1;
	o->min_alpha = -1;
	o->epochs = 5;
	o->threads = 1;
	o->seed = 1;
	o->interval = 1;
	o->minn = o->maxn = o->bucket = -1;
}

double
train_default_alpha(const struct train_opts *o)
{
	return o->model == TRAIN_CBOW || o->maxn > 0 ? 0.05 : 0.025;
}

const char *
train_model_name(enum train_model m)
{
	return m == TRAIN_CBOW ? "cbow" : "skipgram";
}

const char *
train_loss_name(enum train_loss l)
{
	return l == TRAIN_HS ? "hs" : "ns";
}

int
train_model_byname(const char *name, enum train_model *m)
{
	if (strcmp(name, "skipgram") == 0 || strcmp(name, "sg") == 0)
		*m = TRAIN_SKIPGRAM;
	else if (strcmp(name, "cbow") == 0)
		*m = TRAIN_CBOW;
	else
		return -1;
	return 0;
}

int
train_loss_byname(const char *name, enum train_loss *l)
{
	if (strcmp(name, "ns") == 0)
		*l = TRAIN_NS;
	else if (strcmp(name, "hs") == 0)
		*l = TRAIN_HS;
	else
		return -1;
	return 0;
}

static void
meta_num(struct table *t, const char *key, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.10g", v);
	table_meta_set(t, key, buf);
}

void
train_meta(struct table *t, const struct train_opts *o, long min_count,
    size_t max_vocab, uint64_t corpus_words, const char *initpath,
    const struct train_progress *stopped)
{
	double alpha = o->alpha >= 0 ? o->alpha : train_default_alpha(o);

	table_meta_set(t, "emb.tool", "emb-train");
	table_meta_set(t, "emb.arch", train_model_name(o->model));
	table_meta_set(t, "emb.loss", train_loss_name(o->loss));
	meta_num(t, "emb.window", (double)o->window);
	meta_num(t, "emb.negative", (double)o->negative);
	meta_num(t, "emb.sample", o->sample);
	meta_num(t, "emb.alpha", alpha);
	/* train_run's rule: the given one, else alpha * 1e-4 */
	meta_num(t, "emb.min_alpha", o->min_alpha >= 0 ? o->min_alpha :
	    alpha * 1e-4);
	meta_num(t, "emb.epochs", (double)o->epochs);
	meta_num(t, "emb.min_count", (double)min_count);
	meta_num(t, "emb.max_vocab", (double)max_vocab);
	meta_num(t, "emb.seed", (double)o->seed);
	meta_num(t, "emb.corpus_words", (double)corpus_words);
	if (initpath != NULL)
		table_meta_set(t, "emb.init", initpath);
	if (stopped != NULL)
		meta_num(t, "emb.interrupted_at", stopped->frac);
}

/* "1.23M" */
static const char *
human(double x, char *buf, size_t size)
{
	if (x >= 1e6)
		snprintf(buf, size, "%.2fM", x / 1e6);
	else if (x >= 1e3)
		snprintf(buf, size, "%.0fk", x / 1e3);
	else
		snprintf(buf, size, "%.0f", x);
	return buf;
}

void
train_progress_line(char *buf, size_t size, const struct train_progress *p,
    int tty)
{
	char a[32], b[32], r[48] = "";
	double eta = p->done ? p->elapsed : p->eta < 0 ? 0 : p->eta;

	if (p->rep_phases > 0)
		snprintf(r, sizeof(r), "  replicas %u/%u", p->rep_with,
		    p->rep_phases);
	snprintf(buf, size, "%semb-train: %5.1f%%  epoch %d  %s words/s "
	    "(%s/thread)  lr %.6f  loss %.4f  %s %d:%02d%s%s",
	    tty ? "\r" : "", p->frac * 100, p->epoch,
	    human(p->wps, a, sizeof(a)),
	    human(p->wps / p->threads, b, sizeof(b)), p->alpha, p->loss,
	    p->done ? "took" : "eta", (int)(eta / 60), (int)eta % 60, r,
	    tty && !p->done ? "\033[K" : "\n");
}

/* ---- the table ---- */

/* train_table's rows drawn and zeroed on several threads */
struct fill {
	struct table *t;
	const struct init_opts *io;
	size_t n;		/* floats per output row (its stride) */
};

/* par_run's worker: rows [b, e) drawn, their outputs zero */
static void
fill_rows(void *ctx, size_t b, size_t e)
{
	struct fill *f = ctx;

	init_rows(f->t, b, e, f->io);
	memset(f->t->out + b * f->n, 0, (e - b) * f->n * sizeof(float));
}

int
train_table(struct table *t, const struct corpus *c, size_t d,
    uint64_t seed, const struct table *init, const struct train_opts *o,
    size_t *matched, struct emb_err *e)
{
	struct init_opts io;
	size_t i, len, n, V = c->vocab.n;
	size_t rs = o->maxn > 0 ? d : STRIDE(d);	/* floats per row */
	int same = 0, outs = 0;

	*matched = 0;
	init_opts_init(&io);
	io.kind = INIT_UNIFORM;
	/* CBOW: fastText's range (+0.3 analogy points on both benchmarks) */
	io.range = (o->model == TRAIN_CBOW ? 1.0 : 0.5) / (double)d;
	io.seed = seed;
	if (size_mul(V, rs, &n) < 0 ||
	    size_mul(n, sizeof(float), &n) < 0) {
		err_set(e, NULL, 0, "table of %zu x %zu is too large", V, d);
		return -1;
	}
	if (o->maxn > 0) {
		if (table_alloc(t, V, d, e) < 0)
			return -1;
	} else {
		/* room for train_run to train the rows in place */
		free(t->vec);
		t->vec = xaligned(n);
		t->V = V;
		t->d = d;
	}
	t->out = xaligned(n);
	if (init == NULL) {
		/* fresh memory is slow to touch: on all threads */
		struct fill f;

		f.t = t;
		f.io = &io;
		f.n = rs;
		par_run(o->threads, V, fill_rows, &f);
	} else
		memset(t->out, 0, n);
	vocab_ensure_counts(&t->vocab);
	for (i = 0; i < V; i++) {
		const char *tok = vocab_token(&c->vocab, i, &len);

		vocab_add(&t->vocab, tok, len);
		t->vocab.count[i] = c->vocab.count[i];
	}
	if (init != NULL) {
		const char *il = table_meta_get(init, "emb.loss");

		if (init->d != d) {
			err_set(e, NULL, 0, "--init model has %zu dimensions, "
			    "not %zu", init->d, d);
			return -1;
		}
		same = init->vocab.n == V && init_is_prefix(&t->vocab,
		    &init->vocab);
		outs = init->out != NULL && (il == NULL ||
		    strcmp(il, train_loss_name(o->loss)) == 0) &&
		    (o->loss == TRAIN_NS || same);
	}
	for (i = 0; init != NULL && i < V; i++) {
		long id = -1;

		if (init->vocab.n > 0) {
			const char *tok = vocab_token(&t->vocab, i, &len);

			id = vocab_find((struct vocab *)&init->vocab, tok, len);
		}
		if (id < 0) {
			init_row(table_row(t, i), d, i, V, &io);
			continue;
		}
		(*matched)++;
		memcpy(table_row(t, i), table_row(init, (size_t)id),
		    d * sizeof(float));
		if (outs && o->loss == TRAIN_NS)
			memcpy(t->out + i * d, init->out + (size_t)id * d,
			    d * sizeof(float));
	}
	if (outs && o->loss == TRAIN_HS)
		memcpy(t->out, init->out, V * d * sizeof(float));
	return o->maxn > 0 ? trainsub_table(t, o, init, e) : 0;
}

/* ---- training ---- */

static void *
work(void *arg)
{
	struct worker *wk = arg;
	struct shared *sh = wk->sh;
	const struct train_opts *o = sh->o;
	size_t win = o->window, pos, to;
	uint32_t *sen = xreallocarray(NULL, MAXSENT, sizeof(*sen));
	uint64_t words = 0, last = 0, base = 0;
	int ep, cur = -1;
	struct wstate ws;

	wstate_init(&ws, sh, wk->id);
	/* the first sentence of a range may start mid-line */
	while (next_sentence(sh, wk->id, &pos, &to, &ep)) {
		size_t len, i;

		if (ep != cur) {
			/* the learning rate's count goes by epochs */
			base += words;
			words = last = 0;
			cur = ep;
			__atomic_store_n(&sh->epoch[wk->id], ep + 1,
			    __ATOMIC_RELAXED);
		}
		if (o->stop != NULL && *o->stop)
			break;
		words += read_sentence(&ws, &pos, to, sen, &len);
		ws.nstep += len;
		if (words - last >= LR_EVERY) {
			publish(&ws, wk->id, base + words);
			rep_tick(&ws, base + words);
			last = words;
			ws.alpha = (float)alpha_at(sh, words_all(sh));
		}
		for (i = 0; i < len; i++) {
			size_t b = (size_t)(fast_rand(&ws.rs) % win);
			size_t lo = i + b >= win ? i + b - win : 0;
			size_t hi = i + win - b, j, B = 0;

			if (hi >= len)
				hi = len - 1;
			if (sh->sub_off != NULL) {
				trainsub_step(&ws, sen, i, lo, hi);
				continue;
			}
			for (j = lo; j <= hi; j++)
				if (j != i)
					ws.in[B++] = in_row(&ws, sen[j]);
			step_word(&ws, sen, len, i, B);
		}
	}
	publish(&ws, wk->id, base + words);
	rep_merge(&ws, 1);
	wstate_free(&ws);
	free(sen);
	pthread_mutex_lock(&sh->mu);
	sh->ndone++;
	pthread_cond_signal(&sh->cv);
	pthread_mutex_unlock(&sh->mu);
	return NULL;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
snapshot(struct shared *sh, struct train_progress *p, double t0,
    double *lloss, uint64_t *lpred)
{
	double loss = 0, l;
	uint64_t npred = 0;
	int t, ep = 0;

	for (t = 0; t < sh->nthreads; t++) {
		int e = __atomic_load_n(&sh->epoch[t], __ATOMIC_RELAXED);

		__atomic_load(&sh->loss[t], &l, __ATOMIC_RELAXED);
		loss += l;
		npred += __atomic_load_n(&sh->npred[t], __ATOMIC_RELAXED);
		/* a thread that never got a sentence (a tiny corpus) is 0 */
		if (e > 0 && (ep == 0 || e < ep))
			ep = e;
	}
	p->words = words_all(sh);
	p->elapsed = now() - t0;
	p->frac = sh->total > 0 ? (double)p->words / (double)sh->total : 1;
	if (p->frac > 1)
		p->frac = 1;
	p->wps = p->elapsed > 0 ? (double)p->words / p->elapsed : 0;
	p->eta = p->frac > 0 ? p->elapsed * (1 - p->frac) / p->frac : -1;
	p->alpha = alpha_at(sh, p->words);
	p->loss = npred > *lpred ? (loss - *lloss) / (double)(npred - *lpred) :
	    0;
	*lloss = loss;
	*lpred = npred;
	p->epoch = ep;
	p->threads = sh->nthreads;
	p->rep_phases = __atomic_load_n(&sh->rep_phases, __ATOMIC_RELAXED);
	p->rep_with = __atomic_load_n(&sh->rep_with, __ATOMIC_RELAXED);
}

/*
 * Wait for the nt workers, calling the progress callback (with *last)
 * about every o->interval seconds.
 */
static void
monitor(struct shared *sh, int nt, struct train_progress *last, double t0)
{
	const struct train_opts *o = sh->o;
	double lloss = 0, next = t0 + (o->interval > 0 ? o->interval : 1);
	uint64_t lpred = 0;

	pthread_mutex_lock(&sh->mu);
	while (sh->ndone < nt) {
		struct timespec ts, rt;
		double w = next;

		/* CLOCK_REALTIME is the condvar's clock: convert */
		clock_gettime(CLOCK_REALTIME, &rt);
		w += (double)rt.tv_sec + (double)rt.tv_nsec * 1e-9 - now();
		ts.tv_sec = (time_t)w;
		ts.tv_nsec = (long)((w - (double)ts.tv_sec) * 1e9);
		pthread_cond_timedwait(&sh->cv, &sh->mu, &ts);
		if (sh->ndone < nt && now() >= next) {
			pthread_mutex_unlock(&sh->mu);
			if (o->progress != NULL && last != NULL) {
				snapshot(sh, last, t0, &lloss, &lpred);
				o->progress(last, o->progress_arg);
			}
			next = now() + (o->interval > 0 ? o->interval : 1);
			pthread_mutex_lock(&sh->mu);
		}
	}
	pthread_mutex_unlock(&sh->mu);
}

/*
 * word2vec.c's subsampling as keep thresholds: word i is kept when a
 * 32-bit random number is below keep[i], with probability
 * (sqrt(f / t) + 1) * t / f for f its share of the corpus
 */
static uint32_t *
keep_make(const struct corpus *c, double sample)
{
	double st = sample * (double)c->nwords;
	size_t i, V = c->vocab.n;
	uint32_t *keep = xreallocarray(NULL, V, sizeof(*keep));

	for (i = 0; i < V; i++) {
		double cn = (double)c->vocab.count[i];
		double p = cn > 0 ? (sqrt(cn / st) + 1) * st / cn : 1;

		keep[i] = p >= 1 ? UINT32_MAX : (uint32_t)(p * 4294967296.0);
	}
	return keep;
}

/*
 * Token IDs (--ids) are not in count order, as a vocabulary is.  They
 * train in it: the replicas' hot rows are then the most frequent ones,
 * and the rows read most lie together.  The rank of each of the V IDs
 * (its row in training) and *order (the ID of each rank), or NULL when
 * the counts already descend.
 */
static uint32_t *
row_order(const int64_t *count, size_t V, uint32_t **order)
{
	size_t *ord, i;
	uint32_t *rank;

	for (i = 1; i < V && count[i] <= count[i - 1]; i++)
		;
	if (i >= V)
		return NULL;
	ord = xreallocarray(NULL, V, sizeof(*ord));
	for (i = 0; i < V; i++)
		ord[i] = i;
	vocab_order_ids(count, ord, V);
	rank = xreallocarray(NULL, V, sizeof(*rank));
	*order = xreallocarray(NULL, V, sizeof(**order));
	for (i = 0; i < V; i++) {
		(*order)[i] = (uint32_t)ord[i];
		rank[ord[i]] = (uint32_t)i;
	}
	free(ord);
	return rank;
}

/* t's rows (packed) back in the corpus' order, from row_order's */
static void
rows_back(struct table *t, struct shared *sh)
{
	if (sh->rank == NULL)
		return;
	gather_rows(t->vec, t->V, t->d, sh->rank);
	gather_rows(t->out, t->V, t->d, sh->rank);
	free(sh->rank);
	sh->rank = NULL;
}

int
train_run(struct table *t, const struct corpus *c,
    const struct train_opts *o, struct train_progress *last,
    struct emb_err *e)
{
	struct shared sh;
	struct worker *wk;
	pthread_t *tid;
	size_t V = t->V, d = t->d, dp = STRIDE(d), i;
	size_t nb = t->maxn > 0 ? t->bucket : 0;	/* n-gram rows */
	double t0, lloss = 0;
	uint64_t lpred = 0;
	int nt = o->threads > 0 ? o->threads : 1, k, rc;
	const int64_t *count = c->vocab.count;
	int64_t *ranked = NULL;		/* count in count order */
	uint32_t *order = NULL;

	if (V != c->vocab.n || t->out == NULL || V == 0) {
		err_set(e, NULL, 0, "table and corpus do not match");
		return -1;
	}
	if (o->window < 1 || o->epochs < 1 || (o->loss == TRAIN_NS &&
	    o->negative < 1)) {
		err_set(e, NULL, 0, "window, epochs and negative must be "
		    "positive");
		return -1;
	}
	step_tables();
	memset(&sh, 0, sizeof(sh));
	sh.c = c;
	sh.o = o;
	sh.k = trainkern_get();
	sh.V = V;
	sh.dp = dp;
	sh.alpha0 = o->alpha >= 0 ? o->alpha : train_default_alpha(o);
	sh.min_alpha = o->min_alpha >= 0 ? o->min_alpha : sh.alpha0 * 1e-4;
	sh.total = (uint64_t)o->epochs * c->nwords;
	sh.nthreads = nt;
	if (nb) {
		/* read at random: xaligned gives huge pages where there are */
		sh.syn0 = xaligned((V + nb) * dp * sizeof(float));
		sh.syn1 = xaligned(V * dp * sizeof(float));
		restride(sh.syn0, dp, t->words, d, V, d);
		restride(sh.syn1, dp, t->out, d, V, d);
		trainsub_begin(&sh, t, o->seed);
	} else {
		if ((sh.rank = row_order(count, V, &order)) != NULL) {
			ranked = xreallocarray(NULL, V, sizeof(*ranked));
			for (i = 0; i < V; i++)
				ranked[i] = count[order[i]];
			count = ranked;
			gather_rows(t->vec, V, d, order);
			gather_rows(t->out, V, d, order);
			free(order);
		}
		/* in place (train_table made room): no fresh memory to touch */
		sh.syn0 = t->vec;
		sh.syn1 = t->out;
		spread(sh.syn0, V, d, dp);
		spread(sh.syn1, V, d, dp);
	}
	if (nt > 1 && !nb && o->loss == TRAIN_NS) {
		/* the threads' own replicas of the most frequent words' rows */
		rep_plan(&sh, V, sh.total / (uint64_t)nt);
		/* skip-gram's input rows: no faster replicated (RESULTS.md) */
		sh.rep_in = o->model == TRAIN_CBOW ? sh.rep_out : 0;
	}
	if (o->sample > 0)
		sh.keep = keep_make(c, o->sample);
	if (o->loss == TRAIN_HS) {
		if (huff_make(&sh.hf, count, V, e) < 0)
			goto fail;
	} else {
		noise_make(&sh.nz, count, V);
	}
	sh.words = xcalloc((size_t)nt, sizeof(*sh.words));
	sh.loss = xcalloc((size_t)nt, sizeof(*sh.loss));
	sh.npred = xcalloc((size_t)nt, sizeof(*sh.npred));
	sh.epoch = xcalloc((size_t)nt, sizeof(*sh.epoch));
	sh.rg = xcalloc((size_t)nt, sizeof(*sh.rg));
	for (k = 0; k < nt; k++) {
		/* each thread its part of the corpus, for every epoch */
		sh.rg[k].from = sh.rg[k].pos = c->n * (size_t)k / (size_t)nt;
		sh.rg[k].to = c->n * (size_t)(k + 1) / (size_t)nt;
	}
	pthread_mutex_init(&sh.rmu, NULL);
	pthread_mutex_init(&sh.repmu, NULL);
	pthread_mutex_init(&sh.mu, NULL);
	pthread_cond_init(&sh.cv, NULL);
	wk = xcalloc((size_t)nt, sizeof(*wk));
	tid = xcalloc((size_t)nt, sizeof(*tid));
	t0 = now();
	for (k = 0; k < nt; k++) {
		wk[k].sh = &sh;
		wk[k].id = k;
		if ((rc = pthread_create(&tid[k], NULL, work, &wk[k])) != 0) {
			/* let the started ones finish: stop is not ours */
			nt = k;
			sh.nthreads = k;
			errno = rc;
			err_sys(e, "pthread_create");
			break;
		}
	}
	monitor(&sh, nt, last, t0);
	for (k = 0; k < nt; k++)
		pthread_join(tid[k], NULL);
	rc = nt < o->threads ? -1 : (o->stop != NULL && *o->stop) ? 1 : 0;
	if (last != NULL) {
		snapshot(&sh, last, t0, &lloss, &lpred);
		last->done = 1;
		if (rc == 0)
			last->epoch = o->epochs;
		if (o->progress != NULL)
			o->progress(last, o->progress_arg);
	}
	if (nb) {
		restride(t->words, d, sh.syn0, dp, V, d);
		restride(t->out, d, sh.syn1, dp, V, d);
		trainsub_end(&sh, t);
	} else {
		pack(t->vec, V, d, dp);
		pack(t->out, V, d, dp);
		rows_back(t, &sh);
		sh.syn0 = sh.syn1 = NULL;
	}
	free(wk);
	free(tid);
	free(sh.words);
	free(sh.loss);
	free(sh.npred);
	free(sh.epoch);
	pthread_mutex_destroy(&sh.mu);
	pthread_mutex_destroy(&sh.rmu);
	pthread_mutex_destroy(&sh.repmu);
	free(sh.rg);
	pthread_cond_destroy(&sh.cv);
	if (o->loss == TRAIN_HS)
		huff_free(&sh.hf);
	else {
		free(sh.nz.tab);
	}
	free(sh.keep);
	free(sh.syn0);
	free(sh.syn1);
	free(ranked);
	free(sh.sub_off);
	free(sh.sub_ids);
	return rc;
fail:
	free(ranked);
	free(sh.sub_off);
	free(sh.sub_ids);
	free(sh.keep);
	if (nb) {
		free(sh.syn0);
		free(sh.syn1);
	} else {
		pack(t->vec, V, d, dp);
		pack(t->out, V, d, dp);
		rows_back(t, &sh);
	}
	return -1;
}

