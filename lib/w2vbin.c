/* See LICENSE file for copyright and license details. */
/* The word2vec binary reader (w2v.h: w2v_read_bin). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src.h"
#include "textvec.h"
#include "util.h"
#include "vocab.h"
#include "w2v.h"
#include "w2v_impl.h"

/* the "V d" line of a word2vec binary file */
static int
bin_header(struct src *s, size_t *V, size_t *d, struct emb_err *e)
{
	char *line;
	ssize_t n;

	if ((n = src_getline(s, &line, e)) == -2)
		return -1;
	if (n < 0 || textvec_header(line, line + n, "", "", V, d) !=
	    TEXTVEC_HEADER) {
		err_set(e, s->name, 1, "expected a \"V d\" header line%s",
		    n > 0 && textvec_header(line, line + n, "", "", V, d) ==
		    TEXTVEC_BAD_HEADER ? " (two whole numbers, d > 0)" : "");
		return -1;
	}
	if (*d > W2V_MAXDIM) {
		err_set(e, s->name, 1, "the header says %zu dimensions (at "
		    "most %zu)", *d, W2V_MAXDIM);
		return -1;
	}
	return 0;
}

/* one row of a word2vec binary file, pointing into the input */
struct bin_row {
	const char *tok;	/* its token, tl bytes */
	size_t tl;
	const char *vec;	/* its d floats (unaligned) */
	size_t span;		/* bytes from the cursor to the row's end */
};

enum { BIN_ROW, BIN_MORE, BIN_EMPTY, BIN_LINEBREAK };

/*
 * The row at p[0, n): line ends before the token (word2vec.c ends each
 * row with '\n', gensim does not), the token, ' ', d floats.  BIN_MORE:
 * p[0, n) ends inside the row.
 */
static int
bin_parse(const char *p, size_t n, size_t d, struct bin_row *r)
{
	size_t i = 0, sp;
	const char *q;

	while (i < n && (p[i] == '\n' || p[i] == '\r'))
		i++;
	if ((q = memchr(p + i, ' ', n - i)) == NULL)
		return BIN_MORE;
	sp = (size_t)(q - p);
	r->tok = p + i;
	r->tl = sp - i;
	if (r->tl == 0)
		return BIN_EMPTY;
	if (memchr(r->tok, '\n', r->tl) != NULL)
		return BIN_LINEBREAK;
	if (n - sp - 1 < d * sizeof(float))
		return BIN_MORE;
	r->vec = q + 1;
	r->span = sp + 1 + d * sizeof(float);
	return BIN_ROW;
}

/* are the d floats at v (unaligned) all finite? */
static int
bin_finite(const char *v, size_t d)
{
	uint32_t any = 0, u[8];
	size_t j, k;

	/* an exponent of all ones is NaN or infinite; eight at a time and
	 * no early exit, so that the loop vectorises */
	for (j = 0; j + 8 <= d; j += 8) {
		memcpy(u, v + j * 4, sizeof(u));
		for (k = 0; k < 8; k++)
			any |= (u[k] & 0x7f800000u) == 0x7f800000u;
	}
	for (; j < d; j++) {
		memcpy(u, v + j * 4, 4);
		any |= (u[0] & 0x7f800000u) == 0x7f800000u;
	}
	return !any;
}

/*
 * Row i (from 0) of a file of V rows of d floats, through a window of
 * *win bytes of s's buffer (grown for long tokens), parsed and checked
 * into r; s stays before it (src_consume(s, r->span) moves past).  The
 * file is read, not mapped: on a shared virtual machine a mapped pass
 * cost more than read(2)'s copy into a buffer the cache keeps.  0, or -1
 * with e filled.
 */
static int
bin_next(struct src *s, size_t i, size_t V, size_t d, size_t *win,
    struct bin_row *r, struct emb_err *e)
{
	const unsigned char *p;
	size_t n;
	int st;

	for (;;) {
		n = src_peek(s, &p, *win, e);
		if (s->err)
			return -1;
		st = bin_parse((const char *)p, n, d, r);
		if (st != BIN_MORE || n < *win)
			break;
		*win *= 2;
	}
	switch (st) {
	case BIN_MORE:
		err_set(e, s->name, 0, "unexpected end of file after row %zu "
		    "(the header says %zu rows)", i, V);
		return -1;
	case BIN_EMPTY:
		err_set(e, s->name, 0, "row %zu: empty token", i + 1);
		return -1;
	case BIN_LINEBREAK:
		err_set(e, s->name, 0, "row %zu: a token holds a line break",
		    i + 1);
		return -1;
	}
	if (!bin_finite(r->vec, d)) {
		err_set(e, s->name, 0, "row %zu (\"%.*s\"): NaN or infinite "
		    "value", i + 1, (int)(r->tl > 100 ? 100 : r->tl), r->tok);
		return -1;
	}
	return 0;
}

/* after the V rows the header announces: nothing but line ends */
static int
bin_end(struct src *s, size_t V, struct emb_err *e)
{
	const unsigned char *p;
	size_t n, i;

	while ((n = src_peek(s, &p, 4096, e)) > 0) {
		for (i = 0; i < n; i++)
			if (p[i] != '\n' && p[i] != '\r') {
				err_set(e, s->name, 0, "data after the %zu "
				    "rows the header announces", V);
				return -1;
			}
		src_consume(s, n);
	}
	return s->err ? -1 : 0;
}

int
w2v_read_bin(struct table *t, struct src *s, size_t limit, struct emb_err *e)
{
	struct rows r;
	struct bin_row br;
	size_t V, d, want, i, win;

	memset(&r, 0, sizeof(r));
	if (bin_header(s, &V, &d, e) < 0)
		return -1;
	want = limit > 0 && limit < V ? limit : V;
	r.d = d;
	r.max = want;
	if (src_size(s, &r.left) < 0)
		r.left = 0;
	rows_first(&r, s, d * sizeof(float) + 2);
	win = d * sizeof(float) + 256;
	for (i = 0; i < want; i++) {
		if (rows_reserve(&r, i + 1, s->name, e) < 0 ||
		    bin_next(s, i, V, d, &win, &br, e) < 0)
			goto fail;
		memcpy(r.v + i * d, br.vec, d * sizeof(float));
		vocab_add(&t->vocab, br.tok, br.tl);
		src_consume(s, br.span);
		r.n = i + 1;
	}
	if (limit == 0 && bin_end(s, V, e) < 0)
		goto fail;
	rows_to_table(&r, t);
	return check_duplicates(t, s->name, 1, 1, e);
fail:
	free(r.v);
	return -1;
}
