/* See LICENSE file for copyright and license details. */
#ifndef EMB_NORMALIZE_H
#define EMB_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * Text normalizers of Hugging Face tokenizers (the files of normalizers/): NFC,
 * NFD, NFKC, NFKD (through utf8proc, the only file that includes it),
 * Lowercase (Rust's char::to_lowercase), StripAccents, BertNormalizer,
 * Prepend, Replace, Strip and Sequence.  Each works on a struct ntext:
 * UTF-8 text that remembers, byte by byte, which bytes of the original
 * it came from, so that tokens can be given offsets into the input.
 */

/* text and its alignment: byte i came from original bytes [a0[i], a1[i]) */
struct ntext {
	unsigned char *s;
	uint32_t *a0, *a1;	/* NULL unless align */
	size_t n, cap;
	int align;
};

enum norm_kind {
	NORM_NFC, NORM_NFD, NORM_NFKC, NORM_NFKD, NORM_LOWERCASE,
	NORM_STRIP_ACCENTS, NORM_BERT, NORM_PREPEND, NORM_REPLACE,
	NORM_STRIP, NORM_SEQUENCE
};

struct normalizer {
	enum norm_kind kind;
	/* BertNormalizer */
	int clean_text, chinese, strip_accents, lowercase;
	/* Prepend, Replace (a string pattern), Strip */
	char *text, *content;
	size_t textlen, contentlen;
	int left, right;
	/* Sequence */
	struct normalizer *seq;
	size_t nseq;
};

void normalizer_free(struct normalizer *n);

/* ntext: set to s[0..n) with the identity alignment from base */
void ntext_set(struct ntext *t, const unsigned char *s, size_t n,
    uint32_t base);
void ntext_free(struct ntext *t);
/* append one character's bytes with the span [a0, a1) */
void ntext_put(struct ntext *t, const unsigned char *s, size_t n, uint32_t a0,
    uint32_t a1);

/*
 * Apply n to *t (tmp is scratch; the two may be swapped).  Never fails on
 * valid UTF-8 input.
 */
void normalize(const struct normalizer *n, struct ntext *t, struct ntext *tmp);

/* the Unicode version of the normalization forms (utf8proc's) */
const char *normalize_unicode_version(void);

#endif
