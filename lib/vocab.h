/* See LICENSE file for copyright and license details. */
#ifndef EMB_VOCAB_H
#define EMB_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "src.h"

/*
 * Tokens in row order, as byte strings (ptr, len): never NUL-terminated
 * by contract, never assumed UTF-8.  Tokens either live in the vocab's own
 * arena (vocab_add) or in a caller's block (vocab_from_block: e.g. the
 * mmap'd vocab tensor), which must outlive the vocab.  The hash index is
 * built on the first vocab_find, so opening a model costs nothing for
 * callers that only use IDs.
 *
 * A mapped vocab (vocab_map) reads tokens through a stored offsets table
 * and finds them through a stored hash index (the token index of a native
 * model, see vindex.h), so neither opening it nor a lookup costs time in
 * proportion to n.  Every entry is checked as it is used; on the first one
 * that does not hold (an id out of range, offsets that do not frame one
 * token, a token that is not where the index says), the vocab drops the
 * stored tables, indexes the block itself as vocab_from_block does, and
 * reports a warning (err_report); if the block itself is not n tokens the
 * report is fatal.  Callers see the same answers either way.
 */
struct vocab {
	size_t n, cap;
	const char **tok;	/* NULL while mapped */
	uint32_t *len;
	int64_t *count;		/* NULL when the table has no counts */
	/* hash index: slot holds id + 1, 0 = empty; hcap is a power of 2 */
	uint32_t *slot;
	size_t hcap, hn;
	uint64_t seed;		/* of vocab_hash, for both indexes */
	/* arena of owned token bytes */
	char **blocks;
	size_t nblocks, bused, bcap;
	/* mapped: the block, its n + 1 offsets and a stored index */
	const char *blk;
	size_t blksize;
	const unsigned char *moff;	/* int64 LE [n + 1], or NULL */
	const unsigned char *mslot;	/* uint32 LE [mcap], or NULL */
	size_t mcap, maxprobe;
	const char *name;	/* file named in reports */
	size_t cold;		/* lookups left before read-ahead is back on
				 * (vocab_map_cold), 0 if it is on */
};

/*
 * The token hash: FNV-1a (64-bit; offset basis 0xcbf29ce484222325 xor
 * seed, prime 0x100000001b3) over the token's bytes, then MurmurHash3's
 * fmix64 finaliser.  Slot = hash mod the (power of 2) table size.
 */
uint64_t vocab_hash(const char *tok, size_t len, uint64_t seed);

void vocab_init(struct vocab *v);
void vocab_free(struct vocab *v);

/* append a copy of the token; returns its id (no duplicate check) */
size_t vocab_add(struct vocab *v, const char *tok, size_t len);
/* id of the token, or -1 */
long vocab_find(struct vocab *v, const char *tok, size_t len);
/* id of the token, adding it when absent; *added set to 1 if new */
size_t vocab_intern(struct vocab *v, const char *tok, size_t len, int *added);
/* first id whose token is a duplicate of an earlier one, or -1 */
long vocab_first_duplicate(struct vocab *v);

/*
 * Index a block of '\n'-terminated tokens without copying.  Fails (with
 * name in the message) if the block does not hold exactly n tokens.
 */
int vocab_from_block(struct vocab *v, const char *buf, size_t size, size_t n,
    const char *name, struct emb_err *e);
/*
 * Map n tokens: blk (size bytes, as vocab_from_block), off: n + 1
 * little-endian int64 byte offsets (token i is blk[off[i] .. off[i+1] - 1),
 * then '\n'), slots: mcap little-endian uint32 entries (id + 1, 0 empty;
 * mcap a power of 2), filled by linear probing from vocab_hash(seed), every
 * token found within maxprobe slots.  Checks the sizes, the ends of the
 * offsets, and that the first and the last rows are found at their own
 * rows; -1 with a message (and v unchanged) when one fails.  v must be
 * empty; name (kept, not copied) names the file in reports.
 */
int vocab_map(struct vocab *v, const char *blk, size_t size, size_t n,
    const unsigned char *off, const unsigned char *slots, size_t mcap,
    uint64_t seed, size_t maxprobe, const char *name, struct emb_err *e);
/*
 * The caller mapped the blocks from a file and advised them
 * POSIX_MADV_RANDOM (mem_advise), so that a lookup on a cold page cache
 * reads the few pages it touches and not the read-ahead around each:
 * after VOCAB_COLD tokens found or read (or when the whole block is
 * read: vocab_map_check, a fall back to indexing it), the vocab advises
 * its blocks POSIX_MADV_NORMAL again, as read-ahead then pays for itself.
 */
#define VOCAB_COLD 64
void vocab_map_cold(struct vocab *v);
/* read-ahead back on now (the caller is about to read much of it) */
void vocab_map_warm(struct vocab *v);
/*
 * Check all of a mapped vocab's stored tables (O(n)): every offset frames
 * its row's token, the index holds n entries, each row is found at itself.
 * Then every lookup through the index gives the vocabulary's answer.
 */
int vocab_map_check(const struct vocab *v, struct emb_err *e);
/* size of a stored index for n tokens: a power of 2 >= 2n, at least 8 */
size_t vocab_index_cap(size_t n);
/*
 * Fill slots[cap] (uint32 LE, zeroed here) with the index of v's tokens
 * under seed; a duplicate token keeps its first id.  Returns the longest
 * probe (slots looked at to find a token), at least 1.
 */
size_t vocab_index_build(const struct vocab *v, uint64_t seed,
    unsigned char *slots, size_t cap);
/* the n + 1 token offsets of the vocab block, int64 LE, into out */
void vocab_offsets_write(const struct vocab *v, unsigned char *out);
/* serialise as '\n'-terminated tokens (the vocab tensor); returns bytes */
size_t vocab_block_size(const struct vocab *v);
void vocab_write_block(const struct vocab *v, char *out);

/* token of a mapped vocab (vocab_token's slow path) */
const char *vocab_token_mapped(const struct vocab *v, size_t id, size_t *len);

static inline const char *
vocab_token(const struct vocab *v, size_t id, size_t *len)
{
	if (v->tok == NULL)
		return vocab_token_mapped(v, id, len);
	*len = v->len[id];
	return v->tok[id];
}

/*
 * Can n tokens name the rows of a table of rows rows?  0: one token per
 * row; 1: the table is padded past the vocabulary (rows > n, a multiple
 * of 8, and at most n rounded up to a multiple of 1024, as models round
 * their tables up for speed: nanoGPT's 50304 rows for GPT-2's 50257
 * tokens, Qwen2's 151936 for 151646, OPT's 50272 for 50265); -1: the
 * sizes disagree.  The rows past the vocabulary are
 * unnamed: an empty token in a vocab (see vocab_unnamed).
 */
int vocab_fits(size_t n, size_t rows);
/* the most rows a padded table of n tokens may have (vocab_fits) */
size_t vocab_fits_max(size_t n);
/* how many rows have no token (empty ones), the first in *first or -1 */
size_t vocab_unnamed(const struct vocab *v, long *first);
/* room for the decimal label of a row */
#define VOCAB_IDLEN 24
/*
 * The label of row i in output: token i when v holds one (i < v->n) and
 * it is not empty (an unnamed row, as padding), else i in decimal,
 * written into buf (VOCAB_IDLEN bytes).  v may be NULL: always the
 * number (rows asked for by ID).
 */
const char *vocab_label(const struct vocab *v, size_t i, char *buf,
    size_t *len);

/* allocate counts (zeros) if absent */
void vocab_ensure_counts(struct vocab *v);
/*
 * Sort the n ids in place by descending count[id], ties by the lower id
 * (word2vec.c's and gensim's vocabulary order; a tokenizer's IDs in
 * emb-train --ids).  Thread-safe.  Does not reorder a vocab: see
 * vocab_permute.
 */
void vocab_order_ids(const int64_t *count, size_t *ids, size_t n);
/* keep rows perm[0..n-1] in that order (perm[new] = old) */
void vocab_permute(struct vocab *v, const size_t *perm, size_t n);

#endif
