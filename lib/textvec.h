/* See LICENSE file for copyright and license details. */
#ifndef EMB_TEXTVEC_H
#define EMB_TEXTVEC_H

#include <stddef.h>

/*
 * Text vector rows: the one set of rules every reader of text vectors
 * follows (word2vec text, fastText .vec, GloVe, text vector streams; CSV
 * for the label rule), and every writer keeps, so that a table written
 * as text reads back as the same table.  emb-formats(5), "Text rows",
 * states them for users:
 *
 *  - Fields are separated by runs of blanks (' ', '\t').  A row is an
 *    optional label, then d numbers (strtof syntax, finite).
 *  - A first line of exactly two decimal integers "V d" (d > 0) is a
 *    header.  A first line of two numbers that are not such a header is
 *    a malformed header when the next line has another number of fields
 *    (otherwise it is a row of an unlabelled 2-D table).
 *  - With d known (a header, a model), the last d fields are the numbers
 *    and everything before them, blanks inside included, is the label;
 *    nothing before them: an unlabelled row.  A label whose last
 *    blank-separated part is itself a number is refused: it is almost
 *    surely a row with too many numbers ("route 66" cannot be a label).
 *  - Without d, the first row decides: when its first field is a number,
 *    the rows are unlabelled and d is its number of fields (a reader that
 *    holds the whole table then checks every row: one row whose first
 *    field is not a number makes them all labelled, d one less); else d
 *    is the number of numbers at its end and the rest is the label.
 *  - So a label that is a number is a label only where d is known: emb's
 *    writers add the "N d" header line when the first label is a number.
 */

/* ' ' and '\t' separate fields */
#define TEXTVEC_BLANK(c) ((c) == ' ' || (c) == '\t')

/* is [p, e) exactly one finite number?  (no blanks; at most 63 bytes) */
int textvec_is_num(const char *p, const char *e);
/* the blank-separated fields of [p, e) */
size_t textvec_fields(const char *p, const char *e);
/* how many of the last fields of [p, e) are numbers, counted from the end
 * up to the first that is not */
size_t textvec_tail(const char *p, const char *e);

/* what a first line is */
enum textvec_first {
	TEXTVEC_ROW,		/* a row (or nothing to say) */
	TEXTVEC_HEADER,		/* "V d": *V and *d set */
	TEXTVEC_BAD_HEADER	/* two numbers that are no "V d" header */
};
/*
 * Classify the first line [p, e); [n, ne) is the second line (n NULL when
 * there is none or it is not known yet: the line then counts as a row).
 */
enum textvec_first textvec_header(const char *p, const char *e,
    const char *n, const char *ne, size_t *V, size_t *d);

/*
 * d from a first row without a header: all its fields when the first is
 * a number (*unlabelled = 1), else the numbers at its end; 0 when there
 * are none.
 */
size_t textvec_first_dim(const char *p, const char *e, int *unlabelled);

/* why a row did not parse */
enum textvec_why {
	TEXTVEC_OK,
	TEXTVEC_EMPTY,		/* an empty line */
	TEXTVEC_FEW,		/* fewer than d fields (nf) */
	TEXTVEC_NOTNUM,		/* field is not a number */
	TEXTVEC_NAN,		/* field is NaN or infinite */
	TEXTVEC_EXTRA		/* the label ends in a number: nnum numbers */
};
struct textvec_err {
	enum textvec_why why;
	size_t nf;		/* fields in the row */
	size_t nnum;		/* EXTRA: numbers at the end of the row */
	char field[48];		/* NOTNUM, NAN: the field, cut short */
};

/*
 * Parse the row [p, e) with d known: the last d fields into out[d], the
 * label's length (from p; 0: unlabelled) into *lablen.  *e must not be
 * part of a number (a '\n', '\0' or blank).  0, or -1 with *er filled.
 * Trailing blanks and a '\r' before e are ignored.
 */
int textvec_parse(const char *p, const char *e, size_t d, float *out,
    size_t *lablen, struct textvec_err *er);

/*
 * Can a text row carry this label, so that it reads back the same?
 * NULL if so, else why not ("is empty", "holds a line break", ...).
 */
const char *textvec_label_bad(const char *lab, size_t len);
/* does the label parse as a number (so that it needs d to be known)? */
int textvec_label_is_num(const char *lab, size_t len);
/*
 * The label as shown in messages: at most max bytes (>= 16), control
 * bytes and blanks-only labels escaped ("\t"); buf holds max + 8.
 */
const char *textvec_show(const char *lab, size_t len, char *buf, size_t max);

#endif
