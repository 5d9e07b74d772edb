/* See LICENSE file for copyright and license details. */
#ifndef EMB_POSENC_H
#define EMB_POSENC_H

#include <stddef.h>

#include "err.h"
#include "table.h"

/*
 * Position encodings: the input of a Transformer for a sequence of T
 * token IDs X is H0 = scale * E[X] + P, a T x d matrix whose row t is
 * scale * E[X[t]] + P[offset + t] (t from 0 at each sequence start).
 *
 * P is either the sinusoidal encoding of Vaswani et al., "Attention Is
 * All You Need" (2017), section 3.5:
 *
 *	P(p, 2i)     = sin(p / 10000^(2i / d))
 *	P(p, 2i + 1) = cos(p / 10000^(2i / d))
 *
 * (computed in double, rounded to float32; any d, odd d included), or a
 * learned table of positions read from a file, such as GPT-2's wpe.weight
 * (1024 x 768), which limits a sequence to its rows.  The paper scales
 * the token rows by sqrt(d) first; GPT-2 does not scale (scale 1).
 */
enum posenc_kind { POSENC_NONE, POSENC_SINUSOIDAL, POSENC_TABLE };

struct posenc {
	enum posenc_kind kind;
	size_t d;
	double scale;		/* token rows are multiplied by this (1) */
	size_t offset;		/* position of a sequence's first row (0) */
	size_t T;		/* table: how many positions it has */
	const float *P;		/* table: T x d float32, row-major */
	char *name;		/* table: the file, for messages */
	struct table tab;	/* table: holds P */
	float *buf;		/* sinusoidal: d floats of scratch */
};

/* no positions, scale 1, offset 0, for d dimensions */
void posenc_init(struct posenc *pe, size_t d);
/*
 * spec "sinusoidal", or FILE[:TENSOR]: a table of positions in any
 * format emb-init reads (TENSOR names a safetensors tensor, e.g.
 * model.safetensors:wpe.weight; a spec that names an existing file is
 * the file even if it holds a colon).  -1 with e when the file cannot be
 * read or its rows are not d wide.
 */
int posenc_open(struct posenc *pe, const char *spec, size_t d,
    struct emb_err *e);
void posenc_free(struct posenc *pe);

/* the sinusoidal encoding of position p into out[d] */
void posenc_sinusoidal(size_t p, size_t d, float *out);
/*
 * Can a sequence of n rows take its positions?  -1 with e (file and line
 * name the sequence) when a table has fewer than offset + n of them.
 */
int posenc_check(const struct posenc *pe, size_t n, const char *file,
    size_t line, struct emb_err *e);
/*
 * row (d floats: the token row at position t of its sequence, t from 0)
 * becomes scale * row + P[offset + t], computed in double and rounded
 * once; position t must have passed posenc_check.
 */
void posenc_add(struct posenc *pe, size_t t, float *row);

#endif
