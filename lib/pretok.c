/* See LICENSE file for copyright and license details. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pretok.h"
#include "unicode.h"
#include "util.h"

struct pretok {
	enum pretok_kind kind;
	pcre2_code *re;		/* PRETOK_REGEX */
};

/* the patterns exactly as tiktoken's registry and the tokenizer.json
 * files of GPT-2, LLaMA-3, Qwen2 and GPT-4o spell them */
static const char *const known[] = {
	[PRETOK_GPT2] = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?"
	    "[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
	[PRETOK_CL100K] = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?"
	    "\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
	    "\\s+(?!\\S)|\\s+",
	[PRETOK_QWEN2] = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?"
	    "\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|"
	    "\\s+(?!\\S)|\\s+",
	[PRETOK_O200K] = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}"
	    "\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
	    "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+["
	    "\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	    "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|"
	    "\\s+(?!\\S)|\\s+",
};

const char *
pretok_pattern(enum pretok_kind kind)
{
	return kind == PRETOK_REGEX ? NULL : known[kind];
}

/*
 * The hand scanners.  Each returns the end of the leftmost-first match
 * that starts at i; every character is matched by some alternative of
 * these patterns, so a match always starts at i.  The comments give the
 * alternative and how a backtracking engine resolves it.
 */

#define L UNI_C_L
#define N UNI_C_N
#define WS UNI_C_WS
#define UP UNI_C_UP
#define LO UNI_C_LO

static inline unsigned
cls(const unsigned char *s, size_t p, size_t *len)
{
	if (s[p] < 0x80) {
		*len = 1;
		return uni_classes[s[p]];
	}
	return uni_classes[uni_decode(s + p, len)];
}

/* end of the run of characters whose class has a bit of mask */
static inline size_t
run(const unsigned char *s, size_t n, size_t p, unsigned mask)
{
	size_t l;

	while (p < n && (cls(s, p, &l) & mask))
		p += l;
	return p;
}

/* [^\s\p{L}\p{N}]+ from p (the first character is known to match) */
static inline size_t
run_other(const unsigned char *s, size_t n, size_t p)
{
	size_t l;

	while (p < n && !(cls(s, p, &l) & (WS | L | N)))
		p += l;
	return p;
}

/* a run of '\r' and '\n' (and '/' when slash) */
static inline size_t
run_crlf(const unsigned char *s, size_t n, size_t p, int slash)
{
	while (p < n && (s[p] == '\r' || s[p] == '\n' || (slash && s[p] == '/')))
		p++;
	return p;
}

/*
 * 's|'t|'re|'ve|'m|'ll|'d at p (s[p] == '\''): the end, or 0.  icase as
 * (?i:...): simple case folding, under which U+017F (long s) is an s.
 */
static size_t
contraction(const unsigned char *s, size_t n, size_t p, int icase)
{
	unsigned a, b;

	if (p + 1 >= n)
		return 0;
	a = s[p + 1];
	if (icase) {
		if (a == 0xC5 && p + 2 < n && s[p + 2] == 0xBF)
			return p + 3;
		if (a >= 'A' && a <= 'Z')
			a += 32;
	}
	if (a == 's' || a == 't' || a == 'm' || a == 'd')
		return p + 2;
	if (p + 2 >= n)
		return 0;
	b = s[p + 2];
	if (icase && b >= 'A' && b <= 'Z')
		b += 32;
	if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') ||
	    (a == 'l' && b == 'l'))
		return p + 3;
	return 0;
}

/*
 * \s+(?!\S)|\s+ at i (a white space character): the whole run when it
 * ends the text, else the run less its last character, else (one
 * character before a non-space) that character.
 */
static size_t
ws_tail(const unsigned char *s, size_t n, size_t i)
{
	size_t k = i, last = i, l;

	while (k < n && (cls(s, k, &l) & WS)) {
		last = k;
		k += l;
	}
	if (k == n || last == i)
		return k;
	return last;
}

/*
 * \s*[\r\n]+ at i (white space): through the last '\r' or '\n' of the
 * white space run (\s* gives characters back until [\r\n]+ can match;
 * the run's last newline is followed by no other), else 0; then
 * \s+(?!\S)|\s+.
 */
static size_t
ws_newline(const unsigned char *s, size_t n, size_t i)
{
	size_t k = i, nl = 0, l;

	while (k < n && (cls(s, k, &l) & WS)) {
		if (s[k] == '\r' || s[k] == '\n')
			nl = k + 1;
		k += l;
	}
	if (nl != 0)
		return nl;
	return ws_tail(s, n, i);
}

/*
 * The ASCII fast path of [^\r\n\p{L}\p{N}]?<word> at i, where word is
 * [A-Z]*[a-z]+ (o200k's lower word; lower set) or [A-Za-z]+ (\p{L}+):
 * its end when the word is ASCII letters followed by an ASCII byte or
 * the end, else 0 (the general scanner decides).  No ASCII letter is in
 * two of the classes (Lu, Ll) that the patterns tell apart.
 */
static inline size_t
ascii_word(const unsigned char *s, size_t n, size_t i, int lower)
{
	size_t p = i, q, r;
	unsigned c = s[i];

	if (c < 0x80 && c != '\r' && c != '\n' && c - '0' >= 10 &&
	    (c | 0x20) - 'a' >= 26)
		p = i + 1;
	q = p;
	if (lower) {
		while (q < n && (unsigned)s[q] - 'A' < 26)
			q++;
		r = q;
		while (r < n && (unsigned)s[r] - 'a' < 26)
			r++;
	} else {
		r = q;
		while (r < n && ((unsigned)s[r] | 0x20) - 'a' < 26)
			r++;
	}
	return r > q && (r == n || s[r] < 0x80) ? r : 0;
}

/* 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+ */
static size_t
scan_gpt2(const unsigned char *s, size_t n, size_t i)
{
	size_t j = i, l, e;
	unsigned c;

	if (s[i] == '\'' && (e = contraction(s, n, i, 0)) != 0)
		return e;
	if (s[i] == ' ' && i + 1 < n)
		j = i + 1;
	c = cls(s, j, &l);
	if (c & L)
		return run(s, n, j + l, L);
	if (c & N)
		return run(s, n, j + l, N);
	if (!(c & WS))
		return run_other(s, n, j + l);
	return ws_tail(s, n, i);
}

/*
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxd}|
 *  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 */
static size_t
scan_cl100k(const unsigned char *s, size_t n, size_t i, int maxd)
{
	size_t l, l2, e;
	unsigned c, c2;
	int k;

	if (s[i] == '\'' && (e = contraction(s, n, i, 1)) != 0)
		return e;
	if ((e = ascii_word(s, n, i, 0)) != 0)
		return e;
	c = cls(s, i, &l);
	if (c & L)
		return run(s, n, i + l, L);
	if (!(c & N) && s[i] != '\r' && s[i] != '\n' && i + l < n &&
	    (cls(s, i + l, &l2) & L))
		return run(s, n, i + l + l2, L);
	if (c & N) {
		e = i + l;
		for (k = 1; k < maxd && e < n && (cls(s, e, &l2) & N); k++)
			e += l2;
		return e;
	}
	if (s[i] == ' ' && i + 1 < n) {
		c2 = cls(s, i + 1, &l2);
		if (!(c2 & (WS | L | N)))
			return run_crlf(s, n, run_other(s, n, i + 1 + l2), 0);
	}
	if (!(c & WS))
		return run_crlf(s, n, run_other(s, n, i + l), 0);
	return ws_newline(s, n, i);
}

/*
 * [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ at p: the
 * first class's greedy run, then the second's run; when the second
 * cannot start there, the first gives back characters up to its last one
 * of the second class (which then ends the match).  0 when nothing fits.
 */
static size_t
o200k_lower(const unsigned char *s, size_t n, size_t p)
{
	size_t q = p, lastlo = 0, l = 0;
	unsigned c = 0;

	while (q < n) {
		c = cls(s, q, &l);
		if (!(c & UP))
			break;
		if (c & LO)
			lastlo = q + l;
		q += l;
	}
	if (q < n && (c & LO))
		return run(s, n, q + l, LO);
	return lastlo;
}

/* [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]* at p, or 0 */
static size_t
o200k_upper(const unsigned char *s, size_t n, size_t p)
{
	size_t q = run(s, n, p, UP);

	return q == p ? 0 : run(s, n, q, LO);
}

/* the optional (?i:'s|'t|'re|'ve|'m|'ll|'d) after a word ending at e */
static size_t
o200k_suffix(const unsigned char *s, size_t n, size_t e)
{
	size_t x;

	if (e < n && s[e] == '\'' && (x = contraction(s, n, e, 1)) != 0)
		return x;
	return e;
}

/*
 * [^\r\n\p{L}\p{N}]?<lower word>(?i:'s|...)?|[^\r\n\p{L}\p{N}]?<upper
 * word>(?i:'s|...)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|
 * \s+(?!\S)|\s+  (the optional first character is tried with, then
 * without)
 */
static size_t
scan_o200k(const unsigned char *s, size_t n, size_t i)
{
	size_t l, l2, e;
	unsigned c, c2;
	int pre, k;

	if ((e = ascii_word(s, n, i, 1)) != 0)
		return o200k_suffix(s, n, e);
	c = cls(s, i, &l);
	pre = !(c & (L | N)) && s[i] != '\r' && s[i] != '\n';
	if (pre && (e = o200k_lower(s, n, i + l)) != 0)
		return o200k_suffix(s, n, e);
	if ((c & (UP | LO)) && (e = o200k_lower(s, n, i)) != 0)
		return o200k_suffix(s, n, e);
	if (pre && (e = o200k_upper(s, n, i + l)) != 0)
		return o200k_suffix(s, n, e);
	if ((e = o200k_upper(s, n, i)) != 0)
		return o200k_suffix(s, n, e);
	if (c & N) {
		e = i + l;
		for (k = 1; k < 3 && e < n && (cls(s, e, &l2) & N); k++)
			e += l2;
		return e;
	}
	if (s[i] == ' ' && i + 1 < n) {
		c2 = cls(s, i + 1, &l2);
		if (!(c2 & (WS | L | N)))
			return run_crlf(s, n, run_other(s, n, i + 1 + l2), 1);
	}
	if (!(c & WS))
		return run_crlf(s, n, run_other(s, n, i + l), 1);
	return ws_newline(s, n, i);
}

size_t
pretok_scan(enum pretok_kind kind, const unsigned char *s, size_t n,
    size_t i)
{
	switch (kind) {
	case PRETOK_GPT2:
		return scan_gpt2(s, n, i);
	case PRETOK_CL100K:
		return scan_cl100k(s, n, i, 3);
	case PRETOK_QWEN2:
		return scan_cl100k(s, n, i, 1);
	case PRETOK_O200K:
		return scan_o200k(s, n, i);
	default:
		return n;
	}
}

#undef L
#undef N
#undef WS
#undef UP
#undef LO

/*
 * PCRE2 for other patterns.  Unicode classes are rewritten as explicit
 * ranges so that PCRE2's own (older) Unicode tables are never consulted
 * for them.
 */

struct buf {
	char *p;
	size_t n, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* a named class: which table bits (any of mask), or gc set (bit per gc) */
struct uclass {
	const char *name;
	unsigned mask;		/* class bits, or 0 */
	uint32_t gcs;		/* General_Category bits, or 0 */
};

#define G(x) ((uint32_t)1 << UNI_##x)
static const struct uclass uclasses[] = {
	{ "L", UNI_C_L, 0 }, { "Letter", UNI_C_L, 0 },
	{ "Lu", 0, G(LU) }, { "Uppercase_Letter", 0, G(LU) },
	{ "Ll", 0, G(LL) }, { "Lowercase_Letter", 0, G(LL) },
	{ "Lt", 0, G(LT) }, { "Titlecase_Letter", 0, G(LT) },
	{ "Lm", 0, G(LM) }, { "Modifier_Letter", 0, G(LM) },
	{ "Lo", 0, G(LO) }, { "Other_Letter", 0, G(LO) },
	{ "L&", 0, G(LU) | G(LL) | G(LT) }, { "LC", 0, G(LU) | G(LL) | G(LT) },
	{ "M", UNI_C_M, 0 }, { "Mark", UNI_C_M, 0 },
	{ "Mn", 0, G(MN) }, { "Mc", 0, G(MC) }, { "Me", 0, G(ME) },
	{ "N", UNI_C_N, 0 }, { "Number", UNI_C_N, 0 },
	{ "Nd", 0, G(ND) }, { "Nl", 0, G(NL) }, { "No", 0, G(NO) },
	{ "P", UNI_C_P, 0 }, { "Punctuation", UNI_C_P, 0 },
	{ "Pc", 0, G(PC) }, { "Pd", 0, G(PD) }, { "Ps", 0, G(PS) },
	{ "Pe", 0, G(PE) }, { "Pi", 0, G(PI) }, { "Pf", 0, G(PF) },
	{ "Po", 0, G(PO) },
	{ "S", UNI_C_S, 0 }, { "Symbol", UNI_C_S, 0 },
	{ "Sm", 0, G(SM) }, { "Sc", 0, G(SC) }, { "Sk", 0, G(SK) },
	{ "So", 0, G(SO) },
	{ "Z", 0, G(ZS) | G(ZL) | G(ZP) }, { "Separator", 0, G(ZS) | G(ZL) | G(ZP) },
	{ "Zs", 0, G(ZS) }, { "Zl", 0, G(ZL) }, { "Zp", 0, G(ZP) },
	{ "C", 0, G(CC) | G(CF) | G(CS) | G(CO) | G(CN) },
	{ "Cc", 0, G(CC) }, { "Cf", 0, G(CF) }, { "Co", 0, G(CO) },
	{ "Cn", 0, G(CN) },
	{ "White_Space", UNI_C_WS, 0 }, { "Alphabetic", UNI_C_ALPHA, 0 },
	/* the shorthands: Oniguruma's Unicode definitions */
	{ "\\s", UNI_C_WS, 0 }, { "\\d", 0, G(ND) },
	{ "\\w", UNI_C_L | UNI_C_M | UNI_C_N, G(PC) },
};
#undef G

static int
in_class(const struct uclass *u, uint32_t cp)
{
	unsigned c = uni_classes[cp];

	return (u->mask & c) != 0 ||
	    (u->gcs >> (c >> UNI_GC_SHIFT) & 1) != 0;
}

/* the ranges of u (or of its complement), surrogates left out */
static void
put_ranges(struct buf *b, const struct uclass *u, int neg)
{
	uint32_t cp = 0, lo;
	char tmp[40];

	while (cp <= UNI_MAX) {
		if ((cp >= 0xD800 && cp <= 0xDFFF) || in_class(u, cp) == neg) {
			cp++;
			continue;
		}
		lo = cp;
		while (cp + 1 <= UNI_MAX && !(cp + 1 >= 0xD800 && cp + 1 <= 0xDFFF)
		    && in_class(u, cp + 1) != neg)
			cp++;
		if (lo == cp)
			snprintf(tmp, sizeof(tmp), "\\x{%x}", (unsigned)lo);
		else
			snprintf(tmp, sizeof(tmp), "\\x{%x}-\\x{%x}", (unsigned)lo,
			    (unsigned)cp);
		put(b, tmp, strlen(tmp));
		cp++;
	}
}

static const struct uclass *
find_class(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(uclasses) / sizeof(uclasses[0]); i++)
		if (strlen(uclasses[i].name) == len &&
		    memcmp(uclasses[i].name, name, len) == 0)
			return &uclasses[i];
	return NULL;
}

/*
 * The escape at p[0] == '\\' when it names a class this library knows:
 * its class, *neg, and *elen the escape's length; else NULL.
 */
static const struct uclass *
class_escape(const char *p, size_t n, int *neg, size_t *elen)
{
	const char *name, *close;
	size_t nl;
	char c;

	if (n < 2)
		return NULL;
	c = p[1];
	if (strchr("sSdDwW", c) != NULL) {
		char sh[3] = { '\\', (char)(c | 0x20), '\0' };

		*neg = c >= 'A' && c <= 'Z';
		*elen = 2;
		return find_class(sh, 2);
	}
	if (c != 'p' && c != 'P')
		return NULL;
	*neg = c == 'P';
	if (n >= 3 && p[2] != '{') {
		name = p + 2;
		nl = 1;
		*elen = 3;
	} else {
		if (n < 4 || (close = memchr(p + 3, '}', n - 3)) == NULL)
			return NULL;
		name = p + 3;
		nl = (size_t)(close - name);
		*elen = (size_t)(close - p) + 1;
		if (nl > 0 && name[0] == '^') {
			*neg = !*neg;
			name++;
			nl--;
		}
	}
	return find_class(name, nl);
}

/* the pattern with its Unicode classes as explicit ranges */
static char *
rewrite(const char *pat, size_t len)
{
	struct buf b = { NULL, 0, 0 };
	int incls = 0, neg;
	size_t i = 0, el;
	const struct uclass *u;

	put(&b, "", 0);
	while (i < len) {
		if (pat[i] == '\\') {
			if ((u = class_escape(pat + i, len - i, &neg, &el)) != NULL) {
				if (!incls)
					put(&b, neg ? "[^" : "[", neg ? 2 : 1);
				put_ranges(&b, u, incls && neg);
				if (!incls)
					put(&b, "]", 1);
				i += el;
				continue;
			}
			put(&b, pat + i, i + 1 < len ? 2 : 1);
			i += 2;
			continue;
		}
		if (!incls && pat[i] == '[') {
			incls = 1;
			put(&b, pat + i, 1);
			i++;
			if (i < len && pat[i] == '^')
				put(&b, pat + i++, 1);
			if (i < len && pat[i] == ']')
				put(&b, pat + i++, 1);
			continue;
		}
		if (incls && pat[i] == '[' && i + 1 < len && pat[i + 1] == ':') {
			const char *e = strstr(pat + i, ":]");
			size_t k = e != NULL ? (size_t)(e - pat) + 2 : len;

			put(&b, pat + i, k - i);
			i = k;
			continue;
		}
		if (incls && pat[i] == ']')
			incls = 0;
		put(&b, pat + i, 1);
		i++;
	}
	return b.p;
}

struct pretok *
pretok_known(enum pretok_kind kind)
{
	struct pretok *p = xcalloc(1, sizeof(*p));

	uni_init();
	p->kind = kind;
	return p;
}

struct pretok *
pretok_new(const char *pattern, size_t len, struct emb_err *e)
{
	struct pretok *p;
	char *re;
	int code;
	PCRE2_SIZE off;
	int k;

	for (k = PRETOK_GPT2; k <= PRETOK_O200K; k++)
		if (strlen(known[k]) == len && memcmp(known[k], pattern, len) == 0)
			return pretok_known((enum pretok_kind)k);
	uni_init();
	p = xcalloc(1, sizeof(*p));
	p->kind = PRETOK_REGEX;
	re = rewrite(pattern, len);
	p->re = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	free(re);
	if (p->re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		err_set(e, NULL, 0, "bad regular expression: %s", (char *)msg);
		free(p);
		return NULL;
	}
	(void)pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);
	return p;
}

void
pretok_free(struct pretok *p)
{
	if (p == NULL)
		return;
	pcre2_code_free(p->re);
	free(p);
}

enum pretok_kind
pretok_kind(const struct pretok *p)
{
	return p->kind;
}

/* PCRE2's per-thread state: match data and a JIT stack that may grow */
struct pstate {
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *js;
};

void *
pretok_state(const struct pretok *p)
{
	struct pstate *st;

	if (p->kind != PRETOK_REGEX)
		return NULL;
	st = xcalloc(1, sizeof(*st));
	st->md = pcre2_match_data_create_from_pattern(p->re, NULL);
	st->mc = pcre2_match_context_create(NULL);
	st->js = pcre2_jit_stack_create(32 * 1024, 256 * 1024 * 1024, NULL);
	if (st->md == NULL || st->mc == NULL || st->js == NULL) {
		fputs("out of memory\n", stderr);
		exit(STATUS_FAIL);
	}
	pcre2_jit_stack_assign(st->mc, NULL, st->js);
	return st;
}

void
pretok_state_free(void *p)
{
	struct pstate *st = p;

	if (st == NULL)
		return;
	pcre2_match_data_free(st->md);
	pcre2_match_context_free(st->mc);
	pcre2_jit_stack_free(st->js);
	free(st);
}

int
pretok_find(const struct pretok *p, void *state, const unsigned char *s,
    size_t n, size_t from, size_t *ms, size_t *me)
{
	struct pstate *st = state;
	PCRE2_SIZE *ov;
	int rc;

	if (from >= n)
		return 0;
	if (p->kind != PRETOK_REGEX) {
		*ms = from;
		*me = pretok_scan(p->kind, s, n, from);
		return 1;
	}
	for (;;) {
		rc = pcre2_match(p->re, s, n, from, PCRE2_NO_UTF_CHECK, st->md,
		    st->mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc < 0)
			return -1;
		ov = pcre2_get_ovector_pointer(st->md);
		if (ov[1] > ov[0]) {
			*ms = ov[0];
			*me = ov[1];
			return 1;
		}
		/* an empty match: look again one character on */
		from = ov[0] + 1;
		while (from < n && (s[from] & 0xC0) == 0x80)
			from++;
		if (from >= n)
			return 0;
	}
}
