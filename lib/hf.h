/* See LICENSE file for copyright and license details. */
#ifndef EMB_HF_H
#define EMB_HF_H

#include <stddef.h>
#include <stdint.h>

#include "bpe.h"
#include "err.h"
#include "normalize.h"
#include "pretok.h"

/*
 * Hugging Face tokenizer.json files, as the tokenizers library (Rust,
 * tokenizers/src) reads and runs them: hfload.c turns the file into a
 * struct hf, hfrun.c encodes and decodes with it.  The pipeline:
 * added tokens (split out first: those not normalized on the raw text,
 * the others on the normalized text), normalizer, pre-tokenizer, model
 * (BPE, WordPiece, WordLevel), post-processor; and back through the
 * decoder.  Private to the tokenizer module.
 */

enum hf_model { HF_BPE, HF_WORDPIECE, HF_WORDLEVEL };

enum hf_pre_kind {
	HP_SPLIT, HP_BYTELEVEL, HP_METASPACE, HP_WHITESPACE, HP_WSSPLIT,
	HP_BERT, HP_PUNCT, HP_DIGITS, HP_CHARDELIM
};

/* SplitDelimiterBehavior */
enum hf_behavior { HB_REMOVED, HB_ISOLATED, HB_PREVIOUS, HB_NEXT,
	HB_CONTIGUOUS };

struct hf_pre {
	enum hf_pre_kind kind;
	enum hf_behavior behavior;
	int invert;
	struct pretok *re;	/* Split with a Regex */
	char *str;		/* Split with a String; Metaspace's
				   replacement; CharDelimiterSplit's */
	size_t strlen;
	int add_prefix_space, use_regex;	/* ByteLevel */
	int prepend;		/* Metaspace: 0 always, 1 first, 2 never */
	int split;		/* Metaspace */
	int individual;		/* Digits */
};

enum hf_dec_kind {
	HD_BYTELEVEL, HD_METASPACE, HD_WORDPIECE, HD_BPE, HD_BYTEFALLBACK,
	HD_FUSE, HD_STRIP, HD_REPLACE
};

struct hf_dec {
	enum hf_dec_kind kind;
	char *a, *b;		/* Replace: pattern, content; Metaspace:
				   replacement; WordPiece: prefix; BPE:
				   suffix; Strip: content */
	size_t alen, blen;
	int start, stop;	/* Strip */
	int cleanup;		/* WordPiece */
	int prepend;		/* Metaspace: 0 always, 1 first, 2 never */
};

struct hf {
	enum hf_model model;
	struct bpe *bpe;	/* the vocabulary (and BPE's merges) */
	int bytelevel;		/* vocabulary held as raw bytes */
	char *wp_prefix;	/* WordPiece continuing_subword_prefix */
	size_t wp_prefixlen, wp_max;
	uint32_t unk;		/* WordPiece/WordLevel unknown token */

	struct normalizer *norm;	/* NULL: none */
	struct hf_pre *pre;
	size_t npre;

	uint32_t *bos, *eos;	/* the post-processor's tokens around $A */
	size_t nbos, neos;

	struct hf_dec *dec;
	size_t ndec;

	/* fast path: no normalizer, a known pattern, then ByteLevel */
	int fast;
	enum pretok_kind fastkind;

	/* first bytes of the added tokens matched on raw, normalized text */
	unsigned char first[2][256];

	/* per ID: the vocabulary's spelling and the readable text */
	char *spell, *read;
	uint32_t *spelloff, *readoff;	/* size + 1 offsets each */
};

struct tokenizer;
struct json;

/* loading: where in the file, for messages (hfload.c) */
struct hf_ld {
	const char *file;
	struct emb_err *e;
	char path[256];		/* JSON path of the part being read */
};

/* e = "file: path: what"; returns -1 */
int hf_fail(struct hf_ld *l, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* append ".key" (or "[idx]" when key is NULL) to the path; returns the
 * length to give back to hf_leave */
size_t hf_enter(struct hf_ld *l, const char *key, long idx);
void hf_leave(struct hf_ld *l, size_t n);
/* a member's "type" string, or NULL */
const char *hf_type(const struct json *j);
/* boolean member, def when absent or null; -1 (message) on another type */
int hf_bool(struct hf_ld *l, const struct json *o, const char *key, int def);
/* string member or NULL when absent or null; *bad set on another type */
const char *hf_str(struct hf_ld *l, const struct json *o, const char *key,
    int *bad);
/*
 * A byte-fallback token "<0xXX>" (XX upper-case hex, as SentencePiece and
 * tokenizers' ByteFallback spell it): the byte, else -1 (hfdec.c)
 */
int hf_fallback_byte(const char *s, size_t n);
/* the ID of a vocabulary spelling (through the byte map if byte-level) */
uint32_t hf_vocab_id(const struct hf *h, const char *s);

/* the parts (hfparts.c): NULL or absent members leave them empty */
int hf_load_normalizer(struct hf_ld *l, struct hf *h, const struct json *j);
int hf_load_pre(struct hf_ld *l, struct hf *h, const struct json *j);
int hf_load_post(struct hf_ld *l, struct hf *h, const struct json *j);
int hf_load_decoder(struct hf_ld *l, struct hf *h, const struct json *j);
/* 1 when the pre-tokenizer holds a ByteLevel (vocabulary as bytes) */
int hf_has_bytelevel(const struct json *pre);

/*
 * Read a tokenizer.json into t (its kind, name, added tokens, hf).
 * Errors name the file and the part: "tokenizer.json: model: type
 * \"Unigram\" is not supported", "tokenizer.json: pre_tokenizer.
 * pretokenizers[1].pattern: bad regular expression ...".
 */
int hf_load(struct tokenizer *t, const char *path, struct emb_err *e);
void hf_free(struct hf *h);

struct tokenizer_seq;
struct tok_work;

/* running (hfrun.c, hfpre.c): a split of the text, bytes [off, off +
 * len) of an arena, or an added token */
struct hf_split {
	size_t off, len;
	uint32_t id;		/* an added token, or BPE_NONE */
};

/* a pattern's cover of a split: [s, e), a match or not */
struct hf_ent {
	size_t s, e;
	int m;
};

/* a thread's state: two split lists and arenas, swapped per step */
struct hw {
	struct hf_ent *ent;
	size_t nent, capent;
	struct ntext t, tmp;		/* normalizing */
	struct ntext ar[2];
	struct hf_split *sp[2];
	size_t nsp[2], capsp[2];
	void **pst;			/* per pre-tokenizer regex */
	size_t npst;
	char *buf;			/* WordPiece candidates */
	size_t bcap;
};

void hf_push_split(struct hw *w, int k, size_t off, size_t len, uint32_t id);
/* copy bytes [b, e) of src with their alignment to the end of dst */
void hf_copy_span(struct ntext *dst, const struct ntext *src, size_t b,
    size_t e);
/* add the text split [b, e) of src to list k (nothing when empty) */
void hf_add_text(struct hw *w, int k, const struct ntext *src, size_t b,
    size_t e);
/*
 * Pre-tokenize list 0 into list 1 with pre-tokenizer p (index i): text
 * splits are split, token splits kept.  -1 when a regex engine gives up.
 */
int hf_pre_apply(const struct hf *h, size_t i, struct hw *w);

/* encode text (valid UTF-8 after the caller's sanitizing) */
int hf_encode(const struct tokenizer *t, struct tokenizer_seq *q,
    const unsigned char *s, size_t n, struct emb_err *e);
/* decode through the decoder */
int hf_decode(const struct tokenizer *t, const uint32_t *ids, size_t n,
    char **buf, size_t *len, size_t *cap, struct emb_err *e);
/* per-thread state */
void hf_work_free(void *hw);

#endif
