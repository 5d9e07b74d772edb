/* See LICENSE file for copyright and license details. */
#ifndef EMB_LOOKUP_H
#define EMB_LOOKUP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "model.h"
#include "pool.h"
#include "posenc.h"
#include "seq.h"
#include "tokvocab.h"
#include "tokenizer.h"
#include "vstream.h"

/*
 * emb-lookup's pipeline: a line of input (tokens, IDs or text) in, its
 * rows out (lib/seq.h), with position encodings added (lib/posenc.h) or
 * pooled into one vector a line (lib/pool.h), written as a text or
 * binary vector stream (a vwriter) or as CSV (csvio_write_vec); or the
 * line's IDs or tokens as a text line; or every row of the table
 * (lookup_all).  A line costs O(tokens + d) memory.
 *
 * Errors: the functions return 0, -1 with e filled ("file:line: ..."):
 * an unknown token under SEQ_OOV_ERROR, an ID that is not a row, a
 * tokenizer error, a row with NaN or Inf, a sequence longer than the
 * position table; LOOKUP_ELABEL with e filled when a label cannot be
 * written in a text vector stream (a binary stream or CSV can hold it);
 * LOOKUP_EWRITE when writing failed (errno is the write's: EPIPE means
 * the reader went away).
 */
#define LOOKUP_EWRITE (-2)
#define LOOKUP_ELABEL (-3)

enum lookup_out { LOOKUP_TEXT, LOOKUP_BINARY, LOOKUP_CSV };
enum lookup_print {
	LOOKUP_VECTORS,		/* the rows */
	LOOKUP_IDS,		/* tokens to IDs, one line a line */
	LOOKUP_TOKENS		/* IDs to tokens, one line a line */
};

struct lookup_opts {
	enum lookup_out out;
	enum lookup_print print;
	int label;		/* a label before each vector */
	int ids;		/* lines hold IDs (ids.h) */
	const struct tokenizer *text;	/* lines are text, or NULL */
	enum seq_oov oov;	/* unknown tokens */
	long unk;		/* the row for SEQ_OOV_UNK */
	struct posenc *pe;	/* added to each line's rows, or NULL */
	int pooling;		/* one vector a line, labelled by the line */
	enum pool_mode pool;
	/* lookup_all with a tokenizer (text): the rows left out */
	int skip_special;	/* special tokens */
	size_t min_length;	/* tokens of fewer characters */
};

struct lookup {
	struct seq seq;		/* the last line; seq.skipped counts the
				 * unknown tokens left out */
	/* private */
	struct lookup_opts o;
	struct model *m;
	FILE *out;
	struct vwriter w;
	struct pool pool;
	float *row;		/* d floats */
	uint64_t *skip;		/* lookup_all: rows left out, or NULL */
};

/*
 * Get ready to look lines up in m (which must outlive l) and write to
 * out; with all, the output is lookup_all's: every row labelled, their
 * number known.  A binary stream's header is written now: 0 or
 * LOOKUP_EWRITE.
 */
int lookup_init(struct lookup *l, struct model *m,
    const struct lookup_opts *o, FILE *out, int all);
/* write what the vector stream holds back: 0 or LOOKUP_EWRITE */
int lookup_close(struct lookup *l);
void lookup_free(struct lookup *l);

/*
 * One line of input (the IDs of a line are parsed in place): file and
 * line name it in messages.
 */
int lookup_line(struct lookup *l, char *line, size_t len,
    const char *file, size_t lineno, struct emb_err *e);
/*
 * Every row of the table in order, each labelled by its token, else by
 * its ID; with a tokenizer (opts.text) but the rows its filters leave out
 * (opts.skip_special, opts.min_length: tokvocab_mask).
 */
int lookup_all(struct lookup *l, struct emb_err *e);

#endif
