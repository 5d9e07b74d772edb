/* See LICENSE file for copyright and license details. */
#ifndef EMB_TOKENIZER_H
#define EMB_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * LLM tokenizers: text (bytes) -> token IDs -> text, exactly as the
 * reference implementations do it:
 * - tiktoken rank files (cl100k_base, o200k_base, r50k_base, p50k_base),
 *   as OpenAI's tiktoken encodes them;
 * - GPT-2's encoder.json/vocab.json + vocab.bpe/merges.txt, as GPT-2's
 *   encoder.py (and tiktoken's "gpt2" encoding) encodes them;
 * - Hugging Face tokenizer.json files, as the tokenizers library does.
 *
 * Text is bytes; invalid UTF-8 is read as the references receive it from
 * a decoder: one U+FFFD per maximal ill-formed subsequence (the Unicode
 * standard's practice, which Node, Python and WHATWG follow).  Offsets
 * always refer to the bytes given.
 *
 * A struct tokenizer is read-only once opened and configured
 * (tokenizer_set_*): any number of threads may encode with it at once,
 * each with its own struct tokenizer_seq.
 */
struct tokenizer;

/*
 * Open a tokenizer.  spec is
 * - a tokenizer.json; a tiktoken rank file (its encoding from encoding,
 *   else from its name or size); encoder.json or vocab.json (the merges
 *   file vocab.bpe or merges.txt beside it) or the merges file (the
 *   vocabulary beside it);
 * - a directory holding one of these;
 * - a name: an encoding (gpt2, r50k_base, p50k_base, p50k_edit,
 *   cl100k_base, o200k_base) or a directory or file under the data
 *   directories (share/emb of the installation, the source tree's data/).
 * encoding (may be NULL) names the tiktoken encoding of a rank file.
 * NULL with e filled ("file:line: what", or "file: what" naming the part
 * of a tokenizer.json that is malformed or not supported).
 */
struct tokenizer *tokenizer_open(const char *spec, const char *encoding,
    struct emb_err *e);
void tokenizer_free(struct tokenizer *t);

/* a name for messages: the encoding, or the file read */
const char *tokenizer_name(const struct tokenizer *t);
/* "tiktoken", "gpt2" (encoder.json + vocab.bpe) or "huggingface" */
const char *tokenizer_kind(const struct tokenizer *t);
/* IDs are < this (special and added tokens included; holes allowed) */
uint32_t tokenizer_vocab_size(const struct tokenizer *t);

/*
 * Token text of id, readable: the bytes it stands for (" Paris", not the
 * vocabulary's "ĠParis" or "▁Paris"; a byte-fallback token "<0x0A>" is
 * "\n"; a WordPiece continuation "##ing" stays as written; a special
 * token is its text).  May be part of a UTF-8 character.  NULL for an ID
 * out of range or without a token.
 */
const char *tokenizer_token(const struct tokenizer *t, uint32_t id,
    size_t *len);
/* the vocabulary's own spelling of id ("ĠParis"), or NULL */
const char *tokenizer_piece(const struct tokenizer *t, uint32_t id,
    size_t *len);
/* 1 for a special token (tiktoken's, or an added token marked special) */
int tokenizer_is_special(const struct tokenizer *t, uint32_t id);
/* the ID of the vocabulary spelling piece[0..len), or UINT32_MAX */
uint32_t tokenizer_find(const struct tokenizer *t, const char *piece,
    size_t len);

/*
 * Special-token policy for encoding: "none" (special tokens' text is
 * ordinary text), "all" (matched as the special tokens), or a
 * comma-separated list of special tokens to match (the others'
 * text is then ordinary text).  Without a call, each reference's default:
 * tokenizer.json files match their added tokens; tiktoken and GPT-2 files
 * refuse special-token text (tokenizer_encode fails).  -1 with e filled
 * for an unknown token in the list.
 */
int tokenizer_set_special(struct tokenizer *t, const char *policy,
    struct emb_err *e);
/*
 * Keep (1) or drop (0) the tokens the post-processor puts before and
 * after the text (BOS, EOS, [CLS], [SEP]).  Both kept by default.
 */
void tokenizer_set_bos_eos(struct tokenizer *t, int bos, int eos);

/* an encoded sequence, with the encoder's per-thread state */
struct tokenizer_seq {
	uint32_t *ids;
	size_t *start, *end;	/* byte spans into the text, if offsets */
	size_t n, cap;
	int offsets;		/* set to fill start/end */
	void *work;		/* private */
	const struct tokenizer *owner;	/* private */
};

/* zero q (or memset it to 0) before first use */
void tokenizer_seq_init(struct tokenizer_seq *q);
void tokenizer_seq_free(struct tokenizer_seq *q);

/*
 * Encode text[0..len) into q, replacing what it held.  0, or -1 with e
 * filled ("special token \"<|endoftext|>\" in the text", a regex engine
 * that gave up).  Time linear in len (times a log for very long pieces).
 */
int tokenizer_encode(const struct tokenizer *t, struct tokenizer_seq *q,
    const void *text, size_t len, struct emb_err *e);

/*
 * Decode n IDs, appending their text to *buf (grown, *len bytes used of
 * *cap, not NUL-terminated): the inverse of encoding for byte-level
 * tokenizers (byte for byte on valid UTF-8), the tokenizer.json's decoder
 * otherwise.  -1 with e filled for an ID out of range or without a token.
 */
int tokenizer_decode(const struct tokenizer *t, const uint32_t *ids, size_t n,
    char **buf, size_t *len, size_t *cap, struct emb_err *e);

#endif
