/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpe.h"
#include "hf.h"
#include "tiktoken.h"
#include "tokenizer.h"
#include "tokimpl.h"
#include "unicode.h"
#include "util.h"

/*
 * Decoding with a tokenizer.json's decoder (tokenizers/src/decoders): the
 * tokens' spellings go through each decoder in turn, each turning a list
 * of strings into another, and the result is their concatenation.  The
 * tokens the post-processor puts around the text (BOS, EOS) are left out
 * at the ends, so that decoding what was encoded gives the text back.
 */

struct strs {
	char *a;		/* arena */
	size_t alen, acap;
	size_t *off, *len;
	size_t n, cap;
};

static void
add(struct strs *l, const char *p, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->off = xreallocarray(l->off, l->cap, sizeof(*l->off));
		l->len = xreallocarray(l->len, l->cap, sizeof(*l->len));
	}
	l->off[l->n] = l->alen;
	l->len[l->n++] = n;
	tok_append(&l->a, &l->alen, &l->acap, p, n);
}

/* extend the last string */
static void
more(struct strs *l, const char *p, size_t n)
{
	tok_append(&l->a, &l->alen, &l->acap, p, n);
	l->len[l->n - 1] += n;
}

static void
strs_free(struct strs *l)
{
	free(l->a);
	free(l->off);
	free(l->len);
	memset(l, 0, sizeof(*l));
}

#define S(l, i) ((l)->a + (l)->off[i])

/* replace every pat in s[0..n) by rep, appending to the last string */
static void
repl(struct strs *o, const char *s, size_t n, const char *pat, size_t pl,
    const char *rep, size_t rl)
{
	size_t i = 0;

	while (i < n) {
		if (pl > 0 && n - i >= pl && memcmp(s + i, pat, pl) == 0) {
			more(o, rep, rl);
			i += pl;
		} else
			more(o, s + i++, 1);
	}
}

/* WordPiece's cleanup (decoders/wordpiece.rs) */
static void
cleanup(struct strs *o, size_t k)
{
	static const char *const from[] = { " .", " ?", " !", " ,", " ' ",
	    " n't", " 'm", " do not", " 's", " 've", " 're" };
	static const char *const to[] = { ".", "?", "!", ",", "'", "n't", "'m",
	    " don't", "'s", "'ve", "'re" };
	size_t i;

	for (i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		struct strs t = { 0 };

		add(&t, "", 0);
		repl(&t, S(o, k), o->len[k], from[i], strlen(from[i]), to[i],
		    strlen(to[i]));
		/* the result goes at the end of the arena */
		o->off[k] = o->alen;
		o->len[k] = 0;
		tok_append(&o->a, &o->alen, &o->acap, t.a, t.len[0]);
		o->len[k] = t.len[0];
		strs_free(&t);
	}
}

/* an upper-case hex digit's value, else -1 */
static int
hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hf_fallback_byte(const char *s, size_t n)
{
	int h1, h2;

	if (n != 6 || memcmp(s, "<0x", 3) != 0 || s[5] != '>' ||
	    (h1 = hexdigit(s[3])) < 0 || (h2 = hexdigit(s[4])) < 0)
		return -1;
	return h1 * 16 + h2;
}

static void
one(const struct hf_dec *d, struct strs *in, struct strs *o)
{
	size_t i, k, l, n = in->n;
	unsigned char buf[4096];

	for (i = 0; i < n; i++) {
		const char *s = S(in, i);

		l = in->len[i];
		switch (d->kind) {
		case HD_BYTELEVEL: {
			/* all the tokens' bytes as one string */
			long b;

			if (i == 0)
				add(o, "", 0);
			if (l <= sizeof(buf) && (b = gpt2_unmap(s, l, buf)) >= 0)
				more(o, (const char *)buf, (size_t)b);
			else
				more(o, s, l);
			break;
		}
		case HD_FUSE:
			if (i == 0)
				add(o, "", 0);
			more(o, s, l);
			break;
		case HD_METASPACE:
			add(o, "", 0);
			repl(o, s, l, d->a, d->alen, " ",
			    i == 0 && d->prepend != 2 ? 0 : 1);
			break;
		case HD_REPLACE:
			add(o, "", 0);
			repl(o, s, l, d->a, d->alen, d->b, d->blen);
			break;
		case HD_BPE:
			add(o, "", 0);
			repl(o, s, l, d->a, d->alen, " ", i + 1 == n ? 0 : 1);
			break;
		case HD_WORDPIECE:
			add(o, "", 0);
			if (i > 0 && l >= d->alen && memcmp(s, d->a, d->alen) == 0) {
				s += d->alen;
				l -= d->alen;
			} else if (i > 0)
				more(o, " ", 1);
			more(o, s, l);
			if (d->cleanup)
				cleanup(o, o->n - 1);
			break;
		case HD_STRIP: {
			int a = 0, z = 0;

			while (a < d->start && l >= d->alen &&
			    memcmp(s, d->a, d->alen) == 0) {
				s += d->alen;
				l -= d->alen;
				a++;
			}
			while (z < d->stop && l >= d->alen &&
			    memcmp(s + l - d->alen, d->a, d->alen) == 0) {
				l -= d->alen;
				z++;
			}
			add(o, s, l);
			break;
		}
		case HD_BYTEFALLBACK: {
			/* a run of <0xXX> tokens: their bytes if valid UTF-8,
			 * else one U+FFFD per byte */
			size_t j = i, m = 0;
			int c;

			while (j < n && (c = hf_fallback_byte(S(in, j),
			    in->len[j])) >= 0 && m < sizeof(buf)) {
				buf[m++] = (unsigned char)c;
				j++;
			}
			if (m == 0) {
				add(o, s, l);
				break;
			}
			if (uni_valid(buf, m) == m)
				add(o, (const char *)buf, m);
			else {
				add(o, "", 0);
				for (k = 0; k < m; k++)
					more(o, "\xef\xbf\xbd", 3);
			}
			i = j - 1;
			break;
		}
		}
	}
}

int
hf_decode(const struct tokenizer *t, const uint32_t *ids, size_t n,
    char **buf, size_t *len, size_t *cap, struct emb_err *e)
{
	const struct hf *h = t->hf;
	struct strs l[2] = { { 0 }, { 0 } };
	size_t i, b = 0, z = n, k;
	int cur = 0;

	(void)e;
	/* the post-processor's tokens at the ends */
	if (h->nbos > 0 && n >= h->nbos &&
	    memcmp(ids, h->bos, h->nbos * sizeof(*ids)) == 0)
		b = h->nbos;
	if (h->neos > 0 && z - b >= h->neos &&
	    memcmp(ids + z - h->neos, h->eos, h->neos * sizeof(*ids)) == 0)
		z -= h->neos;
	for (i = b; i < z; i++) {
		size_t pl;
		const char *p = tokenizer_piece(t, ids[i], &pl);

		add(&l[0], p != NULL ? p : "", p != NULL ? pl : 0);
	}
	for (k = 0; k < h->ndec; k++) {
		l[!cur].n = l[!cur].alen = 0;
		one(&h->dec[k], &l[cur], &l[!cur]);
		cur = !cur;
	}
	for (i = 0; i < l[cur].n; i++)
		tok_append(buf, len, cap, S(&l[cur], i), l[cur].len[i]);
	strs_free(&l[0]);
	strs_free(&l[1]);
	return 0;
}
