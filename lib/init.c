/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "subword.h"
#include "table.h"
#include "tokvocab.h"
#include "rng.h"
#include "util.h"
#include "vocabio.h"

static const char *const init_names[] = { "normal", "uniform", "xavier",
    "zeros" };

void
init_opts_init(struct init_opts *o)
{
	o->kind = INIT_NORMAL;
	o->std = 1.0;		/* torch.nn.Embedding */
	o->range = 0;		/* 0.5 / d, word2vec.c */
	o->seed = 1;
}

int
init_byname(const char *name, enum init_kind *k)
{
	size_t i;

	for (i = 0; i < sizeof(init_names) / sizeof(init_names[0]); i++)
		if (strcmp(name, init_names[i]) == 0) {
			*k = (enum init_kind)i;
			return 0;
		}
	return -1;
}

const char *
init_name(enum init_kind k)
{
	return init_names[k];
}

/* the bound of the uniform initialisers */
static double
bound(const struct init_opts *o, size_t V, size_t d)
{
	if (o->kind == INIT_XAVIER)
		return sqrt(6.0 / ((double)V + (double)d));
	return o->range > 0 ? o->range : 0.5 / (double)d;
}

void
init_describe(const struct init_opts *o, size_t V, size_t d, char *buf,
    size_t size)
{
	switch (o->kind) {
	case INIT_NORMAL:
		snprintf(buf, size, "normal std=%.9g seed=%llu", o->std,
		    (unsigned long long)o->seed);
		break;
	case INIT_ZEROS:
		snprintf(buf, size, "zeros");
		break;
	default:
		snprintf(buf, size, "%s range=%.9g seed=%llu",
		    init_name(o->kind), bound(o, V, d),
		    (unsigned long long)o->seed);
		break;
	}
}

void
init_row(float *row, size_t d, size_t i, size_t V, const struct init_opts *o)
{
	struct rng r;
	double a;
	size_t j;

	if (o->kind == INIT_ZEROS) {
		memset(row, 0, d * sizeof(float));
		return;
	}
	rng_seed(&r, o->seed, (uint64_t)i);
	if (o->kind == INIT_NORMAL) {
		for (j = 0; j < d; j++)
			row[j] = (float)(o->std * rng_normal(&r));
		return;
	}
	a = bound(o, V, d);
	for (j = 0; j < d; j++)
		row[j] = (float)((2.0 * rng_uniform(&r) - 1.0) * a);
}

void
init_rows(struct table *t, size_t from, size_t to, const struct init_opts *o)
{
	size_t i;

	for (i = from; i < to; i++)
		init_row(table_row(t, i), t->d, i, t->V, o);
}

/*
 * dst (init_select's rows) keeps src's subword model: the n-gram rows
 * (taken from src), the word rows of the tokens src has, and for the
 * others a word row equal to their n-gram vector, so that the word's
 * vector (the mean of its row and its n-gram rows) is fastText's vector
 * for an unseen word; a token without n-grams keeps its random row.
 */
static void
select_subwords(struct table *dst, struct table *src)
{
	struct subword sw;
	uint32_t *ids = NULL;
	size_t cap = 0, i, len, d = dst->d;

	dst->minn = src->minn;
	dst->maxn = src->maxn;
	dst->bucket = src->bucket;
	dst->ngrams = src->ngrams;
	src->ngrams = NULL;
	dst->words = xaligned(dst->V * d * sizeof(float) + 1);
	table_subword(dst, &sw);
	sw.words = NULL;
	for (i = 0; i < dst->V; i++) {
		const char *tok = vocab_token(&dst->vocab, i, &len);
		long id = vocab_find(&src->vocab, tok, len);
		float *w = dst->words + i * d;

		if (id >= 0)
			memcpy(w, src->words + (size_t)id * d, d * sizeof(float));
		else if (subword_vector(&sw, NULL, tok, len, w, &ids, &cap) == 0)
			memcpy(w, table_row(dst, i), d * sizeof(float));
	}
	free(ids);
	table_compose(dst);
}

int
init_select(struct table *dst, struct table *src, const struct vocab *voc,
    const struct init_opts *o, size_t *missing, struct emb_err *e)
{
	size_t i, len;

	*missing = 0;
	if (table_alloc(dst, voc->n, src->d, e) < 0)
		return -1;
	if (voc->count != NULL || src->vocab.count != NULL)
		vocab_ensure_counts(&dst->vocab);
	for (i = 0; i < voc->n; i++) {
		const char *tok = vocab_token(voc, i, &len);
		long id = src->vocab.n > 0 ? vocab_find(&src->vocab, tok, len) :
		    -1;

		vocab_add(&dst->vocab, tok, len);
		if (id >= 0) {
			memcpy(table_row(dst, i), table_row(src, (size_t)id),
			    src->d * sizeof(float));
		} else {
			init_row(table_row(dst, i), dst->d, i, dst->V, o);
			(*missing)++;
		}
		if (voc->count != NULL)
			dst->vocab.count[i] = voc->count[i];
		else if (src->vocab.count != NULL)
			dst->vocab.count[i] = id >= 0 ? src->vocab.count[id] : 0;
	}
	if (src->ngrams != NULL && src->words != NULL)
		select_subwords(dst, src);
	return 0;
}

int
init_load_vocab(struct vocab *v, const char *path, struct emb_err *e)
{
	size_t n = strlen(path), rows = 0;

	if (tokvocab_is_tokenizer(path))
		return tokvocab_names_spec(v, path, &rows, e);
	if (n >= 5 && strcmp(path + n - 5, ".json") == 0)
		return vocab_load_json(v, path, e);
	return vocab_load(v, path, e);
}

int
init_is_padded(const struct vocab *v, const struct vocab *tab)
{
	size_t i;

	if (tab->n <= v->n || !init_is_prefix(v, tab))
		return 0;
	for (i = v->n; i < tab->n; i++)
		if (tab->len[i] != 0)
			return 0;
	return 1;
}

int
init_is_prefix(const struct vocab *a, const struct vocab *b)
{
	size_t i, la, lb;

	if (a->n == 0 || a->n > b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		const char *ta = vocab_token(a, i, &la);
		const char *tb = vocab_token(b, i, &lb);

		if (la != lb || memcmp(ta, tb, la) != 0)
			return 0;
	}
	return 1;
}
