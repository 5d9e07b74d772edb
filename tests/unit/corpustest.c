/* See LICENSE file for copyright and license details. */
/*
 * corpus_read of one plain file in parts, on one thread and on several,
 * against the same file read as a stream (corpus_read_srcs, read_src's
 * word by word): the same vocabulary (tokens, order, counts), the same
 * IDs with the same ends of sentence, the same totals and return value,
 * for random texts made to catch the cuts between parts (runs of every
 * white space byte, newlines at the cuts, empty lines, a byte-order
 * mark, words seen once that min-count drops, no word at all) and the
 * word scanner and the tally (control and high bytes inside words,
 * words longer than 8 and 16 bytes that share their first bytes), and
 * every text of up to 5 bytes of two words, a blank and a newline, cut
 * everywhere.
 *
 * usage: corpustest FILE [N]   (a scratch file, written and removed; N
 * texts, default 500)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "src.h"
#include "tally.h"
#include "vocab.h"

static int fails;

static void
check(int ok, const char *what, unsigned seed, int nt)
{
	if (!ok && fails++ < 10)
		fprintf(stderr, "corpustest: text %u, %d threads: %s\n", seed,
		    nt, what);
}

static uint64_t rs;

static unsigned
rnd(unsigned n)
{
	rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rs >> 33) % n);
}

/* a random text of about len bytes into path */
static void
make_text(const char *path, size_t len)
{
	static const char sp[] = " \t\n\r\v\f";
	FILE *f = fopen(path, "wb");
	size_t n = 0;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	if (rnd(8) == 0)
		fputs("\xef\xbb\xbf", f);
	while (n < len) {
		unsigned k, w = rnd(4) == 0 ? rnd(5) : 0;

		/* white space: mostly one blank, sometimes a run */
		for (k = 0; k <= w; k++, n++)
			fputc(rnd(3) ? ' ' : sp[rnd(6)], f);
		if (rnd(40) == 0)
			continue;
		/* a word: common ones from a small set, some seen once */
		k = rnd(20);
		if (k < 2)
			n += (size_t)fprintf(f, "u%u_%u", rnd(100000), rnd(1000));
		else if (k == 2)	/* 9 to 20 bytes, a shared head */
			n += (size_t)fprintf(f, "prefixed%.*s", 1 + (int)rnd(12),
			    "abcdefghijkl" + rnd(2));
		else if (k == 3) {	/* bytes that are not white space */
			static const char odd[] = "\x01\x08\x0e\x1f\x7f\x80\xa0"
			    "\xff!";

			fputc(odd[rnd(sizeof(odd) - 1)], f);
			n += 1 + (size_t)fprintf(f, "%u", rnd(5));
			if (rnd(2))
				n++, fputc(odd[rnd(sizeof(odd) - 1)], f);
		} else
			n += (size_t)fprintf(f, "%c%u", 'a' + rnd(3), rnd(40));
	}
	fclose(f);
}

static void
compare(const struct corpus *a, int ra, const struct corpus *b, int rb,
    unsigned seed, int nt)
{
	size_t i;

	check(ra == rb, "return value", seed, nt);
	if (ra < 0 || rb < 0)
		return;
	check(a->n == b->n, "number of IDs", seed, nt);
	check(a->ntokens == b->ntokens, "tokens read", seed, nt);
	check(a->nwords == b->nwords, "words kept", seed, nt);
	check(a->vocab.n == b->vocab.n, "vocabulary size", seed, nt);
	if (a->n == b->n)
		check(a->n == 0 || memcmp(a->ids, b->ids, a->n *
		    sizeof(*a->ids)) == 0, "IDs", seed, nt);
	for (i = 0; i < a->vocab.n && i < b->vocab.n; i++) {
		size_t la, lb;
		const char *ta = vocab_token(&a->vocab, i, &la);
		const char *tb = vocab_token(&b->vocab, i, &lb);

		if (la != lb || memcmp(ta, tb, la) != 0 ||
		    a->vocab.count[i] != b->vocab.count[i]) {
			check(0, "vocabulary", seed, nt);
			break;
		}
	}
}

/*
 * The tally on its own: tokens that share their first 8 bytes and their
 * length (so that probes meet other tokens' slots with the same head),
 * tokens of every length up to 20 made of one byte, with NUL bytes:
 * each gets the next id, and counts add up
 */
static void
tally_check(void)
{
	struct tally t;
	char tok[32];
	size_t i, k, len;

	tally_init(&t);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 5000; i++) {
			len = (size_t)snprintf(tok, sizeof(tok), "prefixed%05zu",
			    i);
			check(tally_add(&t, tok, len, 1) == i, "tally: shared "
			    "heads", (unsigned)i, 1);
		}
		for (i = 0; i < 40; i++) {
			memset(tok, i < 20 ? 'x' : '\0', sizeof(tok));
			check(tally_add(&t, tok, i % 20 + 1, 2) == 5000 + i,
			    "tally: one byte", (unsigned)i, 1);
		}
	}
	check(t.v.n == 5040, "tally: tokens", 0, 1);
	for (i = 0; i < t.v.n; i++)
		check(t.v.count[i] == (i < 5000 ? 2 : 4), "tally: counts",
		    (unsigned)i, 1);
	tally_free(&t);
}

/* path read as a stream, word by word: the reference */
static int
serial(struct corpus *c, char *path, const struct corpus_opts *o)
{
	struct emb_err e;
	struct src s, *sp = &s;
	int r;

	corpus_init(c);
	if (src_open(&s, path, &e) < 0) {
		fprintf(stderr, "corpustest: %s\n", e.msg);
		exit(2);
	}
	r = corpus_read_srcs(c, &sp, 1, o, &e);
	src_close(&s);
	return r;
}

/* every text of up to 5 bytes of "a", "b", " ", "\n", every cut */
static void
exhaustive(char *path)
{
	static const char al[] = "ab \n";
	char *paths[1] = { path };
	unsigned code, len, i, x;

	for (len = 1; len <= 5; len++)
		for (code = 0; code < 1u << (2 * len); code++) {
			struct corpus_opts o;
			struct emb_err e;
			struct corpus one;
			FILE *f = fopen(path, "wb");
			int r1;

			for (i = 0, x = code; i < len; i++, x >>= 2)
				fputc(al[x & 3], f);
			fclose(f);
			corpus_opts_init(&o);
			o.min_count = 1;
			r1 = serial(&one, path, &o);
			for (o.threads = 1; o.threads <= 3; o.threads++)
				for (o.minpart = 1; o.minpart <= 2;
				    o.minpart++) {
					struct corpus many;
					int r;

					corpus_init(&many);
					r = corpus_read(&many, paths, 1, &o, &e);
					compare(&one, r1, &many, r, code,
					    o.threads);
					corpus_free(&many);
				}
			corpus_free(&one);
		}
}

int
main(int argc, char *argv[])
{
	static const int threads[] = { 1, 2, 3, 7 };
	unsigned seed, ntexts = argc > 2 ? (unsigned)atoi(argv[2]) : 500;
	char *paths[1];
	size_t t;

	if (argc < 2) {
		fprintf(stderr, "usage: corpustest FILE [N]\n");
		return 2;
	}
	paths[0] = argv[1];
	tally_check();
	exhaustive(argv[1]);
	for (seed = 1; seed <= ntexts; seed++) {
		struct corpus_opts o;
		struct emb_err e;
		struct corpus one;
		int r1;

		rs = seed;
		make_text(argv[1], seed % 50 == 0 ? rnd(4) : seed % 5 == 0 ?
		    1 + rnd(40) : 1 + rnd(3000));
		corpus_opts_init(&o);
		o.min_count = 1 + (long)rnd(3);
		r1 = serial(&one, argv[1], &o);
		for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
			struct corpus many;
			int r;

			o.threads = threads[t];
			o.minpart = 1 + rnd(seed % 5 == 0 ? 8 : 300);
			corpus_init(&many);
			r = corpus_read(&many, paths, 1, &o, &e);
			compare(&one, r1, &many, r, seed, o.threads);
			corpus_free(&many);
		}
		corpus_free(&one);
	}
	remove(argv[1]);
	if (fails > 0) {
		fprintf(stderr, "corpustest: %d failures\n", fails);
		return 1;
	}
	printf("corpustest: %u random texts and every short one, a stream "
	    "against parts on 1 to 7 threads: the same\n", ntexts);
	return 0;
}
