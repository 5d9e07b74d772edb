/* See LICENSE file for copyright and license details. */
/* Private to the word2vec readers: lib/w2v.c (text) and lib/w2vbin.c. */
#ifndef EMB_W2V_IMPL_H
#define EMB_W2V_IMPL_H

#include <stddef.h>

#include "err.h"
#include "src.h"
#include "table.h"

/*
 * Headers are claims, not facts: d is capped, and storage grows with the
 * rows that actually arrive, starting from about 1 MB whatever d is.
 */
#define W2V_MAXDIM ((size_t)1 << 20)

/* rows that grow as a file is read, 64-byte aligned like table_alloc's */
struct rows {
	float *v;
	size_t n, cap, d;
	size_t max;		/* cap never grows past this (0: no bound) */
	size_t first;		/* the first allocation, when known (0: not) */
	size_t left;		/* bytes of input left, when known (0: not) */
};

/*
 * Make room for need rows (grown by doubling, never past max): 0, or -1
 * naming name when the table is too large.
 */
int rows_reserve(struct rows *r, size_t need, const char *name,
    struct emb_err *e);
/* size the first allocation from what a plain file can hold */
void rows_first(struct rows *r, struct src *s, size_t minrow);
/* hand the rows over to t */
void rows_to_table(struct rows *r, struct table *t);
/*
 * Duplicate tokens are an error naming both: rows of a binary file, or
 * lines (row + first) of a text one.  0 when there are none.
 */
int check_duplicates(struct table *t, const char *name, size_t first,
    int binary, struct emb_err *e);

#endif
