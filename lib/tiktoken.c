/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
