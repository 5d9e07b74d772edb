/* See LICENSE file for copyright and license details. */
#include <sys/mman.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "util.h"
#include "vocab.h"

#define ARENA_BLOCK ((size_t)1 << 20)

const char *
vocab_label(const struct vocab *v, size_t i, char *buf, size_t *len)
{
	const char *t;

	if (v != NULL && i < v->n && (t = vocab_token(v, i, len), *len > 0))
		return t;
	*len = (size_t)snprintf(buf, VOCAB_IDLEN, "%zu", i);
	return buf;
}

void
vocab_init(struct vocab *v)
{
	memset(v, 0, sizeof(*v));
}

void
vocab_free(struct vocab *v)
{
	size_t i;

	for (i = 0; i < v->nblocks; i++)
		free(v->blocks[i]);
	free(v->blocks);
	free(v->tok);
	free(v->len);
	free(v->count);
	free(v->slot);
	vocab_init(v);
}

uint64_t
vocab_hash(const char *tok, size_t len, uint64_t seed)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)tok[i];
		h *= UINT64_C(0x100000001b3);
	}
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

static char *
arena_copy(struct vocab *v, const char *tok, size_t len)
{
	char *p;

	if (v->nblocks == 0 || v->bcap - v->bused < len + 1) {
		/* blocks double from 4 KB, so a small vocab stays small */
		size_t cap = v->nblocks < 8 ? (size_t)4096 << v->nblocks :
		    ARENA_BLOCK;

		if (cap < len + 1)
			cap = len + 1;

		v->blocks = xreallocarray(v->blocks, v->nblocks + 1,
		    sizeof(*v->blocks));
		v->blocks[v->nblocks++] = xaligned(cap);
		v->bcap = cap;
		v->bused = 0;
	}
	p = v->blocks[v->nblocks - 1] + v->bused;
	memcpy(p, tok, len);
	p[len] = '\0';
	v->bused += len + 1;
	return p;
}

static void
grow(struct vocab *v, size_t need)
{
	size_t cap;

	if (need <= v->cap)
		return;
	cap = v->cap ? v->cap : 64;
	while (cap < need)
		cap *= 2;
	v->tok = xgrow(v->tok, v->cap * sizeof(*v->tok), cap, sizeof(*v->tok));
	v->len = xgrow(v->len, v->cap * sizeof(*v->len), cap, sizeof(*v->len));
	if (v->count != NULL) {
		v->count = xgrow(v->count, v->cap * sizeof(*v->count), cap,
		    sizeof(*v->count));
		memset(v->count + v->cap, 0, (cap - v->cap) * sizeof(*v->count));
	}
	v->cap = cap;
}

static void
hash_insert(struct vocab *v, size_t id)
{
	size_t mask = v->hcap - 1;
	size_t h = vocab_hash(v->tok[id], v->len[id], v->seed) & mask;

	while (v->slot[h] != 0)
		h = (h + 1) & mask;
	v->slot[h] = (uint32_t)(id + 1);
	v->hn++;
}

static void
rehash(struct vocab *v, size_t want)
{
	size_t cap = 1024, i;

	while (cap < want * 2)
		cap *= 2;
	free(v->slot);
	v->slot = xaligned(cap * sizeof(*v->slot));
	memset(v->slot, 0, cap * sizeof(*v->slot));
	v->hcap = cap;
	v->hn = 0;
	for (i = 0; i < v->n; i++)
		hash_insert(v, i);
}

/* build or extend the index so that it covers every id */
static void
index_all(struct vocab *v)
{
	if (v->slot == NULL || v->n * 2 > v->hcap)
		rehash(v, v->n);
	else
		while (v->hn < v->n)
			hash_insert(v, v->hn);
}

/* read-ahead back on for the mapped blocks (vocab_map_cold) */
static void
warm(struct vocab *v)
{
	if (v->cold == 0)
		return;
	v->cold = 0;
	mem_advise(v->blk, v->blksize, POSIX_MADV_NORMAL);
	if (v->moff != NULL)
		mem_advise(v->moff, (v->n + 1) * 8, POSIX_MADV_NORMAL);
	if (v->mslot != NULL)
		mem_advise(v->mslot, v->mcap * 4, POSIX_MADV_NORMAL);
}

/*
 * A mapped vocab's tokens as arrays, from the block, the stored tables
 * dropped.  why: the check that failed (reported as a warning), or NULL
 * when an operation just needs the arrays.  A block that is not n tokens
 * is reported as fatal; the missing tokens then read as empty.
 */
static pthread_mutex_t map_mu = PTHREAD_MUTEX_INITIALIZER;

static void
materialise(struct vocab *v, const char *why)
{
	struct emb_err e;
	int64_t *count;
	size_t n, i;

	pthread_mutex_lock(&map_mu);
	if (v->tok != NULL || v->blk == NULL) {
		pthread_mutex_unlock(&map_mu);
		return;
	}
	if (why != NULL) {
		err_set(&e, v->name, 0, "token index: %s; indexing the vocab "
		    "instead", why);
		err_report(&e, 0);
	}
	warm(v);	/* the whole block is read */
	n = v->n;
	count = v->count;	/* may point into the map: keep it out of grow */
	v->count = NULL;
	v->n = v->cap = 0;
	v->moff = v->mslot = NULL;
	v->mcap = v->maxprobe = 0;
	if (vocab_from_block(v, v->blk, v->blksize, n, v->name, &e) < 0) {
		for (i = v->n; i < n; i++) {
			v->tok[i] = "";
			v->len[i] = 0;
		}
		v->n = n;
		v->count = count;
		pthread_mutex_unlock(&map_mu);
		err_report(&e, 1);
		return;
	}
	v->count = count;
	pthread_mutex_unlock(&map_mu);
}

static void
need_tokens(struct vocab *v)
{
	if (v->tok == NULL && v->blk != NULL)
		materialise(v, NULL);
}

/* token id of a mapped vocab through the offsets, or NULL if they lie */
static const char *
mapped_token(const struct vocab *v, size_t id, size_t *len)
{
	uint64_t a, b;
	const char *t;

	if (id >= v->n)
		return NULL;
	a = le_get64(v->moff + 8 * id);
	b = le_get64(v->moff + 8 * (id + 1));
	if (a >= b || b > v->blksize || v->blk[b - 1] != '\n')
		return NULL;
	if (id == 0 ? a != 0 : a == 0 || v->blk[a - 1] != '\n')
		return NULL;
	if (id + 1 == v->n && b != v->blksize)
		return NULL;
	t = v->blk + a;
	if (memchr(t, '\n', (size_t)(b - a - 1)) != NULL)
		return NULL;
	*len = (size_t)(b - a - 1);
	return t;
}

/*
 * One more lookup of a mapped vocab.  Tokens may be read on several
 * threads: the count is kept under map_mu while it runs (once it is 0
 * it stays 0, as v->tok stays set in materialise).
 */
static void
cold_step(struct vocab *v)
{
	if (v->cold == 0)
		return;
	pthread_mutex_lock(&map_mu);
	if (v->cold > 0 && --v->cold == 0) {
		v->cold = 1;
		warm(v);
	}
	pthread_mutex_unlock(&map_mu);
}

void
vocab_map_cold(struct vocab *v)
{
	if (v->mslot != NULL)
		v->cold = VOCAB_COLD;
}

void
vocab_map_warm(struct vocab *v)
{
	pthread_mutex_lock(&map_mu);
	warm(v);
	pthread_mutex_unlock(&map_mu);
}

const char *
vocab_token_mapped(const struct vocab *v, size_t id, size_t *len)
{
	/* a mapped vocab caches what it reads: it is never a const object */
	struct vocab *w = (struct vocab *)(uintptr_t)v;
	const char *t;

	cold_step(w);
	if (w->moff != NULL && (t = mapped_token(w, id, len)) != NULL)
		return t;
	materialise(w, "the offsets do not frame a token");
	*len = w->len[id];
	return w->tok[id];
}

/*
 * Find through the stored index: the id, -1 when absent, -2 when an entry
 * does not hold (the index is then not to be trusted).
 */
static long
find_mapped(const struct vocab *v, const char *tok, size_t len)
{
	size_t mask = v->mcap - 1, h, p, tl;
	uint32_t s;

	h = (size_t)(vocab_hash(tok, len, v->seed) & mask);
	for (p = 0; p < v->maxprobe; p++, h = (h + 1) & mask) {
		const char *t;

		if ((s = le_get32(v->mslot + 4 * h)) == 0)
			return -1;
		if (s > v->n || (t = mapped_token(v, s - 1, &tl)) == NULL)
			return -2;
		if (tl == len && memcmp(t, tok, len) == 0)
			return (long)s - 1;
	}
	return -1;
}

/*
 * Where the index finds row i's token: at row i, or at an earlier row
 * with the same token (a token that occurs twice, such as the empty
 * token of every unnamed row of a padded table, is found at its first
 * row).  -1 when it is not found there.
 */
static long
found_at(const struct vocab *v, size_t i)
{
	size_t len;
	const char *t = mapped_token(v, i, &len);
	long j;

	if (t == NULL || (j = find_mapped(v, t, len)) < 0 || (size_t)j > i)
		return -1;
	return j;
}

size_t
vocab_index_cap(size_t n)
{
	size_t cap = 8;

	while (cap / 2 < n)
		cap *= 2;
	return cap;
}

size_t
vocab_index_build(const struct vocab *v, uint64_t seed, unsigned char *slots,
    size_t cap)
{
	size_t mask = cap - 1, i, maxp = 1;

	memset(slots, 0, cap * 4);
	for (i = 0; i < v->n; i++) {
		size_t h = (size_t)(vocab_hash(v->tok[i], v->len[i], seed) &
		    mask), p = 1;
		uint32_t s;

		while ((s = le_get32(slots + 4 * h)) != 0) {
			if (v->len[s - 1] == v->len[i] && memcmp(v->tok[s - 1],
			    v->tok[i], v->len[i]) == 0)
				break;
			h = (h + 1) & mask;
			p++;
		}
		if (s != 0)
			continue;
		le_put(slots + 4 * h, i + 1, 4);
		if (p > maxp)
			maxp = p;
	}
	return maxp;
}

void
vocab_offsets_write(const struct vocab *v, unsigned char *out)
{
	uint64_t off = 0;
	size_t i;

	for (i = 0; i < v->n; i++) {
		le_put(out + 8 * i, off, 8);
		off += (uint64_t)v->len[i] + 1;
	}
	le_put(out + 8 * v->n, off, 8);
}

int
vocab_map(struct vocab *v, const char *blk, size_t size, size_t n,
    const unsigned char *off, const unsigned char *slots, size_t mcap,
    uint64_t seed, size_t maxprobe, const char *name, struct emb_err *e)
{
	size_t probe[2], i, len;
	const char *t;

	if (n == 0 || mcap < n || (mcap & (mcap - 1)) != 0) {
		err_set(e, name, 0, "token index: %zu slots for %zu "
		    "tokens", mcap, n);
		return -1;
	}
	if (maxprobe == 0 || maxprobe > mcap) {
		err_set(e, name, 0, "token index: longest probe %zu out "
		    "of range", maxprobe);
		return -1;
	}
	/*
	 * The pages the checks below read, asked for at once: on a cold
	 * page cache the reads overlap instead of waiting one by one.
	 */
	mem_advise(off + 8 * (n - 1), 16, POSIX_MADV_WILLNEED);
	if (size > 0) {
		mem_advise(blk, 1, POSIX_MADV_WILLNEED);
		mem_advise(blk + size - 1, 1, POSIX_MADV_WILLNEED);
	}
	if (le_get64(off) != 0 || le_get64(off + 8 * n) != size) {
		err_set(e, name, 0, "token index: the offsets do not "
		    "span the vocab");
		return -1;
	}
	v->n = n;
	v->blk = blk;
	v->blksize = size;
	v->moff = off;
	v->mslot = slots;
	v->mcap = mcap;
	v->seed = seed;
	v->maxprobe = maxprobe;
	v->name = name;
	/*
	 * The first and the last rows must be found where they are: this
	 * catches another vocabulary's index or seed at the cost of a few
	 * pages (a lookup on a cold cache reads each from the disk).
	 */
	probe[0] = 0;
	probe[1] = n - 1;
	for (i = 0; i < 2; i++)
		if ((t = mapped_token(v, probe[i], &len)) != NULL)
			mem_advise(slots + 4 * (size_t)(vocab_hash(t, len,
			    seed) & (mcap - 1)), 4, POSIX_MADV_WILLNEED);
	for (i = 0; i < 2; i++) {
		if (found_at(v, probe[i]) < 0) {
			err_set(e, name, 0, "token index: row %zu is not found "
			    "at its row (another vocabulary's index, or "
			    "another seed?)", probe[i] + 1);
			vocab_init(v);
			return -1;
		}
	}
	return 0;
}

int
vocab_map_check(const struct vocab *v, struct emb_err *e)
{
	size_t i, used = 0, first = 0, len;

	if (v->mslot == NULL) {
		err_set(e, v->name, 0, "token index: not in use");
		return -1;
	}
	vocab_map_warm((struct vocab *)(uintptr_t)v);	/* reads it all */
	/* each token framed and each followed by the next: the offsets are
	 * exactly the tokens' starts */
	for (i = 0; i < v->n; i++)
		if (mapped_token(v, i, &len) == NULL) {
			err_set(e, v->name, 0, "token index: the offsets of row "
			    "%zu do not frame its token", i + 1);
			return -1;
		}
	for (i = 0; i < v->mcap; i++) {
		uint32_t s = le_get32(v->mslot + 4 * i);

		if (s > v->n) {
			err_set(e, v->name, 0, "token index: slot %zu holds "
			    "row %lu of %zu", i, (unsigned long)s, v->n);
			return -1;
		}
		used += s != 0;
	}
	/* each row found at itself or at its token's first row, and one
	 * entry per distinct token: the entries are those first rows */
	for (i = 0; i < v->n; i++) {
		long j = found_at(v, i);

		if (j < 0) {
			err_set(e, v->name, 0, "token index: row %zu is not "
			    "found at its row", i + 1);
			return -1;
		}
		first += (size_t)j == i;
	}
	if (used != first) {
		err_set(e, v->name, 0, "token index: %zu entries for %zu "
		    "tokens", used, first);
		return -1;
	}
	return 0;
}

size_t
vocab_add(struct vocab *v, const char *tok, size_t len)
{
	size_t id;

	need_tokens(v);
	id = v->n;
	grow(v, v->n + 1);
	v->tok[id] = arena_copy(v, tok, len);
	v->len[id] = (uint32_t)len;
	if (v->count != NULL)
		v->count[id] = 0;
	v->n++;
	if (v->slot != NULL) {
		if (v->n * 2 > v->hcap)
			rehash(v, v->n);
		else if (v->hn == id)
			hash_insert(v, id);
	}
	return id;
}

long
vocab_find(struct vocab *v, const char *tok, size_t len)
{
	size_t mask, h;
	uint32_t s;

	if (v->n == 0)
		return -1;
	if (v->mslot != NULL) {
		long id;

		cold_step(v);
		id = find_mapped(v, tok, len);

		if (id >= -1)
			return id;
		materialise(v, "an entry does not hold");
	}
	need_tokens(v);
	if (v->slot == NULL || v->hn < v->n)
		index_all(v);
	mask = v->hcap - 1;
	h = vocab_hash(tok, len, v->seed) & mask;
	while ((s = v->slot[h]) != 0) {
		size_t id = s - 1;

		if (v->len[id] == len && memcmp(v->tok[id], tok, len) == 0)
			return (long)id;
		h = (h + 1) & mask;
	}
	return -1;
}

size_t
vocab_intern(struct vocab *v, const char *tok, size_t len, int *added)
{
	long id;

	need_tokens(v);
	if (v->slot == NULL)
		index_all(v);
	id = vocab_find(v, tok, len);
	if (id >= 0) {
		*added = 0;
		return (size_t)id;
	}
	*added = 1;
	return vocab_add(v, tok, len);
}

long
vocab_first_duplicate(struct vocab *v)
{
	size_t i;

	need_tokens(v);
	/* rebuild from scratch: an index of duplicates keeps the first */
	free(v->slot);
	v->slot = NULL;
	v->hcap = v->hn = 0;
	if (v->n == 0)
		return -1;
	/* sized for all at once, so it never grows */
	v->hcap = 1024;
	while (v->hcap < v->n * 2)
		v->hcap *= 2;
	v->slot = xaligned(v->hcap * sizeof(*v->slot));
	memset(v->slot, 0, v->hcap * sizeof(*v->slot));
	for (i = 0; i < v->n; i++) {
		size_t mask, h;
		uint32_t s;

		mask = v->hcap - 1;
		h = vocab_hash(v->tok[i], v->len[i], v->seed) & mask;
		while ((s = v->slot[h]) != 0) {
			if (v->len[s - 1] == v->len[i] &&
			    memcmp(v->tok[s - 1], v->tok[i], v->len[i]) == 0) {
				free(v->slot);
				v->slot = NULL;
				v->hcap = v->hn = 0;
				return (long)i;
			}
			h = (h + 1) & mask;
		}
		v->slot[h] = (uint32_t)(i + 1);
		v->hn++;
	}
	return -1;
}

int
vocab_from_block(struct vocab *v, const char *buf, size_t size, size_t n,
    const char *name, struct emb_err *e)
{
	const char *p = buf, *end = buf + size, *nl;
	size_t i;

	grow(v, n);
	for (i = 0; i < n; i++) {
		if (p >= end || (nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			err_set(e, name, 0, "vocab holds %zu tokens, "
			    "the table has %zu rows", i, n);
			return -1;
		}
		if ((size_t)(nl - p) > UINT32_MAX) {
			err_set(e, name, 0, "vocab token %zu too long", i);
			return -1;
		}
		v->tok[v->n] = p;
		v->len[v->n] = (uint32_t)(nl - p);
		v->n++;
		p = nl + 1;
	}
	if (p != end) {
		err_set(e, name, 0, "vocab holds more tokens than the "
		    "table's %zu rows", n);
		return -1;
	}
	return 0;
}

size_t
vocab_block_size(const struct vocab *v)
{
	size_t i, n = 0, len;

	if (v->tok == NULL && v->blk != NULL)
		return v->blksize;
	for (i = 0; i < v->n; i++) {
		(void)vocab_token(v, i, &len);
		n += len + 1;
	}
	return n;
}

void
vocab_write_block(const struct vocab *v, char *out)
{
	const char *tok;
	size_t i, len;

	if (v->tok == NULL && v->blk != NULL) {
		memcpy(out, v->blk, v->blksize);
		return;
	}
	for (i = 0; i < v->n; i++) {
		tok = vocab_token(v, i, &len);
		memcpy(out, tok, len);
		out += len;
		*out++ = '\n';
	}
}

void
vocab_ensure_counts(struct vocab *v)
{
	if (v->count == NULL)
		v->count = xcalloc(v->cap ? v->cap : 1, sizeof(*v->count));
}

/* an id's place in vocab_order_ids: its count, then the id */
struct rank {
	int64_t count;
	size_t id;
};

static int
rank_cmp(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

void
vocab_order_ids(const int64_t *count, size_t *ids, size_t n)
{
	struct rank *r;
	size_t i;

	if (n < 2)
		return;
	/* (count, id) pairs: no shared state, so threads may sort at once */
	r = xreallocarray(NULL, n, sizeof(*r));
	for (i = 0; i < n; i++) {
		r[i].count = count[ids[i]];
		r[i].id = ids[i];
	}
	qsort(r, n, sizeof(*r), rank_cmp);
	for (i = 0; i < n; i++)
		ids[i] = r[i].id;
	free(r);
}

void
vocab_permute(struct vocab *v, const size_t *perm, size_t n)
{
	const char **tok;
	uint32_t *len;
	int64_t *count = NULL;
	size_t i;

	need_tokens(v);
	tok = xgrow(NULL, 0, n ? n : 1, sizeof(*tok));
	len = xgrow(NULL, 0, n ? n : 1, sizeof(*len));
	if (v->count != NULL)
		count = xgrow(NULL, 0, n ? n : 1, sizeof(*count));
	for (i = 0; i < n; i++) {
		tok[i] = v->tok[perm[i]];
		len[i] = v->len[perm[i]];
		if (count != NULL)
			count[i] = v->count[perm[i]];
	}
	free(v->tok);
	free(v->len);
	free(v->count);
	v->tok = tok;
	v->len = len;
	v->count = count;
	v->n = v->cap = n;
	free(v->slot);
	v->slot = NULL;
	v->hcap = v->hn = 0;
}

size_t
vocab_fits_max(size_t n)
{
	return (n + 1023) / 1024 * 1024;
}

int
vocab_fits(size_t n, size_t rows)
{
	if (rows == n)
		return 0;
	/* n < rows <= n rounded up to a multiple of 1024, rows % 8 == 0 */
	if (rows > n && rows % 8 == 0 && rows <= vocab_fits_max(n))
		return 1;
	return -1;
}

size_t
vocab_unnamed(const struct vocab *v, long *first)
{
	size_t i, k = 0, len;

	*first = -1;
	for (i = 0; i < v->n; i++)
		if ((vocab_token(v, i, &len), len == 0) && k++ == 0)
			*first = (long)i;
	return k;
}
