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
 */
struct vocab {
	size_t n, cap;
	const char **tok;
	uint32_t *len;
	int64_t *count;		/* NULL when the table has no counts */
	/* hash index: slot holds id + 1, 0 = empty; hcap is a power of 2 */
	uint32_t *slot;
	size_t hcap, hn;
	/* arena of owned token bytes */
	char **blocks;
	size_t nblocks, bused, bcap;
};

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
/* serialise as '\n'-terminated tokens (the vocab tensor); returns bytes */
size_t vocab_block_size(const struct vocab *v);
void vocab_write_block(const struct vocab *v, char *out);

static inline const char *
vocab_token(const struct vocab *v, size_t id, size_t *len)
{
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
 * Order ids by descending count, ties by id (stable); perm[new] = old.
 * Does not reorder the vocab itself: see vocab_permute.
 */
void vocab_count_order(const struct vocab *v, size_t *perm);
/* keep rows perm[0..n-1] in that order (perm[new] = old) */
void vocab_permute(struct vocab *v, const size_t *perm, size_t n);

/*
 * Read a vocabulary file: one token per line, optionally followed by a
 * space or tab and a count (the last field when numeric... see vocab.c);
 * CRLF tolerated.  Empty tokens and duplicates are errors with file:line.
 */
int vocab_load(struct vocab *v, const char *path, struct emb_err *e);
/* the same from an open source */
int vocab_read(struct vocab *v, struct src *s, struct emb_err *e);
/*
 * Read a Hugging Face vocab.json ({"token": id, ...}); ids must be a
 * permutation of 0..n-1.
 */
int vocab_load_json(struct vocab *v, const char *path, struct emb_err *e);
/* the same from an open source */
int vocab_read_json(struct vocab *v, struct src *s, struct emb_err *e);

#endif
