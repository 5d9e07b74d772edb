/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "src.h"
#include "tiktoken.h"
#include "unicode.h"
#include "util.h"

/* tiktoken's openai_public.py */
static const struct tiktoken_special sp_gpt2[] = {
	{ "<|endoftext|>", 50256 },
};
static const struct tiktoken_special sp_p50k_edit[] = {
	{ "<|endoftext|>", 50256 }, { "<|fim_prefix|>", 50281 },
	{ "<|fim_middle|>", 50282 }, { "<|fim_suffix|>", 50283 },
};
static const struct tiktoken_special sp_cl100k[] = {
	{ "<|endoftext|>", 100257 }, { "<|fim_prefix|>", 100258 },
	{ "<|fim_middle|>", 100259 }, { "<|fim_suffix|>", 100260 },
	{ "<|endofprompt|>", 100276 },
};
static const struct tiktoken_special sp_o200k[] = {
	{ "<|endoftext|>", 199999 }, { "<|endofprompt|>", 200018 },
};

#define NSP(a) (sizeof(a) / sizeof(a[0]))
static const struct tiktoken_enc encodings[] = {
	{ "gpt2", PRETOK_GPT2, 50256, 50257, sp_gpt2, NSP(sp_gpt2) },
	{ "r50k_base", PRETOK_GPT2, 50256, 50257, sp_gpt2, NSP(sp_gpt2) },
	{ "p50k_base", PRETOK_GPT2, 50280, 50281, sp_gpt2, NSP(sp_gpt2) },
	{ "p50k_edit", PRETOK_GPT2, 50280, 50284, sp_p50k_edit,
	    NSP(sp_p50k_edit) },
	{ "cl100k_base", PRETOK_CL100K, 100256, 100277, sp_cl100k,
	    NSP(sp_cl100k) },
	{ "o200k_base", PRETOK_O200K, 199998, 200019, sp_o200k, NSP(sp_o200k) },
};
#define NENC (sizeof(encodings) / sizeof(encodings[0]))

const struct tiktoken_enc *
tiktoken_encoding(const char *name)
{
	size_t i;

	for (i = 0; i < NENC; i++)
		if (strcmp(encodings[i].name, name) == 0)
			return &encodings[i];
	return NULL;
}

const char *
tiktoken_names(void)
{
	return "gpt2, r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base";
}

static int
b64val(unsigned c)
{
	if (c >= 'A' && c <= 'Z')
		return (int)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (int)(c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (int)(c - '0' + 52);
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* standard base64 with padding: the length, or -1 */
static long
b64decode(const char *s, size_t n, unsigned char *out)
{
	size_t i, o = 0;
	uint32_t acc = 0;
	int bits = 0, v, pad = 0;

	if (n == 0 || n % 4 != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '=') {
			if (i + 2 < n || (i + 1 < n && s[i + 1] != '='))
				return -1;
			pad++;
			continue;
		}
		if (pad || (v = b64val((unsigned char)s[i])) < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (pad > 2)
		return -1;
	return (long)o;
}

struct bpe *
tiktoken_load(const char *path, struct emb_err *e)
{
	struct src s;
	struct bpe *b;
	char *line, *sp, *end;
	ssize_t n;
	unsigned char tok[1024];

	if (src_open(&s, path, e) < 0)
		return NULL;
	b = bpe_new(BPE_RANKS, 1);
	b->whole_first = 1;
	while ((n = src_getline(&s, &line, e)) >= 0) {
		unsigned long rank;
		long tl;
		int r;

		if (n == 0)
			continue;
		sp = memchr(line, ' ', (size_t)n);
		if (sp == NULL) {
			err_set(e, s.name, s.line, "expected \"base64 rank\"");
			goto fail;
		}
		if ((size_t)(sp - line) > sizeof(tok) * 4 / 3 ||
		    (tl = b64decode(line, (size_t)(sp - line), tok)) <= 0) {
			err_set(e, s.name, s.line, "bad base64 token \"%.*s\"",
			    (int)(sp - line < 40 ? sp - line : 40), line);
			goto fail;
		}
		errno = 0;
		rank = strtoul(sp + 1, &end, 10);
		if (sp[1] < '0' || sp[1] > '9' || *end != '\0' || errno != 0 ||
		    rank >= UINT32_MAX - 1024) {
			err_set(e, s.name, s.line, "bad rank \"%s\"", sp + 1);
			goto fail;
		}
		if ((r = bpe_add(b, tok, (size_t)tl, (uint32_t)rank)) == -2) {
			err_set(e, s.name, s.line, "rank %lu given twice", rank);
			goto fail;
		} else if (r == -1) {
			err_set(e, s.name, s.line, "token \"%.*s\" given twice",
			    (int)(sp - line), line);
			goto fail;
		}
	}
	if (n == -2)
		goto fail;
	if (b->count == 0) {
		err_set(e, s.name, 0, "no tokens");
		goto fail;
	}
	src_close(&s);
	bpe_finish(b);
	return b;
fail:
	src_close(&s);
	bpe_free(b);
	return NULL;
}

const struct tiktoken_enc *
tiktoken_guess(const char *path, const struct bpe *b)
{
	const char *base = strrchr(path, '/');
	size_t i, bl;

	base = base != NULL ? base + 1 : path;
	bl = strcspn(base, ".");
	for (i = 1; i < NENC; i++)
		if (strlen(encodings[i].name) == bl &&
		    strncmp(encodings[i].name, base, bl) == 0)
			return &encodings[i];
	for (i = 1; i < NENC; i++)
		if (encodings[i].nranks == b->count &&
		    b->size == encodings[i].nranks &&
		    strcmp(encodings[i].name, "p50k_edit") != 0)
			return &encodings[i];
	return NULL;
}

/*
 * bytes_to_unicode: the printable bytes ('!'..'~', 0xA1..0xAC,
 * 0xAE..0xFF) stand for themselves; the 68 others, in order (0x00..0x20,
 * 0x7F..0xA0, 0xAD), for U+0100 onwards.
 */
static int
printable(unsigned c)
{
	return (c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) ||
	    (c >= 0xAE && c <= 0xFF);
}

uint32_t
gpt2_byte_char(unsigned c)
{
	if (printable(c))
		return c;
	if (c <= 0x20)
		return 256 + c;
	if (c >= 0x7F && c <= 0xA0)
		return 256 + 33 + (c - 0x7F);
	return 256 + 67;	/* 0xAD */
}

/* the byte a character stands for, or -1 */
static int
byte_of(uint32_t cp)
{
	if (cp < 256)
		return printable(cp) ? (int)cp : -1;
	if (cp <= 256 + 32)
		return (int)(cp - 256);
	if (cp <= 256 + 66)
		return (int)(cp - 256 - 33 + 0x7F);
	return cp == 256 + 67 ? 0xAD : -1;
}

long
gpt2_unmap(const char *s, size_t n, unsigned char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, l;
	int c;

	if (uni_valid(u, n) != n)
		return -1;
	while (i < n) {
		if ((c = byte_of(uni_decode(u + i, &l))) < 0)
			return -1;
		out[o++] = (unsigned char)c;
		i += l;
	}
	return (long)o;
}

/* the bytes a vocabulary token stands for, in buf (or the token itself) */
static const char *
token_bytes(const char *s, size_t n, int bytelevel, unsigned char *buf,
    size_t cap, size_t *len)
{
	long l;

	if (bytelevel && n <= cap && (l = gpt2_unmap(s, n, buf)) > 0) {
		*len = (size_t)l;
		return (const char *)buf;
	}
	*len = n;
	return s;
}

int
gpt2_vocab(struct bpe *b, const struct json *vocab, int bytelevel,
    const char *name, struct emb_err *e)
{
	const struct json *m;
	unsigned char buf[1024];

	if (json_type(vocab) != JSON_OBJECT) {
		err_set(e, name, 0, "the vocabulary is not a JSON object of "
		    "token: ID");
		return -1;
	}
	JSON_EACH(m, vocab) {
		const char *tok = json_key(m), *p;
		uint64_t id;
		size_t len;
		int r;

		if (json_count(m, &id) < 0 || id >= UINT32_MAX - 1024) {
			err_set(e, name, 0, "token \"%s\": ID is not a whole "
			    "number below 2^32", tok);
			return -1;
		}
		if (tok[0] == '\0') {
			err_set(e, name, 0, "an empty token (ID %lu)",
			    (unsigned long)id);
			return -1;
		}
		p = token_bytes(tok, strlen(tok), bytelevel, buf, sizeof(buf),
		    &len);
		if ((r = bpe_add(b, p, len, (uint32_t)id)) == -1) {
			err_set(e, name, 0, "token \"%s\" given twice", tok);
			return -1;
		} else if (r == -2) {
			err_set(e, name, 0, "ID %lu given twice (token \"%s\")",
			    (unsigned long)id, tok);
			return -1;
		}
	}
	return 0;
}

int
gpt2_merge(struct bpe *b, const char *a, size_t al, const char *c,
    size_t cl, int bytelevel, const char *where, struct emb_err *e)
{
	unsigned char ba[512], bc[512];
	const char *pa, *pc;
	size_t la, lc;
	int which;

	pa = token_bytes(a, al, bytelevel, ba, sizeof(ba), &la);
	pc = token_bytes(c, cl, bytelevel, bc, sizeof(bc), &lc);
	if (bpe_merge_tokens(b, pa, la, pc, lc, &which) == 0)
		return 0;
	if (which == 3)
		err_set(e, NULL, 0, "%s: merge \"%.*s %.*s\": the merged token "
		    "is not in the vocabulary", where, (int)al, a, (int)cl, c);
	else
		err_set(e, NULL, 0, "%s: merge \"%.*s %.*s\": \"%.*s\" is not "
		    "in the vocabulary", where, (int)al, a, (int)cl, c,
		    which == 1 ? (int)al : (int)cl, which == 1 ? a : c);
	return -1;
}

struct bpe *
gpt2_load(const char *vocab, const char *merges, struct emb_err *e)
{
	struct json *root = NULL;
	struct bpe *b = bpe_new(BPE_MERGES, 1);
	struct src s;
	char *line, where[64];
	ssize_t n;
	int opened = 0;

	if (json_load(&root, vocab, e) != 0 ||
	    gpt2_vocab(b, root, 1, vocab, e) < 0)
		goto fail;
	json_free(root);
	root = NULL;
	if (src_open(&s, merges, e) < 0)
		goto fail;
	opened = 1;
	while ((n = src_getline(&s, &line, e)) >= 0) {
		char *sp;

		if (n == 0 || (s.line == 1 && strncmp(line, "#version", 8) == 0))
			continue;
		sp = memchr(line, ' ', (size_t)n);
		if (sp == NULL || sp == line || sp + 1 == line + n ||
		    memchr(sp + 1, ' ', (size_t)(line + n - sp - 1)) != NULL) {
			err_set(e, s.name, s.line, "expected a merge \"a b\"");
			goto fail;
		}
		snprintf(where, sizeof(where), "%zu", s.line);
		if (gpt2_merge(b, line, (size_t)(sp - line), sp + 1,
		    (size_t)(line + n - sp - 1), 1, where, e) < 0) {
			struct emb_err e2;

			err_set(&e2, s.name, s.line, "%s", e->msg + strlen(where) +
			    2);
			*e = e2;
			goto fail;
		}
	}
	if (n == -2)
		goto fail;
	src_close(&s);
	bpe_finish(b);
	return b;
fail:
	if (opened)
		src_close(&s);
	json_free(root);
	bpe_free(b);
	return NULL;
}
