/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpe.h"
#include "hf.h"
#include "normalize.h"
#include "pretok.h"
#include "tokenizer.h"
#include "tokimpl.h"
#include "unicode.h"
#include "util.h"

/*
 * Encoding with a tokenizer.json, as tokenizers' Tokenizer::encode:
 * added tokens (tokenizer/added_vocabulary.rs), the normalizer, the
 * pre-tokenizer (each split's pieces by SplitDelimiterBehavior,
 * tokenizer/normalizer.rs), the model, the post-processor.
 */

void
hf_work_free(void *p)
{
	struct hw *w = p;
	size_t i;

	if (w == NULL)
		return;
	ntext_free(&w->t);
	ntext_free(&w->tmp);
	for (i = 0; i < 2; i++) {
		ntext_free(&w->ar[i]);
		free(w->sp[i]);
	}
	for (i = 0; i < w->npst; i++)
		pretok_state_free(w->pst[i]);
	free(w->pst);
	free(w->buf);
	free(w->ent);
	free(w);
}

static struct hw *
work(const struct tokenizer *t, struct tok_work *tw)
{
	const struct hf *h = t->hf;
	struct hw *w = tw->hw;
	size_t i;

	if (w != NULL)
		return w;
	w = xcalloc(1, sizeof(*w));
	w->t.align = w->tmp.align = w->ar[0].align = w->ar[1].align = 1;
	w->pst = xcalloc(h->npre + 1, sizeof(*w->pst));
	w->npst = h->npre;
	for (i = 0; i < h->npre; i++)
		if (h->pre[i].re != NULL)
			w->pst[i] = pretok_state(h->pre[i].re);
	tw->hw = w;
	return w;
}

void
hf_push_split(struct hw *w, int k, size_t off, size_t len, uint32_t id)
{
	if (w->nsp[k] == w->capsp[k]) {
		w->capsp[k] = w->capsp[k] ? w->capsp[k] * 2 : 64;
		w->sp[k] = xreallocarray(w->sp[k], w->capsp[k], sizeof(*w->sp[k]));
	}
	w->sp[k][w->nsp[k]].off = off;
	w->sp[k][w->nsp[k]].len = len;
	w->sp[k][w->nsp[k]++].id = id;
}

void
hf_copy_span(struct ntext *dst, const struct ntext *src, size_t b, size_t e)
{
	size_t n0 = dst->n;

	if (e <= b)
		return;
	ntext_put(dst, src->s + b, e - b, 0, 0);
	memcpy(dst->a0 + n0, src->a0 + b, (e - b) * sizeof(*dst->a0));
	memcpy(dst->a1 + n0, src->a1 + b, (e - b) * sizeof(*dst->a1));
}

void
hf_add_text(struct hw *w, int k, const struct ntext *src, size_t b, size_t e)
{
	if (e <= b)
		return;
	hf_push_split(w, k, w->ar[k].n, e - b, BPE_NONE);
	hf_copy_span(&w->ar[k], src, b, e);
}

/*
 * Added tokens: the leftmost, longest at that place, of those whose
 * normalized flag is norm, in s[from..n): 1 with [*ms, *me) and its
 * index, else 0 (aho-corasick's LeftmostLongest, as tokenizers builds).
 */
static int
next_added(const struct tokenizer *t, int norm, const unsigned char *s,
    size_t n, size_t from, size_t *ms, size_t *me, size_t *k)
{
	const struct hf *h = t->hf;
	size_t i, j;

	for (i = from; i < n; i++) {
		size_t best = SIZE_MAX, blen = 0;

		if (!h->first[norm][s[i]])
			continue;
		for (j = 0; j < t->nadd; j++) {
			const struct tok_added *a = &t->add[j];
			const char *txt = a->text;
			size_t l = a->len;

			if (!!(a->flags & TOK_NORMALIZED) != norm)
				continue;
			if (norm && a->ntext != NULL) {
				txt = a->ntext;
				l = a->nlen;
			}
			if (l > blen && l > 0 && l <= n - i &&
			    memcmp(s + i, txt, l) == 0) {
				best = j;
				blen = l;
			}
		}
		if (best != SIZE_MAX) {
			*ms = i;
			*me = i + blen;
			*k = best;
			return 1;
		}
	}
	return 0;
}

/* the character is a word character (\w) */
static int
isword(const unsigned char *s, size_t i)
{
	size_t l;
	unsigned c = uni_class(uni_decode(s + i, &l));

	return (c & (UNI_C_ALPHA | UNI_C_M | UNI_C_ND)) ||
	    (c >> UNI_GC_SHIFT) == UNI_PC;
}

static int
space_at(const unsigned char *s, size_t n, size_t i, size_t *l)
{
	return i < n && (uni_class(uni_decode(s + i, l)) & UNI_C_WS);
}

/*
 * The next added token to split out of s[from..n) (pos: where the text
 * not yet split starts): find_matches with single_word, lstrip, rstrip;
 * a special token whose text is to be read as text (--special none) is
 * passed over (its text stays text).  1 with [*st, *en) (strips
 * included) and the token's index, else 0.
 */
static int
find_added(const struct tokenizer *t, int norm, const unsigned char *s,
    size_t n, size_t pos, size_t *from, size_t *st, size_t *en, size_t *a)
{
	size_t ms, me, l, k, b;

	while (*from < n && next_added(t, norm, s, n, *from, &ms, &me, a)) {
		const struct tok_added *tok = &t->add[*a];

		*from = me;
		if (tok->flags & TOK_SINGLE_WORD) {
			k = ms;
			if (k > 0)
				while (--k > 0 && (s[k] & 0xC0) == 0x80)
					;
			if ((ms > 0 && isword(s, k)) || (me < n && isword(s, me)))
				continue;
		}
		if (!t->match[*a])
			continue;
		*st = ms;
		*en = me;
		if (tok->flags & TOK_LSTRIP) {
			for (b = ms; b > pos;) {
				size_t q = b - 1;

				while (q > pos && (s[q] & 0xC0) == 0x80)
					q--;
				if (!space_at(s, n, q, &l))
					break;
				b = q;
			}
			*st = b;
		}
		if (tok->flags & TOK_RSTRIP)
			while (space_at(s, n, *en, &l))
				*en += l;
		*from = *en;
		return 1;
	}
	return 0;
}

/* split src on the added tokens of one kind into list k */
static void
split_added(const struct tokenizer *t, struct hw *w, int k, int norm,
    const struct ntext *src)
{
	size_t pos = 0, from = 0, st, en, a;

	while (find_added(t, norm, src->s, src->n, pos, &from, &st, &en, &a)) {
		hf_add_text(w, k, src, pos, st);
		hf_push_split(w, k, src->n ? src->a0[st] : 0, src->n ?
		    src->a1[en - 1] - src->a0[st] : 0, t->add[a].id);
		pos = en;
	}
	hf_add_text(w, k, src, pos, src->n);
}

static void
flip(struct hw *w)
{
	struct hf_split *sp = w->sp[0];
	struct ntext ar = w->ar[0];
	size_t n = w->nsp[0], cap = w->capsp[0];

	w->sp[0] = w->sp[1];
	w->nsp[0] = w->nsp[1];
	w->capsp[0] = w->capsp[1];
	w->ar[0] = w->ar[1];
	w->sp[1] = sp;
	w->nsp[1] = n;
	w->capsp[1] = cap;
	w->ar[1] = ar;
}

/* a token of bytes [b, e) of src */
static void
emit(struct tokenizer_seq *q, uint32_t id, const struct ntext *src, size_t b,
    size_t e)
{
	if (src->align && e > b)
		tok_push(q, id, src->a0[b], src->a1[e - 1]);
	else
		tok_push(q, id, b, e);
}

/* WordPiece (models/wordpiece): greedy longest match, "##" after the
 * first piece; a word with a piece not found is one unknown */
static void
wordpiece(const struct hf *h, struct hw *w, struct tokenizer_seq *q,
    const struct ntext *src, size_t b, size_t e)
{
	size_t i, chars = 0, l, n0 = q->n, st = b;

	for (i = b; i < e; i += l) {
		(void)uni_decode(src->s + i, &l);
		chars++;
	}
	if (chars > h->wp_max) {
		emit(q, h->unk, src, b, e);
		return;
	}
	if (w->bcap < e - b + h->wp_prefixlen + 1) {
		w->bcap = e - b + h->wp_prefixlen + 1;
		w->buf = xreallocarray(w->buf, w->bcap, 1);
	}
	while (st < e) {
		size_t end = e, pl = st > b ? h->wp_prefixlen : 0;
		uint32_t id = BPE_NONE;

		memcpy(w->buf, h->wp_prefix, pl);
		while (end > st) {
			memcpy(w->buf + pl, src->s + st, end - st);
			if ((id = bpe_find(h->bpe, w->buf, pl + end - st)) !=
			    BPE_NONE)
				break;
			/* one character less */
			while (--end > st && (src->s[end] & 0xC0) == 0x80)
				;
		}
		if (id == BPE_NONE) {
			q->n = n0;
			emit(q, h->unk, src, b, e);
			return;
		}
		emit(q, id, src, st, end);
		st = end;
	}
}

/* the model's tokens of the piece [b, e) of src */
static int
model(const struct tokenizer *t, struct tok_work *tw, struct hw *w,
    struct tokenizer_seq *q, const struct ntext *src, size_t b, size_t e,
    struct emb_err *err)
{
	const struct hf *h = t->hf;
	const uint32_t *ids, *ends;
	size_t m, j, st;
	uint32_t id;

	if (e <= b)
		return 0;
	switch (h->model) {
	case HF_BPE:
		m = bpe_encode(h->bpe, tw->bw, src->s + b, e - b, &ids, &ends);
		for (j = 0, st = b; j < m; j++) {
			emit(q, ids[j], src, st, b + ends[j]);
			st = b + ends[j];
		}
		return 0;
	case HF_WORDPIECE:
		wordpiece(h, w, q, src, b, e);
		return 0;
	case HF_WORDLEVEL:
		if ((id = bpe_find(h->bpe, src->s + b, e - b)) == BPE_NONE)
			id = h->unk;
		if (id == BPE_NONE) {
			err_set(err, NULL, 0, "\"%.*s\" is not in the "
			    "vocabulary and the model has no unk_token",
			    (int)(e - b < 40 ? e - b : 40), src->s + b);
			return -1;
		}
		emit(q, id, src, b, e);
		return 0;
	}
	return 0;
}

/* no normalizer, a known pattern, ByteLevel: scan and encode */
static void
fast_text(const struct tokenizer *t, struct tok_work *tw,
    struct tokenizer_seq *q, const unsigned char *s, size_t b, size_t e)
{
	const struct hf *h = t->hf;
	const uint32_t *ids, *ends;
	size_t i, pe, m, j, st;

	for (i = b; i < e; i = pe) {
		pe = pretok_scan(h->fastkind, s, e, i);
		m = bpe_encode(h->bpe, tw->bw, s + i, pe - i, &ids, &ends);
		for (j = 0, st = i; j < m; j++) {
			tok_push(q, ids[j], st, i + ends[j]);
			st = i + ends[j];
		}
	}
}

static void
fast(const struct tokenizer *t, struct tok_work *tw, struct tokenizer_seq *q,
    const unsigned char *s, size_t n)
{
	size_t pos = 0, from = 0, st, en, a;

	/* the raw pass over all, the normalized pass in each gap (with no
	 * normalizer the two texts are the same) */
	for (;;) {
		int found = find_added(t, 0, s, n, pos, &from, &st, &en, &a);
		size_t gend = found ? st : n, p2 = pos, f2 = pos, s2, e2, a2;

		while (find_added(t, 1, s, gend, p2, &f2, &s2, &e2, &a2)) {
			fast_text(t, tw, q, s, p2, s2);
			tok_push(q, t->add[a2].id, s2, e2);
			p2 = e2;
		}
		fast_text(t, tw, q, s, p2, gend);
		if (!found)
			break;
		tok_push(q, t->add[a].id, st, en);
		pos = en;
	}
}

int
hf_encode(const struct tokenizer *t, struct tokenizer_seq *q,
    const unsigned char *s, size_t n, struct emb_err *e)
{
	const struct hf *h = t->hf;
	struct tok_work *tw = tok_work(t, q);
	struct hw *w = work(t, tw);
	size_t i, k;

	if (t->bos)
		for (i = 0; i < h->nbos; i++)
			tok_push(q, h->bos[i], 0, 0);
	if (h->fast) {
		fast(t, tw, q, s, n);
		goto post;
	}
	/* added tokens on the raw text, then the normalizer and the
	 * normalized added tokens on each text split */
	w->nsp[0] = w->nsp[1] = 0;
	w->ar[0].n = w->ar[1].n = 0;
	w->t.align = w->tmp.align = 1;
	ntext_set(&w->t, s, n, 0);
	split_added(t, w, 0, 0, &w->t);
	for (k = 0; k < w->nsp[0]; k++) {
		const struct hf_split *sp = &w->sp[0][k];

		if (sp->id != BPE_NONE) {
			hf_push_split(w, 1, sp->off, sp->len, sp->id);
			continue;
		}
		w->t.n = 0;
		hf_copy_span(&w->t, &w->ar[0], sp->off, sp->off + sp->len);
		if (h->norm != NULL)
			normalize(h->norm, &w->t, &w->tmp);
		split_added(t, w, 1, 1, &w->t);
	}
	flip(w);
	for (i = 0; i < h->npre; i++) {
		if (hf_pre_apply(h, i, w) < 0) {
			err_set(e, NULL, 0, "the regular expression engine gave "
			    "up on this text");
			return -1;
		}
		flip(w);
	}
	for (k = 0; k < w->nsp[0]; k++) {
		const struct hf_split *sp = &w->sp[0][k];

		if (sp->id != BPE_NONE)
			tok_push(q, sp->id, sp->off, sp->off + sp->len);
		else if (model(t, tw, w, q, &w->ar[0], sp->off, sp->off +
		    sp->len, e) < 0)
			return -1;
	}
post:
	if (t->eos)
		for (i = 0; i < h->neos; i++)
			tok_push(q, h->eos[i], n, n);
	return 0;
}

