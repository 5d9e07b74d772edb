/* See LICENSE file for copyright and license details. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpe.h"
#include "hf.h"
#include "pretok.h"
#include "tiktoken.h"
#include "tokenizer.h"
#include "tokimpl.h"
#include "unicode.h"
#include "util.h"

#ifndef EMB_DATADIR
#define EMB_DATADIR "/usr/local/share/emb"
#endif

const char *
tokenizer_name(const struct tokenizer *t)
{
	return t->name;
}

const char *
tokenizer_kind(const struct tokenizer *t)
{
	static const char *const kinds[] = { "tiktoken", "gpt2", "huggingface" };

	return kinds[t->kind];
}

uint32_t
tokenizer_vocab_size(const struct tokenizer *t)
{
	return t->size;
}

void
tokenizer_free(struct tokenizer *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nadd; i++) {
		free(t->add[i].text);
		free(t->add[i].ntext);
	}
	free(t->add);
	free(t->addof);
	free(t->match);
	bpe_free(t->bpe);
	pretok_free(t->pre);
	hf_free(t->hf);
	free(t->name);
	free(t);
}

/* add an added/special token (its text copied) */
void
tok_add_token(struct tokenizer *t, const char *text, size_t len, uint32_t id,
    unsigned flags)
{
	struct tok_added *a;

	t->add = xreallocarray(t->add, t->nadd + 1, sizeof(*t->add));
	a = &t->add[t->nadd++];
	a->text = xmemdup(text, len);
	a->len = len;
	a->ntext = NULL;
	a->nlen = 0;
	a->id = id;
	a->flags = flags;
	if (id >= t->size)
		t->size = id + 1;
}

/* index the added tokens by ID and set the default matching */
void
tok_finish(struct tokenizer *t)
{
	size_t i;

	if (t->bpe != NULL && t->bpe->size > t->size)
		t->size = t->bpe->size;
	if (t->hf != NULL && t->hf->bpe->size > t->size)
		t->size = t->hf->bpe->size;
	t->addof = xmalloc((size_t)t->size * sizeof(*t->addof));
	for (i = 0; i < t->size; i++)
		t->addof[i] = UINT32_MAX;
	for (i = 0; i < t->nadd; i++)
		t->addof[t->add[i].id] = (uint32_t)i;
	t->match = xcalloc(t->nadd + 1, 1);
	for (i = 0; i < t->nadd; i++)
		t->match[i] = t->kind == TOK_HF ? 1 : 0;
	t->refuse = t->kind != TOK_HF;
	tok_first_bytes(t);
}

void
tok_first_bytes(struct tokenizer *t)
{
	size_t i;
	int nfirst = 0, c;

	memset(t->first, 0, sizeof(t->first));
	for (i = 0; i < t->nadd; i++)
		if ((t->match[i] || t->refuse) && t->add[i].len > 0) {
			c = (unsigned char)t->add[i].text[0];
			if (!t->first[c])
				nfirst++;
			t->first[c] = 1;
			t->firstbyte = c;
		}
	t->nfirst = nfirst;
}

int
tokenizer_set_special(struct tokenizer *t, const char *policy,
    struct emb_err *e)
{
	size_t i;
	const char *p = policy;

	t->refuse = 0;
	if (strcmp(policy, "none") == 0 || strcmp(policy, "all") == 0) {
		for (i = 0; i < t->nadd; i++)
			t->match[i] = !(t->add[i].flags & TOK_SPECIAL) ||
			    policy[0] == 'a';
		tok_first_bytes(t);
		return 0;
	}
	for (i = 0; i < t->nadd; i++)
		t->match[i] = !(t->add[i].flags & TOK_SPECIAL);
	while (*p != '\0') {
		size_t l = strcspn(p, ","), k;

		for (k = 0; k < t->nadd; k++)
			if ((t->add[k].flags & TOK_SPECIAL) && t->add[k].len == l &&
			    memcmp(t->add[k].text, p, l) == 0)
				break;
		if (k == t->nadd) {
			err_set(e, NULL, 0, "%s has no special token \"%.*s\"",
			    t->name, (int)l, p);
			return -1;
		}
		t->match[k] = 1;
		p += l + (p[l] == ',');
	}
	tok_first_bytes(t);
	return 0;
}

void
tokenizer_set_bos_eos(struct tokenizer *t, int bos, int eos)
{
	t->bos = bos;
	t->eos = eos;
}

int
tokenizer_is_special(const struct tokenizer *t, uint32_t id)
{
	return id < t->size && t->addof[id] != UINT32_MAX &&
	    (t->add[t->addof[id]].flags & TOK_SPECIAL);
}

/* an added token's text, or one of a tokenizer.json's two spellings */
static const char *
token_text(const struct tokenizer *t, uint32_t id, int readable, size_t *len)
{
	if (id < t->size && t->addof[id] != UINT32_MAX) {
		*len = t->add[t->addof[id]].len;
		return t->add[t->addof[id]].text;
	}
	if (t->kind == TOK_HF) {
		const struct hf *h = t->hf;
		const uint32_t *off = readable ? h->readoff : h->spelloff;

		if (id >= h->bpe->size || h->bpe->len[id] == BPE_NONE)
			return NULL;
		*len = off[id + 1] - off[id];
		return (readable ? h->read : h->spell) + off[id];
	}
	/* tiktoken and GPT-2 keep raw bytes; their spelling is the bytes */
	return (const char *)bpe_token(t->bpe, id, len);
}

const char *
tokenizer_piece(const struct tokenizer *t, uint32_t id, size_t *len)
{
	return token_text(t, id, 0, len);
}

const char *
tokenizer_token(const struct tokenizer *t, uint32_t id, size_t *len)
{
	return token_text(t, id, 1, len);
}

uint32_t
tokenizer_find(const struct tokenizer *t, const char *piece, size_t len)
{
	size_t i;

	for (i = 0; i < t->nadd; i++)
		if (t->add[i].len == len && memcmp(t->add[i].text, piece, len) == 0)
			return t->add[i].id;
	if (t->kind == TOK_HF) {
		char *z = xmemdup(piece, len);
		uint32_t id = hf_vocab_id(t->hf, z);

		free(z);
		return id;
	}
	return bpe_find(t->bpe, piece, len);
}

/* the sequence's buffers and per-thread state */

void
tokenizer_seq_init(struct tokenizer_seq *q)
{
	memset(q, 0, sizeof(*q));
}

static void
work_free(struct tok_work *w)
{
	if (w == NULL)
		return;
	bpe_work_free(w->bw);
	pretok_state_free(w->pst);
	free(w->clean);
	free(w->map);
	hf_work_free(w->hw);
	free(w);
}

void
tokenizer_seq_free(struct tokenizer_seq *q)
{
	free(q->ids);
	free(q->start);
	free(q->end);
	work_free(q->work);
	memset(q, 0, sizeof(*q));
}

struct tok_work *
tok_work(const struct tokenizer *t, struct tokenizer_seq *q)
{
	struct tok_work *w;

	if (q->work != NULL && q->owner == t)
		return q->work;
	work_free(q->work);
	w = xcalloc(1, sizeof(*w));
	w->bw = bpe_work_new();
	if (t->pre != NULL)
		w->pst = pretok_state(t->pre);
	q->work = w;
	q->owner = t;
	return w;
}

/* room for k more tokens in q */
static void
seq_reserve(struct tokenizer_seq *q, size_t k)
{
	if (q->n + k > q->cap) {
		q->cap = q->n + k < 64 ? 64 : (q->n + k) * 2;
		q->ids = xreallocarray(q->ids, q->cap, sizeof(*q->ids));
		if (q->offsets) {
			q->start = xreallocarray(q->start, q->cap, sizeof(size_t));
			q->end = xreallocarray(q->end, q->cap, sizeof(size_t));
		}
	}
}

void
tok_push(struct tokenizer_seq *q, uint32_t id, size_t start, size_t end)
{
	if (q->n == q->cap)
		seq_reserve(q, 1);
	if (q->offsets) {
		q->start[q->n] = start;
		q->end[q->n] = end;
	}
	q->ids[q->n++] = id;
}

/*
 * Replace invalid UTF-8 by U+FFFD: *s/ *n become the clean text (in w)
 * and w->map its bytes' offsets in the original; unchanged when valid.
 */
void
tok_sanitize(struct tok_work *w, const unsigned char **s, size_t *n)
{
	size_t v = uni_valid(*s, *n), i, o = 0, need;
	const unsigned char *in = *s;

	w->mapped = 0;
	if (v == *n)
		return;
	need = *n * 3 + 1;
	if (need > w->ccap) {
		w->ccap = need;
		w->clean = xreallocarray(w->clean, need, 1);
		w->map = xreallocarray(w->map, need, sizeof(*w->map));
	}
	for (i = 0; i < *n;) {
		size_t good = uni_valid(in + i, *n - i), k, bad;

		for (k = 0; k < good; k++) {
			w->clean[o] = in[i + k];
			w->map[o++] = i + k;
		}
		i += good;
		if (i >= *n)
			break;
		bad = uni_bad_len(in + i, *n - i);
		o += uni_encode(UNI_REPLACEMENT, w->clean + o);
		w->map[o - 3] = w->map[o - 2] = w->map[o - 1] = i;
		i += bad;
	}
	w->map[o] = *n;
	w->mapped = 1;
	*s = w->clean;
	*n = o;
}

/*
 * The next added token to match in s[from..n): 1 with [*ms, *me) and its
 * index in *k (leftmost; the longest there), else 0.
 */
int
tok_next_added(const struct tokenizer *t, const unsigned char *s, size_t n,
    size_t from, size_t *ms, size_t *me, size_t *k)
{
	size_t i = from, j;

	if (t->nfirst == 0)
		return 0;
	while (i < n) {
		size_t best = SIZE_MAX, blen = 0;

		if (t->nfirst == 1) {
			const unsigned char *p = memchr(s + i, t->firstbyte, n - i);

			if (p == NULL)
				return 0;
			i = (size_t)(p - s);
		} else if (!t->first[s[i]]) {
			i++;
			continue;
		}
		for (j = 0; j < t->nadd; j++) {
			const struct tok_added *a = &t->add[j];

			if ((t->match[j] || t->refuse) && a->len > blen &&
			    a->len <= n - i && memcmp(s + i, a->text, a->len) == 0) {
				best = j;
				blen = a->len;
			}
		}
		if (best != SIZE_MAX) {
			*ms = i;
			*me = i + blen;
			*k = best;
			return 1;
		}
		i++;
	}
	return 0;
}

/* tiktoken and GPT-2: specials, then pattern pieces, then BPE */
static int
encode_tiktoken(const struct tokenizer *t, struct tokenizer_seq *q,
    const unsigned char *s, size_t n, struct emb_err *e)
{
	struct tok_work *w = tok_work(t, q);
	enum pretok_kind kind = pretok_kind(t->pre);
	size_t pos = 0, ms, me, k, i;

	tok_sanitize(w, &s, &n);
	while (pos < n) {
		size_t segend = n;
		int sp = tok_next_added(t, s, n, pos, &ms, &me, &k);

		if (sp) {
			if (!t->match[k]) {
				err_set(e, NULL, 0, "special token \"%s\" in the "
				    "text (--special all matches it, --special "
				    "none encodes it as text)", t->add[k].text);
				return -1;
			}
			segend = ms;
		}
		for (i = pos; i < segend;) {
			size_t pe = pretok_scan(kind, s, segend, i), m, j, st;
			const uint32_t *ids, *ends;

			m = bpe_encode(t->bpe, w->bw, s + i, pe - i, &ids, &ends);
			seq_reserve(q, m);
			if (!q->offsets) {
				for (j = 0; j < m; j++)
					q->ids[q->n + j] = ids[j];
				q->n += m;
			} else
				for (j = 0, st = i; j < m; j++) {
					tok_push(q, ids[j], st, i + ends[j]);
					st = i + ends[j];
				}
			i = pe;
		}
		if (!sp)
			break;
		tok_push(q, t->add[k].id, ms, me);
		pos = me;
	}
	if (w->mapped && q->offsets)
		tok_unmap(w, q);
	return 0;
}

/* spans in the clean text -> spans in the bytes given */
void
tok_unmap(const struct tok_work *w, struct tokenizer_seq *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		q->start[i] = w->map[q->start[i]];
		q->end[i] = w->map[q->end[i]];
	}
}

int
tokenizer_encode(const struct tokenizer *t, struct tokenizer_seq *q,
    const void *text, size_t len, struct emb_err *e)
{
	q->n = 0;
	if (q->offsets && q->cap > 0 && q->start == NULL) {
		q->start = xreallocarray(NULL, q->cap, sizeof(size_t));
		q->end = xreallocarray(NULL, q->cap, sizeof(size_t));
	}
	if (t->kind == TOK_HF) {
		struct tok_work *w = tok_work(t, q);
		const unsigned char *s = text;
		int r;

		tok_sanitize(w, &s, &len);
		r = hf_encode(t, q, s, len, e);
		if (r == 0 && w->mapped && q->offsets)
			tok_unmap(w, q);
		return r;
	}
	return encode_tiktoken(t, q, text, len, e);
}

/* append n bytes to a growing buffer */
void
tok_append(char **buf, size_t *len, size_t *cap, const void *p, size_t n)
{
	if (n == 0)	/* *buf and p may be NULL then */
		return;
	if (*len + n > *cap) {
		*cap = (*len + n) * 2 + 64;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	memcpy(*buf + *len, p, n);
	*len += n;
}

int
tokenizer_decode(const struct tokenizer *t, const uint32_t *ids, size_t n,
    char **buf, size_t *len, size_t *cap, struct emb_err *e)
{
	size_t i, l;
	const char *p;

	for (i = 0; i < n; i++)
		if (ids[i] >= t->size || (p = tokenizer_token(t, ids[i], &l)) ==
		    NULL) {
			err_set(e, NULL, 0, "ID %lu %s", (unsigned long)ids[i],
			    ids[i] >= t->size ? "out of range" : "has no token");
			if (ids[i] >= t->size)
				snprintf(e->msg + strlen(e->msg), sizeof(e->msg) -
				    strlen(e->msg), " (%s has %lu IDs)", t->name,
				    (unsigned long)t->size);
			return -1;
		}
	if (t->kind == TOK_HF)
		return hf_decode(t, ids, n, buf, len, cap, e);
	for (i = 0; i < n; i++) {
		p = tokenizer_token(t, ids[i], &l);
		tok_append(buf, len, cap, p, l);
	}
	return 0;
}
