/* See LICENSE file for copyright and license details. */
/*
 * Hierarchical softmax's tree (huff_make in trainstep.c) for counts in
 * any row order: a vocabulary comes by count descending, token IDs
 * (emb-train --ids) do not.  For the same counts descending, ascending
 * and shuffled, every row must get the same code length, the codes must
 * fill the tree (Kraft sum 1) and be prefix-free, and the mean code
 * length must be within one bit of the counts' entropy (Huffman's
 * bound).  Rows never seen (count 0, IDs a corpus lacks) must not make
 * the codes longer than MAXCODE.  Exit 0 when all hold.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "trainstep.h"
#include "util.h"

#define V	3000

static int fails;

static void
check(const char *what, int cond)
{
	if (!cond) {
		fprintf(stderr, "hufftest: FAIL %s\n", what);
		fails++;
	}
}

/* codes a and b: is one a prefix of the other? */
static int
prefix(const struct huff *h, size_t a, size_t b)
{
	size_t n = h->len[a] < h->len[b] ? h->len[a] : h->len[b];

	return memcmp(h->code + a * MAXCODE, h->code + b * MAXCODE, n) == 0;
}

/* the tree of count[perm[i]] at row i; lens[perm[i]] gets row i's length */
static void
tree(const char *name, const int64_t *count, const size_t *perm,
    unsigned *lens)
{
	int64_t *c = xreallocarray(NULL, V, sizeof(*c));
	struct huff h;
	struct emb_err e;
	double kraft = 0, mean = 0, ent = 0, tot = 0;
	size_t i, j, bad = 0;
	char msg[1100];

	for (i = 0; i < V; i++) {
		c[i] = count[perm[i]];
		tot += (double)c[i];
	}
	if (huff_make(&h, c, V, &e) < 0) {
		snprintf(msg, sizeof(msg), "%s: %s", name, e.msg);
		check(msg, 0);
		free(c);
		return;
	}
	for (i = 0; i < V; i++) {
		double p = (double)c[i] / tot;

		lens[perm[i]] = h.len[i];
		kraft += ldexp(1, -(int)h.len[i]);
		mean += p * h.len[i];
		if (p > 0)
			ent -= p * log2(p);
	}
	/* prefix-free: no code is a prefix of another (sampled pairs) */
	for (i = 0; i < V; i += 7)
		for (j = i + 1; j < V; j += 13)
			bad += prefix(&h, i, j);
	snprintf(msg, sizeof(msg), "%s: Kraft sum %.6f", name, kraft);
	check(msg, fabs(kraft - 1) < 1e-9);
	snprintf(msg, sizeof(msg), "%s: mean length %.3f, entropy %.3f",
	    name, mean, ent);
	check(msg, mean >= ent - 1e-9 && mean < ent + 1);
	snprintf(msg, sizeof(msg), "%s: %zu codes a prefix of another", name,
	    bad);
	check(msg, bad == 0);
	huff_free(&h);
	free(c);
}

int
main(void)
{
	int64_t count[V];
	size_t perm[V], i;
	unsigned desc[V], asc[V], shuf[V];
	uint64_t s = 7;

	/* a Zipf law, as a vocabulary's, without ties: descending by row */
	for (i = 0; i < V; i++) {
		count[i] = (int64_t)(1e7 / (double)(i + 1)) + V - (int64_t)i;
		perm[i] = i;
	}
	tree("descending", count, perm, desc);
	for (i = 0; i < V; i++)
		perm[i] = V - 1 - i;
	tree("ascending", count, perm, asc);
	for (i = V - 1; i > 0; i--) {
		size_t j, t;

		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		j = (size_t)(s >> 33) % (i + 1);
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	tree("shuffled", count, perm, shuf);
	for (i = 0; i < V; i++)
		if (asc[i] != desc[i] || shuf[i] != desc[i])
			break;
	check("the same code lengths in every row order", i == V);
	/* two thirds of the rows never seen, as a tokenizer's IDs */
	for (i = 0; i < V; i++)
		count[i] = i < V / 3 ? count[i] : 0;
	tree("zero counts, shuffled", count, perm, shuf);
	for (i = 0; i < V; i++)
		perm[i] = i;
	tree("zero counts, descending", count, perm, desc);
	for (i = 0; i < V / 3; i++)
		if (shuf[i] != desc[i])
			break;
	check("zero counts: the same code lengths", i == V / 3);
	for (i = 0; i < V; i++)
		if (desc[i] > MAXCODE || shuf[i] > MAXCODE)
			break;
	check("zero counts: no code longer than MAXCODE", i == V);
	if (fails == 0)
		printf("hufftest: %d rows, mean code length as Huffman's in "
		    "any row order\n", V);
	return fails != 0;
}
