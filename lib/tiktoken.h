/* See LICENSE file for copyright and license details. */
#ifndef EMB_TIKTOKEN_H
#define EMB_TIKTOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "bpe.h"
#include "err.h"
#include "pretok.h"

/*
 * OpenAI's tokenizer files, as tiktoken (openai/tiktoken, load.py and
 * openai_public.py) reads them:
 * - rank files ("cl100k_base.tiktoken"): one token per line, its bytes in
 *   base64, a space, its rank (= its ID);
 * - GPT-2's pair (gpt-2 encoder.py): encoder.json (token -> ID, bytes
 *   spelled through GPT-2's byte-to-character map) and vocab.bpe (a
 *   version line, then one merge "a b" per line, in rank order);
 * and the encodings that give a rank file its pattern and special tokens.
 */

struct tiktoken_special {
	const char *text;
	uint32_t id;
};

struct tiktoken_enc {
	const char *name;		/* "cl100k_base" */
	enum pretok_kind pattern;
	uint32_t nranks;		/* lines of its rank file */
	uint32_t nvocab;		/* IDs (tiktoken's n_vocab) */
	const struct tiktoken_special *special;
	size_t nspecial;
};

/* the encoding called name (gpt2, r50k_base, p50k_base, p50k_edit,
 * cl100k_base, o200k_base), or NULL */
const struct tiktoken_enc *tiktoken_encoding(const char *name);
/* the encodings, for messages: "gpt2, r50k_base, ..." */
const char *tiktoken_names(void);

/*
 * Read the rank file at path (BPE_RANKS, byte-level).  Errors name the
 * file and line: bad base64, a missing or bad rank, a rank or token given
 * twice.  Ranks need not be dense.
 */
struct bpe *tiktoken_load(const char *path, struct emb_err *e);

/*
 * The encoding of a loaded rank file: the one whose name is the file's
 * base name (less ".tiktoken"), else the one with as many ranks whose
 * tokens agree; NULL when none fits.
 */
const struct tiktoken_enc *tiktoken_guess(const char *path,
    const struct bpe *b);

struct json;

/*
 * Add a vocabulary object (token -> ID: encoder.json, vocab.json, a
 * tokenizer.json's model.vocab) to b.  With bytelevel the tokens are
 * spelled through GPT-2's byte-to-character map and b gets their bytes
 * (a token outside the map keeps its UTF-8 bytes).  Errors name the file
 * and the token: an ID that is not a whole number below 2^32 - 1, a
 * token or ID given twice.
 */
int gpt2_vocab(struct bpe *b, const struct json *vocab, int bytelevel,
    const char *name, struct emb_err *e);
/*
 * Add the merge of a[0..al) and c[0..cl) (spelled as in the vocabulary).
 * where names the merge in messages ("vocab.bpe:12", "tokenizer.json:
 * model.merges[11]").
 */
int gpt2_merge(struct bpe *b, const char *a, size_t al, const char *c,
    size_t cl, int bytelevel, const char *where, struct emb_err *e);
/*
 * Read GPT-2's pair: the vocabulary (encoder.json or vocab.json) and the
 * merges (vocab.bpe or merges.txt: an optional "#version" line, then
 * "a b" per line).  BPE_MERGES, byte-level.
 */
struct bpe *gpt2_load(const char *vocab, const char *merges,
    struct emb_err *e);

/*
 * GPT-2's byte-to-character map (encoder.py bytes_to_unicode, also
 * Hugging Face's ByteLevel): the code point standing for byte c.
 */
uint32_t gpt2_byte_char(unsigned c);
/*
 * Undo the map: the bytes of the characters s[0..n) into out (n bytes of
 * room); -1 when a character is not in the map.  Returns the length.
 */
long gpt2_unmap(const char *s, size_t n, unsigned char *out);

#endif
