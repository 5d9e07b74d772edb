/* See LICENSE file for copyright and license details. */
#ifndef EMB_W2V_H
#define EMB_W2V_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "src.h"
#include "table.h"

/*
 * word2vec binary, word2vec text / fastText .vec ("V d" header) and GloVe
 * text (no header).  Tokens are opaque bytes.  In text rows the LAST d
 * fields are the numbers and everything before them is the token, so
 * tokens with spaces survive; fields are separated by runs of ' ' or
 * '\t'; a '\r' before '\n' and trailing blanks are ignored.  Blank lines,
 * NaN/Inf, empty and duplicate tokens, and a header count that disagrees
 * with the rows are errors with file:line.
 */

/* how a text file's first line is treated */
enum w2v_header {
	W2V_HEADER_AUTO,	/* "V d" (two integers) is a header, else a row */
	W2V_HEADER_REQUIRED,	/* word2vec text, .vec */
	W2V_HEADER_NONE		/* first line is a row */
};

/*
 * Read text rows from s into t (initialised, empty).  limit > 0 stops
 * after that many rows (the header count is then not checked).  Parsing
 * runs on all cores in blocks; memory is the table plus one block.
 */
int w2v_read_text(struct table *t, struct src *s, enum w2v_header h,
    size_t limit, struct emb_err *e);
/*
 * Read word2vec binary: "V d\n", then per row the token, ' ', d float32
 * little-endian, and an optional '\n' (newlines before a token are
 * skipped, so files written by word2vec.c and by gensim both work).
 */
int w2v_read_bin(struct table *t, struct src *s, size_t limit,
    struct emb_err *e);

#endif
