/* See LICENSE file for copyright and license details. */
#ifndef EMB_BPE_H
#define EMB_BPE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Byte-pair encoding (Sennrich et al. 2016, "Neural Machine Translation
 * of Rare Words with Subword Units"): a vocabulary of byte strings and
 * the merge rules that join a piece's symbols into tokens.
 *
 * Two rules, as the two reference families define them:
 * - BPE_RANKS (tiktoken): repeatedly merge the adjacent pair whose
 *   concatenation is the token of lowest ID (its rank), leftmost first;
 *   a piece that is itself a token is that token.
 * - BPE_MERGES (Hugging Face tokenizers, models.BPE): a list of merges
 *   "a b"; repeatedly apply the listed merge of lowest rank (list index)
 *   among adjacent pairs, leftmost first.  A pair listed twice keeps its
 *   last rank, as tokenizers' builder does.
 *
 * Initial symbols are the piece's bytes (byte-level models: GPT-2,
 * tiktoken, LLaMA-3, Qwen; the vocabulary then holds raw bytes), or its
 * UTF-8 characters (sentencepiece-style models: LLaMA-2, Mistral), with
 * Hugging Face's continuing_subword_prefix / end_of_word_suffix, and for
 * a character missing from the vocabulary its bytes' <0xXX> tokens
 * (byte_fallback) or the unknown token (fuse_unk joins a run of them), or
 * nothing when the model has neither (as tokenizers does).
 *
 * Encoding a piece of n symbols costs O(n^2) with small constants for
 * short pieces and O(n log n) (a heap of candidate merges) for long ones,
 * so a 10 MB word is no worse than linear by more than a log factor.
 * A bpe is read-only once built and may be shared by threads; each
 * thread encodes through its own struct bpe_work (which holds a cache of
 * recent pieces).
 */

#define BPE_NONE UINT32_MAX	/* no such token */

/* a slot of the vocabulary's hash: one cache line fetch per probe */
struct bpe_slot {
	uint64_t head;		/* the token's first 8 bytes, zero-padded */
	uint32_t id;		/* BPE_NONE when empty */
	uint32_t lentag;	/* length (low 16 bits) and hash tag */
};

enum bpe_rule { BPE_RANKS, BPE_MERGES };

struct bpe {
	enum bpe_rule rule;
	int bytelevel;		/* symbols are bytes, else UTF-8 characters */
	int whole_first;	/* a piece in the vocabulary is one token
				   (tiktoken; tokenizers' ignore_merges) */
	int byte_fallback;
	int fuse_unk;
	uint32_t unk;		/* the unknown token, or BPE_NONE */
	char *prefix, *suffix;	/* continuing_subword_prefix,
				   end_of_word_suffix, or NULL */
	size_t prefixlen, suffixlen;

	uint32_t size;		/* IDs are < size (holes allowed) */
	uint32_t count;		/* tokens */
	size_t maxlen;		/* longest token, in bytes */
	unsigned char *arena;	/* token bytes */
	size_t alen, acap;
	uint32_t *off, *len;	/* per ID; len BPE_NONE for a hole */
	size_t idcap;		/* room in off, len */
	struct bpe_slot *slot;	/* the hash of token bytes -> ID */
	size_t nslot;
	uint32_t byte_tok[256];	/* single-byte tokens (byte-level) */
	uint32_t fallback[256];	/* <0xXX> tokens (byte_fallback) */

	uint64_t *mkey;		/* merges: (a << 32 | b) + 1, or 0 */
	uint32_t *mrank, *mnew;
	size_t nmslot, nmerge;
};

struct bpe_work;

struct bpe *bpe_new(enum bpe_rule rule, int bytelevel);
void bpe_free(struct bpe *b);

/*
 * Add token tok[0..len) (len > 0) with ID id.  Returns 0, -1 when those
 * bytes are a token already, -2 when id is taken.  O(len) amortised.
 */
int bpe_add(struct bpe *b, const void *tok, size_t len, uint32_t id);
/* ID of the token tok[0..len), or BPE_NONE.  O(len). */
uint32_t bpe_find(const struct bpe *b, const void *tok, size_t len);
/* bytes of token id and *len, or NULL for an ID with no token */
const unsigned char *bpe_token(const struct bpe *b, uint32_t id,
    size_t *len);

/*
 * Add the merge (a, c) -> merged, ranked after every merge added before
 * (BPE_MERGES).  Call after the tokens are added.
 */
void bpe_add_merge(struct bpe *b, uint32_t a, uint32_t c, uint32_t merged);

/*
 * Add the merge of the tokens a[0..al) and c[0..cl): the merged token is
 * their concatenation (less c's continuing_subword_prefix, as tokenizers'
 * builder does).  0, or -1 with *why set ("unknown token \"a\"" is
 * reported by the caller from which: 1 for a, 2 for c, 3 for the merged
 * token not in the vocabulary).
 */
int bpe_merge_tokens(struct bpe *b, const void *a, size_t al, const void *c,
    size_t cl, int *which);

/*
 * Fill byte_tok/fallback from the vocabulary (single bytes, "<0xXX>");
 * call once the tokens are added.
 */
void bpe_finish(struct bpe *b);

struct bpe_work *bpe_work_new(void);
void bpe_work_free(struct bpe_work *w);

/*
 * Encode the piece s[0..n) (n > 0; valid UTF-8 for character models):
 * returns the number of tokens, with *ids their IDs and *ends the byte
 * offset in s where each ends (each starts where the one before ends;
 * a fused run of unknowns spans its characters).  The arrays belong to
 * w and last until its next use.  Pieces of at most 64 bytes are cached
 * in w.
 */
size_t bpe_encode(const struct bpe *b, struct bpe_work *w,
    const unsigned char *s, size_t n, const uint32_t **ids,
    const uint32_t **ends);

#endif
