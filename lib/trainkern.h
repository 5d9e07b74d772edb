/* See LICENSE file for copyright and license details. */
#ifndef EMB_TRAINKERN_H
#define EMB_TRAINKERN_H

#include <stddef.h>

#include "cpu.h"

/*
 * The dense kernels of word2vec training (train.c), one instance per
 * instruction set (cpu.h), all from one template (trainkern_isa.h).
 *
 * Shapes: rows are dp floats apart and 64-byte aligned, dp = d rounded up
 * to 16, the padding zero (it stays zero: every update adds multiples of
 * rows).  One step has B input rows in[j] (skip-gram: the context words;
 * CBOW: their mean) and K output rows out[k] (the target and its
 * negatives, or the target's Huffman path): scores S = in out^T (B x K,
 * row-major), gradients G = (label - sigmoid(S)) * alpha (train.c), then
 * nb = G out (B x dp) and out += G^T in.
 */
struct train_kern {
	const char *name;
	/* S[j][k] = in[j] . out[k] */
	void (*dots)(float *const *in, size_t B, float *const *out, size_t K,
	    float *S, size_t dp);
	/* nb[j] = sum_k G[j][k] out[k]; then out[k] += sum_j G[j][k] in[j] */
	void (*update)(float *const *in, size_t B, float *const *out,
	    size_t K, const float *G, float *nb, size_t dp);
	/* dst[j] += src for each j < n */
	void (*addto)(float *const *dst, size_t n, const float *src, size_t dp);
	/* dst = scale * sum_{j < n} src[j], n >= 1 */
	void (*mean)(float *dst, float *const *src, size_t n, float scale,
	    size_t dp);
	/*
	 * CBOW's backward step in one pass over the columns (h the mean
	 * of the B context rows in[j], G the K gradients): nb = sum_k
	 * G[k] out[k], out[k] += G[k] h, then in[j] += nb.  The output
	 * rows go in order: a row given twice (a noise word drawn twice)
	 * takes both updates and adds its updated values to nb the second
	 * time; a context row given twice takes nb twice.
	 */
	void (*cbow_back)(float *const *in, size_t B, float *const *out,
	    size_t K, const float *G, const float *h, size_t dp);
	/*
	 * A thread's replica merged (trainstep.c, rep_merge): shared +=
	 * rows - base, then rows = base = shared; n floats, a multiple of 16
	 */
	void (*merge)(float *shared, float *rows, float *base, size_t n);
};

/* the kernels of cpu_isa()'s level */
const struct train_kern *trainkern_get(void);

#endif
