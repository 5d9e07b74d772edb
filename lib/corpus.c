/* See LICENSE file for copyright and license details. */
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "ids.h"
#include "err.h"
#include "le.h"
#include "par.h"
#include "src.h"
#include "tally.h"
#include "util.h"
#include "vocab.h"

/* parallel reading: the least a thread is given, unless told otherwise */
#define MINPART ((size_t)4 << 20)

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
 * Returns how many; perm[0 .. that) is set.  Only the kept ones are
 * sorted: most of a corpus' types are seen fewer than min_count times.
 */
static size_t
keep_order(const struct vocab *v, long min_count, size_t max_vocab,
    size_t *perm)
{
	size_t keep = 0, i;

	for (i = 0; i < v->n; i++)
		if (v->count[i] >= min_count)
			perm[keep++] = i;
	vocab_order_ids(v->count, perm, keep);
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

/*
 * Reading one plain file on several threads.  The mapped file is cut
 * into parts that end at the end of a word (a part after the first
 * starts with the white space that follows it).  A first pass counts
 * each part's words and ends of sentence, so the IDs array is made once
 * at its size (fresh memory is slow to touch: nothing is copied); the
 * second reads each part into its own tally (first seen first) and its
 * place in the array; the tallies are then joined in order (a part's
 * new tokens after the earlier parts' ones) and each part's IDs mapped
 * to the joined ones.  Vocabulary, counts and IDs are the ones read_src
 * gives.  One thread reads one part so too (no copy of the words into
 * a buffer, and the tally is faster than vocab_intern).
 */
struct part {
	const char *p, *end;	/* its bytes */
	const char *lim;	/* the end of the block (readable to there) */
	struct tally tl;	/* its tokens, first seen first, counted */
	uint32_t *ids;		/* its place in the corpus' IDs */
	size_t n;		/* its IDs: words and ends of sentence */
	uint64_t words;
	int lead;		/* a newline comes before its first word */
	int fail;		/* a word too long: read serially instead */
	const uint32_t *map;	/* its tally's ids to the joined ones */
	int pass;		/* 1 count, 2 read, 3 map */
};

static int
space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\v' || ch == '\f';
}

/*
 * The end of the word that starts at w (not white space): its first
 * white space byte, or end.  Eight bytes at a time while the block has
 * them: only a byte below 0x21 can be white space, and the first such
 * byte of eight is found exactly by the has-less-than bit test; a
 * control byte that is not white space is part of the word.  A part
 * ends at the end of a word, so the space is found before end.
 */
static const unsigned char *
word_end(const unsigned char *w, const unsigned char *end,
    const unsigned char *lim)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const unsigned char *p = w;

	while (p < end && lim - p >= 8) {
		uint64_t x = le_get64(p);
		uint64_t t = (x - 0x21 * ones) & ~x & 0x80 * ones;

		if (t == 0) {
			p += 8;
			continue;
		}
		p += __builtin_ctzll(t) / 8;
		if (space(*p))
			return p < end ? p : end;
		p++;
	}
	while (p < end && !space(*p))
		p++;
	return p;
}

/*
 * The next word of [*pp, end): its start (*pp moved past it, its
 * length in *len, *nl set when a newline comes before it), or NULL
 */
static const unsigned char *
next_word(const unsigned char **pp, const unsigned char *end,
    const unsigned char *lim, size_t *len, int *nl)
{
	const unsigned char *p = *pp, *w;

	for (*nl = 0; p < end && space(*p); p++)
		*nl |= *p == '\n';
	if (p == end) {
		*pp = p;
		return NULL;
	}
	w = p;
	*pp = word_end(w, end, lim);
	*len = (size_t)(*pp - w);
	return w;
}

/*
 * A part's words as src_getword and read_src read them: an end of
 * sentence before each word that follows a newline, but the first
 * word's is left to the caller (pt->lead), as is the one at the end.
 * part_count counts them (and fails on a word too long), part_read
 * stores them, counting each word in the tally while the next one's
 * slot is fetched.
 */
static void
part_count(struct part *pt)
{
	const unsigned char *p = (const unsigned char *)pt->p, *w;
	size_t n = 0, len;
	int nl;

	pt->words = 0;
	while ((w = next_word(&p, (const unsigned char *)pt->end,
	    (const unsigned char *)pt->lim, &len, &nl)) != NULL) {
		if (len > SRC_MAXLINE / 2) {
			pt->fail = 1;
			return;
		}
		if (pt->words++ == 0)
			pt->lead = nl;
		else if (nl)
			n++;
		n++;
	}
	pt->n = n;
}

static void
part_read(struct part *pt)
{
	const unsigned char *p = (const unsigned char *)pt->p, *w;
	const unsigned char *prev = NULL;
	struct tally_key k, pk = { 0 };	/* pk: set with prev */
	size_t n = 0, len, plen = 0;
	int nl;

	pt->words = 0;
	for (;;) {
		w = next_word(&p, (const unsigned char *)pt->end,
		    (const unsigned char *)pt->lim, &len, &nl);
		if (w != NULL)
			tally_key(&pt->tl, (const char *)w, len, &k);
		if (prev != NULL) {
			if (pt->tl.v.n >= UINT32_MAX - 1) {
				pt->fail = 1;
				return;
			}
			pt->ids[n++] = (uint32_t)tally_add_key(&pt->tl,
			    (const char *)prev, plen, &pk, 1);
		}
		if (w == NULL)
			break;
		if (pt->words++ == 0)
			pt->lead = nl;
		else if (nl)
			pt->ids[n++] = CORPUS_EOS;
		prev = w;
		plen = len;
		pk = k;
	}
	pt->n = n;
}

/* par_run's worker: parts [b, e) of ctx, their pass */
static void
part_run(void *ctx, size_t b, size_t e)
{
	struct part *pt;
	size_t i;

	for (pt = (struct part *)ctx + b; b < e; b++, pt++) {
		if (pt->pass < 3) {
			(pt->pass == 1 ? part_count : part_read)(pt);
			continue;
		}
		for (i = 0; pt->map != NULL && i < pt->n; i++)
			if (pt->ids[i] != CORPUS_EOS)
				pt->ids[i] = pt->map[pt->ids[i]];
	}
}

/*
 * The parts of blk[0, len) for nt threads, each at least minpart bytes:
 * how many (at most nt).  A cut moves on to the next end of a word.
 */
static size_t
cut_parts(struct part *pt, const char *blk, size_t len, size_t nt,
    size_t minpart)
{
	const unsigned char *b = (const unsigned char *)blk;
	size_t k, np = len / minpart, at = 0;

	if (np > nt)
		np = nt;
	if (np < 1)
		np = 1;
	for (k = 0; k < np; k++) {
		size_t to = k + 1 == np ? len : len * (k + 1) / np;

		if (to < at)
			to = at;
		while (to < len && (to == 0 || space(b[to - 1]) ||
		    !space(b[to])))
			to++;
		memset(&pt[k], 0, sizeof(pt[k]));
		tally_init(&pt[k].tl);
		pt[k].p = blk + at;
		pt[k].end = blk + to;
		pt[k].lim = blk + len;
		at = to;
	}
	return np;
}

/* run pass 1, 2 or 3 over the np parts; 1 if a part failed, else 0 */
static int
parts_pass(struct part *pt, size_t np, int pass)
{
	size_t k;

	for (k = 0; k < np; k++)
		pt[k].pass = pass;
	par_run((int)np, np, part_run, pt);
	for (k = 0; k < np; k++)
		if (pt[k].fail)
			return 1;
	return 0;
}

/*
 * The counted parts placed in c->ids (made here): the end of sentence
 * before a part's first word, when there is one, goes before its place
 */
static void
place_parts(struct corpus *c, struct part *pt, size_t np)
{
	size_t k, n = 1;
	uint64_t words = 0;

	for (k = 0; k < np; k++)
		n += pt[k].n + 1;
	c->ids = xaligned(n * sizeof(*c->ids));
	c->n = 0;
	for (k = 0; k < np; k++) {
		if (pt[k].lead && words > 0)
			c->ids[c->n++] = CORPUS_EOS;
		pt[k].ids = c->ids + c->n;
		c->n += pt[k].n;
		words += pt[k].words;
	}
	if (words > 0)
		c->ids[c->n++] = CORPUS_EOS;
}

/*
 * The parts' tallies joined into c's vocabulary (empty): the first
 * part's taken as it is, each later one's tokens added in its order.
 * Returns 0, or -1 (e filled) past UINT32_MAX - 2 distinct tokens.
 */
static int
join_vocab(struct corpus *c, struct part *pt, size_t np, uint32_t **maps,
    const char *name, struct emb_err *e)
{
	struct tally *all = &pt[0].tl;
	size_t k, i, len;

	c->ntokens = pt[0].words;
	for (k = 1; k < np; k++) {
		struct vocab *v = &pt[k].tl.v;
		uint32_t *map = xaligned((v->n ? v->n : 1) * sizeof(*map));

		maps[k] = map;
		pt[k].map = map;
		for (i = 0; i < v->n; i++) {
			const char *tok = vocab_token(v, i, &len);

			if (all->v.n >= UINT32_MAX - 1) {
				err_set(e, name, 0, "more than %lu distinct "
				    "tokens", (unsigned long)(UINT32_MAX - 2));
				return -1;
			}
			map[i] = (uint32_t)tally_add(all, tok, len,
			    v->count[i]);
		}
		c->ntokens += pt[k].words;
	}
	vocab_ensure_counts(&all->v);	/* an empty part has none */
	tally_take(all, &c->vocab);
	return 0;
}

/*
 * path read in parts on o->threads threads (one part for one thread)
 * when it is a plain file: 0, -1 with e filled, or 1 when it is not, or
 * when a word is too long (c is then as it was, for read_src's message).
 */
static int
read_parallel(struct corpus *c, const char *path,
    const struct corpus_opts *o, struct emb_err *e)
{
	struct part pt[64];
	uint32_t *maps[64] = { NULL };
	struct stat st;
	struct src s;
	const char *blk;
	size_t len, np = 0, k;
	int nt = o->threads > 64 ? 64 : o->threads < 1 ? 1 : o->threads;
	int r = 1;

	/* a pipe's first bytes would be gone for read_src: regular files */
	if (o->ids || strcmp(path, "-") == 0 ||
	    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 1;
	if (src_open(&s, path, e) < 0)
		return -1;
	if (!src_gzip(&s) && (blk = src_map(&s, &len)) != NULL &&
	    (np = cut_parts(pt, blk, len, (size_t)nt, o->minpart > 0 ?
	    o->minpart : MINPART)) >= 1 && parts_pass(pt, np, 1) == 0) {
		place_parts(c, pt, np);
		if (parts_pass(pt, np, 2) != 0) {
			free(c->ids);
			c->ids = NULL;
			c->n = 0;
		} else if ((r = join_vocab(c, pt, np, maps, path, e)) == 0)
			parts_pass(pt, np, 3);
	}
	for (k = 0; k < np; k++) {
		tally_free(&pt[k].tl);
		free(maps[k]);
	}
	src_close(&s);
	return r;
}

int
corpus_read(struct corpus *c, char *const *paths, size_t npaths,
    const struct corpus_opts *o, struct emb_err *e)
{
	int r = 1;

	begin(c, o);
	if (npaths == 1 && (r = read_parallel(c, paths[0], o, e)) < 0)
		return -1;
	if (r == 1 && read_all(c, paths, npaths, o, 1, e) < 0)
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

	if (c->ntokens == 0) {
		err_set(e, name, 0, "empty corpus");
		return -1;
	}
	/* map[old] = new id or CORPUS_EOS for dropped tokens (fresh
	 * memory: on huge pages, as perm, when big) */
	map = xaligned(c->vocab.n * sizeof(*map));
	if (o->ids) {
		/* the rows stay; the IDs not kept are not trained */
		perm = xaligned(c->vocab.n * sizeof(*perm));
		keep = keep_order(&c->vocab, o->min_count, o->max_vocab, perm);
		for (i = 0; i < c->vocab.n; i++)
			map[i] = CORPUS_EOS;
		for (i = 0; i < keep; i++)
			map[perm[i]] = (uint32_t)perm[i];
		free(perm);
		keep = c->vocab.n;
	} else {
		perm = xaligned(c->vocab.n * sizeof(*perm));
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
