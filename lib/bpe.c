/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpe.h"
#include "util.h"

#define SMALL 48		/* pieces of up to this many symbols: O(n^2) */
#define CACHE_SLOTS 65536
#define CACHE_MAXKEY 64
#define CACHE_ARENA ((size_t)8 << 20)
#define HOT_SLOTS 16384		/* the hot cache: 512 KB, near the core */
#define HOT_MAXKEY 16
#define HOT_MAXTOK 3

/* the piece cache: a hash of recent pieces -> their tokens */
struct centry {
	uint64_t hash;
	uint32_t off;		/* in the arena: key, then ids, then ends */
	uint16_t keylen, ntok;
};

/*
 * The hot cache: a small direct-mapped table in front of everything else
 * for pieces of at most 16 bytes that give at most 3 tokens (most words
 * of a text), so that a frequent word costs one probe of a table that
 * stays in the core's cache instead of a miss in the vocabulary's hash.
 * The key is the piece's bytes packed by hot_key (injective for a given
 * length).
 */
struct hot {
	uint64_t k0, k1;
	uint32_t id[HOT_MAXTOK];
	uint8_t len;		/* the piece's length; 0: empty */
	uint8_t ntok;
	uint8_t end[HOT_MAXTOK - 1];	/* the last token ends at len */
};

/* a candidate merge of symbols i and j (= next[i]) in the heap */
struct cand {
	uint64_t key;		/* rank << 32 | start of i: lowest first */
	uint32_t i, j, jend;	/* jend: end of j when pushed (staleness) */
};

struct bpe_work {
	uint32_t *id, *end, *next, *prev, *rank, *mid;
	size_t cap;
	struct cand *heap;
	size_t nheap, hcap;
	uint32_t *oid, *oend;	/* the answer */
	size_t ocap;
	struct centry *cache;
	unsigned char *carena;
	size_t calen;
	struct hot *hot;
};

/* the first min(n, 8) bytes of p as a word, zero-padded */
static inline uint64_t
head8(const unsigned char *p, size_t n)
{
	uint64_t w = 0;

	if (n >= 8)
		memcpy(&w, p, 8);
	else
		memcpy(&w, p, n);
	return w;
}

static inline uint64_t
mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xD6E8FEB86659FD93ULL;
	h ^= h >> 32;
	return h;
}

/* a hash of p[0..n) whose first word is head (= head8(p, n)) */
static inline uint64_t
hash_bytes2(const unsigned char *p, size_t n, uint64_t head)
{
	uint64_t h = mix(head ^ (n * 0x9E3779B97F4A7C15ULL));
	size_t i;

	for (i = 8; i < n; i += 8)
		h = mix(h ^ head8(p + i, n - i));
	return h;
}

static uint64_t
hash_bytes(const unsigned char *p, size_t n)
{
	return hash_bytes2(p, n, head8(p, n));
}

/* the length and tag a slot holds for a token of len bytes, hash h */
static inline uint32_t
lentag(size_t len, uint64_t h)
{
	return (uint32_t)(len < 0xFFFF ? len : 0xFFFF) | (uint32_t)(h >> 48) << 16;
}

static uint64_t
hash_pair(uint64_t k)
{
	k *= 0x9E3779B97F4A7C15ULL;
	return k ^ (k >> 29);
}

/* 4 bytes at p as a little-endian word, whatever the machine */
static inline uint32_t
load32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/*
 * The hot cache's key of p[0..n) (1 <= n <= 16) in *k0, *k1, and its
 * hash: fixed-size loads that overlap (no byte past p + n is read); for
 * a given n the key determines the bytes.
 */
static inline uint64_t
hot_key(const unsigned char *p, size_t n, uint64_t *k0, uint64_t *k1)
{
	uint64_t a, c;

	if (n >= 8) {
		a = (uint64_t)load32(p) | (uint64_t)load32(p + 4) << 32;
		c = (uint64_t)load32(p + n - 8) |
		    (uint64_t)load32(p + n - 4) << 32;
	} else if (n >= 4) {
		a = (uint64_t)load32(p) | (uint64_t)load32(p + n - 4) << 32;
		c = 0;
	} else {
		a = (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 |
		    (uint64_t)p[n - 1] << 16;
		c = 0;
	}
	*k0 = a;
	*k1 = c;
	return mix(a ^ mix(c ^ (n * 0x9E3779B97F4A7C15ULL)));
}

struct bpe *
bpe_new(enum bpe_rule rule, int bytelevel)
{
	struct bpe *b = xcalloc(1, sizeof(*b));

	b->rule = rule;
	b->bytelevel = bytelevel;
	b->unk = BPE_NONE;
	b->nslot = 1024;
	b->slot = xmalloc(b->nslot * sizeof(*b->slot));
	memset(b->slot, 0xFF, b->nslot * sizeof(*b->slot));
	return b;
}

void
bpe_free(struct bpe *b)
{
	if (b == NULL)
		return;
	free(b->prefix);
	free(b->suffix);
	free(b->arena);
	free(b->off);
	free(b->len);
	free(b->slot);
	free(b->mkey);
	free(b->mrank);
	free(b->mnew);
	free(b);
}

const unsigned char *
bpe_token(const struct bpe *b, uint32_t id, size_t *len)
{
	if (id >= b->size || b->len[id] == BPE_NONE)
		return NULL;
	*len = b->len[id];
	return b->arena + b->off[id];
}

uint32_t
bpe_find(const struct bpe *b, const void *tok, size_t len)
{
	const unsigned char *p = tok;
	uint64_t head, h;
	size_t m = b->nslot - 1, i;
	uint32_t lt;
	const struct bpe_slot *sl;

	if (len > b->maxlen || len == 0)
		return BPE_NONE;
	head = head8(p, len);
	h = hash_bytes2(p, len, head);
	lt = lentag(len, h);
	for (i = (size_t)h & m;; i = (i + 1) & m) {
		sl = &b->slot[i];
		if (sl->id == BPE_NONE)
			return BPE_NONE;
		if (sl->lentag == lt && sl->head == head && (len <= 8 ||
		    (b->len[sl->id] == len && memcmp(b->arena + b->off[sl->id] + 8,
		    p + 8, len - 8) == 0)))
			return sl->id;
	}
}

/* put token id in the hash (its bytes not there yet) */
static void
slot_put(struct bpe_slot *slot, size_t nslot, const unsigned char *p,
    size_t len, uint32_t id)
{
	uint64_t head = head8(p, len), h = hash_bytes2(p, len, head);
	size_t i = (size_t)h & (nslot - 1);

	while (slot[i].id != BPE_NONE)
		i = (i + 1) & (nslot - 1);
	slot[i].head = head;
	slot[i].id = id;
	slot[i].lentag = lentag(len, h);
}

static void
rehash(struct bpe *b)
{
	size_t n = b->nslot * 2, i;
	struct bpe_slot *slot = xmalloc(n * sizeof(*slot));

	memset(slot, 0xFF, n * sizeof(*slot));
	for (i = 0; i < b->nslot; i++) {
		uint32_t id = b->slot[i].id;

		if (id != BPE_NONE)
			slot_put(slot, n, b->arena + b->off[id], b->len[id], id);
	}
	free(b->slot);
	b->slot = slot;
	b->nslot = n;
}

int
bpe_add(struct bpe *b, const void *tok, size_t len, uint32_t id)
{
	if (id < b->size && b->len[id] != BPE_NONE)
		return -2;
	if (len > b->maxlen)
		b->maxlen = len;
	if (bpe_find(b, tok, len) != BPE_NONE)
		return -1;
	if (id >= b->idcap) {
		size_t n = b->idcap, cap = n;

		while (cap <= id)
			cap = cap < 1024 ? 1024 : cap * 2;
		b->off = xreallocarray(b->off, cap, sizeof(*b->off));
		b->len = xreallocarray(b->len, cap, sizeof(*b->len));
		for (; n < cap; n++)
			b->len[n] = BPE_NONE;
		b->idcap = cap;
	}
	if (id >= b->size)
		b->size = id + 1;
	if (b->alen + len > b->acap) {
		b->acap = (b->alen + len) * 2;
		b->arena = xreallocarray(b->arena, b->acap, 1);
	}
	memcpy(b->arena + b->alen, tok, len);
	b->off[id] = (uint32_t)b->alen;
	b->len[id] = (uint32_t)len;
	b->alen += len;
	if (++b->count * 2 > b->nslot)
		rehash(b);
	slot_put(b->slot, b->nslot, tok, len, id);
	return 0;
}

static void
merge_grow(struct bpe *b)
{
	size_t n = b->nmslot ? b->nmslot * 2 : 1024, i, k;
	uint64_t *key = xcalloc(n, sizeof(*key));
	uint32_t *rank = xmalloc(n * sizeof(*rank));
	uint32_t *nw = xmalloc(n * sizeof(*nw));

	for (i = 0; i < b->nmslot; i++) {
		if (b->mkey[i] == 0)
			continue;
		k = (size_t)hash_pair(b->mkey[i]) & (n - 1);
		while (key[k] != 0)
			k = (k + 1) & (n - 1);
		key[k] = b->mkey[i];
		rank[k] = b->mrank[i];
		nw[k] = b->mnew[i];
	}
	free(b->mkey);
	free(b->mrank);
	free(b->mnew);
	b->mkey = key;
	b->mrank = rank;
	b->mnew = nw;
	b->nmslot = n;
}

void
bpe_add_merge(struct bpe *b, uint32_t a, uint32_t c, uint32_t merged)
{
	uint64_t key = ((uint64_t)a << 32 | c) + 1;
	size_t i;

	if ((b->nmerge + 1) * 2 > b->nmslot)
		merge_grow(b);
	i = (size_t)hash_pair(key) & (b->nmslot - 1);
	while (b->mkey[i] != 0 && b->mkey[i] != key)
		i = (i + 1) & (b->nmslot - 1);
	if (b->mkey[i] == 0)
		b->nmerge++;
	b->mkey[i] = key;
	b->mrank[i] = (uint32_t)b->nmerge - 1;
	b->mnew[i] = merged;
}

int
bpe_merge_tokens(struct bpe *b, const void *a, size_t al, const void *c,
    size_t cl, int *which)
{
	uint32_t ia = bpe_find(b, a, al), ic = bpe_find(b, c, cl), im;
	unsigned char buf[512], *m;
	size_t skip = 0;

	if (ia == BPE_NONE || ic == BPE_NONE) {
		*which = ia == BPE_NONE ? 1 : 2;
		return -1;
	}
	if (b->prefix != NULL && cl >= b->prefixlen &&
	    memcmp(c, b->prefix, b->prefixlen) == 0)
		skip = b->prefixlen;
	m = al + cl - skip <= sizeof(buf) ? buf : xmalloc(al + cl - skip);
	memcpy(m, a, al);
	memcpy(m + al, (const char *)c + skip, cl - skip);
	im = bpe_find(b, m, al + cl - skip);
	if (m != buf)
		free(m);
	if (im == BPE_NONE) {
		*which = 3;
		return -1;
	}
	bpe_add_merge(b, ia, ic, im);
	return 0;
}

void
bpe_finish(struct bpe *b)
{
	unsigned c;
	unsigned char byte;
	char hex[8];

	for (c = 0; c < 256; c++) {
		byte = (unsigned char)c;
		b->byte_tok[c] = bpe_find(b, &byte, 1);
		snprintf(hex, sizeof(hex), "<0x%02X>", c);
		b->fallback[c] = bpe_find(b, hex, 6);
	}
}

/*
 * The rank of merging symbols [s0, s1) and [s1, s2) with IDs a and c of
 * the piece p, and the merged ID in *nw; UINT32_MAX when they do not
 * merge.
 */
static inline uint32_t
pair_rank(const struct bpe *b, const unsigned char *p, uint32_t s0,
    uint32_t s2, uint32_t a, uint32_t c, uint32_t *nw)
{
	if (b->rule == BPE_RANKS) {
		uint32_t id = s2 - s0 <= b->maxlen ?
		    bpe_find(b, p + s0, s2 - s0) : BPE_NONE;

		*nw = id;
		return id;
	} else {
		uint64_t key = ((uint64_t)a << 32 | c) + 1, k;
		size_t m = b->nmslot - 1, i;

		if (b->nmslot == 0)
			return UINT32_MAX;
		i = (size_t)hash_pair(key) & m;
		while ((k = b->mkey[i]) != 0) {
			if (k == key) {
				*nw = b->mnew[i];
				return b->mrank[i];
			}
			i = (i + 1) & m;
		}
		return UINT32_MAX;
	}
}

static void
work_grow(struct bpe_work *w, size_t n)
{
	if (n <= w->cap)
		return;
	w->cap = n < 64 ? 64 : n + n / 2;
	w->id = xreallocarray(w->id, w->cap, sizeof(*w->id));
	w->end = xreallocarray(w->end, w->cap, sizeof(*w->end));
	w->next = xreallocarray(w->next, w->cap, sizeof(*w->next));
	w->prev = xreallocarray(w->prev, w->cap, sizeof(*w->prev));
	w->rank = xreallocarray(w->rank, w->cap, sizeof(*w->rank));
	w->mid = xreallocarray(w->mid, w->cap, sizeof(*w->mid));
}

static void
out_grow(struct bpe_work *w, size_t n)
{
	if (n <= w->ocap)
		return;
	w->ocap = n < 64 ? 64 : n + n / 2;
	w->oid = xreallocarray(w->oid, w->ocap, sizeof(*w->oid));
	w->oend = xreallocarray(w->oend, w->ocap, sizeof(*w->oend));
}

struct bpe_work *
bpe_work_new(void)
{
	return xcalloc(1, sizeof(struct bpe_work));
}

void
bpe_work_free(struct bpe_work *w)
{
	if (w == NULL)
		return;
	free(w->id);
	free(w->end);
	free(w->next);
	free(w->prev);
	free(w->rank);
	free(w->mid);
	free(w->heap);
	free(w->oid);
	free(w->oend);
	free(w->cache);
	free(w->carena);
	free(w->hot);
	free(w);
}

/*
 * Initial symbols of the piece into w->id / w->end: its bytes, or its
 * characters (with prefix/suffix, byte fallback, unknowns).  Returns how
 * many.
 */
static size_t
symbols(const struct bpe *b, struct bpe_work *w, const unsigned char *s,
    size_t n)
{
	size_t i = 0, k = 0, cl, j;
	char buf[64];

	work_grow(w, n + 1);
	if (b->bytelevel) {
		for (i = 0; i < n; i++) {
			uint32_t t = b->byte_tok[s[i]];

			if (t == BPE_NONE && (t = b->unk) == BPE_NONE)
				continue;
			if (t == b->unk && b->fuse_unk && k > 0 &&
			    w->id[k - 1] == b->unk) {
				w->end[k - 1] = (uint32_t)i + 1;
				continue;
			}
			w->id[k] = t;
			w->end[k++] = (uint32_t)i + 1;
		}
		return k;
	}
	while (i < n) {
		const unsigned char *key = s + i;
		size_t kl;
		uint32_t t;

		cl = 1;
		while (i + cl < n && (s[i + cl] & 0xC0) == 0x80)
			cl++;
		kl = cl;
		if ((b->prefix != NULL && i > 0) ||
		    (b->suffix != NULL && i + cl == n)) {
			size_t pl = i > 0 ? b->prefixlen : 0;
			size_t sl = i + cl == n ? b->suffixlen : 0;

			if (pl + cl + sl <= sizeof(buf)) {
				if (pl > 0)
					memcpy(buf, b->prefix, pl);
				memcpy(buf + pl, s + i, cl);
				if (sl > 0)
					memcpy(buf + pl + cl, b->suffix, sl);
				key = (const unsigned char *)buf;
				kl = pl + cl + sl;
			}
		}
		t = bpe_find(b, key, kl);
		if (t == BPE_NONE && b->byte_fallback) {
			/* all the character's bytes as <0xXX>, if all exist */
			for (j = 0; j < cl && b->fallback[s[i + j]] != BPE_NONE; j++)
				;
			if (j == cl) {
				for (j = 0; j < cl; j++) {
					w->id[k] = b->fallback[s[i + j]];
					w->end[k++] = (uint32_t)(i + j + 1);
				}
				i += cl;
				continue;
			}
		}
		if (t != BPE_NONE) {
			w->id[k] = t;
			w->end[k++] = (uint32_t)(i + cl);
		} else if (b->unk != BPE_NONE) {
			if (b->fuse_unk && k > 0 && w->id[k - 1] == b->unk)
				w->end[k - 1] = (uint32_t)(i + cl);
			else {
				w->id[k] = b->unk;
				w->end[k++] = (uint32_t)(i + cl);
			}
		}
		i += cl;
	}
	return k;
}

/*
 * Merge m symbols (m <= SMALL) the simple way: find the lowest-ranked
 * pair, merge it, re-rank its two neighbours; tiktoken's loop.
 */
static size_t
merge_small(const struct bpe *b, struct bpe_work *w, const unsigned char *s,
    size_t m)
{
	uint32_t *id = w->id, *end = w->end, *rank = w->rank, *nw = w->mid;
	size_t i, best;

	for (i = 0; i + 1 < m; i++)
		rank[i] = pair_rank(b, s, i ? end[i - 1] : 0, end[i + 1], id[i],
		    id[i + 1], &nw[i]);
	while (m > 1) {
		uint32_t r = UINT32_MAX;

		best = 0;
		for (i = 0; i + 1 < m; i++)
			if (rank[i] < r) {
				r = rank[i];
				best = i;
			}
		if (r == UINT32_MAX)
			break;
		id[best] = nw[best];
		end[best] = end[best + 1];
		memmove(id + best + 1, id + best + 2, (m - best - 2) * sizeof(*id));
		memmove(end + best + 1, end + best + 2,
		    (m - best - 2) * sizeof(*end));
		memmove(rank + best + 1, rank + best + 2,
		    (m - best - 2) * sizeof(*rank));
		memmove(nw + best + 1, nw + best + 2, (m - best - 2) * sizeof(*nw));
		m--;
		if (best + 1 < m)
			rank[best] = pair_rank(b, s, best ? end[best - 1] : 0,
			    end[best + 1], id[best], id[best + 1], &nw[best]);
		if (best > 0)
			rank[best - 1] = pair_rank(b, s, best > 1 ? end[best - 2] :
			    0, end[best], id[best - 1], id[best], &nw[best - 1]);
	}
	return m;
}

static void
heap_push(struct bpe_work *w, struct cand c)
{
	size_t i;

	if (w->nheap == w->hcap) {
		w->hcap = w->hcap ? w->hcap * 2 : 256;
		w->heap = xreallocarray(w->heap, w->hcap, sizeof(*w->heap));
	}
	i = w->nheap++;
	while (i > 0 && w->heap[(i - 1) / 2].key > c.key) {
		w->heap[i] = w->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	w->heap[i] = c;
}

static struct cand
heap_pop(struct bpe_work *w)
{
	struct cand top = w->heap[0], last = w->heap[--w->nheap];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < w->nheap) {
		if (c + 1 < w->nheap && w->heap[c + 1].key < w->heap[c].key)
			c++;
		if (w->heap[c].key >= last.key)
			break;
		w->heap[i] = w->heap[c];
		i = c;
	}
	if (w->nheap > 0)
		w->heap[i] = last;
	return top;
}

#define START(i) (w->prev[i] == UINT32_MAX ? 0 : w->end[w->prev[i]])

static void
push_pair(const struct bpe *b, struct bpe_work *w, const unsigned char *s,
    uint32_t i)
{
	uint32_t j = w->next[i], nw, r, st = START(i);

	if (j == UINT32_MAX)
		return;
	r = pair_rank(b, s, st, w->end[j], w->id[i], w->id[j], &nw);
	if (r != UINT32_MAX) {
		struct cand c = { (uint64_t)r << 32 | st, i, j, w->end[j] };

		w->mid[i] = nw;
		heap_push(w, c);
	}
}

/* the same merges for many symbols: a heap of candidates, O(m log m) */
static size_t
merge_heap(const struct bpe *b, struct bpe_work *w, const unsigned char *s,
    size_t m)
{
	uint32_t i, k;
	size_t out = 0;

	for (i = 0; i < m; i++) {
		w->next[i] = i + 1 < m ? i + 1 : UINT32_MAX;
		w->prev[i] = i > 0 ? i - 1 : UINT32_MAX;
	}
	w->nheap = 0;
	for (i = 0; i + 1 < m; i++)
		push_pair(b, w, s, i);
	while (w->nheap > 0) {
		struct cand c = heap_pop(w);
		/* stale: i or j merged since (j gone, or j grew) */
		if (w->next[c.i] != c.j || w->end[c.j] != c.jend ||
		    w->prev[c.j] != c.i)
			continue;
		w->id[c.i] = w->mid[c.i];
		w->end[c.i] = c.jend;
		w->next[c.i] = w->next[c.j];
		if (w->next[c.j] != UINT32_MAX)
			w->prev[w->next[c.j]] = c.i;
		w->prev[c.j] = w->next[c.j] = UINT32_MAX - 1;	/* dead */
		push_pair(b, w, s, c.i);
		if (w->prev[c.i] != UINT32_MAX)
			push_pair(b, w, s, w->prev[c.i]);
	}
	/* compact the survivors to the front */
	for (k = 0; k != UINT32_MAX; k = w->next[k]) {
		w->id[out] = w->id[k];
		w->end[out++] = w->end[k];
	}
	return out;
}

#undef START

static struct centry *
cache_slot(struct bpe_work *w, const unsigned char *s, size_t n, uint64_t h,
    int *hit)
{
	size_t i = (size_t)h & (CACHE_SLOTS - 1), probe;

	for (probe = 0; probe < 8; probe++) {
		struct centry *c = &w->cache[i];

		if (c->keylen == 0) {
			*hit = 0;
			return c;
		}
		if (c->hash == h && c->keylen == n &&
		    memcmp(w->carena + c->off, s, n) == 0) {
			*hit = 1;
			return c;
		}
		i = (i + 1) & (CACHE_SLOTS - 1);
	}
	/* all taken: the first one makes room (its bytes stay until reset) */
	*hit = 0;
	return &w->cache[(size_t)h & (CACHE_SLOTS - 1)];
}

static void
cache_put(struct bpe_work *w, struct centry *c, const unsigned char *s,
    size_t n, uint64_t h, size_t ntok)
{
	size_t need = n + 8 * ntok + 8, off;

	if (ntok > UINT16_MAX)
		return;
	if (w->calen + need > CACHE_ARENA) {
		/* full: start again */
		memset(w->cache, 0, CACHE_SLOTS * sizeof(*w->cache));
		w->calen = 0;
		return;
	}
	off = (w->calen + 3) & ~(size_t)3;
	memcpy(w->carena + off, s, n);
	memcpy(w->carena + ((off + n + 3) & ~(size_t)3), w->oid,
	    ntok * sizeof(uint32_t));
	memcpy(w->carena + ((off + n + 3) & ~(size_t)3) + 4 * ntok, w->oend,
	    ntok * sizeof(uint32_t));
	w->calen = ((off + n + 3) & ~(size_t)3) + 8 * ntok;
	c->hash = h;
	c->off = (uint32_t)off;
	c->keylen = (uint16_t)n;
	c->ntok = (uint16_t)ntok;
}

/* the answer of m tokens (in w->oid, w->oend) into the hot slot hs */
static void
hot_put(struct hot *hs, struct bpe_work *w, size_t n, uint64_t k0,
    uint64_t k1, size_t m)
{
	size_t j;

	if (m > HOT_MAXTOK || m == 0)
		return;
	hs->k0 = k0;
	hs->k1 = k1;
	hs->len = (uint8_t)n;
	hs->ntok = (uint8_t)m;
	for (j = 0; j < m; j++)
		hs->id[j] = w->oid[j];
	for (j = 0; j + 1 < m; j++)
		hs->end[j] = (uint8_t)w->oend[j];
}

/*
 * bpe_encode past the hot cache (hs: the piece's hot slot with key k0,
 * k1, or NULL): the vocabulary, the piece cache, the merges.  Apart so
 * that a hot hit pays for none of its registers.
 */
static size_t
encode_cold(const struct bpe *b, struct bpe_work *w, const unsigned char *s,
    size_t n, const uint32_t **ids, const uint32_t **ends, struct hot *hs,
    uint64_t k0, uint64_t k1)
{
	struct centry *c = NULL;
	uint64_t h = 0;
	size_t m;
	int hit = 0;

	if (b->whole_first) {
		uint32_t t = bpe_find(b, s, n);

		if (t != BPE_NONE) {
			out_grow(w, 1);
			w->oid[0] = t;
			w->oend[0] = (uint32_t)n;
			if (hs != NULL)
				hot_put(hs, w, n, k0, k1, 1);
			*ids = w->oid;
			*ends = w->oend;
			return 1;
		}
	}
	if (n <= CACHE_MAXKEY) {
		if (w->cache == NULL) {
			w->cache = xcalloc(CACHE_SLOTS, sizeof(*w->cache));
			w->carena = xmalloc(CACHE_ARENA);
		}
		h = hash_bytes(s, n);
		c = cache_slot(w, s, n, h, &hit);
		if (hit) {
			size_t o = (c->off + c->keylen + 3) & ~(size_t)3;

			*ids = (const uint32_t *)(void *)(w->carena + o);
			*ends = (const uint32_t *)(void *)(w->carena + o +
			    4 * (size_t)c->ntok);
			if (hs != NULL && c->ntok <= HOT_MAXTOK) {
				out_grow(w, c->ntok);
				memcpy(w->oid, *ids, c->ntok * sizeof(uint32_t));
				memcpy(w->oend, *ends, c->ntok * sizeof(uint32_t));
				hot_put(hs, w, n, k0, k1, c->ntok);
				*ids = w->oid;
				*ends = w->oend;
			}
			return c->ntok;
		}
	}
	m = symbols(b, w, s, n);
	m = m <= SMALL ? merge_small(b, w, s, m) : merge_heap(b, w, s, m);
	out_grow(w, m > 0 ? m : 1);
	memcpy(w->oid, w->id, m * sizeof(*w->oid));
	memcpy(w->oend, w->end, m * sizeof(*w->oend));
	if (n <= CACHE_MAXKEY)
		cache_put(w, c, s, n, h, m);
	if (hs != NULL)
		hot_put(hs, w, n, k0, k1, m);
	*ids = w->oid;
	*ends = w->oend;
	return m;
}

size_t
bpe_encode(const struct bpe *b, struct bpe_work *w, const unsigned char *s,
    size_t n, const uint32_t **ids, const uint32_t **ends)
{
	struct hot *hs;
	uint64_t k0, k1;
	size_t j, m;

	if (n > HOT_MAXKEY)
		return encode_cold(b, w, s, n, ids, ends, NULL, 0, 0);
	if (w->hot == NULL) {
		w->hot = xcalloc(HOT_SLOTS, sizeof(*w->hot));
		out_grow(w, HOT_MAXTOK);
	}
	hs = &w->hot[hot_key(s, n, &k0, &k1) & (HOT_SLOTS - 1)];
	if (hs->len != n || hs->k0 != k0 || hs->k1 != k1)
		return encode_cold(b, w, s, n, ids, ends, hs, k0, k1);
	m = hs->ntok;
	for (j = 0; j + 1 < m; j++) {
		w->oid[j] = hs->id[j];
		w->oend[j] = hs->end[j];
	}
	w->oid[j] = hs->id[j];
	w->oend[j] = (uint32_t)n;
	*ids = w->oid;
	*ends = w->oend;
	return m;
}
