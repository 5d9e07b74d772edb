/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpe.h"
#include "hf.h"
#include "normalize.h"
#include "pretok.h"
#include "unicode.h"
#include "util.h"

/*
 * The pre-tokenizers of tokenizers (the files of pre_tokenizers/) on one split:
 * a pattern gives the split's cover by (range, is_match) entries
 * (tokenizer/pattern.rs: a regex's gaps and matches, or one entry per
 * character a predicate picks), and SplitDelimiterBehavior turns them
 * into pieces (NormalizedString::split in tokenizer/normalizer.rs).
 */

static void
ent(struct hw *w, size_t s, size_t e, int m)
{
	if (e <= s)
		return;
	if (w->nent == w->capent) {
		w->capent = w->capent ? w->capent * 2 : 64;
		w->ent = xreallocarray(w->ent, w->capent, sizeof(*w->ent));
	}
	w->ent[w->nent].s = s;
	w->ent[w->nent].e = e;
	w->ent[w->nent++].m = m;
}

/*
 * The entries -> pieces of list 1, joining an entry to the piece before
 * it (in the walk's order) where b says: a match that follows a gap
 * (MergedWithPrevious; MergedWithNext walks backwards, so the gap after
 * it), or an entry of the same kind as the one before (Contiguous)
 */
static void
join(struct hw *w, const struct ntext *src, enum hf_behavior b)
{
	size_t k, i, n = w->nent, ps = 0, pe = 0, first = w->nsp[1], a, z;
	int have = 0, prev = 0, back = b == HB_NEXT, joins;
	const struct hf_ent *x = w->ent;

	for (k = 0; k < n; k++) {
		i = back ? n - 1 - k : k;
		joins = have && (b == HB_CONTIGUOUS ? x[i].m == prev :
		    x[i].m && !prev);
		if (joins && back)
			ps = x[i].s;
		else if (joins)
			pe = x[i].e;
		else {
			if (have)
				hf_add_text(w, 1, src, ps, pe);
			ps = x[i].s;
			pe = x[i].e;
			have = 1;
		}
		prev = x[i].m;
	}
	if (have)
		hf_add_text(w, 1, src, ps, pe);
	/* walked backwards, the pieces went in backwards: reverse them */
	for (a = first, z = w->nsp[1]; back && a + 1 < z; a++, z--) {
		struct hf_split t = w->sp[1][a];

		w->sp[1][a] = w->sp[1][z - 1];
		w->sp[1][z - 1] = t;
	}
}

/* the entries -> pieces of list 1 */
static void
behave(struct hw *w, const struct ntext *src, enum hf_behavior b, int invert)
{
	size_t i, n = w->nent;
	struct hf_ent *x = w->ent;

	for (i = 0; i < n; i++)
		x[i].m ^= invert;
	switch (b) {
	case HB_REMOVED:
		for (i = 0; i < n; i++)
			if (!x[i].m)
				hf_add_text(w, 1, src, x[i].s, x[i].e);
		break;
	case HB_ISOLATED:
		for (i = 0; i < n; i++)
			hf_add_text(w, 1, src, x[i].s, x[i].e);
		break;
	case HB_PREVIOUS:
	case HB_NEXT:
	case HB_CONTIGUOUS:
		join(w, src, b);
		break;
	}
}

/* predicates on a character's class */
enum pred { P_WS, P_PUNCT, P_NUM, P_CHAR };

static int
pick(enum pred p, uint32_t c, unsigned cl, uint32_t want)
{
	switch (p) {
	case P_WS:
		return (cl & UNI_C_WS) != 0;
	case P_PUNCT:
		/* char::is_ascii_punctuation, or P* as the unicode_categories
		 * crate has it (Unicode 8.0) */
		return (c < 0x80 && ((c >= 33 && c <= 47) || (c >= 58 &&
		    c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))) ||
		    (c >= 0x80 && (uni_class8(c) & UNI8_P));
	case P_NUM:
		return (cl & UNI_C_N) != 0;
	default:
		return c == want;
	}
}

/* entries for a predicate: each picked character, the runs between */
static void
by_char(struct hw *w, const struct ntext *src, size_t b, size_t e,
    enum pred p, uint32_t want)
{
	size_t i = b, gap = b, l;

	w->nent = 0;
	while (i < e) {
		uint32_t c = uni_decode(src->s + i, &l);

		if (pick(p, c, uni_class(c), want)) {
			ent(w, gap, i, 0);
			ent(w, i, i + l, 1);
			gap = i + l;
		}
		i += l;
	}
	ent(w, gap, e, 0);
}

/* entries for a regex or a string */
static int
by_pattern(struct hw *w, const struct hf_pre *p, void *st,
    const struct ntext *src, size_t b, size_t e)
{
	size_t from = b, ms, me;
	int r;

	w->nent = 0;
	if (p->re != NULL) {
		while ((r = pretok_find(p->re, st, src->s, e, from, &ms, &me)) ==
		    1) {
			ent(w, from, ms, 0);
			ent(w, ms, me, 1);
			from = me;
		}
		if (r < 0)
			return -1;
	} else if (p->strlen > 0) {
		for (ms = b; ms + p->strlen <= e;)
			if (memcmp(src->s + ms, p->str, p->strlen) == 0) {
				ent(w, from, ms, 0);
				ent(w, ms, ms + p->strlen, 1);
				from = ms = ms + p->strlen;
			} else
				ms++;
	}
	ent(w, from, e, 0);
	return 0;
}

/* Rust's \w: Alphabetic, marks, decimal digits, Pc, Join_Control */
static int
rust_word(uint32_t c, unsigned cl)
{
	return (cl & (UNI_C_ALPHA | UNI_C_M | UNI_C_ND)) ||
	    (cl >> UNI_GC_SHIFT) == UNI_PC || c == 0x200C || c == 0x200D;
}

/* Whitespace: the matches of \w+|[^\w\s]+ */
static void
whitespace(struct hw *w, const struct ntext *src, size_t b, size_t e)
{
	size_t i = b, l;

	while (i < e) {
		uint32_t c = uni_decode(src->s + i, &l);
		unsigned cl = uni_class(c);
		int word = rust_word(c, cl);
		size_t s = i;

		if (!word && (cl & UNI_C_WS)) {
			i += l;
			continue;
		}
		for (i += l; i < e; i += l) {
			c = uni_decode(src->s + i, &l);
			cl = uni_class(c);
			if (word ? !rust_word(c, cl) : (rust_word(c, cl) ||
			    (cl & UNI_C_WS)))
				break;
		}
		hf_add_text(w, 1, src, s, i);
	}
}

/*
 * Metaspace: ' ' -> the replacement, the replacement put first (always,
 * or for the split at the start of the input), then split before each
 * replacement (MergedWithNext).  ByteLevel: a space put first when
 * add_prefix_space, then GPT-2's pattern (Isolated).
 */
static int
transform(const struct hf_pre *p, struct hw *w, const struct ntext *src,
    size_t b, size_t e)
{
	struct ntext *t = &w->t;
	size_t i;

	t->align = 1;
	t->n = 0;
	if (p->kind == HP_METASPACE) {
		int first = b < e && src->a0[b] == 0;

		if ((p->prepend == 0 || (p->prepend == 1 && first)) &&
		    !(e - b >= p->strlen && memcmp(src->s + b, p->str,
		    p->strlen) == 0))
			ntext_put(t, (const unsigned char *)p->str, p->strlen,
			    b < e ? src->a0[b] : 0, b < e ? src->a0[b] : 0);
		for (i = b; i < e; i++)
			if (src->s[i] == ' ')
				ntext_put(t, (const unsigned char *)p->str, p->strlen,
				    src->a0[i], src->a1[i]);
			else
				hf_copy_span(t, src, i, i + 1);
		if (!p->split) {
			hf_add_text(w, 1, t, 0, t->n);
			return 0;
		}
		w->nent = 0;
		{
			size_t from = 0, k;

			for (k = 0; k + p->strlen <= t->n;)
				if (memcmp(t->s + k, p->str, p->strlen) == 0) {
					ent(w, from, k, 0);
					ent(w, k, k + p->strlen, 1);
					from = k = k + p->strlen;
				} else
					k++;
			ent(w, from, t->n, 0);
		}
		behave(w, t, HB_NEXT, 0);
		return 0;
	}
	/* ByteLevel */
	if (p->add_prefix_space && !(b < e && src->s[b] == ' '))
		ntext_put(t, (const unsigned char *)" ", 1, b < e ? src->a0[b] :
		    0, b < e ? src->a0[b] : 0);
	hf_copy_span(t, src, b, e);
	if (!p->use_regex) {
		hf_add_text(w, 1, t, 0, t->n);
		return 0;
	}
	w->nent = 0;
	for (i = 0; i < t->n;) {
		size_t en = pretok_scan(PRETOK_GPT2, t->s, t->n, i);

		ent(w, i, en, 1);
		i = en;
	}
	behave(w, t, HB_ISOLATED, 0);
	return 0;
}

int
hf_pre_apply(const struct hf *h, size_t i, struct hw *w)
{
	const struct hf_pre *p = &h->pre[i];
	const struct ntext *src = &w->ar[0];
	size_t k;

	w->nsp[1] = 0;
	w->ar[1].n = 0;
	for (k = 0; k < w->nsp[0]; k++) {
		const struct hf_split *s = &w->sp[0][k];
		size_t b = s->off, e = s->off + s->len;

		if (s->id != BPE_NONE) {
			hf_push_split(w, 1, s->off, s->len, s->id);
			continue;
		}
		switch (p->kind) {
		case HP_SPLIT:
			if (by_pattern(w, p, w->pst[i], src, b, e) < 0)
				return -1;
			behave(w, src, p->behavior, p->invert);
			break;
		case HP_WHITESPACE:
			whitespace(w, src, b, e);
			break;
		case HP_WSSPLIT:
			by_char(w, src, b, e, P_WS, 0);
			behave(w, src, HB_REMOVED, 0);
			break;
		case HP_BERT:
			/* white space removed, then punctuation isolated */
			by_char(w, src, b, e, P_WS, 0);
			{
				size_t j, n = w->nent;
				struct hf_ent *x = xmalloc((n + 1) * sizeof(*x));

				if (n > 0)
					memcpy(x, w->ent, n * sizeof(*x));
				for (j = 0; j < n; j++)
					if (!x[j].m) {
						by_char(w, src, x[j].s, x[j].e,
						    P_PUNCT, 0);
						behave(w, src, HB_ISOLATED, 0);
					}
				free(x);
			}
			break;
		case HP_PUNCT:
			by_char(w, src, b, e, P_PUNCT, 0);
			behave(w, src, p->behavior, 0);
			break;
		case HP_DIGITS:
			by_char(w, src, b, e, P_NUM, 0);
			behave(w, src, p->individual ? HB_ISOLATED : HB_CONTIGUOUS,
			    0);
			break;
		case HP_CHARDELIM: {
			size_t l;

			by_char(w, src, b, e, P_CHAR, uni_decode((const unsigned
			    char *)p->str, &l));
			behave(w, src, HB_REMOVED, 0);
			break;
		}
		case HP_METASPACE:
		case HP_BYTELEVEL:
			if (transform(p, w, src, b, e) < 0)
				return -1;
			break;
		}
	}
	return 0;
}
