/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "normalize.h"
#include "unicode.h"
#include "util.h"

void
normalizer_free(struct normalizer *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nseq; i++) {
		free(n->seq[i].text);
		free(n->seq[i].content);
		if (n->seq[i].kind == NORM_SEQUENCE)
			normalizer_free(&n->seq[i]);
	}
	free(n->seq);
	n->seq = NULL;
	n->nseq = 0;
}

static void
ntext_grow(struct ntext *t, size_t need)
{
	if (need <= t->cap && t->s != NULL)
		return;
	t->cap = need < 64 ? 64 : need + need / 2;
	t->s = xreallocarray(t->s, t->cap + 1, 1);
	if (t->align) {
		t->a0 = xreallocarray(t->a0, t->cap + 1, sizeof(*t->a0));
		t->a1 = xreallocarray(t->a1, t->cap + 1, sizeof(*t->a1));
	}
}

void
ntext_set(struct ntext *t, const unsigned char *s, size_t n, uint32_t base)
{
	size_t i;

	t->n = 0;
	ntext_grow(t, n);
	if (n > 0)
		memcpy(t->s, s, n);
	t->n = n;
	if (t->align)
		for (i = 0; i < n; i++) {
			t->a0[i] = base + (uint32_t)i;
			t->a1[i] = base + (uint32_t)i + 1;
		}
}

void
ntext_free(struct ntext *t)
{
	free(t->s);
	free(t->a0);
	free(t->a1);
	memset(t, 0, sizeof(*t));
}

void
ntext_put(struct ntext *t, const unsigned char *s, size_t n, uint32_t a0,
    uint32_t a1)
{
	size_t i;

	ntext_grow(t, t->n + n);
	if (n > 0)
		memcpy(t->s + t->n, s, n);
	if (t->align)
		for (i = 0; i < n; i++) {
			t->a0[t->n + i] = a0;
			t->a1[t->n + i] = a1;
		}
	t->n += n;
}

static void
put_cp(struct ntext *t, uint32_t cp, uint32_t a0, uint32_t a1)
{
	unsigned char b[4];

	ntext_put(t, b, uni_encode(cp, b), a0, a1);
}

static void
swap(struct ntext *a, struct ntext *b)
{
	struct ntext x = *a;

	*a = *b;
	*b = x;
}

/* the span of the character at byte i of t */
#define SPAN0(t, i) ((t)->align ? (t)->a0[i] : 0)
#define SPAN1(t, i, l) ((t)->align ? (t)->a1[(i) + (l) - 1] : 0)

/* BERT's is_chinese_char (normalizers/bert.rs): CJK ideograph blocks */
static int
chinese(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
	    (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
	    (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

/*
 * A Unicode normalization form of t, by utf8proc.  The text is that of
 * the whole; the alignment that of each character alone when the two
 * agree (they do unless characters compose across), else the whole
 * text's span for every byte.
 */
static void
unf(struct ntext *t, struct ntext *o, int opts)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t r;
	size_t i, l, k;

	o->n = 0;
	for (i = 0; i < t->n && t->s[i] < ((opts & (UTF8PROC_COMPAT |
	    UTF8PROC_DECOMPOSE)) ? 0x80 : 0xCC); i++)
		;
	if (i == t->n) {
		/* ASCII is stable in every form, and below U+0300 every
		 * character is in NFC */
		{
			ntext_put(o, t->s, t->n, 0, 0);
			if (o->align && t->align && t->n > 0) {
				memcpy(o->a0, t->a0, t->n * sizeof(*o->a0));
				memcpy(o->a1, t->a1, t->n * sizeof(*o->a1));
			}
			return;
		}
	}
	r = utf8proc_map(t->s, (utf8proc_ssize_t)t->n, &dst,
	    (utf8proc_option_t)(UTF8PROC_STABLE | opts));
	if (r < 0) {
		/* not expected on valid UTF-8: leave the text as it is */
		ntext_put(o, t->s, t->n, 0, 0);
		if (o->align && t->align && t->n > 0) {
			memcpy(o->a0, t->a0, t->n * sizeof(*o->a0));
			memcpy(o->a1, t->a1, t->n * sizeof(*o->a1));
		}
		return;
	}
	if (!o->align) {
		ntext_put(o, dst, (size_t)r, 0, 0);
		free(dst);
		return;
	}
	/* character by character, to keep each one's span */
	for (i = 0; i < t->n; i += l) {
		utf8proc_uint8_t *one = NULL;
		utf8proc_ssize_t m;

		(void)uni_decode(t->s + i, &l);
		m = utf8proc_map(t->s + i, (utf8proc_ssize_t)l, &one,
		    (utf8proc_option_t)(UTF8PROC_STABLE | opts));
		if (m > 0)
			ntext_put(o, one, (size_t)m, SPAN0(t, i), SPAN1(t, i, l));
		free(one);
	}
	if (o->n != (size_t)r || memcmp(o->s, dst, (size_t)r) != 0) {
		uint32_t a0 = t->n ? SPAN0(t, 0) : 0;
		uint32_t a1 = t->n ? SPAN1(t, t->n - 1, 1) : 0;

		o->n = 0;
		ntext_put(o, dst, (size_t)r, a0, a1);
		for (k = 0; k < o->n; k++)
			o->a0[k] = a0, o->a1[k] = a1;
	}
	free(dst);
}

/* the per-character normalizers */
static void
per_char(const struct normalizer *nz, struct ntext *t, struct ntext *o)
{
	size_t i, l;

	o->n = 0;
	for (i = 0; i < t->n; i += l) {
		uint32_t c = uni_decode(t->s + i, &l), a0 = SPAN0(t, i);
		uint32_t a1 = SPAN1(t, i, l), low[2];
		unsigned cl = uni_class(c);
		size_t k, nl;

		switch (nz->kind) {
		case NORM_LOWERCASE:
			nl = uni_lower(c, low);
			for (k = 0; k < nl; k++)
				put_cp(o, low[k], a0, a1);
			break;
		case NORM_STRIP_ACCENTS:
			if (!(cl & UNI_C_M))
				ntext_put(o, t->s + i, l, a0, a1);
			break;
		case NORM_BERT:
			/* clean_text: drop NUL, U+FFFD and controls (not
			 * \t \n \r); white space becomes ' ' */
			if (nz->clean_text) {
				if (c == 0 || c == 0xFFFD || ((uni_class8(c) &
				    UNI8_CTRL) && c != '\t' && c != '\n' &&
				    c != '\r'))
					break;
				if (c == '\t' || c == '\n' || c == '\r' ||
				    (cl & UNI_C_WS)) {
					put_cp(o, ' ', a0, a1);
					break;
				}
			}
			if (nz->chinese && chinese(c)) {
				put_cp(o, ' ', a0, a1);
				ntext_put(o, t->s + i, l, a0, a1);
				put_cp(o, ' ', a0, a1);
				break;
			}
			ntext_put(o, t->s + i, l, a0, a1);
			break;
		default:
			ntext_put(o, t->s + i, l, a0, a1);
		}
	}
}

/* BERT's strip_accents: NFD, then drop the nonspacing marks (Mn of
 * Unicode 8.0, as the unicode_categories crate has them) */
static void
bert_accents(struct ntext *t, struct ntext *o)
{
	size_t i, l;

	unf(t, o, UTF8PROC_DECOMPOSE);
	swap(t, o);
	o->n = 0;
	for (i = 0; i < t->n; i += l) {
		uint32_t c = uni_decode(t->s + i, &l);

		if (!(uni_class8(c) & UNI8_MN))
			ntext_put(o, t->s + i, l, SPAN0(t, i), SPAN1(t, i, l));
	}
}

static void
replace(const struct normalizer *nz, struct ntext *t, struct ntext *o)
{
	size_t i = 0, k;

	o->n = 0;
	while (i < t->n) {
		if (nz->textlen > 0 && t->n - i >= nz->textlen &&
		    memcmp(t->s + i, nz->text, nz->textlen) == 0) {
			uint32_t a0 = SPAN0(t, i);
			uint32_t a1 = SPAN1(t, i, nz->textlen);

			ntext_put(o, (const unsigned char *)nz->content,
			    nz->contentlen, a0, a1);
			i += nz->textlen;
			continue;
		}
		for (k = 1; i + k < t->n && (t->s[i + k] & 0xC0) == 0x80; k++)
			;
		ntext_put(o, t->s + i, k, SPAN0(t, i), SPAN1(t, i, k));
		i += k;
	}
}

/* Strip: white space (char::is_whitespace) off the ends */
static void
strip(const struct normalizer *nz, struct ntext *t, struct ntext *o)
{
	size_t b = 0, e = t->n, l, k;

	while (nz->left && b < e && (uni_class(uni_decode(t->s + b, &l)) &
	    UNI_C_WS))
		b += l;
	while (nz->right && e > b) {
		for (k = e - 1; k > b && (t->s[k] & 0xC0) == 0x80; k--)
			;
		if (!(uni_class(uni_decode(t->s + k, &l)) & UNI_C_WS))
			break;
		e = k;
	}
	o->n = 0;
	for (k = b; k < e; k++)
		ntext_put(o, t->s + k, 1, SPAN0(t, k), SPAN1(t, k, 1));
}

void
normalize(const struct normalizer *nz, struct ntext *t, struct ntext *tmp)
{
	size_t i;

	tmp->align = t->align;
	switch (nz->kind) {
	case NORM_SEQUENCE:
		for (i = 0; i < nz->nseq; i++)
			normalize(&nz->seq[i], t, tmp);
		return;
	case NORM_NFC:
		unf(t, tmp, UTF8PROC_COMPOSE);
		break;
	case NORM_NFD:
		unf(t, tmp, UTF8PROC_DECOMPOSE);
		break;
	case NORM_NFKC:
		unf(t, tmp, UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
		break;
	case NORM_NFKD:
		unf(t, tmp, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT);
		break;
	case NORM_PREPEND:
		if (t->n == 0)
			return;
		tmp->n = 0;
		ntext_put(tmp, (const unsigned char *)nz->text, nz->textlen,
		    SPAN0(t, 0), SPAN0(t, 0));
		ntext_put(tmp, t->s, t->n, 0, 0);
		if (t->align) {
			memcpy(tmp->a0 + nz->textlen, t->a0, t->n * sizeof(*t->a0));
			memcpy(tmp->a1 + nz->textlen, t->a1, t->n * sizeof(*t->a1));
		}
		break;
	case NORM_REPLACE:
		replace(nz, t, tmp);
		break;
	case NORM_STRIP:
		strip(nz, t, tmp);
		break;
	case NORM_BERT:
		per_char(nz, t, tmp);
		swap(t, tmp);
		if (nz->strip_accents) {
			bert_accents(t, tmp);
			swap(t, tmp);
		}
		if (nz->lowercase) {
			struct normalizer low = { .kind = NORM_LOWERCASE };

			per_char(&low, t, tmp);
			swap(t, tmp);
		}
		return;
	default:
		per_char(nz, t, tmp);
	}
	swap(t, tmp);
}

const char *
normalize_unicode_version(void)
{
	return utf8proc_unicode_version();
}
