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
#include "rng.h"
#include "table.h"
#include "train.h"
#include "train_impl.h"
#include "trainkern.h"
#include "util.h"
#include "vocab.h"

float sig_tab[SIG_N + 1];	/* sigmoid */
float lsig_tab[SIG_N + 1];	/* -log(sigmoid) */
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static void
tab_make(void)
{
	int i;

	for (i = 0; i <= SIG_N; i++) {
		double x = ((double)i / SIG_N * 2 - 1) * SIG_MAX;

		sig_tab[i] = (float)(1 / (1 + exp(-x)));
		lsig_tab[i] = (float)log1p(exp(-x));
	}
}

void
noise_make(struct noise *nz, const int64_t *count, size_t n)
{
	double *p = xreallocarray(NULL, n, sizeof(*p)), sum = 0;
	uint32_t *small = xreallocarray(NULL, n, sizeof(*small));
	uint32_t *large = xreallocarray(NULL, n, sizeof(*large));
	size_t i, ns = 0, nl = 0;

	nz->tab = xreallocarray(NULL, n, 2 * sizeof(*nz->tab));
	nz->n = (uint32_t)n;
	for (i = 0; i < n; i++)
		sum += p[i] = pow((double)(count[i] > 0 ? count[i] : 0), 0.75);
	for (i = 0; i < n; i++) {
		p[i] = sum > 0 ? p[i] * (double)n / sum : 1;
		nz->tab[2 * i + 1] = (uint32_t)i;
		if (p[i] < 1)
			small[ns++] = (uint32_t)i;
		else
			large[nl++] = (uint32_t)i;
	}
	while (ns > 0 && nl > 0) {
		uint32_t s = small[--ns], l = large[nl - 1];

		nz->tab[2 * s] = (uint32_t)(p[s] * 4294967296.0 >= 4294967295.0 ?
		    4294967295.0 : p[s] * 4294967296.0);
		nz->tab[2 * s + 1] = l;
		p[l] -= 1 - p[s];
		if (p[l] < 1) {
			nl--;
			small[ns++] = l;
		}
	}
	while (nl > 0)
		nz->tab[2 * large[--nl]] = UINT32_MAX;
	while (ns > 0)
		nz->tab[2 * small[--ns]] = UINT32_MAX;
	free(p);
	free(small);
	free(large);
}

int
huff_make(struct huff *h, const int64_t *count, size_t V, struct emb_err *e)
{
	int64_t *cnt = xreallocarray(NULL, 2 * V + 1, sizeof(*cnt));
	size_t *parent = xreallocarray(NULL, 2 * V + 1, sizeof(*parent));
	uint8_t *bin = xcalloc(2 * V + 1, 1);
	long pos1 = (long)V - 1, pos2 = (long)V;
	size_t a, i, min1, min2;

	h->point = xreallocarray(NULL, V, MAXCODE * sizeof(*h->point));
	h->code = xcalloc(V, MAXCODE);
	h->len = xcalloc(V, 1);
	for (a = 0; a < V; a++)
		cnt[a] = count[a];
	for (a = V; a < 2 * V; a++)
		cnt[a] = INT64_MAX / 4;
	for (a = 0; a + 1 < V; a++) {
		if (pos1 >= 0 && cnt[pos1] < cnt[pos2])
			min1 = (size_t)pos1--;
		else
			min1 = (size_t)pos2++;
		if (pos1 >= 0 && cnt[pos1] < cnt[pos2])
			min2 = (size_t)pos1--;
		else
			min2 = (size_t)pos2++;
		cnt[V + a] = cnt[min1] + cnt[min2];
		parent[min1] = V + a;
		parent[min2] = V + a;
		bin[min2] = 1;
	}
	for (a = 0; a < V; a++) {
		uint32_t pt[MAXCODE + 1];
		uint8_t cd[MAXCODE + 1];
		size_t b = a, n = 0;

		while (V > 1 && b != 2 * V - 2) {
			if (n >= MAXCODE) {
				err_set(e, NULL, 0, "Huffman code longer "
				    "than %d bits", MAXCODE);
				free(cnt);
				free(parent);
				free(bin);
				return -1;
			}
			cd[n] = bin[b];
			pt[n] = (uint32_t)(parent[b] - V);
			n++;
			b = parent[b];
		}
		h->len[a] = (uint8_t)n;
		for (i = 0; i < n; i++) {
			/* root first: reverse the walk up */
			h->code[a * MAXCODE + i] = cd[n - 1 - i];
			h->point[a * MAXCODE + i] = pt[n - 1 - i];
		}
	}
	free(cnt);
	free(parent);
	free(bin);
	return 0;
}

void
huff_free(struct huff *h)
{
	free(h->point);
	free(h->code);
	free(h->len);
}

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
    uint64_t corpus_words, const char *initpath,
    const struct train_progress *stopped)
{
	table_meta_set(t, "emb.tool", "emb-train");
	table_meta_set(t, "emb.arch", train_model_name(o->model));
	table_meta_set(t, "emb.loss", train_loss_name(o->loss));
	meta_num(t, "emb.window", (double)o->window);
	meta_num(t, "emb.negative", (double)o->negative);
	meta_num(t, "emb.sample", o->sample);
	meta_num(t, "emb.alpha", o->alpha >= 0 ? o->alpha :
	    train_default_alpha(o));
	meta_num(t, "emb.epochs", (double)o->epochs);
	meta_num(t, "emb.min_count", (double)min_count);
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
	char a[32], b[32];
	double eta = p->done ? p->elapsed : p->eta < 0 ? 0 : p->eta;

	snprintf(buf, size, "%semb-train: %5.1f%%  epoch %d  %s words/s "
	    "(%s/thread)  lr %.6f  loss %.4f  %s %d:%02d%s",
	    tty ? "\r" : "", p->frac * 100, p->epoch,
	    human(p->wps, a, sizeof(a)),
	    human(p->wps / p->threads, b, sizeof(b)), p->alpha, p->loss,
	    p->done ? "took" : "eta", (int)(eta / 60), (int)eta % 60,
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

uint64_t
words_all(struct shared *sh)
{
	uint64_t s = 0;
	int t;

	for (t = 0; t < sh->nthreads; t++)
		s += __atomic_load_n(&sh->words[t], __ATOMIC_RELAXED);
	return s;
}

double
alpha_at(struct shared *sh, uint64_t done)
{
	double a = sh->alpha0 * (1 - (double)done / (double)(sh->total + 1));

	return a < sh->min_alpha ? sh->min_alpha : a;
}

void
wstate_init(struct wstate *ws, struct shared *sh, int id)
{
	const struct train_opts *o = sh->o;
	size_t win = o->window, neg = o->negative, n;
	size_t kmax = neg + 1 > MAXCODE ? neg + 1 : MAXCODE;
	/* subwords: the rows of a window's words; its words' outputs */
	size_t nin = sh->sub_off != NULL ? (2 * win + 1) * sh->maxsub :
	    2 * win + 1;

	if (sh->sub_off != NULL)
		kmax = 2 * win * MAXCODE + neg + 1;
	struct rng r;

	memset(ws, 0, sizeof(*ws));
	ws->sh = sh;
	ws->kn = sh->k;
	ws->dp = sh->dp;
	ws->win = win;
	ws->neg = neg;
	ws->alpha = (float)sh->alpha0;
	ws->in = xreallocarray(NULL, nin, sizeof(*ws->in));
	ws->pos = xreallocarray(NULL, 2 * win + 1, sizeof(*ws->pos));
	ws->out = xreallocarray(NULL, kmax, sizeof(*ws->out));
	ws->label = xreallocarray(NULL, kmax, sizeof(*ws->label));
	ws->S = xreallocarray(NULL, (2 * win + 1) * kmax, sizeof(*ws->S));
	ws->nb = xaligned((2 * win + 1) * ws->dp * sizeof(float));
	ws->h = xaligned(ws->dp * sizeof(float));
	ws->nxt = xreallocarray(NULL, 4 * neg + 1, sizeof(*ws->nxt));
	ws->rr = xreallocarray(NULL, 4 * neg + 1, sizeof(*ws->rr));
	rng_seed(&r, o->seed, 0x7261696eULL + (uint64_t)id);
	ws->rs = rng_u64(&r);
	/* fill the noise pipeline: slots 0, 1 (words), 2 (random numbers) */
	for (n = 0; n < 3 * neg; n++)
		ws->rr[n] = fast_rand(&ws->rs);
	if (o->loss == TRAIN_NS)
		for (n = 0; n < 2 * neg; n++)
			ws->nxt[n] = noise_pick(&sh->nz, ws->rr[n]);
}

void
wstate_free(struct wstate *ws)
{
	free(ws->in);
	free(ws->pos);
	free(ws->out);
	free(ws->label);
	free(ws->S);
	free(ws->nb);
	free(ws->h);
	free(ws->nxt);
	free(ws->rr);
}

void
step_mean(struct wstate *ws, size_t n, size_t K)
{
	const struct train_kern *kn = ws->kn;
	size_t dp = ws->dp;

	kn->mean(ws->h, ws->in, n, 1.0f / (float)n, dp);
	kn->dots(&ws->h, 1, ws->out, K, ws->S, dp);
	ws->loss += grads(ws->S, 1, K, ws->label, ws->alpha);
	ws->npred += K;
	kn->update(&ws->h, 1, ws->out, K, ws->S, ws->nb, dp);
	kn->addto(ws->in, n, ws->nb, dp);
}

/*
 * This step's noise words.  The pipeline: random numbers three steps
 * ahead (their alias slots fetched), words two ahead, rows one ahead.
 */
const uint32_t *
noise_next(struct wstate *ws)
{
	const struct noise *nz = &ws->sh->nz;
	size_t n, neg = ws->neg, q = ws->q++;
	uint32_t *n1 = ws->nxt + ((q + 1) % 4) * neg;
	uint32_t *n2 = ws->nxt + ((q + 2) % 4) * neg;
	uint64_t *r2 = ws->rr + ((q + 2) % 4) * neg;
	uint64_t *r3 = ws->rr + ((q + 3) % 4) * neg;

	for (n = 0; n < neg; n++) {
		r3[n] = fast_rand(&ws->rs);
		__builtin_prefetch(nz->tab + 2 * noise_slot(nz, r3[n]));
		n2[n] = noise_pick(nz, r2[n]);
		prefetch_row(ws->sh->syn1 + (size_t)n1[n] * ws->dp, ws->dp);
	}
	return ws->nxt + (q % 4) * neg;
}

/*
 * One position i of sen with its B context rows in ws->in: skip-gram
 * (one prediction per context word, the noise words shared by the
 * window) or CBOW (one prediction from the context mean).
 */
static void
step_one(struct wstate *ws, const uint32_t *sen, size_t len, size_t i,
    size_t B)
{
	struct shared *sh = ws->sh;
	const struct train_kern *kn = ws->kn;
	size_t dp = ws->dp, K = 0, j, n;
	uint32_t w = sen[i];

	if (sh->o->loss == TRAIN_HS) {
		const uint32_t *pt = sh->hf.point + (size_t)w * MAXCODE;
		const uint8_t *cd = sh->hf.code + (size_t)w * MAXCODE;

		for (K = 0; K < sh->hf.len[w]; K++) {
			ws->out[K] = sh->syn1 + pt[K] * dp;
			ws->label[K] = 1 - (float)cd[K];
		}
	} else {
		const uint32_t *cur = noise_next(ws);

		ws->out[K] = sh->syn1 + (size_t)w * dp;
		ws->label[K++] = 1;
		for (n = 0; n < ws->neg; n++) {
			if (cur[n] == w)
				continue;
			ws->out[K] = sh->syn1 + (size_t)cur[n] * dp;
			ws->label[K++] = 0;
		}
		if (i + 1 < len)
			prefetch_row(sh->syn1 + (size_t)sen[i + 1] * dp, dp);
	}
	if (i + ws->win + 1 < len)
		prefetch_row(sh->syn0 + (size_t)sen[i + ws->win + 1] * dp, dp);
	if (B == 0 || K == 0)
		return;
	if (sh->o->model == TRAIN_CBOW) {
		step_mean(ws, B, K);
	} else {
		kn->dots(ws->in, B, ws->out, K, ws->S, dp);
		ws->loss += grads(ws->S, B, K, ws->label, ws->alpha);
		ws->npred += B * K;
		kn->update(ws->in, B, ws->out, K, ws->S, ws->nb, dp);
		for (j = 0; j < B; j++)
			kn->addto(&ws->in[j], 1, ws->nb + j * dp, dp);
	}
}

/*
 * The next sentence from c->ids[*pos, to): up to MAXSENT corpus words,
 * ending at an end of sentence, subsampled into sen.  Returns the corpus
 * words read; *len gets the words kept.
 */
size_t
read_sentence(struct wstate *ws, size_t *pos, size_t to, uint32_t *sen,
    size_t *len)
{
	const uint32_t *ids = ws->sh->c->ids, *keep = ws->sh->keep;
	size_t nread = 0, n = 0;

	while (*pos < to && nread < MAXSENT) {
		uint32_t w = ids[(*pos)++];

		if (w == CORPUS_EOS)
			break;
		nread++;
		if (keep != NULL && (uint32_t)fast_rand(&ws->rs) >= keep[w])
			continue;
		sen[n++] = w;
	}
	*len = n;
	return nread;
}

/* publish this worker's counts for the monitor and the learning rate */
void
publish(struct wstate *ws, int id, uint64_t words)
{
	struct shared *sh = ws->sh;

	__atomic_store_n(&sh->words[id], words, __ATOMIC_RELAXED);
	__atomic_store(&sh->loss[id], &ws->loss, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->npred[id], ws->npred, __ATOMIC_RELAXED);
}

/*
 * The next sentence for thread id: [*a, *b) of c->ids, read_sentence's
 * sentence (up to MAXSENT words, or to the end of a sentence or of the
 * range), *ep the epoch it is in.  From the thread's own range while it
 * has epochs left, then from the range with the most left, so that no
 * thread waits for another at the end.  0 when every range is done.
 */
static int
next_sentence(struct shared *sh, int id, size_t *a, size_t *b, int *ep)
{
	const uint32_t *ids = sh->c->ids;
	struct range *r = &sh->rg[id];
	uint64_t left, most = 0;
	size_t n = 0, p;
	int t, E = sh->o->epochs;

	pthread_mutex_lock(&sh->rmu);
	for (t = 0; r->ep >= E && t < sh->nthreads; t++) {
		struct range *q = &sh->rg[t];

		left = q->ep >= E ? 0 : (uint64_t)(E - q->ep) *
		    (q->to - q->from) - (q->pos - q->from) + 1;
		if (left > most) {
			most = left;
			r = q;
		}
	}
	if (r->ep >= E) {
		pthread_mutex_unlock(&sh->rmu);
		return 0;
	}
	*a = p = r->pos;
	*ep = r->ep;
	while (p < r->to && n < MAXSENT)
		if (ids[p++] == CORPUS_EOS)
			break;
		else
			n++;
	*b = p;
	r->pos = p;
	if (p >= r->to) {
		r->pos = r->from;
		r->ep++;
	}
	pthread_mutex_unlock(&sh->rmu);
	return 1;
}

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
		if (words - last >= LR_EVERY) {
			publish(&ws, wk->id, base + words);
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
					ws.in[B++] = sh->syn0 +
					    sen[j] * ws.dp;
			step_one(&ws, sen, len, i, B);
		}
	}
	publish(&ws, wk->id, base + words);
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
		if (t == 0 || e < ep)
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
}

/*
 * V rows of d floats in place: spread from stride d to dp (the last row
 * first, the padding zeroed), packed back from dp to d (the first first)
 */
static void
spread(float *a, size_t V, size_t d, size_t dp)
{
	size_t i = V;

	while (dp > d && i-- > 0) {
		memmove(a + i * dp, a + i * d, d * sizeof(float));
		memset(a + i * dp + d, 0, (dp - d) * sizeof(float));
	}
}

static void
pack(float *a, size_t V, size_t d, size_t dp)
{
	size_t i;

	for (i = 0; dp > d && i < V; i++)
		memmove(a + i * d, a + i * dp, d * sizeof(float));
}

void
restride(float *dst, size_t ddst, const float *src, size_t dsrc, size_t V,
    size_t d)
{
	size_t i;

	for (i = 0; i < V; i++) {
		memcpy(dst + i * ddst, src + i * dsrc, d * sizeof(float));
		if (ddst > d)
			memset(dst + i * ddst + d, 0, (ddst - d) *
			    sizeof(float));
	}
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

int
train_run(struct table *t, const struct corpus *c,
    const struct train_opts *o, struct train_progress *last,
    struct emb_err *e)
{
	struct shared sh;
	struct worker *wk;
	pthread_t *tid;
	size_t V = t->V, d = t->d, dp = STRIDE(d);
	size_t nb = t->maxn > 0 ? t->bucket : 0;	/* n-gram rows */
	double t0, lloss = 0;
	uint64_t lpred = 0;
	int nt = o->threads > 0 ? o->threads : 1, k, rc;

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
	pthread_once(&tab_once, tab_make);
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
		/* in place (train_table made room): no fresh memory to touch */
		sh.syn0 = t->vec;
		sh.syn1 = t->out;
		spread(sh.syn0, V, d, dp);
		spread(sh.syn1, V, d, dp);
	}
	if (o->sample > 0)
		sh.keep = keep_make(c, o->sample);
	if (o->loss == TRAIN_HS) {
		if (huff_make(&sh.hf, c->vocab.count, V, e) < 0)
			goto fail;
	} else {
		noise_make(&sh.nz, c->vocab.count, V);
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
	free(sh.sub_off);
	free(sh.sub_ids);
	return rc;
fail:
	free(sh.sub_off);
	free(sh.sub_ids);
	free(sh.keep);
	if (nb) {
		free(sh.syn0);
		free(sh.syn1);
	} else {
		pack(t->vec, V, d, dp);
		pack(t->out, V, d, dp);
	}
	return -1;
}

