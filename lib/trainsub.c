/* See LICENSE file for copyright and license details. */
/*
 * fastText's subword model (Bojanowski et al. 2017; fastText 0.9.2's
 * FastText::skipgram / cbow and Model::update): a word's input vector is
 * the mean of its own row and its n-gram rows, and the gradient of that
 * mean goes whole to each of those rows (fastText does not divide it).
 *
 * Skip-gram as fastText, pair by pair (centre, context), each pair with
 * its own negatives, the centre's rows the input; only the cost differs.
 * fastText averages the centre's rows again for every pair and adds the
 * pair's gradient to each of them; since adding g to every row adds g
 * to their mean, here the mean is taken once per centre word, g is added
 * to it after each pair, and the rows get the pairs' summed gradient
 * once: the n-gram rows are read and written once per centre word, not
 * once per pair.  (Taking all pairs at one mean, pWord2Vec's batching,
 * lost 12 analogy points to fastText on a 1M-word corpus.)
 *
 * CBOW as fastText: the rows of all context words' n-grams averaged, one
 * target with its negatives, the gradient added to every one of the rows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "subword.h"
#include "trainstep.h"
#include "trainsub.h"
#include "util.h"

void
trainsub_lists(struct shared *sh, const struct table *t)
{
	struct subword sw;
	uint32_t *ids = NULL;
	size_t cap = 0, i, j, n, len, total = 0, V = t->V;

	table_subword(t, &sw);
	sw.bucket = t->bucket;	/* the rows may be drawn in syn0 only */
	sh->sub_off = xreallocarray(NULL, V + 1, sizeof(*sh->sub_off));
	sh->sub_ids = NULL;
	sh->maxsub = 1;
	for (i = 0; i < V; i++) {
		const char *w = vocab_token(&t->vocab, i, &len);

		n = subword_ngrams(&sw, w, len, &ids, &cap);
		sh->sub_off[i] = (uint32_t)total;
		sh->sub_ids = xreallocarray(sh->sub_ids, total + n + 1,
		    sizeof(*sh->sub_ids));
		sh->sub_ids[total++] = (uint32_t)i;
		for (j = 0; j < n; j++)
			sh->sub_ids[total++] = (uint32_t)(V + ids[j]);
		if (n + 1 > sh->maxsub)
			sh->maxsub = n + 1;
	}
	sh->sub_off[V] = (uint32_t)total;
	free(ids);
}

/* the rows of word w into rows[], returns how many */
static inline size_t
word_rows(const struct shared *sh, uint32_t w, float **rows)
{
	size_t a = sh->sub_off[w], b = sh->sub_off[w + 1], i;

	for (i = a; i < b; i++)
		rows[i - a] = sh->syn0 + (size_t)sh->sub_ids[i] * sh->dp;
	return b - a;
}

/* hierarchical softmax: word w's path as outputs from out[K] on */
static size_t
path(struct wstate *ws, uint32_t w, size_t K)
{
	const struct shared *sh = ws->sh;
	const uint32_t *pt = sh->hf.point + (size_t)w * MAXCODE;
	const uint8_t *cd = sh->hf.code + (size_t)w * MAXCODE;
	size_t n;

	for (n = 0; n < sh->hf.len[w]; n++, K++) {
		ws->out[K] = sh->syn1 + (size_t)pt[n] * ws->dp;
		ws->label[K] = 1 - (float)cd[n];
	}
	return K;
}

/* the step's noise words as outputs from out[K] on, none of pos[0..np) */
static size_t
negatives(struct wstate *ws, const uint32_t *pos, size_t np, size_t K)
{
	const uint32_t *cur = noise_next(ws);
	size_t n, j;

	for (n = 0; n < ws->neg; n++) {
		int hit = 0;

		for (j = 0; j < np; j++)
			hit |= pos[j] == cur[n];
		if (hit)
			continue;
		ws->out[K] = ws->sh->syn1 + (size_t)cur[n] * ws->dp;
		ws->label[K++] = 0;
	}
	return K;
}

void
trainsub_step(struct wstate *ws, const uint32_t *sen, size_t i, size_t lo,
    size_t hi)
{
	const struct shared *sh = ws->sh;
	const struct train_kern *kn = ws->kn;
	int hs = sh->o->loss == TRAIN_HS;
	size_t n = 0, K = 0, j, dp = ws->dp;
	float *acc = ws->nb + dp;	/* the centre's rows' gradient */

	if (sh->o->model == TRAIN_CBOW) {
		/* fastText's CBOW: the rows of every context word's n-grams */
		for (j = lo; j <= hi; j++)
			if (j != i)
				n += word_rows(sh, sen[j], ws->in + n);
		if (n == 0)
			return;
		if (hs)
			K = path(ws, sen[i], 0);
		else {
			ws->out[K] = sh->syn1 + (size_t)sen[i] * ws->dp;
			ws->label[K++] = 1;
			K = negatives(ws, &sen[i], 1, K);
		}
		if (K > 0)
			step_mean(ws, n, K);
		return;
	}
	/* skip-gram: pair by pair, the centre's rows as the input */
	n = word_rows(sh, sen[i], ws->in);
	kn->mean(ws->h, ws->in, n, 1.0f / (float)n, dp);
	memset(acc, 0, dp * sizeof(float));
	for (j = lo; j <= hi; j++) {
		if (j == i)
			continue;
		if (hs)
			K = path(ws, sen[j], 0);
		else {
			ws->out[0] = sh->syn1 + (size_t)sen[j] * dp;
			ws->label[0] = 1;
			K = negatives(ws, &sen[j], 1, 1);
		}
		if (K == 0)
			continue;
		kn->dots(&ws->h, 1, ws->out, K, ws->S, dp);
		ws->loss += grads(ws->S, 1, K, ws->label, ws->alpha);
		ws->npred += K;
		kn->update(&ws->h, 1, ws->out, K, ws->S, ws->nb, dp);
		/* every row gains nb, so their mean does: no re-averaging */
		kn->addto(&ws->h, 1, ws->nb, dp);
		kn->addto(&acc, 1, ws->nb, dp);
	}
	kn->addto(ws->in, n, acc, dp);
}

int
trainsub_table(struct table *t, const struct train_opts *o,
    const struct table *init, struct emb_err *e)
{
	size_t V = t->V, d = t->d, i, len, bytes;

	if (init != NULL && init->ngrams != NULL && (init->minn != o->minn ||
	    init->maxn != o->maxn || init->bucket != (size_t)o->bucket)) {
		err_set(e, NULL, 0, "--init model has n-grams of %d to %d "
		    "characters in %zu buckets, not %ld to %ld in %ld",
		    init->minn, init->maxn, init->bucket, o->minn, o->maxn,
		    o->bucket);
		return -1;
	}
	if (size_mul((size_t)o->bucket, d * sizeof(float), &bytes) < 0) {
		err_set(e, NULL, 0, "%ld n-gram rows of %zu are too many",
		    o->bucket, d);
		return -1;
	}
	t->minn = (int)o->minn;
	t->maxn = (int)o->maxn;
	t->bucket = (size_t)o->bucket;
	t->words = xaligned(V * d * sizeof(float) + 1);
	memcpy(t->words, t->vec, V * d * sizeof(float));
	if (init == NULL || init->ngrams == NULL)
		return 0;
	t->ngrams = xaligned(bytes + 1);
	memcpy(t->ngrams, init->ngrams, bytes);
	if (init->words == NULL || init->vocab.n == 0)
		return 0;
	for (i = 0; i < V; i++) {
		const char *tok = vocab_token(&t->vocab, i, &len);
		long id = vocab_find((struct vocab *)&init->vocab, tok, len);

		if (id >= 0)
			memcpy(t->words + i * d, init->words + (size_t)id * d,
			    d * sizeof(float));
	}
	return 0;
}

void
trainsub_begin(struct shared *sh, struct table *t, uint64_t seed)
{
	size_t V = t->V, d = t->d, dp = sh->dp, nb = t->bucket;

	/* the n-gram rows are held once: in syn0 while training */
	if (t->ngrams != NULL)
		restride(sh->syn0 + V * dp, dp, t->ngrams, d, nb, d);
	else
		trainsub_draw(sh->syn0 + V * dp, dp, d, V, nb, seed);
	free(t->ngrams);
	t->ngrams = NULL;
	trainsub_lists(sh, t);
}

void
trainsub_end(struct shared *sh, struct table *t)
{
	size_t V = t->V, d = t->d, dp = sh->dp, i;

	/* packed in place to the front of syn0, which t keeps */
	for (i = 0; i < t->bucket; i++)
		memmove(sh->syn0 + i * d, sh->syn0 + (V + i) * dp,
		    d * sizeof(float));
	t->ngrams = sh->syn0;
	sh->syn0 = NULL;
	table_compose(t);
}

void
trainsub_draw(float *rows, size_t dp, size_t d, size_t V, size_t bucket,
    uint64_t seed)
{
	struct init_opts io;
	size_t i;

	init_opts_init(&io);
	io.kind = INIT_UNIFORM;
	io.range = 0.5 / (double)d;
	io.seed = seed;
	for (i = 0; i < bucket; i++) {
		init_row(rows + i * dp, d, V + i, V + bucket, &io);
		memset(rows + i * dp + d, 0, (dp - d) * sizeof(float));
	}
}
