/* See LICENSE file for copyright and license details. */
#ifndef EMB_POINTS_H
#define EMB_POINTS_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "vstream.h"

/*
 * A set of labelled points held in memory: what emb-reduce and emb-plot
 * read whole before they can start.
 */
struct points {
	size_t n, d;
	float *x;		/* n x d, row-major */
	char *lab;		/* the labels back to back, each NUL-ended */
	size_t *loff;		/* n + 1 offsets into lab */
	int labelled;		/* some row had a label */
	size_t cap, labcap;
};

void points_init(struct points *p, size_t d);
/* append one point (label NULL or len 0 for none) */
void points_add(struct points *p, const char *label, size_t len,
    const float *v);
/* drop every point, keeping the memory for the next ones */
void points_clear(struct points *p);
const char *points_label(const struct points *p, size_t i, size_t *len);
/*
 * Read a whole vector stream (text or binary, lib/vstream.h) of dimension
 * d (0 = learn it); -1 with e ("file:line: ...") on bad input.
 */
int points_read(struct points *p, const char *path, size_t d,
    struct emb_err *e);
/* the same from an open vector stream (read to its end, not closed) */
int points_read_stream(struct points *p, struct vstream *s,
    struct emb_err *e);
/*
 * Write rows of dimension k from y (n x k) with the labels of p, as a
 * text or binary vector stream (through a vwriter: an "N d" header line
 * when the first label looks like a number).  -1 on a write error; -2
 * (e says which row) for a label a text row cannot hold.
 */
int points_write(const struct points *p, const float *y, size_t k,
    FILE *f, int binary, struct emb_err *e);
void points_free(struct points *p);

#endif
