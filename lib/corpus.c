/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "ids.h"
#include "err.h"
#include "src.h"
#include "util.h"
#include "vocab.h"

void
corpus_opts_init(struct corpus_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->min_count = 5;
}

void
corpus_init(struct corpus *c)
{
	memset(c, 0, sizeof(*c));
	vocab_init(&c->vocab);
}

void
corpus_free(struct corpus *c)
{
	vocab_free(&c->vocab);
	free(c->ids);
	corpus_init(c);
}

static void
push(struct corpus *c, size_t *cap, uint32_t id)
{
	if (c->n == *cap) {
		*cap = *cap ? *cap * 2 : (size_t)1 << 12;
		c->ids = xreallocarray(c->ids, *cap, sizeof(*c->ids));
	}
	c->ids[c->n++] = id;
}

/* read one file into c; with store 0 only count its tokens */
static int
read_src(struct corpus *c, size_t *cap, struct src *s,
    const struct corpus_opts *o, int store, struct emb_err *e)
{
	char *w;
	ssize_t len;
	int nl, added, insent = 0;

	while ((len = src_getword(s, &w, &nl, e)) >= 0) {
		uint32_t id;

		if (nl && insent && store) {
			push(c, cap, CORPUS_EOS);
			insent = 0;
		}
		if (o->ids) {
			if (ids_one(w, (size_t)len, o->nids, &id) < 0) {
				err_set(e, s->name, s->line,
				    "\"%.*s\": not a token ID below %zu",
				    (int)(len > 64 ? 64 : len), w, o->nids);
				return -1;
			}
		} else {
			if (c->vocab.n >= UINT32_MAX - 1) {
				err_set(e, s->name, s->line,
				    "more than %lu distinct tokens",
				    (unsigned long)(UINT32_MAX - 2));
				return -1;
			}
			id = (uint32_t)vocab_intern(&c->vocab, w, (size_t)len,
			    &added);
		}
		c->vocab.count[id]++;
		c->ntokens++;
		if (store)
			push(c, cap, id);
		insent = 1;
	}
	if (insent && store)
		push(c, cap, CORPUS_EOS);
	return len == -2 ? -1 : 0;
}

static int
read_one(struct corpus *c, size_t *cap, const char *path,
    const struct corpus_opts *o, int store, struct emb_err *e)
{
	struct src s;
	int r;

	if (src_open(&s, path, e) < 0)
		return -1;
	r = read_src(c, cap, &s, o, store, e);
	src_close(&s);
	return r;
}

/* the files in order (npaths 0: stdin) */
static int
read_all(struct corpus *c, char *const *paths, size_t npaths,
    const struct corpus_opts *o, int store, struct emb_err *e)
{
	size_t cap = 0, i;

	if (npaths == 0)
		return read_one(c, &cap, NULL, o, store, e);
	for (i = 0; i < npaths; i++)
		if (read_one(c, &cap, paths[i], o, store, e) < 0)
			return -1;
	return 0;
}

/*
 * The vocabulary rule (word2vec.c's, gensim's): perm gets v's ids in
 * descending count order, ties by first appearance; the first ones seen
 * at least min_count times are kept, at most max_vocab (0: no limit).
 * Returns how many.
 */
static size_t
keep_order(const struct vocab *v, long min_count, size_t max_vocab,
    size_t *perm)
{
	size_t keep;

	vocab_count_order(v, perm);
	for (keep = 0; keep < v->n; keep++)
		if (v->count[perm[keep]] < min_count)
			break;
	if (max_vocab > 0 && keep > max_vocab)
		keep = max_vocab;
	return keep;
}

int
corpus_count(struct vocab *v, char *const *paths, size_t npaths,
    const struct corpus_opts *o, struct emb_err *e)
{
	struct corpus c;
	size_t *perm, keep;
	uint64_t ntokens;

	corpus_init(&c);
	vocab_ensure_counts(&c.vocab);
	if (read_all(&c, paths, npaths, o, 0, e) < 0) {
		corpus_free(&c);
		return -1;
	}
	perm = xreallocarray(NULL, c.vocab.n ? c.vocab.n : 1, sizeof(*perm));
	keep = keep_order(&c.vocab, o->min_count, o->max_vocab, perm);
	vocab_permute(&c.vocab, perm, keep);
	free(perm);
	vocab_free(v);
	*v = c.vocab;
	vocab_init(&c.vocab);
	ntokens = c.ntokens;
	corpus_free(&c);
	return keep == 0 && ntokens > 0 ? CORPUS_EPRUNED : 0;
}

/* the vocabulary before any input: the IDs' names with --ids */
static void
begin(struct corpus *c, const struct corpus_opts *o)
{
	char buf[32];
	size_t i;

	vocab_ensure_counts(&c->vocab);
	for (i = 0; o->ids && i < o->nids; i++) {
		const char *tok;
		size_t len;
		int n;

		if (o->names != NULL) {
			tok = vocab_token(o->names, i, &len);
			vocab_add(&c->vocab, tok, len);
			continue;
		}
		n = snprintf(buf, sizeof(buf), "%zu", i);
		vocab_add(&c->vocab, buf, (size_t)n);
	}
}

static int finish(struct corpus *c, const struct corpus_opts *o,
    const char *name, struct emb_err *e);

int
corpus_read_srcs(struct corpus *c, struct src *const *srcs, size_t n,
    const struct corpus_opts *o, struct emb_err *e)
{
	size_t cap = 0, i;

	begin(c, o);
	for (i = 0; i < n; i++)
		if (read_src(c, &cap, srcs[i], o, 1, e) < 0)
			return -1;
	return finish(c, o, n == 1 ? srcs[0]->name : NULL, e);
}

int
corpus_read(struct corpus *c, char *const *paths, size_t npaths,
    const struct corpus_opts *o, struct emb_err *e)
{
	begin(c, o);
	if (read_all(c, paths, npaths, o, 1, e) < 0)
		return -1;
	return finish(c, o, npaths == 1 ? (strcmp(paths[0], "-") == 0 ?
	    "<stdin>" : paths[0]) : npaths == 0 ? "<stdin>" : NULL, e);
}

/* prune, order and compact what was read */
static int
finish(struct corpus *c, const struct corpus_opts *o, const char *name,
    struct emb_err *e)
{
	size_t i, j, keep, *perm;
	uint32_t *map;
	int64_t *count;

	if (c->ntokens == 0) {
		err_set(e, name, 0, "empty corpus");
		return -1;
	}
	/* map[old] = new id or CORPUS_EOS for dropped tokens */
	map = xreallocarray(NULL, c->vocab.n, sizeof(*map));
	count = c->vocab.count;
	if (o->ids) {
		for (i = 0; i < c->vocab.n; i++)
			map[i] = count[i] >= o->min_count ? (uint32_t)i :
			    CORPUS_EOS;
		keep = c->vocab.n;
	} else {
		perm = xreallocarray(NULL, c->vocab.n, sizeof(*perm));
		keep = keep_order(&c->vocab, o->min_count, o->max_vocab, perm);
		for (i = 0; i < c->vocab.n; i++)
			map[i] = CORPUS_EOS;
		for (i = 0; i < keep; i++)
			map[perm[i]] = (uint32_t)i;
		vocab_permute(&c->vocab, perm, keep);
		free(perm);
	}
	/* compact: drop pruned tokens and empty sentences */
	c->nwords = 0;
	for (i = j = 0; i < c->n; i++) {
		uint32_t id = c->ids[i];

		if (id == CORPUS_EOS) {
			if (j > 0 && c->ids[j - 1] != CORPUS_EOS)
				c->ids[j++] = CORPUS_EOS;
			continue;
		}
		if (map[id] == CORPUS_EOS)
			continue;
		c->ids[j++] = map[id];
		c->nwords++;
	}
	c->n = j;
	free(map);
	return c->nwords == 0 ? CORPUS_EPRUNED : 0;
}
