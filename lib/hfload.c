/* See LICENSE file for copyright and license details. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpe.h"
#include "hf.h"
#include "json.h"
#include "normalize.h"
#include "pretok.h"
#include "tiktoken.h"
#include "tokimpl.h"
#include "unicode.h"
#include "util.h"

/*
 * Reading a tokenizer.json (tokenizers/src/tokenizer/serialization.rs
 * and each component's serde form).  Every error names the file and the
 * JSON path of the part: a part this library does not run is an error,
 * never an approximation.
 */

int
hf_fail(struct hf_ld *l, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(l->e, l->file, 0, "%s: %s", l->path, msg);
	return -1;
}

size_t
hf_enter(struct hf_ld *l, const char *key, long idx)
{
	size_t n = strlen(l->path);

	if (key != NULL)
		snprintf(l->path + n, sizeof(l->path) - n, "%s%s", n ? "." : "",
		    key);
	else
		snprintf(l->path + n, sizeof(l->path) - n, "[%ld]", idx);
	return n;
}

void
hf_leave(struct hf_ld *l, size_t n)
{
	l->path[n] = '\0';
}

const char *
hf_type(const struct json *j)
{
	return json_string(json_get(j, "type"));
}

int
hf_bool(struct hf_ld *l, const struct json *o, const char *key, int def)
{
	const struct json *m = json_get(o, key);
	int v;

	if (m == NULL || json_type(m) == JSON_NULL)
		return def;
	if (json_bool(m, &v) < 0) {
		size_t n = hf_enter(l, key, 0);

		hf_fail(l, "not true or false");
		hf_leave(l, n);
		return -1;
	}
	return v;
}

const char *
hf_str(struct hf_ld *l, const struct json *o, const char *key, int *bad)
{
	const struct json *m = json_get(o, key);

	if (m == NULL || json_type(m) == JSON_NULL)
		return NULL;
	if (json_type(m) != JSON_STRING) {
		size_t n = hf_enter(l, key, 0);

		hf_fail(l, "not a string");
		hf_leave(l, n);
		*bad = 1;
		return NULL;
	}
	return json_string(m);
}

uint32_t
hf_vocab_id(const struct hf *h, const char *s)
{
	unsigned char buf[1024];
	size_t n = strlen(s);
	long b;

	if (h->bytelevel && n <= sizeof(buf) && (b = gpt2_unmap(s, n, buf)) > 0)
		return bpe_find(h->bpe, buf, (size_t)b);
	return bpe_find(h->bpe, s, n);
}

static int
load_merges(struct hf_ld *l, struct hf *h, const struct json *merges)
{
	const struct json *m;
	long i = 0;

	if (merges == NULL)
		return 0;
	if (json_type(merges) != JSON_ARRAY)
		return hf_fail(l, "merges: not an array");
	JSON_EACH(m, merges) {
		const char *a, *c, *sp;
		size_t al, cl, n = hf_enter(l, "merges", 0);
		char where[320];

		snprintf(where, sizeof(where), "%s: %s[%ld]", l->file, l->path,
		    i);
		if (json_type(m) == JSON_STRING) {
			a = json_string(m);
			if ((sp = strchr(a, ' ')) == NULL)
				return hf_fail(l, "[%ld]: \"%s\" is not \"a b\"",
				    i, a);
			al = (size_t)(sp - a);
			c = sp + 1;
			cl = strlen(c);
		} else if (json_type(m) == JSON_ARRAY && json_size(m) == 2 &&
		    json_string(json_at(m, 0)) != NULL &&
		    json_string(json_at(m, 1)) != NULL) {
			a = json_string(json_at(m, 0));
			c = json_string(json_at(m, 1));
			al = strlen(a);
			cl = strlen(c);
		} else
			return hf_fail(l, "[%ld]: not \"a b\" nor [\"a\", \"b\"]",
			    i);
		if (gpt2_merge(h->bpe, a, al, c, cl, h->bytelevel, where,
		    l->e) < 0)
			return -1;
		hf_leave(l, n);
		i++;
	}
	return 0;
}

/* an optional token name -> ID (BPE_NONE when absent) */
static int
token_opt(struct hf_ld *l, struct hf *h, const struct json *o, const char *key,
    uint32_t *id)
{
	int bad = 0;
	const char *s = hf_str(l, o, key, &bad);

	*id = BPE_NONE;
	if (bad)
		return -1;
	if (s == NULL)
		return 0;
	if ((*id = hf_vocab_id(h, s)) == BPE_NONE) {
		size_t n = hf_enter(l, key, 0);

		hf_fail(l, "\"%s\" is not in the vocabulary", s);
		hf_leave(l, n);
		return -1;
	}
	return 0;
}

static int
load_model(struct hf_ld *l, struct hf *h, const struct json *m)
{
	const char *type = hf_type(m);
	const struct json *d;
	int bad = 0;
	size_t n = hf_enter(l, "model", 0);
	const char *pre, *suf;
	uint64_t max;

	if (json_type(m) != JSON_OBJECT)
		return hf_fail(l, "missing, or not an object");
	if (type == NULL)
		type = json_get(m, "merges") != NULL ? "BPE" :
		    json_get(m, "max_input_chars_per_word") != NULL ?
		    "WordPiece" : "WordLevel";
	if (strcmp(type, "BPE") == 0)
		h->model = HF_BPE;
	else if (strcmp(type, "WordPiece") == 0)
		h->model = HF_WORDPIECE;
	else if (strcmp(type, "WordLevel") == 0)
		h->model = HF_WORDLEVEL;
	else
		return hf_fail(l, "type \"%s\" is not supported (BPE, WordPiece, "
		    "WordLevel are)", type);
	h->bpe = bpe_new(BPE_MERGES, h->bytelevel && h->model == HF_BPE);
	if (gpt2_vocab(h->bpe, json_get(m, "vocab"), h->bytelevel, l->file,
	    l->e) < 0)
		return -1;
	if (h->model == HF_BPE) {
		d = json_get(m, "dropout");
		if (d != NULL && json_type(d) != JSON_NULL) {
			double v;

			if (json_number(d, &v) < 0 || v != 0)
				return hf_fail(l, "dropout: BPE dropout is not "
				    "supported (its output is random)");
		}
		pre = hf_str(l, m, "continuing_subword_prefix", &bad);
		suf = hf_str(l, m, "end_of_word_suffix", &bad);
		if (bad)
			return -1;
		if (pre != NULL && *pre != '\0') {
			h->bpe->prefix = xstrdup(pre);
			h->bpe->prefixlen = strlen(pre);
		}
		if (suf != NULL && *suf != '\0') {
			h->bpe->suffix = xstrdup(suf);
			h->bpe->suffixlen = strlen(suf);
		}
		if ((h->bpe->fuse_unk = hf_bool(l, m, "fuse_unk", 0)) < 0 ||
		    (h->bpe->byte_fallback = hf_bool(l, m, "byte_fallback",
		    0)) < 0 || (h->bpe->whole_first = hf_bool(l, m,
		    "ignore_merges", 0)) < 0)
			return -1;
		if (token_opt(l, h, m, "unk_token", &h->bpe->unk) < 0)
			return -1;
		if (load_merges(l, h, json_get(m, "merges")) < 0)
			return -1;
	} else {
		if (token_opt(l, h, m, "unk_token", &h->unk) < 0)
			return -1;
		if (h->model == HF_WORDPIECE) {
			if (h->unk == BPE_NONE)
				return hf_fail(l, "unk_token: missing");
			pre = hf_str(l, m, "continuing_subword_prefix", &bad);
			if (bad)
				return -1;
			h->wp_prefix = xstrdup(pre != NULL ? pre : "##");
			h->wp_prefixlen = strlen(h->wp_prefix);
			d = json_get(m, "max_input_chars_per_word");
			h->wp_max = 100;
			if (d != NULL && json_type(d) != JSON_NULL) {
				if (json_count(d, &max) < 0)
					return hf_fail(l, "max_input_chars_per_word: "
					    "not a count");
				h->wp_max = (size_t)max;
			}
		}
	}
	bpe_finish(h->bpe);
	hf_leave(l, n);
	return 0;
}


static int
load_added(struct hf_ld *l, struct tokenizer *t, struct hf *h,
    const struct json *arr)
{
	const struct json *a;
	long i = 0;

	if (arr == NULL || json_type(arr) == JSON_NULL)
		return 0;
	if (json_type(arr) != JSON_ARRAY)
		return hf_fail(l, "added_tokens: not an array");
	JSON_EACH(a, arr) {
		size_t n = hf_enter(l, "added_tokens", 0), k;
		static const char *const flag[] = { "special", "lstrip",
		    "rstrip", "single_word", "normalized" };
		unsigned flags = 0;
		const char *content;
		uint64_t id;
		int bad = 0, v;

		hf_leave(l, n);
		snprintf(l->path + n, sizeof(l->path) - n, "added_tokens[%ld]",
		    i++);
		if (json_count(json_get(a, "id"), &id) < 0 || id >= UINT32_MAX -
		    1024)
			return hf_fail(l, "id: missing, or not a whole number "
			    "below 2^32");
		content = hf_str(l, a, "content", &bad);
		if (bad)
			return -1;
		if (content == NULL || *content == '\0')
			return hf_fail(l, "content: missing or empty");
		for (k = 0; k < 5; k++) {
			/* normalized defaults to !special */
			if ((v = hf_bool(l, a, flag[k], k == 4 ?
			    !(flags & TOK_SPECIAL) : 0)) < 0)
				return -1;
			if (v)
				flags |= 1u << k;
		}
		tok_add_token(t, content, strlen(content), (uint32_t)id, flags);
		hf_leave(l, n);
	}
	(void)h;
	return 0;
}

/* a token's readable text: raw bytes, "<0xXX>" as its byte, U+2581 as
 * a space for sentencepiece-style vocabularies */
static void
readable(const struct hf *h, const unsigned char *p, size_t n, int meta,
    char **out, size_t *len, size_t *cap)
{
	size_t i;
	int c;

	if (!h->bytelevel && h->bpe->byte_fallback &&
	    (c = hf_fallback_byte((const char *)p, n)) >= 0) {
		unsigned char b = (unsigned char)c;

		tok_append(out, len, cap, &b, 1);
		return;
	}
	for (i = 0; i < n; i++) {
		if (meta && i + 2 < n && p[i] == 0xE2 && p[i + 1] == 0x96 &&
		    p[i + 2] == 0x81) {
			tok_append(out, len, cap, " ", 1);
			i += 2;
		} else
			tok_append(out, len, cap, p + i, 1);
	}
}

/* the spelling and readable text of every ID */
static void
texts(struct hf *h)
{
	size_t slen = 0, scap = 0, rlen = 0, rcap = 0, i, n;
	uint32_t id, size = h->bpe->size;
	int meta = 0;
	char tmp[8];

	for (i = 0; i < h->ndec; i++)
		if (h->dec[i].kind == HD_METASPACE || (h->dec[i].kind ==
		    HD_REPLACE && strcmp(h->dec[i].a, "\xe2\x96\x81") == 0))
			meta = 1;
	h->spelloff = xmalloc(((size_t)size + 1) * sizeof(uint32_t));
	h->readoff = xmalloc(((size_t)size + 1) * sizeof(uint32_t));
	for (id = 0; id < size; id++) {
		const unsigned char *p = bpe_token(h->bpe, id, &n);

		h->spelloff[id] = (uint32_t)slen;
		h->readoff[id] = (uint32_t)rlen;
		if (p == NULL)
			continue;
		if (h->bytelevel)
			for (i = 0; i < n; i++)
				tok_append(&h->spell, &slen, &scap, tmp,
				    uni_encode(gpt2_byte_char(p[i]),
				    (unsigned char *)tmp));
		else
			tok_append(&h->spell, &slen, &scap, p, n);
		if (h->bytelevel)
			tok_append(&h->read, &rlen, &rcap, p, n);
		else
			readable(h, p, n, meta, &h->read, &rlen, &rcap);
	}
	h->spelloff[size] = (uint32_t)slen;
	h->readoff[size] = (uint32_t)rlen;
}

/* the fast path: no normalizer, a known pattern, then ByteLevel */
static void
fast_path(struct hf *h)
{
	const struct hf_pre *p = h->pre, *bl;

	if (h->norm != NULL || h->model != HF_BPE || !h->bytelevel ||
	    h->npre == 0)
		return;
	bl = &p[h->npre - 1];
	if (bl->kind != HP_BYTELEVEL || bl->add_prefix_space)
		return;
	if (h->npre == 1 && bl->use_regex) {
		h->fast = 1;
		h->fastkind = PRETOK_GPT2;
	} else if (h->npre == 2 && !bl->use_regex && p[0].kind == HP_SPLIT &&
	    p[0].re != NULL && pretok_kind(p[0].re) != PRETOK_REGEX &&
	    ((p[0].behavior == HB_ISOLATED && !p[0].invert) ||
	    (p[0].behavior == HB_REMOVED && p[0].invert))) {
		h->fast = 1;
		h->fastkind = pretok_kind(p[0].re);
	}
}

int
hf_load(struct tokenizer *t, const char *path, struct emb_err *e)
{
	struct hf_ld l = { path, e, "" };
	struct json *root = NULL;
	struct hf *h = xcalloc(1, sizeof(*h));
	const struct json *j;
	int rc = -1;
	size_t i;

	t->hf = h;
	h->unk = BPE_NONE;
	uni_init();
	if (json_load(&root, path, e) != 0)
		goto done;
	if (json_type(root) != JSON_OBJECT) {
		hf_fail(&l, "not a JSON object");
		goto done;
	}
	h->bytelevel = hf_has_bytelevel(json_get(root, "pre_tokenizer"));
	if (load_model(&l, h, json_get(root, "model")) < 0)
		goto done;
	l.path[0] = '\0';
	if (load_added(&l, t, h, json_get(root, "added_tokens")) < 0)
		goto done;
	l.path[0] = '\0';
	if ((j = json_get(root, "normalizer")) != NULL &&
	    json_type(j) != JSON_NULL && hf_load_normalizer(&l, h, j) < 0)
		goto done;
	l.path[0] = '\0';
	if ((j = json_get(root, "pre_tokenizer")) != NULL &&
	    json_type(j) != JSON_NULL && hf_load_pre(&l, h, j) < 0)
		goto done;
	l.path[0] = '\0';
	if ((j = json_get(root, "post_processor")) != NULL &&
	    json_type(j) != JSON_NULL && hf_load_post(&l, h, j) < 0)
		goto done;
	l.path[0] = '\0';
	if ((j = json_get(root, "decoder")) != NULL &&
	    json_type(j) != JSON_NULL && hf_load_decoder(&l, h, j) < 0)
		goto done;
	/* added tokens matched on normalized text: their normalized form */
	for (i = 0; i < t->nadd; i++) {
		struct tok_added *a = &t->add[i];
		struct ntext x = { 0 }, tmp = { 0 };

		if (!(a->flags & TOK_NORMALIZED) || h->norm == NULL)
			continue;
		ntext_set(&x, (const unsigned char *)a->text, a->len, 0);
		normalize(h->norm, &x, &tmp);
		a->ntext = xmemdup(x.n ? (const char *)x.s : "", x.n);
		a->nlen = x.n;
		ntext_free(&x);
		ntext_free(&tmp);
	}
	for (i = 0; i < t->nadd; i++) {
		const struct tok_added *a = &t->add[i];
		int norm = (a->flags & TOK_NORMALIZED) != 0;
		const char *txt = norm && a->ntext != NULL ? a->ntext : a->text;
		size_t len = norm && a->ntext != NULL ? a->nlen : a->len;

		if (len > 0)
			h->first[norm][(unsigned char)txt[0]] = 1;
	}
	texts(h);
	fast_path(h);
	rc = 0;
done:
	json_free(root);
	return rc;
}

void
hf_free(struct hf *h)
{
	size_t i;

	if (h == NULL)
		return;
	bpe_free(h->bpe);
	free(h->wp_prefix);
	if (h->norm != NULL) {
		normalizer_free(h->norm);
		free(h->norm->text);
		free(h->norm->content);
		free(h->norm);
	}
	for (i = 0; i < h->npre; i++) {
		pretok_free(h->pre[i].re);
		free(h->pre[i].str);
	}
	free(h->pre);
	for (i = 0; i < h->ndec; i++) {
		free(h->dec[i].a);
		free(h->dec[i].b);
	}
	free(h->dec);
	free(h->bos);
	free(h->eos);
	free(h->spell);
	free(h->read);
	free(h->spelloff);
	free(h->readoff);
	free(h);
}
