/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpe.h"
#include "hf.h"
#include "json.h"
#include "normalize.h"
#include "pretok.h"
#include "util.h"

/*
 * The parts of a tokenizer.json other than the model: normalizer,
 * pre_tokenizer, post_processor, decoder, each as its serde form in
 * tokenizers/src/{normalizers,pre_tokenizers,processors,decoders}.
 */

/* a pattern {"String": s} or {"Regex": r}: *isre, the text */
static const char *
pattern(struct hf_ld *l, const struct json *o, int *isre)
{
	const struct json *p = json_get(o, "pattern");
	const char *s;
	size_t n = hf_enter(l, "pattern", 0);

	if ((s = json_string(json_get(p, "String"))) != NULL)
		*isre = 0;
	else if ((s = json_string(json_get(p, "Regex"))) != NULL)
		*isre = 1;
	else
		hf_fail(l, "not {\"String\": ...} nor {\"Regex\": ...}");
	if (s != NULL)
		hf_leave(l, n);
	return s;
}

static int
one_normalizer(struct hf_ld *l, struct normalizer *nz, const struct json *j)
{
	const char *type = hf_type(j), *s;
	const struct json *m;
	int bad = 0, isre, v;
	long i = 0;

	if (type == NULL)
		return hf_fail(l, "no \"type\"");
	if (strcmp(type, "NFC") == 0)
		nz->kind = NORM_NFC;
	else if (strcmp(type, "NFD") == 0)
		nz->kind = NORM_NFD;
	else if (strcmp(type, "NFKC") == 0)
		nz->kind = NORM_NFKC;
	else if (strcmp(type, "NFKD") == 0)
		nz->kind = NORM_NFKD;
	else if (strcmp(type, "Lowercase") == 0)
		nz->kind = NORM_LOWERCASE;
	else if (strcmp(type, "StripAccents") == 0)
		nz->kind = NORM_STRIP_ACCENTS;
	else if (strcmp(type, "BertNormalizer") == 0) {
		nz->kind = NORM_BERT;
		if ((nz->clean_text = hf_bool(l, j, "clean_text", 1)) < 0 ||
		    (nz->chinese = hf_bool(l, j, "handle_chinese_chars", 1)) < 0 ||
		    (nz->lowercase = hf_bool(l, j, "lowercase", 1)) < 0 ||
		    (nz->strip_accents = hf_bool(l, j, "strip_accents",
		    nz->lowercase)) < 0)
			return -1;
	} else if (strcmp(type, "Prepend") == 0) {
		nz->kind = NORM_PREPEND;
		if ((s = hf_str(l, j, "prepend", &bad)) == NULL)
			return bad ? -1 : hf_fail(l, "prepend: missing");
		nz->text = xstrdup(s);
		nz->textlen = strlen(s);
	} else if (strcmp(type, "Replace") == 0) {
		nz->kind = NORM_REPLACE;
		if ((s = pattern(l, j, &isre)) == NULL)
			return -1;
		if (isre)
			return hf_fail(l, "pattern: a Regex in Replace is not "
			    "supported");
		nz->text = xstrdup(s);
		nz->textlen = strlen(s);
		if ((s = hf_str(l, j, "content", &bad)) == NULL)
			return bad ? -1 : hf_fail(l, "content: missing");
		nz->content = xstrdup(s);
		nz->contentlen = strlen(s);
	} else if (strcmp(type, "Strip") == 0) {
		nz->kind = NORM_STRIP;
		if ((v = hf_bool(l, j, "strip_left", 1)) < 0)
			return -1;
		nz->left = v;
		if ((v = hf_bool(l, j, "strip_right", 1)) < 0)
			return -1;
		nz->right = v;
	} else if (strcmp(type, "Sequence") == 0) {
		const struct json *arr = json_get(j, "normalizers");

		nz->kind = NORM_SEQUENCE;
		if (json_type(arr) != JSON_ARRAY)
			return hf_fail(l, "normalizers: not an array");
		nz->seq = xcalloc(json_size(arr) + 1, sizeof(*nz->seq));
		JSON_EACH(m, arr) {
			size_t n = hf_enter(l, "normalizers", 0), k;

			k = strlen(l->path);
			snprintf(l->path + k, sizeof(l->path) - k, "[%ld]", i++);
			if (one_normalizer(l, &nz->seq[nz->nseq++], m) < 0)
				return -1;
			hf_leave(l, n);
		}
	} else
		return hf_fail(l, "type \"%s\" is not supported", type);
	return 0;
}

int
hf_load_normalizer(struct hf_ld *l, struct hf *h, const struct json *j)
{
	size_t n = hf_enter(l, "normalizer", 0);

	h->norm = xcalloc(1, sizeof(*h->norm));
	if (one_normalizer(l, h->norm, j) < 0)
		return -1;
	hf_leave(l, n);
	return 0;
}

static int
behavior(struct hf_ld *l, const struct json *j, enum hf_behavior *b,
    enum hf_behavior def)
{
	static const char *const names[] = { "Removed", "Isolated",
	    "MergedWithPrevious", "MergedWithNext", "Contiguous" };
	int bad = 0;
	const char *s = hf_str(l, j, "behavior", &bad);
	size_t i;

	*b = def;
	if (bad)
		return -1;
	if (s == NULL)
		return 0;
	for (i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*b = (enum hf_behavior)i;
			return 0;
		}
	return hf_fail(l, "behavior: \"%s\" is not one of Removed, Isolated, "
	    "MergedWithPrevious, MergedWithNext, Contiguous", s);
}

/* Metaspace's prepend_scheme (or the older add_prefix_space) */
static int
prepend_scheme(struct hf_ld *l, const struct json *j, int *scheme)
{
	int bad = 0, v;
	const char *s = hf_str(l, j, "prepend_scheme", &bad);

	if (bad)
		return -1;
	if (s == NULL) {
		if ((v = hf_bool(l, j, "add_prefix_space", 1)) < 0)
			return -1;
		*scheme = v ? 0 : 2;
	} else if (strcmp(s, "always") == 0)
		*scheme = 0;
	else if (strcmp(s, "first") == 0)
		*scheme = 1;
	else if (strcmp(s, "never") == 0)
		*scheme = 2;
	else
		return hf_fail(l, "prepend_scheme: \"%s\" is not always, first "
		    "or never", s);
	return 0;
}

static int
add_pre(struct hf_ld *l, struct hf *h, const struct json *j)
{
	const char *type = hf_type(j), *s;
	struct hf_pre *p;
	const struct json *m;
	int bad = 0, isre, v;
	long i = 0;

	if (type == NULL)
		return hf_fail(l, "no \"type\"");
	if (strcmp(type, "Sequence") == 0) {
		const struct json *arr = json_get(j, "pretokenizers");

		if (json_type(arr) != JSON_ARRAY)
			return hf_fail(l, "pretokenizers: not an array");
		JSON_EACH(m, arr) {
			size_t n = hf_enter(l, "pretokenizers", 0), k;

			k = strlen(l->path);
			snprintf(l->path + k, sizeof(l->path) - k, "[%ld]", i++);
			if (add_pre(l, h, m) < 0)
				return -1;
			hf_leave(l, n);
		}
		return 0;
	}
	h->pre = xreallocarray(h->pre, h->npre + 1, sizeof(*h->pre));
	p = &h->pre[h->npre++];
	memset(p, 0, sizeof(*p));
	if (strcmp(type, "Split") == 0) {
		p->kind = HP_SPLIT;
		if ((s = pattern(l, j, &isre)) == NULL ||
		    behavior(l, j, &p->behavior, HB_ISOLATED) < 0 ||
		    (p->invert = hf_bool(l, j, "invert", 0)) < 0)
			return -1;
		if (isre) {
			size_t n = hf_enter(l, "pattern", 0);

			if ((p->re = pretok_new(s, strlen(s), l->e)) == NULL) {
				char why[1100];

				snprintf(why, sizeof(why), "%s", l->e->msg);
				return hf_fail(l, "%s", why);
			}
			hf_leave(l, n);
		} else {
			p->str = xstrdup(s);
			p->strlen = strlen(s);
		}
	} else if (strcmp(type, "ByteLevel") == 0) {
		p->kind = HP_BYTELEVEL;
		if ((p->add_prefix_space = hf_bool(l, j, "add_prefix_space", 1)) <
		    0 || (p->use_regex = hf_bool(l, j, "use_regex", 1)) < 0)
			return -1;
		if (h->npre > 0 && i == 0 && h->npre != 1 &&
		    0)	/* position checked after the whole list */
			return -1;
	} else if (strcmp(type, "Metaspace") == 0) {
		p->kind = HP_METASPACE;
		s = hf_str(l, j, "replacement", &bad);
		if (bad)
			return -1;
		p->str = xstrdup(s != NULL ? s : "\xe2\x96\x81");
		p->strlen = strlen(p->str);
		if (prepend_scheme(l, j, &p->prepend) < 0 ||
		    (p->split = hf_bool(l, j, "split", 1)) < 0)
			return -1;
	} else if (strcmp(type, "Whitespace") == 0)
		p->kind = HP_WHITESPACE;
	else if (strcmp(type, "WhitespaceSplit") == 0)
		p->kind = HP_WSSPLIT;
	else if (strcmp(type, "BertPreTokenizer") == 0)
		p->kind = HP_BERT;
	else if (strcmp(type, "Punctuation") == 0) {
		p->kind = HP_PUNCT;
		if (behavior(l, j, &p->behavior, HB_ISOLATED) < 0)
			return -1;
	} else if (strcmp(type, "Digits") == 0) {
		p->kind = HP_DIGITS;
		if ((v = hf_bool(l, j, "individual_digits", 0)) < 0)
			return -1;
		p->individual = v;
	} else if (strcmp(type, "CharDelimiterSplit") == 0) {
		p->kind = HP_CHARDELIM;
		if ((s = hf_str(l, j, "delimiter", &bad)) == NULL || *s == '\0')
			return bad ? -1 : hf_fail(l, "delimiter: missing");
		p->str = xstrdup(s);
		p->strlen = strlen(s);
	} else
		return hf_fail(l, "type \"%s\" is not supported", type);
	return 0;
}

int
hf_load_pre(struct hf_ld *l, struct hf *h, const struct json *j)
{
	size_t n = hf_enter(l, "pre_tokenizer", 0), i;

	if (add_pre(l, h, j) < 0)
		return -1;
	/* ByteLevel maps bytes to characters: nothing may come after it
	 * (the vocabulary is held as bytes) */
	for (i = 0; i + 1 < h->npre; i++)
		if (h->pre[i].kind == HP_BYTELEVEL)
			return hf_fail(l, "a pre-tokenizer after ByteLevel is not "
			    "supported");
	hf_leave(l, n);
	return 0;
}

int
hf_has_bytelevel(const struct json *pre)
{
	const char *type = hf_type(pre);
	const struct json *m;

	if (type == NULL)
		return 0;
	if (strcmp(type, "ByteLevel") == 0)
		return 1;
	if (strcmp(type, "Sequence") == 0)
		JSON_EACH(m, json_get(pre, "pretokenizers"))
			if (hf_has_bytelevel(m))
				return 1;
	return 0;
}

static void
push_ids(uint32_t **a, size_t *n, uint32_t id)
{
	*a = xreallocarray(*a, *n + 1, sizeof(**a));
	(*a)[(*n)++] = id;
}

/* ["[SEP]", 102]: the ID (of the vocabulary, checked) */
static int
pair_id(struct hf_ld *l, const struct json *j, const char *key, uint32_t *id)
{
	const struct json *p = json_get(j, key);
	uint64_t v;

	if (json_type(p) != JSON_ARRAY || json_size(p) != 2 ||
	    json_string(json_at(p, 0)) == NULL ||
	    json_count(json_at(p, 1), &v) < 0 || v >= UINT32_MAX) {
		size_t n = hf_enter(l, key, 0);

		hf_fail(l, "not [\"token\", ID]");
		hf_leave(l, n);
		return -1;
	}
	*id = (uint32_t)v;
	return 0;
}

/* TemplateProcessing's single template */
static int
template(struct hf_ld *l, struct hf *h, const struct json *j)
{
	const struct json *single = json_get(j, "single"), *sp, *m;
	int seen = 0;
	long i = 0;

	sp = json_get(j, "special_tokens");
	if (json_type(single) != JSON_ARRAY)
		return hf_fail(l, "single: not an array");
	JSON_EACH(m, single) {
		const struct json *st = json_get(m, "SpecialToken"), *ids, *x;
		const char *name;

		if (json_get(m, "Sequence") != NULL) {
			const char *id = json_string(json_get(json_get(m,
			    "Sequence"), "id"));

			if (id == NULL || strcmp(id, "A") != 0)
				return hf_fail(l, "single[%ld]: a Sequence other "
				    "than A", i);
			seen++;
		} else if (st != NULL &&
		    (name = json_string(json_get(st, "id"))) != NULL) {
			ids = json_get(json_get(sp, name), "ids");
			if (json_type(ids) != JSON_ARRAY)
				return hf_fail(l, "special_tokens: no ids for "
				    "\"%s\"", name);
			JSON_EACH(x, ids) {
				uint64_t v;

				if (json_count(x, &v) < 0 || v >= UINT32_MAX)
					return hf_fail(l, "special_tokens.%s.ids: "
					    "not IDs", name);
				if (seen)
					push_ids(&h->eos, &h->neos, (uint32_t)v);
				else
					push_ids(&h->bos, &h->nbos, (uint32_t)v);
			}
		} else
			return hf_fail(l, "single[%ld]: not a SpecialToken nor a "
			    "Sequence", i);
		i++;
	}
	if (seen != 1)
		return hf_fail(l, "single: $A must appear once");
	return 0;
}

static int
one_post(struct hf_ld *l, struct hf *h, const struct json *j)
{
	const char *type = hf_type(j);
	const struct json *m;
	uint32_t cls, sep;
	long i = 0;

	if (type == NULL)
		return hf_fail(l, "no \"type\"");
	if (strcmp(type, "TemplateProcessing") == 0)
		return template(l, h, j);
	if (strcmp(type, "BertProcessing") == 0 ||
	    strcmp(type, "RobertaProcessing") == 0) {
		if (pair_id(l, j, "cls", &cls) < 0 ||
		    pair_id(l, j, "sep", &sep) < 0)
			return -1;
		push_ids(&h->bos, &h->nbos, cls);
		push_ids(&h->eos, &h->neos, sep);
		return 0;
	}
	if (strcmp(type, "ByteLevel") == 0)
		return 0;	/* offsets only */
	if (strcmp(type, "Sequence") == 0) {
		JSON_EACH(m, json_get(j, "processors")) {
			size_t n = hf_enter(l, "processors", 0), k;

			k = strlen(l->path);
			snprintf(l->path + k, sizeof(l->path) - k, "[%ld]", i++);
			if (one_post(l, h, m) < 0)
				return -1;
			hf_leave(l, n);
		}
		return 0;
	}
	return hf_fail(l, "type \"%s\" is not supported", type);
}

int
hf_load_post(struct hf_ld *l, struct hf *h, const struct json *j)
{
	size_t n = hf_enter(l, "post_processor", 0);

	if (one_post(l, h, j) < 0)
		return -1;
	hf_leave(l, n);
	return 0;
}

static int
one_decoder(struct hf_ld *l, struct hf *h, const struct json *j)
{
	const char *type = hf_type(j), *s, *c;
	struct hf_dec *d;
	const struct json *m;
	int bad = 0, isre;
	long i = 0;
	double v;

	if (type == NULL)
		return hf_fail(l, "no \"type\"");
	if (strcmp(type, "Sequence") == 0) {
		JSON_EACH(m, json_get(j, "decoders")) {
			size_t n = hf_enter(l, "decoders", 0), k;

			k = strlen(l->path);
			snprintf(l->path + k, sizeof(l->path) - k, "[%ld]", i++);
			if (one_decoder(l, h, m) < 0)
				return -1;
			hf_leave(l, n);
		}
		return 0;
	}
	h->dec = xreallocarray(h->dec, h->ndec + 1, sizeof(*h->dec));
	d = &h->dec[h->ndec++];
	memset(d, 0, sizeof(*d));
	if (strcmp(type, "ByteLevel") == 0)
		d->kind = HD_BYTELEVEL;
	else if (strcmp(type, "ByteFallback") == 0)
		d->kind = HD_BYTEFALLBACK;
	else if (strcmp(type, "Fuse") == 0)
		d->kind = HD_FUSE;
	else if (strcmp(type, "Metaspace") == 0) {
		d->kind = HD_METASPACE;
		s = hf_str(l, j, "replacement", &bad);
		if (bad || prepend_scheme(l, j, &d->prepend) < 0)
			return -1;
		d->a = xstrdup(s != NULL ? s : "\xe2\x96\x81");
		d->alen = strlen(d->a);
	} else if (strcmp(type, "WordPiece") == 0) {
		d->kind = HD_WORDPIECE;
		s = hf_str(l, j, "prefix", &bad);
		if (bad || (d->cleanup = hf_bool(l, j, "cleanup", 1)) < 0)
			return -1;
		d->a = xstrdup(s != NULL ? s : "##");
		d->alen = strlen(d->a);
	} else if (strcmp(type, "BPEDecoder") == 0) {
		d->kind = HD_BPE;
		s = hf_str(l, j, "suffix", &bad);
		if (bad)
			return -1;
		d->a = xstrdup(s != NULL ? s : "</w>");
		d->alen = strlen(d->a);
	} else if (strcmp(type, "Strip") == 0) {
		d->kind = HD_STRIP;
		s = hf_str(l, j, "content", &bad);
		if (bad || s == NULL)
			return bad ? -1 : hf_fail(l, "content: missing");
		d->a = xstrdup(s);
		d->alen = strlen(s);
		if (json_number(json_get(j, "start"), &v) < 0)
			return hf_fail(l, "start: not a number");
		d->start = (int)v;
		if (json_number(json_get(j, "stop"), &v) < 0)
			return hf_fail(l, "stop: not a number");
		d->stop = (int)v;
	} else if (strcmp(type, "Replace") == 0) {
		d->kind = HD_REPLACE;
		if ((s = pattern(l, j, &isre)) == NULL)
			return -1;
		if (isre)
			return hf_fail(l, "pattern: a Regex in Replace is not "
			    "supported");
		if ((c = hf_str(l, j, "content", &bad)) == NULL)
			return bad ? -1 : hf_fail(l, "content: missing");
		d->a = xstrdup(s);
		d->alen = strlen(s);
		d->b = xstrdup(c);
		d->blen = strlen(c);
	} else
		return hf_fail(l, "type \"%s\" is not supported", type);
	return 0;
}

int
hf_load_decoder(struct hf_ld *l, struct hf *h, const struct json *j)
{
	size_t n = hf_enter(l, "decoder", 0);

	if (one_decoder(l, h, j) < 0)
		return -1;
	hf_leave(l, n);
	return 0;
}
