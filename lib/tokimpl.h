/* See LICENSE file for copyright and license details. */
#ifndef EMB_TOKIMPL_H
#define EMB_TOKIMPL_H

#include <stddef.h>
#include <stdint.h>

#include "bpe.h"
#include "err.h"
#include "pretok.h"
#include "tokenizer.h"

/*
 * The insides of struct tokenizer, shared by the files of the tokenizer
 * module (tokenizer.c: the API, tiktoken and GPT-2 encoding; tokopen.c:
 * finding and loading files).  Not for use outside them.
 */

enum tok_kind { TOK_TIKTOKEN, TOK_GPT2, TOK_HF };

/* flags of an added token (Hugging Face's AddedToken) */
#define TOK_SPECIAL	0x01
#define TOK_LSTRIP	0x02
#define TOK_RSTRIP	0x04
#define TOK_SINGLE_WORD	0x08
#define TOK_NORMALIZED	0x10

struct tok_added {
	char *text;
	size_t len;
	char *ntext;		/* normalized text (normalized tokens), or NULL */
	size_t nlen;
	uint32_t id;
	unsigned flags;
};

struct tokenizer {
	enum tok_kind kind;
	char *name;
	struct bpe *bpe;
	struct pretok *pre;		/* tiktoken, GPT-2 */
	struct tok_added *add;		/* special and added tokens */
	size_t nadd;
	uint32_t *addof;		/* ID -> index in add, or UINT32_MAX */
	uint32_t size;
	unsigned char *match;		/* per added token: matched in text */
	int refuse;			/* unmatched special text is an error */
	unsigned char first[256];	/* first bytes of matchable tokens */
	int nfirst, firstbyte;
	int bos, eos;			/* keep the post-processor's tokens */
	struct hf *hf;			/* tokenizer.json pipeline */
};

struct hf;

struct tok_work {
	struct bpe_work *bw;
	void *pst;			/* pretok state */
	unsigned char *clean;		/* the text with U+FFFD */
	size_t *map;			/* clean byte -> original offset */
	size_t ccap;
	int mapped;
	void *hw;			/* tokenizer.json pipeline's */
};

void tok_add_token(struct tokenizer *t, const char *text, size_t len,
    uint32_t id, unsigned flags);
void tok_finish(struct tokenizer *t);
void tok_first_bytes(struct tokenizer *t);
struct tok_work *tok_work(const struct tokenizer *t, struct tokenizer_seq *q);
void tok_push(struct tokenizer_seq *q, uint32_t id, size_t start,
    size_t end);
void tok_sanitize(struct tok_work *w, const unsigned char **s, size_t *n);
void tok_unmap(const struct tok_work *w, struct tokenizer_seq *q);
int tok_next_added(const struct tokenizer *t, const unsigned char *s,
    size_t n, size_t from, size_t *ms, size_t *me, size_t *k);
void tok_append(char **buf, size_t *len, size_t *cap, const void *p,
    size_t n);

#endif
