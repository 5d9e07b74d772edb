/* See LICENSE file for copyright and license details. */
#ifndef EMB_VSTREAM_H
#define EMB_VSTREAM_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "src.h"

/*
 * Vector streams, the way vectors travel through pipes.
 *
 * Text: "[label] x1 ... xd" per line, fields separated by spaces or tabs,
 * optionally preceded by a word2vec-style "N d" header line.  The LAST d
 * fields are the numbers and everything before them (spaces included) is
 * the label, so tokens with spaces survive.
 *
 * Binary: the 12-byte header "EMBV", version (1), flags (bit 0: rows are
 * labelled; bit 1: rows come in sequences), 2 reserved zero bytes, d as
 * uint32 LE; then per row, when labelled, the label length as uint32 LE
 * and the label bytes, then d float32 LE.  With sequences, each sequence
 * (a line of input: T tokens, T >= 0) is its row count T as uint32 LE
 * followed by its T rows, so a reader can rebuild the T x d matrices.
 */
#define VSTREAM_MAGIC "EMBV"
#define VSTREAM_LABELLED 1
#define VSTREAM_SEQUENCES 2

/*
 * write one vector as text, label (NULL for none) then the values, each
 * as vstream_fmt_float prints it; blanks between fields, no trailing one
 */
int vstream_write_text(FILE *f, const char *label, size_t len,
    const float *v, size_t d);
/* the d values, each after sep (the first only when lead), then '\n' */
int vstream_write_values(FILE *f, const float *v, size_t d, int sep,
    int lead);
/* flags: VSTREAM_LABELLED | VSTREAM_SEQUENCES */
int vstream_write_header(FILE *f, size_t d, int flags);
int vstream_write_bin(FILE *f, const char *label, size_t len,
    const float *v, size_t d);
/* with VSTREAM_SEQUENCES: the row count of the sequence that follows */
int vstream_write_seq(FILE *f, size_t n);
/*
 * format one float into buf (at least 32 bytes) as the first of %.6g,
 * %.7g, %.8g and %.9g that reads back as the same float32 (0.1f is
 * "0.1", 1/3.0f "0.33333334"); returns the length
 */
int vstream_fmt_float(char *buf, float x);

struct vstream {
	struct src src;
	int binary;
	int labelled;		/* binary: from the header; text: per row */
	int sequences;		/* binary: rows come in sequences */
	size_t d;		/* 0 until known */
	size_t row;		/* rows read */
	size_t seq;		/* sequences: the last row's, from 0 */
	size_t pos;		/* sequences: its position in that sequence */
	size_t left;		/* sequences: rows of it still to come */
	size_t nseq;		/* sequences: row counts read */
	char *label;		/* label of the last row (NUL-terminated) */
	size_t labellen;
	float *vec;		/* the last row, d floats */
	size_t cap;
	size_t lcap;
};

/*
 * Open a stream (path "-" or NULL = stdin); d is the expected dimension,
 * or 0 to learn it from the first row (a first row of only numbers is
 * then unlabelled).  Binary is recognised by its magic.
 */
int vstream_open(struct vstream *s, const char *path, size_t d,
    struct emb_err *e);
/*
 * Before the first row of a text stream, guess whether it holds vectors
 * or words (tokens, IDs): look at the first line that is not blank,
 * without consuming it.  Vectors: its last fields are at least two
 * numbers (one when d is 1), or it is the first line and holds just two
 * unsigned integers with d != 2, a word2vec "N d" header, which is then
 * consumed.  Only the last 511 bytes of a long line are looked at; a
 * number is what strtof(3) reads whole (nan, inf and hex included).
 * Returns 1 (vectors) or 0 (words).
 */
int vstream_sniff(struct vstream *s, size_t d, struct emb_err *e);
/*
 * next row: 0 ok, -1 at end, -2 error (file:line or "after row N").  A
 * stream with sequences gives its rows one by one as any other, with
 * seq and pos set; its empty sequences are passed over (seq counts them).
 */
int vstream_next(struct vstream *s, struct emb_err *e);
void vstream_close(struct vstream *s);

/*
 * Parse a text row in place.  d > 0: the last d fields are the numbers
 * and the label is what precedes them (none if nothing does).  Returns 0
 * or -1 with the reason in *why (static string) and, for a bad number,
 * the field in *bad.
 */
int vstream_parse_text(char *line, size_t len, size_t d, float *out,
    char **label, size_t *labellen, const char **why);
/* the number of space/tab-separated fields in line */
size_t vstream_count_fields(const char *line, size_t len);

#endif
