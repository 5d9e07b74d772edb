/* See LICENSE file for copyright and license details. */
#ifndef EMB_SEQ_H
#define EMB_SEQ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "model.h"
#include "tokenizer.h"

/*
 * A line of input as a sequence of table rows: the rows that a line of
 * tokens (or of IDs) names, each with its label, under a policy for
 * unknown tokens.  It is what emb-lookup prints for a line and what
 * positions (posenc.h) are added to.  Rows are fetched one at a time
 * (seq_row), so a line costs O(tokens) memory, never O(tokens x d).
 */
enum seq_oov {
	SEQ_OOV_ERROR,		/* an unknown token is an error */
	SEQ_OOV_SKIP,		/* left out, counted in skipped */
	SEQ_OOV_ZERO,		/* a row of zeros */
	SEQ_OOV_UNK,		/* the row of a named token such as <unk> */
	SEQ_OOV_SUBWORD		/* fastText's vector of an unseen word: the
				 * mean of its n-gram rows (model_vector) */
};

struct seq {
	size_t n;		/* rows in the sequence */
	long *id;		/* the table row of each; -1: a zero row;
				 * -2: its label's n-gram vector */
	const char **label;	/* the token as read, or NULL: the row's */
	size_t *labellen;
	size_t skipped;		/* unknown tokens left out, over all lines */
	/* private */
	size_t cap, idcap;
	uint32_t *ids;
	struct tokenizer_seq tq;
	char num[24];
};

/* "error", "skip", "zero", "unk" -> *oov: 0, or -1 if unknown */
void seq_init(struct seq *s);
void seq_free(struct seq *s);

/*
 * A line of blank-separated tokens, each looked up in m; unknown ones
 * follow oov (unk: the row used by SEQ_OOV_UNK).  Labels point into line,
 * which must outlive their use.  -1 with e ("file:lineno: unknown token")
 * under SEQ_OOV_ERROR.
 */
int seq_tokens(struct seq *s, struct model *m, const char *line, size_t len,
    enum seq_oov oov, long unk, const char *file, size_t lineno,
    struct emb_err *e);
/*
 * A line of IDs (an ID stream line, ids.h): each must be a row of m, else
 * -1 with e naming the file, line, field and the table's size.
 */
int seq_ids(struct seq *s, const struct model *m, char *line, size_t len,
    const char *file, size_t lineno, struct emb_err *e);
/*
 * A line of text, tokenized by t (emb-tokenize's IDs for it), whose IDs
 * must be rows of m (tokvocab_check); labels are the rows'.  -1 with e
 * naming the file and line when the tokenizer refuses the text.
 */
int seq_text(struct seq *s, const struct tokenizer *t, const struct model *m,
    const char *line, size_t len, const char *file, size_t lineno,
    struct emb_err *e);
/*
 * rows from, from + 1, ..., from + n - 1 of the table, but those whose
 * bit is set in skip (a bitset over the table's rows, or NULL)
 */
void seq_range(struct seq *s, size_t from, size_t n, const uint64_t *skip);
/*
 * The label of row i of the sequence: the token as read, else the row's
 * token in m, else (a table without tokens, or an unnamed row) its ID in
 * decimal (valid until the next call).
 */
const char *seq_label(struct seq *s, const struct model *m, size_t i,
    size_t *len);
/*
 * Write the sequence as one text line to f: its IDs (ids) or its labels,
 * separated by blanks.  -1 on a write error.
 */
int seq_write_line(FILE *f, struct seq *s, const struct model *m, int ids);
/*
 * Row i of the sequence into out[d]; -1 with e when it holds NaN or Inf.
 * m is not const: an unseen word's n-gram vector uses its scratch.
 */
int seq_row(const struct seq *s, struct model *m, size_t i,
    float *out, struct emb_err *e);

#endif
