/* See LICENSE file for copyright and license details. */
/*
 * The hand-written pre-tokenizer scanners must split every text exactly
 * as a backtracking regex engine does with the same pattern.  Checked
 * here against PCRE2 running the pattern (wrapped in a group so that it
 * is not recognised as a known one), over random strings drawn from the
 * characters where the patterns' alternatives meet: white space of every
 * kind, contractions in both cases, digits of several scripts, marks,
 * letters of each category (some new in Unicode 16), and symbols.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pretok.h"
#include "rng.h"
#include "unicode.h"

static const uint32_t alphabet[] = {
	' ', ' ', ' ', '\t', '\n', '\n', '\r', '\'', '\'', 's', 'S', 't', 'T',
	'l', 'L', 'e', 'E', 'v', 'r', 'd', 'm', 'M', 'a', 'Z', 'x', '0', '1',
	'9', '/', '.', '!', ',', '-', '_', '"', 0, 0x0b, 0x0c, 0x1f,
	0xA0, 0x180E, 0x2009, 0x3000, 0xFEFF, 0x200B, 0x85, 0x2028,
	0xE9, 0x301, 0x17F, 0x4E2D, 0x1C5, 0x2B0, 0x5D0, 0x663, 0x216B, 0xBD,
	0x1F600, 0x200D, 0x1F3FB, 0xFFFD, 0x10D50, 0x10D70, 0x1E5D0,
	0x11BC0, 0x16D40, 0xE000, 0x903, 0x20DD, 0x2E3B, 0x00AD,
};

static unsigned long nchecked, nfailed;

static void
show(const char *what, const unsigned char *s, size_t n)
{
	size_t i;

	fprintf(stderr, "%s:", what);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %02x", s[i]);
	fprintf(stderr, "\n");
}

static void
check(enum pretok_kind kind, struct pretok *re, void *st,
    const unsigned char *s, size_t n)
{
	size_t i = 0, ms, me;

	nchecked++;
	while (i < n) {
		size_t e = pretok_scan(kind, s, n, i);
		int r = pretok_find(re, st, s, n, i, &ms, &me);

		if (r != 1 || ms != i || me != e) {
			if (nfailed++ < 10) {
				fprintf(stderr, "pretoktest: kind %d at %zu: "
				    "scanner ends at %zu, PCRE2 %d [%zu, %zu)\n",
				    (int)kind, i, e, r, ms, me);
				show("text", s, n);
			}
			return;
		}
		i = e;
	}
}

int
main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	enum pretok_kind k;
	struct rng r;
	struct emb_err e;
	unsigned char s[400];
	unsigned long it;

	rng_seed(&r, 12, 0);
	for (k = PRETOK_GPT2; k <= PRETOK_O200K; k++) {
		const char *pat = pretok_pattern(k);
		char *wrapped = malloc(strlen(pat) + 8);
		struct pretok *re;
		void *st;

		sprintf(wrapped, "(?:%s)", pat);
		if ((re = pretok_new(wrapped, strlen(wrapped), &e)) == NULL) {
			fprintf(stderr, "pretoktest: %s\n", e.msg);
			return 1;
		}
		if (pretok_kind(re) != PRETOK_REGEX) {
			fprintf(stderr, "pretoktest: wrapped pattern taken "
			    "as known\n");
			return 1;
		}
		st = pretok_state(re);
		for (it = 0; it < iters; it++) {
			size_t n = 0, len = rng_below(&r, 24), j;
			size_t na = sizeof(alphabet) / sizeof(alphabet[0]);

			for (j = 0; j < len; j++)
				n += uni_encode(alphabet[rng_below(&r, na)], s + n);
			check(k, re, st, s, n);
		}
		/* long runs: one class repeated, with the other at the end */
		for (it = 0; it < 2000; it++) {
			size_t n = 0, len = 1 + rng_below(&r, 90), j;
			size_t na = sizeof(alphabet) / sizeof(alphabet[0]);
			uint32_t a = alphabet[rng_below(&r, na)];
			uint32_t b = alphabet[rng_below(&r, na)];

			for (j = 0; j < len; j++)
				n += uni_encode(rng_below(&r, 8) ? a : b, s + n);
			check(k, re, st, s, n);
		}
		pretok_state_free(st);
		pretok_free(re);
		free(wrapped);
	}
	printf("pretoktest: %lu texts, %lu differ\n", nchecked, nfailed);
	return nfailed != 0;
}
