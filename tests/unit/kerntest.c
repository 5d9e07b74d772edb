/* See LICENSE file for copyright and license details. */
/*
 * The training kernels (trainkern.h) against a naive double-precision
 * reference, on every instruction set the CPU has: mean, dots, update
 * and addto, and CBOW's one-pass cbow_back against the update and addto
 * it replaces.  Sizes cover d 100 (7 vectors of 16), d 300 (19), one
 * vector, and the widths between; a context row given twice (a word
 * twice in a window) must get nb twice, a noise word drawn twice its two
 * updates.  Exit 0 when all agree within 1e-4 relative.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "trainkern.h"
#include "util.h"

#define MAXB	12
#define MAXK	10

static int fails;

static float
urand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (float)((double)(*s >> 11) / 9007199254740992.0 * 2 - 1);
}

static void
check(const char *what, int cond)
{
	if (!cond) {
		fprintf(stderr, "kerntest: FAIL %s\n", what);
		fails++;
	}
}

static int
near(double a, double b)
{
	return fabs(a - b) <= 1e-4 * (1 + fabs(b));
}

/* rows: nin input rows, nout output rows, dp floats each, d of them set */
static float *
rows(size_t n, size_t d, size_t dp, uint64_t *s)
{
	float *r = xaligned(n * dp * sizeof(float));
	size_t i, v;

	for (i = 0; i < n; i++)
		for (v = 0; v < dp; v++)
			r[i * dp + v] = v < d ? urand(s) : 0;
	return r;
}

/*
 * One CBOW step of B context rows (in[0] == in[B-1] when B > 2: a word
 * twice) and K output rows (out[1] == out[K-1] when K > 2: a noise word
 * drawn twice): mean, dots, then cbow_back against a double reference
 * that takes the output rows in order (word2vec.c's loop over the
 * negatives), and update + addto on a copy against cbow_back.
 */
static void
cbow(const struct train_kern *kn, const char *isa, size_t B, size_t K,
    size_t d, uint64_t seed)
{
	size_t dp = (d + 15) & ~(size_t)15, j, k, v, nin = B, nout = K;
	uint64_t s = seed;
	float *ti = rows(nin, d, dp, &s), *to = rows(nout, d, dp, &s);
	float *ti2 = xaligned(nin * dp * sizeof(float));
	float *to2 = xaligned(nout * dp * sizeof(float));
	float *h = xaligned(dp * sizeof(float));
	float *nb = xaligned(dp * sizeof(float));
	float *in[MAXB], *out[MAXK], *in2[MAXB], *out2[MAXK];
	float S[MAXK], G[MAXK];
	double rh[512], rnb[512], rin[MAXB][512], rout[MAXK][512];
	char msg[160];
	int ok = 1;

	memcpy(ti2, ti, nin * dp * sizeof(float));
	memcpy(to2, to, nout * dp * sizeof(float));
	for (j = 0; j < B; j++) {
		size_t r = B > 2 && j == B - 1 ? 0 : j;

		in[j] = ti + r * dp;
		in2[j] = ti2 + r * dp;
	}
	for (k = 0; k < K; k++) {
		size_t r = K > 2 && k == K - 1 ? 1 : k;

		out[k] = to + r * dp;
		out2[k] = to2 + r * dp;
	}
	/* the reference: h, scores, G, then nb and the rows in order */
	for (v = 0; v < dp; v++) {
		rh[v] = 0;
		for (j = 0; j < B; j++)
			rh[v] += in[j][v];
		rh[v] /= (double)B;
	}
	for (j = 0; j < nin; j++)
		for (v = 0; v < dp; v++)
			rin[j][v] = ti[j * dp + v];
	for (k = 0; k < nout; k++)
		for (v = 0; v < dp; v++)
			rout[k][v] = to[k * dp + v];
	kn->mean(h, in, B, 1.0f / (float)B, dp);
	for (v = 0; v < dp; v++)
		ok &= near(h[v], rh[v]);
	snprintf(msg, sizeof(msg), "%s mean B %zu d %zu", isa, B, d);
	check(msg, ok);
	kn->dots(&h, 1, out, K, S, dp);
	ok = 1;
	for (k = 0; k < K; k++) {
		double dot = 0;

		for (v = 0; v < dp; v++)
			dot += rh[v] * out[k][v];
		ok &= near(S[k], dot);
		G[k] = 0.05f * (k == 0 ? 1 - S[k] / 4 : -S[k] / 4);
	}
	snprintf(msg, sizeof(msg), "%s dots K %zu d %zu", isa, K, d);
	check(msg, ok);
	for (v = 0; v < dp; v++) {
		rnb[v] = 0;
		for (k = 0; k < K; k++) {
			size_t r = K > 2 && k == K - 1 ? 1 : k;

			rnb[v] += G[k] * rout[r][v];
			rout[r][v] += G[k] * (double)h[v];
		}
		for (j = 0; j < B; j++) {
			size_t r = B > 2 && j == B - 1 ? 0 : j;

			rin[r][v] += rnb[v];
		}
	}
	kn->cbow_back(in, B, out, K, G, h, dp);
	ok = 1;
	for (v = 0; v < dp; v++) {
		for (j = 0; j < nin; j++)
			ok &= near(ti[j * dp + v], rin[j][v]);
		for (k = 0; k < nout; k++)
			ok &= near(to[k * dp + v], rout[k][v]);
	}
	snprintf(msg, sizeof(msg), "%s cbow_back B %zu K %zu d %zu", isa, B,
	    K, d);
	check(msg, ok);
	/* without duplicate rows, update + addto give the same rows */
	if (B <= 2 && K <= 2) {
		float *hp = h;

		kn->update(&hp, 1, out2, K, G, nb, dp);
		kn->addto(in2, B, nb, dp);
		ok = 1;
		for (v = 0; v < nin * dp; v++)
			ok &= near(ti2[v], ti[v]);
		for (v = 0; v < nout * dp; v++)
			ok &= near(to2[v], to[v]);
		snprintf(msg, sizeof(msg), "%s update+addto B %zu K %zu d %zu",
		    isa, B, K, d);
		check(msg, ok);
	}
	free(ti);
	free(to);
	free(ti2);
	free(to2);
	free(h);
	free(nb);
}

int
main(void)
{
	static const char *isas[] = { "scalar", "avx2", "avx512" };
	static const size_t ds[] = { 1, 16, 17, 50, 64, 100, 128, 129, 200,
	    300, 500 };
	static const size_t Bs[] = { 1, 2, 3, 6, 10 };
	static const size_t Ks[] = { 1, 2, 6, 9 };
	size_t a, i, j, k;
	int ran = 0;

	for (a = 0; a < sizeof(isas) / sizeof(*isas); a++) {
		const struct train_kern *kn;

		if (cpu_force(isas[a]) != 0)
			continue;
		kn = trainkern_get();
		check("kernel name", strcmp(kn->name, isas[a]) == 0);
		ran++;
		for (i = 0; i < sizeof(ds) / sizeof(*ds); i++)
			for (j = 0; j < sizeof(Bs) / sizeof(*Bs); j++)
				for (k = 0; k < sizeof(Ks) / sizeof(*Ks); k++)
					cbow(kn, isas[a], Bs[j], Ks[k], ds[i],
					    1000 * i + 10 * j + k);
	}
	check("the scalar kernels ran", ran >= 1);
	if (fails == 0)
		printf("kerntest: %d instruction sets agree\n", ran);
	return fails != 0;
}
