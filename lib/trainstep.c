/* See LICENSE file for copyright and license details. */
/*
 * One training worker's steps (word2vec.c's TrainModelThread, fastText's
 * Model::update): the sigmoid tables, a worker's state and noise words,
 * the skip-gram and CBOW steps of the word model, sentences taken from
 * the shared ranges, and the rows at the training stride.  train.c runs
 * the workers; trainsub.c takes the subword model's steps through these.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rng.h"
#include "trainstep.h"
#include "trainkern.h"
#include "util.h"
#include "vocab.h"

float sig_tab[SIG_N + 1];	/* sigmoid */
float lsig_tab[SIG_N + 1];	/* -log(sigmoid) */
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static void
tab_fill(void)
{
	int i;

	for (i = 0; i <= SIG_N; i++) {
		double x = ((double)i / SIG_N * 2 - 1) * SIG_MAX;

		sig_tab[i] = (float)(1 / (1 + exp(-x)));
		lsig_tab[i] = (float)log1p(exp(-x));
	}
}

void
step_tables(void)
{
	pthread_once(&tab_once, tab_fill);
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
	size_t *order = xreallocarray(NULL, V + 1, sizeof(*order));
	uint8_t *bin = xcalloc(2 * V + 1, 1);
	long pos1 = (long)V - 1, pos2 = (long)V;
	size_t a, i, min1, min2;
	int sorted = 1;

	h->point = xreallocarray(NULL, V, MAXCODE * sizeof(*h->point));
	h->code = xcalloc(V, MAXCODE);
	h->len = xcalloc(V, 1);
	/*
	 * word2vec.c's two-queue merge needs the leaves by count
	 * descending: a vocabulary is, token IDs (--ids) are not, and
	 * unsorted they would give a balanced tree, not Huffman's.
	 */
	for (a = 0; a < V; a++) {
		order[a] = a;
		if (a > 0 && count[a] > count[a - 1])
			sorted = 0;
	}
	if (!sorted)
		vocab_order_ids(count, order, V);
	/*
	 * A row never seen (count 0: an ID the corpus lacks) counts 1:
	 * zero-count leaves would merge one by one into a chain of codes
	 * as long as there are such rows.
	 */
	for (a = 0; a < V; a++)
		cnt[a] = count[order[a]] > 0 ? count[order[a]] : 1;
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
		size_t b = a, n = 0, w = order[a];

		while (V > 1 && b != 2 * V - 2) {
			if (n >= MAXCODE) {
				err_set(e, NULL, 0, "Huffman code longer "
				    "than %d bits", MAXCODE);
				free(cnt);
				free(parent);
				free(order);
				free(bin);
				return -1;
			}
			cd[n] = bin[b];
			pt[n] = (uint32_t)(parent[b] - V);
			n++;
			b = parent[b];
		}
		h->len[w] = (uint8_t)n;
		for (i = 0; i < n; i++) {
			/* root first: reverse the walk up */
			h->code[w * MAXCODE + i] = cd[n - 1 - i];
			h->point[w * MAXCODE + i] = pt[n - 1 - i];
		}
	}
	free(cnt);
	free(parent);
	free(order);
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

static double
thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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
	/*
	 * Thread 0 trains the tables themselves, the others their
	 * replicas: the rows pass between the cores only at merges, and
	 * one thread less copies and merges them.  A replica thread times
	 * the choice (rep_tick), since only it pays for the merges.
	 */
	pthread_mutex_lock(&sh->repmu);
	rep_make(&ws->ro, sh->syn1, id > 0 ? sh->rep_out : 0, sh->rep_round,
	    ws->dp);
	rep_make(&ws->ri, sh->syn0, id > 0 ? sh->rep_in : 0, sh->rep_round,
	    ws->dp);
	pthread_mutex_unlock(&sh->repmu);
	if (id == 1 && ws->ro.cap > 0) {
		ws->tune = xcalloc(1, sizeof(*ws->tune));
		ws->tune->cpu0 = thread_cpu();
	}
}

void
rep_plan(struct shared *sh, size_t V, uint64_t words)
{
	uint64_t round = words / REP_ROUNDS;
	size_t n;

	if (round > REP_ROUND_WORDS)
		round = REP_ROUND_WORDS;
	if (round < LR_EVERY)
		round = LR_EVERY;
	n = REP_HOT + (size_t)(REP_COST * round / sh->dp);
	if (n > REP_BYTES / (2 * sh->dp * sizeof(float)))
		n = REP_BYTES / (2 * sh->dp * sizeof(float));
	sh->rep_out = n < V ? n : V;
	sh->rep_round = (size_t)(round / LR_EVERY);
	sh->rep_on = sh->rep_out > 0;
	sh->rep_phase = words / REP_PHASES;
	if (sh->rep_phase < REP_PHASE_MIN)
		sh->rep_phase = REP_PHASE_MIN;
	if (sh->rep_phase > REP_PHASE_MAX)
		sh->rep_phase = REP_PHASE_MAX;
}

/*
 * The replica afresh from the table (repmu held).  One read of each
 * float gives the row and its base: threads without replicas may be
 * writing the table's rows meanwhile, and a row that differed from its
 * base would merge a change the thread never made.
 */
static void
rep_fresh(struct replica *rp, size_t dp)
{
	const float *r = rp->shared;
	float *restrict l = rp->rows, *restrict o = rp->base;
	size_t k, n = rp->cap * dp;

	for (k = 0; k < n; k++)
		l[k] = o[k] = r[k];
	rp->n = rp->cap;
	rp->next = 0;
}

void
rep_make(struct replica *rp, float *shared, size_t n, size_t round,
    size_t dp)
{
	memset(rp, 0, sizeof(*rp));
	rp->shared = shared;
	rp->round = round > 0 ? round : 1;
	rp->kn = trainkern_get();
	if (n == 0)
		return;
	rp->rows = xaligned(n * dp * sizeof(float));
	rp->base = xaligned(n * dp * sizeof(float));
	rp->cap = n;
	rep_fresh(rp, dp);
}

/* rows [a, b) of the replica into the table and back (repmu held) */
static void
rep_rows(struct replica *rp, size_t a, size_t b, size_t dp)
{
	rp->kn->merge(rp->shared + a * dp, rp->rows + a * dp,
	    rp->base + a * dp, (b - a) * dp);
}

static void
rep_merge1(struct replica *rp, size_t dp, int all)
{
	size_t n = rp->n, hot = n < REP_HOT ? n : REP_HOT;
	size_t blk = (n - hot + rp->round - 1) / rp->round, a, b;

	if (all) {
		rep_rows(rp, 0, n, dp);
		return;
	}
	rep_rows(rp, 0, hot, dp);
	a = rp->next < hot ? hot : rp->next;
	b = a + blk < n ? a + blk : n;
	rep_rows(rp, a, b, dp);
	rp->next = b < n ? b : hot;
}

void
rep_merge(struct wstate *ws, int all)
{
	if (ws->ro.n == 0)
		return;
	pthread_mutex_lock(&ws->sh->repmu);
	rep_merge1(&ws->ro, ws->dp, all);
	rep_merge1(&ws->ri, ws->dp, all);
	pthread_mutex_unlock(&ws->sh->repmu);
}

int
rep_choose(struct reptune *tu, int on, double cost)
{
	unsigned k = tu->k++, i, n;
	double mean = 0;

	if (k == 0)
		return 1;	/* phase 0 warms the caches */
	if (k <= 4) {
		/* 1-4 alternate with and without */
		tu->cost[on] += cost;
		if (k < 4)
			return !on;
		tu->best = tu->cost[1] < tu->cost[0];
		tu->gap = REP_PROBE;
		tu->probe = k + tu->gap;
		return tu->best;
	}
	if (on == tu->best) {
		tu->last[tu->nlast++ % 3] = cost;
		return k == tu->probe ? !tu->best : tu->best;
	}
	/* a probe of the other choice: taken if clearly cheaper */
	n = tu->nlast < 3 ? tu->nlast : 3;
	for (i = 0; i < n; i++)
		mean += tu->last[i] / n;
	if (n == 0 || cost < REP_MARGIN * mean) {
		tu->best = on;
		tu->nlast = 0;
		tu->last[tu->nlast++] = cost;
		tu->gap = REP_PROBE;
	} else if (tu->gap < 2 * REP_PROBE) {
		tu->gap *= 2;
	}
	tu->probe = k + tu->gap;
	return tu->best;
}

/* a tick's merge, and the whole replica (on) or the hot rows' (repmu held) */
static void
rep_follow(struct replica *rp, size_t dp, int on)
{
	if (rp->cap == 0)
		return;
	/* whole when the replica shrinks, grows or stays small */
	rep_merge1(rp, dp, !on || rp->n < rp->cap);
	if (on && rp->n < rp->cap)
		rep_fresh(rp, dp);
	if (!on)
		rp->n = rp->cap < REP_HOT ? rp->cap : REP_HOT;
}

void
rep_tick(struct wstate *ws, uint64_t words)
{
	struct shared *sh = ws->sh;
	struct reptune *tu = ws->tune;
	int on, fresh = 0;

	if (ws->ro.cap == 0)
		return;
	if (tu != NULL && words - tu->words0 >= sh->rep_phase) {
		/* thread 1 ends a phase and chooses the next one's mode */
		on = __atomic_load_n(&sh->rep_on, __ATOMIC_RELAXED);
		__atomic_add_fetch(&sh->rep_with, (unsigned)on,
		    __ATOMIC_RELAXED);
		__atomic_add_fetch(&sh->rep_phases, 1, __ATOMIC_RELAXED);
		on = rep_choose(tu, on, (thread_cpu() - tu->cpu0) /
		    (double)(ws->nstep - tu->steps0 + 1));
		__atomic_store_n(&sh->rep_on, on, __ATOMIC_RELAXED);
		fresh = 1;
	}
	on = __atomic_load_n(&sh->rep_on, __ATOMIC_RELAXED);
	pthread_mutex_lock(&sh->repmu);
	rep_follow(&ws->ro, ws->dp, on);
	rep_follow(&ws->ri, ws->dp, on);
	pthread_mutex_unlock(&sh->repmu);
	if (fresh) {
		tu->cpu0 = thread_cpu();
		tu->words0 = words;
		tu->steps0 = ws->nstep;
	}
}

void
wstate_free(struct wstate *ws)
{
	free(ws->tune);
	free(ws->ro.rows);
	free(ws->ro.base);
	free(ws->ri.rows);
	free(ws->ri.base);
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
	kn->cbow_back(ws->in, n, ws->out, K, ws->S, ws->h, dp);
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
		prefetch_row(out_row(ws, n1[n]), ws->dp);
	}
	return ws->nxt + (q % 4) * neg;
}

/*
 * One position i of sen with its B context rows in ws->in: skip-gram
 * (one prediction per context word, the noise words shared by the
 * window) or CBOW (one prediction from the context mean).
 */
void
step_word(struct wstate *ws, const uint32_t *sen, size_t len, size_t i,
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

		ws->out[K] = out_row(ws, w);
		ws->label[K++] = 1;
		for (n = 0; n < ws->neg; n++) {
			if (cur[n] == w)
				continue;
			ws->out[K] = out_row(ws, cur[n]);
			ws->label[K++] = 0;
		}
		if (i + 1 < len)
			prefetch_row(out_row(ws, sen[i + 1]), dp);
	}
	if (i + ws->win + 1 < len)
		prefetch_row(in_row(ws, sen[i + ws->win + 1]), dp);
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
	const uint32_t *rank = ws->sh->rank;
	size_t nread = 0, n = 0;

	while (*pos < to && nread < MAXSENT) {
		uint32_t w = ids[(*pos)++];

		if (w == CORPUS_EOS)
			break;
		nread++;
		if (keep != NULL && (uint32_t)fast_rand(&ws->rs) >= keep[w])
			continue;
		sen[n++] = rank != NULL ? rank[w] : w;
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
int
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

/*
 * V rows of d floats in place: spread from stride d to dp (the last row
 * first, the padding zeroed), packed back from dp to d (the first first)
 */
void
spread(float *a, size_t V, size_t d, size_t dp)
{
	size_t i = V;

	while (dp > d && i-- > 0) {
		memmove(a + i * dp, a + i * d, d * sizeof(float));
		memset(a + i * dp + d, 0, (dp - d) * sizeof(float));
	}
}

void
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

void
gather_rows(float *a, size_t V, size_t d, const uint32_t *from)
{
	uint8_t *done = xcalloc(V, 1);
	float *tmp = xreallocarray(NULL, d, sizeof(*tmp));
	size_t s, r;

	for (s = 0; s < V; s++) {
		if (done[s] || from[s] == s)
			continue;
		/* the cycle s <- from[s] <- from[from[s]] ... back to s */
		memcpy(tmp, a + s * d, d * sizeof(float));
		for (r = s; from[r] != s; r = from[r]) {
			memcpy(a + r * d, a + (size_t)from[r] * d,
			    d * sizeof(float));
			done[r] = 1;
		}
		memcpy(a + r * d, tmp, d * sizeof(float));
		done[r] = 1;
	}
	free(done);
	free(tmp);
}
